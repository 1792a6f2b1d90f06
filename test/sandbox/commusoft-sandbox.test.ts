// The Commusoft sandbox driven over HTTP as a client would: token flow, documented customer rules, the assumed
// invoice/payment/job surface (docs/commusoft-api-contract.md — assumptions, not facts about Commusoft), faults
// and the inspection surface.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
	COMMUSOFT_DEMO_CREDENTIALS,
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';

// Response bodies are asserted field by field; a loose type keeps the assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

let sandbox: RunningCommusoftSandbox;
let api: string;

async function call(
	method: string,
	path: string,
	options: { token?: string; tokenVia?: 'header' | 'query'; body?: unknown; rawBody?: string } = {},
) {
	const url = new URL(`${api}${path}`);
	const headers: Record<string, string> = {};
	if (options.token && options.tokenVia === 'query') url.searchParams.set('token', options.token);
	else if (options.token) headers['X-Auth-Token'] = options.token;
	let body: string | undefined = options.rawBody;
	if (options.body !== undefined) {
		body = JSON.stringify(options.body);
		headers['Content-Type'] = 'application/json';
	}
	const response = await fetch(url, { method, headers, body });
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json: json as Json };
}

async function login(credentials: Record<string, string> = COMMUSOFT_DEMO_CREDENTIALS) {
	return call('POST', '/getToken', { body: credentials });
}

async function token() {
	return (await login()).text;
}

async function inspect(method: string, path: string, body?: unknown) {
	const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, json: (await response.json()) as Json };
}

beforeAll(async () => {
	sandbox = await startCommusoftSandbox({ tokenLifetimeSeconds: 600 });
	api = sandbox.apiBaseUrl;
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.state.reset(true));

describe('getToken and token use', () => {
	it('returns the token as text/plain for the documented four fields', async () => {
		const response = await login();
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(response.text).toMatch(/^[0-9a-f]{48}$/);
	});

	it('refuses bad credentials with 401 and missing fields with 400', async () => {
		expect((await login({ ...COMMUSOFT_DEMO_CREDENTIALS, password: 'wrong' })).status).toBe(401);
		const missing = await login({ clientId: 'demo-client', username: 'x' });
		expect(missing.status).toBe(400);
		expect(missing.json.message).toContain('password');
	});

	it('accepts the token as X-Auth-Token or ?token=, and rejects none or an unknown one', async () => {
		const t = await token();
		expect((await call('GET', '/customers', { token: t })).status).toBe(200);
		expect((await call('GET', '/customers', { token: t, tokenVia: 'query' })).status).toBe(200);
		expect((await call('GET', '/customers')).status).toBe(401);
		const unknown = await call('GET', '/customers', { token: 'not-a-token' });
		expect(unknown.status).toBe(401);
		expect(unknown.json.error).toBe('invalid_token');
	});

	it('expires tokens after the configured lifetime (401 by default, another status on demand)', async () => {
		const t = await token();
		sandbox.state.advanceClock(599);
		expect((await call('GET', '/customers', { token: t })).status).toBe(200);
		sandbox.state.advanceClock(2);
		const expired = await call('GET', '/customers', { token: t });
		expect(expired.status).toBe(401);
		expect(expired.json.error).toBe('token_expired');
		sandbox.state.setFaults({ expiredTokenStatus: 403 });
		expect((await call('GET', '/customers', { token: t })).status).toBe(403);
		expect((await call('GET', '/customers', { token: await token() })).status).toBe(200);
	});

	it('never writes a query-string token into the call log', async () => {
		const t = await token();
		await call('GET', '/customers', { token: t, tokenVia: 'query' });
		const { json } = await inspect('GET', '/calls');
		expect(JSON.stringify(json)).not.toContain(t);
		const last = json.calls.at(-1);
		expect(last).toMatchObject({ endpoint: 'GET /customers', tokenVia: 'query', status: 200 });
		expect(json.counts['POST /getToken']).toBe(1);
	});
});

describe('customers (documented resource)', () => {
	it('seeds ~20 customers, including a same-name pair, private and company, with messy spacing', async () => {
		const { json } = await call('GET', '/customers', { token: await token() });
		expect(json.length).toBe(20);
		const smiths = json.filter((c: Json) => c.firstName === 'John' && c.lastName === 'Smith');
		expect(smiths).toHaveLength(2);
		expect(new Set(json.map((c: Json) => c.customerType))).toEqual(new Set(['private', 'company']));
		expect(json.some((c: Json) => /\s{2}|^\s|\s$/.test(`${c.firstName}`))).toBe(true);
		expect(json.every((c: Json) => /^CUS-\d{5}$/.test(c.reference))).toBe(true);
	});

	it('pages with page/pageSize in updatedAt order, reports X-Total-Count, filters by modifiedSince', async () => {
		const t = await token();
		const pages = [];
		for (let page = 1; page <= 3; page++) {
			const response = await call('GET', `/customers?page=${page}&pageSize=8`, { token: t });
			expect(response.headers.get('x-total-count')).toBe('20');
			pages.push(response.json);
		}
		expect(pages.map((p) => p.length)).toEqual([8, 8, 4]);
		const all = pages.flat();
		expect(new Set(all.map((c: Json) => c.uuid)).size).toBe(20);
		const stamps = all.map((c: Json) => c.updatedAt);
		expect([...stamps].sort()).toEqual(stamps);
		const since = all[15].updatedAt;
		const recent = await call('GET', `/customers?modifiedSince=${encodeURIComponent(since)}`, {
			token: t,
		});
		expect(recent.json.map((c: Json) => c.uuid)).toEqual(all.slice(15).map((c: Json) => c.uuid));
		expect((await call('GET', '/customers?pageSize=101&page=1', { token: t })).status).toBe(400);
		expect((await call('GET', '/customers?modifiedSince=yesterday', { token: t })).status).toBe(
			400,
		);
	});

	it('creates with a client-supplied uuid, requires first and last name, updates and soft-deletes', async () => {
		const t = await token();
		const uuid = '11111111-2222-4333-8444-555555555555';
		const noUuid = await call('POST', '/customers', {
			token: t,
			body: { firstName: 'A', lastName: 'B' },
		});
		expect(noUuid.status).toBe(400);
		const noLast = await call('POST', '/customers', { token: t, body: { uuid, firstName: 'A' } });
		expect(noLast.status).toBe(400);
		expect(noLast.json.message).toContain('lastName');
		const created = await call('POST', '/customers', {
			token: t,
			body: { uuid, title: 'Mr', firstName: 'Kyle', lastName: 'Reed', email: 'kyle@example.com' },
		});
		expect(created.status).toBe(201);
		expect(created.json).toMatchObject({
			uuid,
			reference: 'CUS-00021',
			deleted: 0,
			customerType: 'private',
		});
		expect(
			(
				await call('POST', '/customers', {
					token: t,
					body: { uuid, firstName: 'x', lastName: 'y' },
				})
			).status,
		).toBe(409);

		sandbox.state.advanceClock(5);
		const updated = await call('PUT', `/customers/${uuid}`, {
			token: t,
			body: { accountingSettings: { accountingReference: 'xero-contact-1' } },
		});
		expect(updated.json.accountingSettings.accountingReference).toBe('xero-contact-1');
		expect(updated.json.email).toBe('kyle@example.com');
		expect(Date.parse(updated.json.updatedAt)).toBeGreaterThan(Date.parse(created.json.updatedAt));
		const found = await call('GET', '/customers?accountingReference=xero-contact-1', { token: t });
		expect(found.json.map((c: Json) => c.uuid)).toEqual([uuid]);

		const deleted = await call('DELETE', `/customers/${uuid}`, { token: t });
		expect(deleted.json.deleted).toBe(1);
		expect((await call('GET', `/customers/${uuid}`, { token: t })).json.deleted).toBe(1);
		const listed = await call('GET', '/customers', { token: t });
		expect(listed.json.some((c: Json) => c.uuid === uuid)).toBe(false);
		const withDeleted = await call('GET', '/customers?includeDeleted=true', { token: t });
		expect(withDeleted.json.some((c: Json) => c.uuid === uuid)).toBe(true);
		expect(
			(await call('GET', '/customers/00000000-0000-4000-8000-000000000000', { token: t })).status,
		).toBe(404);
	});

	it('stores the assumed accounting summary for Xero balances', async () => {
		const t = await token();
		const customer = (await call('GET', '/customers?page=1&pageSize=1', { token: t })).json[0];
		expect(
			(await call('GET', `/customers/${customer.uuid}/accountingSummary`, { token: t })).status,
		).toBe(404);
		const bad = await call('PUT', `/customers/${customer.uuid}/accountingSummary`, {
			token: t,
			body: { balanceOutstanding: 'lots', balanceOverdue: 0, asAt: '2026-11-01T00:00:00Z' },
		});
		expect(bad.status).toBe(400);
		const summary = {
			xeroContactId: 'abc',
			currency: 'GBP',
			balanceOutstanding: 120.5,
			balanceOverdue: 20,
			asAt: '2026-11-20T09:00:00Z',
		};
		expect(
			(
				await call('PUT', `/customers/${customer.uuid}/accountingSummary`, {
					token: t,
					body: summary,
				})
			).status,
		).toBe(200);
		const read = await call('GET', `/customers/${customer.uuid}/accountingSummary`, { token: t });
		expect(read.json).toMatchObject(summary);
	});

	it('lists and creates contacts linked to a customer', async () => {
		const t = await token();
		const contacts = (await call('GET', '/contacts', { token: t })).json;
		expect(contacts.length).toBeGreaterThan(3);
		const customerUuid = contacts[0].linkedEntityUuid;
		const created = await call('POST', '/contacts', {
			token: t,
			body: {
				linkedEntityType: 'customer',
				linkedEntityUuid: customerUuid,
				firstName: 'Pat',
				lastName: 'Lee',
			},
		});
		expect(created.status).toBe(201);
		const linked = await call('GET', `/contacts?linkedEntityUuid=${customerUuid}`, { token: t });
		expect(linked.json.map((c: Json) => c.uuid)).toContain(created.json.uuid);
		expect((await call('GET', `/contacts/${created.json.uuid}`, { token: t })).json.lastName).toBe(
			'Lee',
		);
	});
});

describe('invoices, jobs and payments (assumed surface)', () => {
	it('seeds ~30 invoices with 1–5 lines over nominal codes 200–230, three VAT labels and four categories', async () => {
		const invoices = (await call('GET', '/invoices', { token: await token() })).json;
		// 30 job invoices and the deposit invoice of the supplier/credit-note job
		expect(invoices).toHaveLength(31);
		expect(invoices.filter((i: Json) => i.invoiceType === 'deposit')).toHaveLength(1);
		const lines = invoices.flatMap((i: Json) => i.lines);
		expect(invoices.every((i: Json) => i.lines.length >= 1 && i.lines.length <= 5)).toBe(true);
		expect(new Set(lines.map((l: Json) => l.nominalCode))).toEqual(
			new Set(['200', '210', '220', '230']),
		);
		expect(new Set(lines.map((l: Json) => l.vatRate))).toEqual(new Set(['20%', '0%', 'No VAT']));
		expect(new Set(invoices.map((i: Json) => i.invoiceCategory.name))).toEqual(
			new Set(['Plumbing', 'Heating', 'Electrical', 'Gas Safety']),
		);
		for (const invoice of invoices) {
			expect(invoice.customer.uuid).toBe(invoice.customerUuid);
			expect(invoice.property.addressLine1).toBeTruthy();
			expect(invoice.jobNumber).toMatch(/^JOB-\d+$/);
			expect(invoice.total).toBeCloseTo(invoice.subtotal + invoice.totalTax, 2);
			expect(invoice.amountOutstanding).toBeCloseTo(
				invoice.status === 'cancelled' ? 0 : invoice.total - invoice.amountPaid,
				2,
			);
		}
	});

	it('computes exclusive VAT per line: 2 × 55.00 at 20% plus 65.00 at 20% = 210.00', async () => {
		const customerUuid = sandbox.state.data.customers[0].uuid;
		const invoice = sandbox.state.raiseInvoice({
			customerUuid,
			category: 'Plumbing',
			lines: [
				{ description: 'Labour', quantity: 2, unitPrice: 55, nominalCode: '210', vatRate: '20%' },
				{ description: 'Call-out', quantity: 1, unitPrice: 65, nominalCode: '230', vatRate: '20%' },
			],
		});
		const read = await call('GET', `/invoices/${invoice.uuid}`, { token: await token() });
		expect(read.json).toMatchObject({ subtotal: 175, totalTax: 35, total: 210, status: 'raised' });
		expect(read.json.invoiceCategory.name).toBe('Plumbing');
		expect(() =>
			sandbox.state.raiseInvoice({ customerUuid, lines: [{ unitPrice: 1, nominalCode: '999' }] }),
		).toThrow(/nominal code 999/);
	});

	it('lists invoices changed since a time, including edits made through the inspection surface', async () => {
		const t = await token();
		const first = sandbox.state.data.invoices[0];
		sandbox.state.advanceClock(60);
		const since = sandbox.state.nowIso();
		const edit = await inspect('PATCH', `/invoices/${first.uuid}`, { dueDate: '2026-12-31' });
		expect(edit.status).toBe(200);
		const raised = await inspect('POST', '/invoices', {
			customerUuid: sandbox.state.data.customers[3].uuid,
			category: 'Heating',
			lines: [{ description: 'Service', unitPrice: 85, nominalCode: '200', vatRate: '20%' }],
		});
		expect(raised.status).toBe(201);
		const changed = await call('GET', `/invoices?modifiedSince=${encodeURIComponent(since)}`, {
			token: t,
		});
		expect(changed.json.map((i: Json) => i.uuid)).toEqual([first.uuid, raised.json.uuid]);
		expect(raised.json.invoiceNumber).toBe('CS-10032');
	});

	it('records a payment once per externalReference, enforces amount ≤ outstanding and a raised invoice', async () => {
		const t = await token();
		const unpaid = (await call('GET', '/invoices?status=raised', { token: t })).json.find(
			(i: Json) => i.amountPaid === 0 && i.total > 20,
		);
		const body = {
			invoiceUuid: unpaid.uuid,
			amount: 20,
			date: '2026-11-20',
			externalReference: 'xero-payment-1',
		};
		const first = await call('POST', '/payments', { token: t, body });
		expect(first.status).toBe(201);
		const second = await call('POST', '/payments', { token: t, body });
		expect(second.status).toBe(200);
		expect(second.json.uuid).toBe(first.json.uuid);
		const stored = await call('GET', '/payments?externalReference=xero-payment-1', { token: t });
		expect(stored.json).toHaveLength(1);
		const otherAmount = await call('POST', '/payments', {
			token: t,
			body: { ...body, amount: 21 },
		});
		expect(otherAmount.status).toBe(409);
		const invoice = (await call('GET', `/invoices/${unpaid.uuid}`, { token: t })).json;
		expect(invoice.amountPaid).toBe(20);
		const tooMuch = await call('POST', '/payments', {
			token: t,
			body: {
				invoiceUuid: unpaid.uuid,
				amount: invoice.amountOutstanding + 0.01,
				externalReference: 'xero-payment-2',
			},
		});
		expect(tooMuch.status).toBe(422);
		expect(tooMuch.json.message).toContain('exceeds the outstanding balance');
		const draft = sandbox.state.data.invoices.find((i) => i.status === 'draft')!;
		const onDraft = await call('POST', '/payments', {
			token: t,
			body: { invoiceUuid: draft.uuid, amount: 1 },
		});
		expect(onDraft.status).toBe(422);
	});

	it('reads a job with the invoices raised from it', async () => {
		const t = await token();
		const invoice = sandbox.state.data.invoices[4];
		const job = await call('GET', `/jobs/${invoice.jobUuid}`, { token: t });
		expect(job.json).toMatchObject({
			uuid: invoice.jobUuid,
			invoiceUuids: [invoice.uuid],
			status: 'completed',
		});
		expect((await call('GET', '/jobs/nope', { token: t })).status).toBe(404);
	});
});

describe('faults, robustness and determinism', () => {
	it('answers 429 with Retry-After and then 500 on demand, then recovers', async () => {
		const t = await token();
		await inspect('POST', '/faults', { rateLimit: 1, retryAfterSeconds: 2, serverErrors: 1 });
		const limited = await call('GET', '/customers', { token: t });
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('2');
		expect((await call('GET', '/customers', { token: t })).status).toBe(500);
		expect((await call('GET', '/customers', { token: t })).status).toBe(200);
	});

	it('survives malformed JSON, oversized bodies and unknown paths', async () => {
		const t = await token();
		const malformed = await call('POST', '/customers', { token: t, rawBody: '{"uuid":' });
		expect(malformed.status).toBe(400);
		const huge = await call('POST', '/customers', { token: t, rawBody: 'x'.repeat(1_100_000) });
		expect(huge.status).toBe(413);
		expect((await call('GET', '/quotes', { token: t })).status).toBe(404);
		expect((await call('PATCH', '/customers', { token: t })).status).toBe(405);
		expect((await call('GET', '/customers', { token: t })).status).toBe(200);
	});

	it('seeds the same data in every instance', async () => {
		const other = await startCommusoftSandbox();
		try {
			const strip = (data: Json) => JSON.parse(JSON.stringify(data));
			expect(strip(other.state.data)).toEqual(strip(sandbox.state.data));
		} finally {
			await other.close();
		}
	});
});
