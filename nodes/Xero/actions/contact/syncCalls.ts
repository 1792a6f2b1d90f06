// Contact → Sync's Xero calls: the contacts a run may touch, and the plan's batched writes.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { withItemIndex } from '../../../shared/runner';
import type { lookupKeys, SyncPlanEntry, XeroSyncContact } from '../../mapping/contactSync';
import { chunkForUrl, LOOKUP_URL_BUDGET, whereAnyEquals } from '../../mapping/lookup';
import { xeroBatchWrite, xeroGetAllPages, type XeroBatchResult } from '../../transport';

const CONTACT_PAGE_SIZE = 1000;

/** Every contact a run may touch, archived included, in as few GETs as the URL length allows. */
export async function readContacts(
	ctx: IExecuteFunctions,
	tenantId: string,
	keys: ReturnType<typeof lookupKeys>,
): Promise<XeroSyncContact[]> {
	const clauses = [
		...keys.contactNumbers.map((value) => whereAnyEquals([['ContactNumber', value]])),
		...keys.names.map((value) => whereAnyEquals([['Name', value]])),
		...keys.emails.map((value) => whereAnyEquals([['EmailAddress', value]])),
		...keys.contactIds.map((id) => `ContactID==Guid("${id}")`),
	];
	const chunks = chunkForUrl(clauses, LOOKUP_URL_BUDGET, 60, (clause) =>
		encodeURIComponent(` OR ${clause}`),
	);
	const pages = await Promise.all(
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
	return pages.flat() as unknown as XeroSyncContact[];
}

/** The plan's creates (PUT) and updates (POST), batched; run-wide failures fail the run naming an item. */
export async function writeContacts(
	ctx: IExecuteFunctions,
	tenantId: string,
	plan: SyncPlanEntry[],
): Promise<Map<SyncPlanEntry, XeroBatchResult>> {
	const creates = plan.filter((entry) => entry.action === 'create');
	const updates = plan.filter((entry) => entry.action === 'update');
	const write = async (method: 'PUT' | 'POST', entries: SyncPlanEntry[]) =>
		entries.length === 0
			? []
			: await xeroBatchWrite(ctx, {
					method,
					path: '/Contacts',
					tenantId,
					collectionKey: 'Contacts',
					elements: entries.map((entry) => entry.payload as IDataObject),
					itemIndexes: entries.map((entry) => entry.itemIndex),
				});
	let createResults: XeroBatchResult[];
	let updateResults: XeroBatchResult[];
	try {
		[createResults, updateResults] = await Promise.all([
			write('PUT', creates),
			write('POST', updates),
		]);
	} catch (error) {
		// Run-wide failures (day limit, credential, tenant): the batch transport already named them.
		throw withItemIndex(ctx, error, (creates[0] ?? updates[0])?.itemIndex ?? 0);
	}
	const results = new Map<SyncPlanEntry, XeroBatchResult>();
	creates.forEach((entry, index) => results.set(entry, createResults[index]));
	updates.forEach((entry, index) => results.set(entry, updateResults[index]));
	return results;
}
