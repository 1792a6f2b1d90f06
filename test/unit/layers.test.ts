/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The layer rule (eslint.layers.config.mjs, `npm run lint:layers`) refuses each import that crosses a layer the
// wrong way, and lets the allowed ones through. Each probe is linted as if it were a file at `at`, importing
// a module that exists, so a probe fails only on the rule and never on resolution.
import path from 'node:path';

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const eslint = new ESLint({
	cwd: root,
	overrideConfigFile: path.join(root, 'eslint.layers.config.mjs'),
});

async function problems(at: string, specifier: string): Promise<string[]> {
	const [result] = await eslint.lintText(
		`import * as probe from '${specifier}';\nexport { probe };\n`,
		{
			filePath: path.join(root, at),
		},
	);
	return result.messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const REFUSED: Array<[string, string, RegExp]> = [
	['nodes/Xero/mapping/probe.ts', '../transport/request', /mapping\/ is pure/],
	['nodes/Xero/mapping/probe.ts', '../actions/shared', /mapping\/ is pure/],
	['nodes/Commusoft/mapping/probe.ts', '../transport/api', /mapping\/ is pure/],
	[
		'nodes/Commusoft/mapping/probe.ts',
		'../../Xero/transport/request',
		/mapping\/ is pure|never calls Xero/,
	],
	['nodes/Xero/transport/probe.ts', '../actions/shared', /transport\/ sits below/],
	['nodes/Commusoft/transport/probe.ts', '../trigger/events', /transport\/ sits below/],
	['nodes/shared/probe.ts', '../Xero/mapping/money', /serves both nodes/],
	['nodes/shared/probe.ts', '../Commusoft/records', /serves both nodes/],
	['nodes/Commusoft/actions/probe.ts', '../../Xero/transport/request', /never calls Xero/],
	['nodes/Xero/actions/probe.ts', '../../Commusoft/transport/api', /never call Commusoft/],
	['nodes/Xero/actions/probe.ts', '../../../sandbox/index', /not published/],
	['credentials/probe.ts', '../test/helpers/xeroSandbox', /not published/],
	['credentials/probe.ts', '../nodes/Xero/transport/request', /must not import node code/],
];

const ALLOWED: Array<[string, string]> = [
	['nodes/Xero/actions/probe.ts', '../transport/request'],
	['nodes/Xero/actions/probe.ts', '../mapping/money'],
	['nodes/Xero/mapping/probe.ts', '../../shared/parse'],
	['nodes/Commusoft/mapping/probe.ts', '../../Xero/mapping/money'],
	['nodes/Xero/webhook/probe.ts', '../transport/request'],
	['nodes/Commusoft/actions/probe.ts', '../transport/api'],
];

describe('layer rule (eslint.layers.config.mjs)', () => {
	it.each(REFUSED)('%s importing %s is refused', async (at, specifier, reason) => {
		const found = await problems(at, specifier);
		expect(found.length).toBeGreaterThan(0);
		for (const problem of found) expect(problem).toMatch(/^import-x\/no-restricted-paths: /);
		expect(found.join('\n')).toMatch(reason);
	});

	it.each(ALLOWED)('%s importing %s is allowed', async (at, specifier) => {
		expect(await problems(at, specifier)).toEqual([]);
	});

	it('the shipped code passes it today', async () => {
		const results = await eslint.lintFiles(['nodes', 'credentials']);
		const found = results.flatMap((r) =>
			r.messages.map((m) => `${path.relative(root, r.filePath)}: ${m.message}`),
		);
		expect(found).toEqual([]);
		expect(results.length).toBeGreaterThan(50);
	});
});
