import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { parseNumber, parseOptionalDate } from '../../../shared/parse';
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
		const amount = parseNumber(this.getNodeParameter('amount', itemIndex), {
			min: 0,
			exclusiveMin: true,
			max: 1e12,
			maxDecimals: 2,
			example: '120.50',
		});
		if (!amount.ok) {
			throw new NodeOperationError(
				this.getNode(),
				`Amount ${amount.problem} on item ${itemIndex}`,
				{
					itemIndex,
					description: `Fix: ${amount.fix}. Amount is the payment in pounds and pence, more than 0.`,
				},
			);
		}
		const date = parseOptionalDate(this.getNodeParameter('date', itemIndex, ''));
		if (!date.ok) {
			throw new NodeOperationError(this.getNode(), `Date ${date.problem} on item ${itemIndex}`, {
				itemIndex,
				description: `Fix: ${date.fix}, or leave it empty for today.`,
			});
		}
		const reference = String(this.getNodeParameter('reference', itemIndex, '') ?? '').trim();
		const outcome = await recordPaymentOnce.call(
			this,
			{
				invoiceId,
				amount: amount.value,
				date: date.value ?? new Date().toISOString().slice(0, 10),
				externalReference,
				method: this.getNodeParameter('method', itemIndex, 'bank_transfer') as string,
				reference: reference || undefined,
			},
			itemIndex,
		);
		return { result: outcome.result, payment: { ...outcome.payment } };
	});
}
