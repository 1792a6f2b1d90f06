import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { listPayments } from '../../transport/api';
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
				displayName: 'External Reference',
				name: 'externalReference',
				type: 'string',
				default: '',
				description: 'A Xero PaymentID, for example',
			},
			{
				displayName: 'Invoice ID',
				name: 'invoiceId',
				type: 'string',
				default: '',
				description: 'Only payments against this Commusoft invoice uuid',
			},
			{
				displayName: 'Modified Since',
				name: 'modifiedSince',
				type: 'dateTime',
				default: '',
				description: 'Only payments changed at or after this time',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payment'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const payments = await listPayments.call(this, {
			limit: returnAllOrLimit(this, itemIndex),
			modifiedSince: optionalIsoTime(this, filters.modifiedSince, 'Modified Since', itemIndex),
			invoiceId: (filters.invoiceId as string) || undefined,
			externalReference: (filters.externalReference as string) || undefined,
			itemIndex,
		});
		return payments.map((payment) => ({ ...payment }));
	});
}
