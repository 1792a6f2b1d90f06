// One organisation's reads for Contact → Get Balances: a handful of calls, never one per customer.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { unreadableRecordError } from '../../../shared/recordCheck';
import {
	computeBalances,
	customerPaymentsWhere,
	emptyBalance,
	OPEN_CREDIT_NOTES_WHERE,
	OPEN_RECEIVABLES_WHERE,
	unreadableSources,
} from '../../mapping/balances';
import { chunkForUrl, LOOKUP_URL_BUDGET, whereAnyEquals } from '../../mapping/lookup';
import { xeroGetAllPages } from '../../transport';

/** Up to this many linked contacts, invoices are read by ContactIDs (≤2 calls); above, one org-wide read. */
export const BY_CONTACT_MAX = 80;

function daysBefore(day: string, days: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

export interface BalanceSettings {
	asAt: string;
	baseCurrency: string;
	pageSize: number;
	lookbackDays: number;
	invoiceRead: string;
	includeCreditNotes: boolean;
}

/**
 * One organisation's reads (contacts by number, open invoices, recent payments, credit notes) and the balance
 * of each of its items' contacts.
 */
export async function balancesForTenant(
	ctx: IExecuteFunctions,
	tenantId: string,
	group: ItemRequest[],
	settings: BalanceSettings,
): Promise<(request: ItemRequest) => IDataObject> {
	const { asAt, baseCurrency, pageSize, lookbackDays, invoiceRead } = settings;
	const firstItem = group[0].itemIndex;
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
		const contacts = await xeroGetAllPages(ctx, {
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
		invoiceRead === 'byContact' || (invoiceRead === 'auto' && contactIds.length <= BY_CONTACT_MAX);
	if (contactIds.length && byContact) {
		for (const ids of chunkForUrl(contactIds)) {
			invoices.push(
				...(await xeroGetAllPages(ctx, {
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
		invoices = await xeroGetAllPages(ctx, {
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
			? await xeroGetAllPages(ctx, {
					path: '/Payments',
					tenantId,
					collectionKey: 'Payments',
					qs: { where: customerPaymentsWhere(daysBefore(asAt, lookbackDays)) },
					pageSize,
					itemIndex: firstItem,
				})
			: [];
	const creditNotes =
		contactIds.length && settings.includeCreditNotes
			? await xeroGetAllPages(ctx, {
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
	if (unreadable.length) throw unreadableRecordError(ctx.getNode(), firstItem, unreadable);
	const balances = computeBalances(contactIds, sources, { asAt, baseCurrency });
	return (request) => {
		const balance = request.contactId ? balances.get(request.contactId.toLowerCase()) : undefined;
		return {
			...(balance ?? emptyBalance('', asAt, baseCurrency)),
			xeroContactFound: balance !== undefined,
			contactId: request.contactId ?? null,
			contactNumber: request.contactNumber ?? null,
			...(request.commusoftCustomerId ? { commusoftCustomerId: request.commusoftCustomerId } : {}),
			tenantId,
		} as unknown as IDataObject;
	};
}
export interface ItemRequest {
	itemIndex: number;
	tenantId: string;
	contactId?: string;
	contactNumber?: string;
	commusoftCustomerId?: string;
}

export function text(value: unknown): string {
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}
