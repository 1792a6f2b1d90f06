import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as importFromXero from './importFromXero.operation';
import * as update from './update.operation';
import * as updateXeroBalanceSummary from './updateXeroBalanceSummary.operation';
import * as upsert from './upsert.operation';

/** This resource's operations by their `operation` value: the router's table. */
export const customerOperations = {
	create,
	get,
	getMany,
	importFromXero,
	update,
	updateXeroBalanceSummary,
	upsert,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customer'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a customer',
				action: 'Create a customer',
			},
			{
				name: 'Create or Update',
				value: 'upsert',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
				action: 'Create or update a customer',
			},
			{ name: 'Get', value: 'get', description: 'Get a customer', action: 'Get a customer' },
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get many customers',
				action: 'Get many customers',
			},
			{
				name: 'Import From Xero',
				value: 'importFromXero',
				description:
					'Dry run, import or undo an import of Xero contacts (items from Xero Accounting → Contact → Get Many)',
				action: 'Import customers from xero contacts',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Update a customer',
				action: 'Update a customer',
			},
			{
				name: 'Update Xero Balance Summary',
				value: 'updateXeroBalanceSummary',
				description:
					'Show Xero balances on the customer (items from Xero Accounting → Contact → Get Balances); writes only changes, clears when paid, flags "on stop"',
				action: 'Update a customer xero balance summary',
			},
		],
		default: 'get',
	},
	...create.description,
	...get.description,
	...getMany.description,
	...importFromXero.description,
	...update.description,
	...updateXeroBalanceSummary.description,
	...upsert.description,
];
