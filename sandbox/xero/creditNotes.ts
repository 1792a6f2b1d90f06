// Sales and purchase credit notes with allocations to invoices (xero-api.md; spec CreditNote/Allocation):
// lines are validated and totalled exactly like invoices (same functions), allocations only between
// AUTHORISED documents of the same contact and type family, within RemainingCredit and the invoice's AmountDue.
import { q } from '../shared/http';
import {
	ApiContext,
	ApiResult,
	answerBatch,
	asObject,
	BatchOutcome,
	ElementErrors,
	elementsOf,
	filterList,
	notFound,
	num,
	parseList,
	singleValidationError,
	str,
	validationException,
} from './api';
import { computeTotals, round } from './calc';
import { msDate, msDateFromDay, parseInputDay } from './clock';
import { buildLine } from './invoices';
import { compact, contactSummary, makeIndex } from './serialize';
import type { CreditNoteRecord, InvoiceRecord, LineItemRecord } from './types';

export const MSG_ALLOCATION_EXCEEDS_CREDIT =
	'The amount being allocated exceeds the remaining credit on this credit note';
export const MSG_ALLOCATION_EXCEEDS_DUE =
	'The amount being allocated exceeds the amount outstanding on this invoice';

const INVOICE_TYPE_OF: Record<CreditNoteRecord['Type'], string> = {
	ACCRECCREDIT: 'ACCREC',
	ACCPAYCREDIT: 'ACCPAY',
};

function creditNoteJson(
	ctx: ApiContext,
	cn: CreditNoteRecord,
	lines: boolean,
): Record<string, unknown> {
	const idx = makeIndex(ctx.tenant);
	return compact({
		Type: cn.Type,
		Contact: contactSummary(idx, cn.ContactID),
		Date: msDateFromDay(cn.Date),
		Status: cn.Status,
		LineAmountTypes: cn.LineAmountTypes,
		LineItems: lines ? cn.LineItems.map((l) => compact({ ...l })) : undefined,
		SubTotal: cn.SubTotal,
		TotalTax: cn.TotalTax,
		Total: cn.Total,
		UpdatedDateUTC: msDate(cn.UpdatedDateUTC),
		CurrencyCode: cn.CurrencyCode,
		CreditNoteID: cn.CreditNoteID,
		CreditNoteNumber: cn.CreditNoteNumber,
		Reference: cn.Reference,
		RemainingCredit: cn.RemainingCredit,
		Allocations: cn.Allocations.map((a) => allocationJson(ctx, a)),
		HasErrors: false,
	});
}

function allocationJson(
	ctx: ApiContext,
	a: CreditNoteRecord['Allocations'][number],
): Record<string, unknown> {
	const inv = ctx.tenant.invoices.find((i) => i.InvoiceID === a.InvoiceID);
	return {
		AllocationID: a.AllocationID,
		Invoice: compact({ InvoiceID: a.InvoiceID, InvoiceNumber: inv?.InvoiceNumber }),
		Amount: a.Amount,
		Date: msDateFromDay(a.Date),
	};
}

function findCreditNote(ctx: ApiContext, id: string): CreditNoteRecord {
	const cn = ctx.tenant.creditNotes.find(
		(c) => c.CreditNoteID.toLowerCase() === id.toLowerCase() || c.CreditNoteNumber === id,
	);
	if (!cn) throw notFound();
	return cn;
}

export function getCreditNotes(ctx: ApiContext): ApiResult {
	const statuses = parseList(q(ctx.query, 'Statuses'))?.map((s) => s.toUpperCase());
	const notes = ctx.tenant.creditNotes.filter((c) => !statuses || statuses.includes(c.Status));
	const result = filterList(
		ctx,
		notes.map((c) => ({ json: () => creditNoteJson(ctx, c, true), updated: c.UpdatedDateUTC })),
	);
	return {
		status: 200,
		body: {
			...(result.pagination ? { pagination: result.pagination } : {}),
			CreditNotes: result.items,
		},
	};
}

export function getCreditNote(ctx: ApiContext): ApiResult {
	return {
		status: 200,
		body: { CreditNotes: [creditNoteJson(ctx, findCreditNote(ctx, ctx.params[0]), true)] },
	};
}

export function putCreditNotes(ctx: ApiContext): ApiResult {
	const outcomes: BatchOutcome[] = elementsOf(ctx.body, 'CreditNotes').map((el) => {
		try {
			const cn = createCreditNote(ctx, asObject(el) ?? {});
			return { ok: true, json: creditNoteJson(ctx, cn, true) };
		} catch (error) {
			if (!(error instanceof ElementErrors)) throw error;
			return {
				ok: false,
				json: {
					HasValidationErrors: true,
					StatusAttributeString: 'ERROR',
					ValidationErrors: error.messages.map((Message) => ({ Message })),
				},
			};
		}
	});
	return answerBatch(ctx, 'CreditNotes', outcomes);
}

function createCreditNote(ctx: ApiContext, input: Record<string, unknown>): CreditNoteRecord {
	const errors: string[] = [];
	const type = (str(input.Type) ?? '').toUpperCase() as CreditNoteRecord['Type'];
	if (!(type in INVOICE_TYPE_OF)) errors.push('Type must be ACCRECCREDIT or ACCPAYCREDIT.');
	const contactRef = asObject(input.Contact);
	const contactId = str(contactRef?.ContactID);
	const contact = contactId
		? ctx.tenant.contacts.find((c) => c.ContactID.toLowerCase() === contactId.toLowerCase())
		: undefined;
	if (!contact) errors.push('A valid Contact (ContactID) must be specified.');
	const status = (str(input.Status) ?? 'DRAFT').toUpperCase();
	if (status !== 'DRAFT' && status !== 'AUTHORISED')
		errors.push('Status must be DRAFT or AUTHORISED.');
	const amountTypes = (str(input.LineAmountTypes) ??
		'Exclusive') as InvoiceRecord['LineAmountTypes'];
	if (!['Exclusive', 'Inclusive', 'NoTax'].includes(amountTypes))
		errors.push('LineAmountTypes must be Exclusive, Inclusive or NoTax.');
	let date = new Date(ctx.now).toISOString().slice(0, 10);
	if (input.Date !== undefined) {
		const d = parseInputDay(input.Date);
		if (!d) errors.push(`Date '${String(input.Date)}' is not a valid date.`);
		else date = d;
	}
	const rawLines = Array.isArray(input.LineItems) ? input.LineItems : [];
	const lines: LineItemRecord[] = [];
	if (type in INVOICE_TYPE_OF)
		rawLines.forEach((raw, i) => {
			const line = buildLine(ctx, raw, i, INVOICE_TYPE_OF[type], amountTypes, [], errors);
			if (line) lines.push(line);
		});
	if (status === 'AUTHORISED' && !rawLines.length)
		errors.push('A credit note must have at least one line item to be approved.');
	if (errors.length) throw new ElementErrors(errors);
	const totals = {
		LineItems: lines,
		LineAmountTypes: amountTypes,
		AmountPaid: 0,
	} as unknown as InvoiceRecord;
	computeTotals(totals, ctx.tenant.taxRates);
	const cn: CreditNoteRecord = {
		CreditNoteID: ctx.newId(),
		CreditNoteNumber: `CN-${String(ctx.tenant.creditNotes.length + 1).padStart(4, '0')}`,
		Type: type,
		ContactID: contact!.ContactID,
		Reference: str(input.Reference),
		Date: date,
		Status: status as CreditNoteRecord['Status'],
		LineAmountTypes: amountTypes,
		CurrencyCode: ctx.tenant.organisation.BaseCurrency,
		LineItems: lines,
		SubTotal: totals.SubTotal,
		TotalTax: totals.TotalTax,
		Total: totals.Total,
		RemainingCredit: totals.Total,
		Allocations: [],
		UpdatedDateUTC: ctx.now,
	};
	ctx.tenant.creditNotes.push(cn);
	return cn;
}

/** PUT /CreditNotes/{id}/Allocations: all-or-nothing; every allocation is checked before any is applied. */
export function putAllocations(ctx: ApiContext): ApiResult {
	const cn = findCreditNote(ctx, ctx.params[0]);
	const inputs = elementsOf(ctx.body, 'Allocations', true);
	let remaining = cn.RemainingCredit;
	const pendingDue = new Map<string, number>();
	const checked: { invoice: InvoiceRecord; amount: number; date: string }[] = [];
	const failed: Record<string, unknown>[] = [];
	for (const raw of inputs) {
		const input = asObject(raw) ?? {};
		const errors: string[] = [];
		const invId = str(asObject(input.Invoice)?.InvoiceID);
		const invoice = invId
			? ctx.tenant.invoices.find((i) => i.InvoiceID.toLowerCase() === invId.toLowerCase())
			: undefined;
		const amount = num(input.Amount);
		if (cn.Status !== 'AUTHORISED')
			errors.push('Allocations can only be made from Authorised credit notes.');
		if (!invoice) errors.push('A valid Invoice (InvoiceID) must be specified.');
		else {
			if (invoice.Status !== 'AUTHORISED')
				errors.push('Credit can only be allocated to Authorised invoices.');
			if (invoice.ContactID !== cn.ContactID)
				errors.push('The invoice and the credit note must belong to the same contact.');
			if (invoice.Type !== INVOICE_TYPE_OF[cn.Type])
				errors.push(
					`A ${cn.Type} credit note can only be allocated to ${INVOICE_TYPE_OF[cn.Type]} invoices.`,
				);
		}
		if (amount === undefined || amount <= 0)
			errors.push('Allocation Amount must be a number greater than zero.');
		else {
			if (round(amount, 2) > round(remaining, 2)) errors.push(MSG_ALLOCATION_EXCEEDS_CREDIT);
			if (invoice) {
				const due = pendingDue.get(invoice.InvoiceID) ?? invoice.AmountDue;
				if (round(amount, 2) > round(due, 2)) errors.push(MSG_ALLOCATION_EXCEEDS_DUE);
				else pendingDue.set(invoice.InvoiceID, round(due - amount, 2));
			}
		}
		let date = new Date(ctx.now).toISOString().slice(0, 10);
		if (input.Date !== undefined) {
			const d = parseInputDay(input.Date);
			if (!d) errors.push(`Date '${String(input.Date)}' is not a valid date.`);
			else date = d;
		}
		if (errors.length) {
			failed.push({
				Amount: amount ?? 0,
				Date: msDateFromDay(date),
				Invoice: invId ? { InvoiceID: invId } : {},
				StatusAttributeString: 'ERROR',
				ValidationErrors: errors.map((Message) => ({ Message })),
			});
			continue;
		}
		remaining = round(remaining - amount!, 2);
		checked.push({ invoice: invoice!, amount: round(amount!, 2), date });
	}
	if (failed.length) throw validationException(failed);
	if (!checked.length) throw singleValidationError('At least one allocation must be given.');
	const created = checked.map((c) => {
		const allocation = {
			AllocationID: ctx.newId(),
			InvoiceID: c.invoice.InvoiceID,
			Amount: c.amount,
			Date: c.date,
		};
		cn.Allocations.push(allocation);
		cn.RemainingCredit = round(cn.RemainingCredit - c.amount, 2);
		const inv = c.invoice;
		inv.AmountCredited = round((inv.AmountCredited ?? 0) + c.amount, 2);
		inv.AmountDue = round(inv.Total - inv.AmountPaid - inv.AmountCredited, 2);
		if (inv.AmountDue === 0) {
			inv.Status = 'PAID';
			inv.FullyPaidOnDate = c.date;
		}
		inv.UpdatedDateUTC = ctx.now;
		ctx.emit('INVOICE', 'UPDATE', inv.InvoiceID);
		return allocation;
	});
	if (cn.RemainingCredit === 0) cn.Status = 'PAID';
	cn.UpdatedDateUTC = ctx.now;
	return { status: 200, body: { Allocations: created.map((a) => allocationJson(ctx, a)) } };
}
