// Queue mode: EXECUTIONS_MODE=queue with Debian's redis-server on loopback, one main and two workers. The
// main only receives the webhook and enqueues; a worker loads our community package and runs the workflow.
// Database: SQLite, shared by main and workers. n8n 2.40.5 only warns ("Scaling mode is not officially
// supported with sqlite") and runs; every process opens the same WAL-mode file in the throwaway user folder.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox';
import { chainWorkflow, sandboxInvoiceIds, setupE2e, useXero } from './harness';

describe('package in real n8n (queue mode: redis, main + 2 workers)', () => {
	const e2e = setupE2e({ mode: 'queue', workers: 2 });

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
			// The workers, not main, ran them: each execution is reported finished by exactly one worker.
			const workerLogs = n8n.workers.map((w) => readFileSync(w.logFile, 'utf8'));
			for (const execution of executions) {
				const ranOn = workerLogs.filter((log) =>
					new RegExp(`Worker finished execution ${execution.id} \\(`).test(log),
				);
				expect(ranOn, `execution ${execution.id} in a worker log`).toHaveLength(1);
			}
		}));
});
