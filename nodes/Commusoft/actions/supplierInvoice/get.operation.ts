import { getSupplierInvoice } from '../../transport/api';
import { getByIdOperation } from '../getById';

export const { description, execute } = getByIdOperation({
	resource: 'supplierInvoice',
	idParameter: 'supplierInvoiceId',
	label: 'Supplier Invoice ID',
	description: 'The Commusoft supplier invoice uuid',
	read: getSupplierInvoice,
});
