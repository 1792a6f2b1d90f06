/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// What the chaos parts (invoices, payments, two-way) share: the seeded randomness, the fault model laid over the
// Xero sandbox, the crash of n8n's main at a point tied to the work in progress (a count of API calls), so a
// kill lands mid-run whatever the machine's speed, another app writing to Xero through the faults, the Commusoft
// invoices with their Xero copies that payments are entered on, and the retry of crashed runs.
import { randomUUID } from 'node:crypto';

import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import { delay, isExecutionOver, waitFor, type N8nInstance } from '../../test/e2e/harness/core';
import { seededRandom } from '../../sandbox/shared/http';
import type { XeroSandbox } from '../../sandbox/xero/server';

/** Seeded PRNG (the sandbox's mulberry32) so a seed replays the same kill points. */
export const random = seededRandom;

/** A whole number drawn evenly from [min, max]. */
export function between(rand: () => number, min: number, max: number): number {
	return min + Math.floor(rand() * (max - min + 1));
}

/**
 * 10% of Xero API calls fail: 3% 500, 3% 503, 2% dropped connection, 2% never answered. A call that never
 * answers is dropped by the server side after 30 s, as a gateway in front of an API does: n8n's built-in
 * Xero node sets no request timeout of its own and would otherwise wait for ever (seen: a run stuck > 5 min).
 */
export const FAULT_RATES = {
	error500Rate: 0.03,
	error503Rate: 0.03,
	resetRate: 0.02,
	timeoutRate: 0.02,
	timeoutHangMs: 30_000,
};

/**
 * 10% faults all along, and every 3 s a burst of up to 5 × 429 on top. A burst 429 says Retry-After: 1 (one
 * scaled minute, like Xero's minute limit, whose Retry-After is when the window resets), so the burst ends
 * after that second: a client that waits as told then gets through, as with Xero. Without the end (the old
 * model, `sticky`) a burst outlives its own Retry-After: one client waiting 1 s per 429 takes 5 s to use up
 * 5 429s while a new burst starts every 3 s, so it meets 429s without end and fails every item it holds.
 * Returns the function that switches the faults off.
 */
export function startFaults(
	xero: XeroSandbox,
	options: { seed: number; scale: number; sticky?: boolean },
): () => void {
	xero.setFaults({ seed: options.seed, ...FAULT_RATES });
	let n = 0;
	let burstEnd: NodeJS.Timeout | undefined;
	const timer = setInterval(() => {
		n++;
		xero.setFaults({ seed: options.seed + n, ...FAULT_RATES, burst429: 5 });
		if (!options.sticky) {
			const seed = options.seed + 1000 + n;
			burstEnd = setTimeout(
				() => xero.setFaults({ seed, ...FAULT_RATES }),
				Math.round(60_000 / options.scale),
			);
		}
	}, 3000);
	return () => {
		clearInterval(timer);
		clearTimeout(burstEnd);
		xero.setFaults({});
	};
}

export interface CrashOutcome {
	/** true: n8n's main was SIGKILLed at the kill point and started again */
	killed: boolean;
	/** calls counted when the kill came (or when the run ended first) */
	callsAtKill: number;
	/** the run finished before its kill point */
	finishedFirst?: string;
	/** seconds the restarted main took to be ready */
	restartSeconds?: number;
}

/**
 * Waits until `progress()` has grown by `killAt` since the call (the run's k-th API call, k drawn per attempt)
 * and then SIGKILLs n8n's main, with its task runners, and starts it again on the same database. `finished()`
 * is asked every second: a run that ends before its kill point is left alone and reported as such.
 */
export async function crashMainAt(
	n8n: N8nInstance,
	progress: () => number,
	killAt: number,
	finished: () => Promise<string | undefined>,
	timeoutMs: number,
): Promise<CrashOutcome> {
	const start = progress();
	const deadline = Date.now() + timeoutMs;
	let lastCheck = Date.now();
	while (Date.now() < deadline) {
		if (progress() - start >= killAt) {
			const callsAtKill = progress() - start;
			const restartedAt = Date.now();
			await n8n.restartMain({ crash: true });
			return {
				killed: true,
				callsAtKill,
				restartSeconds: Math.round((Date.now() - restartedAt) / 100) / 10,
			};
		}
		if (Date.now() - lastCheck >= 1000) {
			lastCheck = Date.now();
			const status = await finished();
			if (status) return { killed: false, callsAtKill: progress() - start, finishedFirst: status };
		}
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error(`no kill point (${killAt} calls) and no finished run within ${timeoutMs} ms`);
}

/**
 * Another app writing to Xero through the same faults: an Idempotency-Key per request, retried on 429/5xx,
 * dropped connections and calls that never answer, so each write lands exactly once.
 */
export function xeroWriter(xero: XeroSandbox, tenantId: string) {
	const token = xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 24 * 3600 }).access_token;
	let calls = 0;
	async function write(method: string, apiPath: string, body: unknown) {
		const key = randomUUID();
		for (let attempt = 1; attempt <= 40; attempt++) {
			calls++;
			try {
				const response = await fetch(`${xero.url}/api.xro/2.0${apiPath}`, {
					method,
					headers: {
						authorization: `Bearer ${token}`,
						'xero-tenant-id': tenantId,
						'idempotency-key': key,
						accept: 'application/json',
						'content-type': 'application/json',
					},
					body: JSON.stringify(body),
					signal: AbortSignal.timeout(5000),
				});
				const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
				if (response.ok) return json;
				if (response.status !== 429 && response.status < 500)
					throw new Error(`${method} ${apiPath} → ${response.status}: ${JSON.stringify(json)}`);
				await delay(Number(response.headers.get('retry-after') ?? 1) * 1000);
			} catch (error) {
				if ((error as Error).message.includes(' → ')) throw error;
				await delay(300); // dropped or never answered: same key again
			}
		}
		throw new Error(`${method} ${apiPath}: no answer after 40 attempts`);
	}
	return { write, calls: () => calls };
}

export type XeroWriter = ReturnType<typeof xeroWriter>;

/**
 * Set-up without faults: `count` Commusoft invoices of 300.00 (no tax) and their Xero copies (same number, a
 * link back to Commusoft, as template 01 sends them), plus `foreign` invoices raised in Xero only (`XERO-ONLY-n`),
 * whose payments must stay out of Commusoft. Returns the Commusoft invoices and the Xero InvoiceID by number.
 */
export async function mirroredInvoices(
	writer: XeroWriter,
	commusoft: RunningCommusoftSandbox,
	count: number,
	foreign: number,
) {
	const state = commusoft.state;
	const customer = state.data.customers[0];
	const nominalCode = state.data.nominalCodes[0].code;
	const csInvoices = Array.from({ length: count }, (_, n) =>
		state.raiseInvoice({
			customerUuid: customer.uuid,
			amountsAre: 'noTax',
			lines: [{ description: `Chaos job ${n + 1}`, quantity: 1, unitPrice: 300, nominalCode }],
		}),
	) as Array<{ uuid: string; invoiceNumber: string }>;
	const contact = (await writer.write('PUT', '/Contacts', {
		Contacts: [{ Name: 'Chaos Payments Customer', ContactNumber: 'CHAOS-PAY-1' }],
	})) as { Contacts: Array<{ ContactID: string }> };
	const contactId = contact.Contacts[0].ContactID;
	const xeroInvoice = (number: string, url?: string) => ({
		Type: 'ACCREC',
		Contact: { ContactID: contactId },
		InvoiceNumber: number,
		Status: 'AUTHORISED',
		LineAmountTypes: 'NoTax',
		...(url ? { Url: url } : {}),
		LineItems: [
			{ Description: 'Works', Quantity: 1, UnitAmount: 300, AccountCode: '200', TaxType: 'NONE' },
		],
	});
	const invoiceIds = new Map<string, string>();
	const foreignNumbers = Array.from({ length: foreign }, (_, n) => `XERO-ONLY-${n + 1}`);
	const toCreate = [
		...csInvoices.map((i) =>
			xeroInvoice(i.invoiceNumber, `${commusoft.url}/app/invoices/${i.uuid}`),
		),
		...foreignNumbers.map((number) => xeroInvoice(number)),
	];
	for (let i = 0; i < toCreate.length; i += 50) {
		const created = (await writer.write('PUT', '/Invoices', {
			Invoices: toCreate.slice(i, i + 50),
		})) as { Invoices: Array<{ InvoiceID: string; InvoiceNumber: string }> };
		for (const inv of created.Invoices) invoiceIds.set(inv.InvoiceNumber, inv.InvoiceID);
	}
	return { csInvoices, invoiceIds, foreignNumbers };
}

export async function crashedIds(n8n: N8nInstance, workflowId: string): Promise<Set<string>> {
	const executions = await n8n.listExecutions(workflowId);
	return new Set(executions.filter((e) => e.status === 'crashed').map((e) => e.id));
}

/**
 * Every crashed or failed execution of the workflow retried once, as an ops person does from n8n's Executions
 * list ("Retry"), each waited for; returns how many were retried and their outcomes (status → count).
 */
export async function retryFailedExecutions(
	n8n: N8nInstance,
	workflowId: string,
): Promise<{ retried: number; retryResults: Record<string, number> }> {
	const failed = (await n8n.listExecutions(workflowId)).filter((e) =>
		['crashed', 'error'].includes(e.status),
	);
	const retryResults: Record<string, number> = {};
	const count = (key: string) => (retryResults[key] = (retryResults[key] ?? 0) + 1);
	for (const execution of failed) {
		const before = new Set((await n8n.listExecutions(workflowId)).map((e) => e.id));
		await n8n.rest('POST', `/executions/${execution.id}/retry`, { loadWorkflow: false }).then(
			() => undefined,
			(error: Error) => count(`refused: ${error.message.slice(0, 120)}`),
		);
		let status = '';
		await waitFor(
			`the retry of execution ${execution.id}`,
			async () => {
				const retry = (await n8n.listExecutions(workflowId)).find(
					(e) => !before.has(e.id) && e.mode === 'retry',
				);
				status = retry?.status ?? '';
				return !!status && isExecutionOver(status);
			},
			{ timeoutMs: 60_000, intervalMs: 500 },
		).catch(() => (status ||= 'no retry seen'));
		count(status);
	}
	return { retried: failed.length, retryResults };
}
