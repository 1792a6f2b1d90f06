// The two-way part of `npm run chaos`: templates 02 (Xero payments → Commusoft) and 07 (Commusoft payments →
// Xero) published side by side in one real n8n, payments entered on both sides in interleaved waves while the
// Xero sandbox injects faults and 429 bursts and n8n's main is SIGKILLed once mid-run, then started again.
// After the last wave the faults stop, both triggers poll once more and every crashed or failed execution is
// retried once (the payments part's machinery, bench/lib/chaos.ts). Then, in each system, every payment entered
// on the other side must be there exactly once, and no payment may have come back to the side it started on
// (the markers of docs/ARCHITECTURE.md, "Payments both ways, without loops").
import type { RunningCommusoftSandbox } from '../sandbox/commusoft/server';
import { recordPayment } from '../sandbox/commusoft/state';
import type { XeroSandbox } from '../sandbox/xero/server';
import { commusoftPaymentIdIn } from '../nodes/Xero/mapping/payment';
import {
	delay,
	loadTemplates,
	waitFor,
	type N8nInstance,
	type WorkflowJson,
} from '../test/e2e/harness/core';
import {
	between,
	crashedIds,
	crashMainAt,
	mirroredInvoices,
	retryFailedExecutions,
	xeroWriter,
	type CrashOutcome,
} from './lib/chaos';
import { OURS_CREDENTIAL } from './workload';

const WAVE_WAIT_MS = 150_000; // a poll a minute on each side, plus a restart, plus slow writes under faults
const TO_XERO = '07-commusoft-payments-to-xero.json';
const TO_COMMUSOFT = '02-xero-payments-to-commusoft.json';
/** The nodes of templates 07 and 02 that write, and their error output (07 only). */
const XERO_WRITE = 'Record Payment in Xero';
const COMMUSOFT_WRITE = 'Record Payment in Commusoft';

export interface TwoWayOptions {
	n8n: N8nInstance;
	xero: XeroSandbox;
	commusoft: RunningCommusoftSandbox;
	tenantId: string;
	rand: () => number;
	/** payments entered on each side (default 200 + 200), two per invoice per side */
	payments: number;
	waves: number;
	/** starts the Xero faults; returns the function that stops them */
	startFaults: () => () => void;
	log: (line: string) => void;
}

export interface SideCount {
	entered: number;
	/** in the other system exactly once */
	once: number;
	missing: number;
	duplicated: number;
	/** come back as a second payment on the side they started on */
	loopedBack: number;
}

export interface TwoWayResult {
	/** payments entered in Commusoft, as found in Xero; looped back = a Commusoft payment returned to Commusoft */
	fromCommusoft: SideCount;
	/** payments entered in Xero, as found in Commusoft; looped back = a Xero payment returned to Xero */
	fromXero: SideCount;
	crash?: CrashOutcome & { wave: number; cutOff: string[] };
	executions: Record<string, number>;
	retried: number;
	retryResults: Record<string, number>;
	/** Payment → Create results of template 07 (created / alreadyRecorded / skipped / error output) */
	toXeroResults: Record<string, number>;
	faultsHit: number;
	seconds: number;
}

/** A bundled template as its setup note asks, polling every minute, on the bench's Xero credential. */
function publishable(file: string, tenantId: string, since: string): WorkflowJson {
	const found = loadTemplates({ tenantId }).find((t) => t.file === file);
	if (!found) throw new Error(`template ${file} not found`);
	const workflow = structuredClone(found.workflow);
	for (const node of workflow.nodes as Array<{
		type: string;
		parameters: Record<string, unknown>;
		credentials?: Record<string, unknown>;
	}>) {
		if (node.credentials?.xeroAccountingOAuth2Api)
			node.credentials.xeroAccountingOAuth2Api = OURS_CREDENTIAL;
		if (node.type.endsWith('Trigger') && node.parameters.pollTimes)
			node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
		if (node.type.endsWith('.commusoftTrigger')) node.parameters.backfillFrom = since;
		if (node.type.endsWith('.xeroPaymentTrigger'))
			node.parameters.options = { ...(node.parameters.options as object), backfillFrom: since };
	}
	return workflow;
}

export async function twoWayChaos(options: TwoWayOptions): Promise<TwoWayResult> {
	const started = Date.now();
	const { n8n, xero, commusoft, tenantId, rand, log } = options;
	const state = commusoft.state;
	const writer = xeroWriter(xero, tenantId);
	const invoiceCount = Math.ceil(options.payments / 2);
	const { csInvoices, invoiceIds } = await mirroredInvoices(writer, commusoft, invoiceCount, 0);

	// Each invoice (300.00) takes two payments of 50.00 from each side: 200.00 of it paid in both systems.
	type Planned = { side: 'commusoft' | 'xero'; number: string; uuid: string };
	const planned: Planned[] = [];
	for (let round = 0; round < 2; round++)
		for (const inv of csInvoices)
			for (const side of ['commusoft', 'xero'] as const)
				if (planned.filter((p) => p.side === side).length < options.payments)
					planned.push({ side, number: inv.invoiceNumber, uuid: inv.uuid });
	const waves: Planned[][] = Array.from({ length: options.waves }, () => []);
	planned.forEach((p, n) => waves[Math.floor((n * options.waves) / planned.length)].push(p));

	const since = new Date(Date.now() - 5_000).toISOString();
	const ids: Record<string, string> = {};
	for (const file of [TO_COMMUSOFT, TO_XERO]) {
		ids[file] = await n8n.importWorkflow(publishable(file, tenantId, since));
		await n8n.publishWorkflow(ids[file]);
	}

	const enteredInCommusoft = new Set<string>();
	const enteredInXero = new Set<string>();
	const markerCount = () => {
		const counts = new Map<string, number>();
		for (const p of xero.state(tenantId).payments) {
			const id = p.Status === 'AUTHORISED' ? commusoftPaymentIdIn(p.Reference) : undefined;
			if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
		}
		return counts;
	};
	const arrived = (wanted: Set<string>, counts: Map<string, number>) =>
		[...wanted].filter((id) => counts.has(id)).length;
	const fromXeroInCommusoft = () =>
		new Set(state.data.payments.map((p) => p.externalReference).filter(Boolean) as string[]);
	/**
	 * Both sides' writes by n8n: Commusoft payment writes (template 02) and Xero payment calls (template 07), less
	 * the payment calls of the app entering payments in Xero (its calls since the set-up, which wrote none).
	 */
	const writerBase = writer.calls();
	const writes = () =>
		state.calls.filter((c) => c.endpoint === 'POST /payments').length +
		xero.calls().filter((c) => c.tenantId === tenantId && c.endpoint.startsWith('PUT /Payments'))
			.length -
		(writer.calls() - writerBase);
	const faultsBefore = xero.calls().filter((c) => c.tenantId === tenantId && c.fault).length;
	const crashWave = Math.min(1, options.waves - 1);
	let crash: TwoWayResult['crash'];
	// Commusoft answers each call after 40 ms, so a wave is written over a few seconds: room for the crash.
	state.setFaults({ latencyMs: 40 });
	const stopFaults = options.startFaults();
	try {
		for (const [w, wave] of waves.entries()) {
			const waveCommusoft = new Set<string>();
			const waveXero = new Set<string>();
			// Interleaved: ten entered in Commusoft, then ten in Xero (one call), and so on.
			for (let i = 0; i < wave.length; i += 20) {
				const chunk = wave.slice(i, i + 20);
				for (const p of chunk.filter((x) => x.side === 'commusoft')) {
					const { payment } = recordPayment(
						state.data,
						{ invoiceUuid: p.uuid, amount: 50, method: 'card', date: '2026-11-25' },
						state.nowIso(),
					);
					waveCommusoft.add(payment.uuid);
					enteredInCommusoft.add(payment.uuid);
				}
				const toXero = chunk.filter((x) => x.side === 'xero');
				if (!toXero.length) continue;
				const paid = (await writer.write('PUT', '/Payments', {
					Payments: toXero.map((p) => ({
						Invoice: { InvoiceID: invoiceIds.get(p.number) },
						Account: { Code: '090' },
						Amount: 50,
						Date: '2026-11-25',
						Reference: `chaos two-way wave ${w + 1}`,
					})),
				})) as { Payments: Array<{ PaymentID: string }> };
				for (const p of paid.Payments) {
					waveXero.add(p.PaymentID);
					enteredInXero.add(p.PaymentID);
				}
			}
			log(`two-way wave ${w + 1}: ${waveCommusoft.size} in Commusoft, ${waveXero.size} in Xero`);
			const waveDone = () =>
				arrived(waveCommusoft, markerCount()) >= waveCommusoft.size &&
				arrived(waveXero, new Map([...fromXeroInCommusoft()].map((id) => [id, 1]))) >=
					waveXero.size;
			if (w === crashWave) {
				const killAt = between(rand, 3, Math.max(3, Math.round(wave.length / 4)));
				const crashedBefore = new Set([
					...(await crashedIds(n8n, ids[TO_XERO])),
					...(await crashedIds(n8n, ids[TO_COMMUSOFT])),
				]);
				const outcome = await crashMainAt(
					n8n,
					writes,
					killAt,
					async () => (waveDone() ? 'wave written' : undefined),
					WAVE_WAIT_MS,
				);
				const cutOff = [
					...(await crashedIds(n8n, ids[TO_XERO])),
					...(await crashedIds(n8n, ids[TO_COMMUSOFT])),
				].filter((id) => !crashedBefore.has(id));
				crash = { ...outcome, wave: w + 1, cutOff };
				log(`two-way wave ${w + 1}: kill at write ${killAt} → ${JSON.stringify(crash)}`);
			} else {
				await waitFor(`two-way wave ${w + 1} on both sides`, async () => waveDone(), {
					timeoutMs: WAVE_WAIT_MS,
					intervalMs: 500,
				}).catch((error: Error) => log(error.message.split('\n')[0]));
			}
		}
	} finally {
		stopFaults();
		state.clearFaults();
	}

	// Quiet again: each trigger polls once more, then Retry on every crashed or failed run of either flow.
	const polls = () => ({
		xero: xero
			.calls()
			.filter((c) => c.tenantId === tenantId && c.endpoint.startsWith('GET /Payments')).length,
		commusoft: state.calls.filter((c) => c.endpoint.startsWith('GET /payments')).length,
	});
	const before = polls();
	await waitFor(
		'one more poll on each side after the faults',
		async () => polls().xero > before.xero && polls().commusoft > before.commusoft,
		{ timeoutMs: 150_000, intervalMs: 500 },
	).catch((error: Error) => log(error.message.split('\n')[0]));
	await delay(10_000);
	let retried = 0;
	const retryResults: Record<string, number> = {};
	for (const id of Object.values(ids)) {
		const outcome = await retryFailedExecutions(n8n, id);
		retried += outcome.retried;
		for (const [key, n] of Object.entries(outcome.retryResults))
			retryResults[key] = (retryResults[key] ?? 0) + n;
	}
	// One more round of polls after the retries: what they wrote must not come back either.
	const afterRetry = polls();
	await waitFor(
		'a poll on each side after the retries',
		async () => polls().xero > afterRetry.xero && polls().commusoft > afterRetry.commusoft,
		{ timeoutMs: 150_000, intervalMs: 500 },
	).catch((error: Error) => log(error.message.split('\n')[0]));
	await delay(10_000);
	for (const id of Object.values(ids)) await n8n.unpublishWorkflow(id);

	// Count, by the markers each side carries.
	const live = xero.state(tenantId).payments.filter((p) => p.Status === 'AUTHORISED');
	const inXero = markerCount();
	const byExternal = new Map<string, number>();
	for (const p of state.data.payments)
		if (p.externalReference)
			byExternal.set(p.externalReference, (byExternal.get(p.externalReference) ?? 0) + 1);
	const cameFromXero = new Set(
		state.data.payments.filter((p) => p.externalReference).map((p) => p.uuid),
	);
	const markerPayments = new Set(
		live.filter((p) => commusoftPaymentIdIn(p.Reference)).map((p) => p.PaymentID),
	);
	const count = (entered: Set<string>, found: Map<string, number>) => ({
		entered: entered.size,
		once: [...entered].filter((id) => found.get(id) === 1).length,
		missing: [...entered].filter((id) => !found.has(id)).length,
		duplicated: [...entered].reduce((n, id) => n + Math.max(0, (found.get(id) ?? 0) - 1), 0),
	});
	const executions: Record<string, number> = {};
	const toXeroResults: Record<string, number> = {};
	for (const [file, id] of Object.entries(ids))
		for (const e of await n8n.listExecutions(id)) {
			const key = `${file.slice(0, 2)} ${e.mode} ${e.status}`;
			executions[key] = (executions[key] ?? 0) + 1;
			if (file !== TO_XERO) continue;
			const { run } = await n8n.getExecution(e.id);
			for (const r of run.data?.resultData?.runData?.[XERO_WRITE] ?? []) {
				for (const item of r.data?.main?.[0] ?? []) {
					const result = String((item.json as { result?: string }).result);
					toXeroResults[result] = (toXeroResults[result] ?? 0) + 1;
				}
				toXeroResults['error output'] =
					(toXeroResults['error output'] ?? 0) + (r.data?.main?.[1]?.length ?? 0);
			}
		}
	return {
		fromCommusoft: {
			...count(enteredInCommusoft, inXero),
			// a Commusoft payment that came back to Commusoft: its Xero copy (marker) recorded there again
			loopedBack: [...byExternal.keys()].filter((id) => markerPayments.has(id)).length,
		},
		fromXero: {
			...count(enteredInXero, byExternal),
			// a Xero payment that went back to Xero: its Commusoft copy (external reference) sent there again
			loopedBack: [...inXero.keys()].filter((id) => cameFromXero.has(id)).length,
		},
		crash,
		executions,
		retried,
		retryResults,
		toXeroResults,
		faultsHit: xero.calls().filter((c) => c.tenantId === tenantId && c.fault).length - faultsBefore,
		seconds: Math.round((Date.now() - started) / 1000),
	};
}

/** Whether every count that must be 0 is 0. */
export function twoWayClean(r: TwoWayResult): boolean {
	return [r.fromCommusoft, r.fromXero].every(
		(s) => s.missing === 0 && s.duplicated === 0 && s.loopedBack === 0,
	);
}

/** The two-way part's table, in Markdown. */
export function twoWayReport(r: TwoWayResult, seed: number, waves: number): string {
	const side = (s: SideCount): Array<string | number> => [
		s.entered,
		s.once,
		`**${s.duplicated}**`,
		`**${s.missing}**`,
		`**${s.loopedBack}**`,
	];
	const c = r.crash;
	return [
		`| seed ${seed} | entered | in the other system once | duplicated | missing | looped back |`,
		'|---|---:|---:|---:|---:|---:|',
		`| entered in Commusoft → Xero (template 07) | ${side(r.fromCommusoft).join(' | ')} |`,
		`| entered in Xero → Commusoft (template 02) | ${side(r.fromXero).join(' | ')} |`,
		'',
		`- waves: ${waves}, interleaved; wall time ${r.seconds} s; injected faults hit on the tenant: ${r.faultsHit}`,
		`- crash of n8n's main: ${c ? (c.killed ? `wave ${c.wave}, SIGKILLed at write ${c.callsAtKill}, up again in ${c.restartSeconds} s; executions cut off: ${c.cutOff.length ? c.cutOff.join(', ') : 'none'}` : `wave ${c.wave} written before the kill point (${c.finishedFirst})`) : 'none'}`,
		`- crashed or failed executions retried → outcome: ${r.retried} → ${JSON.stringify(r.retryResults)}`,
		`- executions (template mode status → count): ${JSON.stringify(r.executions)}`,
		`- ${XERO_WRITE} results (template 07): ${JSON.stringify(r.toXeroResults)}`,
		`- (template 02 writes with ${COMMUSOFT_WRITE}, keyed by the Xero PaymentID)`,
	].join('\n');
}
