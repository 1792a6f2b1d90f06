import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { xeroApiRequest } from '../../transport';
import { forEachItem, resolveTenantId } from '../shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Include Archived',
		name: 'includeArchived',
		type: 'boolean',
		default: false,
		description:
			'Whether to include archived categories and archived options (status ARCHIVED); deleted ones never come back',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['tracking'], operation: ['getManyCategories'] } },
	properties,
);

/** GET /TrackingCategories (docs/xero-rules.md §4): one item per category, its Options inside. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const tenantId = await resolveTenantId(this, itemIndex);
		const includeArchived = this.getNodeParameter('includeArchived', itemIndex, false) as boolean;
		const body = await xeroApiRequest<IDataObject>(this, {
			method: 'GET',
			path: '/TrackingCategories',
			tenantId,
			qs: includeArchived ? { includeArchived: true } : {},
			itemIndex,
		});
		return Array.isArray(body.TrackingCategories) ? (body.TrackingCategories as IDataObject[]) : [];
	});
}
