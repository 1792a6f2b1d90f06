/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Builds the package into a scratch folder exactly as `npm run build` does (tsc + gulp assets) and checks
// what n8n's loader will check: every file in package.json's `n8n` section exists, exports a class named
// after the file, and its description points at icons/codex/credentials that exist in the build.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let outDir = '';
// Loads the compiled CommonJS files the way n8n's loader does.
const loadBuilt = createRequire(__filename);

type Described = {
	description: {
		name: string;
		displayName: string;
		icon?: string | { light: string; dark: string };
		credentials?: Array<{ name: string }>;
		defaultVersion?: number;
	};
	nodeVersions?: Record<string, { description: Described['description'] }>;
};

function builtPath(listed: string) {
	return join(outDir, listed.replace(/^dist\//, ''));
}

function iconFiles(icon: Described['description']['icon']): string[] {
	if (!icon) return [];
	const all = typeof icon === 'string' ? [icon] : [icon.light, icon.dark];
	return all.filter((i) => i.startsWith('file:')).map((i) => i.slice('file:'.length));
}

/** Names of the credential types the package lists, read from the build. */
function listedCredentialNames(): string[] {
	return (pkg.n8n.credentials as string[])
		.filter((listed) => existsSync(builtPath(listed)))
		.map((listed) => {
			const file = builtPath(listed);
			const className = basename(file).replace(/\.credentials\.js$/, '');
			return new (loadBuilt(file)[className])().name as string;
		});
}

beforeAll(() => {
	// In the OS temp folder, not the repo (n8n-node lint would lint a build left there), with the repo's
	// node_modules linked beside it so the build resolves n8n-workflow and friends as an installed package
	// resolves them from n8n's nodes folder.
	const scratch = mkdtempSync(join(tmpdir(), 'n8n-nodes-commusoft-xero-build-'));
	symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
	outDir = join(scratch, 'dist');
	const bin = (name: string) => join(root, 'node_modules', '.bin', name);
	execFileSync(bin('tsc'), ['-p', 'tsconfig.json', '--outDir', outDir], {
		cwd: root,
		stdio: 'pipe',
	});
	execFileSync(bin('gulp'), ['build:assets'], {
		cwd: root,
		stdio: 'pipe',
		env: { ...process.env, BUILD_OUT_DIR: outDir },
	});
}, 180_000);

afterAll(() => {
	if (outDir) rmSync(dirname(outDir), { recursive: true, force: true });
});

describe('the build', () => {
	it('emits no source maps (the tarball ships dist/ and no .ts files for them to point at)', () => {
		const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' });
		expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(0);
		expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
	});
});

describe('package.json n8n section', () => {
	it('is a strict community package with a peer dependency on n8n-workflow', () => {
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.files).toEqual(['dist']);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.peerDependencies['n8n-workflow']).toBeDefined();
	});

	it.each(pkg.n8n.credentials as string[])('credential %s is built and loadable', (listed) => {
		const file = builtPath(listed);
		expect(existsSync(file), `${listed} missing from the build`).toBe(true);
		const className = basename(file).replace(/\.credentials\.js$/, '');
		const mod = loadBuilt(file);
		expect(typeof mod[className], `${listed} must export class ${className}`).toBe('function');
		const cred = new mod[className]();
		expect(cred.name).toMatch(/^[a-z][A-Za-z0-9]+$/);
		expect(cred.displayName).toBeTruthy();
		expect(cred.name).not.toBe('xeroOAuth2Api'); // n8n's built-in Xero credential
		for (const icon of iconFiles(cred.icon)) {
			expect(existsSync(resolve(dirname(file), icon)), `icon ${icon} of ${listed}`).toBe(true);
		}
	});

	it.each(pkg.n8n.nodes as string[])('node %s is built, loadable and complete', (listed) => {
		const file = builtPath(listed);
		expect(existsSync(file), `${listed} missing from the build`).toBe(true);
		const className = basename(file).replace(/\.node\.js$/, '');
		const mod = loadBuilt(file);
		expect(typeof mod[className], `${listed} must export class ${className}`).toBe('function');
		const node: Described = new mod[className]();
		const descriptions = node.nodeVersions
			? Object.values(node.nodeVersions).map((v) => v.description)
			: [node.description];
		for (const d of descriptions) {
			expect(d.name).toBe(className.charAt(0).toLowerCase() + className.slice(1));
			const icons = iconFiles(d.icon);
			expect(icons.length, `${listed} needs light and dark icons`).toBe(2);
			expect(new Set(icons).size).toBe(2);
			for (const icon of icons) {
				expect(existsSync(resolve(dirname(file), icon)), `icon ${icon} of ${listed}`).toBe(true);
			}
			for (const c of d.credentials ?? []) {
				expect(listedCredentialNames(), `${listed} uses credential ${c.name}`).toContain(c.name);
			}
		}
		const codex = file.replace(/\.js$/, '.json');
		expect(existsSync(codex), `codex file ${basename(codex)}`).toBe(true);
		const codexJson = JSON.parse(readFileSync(codex, 'utf8'));
		expect(codexJson.categories).toContain('Finance & Accounting');
	});
});
