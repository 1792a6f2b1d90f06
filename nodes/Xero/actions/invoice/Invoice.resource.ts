import type { INodeProperties } from 'n8n-workflow';

import type { XeroResourceOperations } from '../types';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
import * as upsert from './upsert.operation';
import * as voidInvoice from './void.operation';

export const invoiceOperations: XeroResourceOperations = {
	get,
	getMany,
	upsert,
	void: voidInvoice,
};

const invoiceOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['invoice'] } },
	options: [
		{
			name: 'Get',
			value: 'get',
			description: 'Get one invoice by ID or number, with its lines',
			action: 'Get an invoice',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description: 'List invoices with filters, paging and If-Modified-Since',
			action: 'Get many invoices',
		},
		{
			name: 'Create or Update',
			value: 'upsert',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: 'Create or update invoices',
		},
		{
			name: 'Void',
			value: 'void',
			description: 'Void an approved invoice that has no payments',
			action: 'Void an invoice',
		},
	],
	default: 'get',
};

export const invoiceDescription: INodeProperties[] = [
	invoiceOperationProperty,
	...get.description,
	...getMany.description,
	...upsert.description,
	...voidInvoice.description,
];
