// Xero's rate limits (docs/xero-rules.md §1): per tenant 60/minute, 5 concurrent, 5,000/day; app-wide 10,000/minute.
// Fixed windows per tenant starting at the first call (§1.1 "fixed window that resets at a different time for
// each tenant"); window lengths follow the clock's timeScale. Rejected calls do not consume the allowance.
import type { SandboxClock } from './clock';
import type { RateLimits } from './types';

export const DEFAULT_LIMITS: RateLimits = {
	perTenantMinute: 60,
	perTenantDay: 5000,
	perTenantConcurrent: 5,
	appMinute: 10_000,
};

interface Window {
	start: number;
	count: number;
}

export interface LimitDecision {
	ok: boolean;
	problem?: 'minute' | 'day' | 'concurrent' | 'appminute';
	retryAfterSec?: number;
	headers: Record<string, string>;
}

export class RateLimiter {
	limits: RateLimits = { ...DEFAULT_LIMITS };
	private app: Window = { start: 0, count: 0 };
	private readonly minute = new Map<string, Window>();
	private readonly day = new Map<string, Window>();
	private readonly inFlight = new Map<string, number>();

	constructor(private readonly clock: SandboxClock) {}

	private window(w: Window | undefined, lengthMs: number, now: number): Window {
		if (!w || now - w.start >= lengthMs) return { start: now, count: 0 };
		return w;
	}

	private get minuteMs(): number {
		return this.clock.scaled(60_000);
	}
	private get dayMs(): number {
		return this.clock.scaled(86_400_000);
	}

	appHeaders(): Record<string, string> {
		const app = this.window(this.app, this.minuteMs, this.clock.now());
		return { 'X-AppMinLimit-Remaining': String(Math.max(0, this.limits.appMinute - app.count)) };
	}

	/** Counts a call without a tenant (e.g. `/connections`): app-wide limit only. */
	acquireApp(): LimitDecision {
		const now = this.clock.now();
		this.app = this.window(this.app, this.minuteMs, now);
		if (this.app.count >= this.limits.appMinute) {
			return { ok: false, problem: 'appminute', headers: this.appHeaders() };
		}
		this.app.count++;
		return { ok: true, headers: this.appHeaders() };
	}

	/** Checks and counts one API call for a tenant; on success the caller must `release` when done. */
	acquire(tenantId: string): LimitDecision {
		const now = this.clock.now();
		this.app = this.window(this.app, this.minuteMs, now);
		const minute = this.window(this.minute.get(tenantId), this.minuteMs, now);
		const day = this.window(this.day.get(tenantId), this.dayMs, now);
		this.minute.set(tenantId, minute);
		this.day.set(tenantId, day);
		const headers = () => ({
			'X-DayLimit-Remaining': String(Math.max(0, this.limits.perTenantDay - day.count)),
			'X-MinLimit-Remaining': String(Math.max(0, this.limits.perTenantMinute - minute.count)),
			...this.appHeaders(),
		});
		const retryAfter = (w: Window, lengthMs: number) =>
			Math.max(1, Math.ceil((w.start + lengthMs - now) / 1000));
		if (this.app.count >= this.limits.appMinute)
			return { ok: false, problem: 'appminute', headers: headers() };
		if (day.count >= this.limits.perTenantDay) {
			return {
				ok: false,
				problem: 'day',
				retryAfterSec: retryAfter(day, this.dayMs),
				headers: headers(),
			};
		}
		if (minute.count >= this.limits.perTenantMinute) {
			return {
				ok: false,
				problem: 'minute',
				retryAfterSec: retryAfter(minute, this.minuteMs),
				headers: headers(),
			};
		}
		if ((this.inFlight.get(tenantId) ?? 0) >= this.limits.perTenantConcurrent) {
			return { ok: false, problem: 'concurrent', headers: headers() };
		}
		this.app.count++;
		minute.count++;
		day.count++;
		this.inFlight.set(tenantId, (this.inFlight.get(tenantId) ?? 0) + 1);
		return { ok: true, headers: headers() };
	}

	release(tenantId: string): void {
		this.inFlight.set(tenantId, Math.max(0, (this.inFlight.get(tenantId) ?? 1) - 1));
	}

	snapshot(): Record<string, unknown> {
		const now = this.clock.now();
		const perTenant: Record<string, unknown> = {};
		for (const [tenantId, w] of this.minute) {
			const m = this.window(w, this.minuteMs, now);
			const d = this.window(this.day.get(tenantId), this.dayMs, now);
			perTenant[tenantId] = {
				minuteCount: m.count,
				dayCount: d.count,
				inFlight: this.inFlight.get(tenantId) ?? 0,
			};
		}
		return {
			limits: this.limits,
			app: { minuteCount: this.window(this.app, this.minuteMs, now).count },
			perTenant,
		};
	}

	reset(): void {
		this.app = { start: 0, count: 0 };
		this.minute.clear();
		this.day.clear();
		this.inFlight.clear();
	}
}
