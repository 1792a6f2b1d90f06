/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// A 404 from Commusoft means one of two things an office person fixes in different places: the record an item
// names does not exist (fix the id / re-run the sync), or the endpoint is not served at this base URL (fix the
// credential). Every Commusoft operation that addresses a record by id must say which, naming the record, the
// id and the item. Runs the Commusoft node through n8n-core's WorkflowExecute against the sandbox, a server that
// serves nothing but the login, and a proxy that hides one route of the sandbox.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';
import { runNode } from '../helpers/n8nCore';
import { commusoftCredential } from '../helpers/xeroSandbox';

let sandbox: RunningCommusoftSandbox;

beforeAll(async () => {
	sandbox = await startCommusoftSandbox();
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.state.reset(true));

/** Ids an outside tester might feed: uuid-shaped, reference-shaped, with URL-special and non-ASCII characters. */
function missingIds(seed: number): string[] {
	const hex = (n: number) => (n * 2654435761).toString(16).padStart(8, '0').slice(-8);
	return [
		`${hex(seed)}-dead-4bad-8bad-${hex(seed + 1)}beef`,
		`CS-${90000 + seed}`,
		`gone/${seed}?x=1#frag`,
		`Zoë ${seed} & Sons`,
	];
}

interface Case {
	name: string;
	record: 'customer' | 'invoice' | 'job';
	/** The node parameters, with the record id taken from `$json.id`. */
	parameters: IDataObject;
	/** A good item (item 0) for this operation. */
	good: () => IDataObject;
	/** The item that names a missing record `id` (item 1). */
	bad: (id: string) => IDataObject;
	/** Whether the operation writes (its message must then say nothing was written). */
	writes: boolean;
	/** The sandbox has no job list to tell a missing job from a missing endpoint. */
	certain: boolean;
}

const unpaidInvoice = () =>
	sandbox.state.data.invoices.find(
		(invoice) =>
			invoice.status === 'raised' &&
			!sandbox.state.data.payments.some((payment) => payment.invoiceUuid === invoice.uuid),
	)!;

const CASES: Case[] = [
	{
		name: 'Customer → Get',
		record: 'customer',
		parameters: { resource: 'customer', operation: 'get', customerId: '={{ $json.id }}' },
		good: () => ({ id: sandbox.state.data.customers[0].uuid }),
		bad: (id) => ({ id }),
		writes: false,
		certain: true,
	},
	{
		name: 'Customer → Update',
		record: 'customer',
		parameters: {
			resource: 'customer',
			operation: 'update',
			customerId: '={{ $json.id }}',
			updateFields: { telephone: '01632 960000' },
		},
		good: () => ({ id: sandbox.state.data.customers[0].uuid }),
		bad: (id) => ({ id }),
		writes: false, // reads the customer first: the read is what fails
		certain: true,
	},
	{
		name: 'Customer → Update Xero Balance Summary',
		record: 'customer',
		parameters: {
			resource: 'customer',
			operation: 'updateXeroBalanceSummary',
			customerId: '={{ $json.commusoftCustomerId }}',
		},
		good: () => balanceItem(sandbox.state.data.customers[0].uuid),
		bad: (id) => balanceItem(id),
		writes: true,
		certain: true,
	},
	{
		name: 'Invoice → Get',
		record: 'invoice',
		parameters: { resource: 'invoice', operation: 'get', invoiceId: '={{ $json.id }}' },
		good: () => ({ id: sandbox.state.data.invoices[0].uuid }),
		bad: (id) => ({ id }),
		writes: false,
		certain: true,
	},
	{
		name: 'Payment → Create',
		record: 'invoice',
		parameters: {
			resource: 'payment',
			operation: 'create',
			invoiceId: '={{ $json.id }}',
			amount: 1,
			externalReference: '={{ $json.ref }}',
		},
		good: () => ({ id: unpaidInvoice().uuid, ref: 'xero-payment-good' }),
		bad: (id) => ({ id, ref: `xero-payment-for-${id}` }),
		writes: true,
		certain: true,
	},
	{
		name: 'Job → Get',
		record: 'job',
		parameters: { resource: 'job', operation: 'get', jobId: '={{ $json.id }}' },
		good: () => ({ id: sandbox.state.data.jobs[0].uuid }),
		bad: (id) => ({ id }),
		writes: false,
		certain: false,
	},
];

function balanceItem(customerId: string): IDataObject {
	return {
		xeroContactFound: true,
		contactId: null,
		contactNumber: 'CUS-1',
		commusoftCustomerId: customerId,
		tenantId: 't',
		currency: 'GBP',
		asAt: '2026-11-20',
		balanceOutstanding: 10,
		balanceOverdue: 0,
		outstandingInvoiceCount: 1,
		overdueInvoiceCount: 0,
		overdueInvoicesTotal: 0,
		oldestOverdueDate: null,
		oldestOverdueDays: null,
		unallocatedCredit: 0,
		netBalance: 10,
		lastPaymentDate: null,
		lastPaymentAmount: null,
	};
}

async function runCase(testCase: Case, id: string, baseUrl = sandbox.apiBaseUrl) {
	const result = await runNode(
		'commusoft',
		testCase.parameters as never,
		[testCase.good(), testCase.bad(id)],
		{ commusoftApi: commusoftCredential({ ...sandbox, apiBaseUrl: baseUrl }) },
		{ node: { onError: 'continueRegularOutput' } },
	);
	expect(result.error).toBeUndefined();
	expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	return result.items.map((item) => item.json as IDataObject);
}

const description = (item: IDataObject) =>
	String((item.details as IDataObject | undefined)?.description ?? '');

describe('a 404 for a record that does not exist names the record, the id, the item and the fix', () => {
	for (const testCase of CASES) {
		it(`${testCase.name}`, async () => {
			for (const [n, id] of missingIds(CASES.indexOf(testCase) + 1).entries()) {
				if (testCase.name === 'Payment → Create') sandbox.state.reset(true);
				const [good, bad] = await runCase(testCase, id);
				expect(good.error, `${testCase.name} good item (${n})`).toBeUndefined();
				const message = String(bad.error);
				expect(message).toContain(`${testCase.record} "${id}"`);
				expect(message).toContain('on item 1');
				expect(message).not.toMatch(/endpoint|base URL/);
				if (testCase.writes) expect(message).toContain('nothing was written');
				if (testCase.certain) {
					expect(message).toContain('was not found (404)');
					expect(description(bad)).toContain(`Fix: check the ${testCase.record} id in Commusoft`);
					expect(description(bad)).not.toContain('base URL');
				} else {
					// Nothing can tell a missing job from a Commusoft without the assumed job endpoint: both are said.
					expect(description(bad)).toContain(`Fix: check the ${testCase.record} id in Commusoft`);
					expect(description(bad)).toContain('/jobs/{uuid}');
				}
			}
		});
	}
});

describe('a 404 because nothing is served there says so, not that a record is missing', () => {
	let bare: Server;
	let bareBase: string;
	beforeAll(async () => {
		// Logs in (so the base URL is half right) and serves nothing else: an API path that is not there.
		bare = createServer((req, res) => {
			if (req.url?.endsWith('/getToken')) {
				res.writeHead(200, { 'Content-Type': 'text/plain' }).end('bare-token-0001');
			} else {
				res.writeHead(404, { 'Content-Type': 'text/html' }).end('<h1>Not Found</h1>');
			}
		});
		await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
		bareBase = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/v1`;
	});
	afterAll(async () => await new Promise((resolve) => bare.close(resolve)));

	for (const testCase of CASES.filter((c) => c.certain)) {
		it(`${testCase.name}`, async () => {
			const id = missingIds(7)[0];
			const [, bad] = await runCase(testCase, id, bareBase);
			const message = String(bad.error);
			expect(message).toMatch(
				/endpoint \/\S+ returned 404 on item 1 — check the Commusoft base URL/,
			);
			expect(message).not.toContain('was not found');
		});
	}
});

describe('a 404 from an endpoint while the record exists blames the endpoint', () => {
	let proxy: Server;
	let proxyBase: string;
	/** `METHOD /path` patterns (after /api/v1) the proxy answers 404 for, as a Commusoft without that route. */
	const hidden: RegExp[] = [];
	beforeAll(async () => {
		proxy = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', async () => {
				const path = new URL(req.url ?? '/', 'http://x').pathname.replace('/api/v1', '');
				if (hidden.some((pattern) => pattern.test(`${req.method} ${path}`))) {
					res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
					return;
				}
				const headers: Record<string, string> = {};
				for (const [key, value] of Object.entries(req.headers))
					if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(key))
						headers[key] = value;
				const upstream = await fetch(`${sandbox.url}${req.url}`, {
					method: req.method,
					headers,
					body: chunks.length ? Buffer.concat(chunks) : undefined,
				});
				res
					.writeHead(upstream.status, {
						'Content-Type': upstream.headers.get('content-type') ?? 'text/plain',
					})
					.end(await upstream.text());
			});
		});
		await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
		proxyBase = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/v1`;
	});
	afterAll(async () => await new Promise((resolve) => proxy.close(resolve)));
	beforeEach(() => hidden.splice(0));

	it('a payment for an existing invoice on a Commusoft without POST /payments', async () => {
		hidden.push(/^POST \/payments$/);
		const invoice = unpaidInvoice();
		const [, bad] = await runCase(CASES[4], invoice.uuid, proxyBase);
		expect(String(bad.error)).toBe(
			`Commusoft payment endpoint /payments returned 404 on item 1 (invoice "${invoice.uuid}" exists) — check the Commusoft base URL`,
		);
		expect(description(bad)).toContain('POST /payments is an assumed endpoint');
	});

	it('a balance summary for an existing customer on a Commusoft without the summary endpoint', async () => {
		hidden.push(/^(GET|PUT) \/customers\/[^/]+\/accountingSummary$/);
		const customer = sandbox.state.data.customers[1];
		const [, bad] = await runCase(CASES[2], customer.uuid, proxyBase);
		expect(String(bad.error)).toMatch(
			new RegExp(
				`endpoint /customers/\\{uuid\\}/accountingSummary returned 404 on item 1 \\(customer "${customer.uuid}" exists\\)`,
			),
		);
	});

	it('an invoice read on a Commusoft that has no invoice API at all', async () => {
		hidden.push(/^GET \/invoices(\/.*)?$/);
		const [, bad] = await runCase(CASES[3], missingIds(3)[0], proxyBase);
		expect(String(bad.error)).toBe(
			'Commusoft invoice endpoint /invoices/{uuid} returned 404 on item 1 — check the Commusoft base URL',
		);
	});
});
