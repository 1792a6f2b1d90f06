/**
 * The only module that talks HTTP to Commusoft. Auth goes through n8n's `httpRequestWithAuthentication` with the
 * `commusoftApi` credential (its `preAuthentication` fetches the token); this module adds paging, bounded
 * jittered retries on 429/5xx/network errors, a forced re-login when a token is rejected in a non-401 way, and
 * errors that name the record and, for assumed endpoints, the assumption. Paths come from ./endpoints.ts only.
 */
import {
	NodeApiError,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	COMMUSOFT_DEFAULT_BASE_URL,
	COMMUSOFT_ENDPOINTS,
	COMMUSOFT_PAGE_SIZE,
	COMMUSOFT_RECORDS,
	endpointPath,
	type CommusoftEndpoint,
	type CommusoftEndpointName,
	type RecordKind,
} from './endpoints';

export { COMMUSOFT_ENDPOINTS, COMMUSOFT_PAGE_SIZE, type CommusoftEndpointName } from './endpoints';

export const COMMUSOFT_CREDENTIAL = 'commusoftApi';

export type CommusoftContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface CommusoftRequest {
	endpoint: CommusoftEndpointName;
	/** Record id for `{uuid}` paths; also named in error messages. */
	id?: string;
	qs?: IDataObject;
	body?: IDataObject;
	/** How the record is named in errors when there is no id (e.g. `payment for invoice CS-10042`). */
	label?: string;
	itemIndex?: number;
	/**
	 * A POST is retried after a 5xx or a network error (which may hide a write that happened) only when repeating
	 * it cannot write twice: payments carry an external reference, customers a client-chosen uuid.
	 */
	idempotent?: boolean;
	/**
	 * The caller reads a 404 as an answer (e.g. "no summary stored yet"), so a 404 is not investigated. Also set on
	 * the transport's own follow-up requests.
	 */
	notFoundIsAnswer?: boolean;
}

export interface CommusoftResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
	/** How many requests it took (more than 1 after retries: an earlier attempt may have written already). */
	attempts: number;
}

/** Retry policy: bounded so a dead Commusoft fails a run within about a minute, never hangs it. */
export const COMMUSOFT_RETRY = {
	maxAttempts: 5,
	baseDelayMs: 400,
	maxDelayMs: 8_000,
	/** A Retry-After longer than this fails the call instead of parking the execution. */
	maxRetryAfterSeconds: 60,
	maxPages: 1_000,
};

const NETWORK_ERROR_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'EPIPE',
	'ECONNABORTED',
	'EAI_AGAIN',
];

function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
	const raw = String(credentials.baseUrl ?? '').trim() || COMMUSOFT_DEFAULT_BASE_URL;
	return raw.replace(/\/+$/, '');
}

/** Statuses that mean "token expired" for this Commusoft (credential setting; 401 always included). */
export function tokenExpiredStatuses(credentials: ICredentialDataDecryptedObject): number[] {
	const configured = String(credentials.reloginStatusCodes ?? '')
		.split(/[\s,]+/)
		.map((code) => Number(code))
		.filter((code) => Number.isInteger(code) && code >= 400 && code < 600);
	return Array.from(new Set([401, ...configured]));
}

const TOKEN_REJECTED =
	/\btoken\b.*\b(expired|invalid|unknown|revoked|not valid)\b|\b(expired|invalid|unknown|revoked)[ _-]?token\b/i;

/**
 * A body that says the token is bad, whatever the status (some APIs answer 403 or even 200 with such a body).
 * Only error-shaped bodies count: a short text, or an object's `error`/`message`/`code` fields — never a record
 * or a list, whose free text could mention tokens. With `strict` (a 2xx answer) the object needs an `error` field.
 */
export function looksLikeTokenRejection(body: unknown, strict = false): boolean {
	if (typeof body === 'string') return body.length < 500 && TOKEN_REJECTED.test(body);
	if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
	const object = body as IDataObject;
	if (strict && typeof object.error !== 'string') return false;
	const text = [object.error, object.message, object.error_description, object.code]
		.filter((value): value is string => typeof value === 'string')
		.join(' ')
		.replace(/_/g, ' ');
	return TOKEN_REJECTED.test(text);
}

/** Replaces every secret of the credential (and any `token=` query value) with `***`. */
export function redactSecrets(text: string, credentials?: ICredentialDataDecryptedObject): string {
	let result = text.replace(/([?&]token=)[^&\s"']+/gi, '$1***');
	for (const key of ['password', 'token']) {
		const secret = credentials?.[key];
		if (typeof secret === 'string' && secret.length >= 4) result = result.split(secret).join('***');
	}
	return result;
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const key = Object.keys(headers ?? {}).find((candidate) => candidate.toLowerCase() === name);
	const value = key ? headers[key] : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/** Retry-After as seconds (delta-seconds or HTTP date); undefined if absent or unreadable. */
export function retryAfterSeconds(
	headers: Record<string, unknown>,
	nowMs = Date.now(),
): number | undefined {
	const value = headerValue(headers, 'retry-after');
	if (value === undefined) return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, (date - nowMs) / 1000);
}

/** Exponential backoff with full jitter around the nominal delay (50%–150%). */
export function backoffDelayMs(attempt: number, random = Math.random): number {
	const nominal = Math.min(
		COMMUSOFT_RETRY.maxDelayMs,
		COMMUSOFT_RETRY.baseDelayMs * 2 ** (attempt - 1),
	);
	return Math.round(nominal * (0.5 + random()));
}

function describeRecord(request: CommusoftRequest): string {
	const { record } = COMMUSOFT_ENDPOINTS[request.endpoint];
	if (request.label) return `${record} ${request.label}`;
	return request.id ? `${record} "${request.id}"` : record;
}

/** The record a request addresses by id (path or body), if any: what a 404 may mean is missing. */
function addressedRecord(
	request: CommusoftRequest,
): { record: RecordKind; id: string } | undefined {
	const { addresses } = COMMUSOFT_ENDPOINTS[request.endpoint] as CommusoftEndpoint;
	if (!addresses) return undefined;
	const id = addresses.bodyField ? request.body?.[addresses.bodyField] : request.id;
	if (typeof id !== 'string' || id === '') return undefined;
	return { record: addresses.record, id };
}

/**
 * What a 404 meant: `record` (the endpoint is there, the addressed record is not), `endpoint` (the path itself is
 * not served: a wrong base URL or an assumed endpoint this Commusoft lacks), `endpointWhileRecordExists` (the
 * addressed record reads fine, so the endpoint is what is missing) or `unknown` (could not tell).
 */
export type NotFoundCause = 'record' | 'endpoint' | 'endpointWhileRecordExists' | 'unknown';

function serverMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
	if (body && typeof body === 'object' && !Array.isArray(body)) {
		const object = body as IDataObject;
		for (const key of ['message', 'error_description', 'error', 'detail']) {
			if (typeof object[key] === 'string' && object[key]) return object[key] as string;
		}
		if (Array.isArray(object.errors) && object.errors.length) {
			return object.errors
				.map((error) => (typeof error === 'string' ? error : JSON.stringify(error)))
				.join('; ');
		}
	}
	return undefined;
}

interface FailureDetails {
	statusCode?: number;
	body?: unknown;
	reason?: string;
	attempts?: number;
	/** Retry-After of the last 429, in seconds. */
	retryAfter?: number;
	/** For a 404: what it meant, as found out by `explainNotFound` (unset: `unknown` for a record, else `endpoint`). */
	notFound?: NotFoundCause;
}

/** Builds the NodeApiError for a failed call. Only sanitized text goes in: never the request, headers or URL. */
export function buildCommusoftError(
	ctx: Pick<CommusoftContext, 'getNode'>,
	request: CommusoftRequest,
	failure: FailureDetails,
	credentials?: ICredentialDataDecryptedObject,
): NodeApiError {
	const endpoint = COMMUSOFT_ENDPOINTS[request.endpoint];
	const what = describeRecord(request);
	const status = failure.statusCode;
	const fromServer = serverMessage(failure.body);
	const assumption = endpoint.documented
		? ''
		: ` ${endpoint.method} ${endpoint.path} is an assumed endpoint (Commusoft does not publish it): check the Commusoft base URL in the credential and docs/commusoft-api-contract.md.`;
	let message: string;
	let description: string | undefined = fromServer ? `Commusoft said: ${fromServer}` : undefined;
	const target = addressedRecord(request);
	const onItem = request.itemIndex === undefined ? '' : ` on item ${request.itemIndex}`;
	const notFound = failure.notFound ?? (target ? 'unknown' : 'endpoint');
	if (status === 404 && target && (notFound === 'record' || notFound === 'unknown')) {
		// Named as the caller labelled it when the request is about that record itself.
		const named =
			request.label && endpoint.record === target.record
				? `${target.record} ${request.label}`
				: `${target.record} "${target.id}"`;
		const unwritten =
			endpoint.method === 'GET'
				? ''
				: `: nothing was written${endpoint.record === target.record ? '' : ` (${describeRecord(request)})`}`;
		const fix = `Fix: ${COMMUSOFT_RECORDS[target.record].fix}.`;
		if (notFound === 'record') {
			message = `Commusoft ${named} was not found (404)${onItem}${unwritten}`;
			description = `${description ? `${description}. ` : ''}${fix}`;
		} else {
			message = `Commusoft answered 404 for ${named}${onItem}${unwritten}`;
			description = `${description ? `${description}. ` : ''}Either no ${target.record} has this id (${fix}) or Commusoft does not serve ${endpoint.method} ${endpoint.path} at this base URL:${assumption || ' check the Commusoft base URL in the credential.'}`;
		}
	} else if (status === 404) {
		const exists =
			target && notFound === 'endpointWhileRecordExists'
				? ` (${target.record} "${target.id}" exists)`
				: '';
		message = `Commusoft ${endpoint.record} endpoint ${endpoint.path} returned 404${onItem}${exists} — check the Commusoft base URL`;
		description = `${description ? `${description}. ` : ''}${endpoint.documented ? 'The path is documented by Commusoft; the base URL is probably wrong.' : assumption.trim()}`;
	} else if (status === 401) {
		message = `Commusoft refused the credentials while reading ${what} (401), even after a fresh login`;
		description =
			'Check clientId, applicationId, username and password in the Commusoft credential.';
	} else if (status === 403) {
		message = `Commusoft denied access to ${what} (403)`;
		description = `${description ? `${description}. ` : ''}The Commusoft user may lack permission; if the token expired, add 403 to "Re-Login Status Codes" in the credential.`;
	} else if (status === 429 && (failure.retryAfter ?? 0) > COMMUSOFT_RETRY.maxRetryAfterSeconds) {
		message = `Commusoft asked to wait ${Math.ceil(failure.retryAfter ?? 0)} s before retrying ${what} (429)`;
		description = `That is longer than the ${COMMUSOFT_RETRY.maxRetryAfterSeconds} s a run waits; retry the execution later.`;
	} else if (status === 429) {
		message = `Commusoft kept rate-limiting the request for ${what} (429 after ${failure.attempts ?? 0} attempts)`;
	} else if (status !== undefined && status >= 500) {
		message = `Commusoft failed on ${what} (${status} after ${failure.attempts ?? 0} attempts)`;
	} else if (status !== undefined) {
		message = `Commusoft rejected the request for ${what} (${status})${fromServer ? `: ${fromServer}` : ''}`;
	} else if (failure.reason?.startsWith('Commusoft login failed')) {
		message = `${failure.reason} (while requesting ${what})`;
	} else {
		message = `Could not reach Commusoft for ${what}: ${failure.reason ?? 'network error'}`;
		description =
			'Check the Commusoft base URL in the credential and that the server is reachable.';
	}
	const clean = (text: string | undefined) =>
		text === undefined ? undefined : redactSecrets(text, credentials);
	const errorObject: JsonObject = {
		message: clean(message) ?? '',
		httpCode: status === undefined ? null : String(status),
		endpoint: `${endpoint.method} ${endpoint.path}`,
		documented: endpoint.documented,
	};
	return new NodeApiError(ctx.getNode(), errorObject, {
		message: clean(message),
		description: clean(description),
		httpCode: status === undefined ? undefined : String(status),
		itemIndex: request.itemIndex,
	});
}

interface TransportError {
	httpCode?: string | null;
	code?: string;
	message?: string;
	cause?: { code?: string; message?: string; response?: { status?: number; data?: unknown } };
	response?: { status?: number; data?: unknown };
	context?: { data?: unknown };
}

function statusOfThrown(error: TransportError): number | undefined {
	const status = error.response?.status ?? error.cause?.response?.status ?? Number(error.httpCode);
	return Number.isInteger(status) && status > 0 ? status : undefined;
}

function isNetworkError(error: TransportError): boolean {
	const code = error.code ?? error.cause?.code;
	return (
		(code !== undefined && NETWORK_ERROR_CODES.includes(code)) ||
		NETWORK_ERROR_CODES.some((candidate) => String(error.message ?? '').includes(candidate))
	);
}

/**
 * One Commusoft call with retries. Resolves with the full response for any 2xx; throws NodeApiError otherwise.
 */
export async function commusoftApiRequest(
	this: CommusoftContext,
	request: CommusoftRequest,
): Promise<CommusoftResponse> {
	const credentials = await this.getCredentials(COMMUSOFT_CREDENTIAL);
	const endpoint = COMMUSOFT_ENDPOINTS[request.endpoint];
	const expiredStatuses = tokenExpiredStatuses(credentials);
	const url = `${baseUrlOf(credentials)}${endpointPath(request.endpoint, request.id)}`;
	const mayRepeat = endpoint.method !== 'POST' || request.idempotent === true;
	let forceNewToken = false;
	let triedNewToken = false;

	for (let attempt = 1; ; attempt++) {
		const options: IHttpRequestOptions = {
			method: endpoint.method,
			url,
			qs: request.qs,
			body: request.body,
			json: true,
			returnFullResponse: true,
			// Every status comes back as a response except the expired-token ones, which n8n core must see as
			// errors to re-run the credential's preAuthentication and resend once.
			ignoreHttpStatusErrors: { ignore: true, except: expiredStatuses },
		};
		let response: CommusoftResponse;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				COMMUSOFT_CREDENTIAL,
				options,
				{
					preAuthenticationRetryStatusCode: expiredStatuses,
					// An empty token makes n8n's preAuthentication log in again (and store the new token).
					credentialsDecrypted: forceNewToken
						? {
								id: this.getNode().credentials?.[COMMUSOFT_CREDENTIAL]?.id ?? '',
								name:
									this.getNode().credentials?.[COMMUSOFT_CREDENTIAL]?.name ?? COMMUSOFT_CREDENTIAL,
								type: COMMUSOFT_CREDENTIAL,
								data: { ...credentials, token: '' },
							}
						: undefined,
				},
			)) as CommusoftResponse;
		} catch (thrown) {
			const error = thrown as TransportError;
			const statusCode = statusOfThrown(error);
			if (
				statusCode === undefined &&
				isNetworkError(error) &&
				mayRepeat &&
				attempt < COMMUSOFT_RETRY.maxAttempts
			) {
				await sleep(backoffDelayMs(attempt));
				continue;
			}
			throw buildCommusoftError(
				this,
				request,
				{
					statusCode,
					body: error.response?.data ?? error.cause?.response?.data ?? error.context?.data,
					// n8n replaces the message of a wrapped error with a generic one; the cause keeps the original.
					reason:
						statusCode === undefined
							? String(error.cause?.message ?? error.message ?? error.code ?? 'network error')
							: undefined,
					attempts: attempt,
				},
				credentials,
			);
		}
		forceNewToken = false;
		const { statusCode, body, headers } = response;

		const rejectedToken =
			((statusCode === 403 || statusCode === 419 || statusCode === 440) &&
				looksLikeTokenRejection(body)) ||
			(statusCode === 200 && looksLikeTokenRejection(body, true));
		if (rejectedToken && !triedNewToken) {
			forceNewToken = true;
			triedNewToken = true;
			continue;
		}
		if (statusCode >= 200 && statusCode < 300 && !rejectedToken) {
			return { statusCode, headers, body, attempts: attempt };
		}

		if (statusCode === 429 && attempt < COMMUSOFT_RETRY.maxAttempts) {
			const waitSeconds = retryAfterSeconds(headers);
			if (waitSeconds === undefined || waitSeconds <= COMMUSOFT_RETRY.maxRetryAfterSeconds) {
				await sleep(
					waitSeconds === undefined ? backoffDelayMs(attempt) : Math.ceil(waitSeconds * 1000),
				);
				continue;
			}
		}
		if (statusCode >= 500 && mayRepeat && attempt < COMMUSOFT_RETRY.maxAttempts) {
			await sleep(backoffDelayMs(attempt));
			continue;
		}
		const notFound =
			statusCode === 404 && !request.notFoundIsAnswer
				? await explainNotFound.call(this, request)
				: undefined;
		throw buildCommusoftError(
			this,
			request,
			{
				statusCode: rejectedToken && statusCode === 200 ? 401 : statusCode,
				body,
				attempts: attempt,
				retryAfter: statusCode === 429 ? retryAfterSeconds(headers) : undefined,
				notFound,
			},
			credentials,
		);
	}
}

/** The status a follow-up GET gets (undefined when it could not be asked, e.g. a network error). */
async function probeStatus(
	ctx: CommusoftContext,
	endpoint: CommusoftEndpointName,
	id: string | undefined,
	itemIndex: number | undefined,
): Promise<number | undefined> {
	try {
		return (
			await commusoftApiRequest.call(ctx, {
				endpoint,
				id,
				qs: id === undefined ? { page: 1, pageSize: 1 } : undefined,
				itemIndex,
				notFoundIsAnswer: true,
			})
		).statusCode;
	} catch (error) {
		const code = Number((error as { httpCode?: string | null }).httpCode);
		return Number.isInteger(code) && code > 0 ? code : undefined;
	}
}

/**
 * After a 404 on a request that addresses a record, asks Commusoft (at most two GETs) whether the record is
 * missing or the endpoint is: the record read first (found → the endpoint itself answered 404), then its
 * collection (served → the record is missing; 404 too → nothing is served there). A 404 on a collection is the
 * endpoint's.
 */
async function explainNotFound(
	this: CommusoftContext,
	request: CommusoftRequest,
): Promise<NotFoundCause> {
	const target = addressedRecord(request);
	if (!target) return 'endpoint';
	const { read, list } = COMMUSOFT_RECORDS[target.record] as {
		read: CommusoftEndpointName;
		list?: CommusoftEndpointName;
	};
	if (read !== request.endpoint) {
		const status = await probeStatus(this, read, target.id, request.itemIndex);
		if (status !== undefined && status >= 200 && status < 300) return 'endpointWhileRecordExists';
		if (status !== 404) return 'unknown';
	}
	if (!list) return 'unknown';
	const status = await probeStatus(this, list, undefined, request.itemIndex);
	if (status !== undefined && status >= 200 && status < 300) return 'record';
	return status === 404 ? 'endpoint' : 'unknown';
}

/** The list in a list response: a bare array (documented lists) or an envelope `{data|items|results: []}`. */
export function extractList(body: unknown): IDataObject[] {
	if (Array.isArray(body)) return body as IDataObject[];
	if (body && typeof body === 'object') {
		for (const key of [
			'data',
			'items',
			'results',
			'customers',
			'invoices',
			'payments',
			'contacts',
			'suppliers',
			'creditNotes',
			'supplierInvoices',
		]) {
			const value = (body as IDataObject)[key];
			if (Array.isArray(value)) return value as IDataObject[];
		}
	}
	return [];
}

function recordKey(record: IDataObject): string {
	return String(record.uuid ?? record.id ?? JSON.stringify(record));
}

export interface GetAllOptions {
	qs?: IDataObject;
	/** Stop after this many records (undefined = all). */
	limit?: number;
	pageSize?: number;
	itemIndex?: number;
}

/**
 * Reads every page of a list endpoint (`page` 1-based + `pageSize`, assumed). Stops on a short page, and also when
 * a page brings nothing new — which is what a server that ignores the paging parameters looks like.
 */
export async function commusoftGetAll(
	this: CommusoftContext,
	endpoint: CommusoftEndpointName,
	options: GetAllOptions = {},
): Promise<IDataObject[]> {
	const pageSize = Math.max(
		1,
		Math.min(options.pageSize ?? COMMUSOFT_PAGE_SIZE, COMMUSOFT_PAGE_SIZE),
	);
	const seen = new Set<string>();
	const results: IDataObject[] = [];
	for (let page = 1; page <= COMMUSOFT_RETRY.maxPages; page++) {
		const { body } = await commusoftApiRequest.call(this, {
			endpoint,
			qs: { ...options.qs, page, pageSize },
			itemIndex: options.itemIndex,
		});
		const items = extractList(body);
		let fresh = 0;
		for (const item of items) {
			const key = recordKey(item);
			if (seen.has(key)) continue;
			seen.add(key);
			results.push(item);
			fresh++;
			if (options.limit !== undefined && results.length >= options.limit) return results;
		}
		if (items.length < pageSize || fresh === 0) break;
	}
	return results;
}

export async function commusoftGetBody(
	this: CommusoftContext,
	request: CommusoftRequest,
): Promise<unknown> {
	return (await commusoftApiRequest.call(this, request)).body;
}
