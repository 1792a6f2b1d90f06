/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Queue mode as n8n documents it for production: EXECUTIONS_MODE=queue with Debian's redis-server and
// PostgreSQL on loopback (a throwaway cluster, harness/postgres.ts), one main and two workers. The main only
// receives the webhook and enqueues; a worker loads our community package and runs the workflow.
// Worker crash recovery is tightened from n8n's defaults so a killed worker's job is given up in seconds, not
// minutes: Bull's lock lasts 10 s (renewed every 2 s) and is checked every 3 s, and the main looks for
// executions whose job is gone every minute (n8n's default: 180). The rules are n8n's own; only the timings change.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { customer, invoice } from '../../bench/lib/invoiceFixtures';
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import type { XeroSandbox } from '../../sandbox';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import { invoiceTotals } from '../../sandbox/commusoft/state';
import type { InvoiceRecord } from '../../sandbox/xero/types';
import {
	chainWorkflow,
	delay,
	inspect,
	isExecutionOver,
	sandboxInvoiceIds,
	setupE2e,
	useXero,
	waitFor,
	type N8nInstance,
	payInXero,
	paymentsToCommusoftWorkflow,
} from './harness';

/** Webhook (body.invoices) → Split → Xero Invoice → Create or Update, matched on invoice number, as AUTHORISED. */
function upsertFromWebhook(
	name: string,
	webhookPath: string,
	tenantId: string,
	extra: Record<string, unknown>,
) {
	return chainWorkflow(name, { webhookPath }, [
		{
			name: 'Split',
			type: 'n8n-nodes-base.splitOut',
			parameters: { fieldToSplitOut: 'body.invoices', include: 'noOtherFields', options: {} },
		},
		{
			name: 'Xero',
			type: 'xeroAccounting',
			credentials: useXero,
			parameters: {
				resource: 'invoice',
				operation: 'upsert',
				tenantId,
				invoiceSource: 'item',
				matchOn: 'invoiceNumber',
				status: 'AUTHORISED',
				contactFallback: 'email',
				...extra,
			},
		},
	]);
}

/** Each execution is reported finished by exactly one worker: a worker, not main, ran it. */
function expectRanOnOneWorker(n8n: N8nInstance, executionIds: string[]) {
	const workerLogs = n8n.workers.map((w) => readFileSync(w.logFile, 'utf8'));
	for (const id of executionIds) {
		const ranOn = workerLogs.filter((log) =>
			new RegExp(`Worker finished execution ${id} \\(`).test(log),
		);
		expect(ranOn, `execution ${id} in a worker log`).toHaveLength(1);
	}
}

/** A Commusoft invoice mirrored into Xero (same number, link back) and paid there; returns the PaymentID. */

describe('package in real n8n (queue mode: PostgreSQL + redis, main + 2 workers)', () => {
	const e2e = setupE2e({
		mode: 'queue',
		workers: 2,
		env: {
			QUEUE_WORKER_LOCK_DURATION: '10000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
			QUEUE_WORKER_STALLED_INTERVAL: '3000',
			N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '1',
		},
	});

	it('runs on PostgreSQL, as n8n documents queue mode for production', () =>
		e2e.withN8n(async (n8n) => {
			expect(n8n.postgres, 'a PostgreSQL server started by the harness').toBeDefined();
			expect(n8n.env.DB_TYPE).toBe('postgresdb');
			for (const process of [n8n.main, ...n8n.workers]) {
				expect(readFileSync(process.logFile, 'utf8')).not.toMatch(
					/not officially supported with sqlite/i,
				);
			}
		}));

	it('a published webhook workflow runs on a worker: Xero Accounting → Invoice → Get Many', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			expect(n8n.workers).toHaveLength(2);
			const xero = sandbox.xero as XeroSandbox;
			const id = await n8n.importWorkflow(
				chainWorkflow('e2e: queue-mode Xero invoices', { webhookPath: 'e2e-queue-invoices' }, [
					{
						name: 'Invoices',
						type: 'xeroAccounting',
						parameters: {
							resource: 'invoice',
							operation: 'getMany',
							returnAll: true,
							tenantId: xero.defaultTenantId,
						},
						credentials: useXero,
					},
				]),
			);
			await n8n.publishWorkflow(id);

			const responses = await Promise.all(
				[1, 2, 3, 4].map(() => n8n.callWebhook('e2e-queue-invoices', { body: { from: 'e2e' } })),
			);
			const expected = (await sandboxInvoiceIds(sandbox)).sort();
			for (const response of responses) {
				expect(response.status, response.text.slice(0, 500)).toBe(200);
				const invoices = response.body as Array<{ InvoiceID: string }>;
				expect(invoices.map((i) => i.InvoiceID).sort()).toEqual(expected);
			}

			const executions = await n8n.waitForExecutions(id, 4);
			expect(executions.every((e) => e.status === 'success' && e.mode === 'webhook')).toBe(true);
			expectRanOnOneWorker(
				n8n,
				executions.map((e) => e.id),
			);
		}));

	it('Invoice → Upsert on a worker through faults: exactly the input in Xero, one contact per customer', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const tenantId = xero.defaultTenantId;
			type State = {
				invoices: InvoiceRecord[];
				contacts: Array<{ ContactID: string; ContactNumber?: string; Name: string }>;
			};
			const readState = () =>
				inspect<State>(sandbox.xeroUrl, `state?tenantId=${encodeURIComponent(tenantId)}`);
			const before = await readState();
			// 40 invoices for 10 customers, numbers of their own (not the demo organisation's).
			const customers = Array.from({ length: 10 }, (_, n) =>
				customer(700 + n, { accountReference: `EQ-CUS-${700 + n}` }),
			);
			const input: CommusoftInvoiceInput[] = Array.from({ length: 40 }, (_, n) =>
				invoice(n, customers[n % 10], { lines: 2 + (n % 3), prefix: 'EQ' }),
			);
			const id = await n8n.importWorkflow(
				upsertFromWebhook('e2e: queue-mode invoice upsert', 'e2e-queue-upsert', tenantId, {
					requestOptions: { maxRetries: 8, retryDelayMs: 50, timeoutMs: 2000 },
				}),
			);
			await n8n.publishWorkflow(id);
			await inspect(sandbox.xeroUrl, 'faults', {
				seed: 71,
				burst429: 3,
				error500Rate: 0.1,
				error503Rate: 0.08,
				resetRate: 0.05,
				timeoutRate: 0.03,
			});
			xero.clearCalls();
			let response;
			try {
				response = await n8n.callWebhook('e2e-queue-upsert', { body: { invoices: input } });
			} finally {
				await inspect(sandbox.xeroUrl, 'faults', {});
			}
			expect(response.status, response.text.slice(0, 500)).toBe(200);
			const calls = xero.calls().filter((c) => c.tenantId === tenantId);
			expect(calls.filter((c) => c.fault && c.fault !== 'burst429').length).toBeGreaterThanOrEqual(
				1,
			);
			const output = response.body as Array<{ invoiceNumber: string; action: string }>;
			expect(output.map((o) => o.invoiceNumber)).toEqual(input.map((i) => i.invoiceNumber));
			expect(new Set(output.map((o) => o.action))).toEqual(new Set(['created']));

			const [execution] = await n8n.waitForExecutions(id, 1);
			expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
			expectRanOnOneWorker(n8n, [execution.id]);

			const state = await readState();
			const ours = state.invoices.filter((i) => i.InvoiceNumber?.startsWith('EQ-'));
			expect(ours.map((i) => i.InvoiceNumber).sort()).toEqual(
				input.map((i) => i.invoiceNumber).sort(),
			);
			expect(state.invoices).toHaveLength(before.invoices.length + input.length);
			for (const source of input) {
				const stored = ours.find((i) => i.InvoiceNumber === source.invoiceNumber)!;
				expect(
					{
						Type: stored.Type,
						Status: stored.Status,
						Reference: stored.Reference,
						Lines: stored.LineItems.length,
					},
					source.invoiceNumber,
				).toEqual({
					Type: 'ACCREC',
					Status: 'AUTHORISED',
					Reference: source.reference,
					Lines: source.lines!.length,
				});
			}
			const numbers = state.contacts
				.map((c) => c.ContactNumber)
				.filter((n) => n?.startsWith('EQ-CUS-'));
			expect(numbers).toHaveLength(10);
			expect(new Set(numbers).size).toBe(10);
			expect(state.contacts).toHaveLength(before.contacts.length + 10);
			await n8n.unpublishWorkflow(id);
		}));

	it('a worker SIGKILLed mid-upsert: n8n gives the job up, the sender is told, one re-delivery → every invoice in Xero exactly once', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const tenantId = xero.defaultTenantId;
			type State = {
				invoices: InvoiceRecord[];
				contacts: Array<{ ContactID: string; ContactNumber?: string; Name: string }>;
			};
			const readState = () =>
				inspect<State>(sandbox.xeroUrl, `state?tenantId=${encodeURIComponent(tenantId)}`);
			const ours = (state: State) =>
				state.invoices.filter((i) => i.InvoiceNumber?.startsWith('EK-'));
			const before = await readState();
			const customers = Array.from({ length: 8 }, (_, n) =>
				customer(800 + n, { accountReference: `EK-CUS-${800 + n}` }),
			);
			const input: CommusoftInvoiceInput[] = Array.from({ length: 40 }, (_, n) =>
				invoice(n, customers[n % 8], { lines: 2, prefix: 'EK' }),
			);
			const id = await n8n.importWorkflow(
				upsertFromWebhook('e2e: queue-mode worker kill', 'e2e-queue-kill', tenantId, {
					// Batches of 5: eight invoice writes, so the kill lands between (or inside) writes.
					options: { batchSize: 5 },
				}),
			);
			await n8n.publishWorkflow(id);
			// Every Xero call takes 1.5 s: the run lasts long enough to be cut off mid-way.
			await inspect(sandbox.xeroUrl, 'faults', { seed: 5, latencyMs: 1500 });
			try {
				const call = n8n
					.callWebhook('e2e-queue-kill', { body: { invoices: input } })
					.catch((error: Error) => ({ status: 0, text: error.message, body: undefined }));

				// Kill the worker that runs it once some invoices, not all, are in Xero.
				await waitFor(
					'some but not all invoices written',
					async () => {
						const written = ours(await readState()).length;
						return written > 0 && written < input.length;
					},
					{ timeoutMs: 120_000, process: n8n.main, intervalMs: 200 },
				);
				const [running] = (await n8n.listExecutions(id)).filter((e) => e.status === 'running');
				expect(running, 'the execution is running when the worker is killed').toBeDefined();
				const victim = n8n.workers.find((w) =>
					new RegExp(`Worker started execution ${running.id} \\(`).test(
						readFileSync(w.logFile, 'utf8'),
					),
				);
				expect(victim, `a worker log says it started execution ${running.id}`).toBeDefined();
				await victim!.kill();
				const writtenAtKill = ours(await readState()).length;
				expect(writtenAtKill).toBeLessThan(input.length);

				// n8n gives the job up (Bull: stalled; the main: no job left for the execution → crashed).
				await waitFor(
					`execution ${running.id} given up by n8n`,
					async () => isExecutionOver((await n8n.getExecution(running.id)).status),
					{ timeoutMs: 180_000, process: n8n.main, intervalMs: 1000 },
				);
				const crashed = await n8n.getExecution(running.id);
				expect(['crashed', 'error']).toContain(crashed.status);
				// The sender hears that the delivery failed (n8n answers the webhook with an error, or the
				// connection ends): it is not told "done" for work that was cut off.
				const first = await Promise.race([
					call,
					delay(30_000).then(() => ({
						status: -1,
						text: 'no answer within 30 s',
						body: undefined,
					})),
				]);
				expect(first.status, `the first delivery's answer: ${first.text.slice(0, 300)}`).not.toBe(
					200,
				);
				expect(first.status).not.toBe(-1);

				// n8n does not run a given-up queue job again, and its Retry cannot resume one (2.40.5: the main
				// replaces the execution's data with the stall error, so there is no node to resume from). The
				// recovery is the sender's re-delivery, or a template's "Send … Now" path: one retry, same input.
				await inspect(sandbox.xeroUrl, 'faults', {});
				const writtenBeforeRetry = ours(await readState()).length;
				const second = await n8n.callWebhook('e2e-queue-kill', { body: { invoices: input } });
				expect(second.status, second.text.slice(0, 500)).toBe(200);
				const output = second.body as Array<{ invoiceNumber: string; action: string }>;
				expect(output.map((o) => o.invoiceNumber)).toEqual(input.map((i) => i.invoiceNumber));
				const created = output.filter((o) => o.action === 'created').length;
				expect(created, 'the retry creates only what the cut-off run had not').toBe(
					input.length - writtenBeforeRetry,
				);
				for (const o of output) expect(['created', 'unchanged', 'updated']).toContain(o.action);
			} finally {
				await inspect(sandbox.xeroUrl, 'faults', {});
			}

			const state = await readState();
			const numbers = ours(state).map((i) => i.InvoiceNumber);
			expect(numbers.sort(), 'each invoice once: none lost, none twice').toEqual(
				input.map((i) => i.invoiceNumber).sort(),
			);
			expect(state.invoices).toHaveLength(before.invoices.length + input.length);
			const contactNumbers = state.contacts
				.map((c) => c.ContactNumber)
				.filter((n) => n?.startsWith('EK-CUS-'));
			expect(contactNumbers.sort()).toEqual(customers.map((c) => c.accountReference).sort());
			await n8n.unpublishWorkflow(id);
		}));

	it('published Xero Payment Trigger → Commusoft Payment Create: polls on main, runs on workers, each payment once', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const commusoft = sandbox.commusoft as RunningCommusoftSandbox;
			const open = commusoft.state.data.invoices.filter(
				(i) =>
					i.status === 'raised' &&
					i.invoiceNumber.startsWith('CS-') &&
					invoiceTotals(commusoft.state.data, i).amountOutstanding >= 60,
			);
			expect(open.length).toBeGreaterThanOrEqual(3);
			const recordedFor = (paymentId: string) =>
				commusoft.state.data.payments.filter((p) => p.externalReference === paymentId);
			const pay = (n: number, amount: number) => payInXero(sandbox, open[n], amount);

			// Paid before publishing: the backfill on activation picks them up.
			const early = [await pay(0, 11), await pay(1, 13.5)];
			const id = await n8n.importWorkflow(
				paymentsToCommusoftWorkflow('e2e: queue-mode Xero payments → Commusoft', {
					tenantId: xero.defaultTenantId,
				}),
			);
			await n8n.publishWorkflow(id);
			await waitFor(
				'the backfilled payments in Commusoft',
				async () => early.every((p) => recordedFor(p).length > 0),
				{ timeoutMs: 120_000, process: n8n.main, intervalMs: 500 },
			);

			// Paid after activation: arrives through a later poll.
			const later = await pay(2, 21);
			await waitFor('the later payment in Commusoft', async () => recordedFor(later).length > 0, {
				timeoutMs: 150_000,
				process: n8n.main,
				intervalMs: 1000,
			});
			await n8n.unpublishWorkflow(id);

			for (const paymentId of [...early, later]) {
				expect(recordedFor(paymentId), paymentId).toHaveLength(1);
			}
			expect([...early, later].map((p) => recordedFor(p)[0].amount)).toEqual([11, 13.5, 21]);
			const executions = await n8n.listExecutions(id);
			expect(executions.length).toBeGreaterThanOrEqual(2);
			expect(executions.every((e) => e.status === 'success' && e.mode === 'trigger')).toBe(true);
			expectRanOnOneWorker(
				n8n,
				executions.map((e) => e.id),
			);
		}));
});
