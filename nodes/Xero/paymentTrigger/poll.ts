import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	advance,
	filterNew,
	queryWindow,
	readPollState,
	writePollState,
	type PollState,
} from '../../shared/pollState';
import type { XeroPaymentRecord } from '../records';
import { xeroApiRequest } from '../transport';
import {
	chunk,
	compileCommusoftRule,
	needsInvoiceLookup,
	paymentVersionKey,
	toPaymentRecord,
	xeroDateToIso,
	type CommusoftRule,
	type CommusoftRuleKind,
	type RecordOptions,
	type XeroInvoiceSummary,
	type XeroPaymentJson,
} from './mapping';

const PAGE_SIZE = 100;
/** IDs per GET /Invoices?IDs= call: 40 GUIDs keep the URL near 1.5 KB. */
const INVOICE_IDS_PER_CALL = 40;
/** The editor's "Fetch test event": a few recent payments. */
const MANUAL_SAMPLE_SIZE = 10;

interface TriggerSettings {
	tenantId: string;
	rule: CommusoftRule;
	recordOptions: RecordOptions;
	overlapMs: number;
	backfillFrom?: string;
	maxPages: number;
}

function readSettings(ctx: IPollFunctions): TriggerSettings {
	const tenantId = String(ctx.getNodeParameter('tenantId', '') ?? '').trim();
	if (tenantId === '') {
		throw new NodeOperationError(ctx.getNode(), 'No Xero organisation selected', {
			description: 'Choose the organisation in "Organisation Name or ID".',
		});
	}
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const rule: CommusoftRule = {
		kind: ctx.getNodeParameter('commusoftRule', 'invoiceNumberPrefix') as CommusoftRuleKind,
		value: String(ctx.getNodeParameter('commusoftRuleValue', '') ?? ''),
	};
	const compiled = compileCommusoftRule(rule);
	if ('problem' in compiled) throw new NodeOperationError(ctx.getNode(), compiled.problem);
	const commusoftMatch = compiled.match;
	const backfill = typeof options.backfillFrom === 'string' ? options.backfillFrom.trim() : '';
	if (backfill !== '' && xeroDateToIso(backfill) === undefined) {
		throw new NodeOperationError(ctx.getNode(), `"Backfill From" is not a date: "${backfill}"`, {
			description: 'Use a date such as 2026-01-31 or 2026-01-31T00:00:00Z.',
		});
	}
	return {
		tenantId,
		rule,
		recordOptions: {
			tenantId,
			commusoftMatch,
			onlyCommusoft: ctx.getNodeParameter('onlyCommusoftInvoices', true) as boolean,
			includeDeleted: options.includeDeleted !== false,
			includeBillPayments: options.includeBillPayments === true,
		},
		overlapMs: Math.max(0, Number(options.overlapSeconds ?? 300)) * 1000,
		backfillFrom: backfill === '' ? undefined : xeroDateToIso(backfill),
		maxPages: Math.max(1, Math.floor(Number(options.maxPages ?? 20))),
	};
}

async function getPaymentsPage(
	ctx: IPollFunctions,
	tenantId: string,
	qs: IDataObject,
	ifModifiedSince?: string,
): Promise<{ payments: XeroPaymentJson[]; pageCount?: number }> {
	const body = await xeroApiRequest<IDataObject>(ctx, {
		method: 'GET',
		path: '/Payments',
		tenantId,
		qs,
		ifModifiedSince,
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
	ctx: IPollFunctions,
	settings: TriggerSettings,
	payments: XeroPaymentJson[],
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
	const found = new Map<string, XeroInvoiceSummary>();
	for (const idChunk of chunk(ids, INVOICE_IDS_PER_CALL)) {
		const body = await xeroApiRequest<IDataObject>(ctx, {
			method: 'GET',
			path: '/Invoices',
			tenantId: settings.tenantId,
			qs: { IDs: idChunk.join(',') },
		});
		for (const invoice of (Array.isArray(body.Invoices)
			? body.Invoices
			: []) as XeroInvoiceSummary[]) {
			if (invoice.InvoiceID) found.set(invoice.InvoiceID.toLowerCase(), invoice);
		}
	}
	return found;
}

async function toRecords(
	ctx: IPollFunctions,
	settings: TriggerSettings,
	payments: XeroPaymentJson[],
): Promise<XeroPaymentRecord[]> {
	const invoices = await lookUpInvoices(ctx, settings, payments);
	const records: XeroPaymentRecord[] = [];
	for (const payment of payments) {
		const invoice = invoices.get(payment.Invoice?.InvoiceID?.toLowerCase() ?? '');
		const outcome = toPaymentRecord(payment, invoice, settings.recordOptions);
		if (outcome.kind === 'record') records.push(outcome.record);
	}
	return records;
}

function asItems(ctx: IPollFunctions, records: XeroPaymentRecord[]): INodeExecutionData[][] {
	return [ctx.helpers.returnJsonArray(records as unknown as IDataObject[])];
}

/** "Fetch test event" in the editor: the most recent payments, the saved position untouched. */
async function samplePayments(
	ctx: IPollFunctions,
	settings: TriggerSettings,
): Promise<INodeExecutionData[][] | null> {
	const { payments } = await getPaymentsPage(ctx, settings.tenantId, {
		order: 'UpdatedDateUTC DESC',
		page: 1,
		pageSize: PAGE_SIZE,
	});
	const records = (await toRecords(ctx, settings, payments)).slice(0, MANUAL_SAMPLE_SIZE);
	return records.length > 0 ? asItems(ctx, records) : null;
}

const timestampOf = (payment: XeroPaymentJson) => xeroDateToIso(payment.UpdatedDateUTC);

/**
 * One poll: GET /Payments changed since (cursor − overlap), oldest change first, page by page; drop payment
 * versions already emitted; emit the rest as XeroPaymentRecord items; move the cursor to the newest
 * UpdatedDateUTC read (Xero's clock, not ours). Idle poll = exactly one call.
 */
export async function pollXeroPayments(
	this: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(this);
	if (this.getMode() === 'manual') return await samplePayments(this, settings);

	const staticData = this.getWorkflowStaticData('node');
	// Another organisation is another history: its position starts afresh.
	if (staticData.tenantId !== settings.tenantId) {
		writePollState(staticData, { seen: [] });
		staticData.tenantId = settings.tenantId;
	}
	let state: PollState = readPollState(staticData);
	const now = new Date();
	const { modifiedSince, baseline } = queryWindow(state, {
		overlapMs: settings.overlapMs,
		backfillFrom: settings.backfillFrom,
		now,
	});

	const budgetMs = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : 5 * 60_000;
	const startedMs = Date.now();
	const emitted: XeroPaymentRecord[] = [];
	for (let page = 1; page <= settings.maxPages; page++) {
		const { payments, pageCount } = await getPaymentsPage(
			this,
			settings.tenantId,
			{ order: 'UpdatedDateUTC ASC', page, pageSize: PAGE_SIZE },
			modifiedSince,
		);
		const fresh = filterNew(state, payments, paymentVersionKey);
		if (!baseline && fresh.length > 0) emitted.push(...(await toRecords(this, settings, fresh)));
		// Remember the page as soon as it is handled, so later pages and the next poll see it as known.
		state = advance(state, payments, timestampOf, { keyOf: paymentVersionKey, now });
		if (payments.length < PAGE_SIZE) break;
		if (pageCount !== undefined && page >= pageCount) break;
		// Oldest first: stopping early is safe, the cursor is at the last change handled.
		if (Date.now() - startedMs > budgetMs / 2) break;
	}
	writePollState(staticData, state);
	if (baseline || emitted.length === 0) return null;
	return asItems(this, emitted);
}
