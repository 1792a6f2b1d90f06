import type { INodeProperties } from 'n8n-workflow';

import type { XeroResourceOperations } from '../types';
import * as get from './get.operation';
import * as getMany from './getMany.operation';
// ── SLOT: Contact → Sync (later; file ./sync.operation.ts) ──────────────────────────────────────────
// To plug it in: `import * as sync from './sync.operation';`, add `sync` to `contactOperations`, its option
// to `contactOperationProperty.options`, and `...sync.description` to `contactDescription`.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────

export const contactOperations: XeroResourceOperations = {
	get,
	getMany,
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
			name: 'Get Many',
			value: 'getMany',
			description: 'List contacts with filters and paging',
			action: 'Get many contacts',
		},
	],
	default: 'get',
};

export const contactDescription: INodeProperties[] = [
	contactOperationProperty,
	...get.description,
	...getMany.description,
];
