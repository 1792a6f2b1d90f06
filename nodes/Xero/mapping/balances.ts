// Receivable balances per contact from one org-wide (or ContactIDs-batched) read of open sales invoices, one
// read of recent customer payments and, optionally, one read of sales credit notes (docs/xero-rules.md §3.3, §3.6,
// §6.2). Pure: no n8n context, no HTTP.
//
// Rules, all from Xero's own figures rather than recomputed:
// - Only ACCREC invoices in status AUTHORISED owe money. DRAFT/SUBMITTED are not yet owed, PAID owes nothing,
//   VOIDED and DELETED never count (§3.3 Status).
// - AmountDue is what is still owed: Total less AmountPaid less AmountCredited (credit notes allocated to the
//   invoice). It is used as given; only when missing is it derived from those three.
// - Overdue: DueDate strictly before the as-at day (an invoice due today is not late yet).
// - An authorised ACCRECCREDIT credit note with RemainingCredit > 0 is credit the customer can still use: it is
//   reported as `unallocatedCredit` and reduces `netBalance`, never the invoice balances.
// - Amounts in another currency are converted to the base currency with the document's CurrencyRate (units of
//   that currency per one unit of base currency, as Xero defines it).
import { roundMoney as round2 } from './money';

import {
	checkRecord,
	isDay,
	type FieldRule,
	type UnreadableRecord,
} from '../../shared/recordCheck';

export interface ContactBalance {
	contactId: string;
	currency: string;
	/** sum of AmountDue over open sales invoices */
	balanceOutstanding: number;
	/** the part of balanceOutstanding past its due date */
	balanceOverdue: number;
	outstandingInvoiceCount: number;
	overdueInvoiceCount: number;
	/** sum of the overdue invoices' Totals (what they were raised for) */
	overdueInvoicesTotal: number;
	/** YYYY-MM-DD: the earliest due date among overdue invoices */
	oldestOverdueDate: string | null;
	oldestOverdueDays: number | null;
	/** RemainingCredit of authorised sales credit notes not yet allocated */
	unallocatedCredit: number;
	/** balanceOutstanding − unallocatedCredit */
	netBalance: number;
	lastPaymentDate: string | null;
	lastPaymentAmount: number | null;
	/** YYYY-MM-DD the figures are computed for */
	asAt: string;
}

export interface BalanceSources {
	invoices: Array<Record<string, unknown>>;
	payments?: Array<Record<string, unknown>>;
	creditNotes?: Array<Record<string, unknown>>;
}

export interface BalanceOptions {
	/** YYYY-MM-DD; invoices due before it are overdue */
	asAt: string;
	baseCurrency?: string;
}

/**
 * A Xero date as YYYY-MM-DD: accepts "/Date(1573755038314+0000)/", ISO strings and the `*String` siblings
 * ("2026-09-21T00:00:00"). Undefined when absent or unreadable.
 */
export function xeroDay(value: unknown): string | undefined {
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value.trim());
	if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
	const iso = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
	return iso && isDay(iso[1]) ? iso[1] : undefined;
}

function dayOf(record: Record<string, unknown>, field: string): string | undefined {
	return xeroDay(record[`${field}String`]) ?? xeroDay(record[field]);
}

function num(value: unknown): number {
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(n) ? n : 0;
}

function contactIdOf(record: Record<string, unknown> | undefined): string | undefined {
	const contact = record?.Contact as Record<string, unknown> | undefined;
	const id = contact?.ContactID;
	return typeof id === 'string' && id ? id.toLowerCase() : undefined;
}

function daysBetween(from: string, to: string): number {
	return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function inBase(amount: number, record: Record<string, unknown>, baseCurrency: string): number {
	const currency = String(record.CurrencyCode ?? baseCurrency).toUpperCase();
	const rate = num(record.CurrencyRate);
	if (currency === baseCurrency || rate <= 0) return amount;
	return amount / rate;
}

/** What an open invoice still owes (AmountDue, or Total − AmountPaid − AmountCredited when absent). */
export function amountDueOf(invoice: Record<string, unknown>): number {
	if (invoice.AmountDue !== undefined && invoice.AmountDue !== null) return num(invoice.AmountDue);
	return round2(num(invoice.Total) - num(invoice.AmountPaid) - num(invoice.AmountCredited));
}

/** Whether the invoice is a sales invoice that still owes money (voided, draft and paid ones do not). */
export function isOpenReceivable(invoice: Record<string, unknown>): boolean {
	return invoice.Type === 'ACCREC' && invoice.Status === 'AUTHORISED' && amountDueOf(invoice) > 0;
}

export function emptyBalance(contactId: string, asAt: string, currency = 'GBP'): ContactBalance {
	return {
		contactId,
		currency,
		balanceOutstanding: 0,
		balanceOverdue: 0,
		outstandingInvoiceCount: 0,
		overdueInvoiceCount: 0,
		overdueInvoicesTotal: 0,
		oldestOverdueDate: null,
		oldestOverdueDays: null,
		unallocatedCredit: 0,
		netBalance: 0,
		lastPaymentDate: null,
		lastPaymentAmount: null,
		asAt,
	};
}

/**
 * Balances for the given contacts (ContactIDs, any case). Every requested contact gets an entry, zeros when
 * nothing is owed, so a caller can clear what it stored before. Records of other contacts are ignored.
 */
export function computeBalances(
	contactIds: string[],
	sources: BalanceSources,
	options: BalanceOptions,
): Map<string, ContactBalance> {
	const base = (options.baseCurrency ?? 'GBP').toUpperCase();
	const balances = new Map<string, ContactBalance>();
	for (const id of contactIds) {
		const key = id.toLowerCase();
		if (!balances.has(key)) balances.set(key, emptyBalance(id, options.asAt, base));
	}

	for (const invoice of sources.invoices) {
		const balance = balances.get(contactIdOf(invoice) ?? '');
		if (!balance || !isOpenReceivable(invoice)) continue;
		const due = inBase(amountDueOf(invoice), invoice, base);
		balance.balanceOutstanding = round2(balance.balanceOutstanding + due);
		balance.outstandingInvoiceCount++;
		const dueDate = dayOf(invoice, 'DueDate');
		if (dueDate && dueDate < options.asAt) {
			balance.balanceOverdue = round2(balance.balanceOverdue + due);
			balance.overdueInvoiceCount++;
			balance.overdueInvoicesTotal = round2(
				balance.overdueInvoicesTotal + inBase(num(invoice.Total), invoice, base),
			);
			if (!balance.oldestOverdueDate || dueDate < balance.oldestOverdueDate) {
				balance.oldestOverdueDate = dueDate;
			}
		}
	}

	for (const note of sources.creditNotes ?? []) {
		const balance = balances.get(contactIdOf(note) ?? '');
		if (!balance || note.Type !== 'ACCRECCREDIT' || note.Status !== 'AUTHORISED') continue;
		const remaining = num(note.RemainingCredit);
		if (remaining <= 0) continue;
		balance.unallocatedCredit = round2(balance.unallocatedCredit + inBase(remaining, note, base));
	}

	for (const payment of sources.payments ?? []) {
		if (payment.Status !== 'AUTHORISED') continue;
		if (payment.PaymentType !== undefined && payment.PaymentType !== 'ACCRECPAYMENT') continue;
		const invoice = payment.Invoice as Record<string, unknown> | undefined;
		const balance = balances.get(contactIdOf(invoice) ?? '');
		const date = dayOf(payment, 'Date');
		if (!balance || !date) continue;
		const amount = num(payment.Amount);
		if (!balance.lastPaymentDate || date > balance.lastPaymentDate) {
			balance.lastPaymentDate = date;
			balance.lastPaymentAmount = round2(amount);
		} else if (date === balance.lastPaymentDate) {
			// several payments on the last day: report what arrived that day
			balance.lastPaymentAmount = round2((balance.lastPaymentAmount ?? 0) + amount);
		}
	}

	for (const balance of balances.values()) {
		balance.netBalance = round2(balance.balanceOutstanding - balance.unallocatedCredit);
		if (balance.oldestOverdueDate)
			balance.oldestOverdueDays = daysBetween(balance.oldestOverdueDate, options.asAt);
	}
	return balances;
}

const XERO_RECORD_FIX =
	'open the record in Xero and check it; no balance was computed for this organisation, so re-run once it reads correctly';
const rule = (field: string, kind: FieldRule['kind']): FieldRule => ({
	field,
	kind,
	fix: XERO_RECORD_FIX,
});

/** The fields the balances read from each Xero record; an amount that is not a number is refused, not taken as 0. */
const SOURCE_FIELDS: Record<keyof BalanceSources, readonly FieldRule[]> = {
	invoices: [
		rule('Type', 'text'),
		rule('Status', 'text'),
		rule('AmountDue', 'number'),
		rule('Total', 'number'),
		rule('AmountPaid', 'number'),
		rule('AmountCredited', 'number'),
		rule('CurrencyRate', 'number'),
		rule('CurrencyCode', 'text'),
		rule('DueDate', 'xeroDate'),
		rule('DueDateString', 'xeroDate'),
	],
	payments: [
		rule('Status', 'text'),
		rule('PaymentType', 'text'),
		rule('Amount', 'number'),
		rule('Date', 'xeroDate'),
	],
	creditNotes: [
		rule('Type', 'text'),
		rule('Status', 'text'),
		rule('RemainingCredit', 'number'),
		rule('CurrencyRate', 'number'),
	],
};

/** Every record of the reads that the balances cannot use as Xero documents it (field and fix named). */
export function unreadableSources(sources: BalanceSources): UnreadableRecord[] {
	const unreadable: UnreadableRecord[] = [];
	for (const kind of ['invoices', 'payments', 'creditNotes'] as const) {
		(sources[kind] ?? []).forEach((record, index) => {
			const problems = checkRecord(record, SOURCE_FIELDS[kind]);
			if (problems.length) unreadable.push({ label: `Xero ${kind} ${index}`, problems });
		});
	}
	return unreadable;
}

/** The `where` for the org-wide read: open sales invoices only (optimised fields, §3.6). */
export const OPEN_RECEIVABLES_WHERE = 'Type=="ACCREC" AND AmountDue>0';

/** `where` for customer payments on or after a day (YYYY-MM-DD). */
export function customerPaymentsWhere(sinceDay: string): string {
	const [y, m, d] = sinceDay.split('-').map(Number);
	return `Status=="AUTHORISED" AND PaymentType=="ACCRECPAYMENT" AND Date>=DateTime(${y},${String(m).padStart(2, '0')},${String(d).padStart(2, '0')})`;
}

/** `where` for sales credit notes that still hold credit. */
export const OPEN_CREDIT_NOTES_WHERE = 'Type=="ACCRECCREDIT" AND Status=="AUTHORISED"';
