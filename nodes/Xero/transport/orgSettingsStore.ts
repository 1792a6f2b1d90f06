import type { IDataObject } from 'n8n-workflow';

// The memory behind orgSettings.ts, apart so the transport can stale an entry after a write without an
// import cycle. See orgSettings.ts for the rules.

export type OrgSettingKind = 'accounts' | 'taxRates' | 'trackingCategories' | 'items';

export const SOURCES: Record<OrgSettingKind, { path: string; qs?: IDataObject }> = {
	accounts: { path: '/Accounts' },
	taxRates: { path: '/TaxRates' },
	trackingCategories: { path: '/TrackingCategories', qs: { includeArchived: true } },
	items: { path: '/Items' },
};

/** Tunable (tests and the benchmark shorten ttlMs, as they do the throttle's window). */
export const ORG_SETTINGS_CACHE = { ttlMs: 10 * 60_000, maxEntries: 1000 };

export interface CacheEntry {
	readAt: number;
	body: Promise<IDataObject>;
}

export const entries = new Map<string, CacheEntry>();

export const cacheKey = (api: string, tenantId: string, kind: OrgSettingKind) =>
	`${api}\u0000${tenantId}\u0000${kind}`;

/** Which settings endpoint a path belongs to (a write there makes that entry stale), if any. */
function kindOfPath(path: string): OrgSettingKind | undefined {
	const clean = path.replace(/^https?:\/\/[^/]+/i, '').replace(/^\/api\.xro\/2\.0/i, '');
	for (const [kind, source] of Object.entries(SOURCES) as Array<[OrgSettingKind, { path: string }]>)
		if (clean === source.path || clean.startsWith(`${source.path}/`)) return kind;
	return undefined;
}

function forget(api: string, tenantId: string, kind?: OrgSettingKind): void {
	for (const k of kind ? [kind] : (Object.keys(SOURCES) as OrgSettingKind[]))
		entries.delete(cacheKey(api, tenantId, k));
}

export { forget as forgetOrgSettings };

/** The transport calls this after every successful write: a write to a settings endpoint stales its entry. */
export function noteXeroWrite(api: string, tenantId: string, method: string, path: string): void {
	if (method.toUpperCase() === 'GET' || !tenantId) return;
	const kind = kindOfPath(path);
	if (kind) forget(api, tenantId, kind);
}
