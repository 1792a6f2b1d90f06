import { listSuppliers } from '../../transport/api';
import { getManyOperation, modifiedSinceFilter } from '../common';

export const { description, execute } = getManyOperation(
	'supplier',
	[
		{
			displayName: 'Account Reference',
			name: 'accountReference',
			type: 'string',
			default: '',
			description: 'Commusoft supplier reference, e.g. SUP-00003',
		},
		{
			displayName: 'Include Deleted',
			name: 'includeDeleted',
			type: 'boolean',
			default: false,
			description: 'Whether to include soft-deleted suppliers',
		},
		modifiedSinceFilter('suppliers'),
	],
	async function (options, filters) {
		return await listSuppliers.call(this, {
			...options,
			accountReference: (filters.accountReference as string) || undefined,
			includeDeleted: filters.includeDeleted === true,
		});
	},
);
