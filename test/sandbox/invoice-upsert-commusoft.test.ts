// Commusoft node → Xero Invoice → Upsert with no mapping in between (docs/ARCHITECTURE.md "Records between
// nodes"): the invoices the Commusoft node reads from the Commusoft sandbox go straight into the upsert.
import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CommusoftInvoice } from '../../nodes/Commusoft/records';
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { runNode } from '../helpers/n8nCore';
import { sandboxCredentials, UNLIMITED, type SandboxCredentials } from '../helpers/xeroSandbox';

// Compile-time: the Commusoft record is accepted by the upsert's input type as it is.
const accepts = (invoice: CommusoftInvoice): CommusoftInvoiceInput => invoice;
void accepts;

let sandbox: RunningSandbox;
let credentials: SandboxCredentials;
let tenantId: string;

beforeAll(async () => {
	sandbox = await startSandbox({
		xero: { log: () => {}, limits: UNLIMITED },
	});
	tenantId = sandbox.xero.addTenant('Commusoft flow org', 'empty');
	const token = sandbox.xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 24 * 3600 });
	credentials = sandboxCredentials(sandbox, token);
});
afterAll(async () => await sandbox.close());

describe('Commusoft invoices → Xero upsert, no mapping', () => {
	it('upserts every Commusoft invoice as read, then finds them all unchanged', async () => {
		const read = await runNode(
			'commusoft',
			{ resource: 'invoice', operation: 'getMany', returnAll: true },
			[{}],
			credentials,
		);
		const invoices = read.items.map((item) => item.json as unknown as CommusoftInvoice);
		expect(invoices.length).toBeGreaterThan(0);

		const upsert = async () =>
			await runNode(
				'xeroAccounting',
				{
					resource: 'invoice',
					operation: 'upsert',
					tenantId,
					invoiceSource: 'item',
					matchOn: 'invoiceNumber',
					status: 'AUTHORISED',
					contactFallback: 'email',
					tracking: { mapping: [{ category: 'Business Unit', option: '={{ $json.category }}' }] },
					options: { createTrackingOptions: true },
				},
				invoices.map((json) => ({ json: json as unknown as IDataObject })),
				credentials,
				{ node: { onError: 'continueErrorOutput' } },
			);
		const first = await upsert();
		const [ok, failed = []] = first.outputs;
		expect(failed.map((i) => i.json.error)).toEqual([]);
		expect(ok).toHaveLength(invoices.length);
		const expected = invoices.map((inv) => (inv.status === 'cancelled' ? 'refused' : 'created'));
		expect(ok.map((i) => i.json.action)).toEqual(expected);

		const stored = sandbox.xero.state(tenantId).invoices;
		for (const inv of invoices.filter((i) => i.status !== 'cancelled')) {
			const [match] = stored.filter((s) => s.InvoiceNumber === inv.invoiceNumber);
			expect(match.LineItems.map((l) => l.AccountCode)).toEqual(
				inv.lines.map((l) => l.nominalCode),
			);
			expect(match.LineItems.map((l) => l.UnitAmount)).toEqual(
				inv.lines.map((l) => Number(l.unitPrice.toFixed(4))),
			);
		}

		// Part codes that are not items of this (empty) organisation are left out of the line, with a warning
		const withCodes = invoices.findIndex(
			(inv) => inv.status !== 'cancelled' && inv.lines.some((l) => l.itemCode),
		);
		expect(withCodes).toBeGreaterThanOrEqual(0);
		expect(ok[withCodes].json.warnings).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/ItemCode \(itemCode\): item code ".+" is not an item in Xero/),
			]),
		);

		const second = await upsert();
		expect((second.outputs[1] ?? []).length).toBe(0);
		expect(second.outputs[0].map((i) => i.json.action)).toEqual(
			expected.map((a) => (a === 'created' ? 'unchanged' : a)),
		);
	});
});
