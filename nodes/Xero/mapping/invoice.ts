import { parseOptionalDate, parseOptionalNumber } from '../../shared/parse';
import {
	DISCOUNT_RATE_DECIMALS,
	expectedXeroTotals,
	QUANTITY_DECIMALS,
	roundTo,
	totalMismatchMessage,
	UNIT_AMOUNT_DECIMALS,
} from './money';
import { resolveTaxType } from './tax';
import type {
	CommusoftInvoiceInput,
	CommusoftInvoiceLineInput,
	InvoiceIssue,
	LineTrackingInput,
	XeroInvoice,
	XeroInvoicePayload,
	XeroInvoiceStatus,
	XeroLineAmountTypes,
	XeroLineItem,
	XeroLineItemTracking,
} from './types';

export type TargetStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED';
export type MatchOn = 'invoiceNumber' | 'reference';

export interface InvoiceMappingOptions {
	/** Status the user wants Xero invoices in. */
	status: TargetStatus;
	/** Normalised VAT label → TaxType (see tax.ts). */
	vatMap: Map<string, string>;
	/** Invoice-level tracking applied to every line, e.g. Business Unit ← invoice.category. */
	tracking: LineTrackingInput[];
	matchOn: MatchOn;
}

export interface MappedInvoice {
	/** The payload without Contact.ContactID (resolved later) and with tracking by name only. */
	payload: XeroInvoicePayload;
	/** The key the upsert matches on (InvoiceNumber or Reference), trimmed. */
	matchKey: string;
	/** True when Commusoft says the invoice is cancelled: void or delete it in Xero, never create it. */
	cancelled: boolean;
	/** The invoice total Commusoft states, when given: Xero's total must equal it to the penny. */
	commusoftTotal?: number;
	issues: InvoiceIssue[];
}

const AMOUNT_TYPES: Record<string, XeroLineAmountTypes> = {
	exclusive: 'Exclusive',
	inclusive: 'Inclusive',
	notax: 'NoTax',
};

// Spec maxLengths: InvoiceNumber and Reference 255; line Description 4000; Xero tracking names 100 (§4).
const MAX_NUMBER_LENGTH = 255;
const MAX_DESCRIPTION_LENGTH = 4000;
const MAX_ABS_AMOUNT = 1e12;
export const MAX_TRACKING_PER_LINE = 2;
const AMOUNT_RULES = { min: -MAX_ABS_AMOUNT, max: MAX_ABS_AMOUNT };

function text(value: unknown): string {
	if (value === undefined || value === null) return '';
	return String(value).trim();
}

/** Xero dates come back as "/Date(1573755038314+0000)/" or as ISO strings (docs/xero-rules.md §3.6). */
export function xeroDateToIso(value: string | undefined): string | undefined {
	if (!value) return undefined;
	const ms = /\/Date\((-?\d+)([+-]\d{4})?\)\//.exec(value);
	if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
	return value.slice(0, 10);
}

/** The name Xero should show for a tracking entry: trimmed, since a trailing space made Xero 500 (§4). */
export function cleanTrackingName(value: string): string {
	return value.trim().replace(/\s+/g, ' ');
}

function mapLine(
	line: CommusoftInvoiceLineInput,
	lineNumber: number,
	amountTypes: XeroLineAmountTypes,
	options: InvoiceMappingOptions,
	issues: InvoiceIssue[],
): XeroLineItem {
	const lineId = line?.id !== undefined && line?.id !== null ? String(line.id) : undefined;
	const issue = (severity: InvoiceIssue['severity'], field: string, message: string, fix: string) =>
		issues.push({ severity, line: lineNumber, lineId, field, message, fix });

	const out: XeroLineItem = {};
	const description = text(line?.description);
	if (description) {
		if (description.length > MAX_DESCRIPTION_LENGTH)
			issue(
				'error',
				'Description',
				`description is ${description.length} characters; Xero allows ${MAX_DESCRIPTION_LENGTH}`,
				'shorten the line description',
			);
		out.Description = description;
	}

	const quantity = parseOptionalNumber(line?.quantity, { ...AMOUNT_RULES, example: '1 or 0.5' });
	const unitPrice = parseOptionalNumber(line?.unitPrice, { ...AMOUNT_RULES, example: '49.99' });
	if (!quantity.ok)
		issue('error', 'Quantity (quantity)', `quantity ${quantity.problem}`, quantity.fix);
	else if (quantity.value !== undefined) {
		out.Quantity = roundTo(quantity.value, QUANTITY_DECIMALS);
		if (out.Quantity !== quantity.value)
			issue(
				'warning',
				'Quantity (quantity)',
				`quantity ${quantity.value} is sent as ${out.Quantity}: Xero keeps ${QUANTITY_DECIMALS} decimal places`,
				`give quantities with at most ${QUANTITY_DECIMALS} decimal places in Commusoft to see them unchanged in Xero (the invoice total is still checked against Commusoft's when the invoice carries one)`,
			);
	}
	if (!unitPrice.ok)
		issue('error', 'UnitAmount (unitPrice)', `unit price ${unitPrice.problem}`, unitPrice.fix);
	else if (unitPrice.value !== undefined) {
		out.UnitAmount = roundTo(unitPrice.value, UNIT_AMOUNT_DECIMALS);
		if (out.UnitAmount !== unitPrice.value)
			issue(
				'warning',
				'UnitAmount (unitPrice)',
				`unit price ${unitPrice.value} is sent as ${out.UnitAmount}: Xero keeps ${UNIT_AMOUNT_DECIMALS} decimal places`,
				`give unit prices with at most ${UNIT_AMOUNT_DECIMALS} decimal places in Commusoft to see them unchanged in Xero (the invoice total is still checked against Commusoft's when the invoice carries one)`,
			);
	}
	if (quantity.ok && quantity.value === undefined && out.UnitAmount !== undefined) out.Quantity = 1;

	const discount = parseOptionalNumber(line?.discountRate, {
		min: 0,
		max: 100,
		example: '10 for 10%',
	});
	if (!discount.ok)
		issue(
			'error',
			'DiscountRate (discountRate)',
			`discount rate ${discount.problem}`,
			`${discount.fix} (a percentage between 0 and 100)`,
		);
	else if (discount.value) {
		out.DiscountRate = roundTo(discount.value, DISCOUNT_RATE_DECIMALS);
		if (out.DiscountRate !== discount.value)
			issue(
				'warning',
				'DiscountRate (discountRate)',
				`discount rate ${discount.value}% is sent as ${out.DiscountRate}%: Xero keeps ${DISCOUNT_RATE_DECIMALS} decimal places`,
				`give discount rates with at most ${DISCOUNT_RATE_DECIMALS} decimal places in Commusoft (the invoice total is still checked against Commusoft's when the invoice carries one)`,
			);
	}

	const itemCode = text(line?.itemCode);
	if (itemCode) out.ItemCode = itemCode;
	const accountCode = text(line?.nominalCode);
	if (accountCode) out.AccountCode = accountCode;

	if (amountTypes === 'NoTax') out.TaxType = 'NONE';
	else {
		const tax = resolveTaxType({ taxType: line?.taxType, vatRate: line?.vatRate }, options.vatMap);
		if (tax.ok) {
			if (tax.taxType) out.TaxType = tax.taxType;
		} else
			issue(
				'error',
				'TaxType (vatRate)',
				`VAT rate "${tax.label}" has no Xero tax type in the VAT map`,
				`add "${tax.label}" to the node's VAT Rate Map, or set the line's taxType`,
			);
	}

	const tracking: XeroLineItemTracking[] = [];
	const seen = new Set<string>();
	for (const entry of [
		...options.tracking,
		...(Array.isArray(line?.tracking) ? line.tracking : []),
	]) {
		const category = cleanTrackingName(text(entry?.category));
		const option = cleanTrackingName(text(entry?.option));
		if (!category || !option) continue; // an unmapped (empty) tracking value means "no tracking"
		const key = category.toLowerCase();
		if (seen.has(key)) {
			issue(
				'error',
				'Tracking',
				`tracking category "${category}" is given twice`,
				'map each Xero tracking category once per line',
			);
			continue;
		}
		seen.add(key);
		tracking.push({ Name: category, Option: option });
	}
	if (tracking.length > MAX_TRACKING_PER_LINE)
		issue(
			'error',
			'Tracking',
			`${tracking.length} tracking entries (${tracking.map((t) => t.Name).join(', ')}); Xero allows ${MAX_TRACKING_PER_LINE} per line`,
			'remove tracking mappings until at most 2 remain',
		);
	if (tracking.length) out.Tracking = tracking;

	const hasAmount = out.UnitAmount !== undefined && out.UnitAmount !== 0;
	if (!description && !hasAmount && !accountCode && !itemCode)
		issue(
			'error',
			'LineItems',
			'the line is empty (no description, amount, account or item)',
			'remove the empty line',
		);
	else if (hasAmount && !accountCode && !itemCode)
		issue(
			'error',
			'AccountCode (nominalCode)',
			'the line has an amount but no nominal code',
			'link the Commusoft nominal code to a Xero account code',
		);
	return out;
}

/**
 * Commusoft invoice (or a user-mapped object of the same shape) → Xero ACCREC invoice payload, plus every
 * problem that does not need the tenant's data to find. Pure and allocation-light: it runs for every line.
 */
export function mapInvoice(
	input: CommusoftInvoiceInput,
	options: InvoiceMappingOptions,
): MappedInvoice {
	const issues: InvoiceIssue[] = [];
	const invoiceIssue = (
		severity: InvoiceIssue['severity'],
		field: string,
		message: string,
		fix: string,
	) => issues.push({ severity, field, message, fix });

	const invoiceNumber = text(input?.invoiceNumber);
	const reference = text(input?.reference);
	if (options.matchOn === 'invoiceNumber' && !invoiceNumber)
		invoiceIssue(
			'error',
			'InvoiceNumber (invoiceNumber)',
			'the invoice number is missing',
			'map the Commusoft invoice number',
		);
	if (options.matchOn === 'reference' && !reference)
		invoiceIssue(
			'error',
			'Reference (reference)',
			'the reference is missing and the node matches on Reference',
			'map the reference, or match on Invoice Number',
		);
	if (invoiceNumber.length > MAX_NUMBER_LENGTH)
		invoiceIssue(
			'error',
			'InvoiceNumber (invoiceNumber)',
			`longer than ${MAX_NUMBER_LENGTH} characters`,
			'shorten the invoice number',
		);
	if (reference.length > MAX_NUMBER_LENGTH)
		invoiceIssue(
			'error',
			'Reference (reference)',
			`longer than ${MAX_NUMBER_LENGTH} characters`,
			'shorten the reference',
		);

	const amountsAre = text(input?.amountsAre).toLowerCase() || 'exclusive';
	const lineAmountTypes = AMOUNT_TYPES[amountsAre];
	if (!lineAmountTypes)
		invoiceIssue(
			'error',
			'LineAmountTypes (amountsAre)',
			`"${input?.amountsAre}" is not exclusive, inclusive or noTax`,
			'send amountsAre as exclusive, inclusive or noTax',
		);

	const parsedDate = parseOptionalDate(input?.date);
	const date = parsedDate.ok ? parsedDate.value : undefined;
	if (!parsedDate.ok)
		invoiceIssue('error', 'Date (date)', `the invoice date ${parsedDate.problem}`, parsedDate.fix);
	else if (!date)
		invoiceIssue(
			'error',
			'Date (date)',
			'the invoice date is missing',
			'send the date as YYYY-MM-DD',
		);
	const parsedDue = parseOptionalDate(input?.dueDate);
	const dueDate = parsedDue.ok ? parsedDue.value : undefined;
	if (!parsedDue.ok)
		invoiceIssue('error', 'DueDate (dueDate)', `the due date ${parsedDue.problem}`, parsedDue.fix);
	if (date && dueDate && dueDate < date)
		invoiceIssue(
			'error',
			'DueDate (dueDate)',
			`due date ${dueDate} is before the invoice date ${date}`,
			'fix the due date in Commusoft',
		);
	const total = parseOptionalNumber(input?.total, { ...AMOUNT_RULES, example: '120.50' });
	if (!total.ok)
		invoiceIssue('error', 'Total (total)', `the invoice total ${total.problem}`, total.fix);

	const currency = text(input?.currency).toUpperCase();
	if (currency && !/^[A-Z]{3}$/.test(currency))
		invoiceIssue(
			'error',
			'CurrencyCode (currency)',
			`"${input?.currency}" is not an ISO 4217 code`,
			'send a code such as GBP',
		);

	const lines = Array.isArray(input?.lines) ? input.lines : [];
	if (lines.length === 0)
		invoiceIssue(
			'error',
			'LineItems (lines)',
			'the invoice has no lines',
			'send at least one line',
		);
	const amountTypes = lineAmountTypes ?? 'Exclusive';
	const lineItems = new Array<XeroLineItem>(lines.length);
	for (let i = 0; i < lines.length; i++)
		lineItems[i] = mapLine(lines[i], i + 1, amountTypes, options, issues);

	const payload: XeroInvoicePayload = {
		Type: 'ACCREC',
		LineAmountTypes: amountTypes,
		Status: options.status,
		Contact: {},
		LineItems: lineItems,
	};
	if (invoiceNumber) payload.InvoiceNumber = invoiceNumber;
	if (reference) payload.Reference = reference;
	if (date) payload.Date = date;
	if (dueDate) payload.DueDate = dueDate;
	if (currency) payload.CurrencyCode = currency;
	const url = text(input?.url);
	if (url) {
		if (/^https?:\/\//i.test(url)) payload.Url = url;
		else
			invoiceIssue(
				'warning',
				'Url (url)',
				`"${url}" is not an http(s) URL; not sent`,
				'send an absolute link to the Commusoft invoice',
			);
	}

	return {
		payload,
		matchKey: options.matchOn === 'reference' ? reference : invoiceNumber,
		cancelled: text(input?.status).toLowerCase() === 'cancelled',
		commusoftTotal: total.ok ? total.value : undefined,
		issues,
	};
}

/**
 * The invoice fails when the total Xero will compute from the payload (money.ts) is not Commusoft's total to
 * the penny: the issue names both totals and the difference. `rateOf` gives a tax type's rate in percent.
 * Undefined when the totals agree, when Commusoft gave no total, or when Xero's total cannot be known before
 * sending (a line priced by its Xero item, a tax rate not loaded): the total Xero answers is checked then.
 */
export function checkInvoiceTotal(
	mapped: Pick<MappedInvoice, 'payload' | 'commusoftTotal'>,
	rateOf: (taxType: string) => number | undefined,
): InvoiceIssue | undefined {
	if (mapped.commusoftTotal === undefined) return undefined;
	const expected = expectedXeroTotals(mapped.payload, rateOf);
	if (!expected.ok) return undefined;
	return totalIssue(mapped.commusoftTotal, expected.totals.total, mapped.payload.CurrencyCode);
}

/** The issue for a Xero total that is not Commusoft's, or undefined when they agree to the penny. */
export function totalIssue(
	commusoftTotal: number,
	xeroTotal: number,
	currency?: string,
	written = false,
): InvoiceIssue | undefined {
	if (roundTo(commusoftTotal, 2) === roundTo(xeroTotal, 2)) return undefined;
	return {
		severity: 'error',
		field: 'Total (total)',
		message: totalMismatchMessage(commusoftTotal, xeroTotal, currency, written),
		fix: 'Xero rounds each line to the penny after keeping 4 decimal places of quantity and unit price and 2 of the discount rate, and rounds tax per line: make the Commusoft lines add up the same way, or add a rounding line to the invoice',
	};
}

// ---- Existing invoices: editability, line identity, change detection ----

export type Editability = { editable: true } | { editable: false; reason: string };

/**
 * Xero freezes invoices with payments or credits allocated, and voided/deleted ones (docs/xero-rules.md §3.5:
 * part-paid is treated like paid). Decide before writing so one frozen invoice never fails a batch.
 */
export function classifyExisting(existing: XeroInvoice): Editability {
	const status = (existing.Status ?? '').toUpperCase();
	if (status === 'PAID')
		return {
			editable: false,
			reason: 'paid in Xero: a paid invoice cannot be edited (use a credit note)',
		};
	if (status === 'VOIDED')
		return { editable: false, reason: 'voided in Xero: a voided invoice cannot be changed' };
	if (status === 'DELETED')
		return { editable: false, reason: 'deleted in Xero: a deleted invoice cannot be changed' };
	const paid = Number(existing.AmountPaid ?? 0);
	const credited = Number(existing.AmountCredited ?? 0);
	if (paid > 0 || (existing.Payments?.length ?? 0) > 0)
		return {
			editable: false,
			reason: `part-paid in Xero (${paid} paid): an invoice with a payment allocated cannot be edited (remove the payment or use a credit note)`,
		};
	if (
		credited > 0 ||
		(existing.CreditNotes?.length ?? 0) > 0 ||
		(existing.Prepayments?.length ?? 0) > 0 ||
		(existing.Overpayments?.length ?? 0) > 0
	)
		return {
			editable: false,
			reason: 'has a credit note, prepayment or overpayment allocated in Xero: it cannot be edited',
		};
	return { editable: true };
}

const STATUS_RANK: Record<string, number> = { DRAFT: 0, SUBMITTED: 1, AUTHORISED: 2 };

/**
 * Xero allows DRAFT → SUBMITTED → AUTHORISED but not back from AUTHORISED (docs/xero-rules.md §3.5), so an
 * update never lowers the status: an approved invoice stays approved even when the node is set to Draft.
 */
export function effectiveStatus(
	desired: TargetStatus,
	existingStatus: string | undefined,
): XeroInvoiceStatus {
	const current = (existingStatus ?? '').toUpperCase();
	if (current in STATUS_RANK && STATUS_RANK[current] > STATUS_RANK[desired])
		return current as XeroInvoiceStatus;
	return desired;
}

function lineKey(line: XeroLineItem): string {
	return `${(line.Description ?? '').trim().toLowerCase()}\u0000${(line.AccountCode ?? '').toLowerCase()}\u0000${(line.ItemCode ?? '').toLowerCase()}`;
}

/**
 * Give the desired lines the LineItemIDs of the invoice in Xero, so an update edits lines rather than
 * deleting and re-creating them (docs/xero-rules.md §3.4: a line sent without its ID is replaced; lines left out are
 * removed).
 *
 * Why match on content and then position, not on the Commusoft line id: Xero line items have no custom field
 * to store a foreign id, and embedding one in the Description would show on the customer's invoice. The full
 * set of lines is always sent, so a "wrong" pairing can never make the invoice content wrong; it only decides
 * which Xero line id survives. So: (1) lines with the same description + account code + item code keep their
 * id (in order, so duplicates pair first-to-first); this survives reordering, insertion and deletion of other
 * lines and price/quantity edits. (2) Remaining desired lines take the remaining Xero ids in their original
 * order, so an edited description on an otherwise unchanged invoice still edits the same line. (3) Xero lines
 * left over are dropped, which removes them in Xero.
 */
export function assignLineItemIds(
	desired: XeroLineItem[],
	existing: XeroLineItem[] | undefined,
): XeroLineItem[] {
	const available = (existing ?? []).filter(
		(line) => typeof line.LineItemID === 'string' && line.LineItemID,
	);
	if (available.length === 0) return desired;
	const used = new Array<boolean>(available.length).fill(false);
	const byKey = new Map<string, number[]>();
	available.forEach((line, index) => {
		const key = lineKey(line);
		const list = byKey.get(key);
		if (list) list.push(index);
		else byKey.set(key, [index]);
	});
	const result: XeroLineItem[] = desired.map((line) => ({ ...line }));
	const unmatched: number[] = [];
	result.forEach((line, index) => {
		const candidates = byKey.get(lineKey(line));
		const hit = candidates?.find((candidate) => !used[candidate]);
		if (hit === undefined) unmatched.push(index);
		else {
			used[hit] = true;
			line.LineItemID = available[hit].LineItemID;
		}
	});
	let next = 0;
	for (const index of unmatched) {
		while (next < available.length && used[next]) next++;
		if (next >= available.length) break;
		used[next] = true;
		result[index].LineItemID = available[next].LineItemID;
	}
	return result;
}

function sameNumber(
	a: number | undefined | null,
	b: number | undefined | null,
	decimals: number,
): boolean {
	const x = a == null ? 0 : roundTo(Number(a), decimals);
	const y = b == null ? 0 : roundTo(Number(b), decimals);
	return x === y;
}

function sameText(a: string | undefined | null, b: string | undefined | null): boolean {
	return (a ?? '').trim() === (b ?? '').trim();
}

function sameTracking(
	a: XeroLineItemTracking[] | undefined,
	b: XeroLineItemTracking[] | undefined,
): boolean {
	const norm = (list: XeroLineItemTracking[] | undefined) =>
		(list ?? [])
			.map(
				(t) =>
					`${cleanTrackingName(t.Name ?? '').toLowerCase()}=${cleanTrackingName(t.Option ?? '').toLowerCase()}`,
			)
			.sort()
			.join('|');
	return norm(a) === norm(b);
}

/**
 * True when writing `desired` would not change what Xero holds, so the upsert can skip the call (and say
 * "unchanged"). Compares the fields the upsert sets, normalised the way Xero returns them.
 */
export function isInvoiceUnchanged(desired: XeroInvoicePayload, existing: XeroInvoice): boolean {
	if ((desired.Contact.ContactID ?? '') !== (existing.Contact?.ContactID ?? '')) return false;
	if (!sameText(desired.InvoiceNumber, existing.InvoiceNumber)) return false;
	if (!sameText(desired.Reference, existing.Reference)) return false;
	if ((desired.Status ?? '') !== (existing.Status ?? '').toUpperCase()) return false;
	if (
		(desired.LineAmountTypes ?? 'Exclusive').toLowerCase() !==
		(existing.LineAmountTypes ?? 'Exclusive').toLowerCase()
	)
		return false;
	if (desired.CurrencyCode && desired.CurrencyCode !== existing.CurrencyCode) return false;
	if (!sameText(desired.Url, existing.Url)) return false;
	if (desired.Date && desired.Date !== xeroDateToIso(existing.DateString ?? existing.Date))
		return false;
	if (
		(desired.DueDate ?? '') !==
		(desired.DueDate ? (xeroDateToIso(existing.DueDateString ?? existing.DueDate) ?? '') : '')
	)
		return false;
	const lines = existing.LineItems ?? [];
	if (lines.length !== desired.LineItems.length) return false;
	for (let i = 0; i < lines.length; i++) {
		const want = desired.LineItems[i];
		const have = lines[i];
		if (want.LineItemID && want.LineItemID !== have.LineItemID) return false;
		if (!sameText(want.Description, have.Description)) return false;
		if (!sameNumber(want.Quantity, have.Quantity, QUANTITY_DECIMALS)) return false;
		if (!sameNumber(want.UnitAmount, have.UnitAmount, UNIT_AMOUNT_DECIMALS)) return false;
		if (!sameNumber(want.DiscountRate, have.DiscountRate, DISCOUNT_RATE_DECIMALS)) return false;
		if (!sameText(want.AccountCode, have.AccountCode)) return false;
		if (!sameText(want.ItemCode, have.ItemCode)) return false;
		if (want.TaxType && want.TaxType !== have.TaxType) return false;
		if (!sameTracking(want.Tracking, have.Tracking)) return false;
	}
	return true;
}
