import type { INodeProperties } from 'n8n-workflow';

import type { XeroResourceOperations } from '../types';
import * as upsert from './upsert.operation';

export const creditNoteOperations: XeroResourceOperations = { upsert };

const creditNoteOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['creditNote'] } },
	options: [
		{
			name: 'Create or Update',
			value: 'upsert',
			description: 'Create a new record, or update the current one if it already exists (upsert)',
			action: 'Create or update credit notes',
		},
	],
	default: 'upsert',
};

export const creditNoteDescription: INodeProperties[] = [
	creditNoteOperationProperty,
	...upsert.description,
];
