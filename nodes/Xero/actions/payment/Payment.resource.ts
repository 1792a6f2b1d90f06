import type { INodeProperties } from 'n8n-workflow';

import type { XeroResourceOperations } from '../types';
import * as create from './create.operation';
import * as getMany from './getMany.operation';

export const paymentOperations: XeroResourceOperations = {
	create,
	getMany,
};

const paymentOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['payment'] } },
	options: [
		{
			name: 'Create (Record in Xero)',
			value: 'create',
			description:
				'Record Commusoft payments in Xero against their invoices, in batches, once per Commusoft payment however often re-run',
			action: 'Create payments',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			description:
				'List payments changed since a date as payment records (the Xero Payment Trigger’s items), e.g. for a scheduled catch-up into Commusoft',
			action: 'Get many payments',
		},
	],
	default: 'getMany',
};

export const paymentDescription: INodeProperties[] = [
	paymentOperationProperty,
	...create.description,
	...getMany.description,
];
