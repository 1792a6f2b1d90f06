// Small runs and concurrent executions for `npm run bench` (bench/README.md "Small runs and concurrent
// executions"). Both run on n8n's long-running main, started by production webhooks, as a trigger-driven
// workflow does in production: what the node keeps in process memory between executions (organisation
// settings, the shared per-organisation limiter) is in play, as it would be there.
import type { XeroSandbox } from '../../sandbox/xero/server';
import type { N8nInstance } from '../../test/e2e/harness/core';
import { isExecutionOver, waitFor } from '../../test/e2e/harness/core';
import { customer, invoice } from './invoiceFixtures';
import {
	builtinItems,
	builtinWorkflow,
	fedByWebhookBody,
	makeWorkload,
	oursWorkflow,
	seedTenant,
} from '../workload';

/** One small-run scenario: what it sends, and the fewest calls any client could do it in. */
export interface SmallScenario {
	label: string;
	invoices: number;
	newContact: boolean;
	/** invoice writes (batches of 50) + contact writes + 1 contact read (the invoice names the customer by
	 * its Commusoft account reference; Xero has to be asked once which contact that is) */
	floor: number;
}

export const SMALL_SCENARIOS: SmallScenario[] = [
	{ label: '1 invoice, known contact', invoices: 1, newContact: false, floor: 2 },
	{ label: '1 invoice, new contact', invoices: 1, newContact: true, floor: 3 },
	{ label: '5 invoices', invoices: 5, newContact: false, floor: 2 },
	{ label: '50 invoices', invoices: 50, newContact: false, floor: 2 },
];

export interface SmallResult {
	scenario: SmallScenario;
	/** Xero calls of the measured execution (undefined: not measured for this contender) */
	calls?: number;
	status?: string;
	byEndpoint?: Record<string, number>;
}

/** Calls the workflow's webhook with `{ items }` and waits until the execution it started is over. */
async function runByWebhook(
	n8n: N8nInstance,
	workflowId: string,
	webhookPath: string,
	items: unknown[],
	timeoutMs = 10 * 60_000,
): Promise<{ status: string; wallMs: number; id: string }> {
	const known = new Set((await n8n.listExecutions(workflowId)).map((e) => e.id));
	const answer = await n8n.callWebhook(webhookPath, {
		body: { items },
		registerTimeoutMs: 60_000,
	});
	if (answer.status !== 200)
		throw new Error(`webhook ${webhookPath} answered ${answer.status}: ${answer.text}`);
	let status = '';
	let wallMs = 0;
	let id = '';
	await waitFor(
		`the execution started by webhook ${webhookPath}`,
		async () => {
			const fresh = (await n8n.listExecutions(workflowId)).find(
				(e) => !known.has(e.id) && isExecutionOver(e.status),
			);
			if (!fresh) return false;
			status = fresh.status;
			id = fresh.id;
			wallMs = fresh.stoppedAt ? Date.parse(fresh.stoppedAt) - Date.parse(fresh.startedAt) : 0;
			return true;
		},
		{ timeoutMs, intervalMs: 100 },
	);
	return { status, wallMs, id };
}

function callsSince(xero: XeroSandbox, tenantId: string, index: number) {
	return xero
		.calls()
		.slice(index)
		.filter((c) => c.tenantId === tenantId);
}

function byEndpoint(calls: ReturnType<XeroSandbox['calls']>): Record<string, number> {
	const out: Record<string, number> = {};
	for (const c of calls) {
		const key = `${c.endpoint} → ${c.status}`;
		out[key] = (out[key] ?? 0) + 1;
	}
	return out;
}

/** The organisations the small runs and the concurrent part use (the bench's credentials must reach them). */
export function addExtraTenants(xero: XeroSandbox) {
	return {
		smallOurs: xero.addTenant('Bench Small Ours Ltd', 'empty'),
		smallBuiltin: xero.addTenant('Bench Small Built-in Ltd', 'empty'),
		concurrent: xero.addTenant('Bench Concurrent Ltd', 'empty'),
	};
}

/**
 * Each contender in its own organisation (60 customers already contacts, no invoices): one warm-up execution
 * (the first in the process; ours reads the organisation's settings there), then each scenario once, counting
 * the Xero calls of that execution alone.
 */
export async function smallRuns(
	n8n: N8nInstance,
	xero: XeroSandbox,
	opts: { scale: number; withBuiltin: boolean; oursTenant: string; builtinTenant: string },
): Promise<{ ours: SmallResult[]; builtin: SmallResult[]; oursFirst: number }> {
	const { oursTenant, builtinTenant } = opts;
	const work = makeWorkload(0, 60, 0);
	await seedTenant(xero, oursTenant, work);
	const contactIds = await seedTenant(xero, builtinTenant, work);

	const oursFlow = fedByWebhookBody(
		oursWorkflow(work, oursTenant, opts.scale, { webhookPath: 'bench-small-ours' }),
	);
	const oursId = await n8n.importWorkflow({ ...oursFlow, name: 'bench: small runs, ours' });
	await n8n.publishWorkflow(oursId);
	let builtinId = '';
	if (opts.withBuiltin) {
		const flow = fedByWebhookBody(
			builtinWorkflow(work, builtinTenant, contactIds, { webhookPath: 'bench-small-builtin' }),
		);
		builtinId = await n8n.importWorkflow({ ...flow, name: 'bench: small runs, built-in' });
		await n8n.publishWorkflow(builtinId);
	}

	let next = 5000;
	const invoicesFor = (scenario: SmallScenario) =>
		Array.from({ length: scenario.invoices }, (_, k) =>
			invoice(
				next++,
				scenario.newContact ? customer(1000 + next) : work.customers[k % work.customers.length],
			),
		);

	const ours: SmallResult[] = [];
	const builtin: SmallResult[] = [];
	// Warm-up: the first execution in the process (not a scenario).
	let mark = xero.calls().length;
	await runByWebhook(n8n, oursId, 'bench-small-ours', invoicesFor(SMALL_SCENARIOS[0]));
	const oursFirst = callsSince(xero, oursTenant, mark).length;
	for (const scenario of SMALL_SCENARIOS) {
		const input = invoicesFor(scenario);
		mark = xero.calls().length;
		const run = await runByWebhook(n8n, oursId, 'bench-small-ours', input);
		const calls = callsSince(xero, oursTenant, mark);
		ours.push({ scenario, calls: calls.length, status: run.status, byEndpoint: byEndpoint(calls) });
		if (!opts.withBuiltin || scenario.newContact) {
			// The built-in flow is handed ContactIDs; a new customer needs a contact step it does not have.
			builtin.push({ scenario });
			continue;
		}
		mark = xero.calls().length;
		const b = await runByWebhook(
			n8n,
			builtinId,
			'bench-small-builtin',
			builtinItems(input, contactIds),
		);
		const bCalls = callsSince(xero, builtinTenant, mark);
		builtin.push({
			scenario,
			calls: bCalls.length,
			status: b.status,
			byEndpoint: byEndpoint(bCalls),
		});
	}
	await n8n.unpublishWorkflow(oursId);
	if (builtinId) await n8n.unpublishWorkflow(builtinId);
	return { ours, builtin, oursFirst };
}

export interface ConcurrentResult {
	executions: number;
	invoicesEach: number;
	latencyMs: number;
	calls: number;
	rateLimited: number;
	/** first call to last answer, seconds */
	xeroSpanMs: number;
	/** first execution start to last execution end */
	wallMs: number;
	/** max(calls ÷ 60 per minute, calls × latency ÷ 5 in flight) */
	floorMs: number;
	statuses: string[];
	failedItems: number;
	/** invoices in Xero more than once (same number), and contacts more than once (same account number) */
	duplicates: number;
	/** execution ids, in the order of the executions */
	executionIds: string[];
	byEndpoint: Record<string, number>;
}

/**
 * K executions at once into one organisation, each with its own invoices, Xero answering each call after
 * `latencyMs`, at Xero's real minute (the sandbox's time scale is set to 1 for this part and put back after).
 */
export async function concurrentRuns(
	n8n: N8nInstance,
	xero: XeroSandbox,
	opts: {
		executions: number;
		invoicesEach: number;
		latencyMs: number;
		scale: number;
		tenantId: string;
	},
): Promise<ConcurrentResult> {
	const customers = 200;
	const work = makeWorkload(0, customers, 0);
	const { tenantId } = opts;
	await seedTenant(xero, tenantId, work);
	const flows: Array<{ id: string; path: string; items: unknown[] }> = [];
	for (let k = 0; k < opts.executions; k++) {
		const path = `bench-concurrent-${k}`;
		const flow = fedByWebhookBody(
			oursWorkflow(work, tenantId, 1, { webhookPath: path }), // Xero's real minute
		);
		const id = await n8n.importWorkflow({ ...flow, name: `bench: concurrent ${k + 1}` });
		await n8n.publishWorkflow(id);
		const items = Array.from({ length: opts.invoicesEach }, (_, n) =>
			invoice(10_000 + k * opts.invoicesEach + n, work.customers[n % customers]),
		);
		flows.push({ id, path, items });
	}
	xero.setTimeScale(1);
	xero.advanceClock(61_000); // set-up calls fall in an earlier window
	const previousFaults = xero.getFaults();
	xero.setFaults({ latencyMs: opts.latencyMs });
	const mark = xero.calls().length;
	const started = Date.now();
	let runs: Array<{ status: string; wallMs: number; id: string }>;
	try {
		runs = await Promise.all(
			flows.map(async (f) => await runByWebhook(n8n, f.id, f.path, f.items)),
		);
	} finally {
		xero.setFaults(previousFaults);
		xero.setTimeScale(opts.scale);
	}
	const wallMs = Date.now() - started;
	for (const f of flows) await n8n.unpublishWorkflow(f.id);
	const calls = callsSince(xero, tenantId, mark);
	const first = calls.length ? Math.min(...calls.map((c) => c.at)) : 0;
	const last = calls.length ? Math.max(...calls.map((c) => c.at + c.ms)) : 0;
	const state = xero.state(tenantId);
	const liveNumbers = state.invoices
		.filter((i) => i.Status !== 'DELETED' && i.Status !== 'VOIDED')
		.map((i) => i.InvoiceNumber);
	const numbers = new Set(liveNumbers);
	const contactKeys = state.contacts
		.filter((c) => c.ContactStatus !== 'ARCHIVED')
		.map((c) => String(c.ContactNumber ?? c.Name));
	const failedItems = flows
		.flatMap((f) => f.items as Array<{ invoiceNumber: string }>)
		.filter((i) => !numbers.has(i.invoiceNumber)).length;
	const limits = xero.getLimits();
	return {
		executions: opts.executions,
		invoicesEach: opts.invoicesEach,
		latencyMs: opts.latencyMs,
		calls: calls.length,
		rateLimited: calls.filter((c) => c.status === 429).length,
		xeroSpanMs: last - first,
		wallMs,
		floorMs: Math.max(
			(calls.length / limits.perTenantMinute) * 60_000,
			(calls.length * opts.latencyMs) / limits.perTenantConcurrent,
		),
		statuses: runs.map((r) => r.status),
		failedItems,
		duplicates:
			liveNumbers.length - numbers.size + (contactKeys.length - new Set(contactKeys).size),
		executionIds: runs.map((r) => r.id),
		byEndpoint: byEndpoint(calls),
	};
}
