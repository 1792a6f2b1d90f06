// Commusoft Payment → Create, fast tier: a payment is recorded at most once per external reference (look first,
// then POST), a repeat with other figures is refused rather than recorded twice, and bad input fails that item
// before any call.
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

const INVOICE = 'inv-0000-1';

const stored = (extra: object = {}) => ({
	uuid: 'pay-1',
	invoiceUuid: INVOICE,
	invoiceNumber: 'CS-1',
	amount: 120.5,
	date: '2026-11-20',
	externalReference: 'xero-pay-1',
	...extra,
});

function commusoftHolding(existing: object[]) {
	return stubHttp([
		route('GET', '/api/v1/payments', (req) =>
			ok(
				existing.filter(
					(p) =>
						(p as { externalReference?: string }).externalReference === req.query.externalReference,
				),
			),
		),
		route('POST', '/api/v1/payments', (req) =>
			status(201, { uuid: 'pay-new', ...(req.body as object), updatedAt: '2026-11-20T10:00:00Z' }),
		),
	]);
}

const params = (extra: object = {}) => ({
	resource: 'payment',
	operation: 'create',
	invoiceId: INVOICE,
	amount: '={{ $json.amount }}',
	externalReference: '={{ $json.ref }}',
	date: '2026-11-20',
	method: 'card',
	reference: 'Card on site',
	...extra,
});

const posts = (calls: StubbedRequest[]) => calls.filter((c) => c.method === 'POST');

describe('Commusoft Payment → Create (stubbed HTTP)', () => {
	it('an unseen external reference: looked up, then one POST with the documented body', async () => {
		const http = commusoftHolding([]);
		const { items } = await runStubbed(
			http,
			'commusoft',
			params(),
			[{ amount: 120.5, ref: 'xero-pay-9' }],
			STUB_CREDENTIALS,
		);
		expect(items[0].json).toMatchObject({
			result: 'created',
			payment: { id: 'pay-new', amount: 120.5 },
		});
		expect(http.calls.map((c) => c.method)).toEqual(['GET', 'POST']);
		expect(http.calls[0].query).toMatchObject({ externalReference: 'xero-pay-9' });
		expect(posts(http.calls)[0].body).toEqual({
			invoiceUuid: INVOICE,
			amount: 120.5,
			date: '2026-11-20',
			externalReference: 'xero-pay-9',
			method: 'card',
			reference: 'Card on site',
		});
	});

	it('the same reference and figures again: alreadyRecorded, no second POST', async () => {
		const http = commusoftHolding([stored()]);
		const { items } = await runStubbed(
			http,
			'commusoft',
			params(),
			[{ amount: 120.5, ref: 'xero-pay-1' }],
			STUB_CREDENTIALS,
		);
		expect(items[0].json).toMatchObject({ result: 'alreadyRecorded', payment: { id: 'pay-1' } });
		expect(posts(http.calls)).toEqual([]);
	});

	it('the same reference with another amount is refused naming both amounts; nothing recorded', async () => {
		const http = commusoftHolding([stored()]);
		const run = await runStubbed(
			http,
			'commusoft',
			params(),
			[{ amount: 99, ref: 'xero-pay-1' }],
			STUB_CREDENTIALS,
			{
				node: { onError: 'continueRegularOutput' },
			},
		);
		const text = JSON.stringify(run.items[0].json);
		expect(text).toMatch(/120\.50/);
		expect(text).toMatch(/99\.00/);
		expect(posts(http.calls)).toEqual([]);
	});

	it.each([
		[{ amount: 0, ref: 'r' }, /Amount/],
		[{ amount: -5, ref: 'r' }, /Amount/],
		[{ amount: '12.345', ref: 'r' }, /Amount/],
		[{ amount: 'twelve', ref: 'r' }, /Amount/],
		[{ amount: 10, ref: '' }, /External Reference/],
	])(
		'bad input %j fails that item naming the field, before any call; the good item still goes through',
		async (bad, field) => {
			const http = commusoftHolding([]);
			const run = await runStubbed(
				http,
				'commusoft',
				params(),
				[bad, { amount: 10, ref: 'ok-ref' }],
				STUB_CREDENTIALS,
				{
					node: { onError: 'continueErrorOutput' },
				},
			);
			expect(run.outputs[1]).toHaveLength(1);
			expect(run.outputs[1][0].pairedItem).toEqual({ item: 0 });
			expect(JSON.stringify(run.outputs[1][0].json)).toMatch(field);
			expect(run.outputs[0].map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
			expect(http.calls.filter((c) => c.query.externalReference === bad.ref)).toEqual([]);
			expect(posts(http.calls)).toHaveLength(1);
		},
	);

	it('a bad date fails that item with the fix, before any call', async () => {
		const http = commusoftHolding([]);
		const run = await runStubbed(
			http,
			'commusoft',
			params({ date: '31/11/2026' }),
			[{ amount: 10, ref: 'r' }],
			STUB_CREDENTIALS,
			{
				node: { onError: 'continueRegularOutput' },
			},
		);
		expect(JSON.stringify(run.items[0].json)).toMatch(/Date/);
		expect(http.calls).toEqual([]);
	});
});
