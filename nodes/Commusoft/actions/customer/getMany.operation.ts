import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { listCustomers } from '../../transport/api';
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
				displayName: 'Account Reference',
				name: 'accountReference',
				type: 'string',
				default: '',
				description: 'Commusoft customer reference, e.g. CUS-00012',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
			},
			{
				displayName: 'Include Deleted',
				name: 'includeDeleted',
				type: 'boolean',
				default: false,
				description: 'Whether to include soft-deleted customers',
			},
			{
				displayName: 'Modified Since',
				name: 'modifiedSince',
				type: 'dateTime',
				default: '',
				description: 'Only customers changed at or after this time',
			},
			{
				displayName: 'Xero Contact ID',
				name: 'xeroContactId',
				type: 'string',
				default: '',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['getMany'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
		const customers = await listCustomers.call(this, {
			limit: returnAllOrLimit(this, itemIndex),
			modifiedSince: optionalIsoTime(this, filters.modifiedSince, 'Modified Since', itemIndex),
			accountReference: (filters.accountReference as string) || undefined,
			xeroContactId: (filters.xeroContactId as string) || undefined,
			email: (filters.email as string) || undefined,
			includeDeleted: filters.includeDeleted === true,
			itemIndex,
		});
		return customers.map((customer) => ({ ...customer }));
	});
}
