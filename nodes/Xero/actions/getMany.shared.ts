// What the Xero Get Many operations (contacts, invoices) share: the Filters/Options collections' common fields
// and the per-item read (tenant, Return All/Limit, If-Modified-Since, every page up to the limit).
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { returnAllOrLimit, returnAllProperties } from '../../shared/returnAll';
import { xeroGetAllPages } from '../transport';
import { forEachItem, ifModifiedSinceFilter, resolveTenantId } from './shared';

const contactIdsFilter: INodeProperties = {
	displayName: 'Contact IDs',
	name: 'contactIds',
	type: 'string',
	default: '',
	description: 'Comma-separated Xero ContactIDs',
};

/** A comma-separated filter value, trimmed and without empty entries; undefined when nothing is left. */
export function commaList(value: unknown): string | undefined {
	const list = String(value ?? '')
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
	return list.length ? list.join(',') : undefined;
}

/** The Filters collection; `options` in the order n8n shows them (alphabetical). */
function filtersCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options,
	};
}

/** The Options collection of a paged read: Xero order expression, page size, summary records. */
function pagingOptionsCollection(descriptions: {
	order: string;
	pageSize: string;
	summaryOnly: string;
}): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Order',
				name: 'order',
				type: 'string',
				default: 'UpdatedDateUTC ASC',
				description: descriptions.order,
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 100,
				description: descriptions.pageSize,
			},
			{
				displayName: 'Summary Only',
				name: 'summaryOnly',
				type: 'boolean',
				default: false,
				description: descriptions.summaryOnly,
			},
		],
	};
}

/**
 * A paged Get Many's parameters: Return All/Limit, Filters (Contact IDs, then `filters` in alphabetical order)
 * and the paging Options.
 */
export function getManyProperties(
	filters: INodeProperties[],
	paging: Parameters<typeof pagingOptionsCollection>[0],
): INodeProperties[] {
	return [
		...returnAllProperties,
		filtersCollection([contactIdsFilter, ...filters]),
		pagingOptionsCollection(paging),
	];
}

/** Builds the item's query string from its Filters and Options (throwing for a bad filter value, with the item). */
export type GetManyQuery = (
	filters: IDataObject,
	options: IDataObject,
	ctx: IExecuteFunctions,
	itemIndex: number,
) => IDataObject;

/**
 * One item of a Get Many: the query is built from this item's filters and options alone (nothing leaks between
 * items, unlike n8n's built-in Xero node), Modified Since goes as If-Modified-Since, and pages are read up to the limit.
 */
export async function getManyPages(
	ctx: IExecuteFunctions,
	itemIndex: number,
	read: {
		path: string;
		collectionKey: string;
		query: GetManyQuery;
	},
): Promise<IDataObject[]> {
	const tenantId = await resolveTenantId(ctx, itemIndex);
	const limit = returnAllOrLimit(ctx, itemIndex);
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs = read.query(filters, options, ctx, itemIndex);
	const ifModifiedSince = ifModifiedSinceFilter(ctx, filters.modifiedSince, itemIndex);
	return await xeroGetAllPages(ctx, {
		path: read.path,
		tenantId,
		collectionKey: read.collectionKey,
		qs,
		ifModifiedSince,
		pageSize: Number(options.pageSize ?? 100),
		limit,
		itemIndex,
	});
}

/** A Get Many operation's execute: getManyPages for every item, one output item per record. */
export function getManyExecute(read: Parameters<typeof getManyPages>[2]) {
	return async function execute(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
	): Promise<INodeExecutionData[]> {
		return await forEachItem(
			this,
			items,
			async (itemIndex) => await getManyPages(this, itemIndex, read),
		);
	};
}
