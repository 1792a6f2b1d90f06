import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { returnAllOrLimit, returnAllProperties } from '../../../shared/returnAll';
import { commusoftRuleProperties, noLoopNotice } from '../../paymentTrigger/description';
import type { CommusoftRuleKind } from '../../paymentTrigger/mapping';
import {
	getPaymentsPage,
	PAYMENTS_PAGE_SIZE,
	paymentReadSettings,
	paymentsToRecords,
} from '../../paymentTrigger/payments';
import type { XeroPaymentRecord } from '../../records';
import { forEachItem, ifModifiedSinceFilter, resolveTenantId } from '../shared';

const properties: INodeProperties[] = [
	noLoopNotice,
	{
		displayName: 'Modified Since',
		name: 'modifiedSince',
		type: 'dateTime',
		default: '',
		description:
			'Only payments added or deleted since then (sent as If-Modified-Since, like the Xero Payment Trigger), e.g. the expression $now.minus({ days: 3 }) for a nightly catch-up. Empty: every payment.',
	},
	...commusoftRuleProperties,
	...returnAllProperties,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Include Bill Payments',
				name: 'includeBillPayments',
				type: 'boolean',
				default: false,
				description:
					'Whether to return payments of supplier bills too (normally only sales invoices)',
			},
			{
				displayName: 'Include Deleted Payments',
				name: 'includeDeleted',
				type: 'boolean',
				default: false,
				description:
					'Whether to return payments deleted in Xero (status DELETED) too; leave off when the items go to Commusoft → Payment → Create',
			},
			{
				displayName: 'Where',
				name: 'where',
				type: 'string',
				default: '',
				placeholder: 'Reference=="BACS"',
				description: 'Raw Xero filter on payments, ANDed with the options above',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payment'], operation: ['getMany'] } },
	properties,
);

/**
 * The trigger's read without its position: GET /Payments changed since a date, oldest change first, page by
 * page, mapped to XeroPaymentRecord by the same code, until the limit of records is reached.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const tenantId = await resolveTenantId(this, itemIndex);
		const limit = returnAllOrLimit(this, itemIndex);
		const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const settings = paymentReadSettings({
			tenantId,
			rule: {
				kind: this.getNodeParameter(
					'commusoftRule',
					itemIndex,
					'invoiceNumberPrefix',
				) as CommusoftRuleKind,
				value: String(this.getNodeParameter('commusoftRuleValue', itemIndex, '') ?? ''),
			},
			onlyCommusoft: this.getNodeParameter('onlyCommusoftInvoices', itemIndex, true) as boolean,
			includeDeleted: options.includeDeleted === true,
			includeBillPayments: options.includeBillPayments === true,
		});
		if ('problem' in settings) {
			throw new NodeOperationError(this.getNode(), settings.problem, { itemIndex });
		}
		const ifModifiedSince = ifModifiedSinceFilter(
			this,
			this.getNodeParameter('modifiedSince', itemIndex, ''),
			itemIndex,
		);
		// Deleted payments are dropped by Xero rather than read and discarded (fewer pages).
		const where: string[] = [];
		if (!settings.recordOptions.includeDeleted) where.push('Status=="AUTHORISED"');
		if (typeof options.where === 'string' && options.where.trim())
			where.push(`(${options.where.trim()})`);

		const records: XeroPaymentRecord[] = [];
		for (let page = 1; limit === undefined || records.length < limit; page++) {
			const qs: IDataObject = { order: 'UpdatedDateUTC ASC', page, pageSize: PAYMENTS_PAGE_SIZE };
			if (where.length) qs.where = where.join(' AND ');
			const { payments, pageCount } = await getPaymentsPage(
				this,
				tenantId,
				qs,
				ifModifiedSince,
				itemIndex,
			);
			records.push(...(await paymentsToRecords(this, settings, payments, itemIndex)));
			if (payments.length < PAYMENTS_PAGE_SIZE) break;
			if (pageCount !== undefined && page >= pageCount) break;
		}
		return (limit === undefined ? records : records.slice(0, limit)) as unknown as IDataObject[];
	});
}
