// n8n's community-node lint rules (via @n8n/node-cli) for the package itself. We target self-hosted n8n and
// ship runtime dependencies (xero-node, lodash, luxon), so the preset without n8n Cloud support is used.
// Sandbox, tests, scripts and benchmarks are Node programs, not n8n nodes: the node-only rules are off there.
import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	...configWithoutCloudSupport,
	{ ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	{
		// Self-hosted target: n8n installs a community package's dependencies with it (Settings → Community
		// nodes, or npm in ~/.n8n/nodes). The design card asks for xero-node, lodash and luxon at runtime.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		files: ['sandbox/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'vitest.config.ts'],
		rules: {
			'no-console': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
		},
	},
];
