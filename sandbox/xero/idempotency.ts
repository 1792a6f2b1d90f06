// Idempotency-Key on PUT/POST (docs/xero-rules.md §2.3): max 128 characters; the same key with the same request within
// the window (6 minutes, scaled by the clock) replays the first response byte for byte without a second side
// effect; the same key with a different request is refused with 400. Keys are scoped per app (client id).
import { createHash } from 'node:crypto';
import type { SandboxClock } from './clock';

export interface StoredResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

interface Entry {
	fingerprint: string;
	at: number;
	response?: StoredResponse;
}

export const IDEMPOTENCY_WINDOW_MS = 6 * 60_000;
export const MAX_KEY_LENGTH = 128;

export class IdempotencyStore {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly clock: SandboxClock) {}

	static fingerprint(method: string, path: string, tenantId: string, body: Buffer): string {
		return createHash('sha256')
			.update(`${method}\n${path}\n${tenantId}\n`)
			.update(body)
			.digest('hex');
	}

	/** 'new' → process and `store`; 'replay' → send the stored response; 'conflict' → 400; 'inflight' → 409. */
	lookup(
		scope: string,
		key: string,
		fingerprint: string,
	):
		| { kind: 'new' }
		| { kind: 'replay'; response: StoredResponse }
		| { kind: 'conflict' }
		| { kind: 'inflight' } {
		const id = `${scope}|${key}`;
		const entry = this.entries.get(id);
		if (!entry || this.clock.now() - entry.at > this.clock.scaled(IDEMPOTENCY_WINDOW_MS)) {
			this.entries.set(id, { fingerprint, at: this.clock.now() });
			return { kind: 'new' };
		}
		if (entry.fingerprint !== fingerprint) return { kind: 'conflict' };
		if (!entry.response) return { kind: 'inflight' };
		return { kind: 'replay', response: entry.response };
	}

	store(scope: string, key: string, response: StoredResponse): void {
		const entry = this.entries.get(`${scope}|${key}`);
		if (entry) entry.response = response;
	}

	forget(scope: string, key: string): void {
		this.entries.delete(`${scope}|${key}`);
	}

	get size(): number {
		return this.entries.size;
	}

	reset(): void {
		this.entries.clear();
	}
}
