import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { putAccountingSummary } from '../../transport/api';
import { forEachItem, optionalIsoTime, requiredString } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Commusoft customer uuid',
	},
	{
		displayName: 'Balance Outstanding',
		name: 'balanceOutstanding',
		type: 'number',
		typeOptions: { numberPrecision: 2 },
		required: true,
		default: 0,
		description: 'What the customer owes in Xero (all unpaid invoices)',
	},
	{
		displayName: 'Balance Overdue',
		name: 'balanceOverdue',
		type: 'number',
		typeOptions: { numberPrecision: 2 },
		required: true,
		default: 0,
		description: 'The part of the outstanding balance that is past its due date',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'As At',
				name: 'asAt',
				type: 'dateTime',
				default: '',
				description: 'When the balances were read from Xero (default: now)',
			},
			{ displayName: 'Currency', name: 'currency', type: 'string', default: 'GBP' },
			{
				displayName: 'Note',
				name: 'note',
				type: 'string',
				default: '',
				description: 'Free text shown with the summary in Commusoft',
			},
			{ displayName: 'Xero Contact ID', name: 'xeroContactId', type: 'string', default: '' },
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['setAccountingSummary'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const customerId = requiredString(this, 'customerId', 'Customer ID', itemIndex);
		const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const amount = (name: string, label: string) => {
			const value = Number(this.getNodeParameter(name, itemIndex));
			if (!Number.isFinite(value)) {
				throw new NodeOperationError(
					this.getNode(),
					`${label} is not a number on item ${itemIndex}`,
					{
						itemIndex,
						description: `Set "${label}" to an amount, e.g. 120.50.`,
					},
				);
			}
			return Math.round(value * 100) / 100;
		};
		const currency =
			String(fields.currency ?? 'GBP')
				.trim()
				.toUpperCase() || 'GBP';
		const summary = await putAccountingSummary.call(
			this,
			customerId,
			{
				balanceOutstanding: amount('balanceOutstanding', 'Balance Outstanding'),
				balanceOverdue: amount('balanceOverdue', 'Balance Overdue'),
				currency,
				asAt: optionalIsoTime(this, fields.asAt, 'As At', itemIndex) ?? new Date().toISOString(),
				...(fields.xeroContactId ? { xeroContactId: String(fields.xeroContactId) } : {}),
				...(fields.note ? { note: String(fields.note) } : {}),
			},
			itemIndex,
		);
		return { customerId, accountingSummary: summary };
	});
}
