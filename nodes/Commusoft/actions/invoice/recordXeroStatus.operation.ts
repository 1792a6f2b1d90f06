import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { checkRecord, unreadableRecordError, type FieldRule } from '../../../shared/recordCheck';
import { commusoftApiRequest } from '../../transport';
import { forEachItem, readUntilWritten } from '../common';

const properties: INodeProperties[] = [
	{
		displayName:
			'Each input item is one Xero invoice status change (Xero Webhook Trigger → Invoice Status Changes, or Xero Payment Trigger watching Invoice Status Changes). Each change is written once, however often it arrives.',
		name: 'xeroStatusNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Invoice ID',
		name: 'invoiceId',
		type: 'string',
		required: true,
		default: '={{ $json.commusoftInvoiceId }}',
		description:
			'The Commusoft invoice uuid; the status change carries it when the Xero invoice links back to Commusoft',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['invoice'], operation: ['recordXeroStatus'] } },
	properties,
);

const SENT_BY = 'send the item from a Xero trigger set to Invoice Status Changes, unchanged';

/** The fields of XeroInvoiceStatusChange this operation reads (docs/ARCHITECTURE.md). */
const STATUS_CHANGE_FIELDS: readonly FieldRule[] = [
	{
		field: 'state',
		kind: 'text',
		required: true,
		oneOf: ['VOIDED', 'DELETED', 'PAID', 'CREDITED'],
		fix: SENT_BY,
	},
	{ field: 'changeKey', kind: 'text', required: true, fix: SENT_BY },
	{ field: 'invoiceId', kind: 'text', required: true, fix: SENT_BY },
	{ field: 'invoiceNumber', kind: 'text', fix: SENT_BY },
	{ field: 'xeroStatus', kind: 'text', required: true, fix: SENT_BY },
	{ field: 'note', kind: 'text', required: true, fix: SENT_BY },
	{ field: 'total', kind: 'number', required: true, fix: SENT_BY },
	{ field: 'amountPaid', kind: 'number', required: true, fix: SENT_BY },
	{ field: 'amountCredited', kind: 'number', required: true, fix: SENT_BY },
	{ field: 'updatedDateUtc', kind: 'xeroDate', required: true, fix: SENT_BY },
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	return await forEachItem(this, async (itemIndex) => {
		const json = items[itemIndex].json;
		if (typeof json.fetchError === 'string') {
			throw new NodeOperationError(
				this.getNode(),
				`Item ${itemIndex}: Xero invoice ${String(json.resourceId ?? '')} could not be read (${json.fetchError}), so its status is unknown`,
				{
					itemIndex,
					description:
						'Nothing was written. Fix: let the Xero Payment Trigger watching Invoice Status Changes pick the invoice up, or re-run this execution once Xero answers.',
				},
			);
		}
		const problems = checkRecord(json, STATUS_CHANGE_FIELDS);
		if (problems.length)
			throw unreadableRecordError(this.getNode(), itemIndex, [
				{ label: `Item ${itemIndex}`, problems },
			]);
		const invoiceId = String(this.getNodeParameter('invoiceId', itemIndex, '') ?? '').trim();
		if (!invoiceId) {
			throw new NodeOperationError(
				this.getNode(),
				`Invoice ID is empty on item ${itemIndex} (Xero invoice ${String(json.invoiceNumber ?? json.invoiceId)})`,
				{
					itemIndex,
					description:
						'The Xero invoice holds no link back to Commusoft (its Url), so the Commusoft invoice is unknown. Fix: send the invoice to Xero with Xero Accounting → Invoice → Create or Update from the Commusoft invoice (it sets the link), or set "Invoice ID".',
				},
			);
		}
		const changeKey = String(json.changeKey);
		const stored = await readUntilWritten(this, 'getInvoiceXeroStatus', invoiceId, itemIndex);
		const recordedKeys = Array.isArray(stored?.changeKeys) ? (stored.changeKeys as unknown[]) : [];
		const base = { commusoftInvoiceId: invoiceId, state: json.state, changeKey };
		if (recordedKeys.includes(changeKey)) {
			return { result: 'alreadyRecorded', ...base, xeroStatus: stored ?? null };
		}
		const response = await commusoftApiRequest.call(this, {
			endpoint: 'putInvoiceXeroStatus',
			id: invoiceId,
			body: {
				xeroInvoiceId: json.invoiceId,
				invoiceNumber: json.invoiceNumber,
				state: json.state,
				xeroStatus: json.xeroStatus,
				changeKey,
				changedAt: json.updatedDateUtc,
				total: json.total,
				amountPaid: json.amountPaid,
				amountCredited: json.amountCredited,
				note: json.note,
			} as IDataObject,
			itemIndex,
		});
		return {
			// A 200 after a retried attempt is this call's own earlier write, whose answer was lost.
			result: response.statusCode === 201 || response.attempts > 1 ? 'recorded' : 'alreadyRecorded',
			...base,
			xeroStatus: response.body as IDataObject,
		};
	});
}
