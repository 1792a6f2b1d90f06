import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { parseOptionalDate } from '../../../shared/parse';
import {
	computeBalances,
	customerPaymentsWhere,
	emptyBalance,
	OPEN_CREDIT_NOTES_WHERE,
	OPEN_RECEIVABLES_WHERE,
	unreadableSources,
} from '../../mapping/balances';
import { shown, unreadableRecordError } from '../../../shared/recordCheck';
import { chunkForUrl, LOOKUP_URL_BUDGET, whereAnyEquals } from '../../mapping/lookup';
import { isXeroStopError, xeroGetAllPages } from '../../transport';
import { errorItemJson, resolveTenantId, withItemIndex } from '../shared';
import { isGuid } from '../../../shared/guid';

/** Up to this many linked contacts, invoices are read by ContactIDs (≤2 calls); above, one org-wide read. */
const BY_CONTACT_MAX = 80;

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

interface ItemRequest {
	itemIndex: number;
	tenantId: string;
	contactId?: string;
	contactNumber?: string;
	commusoftCustomerId?: string;
}

function text(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

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

function daysBefore(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
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
	const asAt = todayOf(this, options.asAt);
	const baseCurrency = text(options.baseCurrency).toUpperCase() || 'GBP';
	const pageSize = Number(options.pageSize ?? 1000);
	const lookbackDays = Number(options.paymentLookbackDays ?? 365);
	const invoiceRead = String(options.invoiceRead ?? 'auto');

	const output: Array<INodeExecutionData | undefined> = new Array(items.length);
	const fail = (itemIndex: number, error: unknown) => {
		if (this.continueOnFail() && !isXeroStopError(error)) {
			output[itemIndex] = { json: errorItemJson(error), pairedItem: { item: itemIndex } };
			return;
		}
		throw withItemIndex(this, error, itemIndex);
	};

	// 1. What each item asks for; bad input fails only its item.
	const requests: ItemRequest[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const tenantId = await resolveTenantId(this, itemIndex);
			const contactId = contactField(this, 'balanceContactId', 'Contact ID', itemIndex);
			const contactNumber = contactField(this, 'balanceContactNumber', 'Contact Number', itemIndex);
			if (contactId && !isGuid(contactId)) {
				throw new NodeOperationError(this.getNode(), `"Contact ID" must be a Xero ContactID`, {
					itemIndex,
					description: `Item ${itemIndex} has "${contactId}". Xero ContactIDs look like 0a1b2c3d-1111-2222-3333-444455556666; leave it empty to find the contact by "Contact Number".`,
				});
			}
			if (!contactId && !contactNumber) {
				throw new NodeOperationError(this.getNode(), `Item ${itemIndex} names no Xero contact`, {
					itemIndex,
					description:
						'Give "Contact ID" (a Commusoft customer\'s xeroContactId) or "Contact Number" (its accountReference, the Xero ContactNumber).',
				});
			}
			const json = items[itemIndex].json;
			const isCommusoftCustomer =
				typeof json.accountReference === 'string' && json.id !== undefined;
			requests.push({
				itemIndex,
				tenantId,
				contactId: contactId || undefined,
				contactNumber: contactNumber || undefined,
				commusoftCustomerId: isCommusoftCustomer ? String(json.id) : undefined,
			});
		} catch (error) {
			fail(itemIndex, error);
		}
	}

	// 2. One set of reads per organisation.
	const byTenant = new Map<string, ItemRequest[]>();
	for (const request of requests) {
		const list = byTenant.get(request.tenantId) ?? [];
		list.push(request);
		byTenant.set(request.tenantId, list);
	}
	for (const [tenantId, group] of byTenant) {
		const firstItem = group[0].itemIndex;
		try {
			const names = new Map<string, { id: string; name?: string; number?: string }>();
			const numbersToFind = group.filter((r) => !r.contactId).map((r) => r.contactNumber!);
			const clauses = numbersToFind.map((n) => whereAnyEquals([['ContactNumber', n]]));
			// cut by the encoded length each clause adds to the URL (docs/xero-rules.md §3.6: long URLs fail)
			const chunks = chunkForUrl(clauses, LOOKUP_URL_BUDGET, 60, (clause) =>
				encodeURIComponent(` OR ${clause}`),
			);
			// many numbers: one paged read of every contact (1 call per 1,000) beats many filtered calls
			const readAll = chunks.length > 2;
			for (const chunk of readAll ? [[]] : chunks) {
				const contacts = await xeroGetAllPages(this, {
					path: '/Contacts',
					tenantId,
					collectionKey: 'Contacts',
					qs: {
						...(readAll ? {} : { where: chunk.join(' OR ') }),
						summaryOnly: true,
						includeArchived: true,
					},
					pageSize,
					itemIndex: firstItem,
				});
				for (const contact of contacts) {
					const number = text(contact.ContactNumber);
					if (number && !names.has(`#${number}`)) {
						names.set(`#${number}`, {
							id: String(contact.ContactID),
							name: text(contact.Name),
							number,
						});
					}
				}
			}
			for (const request of group) {
				if (!request.contactId) request.contactId = names.get(`#${request.contactNumber}`)?.id;
			}
			const contactIds = [
				...new Set(group.filter((r) => r.contactId).map((r) => r.contactId!.toLowerCase())),
			];

			// no summaryOnly here: which totals Xero's lightweight invoices keep is not documented (§3.6)
			let invoices: IDataObject[] = [];
			const byContact =
				invoiceRead === 'byContact' ||
				(invoiceRead === 'auto' && contactIds.length <= BY_CONTACT_MAX);
			if (contactIds.length && byContact) {
				for (const ids of chunkForUrl(contactIds)) {
					invoices.push(
						...(await xeroGetAllPages(this, {
							path: '/Invoices',
							tenantId,
							collectionKey: 'Invoices',
							qs: {
								ContactIDs: ids.join(','),
								Statuses: 'AUTHORISED',
								where: OPEN_RECEIVABLES_WHERE,
							},
							pageSize,
							itemIndex: firstItem,
						})),
					);
				}
			} else if (contactIds.length) {
				invoices = await xeroGetAllPages(this, {
					path: '/Invoices',
					tenantId,
					collectionKey: 'Invoices',
					qs: { Statuses: 'AUTHORISED', where: OPEN_RECEIVABLES_WHERE },
					pageSize,
					itemIndex: firstItem,
				});
			}

			const payments =
				contactIds.length && lookbackDays > 0
					? await xeroGetAllPages(this, {
							path: '/Payments',
							tenantId,
							collectionKey: 'Payments',
							qs: { where: customerPaymentsWhere(daysBefore(asAt, lookbackDays)) },
							pageSize,
							itemIndex: firstItem,
						})
					: [];
			const creditNotes =
				contactIds.length && options.includeCreditNotes === true
					? await xeroGetAllPages(this, {
							path: '/CreditNotes',
							tenantId,
							collectionKey: 'CreditNotes',
							qs: { where: OPEN_CREDIT_NOTES_WHERE },
							pageSize,
							itemIndex: firstItem,
						})
					: [];

			const sources = { invoices, payments, creditNotes };
			const unreadable = unreadableSources(sources);
			if (unreadable.length) throw unreadableRecordError(this.getNode(), firstItem, unreadable);
			const balances = computeBalances(contactIds, sources, { asAt, baseCurrency });
			for (const request of group) {
				const balance = request.contactId
					? balances.get(request.contactId.toLowerCase())
					: undefined;
				output[request.itemIndex] = {
					json: {
						...(balance ?? emptyBalance('', asAt, baseCurrency)),
						xeroContactFound: balance !== undefined,
						contactId: request.contactId ?? null,
						contactNumber: request.contactNumber ?? null,
						...(request.commusoftCustomerId
							? { commusoftCustomerId: request.commusoftCustomerId }
							: {}),
						tenantId,
					} as unknown as IDataObject,
					pairedItem: { item: request.itemIndex },
				};
			}
		} catch (error) {
			// a failed read fails every item of that organisation (nothing partial is reported)
			for (const request of group) fail(request.itemIndex, error);
		}
	}
	return output.filter((item): item is INodeExecutionData => item !== undefined);
}
