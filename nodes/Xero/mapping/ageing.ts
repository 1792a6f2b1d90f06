// Debtors ageing: open sales invoices grouped into ageing buckets and by customer, and an HTML digest with an
// inline SVG bar chart. Pure functions (no n8n, no HTTP); the Report → Debtors Ageing operation feeds them one
// paged GET /Invoices. Bucket edges follow Xero's Aged Receivables report: not yet due = current, then 1–30,
// 31–60, 61–90 and over 90 days past the due date.
import { roundMoney as round2 } from './money';

import { chatText } from '../../shared/chatText';
import {
	checkRecord,
	isDay,
	type FieldRule,
	type UnreadableRecord,
} from '../../shared/recordCheck';

export const AGEING_BUCKETS = [
	{ key: 'current', label: 'Current' },
	{ key: 'days1to30', label: '1–30 days' },
	{ key: 'days31to60', label: '31–60 days' },
	{ key: 'days61to90', label: '61–90 days' },
	{ key: 'over90', label: '90+ days' },
] as const;

export type AgeingBucketKey = (typeof AGEING_BUCKETS)[number]['key'];
export type BucketAmounts = Record<AgeingBucketKey, number>;

/** The fields read from a Xero invoice (GET /Invoices, summaryOnly is enough). */
export interface AgeingInvoiceInput {
	InvoiceID?: string;
	InvoiceNumber?: string;
	Type?: string;
	Status?: string;
	Contact?: { ContactID?: string; Name?: string };
	DueDate?: string;
	DueDateString?: string;
	Date?: string;
	DateString?: string;
	AmountDue?: number;
	CurrencyCode?: string;
}

export interface AgedInvoice {
	invoiceId: string;
	invoiceNumber: string;
	contactId: string;
	contactName: string;
	dueDate: string;
	daysOverdue: number;
	bucket: AgeingBucketKey;
	amountDue: number;
}

export interface AgeingCustomer {
	contactId: string;
	name: string;
	buckets: BucketAmounts;
	total: number;
	overdue: number;
	invoiceCount: number;
	oldestDaysOverdue: number;
}

export interface AgeingCurrencySummary {
	currency: string;
	buckets: BucketAmounts;
	bucketCounts: Record<AgeingBucketKey, number>;
	total: number;
	overdue: number;
	invoiceCount: number;
	/** by overdue amount, largest first; then by total */
	customers: AgeingCustomer[];
	invoices: AgedInvoice[];
}

export interface AgeingSummary {
	asOf: string;
	/** one block per invoice currency, base currency amounts are never mixed with foreign ones */
	currencies: AgeingCurrencySummary[];
	/** invoices left out and why (not a sales invoice, not authorised, nothing due, no due date) */
	skipped: Array<{ invoiceId: string; invoiceNumber: string; reason: string }>;
}

const DAY_MS = 86_400_000;
const XERO_RECORD_FIX =
	'open the invoice in Xero and check it; nothing was summed, so re-run the report once it reads correctly';
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const emptyBuckets = (): BucketAmounts => ({
	current: 0,
	days1to30: 0,
	days31to60: 0,
	days61to90: 0,
	over90: 0,
});

/** A Xero date as YYYY-MM-DD: accepts "/Date(1730419200000+0000)/", "2026-11-01T00:00:00" and "2026-11-01". */
export function xeroDay(value: unknown): string | undefined {
	if (typeof value !== 'string' || !value) return undefined;
	const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
	if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
	const day = value.slice(0, 10);
	return isDay(day) ? day : undefined;
}

/** The fields the ageing reads from each Xero invoice; a record that does not fit is refused, not aged. */
const AGEING_INVOICE_FIELDS: readonly FieldRule[] = [
	{ field: 'InvoiceID', kind: 'text', required: true },
	{ field: 'InvoiceNumber', kind: 'text' },
	{ field: 'Type', kind: 'text' },
	{ field: 'Status', kind: 'text' },
	{ field: 'AmountDue', kind: 'number', required: true },
	{ field: 'CurrencyCode', kind: 'text' },
	{ field: 'DueDateString', kind: 'xeroDate' },
	{ field: 'DueDate', kind: 'xeroDate' },
	{ field: 'DateString', kind: 'xeroDate' },
	{ field: 'Date', kind: 'xeroDate' },
].map((rule) => ({ ...rule, fix: XERO_RECORD_FIX }) as FieldRule);

/**
 * The invoices as the ageing can read them, or each one it cannot (field and fix named): an amount that is not
 * a number, or a due date that names no day, would otherwise be aged as nothing due or as 90+ days.
 */
export function readAgeingInvoices(
	records: unknown[],
): { invoices: AgeingInvoiceInput[] } | { unreadable: UnreadableRecord[] } {
	const unreadable: UnreadableRecord[] = [];
	records.forEach((record, index) => {
		const problems = checkRecord(record, AGEING_INVOICE_FIELDS);
		if (!problems.length) return;
		const number = (record as { InvoiceNumber?: unknown } | null)?.InvoiceNumber;
		unreadable.push({
			label: `Xero invoice ${index}${typeof number === 'string' && number ? ` (${number})` : ''}`,
			problems,
		});
	});
	return unreadable.length ? { unreadable } : { invoices: records as AgeingInvoiceInput[] };
}

/** Whole days from the due date to `asOf` (both YYYY-MM-DD); 0 or less means not yet overdue. */
export function daysOverdue(dueDate: string, asOf: string): number {
	return Math.round(
		(Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / DAY_MS,
	);
}

export function bucketFor(days: number): AgeingBucketKey {
	if (days <= 0) return 'current';
	if (days <= 30) return 'days1to30';
	if (days <= 60) return 'days31to60';
	if (days <= 90) return 'days61to90';
	return 'over90';
}

export function summariseAgeing(invoices: AgeingInvoiceInput[], asOf: string): AgeingSummary {
	if (!DAY.test(asOf)) throw new Error(`asOf must be a date as YYYY-MM-DD, got "${asOf}"`);
	const skipped: AgeingSummary['skipped'] = [];
	const byCurrency = new Map<string, AgeingCurrencySummary>();
	for (const invoice of invoices) {
		const invoiceId = String(invoice.InvoiceID ?? '');
		const invoiceNumber = String(invoice.InvoiceNumber ?? '');
		const skip = (reason: string) => skipped.push({ invoiceId, invoiceNumber, reason });
		if (invoice.Type !== undefined && invoice.Type !== 'ACCREC') {
			skip(`not a sales invoice (${invoice.Type})`);
			continue;
		}
		if (invoice.Status !== undefined && invoice.Status !== 'AUTHORISED') {
			skip(`status ${invoice.Status} (only AUTHORISED invoices are owed)`);
			continue;
		}
		const amountDue = round2(Number(invoice.AmountDue ?? 0));
		if (!(amountDue > 0)) {
			skip('nothing due');
			continue;
		}
		// Xero lets an invoice be approved without a due date only through old data; age it from its date.
		const dueDate =
			xeroDay(invoice.DueDateString) ??
			xeroDay(invoice.DueDate) ??
			xeroDay(invoice.DateString) ??
			xeroDay(invoice.Date);
		if (!dueDate) {
			skip('no due date or date');
			continue;
		}
		const currency = String(invoice.CurrencyCode ?? '') || 'unknown';
		let block = byCurrency.get(currency);
		if (!block) {
			block = {
				currency,
				buckets: emptyBuckets(),
				bucketCounts: { current: 0, days1to30: 0, days31to60: 0, days61to90: 0, over90: 0 },
				total: 0,
				overdue: 0,
				invoiceCount: 0,
				customers: [],
				invoices: [],
			};
			byCurrency.set(currency, block);
		}
		const days = daysOverdue(dueDate, asOf);
		const bucket = bucketFor(days);
		const contactId = String(invoice.Contact?.ContactID ?? '');
		const contactName = String(invoice.Contact?.Name ?? '') || '(no contact name)';
		block.invoices.push({
			invoiceId,
			invoiceNumber,
			contactId,
			contactName,
			dueDate,
			daysOverdue: Math.max(0, days),
			bucket,
			amountDue,
		});
	}

	const currencies = [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
	for (const block of currencies) {
		const customers = new Map<string, AgeingCustomer>();
		for (const inv of block.invoices) {
			block.buckets[inv.bucket] += inv.amountDue;
			block.bucketCounts[inv.bucket] += 1;
			const key = inv.contactId || `name:${inv.contactName}`;
			let customer = customers.get(key);
			if (!customer) {
				customer = {
					contactId: inv.contactId,
					name: inv.contactName,
					buckets: emptyBuckets(),
					total: 0,
					overdue: 0,
					invoiceCount: 0,
					oldestDaysOverdue: 0,
				};
				customers.set(key, customer);
			}
			customer.buckets[inv.bucket] += inv.amountDue;
			customer.invoiceCount += 1;
			customer.oldestDaysOverdue = Math.max(customer.oldestDaysOverdue, inv.daysOverdue);
		}
		roundBuckets(block.buckets);
		block.total = sumBuckets(block.buckets);
		block.overdue = round2(block.total - block.buckets.current);
		block.invoiceCount = block.invoices.length;
		block.customers = [...customers.values()].map((c) => {
			roundBuckets(c.buckets);
			const total = sumBuckets(c.buckets);
			return { ...c, total, overdue: round2(total - c.buckets.current) };
		});
		block.customers.sort(
			(a, b) => b.overdue - a.overdue || b.total - a.total || a.name.localeCompare(b.name),
		);
		block.invoices.sort(
			(a, b) => b.daysOverdue - a.daysOverdue || a.invoiceNumber.localeCompare(b.invoiceNumber),
		);
	}
	return { asOf, currencies, skipped };
}

function roundBuckets(buckets: BucketAmounts): void {
	for (const { key } of AGEING_BUCKETS) buckets[key] = round2(buckets[key]);
}

function sumBuckets(buckets: BucketAmounts): number {
	return round2(AGEING_BUCKETS.reduce((sum, { key }) => sum + buckets[key], 0));
}

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

const money = (amount: number, currency: string) =>
	`${currency} ${amount.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const BAR_COLOURS: Record<AgeingBucketKey, string> = {
	current: '#2e7d32',
	days1to30: '#f9a825',
	days31to60: '#ef6c00',
	days61to90: '#d84315',
	over90: '#b71c1c',
};

/** Bar chart of the five buckets as inline SVG (email clients and Slack previews need no script). */
export function renderBucketChart(block: AgeingCurrencySummary): string {
	const width = 520;
	const barArea = 180;
	const top = 24;
	const slot = width / AGEING_BUCKETS.length;
	const max = Math.max(...AGEING_BUCKETS.map(({ key }) => block.buckets[key]), 0);
	const bars = AGEING_BUCKETS.map(({ key, label }, i) => {
		const amount = block.buckets[key];
		const height = max > 0 ? Math.round((amount / max) * barArea) : 0;
		const x = Math.round(i * slot + slot * 0.15);
		const y = top + barArea - height;
		const cx = Math.round(i * slot + slot / 2);
		return [
			`<rect x="${x}" y="${y}" width="${Math.round(slot * 0.7)}" height="${height}" fill="${BAR_COLOURS[key]}"><title>${escapeHtml(`${label}: ${money(amount, block.currency)}`)}</title></rect>`,
			`<text x="${cx}" y="${y - 6}" text-anchor="middle" font-size="11">${escapeHtml(amount.toFixed(2))}</text>`,
			`<text x="${cx}" y="${top + barArea + 16}" text-anchor="middle" font-size="12">${escapeHtml(label)}</text>`,
		].join('');
	}).join('');
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top + barArea + 28}" viewBox="0 0 ${width} ${top + barArea + 28}" role="img" aria-label="${escapeHtml(`Debtors by age, ${block.currency}`)}" font-family="Arial, sans-serif">${bars}</svg>`;
}

/** The digest: per currency, the chart, the bucket totals and the customers owing most. */
export function renderAgeingHtml(
	summary: AgeingSummary,
	options: { title?: string; topCustomers?: number } = {},
): string {
	const title = options.title ?? 'Debtors ageing';
	const top = Math.max(1, options.topCustomers ?? 10);
	const cell = 'style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right"';
	const nameCell = 'style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left"';
	const parts = [
		`<div style="font-family:Arial,sans-serif;color:#222">`,
		`<h2>${escapeHtml(title)}</h2>`,
		`<p>As of ${escapeHtml(summary.asOf)}.</p>`,
	];
	if (summary.currencies.length === 0) parts.push('<p>No money is owed on open invoices.</p>');
	for (const block of summary.currencies) {
		parts.push(
			`<h3>${escapeHtml(block.currency)}: ${escapeHtml(money(block.total, block.currency))} owed, ${escapeHtml(money(block.overdue, block.currency))} overdue (${block.invoiceCount} invoices)</h3>`,
			renderBucketChart(block),
			`<table style="border-collapse:collapse;margin:12px 0"><tr><th ${nameCell}>Customer</th>${AGEING_BUCKETS.map(({ label }) => `<th ${cell}>${escapeHtml(label)}</th>`).join('')}<th ${cell}>Total</th></tr>`,
			...block.customers
				.slice(0, top)
				.map(
					(c) =>
						`<tr><td ${nameCell}>${escapeHtml(c.name)}</td>${AGEING_BUCKETS.map(({ key }) => `<td ${cell}>${c.buckets[key].toFixed(2)}</td>`).join('')}<td ${cell}><b>${c.total.toFixed(2)}</b></td></tr>`,
				),
			`<tr><td ${nameCell}><b>All customers</b></td>${AGEING_BUCKETS.map(({ key }) => `<td ${cell}><b>${block.buckets[key].toFixed(2)}</b></td>`).join('')}<td ${cell}><b>${block.total.toFixed(2)}</b></td></tr></table>`,
		);
		if (block.customers.length > top)
			parts.push(`<p>${block.customers.length - top} more customers are not listed.</p>`);
	}
	parts.push('</div>');
	return parts.join('\n');
}

/** A short plain-text version for Slack or a notification subject, escaped for chat (see chatText). */
export function renderAgeingText(summary: AgeingSummary): string {
	if (summary.currencies.length === 0)
		return chatText(`Debtors as of ${summary.asOf}: nothing owed.`);
	return chatText(
		summary.currencies
			.map(
				(b) =>
					`Debtors as of ${summary.asOf} (${b.currency}): ${b.total.toFixed(2)} owed, ${b.overdue.toFixed(2)} overdue. ` +
					AGEING_BUCKETS.map(({ key, label }) => `${label}: ${b.buckets[key].toFixed(2)}`).join(
						', ',
					),
			)
			.join('\n'),
	);
}
