// Strict parsing (docs/parsing.md) at the node parameters: each entry point that reads a number or a date from the user refuses
// the hostile shapes with the field named, through n8n-core's WorkflowExecute against the sandboxes. Debtors
// Ageing used to accept 2026-13-45 and 2026-02-30 and put everything in "90+ days".
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { runNode } from '../helpers/n8nCore';
import { addXeroOrg, commusoftCredential, type XeroOrg } from '../helpers/xeroSandbox';

let xero: XeroSandbox;
let commusoft: RunningCommusoftSandbox;
let org: XeroOrg;
beforeAll(async () => {
	xero = await startXeroSandbox({
		log: () => {},
		limits: { perTenantMinute: 100_000, appMinute: 100_000 },
	});
	commusoft = await startCommusoftSandbox();
	org = addXeroOrg(xero, 'Strict parameters org', 'full');
});
afterAll(async () => {
	await xero.close();
	await commusoft.close();
});

const BAD_DATES: Array<[string, RegExp]> = [
	['2026-13-45', /there is no month 13/],
	['2026-02-30', /February 2026 has 28 days/],
	['2026-02-30T00:00:00Z', /February 2026 has 28 days/],
	['31/01/2026', /not/],
	['soon', /not/],
];

async function xeroNode(parameters: IDataObject, items: IDataObject[] = [{}]) {
	return await runNode(
		'xeroAccounting',
		{ tenantId: org.tenantId, ...parameters } as INodeParameters,
		items.map((json) => ({ json })),
		org.credentials,
	);
}

describe('date parameters refuse days that do not exist, naming the field', () => {
	it.each(BAD_DATES)('Report → Debtors Ageing "As Of Date" %s', async (asOf, problem) => {
		const run = await xeroNode({ resource: 'report', operation: 'ageing', asOf });
		expect(run.error?.message).toMatch(/"As Of Date"/);
		expect(run.error?.message).toMatch(problem);
		expect(run.items).toHaveLength(0);
	});

	it('Report → Debtors Ageing still takes a real day and an ISO date-time', async () => {
		for (const asOf of ['2026-02-28', '2026-02-28T10:00:00Z']) {
			const run = await xeroNode({ resource: 'report', operation: 'ageing', asOf });
			expect(run.error).toBeUndefined();
			expect(run.items[0].json.asOf).toBe('2026-02-28');
		}
	});

	it.each(BAD_DATES)('Contact → Get Balances option "As At" %s', async (asAt, problem) => {
		const run = await xeroNode(
			{ resource: 'contact', operation: 'getBalances', balanceOptions: { asAt } },
			[{ accountReference: 'CUS-1' }],
		);
		expect(run.error?.message).toMatch(/"As At"/);
		expect(run.error?.message).toMatch(problem);
	});

	it.each(BAD_DATES)(
		'Invoice → Get Many filter "Modified Since" %s',
		async (modifiedSince, problem) => {
			const run = await xeroNode({
				resource: 'invoice',
				operation: 'getMany',
				returnAll: true,
				filters: { modifiedSince },
			});
			expect(run.error?.message).toMatch(/"Modified Since"/);
			expect(run.error?.message).toMatch(problem);
		},
	);
});

describe('Commusoft → Payment → Create refuses hostile amounts and dates with the item and field', () => {
	const HOSTILE_AMOUNTS: Array<[unknown, RegExp]> = [
		['0x10', /hexadecimal/],
		['1e3', /exponent notation/],
		['1,000', /comma/],
		[true, /yes\/no/],
		[[25], /list/],
		['', /empty/],
		['   ', /empty/],
		[0, /too small/],
		[-5, /too small/],
		[1e13, /too large/],
		[10.005, /2 decimal places/],
	];

	async function createPayment(amount: unknown, date = '2026-11-20') {
		const invoice = commusoft.state.data.invoices.find((i) => i.status === 'raised')!;
		const before = commusoft.state.data.payments.length;
		const run = await runNode(
			'commusoft',
			{
				resource: 'payment',
				operation: 'create',
				invoiceId: invoice.uuid,
				amount: '={{ $json.amount }}',
				externalReference: 'xero-pay-strict',
				date,
				method: 'bank_transfer',
			} as never,
			[{ json: { amount } as IDataObject }],
			{ commusoftApi: commusoftCredential(commusoft) },
		);
		return { run, written: commusoft.state.data.payments.length - before };
	}

	it.each(HOSTILE_AMOUNTS)('amount %j', async (amount, problem) => {
		const { run, written } = await createPayment(amount);
		expect(run.error?.message).toMatch(/^Amount .* on item 0$/);
		expect(run.error?.message).toMatch(problem);
		expect(written).toBe(0);
	});

	it.each(BAD_DATES)('date %s', async (date, problem) => {
		const { run, written } = await createPayment(25, date);
		expect(run.error?.message).toMatch(/^Date .* on item 0$/);
		expect(run.error?.message).toMatch(problem);
		expect(written).toBe(0);
	});
});
