import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { paymentTriggerProperties } from './paymentTrigger/description';
import {
	invoiceStatusPollProperties,
	paymentsOnly,
	watchProperty,
} from './invoiceStatus/description';
import { pollInvoiceStatusChanges } from './invoiceStatus/poll';
import { getTenants } from './methods/loadOptions';
import { pollXeroPayments } from './paymentTrigger/poll';

export class XeroPaymentTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Xero Payment Trigger',
		name: 'xeroPaymentTrigger',
		icon: { light: 'file:xero.svg', dark: 'file:xero.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{$parameter["watch"] === "invoiceStatus" ? "Invoice status changes" : "New, changed and deleted payments"}}',
		description:
			'Starts the workflow when payments are added or deleted in Xero (polling; Xero has no payment webhooks), or when invoices from Commusoft are voided, deleted, paid or credited',
		defaults: { name: 'Xero Payment Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'xeroAccountingOAuth2Api', required: true }],
		properties: [
			watchProperty,
			...paymentsOnly(paymentTriggerProperties),
			...invoiceStatusPollProperties,
		],
	};

	methods = { loadOptions: { getTenants } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (this.getNodeParameter('watch', 'payments') === 'invoiceStatus')
			return await pollInvoiceStatusChanges.call(this);
		return await pollXeroPayments.call(this);
	}
}
