/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Commusoft sandbox: a node:http server implementing docs/commusoft-api-contract.md under /api/v1 (getToken,
// customers, contacts, invoices, payments, jobs, accounting summary, suppliers, credit notes, supplier invoices), with expiring tokens, faults on demand and
// an inspection surface under /__sandbox/ for tests and the demo. It never imports the nodes.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { BodyTooLargeError, header, readRawBody, sendJson, sendRaw } from '../shared/http';
import { seedData } from './seed';
import {
	CommusoftRuleError,
	createContact,
	createCustomer,
	createJob,
	customerView,
	deleteCustomer,
	editInvoice,
	emptyData,
	findCustomer,
	findInvoice,
	invoiceView,
	jobView,
	paymentView,
	putAccountingSummary,
	putInvoiceXeroStatus,
	raiseInvoice,
	recordPayment,
	updateCustomer,
	type CommusoftData,
} from './state';
import {
	createSupplier,
	creditNoteView,
	editDocument,
	editSupplier,
	findSupplier,
	raiseCreditNote,
	recordSupplierInvoice,
	refundCreditNote,
	supplierInvoiceView,
	supplierView,
} from './suppliers';

export const COMMUSOFT_DEMO_CREDENTIALS = {
	clientId: 'demo-client',
	applicationId: 'demo-app',
	username: 'office@demo-plumbing.test',
	password: 'demo-password',
};

export const API_PREFIX = '/api/v1';
const MAX_BODY_BYTES = 1_000_000;
const MAX_PAGE_SIZE = 100;

export interface CommusoftFaults {
	/** The next N API calls answer 429 with Retry-After. */
	rateLimit?: number;
	retryAfterSeconds?: number;
	/** The next N API calls answer `serverErrorStatus` (default 500). */
	serverErrors?: number;
	serverErrorStatus?: number;
	/** Delay every API call by this many milliseconds. */
	latencyMs?: number;
	/** Only calls whose path (after /api/v1) starts with this prefix are affected by rateLimit/serverErrors. */
	pathPrefix?: string;
	/** Status for an expired token (default 401; 403 mimics an API that signals expiry differently). */
	expiredTokenStatus?: number;
	/** Answer list calls with every record, ignoring page/pageSize (a server without paging). */
	ignorePaging?: boolean;
	/** Let this many matching calls through, then answer every matching call 503 until faults are cleared. */
	failAfterCalls?: number;
	/** Only calls with this method are affected by rateLimit/serverErrors/failAfterCalls (e.g. "POST"). */
	faultMethod?: string;
}

export interface CommusoftSandboxOptions {
	port?: number;
	host?: string;
	seed?: boolean;
	/** Token lifetime in seconds of sandbox clock (default 3600). */
	tokenLifetimeSeconds?: number;
	faults?: CommusoftFaults;
	credentials?: typeof COMMUSOFT_DEMO_CREDENTIALS;
}

export interface CommusoftCall {
	seq: number;
	at: string;
	method: string;
	/** Path without the query string (tokens in the query never reach the log). */
	path: string;
	endpoint: string;
	query: Record<string, string>;
	status: number;
	tokenVia?: 'header' | 'query';
}

export interface RunningCommusoftSandbox {
	/** Origin, e.g. http://127.0.0.1:5678; the API base URL is `${url}/api/v1`. */
	url: string;
	apiBaseUrl: string;
	credentials: typeof COMMUSOFT_DEMO_CREDENTIALS;
	state: CommusoftSandboxState;
	close(): Promise<void>;
}

/** Everything mutable, with the helpers tests use in-process (the HTTP inspection surface calls the same ones). */
export class CommusoftSandboxState {
	data: CommusoftData;
	tokens = new Map<string, { expiresAt: number; issuedAt: number }>();
	calls: CommusoftCall[] = [];
	faults: CommusoftFaults = {};
	clockOffsetMs = 0;
	tokenLifetimeSeconds: number;
	expectedCredentials: typeof COMMUSOFT_DEMO_CREDENTIALS;
	private seq = 0;

	constructor(
		options: CommusoftSandboxOptions,
		public origin = '',
	) {
		this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
		this.expectedCredentials = options.credentials ?? COMMUSOFT_DEMO_CREDENTIALS;
		this.data = options.seed === false ? emptyData() : seedData();
		this.faults = { ...(options.faults ?? {}) };
	}

	now(): number {
		return Date.now() + this.clockOffsetMs;
	}

	nowIso(): string {
		return new Date(this.now()).toISOString();
	}

	/** Advances the sandbox clock (token expiry and every new updatedAt follow it). */
	advanceClock(seconds: number): void {
		this.clockOffsetMs += seconds * 1000;
	}

	reset(seed = true): void {
		this.data = seed ? seedData() : emptyData();
		this.tokens.clear();
		this.calls = [];
		this.faults = {};
		this.clockOffsetMs = 0;
	}

	issueToken(): string {
		const token = randomBytes(24).toString('hex');
		this.tokens.set(token, {
			issuedAt: this.now(),
			expiresAt: this.now() + this.tokenLifetimeSeconds * 1000,
		});
		return token;
	}

	expireTokens(): void {
		for (const entry of this.tokens.values()) entry.expiresAt = this.now() - 1;
	}

	setFaults(faults: CommusoftFaults): void {
		this.faults = { ...this.faults, ...faults };
	}

	clearFaults(): void {
		this.faults = {};
	}

	log(call: Omit<CommusoftCall, 'seq' | 'at'>): void {
		this.calls.push({ seq: ++this.seq, at: this.nowIso(), ...call });
		if (this.calls.length > 5_000) this.calls.splice(0, this.calls.length - 5_000);
	}

	/** Calls per endpoint, e.g. `{ 'GET /customers': 3, 'POST /getToken': 1 }`. */
	callCounts(): Record<string, number> {
		const counts: Record<string, number> = {};
		for (const call of this.calls) counts[call.endpoint] = (counts[call.endpoint] ?? 0) + 1;
		return counts;
	}

	clearCalls(): void {
		this.calls = [];
	}

	// ---- mutation helpers for tests and the demo ----

	raiseInvoice(body: Record<string, unknown>) {
		return invoiceView(this.data, raiseInvoice(this.data, body, this.nowIso()), this.origin);
	}

	editInvoice(uuid: string, body: Record<string, unknown>) {
		return invoiceView(this.data, editInvoice(this.data, uuid, body, this.nowIso()), this.origin);
	}

	createCustomer(body: Record<string, unknown>) {
		const uuid = (body.uuid as string | undefined) ?? cryptoUuid();
		return customerView(createCustomer(this.data, { ...body, uuid }, this.nowIso()));
	}

	editCustomer(uuid: string, body: Record<string, unknown>) {
		return customerView(updateCustomer(this.data, uuid, body, this.nowIso()));
	}

	createJob(body: Record<string, unknown>) {
		return jobView(this.data, createJob(this.data, body, this.nowIso()));
	}

	// Suppliers, credit notes and supplier invoices (./suppliers.ts).
	createSupplier(body: Record<string, unknown>) {
		return supplierView(createSupplier(this.data, body, this.nowIso()));
	}

	editSupplier(uuid: string, body: Record<string, unknown>) {
		return supplierView(editSupplier(this.data, uuid, body, this.nowIso()));
	}

	raiseCreditNote(body: Record<string, unknown>) {
		return creditNoteView(this.data, raiseCreditNote(this.data, body, this.nowIso()), this.origin);
	}

	refundCreditNote(uuid: string, body: Record<string, unknown>) {
		return creditNoteView(
			this.data,
			refundCreditNote(this.data, uuid, body, this.nowIso()),
			this.origin,
		);
	}

	recordSupplierInvoice(body: Record<string, unknown>) {
		return supplierInvoiceView(
			this.data,
			recordSupplierInvoice(this.data, body, this.nowIso()),
			this.origin,
		);
	}

	/** Edits a credit note or supplier invoice: status, date, lines. */
	editDocument(
		type: 'creditNote' | 'supplierInvoice',
		uuid: string,
		body: Record<string, unknown>,
	) {
		if (type === 'creditNote') {
			const note = this.data.creditNotes.find((c) => c.uuid === uuid);
			if (!note) throw new CommusoftRuleError(404, 'not_found', `Credit note ${uuid} not found`);
			editDocument(this.data, note, body, this.nowIso());
			return creditNoteView(this.data, note, this.origin);
		}
		const bill = this.data.supplierInvoices.find((b) => b.uuid === uuid);
		if (!bill) throw new CommusoftRuleError(404, 'not_found', `Supplier invoice ${uuid} not found`);
		editDocument(this.data, bill, body, this.nowIso());
		return supplierInvoiceView(this.data, bill, this.origin);
	}

	/** Bumps updatedAt of a record without changing anything else. */
	touch(
		type:
			| 'customer'
			| 'invoice'
			| 'payment'
			| 'job'
			| 'supplier'
			| 'creditNote'
			| 'supplierInvoice',
		uuid: string,
	): string {
		const collection = {
			customer: this.data.customers,
			invoice: this.data.invoices,
			payment: this.data.payments,
			job: this.data.jobs,
			supplier: this.data.suppliers,
			creditNote: this.data.creditNotes,
			supplierInvoice: this.data.supplierInvoices,
		}[type] as Array<{ uuid: string; updatedAt: string }>;
		const record = collection?.find((r) => r.uuid === uuid);
		if (!record) throw new CommusoftRuleError(404, 'not_found', `${type} ${uuid} not found`);
		record.updatedAt = this.nowIso();
		return record.updatedAt;
	}

	invoiceView(uuid: string) {
		return invoiceView(this.data, findInvoice(this.data, uuid), this.origin);
	}
}

function cryptoUuid(): string {
	const bytes = randomBytes(16);
	bytes[6] = (bytes[6] & 0x0f) | 0x40;
	bytes[8] = (bytes[8] & 0x3f) | 0x80;
	const hex = bytes.toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function apiError(
	res: ServerResponse,
	status: number,
	error: string,
	message: string,
	headers: Record<string, string> = {},
) {
	sendJson(res, status, { error, message }, headers);
}

interface ListOptions {
	query: URLSearchParams;
	ignorePaging: boolean;
}

/** Lists are sorted by updatedAt then uuid; `modifiedSince` keeps records with updatedAt ≥ it; paging is optional. */
function listResponse<T extends { uuid: string; updatedAt: string }>(
	res: ServerResponse,
	records: T[],
	view: (record: T) => unknown,
	{ query, ignorePaging }: ListOptions,
): void {
	let selected = [...records];
	const modifiedSince = query.get('modifiedSince');
	if (modifiedSince !== null) {
		const since = Date.parse(modifiedSince);
		if (Number.isNaN(since))
			return apiError(res, 400, 'validation', 'modifiedSince must be an ISO 8601 date-time');
		selected = selected.filter((r) => Date.parse(r.updatedAt) >= since);
	}
	selected.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.uuid.localeCompare(b.uuid));
	const total = selected.length;
	const pageText = query.get('page');
	const sizeText = query.get('pageSize');
	if (!ignorePaging && (pageText !== null || sizeText !== null)) {
		const page = pageText === null ? 1 : Number(pageText);
		const pageSize = sizeText === null ? 50 : Number(sizeText);
		if (!Number.isInteger(page) || page < 1)
			return apiError(res, 400, 'validation', 'page must be an integer ≥ 1');
		if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			return apiError(
				res,
				400,
				'validation',
				`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`,
			);
		}
		selected = selected.slice((page - 1) * pageSize, page * pageSize);
	}
	sendJson(res, 200, selected.map(view), { 'X-Total-Count': String(total) });
}

type Route = {
	method: string;
	pattern: RegExp;
	endpoint: string;
	handler: (ctx: RouteContext) => void | Promise<void>;
	auth: boolean;
};

interface RouteContext {
	req: IncomingMessage;
	res: ServerResponse;
	params: string[];
	query: URLSearchParams;
	body: () => Record<string, unknown>;
	state: CommusoftSandboxState;
}

function tryParseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

function parseJsonBody(raw: Buffer): Record<string, unknown> {
	if (raw.length === 0) return {};
	const parsed = tryParseJson(raw.toString('utf8'));
	if (!parsed.ok) throw new CommusoftRuleError(400, 'bad_request', 'Malformed JSON body');
	const value = parsed.value;
	if (!value || typeof value !== 'object' || Array.isArray(value)) {
		throw new CommusoftRuleError(400, 'bad_request', 'The body must be a JSON object');
	}
	return value as Record<string, unknown>;
}

const ID = '([^/]+)';

function apiRoutes(): Route[] {
	const r = (
		method: string,
		path: string,
		endpoint: string,
		handler: Route['handler'],
		auth = true,
	): Route => ({
		method,
		pattern: new RegExp(`^${path}$`),
		endpoint: `${method} ${endpoint}`,
		handler,
		auth,
	});
	const list = (ctx: RouteContext) => ({
		query: ctx.query,
		ignorePaging: ctx.state.faults.ignorePaging === true,
	});
	return [
		r(
			'POST',
			'/getToken',
			'/getToken',
			({ res, body, state }) => {
				const input = body();
				const expected = state.expectedCredentials;
				const missing = ['clientId', 'username', 'password', 'applicationId'].filter(
					(field) => typeof input[field] !== 'string' || input[field] === '',
				);
				if (missing.length)
					return apiError(res, 400, 'bad_request', `Missing ${missing.join(', ')}`);
				const ok = (Object.keys(expected) as Array<keyof typeof expected>).every(
					(k) => input[k] === expected[k],
				);
				if (!ok) return apiError(res, 401, 'invalid_credentials', 'Invalid credentials');
				sendRaw(res, 200, state.issueToken(), { 'Content-Type': 'text/plain; charset=utf-8' });
			},
			false,
		),
		r('GET', '/customers', '/customers', (ctx) => {
			const q = ctx.query;
			let customers = ctx.state.data.customers;
			if (q.get('includeDeleted') !== 'true' && q.get('includeDeleted') !== '1')
				customers = customers.filter((c) => !c.deleted);
			for (const [param, pick] of [
				['uuid', (c: (typeof customers)[number]) => c.uuid],
				['reference', (c: (typeof customers)[number]) => c.reference],
				[
					'accountingReference',
					(c: (typeof customers)[number]) => c.accountingSettings.accountingReference,
				],
				['email', (c: (typeof customers)[number]) => c.email?.trim().toLowerCase()],
				['importRunId', (c: (typeof customers)[number]) => c.importRunId],
			] as const) {
				const wanted = q.get(param);
				if (wanted !== null)
					customers = customers.filter(
						(c) => pick(c) === (param === 'email' ? wanted.trim().toLowerCase() : wanted),
					);
			}
			listResponse(ctx.res, customers, customerView, list(ctx));
		}),
		r('POST', '/customers', '/customers', ({ res, body, state }) => {
			sendJson(res, 201, customerView(createCustomer(state.data, body(), state.nowIso())));
		}),
		r(
			'GET',
			`/customers/${ID}/accountingSummary`,
			'/customers/{uuid}/accountingSummary',
			({ res, params, state }) => {
				const customer = findCustomer(state.data, params[0]);
				if (!customer.accountingSummary)
					return apiError(res, 404, 'not_found', `No accounting summary for customer ${params[0]}`);
				sendJson(res, 200, customer.accountingSummary);
			},
		),
		r(
			'PUT',
			`/customers/${ID}/accountingSummary`,
			'/customers/{uuid}/accountingSummary',
			({ res, params, body, state }) => {
				sendJson(res, 200, putAccountingSummary(state.data, params[0], body(), state.nowIso()));
			},
		),
		r('GET', `/customers/${ID}`, '/customers/{uuid}', ({ res, params, state }) => {
			sendJson(res, 200, customerView(findCustomer(state.data, params[0])));
		}),
		r('PUT', `/customers/${ID}`, '/customers/{uuid}', ({ res, params, body, state }) => {
			sendJson(
				res,
				200,
				customerView(updateCustomer(state.data, params[0], body(), state.nowIso())),
			);
		}),
		r('DELETE', `/customers/${ID}`, '/customers/{uuid}', ({ res, params, query, state }) => {
			const permanent = query.get('permanent') === 'true';
			sendJson(
				res,
				200,
				customerView(deleteCustomer(state.data, params[0], state.nowIso(), permanent)),
			);
		}),
		r('GET', '/contacts', '/contacts', (ctx) => {
			const linked = ctx.query.get('linkedEntityUuid');
			const contacts = ctx.state.data.contacts.filter(
				(c) => linked === null || c.linkedEntityUuid === linked,
			);
			listResponse(ctx.res, contacts, (c) => c, list(ctx));
		}),
		r('POST', '/contacts', '/contacts', ({ res, body, state }) => {
			sendJson(res, 201, createContact(state.data, body(), state.nowIso()));
		}),
		r('GET', `/contacts/${ID}`, '/contacts/{uuid}', ({ res, params, state }) => {
			const contact = state.data.contacts.find((c) => c.uuid === params[0]);
			if (!contact) return apiError(res, 404, 'not_found', `Contact ${params[0]} not found`);
			sendJson(res, 200, contact);
		}),
		r('GET', '/invoices', '/invoices', (ctx) => {
			const status = ctx.query.get('status');
			const customerUuid = ctx.query.get('customerUuid');
			const invoices = ctx.state.data.invoices.filter(
				(i) =>
					(status === null || i.status === status) &&
					(customerUuid === null || i.customerUuid === customerUuid),
			);
			listResponse(
				ctx.res,
				invoices,
				(i) => invoiceView(ctx.state.data, i, ctx.state.origin),
				list(ctx),
			);
		}),
		r(
			'GET',
			`/invoices/${ID}/xeroStatus`,
			'/invoices/{uuid}/xeroStatus',
			({ res, params, state }) => {
				const invoice = findInvoice(state.data, params[0]);
				if (!invoice.xeroStatus)
					return apiError(res, 404, 'not_found', `No Xero status for invoice ${params[0]}`);
				sendJson(res, 200, invoice.xeroStatus);
			},
		),
		r(
			'PUT',
			`/invoices/${ID}/xeroStatus`,
			'/invoices/{uuid}/xeroStatus',
			({ res, params, body, state }) => {
				const result = putInvoiceXeroStatus(state.data, params[0], body(), state.nowIso());
				sendJson(res, result.created ? 201 : 200, result.status);
			},
		),
		r('GET', `/invoices/${ID}`, '/invoices/{uuid}', ({ res, params, state }) => {
			sendJson(res, 200, invoiceView(state.data, findInvoice(state.data, params[0]), state.origin));
		}),
		r('GET', '/payments', '/payments', (ctx) => {
			const invoiceUuid = ctx.query.get('invoiceUuid');
			const externalReference = ctx.query.get('externalReference');
			const payments = ctx.state.data.payments.filter(
				(p) =>
					(invoiceUuid === null || p.invoiceUuid === invoiceUuid) &&
					(externalReference === null || p.externalReference === externalReference),
			);
			listResponse(ctx.res, payments, (p) => paymentView(ctx.state.data, p), list(ctx));
		}),
		r('POST', '/payments', '/payments', ({ res, body, state }) => {
			const { payment, created } = recordPayment(state.data, body(), state.nowIso());
			sendJson(res, created ? 201 : 200, paymentView(state.data, payment));
		}),
		r('GET', `/payments/${ID}`, '/payments/{uuid}', ({ res, params, state }) => {
			const payment = state.data.payments.find((p) => p.uuid === params[0]);
			if (!payment) return apiError(res, 404, 'not_found', `Payment ${params[0]} not found`);
			sendJson(res, 200, paymentView(state.data, payment));
		}),
		r('GET', `/jobs/${ID}`, '/jobs/{uuid}', ({ res, params, state }) => {
			const job = state.data.jobs.find((j) => j.uuid === params[0]);
			if (!job) return apiError(res, 404, 'not_found', `Job ${params[0]} not found`);
			sendJson(res, 200, jobView(state.data, job));
		}),
		// Suppliers (documented), credit notes and supplier invoices (assumed).
		r('GET', '/suppliers', '/suppliers', (ctx) => {
			const reference = ctx.query.get('reference');
			const withDeleted = ['true', '1'].includes(ctx.query.get('includeDeleted') ?? '');
			const suppliers = ctx.state.data.suppliers.filter(
				(s) => (withDeleted || !s.deleted) && (reference === null || s.reference === reference),
			);
			listResponse(ctx.res, suppliers, supplierView, list(ctx));
		}),
		r('GET', `/suppliers/${ID}`, '/suppliers/{uuid}', ({ res, params, state }) => {
			sendJson(res, 200, supplierView(findSupplier(state.data, params[0])));
		}),
		r('GET', '/credit_notes', '/credit_notes', (ctx) => {
			const filters = ['status', 'customerUuid', 'invoiceUuid'] as const;
			const notes = ctx.state.data.creditNotes.filter((note) =>
				filters.every((key) => ctx.query.get(key) === null || note[key] === ctx.query.get(key)),
			);
			listResponse(
				ctx.res,
				notes,
				(note) => creditNoteView(ctx.state.data, note, ctx.state.origin),
				list(ctx),
			);
		}),
		r('GET', `/credit_notes/${ID}`, '/credit_notes/{uuid}', ({ res, params, state }) => {
			const note = state.data.creditNotes.find((c) => c.uuid === params[0]);
			if (!note) return apiError(res, 404, 'not_found', `Credit note ${params[0]} not found`);
			sendJson(res, 200, creditNoteView(state.data, note, state.origin));
		}),
		r('GET', '/supplier_invoices', '/supplier_invoices', (ctx) => {
			const filters = ['status', 'supplierUuid'] as const;
			const bills = ctx.state.data.supplierInvoices.filter((bill) =>
				filters.every((key) => ctx.query.get(key) === null || bill[key] === ctx.query.get(key)),
			);
			listResponse(
				ctx.res,
				bills,
				(bill) => supplierInvoiceView(ctx.state.data, bill, ctx.state.origin),
				list(ctx),
			);
		}),
		r('GET', `/supplier_invoices/${ID}`, '/supplier_invoices/{uuid}', ({ res, params, state }) => {
			const bill = state.data.supplierInvoices.find((b) => b.uuid === params[0]);
			if (!bill) return apiError(res, 404, 'not_found', `Supplier invoice ${params[0]} not found`);
			sendJson(res, 200, supplierInvoiceView(state.data, bill, state.origin));
		}),
	];
}

function inspectionRoutes(): Route[] {
	const r = (method: string, path: string, handler: Route['handler']): Route => ({
		method,
		pattern: new RegExp(`^${path}$`),
		endpoint: `${method} /__sandbox${path}`,
		handler,
		auth: false,
	});
	return [
		r('GET', '/state', ({ res, state }) =>
			sendJson(res, 200, {
				...state.data,
				clockOffsetMs: state.clockOffsetMs,
				faults: state.faults,
				activeTokens: state.tokens.size,
			}),
		),
		r('POST', '/reset', ({ res, body, state }) => {
			state.reset(body().seed !== false);
			sendJson(res, 200, { ok: true });
		}),
		r('POST', '/seed', ({ res, state }) => {
			state.reset(true);
			sendJson(res, 200, {
				ok: true,
				customers: state.data.customers.length,
				invoices: state.data.invoices.length,
			});
		}),
		r('GET', '/calls', ({ res, state }) =>
			sendJson(res, 200, { calls: state.calls, counts: state.callCounts() }),
		),
		r('DELETE', '/calls', ({ res, state }) => {
			state.clearCalls();
			sendJson(res, 200, { ok: true });
		}),
		r('GET', '/faults', ({ res, state }) => sendJson(res, 200, state.faults)),
		r('POST', '/faults', ({ res, body, state }) => {
			state.setFaults(body() as CommusoftFaults);
			sendJson(res, 200, state.faults);
		}),
		r('DELETE', '/faults', ({ res, state }) => {
			state.clearFaults();
			sendJson(res, 200, state.faults);
		}),
		r('POST', '/tokens/expire', ({ res, state }) => {
			state.expireTokens();
			sendJson(res, 200, { expired: state.tokens.size });
		}),
		r('GET', '/clock', ({ res, state }) =>
			sendJson(res, 200, { now: state.nowIso(), offsetMs: state.clockOffsetMs }),
		),
		r('POST', '/clock', ({ res, body, state }) => {
			const input = body();
			if (typeof input.advanceSeconds === 'number') state.advanceClock(input.advanceSeconds);
			sendJson(res, 200, { now: state.nowIso(), offsetMs: state.clockOffsetMs });
		}),
		r('POST', '/invoices', ({ res, body, state }) =>
			sendJson(res, 201, state.raiseInvoice(body())),
		),
		r('PATCH', `/invoices/${ID}`, ({ res, params, body, state }) =>
			sendJson(res, 200, state.editInvoice(params[0], body())),
		),
		r('POST', '/customers', ({ res, body, state }) =>
			sendJson(res, 201, state.createCustomer(body())),
		),
		r('PATCH', `/customers/${ID}`, ({ res, params, body, state }) =>
			sendJson(res, 200, state.editCustomer(params[0], body())),
		),
		r('POST', '/jobs', ({ res, body, state }) => sendJson(res, 201, state.createJob(body()))),
		r('POST', '/suppliers', ({ res, body, state }) =>
			sendJson(res, 201, state.createSupplier(body())),
		),
		r('PATCH', `/suppliers/${ID}`, ({ res, params, body, state }) =>
			sendJson(res, 200, state.editSupplier(params[0], body())),
		),
		r('POST', '/credit_notes', ({ res, body, state }) =>
			sendJson(res, 201, state.raiseCreditNote(body())),
		),
		r('PATCH', `/credit_notes/${ID}`, ({ res, params, body, state }) =>
			sendJson(res, 200, state.editDocument('creditNote', params[0], body())),
		),
		r('POST', `/credit_notes/${ID}/refunds`, ({ res, params, body, state }) =>
			sendJson(res, 201, state.refundCreditNote(params[0], body())),
		),
		r('POST', '/supplier_invoices', ({ res, body, state }) =>
			sendJson(res, 201, state.recordSupplierInvoice(body())),
		),
		r('PATCH', `/supplier_invoices/${ID}`, ({ res, params, body, state }) =>
			sendJson(res, 200, state.editDocument('supplierInvoice', params[0], body())),
		),
		r('POST', '/touch', ({ res, body, state }) => {
			const input = body();
			const updatedAt = state.touch(input.type as 'customer', String(input.uuid));
			sendJson(res, 200, { updatedAt });
		}),
	];
}

export async function startCommusoftSandbox(
	options: CommusoftSandboxOptions = {},
): Promise<RunningCommusoftSandbox> {
	const state = new CommusoftSandboxState(options);
	const api = apiRoutes();
	const inspection = inspectionRoutes();

	const server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			if (error instanceof BodyTooLargeError)
				return apiError(res, 413, 'payload_too_large', error.message);
			if (error instanceof CommusoftRuleError)
				return apiError(res, error.status, error.code, error.message);
			apiError(res, 500, 'internal', 'Sandbox error');
		});
	});

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://sandbox.local');
		const method = (req.method ?? 'GET').toUpperCase();
		const rawBody =
			method === 'GET' || method === 'HEAD'
				? Buffer.alloc(0)
				: await readRawBody(req, MAX_BODY_BYTES);
		const body = () => parseJsonBody(rawBody);

		if (url.pathname.startsWith('/__sandbox/')) {
			const path = url.pathname.slice('/__sandbox'.length);
			const route = inspection.find(
				(candidate) => candidate.method === method && candidate.pattern.test(path),
			);
			if (!route)
				return apiError(res, 404, 'not_found', `No sandbox route ${method} ${url.pathname}`);
			const params = route.pattern.exec(path)!.slice(1).map(decodeURIComponent);
			await route.handler({ req, res, params, query: url.searchParams, body, state });
			return;
		}
		if (url.pathname.startsWith('/app/invoices/')) {
			const invoice = state.data.invoices.find(
				(i) => i.uuid === decodeURIComponent(url.pathname.slice(14)),
			);
			if (!invoice) return sendRaw(res, 404, 'Not found', { 'Content-Type': 'text/plain' });
			return sendRaw(
				res,
				200,
				`<!doctype html><title>${invoice.invoiceNumber}</title><h1>Commusoft sandbox invoice ${invoice.invoiceNumber}</h1>`,
				{ 'Content-Type': 'text/html; charset=utf-8' },
			);
		}
		if (!url.pathname.startsWith(`${API_PREFIX}/`))
			return apiError(res, 404, 'not_found', `No route ${method} ${url.pathname}`);

		const path = url.pathname.slice(API_PREFIX.length);
		const route = api.find(
			(candidate) => candidate.method === method && candidate.pattern.test(path),
		);
		const query: Record<string, string> = {};
		for (const [key, value] of url.searchParams) query[key] = key === 'token' ? '***' : value;
		const headerToken = header(req, 'x-auth-token');
		const queryToken = url.searchParams.get('token') ?? undefined;
		const tokenVia = headerToken ? 'header' : queryToken ? 'query' : undefined;
		const originalEnd = res.end.bind(res);
		res.end = ((...args: Parameters<ServerResponse['end']>) => {
			state.log({
				method,
				path,
				endpoint: route ? route.endpoint : `${method} (unknown)`,
				query,
				status: res.statusCode,
				tokenVia,
			});
			return originalEnd(...args);
		}) as ServerResponse['end'];

		if (state.faults.latencyMs)
			await new Promise((resolve) => setTimeout(resolve, state.faults.latencyMs));
		if (!route) {
			const known = api.some((candidate) => candidate.pattern.test(path));
			return known
				? apiError(res, 405, 'method_not_allowed', `${method} is not allowed on ${path}`)
				: apiError(res, 404, 'not_found', `No route ${method} ${API_PREFIX}${path}`);
		}
		if (route.auth) {
			const token = headerToken ?? queryToken;
			if (!token)
				return apiError(res, 401, 'unauthorized', 'Missing token: send X-Auth-Token or ?token=');
			const entry = state.tokens.get(token);
			if (!entry) return apiError(res, 401, 'invalid_token', 'Invalid token');
			if (entry.expiresAt <= state.now()) {
				return apiError(
					res,
					state.faults.expiredTokenStatus ?? 401,
					'token_expired',
					'Token expired',
				);
			}
		}
		const faultApplies =
			(!state.faults.pathPrefix || path.startsWith(state.faults.pathPrefix)) &&
			(!state.faults.faultMethod || state.faults.faultMethod.toUpperCase() === method);
		if (faultApplies && route.auth && state.faults.failAfterCalls !== undefined) {
			if (state.faults.failAfterCalls > 0) state.faults.failAfterCalls -= 1;
			else return apiError(res, 503, 'unavailable', 'Service unavailable');
		}
		if (faultApplies && route.auth && (state.faults.rateLimit ?? 0) > 0) {
			state.faults.rateLimit! -= 1;
			return apiError(res, 429, 'rate_limited', 'Too many requests', {
				'Retry-After': String(state.faults.retryAfterSeconds ?? 1),
			});
		}
		if (faultApplies && route.auth && (state.faults.serverErrors ?? 0) > 0) {
			state.faults.serverErrors! -= 1;
			return apiError(
				res,
				state.faults.serverErrorStatus ?? 500,
				'server_error',
				'Internal server error',
			);
		}
		const params = route.pattern.exec(path)!.slice(1).map(decodeURIComponent);
		await route.handler({ req, res, params, query: url.searchParams, body, state });
	}

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
	});
	const address = server.address() as AddressInfo;
	const host = address.address.includes(':') ? `[${address.address}]` : address.address;
	const url = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
	state.origin = url;
	return {
		url,
		apiBaseUrl: `${url}${API_PREFIX}`,
		credentials: state.expectedCredentials,
		state,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections?.();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
