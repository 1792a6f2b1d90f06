// Reports refuse records they cannot read, per item, through n8n-core's real WorkflowExecute:
// the error names the item, the field and the fix, leaves by the error output under "Continue (using error
// output)", and no raw TypeError reaches the user. The record tables per report are in test/unit/report-input.
import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runNode } from '../helpers/n8nCore';
import { startXeroAndCommusoftFixture, type XeroFixture } from '../helpers/xeroSandbox';

let fixture: Awaited<ReturnType<typeof startXeroAndCommusoftFixture>>;
let xero: XeroFixture['xero'];

beforeAll(async () => {
	fixture = await startXeroAndCommusoftFixture();
	xero = fixture.xero;
});
afterAll(async () => await fixture.close());

const invoice = (n: number, extra: IDataObject = {}) => ({
	id: `cs-${n}`,
	invoiceNumber: `CS-${n}`,
	status: 'raised',
	total: 100,
	...extra,
});

const audit = async (invoices: unknown[], onError?: 'continueErrorOutput') =>
	await runNode(
		'xeroAccounting',
		{
			resource: 'report',
			operation: 'audit',
			tenantId: fixture.tenantId,
			commusoftInvoices: `={{ ${JSON.stringify(invoices)} }}`,
			commusoftPayments: '={{ [] }}',
			invoiceNumberPrefix: 'CS-',
		},
		[{ json: {} }],
		fixture.credentials,
		onError ? { node: { onError } } : {},
	);

describe('Report → Audit refuses Commusoft records it cannot read', () => {
	it.each([
		['without an invoice number', { invoiceNumber: undefined }, /"invoiceNumber" is missing/],
		[
			'with a numeric invoice number',
			{ invoiceNumber: 10042 },
			/"invoiceNumber" must be text, not number 10042/,
		],
		['with a total as text', { total: '100.00' }, /"total" must be a number, not text "100.00"/],
	])(
		'an invoice %s: error output, naming the record, the field and the fix',
		async (_, change, message) => {
			xero.clearCalls();
			const run = await audit([invoice(1), invoice(2, change)], 'continueErrorOutput');
			expect(run.error).toBeUndefined();
			const [ok, failed] = run.outputs;
			expect(ok ?? []).toEqual([]);
			expect(failed).toHaveLength(1);
			expect(failed[0].pairedItem).toEqual([{ item: 0 }]);
			expect(String(failed[0].json.error)).toMatch(/^Commusoft Invoices\[1\]/);
			expect(String(failed[0].json.error)).toMatch(message);
			expect(String((failed[0].json.details as IDataObject).description)).toMatch(/Fix: .+\./);
			expect(Object.keys(failed[0].json).sort()).toEqual(['details', 'error']);
			// Nothing was compared: not even Xero was read.
			expect(xero.calls().filter((c) => c.path.includes('/Invoices'))).toEqual([]);
		},
	);

	it('without an error output the run fails with the same message, not a TypeError', async () => {
		const run = await audit([{ ...invoice(3), invoiceNumber: undefined }]);
		expect(run.error?.message).toMatch(/^Commusoft Invoices\[0\]: "invoiceNumber" is missing/);
		expect(run.error?.message).not.toMatch(/TypeError|Cannot read/);
	});

	it('reads well-formed records and reports what Xero lacks', async () => {
		const run = await audit([invoice(4, { total: 100 })]);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.counts).toMatchObject({ missingInXero: 1 });
	});
});

describe('Commusoft → Update Xero Balance Summary refuses items it cannot read', () => {
	it('fails only the malformed item, naming it and the field, on the error output', async () => {
		const good = {
			xeroContactFound: true,
			contactId: null,
			commusoftCustomerId: 'no-such-customer',
			currency: 'GBP',
			balanceOutstanding: 0,
			balanceOverdue: 0,
		};
		const run = await runNode(
			'commusoft',
			{ resource: 'customer', operation: 'updateXeroBalanceSummary' },
			[{ json: { ...good, currency: 826 } }, { json: { ...good, balanceOutstanding: '12.50' } }],
			fixture.credentials,
			{ node: { onError: 'continueErrorOutput' } },
		);
		expect(run.error).toBeUndefined();
		const failed = run.outputs[1];
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(String(failed[0].json.error)).toBe('Item 0: "currency" must be text, not number 826');
		expect(String(failed[1].json.error)).toBe(
			'Item 1: "balanceOutstanding" must be a number, not text "12.50"',
		);
	});
});

describe('Contact → Get Balances refuses a contact field it cannot read', () => {
	it('an object given as Contact ID fails its item instead of falling back to the contact number', async () => {
		const run = await runNode(
			'xeroAccounting',
			{
				resource: 'contact',
				operation: 'getBalances',
				tenantId: fixture.tenantId,
				balanceContactId: '={{ $json.xero }}',
				balanceContactNumber: '={{ $json.accountReference }}',
			},
			[{ json: { xero: { id: 'x' }, accountReference: 'CUS-1' } }],
			fixture.credentials,
			{ node: { onError: 'continueErrorOutput' } },
		);
		expect(run.error).toBeUndefined();
		expect(String(run.outputs[1][0].json.error)).toBe(
			'Item 0: "Contact ID" must be text, not an object',
		);
	});
});
