import { sleep } from 'n8n-workflow';

import type { RateLimitHeaders } from './retry';

/**
 * Per-organisation throttle: at most `concurrency` requests in flight and at most `perMinute` started in any
 * rolling `windowMs` (Xero's limits: https://developer.xero.com/documentation/guides/oauth2/limits/). A
 * rolling log is at least as strict as Xero's window, fixed or rolling, so this process never reaches the
 * minute wall on its own.
 *
 * Where the state lives (docs/xero-budget.md): ONE throttle per organisation per n8n process, shared by every
 * execution, loader and poll in that process (request.ts keeps them in a bounded module-level map). Xero's
 * allowance is per organisation, so four executions writing to one organisation at once share 5 in flight and
 * 60 a minute instead of each assuming it has them all. The throttle holds only counters and timestamps, never
 * data, and a process restart simply starts it empty. What other processes (queue-mode workers, other apps)
 * spend is learned from Xero's headers on every response (X-MinLimit-Remaining, X-AppMinLimit-Remaining):
 * when Xero reports fewer calls left than this process accounts for, someone else is using the allowance and
 * we pace ourselves before the wall; a 429 that still happens is answered with Retry-After by the transport.
 */
export interface ThrottleLimits {
	concurrency: number;
	perMinute: number;
	windowMs: number;
	/** start pacing when Xero says this few calls are left and the gap is not explained by our own calls */
	lowWater: number;
	/**
	 * Warn (once per organisation and day window) when X-DayLimit-Remaining falls to this many calls or
	 * fewer, before the daily limit stops the runs. Absent = 500 (a tenth of Xero's 5,000 a day).
	 */
	dayLowWater?: number;
	/**
	 * Safety margin on the rolling window, as a fraction of `windowMs` (0.02 = 1.2 s of a minute). A start
	 * stays counted for windowMs·(1 + margin): our clock starts when the request leaves, Xero's when it
	 * arrives, and the difference (network delay and its jitter) moves calls across Xero's window edge.
	 * Absent = no margin.
	 */
	windowMargin?: number;
}

export const DEFAULT_THROTTLE_LIMITS: ThrottleLimits = {
	concurrency: 5,
	perMinute: 60,
	windowMs: 60_000,
	lowWater: 5,
	windowMargin: 0.02,
	dayLowWater: 500,
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
	private dayRemainingSeen: number | undefined;

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
			// Header pacing is a guess that a later answer can shorten (a 429's Retry-After, fresher
			// headers), so a wait it dominates is slept in slices and re-checked; window and Retry-After
			// waits are exact and slept in one go.
			const pacedOnly = waitMs > this.exactWaitBeforeStart(now);
			await this.clock.sleep(pacedOnly ? Math.min(waitMs, this.pacingSliceMs) : waitMs);
		}
	}

	/** Gives the slot back; hands it directly to the longest waiter so nobody overtakes. */
	release(): void {
		const next = this.waiters.shift();
		if (next) next();
		else this.inFlight = Math.max(0, this.inFlight - 1);
	}

	/** How long a start stays counted: the window plus its safety margin. */
	get windowWithMarginMs(): number {
		return Math.ceil(this.limits.windowMs * (1 + Math.max(0, this.limits.windowMargin ?? 0)));
	}

	private get pacingSliceMs(): number {
		return Math.max(1, Math.ceil(this.limits.windowMs / 60));
	}

	/** How long the next request must wait at `now` (pure given the state; exposed for tests). */
	waitBeforeStart(now: number): number {
		let wait = this.exactWaitBeforeStart(now);
		if (this.pacingGapMs > 0) wait = Math.max(wait, this.lastStart + this.pacingGapMs - now);
		return wait;
	}

	/** The part of the wait that nothing can shorten: the rolling window and a 429's Retry-After. */
	private exactWaitBeforeStart(now: number): number {
		const window = this.windowWithMarginMs;
		this.starts = this.starts.filter((t) => now - t < window);
		let wait = Math.max(0, this.notBefore - now);
		if (this.starts.length >= this.limits.perMinute) {
			const oldest = this.starts[this.starts.length - this.limits.perMinute];
			wait = Math.max(wait, oldest + window - now);
		}
		return wait;
	}

	/** Learns from Xero's headers after each response. */
	observe(limits: RateLimitHeaders, now = this.clock.now()): void {
		if (limits.dayRemaining !== undefined) this.dayRemainingSeen = limits.dayRemaining;
		const remaining = limits.minuteRemaining;
		const appRemaining = limits.appMinuteRemaining;
		if (remaining === undefined && appRemaining === undefined) return;
		this.starts = this.starts.filter((t) => now - t < this.windowWithMarginMs);
		let gap = 0;
		if (remaining !== undefined) {
			// What Xero would report if only this process used the organisation (in-flight calls are already
			// in `starts`).
			const expected = this.limits.perMinute - this.starts.length;
			// Spread what is left over a window. At 0 left that is a whole window: a guess, since Xero's
			// window may reset sooner; a 429's Retry-After replaces it (pauseFor).
			if (remaining < expected && remaining <= this.limits.lowWater)
				gap = Math.ceil(this.limits.windowMs / (remaining + 1));
		}
		// The app-wide minute (every organisation of this Xero app, every process) is paced the same way
		// when it runs low: nothing this process counts explains it.
		if (appRemaining !== undefined && appRemaining <= this.limits.lowWater)
			gap = Math.max(gap, Math.ceil(this.limits.windowMs / (appRemaining + 1)));
		this.pacingGapMs = gap;
	}

	/** The last X-DayLimit-Remaining Xero reported for this organisation (undefined: none yet). */
	get dayRemaining(): number | undefined {
		return this.dayRemainingSeen;
	}

	/**
	 * After a 429: nobody on this tenant starts again before `waitMs` has passed. Retry-After says when
	 * Xero's window reopens, so it replaces the header pacing (which at 0 calls left spaces starts a whole
	 * window apart); the next successful answer sets the pacing again from fresh headers.
	 */
	pauseFor(waitMs: number, now = this.clock.now()): void {
		this.notBefore = Math.max(this.notBefore, now + waitMs);
		this.pacingGapMs = 0;
	}

	get pacingGap(): number {
		return this.pacingGapMs;
	}

	get active(): number {
		return this.inFlight;
	}
}
