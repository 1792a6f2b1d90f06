import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { xeroApiRequest } from '../transport/request';
import { resourcePath, type XeroWebhookEventData } from './events';

/**
 * Reads the invoice or contact an event points at, by id through the Xero transport (with the tenant of the
 * event). `resourceUrl` is deliberately not followed: the body is signed, but a URL is not where our OAuth
 * token should be sent without checking it.
 */
export async function fetchChangedRecord(
	ctx: IWebhookFunctions,
	event: XeroWebhookEventData,
): Promise<{ record: IDataObject } | { error: string }> {
	const path = resourcePath(event);
	if (path === undefined) {
		return { error: `Cannot fetch a ${event.eventCategory} record with id "${event.resourceId}"` };
	}
	try {
		const body = await xeroApiRequest<IDataObject>(ctx, {
			method: 'GET',
			path,
			tenantId: event.tenantId,
		});
		const collection = event.eventCategory === 'INVOICE' ? 'Invoices' : 'Contacts';
		const records = body[collection];
		const record = Array.isArray(records) ? (records[0] as IDataObject | undefined) : undefined;
		if (!record)
			return { error: `Xero returned no ${collection.slice(0, -1).toLowerCase()} for ${path}` };
		return { record };
	} catch (error) {
		return { error: (error as Error).message };
	}
}
