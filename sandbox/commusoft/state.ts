// State and rules of the Commusoft sandbox: the documented resources (customers, contacts) plus the assumed
// ones (invoices, payments, jobs, accounting summary) exactly as docs/commusoft-api-contract.md describes them.
// Suppliers, credit notes and supplier invoices live in ./suppliers.ts.
// Pure data operations; HTTP lives in ./server.ts. Timestamps come from the sandbox clock so tests can move time.

import type { CsCreditNote, CsSupplier, CsSupplierInvoice } from './suppliers';

export interface CsAddress {
	addressLine1: string;
	addressLine2?: string;
	addressLine3?: string;
	town?: string;
	county?: string;
	postcode?: string;
	country?: string;
}

export interface CsAccountingSummary {
	xeroContactId?: string;
	currency: string;
	balanceOutstanding: number;
	balanceOverdue: number;
	asAt: string;
	note?: string;
	// optional detail (Customer → Update Xero Balance Summary)
	overdueInvoiceCount?: number;
	oldestOverdueDate?: string | null;
	unallocatedCredit?: number;
	lastPaymentDate?: string | null;
	lastPaymentAmount?: number | null;
	onStop?: boolean;
	creditLimit?: number | null;
	updatedAt: string;
}

export interface CsCustomer {
	id: number;
	uuid: string;
	reference: string;
	customerType: 'private' | 'company';
	title?: string;
	firstName?: string;
	lastName?: string;
	companyName?: string;
	email?: string;
	telephone?: string;
	mobile?: string;
	address?: CsAddress;
	accountingSettings: { accountingReference?: string; vatNumber?: string; paymentTerms?: string };
	deleted: 0 | 1;
	createdAt: string;
	updatedAt: string;
	accountingSummary?: CsAccountingSummary;
	/** Assumed: the import run that created the customer (Customer → Import From Xero; undo finds it by this). */
	importRunId?: string;
}

export interface CsProperty extends CsAddress {
	uuid: string;
	customerUuid: string;
}

export interface CsContact {
	uuid: string;
	linkedEntityType: 'customer' | 'supplier';
	linkedEntityUuid: string;
	title?: string;
	firstName?: string;
	lastName?: string;
	email?: string;
	telephone?: string;
	mobile?: string;
	createdAt: string;
	updatedAt: string;
}

export interface CsJob {
	uuid: string;
	jobNumber: string;
	description: string;
	status: 'open' | 'completed' | 'cancelled';
	customerUuid: string;
	propertyUuid?: string;
	createdAt: string;
	updatedAt: string;
}

export interface CsInvoiceLine {
	uuid: string;
	description: string;
	quantity: number;
	unitPrice: number;
	discountRate?: number;
	nominalCode: string;
	vatRate: string;
	itemCode?: string;
}

/** Assumed: the invoice type Commusoft shows (deposit, interim, final, …); absent on plain invoices. */
export type CsInvoiceType = 'deposit' | 'interim' | 'final' | 'retention' | 'additional';

export interface CsCategory {
	uuid: string;
	name: string;
}

export interface CsInvoice {
	uuid: string;
	invoiceNumber: string;
	customerUuid: string;
	propertyUuid?: string;
	jobUuid?: string;
	date: string;
	dueDate?: string;
	status: 'draft' | 'raised' | 'cancelled';
	currency: string;
	amountsAre: 'exclusive' | 'inclusive' | 'noTax';
	categoryUuid?: string;
	lines: CsInvoiceLine[];
	invoiceType?: CsInvoiceType;
	createdAt: string;
	updatedAt: string;
	/** PUT /invoices/{uuid}/xeroStatus (assumed); not part of the invoice body */
	xeroStatus?: CsInvoiceXeroStatus;
}

export interface CsPayment {
	uuid: string;
	invoiceUuid: string;
	amount: number;
	date: string;
	method: string;
	reference?: string;
	externalReference?: string;
	createdAt: string;
	updatedAt: string;
}

export interface CommusoftData {
	customers: CsCustomer[];
	properties: CsProperty[];
	contacts: CsContact[];
	jobs: CsJob[];
	categories: CsCategory[];
	nominalCodes: Array<{ code: string; name: string }>;
	vatRates: string[];
	invoices: CsInvoice[];
	payments: CsPayment[];
	// Suppliers (documented), credit notes and supplier invoices (assumed): ./suppliers.ts
	suppliers: CsSupplier[];
	creditNotes: CsCreditNote[];
	supplierInvoices: CsSupplierInvoice[];
	counters: {
		customerId: number;
		customerReference: number;
		invoiceNumber: number;
		jobNumber: number;
		uuid: number;
		supplierId?: number;
		creditNoteNumber?: number;
	};
}

/** A rule broken by a request: becomes a 4xx JSON error `{ error, message }` at the HTTP layer. */
export class CommusoftRuleError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

export function emptyData(): CommusoftData {
	return {
		customers: [],
		properties: [],
		contacts: [],
		jobs: [],
		categories: [],
		nominalCodes: [],
		vatRates: ['20%', '5%', '0%', 'Exempt', 'No VAT'],
		invoices: [],
		payments: [],
		suppliers: [],
		creditNotes: [],
		supplierInvoices: [],
		counters: {
			customerId: 1000,
			customerReference: 0,
			invoiceNumber: 10000,
			jobNumber: 2200,
			uuid: 0,
		},
	};
}

export const round2 = (value: number) => Math.round((value + Number.EPSILON) * 100) / 100;

/** Deterministic v4-shaped uuids: a kind prefix and a counter (ids are stable across runs of the seed). */
export function sequentialUuid(data: CommusoftData, kind: number): string {
	data.counters.uuid += 1;
	const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
	return `${hex(kind, 8)}-0000-4000-8000-${hex(data.counters.uuid, 12)}`;
}

export const UUID_KIND = {
	customer: 0xc0,
	property: 0xb0,
	contact: 0xa0,
	job: 0xd0,
	invoice: 0xe0,
	line: 0xe1,
	payment: 0xf0,
	category: 0x0c,
	note: 0x0e,
	supplier: 0x5a,
	creditNote: 0xc4,
	supplierInvoice: 0x5b,
};

export function vatFraction(label: string): number {
	const match = /^(\d+(?:\.\d+)?)\s*%$/.exec(label.trim());
	return match ? Number(match[1]) / 100 : 0;
}

export interface InvoiceTotals {
	subtotal: number;
	totalTax: number;
	total: number;
	amountPaid: number;
	amountOutstanding: number;
}

export function invoiceTotals(data: CommusoftData, invoice: CsInvoice): InvoiceTotals {
	let net = 0;
	let tax = 0;
	for (const line of invoice.lines) {
		const amount = round2(line.quantity * line.unitPrice * (1 - (line.discountRate ?? 0) / 100));
		const rate = invoice.amountsAre === 'noTax' ? 0 : vatFraction(line.vatRate);
		if (invoice.amountsAre === 'inclusive') {
			const lineTax = round2((amount * rate) / (1 + rate));
			net += amount - lineTax;
			tax += lineTax;
		} else {
			net += amount;
			tax += round2(amount * rate);
		}
	}
	const total = round2(net + tax);
	const amountPaid = round2(
		data.payments
			.filter((p) => p.invoiceUuid === invoice.uuid)
			.reduce((sum, p) => sum + p.amount, 0),
	);
	return {
		subtotal: round2(net),
		totalTax: round2(tax),
		total,
		amountPaid,
		amountOutstanding: invoice.status === 'cancelled' ? 0 : round2(total - amountPaid),
	};
}

const clean = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function requireString(body: Record<string, unknown>, field: string, what: string): string {
	const value = body[field];
	if (typeof value !== 'string' || value.trim() === '') {
		throw new CommusoftRuleError(400, 'validation', `${what}: "${field}" is required`);
	}
	return value;
}

export function asAddress(value: unknown): CsAddress | undefined {
	if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
	const raw = value as Record<string, unknown>;
	const address: CsAddress = { addressLine1: clean(raw.addressLine1) ?? '' };
	for (const key of [
		'addressLine2',
		'addressLine3',
		'town',
		'county',
		'postcode',
		'country',
	] as const) {
		if (typeof raw[key] === 'string') address[key] = raw[key] as string;
	}
	return address;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function findCustomer(data: CommusoftData, uuid: string): CsCustomer {
	const customer = data.customers.find((c) => c.uuid === uuid);
	if (!customer) throw new CommusoftRuleError(404, 'not_found', `Customer ${uuid} not found`);
	return customer;
}

/** POST /customers: the client supplies the uuid (documented CustomerInput); first and last name are required. */
export function createCustomer(
	data: CommusoftData,
	body: Record<string, unknown>,
	nowIso: string,
): CsCustomer {
	const uuid = requireString(body, 'uuid', 'Customer');
	if (!UUID_RE.test(uuid))
		throw new CommusoftRuleError(400, 'validation', `Customer: "uuid" must be a UUID`);
	if (data.customers.some((c) => c.uuid === uuid)) {
		throw new CommusoftRuleError(409, 'conflict', `Customer ${uuid} already exists`);
	}
	requireString(body, 'firstName', 'Customer');
	requireString(body, 'lastName', 'Customer');
	const reference = clean(body.reference);
	if (reference && data.customers.some((c) => c.reference === reference)) {
		throw new CommusoftRuleError(
			409,
			'conflict',
			`Customer reference ${reference} is already used`,
		);
	}
	data.counters.customerId += 1;
	let nextReference = reference;
	if (!nextReference) {
		do {
			data.counters.customerReference += 1;
			nextReference = `CUS-${String(data.counters.customerReference).padStart(5, '0')}`;
		} while (data.customers.some((c) => c.reference === nextReference));
	}
	const customer: CsCustomer = {
		id: data.counters.customerId,
		uuid,
		reference: nextReference,
		customerType:
			body.customerType === 'company' || (!body.customerType && body.companyName)
				? 'company'
				: 'private',
		deleted: 0,
		accountingSettings: {},
		createdAt: nowIso,
		updatedAt: nowIso,
	};
	applyCustomerFields(customer, body);
	data.customers.push(customer);
	return customer;
}

function applyCustomerFields(customer: CsCustomer, body: Record<string, unknown>): void {
	for (const key of [
		'title',
		'firstName',
		'lastName',
		'companyName',
		'email',
		'telephone',
		'mobile',
	] as const) {
		if (key in body) customer[key] = clean(body[key]) ?? undefined;
	}
	if (body.customerType === 'company' || body.customerType === 'private')
		customer.customerType = body.customerType;
	if (typeof body.importRunId === 'string' && body.importRunId)
		customer.importRunId = body.importRunId;
	if ('address' in body) customer.address = asAddress(body.address);
	if (body.accountingSettings && typeof body.accountingSettings === 'object') {
		const settings = body.accountingSettings as Record<string, unknown>;
		for (const key of ['accountingReference', 'vatNumber', 'paymentTerms'] as const) {
			if (key in settings) customer.accountingSettings[key] = clean(settings[key]) ?? undefined;
		}
	}
}

/** PUT /customers/{uuid}: fields present in the body replace the stored ones; others are kept. */
export function updateCustomer(
	data: CommusoftData,
	uuid: string,
	body: Record<string, unknown>,
	nowIso: string,
): CsCustomer {
	const customer = findCustomer(data, uuid);
	if (customer.deleted) throw new CommusoftRuleError(409, 'deleted', `Customer ${uuid} is deleted`);
	if ('uuid' in body && body.uuid !== uuid) {
		throw new CommusoftRuleError(400, 'validation', 'Customer: "uuid" cannot be changed');
	}
	for (const key of ['firstName', 'lastName'] as const) {
		if (key in body && (typeof body[key] !== 'string' || !(body[key] as string).trim())) {
			throw new CommusoftRuleError(400, 'validation', `Customer: "${key}" cannot be empty`);
		}
	}
	const reference = clean(body.reference);
	if (reference && reference !== customer.reference) {
		if (data.customers.some((c) => c.reference === reference)) {
			throw new CommusoftRuleError(
				409,
				'conflict',
				`Customer reference ${reference} is already used`,
			);
		}
		customer.reference = reference;
	}
	applyCustomerFields(customer, body);
	customer.updatedAt = nowIso;
	return customer;
}

/**
 * DELETE /customers/{uuid}: documented soft delete, `deleted` becomes 1. Assumed `?permanent=true`: removes the
 * record, refused (409) while anything refers to it (undo of an import removes only untouched customers).
 */
export function deleteCustomer(
	data: CommusoftData,
	uuid: string,
	nowIso: string,
	permanent = false,
): CsCustomer {
	const customer = findCustomer(data, uuid);
	if (permanent) {
		const usedBy = [
			data.invoices.some((i) => i.customerUuid === uuid) && 'invoices',
			data.jobs.some((j) => j.customerUuid === uuid) && 'jobs',
			data.properties.some((p) => p.customerUuid === uuid) && 'properties',
			data.contacts.some((c) => c.linkedEntityUuid === uuid) && 'contacts',
		].filter(Boolean);
		if (usedBy.length)
			throw new CommusoftRuleError(
				409,
				'in_use',
				`Customer ${uuid} has ${usedBy.join(', ')} and cannot be removed permanently`,
			);
		data.customers.splice(data.customers.indexOf(customer), 1);
		return customer;
	}
	customer.deleted = 1;
	customer.updatedAt = nowIso;
	return customer;
}

/** The optional detail fields: numbers, YYYY-MM-DD days or null, a boolean; anything else is a 400. */
function optionalSummaryDetail(body: Record<string, unknown>): Partial<CsAccountingSummary> {
	const detail: Record<string, unknown> = {};
	const bad = (field: string, what: string) =>
		new CommusoftRuleError(400, 'validation', `Accounting summary: "${field}" must be ${what}`);
	for (const field of [
		'overdueInvoiceCount',
		'unallocatedCredit',
		'lastPaymentAmount',
		'creditLimit',
	]) {
		const value = body[field];
		if (value === undefined) continue;
		if (value === null && field !== 'overdueInvoiceCount' && field !== 'unallocatedCredit') {
			detail[field] = null;
			continue;
		}
		if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(field, 'a number');
		detail[field] = round2(value);
	}
	for (const field of ['oldestOverdueDate', 'lastPaymentDate']) {
		const value = body[field];
		if (value === undefined) continue;
		if (value !== null && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)))
			throw bad(field, 'a YYYY-MM-DD date or null');
		detail[field] = value;
	}
	if (body.onStop !== undefined) {
		if (typeof body.onStop !== 'boolean') throw bad('onStop', 'true or false');
		detail.onStop = body.onStop;
	}
	return detail as Partial<CsAccountingSummary>;
}

export function putAccountingSummary(
	data: CommusoftData,
	uuid: string,
	body: Record<string, unknown>,
	nowIso: string,
): CsAccountingSummary {
	const customer = findCustomer(data, uuid);
	if (customer.deleted) throw new CommusoftRuleError(409, 'deleted', `Customer ${uuid} is deleted`);
	const number = (field: string) => {
		const value = body[field];
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			throw new CommusoftRuleError(
				400,
				'validation',
				`Accounting summary: "${field}" must be a number`,
			);
		}
		return round2(value);
	};
	const asAt = requireString(body, 'asAt', 'Accounting summary');
	if (Number.isNaN(Date.parse(asAt))) {
		throw new CommusoftRuleError(
			400,
			'validation',
			'Accounting summary: "asAt" must be an ISO 8601 date',
		);
	}
	const summary: CsAccountingSummary = {
		xeroContactId: clean(body.xeroContactId),
		currency: clean(body.currency) ?? 'GBP',
		balanceOutstanding: number('balanceOutstanding'),
		balanceOverdue: number('balanceOverdue'),
		asAt,
		note: clean(body.note),
		...optionalSummaryDetail(body),
		updatedAt: nowIso,
	};
	customer.accountingSummary = summary;
	return summary;
}

export function createContact(
	data: CommusoftData,
	body: Record<string, unknown>,
	nowIso: string,
): CsContact {
	const linkedEntityType = body.linkedEntityType;
	if (linkedEntityType !== 'customer' && linkedEntityType !== 'supplier') {
		throw new CommusoftRuleError(
			400,
			'validation',
			'Contact: "linkedEntityType" must be customer or supplier',
		);
	}
	const linkedEntityUuid = requireString(body, 'linkedEntityUuid', 'Contact');
	if (linkedEntityType === 'customer') findCustomer(data, linkedEntityUuid);
	requireString(body, 'lastName', 'Contact');
	const uuid = clean(body.uuid) ?? sequentialUuid(data, UUID_KIND.contact);
	if (data.contacts.some((c) => c.uuid === uuid)) {
		throw new CommusoftRuleError(409, 'conflict', `Contact ${uuid} already exists`);
	}
	const contact: CsContact = {
		uuid,
		linkedEntityType,
		linkedEntityUuid,
		createdAt: nowIso,
		updatedAt: nowIso,
	};
	for (const key of ['title', 'firstName', 'lastName', 'email', 'telephone', 'mobile'] as const) {
		if (typeof body[key] === 'string') contact[key] = body[key] as string;
	}
	data.contacts.push(contact);
	return contact;
}

export function findInvoice(data: CommusoftData, uuid: string): CsInvoice {
	const invoice = data.invoices.find((i) => i.uuid === uuid);
	if (!invoice) throw new CommusoftRuleError(404, 'not_found', `Invoice ${uuid} not found`);
	return invoice;
}

export function parseLines(data: CommusoftData, value: unknown, what = 'Invoice'): CsInvoiceLine[] {
	if (!Array.isArray(value) || value.length === 0) {
		throw new CommusoftRuleError(400, 'validation', `${what}: "lines" must be a non-empty array`);
	}
	return value.map((raw, index) => {
		const line = (raw ?? {}) as Record<string, unknown>;
		const where = `${what} line ${index + 1}`;
		const nominalCode = requireString(line, 'nominalCode', where);
		if (!data.nominalCodes.some((n) => n.code === nominalCode)) {
			throw new CommusoftRuleError(
				400,
				'validation',
				`${where}: nominal code ${nominalCode} does not exist`,
			);
		}
		const vatRate = clean(line.vatRate) ?? '20%';
		if (!data.vatRates.includes(vatRate)) {
			throw new CommusoftRuleError(
				400,
				'validation',
				`${where}: VAT rate ${vatRate} does not exist`,
			);
		}
		const quantity = typeof line.quantity === 'number' ? line.quantity : 1;
		if (typeof line.unitPrice !== 'number') {
			throw new CommusoftRuleError(400, 'validation', `${where}: "unitPrice" must be a number`);
		}
		return {
			uuid: clean(line.uuid) ?? sequentialUuid(data, UUID_KIND.line),
			description: clean(line.description) ?? '',
			quantity,
			unitPrice: line.unitPrice,
			discountRate: typeof line.discountRate === 'number' ? line.discountRate : undefined,
			nominalCode,
			vatRate,
			itemCode: clean(line.itemCode),
		};
	});
}

export function categoryUuid(data: CommusoftData, value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const category = data.categories.find((c) => c.uuid === value || c.name === value);
	if (!category)
		throw new CommusoftRuleError(
			400,
			'validation',
			`Invoice: category ${String(value)} does not exist`,
		);
	return category.uuid;
}

/** Raises an invoice (inspection surface only: the contract has no invoice write). Creates a job unless given. */
export function raiseInvoice(
	data: CommusoftData,
	body: Record<string, unknown>,
	nowIso: string,
): CsInvoice {
	const customer = findCustomer(data, requireString(body, 'customerUuid', 'Invoice'));
	const propertyUuid =
		clean(body.propertyUuid) ?? data.properties.find((p) => p.customerUuid === customer.uuid)?.uuid;
	const category = categoryUuid(data, body.category ?? body.categoryUuid);
	let jobUuid = clean(body.jobUuid);
	if (!jobUuid) {
		const job = createJob(
			data,
			{
				customerUuid: customer.uuid,
				propertyUuid,
				description: clean(body.jobDescription) ?? 'Work as invoiced',
			},
			nowIso,
		);
		job.status = 'completed';
		jobUuid = job.uuid;
	}
	data.counters.invoiceNumber += 1;
	const date = clean(body.date) ?? nowIso.slice(0, 10);
	const invoice: CsInvoice = {
		uuid: clean(body.uuid) ?? sequentialUuid(data, UUID_KIND.invoice),
		invoiceNumber: clean(body.invoiceNumber) ?? `CS-${data.counters.invoiceNumber}`,
		customerUuid: customer.uuid,
		propertyUuid,
		jobUuid,
		date,
		dueDate: clean(body.dueDate) ?? addDays(date, customer.customerType === 'company' ? 30 : 14),
		status: body.status === 'draft' || body.status === 'cancelled' ? body.status : 'raised',
		currency: clean(body.currency) ?? 'GBP',
		amountsAre:
			body.amountsAre === 'inclusive' || body.amountsAre === 'noTax'
				? body.amountsAre
				: 'exclusive',
		categoryUuid: category,
		lines: parseLines(data, body.lines),
		createdAt: nowIso,
		updatedAt: nowIso,
	};
	if (data.invoices.some((i) => i.invoiceNumber === invoice.invoiceNumber)) {
		throw new CommusoftRuleError(
			409,
			'conflict',
			`Invoice number ${invoice.invoiceNumber} is already used`,
		);
	}
	data.invoices.push(invoice);
	return invoice;
}

/** Edits an invoice (inspection surface): status, dates, category, lines; bumps updatedAt. */
export function editInvoice(
	data: CommusoftData,
	uuid: string,
	body: Record<string, unknown>,
	nowIso: string,
): CsInvoice {
	const invoice = findInvoice(data, uuid);
	if (body.status !== undefined) {
		if (!['draft', 'raised', 'cancelled'].includes(String(body.status))) {
			throw new CommusoftRuleError(
				400,
				'validation',
				'Invoice: status must be draft, raised or cancelled',
			);
		}
		invoice.status = body.status as CsInvoice['status'];
	}
	if (typeof body.date === 'string') invoice.date = body.date;
	if (typeof body.dueDate === 'string') invoice.dueDate = body.dueDate;
	if ('category' in body) invoice.categoryUuid = categoryUuid(data, body.category);
	if (
		body.amountsAre === 'exclusive' ||
		body.amountsAre === 'inclusive' ||
		body.amountsAre === 'noTax'
	) {
		invoice.amountsAre = body.amountsAre;
	}
	if (body.lines !== undefined) invoice.lines = parseLines(data, body.lines);
	invoice.updatedAt = nowIso;
	return invoice;
}

export function createJob(
	data: CommusoftData,
	body: Record<string, unknown>,
	nowIso: string,
): CsJob {
	const customer = findCustomer(data, requireString(body, 'customerUuid', 'Job'));
	data.counters.jobNumber += 1;
	const job: CsJob = {
		uuid: clean(body.uuid) ?? sequentialUuid(data, UUID_KIND.job),
		jobNumber: `JOB-${data.counters.jobNumber}`,
		description: clean(body.description) ?? '',
		status: 'open',
		customerUuid: customer.uuid,
		propertyUuid:
			clean(body.propertyUuid) ??
			data.properties.find((p) => p.customerUuid === customer.uuid)?.uuid,
		createdAt: nowIso,
		updatedAt: nowIso,
	};
	data.jobs.push(job);
	return job;
}

export interface PaymentResult {
	payment: CsPayment;
	created: boolean;
}

/**
 * POST /payments (assumed). Idempotent on `externalReference`: a repeat returns the stored payment (200) and
 * never records a second one; reusing the reference for another invoice or another amount is a 409.
 */
export function recordPayment(
	data: CommusoftData,
	body: Record<string, unknown>,
	nowIso: string,
): PaymentResult {
	const invoice = findInvoice(data, requireString(body, 'invoiceUuid', 'Payment'));
	const externalReference = clean(body.externalReference)?.trim() || undefined;
	const amount = body.amount;
	if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
		throw new CommusoftRuleError(400, 'validation', 'Payment: "amount" must be a positive number');
	}
	if (round2(amount) !== amount) {
		throw new CommusoftRuleError(
			400,
			'validation',
			'Payment: "amount" has more than 2 decimal places',
		);
	}
	if (externalReference) {
		const existing = data.payments.find((p) => p.externalReference === externalReference);
		if (existing) {
			if (existing.invoiceUuid !== invoice.uuid || existing.amount !== amount) {
				throw new CommusoftRuleError(
					409,
					'conflict',
					`Payment externalReference ${externalReference} is already used by payment ${existing.uuid} (invoice ${existing.invoiceUuid}, amount ${existing.amount})`,
				);
			}
			return { payment: existing, created: false };
		}
	}
	if (invoice.status !== 'raised') {
		throw new CommusoftRuleError(
			422,
			'validation',
			`Payment: invoice ${invoice.invoiceNumber} is ${invoice.status}, not raised`,
		);
	}
	const { amountOutstanding } = invoiceTotals(data, invoice);
	if (amount > amountOutstanding) {
		throw new CommusoftRuleError(
			422,
			'validation',
			`Payment: amount ${amount.toFixed(2)} exceeds the outstanding balance ${amountOutstanding.toFixed(2)} of invoice ${invoice.invoiceNumber}`,
		);
	}
	const date = clean(body.date) ?? nowIso.slice(0, 10);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
		throw new CommusoftRuleError(400, 'validation', 'Payment: "date" must be YYYY-MM-DD');
	}
	const payment: CsPayment = {
		uuid: sequentialUuid(data, UUID_KIND.payment),
		invoiceUuid: invoice.uuid,
		amount,
		date,
		method: clean(body.method) ?? 'bank_transfer',
		reference: clean(body.reference),
		externalReference,
		createdAt: nowIso,
		updatedAt: nowIso,
	};
	data.payments.push(payment);
	invoice.updatedAt = nowIso;
	return { payment, created: true };
}

export function addDays(day: string, days: number): string {
	const date = new Date(`${day}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
}

// ---- Views: what the API returns (embedded customer/property/category and computed totals) ----

function strip<T extends object>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

export function customerView(customer: CsCustomer): Record<string, unknown> {
	const view: Partial<CsCustomer> = strip(customer);
	delete view.accountingSummary;
	return view;
}

export function propertyView(
	property: CsProperty | undefined,
): Record<string, unknown> | undefined {
	if (!property) return undefined;
	const view: Partial<CsProperty> = strip(property);
	delete view.customerUuid;
	return view;
}

export function invoiceView(
	data: CommusoftData,
	invoice: CsInvoice,
	origin: string,
): Record<string, unknown> {
	const customer = data.customers.find((c) => c.uuid === invoice.customerUuid);
	const property = data.properties.find((p) => p.uuid === invoice.propertyUuid);
	const job = data.jobs.find((j) => j.uuid === invoice.jobUuid);
	const category = data.categories.find((c) => c.uuid === invoice.categoryUuid);
	return strip({
		uuid: invoice.uuid,
		invoiceNumber: invoice.invoiceNumber,
		customerUuid: invoice.customerUuid,
		customer: customer ? customerView(customer) : undefined,
		propertyUuid: invoice.propertyUuid,
		property: propertyView(property),
		jobUuid: invoice.jobUuid,
		jobNumber: job?.jobNumber,
		date: invoice.date,
		dueDate: invoice.dueDate,
		status: invoice.status,
		currency: invoice.currency,
		amountsAre: invoice.amountsAre,
		invoiceCategory: category ? { uuid: category.uuid, name: category.name } : undefined,
		invoiceType: invoice.invoiceType,
		lines: invoice.lines,
		...invoiceTotals(data, invoice),
		url: `${origin}/app/invoices/${invoice.uuid}`,
		createdAt: invoice.createdAt,
		updatedAt: invoice.updatedAt,
	});
}

export function paymentView(data: CommusoftData, payment: CsPayment): Record<string, unknown> {
	const invoice = data.invoices.find((i) => i.uuid === payment.invoiceUuid);
	return strip({ ...payment, invoiceNumber: invoice?.invoiceNumber, currency: invoice?.currency });
}

export function jobView(data: CommusoftData, job: CsJob): Record<string, unknown> {
	return strip({
		...job,
		invoiceUuids: data.invoices.filter((i) => i.jobUuid === job.uuid).map((i) => i.uuid),
	});
}

// ---- Xero status of an invoice (assumed: PUT/GET /invoices/{uuid}/xeroStatus) ----

export interface CsInvoiceNote {
	uuid: string;
	text: string;
	changeKey: string;
	createdAt: string;
}

/** The latest Xero state written, every change key written, and one note per change. */
export interface CsInvoiceXeroStatus {
	xeroInvoiceId: string;
	invoiceNumber?: string;
	state: 'VOIDED' | 'DELETED' | 'PAID' | 'CREDITED';
	xeroStatus: string;
	changeKey: string;
	changedAt: string;
	total: number;
	amountPaid: number;
	amountCredited: number;
	note: string;
	recordedAt: string;
	changeKeys: string[];
	notes: CsInvoiceNote[];
}

const XERO_STATES = ['VOIDED', 'DELETED', 'PAID', 'CREDITED'] as const;

/**
 * PUT /invoices/{uuid}/xeroStatus (assumed). Idempotent on `changeKey`: a change already recorded answers 200
 * with what is stored and writes nothing (not even the latest state: a late copy of an older change must not
 * overwrite a newer one); a new change adds one note and becomes the latest state (201). Never changes the
 * invoice's `updatedAt`, so the write is invisible to anything that watches invoices for changes.
 */
export function putInvoiceXeroStatus(
	data: CommusoftData,
	uuid: string,
	body: Record<string, unknown>,
	nowIso: string,
): { created: boolean; status: CsInvoiceXeroStatus } {
	const invoice = findInvoice(data, uuid);
	const what = 'Invoice Xero status';
	const state = body.state;
	if (typeof state !== 'string' || !(XERO_STATES as readonly string[]).includes(state)) {
		throw new CommusoftRuleError(
			400,
			'validation',
			`${what}: "state" must be one of ${XERO_STATES.join(', ')}`,
		);
	}
	const changeKey = requireString(body, 'changeKey', what);
	const number = (field: string) => {
		const value = body[field];
		if (typeof value !== 'number' || !Number.isFinite(value))
			throw new CommusoftRuleError(400, 'validation', `${what}: "${field}" must be a number`);
		return round2(value);
	};
	const next = {
		xeroInvoiceId: requireString(body, 'xeroInvoiceId', what),
		invoiceNumber: clean(body.invoiceNumber),
		state: state as CsInvoiceXeroStatus['state'],
		xeroStatus: requireString(body, 'xeroStatus', what),
		changeKey,
		changedAt: requireString(body, 'changedAt', what),
		total: number('total'),
		amountPaid: number('amountPaid'),
		amountCredited: number('amountCredited'),
		note: requireString(body, 'note', what),
	};
	if (Number.isNaN(Date.parse(next.changedAt)))
		throw new CommusoftRuleError(
			400,
			'validation',
			`${what}: "changedAt" must be an ISO 8601 date`,
		);
	const stored = invoice.xeroStatus;
	if (stored?.changeKeys.includes(changeKey)) return { created: false, status: stored };
	invoice.xeroStatus = {
		...next,
		recordedAt: nowIso,
		changeKeys: [...(stored?.changeKeys ?? []), changeKey],
		notes: [
			...(stored?.notes ?? []),
			{ uuid: sequentialUuid(data, UUID_KIND.note), text: next.note, changeKey, createdAt: nowIso },
		],
	};
	return { created: true, status: invoice.xeroStatus };
}
