// The package's layers, enforced (docs/ARCHITECTURE.md "Layers"): `npm run lint:layers`, part of `npm run lint`.
// Kept out of eslint.config.mjs on purpose: n8n's `n8n-node lint` runs in strict mode only on its own default
// config, so this is a second, import-only pass over the shipped code with the same parser and resolver n8n uses.
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Code the package ships; nothing it imports may come from the tooling around it. */
const TOOLING = ['./sandbox', './test', './scripts', './bench'];

const zones = [
	// Shipped code never reaches into the test and demo tooling (it is not in the tarball).
	...['./nodes', './credentials'].map((target) => ({
		target,
		from: TOOLING,
		message:
			'shipped code must not import the sandbox, tests, scripts or benchmarks (they are not published).',
	})),
	// Shared helpers serve both vendors and know neither.
	{
		target: './nodes/shared',
		from: ['./nodes/Xero', './nodes/Commusoft'],
		message: 'nodes/shared serves both nodes: move the vendor-specific part next to its vendor.',
	},
	// Mapping is pure: no HTTP, no n8n execution context, no operations.
	...['Xero', 'Commusoft'].map((vendor) => ({
		target: `./nodes/${vendor}/mapping`,
		from: [
			...['transport', 'actions', 'trigger', 'paymentTrigger', 'webhook'].map(
				(layer) => `./nodes/${vendor}/${layer}`,
			),
			vendor === 'Xero' ? './nodes/Commusoft/transport' : './nodes/Xero/transport',
		],
		message:
			'mapping/ is pure (no HTTP, no n8n context): take the data as an argument and let the operation fetch it.',
	})),
	// A transport knows HTTP, not the operations or triggers built on it.
	...['Xero', 'Commusoft'].map((vendor) => ({
		target: `./nodes/${vendor}/transport`,
		from: [
			`./nodes/${vendor}/actions`,
			`./nodes/${vendor}/trigger`,
			`./nodes/${vendor}/paymentTrigger`,
			`./nodes/${vendor}/webhook`,
		],
		message:
			'transport/ sits below the operations: pass what it needs as arguments instead of importing upwards.',
	})),
	// Each vendor talks to its own API only; the other vendor's records and pure mapping may be shared.
	{
		target: './nodes/Commusoft',
		from: [
			'./nodes/Xero/transport',
			'./nodes/Xero/actions',
			'./nodes/Xero/paymentTrigger',
			'./nodes/Xero/webhook',
		],
		message: 'the Commusoft node never calls Xero: connect the two nodes in the workflow instead.',
	},
	{
		target: './nodes/Xero',
		from: ['./nodes/Commusoft/transport', './nodes/Commusoft/actions', './nodes/Commusoft/trigger'],
		message: 'the Xero nodes never call Commusoft: connect the two nodes in the workflow instead.',
	},
	// Credentials stand alone (n8n loads them before any node).
	{
		target: './credentials',
		from: [
			'./nodes/Xero/transport',
			'./nodes/Xero/actions',
			'./nodes/Commusoft/transport',
			'./nodes/Commusoft/actions',
		],
		message: 'a credential must not import node code.',
	},
];

export default tseslint.config(
	{ ignores: ['dist/**', 'node_modules/**'] },
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: { parser: tseslint.parser },
		plugins: { 'import-x': importX },
		settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
		linterOptions: { reportUnusedDisableDirectives: 'off' },
		rules: { 'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones }] },
	},
);
