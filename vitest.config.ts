/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
import { createRequire } from 'node:module';

import { defineConfig } from 'vitest/config';

// n8n-core is CommonJS and requires n8n-workflow's CJS build; test code would otherwise import its ESM build,
// giving two copies whose classes fail `instanceof` across the line (NodeApiError re-wrapping, error checks in
// nodes). n8n itself loads one copy, so the unit and sandbox suites are pinned to the CJS build.
const n8nWorkflowCjs = createRequire(__filename).resolve('n8n-workflow');

// Four suites: unit (pure functions, milliseconds), ops (one operation, HTTP stubbed, seconds), sandbox (nodes and clients against the local Xero and
// Commusoft servers, in-process), e2e (the packed package inside a real n8n 2.40.5 on Node 24; minutes).
export default defineConfig({
	test: {
		projects: [
			{
				// The same single CJS copy for unit tests: vite would otherwise transform n8n-workflow's ESM build and
				// print a warning per file whose source map names sources the npm package does not ship.
				resolve: { alias: [{ find: /^n8n-workflow$/, replacement: n8nWorkflowCjs }] },
				test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 },
			},
			{
				// Fast per-operation tier: one operation in n8n-core's real context, HTTP answered by the test
				// (test/helpers/stubbedHttp.ts). Same single CJS copy of n8n-workflow as the runner needs.
				resolve: { alias: [{ find: /^n8n-workflow$/, replacement: n8nWorkflowCjs }] },
				test: { name: 'ops', include: ['test/nodes/**/*.test.ts'], testTimeout: 20_000 },
			},
			{
				resolve: { alias: [{ find: /^n8n-workflow$/, replacement: n8nWorkflowCjs }] },
				test: {
					name: 'sandbox',
					include: ['test/sandbox/**/*.test.ts'],
					testTimeout: 60_000,
					hookTimeout: 60_000,
				},
			},
			{
				// The editor check reads the node descriptions (test/helpers/nodeDropdowns.ts): the same single CJS copy.
				resolve: { alias: [{ find: /^n8n-workflow$/, replacement: n8nWorkflowCjs }] },
				test: {
					name: 'e2e',
					include: ['test/e2e/**/*.test.ts'],
					testTimeout: 900_000,
					hookTimeout: 900_000,
					// One real n8n at a time: each file starts its own instance on this 2-core machine.
					poolOptions: { forks: { singleFork: true } },
				},
			},
		],
	},
});
