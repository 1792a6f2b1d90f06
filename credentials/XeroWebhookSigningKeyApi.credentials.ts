import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * The "Webhook key" of a Xero app (developer portal → My Apps → the app → Webhooks), which the Xero Webhook
 * Trigger checks every delivery's `x-xero-signature` against. A credential of its own, not a field of the OAuth2
 * credential: the trigger needs no Xero connection to verify deliveries, one key serves every organisation the
 * app is connected to, and n8n stores credentials encrypted, outside the workflow JSON (docs/ARCHITECTURE.md,
 * "Xero webhook signing key"). Xero has no endpoint that checks a key, so the credential test (the trigger's
 * testedBy) checks its form only; Xero's "Intent to Receive" is the real test.
 */
export class XeroWebhookSigningKeyApi implements ICredentialType {
	name = 'xeroWebhookSigningKeyApi';

	displayName = 'Xero Webhook Signing Key API';

	icon: Icon = { light: 'file:../nodes/Xero/xero.svg', dark: 'file:../nodes/Xero/xero.dark.svg' };

	documentationUrl =
		'https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Key',
			name: 'signingSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The "Webhook key" shown under Webhooks for your app in the Xero developer portal. Every delivery is verified against it; a delivery with a wrong or missing signature gets 401 and never starts the workflow.',
		},
	];
}
