import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { listPayments } from '../../transport/api';
import {
	forEachItem,
	getManyDescription,
	modifiedSinceFilter,
	readListParameters,
} from '../common';

export const description = getManyDescription('payment', [
	{
		displayName: 'External Reference',
		name: 'externalReference',
		type: 'string',
		default: '',
		description: 'A Xero PaymentID, for example',
	},
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		default: '',
		description: 'Only payments against this Commusoft invoice uuid',
	},
	modifiedSinceFilter('payments'),
]);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const { filters, limit, modifiedSince } = readListParameters(this, itemIndex);
		const payments = await listPayments.call(this, {
			limit,
			modifiedSince,
			invoiceId: (filters.invoiceId as string) || undefined,
			externalReference: (filters.externalReference as string) || undefined,
			itemIndex,
		});
		return payments.map((payment) => ({ ...payment }));
	});
}
