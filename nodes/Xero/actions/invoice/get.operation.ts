import { updateDisplayOptions } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem, resolveTenantId } from '../shared';
import { fetchInvoiceForItem, invoiceLookupProperties } from './find';

const properties: INodeProperties[] = [...invoiceLookupProperties('get')];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['get'] } },
	properties,
);

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const tenantId = await resolveTenantId(this, itemIndex);
		return await fetchInvoiceForItem(this, tenantId, itemIndex);
	});
}
