import type { IDataObject } from 'n8n-workflow';

/**
 * Pure helpers for the Xero transport: response-header parsing, retry classification and the backoff
 * schedule. No n8n context, no HTTP, so they are unit-tested on their own (test/unit/xero-transport*.test.ts).
 * Rules cited from docs/xero-rules.md §1 (rate limits, 429) and §9 (error shapes).
 */

export interface RateLimitHeaders {
	/** X-MinLimit-Remaining: calls left in the tenant's current minute window */
	minuteRemaining?: number;
	/** X-DayLimit-Remaining: calls left today for the tenant */
	dayRemaining?: number;
	/** X-AppMinLimit-Remaining: calls left this minute across every tenant of the app */
	appMinuteRemaining?: number;
	/** Retry-After in milliseconds (Xero sends seconds; only on minute and day 429s, §1.3) */
	retryAfterMs?: number;
	/** X-Rate-Limit-Problem, lower-cased: "minute", "day", or a value Xero has not documented */
	rateLimitProblem?: string;
}

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		const first = Array.isArray(value) ? value[0] : value;
		if (first === undefined || first === null) return undefined;
		return String(first).trim();
	}
	return undefined;
}

function headerNumber(headers: IDataObject | undefined, name: string): number | undefined {
	const raw = headerValue(headers, name);
	if (raw === undefined || raw === '') return undefined;
	const parsed = Number(raw);
	return Number.isFinite(parsed) ? parsed : undefined;
}

/**
 * Retry-After is delta-seconds in Xero's responses; an HTTP date is accepted too (RFC 9110) so a proxy in
 * front of Xero cannot confuse us. Fractional seconds are kept (a time-scaled sandbox may send them).
 */
export function parseRetryAfterMs(raw: string | undefined, nowMs: number): number | undefined {
	if (raw === undefined || raw === '') return undefined;
	const seconds = Number(raw);
	if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
	const date = Date.parse(raw);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - nowMs);
}

export function parseRateLimitHeaders(
	headers: IDataObject | undefined,
	nowMs = Date.now(),
): RateLimitHeaders {
	const problem = headerValue(headers, 'x-rate-limit-problem');
	return {
		minuteRemaining: headerNumber(headers, 'x-minlimit-remaining'),
		dayRemaining: headerNumber(headers, 'x-daylimit-remaining'),
		appMinuteRemaining: headerNumber(headers, 'x-appminlimit-remaining'),
		retryAfterMs: parseRetryAfterMs(headerValue(headers, 'retry-after'), nowMs),
		rateLimitProblem: problem ? problem.toLowerCase() : undefined,
	};
}

export interface BackoffPolicy {
	/** first retry waits around this long */
	baseDelayMs: number;
	/** no single wait is longer than this */
	maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 1000, maxDelayMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": half the exponential step is fixed, half random. The wait for
 * retry n (0-based) lies in [step/2, step] with step = min(max, base·2ⁿ), so it never exceeds maxDelayMs and
 * parallel executions hitting the same outage do not retry in lock-step.
 */
export function backoffDelayMs(
	attempt: number,
	policy: BackoffPolicy = DEFAULT_BACKOFF,
	random: () => number = Math.random,
): number {
	const exponent = Math.min(Math.max(0, attempt), 30);
	const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
	const r = Math.min(1, Math.max(0, random()));
	return Math.round(step / 2 + (step / 2) * r);
}

/** Upper bound of the total time spent waiting across `retries` retries: what an ops person can expect. */
export function maxTotalBackoffMs(
	retries: number,
	policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
	let total = 0;
	for (let i = 0; i < retries; i++) total += backoffDelayMs(i, policy, () => 1);
	return total;
}

/** Network failures that are worth retrying: the request may not have reached Xero, or its answer was lost. */
const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'UND_ERR_SOCKET',
	'UND_ERR_CONNECT_TIMEOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * Finds a transient network error code anywhere in an error's cause chain (n8n wraps the axios error in a
 * NodeApiError, which may wrap it again). Returns the code, or undefined when the error is not transient.
 */
export function transientNetworkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const candidate = current as { code?: unknown; message?: unknown; cause?: unknown };
		if (typeof candidate.code === 'string' && TRANSIENT_NETWORK_CODES.has(candidate.code)) {
			return candidate.code;
		}
		if (typeof candidate.message === 'string') {
			const message = candidate.message;
			for (const code of TRANSIENT_NETWORK_CODES) if (message.includes(code)) return code;
			if (/socket hang up/i.test(message)) return 'ECONNRESET';
			if (/timeout of \d+ms exceeded|timed out/i.test(message)) return 'ETIMEDOUT';
		}
		current = candidate.cause;
	}
	return undefined;
}

export type RetryDecision =
	| { kind: 'success' }
	| { kind: 'refreshToken' }
	| { kind: 'rateLimited'; waitMs?: number; problem?: string }
	| { kind: 'dayLimit'; retryAfterMs?: number }
	| { kind: 'serverError' }
	| { kind: 'fail' };

/** What to do with one HTTP response (status + headers). Pure, so the policy is tested without a server. */
export function classifyResponse(statusCode: number, limits: RateLimitHeaders): RetryDecision {
	if (statusCode >= 200 && statusCode < 300) return { kind: 'success' };
	if (statusCode === 304) return { kind: 'success' };
	if (statusCode === 401) return { kind: 'refreshToken' };
	if (statusCode === 429) {
		// §1.3: "day" means stop and report; any other value (minute, concurrent, appminute, unknown) is
		// transient: wait Retry-After when given, else back off briefly.
		if (limits.rateLimitProblem === 'day')
			return { kind: 'dayLimit', retryAfterMs: limits.retryAfterMs };
		return { kind: 'rateLimited', waitMs: limits.retryAfterMs, problem: limits.rateLimitProblem };
	}
	if (statusCode >= 500 && statusCode <= 599) return { kind: 'serverError' };
	return { kind: 'fail' };
}
