/**
 * Record-level Commusoft calls shared by the Commusoft node, the Commusoft trigger and the payment poller: each
 * turns transport responses into the records of ../records.ts. Server-side filters are assumed (see the
 * contract), so every list is also filtered here: a server that ignores a filter cannot produce wrong output.
 */
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import {
	toCommusoftCreditNote,
	toCommusoftCustomer,
	toCommusoftInvoice,
	toCommusoftJob,
	toCommusoftPayment,
	toCommusoftSupplier,
	toCommusoftSupplierInvoice,
	toRawCustomerBody,
	type CommusoftAccountingSummary,
	type CommusoftCreditNote,
	type CommusoftCustomer,
	type CommusoftCustomerInput,
	type CommusoftInvoice,
	type CommusoftJob,
	type CommusoftPayment,
	type CommusoftSupplier,
	type CommusoftSupplierInvoice,
} from '../records';
import {
	commusoftApiRequest,
	commusoftGetAll,
	commusoftGetBody,
	type CommusoftContext,
	type CommusoftEndpointName,
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

/** One list read: server-side filters (assumed, so re-checked locally by `keep`), then records in updatedAt order. */
interface ListSpec<T> {
	endpoint: CommusoftEndpointName;
	/** Query parameters besides `modifiedSince`. */
	qs: IDataObject;
	/** True when `qs` narrows the list: the server's page count then says nothing about matches, so all is read. */
	narrowed: boolean;
	toRecords: (raw: IDataObject[]) => T[] | Promise<T[]>;
	keep: (record: T) => boolean;
}

async function listRecords<T extends { id: string; updatedAt?: string }>(
	ctx: CommusoftContext,
	spec: ListSpec<T>,
	options: ListOptions,
): Promise<T[]> {
	const qs: IDataObject = { ...spec.qs };
	if (options.modifiedSince) qs.modifiedSince = options.modifiedSince;
	const raw = await commusoftGetAll.call(ctx, spec.endpoint, {
		qs,
		limit: spec.narrowed ? undefined : options.limit,
		itemIndex: options.itemIndex,
	});
	const records = (await spec.toRecords(raw))
		.filter((record) => changedSince(record.updatedAt, options.modifiedSince) && spec.keep(record))
		.sort(byUpdatedAt);
	return options.limit === undefined ? records : records.slice(0, options.limit);
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
	if (filters.accountReference) qs.reference = filters.accountReference;
	if (filters.xeroContactId) qs.accountingReference = filters.xeroContactId;
	if (filters.email) qs.email = filters.email;
	if (filters.includeDeleted) qs.includeDeleted = true;
	return await listRecords(
		this,
		{
			endpoint: 'listCustomers',
			qs,
			narrowed: Boolean(filters.accountReference || filters.xeroContactId || filters.email),
			toRecords: (raw) =>
				raw
					.filter((customer) => filters.includeDeleted || !Number(customer.deleted))
					.map((customer) => toCommusoftCustomer(customer)),
			keep: (customer) =>
				(!filters.accountReference || customer.accountReference === filters.accountReference) &&
				(!filters.xeroContactId || customer.xeroContactId === filters.xeroContactId) &&
				(!filters.email || customer.email === filters.email.trim().toLowerCase()),
		},
		filters,
	);
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

/** Where a document body embeds its party (customer or supplier), and how to read the party by uuid. */
interface PartyRef {
	field: 'customer' | 'supplier';
	uuidField: 'customerUuid' | 'supplierUuid';
	endpoint: 'getCustomer' | 'getSupplier';
}

const CUSTOMER_PARTY: PartyRef = {
	field: 'customer',
	uuidField: 'customerUuid',
	endpoint: 'getCustomer',
};
const SUPPLIER_PARTY: PartyRef = {
	field: 'supplier',
	uuidField: 'supplierUuid',
	endpoint: 'getSupplier',
};

/** Document bodies embed their party; if one does not, the party is fetched once per uuid. */
async function withParty<T>(
	ctx: CommusoftContext,
	raw: IDataObject[],
	party: PartyRef,
	toRecord: (body: unknown, partyRaw?: unknown) => T,
	itemIndex?: number,
): Promise<T[]> {
	const parties = new Map<string, unknown>();
	const records: T[] = [];
	for (const document of raw) {
		let partyRaw: unknown;
		if (!document[party.field] || typeof document[party.field] !== 'object') {
			const uuid = String(document[party.uuidField] ?? '');
			if (uuid) {
				if (!parties.has(uuid)) {
					parties.set(
						uuid,
						await commusoftGetBody.call(ctx, { endpoint: party.endpoint, id: uuid, itemIndex }),
					);
				}
				partyRaw = parties.get(uuid);
			}
		}
		records.push(toRecord(document, partyRaw));
	}
	return records;
}

async function toInvoiceRecords(
	this: CommusoftContext,
	raw: IDataObject[],
	itemIndex?: number,
): Promise<CommusoftInvoice[]> {
	return await withParty(this, raw, CUSTOMER_PARTY, toCommusoftInvoice, itemIndex);
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
	if (filters.status) qs.status = filters.status;
	if (filters.customerId) qs.customerUuid = filters.customerId;
	return await listRecords(
		this,
		{
			endpoint: 'listInvoices',
			qs,
			narrowed: Boolean(filters.status || filters.customerId),
			toRecords: async (raw) => await toInvoiceRecords.call(this, raw, filters.itemIndex),
			keep: (invoice) =>
				(!filters.status || invoice.status === filters.status) &&
				(!filters.customerId || invoice.customer.id === filters.customerId),
		},
		filters,
	);
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

// ---- Suppliers, credit notes and supplier invoices ----

export async function getSupplier(
	this: CommusoftContext,
	id: string,
	itemIndex?: number,
): Promise<CommusoftSupplier> {
	return toCommusoftSupplier(
		await commusoftGetBody.call(this, { endpoint: 'getSupplier', id, itemIndex }),
	);
}

export interface SupplierFilters extends ListOptions {
	accountReference?: string;
	includeDeleted?: boolean;
}

/** Suppliers (documented list; paging, `modifiedSince` and `reference` assumed), oldest change first. */
export async function listSuppliers(
	this: CommusoftContext,
	filters: SupplierFilters = {},
): Promise<CommusoftSupplier[]> {
	const qs: IDataObject = {};
	if (filters.accountReference) qs.reference = filters.accountReference;
	if (filters.includeDeleted) qs.includeDeleted = true;
	return await listRecords(
		this,
		{
			endpoint: 'listSuppliers',
			qs,
			narrowed: Boolean(filters.accountReference),
			toRecords: (raw) =>
				raw
					.filter((supplier) => filters.includeDeleted || !Number(supplier.deleted))
					.map((supplier) => toCommusoftSupplier(supplier)),
			keep: (supplier) =>
				!filters.accountReference || supplier.accountReference === filters.accountReference,
		},
		filters,
	);
}

export async function getCreditNote(
	this: CommusoftContext,
	id: string,
	itemIndex?: number,
): Promise<CommusoftCreditNote> {
	const raw = (await commusoftGetBody.call(this, {
		endpoint: 'getCreditNote',
		id,
		itemIndex,
	})) as IDataObject;
	return (await withParty(this, [raw], CUSTOMER_PARTY, toCommusoftCreditNote, itemIndex))[0];
}

export interface CreditNoteFilters extends ListOptions {
	status?: CommusoftCreditNote['status'];
	customerId?: string;
	/** Only credit notes that credit this Commusoft invoice uuid. */
	invoiceId?: string;
}

export async function listCreditNotes(
	this: CommusoftContext,
	filters: CreditNoteFilters = {},
): Promise<CommusoftCreditNote[]> {
	const qs: IDataObject = {};
	if (filters.status) qs.status = filters.status;
	if (filters.customerId) qs.customerUuid = filters.customerId;
	if (filters.invoiceId) qs.invoiceUuid = filters.invoiceId;
	return await listRecords(
		this,
		{
			endpoint: 'listCreditNotes',
			qs,
			narrowed: Boolean(filters.status || filters.customerId || filters.invoiceId),
			toRecords: async (raw) =>
				await withParty(this, raw, CUSTOMER_PARTY, toCommusoftCreditNote, filters.itemIndex),
			keep: (note) =>
				(!filters.status || note.status === filters.status) &&
				(!filters.customerId || note.customer.id === filters.customerId) &&
				(!filters.invoiceId || note.creditedCommusoftInvoiceId === filters.invoiceId),
		},
		filters,
	);
}

export async function getSupplierInvoice(
	this: CommusoftContext,
	id: string,
	itemIndex?: number,
): Promise<CommusoftSupplierInvoice> {
	const raw = (await commusoftGetBody.call(this, {
		endpoint: 'getSupplierInvoice',
		id,
		itemIndex,
	})) as IDataObject;
	return (await withParty(this, [raw], SUPPLIER_PARTY, toCommusoftSupplierInvoice, itemIndex))[0];
}

export interface SupplierInvoiceFilters extends ListOptions {
	status?: CommusoftSupplierInvoice['status'];
	supplierId?: string;
}

export async function listSupplierInvoices(
	this: CommusoftContext,
	filters: SupplierInvoiceFilters = {},
): Promise<CommusoftSupplierInvoice[]> {
	const qs: IDataObject = {};
	if (filters.status) qs.status = filters.status;
	if (filters.supplierId) qs.supplierUuid = filters.supplierId;
	return await listRecords(
		this,
		{
			endpoint: 'listSupplierInvoices',
			qs,
			narrowed: Boolean(filters.status || filters.supplierId),
			toRecords: async (raw) =>
				await withParty(this, raw, SUPPLIER_PARTY, toCommusoftSupplierInvoice, filters.itemIndex),
			keep: (bill) =>
				(!filters.status || bill.status === filters.status) &&
				(!filters.supplierId || bill.supplier.id === filters.supplierId),
		},
		filters,
	);
}
