import { randomUUID } from 'node:crypto';

import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { createCustomer } from '../../transport/api';
import { customerFieldOptions, forEachItem, readCustomerInput, requiredString } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		required: true,
		default: '',
		description: 'Required by Commusoft on create (for a company, the contact person)',
	},
	{
		displayName: 'Last Name',
		name: 'lastName',
		type: 'string',
		required: true,
		default: '',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: customerFieldOptions.filter(
			(option) => !['firstName', 'lastName'].includes(option.name),
		),
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const input = readCustomerInput(
			this,
			{
				...fields,
				firstName: requiredString(this, 'firstName', 'First Name', itemIndex),
				lastName: requiredString(this, 'lastName', 'Last Name', itemIndex),
			},
			itemIndex,
		);
		// Commusoft's documented create takes a client-generated uuid.
		return { ...(await createCustomer.call(this, input, randomUUID(), itemIndex)) };
	});
}
