import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as recordXeroStatus from './recordXeroStatus.operation';

/** This resource's operations by their `operation` value: the router's table. */
export const invoiceOperations = { get, getMany, recordXeroStatus };

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
			{
				name: 'Record Xero Status',
				value: 'recordXeroStatus',
				description:
					'Show on the Commusoft invoice that Xero voided, deleted, fully paid or credited it (once per change)',
				action: 'Record the xero status of an invoice',
			},
		],
		default: 'get',
	},
	...get.description,
	...getMany.description,
	...recordXeroStatus.description,
];
