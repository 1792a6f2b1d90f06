import type { INodeProperties } from 'n8n-workflow';

import { tenantProperty } from '../actions/common.descriptions';

/**
 * "Came from Commusoft" filter: shared with the Xero Accounting node's Payment → Get Many, so the scheduled
 * catch-up keeps exactly the payments the trigger emits.
 */
export const commusoftRuleProperties: INodeProperties[] = [
	{
		displayName: 'Only Invoices From Commusoft',
		name: 'onlyCommusoftInvoices',
		type: 'boolean',
		default: true,
		description:
			'Whether to keep only payments of invoices that came from Commusoft, recognised by the rule below',
	},
	{
		displayName: 'Commusoft Rule',
		name: 'commusoftRule',
		type: 'options',
		options: [
			{
				name: 'Invoice Number Starts With',
				value: 'invoiceNumberPrefix',
				description: 'E.g. CS- for invoices numbered CS-10042.',
			},
			{
				name: 'Invoice Number Matches Pattern',
				value: 'invoiceNumberPattern',
				description: 'A regular expression, e.g. ^CS-\\d+$',
			},
			{
				name: 'Invoice Reference Matches Pattern',
				value: 'referencePattern',
				description: 'A regular expression on the Xero invoice Reference, e.g. ^JOB-',
			},
			{
				name: 'Invoice Link Starts With',
				value: 'urlPrefix',
				description:
					'The stored link back to Commusoft (Xero invoice URL), e.g. https://app.commusoft.co.uk/',
			},
		],
		default: 'invoiceNumberPrefix',
		description:
			'How an invoice is recognised as coming from Commusoft; the matched value is output as commusoftReference',
	},
	{
		displayName: 'Commusoft Rule Value',
		name: 'commusoftRuleValue',
		type: 'string',
		default: 'CS-',
		required: true,
		description: 'The prefix, pattern or link the rule above compares with (case-insensitive)',
	},
];

/** The no-loop rule, shown on the Xero → Commusoft readers (docs/ARCHITECTURE.md, "Payments both ways"). */
export const noLoopNotice: INodeProperties = {
	displayName:
		'No loops: payments whose Xero Reference starts with "Commusoft payment" were written by Xero Accounting → Payment → Create for a payment entered in Commusoft, so they are never emitted here (Commusoft already has them).',
	name: 'noLoopNotice',
	type: 'notice',
	default: '',
};

export const paymentTriggerProperties: INodeProperties[] = [
	noLoopNotice,
	{
		displayName:
			"n8n saves this trigger's position before the workflow runs, so a failed run is not polled again: retry the execution, and write payments with an idempotent step (Commusoft → Payment → Create keys them by the Xero PaymentID).",
		name: 'exactlyOnceNotice',
		type: 'notice',
		default: '',
	},
	{
		...tenantProperty,
		description:
			'The Xero organisation to watch. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...commusoftRuleProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Backfill From',
				name: 'backfillFrom',
				type: 'dateTime',
				default: '',
				description:
					'On first activation, emit payments changed since this date instead of starting from now. Payments changed before it are never emitted. Also the point to resume from when the saved position is damaged.',
			},
			{
				displayName: 'Emit Deleted Payments',
				name: 'includeDeleted',
				type: 'boolean',
				default: true,
				description:
					'Whether to emit payments deleted in Xero (status DELETED), e.g. to reverse them in Commusoft',
			},
			{
				displayName: 'Include Bill Payments',
				name: 'includeBillPayments',
				type: 'boolean',
				default: false,
				description:
					'Whether to emit payments of supplier bills too (normally only sales invoices)',
			},
			{
				displayName: 'Max Pages per Poll',
				name: 'maxPages',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 20,
				description:
					'Upper bound of GET /Payments pages (100 payments each) read in one poll; the rest follows on the next poll',
			},
			{
				displayName: 'Overlap (Seconds)',
				name: 'overlapSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 300,
				description:
					'How far before the last seen change to ask again, for changes Xero makes visible late; re-read payments are recognised and not emitted twice',
			},
		],
	},
];
