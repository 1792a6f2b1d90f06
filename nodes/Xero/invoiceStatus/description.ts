import type { INodeProperties } from 'n8n-workflow';

import { commusoftRuleProperties, paymentTriggerProperties } from '../paymentTrigger/description';

const STATUS_NOTICE =
	'One item per invoice from Commusoft that Xero voided, deleted, fully paid or fully credited, each state change once (record XeroInvoiceStatusChange). Connect Commusoft → Invoice → Record Xero Status to show it on the Commusoft invoice.';

/** The "came from Commusoft" rule of the Payment Trigger, for the Webhook Trigger's status output. */
const webhookCommusoftRule: INodeProperties[] = commusoftRuleProperties
	.filter((property) => property.name !== 'onlyCommusoftInvoices')
	.map((property) => ({
		...property,
		displayOptions: {
			show: { fetchChangedRecord: [true], fetchedOutput: ['invoiceStatusChanges'] },
		},
	}));

/** The Payment Trigger's own parameters that apply to payments only (shown while it watches payments). */
const PAYMENT_ONLY = new Set(['exactlyOnceNotice', 'onlyCommusoftInvoices', 'options']);

/** The Payment Trigger's parameters with the payments-only ones shown only while it watches payments. */
export function paymentsOnly(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) =>
		PAYMENT_ONLY.has(property.name)
			? {
					...property,
					displayOptions: {
						...property.displayOptions,
						show: { ...property.displayOptions?.show, watch: ['payments'] },
					},
				}
			: property,
	);
}

/** Added to the Xero Webhook Trigger: what a fetched INVOICE event becomes. */
export const invoiceStatusWebhookProperties: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'fetchedOutput',
		type: 'options',
		displayOptions: { show: { fetchChangedRecord: [true] } },
		options: [
			{
				name: 'Event With Record',
				value: 'event',
				description: 'One item per event, with the invoice or contact as "record"',
			},
			{
				name: 'Invoice Status Changes',
				value: 'invoiceStatusChanges',
				description:
					'Only invoices from Commusoft that were voided, deleted, fully paid or fully credited, each change once; invoices read in batches',
			},
		],
		default: 'event',
	},
	{
		displayName: STATUS_NOTICE,
		name: 'invoiceStatusNotice',
		type: 'notice',
		default: '',
		displayOptions: {
			show: { fetchChangedRecord: [true], fetchedOutput: ['invoiceStatusChanges'] },
		},
	},
	...webhookCommusoftRule,
];

/** The Payment Trigger's poll options that apply to invoices too, with the words for invoices. */
function statusPollOptions(): INodeProperties[] {
	const paymentOptions = (paymentTriggerProperties.find((p) => p.name === 'options')?.options ??
		[]) as INodeProperties[];
	const forInvoices: Record<string, string> = {
		backfillFrom:
			'On first activation, emit invoices changed since this date instead of starting from now. Changes before it are never emitted. Also the point to resume from when the saved position is damaged.',
		maxPages:
			'Upper bound of GET /Invoices pages (100 invoices each) read in one poll; the rest follows on the next poll',
		overlapSeconds:
			'How far before the last seen change to ask again, for changes Xero makes visible late; re-read invoices are recognised and not emitted twice',
	};
	return paymentOptions
		.filter((option) => option.name in forInvoices)
		.map((option) => ({ ...option, description: forInvoices[option.name] }));
}

/** What the Xero Payment Trigger watches: its payments (as before) or, for firms without webhooks, invoice status. */
export const watchProperty: INodeProperties = {
	displayName: 'Watch',
	name: 'watch',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Payments',
			value: 'payments',
			description: 'New and deleted payments (XeroPaymentRecord items)',
		},
		{
			name: 'Invoice Status Changes',
			value: 'invoiceStatus',
			description:
				'Invoices from Commusoft voided, deleted, fully paid or fully credited (XeroInvoiceStatusChange items): the polling fallback to the Xero Webhook Trigger',
		},
	],
	default: 'payments',
};

/**
 * The Payment Trigger's parameters when it watches invoice status. The organisation and the "came from
 * Commusoft" rule are its own parameters, shared by both modes.
 */
export const invoiceStatusPollProperties: INodeProperties[] = [
	{
		displayName: STATUS_NOTICE,
		name: 'invoiceStatusNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { watch: ['invoiceStatus'] } },
	},
	{
		displayName: 'Options',
		name: 'statusOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { watch: ['invoiceStatus'] } },
		options: statusPollOptions(),
	},
];
