import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { paymentTriggerProperties } from './paymentTrigger/description';
import { getTenants } from './methods/loadOptions';
import { pollXeroPayments } from './paymentTrigger/poll';

export class XeroPaymentTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Xero Payment Trigger',
		name: 'xeroPaymentTrigger',
		icon: { light: 'file:xero.svg', dark: 'file:xero.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'New, changed and deleted payments',
		description:
			'Starts the workflow when payments are added or deleted in Xero (polling; Xero has no payment webhooks)',
		defaults: { name: 'Xero Payment Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'xeroAccountingOAuth2Api', required: true }],
		properties: paymentTriggerProperties,
	};

	methods = { loadOptions: { getTenants } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollXeroPayments.call(this);
	}
}
