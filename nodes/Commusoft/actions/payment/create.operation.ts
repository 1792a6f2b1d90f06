import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { recordPaymentOnce } from '../../transport/api';
import { forEachItem, requiredString } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Commusoft invoice uuid the payment is for',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		required: true,
		default: 0,
		description: 'Must not exceed what is outstanding on the invoice',
	},
	{
		displayName: 'External Reference',
		name: 'externalReference',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.paymentId }}',
		description:
			'Identifies the payment outside Commusoft, e.g. the Xero PaymentID. A payment with this reference is recorded once; repeats return the stored one.',
	},
	{
		displayName: 'Date',
		name: 'date',
		type: 'string',
		default: '',
		placeholder: '2026-11-20',
		description: 'Payment date (YYYY-MM-DD or ISO date-time); empty means today (UTC)',
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'Bank Transfer', value: 'bank_transfer' },
			{ name: 'Card', value: 'card' },
			{ name: 'Cash', value: 'cash' },
			{ name: 'Cheque', value: 'cheque' },
			{ name: 'Other', value: 'other' },
		],
		default: 'bank_transfer',
	},
	{
		displayName: 'Reference',
		name: 'reference',
		type: 'string',
		default: '',
		description: 'Free-text reference shown on the payment in Commusoft',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payment'], operation: ['create'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const invoiceId = requiredString(this, 'invoiceId', 'Invoice ID', itemIndex);
		const externalReference = requiredString(
			this,
			'externalReference',
			'External Reference',
			itemIndex,
		);
		const amount = Number(this.getNodeParameter('amount', itemIndex));
		if (!Number.isFinite(amount) || amount <= 0 || Math.round(amount * 100) / 100 !== amount) {
			throw new NodeOperationError(
				this.getNode(),
				`Amount ${String(this.getNodeParameter('amount', itemIndex))} is not a positive amount with at most 2 decimals on item ${itemIndex}`,
				{ itemIndex, description: 'Set Amount to the payment in pounds and pence, e.g. 120.50.' },
			);
		}
		const rawDate = String(this.getNodeParameter('date', itemIndex, '') ?? '').trim();
		const time = rawDate
			? Date.parse(rawDate.length === 10 ? `${rawDate}T00:00:00Z` : rawDate)
			: Date.now();
		if (Number.isNaN(time)) {
			throw new NodeOperationError(
				this.getNode(),
				`Date "${rawDate}" is not a date on item ${itemIndex}`,
				{
					itemIndex,
					description: 'Use YYYY-MM-DD, e.g. 2026-11-20, or leave it empty for today.',
				},
			);
		}
		const reference = String(this.getNodeParameter('reference', itemIndex, '') ?? '').trim();
		const outcome = await recordPaymentOnce.call(
			this,
			{
				invoiceId,
				amount,
				date: new Date(time).toISOString().slice(0, 10),
				externalReference,
				method: this.getNodeParameter('method', itemIndex, 'bank_transfer') as string,
				reference: reference || undefined,
			},
			itemIndex,
		);
		return { result: outcome.result, payment: { ...outcome.payment } };
	});
}
