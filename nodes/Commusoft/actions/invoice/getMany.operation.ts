import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { CommusoftInvoice } from '../../records';
import { listInvoices } from '../../transport/api';
import { forEachItem, optionalIsoTime, returnAllOrLimit, returnAllProperties } from '../common';

const properties: INodeProperties[] = [
	...returnAllProperties,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Customer ID',
				name: 'customerId',
				type: 'string',
				default: '',
				description: 'Only invoices raised against this Commusoft customer uuid',
			},
			{
				displayName: 'Modified Since',
				name: 'modifiedSince',
				type: 'dateTime',
				default: '',
				description: 'Only invoices changed at or after this time',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				options: [
					{ name: 'Cancelled', value: 'cancelled' },
					{ name: 'Draft', value: 'draft' },
					{ name: 'Raised', value: 'raised' },
				],
				default: 'raised',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const invoices = await listInvoices.call(this, {
			limit: returnAllOrLimit(this, itemIndex),
			modifiedSince: optionalIsoTime(this, filters.modifiedSince, 'Modified Since', itemIndex),
			status: (filters.status as CommusoftInvoice['status']) || undefined,
			customerId: (filters.customerId as string) || undefined,
			itemIndex,
		});
		return invoices.map((invoice) => ({ ...invoice }) as unknown as IDataObject);
	});
}
