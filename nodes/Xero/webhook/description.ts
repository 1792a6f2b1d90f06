import type { INodeProperties } from 'n8n-workflow';

import { invoiceStatusWebhookProperties } from '../invoiceStatus/description';

export const webhookTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'Xero has no API to register webhooks. In the Xero developer portal (My Apps → your app → Webhooks), subscribe to Contacts and/or Invoices, paste this node\'s Production URL (shown above) as the delivery URL, save the webhook key in a "Xero Webhook Signing Key API" credential selected above, activate this workflow, then save in the portal: Xero sends its "Intent to Receive" check, which this node answers.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName:
			'This node keeps the Xero webhook key in the workflow itself (saved by an earlier version of this package), where anyone who can see or export the workflow can read it. It still works. To move it: create a "Xero Webhook Signing Key API" credential with the same key, then clear this field; the credential picker appears above.',
		name: 'legacySigningKeyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { signingKey: [{ _cnd: { exists: true } }] } },
	},
	{
		displayName: 'Webhook Signing Key (Stored in the Workflow)',
		name: 'signingKey',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		displayOptions: { show: { signingKey: [{ _cnd: { exists: true } }] } },
		description:
			'Only on workflows saved before the key moved into a credential. Clear it to use the credential instead.',
	},
	// n8n parses a JSON body before a trigger sees it and answers 422 itself when that fails, unless the trigger
	// node is at type version 1 and its options.binaryData is set (packages/cli webhook-helpers parseRequestBody).
	// Set here, n8n leaves the bytes alone, so every delivery reaches the signature check and an unverifiable one
	// gets Xero's 401 (docs/ARCHITECTURE.md, "Xero webhook raw body").
	{
		displayName: 'Raw Body',
		name: 'options',
		type: 'hidden',
		default: { binaryData: true },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{ name: 'Contact Created', value: 'CONTACT.CREATE' },
			{ name: 'Contact Updated (Including Archived)', value: 'CONTACT.UPDATE' },
			{ name: 'Invoice Created', value: 'INVOICE.CREATE' },
			{ name: 'Invoice Updated', value: 'INVOICE.UPDATE' },
		],
		default: ['CONTACT.CREATE', 'CONTACT.UPDATE', 'INVOICE.CREATE', 'INVOICE.UPDATE'],
		description:
			'Which events start the workflow. Xero only sends the categories subscribed in the portal; others are answered and ignored.',
	},
	{
		displayName: 'Tenant IDs',
		name: 'tenantIds',
		type: 'string',
		default: '',
		placeholder: 'e.g. c2cc9b6e-9458-4c7d-93cc-f02b81b0594f',
		description:
			'Only events of these Xero organisations (comma-separated tenant IDs). Empty: every organisation connected to the app, as Xero delivers events for all of them.',
	},
	{
		displayName: 'Fetch Changed Record',
		name: 'fetchChangedRecord',
		type: 'boolean',
		default: false,
		description:
			'Whether to read the changed invoice or contact from Xero (by its ID, with the Xero credential) and add it to the item as "record". Xero events carry no record data. A failed read is reported in "fetchError" on the item.',
	},
	...invoiceStatusWebhookProperties,
];
