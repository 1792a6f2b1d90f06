import type { IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import {
	XERO_GRANULAR_READ_ONLY_SCOPES,
	XERO_GRANULAR_SCOPES,
	XERO_LEGACY_SCOPES,
	XeroAccountingOAuth2Api,
} from '../../credentials/XeroAccountingOAuth2Api.credentials';
import { xeroUrlsFor } from '../../nodes/Xero/transport';
import { OAuth2Api } from '../helpers/builtinTypes';
import {
	CredentialStore,
	CredentialTypeRegistry,
	InMemoryCredentialsHelper,
} from '../helpers/credentialsHelper';

// The credential's hidden fields are expressions over its visible ones ($self). This resolves them the way
// n8n does before the consent redirect, the code exchange and every token refresh (credentials helper:
// defaults, then expressions with $self bound to the credential's own data).
async function resolved(data: Record<string, unknown>) {
	const registry = new CredentialTypeRegistry([new OAuth2Api(), new XeroAccountingOAuth2Api()]);
	const store = new CredentialStore({ xeroAccountingOAuth2Api: data as never });
	const helper = new InMemoryCredentialsHelper(registry, store);
	return await helper.getDecrypted(
		{ executionId: 'credential-test' } as unknown as IWorkflowExecuteAdditionalData,
		{ id: store.credentialId('xeroAccountingOAuth2Api'), name: 'Xero' },
		'xeroAccountingOAuth2Api',
		'internal',
	);
}

const base = { clientId: 'id', clientSecret: 'secret' };

describe('Xero Accounting OAuth2 credential', () => {
	it('defaults to Xero production URLs, header client auth, granular scopes and PKCE', async () => {
		const data = await resolved(base);
		expect(data.grantType).toBe('authorizationCode');
		expect(data.authUrl).toBe('https://login.xero.com/identity/connect/authorize');
		expect(data.accessTokenUrl).toBe('https://identity.xero.com/connect/token');
		expect(data.authentication).toBe('header');
		expect(data.scope).toBe(XERO_GRANULAR_SCOPES);
		expect(data.usePkce).toBe(true);
	});

	it('moves authorize and token URLs with the custom base, in step with the transport', async () => {
		const customBaseUrl = 'http://127.0.0.1:4010/';
		const data = await resolved({ ...base, environment: 'custom', customBaseUrl });
		const urls = xeroUrlsFor('custom', customBaseUrl);
		expect(data.authUrl).toBe(urls.authorize);
		expect(data.accessTokenUrl).toBe(urls.token);
		expect(urls).toEqual({
			authorize: 'http://127.0.0.1:4010/identity/connect/authorize',
			token: 'http://127.0.0.1:4010/connect/token',
			connections: 'http://127.0.0.1:4010/connections',
			api: 'http://127.0.0.1:4010/api.xro/2.0',
		});
	});

	it('requests the scopes of the chosen preset, or exactly the typed list', async () => {
		expect((await resolved({ ...base, scopePreset: 'legacy' })).scope).toBe(XERO_LEGACY_SCOPES);
		expect((await resolved({ ...base, scopePreset: 'granularReadOnly' })).scope).toBe(
			XERO_GRANULAR_READ_ONLY_SCOPES,
		);
		const custom = 'offline_access accounting.invoices accounting.settings.read';
		expect(
			(await resolved({ ...base, scopePreset: 'custom', customScopes: ` ${custom} ` })).scope,
		).toBe(custom);
	});

	it('granular defaults cover what the nodes call, with offline_access for refresh tokens', () => {
		for (const scope of [
			'offline_access',
			'accounting.invoices',
			'accounting.payments',
			'accounting.contacts',
			'accounting.settings',
		]) {
			expect(XERO_GRANULAR_SCOPES.split(' ')).toContain(scope);
		}
		expect(XERO_GRANULAR_SCOPES).not.toContain('accounting.transactions');
	});
});
