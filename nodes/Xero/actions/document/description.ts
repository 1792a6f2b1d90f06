import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { DEFAULT_TRACKING_OPTION_CAP } from '../../mapping/tracking';
import { XERO_MAX_BATCH_ELEMENTS } from '../../transport';
import type { DocumentKind } from './kind';

/** The words the panel uses for one document kind. */
export interface DescriptionText {
	noun: string;
	Noun: string;
	nouns: string;
	Nouns: string;
	aNoun: string;
	/** the Status parameter's description */
	status: string;
	/** the Refused option's description */
	refused: string;
}

/** The Create or Update panel of one document kind (parameter names come from the kind; templates use them). */
export function upsertDescription(kind: DocumentKind, t: DescriptionText): INodeProperties[] {
	const show = { resource: [kind.resource], operation: ['upsert'] };
	const sourceOptions: INodePropertyOptions[] = [
		{
			name: `Input Item Is a Commusoft ${t.Noun}`,
			value: 'item',
			description: `Each input item is ${t.aNoun} as the Commusoft nodes emit it`,
		},
		{
			name: 'Define Below',
			value: 'define',
			description: 'Build an object of the same shape with an expression',
		},
	];
	const matchOptions: INodePropertyOptions[] = [
		{ name: `${t.Noun} Number`, value: 'invoiceNumber' },
		{ name: 'Reference', value: 'reference' },
	];
	return [
		{
			displayName: `${t.Noun} Data`,
			name: kind.params.source,
			type: 'options',
			options: sourceOptions,
			default: 'item',
			displayOptions: { show },
		},
		{
			displayName: `${t.Noun} (JSON)`,
			name: kind.params.json,
			type: 'json',
			default: '={{ $json }}',
			description: `An object shaped like the ${t.nouns} the Commusoft nodes emit (${t.noun} number, dates, currency, customer, lines with nominal code and VAT rate)`,
			displayOptions: { show: { ...show, [kind.params.source]: ['define'] } },
		},
		{
			displayName: 'Match On',
			name: 'matchOn',
			type: 'options',
			options: matchOptions,
			default: 'invoiceNumber',
			description: `Which Xero field identifies the ${t.noun} to update`,
			displayOptions: { show },
		},
		{
			displayName: 'Status',
			name: 'status',
			type: 'options',
			options: [
				{ name: 'Draft', value: 'DRAFT' },
				{ name: 'Awaiting Approval (Submitted)', value: 'SUBMITTED' },
				{ name: 'Awaiting Payment (Authorised)', value: 'AUTHORISED' },
			],
			default: 'DRAFT',
			description: t.status,
			displayOptions: { show },
		},
		{
			displayName: 'Contact Fallback',
			name: 'contactFallback',
			type: 'options',
			options: [
				{ name: 'None (Create When No Contact Code Matches)', value: 'none' },
				{ name: 'Email', value: 'email' },
				{ name: 'Exact Name', value: 'name' },
				{ name: 'Email, Then Exact Name', value: 'emailThenName' },
			],
			default: 'email',
			description:
				'How to find the Xero contact when no contact has the customer account reference as its Contact Code (ContactNumber). Contacts already linked to another account are never used.',
			displayOptions: { show },
		},
		{
			displayName: 'Tracking',
			name: 'tracking',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Tracking Mapping',
			default: { mapping: [{ category: 'Business Unit', option: '={{ $json.category }}' }] },
			description: `Xero tracking category (by name) and the option each ${t.noun} gets; an empty option means no tracking. At most 2 per line.`,
			displayOptions: { show },
			options: [
				{
					name: 'mapping',
					displayName: 'Mapping',
					values: [
						{
							displayName: 'Xero Tracking Category Name or ID',
							name: 'category',
							type: 'options',
							typeOptions: { loadOptionsMethod: 'getTrackingCategories' },
							default: 'Business Unit',
							description:
								'The Xero tracking category, by name. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
						},
						{
							displayName: 'Option Name or ID',
							name: 'option',
							type: 'options',
							typeOptions: { loadOptionsMethod: 'getTrackingOptions' },
							default: '={{ $json.category }}',
							description: `The tracking option, usually mapped from the Commusoft ${t.noun} (its category or business unit). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
						},
					],
				},
			],
		},
		{
			displayName: 'VAT Rate Map',
			name: 'vatMap',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add VAT Rate',
			default: {},
			description:
				'Commusoft VAT label → Xero tax type. Defaults: 20% → OUTPUT2, 5% → RROUTPUT, 0% → ZERORATEDOUTPUT, Exempt → EXEMPTOUTPUT, No VAT → NONE. A line with its own taxType keeps it.',
			displayOptions: { show },
			options: [
				{
					name: 'rate',
					displayName: 'Rate',
					values: [
						{ displayName: 'Commusoft VAT Label', name: 'label', type: 'string', default: '' },
						{
							displayName: 'Xero Tax Type Name or ID',
							name: 'taxType',
							type: 'options',
							typeOptions: { loadOptionsMethod: 'getTaxRates' },
							default: '',
							description:
								'The Xero tax rate lines with this VAT label get. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
						},
					],
				},
			],
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show },
			options: [
				{
					displayName: 'Batch Size',
					name: 'batchSize',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: XERO_MAX_BATCH_ELEMENTS },
					default: XERO_MAX_BATCH_ELEMENTS,
					description: `${t.Nouns} per Xero request (at most 50)`,
				},
				{
					displayName: 'Create Missing Tracking Options',
					name: 'createTrackingOptions',
					type: 'boolean',
					default: false,
					description:
						'Whether to add a missing tracking option (or a missing category while the organisation has fewer than 2 active) instead of failing the item',
				},
				{
					displayName: `Refused ${t.Nouns}`,
					name: kind.params.refused,
					type: 'options',
					options: [
						{
							name: 'Fail the Item (Error Output)',
							value: 'fail',
							description:
								"A refused edit is a failed item and follows the node's On Error setting",
						},
						{
							name: 'Report on the Success Output',
							value: 'report',
							description: `Action "refused" with the reason, next to the ${t.nouns} that were written`,
						},
					],
					default: 'fail',
					description: t.refused,
				},
				{
					displayName: 'Send From Date',
					name: 'sendFromDate',
					type: 'dateTime',
					default: '',
					description: `Cut-off: ${t.nouns} dated before this day are not sent to Xero and come out with action "skipped" and the reason (not as errors). Empty: every ${t.noun} is sent.`,
				},
				{
					displayName: 'Tracking Option Limit',
					name: 'trackingOptionCap',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: DEFAULT_TRACKING_OPTION_CAP,
					description: 'Active options a category may have before no more are added',
				},
				{
					displayName: 'Unknown Item Codes',
					name: 'unknownItemCodes',
					type: 'options',
					options: [
						{
							name: 'Leave Out (Warn)',
							value: 'omit',
							description: 'Send the line without the item code and say so in the output',
						},
						{
							name: `Fail the ${t.Noun}`,
							value: 'fail',
							description: `Report the line; the ${t.noun} is not sent`,
						},
					],
					default: 'omit',
					description:
						'What to do with a line whose item code is not an item in Xero (Xero rejects such lines). Checked when Validate Against Xero is on.',
				},
				{
					displayName: 'Validate Against Xero',
					name: 'validateAgainstXero',
					type: 'boolean',
					default: true,
					description:
						'Whether to check account codes and tax types against the organisation before sending (its accounts and tax rates are read once and kept for 10 minutes per organisation)',
				},
			],
		},
	];
}
