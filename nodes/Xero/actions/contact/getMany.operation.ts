import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { returnAllOrLimit, returnAllProperties } from '../../../shared/returnAll';
import { xeroGetAllPages } from '../../transport';
import { forEachItem, ifModifiedSinceFilter, resolveTenantId } from '../shared';

const properties: INodeProperties[] = [
	...returnAllProperties,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'Contact IDs',
				name: 'contactIds',
				type: 'string',
				default: '',
				description: 'Comma-separated Xero ContactIDs',
			},
			{
				displayName: 'Include Archived',
				name: 'includeArchived',
				type: 'boolean',
				default: false,
				description: 'Whether to include archived contacts',
			},
			{
				displayName: 'Modified Since',
				name: 'modifiedSince',
				type: 'dateTime',
				default: '',
				description: 'Only contacts created or changed since then (If-Modified-Since)',
			},
			{
				displayName: 'Search Term',
				name: 'searchTerm',
				type: 'string',
				default: '',
				description:
					'Case-insensitive search over Name, FirstName, LastName, ContactNumber and EmailAddress',
			},
			{
				displayName: 'Where',
				name: 'where',
				type: 'string',
				default: '',
				placeholder: 'ContactStatus=="ACTIVE"',
				description: 'Raw Xero filter',
			},
		],
	},
	{
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
				description: 'Xero order expression; optimised: ContactID, UpdatedDateUTC, Name',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 100,
				description: 'Contacts per Xero call (up to 1000)',
			},
			{
				displayName: 'Summary Only',
				name: 'summaryOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to return lightweight records',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['getMany'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const tenantId = await resolveTenantId(this, itemIndex);
		const limit = returnAllOrLimit(this, itemIndex);
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

		const qs: IDataObject = { order: String(options.order ?? 'UpdatedDateUTC ASC') };
		if (typeof filters.where === 'string' && filters.where.trim()) qs.where = filters.where.trim();
		const ids = String(filters.contactIds ?? '')
			.split(',')
			.map((v) => v.trim())
			.filter(Boolean);
		if (ids.length) qs.IDs = ids.join(',');
		if (filters.searchTerm) qs.searchTerm = String(filters.searchTerm);
		if (filters.includeArchived === true) qs.includeArchived = true;
		if (options.summaryOnly === true) qs.summaryOnly = true;

		const ifModifiedSince = ifModifiedSinceFilter(this, filters.modifiedSince, itemIndex);

		return await xeroGetAllPages(this, {
			path: '/Contacts',
			tenantId,
			collectionKey: 'Contacts',
			qs,
			ifModifiedSince,
			pageSize: Number(options.pageSize ?? 100),
			limit,
			itemIndex,
		});
	});
}
