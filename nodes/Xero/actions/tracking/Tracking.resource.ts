import type { INodeProperties } from 'n8n-workflow';

import type { XeroResourceOperations } from '../types';
import * as ensureOption from './ensureOption.operation';
import * as getManyCategories from './getManyCategories.operation';

export const trackingOperations: XeroResourceOperations = {
	getManyCategories,
	ensureOption,
};

const trackingOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['tracking'] } },
	options: [
		{
			name: 'Ensure Option',
			value: 'ensureOption',
			description:
				'Find a tracking option by name, creating it when missing (e.g. keep Commusoft business units in step before invoices are sent)',
			action: 'Ensure a tracking option exists',
		},
		{
			name: 'Get Many Categories',
			value: 'getManyCategories',
			description: 'List tracking categories with their options',
			action: 'Get many tracking categories',
		},
	],
	default: 'getManyCategories',
};

export const trackingDescription: INodeProperties[] = [
	trackingOperationProperty,
	...getManyCategories.description,
	...ensureOption.description,
];
