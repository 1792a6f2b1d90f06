// Pure mapping for the Xero Payment Trigger: Xero Payment JSON (+ the invoice it pays) → XeroPaymentRecord.
// No n8n context, no HTTP (ARCHITECTURE.md layer 3).
import { commusoftPaymentIdIn, commusoftRefundIdIn } from '../mapping/payment';
import type { XeroPaymentRecord } from '../records';

/** The part of a Xero Payment (spec `Payment`, docs/xero-rules.md §6.2) the trigger reads. */
export interface XeroPaymentJson {
	PaymentID?: string;
	BatchPaymentID?: string;
	BatchPayment?: { BatchPaymentID?: string };
	Date?: string;
	Amount?: number | string;
	Reference?: string;
	PaymentType?: string;
	Status?: string;
	UpdatedDateUTC?: string;
	IsReconciled?: boolean | string;
	Account?: { AccountID?: string; Code?: string };
	Invoice?: XeroInvoiceSummary;
}

/** What the trigger needs of an invoice: from the payment's nested summary or from GET /Invoices?IDs=. */
export interface XeroInvoiceSummary {
	InvoiceID?: string;
	InvoiceNumber?: string;
	Reference?: string;
	Url?: string;
	CurrencyCode?: string;
	Type?: string;
}

export type CommusoftRuleKind =
	| 'invoiceNumberPrefix'
	| 'invoiceNumberPattern'
	| 'referencePattern'
	| 'urlPrefix';

export interface CommusoftRule {
	kind: CommusoftRuleKind;
	value: string;
}

/** Which invoice fields a rule reads; `Url` is not in the summary Xero nests in a payment. */
export function invoiceFieldsNeeded(rule: CommusoftRule): Array<keyof XeroInvoiceSummary> {
	switch (rule.kind) {
		case 'referencePattern':
			return ['InvoiceNumber', 'Reference'];
		case 'urlPrefix':
			return ['InvoiceNumber', 'Url'];
		default:
			return ['InvoiceNumber'];
	}
}

/** True when the nested summary lacks something the rule or the record needs: look the invoice up. */
export function needsInvoiceLookup(
	summary: XeroInvoiceSummary | undefined,
	rule: CommusoftRule,
): boolean {
	if (!summary?.InvoiceID) return false;
	if (!summary.InvoiceNumber || !summary.CurrencyCode) return true;
	return invoiceFieldsNeeded(rule).some((field) => summary[field] === undefined);
}

export type CommusoftMatcher = (invoice: XeroInvoiceSummary) => string | undefined;

/**
 * Compiles the "came from Commusoft" rule into a matcher returning the matched value (the Commusoft
 * reference), or a problem naming the parameter and the fix when the value is empty or not a valid pattern.
 */
export function compileCommusoftRule(
	rule: CommusoftRule,
): { match: CommusoftMatcher } | { problem: string } {
	const value = rule.value.trim();
	if (value === '') {
		return {
			problem:
				'"Commusoft Rule Value" is empty: enter the invoice-number prefix (e.g. CS-), a pattern, or the Commusoft link prefix',
		};
	}
	if (rule.kind === 'invoiceNumberPrefix') {
		const prefix = value.toLowerCase();
		return {
			match: (invoice) =>
				invoice.InvoiceNumber?.toLowerCase().startsWith(prefix) ? invoice.InvoiceNumber : undefined,
		};
	}
	if (rule.kind === 'urlPrefix') {
		const prefix = value.toLowerCase();
		return {
			match: (invoice) =>
				invoice.Url?.toLowerCase().startsWith(prefix) ? (invoice.InvoiceNumber ?? '') : undefined,
		};
	}
	let pattern: RegExp;
	try {
		pattern = new RegExp(value, 'i');
	} catch (error) {
		return {
			problem: `"Commusoft Rule Value" is not a valid regular expression (${(error as Error).message}): e.g. ^CS-\\d+$`,
		};
	}
	if (rule.kind === 'invoiceNumberPattern') {
		return {
			match: (invoice) =>
				invoice.InvoiceNumber !== undefined && pattern.test(invoice.InvoiceNumber)
					? invoice.InvoiceNumber
					: undefined,
		};
	}
	return {
		match: (invoice) =>
			invoice.Reference !== undefined && pattern.test(invoice.Reference)
				? invoice.Reference
				: undefined,
	};
}

const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** Xero dates come as `/Date(ms+0000)/` (spec `x-is-msdate`) or ISO (with or without zone; UTC). */
export function xeroDateToMs(value: unknown): number | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	const ms = MS_DATE.exec(text);
	if (ms) return Number(ms[1]);
	const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
	const parsed = Date.parse(hasZone || /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : `${text}Z`);
	return Number.isNaN(parsed) ? undefined : parsed;
}

export function xeroDateToIso(value: unknown): string | undefined {
	const ms = xeroDateToMs(value);
	return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Seen-set key of one payment version: a deletion changes the status (and UpdatedDateUTC), so the key. */
export function paymentVersionKey(payment: XeroPaymentJson): string {
	return `${payment.PaymentID ?? ''}:${payment.Status ?? ''}@${xeroDateToIso(payment.UpdatedDateUTC) ?? ''}`;
}

export interface RecordOptions {
	tenantId: string;
	/** from `compileCommusoftRule` */
	commusoftMatch: CommusoftMatcher;
	onlyCommusoft: boolean;
	includeDeleted: boolean;
	includeBillPayments: boolean;
}

export type MappingOutcome =
	| { kind: 'record'; record: XeroPaymentRecord }
	| { kind: 'skipped'; reason: string };

const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * One payment → one record. A payment always pays one document; a batch payment reaches the API as one
 * Payment per invoice carrying its BatchPaymentID (docs/xero-rules.md §6.4), so each becomes its own record.
 * `invoice` is the looked-up invoice when the nested summary was not enough.
 */
export function toPaymentRecord(
	payment: XeroPaymentJson,
	invoice: XeroInvoiceSummary | undefined,
	options: RecordOptions,
): MappingOutcome {
	const summary: XeroInvoiceSummary = { ...(payment.Invoice ?? {}), ...(invoice ?? {}) };
	if (!payment.PaymentID) return { kind: 'skipped', reason: 'payment without PaymentID' };
	// No loops (docs/ARCHITECTURE.md, "Payments both ways"): a payment Xero Accounting → Payment → Create wrote
	// for a Commusoft payment carries its marker in the Reference and is never brought back to Commusoft.
	const fromCommusoft = commusoftPaymentIdIn(payment.Reference);
	if (fromCommusoft !== undefined)
		return {
			kind: 'skipped',
			reason: `came from Commusoft (payment ${fromCommusoft}): never recorded back`,
		};
	// The same for a refund Payment → Create recorded on a credit note for a Commusoft refund.
	const refundFromCommusoft = commusoftRefundIdIn(payment.Reference);
	if (refundFromCommusoft !== undefined)
		return {
			kind: 'skipped',
			reason: `came from Commusoft (refund ${refundFromCommusoft}): never recorded back`,
		};
	if (!summary.InvoiceID) {
		return {
			kind: 'skipped',
			reason: 'pays a credit note, prepayment or overpayment, not an invoice',
		};
	}
	const isBillPayment =
		payment.PaymentType !== undefined
			? payment.PaymentType.startsWith('ACCPAY')
			: summary.Type === 'ACCPAY';
	if (isBillPayment && !options.includeBillPayments)
		return { kind: 'skipped', reason: 'bill payment' };
	const status = payment.Status === 'DELETED' ? 'DELETED' : 'AUTHORISED';
	if (status === 'DELETED' && !options.includeDeleted)
		return { kind: 'skipped', reason: 'deleted' };
	const commusoftReference = options.commusoftMatch(summary);
	if (options.onlyCommusoft && commusoftReference === undefined) {
		return { kind: 'skipped', reason: 'invoice did not come from Commusoft' };
	}
	const amount = Number(payment.Amount);
	const updated = xeroDateToIso(payment.UpdatedDateUTC);
	const day = xeroDateToIso(payment.Date)?.slice(0, 10);
	if (!Number.isFinite(amount) || updated === undefined || day === undefined) {
		return { kind: 'skipped', reason: 'payment without a readable Amount, Date or UpdatedDateUTC' };
	}
	const record: XeroPaymentRecord = {
		paymentId: payment.PaymentID,
		status,
		invoiceId: summary.InvoiceID,
		invoiceNumber: summary.InvoiceNumber ?? '',
		amount,
		currency: summary.CurrencyCode ?? '',
		date: day,
		isReconciled: payment.IsReconciled === true || payment.IsReconciled === 'true',
		updatedDateUtc: updated,
		tenantId: options.tenantId,
	};
	const batchPaymentId = payment.BatchPaymentID ?? payment.BatchPayment?.BatchPaymentID;
	if (batchPaymentId) record.batchPaymentId = batchPaymentId;
	if (commusoftReference) record.commusoftReference = commusoftReference;
	// A stored link back to Commusoft ("Go to Commusoft", CommusoftInvoice.url) ends with the invoice's id.
	const linked = commusoftReference !== undefined ? summary.Url?.match(UUID_IN_TEXT) : null;
	if (linked && linked.length > 0)
		record.commusoftInvoiceId = linked[linked.length - 1].toLowerCase();
	if (payment.Account?.Code) record.accountCode = payment.Account.Code;
	if (payment.Account?.AccountID) record.accountId = payment.Account.AccountID;
	if (payment.Reference) record.reference = payment.Reference;
	return { kind: 'record', record };
}
