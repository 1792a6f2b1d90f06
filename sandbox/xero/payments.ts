/* eslint-disable @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Payments and BatchPayments (docs/xero-rules.md §6): only AUTHORISED invoices, amount ≤ AmountDue, account must be
// BANK or have EnablePaymentsToAccount, invoice → PAID at zero due, delete by Status DELETED (amount restored).
// A payment on a credit note (`CreditNote`) is a refund: only AUTHORISED credit notes, amount ≤ RemainingCredit,
// the credit note PAID when no credit is left, and deleting it gives the credit back.
import { GUID_RE } from '../shared/http';
import {
	answerBatch,
	checkLengths,
	ApiContext,
	ApiResult,
	asObject,
	BatchOutcome,
	ElementErrors,
	elementsOf,
	filterList,
	listAnswer,
	notFound,
	num,
	singleValidationError,
	str,
	validationException,
} from './api';
import { round } from './calc';
import { parseInputDay } from './clock';
import { batchPaymentJson, makeIndex, paymentJson } from './serialize';
import type {
	AccountRecord,
	BatchPaymentRecord,
	CreditNoteRecord,
	InvoiceRecord,
	PaymentRecord,
} from './types';

export const MSG_AMOUNT_EXCEEDS = 'Payment amount exceeds the amount outstanding on this document';
export const MSG_NOT_AUTHORISED = 'Payments can only be made against Authorised documents';
export const MSG_ACCOUNT_TYPE = 'Account type is invalid for making a payment to/from';

export function getPayments(ctx: ApiContext): ApiResult {
	const t = ctx.tenant;
	const idx = makeIndex(t);
	const result = filterList(
		ctx,
		t.payments.map((p) => ({ json: () => paymentJson(t, p, idx), updated: p.UpdatedDateUTC })),
	);
	return listAnswer('Payments', result);
}

export function getPayment(ctx: ApiContext): ApiResult {
	const p = ctx.tenant.payments.find(
		(x) => x.PaymentID.toLowerCase() === ctx.params[0].toLowerCase(),
	);
	if (!p) throw notFound();
	return { status: 200, body: { Payments: [paymentJson(ctx.tenant, p)] } };
}

export function putPayments(ctx: ApiContext): ApiResult {
	return answerBatch(
		ctx,
		'Payments',
		elementsOf(ctx.body, 'Payments').map((el) => createOne(ctx, el)),
	);
}

/** POST /Payments takes a single Payment (xero-node `createPayment`); a `{Payments:[…]}` body is accepted too. */
export function postPayments(ctx: ApiContext): ApiResult {
	const outcomes = elementsOf(ctx.body, 'Payments', true).map((el) => createOne(ctx, el));
	if (outcomes.some((o) => !o.ok))
		throw validationException(outcomes.filter((o) => !o.ok).map((o) => o.json));
	return { status: 200, body: { Payments: outcomes.map((o) => o.json) } };
}

/** POST /Payments/{PaymentID} with `{Status: "DELETED"}`: payments cannot be edited, only deleted (§6.1). */
export function deletePayment(ctx: ApiContext): ApiResult {
	const t = ctx.tenant;
	const p = t.payments.find((x) => x.PaymentID.toLowerCase() === ctx.params[0].toLowerCase());
	if (!p) throw notFound();
	const input = asObject(elementsOf(ctx.body, 'Payments', true)[0]);
	const element = {
		PaymentID: p.PaymentID,
		HasValidationErrors: true,
		StatusAttributeString: 'ERROR',
	};
	if ((str(input?.Status) ?? '').toUpperCase() !== 'DELETED') {
		throw singleValidationError(
			'Payments can only be deleted: send {"Status": "DELETED"}.',
			element,
		);
	}
	if (p.Status === 'DELETED')
		throw singleValidationError('This payment has already been deleted.', element);
	if (p.BatchPaymentID)
		throw singleValidationError(
			'Payments that are part of a batch payment cannot be deleted individually.',
			element,
		);
	removePayment(ctx, p);
	return { status: 200, body: { Payments: [paymentJson(t, p)] } };
}

function removePayment(ctx: ApiContext, p: PaymentRecord): void {
	p.Status = 'DELETED';
	p.UpdatedDateUTC = ctx.now;
	const note = p.CreditNoteID
		? ctx.tenant.creditNotes.find((c) => c.CreditNoteID === p.CreditNoteID)
		: undefined;
	if (note) {
		note.RemainingCredit = round(note.RemainingCredit + p.Amount, 2);
		if (note.Status === 'PAID') note.Status = 'AUTHORISED';
		delete note.FullyPaidOnDate;
		note.UpdatedDateUTC = ctx.now;
		return;
	}
	const inv = ctx.tenant.invoices.find((i) => i.InvoiceID === p.InvoiceID);
	if (inv) {
		inv.AmountPaid = round(inv.AmountPaid - p.Amount, 2);
		inv.AmountDue = round(inv.Total - inv.AmountPaid - (inv.AmountCredited ?? 0), 2);
		if (inv.Status === 'PAID') inv.Status = 'AUTHORISED';
		delete inv.FullyPaidOnDate;
		inv.UpdatedDateUTC = ctx.now;
		ctx.emit('INVOICE', 'UPDATE', inv.InvoiceID);
	}
}

interface CheckedPayment {
	invoice: InvoiceRecord;
	account: AccountRecord;
	amount: number;
	date: string;
	reference?: string;
	isReconciled: boolean;
}

function findAccount(ctx: ApiContext, raw: unknown): AccountRecord | undefined {
	const a = asObject(raw);
	if (!a) return undefined;
	const id = str(a.AccountID);
	const code = str(a.Code);
	return ctx.tenant.accounts.find((x) =>
		id ? x.AccountID.toLowerCase() === id.toLowerCase() : x.Code === code,
	);
}

function checkPayment(
	ctx: ApiContext,
	input: Record<string, unknown>,
	account?: AccountRecord,
	pendingByInvoice?: Map<string, number>,
): CheckedPayment {
	const errors: string[] = [];
	const t = ctx.tenant;
	const invRef = asObject(input.Invoice);
	const invId = str(invRef?.InvoiceID);
	const invNumber = str(invRef?.InvoiceNumber) ?? str(input.InvoiceNumber);
	let invoice: InvoiceRecord | undefined;
	if (invId)
		invoice = GUID_RE.test(invId)
			? t.invoices.find((i) => i.InvoiceID.toLowerCase() === invId.toLowerCase())
			: undefined;
	else if (invNumber)
		invoice = t.invoices.find((i) => i.InvoiceNumber === invNumber && i.Status !== 'DELETED');
	if (!invId && !invNumber)
		errors.push('An Invoice (InvoiceID or InvoiceNumber) must be specified.');
	else if (!invoice) errors.push(`Invoice ${invId ?? invNumber} could not be found.`);
	else if (invoice.Status !== 'AUTHORISED') errors.push(MSG_NOT_AUTHORISED);
	const acc = account ?? findAccount(ctx, input.Account);
	if (!account && !asObject(input.Account))
		errors.push('An Account (AccountID or Code) must be specified.');
	else if (!acc || acc.Status !== 'ACTIVE')
		errors.push('The account could not be found or is not active.');
	else if (acc.Type !== 'BANK' && !acc.EnablePaymentsToAccount) errors.push(MSG_ACCOUNT_TYPE);
	const amount = num(input.Amount);
	if (amount === undefined || amount <= 0)
		errors.push('Payment Amount must be a number greater than zero.');
	else if (invoice && invoice.Status === 'AUTHORISED') {
		const alreadyPending = pendingByInvoice?.get(invoice.InvoiceID) ?? 0;
		if (round(amount, 2) > round(invoice.AmountDue - alreadyPending, 2))
			errors.push(MSG_AMOUNT_EXCEEDS);
	}
	let date = new Date(ctx.now).toISOString().slice(0, 10);
	if (input.Date !== undefined) {
		const d = parseInputDay(input.Date);
		if (!d) errors.push(`Date '${String(input.Date)}' is not a valid date.`);
		else date = d;
	}
	if (errors.length) throw new ElementErrors(errors);
	return {
		invoice: invoice!,
		account: acc!,
		amount: round(amount!, 2),
		date,
		reference: str(input.Reference),
		isReconciled: input.IsReconciled === true || input.IsReconciled === 'true',
	};
}

function commitPayment(ctx: ApiContext, c: CheckedPayment, batchId?: string): PaymentRecord {
	const p: PaymentRecord = {
		PaymentID: ctx.newId(),
		BatchPaymentID: batchId,
		InvoiceID: c.invoice.InvoiceID,
		AccountID: c.account.AccountID,
		Date: c.date,
		Amount: c.amount,
		CurrencyRate: 1,
		Reference: c.reference,
		IsReconciled: c.isReconciled,
		Status: 'AUTHORISED',
		PaymentType: c.invoice.Type === 'ACCPAY' ? 'ACCPAYPAYMENT' : 'ACCRECPAYMENT',
		UpdatedDateUTC: ctx.now,
	};
	ctx.tenant.payments.push(p);
	const inv = c.invoice;
	inv.AmountPaid = round(inv.AmountPaid + c.amount, 2);
	// What is still owed after payments and credit notes (§6.2: a payment never exceeds the amount due).
	inv.AmountDue = round(inv.Total - inv.AmountPaid - (inv.AmountCredited ?? 0), 2);
	if (inv.AmountDue === 0) {
		inv.Status = 'PAID';
		inv.FullyPaidOnDate = c.date;
	}
	inv.UpdatedDateUTC = ctx.now;
	ctx.emit('INVOICE', 'UPDATE', inv.InvoiceID);
	return p;
}

interface CheckedRefund {
	note: CreditNoteRecord;
	account: AccountRecord;
	amount: number;
	date: string;
	reference?: string;
}

/** A payment on a credit note: Xero's Payments docs allow `CreditNote` in place of `Invoice` (a refund). */
function checkRefund(ctx: ApiContext, input: Record<string, unknown>): CheckedRefund {
	const errors: string[] = [];
	const ref = asObject(input.CreditNote);
	const id = str(ref?.CreditNoteID);
	const number = str(ref?.CreditNoteNumber) ?? str(input.CreditNoteNumber);
	const t = ctx.tenant;
	const note = id
		? GUID_RE.test(id)
			? t.creditNotes.find((c) => c.CreditNoteID.toLowerCase() === id.toLowerCase())
			: undefined
		: t.creditNotes.find((c) => c.CreditNoteNumber === number && c.Status !== 'DELETED');
	if (!id && !number)
		errors.push('A CreditNote (CreditNoteID or CreditNoteNumber) must be specified.');
	else if (!note) errors.push(`Credit note ${id ?? number} could not be found.`);
	else if (note.Status !== 'AUTHORISED') errors.push(MSG_NOT_AUTHORISED);
	const acc = findAccount(ctx, input.Account);
	if (!asObject(input.Account)) errors.push('An Account (AccountID or Code) must be specified.');
	else if (!acc || acc.Status !== 'ACTIVE')
		errors.push('The account could not be found or is not active.');
	else if (acc.Type !== 'BANK' && !acc.EnablePaymentsToAccount) errors.push(MSG_ACCOUNT_TYPE);
	const amount = num(input.Amount);
	if (amount === undefined || amount <= 0)
		errors.push('Payment Amount must be a number greater than zero.');
	else if (note && note.Status === 'AUTHORISED' && round(amount, 2) > note.RemainingCredit)
		errors.push(MSG_AMOUNT_EXCEEDS);
	let date = new Date(ctx.now).toISOString().slice(0, 10);
	if (input.Date !== undefined) {
		const d = parseInputDay(input.Date);
		if (!d) errors.push(`Date '${String(input.Date)}' is not a valid date.`);
		else date = d;
	}
	if (errors.length) throw new ElementErrors(errors);
	return {
		note: note!,
		account: acc!,
		amount: round(amount!, 2),
		date,
		reference: str(input.Reference),
	};
}

/** The refund leaves the bank account and uses up credit; no credit left → the credit note is PAID. */
function commitRefund(ctx: ApiContext, c: CheckedRefund): PaymentRecord {
	const p: PaymentRecord = {
		PaymentID: ctx.newId(),
		CreditNoteID: c.note.CreditNoteID,
		AccountID: c.account.AccountID,
		Date: c.date,
		Amount: c.amount,
		CurrencyRate: 1,
		Reference: c.reference,
		IsReconciled: false,
		Status: 'AUTHORISED',
		PaymentType: c.note.Type === 'ACCPAYCREDIT' ? 'APCREDITPAYMENT' : 'ARCREDITPAYMENT',
		UpdatedDateUTC: ctx.now,
	};
	ctx.tenant.payments.push(p);
	const note = c.note;
	note.RemainingCredit = round(note.RemainingCredit - c.amount, 2);
	if (note.RemainingCredit === 0) {
		note.Status = 'PAID';
		note.FullyPaidOnDate = c.date;
	}
	note.UpdatedDateUTC = ctx.now;
	return p;
}

function paymentErrorElement(
	input: Record<string, unknown> | undefined,
	messages: string[],
): Record<string, unknown> {
	const el: Record<string, unknown> = {};
	const amount = num(input?.Amount);
	if (amount !== undefined) el.Amount = amount;
	if (typeof input?.Reference === 'string') el.Reference = input.Reference;
	const inv = asObject(input?.Invoice);
	const invId = str(inv?.InvoiceID);
	if (inv)
		el.Invoice = {
			...(invId && GUID_RE.test(invId) ? { InvoiceID: invId } : {}),
			...(typeof inv.InvoiceNumber === 'string' ? { InvoiceNumber: inv.InvoiceNumber } : {}),
		};
	const note = asObject(input?.CreditNote);
	const noteId = str(note?.CreditNoteID);
	if (note)
		el.CreditNote = {
			...(noteId && GUID_RE.test(noteId) ? { CreditNoteID: noteId } : {}),
			...(typeof note.CreditNoteNumber === 'string'
				? { CreditNoteNumber: note.CreditNoteNumber }
				: {}),
		};
	return {
		...el,
		HasValidationErrors: true,
		StatusAttributeString: 'ERROR',
		ValidationErrors: messages.map((Message) => ({ Message })),
	};
}

function createOne(ctx: ApiContext, raw: unknown): BatchOutcome {
	const input = asObject(raw);
	try {
		if (!input) throw new ElementErrors(['Each payment must be a JSON object.']);
		const p =
			input.CreditNote !== undefined && input.Invoice === undefined
				? commitRefund(ctx, checkRefund(ctx, input))
				: commitPayment(ctx, checkPayment(ctx, input));
		return { ok: true, json: { ...paymentJson(ctx.tenant, p), StatusAttributeString: 'OK' } };
	} catch (error) {
		if (error instanceof ElementErrors)
			return { ok: false, json: paymentErrorElement(input, error.messages) };
		throw error;
	}
}

// ---------- batch payments ----------

export function getBatchPayments(ctx: ApiContext): ApiResult {
	const t = ctx.tenant;
	const result = filterList(
		ctx,
		t.batchPayments.map((b) => ({ json: () => batchPaymentJson(t, b), updated: b.UpdatedDateUTC })),
		{ paged: false },
	);
	return listAnswer('BatchPayments', result);
}

export function getBatchPayment(ctx: ApiContext): ApiResult {
	const b = ctx.tenant.batchPayments.find(
		(x) => x.BatchPaymentID.toLowerCase() === ctx.params[0].toLowerCase(),
	);
	if (!b) throw notFound();
	return { status: 200, body: { BatchPayments: [batchPaymentJson(ctx.tenant, b)] } };
}

/** One BatchPayment = one Payment per invoice, each carrying the BatchPaymentID; all or nothing per batch. */
export function putBatchPayments(ctx: ApiContext): ApiResult {
	const outcomes = elementsOf(ctx.body, 'BatchPayments').map((raw): BatchOutcome => {
		const input = asObject(raw);
		try {
			if (!input) throw new ElementErrors(['Each batch payment must be a JSON object.']);
			const account = findAccount(ctx, input.Account);
			const errors: string[] = [];
			if (!account || account.Status !== 'ACTIVE')
				errors.push('The account could not be found or is not active.');
			else if (account.Type !== 'BANK') errors.push(MSG_ACCOUNT_TYPE);
			checkLengths(
				input,
				{ Reference: 255, Particulars: 12, Code: 12, Narrative: 18, Details: 255 },
				errors,
			);
			const list = Array.isArray(input.Payments) ? input.Payments : [];
			if (!list.length) errors.push('A batch payment must contain at least one payment.');
			const pending = new Map<string, number>();
			const checked: CheckedPayment[] = [];
			list.forEach((p, i) => {
				const o = asObject(p);
				if (!o) {
					errors.push(`Payment ${i + 1} must be an object.`);
					return;
				}
				try {
					const c = checkPayment(
						ctx,
						{ Date: input.Date, Reference: input.Reference, ...o },
						account ?? undefined,
						pending,
					);
					pending.set(c.invoice.InvoiceID, (pending.get(c.invoice.InvoiceID) ?? 0) + c.amount);
					checked.push(c);
				} catch (error) {
					if (error instanceof ElementErrors)
						errors.push(...error.messages.map((m) => `Payment ${i + 1}: ${m}`));
					else throw error;
				}
			});
			const types = new Set(checked.map((c) => c.invoice.Type));
			if (types.size > 1) errors.push('A batch payment cannot mix sales invoices and bills.');
			if (errors.length) throw new ElementErrors(errors);
			const batch: BatchPaymentRecord = {
				BatchPaymentID: ctx.newId(),
				AccountID: account!.AccountID,
				Date: checked[0].date,
				Reference: str(input.Reference),
				Particulars: str(input.Particulars),
				Code: str(input.Code),
				Details: str(input.Details),
				Narrative: str(input.Narrative),
				Type: checked[0].invoice.Type === 'ACCPAY' ? 'PAYBATCH' : 'RECBATCH',
				Status: 'AUTHORISED',
				TotalAmount: round(
					checked.reduce((s, c) => s + c.amount, 0),
					2,
				),
				IsReconciled: false,
				PaymentIDs: [],
				UpdatedDateUTC: ctx.now,
			};
			for (const c of checked)
				batch.PaymentIDs.push(commitPayment(ctx, c, batch.BatchPaymentID).PaymentID);
			ctx.tenant.batchPayments.push(batch);
			return { ok: true, json: batchPaymentJson(ctx.tenant, batch) };
		} catch (error) {
			if (error instanceof ElementErrors) {
				return {
					ok: false,
					json: { ValidationErrors: error.messages.map((Message) => ({ Message })) },
				};
			}
			throw error;
		}
	});
	return answerBatch(ctx, 'BatchPayments', outcomes);
}

/** POST /BatchPayments with `{BatchPaymentID, Status: "DELETED"}` deletes the batch and its payments. */
export function postBatchPayments(ctx: ApiContext): ApiResult {
	const input = asObject(ctx.body);
	const id = str(input?.BatchPaymentID);
	const b = id
		? ctx.tenant.batchPayments.find((x) => x.BatchPaymentID.toLowerCase() === id.toLowerCase())
		: undefined;
	if (!b)
		throw singleValidationError('A BatchPaymentID of an existing batch payment must be given.');
	if ((str(input?.Status) ?? '').toUpperCase() !== 'DELETED')
		throw singleValidationError(
			'Batch payments can only be deleted: send {"BatchPaymentID", "Status": "DELETED"}.',
		);
	if (b.Status === 'DELETED')
		throw singleValidationError('This batch payment has already been deleted.');
	b.Status = 'DELETED';
	b.UpdatedDateUTC = ctx.now;
	for (const pid of b.PaymentIDs) {
		const p = ctx.tenant.payments.find((x) => x.PaymentID === pid);
		if (p && p.Status === 'AUTHORISED') removePayment(ctx, p);
	}
	return { status: 200, body: { BatchPayments: [batchPaymentJson(ctx.tenant, b)] } };
}
