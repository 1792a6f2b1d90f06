import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { unreadableRecordError } from '../../../shared/recordCheck';
import {
	auditCommusoftAgainstXero,
	readAuditInput,
	renderAuditText,
	type AuditXeroInvoice,
} from '../../mapping/audit';
import { xeroGetAllPages } from '../../transport';
import { onceForAll, resolveTenantId, whereString } from '../shared';

const show = { resource: ['report'], operation: ['audit'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Commusoft Invoices',
		name: 'commusoftInvoices',
		type: 'json',
		default: "={{ $('Commusoft Invoices').all().map(item => item.json) }}",
		description:
			'The Commusoft invoices to check, as a list (the output of Commusoft → Invoice → Get Many). The default reads every item of a node called "Commusoft Invoices".',
		displayOptions: { show },
	},
	{
		displayName: 'Commusoft Payments',
		name: 'commusoftPayments',
		type: 'json',
		default: "={{ $('Commusoft Payments').all().map(item => item.json) }}",
		description:
			'The Commusoft payments to check, as a list (the output of Commusoft → Payment → Get Many). Payments imported from Xero carry the Xero PaymentID as their external reference.',
		displayOptions: { show },
	},
	{
		displayName: 'Invoice Number Prefix',
		name: 'invoiceNumberPrefix',
		type: 'string',
		default: 'CS-',
		description:
			'Xero sales invoices whose number starts with this came from Commusoft; only those can be "missing in Commusoft". Empty = every sales invoice.',
		displayOptions: { show },
	},
];

/** The list parameter as given: every entry is checked by the audit, none is dropped here. */
function readList(ctx: IExecuteFunctions, name: string, label: string): unknown[] {
	let value = ctx.getNodeParameter(name, 0, []) as unknown;
	if (typeof value === 'string') {
		try {
			value = value.trim() ? JSON.parse(value) : [];
		} catch {
			value = undefined;
		}
	}
	if (!Array.isArray(value)) {
		throw new NodeOperationError(ctx.getNode(), `"${label}" must be a list of records`, {
			itemIndex: 0,
			description: `Give an expression returning an array, e.g. {{ $('${label}').all().map(item => item.json) }}.`,
		});
	}
	return value;
}

/**
 * Runs once per execution: reads the Commusoft lists from its parameters, refuses any record it cannot read
 * (naming the list entry, the field and the fix: a check it skipped would look like a clean audit), then
 * Xero's sales invoices (one paged GET /Invoices, payments included) and reports every difference as one item.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await onceForAll(this, items, async () => {
		const input = readAuditInput(
			readList(this, 'commusoftInvoices', 'Commusoft Invoices'),
			readList(this, 'commusoftPayments', 'Commusoft Payments'),
		);
		if ('unreadable' in input)
			throw unreadableRecordError(
				this.getNode(),
				0,
				input.unreadable,
				'Nothing was compared: the audit runs only on records it can read in full.',
			);
		const tenantId = await resolveTenantId(this, 0);
		const prefix = String(this.getNodeParameter('invoiceNumberPrefix', 0, '') ?? '').trim();
		const where = ['Type=="ACCREC"'];
		if (prefix) where.push(`InvoiceNumber.StartsWith(${whereString(prefix)})`);
		const xeroInvoices = await xeroGetAllPages(this, {
			path: '/Invoices',
			tenantId,
			collectionKey: 'Invoices',
			// Not summaryOnly: Xero documents it as leaving out computed fields, and the audit needs Payments.
			qs: { where: where.join(' AND ') },
			pageSize: 1000,
			itemIndex: 0,
		});
		const report = auditCommusoftAgainstXero(
			input.invoices,
			input.payments,
			xeroInvoices as unknown as AuditXeroInvoice[],
			{ invoiceNumberPrefix: prefix },
		);
		return {
			tenantId,
			ok: report.findings.length === 0,
			...report,
			text: renderAuditText(report),
		} as unknown as IDataObject;
	});
}
