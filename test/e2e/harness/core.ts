/* eslint-disable no-console, @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The harness without vitest: for scripts (demo, screenshots) and for the test suite's setupE2e (index.ts).
import type { N8nInstance, StartN8nOptions } from './n8n';
import type { OAuthTokens } from './oauth';
import type { PackedPackage } from './pack';
import type { RunningSandbox } from './sandbox';

export * from './fixtures';
export * from './n8n';
export * from './oauth';
export * from './pack';
export * from './payments';
export * from './processes';
export * from './runtime';
export * from './sandbox';
export * from './templates';

export interface E2eOptions extends Omit<StartN8nOptions, 'tarball'> {
	/** Options handed to the sandbox's startSandbox(). */
	sandbox?: Record<string, unknown>;
	/** Import the Xero and Commusoft sandbox credentials (default true). */
	credentials?: boolean;
}

export interface E2eContext {
	/** The tarball installed into this file's n8n (and its staging folder with the staged package.json). */
	readonly packed: PackedPackage;
	readonly n8n: N8nInstance;
	readonly sandbox: RunningSandbox;
	/** Xero tokens handed to n8n in the imported credential. */
	readonly xeroTokens: OAuthTokens | undefined;
	withN8n<T>(fn: (n8n: N8nInstance, sandbox: RunningSandbox) => Promise<T>): Promise<T>;
}

/** Runs `fn`; when it throws, prints n8n's failure report before rethrowing. */
export async function withReport<T>(n8n: N8nInstance, fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (error) {
		console.error(
			`\n===== e2e failure report =====\n${await n8n.report()}\n==============================\n`,
		);
		throw error;
	}
}
