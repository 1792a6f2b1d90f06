import { describe, expect, it } from 'vitest';

import {
	DEFAULT_SEEN_LIMIT,
	advance,
	filterNew,
	queryWindow,
	readPollState,
	remember,
	seenKey,
	writePollState,
	type PollState,
} from '../../nodes/shared/pollState';

interface Rec {
	id: string;
	updatedAt: string;
}
const keyOf = (r: Rec) => seenKey(r.id, r.updatedAt);
const timestampOf = (r: Rec) => r.updatedAt;
const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString();

/**
 * A tiny API: records with server timestamps, listed by `updatedAt >= since` like the sandboxes do.
 * `poll` runs the documented sequence from pollState.ts and returns what would be emitted.
 */
function makeWorld(overlapMs: number, forget = false) {
	const records = new Map<string, Rec>();
	const staticData: Record<string, unknown> = {};
	const emitted: string[] = [];
	return {
		records,
		staticData,
		emitted,
		write(id: string, updatedAt: string) {
			records.set(id, { id, updatedAt });
		},
		poll(now: string, backfillFrom?: string): Rec[] {
			const state = readPollState(staticData);
			const { modifiedSince, baseline } = queryWindow(state, { overlapMs, backfillFrom, now });
			// like the Commusoft Trigger: the window is also applied locally
			const listed = [...records.values()].filter(
				(r) => Date.parse(r.updatedAt) >= Date.parse(modifiedSince),
			);
			const fresh = filterNew(state, listed, keyOf);
			writePollState(
				staticData,
				advance(state, listed, timestampOf, {
					keyOf,
					now,
					forgetOutsideWindowMs: forget ? overlapMs : undefined,
				}),
			);
			if (baseline) return [];
			emitted.push(...fresh.map(keyOf));
			return fresh;
		},
	};
}

describe('queryWindow', () => {
	it('starts from now minus the overlap on first activation, as a baseline', () => {
		const w = queryWindow({ seen: [] }, { overlapMs: 60_000, now: at(30) });
		expect(w).toEqual({
			modifiedSince: new Date(Date.parse(at(30)) - 60_000).toISOString(),
			baseline: true,
		});
	});

	it('uses the backfill date exactly on first activation and emits it', () => {
		const w = queryWindow(
			{ seen: [] },
			{ overlapMs: 60_000, backfillFrom: '2025-06-01', now: at(0) },
		);
		expect(w).toEqual({ modifiedSince: '2025-06-01T00:00:00.000Z', baseline: false });
	});

	it('asks from cursor minus overlap once a cursor exists, ignoring backfill and now', () => {
		const state: PollState = { cursor: at(40), seen: [], startedAt: at(0) };
		const w = queryWindow(state, { overlapMs: 5_000, backfillFrom: '2020-01-01', now: at(59) });
		expect(w).toEqual({ modifiedSince: at(35), baseline: false });
	});

	it('keeps asking from startedAt (not a new now) while no record has set the cursor', () => {
		const w = queryWindow({ seen: [], startedAt: at(10) }, { overlapMs: 2_000, now: at(50) });
		expect(w).toEqual({ modifiedSince: at(8), baseline: false });
	});

	it('rejects an unreadable backfill date with a message naming it', () => {
		expect(() =>
			queryWindow({ seen: [] }, { overlapMs: 0, backfillFrom: 'yesterday', now: at(0) }),
		).toThrow(/backfillFrom is not a valid date: "yesterday"/);
	});

	it('treats a negative overlap as zero', () => {
		expect(
			queryWindow({ seen: [], cursor: at(10) }, { overlapMs: -5, now: at(20) }).modifiedSince,
		).toBe(at(10));
	});
});

describe('filterNew', () => {
	it('drops seen versions, keeps new versions of the same id and de-duplicates within one read', () => {
		const state: PollState = { seen: [seenKey('a', at(1))] };
		const read = [
			{ id: 'a', updatedAt: at(1) },
			{ id: 'a', updatedAt: at(2) },
			{ id: 'b', updatedAt: at(2) },
			{ id: 'b', updatedAt: at(2) },
		];
		expect(filterNew(state, read, keyOf)).toEqual([read[1], read[2]]);
		expect(state.seen).toEqual([seenKey('a', at(1))]);
	});
});

describe('advance', () => {
	it('moves the cursor to the max record timestamp, not to now', () => {
		const next = advance(
			{ seen: [] },
			[
				{ id: 'a', updatedAt: at(5) },
				{ id: 'b', updatedAt: at(3) },
			],
			timestampOf,
			{
				now: at(50),
			},
		);
		expect(next.cursor).toBe(at(5));
		expect(next.startedAt).toBe(at(50));
	});

	it('never moves the cursor backwards', () => {
		const next = advance(
			{ seen: [], cursor: at(20) },
			[{ id: 'a', updatedAt: at(5) }],
			timestampOf,
		);
		expect(next.cursor).toBe(at(20));
	});

	it('leaves the cursor unset when no record was read, and does not change startedAt once set', () => {
		const next = advance({ seen: [], startedAt: at(1) }, [], timestampOf, { now: at(30) });
		expect(next.cursor).toBeUndefined();
		expect(next.startedAt).toBe(at(1));
	});

	it('ignores unreadable timestamps for the cursor but still remembers those records', () => {
		const next = advance(
			{ seen: [] },
			[
				{ id: 'a', updatedAt: 'not a date' },
				{ id: 'b', updatedAt: at(4) },
			],
			timestampOf,
			{ keyOf },
		);
		expect(next.cursor).toBe(at(4));
		expect(next.seen).toEqual(['a@not a date', seenKey('b', at(4))]);
	});

	it('caps the cursor at now when a record is stamped in the future (server clock ahead)', () => {
		const next = advance({ seen: [] }, [{ id: 'a', updatedAt: at(59) }], timestampOf, {
			now: at(30),
		});
		expect(next.cursor).toBe(at(30));
	});

	it('normalises the cursor to ISO with milliseconds, rounding microseconds down (never past a record)', () => {
		const next = advance(
			{ seen: [] },
			[{ id: 'a', updatedAt: '2026-01-01T12:00:05.123456+00:00' }],
			timestampOf,
		);
		expect(next.cursor).toBe('2026-01-01T12:00:05.123Z');
	});
});

describe('remember (bounded seen-set)', () => {
	it('evicts the oldest keys first once over the bound', () => {
		expect(remember(['k1', 'k2', 'k3'], ['k4', 'k5'], 4)).toEqual(['k2', 'k3', 'k4', 'k5']);
	});

	it('moves a key read again to the young end so it outlives older keys', () => {
		expect(remember(['k1', 'k2', 'k3'], ['k1', 'k4'], 3)).toEqual(['k3', 'k1', 'k4']);
	});

	it('defaults to 2,000 keys', () => {
		const keys = Array.from({ length: 2_500 }, (_, i) => `k${i}`);
		const seen = remember([], keys);
		expect(DEFAULT_SEEN_LIMIT).toBe(2000);
		expect(seen).toHaveLength(2000);
		expect(seen[0]).toBe('k500');
		expect(seen[1999]).toBe('k2499');
	});

	it('re-emits an evicted key: the bound must exceed what the overlap window returns', () => {
		let state: PollState = { seen: [] };
		const a = { id: 'a', updatedAt: at(1) };
		state = advance(state, [a], timestampOf, { keyOf, seenLimit: 2 });
		state = advance(
			state,
			[
				{ id: 'b', updatedAt: at(1) },
				{ id: 'c', updatedAt: at(1) },
			],
			timestampOf,
			{
				keyOf,
				seenLimit: 2,
			},
		);
		expect(state.seen).toEqual([seenKey('b', at(1)), seenKey('c', at(1))]);
		expect(filterNew(state, [a], keyOf)).toEqual([a]);
	});
});

describe('static data round trip', () => {
	it('writes top-level keys, drops absent ones and repairs junk on read', () => {
		const staticData: Record<string, unknown> = { cursor: at(1), other: 'kept' };
		writePollState(staticData, { seen: ['x'], startedAt: at(0) });
		expect(staticData).toEqual({ seen: ['x'], startedAt: at(0), other: 'kept' });
		expect(readPollState({ cursor: 'garbage', seen: ['ok', 3, null], startedAt: 7 })).toEqual({
			seen: ['ok'],
		});
		expect(readPollState({})).toEqual({ seen: [] });
	});
});

describe('polls across a cursor edge (simulated API)', () => {
	it('first poll emits nothing, later changes are emitted once', () => {
		const world = makeWorld(10_000);
		world.write('old', at(1));
		expect(world.poll(at(5))).toEqual([]);
		world.write('new', at(6));
		expect(world.poll(at(7)).map(keyOf)).toEqual([seenKey('new', at(6))]);
		expect(world.poll(at(8))).toEqual([]);
	});

	it('backfill emits history once', () => {
		const world = makeWorld(10_000);
		world.write('h1', at(1));
		world.write('h2', at(2));
		expect(world.poll(at(30), at(0)).map((r) => r.id)).toEqual(['h1', 'h2']);
		expect(world.poll(at(31), at(0))).toEqual([]);
	});

	it('two records with the same timestamp on either side of a poll: both emitted, each once', () => {
		const world = makeWorld(0);
		world.poll(at(0));
		world.write('a', at(10));
		expect(world.poll(at(10)).map((r) => r.id)).toEqual(['a']);
		// b commits after the poll but carries the same second as the cursor.
		world.write('b', at(10));
		expect(world.poll(at(11)).map((r) => r.id)).toEqual(['b']);
		expect(world.poll(at(12))).toEqual([]);
		expect(world.emitted).toEqual([seenKey('a', at(10)), seenKey('b', at(10))]);
	});

	it('a record that becomes visible late with an older timestamp is caught by the overlap', () => {
		const world = makeWorld(5_000);
		world.poll(at(0));
		world.write('a', at(20));
		world.poll(at(20));
		// written at 17 by a slow transaction, visible only now (cursor is 20, window starts at 15)
		world.write('late', at(17));
		expect(world.poll(at(21)).map((r) => r.id)).toEqual(['late']);
	});

	it('clock skew: server clock 3 s behind ours, activation then an immediate change is not lost', () => {
		const world = makeWorld(5_000);
		// our now is 30; the server stamps 27 for a change made right after activation
		expect(world.poll(at(30))).toEqual([]);
		world.write('a', at(27));
		expect(world.poll(at(31)).map((r) => r.id)).toEqual(['a']);
	});

	it('clock skew: server clock ahead of ours does not push the cursor past later records', () => {
		const world = makeWorld(2_000);
		world.poll(at(0));
		world.write('ahead', at(50)); // server clock runs 40 s ahead
		expect(world.poll(at(10)).map((r) => r.id)).toEqual(['ahead']);
		world.write('next', at(51));
		expect(world.poll(at(11)).map((r) => r.id)).toEqual(['next']);
		expect(world.poll(at(12))).toEqual([]);
	});

	it('a record updated twice between polls is emitted once (latest), updated again later is emitted again', () => {
		const world = makeWorld(5_000);
		world.poll(at(0));
		world.write('a', at(2));
		world.write('a', at(3));
		expect(world.poll(at(4)).map(keyOf)).toEqual([seenKey('a', at(3))]);
		world.write('a', at(5));
		expect(world.poll(at(6)).map(keyOf)).toEqual([seenKey('a', at(5))]);
		expect(world.poll(at(7))).toEqual([]);
	});

	it.each([false, true])(
		'many interleaved writes and polls: every version visible at a poll is emitted exactly once (forget outside window: %s)',
		(forget) => {
			const world = makeWorld(3_000, forget);
			world.poll(at(0));
			const visibleAtSomePoll = new Set<string>();
			// deterministic pseudo-random schedule
			let seed = 7;
			const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
			for (let second = 1; second < 58; second++) {
				const writes = Math.floor(rand() * 4);
				for (let i = 0; i < writes; i++) {
					const id = `r${Math.floor(rand() * 12)}`;
					// late commits: timestamp up to 2 s in the past, never before the overlap
					const stamp = at(Math.max(1, second - Math.floor(rand() * 3)));
					const existing = world.records.get(id);
					if (existing && Date.parse(existing.updatedAt) >= Date.parse(stamp)) continue;
					world.write(id, stamp);
				}
				world.poll(at(second));
				for (const r of world.records.values()) visibleAtSomePoll.add(keyOf(r));
			}
			expect(new Set(world.emitted).size).toBe(world.emitted.length);
			expect(new Set(world.emitted)).toEqual(visibleAtSomePoll);
		},
	);

	it('forgetting keys outside the window keeps the seen-set to the overlap, never more', () => {
		const world = makeWorld(3_000, true);
		world.poll(at(0));
		for (let second = 1; second < 40; second++) {
			world.write(`r${second}`, at(second));
			world.poll(at(second));
		}
		const seen = readPollState(world.staticData).seen;
		// cursor 39, window from 36: keys of 36..39 only
		expect(seen).toEqual([36, 37, 38, 39].map((s) => seenKey(`r${s}`, at(s))));
		expect(world.emitted).toHaveLength(39);
	});

	it('keys without a date (e.g. "id@recorded") are never forgotten by time', () => {
		const next = advance({ seen: ['p1@recorded'] }, [{ id: 'a', updatedAt: at(50) }], timestampOf, {
			keyOf,
			forgetOutsideWindowMs: 1_000,
		});
		expect(next.seen).toEqual(['p1@recorded', seenKey('a', at(50))]);
	});
});
