import type { IDataObject } from 'n8n-workflow';

import { classifyExisting, type Editability } from '../../mapping/invoice';
import type {
	CommusoftInvoiceInput,
	InvoiceIssue,
	XeroInvoice,
	XeroInvoicePayload,
} from '../../mapping/types';
import type { StatusChange } from '../../mapping/upsertPlan';

/**
 * What differs between the sales documents one upsert engine writes: the Xero endpoint and its field names,
 * the document Type, how Xero's record maps to the shape the plan compares (an invoice's), which edits Xero
 * refuses, and the names of the node parameters and result fields. The plan (mapping/upsertPlan.ts) works on
 * the invoice shape; a kind translates at the edges (look-ups in, writes out, results out).
 */
export interface DocumentKind {
	resource: string;
	/** lower-case noun for messages: "invoice", "credit note" */
	noun: string;
	/** Xero path and envelope key: "/Invoices" and "Invoices" */
	path: string;
	collectionKey: string;
	/** Xero's number and id fields on this document */
	numberField: string;
	idField: string;
	/** Xero document Type this engine writes */
	type: string;
	/** node parameter names (fixed: templates depend on them) */
	params: { source: string; json: string; refused: string };
	/** result field names: number, Xero id, Commusoft id */
	resultFields: { number: string; id: string; commusoftId: string };
	/**
	 * Whether a number this process has not seen in Xero may be sent straight as a create (PUT): only where
	 * Xero refuses a create whose number is taken (`numberTaken`), so a wrong guess changes nothing.
	 */
	numberTaken?: RegExp;
	/** query parameters that find documents by their numbers (undefined: a where clause on numberField) */
	numbersQuery?: (numbers: string[]) => IDataObject;
	/** the input item → the invoice-shaped record the mapping reads */
	toInput(json: IDataObject): CommusoftInvoiceInput;
	/** a mapping issue in this document's words and field names */
	reword(issue: InvoiceIssue): InvoiceIssue;
	/** Xero's record → the invoice shape the plan compares */
	fromXero(element: IDataObject): XeroInvoice;
	/** the planned payload (invoice shape) → what Xero's spec documents for this document */
	toXero(payload: XeroInvoicePayload | StatusChange): IDataObject;
	/** what to do about an edit Xero refuses (the error item's fix) */
	refusedFix: string;
	/** payload fields this document does not have in Xero (left out before planning, so never compared) */
	omit: Array<'DueDate' | 'Url'>;
	/** whether Xero lets this document be edited, and why not */
	classify(existing: XeroInvoice): Editability;
}

export const invoiceKind: DocumentKind = {
	resource: 'invoice',
	noun: 'invoice',
	path: '/Invoices',
	collectionKey: 'Invoices',
	numberField: 'InvoiceNumber',
	idField: 'InvoiceID',
	type: 'ACCREC',
	params: { source: 'invoiceSource', json: 'invoiceJson', refused: 'refusedInvoices' },
	resultFields: { number: 'invoiceNumber', id: 'invoiceId', commusoftId: 'commusoftInvoiceId' },
	// Xero's answer to a create whose ACCREC InvoiceNumber is taken
	// (https://developer.xero.com/documentation/api/accounting/invoices).
	numberTaken: /invoice #? ?must be unique/i,
	numbersQuery: (numbers) => ({ InvoiceNumbers: numbers.join(','), where: 'Type=="ACCREC"' }),
	toInput: (json) => json as unknown as CommusoftInvoiceInput,
	reword: (issue) => issue,
	fromXero: (element) => element as unknown as XeroInvoice,
	toXero: (payload) => payload as unknown as IDataObject,
	omit: [],
	refusedFix:
		'Make the change in Xero (remove the payment or allocation, or raise a credit note), or cancel the change in Commusoft.',
	classify: classifyExisting,
};

/** A Xero credit note as read back (the fields the plan and the allocation step use). */
export interface XeroCreditNoteRead extends XeroInvoice {
	RemainingCredit?: number;
	Total?: number;
	Allocations?: Array<{
		Amount?: number;
		Invoice?: { InvoiceID?: string; InvoiceNumber?: string };
	}>;
}

/**
 * Xero refuses to change a credit note with credit allocated or paid out (only SentToContact may change), and a
 * voided or deleted one (https://developer.xero.com/documentation/api/accounting/creditnotes).
 */
function classifyCreditNote(existing: XeroInvoice): Editability {
	const note = existing as XeroCreditNoteRead;
	const status = (note.Status ?? '').toUpperCase();
	if (status === 'VOIDED')
		return { editable: false, reason: 'voided in Xero: a voided credit note cannot be changed' };
	if (status === 'DELETED')
		return { editable: false, reason: 'deleted in Xero: a deleted credit note cannot be changed' };
	const allocated = (note.Allocations ?? []).reduce((sum, a) => sum + Number(a.Amount ?? 0), 0);
	if (status === 'PAID' || allocated > 0)
		return {
			editable: false,
			reason: `credit allocated or paid out in Xero (${Math.round(allocated * 100) / 100} allocated, ${note.RemainingCredit ?? 0} remaining): a credit note with credit allocated cannot be edited (remove the allocation in Xero first)`,
		};
	if ((note.Payments?.length ?? 0) > 0)
		return {
			editable: false,
			reason: 'refunded in Xero (a payment is recorded on it): it cannot be edited',
		};
	return { editable: true };
}

/** CreditNote fields the spec documents beside those the invoice shape shares: no Url, and no due date to send. */
export const creditNoteKind: DocumentKind = {
	resource: 'creditNote',
	noun: 'credit note',
	path: '/CreditNotes',
	collectionKey: 'CreditNotes',
	numberField: 'CreditNoteNumber',
	idField: 'CreditNoteID',
	type: 'ACCRECCREDIT',
	params: { source: 'creditNoteSource', json: 'creditNoteJson', refused: 'refusedCreditNotes' },
	resultFields: {
		number: 'creditNoteNumber',
		id: 'creditNoteId',
		commusoftId: 'commusoftCreditNoteId',
	},
	toInput: (json) =>
		({ ...json, invoiceNumber: json.creditNoteNumber }) as unknown as CommusoftInvoiceInput,
	reword: (issue) => {
		const words = (text: string) =>
			text
				.replace(/\binvoice number\b/g, 'credit note number')
				.replace(/\binvoice\b/g, 'credit note');
		return {
			...issue,
			field: issue.field.replace(
				'InvoiceNumber (invoiceNumber)',
				'CreditNoteNumber (creditNoteNumber)',
			),
			message: words(issue.message),
			fix: words(issue.fix),
		};
	},
	fromXero: (element) => {
		const { CreditNoteID, CreditNoteNumber, ...rest } = element;
		return { ...rest, InvoiceID: CreditNoteID, InvoiceNumber: CreditNoteNumber } as XeroInvoice;
	},
	omit: ['DueDate', 'Url'],
	refusedFix:
		'Remove the allocation or refund in Xero and run again, or raise a new credit note in Commusoft for the difference.',
	toXero: (payload) => {
		const { InvoiceID, InvoiceNumber, ...rest } = payload as XeroInvoicePayload & StatusChange;
		const out: IDataObject = { ...(rest as IDataObject) };
		if ('Type' in out) out.Type = 'ACCRECCREDIT';
		if (InvoiceID) out.CreditNoteID = InvoiceID;
		if (InvoiceNumber) out.CreditNoteNumber = InvoiceNumber;
		return out;
	},
	classify: classifyCreditNote,
};
