// A minimal HTTP client for the Xero sandbox (tests, benchmarks and the demo use it to drive the sandbox as a
// client would; nodes use their own transport). Plain fetch, no retries: callers see exactly what Xero sent.
import type { XeroSandbox } from './server';

export interface XeroResponse {
	status: number;
	headers: Headers;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	json: any;
}

export interface XeroCallOptions {
	body?: unknown;
	rawBody?: string;
	query?: Record<string, string | number | boolean | undefined>;
	headers?: Record<string, string>;
	tenantId?: string | null;
	token?: string | null;
}

export interface XeroTestClient {
	token: string;
	tenantId: string;
	call(method: string, path: string, opts?: XeroCallOptions): Promise<XeroResponse>;
}

/** A client holding a fresh token for every tenant; `call('GET', '/Invoices')` hits `/api.xro/2.0/Invoices`. */
export function xeroTestClient(
	sandbox: XeroSandbox,
	opts: { tenantId?: string; scopes?: string[] } = {},
): XeroTestClient {
	const token = sandbox.issueToken({ scopes: opts.scopes }).access_token;
	const client: XeroTestClient = {
		token,
		tenantId: opts.tenantId ?? sandbox.defaultTenantId,
		async call(method, path, o = {}) {
			const url = new URL(
				path.startsWith('/api.xro') || path.startsWith('/connections')
					? path
					: `/api.xro/2.0${path}`,
				sandbox.url,
			);
			for (const [k, v] of Object.entries(o.query ?? {}))
				if (v !== undefined) url.searchParams.set(k, String(v));
			const headers: Record<string, string> = { Accept: 'application/json', ...o.headers };
			const tok = o.token === undefined ? client.token : o.token;
			if (tok) headers.Authorization = `Bearer ${tok}`;
			const tenant = o.tenantId === undefined ? client.tenantId : o.tenantId;
			if (tenant) headers['xero-tenant-id'] = tenant;
			let body: string | undefined = o.rawBody;
			if (o.body !== undefined) body = JSON.stringify(o.body);
			if (body !== undefined) headers['Content-Type'] ??= 'application/json';
			const res = await fetch(url, { method, headers, body });
			const text = await res.text();
			let json: unknown;
			try {
				json = text ? JSON.parse(text) : undefined;
			} catch {
				json = undefined;
			}
			return { status: res.status, headers: res.headers, text, json };
		},
	};
	return client;
}
