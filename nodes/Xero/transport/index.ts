// The only HTTP code for Xero (ARCHITECTURE.md "Xero transport"). Operations, loaders and pollers import
// from here and nowhere else.
export {
	configureXeroTransport,
	isXeroStopError,
	xeroApiRequest,
	xeroApiRequestFull,
	XeroApiError,
	xeroBudgetWarnings,
	xeroCallStats,
	xeroUrls,
} from './request';
export { invalidateOrgSettings, readOrgSettings } from './orgSettings';
export type { OrgSettingKind } from './orgSettings';
export type { XeroContext, XeroTransportOptions } from './request';
export { xeroGetAllPages } from './paging';
export { XERO_MAX_BATCH_ELEMENTS, xeroBatchWrite } from './batch';
export type { XeroBatchResult } from './batch';
export { getConnections, resolveTenant } from './connections';
export { deriveIdempotencyKey } from './idempotency';
export type { ThrottleLimits } from './throttle';
export { xeroUrlsFor } from './urls';
export { getInvoicesByIds } from './client';
