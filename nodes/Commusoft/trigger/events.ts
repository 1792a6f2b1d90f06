/**
 * What the Commusoft Trigger emits and how a record read from the API becomes an event. Pure functions: the
 * poll (poll.ts) reads records and static data, these decide the event and the changed fields.
 */
import type { CommusoftCustomer, CommusoftInvoice, CommusoftPayment } from '../records';
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
	| 'paymentRecorded';

export type CommusoftResource = 'invoice' | 'customer' | 'payment';

export const EVENT_RESOURCE: Record<CommusoftTriggerEvent, CommusoftResource> = {
	invoiceRaised: 'invoice',
	invoiceUpdated: 'invoice',
	customerCreated: 'customer',
	customerUpdated: 'customer',
	paymentRecorded: 'payment',
};

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

/**
 * Invoice → "raised" the first time the trigger sees it with status raised (new in the window, or known as a
 * draft before); any other change → "updated". An invoice created before the window that the trigger never
 * saw is reported as updated: it may have been raised long ago.
 */
export function classifyInvoice(
	invoice: CommusoftInvoice,
	previous: Fingerprint | undefined,
	windowStart: string,
): Classified {
	const current = invoiceFingerprint(invoice);
	if (previous === undefined) {
		const isNew = isAtOrAfter(invoice.createdAt, windowStart);
		if (isNew) {
			return {
				event: invoice.status === 'raised' ? 'invoiceRaised' : 'invoiceUpdated',
				changedFields: [],
				previousVersionKnown: true,
			};
		}
		return {
			event: 'invoiceUpdated',
			changedFields: [...INVOICE_TRACKED_FIELDS],
			previousVersionKnown: false,
		};
	}
	const changed = changedFields(INVOICE_TRACKED_FIELDS, previous, current);
	if (changed === undefined) {
		return {
			event: 'invoiceUpdated',
			changedFields: [...INVOICE_TRACKED_FIELDS],
			previousVersionKnown: false,
		};
	}
	// status is the first tracked field: compare its hash with the hash of "raised"
	const wasRaised = previous.split('.')[0] === RAISED_STATUS_HASH;
	return {
		event: invoice.status === 'raised' && !wasRaised ? 'invoiceRaised' : 'invoiceUpdated',
		changedFields: changed,
		previousVersionKnown: true,
	};
}

/** Customer → "created" when new in the window and never seen; otherwise "updated" with the changed fields. */
export function classifyCustomer(
	customer: CommusoftCustomer & { createdAt?: string },
	previous: Fingerprint | undefined,
	windowStart: string,
): Classified {
	const current = customerFingerprint(customer);
	if (previous === undefined) {
		// Without createdAt a never-seen customer cannot be told apart from an old one: reported as updated.
		if (isAtOrAfter(customer.createdAt, windowStart)) {
			return { event: 'customerCreated', changedFields: [], previousVersionKnown: true };
		}
		return {
			event: 'customerUpdated',
			changedFields: [...CUSTOMER_TRACKED_FIELDS],
			previousVersionKnown: false,
		};
	}
	const changed = changedFields(CUSTOMER_TRACKED_FIELDS, previous, current);
	if (changed === undefined) {
		return {
			event: 'customerUpdated',
			changedFields: [...CUSTOMER_TRACKED_FIELDS],
			previousVersionKnown: false,
		};
	}
	return { event: 'customerUpdated', changedFields: changed, previousVersionKnown: true };
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
