/* eslint-disable @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Sales and purchase credit notes with allocations to invoices (docs/xero-rules.md; spec CreditNote/Allocation):
// lines are validated and totalled exactly like invoices (same functions) and follow the invoice status machine
// and edit lock; allocations only between AUTHORISED documents of the same contact and type family, within
// RemainingCredit and the invoice's AmountDue; deleting an allocation restores both sides.
import { GUID_RE, q } from '../shared/http';
import {
	ApiContext,
	ApiResult,
	answerBatch,
	asObject,
	BatchOutcome,
	ElementErrors,
	elementsOf,
	filterList,
	listAnswer,
	has,
	notFound,
	num,
	parseList,
	singleValidationError,
	str,
	validationException,
} from './api';
import { computeTotals, round } from './calc';
import { msDate, msDateFromDay, parseInputDay } from './clock';
import { buildLine, MSG_HAS_PAYMENTS } from './invoices';
import { compact, contactSummary, type Index, makeIndex } from './serialize';
import type { AllocationRecord, CreditNoteRecord, InvoiceRecord, LineItemRecord } from './types';

export const MSG_ALLOCATION_EXCEEDS_CREDIT =
	'The amount being allocated exceeds the remaining credit on this credit note';
export const MSG_ALLOCATION_EXCEEDS_DUE =
	'The amount being allocated exceeds the amount outstanding on this invoice';
/** The spec's own example message for an unknown CreditNoteID in a POST body. */
export const MSG_CREDIT_NOTE_NOT_FOUND =
	'An existing Credit Note with the specified CreditNoteID could not be found';
export const MSG_CREDIT_NOTE_NOT_VALID_STATUS = 'Credit note not of valid status for modification';
const MSG_CONTACT_REQUIRED = 'A valid Contact (ContactID) must be specified.';

const INVOICE_TYPE_OF: Record<CreditNoteRecord['Type'], string> = {
	ACCRECCREDIT: 'ACCREC',
	ACCPAYCREDIT: 'ACCPAY',
};
const AMOUNT_TYPES = ['Exclusive', 'Inclusive', 'NoTax'] as const;

/** The invoice status changes (docs/xero-rules.md §3.5); PAID is reached only by allocating all the credit. */
const TRANSITIONS: Record<CreditNoteRecord['Status'], string[]> = {
	DRAFT: ['SUBMITTED', 'AUTHORISED', 'DELETED'],
	SUBMITTED: ['DRAFT', 'AUTHORISED', 'DELETED'],
	AUTHORISED: ['VOIDED'],
	PAID: [],
	VOIDED: [],
	DELETED: [],
};

/** Keys that may be sent to a credit note with credit allocated (none of them changes the total). */
const EDITABLE_WHEN_ALLOCATED = new Set([
	'CreditNoteID',
	'CreditNoteNumber',
	'Type',
	'SentToContact',
]);

function creditNoteJson(
	ctx: ApiContext,
	cn: CreditNoteRecord,
	lines: boolean,
	idx: Index = makeIndex(ctx.tenant),
): Record<string, unknown> {
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
		SentToContact: cn.SentToContact,
		CurrencyRate: 1,
		RemainingCredit: cn.RemainingCredit,
		Allocations: cn.Allocations.map((a) => allocationJson(ctx, a, idx)),
		Payments: refundsJson(ctx, cn),
		FullyPaidOnDate: cn.FullyPaidOnDate ? msDateFromDay(cn.FullyPaidOnDate) : undefined,
		HasErrors: false,
	});
}

/** The credit note's live payments (refunds), as Xero lists them on the credit note (spec CreditNote.Payments). */
function refundsJson(ctx: ApiContext, cn: CreditNoteRecord): Record<string, unknown>[] {
	return ctx.tenant.payments
		.filter((p) => p.CreditNoteID === cn.CreditNoteID && p.Status === 'AUTHORISED')
		.map((p) =>
			compact({
				PaymentID: p.PaymentID,
				Date: msDateFromDay(p.Date),
				Amount: p.Amount,
				Reference: p.Reference,
				CurrencyRate: p.CurrencyRate,
				HasAccount: false,
				HasValidationErrors: false,
			}),
		);
}

function allocationJson(
	ctx: ApiContext,
	a: AllocationRecord,
	idx?: Index,
): Record<string, unknown> {
	const inv = idx
		? idx.invoices.get(a.InvoiceID)
		: ctx.tenant.invoices.find((i) => i.InvoiceID === a.InvoiceID);
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
	const idx = makeIndex(ctx.tenant);
	const result = filterList(
		ctx,
		notes.map((c) => ({
			json: () => creditNoteJson(ctx, c, true, idx),
			updated: c.UpdatedDateUTC,
		})),
	);
	return listAnswer('CreditNotes', result);
}

export function getCreditNote(ctx: ApiContext): ApiResult {
	return {
		status: 200,
		body: { CreditNotes: [creditNoteJson(ctx, findCreditNote(ctx, ctx.params[0]), true)] },
	};
}

export function putCreditNotes(ctx: ApiContext): ApiResult {
	const outcomes = elementsOf(ctx.body, 'CreditNotes').map((el) =>
		processCreditNote(ctx, el, 'create'),
	);
	return answerBatch(ctx, 'CreditNotes', outcomes);
}

/** POST /CreditNotes: elements with a CreditNoteID update that credit note, the others are created. */
export function postCreditNotes(ctx: ApiContext): ApiResult {
	const outcomes = elementsOf(ctx.body, 'CreditNotes').map((el) =>
		processCreditNote(ctx, el, 'upsert'),
	);
	return answerBatch(ctx, 'CreditNotes', outcomes);
}

/** POST /CreditNotes/{CreditNoteID}: edits and status changes (DRAFT/SUBMITTED edits, approve, void, delete). */
export function postCreditNoteById(ctx: ApiContext): ApiResult {
	const existing = findCreditNote(ctx, ctx.params[0]);
	const elements = elementsOf(ctx.body, 'CreditNotes', true);
	const outcome = processCreditNote(ctx, elements[0] ?? {}, 'update', existing);
	if (!outcome.ok) throw validationException([outcome.json]);
	return { status: 200, body: { CreditNotes: [outcome.json] } };
}

function processCreditNote(
	ctx: ApiContext,
	raw: unknown,
	mode: 'create' | 'upsert' | 'update',
	target?: CreditNoteRecord,
): BatchOutcome {
	const input = asObject(raw);
	try {
		if (!input) throw new ElementErrors(['Each credit note must be a JSON object.']);
		let existing = target;
		const id = str(input.CreditNoteID);
		if (!existing && id) {
			existing = GUID_RE.test(id)
				? ctx.tenant.creditNotes.find((c) => c.CreditNoteID.toLowerCase() === id.toLowerCase())
				: undefined;
			if (!existing) throw new ElementErrors([MSG_CREDIT_NOTE_NOT_FOUND]);
			if (mode === 'create')
				throw new ElementErrors([
					'A credit note with this CreditNoteID already exists; use POST to update it.',
				]);
		}
		if (!existing) {
			const created = createCreditNote(ctx, input);
			ctx.tenant.creditNotes.push(created);
			return {
				ok: true,
				json: { ...creditNoteJson(ctx, created, true), StatusAttributeString: 'OK' },
			};
		}
		const before = JSON.stringify(existing);
		const next = updateCreditNote(ctx, existing, input);
		if (JSON.stringify(next) !== before) {
			next.UpdatedDateUTC = ctx.now;
			Object.assign(existing, next);
		}
		return {
			ok: true,
			json: { ...creditNoteJson(ctx, existing, true), StatusAttributeString: 'OK' },
		};
	} catch (error) {
		if (!(error instanceof ElementErrors)) throw error;
		return { ok: false, json: errorElement(input, error.messages) };
	}
}

/** The element echoed back with its errors, limited to values that are valid in the spec's CreditNote schema. */
function errorElement(
	input: Record<string, unknown> | undefined,
	messages: string[],
): Record<string, unknown> {
	const el: Record<string, unknown> = {};
	if (input) {
		const id = str(input.CreditNoteID);
		if (id && GUID_RE.test(id)) el.CreditNoteID = id;
		for (const k of ['CreditNoteNumber', 'Reference'])
			if (typeof input[k] === 'string') el[k] = input[k];
		if (typeof input.Type === 'string' && input.Type in INVOICE_TYPE_OF) el.Type = input.Type;
		if (typeof input.Status === 'string' && input.Status in TRANSITIONS) el.Status = input.Status;
	}
	return {
		...el,
		HasErrors: true,
		StatusAttributeString: 'ERROR',
		ValidationErrors: messages.map((Message) => ({ Message })),
	};
}

/** Fields shared by create and update; each problem is added to `errors`, valid values are set on `cn`. */
function applyFields(
	ctx: ApiContext,
	cn: CreditNoteRecord,
	input: Record<string, unknown>,
	errors: string[],
): void {
	if (has(input, 'Contact')) {
		const contactId = str(asObject(input.Contact)?.ContactID);
		const contact = contactId
			? ctx.tenant.contacts.find((c) => c.ContactID.toLowerCase() === contactId.toLowerCase())
			: undefined;
		if (!contact) errors.push(MSG_CONTACT_REQUIRED);
		else if (contact.ContactStatus === 'ARCHIVED')
			errors.push(`The contact ${contact.Name} is archived and cannot be used on a transaction.`);
		else cn.ContactID = contact.ContactID;
	}
	if (has(input, 'LineAmountTypes')) {
		const v = AMOUNT_TYPES.find(
			(a) => a.toLowerCase() === String(input.LineAmountTypes).toLowerCase(),
		);
		if (!v) errors.push('LineAmountTypes must be Exclusive, Inclusive or NoTax.');
		else cn.LineAmountTypes = v;
	}
	if (has(input, 'Date')) {
		const d = parseInputDay(input.Date);
		if (!d) errors.push(`Date '${String(input.Date)}' is not a valid date.`);
		else cn.Date = d;
	}
	if (has(input, 'Reference')) {
		const r = str(input.Reference) ?? '';
		if (r.length > 255) errors.push('Reference must be at most 255 characters.');
		else cn.Reference = r;
	}
	if (has(input, 'CreditNoteNumber')) {
		const n = str(input.CreditNoteNumber) ?? '';
		if (n.length > 255) errors.push('CreditNoteNumber must be at most 255 characters.');
		else if (n) cn.CreditNoteNumber = n;
	}
	if (has(input, 'CurrencyCode')) {
		const c = str(input.CurrencyCode) ?? '';
		if (c.toUpperCase() !== ctx.tenant.organisation.BaseCurrency)
			errors.push(
				`The currency ${c} is not enabled for this organisation (multi-currency is off).`,
			);
	}
	if (has(input, 'SentToContact'))
		cn.SentToContact = input.SentToContact === true || input.SentToContact === 'true';
}

/** Line tax and totals exactly as for an invoice (calc.ts); the unallocated credit follows the total. */
function applyTotals(ctx: ApiContext, cn: CreditNoteRecord): void {
	const totals = {
		LineItems: cn.LineItems,
		LineAmountTypes: cn.LineAmountTypes,
		AmountPaid: 0,
	} as unknown as InvoiceRecord;
	computeTotals(totals, ctx.tenant.taxRates);
	cn.SubTotal = totals.SubTotal;
	cn.TotalTax = totals.TotalTax;
	cn.Total = totals.Total;
	if (!cn.Allocations.length) cn.RemainingCredit = cn.Total;
}

function checkApprovable(cn: CreditNoteRecord, errors: string[]): void {
	if (cn.Status !== 'AUTHORISED' && cn.Status !== 'SUBMITTED') return;
	cn.LineItems.forEach((l, i) => {
		if (l.LineAmount !== 0 && !l.AccountCode)
			errors.push(
				`Line item ${i + 1}: an AccountCode must be specified before the credit note can be submitted or approved.`,
			);
	});
	if (!cn.LineItems.length)
		errors.push('A credit note must have at least one line item to be approved.');
	if (cn.Total < 0) errors.push('The credit note total must be greater than or equal to zero.');
}

function buildLines(
	ctx: ApiContext,
	cn: CreditNoteRecord,
	raw: unknown,
	existingLines: LineItemRecord[],
	errors: string[],
): void {
	if (!Array.isArray(raw)) {
		errors.push('LineItems must be an array.');
		return;
	}
	// As on invoices: lines sent with their LineItemID are kept and updated, lines without one are new, lines
	// left out are removed (docs/xero-rules.md §3.4).
	cn.LineItems = raw
		.map((l, i) =>
			buildLine(ctx, l, i, INVOICE_TYPE_OF[cn.Type], cn.LineAmountTypes, existingLines, errors),
		)
		.filter((l): l is LineItemRecord => !!l);
}

function createCreditNote(ctx: ApiContext, input: Record<string, unknown>): CreditNoteRecord {
	const errors: string[] = [];
	const type = (str(input.Type) ?? '').toUpperCase() as CreditNoteRecord['Type'];
	const typeOk = type in INVOICE_TYPE_OF;
	if (!typeOk) errors.push('Type must be ACCRECCREDIT or ACCPAYCREDIT.');
	if (!has(input, 'Contact')) errors.push(MSG_CONTACT_REQUIRED);
	const status = (str(input.Status) ?? 'DRAFT').toUpperCase();
	if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status))
		errors.push(
			`Credit notes cannot be created with status ${status}; use DRAFT, SUBMITTED or AUTHORISED.`,
		);
	const cn: CreditNoteRecord = {
		CreditNoteID: ctx.newId(),
		CreditNoteNumber: '',
		Type: typeOk ? type : 'ACCRECCREDIT',
		ContactID: '',
		Date: new Date(ctx.now).toISOString().slice(0, 10),
		Status: status as CreditNoteRecord['Status'],
		LineAmountTypes: 'Exclusive',
		CurrencyCode: ctx.tenant.organisation.BaseCurrency,
		LineItems: [],
		SubTotal: 0,
		TotalTax: 0,
		Total: 0,
		RemainingCredit: 0,
		Allocations: [],
		UpdatedDateUTC: ctx.now,
	};
	applyFields(ctx, cn, input, errors);
	if (typeOk && has(input, 'LineItems')) buildLines(ctx, cn, input.LineItems, [], errors);
	applyTotals(ctx, cn);
	checkApprovable(cn, errors);
	if (errors.length) throw new ElementErrors(errors);
	if (!cn.CreditNoteNumber) {
		let n = ctx.tenant.creditNotes.length + 1;
		do cn.CreditNoteNumber = `CN-${String(n++).padStart(4, '0')}`;
		while (ctx.tenant.creditNotes.some((o) => o.CreditNoteNumber === cn.CreditNoteNumber));
	}
	return cn;
}

/**
 * The invoice rules (invoices.ts, docs/xero-rules.md §3.5) applied to a credit note: VOIDED and DELETED ones are final;
 * once credit is allocated (part-allocated or PAID) only SentToContact may change, so voiding is refused until
 * the allocations are deleted; otherwise fields, lines and the status may change along TRANSITIONS.
 */
function updateCreditNote(
	ctx: ApiContext,
	existing: CreditNoteRecord,
	input: Record<string, unknown>,
): CreditNoteRecord {
	if (existing.Status === 'VOIDED' || existing.Status === 'DELETED')
		throw new ElementErrors([MSG_CREDIT_NOTE_NOT_VALID_STATUS]);
	const targetStatus = has(input, 'Status')
		? (str(input.Status) ?? '').toUpperCase()
		: existing.Status;
	const refunded = ctx.tenant.payments.some(
		(p) => p.CreditNoteID === existing.CreditNoteID && p.Status === 'AUTHORISED',
	);
	if (existing.Allocations.length || refunded || existing.Status === 'PAID') {
		const changes = Object.keys(input).filter(
			(k) =>
				has(input, k) &&
				!EDITABLE_WHEN_ALLOCATED.has(k) &&
				!(k === 'Status' && targetStatus === existing.Status),
		);
		const numberChange =
			typeof input.CreditNoteNumber === 'string' &&
			input.CreditNoteNumber !== existing.CreditNoteNumber;
		if (changes.length || numberChange) throw new ElementErrors([MSG_HAS_PAYMENTS]);
	}
	const errors: string[] = [];
	const next: CreditNoteRecord = {
		...existing,
		LineItems: existing.LineItems.map((l) => ({ ...l, Tracking: [...l.Tracking] })),
		Allocations: [...existing.Allocations],
	};
	if (has(input, 'Type') && str(input.Type)?.toUpperCase() !== existing.Type)
		errors.push('The credit note Type cannot be changed.');
	if (targetStatus !== existing.Status) {
		if (!(TRANSITIONS[existing.Status] ?? []).includes(targetStatus))
			throw new ElementErrors([MSG_CREDIT_NOTE_NOT_VALID_STATUS]);
		next.Status = targetStatus as CreditNoteRecord['Status'];
	}
	applyFields(ctx, next, input, errors);
	if (has(input, 'LineItems')) buildLines(ctx, next, input.LineItems, existing.LineItems, errors);
	else if (has(input, 'LineAmountTypes') && next.LineAmountTypes === 'NoTax')
		for (const l of next.LineItems) l.TaxType = 'NONE';
	applyTotals(ctx, next);
	if (next.Status === 'VOIDED' || next.Status === 'DELETED') next.RemainingCredit = 0;
	else checkApprovable(next, errors);
	if (errors.length) throw new ElementErrors(errors);
	return next;
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
	if (cn.RemainingCredit === 0) {
		cn.Status = 'PAID';
		cn.FullyPaidOnDate = created[created.length - 1].Date;
	}
	cn.UpdatedDateUTC = ctx.now;
	return { status: 200, body: { Allocations: created.map((a) => allocationJson(ctx, a)) } };
}

/**
 * DELETE /CreditNotes/{CreditNoteID}/Allocations/{AllocationID}: the credit goes back to the credit note
 * (a PAID one is AUTHORISED again) and the invoice owes it again (AmountCredited falls, AmountDue rises, a PAID
 * invoice is AUTHORISED again). Xero answers with an `Allocations` collection holding the deleted allocation
 * flagged `IsDeleted` (the spec says `Allocation`; see openapi.ts, quirk 7).
 */
export function deleteAllocation(ctx: ApiContext): ApiResult {
	const cn = findCreditNote(ctx, ctx.params[0]);
	const allocationId = ctx.params[1].toLowerCase();
	const index = cn.Allocations.findIndex((a) => a.AllocationID.toLowerCase() === allocationId);
	if (index < 0) throw notFound();
	const [allocation] = cn.Allocations.splice(index, 1);
	cn.RemainingCredit = round(cn.RemainingCredit + allocation.Amount, 2);
	if (cn.Status === 'PAID') cn.Status = 'AUTHORISED';
	cn.FullyPaidOnDate = undefined;
	cn.UpdatedDateUTC = ctx.now;
	const inv = ctx.tenant.invoices.find((i) => i.InvoiceID === allocation.InvoiceID);
	if (inv) {
		inv.AmountCredited = round((inv.AmountCredited ?? 0) - allocation.Amount, 2);
		inv.AmountDue = round(inv.Total - inv.AmountPaid - inv.AmountCredited, 2);
		if (inv.Status === 'PAID') {
			inv.Status = 'AUTHORISED';
			inv.FullyPaidOnDate = undefined;
		}
		inv.UpdatedDateUTC = ctx.now;
		ctx.emit('INVOICE', 'UPDATE', inv.InvoiceID);
	}
	return {
		status: 200,
		body: { Allocations: [{ ...allocationJson(ctx, allocation), IsDeleted: true }] },
	};
}
