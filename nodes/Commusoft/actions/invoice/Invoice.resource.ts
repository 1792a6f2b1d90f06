import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';

/** This resource's operations by their `operation` value: the router's table. */
export const invoiceOperations = { get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['invoice'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get an invoice', action: 'Get an invoice' },
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get many invoices',
				action: 'Get many invoices',
			},
		],
		default: 'get',
	},
	...get.description,
	...getMany.description,
];
