import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { listCustomers } from '../../transport/api';
import {
	forEachItem,
	getManyDescription,
	modifiedSinceFilter,
	readListParameters,
} from '../common';

export const description = getManyDescription('customer', [
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
	modifiedSinceFilter('customers'),
	{
		displayName: 'Xero Contact ID',
		name: 'xeroContactId',
		type: 'string',
		default: '',
	},
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const { filters, limit, modifiedSince } = readListParameters(this, itemIndex);
		const customers = await listCustomers.call(this, {
			limit,
			modifiedSince,
			accountReference: (filters.accountReference as string) || undefined,
			xeroContactId: (filters.xeroContactId as string) || undefined,
			email: (filters.email as string) || undefined,
			includeDeleted: filters.includeDeleted === true,
			itemIndex,
		});
		return customers.map((customer) => ({ ...customer }));
	});
}
