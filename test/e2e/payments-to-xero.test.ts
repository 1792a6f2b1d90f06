// Template 07 (Commusoft payments → Xero) in a real n8n 2.40.5, published beside template 02 (Xero payments →
// Commusoft): the on-site payments Commusoft holds reach Xero once each, payments on invoices Xero lacks go to the
// error output, and neither flow brings the other's payments back.
import { describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import { invoiceTotals } from '../../sandbox/commusoft/state';
import {
	loadTemplates,
	nodeOutput,
	payInXero,
	setupE2e,
	unsuccessfulExecutions,
	waitFor,
	type WorkflowJson,
} from './harness';

function template(file: string, tenantId: string): WorkflowJson {
	const found = loadTemplates({ tenantId }).find((t) => t.file === file);
	if (!found) throw new Error(`template ${file} not found`);
	const workflow = structuredClone(found.workflow);
	for (const node of workflow.nodes as Array<{
		type: string;
		parameters: Record<string, unknown>;
	}>) {
		// Poll every minute instead of every 15 (the test's only change to what the sticky notes ask for).
		if (node.type.endsWith('Trigger') && node.parameters.pollTimes)
			node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
		if (node.type.endsWith('.commusoftTrigger'))
			node.parameters.backfillFrom = '2020-01-01T00:00:00Z';
	}
	return workflow;
}

describe('template 07 in real n8n', () => {
	const e2e = setupE2e();

	it('records on-site payments in Xero once each, beside template 02, with no loop either way', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const commusoft = (sandbox.commusoft as RunningCommusoftSandbox).state;
			const onSite = commusoft.data.payments.filter((p) => !p.externalReference);
			expect(onSite.length).toBeGreaterThan(4);
			// The invoices of four payments are in Xero (as template 01 would have sent them); the first still owes
			// something in Commusoft, so a payment entered in Xero can be recorded there too.
			const invoiceOf = (p: (typeof onSite)[number]) =>
				commusoft.data.invoices.find((i) => i.uuid === p.invoiceUuid)!;
			const owed = (p: (typeof onSite)[number]) =>
				invoiceTotals(commusoft.data, invoiceOf(p)).amountOutstanding;
			const sent = [...onSite].sort((a, b) => owed(b) - owed(a)).slice(0, 4);
			expect(owed(sent[0])).toBeGreaterThanOrEqual(1);
			const token = xero.issueToken({ lifetimeSec: 600 }).access_token;
			const invoices = sent.map(
				(p) => commusoft.data.invoices.find((i) => i.uuid === p.invoiceUuid)!,
			);
			const response = await fetch(`${sandbox.xeroUrl}/api.xro/2.0/Invoices`, {
				method: 'PUT',
				headers: {
					authorization: `Bearer ${token}`,
					'xero-tenant-id': xero.defaultTenantId,
					accept: 'application/json',
					'content-type': 'application/json',
				},
				body: JSON.stringify({
					Invoices: [...new Map(invoices.map((i) => [i.uuid, i])).values()].map((i) => ({
						Type: 'ACCREC',
						Contact: { ContactID: xero.state().contacts[0].ContactID },
						InvoiceNumber: i.invoiceNumber,
						Status: 'AUTHORISED',
						LineAmountTypes: 'NoTax',
						Url: `${sandbox.commusoftUrl}/app/invoices/${i.uuid}`,
						LineItems: [
							{
								Description: 'Works',
								Quantity: 1,
								UnitAmount: 5000,
								AccountCode: '200',
								TaxType: 'NONE',
							},
						],
					})),
				}),
			});
			expect(response.status).toBe(200);
			const markerOf = (id: string) => new RegExp(`^Commusoft payment ${id}`);
			const inXero = (id: string) =>
				xero
					.state()
					.payments.filter(
						(p) => p.Status === 'AUTHORISED' && markerOf(id).test(p.Reference ?? ''),
					);

			const back = await n8n.importWorkflow(
				template('02-xero-payments-to-commusoft.json', xero.defaultTenantId),
			);
			await n8n.publishWorkflow(back);
			const out = await n8n.importWorkflow(
				template('07-commusoft-payments-to-xero.json', xero.defaultTenantId),
			);
			await n8n.publishWorkflow(out);
			const [first] = await n8n.waitForExecutions(out, 1, 180_000);
			expect(first.status).toBe('success');
			const { run } = await n8n.getExecution(first.id);
			const recorded = nodeOutput(run, 'Recorded in Xero');
			const refused = nodeOutput(run, 'Needs Office Attention');
			expect(recorded.map((r) => r.commusoftPaymentId).sort()).toEqual(
				sent.map((p) => p.uuid).sort(),
			);
			for (const p of sent) expect(inXero(p.uuid)).toHaveLength(1);
			// Every other on-site payment names its invoice and the fix (send the invoice to Xero first).
			expect(refused).toHaveLength(onSite.length - sent.length);
			for (const r of refused) expect(String(r.error)).toMatch(/is not in Xero/);

			// A payment entered in Xero by hand reaches Commusoft through template 02 …
			const byHand = await payInXero(
				sandbox,
				{ invoiceNumber: invoices[0].invoiceNumber, uuid: invoices[0].uuid },
				1,
			);
			await waitFor(
				'template 02 records the Xero payment in Commusoft',
				async () => commusoft.data.payments.some((p) => p.externalReference === byHand),
				{ timeoutMs: 180_000, intervalMs: 1000 },
			);
			// … and template 07 sees it in Commusoft and skips it. Template 02 had polled after template 07's writes
			// (it recorded the later hand payment), so a loop would show by now.
			await waitFor(
				'template 07 polls again',
				async () => (await n8n.listExecutions(out)).length >= 2,
				{ timeoutMs: 180_000, intervalMs: 1000 },
			);
			const fromXero = commusoft.data.payments.filter((p) => p.externalReference);
			expect(fromXero.map((p) => p.externalReference)).toEqual([byHand]);
			expect(
				xero
					.state()
					.payments.filter(
						(p) => p.Status === 'AUTHORISED' && p.Reference?.startsWith('Commusoft payment'),
					),
			).toHaveLength(sent.length);
			for (const p of sent) expect(inXero(p.uuid)).toHaveLength(1);
			// No run of template 07 failed (its minute poll may still be running: unsuccessfulExecutions).
			const executions = await n8n.listExecutions(out);
			expect(unsuccessfulExecutions(executions)).toEqual([]);
			expect(executions.some((e) => e.status === 'success')).toBe(true);
		}));
});
