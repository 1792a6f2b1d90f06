/**
 * Poll state shared by every polling trigger (Commusoft Trigger, Xero Payment Trigger).
 *
 * The state lives in `this.getWorkflowStaticData('node')` (queue-mode safe; nothing in module memory). Every
 * function here is pure: it reads a state and returns a new one, so it can be unit-tested without n8n.
 *
 * Model:
 * - `cursor`: the highest record timestamp seen so far (the server's clock, never ours), ISO 8601.
 * - `seen`: keys "<id>@<updatedAt>" of records already emitted (or deliberately skipped), oldest first,
 *   bounded. An edited record has a new updatedAt, so a new key, so it is emitted again; a record read twice
 *   (overlap window, paging shifts) keeps its key and is dropped.
 * - `startedAt`: our clock at the first activation; the query starts there until the first record sets the
 *   cursor, so polls between activation and the first change do not each restart from "now".
 *
 * One poll:
 *   const state = readPollState(staticData);
 *   const { modifiedSince, baseline } = queryWindow(state, { overlapMs, backfillFrom, now });
 *   const records = await list(modifiedSince);
 *   const fresh = filterNew(state, records, keyOf);
 *   writePollState(staticData, advance(state, records, timestampOf, { keyOf, now }));
 *   return baseline || fresh.length === 0 ? null : [items(fresh)];
 *
 * Why an overlap: a record can become visible after a poll with a timestamp at or just before the cursor
 * (same second as the last record, a slow transaction, a few seconds of clock skew between the API's
 * servers). Asking from `cursor − overlap` re-reads that slice; the seen-set drops what was already emitted.
 * The overlap must be larger than the worst such delay; the seen-set must hold every key the overlap can
 * return (the default 2,000 keys is far above what a few minutes of edits produce).
 */

/** Plain, JSON-safe state kept in workflow static data. */
export interface PollState {
	cursor?: string;
	seen: string[];
	startedAt?: string;
}

export const DEFAULT_SEEN_LIMIT = 2000;

export interface QueryWindowOptions {
	/** How far before the cursor to ask again, in milliseconds. */
	overlapMs: number;
	/** First activation only: emit history from this instant instead of starting from now. */
	backfillFrom?: string;
	/** Our clock, ISO 8601 or Date (passed in so the function stays pure). */
	now: string | Date;
}

export interface QueryWindow {
	/** The modified-since instant to ask the API for, ISO 8601. */
	modifiedSince: string;
	/**
	 * True on the first activation without backfill: the records returned are the baseline, to be
	 * remembered (`advance`) but not emitted. The window then is `now − overlap`, so records written just
	 * after activation by a server whose clock is a little behind ours are already known and not lost.
	 */
	baseline: boolean;
}

export interface AdvanceOptions<T> {
	/** When given, the records' keys are remembered in the seen-set (bounded FIFO). */
	keyOf?: (record: T) => string;
	/** Seen-set bound; oldest keys are evicted first. Default 2,000. */
	seenLimit?: number;
	/**
	 * Opt-in: forget keys ("<id>@<updatedAt>") of versions older than the next window (new cursor − overlap).
	 * No later poll can return them, provided the caller also drops records older than the window it asked
	 * for (a server may round `modifiedSince`). Keeps static data small; keys without a date are kept.
	 */
	forgetOutsideWindowMs?: number;
	/**
	 * Our clock. When given, it is recorded as `startedAt` on the first poll, and the cursor is never moved
	 * past it: a record stamped in the future (server clock ahead, bad data) must not make later records
	 * with earlier timestamps fall before the window. Re-reading such a record costs nothing: its key is seen.
	 */
	now?: string | Date;
}

/** The seen-set key of a record version: an edit changes updatedAt, so it changes the key. */
export function seenKey(id: string | number, updatedAt: string): string {
	return `${id}@${updatedAt}`;
}

/** Reads (and repairs) the poll state from static data without changing it. */
export function readPollState(staticData: Record<string, unknown>): PollState {
	const state: PollState = {
		seen: Array.isArray(staticData.seen)
			? (staticData.seen as unknown[]).filter((key): key is string => typeof key === 'string')
			: [],
	};
	if (typeof staticData.cursor === 'string' && isInstant(staticData.cursor)) {
		state.cursor = staticData.cursor;
	}
	if (typeof staticData.startedAt === 'string' && isInstant(staticData.startedAt)) {
		state.startedAt = staticData.startedAt;
	}
	return state;
}

/**
 * Writes the state into static data. Assigns top-level keys (n8n detects changes on the static-data object
 * itself) and removes keys the state no longer has.
 */
export function writePollState(staticData: Record<string, unknown>, state: PollState): void {
	staticData.seen = [...state.seen];
	for (const key of ['cursor', 'startedAt'] as const) {
		if (state[key] === undefined) delete staticData[key];
		else staticData[key] = state[key];
	}
}

/** The modified-since to ask for: cursor − overlap; first activation: now (or the backfill date). */
export function queryWindow(state: PollState, options: QueryWindowOptions): QueryWindow {
	const overlapMs = Math.max(0, options.overlapMs);
	if (state.cursor !== undefined) {
		return { modifiedSince: shift(state.cursor, -overlapMs), baseline: false };
	}
	if (options.backfillFrom !== undefined && options.backfillFrom !== '') {
		return { modifiedSince: toIso(options.backfillFrom, 'backfillFrom'), baseline: false };
	}
	if (state.startedAt !== undefined) {
		return { modifiedSince: shift(state.startedAt, -overlapMs), baseline: false };
	}
	return { modifiedSince: shift(toIso(options.now, 'now'), -overlapMs), baseline: true };
}

/**
 * The records not emitted before, in input order. Duplicates inside `records` (the same version on two
 * pages when records move between pages during paging) are returned once.
 */
export function filterNew<T>(state: PollState, records: T[], keyOf: (record: T) => string): T[] {
	const known = new Set(state.seen);
	const fresh: T[] = [];
	for (const record of records) {
		const key = keyOf(record);
		if (known.has(key)) continue;
		known.add(key);
		fresh.push(record);
	}
	return fresh;
}

/**
 * The state after a poll that read `records`: cursor = max record timestamp (never backwards, never past
 * `now` when given), keys remembered when `keyOf` is given. Keys read again move to the young end, so a
 * record that the overlap keeps returning is the last to be evicted.
 */
export function advance<T>(
	state: PollState,
	records: T[],
	timestampOf: (record: T) => string | undefined,
	options: AdvanceOptions<T> = {},
): PollState {
	const next: PollState = { seen: state.seen };
	if (state.startedAt !== undefined) next.startedAt = state.startedAt;
	else if (options.now !== undefined) next.startedAt = toIso(options.now, 'now');

	let cursorMs = state.cursor !== undefined ? Date.parse(state.cursor) : Number.NEGATIVE_INFINITY;
	const limitMs =
		options.now !== undefined ? Date.parse(toIso(options.now, 'now')) : Number.POSITIVE_INFINITY;
	for (const record of records) {
		const stamp = timestampOf(record);
		if (stamp === undefined) continue;
		const ms = Date.parse(stamp);
		// Unreadable timestamps cannot order anything; the seen-set still protects those records.
		if (Number.isNaN(ms)) continue;
		const capped = Math.min(ms, limitMs);
		if (capped > cursorMs) cursorMs = capped;
	}
	if (Number.isFinite(cursorMs)) next.cursor = new Date(cursorMs).toISOString();

	if (options.keyOf) {
		next.seen = remember(
			state.seen,
			records.map((record) => options.keyOf!(record)),
			options.seenLimit ?? DEFAULT_SEEN_LIMIT,
		);
	}
	if (options.forgetOutsideWindowMs !== undefined && next.cursor !== undefined) {
		const windowStartMs = Date.parse(next.cursor) - Math.max(0, options.forgetOutsideWindowMs);
		next.seen = next.seen.filter((key) => {
			const at = Date.parse(key.slice(key.lastIndexOf('@') + 1));
			return Number.isNaN(at) || at >= windowStartMs;
		});
	}
	return next;
}

/**
 * Adds keys to a bounded FIFO list: a key already present moves to the young end; when the list is over
 * `limit`, the oldest keys go.
 */
export function remember(seen: string[], keys: string[], limit = DEFAULT_SEEN_LIMIT): string[] {
	if (keys.length === 0) return seen.length > limit ? seen.slice(seen.length - limit) : seen;
	const added = new Set(keys);
	const kept = seen.filter((key) => !added.has(key));
	const merged = [...kept, ...added];
	const bound = Math.max(0, Math.floor(limit));
	return merged.length > bound ? merged.slice(merged.length - bound) : merged;
}

function isInstant(value: string): boolean {
	return !Number.isNaN(Date.parse(value));
}

function toIso(value: string | Date, name: string): string {
	const ms = value instanceof Date ? value.getTime() : Date.parse(value);
	if (Number.isNaN(ms)) {
		throw new Error(
			`${name} is not a valid date: "${String(value)}" (use ISO 8601, e.g. 2026-01-31T00:00:00Z)`,
		);
	}
	return new Date(ms).toISOString();
}

function shift(iso: string, deltaMs: number): string {
	return new Date(Date.parse(iso) + deltaMs).toISOString();
}
