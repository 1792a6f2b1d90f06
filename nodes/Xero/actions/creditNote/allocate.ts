import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { chunkForUrl } from '../../mapping/lookup';
import { roundMoney } from '../../mapping/money';
import type { XeroInvoice } from '../../mapping/types';
import { isXeroStopError, xeroApiRequest, xeroGetAllPages } from '../../transport';
import { asNodeError, fail, type Entry } from '../document/entry';
import type { XeroCreditNoteRead } from '../document/kind';
import type { UpsertHooks } from '../document/run';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The credited invoice a Commusoft credit note names, by Xero InvoiceID or by invoice number. */
interface CreditedRef {
	id?: string;
	number?: string;
}

function creditedRef(entry: Entry): CreditedRef | undefined {
	const input = entry.input as { creditedInvoiceId?: unknown; creditedInvoiceNumber?: unknown };
	const id = typeof input.creditedInvoiceId === 'string' ? input.creditedInvoiceId.trim() : '';
	const number =
		typeof input.creditedInvoiceNumber === 'string' ? input.creditedInvoiceNumber.trim() : '';
	if (id && GUID.test(id)) return { id };
	if (number) return { number };
	return undefined;
}

const refLabel = (ref: CreditedRef) => (ref.number ? `"${ref.number}"` : `with ID ${ref.id}`);

/** The credited invoices of these entries, keyed "id:<InvoiceID>" and "no:<number>" (lower case). */
async function readCreditedInvoices(
	ctx: IExecuteFunctions,
	tenantId: string,
	refs: CreditedRef[],
): Promise<Map<string, XeroInvoice>> {
	const ids = [...new Set(refs.flatMap((r) => (r.id ? [r.id] : [])))];
	const numbers = [...new Set(refs.flatMap((r) => (r.number ? [r.number] : [])))];
	const reads = [
		...chunkForUrl(ids).map((chunk) => ({ IDs: chunk.join(',') })),
		...chunkForUrl(numbers).map((chunk) => ({
			InvoiceNumbers: chunk.join(','),
			where: 'Type=="ACCREC"',
		})),
	];
	const pages = await Promise.all(
		reads.map(
			async (qs) =>
				await xeroGetAllPages(ctx, {
					path: '/Invoices',
					tenantId,
					collectionKey: 'Invoices',
					qs: qs as IDataObject,
					pageSize: 1000,
				}),
		),
	);
	const found = new Map<string, XeroInvoice>();
	for (const invoice of pages.flat() as unknown as XeroInvoice[]) {
		const status = (invoice.Status ?? '').toUpperCase();
		found.set(`id:${invoice.InvoiceID.toLowerCase()}`, invoice);
		const key = `no:${(invoice.InvoiceNumber ?? '').trim().toLowerCase()}`;
		// a deleted or voided invoice keeps its number: prefer the live one
		if (!found.has(key) || !['DELETED', 'VOIDED'].includes(status)) found.set(key, invoice);
	}
	return found;
}

const invoiceOf = (found: Map<string, XeroInvoice>, ref: CreditedRef) =>
	found.get(ref.id ? `id:${ref.id.toLowerCase()}` : `no:${ref.number!.toLowerCase()}`);

/** Why credit cannot go to this invoice at all, before amounts (docs/xero-rules.md §3.7). */
function invoiceProblem(invoice: XeroInvoice | undefined, ref: CreditedRef): string | undefined {
	if (!invoice) return `the credited invoice ${refLabel(ref)} is not in Xero`;
	const status = (invoice.Status ?? '').toUpperCase();
	if (status === 'DRAFT' || status === 'SUBMITTED')
		return `the credited invoice ${invoice.InvoiceNumber} is ${status} in Xero: Xero allocates credit only to approved (AUTHORISED) invoices`;
	if (status === 'VOIDED' || status === 'DELETED')
		return `the credited invoice ${invoice.InvoiceNumber} is ${status} in Xero`;
	return undefined;
}

const FIX_INVOICE =
	'Send the invoice to Xero (approved) before its credit note, correct creditedInvoiceNumber / creditedInvoiceId, or clear it to send the credit note unallocated. Nothing was written for this credit note.';

/**
 * Allocation of a credit note to the invoice it credits (PUT /CreditNotes/{id}/Allocations,
 * https://developer.xero.com/documentation/api/accounting/creditnotes#allocate-credit-notes): checked before
 * any write (the invoice exists and is approved, the credit is not more than what it still owes), then made
 * once after the credit note is written. Retry-safe: a credit note already allocated to the invoice is not
 * allocated again, and the allocation carries an Idempotency-Key derived from its content.
 */
export function allocationHooks(): UpsertHooks {
	return {
		async beforeWrite(ctx, tenantId, entries) {
			const planned = entries.flatMap((entry) => {
				const ref = creditedRef(entry);
				return ref && !entry.mapped.cancelled ? [{ entry, ref }] : [];
			});
			if (!planned.length) return;
			const found = await readCreditedInvoices(
				ctx,
				tenantId,
				planned.map((p) => p.ref),
			);
			const pendingDue = new Map<string, number>();
			for (const { entry, ref } of planned) {
				const invoice = invoiceOf(found, ref);
				const problem = invoiceProblem(invoice, ref);
				const field = ref.number ? 'creditedInvoiceNumber' : 'creditedInvoiceId';
				if (problem) {
					fail(entry, `credit note ${entry.mapped.matchKey}: ${problem}`, {
						description: `${field}: ${FIX_INVOICE}`,
						validationErrors: [`${field}: ${problem}`],
					});
					continue;
				}
				const credit = entry.mapped.commusoftTotal;
				if (credit === undefined) continue; // checked against Xero's total after the write
				const due = pendingDue.get(invoice!.InvoiceID) ?? Number(invoice!.AmountDue ?? 0);
				if (roundMoney(credit) > roundMoney(due)) {
					const message = `credit ${credit.toFixed(2)} is more than the ${due.toFixed(2)} invoice ${invoice!.InvoiceNumber} still owes in Xero (AmountDue)`;
					fail(entry, `credit note ${entry.mapped.matchKey}: ${message}`, {
						description: `total / ${field}: Xero never allocates more than an invoice's amount due. Reduce the credit note in Commusoft, or clear ${field} and allocate the part that fits in Xero. Nothing was written for this credit note.`,
						validationErrors: [`total: ${message}`],
						details: { creditAmount: credit, invoiceAmountDue: due },
					});
					continue;
				}
				pendingDue.set(invoice!.InvoiceID, roundMoney(due - credit));
			}
		},

		async afterWrite(ctx, tenantId, entries) {
			const todo = entries.flatMap((entry) => {
				const ref = creditedRef(entry);
				const action = entry.result?.action;
				const note = (entry.written ??
					(entry.plan && 'existing' in entry.plan ? entry.plan.existing : undefined)) as
					| XeroCreditNoteRead
					| undefined;
				if (!ref || !note || !entry.result || entry.failure || entry.mapped.cancelled) return [];
				if (action !== 'created' && action !== 'updated' && action !== 'unchanged') return [];
				return [{ entry, ref, note }];
			});
			if (!todo.length) return;
			const found = await readCreditedInvoices(
				ctx,
				tenantId,
				todo.map((t) => t.ref),
			);
			await Promise.all(
				todo.map(async ({ entry, ref, note }) => {
					const result = entry.result!;
					const warnings = result.warnings as string[];
					const invoice = invoiceOf(found, ref);
					const already = (note.Allocations ?? []).filter(
						(a) =>
							a.Invoice?.InvoiceID &&
							invoice &&
							a.Invoice.InvoiceID.toLowerCase() === invoice.InvoiceID.toLowerCase(),
					);
					if (already.length) {
						result.allocation = {
							action: 'alreadyAllocated',
							invoiceId: invoice!.InvoiceID,
							invoiceNumber: invoice!.InvoiceNumber,
							amount: roundMoney(already.reduce((sum, a) => sum + Number(a.Amount ?? 0), 0)),
						};
						return;
					}
					const written = `The credit note is in Xero (CreditNoteID ${note.InvoiceID}) but not allocated; a re-run allocates it once.`;
					const problem = invoiceProblem(invoice, ref);
					if (problem) {
						fail(entry, `credit note ${entry.mapped.matchKey}: ${problem}`, {
							description: `${written} ${FIX_INVOICE.replace(' Nothing was written for this credit note.', '')}`,
						});
						return;
					}
					if ((note.Status ?? '').toUpperCase() !== 'AUTHORISED') {
						warnings.push(
							`not allocated to invoice ${invoice!.InvoiceNumber}: the credit note is ${note.Status} and Xero allocates only approved (AUTHORISED) credit notes; set Status to Awaiting Payment (Authorised) to allocate`,
						);
						result.allocation = { action: 'notAllocated', invoiceId: invoice!.InvoiceID };
						return;
					}
					const remaining = roundMoney(Number(note.RemainingCredit ?? note.Total ?? 0));
					const due = roundMoney(Number(invoice!.AmountDue ?? 0));
					if (remaining <= 0) return;
					if (remaining > due) {
						fail(
							entry,
							`credit note ${entry.mapped.matchKey}: credit ${remaining.toFixed(2)} is more than the ${due.toFixed(2)} invoice ${invoice!.InvoiceNumber} still owes in Xero (AmountDue)`,
							{
								description: `${written} Xero never allocates more than an invoice's amount due: allocate the part that fits in Xero, or reduce the credit note in Commusoft.`,
								details: { creditAmount: remaining, invoiceAmountDue: due },
							},
						);
						return;
					}
					try {
						await xeroApiRequest(ctx, {
							method: 'PUT',
							path: `/CreditNotes/${note.InvoiceID}/Allocations`,
							tenantId,
							body: {
								Allocations: [
									{
										Amount: remaining,
										Invoice: { InvoiceID: invoice!.InvoiceID },
										Date: entry.mapped.payload.Date ?? note.DateString?.slice(0, 10),
									},
								],
							},
							idempotencyKey: `allocate-${note.InvoiceID}-${invoice!.InvoiceID}-${remaining}`,
						});
					} catch (error) {
						if (isXeroStopError(error)) throw asNodeError(ctx, error);
						const errors = (error as { validationErrors?: string[] }).validationErrors ?? [];
						fail(
							entry,
							`credit note ${entry.mapped.matchKey}: not allocated to invoice ${invoice!.InvoiceNumber}: ${(error as Error).message}`,
							{ description: written, validationErrors: errors },
						);
						return;
					}
					result.allocation = {
						action: 'allocated',
						invoiceId: invoice!.InvoiceID,
						invoiceNumber: invoice!.InvoiceNumber,
						amount: remaining,
					};
				}),
			);
		},
	};
}
