import type { IDataObject } from 'n8n-workflow';

import { xeroApiRequest, type XeroContext } from './request';

export interface XeroPagedRequest {
	/** e.g. "/Invoices" */
	path: string;
	tenantId: string;
	/** the array in the response envelope, e.g. "Invoices" */
	collectionKey: string;
	qs?: IDataObject;
	ifModifiedSince?: string | Date;
	/** records per page; Xero allows up to 1000 since July 2024, default 100 (docs/xero-rules.md §3.6) */
	pageSize?: number;
	/** stop after this many records (undefined = all) */
	limit?: number;
	itemIndex?: number;
}

const MAX_PAGES = 100_000;

/**
 * Reads every page of a paged Xero collection. Stops on a short page or on `pagination.pageCount`, never on an
 * extra empty call (docs/xero-rules.md §3.6), and as soon as `limit` records are in hand.
 */
export async function xeroGetAllPages(
	ctx: XeroContext,
	request: XeroPagedRequest,
): Promise<IDataObject[]> {
	const pageSize = Math.max(1, Math.min(1000, request.pageSize ?? 100));
	const records: IDataObject[] = [];
	for (let page = 1; page <= MAX_PAGES; page++) {
		const wanted = request.limit === undefined ? pageSize : request.limit - records.length;
		const body = await xeroApiRequest<IDataObject>(ctx, {
			method: 'GET',
			path: request.path,
			tenantId: request.tenantId,
			qs: { ...(request.qs ?? {}), page, pageSize },
			ifModifiedSince: request.ifModifiedSince,
			itemIndex: request.itemIndex,
		});
		const batch = Array.isArray(body[request.collectionKey])
			? (body[request.collectionKey] as IDataObject[])
			: [];
		records.push(...batch.slice(0, Math.max(0, wanted)));
		if (request.limit !== undefined && records.length >= request.limit) break;
		if (batch.length < pageSize) break;
		const pageCount = Number((body.pagination as IDataObject | undefined)?.pageCount);
		if (Number.isFinite(pageCount) && page >= pageCount) break;
	}
	return records;
}
