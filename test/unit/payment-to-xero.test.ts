import { describe, expect, it } from 'vitest';

import type { CommusoftPayment } from '../../nodes/Commusoft/records';
import {
	chooseAccount,
	commusoftPaymentIdIn,
	commusoftPaymentReference,
	commusoftRefundIdIn,
	commusoftRefundReference,
	planPayments,
	readCommusoftPayment,
	readCommusoftRefunds,
	type XeroInvoiceForPayment,
} from '../../nodes/Xero/mapping/payment';
import { compileCommusoftRule, toPaymentRecord } from '../../nodes/Xero/paymentTrigger/mapping';

const BANK = '13918178-849a-4823-9a31-57b7eac713d7';
const accounts = [
	{ AccountID: BANK, Code: '090', Type: 'BANK', Status: 'ACTIVE', Name: 'Bank' },
	{ AccountID: 'a2', Code: '200', Type: 'REVENUE', Status: 'ACTIVE', Name: 'Sales' },
	{ AccountID: 'a3', Code: '880', Type: 'EQUITY', Status: 'ACTIVE', EnablePaymentsToAccount: true },
	{ AccountID: 'a4', Code: '091', Type: 'BANK', Status: 'ARCHIVED' },
];
const mapAll = (method: string | undefined) =>
	chooseAccount(method, [{ method: 'card', accountId: BANK }], accounts);

const payment = (extra: Partial<CommusoftPayment> = {}): CommusoftPayment => ({
	id: 'p-1',
	invoiceId: '11111111-2222-4333-8444-555555555555',
	invoiceNumber: 'CS-1',
	amount: 40,
	date: '2026-11-28',
	method: 'card',
	...extra,
});
const inv = (extra: Partial<XeroInvoiceForPayment> = {}): XeroInvoiceForPayment => ({
	InvoiceID: 'x-1',
	InvoiceNumber: 'CS-1',
	Status: 'AUTHORISED',
	AmountDue: 100,
	CurrencyCode: 'GBP',
	Payments: [],
	...extra,
});
const byNumber = (...invoices: XeroInvoiceForPayment[]) => {
	const map = new Map<string, XeroInvoiceForPayment[]>();
	for (const i of invoices) map.set(i.InvoiceNumber!, [...(map.get(i.InvoiceNumber!) ?? []), i]);
	return map;
};

describe('the Reference marker', () => {
	it.each(['p-1', '8e1f0c2a-0000-4000-8000-000000000001', 'CSP/42'])(
		'round-trips the Commusoft payment id %s, with or without a reference after it',
		(id) => {
			expect(commusoftPaymentIdIn(commusoftPaymentReference(id))).toBe(id);
			expect(commusoftPaymentIdIn(commusoftPaymentReference(id, 'Paid by card · tip'))).toBe(id);
			expect(commusoftPaymentIdIn(commusoftPaymentReference(id, 'x'.repeat(400)))).toBe(id);
		},
	);
	it.each([undefined, '', 'BACS', 'Payment for Commusoft payment 12', 'Commusoft payment'])(
		'finds no Commusoft id in %s',
		(reference) => expect(commusoftPaymentIdIn(reference)).toBeUndefined(),
	);
});

describe('the Xero readers never bring our own writes back (no loops)', () => {
	const rule = compileCommusoftRule({ kind: 'invoiceNumberPrefix', value: 'CS-' });
	if ('problem' in rule) throw new Error(rule.problem);
	const options = (includeDeleted: boolean) => ({
		tenantId: 't',
		commusoftMatch: rule.match,
		onlyCommusoft: true,
		includeDeleted,
		includeBillPayments: false,
	});
	it.each([
		['AUTHORISED', false],
		['DELETED', true],
	])('a %s payment whose Reference carries the marker is skipped', (Status, includeDeleted) => {
		const outcome = toPaymentRecord(
			{
				PaymentID: 'xp-1',
				Status,
				Amount: 40,
				Date: '2026-11-28',
				UpdatedDateUTC: '2026-11-28T10:00:00Z',
				Reference: commusoftPaymentReference('p-9', 'Paid on site'),
				Invoice: { InvoiceID: 'x-1', InvoiceNumber: 'CS-1', CurrencyCode: 'GBP' },
			},
			undefined,
			options(includeDeleted),
		);
		expect(outcome).toEqual({
			kind: 'skipped',
			reason: 'came from Commusoft (payment p-9): never recorded back',
		});
	});
	it('a refund it recorded on a credit note (the refund marker) is skipped naming the refund', () => {
		const reference = commusoftRefundReference('r-7', 'CN-3');
		expect(commusoftRefundIdIn(reference)).toBe('r-7');
		expect(commusoftPaymentIdIn(reference)).toBeUndefined();
		const outcome = toPaymentRecord(
			{
				PaymentID: 'xp-3',
				Status: 'AUTHORISED',
				Amount: 40,
				Date: '2026-11-28',
				UpdatedDateUTC: '2026-11-28T10:00:00Z',
				Reference: reference,
				// even when the answer names an invoice, the marker decides
				Invoice: { InvoiceID: 'x-1', InvoiceNumber: 'CS-1', CurrencyCode: 'GBP' },
			},
			undefined,
			options(false),
		);
		expect(outcome).toEqual({
			kind: 'skipped',
			reason: 'came from Commusoft (refund r-7): never recorded back',
		});
	});
	it('a payment entered in Xero by hand is still a record', () => {
		const outcome = toPaymentRecord(
			{
				PaymentID: 'xp-2',
				Status: 'AUTHORISED',
				Amount: 40,
				Date: '2026-11-28',
				UpdatedDateUTC: '2026-11-28T10:00:00Z',
				Reference: 'Commusoft customer paid by BACS',
				Invoice: { InvoiceID: 'x-1', InvoiceNumber: 'CS-1', CurrencyCode: 'GBP' },
			},
			undefined,
			options(false),
		);
		expect(outcome.kind).toBe('record');
	});
	it('a Commusoft payment with an external reference (it came from Xero) is skipped, never planned', () => {
		const [plan] = planPayments(
			[payment({ externalReference: 'b8074207-ddd1-436f-8618-8164695ab7ab' })],
			byNumber(inv()),
			mapAll,
		);
		expect(plan).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/came from Xero/) });
	});
});

describe('planPayments', () => {
	it('writes a part payment with the marker, the mapped account and the invoice ID', () => {
		const [plan] = planPayments([payment({ reference: 'On site' })], byNumber(inv()), mapAll);
		expect(plan).toEqual({
			kind: 'write',
			invoice: inv(),
			element: {
				Invoice: { InvoiceID: 'x-1' },
				Account: { AccountID: BANK },
				Date: '2026-11-28',
				Amount: 40,
				Reference: 'Commusoft payment p-1 · On site',
			},
		});
	});

	it('reports a payment Xero already holds before looking at the invoice state (a paid invoice after our own write)', () => {
		const [plan] = planPayments(
			[payment()],
			byNumber(
				inv({
					Status: 'PAID',
					AmountDue: 0,
					Payments: [{ PaymentID: 'xp-7', Reference: commusoftPaymentReference('p-1') }],
				}),
			),
			mapAll,
		);
		expect(plan).toMatchObject({ kind: 'existing', xeroPaymentId: 'xp-7' });
	});

	it('adds up the payments of one run against what is due, to the penny', () => {
		const plans = planPayments(
			[
				payment({ id: 'a', amount: 33.33 }),
				payment({ id: 'b', amount: 33.33 }),
				payment({ id: 'c', amount: 33.34 }),
				payment({ id: 'd', amount: 0.01 }),
			],
			byNumber(inv()),
			mapAll,
		);
		expect(plans.map((p) => p!.kind)).toEqual(['write', 'write', 'write', 'refuse']);
		expect(plans[3]).toMatchObject({
			refusal: {
				message: expect.stringContaining('GBP 0.01 is more than the GBP 0.00 still due'),
			},
		});
	});

	it.each([
		['DRAFT', /not approved in Xero \(status DRAFT\)/],
		['SUBMITTED', /not approved in Xero \(status SUBMITTED\)/],
		['PAID', /already fully paid/],
		['VOIDED', /was voided in Xero/],
		['DELETED', /was deleted in Xero/],
	])('refuses a %s invoice', (Status, message) => {
		const [plan] = planPayments([payment()], byNumber(inv({ Status })), mapAll);
		expect(plan).toMatchObject({
			kind: 'refuse',
			refusal: { message: expect.stringMatching(message) },
		});
	});

	it('refuses an invoice whose stored link names another Commusoft invoice', () => {
		const [plan] = planPayments(
			[payment()],
			byNumber(
				inv({ Url: 'https://app.commusoft.co.uk/invoices/99999999-2222-4333-8444-555555555555' }),
			),
			mapAll,
		);
		expect(plan).toMatchObject({
			kind: 'refuse',
			refusal: { message: expect.stringContaining('belongs to Commusoft invoice 99999999') },
		});
	});
});

describe('chooseAccount and readCommusoftPayment', () => {
	it.each([
		['cash', undefined, /Payment method "cash" has no Xero bank account/],
		[undefined, undefined, /Payment method "\(no method\)" has no Xero bank account/],
		['card', 'a2', /cannot take payments/],
		['card', 'a4', /cannot take payments/],
		['card', 'gone', /is not in this Xero organisation/],
	])('method %s mapped to %s is refused', (method, accountId, message) => {
		const choice = chooseAccount(
			method,
			accountId ? [{ method: 'card', accountId }] : [],
			accounts,
		);
		expect(choice).toMatchObject({ ok: false, message: expect.stringMatching(message) });
	});
	it('uses the method entry, else "Any Other Method", matching codes and ids', () => {
		const mappings = [
			{ method: 'card', accountId: '090' },
			{ method: '*', accountId: 'a3' },
		];
		expect(chooseAccount('Card', mappings, accounts)).toEqual({ ok: true, accountId: BANK });
		expect(chooseAccount('cheque', mappings, accounts)).toEqual({ ok: true, accountId: 'a3' });
	});
	it.each([
		[{}, /"id"/],
		[{ id: 'p', invoiceId: 'i', amount: 1, date: '2026-11-28' }, /"invoiceNumber" is missing/],
		[
			{ id: 'p', invoiceId: 'i', invoiceNumber: 'CS-1', amount: -1, date: '2026-11-28' },
			/"amount"/,
		],
		[
			{ id: 'p', invoiceId: 'i', invoiceNumber: 'CS-1', amount: '1.234', date: '2026-11-28' },
			/"amount"/,
		],
		[{ id: 'p', invoiceId: 'i', invoiceNumber: 'CS-1', amount: 1, date: '28/11/2026' }, /"date"/],
	])('refuses %j naming the field', (raw, field) => {
		const read = readCommusoftPayment(raw);
		expect(read).toMatchObject({ ok: false, message: expect.stringMatching(field) });
	});
});

describe('readCommusoftRefunds', () => {
	it('a credit note gives each of its refunds, with its number, currency and id', () => {
		const read = readCommusoftRefunds({
			id: 'cn-1',
			creditNoteNumber: 'CN-1',
			currency: 'gbp',
			customer: { id: 'c' },
			refundPayments: [{ id: 'r-1', amount: '12.50', date: '2026-11-28', method: 'card' }],
		});
		expect(read).toEqual({
			ok: true,
			refunds: [
				{
					id: 'r-1',
					creditNoteNumber: 'CN-1',
					amount: 12.5,
					date: '2026-11-28',
					method: 'card',
					currency: 'GBP',
					commusoftCreditNoteId: 'cn-1',
				},
			],
		});
	});
	it('a credit note without refunds gives none; a refund item gives itself', () => {
		expect(readCommusoftRefunds({ creditNoteNumber: 'CN-2', customer: {} })).toEqual({
			ok: true,
			refunds: [],
		});
		const one = readCommusoftRefunds({
			id: 'r-2',
			creditNoteNumber: 'CN-2',
			amount: 5,
			date: '2026-11-28',
		});
		expect(one.ok && one.refunds.map((r) => [r.id, r.amount])).toEqual([['r-2', 5]]);
	});
	it('a refund with a third decimal or no date is refused naming the refund and the field', () => {
		const bad = readCommusoftRefunds({
			creditNoteNumber: 'CN-3',
			customer: {},
			refundPayments: [{ id: 'r-3', amount: 1.005, date: '2026-11-28' }],
		});
		expect(bad.ok).toBe(false);
		expect(!bad.ok && bad.message).toMatch(/refund r-3 \(credit note CN-3\): "amount"/);
		const noDate = readCommusoftRefunds({ id: 'r-4', creditNoteNumber: 'CN-3', amount: 2 });
		expect(!noDate.ok && noDate.message).toMatch(/r-4.*"date"/);
	});
});
