import type { INodeProperties } from 'n8n-workflow';

import type { XeroResourceOperations } from '../types';
import * as get from './get.operation';
import * as getBalances from './getBalances.operation';
import * as getMany from './getMany.operation';
import * as sync from './sync.operation';

export const contactOperations: XeroResourceOperations = {
	get,
	getBalances,
	getMany,
	sync,
};

const contactOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['contact'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			description: 'Get one contact by ID, contact number, account number or email',
			action: 'Get a contact',
		},
		{
			name: 'Get Balances',
			value: 'getBalances',
			description:
				'Outstanding and overdue receivables, overdue invoices and last payment per contact, in a few calls per run',
			action: 'Get contact balances',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List contacts with filters and paging',
			action: 'Get many contacts',
		},
		{
			name: 'Sync From Commusoft Customer or Supplier',
			value: 'sync',
			description:
				'Send changed Commusoft customer or supplier fields to the linked Xero contact (created when missing)',
			action: 'Sync contacts from commusoft customers or suppliers',
		},
	],
	default: 'get',
};

export const contactDescription: INodeProperties[] = [
	contactOperationProperty,
	...get.description,
	...getBalances.description,
	...getMany.description,
	...sync.description,
];
