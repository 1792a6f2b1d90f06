// Reading Xero invoices for status changes, through the Xero transport (its throttle, retries and errors).
import type { IDataObject } from 'n8n-workflow';

import { chunk } from '../../shared/chunk';
import { xeroApiRequest, type XeroContext } from '../transport';
import { STATUS_CHANGE_STATUSES, type XeroInvoiceStatusJson } from './mapping';

/** IDs per GET /Invoices?IDs= call: 40 GUIDs keep the URL near 1.5 KB (long URLs fail, docs/xero-rules.md §3.6). */
export const INVOICE_IDS_PER_CALL = 40;
/** Invoices per GET /Invoices page (Xero's page of 100). */
export const INVOICES_PAGE_SIZE = 100;

/**
 * The invoices with these ids, one GET /Invoices?IDs= per 40 (never one call per invoice). A chunk that
 * fails is reported for its ids and does not stop the others.
 */
export async function getInvoicesByIds(
	ctx: XeroContext,
	tenantId: string,
	ids: string[],
): Promise<{ found: Map<string, XeroInvoiceStatusJson>; failed: Map<string, string> }> {
	const found = new Map<string, XeroInvoiceStatusJson>();
	const failed = new Map<string, string>();
	const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
	for (const idChunk of chunk(unique, INVOICE_IDS_PER_CALL)) {
		try {
			const body = await xeroApiRequest<IDataObject>(ctx, {
				method: 'GET',
				path: '/Invoices',
				tenantId,
				qs: { IDs: idChunk.join(',') },
			});
			for (const invoice of (Array.isArray(body.Invoices)
				? body.Invoices
				: []) as XeroInvoiceStatusJson[]) {
				if (invoice.InvoiceID) found.set(invoice.InvoiceID.toLowerCase(), invoice);
			}
		} catch (error) {
			for (const id of idChunk) failed.set(id, (error as Error).message);
		}
	}
	return { found, failed };
}

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
