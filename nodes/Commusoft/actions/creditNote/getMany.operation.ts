import type { CommusoftCreditNote } from '../../records';
import { listCreditNotes } from '../../transport/api';
import { documentStatusFilter, getManyOperation, modifiedSinceFilter } from '../common';

export const { description, execute } = getManyOperation(
	'creditNote',
	[
		{
			displayName: 'Credited Invoice ID',
			name: 'invoiceId',
			type: 'string',
			default: '',
			description: 'Only credit notes that credit this Commusoft invoice uuid',
		},
		{
			displayName: 'Customer ID',
			name: 'customerId',
			type: 'string',
			default: '',
			description: 'Only credit notes raised against this Commusoft customer uuid',
		},
		modifiedSinceFilter('credit notes'),
		documentStatusFilter(),
	],
	async function (options, filters) {
		return await listCreditNotes.call(this, {
			...options,
			status: (filters.status as CommusoftCreditNote['status']) || undefined,
			customerId: (filters.customerId as string) || undefined,
			invoiceId: (filters.invoiceId as string) || undefined,
		});
	},
);
