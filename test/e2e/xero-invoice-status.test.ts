/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The template templates/xero-invoice-status-to-commusoft.json in a real n8n 2.40.5, on its webhook trigger (the
// polling trigger deleted, as its note says): the Xero sandbox is pointed at the published webhook, Xero voids,
// deletes, fully pays and fully credits four invoices that came from Commusoft, and each Commusoft invoice gets
// exactly one note; Xero's deliveries sent again, and a voided invoice that did not come from Commusoft, add none.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import { createWebhookDispatcher } from '../../sandbox/xero/webhooks';
import { xeroApiCall } from '../helpers/xeroSandbox';
import {
	delay,
	nodeOutput,
	REPO_ROOT,
	setupE2e,
	useCommusoft,
	useXero,
	useXeroWebhookKey,
	waitFor,
	XERO_SANDBOX_WEBHOOK_KEY,
	type WorkflowJson,
} from './harness';

const WEBHOOK_ID = 'e2e-xero-invoice-status';

/** The template as a user with webhooks keeps it: the polling trigger deleted, the sandbox credentials picked. */
function templateWorkflow(): WorkflowJson {
	const template = JSON.parse(
		readFileSync(
			path.join(REPO_ROOT, 'templates', 'xero-invoice-status-to-commusoft.json'),
			'utf8',
		),
	) as {
		nodes: Array<Record<string, unknown>>;
		connections: Record<string, unknown>;
	} & Record<string, unknown>;
	const polling = 'Xero Invoice Status (Polling)';
	const nodes = template.nodes
		.filter((node) => node.name !== polling)
		.map((node, i) => {
			const credentials = node.credentials as Record<string, unknown> | undefined;
			return {
				...node,
				id: `status-${i}`,
				...(node.name === 'Xero Webhook Trigger' ? { webhookId: WEBHOOK_ID } : {}),
				...(credentials
					? {
							credentials: {
								...(credentials.xeroWebhookSigningKeyApi ? useXeroWebhookKey : {}),
								...(credentials.xeroAccountingOAuth2Api ? useXero : {}),
								...(credentials.commusoftApi ? useCommusoft : {}),
							},
						}
					: {}),
			};
		});
	const connections = { ...template.connections };
	delete connections[polling];
	return {
		...template,
		name: 'e2e: Xero invoice status → Commusoft',
		nodes,
		connections,
	} as unknown as WorkflowJson;
}

describe('Xero invoice status → Commusoft in real n8n', () => {
	const e2e = setupE2e();

	it('voided, deleted, paid and credited each reach Commusoft as one note; redelivered events add none', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const commusoft = sandbox.commusoft as RunningCommusoftSandbox;
			const tenantId = xero.defaultTenantId;
			const caller = {
				url: sandbox.xeroUrl,
				tenantId,
				accessToken: xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 3600 }).access_token,
			};
			const call = (method: string, apiPath: string, body?: unknown) =>
				xeroApiCall(caller, method, apiPath, body);
			const contactId = xero.state(tenantId).contacts[0].ContactID;

			const id = await n8n.importWorkflow(templateWorkflow());
			await n8n.publishWorkflow(id);
			const url = `${n8n.url}/webhook/${WEBHOOK_ID}/webhook`;
			await waitFor(
				'the Xero webhook to be registered',
				async () => (await fetch(url, { method: 'POST' })).status !== 404,
				{ timeoutMs: 30_000, process: n8n.main },
			);
			const configured = (await xero.configureWebhooks({
				url,
				signingKey: XERO_SANDBOX_WEBHOOK_KEY,
			})) as { intentToReceive: { ok: boolean } };
			expect(configured.intentToReceive.ok).toBe(true);

			const data = commusoft.state.data;
			const invoice = async (i: number, status: 'DRAFT' | 'AUTHORISED', number?: string) => {
				const raised = commusoft.state.raiseInvoice({
					customerUuid: data.customers[i].uuid,
					invoiceNumber: `CS-E2E-${i}`,
					lines: [
						{
							description: 'Boiler service',
							quantity: 1,
							unitPrice: 150,
							nominalCode: data.nominalCodes[0].code,
							vatRate: 'No VAT',
						},
					],
				});
				const body = await call('PUT', '/Invoices', {
					Invoices: [
						{
							Type: 'ACCREC',
							Contact: { ContactID: contactId },
							InvoiceNumber: number ?? String(raised.invoiceNumber),
							Status: status,
							DueDate: '2026-12-31',
							LineAmountTypes: 'NoTax',
							Url: String(raised.url),
							LineItems: [
								{ Description: 'Boiler service', Quantity: 1, UnitAmount: 150, AccountCode: '200' },
							],
						},
					],
				});
				return {
					commusoftId: String(raised.uuid),
					xeroId: String((body.Invoices as Array<{ InvoiceID: string }>)[0].InvoiceID),
				};
			};
			const voided = await invoice(0, 'AUTHORISED');
			const deleted = await invoice(1, 'DRAFT');
			const paid = await invoice(2, 'AUTHORISED');
			const credited = await invoice(3, 'AUTHORISED');
			const foreign = await invoice(4, 'AUTHORISED', 'INV-E2E-4');
			const setStatus = (invoiceId: string, Status: string) =>
				call('POST', `/Invoices/${invoiceId}`, { Invoices: [{ InvoiceID: invoiceId, Status }] });
			await setStatus(voided.xeroId, 'VOIDED');
			await setStatus(deleted.xeroId, 'DELETED');
			await setStatus(foreign.xeroId, 'VOIDED');
			await call('PUT', '/Payments', {
				Payments: [
					{
						Invoice: { InvoiceID: paid.xeroId },
						Account: { Code: '090' },
						Amount: 150,
						Date: '2026-11-25',
					},
				],
			});
			const note = await call('PUT', '/CreditNotes', {
				CreditNotes: [
					{
						Type: 'ACCRECCREDIT',
						Contact: { ContactID: contactId },
						Status: 'AUTHORISED',
						LineAmountTypes: 'NoTax',
						LineItems: [
							{ Description: 'Goodwill', Quantity: 1, UnitAmount: 150, AccountCode: '200' },
						],
					},
				],
			});
			const creditNoteId = (note.CreditNotes as Array<{ CreditNoteID: string }>)[0].CreditNoteID;
			await call('PUT', `/CreditNotes/${creditNoteId}/Allocations`, {
				Allocations: [{ Invoice: { InvoiceID: credited.xeroId }, Amount: 150, Date: '2026-11-26' }],
			});

			const notes = (commusoftId: string) =>
				data.invoices.find((i) => i.uuid === commusoftId)?.xeroStatus?.notes ?? [];
			const ours = { VOIDED: voided, DELETED: deleted, PAID: paid, CREDITED: credited };
			await waitFor(
				'each Commusoft invoice to get its Xero status',
				async () => Object.values(ours).every((i) => notes(i.commusoftId).length > 0),
				{ timeoutMs: 60_000, process: n8n.main },
			);
			for (const [state, i] of Object.entries(ours)) {
				expect(data.invoices.find((x) => x.uuid === i.commusoftId)?.xeroStatus?.state).toBe(state);
			}
			expect(notes(foreign.commusoftId)).toEqual([]);

			for (const i of Object.values(ours)) expect(notes(i.commusoftId)).toHaveLength(1);
			const settled = async () => {
				let seen = -1;
				for (;;) {
					const list = await n8n.listExecutions(id);
					if (list.length === seen) return list;
					seen = list.length;
					await delay(3000);
				}
			};
			const outcomes = async (executionIds: string[]) => {
				const results: string[] = [];
				for (const executionId of executionIds) {
					const { run } = await n8n.getExecution(executionId);
					const items = nodeOutput(run, 'Xero Webhook Trigger');
					const written = run.data.resultData.runData['Record in Commusoft']
						? nodeOutput(run, 'Record in Commusoft').map((r) => r.result)
						: [];
					results.push(
						`${items.map((item) => `${String(item.invoiceNumber ?? item.resourceId)}:${String(item.state ?? item.fetchError)}`).join(',')} → ${written.join(',')}`,
					);
				}
				return results;
			};
			const before = await settled();
			console.log(
				`[invoice-status e2e] runs started by Xero's deliveries:\n${(await outcomes(before.map((e) => e.id))).join('\n')}`,
			);

			// Every event Xero sent, sent again (Xero's retries): no note is added. A run may start again where two
			// deliveries raced on the trigger's saved memory (docs/ARCHITECTURE.md, "Webhook deliveries are emitted
			// once"); Commusoft then answers that the change is already recorded.
			const dispatcher = createWebhookDispatcher({
				url,
				signingKey: XERO_SANDBOX_WEBHOOK_KEY,
				apiBaseUrl: sandbox.xeroUrl,
			});
			const again = await dispatcher.emit(xero.events());
			expect(again.every((delivery) => delivery.delivered)).toBe(true);
			await delay(3000);
			const known = new Set(before.map((e) => e.id));
			const later = (await settled()).filter((e) => !known.has(e.id));
			const laterOutcomes = await outcomes(later.map((e) => e.id));
			console.log(
				`[invoice-status e2e] runs started by the redelivery: ${later.length}\n${laterOutcomes.join('\n')}`,
			);
			for (const line of laterOutcomes)
				expect(
					line
						.split(' → ')[1]
						.split(',')
						.filter((result) => result === 'recorded'),
				).toEqual([]);
			for (const i of Object.values(ours)) expect(notes(i.commusoftId)).toHaveLength(1);
			expect(notes(foreign.commusoftId)).toEqual([]);
			await xero.configureWebhooks(null);
			await n8n.unpublishWorkflow(id);
		}));
});
