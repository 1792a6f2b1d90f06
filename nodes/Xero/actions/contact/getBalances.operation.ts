import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { isGuid } from '../../../shared/guid';
import { parseOptionalDate } from '../../../shared/parse';
import { shown } from '../../../shared/recordCheck';
import { groupBy, readEachItem } from '../../../shared/runner';
import { forEachBatch, resolveTenantId } from '../shared';
import {
	balancesForTenant,
	BY_CONTACT_MAX,
	text,
	type BalanceSettings,
	type ItemRequest,
} from './balanceReads';

const properties: INodeProperties[] = [
	{
		displayName: 'Contact ID',
		name: 'balanceContactId',
		type: 'string',
		default: '={{ $json.xeroContactId || $json.ContactID || "" }}',
		description:
			"Xero ContactID of the item. The default reads a Commusoft customer's stored Xero link or a Xero contact's ContactID.",
	},
	{
		displayName: 'Contact Number',
		name: 'balanceContactNumber',
		type: 'string',
		default: '={{ $json.accountReference || $json.ContactNumber || "" }}',
		description:
			'Used when the item has no Contact ID: the Xero ContactNumber (the Commusoft customer reference)',
	},
	{
		displayName: 'Options',
		name: 'balanceOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'As At',
				name: 'asAt',
				type: 'dateTime',
				default: '',
				description:
					'The day balances are computed for; invoices due before it are overdue (default: today, UTC)',
			},
			{
				displayName: 'Base Currency',
				name: 'baseCurrency',
				type: 'string',
				default: 'GBP',
				description:
					"The organisation's base currency; foreign-currency amounts are converted with each document's rate",
			},
			{
				displayName: 'Include Unallocated Credit Notes',
				name: 'includeCreditNotes',
				type: 'boolean',
				default: false,
				description:
					'Whether to read sales credit notes (one more paged call) and report their remaining credit as unallocatedCredit',
			},
			{
				displayName: 'Invoice Read',
				name: 'invoiceRead',
				type: 'options',
				options: [
					{
						name: 'Automatic',
						value: 'auto',
						description: `By contact IDs for up to ${BY_CONTACT_MAX} contacts, else every open sales invoice`,
					},
					{
						name: 'By Contact IDs',
						value: 'byContact',
						description: 'ContactIDs in batches of about 40 (one call each)',
					},
					{
						name: 'All Open Sales Invoices',
						value: 'allOpen',
						description: 'One paged read of every open sales invoice in the organisation',
					},
				],
				default: 'auto',
			},
			{
				displayName: 'Last Payment Lookback (Days)',
				name: 'paymentLookbackDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 365,
				description:
					'How far back to look for the last payment (one paged read of customer payments); 0 skips it',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 1000,
				description: 'Records per Xero call (up to 1000)',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['getBalances'] } },
	properties,
);

/**
 * A "Contact ID" / "Contact Number" value of one item: text or a number; anything else (an object, a list, true)
 * fails the item naming the field, instead of being read as empty and the other field used in silence.
 */
function contactField(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	if (
		value === undefined ||
		value === null ||
		typeof value === 'string' ||
		typeof value === 'number'
	)
		return text(value);
	throw new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: "${label}" must be text, not ${shown(value)}`,
		{
			itemIndex,
			description: `Give "${label}" as text (map the field itself, e.g. {{ $json.xeroContactId }}, not the object around it), or leave it empty.`,
		},
	);
}

function todayOf(ctx: IExecuteFunctions, value: unknown): string {
	const day = parseOptionalDate(value);
	if (!day.ok) {
		throw new NodeOperationError(ctx.getNode(), `Option "As At" ${day.problem}`, {
			description: `Fix: ${day.fix}, or leave it empty for today.`,
		});
	}
	return day.value ?? new Date().toISOString().slice(0, 10);
}

/** What item `itemIndex` asks for: its organisation and its contact (by ID or number). */
async function readRequest(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	itemIndex: number,
): Promise<ItemRequest> {
	const tenantId = await resolveTenantId(ctx, itemIndex);
	const contactId = contactField(ctx, 'balanceContactId', 'Contact ID', itemIndex);
	const contactNumber = contactField(ctx, 'balanceContactNumber', 'Contact Number', itemIndex);
	if (contactId && !isGuid(contactId)) {
		throw new NodeOperationError(ctx.getNode(), `"Contact ID" must be a Xero ContactID`, {
			itemIndex,
			description: `Item ${itemIndex} has "${contactId}". Xero ContactIDs look like 0a1b2c3d-1111-2222-3333-444455556666; leave it empty to find the contact by "Contact Number".`,
		});
	}
	if (!contactId && !contactNumber) {
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex} names no Xero contact`, {
			itemIndex,
			description:
				'Give "Contact ID" (a Commusoft customer\'s xeroContactId) or "Contact Number" (its accountReference, the Xero ContactNumber).',
		});
	}
	const json = items[itemIndex].json;
	const isCommusoftCustomer = typeof json.accountReference === 'string' && json.id !== undefined;
	return {
		itemIndex,
		tenantId,
		contactId: contactId || undefined,
		contactNumber: contactNumber || undefined,
		commusoftCustomerId: isCommusoftCustomer ? String(json.id) : undefined,
	};
}

/**
 * Receivable balances for every item's contact in a handful of calls per organisation: contacts by number
 * (only for items without a ContactID), open sales invoices, recent customer payments and, optionally, credit
 * notes. Never one call per customer.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('balanceOptions', 0, {}) as IDataObject;
	const settings: BalanceSettings = {
		asAt: todayOf(this, options.asAt),
		baseCurrency: text(options.baseCurrency).toUpperCase() || 'GBP',
		pageSize: Number(options.pageSize ?? 1000),
		lookbackDays: Number(options.paymentLookbackDays ?? 365),
		invoiceRead: String(options.invoiceRead ?? 'auto'),
		includeCreditNotes: options.includeCreditNotes === true,
	};

	return await forEachBatch(this, items, async (outcomes) => {
		// 1. What each item asks for; bad input fails only its item.
		const requests = await readEachItem(outcomes, items.length, async (itemIndex) =>
			readRequest(this, items, itemIndex),
		);
		outcomes.checkpoint();
		// 2. One set of reads per organisation; a failed read fails every item of that organisation (nothing
		// partial is reported).
		for (const [tenantId, group] of groupBy(
			requests.map(({ value }) => value),
			(request) => request.tenantId,
		)) {
			try {
				const balances = await balancesForTenant(this, tenantId, group, settings);
				for (const request of group) outcomes.add(request.itemIndex, balances(request));
			} catch (error) {
				outcomes.failAll(
					group.map((request) => request.itemIndex),
					error,
				);
				outcomes.checkpoint();
			}
		}
	});
}
