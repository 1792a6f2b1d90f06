// Suppliers (a documented Commusoft resource), credit notes and supplier invoices (assumed), as
// docs/commusoft-api-contract.md describes them: state, rules and the views the API returns. Pure data
// operations on CommusoftData; HTTP lives in ./server.ts.
import {
	CommusoftRuleError,
	UUID_KIND,
	asAddress,
	categoryUuid,
	customerView,
	findCustomer,
	findInvoice,
	invoiceTotals,
	parseLines,
	propertyView,
	requireString,
	round2,
	sequentialUuid,
	type CommusoftData,
	type CsAddress,
	type CsInvoice,
	type CsInvoiceLine,
} from './state';

export interface CsSupplier {
	id: number;
	uuid: string;
	/** Assumed: "SUP-00001", assigned by the server. */
	reference: string;
	companyName: string;
	contactName?: string;
	email?: string;
	telephone?: string;
	mobile?: string;
	address?: CsAddress;
	/** Assumed, as on customers: the Xero ContactID once linked. */
	accountingSettings: { accountingReference?: string; vatNumber?: string };
	deleted: 0 | 1;
	createdAt: string;
	updatedAt: string;
}

export interface CsRefund {
	uuid: string;
	amount: number;
	date: string;
	method: string;
	reference?: string;
}

export interface CsCreditNote {
	uuid: string;
	creditNoteNumber: string;
	customerUuid: string;
	/** The invoice it credits, when it names one. */
	invoiceUuid?: string;
	propertyUuid?: string;
	jobUuid?: string;
	date: string;
	status: 'draft' | 'raised' | 'cancelled';
	currency: string;
	amountsAre: CsInvoice['amountsAre'];
	categoryUuid?: string;
	lines: CsInvoiceLine[];
	refunds: CsRefund[];
	createdAt: string;
	updatedAt: string;
}

export interface CsSupplierInvoice {
	uuid: string;
	supplierUuid: string;
	/** The supplier's own number: unique per supplier only. */
	supplierInvoiceNumber: string;
	jobUuid?: string;
	date: string;
	dueDate?: string;
	status: 'draft' | 'raised' | 'cancelled';
	currency: string;
	amountsAre: CsInvoice['amountsAre'];
	categoryUuid?: string;
	lines: CsInvoiceLine[];
	createdAt: string;
	updatedAt: string;
}

const text = (value: unknown) =>
	typeof value === 'string' && value.trim() !== '' ? value : undefined;

const AMOUNT_MODES = ['exclusive', 'inclusive', 'noTax'] as const;
const amountsAreOf = (value: unknown): CsInvoice['amountsAre'] =>
	AMOUNT_MODES.includes(value as CsInvoice['amountsAre'])
		? (value as CsInvoice['amountsAre'])
		: 'exclusive';
const statusOf = (value: unknown): CsInvoice['status'] =>
	value === 'draft' || value === 'cancelled' ? value : 'raised';

export function findSupplier(data: CommusoftData, uuid: string): CsSupplier {
	const supplier = data.suppliers.find((s) => s.uuid === uuid);
	if (!supplier) throw new CommusoftRuleError(404, 'not_found', `Supplier ${uuid} not found`);
	return supplier;
}

/** A supplier (inspection surface and seed): `companyName` required (documented); reference assigned. */
export function createSupplier(
	data: CommusoftData,
	body: Record<string, unknown>,
	nowIso: string,
): CsSupplier {
	const companyName = requireString(body, 'companyName', 'Supplier');
	data.counters.supplierId = (data.counters.supplierId ?? 200) + 1;
	const reference =
		text(body.reference) ?? `SUP-${String(data.suppliers.length + 1).padStart(5, '0')}`;
	if (data.suppliers.some((s) => s.reference === reference))
		throw new CommusoftRuleError(
			409,
			'conflict',
			`Supplier reference ${reference} is already used`,
		);
	const supplier: CsSupplier = {
		id: data.counters.supplierId,
		uuid: text(body.uuid) ?? sequentialUuid(data, UUID_KIND.supplier),
		reference,
		companyName,
		contactName: text(body.contactName),
		email: text(body.email),
		telephone: text(body.telephone),
		mobile: text(body.mobile),
		address: asAddress(body.address),
		accountingSettings: { vatNumber: text(body.vatNumber) },
		deleted: 0,
		createdAt: nowIso,
		updatedAt: nowIso,
	};
	data.suppliers.push(supplier);
	return supplier;
}

/** Edits a supplier (inspection surface): the fields given replace the stored ones; bumps updatedAt. */
export function editSupplier(
	data: CommusoftData,
	uuid: string,
	body: Record<string, unknown>,
	nowIso: string,
): CsSupplier {
	const supplier = findSupplier(data, uuid);
	for (const key of ['companyName', 'contactName', 'email', 'telephone', 'mobile'] as const) {
		if (typeof body[key] === 'string') supplier[key] = body[key] as string;
	}
	if (body.address !== undefined) supplier.address = asAddress(body.address);
	if (typeof body.accountingReference === 'string')
		supplier.accountingSettings.accountingReference = body.accountingReference;
	if (body.deleted === 1 || body.deleted === 0) supplier.deleted = body.deleted;
	supplier.updatedAt = nowIso;
	return supplier;
}

/**
 * Raises a credit note (inspection surface and seed). When it names the invoice it credits, the customer must
 * be that invoice's and the credit may not exceed the invoice's total.
 */
export function raiseCreditNote(
	data: CommusoftData,
	body: Record<string, unknown>,
	nowIso: string,
): CsCreditNote {
	const invoice = text(body.invoiceUuid) ? findInvoice(data, String(body.invoiceUuid)) : undefined;
	const customer = findCustomer(
		data,
		invoice?.customerUuid ?? requireString(body, 'customerUuid', 'Credit note'),
	);
	if (invoice && text(body.customerUuid) && body.customerUuid !== invoice.customerUuid)
		throw new CommusoftRuleError(
			422,
			'validation',
			`Credit note: invoice ${invoice.invoiceNumber} belongs to another customer`,
		);
	data.counters.creditNoteNumber = (data.counters.creditNoteNumber ?? 500) + 1;
	const note: CsCreditNote = {
		uuid: text(body.uuid) ?? sequentialUuid(data, UUID_KIND.creditNote),
		creditNoteNumber: text(body.creditNoteNumber) ?? `CN-${data.counters.creditNoteNumber}`,
		customerUuid: customer.uuid,
		invoiceUuid: invoice?.uuid,
		propertyUuid: invoice?.propertyUuid ?? text(body.propertyUuid),
		jobUuid: invoice?.jobUuid ?? text(body.jobUuid),
		date: text(body.date) ?? nowIso.slice(0, 10),
		status: statusOf(body.status),
		currency: text(body.currency) ?? invoice?.currency ?? 'GBP',
		amountsAre: amountsAreOf(body.amountsAre ?? invoice?.amountsAre),
		categoryUuid: categoryUuid(data, body.category) ?? invoice?.categoryUuid,
		lines: parseLines(data, body.lines, 'Credit note'),
		refunds: [],
		createdAt: nowIso,
		updatedAt: nowIso,
	};
	if (data.creditNotes.some((c) => c.creditNoteNumber === note.creditNoteNumber))
		throw new CommusoftRuleError(
			409,
			'conflict',
			`Credit note number ${note.creditNoteNumber} is already used`,
		);
	if (invoice && documentTotals(note).total > invoiceTotals(data, invoice).total)
		throw new CommusoftRuleError(
			422,
			'validation',
			`Credit note: ${documentTotals(note).total.toFixed(2)} is more than invoice ${invoice.invoiceNumber}'s total ${invoiceTotals(data, invoice).total.toFixed(2)}`,
		);
	data.creditNotes.push(note);
	return note;
}

/** A refund paid out against a raised credit note, never more than what it credits. */
export function refundCreditNote(
	data: CommusoftData,
	uuid: string,
	body: Record<string, unknown>,
	nowIso: string,
): CsCreditNote {
	const note = data.creditNotes.find((c) => c.uuid === uuid);
	if (!note) throw new CommusoftRuleError(404, 'not_found', `Credit note ${uuid} not found`);
	const amount = body.amount;
	if (typeof amount !== 'number' || amount <= 0 || round2(amount) !== amount)
		throw new CommusoftRuleError(400, 'validation', 'Refund: "amount" must be a positive amount');
	const refunded = note.refunds.reduce((sum, r) => sum + r.amount, 0);
	if (note.status !== 'raised' || round2(refunded + amount) > documentTotals(note).total)
		throw new CommusoftRuleError(
			422,
			'validation',
			`Refund: ${amount.toFixed(2)} is more than credit note ${note.creditNoteNumber} has left`,
		);
	note.refunds.push({
		uuid: sequentialUuid(data, UUID_KIND.creditNote),
		amount,
		date: text(body.date) ?? nowIso.slice(0, 10),
		method: text(body.method) ?? 'bank_transfer',
		reference: text(body.reference),
	});
	note.updatedAt = nowIso;
	return note;
}

/**
 * Records a supplier invoice (inspection surface and seed). `supplierInvoiceNumber` is required and unique per
 * supplier: two suppliers may both send an invoice numbered "1001".
 */
export function recordSupplierInvoice(
	data: CommusoftData,
	body: Record<string, unknown>,
	nowIso: string,
): CsSupplierInvoice {
	const supplier = findSupplier(data, requireString(body, 'supplierUuid', 'Supplier invoice'));
	const supplierInvoiceNumber = requireString(body, 'supplierInvoiceNumber', 'Supplier invoice');
	if (
		data.supplierInvoices.some(
			(s) => s.supplierUuid === supplier.uuid && s.supplierInvoiceNumber === supplierInvoiceNumber,
		)
	)
		throw new CommusoftRuleError(
			409,
			'conflict',
			`Supplier invoice ${supplierInvoiceNumber} from ${supplier.companyName} is already recorded`,
		);
	const date = text(body.date) ?? nowIso.slice(0, 10);
	const bill: CsSupplierInvoice = {
		uuid: text(body.uuid) ?? sequentialUuid(data, UUID_KIND.supplierInvoice),
		supplierUuid: supplier.uuid,
		supplierInvoiceNumber,
		jobUuid: text(body.jobUuid),
		date,
		dueDate: text(body.dueDate),
		status: statusOf(body.status),
		currency: text(body.currency) ?? 'GBP',
		amountsAre: amountsAreOf(body.amountsAre),
		categoryUuid: categoryUuid(data, body.category),
		lines: parseLines(data, body.lines, 'Supplier invoice'),
		createdAt: nowIso,
		updatedAt: nowIso,
	};
	data.supplierInvoices.push(bill);
	return bill;
}

/** Edits a credit note or supplier invoice (inspection surface): status, date, lines; bumps updatedAt. */
export function editDocument(
	data: CommusoftData,
	document: CsCreditNote | CsSupplierInvoice,
	body: Record<string, unknown>,
	nowIso: string,
): void {
	if (body.status !== undefined) document.status = statusOf(body.status);
	if (typeof body.date === 'string') document.date = body.date;
	if (body.lines !== undefined) document.lines = parseLines(data, body.lines, 'Document');
	document.updatedAt = nowIso;
}

/** Totals of a credit note or supplier invoice: the invoice rule (per line, VAT rounded per line). */
export function documentTotals(document: {
	lines: CsInvoiceLine[];
	amountsAre: CsInvoice['amountsAre'];
	status: CsInvoice['status'];
}) {
	const asInvoice = { ...document, uuid: '' } as unknown as CsInvoice;
	const { subtotal, totalTax, total } = invoiceTotals(
		{ payments: [] } as unknown as CommusoftData,
		asInvoice,
	);
	return { subtotal, totalTax, total };
}

// ---- Views: what the API returns ----

export function supplierView(supplier: CsSupplier): Record<string, unknown> {
	return JSON.parse(JSON.stringify(supplier)) as Record<string, unknown>;
}

function categoryView(data: CommusoftData, uuid: string | undefined) {
	const category = data.categories.find((c) => c.uuid === uuid);
	return category ? { uuid: category.uuid, name: category.name } : undefined;
}

export function creditNoteView(
	data: CommusoftData,
	note: CsCreditNote,
	origin: string,
): Record<string, unknown> {
	const customer = data.customers.find((c) => c.uuid === note.customerUuid);
	const invoice = data.invoices.find((i) => i.uuid === note.invoiceUuid);
	const totals = documentTotals(note);
	const refunded = round2(note.refunds.reduce((sum, r) => sum + r.amount, 0));
	return JSON.parse(
		JSON.stringify({
			uuid: note.uuid,
			creditNoteNumber: note.creditNoteNumber,
			customerUuid: note.customerUuid,
			customer: customer ? customerView(customer) : undefined,
			invoiceUuid: note.invoiceUuid,
			invoiceNumber: invoice?.invoiceNumber,
			propertyUuid: note.propertyUuid,
			property: propertyView(data.properties.find((p) => p.uuid === note.propertyUuid)),
			jobUuid: note.jobUuid,
			jobNumber: data.jobs.find((j) => j.uuid === note.jobUuid)?.jobNumber,
			date: note.date,
			status: note.status,
			currency: note.currency,
			amountsAre: note.amountsAre,
			invoiceCategory: categoryView(data, note.categoryUuid),
			lines: note.lines,
			refunds: note.refunds,
			...totals,
			amountRefunded: refunded,
			url: `${origin}/app/credit-notes/${note.uuid}`,
			createdAt: note.createdAt,
			updatedAt: note.updatedAt,
		}),
	) as Record<string, unknown>;
}

export function supplierInvoiceView(
	data: CommusoftData,
	bill: CsSupplierInvoice,
	origin: string,
): Record<string, unknown> {
	const supplier = data.suppliers.find((s) => s.uuid === bill.supplierUuid);
	return JSON.parse(
		JSON.stringify({
			uuid: bill.uuid,
			supplierInvoiceNumber: bill.supplierInvoiceNumber,
			supplierUuid: bill.supplierUuid,
			supplier: supplier ? supplierView(supplier) : undefined,
			jobUuid: bill.jobUuid,
			jobNumber: data.jobs.find((j) => j.uuid === bill.jobUuid)?.jobNumber,
			date: bill.date,
			dueDate: bill.dueDate,
			status: bill.status,
			currency: bill.currency,
			amountsAre: bill.amountsAre,
			invoiceCategory: categoryView(data, bill.categoryUuid),
			lines: bill.lines,
			...documentTotals(bill),
			url: `${origin}/app/supplier-invoices/${bill.uuid}`,
			createdAt: bill.createdAt,
			updatedAt: bill.updatedAt,
		}),
	) as Record<string, unknown>;
}
