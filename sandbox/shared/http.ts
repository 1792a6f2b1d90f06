/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// HTTP plumbing shared by the sandbox servers (Xero here; the Commusoft sandbox may import it too).
// Owned by the Xero-sandbox helper: node:http only, no framework, and nothing here may throw past a handler.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`Request body larger than ${limit} bytes`);
	}
}

/** Reads the raw body, refusing (and draining) anything over `limit` bytes. */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk: Buffer) => {
			if (tooLarge) return;
			size += chunk.length;
			if (size > limit) {
				tooLarge = true;
				chunks.length = 0;
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () =>
			tooLarge ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks)),
		);
		req.on('error', reject);
	});
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = body === undefined ? '' : JSON.stringify(body);
	sendRaw(res, status, text, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
}

export function sendRaw(
	res: ServerResponse,
	status: number,
	text: string | Buffer,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(text)) });
	res.end(text);
}

/** Lower-cased single-valued header. */
export function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** Mulberry32: a tiny seeded PRNG so faults and generated ids are reproducible from a seed. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A v4-shaped uuid drawn from a seeded PRNG (deterministic seed data and ids). */
export function seededUuid(random: () => number): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
	hex[12] = '4';
	hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

export const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseQuery(url: URL): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of url.searchParams) out[k] = v;
	return out;
}

/** Case-insensitive query lookup (Xero accepts `page`/`Page`, `IDs`/`ids`). */
export function q(query: Record<string, string>, name: string): string | undefined {
	const lower = name.toLowerCase();
	for (const [k, v] of Object.entries(query)) if (k.toLowerCase() === lower) return v;
	return undefined;
}
