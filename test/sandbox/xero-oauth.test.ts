import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { xeroTestClient } from '../../sandbox/xero/client';

const CLIENT = { id: 'sandbox-client-id', secret: 'sandbox-client-secret' };
const REDIRECT = 'http://localhost:5678/rest/oauth2-credential/callback';
const basic = (id = CLIENT.id, secret = CLIENT.secret) =>
	`Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

let sb: XeroSandbox;
beforeAll(async () => {
	sb = await startXeroSandbox({ refreshGraceSec: 60 });
});
afterAll(async () => sb.close());

async function authorize(params: Record<string, string>, tenants: string[]): Promise<URL> {
	const page = await fetch(`${sb.url}/identity/connect/authorize?${new URLSearchParams(params)}`);
	expect(page.status).toBe(200);
	const html = await page.text();
	expect(html).toContain('Allow access');
	expect(html).toContain('Demo Plumbing &amp; Heating Ltd');
	// Submit the consent form the way a browser would: the hidden fields + checked organisations + the button.
	const form = new URLSearchParams();
	for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
		form.append(
			m[1],
			m[2]
				.replace(/&amp;/g, '&')
				.replace(/&quot;/g, '"')
				.replace(/&#39;/g, "'")
				.replace(/&lt;/g, '<')
				.replace(/&gt;/g, '>'),
		);
	}
	for (const t of tenants) form.append('tenant', t);
	form.append('decision', 'allow');
	const res = await fetch(`${sb.url}/identity/connect/authorize`, {
		method: 'POST',
		body: form,
		redirect: 'manual',
	});
	expect(res.status).toBe(302);
	return new URL(res.headers.get('location')!);
}

async function token(form: Record<string, string>, auth?: string) {
	const res = await fetch(`${sb.url}/connect/token`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			...(auth ? { Authorization: auth } : {}),
		},
		body: new URLSearchParams(form),
	});
	return { status: res.status, json: (await res.json()) as Record<string, string | number> };
}

describe('Xero sandbox OAuth2', () => {
	const scope =
		'openid offline_access accounting.transactions accounting.contacts accounting.settings';

	it('runs the authorization-code flow with Basic client auth and lists connections', async () => {
		const [demo, second] = sb.tenants();
		const back = await authorize(
			{ response_type: 'code', client_id: CLIENT.id, redirect_uri: REDIRECT, scope, state: 'xyz' },
			[demo.tenantId],
		);
		expect(back.origin + back.pathname).toBe(REDIRECT);
		expect(back.searchParams.get('state')).toBe('xyz');
		const code = back.searchParams.get('code')!;
		const tok = await token(
			{ grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
			basic(),
		);
		expect(tok.status).toBe(200);
		expect(tok.json.expires_in).toBe(1800);
		expect(tok.json.token_type).toBe('Bearer');
		expect(tok.json.refresh_token).toBeTruthy();
		// The code is single use.
		const again = await token(
			{ grant_type: 'authorization_code', code, redirect_uri: REDIRECT },
			basic(),
		);
		expect(again.status).toBe(400);
		expect(again.json.error).toBe('invalid_grant');

		const conn = await fetch(`${sb.url}/connections`, {
			headers: { Authorization: `Bearer ${tok.json.access_token}` },
		});
		expect(conn.status).toBe(200);
		expect(conn.headers.get('x-appminlimit-remaining')).toBeTruthy();
		expect(conn.headers.get('x-minlimit-remaining')).toBeNull();
		const list = (await conn.json()) as {
			tenantId: string;
			tenantName: string;
			tenantType: string;
		}[];
		expect(list.map((c) => c.tenantId)).toEqual([demo.tenantId]);
		expect(list[0]).toMatchObject({
			tenantName: 'Demo Plumbing & Heating Ltd',
			tenantType: 'ORGANISATION',
		});

		// The token covers the chosen organisation only: the other one is 403 AuthenticationUnsuccessful.
		const api = (tenantId: string) =>
			fetch(`${sb.url}/api.xro/2.0/Organisation`, {
				headers: { Authorization: `Bearer ${tok.json.access_token}`, 'xero-tenant-id': tenantId },
			});
		expect((await api(demo.tenantId)).status).toBe(200);
		const forbidden = await api(second.tenantId);
		expect(forbidden.status).toBe(403);
		expect(await forbidden.json()).toMatchObject({
			Title: 'Forbidden',
			Status: 403,
			Detail: 'AuthenticationUnsuccessful',
		});
	});

	it('accepts client credentials in the body and refuses a wrong secret or redirect_uri', async () => {
		const t = sb.tenants()[0].tenantId;
		const code1 = (
			await authorize(
				{ response_type: 'code', client_id: CLIENT.id, redirect_uri: REDIRECT, scope },
				[t],
			)
		).searchParams.get('code')!;
		const wrongRedirect = await token({
			grant_type: 'authorization_code',
			code: code1,
			redirect_uri: 'http://evil.test/cb',
			client_id: CLIENT.id,
			client_secret: CLIENT.secret,
		});
		expect(wrongRedirect.json.error).toBe('invalid_grant');
		const code2 = (
			await authorize(
				{ response_type: 'code', client_id: CLIENT.id, redirect_uri: REDIRECT, scope },
				[t],
			)
		).searchParams.get('code')!;
		const badSecret = await token(
			{ grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT },
			basic(CLIENT.id, 'nope'),
		);
		expect(badSecret.json.error).toBe('invalid_client');
		const ok = await token({
			grant_type: 'authorization_code',
			code: code2,
			redirect_uri: REDIRECT,
			client_id: CLIENT.id,
			client_secret: CLIENT.secret,
		});
		expect(ok.status).toBe(200);
	});

	it('verifies PKCE S256 when a code_challenge was sent', async () => {
		const t = sb.tenants()[0].tenantId;
		const verifier = 'a'.repeat(20) + '-._~' + 'Z9'.repeat(12);
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const params = {
			response_type: 'code',
			client_id: CLIENT.id,
			redirect_uri: REDIRECT,
			scope,
			code_challenge: challenge,
			code_challenge_method: 'S256',
		};
		const bad = (await authorize(params, [t])).searchParams.get('code')!;
		expect(
			(
				await token({
					grant_type: 'authorization_code',
					code: bad,
					redirect_uri: REDIRECT,
					client_id: CLIENT.id,
					code_verifier: 'x'.repeat(43),
				})
			).json.error,
		).toBe('invalid_grant');
		const good = (await authorize(params, [t])).searchParams.get('code')!;
		const res = await token({
			grant_type: 'authorization_code',
			code: good,
			redirect_uri: REDIRECT,
			client_id: CLIENT.id,
			code_verifier: verifier,
		});
		expect(res.status).toBe(200);
	});

	it('expires access tokens with TokenExpired and rotates refresh tokens with a grace period', async () => {
		const first = sb.issueToken({ scopes: ['offline_access', 'accounting.settings'] });
		const client = xeroTestClient(sb);
		expect((await client.call('GET', '/Organisation', { token: first.access_token })).status).toBe(
			200,
		);
		sb.advanceClock(1801_000);
		const expired = await client.call('GET', '/Organisation', { token: first.access_token });
		expect(expired.status).toBe(401);
		expect(expired.json.Detail).toMatch(/^TokenExpired: token expired at /);

		const r1 = await token(
			{ grant_type: 'refresh_token', refresh_token: first.refresh_token! },
			basic(),
		);
		expect(r1.status).toBe(200);
		expect(r1.json.refresh_token).not.toBe(first.refresh_token);
		expect(
			(await client.call('GET', '/Organisation', { token: String(r1.json.access_token) })).status,
		).toBe(200);
		// Within the grace period the previous refresh token still works (a lost response can be retried)…
		sb.advanceClock(30_000);
		expect(
			(await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token! }, basic()))
				.status,
		).toBe(200);
		// …after it, invalid_grant.
		sb.advanceClock(31_000);
		const late = await token(
			{ grant_type: 'refresh_token', refresh_token: first.refresh_token! },
			basic(),
		);
		expect(late.status).toBe(400);
		expect(late.json.error).toBe('invalid_grant');
		// The newest token in the chain still works.
		expect(
			(
				await token(
					{ grant_type: 'refresh_token', refresh_token: String(r1.json.refresh_token) },
					basic(),
				)
			).status,
		).toBe(200);
	});

	it('answers 401 without a token, 403 without a tenant, 401 AuthorizationUnsuccessful without a covering scope', async () => {
		const client = xeroTestClient(sb);
		const none = await client.call('GET', '/Invoices', { token: null });
		expect(none.status).toBe(401);
		expect(none.json).toMatchObject({ Title: 'Unauthorized', Status: 401 });
		expect((await client.call('GET', '/Invoices', { tenantId: null })).status).toBe(403);
		// Granular scopes are accepted…
		const granular = sb.issueToken({ scopes: ['accounting.invoices.read'] }).access_token;
		expect((await client.call('GET', '/Invoices', { token: granular })).status).toBe(200);
		// …but a read scope does not cover writes, and invoices scopes do not cover contacts.
		const write = await client.call('PUT', '/Invoices', {
			token: granular,
			body: { Invoices: [] },
		});
		expect(write.status).toBe(401);
		expect(write.json.Detail).toBe('AuthorizationUnsuccessful');
		expect((await client.call('GET', '/Contacts', { token: granular })).json.Detail).toBe(
			'AuthorizationUnsuccessful',
		);
	});

	it('refuses unknown clients on the consent page and unknown grant types', async () => {
		const page = await fetch(
			`${sb.url}/identity/connect/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid`,
		);
		expect(page.status).toBe(400);
		expect((await token({ grant_type: 'password' }, basic())).json.error).toBe(
			'unsupported_grant_type',
		);
	});

	it('makes the access-token lifetime configurable at run time and revokes refresh tokens', async () => {
		const res = await fetch(`${sb.url}/__sandbox/oauth`, {
			method: 'POST',
			body: JSON.stringify({ accessTokenLifetimeSec: 60 }),
		});
		expect(((await res.json()) as { accessTokenLifetimeSec: number }).accessTokenLifetimeSec).toBe(
			60,
		);
		const pair = sb.issueToken({ scopes: ['offline_access', 'accounting.settings'] });
		expect(pair.expires_in).toBe(60);
		sb.setOAuthSettings({ accessTokenLifetimeSec: 1800 });
		const revoke = await fetch(`${sb.url}/connect/revocation`, {
			method: 'POST',
			headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ token: pair.refresh_token! }),
		});
		expect(revoke.status).toBe(200);
		expect(
			(await token({ grant_type: 'refresh_token', refresh_token: pair.refresh_token! }, basic()))
				.json.error,
		).toBe('invalid_grant');
	});

	it('redirects with access_denied when the user cancels', async () => {
		const form = new URLSearchParams({
			response_type: 'code',
			client_id: CLIENT.id,
			redirect_uri: REDIRECT,
			scope: 'openid',
			state: 's1',
			decision: 'deny',
		});
		const res = await fetch(`${sb.url}/identity/connect/authorize`, {
			method: 'POST',
			body: form,
			redirect: 'manual',
		});
		const location = new URL(res.headers.get('location')!);
		expect(location.searchParams.get('error')).toBe('access_denied');
		expect(location.searchParams.get('state')).toBe('s1');
	});

	it('disconnects a tenant with DELETE /connections/{id}', async () => {
		const pair = sb.issueToken({ scopes: ['accounting.settings'] });
		const auth = { Authorization: `Bearer ${pair.access_token}` };
		const list = (await (await fetch(`${sb.url}/connections`, { headers: auth })).json()) as {
			id: string;
			tenantId: string;
		}[];
		const second = list.find((c) => c.tenantId === sb.tenants()[1].tenantId)!;
		expect(
			(await fetch(`${sb.url}/connections/${second.id}`, { method: 'DELETE', headers: auth }))
				.status,
		).toBe(204);
		const after = (await (await fetch(`${sb.url}/connections`, { headers: auth })).json()) as {
			tenantId: string;
		}[];
		expect(after.map((c) => c.tenantId)).not.toContain(second.tenantId);
		const org = await xeroTestClient(sb).call('GET', '/Organisation', {
			token: pair.access_token,
			tenantId: second.tenantId,
		});
		expect(org.status).toBe(403);
	});
});
