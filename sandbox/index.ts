/* eslint-disable @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Starts both sandboxes (ARCHITECTURE.md "Sandbox"): the local Xero and the local Commusoft, on free ports by
// default. Tests, benchmarks and the demo use this; nodes never import it.
import {
	startCommusoftSandbox,
	type CommusoftSandboxOptions,
	type RunningCommusoftSandbox,
} from './commusoft/server';
import { startXeroSandbox, type XeroSandbox, type XeroSandboxOptions } from './xero/server';

export type { XeroSandbox, XeroSandboxOptions } from './xero/server';

export interface SandboxOptions {
	xero?: XeroSandboxOptions;
	commusoft?: CommusoftSandboxOptions;
	host?: string;
}

export interface RunningSandbox {
	/** Origin of the Xero sandbox: authorize, token, connections and `/api.xro/2.0` all live under it. */
	xeroUrl: string;
	/** Origin of the Commusoft sandbox; its API base URL is `${commusoftUrl}/api/v1`. */
	commusoftUrl: string;
	xero: XeroSandbox;
	commusoft: RunningCommusoftSandbox;
	close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
	const xero = await startXeroSandbox({ host: opts.host, ...opts.xero });
	let commusoft: RunningCommusoftSandbox;
	try {
		commusoft = await startCommusoftSandbox({ host: opts.host, seed: true, ...opts.commusoft });
	} catch (error) {
		await xero.close();
		throw error;
	}
	return {
		xeroUrl: xero.url,
		commusoftUrl: commusoft.url,
		xero,
		commusoft,
		close: async () => {
			await Promise.all([xero.close(), commusoft.close()]);
		},
	};
}
