/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// `npm run bench`: our Invoice → Upsert against what a user builds with n8n's built-in Xero node, on the same
// work in ONE real n8n 2.40.5 (our packed package installed as a community package), against one Xero sandbox
// enforcing 60 calls a minute and 5 concurrent per organisation, time-scaled. Each contender gets its own
// organisation with the same set-up. Prints one table (ratios and counts) and writes bench/results/latest.md.
//
//   npm run bench [-- --invoices 1000 --customers 200 --existing 0.1 --scale 60 --ours-only]
//                 [--concurrent 4 --concurrent-invoices 1000 --latency 400 --no-small --no-concurrent]
//                 [--credit-notes 1000 --no-credit-notes]
//                 [--queue 4 --queue-invoices 250 --no-queue]
//                 [--firm-invoices 60 --firm-payments 40 --firm-edits 30 --no-firm-day]
//
// After the 1,000-invoice sync, the same table gains small runs (1, 5 and 50 invoices per execution, against
// the fewest calls any client needs) and K executions at once into one organisation (Xero answering each
// call after --latency ms, at Xero's real minute); both on n8n's long-running main (bench/lib/smallRuns.ts).
// Then the same K executions in a second n8n in queue mode, main + 2 workers (bench/lib/queueMode.ts), and a
// firm's day: the bundled templates' flows in-process through n8n-core over a simulated day, every Xero call
// counted by flow against Xero's 5,000 a day (bench/lib/firmDay.ts).
//
// The built-in node calls https://api.xero.com and https://identity.xero.com, so the run re-executes itself in
// a private mount namespace (root) whose /etc/hosts sends those hosts to a local TLS proxy in front of the
// sandbox (bench/tls/xeroFront.ts). Nothing outside that namespace changes. Bounded: each workflow gets at most
// 6 minutes, then the run stops everything it started.

import { startXeroSandbox } from '../sandbox/xero/server';
import type { N8nInstance, RunData } from '../test/e2e/harness/core';
import { paymentRun, type PaymentRunResult } from './lib/paymentRuns';
import { creditNoteRun, type CreditNoteResult } from './lib/creditNotes';
import { writeResult } from './lib/results';
import {
	addExtraTenants,
	concurrentRuns,
	smallRuns,
	type ConcurrentResult,
	type SmallResult,
} from './lib/smallRuns';
import type { FirmDayResult } from './lib/firmDay';
import { queueModeRun, type QueueModeResult } from './lib/queueMode';
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
const OURS_ONLY = process.argv.includes('--ours-only');
const WORKFLOW_TIMEOUT_MS = 6 * 60_000;
const SMALL = !process.argv.includes('--no-small');
const CONCURRENT = process.argv.includes('--no-concurrent') ? 0 : arg('concurrent', 4);
const CONCURRENT_INVOICES = arg('concurrent-invoices', 1000);
const LATENCY_MS = arg('latency', 400);
const PAYMENTS = process.argv.includes('--no-payments') ? 0 : arg('payments', 300);
const CREDIT_NOTES = process.argv.includes('--no-credit-notes') ? 0 : arg('credit-notes', 1000);
const QUEUE = process.argv.includes('--no-queue') ? 0 : arg('queue', 4);
const QUEUE_INVOICES = arg('queue-invoices', 250);
const FIRM_DAY = !process.argv.includes('--no-firm-day');

interface Row extends Outcome {
	label: string;
	wallMs: number;
	floorMs: number;
	status: string;
	error?: string;
}

function wallTime(run: RunData | undefined, fallbackMs: number): number {
	const r = run as unknown as { startedAt?: string; stoppedAt?: string } | undefined;
	if (r?.startedAt && r.stoppedAt) return Date.parse(r.stoppedAt) - Date.parse(r.startedAt);
	return fallbackMs;
}

async function runOne(
	n8n: N8nInstance,
	label: string,
	workflow: Parameters<N8nInstance['importWorkflow']>[0],
	measure: (since: number) => Outcome,
	perMinute: number,
): Promise<Row> {
	const id = await n8n.importWorkflow(workflow);
	const since = Date.now();
	const started = performance.now();
	const run = await n8n
		.executeWorkflow(id, { timeoutMs: WORKFLOW_TIMEOUT_MS, allowFailure: true })
		.catch((error: Error) => {
			console.error(`${label}: ${error.message.split('\n').slice(0, 6).join('\n')}`);
			return undefined;
		});
	const wallMs = wallTime(run, performance.now() - started);
	const result = measure(since);
	return {
		label,
		...result,
		wallMs,
		floorMs: (result.calls / perMinute) * (60_000 / SCALE),
		status: run?.status ?? 'no result (timed out or crashed)',
		error: run?.data?.resultData?.error
			? `${run.data.resultData.error.node?.name ?? ''}: ${run.data.resultData.error.message ?? ''} ${String(run.data.resultData.error.description ?? '')}`.slice(
					0,
					300,
				)
			: undefined,
	};
}

interface Extra {
	small?: { ours: SmallResult[]; builtin: SmallResult[]; oursFirst: number };
	concurrent?: ConcurrentResult;
	payments?: PaymentRunResult;
	creditNotes?: CreditNoteResult;
	queue?: QueueModeResult;
	firmDay?: FirmDayResult;
}

const percent = (part: number, whole: number) =>
	`${((100 * part) / Math.max(1, whole)).toFixed(1)}%`;

/** Rows for the small runs and the concurrent executions, in the main table's columns. */
function extraRows(extra: Extra, withBuiltin: boolean): string[] {
	const rows: string[] = [];
	const cell = (r: SmallResult | undefined) =>
		r?.calls === undefined
			? '—'
			: `${r.calls} (${(r.calls / r.scenario.floor).toFixed(2)}× floor)${r.status && r.status !== 'success' ? ` ${r.status}` : ''}`;
	if (extra.small) {
		const { ours, builtin, oursFirst } = extra.small;
		ours.forEach((o, i) => {
			const b = builtin[i];
			const ratio = b?.calls !== undefined && o.calls ? `${(b.calls / o.calls).toFixed(2)}×` : '';
			rows.push(
				withBuiltin
					? `| small run: ${o.scenario.label}, Xero calls per execution (floor ${o.scenario.floor}) | ${cell(o)} | ${cell(b)} | ${ratio} |`
					: `| small run: ${o.scenario.label}, Xero calls per execution (floor ${o.scenario.floor}) | ${cell(o)} |`,
			);
		});
		rows.push(
			withBuiltin
				? `| small run: first execution in the process (1 invoice; settings read) | ${oursFirst} | — | |`
				: `| small run: first execution in the process (1 invoice; settings read) | ${oursFirst} |`,
		);
	}
	const cn = extra.creditNotes;
	if (cn) {
		const label = `credit notes: ${cn.count} credit notes (Credit Note → Create or Update)`;
		const values: Array<[string, string]> = [
			[`${label}: Xero calls`, String(cn.calls)],
			[`${label}: credit notes per Xero call`, (cn.count / Math.max(1, cn.calls)).toFixed(1)],
			[
				`${label}: failed; stale; duplicates; execution status`,
				`${cn.failedItems}; ${cn.wrongContent}; ${cn.duplicates}; ${cn.status}`,
			],
		];
		for (const [name, value] of values)
			rows.push(withBuiltin ? `| ${name} | ${value} | — | |` : `| ${name} | ${value} |`);
	}
	const c = extra.concurrent;
	if (c) {
		const label = `concurrent: ${c.executions} executions × ${c.invoicesEach} invoices into one organisation, ${c.latencyMs} ms latency`;
		const values: Array<[string, string]> = [
			[`${label}: Xero calls`, String(c.calls)],
			[
				`${label}: answered 429`,
				`${c.rateLimited} (${((100 * c.rateLimited) / Math.max(1, c.calls)).toFixed(1)}%)`,
			],
			[`${label}: wall / floor (first call to last answer)`, (c.xeroSpanMs / c.floorMs).toFixed(2)],
			[`${label}: wall / floor (whole executions)`, (c.wallMs / c.floorMs).toFixed(2)],
			[
				`${label}: failed items; execution status`,
				`${c.failedItems}; ${[...new Set(c.statuses)].join(', ')}`,
			],
		];
		for (const [name, value] of values)
			rows.push(withBuiltin ? `| ${name} | ${value} | — | |` : `| ${name} | ${value} |`);
	}
	const q = extra.queue;
	if (q) {
		const label = `queue mode (main + ${q.workers} workers): ${q.executions} executions × ${q.invoicesEach} invoices into one organisation, ${q.latencyMs} ms latency`;
		const values: Array<[string, string]> = [
			[
				`${label}: Xero calls; answered 429 (target ≤ 5%)`,
				`${q.calls}; ${q.rateLimited} (${percent(q.rateLimited, q.calls)})`,
			],
			[`${label}: lost (not in Xero); duplicates`, `${q.failedItems}; ${q.duplicates}`],
			[`${label}: wall / floor (first call to last answer)`, (q.xeroSpanMs / q.floorMs).toFixed(2)],
			[
				`${label}: executions per worker; execution status`,
				`${q.perWorker.join(' + ')}; ${[...new Set(q.statuses)].join(', ')}`,
			],
		];
		for (const [name, value] of values)
			rows.push(withBuiltin ? `| ${name} | ${value} | — | |` : `| ${name} | ${value} |`);
	}
	const f = extra.firmDay;
	if (f) {
		const o = f.options;
		const label = `a firm's day (${o.invoices} invoices, ${o.paymentsEachWay} payments each way, ${o.customerEdits} customer edits; templates at their shipped intervals)`;
		const same = f.flows.filter((t) => t.builtin !== undefined);
		const oursSame = same.reduce((n, t) => n + t.xeroCalls, 0);
		const builtinSame = same.reduce((n, t) => n + (t.builtin ?? 0), 0);
		const sameRatio = oursSame ? `${(builtinSame / oursSame).toFixed(2)}×` : '';
		rows.push(
			withBuiltin
				? `| ${label}: Xero calls in the day (target ≤ 10% of ${XERO_DAILY}) | ${f.total} (${percent(f.total, XERO_DAILY)}) | — | |`
				: `| ${label}: Xero calls in the day (target ≤ 10% of ${XERO_DAILY}) | ${f.total} (${percent(f.total, XERO_DAILY)}) |`,
		);
		rows.push(
			withBuiltin
				? `| ${label}: Xero calls of the flows the built-in node can do (${same.map((t) => t.flow.slice(0, 2)).join(', ')}; built-in modelled per item) | ${oursSame} | ${builtinSame} | ${sameRatio} |`
				: `| ${label}: Xero calls of the flows the built-in node can do (${same.map((t) => t.flow.slice(0, 2)).join(', ')}); built-in modelled per item: ${builtinSame} | ${oursSame} |`,
		);
	}
	const p = extra.payments;
	if (p) {
		const label = `payments: ${p.payments} on-site payments → Xero (Payment → Create)`;
		const values: Array<[string, string]> = [
			[`${label}: Xero write calls (target ≤ 10)`, `${p.writes} (${p.calls} calls in all)`],
			[
				`${label}: Xero payments per Commusoft payment after a re-run; re-run writes`,
				`${p.perPayment[0] === p.perPayment[1] ? p.perPayment[0] : p.perPayment.join('–')}; ${p.rerunWrites}`,
			],
			[`${label}: execution status (run; re-run)`, `${p.status}; ${p.rerunStatus}`],
		];
		for (const [name, value] of values)
			rows.push(withBuiltin ? `| ${name} | ${value} | — | |` : `| ${name} | ${value} |`);
	}
	return rows;
}

/** Xero's daily call limit per organisation (developer.xero.com/documentation/guides/oauth2/limits). */
const XERO_DAILY = 5000;

/** The firm's day by flow: polls, runs, items, Xero calls (idle polls' share), the built-in node's. */
function firmDayTable(f: FirmDayResult): string {
	const head =
		'| flow | when | polls or runs | polls that started a run | items | Xero calls | of which idle polls | built-in Xero node (modelled) |\n|---|---|---:|---:|---:|---:|---:|---:|';
	const body = f.flows.map(
		(t) =>
			`| ${t.flow} | ${t.when} | ${t.polls} | ${t.runs} | ${t.items} | ${t.xeroCalls} | ${t.idleCalls} | ${t.builtin ?? '—'} |`,
	);
	const total = `| **total** | | | | | **${f.total}** (${percent(f.total, XERO_DAILY)} of ${XERO_DAILY}) | ${f.flows.reduce((n, t) => n + t.idleCalls, 0)} | |`;
	const detail = f.flows.map((t) => `- ${t.flow}: ${JSON.stringify(t.byEndpoint)}`);
	const checks = `Delivered: ${f.delivered.invoicesInXero} raised Commusoft invoices in Xero at the end of the day, ${f.delivered.paymentsToXero} Commusoft payments in Xero, ${f.delivered.paymentsToCommusoft} Xero payments in Commusoft; 429s: ${f.rateLimited}${f.errors.length ? `; run errors: ${f.errors.join(' | ')}` : ''}`;
	return [
		`A firm's day, by flow (${f.options.invoices} invoices, ${f.options.paymentsEachWay} payments each way, ${f.options.customerEdits} customer edits over ${f.options.workingHours} working hours; polls every 15 minutes around the clock):`,
		'',
		head,
		...body,
		total,
		'',
		...detail,
		'',
		checks,
	].join('\n');
}

function table(rows: Row[], extra: Extra = {}): string {
	const [ours, builtin] = rows;
	const ratio = (a: number, b: number) =>
		b === 0 ? (a === 0 ? '—' : '∞') : `${(a / b).toFixed(2)}×`;
	const lines: Array<[string, (r: Row) => string, (a: Row, b: Row) => string]> = [
		['Xero calls', (r) => String(r.calls), (a, b) => ratio(b.calls, a.calls)],
		[
			'calls per invoice',
			(r) => (r.calls / INVOICES).toFixed(3),
			(a, b) => ratio(b.calls, a.calls),
		],
		['invoices per call', (r) => (INVOICES / Math.max(1, r.calls)).toFixed(1), () => ''],
		['429 responses', (r) => String(r.rateLimited), (a, b) => ratio(b.rateLimited, a.rateLimited)],
		[
			'failed items (missing in Xero)',
			(r) => String(r.failedItems),
			(a, b) => ratio(b.failedItems, a.failedItems),
		],
		[
			'stale items (edit not applied)',
			(r) => String(r.wrongContent),
			(a, b) => ratio(b.wrongContent, a.wrongContent),
		],
		['duplicates', (r) => String(r.duplicates), (a, b) => ratio(b.duplicates, a.duplicates)],
		[
			'wall time / rate-limit floor',
			(r) => (r.floorMs ? (r.wallMs / r.floorMs).toFixed(2) : '—'),
			() => '',
		],
		[
			'wall time in scaled minutes',
			(r) => (r.wallMs / (60_000 / SCALE)).toFixed(1),
			(a, b) => ratio(b.wallMs, a.wallMs),
		],
		['n8n execution status', (r) => r.status, () => ''],
	];
	const head = builtin
		? '| | ours (Invoice → Upsert) | built-in Xero node | built-in ÷ ours |\n|---|---:|---:|---:|'
		: '| | ours (Invoice → Upsert) |\n|---|---:|';
	const body = lines.map(([name, cell, cmp]) =>
		builtin
			? `| ${name} | ${cell(ours)} | ${cell(builtin)} | ${cmp(ours, builtin)} |`
			: `| ${name} | ${cell(ours)} |`,
	);
	return [head, ...body, ...extraRows(extra, !!builtin)].join('\n');
}

function extraDetail(extra: Extra): string {
	const lines: string[] = [];
	if (extra.small)
		for (const [label, list] of [
			['ours', extra.small.ours],
			['built-in', extra.small.builtin],
		] as const)
			for (const r of list)
				if (r.byEndpoint)
					lines.push(`- small run, ${label}, ${r.scenario.label}: ${JSON.stringify(r.byEndpoint)}`);
	if (extra.creditNotes)
		lines.push(
			`- credit notes, ours: calls by endpoint → status ${JSON.stringify(extra.creditNotes.byEndpoint)}`,
		);
	if (extra.concurrent)
		lines.push(
			`- concurrent, ours: calls by endpoint → status ${JSON.stringify(extra.concurrent.byEndpoint)}; floor = max(calls ÷ 60 per minute, calls × latency ÷ 5 in flight) = ${(extra.concurrent.floorMs / 1000).toFixed(1)} s; first call to last answer ${(extra.concurrent.xeroSpanMs / 1000).toFixed(1)} s; whole executions ${(extra.concurrent.wallMs / 1000).toFixed(1)} s`,
		);
	if (extra.queue)
		lines.push(
			`- queue mode, ours: calls by endpoint → status ${JSON.stringify(extra.queue.byEndpoint)}; floor ${(extra.queue.floorMs / 1000).toFixed(1)} s; first call to last answer ${(extra.queue.xeroSpanMs / 1000).toFixed(1)} s; whole executions ${(extra.queue.wallMs / 1000).toFixed(1)} s; main + workers started in ${(extra.queue.startupMs / 1000).toFixed(0)} s`,
		);
	if (extra.payments)
		lines.push(
			`- payments, first execution: calls by endpoint → status ${JSON.stringify(extra.payments.byEndpoint)}`,
		);
	return lines.length ? `${lines.join('\n')}\n` : '';
}

async function main() {
	if (!OURS_ONLY) enterXeroNamespace();
	const deadline = setTimeout(() => {
		console.error('bench: 25-minute bound reached, stopping');
		process.exit(2);
	}, 25 * 60_000);
	deadline.unref();

	const xero = await startXeroSandbox({ log: () => {}, timeScale: SCALE });
	let front: XeroTlsFront | undefined;
	let n8n: N8nInstance | undefined;
	try {
		const limits = xero.getLimits();
		const work = makeWorkload(INVOICES, CUSTOMERS, EXISTING);
		const oursTenant = xero.addTenant('Bench Ours Plumbing Ltd', 'empty');
		const builtinTenant = xero.addTenant('Bench Built-in Plumbing Ltd', 'empty');
		await seedTenant(xero, oursTenant, work);
		const contactIds = await seedTenant(xero, builtinTenant, work);

		const extraTenants = addExtraTenants(xero);
		const paymentsTenant = xero.addTenant('Bench Payments Ltd', 'empty');
		const creditNoteTenant = xero.addTenant('Bench Credit Notes Ltd', 'empty');
		({ n8n, front } = await startBenchN8n(xero, !OURS_ONLY));
		const creds = credentials(xero, [
			oursTenant,
			builtinTenant,
			...Object.values(extraTenants),
			paymentsTenant,
			creditNoteTenant,
		]);
		await n8n.importCredentials(OURS_ONLY ? [creds.ours] : [creds.ours, creds.builtin]);

		// Set-up calls fall in earlier windows: move the sandbox clock on and let the real scaled minute pass.
		xero.advanceClock(Math.ceil(61_000 / SCALE)); // whole ms: Xero dates carry integer ms
		await new Promise((resolve) => setTimeout(resolve, 61_000 / SCALE));

		const rows: Row[] = [];
		rows.push(
			await runOne(
				n8n,
				'ours',
				oursWorkflow(work, oursTenant, SCALE),
				(since) => outcome(xero, oursTenant, work, since),
				limits.perTenantMinute,
			),
		);
		if (!OURS_ONLY)
			rows.push(
				await runOne(
					n8n,
					'built-in',
					builtinWorkflow(work, builtinTenant, contactIds),
					(since) => outcome(xero, builtinTenant, work, since),
					limits.perTenantMinute,
				),
			);

		const extra: Extra = {};
		if (CREDIT_NOTES > 0)
			extra.creditNotes = await creditNoteRun(n8n, xero, {
				count: CREDIT_NOTES,
				customers: CUSTOMERS,
				existingShare: EXISTING,
				scale: SCALE,
				tenantId: creditNoteTenant,
			});
		if (SMALL)
			extra.small = await smallRuns(n8n, xero, {
				scale: SCALE,
				withBuiltin: !OURS_ONLY,
				oursTenant: extraTenants.smallOurs,
				builtinTenant: extraTenants.smallBuiltin,
			});
		if (CONCURRENT > 0)
			extra.concurrent = await concurrentRuns(n8n, xero, {
				executions: CONCURRENT,
				invoicesEach: CONCURRENT_INVOICES,
				latencyMs: LATENCY_MS,
				scale: SCALE,
				tenantId: extraTenants.concurrent,
			});

		if (QUEUE > 0)
			extra.queue = await queueModeRun(xero, {
				executions: QUEUE,
				invoicesEach: QUEUE_INVOICES,
				latencyMs: LATENCY_MS,
				scale: SCALE,
			});
		if (FIRM_DAY) {
			// In-process (n8n-core), loaded only when this row runs.
			const { firmDay } = await import('./lib/firmDay');
			extra.firmDay = await firmDay({
				scale: SCALE,
				invoices: arg('firm-invoices', 60),
				paymentsEachWay: arg('firm-payments', 40),
				customerEdits: arg('firm-edits', 30),
				workingHours: 10,
			});
		}

		if (PAYMENTS > 0)
			extra.payments = await paymentRun(n8n, xero, {
				tenantId: paymentsTenant,
				payments: PAYMENTS,
				scale: SCALE,
			});

		const header = [
			`Invoice sync, ${INVOICES} invoices × 3 lines, ${CUSTOMERS} customers, ${Math.round(INVOICES * EXISTING)} already in Xero (half edited since)`,
			`One n8n 2.40.5, Xero sandbox at ${limits.perTenantMinute} calls/min and ${limits.perTenantConcurrent} concurrent per organisation, minute scaled 1/${SCALE}.`,
			`Rate-limit floor = calls ÷ ${limits.perTenantMinute} per minute. Failed = not in Xero at the end; stale = in Xero without the Commusoft edit.`,
		].join('\n');
		const detail = rows
			.map(
				(r) =>
					`- ${r.label}: calls by endpoint → status ${JSON.stringify(r.byEndpoint)}${r.error ? `; run error: ${r.error}` : ''}`,
			)
			.join('\n');
		const rejected = front?.rejections.length
			? `\nFirst rejections seen by the built-in node:\n${front.rejections.map((r) => `- ${r}`).join('\n')}\n`
			: '';
		const firm = extra.firmDay ? `\n${firmDayTable(extra.firmDay)}\n` : '';
		const text = `${header}\n\n${table(rows, extra)}\n\n${detail}\n${extraDetail(extra)}${firm}${rejected}`;
		console.log(`\n${text}`);
		writeResult('latest.md', `# npm run bench — ${new Date().toISOString()}\n\n${text}`);
	} finally {
		await n8n?.stop();
		await front?.close();
		await xero.close();
	}
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
