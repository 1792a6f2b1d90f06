/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Where a benchmark writes its report. By default under test-results/bench/ (ignored by git), so running the
// bench leaves the working tree clean; `--publish` writes to bench/results/, the committed copies the README and
// bench/README.md quote (regenerate them on purpose, then commit).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');

export const PUBLISH = process.argv.includes('--publish');

export function resultsDir(): string {
	return PUBLISH
		? path.join(REPO_ROOT, 'bench', 'results')
		: path.join(REPO_ROOT, 'test-results', 'bench');
}

/** Writes one report file and says where, so a reader of the console finds it. */
export function writeResult(file: string, text: string): string {
	const dir = resultsDir();
	mkdirSync(dir, { recursive: true });
	const target = path.join(dir, file);
	writeFileSync(target, text);
	console.log(`report written to ${path.relative(REPO_ROOT, target)}`);
	return target;
}
