import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { parseOptionalTimestamp } from '../../shared/parse';
import {
	advance,
	filterNew,
	describeValue,
	inspectPollState,
	isStateObject,
	lostPositionError,
	queryWindow,
	repairNote,
	writePollState,
	type PollState,
} from '../../shared/pollState';
import type { XeroPaymentRecord } from '../records';
import { resolveTenant } from '../transport';
import {
	paymentVersionKey,
	xeroDateToIso,
	type CommusoftRule,
	type CommusoftRuleKind,
	type XeroPaymentJson,
} from './mapping';
import {
	getPaymentsPage,
	PAYMENTS_PAGE_SIZE as PAGE_SIZE,
	paymentReadSettings,
	paymentsToRecords,
	type PaymentReadSettings,
} from './payments';

/** The editor's "Fetch test event": a few recent payments. */
const MANUAL_SAMPLE_SIZE = 10;

interface TriggerSettings extends PaymentReadSettings {
	overlapMs: number;
	backfillFrom?: string;
	maxPages: number;
}

async function readSettings(ctx: IPollFunctions): Promise<TriggerSettings> {
	const organisation = await resolveTenant(ctx, String(ctx.getNodeParameter('tenantId', '') ?? ''));
	if (!('tenantId' in organisation)) {
		throw new NodeOperationError(ctx.getNode(), organisation.message, {
			description: organisation.description,
		});
	}
	const { tenantId } = organisation;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const rule: CommusoftRule = {
		kind: ctx.getNodeParameter('commusoftRule', 'invoiceNumberPrefix') as CommusoftRuleKind,
		value: String(ctx.getNodeParameter('commusoftRuleValue', '') ?? ''),
	};
	const read = paymentReadSettings({
		tenantId,
		rule,
		onlyCommusoft: ctx.getNodeParameter('onlyCommusoftInvoices', true) as boolean,
		includeDeleted: options.includeDeleted !== false,
		includeBillPayments: options.includeBillPayments === true,
	});
	if ('problem' in read) throw new NodeOperationError(ctx.getNode(), read.problem);
	const backfill = parseOptionalTimestamp(options.backfillFrom);
	if (!backfill.ok) {
		throw new NodeOperationError(ctx.getNode(), `"Backfill From" ${backfill.problem}`, {
			description: `Fix: ${backfill.fix}, or leave it empty.`,
		});
	}
	return {
		...read,
		overlapMs: Math.max(0, Number(options.overlapSeconds ?? 300)) * 1000,
		backfillFrom: backfill.value,
		maxPages: Math.max(1, Math.floor(Number(options.maxPages ?? 20))),
	};
}

function asItems(
	ctx: IPollFunctions,
	records: Array<XeroPaymentRecord & { pollStateRepair?: IDataObject }>,
): INodeExecutionData[][] {
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
	const records = (await paymentsToRecords(ctx, settings, payments)).slice(0, MANUAL_SAMPLE_SIZE);
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
	const settings = await readSettings(this);
	if (this.getMode() === 'manual') return await samplePayments(this, settings);

	const staticData: unknown = this.getWorkflowStaticData('node');
	const now = new Date();
	if (!isStateObject(staticData)) {
		const { message, description } = lostPositionError(
			inspectPollState(staticData, { now, overlapMs: settings.overlapMs }).problems,
			'nodeData',
		);
		throw new NodeOperationError(this.getNode(), message, { description });
	}
	const check = inspectPollState(staticData, {
		now,
		overlapMs: settings.overlapMs,
		backfillFrom: settings.backfillFrom,
	});
	const firstActivation = check.problems.length === 0 && check.state.startedAt === undefined;
	if (typeof staticData.tenantId === 'string' && staticData.tenantId !== settings.tenantId) {
		// Another organisation is another history: its position starts afresh.
		check.state = { seen: [] };
		check.problems = [];
		check.mayRepeat = false;
		check.positionLost = false;
	} else if (typeof staticData.tenantId !== 'string' && !firstActivation) {
		// A saved position without its organisation cannot be trusted for this one.
		check.problems.push(
			`"tenantId" is ${describeValue(staticData.tenantId)}, not the organisation's id`,
		);
		check.positionLost = true;
		check.mayRepeat = true;
	}
	if (check.positionLost) {
		if (settings.backfillFrom === undefined) {
			const { message, description } = lostPositionError(check.problems);
			throw new NodeOperationError(this.getNode(), message, { description });
		}
		check.state = { seen: check.state.seen };
	}
	staticData.tenantId = settings.tenantId;
	let state: PollState = check.state;
	const { modifiedSince, baseline } = queryWindow(state, {
		overlapMs: settings.overlapMs,
		backfillFrom: settings.backfillFrom,
		now,
	});
	const floorMs =
		settings.backfillFrom === undefined ? undefined : Date.parse(settings.backfillFrom);

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
		// "Backfill From" is a hard lower bound, whatever the server returns.
		const fresh = filterNew(state, payments, paymentVersionKey).filter(
			(payment) => floorMs === undefined || !(Date.parse(timestampOf(payment) ?? '') < floorMs),
		);
		if (!baseline && fresh.length > 0)
			emitted.push(...(await paymentsToRecords(this, settings, fresh)));
		// Remember the page as soon as it is handled, so later pages and the next poll see it as known.
		state = advance(state, payments, timestampOf, { keyOf: paymentVersionKey, now });
		if (payments.length < PAGE_SIZE) break;
		if (pageCount !== undefined && page >= pageCount) break;
		// Oldest first: stopping early is safe, the cursor is at the last change handled.
		if (Date.now() - startedMs > budgetMs / 2) break;
	}
	writePollState(staticData, state);
	if (baseline || emitted.length === 0) return null;
	if (check.problems.length === 0) return asItems(this, emitted);
	const pollStateRepair = repairNote(check, modifiedSince) as IDataObject;
	return asItems(
		this,
		emitted.map((record) => ({ ...record, pollStateRepair })),
	);
}
