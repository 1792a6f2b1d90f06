import { describe, expect, it } from 'vitest';

import { chunkElements, splitBySize } from '../../nodes/Xero/transport/batch';
import { redactSecrets, validationMessages } from '../../nodes/Xero/transport/errors';
import {
	canonicalJson,
	deriveIdempotencyKey,
	IDEMPOTENCY_KEY_PREFIX,
} from '../../nodes/Xero/transport/idempotency';
import {
	backoffDelayMs,
	classifyResponse,
	maxTotalBackoffMs,
	parseRateLimitHeaders,
	parseRetryAfterMs,
	transientNetworkCode,
} from '../../nodes/Xero/transport/retry';
import { DEFAULT_THROTTLE_LIMITS, TenantThrottle } from '../../nodes/Xero/transport/throttle';
import { xeroUrlsFor } from '../../nodes/Xero/transport/urls';

const batch = {
	method: 'PUT',
	path: '/Invoices',
	tenantId: 'tenant-a',
	qs: { summarizeErrors: false, unitdp: 4 },
	body: {
		Invoices: [
			{
				Type: 'ACCREC',
				InvoiceNumber: 'CS-1',
				LineItems: [{ Description: 'Boiler', UnitAmount: 10.1234 }],
			},
			{
				Type: 'ACCREC',
				InvoiceNumber: 'CS-2',
				LineItems: [{ Description: 'Valve', UnitAmount: 5 }],
			},
		],
	},
};

describe('idempotency key', () => {
	it('is the same for the same batch however its keys are ordered (a retry re-sends the same key)', () => {
		const reordered = {
			body: {
				Invoices: batch.body.Invoices.map((inv) => ({
					LineItems: inv.LineItems.map((l) => ({
						UnitAmount: l.UnitAmount,
						Description: l.Description,
					})),
					InvoiceNumber: inv.InvoiceNumber,
					Type: inv.Type,
				})),
			},
			qs: { unitdp: 4, summarizeErrors: false },
			tenantId: 'tenant-a',
			path: '/Invoices',
			method: 'put',
		};
		expect(deriveIdempotencyKey(reordered)).toBe(deriveIdempotencyKey(batch));
		expect(deriveIdempotencyKey(structuredClone(batch))).toBe(deriveIdempotencyKey(batch));
	});

	it('differs when anything that defines the write differs', () => {
		const key = deriveIdempotencyKey(batch);
		const variants = [
			{ ...batch, tenantId: 'tenant-b' },
			{ ...batch, method: 'POST' },
			{ ...batch, path: '/Contacts' },
			{ ...batch, qs: { summarizeErrors: false } },
			{ ...batch, body: { Invoices: [batch.body.Invoices[1], batch.body.Invoices[0]] } },
			{ ...batch, body: { Invoices: [batch.body.Invoices[0]] } },
			{
				...batch,
				body: {
					Invoices: [
						{
							...batch.body.Invoices[0],
							LineItems: [{ Description: 'Boiler', UnitAmount: 10.1235 }],
						},
						batch.body.Invoices[1],
					],
				},
			},
		];
		const keys = new Set(variants.map((v) => deriveIdempotencyKey(v)));
		expect(keys.size).toBe(variants.length);
		expect(keys.has(key)).toBe(false);
	});

	it("fits Xero's 128-character limit and uses only header-safe characters", () => {
		const key = deriveIdempotencyKey(batch);
		expect(key.length).toBeLessThanOrEqual(128);
		expect(key.startsWith(IDEMPOTENCY_KEY_PREFIX)).toBe(true);
		expect(key).toMatch(/^[a-z0-9-]+$/);
	});

	it('canonical JSON drops undefined and sorts keys at every depth', () => {
		expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe(
			'{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}',
		);
	});
});

describe('backoff schedule', () => {
	const policy = { baseDelayMs: 1000, maxDelayMs: 30_000 };

	it('grows exponentially and never exceeds the cap, whatever the random draw', () => {
		for (let attempt = 0; attempt < 40; attempt++) {
			const low = backoffDelayMs(attempt, policy, () => 0);
			const high = backoffDelayMs(attempt, policy, () => 1);
			expect(high).toBeLessThanOrEqual(policy.maxDelayMs);
			expect(low).toBe(high / 2);
		}
		expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, policy, () => 1))).toEqual([
			1000, 2000, 4000, 8000, 16000, 30000,
		]);
	});

	it('is jittered: different draws give different waits inside [step/2, step]', () => {
		const draws = [0.1, 0.5, 0.9].map((r) => backoffDelayMs(2, policy, () => r));
		expect(new Set(draws).size).toBe(3);
		for (const d of draws) {
			expect(d).toBeGreaterThanOrEqual(2000);
			expect(d).toBeLessThanOrEqual(4000);
		}
	});

	it('bounds the total wait of a bounded number of retries', () => {
		expect(maxTotalBackoffMs(4, policy)).toBe(1000 + 2000 + 4000 + 8000);
		expect(maxTotalBackoffMs(10, policy)).toBeLessThanOrEqual(10 * policy.maxDelayMs);
	});
});

describe('rate-limit headers', () => {
	it("reads Xero's headers case-insensitively, including array values", () => {
		const limits = parseRateLimitHeaders({
			'X-MinLimit-Remaining': '7',
			'x-daylimit-remaining': ['4321'],
			'X-AppMinLimit-Remaining': '9999',
			'Retry-After': '12',
			'X-Rate-Limit-Problem': 'Minute',
		});
		expect(limits).toEqual({
			minuteRemaining: 7,
			dayRemaining: 4321,
			appMinuteRemaining: 9999,
			retryAfterMs: 12_000,
			rateLimitProblem: 'minute',
		});
	});

	it('leaves absent or garbage headers undefined', () => {
		expect(parseRateLimitHeaders({ 'x-minlimit-remaining': 'lots' })).toEqual({
			minuteRemaining: undefined,
			dayRemaining: undefined,
			appMinuteRemaining: undefined,
			retryAfterMs: undefined,
			rateLimitProblem: undefined,
		});
		expect(parseRateLimitHeaders(undefined).minuteRemaining).toBeUndefined();
	});

	it('accepts Retry-After as seconds (fractional too) or as an HTTP date', () => {
		expect(parseRetryAfterMs('0.25', 0)).toBe(250);
		const now = Date.parse('2026-03-02T10:00:00Z');
		expect(parseRetryAfterMs('Mon, 02 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfterMs('soon', now)).toBeUndefined();
	});

	it('classifies statuses: day limit stops, other 429s wait, 5xx retry, 401 refreshes, 4xx fail', () => {
		expect(classifyResponse(200, {})).toEqual({ kind: 'success' });
		expect(classifyResponse(401, {})).toEqual({ kind: 'refreshToken' });
		expect(classifyResponse(429, { rateLimitProblem: 'day', retryAfterMs: 3_600_000 })).toEqual({
			kind: 'dayLimit',
			retryAfterMs: 3_600_000,
		});
		expect(classifyResponse(429, { rateLimitProblem: 'minute', retryAfterMs: 5000 })).toEqual({
			kind: 'rateLimited',
			waitMs: 5000,
			problem: 'minute',
		});
		expect(classifyResponse(429, {})).toEqual({
			kind: 'rateLimited',
			waitMs: undefined,
			problem: undefined,
		});
		expect(classifyResponse(503, {})).toEqual({ kind: 'serverError' });
		expect(classifyResponse(400, {})).toEqual({ kind: 'fail' });
		expect(classifyResponse(404, {})).toEqual({ kind: 'fail' });
	});

	it('recognises transient network failures through wrapped causes', () => {
		const inner = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
		const wrapped = new Error('The connection to the server was closed unexpectedly', {
			cause: inner,
		});
		expect(transientNetworkCode(wrapped)).toBe('ECONNRESET');
		expect(transientNetworkCode(new Error('timeout of 60000ms exceeded'))).toBe('ETIMEDOUT');
		expect(transientNetworkCode(new Error('OAuth credentials not connected'))).toBeUndefined();
	});
});

/** A clock the throttle waits on: sleeping moves time on at once (and calls state.onSleep, if set). */
function fakeClock(start = 0) {
	const state = {
		now: start,
		slept: [] as number[],
		onSleep: undefined as (() => void) | undefined,
	};
	return {
		state,
		clock: {
			now: () => state.now,
			sleep: async (ms: number) => {
				state.slept.push(ms);
				state.now += ms;
				state.onSleep?.();
			},
		},
	};
}

describe('per-tenant throttle', () => {
	const limits = { concurrency: 5, perMinute: 60, windowMs: 60_000, lowWater: 5 };

	it('lets 60 requests start in a minute, then waits for the oldest to leave the window', async () => {
		const { state, clock } = fakeClock();
		const throttle = new TenantThrottle(limits, clock);
		for (let i = 0; i < 60; i++) {
			await throttle.acquire();
			throttle.release();
			state.now += 100;
		}
		expect(state.slept).toEqual([]);
		await throttle.acquire();
		throttle.release();
		// first start was at t=0, now is t=6000: the 61st waits until t=60000
		expect(state.slept).toEqual([54_000]);
	});

	it('never has more than the concurrency limit in flight', async () => {
		const { clock } = fakeClock();
		const throttle = new TenantThrottle({ ...limits, concurrency: 2 }, clock);
		let peak = 0;
		let running = 0;
		const task = async () => {
			await throttle.acquire();
			running++;
			peak = Math.max(peak, running);
			await Promise.resolve();
			await Promise.resolve();
			running--;
			throttle.release();
		};
		await Promise.all(Array.from({ length: 7 }, task));
		expect(peak).toBe(2);
		expect(throttle.active).toBe(0);
	});

	it('paces itself when Xero reports less allowance than this run used (another workflow is busy)', () => {
		const { clock } = fakeClock(1000);
		const throttle = new TenantThrottle(limits, clock);
		// this run made no calls, yet Xero says only 3 are left this minute
		throttle.observe({ minuteRemaining: 3 });
		expect(throttle.pacingGap).toBe(15_000);
		throttle.observe({ minuteRemaining: 40 });
		expect(throttle.pacingGap).toBe(0);
	});

	it("paces itself when the app-wide minute runs low, whatever this organisation's own count", () => {
		const { clock } = fakeClock(1000);
		const throttle = new TenantThrottle(limits, clock);
		throttle.observe({ minuteRemaining: 55, appMinuteRemaining: 2 });
		expect(throttle.pacingGap).toBe(20_000);
		throttle.observe({ minuteRemaining: 55, appMinuteRemaining: 9000 });
		expect(throttle.pacingGap).toBe(0);
	});

	it("remembers the organisation's daily allowance left, from any answer that carries it", () => {
		const { clock } = fakeClock(1000);
		const throttle = new TenantThrottle(limits, clock);
		expect(throttle.dayRemaining).toBeUndefined();
		throttle.observe({ dayRemaining: 4321 });
		expect(throttle.dayRemaining).toBe(4321);
		throttle.observe({ minuteRemaining: 50 });
		expect(throttle.dayRemaining).toBe(4321);
	});

	it('does not slow down when the low count is explained by its own calls', async () => {
		const { state, clock } = fakeClock();
		const throttle = new TenantThrottle(limits, clock);
		for (let i = 0; i < 57; i++) {
			await throttle.acquire();
			throttle.release();
		}
		state.now += 10;
		throttle.observe({ minuteRemaining: 3 });
		expect(throttle.pacingGap).toBe(0);
	});

	it('holds every request after a 429 until Retry-After has passed', async () => {
		const { state, clock } = fakeClock();
		const throttle = new TenantThrottle(limits, clock);
		throttle.pauseFor(7000);
		await throttle.acquire();
		throttle.release();
		expect(state.slept).toEqual([7000]);
	});
});

describe('batching helpers', () => {
	it('chunks at 50 elements at most', () => {
		const chunks = chunkElements(
			Array.from({ length: 120 }, (_, i) => i),
			500,
		);
		expect(chunks.map((c) => c.length)).toEqual([50, 50, 20]);
		expect(chunks.flat()).toEqual(Array.from({ length: 120 }, (_, i) => i));
	});

	it('splits a chunk whose body exceeds the payload cap, keeping order', () => {
		const chunk = Array.from({ length: 8 }, (_, index) => ({
			index,
			element: { Description: 'x'.repeat(1000) },
		}));
		const parts = splitBySize(chunk, 'Invoices', 2500);
		expect(parts.every((p) => p.length <= 2)).toBe(true);
		expect(parts.flat().map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});
});

describe('errors and URLs', () => {
	it('collects validation messages from ValidationException and element shapes, once each', () => {
		const body = {
			ErrorNumber: 10,
			Type: 'ValidationException',
			Message: 'A validation exception occurred',
			Elements: [
				{ ValidationErrors: [{ Message: 'Invoice # must be unique.' }] },
				{
					ValidationErrors: [
						{ Message: "Account code '999' is not a valid code for this document." },
					],
					LineItems: [{ ValidationErrors: [{ Message: 'Invoice # must be unique.' }] }],
				},
			],
		};
		expect(validationMessages(body)).toEqual([
			'Invoice # must be unique.',
			"Account code '999' is not a valid code for this document.",
		]);
	});

	it('redacts bearer tokens, JWTs and OAuth secrets', () => {
		const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl';
		const text = `Authorization: Bearer abc.def-123 failed; {"refresh_token":"r-secret","client_secret":"s3cr3t"} ${jwt}`;
		const out = redactSecrets(text);
		for (const secret of ['abc.def-123', 'r-secret', 's3cr3t', jwt])
			expect(out).not.toContain(secret);
	});

	it('moves every URL together for a custom base, and refuses an empty one', () => {
		expect(xeroUrlsFor('custom', 'http://127.0.0.1:4010/')).toEqual({
			authorize: 'http://127.0.0.1:4010/identity/connect/authorize',
			token: 'http://127.0.0.1:4010/connect/token',
			connections: 'http://127.0.0.1:4010/connections',
			api: 'http://127.0.0.1:4010/api.xro/2.0',
		});
		expect(xeroUrlsFor('production', 'http://ignored').api).toBe(
			'https://api.xero.com/api.xro/2.0',
		);
		expect(() => xeroUrlsFor('custom', '')).toThrow(/Custom Base URL/);
	});
});

describe('throttle window margin and Retry-After', () => {
	const minute = { concurrency: 5, perMinute: 60, windowMs: 60_000, lowWater: 5 };

	/** Seeded uniform numbers in [0, 1) (mulberry32), so the simulated network is the same on every run. */
	function seeded(seed: number) {
		let a = seed >>> 0;
		return () => {
			a = (a + 0x6d2b79f5) >>> 0;
			let t = a;
			t = Math.imul(t ^ (t >>> 15), t | 1);
			t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
	}

	/**
	 * Sends 600 requests back to back through the throttle; Xero counts each on ARRIVAL (send time plus a
	 * one-way delay of 50–800 ms) in a fixed 60 s window whose start is its own (docs/xero-rules.md §1.1). Tries the
	 * window start at every 100 ms of the minute and returns the worst count of calls Xero would reject.
	 */
	async function simulatedRejections(windowMargin: number | undefined, seed: number) {
		const { state, clock } = fakeClock();
		const throttle = new TenantThrottle({ ...minute, windowMargin }, clock);
		const random = seeded(seed);
		const arrivals: number[] = [];
		for (let call = 0; call < 600; call++) {
			await throttle.acquire();
			arrivals.push(state.now + 50 + random() * 750);
			state.now += 20 + random() * 200; // the answer comes back; the next call goes straight out
			throttle.release();
		}
		let worst = 0;
		for (let offset = 0; offset < 60_000; offset += 100) {
			const counted = new Map<number, number>();
			let rejected = 0;
			for (const arrival of arrivals) {
				const window = Math.floor((arrival - offset) / 60_000);
				const count = (counted.get(window) ?? 0) + 1;
				counted.set(window, count);
				if (count > 60) rejected++;
			}
			worst = Math.max(worst, rejected);
		}
		return worst;
	}

	it('keeps a start counted for the window plus a margin that scales with the window', async () => {
		expect(DEFAULT_THROTTLE_LIMITS.windowMargin).toBeGreaterThan(0);
		const { state, clock } = fakeClock();
		const throttle = new TenantThrottle({ ...minute, windowMargin: 0.02 }, clock);
		expect(throttle.windowWithMarginMs).toBe(61_200);
		for (let i = 0; i < 60; i++) {
			await throttle.acquire();
			throttle.release();
			state.now += 100;
		}
		await throttle.acquire();
		throttle.release();
		// first start at t=0, now t=6000: the 61st waits until t=61 200, not t=60 000
		expect(state.slept).toEqual([55_200]);
		const scaled = new TenantThrottle({ ...minute, windowMs: 1000, windowMargin: 0.02 }, clock);
		expect(scaled.windowWithMarginMs).toBe(1020);
	});

	it('never crosses a fixed Xero window when network delay jitters; without the margin it does', async () => {
		let withoutMargin = 0;
		for (const seed of [1, 2, 3, 4, 5]) {
			expect(
				await simulatedRejections(DEFAULT_THROTTLE_LIMITS.windowMargin, seed),
				`seed ${seed}`,
			).toBe(0);
			withoutMargin += await simulatedRejections(undefined, seed);
		}
		// The simulation is able to produce the minute-boundary 429s the margin prevents.
		expect(withoutMargin).toBeGreaterThan(0);
	});

	it('after a 429 at 0 calls left, waits Retry-After instead of a whole window', async () => {
		const { state, clock } = fakeClock(1000);
		const throttle = new TenantThrottle(DEFAULT_THROTTLE_LIMITS, clock);
		await throttle.acquire();
		throttle.release();
		// Another app spent the minute: Xero says 0 left although this run made one call.
		throttle.observe({ minuteRemaining: 0 });
		expect(throttle.pacingGap).toBe(60_000);
		throttle.pauseFor(4000); // the next call's 429 carried Retry-After: 4
		expect(throttle.pacingGap).toBe(0);
		await throttle.acquire();
		throttle.release();
		expect(state.slept).toEqual([4000]);
	});

	it('a request already waiting on header pacing starts when a later Retry-After allows', async () => {
		const { state, clock } = fakeClock(1000);
		const throttle = new TenantThrottle(DEFAULT_THROTTLE_LIMITS, clock);
		await throttle.acquire();
		throttle.release();
		throttle.observe({ minuteRemaining: 0 });
		// While this request waits, a call in flight comes back 429 with Retry-After: 3.
		state.onSleep = () => {
			state.onSleep = undefined;
			throttle.pauseFor(3000);
		};
		await throttle.acquire();
		throttle.release();
		const waited = state.slept.reduce((sum, ms) => sum + ms, 0);
		expect(waited).toBe(4000); // one 1 s pacing slice, then the 3 s Retry-After; not 60 s
	});

	it('still paces at 0 calls left when no 429 says otherwise', async () => {
		const { state, clock } = fakeClock(1000);
		const throttle = new TenantThrottle(DEFAULT_THROTTLE_LIMITS, clock);
		await throttle.acquire();
		throttle.release();
		throttle.observe({ minuteRemaining: 0 });
		await throttle.acquire();
		throttle.release();
		expect(state.slept.reduce((sum, ms) => sum + ms, 0)).toBe(60_000);
		expect(Math.max(...state.slept)).toBeLessThanOrEqual(1000); // in slices, so a 429 can cut it short
	});
});
