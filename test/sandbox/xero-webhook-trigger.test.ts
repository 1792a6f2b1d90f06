/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type {
	ICredentialDataDecryptedObject,
	ICredentialTestFunctions,
	IDataObject,
	INodeParameters,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import {
	createWebhookDispatcher,
	newXeroResourceId,
	signXeroWebhookBody,
	type XeroWebhookPayload,
} from '../../sandbox/xero/webhooks';
import {
	callWebhook,
	getDefaultTypes,
	runWebhookMethod,
	type WebhookCallOptions,
	type WebhookCallResult,
} from '../helpers/n8nCore';
import { xeroCredential } from '../helpers/xeroSandbox';
import { XeroWebhookTrigger } from '../../nodes/Xero/XeroWebhookTrigger.node';
import { testSigningKeyCredential } from '../../nodes/Xero/webhook/signingKey';

// Xero's webhook keys are long base64 strings; a fresh one per run.
const SIGNING_KEY = randomBytes(48).toString('base64');
const TENANT_A = 'aef86862-2015-4b6b-88bc-d89032cecc50';
const TENANT_B = 'c2cc9b6e-9458-4c7d-93cc-f02b81b0594f';
const TRIGGER = 'xeroWebhookTrigger';

const params = (overrides: INodeParameters = {}): INodeParameters => ({
	signingKey: SIGNING_KEY,
	events: ['INVOICE.CREATE', 'INVOICE.UPDATE', 'CONTACT.CREATE', 'CONTACT.UPDATE'],
	tenantIds: '',
	fetchChangedRecord: false,
	...overrides,
});

function payload(events: Array<Partial<XeroWebhookPayload['events'][number]>>): XeroWebhookPayload {
	return {
		events: events.map((event) => {
			const resourceId = event.resourceId ?? newXeroResourceId();
			const category = event.eventCategory ?? 'INVOICE';
			return {
				resourceUrl: `https://api.xero.com/api.xro/2.0/${category === 'INVOICE' ? 'Invoices' : 'Contacts'}/${resourceId}`,
				resourceId,
				eventDateUtc: '2026-11-26T06:30:01.123',
				eventType: 'UPDATE',
				eventCategory: category,
				tenantId: TENANT_A,
				tenantType: 'ORGANISATION',
				...event,
			};
		}),
		firstEventSequence: 7,
		lastEventSequence: 6 + events.length,
		entropy: 'FXNGWLCCGVANWHKILRUB',
	};
}

/** Sends bytes the way n8n receives them: JSON content-type when they parse, plain text otherwise. */
async function deliver(
	rawBody: Buffer | string,
	signature: string | undefined,
	parameters = params(),
): Promise<WebhookCallResult> {
	const bytes = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody);
	let json = true;
	try {
		JSON.parse(bytes.toString('utf8'));
	} catch {
		json = false;
	}
	const headers: Record<string, string> = {
		'content-type': json ? 'application/json' : 'text/plain',
	};
	if (signature !== undefined) headers['x-xero-signature'] = signature;
	return await callWebhook(TRIGGER, parameters, { headers, rawBody: bytes });
}

function expectRejected(result: WebhookCallResult, status = 401) {
	expect(result.response.statusCode).toBe(status);
	expect(result.response.body).toBe('');
	expect(result.workflowData).toBeUndefined();
	expect(result.webhookResponse.noWebhookResponse).toBe(true);
}

beforeAll(async () => {
	// Fail with the loader's message (not "unknown node type") if a file of the package cannot load.
	const types = await getDefaultTypes();
	expect(types.nodes.has(TRIGGER), JSON.stringify(types.loadErrors)).toBe(true);
});

describe('Xero Webhook Trigger: signature and events', () => {
	it('answers a correctly signed delivery with an empty 200 and one item per event', async () => {
		const body = JSON.stringify(
			payload([
				{ eventCategory: 'INVOICE', eventType: 'CREATE' },
				{ eventCategory: 'CONTACT', eventType: 'UPDATE' },
				{ eventCategory: 'INVOICE', eventType: 'UPDATE', tenantId: TENANT_B },
			]),
		);
		const result = await deliver(body, signXeroWebhookBody(body, SIGNING_KEY));
		expect(result.response).toMatchObject({ statusCode: 200, body: '', writtenBy: 'node' });
		expect(result.response.headers['set-cookie']).toBeUndefined();
		expect(result.items).toHaveLength(3);
		const sent = JSON.parse(body) as XeroWebhookPayload;
		expect(result.items.map((i) => i.json.resourceId)).toEqual(
			sent.events.map((e) => e.resourceId),
		);
		expect(result.items[0].json).toMatchObject({
			eventCategory: 'INVOICE',
			eventType: 'CREATE',
			tenantId: TENANT_A,
			tenantType: 'ORGANISATION',
			eventDateUtc: '2026-11-26T06:30:01.123',
			eventDate: '2026-11-26T06:30:01.123Z',
			resourceUrl: sent.events[0].resourceUrl,
		});
		expect(result.items[0].json.record).toBeUndefined();
	});

	it('applies the event and tenant filters', async () => {
		const body = JSON.stringify(
			payload([
				{ eventCategory: 'INVOICE', eventType: 'CREATE' },
				{ eventCategory: 'CONTACT', eventType: 'UPDATE' },
				{ eventCategory: 'INVOICE', eventType: 'UPDATE', tenantId: TENANT_B },
			]),
		);
		const signature = signXeroWebhookBody(body, SIGNING_KEY);
		const invoicesOnly = await deliver(
			body,
			signature,
			params({ events: ['INVOICE.CREATE', 'INVOICE.UPDATE'] }),
		);
		expect(invoicesOnly.items.map((i) => i.json.eventCategory)).toEqual(['INVOICE', 'INVOICE']);

		const tenantB = await deliver(
			body,
			signature,
			params({ tenantIds: ` ${TENANT_B.toUpperCase()} ,` }),
		);
		expect(tenantB.items.map((i) => i.json.tenantId)).toEqual([TENANT_B]);

		// Nothing wanted: Xero still gets its 200, the workflow does not start.
		const none = await deliver(body, signature, params({ events: ['CONTACT.CREATE'] }));
		expect(none.response).toMatchObject({ statusCode: 200, body: '' });
		expect(none.workflowData).toBeUndefined();
	});

	it('answers a wrong signature with an empty 401 and never starts the workflow', async () => {
		const body = JSON.stringify(payload([{ eventCategory: 'INVOICE', eventType: 'CREATE' }]));
		expectRejected(await deliver(body, signXeroWebhookBody(body, 'another-apps-key')));
		expectRejected(await deliver(body, undefined));
		expectRejected(await deliver(body, ''));
		// The key parameter left empty fails closed, even for a request "signed" with the empty key.
		expectRejected(await deliver(body, signXeroWebhookBody(body, ''), params({ signingKey: '' })));
	});

	it('answers intent to receive: 200 when signed, 401 when not, never a workflow run', async () => {
		const body = JSON.stringify({
			events: [],
			firstEventSequence: 0,
			lastEventSequence: 0,
			entropy: 'ABC',
		});
		const good = await deliver(body, signXeroWebhookBody(body, SIGNING_KEY));
		expect(good.response).toMatchObject({ statusCode: 200, body: '' });
		expect(good.workflowData).toBeUndefined();
		expectRejected(await deliver(body, signXeroWebhookBody(body, 'wrong')));
	});

	it('refuses a correctly signed body that is not a Xero payload (400, no run)', async () => {
		for (const body of ['{"hello":1}', '{"events":[{"resourceId":"x"}]}', '[]', 'null']) {
			expectRejected(await deliver(body, signXeroWebhookBody(body, SIGNING_KEY)), 400);
		}
	});

	it('answers a correctly signed body that is not JSON as unverifiable (401, no run)', async () => {
		for (const body of ['not json', '{"events":[', '', '\ufeff{"events":[]}x']) {
			expectRejected(await deliver(body, signXeroWebhookBody(body, SIGNING_KEY)));
		}
	});
});

/** Sends bytes with a chosen content type (or none), as a client that is not Xero might. */
async function deliverAs(
	contentType: string | undefined,
	rawBody: Buffer | string,
	signature: string | undefined,
	parameters = params(),
	credentials?: WebhookCallOptions['credentials'],
): Promise<WebhookCallResult> {
	const headers: Record<string, string> = {};
	if (contentType !== undefined) headers['content-type'] = contentType;
	if (signature !== undefined) headers['x-xero-signature'] = signature;
	return await callWebhook(TRIGGER, parameters, {
		headers,
		rawBody: Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody),
		credentials,
	});
}

describe('Xero Webhook Trigger: bodies n8n would refuse to parse', () => {
	const good = JSON.stringify(payload([{ eventCategory: 'CONTACT', eventType: 'CREATE' }]));
	const signed = (body: string | Buffer) => signXeroWebhookBody(body, SIGNING_KEY);
	const cases: Array<[string, string | undefined, string | Buffer, string | undefined]> = [
		['truncated JSON', 'application/json', good.slice(0, -5), signed(good)],
		['not JSON', 'application/json', 'not json at all', signed(good)],
		['empty body', 'application/json', '', signed(good)],
		['empty body, no signature', 'application/json', '', undefined],
		['charset parameter, broken JSON', 'application/json; charset=utf-8', '{"a":', signed(good)],
		['form content-type over Xero JSON', 'application/x-www-form-urlencoded', good, 'x'],
		['no content-type', undefined, good, signed(`${good}\n`)],
		[
			'valid signature over truncated JSON',
			'application/json',
			good.slice(0, 9),
			signed(good.slice(0, 9)),
		],
		['valid signature over an empty body', 'application/json', '', signed('')],
		[
			'valid signature over non-UTF-8 bytes',
			'application/json',
			Buffer.from([0xff, 0x7b]),
			signed(Buffer.from([0xff, 0x7b])),
		],
	];

	it.each(cases)(
		'%s: the node answers 401 itself, n8n does not answer 422',
		async (_name, type, body, signature) => {
			const result = await deliverAs(type, body, signature);
			expectRejected(result);
			expect(result.response.writtenBy).toBe('node');
		},
	);

	it('still takes a correctly signed delivery under a wrong content-type: the signature is over the bytes', async () => {
		const result = await deliverAs('text/plain', good, signed(good));
		expect(result.response).toMatchObject({ statusCode: 200, body: '' });
		expect(result.items).toHaveLength(1);
	});
});

describe('Xero Webhook Trigger: the webhook key in a credential', () => {
	const withoutKey = params();
	delete withoutKey.signingKey;
	const keyCredential = (signingSecret: string) => ({
		xeroWebhookSigningKeyApi: { signingSecret },
	});
	const body = JSON.stringify(payload([{ eventCategory: 'INVOICE', eventType: 'UPDATE' }]));

	it('verifies against the credential when the node keeps no key', async () => {
		const ok = await deliverAs(
			'application/json',
			body,
			signXeroWebhookBody(body, SIGNING_KEY),
			withoutKey,
			keyCredential(SIGNING_KEY),
		);
		expect(ok.response).toMatchObject({ statusCode: 200, body: '' });
		expect(ok.items).toHaveLength(1);
		const other = await deliverAs(
			'application/json',
			body,
			signXeroWebhookBody(body, SIGNING_KEY),
			withoutKey,
			keyCredential('another-apps-key'),
		);
		expectRejected(other);
	});

	it('a node saved with the key in its parameter keeps using that key', async () => {
		const result = await deliverAs(
			'application/json',
			body,
			signXeroWebhookBody(body, SIGNING_KEY),
			params(),
			keyCredential('a-different-key'),
		);
		expect(result.response).toMatchObject({ statusCode: 200, body: '' });
		expect(result.items).toHaveLength(1);
	});

	it('with no key anywhere every delivery gets 401 and activation fails saying what to do', async () => {
		expectRejected(
			await deliverAs('application/json', body, signXeroWebhookBody(body, ''), withoutKey),
		);
		await expect(runWebhookMethod(TRIGGER, 'checkExists', withoutKey)).rejects.toThrow(
			/No Xero webhook key/,
		);
		await expect(
			runWebhookMethod(TRIGGER, 'checkExists', withoutKey, { credentials: keyCredential('') }),
		).rejects.toThrow(/No Xero webhook key/);
		expect(
			(
				await runWebhookMethod(TRIGGER, 'checkExists', withoutKey, {
					credentials: keyCredential(SIGNING_KEY),
				})
			).result,
		).toBe(true);
		expect((await runWebhookMethod(TRIGGER, 'checkExists', params())).result).toBe(true);
	});

	it("the credential's Test catches an empty key and one pasted with spaces or a line break", async () => {
		const test = (signingSecret: unknown) =>
			testSigningKeyCredential.call({} as ICredentialTestFunctions, {
				id: 'k',
				name: 'Xero webhook key',
				type: 'xeroWebhookSigningKeyApi',
				data: { signingSecret } as ICredentialDataDecryptedObject,
			});
		expect((await test(SIGNING_KEY)).status).toBe('OK');
		for (const bad of ['', ` ${SIGNING_KEY}`, `${SIGNING_KEY}\n`, `\t${SIGNING_KEY}`, undefined])
			expect((await test(bad)).status).toBe('Error');
	});

	it('shows the credential picker only on nodes that keep no key, and the old key field only on those that do', () => {
		const description = new XeroWebhookTrigger().description;
		const credential = description.credentials!.find((c) => c.name === 'xeroWebhookSigningKeyApi')!;
		const field = description.properties.find((p) => p.name === 'signingKey')!;
		const node = (parameters: INodeParameters) => ({
			id: 'n',
			name: 'n',
			type: TRIGGER,
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters,
		});
		for (const [parameters, keepsKey] of [
			[{}, false],
			[{ signingKey: '' }, false],
			[{ signingKey: 'k' }, true],
		] as const) {
			const values = NodeHelpers.getNodeParameters(
				description.properties,
				{ ...parameters },
				true,
				false,
				node({ ...parameters }),
				description,
			)!;
			expect(NodeHelpers.displayParameter(values, credential, node(values), description)).toBe(
				!keepsKey,
			);
			expect(NodeHelpers.displayParameter(values, field, node(values), description)).toBe(keepsKey);
			// n8n only leaves the body unparsed for a version-1 node whose options.binaryData is set.
			expect(values.options).toEqual({ binaryData: true });
		}
	});
});

/** A stand-in for n8n's webhook endpoint: real HTTP in, the node's webhook() through the runner, its answer out. */
async function startBridge(
	parameters: INodeParameters,
	credentials?: WebhookCallOptions['credentials'],
) {
	const started: WebhookCallResult[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const headers = Object.fromEntries(
				Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
			);
			void callWebhook(TRIGGER, parameters, {
				headers,
				rawBody: Buffer.concat(chunks),
				credentials,
			}).then(
				(result) => {
					if (result.workflowData) started.push(result);
					res.writeHead(result.response.statusCode, result.response.headers);
					res.end(result.response.body);
				},
				(error: Error) => {
					res.writeHead(500);
					res.end(error.message);
				},
			);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/xero`,
		started,
		async close() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

describe('Xero Webhook Trigger: the sandbox dispatcher over HTTP', () => {
	let bridge: Awaited<ReturnType<typeof startBridge>>;
	let url: string;
	let started: WebhookCallResult[];

	beforeAll(async () => {
		bridge = await startBridge(params());
		({ url, started } = bridge);
	});
	afterAll(async () => await bridge.close());

	it("passes Xero's intent-to-receive check", async () => {
		const dispatcher = createWebhookDispatcher({ url, signingKey: SIGNING_KEY });
		const result = await dispatcher.intentToReceive({ rounds: 5 });
		expect(result.checks).toHaveLength(10);
		expect(result.checks.filter((check) => !check.passed)).toEqual([]);
		expect(result.ok).toBe(true);
		expect(started).toHaveLength(0);
	});

	it('fails the check when the node holds a different key', async () => {
		const dispatcher = createWebhookDispatcher({ url, signingKey: 'the-key-of-another-app' });
		const result = await dispatcher.intentToReceive({ rounds: 2 });
		expect(result.ok).toBe(false);
		expect(result.checks.filter((c) => c.correctlySigned).every((c) => c.status === 401)).toBe(
			true,
		);
	});

	it('delivers dispatched events first time, one item per event', async () => {
		const dispatcher = createWebhookDispatcher({ url, signingKey: SIGNING_KEY, batchSize: 4 });
		const ids = Array.from({ length: 10 }, () => newXeroResourceId());
		const results = await dispatcher.emit(
			ids.map((resourceId) => ({
				resourceId,
				eventCategory: 'INVOICE',
				eventType: 'UPDATE',
				tenantId: TENANT_A,
			})),
		);
		expect(results.map((r) => [r.delivered, r.attempts.length])).toEqual([
			[true, 1],
			[true, 1],
			[true, 1],
		]);
		expect(started.flatMap((run) => run.items.map((item) => item.json.resourceId))).toEqual(ids);
	});
});

describe('Xero Webhook Trigger: events from the Xero sandbox, with the changed record fetched', () => {
	let xero: XeroSandbox;
	let bridge: Awaited<ReturnType<typeof startBridge>>;

	beforeAll(async () => {
		xero = await startXeroSandbox({ log: () => {} });
		const token = xero.issueToken({ lifetimeSec: 3600 });
		bridge = await startBridge(
			params({ fetchChangedRecord: true, events: ['INVOICE.CREATE', 'INVOICE.UPDATE'] }),
			{ xeroAccountingOAuth2Api: xeroCredential(xero.url, token) },
		);
	});
	afterAll(async () => {
		await bridge.close();
		await xero.close();
	});

	it('passes intent to receive when the sandbox is pointed at the node, then delivers invoice events with the invoice', async () => {
		const configured = (await xero.configureWebhooks({
			url: bridge.url,
			signingKey: SIGNING_KEY,
		})) as {
			intentToReceive: { ok: boolean };
		};
		expect(configured.intentToReceive.ok).toBe(true);

		const tenantId = xero.defaultTenantId;
		const token = xero.issueToken({ lifetimeSec: 600 });
		const response = await fetch(`${xero.url}/api.xro/2.0/Invoices`, {
			method: 'PUT',
			headers: {
				authorization: `Bearer ${token.access_token}`,
				'xero-tenant-id': tenantId,
				'content-type': 'application/json',
				accept: 'application/json',
			},
			body: JSON.stringify({
				Invoices: [
					{
						Type: 'ACCREC',
						Contact: { ContactID: xero.state(tenantId).contacts[0].ContactID },
						InvoiceNumber: 'CS-WEBHOOK-1',
						Status: 'DRAFT',
						LineItems: [
							{ Description: 'Call-out', Quantity: 1, UnitAmount: 85, AccountCode: '230' },
						],
					},
				],
			}),
		});
		expect(response.status).toBe(200);
		const invoiceId = ((await response.json()) as { Invoices: Array<{ InvoiceID: string }> })
			.Invoices[0].InvoiceID;

		// Delivery is asynchronous (the sandbox answers the API call first, as Xero does).
		for (let waited = 0; bridge.started.length === 0 && waited < 5000; waited += 25) {
			await new Promise((resolve) => setTimeout(resolve, 25));
		}
		const items = bridge.started.flatMap((run) => run.items.map((item) => item.json));
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			eventCategory: 'INVOICE',
			eventType: 'CREATE',
			resourceId: invoiceId,
			tenantId,
			record: { InvoiceID: invoiceId, InvoiceNumber: 'CS-WEBHOOK-1', Status: 'DRAFT' },
		});
		expect(items[0].fetchError).toBeUndefined();
	});

	it('reports a record that cannot be read on the item instead of dropping the event', async () => {
		const body = JSON.stringify(
			payload([{ eventCategory: 'CONTACT', eventType: 'UPDATE', tenantId: xero.defaultTenantId }]),
		);
		const result = await callWebhook(TRIGGER, params({ fetchChangedRecord: true }), {
			headers: {
				'content-type': 'application/json',
				'x-xero-signature': signXeroWebhookBody(body, SIGNING_KEY),
			},
			rawBody: body,
			credentials: {
				xeroAccountingOAuth2Api: {
					environment: 'custom',
					customBaseUrl: xero.url,
					clientId: 'sandbox-client-id',
					clientSecret: 'sandbox-client-secret',
					oauthTokenData: { ...xero.issueToken({ lifetimeSec: 600 }) },
				},
			},
		});
		expect(result.response).toMatchObject({ statusCode: 200, body: '' });
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.record).toBeUndefined();
		expect(String(result.items[0].json.fetchError)).toMatch(/could not find|not found|404/i);
	});
});

describe('Xero Webhook Trigger: tamper fuzz', () => {
	// Deterministic PRNG so a failure can be replayed.
	function prng(seed: number) {
		let state = seed >>> 0;
		return () => {
			state = (state + 0x6d2b79f5) >>> 0;
			let t = state;
			t = Math.imul(t ^ (t >>> 15), t | 1);
			t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
			return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
		};
	}

	type Mutation = { name: string; body: Buffer; signature: string | undefined };

	function mutations(random: () => number, body: Buffer, signature: string): Mutation[] {
		const pick = (n: number) => Math.floor(random() * n);
		const flipBit = (bytes: Buffer) => {
			const copy = Buffer.from(bytes);
			copy[pick(copy.length)] ^= 1 << pick(8);
			return copy;
		};
		const sigBytes = Buffer.from(signature, 'base64');
		const parsed = JSON.parse(body.toString('utf8')) as XeroWebhookPayload;
		const replaceChar = (text: string) => {
			const i = pick(text.length);
			const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
			let c = alphabet[pick(alphabet.length)];
			if (c === text[i]) c = c === 'A' ? 'B' : 'A';
			return text.slice(0, i) + c + text.slice(i + 1);
		};
		return [
			{ name: 'body bit flip', body: flipBit(body), signature },
			{ name: 'signature bit flip', body, signature: flipBit(sigBytes).toString('base64') },
			{ name: 'signature character', body, signature: replaceChar(signature) },
			{ name: 'body truncated', body: body.subarray(0, pick(body.length)), signature },
			{
				name: 'body extended',
				body: Buffer.concat([body, Buffer.from(pick(2) ? '\n' : ' ')]),
				signature,
			},
			{ name: 'signature truncated', body, signature: signature.slice(0, pick(signature.length)) },
			{ name: 'signature unpadded', body, signature: signature.replace(/=+$/, '') },
			{ name: 'signature hex', body, signature: sigBytes.toString('hex') },
			{ name: 'signature base64url', body, signature: sigBytes.toString('base64url') },
			{ name: 'signature with whitespace', body, signature: ` ${signature}` },
			{
				name: 'signature with junk inside',
				body,
				signature: `${signature.slice(0, 10)}!${signature.slice(10)}`,
			},
			{
				name: 'body re-encoded (pretty)',
				body: Buffer.from(JSON.stringify(parsed, null, pick(4) + 1)),
				signature,
			},
			{
				name: 'body re-encoded (unicode escape)',
				// Same JSON value, different bytes: one capital letter written as a \\u escape.
				body: Buffer.from(
					JSON.stringify(parsed).replace(/[A-Z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`),
				),
				signature,
			},
			{
				name: 'body re-encoded (utf-16)',
				body: Buffer.from(body.toString('utf8'), 'utf16le'),
				signature,
			},
			{
				name: 'event swapped',
				body: Buffer.from(
					JSON.stringify({
						...parsed,
						events: parsed.events.map((e) => ({ ...e, resourceId: newXeroResourceId() })),
					}),
				),
				signature,
			},
			{
				name: 'wrong key',
				body,
				signature: createHmac('sha256', randomBytes(1 + pick(64)))
					.update(body)
					.digest('base64'),
			},
			{
				name: 'key off by one character',
				body,
				signature: signXeroWebhookBody(body, replaceChar(SIGNING_KEY)),
			},
			{
				name: 'sha1 instead of sha256',
				body,
				signature: createHmac('sha1', SIGNING_KEY).update(body).digest('base64'),
			},
			{ name: 'missing header', body, signature: undefined },
			{ name: 'empty header', body, signature: '' },
		];
	}

	it('accepts none of 10,000 tampered deliveries', { timeout: 600_000 }, async () => {
		const random = prng(20261126);
		const tally = new Map<string, number>();
		let accepted = 0;
		let sent = 0;
		let round = 0;
		while (sent < 10_000) {
			round++;
			const original = Buffer.from(
				JSON.stringify(
					payload(
						Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
							eventCategory: random() < 0.5 ? 'INVOICE' : 'CONTACT',
							eventType: random() < 0.5 ? 'CREATE' : 'UPDATE',
						})) as Array<Partial<XeroWebhookPayload['events'][number]>>,
					),
				),
			);
			const signature = signXeroWebhookBody(original, SIGNING_KEY);
			if (round === 1) {
				// Control: the untampered delivery is accepted, so a rejection below means the tampering was seen.
				const control = await deliver(original, signature);
				expect(control.response.statusCode).toBe(200);
				expect(control.items.length).toBeGreaterThan(0);
			}
			for (const mutation of mutations(random, original, signature)) {
				if (sent >= 10_000) break;
				// A mutation that happens to reproduce the original bytes is not tampering.
				if (mutation.body.equals(original) && mutation.signature === signature) continue;
				sent++;
				tally.set(mutation.name, (tally.get(mutation.name) ?? 0) + 1);
				const result = await deliver(mutation.body, mutation.signature);
				if (result.workflowData !== undefined || result.response.statusCode !== 401) accepted++;
				expect(result.response.body).toBe('');
			}
		}
		console.log(`tamper fuzz: ${sent} deliveries, ${accepted} accepted`, Object.fromEntries(tally));
		expect(sent).toBe(10_000);
		expect(accepted).toBe(0);
		expect(tally.size).toBe(20);
	});
});

describe('Xero Webhook Trigger: each event starts the workflow once', () => {
	async function deliverWith(body: string, staticData: IDataObject, mode?: 'manual') {
		return await callWebhook(TRIGGER, params(), {
			headers: {
				'content-type': 'application/json',
				'x-xero-signature': signXeroWebhookBody(body, SIGNING_KEY),
			},
			rawBody: Buffer.from(body),
			staticData,
			mode,
		});
	}

	it('a replayed signed delivery is answered 200 and emits nothing; a new event in a later delivery still runs', async () => {
		const first = payload([
			{ eventCategory: 'INVOICE', eventType: 'CREATE' },
			{ eventCategory: 'CONTACT', eventType: 'UPDATE' },
		]);
		const body = JSON.stringify(first);
		const once = await deliverWith(body, {});
		expect(once.items).toHaveLength(2);

		const replay = await deliverWith(body, once.staticData);
		expect(replay.response).toMatchObject({ statusCode: 200, body: '' });
		expect(replay.workflowData).toBeUndefined();

		// Xero's retry may batch an old event with a new one: only the new one runs.
		const mixed = payload([first.events[1], { eventCategory: 'INVOICE', eventType: 'UPDATE' }]);
		const next = await deliverWith(JSON.stringify(mixed), replay.staticData);
		expect(next.items.map((item) => item.json.resourceId)).toEqual([mixed.events[1].resourceId]);

		// The same resource changed again later is a new event.
		const later = payload([{ ...first.events[0], eventDateUtc: '2026-11-26T07:00:00.000' }]);
		expect((await deliverWith(JSON.stringify(later), next.staticData)).items).toHaveLength(1);
	});

	it('remembers a bounded number of events, and test-URL deliveries do not consume them', async () => {
		const body = JSON.stringify(payload([{ eventCategory: 'INVOICE', eventType: 'CREATE' }]));
		const test = await deliverWith(body, {}, 'manual');
		expect(test.items).toHaveLength(1);
		expect((await deliverWith(body, test.staticData)).items).toHaveLength(1);

		let staticData: IDataObject = {};
		for (let i = 0; i < 3; i++) {
			const events = Array.from({ length: 1000 }, () => ({ eventType: 'UPDATE' as const }));
			staticData = (await deliverWith(JSON.stringify(payload(events)), staticData)).staticData;
		}
		const delivered = (Object.values(staticData)[0] as IDataObject).delivered as string[];
		expect(delivered.length).toBe(2000);
	});
});
