// Money through the node (docs/money.md): Xero's total must be Commusoft's to the penny, or the item fails on the error
// output naming both totals and the difference (before anything is written when the node can compute Xero's
// total, after the write from Xero's own answer when it cannot). n8n-core's WorkflowExecute + Xero sandbox.
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { customer } from '../../bench/lib/invoiceFixtures';
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { runNode } from '../helpers/n8nCore';
import { addXeroOrg, type XeroOrg } from '../helpers/xeroSandbox';

let xero: XeroSandbox;
let orgs = 0;
beforeAll(async () => {
	xero = await startXeroSandbox({
		log: () => {},
		limits: { perTenantMinute: 100_000, appMinute: 100_000 },
	});
});
afterAll(async () => await xero.close());

function invoice(
	number: string,
	lines: CommusoftInvoiceInput['lines'],
	total: number,
	amountsAre = 'exclusive',
): CommusoftInvoiceInput {
	return {
		id: `inv-${number}`,
		invoiceNumber: number,
		date: '2026-11-02',
		dueDate: '2026-12-02',
		status: 'raised',
		currency: 'GBP',
		amountsAre,
		customer: customer(1),
		lines,
		total,
	};
}

async function upsert(org: XeroOrg, invoices: CommusoftInvoiceInput[]) {
	return await runNode(
		'xeroAccounting',
		{
			resource: 'invoice',
			operation: 'upsert',
			tenantId: org.tenantId,
			invoiceSource: 'item',
			matchOn: 'invoiceNumber',
			status: 'AUTHORISED',
			contactFallback: 'email',
			tracking: { mapping: [] },
			options: {},
			requestOptions: { retryDelayMs: 20, timeoutMs: 3000 },
		} as INodeParameters,
		invoices.map((json) => ({ json: json as IDataObject })),
		org.credentials,
		{ node: { onError: 'continueErrorOutput' } },
	);
}

describe('Invoice → Upsert: totals to the penny (sandbox)', () => {
	it('fails the invoice whose Commusoft total Xero cannot reach, naming both totals and the difference; the exact one lands', async () => {
		const org = addXeroOrg(xero, `Money org ${++orgs}`, 'empty');
		// 1000 × 0.061171 is 61.17 in Commusoft; Xero keeps 0.0612 (4 dp) and makes it 61.20, VAT 12.24.
		const unreachable = invoice(
			'CS-MONEY-1',
			[
				{
					id: 'a',
					description: 'Washers',
					quantity: 1000,
					unitPrice: 0.061171,
					nominalCode: '200',
					vatRate: '20%',
				},
			],
			73.4,
		);
		// Many decimals that Xero's rounding still lands on Commusoft's total: 3 × 0.33333 → 1.00 + 0.20 VAT.
		const reachable = invoice(
			'CS-MONEY-2',
			[
				{
					id: 'b',
					description: 'Fixings',
					quantity: 3,
					unitPrice: 0.33333,
					nominalCode: '200',
					vatRate: '20%',
				},
				{
					id: 'c',
					description: 'Labour',
					quantity: 1.5,
					unitPrice: 45,
					discountRate: 12.5,
					nominalCode: '200',
					vatRate: '5%',
				},
			],
			1.2 + 59.06 + 2.95,
		);
		const run = await upsert(org, [unreachable, reachable]);
		const [ok, failed] = run.outputs;
		expect(ok.map((i) => [i.json.invoiceNumber, i.json.action, i.json.total])).toEqual([
			['CS-MONEY-2', 'created', 63.21],
		]);
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 0 });
		const details = failed[0].json.details as IDataObject;
		expect(String(details.description)).toContain(
			'the invoice total would be GBP 73.44 in Xero but is GBP 73.40 in Commusoft (difference +0.04)',
		);
		// nothing was written for it; the other is in Xero with Commusoft's total, sent with unitdp=4
		const stored = xero.state(org.tenantId).invoices;
		expect(stored.map((i) => [i.InvoiceNumber, i.Total])).toEqual([['CS-MONEY-2', 63.21]]);
		expect(stored[0].LineItems[0].UnitAmount).toBe(0.3333);
		const writes = xero
			.calls()
			.filter(
				(c) =>
					c.tenantId === org.tenantId && ['PUT /Invoices', 'POST /Invoices'].includes(c.endpoint),
			);
		expect(writes.length).toBeGreaterThan(0);
		for (const call of writes)
			expect(new URL(call.path, 'http://x').searchParams.get('unitdp')).toBe('4');
	});

	it("checks Xero's answer when the total cannot be known before sending (a line priced by its Xero item)", async () => {
		const org = addXeroOrg(xero, `Money org ${++orgs}`, 'full');
		// No unit price: Xero prices the line from item MAG-22 (89.99 + 20% VAT = 107.99). Commusoft says 100.
		const priced = invoice(
			'CS-MONEY-3',
			[
				{
					id: 'd',
					description: 'Filter',
					quantity: 1,
					itemCode: 'MAG-22',
					nominalCode: '220',
					vatRate: '20%',
				},
			],
			100,
		);
		const run = await upsert(org, [priced]);
		const [ok, failed] = run.outputs;
		expect(ok).toHaveLength(0);
		expect(failed).toHaveLength(1);
		const details = failed[0].json.details as IDataObject;
		expect(String(failed[0].json.error)).toContain("Xero's total 107.99 is not Commusoft's 100");
		expect(String(details.description)).toContain(
			'the invoice total is GBP 107.99 in Xero but GBP 100.00 in Commusoft (difference +7.99)',
		);
		expect(String(details.description)).toMatch(
			/was created in Xero as CS-MONEY-3 \(InvoiceID [0-9a-f-]{36}\)/,
		);
	});
});
