/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The e2e side of the sandbox contract (docs/ARCHITECTURE.md § Sandbox): `startSandbox()` from sandbox/index.ts
// returns `{ xeroUrl, commusoftUrl, xero, commusoft, close() }`. The demo credentials below are fixed there.
import path from 'node:path';

import { REPO_ROOT } from './runtime';

export interface RunningSandbox {
	xeroUrl: string;
	commusoftUrl: string;
	xero: unknown;
	commusoft: unknown;
	close(): Promise<void>;
}

export const XERO_SANDBOX_CLIENT = {
	clientId: 'sandbox-client-id',
	clientSecret: 'sandbox-client-secret',
};
/** The webhook key of the sandbox's Xero app (fixed, like its client secret: it guards nothing real). */
export const XERO_SANDBOX_WEBHOOK_KEY = Buffer.from(
	"the sandbox Xero app's webhook key, for the demo and tests only",
).toString('base64');
export const COMMUSOFT_SANDBOX_LOGIN = {
	clientId: 'demo-client',
	applicationId: 'demo-app',
	username: 'office@demo-plumbing.test',
	password: 'demo-password',
};

/** Starts both sandbox servers in this process (options go to sandbox/index.ts unchanged). */
export async function startSandbox(options?: Record<string, unknown>): Promise<RunningSandbox> {
	// Loaded by path at run time: the e2e harness depends on the sandbox's contract, not on its build order.
	const modulePath = path.join(REPO_ROOT, 'sandbox', 'index.ts');
	const sandbox = (await import(modulePath)) as {
		startSandbox(options?: Record<string, unknown>): Promise<RunningSandbox>;
	};
	return sandbox.startSandbox(options);
}

/** GET/POST on a sandbox inspection endpoint (`/__sandbox/...`); tests and the demo only, never nodes. */
export async function inspect<T = unknown>(
	baseUrl: string,
	pathname: string,
	body?: unknown,
): Promise<T> {
	const response = await fetch(new URL(`/__sandbox/${pathname.replace(/^\//, '')}`, baseUrl), {
		method: body === undefined ? 'GET' : 'POST',
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`sandbox /__sandbox/${pathname} → ${response.status}: ${text.slice(0, 500)}`);
	return (text ? JSON.parse(text) : undefined) as T;
}
