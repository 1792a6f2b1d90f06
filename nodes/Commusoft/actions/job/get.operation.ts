import { getJob } from '../../transport/api';
import { getByIdOperation } from '../getById';

export const { description, execute } = getByIdOperation({
	resource: 'job',
	idParameter: 'jobId',
	label: 'Job ID',
	description: 'The Commusoft job uuid (an invoice carries it as jobId)',
	read: getJob,
});
