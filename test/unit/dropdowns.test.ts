/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Dropdowns and their loaders agree, in every node (and every version of a versioned node): each parameter's
// loadOptionsMethod / searchListMethod names a method the node carries (else the editor shows an error where the
// list should be), and each method the node carries is used by some parameter (else it is dead code that still
// ships). The loaders' results against the sandbox are checked in test/sandbox/xero-node-invoice.test.ts.
import { readdirSync } from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodePropertyCollection, INodeType } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

const nodesDir = path.resolve(__dirname, '../../nodes');

type AnyNode = INodeType & { nodeVersions?: Record<number, INodeType> };

async function nodeTypes(): Promise<Array<{ name: string; node: INodeType }>> {
	const found: Array<{ name: string; node: INodeType }> = [];
	for (const vendor of readdirSync(nodesDir)) {
		const dir = path.join(nodesDir, vendor);
		let files: string[];
		try {
			files = readdirSync(dir).filter((f) => f.endsWith('.node.ts'));
		} catch {
			continue;
		}
		for (const file of files) {
			const module = (await import(path.join(dir, file))) as Record<string, unknown>;
			for (const exported of Object.values(module)) {
				if (typeof exported !== 'function') continue;
				const instance = new (exported as new () => AnyNode)();
				if (instance.nodeVersions) {
					for (const [version, node] of Object.entries(instance.nodeVersions))
						found.push({ name: `${file} v${version}`, node });
				} else if (instance.description) {
					found.push({ name: file, node: instance });
				}
			}
		}
	}
	return found;
}

/** Every method name a parameter refers to, searched through collections and fixed collections. */
function referencedMethods(properties: INodeProperties[]): Set<string> {
	const names = new Set<string>();
	const visit = (property: INodeProperties) => {
		const typeOptions = property.typeOptions ?? {};
		if (typeof typeOptions.loadOptionsMethod === 'string') names.add(typeOptions.loadOptionsMethod);
		for (const mode of property.modes ?? []) {
			const search = mode.typeOptions?.searchListMethod;
			if (typeof search === 'string') names.add(search);
		}
		for (const option of property.options ?? []) {
			if ('values' in option) (option as INodePropertyCollection).values.forEach(visit);
			else if ('type' in option) visit(option as INodeProperties);
		}
	};
	properties.forEach(visit);
	return names;
}

describe('dropdown loaders', () => {
	it('every dropdown names a loader its node carries, and every loader is used', async () => {
		const nodes = await nodeTypes();
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
		const xero = (await nodeTypes()).find((n) => n.name.startsWith('XeroAccounting'))!;
		const methods = referencedMethods(xero.node.description.properties);
		for (const method of [
			'getTenants',
			'getTaxRates',
			'getTrackingCategories',
			'getTrackingOptions',
		])
			expect(methods).toContain(method);
	});
});
