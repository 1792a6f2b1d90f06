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
}

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
	getCustomer: { method: 'GET', path: '/customers/{uuid}', record: 'customer', documented: true },
	createCustomer: { method: 'POST', path: '/customers', record: 'customer', documented: true },
	updateCustomer: {
		method: 'PUT',
		path: '/customers/{uuid}',
		record: 'customer',
		documented: true,
	},
	deleteCustomer: {
		method: 'DELETE',
		path: '/customers/{uuid}',
		record: 'customer',
		documented: true,
		assumedParams: ['permanent'],
	},
	putCustomerAccountingSummary: {
		method: 'PUT',
		path: '/customers/{uuid}/accountingSummary',
		record: 'customer accounting summary',
		documented: false,
	},
	getCustomerAccountingSummary: {
		method: 'GET',
		path: '/customers/{uuid}/accountingSummary',
		record: 'customer accounting summary',
		documented: false,
	},
	listContacts: {
		method: 'GET',
		path: '/contacts',
		record: 'contact',
		documented: true,
		assumedParams: ['page', 'pageSize', 'linkedEntityUuid'],
	},
	getContact: { method: 'GET', path: '/contacts/{uuid}', record: 'contact', documented: true },
	createContact: { method: 'POST', path: '/contacts', record: 'contact', documented: true },
	listInvoices: {
		method: 'GET',
		path: '/invoices',
		record: 'invoice',
		documented: false,
		assumedParams: ['page', 'pageSize', 'modifiedSince', 'status', 'customerUuid'],
	},
	getInvoice: { method: 'GET', path: '/invoices/{uuid}', record: 'invoice', documented: false },
	listPayments: {
		method: 'GET',
		path: '/payments',
		record: 'payment',
		documented: false,
		assumedParams: ['page', 'pageSize', 'modifiedSince', 'invoiceUuid', 'externalReference'],
	},
	createPayment: { method: 'POST', path: '/payments', record: 'payment', documented: false },
	getJob: { method: 'GET', path: '/jobs/{uuid}', record: 'job', documented: false },
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
