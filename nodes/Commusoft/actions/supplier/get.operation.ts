import { getSupplier } from '../../transport/api';
import { getByIdOperation } from '../getById';

export const { description, execute } = getByIdOperation({
	resource: 'supplier',
	idParameter: 'supplierId',
	label: 'Supplier ID',
	description: 'The Commusoft supplier uuid',
	read: getSupplier,
});
