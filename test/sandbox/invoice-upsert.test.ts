// Invoice → Upsert through n8n-core's real WorkflowExecute (test/helpers/n8nCore) against the Xero sandbox.
// Each test works in its own fresh organisation so results never depend on test order.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { customer, invoice } from '../../bench/lib/invoiceFixtures';
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { expectChatSafe, hostileText, slackShows } from '../helpers/chatSafety';
import { runNode, type RunNodeResult } from '../helpers/n8nCore';
import { addXeroOrg, xeroApiCall, type XeroOrg } from '../helpers/xeroSandbox';

let xero: XeroSandbox;
let tenantCounter = 0;

beforeAll(async () => {
	// The minute limit is not what most of these tests are about; the storm test below turns 429s on.
	xero = await startXeroSandbox({
		log: () => {},
		limits: { perTenantMinute: 100_000, appMinute: 100_000 },
	});
});
afterAll(async () => await xero.close());

type Org = XeroOrg;

const freshOrg = (data: 'full' | 'empty' = 'empty'): Org =>
	addXeroOrg(xero, `Upsert test org ${++tenantCounter}`, data);

const xeroCall = async (org: Org, method: string, path: string, body?: unknown) =>
	await xeroApiCall({ url: xero.url, ...org }, method, path, body);

function params(org: Org, overrides: IDataObject = {}, options: IDataObject = {}): INodeParameters {
	return {
		resource: 'invoice',
		operation: 'upsert',
		tenantId: org.tenantId,
		invoiceSource: 'item',
		matchOn: 'invoiceNumber',
		status: 'AUTHORISED',
		contactFallback: 'email',
		tracking: { mapping: [{ category: 'Business Unit', option: '={{ $json.category }}' }] },
		options: { createTrackingOptions: false, ...options },
		requestOptions: { retryDelayMs: 20, timeoutMs: 3000 },
		...overrides,
	} as INodeParameters;
}

async function upsert(
	org: Org,
	invoices: CommusoftInvoiceInput[],
	overrides: IDataObject = {},
	options: IDataObject = {},
	onError?: 'continueErrorOutput' | 'continueRegularOutput',
): Promise<RunNodeResult> {
	return await runNode(
		'xeroAccounting',
		params(org, overrides, options),
		invoices.map((json) => ({ json: json as IDataObject })),
		org.credentials,
		onError ? { node: { onError } } : {},
	);
}

const state = (org: Org) => xero.state(org.tenantId);
const invoiceIn = (org: Org, number: string) =>
	state(org).invoices.filter((i) => i.InvoiceNumber === number);
const callsFor = (org: Org) => xero.calls().filter((c) => c.tenantId === org.tenantId);
const json = (items: INodeExecutionData[]) => items.map((i) => i.json);

describe('Invoice → Upsert (sandbox)', () => {
	it('creates invoices with per-line codes, VAT map, 4 dp, tracking and new contacts, one per input item', async () => {
		const org = freshOrg();
		const input = [invoice(1, customer(1)), invoice(2, customer(2)), invoice(3, customer(1))];
		const run = await upsert(org, input);
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(json(run.items).map((r) => [r.action, r.invoiceNumber, r.status])).toEqual([
			['created', 'CS-10001', 'AUTHORISED'],
			['created', 'CS-10002', 'AUTHORISED'],
			['created', 'CS-10003', 'AUTHORISED'],
		]);
		expect(json(run.items).map((r) => r.contactAction)).toEqual(['created', 'created', 'created']);
		// one contact per customer account, keyed by ContactNumber
		const contacts = state(org).contacts.filter((c) => c.ContactNumber?.startsWith('CUS-'));
		expect(contacts.map((c) => c.ContactNumber).sort()).toEqual(['CUS-00001', 'CUS-00002']);
		expect(run.items[0].json.contactId).toBe(run.items[2].json.contactId);

		const [stored] = invoiceIn(org, 'CS-10001');
		expect(stored.LineItems.map((l) => [l.AccountCode, l.TaxType])).toEqual([
			['210', 'OUTPUT2'],
			['220', 'OUTPUT2'],
			['230', 'RROUTPUT'],
		]);
		expect(stored.LineItems[1].UnitAmount).toBe(13.3456); // 4 dp kept (unitdp=4)
		expect(stored.LineItems[0].Quantity).toBe(1.5);
		expect(stored.LineItems[2].DiscountRate).toBe(10);
		expect(stored.LineItems[0].Tracking.map((t) => [t.Name, t.Option])).toEqual([
			['Business Unit', 'Heating'],
		]);
		expect(stored.Url).toBe('https://app.commusoft.test/invoices/1');
		// writes: one contact batch + one invoice batch, each with an Idempotency-Key and summarizeErrors=false;
		// numbers never seen in Xero go by PUT (create only), without a look-up first
		const writes = callsFor(org).filter((c) => c.method !== 'GET');
		expect(writes.map((c) => c.endpoint).sort()).toEqual(['PUT /Contacts', 'PUT /Invoices']);
		expect(callsFor(org).filter((c) => c.endpoint === 'GET /Invoices')).toEqual([]);
	});

	it('updates an editable invoice keeping its LineItemIDs, and leaves an identical one alone', async () => {
		const org = freshOrg();
		const cust = customer(7);
		await upsert(org, [invoice(10, cust), invoice(11, cust)]);
		const before = invoiceIn(org, 'CS-10010')[0].LineItems.map((l) => l.LineItemID);

		const changed = invoice(10, cust, { variant: 1 }); // labour quantity 1.5 → 2.5
		changed.lines!.reverse(); // and the lines come back in another order
		xero.clearCalls();
		const run = await upsert(org, [changed, invoice(11, cust)]);
		expect(json(run.items).map((r) => r.action)).toEqual(['updated', 'unchanged']);
		const after = invoiceIn(org, 'CS-10010');
		expect(after).toHaveLength(1);
		expect(after[0].LineItems.map((l) => l.LineItemID).sort()).toEqual([...before].sort());
		expect(after[0].LineItems.find((l) => l.Description === 'Labour')?.Quantity).toBe(2.5);
		// the unchanged invoice was not sent: the only invoice write carried one element
		const posts = callsFor(org).filter(
			(c) => c.method === 'POST' && c.endpoint === 'POST /Invoices',
		);
		expect(posts).toHaveLength(1);

		xero.clearCalls();
		const again = await upsert(org, [changed, invoice(11, cust)]);
		expect(json(again.items).map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
		expect(callsFor(org).filter((c) => c.method !== 'GET')).toEqual([]);
	});

	it('sends edits Xero will not take (paid, part-paid, voided) to the error output by default, or reports them on the success output when asked', async () => {
		const org = freshOrg();
		const cust = customer(3);
		const input = [20, 21, 22, 23].map((n) => invoice(n, cust));
		const first = await upsert(org, input);
		const ids = json(first.items).map((r) => r.invoiceId as string);
		const total = (id: string) => state(org).invoices.find((i) => i.InvoiceID === id)!.Total;
		const account = { Code: '090' };
		await xeroCall(org, 'PUT', '/Payments', {
			Payments: [
				{
					Invoice: { InvoiceID: ids[0] },
					Account: account,
					Amount: total(ids[0]),
					Date: '2026-11-10',
				},
				{ Invoice: { InvoiceID: ids[1] }, Account: account, Amount: 10, Date: '2026-11-10' },
			],
		});
		await xeroCall(org, 'POST', `/Invoices/${ids[2]}`, {
			Invoices: [{ InvoiceID: ids[2], Status: 'VOIDED' }],
		});

		// Default: a refused edit is a failed item, so it leaves by the error output someone watches.
		const edited = [20, 21, 22, 23].map((n) => invoice(n, cust, { variant: 2 }));
		const run = await upsert(org, edited, {}, {}, 'continueErrorOutput');
		expect(run.error).toBeUndefined();
		const [ok, refused] = run.outputs;
		expect(json(ok).map((r) => [r.action, r.invoiceNumber])).toEqual([['updated', 'CS-10023']]);
		expect(refused.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const details = refused.map((i) => i.json.details as IDataObject);
		expect(refused.map((i) => String(i.json.error))).toEqual([
			expect.stringMatching(/^Xero will not edit invoice CS-10020: paid/),
			expect.stringMatching(/^Xero will not edit invoice CS-10021: part-paid/),
			expect.stringMatching(/^Xero will not edit invoice CS-10022: voided/),
		]);
		expect(details.map((d) => [d.action, d.status, d.invoiceId])).toEqual([
			['refused', 'PAID', ids[0]],
			['refused', 'AUTHORISED', ids[1]],
			['refused', 'VOIDED', ids[2]],
		]);
		expect(String(details[0].description)).toMatch(/credit note/);

		// Without an error output the run stops, naming the item, after the other invoices were written.
		const stopped = await upsert(org, [invoice(20, cust, { variant: 2 })]);
		expect(stopped.error?.message).toMatch(/Item 0: Xero will not edit invoice CS-10020: paid/);

		// Asked for: the same refusals are results on the success output.
		const reported = await upsert(org, edited, {}, { refusedInvoices: 'report' });
		expect(reported.error).toBeUndefined();
		const results = json(reported.items);
		expect(results.map((r) => r.action)).toEqual(['refused', 'refused', 'refused', 'unchanged']);
		expect(results[0].reason).toMatch(/paid/);
		expect(results[1].reason).toMatch(/part-paid/);
		expect(results[2].reason).toMatch(/voided/);
		expect(results[0].status).toBe('PAID');
		expect(state(org).invoices.find((i) => i.InvoiceID === ids[1])!.LineItems[0].Quantity).toBe(
			1.5,
		);
	});

	it('a paid invoice re-sent as it is in Xero is unchanged, not a refused edit', async () => {
		const org = freshOrg();
		const cust = customer(4);
		const input = [invoice(30, cust), invoice(31, cust)];
		const first = await upsert(org, input);
		const ids = json(first.items).map((r) => r.invoiceId as string);
		const paid = state(org).invoices.find((i) => i.InvoiceID === ids[0])!;
		await xeroCall(org, 'PUT', '/Payments', {
			Payments: [
				{
					Invoice: { InvoiceID: ids[0] },
					Account: { Code: '090' },
					Amount: paid.Total,
					Date: '2026-11-10',
				},
			],
		});
		await xeroCall(org, 'POST', `/Invoices/${ids[1]}`, {
			Invoices: [{ InvoiceID: ids[1], Status: 'VOIDED' }],
		});
		const cancelled = { ...invoice(31, cust), status: 'cancelled' as const };
		const writesBefore = callsFor(org).filter((c) => c.method !== 'GET').length;
		const run = await upsert(org, [invoice(30, cust), cancelled], {}, {}, 'continueErrorOutput');
		expect(run.error).toBeUndefined();
		const [ok, failed] = run.outputs;
		expect(failed).toEqual([]);
		expect(json(ok).map((r) => [r.action, r.status])).toEqual([
			['unchanged', 'PAID'],
			['unchanged', 'VOIDED'],
		]);
		expect(callsFor(org).filter((c) => c.method !== 'GET')).toHaveLength(writesBefore);
	});

	it('fails only the item with a bad account code in a batch of 50, on the error output', async () => {
		const org = freshOrg();
		const input = Array.from({ length: 50 }, (_, n) => invoice(100 + n, customer(n % 10)));
		input[17].lines![1].nominalCode = '999';
		// Validation against Xero off: Xero itself rejects the element, the other 49 are created.
		const run = await upsert(org, input, {}, { validateAgainstXero: false }, 'continueErrorOutput');
		expect(run.error).toBeUndefined();
		const [ok, failed] = run.outputs;
		expect(ok).toHaveLength(49);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 17 });
		expect(String(failed[0].json.error)).toMatch(/CS-10117.*999/);
		expect(state(org).invoices.filter((i) => i.InvoiceNumber?.startsWith('CS-10'))).toHaveLength(
			49,
		);
		expect(callsFor(org).filter((c) => c.endpoint === 'PUT /Invoices')).toHaveLength(1);

		// With validation on (default), the same item is stopped before sending, naming line and field.
		const again = await upsert(org, [input[17]], {}, {}, 'continueErrorOutput');
		const error = again.outputs[1][0].json;
		expect(String((error.details as IDataObject).description)).toMatch(
			/Line 2 \(id line-117-1\), AccountCode \(nominalCode\): account code "999" does not exist/,
		);
	});

	it('with "Define Below", an Invoice (JSON) that does not parse fails only its item, on the error output', async () => {
		const org = freshOrg();
		const good = [invoice(210, customer(1)), invoice(211, customer(2))];
		const raws = [
			JSON.stringify(good[0]),
			'{"invoiceNumber": "CS-10299", ',
			JSON.stringify(good[1]),
			'[1, 2]',
		];
		const run = await runNode(
			'xeroAccounting',
			params(org, { invoiceSource: 'define', invoiceJson: '={{ $json.raw }}' }),
			raws.map((raw) => ({ json: { raw } })),
			org.credentials,
			{ node: { onError: 'continueErrorOutput' } },
		);
		expect(run.error).toBeUndefined();
		const [ok, failed] = run.outputs;
		expect(ok.map((i) => [i.pairedItem, i.json.action, i.json.invoiceNumber])).toEqual([
			[{ item: 0 }, 'created', 'CS-10210'],
			[{ item: 2 }, 'created', 'CS-10211'],
		]);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
		expect(String(failed[0].json.error)).toMatch(/^Item 1: "Invoice \(JSON\)" is not valid JSON/);
		expect(String(failed[1].json.error)).toMatch(
			/^Item 3: "Invoice \(JSON\)" must be an object, not a list/,
		);
		expect(invoiceIn(org, 'CS-10210')).toHaveLength(1);
		expect(invoiceIn(org, 'CS-10211')).toHaveLength(1);

		// Without an error output nothing is sent and the error names the item.
		const other = freshOrg();
		const stopped = await runNode(
			'xeroAccounting',
			params(other, { invoiceSource: 'define', invoiceJson: '={{ $json.raw }}' }),
			raws.map((raw) => ({ json: { raw } })),
			other.credentials,
		);
		expect(stopped.error?.message).toMatch(/^Item 1: "Invoice \(JSON\)" is not valid JSON/);
		expect(callsFor(other).filter((c) => c.method !== 'GET')).toEqual([]);
	});

	it('a failing GET /Items fails no invoice: codes are left to Xero, which refuses only the invoice with an unknown one', async () => {
		const org = freshOrg();
		const input = [invoice(220, customer(1)), invoice(221, customer(2)), invoice(222, customer(3))];
		input[1].lines![0].itemCode = 'NOT-AN-ITEM';
		xero.setFaults({ pathContains: '/Items', error500Rate: 1 });
		let run: RunNodeResult;
		try {
			run = await upsert(
				org,
				input,
				{ requestOptions: { retryDelayMs: 1, maxRetries: 1 } },
				{},
				'continueErrorOutput',
			);
		} finally {
			xero.setFaults({});
		}
		expect(run.error).toBeUndefined();
		const [ok, failed] = run.outputs;
		expect(ok.map((i) => [i.pairedItem, i.json.action])).toEqual([
			[{ item: 0 }, 'created'],
			[{ item: 2 }, 'created'],
		]);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(failed[0].json.error)).toMatch(/CS-10221.*NOT-AN-ITEM/);
		expect(callsFor(org).some((c) => c.path.includes('/Items'))).toBe(true);
	});

	it('a failing GET /TrackingCategories fails only the invoices with tracking', async () => {
		const org = freshOrg();
		const input = [invoice(230, customer(1)), { ...invoice(231, customer(2)), category: '' }];
		xero.setFaults({ pathContains: '/TrackingCategories', error500Rate: 1 });
		let run: RunNodeResult;
		try {
			run = await upsert(
				org,
				input,
				{ requestOptions: { retryDelayMs: 1, maxRetries: 1 } },
				{},
				'continueErrorOutput',
			);
		} finally {
			xero.setFaults({});
		}
		expect(run.error).toBeUndefined();
		const [ok, failed] = run.outputs;
		expect(ok.map((i) => [i.pairedItem, i.json.action, i.json.invoiceNumber])).toEqual([
			[{ item: 1 }, 'created', 'CS-10231'],
		]);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(String(failed[0].json.error)).toMatch(/^Xero's tracking categories could not be read/);
		expect(invoiceIn(org, 'CS-10230')).toEqual([]);
	});

	it('takes the organisation by its exact name', async () => {
		const org = freshOrg();
		const name = xero.tenants().find((t) => t.tenantId === org.tenantId)!.name;
		const run = await upsert(org, [invoice(240, customer(1))], {
			tenantId: ` ${name.toUpperCase()} `,
		});
		expect(run.error).toBeUndefined();
		expect(json(run.items).map((r) => [r.action, r.tenantId])).toEqual([['created', org.tenantId]]);
		expect(invoiceIn(org, 'CS-10240')).toHaveLength(1);
	});

	it('without an error output, stops before writing anything and names the item', async () => {
		const org = freshOrg();
		const input = [invoice(200, customer(1)), invoice(201, customer(2))];
		input[1].lines![0].vatRate = '17.5%';
		const run = await upsert(org, input);
		expect(run.error?.message).toMatch(/CS-10201/);
		expect((run.error as { description?: string }).description).toMatch(
			/Line 1 .*TaxType \(vatRate\).*17\.5%/,
		);
		expect(callsFor(org).filter((c) => c.method !== 'GET')).toEqual([]);
	});

	it('creates a missing tracking option when allowed, up to the option cap, and explains the rest', async () => {
		const org = freshOrg();
		const cust = customer(4);
		const refused = await upsert(
			org,
			[invoice(300, cust, { unit: 'Solar' })],
			{},
			{},
			'continueErrorOutput',
		);
		expect(String(refused.outputs[1][0].json.error)).toMatch(/CS-10300: 3 problem/); // one per line
		expect(String((refused.outputs[1][0].json.details as IDataObject).description)).toMatch(
			/"Solar" does not exist in category "Business Unit".*Create Missing Tracking Options/,
		);

		const allowed = await upsert(
			org,
			[
				invoice(300, cust, { unit: 'Solar ' }),
				invoice(301, cust, { unit: 'solar' }),
				invoice(302, cust, { unit: 'Drainage' }),
			],
			{},
			{ createTrackingOptions: true, trackingOptionCap: 5 },
			'continueErrorOutput',
		);
		const [ok, failed] = allowed.outputs;
		expect(ok.map((i) => i.json.invoiceNumber)).toEqual(['CS-10300', 'CS-10301']);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 2 }]);
		expect(String((failed[0].json.details as IDataObject).description)).toMatch(
			/already has 5 options and the limit is 5\. Fix: in Xero \(Settings → Tracking\) delete options/,
		);
		const unit = state(org).trackingCategories.find((c) => c.Name === 'Business Unit')!;
		expect(unit.Options.filter((o) => o.Name.toLowerCase() === 'solar').map((o) => o.Name)).toEqual(
			['Solar'],
		);
		expect(invoiceIn(org, 'CS-10301')[0].LineItems[0].Tracking[0].Option).toBe('Solar');
	});

	it('tracking problems read as one problem and one fix each; archived options count toward the option limit', async () => {
		const org = freshOrg();
		const unit = () => state(org).trackingCategories.find((c) => c.Name === 'Business Unit')!;
		const gas = unit().Options.find((o) => o.Name === 'Gas Safety')!;
		await xeroCall(
			org,
			'POST',
			`/TrackingCategories/${unit().TrackingCategoryID}/Options/${gas.TrackingOptionID}`,
			{ Status: 'ARCHIVED' },
		);
		const cust = customer(95);
		xero.clearCalls();
		// 3 active + 1 archived option: with a limit of 5 Xero takes one more, so "Drainage" must be refused
		// by the node before writing, not by Xero after.
		const run = await upsert(
			org,
			[
				invoice(950, cust, { unit: 'Solar' }),
				invoice(951, cust, { unit: 'Drainage' }),
				invoice(952, cust, { unit: 'gas safety' }),
				invoice(953, cust, { unit: 'x'.repeat(101) }),
			],
			{},
			{ createTrackingOptions: true, trackingOptionCap: 5 },
			'continueErrorOutput',
		);
		const [ok, failed] = run.outputs;
		expect(ok.map((i) => i.json.invoiceNumber)).toEqual(['CS-10950']);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 3 }]);
		const descriptions = failed.map((i) => String((i.json.details as IDataObject).description));
		for (const description of descriptions) {
			expect(description).not.toMatch(/see above/i);
			// One "Fix:" per issue (each of the invoice's 3 lines has the tracking problem), never two.
			expect(description.match(/Fix:/g)).toHaveLength(3);
			expect(description).not.toMatch(/Fix:[^.]*\.\s*Fix:/);
		}
		expect(descriptions[0]).toMatch(
			/Tracking \(Business Unit\): tracking option "Drainage" cannot be added: category "Business Unit" already has 5 options \(1 of them archived, which Xero still counts\) and the limit is 5\. Fix: in Xero \(Settings → Tracking\) delete options that were never used, or map the value to an existing option\./,
		);
		expect(descriptions[1]).toMatch(
			/Tracking \(Business Unit\): tracking option "Gas Safety" of "Business Unit" is archived in Xero\. Fix: restore the option in Xero or change the Commusoft value\./,
		);
		expect(descriptions[2]).toMatch(
			/is longer than 100 characters\. Fix: shorten the Commusoft value\./,
		);
		expect(unit().Options.map((o) => o.Name)).toEqual([
			'Plumbing',
			'Heating',
			'Electrical',
			'Gas Safety',
			'Solar',
		]);
		expect(
			callsFor(org)
				.filter((c) => c.method === 'PUT' && c.endpoint.includes('/Options'))
				.map((c) => c.status),
		).toEqual([200]);
	});

	it('gives same-name customers separate contacts, says so, and never duplicates on re-run', async () => {
		const org = freshOrg();
		const a = customer(30, { firstName: 'Sam', lastName: 'Taylor', email: 'sam.a@example.test' });
		const b = customer(31, { firstName: 'Sam', lastName: 'Taylor', email: 'sam.b@example.test' });
		const input = [invoice(400, a), invoice(401, b)];
		const run = await upsert(org, input);
		const results = json(run.items);
		expect(results.map((r) => r.contactName)).toEqual(['Sam Taylor', 'Sam Taylor (CUS-00031)']);
		expect(results[1].warnings).toEqual(
			expect.arrayContaining([expect.stringMatching(/already has a contact named "Sam Taylor"/)]),
		);
		await upsert(org, input, { contactFallback: 'name' });
		const sams = state(org).contacts.filter((c) => c.Name.startsWith('Sam Taylor'));
		expect(sams.map((c) => `${c.Name} = ${c.ContactNumber}`).sort()).toEqual([
			'Sam Taylor (CUS-00031) = CUS-00031',
			'Sam Taylor = CUS-00030',
		]);
	});

	it('points the invoice at the new contact when the customer account changed in Commusoft', async () => {
		const org = freshOrg();
		const first = await upsert(org, [invoice(500, customer(40))]);
		const moved = invoice(500, customer(41));
		const run = await upsert(org, [moved]);
		const result = run.items[0].json;
		expect(result.action).toBe('updated');
		expect(result.contactAction).toBe('relinked');
		expect(result.previousContactId).toBe(first.items[0].json.contactId);
		const stored = invoiceIn(org, 'CS-10500');
		expect(stored).toHaveLength(1);
		expect(stored[0].ContactID).toBe(result.contactId);
		expect(state(org).contacts.find((c) => c.ContactID === result.contactId)?.ContactNumber).toBe(
			'CUS-00041',
		);
	});

	it('survives a 429 storm and 5xx faults with exactly one invoice per number', async () => {
		const org = freshOrg();
		const input = Array.from({ length: 120 }, (_, n) =>
			invoice(600 + n, customer(n % 25), { lines: 3 + (n % 3) }),
		);
		xero.setFaults({
			seed: 7,
			burst429: 12,
			error500Rate: 0.15,
			error503Rate: 0.1,
			resetRate: 0.05,
			timeoutRate: 0.03,
		});
		const fast = { requestOptions: { retryDelayMs: 20, timeoutMs: 1000, maxRetries: 6 } };
		try {
			const first = await upsert(org, input, fast, {}, 'continueErrorOutput');
			const second = await upsert(org, input, fast, {}, 'continueErrorOutput');
			for (const run of [first, second]) {
				expect(run.error).toBeUndefined();
				expect(run.outputs[1] ?? []).toEqual([]);
			}
			expect(new Set(json(second.outputs[0]).map((r) => r.action))).toEqual(new Set(['unchanged']));
		} finally {
			xero.setFaults({});
		}
		const faults = xero
			.calls()
			.filter((c) => c.tenantId === org.tenantId && (c.fault || c.status === 429));
		expect(faults.length).toBeGreaterThan(10);
		const numbers = state(org).invoices.map((i) => i.InvoiceNumber);
		expect(numbers.filter((n) => n?.startsWith('CS-106') || n?.startsWith('CS-107'))).toHaveLength(
			120,
		);
		expect(new Set(numbers).size).toBe(numbers.length);
		const refs = state(org)
			.contacts.map((c) => c.ContactNumber)
			.filter(Boolean);
		expect(new Set(refs).size).toBe(refs.length);
		expect(refs).toHaveLength(25);
	});

	it('matches on Reference when asked', async () => {
		const org = freshOrg();
		const cust = customer(50);
		await upsert(org, [invoice(700, cust)], { matchOn: 'reference' });
		const renumbered = { ...invoice(700, cust, { variant: 1 }), invoiceNumber: 'CS-NEW-700' };
		const run = await upsert(org, [renumbered], { matchOn: 'reference' });
		expect(run.items[0].json).toMatchObject({
			action: 'updated',
			invoiceNumber: 'CS-NEW-700',
			reference: 'JOB-2700',
		});
		const stored = state(org).invoices.filter((i) => i.Reference === 'JOB-2700');
		expect(stored.map((i) => i.InvoiceNumber)).toEqual(['CS-NEW-700']);
	});

	it('voids (or deletes) an invoice cancelled in Commusoft and never creates a cancelled one', async () => {
		const org = freshOrg();
		const cust = customer(60);
		await upsert(org, [invoice(800, cust)]);
		await upsert(org, [invoice(801, cust)], { status: 'DRAFT' });
		const cancel = (n: number) => ({ ...invoice(n, cust), status: 'cancelled' });
		const run = await upsert(org, [cancel(800), cancel(801), cancel(802)]);
		const results = json(run.items);
		expect(results.map((r) => [r.action, r.status])).toEqual([
			['updated', 'VOIDED'],
			['updated', 'DELETED'],
			['refused', undefined],
		]);
		expect(results[2].reason).toMatch(/cancelled in Commusoft and not in Xero/);
		expect(invoiceIn(org, 'CS-10802')).toEqual([]);
	});

	it('creates no contact or tracking option for an invoice the tenant check rejects', async () => {
		const org = freshOrg();
		const bad = invoice(900, customer(90), { unit: 'Solar' });
		bad.lines![0].nominalCode = '250'; // archived in the sandbox's chart of accounts
		const good = invoice(901, customer(91));
		const run = await upsert(
			org,
			[bad, good],
			{},
			{ createTrackingOptions: true },
			'continueErrorOutput',
		);
		expect(run.outputs[0].map((i) => i.json.invoiceNumber)).toEqual(['CS-10901']);
		expect(String((run.outputs[1][0].json.details as IDataObject).description)).toMatch(
			/Line 1 \(id line-900-0\), AccountCode \(nominalCode\): account code "250" .* is archived/,
		);
		expect(state(org).contacts.map((c) => c.ContactNumber)).not.toContain('CUS-00090');
		const unit = state(org).trackingCategories.find((c) => c.Name === 'Business Unit')!;
		expect(unit.Options.map((o) => o.Name)).not.toContain('Solar');
	});

	it('writes an invoice given twice in one run once, from the last item', async () => {
		const org = freshOrg();
		const cust = customer(95);
		const run = await upsert(org, [invoice(950, cust), invoice(950, cust, { variant: 3 })]);
		const results = json(run.items);
		expect(results.map((r) => r.action)).toEqual(['refused', 'created']);
		expect(results[0].reason).toMatch(
			/item 1 later in this run carries the same InvoiceNumber "CS-10950"/,
		);
		const stored = invoiceIn(org, 'CS-10950');
		expect(stored).toHaveLength(1);
		expect(stored[0].LineItems[0].Quantity).toBe(4.5);
	});

	it('tells why a duplicate was not sent from what became of the item sent instead, in every outcome', async () => {
		/** Every output item by its input index, with where it left (0 = success, 1 = error output). */
		const byItem = (run: RunNodeResult) => {
			const found = new Map<number, { output: number; json: IDataObject }>();
			(run.outputs.length ? run.outputs : [run.items]).forEach((items, output) =>
				items.forEach((item) =>
					found.set((item.pairedItem as { item: number }).item, { output, json: item.json }),
				),
			);
			return found;
		};
		/** The duplicate's reason must say what happened to the item sent instead, and claim nothing else. */
		const expectTruthful = (run: RunNodeResult, earlier: number[], sent: number) => {
			expect(run.error).toBeUndefined();
			const outcome = byItem(run);
			const later = outcome.get(sent)!;
			for (const index of earlier) {
				const duplicate = outcome.get(index)!;
				expect(duplicate.output).toBe(0);
				expect(duplicate.json.action).toBe('refused');
				const reason = String(duplicate.json.reason);
				expect(reason).toContain(`item ${sent} later in this run carries the same InvoiceNumber`);
				expect(reason).not.toMatch(/was used/);
				if (later.output === 1) {
					expect(reason).toContain(`item ${sent} failed (${String(later.json.error)})`);
					expect(reason).not.toContain(`item ${sent} was written`);
					continue;
				}
				const action = later.json.action;
				if (action === 'created' || action === 'updated')
					expect(reason).toContain(`item ${sent} was written to Xero (${action})`);
				else if (action === 'unchanged')
					expect(reason).toContain(`Xero already matched item ${sent}, so nothing was written`);
				else if (action === 'refused')
					expect(reason).toContain(`item ${sent} was refused too (${String(later.json.reason)})`);
				else throw new Error(`unexpected outcome ${String(action)} of item ${sent}`);
			}
		};
		const org = freshOrg();
		const cust = customer(96);
		const routed = async (input: CommusoftInvoiceInput[], options: IDataObject = {}) =>
			await upsert(org, input, {}, options, 'continueErrorOutput');

		// The item sent instead is created, then updated, then already up to date.
		expectTruthful(await routed([invoice(960, cust), invoice(960, cust, { variant: 3 })]), [0], 1);
		expectTruthful(await routed([invoice(960, cust), invoice(960, cust, { variant: 2 })]), [0], 1);
		expectTruthful(
			await routed([invoice(960, cust, { variant: 3 }), invoice(960, cust, { variant: 2 })]),
			[0],
			1,
		);
		// Three copies: both earlier ones name the one that was sent.
		expectTruthful(
			await routed([
				invoice(961, cust),
				invoice(961, cust, { variant: 2 }),
				invoice(961, cust, { variant: 3 }),
			]),
			[0, 1],
			2,
		);
		// The item sent instead fails at Xero (an archived account code): nothing of this invoice was written.
		const archived = invoice(962, cust, { variant: 2 });
		archived.lines![0].nominalCode = '250';
		const failed = await routed([invoice(962, cust), archived]);
		expectTruthful(failed, [0], 1);
		expect(invoiceIn(org, 'CS-10962')).toHaveLength(0);
		// The item sent instead is an edit Xero will not take (paid): failed by default, reported when asked.
		const paidRun = await routed([invoice(963, cust)]);
		const paidId = String(json(paidRun.items)[0].invoiceId);
		await xeroCall(org, 'PUT', '/Payments', {
			Payments: [
				{
					Invoice: { InvoiceID: paidId },
					Account: { Code: '090' },
					Amount: invoiceIn(org, 'CS-10963')[0].Total,
					Date: '2026-11-10',
				},
			],
		});
		const edits = [invoice(963, cust, { variant: 2 }), invoice(963, cust, { variant: 3 })];
		expectTruthful(await routed(edits), [0], 1);
		expectTruthful(await routed(edits, { refusedInvoices: 'report' }), [0], 1);
	});

	it("gives each failed item a report line that is safe for chat, whatever the customer's name", async () => {
		const org = freshOrg();
		const names = fc.sample(hostileText, { numRuns: 12, seed: 20261203 });
		const input = names.map((name, n) => {
			const failing = invoice(
				970 + n,
				customer(970 + n, { customerType: 'company', companyName: name }),
			);
			// half refused by the tenant check (archived account), half by validation before any call
			if (n % 2) failing.lines![0].nominalCode = '250';
			else failing.lines![0].quantity = -1;
			return failing;
		});
		const run = await upsert(org, input, {}, {}, 'continueErrorOutput');
		expect(run.error).toBeUndefined();
		expect(run.outputs[1]).toHaveLength(names.length);
		for (const failed of run.outputs[1]) {
			const index = (failed.pairedItem as { item: number }).item;
			const line = String((failed.json.details as IDataObject).reportLine);
			expectChatSafe(line);
			const { firstName, lastName } = input[index].customer!;
			const shown = names[index].trim() || `${firstName} ${lastName}`;
			expect(slackShows(line)).toContain(`• CS-${10970 + index} (${shown}): `);
			expect(slackShows(line)).toContain(String(failed.json.error));
		}
	});

	it('reads contacts by the cheaper way: the whole list when small, targeted where-clauses when large', async () => {
		const small = freshOrg();
		const many = Array.from({ length: 40 }, (_, n) => invoice(1000 + n, customer(200 + n)));
		await upsert(small, many);
		// 40 customers need several where-clauses; one page of the (short) contact list answers them all
		expect(callsFor(small).filter((c) => c.endpoint === 'GET /Contacts')).toHaveLength(1);

		const large = freshOrg();
		for (let start = 0; start < 2500; start += 50)
			await xeroCall(large, 'PUT', '/Contacts?summarizeErrors=false', {
				Contacts: Array.from({ length: 50 }, (_, i) => ({
					Name: `Other customer ${start + i}`,
					ContactNumber: `OTHER-${start + i}`,
				})),
			});
		xero.clearCalls();
		const few = Array.from({ length: 15 }, (_, n) => invoice(1100 + n, customer(300 + n)));
		const run = await upsert(large, few);
		expect(run.outputs[0]).toHaveLength(15);
		// 2,500 contacts are 3 pages; 15 customers are 2 where-clauses: first page + 2 targeted look-ups
		const contactReads = callsFor(large).filter((c) => c.endpoint === 'GET /Contacts');
		expect(contactReads).toHaveLength(3);
		expect(state(large).contacts.filter((c) => c.ContactNumber?.startsWith('CUS-'))).toHaveLength(
			15,
		);
	});

	it('never creates a third active tracking category; creates one when a slot is free', async () => {
		const org = freshOrg();
		const cust = customer(97);
		const twoMappings = {
			tracking: {
				mapping: [
					{ category: 'Business Unit', option: '={{ $json.category }}' },
					{ category: 'Job Type', option: 'Install' },
				],
			},
		};
		const blocked = await upsert(
			org,
			[invoice(970, cust)],
			twoMappings,
			{ createTrackingOptions: true },
			'continueErrorOutput',
		);
		expect(String((blocked.outputs[1][0].json.details as IDataObject).description)).toMatch(
			/"Job Type" cannot be created: Xero allows 2 active tracking categories and this organisation has Business Unit, Region/,
		);
		expect(state(org).trackingCategories.map((c) => c.Name)).not.toContain('Job Type');

		const region = state(org).trackingCategories.find((c) => c.Name === 'Region')!;
		await xeroCall(org, 'POST', `/TrackingCategories/${region.TrackingCategoryID}`, {
			Status: 'ARCHIVED',
		});
		const created = await upsert(
			org,
			[invoice(970, cust)],
			twoMappings,
			{ createTrackingOptions: true },
			'continueErrorOutput',
		);
		expect(created.outputs[0].map((i) => i.json.action)).toEqual(['created']);
		const [stored] = invoiceIn(org, 'CS-10970');
		expect(stored.LineItems[0].Tracking.map((t) => `${t.Name}=${t.Option}`).sort()).toEqual([
			'Business Unit=Electrical',
			'Job Type=Install',
		]);
	});
});
