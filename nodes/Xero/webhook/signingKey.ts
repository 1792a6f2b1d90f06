import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	IHookFunctions,
	INodeCredentialTestResult,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export const SIGNING_KEY_CREDENTIAL = 'xeroWebhookSigningKeyApi';

/**
 * The Xero webhook key this trigger verifies deliveries with: the "Xero Webhook Signing Key API" credential, or,
 * on a node saved before the key moved into a credential, the key still stored in its `signingKey` parameter
 * (which then hides the credential picker). '' when neither is set: nothing verifies against an empty key.
 */
export async function signingKeyOf(ctx: IHookFunctions | IWebhookFunctions): Promise<string> {
	const stored = ctx.getNodeParameter('signingKey', '');
	if (typeof stored === 'string' && stored !== '') return stored;
	let credential: Record<string, unknown>;
	try {
		credential = await ctx.getCredentials(SIGNING_KEY_CREDENTIAL);
	} catch {
		return '';
	}
	return typeof credential.signingSecret === 'string' ? credential.signingSecret : '';
}

/** Fails activation with what to do when the node has no webhook key to verify deliveries with. */
export async function requireSigningKey(ctx: IHookFunctions): Promise<void> {
	if ((await signingKeyOf(ctx)) !== '') return;
	throw new NodeOperationError(
		ctx.getNode(),
		'No Xero webhook key: every delivery would be refused (401)',
		{
			description:
				'Select a "Xero Webhook Signing Key API" credential on the Xero Webhook Trigger, holding the "Webhook key" of your app from the Xero developer portal (My Apps → your app → Webhooks).',
		},
	);
}

/**
 * The credential's Test button. Xero has no endpoint that checks a webhook key, so this checks what can go wrong
 * when pasting it: nothing pasted, or spaces and line breaks around it (which would make every signature fail).
 */
export async function testSigningKeyCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const key = credential.data?.signingSecret;
	if (typeof key !== 'string' || key === '') {
		return {
			status: 'Error',
			message: 'Webhook Key is empty. Fix: paste the "Webhook key" of your Xero app.',
		};
	}
	if (key.trim() !== key) {
		return {
			status: 'Error',
			message:
				'Webhook Key starts or ends with spaces or a line break, so no Xero signature would match. Fix: paste the key alone.',
		};
	}
	return {
		status: 'OK',
		message:
			'Key saved. Xero cannot check a webhook key from here: saving the webhook in the Xero developer portal (its "Intent to Receive") does.',
	};
}
