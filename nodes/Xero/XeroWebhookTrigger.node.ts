import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { webhookTriggerProperties } from './webhook/description';
import { handleXeroWebhook } from './webhook/handler';

export class XeroWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Xero Webhook Trigger',
		name: 'xeroWebhookTrigger',
		icon: { light: 'file:xero.svg', dark: 'file:xero.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: 'Invoice and contact events',
		description: 'Starts the workflow when Xero sends an invoice or contact webhook event',
		defaults: { name: 'Xero Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'xeroAccountingOAuth2Api',
				required: true,
				displayOptions: { show: { fetchChangedRecord: [true] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The node answers Xero itself (empty body, 200/401) before any record is fetched.
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: webhookTriggerProperties,
	};

	// Xero webhooks are set up by hand in the developer portal (no API), so there is nothing to register,
	// check or remove here; the setup notice in the node tells the user what to paste where.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleXeroWebhook.call(this);
	}
}
