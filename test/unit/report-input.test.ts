// Reports refuse what they cannot read: a table of malformed records per report, each
// refused naming the record, the field and the fix, never a TypeError and never a check skipped in silence.
import { describe, expect, it } from 'vitest';

import { checkRecord, formatProblems } from '../../nodes/shared/recordCheck';
import { balanceItemProblems } from '../../nodes/Commusoft/mapping/balanceSummary';
import { readAgeingInvoices, summariseAgeing } from '../../nodes/Xero/mapping/ageing';
import { computeBalances, unreadableSources } from '../../nodes/Xero/mapping/balances';
import { readAuditInput } from '../../nodes/Xero/mapping/audit';

const invoice = {
	id: 'cs-1',
	invoiceNumber: 'CS-1',
	status: 'raised',
	total: 120,
	currency: 'GBP',
};
const payment = { id: 'p-1', invoiceId: 'cs-1', amount: 20, externalReference: 'x' };

describe('Audit: Commusoft records it cannot read', () => {
	const cases: Array<[string, unknown, string, RegExp]> = [
		['no invoice number', { ...invoice, invoiceNumber: undefined }, 'invoiceNumber', /is missing/],
		[
			'a numeric invoice number',
			{ ...invoice, invoiceNumber: 10042 },
			'invoiceNumber',
			/must be text, not number 10042/,
		],
		[
			'an empty invoice number',
			{ ...invoice, invoiceNumber: '  ' },
			'invoiceNumber',
			/not empty text/,
		],
		[
			'a total as text',
			{ ...invoice, total: '120.00' },
			'total',
			/must be a number, not text "120.00"/,
		],
		['no total', { ...invoice, total: undefined }, 'total', /is missing/],
		['a null total', { ...invoice, total: null }, 'total', /is null/],
		['a total that is not finite', { ...invoice, total: Number.NaN }, 'total', /finite/],
		['a total as a list', { ...invoice, total: [120] }, 'total', /not a list/],
		[
			'an unknown status',
			{ ...invoice, status: 'paid' },
			'status',
			/one of "draft", "raised", "cancelled"/,
		],
		['a numeric id', { ...invoice, id: 7 }, 'id', /must be text/],
		['a currency as a number', { ...invoice, currency: 826 }, 'currency', /must be text/],
		['not an object', 'CS-1', '(record)', /must be an object, not text/],
		['null', null, '(record)', /must be an object, not null/],
	];
	it.each(cases)(
		'refuses an invoice with %s, naming the field and the fix',
		(_, record, field, problem) => {
			const result = readAuditInput([invoice, record], [payment]);
			expect('unreadable' in result).toBe(true);
			const { unreadable } = result as {
				unreadable: Array<{
					label: string;
					problems: Array<{ field: string; problem: string; fix: string }>;
				}>;
			};
			expect(unreadable).toHaveLength(1);
			expect(unreadable[0].label).toMatch(/^Commusoft Invoices\[1\]/);
			expect(unreadable[0].problems[0].field).toBe(field);
			expect(unreadable[0].problems[0].problem).toMatch(problem);
			expect(unreadable[0].problems[0].fix.length).toBeGreaterThan(10);
		},
	);

	const paymentCases: Array<[string, unknown, string]> = [
		['no id', { ...payment, id: undefined }, 'id'],
		['an amount as text', { ...payment, amount: '20' }, 'amount'],
		[
			'an external reference as a number',
			{ ...payment, externalReference: 5 },
			'externalReference',
		],
		['an invoice id as an object', { ...payment, invoiceId: { id: 'cs-1' } }, 'invoiceId'],
	];
	it.each(paymentCases)('refuses a payment with %s', (_, record, field) => {
		const result = readAuditInput([invoice], [record, payment]);
		const { unreadable } = result as {
			unreadable: Array<{ label: string; problems: Array<{ field: string }> }>;
		};
		expect(unreadable.map((u) => [u.label.replace(/ \(.*\)$/, ''), u.problems[0].field])).toEqual([
			['Commusoft Payments[0]', field],
		]);
	});

	it('reads well-formed lists, ignores the empty item of "Always Output Data", and lists every bad record at once', () => {
		const ok = readAuditInput([invoice, {}], [{}]);
		expect(ok).toEqual({ invoices: [invoice], payments: [] });
		const bad = readAuditInput(
			[
				{ ...invoice, total: '1' },
				{ ...invoice, invoiceNumber: 5 },
			],
			[{ id: 3 }],
		);
		expect((bad as { unreadable: unknown[] }).unreadable).toHaveLength(3);
	});
});

describe('checkRecord', () => {
	it('accepts real calendar days only', () => {
		const rules = [{ field: 'd', kind: 'day' as const, fix: 'use YYYY-MM-DD' }];
		expect(checkRecord({ d: '2026-02-28' }, rules)).toEqual([]);
		for (const d of ['2026-02-30', '2026-13-01', '2026-12-45', '26-1-1', 20260101])
			expect(formatProblems(checkRecord({ d }, rules))[0]).toMatch(
				/^"d" must be a date as YYYY-MM-DD.*Fix: use YYYY-MM-DD\.$/,
			);
	});
});

describe('Debtors Ageing: Xero invoices it cannot read', () => {
	const good = {
		InvoiceID: 'i-1',
		InvoiceNumber: 'INV-1',
		Type: 'ACCREC',
		Status: 'AUTHORISED',
		AmountDue: 50,
		DueDateString: '2026-10-01T00:00:00',
		CurrencyCode: 'GBP',
	};
	const cases: Array<[string, Record<string, unknown>, string]> = [
		['an amount due as text', { AmountDue: '50.00' }, 'AmountDue'],
		['no amount due', { AmountDue: undefined }, 'AmountDue'],
		['a due date that names no day', { DueDateString: '2026-13-45T00:00:00' }, 'DueDateString'],
		['30 February as the due date', { DueDateString: '2026-02-30' }, 'DueDateString'],
		['a due date as a number', { DueDate: 20261001 }, 'DueDate'],
		['a numeric invoice number', { InvoiceNumber: 1 }, 'InvoiceNumber'],
		['no invoice id', { InvoiceID: undefined }, 'InvoiceID'],
	];
	it.each(cases)(
		'refuses an invoice with %s (the old code aged it as nothing due or 90+ days)',
		(_, change, field) => {
			const record = { ...good, ...change };
			const result = readAgeingInvoices([good, record]);
			const { unreadable } = result as {
				unreadable: Array<{ label: string; problems: Array<{ field: string; fix: string }> }>;
			};
			expect(unreadable).toHaveLength(1);
			expect(unreadable[0].label).toMatch(/^Xero invoice 1/);
			expect(unreadable[0].problems.map((p) => p.field)).toContain(field);
		},
	);

	it('reads good invoices and ages them', () => {
		const result = readAgeingInvoices([good]);
		expect(result).toEqual({ invoices: [good] });
		const summary = summariseAgeing(
			(result as { invoices: (typeof good)[] }).invoices,
			'2026-10-15',
		);
		expect(summary.currencies[0].buckets.days1to30).toBe(50);
	});
});

describe('Update Xero Balance Summary: Get Balances items it cannot read', () => {
	const good = {
		xeroContactFound: true,
		contactId: 'c-1',
		currency: 'GBP',
		balanceOutstanding: 100,
		balanceOverdue: 20,
		overdueInvoiceCount: 1,
		oldestOverdueDate: '2026-09-01',
		unallocatedCredit: 0,
		lastPaymentDate: null,
		lastPaymentAmount: null,
	};
	const cases: Array<[string, Record<string, unknown>, string]> = [
		['a balance as text', { balanceOutstanding: '100' }, 'balanceOutstanding'],
		['no overdue balance', { balanceOverdue: undefined }, 'balanceOverdue'],
		['a currency as a number (a TypeError before)', { currency: 826 }, 'currency'],
		[
			'unallocated credit as text (summed as text before)',
			{ unallocatedCredit: '12.5' },
			'unallocatedCredit',
		],
		['a last payment amount as text', { lastPaymentAmount: '10' }, 'lastPaymentAmount'],
		[
			'an oldest overdue date that names no day',
			{ oldestOverdueDate: '2026-02-30' },
			'oldestOverdueDate',
		],
		['a last payment date as a number', { lastPaymentDate: 20260101 }, 'lastPaymentDate'],
		['"found" as text', { xeroContactFound: 'false' }, 'xeroContactFound'],
		['an overdue count as text', { overdueInvoiceCount: '1' }, 'overdueInvoiceCount'],
	];
	it.each(cases)('refuses an item with %s', (_, change, field) => {
		expect(balanceItemProblems(good)).toEqual([]);
		const problems = balanceItemProblems({ ...good, ...change });
		expect(problems.map((p) => p.field)).toEqual([field]);
		expect(problems[0].fix.length).toBeGreaterThan(10);
	});
});

describe('Contact → Get Balances: Xero records it cannot read', () => {
	const contact = { ContactID: 'c-1' };
	const goodInvoice = {
		Type: 'ACCREC',
		Status: 'AUTHORISED',
		Contact: contact,
		AmountDue: 40,
		Total: 40,
		DueDate: '2026-10-01T00:00:00',
		CurrencyCode: 'GBP',
	};
	const goodPayment = {
		Status: 'AUTHORISED',
		Amount: 10,
		Date: '2026-10-05',
		Invoice: { Contact: contact },
	};
	const cases: Array<
		[string, 'invoices' | 'payments' | 'creditNotes', Record<string, unknown>, string]
	> = [
		[
			'an amount due as text (taken as 0 before)',
			'invoices',
			{ ...goodInvoice, AmountDue: '40' },
			'AmountDue',
		],
		[
			'a currency rate as text',
			'invoices',
			{ ...goodInvoice, CurrencyRate: '1.2' },
			'CurrencyRate',
		],
		[
			'a due date that names no day',
			'invoices',
			{ ...goodInvoice, DueDate: '2026-02-30T00:00:00' },
			'DueDate',
		],
		['a payment amount as text', 'payments', { ...goodPayment, Amount: '10' }, 'Amount'],
		['a payment date as a number', 'payments', { ...goodPayment, Date: 20261005 }, 'Date'],
		[
			'remaining credit as text',
			'creditNotes',
			{ Type: 'ACCRECCREDIT', Status: 'AUTHORISED', RemainingCredit: '5' },
			'RemainingCredit',
		],
	];
	it.each(cases)('refuses %s', (_, kind, record, field) => {
		const sources = {
			invoices: [goodInvoice],
			payments: [goodPayment],
			creditNotes: [],
			[kind]: [record],
		};
		const unreadable = unreadableSources(sources);
		expect(unreadable.map((u) => [u.label, u.problems.map((p) => p.field)])).toEqual([
			[`Xero ${kind} 0`, [field]],
		]);
	});

	it('reads good records', () => {
		const sources = { invoices: [goodInvoice], payments: [goodPayment], creditNotes: [] };
		expect(unreadableSources(sources)).toEqual([]);
		expect(
			computeBalances(['c-1'], sources, { asAt: '2026-11-01' }).get('c-1')?.balanceOverdue,
		).toBe(40);
	});
});
