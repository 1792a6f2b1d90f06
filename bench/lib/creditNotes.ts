// The credit-note row of `npm run bench`: Credit Note → Create or Update of N Commusoft credit notes for M
// customers (all already Xero contacts), 10% already in Xero (half of those edited since), in the same real
// n8n against its own sandbox organisation. Counts Xero calls and checks the final state (every credit note
// in Xero once, with Commusoft's content); never asserts on time.
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import type { XeroSandbox } from '../../sandbox/xero/server';
import type { N8nInstance } from '../../test/e2e/harness/core';
import { api, oursWorkflow, seedTenant, xeroPayload } from '../workload';
import { creditNote, customer } from './invoiceFixtures';

export interface CreditNoteResult {
	count: number;
	calls: number;
	failedItems: number;
	duplicates: number;
	wrongContent: number;
	status: string;
	byEndpoint: Record<string, number>;
}

export async function creditNoteRun(
	n8n: N8nInstance,
	xero: XeroSandbox,
	opts: {
		count: number;
		customers: number;
		existingShare: number;
		scale: number;
		tenantId: string;
	},
): Promise<CreditNoteResult> {
	const { tenantId } = opts;
	const people = Array.from({ length: opts.customers }, (_, n) => customer(n));
	const notes = Array.from({ length: opts.count }, (_, n) =>
		creditNote(n, people[n % people.length]),
	);
	const existing = notes.slice(0, Math.round(opts.count * opts.existingShare));
	for (let n = 0; n < existing.length; n += 2)
		notes[n] = creditNote(n, people[n % people.length], { variant: 1 });

	const contactIds = await seedTenant(xero, tenantId, {
		invoices: [],
		existing: [],
		customers: people,
	});
	const token = xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 3600 }).access_token;
	for (let i = 0; i < existing.length; i += 50) {
		const batch = existing.slice(i, i + 50).map((note) => {
			const payload: Record<string, unknown> = {
				...xeroPayload(note as unknown as CommusoftInvoiceInput, true),
			};
			delete payload.InvoiceNumber;
			delete payload.DueDate;
			delete payload.Url;
			return {
				...payload,
				Type: 'ACCRECCREDIT',
				CreditNoteNumber: note.creditNoteNumber,
				Contact: { ContactID: contactIds.get(String(note.customer.accountReference)) },
			};
		});
		await api(xero, token, tenantId, 'PUT', '/CreditNotes', { CreditNotes: batch });
	}

	const workflow = oursWorkflow(
		{ invoices: notes as unknown as CommusoftInvoiceInput[], existing: [], customers: people },
		tenantId,
		opts.scale,
		'manual',
		'creditNote',
	);
	const id = await n8n.importWorkflow({ ...workflow, name: 'bench: credit notes' });
	const since = Date.now();
	const run = await n8n
		.executeWorkflow(id, { timeoutMs: 6 * 60_000, allowFailure: true })
		.catch(() => undefined);

	const calls = xero.calls().filter((c) => c.tenantId === tenantId && c.at >= since);
	const byEndpoint: Record<string, number> = {};
	for (const c of calls) {
		const key = `${c.endpoint} → ${c.fault ? `fault ${c.fault}` : c.status}`;
		byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
	}
	const stored = xero.state(tenantId).creditNotes;
	let failedItems = 0;
	let wrongContent = 0;
	for (const note of notes) {
		const found = stored.find((c) => c.CreditNoteNumber === note.creditNoteNumber);
		if (!found) {
			failedItems++;
			continue;
		}
		const want = note.lines.map((l) => Number(l.quantity)).join(',');
		const have = found.LineItems.map((l) => Number(l.Quantity)).join(',');
		if (want !== have) wrongContent++;
	}
	const numbers = stored.map((c) => c.CreditNoteNumber);
	return {
		count: opts.count,
		calls: calls.length,
		failedItems,
		duplicates: numbers.length - new Set(numbers).size,
		wrongContent,
		status: run?.status ?? 'no result (timed out or crashed)',
		byEndpoint,
	};
}
