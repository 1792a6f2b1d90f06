// Commusoft payment → Xero payment: reading the input record, the no-loop marker and the plan of what to write.
// Pure functions (docs/ARCHITECTURE.md layer 3); the rules are docs/xero-rules.md §6.2 and the "Payments both
// ways" section of docs/ARCHITECTURE.md.
import type { IDataObject } from 'n8n-workflow';

import type { CommusoftPayment, CommusoftRefundPayment } from '../../Commusoft/records';
import { parseDate, parseNumber } from '../../shared/parse';

/**
 * The marker every payment this package writes to Xero carries at the start of its Reference: it names the
 * Commusoft payment, so a retry finds it (at most one Xero payment per Commusoft payment) and the Xero → Commusoft
 * readers (Payment Trigger, Payment → Get Many) know never to bring it back.
 */
export const COMMUSOFT_PAYMENT_MARKER = 'Commusoft payment ';
const MARKER_RE = /^Commusoft payment ([^\s·]+)/i;
/** Xero documents no length for a payment Reference; the rest of the line is cut to stay readable. */
const REFERENCE_MAX = 255;

export function commusoftPaymentReference(paymentId: string, reference?: string): string {
	const text = `${COMMUSOFT_PAYMENT_MARKER}${paymentId}${reference ? ` · ${reference}` : ''}`;
	return text.length > REFERENCE_MAX ? text.slice(0, REFERENCE_MAX) : text;
}

/**
 * The marker of a refund this package records on a Xero credit note (a payment on the credit note, Xero's
 * ARCREDITPAYMENT): the Commusoft refund's id, found again on a retry and never brought back to Commusoft.
 */
export const COMMUSOFT_REFUND_MARKER = 'Commusoft refund ';
const REFUND_MARKER_RE = /^Commusoft refund ([^\s·]+)/i;

export function commusoftRefundReference(refundId: string, creditNoteNumber: string): string {
	const text = `${COMMUSOFT_REFUND_MARKER}${refundId} · ${creditNoteNumber}`;
	return text.length > REFERENCE_MAX ? text.slice(0, REFERENCE_MAX) : text;
}

/** The Commusoft refund id a Xero payment Reference names, when it carries the refund marker. */
export function commusoftRefundIdIn(reference: unknown): string | undefined {
	if (typeof reference !== 'string') return undefined;
	return REFUND_MARKER_RE.exec(reference.trim())?.[1];
}

/** The Commusoft payment id a Xero payment Reference names, when it carries our marker. */
export function commusoftPaymentIdIn(reference: unknown): string | undefined {
	if (typeof reference !== 'string') return undefined;
	return MARKER_RE.exec(reference.trim())?.[1];
}

/**
 * A Commusoft payment that came from Xero: Commusoft → Payment → Create stores the Xero PaymentID as its
 * `externalReference`, and nothing else this package writes sets it. Such a payment is never sent to Xero.
 */
export function cameFromXero(payment: Pick<CommusoftPayment, 'externalReference'>): boolean {
	return typeof payment.externalReference === 'string' && payment.externalReference.trim() !== '';
}

/** Commusoft's payment methods (Commusoft → Payment → Create) and the "any other" entry of the mapping. */
export const PAYMENT_METHODS = [
	{ name: 'Bank Transfer (BACS)', value: 'bank_transfer' },
	{ name: 'Card', value: 'card' },
	{ name: 'Cash', value: 'cash' },
	{ name: 'Cheque', value: 'cheque' },
	{ name: 'Other', value: 'other' },
	{ name: 'Any Other Method', value: '*' },
] as const;

export interface Refusal {
	message: string;
	/** what an office person does about it */
	fix: string;
}

export type ReadPayment = { ok: true; payment: CommusoftPayment } | ({ ok: false } & Refusal);

const text = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== ''
		? value.trim()
		: typeof value === 'number'
			? String(value)
			: undefined;

const RECORD_FIX =
	'Feed this operation Commusoft payment records as the Commusoft Trigger (Payment Recorded) or Commusoft → Payment → Get Many emit them';

/** One input item → CommusoftPayment, or what is wrong with it (naming the field and the fix). */
export function readCommusoftPayment(raw: unknown): ReadPayment {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw))
		return { ok: false, message: 'the payment is not an object', fix: RECORD_FIX };
	const r = raw as IDataObject;
	const id = text(r.id);
	if (!id) return { ok: false, message: 'the payment has no "id"', fix: RECORD_FIX };
	const bad = (field: string, problem: string, fix: string): ReadPayment => ({
		ok: false,
		message: `Commusoft payment ${id}: "${field}" ${problem}`,
		fix,
	});
	const invoiceId = text(r.invoiceId);
	if (!invoiceId) return bad('invoiceId', 'is missing', RECORD_FIX);
	const invoiceNumber = text(r.invoiceNumber);
	if (!invoiceNumber)
		return bad(
			'invoiceNumber',
			'is missing, so the Xero invoice cannot be found',
			`${RECORD_FIX}; they carry the invoice number the invoice was sent to Xero with`,
		);
	const amount = parseNumber(r.amount, {
		min: 0,
		exclusiveMin: true,
		max: 1e12,
		maxDecimals: 2,
		example: '120.50',
	});
	if (!amount.ok) return bad('amount', amount.problem, amount.fix);
	const date = parseDate(r.date);
	if (!date.ok) return bad('date', date.problem, date.fix);
	const currency = text(r.currency)?.toUpperCase();
	const payment: CommusoftPayment = {
		id,
		invoiceId,
		invoiceNumber,
		amount: amount.value,
		date: date.value,
	};
	if (currency) payment.currency = currency;
	const method = text(r.method);
	if (method) payment.method = method;
	const reference = text(r.reference);
	if (reference) payment.reference = reference;
	const externalReference = text(r.externalReference);
	if (externalReference) payment.externalReference = externalReference;
	return { ok: true, payment };
}

/** What the plan needs of a Xero invoice (GET /Invoices; docs/xero-rules.md §3.3, §6.2). */
export interface XeroInvoiceForPayment {
	InvoiceID: string;
	InvoiceNumber?: string;
	Type?: string;
	Status?: string;
	AmountDue?: number;
	AmountPaid?: number;
	CurrencyCode?: string;
	Url?: string;
	Payments?: Array<{ PaymentID?: string; Amount?: number; Reference?: string }>;
}

/** The Xero account a method maps to, checked against the organisation's accounts. */
export type AccountChoice = { ok: true; accountId: string } | ({ ok: false } & Refusal);

export type PaymentPlan =
	| { kind: 'skip'; reason: string }
	| { kind: 'existing'; xeroPaymentId: string; invoice: XeroInvoiceForPayment }
	| { kind: 'refuse'; refusal: Refusal }
	| { kind: 'write'; element: IDataObject; invoice: XeroInvoiceForPayment };

const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const money = (currency: string | undefined, value: number) =>
	`${currency ? `${currency} ` : ''}${value.toFixed(2)}`;

function statusRefusal(invoice: XeroInvoiceForPayment, number: string): Refusal | undefined {
	switch ((invoice.Status ?? '').toUpperCase()) {
		case 'AUTHORISED':
			return undefined;
		case 'DRAFT':
		case 'SUBMITTED':
			return {
				message: `Invoice ${number} is not approved in Xero (status ${invoice.Status}); Xero takes payments only on approved invoices`,
				fix: `Approve invoice ${number} in Xero (or send it again as Authorised), then run this payment again.`,
			};
		case 'PAID':
			return {
				message: `Invoice ${number} is already fully paid in Xero (${money(invoice.CurrencyCode, Number(invoice.AmountPaid ?? 0))} paid)`,
				fix: `Check invoice ${number} in Xero for a payment entered by hand; if the customer really paid twice, record the refund or overpayment in Xero by hand.`,
			};
		case 'VOIDED':
			return {
				message: `Invoice ${number} was voided in Xero, so it cannot take a payment`,
				fix: `Ask whoever voided ${number} in Xero which invoice replaced it, and record this payment against that one (or correct the invoice in Commusoft and send it again).`,
			};
		case 'DELETED':
			return {
				message: `Invoice ${number} was deleted in Xero, so it cannot take a payment`,
				fix: `Send invoice ${number} to Xero again (Xero Accounting → Invoice → Create or Update), then run this payment again.`,
			};
		default:
			return {
				message: `Invoice ${number} has status ${invoice.Status ?? '(none)'} in Xero, which cannot take a payment`,
				fix: `Check invoice ${number} in Xero.`,
			};
	}
}

/**
 * Decides, per input item and in input order, what to do with each payment:
 * - a payment that came from Xero (`externalReference` set) is skipped (never sent back);
 * - a payment Xero already holds (an invoice payment whose Reference names it) is reported, not written again;
 * - the same Commusoft payment twice in one run is written once;
 * - an invoice that is missing, not approved, paid, voided or deleted, another currency, or an invoice linked to
 *   another Commusoft invoice is refused with what to do; so is an amount above what is still due (counting the
 *   payments written before it in this run);
 * - everything else becomes one element of PUT /Payments.
 * `invoicesByNumber` holds every ACCREC invoice Xero returned for the numbers (deleted ones included, if any).
 */
export function planPayments(
	payments: Array<CommusoftPayment | undefined>,
	invoicesByNumber: Map<string, XeroInvoiceForPayment[]>,
	accountFor: (method: string | undefined) => AccountChoice,
): Array<PaymentPlan | undefined> {
	const pendingByInvoice = new Map<string, number>();
	const planned = new Map<string, number>();
	return payments.map((payment, position): PaymentPlan | undefined => {
		if (!payment) return undefined;
		if (cameFromXero(payment))
			return {
				kind: 'skip',
				reason: `came from Xero (its external reference ${payment.externalReference} is a Xero payment): never sent back`,
			};
		const earlier = planned.get(payment.id);
		if (earlier !== undefined)
			return {
				kind: 'skip',
				reason: `the same Commusoft payment is item ${earlier} of this run, which records it`,
			};
		const number = payment.invoiceNumber!;
		const candidates = invoicesByNumber.get(number) ?? [];
		const live = candidates.filter((i) => (i.Status ?? '').toUpperCase() !== 'DELETED');
		const found = [...live, ...candidates].find((invoice) =>
			(invoice.Payments ?? []).some((p) => commusoftPaymentIdIn(p.Reference) === payment.id),
		);
		if (found) {
			const existing = found.Payments!.find(
				(p) => commusoftPaymentIdIn(p.Reference) === payment.id,
			)!;
			planned.set(payment.id, position);
			return { kind: 'existing', xeroPaymentId: String(existing.PaymentID), invoice: found };
		}
		const refuse = (refusal: Refusal): PaymentPlan => ({ kind: 'refuse', refusal });
		if (live.length > 1)
			return refuse({
				message: `${live.length} Xero invoices have the number ${number}`,
				fix: `Leave one sales invoice numbered ${number} in Xero (void or renumber the others), then run this payment again.`,
			});
		const invoice = live[0] ?? candidates[0];
		if (!invoice)
			return refuse({
				message: `Invoice ${number} is not in Xero`,
				fix: `Send invoice ${number} to Xero first (Xero Accounting → Invoice → Create or Update), then run this payment again.`,
			});
		const linked = invoice.Url?.match(UUID_IN_TEXT);
		const linkedId = linked?.[linked.length - 1]?.toLowerCase();
		if (linkedId && linkedId !== payment.invoiceId.toLowerCase())
			return refuse({
				message: `Xero invoice ${number} belongs to Commusoft invoice ${linkedId}, not ${payment.invoiceId} (the invoice this payment is for)`,
				fix: `Check the invoice numbers in Commusoft and Xero: two invoices share ${number}.`,
			});
		const status = statusRefusal(invoice, number);
		if (status) return refuse(status);
		if (
			payment.currency &&
			invoice.CurrencyCode &&
			payment.currency !== invoice.CurrencyCode.toUpperCase()
		)
			return refuse({
				message: `Payment is in ${payment.currency} but invoice ${number} is in ${invoice.CurrencyCode} in Xero`,
				fix: `Record the payment in ${invoice.CurrencyCode} in Commusoft, or enter it in Xero by hand with the exchange rate.`,
			});
		const pending = pendingByInvoice.get(invoice.InvoiceID) ?? 0;
		const due = Math.round((Number(invoice.AmountDue ?? 0) - pending) * 100) / 100;
		if (Math.round(payment.amount * 100) > Math.round(due * 100))
			return refuse({
				message: `Payment of ${money(invoice.CurrencyCode, payment.amount)} is more than the ${money(invoice.CurrencyCode, due)} still due on invoice ${number} in Xero${pending > 0 ? ` (after ${money(invoice.CurrencyCode, pending)} of other payments in this run)` : ''}`,
				fix: `Check the amount in Commusoft against invoice ${number} in Xero; Xero refuses payments above the amount due. If the customer paid too much, record the difference in Xero by hand as an overpayment.`,
			});
		const account = accountFor(payment.method);
		if (!account.ok) return refuse(account);
		pendingByInvoice.set(invoice.InvoiceID, pending + payment.amount);
		planned.set(payment.id, position);
		return {
			kind: 'write',
			invoice,
			element: {
				Invoice: { InvoiceID: invoice.InvoiceID },
				Account: { AccountID: account.accountId },
				Date: payment.date,
				Amount: payment.amount,
				Reference: commusoftPaymentReference(payment.id, payment.reference),
			},
		};
	});
}

/** One entry of the "Payment Method → Bank Account" parameter. */
export interface MethodMapping {
	method: string;
	accountId: string;
}

/** The organisation's account as the payment check needs it (GET /Accounts). */
export interface XeroAccountForPayment {
	AccountID?: string;
	Code?: string;
	Name?: string;
	Type?: string;
	Status?: string;
	EnablePaymentsToAccount?: boolean;
}

/** Xero takes payments into a BANK account or one with payments enabled (docs/xero-rules.md §6.2). */
export function takesPayments(account: XeroAccountForPayment): boolean {
	return (
		(account.Status ?? 'ACTIVE') === 'ACTIVE' &&
		(account.Type === 'BANK' || account.EnablePaymentsToAccount === true)
	);
}

const MAPPING_FIX = (method: string) =>
	`Add an entry for "${method}" under "Payment Method → Bank Account" in this node (or an "Any Other Method" entry), choosing the Xero bank account these payments go into.`;

/**
 * The account for a payment method: its own entry, else the "Any Other Method" entry; refused naming the
 * method and the fix when there is none, or when the account cannot take payments (gone, archived, not a bank
 * account and payments not enabled on it).
 */
export function chooseAccount(
	method: string | undefined,
	mappings: MethodMapping[],
	accounts: XeroAccountForPayment[],
): AccountChoice {
	const name = method ?? '(no method)';
	const entry =
		mappings.find((m) => method !== undefined && m.method.toLowerCase() === method.toLowerCase()) ??
		mappings.find((m) => m.method === '*');
	if (!entry || !entry.accountId.trim())
		return {
			ok: false,
			message: `Payment method "${name}" has no Xero bank account`,
			fix: MAPPING_FIX(name),
		};
	const wanted = entry.accountId.trim().toLowerCase();
	const account = accounts.find(
		(a) => a.AccountID?.toLowerCase() === wanted || a.Code?.toLowerCase() === wanted,
	);
	if (!account || !takesPayments(account) || !account.AccountID)
		return {
			ok: false,
			message: `The Xero account chosen for payment method "${name}" (${entry.accountId}) ${account ? 'cannot take payments (it is archived, or not a bank account and "Enable payments to this account" is off)' : 'is not in this Xero organisation'}`,
			fix: `Choose a bank account for "${name}" under "Payment Method → Bank Account", or turn on "Enable payments to this account" for it in Xero's chart of accounts.`,
		};
	return { ok: true, accountId: account.AccountID };
}

// ---- Refunds: money paid back in Commusoft against a credit note → a Xero payment on the credit note ----

/** One refund paid out in Commusoft against a credit note, as Payment → Create reads it. */
export interface CommusoftRefund extends CommusoftRefundPayment {
	/** the credit note's number, shared by Commusoft and Xero (the credit-note upsert sends it) */
	creditNoteNumber: string;
	/** the Commusoft credit note's id, when the input is the credit note itself */
	commusoftCreditNoteId?: string;
	currency?: string;
}

export type ReadRefunds = { ok: true; refunds: CommusoftRefund[] } | ({ ok: false } & Refusal);

const REFUND_FIX =
	'Feed this operation Commusoft credit notes (their "refundPayments") or refund items with "id", "creditNoteNumber", "amount", "date" and "method"';

const isObjectRecord = (value: unknown): value is IDataObject =>
	!!value && typeof value === 'object' && !Array.isArray(value);

/** An input item that names a credit note is a credit note (with its refunds) or one refund of it. */
export function isRefundInput(raw: unknown): boolean {
	return isObjectRecord(raw) && text(raw.creditNoteNumber) !== undefined;
}

function readRefund(
	r: unknown,
	where: string,
	creditNoteNumber: string,
	currency: string | undefined,
	commusoftCreditNoteId: string | undefined,
): { ok: true; refund: CommusoftRefund } | ({ ok: false } & Refusal) {
	if (!isObjectRecord(r))
		return { ok: false, message: `${where} is not an object`, fix: REFUND_FIX };
	const id = text(r.id);
	if (!id) return { ok: false, message: `${where} has no "id"`, fix: REFUND_FIX };
	const bad = (field: string, problem: string, fix: string) => ({
		ok: false as const,
		message: `Commusoft refund ${id} (credit note ${creditNoteNumber}): "${field}" ${problem}`,
		fix,
	});
	const amount = parseNumber(r.amount, {
		min: 0,
		exclusiveMin: true,
		max: 1e12,
		maxDecimals: 2,
		example: '72.00',
	});
	if (!amount.ok) return bad('amount', amount.problem, amount.fix);
	const date = parseDate(r.date);
	if (!date.ok) return bad('date', date.problem, date.fix);
	const refund: CommusoftRefund = { id, creditNoteNumber, amount: amount.value, date: date.value };
	const method = text(r.method);
	if (method) refund.method = method;
	const ownCurrency = text(r.currency)?.toUpperCase() ?? currency;
	if (ownCurrency) refund.currency = ownCurrency;
	if (commusoftCreditNoteId) refund.commusoftCreditNoteId = commusoftCreditNoteId;
	return { ok: true, refund };
}

/**
 * One input item → its refunds: a Commusoft credit note (Commusoft Trigger, Credit Note → Get) gives each of its
 * `refundPayments` (none: an empty list); a refund item (`id`, `creditNoteNumber`, `amount`, `date`, `method`)
 * gives itself. Anything unreadable is refused naming the refund, the field and the fix.
 */
export function readCommusoftRefunds(raw: unknown): ReadRefunds {
	if (!isObjectRecord(raw) || !isRefundInput(raw))
		return { ok: false, message: 'the item names no "creditNoteNumber"', fix: REFUND_FIX };
	const creditNoteNumber = text(raw.creditNoteNumber)!;
	const currency = text(raw.currency)?.toUpperCase();
	const isCreditNote =
		'refundPayments' in raw || isObjectRecord(raw.customer) || Array.isArray(raw.lines);
	if (!isCreditNote) {
		const one = readRefund(raw, 'the refund', creditNoteNumber, currency, undefined);
		return one.ok ? { ok: true, refunds: [one.refund] } : one;
	}
	const list: unknown = raw.refundPayments ?? [];
	if (!Array.isArray(list))
		return {
			ok: false,
			message: `Credit note ${creditNoteNumber}: "refundPayments" is not a list`,
			fix: REFUND_FIX,
		};
	const refunds: CommusoftRefund[] = [];
	for (const [index, entry] of list.entries()) {
		const one = readRefund(
			entry,
			`Credit note ${creditNoteNumber} refund ${index + 1}`,
			creditNoteNumber,
			currency,
			text(raw.id),
		);
		if (!one.ok) return one;
		refunds.push(one.refund);
	}
	return { ok: true, refunds };
}

/** What the refund plan needs of a Xero credit note (GET /CreditNotes; docs/xero-rules.md §6.2). */
export interface XeroCreditNoteForRefund {
	CreditNoteID: string;
	CreditNoteNumber?: string;
	Type?: string;
	Status?: string;
	RemainingCredit?: number;
	CurrencyCode?: string;
	Payments?: Array<{ PaymentID?: string; Amount?: number; Reference?: string }>;
}

export type RefundPlan =
	| { kind: 'skip'; reason: string }
	| { kind: 'existing'; xeroPaymentId: string; creditNote: XeroCreditNoteForRefund }
	| { kind: 'refuse'; refusal: Refusal }
	| { kind: 'write'; element: IDataObject; creditNote: XeroCreditNoteForRefund };

function creditNoteStatusRefusal(
	note: XeroCreditNoteForRefund,
	number: string,
): Refusal | undefined {
	switch ((note.Status ?? '').toUpperCase()) {
		case 'AUTHORISED':
			return undefined;
		case 'DRAFT':
		case 'SUBMITTED':
			return {
				message: `Credit note ${number} is not approved in Xero (status ${note.Status}); Xero takes refunds only on approved credit notes`,
				fix: `Approve credit note ${number} in Xero (or send it again as Authorised), then run this refund again.`,
			};
		case 'PAID':
			return {
				message: `Credit note ${number} has no credit left in Xero (all of it is allocated or refunded)`,
				fix: `Check credit note ${number} in Xero for a refund entered by hand or an allocation to an invoice; remove it there if this refund is the right one.`,
			};
		case 'VOIDED':
			return {
				message: `Credit note ${number} was voided in Xero, so no refund can be recorded on it`,
				fix: `Ask whoever voided ${number} in Xero which credit note replaced it, or send the credit note again from Commusoft, then run this refund again.`,
			};
		case 'DELETED':
			return {
				message: `Credit note ${number} was deleted in Xero, so no refund can be recorded on it`,
				fix: `Send credit note ${number} to Xero again (Xero Accounting → Credit Note → Create or Update), then run this refund again.`,
			};
		default:
			return {
				message: `Credit note ${number} has status ${note.Status ?? '(none)'} in Xero, which cannot take a refund`,
				fix: `Check credit note ${number} in Xero.`,
			};
	}
}

/**
 * The refund counterpart of `planPayments`, per refund in input order: already on the credit note (a payment
 * whose Reference names the refund) → reported; the same refund twice in one run → written once; a credit note
 * missing, not approved, without credit left, voided or deleted, in another currency, or a refund above the credit
 * left (counting refunds written before it in this run) → refused with what to do; a method with no account →
 * refused; the rest → one element of PUT /Payments paying the credit note (`CreditNote.CreditNoteID`, Xero's
 * ARCREDITPAYMENT: money out of the bank account).
 */
export function planRefunds(
	refunds: CommusoftRefund[],
	creditNotesByNumber: Map<string, XeroCreditNoteForRefund[]>,
	accountFor: (method: string | undefined) => AccountChoice,
): RefundPlan[] {
	const pendingByNote = new Map<string, number>();
	const planned = new Set<string>();
	return refunds.map((refund): RefundPlan => {
		if (planned.has(refund.id))
			return {
				kind: 'skip',
				reason: 'the same Commusoft refund appears earlier in this run, which records it',
			};
		const number = refund.creditNoteNumber;
		const candidates = creditNotesByNumber.get(number) ?? [];
		const live = candidates.filter((n) => (n.Status ?? '').toUpperCase() !== 'DELETED');
		const found = [...live, ...candidates].find((note) =>
			(note.Payments ?? []).some((p) => commusoftRefundIdIn(p.Reference) === refund.id),
		);
		if (found) {
			planned.add(refund.id);
			const existing = found.Payments!.find((p) => commusoftRefundIdIn(p.Reference) === refund.id)!;
			return { kind: 'existing', xeroPaymentId: String(existing.PaymentID), creditNote: found };
		}
		const refuse = (refusal: Refusal): RefundPlan => ({ kind: 'refuse', refusal });
		if (live.length > 1)
			return refuse({
				message: `${live.length} Xero credit notes have the number ${number}`,
				fix: `Leave one sales credit note numbered ${number} in Xero (void or renumber the others), then run this refund again.`,
			});
		const note = live[0] ?? candidates[0];
		if (!note)
			return refuse({
				message: `Credit note ${number} is not in Xero`,
				fix: `Send credit note ${number} to Xero first (Xero Accounting → Credit Note → Create or Update), then run this refund again.`,
			});
		const status = creditNoteStatusRefusal(note, number);
		if (status) return refuse(status);
		if (refund.currency && note.CurrencyCode && refund.currency !== note.CurrencyCode.toUpperCase())
			return refuse({
				message: `Refund is in ${refund.currency} but credit note ${number} is in ${note.CurrencyCode} in Xero`,
				fix: `Record the refund in ${note.CurrencyCode} in Commusoft, or enter it in Xero by hand with the exchange rate.`,
			});
		const pending = pendingByNote.get(note.CreditNoteID) ?? 0;
		const left = Math.round((Number(note.RemainingCredit ?? 0) - pending) * 100) / 100;
		if (Math.round(refund.amount * 100) > Math.round(left * 100))
			return refuse({
				message: `Refund of ${money(note.CurrencyCode, refund.amount)} is more than the ${money(note.CurrencyCode, left)} of credit left on credit note ${number} in Xero${pending > 0 ? ` (after ${money(note.CurrencyCode, pending)} of other refunds in this run)` : ''}`,
				fix: `Check the refund in Commusoft against credit note ${number} in Xero; Xero refunds no more than the credit left (credit allocated to an invoice is no longer left to refund).`,
			});
		const account = accountFor(refund.method);
		if (!account.ok) return refuse(account);
		pendingByNote.set(note.CreditNoteID, pending + refund.amount);
		planned.add(refund.id);
		return {
			kind: 'write',
			creditNote: note,
			element: {
				CreditNote: { CreditNoteID: note.CreditNoteID },
				Account: { AccountID: account.accountId },
				Date: refund.date,
				Amount: refund.amount,
				Reference: commusoftRefundReference(refund.id, number),
			},
		};
	});
}
