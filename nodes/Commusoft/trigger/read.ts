/**
 * Reads every record changed since an instant from a Commusoft list endpoint, through the transport.
 *
 * Paging while records change: with plain page numbers, a record edited during the read moves to the end of
 * the list and every record behind it shifts back one place, so the record at a page boundary is never read.
 * When a full page comes back ordered by updatedAt (the contract's assumption), the next request therefore
 * asks again from the page's newest timestamp ("keyset" paging) instead of for page + 1: nothing can slide
 * past a timestamp. Page numbers are used only inside a run of equal timestamps, or when the server does not
 * order its lists; `ordered` then reports false so the caller does not trust a truncated read.
 */
import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { toIsoTimestamp } from '../records';
import {
	COMMUSOFT_PAGE_SIZE,
	COMMUSOFT_RETRY,
	commusoftApiRequest,
	extractList,
	type CommusoftEndpointName,
} from '../transport';

const KEYSET_STEP_BACK_MS = 1000;

export interface ReadChangesOptions {
	/** ISO instant sent as `modifiedSince` (assumed parameter, see transport/endpoints.ts). */
	modifiedSince: string;
	/** Stop once this many distinct records are read (the rest is left for the next poll). */
	maxRecords: number;
	/** Stop paging after this instant (ms since epoch): the engine abandons polls that overrun their budget. */
	deadlineMs?: number;
	pageSize?: number;
	/** Our clock; injectable for tests. */
	nowMs?: () => number;
}

export interface ReadChangesResult {
	/** Distinct records (latest version of each id), in the order first read. */
	records: IDataObject[];
	/** False when the read stopped early (record cap or time budget). */
	complete: boolean;
	/** False when a full page was not ordered by updatedAt: a truncated read then says nothing about order. */
	ordered: boolean;
	requests: number;
}

export function updatedAtOf(raw: IDataObject): string | undefined {
	return toIsoTimestamp(raw.updatedAt) ?? toIsoTimestamp(raw.createdAt);
}

function idOf(raw: IDataObject): string {
	return String(raw.uuid ?? raw.id ?? JSON.stringify(raw));
}

function isOrdered(stamps: Array<string | undefined>): boolean {
	let previous = Number.NEGATIVE_INFINITY;
	for (const stamp of stamps) {
		if (stamp === undefined) return false;
		const ms = Date.parse(stamp);
		if (ms < previous) return false;
		previous = ms;
	}
	return true;
}

export async function readChangesSince(
	this: IPollFunctions,
	endpoint: CommusoftEndpointName,
	options: ReadChangesOptions,
): Promise<ReadChangesResult> {
	// Pages no larger than the record cap, so a small cap really bounds one poll's work.
	const pageSize = Math.max(
		1,
		Math.min(options.pageSize ?? COMMUSOFT_PAGE_SIZE, COMMUSOFT_PAGE_SIZE, options.maxRecords),
	);
	const now = options.nowMs ?? (() => Date.now());
	const byId = new Map<string, IDataObject>();
	let since = options.modifiedSince;
	let page = 1;
	let ordered = true;
	let requests = 0;

	while (requests < COMMUSOFT_RETRY.maxPages) {
		const { body } = await commusoftApiRequest.call(this, {
			endpoint,
			qs: { modifiedSince: since, page, pageSize },
		});
		requests++;
		const items = extractList(body);
		let fresh = 0;
		for (const item of items) {
			const id = idOf(item);
			const known = byId.get(id);
			if (known === undefined) fresh++;
			// Two versions of one record in one read (edited between two requests): keep the later one.
			if (
				known === undefined ||
				Date.parse(updatedAtOf(item) ?? '') >= Date.parse(updatedAtOf(known) ?? '')
			) {
				byId.delete(id);
				byId.set(id, item);
			}
		}
		if (items.length < pageSize)
			return { records: [...byId.values()], complete: true, ordered, requests };
		if (
			byId.size >= options.maxRecords ||
			(options.deadlineMs !== undefined && now() >= options.deadlineMs)
		) {
			return { records: [...byId.values()], complete: false, ordered, requests };
		}

		// Page numbers on a server that ignores them bring the same page again: what we have is all there is.
		if (page > 1 && fresh === 0) {
			return { records: [...byId.values()], complete: true, ordered, requests };
		}
		const stamps = items.map(updatedAtOf);
		const pageOrdered = isOrdered(stamps);
		if (!pageOrdered) ordered = false;
		// Step back one second from the newest timestamp: equal timestamps further on are read whether the
		// server's filter means ">=" or ">", and at whatever precision it stores; the re-read ones are de-duplicated.
		const next = pageOrdered ? Date.parse(stamps[stamps.length - 1]!) - KEYSET_STEP_BACK_MS : NaN;
		if (next > Date.parse(since)) {
			since = new Date(next).toISOString();
			page = 1;
		} else {
			page++;
		}
	}
	return { records: [...byId.values()], complete: false, ordered, requests };
}
