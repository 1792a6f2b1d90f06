// Xero's allowance per organisation (docs/xero-budget.md): settings cached per organisation across
// executions, small runs that spend only their writes and one contact read, stale settings re-read on
// refusal, one shared limiter for concurrent executions, and the daily budget reported before it is hit.
// Executions run through n8n-core's real WorkflowExecute against the Xero sandbox.
import { sleep } from 'n8n-workflow';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { customer, invoice } from '../../bench/lib/invoiceFixtures';
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import { ORG_SETTINGS_CACHE } from '../../nodes/Xero/transport/orgSettings';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { runNode, type RunNodeResult } from '../helpers/n8nCore';
import { addXeroOrg, UNLIMITED, xeroApiCall, type XeroOrg } from '../helpers/xeroSandbox';

const SETTINGS = ['GET /Accounts', 'GET /TaxRates', 'GET /TrackingCategories', 'GET /Items'];

function params(tenantId: string, options: IDataObject = {}): INodeParameters {
	return {
		resource: 'invoice',
		operation: 'upsert',
		tenantId,
		invoiceSource: 'item',
		matchOn: 'invoiceNumber',
		status: 'AUTHORISED',
		contactFallback: 'email',
		tracking: { mapping: [{ category: 'Business Unit', option: '={{ $json.category }}' }] },
		options,
		requestOptions: { retryDelayMs: 20, timeoutMs: 5000 },
	} as INodeParameters;
}

async function upsert(
	org: XeroOrg,
	invoices: CommusoftInvoiceInput[],
	options: IDataObject = {},
	tenant = org.tenantId,
): Promise<RunNodeResult> {
	return await runNode(
		'xeroAccounting',
		params(tenant, options),
		invoices.map((json) => ({ json: json as IDataObject })),
		org.credentials,
		{ node: { onError: 'continueErrorOutput' } },
	);
}

describe('organisation settings cache and small runs (sandbox)', () => {
	let xero: XeroSandbox;
	let counter = 0;
	const freshOrg = () => addXeroOrg(xero, `Budget test org ${++counter}`, 'empty');
	const callsFor = (org: XeroOrg) => xero.calls().filter((c) => c.tenantId === org.tenantId);
	const endpoints = (org: XeroOrg) => callsFor(org).map((c) => c.endpoint);
	const settingsReads = (org: XeroOrg) => endpoints(org).filter((e) => SETTINGS.includes(e));
	const call = async (org: XeroOrg, method: string, path: string, body?: unknown) =>
		await xeroApiCall({ url: xero.url, ...org }, method, path, body);

	beforeAll(async () => {
		xero = await startXeroSandbox({ log: () => {}, limits: UNLIMITED });
	});
	afterAll(async () => await xero.close());
	const ttl = ORG_SETTINGS_CACHE.ttlMs;
	afterEach(() => {
		ORG_SETTINGS_CACHE.ttlMs = ttl;
	});

	it('reads settings once per organisation across executions; small runs then cost ≤ 2 / 3 / 3 calls', async () => {
		const org = freshOrg();
		const known = customer(1);
		const first = await upsert(org, [invoice(1, known)]);
		expect(first.outputs[1] ?? []).toEqual([]);
		expect(settingsReads(org).sort()).toEqual([
			'GET /Accounts',
			'GET /TaxRates',
			'GET /TrackingCategories',
		]);

		// One invoice, contact already in Xero: the contact read and the create.
		xero.clearCalls();
		const one = await upsert(org, [invoice(2, known)]);
		expect(one.items.map((i) => i.json.action)).toEqual(['created']);
		expect(endpoints(org)).toEqual(['GET /Contacts', 'PUT /Invoices']);

		// One invoice, new customer: plus the contact create.
		xero.clearCalls();
		const fresh = await upsert(org, [invoice(3, customer(2))]);
		expect(fresh.items.map((i) => [i.json.action, i.json.contactAction])).toEqual([
			['created', 'created'],
		]);
		expect(endpoints(org).sort()).toEqual(['GET /Contacts', 'PUT /Contacts', 'PUT /Invoices']);

		// Five invoices for known customers: still one contact read and one batch.
		xero.clearCalls();
		const five = await upsert(
			org,
			[4, 5, 6, 7, 8].map((n) => invoice(n, n % 2 ? known : customer(2))),
		);
		expect(five.items.map((i) => i.json.action)).toEqual(Array(5).fill('created'));
		expect(endpoints(org).length).toBeLessThanOrEqual(3);
		expect(settingsReads(org)).toEqual([]);

		// An edit of an invoice this process wrote: looked up first, updated keeping its LineItemIDs.
		const before = xero
			.state(org.tenantId)
			.invoices.find((i) => i.InvoiceNumber === 'CS-10002')!
			.LineItems.map((l) => l.LineItemID)
			.sort();
		xero.clearCalls();
		const edit = await upsert(org, [invoice(2, known, { variant: 1 })]);
		expect(edit.items.map((i) => i.json.action)).toEqual(['updated']);
		expect(endpoints(org).sort()).toEqual(['GET /Contacts', 'GET /Invoices', 'POST /Invoices']);
		const after = xero.state(org.tenantId).invoices.filter((i) => i.InvoiceNumber === 'CS-10002');
		expect(after).toHaveLength(1);
		expect(after[0].LineItems.map((l) => l.LineItemID).sort()).toEqual(before);
	});

	it('an invoice number this process never saw but Xero holds is refused as a create, then updated, never duplicated', async () => {
		const org = freshOrg();
		const cust = customer(3);
		await upsert(org, [invoice(20, cust)]); // contact and settings
		// CS-10021 made in Xero by someone else (another worker, the Xero UI), with other lines.
		const contactId = xero.state(org.tenantId).contacts[0].ContactID;
		await call(org, 'PUT', '/Invoices', {
			Invoices: [
				{
					Type: 'ACCREC',
					InvoiceNumber: 'CS-10021',
					Contact: { ContactID: contactId },
					Status: 'DRAFT',
					LineItems: [
						{ Description: 'made in Xero', Quantity: 1, UnitAmount: 5, AccountCode: '200' },
					],
				},
			],
		});
		// ... and a paid one, which must stay as it is.
		xero.clearCalls();
		const run = await upsert(org, [invoice(21, cust), invoice(22, cust)]);
		expect(run.outputs[1] ?? []).toEqual([]);
		expect(run.items.map((i) => [i.json.invoiceNumber, i.json.action])).toEqual([
			['CS-10021', 'updated'],
			['CS-10022', 'created'],
		]);
		const stored = xero.state(org.tenantId).invoices.filter((i) => i.InvoiceNumber === 'CS-10021');
		expect(stored).toHaveLength(1);
		expect(stored[0].LineItems.map((l) => l.Description)).toContain('Labour');
		expect(endpoints(org).filter((e) => e === 'PUT /Invoices')).toHaveLength(1);

		// A paid invoice Xero holds under a number never seen: the create is refused and the edit too.
		await call(org, 'PUT', '/Invoices', {
			Invoices: [
				{
					Type: 'ACCREC',
					InvoiceNumber: 'CS-10023',
					Contact: { ContactID: contactId },
					Status: 'AUTHORISED',
					Date: '2026-11-02',
					DueDate: '2026-12-02',
					LineItems: [{ Description: 'paid', Quantity: 1, UnitAmount: 10, AccountCode: '200' }],
				},
			],
		});
		const paidId = xero
			.state(org.tenantId)
			.invoices.find((i) => i.InvoiceNumber === 'CS-10023')!.InvoiceID;
		const bank = xero.state(org.tenantId).accounts.find((a) => a.Type === 'BANK')!;
		await call(org, 'PUT', '/Payments', {
			Payments: [
				{
					Invoice: { InvoiceID: paidId },
					Account: { AccountID: bank.AccountID },
					Amount: 12,
					Date: '2026-11-03',
				},
			],
		});
		const paidRun = await upsert(org, [invoice(23, cust)]);
		expect(String(paidRun.outputs[1][0].json.error)).toMatch(/Xero will not edit invoice CS-10023/);
		expect(
			xero.state(org.tenantId).invoices.filter((i) => i.InvoiceNumber === 'CS-10023'),
		).toHaveLength(1);
	});

	it('re-reads settings after they expire', async () => {
		const org = freshOrg();
		ORG_SETTINGS_CACHE.ttlMs = 40;
		await upsert(org, [invoice(30, customer(4))]);
		await sleep(80);
		xero.clearCalls();
		await upsert(org, [invoice(31, customer(4))]);
		expect(settingsReads(org).sort()).toEqual([
			'GET /Accounts',
			'GET /TaxRates',
			'GET /TrackingCategories',
		]);
	});

	it('keeps each organisation its own settings', async () => {
		const a = freshOrg();
		const b = freshOrg();
		await upsert(a, [invoice(40, customer(5))]);
		// b's nominal code 230 archived in b only: b's check must use b's accounts, not a's.
		const b230 = xero.state(b.tenantId).accounts.find((x) => x.Code === '230')!;
		await call(b, 'POST', `/Accounts/${b230.AccountID}`, {
			Accounts: [{ Status: 'ARCHIVED' }],
		});
		xero.clearCalls();
		const runB = await upsert(b, [invoice(43, customer(5))]); // lines on 230, 240, 200
		expect(settingsReads(b).sort()).toEqual([
			'GET /Accounts',
			'GET /TaxRates',
			'GET /TrackingCategories',
		]);
		expect(endpoints(b)).not.toContain('PUT /Invoices');
		expect(String((runB.outputs[1][0].json.details as IDataObject).description)).toMatch(/230/);
		xero.clearCalls();
		const runA = await upsert(a, [invoice(43, customer(5))]);
		expect(runA.items.map((i) => i.json.action)).toEqual(['created']);
		expect(settingsReads(a)).toEqual([]);
	});

	it('a code the cache holds but Xero now refuses: one re-read, only that invoice retried and reported', async () => {
		const org = freshOrg();
		await upsert(org, [invoice(50, customer(6))]); // caches the accounts with 230 active
		const acc230 = xero.state(org.tenantId).accounts.find((x) => x.Code === '230')!;
		await call(org, 'POST', `/Accounts/${acc230.AccountID}`, {
			Accounts: [{ Status: 'ARCHIVED' }],
		});
		xero.clearCalls();
		// 53 uses 230 (codes 230, 240, 200); 54 and 55 do not.
		const run = await upsert(org, [
			invoice(53, customer(6)),
			invoice(54, customer(6)),
			invoice(55, customer(6)),
		]);
		expect(run.items.map((i) => [i.json.invoiceNumber, i.json.action])).toEqual([
			['CS-10054', 'created'],
			['CS-10055', 'created'],
		]);
		expect(run.outputs[1]).toHaveLength(1);
		expect(run.outputs[1][0].pairedItem).toEqual({ item: 0 });
		expect(String((run.outputs[1][0].json.details as IDataObject).description)).toMatch(
			/AccountCode \(nominalCode\): account code "230"/,
		);
		// one batch write (the refusal), one fresh read of the settings, no second write
		expect(endpoints(org).filter((e) => e === 'PUT /Invoices' || e === 'POST /Invoices')).toEqual([
			'PUT /Invoices',
		]);
		expect(endpoints(org).filter((e) => e === 'GET /Accounts')).toHaveLength(1);
		expect(xero.state(org.tenantId).invoices.filter((i) => i.InvoiceNumber === 'CS-10053')).toEqual(
			[],
		);
	});

	it('a code or tracking option added in Xero after the cache was filled is read again, not refused', async () => {
		const org = freshOrg();
		await upsert(org, [invoice(60, customer(7))]);
		await call(org, 'PUT', '/Accounts', {
			Code: '265',
			Name: 'Boiler servicing',
			Type: 'REVENUE',
			TaxType: 'OUTPUT2',
		});
		const unit = xero
			.state(org.tenantId)
			.trackingCategories.find((c) => c.Name === 'Business Unit')!;
		await call(org, 'PUT', `/TrackingCategories/${unit.TrackingCategoryID}/Options`, {
			Name: 'Renewables',
		});
		const input = invoice(61, customer(7), { unit: 'Renewables' });
		input.lines![0].nominalCode = '265';
		xero.clearCalls();
		const run = await upsert(org, [input]);
		expect(run.outputs[1] ?? []).toEqual([]);
		expect(run.items.map((i) => i.json.action)).toEqual(['created']);
		const stored = xero.state(org.tenantId).invoices.find((i) => i.InvoiceNumber === 'CS-10061')!;
		expect(stored.LineItems[0].AccountCode).toBe('265');
		expect(stored.LineItems[0].Tracking.map((t) => t.Option)).toEqual(['Renewables']);
		expect(settingsReads(org).filter((e) => e === 'GET /Accounts')).toHaveLength(1);
	});

	it('a tracking option the node creates drops the cached categories', async () => {
		const org = freshOrg();
		await upsert(org, [invoice(70, customer(8))]);
		const first = await upsert(org, [invoice(71, customer(8), { unit: 'Solar' })], {
			createTrackingOptions: true,
		});
		expect(first.items.map((i) => i.json.action)).toEqual(['created']);
		xero.clearCalls();
		// The option made by the run above is known at once, without creating it twice.
		const again = await upsert(org, [invoice(72, customer(8), { unit: 'Solar' })]);
		expect(again.items.map((i) => i.json.action)).toEqual(['created']);
		expect(endpoints(org).filter((e) => e.startsWith('PUT /TrackingCategories'))).toEqual([]);
	});
});

describe('one limiter per organisation for the whole process (sandbox)', () => {
	let xero: XeroSandbox;
	beforeAll(async () => {
		// Xero's concurrent limit (5 in flight) on, the minute limit out of the way; every call takes 40 ms so
		// calls of two executions overlap.
		xero = await startXeroSandbox({
			log: () => {},
			limits: UNLIMITED,
			faults: { latencyMs: 40 },
		});
	});
	afterAll(async () => await xero.close());

	it('two executions at once never have more than 5 calls in flight to one organisation', async () => {
		const org = addXeroOrg(xero, 'Concurrent Plumbing Ltd', 'empty');
		const batch = (from: number) =>
			Array.from({ length: 40 }, (_, n) => invoice(from + n, customer(n % 8)));
		await upsert(org, [invoice(999, customer(0))]); // settings cached, as in a running process
		xero.clearCalls();
		const runs = await Promise.all([
			upsert(org, batch(100), { batchSize: 4 }),
			upsert(org, batch(200), { batchSize: 4 }),
		]);
		for (const run of runs) expect(run.outputs[1] ?? []).toEqual([]);
		const calls = xero.calls().filter((c) => c.tenantId === org.tenantId);
		expect(calls.length).toBeGreaterThan(20);
		expect(calls.filter((c) => c.status === 429)).toEqual([]);
		// in flight, from the sandbox's own log (start = at, end = at + ms)
		const edges = calls.flatMap((c) => [
			{ t: c.at, d: 1 },
			{ t: c.at + c.ms, d: -1 },
		]);
		edges.sort((x, y) => x.t - y.t || x.d - y.d);
		let inFlight = 0;
		let peak = 0;
		for (const e of edges) peak = Math.max(peak, (inFlight += e.d));
		expect(peak).toBeLessThanOrEqual(5);
	});
});

describe('daily budget (sandbox)', () => {
	let xero: XeroSandbox;
	beforeAll(async () => {
		xero = await startXeroSandbox({
			log: () => {},
			limits: { ...UNLIMITED, perTenantDay: 506 },
		});
	});
	afterAll(async () => await xero.close());

	it('warns, naming the organisation, before the daily limit is hit', async () => {
		const org = addXeroOrg(xero, 'Nearly Spent Heating Ltd', 'empty');
		const run = await upsert(org, [invoice(1, customer(1))], {}, 'Nearly Spent Heating Ltd');
		expect(run.outputs[1] ?? []).toEqual([]);
		const [result] = run.items.map((i) => i.json);
		expect(result.action).toBe('created');
		const warnings = (result.warnings as string[]).filter((w) => /calls left today/.test(w));
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain('"Nearly Spent Heating Ltd"');
		expect(warnings[0]).toContain(org.tenantId);
		expect(warnings[0]).toMatch(/has 500 API calls left today/);
	});
});
