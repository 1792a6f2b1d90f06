// Customer → Import From Xero: what happens to each Xero contact (pure; the operation reads and writes).
// A contact is "linked" when Commusoft already has the customer (stored Xero ContactID, then ContactNumber =
// customer reference, email, normalised name), "alreadyImported" when this run created it before (resume),
// "skip" with a reason, or "create". Each created customer carries the run id (assumed `importRunId` field,
// docs/commusoft-api-contract.md) and a uuid derived from run id + ContactID, so a resumed or retried run can
// neither create twice nor lose track of what it created; undo finds exactly those customers by the run id.
import { createHash } from 'node:crypto';

import { isSupplierContactNumber } from '../../shared/supplierNumber';
import type { CommusoftCustomer, CommusoftCustomerInput } from '../records';
import { cleanText, nameKey, normaliseXeroContact, type XeroContactInput } from './xeroContact';

export interface ExistingCustomer extends CommusoftCustomer {
	importRunId?: string;
}

export interface ImportSettings {
	runId: string;
	includeArchived: boolean;
	/** Skip contacts Xero marks as suppliers only (IsSupplier and not IsCustomer). */
	customersOnly: boolean;
	/** Which duplicate checks link a contact to an existing customer instead of creating one. */
	matchOn: Array<'email' | 'name' | 'contactNumber'>;
}

export type ImportAction = 'create' | 'link' | 'alreadyImported' | 'skip';

export interface ImportPlanEntry {
	itemIndex: number;
	action: ImportAction;
	xeroContactId?: string;
	xeroName?: string;
	/** the customer the import would create (create) */
	customer?: CommusoftCustomerInput;
	/** uuid the created customer gets (create, alreadyImported) */
	commusoftCustomerId?: string;
	matchedBy?: 'xeroContactId' | 'contactNumber' | 'email' | 'name';
	reason?: string;
	notes: string[];
}

const RUN_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function validRunId(runId: string): boolean {
	return RUN_ID_RE.test(runId);
}

/** A v4-shaped uuid from run id + Xero ContactID: the same contact in the same run always gets the same uuid. */
export function importUuid(runId: string, xeroContactId: string): string {
	const hex = createHash('sha256')
		.update(`commusoft-xero-import\n${runId}\n${xeroContactId.toLowerCase()}`)
		.digest('hex');
	const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function customerName(customer: CommusoftCustomer): string[] {
	const person = [customer.firstName, customer.lastName].filter(Boolean).join(' ');
	const titled = [customer.title, person].filter(Boolean).join(' ');
	return [customer.companyName, person, titled].filter((v): v is string => !!v).map(nameKey);
}

function indexBy(
	customers: ExistingCustomer[],
	keysOf: (customer: ExistingCustomer) => string[],
): Map<string, ExistingCustomer[]> {
	const map = new Map<string, ExistingCustomer[]>();
	for (const customer of customers) {
		for (const key of new Set(keysOf(customer))) {
			if (!key) continue;
			map.set(key, [...(map.get(key) ?? []), customer]);
		}
	}
	return map;
}

const describe = (customer: ExistingCustomer) =>
	`${customer.accountReference} (${[customer.companyName, customer.firstName, customer.lastName].filter(Boolean).join(' ')})`;

export function planImport(
	contacts: Array<{ itemIndex: number; contact: XeroContactInput }>,
	existing: ExistingCustomer[],
	settings: ImportSettings,
): ImportPlanEntry[] {
	const byXeroId = indexBy(existing, (c) => [cleanText(c.xeroContactId).toLowerCase()]);
	const byReference = indexBy(existing, (c) => [cleanText(c.accountReference).toLowerCase()]);
	const byEmail = indexBy(existing, (c) => [cleanText(c.email).toLowerCase()]);
	const byName = indexBy(existing, customerName);
	const seenIds = new Map<string, number>();
	const seenEmailAndName = new Map<string, string>();
	const references = new Set<string>();

	return contacts.map(({ itemIndex, contact }) => {
		const normalised = normaliseXeroContact(contact);
		const entry: ImportPlanEntry = {
			itemIndex,
			action: 'skip',
			xeroContactId: normalised.xeroContactId || undefined,
			xeroName: cleanText(contact.Name) || undefined,
			notes: normalised.notes,
		};
		const id = normalised.xeroContactId.toLowerCase();
		if (!id) {
			entry.reason =
				'the item has no Xero ContactID. Fix: feed the items of Xero Accounting → Contact → Get Many';
			return entry;
		}
		if (seenIds.has(id)) {
			entry.reason = `the same Xero contact is also item ${seenIds.get(id)} of this run`;
			return entry;
		}
		seenIds.set(id, itemIndex);

		// Already in Commusoft: by the stored link first; our own earlier attempt counts as created by this run.
		const linked = byXeroId.get(id) ?? [];
		const ours = linked.find((c) => c.importRunId === settings.runId);
		if (ours) {
			entry.action = 'alreadyImported';
			entry.commusoftCustomerId = ours.id;
			entry.matchedBy = 'xeroContactId';
			entry.reason = 'created by this import run earlier (resumed run)';
			return entry;
		}
		if (linked.length) {
			entry.action = 'link';
			entry.commusoftCustomerId = linked[0].id;
			entry.matchedBy = 'xeroContactId';
			entry.reason = `Commusoft customer ${describe(linked[0])} already stores this Xero ContactID`;
			return entry;
		}
		if (normalised.archived && !settings.includeArchived) {
			entry.reason = 'the contact is archived in Xero ("Include Archived Contacts" is off)';
			return entry;
		}
		if (isSupplierContactNumber(contact.ContactNumber)) {
			entry.reason = `the contact is a Commusoft supplier's (ContactNumber "${String(contact.ContactNumber)}", written by Xero Contact → Sync): importing it would make the supplier a customer`;
			return entry;
		}
		if (settings.customersOnly && contact.IsSupplier === true && contact.IsCustomer !== true) {
			entry.reason = 'the contact is a supplier only ("Customers Only" is on)';
			return entry;
		}

		const matchers: Array<[ImportPlanEntry['matchedBy'], string, Map<string, ExistingCustomer[]>]> =
			[];
		if (settings.matchOn.includes('contactNumber') && normalised.contactNumber)
			matchers.push(['contactNumber', normalised.contactNumber.toLowerCase(), byReference]);
		if (settings.matchOn.includes('email') && normalised.customer.email)
			matchers.push(['email', normalised.customer.email, byEmail]);
		if (settings.matchOn.includes('name')) {
			const { firstName, lastName, companyName } = normalised.customer;
			const keys = new Set([
				nameKey(contact.Name),
				nameKey(normalised.displayName),
				// Titles are optional on either side: "Mr John Smith" is the customer John Smith.
				companyName ? '' : nameKey(`${firstName ?? ''} ${lastName ?? ''}`),
			]);
			for (const key of keys) if (key) matchers.push(['name', key, byName]);
		}
		for (const [by, key, index] of matchers) {
			const hits = index.get(key) ?? [];
			if (hits.length === 1) {
				entry.action = 'link';
				entry.commusoftCustomerId = hits[0].id;
				entry.matchedBy = by;
				entry.reason = `same ${by === 'contactNumber' ? 'ContactNumber as customer reference' : by} as Commusoft customer ${describe(hits[0])}`;
				return entry;
			}
			if (hits.length > 1) {
				entry.matchedBy = by;
				entry.reason = `${hits.length} Commusoft customers have the same ${by} (${hits.map(describe).join(', ')}); not imported to avoid another duplicate. Fix: merge them in Commusoft or link one by storing the Xero ContactID`;
				return entry;
			}
		}

		if (normalised.problem) {
			entry.reason = normalised.problem;
			return entry;
		}
		// Two Xero contacts that are the same person (archived duplicates in Xero): only the first is created.
		const twinKey =
			normalised.customer.email &&
			`${normalised.customer.email}|${nameKey(normalised.displayName)}`;
		if (twinKey && seenEmailAndName.has(twinKey)) {
			entry.reason = `same name and email as Xero contact ${seenEmailAndName.get(twinKey)} earlier in this run`;
			return entry;
		}
		if (twinKey) seenEmailAndName.set(twinKey, normalised.xeroContactId);

		const customer = { ...normalised.customer };
		// Commusoft references are unique: a ContactNumber another customer (or another contact here) uses
		// is left for Commusoft to number instead.
		const reference = customer.accountReference?.toLowerCase();
		if (reference && (byReference.has(reference) || references.has(reference))) {
			entry.notes.push(
				`ContactNumber "${customer.accountReference}" is already a Commusoft reference; Commusoft numbers this customer`,
			);
			delete customer.accountReference;
		} else if (reference) references.add(reference);

		entry.action = 'create';
		entry.customer = customer;
		entry.commusoftCustomerId = importUuid(settings.runId, normalised.xeroContactId);
		return entry;
	});
}

/** Undo: which customers of a run to remove, and which to keep because they changed since the import. */
export function planUndo(
	tagged: ExistingCustomer[],
	runId: string,
	keepChanged: boolean,
	createdAt: (customer: ExistingCustomer) => string | undefined,
): Array<{ customer: ExistingCustomer; action: 'remove' | 'keep'; reason?: string }> {
	return tagged
		.filter((customer) => customer.importRunId === runId)
		.map((customer) => {
			const created = createdAt(customer);
			if (keepChanged && created && customer.updatedAt > created)
				return {
					customer,
					action: 'keep' as const,
					reason: `changed in Commusoft since the import (updated ${customer.updatedAt}); turn off "Keep Customers Changed Since Import" to remove it anyway`,
				};
			return { customer, action: 'remove' as const };
		});
}
