/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The Xero Webhook Trigger behind n8n 2.40.5's own webhook server (raw body, 200/401 with an empty body, no run
// on a bad signature or a replay):
// 1. the webhook key lives in a "Xero Webhook Signing Key API" credential (stored encrypted), never in the
//    workflow JSON that n8n stores, serves or exports;
// 2. bodies n8n would refuse to parse (its own 422) reach the node, which gives Xero's answer for a delivery it
//    cannot verify: an empty 401, and no run;
// 3. a workflow saved with the key still in the node's parameter keeps working, and one with no key at all
//    fails to publish with n8n's message naming the missing credential.
// n8n only leaves a webhook body unparsed for a trigger at type version 1 whose options.binaryData is set
// (docs/ARCHITECTURE.md, "Xero webhook raw body"), which is why the key moved without a version bump.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox';
import {
	createWebhookDispatcher,
	newXeroResourceId,
	signXeroWebhookBody,
} from '../../sandbox/xero/webhooks';
import {
	delay,
	nodeType,
	setupE2e,
	useXeroWebhookKey,
	waitFor,
	XERO_SANDBOX_WEBHOOK_KEY,
	XERO_WEBHOOK_KEY_CREDENTIAL,
	type N8nInstance,
	type WorkflowJson,
} from './harness';

const TRIGGER = 'Xero Webhook Trigger';
const EVENTS = ['INVOICE.CREATE', 'INVOICE.UPDATE', 'CONTACT.CREATE', 'CONTACT.UPDATE'];

function webhookWorkflow(
	name: string,
	webhookId: string,
	node: { parameters?: Record<string, unknown>; credentials?: Record<string, unknown> },
): WorkflowJson {
	return {
		name,
		nodes: [
			{
				id: 'hook',
				name: TRIGGER,
				type: nodeType('xeroWebhookTrigger'),
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { events: EVENTS, tenantIds: '', ...node.parameters },
				...(node.credentials ? { credentials: node.credentials } : {}),
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

/** Publishes and waits until n8n has registered the production webhook; returns its URL. */
async function publish(n8n: N8nInstance, id: string, webhookId: string): Promise<string> {
	await n8n.publishWorkflow(id);
	const url = `${n8n.url}/webhook/${webhookId}/webhook`;
	await waitFor(
		'the Xero webhook to be registered',
		async () => (await fetch(url, { method: 'POST' })).status !== 404,
		{ timeoutMs: 30_000, process: n8n.main },
	);
	return url;
}

async function post(url: string, body: string | Buffer, headers: Record<string, string>) {
	const response = await fetch(url, { method: 'POST', headers, body });
	return { status: response.status, text: await response.text() };
}

describe('Xero Webhook Trigger in real n8n', () => {
	const e2e = setupE2e();

	it('verifies with the key from its credential; the key is in no workflow JSON n8n stores, serves or exports', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const id = await n8n.importWorkflow(
				webhookWorkflow('e2e: Xero webhook (credential)', 'e2e-xero-hook-cred', {
					credentials: useXeroWebhookKey,
				}),
			);
			const url = await publish(n8n, id, 'e2e-xero-hook-cred');
			const dispatcher = createWebhookDispatcher({
				url,
				signingKey: XERO_SANDBOX_WEBHOOK_KEY,
				apiBaseUrl: sandbox.xeroUrl,
			});
			const intent = await dispatcher.intentToReceive({ rounds: 3 });
			expect(intent.checks.filter((check) => !check.passed)).toEqual([]);
			expect(intent.ok).toBe(true);

			const resourceIds = [newXeroResourceId(), newXeroResourceId()];
			const [delivery] = await dispatcher.emit(
				resourceIds.map((resourceId) => ({
					resourceId,
					eventCategory: 'CONTACT' as const,
					eventType: 'CREATE' as const,
					tenantId: xero.defaultTenantId,
				})),
			);
			expect(delivery.delivered).toBe(true);
			const [execution] = await n8n.waitForExecutions(id, 1, 60_000);
			const { run } = await n8n.getExecution(execution.id);
			const items = run.data?.resultData?.runData?.[TRIGGER]?.[0]?.data?.main?.[0] ?? [];
			expect(items.map((item) => (item.json as { resourceId: string }).resourceId)).toEqual(
				resourceIds,
			);

			// Tampered body with the original signature, and a signature made with another key: 401, no run.
			const body = JSON.stringify(delivery.payload);
			const tampered = body.replace(resourceIds[0], newXeroResourceId());
			const signedWith = (key: string) => signXeroWebhookBody(body, key);
			for (const [raw, signature] of [
				[tampered, signedWith(XERO_SANDBOX_WEBHOOK_KEY)],
				[body, signedWith('another-apps-key')],
			]) {
				expect(
					await post(url, raw, {
						'content-type': 'application/json',
						'x-xero-signature': signature,
					}),
				).toEqual({ status: 401, text: '' });
			}
			// The same signed delivery replayed (a Xero retry, or an attacker): 200, and no second run, because
			// n8n saved the delivered events in the trigger's static data after the first run.
			for (let replay = 0; replay < 2; replay++) {
				expect(
					await post(url, body, {
						'content-type': 'application/json',
						'x-xero-signature': signedWith(XERO_SANDBOX_WEBHOOK_KEY),
					}),
				).toEqual({ status: 200, text: '' });
			}
			await delay(3000);
			expect(await n8n.listExecutions(id)).toHaveLength(1);

			// Published, run and saved with its static data: the key is in none of the workflow's JSON.
			const served = JSON.stringify(await n8n.rest('GET', `/workflows/${id}`));
			const exported = await n8n.exportWorkflow(id);
			expect(exported).toContain('xeroWebhookSigningKeyApi');
			for (const json of [served, exported]) {
				expect(json).not.toContain(XERO_SANDBOX_WEBHOOK_KEY);
				expect(json).not.toContain('"signingKey"');
			}
			// n8n holds it in the credential, encrypted at rest: the key's bytes are nowhere in n8n's database
			// files, while n8n still decrypts it (the delivery above verified against it).
			const database = ['database.sqlite', 'database.sqlite-wal']
				.map((file) => path.join(n8n.userFolder, '.n8n', file))
				.filter((file) => existsSync(file))
				.map((file) => readFileSync(file));
			expect(database.length).toBeGreaterThan(0);
			for (const bytes of database) expect(bytes.includes(XERO_SANDBOX_WEBHOOK_KEY)).toBe(false);
			expect((await n8n.exportCredential('e2eXeroHookKey01')).data).toEqual({
				signingSecret: XERO_SANDBOX_WEBHOOK_KEY,
			});
			// The editor's Test button for this credential (the trigger's testedBy) passes for the pasted key.
			expect(
				await n8n.rest('POST', '/credentials/test', {
					credentials: {
						id: XERO_WEBHOOK_KEY_CREDENTIAL.id,
						name: XERO_WEBHOOK_KEY_CREDENTIAL.name,
						type: XERO_WEBHOOK_KEY_CREDENTIAL.type,
						data: { signingSecret: XERO_SANDBOX_WEBHOOK_KEY },
					},
				}),
			).toMatchObject({ status: 'OK' });
			await n8n.unpublishWorkflow(id);
		}));

	it('answers every body n8n cannot parse with an empty 401 (not n8n 422) and starts no run', () =>
		e2e.withN8n(async (n8n) => {
			const id = await n8n.importWorkflow(
				webhookWorkflow('e2e: Xero webhook (malformed bodies)', 'e2e-xero-hook-bad', {
					credentials: useXeroWebhookKey,
				}),
			);
			const url = await publish(n8n, id, 'e2e-xero-hook-bad');
			const good = JSON.stringify({
				events: [],
				firstEventSequence: 0,
				lastEventSequence: 0,
				entropy: 'ABCDEFGHIJKLMNOPQRST',
			});
			const signed = (body: string | Buffer) => signXeroWebhookBody(body, XERO_SANDBOX_WEBHOOK_KEY);
			const json = { 'content-type': 'application/json' };
			const cases: Array<{ name: string; body: string | Buffer; headers: Record<string, string> }> =
				[
					{
						name: 'truncated JSON',
						body: good.slice(0, -7),
						headers: { ...json, 'x-xero-signature': signed(good) },
					},
					{
						name: 'not JSON',
						body: 'this is not json',
						headers: { ...json, 'x-xero-signature': signed(good) },
					},
					{ name: 'JSON with a trailing comma', body: '{"events":[],}', headers: json },
					{ name: 'a lone brace', body: '{', headers: { ...json, 'x-xero-signature': 'x' } },
					{ name: 'empty body', body: '', headers: { ...json, 'x-xero-signature': signed(good) } },
					{ name: 'empty body, no signature', body: '', headers: json },
					{
						name: 'JSON charset parameter, broken body',
						body: '{"events":',
						headers: { 'content-type': 'application/json; charset=utf-8' },
					},
					{
						name: 'wrong content-type (form) over Xero JSON, unsigned',
						body: good,
						headers: { 'content-type': 'application/x-www-form-urlencoded' },
					},
					{
						name: 'wrong content-type (XML) over broken XML',
						body: '<events><',
						headers: { 'content-type': 'application/xml', 'x-xero-signature': signed(good) },
					},
					{
						name: 'no content-type',
						body: good,
						headers: { 'x-xero-signature': signed(`${good} `) },
					},
					{
						name: 'valid signature over truncated JSON',
						body: good.slice(0, 20),
						headers: { ...json, 'x-xero-signature': signed(good.slice(0, 20)) },
					},
					{
						name: 'valid signature over bytes that are not UTF-8 JSON',
						body: Buffer.from([0xff, 0xfe, 0x7b, 0x00]),
						headers: { ...json, 'x-xero-signature': signed(Buffer.from([0xff, 0xfe, 0x7b, 0x00])) },
					},
					{
						name: 'valid signature over an empty body',
						body: '',
						headers: { ...json, 'x-xero-signature': signed('') },
					},
					{
						name: 'valid signature over text/plain that is not JSON',
						body: 'hello',
						headers: { 'content-type': 'text/plain', 'x-xero-signature': signed('hello') },
					},
				];
			const answers: Record<string, string> = {};
			for (const { name, body, headers } of cases) {
				const response = await post(url, body, headers);
				answers[name] = `${response.status} ${JSON.stringify(response.text)}`;
			}
			expect(answers).toEqual(Object.fromEntries(cases.map(({ name }) => [name, '401 ""'])));

			// The same n8n still takes a well-formed signed delivery (the wrong-content-type answers above are the
			// node's, not a broken webhook): intent to receive with a correct signature is a 200.
			expect(await post(url, good, { ...json, 'x-xero-signature': signed(good) })).toEqual({
				status: 200,
				text: '',
			});
			await delay(2000);
			expect(await n8n.listExecutions(id)).toHaveLength(0);
			await n8n.unpublishWorkflow(id);
		}));

	it('keeps working for a workflow that still carries the key in the node; refuses to publish one with no key', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const legacyKey = randomBytes(48).toString('base64');
			const legacyId = await n8n.importWorkflow(
				webhookWorkflow('e2e: Xero webhook (key in the node)', 'e2e-xero-hook-legacy', {
					parameters: { signingKey: legacyKey },
				}),
			);
			const url = await publish(n8n, legacyId, 'e2e-xero-hook-legacy');
			const dispatcher = createWebhookDispatcher({
				url,
				signingKey: legacyKey,
				apiBaseUrl: sandbox.xeroUrl,
			});
			expect((await dispatcher.intentToReceive({ rounds: 2 })).ok).toBe(true);
			const [delivery] = await dispatcher.emit([
				{
					resourceId: newXeroResourceId(),
					eventCategory: 'INVOICE',
					eventType: 'UPDATE',
					tenantId: xero.defaultTenantId,
				},
			]);
			expect(delivery.delivered).toBe(true);
			await n8n.waitForExecutions(legacyId, 1, 60_000);
			// Malformed bytes get 401 on the old node too.
			expect(await post(url, '{"events":', { 'content-type': 'application/json' })).toEqual({
				status: 401,
				text: '',
			});
			await n8n.unpublishWorkflow(legacyId);

			const keylessId = await n8n.importWorkflow(
				webhookWorkflow('e2e: Xero webhook (no key)', 'e2e-xero-hook-none', {}),
			);
			const refused = await n8n.publishWorkflow(keylessId).then(
				() => '',
				(error: Error) => error.message,
			);
			// n8n's own publish check names the missing credential (the node's activation check, which says the
			// same for a key n8n lets through, never runs).
			expect(refused).toMatch(/Missing required credential: xeroWebhookSigningKeyApi/);
		}));
});
