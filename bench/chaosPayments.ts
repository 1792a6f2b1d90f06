// The payments part of `npm run chaos`: payments entered in Xero reach Commusoft through the published Xero
// Payment Trigger → Commusoft → Payment → Create (the bundled template's shape), while the Xero sandbox
// injects faults and 429 bursts and n8n's main is SIGKILLed in the middle of the work, then started again.
//
// Waves of payments are entered in Xero (by "another app": an idempotent client that retries through the same
// faults). Some waves get a crash: either mid-write (at the j-th Commusoft payment write of the execution that
// carries the wave) or mid-poll (at the trigger's k-th Xero call). After the last wave the faults stop, the
// trigger polls once more, and every crashed or failed execution is retried once, as an ops person does from
// n8n's Executions list ("Retry"). Then each Xero payment of a Commusoft invoice must be in Commusoft exactly
// once, and none of the payments of other invoices may be there.
//
// Why retry: n8n saves a poll trigger's position when the trigger emits, before the workflow runs (2.40.5,
// trigger-execution-context.factory), so an execution cut off by a crash is not polled again: its payments
// live in that execution, which n8n marks "crashed" and can retry. Payment → Create is keyed by the Xero
// PaymentID, so a retry writes only what the cut-off run did not.
import type { RunningCommusoftSandbox } from '../sandbox/commusoft/server';
import type { XeroSandbox } from '../sandbox/xero/server';
import {
	delay,
	PAYMENT_TRIGGER,
	PAYMENT_WRITE,
	paymentsToCommusoftWorkflow,
	waitFor,
	type N8nInstance,
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

const TRIGGER = PAYMENT_TRIGGER;
const WRITE = PAYMENT_WRITE;
const POLL_WAIT_MS = 150_000; // a poll a minute, plus a restart, plus a slow write under faults

export interface PaymentChaosOptions {
	n8n: N8nInstance;
	xero: XeroSandbox;
	commusoft: RunningCommusoftSandbox;
	tenantId: string;
	rand: () => number;
	/** payments of Commusoft invoices (default 300), in `waves` waves */
	payments: number;
	waves: number;
	/** crashes of n8n's main, one per wave from the first, alternating mid-write and mid-poll */
	kills: number;
	/** starts the Xero faults; returns the function that stops them */
	startFaults: () => () => void;
	log: (line: string) => void;
}

export interface PaymentChaosResult {
	entered: number;
	foreign: number;
	inCommusoftOnce: number;
	missing: string[];
	duplicates: number;
	foreignRecorded: number;
	wrongAmount: number;
	crashes: Array<
		CrashOutcome & {
			wave: number;
			where: string;
			/** executions the crash cut off: id and how many payments they carried */
			cutOff: Array<{ id: string; carried: number }>;
		}
	>;
	executions: Record<string, number>;
	retried: number;
	retryResults: Record<string, number>;
	/** Payment → Create results over every stored execution: created / alreadyRecorded (a re-delivery absorbed) */
	results: Record<string, number>;
	pollerXeroCalls: number;
	faultsHit: number;
	enteringCalls: number;
}

export async function paymentChaos(options: PaymentChaosOptions): Promise<PaymentChaosResult> {
	const { n8n, xero, commusoft, tenantId, rand, log } = options;
	const state = commusoft.state;
	const writer = xeroWriter(xero, tenantId);

	// Set-up without faults: the Commusoft invoices (two payments each) and their Xero copies, plus invoices
	// raised in Xero only, whose payments must stay out of Commusoft.
	const invoiceCount = Math.ceil(options.payments / 2);
	const { csInvoices, invoiceIds, foreignNumbers } = await mirroredInvoices(
		writer,
		commusoft,
		invoiceCount,
		Math.max(2, Math.round(invoiceCount / 10)),
	);

	// Payments: two per Commusoft invoice (100 + 50), one per Xero-only invoice, spread over the waves.
	type Planned = { number: string; amount: number; foreign: boolean };
	const planned: Planned[] = [];
	for (const round of [100, 50])
		for (const inv of csInvoices)
			if (planned.filter((p) => !p.foreign).length < options.payments)
				planned.push({ number: inv.invoiceNumber, amount: round, foreign: false });
	for (const number of foreignNumbers) planned.push({ number, amount: 80, foreign: true });
	const waves: Planned[][] = Array.from({ length: options.waves }, () => []);
	planned.forEach((p, n) => waves[n % options.waves].push(p));

	const backfillFrom = new Date(Date.now() - 60_000).toISOString();
	const workflowId = await n8n.importWorkflow(
		paymentsToCommusoftWorkflow('chaos: Xero payments → Commusoft', {
			tenantId,
			backfillFrom,
			xeroCredential: { xeroAccountingOAuth2Api: OURS_CREDENTIAL },
		}),
	);
	await n8n.publishWorkflow(workflowId);
	const pollerCalls = () =>
		xero.calls().filter((c) => c.tenantId === tenantId && c.endpoint.startsWith('GET ')).length;
	const paymentWrites = () => state.calls.filter((c) => c.endpoint === 'POST /payments').length;
	const faultsBefore = xero.calls().filter((c) => c.tenantId === tenantId && c.fault).length;
	// Commusoft answers each call after 40 ms, so a wave's execution writes for a few seconds: room for a crash.
	state.setFaults({ latencyMs: 40 });
	const stopFaults = options.startFaults();
	const crashes: PaymentChaosResult['crashes'] = [];
	try {
		for (const [w, wave] of waves.entries()) {
			const writesBefore = paymentWrites();
			for (let i = 0; i < wave.length; i += 50) {
				await writer.write('PUT', '/Payments', {
					Payments: wave.slice(i, i + 50).map((p) => ({
						Invoice: { InvoiceID: invoiceIds.get(p.number) },
						Account: { Code: '090' },
						Amount: p.amount,
						Date: '2026-11-25',
						Reference: `chaos wave ${w + 1}`,
					})),
				});
			}
			const ours = wave.filter((p) => !p.foreign).length;
			log(`payments wave ${w + 1}: ${wave.length} entered in Xero (${ours} of Commusoft invoices)`);
			if (w < options.kills) {
				const midWrite = w % 2 === 0;
				const killAt = midWrite ? between(rand, 5, Math.max(5, ours - 10)) : between(rand, 1, 2);
				const crashedBefore = await crashedIds(n8n, workflowId);
				const crash = await crashMainAt(
					n8n,
					midWrite ? paymentWrites : pollerCalls,
					killAt,
					async () => (paymentWrites() - writesBefore >= ours ? 'wave written' : undefined),
					POLL_WAIT_MS,
				);
				const cutOff = [...(await crashedIds(n8n, workflowId))].filter(
					(id) => !crashedBefore.has(id),
				);
				crashes.push({
					...crash,
					wave: w + 1,
					where: midWrite
						? `mid-write, at Commusoft payment write ${killAt}`
						: `mid-poll, at the trigger's Xero call ${killAt}`,
					cutOff: await Promise.all(cutOff.map((id) => carried(n8n, id))),
				});
				log(`payments wave ${w + 1}: ${JSON.stringify(crashes[crashes.length - 1])}`);
			} else {
				await waitFor(
					`payments wave ${w + 1} written to Commusoft`,
					async () => paymentWrites() - writesBefore >= ours,
					{ timeoutMs: POLL_WAIT_MS, intervalMs: 500 },
				).catch((error: Error) => log(error.message.split('\n')[0]));
			}
		}
	} finally {
		stopFaults();
		state.clearFaults();
	}

	// Quiet again: one more poll (nothing new may arrive twice), then Retry on every crashed or failed run.
	const pollsBefore = pollerCalls();
	await waitFor('one more poll after the faults', async () => pollerCalls() > pollsBefore, {
		timeoutMs: 90_000,
		intervalMs: 500,
	});
	await delay(10_000);
	const { retried, retryResults } = await retryFailedExecutions(n8n, workflowId);
	await n8n.unpublishWorkflow(workflowId);

	// Count: Xero's payments (the truth) against Commusoft's, by Xero PaymentID.
	const xeroState = xero.state(tenantId);
	const numberOf = new Map(xeroState.invoices.map((i) => [i.InvoiceID, String(i.InvoiceNumber)]));
	const live = xeroState.payments.filter((p) => p.Status === 'AUTHORISED');
	const ours = live.filter((p) => numberOf.get(p.InvoiceID ?? '')?.startsWith('CS-'));
	const foreignIds = new Set(
		live.filter((p) => !numberOf.get(p.InvoiceID ?? '')?.startsWith('CS-')).map((p) => p.PaymentID),
	);
	const recorded = new Map<string, Array<{ amount: number }>>();
	for (const payment of state.data.payments) {
		if (!payment.externalReference) continue;
		const list = recorded.get(payment.externalReference) ?? [];
		list.push(payment);
		recorded.set(payment.externalReference, list);
	}
	const executions: Record<string, number> = {};
	for (const e of await n8n.listExecutions(workflowId))
		executions[`${e.mode} ${e.status}`] = (executions[`${e.mode} ${e.status}`] ?? 0) + 1;
	const results: Record<string, number> = {};
	for (const e of await n8n.listExecutions(workflowId)) {
		const { run } = await n8n.getExecution(e.id);
		const runs = run.data?.resultData?.runData?.[WRITE] ?? [];
		for (const item of runs.flatMap((r) => r.data?.main?.[0] ?? [])) {
			const key = String((item.json as { result?: string }).result);
			results[key] = (results[key] ?? 0) + 1;
		}
	}
	return {
		entered: ours.length,
		foreign: foreignIds.size,
		inCommusoftOnce: ours.filter((p) => recorded.get(p.PaymentID)?.length === 1).length,
		missing: ours.filter((p) => !recorded.has(p.PaymentID)).map((p) => p.PaymentID),
		duplicates: [...recorded.values()].reduce((n, list) => n + list.length - 1, 0),
		foreignRecorded: [...foreignIds].filter((id) => recorded.has(id)).length,
		wrongAmount: ours.filter((p) => {
			const list = recorded.get(p.PaymentID);
			return list !== undefined && list[0].amount !== p.Amount;
		}).length,
		crashes,
		executions,
		retried,
		retryResults,
		results,
		pollerXeroCalls: pollerCalls(),
		faultsHit: xero.calls().filter((c) => c.tenantId === tenantId && c.fault).length - faultsBefore,
		enteringCalls: writer.calls(),
	};
}

/** How many payments a stored execution carried (the trigger's output). */
async function carried(n8n: N8nInstance, id: string) {
	const { run } = await n8n.getExecution(id);
	const count = (node: string) =>
		(run.data?.resultData?.runData?.[node] ?? []).reduce(
			(n, r) => n + (r.data?.main?.[0]?.length ?? 0),
			0,
		);
	// A run cut off before the trigger's data was handed on keeps it in the execution stack.
	const stack = (
		run.data as {
			executionData?: { nodeExecutionStack?: Array<{ data?: { main?: unknown[][] } }> };
		}
	).executionData?.nodeExecutionStack;
	const queued = (stack ?? []).reduce((n, s) => n + (s.data?.main?.[0]?.length ?? 0), 0);
	return { id, carried: Math.max(count(TRIGGER), queued) };
}

/** The payments part's table and notes, in Markdown. */
export function paymentReport(r: PaymentChaosResult, waves: number): string {
	const rows: Array<[string, string | number]> = [
		['payments of Commusoft invoices entered in Xero', r.entered],
		['payments of Xero-only invoices (must stay out)', r.foreign],
		['in Commusoft exactly once', r.inCommusoftOnce],
		['**missing in Commusoft**', `**${r.missing.length}**`],
		['**duplicates** (same Xero PaymentID twice)', `**${r.duplicates}**`],
		['Xero-only payments recorded in Commusoft', r.foreignRecorded],
		['recorded with a wrong amount', r.wrongAmount],
		[
			'Payment → Create results: created / already recorded (a re-delivery absorbed)',
			`${r.results.created ?? 0} / ${r.results.alreadyRecorded ?? 0}`,
		],
		['executions (mode status → count)', JSON.stringify(r.executions)],
		[
			'crashed or failed executions retried → outcome',
			`${r.retried} → ${JSON.stringify(r.retryResults)}`,
		],
		[
			'trigger Xero calls (GET) / injected faults hit on the tenant',
			`${r.pollerXeroCalls} / ${r.faultsHit}`,
		],
	];
	return [
		`| payments through Xero Payment Trigger → Commusoft Payment Create | ours |`,
		'|---|---:|',
		...rows.map(([name, value]) => `| ${name} | ${value} |`),
		'',
		`Waves: ${waves}; crashes of n8n's main (SIGKILL, then started again on the same database):`,
		'',
		...r.crashes.map(
			(c) =>
				`- wave ${c.wave}, ${c.where}: ${c.killed ? `killed (${c.callsAtKill} counted), up again in ${c.restartSeconds} s; ${c.cutOff.length ? c.cutOff.map((x) => `execution ${x.id} cut off (crashed) carrying ${x.carried} payments`).join('; ') : 'no execution cut off (the poll had not emitted)'}` : `the wave was written before the kill point (${c.finishedFirst})`}`,
		),
		...(r.missing.length ? [`- missing PaymentIDs: ${r.missing.slice(0, 10).join(', ')}`] : []),
	].join('\n');
}
