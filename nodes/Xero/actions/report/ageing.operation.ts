import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { parseOptionalDate } from '../../../shared/parse';
import { unreadableRecordError } from '../../../shared/recordCheck';
import {
	readAgeingInvoices,
	renderAgeingHtml,
	renderAgeingText,
	summariseAgeing,
} from '../../mapping/ageing';
import { xeroGetAllPages } from '../../transport';
import { onceForAll, resolveTenantId } from '../shared';

const show = { resource: ['report'], operation: ['ageing'] };

export const description: INodeProperties[] = [
	{
		displayName: 'As Of Date',
		name: 'asOf',
		type: 'string',
		default: '',
		placeholder: 'YYYY-MM-DD',
		description: "Day the ages are counted to; empty means today in the workflow's time zone",
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'ageingOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Include Invoices',
				name: 'includeInvoices',
				type: 'boolean',
				default: false,
				description: 'Whether to list every open invoice with its age in the output',
			},
			{
				displayName: 'Title',
				name: 'title',
				type: 'string',
				default: 'Debtors ageing',
				description: 'Heading of the HTML digest',
			},
			{
				displayName: 'Top Customers',
				name: 'topCustomers',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description: 'How many customers the HTML table lists (all are in the JSON output)',
			},
		],
	},
];

/**
 * Runs once per execution (whatever the input count): one paged GET /Invoices for authorised sales invoices
 * with money due, then the pure summary and the HTML digest. An invoice it cannot read fails the report.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await onceForAll(this, items, async () => await report.call(this));
}

async function report(this: IExecuteFunctions): Promise<IDataObject> {
	const tenantId = await resolveTenantId(this, 0);
	const asOfParam: unknown = this.getNodeParameter('asOf', 0, '');
	const options = this.getNodeParameter('ageingOptions', 0, {}) as IDataObject;
	const parsedAsOf = parseOptionalDate(asOfParam);
	if (!parsedAsOf.ok) {
		throw new NodeOperationError(this.getNode(), `"As Of Date" ${parsedAsOf.problem}`, {
			itemIndex: 0,
			description: `Fix: ${parsedAsOf.fix}, or leave it empty for today. An ISO date-time is read as its date.`,
		});
	}
	const asOf = parsedAsOf.value ?? todayIn(this.getTimezone());
	const invoices = await xeroGetAllPages(this, {
		path: '/Invoices',
		tenantId,
		collectionKey: 'Invoices',
		qs: {
			Statuses: 'AUTHORISED',
			where: 'Type=="ACCREC" AND AmountDue>0',
			summaryOnly: true,
			order: 'DueDate ASC',
		},
		pageSize: 1000,
		itemIndex: 0,
	});
	const read = readAgeingInvoices(invoices);
	if ('unreadable' in read) throw unreadableRecordError(this.getNode(), 0, read.unreadable);
	const summary = summariseAgeing(read.invoices, asOf);
	const html = renderAgeingHtml(summary, {
		title: options.title ? String(options.title) : undefined,
		topCustomers: options.topCustomers ? Number(options.topCustomers) : undefined,
	});
	const currencies = summary.currencies.map((block) =>
		options.includeInvoices ? block : { ...block, invoices: undefined },
	);
	return {
		asOf: summary.asOf,
		tenantId,
		currencies,
		skipped: summary.skipped,
		text: renderAgeingText(summary),
		html,
	} as unknown as IDataObject;
}

function todayIn(timeZone: string): string {
	// en-CA formats as YYYY-MM-DD
	return new Intl.DateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
	}).format(new Date());
}
