// Reading Xero invoices for status changes, through the Xero transport (its throttle, retries and errors).
import type { IDataObject } from 'n8n-workflow';

import { xeroApiRequest, type XeroContext } from '../transport';
import { STATUS_CHANGE_STATUSES, type XeroInvoiceStatusJson } from './mapping';

/** Invoices per GET /Invoices page (Xero's page of 100). */
export const INVOICES_PAGE_SIZE = 100;

/**
 * One page of sales invoices that are PAID, VOIDED or DELETED and changed since `ifModifiedSince`, oldest
 * first. Not `summaryOnly`: its lightweight records may leave out `Url`, the link back to Commusoft.
 */
export async function getStatusChangePage(
	ctx: XeroContext,
	tenantId: string,
	page: number,
	ifModifiedSince: string | undefined,
	order: 'ASC' | 'DESC' = 'ASC',
): Promise<{ invoices: XeroInvoiceStatusJson[]; pageCount?: number }> {
	const body = await xeroApiRequest<IDataObject>(ctx, {
		method: 'GET',
		path: '/Invoices',
		tenantId,
		qs: {
			Statuses: STATUS_CHANGE_STATUSES.join(','),
			where: 'Type=="ACCREC"',
			order: `UpdatedDateUTC ${order}`,
			page,
			pageSize: INVOICES_PAGE_SIZE,
		},
		ifModifiedSince,
	});
	const invoices = Array.isArray(body.Invoices) ? (body.Invoices as XeroInvoiceStatusJson[]) : [];
	const pageCount = Number((body.pagination as IDataObject | undefined)?.pageCount);
	return { invoices, pageCount: Number.isFinite(pageCount) ? pageCount : undefined };
}
