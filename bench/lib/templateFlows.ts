/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The bundled templates (templates/*.json) as the firm's-day bench runs them in-process (bench/lib/firmDay.ts):
// the part of a template that runs from one start node, without the n8n-nodes-base nodes the in-process runner
// (test/helpers/n8nCore.ts) does not have.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IConnections, INodeParameters } from 'n8n-workflow';

import { MANUAL_TRIGGER_TYPE } from '../../test/helpers/builtinTypes';
import type { TestNode, TestWorkflow } from '../../test/helpers/n8nCore';

export const PACKAGE = 'n8n-nodes-commusoft-xero.';
const TEMPLATES = path.resolve(__dirname, '../../templates');

export interface Template {
	nodes: Array<TestNode & { parameters: INodeParameters; credentials?: unknown; id?: string }>;
	connections: IConnections;
}

export function loadTemplate(file: string): Template {
	return JSON.parse(readFileSync(path.join(TEMPLATES, file), 'utf8')) as Template;
}

/**
 * The part of a template that runs from `start`: its start node (a Schedule or Manual Trigger becomes the
 * runner's Manual Trigger) and this package's nodes, with the Organisation set. n8n-nodes-base nodes are not
 * available in-process; they sit after the Xero node (No Op, Aggregate, Set, Email, If → Commusoft link write)
 * and make no Xero call, except `passThrough` (an If whose true branch every item of the day takes).
 */
export function flowWorkflow(
	template: Template,
	start: string,
	tenantId: string,
	passThrough: string[] = [],
): TestWorkflow {
	const byName = new Map(template.nodes.map((n) => [n.name, n]));
	const kept = new Set<string>();
	const connections: IConnections = {};
	type Target = NonNullable<NonNullable<IConnections[string]['main']>[number]>[number];
	const targetsOf = (name: string, output: number): Target[] =>
		(template.connections[name]?.main?.[output] ?? []).flatMap((t): Target[] =>
			t && passThrough.includes(t.node) ? targetsOf(t.node, 0) : t ? [t] : [],
		);
	const visit = (name: string) => {
		if (kept.has(name)) return;
		kept.add(name);
		const outputs = template.connections[name]?.main ?? [];
		connections[name] = {
			main: outputs.map((_, output) =>
				targetsOf(name, output).filter((t) => byName.get(t.node)?.type.startsWith(PACKAGE)),
			),
		};
		for (const list of connections[name].main) for (const t of list ?? []) visit(t.node);
	};
	visit(start);
	const nodes: TestNode[] = [...kept].map((name) => {
		const node = structuredClone(byName.get(name)!);
		delete node.credentials; // the runner attaches the stored credentials by type
		delete node.id;
		const parameters = { ...node.parameters };
		if ('tenantId' in parameters) parameters.tenantId = tenantId;
		return node.type.startsWith(PACKAGE)
			? { ...node, parameters }
			: { name, type: MANUAL_TRIGGER_TYPE, parameters: {} };
	});
	return { nodes, connections };
}
