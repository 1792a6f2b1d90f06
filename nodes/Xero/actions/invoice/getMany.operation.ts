import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { UNIT_DP_QUERY } from '../../mapping/money';
import { commaList, getManyExecute, getManyProperties, type GetManyQuery } from '../getMany.shared';

const properties = getManyProperties(
	[
		{
			displayName: 'Created By This App Only',
			name: 'createdByMyApp',
			type: 'boolean',
			default: false,
			description: 'Whether to return only invoices created through this Xero app',
		},
		{
			displayName: 'Date From',
			name: 'dateFrom',
			type: 'dateTime',
			default: '',
			description: 'Invoice date on or after this day',
		},
		{
			displayName: 'Date To',
			name: 'dateTo',
			type: 'dateTime',
			default: '',
			description: 'Invoice date on or before this day',
		},
		{
			displayName: 'Invoice Numbers',
			name: 'invoiceNumbers',
			type: 'string',
			default: '',
			description: 'Comma-separated InvoiceNumbers',
		},
		{
			displayName: 'Modified Since',
			name: 'modifiedSince',
			type: 'dateTime',
			default: '',
			description:
				'Only invoices created or changed since then (sent as the If-Modified-Since header)',
		},
		{
			displayName: 'Search Term',
			name: 'searchTerm',
			type: 'string',
			default: '',
			description: 'Case-insensitive search over InvoiceNumber and Reference',
		},
		{
			displayName: 'Statuses',
			name: 'statuses',
			type: 'multiOptions',
			options: [
				{ name: 'Authorised', value: 'AUTHORISED' },
				{ name: 'Deleted', value: 'DELETED' },
				{ name: 'Draft', value: 'DRAFT' },
				{ name: 'Paid', value: 'PAID' },
				{ name: 'Submitted', value: 'SUBMITTED' },
				{ name: 'Voided', value: 'VOIDED' },
			],
			default: [],
		},
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			options: [
				{ name: 'Any', value: '' },
				{ name: 'Sales Invoice (ACCREC)', value: 'ACCREC' },
				{ name: 'Bill (ACCPAY)', value: 'ACCPAY' },
			],
			default: '',
		},
		{
			displayName: 'Where',
			name: 'where',
			type: 'string',
			default: '',
			placeholder: 'AmountDue > 0',
			description:
				'Raw Xero filter, ANDed with the filters above. Prefer optimised fields (Status, Contact.ContactID, Reference, Date, Type, AmountDue, DueDate).',
		},
	],
	{
		order: 'Xero order expression; optimised: InvoiceID, UpdatedDateUTC, Date',
		pageSize: 'Invoices per Xero call (up to 1000); larger pages mean fewer calls',
		summaryOnly: 'Whether to return lightweight records without line items',
	},
);

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['getMany'] } },
	properties,
);

/** `DateTime(2024,01,31)` for a Xero where clause, from an n8n date/time value. */
export function xeroDateTime(value: string): string | undefined {
	const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value.trim());
	if (!match) return undefined;
	return `DateTime(${match[1]},${match[2]},${match[3]})`;
}

const invoicesQuery: GetManyQuery = (filters, options, ctx, itemIndex) => {
	// Built fresh for every item: nothing leaks between items (n8n's built-in Xero node let one item's filters reach the next).
	const qs: IDataObject = { ...UNIT_DP_QUERY };
	const where: string[] = [];
	if (filters.type) where.push(`Type=="${String(filters.type)}"`);
	for (const [field, op] of [
		['dateFrom', '>='],
		['dateTo', '<='],
	] as const) {
		if (!filters[field]) continue;
		const date = xeroDateTime(String(filters[field]));
		if (!date) {
			throw new NodeOperationError(ctx.getNode(), `Filter "${field}" is not a date`, {
				itemIndex,
				description: `Item ${itemIndex} has "${String(filters[field])}"; use YYYY-MM-DD or an ISO date-time.`,
			});
		}
		where.push(`Date ${op} ${date}`);
	}
	if (typeof filters.where === 'string' && filters.where.trim())
		where.push(`(${filters.where.trim()})`);
	if (where.length) qs.where = where.join(' AND ');
	const statuses = filters.statuses as string[] | undefined;
	if (statuses?.length) qs.Statuses = statuses.join(',');
	const contactIds = commaList(filters.contactIds);
	if (contactIds) qs.ContactIDs = contactIds;
	const invoiceNumbers = commaList(filters.invoiceNumbers);
	if (invoiceNumbers) qs.InvoiceNumbers = invoiceNumbers;
	if (filters.searchTerm) qs.searchTerm = String(filters.searchTerm);
	if (filters.createdByMyApp === true) qs.createdByMyApp = true;
	if (options.summaryOnly === true) qs.summaryOnly = true;
	qs.order = String(options.order ?? 'UpdatedDateUTC ASC');
	return qs;
};

export const execute = getManyExecute({
	path: '/Invoices',
	collectionKey: 'Invoices',
	query: invoicesQuery,
});
