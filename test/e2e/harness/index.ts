/**
 * End-to-end harness: our packed package inside a real n8n 2.40.5, against the sandbox.
 *
 * Adding a case (one n8n and one sandbox per test file, shared by its cases):
 *
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { chainWorkflow, nodeOutput, setupE2e, useXero } from './harness';
 *
 * describe('my feature in real n8n', () => {
 *   const e2e = setupE2e(); // or setupE2e({ mode: 'queue' }), setupE2e({ sandbox: { ...options } })
 *
 *   it('does the thing', () =>
 *     e2e.withN8n(async (n8n, sandbox) => {
 *       const id = await n8n.importWorkflow(
 *         chainWorkflow('my case', 'manual', [
 *           { name: 'Xero', type: 'xeroAccounting', parameters: { ... }, credentials: useXero },
 *         ]),
 *       );
 *       const run = await n8n.executeWorkflow(id); // throws a readable report unless it succeeded
 *       expect(nodeOutput(run, 'Xero')).toHaveLength(3);
 *       // ...and assert on the sandbox's state through its /__sandbox/ surface (harness `inspect`)
 *     }));
 * });
 * ```
 *
 * `withN8n` prints the failure report (latest failed execution, n8n log tails) when the case throws. Both
 * sandbox credentials are imported before the first case (`useXero`, `useCommusoft` reference them).
 */
import { afterAll, beforeAll } from 'vitest';

import { importSandboxCredentials, withReport, type E2eContext, type E2eOptions } from './core';
import { startN8n, type N8nInstance } from './n8n';
import type { OAuthTokens } from './oauth';
import { packPackage, type PackedPackage } from './pack';
import { startSandbox, type RunningSandbox } from './sandbox';

export * from './core';

/** Registers beforeAll/afterAll that start (and always stop) one sandbox and one n8n for this test file. */
export function setupE2e(options: E2eOptions = {}): E2eContext {
	let n8n: N8nInstance | undefined;
	let sandbox: RunningSandbox | undefined;
	let xeroTokens: OAuthTokens | undefined;
	let packed: PackedPackage | undefined;

	beforeAll(async () => {
		packed = await packPackage();
		const { tarball } = packed;
		sandbox = await startSandbox(options.sandbox);
		n8n = await startN8n({ ...options, tarball });
		if (options.credentials !== false) {
			const instance = n8n;
			xeroTokens = await withReport(instance, () => importSandboxCredentials(instance, sandbox!));
		}
	});

	afterAll(async () => {
		await n8n?.stop();
		await sandbox?.close();
	});

	const context: E2eContext = {
		get packed() {
			if (!packed) throw new Error('package not packed (did beforeAll fail?)');
			return packed;
		},
		get n8n() {
			if (!n8n) throw new Error('n8n is not running (did beforeAll fail?)');
			return n8n;
		},
		get sandbox() {
			if (!sandbox) throw new Error('sandbox is not running (did beforeAll fail?)');
			return sandbox;
		},
		get xeroTokens() {
			return xeroTokens;
		},
		withN8n: (fn) => withReport(context.n8n, () => fn(context.n8n, context.sandbox)),
	};
	return context;
}
