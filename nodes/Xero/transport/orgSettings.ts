import type { IDataObject } from 'n8n-workflow';

import {
	cacheKey,
	entries,
	forgetOrgSettings,
	ORG_SETTINGS_CACHE,
	SOURCES,
	type CacheEntry,
	type OrgSettingKind,
} from './orgSettingsStore';
import { xeroApiRequest, xeroUrls, type XeroContext } from './request';

export { ORG_SETTINGS_CACHE } from './orgSettingsStore';
export type { OrgSettingKind } from './orgSettingsStore';

/**
 * Organisation settings (chart of accounts, tax rates, tracking categories, items) cached per organisation
 * across executions, in this process's memory (docs/xero-budget.md). Every invoice write is checked against
 * them, and re-reading them on every execution cost 3–4 of the 5–7 calls a one-invoice run made.
 *
 * The rules that keep correctness off the cache:
 * - fresh for `ORG_SETTINGS_CACHE.ttlMs` (10 minutes), then read again;
 * - any write this process makes to a settings endpoint (e.g. a new tracking option) drops that entry;
 * - callers re-read once (`fresh: true`) before acting on a negative answer from the cache (a code the
 *   cached list does not hold), and when Xero refuses a code the cache said was valid;
 * - keyed by Xero URL + tenant ID; bounded (least recently used dropped first); nothing is persisted, so a
 *   restart or another queue-mode worker simply reads again.
 */
export interface OrgSettingsRead {
	body: IDataObject;
	/** true when the answer came from the cache (not read from Xero during this call) */
	cached: boolean;
}

/**
 * One settings list for an organisation: from the cache while fresh, else read from Xero (one GET, shared by
 * every execution that asks while it is under way). `fresh: true` skips the cache and refills it.
 */
export async function readOrgSettings(
	ctx: XeroContext,
	tenantId: string,
	kind: OrgSettingKind,
	options: { fresh?: boolean } = {},
): Promise<OrgSettingsRead> {
	const { api } = await xeroUrls(ctx);
	const key = cacheKey(api, tenantId, kind);
	const now = Date.now();
	const hit = entries.get(key);
	if (!options.fresh && hit && now - hit.readAt < ORG_SETTINGS_CACHE.ttlMs) {
		entries.delete(key); // least recently used goes first
		entries.set(key, hit);
		try {
			return { body: await hit.body, cached: true };
		} catch {
			// The read this entry waited on failed (and dropped itself): read again below.
		}
	}
	const source = SOURCES[kind];
	const body = xeroApiRequest<IDataObject>(ctx, {
		method: 'GET',
		path: source.path,
		tenantId,
		qs: source.qs,
	});
	const entry: CacheEntry = { readAt: now, body };
	entries.delete(key);
	entries.set(key, entry);
	while (entries.size > ORG_SETTINGS_CACHE.maxEntries) {
		const oldest = entries.keys().next().value;
		if (oldest === undefined) break;
		entries.delete(oldest);
	}
	// A failed read is not kept: the next caller reads again.
	body.catch(() => {
		if (entries.get(key) === entry) entries.delete(key);
	});
	return { body: await body, cached: false };
}

/** Drops an organisation's cached settings (one kind, or all). */
export async function invalidateOrgSettings(
	ctx: XeroContext,
	tenantId: string,
	kind?: OrgSettingKind,
): Promise<void> {
	const { api } = await xeroUrls(ctx);
	forgetOrgSettings(api, tenantId, kind);
}
