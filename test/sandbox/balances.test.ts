/* eslint-disable no-console --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The balance sync through n8n-core's real WorkflowExecute: Commusoft Customer → Get Many → Xero Contact → Get Balances
// → Commusoft Customer → Update Xero Balance Summary, against both sandboxes. Figures are checked against the
// Xero sandbox's own stored records; Xero calls per run for 200 customers are counted from its call log.
import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import {
	buildBalancesScenario,
	expectedFromXeroState,
	payOffContact,
	type ScenarioCustomer,
	type ScenarioTargets,
} from '../helpers/balancesScenario';
import { runNode, runWorkflow, type TestWorkflow } from '../helpers/n8nCore';
import { sandboxCredentials, UNLIMITED, type SandboxCredentials } from '../helpers/xeroSandbox';

const CUSTOMERS = 200;
const CREDIT_LIMIT = 500;

let sandbox: RunningSandbox;
let credentials: SandboxCredentials;
let tenantId: string;
let targets: ScenarioTargets;
let customers: ScenarioCustomer[];
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
	sandbox = await startSandbox({
		xero: { log: () => {}, limits: UNLIMITED },
		commusoft: { seed: false },
	});
	tenantId = sandbox.xero.addTenant('Balances org', 'empty');
	const token = sandbox.xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 24 * 3600 });
	credentials = sandboxCredentials(sandbox, token);
	targets = {
		xeroUrl: sandbox.xeroUrl,
		accessToken: String(token.access_token),
		tenantId,
		commusoftUrl: sandbox.commusoft.url,
	};
	customers = await buildBalancesScenario(targets, CUSTOMERS, today);
}, 120_000);
afterAll(async () => await sandbox.close());

const workflow: TestWorkflow = {
	nodes: [
		{ name: 'Run', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
		{
			name: 'Customers',
			type: 'commusoft',
			parameters: { resource: 'customer', operation: 'getMany', returnAll: true },
		},
		{
			name: 'Balances',
			type: 'xeroAccounting',
			parameters: { resource: 'contact', operation: 'getBalances', tenantId: '' },
		},
		{
			name: 'Summary',
			type: 'commusoft',
			parameters: {
				resource: 'customer',
				operation: 'updateXeroBalanceSummary',
				creditLimit: CREDIT_LIMIT,
				creditLimitBasis: 'outstanding',
			},
		},
	],
	connections: {
		Run: { main: [[{ node: 'Customers', type: 'main', index: 0 }]] },
		Customers: { main: [[{ node: 'Balances', type: 'main', index: 0 }]] },
		Balances: { main: [[{ node: 'Summary', type: 'main', index: 0 }]] },
	},
};

async function run() {
	(workflow.nodes[2].parameters as IDataObject).tenantId = tenantId;
	sandbox.xero.clearCalls();
	const commusoftCallsBefore = sandbox.commusoft.state.calls.length;
	const result = await runWorkflow(workflow, { credentials });
	expect(result.error).toBeUndefined();
	const xeroCalls = sandbox.xero.calls().filter((c) => c.endpoint !== 'GET /connections');
	const commusoftCalls = sandbox.commusoft.state.calls.slice(commusoftCallsBefore);
	return {
		balances: result.outputOf('Balances').map((i) => i.json),
		summaries: result.outputOf('Summary').map((i) => i.json),
		pairs: result.outputOf('Summary').map((i) => i.pairedItem),
		xeroCalls,
		summaryWrites: commusoftCalls.filter(
			(c) => c.method === 'PUT' && c.path.endsWith('/accountingSummary'),
		),
	};
}

function storedSummary(uuid: string): IDataObject | undefined {
	const customer = sandbox.commusoft.state.data.customers.find((c) => c.uuid === uuid);
	return customer?.accountingSummary as IDataObject | undefined;
}

describe('Xero balances → Commusoft customers (200 customers)', () => {
	it('first run: figures equal the Xero sandbox totals, summaries written, on stop over the limit, < 10 Xero calls', async () => {
		const first = await run();
		const expected = await expectedFromXeroState(sandbox.xeroUrl, tenantId, today);

		expect(first.balances).toHaveLength(CUSTOMERS);
		let owing = 0;
		for (const customer of customers) {
			const balance = first.balances.find((b) => b.commusoftCustomerId === customer.uuid)!;
			expect(balance, customer.reference).toBeDefined();
			expect(balance.xeroContactFound).toBe(true);
			expect(String(balance.contactId).toLowerCase()).toBe(customer.contactId.toLowerCase());
			const want = expected.get(customer.contactId.toLowerCase())!;
			expect(balance, customer.reference).toMatchObject(want);
			if (want.balanceOutstanding > 0) owing++;
		}
		// the book really has every shape: owing, overdue, paid off, nothing at all
		expect(owing).toBeGreaterThan(50);
		expect(first.balances.filter((b) => (b.balanceOverdue as number) > 0).length).toBeGreaterThan(
			50,
		);
		expect(first.balances.filter((b) => b.balanceOutstanding === 0).length).toBeGreaterThan(50);

		// Xero calls for the whole run, 200 customers (half found by ContactNumber)
		const perEndpoint: Record<string, number> = {};
		for (const c of first.xeroCalls) perEndpoint[c.endpoint] = (perEndpoint[c.endpoint] ?? 0) + 1;
		console.log(
			`[balances] Xero calls for ${CUSTOMERS} customers: ${first.xeroCalls.length} ${JSON.stringify(perEndpoint)}`,
		);
		expect(first.xeroCalls.length).toBeLessThan(10);
		expect(first.xeroCalls.every((c) => c.status === 200)).toBe(true);

		// summaries: written for those who owe, nothing written for those who never owed
		expect(first.pairs.every((p, i) => (p as { item: number }).item === i)).toBe(true);
		const byCustomer = new Map(first.summaries.map((s) => [s.customerId, s]));
		for (const customer of customers) {
			const want = expected.get(customer.contactId.toLowerCase())!;
			const out = byCustomer.get(customer.uuid)!;
			const stored = storedSummary(customer.uuid);
			if (want.balanceOutstanding > 0) {
				expect(out.action).toBe('created');
				expect(stored).toMatchObject({
					balanceOutstanding: want.balanceOutstanding,
					balanceOverdue: want.balanceOverdue,
					overdueInvoiceCount: want.overdueInvoiceCount,
					oldestOverdueDate: want.oldestOverdueDate,
					onStop: want.balanceOutstanding > CREDIT_LIMIT,
					creditLimit: CREDIT_LIMIT,
					xeroContactId: customer.contactId,
				});
				if (want.balanceOutstanding > CREDIT_LIMIT) expect(stored!.note).toMatch(/^ON STOP/);
			} else {
				expect(out.action).toBe('unchanged');
				expect(stored).toBeUndefined();
			}
		}
		expect(first.summaryWrites).toHaveLength(owing);
		expect(first.summaries.some((s) => s.onStop === true)).toBe(true);
	});

	it('second run: nothing changed, nothing rewritten (Commusoft call log)', async () => {
		const second = await run();
		expect(second.summaries.map((s) => s.action)).toEqual(second.summaries.map(() => 'unchanged'));
		expect(second.summaryWrites).toHaveLength(0);
		expect(second.xeroCalls.length).toBeLessThan(10);
	});

	it('customers known only by reference (ContactNumber): same figures, still < 10 Xero calls', async () => {
		const expected = await expectedFromXeroState(sandbox.xeroUrl, tenantId, today);
		sandbox.xero.clearCalls();
		const result = await runNode(
			'xeroAccounting',
			{ resource: 'contact', operation: 'getBalances', tenantId },
			customers.map((c) => ({ id: c.uuid, accountReference: c.reference })),
			credentials,
		);
		const calls = sandbox.xero.calls().filter((c) => c.endpoint !== 'GET /connections');
		console.log(
			`[balances] Xero calls for ${CUSTOMERS} customers found by ContactNumber: ${calls.length}`,
		);
		expect(calls.length).toBeLessThan(10);
		expect(result.items).toHaveLength(CUSTOMERS);
		result.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.commusoftCustomerId).toBe(customers[i].uuid);
			expect(item.json).toMatchObject(expected.get(customers[i].contactId.toLowerCase())!);
		});
	});

	it('pages through a large book (page size 40): same figures, one call per page', async () => {
		const expected = await expectedFromXeroState(sandbox.xeroUrl, tenantId, today);
		const open = sandbox.xero
			.state(tenantId)
			.invoices.filter((i) => i.Type === 'ACCREC' && i.Status === 'AUTHORISED' && i.AmountDue > 0);
		sandbox.xero.clearCalls();
		const result = await runNode(
			'xeroAccounting',
			{
				resource: 'contact',
				operation: 'getBalances',
				tenantId,
				balanceOptions: { pageSize: 40, invoiceRead: 'allOpen' },
			},
			customers.map((c) => ({ xeroContactId: c.contactId })),
			credentials,
		);
		const invoiceCalls = sandbox.xero.calls().filter((c) => c.endpoint === 'GET /Invoices');
		// stops on pagination.pageCount: no extra empty call (docs/xero-rules.md §3.6)
		expect(invoiceCalls).toHaveLength(Math.ceil(open.length / 40));
		expect(invoiceCalls[0].path).toContain('Statuses=AUTHORISED');
		result.items.forEach((item, i) =>
			expect(item.json).toMatchObject(expected.get(customers[i].contactId.toLowerCase())!),
		);
	});

	it('an unknown reference is reported as not found; a malformed Contact ID fails only its item', async () => {
		const result = await runNode(
			'xeroAccounting',
			{ resource: 'contact', operation: 'getBalances', tenantId },
			[
				{ id: 'x1', accountReference: 'NOPE-1' },
				{ xeroContactId: 'not-a-guid' },
				{ id: customers[0].uuid, accountReference: customers[0].reference },
			],
			credentials,
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json).toMatchObject({
			xeroContactFound: false,
			balanceOutstanding: 0,
		});
		expect(result.items[1].json.error).toMatch(/"Contact ID" must be a Xero ContactID/);
		expect(result.items[1].pairedItem).toEqual({ item: 1 });
		expect(result.items[2].json.xeroContactFound).toBe(true);
	});

	it('paid off in Xero: that customer is cleared, the others stay untouched', async () => {
		const expectedBefore = await expectedFromXeroState(sandbox.xeroUrl, tenantId, today);
		const debtor = customers.find(
			(c) => (expectedBefore.get(c.contactId.toLowerCase())?.balanceOverdue ?? 0) > 0,
		)!;
		await payOffContact(targets, debtor.contactId, today);

		const third = await run();
		const summary = third.summaries.find((s) => s.customerId === debtor.uuid)!;
		expect(summary.action).toBe('cleared');
		expect(storedSummary(debtor.uuid)).toMatchObject({
			balanceOutstanding: 0,
			balanceOverdue: 0,
			overdueInvoiceCount: 0,
			oldestOverdueDate: null,
			onStop: false,
			lastPaymentDate: today,
		});
		expect(third.summaryWrites.map((c) => c.path)).toEqual([expect.stringContaining(debtor.uuid)]);
		expect(third.summaries.filter((s) => s.action !== 'unchanged')).toHaveLength(1);
	});
});

describe('Xero balances with credit notes (sandbox /CreditNotes)', () => {
	async function xero(method: string, path: string, body?: unknown) {
		const res = await fetch(`${targets.xeroUrl}/api.xro/2.0${path}`, {
			method,
			headers: {
				Authorization: `Bearer ${targets.accessToken}`,
				'xero-tenant-id': tenantId,
				Accept: 'application/json',
				'Content-Type': 'application/json',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		expect(res.status).toBe(200);
		return (await res.json()) as IDataObject;
	}

	it('a part-credited invoice and an unallocated credit note: outstanding and unallocatedCredit equal the sandbox totals', async () => {
		const contact = (
			(await xero('PUT', '/Contacts', { Contacts: [{ Name: 'Credit Case Ltd' }] }))
				.Contacts as IDataObject[]
		)[0];
		const contactId = String(contact.ContactID);
		const line = (unit: number) => [
			{ Description: 'Work', Quantity: 1, UnitAmount: unit, AccountCode: '200' },
		];
		const invoice = (
			(
				await xero('PUT', '/Invoices', {
					Invoices: [
						{
							Type: 'ACCREC',
							Contact: { ContactID: contactId },
							Status: 'AUTHORISED',
							DueDate: '2099-01-31',
							LineItems: line(200),
						},
					],
				})
			).Invoices as IDataObject[]
		)[0];
		const notes = (
			await xero('PUT', '/CreditNotes', {
				CreditNotes: [50, 30].map((unit) => ({
					Type: 'ACCRECCREDIT',
					Contact: { ContactID: contactId },
					Status: 'AUTHORISED',
					LineItems: line(unit),
				})),
			})
		).CreditNotes as IDataObject[];
		await xero('PUT', `/CreditNotes/${String(notes[0].CreditNoteID)}/Allocations`, {
			Allocations: [{ Invoice: { InvoiceID: invoice.InvoiceID }, Amount: 20, Date: today }],
		});

		// Independently from the sandbox's stored records.
		const state = sandbox.xero.state(tenantId);
		const stored = state.invoices.find((i) => i.InvoiceID === invoice.InvoiceID)!;
		const allocated = state.creditNotes
			.flatMap((c) => c.Allocations)
			.filter((a) => a.InvoiceID === stored.InvoiceID)
			.reduce((sum, a) => sum + a.Amount, 0);
		expect(allocated).toBe(20);
		const outstanding = Math.round((stored.Total - stored.AmountPaid - allocated) * 100) / 100;
		expect(outstanding).toBeLessThan(stored.Total);
		const credit =
			Math.round(
				state.creditNotes
					.filter(
						(c) =>
							c.ContactID === contactId && c.Type === 'ACCRECCREDIT' && c.Status === 'AUTHORISED',
					)
					.reduce((sum, c) => sum + c.RemainingCredit, 0) * 100,
			) / 100;
		const totalOf = (n: IDataObject) => Number(n.Total);
		expect(credit).toBe(Math.round((totalOf(notes[0]) - 20 + totalOf(notes[1])) * 100) / 100);

		const balancesFor = async (includeCreditNotes: boolean) =>
			(
				await runNode(
					'xeroAccounting',
					{
						resource: 'contact',
						operation: 'getBalances',
						tenantId,
						balanceOptions: { includeCreditNotes },
					},
					[{ xeroContactId: contactId }],
					credentials,
				)
			).items[0].json;
		expect(await balancesFor(true)).toMatchObject({
			balanceOutstanding: outstanding,
			outstandingInvoiceCount: 1,
			balanceOverdue: 0,
			unallocatedCredit: credit,
			netBalance: Math.round((outstanding - credit) * 100) / 100,
		});
		expect(await balancesFor(false)).toMatchObject({
			balanceOutstanding: outstanding,
			unallocatedCredit: 0,
		});
	});
});
