/**
 * Small per-record fingerprints kept in static data so the trigger can say which fields changed between two
 * versions of a record. Each tracked field is reduced to a short hash (FNV-1a, 32 bit, base 36): enough to
 * notice a change, small enough that a bounded store stays a few tens of kilobytes. Pure functions only.
 */

/** A fingerprint: one short hash per tracked field, in the order of the field list. */
export type Fingerprint = string;

/** Bounded store: `[recordId, fingerprint]` pairs, oldest first (an array keeps order through JSON). */
export type FingerprintEntries = Array<[string, Fingerprint]>;

export const DEFAULT_FINGERPRINT_LIMIT = 2000;

/** Stable JSON: object keys sorted, undefined dropped, so equal values always hash alike. */
export function stableStringify(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'object') return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
	const entries = Object.entries(value as Record<string, unknown>)
		.filter(([, v]) => v !== undefined && v !== null && v !== '')
		.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

export function shortHash(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(36);
}

/** Fingerprint of the tracked fields; `valuesOf` returns one value per field, in `fields` order. */
export function fingerprintOf(
	fields: readonly string[],
	values: Record<string, unknown>,
): Fingerprint {
	return fields.map((field) => shortHash(stableStringify(values[field]))).join('.');
}

/** The fields whose hash differs; undefined when the previous fingerprint has another field layout. */
export function changedFields(
	fields: readonly string[],
	previous: Fingerprint,
	current: Fingerprint,
): string[] | undefined {
	const before = previous.split('.');
	const after = current.split('.');
	if (before.length !== fields.length || after.length !== fields.length) return undefined;
	return fields.filter((_, index) => before[index] !== after[index]);
}

/** Reads the store from static data, dropping malformed entries. */
export function readFingerprints(value: unknown): FingerprintEntries {
	if (!Array.isArray(value)) return [];
	return value.filter(
		(entry): entry is [string, Fingerprint] =>
			Array.isArray(entry) &&
			entry.length === 2 &&
			typeof entry[0] === 'string' &&
			typeof entry[1] === 'string',
	);
}

export function lookupFingerprint(
	entries: FingerprintEntries,
	id: string,
): Fingerprint | undefined {
	for (let i = entries.length - 1; i >= 0; i--) if (entries[i][0] === id) return entries[i][1];
	return undefined;
}

/** Stores fingerprints: an updated id moves to the young end; the oldest go beyond `limit`. */
export function storeFingerprints(
	entries: FingerprintEntries,
	updates: Array<[string, Fingerprint]>,
	limit = DEFAULT_FINGERPRINT_LIMIT,
): FingerprintEntries {
	if (updates.length === 0) return entries;
	const latest = new Map<string, Fingerprint>();
	for (const [id, fingerprint] of updates) {
		latest.delete(id);
		latest.set(id, fingerprint);
	}
	const kept = entries.filter(([id]) => !latest.has(id));
	const merged: FingerprintEntries = [...kept, ...latest.entries()];
	const bound = Math.max(0, Math.floor(limit));
	return merged.length > bound ? merged.slice(merged.length - bound) : merged;
}
