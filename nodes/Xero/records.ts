/**
 * Xero-side records that travel between nodes (docs/ARCHITECTURE.md "Records between nodes"). Templates wire
 * nodes together with no mapping in between, so these shapes are a contract: add fields, never rename.
 */

/** One payment applied to one invoice (a batch payment is split into one record per invoice). */
export interface XeroPaymentRecord {
	paymentId: string;
	batchPaymentId?: string;
	status: 'AUTHORISED' | 'DELETED';
	invoiceId: string;
	invoiceNumber: string;
	commusoftInvoiceId?: string;
	commusoftReference?: string;
	amount: number;
	currency: string;
	/** YYYY-MM-DD */
	date: string;
	accountCode?: string;
	accountId?: string;
	reference?: string;
	isReconciled: boolean;
	/** ISO 8601 */
	updatedDateUtc: string;
	tenantId: string;
}

/** What Invoice → Upsert did to one input item. */
export type XeroUpsertAction =
	| 'created'
	| 'updated'
	| 'unchanged'
	| 'refused'
	| 'skipped'
	| 'failed';

/** One output item of Invoice → Upsert (one per input item, pairedItem to it). */
export interface XeroInvoiceUpsertResult {
	action: XeroUpsertAction;
	/** the Commusoft invoice this result is for */
	commusoftInvoiceId?: string;
	invoiceNumber: string;
	reference?: string;
	invoiceId?: string;
	/** Xero status after the call (DRAFT, AUTHORISED, PAID, …) */
	status?: string;
	contactId?: string;
	/** contact resolution: matched by ContactNumber / fallback, or created */
	contactAction?: 'matched' | 'created' | 'updated' | 'relinked';
	total?: number;
	totalTax?: number;
	/** why nothing changed (refused: paid, part-paid, voided; skipped: dated before Send From Date) or what failed, in words an ops person can act on */
	reason?: string;
	/** Xero's own validation messages, when any */
	validationErrors?: string[];
	warnings?: string[];
	tenantId: string;
}

/** One output item of Invoice → Void. */
export interface XeroInvoiceVoidResult {
	action: 'voided' | 'alreadyVoided' | 'refused';
	invoiceId: string;
	invoiceNumber?: string;
	status: string;
	reason?: string;
	tenantId: string;
}

/** The Xero states of an invoice that Commusoft is told about (docs/ARCHITECTURE.md "Xero invoice status"). */
export type XeroInvoiceState = 'VOIDED' | 'DELETED' | 'PAID' | 'CREDITED';

/**
 * One state change of a Xero invoice that came from Commusoft: emitted by the Xero Webhook Trigger (output
 * "Invoice Status Changes") and the Xero Payment Trigger (watching "Invoice Status Changes"), written into
 * Commusoft by Commusoft → Invoice → Record Xero Status.
 */
export interface XeroInvoiceStatusChange {
	/** PAID: settled (by payments, or payments and credit); CREDITED: settled by credit notes alone */
	state: XeroInvoiceState;
	/**
	 * Identity of this state change: the same change read twice (a webhook and a poll, a replay, a later edit
	 * that leaves the state as it was) has the same key, so Commusoft records it once.
	 */
	changeKey: string;
	invoiceId: string;
	invoiceNumber: string;
	/** from the invoice's link back to Commusoft (Xero `Url`), when it holds one */
	commusoftInvoiceId?: string;
	/** the value the "came from Commusoft" rule matched */
	commusoftReference: string;
	/** Xero's own Status (PAID for a credited invoice) */
	xeroStatus: string;
	total: number;
	amountPaid: number;
	amountCredited: number;
	amountDue: number;
	currency: string;
	/** YYYY-MM-DD, for PAID and CREDITED */
	fullyPaidOnDate?: string;
	/** ISO 8601: when Xero last changed the invoice */
	updatedDateUtc: string;
	tenantId: string;
	/** one line for the Commusoft invoice's notes */
	note: string;
}
