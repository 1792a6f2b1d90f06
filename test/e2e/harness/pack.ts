/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Builds and packs the package the way it is published, in a staging folder under os.tmpdir(), so the repo's
// dist/ (which others use while they work) is never touched. The tarball is cached by a hash of its inputs:
// several e2e files, the demo and the editor checks share one build.
import { createHash } from 'node:crypto';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runCommand } from './processes';
import { REPO_ROOT } from './runtime';

/** What `npm pack` needs: sources, build config and the files npm always ships. */
const PACK_INPUTS = [
	'package.json',
	'tsconfig.json',
	'gulpfile.js',
	'nodes',
	'credentials',
	'README.md',
	'LICENSE',
	'CHANGELOG.md',
];

export interface PackedPackage {
	tarball: string;
	name: string;
	version: string;
	/** Node types as n8n names them once the package is installed: `<package>.<node name>`. */
	stagingDir: string;
}

function listFiles(dir: string): string[] {
	const out: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...listFiles(full));
		else if (entry.isFile()) out.push(full);
	}
	return out;
}

function inputsHash(): string {
	const hash = createHash('sha256');
	for (const input of PACK_INPUTS) {
		const full = path.join(REPO_ROOT, input);
		if (!existsSync(full)) continue;
		const files = statSync(full).isDirectory() ? listFiles(full).sort() : [full];
		for (const file of files) {
			hash.update(path.relative(REPO_ROOT, file));
			hash.update(readFileSync(file));
		}
	}
	return hash.digest('hex').slice(0, 16);
}

async function run(cmd: string, args: string[], cwd: string, what: string): Promise<string> {
	const result = await runCommand(cmd, args, { cwd });
	if (result.code !== 0)
		throw new Error(
			`${what} failed in ${cwd} (${result.signal ?? `exit ${result.code}`}):\n${result.stdout}${result.stderr}`.trim(),
		);
	return result.stdout;
}

/**
 * While features land one by one, package.json may list a node whose source does not exist yet; n8n refuses
 * to load a package with a missing entry, which would hide every node that does exist. The staged copy
 * lists only built entries and says loudly which ones it dropped. With every file present this is a no-op.
 */
function dropUnbuiltEntries(stagingDir: string, log: (line: string) => void): void {
	const file = path.join(stagingDir, 'package.json');
	const pkg = JSON.parse(readFileSync(file, 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const dropped: string[] = [];
	for (const key of ['nodes', 'credentials'] as const) {
		pkg.n8n[key] = pkg.n8n[key].filter((entry) => {
			const ok = existsSync(path.join(stagingDir, entry));
			if (!ok) dropped.push(entry);
			return ok;
		});
	}
	if (dropped.length === 0) return;
	log(`WARNING: not built yet, left out of the staged package.json: ${dropped.join(', ')}`);
	writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
}

/**
 * Compiles nodes/ and credentials/ with the repo's TypeScript, copies icons and codex files with the repo's
 * gulp task, and runs `npm pack`. Returns the tarball path (cached while the inputs are unchanged).
 */
export async function packPackage(
	options: { log?: (line: string) => void } = {},
): Promise<PackedPackage> {
	const log = options.log ?? ((line: string) => console.error(`[pack] ${line}`));
	const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
		name: string;
		version: string;
	};
	const root = path.join(os.tmpdir(), 'n8n-nodes-commusoft-xero-pack');
	const stagingDir = path.join(root, inputsHash());
	const tarball = path.join(stagingDir, `${pkg.name}-${pkg.version}.tgz`);
	if (existsSync(tarball)) return { tarball, name: pkg.name, version: pkg.version, stagingDir };

	// Built in a private folder and renamed into place when complete: other test processes (and the demo)
	// may pack at the same moment and must never see, or delete, a half-built staging folder.
	const started = Date.now();
	mkdirSync(root, { recursive: true });
	const work = mkdtempSync(path.join(root, 'building-'));
	try {
		await build(work, log);
		if (existsSync(tarball)) {
			rmSync(work, { recursive: true, force: true }); // finished by another process meanwhile
		} else {
			rmSync(stagingDir, { recursive: true, force: true }); // leftovers of an interrupted build
			renameSync(work, stagingDir);
		}
	} catch (error) {
		rmSync(work, { recursive: true, force: true });
		if (!existsSync(tarball)) throw error; // a concurrent build won the race: use theirs
	}
	log(`packed ${path.basename(tarball)} in ${Date.now() - started} ms (${stagingDir})`);
	return { tarball, name: pkg.name, version: pkg.version, stagingDir };
}

async function build(stagingDir: string, log: (line: string) => void): Promise<void> {
	const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
		name: string;
		version: string;
	};
	for (const input of PACK_INPUTS) {
		const from = path.join(REPO_ROOT, input);
		if (existsSync(from)) cpSync(from, path.join(stagingDir, input), { recursive: true });
	}
	// tsc and gulp resolve types and plugins from node_modules; the repo's own, linked (npm pack skips it).
	symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(stagingDir, 'node_modules'), 'dir');

	const bin = (p: string) => path.join(REPO_ROOT, 'node_modules', p);
	try {
		await run(
			process.execPath,
			[bin('typescript/bin/tsc'), '-p', 'tsconfig.json'],
			stagingDir,
			'tsc',
		);
	} catch (error) {
		// tsc still emits JavaScript on type errors. PACK_ALLOW_TSC_ERRORS=1 lets a local run go on while a
		// colleague's file is mid-edit; CI never sets it, so a type error fails the e2e suite there.
		if (process.env.PACK_ALLOW_TSC_ERRORS !== '1') throw error;
		log(
			`WARNING: continuing despite type errors (PACK_ALLOW_TSC_ERRORS=1):\n${(error as Error).message}`,
		);
	}
	await run(
		process.execPath,
		[bin('gulp/bin/gulp.js'), 'build:assets'],
		stagingDir,
		'gulp build:assets',
	);
	dropUnbuiltEntries(stagingDir, log);

	const packed = await run('npm', ['pack', '--json', '--ignore-scripts'], stagingDir, 'npm pack');
	const [info] = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>;
	const expected = `${pkg.name}-${pkg.version}.tgz`;
	if (info.filename !== expected)
		cpSync(path.join(stagingDir, info.filename), path.join(stagingDir, expected));
	writeFileSync(path.join(stagingDir, 'files.txt'), info.files.map((f) => f.path).join('\n'));
}
