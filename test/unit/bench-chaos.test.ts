/* eslint-disable @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The chaos command's kill rule (bench/lib/chaos.ts): a crash lands at the k-th call counted from the moment
// the run started, never earlier; a run that ends first is left alone; and a seed replays the same kill points.
import { describe, expect, it } from 'vitest';

import { between, crashMainAt, random } from '../../bench/lib/chaos';
import type { N8nInstance } from '../../test/e2e/harness/core';

/** A stand-in for n8n whose calls grow by one every `everyMs`; records when restartMain was asked for. */
function fakeRun(everyMs: number, initialCalls = 0) {
	let calls = initialCalls;
	const timer = setInterval(() => calls++, everyMs);
	const restarts: Array<{ crash?: boolean; calls: number }> = [];
	const n8n = {
		restartMain: async (options: { crash?: boolean } = {}) => {
			restarts.push({ ...options, calls });
			clearInterval(timer); // the killed run makes no more calls
		},
	} as unknown as N8nInstance;
	return { n8n, restarts, calls: () => calls, stop: () => clearInterval(timer) };
}

describe('chaos kill points', () => {
	it('crashes the main at the k-th call of this run, counted from the start, not from zero', async () => {
		const run = fakeRun(5, 40); // 40 calls from earlier runs
		const outcome = await crashMainAt(run.n8n, run.calls, 6, async () => undefined, 5_000);
		run.stop();
		expect(outcome.killed).toBe(true);
		expect(outcome.callsAtKill).toBeGreaterThanOrEqual(6);
		expect(outcome.callsAtKill).toBeLessThan(9); // checked every 10 ms, a call every 5 ms
		expect(run.restarts).toEqual([{ crash: true, calls: 40 + outcome.callsAtKill }]);
	});

	it('leaves a run alone when it ends before its kill point', async () => {
		const run = fakeRun(50);
		const outcome = await crashMainAt(
			run.n8n,
			run.calls,
			1_000,
			async () => (run.calls() >= 3 ? 'success' : undefined),
			10_000,
		);
		run.stop();
		expect(outcome).toMatchObject({ killed: false, finishedFirst: 'success' });
		expect(run.restarts).toEqual([]);
	});

	it('gives up with a readable error when neither happens in time', async () => {
		const run = fakeRun(10_000);
		await expect(crashMainAt(run.n8n, run.calls, 5, async () => undefined, 300)).rejects.toThrow(
			/no kill point \(5 calls\)/,
		);
		run.stop();
	});

	it('a seed replays the same kill points; another seed draws others, all within the window', () => {
		const draw = (seed: number) => {
			const rand = random(seed);
			return Array.from({ length: 20 }, () => between(rand, 3, 25));
		};
		expect(draw(7)).toEqual(draw(7));
		expect(draw(7)).not.toEqual(draw(11));
		const many = draw(3).concat(draw(4), draw(5));
		expect(Math.min(...many)).toBeGreaterThanOrEqual(3);
		expect(Math.max(...many)).toBeLessThanOrEqual(25);
		expect(new Set(many).size).toBeGreaterThan(10);
	});
});
