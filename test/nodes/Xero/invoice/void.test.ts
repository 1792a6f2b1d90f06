// Invoice → Void, fast tier: which states are voided (one POST with an Idempotency-Key), which are reported back
// untouched with the reason an office person acts on, and that a refusal never writes.
import { describe, expect, it } from 'vitest';

import { ok, route, runStubbed, STUB_CREDENTIALS, stubHttp } from '../../../helpers/stubbedHttp';
import { connectionsRoute } from '../xeroStubs';

const TENANT = '7a1e0000-0000-4000-8000-00000000a002';
const ID = '0a1b2c3d-1111-2222-3333-444455550002';

function xeroWith(invoice: object) {
	return stubHttp([
		connectionsRoute(TENANT),
		route('GET', '/Invoices', () =>
			ok({ Invoices: [{ InvoiceID: ID, InvoiceNumber: 'CS-7', ...invoice }] }),
		),
		route('POST', `/Invoices/${ID}`, (req) =>
			ok({
				Invoices: [
					{
						InvoiceID: ID,
						Status: (req.body as { Invoices: [{ Status: string }] }).Invoices[0].Status,
					},
				],
			}),
		),
	]);
}

const run = (http: ReturnType<typeof stubHttp>) =>
	runStubbed(
		http,
		'xeroAccounting',
		{
			resource: 'invoice',
			operation: 'void',
			tenantId: TENANT,
			lookupBy: 'number',
			invoiceNumber: 'CS-7',
		},
		[{}],
		STUB_CREDENTIALS,
	);

const writes = (http: ReturnType<typeof stubHttp>) => http.calls.filter((c) => c.method !== 'GET');

describe('Invoice → Void (stubbed HTTP)', () => {
	it('an AUTHORISED invoice with nothing paid is voided by one POST carrying an Idempotency-Key', async () => {
		const http = xeroWith({ Status: 'AUTHORISED', AmountPaid: 0, AmountCredited: 0 });
		const { items } = await run(http);
		expect(items[0].json).toMatchObject({
			action: 'voided',
			status: 'VOIDED',
			invoiceId: ID,
			invoiceNumber: 'CS-7',
		});
		expect(writes(http)).toHaveLength(1);
		expect(writes(http)[0].body).toEqual({ Invoices: [{ InvoiceID: ID, Status: 'VOIDED' }] });
		const key = Object.entries(writes(http)[0].headers).find(
			([k]) => k.toLowerCase() === 'idempotency-key',
		);
		expect(key?.[1]).toMatch(/\S{8,}/);
	});

	it('the same void sent twice carries the same Idempotency-Key (a retried run cannot double-act)', async () => {
		const first = xeroWith({ Status: 'AUTHORISED' });
		const second = xeroWith({ Status: 'AUTHORISED' });
		await run(first);
		await run(second);
		const keyOf = (http: ReturnType<typeof stubHttp>) =>
			Object.entries(writes(http)[0].headers).find(
				([k]) => k.toLowerCase() === 'idempotency-key',
			)?.[1];
		expect(keyOf(first)).toBe(keyOf(second));
	});

	it('an invoice already VOIDED comes back as alreadyVoided with no write', async () => {
		const http = xeroWith({ Status: 'VOIDED' });
		expect((await run(http)).items[0].json).toMatchObject({ action: 'alreadyVoided' });
		expect(writes(http)).toEqual([]);
	});

	it.each([
		[
			{ Status: 'DRAFT' },
			/only approved \(AUTHORISED\) invoices can be voided; delete a draft instead/,
		],
		[{ Status: 'SUBMITTED' }, /delete a draft instead/],
		[{ Status: 'PAID' }, /remove its payments in Xero first/],
		[{ Status: 'AUTHORISED', AmountPaid: 12.5 }, /part-paid \(12.5 paid\)/],
		[{ Status: 'AUTHORISED', Payments: [{ PaymentID: 'p' }] }, /part-paid/],
		[{ Status: 'AUTHORISED', AmountCredited: 3 }, /remove the credit note allocation first/],
	])('%j is refused with a reason and never written', async (invoice, reason) => {
		const http = xeroWith(invoice);
		const { items } = await run(http);
		expect(items[0].json.action).toBe('refused');
		expect(String(items[0].json.reason)).toMatch(reason);
		expect(writes(http)).toEqual([]);
	});

	it('a DELETED invoice is not found by its number (Xero keeps the number for the deleted record): nothing written', async () => {
		const http = xeroWith({ Status: 'DELETED' });
		const result = await run(http);
		expect(result.error?.message).toMatch(/No invoice with number "CS-7"/);
		expect(writes(http)).toEqual([]);
	});
});
