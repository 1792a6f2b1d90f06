import type { CommusoftSupplierInvoice } from '../../records';
import { listSupplierInvoices } from '../../transport/api';
import { documentStatusFilter, getManyOperation, modifiedSinceFilter } from '../common';

export const { description, execute } = getManyOperation(
	'supplierInvoice',
	[
		modifiedSinceFilter('supplier invoices'),
		documentStatusFilter(),
		{
			displayName: 'Supplier ID',
			name: 'supplierId',
			type: 'string',
			default: '',
			description: 'Only invoices from this Commusoft supplier uuid',
		},
	],
	async function (options, filters) {
		return await listSupplierInvoices.call(this, {
			...options,
			status: (filters.status as CommusoftSupplierInvoice['status']) || undefined,
			supplierId: (filters.supplierId as string) || undefined,
		});
	},
);
