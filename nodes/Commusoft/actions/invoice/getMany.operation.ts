import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { CommusoftInvoice } from '../../records';
import { listInvoices } from '../../transport/api';
import {
	documentStatusFilter,
	forEachItem,
	getManyDescription,
	modifiedSinceFilter,
	readListParameters,
} from '../common';

export const description = getManyDescription('invoice', [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		description: 'Only invoices raised against this Commusoft customer uuid',
	},
	modifiedSinceFilter('invoices'),
	documentStatusFilter(),
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const { filters, limit, modifiedSince } = readListParameters(this, itemIndex);
		const invoices = await listInvoices.call(this, {
			limit,
			modifiedSince,
			status: (filters.status as CommusoftInvoice['status']) || undefined,
			customerId: (filters.customerId as string) || undefined,
			itemIndex,
		});
		return invoices.map((invoice) => ({ ...invoice }) as unknown as IDataObject);
	});
}
