// Reading Xero payments as XeroPaymentRecord items: shared by the Xero Payment Trigger (poll.ts) and the Xero
// Accounting node's Payment → Get Many (the scheduled catch-up), so both read, filter and map payments alike.
import type { IDataObject } from 'n8n-workflow';

import type { XeroPaymentRecord } from '../records';
import { getInvoicesByIds, xeroApiRequest, type XeroContext } from '../transport';
import {
	compileCommusoftRule,
	needsInvoiceLookup,
	toPaymentRecord,
	type CommusoftRule,
	type RecordOptions,
	type XeroInvoiceSummary,
	type XeroPaymentJson,
} from './mapping';

/** Payments per GET /Payments page (Xero's default page; the trigger's cursor logic assumes it). */
export const PAYMENTS_PAGE_SIZE = 100;
/** IDs per GET /Invoices?IDs= call: 40 GUIDs keep the URL near 1.5 KB. */

/** What turns Xero payments into records: the organisation, the Commusoft rule and the record filters. */
export interface PaymentReadSettings {
	tenantId: string;
	rule: CommusoftRule;
	recordOptions: RecordOptions;
}

export interface PaymentFilterInput {
	tenantId: string;
	rule: CommusoftRule;
	onlyCommusoft: boolean;
	includeDeleted: boolean;
	includeBillPayments: boolean;
}

/** Compiles the Commusoft rule with the filters; a problem (names the parameter and the fix) when the rule is bad. */
export function paymentReadSettings(
	input: PaymentFilterInput,
): PaymentReadSettings | { problem: string } {
	const compiled = compileCommusoftRule(input.rule);
	if ('problem' in compiled) return compiled;
	return {
		tenantId: input.tenantId,
		rule: input.rule,
		recordOptions: {
			tenantId: input.tenantId,
			commusoftMatch: compiled.match,
			onlyCommusoft: input.onlyCommusoft,
			includeDeleted: input.includeDeleted,
			includeBillPayments: input.includeBillPayments,
		},
	};
}

/** One GET /Payments page. */
export async function getPaymentsPage(
	ctx: XeroContext,
	tenantId: string,
	qs: IDataObject,
	ifModifiedSince?: string,
	itemIndex?: number,
): Promise<{ payments: XeroPaymentJson[]; pageCount?: number }> {
	const body = await xeroApiRequest<IDataObject>(ctx, {
		method: 'GET',
		path: '/Payments',
		tenantId,
		qs,
		ifModifiedSince,
		itemIndex,
	});
	const payments = Array.isArray(body.Payments) ? (body.Payments as XeroPaymentJson[]) : [];
	const pageCount = Number((body.pagination as IDataObject | undefined)?.pageCount);
	return { payments, pageCount: Number.isFinite(pageCount) ? pageCount : undefined };
}

/**
 * The invoices of these payments whose nested summary lacks what the rule or the record needs (the
 * summary Xero nests in a payment has no Url, which holds the link back to Commusoft and so the Commusoft
 * invoice id), read with one GET /Invoices?IDs= per 40 invoices (never one call per payment).
 */
async function lookUpInvoices(
	ctx: XeroContext,
	settings: PaymentReadSettings,
	payments: XeroPaymentJson[],
	itemIndex?: number,
): Promise<Map<string, XeroInvoiceSummary>> {
	const ids = [
		...new Set(
			payments
				.filter(
					(payment) =>
						needsInvoiceLookup(payment.Invoice, settings.rule) ||
						(payment.Invoice?.InvoiceID !== undefined &&
							payment.Invoice.Url === undefined &&
							settings.recordOptions.commusoftMatch(payment.Invoice) !== undefined),
				)
				.map((payment) => payment.Invoice!.InvoiceID!.toLowerCase()),
		),
	];
	const { found } = await getInvoicesByIds<XeroInvoiceSummary>(ctx, settings.tenantId, ids, {
		itemIndex,
	});
	return found;
}

/** Payments → records (one per invoice payment), dropping what the filters exclude; payment order kept. */
export async function paymentsToRecords(
	ctx: XeroContext,
	settings: PaymentReadSettings,
	payments: XeroPaymentJson[],
	itemIndex?: number,
): Promise<XeroPaymentRecord[]> {
	const invoices = await lookUpInvoices(ctx, settings, payments, itemIndex);
	const records: XeroPaymentRecord[] = [];
	for (const payment of payments) {
		const invoice = invoices.get(payment.Invoice?.InvoiceID?.toLowerCase() ?? '');
		const outcome = toPaymentRecord(payment, invoice, settings.recordOptions);
		if (outcome.kind === 'record') records.push(outcome.record);
	}
	return records;
}
