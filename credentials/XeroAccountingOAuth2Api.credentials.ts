import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * Xero OAuth 2.0 (authorization code) for the Xero Accounting nodes. Its own name, so it can sit next to
 * n8n's built-in `xeroOAuth2Api` (docs/ARCHITECTURE.md "Names").
 *
 * How the URLs follow the environment: n8n resolves expressions in credential fields with `$self` bound to
 * the credential's own data, both when it builds the consent URL / exchanges the code (packages/cli
 * oauth.service → credentials-helper applyDefaultsAndOverwrites → resolveCredentialExpressions) and when a
 * node requests with the credential (requestOAuth2 reads the resolved credential, refresh included). n8n's own
 * Salesforce credential relies on the same mechanism. So the hidden authUrl/accessTokenUrl below are
 * expressions over `environment` and `customBaseUrl`, and one choice moves authorize, token, connections and
 * API URLs together (the transport derives the last two from the same fields: nodes/Xero/transport/urls.ts).
 *
 * Scopes: n8n keeps a stored `scope` only when the credential exposes `scope` as a visible field; otherwise it
 * recomputes the hidden default. The hidden `scope` here is an expression over a visible preset and a visible
 * custom list, so users always see and can edit what is requested (docs/xero-rules.md §8.5: granular scopes are
 * mandatory for Xero apps created from 2 March 2026; older apps may still need the broad ones).
 *
 * PKCE: n8n 2.40 adds an S256 code challenge to the authorization-code grant when the credential has
 * `usePkce: true` (oauth.service shouldUsePkce), and sends the verifier with the code exchange; the client
 * secret is still sent, as Xero's web apps require.
 */

export const XERO_GRANULAR_SCOPES =
	'openid profile email offline_access accounting.invoices accounting.payments accounting.contacts accounting.settings';
export const XERO_GRANULAR_READ_ONLY_SCOPES =
	'openid profile email offline_access accounting.invoices.read accounting.payments.read accounting.contacts.read accounting.settings.read';
export const XERO_LEGACY_SCOPES =
	'openid profile email offline_access accounting.transactions accounting.contacts accounting.settings';

const base = '($self["customBaseUrl"] || "").trim().replace(/\\/+$/, "")';

export class XeroAccountingOAuth2Api implements ICredentialType {
	name = 'xeroAccountingOAuth2Api';

	displayName = 'Xero Accounting OAuth2 API';

	extends = ['oAuth2Api'];

	icon: Icon = { light: 'file:../nodes/Xero/xero.svg', dark: 'file:../nodes/Xero/xero.dark.svg' };

	documentationUrl = 'https://developer.xero.com/documentation/guides/oauth2/auth-flow/';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Xero',
					value: 'production',
					description: 'login.xero.com, identity.xero.com and api.xero.com',
				},
				{
					name: 'Custom Base URL',
					value: 'custom',
					description:
						"One origin serving Xero's paths: the local sandbox, or a proxy in front of Xero",
				},
			],
			default: 'production',
		},
		{
			displayName: 'Custom Base URL',
			name: 'customBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'http://localhost:4010',
			description:
				'Authorize at <base>/identity/connect/authorize, token at <base>/connect/token, organisations at <base>/connections, API at <base>/api.xro/2.0',
			displayOptions: { show: { environment: ['custom'] } },
			required: true,
		},
		{
			displayName: 'Scope Preset',
			name: 'scopePreset',
			type: 'options',
			options: [
				{
					name: 'Granular (Apps Created From 2 March 2026)',
					value: 'granular',
					description: XERO_GRANULAR_SCOPES,
				},
				{
					name: 'Granular, Read-Only',
					value: 'granularReadOnly',
					description: `${XERO_GRANULAR_READ_ONLY_SCOPES} (Get and Get Many only; upsert, void and payments need write scopes)`,
				},
				{
					name: 'Legacy Broad Scopes (Older Apps)',
					value: 'legacy',
					description: `${XERO_LEGACY_SCOPES} (refused for apps created from 2 March 2026; ends September 2027)`,
				},
				{
					name: 'Custom',
					value: 'custom',
					description: 'Type the exact space-separated list below',
				},
			],
			default: 'granular',
			description:
				'Which Xero scopes to request at consent. Changing scopes needs a reconnect. Use accounting.settings.read instead of accounting.settings if the workflow never creates tracking options.',
		},
		{
			displayName: 'Scopes',
			name: 'customScopes',
			type: 'string',
			default: XERO_GRANULAR_SCOPES,
			description:
				'Space-separated Xero scopes. Keep offline_access (without it Xero gives no refresh token and the connection dies after 30 minutes).',
			displayOptions: { show: { scopePreset: ['custom'] } },
		},
		{
			displayName: 'Use PKCE',
			name: 'usePkce',
			type: 'boolean',
			default: true,
			description:
				'Whether to add a PKCE code challenge (S256) to the consent request, on top of the client secret. Turn off only if your Xero app rejects it.',
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ $self["environment"] === "custom" ? ${base} + "/identity/connect/authorize" : "https://login.xero.com/identity/connect/authorize" }}`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ $self["environment"] === "custom" ? ${base} + "/connect/token" : "https://identity.xero.com/connect/token" }}`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: `={{ $self["scopePreset"] === "custom" ? ($self["customScopes"] || "").trim() : $self["scopePreset"] === "legacy" ? "${XERO_LEGACY_SCOPES}" : $self["scopePreset"] === "granularReadOnly" ? "${XERO_GRANULAR_READ_ONLY_SCOPES}" : "${XERO_GRANULAR_SCOPES}" }}`,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// Xero's token endpoint takes the client ID and secret as HTTP Basic (docs/xero-rules.md §8.1).
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];

	// Lists the organisations the token can reach (docs/xero-rules.md §8.3): proves the token, the scopes' consent
	// and the environment's URLs in one call.
	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ $credentials.environment === "custom" ? ($credentials.customBaseUrl || "").trim().replace(/\\/+$/, "") : "https://api.xero.com" }}`,
			url: '/connections',
			method: 'GET',
		},
	};
}
