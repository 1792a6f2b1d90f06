// Ready-to-import credentials pointing at the sandbox, and a small builder for linear test workflows.
import type { XeroSandbox } from '../../../sandbox';
import type { CredentialFixture, N8nInstance, WorkflowJson } from './n8n';
import { nodeType } from './n8n';
import { authorizationCodeTokens, type OAuthTokens } from './oauth';
import {
	COMMUSOFT_SANDBOX_LOGIN,
	XERO_SANDBOX_CLIENT,
	XERO_SANDBOX_WEBHOOK_KEY,
	type RunningSandbox,
} from './sandbox';

/** Stable ids: the workflows below and the templates' imports reference these. */
export const XERO_CREDENTIAL = {
	id: 'e2eXeroSandbox01',
	name: 'Xero (sandbox)',
	type: 'xeroAccountingOAuth2Api',
};
export const COMMUSOFT_CREDENTIAL = {
	id: 'e2eCommusoftSb01',
	name: 'Commusoft (sandbox)',
	type: 'commusoftApi',
};

export const XERO_WEBHOOK_KEY_CREDENTIAL = {
	id: 'e2eXeroHookKey01',
	name: 'Xero webhook key (sandbox)',
	type: 'xeroWebhookSigningKeyApi',
};

export const XERO_SCOPES =
	'openid profile email offline_access accounting.transactions accounting.contacts accounting.settings';

/** n8n's OAuth2 redirect URI for an instance (what the credential page shows as "OAuth Redirect URL"). */
export const oauthRedirectUri = (n8n: Pick<N8nInstance, 'url'>) =>
	`${n8n.url}/rest/oauth2-credential/callback`;

/**
 * A connected Xero credential: tokens obtained through the sandbox's consent page and code exchange, stored
 * as `oauthTokenData` exactly as n8n stores them after a user clicks "Connect".
 */
export async function xeroCredential(
	sandbox: RunningSandbox,
	n8n: Pick<N8nInstance, 'url'>,
): Promise<CredentialFixture & { tokens: OAuthTokens }> {
	const tokens = await authorizationCodeTokens({
		baseUrl: sandbox.xeroUrl,
		...XERO_SANDBOX_CLIENT,
		redirectUri: oauthRedirectUri(n8n),
		scope: XERO_SCOPES,
	});
	return {
		...XERO_CREDENTIAL,
		tokens,
		data: {
			environment: 'custom',
			customBaseUrl: sandbox.xeroUrl,
			...XERO_SANDBOX_CLIENT,
			oauthTokenData: tokens,
		},
	};
}

export function commusoftCredential(sandbox: RunningSandbox): CredentialFixture {
	return {
		...COMMUSOFT_CREDENTIAL,
		data: { baseUrl: `${sandbox.commusoftUrl}/api/v1`, ...COMMUSOFT_SANDBOX_LOGIN },
	};
}

/** The sandbox Xero app's webhook key, as the Xero Webhook Trigger's credential. */
export function xeroWebhookKeyCredential(): CredentialFixture {
	return { ...XERO_WEBHOOK_KEY_CREDENTIAL, data: { signingSecret: XERO_SANDBOX_WEBHOOK_KEY } };
}

/** Imports the sandbox credentials into n8n; returns the Xero tokens handed to n8n. */
export async function importSandboxCredentials(
	n8n: N8nInstance,
	sandbox: RunningSandbox,
): Promise<OAuthTokens> {
	const xero = await xeroCredential(sandbox, n8n);
	const { tokens, ...fixture } = xero;
	await n8n.importCredentials([fixture, commusoftCredential(sandbox), xeroWebhookKeyCredential()]);
	return tokens;
}

export interface Step {
	name: string;
	/** Our node's short name (`xeroAccounting`) or a full type (`n8n-nodes-base.wait`). */
	type: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export type Trigger = 'manual' | { webhookPath: string };

/** References to the sandbox credentials in a node's `credentials`. */
export const useXero = {
	xeroAccountingOAuth2Api: { id: XERO_CREDENTIAL.id, name: XERO_CREDENTIAL.name },
};
export const useXeroWebhookKey = {
	xeroWebhookSigningKeyApi: {
		id: XERO_WEBHOOK_KEY_CREDENTIAL.id,
		name: XERO_WEBHOOK_KEY_CREDENTIAL.name,
	},
};
export const useCommusoft = {
	commusoftApi: { id: COMMUSOFT_CREDENTIAL.id, name: COMMUSOFT_CREDENTIAL.name },
};

/**
 * A workflow that runs `steps` one after another from a Manual Trigger (for `executeWorkflow`) or a Webhook
 * (for published workflows and queue mode; it answers with the last node's output).
 */
export function chainWorkflow(name: string, trigger: Trigger, steps: Step[]): WorkflowJson {
	const triggerNode =
		trigger === 'manual'
			? { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }
			: {
					name: 'Start',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: trigger.webhookPath,
					parameters: {
						httpMethod: 'POST',
						path: trigger.webhookPath,
						responseMode: 'lastNode',
						responseData: 'allEntries',
					},
				};
	const nodes = [triggerNode, ...steps].map((node, i) => ({
		id: `node-${i}`,
		position: [i * 240, 0],
		...node,
		type: node.type.includes('.') ? node.type : nodeType(node.type),
		typeVersion: node.typeVersion ?? 1,
		parameters: node.parameters ?? {},
	}));
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** Every invoice the sandbox serves for a tenant, read directly (not through our node) for comparison. */
export async function sandboxInvoiceIds(sandbox: RunningSandbox): Promise<string[]> {
	const xero = sandbox.xero as XeroSandbox;
	const { access_token } = xero.issueToken({ scopes: ['accounting.transactions.read'] });
	const ids: string[] = [];
	for (let page = 1; ; page++) {
		const response = await fetch(
			`${sandbox.xeroUrl}/api.xro/2.0/Invoices?page=${page}&pageSize=100`,
			{
				headers: {
					authorization: `Bearer ${access_token}`,
					'xero-tenant-id': xero.defaultTenantId,
					accept: 'application/json',
				},
			},
		);
		if (response.status !== 200) throw new Error(`sandbox GET /Invoices → ${response.status}`);
		const body = (await response.json()) as { Invoices: Array<{ InvoiceID: string }> };
		ids.push(...body.Invoices.map((i) => i.InvoiceID));
		if (body.Invoices.length < 100) return ids;
	}
}
