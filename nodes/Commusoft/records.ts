/**
 * Commusoft records: the stable shapes the Commusoft nodes emit (docs/ARCHITECTURE.md, "Records between nodes")
 * and the pure functions that turn raw Commusoft API bodies (docs/commusoft-api-contract.md) into them.
 * No n8n context and no HTTP here; field names of the raw API live only in this file and in transport/endpoints.ts.
 */

import {
	parseNumber,
	parseOptionalDate,
	parseOptionalNumber,
	parseOptionalTimestamp,
	type Parsed,
} from '../shared/parse';

export interface CommusoftAddress {
	addressLine1: string;
	addressLine2?: string;
	addressLine3?: string;
	town?: string;
	county?: string;
	postcode?: string;
	country?: string;
}

export interface CommusoftCustomer {
	id: string;
	accountReference: string;
	title?: string;
	firstName?: string;
	lastName?: string;
	companyName?: string;
	customerType: 'private' | 'company';
	email?: string;
	telephone?: string;
	mobile?: string;
	address?: CommusoftAddress;
	xeroContactId?: string;
	updatedAt: string;
}

export interface CommusoftInvoiceLine {
	id: string;
	description: string;
	quantity: number;
	unitPrice: number;
	discountRate?: number;
	nominalCode: string;
	vatRate: string;
	taxType?: string;
	itemCode?: string;
}

export interface CommusoftInvoice {
	id: string;
	invoiceNumber: string;
	reference?: string;
	jobId?: string;
	date: string;
	dueDate?: string;
	status: 'draft' | 'raised' | 'cancelled';
	currency: string;
	amountsAre: 'exclusive' | 'inclusive' | 'noTax';
	category?: string;
	lines: CommusoftInvoiceLine[];
	customer: CommusoftCustomer;
	property?: CommusoftAddress & { id?: string };
	total: number;
	totalTax: number;
	url?: string;
	createdAt: string;
	updatedAt: string;
}

/** In ARCHITECTURE.md's shared list: emitted by the Commusoft node and trigger, read by Xero Payment → Create. */
export interface CommusoftPayment {
	id: string;
	invoiceId: string;
	invoiceNumber?: string;
	amount: number;
	currency?: string;
	date: string;
	method?: string;
	reference?: string;
	externalReference?: string;
	createdAt?: string;
	updatedAt?: string;
}

/** Not in ARCHITECTURE.md's shared list: emitted by the Commusoft node's Job → Get operation. */
export interface CommusoftJob {
	id: string;
	jobNumber?: string;
	description?: string;
	status?: string;
	customerId?: string;
	propertyId?: string;
	invoiceIds: string[];
	createdAt?: string;
	updatedAt?: string;
}

/** Raw bodies as the contract describes them. Everything is optional: the real API is unverified. */
export type RawObject = Record<string, unknown>;

export class CommusoftRecordError extends Error {
	constructor(
		readonly recordType: string,
		readonly recordId: string | undefined,
		readonly field: string,
		problem: string,
	) {
		super(
			`Commusoft ${recordType}${recordId ? ` ${recordId}` : ''}: field "${field}" ${problem} — see docs/commusoft-api-contract.md`,
		);
		this.name = 'CommusoftRecordError';
	}
}

function isObject(value: unknown): value is RawObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Trims and collapses inner whitespace; empty strings become undefined (Commusoft data is typed by people). */
export function cleanText(value: unknown): string | undefined {
	if (value === null || value === undefined) return undefined;
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).replace(/\s+/g, ' ').trim();
	return text === '' ? undefined : text;
}

function idOf(value: unknown): string | undefined {
	return cleanText(value);
}

/**
 * A field of a record read strictly by one of the shared parsers (nodes/shared/parse.ts, docs/parsing.md);
 * a value the parser refuses names the record, the field, what is wrong and the fix.
 */
function readField<T>(
	parse: (value: unknown) => Parsed<T>,
	value: unknown,
	recordType: string,
	recordId: string | undefined,
	field: string,
): T {
	const parsed = parse(value);
	if (!parsed.ok)
		throw new CommusoftRecordError(
			recordType,
			recordId,
			field,
			`${parsed.problem} (${parsed.fix})`,
		);
	return parsed.value;
}

/**
 * Commusoft timestamps may come as "2026-10-01 09:30:00" (no zone, UK local is not assumed: treated as UTC).
 * Lenient: undefined when absent or unreadable, for callers that only order records. Records use
 * `readField(parseOptionalTimestamp, …)`, which refuses an unreadable value.
 */
export function toIsoTimestamp(value: unknown): string | undefined {
	const parsed = parseOptionalTimestamp(value);
	return parsed.ok ? parsed.value : undefined;
}

function dropUndefined<T extends object>(value: T): T {
	for (const key of Object.keys(value) as Array<keyof T>) {
		if (value[key] === undefined) delete value[key];
	}
	return value;
}

export function toCommusoftAddress(raw: unknown): CommusoftAddress | undefined {
	if (!isObject(raw)) return undefined;
	const address = dropUndefined<CommusoftAddress>({
		addressLine1: cleanText(raw.addressLine1) ?? '',
		addressLine2: cleanText(raw.addressLine2),
		addressLine3: cleanText(raw.addressLine3),
		town: cleanText(raw.town),
		county: cleanText(raw.county),
		postcode: cleanText(raw.postcode)?.toUpperCase(),
		country: cleanText(raw.country),
	});
	const hasContent = Object.entries(address).some(([, v]) => v !== '' && v !== undefined);
	return hasContent ? address : undefined;
}

/** Raw customer (documented fields plus the assumed `reference` and `customerType`) → CommusoftCustomer. */
export function toCommusoftCustomer(raw: unknown): CommusoftCustomer {
	if (!isObject(raw))
		throw new CommusoftRecordError('customer', undefined, 'body', 'is not an object');
	const id = idOf(raw.uuid);
	if (!id) throw new CommusoftRecordError('customer', idOf(raw.id), 'uuid', 'is missing');
	const companyName = cleanText(raw.companyName);
	const rawType = cleanText(raw.customerType)?.toLowerCase();
	const customerType: CommusoftCustomer['customerType'] =
		rawType === 'company' || rawType === 'private' ? rawType : companyName ? 'company' : 'private';
	const accounting = isObject(raw.accountingSettings) ? raw.accountingSettings : {};
	// Assumed: the customer reference ("CUS-00012") is `reference`; fall back to the numeric id as Commusoft shows it.
	const accountReference =
		cleanText(raw.reference) ?? cleanText(raw.accountReference) ?? idOf(raw.id) ?? id;
	const updatedAt =
		readField(parseOptionalTimestamp, raw.updatedAt, 'customer', id, 'updatedAt') ??
		readField(parseOptionalTimestamp, raw.createdAt, 'customer', id, 'createdAt');
	if (!updatedAt) throw new CommusoftRecordError('customer', id, 'updatedAt', 'is missing');
	return dropUndefined<CommusoftCustomer>({
		id,
		accountReference,
		title: cleanText(raw.title),
		firstName: cleanText(raw.firstName),
		lastName: cleanText(raw.lastName),
		companyName,
		customerType,
		email: cleanText(raw.email)?.toLowerCase(),
		telephone: cleanText(raw.telephone),
		mobile: cleanText(raw.mobile),
		address: toCommusoftAddress(raw.address),
		xeroContactId: cleanText(accounting.accountingReference),
		updatedAt,
	});
}

/** "20" → "20%", 0 → "0%", null/"" → "No VAT"; labels such as "Exempt" pass through. */
export function normaliseVatRate(value: unknown): string {
	if (typeof value === 'number') return `${value}%`;
	const text = cleanText(value);
	if (!text) return 'No VAT';
	if (/^\d+(\.\d+)?$/.test(text)) return `${Number(text)}%`;
	if (/^\d+(\.\d+)?\s*%$/.test(text)) return `${Number(text.replace('%', '').trim())}%`;
	if (/^no\s*vat$/i.test(text)) return 'No VAT';
	return text;
}

export function toCommusoftInvoiceLine(
	raw: unknown,
	invoiceId: string,
	index: number,
	recordType = 'invoice',
): CommusoftInvoiceLine {
	const where = `${invoiceId} line ${index + 1}`;
	if (!isObject(raw))
		throw new CommusoftRecordError(recordType, where, 'lines', 'holds a non-object');
	const nominalCode = cleanText(raw.nominalCode);
	if (!nominalCode) throw new CommusoftRecordError(recordType, where, 'nominalCode', 'is missing');
	return dropUndefined<CommusoftInvoiceLine>({
		id: idOf(raw.uuid) ?? idOf(raw.id) ?? `${invoiceId}:${index + 1}`,
		description: cleanText(raw.description) ?? '',
		quantity: readField(parseNumber, raw.quantity ?? 1, recordType, where, 'quantity'),
		unitPrice: readField(parseNumber, raw.unitPrice, recordType, where, 'unitPrice'),
		discountRate:
			readField(parseOptionalNumber, raw.discountRate, recordType, where, 'discountRate') ||
			undefined,
		nominalCode,
		vatRate: normaliseVatRate(raw.vatRate),
		taxType: cleanText(raw.taxType),
		itemCode: cleanText(raw.itemCode),
	});
}

const INVOICE_STATUSES = ['draft', 'raised', 'cancelled'] as const;
const AMOUNT_MODES = ['exclusive', 'inclusive', 'noTax'] as const;

function categoryName(raw: RawObject): string | undefined {
	for (const key of ['invoiceCategory', 'businessUnit', 'category']) {
		const value = raw[key];
		if (isObject(value)) {
			const name = cleanText(value.name) ?? cleanText(value.description);
			if (name) return name;
		} else if (cleanText(value)) {
			return cleanText(value);
		}
	}
	return undefined;
}

/** The header fields sales invoices, credit notes and supplier invoices share, read the same way. */
function readDocumentHeader(raw: RawObject, recordType: string, label: string) {
	const date = readField(parseOptionalDate, raw.date, recordType, label, 'date');
	if (!date) throw new CommusoftRecordError(recordType, label, 'date', 'is missing');
	const status = (cleanText(raw.status)?.toLowerCase() ?? 'raised') as CommusoftInvoice['status'];
	if (!INVOICE_STATUSES.includes(status))
		throw new CommusoftRecordError(recordType, label, 'status', `has unknown value "${status}"`);
	const amountsAre = (cleanText(raw.amountsAre) ?? 'exclusive') as CommusoftInvoice['amountsAre'];
	if (!AMOUNT_MODES.includes(amountsAre))
		throw new CommusoftRecordError(
			recordType,
			label,
			'amountsAre',
			`has unknown value "${amountsAre}"`,
		);
	const createdAt = readField(
		parseOptionalTimestamp,
		raw.createdAt,
		recordType,
		label,
		'createdAt',
	);
	const updatedAt =
		readField(parseOptionalTimestamp, raw.updatedAt, recordType, label, 'updatedAt') ?? createdAt;
	if (!updatedAt) throw new CommusoftRecordError(recordType, label, 'updatedAt', 'is missing');
	const rawLines = Array.isArray(raw.lines) ? raw.lines : [];
	return {
		reference: cleanText(raw.jobNumber) ?? cleanText(raw.reference),
		jobId: idOf(raw.jobUuid),
		date,
		dueDate: readField(parseOptionalDate, raw.dueDate, recordType, label, 'dueDate'),
		status,
		currency: cleanText(raw.currency)?.toUpperCase() ?? 'GBP',
		amountsAre,
		category: categoryName(raw),
		lines: rawLines.map((line, index) => toCommusoftInvoiceLine(line, label, index, recordType)),
		total: readField(parseNumber, raw.total, recordType, label, 'total'),
		totalTax: readField(parseNumber, raw.totalTax ?? 0, recordType, label, 'totalTax'),
		url: cleanText(raw.url),
		createdAt: createdAt ?? updatedAt,
		updatedAt,
	};
}

/**
 * Raw invoice (assumed shape) → CommusoftInvoice. The customer is embedded in the raw body; when only
 * `customerUuid` is present the caller fetches the customer and passes it as `customerRaw`.
 */
export function toCommusoftInvoice(raw: unknown, customerRaw?: unknown): CommusoftInvoice {
	if (!isObject(raw))
		throw new CommusoftRecordError('invoice', undefined, 'body', 'is not an object');
	const id = idOf(raw.uuid);
	if (!id) throw new CommusoftRecordError('invoice', idOf(raw.invoiceNumber), 'uuid', 'is missing');
	const invoiceNumber = cleanText(raw.invoiceNumber);
	if (!invoiceNumber) throw new CommusoftRecordError('invoice', id, 'invoiceNumber', 'is missing');
	const customerSource = isObject(raw.customer) ? raw.customer : customerRaw;
	if (!isObject(customerSource)) {
		throw new CommusoftRecordError(
			'invoice',
			invoiceNumber,
			'customer',
			'is missing (no embedded customer)',
		);
	}
	const property = toCommusoftAddress(raw.property);
	const propertyId = isObject(raw.property) ? idOf(raw.property.uuid) : undefined;
	return dropUndefined<CommusoftInvoice>({
		id,
		invoiceNumber,
		...readDocumentHeader(raw, 'invoice', invoiceNumber),
		customer: toCommusoftCustomer(customerSource),
		property: property ? dropUndefined({ id: propertyId, ...property }) : undefined,
	});
}

export function toCommusoftPayment(raw: unknown): CommusoftPayment {
	if (!isObject(raw))
		throw new CommusoftRecordError('payment', undefined, 'body', 'is not an object');
	const id = idOf(raw.uuid);
	if (!id) throw new CommusoftRecordError('payment', undefined, 'uuid', 'is missing');
	const invoiceId = idOf(raw.invoiceUuid);
	if (!invoiceId) throw new CommusoftRecordError('payment', id, 'invoiceUuid', 'is missing');
	const date = readField(parseOptionalDate, raw.date, 'payment', id, 'date');
	if (!date) throw new CommusoftRecordError('payment', id, 'date', 'is missing');
	return dropUndefined<CommusoftPayment>({
		id,
		invoiceId,
		invoiceNumber: cleanText(raw.invoiceNumber),
		amount: readField(parseNumber, raw.amount, 'payment', id, 'amount'),
		currency: cleanText(raw.currency)?.toUpperCase(),
		date,
		method: cleanText(raw.method),
		reference: cleanText(raw.reference),
		externalReference: cleanText(raw.externalReference),
		createdAt: readField(parseOptionalTimestamp, raw.createdAt, 'payment', id, 'createdAt'),
		updatedAt: readField(parseOptionalTimestamp, raw.updatedAt, 'payment', id, 'updatedAt'),
	});
}

export function toCommusoftJob(raw: unknown): CommusoftJob {
	if (!isObject(raw)) throw new CommusoftRecordError('job', undefined, 'body', 'is not an object');
	const id = idOf(raw.uuid);
	if (!id) throw new CommusoftRecordError('job', idOf(raw.jobNumber), 'uuid', 'is missing');
	return dropUndefined<CommusoftJob>({
		id,
		jobNumber: cleanText(raw.jobNumber),
		description: cleanText(raw.description),
		status: cleanText(raw.status),
		customerId: idOf(raw.customerUuid),
		propertyId: idOf(raw.propertyUuid),
		invoiceIds: Array.isArray(raw.invoiceUuids)
			? raw.invoiceUuids.map((value) => idOf(value)).filter((value): value is string => !!value)
			: [],
		createdAt: readField(parseOptionalTimestamp, raw.createdAt, 'job', id, 'createdAt'),
		updatedAt: readField(parseOptionalTimestamp, raw.updatedAt, 'job', id, 'updatedAt'),
	});
}

/** Input for creating or updating a customer, in record terms (what the node's fields collect). */
export interface CommusoftCustomerInput {
	accountReference?: string;
	title?: string;
	firstName?: string;
	lastName?: string;
	companyName?: string;
	customerType?: 'private' | 'company';
	email?: string;
	telephone?: string;
	mobile?: string;
	address?: Partial<CommusoftAddress>;
	xeroContactId?: string;
	vatNumber?: string;
	paymentTerms?: string;
}

/** Record-shaped customer input → raw API body (documented field names plus the assumed `reference`). */
export function toRawCustomerBody(input: CommusoftCustomerInput, uuid?: string): RawObject {
	const accountingSettings = dropUndefined({
		accountingReference: input.xeroContactId,
		vatNumber: input.vatNumber,
		paymentTerms: input.paymentTerms,
	});
	const address = input.address ? dropUndefined({ ...input.address }) : undefined;
	return dropUndefined<RawObject>({
		uuid,
		reference: input.accountReference,
		customerType: input.customerType,
		title: input.title,
		firstName: input.firstName,
		lastName: input.lastName,
		companyName: input.companyName,
		email: input.email,
		telephone: input.telephone,
		mobile: input.mobile,
		address: address && Object.keys(address).length ? address : undefined,
		accountingSettings: Object.keys(accountingSettings).length ? accountingSettings : undefined,
	});
}

/** Balance summary written back to a customer by the balance sync (assumed endpoint, see the contract). */
export interface CommusoftAccountingSummary {
	xeroContactId?: string;
	currency: string;
	balanceOutstanding: number;
	balanceOverdue: number;
	asAt: string;
	note?: string;
	// Optional detail written by Customer → Update Xero Balance Summary.
	overdueInvoiceCount?: number;
	oldestOverdueDate?: string | null;
	unallocatedCredit?: number;
	lastPaymentDate?: string | null;
	lastPaymentAmount?: number | null;
	onStop?: boolean;
	creditLimit?: number | null;
}

// ---- Suppliers and supplier invoices (Commusoft's own Xero link sends both) ----

/**
 * A Commusoft supplier. `companyName`, `contactName`, `email`, `telephone`, `address` are documented;
 * `reference` and `accountingSettings` are assumed, as on customers (docs/commusoft-api-contract.md).
 */
export interface CommusoftSupplier {
	/** Always "supplier": tells Xero Contact → Sync that the item is a supplier, not a customer. */
	recordType: 'supplier';
	id: string;
	/** Supplier reference, e.g. "SUP-00003" (assumed `reference`; falls back to the numeric id). */
	accountReference: string;
	name: string;
	contactName?: string;
	email?: string;
	telephone?: string;
	mobile?: string;
	address?: CommusoftAddress;
	vatNumber?: string;
	xeroContactId?: string;
	createdAt?: string;
	updatedAt: string;
}

export function toCommusoftSupplier(raw: unknown): CommusoftSupplier {
	if (!isObject(raw))
		throw new CommusoftRecordError('supplier', undefined, 'body', 'is not an object');
	const id = idOf(raw.uuid);
	if (!id) throw new CommusoftRecordError('supplier', idOf(raw.id), 'uuid', 'is missing');
	const name = cleanText(raw.companyName) ?? cleanText(raw.name);
	if (!name) throw new CommusoftRecordError('supplier', id, 'companyName', 'is missing');
	const accounting = isObject(raw.accountingSettings) ? raw.accountingSettings : {};
	const createdAt = readField(parseOptionalTimestamp, raw.createdAt, 'supplier', id, 'createdAt');
	const updatedAt =
		readField(parseOptionalTimestamp, raw.updatedAt, 'supplier', id, 'updatedAt') ?? createdAt;
	if (!updatedAt) throw new CommusoftRecordError('supplier', id, 'updatedAt', 'is missing');
	return dropUndefined<CommusoftSupplier>({
		recordType: 'supplier',
		id,
		accountReference: cleanText(raw.reference) ?? idOf(raw.id) ?? id,
		name,
		contactName: cleanText(raw.contactName),
		email: cleanText(raw.email)?.toLowerCase(),
		telephone: cleanText(raw.telephone),
		mobile: cleanText(raw.mobile),
		address: toCommusoftAddress(raw.address),
		vatNumber: cleanText(accounting.vatNumber) ?? cleanText(raw.vatNumber),
		xeroContactId: cleanText(accounting.accountingReference),
		createdAt,
		updatedAt,
	});
}

/** A line of a supplier invoice or credit note: the invoice line's shape (nominal code, VAT label, …). */
export type CommusoftDocumentLine = CommusoftInvoiceLine;

/** A supplier invoice (parts, subcontractors) as entered in Commusoft: an assumed endpoint (see the contract). */
export interface CommusoftSupplierInvoice
	extends Omit<CommusoftInvoice, 'invoiceNumber' | 'customer' | 'property' | 'lines'> {
	/** The supplier's own invoice number: unique only per supplier (→ Xero bill InvoiceNumber). */
	supplierInvoiceNumber: string;
	/** Nominal code (purchase account), VAT label and business unit per line, as on sales invoices. */
	lines: CommusoftDocumentLine[];
	supplier: CommusoftSupplier;
}

/**
 * Raw supplier invoice (assumed shape) → CommusoftSupplierInvoice. The supplier is embedded in the body; when
 * only `supplierUuid` is present the caller fetches it and passes it as `supplierRaw`. A supplier invoice
 * without its supplier's invoice number is refused: Xero keys bills on supplier + number.
 */
export function toCommusoftSupplierInvoice(
	raw: unknown,
	supplierRaw?: unknown,
): CommusoftSupplierInvoice {
	if (!isObject(raw))
		throw new CommusoftRecordError('supplier invoice', undefined, 'body', 'is not an object');
	const id = idOf(raw.uuid);
	if (!id) throw new CommusoftRecordError('supplier invoice', undefined, 'uuid', 'is missing');
	const supplierInvoiceNumber = cleanText(raw.supplierInvoiceNumber);
	if (!supplierInvoiceNumber)
		throw new CommusoftRecordError(
			'supplier invoice',
			id,
			'supplierInvoiceNumber',
			"is missing (the number on the supplier's own invoice; enter it on the supplier invoice in Commusoft)",
		);
	const label = `${supplierInvoiceNumber} (${id})`;
	const supplierSource = isObject(raw.supplier) ? raw.supplier : supplierRaw;
	if (!isObject(supplierSource))
		throw new CommusoftRecordError(
			'supplier invoice',
			label,
			'supplier',
			'is missing (no embedded supplier)',
		);
	return dropUndefined<CommusoftSupplierInvoice>({
		id,
		supplierInvoiceNumber,
		...readDocumentHeader(raw, 'supplier invoice', label),
		supplier: toCommusoftSupplier(supplierSource),
	});
}

// ---- Credit notes: the one CommusoftCreditNote shape, read by the Xero credit-note upsert and, for its refunds,
// by Xero Payment → Create. ----

/** A refund paid out in Commusoft against a credit note. */
export interface CommusoftRefundPayment {
	id: string;
	amount: number;
	date: string;
	method?: string;
}

/**
 * A Commusoft credit note (refund, correction, cancelled work) as Xero Credit Note → Create or Update reads it:
 * the invoice's fields, with its own number, and the invoice it credits when Commusoft names one (by Xero
 * InvoiceID, or by the invoice number both systems share); the credit is then allocated to that invoice.
 */
export interface CommusoftCreditNote extends Omit<CommusoftInvoice, 'invoiceNumber' | 'dueDate'> {
	/** e.g. "CN-10007" → Xero CreditNoteNumber */
	creditNoteNumber: string;
	/** the Commusoft/Xero number of the invoice this credits, e.g. "CS-10042" */
	creditedInvoiceNumber?: string;
	/** the Xero InvoiceID of the invoice this credits, when known (wins over the number) */
	creditedInvoiceId?: string;
	/** the Commusoft uuid of the invoice this credits (the assumed `invoiceUuid`), for look-ups in Commusoft */
	creditedCommusoftInvoiceId?: string;
	/** money paid back to the customer in Commusoft; Xero Payment → Create records each on the Xero credit note */
	refundPayments?: CommusoftRefundPayment[];
}

function toRefundPayment(raw: unknown, label: string, index: number): CommusoftRefundPayment {
	const where = `${label} refund ${index + 1}`;
	if (!isObject(raw))
		throw new CommusoftRecordError('credit note', where, 'refunds', 'holds a non-object');
	const date = readField(parseOptionalDate, raw.date, 'credit note', where, 'date');
	if (!date) throw new CommusoftRecordError('credit note', where, 'date', 'is missing');
	return dropUndefined<CommusoftRefundPayment>({
		id: idOf(raw.uuid) ?? `${label}:refund:${index + 1}`,
		amount: readField(parseNumber, raw.amount, 'credit note', where, 'amount'),
		date,
		method: cleanText(raw.method),
	});
}

/**
 * Raw credit note (assumed shape) → CommusoftCreditNote. The customer is embedded; when only `customerUuid` is
 * present the caller fetches the customer and passes it as `customerRaw` (as for invoices).
 */
export function toCommusoftCreditNote(raw: unknown, customerRaw?: unknown): CommusoftCreditNote {
	if (!isObject(raw))
		throw new CommusoftRecordError('credit note', undefined, 'body', 'is not an object');
	const id = idOf(raw.uuid);
	if (!id)
		throw new CommusoftRecordError('credit note', idOf(raw.creditNoteNumber), 'uuid', 'is missing');
	const creditNoteNumber = cleanText(raw.creditNoteNumber);
	if (!creditNoteNumber)
		throw new CommusoftRecordError('credit note', id, 'creditNoteNumber', 'is missing');
	const customerSource = isObject(raw.customer) ? raw.customer : customerRaw;
	if (!isObject(customerSource))
		throw new CommusoftRecordError(
			'credit note',
			creditNoteNumber,
			'customer',
			'is missing (no embedded customer)',
		);
	const property = toCommusoftAddress(raw.property);
	const propertyId = isObject(raw.property) ? idOf(raw.property.uuid) : undefined;
	const refunds = Array.isArray(raw.refunds) ? raw.refunds : [];
	const header = readDocumentHeader(raw, 'credit note', creditNoteNumber);
	delete header.dueDate;
	return dropUndefined<CommusoftCreditNote>({
		id,
		creditNoteNumber,
		...header,
		customer: toCommusoftCustomer(customerSource),
		property: property ? dropUndefined({ id: propertyId, ...property }) : undefined,
		creditedCommusoftInvoiceId: idOf(raw.invoiceUuid),
		creditedInvoiceNumber: cleanText(raw.invoiceNumber),
		refundPayments: refunds.length
			? refunds.map((refund, index) => toRefundPayment(refund, creditNoteNumber, index))
			: undefined,
	});
}
