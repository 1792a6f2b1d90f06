import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { getCustomer } from '../../transport/api';
import { forEachItem, requiredString } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Commusoft customer uuid',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = requiredString(this, 'customerId', 'Customer ID', itemIndex);
		return { ...(await getCustomer.call(this, id, itemIndex)) };
	});
}
