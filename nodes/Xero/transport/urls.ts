import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** Credential type name (docs/ARCHITECTURE.md "Names"); the transport is the only code that uses it. */
export const XERO_CREDENTIAL_TYPE = 'xeroAccountingOAuth2Api';

export const XERO_PRODUCTION_URLS = {
	authorize: 'https://login.xero.com/identity/connect/authorize',
	token: 'https://identity.xero.com/connect/token',
	connections: 'https://api.xero.com/connections',
	api: 'https://api.xero.com/api.xro/2.0',
} as const;

export interface XeroUrls {
	authorize: string;
	token: string;
	connections: string;
	api: string;
}

/**
 * Every Xero URL from one choice (ARCHITECTURE.md "Xero URLs"): production, or a custom base B serving the
 * same paths on one origin (the sandbox, a proxy). The credential's hidden authUrl/accessTokenUrl use the
 * same table through expressions; keep both in step.
 */
export function xeroUrlsFor(environment: unknown, customBaseUrl: unknown): XeroUrls {
	if (environment !== 'custom') return { ...XERO_PRODUCTION_URLS };
	const base = String(customBaseUrl ?? '')
		.trim()
		.replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]/i.test(base)) {
		throw new Error(
			'The Xero credential uses a custom environment but its Custom Base URL is empty or not an http(s) URL',
		);
	}
	return {
		authorize: `${base}/identity/connect/authorize`,
		token: `${base}/connect/token`,
		connections: `${base}/connections`,
		api: `${base}/api.xro/2.0`,
	};
}

export function xeroUrlsFromCredentials(credentials: ICredentialDataDecryptedObject): XeroUrls {
	return xeroUrlsFor(credentials.environment, credentials.customBaseUrl);
}
