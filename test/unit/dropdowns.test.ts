// Dropdowns and their loaders agree, in every node (and every version of a versioned node): each parameter's
// loadOptionsMethod / searchListMethod names a method the node carries (else the editor shows an error where the
// list should be), and each method the node carries is used by some parameter (else it is dead code that still
// ships). The walker that finds them (test/helpers/nodeDropdowns.ts) also drives the editor check, which opens
// each one in real n8n against the sandbox (test/e2e/editor.test.ts). The loaders' results against the sandbox
// are checked in test/sandbox/xero-node-invoice.test.ts.
import { describe, expect, it } from 'vitest';

import { nodeDropdowns, packageNodes, referencedMethods } from '../helpers/nodeDropdowns';

describe('dropdown loaders', () => {
	it('every dropdown names a loader its node carries, and every loader is used', async () => {
		const nodes = await packageNodes();
		expect(nodes.length).toBeGreaterThanOrEqual(5);
		const problems: string[] = [];
		for (const { name, node } of nodes) {
			const referenced = referencedMethods(node.description.properties);
			const carried = new Set([
				...Object.keys(node.methods?.loadOptions ?? {}),
				...Object.keys(node.methods?.listSearch ?? {}),
			]);
			for (const method of referenced)
				if (!carried.has(method))
					problems.push(`${name}: a parameter uses "${method}", which the node lacks`);
			for (const method of carried)
				if (!referenced.has(method)) problems.push(`${name}: "${method}" is used by no parameter`);
		}
		expect(problems).toEqual([]);
	});

	it('the invoice upsert offers its tax types and tracking from the organisation', async () => {
		const xero = (await packageNodes()).find((n) => n.name.startsWith('XeroAccounting'))!;
		const methods = referencedMethods(xero.node.description.properties);
		for (const method of [
			'getTenants',
			'getTaxRates',
			'getTrackingCategories',
			'getTrackingOptions',
		])
			expect(methods).toContain(method);
	});

	it('the walker finds each dropdown where the editor shows it, inside fixed collections too', async () => {
		const found = (await packageNodes()).flatMap((entry) => nodeDropdowns(entry));
		const places = found.map((d) => `${d.nodeType} ${d.where}: ${d.path.join('.')} (${d.method})`);
		// Every operation of the Xero Accounting node asks for the organisation.
		const xero = (await packageNodes()).find((n) => n.node.description.name === 'xeroAccounting')!;
		const operations = xero.node.description.properties
			.filter((p) => p.name === 'operation')
			.flatMap((p) => p.options ?? []);
		expect(
			found.filter((d) => d.nodeType === 'xeroAccounting' && d.name === 'tenantId'),
		).toHaveLength(operations.length);
		expect(places).toEqual(
			expect.arrayContaining([
				'xeroAccounting invoice → upsert: tenantId (getTenants)',
				'xeroAccounting invoice → upsert: tracking.mapping.category (getTrackingCategories)',
				'xeroAccounting invoice → upsert: tracking.mapping.option (getTrackingOptions)',
				'xeroAccounting invoice → upsert: vatMap.rate.taxType (getTaxRates)',
				'xeroAccounting creditNote → upsert: tracking.mapping.option (getTrackingOptions)',
				'xeroAccounting creditNote → upsert: vatMap.rate.taxType (getTaxRates)',
				'xeroAccounting tracking → ensureOption: trackingCategory (getTrackingCategories)',
				'xeroPaymentTrigger (all): tenantId (getTenants)',
			]),
		);
		// Shown with the parameters it carries: a fixed-collection dropdown gets an entry with its value empty.
		const taxType = found.find((d) => d.name === 'taxType' && d.parameters.resource === 'invoice')!;
		expect(taxType.parameters).toMatchObject({
			resource: 'invoice',
			operation: 'upsert',
			vatMap: { rate: [{ label: '', taxType: '' }] },
		});
		// Each dropdown's loader is one its walker found (no dropdown missed by one and found by the other).
		for (const { node } of await packageNodes())
			for (const method of referencedMethods(node.description.properties))
				expect(
					found.some((d) => d.nodeType === node.description.name && d.method === method),
					`${node.description.name}: ${method}`,
				).toBe(true);
	});
});
