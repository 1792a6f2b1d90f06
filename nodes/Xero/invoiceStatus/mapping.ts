// Pure mapping: a Xero invoice (spec `Invoice`) → the state change Commusoft is told about, or why not.
// No n8n context, no HTTP (ARCHITECTURE.md layer 3). Used by the webhook trigger and the poll fallback alike,
// so both emit the same record, with the same changeKey, for the same invoice version.
import type { XeroInvoiceState, XeroInvoiceStatusChange } from '../records';
import { xeroDateToIso, type CommusoftMatcher } from '../paymentTrigger/mapping';

/** The part of a Xero invoice the mapping reads. */
export interface XeroInvoiceStatusJson {
	InvoiceID?: string;
	InvoiceNumber?: string;
	Reference?: string;
	Url?: string;
	Type?: string;
	Status?: string;
	CurrencyCode?: string;
	Total?: number | string;
	AmountPaid?: number | string;
	AmountCredited?: number | string;
	AmountDue?: number | string;
	FullyPaidOnDate?: string;
	UpdatedDateUTC?: string;
}

/** Xero statuses a poll asks for (GET /Invoices `Statuses`): the ones that can be a state change here. */
export const STATUS_CHANGE_STATUSES = ['PAID', 'VOIDED', 'DELETED'] as const;

export type StatusOutcome =
	| { kind: 'change'; change: XeroInvoiceStatusChange }
	| { kind: 'skipped'; reason: string };

const UUID_IN_TEXT = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

const money = (value: unknown): number => {
	const number = Number(value ?? 0);
	return Number.isFinite(number) ? Math.round(number * 100) / 100 : Number.NaN;
};

/**
 * Which state the invoice is in, for Commusoft. Allocating a credit note raises the invoice's AmountCredited
 * and the invoice goes PAID once nothing is due
 * (https://developer.xero.com/documentation/api/accounting/creditnotes, "Allocating credit notes"), so a PAID
 * invoice whose credit alone covers its total was settled by credit notes: Commusoft sees CREDITED.
 */
export function invoiceState(invoice: XeroInvoiceStatusJson): XeroInvoiceState | undefined {
	if (invoice.Status === 'VOIDED' || invoice.Status === 'DELETED') return invoice.Status;
	if (invoice.Status !== 'PAID') return undefined;
	const total = money(invoice.Total);
	const credited = money(invoice.AmountCredited);
	return total > 0 && credited >= total ? 'CREDITED' : 'PAID';
}

/**
 * The key of one state change. VOIDED and DELETED are final in Xero; PAID and CREDITED can be undone (a
 * payment or allocation deleted) and reached again with other amounts, which is a new change.
 */
export function statusChangeKey(
	invoiceId: string,
	state: XeroInvoiceState,
	amountPaid: number,
	amountCredited: number,
): string {
	const base = `xero:${invoiceId.toLowerCase()}:${state}`;
	if (state === 'VOIDED' || state === 'DELETED') return base;
	return `${base}:${amountPaid.toFixed(2)}/${amountCredited.toFixed(2)}`;
}

function noteOf(change: Omit<XeroInvoiceStatusChange, 'note'>): string {
	const amount = `${change.total.toFixed(2)} ${change.currency}`.trim();
	const on = change.fullyPaidOnDate ? ` on ${change.fullyPaidOnDate}` : '';
	switch (change.state) {
		case 'VOIDED':
			return `Xero: invoice ${change.invoiceNumber} (${amount}) was voided in Xero; it is no longer owed there.`;
		case 'DELETED':
			return `Xero: invoice ${change.invoiceNumber} (${amount}) was deleted in Xero.`;
		case 'CREDITED':
			return `Xero: invoice ${change.invoiceNumber} (${amount}) was fully credited in Xero${on} (credit notes ${change.amountCredited.toFixed(2)}).`;
		default:
			return `Xero: invoice ${change.invoiceNumber} (${amount}) was fully paid in Xero${on} (paid ${change.amountPaid.toFixed(2)}${change.amountCredited > 0 ? `, credited ${change.amountCredited.toFixed(2)}` : ''}).`;
	}
}

/** One invoice version → its state change, when it is one Commusoft is told about. */
export function toStatusChange(
	invoice: XeroInvoiceStatusJson,
	options: { tenantId: string; commusoftMatch: CommusoftMatcher },
): StatusOutcome {
	if (!invoice.InvoiceID) return { kind: 'skipped', reason: 'invoice without InvoiceID' };
	if (invoice.Type !== undefined && invoice.Type !== 'ACCREC')
		return { kind: 'skipped', reason: 'not a sales invoice' };
	const state = invoiceState(invoice);
	if (state === undefined)
		return { kind: 'skipped', reason: `status ${invoice.Status ?? 'unknown'} is not reported` };
	const commusoftReference = options.commusoftMatch(invoice);
	if (commusoftReference === undefined)
		return { kind: 'skipped', reason: 'invoice did not come from Commusoft' };
	const total = money(invoice.Total);
	const amountPaid = money(invoice.AmountPaid);
	const amountCredited = money(invoice.AmountCredited);
	const amountDue = money(invoice.AmountDue);
	const updatedDateUtc = xeroDateToIso(invoice.UpdatedDateUTC);
	if ([total, amountPaid, amountCredited, amountDue].some(Number.isNaN) || !updatedDateUtc) {
		return { kind: 'skipped', reason: 'invoice without readable amounts or UpdatedDateUTC' };
	}
	const change: Omit<XeroInvoiceStatusChange, 'note'> = {
		state,
		changeKey: statusChangeKey(invoice.InvoiceID, state, amountPaid, amountCredited),
		invoiceId: invoice.InvoiceID,
		invoiceNumber: invoice.InvoiceNumber ?? '',
		commusoftReference,
		xeroStatus: invoice.Status ?? '',
		total,
		amountPaid,
		amountCredited,
		amountDue,
		currency: invoice.CurrencyCode ?? '',
		updatedDateUtc,
		tenantId: options.tenantId,
	};
	// The stored link back to Commusoft ("Go to Commusoft", CommusoftInvoice.url) ends with the invoice's id.
	const linked = invoice.Url?.match(UUID_IN_TEXT);
	if (linked && linked.length > 0)
		change.commusoftInvoiceId = linked[linked.length - 1].toLowerCase();
	const paidOn = xeroDateToIso(invoice.FullyPaidOnDate)?.slice(0, 10);
	if (paidOn && (state === 'PAID' || state === 'CREDITED')) change.fullyPaidOnDate = paidOn;
	return { kind: 'change', change: { ...change, note: noteOf(change) } };
}
