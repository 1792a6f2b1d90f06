import type { INodeProperties } from 'n8n-workflow';

import type { XeroResourceOperations } from '../types';
import * as getMany from './getMany.operation';

export const paymentOperations: XeroResourceOperations = {
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
	...getMany.description,
];
