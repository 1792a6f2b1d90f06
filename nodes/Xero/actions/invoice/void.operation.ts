import { updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { XeroInvoiceVoidResult } from '../../records';
import { deriveIdempotencyKey, xeroApiRequest } from '../../transport';
import { forEachItem, resolveTenantId } from '../shared';
import { fetchInvoiceForItem, invoiceLookupProperties } from './find';

const properties: INodeProperties[] = [...invoiceLookupProperties('void')];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['void'] } },
	properties,
);

/**
 * Why an invoice cannot be voided, or undefined when it can (docs/xero-rules.md §3.5): only AUTHORISED invoices
 * with nothing paid or credited; drafts are deleted, not voided; paid ones need their payments removed.
 */
export function voidRefusal(invoice: IDataObject): string | undefined {
	const status = String(invoice.Status ?? '');
	const number = String(invoice.InvoiceNumber ?? invoice.InvoiceID ?? '');
	if (status === 'DRAFT' || status === 'SUBMITTED') {
		return `Invoice ${number} is ${status}: only approved (AUTHORISED) invoices can be voided; delete a draft instead`;
	}
	if (status === 'PAID') {
		return `Invoice ${number} is PAID: remove its payments in Xero first, or raise a credit note`;
	}
	if (status === 'DELETED') return `Invoice ${number} is DELETED`;
	if (status !== 'AUTHORISED') return `Invoice ${number} has status ${status || 'unknown'}`;
	const paid = Number(invoice.AmountPaid ?? 0);
	const credited = Number(invoice.AmountCredited ?? 0);
	const payments = Array.isArray(invoice.Payments) ? invoice.Payments.length : 0;
	if (paid > 0 || payments > 0) {
		return `Invoice ${number} is part-paid (${paid} paid): remove its payments in Xero first, or raise a credit note`;
	}
	if (credited > 0) {
		return `Invoice ${number} has ${credited} credited: remove the credit note allocation first`;
	}
	return undefined;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const tenantId = await resolveTenantId(this, itemIndex);
		const invoice = await fetchInvoiceForItem(this, tenantId, itemIndex);
		const base = {
			invoiceId: String(invoice.InvoiceID),
			invoiceNumber: invoice.InvoiceNumber as string | undefined,
			tenantId,
		};
		if (invoice.Status === 'VOIDED') {
			const result: XeroInvoiceVoidResult = {
				...base,
				action: 'alreadyVoided',
				status: 'VOIDED',
			};
			return result as unknown as IDataObject;
		}
		const refusal = voidRefusal(invoice);
		if (refusal) {
			const result: XeroInvoiceVoidResult = {
				...base,
				action: 'refused',
				status: String(invoice.Status ?? ''),
				reason: refusal,
			};
			return result as unknown as IDataObject;
		}
		const path = `/Invoices/${encodeURIComponent(base.invoiceId)}`;
		const body = { Invoices: [{ InvoiceID: base.invoiceId, Status: 'VOIDED' }] };
		const response = await xeroApiRequest(this, {
			method: 'POST',
			path,
			tenantId,
			body,
			idempotencyKey: deriveIdempotencyKey({ method: 'POST', path, tenantId, body }),
			itemIndex,
		});
		const updated = (response.Invoices as IDataObject[] | undefined)?.[0] ?? {};
		const result: XeroInvoiceVoidResult = {
			...base,
			action: 'voided',
			status: String(updated.Status ?? 'VOIDED'),
		};
		return result as unknown as IDataObject;
	});
}
