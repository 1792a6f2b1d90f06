// Xero Payment → Create, fast tier: what one run sends for a mixed batch — the payable ones in one PUT /Payments
// with the Commusoft marker at the start of each Reference, the refused ones never sent and each failing alone
// with the reason (draft invoice, amount above what is due, unmapped method), a payment from Xero skipped.
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

function xero() {
	return stubHttp([
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
});
