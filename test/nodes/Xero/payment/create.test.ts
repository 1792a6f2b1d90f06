// Xero Payment → Create, fast tier: what one run sends for a mixed batch — the payable ones in one PUT /Payments
// with the Commusoft marker at the start of each Reference, the refused ones never sent and each failing alone
// with the reason (draft invoice, amount above what is due, unmapped method), a payment from Xero skipped; and a
// Commusoft credit note's refunds recorded as payments on the Xero credit note through the same batch.
import { describe, expect, it } from 'vitest';

import { ok, route, runStubbed, STUB_CREDENTIALS, stubHttp } from '../../../helpers/stubbedHttp';
import { connectionsRoute } from '../xeroStubs';

const TENANT = '7a1e0000-0000-4000-8000-00000000a004';
const BANK = '0a1b2c3d-0000-4000-8000-0000000b4a4c';

const invoice = (n: number, extra: object = {}) => ({
	InvoiceID: `0a1b2c3d-1111-2222-3333-44445555${String(n).padStart(4, '0')}`,
	InvoiceNumber: `CS-${n}`,
	Type: 'ACCREC',
	Status: 'AUTHORISED',
	Total: 100,
	AmountDue: 100,
	AmountPaid: 0,
	AmountCredited: 0,
	CurrencyCode: 'GBP',
	Payments: [],
	...extra,
});

const INVOICES = [
	invoice(1),
	invoice(2, { Status: 'DRAFT' }),
	invoice(3, { AmountDue: 40, AmountPaid: 60 }),
	invoice(4),
];

const payment = (n: number, extra: object = {}) => ({
	id: `pay-${n}`,
	invoiceId: `cs-inv-${n}`,
	invoiceNumber: `CS-${n}`,
	amount: 50,
	currency: 'GBP',
	date: '2026-11-20',
	method: 'card',
	...extra,
});

const creditNote = (n: number, extra: object = {}) => ({
	CreditNoteID: `0a1b2c3d-5555-2222-3333-44445555${String(n).padStart(4, '0')}`,
	CreditNoteNumber: `CN-${n}`,
	Type: 'ACCRECCREDIT',
	Status: 'AUTHORISED',
	Total: 80,
	RemainingCredit: 80,
	CurrencyCode: 'GBP',
	Payments: [] as Array<Record<string, unknown>>,
	...extra,
});

const CREDIT_NOTES = [
	creditNote(1),
	creditNote(2, { Status: 'DRAFT' }),
	creditNote(3, { Status: 'VOIDED', RemainingCredit: 0 }),
	creditNote(4, { RemainingCredit: 30 }),
];

const refundItem = (n: number, creditNoteNumber: string, extra: object = {}) => ({
	id: `refund-${n}`,
	creditNoteNumber,
	amount: 20,
	date: '2026-11-21',
	method: 'card',
	...extra,
});

function xero() {
	return stubHttp([
		route('GET', '/CreditNotes', (req) => {
			const wanted = [
				...String(req.query.where ?? '').matchAll(/CreditNoteNumber=="([^"]+)"/g),
			].map((m) => m[1]);
			return ok({ CreditNotes: CREDIT_NOTES.filter((c) => wanted.includes(c.CreditNoteNumber)) });
		}),
		connectionsRoute(TENANT),
		route('GET', '/Accounts', () =>
			ok({
				Accounts: [
					{ AccountID: BANK, Code: '090', Name: 'Business Bank', Type: 'BANK', Status: 'ACTIVE' },
				],
			}),
		),
		route('GET', '/Invoices', (req) => {
			const wanted = String(req.query.InvoiceNumbers ?? '').split(',');
			return ok({ Invoices: INVOICES.filter((i) => wanted.includes(i.InvoiceNumber)) });
		}),
		route('PUT', '/Payments', (req) =>
			ok({
				Payments: (req.body as { Payments: Array<Record<string, unknown>> }).Payments.map(
					(p, i) => ({
						...p,
						PaymentID: `0a1b2c3d-9999-4000-8000-00000000000${i}`,
						Status: 'AUTHORISED',
						StatusAttributeString: 'OK',
					}),
				),
			}),
		),
	]);
}

const params = {
	resource: 'payment',
	operation: 'create',
	tenantId: TENANT,
	methodAccounts: { mapping: [{ method: 'card', accountId: BANK }] },
};

describe('Xero Payment → Create (stubbed HTTP)', () => {
	it('a mixed batch: payable ones in one PUT with the marker, refusals never sent, a payment from Xero skipped', async () => {
		const http = xero();
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params,
			[
				payment(1),
				payment(2),
				payment(3, { amount: 45 }),
				payment(4, { method: 'cash' }),
				payment(1, { id: 'pay-from-xero', externalReference: 'xero-payment-1' }),
			],
			STUB_CREDENTIALS,
			{ node: { onError: 'continueErrorOutput' } },
		);
		const writes = http.calls.filter((c) => c.method === 'PUT');
		expect(writes).toHaveLength(1);
		const sent = (
			writes[0].body as {
				Payments: Array<{ Reference: string; Amount: number; Invoice: { InvoiceID: string } }>;
			}
		).Payments;
		expect(sent).toHaveLength(1);
		expect(sent[0].Reference).toMatch(/^Commusoft payment pay-1\b/);
		expect(sent[0].Amount).toBe(50);
		expect(sent[0].Invoice.InvoiceID).toBe(invoice(1).InvoiceID);
		expect(writes[0].query.summarizeErrors).toBe(false);

		const errors = new Map(
			run.outputs[1].map((i) => [(i.pairedItem as { item: number }).item, JSON.stringify(i.json)]),
		);
		expect([...errors.keys()].sort()).toEqual([1, 2, 3]);
		expect(errors.get(1)).toMatch(/DRAFT|draft/);
		expect(errors.get(2)).toMatch(/45(\.00)?/);
		expect(errors.get(2)).toMatch(/40(\.00)?/);
		expect(errors.get(3)).toMatch(/cash/i);

		const regular = new Map(
			run.outputs[0].map((i) => [(i.pairedItem as { item: number }).item, i.json]),
		);
		expect([...regular.keys()].sort()).toEqual([0, 4]);
		expect(regular.get(4)?.result).toBe('skipped');
	});

	it('a payment Xero already holds (its Reference on the invoice) is reported, not written again', async () => {
		INVOICES[0].Payments = [
			{ PaymentID: 'p-old', Amount: 50, Reference: 'Commusoft payment pay-1 (card)' },
		] as never;
		try {
			const http = xero();
			const { items } = await runStubbed(
				http,
				'xeroAccounting',
				params,
				[payment(1)],
				STUB_CREDENTIALS,
			);
			expect(items[0].json.result).toBe('alreadyRecorded');
			expect(http.calls.filter((c) => c.method === 'PUT')).toEqual([]);
		} finally {
			INVOICES[0].Payments = [];
		}
	});

	it("refunds: a credit note's refunds become payments on the Xero credit note in the same PUT as payments; each refusal names the amounts or the fix", async () => {
		const http = xero();
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params,
			[
				payment(1),
				{
					id: 'cs-cn-1',
					creditNoteNumber: 'CN-1',
					currency: 'GBP',
					customer: { id: 'cust-1' },
					refundPayments: [
						{ id: 'refund-a', amount: 50.1, date: '2026-11-21', method: 'card' },
						{ id: 'refund-b', amount: 29.91, date: '2026-11-22', method: 'card' },
						{ id: 'refund-c', amount: 5, date: '2026-11-22', method: 'cash' },
					],
				},
				refundItem(2, 'CN-2'),
				refundItem(3, 'CN-3'),
				refundItem(4, 'CN-4', { amount: 30.01 }),
				refundItem(5, 'CN-404'),
			],
			STUB_CREDENTIALS,
			{ node: { onError: 'continueErrorOutput' } },
		);
		const writes = http.calls.filter((c) => c.method === 'PUT');
		expect(writes).toHaveLength(1);
		const sent = (writes[0].body as { Payments: Array<Record<string, unknown>> }).Payments;
		expect(sent).toHaveLength(2);
		expect(sent[0].Invoice).toEqual({ InvoiceID: invoice(1).InvoiceID });
		expect(sent[1]).toEqual({
			CreditNote: { CreditNoteID: creditNote(1).CreditNoteID },
			Account: { AccountID: BANK },
			Date: '2026-11-21',
			Amount: 50.1,
			Reference: 'Commusoft refund refund-a · CN-1',
		});

		const errors = run.outputs[1].map((i) => [
			(i.pairedItem as { item: number }).item,
			String(i.json.error),
		]);
		expect(errors.map(([item]) => item)).toEqual([1, 1, 2, 3, 4, 5]);
		// 80 − 50.10 written before it in this run leaves 29.90: the refund of 29.91 is one penny over
		expect(errors[0][1]).toMatch(/refund-b.*29\.91.*29\.90.*CN-1.*after GBP 50\.10/);
		expect(errors[1][1]).toMatch(/refund-c.*"cash" has no Xero bank account/);
		expect(errors[2][1]).toMatch(/CN-2 is not approved.*DRAFT/);
		expect(errors[3][1]).toMatch(/CN-3 was voided/);
		expect(errors[4][1]).toMatch(/30\.01.*30\.00 of credit left on credit note CN-4/);
		expect(errors[5][1]).toMatch(/CN-404 is not in Xero/);

		const created = run.outputs[0].map((i) => i.json);
		expect(created).toHaveLength(2);
		expect(created[1]).toMatchObject({
			result: 'created',
			commusoftRefundId: 'refund-a',
			commusoftCreditNoteId: 'cs-cn-1',
			creditNoteNumber: 'CN-1',
			xeroCreditNoteId: creditNote(1).CreditNoteID,
			amount: 50.1,
			reference: 'Commusoft refund refund-a · CN-1',
		});
		expect(run.outputs[0][1].pairedItem).toEqual({ item: 1 });
	});

	it('refunds: one already on the credit note (its Reference) is reported, one listed twice is written once, a credit note without refunds is skipped', async () => {
		CREDIT_NOTES[0].Payments = [
			{ PaymentID: 'refund-old', Amount: 20, Reference: 'Commusoft refund refund-1 · CN-1' },
		];
		try {
			const http = xero();
			const run = await runStubbed(
				http,
				'xeroAccounting',
				params,
				[
					refundItem(1, 'CN-1'),
					refundItem(6, 'CN-1'),
					refundItem(6, 'CN-1'),
					{ id: 'cs-cn-9', creditNoteNumber: 'CN-9', customer: { id: 'cust-1' } },
				],
				STUB_CREDENTIALS,
			);
			const results = run.items.map((i) => i.json.result);
			expect(results).toEqual(['alreadyRecorded', 'created', 'skipped', 'skipped']);
			expect(run.items[0].json.xeroPaymentId).toBe('refund-old');
			expect(run.items[3].json.reason).toMatch(/no refunds/);
			const sent = http.calls.filter((c) => c.method === 'PUT');
			expect(sent).toHaveLength(1);
			expect((sent[0].body as { Payments: unknown[] }).Payments).toHaveLength(1);
		} finally {
			CREDIT_NOTES[0].Payments = [];
		}
	});

	it('refunds: without Continue On Fail a refusal fails the run before anything is sent, naming item and credit note', async () => {
		const http = xero();
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params,
			[refundItem(1, 'CN-1'), refundItem(2, 'CN-2')],
			STUB_CREDENTIALS,
		);
		expect(run.error?.message).toMatch(
			/Item 1 \(Commusoft refund refund-2\): Credit note CN-2 is not approved/,
		);
		expect(http.calls.filter((c) => c.method === 'PUT')).toEqual([]);
	});
});
