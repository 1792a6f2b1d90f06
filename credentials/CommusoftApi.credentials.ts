import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

/**
 * Commusoft's published authentication (https://commusoft.docs.apiary.io/; docs/commusoft-api-contract.md): POST {base}/getToken with
 * {clientId, username, password, applicationId} returns the token as plain text; later calls carry it as the
 * X-Auth-Token header or the `token` query parameter. The token lifetime is undocumented, so the token is an
 * expirable hidden field: n8n fetches it through `preAuthentication` when empty, on credential test, and after a
 * request fails with a "token expired" status (401, plus any configured below; see the Commusoft transport).
 */
export class CommusoftApi implements ICredentialType {
	name = 'commusoftApi';

	displayName = 'Commusoft API';

	icon: Icon = {
		light: 'file:../nodes/Commusoft/commusoft.svg',
		dark: 'file:../nodes/Commusoft/commusoft.dark.svg',
	};

	documentationUrl = 'https://commusoft.docs.apiary.io/';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.commusoft.com/api/v1',
			placeholder: 'https://api.commusoft.com/api/v1',
			description:
				'Root of the Commusoft API, without a trailing slash. The default is an unverified guess from third-party material; confirm it with Commusoft. The local sandbox serves <sandbox URL>/api/v1.',
			required: true,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Application ID',
			name: 'applicationId',
			type: 'string',
			default: '',
			required: true,
			description: 'The API key / application ID Commusoft issued for this integration',
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Send Token As',
			name: 'authMode',
			type: 'options',
			options: [
				{ name: 'X-Auth-Token Header', value: 'header' },
				{ name: 'Token Query Parameter', value: 'query' },
			],
			default: 'header',
			description:
				'Commusoft accepts both. The header is safer: query-string tokens end up in proxy and server logs.',
		},
		{
			displayName: 'Re-Login Status Codes',
			name: 'reloginStatusCodes',
			type: 'string',
			default: '401',
			description:
				'Comma-separated HTTP statuses that mean "log in again". Commusoft does not document how an expired token is reported; 401 is always included.',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
		let raw: unknown;
		try {
			raw = await this.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/getToken`,
				headers: { 'Content-Type': 'application/json', Accept: 'text/plain, application/json' },
				body: {
					clientId: credentials.clientId,
					username: credentials.username,
					password: credentials.password,
					applicationId: credentials.applicationId,
				},
				// The token is plain text, not JSON: read the body as text so nothing tries to parse it.
				encoding: 'text',
			});
		} catch (error) {
			const status = (error as { response?: { status?: number } }).response?.status;
			// A fresh error on purpose: the HTTP error carries the request body, which holds the password.
			throw new Error(
				status === 401 || status === 403
					? `Commusoft login failed: getToken refused the credentials (${status}). Check client ID, application ID, username and password.`
					: `Commusoft login failed: getToken at ${baseUrl}/getToken ${status ? `returned ${status}` : 'could not be reached'}. Check the base URL.`,
			);
		}
		const token = readToken(raw);
		if (!token) {
			throw new Error(
				'Commusoft login failed: getToken answered without a token. Check the base URL.',
			);
		}
		return { token };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = String(credentials.token ?? '');
		if (credentials.authMode === 'query') {
			requestOptions.qs = { ...(requestOptions.qs ?? {}), token };
		} else {
			requestOptions.headers = { ...(requestOptions.headers ?? {}), 'X-Auth-Token': token };
		}
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl}}',
			url: '/customers',
			qs: { page: 1, pageSize: 1 },
		},
	};
}

/** The documented answer is the bare token; tolerate a JSON string or `{token}` in case the real API differs. */
function readToken(raw: unknown): string | undefined {
	let value: unknown = typeof raw === 'string' ? raw.trim() : raw;
	if (typeof value === 'string' && /^[{"]/.test(value)) {
		try {
			value = JSON.parse(value) as unknown;
		} catch {
			return value as string;
		}
	}
	if (value && typeof value === 'object') {
		const object = value as Record<string, unknown>;
		value = object.token ?? object.authToken ?? object.access_token;
	}
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}
