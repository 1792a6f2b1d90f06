import type { ResourceOperations } from '../../shared/router';

/** Xero's operations follow the one operation contract of both nodes (nodes/shared/router.ts). */
export type XeroResourceOperations = ResourceOperations;
