// OAuth2 refresh in real n8n: the sandbox issues access tokens that live 5 seconds; a workflow that keeps
// calling Xero across a wait longer than that keeps working, because n8n (requestOAuth2) answers Xero's 401
// TokenExpired with a refresh_token grant at the sandbox's token endpoint, retries, and stores the new tokens.
import { describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox';
import { chainWorkflow, nodeOutput, setupE2e, useXero, XERO_CREDENTIAL } from './harness';

const ACCESS_TOKEN_LIFETIME_SEC = 5;

describe('OAuth2 token refresh in real n8n', () => {
	const e2e = setupE2e({
		sandbox: { xero: { accessTokenLifetimeSec: ACCESS_TOKEN_LIFETIME_SEC } },
	});

	it('a run that outlives the access token keeps working and n8n stores the rotated tokens', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const id = await n8n.importWorkflow(
				chainWorkflow('e2e: OAuth2 refresh across a wait', 'manual', [
					{
						name: 'Contacts',
						type: 'xeroAccounting',
						parameters: {
							resource: 'contact',
							operation: 'getMany',
							returnAll: false,
							limit: 1,
							tenantId: xero.defaultTenantId,
						},
						credentials: useXero,
					},
					{
						name: 'Outlive the token',
						type: 'n8n-nodes-base.wait',
						typeVersion: 1.1,
						parameters: {
							resume: 'timeInterval',
							amount: ACCESS_TOKEN_LIFETIME_SEC + 3,
							unit: 'seconds',
						},
					},
					{
						name: 'Invoices',
						type: 'xeroAccounting',
						parameters: {
							resource: 'invoice',
							operation: 'getMany',
							returnAll: false,
							limit: 3,
							tenantId: xero.defaultTenantId,
						},
						credentials: useXero,
					},
				]),
			);
			xero.clearCalls();
			const run = await n8n.executeWorkflow(id);
			expect(nodeOutput(run, 'Contacts')).toHaveLength(1);
			expect(nodeOutput(run, 'Invoices')).toHaveLength(3);

			// After the wait the token had expired: Xero answered 401 on /Invoices, then the retry succeeded.
			const invoiceCalls = xero.calls().filter((c) => c.path.startsWith('/api.xro/2.0/Invoices'));
			const firstRejected = invoiceCalls.findIndex((c) => c.status === 401);
			expect(firstRejected).toBeGreaterThanOrEqual(0);
			expect(invoiceCalls.slice(firstRejected + 1).some((c) => c.status === 200)).toBe(true);

			// n8n persisted what the refresh_token grant returned: both tokens rotated (the sandbox rotates the
			// refresh token on every refresh grant, so a new one can only come from that grant).
			const stored = await n8n.exportCredential(XERO_CREDENTIAL.id);
			const tokens = stored.data.oauthTokenData as { access_token: string; refresh_token: string };
			expect(tokens.refresh_token).toBeTruthy();
			expect(tokens.refresh_token).not.toBe(e2e.xeroTokens?.refresh_token);
			expect(tokens.access_token).not.toBe(e2e.xeroTokens?.access_token);
		}));
});
