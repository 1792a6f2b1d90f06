// OAuth2 on the API's own origin (ARCHITECTURE.md "Xero URLs"; docs/xero-rules.md §8): authorize consent page,
// token endpoint (authorization_code + refresh_token, Basic or body client auth, PKCE S256), rotating refresh
// tokens with a grace period, `/connections`, and bearer-token checks for the API.
import { createHash, randomBytes } from 'node:crypto';
import type { SandboxClock } from './clock';

export interface OAuthClient {
	clientId: string;
	clientSecret: string;
}

export interface TokenGrant {
	clientId: string;
	tenantIds: string[];
	scopes: string[];
	authEventId: string;
}

interface AccessToken extends TokenGrant {
	expiresAt: number;
}

interface RefreshToken extends TokenGrant {
	/** Set when rotated: the token still works until `supersededAt + grace`. */
	supersededAt?: number;
	lastUsedAt: number;
}

interface AuthCode extends TokenGrant {
	redirectUri: string;
	expiresAt: number;
	codeChallenge?: string;
	codeChallengeMethod?: string;
}

export interface TokenResponse {
	access_token: string;
	expires_in: number;
	token_type: 'Bearer';
	refresh_token?: string;
	scope: string;
	id_token?: string;
}

export interface OAuthSettings {
	accessTokenLifetimeSec: number;
	refreshGraceSec: number;
	refreshTokenLifetimeSec: number;
	authCodeLifetimeSec: number;
}

export class OAuthError extends Error {
	constructor(
		readonly status: number,
		readonly error: string,
		readonly description: string,
	) {
		super(description);
	}
}

/** Broad and granular scopes (docs/xero-rules.md §8.5) that the sandbox accepts. */
export const KNOWN_SCOPES = new Set([
	'openid',
	'profile',
	'email',
	'offline_access',
	'accounting.transactions',
	'accounting.transactions.read',
	'accounting.contacts',
	'accounting.contacts.read',
	'accounting.settings',
	'accounting.settings.read',
	'accounting.attachments',
	'accounting.attachments.read',
	'accounting.reports.read',
	'accounting.journals.read',
	'accounting.budgets.read',
	'accounting.invoices',
	'accounting.invoices.read',
	'accounting.payments',
	'accounting.payments.read',
	'accounting.banktransactions',
	'accounting.banktransactions.read',
	'accounting.manualjournals',
	'accounting.manualjournals.read',
	'accounting.reports.aged.read',
]);

/** Which scopes cover an area of the API, for reads and writes (broad or granular). */
export const SCOPE_COVERAGE: Record<string, { read: string[]; write: string[] }> = {
	invoices: {
		read: [
			'accounting.transactions',
			'accounting.transactions.read',
			'accounting.invoices',
			'accounting.invoices.read',
		],
		write: ['accounting.transactions', 'accounting.invoices'],
	},
	payments: {
		read: [
			'accounting.transactions',
			'accounting.transactions.read',
			'accounting.payments',
			'accounting.payments.read',
		],
		write: ['accounting.transactions', 'accounting.payments'],
	},
	contacts: {
		read: ['accounting.contacts', 'accounting.contacts.read'],
		write: ['accounting.contacts'],
	},
	settings: {
		read: ['accounting.settings', 'accounting.settings.read'],
		write: ['accounting.settings'],
	},
	// Items: accounting.settings in the spec's broad scopes, accounting.invoices under granular scopes (§8.5).
	items: {
		read: [
			'accounting.settings',
			'accounting.settings.read',
			'accounting.invoices',
			'accounting.invoices.read',
		],
		write: ['accounting.settings', 'accounting.invoices'],
	},
	reports: { read: ['accounting.reports.read', 'accounting.reports.aged.read'], write: [] },
};

function token(prefix: string): string {
	return `${prefix}${randomBytes(24).toString('base64url')}`;
}

export class OAuthServer {
	readonly clients = new Map<string, OAuthClient>();
	private readonly codes = new Map<string, AuthCode>();
	private readonly access = new Map<string, AccessToken>();
	private readonly refresh = new Map<string, RefreshToken>();
	/** Connection records per (client, tenant), as `/connections` lists them. */
	readonly connections = new Map<
		string,
		{ id: string; authEventId: string; createdDateUtc: string; updatedDateUtc: string }
	>();

	constructor(
		private readonly clock: SandboxClock,
		readonly settings: OAuthSettings,
	) {}

	registerClient(client: OAuthClient): void {
		this.clients.set(client.clientId, client);
	}

	createCode(grant: TokenGrant, redirectUri: string, challenge?: string, method?: string): string {
		const code = token('code_');
		this.codes.set(code, {
			...grant,
			redirectUri,
			expiresAt: this.clock.now() + this.settings.authCodeLifetimeSec * 1000,
			codeChallenge: challenge,
			codeChallengeMethod: method,
		});
		return code;
	}

	/** Issues a token pair directly (tests and the demo skip the browser with this). */
	issue(grant: TokenGrant, lifetimeSec = this.settings.accessTokenLifetimeSec): TokenResponse {
		const now = this.clock.now();
		const accessToken = token('sbx_at_');
		this.access.set(accessToken, { ...grant, expiresAt: now + lifetimeSec * 1000 });
		for (const tenantId of grant.tenantIds) {
			const key = `${grant.clientId}|${tenantId}`;
			const iso = new Date(now).toISOString();
			const existing = this.connections.get(key);
			if (existing) {
				existing.updatedDateUtc = iso;
				existing.authEventId = grant.authEventId;
			} else
				this.connections.set(key, {
					id: randomUUIDish(),
					authEventId: grant.authEventId,
					createdDateUtc: iso,
					updatedDateUtc: iso,
				});
		}
		const response: TokenResponse = {
			access_token: accessToken,
			expires_in: lifetimeSec,
			token_type: 'Bearer',
			scope: grant.scopes.join(' '),
		};
		if (grant.scopes.includes('offline_access')) {
			const refreshToken = token('sbx_rt_');
			this.refresh.set(refreshToken, { ...grant, lastUsedAt: now });
			response.refresh_token = refreshToken;
		}
		if (grant.scopes.includes('openid')) response.id_token = token('sbx_id_');
		return response;
	}

	private authenticateClient(
		basic: string | undefined,
		form: URLSearchParams,
		allowPublic: boolean,
	): OAuthClient | { clientId: string } {
		let clientId = form.get('client_id') ?? undefined;
		let secret = form.get('client_secret') ?? undefined;
		if (basic?.toLowerCase().startsWith('basic ')) {
			const decoded = Buffer.from(basic.slice(6).trim(), 'base64').toString('utf8');
			const i = decoded.indexOf(':');
			clientId = decodeURIComponent(decoded.slice(0, i));
			secret = decodeURIComponent(decoded.slice(i + 1));
		}
		const client = clientId ? this.clients.get(clientId) : undefined;
		if (!client) throw new OAuthError(400, 'invalid_client', 'Unknown client_id');
		if (secret === undefined && allowPublic) return { clientId: client.clientId };
		if (secret !== client.clientSecret)
			throw new OAuthError(400, 'invalid_client', 'Client authentication failed');
		return client;
	}

	/** POST /connect/token */
	token(basic: string | undefined, form: URLSearchParams): TokenResponse {
		const grantType = form.get('grant_type');
		const now = this.clock.now();
		if (grantType === 'authorization_code') {
			const code = this.codes.get(form.get('code') ?? '');
			const client = this.authenticateClient(basic, form, !!code?.codeChallenge);
			if (!code || code.expiresAt < now || code.clientId !== client.clientId) {
				throw new OAuthError(
					400,
					'invalid_grant',
					'The authorization code is invalid or has expired',
				);
			}
			this.codes.delete(form.get('code')!); // single use
			if ((form.get('redirect_uri') ?? '') !== code.redirectUri)
				throw new OAuthError(400, 'invalid_grant', 'redirect_uri does not match');
			if (code.codeChallenge) {
				const verifier = form.get('code_verifier') ?? '';
				const computed =
					code.codeChallengeMethod === 'S256'
						? createHash('sha256').update(verifier).digest('base64url')
						: verifier;
				if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) || computed !== code.codeChallenge) {
					throw new OAuthError(400, 'invalid_grant', 'PKCE verification failed');
				}
			}
			return this.issue(code);
		}
		if (grantType === 'refresh_token') {
			const client = this.authenticateClient(basic, form, false);
			const value = form.get('refresh_token') ?? '';
			const rt = this.refresh.get(value);
			const graceMs = this.settings.refreshGraceSec * 1000;
			const valid =
				rt &&
				rt.clientId === client.clientId &&
				now - rt.lastUsedAt <= this.settings.refreshTokenLifetimeSec * 1000 &&
				(rt.supersededAt === undefined || now - rt.supersededAt <= graceMs);
			if (!valid)
				throw new OAuthError(
					400,
					'invalid_grant',
					'The refresh token is invalid, expired or was rotated',
				);
			// Rotation: the old token keeps working for the grace period only (docs/xero-rules.md §8.2).
			rt.supersededAt ??= now;
			return this.issue({
				clientId: rt.clientId,
				tenantIds: rt.tenantIds,
				scopes: rt.scopes,
				authEventId: rt.authEventId,
			});
		}
		throw new OAuthError(
			400,
			'unsupported_grant_type',
			`grant_type '${grantType ?? ''}' is not supported`,
		);
	}

	/** Resolves a bearer token: the grant, or why not. */
	check(authorization: string | undefined): { grant?: TokenGrant; expiredAt?: number } {
		const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
		const at = m ? this.access.get(m[1].trim()) : undefined;
		if (!at) return {};
		if (at.expiresAt <= this.clock.now()) return { expiredAt: at.expiresAt };
		return { grant: at };
	}

	/** POST /connect/revocation: a revoked refresh token (and its successors' parent) stops working at once. */
	revoke(basic: string | undefined, form: URLSearchParams): void {
		this.authenticateClient(basic, form, false);
		const value = form.get('token') ?? '';
		this.refresh.delete(value);
		this.access.delete(value);
	}

	revokeConnection(clientId: string, connectionId: string): boolean {
		for (const [key, value] of this.connections) {
			if (value.id === connectionId && key.startsWith(`${clientId}|`)) {
				this.connections.delete(key);
				const tenantId = key.split('|')[1];
				for (const t of this.access.values())
					if (t.clientId === clientId) t.tenantIds = t.tenantIds.filter((x) => x !== tenantId);
				for (const t of this.refresh.values())
					if (t.clientId === clientId) t.tenantIds = t.tenantIds.filter((x) => x !== tenantId);
				return true;
			}
		}
		return false;
	}

	reset(): void {
		this.codes.clear();
		this.access.clear();
		this.refresh.clear();
		this.connections.clear();
	}
}

function randomUUIDish(): string {
	const h = randomBytes(16).toString('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

export function escapeHtml(s: string): string {
	return s.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
	);
}

/** The consent page: organisation checkboxes and an "Allow access" button (a browser can click through it). */
export function consentPage(
	params: URLSearchParams,
	tenants: { tenantId: string; name: string }[],
	clientId: string,
): string {
	const hidden = [...params.entries()]
		.map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
		.join('\n      ');
	const boxes = tenants
		.map(
			(t, i) =>
				`<label><input type="checkbox" name="tenant" value="${escapeHtml(t.tenantId)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(t.name)}</label><br>`,
		)
		.join('\n      ');
	const scopes = (params.get('scope') ?? '')
		.split(/\s+/)
		.filter(Boolean)
		.map((s) => `<li>${escapeHtml(s)}</li>`)
		.join('');
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Xero sandbox – Allow access</title></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 2rem auto">
  <h1>Xero sandbox</h1>
  <p><strong>${escapeHtml(clientId)}</strong> wants access to:</p>
  <ul>${scopes}</ul>
  <form method="post" action="/identity/connect/authorize">
    <fieldset><legend>Organisations</legend>
      ${boxes}
    </fieldset>
      ${hidden}
    <p><button type="submit" name="decision" value="allow" id="allow">Allow access</button>
       <button type="submit" name="decision" value="deny" id="deny">Cancel</button></p>
  </form>
</body></html>`;
}
