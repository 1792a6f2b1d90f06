/**
 * The one place where user or record input becomes a number or a date (docs/parsing.md).
 *
 * Numbers: a JS number that is finite, or a string of plain decimal digits ("12", "-3.5", "+0.25", ".5"),
 * spaces around it allowed. Everything a person or Xero would read differently is refused with a reason and a
 * fix, never turned into another number: hexadecimal ("0x10"), exponent notation ("1e3"), thousands
 * separators or decimal commas ("1,000", "12,50"), currency signs, booleans, lists and objects. A value out of
 * the field's range says "too large" or "too small". For an optional field, missing, null and empty or
 * whitespace-only text mean "not given"; for a required field they are refused as empty.
 *
 * Dates: "YYYY-MM-DD" that names a real day (2026-02-30 and 2026-13-45 are refused), or an ISO 8601
 * date-time whose parts are all in range. Pure: no n8n context; callers add the item and the field.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string; fix: string };

export interface NumberRules {
	/** smallest value allowed (inclusive) */
	min?: number;
	/** largest value allowed (inclusive) */
	max?: number;
	/** the smallest value itself is refused (e.g. an amount that must be positive) */
	exclusiveMin?: boolean;
	/** whole numbers only */
	integer?: boolean;
	/** at most this many decimal places */
	maxDecimals?: number;
	/** shown in the fix, e.g. "120.50" */
	example?: string;
}

const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function describe(value: unknown): string {
	if (typeof value === 'string') return `"${value}"`;
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

function refuse(problem: string, fix: string): Parsed<never> {
	return { ok: false, problem, fix };
}

/** Why a string is not a plain decimal, in words a person can act on. */
function whyNotDecimal(text: string, example: string): Parsed<never> {
	const shown = `"${text}"`;
	if (/^[+-]?0[xob]/i.test(text))
		return refuse(
			`${shown} is written in hexadecimal, octal or binary`,
			`write it in decimal digits, e.g. ${example}`,
		);
	if (/^[+-]?(?:\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(text))
		return refuse(
			`${shown} uses exponent notation`,
			`write the number out in full, e.g. ${example}`,
		);
	if (/^[+-]?[\d.,' ]+$/.test(text) && /[,' ]/.test(text))
		return refuse(
			`${shown} contains a comma, space or apostrophe inside the number`,
			`write it without thousands separators and with a dot for decimals, e.g. ${example}`,
		);
	if (/^(?:[+-]?infinity|nan)$/i.test(text))
		return refuse(`${shown} is not a number`, `give a number, e.g. ${example}`);
	if (/[^\d\s.,+-]/.test(text) && PLAIN_DECIMAL.test(text.replace(/[^\d.+-]/g, '')))
		return refuse(
			`${shown} has characters that are not part of a number (a currency sign, unit or letter)`,
			`give the number alone, e.g. ${example}`,
		);
	return refuse(`${shown} is not a number`, `give a number, e.g. ${example}`);
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && !value.trim());
}

/** Range, whole-number and decimal-place checks on a number already read. */
function checkRules(value: number, rules: NumberRules, example: string): Parsed<number> {
	if (!Number.isFinite(value))
		return Number.isNaN(value)
			? refuse('is not a number', `give a number, e.g. ${example}`)
			: value > 0
				? refuse('is too large (infinite)', `give a finite number, e.g. ${example}`)
				: refuse('is too small (minus infinity)', `give a finite number, e.g. ${example}`);
	if (rules.max !== undefined && value > rules.max)
		return refuse(
			`${value} is too large (at most ${rules.max})`,
			`give a value of at most ${rules.max}`,
		);
	if (rules.min !== undefined && (value < rules.min || (rules.exclusiveMin && value === rules.min)))
		return refuse(
			`${value} is too small (${rules.exclusiveMin ? 'more than' : 'at least'} ${rules.min})`,
			`give a value ${rules.exclusiveMin ? 'above' : 'of at least'} ${rules.min}`,
		);
	if (rules.integer && !Number.isInteger(value))
		return refuse(`${value} is not a whole number`, `give a whole number, e.g. ${example}`);
	if (rules.maxDecimals !== undefined && decimalPlaces(value) > rules.maxDecimals)
		return refuse(
			`${value} has more than ${rules.maxDecimals} decimal places`,
			`give at most ${rules.maxDecimals} decimal places, e.g. ${example}`,
		);
	return { ok: true, value: value === 0 ? 0 : value };
}

/** Decimal places of a number as JavaScript writes it (0.1 → 1, 1e-7 → 7, 1.5e-10 → 11). */
export function decimalPlaces(value: number): number {
	const text = String(Math.abs(value));
	const exp = /e([+-]\d+)$/.exec(text);
	const mantissa = exp ? text.slice(0, exp.index) : text;
	const dot = mantissa.indexOf('.');
	const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
	return Math.max(0, fraction - (exp ? Number(exp[1]) : 0));
}

/** A required number: see the module comment for what is accepted. */
export function parseNumber(value: unknown, rules: NumberRules = {}): Parsed<number> {
	const example = rules.example ?? (rules.integer ? '10' : '12.5');
	if (typeof value === 'number') return checkRules(value, rules, example);
	if (typeof value === 'string') {
		const text = value.trim();
		if (!text) return refuse('is empty', `give a number, e.g. ${example}`);
		if (!PLAIN_DECIMAL.test(text)) return whyNotDecimal(text, example);
		return checkRules(Number(text), rules, example);
	}
	if (value === undefined || value === null)
		return refuse('is missing', `give a number, e.g. ${example}`);
	if (typeof value === 'boolean')
		return refuse(
			`is ${String(value)} (a yes/no value), not a number`,
			`give a number, e.g. ${example}`,
		);
	if (Array.isArray(value))
		return refuse(
			`is a list (${describe(value)}), not a number`,
			`give one number, e.g. ${example}`,
		);
	return refuse(`is ${describe(value)}, not a number`, `give a number, e.g. ${example}`);
}

/** An optional number: missing, null or blank text is "not given" (undefined); anything else as parseNumber. */
export function parseOptionalNumber(
	value: unknown,
	rules: NumberRules = {},
): Parsed<number | undefined> {
	if (isBlank(value)) return { ok: true, value: undefined };
	return parseNumber(value, rules);
}

// ---- Dates ----

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_RE =
	/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const MONTHS = [
	'January',
	'February',
	'March',
	'April',
	'May',
	'June',
	'July',
	'August',
	'September',
	'October',
	'November',
	'December',
];

function daysIn(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Year, month and day that name a real day, or the reason they do not. */
function checkDay(y: string, m: string, d: string, shown: string): Parsed<string> {
	const year = Number(y);
	const month = Number(m);
	const day = Number(d);
	const fix = 'use a real date as YYYY-MM-DD, e.g. 2026-11-26';
	if (year < 1900 || year > 9999)
		return refuse(`${shown} has the year ${y}, outside 1900–9999`, fix);
	if (month < 1 || month > 12)
		return refuse(`${shown} is not a real date: there is no month ${month}`, fix);
	const last = daysIn(year, month);
	if (day < 1 || day > last)
		return refuse(
			`${shown} is not a real date: ${MONTHS[month - 1]} ${year} has ${last} days`,
			fix,
		);
	return { ok: true, value: `${y}-${m}-${d}` };
}

function checkTime(
	h: string,
	min: string,
	s: string | undefined,
	zone: string | undefined,
	shown: string,
): Parsed<true> {
	const fix = 'use an ISO 8601 date-time such as 2026-11-26T09:30:00Z';
	if (Number(h) > 23 || Number(min) > 59 || Number(s ?? 0) > 59)
		return refuse(`${shown} has a time that does not exist`, fix);
	if (zone && !/^z$/i.test(zone)) {
		const zh = Number(zone.slice(1, 3));
		const zm = Number(zone.slice(-2));
		if (zh > 14 || zm > 59)
			return refuse(`${shown} has a time zone offset that does not exist`, fix);
	}
	return { ok: true, value: true };
}

function asText(value: unknown): string | undefined {
	if (typeof value === 'string') return value.trim();
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
	// Luxon DateTime (n8n's $now, $today) and other date objects that print as ISO text
	if (
		value &&
		typeof value === 'object' &&
		typeof (value as { toISO?: unknown }).toISO === 'function'
	)
		return String((value as { toISO: () => string }).toISO());
	return undefined;
}

/** A checked day, and the time parts when the text was a date-time. */
interface DateParts {
	day: string;
	at?: RegExpExecArray;
}

/** Text → a real day (and in-range time parts), or why not. `form` names what was expected. */
function readDateParts(value: unknown, fix: string, form: string): Parsed<DateParts> {
	const text = asText(value);
	if (text === undefined)
		return value === undefined || value === null
			? refuse('is missing', fix)
			: refuse(`is ${describe(value)}, not a date`, fix);
	if (!text) return refuse('is empty', fix);
	const shown = `"${text}"`;
	const plain = DAY_RE.exec(text);
	const at = plain ? undefined : DATE_TIME_RE.exec(text);
	const parts = plain ?? at;
	if (!parts) return refuse(`${shown} is not ${form}`, fix);
	if (at) {
		const time = checkTime(at[4], at[5], at[6], at[8], shown);
		if (!time.ok) return time;
	}
	const day = checkDay(parts[1], parts[2], parts[3], shown);
	return day.ok ? { ok: true, value: { day: day.value, at: at ?? undefined } } : day;
}

/**
 * A calendar day "YYYY-MM-DD". An ISO date-time is accepted and cut to its date as written (the day the
 * sender meant, not converted to UTC), after its time and zone are checked too.
 */
export function parseDate(value: unknown): Parsed<string> {
	const parts = readDateParts(
		value,
		'use a real date as YYYY-MM-DD, e.g. 2026-11-26',
		'a date in the form YYYY-MM-DD',
	);
	return parts.ok ? { ok: true, value: parts.value.day } : parts;
}

/** An optional calendar day: missing, null or blank is "not given". */
export function parseOptionalDate(value: unknown): Parsed<string | undefined> {
	if (isBlank(value)) return { ok: true, value: undefined };
	return parseDate(value);
}

/**
 * An instant as an ISO string (UTC, milliseconds). Accepts a real day "YYYY-MM-DD" (midnight UTC) and ISO 8601
 * date-times; a date-time without a zone, such as Commusoft's "2026-10-01 09:30:00", is read as UTC.
 */
export function parseTimestamp(value: unknown): Parsed<string> {
	const fix =
		'use an ISO 8601 date-time such as 2026-11-26T09:30:00Z, or a date such as 2026-11-26';
	const parts = readDateParts(value, fix, 'an ISO 8601 date-time');
	if (!parts.ok) return parts;
	const { day, at } = parts.value;
	if (!at) return { ok: true, value: `${day}T00:00:00.000Z` };
	const zone = at[8] ? (/^z$/i.test(at[8]) ? 'Z' : `${at[8].slice(0, 3)}:${at[8].slice(-2)}`) : 'Z';
	const fraction = at[7] ? at[7].slice(0, 4).padEnd(4, '0') : '.000';
	const ms = Date.parse(`${day}T${at[4]}:${at[5]}:${at[6] ?? '00'}${fraction}${zone}`);
	if (Number.isNaN(ms)) return refuse(`"${asText(value)}" is not an ISO 8601 date-time`, fix);
	return { ok: true, value: new Date(ms).toISOString() };
}

/** An optional instant: missing, null or blank is "not given". */
export function parseOptionalTimestamp(value: unknown): Parsed<string | undefined> {
	if (isBlank(value)) return { ok: true, value: undefined };
	return parseTimestamp(value);
}
