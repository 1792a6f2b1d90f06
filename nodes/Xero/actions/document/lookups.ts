import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { customerDisplayName, type ContactFallback } from '../../mapping/contact';
import type { MatchOn } from '../../mapping/invoice';
import { chunkForUrl, LOOKUP_URL_BUDGET, whereAnyEquals } from '../../mapping/lookup';
import { UNIT_DP_QUERY } from '../../mapping/money';
import type { CommusoftInvoiceInput, XeroContact, XeroInvoice } from '../../mapping/types';
import { xeroApiRequest, xeroGetAllPages } from '../../transport';
import type { DocumentKind } from './kind';

/** Xero's maximum page size since July 2024 (docs/xero-rules.md §3.6). */
const PAGE_SIZE = 1000;

/**
 * Records of one collection by targeted queries (one or more pages each), or, when there are several, by
 * reading the whole list if that takes fewer calls (an organisation with 3,000 contacts is 3 pages; 200
 * customers are ~20 where-clauses): the first page says how many pages there are.
 */
async function readTargetedOrAll(
	ctx: IExecuteFunctions,
	read: {
		path: string;
		tenantId: string;
		collectionKey: string;
		queries: IDataObject[];
		all: IDataObject;
	},
): Promise<IDataObject[]> {
	const { path, tenantId, collectionKey } = read;
	const targeted = async () =>
		(
			await Promise.all(
				read.queries.map(
					async (qs) =>
						await xeroGetAllPages(ctx, { path, tenantId, collectionKey, qs, pageSize: PAGE_SIZE }),
				),
			)
		).flat() as IDataObject[];
	if (read.queries.length <= 1) return await targeted();
	const pageOf = async (page: number) => {
		const body = await xeroApiRequest<IDataObject>(ctx, {
			method: 'GET',
			path,
			tenantId,
			qs: { ...read.all, page, pageSize: PAGE_SIZE },
		});
		const list = body[collectionKey];
		return {
			list: (Array.isArray(list) ? list : []) as IDataObject[],
			pageCount: Number((body.pagination as IDataObject | undefined)?.pageCount),
		};
	};
	const first = await pageOf(1);
	const remaining =
		first.list.length < PAGE_SIZE
			? 0
			: Number.isFinite(first.pageCount)
				? first.pageCount - 1
				: Infinity;
	if (remaining >= read.queries.length) return [...first.list, ...(await targeted())];
	const rest = await Promise.all(
		Array.from({ length: remaining }, async (_, index) => (await pageOf(index + 2)).list),
	);
	return [...first.list, ...rest.flat()];
}

/**
 * Existing documents of this kind for the keys of one tenant: one GET per URL-sized chunk, with lines
 * (page=1, unitdp=4), read back in the invoice shape the plan compares.
 */
export async function lookupDocuments(
	ctx: IExecuteFunctions,
	kind: DocumentKind,
	tenantId: string,
	matchOn: MatchOn,
	keys: string[],
): Promise<XeroInvoice[]> {
	const field = matchOn === 'reference' ? 'Reference' : kind.numberField;
	if (kind.numbersQuery) {
		const pages = await Promise.all(
			chunkForUrl(keys).map(async (chunk) => {
				const qs: IDataObject =
					matchOn === 'reference'
						? {
								where: `Type=="${kind.type}" AND (${whereAnyEquals(chunk.map((k) => [field, k]))})`,
								...UNIT_DP_QUERY,
							}
						: { ...kind.numbersQuery!(chunk), ...UNIT_DP_QUERY };
				return await xeroGetAllPages(ctx, {
					path: kind.path,
					tenantId,
					collectionKey: kind.collectionKey,
					qs,
					pageSize: PAGE_SIZE,
				});
			}),
		);
		return pages.flat().map((element) => kind.fromXero(element as IDataObject));
	}
	// No key list for this document: a where clause per key, which costs more URL per key, so it gets a larger
	// share of the same URL; with many keys the whole list of the type may take fewer calls.
	const chunks = chunkForUrl(keys, LOOKUP_URL_BUDGET, 60, (key) =>
		encodeURIComponent(` OR ${whereAnyEquals([[field, key]])}`),
	);
	const elements = await readTargetedOrAll(ctx, {
		path: kind.path,
		tenantId,
		collectionKey: kind.collectionKey,
		queries: chunks.map((chunk) => ({
			where: `Type=="${kind.type}" AND (${whereAnyEquals(chunk.map((k) => [field, k]))})`,
			...UNIT_DP_QUERY,
		})),
		all: { where: `Type=="${kind.type}"`, ...UNIT_DP_QUERY },
	});
	return elements.map((element) => kind.fromXero(element));
}

/**
 * Contacts that may matter for these customers, in as few GETs as the URL allows: by ContactNumber, stored
 * ContactID, email and exact name (names are needed even without the name fallback, to keep new contact
 * names unique). Archived contacts are included so that they are reported rather than duplicated.
 */
export async function lookupContacts(
	ctx: IExecuteFunctions,
	tenantId: string,
	customers: CommusoftInvoiceInput['customer'][],
	fallback: ContactFallback,
): Promise<XeroContact[]> {
	const clauses: string[] = [];
	for (const customer of customers) {
		if (!customer) continue;
		const pairs: Array<[string, string]> = [];
		if (customer.accountReference?.trim())
			pairs.push(['ContactNumber', customer.accountReference.trim()]);
		const name = customerDisplayName(customer).replace(/\s+/g, ' ');
		if (name) pairs.push(['Name', name]);
		if ((fallback === 'email' || fallback === 'emailThenName') && customer.email?.trim())
			pairs.push(['EmailAddress', customer.email.trim()]);
		// How Xero's where-language escapes a double quote is undocumented (backslash or doubled), so values
		// containing one are not put in a clause: such a name is then not checked for clashes before creating,
		// and a clash comes back as Xero's own per-item error.
		let clause = whereAnyEquals(pairs.filter(([, value]) => !/["\\]/.test(value)));
		const id = customer.xeroContactId?.trim();
		if (id && /^[0-9a-f-]{36}$/i.test(id))
			clause += `${clause ? ' OR ' : ''}ContactID==Guid("${id}")`;
		if (clause) clauses.push(clause);
	}
	// A where clause costs more URL per customer than a key list, so it gets a larger share of the same URL.
	const chunks = chunkForUrl(clauses, LOOKUP_URL_BUDGET, 60, (clause) =>
		encodeURIComponent(` OR ${clause}`),
	);
	const contacts = await readTargetedOrAll(ctx, {
		path: '/Contacts',
		tenantId,
		collectionKey: 'Contacts',
		queries: chunks.map((chunk) => ({ where: chunk.join(' OR '), includeArchived: true })),
		all: { includeArchived: true },
	});
	return contacts as unknown as XeroContact[];
}
