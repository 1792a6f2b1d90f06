/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// `npm run chaos`: two parts in one real n8n, with the Xero sandbox injecting faults into 10% of API calls
// (500, 503, dropped connections, calls that never answer) plus bursts of 429s, and n8n's main process
// SIGKILLed mid-run and started again:
//
// - invoices: the bench's invoice workload for both contenders (ours, n8n's built-in Xero node), each
//   started through a production webhook so n8n's main runs it; the main is killed at the k-th Xero call of
//   the run (k drawn per attempt), twice, then one rerun. Duplicates and losses are read from the sandbox.
// - payments (bench/chaosPayments.ts): 300 payments entered in Xero reach Commusoft through the published
//   Xero Payment Trigger → Commusoft → Payment → Create while the main is killed mid-write; every crashed or
//   failed execution is then retried once (Executions → Retry). Each payment must be in Commusoft exactly once.
// - two-way (bench/chaosTwoWay.ts): templates 02 and 07 published together, N payments entered in Commusoft
//   and N in Xero in interleaved waves (default 200 + 200), the main killed once mid-run, crashed runs retried;
//   per seed, payments duplicated / missing / looped back in each system, all of which must be 0 (exit 1 if not).
//
//   npm run chaos [-- --part all|invoices|payments|two-way --invoices 1000 --customers 200 --existing 0.1
//                    --scale 60 --seed 7 --kills 2 --payments 300 --ours-only --sticky-429]
//   (`--payments` is the payments part's count, and the two-way part's per side when given: default 200)
//
// Losses are split in two: items not in Xero that the rerun reported (our node's error output, or a failed
// run) and items not in Xero that nothing reported (silent loss, the one that must be 0). Runs are read from
// n8n's execution store (a webhook-started run prints nothing; the store holds it complete).
//
// Bounded: every wait has a time limit and the whole command stops itself after 30 minutes.

import { startCommusoftSandbox, type RunningCommusoftSandbox } from '../sandbox/commusoft/server';
import { startXeroSandbox } from '../sandbox/xero/server';
import {
	commusoftCredential,
	isExecutionOver,
	waitFor,
	type N8nInstance,
	type RunningSandbox,
} from '../test/e2e/harness/core';
import { between, crashMainAt, random, startFaults, type CrashOutcome } from './lib/chaos';
import { paymentChaos, paymentReport } from './chaosPayments';
import { twoWayChaos, twoWayClean, twoWayReport } from './chaosTwoWay';
import { writeResult } from './lib/results';
import { enterXeroNamespace, type XeroTlsFront } from './tls/xeroFront';
import {
	builtinWorkflow,
	credentials,
	makeWorkload,
	outcome,
	oursWorkflow,
	seedTenant,
	startBenchN8n,
	type Outcome,
	numberArg as arg,
} from './workload';

const INVOICES = arg('invoices', 1000);
const CUSTOMERS = arg('customers', 200);
const EXISTING = arg('existing', 0.1);
const SCALE = arg('scale', 60);
const SEED = arg('seed', 7);
const KILLS = arg('kills', 2);
const PAYMENTS = arg('payments', 300);
const TWO_WAY_PAYMENTS = process.argv.includes('--payments') ? PAYMENTS : 200;
const partIndex = process.argv.indexOf('--part');
const PART = partIndex >= 0 ? process.argv[partIndex + 1] : 'all';
const OURS_ONLY = process.argv.includes('--ours-only');
const BUILTIN_ONLY = process.argv.includes('--built-in-only');
// Old fault model: a burst lasts until 5 calls have had their 429, however long that takes.
const STICKY_429 = process.argv.includes('--sticky-429');
const RUN_TIMEOUT_MS = 5 * 60_000;

interface Attempt {
	what: string;
	status: string;
}

/** What the rerun reported, read from n8n's execution store. */
interface RerunReport {
	/** execution status (success / error / running…) or why there is none */
	status: string;
	/** items on the upsert's main output (ours only) */
	written?: number;
	/** invoice numbers on the upsert's error output (ours only) */
	errorItems?: string[];
	/** first error messages on the error output, with counts */
	errorKinds?: Record<string, number>;
	/** the run itself failed: every item it did not write counts as reported */
	runFailed: boolean;
	runError?: string;
}

/**
 * Kill points per attempt, in Xero calls of the run, drawn within what a run makes so the kill lands mid-run:
 * ours' first kill in its write phase (a full run reads for ~12 calls, then writes 20 batches of 50), its
 * second anywhere in what is left (the reads again, then the rest of the writes).
 */
const KILL_WINDOWS: Record<string, Array<[number, number]>> = {
	ours: [
		[13, 30],
		[2, 16],
	],
	// One look-up per invoice, but under these faults a run ends in error after 15 to 50 calls (the first
	// fault that outlasts Retry On Fail stops it).
	'built-in': [
		[3, 30],
		[3, 30],
	],
};

/** Starts the workflow through its webhook and returns the id of the execution that started. */
async function startRun(n8n: N8nInstance, workflowId: string, webhookPath: string) {
	const known = new Set((await n8n.listExecutions(workflowId)).map((e) => e.id));
	const answer = await n8n.callWebhook(webhookPath, { body: {}, registerTimeoutMs: 60_000 });
	if (answer.status !== 200)
		throw new Error(`webhook ${webhookPath} answered ${answer.status}: ${answer.text}`);
	let id = '';
	await waitFor(
		`the execution started by webhook ${webhookPath}`,
		async () => {
			const fresh = (await n8n.listExecutions(workflowId)).find((e) => !known.has(e.id));
			id = fresh?.id ?? '';
			return !!fresh;
		},
		{ timeoutMs: 30_000, intervalMs: 200 },
	);
	return id;
}

/** The execution's status once it is over (undefined while new/running/waiting). */
async function endedStatus(n8n: N8nInstance, executionId: string): Promise<string | undefined> {
	const { status } = await n8n.getExecution(executionId);
	return isExecutionOver(status) ? status : undefined;
}

async function contender(
	n8n: N8nInstance,
	label: string,
	workflow: Parameters<N8nInstance['importWorkflow']>[0],
	rand: () => number,
	callCount: () => number,
	upsertNode?: string,
): Promise<{ attempts: Attempt[]; rerun: RerunReport; kills: CrashOutcome[] }> {
	const id = await n8n.importWorkflow(workflow);
	await n8n.publishWorkflow(id);
	const webhookPath = `chaos-${label}`;
	const attempts: Attempt[] = [];
	const kills: CrashOutcome[] = [];
	for (let k = 1; k <= KILLS; k++) {
		const [min, max] = KILL_WINDOWS[label][Math.min(k, 2) - 1];
		const killAt = between(rand, min, max);
		const before = callCount();
		const executionId = await startRun(n8n, id, webhookPath);
		const crash = await crashMainAt(
			n8n,
			callCount,
			killAt,
			() => endedStatus(n8n, executionId),
			RUN_TIMEOUT_MS,
		);
		kills.push(crash);
		console.error(`[chaos] ${label} run ${k}: kill at ${killAt} → ${JSON.stringify(crash)}`);
		// What n8n made of the cut-off run once it was up again (2.40.5 marks it crashed).
		const after = crash.killed ? ((await endedStatus(n8n, executionId)) ?? 'still running') : '';
		attempts.push({
			what: `run ${k}, kill at Xero call ${killAt}`,
			status: crash.killed
				? `main SIGKILLed after ${crash.callsAtKill} calls, up again in ${crash.restartSeconds} s, execution ${after}`
				: `finished first (${crash.finishedFirst}), ${callCount() - before} calls`,
		});
	}
	const before = callCount();
	const executionId = await startRun(n8n, id, webhookPath);
	let status: string | undefined;
	await waitFor(
		`the ${label} rerun to end`,
		async () => !!(status = await endedStatus(n8n, executionId)),
		{ timeoutMs: RUN_TIMEOUT_MS, process: n8n.main, intervalMs: 1000 },
	);
	const report = await readRun(n8n, executionId, upsertNode);
	attempts.push({
		what: 'rerun',
		status: `execution ${status}${report.runError ? ` (${report.runError})` : ''}, ${callCount() - before} Xero calls`,
	});
	await n8n.unpublishWorkflow(id);
	return { attempts, rerun: report, kills };
}

/** One stored execution: status, the upsert's outputs, the run's error. */
async function readRun(
	n8n: N8nInstance,
	executionId: string,
	upsertNode?: string,
): Promise<RerunReport> {
	const { run, status } = await n8n.getExecution(executionId);
	const error = run.data?.resultData?.error;
	const report: RerunReport = {
		status,
		runFailed: status === 'error' || status === 'crashed',
		runError: error ? `${error.node?.name ?? ''}: ${error.message ?? ''}` : undefined,
	};
	const runs = upsertNode ? run.data?.resultData?.runData?.[upsertNode] : undefined;
	const main = runs?.[runs.length - 1]?.data?.main;
	if (main) {
		report.written = main[0]?.length ?? 0;
		report.errorItems = [];
		report.errorKinds = {};
		for (const item of main[1] ?? []) {
			const json = item.json as { error?: string; details?: { invoiceNumber?: string } };
			report.errorItems.push(String(json.details?.invoiceNumber ?? ''));
			const kind = String(json.error ?? '').replace(/CS-\d+/g, 'CS-…');
			report.errorKinds[kind] = (report.errorKinds[kind] ?? 0) + 1;
		}
	}
	return report;
}

/** Items not in Xero that the rerun did not report (not on the error output, and the run did not fail). */
function silentlyLost(outcome: Outcome, rerun: RerunReport): number {
	if (rerun.runFailed) return 0;
	const reported = new Set(rerun.errorItems ?? []);
	return outcome.missing.filter((number) => !reported.has(number)).length;
}

interface InvoiceResult {
	label: string;
	attempts: Attempt[];
	rerun: RerunReport;
	outcome: Outcome;
}

function invoiceReport(results: InvoiceResult[]): string {
	const rows: Array<[string, (r: InvoiceResult) => string]> = [
		['Xero calls (all attempts)', (r) => String(r.outcome.calls)],
		['injected faults hit', (r) => String(r.outcome.faults)],
		['429 responses', (r) => String(r.outcome.rateLimited)],
		['not in Xero after the rerun', (r) => String(r.outcome.failedItems)],
		[
			'… reported by the rerun (error output / failed run)',
			(r) => String(r.outcome.failedItems - silentlyLost(r.outcome, r.rerun)),
		],
		[
			'**lost silently** (not in Xero, not reported)',
			(r) => `**${silentlyLost(r.outcome, r.rerun)}**`,
		],
		['stale (edit not applied)', (r) => String(r.outcome.wrongContent)],
		['**duplicates**', (r) => `**${r.outcome.duplicates}**`],
		[
			'rerun: items written / on the error output',
			(r) =>
				r.rerun.written === undefined
					? `run ${r.rerun.status}`
					: `${r.rerun.written} / ${r.rerun.errorItems?.length ?? 0}`,
		],
	];
	const head = `| | ${results.map((r) => r.label).join(' | ')} |\n|---|${results.map(() => '---:').join('|')}|`;
	const body = rows.map(([name, cell]) => `| ${name} | ${results.map(cell).join(' | ')} |`);
	const attempts = results
		.map((r) =>
			[
				`- ${r.label}: ${r.attempts.map((a) => `${a.what} → ${a.status}`).join('; ')}`,
				r.rerun.errorKinds && Object.keys(r.rerun.errorKinds).length
					? `  - rerun error output: ${JSON.stringify(r.rerun.errorKinds)}`
					: '',
				`  - calls by endpoint → status: ${JSON.stringify(r.outcome.byEndpoint)}`,
			]
				.filter(Boolean)
				.join('\n'),
		)
		.join('\n');
	return [head, ...body, '', attempts].join('\n');
}

async function main() {
	const withInvoices = PART === 'all' || PART === 'invoices';
	const withPayments = PART === 'all' || PART === 'payments';
	const withTwoWay = PART === 'all' || PART === 'two-way';
	let clean = true;
	const withBuiltin = withInvoices && !OURS_ONLY;
	if (withBuiltin) enterXeroNamespace();
	const deadline = setTimeout(() => {
		console.error('chaos: 30-minute bound reached, stopping');
		process.exit(2);
	}, 30 * 60_000);
	deadline.unref();

	const xero = await startXeroSandbox({ log: () => {}, timeScale: SCALE });
	let commusoft: RunningCommusoftSandbox | undefined;
	let front: XeroTlsFront | undefined;
	let n8n: N8nInstance | undefined;
	let stopFaults = () => {};
	const faults = () => startFaults(xero, { seed: SEED, scale: SCALE, sticky: STICKY_429 });
	try {
		const work = makeWorkload(INVOICES, CUSTOMERS, EXISTING);
		const oursTenant = xero.addTenant('Chaos Ours Plumbing Ltd', 'empty');
		const builtinTenant = xero.addTenant('Chaos Built-in Plumbing Ltd', 'empty');
		const paymentsTenant = xero.addTenant('Chaos Payments Plumbing Ltd', 'empty');
		const twoWayTenant = xero.addTenant('Chaos Two-way Plumbing Ltd', 'empty');
		let contactIds = new Map<string, string>();
		if (withInvoices) {
			await seedTenant(xero, oursTenant, work);
			contactIds = await seedTenant(xero, builtinTenant, work);
		}
		({ n8n, front } = await startBenchN8n(xero, withBuiltin));
		const creds = credentials(xero, [oursTenant, builtinTenant, paymentsTenant, twoWayTenant]);
		const imported = [creds.ours, ...(withBuiltin ? [creds.builtin] : [])];
		if (withPayments || withTwoWay) {
			commusoft = await startCommusoftSandbox({ seed: true });
			imported.push(commusoftCredential({ commusoftUrl: commusoft.url } as RunningSandbox));
		}
		await n8n.importCredentials(imported);

		const rand = random(SEED);
		const sections: string[] = [];
		if (withInvoices) {
			const since = Date.now();
			stopFaults = faults();
			const results: InvoiceResult[] = [];
			const contenders = [
				...(BUILTIN_ONLY
					? []
					: [
							{
								label: 'ours',
								tenant: oursTenant,
								workflow: oursWorkflow(work, oursTenant, SCALE, { webhookPath: 'chaos-ours' }),
								upsertNode: 'Upsert',
							},
						]),
				...(withBuiltin
					? [
							{
								label: 'built-in',
								tenant: builtinTenant,
								workflow: builtinWorkflow(work, builtinTenant, contactIds, {
									webhookPath: 'chaos-built-in',
								}),
								upsertNode: undefined,
							},
						]
					: []),
			];
			for (const c of contenders) {
				const result = await contender(
					n8n,
					c.label,
					c.workflow,
					rand,
					() => xero.calls().filter((call) => call.tenantId === c.tenant).length,
					c.upsertNode,
				);
				results.push({ label: c.label, ...result, outcome: outcome(xero, c.tenant, work, since) });
			}
			stopFaults();
			sections.push(
				[
					`## Invoices: ${INVOICES} × 3 lines, ${CUSTOMERS} customers, ${Math.round(INVOICES * EXISTING)} already in Xero (half edited since)`,
					'',
					`Per contender: ${KILLS} runs started by webhook on n8n's main, the main SIGKILLed at a Xero call drawn within the run and started again, then one rerun.`,
					'',
					invoiceReport(results),
				].join('\n'),
			);
		}
		if (withPayments && commusoft) {
			const result = await paymentChaos({
				n8n,
				xero,
				commusoft,
				tenantId: paymentsTenant,
				rand,
				payments: PAYMENTS,
				waves: 4,
				kills: KILLS,
				startFaults: faults,
				log: (line) => console.error(`[chaos] ${line}`),
			});
			sections.push(
				[
					`## Payments: ${PAYMENTS} payments of Commusoft invoices through the Xero Payment Trigger`,
					'',
					paymentReport(result, 4),
				].join('\n'),
			);
		}

		if (withTwoWay && commusoft) {
			const result = await twoWayChaos({
				n8n,
				xero,
				commusoft,
				tenantId: twoWayTenant,
				rand,
				payments: TWO_WAY_PAYMENTS,
				waves: 4,
				startFaults: faults,
				log: (line) => console.error(`[chaos] ${line}`),
			});
			clean = twoWayClean(result);
			sections.push(
				[
					`## Two-way payments: ${TWO_WAY_PAYMENTS} entered in Commusoft + ${TWO_WAY_PAYMENTS} in Xero, templates 02 and 07 published together`,
					'',
					twoWayReport(result, SEED, 4),
				].join('\n'),
			);
		}

		const text = [
			`Chaos, seed ${SEED}: one n8n 2.40.5, Xero sandbox minute scaled 1/${SCALE}.`,
			`Faults on 10% of Xero API calls (3% 500, 3% 503, 2% dropped connection, 2% never answered) plus 5 × 429 every 3 s (${STICKY_429 ? 'sticky: a burst lasts until 5 calls got their 429' : 'each burst over after its Retry-After, 1 scaled minute'}).`,
			'',
			...sections.flatMap((section) => [section, '']),
		].join('\n');
		console.log(`\n${text}`);
		const report = `# npm run chaos — ${new Date().toISOString()}\n\n${text}`;
		writeResult('chaos-latest.md', report);
		if (PART === 'all') writeResult(`chaos-seed-${SEED}.md`, report);
		return clean;
	} finally {
		stopFaults();
		await n8n?.stop();
		await front?.close();
		await commusoft?.close();
		await xero.close();
	}
}

main().then(
	(clean) => {
		if (!clean) console.error('chaos: payments duplicated, missing or looped back (see the table)');
		process.exit(clean ? 0 : 1);
	},
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
