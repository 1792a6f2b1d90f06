import type { INodeProperties } from 'n8n-workflow';

import type { XeroResourceOperations } from '../types';
import * as ageing from './ageing.operation';
import * as audit from './audit.operation';

export const reportOperations: XeroResourceOperations = {
	ageing,
	audit,
};

const reportOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['report'] } },
	options: [
		{
			name: 'Audit Against Commusoft',
			value: 'audit',
			description:
				'Compare Commusoft invoices and payments with Xero: missing invoices, amount and status mismatches, missing payments',
			action: 'Audit commusoft against xero',
		},
		{
			name: 'Debtors Ageing',
			value: 'ageing',
			description:
				'Money owed on open sales invoices by age (current, 1–30, 31–60, 61–90, 90+ days) and by customer, with an HTML digest',
			action: 'Build a debtors ageing report',
		},
	],
	default: 'ageing',
};

export const reportDescription: INodeProperties[] = [
	reportOperationProperty,
	...ageing.description,
	...audit.description,
];
