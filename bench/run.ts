/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// `npm run bench`: our Invoice → Upsert against what a user builds with n8n's built-in Xero node, on the same
// work in ONE real n8n 2.40.5 (our packed package installed as a community package), against one Xero sandbox
// enforcing 60 calls a minute and 5 concurrent per organisation, time-scaled. Each contender gets its own
// organisation with the same set-up. Prints one table (ratios and counts) and writes bench/results/latest.md.
//
//   npm run bench [-- --invoices 1000 --customers 200 --existing 0.1 --scale 60 --ours-only]
//
// The built-in node calls https://api.xero.com and https://identity.xero.com, so the run re-executes itself in
// a private mount namespace (root) whose /etc/hosts sends those hosts to a local TLS proxy in front of the
// sandbox (bench/tls/xeroFront.ts). Nothing outside that namespace changes. Bounded: each workflow gets at most
// 6 minutes, then the run stops everything it started.

import { startXeroSandbox } from '../sandbox/xero/server';
import type { N8nInstance, RunData } from '../test/e2e/harness/core';
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
const OURS_ONLY = process.argv.includes('--ours-only');
const WORKFLOW_TIMEOUT_MS = 6 * 60_000;

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

function table(rows: Row[]): string {
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
	return [head, ...body].join('\n');
}

async function main() {
	if (!OURS_ONLY) enterXeroNamespace();
	const deadline = setTimeout(() => {
		console.error('bench: 15-minute bound reached, stopping');
		process.exit(2);
	}, 15 * 60_000);
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

		({ n8n, front } = await startBenchN8n(xero, !OURS_ONLY));
		const creds = credentials(xero, [oursTenant, builtinTenant]);
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
		const text = `${header}\n\n${table(rows)}\n\n${detail}\n${rejected}`;
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
