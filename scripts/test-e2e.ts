/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// `npm run test:e2e`: the e2e suite (vitest's e2e project) on the pinned n8n, or on another n8n version:
//
//   npm run test:e2e                                   every e2e file on the pinned n8n (2.40.5)
//   npm run test:e2e -- --n8n 1.123.81                 every e2e file on n8n 1.123.81 (installed first if missing)
//   npm run test:e2e -- --n8n=2.41.1 test/e2e/templates.test.ts   one file on 2.41.1
//   npm run test:e2e -- --n8n 1.123.81 --smoke         the version smoke .ci/run uses (minutes, not the hour
//                                                      of the full suite): the package loads, every node and
//                                                      credential is there, and one template per direction
//                                                      runs green (1 · Commusoft → Xero, 2 · Xero → Commusoft)
//
// vitest rejects flags it does not know, so --n8n is taken out here and handed to the harness as N8N_VERSION
// (test/e2e/harness/runtime.ts); everything else goes to vitest unchanged. SIGINT/SIGTERM are passed on to
// vitest, and its exit code is this program's.
import { spawn } from 'node:child_process';
import path from 'node:path';

/** --smoke: the test files and names (vitest -t matches "<file> <describe> <test>") of the version smoke. */
const SMOKE = [
	'test/e2e/package-loads.test.ts',
	'test/e2e/templates.test.ts',
	'-t',
	'package in real n8n|bundled templates in real n8n [12] · ',
];

const args = process.argv.slice(2);
const rest: string[] = [];
let version: string | undefined;
for (let i = 0; i < args.length; i++) {
	const arg = args[i];
	if (arg === '--n8n') {
		version = args[++i];
		if (version === undefined) fail('--n8n needs a version, e.g. --n8n 1.123.81');
	} else if (arg === '--smoke') {
		rest.push(...SMOKE);
	} else if (arg.startsWith('--n8n=')) {
		version = arg.slice('--n8n='.length);
	} else {
		rest.push(arg);
	}
}
if (version !== undefined && !/^\d+\.\d+\.\d+$/.test(version))
	fail(`--n8n ${version}: give an exact n8n version from the npm registry, e.g. --n8n 1.123.81`);

function fail(message: string): never {
	process.stderr.write(`test:e2e: ${message}\n`);
	process.exit(2);
}

const env = { ...process.env };
if (version) env.N8N_VERSION = version;
process.stderr.write(`test:e2e: n8n ${env.N8N_VERSION || '2.40.5 (pinned)'}\n`);

const vitest = path.resolve(__dirname, '../node_modules/vitest/vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', '--project', 'e2e', ...rest], {
	stdio: 'inherit',
	env,
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
	process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
	if (signal) {
		process.removeAllListeners(signal);
		process.kill(process.pid, signal);
	} else process.exit(code ?? 1);
});
