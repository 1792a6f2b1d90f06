// Commusoft Invoice → Record Xero Status, fast tier: a status change is read against what Commusoft holds and
// written only when its changeKey is new; items that cannot be written (Xero unread, no link back, a record that
// is not a status change) fail alone, before any call, naming the fix.
import { describe, expect, it } from 'vitest';

import {
	ok,
	route,
	runStubbed,
	status,
	STUB_CREDENTIALS,
	stubHttp,
	type StubbedRequest,
} from '../../../helpers/stubbedHttp';

const INVOICE = 'inv-uuid-7';

const change = (extra: object = {}) => ({
	state: 'VOIDED',
	changeKey: 'xero-inv-1:VOIDED',
	invoiceId: '0a1b2c3d-1111-2222-3333-444455550007',
	invoiceNumber: 'CS-7',
	xeroStatus: 'VOIDED',
	note: 'Voided in Xero',
	total: 120,
	amountPaid: 0,
	amountCredited: 0,
	updatedDateUtc: '/Date(1764700000000+0000)/',
	commusoftInvoiceId: INVOICE,
	...extra,
});

/** Commusoft holding `keys` for the invoice (none: the status record answers 404 until written). */
function commusoftHolding(keys: string[] | undefined) {
	return stubHttp([
		route('GET', `/invoices/${INVOICE}/xeroStatus`, () =>
			keys ? ok({ changeKeys: keys }) : status(404, { message: 'Not found' }),
		),
		route('PUT', `/invoices/${INVOICE}/xeroStatus`, (req) =>
			status(201, { changeKeys: [...(keys ?? []), (req.body as { changeKey: string }).changeKey] }),
		),
	]);
}

const params = { resource: 'invoice', operation: 'recordXeroStatus' };
const puts = (calls: StubbedRequest[]) => calls.filter((c) => c.method === 'PUT');

describe('Commusoft Invoice → Record Xero Status (stubbed HTTP)', () => {
	it('a new change: read, then one PUT carrying the change; result recorded', async () => {
		const http = commusoftHolding(undefined);
		const { items } = await runStubbed(http, 'commusoft', params, [change()], STUB_CREDENTIALS);
		expect(items[0].json).toMatchObject({
			result: 'recorded',
			commusoftInvoiceId: INVOICE,
			state: 'VOIDED',
		});
		expect(http.calls.map((c) => c.method)).toEqual(['GET', 'PUT']);
		expect(puts(http.calls)[0].body).toMatchObject({
			changeKey: 'xero-inv-1:VOIDED',
			state: 'VOIDED',
			xeroInvoiceId: change().invoiceId,
			note: 'Voided in Xero',
		});
	});

	it('a change Commusoft already holds: alreadyRecorded, no PUT', async () => {
		const http = commusoftHolding(['xero-inv-1:PAID:120:0', 'xero-inv-1:VOIDED']);
		const { items } = await runStubbed(http, 'commusoft', params, [change()], STUB_CREDENTIALS);
		expect(items[0].json.result).toBe('alreadyRecorded');
		expect(puts(http.calls)).toEqual([]);
	});

	it.each([
		[{ fetchError: 'Xero answered 503', resourceId: 'abc' }, /could not be read/],
		[{ commusoftInvoiceId: '' }, /Invoice ID is empty/],
		[{ state: 'AUTHORISED' }, /state/],
		[{ changeKey: undefined }, /changeKey/],
		[{ total: 'lots' }, /total/],
	])(
		'%j fails that item alone, before any call; the good item is still written',
		async (bad, message) => {
			const http = commusoftHolding(undefined);
			const run = await runStubbed(
				http,
				'commusoft',
				{ ...params, invoiceId: '={{ $json.commusoftInvoiceId }}' },
				[change(bad), change()],
				STUB_CREDENTIALS,
				{
					node: { onError: 'continueErrorOutput' },
				},
			);
			expect(run.outputs[1]).toHaveLength(1);
			expect(run.outputs[1][0].pairedItem).toEqual({ item: 0 });
			expect(JSON.stringify(run.outputs[1][0].json)).toMatch(message);
			expect(run.outputs[0].map((i) => [i.json.result, i.pairedItem])).toEqual([
				['recorded', { item: 1 }],
			]);
			expect(puts(http.calls)).toHaveLength(1);
		},
	);
});
