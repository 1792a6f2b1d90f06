/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

import type { IDataObject, INodeType } from 'n8n-workflow';
import { NodeApiError, Workflow } from 'n8n-workflow';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { PackageTypes, TestWorkflow } from '../helpers/n8nCore';
import {
	callWebhook,
	listSearch,
	loadOptions,
	loadPackageTypes,
	pollOnce,
	runNode,
	runWebhookMethod,
	runWorkflow,
	CredentialStore,
} from '../helpers/n8nCore';

// A tiny API for the fixture nodes in test/helpers/fixtures: three ways to authenticate, a rotating OAuth2 token
// endpoint, a login endpoint for session tokens and an event feed. Every request is logged so the tests can
// assert what n8n-core actually sent.
interface LoggedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: IncomingMessage['headers'];
	body: string;
	status: number;
}

const api = {
	apiKey: 'key-1',
	accessToken: 'access-0',
	refreshToken: 'refresh-0',
	sessionToken: '',
	tokenCount: 0,
	loginCount: 0,
	events: [] as Array<{ seq: number; name: string }>,
	log: [] as LoggedRequest[],
	reset() {
		Object.assign(api, { accessToken: 'access-0', refreshToken: 'refresh-0', sessionToken: '' });
		Object.assign(api, { tokenCount: 0, loginCount: 0, events: [], log: [] });
	},
	calls(pathname: string) {
		return api.log.filter((entry) => entry.path === pathname);
	},
};

const CLIENT_ID = 'client-id';
const CLIENT_SECRET = 'client-secret';

function authorized(req: IncomingMessage): boolean {
	if (req.headers['x-api-key'] !== undefined) return req.headers['x-api-key'] === api.apiKey;
	if (req.headers['x-session-token'] !== undefined) {
		return api.sessionToken !== '' && req.headers['x-session-token'] === api.sessionToken;
	}
	return req.headers.authorization === `Bearer ${api.accessToken}`;
}

function handle(req: IncomingMessage, body: string): { status: number; json?: unknown } {
	const url = new URL(req.url ?? '/', 'http://localhost');
	if (req.method === 'POST' && url.pathname === '/token') {
		const form = new URLSearchParams(body);
		const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
		if (req.headers.authorization !== basic)
			return { status: 401, json: { error: 'invalid_client' } };
		if (
			form.get('grant_type') !== 'refresh_token' ||
			form.get('refresh_token') !== api.refreshToken
		) {
			return { status: 400, json: { error: 'invalid_grant' } };
		}
		api.tokenCount++;
		api.accessToken = `access-${api.tokenCount}`;
		api.refreshToken = `refresh-${api.tokenCount}`; // rotated, like Xero
		return {
			status: 200,
			json: {
				access_token: api.accessToken,
				refresh_token: api.refreshToken,
				token_type: 'Bearer',
				expires_in: 1800,
			},
		};
	}
	if (req.method === 'POST' && url.pathname === '/login') {
		const { username, password } = JSON.parse(body) as { username: string; password: string };
		if (username !== 'office' || password !== 'secret')
			return { status: 403, json: { error: 'bad login' } };
		api.loginCount++;
		api.sessionToken = `session-${api.loginCount}`;
		return { status: 200, json: { token: api.sessionToken } };
	}
	if (!authorized(req)) return { status: 401, json: { error: 'unauthorized' } };
	if (url.pathname === '/things') {
		return {
			status: 200,
			json: [
				{ id: 't1', name: 'First thing', item: url.searchParams.get('item') },
				{ id: 't2', name: 'Second thing', item: url.searchParams.get('item') },
			],
		};
	}
	if (url.pathname === '/thing')
		return { status: 200, json: { id: 't1', item: url.searchParams.get('item') } };
	if (url.pathname === '/events') {
		const after = Number(url.searchParams.get('after'));
		const limit = Number(url.searchParams.get('limit'));
		return { status: 200, json: api.events.filter((event) => event.seq > after).slice(0, limit) };
	}
	return { status: 404, json: { error: `no route ${url.pathname}` } };
}

let server: Server;
let baseUrl: string;
let types: PackageTypes;

/** The fixture action's GET /thing, once per item, authenticated as `authentication` says. */
async function fetchThing(
	authentication: 'oAuth2' | 'session',
	credentials: Parameters<typeof runNode>[3],
	items: Parameters<typeof runNode>[2],
) {
	return await runNode('fixtureAction', { authentication, path: '/thing' }, items, credentials, {
		types,
	});
}

beforeAll(async () => {
	server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const { status, json } = handle(req, body);
			const url = new URL(req.url ?? '/', 'http://localhost');
			api.log.push({
				method: req.method ?? '',
				path: url.pathname,
				query: Object.fromEntries(url.searchParams),
				headers: req.headers,
				body,
				status,
			});
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(json ?? null));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	types = await loadPackageTypes({
		directories: [path.join(__dirname, '..', 'helpers', 'fixtures')],
	});
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => api.reset());

const apiKeyCredentials = () => ({ fixtureApiKeyApi: { baseUrl, apiKey: 'key-1' } });

describe('one n8n-workflow', () => {
	it('gives test code and n8n-core the same n8n-workflow classes, as n8n loads a single copy', () => {
		const fromCore = createRequire(require.resolve('n8n-core'))(
			'n8n-workflow',
		) as typeof import('n8n-workflow');
		expect(NodeApiError).toBe(fromCore.NodeApiError);
		expect(Workflow).toBe(fromCore.Workflow);
	});
});

describe('loadPackageTypes', () => {
	it('discovers fixture nodes and credentials next to the built-in manual trigger and oAuth2Api', () => {
		expect([...types.nodes.keys()].sort()).toEqual([
			'fixtureAction',
			'fixturePollTrigger',
			'fixtureVersioned',
			'fixtureWebhookTrigger',
			'manualTrigger',
		]);
		// Like n8n's loader, polling nodes get the pollTimes parameter.
		const poller = types.nodes.get('fixturePollTrigger') as INodeType;
		expect(poller.description.properties[0]).toMatchObject({
			name: 'pollTimes',
			type: 'fixedCollection',
		});
		// The per-version class shares the wrapper's name; the VersionedNodeType wrapper is what gets registered.
		expect('nodeVersions' in types.nodes.get('fixtureVersioned')!).toBe(true);
		expect([...types.credentials.keys()].sort()).toEqual([
			'fixtureApiKeyApi',
			'fixtureOAuth2Api',
			'fixtureSessionApi',
			'oAuth2Api',
		]);
		expect(types.loadErrors).toEqual([]);
	});
});

describe('runNode / runWorkflow through WorkflowExecute', () => {
	it('applies an API-key credential and returns items paired with their input', async () => {
		const result = await runNode(
			'fixtureAction',
			{ authentication: 'apiKey', path: '/thing' },
			[{ n: 1 }, { n: 2 }],
			apiKeyCredentials(),
			{ types },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toEqual([
			{ json: { id: 't1', item: '0' }, pairedItem: { item: 0 } },
			{ json: { id: 't1', item: '1' }, pairedItem: { item: 1 } },
		]);
		expect(api.calls('/thing').map((call) => call.headers['x-api-key'])).toEqual([
			'key-1',
			'key-1',
		]);
		expect(result.executionOrder).toEqual(['Manual Trigger', 'Fixture Action']);
	});

	it('runs a VersionedNodeType at its default version unless typeVersion is given', async () => {
		const latest = await runNode('fixtureVersioned', {}, [{ a: 1 }], {}, { types });
		expect(latest.items).toEqual([{ json: { a: 1, version: 2 }, pairedItem: { item: 0 } }]);
		const v1 = await runNode(
			'fixtureVersioned',
			{},
			[{ a: 1 }],
			{},
			{ types, node: { typeVersion: 1 } },
		);
		expect(v1.items[0].json.version).toBe(1);
	});

	it("rejects a workflow with parameter issues before running it, like n8n's WorkflowHasIssuesError", async () => {
		await expect(
			runNode('fixtureAction', { authentication: 'apiKey', path: '' }, [{}], apiKeyCredentials(), {
				types,
			}),
		).rejects.toThrow(/issues/i);
		expect(api.log).toEqual([]);
	});

	it('pairs every item of an array response with the input item that produced it', async () => {
		const result = await runNode(
			'fixtureAction',
			{ authentication: 'apiKey', path: '/things' },
			[{}],
			apiKeyCredentials(),
			{
				types,
			},
		);
		expect(result.items.map((item) => [item.json.id, item.pairedItem])).toEqual([
			['t1', { item: 0 }],
			['t2', { item: 0 }],
		]);
	});

	it('accepts the installed package prefix and runs a hand-written workflow with expressions', async () => {
		const result = await runWorkflow(
			{
				nodes: [
					{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', parameters: {} },
					{
						name: 'Action',
						type: 'n8n-nodes-commusoft-xero.fixtureAction',
						parameters: { authentication: 'apiKey', path: '={{ "/" + "thing" }}' },
					},
				],
				connections: { Start: { main: [[{ node: 'Action', type: 'main', index: 0 }]] } },
			},
			{ credentials: apiKeyCredentials(), types },
		);
		expect(result.error).toBeUndefined();
		expect(result.outputOf('Action')).toEqual([
			{ json: { id: 't1', item: '0' }, pairedItem: { item: 0 } },
		]);
		expect(result.outputOf('Start')).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
	});

	/** The fixture poll trigger feeding the fixture action. */
	const POLL_THEN_FETCH: TestWorkflow = {
		nodes: [
			{ name: 'Poll', type: 'fixturePollTrigger', parameters: { limit: 5 } },
			{
				name: 'Fetch',
				type: 'fixtureAction',
				parameters: { authentication: 'apiKey', path: '/thing' },
			},
		],
		connections: { Poll: { main: [[{ node: 'Fetch', type: 'main', index: 0 }]] } },
	};

	it('runs a poll trigger as the start node in manual mode and feeds its items downstream', async () => {
		api.events = [
			{ seq: 7, name: 'x' },
			{ seq: 8, name: 'y' },
		];
		const result = await runWorkflow(POLL_THEN_FETCH, { credentials: apiKeyCredentials(), types });
		expect(result.error).toBeUndefined();
		expect(result.executionOrder).toEqual(['Poll', 'Fetch']);
		expect(result.outputOf('Poll').map((item) => item.json.name)).toEqual(['x', 'y']);
		expect(result.outputOf('Fetch').map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
		]);
		expect(api.calls('/events')[0].query.mode).toBe('manual');
		expect(result.staticData).toEqual({ 'node:Poll': { cursor: 8, polls: 1 } });
	});

	it('runs the rest of a workflow on items a poll emitted (trigger mode passes them through)', async () => {
		api.events = [{ seq: 1, name: 'only' }];
		const polled = await pollOnce(
			'fixturePollTrigger',
			{ limit: 5 },
			{ credentials: apiKeyCredentials(), types },
		);
		const result = await runWorkflow(POLL_THEN_FETCH, {
			credentials: apiKeyCredentials(),
			types,
			mode: 'trigger',
			triggerItems: polled.items,
		});
		expect(result.error).toBeUndefined();
		expect(result.outputOf('Poll').map((item) => item.json)).toEqual([{ seq: 1, name: 'only' }]);
		expect(result.outputOf('Fetch')).toHaveLength(1);
		expect(api.calls('/events')).toHaveLength(1); // poll() ran once, in pollOnce only
	});

	it('refreshes an expired OAuth2 access token through the token URL and persists the new token set', async () => {
		const credentials = {
			fixtureOAuth2Api: {
				baseUrl,
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
				oauthTokenData: {
					access_token: 'expired-token',
					refresh_token: 'refresh-0',
					token_type: 'Bearer',
					expires_in: 1800,
				},
			},
		};
		const result = await fetchThing('oAuth2', credentials, [{}, {}]);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		// One 401 with the stale token, one refresh_token grant (client auth in the Basic header), then the new token.
		const tokenCalls = api.calls('/token');
		expect(tokenCalls).toHaveLength(1);
		expect(Object.fromEntries(new URLSearchParams(tokenCalls[0].body))).toMatchObject({
			grant_type: 'refresh_token',
			refresh_token: 'refresh-0',
		});
		expect(api.calls('/thing').map((call) => [call.headers.authorization, call.status])).toEqual([
			['Bearer expired-token', 401],
			['Bearer access-1', 200],
			['Bearer access-1', 200],
		]);
		const after = result.credentialsAfter.fixtureOAuth2Api.oauthTokenData as Record<
			string,
			unknown
		>;
		expect(after).toMatchObject({
			access_token: 'access-1',
			refresh_token: 'refresh-1',
			token_type: 'Bearer',
		});
		expect(result.credentialEvents).toContainEqual({
			type: 'fixtureOAuth2Api',
			event: 'oauthTokenUpdated',
		});

		// The rotated refresh token is the one that works next time: feeding credentialsAfter back in succeeds.
		api.accessToken = 'access-revoked';
		const next = await fetchThing('oAuth2', result.credentialsAfter, [{}]);
		expect(next.error).toBeUndefined();
		expect(
			(next.credentialsAfter.fixtureOAuth2Api.oauthTokenData as Record<string, unknown>)
				.refresh_token,
		).toBe('refresh-2');
	});

	it('refreshes once when concurrent runs share one credential store (rotating refresh tokens survive)', async () => {
		const store = new CredentialStore({
			fixtureOAuth2Api: {
				baseUrl,
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
				oauthTokenData: {
					access_token: 'expired-token',
					refresh_token: 'refresh-0',
					token_type: 'Bearer',
				},
			},
		});
		const runs = await Promise.all(
			[0, 1, 2].map(async () => await fetchThing('oAuth2', store, [{}])),
		);
		expect(runs.map((run) => run.error)).toEqual([undefined, undefined, undefined]);
		expect(api.calls('/token')).toHaveLength(1);
		expect(store.snapshot().fixtureOAuth2Api.oauthTokenData).toMatchObject({
			access_token: 'access-1',
			refresh_token: 'refresh-1',
		});
	});

	it('fails with the token endpoint error when the refresh token was revoked', async () => {
		const credentials = {
			fixtureOAuth2Api: {
				baseUrl,
				clientId: CLIENT_ID,
				clientSecret: CLIENT_SECRET,
				oauthTokenData: {
					access_token: 'expired-token',
					refresh_token: 'stolen',
					token_type: 'Bearer',
				},
			},
		};
		const result = await fetchThing('oAuth2', credentials, [{}]);
		expect(result.error).toBeDefined();
		expect(result.items).toEqual([]);
		expect(
			(result.credentialsAfter.fixtureOAuth2Api.oauthTokenData as Record<string, unknown>)
				.refresh_token,
		).toBe('stolen');
	});

	it('runs preAuthentication once for an empty expirable token and again after a 401', async () => {
		const credentials = {
			fixtureSessionApi: { baseUrl, username: 'office', password: 'secret', sessionToken: '' },
		};
		const first = await fetchThing('session', credentials, [{}, {}]);
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(2);
		expect(api.loginCount).toBe(1);
		expect(first.credentialsAfter.fixtureSessionApi.sessionToken).toBe('session-1');
		expect(api.calls('/thing').map((call) => call.headers['x-session-token'])).toEqual([
			'session-1',
			'session-1',
		]);

		// The stored token is reused on the next execution; when the API expires it, n8n logs in again and retries.
		api.sessionToken = 'session-expired-on-server';
		api.log = [];
		const second = await fetchThing('session', first.credentialsAfter, [{}]);
		expect(second.error).toBeUndefined();
		expect(api.loginCount).toBe(2);
		expect(
			api.calls('/thing').map((call) => [call.headers['x-session-token'], call.status]),
		).toEqual([
			['session-1', 401],
			['session-2', 200],
		]);
		expect(second.credentialsAfter.fixtureSessionApi.sessionToken).toBe('session-2');
	});

	describe('per-item errors', () => {
		const items = [{ path: '/thing' }, { path: '/missing' }, { path: 'no-slash' }];
		const parameters = { authentication: 'apiKey', path: '={{ $json.path }}' };

		it('continueRegularOutput: error items stay in the main output, paired with their input', async () => {
			const result = await runNode('fixtureAction', parameters, items, apiKeyCredentials(), {
				types,
				node: { onError: 'continueRegularOutput' },
			});
			expect(result.error).toBeUndefined();
			expect(result.items.map((item) => item.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
			expect(result.items[0].json).toEqual({ id: 't1', item: '0' });
			expect(result.items[1].json.error).toMatch(
				/resource you are requesting could not be found|404/i,
			);
			expect(result.items[2].json.error).toBe('Path "no-slash" must start with "/"');
		});

		it('continueErrorOutput: error items are routed to the second output', async () => {
			const result = await runNode('fixtureAction', parameters, items, apiKeyCredentials(), {
				types,
				node: { onError: 'continueErrorOutput' },
			});
			expect(result.error).toBeUndefined();
			expect(result.outputs).toHaveLength(2);
			expect(result.outputs[0]).toEqual([
				{ json: { id: 't1', item: '0' }, pairedItem: { item: 0 } },
			]);
			expect(result.outputs[1].map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		});

		it('stopWorkflow (the default): the execution fails and names the item', async () => {
			const result = await runNode('fixtureAction', parameters, items, apiKeyCredentials(), {
				types,
			});
			expect(result.error).toBeDefined();
			expect(result.error?.message).toMatch(/could not be found|404/i);
			expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(1);
			expect(result.outputs).toEqual([]);
		});
	});
});

describe('pollOnce', () => {
	it('keeps the cursor in node static data across polls and returns null when nothing is new', async () => {
		api.events = [
			{ seq: 1, name: 'a' },
			{ seq: 2, name: 'b' },
			{ seq: 3, name: 'c' },
		];
		const credentials = apiKeyCredentials();
		const first = await pollOnce('fixturePollTrigger', { limit: 10 }, { credentials, types });
		expect(first.items.map((item) => item.json.seq)).toEqual([1, 2, 3]);
		expect(first.staticData).toEqual({ 'node:Node Under Test': { cursor: 3, polls: 1 } });

		const second = await pollOnce(
			'fixturePollTrigger',
			{ limit: 10 },
			{ credentials, types, staticData: first.staticData },
		);
		expect(second.outputs).toBeNull();
		expect(second.items).toEqual([]);

		api.events.push({ seq: 4, name: 'd' });
		const third = await pollOnce(
			'fixturePollTrigger',
			{ limit: 10 },
			{ credentials, types, staticData: second.staticData },
		);
		expect(third.items.map((item) => item.json.name)).toEqual(['d']);
		expect(third.staticData).toEqual({ 'node:Node Under Test': { cursor: 4, polls: 3 } });

		expect(
			api
				.calls('/events')
				.map((call) => [call.query.after, call.query.mode, call.headers['x-api-key']]),
		).toEqual([
			['0', 'trigger', 'key-1'],
			['3', 'trigger', 'key-1'],
			['3', 'trigger', 'key-1'],
		]);
	});

	it('reports the mode it was run in (manual = the editor fetching a test event)', async () => {
		await pollOnce(
			'fixturePollTrigger',
			{ limit: 1 },
			{ credentials: apiKeyCredentials(), types, mode: 'manual' },
		);
		expect(api.calls('/events')[0].query.mode).toBe('manual');
	});
});

describe('callWebhook', () => {
	const key = 'signing-key';
	// Spacing that JSON.stringify would not reproduce: the signature only matches the exact raw bytes.
	const rawBody = '{ "events": [ { "resourceId": "abc" } ],  "firstEventSequence": 1 }';
	const sign = (body: string) => createHmac('sha256', key).update(body).digest('base64');

	it('hands the exact raw body and headers to webhook() and returns its workflow data', async () => {
		const result = await callWebhook(
			'fixtureWebhookTrigger',
			{ signingKey: key },
			{
				headers: {
					'X-Signature': sign(rawBody),
					'Content-Type': 'application/json',
					'User-Agent': 'Sender/1.0',
				},
				rawBody,
				types,
			},
		);
		expect(result.items).toEqual([
			{
				json: {
					body: { events: [{ resourceId: 'abc' }], firstEventSequence: 1 },
					rawLength: Buffer.byteLength(rawBody),
					userAgent: 'Sender/1.0',
				},
			},
		]);
		expect(result.response).toMatchObject({ statusCode: 200, writtenBy: 'n8n' });
		expect(result.staticData).toEqual({ 'node:Node Under Test': { received: 1 } });
	});

	it('lets webhook() answer 401 itself and start nothing when the signature is wrong', async () => {
		const result = await callWebhook(
			'fixtureWebhookTrigger',
			{ signingKey: key },
			{ headers: { 'x-signature': sign(`${rawBody} `) }, rawBody, types },
		);
		expect(result.workflowData).toBeUndefined();
		expect(result.response).toEqual({ statusCode: 401, headers: {}, body: '', writtenBy: 'node' });
		expect(result.staticData).toEqual({});
	});
});

describe('callWebhook: body parsing like n8n', () => {
	const key = 'signing-key';
	const sign = (body: string) => createHmac('sha256', key).update(body).digest('base64');

	it('passes a text/plain body as a string and keeps the raw bytes', async () => {
		const rawBody = 'not json at all';
		const result = await callWebhook(
			'fixtureWebhookTrigger',
			{ signingKey: key },
			{
				headers: { 'content-type': 'text/plain; charset=utf-8', 'x-signature': sign(rawBody) },
				rawBody,
				types,
			},
		);
		expect(result.items[0].json).toMatchObject({ body: rawBody, rawLength: rawBody.length });
	});

	it('answers 422 without calling webhook() when a JSON body does not parse', async () => {
		const rawBody = '{"events": [';
		const result = await callWebhook(
			'fixtureWebhookTrigger',
			{ signingKey: key },
			{
				headers: { 'content-type': 'application/json', 'x-signature': sign(rawBody) },
				rawBody,
				types,
			},
		);
		expect(result.webhookCalled).toBe(false);
		expect(result.response.statusCode).toBe(422);
		expect(result.workflowData).toBeUndefined();
	});
});

describe('runWebhookMethod', () => {
	/** The fixture webhook trigger's `method`, with the node static data a previous method left. */
	const webhookMethod = async (
		method: Parameters<typeof runWebhookMethod>[1],
		staticData?: IDataObject,
	) =>
		await runWebhookMethod(
			'fixtureWebhookTrigger',
			method,
			{},
			{
				types,
				...(staticData ? { staticData } : {}),
			},
		);

	it('runs create / checkExists / delete with a hook context and node static data', async () => {
		const created = await webhookMethod('create');
		expect(created.result).toBe(true);
		const url = (created.staticData['node:Node Under Test'] as { webhookUrl: string }).webhookUrl;
		expect(url).toMatch(/^http:\/\/localhost:5678\/webhook\/.+\/webhook$/);

		const exists = await webhookMethod('checkExists', created.staticData);
		expect(exists.result).toBe(true);
		const deleted = await webhookMethod('delete', created.staticData);
		expect(deleted.staticData).toEqual({ 'node:Node Under Test': {} });
		const gone = await webhookMethod('checkExists', deleted.staticData);
		expect(gone.result).toBe(false);
	});
});

describe('loadOptions', () => {
	it('runs a loadOptions method with the node parameters and credentials', async () => {
		const options = await loadOptions(
			'fixtureAction',
			'getThings',
			{ authentication: 'apiKey' },
			apiKeyCredentials(),
			{
				types,
			},
		);
		expect(options).toEqual([
			{ name: 'First thing', value: 't1' },
			{ name: 'Second thing', value: 't2' },
		]);
	});

	it('runs a listSearch method with the typed filter', async () => {
		const found = await listSearch('fixtureAction', 'searchThings', {}, apiKeyCredentials(), {
			types,
			filter: 'second',
		});
		expect(found).toEqual({ results: [{ name: 'Second thing', value: 't2' }] });
	});
});
