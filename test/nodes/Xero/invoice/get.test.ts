// Invoice → Get, fast tier: the request it makes for each "Find By", what it returns, and each per-item failure
// (its message names the item's input and the fix) with the other items still served.
import { describe, expect, it } from 'vitest';

import {
	ok,
	route,
	runStubbed,
	status,
	STUB_CREDENTIALS,
	stubHttp,
} from '../../../helpers/stubbedHttp';
import { connectionsRoute } from '../xeroStubs';

const TENANT = '7a1e0000-0000-4000-8000-00000000a001';
const ID = '0a1b2c3d-1111-2222-3333-444455556666';

const invoice = (number: string, extra = {}) => ({
	InvoiceID: ID,
	InvoiceNumber: number,
	Type: 'ACCREC',
	Status: 'AUTHORISED',
	...extra,
});

const params = (extra: object) => ({
	resource: 'invoice',
	operation: 'get',
	tenantId: TENANT,
	...extra,
});

describe('Invoice → Get (stubbed HTTP)', () => {
	it('by number: one GET /Invoices?InvoiceNumbers=… with line items and 4-dp unit amounts', async () => {
		const http = stubHttp([
			connectionsRoute(TENANT),
			route('GET', '/api.xro/2.0/Invoices', (req) =>
				ok({ Invoices: [invoice(String(req.query.InvoiceNumbers))] }),
			),
		]);
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params({ lookupBy: 'number', invoiceNumber: '={{ $json.number }}' }),
			[{ number: 'CS-1' }, { number: 'CS-2' }],
			STUB_CREDENTIALS,
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.InvoiceNumber)).toEqual(['CS-1', 'CS-2']);
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const reads = http.calls.filter((c) => c.path.endsWith('/Invoices'));
		expect(reads).toHaveLength(2);
		expect(reads[0].query).toMatchObject({ InvoiceNumbers: 'CS-1', page: 1, unitdp: 4 });
		expect(reads[0].headers['xero-tenant-id'] ?? reads[0].headers['Xero-Tenant-Id']).toBe(TENANT);
	});

	it('a number with a comma goes through `where`, since InvoiceNumbers is comma-separated on the wire', async () => {
		const http = stubHttp([
			connectionsRoute(TENANT),
			route('GET', '/Invoices', () => ok({ Invoices: [invoice('CS-1,2')] })),
		]);
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params({ lookupBy: 'number', invoiceNumber: 'CS-1,2' }),
			[{}],
			STUB_CREDENTIALS,
		);
		expect(run.items[0].json.InvoiceNumber).toBe('CS-1,2');
		const read = http.calls.find((c) => c.path.endsWith('/Invoices'))!;
		expect(read.query.InvoiceNumbers).toBeUndefined();
		expect(read.query.where).toBe('InvoiceNumber=="CS-1,2"');
	});

	it('by ID: GET /Invoices/{id}; a 404 fails that item naming the ID, the others still come out', async () => {
		const other = '0a1b2c3d-1111-2222-3333-999999999999';
		const http = stubHttp([
			connectionsRoute(TENANT),
			route('GET', /\/Invoices\/([^/]+)$/, (_req, [id]) =>
				id === ID ? ok({ Invoices: [invoice('CS-9')] }) : status(404, { Title: 'Not Found' }),
			),
		]);
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params({ lookupBy: 'id', invoiceId: '={{ $json.id }}' }),
			[{ id: other }, { id: ID }],
			STUB_CREDENTIALS,
			{ node: { onError: 'continueErrorOutput' } },
		);
		expect(run.outputs[0].map((i) => i.json.InvoiceNumber)).toEqual(['CS-9']);
		expect(run.outputs[0][0].pairedItem).toEqual({ item: 1 });
		expect(run.outputs[1]).toHaveLength(1);
		expect(run.outputs[1][0].pairedItem).toEqual({ item: 0 });
		expect(String(run.outputs[1][0].json.error)).toContain(other);
	});

	it('a malformed ID fails before any Xero call, naming the field', async () => {
		const http = stubHttp([connectionsRoute(TENANT)]);
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params({ lookupBy: 'id', invoiceId: 'not-a-guid' }),
			[{}],
			STUB_CREDENTIALS,
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(String(run.items[0].json.error)).toMatch(/Invoice ID/);
		expect(http.calls.filter((c) => c.path.includes('/api.xro/'))).toEqual([]);
	});

	it('two invoices with one number (bills may share one) are refused rather than guessed', async () => {
		const http = stubHttp([
			connectionsRoute(TENANT),
			route('GET', '/Invoices', () =>
				ok({ Invoices: [invoice('B-1', { InvoiceID: 'a' }), invoice('B-1', { InvoiceID: 'b' })] }),
			),
		]);
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params({ lookupBy: 'number', invoiceNumber: 'B-1' }),
			[{}],
			STUB_CREDENTIALS,
		);
		expect(run.error?.message).toMatch(/2 invoices have the number "B-1"/);
	});
});
