import { getCustomer } from '../../transport/api';
import { getByIdOperation } from '../getById';

export const { description, execute } = getByIdOperation({
	resource: 'customer',
	idParameter: 'customerId',
	label: 'Customer ID',
	description: 'The Commusoft customer uuid',
	read: getCustomer,
});
