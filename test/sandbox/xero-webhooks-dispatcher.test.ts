/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { load } from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';

import {
	createWebhookDispatcher,
	newXeroResourceId,
	signXeroWebhookBody,
	webhookPayloadSchemaErrors,
	type XeroWebhookEventInput,
} from '../../sandbox/xero/webhooks';

const SIGNING_KEY = 'dispatcher-test-signing-key';
const TENANT = 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f';

// The official webhook spec: every events payload the dispatcher sends must match it.
function webhookSchemaValidator() {
	const specPath = resolve(__dirname, '../../sandbox/xero/spec/xero-webhooks.yaml');
	const spec = load(readFileSync(specPath, 'utf8')) as {
		components: { schemas: Record<string, object> };
	};
	const ajv = new Ajv2020({ strict: false });
	addFormats(ajv);
	// The spec says `format: date-time` but its own example (and Xero) sends no zone: `2024-06-21T01:15:39.902`.
	ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/);
	ajv.addSchema({ $id: 'xero-webhooks', components: spec.components });
	return ajv.compile({ $ref: 'xero-webhooks#/components/schemas/WebhookEvent' });
}

type Handler = (req: IncomingMessage, raw: Buffer, res: ServerResponse) => void;
interface Receiver {
	url: string;
	received: Array<{ raw: Buffer; signature: string | undefined }>;
	server: Server;
}

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(
		servers.splice(0).map((s) => {
			s.closeAllConnections();
			return new Promise((r) => s.close(r));
		}),
	);
});

async function startReceiver(handler: Handler): Promise<Receiver> {
	const received: Receiver['received'] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			received.push({ raw, signature: req.headers['x-xero-signature'] as string | undefined });
			handler(req, raw, res);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	servers.push(server);
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		received,
		server,
	};
}

// A receiver that follows Xero's rules: verify the raw body, 200 or 401, empty body.
const honestHandler: Handler = (req, raw, res) => {
	const expected = Buffer.from(createHmac('sha256', SIGNING_KEY).update(raw).digest('base64'));
	const given = Buffer.from(String(req.headers['x-xero-signature'] ?? ''));
	const ok = given.length === expected.length && timingSafeEqual(given, expected);
	res.statusCode = ok ? 200 : 401;
	res.end();
};

function invoiceEvents(count: number): XeroWebhookEventInput[] {
	return Array.from({ length: count }, (_, i) => ({
		resourceId: newXeroResourceId(),
		eventCategory: i % 3 === 0 ? 'CONTACT' : 'INVOICE',
		eventType: i % 2 === 0 ? 'CREATE' : 'UPDATE',
		tenantId: TENANT,
	}));
}

describe('Xero webhook dispatcher (sandbox)', () => {
	it('sends spec-valid, correctly signed payloads in batches with contiguous sequences', async () => {
		const receiver = await startReceiver(honestHandler);
		const validate = webhookSchemaValidator();
		const dispatcher = createWebhookDispatcher({
			url: receiver.url,
			signingKey: SIGNING_KEY,
			batchSize: 10,
			apiBaseUrl: 'http://sandbox.test',
		});
		const results = await dispatcher.emit(invoiceEvents(25));

		expect(results.map((r) => r.payload.events.length)).toEqual([10, 10, 5]);
		expect(results.every((r) => r.delivered)).toBe(true);
		expect(receiver.received).toHaveLength(3);
		let expectedFirst = 1;
		for (const [index, { raw, signature }] of receiver.received.entries()) {
			const body = JSON.parse(raw.toString('utf8'));
			expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
			expect(signature).toBe(signXeroWebhookBody(raw, SIGNING_KEY));
			expect(body.firstEventSequence).toBe(expectedFirst);
			expect(body.lastEventSequence).toBe(expectedFirst + body.events.length - 1);
			expect(body.entropy).toMatch(/^[A-Z]{20}$/);
			expectedFirst = body.lastEventSequence + 1;
			expect(body).toEqual(results[index].payload);
		}
		const first = results[0].payload.events[0];
		expect(first.resourceUrl).toBe(`http://sandbox.test/api.xro/2.0/Contacts/${first.resourceId}`);
		expect(first.eventDateUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
		expect(results[0].payload.events[1].resourceUrl).toContain('/Invoices/');
	});

	it('the schema check itself rejects a payload missing a required field', () => {
		const validate = webhookSchemaValidator();
		expect(validate({ events: [], firstEventSequence: 1, lastEventSequence: 1 })).toBe(false);
		expect(
			validate({
				events: [{ resourceId: newXeroResourceId(), eventType: 'CREATE' }],
				firstEventSequence: 1,
				lastEventSequence: 1,
				entropy: 'X',
			}),
		).toBe(false);
	});

	it('checks every events payload against the spec at dispatch time', () => {
		expect(
			webhookPayloadSchemaErrors({
				events: [{ resourceId: newXeroResourceId(), eventType: 'CREATE' }],
				firstEventSequence: 0,
				lastEventSequence: 1,
				entropy: 'X',
			}),
		).toEqual(expect.arrayContaining([expect.stringContaining('must have required property')]));
		expect(
			webhookPayloadSchemaErrors({
				events: [],
				firstEventSequence: 1,
				lastEventSequence: 1,
				entropy: 'X',
			}),
		).toEqual([]);
	});

	it('refuses to build events Xero could never send', async () => {
		const dispatcher = createWebhookDispatcher({ url: 'http://127.0.0.1:9/none', signingKey: 'k' });
		await expect(
			dispatcher.emit([
				{
					resourceId: 'not-a-uuid',
					eventCategory: 'INVOICE',
					eventType: 'CREATE',
					tenantId: TENANT,
				},
			]),
		).rejects.toThrow(/resourceId "not-a-uuid" is not a uuid/);
		await expect(
			dispatcher.emit([
				{
					resourceId: newXeroResourceId(),
					eventCategory: 'PAYMENT' as never,
					eventType: 'CREATE',
					tenantId: TENANT,
				},
			]),
		).rejects.toThrow(/eventCategory "PAYMENT"/);
		expect(dispatcher.deliveries).toHaveLength(0);
	});

	it('retries a failed delivery a bounded number of times, re-sending the same signed bytes', async () => {
		let calls = 0;
		const receiver = await startReceiver((req, raw, res) => {
			calls++;
			if (calls < 3) {
				res.statusCode = 503;
				res.end('busy');
				return;
			}
			honestHandler(req, raw, res);
		});
		const dispatcher = createWebhookDispatcher({
			url: receiver.url,
			signingKey: SIGNING_KEY,
			maxAttempts: 3,
			retryDelayMs: 1,
		});
		const [result] = await dispatcher.emit(invoiceEvents(1));
		expect(result.delivered).toBe(true);
		expect(result.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
		expect(new Set(receiver.received.map((r) => r.raw.toString())).size).toBe(1);

		calls = -100; // from now on the receiver always fails
		const [failed] = await dispatcher.emit(invoiceEvents(1));
		expect(failed.delivered).toBe(false);
		expect(failed.attempts).toHaveLength(3);
		expect(dispatcher.deliveries).toHaveLength(6);
	});

	it('treats a receiver slower than the time limit as a failed attempt', async () => {
		const receiver = await startReceiver((req, raw, res) => {
			setTimeout(() => honestHandler(req, raw, res), 300);
		});
		const dispatcher = createWebhookDispatcher({
			url: receiver.url,
			signingKey: SIGNING_KEY,
			timeoutMs: 100,
			maxAttempts: 2,
			retryDelayMs: 1,
		});
		const [result] = await dispatcher.emit(invoiceEvents(1));
		expect(result.delivered).toBe(false);
		expect(result.attempts.map((a) => a.status)).toEqual([0, 0]);
		expect(result.attempts[0].error).toBeDefined();
	});

	describe('intent to receive', () => {
		it('passes a receiver that answers 200/401 with an empty body', async () => {
			const receiver = await startReceiver(honestHandler);
			const dispatcher = createWebhookDispatcher({ url: receiver.url, signingKey: SIGNING_KEY });
			const result = await dispatcher.intentToReceive({ rounds: 3 });
			expect(result.ok).toBe(true);
			expect(result.checks).toHaveLength(6);
			expect(result.checks.filter((c) => c.correctlySigned)).toHaveLength(3);
			for (const { raw, signature } of receiver.received) {
				const body = JSON.parse(raw.toString());
				expect(body).toMatchObject({ events: [], firstEventSequence: 0, lastEventSequence: 0 });
				expect(typeof signature).toBe('string');
			}
		});

		it('fails a receiver that accepts every signature', async () => {
			const receiver = await startReceiver((_req, _raw, res) => {
				res.statusCode = 200;
				res.end();
			});
			const dispatcher = createWebhookDispatcher({ url: receiver.url, signingKey: SIGNING_KEY });
			const result = await dispatcher.intentToReceive({ rounds: 2 });
			expect(result.ok).toBe(false);
			expect(result.checks.filter((c) => !c.passed).every((c) => !c.correctlySigned)).toBe(true);
		});

		it('fails a receiver that answers with a body or sets a cookie', async () => {
			for (const misbehave of [
				(res: ServerResponse) => res.end('{"ok":true}'),
				(res: ServerResponse) => {
					res.setHeader('set-cookie', 'a=b');
					res.end();
				},
			]) {
				const receiver = await startReceiver((req, raw, res) => {
					const expected = signXeroWebhookBody(raw, SIGNING_KEY);
					res.statusCode = req.headers['x-xero-signature'] === expected ? 200 : 401;
					misbehave(res);
				});
				const dispatcher = createWebhookDispatcher({ url: receiver.url, signingKey: SIGNING_KEY });
				const result = await dispatcher.intentToReceive({ rounds: 1 });
				expect(result.ok).toBe(false);
				expect(result.checks.every((c) => !c.passed)).toBe(true);
			}
		});
	});
});
