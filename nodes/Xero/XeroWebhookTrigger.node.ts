import type {
	ICredentialsDisplayOptions,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { webhookTriggerProperties } from './webhook/description';
import { handleXeroWebhook } from './webhook/handler';
import { requireSigningKey, testSigningKeyCredential } from './webhook/signingKey';

/**
 * The signing-key credential is hidden on nodes that still keep the key in their `signingKey` parameter (see the
 * description). n8n checks credential display options with the same function as parameter ones (n8n-workflow
 * displayParameter, `_cnd` conditions included), though its types list only plain values for credentials.
 */
const hiddenWhileKeyInWorkflow = {
	hide: { signingKey: [{ _cnd: { exists: true } }] },
} as unknown as ICredentialsDisplayOptions;

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
				name: 'xeroWebhookSigningKeyApi',
				required: true,
				testedBy: 'xeroWebhookSigningKeyTest',
				displayOptions: hiddenWhileKeyInWorkflow,
			},
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

	methods = {
		credentialTest: { xeroWebhookSigningKeyTest: testSigningKeyCredential },
	};

	// Xero webhooks are set up by hand in the developer portal (no API), so there is nothing to register,
	// check or remove here; the setup notice in the node tells the user what to paste where. Activation only
	// checks that there is a key to verify deliveries with, so a missing one fails there, readably, instead of
	// every delivery getting 401.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				await requireSigningKey(this);
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
