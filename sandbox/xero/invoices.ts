/* eslint-disable @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Invoices (docs/xero-rules.md §3): list/get, PUT create and POST create-or-update in batches, update by InvoiceID or
// InvoiceNumber, LineItemID keep/remove, status transitions (§3.5), edits refused once paid, unique ACCREC
// numbers, account/tax/tracking validation, unitdp and per-line tax rounding (§2.4).
import { GUID_RE, q } from '../shared/http';
import {
	answerBatch,
	ApiContext,
	ApiResult,
	asObject,
	BatchOutcome,
	ElementErrors,
	elementsOf,
	filterList,
	listAnswer,
	has,
	notFound,
	num,
	parseBool,
	parseList,
	str,
	validationException,
} from './api';
import { computeTotals, lineAmountOf, round, storedLineNumber } from './calc';
import { addDays, parseInputDay } from './clock';
import { invoiceJson, makeIndex } from './serialize';
import type { ContactRecord, InvoiceRecord, LineItemRecord, TenantState } from './types';

const TYPES = ['ACCREC', 'ACCPAY'];
const AMOUNT_TYPES = ['Exclusive', 'Inclusive', 'NoTax'] as const;

/** Allowed API status changes (docs/xero-rules.md §3.5, Xero support answer in waynerobinson/xeroizer#48). */
const TRANSITIONS: Record<string, string[]> = {
	DRAFT: ['SUBMITTED', 'AUTHORISED', 'DELETED'],
	SUBMITTED: ['DRAFT', 'AUTHORISED', 'DELETED'],
	AUTHORISED: ['VOIDED'],
	PAID: [],
	VOIDED: [],
	DELETED: [],
};

export const MSG_NOT_VALID_STATUS = 'Invoice not of valid status for modification';
export const MSG_HAS_PAYMENTS =
	'This document cannot be edited as it has a payment or credit note allocated to it.';
export const MSG_NUMBER_UNIQUE = 'Invoice # must be unique.';

function unitDp(ctx: ApiContext): number | undefined {
	const v = Number(q(ctx.query, 'unitdp'));
	return v === 4 ? 4 : undefined;
}

export function findInvoice(tenant: TenantState, idOrNumber: string): InvoiceRecord | undefined {
	if (GUID_RE.test(idOrNumber))
		return tenant.invoices.find((i) => i.InvoiceID.toLowerCase() === idOrNumber.toLowerCase());
	return tenant.invoices.find((i) => i.InvoiceNumber === idOrNumber && i.Status !== 'DELETED');
}

// ---------- reads ----------

export function getInvoices(ctx: ApiContext): ApiResult {
	const t = ctx.tenant;
	let list = t.invoices;
	const ids = parseList(q(ctx.query, 'IDs'))?.map((s) => s.toLowerCase());
	if (ids) list = list.filter((i) => ids.includes(i.InvoiceID.toLowerCase()));
	const numbers = parseList(q(ctx.query, 'InvoiceNumbers'));
	if (numbers)
		list = list.filter((i) => i.InvoiceNumber !== undefined && numbers.includes(i.InvoiceNumber));
	const contactIds = parseList(q(ctx.query, 'ContactIDs'))?.map((s) => s.toLowerCase());
	if (contactIds) list = list.filter((i) => contactIds.includes(i.ContactID.toLowerCase()));
	const statuses = parseList(q(ctx.query, 'Statuses'))?.map((s) => s.toUpperCase());
	if (statuses) list = list.filter((i) => statuses.includes(i.Status));
	if (parseBool(q(ctx.query, 'createdByMyApp')))
		list = list.filter((i) => i.CreatedByClientId === ctx.clientId);
	const term = q(ctx.query, 'searchTerm')?.toLowerCase();
	if (term) {
		list = list.filter(
			(i) =>
				(i.InvoiceNumber ?? '').toLowerCase().includes(term) ||
				(i.Reference ?? '').toLowerCase().includes(term),
		);
	}
	const paged = q(ctx.query, 'page') !== undefined;
	// Paged responses carry line items; an unpaged multi-invoice GET omits them (§3.6).
	const lines = paged && !parseBool(q(ctx.query, 'summaryOnly'));
	const dp = unitDp(ctx);
	const idx = makeIndex(t);
	const result = filterList(
		ctx,
		list.map((i) => ({
			json: () => invoiceJson(t, i, { lines, unitdp: dp }, idx),
			updated: i.UpdatedDateUTC,
		})),
	);
	return listAnswer('Invoices', result);
}

export function getInvoice(ctx: ApiContext): ApiResult {
	const inv = findInvoice(ctx.tenant, ctx.params[0]);
	if (!inv) throw notFound();
	return {
		status: 200,
		body: { Invoices: [invoiceJson(ctx.tenant, inv, { lines: true, unitdp: unitDp(ctx) })] },
	};
}

// ---------- writes ----------

export function putInvoices(ctx: ApiContext): ApiResult {
	const outcomes = elementsOf(ctx.body, 'Invoices').map((el) => processElement(ctx, el, 'create'));
	return answerBatch(ctx, 'Invoices', outcomes);
}

export function postInvoices(ctx: ApiContext): ApiResult {
	const outcomes = elementsOf(ctx.body, 'Invoices').map((el) => processElement(ctx, el, 'upsert'));
	return answerBatch(ctx, 'Invoices', outcomes);
}

export function postInvoiceById(ctx: ApiContext): ApiResult {
	const existing = findInvoice(ctx.tenant, ctx.params[0]);
	if (!existing) throw notFound();
	const elements = elementsOf(ctx.body, 'Invoices', true);
	const outcome = processElement(ctx, elements[0] ?? {}, 'update', existing);
	if (!outcome.ok) throw validationException([outcome.json]);
	return { status: 200, body: { Invoices: [outcome.json] } };
}

/** The element echoed back with its errors, limited to fields that are valid in the spec's Invoice schema. */
function errorElement(
	input: Record<string, unknown> | undefined,
	messages: string[],
): Record<string, unknown> {
	const el: Record<string, unknown> = {};
	if (input) {
		const id = str(input.InvoiceID);
		if (id && GUID_RE.test(id)) el.InvoiceID = id;
		for (const k of ['InvoiceNumber', 'Reference', 'Url'])
			if (typeof input[k] === 'string') el[k] = input[k];
		if (typeof input.Type === 'string' && TYPES.includes(input.Type)) el.Type = input.Type;
		if (AMOUNT_TYPES.includes(input.LineAmountTypes as (typeof AMOUNT_TYPES)[number]))
			el.LineAmountTypes = input.LineAmountTypes;
		const status = str(input.Status);
		if (status && TRANSITIONS[status]) el.Status = status;
	}
	return {
		...el,
		HasErrors: true,
		StatusAttributeString: 'ERROR',
		ValidationErrors: messages.map((Message) => ({ Message })),
	};
}

function processElement(
	ctx: ApiContext,
	raw: unknown,
	mode: 'create' | 'upsert' | 'update',
	target?: InvoiceRecord,
): BatchOutcome {
	const input = asObject(raw);
	try {
		if (!input) throw new ElementErrors(['Each invoice must be a JSON object.']);
		let existing = target;
		if (!existing) {
			const id = str(input.InvoiceID);
			if (id) {
				existing = GUID_RE.test(id)
					? ctx.tenant.invoices.find((i) => i.InvoiceID.toLowerCase() === id.toLowerCase())
					: undefined;
				if (!existing)
					throw new ElementErrors([`Invoice with InvoiceID ${id} could not be found.`]);
				if (mode === 'create')
					throw new ElementErrors([
						'An invoice with this InvoiceID already exists; use POST to update it.',
					]);
			} else if (mode === 'upsert' && typeof input.InvoiceNumber === 'string') {
				existing = ctx.tenant.invoices.find(
					(i) =>
						i.Type === 'ACCREC' &&
						i.InvoiceNumber === input.InvoiceNumber &&
						i.Status !== 'DELETED',
				);
			}
		}
		const before = existing ? JSON.stringify(existing) : undefined;
		const record = existing ? updateInvoice(ctx, existing, input) : createInvoice(ctx, input);
		if (!existing) {
			ctx.tenant.invoices.push(record);
			ctx.emit('INVOICE', 'CREATE', record.InvoiceID);
		} else if (JSON.stringify(record) !== before) {
			record.UpdatedDateUTC = ctx.now;
			Object.assign(existing, record);
			ctx.emit('INVOICE', 'UPDATE', record.InvoiceID);
		}
		const json = invoiceJson(ctx.tenant, existing ?? record, { lines: true, unitdp: unitDp(ctx) });
		return { ok: true, json: { ...json, StatusAttributeString: 'OK' } };
	} catch (error) {
		if (error instanceof ElementErrors)
			return { ok: false, json: errorElement(input, error.messages) };
		throw error;
	}
}

function resolveContact(
	ctx: ApiContext,
	rawContact: unknown,
	errors: string[],
): ContactRecord | undefined {
	const contact = asObject(rawContact);
	if (!contact) {
		errors.push('A Contact must be specified for this type of transaction');
		return undefined;
	}
	const t = ctx.tenant;
	const id = str(contact.ContactID);
	let found: ContactRecord | undefined;
	if (id) {
		found = GUID_RE.test(id)
			? t.contacts.find((c) => c.ContactID.toLowerCase() === id.toLowerCase())
			: undefined;
		if (!found) errors.push(`The contact with ContactID ${id} could not be found.`);
	} else if (typeof contact.ContactNumber === 'string' && contact.ContactNumber) {
		found = t.contacts.find((c) => c.ContactNumber === contact.ContactNumber);
		if (!found)
			errors.push(`The contact with ContactNumber ${contact.ContactNumber} could not be found.`);
	} else if (typeof contact.Name === 'string' && contact.Name.trim()) {
		const name = contact.Name.trim().toLowerCase();
		found = t.contacts.find((c) => c.ContactStatus === 'ACTIVE' && c.Name.toLowerCase() === name);
		if (!found) {
			// Xero creates the contact when a new name is given on an invoice.
			found = {
				ContactID: ctx.newId(),
				Name: contact.Name.trim(),
				ContactStatus: 'ACTIVE',
				ContactPersons: [],
				Addresses: [],
				Phones: [],
				UpdatedDateUTC: ctx.now,
			};
			if (typeof contact.EmailAddress === 'string') found.EmailAddress = contact.EmailAddress;
			(found as ContactRecord & { pendingCreate?: boolean }).pendingCreate = true;
		}
	} else {
		errors.push('A Contact must be specified for this type of transaction');
	}
	if (found && found.ContactStatus === 'ARCHIVED')
		errors.push(`The contact ${found.Name} is archived and cannot be used on a transaction.`);
	return found;
}

export function buildLine(
	ctx: ApiContext,
	raw: unknown,
	index: number,
	type: string,
	amountTypes: InvoiceRecord['LineAmountTypes'],
	existingLines: LineItemRecord[],
	errors: string[],
): LineItemRecord | undefined {
	let input = asObject(raw);
	const where = `Line item ${index + 1}`;
	if (!input) {
		errors.push(`${where} must be a JSON object.`);
		return undefined;
	}
	const t = ctx.tenant;
	let base: LineItemRecord | undefined;
	const lineId = str(input.LineItemID);
	if (lineId) {
		base = existingLines.find((l) => l.LineItemID.toLowerCase() === lineId.toLowerCase());
		if (!base) {
			errors.push(`${where}: LineItemID ${lineId} does not belong to this invoice.`);
			return undefined;
		}
	}
	const line: LineItemRecord = base
		? { ...base, Tracking: [...base.Tracking] }
		: { LineItemID: ctx.newId(), TaxAmount: 0, LineAmount: 0, Tracking: [] };
	// An empty string in a numeric line field counts as not given, like an empty ItemCode below (Xero's JSON
	// reader turns "" into null; n8n's built-in Xero node sends "" for every line field left blank).
	const blank = ['Quantity', 'UnitAmount', 'DiscountRate', 'LineAmount', 'TaxAmount'];
	if (blank.some((k) => input?.[k] === ''))
		input = Object.fromEntries(
			Object.entries(input).filter(([k, v]) => !(blank.includes(k) && v === '')),
		);
	// ItemCode must name an item of the organisation ("Item code 'X' is not valid", docs/xero-rules.md §2.2); the
	// item's sales details fill Description, UnitAmount, AccountCode and TaxType that the line leaves out.
	if (has(input, 'ItemCode') && input.ItemCode !== '') {
		const code = str(input.ItemCode) ?? '';
		const item = t.items.find((i) => i.Code === code);
		if (!item) errors.push(`Item code '${code}' is not valid`);
		else {
			line.ItemCode = item.Code;
			if (!base) {
				const itemDefaults: Record<string, unknown> = {
					Description: item.Description,
					UnitAmount: item.SalesDetails?.UnitPrice,
					AccountCode: item.SalesDetails?.AccountCode,
					TaxType: item.SalesDetails?.TaxType,
				};
				for (const [k, v] of Object.entries(itemDefaults))
					if (v === undefined || has(input, k)) delete itemDefaults[k];
				input = { ...itemDefaults, ...input };
			}
		}
	} else if (has(input, 'ItemCode')) line.ItemCode = undefined;
	if (has(input, 'Description')) {
		if (typeof input.Description !== 'string' || input.Description.length > 4000)
			errors.push(`${where}: Description must be text of at most 4000 characters.`);
		else line.Description = input.Description;
	}
	const dp = unitDp(ctx) ?? 2;
	for (const key of ['Quantity', 'UnitAmount', 'DiscountRate'] as const) {
		if (!has(input, key) || input[key] === null) continue;
		const value = num(input[key]);
		if (value === undefined) {
			errors.push(`${where}: ${key} must be a number.`);
			continue;
		}
		line[key] = storedLineNumber(key, value, dp);
	}
	if (line.DiscountRate !== undefined) {
		if (type !== 'ACCREC')
			errors.push(`${where}: discounts can only be applied to sales invoices (ACCREC).`);
		if (line.DiscountRate < 0 || line.DiscountRate > 100)
			errors.push(`${where}: DiscountRate must be between 0 and 100.`);
	}
	const givenLineAmount = has(input, 'LineAmount') ? num(input.LineAmount) : undefined;
	if (has(input, 'LineAmount') && givenLineAmount === undefined)
		errors.push(`${where}: LineAmount must be a number.`);
	if (
		givenLineAmount !== undefined &&
		!has(input, 'Quantity') &&
		!has(input, 'UnitAmount') &&
		!base
	) {
		line.Quantity = 1;
		line.UnitAmount = round(givenLineAmount, dp);
	}
	if (line.Quantity !== undefined || line.UnitAmount !== undefined) {
		line.Quantity ??= 1;
		line.UnitAmount ??= 0;
		line.LineAmount = lineAmountOf(line);
		if (
			givenLineAmount !== undefined &&
			Math.abs(round(givenLineAmount, 2) - line.LineAmount) > 0.005
		) {
			errors.push(
				`${where}: the LineAmount ${givenLineAmount} does not match Quantity × UnitAmount less discount (${line.LineAmount}).`,
			);
		}
	} else {
		line.LineAmount = 0;
	}
	// Account
	if (has(input, 'AccountCode') || has(input, 'AccountID')) {
		const code = str(input.AccountCode);
		const accountId = str(input.AccountID);
		const account = code
			? t.accounts.find((a) => a.Code === code)
			: t.accounts.find((a) => a.AccountID.toLowerCase() === (accountId ?? '').toLowerCase());
		const label = code ?? accountId ?? '';
		if (!account || account.Status === 'DELETED') {
			errors.push(`Account code '${label}' is not a valid code for this document.`);
		} else if (account.Status !== 'ACTIVE') {
			errors.push(
				`Account code '${label}' has been archived, or has been deleted. Each line item must reference a valid account.`,
			);
		} else if (account.Type === 'BANK') {
			errors.push(
				`Account code '${label}' is a bank account and cannot be used on an invoice line.`,
			);
		} else {
			line.AccountCode = account.Code;
			line.AccountID = account.AccountID;
		}
	}
	// Tax type: explicit, else the account's default, else NONE.
	if (has(input, 'TaxType')) {
		const taxType = str(input.TaxType) ?? '';
		const rate = t.taxRates.find((r) => r.TaxType === taxType && r.Status === 'ACTIVE');
		const fits = rate && (type === 'ACCREC' ? rate.CanApplyToRevenue : rate.CanApplyToExpenses);
		if (!fits)
			errors.push(
				`The TaxType code '${taxType}' does not exist or cannot be used with this type of transaction.`,
			);
		else line.TaxType = taxType;
	} else if (!line.TaxType) {
		const account = t.accounts.find((a) => a.Code === line.AccountCode);
		line.TaxType = amountTypes === 'NoTax' ? 'NONE' : (account?.TaxType ?? 'NONE');
	}
	if (has(input, 'Tracking')) line.Tracking = buildTracking(ctx, input.Tracking, where, errors);
	return line;
}

/** ≤2 entries, each an ACTIVE category and ACTIVE option, by name or id (docs/xero-rules.md §3.4, §4). */
function buildTracking(
	ctx: ApiContext,
	raw: unknown,
	where: string,
	errors: string[],
): LineItemRecord['Tracking'] {
	if (!Array.isArray(raw)) {
		errors.push(`${where}: Tracking must be an array.`);
		return [];
	}
	if (raw.length > 2) errors.push(`${where}: a line item can have at most 2 tracking categories.`);
	const out: LineItemRecord['Tracking'] = [];
	for (const entryRaw of raw.slice(0, 2)) {
		const entry = asObject(entryRaw);
		if (!entry) continue;
		const catId = str(entry.TrackingCategoryID);
		const catName = str(entry.Name);
		// Tracking in an unrecognised shape is silently ignored, as Xero does (§3.4).
		if (!catId && !catName) continue;
		const category = ctx.tenant.trackingCategories.find((c) =>
			catId
				? c.TrackingCategoryID.toLowerCase() === catId.toLowerCase()
				: c.Name.toLowerCase() === catName!.toLowerCase(),
		);
		const catLabel = catName ?? catId;
		if (!category || category.Status !== 'ACTIVE') {
			errors.push(`${where}: tracking category '${catLabel}' does not exist or is not active.`);
			continue;
		}
		if (out.some((o) => o.TrackingCategoryID === category.TrackingCategoryID)) {
			errors.push(`${where}: tracking category '${category.Name}' is used more than once.`);
			continue;
		}
		const optId = str(entry.TrackingOptionID);
		const optName = str(entry.Option);
		if (!optId && !optName) {
			errors.push(`${where}: an option must be given for tracking category '${category.Name}'.`);
			continue;
		}
		const option = category.Options.find((o) =>
			optId
				? o.TrackingOptionID.toLowerCase() === optId.toLowerCase()
				: o.Name.toLowerCase() === optName!.toLowerCase(),
		);
		if (!option || option.Status !== 'ACTIVE') {
			errors.push(
				`${where}: tracking option '${optName ?? optId}' does not exist or is not active in tracking category '${category.Name}'.`,
			);
			continue;
		}
		out.push({
			TrackingCategoryID: category.TrackingCategoryID,
			TrackingOptionID: option.TrackingOptionID,
			Name: category.Name,
			Option: option.Name,
		});
	}
	return out;
}

function checkCommonFields(
	ctx: ApiContext,
	inv: InvoiceRecord,
	input: Record<string, unknown>,
	errors: string[],
): void {
	if (has(input, 'LineAmountTypes')) {
		const v = AMOUNT_TYPES.find(
			(a) => a.toLowerCase() === String(input.LineAmountTypes).toLowerCase(),
		);
		if (!v) errors.push('LineAmountTypes must be Exclusive, Inclusive or NoTax.');
		else inv.LineAmountTypes = v;
	}
	if (has(input, 'Date')) {
		const d = parseInputDay(input.Date);
		if (!d) errors.push(`Date '${String(input.Date)}' is not a valid date.`);
		else inv.Date = d;
	}
	if (has(input, 'DueDate')) {
		const d = input.DueDate === null ? undefined : parseInputDay(input.DueDate);
		if (input.DueDate !== null && !d)
			errors.push(`DueDate '${String(input.DueDate)}' is not a valid date.`);
		else inv.DueDate = d;
	}
	if (has(input, 'Reference')) {
		const r = str(input.Reference) ?? '';
		if (r.length > 255) errors.push('Reference must be at most 255 characters.');
		inv.Reference = r;
	}
	if (has(input, 'Url')) {
		const u = str(input.Url) ?? '';
		if (u && !/^https?:\/\/\S+$/i.test(u))
			errors.push(`The Url '${u}' is not a valid http or https URL.`);
		inv.Url = u || undefined;
	}
	if (has(input, 'SentToContact'))
		inv.SentToContact = input.SentToContact === true || input.SentToContact === 'true';
	if (has(input, 'CurrencyCode')) {
		const c = str(input.CurrencyCode) ?? '';
		if (c.toUpperCase() !== ctx.tenant.organisation.BaseCurrency) {
			errors.push(
				`The currency ${c} is not enabled for this organisation (multi-currency is off).`,
			);
		}
	}
	if (has(input, 'InvoiceNumber')) {
		const n = str(input.InvoiceNumber) ?? '';
		if (n.length > 255) errors.push('InvoiceNumber must be at most 255 characters.');
		inv.InvoiceNumber = n || inv.InvoiceNumber;
	}
}

function checkNumberUnique(ctx: ApiContext, inv: InvoiceRecord, errors: string[]): void {
	if (inv.Type !== 'ACCREC' || !inv.InvoiceNumber) return;
	const clash = ctx.tenant.invoices.some(
		(other) =>
			other.InvoiceID !== inv.InvoiceID &&
			other.Type === 'ACCREC' &&
			other.InvoiceNumber === inv.InvoiceNumber &&
			other.Status !== 'DELETED',
	);
	if (clash) errors.push(MSG_NUMBER_UNIQUE);
}

function checkApprovable(inv: InvoiceRecord, errors: string[]): void {
	if (inv.Status !== 'AUTHORISED' && inv.Status !== 'SUBMITTED') return;
	inv.LineItems.forEach((l, i) => {
		if (l.LineAmount !== 0 && !l.AccountCode)
			errors.push(
				`Line item ${i + 1}: an AccountCode must be specified before the invoice can be submitted or approved.`,
			);
	});
	if (inv.LineItems.length === 0)
		errors.push('An approved invoice must have at least one line item.');
	if (inv.Total < 0) errors.push('The invoice total must be greater than or equal to zero.');
}

function commitPendingContact(ctx: ApiContext, contact: ContactRecord | undefined): void {
	const pending = contact as (ContactRecord & { pendingCreate?: boolean }) | undefined;
	if (pending?.pendingCreate) {
		delete pending.pendingCreate;
		ctx.tenant.contacts.push(pending);
		ctx.emit('CONTACT', 'CREATE', pending.ContactID);
	}
}

function createInvoice(ctx: ApiContext, input: Record<string, unknown>): InvoiceRecord {
	const errors: string[] = [];
	const type = str(input.Type)?.toUpperCase();
	if (!type) errors.push('Invoice Type must be specified.');
	else if (!TYPES.includes(type))
		errors.push(`Invoice Type '${type}' is not supported (use ACCREC or ACCPAY).`);
	const contact = resolveContact(ctx, input.Contact, errors);
	const status = (str(input.Status) ?? 'DRAFT').toUpperCase();
	if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status)) {
		errors.push(
			`Invoices cannot be created with status ${status}; use DRAFT, SUBMITTED or AUTHORISED.`,
		);
	}
	const today = new Date(ctx.now).toISOString().slice(0, 10);
	const inv: InvoiceRecord = {
		InvoiceID: ctx.newId(),
		Type: type ?? 'ACCREC',
		ContactID: contact?.ContactID ?? '',
		Date: today,
		LineAmountTypes: 'Exclusive',
		Status: status as InvoiceRecord['Status'],
		CurrencyCode: ctx.tenant.organisation.BaseCurrency,
		CurrencyRate: 1,
		LineItems: [],
		SubTotal: 0,
		TotalTax: 0,
		Total: 0,
		AmountPaid: 0,
		AmountDue: 0,
		UpdatedDateUTC: ctx.now,
		CreatedByClientId: ctx.clientId,
	};
	checkCommonFields(ctx, inv, input, errors);
	if (!Array.isArray(input.LineItems) || input.LineItems.length === 0) {
		errors.push('An invoice must have at least one line item.');
	} else {
		inv.LineItems = input.LineItems.map((l, i) =>
			buildLine(ctx, l, i, inv.Type, inv.LineAmountTypes, [], errors),
		).filter((l): l is LineItemRecord => !!l);
	}
	computeTotals(inv, ctx.tenant.taxRates);
	checkApprovable(inv, errors);
	if (inv.Type === 'ACCREC' && !inv.InvoiceNumber && errors.length === 0) {
		// Auto-numbering from the organisation's invoice settings (INV-0001, …).
		do inv.InvoiceNumber = `INV-${String(ctx.tenant.nextInvoiceNumber++).padStart(4, '0')}`;
		while (
			ctx.tenant.invoices.some((o) => o.InvoiceNumber === inv.InvoiceNumber && o.Type === 'ACCREC')
		);
	}
	checkNumberUnique(ctx, inv, errors);
	if (status === 'AUTHORISED' && !inv.DueDate && errors.length === 0)
		inv.DueDate = addDays(inv.Date, 30);
	if (errors.length) throw new ElementErrors(errors);
	commitPendingContact(ctx, contact);
	return inv;
}

/** Fields that leave the total alone and may still change on a paid or part-paid invoice. */
const EDITABLE_WHEN_PAID = new Set([
	'InvoiceID',
	'InvoiceNumber',
	'Type',
	'SentToContact',
	'ExpectedPaymentDate',
	'PlannedPaymentDate',
]);

function updateInvoice(
	ctx: ApiContext,
	existing: InvoiceRecord,
	input: Record<string, unknown>,
): InvoiceRecord {
	const errors: string[] = [];
	const next: InvoiceRecord = {
		...existing,
		LineItems: existing.LineItems.map((l) => ({ ...l, Tracking: [...l.Tracking] })),
	};
	const targetStatus = has(input, 'Status')
		? (str(input.Status) ?? '').toUpperCase()
		: existing.Status;
	if (existing.Status === 'VOIDED' || existing.Status === 'DELETED')
		throw new ElementErrors([MSG_NOT_VALID_STATUS]);
	if (existing.AmountPaid > 0 || (existing.AmountCredited ?? 0) > 0 || existing.Status === 'PAID') {
		const changes = Object.keys(input).filter(
			(k) => !EDITABLE_WHEN_PAID.has(k) && !(k === 'Status' && targetStatus === existing.Status),
		);
		const numberChange =
			typeof input.InvoiceNumber === 'string' && input.InvoiceNumber !== existing.InvoiceNumber;
		if (changes.length || numberChange) throw new ElementErrors([MSG_HAS_PAYMENTS]);
	}
	if (has(input, 'Type') && str(input.Type)?.toUpperCase() !== existing.Type)
		errors.push('The invoice Type cannot be changed.');
	if (targetStatus !== existing.Status) {
		if (!(TRANSITIONS[existing.Status] ?? []).includes(targetStatus))
			throw new ElementErrors([MSG_NOT_VALID_STATUS]);
		next.Status = targetStatus as InvoiceRecord['Status'];
	}
	let contact: ContactRecord | undefined;
	if (has(input, 'Contact')) {
		contact = resolveContact(ctx, input.Contact, errors);
		if (contact) next.ContactID = contact.ContactID;
	}
	checkCommonFields(ctx, next, input, errors);
	if (has(input, 'LineItems')) {
		if (!Array.isArray(input.LineItems)) errors.push('LineItems must be an array.');
		else {
			// Lines sent with their LineItemID are kept (and updated); lines sent without one are new; lines left
			// out are removed (docs/xero-rules.md §3.4).
			next.LineItems = input.LineItems.map((l, i) =>
				buildLine(ctx, l, i, next.Type, next.LineAmountTypes, existing.LineItems, errors),
			).filter((l): l is LineItemRecord => !!l);
		}
	} else if (has(input, 'LineAmountTypes')) {
		for (const l of next.LineItems) if (next.LineAmountTypes === 'NoTax') l.TaxType = 'NONE';
	}
	computeTotals(next, ctx.tenant.taxRates);
	if (next.Status !== 'DELETED' && next.Status !== 'VOIDED') checkApprovable(next, errors);
	checkNumberUnique(ctx, next, errors);
	if (next.Status === 'AUTHORISED' && !next.DueDate) next.DueDate = addDays(next.Date, 30);
	if (next.Status === 'VOIDED' || next.Status === 'DELETED') next.AmountDue = 0;
	if (errors.length) throw new ElementErrors(errors);
	commitPendingContact(ctx, contact);
	return next;
}
