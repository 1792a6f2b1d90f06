/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Rate limits, Idempotency-Key, faults, robustness and schema validation of the Xero sandbox.
import { createHmac } from 'node:crypto';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { xeroTestClient, type XeroTestClient } from '../../sandbox/xero/client';
import { EXAMPLE_DRIFT, validateAgainst, validateResponse } from '../../sandbox/xero/openapi';
import { DEFAULT_LIMITS } from '../../sandbox/xero/limits';
import type { XeroWebhookEvent } from '../../sandbox/xero/types';

let sb: XeroSandbox;
let x: XeroTestClient;
/** What the sandbox logged (kept here, not printed: the schema case below provokes a failure on purpose). */
const sandboxLog: string[] = [];
beforeAll(async () => {
	sb = await startXeroSandbox({ timeScale: 60, log: (message) => sandboxLog.push(message) });
});
beforeEach(() => {
	sb.reset();
	sb.setTimeScale(60);
	sb.setLimits(DEFAULT_LIMITS);
	x = xeroTestClient(sb);
});
afterAll(async () => sb.close());

const invoiceBody = (n: string) => ({
	Invoices: [
		{
			Type: 'ACCREC',
			InvoiceNumber: n,
			Contact: { ContactID: sb.state().contacts[0].ContactID },
			LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 5, AccountCode: '200' }],
		},
	],
});

describe('rate limits (docs/xero-rules.md §1)', () => {
	it('sends the three limit headers on every API response and only the app one on /connections', async () => {
		const res = await x.call('GET', '/Organisation');
		expect(res.headers.get('x-daylimit-remaining')).toBe('4999');
		expect(res.headers.get('x-minlimit-remaining')).toBe('59');
		expect(Number(res.headers.get('x-appminlimit-remaining'))).toBe(9999);
		const conn = await x.call('GET', '/connections', { tenantId: null });
		expect(conn.headers.get('x-appminlimit-remaining')).toBeTruthy();
		expect(conn.headers.get('x-minlimit-remaining')).toBeNull();
	});

	it('answers 429 minute with Retry-After per tenant, and the scaled minute resets', async () => {
		sb.setLimits({ perTenantMinute: 3 });
		const remaining = [];
		for (let i = 0; i < 3; i++)
			remaining.push((await x.call('GET', '/Organisation')).headers.get('x-minlimit-remaining'));
		expect(remaining).toEqual(['2', '1', '0']);
		const limited = await x.call('GET', '/Organisation');
		expect(limited.status).toBe(429);
		expect(limited.headers.get('x-rate-limit-problem')).toBe('minute');
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		// Another organisation has its own allowance.
		expect(
			(await x.call('GET', '/Organisation', { tenantId: sb.tenants()[1].tenantId })).status,
		).toBe(200);
		expect(sb.callStats().rateLimited).toBe(1);
		// timeScale 60: a "minute" lasts one second.
		await new Promise((r) => setTimeout(r, 1050));
		expect((await x.call('GET', '/Organisation')).status).toBe(200);
	});

	it('answers 429 day with Retry-After and appminute across tenants', async () => {
		sb.setLimits({ perTenantDay: 2 });
		await x.call('GET', '/Organisation');
		await x.call('GET', '/Organisation');
		const day = await x.call('GET', '/Organisation');
		expect(day.status).toBe(429);
		expect(day.headers.get('x-rate-limit-problem')).toBe('day');
		expect(day.headers.get('retry-after')).toBeTruthy();
		expect(day.headers.get('x-daylimit-remaining')).toBe('0');
		sb.reset();
		sb.setLimits({ ...DEFAULT_LIMITS, appMinute: 3 });
		const [a, b] = sb.tenants();
		for (const t of [a, b, a])
			expect((await x.call('GET', '/Organisation', { tenantId: t.tenantId })).status).toBe(200);
		const app = await x.call('GET', '/Organisation', { tenantId: b.tenantId });
		expect(app.status).toBe(429);
		expect(app.headers.get('x-rate-limit-problem')).toBe('appminute');
		expect(app.headers.get('x-appminlimit-remaining')).toBe('0');
	});

	it('answers 429 concurrent (no Retry-After) beyond the in-flight limit', async () => {
		sb.setLimits({ perTenantConcurrent: 2 });
		sb.setFaults({ latencyMs: 150 });
		const results = await Promise.all([1, 2, 3, 4].map(() => x.call('GET', '/Organisation')));
		sb.setFaults({});
		const statuses = results.map((r) => r.status).sort();
		expect(statuses).toEqual([200, 200, 429, 429]);
		const limited = results.find((r) => r.status === 429)!;
		expect(limited.headers.get('x-rate-limit-problem')).toBe('concurrent');
		expect(limited.headers.get('retry-after')).toBeNull();
	});
});

describe('Idempotency-Key (docs/xero-rules.md §2.3)', () => {
	it('replays the first response byte for byte without a second side effect', async () => {
		// A real-time minute: at timeScale 60 a loaded machine can cross the one-second "minute" between the two
		// calls, and the limit headers below would then describe two different windows.
		sb.setTimeScale(1);
		const headers = { 'Idempotency-Key': 'batch-abc-1' };
		const first = await x.call('PUT', '/Invoices', { body: invoiceBody('IDEM-1'), headers });
		const second = await x.call('PUT', '/Invoices', { body: invoiceBody('IDEM-1'), headers });
		expect(first.status).toBe(200);
		expect(second.status).toBe(200);
		expect(second.text).toBe(first.text);
		expect(sb.state().invoices.filter((i) => i.InvoiceNumber === 'IDEM-1')).toHaveLength(1);
		expect(sb.callStats().idempotentReplays).toBe(1);
		expect(
			sb.events().filter((e) => e.eventType === 'CREATE' && e.eventCategory === 'INVOICE'),
		).toHaveLength(1);
		// Replays count against the rate limits.
		expect(second.headers.get('x-minlimit-remaining')).toBe('58');
	});

	it('refuses the same key with a different request, and keys over 128 characters', async () => {
		await x.call('PUT', '/Invoices', {
			body: invoiceBody('IDEM-2'),
			headers: { 'Idempotency-Key': 'k2' },
		});
		const other = await x.call('PUT', '/Invoices', {
			body: invoiceBody('IDEM-3'),
			headers: { 'Idempotency-Key': 'k2' },
		});
		expect(other.status).toBe(400);
		expect(other.json.Message).toMatch(/used with a different request/);
		expect(sb.state().invoices.some((i) => i.InvoiceNumber === 'IDEM-3')).toBe(false);
		expect(
			(
				await x.call('PUT', '/Invoices', {
					body: invoiceBody('IDEM-4'),
					headers: { 'Idempotency-Key': 'k'.repeat(129) },
				})
			).status,
		).toBe(400);
		expect(
			(
				await x.call('PUT', '/Invoices', {
					body: invoiceBody('IDEM-4'),
					headers: { 'Idempotency-Key': 'k'.repeat(128) },
				})
			).status,
		).toBe(200);
	});

	it('replays errors too, and forgets keys after the (scaled) 6-minute window', async () => {
		const bad = invoiceBody('INV-0001');
		const a = await x.call('PUT', '/Invoices', { body: bad, headers: { 'Idempotency-Key': 'k3' } });
		const b = await x.call('PUT', '/Invoices', { body: bad, headers: { 'Idempotency-Key': 'k3' } });
		expect(a.status).toBe(400);
		expect(b.text).toBe(a.text);
		sb.advanceClock(6_000 + 10); // 6 minutes at timeScale 60
		const fresh = await x.call('PUT', '/Invoices', {
			body: invoiceBody('IDEM-5'),
			headers: { 'Idempotency-Key': 'k3' },
		});
		expect(fresh.status).toBe(200);
	});
});

describe('faults on demand', () => {
	const statuses = async (n: number) => {
		const out: number[] = [];
		for (let i = 0; i < n; i++) out.push((await x.call('GET', '/Organisation')).status);
		return out;
	};

	it('draws 500/503 deterministically from the seed', async () => {
		sb.setFaults({ seed: 42, error500Rate: 0.25, error503Rate: 0.25 });
		const first = await statuses(24);
		sb.setFaults({ seed: 42, error500Rate: 0.25, error503Rate: 0.25 });
		expect(await statuses(24)).toEqual(first);
		expect(first).toContain(500);
		expect(first).toContain(503);
		expect(first).toContain(200);
		sb.setFaults({ seed: 43, error500Rate: 0.25, error503Rate: 0.25 });
		expect(await statuses(24)).not.toEqual(first);
		expect(sb.callStats().faults['500']).toBeGreaterThan(0);
	});

	it('goes down, bursts 429s, resets connections and times out on request', async () => {
		sb.setFaults({ down: true });
		expect(await statuses(2)).toEqual([503, 503]);
		sb.setFaults({ burst429: 2 });
		const burst = await x.call('GET', '/Organisation');
		expect(burst.status).toBe(429);
		expect(burst.headers.get('retry-after')).toBe('1');
		expect(await statuses(2)).toEqual([429, 200]);
		sb.setFaults({ resetRate: 1 });
		await expect(x.call('GET', '/Organisation')).rejects.toThrow();
		sb.setFaults({ timeoutRate: 1 });
		const url = `${sb.url}/api.xro/2.0/Organisation`;
		await expect(
			fetch(url, {
				headers: { Authorization: `Bearer ${x.token}`, 'xero-tenant-id': x.tenantId },
				signal: AbortSignal.timeout(300),
			}),
		).rejects.toThrow();
		// A gateway's own limit: a client without a timeout sees the connection dropped after timeoutHangMs.
		sb.setFaults({ timeoutRate: 1, timeoutHangMs: 150 });
		const heldFrom = Date.now();
		const held = await fetch(url, {
			headers: { Authorization: `Bearer ${x.token}`, 'xero-tenant-id': x.tenantId },
			signal: AbortSignal.timeout(10_000),
		}).then(
			() => 'answered',
			(error: Error) => (error.name === 'TimeoutError' ? 'client timeout' : 'dropped'),
		);
		expect(held).toBe('dropped');
		expect(Date.now() - heldFrom).toBeGreaterThanOrEqual(140);
		sb.setFaults({ pathContains: '/Invoices', down: true });
		expect((await x.call('GET', '/Organisation')).status).toBe(200);
		expect((await x.call('GET', '/Invoices')).status).toBe(503);
		sb.setFaults({});
		expect((await x.call('GET', '/Invoices')).status).toBe(200);
	});

	it('reads SANDBOX_FAULTS from the environment and exposes faults through the inspection API', async () => {
		process.env.SANDBOX_FAULTS = JSON.stringify({ seed: 7, error503Rate: 1 });
		const other = await startXeroSandbox();
		delete process.env.SANDBOX_FAULTS;
		try {
			const c = xeroTestClient(other);
			expect((await c.call('GET', '/Organisation')).status).toBe(503);
			const set = await fetch(`${other.url}/__sandbox/faults`, {
				method: 'POST',
				body: JSON.stringify({}),
			});
			expect(set.status).toBe(200);
			expect((await c.call('GET', '/Organisation')).status).toBe(200);
		} finally {
			await other.close();
		}
	});
});

describe('robustness and error shapes', () => {
	it('answers malformed JSON with 400 PostDataInvalidException and keeps serving', async () => {
		const res = await x.call('PUT', '/Invoices', {
			rawBody: '{"Invoices": [',
			headers: { 'Content-Type': 'application/json' },
		});
		expect(res.status).toBe(400);
		expect(res.json).toMatchObject({ ErrorNumber: 14, Type: 'PostDataInvalidException' });
		for (const body of ['[]', '"text"', '{"Invoices": null}', '{"Invoices": [null, 3]}']) {
			const r = await x.call('PUT', '/Invoices', { rawBody: body });
			expect(r.status, body).toBe(400);
			expect(r.json.Type).toBe('ValidationException');
		}
		expect((await x.call('GET', '/Organisation')).status).toBe(200);
		expect(sb.schemaErrors()).toEqual([]);
	});

	it('refuses bodies over 3.5 MB with 413', async () => {
		const huge = JSON.stringify({ Invoices: [{ Reference: 'x'.repeat(3.6 * 1024 * 1024) }] });
		const res = await x.call('PUT', '/Invoices', { rawBody: huge });
		expect(res.status).toBe(413);
		expect((await x.call('GET', '/Organisation')).status).toBe(200);
	});

	it('answers 404 for unknown paths and ids, and tolerates `{}` bodies on GET (xero-node)', async () => {
		expect((await x.call('GET', '/Nope')).status).toBe(404);
		expect((await fetch(`${sb.url}/somewhere/else`)).status).toBe(404);
		const missing = await x.call('GET', '/Invoices/00000000-0000-4000-8000-000000000000');
		expect(missing.status).toBe(404);
		expect(missing.text).toBe("The resource you're looking for cannot be found");
		expect((await x.call('DELETE', '/Invoices')).status).toBe(405);
		expect((await x.call('GET', '/Invoices/%E0%A4%A')).status).toBe(404);
		// Over-long URLs are refused with 404 as Xero does (53 GUIDs in IDs, XeroAPI/Xero-Java#328).
		const guids = (n: number) =>
			Array.from(
				{ length: n },
				(_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
			).join(',');
		expect((await x.call('GET', '/Invoices', { query: { IDs: guids(40) } })).status).toBe(200);
		expect((await x.call('GET', '/Invoices', { query: { IDs: guids(60) } })).status).toBe(404);
		// xero-node sends `Content-Type: application/json` and a `{}` body even on GET (docs/xero-rules.md §11.2).
		const url = new URL(`${sb.url}/api.xro/2.0/Invoices`);
		const get = await new Promise<{ status: number }>((resolve, reject) => {
			const req = request(
				url,
				{
					method: 'GET',
					headers: {
						Authorization: `Bearer ${x.token}`,
						'xero-tenant-id': x.tenantId,
						'Content-Type': 'application/json',
						'Content-Length': '2',
					},
				},
				(res) => {
					res.resume();
					res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
				},
			);
			req.on('error', reject);
			req.end('{}');
		});
		expect(get.status).toBe(200);
	});

	it('survives raw garbage on the socket', async () => {
		const url = new URL(sb.url);
		await new Promise<void>((resolve) => {
			const s = connect(Number(url.port), url.hostname, () => s.end('THIS IS NOT HTTP\r\n\r\n'));
			s.on('close', () => resolve());
			s.on('error', () => resolve());
			s.resume();
		});
		expect((await x.call('GET', '/Organisation')).status).toBe(200);
	});
});

describe('schema validation (xero_accounting.yaml, quirks in sandbox/xero/openapi.ts)', () => {
	it('validates responses and turns a response that fails the spec into a 500 in throw mode', async () => {
		expect(
			validateResponse('/Invoices', 'get', 200, {
				Invoices: [{ Type: 'ACCREC', Date: '/Date(1700000000000+0000)/' }],
			}).ok,
		).toBe(true);
		expect(
			validateResponse('/Invoices', 'get', 200, {
				Invoices: [{ Type: 'ACCREC', Date: '2024-01-01' }],
			}).ok,
		).toBe(false);
		expect(
			validateResponse('/Invoices', 'get', 200, {
				Id: 'x',
				Status: 'OK',
				ProviderName: 'p',
				DateTimeUTC: '/Date(1+0000)/',
				Invoices: [],
			}).ok,
		).toBe(true);
		// Corrupt a record behind the API's back: the sandbox must not serve it as valid Xero JSON.
		(sb.state().invoices[0] as { Type: string }).Type = 'BOGUS';
		const res = await x.call('GET', `/Invoices/${sb.state().invoices[0].InvoiceID}`);
		expect(res.status).toBe(500);
		expect(sb.schemaErrors()[0].errors.join()).toMatch(/Type/);
		expect(sandboxLog.join('\n')).toMatch(/GET \/Invoices\/\{InvoiceID\} fails schema .*Type/);
	});

	it('knows the spec example drift it must not copy', () => {
		expect(EXAMPLE_DRIFT.map((d) => d.field)).toContain('BatchPayment.TotalAmount');
		expect(
			validateAgainst('BatchPayment', { TotalAmount: '50.00', IsReconciled: 'false' }).ok,
		).toBe(false);
		expect(validateAgainst('BatchPayment', { TotalAmount: 50, IsReconciled: false }).ok).toBe(true);
	});
});

describe('webhook events', () => {
	it('emits INVOICE/CONTACT CREATE/UPDATE events to a sink on every change', async () => {
		const received: XeroWebhookEvent[] = [];
		sb.setWebhookSink({ emit: (events) => received.push(...events) });
		await x.call('PUT', '/Invoices', { body: invoiceBody('WH-1') });
		await x.call('POST', '/Invoices/WH-1', { body: { Invoices: [{ Reference: 'changed' }] } });
		await x.call('POST', `/Contacts/${sb.state().contacts[0].ContactID}`, {
			body: { Contacts: [{ FirstName: 'Al' }] },
		});
		await x.call('PUT', '/Contacts', { body: { Contacts: [{ Name: 'Webhook Person' }] } });
		await x.call('POST', '/Invoices/WH-1', { body: { Invoices: [{ Reference: 'changed' }] } }); // no change, no event
		sb.setWebhookSink(null);
		expect(received.map((e) => `${e.eventCategory} ${e.eventType}`)).toEqual([
			'INVOICE CREATE',
			'INVOICE UPDATE',
			'CONTACT UPDATE',
			'CONTACT CREATE',
		]);
		expect(received[0]).toMatchObject({ tenantId: sb.defaultTenantId, tenantType: 'ORGANISATION' });
		expect(received[0].resourceUrl).toBe(
			`${sb.url}/api.xro/2.0/Invoices/${received[0].resourceId}`,
		);
	});

	it('delivers signed events to a URL configured through the inspection API', async () => {
		const bodies: { signature: string | undefined; body: string }[] = [];
		const receiver = createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				bodies.push({ signature: req.headers['x-xero-signature'] as string | undefined, body });
				const expected = createHmac('sha256', 'key-1').update(body).digest('base64');
				res.writeHead(req.headers['x-xero-signature'] === expected ? 200 : 401);
				res.end();
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
		const port = (receiver.address() as { port: number }).port;
		try {
			const conf = await fetch(`${sb.url}/__sandbox/webhooks`, {
				method: 'POST',
				body: JSON.stringify({ url: `http://127.0.0.1:${port}/hook`, signingKey: 'key-1' }),
			});
			expect(conf.status).toBe(200);
			expect(((await conf.json()) as { intentToReceive: { ok: boolean } }).intentToReceive.ok).toBe(
				true,
			);
			await x.call('PUT', '/Invoices', { body: invoiceBody('WH-2') });
			for (let i = 0; i < 50 && !bodies.some((b) => b.body.includes('"CREATE"')); i++)
				await new Promise((r) => setTimeout(r, 20));
			const delivered = bodies.find((b) => b.body.includes('"CREATE"'))!;
			expect(JSON.parse(delivered.body).events[0]).toMatchObject({
				eventCategory: 'INVOICE',
				eventType: 'CREATE',
			});
		} finally {
			await fetch(`${sb.url}/__sandbox/webhooks`, { method: 'DELETE' });
			await new Promise((r) => receiver.close(r));
		}
	});
});

describe('inspection API', () => {
	it('dumps state, counts calls per endpoint/tenant/status, adds tenants, moves the clock and issues tokens', async () => {
		await x.call('GET', '/Invoices');
		await x.call('GET', '/Invoices');
		await x.call('GET', '/Contacts', { token: null });
		const calls = (await (await fetch(`${sb.url}/__sandbox/calls`)).json()) as {
			stats: {
				byEndpoint: Record<string, number>;
				byTenant: Record<string, number>;
				byStatus: Record<string, number>;
			};
		};
		expect(calls.stats.byEndpoint['GET /Invoices']).toBe(2);
		expect(calls.stats.byTenant[sb.defaultTenantId]).toBe(2);
		expect(calls.stats.byStatus['401']).toBe(1);
		const created = (await (
			await fetch(`${sb.url}/__sandbox/tenants`, {
				method: 'POST',
				body: JSON.stringify({ name: 'Third Org Ltd' }),
			})
		).json()) as { tenantId: string };
		const tok = (await (
			await fetch(`${sb.url}/__sandbox/tokens`, {
				method: 'POST',
				body: JSON.stringify({ tenantIds: [created.tenantId], scopes: ['accounting.settings'] }),
			})
		).json()) as { access_token: string };
		const org = await x.call('GET', '/Organisation', {
			token: tok.access_token,
			tenantId: created.tenantId,
		});
		expect(org.json.Organisations[0].Name).toBe('Third Org Ltd');
		const state = (await (
			await fetch(`${sb.url}/__sandbox/state?tenantId=${sb.defaultTenantId}`)
		).json()) as { invoices: unknown[] };
		expect(state.invoices).toHaveLength(6);
		const before = sb.now();
		const clock = (await (
			await fetch(`${sb.url}/__sandbox/clock`, {
				method: 'POST',
				body: JSON.stringify({ advanceMs: 60_000 }),
			})
		).json()) as { now: number };
		expect(clock.now - before).toBeGreaterThanOrEqual(60_000);
		expect((await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect(sb.calls()).toHaveLength(0);
	});
});
