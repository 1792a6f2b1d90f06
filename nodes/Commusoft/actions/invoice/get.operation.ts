import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { getInvoice } from '../../transport/api';
import { forEachItem, requiredString } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Commusoft invoice uuid',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = requiredString(this, 'invoiceId', 'Invoice ID', itemIndex);
		return { ...(await getInvoice.call(this, id, itemIndex)) };
	});
}
