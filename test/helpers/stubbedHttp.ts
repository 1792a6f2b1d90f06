/**
 * The fast per-operation tier (test/nodes/): one operation of one node runs through n8n-core's real execution
 * context (parameters, expressions, Continue On Fail, error output, pairedItem) exactly as in the sandbox tier, but
 * every HTTP request the node makes is answered by a table of routes in the test instead of a server. No ports, no
 * sandbox start-up: a file runs in well under a second, so a maintainer changing one operation gets an answer at
 * once. What the tier cannot prove (Xero's and Commusoft's own rules, paging over real data, tokens, throttling
 * against real limits) stays in the sandbox and real-n8n tiers; test/README.md says which tier proves what.
 *
 *   const http = stubHttp([
 *     route('GET', '/connections', () => ok([{ tenantId: T, tenantName: 'Demo', tenantType: 'ORGANISATION' }])),
 *     route('GET', /\/Invoices\/([^/]+)$/, (req, [id]) => ok({ Invoices: [{ InvoiceID: id }] })),
 *   ]);
 *   const run = await runStubbed(http, 'xeroAccounting', { resource: 'invoice', operation: 'get', ... }, items);
 *   run.items; run.outputs[1];  http.calls  // every request: method, path, query, body, headers
 *
 * The stub stands in for n8n's `httpRequestWithAuthentication` / `httpRequest` helpers, the one place the
 * package's transports reach the network. A request no route answers fails the test naming it, so a new call an
 * operation starts making is noticed.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IVersionedNodeType,
} from 'n8n-workflow';

import {
	loadPackageTypes,
	runNode,
	type PackageTypes,
	type RunNodeOptions,
	type RunNodeResult,
} from './n8nCore';

/** One request as the node sent it. */
export interface StubbedRequest {
	method: string;
	/** The URL's path (no origin, no query string). */
	path: string;
	url: string;
	query: IDataObject;
	body: unknown;
	headers: IDataObject;
	credentialType: string | undefined;
}

export interface StubbedReply {
	statusCode: number;
	body?: unknown;
	headers?: IDataObject;
}

type Reply = (request: StubbedRequest, match: string[]) => StubbedReply | Promise<StubbedReply>;

export interface StubRoute {
	method: string;
	path: string | RegExp;
	reply: Reply;
}

export const ok = (body: unknown, headers: IDataObject = {}): StubbedReply => ({
	statusCode: 200,
	body,
	headers,
});

export const status = (statusCode: number, body: unknown = {}, headers: IDataObject = {}) => ({
	statusCode,
	body,
	headers,
});

/** A route: `path` is matched against the whole path (string: ends with it; RegExp: its captures are passed on). */
export function route(method: string, path: string | RegExp, reply: Reply): StubRoute {
	return { method: method.toUpperCase(), path, reply };
}

export interface StubbedHttp {
	calls: StubbedRequest[];
	/** Adds routes in front of the existing ones (a later, more specific answer wins). */
	use(...routes: StubRoute[]): void;
	answer(request: StubbedRequest): Promise<StubbedReply>;
}

export function stubHttp(routes: StubRoute[]): StubbedHttp {
	const table = [...routes];
	const calls: StubbedRequest[] = [];
	return {
		calls,
		use: (...more) => table.unshift(...more),
		async answer(request) {
			calls.push(request);
			for (const candidate of table) {
				if (candidate.method !== request.method) continue;
				if (typeof candidate.path === 'string') {
					if (request.path.endsWith(candidate.path)) return await candidate.reply(request, []);
					continue;
				}
				const match = candidate.path.exec(request.path);
				if (match) return await candidate.reply(request, match.slice(1));
			}
			throw new Error(
				`No stubbed route answers ${request.method} ${request.url} (query ${JSON.stringify(request.query)})`,
			);
		},
	};
}

function toRequest(options: IHttpRequestOptions, credentialType?: string): StubbedRequest {
	const url = new URL(options.url, options.baseURL ?? 'http://stub.invalid');
	const query: IDataObject = { ...(options.qs ?? {}) };
	for (const [key, value] of url.searchParams) query[key] = value;
	return {
		method: (options.method ?? 'GET').toUpperCase(),
		path: decodeURIComponent(url.pathname),
		url: url.toString(),
		query,
		body: options.body,
		headers: { ...(options.headers ?? {}) },
		credentialType,
	};
}

/**
 * What n8n's request helper returns for these options: the full response when asked for it, the body otherwise;
 * a non-2xx status throws unless `ignoreHttpStatusErrors` lets it through (as n8n-core does).
 */
function asN8nResponse(options: IHttpRequestOptions, reply: StubbedReply): unknown {
	const headers = Object.fromEntries(
		Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
	);
	const ignore = options.ignoreHttpStatusErrors;
	const ignored =
		ignore === true ||
		(typeof ignore === 'object' &&
			ignore !== null &&
			(ignore as { ignore?: boolean; except?: number[] }).ignore === true &&
			!((ignore as { except?: number[] }).except ?? []).includes(reply.statusCode));
	if ((reply.statusCode < 200 || reply.statusCode >= 300) && !ignored) {
		const error = new Error(`Request failed with status code ${reply.statusCode}`) as Error &
			IDataObject;
		error.response = { status: reply.statusCode, data: reply.body, headers };
		error.httpCode = String(reply.statusCode);
		throw error;
	}
	return options.returnFullResponse
		? { statusCode: reply.statusCode, statusMessage: '', headers, body: reply.body ?? {} }
		: reply.body;
}

let current: StubbedHttp | undefined;
let typesWithStub: Promise<PackageTypes> | undefined;

function stubbedContext(ctx: IExecuteFunctions): IExecuteFunctions {
	const answer = async (options: IHttpRequestOptions, credentialType?: string) => {
		if (!current) throw new Error('stubbedHttp: no stub is active');
		return asN8nResponse(options, await current.answer(toRequest(options, credentialType)));
	};
	const helpers = new Proxy(ctx.helpers, {
		get(target, key, receiver) {
			if (key === 'httpRequestWithAuthentication')
				return async (credentialType: string, options: IHttpRequestOptions) =>
					await answer(options, credentialType);
			if (key === 'httpRequest')
				return async (options: IHttpRequestOptions) => await answer(options);
			return Reflect.get(target, key, receiver) as unknown;
		},
	});
	return new Proxy(ctx, {
		get(target, key) {
			if (key === 'helpers') return helpers;
			const value = Reflect.get(target, key, target) as unknown;
			return typeof value === 'function'
				? (value as (...a: unknown[]) => unknown).bind(target)
				: value;
		},
	});
}

/** The package's node types, each `execute` running against the active stub instead of the network. */
async function stubbedTypes(): Promise<PackageTypes> {
	typesWithStub ??= loadPackageTypes().then((types) => {
		for (const type of types.nodes.values()) {
			const versions: INodeType[] =
				'nodeVersions' in type ? Object.values((type as IVersionedNodeType).nodeVersions) : [type];
			for (const version of versions) {
				const original = version.execute;
				if (!original) continue;
				version.execute = async function (this: IExecuteFunctions) {
					return await original.call(stubbedContext(this));
				};
			}
		}
		return types;
	});
	return await typesWithStub;
}

/** `runNode` (test/helpers/n8nCore.ts) with every HTTP request answered by `http`. */
export async function runStubbed(
	http: StubbedHttp,
	nodeType: string,
	parameters: INodeParameters,
	items: INodeExecutionData[] | IDataObject[] = [{ json: {} }],
	credentials: Record<string, IDataObject> = {},
	options: RunNodeOptions = {},
): Promise<RunNodeResult> {
	current = http;
	try {
		return await runNode(nodeType, parameters, items, credentials as never, {
			...options,
			types: await stubbedTypes(),
		});
	} finally {
		current = undefined;
	}
}

/** Credentials that point both nodes at hosts nobody can reach: the stub answers before any socket opens. */
export const STUB_CREDENTIALS = {
	xeroAccountingOAuth2Api: {
		environment: 'custom',
		customBaseUrl: 'http://xero.stub.invalid',
		clientId: 'stub-client',
		clientSecret: 'stub-secret',
		oauthTokenData: {
			access_token: 'stub-token',
			refresh_token: 'stub-refresh',
			token_type: 'Bearer',
		},
	},
	commusoftApi: {
		baseUrl: 'http://commusoft.stub.invalid/api/v1',
		clientId: 'demo-client',
		applicationId: 'demo-app',
		username: 'office@demo.test',
		password: 'stub-password',
		authMode: 'header',
		reloginStatusCodes: '401',
		token: 'stub-session-token',
	},
};
