// The sandbox's notion of time. `offsetMs` lets tests jump forward (token expiry, idempotency window);
// `timeScale` shrinks Xero's windows (rate-limit minute and day, idempotency cache) so a benchmark can run
// a "minute" in a second. Token lifetimes follow the clock but are not scaled: tests jump instead.
export class SandboxClock {
	offsetMs = 0;
	timeScale = 1;

	now(): number {
		return Date.now() + this.offsetMs;
	}

	/** A Xero duration (real milliseconds at Xero) in sandbox milliseconds. */
	scaled(ms: number): number {
		return ms / this.timeScale;
	}

	/** Whole milliseconds only: Xero's `/Date(ms+0000)/` has no fraction, and a benchmark's scaled jump
	 * (e.g. 61_000 / 7) must not turn every UpdatedDateUTC into an invalid date. */
	advance(ms: number): void {
		this.offsetMs += Math.round(ms);
	}
}

/** Xero's JSON date form (spec `x-is-msdate`): `/Date(1573755038314+0000)/`. */
export function msDate(ms: number): string {
	return `/Date(${ms}+0000)/`;
}

export function msDateFromDay(day: string): string {
	return msDate(Date.parse(`${day}T00:00:00Z`));
}

/** ISO date-time without zone, as Xero's `*String` siblings carry it. */
export function isoNoZone(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19);
}

/**
 * Parses the date forms Xero accepts on input: `YYYY-MM-DD`, ISO date-time, `/Date(ms[+zone])/`.
 * Returns `YYYY-MM-DD` or undefined when unparseable.
 */
export function parseInputDay(value: unknown): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value.trim());
	if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
	if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
		return Number.isNaN(Date.parse(`${value}T00:00:00Z`)) ? undefined : value;
	}
	const parsed = Date.parse(value);
	return Number.isNaN(parsed) ? undefined : value.slice(0, 10);
}

export function addDays(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
