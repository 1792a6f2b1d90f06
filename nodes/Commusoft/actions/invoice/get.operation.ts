import { getInvoice } from '../../transport/api';
import { getByIdOperation } from '../getById';

export const { description, execute } = getByIdOperation({
	resource: 'invoice',
	idParameter: 'invoiceId',
	label: 'Invoice ID',
	description: 'The Commusoft invoice uuid',
	read: getInvoice,
});
