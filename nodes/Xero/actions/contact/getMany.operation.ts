import { updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { commaList, getManyExecute, getManyProperties } from '../getMany.shared';

const properties = getManyProperties(
	[
		{
			displayName: 'Include Archived',
			name: 'includeArchived',
			type: 'boolean',
			default: false,
			description: 'Whether to include archived contacts',
		},
		{
			displayName: 'Modified Since',
			name: 'modifiedSince',
			type: 'dateTime',
			default: '',
			description: 'Only contacts created or changed since then (If-Modified-Since)',
		},
		{
			displayName: 'Search Term',
			name: 'searchTerm',
			type: 'string',
			default: '',
			description:
				'Case-insensitive search over Name, FirstName, LastName, ContactNumber and EmailAddress',
		},
		{
			displayName: 'Where',
			name: 'where',
			type: 'string',
			default: '',
			placeholder: 'ContactStatus=="ACTIVE"',
			description: 'Raw Xero filter',
		},
	],
	{
		order: 'Xero order expression; optimised: ContactID, UpdatedDateUTC, Name',
		pageSize: 'Contacts per Xero call (up to 1000)',
		summaryOnly: 'Whether to return lightweight records',
	},
);

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['getMany'] } },
	properties,
);

function contactsQuery(filters: IDataObject, options: IDataObject): IDataObject {
	const qs: IDataObject = { order: String(options.order ?? 'UpdatedDateUTC ASC') };
	if (typeof filters.where === 'string' && filters.where.trim()) qs.where = filters.where.trim();
	const ids = commaList(filters.contactIds);
	if (ids) qs.IDs = ids;
	if (filters.searchTerm) qs.searchTerm = String(filters.searchTerm);
	if (filters.includeArchived === true) qs.includeArchived = true;
	if (options.summaryOnly === true) qs.summaryOnly = true;
	return qs;
}

export const execute = getManyExecute({
	path: '/Contacts',
	collectionKey: 'Contacts',
	query: contactsQuery,
});
