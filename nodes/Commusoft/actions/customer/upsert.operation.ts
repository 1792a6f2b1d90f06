import { randomUUID } from 'node:crypto';

import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { createCustomer, listCustomers, updateCustomer } from '../../transport/api';
import {
	customerAdditionalFields,
	customerNameProperties,
	forEachItem,
	readNamedCustomerInput,
	requiredString,
} from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Match By',
		name: 'matchBy',
		type: 'options',
		options: [
			{
				name: 'Xero Contact ID',
				value: 'xeroContactId',
				description: "The Xero ContactID stored in the customer's accounting reference",
			},
			{
				name: 'Account Reference',
				value: 'accountReference',
				description: 'The Commusoft customer reference (Xero ContactNumber), e.g. CUS-00012',
			},
		],
		default: 'xeroContactId',
		description: 'Which external reference identifies the customer',
	},
	{
		displayName: 'Match Value',
		name: 'matchValue',
		type: 'string',
		required: true,
		default: '',
		description: 'The reference to look for; it is written to the new customer when none matches',
	},
	...customerNameProperties(),
	customerAdditionalFields(['xeroContactId', 'accountReference']),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['upsert'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const matchBy = this.getNodeParameter('matchBy', itemIndex) as
			| 'xeroContactId'
			| 'accountReference';
		const matchValue = requiredString(this, 'matchValue', 'Match Value', itemIndex);
		const input = readNamedCustomerInput(this, itemIndex, { [matchBy]: matchValue });
		const matches = await listCustomers.call(this, { [matchBy]: matchValue, itemIndex });
		if (matches.length > 1) {
			throw new NodeOperationError(
				this.getNode(),
				`${matches.length} Commusoft customers match ${matchBy} "${matchValue}" on item ${itemIndex}: ${matches
					.map((customer) => `${customer.accountReference} (${customer.id})`)
					.join(', ')}`,
				{
					itemIndex,
					description: 'Merge the duplicates in Commusoft or match by another reference.',
				},
			);
		}
		if (matches.length === 1) {
			const customer = await updateCustomer.call(this, matches[0].id, input, itemIndex);
			return { result: 'updated', customer: { ...customer } };
		}
		const customer = await createCustomer.call(this, input, randomUUID(), itemIndex);
		return { result: 'created', customer: { ...customer } };
	});
}
