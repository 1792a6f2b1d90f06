import { sleep } from 'n8n-workflow';

import type { RateLimitHeaders } from './retry';

/**
 * Per-tenant throttle: at most `concurrency` requests in flight and at most `perMinute` started in any
 * rolling `windowMs` (xero-api.md §1.1, §1.5). A rolling log is at least as strict as Xero's window, fixed or
 * rolling (§1.1 leaves that open), so one execution on its own never reaches the minute wall.
 *
 * Where the state lives (n8n-nodes.md §7, queue mode): a throttle belongs to ONE node run. The transport keeps
 * throttles in a WeakMap keyed by the node's execution context object, so they vanish with the run and nothing
 * survives between executions or leaks across workers. What other executions or workers spend on the same
 * tenant is learned from Xero's own headers on every response (X-MinLimit-Remaining): when Xero reports fewer
 * calls left than this run alone accounts for, someone else is using the allowance and we pace ourselves
 * before the wall; a 429 that still happens is answered with Retry-After by the transport.
 */
export interface ThrottleLimits {
	concurrency: number;
	perMinute: number;
	windowMs: number;
	/** start pacing when Xero says this few calls are left and the gap is not explained by our own calls */
	lowWater: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
	concurrency: 5,
	perMinute: 60,
	windowMs: 60_000,
	lowWater: 5,
};

export interface ThrottleClock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

const realClock: ThrottleClock = { now: () => Date.now(), sleep: async (ms) => await sleep(ms) };

export class TenantThrottle {
	private inFlight = 0;
	private readonly waiters: Array<() => void> = [];
	/** start times of requests inside the rolling window */
	private starts: number[] = [];
	/** no request starts before this time (Retry-After, header pacing) */
	private notBefore = 0;
	/** minimum gap between starts while Xero reports external use of this tenant's allowance */
	private pacingGapMs = 0;
	private lastStart = 0;

	constructor(
		readonly limits: ThrottleLimits = DEFAULT_THROTTLE_LIMITS,
		private readonly clock: ThrottleClock = realClock,
	) {}

	/** Waits for a concurrency slot and for the minute budget; returns with the slot held. */
	async acquire(): Promise<void> {
		if (this.inFlight >= this.limits.concurrency) {
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		} else {
			this.inFlight++;
		}
		for (;;) {
			const now = this.clock.now();
			const waitMs = this.waitBeforeStart(now);
			if (waitMs <= 0) {
				this.starts.push(now);
				this.lastStart = now;
				return;
			}
			await this.clock.sleep(waitMs);
		}
	}

	/** Gives the slot back; hands it directly to the longest waiter so nobody overtakes. */
	release(): void {
		const next = this.waiters.shift();
		if (next) next();
		else this.inFlight = Math.max(0, this.inFlight - 1);
	}

	/** How long the next request must wait at `now` (pure given the state; exposed for tests). */
	waitBeforeStart(now: number): number {
		this.starts = this.starts.filter((t) => now - t < this.limits.windowMs);
		let wait = Math.max(0, this.notBefore - now);
		if (this.starts.length >= this.limits.perMinute) {
			const oldest = this.starts[this.starts.length - this.limits.perMinute];
			wait = Math.max(wait, oldest + this.limits.windowMs - now);
		}
		if (this.pacingGapMs > 0) wait = Math.max(wait, this.lastStart + this.pacingGapMs - now);
		return wait;
	}

	/** Learns from Xero's headers after each response. */
	observe(limits: RateLimitHeaders, now = this.clock.now()): void {
		const remaining = limits.minuteRemaining;
		if (remaining === undefined) return;
		this.starts = this.starts.filter((t) => now - t < this.limits.windowMs);
		// What Xero would report if only this run used the tenant (in-flight calls are already in `starts`).
		const expected = this.limits.perMinute - this.starts.length;
		if (remaining < expected && remaining <= this.limits.lowWater) {
			// Spread what is left over a window; at 0 left this waits a whole window unless a 429's
			// Retry-After (which is exact) says otherwise first.
			this.pacingGapMs = Math.ceil(this.limits.windowMs / (remaining + 1));
		} else {
			this.pacingGapMs = 0;
		}
	}

	/** After a 429: nobody on this tenant starts again before `waitMs` has passed. */
	pauseFor(waitMs: number, now = this.clock.now()): void {
		this.notBefore = Math.max(this.notBefore, now + waitMs);
	}

	get pacingGap(): number {
		return this.pacingGapMs;
	}

	get active(): number {
		return this.inFlight;
	}
}
