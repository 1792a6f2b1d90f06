import { createHash } from 'crypto';

/**
 * Idempotency-Key derivation (docs/xero-rules.md §2.3): the key is a hash of everything that defines the write, so
 * sending the same batch again (a retry inside this execution, a re-run of the workflow, a second worker
 * picking up the same job) carries the same key and Xero answers from its cache instead of creating twice.
 * A different batch (any element, field, query flag or tenant differs) gets a different key, which matters
 * because Xero rejects a reused key with a different request.
 *
 * Keys must be at most 128 characters; ours are "n8n-cx-" + 64 hex characters.
 */

/** JSON with object keys sorted at every level, so equal content always serialises the same way. */
export function canonicalJson(value: unknown): string {
	if (value === null || value === undefined) return 'null';
	if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
	if (value instanceof Date) return JSON.stringify(value.toISOString());
	if (typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, v]) => v !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
	}
	if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
	return JSON.stringify(value);
}

export interface IdempotencyInput {
	method: string;
	path: string;
	tenantId: string;
	qs?: Record<string, unknown>;
	body?: unknown;
}

export const IDEMPOTENCY_KEY_PREFIX = 'n8n-cx-';

export function deriveIdempotencyKey(input: IdempotencyInput): string {
	const material = canonicalJson({
		method: input.method.toUpperCase(),
		path: input.path,
		tenantId: input.tenantId,
		qs: input.qs ?? {},
		body: input.body ?? null,
	});
	return IDEMPOTENCY_KEY_PREFIX + createHash('sha256').update(material).digest('hex');
}
