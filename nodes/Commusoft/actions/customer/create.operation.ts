import { randomUUID } from 'node:crypto';

import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { createCustomer } from '../../transport/api';
import {
	customerAdditionalFields,
	customerNameProperties,
	forEachItem,
	readNamedCustomerInput,
} from '../common';

const properties: INodeProperties[] = [
	...customerNameProperties('Required by Commusoft on create (for a company, the contact person)'),
	customerAdditionalFields(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const input = readNamedCustomerInput(this, itemIndex);
		// Commusoft's documented create takes a client-generated uuid.
		return { ...(await createCustomer.call(this, input, randomUUID(), itemIndex)) };
	});
}
