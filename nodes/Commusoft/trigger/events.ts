/**
 * What the Commusoft Trigger emits and how a record read from the API becomes an event. Pure functions: the
 * poll (poll.ts) reads records and static data, these decide the event and the changed fields.
 */
import type {
	CommusoftCreditNote,
	CommusoftCustomer,
	CommusoftInvoice,
	CommusoftPayment,
	CommusoftSupplier,
	CommusoftSupplierInvoice,
} from '../records';
import {
	changedFields,
	fingerprintOf,
	shortHash,
	stableStringify,
	type Fingerprint,
} from './fingerprints';

export type CommusoftTriggerEvent =
	| 'invoiceRaised'
	| 'invoiceUpdated'
	| 'customerCreated'
	| 'customerUpdated'
	| 'paymentRecorded'
	| 'creditNoteRaised'
	| 'creditNoteUpdated'
	| 'supplierCreated'
	| 'supplierUpdated'
	| 'supplierInvoiceCreated'
	| 'supplierInvoiceUpdated';

export type CommusoftResource =
	| 'invoice'
	| 'customer'
	| 'payment'
	| 'creditNote'
	| 'supplier'
	| 'supplierInvoice';

export const EVENT_RESOURCE: Record<CommusoftTriggerEvent, CommusoftResource> = {
	invoiceRaised: 'invoice',
	invoiceUpdated: 'invoice',
	customerCreated: 'customer',
	customerUpdated: 'customer',
	paymentRecorded: 'payment',
	creditNoteRaised: 'creditNote',
	creditNoteUpdated: 'creditNote',
	supplierCreated: 'supplier',
	supplierUpdated: 'supplier',
	supplierInvoiceCreated: 'supplierInvoice',
	supplierInvoiceUpdated: 'supplierInvoice',
};

/** The "updated" events: with "Ignore Changes to Untracked Fields" they are dropped when no tracked field changed. */
export const UPDATED_EVENTS: CommusoftTriggerEvent[] = [
	'invoiceUpdated',
	'customerUpdated',
	'creditNoteUpdated',
	'supplierUpdated',
	'supplierInvoiceUpdated',
];

/** Customer fields whose change the output reports (name, title, email, property address, account). */
export const CUSTOMER_TRACKED_FIELDS = [
	'name',
	'title',
	'email',
	'propertyAddress',
	'account',
] as const;

/** Invoice fields whose change the output reports: what a Xero invoice upsert depends on. */
export const INVOICE_TRACKED_FIELDS = [
	'status',
	'date',
	'dueDate',
	'reference',
	'category',
	'lines',
	'total',
	'customer',
	'property',
] as const;

/** Credit note fields whose change the output reports: what a Xero credit-note upsert depends on. */
export const CREDIT_NOTE_TRACKED_FIELDS = [
	'status',
	'date',
	'reference',
	'category',
	'lines',
	'total',
	'customer',
	'property',
	'creditedInvoice',
	'refunds',
] as const;

/** Supplier invoice fields whose change the output reports: what a Xero bill depends on. */
export const SUPPLIER_INVOICE_TRACKED_FIELDS = [
	'status',
	'date',
	'dueDate',
	'reference',
	'category',
	'lines',
	'total',
	'supplier',
] as const;

/** Supplier fields whose change the output reports: what Xero Contact → Sync sends. */
export const SUPPLIER_TRACKED_FIELDS = [
	'name',
	'contact',
	'email',
	'phones',
	'address',
	'account',
] as const;

const RAISED_STATUS_HASH = shortHash(stableStringify('raised'));

export function customerFingerprint(customer: CommusoftCustomer): Fingerprint {
	return fingerprintOf(CUSTOMER_TRACKED_FIELDS, {
		name: [customer.firstName, customer.lastName, customer.companyName],
		title: customer.title,
		email: customer.email,
		propertyAddress: customer.address,
		account: [customer.accountReference, customer.xeroContactId],
	});
}

export function invoiceFingerprint(invoice: CommusoftInvoice): Fingerprint {
	return fingerprintOf(INVOICE_TRACKED_FIELDS, {
		status: invoice.status,
		date: invoice.date,
		dueDate: invoice.dueDate,
		reference: invoice.reference,
		category: invoice.category,
		lines: invoice.lines,
		total: [invoice.total, invoice.totalTax, invoice.currency, invoice.amountsAre],
		customer: invoice.customer.id,
		property: invoice.property,
	});
}

export function creditNoteFingerprint(note: CommusoftCreditNote): Fingerprint {
	return fingerprintOf(CREDIT_NOTE_TRACKED_FIELDS, {
		status: note.status,
		date: note.date,
		reference: note.reference,
		category: note.category,
		lines: note.lines,
		total: [note.total, note.totalTax, note.currency, note.amountsAre],
		customer: note.customer.id,
		property: note.property,
		creditedInvoice: [note.creditedCommusoftInvoiceId, note.creditedInvoiceNumber],
		refunds: note.refundPayments,
	});
}

export function supplierInvoiceFingerprint(bill: CommusoftSupplierInvoice): Fingerprint {
	return fingerprintOf(SUPPLIER_INVOICE_TRACKED_FIELDS, {
		status: bill.status,
		date: bill.date,
		dueDate: bill.dueDate,
		reference: bill.reference,
		category: bill.category,
		lines: bill.lines,
		total: [bill.total, bill.totalTax, bill.currency, bill.amountsAre],
		supplier: [bill.supplier.id, bill.supplierInvoiceNumber],
	});
}

export function supplierFingerprint(supplier: CommusoftSupplier): Fingerprint {
	return fingerprintOf(SUPPLIER_TRACKED_FIELDS, {
		name: supplier.name,
		contact: supplier.contactName,
		email: supplier.email,
		phones: [supplier.telephone, supplier.mobile],
		address: supplier.address,
		account: [supplier.accountReference, supplier.xeroContactId, supplier.vatNumber],
	});
}

/** The decision for one record version. */
export interface Classified {
	event: CommusoftTriggerEvent;
	/** Tracked fields that changed since the version the trigger last saw; [] for a new record. */
	changedFields: string[];
	/**
	 * False when the trigger never saw an earlier version (the record was last changed before activation, or
	 * its fingerprint was evicted): then `changedFields` lists every tracked field, because any may have changed.
	 */
	previousVersionKnown: boolean;
}

function isAtOrAfter(timestamp: string | undefined, instant: string): boolean {
	if (!timestamp) return false;
	return Date.parse(timestamp) >= Date.parse(instant);
}

/** An update whose earlier version the trigger never saw (or whose fingerprint has another layout): any field may have changed. */
function unknownVersion(kind: {
	updated: CommusoftTriggerEvent;
	fields: readonly string[];
}): Classified {
	return { event: kind.updated, changedFields: [...kind.fields], previousVersionKnown: false };
}

/**
 * The events and tracked fields of a kind of record: `created` is its first event (a document raised, a party
 * added), `updated` every later change. For documents `status` is the first tracked field.
 */
export interface EventKind {
	created: CommusoftTriggerEvent;
	updated: CommusoftTriggerEvent;
	fields: readonly string[];
}

export const INVOICE_KIND: EventKind = {
	created: 'invoiceRaised',
	updated: 'invoiceUpdated',
	fields: INVOICE_TRACKED_FIELDS,
};
export const CREDIT_NOTE_KIND: EventKind = {
	created: 'creditNoteRaised',
	updated: 'creditNoteUpdated',
	fields: CREDIT_NOTE_TRACKED_FIELDS,
};
export const SUPPLIER_INVOICE_KIND: EventKind = {
	created: 'supplierInvoiceCreated',
	updated: 'supplierInvoiceUpdated',
	fields: SUPPLIER_INVOICE_TRACKED_FIELDS,
};

/**
 * A document → "raised" the first time the trigger sees it with status raised (new in the window, or known as a
 * draft before); any other change → "updated". A document created before the window that the trigger never
 * saw is reported as updated: it may have been raised long ago.
 */
export function classifyRaisable(
	kind: EventKind,
	document: { status: string; createdAt?: string },
	current: Fingerprint,
	previous: Fingerprint | undefined,
	windowStart: string,
): Classified {
	if (previous === undefined) {
		const isNew = isAtOrAfter(document.createdAt, windowStart);
		if (isNew) {
			return {
				event: document.status === 'raised' ? kind.created : kind.updated,
				changedFields: [],
				previousVersionKnown: true,
			};
		}
		return unknownVersion(kind);
	}
	const changed = changedFields(kind.fields, previous, current);
	if (changed === undefined) {
		return unknownVersion(kind);
	}
	// status is the first tracked field: compare its hash with the hash of "raised"
	const wasRaised = previous.split('.')[0] === RAISED_STATUS_HASH;
	return {
		event: document.status === 'raised' && !wasRaised ? kind.created : kind.updated,
		changedFields: changed,
		previousVersionKnown: true,
	};
}

/** Invoice → "raised" or "updated" (see classifyRaisable). */
export function classifyInvoice(
	invoice: CommusoftInvoice,
	previous: Fingerprint | undefined,
	windowStart: string,
): Classified {
	return classifyRaisable(
		INVOICE_KIND,
		invoice,
		invoiceFingerprint(invoice),
		previous,
		windowStart,
	);
}

export const CUSTOMER_KIND: EventKind = {
	created: 'customerCreated',
	updated: 'customerUpdated',
	fields: CUSTOMER_TRACKED_FIELDS,
};
export const SUPPLIER_KIND: EventKind = {
	created: 'supplierCreated',
	updated: 'supplierUpdated',
	fields: SUPPLIER_TRACKED_FIELDS,
};

/** A party → "created" when new in the window and never seen; otherwise "updated" with the changed fields. */
export function classifyParty(
	kind: EventKind,
	createdAt: string | undefined,
	current: Fingerprint,
	previous: Fingerprint | undefined,
	windowStart: string,
): Classified {
	if (previous === undefined) {
		// Without createdAt a never-seen record cannot be told apart from an old one: reported as updated.
		if (isAtOrAfter(createdAt, windowStart)) {
			return { event: kind.created, changedFields: [], previousVersionKnown: true };
		}
		return unknownVersion(kind);
	}
	const changed = changedFields(kind.fields, previous, current);
	if (changed === undefined) {
		return unknownVersion(kind);
	}
	return { event: kind.updated, changedFields: changed, previousVersionKnown: true };
}

/** Customer → "created" or "updated" (see classifyParty). */
export function classifyCustomer(
	customer: CommusoftCustomer & { createdAt?: string },
	previous: Fingerprint | undefined,
	windowStart: string,
): Classified {
	return classifyParty(
		CUSTOMER_KIND,
		customer.createdAt,
		customerFingerprint(customer),
		previous,
		windowStart,
	);
}

/** Payment → "recorded" once, when first seen and created inside the window (or creation time unknown). */
export function classifyPayment(
	payment: CommusoftPayment,
	windowStart: string,
): Classified | undefined {
	if (payment.createdAt !== undefined && !isAtOrAfter(payment.createdAt, windowStart))
		return undefined;
	return { event: 'paymentRecorded', changedFields: [], previousVersionKnown: true };
}
