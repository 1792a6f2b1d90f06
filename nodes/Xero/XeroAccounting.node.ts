import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { xeroAccountingProperties } from './actions/description';
import { router } from './actions/router';
import { loadOptions } from './methods';

export class XeroAccounting implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Xero Accounting',
		name: 'xeroAccounting',
		icon: { light: 'file:xero.svg', dark: 'file:xero.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Xero invoices (upsert, void), contacts (sync, balances), payments, tracking and reports, with rate limits, retries and per-item errors',
		defaults: { name: 'Xero Accounting' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'xeroAccountingOAuth2Api', required: true }],
		properties: xeroAccountingProperties,
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
