/**
 * Every Commusoft endpoint the package calls, in one table. `documented: true` means the endpoint appears in
 * Commusoft's published API (https://commusoft.docs.apiary.io/); `documented: false` marks
 * an assumption the connector makes because Commusoft publishes nothing for it. docs/commusoft-api-contract.md
 * describes each row; change a path here and there, nowhere else. The base URL comes from the credential.
 */
import type { IHttpRequestMethods } from 'n8n-workflow';

export const COMMUSOFT_DEFAULT_BASE_URL = 'https://api.commusoft.com/api/v1';

export interface CommusoftEndpoint {
	method: IHttpRequestMethods;
	/** Relative to the base URL; `{uuid}` is replaced with the URL-encoded record id. */
	path: string;
	/** What the endpoint reads or writes, in words used in error messages ("customer", "invoice"). */
	record: string;
	documented: boolean;
	/** Query parameters the connector sends that Commusoft does not document (paging, filters). */
	assumedParams?: string[];
	/**
	 * For an endpoint that addresses one record by id (in the path, or `bodyField` of the body): which record a 404
	 * may mean is missing. After such a 404 the transport asks that record's `read` and `list` endpoints
	 * (COMMUSOFT_RECORDS) to tell "no such record" from "no such endpoint here" (a wrong base URL, or an assumed
	 * endpoint this Commusoft lacks).
	 */
	addresses?: RecordAddress;
}

export interface RecordAddress {
	record: RecordKind;
	/** The body field that carries the record's id (absent: the `{uuid}` of the path). */
	bodyField?: string;
}

/** How each kind of record is checked after a 404, and what an office person does about a missing one. */
export const COMMUSOFT_RECORDS = {
	customer: {
		read: 'getCustomer',
		list: 'listCustomers',
		fix: 'check the customer id in Commusoft (open the customer and compare its id; it may have been deleted or merged), then re-run the customer sync so the stored link points at the current customer',
	},
	contact: {
		read: 'getContact',
		list: 'listContacts',
		fix: 'check the contact id in Commusoft (it may have been deleted), then re-run the step that supplied it',
	},
	invoice: {
		read: 'getInvoice',
		list: 'listInvoices',
		fix: 'check the invoice id in Commusoft (open the invoice and compare its id; it may have been deleted, or raised in another Commusoft account); if it came from Xero, re-run the invoice sync so the Xero invoice carries the current Commusoft invoice id',
	},
	job: {
		read: 'getJob',
		list: undefined,
		fix: 'check the job id in Commusoft (open the job and compare its id; it may have been deleted)',
	},
	// Suppliers, credit notes and supplier invoices (Commusoft's own Xero link sends all three).
	supplier: {
		read: 'getSupplier',
		list: 'listSuppliers',
		fix: 'check the supplier id in Commusoft (open the supplier and compare its id; it may have been deleted), then re-run the step that supplied it',
	},
	'credit note': {
		read: 'getCreditNote',
		list: 'listCreditNotes',
		fix: 'check the credit note id in Commusoft (open the credit note and compare its id; it may have been deleted, or raised in another Commusoft account)',
	},
	'supplier invoice': {
		read: 'getSupplierInvoice',
		list: 'listSupplierInvoices',
		fix: 'check the supplier invoice id in Commusoft (open the supplier invoice and compare its id; it may have been deleted)',
	},
} as const;

export type RecordKind = keyof typeof COMMUSOFT_RECORDS;

export const COMMUSOFT_ENDPOINTS = {
	getToken: { method: 'POST', path: '/getToken', record: 'token', documented: true },
	listCustomers: {
		method: 'GET',
		path: '/customers',
		record: 'customer',
		documented: true,
		assumedParams: [
			'page',
			'pageSize',
			'modifiedSince',
			'reference',
			'accountingReference',
			'includeDeleted',
			'importRunId',
		],
	},
	getCustomer: {
		method: 'GET',
		path: '/customers/{uuid}',
		record: 'customer',
		documented: true,
		addresses: { record: 'customer' },
	},
	createCustomer: { method: 'POST', path: '/customers', record: 'customer', documented: true },
	updateCustomer: {
		method: 'PUT',
		path: '/customers/{uuid}',
		record: 'customer',
		documented: true,
		addresses: { record: 'customer' },
	},
	deleteCustomer: {
		method: 'DELETE',
		path: '/customers/{uuid}',
		record: 'customer',
		documented: true,
		assumedParams: ['permanent'],
		addresses: { record: 'customer' },
	},
	putCustomerAccountingSummary: {
		method: 'PUT',
		path: '/customers/{uuid}/accountingSummary',
		record: 'customer accounting summary',
		documented: false,
		addresses: { record: 'customer' },
	},
	getCustomerAccountingSummary: {
		method: 'GET',
		path: '/customers/{uuid}/accountingSummary',
		record: 'customer accounting summary',
		documented: false,
		addresses: { record: 'customer' },
	},
	listContacts: {
		method: 'GET',
		path: '/contacts',
		record: 'contact',
		documented: true,
		assumedParams: ['page', 'pageSize', 'linkedEntityUuid'],
	},
	getContact: {
		method: 'GET',
		path: '/contacts/{uuid}',
		record: 'contact',
		documented: true,
		addresses: { record: 'contact' },
	},
	createContact: { method: 'POST', path: '/contacts', record: 'contact', documented: true },
	listInvoices: {
		method: 'GET',
		path: '/invoices',
		record: 'invoice',
		documented: false,
		assumedParams: ['page', 'pageSize', 'modifiedSince', 'status', 'customerUuid'],
	},
	getInvoice: {
		method: 'GET',
		path: '/invoices/{uuid}',
		record: 'invoice',
		documented: false,
		addresses: { record: 'invoice' },
	},
	listPayments: {
		method: 'GET',
		path: '/payments',
		record: 'payment',
		documented: false,
		assumedParams: ['page', 'pageSize', 'modifiedSince', 'invoiceUuid', 'externalReference'],
	},
	createPayment: {
		method: 'POST',
		path: '/payments',
		record: 'payment',
		documented: false,
		addresses: { record: 'invoice', bodyField: 'invoiceUuid' },
	},
	getJob: {
		method: 'GET',
		path: '/jobs/{uuid}',
		record: 'job',
		documented: false,
		addresses: { record: 'job' },
	},
	getInvoiceXeroStatus: {
		method: 'GET',
		path: '/invoices/{uuid}/xeroStatus',
		record: 'invoice Xero status',
		documented: false,
		addresses: { record: 'invoice' },
	},
	putInvoiceXeroStatus: {
		method: 'PUT',
		path: '/invoices/{uuid}/xeroStatus',
		record: 'invoice Xero status',
		documented: false,
		addresses: { record: 'invoice' },
	},
	// Suppliers (documented resource), credit notes and supplier invoices (assumed).
	listSuppliers: {
		method: 'GET',
		path: '/suppliers',
		record: 'supplier',
		documented: true,
		assumedParams: ['page', 'pageSize', 'modifiedSince', 'reference', 'includeDeleted'],
	},
	getSupplier: {
		method: 'GET',
		path: '/suppliers/{uuid}',
		record: 'supplier',
		documented: true,
		addresses: { record: 'supplier' },
	},
	listCreditNotes: {
		method: 'GET',
		path: '/credit_notes',
		record: 'credit note',
		documented: false,
		assumedParams: ['page', 'pageSize', 'modifiedSince', 'status', 'customerUuid', 'invoiceUuid'],
	},
	getCreditNote: {
		method: 'GET',
		path: '/credit_notes/{uuid}',
		record: 'credit note',
		documented: false,
		addresses: { record: 'credit note' },
	},
	listSupplierInvoices: {
		method: 'GET',
		path: '/supplier_invoices',
		record: 'supplier invoice',
		documented: false,
		assumedParams: ['page', 'pageSize', 'modifiedSince', 'status', 'supplierUuid'],
	},
	getSupplierInvoice: {
		method: 'GET',
		path: '/supplier_invoices/{uuid}',
		record: 'supplier invoice',
		documented: false,
		addresses: { record: 'supplier invoice' },
	},
} as const satisfies Record<string, CommusoftEndpoint>;

export type CommusoftEndpointName = keyof typeof COMMUSOFT_ENDPOINTS;

/** Largest page the connector asks for; the contract assumes the server caps `pageSize` at 100. */
export const COMMUSOFT_PAGE_SIZE = 100;

export function endpointPath(name: CommusoftEndpointName, uuid?: string): string {
	const { path } = COMMUSOFT_ENDPOINTS[name];
	if (!path.includes('{uuid}')) return path;
	if (!uuid) throw new Error(`Commusoft endpoint ${name} needs a record id`);
	return path.replace('{uuid}', encodeURIComponent(uuid));
}
