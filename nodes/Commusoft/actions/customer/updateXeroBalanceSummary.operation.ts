import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { parseNumber } from '../../../shared/parse';
import {
	balanceItemProblems,
	buildSummary,
	changedFields,
	decideSummaryAction,
	type CreditLimitBasis,
	type XeroBalanceItem,
} from '../../mapping/balanceSummary';
import type { CommusoftAccountingSummary } from '../../records';
import { unreadableRecordError } from '../../../shared/recordCheck';
import { putAccountingSummary } from '../../transport/api';
import { forEachItem, readUntilWritten, requiredString } from '../common';

const properties: INodeProperties[] = [
	{
		displayName:
			"Each input item is one customer's balances from Xero Accounting → Contact → Get Balances. The summary is written only when it changed.",
		name: 'balanceSummaryNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		required: true,
		default: '={{ $json.commusoftCustomerId }}',
		description:
			'The Commusoft customer uuid; Get Balances passes it on when its input came from Commusoft',
	},
	{
		displayName: 'Credit Limit',
		name: 'creditLimit',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description:
			'Customers owing more than this are flagged "on stop" so the office sees it before booking the next job. 0 turns the flag off.',
	},
	{
		displayName: 'Credit Limit Applies To',
		name: 'creditLimitBasis',
		type: 'options',
		options: [
			{
				name: 'Outstanding Balance',
				value: 'outstanding',
				description: 'Everything the customer owes',
			},
			{
				name: 'Overdue Balance',
				value: 'overdue',
				description: 'Only what is past its due date',
			},
		],
		default: 'outstanding',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['updateXeroBalanceSummary'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const asAt = new Date().toISOString();
	return await forEachItem(this, async (itemIndex) => {
		const json = items[itemIndex].json;
		if (json.xeroContactFound === false) {
			return {
				customerId: String(json.commusoftCustomerId ?? ''),
				action: 'skipped',
				reason: `No Xero contact has ContactNumber "${String(json.contactNumber ?? '')}"; nothing to show`,
			};
		}
		const problems = balanceItemProblems(json);
		if (problems.length)
			throw unreadableRecordError(this.getNode(), itemIndex, [
				{ label: `Item ${itemIndex}`, problems },
			]);
		const customerId = requiredString(this, 'customerId', 'Customer ID', itemIndex);
		const parsedLimit = parseNumber(this.getNodeParameter('creditLimit', itemIndex, 0), {
			min: 0,
			max: 1e12,
			example: '1000',
		});
		if (!parsedLimit.ok) {
			throw new NodeOperationError(
				this.getNode(),
				`Credit Limit ${parsedLimit.problem} on item ${itemIndex}`,
				{
					itemIndex,
					description: `Fix: ${parsedLimit.fix}. Set "Credit Limit" to an amount such as 1000, or 0 to turn "on stop" off.`,
				},
			);
		}
		const creditLimit = parsedLimit.value;
		const basis = this.getNodeParameter(
			'creditLimitBasis',
			itemIndex,
			'outstanding',
		) as CreditLimitBasis;

		const balance = json as unknown as XeroBalanceItem;
		const next = buildSummary(balance, { creditLimit, creditLimitBasis: basis }, asAt);
		const stored = await readUntilWritten(
			this,
			'getCustomerAccountingSummary',
			customerId,
			itemIndex,
		);
		const action = decideSummaryAction(stored, next, balance);
		if (action === 'unchanged') {
			return { customerId, action, onStop: next.onStop, summary: stored ?? null };
		}
		const written = await putAccountingSummary.call(
			this,
			customerId,
			next as unknown as CommusoftAccountingSummary,
			itemIndex,
		);
		return {
			customerId,
			action,
			changedFields: changedFields(stored, next),
			onStop: next.onStop,
			summary: written,
		};
	});
}
