import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { fetchChangedRecord } from './fetchRecord';
import { invoiceStatusItems } from '../invoiceStatus/webhook';
import { remember } from '../../shared/pollState';
import {
	DELIVERED_LIMIT,
	deliveredEventKey,
	eventToItem,
	isIntentToReceive,
	parseTenantIds,
	parseWebhookPayload,
	selectEvents,
} from './events';
import { isValidXeroSignature, XERO_SIGNATURE_HEADER } from './signature';
import { signingKeyOf } from './signingKey';

/**
 * Answers Xero with an empty body and no cookies
 * (https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/) and tells n8n not to
 * answer again.
 * Answering here, before any record is fetched, keeps inside Xero's 5-second limit.
 */
function answer(ctx: IWebhookFunctions, status: 200 | 400 | 401): void {
	const res = ctx.getResponseObject();
	res.status(status);
	res.end();
}

async function rawBodyOf(ctx: IWebhookFunctions): Promise<Buffer | undefined> {
	const req = ctx.getRequestObject();
	// The node's hidden options.binaryData keeps n8n from parsing the body (see the description), so n8n has
	// not read the bytes yet: they are read here, on request.
	if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function')
		await req.readRawBody();
	return Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
}

export async function handleXeroWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const signingKey = await signingKeyOf(this);
	const rawBody = await rawBodyOf(this);
	const signature = this.getHeaderData()[XERO_SIGNATURE_HEADER];

	// Nothing from the body is trusted (or even parsed) before the signature over its raw bytes is checked.
	if (!isValidXeroSignature(rawBody, signature, signingKey)) {
		answer(this, 401);
		return { noWebhookResponse: true };
	}

	const parsed = parseWebhookPayload(rawBody!);
	if ('problem' in parsed) {
		// Bytes that are not JSON cannot be a Xero delivery: Xero's answer for one it cannot verify (401), as for
		// every unsigned one. Signed JSON that is not Xero's shape is refused (400) rather than run on.
		answer(this, parsed.notJson ? 401 : 400);
		return { noWebhookResponse: true };
	}
	answer(this, 200);
	if (isIntentToReceive(parsed.payload)) return { noWebhookResponse: true };

	const events = selectEvents(parsed.payload.events, {
		events: this.getNodeParameter('events', []) as string[],
		tenantIds: parseTenantIds(this.getNodeParameter('tenantIds', '') as string),
	});
	// Each event starts the workflow once: replays and Xero's retries of it are answered 200 and dropped.
	// The keys live in the node's static data, which n8n saves with the workflow after a production webhook
	// run (also on the main instance in queue mode, where webhooks are received).
	const staticData = this.getWorkflowStaticData('node');
	const delivered = Array.isArray(staticData.delivered)
		? (staticData.delivered as unknown[]).filter((key): key is string => typeof key === 'string')
		: [];
	const known = new Set(delivered);
	const fresh = events.filter((event) => {
		const key = deliveredEventKey(event);
		if (known.has(key)) return false;
		known.add(key);
		return true;
	});
	if (fresh.length === 0) return { noWebhookResponse: true };
	if (this.getMode() !== 'manual') {
		staticData.delivered = remember(delivered, fresh.map(deliveredEventKey), DELIVERED_LIMIT);
	}

	const fetchRecords = this.getNodeParameter('fetchChangedRecord', false) as boolean;
	if (fetchRecords && this.getNodeParameter('fetchedOutput', 'event') === 'invoiceStatusChanges') {
		const changes = await invoiceStatusItems(this, fresh, staticData);
		if (changes.length === 0) return { noWebhookResponse: true };
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray(changes)] };
	}
	const items: IDataObject[] = [];
	for (const event of fresh) {
		const item: IDataObject = eventToItem(event);
		if (fetchRecords) {
			// Xero has already been answered; a failed fetch is reported on the item, never drops the event.
			const result = await fetchChangedRecord(this, event);
			if ('record' in result) item.record = result.record;
			else item.fetchError = result.error;
		}
		items.push(item);
	}
	return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray(items)] };
}
