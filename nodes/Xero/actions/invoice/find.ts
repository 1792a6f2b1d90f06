import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';

import { UNIT_DP_QUERY } from '../../mapping/money';
import { XeroApiError, xeroApiRequest } from '../../transport';
import { requireGuid, requireText, whereString } from '../shared';

/** "Find by ID or number" fields shared by Get and Void. */
export function invoiceLookupProperties(action: string): INodeProperties[] {
	return [
		{
			displayName: 'Find By',
			name: 'lookupBy',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Invoice ID', value: 'id' },
				{ name: 'Invoice Number', value: 'number' },
			],
			default: 'number',
		},
		{
			displayName: 'Invoice ID',
			name: 'invoiceId',
			type: 'string',
			required: true,
			default: '',
			placeholder: '0a1b2c3d-1111-2222-3333-444455556666',
			description: `Xero InvoiceID of the invoice to ${action}`,
			displayOptions: { show: { lookupBy: ['id'] } },
		},
		{
			displayName: 'Invoice Number',
			name: 'invoiceNumber',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'CS-10042',
			description: `InvoiceNumber of the invoice to ${action} (exact match)`,
			displayOptions: { show: { lookupBy: ['number'] } },
		},
	];
}

/**
 * Reads one invoice (with line items, 4-dp unit amounts) by the item's "Find By" choice. Not found is a
 * per-item error naming what was searched for.
 */
export async function fetchInvoiceForItem(
	ctx: IExecuteFunctions,
	tenantId: string,
	itemIndex: number,
): Promise<IDataObject> {
	const lookupBy = ctx.getNodeParameter('lookupBy', itemIndex) as 'id' | 'number';
	if (lookupBy === 'id') {
		const invoiceId = requireGuid(
			ctx,
			ctx.getNodeParameter('invoiceId', itemIndex),
			'Invoice ID',
			itemIndex,
		);
		let body: IDataObject;
		try {
			body = await xeroApiRequest(ctx, {
				method: 'GET',
				path: `/Invoices/${encodeURIComponent(invoiceId)}`,
				tenantId,
				qs: { ...UNIT_DP_QUERY },
				itemIndex,
			});
		} catch (error) {
			if (error instanceof XeroApiError && error.statusCode === 404) {
				throw notFound(ctx, `ID ${invoiceId}`, itemIndex);
			}
			throw new NodeApiError(ctx.getNode(), error as JsonObject);
		}
		const invoice = (body.Invoices as IDataObject[] | undefined)?.[0];
		if (!invoice) throw notFound(ctx, `ID ${invoiceId}`, itemIndex);
		return invoice;
	}
	const invoiceNumber = requireText(
		ctx,
		ctx.getNodeParameter('invoiceNumber', itemIndex),
		'Invoice Number',
		itemIndex,
	);
	// InvoiceNumbers is comma-separated on the wire, so a number containing a comma goes through `where`.
	const qs: IDataObject = invoiceNumber.includes(',')
		? { where: `InvoiceNumber==${whereString(invoiceNumber)}` }
		: { InvoiceNumbers: invoiceNumber };
	const body = await xeroApiRequest(ctx, {
		method: 'GET',
		path: '/Invoices',
		tenantId,
		// page=1 makes Xero include line items (docs/xero-rules.md §3.6)
		qs: { ...qs, page: 1, ...UNIT_DP_QUERY },
		itemIndex,
	});
	const matches = ((body.Invoices as IDataObject[] | undefined) ?? []).filter(
		(invoice) => invoice.InvoiceNumber === invoiceNumber && invoice.Status !== 'DELETED',
	);
	if (matches.length === 0) throw notFound(ctx, `number "${invoiceNumber}"`, itemIndex);
	if (matches.length > 1) {
		// ACCPAY bills may share a number (docs/xero-rules.md §2.3); refuse to guess.
		throw new NodeOperationError(
			ctx.getNode(),
			`${matches.length} invoices have the number "${invoiceNumber}"`,
			{
				itemIndex,
				description: `Matching InvoiceIDs: ${matches.map((m) => String(m.InvoiceID)).join(', ')}. Use "Find By: Invoice ID".`,
			},
		);
	}
	return matches[0];
}

function notFound(ctx: IExecuteFunctions, what: string, itemIndex: number): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`No invoice with ${what} in this Xero organisation`,
		{
			itemIndex,
			description:
				'Check the value and the selected organisation. Deleted invoices are not returned by Xero.',
		},
	);
}
