// The Xero Accounting reads more than one part of the package makes, by name, over the transport (its throttle,
// retries and errors): the path, the query and Xero's envelope key live here once, not in each caller.
import type { IDataObject } from 'n8n-workflow';

import { chunk } from '../../shared/chunk';
import { xeroApiRequest, type XeroContext } from './request';

/** IDs per GET /Invoices?IDs= call: 40 GUIDs keep the URL near 1.5 KB (long URLs fail, docs/xero-rules.md §3.6). */
const INVOICE_IDS_PER_CALL = 40;

/**
 * The invoices with these ids (compared case-insensitively; keys lower-case), one GET /Invoices?IDs= per 40,
 * never one call per invoice. A failed call fails the read, unless `keepGoing`: then its ids are reported in
 * `failed` with the reason and the other calls go on.
 */
export async function getInvoicesByIds<T extends { InvoiceID?: string }>(
	ctx: XeroContext,
	tenantId: string,
	ids: string[],
	options: { itemIndex?: number; keepGoing?: boolean } = {},
): Promise<{ found: Map<string, T>; failed: Map<string, string> }> {
	const found = new Map<string, T>();
	const failed = new Map<string, string>();
	const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
	for (const idChunk of chunk(unique, INVOICE_IDS_PER_CALL)) {
		const read = async () =>
			await xeroApiRequest<IDataObject>(ctx, {
				method: 'GET',
				path: '/Invoices',
				tenantId,
				qs: { IDs: idChunk.join(',') },
				itemIndex: options.itemIndex,
			});
		let body: IDataObject;
		if (!options.keepGoing) body = await read();
		else
			try {
				body = await read();
			} catch (error) {
				for (const id of idChunk) failed.set(id, (error as Error).message);
				continue;
			}
		for (const invoice of (Array.isArray(body.Invoices) ? body.Invoices : []) as T[])
			if (invoice.InvoiceID) found.set(invoice.InvoiceID.toLowerCase(), invoice);
	}
	return { found, failed };
}
