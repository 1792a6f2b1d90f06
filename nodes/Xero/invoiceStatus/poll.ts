// The Xero Payment Trigger watching "Invoice Status Changes": the polling fallback to the Xero Webhook
// Trigger's status output, for firms without webhooks. Same records, same changeKeys.
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseOptionalTimestamp } from '../../shared/parse';
import {
	inspectTenantPollState,
	isStateObject,
	lostPositionError,
	pollPages,
	queryWindow,
	repairNote,
	writePollState,
} from '../../shared/pollState';
import {
	compileCommusoftRule,
	xeroDateToIso,
	type CommusoftMatcher,
	type CommusoftRuleKind,
} from '../paymentTrigger/mapping';
import type { XeroInvoiceStatusChange } from '../records';
import { resolveTenant } from '../transport';
import {
	invoiceState,
	statusChangeKey,
	toStatusChange,
	type XeroInvoiceStatusJson,
} from './mapping';
import { getStatusChangePage, INVOICES_PAGE_SIZE } from './read';

/** Where this mode keeps its position in the node's static data (the payments' position stays at the top). */
const STATE_KEY = 'invoiceStatus';
/** The editor's "Fetch test event": a few recent changes. */
const MANUAL_SAMPLE_SIZE = 10;

interface StatusPollSettings {
	tenantId: string;
	match: CommusoftMatcher;
	overlapMs: number;
	backfillFrom?: string;
	maxPages: number;
}

async function readSettings(ctx: IPollFunctions): Promise<StatusPollSettings> {
	const organisation = await resolveTenant(ctx, String(ctx.getNodeParameter('tenantId', '') ?? ''));
	if (!('tenantId' in organisation)) {
		throw new NodeOperationError(ctx.getNode(), organisation.message, {
			description: organisation.description,
		});
	}
	const rule = compileCommusoftRule({
		kind: ctx.getNodeParameter('commusoftRule', 'invoiceNumberPrefix') as CommusoftRuleKind,
		value: String(ctx.getNodeParameter('commusoftRuleValue', '') ?? ''),
	});
	if ('problem' in rule) throw new NodeOperationError(ctx.getNode(), rule.problem);
	const options = ctx.getNodeParameter('statusOptions', {}) as IDataObject;
	const backfill = parseOptionalTimestamp(options.backfillFrom);
	if (!backfill.ok) {
		throw new NodeOperationError(ctx.getNode(), `"Backfill From" ${backfill.problem}`, {
			description: `Fix: ${backfill.fix}, or leave it empty.`,
		});
	}
	return {
		tenantId: organisation.tenantId,
		match: rule.match,
		overlapMs: Math.max(0, Number(options.overlapSeconds ?? 300)) * 1000,
		backfillFrom: backfill.value,
		maxPages: Math.max(1, Math.floor(Number(options.maxPages ?? 20))),
	};
}

/**
 * Seen-set key of an invoice read: the key of its state change, so a later edit that leaves the invoice in
 * the same state is not emitted again. Anything else read is keyed by its version.
 */
function stateKeyOf(invoice: XeroInvoiceStatusJson): string {
	const state = invoiceState(invoice);
	const id = invoice.InvoiceID ?? '';
	if (state === undefined)
		return `${id}:${invoice.Status ?? ''}@${xeroDateToIso(invoice.UpdatedDateUTC) ?? ''}`;
	return statusChangeKey(
		id,
		state,
		Number(invoice.AmountPaid ?? 0),
		Number(invoice.AmountCredited ?? 0),
	);
}

const timestampOf = (invoice: XeroInvoiceStatusJson) => xeroDateToIso(invoice.UpdatedDateUTC);

function changesOf(settings: StatusPollSettings, invoices: XeroInvoiceStatusJson[]) {
	const changes: XeroInvoiceStatusChange[] = [];
	for (const invoice of invoices) {
		const outcome = toStatusChange(invoice, {
			tenantId: settings.tenantId,
			commusoftMatch: settings.match,
		});
		if (outcome.kind === 'change') changes.push(outcome.change);
	}
	return changes;
}

function asItems(ctx: IPollFunctions, records: IDataObject[]): INodeExecutionData[][] {
	return [ctx.helpers.returnJsonArray(records)];
}

/**
 * One poll: GET /Invoices (PAID, VOIDED, DELETED sales invoices) changed since cursor − overlap, oldest first,
 * page by page; drop state changes already emitted; emit the rest as XeroInvoiceStatusChange items; move the
 * cursor to the newest UpdatedDateUTC read. An idle poll is one call.
 */
export async function pollInvoiceStatusChanges(
	this: IPollFunctions,
): Promise<INodeExecutionData[][] | null> {
	const settings = await readSettings(this);
	if (this.getMode() === 'manual') {
		const { invoices } = await getStatusChangePage(this, settings.tenantId, 1, undefined, 'DESC');
		const sample = changesOf(settings, invoices).slice(0, MANUAL_SAMPLE_SIZE);
		return sample.length > 0 ? asItems(this, sample as unknown as IDataObject[]) : null;
	}

	const staticData: unknown = this.getWorkflowStaticData('node');
	const now = new Date();
	if (!isStateObject(staticData)) {
		const { message, description } = lostPositionError(
			[`the saved state is not an object`],
			'nodeData',
		);
		throw new NodeOperationError(this.getNode(), message, { description });
	}
	const check = inspectTenantPollState(staticData[STATE_KEY], settings.tenantId, {
		now,
		overlapMs: settings.overlapMs,
		backfillFrom: settings.backfillFrom,
		label: STATE_KEY,
	});
	if (check.lost) {
		throw new NodeOperationError(this.getNode(), check.lost.message, {
			description: check.lost.description,
		});
	}
	const { modifiedSince, baseline } = queryWindow(check.state, {
		overlapMs: settings.overlapMs,
		backfillFrom: settings.backfillFrom,
		now,
	});
	const { state, emitted } = await pollPages({
		state: check.state,
		baseline,
		backfillFrom: settings.backfillFrom,
		maxPages: settings.maxPages,
		pageSize: INVOICES_PAGE_SIZE,
		budgetMs: typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : 5 * 60_000,
		now,
		readPage: async (page) => {
			const { invoices, pageCount } = await getStatusChangePage(
				this,
				settings.tenantId,
				page,
				modifiedSince,
			);
			return { records: invoices, pageCount };
		},
		keyOf: stateKeyOf,
		timestampOf,
		emit: (fresh) => changesOf(settings, fresh),
	});
	const bucket: IDataObject = { tenantId: settings.tenantId };
	writePollState(bucket, state);
	staticData[STATE_KEY] = bucket;
	if (baseline || emitted.length === 0) return null;
	if (check.problems.length === 0) return asItems(this, emitted as unknown as IDataObject[]);
	const pollStateRepair = repairNote(check, modifiedSince) as IDataObject;
	return asItems(
		this,
		emitted.map((change) => ({ ...change, pollStateRepair }) as unknown as IDataObject),
	);
}
