import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { customerDisplayName, type ContactFallback } from '../../mapping/contact';
import type { MatchOn } from '../../mapping/invoice';
import { chunkForUrl, LOOKUP_URL_BUDGET, whereAnyEquals } from '../../mapping/lookup';
import { UNIT_DP_QUERY } from '../../mapping/money';
import type { CommusoftInvoiceInput, XeroContact, XeroInvoice } from '../../mapping/types';
import { xeroApiRequest, xeroGetAllPages } from '../../transport';
import type { DocumentKind } from './kind';

const DOCUMENT_PAGE_SIZE = 1000;

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
					pageSize: DOCUMENT_PAGE_SIZE,
				});
			}),
		);
		return pages.flat().map((element) => kind.fromXero(element as IDataObject));
	}
	// No key list for this document: a where clause per key, which costs more URL per key, so it gets a larger
	// share of the same URL. Many keys: reading every document of the type may take fewer calls (the first
	// page says how many pages there are); take whichever way costs fewer calls, as for contacts.
	const chunks = chunkForUrl(keys, LOOKUP_URL_BUDGET, 60, (key) =>
		encodeURIComponent(` OR ${whereAnyEquals([[field, key]])}`),
	);
	const read = async (qs: IDataObject) =>
		await xeroGetAllPages(ctx, {
			path: kind.path,
			tenantId,
			collectionKey: kind.collectionKey,
			qs: { ...qs, ...UNIT_DP_QUERY },
			pageSize: DOCUMENT_PAGE_SIZE,
		});
	const targeted = async () =>
		(
			await Promise.all(
				chunks.map(
					async (chunk) =>
						await read({
							where: `Type=="${kind.type}" AND (${whereAnyEquals(chunk.map((k) => [field, k]))})`,
						}),
				),
			)
		).flat();
	let elements: IDataObject[];
	if (chunks.length <= 1) elements = await targeted();
	else {
		const pageOf = async (page: number) => {
			const body = await xeroApiRequest<IDataObject>(ctx, {
				method: 'GET',
				path: kind.path,
				tenantId,
				qs: { where: `Type=="${kind.type}"`, page, pageSize: DOCUMENT_PAGE_SIZE, ...UNIT_DP_QUERY },
			});
			const list = body[kind.collectionKey];
			return {
				list: (Array.isArray(list) ? list : []) as IDataObject[],
				pageCount: Number((body.pagination as IDataObject | undefined)?.pageCount),
			};
		};
		const first = await pageOf(1);
		const remaining =
			first.list.length < DOCUMENT_PAGE_SIZE
				? 0
				: Number.isFinite(first.pageCount)
					? first.pageCount - 1
					: Infinity;
		if (remaining >= chunks.length) elements = await targeted();
		else {
			const rest = await Promise.all(
				Array.from({ length: remaining }, async (_, index) => (await pageOf(index + 2)).list),
			);
			elements = [...first.list, ...rest.flat()];
		}
	}
	return elements.map((element) => kind.fromXero(element));
}

/**
 * Contacts that may matter for these customers, in as few GETs as the URL allows: by ContactNumber, stored
 * ContactID, email and exact name (names are needed even without the name fallback, to keep new contact
 * names unique). Archived contacts are included so that they are reported rather than duplicated.
 */
const CONTACT_PAGE_SIZE = 1000; // Xero's maximum page size since July 2024 (docs/xero-rules.md §3.6)

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
	const targeted = async () =>
		await Promise.all(
			chunks.map(
				async (chunk) =>
					await xeroGetAllPages(ctx, {
						path: '/Contacts',
						tenantId,
						collectionKey: 'Contacts',
						qs: { where: chunk.join(' OR '), includeArchived: true },
						pageSize: CONTACT_PAGE_SIZE,
					}),
			),
		);
	if (chunks.length <= 1) return (await targeted()).flat() as unknown as XeroContact[];

	// Many customers: reading the whole contact list may take fewer calls than the targeted look-ups (an
	// organisation with 3,000 contacts is 3 pages; 200 customers are ~20 where-clauses). The first page says
	// how many pages there are; take whichever way costs fewer calls.
	const first = await xeroApiRequest<IDataObject>(ctx, {
		method: 'GET',
		path: '/Contacts',
		tenantId,
		qs: { page: 1, pageSize: CONTACT_PAGE_SIZE, includeArchived: true },
	});
	const firstPage = (Array.isArray(first.Contacts) ? first.Contacts : []) as XeroContact[];
	const pageCount = Number((first.pagination as IDataObject | undefined)?.pageCount);
	const remainingPages =
		firstPage.length < CONTACT_PAGE_SIZE
			? 0
			: Number.isFinite(pageCount)
				? pageCount - 1
				: Infinity;
	if (remainingPages >= chunks.length)
		return [...firstPage, ...((await targeted()).flat() as unknown as XeroContact[])];
	const rest = await Promise.all(
		Array.from({ length: remainingPages }, async (_, index) => {
			const body = await xeroApiRequest<IDataObject>(ctx, {
				method: 'GET',
				path: '/Contacts',
				tenantId,
				qs: { page: index + 2, pageSize: CONTACT_PAGE_SIZE, includeArchived: true },
			});
			return (Array.isArray(body.Contacts) ? body.Contacts : []) as XeroContact[];
		}),
	);
	return [...firstPage, ...rest.flat()];
}
