/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The local Xero: a node:http server following Xero's documented rules (docs/xero-rules.md).
// Surfaces on one origin (ARCHITECTURE.md): OAuth2 (`/identity/connect/authorize`, `/connect/token`),
// `/connections`, the Accounting API under `/api.xro/2.0`, and the inspection API under `/__sandbox/`.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
	BodyTooLargeError,
	header,
	parseQuery,
	readRawBody,
	seededRandom,
	seededUuid,
	sendJson,
	sendRaw,
} from '../shared/http';
import { ApiContext, ApiError, ApiResult, NOT_FOUND_TEXT } from './api';
import { SandboxClock, msDate } from './clock';
import * as contacts from './contacts';
import * as creditNotes from './creditNotes';
import { FaultInjector, faultsFromEnv } from './faults';
import { IdempotencyStore, MAX_KEY_LENGTH, type StoredResponse } from './idempotency';
import * as invoices from './invoices';
import { RateLimiter } from './limits';
import {
	consentPage,
	escapeHtml,
	KNOWN_SCOPES,
	OAuthError,
	OAuthServer,
	SCOPE_COVERAGE,
	type OAuthClient,
	type OAuthSettings,
	type TokenGrant,
	type TokenResponse,
} from './oauth';
import { validateRequest, validateResponse } from './openapi';
import * as payments from './payments';
import { buildTenant, DEFAULT_TENANTS, type TenantSeedSpec } from './seed';
import * as settings from './settings';
import type {
	CallLogEntry,
	FaultConfig,
	RateLimits,
	TenantState,
	WebhookSink,
	XeroWebhookEvent,
} from './types';

export const DEFAULT_CLIENT: OAuthClient = {
	clientId: 'sandbox-client-id',
	clientSecret: 'sandbox-client-secret',
};
export const ALL_SCOPES = [
	'openid',
	'profile',
	'email',
	'offline_access',
	'accounting.transactions',
	'accounting.contacts',
	'accounting.settings',
	'accounting.reports.read',
];
const API_PREFIX = '/api.xro/2.0';
const MAX_BODY_BYTES = 3.5 * 1024 * 1024; // docs/xero-rules.md §2.1
const MAX_URL_LENGTH = 2048;

export interface XeroSandboxOptions {
	port?: number;
	host?: string;
	seed?: number;
	tenants?: TenantSeedSpec[];
	clients?: OAuthClient[];
	accessTokenLifetimeSec?: number;
	refreshGraceSec?: number;
	refreshTokenLifetimeSec?: number;
	limits?: Partial<RateLimits>;
	timeScale?: number;
	faults?: FaultConfig;
	trackingOptionCap?: number;
	/** 'throw' (default): a response failing the spec is a sandbox bug → 500 + logged; 'warn': logged only. */
	validateResponses?: 'throw' | 'warn' | 'off';
	maxBodyBytes?: number;
	webhook?: { url: string; signingKey: string };
	log?: (message: string) => void;
}

export interface CallStats {
	total: number;
	byEndpoint: Record<string, number>;
	byTenant: Record<string, number>;
	byStatus: Record<string, number>;
	rateLimited: number;
	idempotentReplays: number;
	faults: Record<string, number>;
}

type Handler = (ctx: ApiContext) => ApiResult;
interface Route {
	method: string;
	pattern: RegExp;
	spec: string;
	area: keyof typeof SCOPE_COVERAGE;
	handler: Handler;
}

const SEG = '([^/]+)';
/** A route is declared by its spec path template, which also selects the response schema. */
function route(method: string, spec: string, area: Route['area'], handler: Handler): Route {
	const p = spec.replace(/\{[^}]+\}/g, SEG).replace(/\./g, '\\.');
	return { method, pattern: new RegExp(`^${p}/?$`, 'i'), spec, area, handler };
}

const ROUTES: Route[] = [
	route('GET', '/Invoices', 'invoices', invoices.getInvoices),
	route('PUT', '/Invoices', 'invoices', invoices.putInvoices),
	route('POST', '/Invoices', 'invoices', invoices.postInvoices),
	route('GET', '/Invoices/{InvoiceID}', 'invoices', invoices.getInvoice),
	route('POST', '/Invoices/{InvoiceID}', 'invoices', invoices.postInvoiceById),
	route('GET', '/CreditNotes', 'invoices', creditNotes.getCreditNotes),
	route('PUT', '/CreditNotes', 'invoices', creditNotes.putCreditNotes),
	route('POST', '/CreditNotes', 'invoices', creditNotes.postCreditNotes),
	route('GET', '/CreditNotes/{CreditNoteID}', 'invoices', creditNotes.getCreditNote),
	route('POST', '/CreditNotes/{CreditNoteID}', 'invoices', creditNotes.postCreditNoteById),
	route('PUT', '/CreditNotes/{CreditNoteID}/Allocations', 'invoices', creditNotes.putAllocations),
	route(
		'DELETE',
		'/CreditNotes/{CreditNoteID}/Allocations/{AllocationID}',
		'invoices',
		creditNotes.deleteAllocation,
	),
	route('GET', '/Contacts', 'contacts', contacts.getContacts),
	route('PUT', '/Contacts', 'contacts', contacts.putContacts),
	route('POST', '/Contacts', 'contacts', contacts.postContacts),
	route('GET', '/Contacts/{ContactID}', 'contacts', contacts.getContact),
	route('POST', '/Contacts/{ContactID}', 'contacts', contacts.postContactById),
	route('GET', '/Payments', 'payments', payments.getPayments),
	route('PUT', '/Payments', 'payments', payments.putPayments),
	route('POST', '/Payments', 'payments', payments.postPayments),
	route('GET', '/Payments/{PaymentID}', 'payments', payments.getPayment),
	route('POST', '/Payments/{PaymentID}', 'payments', payments.deletePayment),
	route('GET', '/BatchPayments', 'payments', payments.getBatchPayments),
	route('PUT', '/BatchPayments', 'payments', payments.putBatchPayments),
	route('POST', '/BatchPayments', 'payments', payments.postBatchPayments),
	route('GET', '/BatchPayments/{BatchPaymentID}', 'payments', payments.getBatchPayment),
	route('GET', '/Accounts', 'settings', settings.getAccounts),
	route('PUT', '/Accounts', 'settings', settings.putAccount),
	route('GET', '/Accounts/{AccountID}', 'settings', settings.getAccount),
	route('POST', '/Accounts/{AccountID}', 'settings', settings.postAccount),
	route('GET', '/TaxRates', 'settings', settings.getTaxRates),
	route('GET', '/Organisation', 'settings', settings.getOrganisation),
	route('GET', '/TrackingCategories', 'settings', settings.getTrackingCategories),
	route('PUT', '/TrackingCategories', 'settings', settings.putTrackingCategory),
	route(
		'GET',
		'/TrackingCategories/{TrackingCategoryID}',
		'settings',
		settings.getTrackingCategory,
	),
	route(
		'POST',
		'/TrackingCategories/{TrackingCategoryID}',
		'settings',
		settings.postTrackingCategory,
	),
	route(
		'DELETE',
		'/TrackingCategories/{TrackingCategoryID}',
		'settings',
		settings.deleteTrackingCategory,
	),
	route(
		'PUT',
		'/TrackingCategories/{TrackingCategoryID}/Options',
		'settings',
		settings.putTrackingOptions,
	),
	route(
		'POST',
		'/TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}',
		'settings',
		settings.postTrackingOption,
	),
	route(
		'DELETE',
		'/TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}',
		'settings',
		settings.deleteTrackingOption,
	),
	route('GET', '/Items', 'items', settings.getItems),
	route('GET', '/Items/{ItemID}', 'items', settings.getItem),
	route('GET', '/Reports/AgedReceivablesByContact', 'reports', settings.getAgedReceivables),
];

/** Every Accounting API operation the sandbox serves, as "METHOD /spec/path" (tests enumerate the writes). */
export const SANDBOX_ENDPOINTS: readonly string[] = ROUTES.map((r) => `${r.method} ${r.spec}`);

export interface XeroSandbox {
	url: string;
	port: number;
	/** Tenants in creation order; the first is "Demo Plumbing & Heating Ltd". */
	tenants(): { tenantId: string; name: string }[];
	readonly defaultTenantId: string;
	state(tenantId?: string): TenantState;
	reset(seed?: number): void;
	addTenant(name: string, data?: TenantSeedSpec['data']): string;
	issueToken(opts?: {
		tenantIds?: string[];
		scopes?: string[];
		lifetimeSec?: number;
		clientId?: string;
	}): TokenResponse;
	calls(): CallLogEntry[];
	callStats(): CallStats;
	clearCalls(): void;
	setFaults(config: FaultConfig): void;
	getFaults(): FaultConfig;
	setLimits(limits: Partial<RateLimits>): void;
	getLimits(): RateLimits;
	setTimeScale(scale: number): void;
	/** Token lifetimes at run time (seconds): access token, refresh grace period, unused refresh token. */
	setOAuthSettings(settings: Partial<OAuthSettings>): OAuthSettings;
	advanceClock(ms: number): void;
	now(): number;
	setWebhookSink(sink: WebhookSink | null): void;
	configureWebhooks(opts: { url: string; signingKey: string } | null): Promise<unknown>;
	events(): XeroWebhookEvent[];
	schemaErrors(): { path: string; status: number; errors: string[] }[];
	close(): Promise<void>;
}

function problem(status: number, title: string, detail: string): Record<string, unknown> {
	return {
		Type: null,
		Title: title,
		Status: status,
		Detail: detail,
		Instance: randomUUID(),
		Extensions: {},
	};
}

export async function startXeroSandbox(options: XeroSandboxOptions = {}): Promise<XeroSandbox> {
	const log = options.log ?? ((m: string) => process.stderr.write(`[xero-sandbox] ${m}\n`));
	const clock = new SandboxClock();
	clock.timeScale = options.timeScale ?? 1;
	const oauth = new OAuthServer(clock, {
		accessTokenLifetimeSec: options.accessTokenLifetimeSec ?? 1800,
		refreshGraceSec: options.refreshGraceSec ?? 1800,
		refreshTokenLifetimeSec: options.refreshTokenLifetimeSec ?? 60 * 86_400,
		authCodeLifetimeSec: 300,
	});
	for (const c of options.clients ?? [DEFAULT_CLIENT]) oauth.registerClient(c);
	const limiter = new RateLimiter(clock);
	Object.assign(limiter.limits, options.limits ?? {});
	const faults = new FaultInjector();
	const envFaults = faultsFromEnv(process.env.SANDBOX_FAULTS);
	faults.set(options.faults ?? envFaults ?? {});
	const idempotency = new IdempotencyStore(clock);
	const validateMode = options.validateResponses ?? 'throw';
	const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
	const trackingOptionCap = options.trackingOptionCap ?? 100;

	let seed = options.seed ?? 1;
	let tenantSpecs = [...(options.tenants ?? DEFAULT_TENANTS)];
	let tenants = new Map<string, TenantState>();
	let idRandom = seededRandom(seed * 31 + 7);
	const seedState = () => {
		tenants = new Map();
		tenantSpecs.forEach((spec, i) => {
			const t = buildTenant(spec, seed, i);
			tenants.set(t.tenantId, t);
		});
		idRandom = seededRandom(seed * 31 + 7);
	};
	seedState();

	const log_: CallLogEntry[] = [];
	const emitted: XeroWebhookEvent[] = [];
	const schemaErrors: { path: string; status: number; errors: string[] }[] = [];
	let sink: WebhookSink | null = null;
	const hangingSockets = new Set<Socket>();
	let baseUrl = '';

	// ---------- helpers ----------

	const record = (entry: CallLogEntry) => {
		log_.push(entry);
		if (log_.length > 50_000) log_.splice(0, log_.length - 50_000);
	};

	const deliver = (events: XeroWebhookEvent[]) => {
		if (!events.length) return;
		emitted.push(...events);
		if (sink) {
			try {
				sink.emit(events);
			} catch (error) {
				log(`webhook sink failed: ${(error as Error).message}`);
			}
		}
	};

	const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

	// ---------- OAuth and connections ----------

	async function handleAuthorize(
		req: IncomingMessage,
		res: ServerResponse,
		url: URL,
	): Promise<void> {
		let params = url.searchParams;
		if (req.method === 'POST')
			params = new URLSearchParams((await readRawBody(req, 64 * 1024)).toString('utf8'));
		const clientId = params.get('client_id') ?? '';
		const redirectUri = params.get('redirect_uri') ?? '';
		const page = (status: number, text: string) =>
			sendRaw(
				res,
				status,
				`<!doctype html><html><body><h1>Xero sandbox</h1><p>${escapeHtml(text)}</p></body></html>`,
				{ 'Content-Type': 'text/html; charset=utf-8' },
			);
		if (!oauth.clients.has(clientId))
			return page(400, 'Error: unauthorized_client (unknown client_id)');
		if (!/^https?:\/\//i.test(redirectUri)) return page(400, 'Error: invalid redirect_uri');
		const back = (query: Record<string, string>) => {
			const target = new URL(redirectUri);
			for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
			const state = params.get('state');
			if (state !== null) target.searchParams.set('state', state);
			res.writeHead(302, { Location: target.toString(), 'Content-Length': '0' });
			res.end();
		};
		if (params.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
		const scopes = (params.get('scope') ?? '').split(/\s+/).filter(Boolean);
		const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
		if (!scopes.length || unknown.length)
			return back({
				error: 'invalid_scope',
				error_description: `Unknown scope: ${unknown.join(' ')}`,
			});
		const challenge = params.get('code_challenge') ?? undefined;
		const method = params.get('code_challenge_method') ?? (challenge ? 'plain' : undefined);
		if (challenge && method !== 'S256' && method !== 'plain')
			return back({
				error: 'invalid_request',
				error_description: 'code_challenge_method must be S256',
			});
		if (req.method !== 'POST') {
			const list = [...tenants.values()].map((t) => ({
				tenantId: t.tenantId,
				name: t.organisation.Name,
			}));
			const forward = new URLSearchParams(
				[...params.entries()].filter(([k]) => k !== 'tenant' && k !== 'decision'),
			);
			return sendRaw(res, 200, consentPage(forward, list, clientId), {
				'Content-Type': 'text/html; charset=utf-8',
			});
		}
		if (params.get('decision') !== 'allow') return back({ error: 'access_denied' });
		const chosen = params.getAll('tenant').filter((id) => tenants.has(id));
		if (!chosen.length)
			return back({ error: 'access_denied', error_description: 'No organisation selected' });
		const grant: TokenGrant = { clientId, tenantIds: chosen, scopes, authEventId: randomUUID() };
		back({
			code: oauth.createCode(grant, redirectUri, challenge, method),
			scope: scopes.join(' '),
		});
	}

	async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const form = new URLSearchParams((await readRawBody(req, 64 * 1024)).toString('utf8'));
		try {
			sendJson(res, 200, oauth.token(header(req, 'authorization'), form), {
				'Cache-Control': 'no-store',
			});
		} catch (error) {
			if (!(error instanceof OAuthError)) throw error;
			sendJson(res, error.status, { error: error.error, error_description: error.description });
		}
	}

	async function handleRevocation(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const form = new URLSearchParams((await readRawBody(req, 64 * 1024)).toString('utf8'));
		try {
			oauth.revoke(header(req, 'authorization'), form);
			sendRaw(res, 200, '');
		} catch (error) {
			if (!(error instanceof OAuthError)) throw error;
			sendJson(res, error.status, { error: error.error, error_description: error.description });
		}
	}

	function handleConnections(req: IncomingMessage, res: ServerResponse, url: URL): void {
		// In the call log like API calls, so tests see the /connections calls (credential test, tenant look-ups).
		const started = Date.now();
		const method = req.method ?? 'GET';
		res.once('finish', () =>
			record({
				at: clock.now(),
				method,
				path: url.pathname,
				endpoint: `${method} /connections`,
				status: res.statusCode,
				ms: Date.now() - started,
			}),
		);
		const decision = limiter.acquireApp();
		const headers = decision.headers;
		const auth = oauth.check(header(req, 'authorization'));
		if (!auth.grant) {
			const detail = auth.expiredAt
				? `TokenExpired: token expired at ${new Date(auth.expiredAt).toUTCString()}`
				: 'AuthenticationUnsuccessful';
			return sendJson(res, 401, problem(401, 'Unauthorized', detail), headers);
		}
		if (!decision.ok)
			return sendRaw(res, 429, '', { ...headers, 'X-Rate-Limit-Problem': 'appminute' });
		const grant = auth.grant;
		const del = /^\/connections\/([^/]+)$/.exec(url.pathname);
		if (req.method === 'DELETE' && del) {
			return oauth.revokeConnection(grant.clientId, del[1])
				? sendRaw(res, 204, '', headers)
				: sendRaw(res, 404, NOT_FOUND_TEXT, headers);
		}
		if (req.method !== 'GET' || url.pathname.replace(/\/$/, '') !== '/connections')
			return sendRaw(res, 404, NOT_FOUND_TEXT, headers);
		const list = grant.tenantIds
			.filter((id) => tenants.has(id) && oauth.connections.has(`${grant.clientId}|${id}`))
			.map((id) => {
				const c = oauth.connections.get(`${grant.clientId}|${id}`)!;
				return {
					id: c.id,
					authEventId: c.authEventId,
					tenantId: id,
					tenantType: 'ORGANISATION',
					tenantName: tenants.get(id)!.organisation.Name,
					createdDateUtc: c.createdDateUtc,
					updatedDateUtc: c.updatedDateUtc,
				};
			});
		sendJson(res, 200, list, headers);
	}

	// ---------- Accounting API ----------

	async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const started = Date.now();
		const method = (req.method ?? 'GET').toUpperCase();
		const apiPath = url.pathname.slice(API_PREFIX.length) || '/';
		const found = ROUTES.map((r) => ({ r, m: r.pattern.exec(apiPath) })).filter((x) => x.m);
		const match = found.find((x) => x.r.method === method);
		// `GET /Contacts/{ContactNumber}` is its own spec path (docs/xero-rules.md §5.1).
		const specPath =
			match &&
			match.r.spec === '/Contacts/{ContactID}' &&
			method === 'GET' &&
			!/^[0-9a-f-]{36}$/i.test(match.m![1])
				? '/Contacts/{ContactNumber}'
				: match?.r.spec;
		const endpoint = match ? `${method} ${specPath}` : `${method} (unknown)`;
		const entry: CallLogEntry = {
			at: clock.now(),
			method,
			path: url.pathname + url.search,
			endpoint,
			status: 0,
			ms: 0,
		};
		let headers: Record<string, string> = limiter.appHeaders();
		let acquiredTenant: string | undefined;
		const finish = (
			status: number,
			body: string,
			contentType: string,
			extra: Record<string, string> = {},
		) => {
			entry.status = status;
			entry.ms = Date.now() - started;
			record(entry);
			sendRaw(res, status, body, {
				...headers,
				...extra,
				...(body ? { 'Content-Type': contentType } : {}),
			});
		};
		const json = (status: number, body: unknown, extra?: Record<string, string>) => {
			// Pre-handler 400s (malformed JSON, Idempotency-Key refusals) are Xero `Error` bodies: checked too.
			if (status === 400 && specPath && validateMode !== 'off') {
				const check = validateResponse(specPath, method, status, body);
				if (!check.ok) schemaErrors.push({ path: endpoint, status, errors: check.errors });
			}
			finish(status, JSON.stringify(body), 'application/json; charset=utf-8', extra);
		};
		try {
			// Body first: size limit and (for PUT/POST) JSON parse; xero-node sends `{}` on GET, which is tolerated.
			let raw: Buffer;
			try {
				raw = await readRawBody(req, maxBody);
			} catch (error) {
				if (error instanceof BodyTooLargeError) {
					return json(
						413,
						{
							ErrorNumber: 413,
							Type: 'RequestEntityTooLarge',
							Message: `The request body exceeds the ${maxBody} byte limit.`,
						},
						{ Connection: 'close' },
					);
				}
				throw error;
			}
			// Xero answers 404 to over-long request URLs, e.g. 53 GUIDs in IDs (XeroAPI/Xero-Java#328, docs/xero-rules.md §3.6).
			if ((req.url ?? '').length > MAX_URL_LENGTH)
				return finish(404, NOT_FOUND_TEXT, 'text/plain; charset=utf-8');
			if (!match) {
				return found.length
					? finish(405, 'Method Not Allowed', 'text/plain; charset=utf-8')
					: finish(404, NOT_FOUND_TEXT, 'text/plain; charset=utf-8');
			}
			let params: string[];
			try {
				params = match.m!.slice(1).map(decodeURIComponent);
			} catch {
				return finish(404, NOT_FOUND_TEXT, 'text/plain; charset=utf-8'); // malformed %-encoding
			}
			// Auth: bearer token, then tenant, then scope (docs/xero-rules.md §8.4).
			const auth = oauth.check(header(req, 'authorization'));
			if (!auth.grant) {
				const detail = auth.expiredAt
					? `TokenExpired: token expired at ${new Date(auth.expiredAt).toUTCString()}`
					: 'AuthenticationUnsuccessful';
				return json(401, problem(401, 'Unauthorized', detail), { 'WWW-Authenticate': 'Bearer' });
			}
			const grant = auth.grant;
			const tenantId = (header(req, 'xero-tenant-id') ?? '').trim().toLowerCase();
			const tenant = tenants.get(tenantId);
			if (!tenant || !grant.tenantIds.includes(tenantId))
				return json(403, problem(403, 'Forbidden', 'AuthenticationUnsuccessful'));
			entry.tenantId = tenantId;
			const coverage = SCOPE_COVERAGE[match.r.area];
			const needed = method === 'GET' ? coverage.read : coverage.write;
			if (!grant.scopes.some((s) => needed.includes(s)))
				return json(401, problem(401, 'Unauthorized', 'AuthorizationUnsuccessful'));
			// Rate limits (§1).
			const decision = limiter.acquire(tenantId);
			headers = decision.headers;
			if (!decision.ok) {
				entry.rateLimitProblem = decision.problem;
				const extra: Record<string, string> = { 'X-Rate-Limit-Problem': decision.problem! };
				if (decision.retryAfterSec !== undefined)
					extra['Retry-After'] = String(decision.retryAfterSec);
				return finish(429, '', 'text/plain', extra);
			}
			acquiredTenant = tenantId;
			// Faults (deterministic from the seed).
			const fault = faults.decide(apiPath);
			if (fault.latencyMs) await sleep(fault.latencyMs);
			if (fault.kind !== 'none')
				entry.fault = fault.kind === 'error' ? String(fault.status) : fault.kind;
			switch (fault.kind) {
				case 'down':
					return finish(
						503,
						'Service Unavailable: the Xero API is down (sandbox fault)',
						'text/plain; charset=utf-8',
					);
				case 'burst429':
					entry.rateLimitProblem = 'minute';
					return finish(429, '', 'text/plain', {
						'X-Rate-Limit-Problem': 'minute',
						'Retry-After': '1',
					});
				case 'error':
					return json(
						fault.status,
						problem(
							fault.status,
							fault.status === 500 ? 'Internal Server Error' : 'Service Unavailable',
							'Sandbox fault injection',
						),
					);
				case 'reset':
					entry.status = 0;
					entry.ms = Date.now() - started;
					record(entry);
					req.socket.destroy();
					return;
				case 'timeout':
					entry.status = 0;
					record(entry);
					hangingSockets.add(req.socket);
					req.socket.once('close', () => hangingSockets.delete(req.socket));
					{
						const hangMs = faults.get().timeoutHangMs;
						if (hangMs !== undefined) setTimeout(() => req.socket.destroy(), hangMs).unref();
					}
					return; // never answers
			}
			// JSON body.
			let body: unknown;
			const text = raw.toString('utf8').trim();
			if (text && method !== 'GET' && method !== 'DELETE') {
				try {
					body = JSON.parse(text);
				} catch {
					return json(400, {
						ErrorNumber: 14,
						Type: 'PostDataInvalidException',
						Message: 'Invalid Json data',
					});
				}
			}
			// Idempotency-Key (§2.3).
			const key = header(req, 'idempotency-key');
			if (key !== undefined) entry.idempotencyKey = key;
			let idemScope: string | undefined;
			if (key !== undefined && (method === 'PUT' || method === 'POST')) {
				if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
					return json(400, {
						ErrorNumber: 10,
						Type: 'ValidationException',
						Message: `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} characters.`,
						Elements: [],
					});
				}
				idemScope = grant.clientId;
				const found_ = idempotency.lookup(
					idemScope,
					key,
					IdempotencyStore.fingerprint(method, url.pathname + url.search, tenantId, raw),
				);
				if (found_.kind === 'conflict') {
					return json(400, {
						ErrorNumber: 10,
						Type: 'ValidationException',
						Message: `Idempotency-Key ${key} is used with a different request.`,
						Elements: [],
					});
				}
				if (found_.kind === 'inflight')
					return json(
						409,
						problem(
							409,
							'Conflict',
							`A request with Idempotency-Key ${key} is still being processed.`,
						),
					);
				if (found_.kind === 'replay') {
					entry.idempotentReplay = true;
					return finish(
						found_.response.status,
						found_.response.body,
						found_.response.headers['Content-Type'] ?? 'application/json; charset=utf-8',
					);
				}
			}
			const pending: XeroWebhookEvent[] = [];
			const now = clock.now();
			const ims = header(req, 'if-modified-since');
			// A zone-less ISO timestamp means UTC at Xero (JS would read it as local time).
			const imsMs = ims
				? Date.parse(/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(ims.trim()) ? `${ims.trim()}Z` : ims)
				: NaN;
			const ctx: ApiContext = {
				tenant,
				query: parseQuery(url),
				body,
				params,
				now,
				newId: () => seededUuid(idRandom),
				clientId: grant.clientId,
				ifModifiedSince: Number.isNaN(imsMs) ? undefined : imsMs,
				trackingOptionCap,
				emit: (eventCategory, eventType, resourceId) => {
					const kind = eventCategory === 'INVOICE' ? 'Invoices' : 'Contacts';
					const dup = pending.find(
						(e) => e.resourceId === resourceId && e.eventCategory === eventCategory,
					);
					if (dup) return;
					pending.push({
						resourceId,
						resourceUrl: `${baseUrl}${API_PREFIX}/${kind}/${resourceId}`,
						eventDateUtc: new Date(now).toISOString().slice(0, 23),
						eventType,
						eventCategory,
						tenantId,
						tenantType: 'ORGANISATION',
					});
				},
			};
			let result: ApiResult;
			// The body must follow the operation's documented schema, undocumented fields refused (README).
			const bodyCheck =
				method === 'PUT' || method === 'POST'
					? validateRequest(specPath!, method, body)
					: { ok: true, errors: [] };
			if (!bodyCheck.ok) {
				entry.requestErrors = bodyCheck.errors;
				result = {
					status: 400,
					body: {
						ErrorNumber: 10,
						Type: 'ValidationException',
						Message: `The request body does not follow the documented ${bodyCheck.schema ?? 'request'} schema`,
						Elements: [{ ValidationErrors: bodyCheck.errors.map((Message) => ({ Message })) }],
					},
				};
			} else {
				try {
					result = match.r.handler(ctx);
				} catch (error) {
					if (!(error instanceof ApiError)) throw error;
					result = { status: error.status, body: error.body, text: error.text };
				}
			}
			deliver(pending);
			let response: StoredResponse;
			if (result.text !== undefined) {
				response = {
					status: result.status,
					headers: { 'Content-Type': 'text/plain; charset=utf-8' },
					body: result.text,
				};
			} else {
				let outBody = result.body;
				if (
					result.status === 200 &&
					outBody &&
					typeof outBody === 'object' &&
					!Array.isArray(outBody)
				) {
					outBody = {
						Id: randomUUID(),
						Status: 'OK',
						ProviderName: grant.clientId,
						DateTimeUTC: msDate(now),
						...(outBody as object),
					};
				}
				if (validateMode !== 'off') {
					const check = validateResponse(specPath!, method, result.status, outBody);
					if (!check.ok) {
						schemaErrors.push({ path: endpoint, status: result.status, errors: check.errors });
						log(
							`response for ${endpoint} fails schema ${check.schema}: ${check.errors.join('; ')}`,
						);
						if (validateMode === 'throw') {
							outBody = problem(
								500,
								'Sandbox response failed the OpenAPI schema',
								`${check.schema}: ${check.errors.join('; ')}`,
							);
							result = { status: 500, body: outBody };
						}
					}
				}
				response = {
					status: result.status,
					headers: { 'Content-Type': 'application/json; charset=utf-8' },
					body: JSON.stringify(outBody),
				};
			}
			if (idemScope && key) idempotency.store(idemScope, key, response);
			finish(response.status, response.body, response.headers['Content-Type']);
		} catch (error) {
			log(`internal error on ${endpoint}: ${(error as Error).stack ?? error}`);
			if (!res.headersSent)
				json(
					500,
					problem(
						500,
						'Internal Server Error',
						'The sandbox hit an unexpected error; see its log.',
					),
				);
		} finally {
			if (acquiredTenant) limiter.release(acquiredTenant);
		}
	}

	// ---------- inspection (/__sandbox/) ----------

	const api: XeroSandbox = {
		url: '',
		port: 0,
		tenants: () =>
			[...tenants.values()].map((t) => ({ tenantId: t.tenantId, name: t.organisation.Name })),
		get defaultTenantId() {
			return [...tenants.keys()][0];
		},
		state: (tenantId) => {
			const t = tenants.get(tenantId ?? [...tenants.keys()][0]);
			if (!t) throw new Error(`Unknown tenant ${tenantId}`);
			return t;
		},
		reset: (newSeed) => {
			if (newSeed !== undefined) seed = newSeed;
			seedState();
			limiter.reset();
			idempotency.reset();
			log_.length = 0;
			emitted.length = 0;
			schemaErrors.length = 0;
			faults.set(options.faults ?? envFaults ?? {});
		},
		addTenant: (name, data = 'empty') => {
			const spec: TenantSeedSpec = { name, shortCode: `!t${tenantSpecs.length + 1}`, data };
			tenantSpecs = [...tenantSpecs, spec];
			const t = buildTenant(spec, seed, tenantSpecs.length - 1);
			tenants.set(t.tenantId, t);
			return t.tenantId;
		},
		issueToken: (opts = {}) =>
			oauth.issue(
				{
					clientId: opts.clientId ?? DEFAULT_CLIENT.clientId,
					tenantIds: opts.tenantIds ?? [...tenants.keys()],
					scopes: opts.scopes ?? ALL_SCOPES,
					authEventId: randomUUID(),
				},
				opts.lifetimeSec,
			),
		calls: () => [...log_],
		callStats: () => {
			const s: CallStats = {
				total: log_.length,
				byEndpoint: {},
				byTenant: {},
				byStatus: {},
				rateLimited: 0,
				idempotentReplays: 0,
				faults: { ...faults.counts },
			};
			for (const e of log_) {
				s.byEndpoint[e.endpoint] = (s.byEndpoint[e.endpoint] ?? 0) + 1;
				if (e.tenantId) s.byTenant[e.tenantId] = (s.byTenant[e.tenantId] ?? 0) + 1;
				s.byStatus[String(e.status)] = (s.byStatus[String(e.status)] ?? 0) + 1;
				if (e.status === 429) s.rateLimited++;
				if (e.idempotentReplay) s.idempotentReplays++;
			}
			return s;
		},
		clearCalls: () => {
			log_.length = 0;
		},
		setFaults: (config) => faults.set(config),
		getFaults: () => faults.get(),
		setLimits: (l) => {
			Object.assign(limiter.limits, l);
		},
		getLimits: () => ({ ...limiter.limits }),
		setTimeScale: (scale) => {
			if (!(scale > 0)) throw new Error('timeScale must be > 0');
			clock.timeScale = scale;
		},
		setOAuthSettings: (settings) => {
			for (const [k, v] of Object.entries(settings)) {
				if (typeof v === 'number' && v > 0)
					(oauth.settings as unknown as Record<string, number>)[k] = v;
			}
			return { ...oauth.settings };
		},
		advanceClock: (ms) => clock.advance(ms),
		now: () => clock.now(),
		setWebhookSink: (s) => {
			sink = s;
		},
		configureWebhooks: async (opts) => {
			if (!opts) {
				sink = null;
				return { configured: false };
			}
			// `webhooks.ts` belongs to the webhook helper; loaded lazily so this server runs without it.
			const mod = (await import('./webhooks').catch(() => undefined)) as
				| {
						createWebhookDispatcher?: (o: {
							url: string;
							signingKey: string;
							apiBaseUrl?: string;
						}) => { emit(e: unknown[]): Promise<unknown>; intentToReceive(): Promise<unknown> };
				  }
				| undefined;
			if (!mod?.createWebhookDispatcher)
				throw new Error('sandbox/xero/webhooks.ts (createWebhookDispatcher) is not available');
			const dispatcher = mod.createWebhookDispatcher({
				url: opts.url,
				signingKey: opts.signingKey,
				apiBaseUrl: baseUrl,
			});
			sink = {
				emit: (events) => {
					dispatcher
						.emit(events)
						.catch((error: Error) => log(`webhook delivery failed: ${error.message}`));
				},
			};
			return { configured: true, intentToReceive: await dispatcher.intentToReceive() };
		},
		events: () => [...emitted],
		schemaErrors: () => [...schemaErrors],
		close: async () => {
			for (const s of hangingSockets) s.destroy();
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections?.();
			});
		},
	};

	async function handleInspect(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
		const method = req.method ?? 'GET';
		const part = url.pathname.slice('/__sandbox/'.length).replace(/\/$/, '');
		let input: Record<string, unknown> = {};
		const raw = (await readRawBody(req, 1024 * 1024)).toString('utf8').trim();
		if (raw) {
			try {
				input = JSON.parse(raw) as Record<string, unknown>;
			} catch {
				return sendJson(res, 400, { error: 'Invalid JSON' });
			}
		}
		const tenantParam = url.searchParams.get('tenantId') ?? undefined;
		switch (`${method} ${part}`) {
			case 'GET state':
				if (tenantParam && !tenants.has(tenantParam))
					return sendJson(res, 404, { error: 'Unknown tenant' });
				return sendJson(
					res,
					200,
					tenantParam ? api.state(tenantParam) : { seed, tenants: [...tenants.values()] },
				);
			case 'POST reset':
				api.reset(typeof input.seed === 'number' ? input.seed : undefined);
				return sendJson(res, 200, { seed, tenants: api.tenants() });
			case 'POST seed':
				api.reset(typeof input.seed === 'number' ? input.seed : seed);
				return sendJson(res, 200, { seed, tenants: api.tenants() });
			case 'GET calls':
				return sendJson(res, 200, { stats: api.callStats(), calls: api.calls() });
			case 'DELETE calls':
				api.clearCalls();
				return sendJson(res, 200, { cleared: true });
			case 'GET faults':
				return sendJson(res, 200, api.getFaults());
			case 'POST faults':
				api.setFaults(input as FaultConfig);
				return sendJson(res, 200, api.getFaults());
			case 'GET limits':
				return sendJson(res, 200, limiter.snapshot());
			case 'POST limits':
				api.setLimits(input as Partial<RateLimits>);
				return sendJson(res, 200, limiter.snapshot());
			case 'GET clock':
				return sendJson(res, 200, {
					now: clock.now(),
					offsetMs: clock.offsetMs,
					timeScale: clock.timeScale,
				});
			case 'POST clock':
				if (typeof input.timeScale === 'number') api.setTimeScale(input.timeScale);
				if (typeof input.advanceMs === 'number') api.advanceClock(input.advanceMs);
				return sendJson(res, 200, {
					now: clock.now(),
					offsetMs: clock.offsetMs,
					timeScale: clock.timeScale,
				});
			case 'GET oauth':
				return sendJson(res, 200, api.setOAuthSettings({}));
			case 'POST oauth':
				return sendJson(res, 200, api.setOAuthSettings(input as Partial<OAuthSettings>));
			case 'GET tenants':
				return sendJson(res, 200, api.tenants());
			case 'POST tenants': {
				const name = typeof input.name === 'string' && input.name.trim() ? input.name.trim() : '';
				if (!name) return sendJson(res, 400, { error: 'name is required' });
				const tenantId = api.addTenant(name, input.data === 'full' ? 'full' : 'empty');
				return sendJson(res, 200, { tenantId, name });
			}
			case 'POST tokens': {
				const tenantIds = Array.isArray(input.tenantIds)
					? (input.tenantIds as string[])
					: undefined;
				const scopes = Array.isArray(input.scopes) ? (input.scopes as string[]) : undefined;
				const lifetimeSec = typeof input.lifetimeSec === 'number' ? input.lifetimeSec : undefined;
				return sendJson(res, 200, api.issueToken({ tenantIds, scopes, lifetimeSec }));
			}
			case 'POST webhooks':
				if (typeof input.url !== 'string' || typeof input.signingKey !== 'string')
					return sendJson(res, 400, { error: 'url and signingKey are required' });
				try {
					return sendJson(
						res,
						200,
						await api.configureWebhooks({ url: input.url, signingKey: input.signingKey }),
					);
				} catch (error) {
					return sendJson(res, 501, { error: (error as Error).message });
				}
			case 'DELETE webhooks':
				return sendJson(res, 200, await api.configureWebhooks(null));
			case 'GET events':
				return sendJson(res, 200, api.events());
			case 'GET schema-errors':
				return sendJson(res, 200, api.schemaErrors());
			default:
				return sendJson(res, 404, {
					error: `Unknown inspection endpoint ${method} /__sandbox/${part}`,
				});
		}
	}

	// ---------- server ----------

	const server: Server = createServer((req, res) => {
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://sandbox.local');
		} catch {
			return sendRaw(res, 400, 'Bad Request');
		}
		const p = url.pathname;
		const run = async () => {
			if (
				p.toLowerCase().startsWith(API_PREFIX.toLowerCase() + '/') ||
				p.toLowerCase() === API_PREFIX.toLowerCase()
			)
				return handleApi(req, res, url);
			if (p === '/identity/connect/authorize' && (req.method === 'GET' || req.method === 'POST'))
				return handleAuthorize(req, res, url);
			if (p === '/connect/token' && req.method === 'POST') return handleToken(req, res);
			if (p === '/connect/revocation' && req.method === 'POST') return handleRevocation(req, res);
			if (p === '/connections' || p.startsWith('/connections/')) {
				await readRawBody(req, 64 * 1024);
				return handleConnections(req, res, url);
			}
			if (p.startsWith('/__sandbox/')) return handleInspect(req, res, url);
			if (p === '/' && req.method === 'GET') {
				return sendJson(res, 200, {
					name: 'Xero sandbox',
					api: `${baseUrl}${API_PREFIX}`,
					authorize: `${baseUrl}/identity/connect/authorize`,
					token: `${baseUrl}/connect/token`,
					connections: `${baseUrl}/connections`,
					inspection: `${baseUrl}/__sandbox/state`,
				});
			}
			req.resume();
			sendRaw(res, 404, NOT_FOUND_TEXT, { 'Content-Type': 'text/plain; charset=utf-8' });
		};
		run().catch((error: Error) => {
			if (error instanceof BodyTooLargeError) return sendRaw(res, 413, 'Request Entity Too Large');
			log(`unhandled error: ${error.stack ?? error}`);
			sendRaw(res, 500, 'Internal Server Error');
		});
	});
	server.on('clientError', (_err, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
	});
	const address = server.address() as AddressInfo;
	const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
	baseUrl = `http://${host}:${address.port}`;
	api.url = baseUrl;
	api.port = address.port;
	if (options.webhook)
		await api
			.configureWebhooks(options.webhook)
			.catch((error: Error) => log(`webhooks not configured: ${error.message}`));
	return api;
}
