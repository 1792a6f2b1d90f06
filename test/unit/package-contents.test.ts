/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// What `npm publish` would put in the tarball, without compiling anything: TypeScript's own
// getOutputFileNames says which files `tsc -p tsconfig.json` emits for each source (.js, .d.ts and, when the
// config asks for them, .map files), those files are laid out empty in a scratch folder with package.json, and
// `npm pack --dry-run --json` lists what npm would pack from it. The tarball must carry no source maps (they
// point at .ts files the package does not ship), and every file package.json names (main, n8n nodes and
// credentials) must be in it: n8n loads the listed files and refuses a package whose entry is missing.
import { execFileSync } from 'node:child_process';
import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	main?: string;
	files: string[];
	n8n: { nodes: string[]; credentials: string[] };
};
let staging = '';
let packed: string[] = [];

/** Files tsc emits for tsconfig.json, relative to the repo root (e.g. dist/nodes/Xero/XeroAccounting.node.js). */
function emittedFiles(): string[] {
	const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), undefined, {
		...ts.sys,
		onUnRecoverableConfigFileDiagnostic: (d) => {
			throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
		},
	});
	if (!parsed) throw new Error('tsconfig.json could not be read');
	expect(parsed.errors).toEqual([]);
	expect(parsed.fileNames.length).toBeGreaterThan(0);
	return parsed.fileNames.flatMap((source) =>
		ts
			.getOutputFileNames(parsed, source, !ts.sys.useCaseSensitiveFileNames)
			.map((out) => path.relative(root, out).split(path.sep).join('/')),
	);
}

beforeAll(() => {
	staging = mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-commusoft-xero-packlist-'));
	for (const file of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
		if (existsSync(path.join(root, file)))
			copyFileSync(path.join(root, file), path.join(staging, file));
	}
	for (const file of emittedFiles()) {
		mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
		writeFileSync(path.join(staging, file), '');
	}
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: staging,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const [info] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
	packed = info.files.map((f) => f.path);
}, 60_000);

afterAll(() => {
	if (staging) rmSync(staging, { recursive: true, force: true });
});

describe('the published tarball', () => {
	it('ships the compiled nodes and no source maps', () => {
		expect(packed.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0);
		expect(packed.filter((f) => f.endsWith('.map'))).toEqual([]);
	});

	it('ships only dist/ besides the files npm always includes', () => {
		const always = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']);
		expect(packed.filter((f) => !f.startsWith('dist/') && !always.has(f))).toEqual([]);
	});

	it('contains package.json main, when set', () => {
		if (pkg.main !== undefined) expect(packed).toContain(path.posix.normalize(pkg.main));
	});

	it.each([...pkg.n8n.nodes, ...pkg.n8n.credentials])('contains %s', (listed) => {
		expect(packed).toContain(path.posix.normalize(listed));
	});
});
