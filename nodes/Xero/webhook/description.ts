import type { INodeProperties } from 'n8n-workflow';

export const webhookTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'Xero has no API to register webhooks. In the Xero developer portal (My Apps → your app → Webhooks), subscribe to Contacts and/or Invoices, paste this node\'s Production URL (shown above) as the delivery URL, copy the webhook key into "Webhook Signing Key" below, activate this workflow, then save in the portal: Xero sends its "Intent to Receive" check, which this node answers.',
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Webhook Signing Key',
		name: 'signingKey',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description:
			'The "Webhook key" of your app in the Xero developer portal. Every request is verified against it; requests with a wrong or missing signature get 401 and never start the workflow.',
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
];
