/* eslint-disable @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// What both chaos parts (invoices, payments) share: the seeded randomness, the fault model laid over the Xero
// sandbox, and the crash of n8n's main at a point tied to the work in progress (a count of API calls), so a
// kill lands mid-run whatever the machine's speed.
import type { N8nInstance } from '../../test/e2e/harness/core';
import { seededRandom } from '../../sandbox/shared/http';
import type { XeroSandbox } from '../../sandbox/xero/server';

/** Seeded PRNG (the sandbox's mulberry32) so a seed replays the same kill points. */
export const random = seededRandom;

/** A whole number drawn evenly from [min, max]. */
export function between(rand: () => number, min: number, max: number): number {
	return min + Math.floor(rand() * (max - min + 1));
}

/**
 * 10% of Xero API calls fail: 3% 500, 3% 503, 2% dropped connection, 2% never answered. A call that never
 * answers is dropped by the server side after 30 s, as a gateway in front of an API does: n8n's built-in
 * Xero node sets no request timeout of its own and would otherwise wait for ever (seen: a run stuck > 5 min).
 */
export const FAULT_RATES = {
	error500Rate: 0.03,
	error503Rate: 0.03,
	resetRate: 0.02,
	timeoutRate: 0.02,
	timeoutHangMs: 30_000,
};

/**
 * 10% faults all along, and every 3 s a burst of up to 5 × 429 on top. A burst 429 says Retry-After: 1 (one
 * scaled minute, like Xero's minute limit, whose Retry-After is when the window resets), so the burst ends
 * after that second: a client that waits as told then gets through, as with Xero. Without the end (the old
 * model, `sticky`) a burst outlives its own Retry-After: one client waiting 1 s per 429 takes 5 s to use up
 * 5 429s while a new burst starts every 3 s, so it meets 429s without end and fails every item it holds.
 * Returns the function that switches the faults off.
 */
export function startFaults(
	xero: XeroSandbox,
	options: { seed: number; scale: number; sticky?: boolean },
): () => void {
	xero.setFaults({ seed: options.seed, ...FAULT_RATES });
	let n = 0;
	let burstEnd: NodeJS.Timeout | undefined;
	const timer = setInterval(() => {
		n++;
		xero.setFaults({ seed: options.seed + n, ...FAULT_RATES, burst429: 5 });
		if (!options.sticky) {
			const seed = options.seed + 1000 + n;
			burstEnd = setTimeout(
				() => xero.setFaults({ seed, ...FAULT_RATES }),
				Math.round(60_000 / options.scale),
			);
		}
	}, 3000);
	return () => {
		clearInterval(timer);
		clearTimeout(burstEnd);
		xero.setFaults({});
	};
}

export interface CrashOutcome {
	/** true: n8n's main was SIGKILLed at the kill point and started again */
	killed: boolean;
	/** calls counted when the kill came (or when the run ended first) */
	callsAtKill: number;
	/** the run finished before its kill point */
	finishedFirst?: string;
	/** seconds the restarted main took to be ready */
	restartSeconds?: number;
}

/**
 * Waits until `progress()` has grown by `killAt` since the call (the run's k-th API call, k drawn per attempt)
 * and then SIGKILLs n8n's main, with its task runners, and starts it again on the same database. `finished()`
 * is asked every second: a run that ends before its kill point is left alone and reported as such.
 */
export async function crashMainAt(
	n8n: N8nInstance,
	progress: () => number,
	killAt: number,
	finished: () => Promise<string | undefined>,
	timeoutMs: number,
): Promise<CrashOutcome> {
	const start = progress();
	const deadline = Date.now() + timeoutMs;
	let lastCheck = Date.now();
	while (Date.now() < deadline) {
		if (progress() - start >= killAt) {
			const callsAtKill = progress() - start;
			const restartedAt = Date.now();
			await n8n.restartMain({ crash: true });
			return {
				killed: true,
				callsAtKill,
				restartSeconds: Math.round((Date.now() - restartedAt) / 100) / 10,
			};
		}
		if (Date.now() - lastCheck >= 1000) {
			lastCheck = Date.now();
			const status = await finished();
			if (status) return { killed: false, callsAtKill: progress() - start, finishedFirst: status };
		}
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error(`no kill point (${killAt} calls) and no finished run within ${timeoutMs} ms`);
}
