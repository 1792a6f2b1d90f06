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

/**
 * The modified-since to ask for: cursor − overlap; first activation: now (or the backfill date). A backfill
 * date is a hard lower bound: the overlap never reaches before it, so records the user excluded stay out.
 */
export function queryWindow(state: PollState, options: QueryWindowOptions): QueryWindow {
	const overlapMs = Math.max(0, options.overlapMs);
	const floor =
		options.backfillFrom !== undefined && options.backfillFrom !== ''
			? toIso(options.backfillFrom, 'backfillFrom')
			: undefined;
	const atLeastFloor = (iso: string) =>
		floor !== undefined && Date.parse(iso) < Date.parse(floor) ? floor : iso;
	if (state.cursor !== undefined) {
		return { modifiedSince: atLeastFloor(shift(state.cursor, -overlapMs)), baseline: false };
	}
	if (floor !== undefined) return { modifiedSince: floor, baseline: false };
	if (state.startedAt !== undefined) {
		return { modifiedSince: shift(state.startedAt, -overlapMs), baseline: false };
	}
	return { modifiedSince: shift(toIso(options.now, 'now'), -overlapMs), baseline: true };
}

/** What `inspectPollState` found in saved state, and the state to poll with. */
export interface PollStateCheck {
	/** The repaired state (safe to pass to `queryWindow`). */
	state: PollState;
	/** One sentence per damage found; empty when the saved state is healthy. */
	problems: string[];
	/**
	 * No safe place to resume is known (no readable cursor and no activation time): the caller must fail
	 * naming the fix, or resume from the user's "Backfill From".
	 */
	positionLost: boolean;
	/** Records emitted before may be emitted again (the seen-set or the cursor was lost). */
	mayRepeat: boolean;
}

export interface InspectOptions {
	now: string | Date;
	overlapMs: number;
	/** Set when the user chose a "Backfill From": the far-past check then leaves the cursor to that bound. */
	backfillFrom?: string;
	seenLimit?: number;
}

/**
 * A cursor this far before the trigger's activation cannot come from a poll without backfill (the server's
 * clock would have to be a day behind ours): the state was damaged.
 */
const FAR_PAST_TOLERANCE_MS = 24 * 3_600_000;

/**
 * Reads saved poll state that may be damaged (hand-edited workflow JSON, a bad import, another version's
 * shape) and decides, per damage, where it is safe to resume. The rule is: never skip a record. So a lost
 * or unusable cursor falls back to the activation time (`startedAt`), never to "now"; a lost seen-set keeps
 * the cursor and accepts that the overlap window is emitted again (`mayRepeat`). When neither a cursor nor
 * an activation time can be trusted, `positionLost` is set and the caller must not guess.
 * A state with none of the keys is a first activation, not damage.
 */
export function inspectPollState(raw: unknown, options: InspectOptions): PollStateCheck {
	const nowMs = Date.parse(toIso(options.now, 'now'));
	const overlapMs = Math.max(0, options.overlapMs);
	const problems: string[] = [];
	if (!isStateObject(raw)) {
		return {
			state: { seen: [] },
			problems: [`the saved state is ${describeValue(raw)}, not an object`],
			positionLost: true,
			mayRepeat: true,
		};
	}
	const data = raw;
	// Nothing saved yet (or only an empty seen-set): a first activation, nothing to lose.
	const fresh =
		data.cursor === undefined &&
		data.startedAt === undefined &&
		(data.seen === undefined || (Array.isArray(data.seen) && data.seen.length === 0));
	if (fresh) return { state: { seen: [] }, problems, positionLost: false, mayRepeat: false };

	let mayRepeat = false;
	const instant = (name: 'cursor' | 'startedAt'): number | undefined => {
		const value = data[name];
		if (value === undefined) return undefined;
		if (typeof value !== 'string') {
			problems.push(`"${name}" is ${describeValue(value)}, not a date string`);
			return undefined;
		}
		const ms = Date.parse(value);
		if (Number.isNaN(ms)) {
			problems.push(`"${name}" is not a date: "${value.slice(0, 40)}"`);
			return undefined;
		}
		if (ms > nowMs + 1000) {
			problems.push(`"${name}" (${value}) is in the future`);
			return undefined;
		}
		return ms;
	};
	let cursorMs = instant('cursor');
	let startedMs = instant('startedAt');
	const hadCursor = data.cursor !== undefined;
	if (hadCursor && cursorMs === undefined) mayRepeat = true;
	if (
		cursorMs !== undefined &&
		startedMs !== undefined &&
		options.backfillFrom === undefined &&
		cursorMs < startedMs - overlapMs - FAR_PAST_TOLERANCE_MS
	) {
		problems.push(
			`"cursor" (${new Date(cursorMs).toISOString()}) is far before the trigger's activation (${new Date(startedMs).toISOString()})`,
		);
		cursorMs = undefined;
	}
	if (cursorMs !== undefined && startedMs === undefined) {
		if (data.startedAt === undefined) problems.push('"startedAt" is missing');
		// The cursor was reached after activation, so activation was no later than it.
		startedMs = cursorMs;
	}

	let seen: string[] = [];
	if (data.seen === undefined) {
		problems.push('"seen" is missing');
		mayRepeat = true;
	} else if (!Array.isArray(data.seen)) {
		problems.push(`"seen" is ${describeValue(data.seen)}, not a list`);
		mayRepeat = true;
	} else {
		seen = (data.seen as unknown[]).filter((key): key is string => typeof key === 'string');
		const dropped = data.seen.length - seen.length;
		if (dropped > 0) {
			problems.push(`"seen" holds ${dropped} entr${dropped === 1 ? 'y' : 'ies'} that are not keys`);
			mayRepeat = true;
		}
		const limit = options.seenLimit ?? DEFAULT_SEEN_LIMIT;
		if (seen.length > limit) {
			// Every key still filters this poll; the next write keeps the newest `limit`.
			problems.push(`"seen" holds ${seen.length} keys, more than its bound of ${limit}`);
		}
		if (seen.length === 0 && hadCursor) {
			// Every poll that sets a cursor remembers the keys of the records at it.
			problems.push('"seen" is empty although a cursor is set');
			mayRepeat = true;
		}
	}

	if (!hadCursor && seen.length > 0) {
		// Keys are remembered by the same write that moves the cursor past their records.
		problems.push('"cursor" is missing although records were seen');
		mayRepeat = true;
	}
	if (startedMs === undefined && problems.length === 0) {
		problems.push('"cursor" and "startedAt" are missing');
	}
	const state: PollState = { seen };
	if (cursorMs !== undefined) state.cursor = new Date(cursorMs).toISOString();
	if (startedMs !== undefined) state.startedAt = new Date(startedMs).toISOString();
	return { state, problems, positionLost: startedMs === undefined, mayRepeat };
}

/** The note put on every item of a poll that resumed from damaged state (`pollStateRepair` field). */
export function repairNote(check: PollStateCheck, modifiedSince: string): Record<string, unknown> {
	return {
		problems: check.problems,
		resumedFrom: modifiedSince,
		mayRepeat: check.mayRepeat,
		note: check.mayRepeat
			? "The trigger's saved position was damaged and has been repaired. It re-read from the time shown, so this item may have been emitted before: make sure the next step is safe to run twice for it."
			: "The trigger's saved position was damaged and has been repaired; nothing was skipped or repeated.",
	};
}

/** Message and fix for a poll that cannot resume safely (`positionLost` and no "Backfill From"). */
export function lostPositionError(
	problems: string[],
	where: 'position' | 'nodeData' = 'position',
): { message: string; description: string } {
	const recover =
		'set "Backfill From" to the last time you know records were handled; the next poll emits every change since then (marked with "pollStateRepair") and saves a healthy position. To start afresh from now, set it to the current time.';
	return {
		message: `The trigger's saved position is damaged (${problems.join('; ')}), so it cannot tell which records it already emitted`,
		description:
			where === 'nodeData'
				? `It stops instead of skipping or repeating records. n8n keeps a trigger's saved data under the node's name and the node cannot replace it. Fix: reset the trigger's position by renaming this trigger node (the new name starts with empty saved data) and ${recover}`
				: `It stops instead of skipping or repeating records. Fix: reset the trigger's position: ${recover}`,
	};
}

/** True for a plain object (what static data must be). */
export function isStateObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, safe description of a saved value for messages. */
export function describeValue(value: unknown): string {
	if (value === undefined) return 'missing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return `the text "${value.slice(0, 40)}"`;
	return `a ${typeof value}`;
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

/**
 * `inspectPollState` for a poller whose position belongs to one organisation (a Xero tenant) and is kept
 * with its `tenantId`: another organisation starts afresh (its history is another one), a saved position
 * without its organisation cannot be trusted (position lost). `raw` undefined is a first activation. A lost
 * position resumes from "Backfill From" when set; otherwise `lost` holds the error to stop with.
 */
export function inspectTenantPollState(
	raw: unknown,
	tenantId: string,
	options: InspectOptions & { label?: string },
): PollStateCheck & { lost?: { message: string; description: string } } {
	const savedTenant = isStateObject(raw) ? raw.tenantId : undefined;
	if (typeof savedTenant === 'string' && savedTenant !== tenantId) {
		return { state: { seen: [] }, problems: [], positionLost: false, mayRepeat: false };
	}
	const check = inspectPollState(raw === undefined ? {} : raw, options);
	const firstActivation = check.problems.length === 0 && check.state.startedAt === undefined;
	if (typeof savedTenant !== 'string' && !firstActivation && isStateObject(raw)) {
		check.problems.push(`"tenantId" is ${describeValue(savedTenant)}, not the organisation's id`);
		check.positionLost = true;
		check.mayRepeat = true;
	}
	if (options.label) check.problems = check.problems.map((p) => `${options.label}: ${p}`);
	if (!check.positionLost) return check;
	if (options.backfillFrom === undefined)
		return { ...check, lost: lostPositionError(check.problems) };
	return { ...check, state: { seen: check.state.seen } };
}

/** What `pollPages` needs: how to read a page and what a record's key and timestamp are. */
export interface PagedPoll<T, R> {
	state: PollState;
	/** from `queryWindow`: records read are remembered, none emitted */
	baseline: boolean;
	/** a hard lower bound: records stamped before it are never emitted, whatever the server returns */
	backfillFrom?: string;
	maxPages: number;
	pageSize: number;
	/** the poll's time budget; reading stops after half of it (oldest first, so stopping early is safe) */
	budgetMs: number;
	now: Date;
	readPage(page: number): Promise<{ records: T[]; pageCount?: number }>;
	keyOf(record: T): string;
	timestampOf(record: T): string | undefined;
	/** the records to emit, from the fresh records of one page */
	emit(fresh: T[]): R[] | Promise<R[]>;
}

/**
 * Reads an oldest-first list page by page: drops what the seen-set holds, emits the rest, and remembers each
 * page as soon as it is handled (so later pages and the next poll see it as known). Stops on a short page,
 * the page count, `maxPages` or half the budget.
 */
export async function pollPages<T, R>(
	poll: PagedPoll<T, R>,
): Promise<{ state: PollState; emitted: R[] }> {
	const floorMs = poll.backfillFrom === undefined ? undefined : Date.parse(poll.backfillFrom);
	const startedMs = Date.now();
	const emitted: R[] = [];
	let state = poll.state;
	for (let page = 1; page <= poll.maxPages; page++) {
		const { records, pageCount } = await poll.readPage(page);
		const fresh = filterNew(state, records, poll.keyOf).filter(
			(record) => floorMs === undefined || !(Date.parse(poll.timestampOf(record) ?? '') < floorMs),
		);
		if (!poll.baseline && fresh.length > 0) emitted.push(...(await poll.emit(fresh)));
		state = advance(state, records, poll.timestampOf, { keyOf: poll.keyOf, now: poll.now });
		if (records.length < poll.pageSize) break;
		if (pageCount !== undefined && page >= pageCount) break;
		if (Date.now() - startedMs > poll.budgetMs / 2) break;
	}
	return { state, emitted };
}
