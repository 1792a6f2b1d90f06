/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Every bundled template (templates/*.json) must import into a user's n8n as shipped: only our package's nodes
// (installed-package type names) and known built-ins, only parameters our node descriptions define (with option
// values they offer), connections between existing nodes, and nothing private (no credential ids, tokens,
// pinData, instance ids), as n8n's template sharing expects.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import type { INodeProperties, INodeType, INodePropertyCollection } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { Commusoft } from '../../nodes/Commusoft/Commusoft.node';
import { CommusoftTrigger } from '../../nodes/Commusoft/CommusoftTrigger.node';
import { XeroAccounting } from '../../nodes/Xero/XeroAccounting.node';
import { XeroPaymentTrigger } from '../../nodes/Xero/XeroPaymentTrigger.node';
import { XeroWebhookTrigger } from '../../nodes/Xero/XeroWebhookTrigger.node';

const ROOT = path.join(__dirname, '..', '..');
const TEMPLATES = path.join(ROOT, 'templates');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};

/** Our node classes by the file package.json declares for them (dist/…/X.node.js ← nodes/…/X.node.ts). */
const ourClasses: Record<string, INodeType> = {
	'nodes/Xero/XeroAccounting.node': new XeroAccounting(),
	'nodes/Xero/XeroPaymentTrigger.node': new XeroPaymentTrigger(),
	'nodes/Xero/XeroWebhookTrigger.node': new XeroWebhookTrigger(),
	'nodes/Commusoft/Commusoft.node': new Commusoft(),
	'nodes/Commusoft/CommusoftTrigger.node': new CommusoftTrigger(),
};
const ourNodes = new Map<string, INodeType>();
for (const file of pkg.n8n.nodes) {
	const key = file.replace(/^dist\//, '').replace(/\.js$/, '');
	const node = ourClasses[key];
	if (!node)
		throw new Error(`package.json declares ${file}, which this test does not know; add it`);
	ourNodes.set(`${pkg.name}.${node.description.name}`, node);
}
const ourCredentialTypes = new Set(
	pkg.n8n.credentials.map((file) => {
		const base = path.basename(file).split('.')[0];
		return base[0].toLowerCase() + base.slice(1);
	}),
);

/** Built-ins the templates may use, with the versions n8n 2.40.5 ships (n8n-nodes-base). */
const BUILTINS: Record<
	string,
	{ versions: number[]; outputs?: (p: Record<string, unknown>) => number }
> = {
	'n8n-nodes-base.manualTrigger': { versions: [1] },
	'n8n-nodes-base.scheduleTrigger': { versions: [1, 1.1, 1.2, 1.3, 1.4] },
	'n8n-nodes-base.stickyNote': { versions: [1] },
	'n8n-nodes-base.noOp': { versions: [1] },
	'n8n-nodes-base.aggregate': { versions: [1] },
	'n8n-nodes-base.set': { versions: [3, 3.1, 3.2, 3.3, 3.4, 3.5] },
	'n8n-nodes-base.if': { versions: [2, 2.1, 2.2, 2.3], outputs: () => 2 },
	'n8n-nodes-base.switch': {
		versions: [3, 3.1, 3.2, 3.3, 3.4],
		outputs: (p) =>
			((p.rules as { values?: unknown[] } | undefined)?.values?.length ?? 0) +
			((p.options as { fallbackOutput?: unknown } | undefined)?.fallbackOutput === 'extra' ? 1 : 0),
	},
	'n8n-nodes-base.emailSend': { versions: [2, 2.1] },
	'n8n-nodes-base.slack': { versions: [2, 2.1, 2.2, 2.3] },
	'n8n-nodes-base.splitOut': { versions: [1] },
};

/** Keys n8n stores on a node besides parameters. */
const NODE_KEYS = new Set([
	'id',
	'name',
	'type',
	'typeVersion',
	'position',
	'parameters',
	'credentials',
	'disabled',
	'notes',
	'notesInFlow',
	'onError',
	'executeOnce',
	'alwaysOutputData',
	'retryOnFail',
	'maxTries',
	'waitBetweenTries',
	'webhookId',
]);

interface TemplateNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, Record<string, unknown>>;
	onError?: string;
	[key: string]: unknown;
}
interface Template {
	name: string;
	nodes: TemplateNode[];
	connections: Record<
		string,
		Record<string, Array<Array<{ node: string; type: string; index: number }>>>
	>;
	[key: string]: unknown;
}

const files = readdirSync(TEMPLATES)
	.filter((f) => f.endsWith('.json'))
	.sort();

const isExpression = (value: unknown) => typeof value === 'string' && value.startsWith('=');

/** Problems with `params` against `properties` (names exist, option values offered, shapes right). */
function checkParameters(
	params: Record<string, unknown>,
	properties: INodeProperties[],
	where: string,
	extraNames: string[] = [],
): string[] {
	const problems: string[] = [];
	for (const [name, value] of Object.entries(params)) {
		if (extraNames.includes(name)) continue;
		const candidates = properties.filter((p) => p.name === name);
		if (candidates.length === 0) {
			problems.push(`${where}: unknown parameter "${name}"`);
			continue;
		}
		// Same name under different displayOptions: the value must suit at least one of them.
		const perCandidate = candidates.map((p) => checkValue(p, value, `${where}.${name}`));
		if (perCandidate.every((list) => list.length > 0)) problems.push(...perCandidate[0]);
	}
	return problems;
}

function checkValue(property: INodeProperties, value: unknown, where: string): string[] {
	if (isExpression(value))
		return property.noDataExpression ? [`${where}: takes no expression`] : [];
	switch (property.type) {
		case 'options': {
			const values = (property.options as Array<{ value: unknown }> | undefined)?.map(
				(o) => o.value,
			);
			const dynamic = !!property.typeOptions?.loadOptionsMethod;
			return dynamic || values?.includes(value as never)
				? []
				: [`${where}: "${String(value)}" is not one of ${JSON.stringify(values)}`];
		}
		case 'multiOptions': {
			const values = (property.options as Array<{ value: unknown }>).map((o) => o.value);
			if (!Array.isArray(value)) return [`${where}: must be a list`];
			return value
				.filter((v) => !values.includes(v as never))
				.map((v) => `${where}: "${String(v)}" is not one of ${JSON.stringify(values)}`);
		}
		case 'collection':
			if (typeof value !== 'object' || value === null || Array.isArray(value))
				return [`${where}: must be an object`];
			return checkParameters(
				value as Record<string, unknown>,
				property.options as INodeProperties[],
				where,
			);
		case 'fixedCollection': {
			if (typeof value !== 'object' || value === null) return [`${where}: must be an object`];
			const groups = property.options as INodePropertyCollection[];
			const problems: string[] = [];
			for (const [groupName, entries] of Object.entries(value)) {
				const group = groups.find((g) => g.name === groupName);
				if (!group) {
					problems.push(`${where}: unknown group "${groupName}"`);
					continue;
				}
				const list = property.typeOptions?.multipleValues ? entries : [entries];
				if (!Array.isArray(list)) {
					problems.push(`${where}.${groupName}: must be a list`);
					continue;
				}
				list.forEach((entry, i) =>
					problems.push(
						...checkParameters(
							entry as Record<string, unknown>,
							group.values,
							`${where}.${groupName}[${i}]`,
						),
					),
				);
			}
			return problems;
		}
		case 'boolean':
			return typeof value === 'boolean' ? [] : [`${where}: must be true or false`];
		case 'number':
			return typeof value === 'number' ? [] : [`${where}: must be a number`];
		default:
			return [];
	}
}

/** Every string in the template (keys and values), for the secret scan. */
function strings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
	else if (value && typeof value === 'object')
		for (const [k, v] of Object.entries(value)) {
			out.push(k);
			strings(v, out);
		}
	return out;
}

describe('bundled templates', () => {
	it('ships the templates the README describes', () => {
		expect(files).toEqual([
			'01-commusoft-invoices-to-xero.json',
			'02-xero-payments-to-commusoft.json',
			'03-commusoft-customers-to-xero-contacts.json',
			'04-import-xero-contacts-into-commusoft.json',
			'05-debtors-monitor.json',
			'06-audit-commusoft-against-xero.json',
			'07-commusoft-payments-to-xero.json',
			'xero-balances-to-commusoft.json', // the balances helper
			'xero-invoice-status-to-commusoft.json', // Xero invoice status back in Commusoft
		]);
	});

	describe.each(files)('%s', (file) => {
		const text = readFileSync(path.join(TEMPLATES, file), 'utf8');
		const template = JSON.parse(text) as Template;
		const byName = new Map(template.nodes.map((n) => [n.name, n]));

		it('is a shareable export: inactive, no ids, no pinData, no instance', () => {
			expect(template.name).toBeTruthy();
			expect(template.active).toBe(false);
			for (const key of ['id', 'pinData', 'versionId', 'shared', 'homeProject'])
				expect(template, key).not.toHaveProperty(key);
			expect((template.meta as Record<string, unknown> | undefined)?.instanceId).toBeUndefined();
			expect(byName.size).toBe(template.nodes.length); // node names are unique
			expect(template.nodes.some((n) => n.type === 'n8n-nodes-base.stickyNote')).toBe(true);
		});

		it('uses only our nodes (installed-package names) and known built-ins', () => {
			for (const node of template.nodes) {
				const ours = ourNodes.get(node.type);
				if (ours) {
					const versions = ([] as number[]).concat(ours.description.version);
					expect(versions, `${node.name} typeVersion`).toContain(node.typeVersion);
				} else {
					expect(Object.keys(BUILTINS), `${node.name}: type ${node.type}`).toContain(node.type);
					expect(BUILTINS[node.type].versions, `${node.name} typeVersion`).toContain(
						node.typeVersion,
					);
				}
				for (const key of Object.keys(node))
					expect(NODE_KEYS, `${node.name}.${key}`).toContain(key);
				if (node.onError)
					expect(['continueRegularOutput', 'continueErrorOutput', 'stopWorkflow']).toContain(
						node.onError,
					);
			}
		});

		it('sets only parameters our node descriptions define, with values they offer', () => {
			const problems: string[] = [];
			for (const node of template.nodes) {
				const ours = ourNodes.get(node.type);
				if (!ours) continue;
				// n8n's loader adds pollTimes to polling nodes.
				const extra = ours.description.polling ? ['pollTimes'] : [];
				problems.push(
					...checkParameters(node.parameters, ours.description.properties, node.name, extra),
				);
			}
			expect(problems).toEqual([]);
		});

		it('references credentials by type and name only, and only the types the node uses', () => {
			for (const node of template.nodes) {
				if (!node.credentials) continue;
				const ours = ourNodes.get(node.type);
				for (const [type, reference] of Object.entries(node.credentials)) {
					expect(ourCredentialTypes, `${node.name}: ${type}`).toContain(type);
					if (ours) expect(ours.description.credentials?.map((c) => c.name)).toContain(type);
					expect(Object.keys(reference), `${node.name}: ${type}`).toEqual(['name']);
				}
			}
			// every node of ours that needs a credential has one referenced
			for (const node of template.nodes) {
				const ours = ourNodes.get(node.type);
				for (const credential of ours?.description.credentials ?? [])
					if (credential.required)
						expect(node.credentials, node.name).toHaveProperty(credential.name);
			}
		});

		it('holds no secrets', () => {
			const all = strings(template);
			const secret =
				/access_token|refresh_token|client_?secret|password|bearer\s|api[_-]?key|oauthTokenData|sandbox-client|demo-password|signingKey|signingSecret/i;
			// a credential's type name (e.g. xeroWebhookSigningKeyApi) names where a secret is kept, it is none
			expect(all.filter((s) => secret.test(s) && !ourCredentialTypes.has(s))).toEqual([]);
			// No Xero tenant, contact or invoice ids baked in (node ids are the only GUIDs allowed).
			const guid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
			const nodeIds = new Set(template.nodes.map((n) => n.id));
			const assignmentIds = new Set<string>();
			for (const s of strings(template.nodes.map((n) => n.parameters)))
				if (guid.test(s) && /^[0-9a-f-]{36}$/i.test(s)) assignmentIds.add(s);
			const stray = all.filter((s) => guid.test(s) && !nodeIds.has(s) && !assignmentIds.has(s));
			expect(stray).toEqual([]);
			for (const node of template.nodes)
				if (node.parameters.tenantId !== undefined) expect(node.parameters.tenantId).toBe('');
		});

		it('connects existing nodes through outputs they have', () => {
			const triggers = template.nodes.filter((n) => /trigger$/i.test(n.type.split('.')[1] ?? ''));
			expect(triggers.length).toBeGreaterThan(0);
			for (const [from, outputs] of Object.entries(template.connections)) {
				const source = byName.get(from);
				expect(source, `connection from "${from}"`).toBeDefined();
				const main = outputs.main ?? [];
				expect(Object.keys(outputs)).toEqual(['main']);
				const builtin = BUILTINS[source!.type];
				const outputCount = builtin?.outputs
					? builtin.outputs(source!.parameters)
					: source!.onError === 'continueErrorOutput'
						? 2
						: 1;
				expect(main.length, `outputs of "${from}"`).toBeLessThanOrEqual(outputCount);
				for (const targets of main)
					for (const target of targets) {
						expect(byName.has(target.node), `"${from}" → "${target.node}"`).toBe(true);
						expect(target.type).toBe('main');
						expect(byName.get(target.node)!.type).not.toMatch(/[Tt]rigger$|stickyNote$/);
					}
			}
			// every non-note, non-trigger node is reachable from something
			const targets = new Set(
				Object.values(template.connections).flatMap((o) =>
					(o.main ?? []).flat().map((t) => t.node),
				),
			);
			for (const node of template.nodes)
				if (!/[Tt]rigger$|stickyNote$/.test(node.type))
					expect(targets.has(node.name), `${node.name} has no input`).toBe(true);
		});

		it("names only existing nodes in $('…') expressions", () => {
			const referenced = [...text.matchAll(/\$\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]);
			for (const name of referenced) expect(byName.has(name), name).toBe(true);
		});
	});
});
