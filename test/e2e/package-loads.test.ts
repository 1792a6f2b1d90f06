/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The packed package installed as a community package in real n8n 2.40.5: our nodes load under their
// package type names and run against the sandbox with credentials imported through the n8n CLI.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import {
	chainWorkflow,
	nodeOutput,
	nodeType,
	PACKAGE_NAME,
	setupE2e,
	sandboxInvoiceIds,
	useCommusoft,
	useXero,
} from './harness';
import type { XeroSandbox } from '../../sandbox';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';

describe('package in real n8n (regular mode)', () => {
	const e2e = setupE2e();

	it('loads our nodes and credentials as a community package', () =>
		e2e.withN8n(async (n8n) => {
			// What the packed package declares (built entries only, see pack.ts) → what n8n must have loaded.
			const staged = JSON.parse(
				readFileSync(path.join(e2e.packed.stagingDir, 'package.json'), 'utf8'),
			) as {
				n8n: { nodes: string[]; credentials: string[] };
			};
			const lowerFirst = (file: string) => {
				const base = path.basename(file).split('.')[0];
				return base[0].toLowerCase() + base.slice(1);
			};
			const expectedNodes = staged.n8n.nodes.map((file) => nodeType(lowerFirst(file)));
			expect(expectedNodes).toContain(nodeType('xeroAccounting'));

			const nodes =
				await n8n.getJson<Array<{ name: string; credentials?: Array<{ name: string }> }>>(
					'/types/nodes.json',
				);
			const ours = new Set(
				nodes.map((n) => n.name).filter((name) => name.startsWith(`${PACKAGE_NAME}.`)),
			);
			for (const type of expectedNodes) expect(ours).toContain(type);
			// usableAsTool: n8n derives an AI-agent tool variant from our action node.
			expect(ours).toContain(nodeType('xeroAccountingTool'));

			const credentials =
				await n8n.getJson<Array<{ name: string; extends?: string[] }>>('/types/credentials.json');
			const xero = credentials.find((c) => c.name === 'xeroAccountingOAuth2Api');
			expect(xero?.extends).toContain('oAuth2Api');
			expect(credentials.map((c) => c.name)).toContain('commusoftApi');
		}));

	it('Xero Accounting → Invoice → Get Many returns every sandbox invoice', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const id = await n8n.importWorkflow(
				chainWorkflow('e2e: Xero invoices', 'manual', [
					{
						name: 'Invoices',
						type: 'xeroAccounting',
						parameters: {
							resource: 'invoice',
							operation: 'getMany',
							returnAll: true,
							tenantId: xero.defaultTenantId,
						},
						credentials: useXero,
					},
				]),
			);
			xero.clearCalls();
			const run = await n8n.executeWorkflow(id);
			const invoices = nodeOutput(run, 'Invoices');
			const expected = await sandboxInvoiceIds(sandbox);
			expect(expected.length).toBeGreaterThan(0);
			expect(invoices.map((i) => i.InvoiceID).sort()).toEqual([...expected].sort());
			const calls = xero.calls().filter((c) => c.path.startsWith('/api.xro/2.0/Invoices'));
			expect(calls.length).toBeGreaterThan(0);
			expect(calls.every((c) => c.tenantId === xero.defaultTenantId)).toBe(true);
		}));

	it('Commusoft → Customer → Get Many returns every sandbox customer (token login through the credential)', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const commusoft = sandbox.commusoft as RunningCommusoftSandbox;
			const id = await n8n.importWorkflow(
				chainWorkflow('e2e: Commusoft customers', 'manual', [
					{
						name: 'Customers',
						type: 'commusoft',
						parameters: { resource: 'customer', operation: 'getMany', returnAll: true },
						credentials: useCommusoft,
					},
				]),
			);
			const callsBefore = commusoft.state.calls.length;
			const run = await n8n.executeWorkflow(id);
			const customers = nodeOutput(run, 'Customers');
			const expected = commusoft.state.data.customers.map((c) => c.uuid).sort();
			expect(expected.length).toBeGreaterThan(0);
			expect(customers.map((c) => c.id).sort()).toEqual(expected);
			// The credential's pre-authentication logged in through getToken before listing.
			const calls = commusoft.state.calls.slice(callsBefore);
			expect(calls.some((c) => /token/i.test(c.endpoint) && c.status === 200)).toBe(true);
		}));
});
