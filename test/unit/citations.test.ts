/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// What the code cites must be there for whoever clones the repository: rules cited as `docs/xero-rules.md §N` name
// a section that exists, and nothing cites notes that live outside the repository (the project's private reference
// folder) or an issue tracker's numbers, which mean nothing to a reader of the published package.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const SCANNED = ['nodes', 'credentials', 'sandbox', 'test', 'bench', 'scripts', 'docs'];
const SKIP_DIRS = new Set(['node_modules', 'spec', 'screenshots', 'results']);
const EXTENSIONS = /\.(ts|md|json|mjs|js|sh)$/;

function files(dir: string): string[] {
	const out: string[] = [];
	for (const name of readdirSync(dir)) {
		const full = path.join(dir, name);
		if (statSync(full).isDirectory()) {
			if (!SKIP_DIRS.has(name)) out.push(...files(full));
		} else if (EXTENSIONS.test(name)) out.push(full);
	}
	return out;
}

const sources = SCANNED.flatMap((dir) => files(path.join(root, dir))).map((file) => ({
	file: path.relative(root, file),
	text: readFileSync(file, 'utf8'),
}));

function hits(pattern: RegExp): string[] {
	const found: string[] = [];
	for (const { file, text } of sources) {
		if (file === path.relative(root, __filename)) continue;
		text.split('\n').forEach((line, i) => {
			if (pattern.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
		});
	}
	return found;
}

describe('citations a clone can follow', () => {
	it('cites no file from outside the repository', () => {
		// Split so this file does not match itself.
		const outside = [
			'xero' + '-api',
			'n8n' + '-nodes',
			'anch' + 'ors',
			'commusoft' + '-api',
			'DES' + 'IGN',
		];
		const pattern = new RegExp(`(?<![\\w-])(${outside.join('|')})\\.md\\b|shared/${'refer'}ence`);
		expect(hits(pattern)).toEqual([]);
	});

	it('cites no issue numbers', () => {
		expect(hits(new RegExp(`\\b${'iss'}ues? ?#?\\d+\\b`, 'i'))).toEqual([]);
	});

	it('every docs/xero-rules.md section cited exists', () => {
		const rules = readFileSync(path.join(root, 'docs/xero-rules.md'), 'utf8');
		const sections = new Set([...rules.matchAll(/^#{2,3} (\d+(?:\.\d+)?)\.? /gm)].map((m) => m[1]));
		expect(sections.size).toBeGreaterThan(10);
		const missing: string[] = [];
		for (const { file, text } of sources) {
			// A citation names the file, then one or more sections: "docs/xero-rules.md §3.4, §4".
			for (const m of text.matchAll(/xero-rules\.md((?:[ ,;]*(?:and )?§\d+(?:\.\d+)?)+)/g)) {
				for (const s of m[1].matchAll(/§(\d+(?:\.\d+)?)/g)) {
					if (!sections.has(s[1])) missing.push(`${file}: §${s[1]}`);
				}
			}
		}
		expect(missing).toEqual([]);
	});
});
