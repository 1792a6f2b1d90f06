import { createHash } from 'node:crypto';

// Pure parsing and filtering of Xero webhook payloads (docs/xero-rules.md §7.2): no n8n context, no HTTP.

export interface XeroWebhookEventData {
	resourceUrl: string;
	resourceId: string;
	eventDateUtc: string;
	eventType: string;
	eventCategory: string;
	tenantId: string;
	tenantType: string;
}

export interface ParsedWebhookPayload {
	events: XeroWebhookEventData[];
	firstEventSequence: number;
	lastEventSequence: number;
	entropy: string;
}

const REQUIRED_EVENT_FIELDS: Array<keyof XeroWebhookEventData> = [
	'resourceUrl',
	'resourceId',
	'eventDateUtc',
	'eventType',
	'eventCategory',
	'tenantId',
	'tenantType',
];

/**
 * Parses the raw (already signature-checked) body. Returns a reason instead of throwing, so the webhook
 * can answer without running the workflow.
 */
export function parseWebhookPayload(
	rawBody: Buffer,
): { payload: ParsedWebhookPayload } | { problem: string; notJson?: true } {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return { problem: 'body is not JSON', notJson: true };
	}
	if (
		typeof body !== 'object' ||
		body === null ||
		!Array.isArray((body as { events?: unknown }).events)
	) {
		return { problem: 'body has no "events" array' };
	}
	const { events, firstEventSequence, lastEventSequence, entropy } = body as Record<
		string,
		unknown
	>;
	for (const [index, event] of (events as unknown[]).entries()) {
		if (typeof event !== 'object' || event === null)
			return { problem: `events[${index}] is not an object` };
		for (const field of REQUIRED_EVENT_FIELDS) {
			if (typeof (event as Record<string, unknown>)[field] !== 'string') {
				return { problem: `events[${index}].${field} is missing` };
			}
		}
	}
	return {
		payload: {
			events: events as XeroWebhookEventData[],
			firstEventSequence: Number(firstEventSequence ?? 0),
			lastEventSequence: Number(lastEventSequence ?? 0),
			entropy: typeof entropy === 'string' ? entropy : '',
		},
	};
}

/** Intent to Receive: Xero's handshake carries no events. */
export function isIntentToReceive(payload: ParsedWebhookPayload): boolean {
	return payload.events.length === 0;
}

export interface EventFilter {
	/** `<category>.<type>` pairs to keep; empty keeps none. */
	events: string[];
	/** Tenant (organisation) ids to keep; empty keeps every tenant. */
	tenantIds: string[];
}

/** Splits the "Tenant IDs" parameter: commas, spaces or new lines. */
export function parseTenantIds(value: string): string[] {
	return value
		.split(/[\s,]+/)
		.map((id) => id.trim().toLowerCase())
		.filter((id) => id !== '');
}

export function selectEvents(
	events: XeroWebhookEventData[],
	filter: EventFilter,
): XeroWebhookEventData[] {
	const wanted = new Set(filter.events);
	const tenants = new Set(filter.tenantIds.map((id) => id.toLowerCase()));
	return events.filter(
		(event) =>
			wanted.has(`${event.eventCategory}.${event.eventType}`) &&
			(tenants.size === 0 || tenants.has(event.tenantId.toLowerCase())),
	);
}

/** Xero sends `eventDateUtc` without a zone; it is UTC, so give downstream nodes an unambiguous instant. */
export function eventInstant(eventDateUtc: string): string | undefined {
	const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(eventDateUtc);
	const ms = Date.parse(hasZone ? eventDateUtc : `${eventDateUtc}Z`);
	return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The output item of one event (before the optional fetched record is attached). */
export function eventToItem(event: XeroWebhookEventData): Record<string, string> {
	const item: Record<string, string> = {
		eventCategory: event.eventCategory,
		eventType: event.eventType,
		resourceId: event.resourceId,
		resourceUrl: event.resourceUrl,
		tenantId: event.tenantId,
		tenantType: event.tenantType,
		eventDateUtc: event.eventDateUtc,
	};
	const instant = eventInstant(event.eventDateUtc);
	if (instant !== undefined) item.eventDate = instant;
	return item;
}

/** The API path of the changed record; fetched by id, never by following `resourceUrl` with our token. */
export function resourcePath(event: XeroWebhookEventData): string | undefined {
	if (!/^[0-9a-f-]{36}$/i.test(event.resourceId)) return undefined;
	if (event.eventCategory === 'INVOICE') return `/Invoices/${event.resourceId}`;
	if (event.eventCategory === 'CONTACT') return `/Contacts/${event.resourceId}`;
	return undefined;
}

/** How many delivered events a Xero Webhook Trigger remembers (oldest forgotten first). */
export const DELIVERED_LIMIT = 2000;

/**
 * The identity of one Xero event: the same change delivered again (Xero retries a delivery it thinks failed,
 * an attacker replays a captured signed body) has the same five fields, whatever else shares its delivery.
 * Hashed so the remembered list stays small in workflow static data.
 */
export function deliveredEventKey(event: XeroWebhookEventData): string {
	return createHash('sha256')
		.update(
			[
				event.tenantId.toLowerCase(),
				event.eventCategory,
				event.eventType,
				event.resourceId.toLowerCase(),
				event.eventDateUtc,
			].join('|'),
		)
		.digest('base64url')
		.slice(0, 22);
}
