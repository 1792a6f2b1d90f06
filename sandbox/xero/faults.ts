/* eslint-disable @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Faults on demand, deterministic from a seed: the n-th affected call always gets the same fate for the same
// seed and configuration. Set per test (inspection API / `sandbox.xero.setFaults`) or by SANDBOX_FAULTS (JSON).
import { seededRandom } from '../shared/http';
import type { FaultConfig } from './types';

export type FaultDecision =
	| { kind: 'none'; latencyMs: number }
	| { kind: 'error'; status: 500 | 503; latencyMs: number }
	| { kind: 'reset' | 'timeout' | 'burst429' | 'down'; latencyMs: number };

export class FaultInjector {
	private config: FaultConfig = {};
	private random = seededRandom(1);
	private burstLeft = 0;
	readonly counts: Record<string, number> = {};

	set(config: FaultConfig): void {
		this.config = { ...config };
		this.random = seededRandom(config.seed ?? 1);
		this.burstLeft = config.burst429 ?? 0;
		for (const k of Object.keys(this.counts)) delete this.counts[k];
	}

	get(): FaultConfig & { burst429Remaining: number } {
		return { ...this.config, burst429Remaining: this.burstLeft };
	}

	/** Draws the fate of one API call. Draws happen in a fixed order so a seed replays the same sequence. */
	decide(path: string): FaultDecision {
		const c = this.config;
		if (c.pathContains && !path.includes(c.pathContains)) return { kind: 'none', latencyMs: 0 };
		const rolls = [
			this.random(),
			this.random(),
			this.random(),
			this.random(),
			this.random(),
			this.random(),
		];
		const latencyMs = c.latencyMs && rolls[5] < (c.latencyRate ?? 1) ? c.latencyMs : 0;
		let kind: FaultDecision['kind'] = 'none';
		let status: 500 | 503 | undefined;
		if (c.down) kind = 'down';
		else if (this.burstLeft > 0) {
			this.burstLeft--;
			kind = 'burst429';
		} else if (rolls[0] < (c.resetRate ?? 0)) kind = 'reset';
		else if (rolls[1] < (c.timeoutRate ?? 0)) kind = 'timeout';
		else if (rolls[2] < (c.error500Rate ?? 0)) {
			kind = 'error';
			status = 500;
		} else if (rolls[3] < (c.error503Rate ?? 0)) {
			kind = 'error';
			status = 503;
		}
		const label = status ? String(status) : kind;
		if (kind !== 'none') this.counts[label] = (this.counts[label] ?? 0) + 1;
		return kind === 'error'
			? { kind, status: status!, latencyMs }
			: ({ kind, latencyMs } as FaultDecision);
	}
}

export function faultsFromEnv(value: string | undefined): FaultConfig | undefined {
	if (!value) return undefined;
	try {
		return JSON.parse(value) as FaultConfig;
	} catch {
		throw new Error(`SANDBOX_FAULTS is not valid JSON: ${value}`);
	}
}
