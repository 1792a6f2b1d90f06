/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The bundled templates (templates/*.json) as the demo and the editor checks import them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { COMMUSOFT_CREDENTIAL, XERO_CREDENTIAL, XERO_WEBHOOK_KEY_CREDENTIAL } from './fixtures';
import type { WorkflowJson } from './n8n';
import { REPO_ROOT } from './runtime';

/**
 * Bundled templates as a user sets them up: credential references pointed at the demo's sandbox credentials and,
 * given `tenantId`, every node's Organisation parameter set to that Xero organisation (what each template's
 * setup note asks for). Without it the Organisation stays empty, as shipped.
 */
export function loadTemplates(
	options: { tenantId?: string; dir?: string } = {},
): Array<{ file: string; workflow: WorkflowJson }> {
	const dir = options.dir ?? path.join(REPO_ROOT, 'templates');
	let files: string[] = [];
	try {
		files = readdirSync(dir)
			.filter((f) => f.endsWith('.json'))
			.sort();
	} catch {
		return [];
	}
	const byType: Record<string, { id: string; name: string }> = {
		[XERO_CREDENTIAL.type]: { id: XERO_CREDENTIAL.id, name: XERO_CREDENTIAL.name },
		[COMMUSOFT_CREDENTIAL.type]: { id: COMMUSOFT_CREDENTIAL.id, name: COMMUSOFT_CREDENTIAL.name },
		[XERO_WEBHOOK_KEY_CREDENTIAL.type]: {
			id: XERO_WEBHOOK_KEY_CREDENTIAL.id,
			name: XERO_WEBHOOK_KEY_CREDENTIAL.name,
		},
	};
	return files.map((file) => {
		const workflow = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as WorkflowJson;
		for (const node of workflow.nodes) {
			const credentials = node.credentials as Record<string, unknown> | undefined;
			if (!credentials) continue;
			for (const type of Object.keys(credentials))
				if (byType[type]) credentials[type] = byType[type];
		}
		if (options.tenantId !== undefined) {
			for (const node of workflow.nodes) {
				const parameters = node.parameters as Record<string, unknown> | undefined;
				if (parameters && 'tenantId' in parameters) parameters.tenantId = options.tenantId;
			}
		}
		// Templates ship without ids and inactive; the demo gives each a stable id derived from its file name.
		const id = `tpl${file.replace(/\.json$/, '').replace(/[^a-zA-Z0-9]/g, '')}`
			.padEnd(16, '0')
			.slice(0, 16);
		return { file, workflow: { ...workflow, id, active: false } };
	});
}
