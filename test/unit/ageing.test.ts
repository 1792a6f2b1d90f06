import { describe, expect, it } from 'vitest';

import {
	bucketFor,
	daysOverdue,
	renderAgeingHtml,
	renderAgeingText,
	summariseAgeing,
	xeroDay,
	type AgeingInvoiceInput,
} from '../../nodes/Xero/mapping/ageing';

const inv = (
	id: string,
	contact: string,
	dueDate: string,
	amountDue: number,
	extra: Partial<AgeingInvoiceInput> = {},
): AgeingInvoiceInput => ({
	InvoiceID: id,
	InvoiceNumber: `CS-${id}`,
	Type: 'ACCREC',
	Status: 'AUTHORISED',
	Contact: { ContactID: `c-${contact}`, Name: contact },
	DueDateString: `${dueDate}T00:00:00`,
	AmountDue: amountDue,
	CurrencyCode: 'GBP',
	...extra,
});

describe('ageing buckets', () => {
	it('reads every date form Xero sends', () => {
		expect(xeroDay('/Date(1764115200000+0000)/')).toBe('2025-11-26');
		expect(xeroDay('2026-11-01T00:00:00')).toBe('2026-11-01');
		expect(xeroDay('2026-11-01')).toBe('2026-11-01');
		expect(xeroDay('soon')).toBeUndefined();
		expect(xeroDay(undefined)).toBeUndefined();
	});

	it('puts each edge day in the bucket Xero Aged Receivables uses', () => {
		const asOf = '2026-11-26';
		const cases: Array<[string, string]> = [
			['2026-12-10', 'current'],
			['2026-11-26', 'current'], // due today is not overdue
			['2026-11-25', 'days1to30'],
			['2026-10-27', 'days1to30'], // 30 days
			['2026-10-26', 'days31to60'], // 31 days
			['2026-09-27', 'days31to60'], // 60
			['2026-09-26', 'days61to90'], // 61
			['2026-08-28', 'days61to90'], // 90
			['2026-08-27', 'over90'], // 91
		];
		for (const [due, bucket] of cases)
			expect([due, bucketFor(daysOverdue(due, asOf))]).toEqual([due, bucket]);
	});

	it('counts days across a clock change as whole days', () => {
		expect(daysOverdue('2026-10-20', '2026-11-01')).toBe(12);
		expect(daysOverdue('2026-03-20', '2026-04-01')).toBe(12);
	});
});

describe('summariseAgeing', () => {
	const invoices = [
		inv('1', 'Acme', '2026-12-01', 100), // current
		inv('2', 'Acme', '2026-11-10', 50.1), // 16 days
		inv('3', 'Acme', '2026-07-01', 200.2), // 148 days
		inv('4', 'Bloggs', '2026-10-01', 75.35), // 56 days
		inv('5', 'Bloggs', '2026-09-01', 10), // 86 days
		inv('6', 'Cole', '2026-11-20', 0.1), // 6 days
		inv('7', 'Cole', '2026-11-20', 0.2), // float sum 0.30000000000000004
		inv('8', 'Euro Ltd', '2026-10-01', 999, { CurrencyCode: 'EUR' }),
		inv('9', 'Acme', '2026-10-01', 40, { Status: 'PAID', AmountDue: 0 }),
		inv('10', 'Supplier', '2026-10-01', 40, { Type: 'ACCPAY' }),
		inv('11', 'Acme', '2026-10-01', 0),
		inv('12', 'Acme', '', 5, { DueDateString: undefined }),
	];
	const summary = summariseAgeing(invoices, '2026-11-26');
	const gbp = summary.currencies.find((c) => c.currency === 'GBP')!;

	it('totals each bucket per currency, rounded to pennies', () => {
		expect(summary.currencies.map((c) => c.currency)).toEqual(['EUR', 'GBP']);
		expect(gbp.buckets).toEqual({
			current: 100,
			days1to30: 50.4,
			days31to60: 75.35,
			days61to90: 10,
			over90: 200.2,
		});
		expect(gbp.bucketCounts).toEqual({
			current: 1,
			days1to30: 3,
			days31to60: 1,
			days61to90: 1,
			over90: 1,
		});
		expect(gbp.total).toBe(435.95);
		expect(gbp.overdue).toBe(335.95);
		expect(gbp.invoiceCount).toBe(7);
		const eur = summary.currencies.find((c) => c.currency === 'EUR')!;
		expect(eur.buckets.days31to60).toBe(999);
		expect(eur.total).toBe(999);
	});

	it('groups by customer, most overdue first', () => {
		expect(gbp.customers.map((c) => [c.name, c.total, c.overdue, c.oldestDaysOverdue])).toEqual([
			['Acme', 350.3, 250.3, 148],
			['Bloggs', 85.35, 85.35, 86],
			['Cole', 0.3, 0.3, 6],
		]);
		expect(gbp.customers[0].buckets).toEqual({
			current: 100,
			days1to30: 50.1,
			days31to60: 0,
			days61to90: 0,
			over90: 200.2,
		});
	});

	it('says why each left-out invoice is left out', () => {
		expect(summary.skipped.map((s) => [s.invoiceId, s.reason])).toEqual([
			['9', 'status PAID (only AUTHORISED invoices are owed)'],
			['10', 'not a sales invoice (ACCPAY)'],
			['11', 'nothing due'],
			['12', 'no due date or date'],
		]);
	});

	it('ages an invoice without a due date from its date', () => {
		const s = summariseAgeing(
			[inv('x', 'A', '', 10, { DueDateString: undefined, DateString: '2026-11-01T00:00:00' })],
			'2026-11-26',
		);
		expect(s.currencies[0].invoices[0]).toMatchObject({ daysOverdue: 25, bucket: 'days1to30' });
	});

	it('refuses an as-of that is not a day', () => {
		expect(() => summariseAgeing([], '26/11/2026')).toThrow(/YYYY-MM-DD/);
	});
});

describe('digest', () => {
	it('renders an SVG bar per bucket scaled to the largest, and escapes names', () => {
		const summary = summariseAgeing(
			[inv('1', '<Smith & Sons>', '2026-11-20', 100), inv('2', 'Jones', '2026-06-01', 50)],
			'2026-11-26',
		);
		const html = renderAgeingHtml(summary, { title: 'Weekly debtors' });
		expect(html).toContain('<h2>Weekly debtors</h2>');
		expect(html).toContain('&lt;Smith &amp; Sons&gt;');
		expect(html).not.toContain('<Smith');
		const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
		const heights = [...svg.matchAll(/<rect [^>]*height="(\d+)"/g)].map((m) => Number(m[1]));
		expect(heights).toEqual([0, 180, 0, 0, 90]);
		expect(renderAgeingText(summary)).toBe(
			'Debtors as of 2026-11-26 (GBP): 150.00 owed, 150.00 overdue. Current: 0.00, 1–30 days: 100.00, 31–60 days: 0.00, 61–90 days: 0.00, 90+ days: 50.00',
		);
	});

	it('lists only the top customers and says how many more there are', () => {
		const summary = summariseAgeing(
			['A', 'B', 'C'].map((name, i) => inv(String(i), name, '2026-11-01', 10 * (i + 1))),
			'2026-11-26',
		);
		const html = renderAgeingHtml(summary, { topCustomers: 2 });
		expect(html).toContain('>C<');
		expect(html).toContain('>B<');
		expect(html).not.toContain('>A<');
		expect(html).toContain('1 more customers are not listed');
	});

	it('says so when nothing is owed', () => {
		expect(renderAgeingHtml(summariseAgeing([], '2026-11-26'))).toContain('No money is owed');
	});
});
