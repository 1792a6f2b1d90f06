import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { cleanTrackingName } from '../../mapping/invoice';
import {
	buildTrackingIndex,
	DEFAULT_TRACKING_OPTION_CAP,
	pairKey,
	planTracking,
	resolveTracking,
	type TrackingRequest,
} from '../../mapping/tracking';
import type { XeroTrackingCategory } from '../../mapping/types';
import { groupBy, readEachItem, type ItemOutcomes } from '../../../shared/runner';
import { forEachBatch, requireText, resolveTenantId } from '../shared';
import { createTrackingFromPlan } from './createTracking';
import {
	itemError,
	readCategories,
	resolveCategory,
	restoreArchived,
	type EnsureRequest,
} from './ensureSteps';

const properties: INodeProperties[] = [
	{
		displayName: 'Tracking Category Name or ID',
		name: 'trackingCategory',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getTrackingCategories' },
		required: true,
		default: '',
		description:
			'The category the option belongs to, e.g. Business Unit. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Option Name',
		name: 'optionName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Plumbing',
		description:
			'The option to find or create, e.g. the Commusoft invoice category. Compared trimmed and case-insensitively, as Xero does; at most 100 characters.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Create Missing Category',
				name: 'createMissingCategory',
				type: 'boolean',
				default: false,
				description:
					'Whether to create the tracking category too when the organisation has none by that name (Xero allows 2 active categories)',
			},
			{
				displayName: 'Restore Archived Option',
				name: 'restoreArchivedOption',
				type: 'boolean',
				default: false,
				description:
					'Whether to make an archived option active again instead of failing the item (an archived option cannot be used on invoices)',
			},
			{
				displayName: 'Tracking Option Limit',
				name: 'trackingOptionCap',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TRACKING_OPTION_CAP,
				description:
					'Options a category may hold, archived ones included as Xero counts them, before a new one is refused (Xero allows 100)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['tracking'], operation: ['ensureOption'] } },
	properties,
);

function readRequest(ctx: IExecuteFunctions, itemIndex: number, tenantId: string): EnsureRequest {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const categoryInput = cleanTrackingName(
		requireText(
			ctx,
			ctx.getNodeParameter('trackingCategory', itemIndex, ''),
			'Tracking Category Name or ID',
			itemIndex,
		),
	);
	const optionName = cleanTrackingName(
		requireText(ctx, ctx.getNodeParameter('optionName', itemIndex, ''), 'Option Name', itemIndex),
	);
	return {
		itemIndex,
		tenantId,
		categoryInput,
		optionName,
		createMissingCategory: options.createMissingCategory === true,
		restoreArchivedOption: options.restoreArchivedOption === true,
		optionCap: Math.max(1, Number(options.trackingOptionCap ?? DEFAULT_TRACKING_OPTION_CAP)),
	};
}

/**
 * Every item names a category and an option. Per organisation: one read of the categories, the planner of
 * the invoice upsert (`planTracking`: Xero's rules, the option cap, duplicates by name), then one PUT per
 * category for all its missing options, however many items ask for them. With "Continue On Fail" off, an
 * item that cannot be served fails the run before anything is written.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachBatch(this, items, async (outcomes) => {
		const read = await readEachItem(outcomes, items.length, async (itemIndex) =>
			readRequest(this, itemIndex, await resolveTenantId(this, itemIndex)),
		);
		outcomes.checkpoint();
		for (const [tenantId, requests] of groupBy(
			read.map(({ value }) => value),
			(request) => request.tenantId,
		))
			await ensureForTenant(this, tenantId, requests, outcomes);
	});
}

async function ensureForTenant(
	ctx: IExecuteFunctions,
	tenantId: string,
	requests: EnsureRequest[],
	outcomes: ItemOutcomes,
): Promise<void> {
	let categories: XeroTrackingCategory[];
	try {
		categories = await readCategories(ctx, tenantId, requests);
	} catch (error) {
		outcomes.failAll(
			requests.map((request) => request.itemIndex),
			error,
		);
		outcomes.checkpoint();
		return;
	}
	const pending = requests.filter((request) => {
		const problem = resolveCategory(ctx, categories, request);
		if (problem) outcomes.fail(request.itemIndex, problem);
		return !problem;
	});
	const cap = Math.min(...pending.map((request) => request.optionCap));
	const optionCap = Number.isFinite(cap) ? cap : undefined;
	const plan = planTracking(
		categories,
		pending.map((r): TrackingRequest => ({ category: r.categoryName!, option: r.optionName })),
		{ allowCreate: true, optionCap },
	);
	// Restorable archived options are not failures of the plan.
	const restorable = new Set(
		pending
			.filter((r) => r.restoreArchivedOption)
			.map((r) => pairKey(r.categoryName!, r.optionName)),
	);
	for (const request of pending) {
		const key = pairKey(request.categoryName!, request.optionName);
		const problem = plan.errors.get(key);
		if (problem && !(restorable.has(key) && /is archived in Xero/.test(problem)))
			outcomes.fail(request.itemIndex, itemError(ctx, request, 'Option Name', problem));
	}
	outcomes.checkpoint();

	const writable = pending.filter((request) => !outcomes.settled(request.itemIndex));
	await restoreArchived(ctx, tenantId, categories, writable, outcomes);
	outcomes.checkpoint();
	const ready = writable.filter((request) => !outcomes.settled(request.itemIndex));
	const finalPlan = planTracking(
		categories,
		ready.map((r): TrackingRequest => ({ category: r.categoryName!, option: r.optionName })),
		{ allowCreate: true, optionCap },
	);
	const created = new Set(finalPlan.optionsToCreate.map((o) => pairKey(o.categoryName, o.option)));
	const result = await createTrackingFromPlan(ctx, tenantId, categories, finalPlan);
	const index = buildTrackingIndex(result.categories);
	for (const request of ready) {
		const key = pairKey(request.categoryName!, request.optionName);
		const problem = result.errors.get(key);
		const resolved = problem
			? undefined
			: resolveTracking(index, request.categoryName!, request.optionName);
		if (!resolved) {
			outcomes.fail(
				request.itemIndex,
				itemError(
					ctx,
					request,
					'Option Name',
					problem ??
						`tracking option "${request.optionName}" of "${request.categoryName}" was not found after writing it. Fix: run the item again`,
				),
			);
			continue;
		}
		outcomes.add(request.itemIndex, {
			tenantId,
			trackingCategoryId: resolved.TrackingCategoryID ?? null,
			categoryName: resolved.Name,
			trackingOptionId: resolved.TrackingOptionID ?? null,
			optionName: resolved.Option,
			status: 'ACTIVE',
			action: created.has(key) ? 'created' : request.restored ? 'restored' : 'found',
		});
	}
}
