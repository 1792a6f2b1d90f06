/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The balance sync in a real n8n 2.40.5: the bundled template templates/xero-balances-to-commusoft.json (Commusoft
// customers → Xero Contact → Get Balances → Commusoft Update Xero Balance Summary), run from its Manual Trigger
// with the installed package. Every figure is checked against totals computed from the Xero sandbox's own
// stored records; a second run must rewrite nothing (Commusoft call log).
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import {
	buildBalancesScenario,
	expectedFromXeroState,
	type ExpectedBalance,
} from '../helpers/balancesScenario';
import {
	nodeOutput,
	REPO_ROOT,
	setupE2e,
	useCommusoft,
	useXero,
	type WorkflowJson,
} from './harness';

const ZERO: ExpectedBalance = {
	balanceOutstanding: 0,
	balanceOverdue: 0,
	outstandingInvoiceCount: 0,
	overdueInvoiceCount: 0,
	oldestOverdueDate: null,
	lastPaymentDate: null,
	lastPaymentAmount: null,
};

/** The template as shipped, with the organisation chosen and the sandbox credentials picked (as a user does). */
function templateWorkflow(tenantId: string): WorkflowJson {
	const template = JSON.parse(
		readFileSync(path.join(REPO_ROOT, 'templates', 'xero-balances-to-commusoft.json'), 'utf8'),
	) as { nodes: Array<Record<string, unknown>> } & Record<string, unknown>;
	const nodes = template.nodes.map((node, i) => {
		const credentials = node.credentials as Record<string, unknown> | undefined;
		const parameters = { ...(node.parameters as Record<string, unknown>) };
		if (node.name === 'Xero Balances') parameters.tenantId = tenantId;
		return {
			...node,
			id: `balances-${i}`,
			parameters,
			...(credentials
				? {
						credentials: {
							...(credentials.xeroAccountingOAuth2Api ? useXero : {}),
							...(credentials.commusoftApi ? useCommusoft : {}),
						},
					}
				: {}),
		};
	});
	return { ...template, name: 'e2e: Xero balances → Commusoft', nodes } as unknown as WorkflowJson;
}

describe('Xero balances → Commusoft customers in real n8n', () => {
	const e2e = setupE2e({
		sandbox: { xero: { limits: { perTenantMinute: 100_000, appMinute: 100_000 } } },
	});

	it('the template run: figures equal the Xero sandbox totals, on stop flagged, unchanged summaries not rewritten', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const commusoft = sandbox.commusoft as RunningCommusoftSandbox;
			const tenantId = xero.defaultTenantId;
			const today = new Date().toISOString().slice(0, 10);
			const customers = await buildBalancesScenario(
				{
					xeroUrl: sandbox.xeroUrl,
					accessToken: xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 3600 }).access_token,
					tenantId,
					commusoftUrl: sandbox.commusoftUrl,
				},
				25,
				today,
				'E2E',
			);
			const id = await n8n.importWorkflow(templateWorkflow(tenantId));

			xero.clearCalls();
			const callsBefore = commusoft.state.calls.length;
			const first = await n8n.executeWorkflow(id);
			const xeroCalls = xero.calls().filter((c) => c.endpoint !== 'GET /connections');
			console.log(`[balances e2e] Xero calls in the run: ${xeroCalls.length}`);
			expect(xeroCalls.length).toBeLessThan(10);

			const expected = await expectedFromXeroState(sandbox.xeroUrl, tenantId, today);
			const balances = nodeOutput(first, 'Xero Balances');
			const summaries = nodeOutput(first, 'Update Balance Summary');
			expect(balances.length).toBe(commusoft.state.data.customers.filter((c) => !c.deleted).length);
			let checked = 0;
			for (const balance of balances.filter((b) => b.xeroContactFound === true)) {
				const want = expected.get(String(balance.contactId).toLowerCase()) ?? ZERO;
				expect(balance, String(balance.contactNumber)).toMatchObject({ ...want });
				checked++;
			}
			// every scenario customer was found (half by stored ContactID, half by ContactNumber) and checked
			for (const customer of customers) {
				const balance = balances.find((b) => b.commusoftCustomerId === customer.uuid);
				expect(balance?.xeroContactFound, customer.reference).toBe(true);
			}
			expect(checked).toBeGreaterThanOrEqual(customers.length);

			// stored summaries equal the figures; on stop over the template's 1,000 limit
			const owing = customers.filter(
				(c) => (expected.get(c.contactId.toLowerCase()) ?? ZERO).balanceOutstanding > 0,
			);
			expect(owing.length).toBeGreaterThan(5);
			for (const customer of owing) {
				const want = expected.get(customer.contactId.toLowerCase())!;
				const stored = commusoft.state.data.customers.find(
					(c) => c.uuid === customer.uuid,
				)?.accountingSummary;
				expect(stored, customer.reference).toMatchObject({
					balanceOutstanding: want.balanceOutstanding,
					balanceOverdue: want.balanceOverdue,
					overdueInvoiceCount: want.overdueInvoiceCount,
					onStop: want.balanceOutstanding > 1000,
				});
			}
			const writes = () =>
				commusoft.state.calls
					.slice(callsBefore)
					.filter((c) => c.method === 'PUT' && c.path.endsWith('/accountingSummary'));
			expect(writes().length).toBe(
				summaries.filter((s) => ['created', 'updated', 'cleared'].includes(String(s.action)))
					.length,
			);
			expect(writes().length).toBeGreaterThanOrEqual(owing.length);

			// second run: the same figures, nothing rewritten
			const writesAfterFirst = writes().length;
			const second = await n8n.executeWorkflow(id);
			const again = nodeOutput(second, 'Update Balance Summary');
			expect(again.filter((s) => s.action !== 'unchanged' && s.action !== 'skipped')).toEqual([]);
			expect(writes().length).toBe(writesAfterFirst);
		}));
});
