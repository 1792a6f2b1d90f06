// Reading records a report did not make itself (Commusoft lists given to the Audit, Get Balances items given to
// Commusoft → Update Xero Balance Summary, Xero invoices given to the ageing): each report lists the fields it
// reads in one table, and a record that does not fit is refused naming the record, the field and the fix,
// never guessed at or skipped. Pure, except `unreadableRecordError`, which only builds n8n's error.
import { NodeOperationError, type INode } from 'n8n-workflow';

export type FieldKind =
	/** a non-empty string */
	| 'text'
	/** a finite JSON number (a numeric string is refused: "12.50" may be a label, "1e3" or "0x10" surely are) */
	| 'number'
	| 'boolean'
	/** a calendar day as YYYY-MM-DD that exists (no 30 February) */
	| 'day'
	/** a date as Xero sends it: "/Date(1730419200000+0000)/", or an ISO date or date-time on a day that exists */
	| 'xeroDate';

export interface FieldRule {
	field: string;
	kind: FieldKind;
	/** absent (undefined) is a problem; default: the field may be left out */
	required?: boolean;
	/** null is accepted as "none" */
	nullable?: boolean;
	/** the only values accepted (text fields) */
	oneOf?: readonly string[];
	/** what the user should do, when the record has the field wrong */
	fix: string;
}

export interface FieldProblem {
	field: string;
	problem: string;
	fix: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const XERO_DATE = /^\/Date\(-?\d+([+-]\d{4})?\)\/$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether `value` is YYYY-MM-DD naming a day that exists (2026-02-30 and 2026-13-01 do not). */
export function isDay(value: string): boolean {
	const match = DAY.exec(value);
	if (!match) return false;
	const [year, month, day] = match.slice(1).map(Number);
	const date = new Date(Date.UTC(year, month - 1, day));
	return (
		date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
	);
}

/** How a value looks to a person reading the error: its type and, when short, the value itself. */
export function shown(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string')
		return value.trim() === '' ? 'empty text' : `text "${value.slice(0, 40)}"`;
	return `${typeof value} ${String(value)}`;
}

function problemOf(value: unknown, rule: FieldRule): string | undefined {
	if (value === undefined) return rule.required ? 'is missing' : undefined;
	if (value === null) return rule.nullable ? undefined : 'is null';
	switch (rule.kind) {
		case 'text':
			if (typeof value !== 'string' || value.trim() === '')
				return `must be text, not ${shown(value)}`;
			if (rule.oneOf && !rule.oneOf.includes(value))
				return `must be one of ${rule.oneOf.map((v) => `"${v}"`).join(', ')}, not "${value}"`;
			return undefined;
		case 'number':
			if (typeof value !== 'number') return `must be a number, not ${shown(value)}`;
			return Number.isFinite(value) ? undefined : `must be a finite number, not ${value}`;
		case 'boolean':
			return typeof value === 'boolean' ? undefined : `must be true or false, not ${shown(value)}`;
		case 'day':
			return typeof value === 'string' && isDay(value)
				? undefined
				: `must be a date as YYYY-MM-DD, not ${shown(value)}`;
		case 'xeroDate':
			return typeof value === 'string' &&
				(XERO_DATE.test(value) || (ISO_DATE.test(value) && isDay(value.slice(0, 10))))
				? undefined
				: `must be a date, not ${shown(value)}`;
	}
}

/** Every field of `record` that does not fit its rule (a record that is not an object fails as a whole). */
export function checkRecord(record: unknown, rules: readonly FieldRule[]): FieldProblem[] {
	if (typeof record !== 'object' || record === null || Array.isArray(record))
		return [
			{
				field: '(record)',
				problem: `must be an object, not ${shown(record)}`,
				fix: 'give one record object per entry',
			},
		];
	const problems: FieldProblem[] = [];
	for (const rule of rules) {
		const problem = problemOf((record as Record<string, unknown>)[rule.field], rule);
		if (problem) problems.push({ field: rule.field, problem, fix: rule.fix });
	}
	return problems;
}

/** A record a report cannot read: what it is (list and position, its number when known) and why. */
export interface UnreadableRecord {
	label: string;
	problems: FieldProblem[];
}

/** One line a problem: `"field" is missing. Fix: …`. */
export function formatProblems(problems: readonly FieldProblem[]): string[] {
	return problems.map((p) => `"${p.field}" ${p.problem}. Fix: ${p.fix}.`);
}

/** An unreadable record (or several, `records` = what each is and its problems) as the item's error. */
export function unreadableRecordError(
	node: INode,
	itemIndex: number,
	records: readonly UnreadableRecord[],
	footer?: string,
): NodeOperationError {
	const first = records[0];
	const more = records.length > 1 ? ` (and ${records.length - 1} more record(s))` : '';
	const shownRecords = records.slice(0, 20);
	return new NodeOperationError(
		node,
		`${first.label}: "${first.problems[0].field}" ${first.problems[0].problem}${more}`,
		{
			itemIndex,
			description: [
				...shownRecords.flatMap((r) =>
					formatProblems(r.problems).map((line) => `${r.label}: ${line}`),
				),
				...(records.length > shownRecords.length
					? [`…and ${records.length - shownRecords.length} more record(s).`]
					: []),
				...(footer ? [footer] : []),
			].join('\n'),
		},
	);
}
