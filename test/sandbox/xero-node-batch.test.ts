/* eslint-disable @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { XeroAccountingOAuth2Api } from '../../credentials/XeroAccountingOAuth2Api.credentials';
import {
	configureXeroTransport,
	xeroApiRequestFull,
	xeroBatchWrite,
	xeroCallStats,
} from '../../nodes/Xero/transport';
import { loadPackageTypes, runNode, type PackageTypes } from '../helpers/n8nCore';
import { xeroTestClient } from '../../sandbox/xero/client';
import type { XeroSandbox } from '../../sandbox/xero/server';
import { GRANULAR_PKCE, useXeroSandboxPerFile, xeroCredential } from '../helpers/xeroSandbox';

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

// xeroBatchWrite is what the invoice upsert and payment writes stand on. A test-only node calls it from a real
// n8n-core ExecuteContext (OAuth2 through httpRequestWithAuthentication), with the input items as elements.
class XeroBatchProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Xero Batch Probe',
		name: 'xeroBatchProbe',
		group: ['transform'],
		version: 1,
		description: 'Test-only: writes its input items to Xero through xeroBatchWrite',
		usableAsTool: true,
		defaults: { name: 'Xero Batch Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'xeroAccountingOAuth2Api', required: true }],
		properties: [
			{ displayName: 'Tenant', name: 'tenantId', type: 'string', default: '' },
			{ displayName: 'Method', name: 'method', type: 'string', default: 'PUT' },
			// 'reads': N sequential GET /Organisation with the throttle limits given as JSON
			{ displayName: 'Mode', name: 'mode', type: 'string', default: 'batch' },
			{ displayName: 'Reads', name: 'reads', type: 'number', default: 0 },
			{ displayName: 'Throttle', name: 'throttle', type: 'json', default: '{}' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		configureXeroTransport(this, { maxRetries: 3, backoff: { baseDelayMs: 10, maxDelayMs: 50 } });
		if (this.getNodeParameter('mode', 0) === 'reads') {
			const throttle = JSON.parse(this.getNodeParameter('throttle', 0) as string) as IDataObject;
			configureXeroTransport(this, { throttle: throttle as never });
			const out: INodeExecutionData[] = [];
			const reads = this.getNodeParameter('reads', 0) as number;
			for (let i = 0; i < reads; i++) {
				const response = await xeroApiRequestFull(this, {
					method: 'GET',
					path: '/Organisation',
					tenantId: this.getNodeParameter('tenantId', 0) as string,
				});
				out.push({
					json: { minuteRemaining: response.limits.minuteRemaining, attempts: response.attempts },
					pairedItem: { item: 0 },
				});
			}
			return [out];
		}
		const items = this.getInputData();
		const results = await xeroBatchWrite(this, {
			method: this.getNodeParameter('method', 0) as 'PUT' | 'POST',
			path: '/Invoices',
			tenantId: this.getNodeParameter('tenantId', 0) as string,
			collectionKey: 'Invoices',
			elements: items.map((item) => item.json),
			qs: { unitdp: 4 },
		});
		const stats = xeroCallStats(this);
		return [
			results.map((result, index) => ({
				json: { ...(result as unknown as IDataObject), stats: { ...stats } },
				pairedItem: { item: index },
			})),
		];
	}
}

let sandbox: XeroSandbox;
let tenantId: string;
let types: PackageTypes;

function credentials() {
	return {
		xeroAccountingOAuth2Api: xeroCredential(sandbox.url, sandbox.issueToken(), GRANULAR_PKCE),
	};
}

function invoices(count: number, prefix: string): IDataObject[] {
	const contact = sandbox.state().contacts[0];
	const account = sandbox
		.state()
		.accounts.find((a) => a.Class === 'REVENUE' && a.Status === 'ACTIVE' && a.Code)!;
	return Array.from({ length: count }, (_, i) => ({
		Type: 'ACCREC',
		InvoiceNumber: `${prefix}-${String(i + 1).padStart(4, '0')}`,
		Contact: { ContactID: contact.ContactID },
		Date: '2026-03-02',
		DueDate: '2026-04-01',
		Status: 'DRAFT',
		LineItems: [
			{ Description: `Labour ${i}`, Quantity: 1.5, UnitAmount: 45.1234, AccountCode: account.Code },
		],
	}));
}

const invoiceWrites = () =>
	sandbox.calls().filter((c) => c.method === 'PUT' && c.path.includes('/Invoices'));

useXeroSandboxPerFile(async (started) => {
	sandbox = started;
	tenantId = started.defaultTenantId;
	types = await loadPackageTypes({
		nodes: [XeroBatchProbe],
		credentials: [XeroAccountingOAuth2Api],
	});
});

describe('xeroBatchWrite', () => {
	it('writes 120 elements in requests of at most 50, one ordered result per element', async () => {
		const before = sandbox.state().invoices.length;
		const input = invoices(120, 'BW');
		const run = await runNode('xeroBatchProbe', { tenantId }, input, credentials(), { types });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(120);
		expect(run.items.every((i) => i.json.ok === true)).toBe(true);
		expect(run.items.map((i) => (i.json.element as IDataObject).InvoiceNumber)).toEqual(
			input.map((i) => i.InvoiceNumber),
		);
		expect(run.items.map((i) => i.json.index)).toEqual(input.map((_, index) => index));
		// 4-dp unit amounts survived because unitdp=4 went with the write
		const stored = sandbox.state().invoices.find((i) => i.InvoiceNumber === 'BW-0001')!;
		expect(stored.LineItems[0].UnitAmount).toBe(45.1234);
		expect(sandbox.state().invoices.length).toBe(before + 120);
		const writes = invoiceWrites();
		expect(writes).toHaveLength(3);
		expect(writes.every((c) => c.status === 200)).toBe(true);
		// distinct batches carry distinct keys
		expect(new Set(run.items.map((i) => i.json.idempotencyKey)).size).toBe(3);
	});

	it('keeps at most 5 requests in flight per tenant (the sandbox enforces 5 concurrent)', async () => {
		sandbox.setFaults({ latencyMs: 150, pathContains: '/Invoices' });
		const input = invoices(500, 'CC');
		const run = await runNode('xeroBatchProbe', { tenantId }, input, credentials(), { types });
		expect(run.error).toBeUndefined();
		expect(run.items.every((i) => i.json.ok === true)).toBe(true);
		const writes = invoiceWrites();
		expect(writes).toHaveLength(10);
		expect(writes.every((c) => c.status === 200)).toBe(true);
		// overlap from the call log: start = at, end = at + ms
		let peak = 0;
		for (const w of writes) {
			const inFlight = writes.filter((o) => o.at <= w.at && w.at < o.at + o.ms).length;
			peak = Math.max(peak, inFlight);
		}
		expect(peak).toBeGreaterThan(1);
		expect(peak).toBeLessThanOrEqual(5);
	});

	it('reports invalid elements on their own and keeps the valid ones', async () => {
		const input = invoices(4, 'MX');
		input[1] = {
			...input[1],
			LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1, AccountCode: 'NOPE' }],
		};
		input[3] = { ...input[3], InvoiceNumber: input[0].InvoiceNumber };
		const run = await runNode('xeroBatchProbe', { tenantId }, input, credentials(), { types });
		expect(run.error).toBeUndefined();
		const ok = run.items.map((i) => i.json.ok);
		expect(ok[0]).toBe(true);
		expect(ok[1]).toBe(false);
		expect(ok[2]).toBe(true);
		expect(String(run.items[1].json.error)).toMatch(/^Xero rejected this record: /);
		expect((run.items[1].json.validationErrors as string[]).join(' ')).toMatch(/NOPE|account/i);
		expect(run.items[1].json.input).toEqual(input[1]);
		// one request, summarizeErrors=false so it answered 200 with every element
		expect(invoiceWrites()).toHaveLength(1);
		expect(invoiceWrites()[0].status).toBe(200);
	});

	it("sending the same batch again is answered from Xero's idempotency cache: nothing is created twice", async () => {
		const input = invoices(60, 'ID');
		const first = await runNode('xeroBatchProbe', { tenantId }, input, credentials(), { types });
		const countAfterFirst = sandbox.state().invoices.length;
		sandbox.clearCalls();
		const again = await runNode('xeroBatchProbe', { tenantId }, input, credentials(), { types });
		expect(again.error).toBeUndefined();
		expect(sandbox.state().invoices.length).toBe(countAfterFirst);
		expect(again.items.map((i) => i.json.idempotencyKey)).toEqual(
			first.items.map((i) => i.json.idempotencyKey),
		);
		expect(again.items.map((i) => (i.json.element as IDataObject).InvoiceID)).toEqual(
			first.items.map((i) => (i.json.element as IDataObject).InvoiceID),
		);
		expect(invoiceWrites().every((c) => c.idempotentReplay === true)).toBe(true);
	});

	it('retries a batch through 5xx and dropped connections and still writes each element once', async () => {
		sandbox.setFaults({ seed: 11, error503Rate: 0.3, resetRate: 0.2, pathContains: '/Invoices' });
		const before = sandbox.state().invoices.length;
		const input = invoices(150, 'RT');
		const run = await runNode('xeroBatchProbe', { tenantId }, input, credentials(), { types });
		expect(run.error).toBeUndefined();
		expect(run.items.every((i) => i.json.ok === true)).toBe(true);
		expect(sandbox.state().invoices.length).toBe(before + 150);
		const numbers = sandbox
			.state()
			.invoices.map((i) => i.InvoiceNumber)
			.filter((n) => n?.startsWith('RT-'));
		expect(new Set(numbers).size).toBe(150);
		const writes = invoiceWrites();
		expect(writes.filter((c) => c.fault).length).toBeGreaterThan(0);
		expect((run.items[0].json.stats as IDataObject).retried).toBeGreaterThan(0);
	});

	it('fails only the elements of a batch that never got through, with the reason', async () => {
		sandbox.setFaults({ down: true });
		const run = await runNode('xeroBatchProbe', { tenantId }, invoices(3, 'DN'), credentials(), {
			types,
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.ok)).toEqual([false, false, false]);
		expect(String(run.items[0].json.error)).toMatch(/server error/i);
		expect(run.items[0].json.statusCode).toBe(503);
		// 1 try + 3 retries, then the elements fail; nothing was written
		expect(invoiceWrites()).toHaveLength(4);
	});

	it('slows down before the minute wall when Xero reports others using the allowance', async () => {
		// A 1-second "minute" with 10 calls, 7 of them already spent by someone else.
		sandbox.setTimeScale(60);
		sandbox.setLimits({ perTenantMinute: 10 });
		const limits = { concurrency: 5, perMinute: 10, windowMs: 1000 };
		const organisationCalls = () => sandbox.calls().filter((c) => c.path.includes('/Organisation'));
		const burnSevenCalls = async () => {
			const other = xeroTestClient(sandbox, { tenantId });
			for (let i = 0; i < 7; i++)
				expect((await other.call('GET', '/Organisation')).status).toBe(200);
		};
		try {
			// Control: the same run with header pacing disabled walks into the wall.
			await sleep(1100);
			sandbox.clearCalls();
			await burnSevenCalls();
			const control = await runNode(
				'xeroBatchProbe',
				{
					tenantId,
					mode: 'reads',
					reads: 5,
					throttle: JSON.stringify({ ...limits, lowWater: -1 }),
				},
				[{}],
				credentials(),
				{ types },
			);
			expect(control.error).toBeUndefined();
			expect(organisationCalls().filter((c) => c.status === 429).length).toBeGreaterThan(0);

			await sleep(1100);
			sandbox.clearCalls();
			await burnSevenCalls();
			const paced = await runNode(
				'xeroBatchProbe',
				{ tenantId, mode: 'reads', reads: 5, throttle: JSON.stringify({ ...limits, lowWater: 5 }) },
				[{}],
				credentials(),
				{ types },
			);
			expect(paced.error).toBeUndefined();
			expect(paced.items).toHaveLength(5);
			const calls = organisationCalls();
			expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
			// after the first answer (2 left, none of them ours) the run spaced its calls out
			const own = calls.slice(7);
			expect(own[1].at - own[0].at).toBeGreaterThanOrEqual(300);
		} finally {
			sandbox.setTimeScale(1);
			sandbox.setLimits({ perTenantMinute: 60 });
		}
	});
});
