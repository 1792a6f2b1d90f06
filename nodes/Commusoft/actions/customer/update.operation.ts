import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { updateCustomer } from '../../transport/api';
import { customerFieldOptions, forEachItem, readCustomerInput, requiredString } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Commusoft customer uuid',
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: customerFieldOptions,
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['update'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = requiredString(this, 'customerId', 'Customer ID', itemIndex);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const input = readCustomerInput(this, fields, itemIndex);
		if (Object.keys(input).length === 0) {
			throw new NodeOperationError(this.getNode(), `No fields to update on item ${itemIndex}`, {
				itemIndex,
				description: 'Add at least one field under "Update Fields".',
			});
		}
		return { ...(await updateCustomer.call(this, id, input, itemIndex)) };
	});
}
