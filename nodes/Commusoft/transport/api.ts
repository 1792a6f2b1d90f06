/**
 * Record-level Commusoft calls shared by the Commusoft node, the Commusoft trigger and the payment poller: each
 * turns transport responses into the records of ../records.ts. Server-side filters are assumed (see the
 * contract), so every list is also filtered here: a server that ignores a filter cannot produce wrong output.
 */
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import {
	toCommusoftCustomer,
	toCommusoftInvoice,
	toCommusoftJob,
	toCommusoftPayment,
	toRawCustomerBody,
	type CommusoftAccountingSummary,
	type CommusoftCustomer,
	type CommusoftCustomerInput,
	type CommusoftInvoice,
	type CommusoftJob,
	type CommusoftPayment,
} from '../records';
import {
	commusoftApiRequest,
	commusoftGetAll,
	commusoftGetBody,
	type CommusoftContext,
} from './index';

export interface ListOptions {
	/** Only records with updatedAt ≥ this ISO time (sent as `modifiedSince`, checked again locally). */
	modifiedSince?: string;
	limit?: number;
	itemIndex?: number;
}

function changedSince(updatedAt: string | undefined, modifiedSince: string | undefined): boolean {
	if (!modifiedSince) return true;
	if (!updatedAt) return true;
	return Date.parse(updatedAt) >= Date.parse(modifiedSince);
}

function byUpdatedAt<T extends { updatedAt?: string; id: string }>(a: T, b: T): number {
	return (a.updatedAt ?? '').localeCompare(b.updatedAt ?? '') || a.id.localeCompare(b.id);
}

export async function getCustomer(
	this: CommusoftContext,
	id: string,
	itemIndex?: number,
): Promise<CommusoftCustomer> {
	return toCommusoftCustomer(
		await commusoftGetBody.call(this, { endpoint: 'getCustomer', id, itemIndex }),
	);
}

/** Raw customer body (for read-modify-write updates that must keep fields the record does not carry). */
export async function getRawCustomer(
	this: CommusoftContext,
	id: string,
	itemIndex?: number,
): Promise<IDataObject> {
	return (await commusoftGetBody.call(this, {
		endpoint: 'getCustomer',
		id,
		itemIndex,
	})) as IDataObject;
}

export interface CustomerFilters extends ListOptions {
	accountReference?: string;
	xeroContactId?: string;
	email?: string;
	includeDeleted?: boolean;
}

export async function listCustomers(
	this: CommusoftContext,
	filters: CustomerFilters = {},
): Promise<CommusoftCustomer[]> {
	const qs: IDataObject = {};
	if (filters.modifiedSince) qs.modifiedSince = filters.modifiedSince;
	if (filters.accountReference) qs.reference = filters.accountReference;
	if (filters.xeroContactId) qs.accountingReference = filters.xeroContactId;
	if (filters.email) qs.email = filters.email;
	if (filters.includeDeleted) qs.includeDeleted = true;
	const narrowed = Boolean(filters.accountReference || filters.xeroContactId || filters.email);
	const raw = await commusoftGetAll.call(this, 'listCustomers', {
		qs,
		// With local filtering the server's page count says nothing about matches: read all, then cut.
		limit: narrowed ? undefined : filters.limit,
		itemIndex: filters.itemIndex,
	});
	const customers = raw
		.filter((customer) => filters.includeDeleted || !Number(customer.deleted))
		.map((customer) => toCommusoftCustomer(customer))
		.filter(
			(customer) =>
				changedSince(customer.updatedAt, filters.modifiedSince) &&
				(!filters.accountReference || customer.accountReference === filters.accountReference) &&
				(!filters.xeroContactId || customer.xeroContactId === filters.xeroContactId) &&
				(!filters.email || customer.email === filters.email.trim().toLowerCase()),
		)
		.sort(byUpdatedAt);
	return filters.limit === undefined ? customers : customers.slice(0, filters.limit);
}

/**
 * Creates a customer under a uuid the caller generated (documented: Commusoft takes the client's uuid). Safe to
 * repeat: if an earlier attempt was written but its answer lost, the retry meets a 409 for that uuid and the
 * stored customer is returned instead.
 */
export async function createCustomer(
	this: CommusoftContext,
	input: CommusoftCustomerInput,
	uuid: string,
	itemIndex?: number,
): Promise<CommusoftCustomer> {
	try {
		const { body } = await commusoftApiRequest.call(this, {
			endpoint: 'createCustomer',
			body: toRawCustomerBody(input, uuid) as IDataObject,
			label: `"${[input.firstName, input.lastName].filter(Boolean).join(' ')}"`,
			itemIndex,
			idempotent: true,
		});
		return toCommusoftCustomer(body);
	} catch (error) {
		// NodeApiError hands back the error it is given: these re-throws keep the transport's message.
		if ((error as { httpCode?: string | null }).httpCode !== '409') {
			throw new NodeApiError(this.getNode(), error as JsonObject);
		}
		const stored = await getCustomer.call(this, uuid, itemIndex).catch(() => undefined);
		const sameName = stored?.firstName === input.firstName && stored?.lastName === input.lastName;
		if (stored && sameName) return stored;
		throw new NodeApiError(this.getNode(), error as JsonObject);
	}
}

/**
 * Updates a customer. Reads it first so a partial address or accounting setting is merged into what is stored
 * rather than replacing it (the documented PUT takes whole sub-objects).
 */
export async function updateCustomer(
	this: CommusoftContext,
	id: string,
	input: CommusoftCustomerInput,
	itemIndex?: number,
): Promise<CommusoftCustomer> {
	const current = await getRawCustomer.call(this, id, itemIndex);
	const body = toRawCustomerBody(input) as IDataObject;
	if (body.address && current.address && typeof current.address === 'object') {
		body.address = { ...(current.address as IDataObject), ...(body.address as IDataObject) };
	}
	if (
		body.accountingSettings &&
		current.accountingSettings &&
		typeof current.accountingSettings === 'object'
	) {
		body.accountingSettings = {
			...(current.accountingSettings as IDataObject),
			...(body.accountingSettings as IDataObject),
		};
	}
	const { body: updated } = await commusoftApiRequest.call(this, {
		endpoint: 'updateCustomer',
		id,
		body,
		itemIndex,
	});
	return toCommusoftCustomer(updated);
}

/** Writes the Xero balance summary onto a customer (assumed endpoint; used by Customer → Update Xero Balance Summary). */
export async function putAccountingSummary(
	this: CommusoftContext,
	id: string,
	summary: CommusoftAccountingSummary,
	itemIndex?: number,
): Promise<IDataObject> {
	return (await commusoftGetBody.call(this, {
		endpoint: 'putCustomerAccountingSummary',
		id,
		body: summary as unknown as IDataObject,
		itemIndex,
	})) as IDataObject;
}

/** Invoice bodies embed the customer; if one does not, its customer is fetched once per uuid. */
async function toInvoiceRecords(
	this: CommusoftContext,
	raw: IDataObject[],
	itemIndex?: number,
): Promise<CommusoftInvoice[]> {
	const customers = new Map<string, unknown>();
	const records: CommusoftInvoice[] = [];
	for (const invoice of raw) {
		let customer: unknown;
		if (!invoice.customer || typeof invoice.customer !== 'object') {
			const customerUuid = String(invoice.customerUuid ?? '');
			if (customerUuid) {
				if (!customers.has(customerUuid)) {
					customers.set(
						customerUuid,
						await commusoftGetBody.call(this, {
							endpoint: 'getCustomer',
							id: customerUuid,
							itemIndex,
						}),
					);
				}
				customer = customers.get(customerUuid);
			}
		}
		records.push(toCommusoftInvoice(invoice, customer));
	}
	return records;
}

export async function getInvoice(
	this: CommusoftContext,
	id: string,
	itemIndex?: number,
): Promise<CommusoftInvoice> {
	const raw = (await commusoftGetBody.call(this, {
		endpoint: 'getInvoice',
		id,
		itemIndex,
	})) as IDataObject;
	return (await toInvoiceRecords.call(this, [raw], itemIndex))[0];
}

export interface InvoiceFilters extends ListOptions {
	status?: CommusoftInvoice['status'];
	customerId?: string;
}

/** Invoices, oldest change first (the order a poller needs). */
export async function listInvoices(
	this: CommusoftContext,
	filters: InvoiceFilters = {},
): Promise<CommusoftInvoice[]> {
	const qs: IDataObject = {};
	if (filters.modifiedSince) qs.modifiedSince = filters.modifiedSince;
	if (filters.status) qs.status = filters.status;
	if (filters.customerId) qs.customerUuid = filters.customerId;
	const narrowed = Boolean(filters.status || filters.customerId);
	const raw = await commusoftGetAll.call(this, 'listInvoices', {
		qs,
		limit: narrowed ? undefined : filters.limit,
		itemIndex: filters.itemIndex,
	});
	const invoices = (await toInvoiceRecords.call(this, raw, filters.itemIndex))
		.filter(
			(invoice) =>
				changedSince(invoice.updatedAt, filters.modifiedSince) &&
				(!filters.status || invoice.status === filters.status) &&
				(!filters.customerId || invoice.customer.id === filters.customerId),
		)
		.sort(byUpdatedAt);
	return filters.limit === undefined ? invoices : invoices.slice(0, filters.limit);
}

export interface PaymentFilters extends ListOptions {
	invoiceId?: string;
	externalReference?: string;
}

export async function listPayments(
	this: CommusoftContext,
	filters: PaymentFilters = {},
): Promise<CommusoftPayment[]> {
	const qs: IDataObject = {};
	if (filters.modifiedSince) qs.modifiedSince = filters.modifiedSince;
	if (filters.invoiceId) qs.invoiceUuid = filters.invoiceId;
	if (filters.externalReference) qs.externalReference = filters.externalReference;
	const narrowed = Boolean(filters.invoiceId || filters.externalReference);
	const raw = await commusoftGetAll.call(this, 'listPayments', {
		qs,
		limit: narrowed ? undefined : filters.limit,
		itemIndex: filters.itemIndex,
	});
	const payments = raw
		.map((payment) => toCommusoftPayment(payment))
		.filter(
			(payment) =>
				changedSince(payment.updatedAt, filters.modifiedSince) &&
				(!filters.invoiceId || payment.invoiceId === filters.invoiceId) &&
				(!filters.externalReference || payment.externalReference === filters.externalReference),
		)
		.sort(
			(a, b) =>
				(a.updatedAt ?? a.date).localeCompare(b.updatedAt ?? b.date) || a.id.localeCompare(b.id),
		);
	return filters.limit === undefined ? payments : payments.slice(0, filters.limit);
}

export interface NewPayment {
	invoiceId: string;
	amount: number;
	date: string;
	externalReference: string;
	method?: string;
	reference?: string;
}

export interface PaymentOutcome {
	result: 'created' | 'alreadyRecorded';
	payment: CommusoftPayment;
}

export class PaymentConflictError extends Error {
	constructor(
		readonly existing: CommusoftPayment,
		wanted: NewPayment,
	) {
		super(
			`Commusoft already holds payment ${existing.id} with external reference "${wanted.externalReference}" ` +
				`(invoice ${existing.invoiceNumber ?? existing.invoiceId}, amount ${existing.amount.toFixed(2)}); ` +
				`refusing to record ${wanted.amount.toFixed(2)} against invoice ${wanted.invoiceId} under the same reference`,
		);
		this.name = 'PaymentConflictError';
	}
}

/**
 * Records a payment at most once per external reference (e.g. the Xero PaymentID): looks it up first and only
 * creates when absent. A 200 from the create (the server's own de-duplication, e.g. after a lost response) also
 * counts as already recorded.
 */
export async function recordPaymentOnce(
	this: CommusoftContext,
	payment: NewPayment,
	itemIndex?: number,
): Promise<PaymentOutcome> {
	const [existing] = await listPayments.call(this, {
		externalReference: payment.externalReference,
		itemIndex,
	});
	if (existing) {
		if (
			existing.invoiceId !== payment.invoiceId ||
			Math.abs(existing.amount - payment.amount) > 0.004
		) {
			throw new PaymentConflictError(existing, payment);
		}
		return { result: 'alreadyRecorded', payment: existing };
	}
	const response = await commusoftApiRequest.call(this, {
		endpoint: 'createPayment',
		body: {
			invoiceUuid: payment.invoiceId,
			amount: payment.amount,
			date: payment.date,
			externalReference: payment.externalReference,
			...(payment.method ? { method: payment.method } : {}),
			...(payment.reference ? { reference: payment.reference } : {}),
		},
		label: `"${payment.externalReference}" for invoice "${payment.invoiceId}"`,
		itemIndex,
		// The external reference makes a repeated POST return the stored payment instead of a second one.
		idempotent: true,
	});
	return {
		// A 200 after a retried attempt is this call's own earlier write, whose answer was lost.
		result: response.statusCode === 201 || response.attempts > 1 ? 'created' : 'alreadyRecorded',
		payment: toCommusoftPayment(response.body),
	};
}

export async function getJob(
	this: CommusoftContext,
	id: string,
	itemIndex?: number,
): Promise<CommusoftJob> {
	return toCommusoftJob(await commusoftGetBody.call(this, { endpoint: 'getJob', id, itemIndex }));
}
