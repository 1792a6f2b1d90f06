import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	NodeApiError,
} from 'n8n-workflow';

import { cleanTrackingName } from '../../mapping/invoice';
import {
	buildTrackingIndex,
	DEFAULT_TRACKING_OPTION_CAP,
	findTrackingCategory,
	isTrackingId,
	pairKey,
	planTracking,
	resolveTracking,
	splitTrackingMessage,
	TRACKING_WRITE_FIX,
	trackingKey,
	type TrackingRequest,
} from '../../mapping/tracking';
import type { XeroTrackingCategory } from '../../mapping/types';
import { isXeroStopError, xeroApiRequest } from '../../transport';
import { requireText, resolveTenantId, withItemIndex } from '../shared';
import { createTrackingFromPlan, refusal } from './createTracking';

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

interface EnsureRequest {
	itemIndex: number;
	tenantId: string;
	categoryInput: string;
	optionName: string;
	createMissingCategory: boolean;
	restoreArchivedOption: boolean;
	optionCap: number;
	/** Xero's spelling of the category once resolved (or the name to create it under). */
	categoryName?: string;
	restored?: boolean;
}

type Outcome = { json: IDataObject } | { error: NodeOperationError | Error };

/** Splits a planner message ("… . Fix: …") into the error's message and a description naming item and field. */
function itemError(
	ctx: IExecuteFunctions,
	request: Pick<EnsureRequest, 'itemIndex' | 'optionName'>,
	field: string,
	text: string,
): NodeOperationError {
	const { problem, fix } = splitTrackingMessage(text, TRACKING_WRITE_FIX);
	const message = problem.charAt(0).toUpperCase() + problem.slice(1);
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex: request.itemIndex,
		description: `Item ${request.itemIndex}, "${field}"${field === 'Option Name' ? ` ("${request.optionName}")` : ''}. Fix: ${fix}.`,
	});
}

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

async function readCategories(
	ctx: IExecuteFunctions,
	tenantId: string,
	itemIndex: number,
): Promise<XeroTrackingCategory[]> {
	// Archived categories and options too: an archived "Plumbing" must be found, not created a second time.
	const body = await xeroApiRequest<IDataObject>(ctx, {
		method: 'GET',
		path: '/TrackingCategories',
		tenantId,
		qs: { includeArchived: true },
		itemIndex,
	});
	return (body.TrackingCategories ?? []) as XeroTrackingCategory[];
}

/** Resolves each request's category; returns the problem for those that cannot be served. */
function resolveCategory(
	ctx: IExecuteFunctions,
	categories: XeroTrackingCategory[],
	request: EnsureRequest,
): NodeOperationError | undefined {
	const found = findTrackingCategory(categories, request.categoryInput);
	if (found?.Name) {
		request.categoryName = found.Name;
		return undefined;
	}
	const active = categories
		.filter((c) => (c.Status ?? 'ACTIVE') === 'ACTIVE' && c.Name)
		.map((c) => `${c.Name} (${c.TrackingCategoryID})`)
		.join(', ');
	if (isTrackingId(request.categoryInput)) {
		return itemError(
			ctx,
			request,
			'Tracking Category Name or ID',
			`no tracking category has the ID ${request.categoryInput} (active: ${active || 'none'}). Fix: choose the category from the list or give its name`,
		);
	}
	if (!request.createMissingCategory) {
		return itemError(
			ctx,
			request,
			'Tracking Category Name or ID',
			`tracking category "${request.categoryInput}" does not exist in Xero (active: ${active || 'none'}). Fix: choose one from the list, create it in Xero, or turn on Options → Create Missing Category`,
		);
	}
	request.categoryName = request.categoryInput;
	return undefined;
}

/**
 * Archived options the items may restore: one POST per option (however many items name it), status ACTIVE,
 * reflected in `categories` so the planner then finds the option active.
 */
async function restoreArchived(
	ctx: IExecuteFunctions,
	tenantId: string,
	categories: XeroTrackingCategory[],
	requests: EnsureRequest[],
	outcomes: Outcome[],
): Promise<void> {
	const index = buildTrackingIndex(categories);
	const byOption = new Map<string, EnsureRequest[]>();
	for (const request of requests) {
		if (!request.restoreArchivedOption) continue;
		const entry = index.get(trackingKey(request.categoryName!));
		const option = entry?.active ? entry.options.get(trackingKey(request.optionName)) : undefined;
		if (!option?.TrackingOptionID || option.Status !== 'ARCHIVED') continue;
		const key = `${entry!.category.TrackingCategoryID}/${option.TrackingOptionID}`;
		byOption.set(key, [...(byOption.get(key) ?? []), request]);
	}
	for (const [key, waiting] of byOption) {
		const [categoryId, optionId] = key.split('/');
		try {
			await xeroApiRequest<IDataObject>(ctx, {
				method: 'POST',
				path: `/TrackingCategories/${categoryId}/Options/${optionId}`,
				tenantId,
				body: { Status: 'ACTIVE' },
				itemIndex: waiting[0].itemIndex,
			});
			for (const category of categories)
				for (const option of category.Options ?? [])
					if (option.TrackingOptionID === optionId) option.Status = 'ACTIVE';
			for (const request of waiting) request.restored = true;
		} catch (error) {
			if (isXeroStopError(error)) throw error as NodeApiError;
			for (const request of waiting)
				outcomes[request.itemIndex] = {
					error: itemError(
						ctx,
						request,
						'Option Name',
						`Xero refused to restore the archived tracking option "${request.optionName}": ${refusal(error)}. Fix: restore it in Xero (Settings → Tracking)`,
					),
				};
		}
	}
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
	const outcomes: Outcome[] = new Array(items.length);
	const continueOnFail = this.continueOnFail();
	const failFast = () => {
		if (continueOnFail) return;
		const first = outcomes.findIndex((outcome) => outcome && 'error' in outcome);
		if (first >= 0) throw withItemIndex(this, (outcomes[first] as { error: Error }).error, first);
	};

	const byTenant = new Map<string, EnsureRequest[]>();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const tenantId = await resolveTenantId(this, itemIndex);
			const request = readRequest(this, itemIndex, tenantId);
			byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), request]);
		} catch (error) {
			outcomes[itemIndex] = { error: error as Error };
		}
	}
	failFast();

	for (const [tenantId, requests] of byTenant) {
		let categories: XeroTrackingCategory[];
		try {
			categories = await readCategories(this, tenantId, requests[0].itemIndex);
		} catch (error) {
			if (isXeroStopError(error) || !continueOnFail)
				throw withItemIndex(this, error, requests[0].itemIndex);
			for (const request of requests) outcomes[request.itemIndex] = { error: error as Error };
			continue;
		}
		const pending = requests.filter((request) => {
			const problem = resolveCategory(this, categories, request);
			if (problem) outcomes[request.itemIndex] = { error: problem };
			return !problem;
		});
		const cap = Math.min(...pending.map((request) => request.optionCap));
		const plan = planTracking(
			categories,
			pending.map((r): TrackingRequest => ({ category: r.categoryName!, option: r.optionName })),
			{ allowCreate: true, optionCap: Number.isFinite(cap) ? cap : undefined },
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
				outcomes[request.itemIndex] = {
					error: itemError(this, request, 'Option Name', problem),
				};
		}
		failFast();

		const writable = pending.filter((request) => outcomes[request.itemIndex] === undefined);
		await restoreArchived(this, tenantId, categories, writable, outcomes);
		failFast();
		const ready = writable.filter((request) => outcomes[request.itemIndex] === undefined);
		const finalPlan = planTracking(
			categories,
			ready.map((r): TrackingRequest => ({ category: r.categoryName!, option: r.optionName })),
			{ allowCreate: true, optionCap: Number.isFinite(cap) ? cap : undefined },
		);
		const created = new Set(
			finalPlan.optionsToCreate.map((o) => pairKey(o.categoryName, o.option)),
		);
		const result = await createTrackingFromPlan(this, tenantId, categories, finalPlan);
		const index = buildTrackingIndex(result.categories);
		for (const request of ready) {
			const key = pairKey(request.categoryName!, request.optionName);
			const problem = result.errors.get(key);
			const resolved = problem
				? undefined
				: resolveTracking(index, request.categoryName!, request.optionName);
			if (!resolved) {
				outcomes[request.itemIndex] = {
					error: itemError(
						this,
						request,
						'Option Name',
						problem ??
							`tracking option "${request.optionName}" of "${request.categoryName}" was not found after writing it. Fix: run the item again`,
					),
				};
				continue;
			}
			outcomes[request.itemIndex] = {
				json: {
					tenantId,
					trackingCategoryId: resolved.TrackingCategoryID ?? null,
					categoryName: resolved.Name,
					trackingOptionId: resolved.TrackingOptionID ?? null,
					optionName: resolved.Option,
					status: 'ACTIVE',
					action: created.has(key) ? 'created' : request.restored ? 'restored' : 'found',
				},
			};
		}
	}

	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const outcome = outcomes[itemIndex];
		if ('json' in outcome) {
			output.push({ json: outcome.json, pairedItem: { item: itemIndex } });
			continue;
		}
		if (!continueOnFail) throw withItemIndex(this, outcome.error, itemIndex);
		// Only error/message/details keys: n8n then routes the item to the error output when the node has one
		// (n8n-core WorkflowExecute.handleNodeErrorOutput), merged with the input item.
		const error = outcome.error as NodeOperationError;
		output.push({
			json: {
				error: error.message,
				details: {
					itemIndex,
					...(typeof error.description === 'string' ? { description: error.description } : {}),
				},
			},
			pairedItem: { item: itemIndex },
		});
	}
	return output;
}
