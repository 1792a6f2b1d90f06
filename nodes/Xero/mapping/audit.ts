// Commusoft ↔ Xero audit: which invoices are missing on either side, whose amounts or statuses disagree, and
// which Xero payments never reached Commusoft. Pure (no n8n, no HTTP). It lives on the Xero side because the
// Xero node is the one that must read Xero's invoices and payments in bulk (one paged GET /Invoices), while the
// Commusoft records arrive as ordinary input items from the Commusoft node.
import { roundMoney as round2 } from './money';

import { chatText } from '../../shared/chatText';
import { checkRecord, type FieldRule, type UnreadableRecord } from '../../shared/recordCheck';
import { isGuid } from '../../shared/guid';

/** The Commusoft invoice fields the audit reads (the Commusoft node's invoice records). */
export interface AuditCommusoftInvoice {
	id: string;
	invoiceNumber: string;
	status?: string;
	total?: number;
	currency?: string;
}

/** The Commusoft payment fields the audit reads; externalReference holds the Xero PaymentID when it came from Xero. */
export interface AuditCommusoftPayment {
	id: string;
	invoiceId?: string;
	invoiceNumber?: string;
	amount?: number;
	externalReference?: string | null;
}

/** The Xero invoice fields the audit reads (GET /Invoices, Payments included). */
export interface AuditXeroInvoice {
	InvoiceID: string;
	InvoiceNumber?: string;
	Type?: string;
	Status?: string;
	Total?: number;
	CurrencyCode?: string;
	Payments?: Array<{ PaymentID?: string; Amount?: number; Date?: string; Status?: string }>;
}

/** The fields the audit reads from each Commusoft invoice: a record that does not fit them is refused. */
export const AUDIT_INVOICE_FIELDS: readonly FieldRule[] = [
	{ field: 'id', kind: 'text', required: true, fix: 'give the Commusoft invoice uuid as text' },
	{
		field: 'invoiceNumber',
		kind: 'text',
		required: true,
		fix: 'give the invoice number as text, e.g. "CS-10042" (wrap a numeric one in String())',
	},
	{
		field: 'status',
		kind: 'text',
		oneOf: ['draft', 'raised', 'cancelled'],
		fix: 'pass the status as the Commusoft node emits it (draft, raised or cancelled), or leave it out for raised',
	},
	{
		field: 'total',
		kind: 'number',
		required: true,
		fix: 'give the invoice total as a number such as 120.5 (convert text with Number() in the expression); the amount check needs it',
	},
	{ field: 'currency', kind: 'text', fix: 'give the currency code as text, e.g. "GBP"' },
];

/** The fields the audit reads from each Commusoft payment. */
export const AUDIT_PAYMENT_FIELDS: readonly FieldRule[] = [
	{ field: 'id', kind: 'text', required: true, fix: 'give the Commusoft payment uuid as text' },
	{ field: 'invoiceId', kind: 'text', fix: 'give the Commusoft invoice uuid as text' },
	{ field: 'invoiceNumber', kind: 'text', fix: 'give the invoice number as text' },
	{ field: 'amount', kind: 'number', fix: 'give the amount as a number such as 20.5' },
	{
		field: 'externalReference',
		kind: 'text',
		nullable: true,
		fix: 'leave it as the Commusoft node emits it (the Xero PaymentID for payments from Xero)',
	},
];

/**
 * The Commusoft lists as the audit can read them, or every record it cannot (with the field and the fix):
 * the audit then refuses to run rather than report a check it skipped.
 */
export function readAuditInput(
	invoices: unknown[],
	payments: unknown[],
):
	| { invoices: AuditCommusoftInvoice[]; payments: AuditCommusoftPayment[] }
	| { unreadable: UnreadableRecord[] } {
	const unreadable: UnreadableRecord[] = [];
	const check = (list: unknown[], rules: readonly FieldRule[], name: string, key: string) =>
		list.forEach((record, index) => {
			if (isEmptyItem(record)) return;
			const problems = checkRecord(record, rules);
			if (!problems.length) return;
			const named = (record as Record<string, unknown> | null)?.[key];
			const label = `${name}[${index}]${typeof named === 'string' && named.trim() ? ` (${named})` : ''}`;
			unreadable.push({ label, problems });
		});
	check(invoices, AUDIT_INVOICE_FIELDS, 'Commusoft Invoices', 'invoiceNumber');
	check(payments, AUDIT_PAYMENT_FIELDS, 'Commusoft Payments', 'id');
	if (unreadable.length) return { unreadable };
	return {
		invoices: invoices.filter((r) => !isEmptyItem(r)) as AuditCommusoftInvoice[],
		payments: payments.filter((r) => !isEmptyItem(r)) as AuditCommusoftPayment[],
	};
}

/** `{}`: the item n8n emits for a node with "Always Output Data" that found nothing. It holds no record. */
function isEmptyItem(record: unknown): boolean {
	return (
		typeof record === 'object' &&
		record !== null &&
		!Array.isArray(record) &&
		Object.keys(record).length === 0
	);
}

export type AuditFindingKind =
	| 'missingInXero'
	| 'missingInCommusoft'
	| 'amountMismatch'
	| 'statusMismatch'
	| 'paymentMissingInCommusoft'
	| 'paymentMissingInXero';

export interface AuditFinding {
	kind: AuditFindingKind;
	invoiceNumber: string;
	commusoftInvoiceId?: string;
	xeroInvoiceId?: string;
	paymentId?: string;
	commusoftValue?: string | number;
	xeroValue?: string | number;
	/** one sentence an office person can act on */
	message: string;
}

export interface AuditReport {
	checked: { commusoftInvoices: number; xeroInvoices: number; xeroPayments: number };
	counts: Record<AuditFindingKind, number>;
	findings: AuditFinding[];
}

export interface AuditOptions {
	/** Xero invoices whose number starts with this came from Commusoft; '' = every sales invoice */
	invoiceNumberPrefix?: string;
	/** amounts closer than this count as equal (default half a penny) */
	tolerance?: number;
}

const VOID_IN_XERO = new Set(['VOIDED', 'DELETED']);
const norm = (n: string | undefined) =>
	String(n ?? '')
		.trim()
		.toUpperCase();

export function auditCommusoftAgainstXero(
	commusoftInvoices: AuditCommusoftInvoice[],
	commusoftPayments: AuditCommusoftPayment[],
	xeroInvoices: AuditXeroInvoice[],
	options: AuditOptions = {},
): AuditReport {
	const prefix = norm(options.invoiceNumberPrefix);
	const tolerance = options.tolerance ?? 0.005;
	const findings: AuditFinding[] = [];

	const sales = xeroInvoices.filter(
		(x) => (x.Type ?? 'ACCREC') === 'ACCREC' && norm(x.InvoiceNumber).startsWith(prefix),
	);
	const xeroByNumber = new Map<string, AuditXeroInvoice>();
	for (const x of sales) {
		const key = norm(x.InvoiceNumber);
		const seen = xeroByNumber.get(key);
		// A voided copy next to a live one (re-sent after a void): compare with the live one.
		if (!seen || (VOID_IN_XERO.has(seen.Status ?? '') && !VOID_IN_XERO.has(x.Status ?? '')))
			xeroByNumber.set(key, x);
	}
	const commusoftByNumber = new Map(commusoftInvoices.map((c) => [norm(c.invoiceNumber), c]));

	for (const cs of commusoftInvoices) {
		const number = cs.invoiceNumber;
		const xero = xeroByNumber.get(norm(number));
		const status = String(cs.status ?? 'raised');
		if (!xero) {
			// Drafts are not sent and a cancelled invoice need not exist in Xero.
			if (status === 'raised')
				findings.push({
					kind: 'missingInXero',
					invoiceNumber: number,
					commusoftInvoiceId: cs.id,
					commusoftValue: cs.total,
					message: `Invoice ${number} is raised in Commusoft but not in Xero; send it again.`,
				});
			continue;
		}
		const xeroStatus = String(xero.Status ?? '');
		const voidInXero = VOID_IN_XERO.has(xeroStatus);
		// Cancelled in one system only: void it in Xero, or cancel / re-send it from Commusoft.
		if ((status === 'cancelled') !== voidInXero) {
			findings.push({
				kind: 'statusMismatch',
				invoiceNumber: number,
				commusoftInvoiceId: cs.id,
				xeroInvoiceId: xero.InvoiceID,
				commusoftValue: status,
				xeroValue: xeroStatus,
				message: voidInXero
					? `Invoice ${number} is ${status} in Commusoft but ${xeroStatus} in Xero; cancel it in Commusoft or send it again.`
					: `Invoice ${number} is cancelled in Commusoft but ${xeroStatus} in Xero; void it in Xero.`,
			});
		}
		if (
			!voidInXero &&
			status !== 'cancelled' &&
			typeof cs.total === 'number' &&
			typeof xero.Total === 'number' &&
			Math.abs(cs.total - xero.Total) > tolerance
		) {
			findings.push({
				kind: 'amountMismatch',
				invoiceNumber: number,
				commusoftInvoiceId: cs.id,
				xeroInvoiceId: xero.InvoiceID,
				commusoftValue: round2(cs.total),
				xeroValue: round2(xero.Total),
				message: `Invoice ${number} totals ${cs.total.toFixed(2)} in Commusoft but ${xero.Total.toFixed(2)} in Xero.`,
			});
		}
	}

	for (const [key, xero] of xeroByNumber) {
		if (commusoftByNumber.has(key) || VOID_IN_XERO.has(xero.Status ?? '')) continue;
		findings.push({
			kind: 'missingInCommusoft',
			invoiceNumber: String(xero.InvoiceNumber ?? ''),
			xeroInvoiceId: xero.InvoiceID,
			xeroValue: xero.Total,
			message: `Xero has invoice ${String(xero.InvoiceNumber ?? '')} (${String(xero.Status ?? '')}) that Commusoft does not know.`,
		});
	}

	// Payments: each Xero payment on a Commusoft invoice should be in Commusoft under its PaymentID.
	const recorded = new Set(
		commusoftPayments.map((p) => String(p.externalReference ?? '').toLowerCase()).filter(Boolean),
	);
	const xeroPaymentIds = new Set<string>();
	let xeroPayments = 0;
	for (const [key, xero] of xeroByNumber) {
		const cs = commusoftByNumber.get(key);
		for (const payment of xero.Payments ?? []) {
			const paymentId = String(payment.PaymentID ?? '');
			if (!paymentId || payment.Status === 'DELETED') continue;
			xeroPayments += 1;
			xeroPaymentIds.add(paymentId.toLowerCase());
			if (!cs || recorded.has(paymentId.toLowerCase())) continue;
			findings.push({
				kind: 'paymentMissingInCommusoft',
				invoiceNumber: String(xero.InvoiceNumber ?? ''),
				commusoftInvoiceId: cs.id,
				xeroInvoiceId: xero.InvoiceID,
				paymentId,
				xeroValue: payment.Amount,
				message: `Payment of ${Number(payment.Amount ?? 0).toFixed(2)} on ${String(xero.InvoiceNumber ?? '')} is in Xero but not in Commusoft.`,
			});
		}
	}
	// A Commusoft payment that names a Xero payment Xero no longer has (deleted or never there).
	const invoiceNumberById = new Map(commusoftInvoices.map((c) => [c.id, c.invoiceNumber]));
	for (const payment of commusoftPayments) {
		const ref = String(payment.externalReference ?? '');
		if (!isGuid(ref) || xeroPaymentIds.has(ref.toLowerCase())) continue;
		const invoiceNumber =
			payment.invoiceNumber ?? invoiceNumberById.get(String(payment.invoiceId ?? '')) ?? '';
		// Only payments on invoices this audit covers; others may belong to invoices outside the prefix.
		if (!xeroByNumber.has(norm(invoiceNumber))) continue;
		findings.push({
			kind: 'paymentMissingInXero',
			invoiceNumber,
			commusoftInvoiceId: payment.invoiceId,
			paymentId: ref,
			commusoftValue: payment.amount,
			message: `Commusoft has a payment of ${Number(payment.amount ?? 0).toFixed(2)} on ${invoiceNumber} from Xero payment ${ref}, which Xero no longer has.`,
		});
	}

	const counts: AuditReport['counts'] = {
		missingInXero: 0,
		missingInCommusoft: 0,
		amountMismatch: 0,
		statusMismatch: 0,
		paymentMissingInCommusoft: 0,
		paymentMissingInXero: 0,
	};
	for (const f of findings) counts[f.kind] += 1;
	findings.sort(
		(a, b) => a.invoiceNumber.localeCompare(b.invoiceNumber) || a.kind.localeCompare(b.kind),
	);
	return {
		checked: {
			commusoftInvoices: commusoftInvoices.length,
			xeroInvoices: xeroByNumber.size,
			xeroPayments,
		},
		counts,
		findings,
	};
}

/** The report as plain text lines, one per finding, for an email or Slack message. */
/** The report as chat text: names and numbers from both systems are escaped for chat (see chatText). */
export function renderAuditText(report: AuditReport): string {
	const head = `Commusoft ↔ Xero audit: ${report.checked.commusoftInvoices} Commusoft invoices, ${report.checked.xeroInvoices} Xero invoices, ${report.checked.xeroPayments} Xero payments checked; ${report.findings.length} problems.`;
	return chatText([head, ...report.findings.map((f) => `- ${f.message}`)].join('\n'));
}
