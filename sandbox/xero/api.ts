/* eslint-disable @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Plumbing shared by the Accounting API handlers: the per-call context, Xero's error shapes (docs/xero-rules.md §9),
// batch processing with summarizeErrors (§2.2), list filtering (where/order/If-Modified-Since/paging, §3.6).
import { q } from '../shared/http';
import type { TenantState } from './types';
import { compileOrder, compileWhere, WhereError } from './where';

export interface ApiContext {
	tenant: TenantState;
	query: Record<string, string>;
	body: unknown;
	params: string[];
	now: number;
	newId(): string;
	clientId: string;
	ifModifiedSince?: number;
	trackingOptionCap: number;
	emit(category: 'INVOICE' | 'CONTACT', type: 'CREATE' | 'UPDATE', resourceId: string): void;
}

export interface ApiResult {
	status: number;
	body: unknown;
	/** Set for non-JSON bodies (Xero's 404 is plain text). */
	text?: string;
}

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly text?: string,
	) {
		super(typeof text === 'string' ? text : JSON.stringify(body));
	}
}

export const NOT_FOUND_TEXT = "The resource you're looking for cannot be found";

export function notFound(): ApiError {
	return new ApiError(404, undefined, NOT_FOUND_TEXT);
}

/** `{ErrorNumber: 10, Type: "ValidationException", …}` (spec Error/Element/ValidationError). */
export function validationException(elements: Record<string, unknown>[]): ApiError {
	return new ApiError(400, {
		ErrorNumber: 10,
		Type: 'ValidationException',
		Message: 'A validation exception occurred',
		Elements: elements,
	});
}

export function singleValidationError(
	message: string,
	element: Record<string, unknown> = {},
): ApiError {
	return validationException([{ ...element, ValidationErrors: [{ Message: message }] }]);
}

export function queryParseError(message: string): ApiError {
	return new ApiError(400, { ErrorNumber: 16, Type: 'QueryParseException', Message: message });
}

/** Thrown by element processors: the messages become the element's ValidationErrors. */
export class ElementErrors extends Error {
	constructor(readonly messages: string[]) {
		super(messages.join('; '));
	}
}

export interface BatchOutcome {
	ok: boolean;
	json: Record<string, unknown>;
}

/**
 * Runs every element independently (each is validated, then committed or refused on its own), then answers
 * as documented: summarizeErrors=false → 200 with every element and its StatusAttributeString; otherwise
 * (the default) any error → 400 ValidationException listing the failed elements, while the valid elements
 * of the batch stay created (§2.2: their ids are not returned).
 */
export function answerBatch(
	ctx: ApiContext,
	envelopeKey: string,
	outcomes: BatchOutcome[],
): ApiResult {
	const summarize = (q(ctx.query, 'summarizeErrors') ?? 'true').toLowerCase() !== 'false';
	const failed = outcomes.filter((o) => !o.ok);
	if (summarize && failed.length) throw validationException(failed.map((o) => o.json));
	return { status: 200, body: { [envelopeKey]: outcomes.map((o) => o.json) } };
}

export function elementsOf(body: unknown, key: string, allowSingle = false): unknown[] {
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const obj = body as Record<string, unknown>;
		const hit = Object.keys(obj).find((k) => k.toLowerCase() === key.toLowerCase());
		if (hit && Array.isArray(obj[hit])) return obj[hit] as unknown[];
		if (allowSingle && !hit && Object.keys(obj).length) return [obj];
	}
	throw singleValidationError(`The request body must contain a "${key}" array.`);
}

export function parseBool(value: string | undefined): boolean {
	return (value ?? '').toLowerCase() === 'true';
}

/** Comma-separated query list (IDs, InvoiceNumbers, ContactIDs, Statuses). */
export function parseList(value: string | undefined): string[] | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	return value
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

export interface Paging {
	page?: number;
	pageSize: number;
}

export function parsePaging(ctx: ApiContext): Paging {
	const pageRaw = q(ctx.query, 'page');
	const sizeRaw = q(ctx.query, 'pageSize');
	let page: number | undefined;
	if (pageRaw !== undefined) {
		page = Number(pageRaw);
		if (!Number.isInteger(page) || page < 1) page = 1;
	}
	let pageSize = 100;
	if (sizeRaw !== undefined) {
		const n = Number(sizeRaw);
		if (Number.isInteger(n) && n > 0) pageSize = Math.min(n, 1000); // pageSize max 1000 (§3.6)
	}
	return { page, pageSize };
}

/**
 * If-Modified-Since, where and order on the JSON records as returned, then paging. Records are serialised
 * lazily: without where/order only the requested page is built, so large paged reads stay cheap.
 */
/** A list endpoint's 200 answer: `pagination` first when the list was paged, then the collection. */
export function listAnswer(
	collection: string,
	result: { items: unknown[]; pagination?: Record<string, number> },
): ApiResult {
	return {
		status: 200,
		body: {
			...(result.pagination ? { pagination: result.pagination } : {}),
			[collection]: result.items,
		},
	};
}

export function filterList<T extends Record<string, unknown>>(
	ctx: ApiContext,
	records: { json: () => T; updated: number }[],
	options: { paged: boolean } = { paged: true },
): { items: T[]; pagination?: Record<string, number> } {
	let list = records;
	if (ctx.ifModifiedSince !== undefined)
		list = list.filter((r) => r.updated >= ctx.ifModifiedSince!);
	const where = q(ctx.query, 'where');
	const order = q(ctx.query, 'order');
	let items: (() => T)[] = list.map((r) => r.json);
	try {
		if ((where && where.trim()) || (order && order.trim())) {
			let built = items.map((f) => f());
			if (where && where.trim()) {
				const predicate = compileWhere(where);
				built = built.filter((r) => predicate(r));
			}
			if (order && order.trim()) built = [...built].sort(compileOrder(order));
			items = built.map((r) => () => r);
		}
	} catch (error) {
		if (error instanceof WhereError) throw queryParseError(error.message);
		throw error;
	}
	const { page, pageSize } = parsePaging(ctx);
	if (!options.paged || page === undefined) return { items: items.map((f) => f()) };
	const itemCount = items.length;
	return {
		items: items.slice((page - 1) * pageSize, page * pageSize).map((f) => f()),
		pagination: { page, pageSize, pageCount: Math.ceil(itemCount / pageSize), itemCount },
	};
}

export function asObject(value: unknown): Record<string, unknown> | undefined {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

export function str(value: unknown): string | undefined {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

export function num(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
		return Number(value);
	return undefined;
}

export function has(obj: Record<string, unknown>, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(obj, key) && obj[key] !== undefined;
}

/** Refuses strings longer than the spec's `maxLength` for these fields (Xero enforces them server-side). */
export function checkLengths(
	input: Record<string, unknown>,
	limits: Record<string, number>,
	errors: string[],
	label = '',
): void {
	for (const [key, max] of Object.entries(limits)) {
		const v = input[key];
		if (typeof v === 'string' && v.length > max)
			errors.push(`${label}${key} must be at most ${max} characters.`);
	}
}

/** Echo-safe copy of string fields for error elements: only values within the spec's limits. */
export function echoStrings(
	input: Record<string, unknown>,
	limits: Record<string, number>,
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, max] of Object.entries(limits)) {
		const v = input[key];
		if (typeof v === 'string' && v.length <= max) out[key] = v;
	}
	return out;
}
