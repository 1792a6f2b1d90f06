/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The package's dropdowns, found from the node descriptions: every parameter whose options a loader fills
// (`loadOptionsMethod`, `searchListMethod`), wherever it sits (top level, inside a collection or a fixed
// collection), and for each the node parameters under which the editor shows it. The unit check (loaders and
// dropdowns agree) and the editor check (each dropdown opened against the sandbox) both walk these, so a new
// dropdown is covered by both without a list to keep.
import { readdirSync } from 'node:fs';
import path from 'node:path';

import {
	NodeHelpers,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyCollection,
	type INodeType,
} from 'n8n-workflow';

const nodesDir = path.resolve(__dirname, '../../nodes');

type AnyNode = INodeType & { nodeVersions?: Record<number, INodeType> };

export interface PackageNode {
	/** `XeroAccounting.node.ts`, with ` v2` for a version of a versioned node. */
	name: string;
	version: number;
	node: INodeType;
}

/** Every node class under nodes/ (and every version of a versioned node). */
export async function packageNodes(): Promise<PackageNode[]> {
	const found: PackageNode[] = [];
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
						found.push({ name: `${file} v${version}`, version: Number(version), node });
				} else if (instance.description) {
					const version = instance.description.version;
					found.push({
						name: file,
						version: Array.isArray(version) ? Math.max(...version) : version,
						node: instance,
					});
				}
			}
		}
	}
	return found;
}

/** The loader a parameter names, if any (`loadOptionsMethod`, or a resource locator mode's `searchListMethod`). */
function loaderOf(property: INodeProperties): string | undefined {
	const load = property.typeOptions?.loadOptionsMethod;
	if (typeof load === 'string') return load;
	for (const mode of property.modes ?? []) {
		const search = mode.typeOptions?.searchListMethod;
		if (typeof search === 'string') return search;
	}
	return undefined;
}

/** The parameters inside a collection or fixed collection, with the entry (option) name for fixed ones. */
function children(property: INodeProperties): Array<{ entry?: string; child: INodeProperties }> {
	const found: Array<{ entry?: string; child: INodeProperties }> = [];
	for (const option of property.options ?? []) {
		if ('values' in option) {
			for (const child of (option as INodePropertyCollection).values)
				found.push({ entry: (option as INodePropertyCollection).name, child });
		} else if ('type' in option) {
			found.push({ child: option as INodeProperties });
		}
	}
	return found;
}

/** Every method name a parameter refers to, searched through collections and fixed collections. */
export function referencedMethods(properties: INodeProperties[]): Set<string> {
	const names = new Set<string>();
	const visit = (property: INodeProperties) => {
		const method = loaderOf(property);
		if (method) names.add(method);
		for (const { child } of children(property)) visit(child);
	};
	properties.forEach(visit);
	return names;
}

export interface Dropdown {
	/** The node's type name (`xeroAccounting`) and display name. */
	nodeType: string;
	nodeDisplayName: string;
	version: number;
	/** Where it shows: `invoice → upsert`, or `(all)` for a node without resources. */
	where: string;
	/** The loader that fills it. */
	method: string;
	/** The dropdown's own parameter name and label. */
	name: string;
	displayName: string;
	/** Names from the top-level parameter down to the dropdown (`['vatMap', 'rate', 'taxType']`). */
	path: string[];
	/**
	 * Node parameters under which the editor shows the dropdown: the resource and operation (and any other value
	 * its display conditions ask for), and, for one inside a (fixed) collection, an entry holding it, its own value
	 * empty (a fixed value, so the editor shows the list rather than an expression) and its siblings at their
	 * defaults.
	 */
	parameters: INodeParameters;
}

/** The node parameters worth trying: each resource × operation the node offers, or none for a plain node. */
function operationCombos(properties: INodeProperties[]): INodeParameters[] {
	const resource = properties.find((p) => p.name === 'resource' && p.type === 'options');
	const operations = properties.filter((p) => p.name === 'operation' && p.type === 'options');
	const values = (p: INodeProperties) =>
		(p.options ?? []).map((o) => (o as { value: string }).value);
	if (!resource) {
		if (!operations.length) return [{}];
		return operations.flatMap((op) => values(op).map((operation) => ({ operation })));
	}
	const combos: INodeParameters[] = [];
	for (const r of values(resource)) {
		const forResource = operations.filter((op) => {
			const shown = op.displayOptions?.show?.resource as string[] | undefined;
			return !shown || shown.includes(r);
		});
		if (!forResource.length) combos.push({ resource: r });
		for (const op of forResource)
			for (const operation of values(op)) combos.push({ resource: r, operation });
	}
	return combos;
}

/**
 * Every dropdown of a node, once per place the editor shows it (a dropdown on every operation, such as the
 * organisation, is listed for each resource and operation).
 */
export function nodeDropdowns(entry: PackageNode): Dropdown[] {
	const { description } = entry.node;
	const typeVersion = { typeVersion: entry.version };
	const found: Dropdown[] = [];
	for (const combo of operationCombos(description.properties)) {
		const where =
			combo.resource !== undefined
				? `${String(combo.resource)} → ${String(combo.operation ?? '')}`
				: combo.operation !== undefined
					? String(combo.operation)
					: '(all)';
		const withDefaults =
			NodeHelpers.getNodeParameters(
				description.properties,
				combo,
				true,
				false,
				typeVersion,
				description,
			) ?? {};
		for (const top of description.properties) {
			// Shown with the defaults, or once the other values its display conditions name are set.
			let shownWith: INodeParameters | undefined;
			if (NodeHelpers.displayParameter(withDefaults, top, typeVersion, description)) {
				shownWith = combo;
			} else {
				const extra: INodeParameters = {};
				for (const [key, wanted] of Object.entries(top.displayOptions?.show ?? {}))
					if (key !== 'resource' && key !== 'operation' && !key.startsWith('@') && wanted?.length)
						extra[key] = wanted[0] as string;
				const values = { ...withDefaults, ...extra };
				if (
					Object.keys(extra).length &&
					(combo.resource === undefined ||
						(top.displayOptions?.show?.resource as string[] | undefined)?.includes(
							combo.resource as string,
						)) &&
					NodeHelpers.displayParameter(values, top, typeVersion, description)
				)
					shownWith = { ...combo, ...extra };
			}
			if (!shownWith) continue;
			const base = {
				nodeType: description.name,
				nodeDisplayName: description.displayName,
				version: entry.version,
				where,
			};
			const method = loaderOf(top);
			if (method)
				found.push({
					...base,
					method,
					name: top.name,
					displayName: top.displayName,
					path: [top.name],
					parameters: shownWith,
				});
			if (top.type !== 'collection' && top.type !== 'fixedCollection') continue;
			const multiple = top.typeOptions?.multipleValues === true;
			for (const { entry: option, child } of children(top)) {
				const childMethod = loaderOf(child);
				if (!childMethod) continue;
				let value: unknown;
				if (top.type === 'collection') {
					value = { [child.name]: '' };
				} else {
					const siblings = (top.options ?? []).find(
						(o) => (o as INodePropertyCollection).name === option,
					) as INodePropertyCollection;
					const fields: INodeParameters = {};
					for (const sibling of siblings.values)
						fields[sibling.name] = sibling.name === child.name ? '' : sibling.default;
					value = { [option!]: multiple ? [fields] : fields };
				}
				found.push({
					...base,
					method: childMethod,
					name: child.name,
					displayName: child.displayName,
					path: option ? [top.name, option, child.name] : [top.name, child.name],
					parameters: { ...shownWith, [top.name]: value } as INodeParameters,
				});
			}
		}
	}
	return found;
}
