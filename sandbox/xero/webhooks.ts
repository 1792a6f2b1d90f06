/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The sandbox's side of Xero webhooks (docs/xero-rules.md §7): builds Xero-format payloads, signs them with the app's
// webhook key, posts them in batches to a receiver, retries a bounded number of times, and runs Xero's
// "Intent to Receive" check. Xero itself has no subscribe API (webhooks are configured in the developer portal),
// so a test or the demo points a dispatcher at the node's webhook URL directly.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { load } from 'js-yaml';

export type XeroWebhookEventCategory = 'INVOICE' | 'CONTACT';
export type XeroWebhookEventType = 'CREATE' | 'UPDATE';

/** One event as Xero sends it (spec `WebhookEvent.events[]`, all fields required). */
export interface XeroWebhookEvent {
	resourceUrl: string;
	resourceId: string;
	/** Xero sends UTC without a zone designator, e.g. `2024-06-21T01:15:39.902` (spec example). */
	eventDateUtc: string;
	eventType: XeroWebhookEventType;
	eventCategory: XeroWebhookEventCategory;
	tenantId: string;
	tenantType: 'ORGANISATION';
}

/** The body of one POST (spec `WebhookEvent`, all four fields required). */
export interface XeroWebhookPayload {
	events: XeroWebhookEvent[];
	firstEventSequence: number;
	lastEventSequence: number;
	entropy: string;
}

/** What a caller passes to `emit`: the rest is filled in the way Xero fills it. */
export type XeroWebhookEventInput = Pick<
	XeroWebhookEvent,
	'resourceId' | 'eventType' | 'eventCategory' | 'tenantId'
> &
	Partial<Pick<XeroWebhookEvent, 'resourceUrl' | 'eventDateUtc'>>;

export interface WebhookDeliveryAttempt {
	kind: 'events' | 'intentToReceive';
	attempt: number;
	rawBody: string;
	signature: string | undefined;
	/** HTTP status, or 0 when the request failed or timed out. */
	status: number;
	responseBody: string;
	setCookie: boolean;
	elapsedMs: number;
	error?: string;
}

export interface WebhookBatchResult {
	payload: XeroWebhookPayload;
	delivered: boolean;
	attempts: WebhookDeliveryAttempt[];
}

export interface IntentToReceiveCheck {
	correctlySigned: boolean;
	status: number;
	emptyBody: boolean;
	noCookies: boolean;
	withinTimeLimit: boolean;
	elapsedMs: number;
	passed: boolean;
}

export interface IntentToReceiveResult {
	/** Xero marks the subscription OK only when every check passed. */
	ok: boolean;
	checks: IntentToReceiveCheck[];
}

export interface WebhookDispatcherOptions {
	/** The receiver (the n8n webhook URL). */
	url: string;
	/** The app's webhook signing key from the developer portal. */
	signingKey: string;
	fetchImpl?: typeof fetch;
	/** Base used for `resourceUrl` (the sandbox passes its own origin). Default `https://api.xero.com`. */
	apiBaseUrl?: string;
	/** Events per POST. */
	batchSize?: number;
	/** Attempts per batch, including the first. Xero retries for up to 24 h; the sandbox keeps this bounded. */
	maxAttempts?: number;
	retryDelayMs?: number;
	/** Xero's response time limit (§7.3). */
	timeoutMs?: number;
}

export interface WebhookDispatcher {
	emit(events: XeroWebhookEventInput[]): Promise<WebhookBatchResult[]>;
	intentToReceive(options?: { rounds?: number }): Promise<IntentToReceiveResult>;
	/** Every POST made so far, in order. */
	readonly deliveries: WebhookDeliveryAttempt[];
}

export const XERO_SIGNATURE_HEADER = 'x-xero-signature';

/** base64(HMAC-SHA256(raw body, key)) — docs/xero-rules.md §7.3. */
export function signXeroWebhookBody(rawBody: string | Buffer, signingKey: string): string {
	return createHmac('sha256', signingKey).update(rawBody).digest('base64');
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_SEQUENCE = 2_147_483_647;

/** Xero's zone-less UTC timestamp with milliseconds. */
export function formatXeroEventDate(date: Date): string {
	return date.toISOString().replace(/Z$/, '');
}

function entropy(): string {
	// Xero's entropy is 20 upper-case letters (spec example `FXNGWLCCGVANWHKILRUB`).
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
	return Array.from(randomBytes(20), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** Rejects events Xero could never send, so a test cannot pass on a malformed payload. */
export function assertValidWebhookEvent(event: XeroWebhookEvent): void {
	const problems: string[] = [];
	if (!UUID_PATTERN.test(event.resourceId))
		problems.push(`resourceId "${event.resourceId}" is not a uuid`);
	if (!UUID_PATTERN.test(event.tenantId))
		problems.push(`tenantId "${event.tenantId}" is not a uuid`);
	if (event.eventCategory !== 'INVOICE' && event.eventCategory !== 'CONTACT') {
		problems.push(`eventCategory "${String(event.eventCategory)}" is not INVOICE or CONTACT`);
	}
	if (event.eventType !== 'CREATE' && event.eventType !== 'UPDATE') {
		problems.push(`eventType "${String(event.eventType)}" is not CREATE or UPDATE`);
	}
	if (event.tenantType !== 'ORGANISATION') problems.push('tenantType must be ORGANISATION');
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(event.eventDateUtc)) {
		problems.push(`eventDateUtc "${event.eventDateUtc}" is not a zone-less UTC timestamp`);
	}
	try {
		new URL(event.resourceUrl);
	} catch {
		problems.push(`resourceUrl "${event.resourceUrl}" is not a URL`);
	}
	if (problems.length > 0) throw new Error(`Invalid Xero webhook event: ${problems.join('; ')}`);
}

/** The official webhook spec (OpenAPI 3.1.1, version 16.1.0), vendored in sandbox/xero/spec/. */
export const WEBHOOK_SPEC_PATH = path.resolve(__dirname, 'spec/xero-webhooks.yaml');

let payloadValidator: ValidateFunction | undefined;

function compilePayloadValidator(): ValidateFunction {
	const spec = load(readFileSync(WEBHOOK_SPEC_PATH, 'utf8')) as {
		components: { schemas: Record<string, object> };
	};
	const ajv = new Ajv2020({ strict: false, allErrors: true });
	addFormats(ajv);
	// The spec says `format: date-time`, yet its own example and Xero send no zone: `2024-06-21T01:15:39.902`.
	ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/);
	ajv.addSchema({ $id: 'xero-webhooks', components: spec.components });
	return ajv.compile({ $ref: 'xero-webhooks#/components/schemas/WebhookEvent' });
}

/**
 * Errors of an events payload against the spec's `WebhookEvent` schema ([] when valid). Intent-to-Receive bodies are not checked: Xero's documented handshake uses sequence 0,
 * below the schema's minimum of 1.
 */
export function webhookPayloadSchemaErrors(payload: unknown): string[] {
	if (payloadValidator === undefined) payloadValidator = compilePayloadValidator();
	if (payloadValidator(payload)) return [];
	return (payloadValidator.errors ?? []).map(
		(error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
	);
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
	const fetchImpl = options.fetchImpl ?? fetch;
	const apiBaseUrl = (options.apiBaseUrl ?? 'https://api.xero.com').replace(/\/+$/, '');
	const batchSize = Math.max(1, options.batchSize ?? 10);
	const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
	const retryDelayMs = options.retryDelayMs ?? 50;
	const timeoutMs = options.timeoutMs ?? 5_000;
	const deliveries: WebhookDeliveryAttempt[] = [];
	let nextSequence = 1;

	async function post(
		kind: WebhookDeliveryAttempt['kind'],
		rawBody: string,
		signature: string | undefined,
		attempt: number,
	): Promise<WebhookDeliveryAttempt> {
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (signature !== undefined) headers[XERO_SIGNATURE_HEADER] = signature;
		const started = performance.now();
		const record: WebhookDeliveryAttempt = {
			kind,
			attempt,
			rawBody,
			signature,
			status: 0,
			responseBody: '',
			setCookie: false,
			elapsedMs: 0,
		};
		try {
			const response = await fetchImpl(options.url, {
				method: 'POST',
				headers,
				body: rawBody,
				signal: AbortSignal.timeout(timeoutMs),
			});
			record.status = response.status;
			record.setCookie = response.headers.has('set-cookie');
			record.responseBody = await response.text();
		} catch (error) {
			record.error = (error as Error).message;
		}
		record.elapsedMs = performance.now() - started;
		deliveries.push(record);
		return record;
	}

	function buildEvent(input: XeroWebhookEventInput): XeroWebhookEvent {
		const collection = input.eventCategory === 'INVOICE' ? 'Invoices' : 'Contacts';
		const event: XeroWebhookEvent = {
			resourceUrl:
				input.resourceUrl ?? `${apiBaseUrl}/api.xro/2.0/${collection}/${input.resourceId}`,
			resourceId: input.resourceId,
			// Callers may pass an ISO instant; Xero writes the same UTC instant without the zone.
			eventDateUtc: (input.eventDateUtc ?? formatXeroEventDate(new Date())).replace(/Z$/, ''),
			eventType: input.eventType,
			eventCategory: input.eventCategory,
			tenantId: input.tenantId,
			tenantType: 'ORGANISATION',
		};
		assertValidWebhookEvent(event);
		return event;
	}

	async function deliver(payload: XeroWebhookPayload): Promise<WebhookBatchResult> {
		const rawBody = JSON.stringify(payload);
		const signature = signXeroWebhookBody(rawBody, options.signingKey);
		const attempts: WebhookDeliveryAttempt[] = [];
		for (let attempt = 1; attempt <= maxAttempts; attempt++) {
			const record = await post('events', rawBody, signature, attempt);
			attempts.push(record);
			// Only a 200 is an acceptable answer; anything else (401 included) is retried like Xero does.
			if (record.status === 200) return { payload, delivered: true, attempts };
			if (attempt < maxAttempts)
				await new Promise((resolve) => setTimeout(resolve, retryDelayMs * attempt));
		}
		return { payload, delivered: false, attempts };
	}

	return {
		deliveries,

		async emit(inputs) {
			const events = inputs.map(buildEvent);
			const results: WebhookBatchResult[] = [];
			for (let start = 0; start < events.length; start += batchSize) {
				const batch = events.slice(start, start + batchSize);
				if (nextSequence + batch.length - 1 > MAX_SEQUENCE) nextSequence = 1;
				const payload: XeroWebhookPayload = {
					events: batch,
					firstEventSequence: nextSequence,
					lastEventSequence: nextSequence + batch.length - 1,
					entropy: entropy(),
				};
				nextSequence += batch.length;
				const schemaErrors = webhookPayloadSchemaErrors(payload);
				if (schemaErrors.length > 0) {
					throw new Error(`Webhook payload fails xero-webhooks.yaml: ${schemaErrors.join('; ')}`);
				}
				results.push(await deliver(payload));
			}
			return results;
		},

		async intentToReceive({ rounds = 4 } = {}) {
			const checks: IntentToReceiveCheck[] = [];
			for (let round = 0; round < rounds; round++) {
				// Xero's documented handshake body: no events, sequences 0 (outside the schema's minimum of 1).
				const rawBody = JSON.stringify({
					events: [],
					firstEventSequence: 0,
					lastEventSequence: 0,
					entropy: entropy(),
				});
				const good = signXeroWebhookBody(rawBody, options.signingKey);
				const bad = signXeroWebhookBody(rawBody, randomBytes(32).toString('base64'));
				// Alternate the order so a receiver cannot pass by answering in a fixed pattern.
				const order = round % 2 === 0 ? [true, false] : [false, true];
				for (const correctlySigned of order) {
					const record = await post('intentToReceive', rawBody, correctlySigned ? good : bad, 1);
					const emptyBody = record.responseBody.length === 0;
					const withinTimeLimit = record.error === undefined && record.elapsedMs <= timeoutMs;
					const expected = correctlySigned ? 200 : 401;
					checks.push({
						correctlySigned,
						status: record.status,
						emptyBody,
						noCookies: !record.setCookie,
						withinTimeLimit,
						elapsedMs: record.elapsedMs,
						passed: record.status === expected && emptyBody && !record.setCookie && withinTimeLimit,
					});
				}
			}
			return { ok: checks.length > 0 && checks.every((check) => check.passed), checks };
		},
	};
}

/** A fresh event id, for tests and the demo. */
export function newXeroResourceId(): string {
	return randomUUID();
}
