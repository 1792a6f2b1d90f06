/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A proxy in front of the Commusoft sandbox that can lose the answer of a write the sandbox has applied. */
export interface AnswerDroppingProxy {
	/** The proxy's Commusoft API base URL, for the credential's baseUrl. */
	apiBaseUrl: string;
	/** Calls ("POST /customers") whose next answer the proxy swallows (502) after the sandbox has applied them. */
	dropNext: Set<string>;
	close(): Promise<void>;
}

/**
 * Forwards everything to the sandbox at `origin`; for a call in `dropNext` it lets the sandbox apply it, then
 * answers 502, so the client cannot tell whether anything was written.
 */
export async function startAnswerDroppingProxy(origin: string): Promise<AnswerDroppingProxy> {
	const dropNext = new Set<string>();
	const proxy = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', async () => {
			const headers: Record<string, string> = {};
			for (const [key, value] of Object.entries(req.headers))
				if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(key))
					headers[key] = value;
			const upstream = await fetch(`${origin}${req.url}`, {
				method: req.method,
				headers,
				body: chunks.length ? Buffer.concat(chunks) : undefined,
			});
			const text = await upstream.text();
			const key = `${req.method} ${new URL(req.url ?? '/', 'http://x').pathname.replace('/api/v1', '')}`;
			if (dropNext.delete(key)) {
				res.writeHead(502, { 'Content-Type': 'text/plain' }).end('Bad gateway');
				return;
			}
			res
				.writeHead(upstream.status, {
					'Content-Type': upstream.headers.get('content-type') ?? 'application/json',
				})
				.end(text);
		});
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	return {
		apiBaseUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/v1`,
		dropNext,
		close: async () => {
			await new Promise((resolve) => proxy.close(resolve));
		},
	};
}
