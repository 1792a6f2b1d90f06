// Commusoft payment → Xero payment: reading the input record, the no-loop marker and the plan of what to write.
// Pure functions (docs/ARCHITECTURE.md layer 3); the rules are docs/xero-rules.md §6.2 and the "Payments both
// ways" section of docs/ARCHITECTURE.md.
import type { IDataObject } from 'n8n-workflow';

import type { CommusoftPayment } from '../../Commusoft/records';
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
