// The only HTTP code for Xero (ARCHITECTURE.md "Xero transport"). Operations, loaders and pollers import
// from here and nowhere else.
export {
	configureXeroTransport,
	DEFAULT_TRANSPORT_OPTIONS,
	isXeroStopError,
	xeroApiRequest,
	xeroApiRequestFull,
	XeroApiError,
	xeroBudgetWarnings,
	xeroCallStats,
	xeroUrls,
} from './request';
export {
	clearOrgSettingsCache,
	invalidateOrgSettings,
	ORG_SETTINGS_CACHE,
	readOrgSettings,
} from './orgSettings';
export type { OrgSettingKind, OrgSettingsRead } from './orgSettings';
export type {
	XeroCallStats,
	XeroContext,
	XeroRequest,
	XeroResponse,
	XeroTransportOptions,
} from './request';
export { xeroGetAllPages } from './paging';
export type { XeroPagedRequest } from './paging';
export {
	chunkElements,
	splitBySize,
	XERO_MAX_BATCH_ELEMENTS,
	XERO_MAX_PAYLOAD_BYTES,
	xeroBatchWrite,
} from './batch';
export type {
	XeroBatchFailure,
	XeroBatchResult,
	XeroBatchSuccess,
	XeroBatchWriteRequest,
} from './batch';
export { getConnections, getConnectionsOnce, resolveTenant } from './connections';
export type { TenantResolution, XeroConnection } from './connections';
export { deriveIdempotencyKey, canonicalJson } from './idempotency';
export { backoffDelayMs, maxTotalBackoffMs, parseRateLimitHeaders } from './retry';
export type { BackoffPolicy, RateLimitHeaders } from './retry';
export { DEFAULT_THROTTLE_LIMITS } from './throttle';
export type { ThrottleLimits } from './throttle';
export { XERO_CREDENTIAL_TYPE, XERO_PRODUCTION_URLS, xeroUrlsFor } from './urls';
export type { XeroUrls } from './urls';
