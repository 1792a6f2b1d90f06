import { NodeApiError, sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';

import {
	describeStatus,
	errorSummary,
	hintForStatus,
	redactSecrets,
	validationMessages,
} from './errors';
import {
	backoffDelayMs,
	classifyResponse,
	DEFAULT_BACKOFF,
	parseRateLimitHeaders,
	transientNetworkCode,
	type BackoffPolicy,
	type RateLimitHeaders,
} from './retry';
import { deriveIdempotencyKey } from './idempotency';
import { noteXeroWrite } from './orgSettingsStore';
import { DEFAULT_THROTTLE_LIMITS, TenantThrottle, type ThrottleLimits } from './throttle';
import { XERO_CREDENTIAL_TYPE, xeroUrlsFromCredentials, type XeroUrls } from './urls';

/** Every n8n context a Xero node, loader, poller or webhook runs in. */
export type XeroContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IHookFunctions
	| IWebhookFunctions;

export interface XeroTransportOptions {
	/** retries after a 5xx, a timeout or a dropped connection (then the request fails) */
	maxRetries: number;
	backoff: BackoffPolicy;
	/** how many 429s one request may absorb before it gives up */
	maxRateLimitWaits: number;
	/** a Retry-After longer than this is not waited out inside the execution */
	maxRetryAfterMs: number;
	/** per-request timeout */
	timeoutMs: number;
	throttle: ThrottleLimits;
}

export const DEFAULT_TRANSPORT_OPTIONS: XeroTransportOptions = {
	maxRetries: 4,
	backoff: DEFAULT_BACKOFF,
	maxRateLimitWaits: 20,
	maxRetryAfterMs: 5 * 60_000,
	timeoutMs: 60_000,
	throttle: DEFAULT_THROTTLE_LIMITS,
};

/**
 * State of the transport for ONE node run (or one loader / poll call): resolved URLs, options, counters and
 * the budget warnings raised during the run. Kept in a WeakMap keyed by the n8n context object, so it is
 * garbage-collected with the run. The throttles are NOT here: they are shared by every run of the process
 * (see `sharedThrottles`).
 */
interface XeroSession {
	options: XeroTransportOptions;
	urls?: XeroUrls;
	stats: XeroCallStats;
	/** organisation → the daily-budget warning this run raised for it */
	budgetWarnings: Map<string, string>;
}

export interface XeroCallStats {
	requests: number;
	rateLimited: number;
	retried: number;
	tokenRefreshes: number;
}

const sessions = new WeakMap<object, XeroSession>();

function session(ctx: XeroContext): XeroSession {
	let current = sessions.get(ctx);
	if (!current) {
		current = {
			options: DEFAULT_TRANSPORT_OPTIONS,
			stats: { requests: 0, rateLimited: 0, retried: 0, tokenRefreshes: 0 },
			budgetWarnings: new Map(),
		};
		sessions.set(ctx, current);
	}
	return current;
}

/** Operations call this once per run with the node's Options (e.g. Max Retries). */
export function configureXeroTransport(
	ctx: XeroContext,
	options: Partial<XeroTransportOptions>,
): void {
	const current = session(ctx);
	current.options = {
		...current.options,
		...options,
		backoff: { ...current.options.backoff, ...options.backoff },
		throttle: { ...current.options.throttle, ...options.throttle },
	};
}

/** Counters for this run (requests sent, 429s absorbed, retries): surfaced by benchmarks and tests. */
export function xeroCallStats(ctx: XeroContext): XeroCallStats {
	return { ...session(ctx).stats };
}

/**
 * One throttle per organisation for the whole n8n process: every execution, loader and poll that calls the
 * same organisation through the same Xero URL (and with the same limits) waits on the same counters, so
 * concurrent executions share Xero's 5 in flight and 60 a minute instead of each spending them in full
 * (docs/xero-budget.md). Bounded: past MAX_SHARED_THROTTLES organisations the oldest idle throttle is dropped
 * (it holds only timestamps; a dropped one starts empty again).
 */
const MAX_SHARED_THROTTLES = 1000;
const sharedThrottles = new Map<string, TenantThrottle>();

function throttleFor(ctx: XeroContext, urls: XeroUrls, tenantId: string): TenantThrottle {
	const limits = session(ctx).options.throttle;
	const key = `${urls.api}\u0000${tenantId || '(no tenant)'}\u0000${JSON.stringify(limits)}`;
	let throttle = sharedThrottles.get(key);
	if (!throttle) {
		if (sharedThrottles.size >= MAX_SHARED_THROTTLES) {
			for (const [oldKey, old] of sharedThrottles)
				if (old.active === 0) {
					sharedThrottles.delete(oldKey);
					break;
				}
		}
		throttle = new TenantThrottle(limits);
		sharedThrottles.set(key, throttle);
	}
	return throttle;
}

/** Organisation names learned from GET /connections, so warnings can name the organisation. */
const tenantNames = new Map<string, string>();

export function rememberTenantName(tenantId: string, name: string): void {
	if (!tenantId || !name || name === tenantId) return;
	if (tenantNames.size >= MAX_SHARED_THROTTLES && !tenantNames.has(tenantId)) {
		const oldest = tenantNames.keys().next().value;
		if (oldest !== undefined) tenantNames.delete(oldest);
	}
	tenantNames.set(tenantId, name);
}

function organisationLabel(tenantId: string): string {
	const name = tenantNames.get(tenantId);
	return name ? `"${name}" (${tenantId})` : tenantId;
}

/** Organisations whose warning was logged, so the log says it once per low spell, not on every call. */
const dayWarningLogged = new Set<string>();

/**
 * After each answer: when Xero says the organisation's daily allowance is nearly spent, say so before the
 * daily limit stops runs, naming the organisation. Once per run as an execution hint (and in
 * `xeroBudgetWarnings` for operations that put warnings on their items), once per low spell in the log.
 */
function reportDayBudget(ctx: XeroContext, tenantId: string, throttle: TenantThrottle): void {
	const left = throttle.dayRemaining;
	const lowWater = throttle.limits.dayLowWater ?? 500;
	if (!tenantId || left === undefined) return;
	if (left > lowWater) {
		dayWarningLogged.delete(tenantId);
		return;
	}
	const current = session(ctx);
	const message = `Xero organisation ${organisationLabel(tenantId)} has ${left} API calls left today (Xero allows 5,000 a day per organisation; at 0 every workflow writing to it stops until the daily window resets). Spread or pause the workflows that use it.`;
	const firstInRun = !current.budgetWarnings.has(tenantId);
	current.budgetWarnings.set(tenantId, message);
	if (firstInRun && 'addExecutionHints' in ctx && typeof ctx.addExecutionHints === 'function')
		ctx.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
	if (!dayWarningLogged.has(tenantId)) {
		dayWarningLogged.add(tenantId);
		if (dayWarningLogged.size > MAX_SHARED_THROTTLES)
			dayWarningLogged.delete(dayWarningLogged.values().next().value as string);
		ctx.logger?.warn(message);
	}
}

/** Daily-budget warnings raised during this run, one per organisation (empty when none ran low). */
export function xeroBudgetWarnings(ctx: XeroContext): string[] {
	return [...session(ctx).budgetWarnings.values()];
}

export async function xeroUrls(ctx: XeroContext): Promise<XeroUrls> {
	const current = session(ctx);
	if (!current.urls) {
		const credentials = await ctx.getCredentials(XERO_CREDENTIAL_TYPE);
		try {
			current.urls = xeroUrlsFromCredentials(credentials);
		} catch (error) {
			throw new NodeApiError(ctx.getNode(), { message: (error as Error).message } as JsonObject, {
				message: (error as Error).message,
				description: 'Open the Xero credential and set Environment and Custom Base URL.',
			});
		}
	}
	return current.urls;
}

export interface XeroRequest {
	method: IHttpRequestMethods;
	/** path under the Accounting API base ("/Invoices"), or an absolute URL (connections) */
	path: string;
	/** Xero organisation; '' only for calls that take no tenant (GET /connections) */
	tenantId: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	headers?: IDataObject;
	ifModifiedSince?: string | Date;
	idempotencyKey?: string;
	/** input item this call serves, for error context */
	itemIndex?: number;
}

export interface XeroResponse<T = IDataObject> {
	statusCode: number;
	body: T;
	limits: RateLimitHeaders;
	/** HTTP attempts this call took (1 = no retry) */
	attempts: number;
}

/** Error thrown by the transport; `stop` means the whole run must stop (day limit), not just the item. */
export class XeroApiError extends NodeApiError {
	statusCode: number | undefined;
	validationErrors: string[];
	stop: boolean;
	/** Xero's parsed error body (never contains our token); non-enumerable so it stays out of outputs */
	declare readonly xeroBody: unknown;

	constructor(
		ctx: XeroContext,
		details: {
			message: string;
			description?: string;
			statusCode?: number;
			validationErrors?: string[];
			stop?: boolean;
			itemIndex?: number;
			xeroBody?: unknown;
		},
	) {
		const safe: JsonObject = {
			message: redactSecrets(details.message),
			...(details.statusCode !== undefined ? { httpCode: String(details.statusCode) } : {}),
			validationErrors: details.validationErrors ?? [],
		};
		super(ctx.getNode(), safe, {
			message: redactSecrets(details.message),
			description: details.description ? redactSecrets(details.description) : undefined,
			httpCode: details.statusCode !== undefined ? String(details.statusCode) : undefined,
			itemIndex: details.itemIndex,
		});
		this.statusCode = details.statusCode;
		this.validationErrors = details.validationErrors ?? [];
		this.stop = details.stop ?? false;
		Object.defineProperty(this, 'xeroBody', { value: details.xeroBody, enumerable: false });
	}
}

export function isXeroStopError(error: unknown): boolean {
	return error instanceof XeroApiError && error.stop;
}

function formatIfModifiedSince(value: string | Date): string {
	const date = value instanceof Date ? value : new Date(value);
	if (Number.isNaN(date.getTime())) {
		throw new Error(`If-Modified-Since "${String(value)}" is not a date`);
	}
	// Same wire format as xero-node (docs/xero-rules.md §11.3): ISO 8601 UTC.
	return date.toISOString();
}

const NETWORK_FAILURE_WORDS: Record<string, string> = {
	ECONNRESET: 'connection reset',
	ECONNREFUSED: 'connection refused',
	ECONNABORTED: 'connection aborted',
	ETIMEDOUT: 'timed out',
	ESOCKETTIMEDOUT: 'timed out',
	EPIPE: 'connection broken',
	EAI_AGAIN: 'DNS lookup failed',
	ENETUNREACH: 'network unreachable',
	EHOSTUNREACH: 'host unreachable',
};

function describeCall(request: XeroRequest): string {
	const where = request.tenantId ? ` (organisation ${request.tenantId})` : '';
	return `${request.method} ${request.path}${where}`;
}

function buildHttpError(
	ctx: XeroContext,
	request: XeroRequest,
	response: { statusCode: number; body: unknown },
	attempts: number,
): XeroApiError {
	const validation = validationMessages(response.body);
	const summary = errorSummary(response.body);
	const head = describeStatus(response.statusCode);
	const message = validation.length
		? `${head}: ${validation.join('; ')}`
		: summary
			? `${head}: ${summary}`
			: head;
	const lines = [
		`Call: ${describeCall(request)}`,
		`HTTP status: ${response.statusCode}${attempts > 1 ? ` after ${attempts} attempts` : ''}`,
	];
	if (summary && !message.includes(summary)) lines.push(`Xero said: ${summary}`);
	const hint = hintForStatus(response.statusCode, summary);
	if (hint) lines.push(hint);
	return new XeroApiError(ctx, {
		message,
		description: lines.join('\n'),
		statusCode: response.statusCode,
		validationErrors: validation,
		itemIndex: request.itemIndex,
		xeroBody: response.body,
	});
}

/**
 * The single HTTP entry point for Xero (ARCHITECTURE.md "Xero transport"). Sends through n8n's
 * httpRequestWithAuthentication (OAuth2 header, token refresh, proxy), reads status and headers on every
 * response, throttles per tenant, waits out 429s, retries 5xx/network failures with bounded jittered backoff,
 * and throws XeroApiError with Xero's own validation messages. Never logs or returns the token.
 */
export async function xeroApiRequestFull<T = IDataObject>(
	ctx: XeroContext,
	request: XeroRequest,
): Promise<XeroResponse<T>> {
	const current = session(ctx);
	const { options } = current;
	const urls = await xeroUrls(ctx);
	const url = /^https?:\/\//i.test(request.path) ? request.path : `${urls.api}${request.path}`;
	const headers: IDataObject = { Accept: 'application/json', ...(request.headers ?? {}) };
	if (request.tenantId) headers['xero-tenant-id'] = request.tenantId;
	if (request.ifModifiedSince)
		headers['If-Modified-Since'] = formatIfModifiedSince(request.ifModifiedSince);
	// Every write carries an Idempotency-Key (https://developer.xero.com/documentation/guides/idempotent-requests/):
	// callers that know better pass their own; any other write gets one derived from its content.
	const write = request.method === 'PUT' || request.method === 'POST';
	const idempotencyKey =
		request.idempotencyKey ??
		(write
			? deriveIdempotencyKey({
					method: request.method,
					path: request.path,
					tenantId: request.tenantId,
					qs: request.qs,
					body: request.body,
				})
			: undefined);
	if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;

	const httpOptions: IHttpRequestOptions = {
		method: request.method,
		url,
		headers,
		qs: request.qs,
		json: true,
		returnFullResponse: true,
		// Read every status ourselves so 429/5xx headers (Retry-After, X-*-Remaining) are not lost inside a
		// thrown error. The price: n8n core only refreshes OAuth2 tokens when the request throws a 401, so a
		// 401 is re-sent once without this flag to let core refresh and retry (see below).
		ignoreHttpStatusErrors: true,
		timeout: options.timeoutMs,
	};
	if (request.body !== undefined) httpOptions.body = request.body;

	const throttle = throttleFor(ctx, urls, request.tenantId);
	let failuresRetried = 0;
	let rateLimitWaits = 0;
	let tokenRefreshed = false;
	let attempts = 0;

	for (;;) {
		await throttle.acquire();
		attempts++;
		current.stats.requests++;
		let response: { statusCode: number; headers: IDataObject; body: unknown } | undefined;
		let networkError: unknown;
		try {
			response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, XERO_CREDENTIAL_TYPE, {
				...httpOptions,
				headers: { ...headers },
			})) as IN8nHttpFullResponse as { statusCode: number; headers: IDataObject; body: unknown };
		} catch (error) {
			networkError = error ?? new Error('unknown error');
		}
		throttle.release();
		if (response === undefined) {
			const code = transientNetworkCode(networkError);
			if (code && failuresRetried < options.maxRetries) {
				await sleep(backoffDelayMs(failuresRetried++, options.backoff));
				current.stats.retried++;
				continue;
			}
			// n8n rewrites any error message that contains a network code (ECONNRESET…) into a generic
			// sentence, so the code goes in the description and the message uses words.
			const detail = (networkError as Error).message ?? String(networkError);
			throw new XeroApiError(ctx, {
				message: code
					? `Xero did not answer after ${attempts} attempts (${NETWORK_FAILURE_WORDS[code] ?? 'network failure'})`
					: `Could not call Xero: ${detail}`,
				description: code
					? `Call: ${describeCall(request)}\nNetwork error: ${code}\nCheck the network path to Xero (proxy, DNS, firewall) and run again; writes carry an Idempotency-Key so a re-run cannot duplicate them.`
					: `Call: ${describeCall(request)}`,
				itemIndex: request.itemIndex,
			});
		}

		const limits = parseRateLimitHeaders(response.headers);
		const decision = classifyResponse(response.statusCode, limits);
		switch (decision.kind) {
			case 'success':
				throttle.observe(limits);
				reportDayBudget(ctx, request.tenantId, throttle);
				noteXeroWrite(urls.api, request.tenantId, request.method, request.path);
				return {
					statusCode: response.statusCode,
					body: (response.statusCode === 304 ? {} : (response.body ?? {})) as T,
					limits,
					attempts,
				};
			case 'refreshToken': {
				if (tokenRefreshed) throw buildHttpError(ctx, request, response, attempts);
				tokenRefreshed = true;
				current.stats.tokenRefreshes++;
				const refreshed = await resendForTokenRefresh(ctx, throttle, httpOptions, headers);
				attempts++;
				current.stats.requests++;
				if (refreshed.statusCode >= 200 && refreshed.statusCode < 300) {
					const refreshedLimits = parseRateLimitHeaders(refreshed.headers);
					throttle.observe(refreshedLimits);
					reportDayBudget(ctx, request.tenantId, throttle);
					noteXeroWrite(urls.api, request.tenantId, request.method, request.path);
					return {
						statusCode: refreshed.statusCode,
						body: (refreshed.body ?? {}) as T,
						limits: refreshedLimits,
						attempts,
					};
				}
				if (refreshed.statusCode === 401 || refreshed.statusCode === 403) {
					throw buildHttpError(ctx, request, refreshed, attempts);
				}
				// Refreshed, but the retry met a 429/5xx or a dropped connection: go round the normal loop
				// (with its retry budget) on the new token.
				continue;
			}
			case 'dayLimit': {
				const resetIn = decision.retryAfterMs
					? decision.retryAfterMs >= 3_600_000
						? `${Math.ceil(decision.retryAfterMs / 3_600_000)} h`
						: `${Math.max(1, Math.ceil(decision.retryAfterMs / 60_000))} min`
					: undefined;
				throw new XeroApiError(ctx, {
					message: `Xero's daily API limit for this organisation is used up${resetIn ? `; it resets in about ${resetIn}` : ''}`,
					description: `Call: ${describeCall(request)}\nXero answered 429 with X-Rate-Limit-Problem: day. The run stopped instead of retrying. Run it again after the reset; already-written records are matched, not duplicated.`,
					statusCode: 429,
					stop: true,
					itemIndex: request.itemIndex,
				});
			}
			case 'rateLimited': {
				current.stats.rateLimited++;
				if (rateLimitWaits >= options.maxRateLimitWaits) {
					throw new XeroApiError(ctx, {
						message: `Xero kept answering 429 (rate limit ${decision.problem ?? 'unspecified'}) after ${rateLimitWaits} waits`,
						description: `Call: ${describeCall(request)}\nAnother workflow or app may be using this organisation's allowance (60 calls a minute, 5 at a time). Run again later or spread the workflows out.`,
						statusCode: 429,
						itemIndex: request.itemIndex,
					});
				}
				const waitMs = decision.waitMs ?? backoffDelayMs(rateLimitWaits, options.backoff);
				rateLimitWaits++;
				if (waitMs > options.maxRetryAfterMs) {
					throw new XeroApiError(ctx, {
						message: `Xero asked to wait ${Math.ceil(waitMs / 1000)} s (rate limit ${decision.problem ?? 'unspecified'}), longer than this node waits`,
						description: `Call: ${describeCall(request)}\nRun the workflow again after that time.`,
						statusCode: 429,
						itemIndex: request.itemIndex,
					});
				}
				// The pause applies to every request of this run on this tenant, not just this one.
				throttle.pauseFor(waitMs);
				continue;
			}
			case 'serverError':
				if (failuresRetried < options.maxRetries) {
					await sleep(backoffDelayMs(failuresRetried++, options.backoff));
					current.stats.retried++;
					continue;
				}
				throw buildHttpError(ctx, request, response, attempts);
			default:
				throw buildHttpError(ctx, request, response, attempts);
		}
	}
}

/**
 * Re-sends a request that got 401 without ignoreHttpStatusErrors, so n8n core refreshes the OAuth2 token
 * (and persists the rotated refresh token) and retries once. Whatever comes back is normalised to a
 * status/headers/body triple; a thrown NodeApiError only tells us its status, not its headers.
 */
async function resendForTokenRefresh(
	ctx: XeroContext,
	throttle: TenantThrottle,
	httpOptions: IHttpRequestOptions,
	headers: IDataObject,
): Promise<{ statusCode: number; headers: IDataObject; body: unknown }> {
	await throttle.acquire();
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			XERO_CREDENTIAL_TYPE,
			{ ...httpOptions, headers: { ...headers }, ignoreHttpStatusErrors: false },
		)) as IN8nHttpFullResponse;
		return { statusCode: response.statusCode, headers: response.headers, body: response.body };
	} catch (error) {
		const message = redactSecrets((error as Error).message ?? 'token refresh failed');
		// A dropped connection is retried by the caller's loop; anything else without a status is n8n failing
		// to refresh the token ("needs to be reconnected"), which is an authentication failure.
		if (transientNetworkCode(error))
			return { statusCode: 0, headers: {}, body: { Detail: message } };
		const status = Number((error as NodeApiError).httpCode);
		return {
			statusCode: Number.isFinite(status) && status > 0 ? status : 401,
			headers: {},
			body: { Detail: message },
		};
	} finally {
		throttle.release();
	}
}

/** Body only. */
export async function xeroApiRequest<T = IDataObject>(
	ctx: XeroContext,
	request: XeroRequest,
): Promise<T> {
	return (await xeroApiRequestFull<T>(ctx, request)).body;
}
