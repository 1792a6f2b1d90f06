/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The queue-mode row of `npm run bench` (bench/README.md "Queue mode"): a second n8n, started by the e2e harness
// in queue mode as n8n documents it for production (PostgreSQL, Redis, one main and two `n8n worker`
// processes; test/e2e/harness/n8n.ts), runs the concurrent part (bench/lib/smallRuns.ts `concurrentRuns`):
// K executions at once into one organisation. Each worker is its own process with its own per-organisation
// limiter, so the two workers share Xero's minute and its 5 concurrent calls without knowing of each other.
import { readFileSync } from 'node:fs';

import type { XeroSandbox } from '../../sandbox/xero/server';
import { packPackage, startN8n } from '../../test/e2e/harness/core';
import { credentials } from '../workload';
import { concurrentRuns, type ConcurrentResult } from './smallRuns';

export interface QueueModeResult extends ConcurrentResult {
	workers: number;
	/** executions each worker's log says it finished */
	perWorker: number[];
	/** main + workers up, seconds */
	startupMs: number;
}

export async function queueModeRun(
	xero: XeroSandbox,
	opts: { executions: number; invoicesEach: number; latencyMs: number; scale: number },
): Promise<QueueModeResult> {
	const workers = 2;
	const tenantId = xero.addTenant('Bench Queue Mode Ltd', 'empty');
	const { tarball } = await packPackage();
	const started = Date.now();
	const n8n = await startN8n({
		mode: 'queue',
		workers,
		tarball,
		env: { N8N_RUNNERS_MAX_PAYLOAD: String(256 * 1024 * 1024) },
		log: (line) => console.error(`[n8n queue] ${line}`),
	});
	const startupMs = Date.now() - started;
	try {
		await n8n.importCredentials([credentials(xero, [tenantId]).ours]);
		const result = await concurrentRuns(n8n, xero, { ...opts, tenantId });
		const logs = n8n.workers.map((w) => readFileSync(w.logFile, 'utf8'));
		const perWorker = logs.map(
			(log) =>
				result.executionIds.filter((id) =>
					new RegExp(`Worker finished execution ${id} \\(`).test(log),
				).length,
		);
		return { ...result, workers, perWorker, startupMs };
	} finally {
		await n8n.stop();
	}
}
