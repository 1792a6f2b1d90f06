import { getCreditNote } from '../../transport/api';
import { getByIdOperation } from '../getById';

export const { description, execute } = getByIdOperation({
	resource: 'creditNote',
	idParameter: 'creditNoteId',
	label: 'Credit Note ID',
	description: 'The Commusoft credit note uuid',
	read: getCreditNote,
});
