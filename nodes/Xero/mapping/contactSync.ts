// Contact → Sync from Commusoft Customer: pure planning. Given the Commusoft customers of one run and the Xero
// contacts that may concern them, decide per customer what to send (only fields that differ), how to keep
// names unique without merging two customers into one contact, and what to do with archived contacts.
// Rules cite docs/xero-rules.md §5 (contacts); the operation (actions/contact/sync.operation.ts) does the HTTP.
import { customerDisplayName, normaliseKey } from './contact';
import type {
	CommusoftAddressInput,
	CommusoftCustomerInput,
	XeroContact,
	XeroContactAddress,
	XeroContactPhone,
} from './types';
import { isGuid } from '../../shared/guid';
import {
	isSupplierContactNumber as isSupplierNumber,
	SUPPLIER_NUMBER_PREFIX,
	supplierContactNumber,
} from '../../shared/supplierNumber';

/** The toggles of the operation; each names one group of Xero fields. */
export type SyncField = 'name' | 'title' | 'email' | 'streetAddress' | 'phones' | 'contactPersons';
export const SYNC_FIELDS: SyncField[] = [
	'name',
	'title',
	'email',
	'streetAddress',
	'phones',
	'contactPersons',
];

/** What to do when another contact (or another customer of this run) already has the name. */
export type DuplicateNameRule = 'appendAccountReference' | 'appendPostcode' | 'fail';
export type ArchivedRule = 'restore' | 'skip';
export type MissingContactRule = 'create' | 'skip';
export type PersonsMode = 'replace' | 'merge';

export interface SyncSettings {
	fields: SyncField[];
	duplicateNameRule: DuplicateNameRule;
	archived: ArchivedRule;
	whenMissing: MissingContactRule;
	/** Only look at fields the Commusoft Trigger reported in `changedFields` (when the item has that list). */
	onlyReportedChanges: boolean;
	personsMode: PersonsMode;
}

export interface ContactPersonInput {
	firstName?: string;
	lastName?: string;
	email?: string;
	includeInEmails?: boolean;
}

/** A CommusoftCustomer item, as the Commusoft Trigger emits it for "Customer Updated". */
export interface SyncCustomerInput extends CommusoftCustomerInput {
	changedFields?: string[];
	/**
	 * The Xero ContactNumber that links the record (default: `accountReference`). Set for suppliers, whose
	 * numbers live in their own namespace (`supplierContactNumber`).
	 */
	contactNumber?: string;
	/** True for a Commusoft supplier read by `readSyncInput`. */
	isSupplier?: boolean;
	/** Site address to send as the STREET address; falls back to `address`. */
	propertyAddress?: CommusoftAddressInput;
	/** Extra people for Xero ContactPersons (only with the Contact Persons toggle). */
	contactPersons?: ContactPersonInput[];
}

/** One input item, read: the customer to sync, or why the item cannot be one (a reason naming field and fix). */
export interface SyncItemInput {
	customer: SyncCustomerInput;
	problem?: string;
}

/** Commusoft Trigger events whose items are not customers or suppliers (nodes/Commusoft/trigger/events.ts). */
const NON_CUSTOMER_EVENTS: Record<string, string> = {
	invoiceRaised: 'an invoice',
	invoiceUpdated: 'an invoice',
	paymentRecorded: 'a payment',
	creditNoteRaised: 'a credit note',
	creditNoteUpdated: 'a credit note',
	supplierInvoiceCreated: 'a supplier invoice',
	supplierInvoiceUpdated: 'a supplier invoice',
};

/** A CommusoftSupplier record → the sync's input: a company named by `name`, its contact as the person. */
function supplierInput(json: Record<string, unknown>): SyncCustomerInput {
	const reference = clean(json.accountReference);
	const [firstName, ...rest] = clean(json.contactName).split(' ');
	const input: SyncCustomerInput = {
		id: clean(json.id) || undefined,
		accountReference: reference || undefined,
		contactNumber: reference ? supplierContactNumber(reference) : undefined,
		isSupplier: true,
		customerType: 'company',
		companyName: clean(json.name) || undefined,
		firstName: rest.length ? firstName : undefined,
		lastName: rest.length ? rest.join(' ') : firstName || undefined,
		email: clean(json.email) || undefined,
		telephone: clean(json.telephone) || undefined,
		mobile: clean(json.mobile) || undefined,
		address: isPlainObject(json.address) ? (json.address as CommusoftAddressInput) : undefined,
		xeroContactId: clean(json.xeroContactId) || undefined,
		updatedAt: clean(json.updatedAt) || undefined,
		changedFields: Array.isArray(json.changedFields) ? (json.changedFields as string[]) : undefined,
	};
	for (const key of Object.keys(input) as Array<keyof SyncCustomerInput>)
		if (input[key] === undefined) delete input[key];
	return input;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads one item's json: a CommusoftCustomer record (Commusoft Trigger customer events, Commusoft → Customer →
 * Get/Get Many) or a Commusoft node result that wraps one (`{ customer }`, e.g. Customer → Upsert). Items that
 * cannot be a customer are refused with the reason instead of being guessed at.
 */
export function readSyncInput(json: Record<string, unknown>): SyncItemInput {
	if (Object.keys(json).length === 0) {
		return {
			customer: {},
			problem:
				'the item is empty, so it has no "accountReference" (nor any other customer field). n8n passes an empty item on when a run starts at a polling trigger without polling it: `n8n execute` starts at the first trigger in the workflow. Fix: start the run from a Manual Trigger followed by Commusoft → Customer → Get Many, or let the Commusoft Trigger poll (publish the workflow, or use "Fetch Test Event")',
		};
	}
	const event = typeof json.event === 'string' ? json.event : '';
	if (NON_CUSTOMER_EVENTS[event]) {
		// An invoice embeds its customer, but its event and changedFields describe the invoice: syncing the
		// customer on every invoice change is not what this node is for, so it is refused rather than unwrapped.
		return {
			customer: {},
			problem: `field "event" is "${event}": the item is ${NON_CUSTOMER_EVENTS[event]} from the Commusoft Trigger, not a customer. Fix: choose only Customer Created and Customer Updated under the Commusoft Trigger's Events (send invoice and payment events to other nodes); to sync an invoice's customer on purpose, pass the invoice's "customer" object as the item`,
		};
	}
	if (json.recordType === 'supplier') return { customer: supplierInput(json) };
	const wrapped = json.customer;
	if (!json.accountReference && isPlainObject(wrapped))
		return { customer: wrapped as SyncCustomerInput };
	if (!json.accountReference && isPlainObject(json.supplier))
		return readSyncInput(json.supplier as Record<string, unknown>);
	return { customer: json as SyncCustomerInput };
}

export interface XeroContactPerson {
	FirstName?: string;
	LastName?: string;
	EmailAddress?: string;
	IncludeInEmails?: boolean;
}

export type XeroSyncContact = XeroContact & { ContactPersons?: XeroContactPerson[] };

export interface NameConflict {
	/** the name the customer would have had */
	name: string;
	/** who already has it: a Xero contact, or another customer of this run */
	heldByContactId?: string;
	heldByAccountReference?: string;
	rule: DuplicateNameRule;
	/** the name used instead (absent when the rule is fail) */
	resolvedName?: string;
}

export type SyncAction = 'create' | 'update' | 'unchanged' | 'skipped' | 'error';

export interface SyncPlanEntry {
	itemIndex: number;
	accountReference: string;
	commusoftCustomerId?: string;
	/** Set when the item is a Commusoft supplier (then `commusoftCustomerId` is unset). */
	commusoftSupplierId?: string;
	/** How the supplier's contact was found when it carried no link yet (e-mail or exact name). */
	matchedBy?: 'email' | 'name';
	action: SyncAction;
	contactId?: string;
	/** the element to write (create: PUT, update: POST with ContactID) */
	payload?: XeroSyncContact;
	/** toggles whose fields are in the payload, plus contactNumber/status when those are set */
	fieldsSent: string[];
	name?: string;
	reason?: string;
	nameConflict?: NameConflict;
	restored?: boolean;
	warnings: string[];
	/** Skipped for a later version of the same customer in this run: that item's index (the one synced). */
	sentInstead?: number;
}

// Common UK titles, longest first so "Mr & Mrs" wins over "Mr". Matched case-insensitively, with or without a dot.
export const TITLES = [
	'Mr & Mrs',
	'Mr and Mrs',
	'Messrs',
	'Mrs',
	'Miss',
	'Mr',
	'Ms',
	'Mx',
	'Dr',
	'Prof',
	'Professor',
	'Rev',
	'Revd',
	'Sir',
	'Dame',
	'Lady',
	'Lord',
];
const TITLE_RE = new RegExp(
	`^(${TITLES.map((t) => t.replace(/ /g, '\\s+')).join('|')})\\.?(?=\\s|$)\\s*`,
	'i',
);

/** "Mrs. Sarah O'Neill" → { title: "Mrs.", rest: "Sarah O'Neill" }. */
export function splitLeadingTitle(name: string): { title?: string; rest: string } {
	const text = name.trim().replace(/\s+/g, ' ');
	const match = TITLE_RE.exec(text);
	if (!match) return { rest: text };
	return { title: match[0].trim(), rest: text.slice(match[0].length).trim() };
}

const clean = (value: unknown): string =>
	typeof value === 'string' || typeof value === 'number'
		? String(value).trim().replace(/\s+/g, ' ')
		: '';
const sameText = (a: unknown, b: unknown) => clean(a).toLowerCase() === clean(b).toLowerCase();
const digits = (value: unknown) => clean(value).replace(/[^\d+]/g, '');

function isActive(contact: XeroContact): boolean {
	return (contact.ContactStatus ?? 'ACTIVE') === 'ACTIVE';
}

/** The Name the customer's fields ask for, honouring which of name/title may change (see the operation). */
export function desiredName(
	customer: SyncCustomerInput,
	current: string | undefined,
	fields: SyncField[],
): string | undefined {
	const withName = fields.includes('name');
	const withTitle = fields.includes('title');
	const isCompany = customer.customerType === 'company' && !!clean(customer.companyName);
	if (!withName && !withTitle) return undefined;
	if (isCompany) {
		return withName ? clean(customer.companyName) || undefined : undefined;
	}
	const base = customerDisplayName({ ...customer, title: undefined }).replace(/\s+/g, ' ');
	const existingTitle = current ? splitLeadingTitle(current).title : undefined;
	const title = clean(customer.title);
	if (withName) {
		const prefix = withTitle ? title : existingTitle;
		const full = [prefix, base].filter(Boolean).join(' ');
		return full || undefined;
	}
	// Title only: swap the title in front of the name Xero has, leaving the rest of the name alone.
	const rest = current ? splitLeadingTitle(current).rest : base;
	return [title, rest].filter(Boolean).join(' ') || undefined;
}

export function streetAddressOf(customer: SyncCustomerInput): XeroContactAddress | undefined {
	const source = customer.propertyAddress ?? customer.address;
	if (!source) return undefined;
	const address: XeroContactAddress = { AddressType: 'STREET' };
	const set = (key: keyof XeroContactAddress, value: unknown) => {
		const text = clean(value);
		if (text) (address as unknown as Record<string, string>)[key] = text;
	};
	set('AddressLine1', source.addressLine1);
	set('AddressLine2', source.addressLine2);
	set('AddressLine3', source.addressLine3);
	set('City', source.town);
	set('Region', source.county);
	set('PostalCode', clean(source.postcode).toUpperCase());
	set('Country', source.country);
	return Object.keys(address).length > 1 ? address : undefined;
}

const ADDRESS_KEYS = [
	'AddressLine1',
	'AddressLine2',
	'AddressLine3',
	'City',
	'Region',
	'PostalCode',
	'Country',
] as const;

function sameAddress(a: XeroContactAddress | undefined, b: XeroContactAddress | undefined) {
	return ADDRESS_KEYS.every((key) => sameText(a?.[key], b?.[key]));
}

function personKey(person: XeroContactPerson): string {
	const email = clean(person.EmailAddress).toLowerCase();
	return email || normaliseKey(`${clean(person.FirstName)} ${clean(person.LastName)}`);
}

function toXeroPerson(person: ContactPersonInput): XeroContactPerson {
	const out: XeroContactPerson = {};
	if (clean(person.firstName)) out.FirstName = clean(person.firstName);
	if (clean(person.lastName)) out.LastName = clean(person.lastName);
	if (clean(person.email)) out.EmailAddress = clean(person.email).toLowerCase();
	out.IncludeInEmails = person.includeInEmails === true;
	return out;
}

function samePersons(a: XeroContactPerson[], b: XeroContactPerson[]): boolean {
	if (a.length !== b.length) return false;
	const norm = (p: XeroContactPerson) =>
		[personKey(p), clean(p.FirstName), clean(p.LastName), p.IncludeInEmails === true]
			.join('|')
			.toLowerCase();
	const left = a.map(norm).sort();
	const right = b.map(norm).sort();
	return left.every((value, index) => value === right[index]);
}

/** Trigger field names (Commusoft Trigger CUSTOMER_TRACKED_FIELDS) that can make each toggle relevant. */
const TRIGGER_FIELDS: Record<SyncField, string[]> = {
	name: ['name'],
	title: ['title', 'name'],
	email: ['email'],
	streetAddress: ['propertyAddress', 'address'],
	// The trigger does not track phones or persons separately; treat them as always possibly changed.
	phones: [],
	contactPersons: [],
};

/** The toggles to look at for this item: all chosen ones, or those the trigger reported as changed. */
export function fieldsToCompare(customer: SyncCustomerInput, settings: SyncSettings): SyncField[] {
	const reported = Array.isArray(customer.changedFields) ? customer.changedFields : undefined;
	if (!settings.onlyReportedChanges || !reported) return settings.fields;
	return settings.fields.filter((field) => {
		const triggers = TRIGGER_FIELDS[field];
		return triggers.length === 0 || triggers.some((name) => reported.includes(name));
	});
}

export interface FieldChanges {
	payload: XeroSyncContact;
	fieldsSent: string[];
	warnings: string[];
}

/**
 * The fields (of those chosen) whose Commusoft value differs from the Xero contact, as a partial contact.
 * Addresses and Phones go as complete lists (the STREET address or DEFAULT/MOBILE numbers replaced, the rest
 * kept) and ContactPersons as the complete list or not at all, because Xero replaces a sent list as a whole
 * (docs/xero-rules.md §5.2).
 */
export function changedContactFields(
	customer: SyncCustomerInput,
	current: XeroSyncContact | undefined,
	fields: SyncField[],
	personsMode: PersonsMode,
): FieldChanges {
	const payload: XeroSyncContact = {};
	const fieldsSent: string[] = [];
	const warnings: string[] = [];
	const mark = (field: string) => {
		if (!fieldsSent.includes(field)) fieldsSent.push(field);
	};

	const name = desiredName(customer, current?.Name, fields);
	if (name && !sameExact(name, current?.Name)) {
		payload.Name = name;
		const wanted = splitLeadingTitle(name);
		const have = splitLeadingTitle(current?.Name ?? '');
		if (!sameExact(wanted.rest, have.rest)) mark('name');
		if (!sameExact(wanted.title, have.title)) mark(fields.includes('title') ? 'title' : 'name');
	}
	if (fields.includes('name')) {
		const first = clean(customer.firstName);
		const last = clean(customer.lastName);
		if (first && !sameExact(first, current?.FirstName)) {
			payload.FirstName = first;
			mark('name');
		}
		if (last && !sameExact(last, current?.LastName)) {
			payload.LastName = last;
			mark('name');
		}
	}
	if (fields.includes('email')) {
		const email = clean(customer.email).toLowerCase();
		if (!sameText(email, current?.EmailAddress)) {
			payload.EmailAddress = email;
			mark('email');
		}
	}
	if (fields.includes('streetAddress')) {
		const wanted = streetAddressOf(customer);
		const existing = current?.Addresses ?? [];
		const street = existing.find((a) => a.AddressType === 'STREET');
		if (wanted && !sameAddress(wanted, street)) {
			payload.Addresses = [...existing.filter((a) => a.AddressType !== 'STREET'), wanted];
			mark('streetAddress');
		}
	}
	if (fields.includes('phones')) {
		const existing = current?.Phones ?? [];
		const slots: Array<[XeroContactPhone['PhoneType'], string]> = [
			['DEFAULT', clean(customer.telephone)],
			['MOBILE', clean(customer.mobile)],
		];
		const differs = slots.some(([type, number]) => {
			const have = existing.find((p) => p.PhoneType === type);
			const haveNumber = digits(
				[
					(have as { PhoneCountryCode?: string } | undefined)?.PhoneCountryCode,
					(have as { PhoneAreaCode?: string } | undefined)?.PhoneAreaCode,
					have?.PhoneNumber,
				]
					.filter(Boolean)
					.join(''),
			);
			return digits(number) !== haveNumber;
		});
		if (differs) {
			payload.Phones = [
				...existing.filter((p) => p.PhoneType !== 'DEFAULT' && p.PhoneType !== 'MOBILE'),
				...slots.map(([PhoneType, PhoneNumber]) => ({ PhoneType, PhoneNumber })),
			];
			mark('phones');
		}
	}
	if (fields.includes('contactPersons') && Array.isArray(customer.contactPersons)) {
		const incoming = customer.contactPersons.map(toXeroPerson).filter((p) => personKey(p));
		const existing = current?.ContactPersons ?? [];
		let wanted = incoming;
		if (personsMode === 'merge') {
			const keys = new Set(incoming.map(personKey));
			wanted = [...existing.filter((p) => !keys.has(personKey(p))), ...incoming];
		}
		if (wanted.length > 5) {
			warnings.push(
				`Xero keeps at most 5 contact persons; ${wanted.length} were wanted, so the persons were not changed`,
			);
		} else if (!samePersons(wanted, existing)) {
			// The complete list, never a partial one: Xero replaces ContactPersons as a whole.
			payload.ContactPersons = wanted;
			mark('contactPersons');
		}
	}
	return { payload, fieldsSent, warnings };
}

function sameExact(a: unknown, b: unknown): boolean {
	return clean(a) === clean(b);
}

/** The ContactNumber that links a record to its Xero contact. */
function numberOf(customer: SyncCustomerInput): string {
	return clean(customer.contactNumber) || clean(customer.accountReference);
}

function kindOf(customer: SyncCustomerInput): 'supplier' | 'customer' {
	return customer.isSupplier ? 'supplier' : 'customer';
}

interface NameIndex {
	/** lower-cased name → ContactIDs holding it (active or archived: sources disagree on archived, §5.3) */
	holders: Map<string, string[]>;
}

function nameIndex(contacts: XeroSyncContact[]): NameIndex {
	const holders = new Map<string, string[]>();
	for (const contact of contacts) {
		const key = normaliseKey(contact.Name);
		if (!key || !contact.ContactID) continue;
		const list = holders.get(key) ?? [];
		if (!list.includes(contact.ContactID)) list.push(contact.ContactID);
		holders.set(key, list);
	}
	return { holders };
}

/**
 * Plans one run. Items are linked to contacts by ContactNumber (= accountReference), then by the stored Xero
 * ContactID. A customer appearing twice is synced once (the latest version). Names are checked against every
 * contact read and every name claimed earlier in the run; a clash is resolved by the chosen rule, never by
 * writing a second customer onto the first one's contact.
 */
export function planContactSync(
	inputs: Array<{ itemIndex: number; customer: SyncCustomerInput; problem?: string }>,
	contacts: XeroSyncContact[],
	settings: SyncSettings,
): SyncPlanEntry[] {
	const byNumber = new Map<string, XeroSyncContact[]>();
	const byId = new Map<string, XeroSyncContact>();
	for (const contact of contacts) {
		if (!contact.ContactID || byId.has(contact.ContactID)) continue;
		byId.set(contact.ContactID.toLowerCase(), contact);
		const key = normaliseKey(contact.ContactNumber);
		if (key) byNumber.set(key, [...(byNumber.get(key) ?? []), contact]);
	}
	const names = nameIndex([...byId.values()]);
	/** lower-cased name → account reference of the customer of this run that took it */
	const claimed = new Map<string, { ref: string; reference: string }>();
	/** ContactIDs of unlinked contacts a supplier of this run took by e-mail or name (one supplier each). */
	const adopted = new Set<string>();

	// The latest version of each customer wins; earlier items for the same account are skipped.
	const latest = new Map<string, number>();
	inputs.forEach(({ customer, problem }, position) => {
		const ref = normaliseKey(numberOf(customer));
		if (!ref || problem) return;
		const previous = latest.get(ref);
		if (
			previous === undefined ||
			clean(customer.updatedAt) >= clean(inputs[previous].customer.updatedAt)
		)
			latest.set(ref, position);
	});

	// Customers that keep the name they already have go first, so they hold it against newcomers.
	const order = inputs.map((_, position) => position);
	const keepsName = (position: number) => {
		const { customer } = inputs[position];
		const contact = linkedContact(customer).contact;
		const name = desiredName(customer, contact?.Name, settings.fields);
		return !!contact && !!name && normaliseKey(name) === normaliseKey(contact.Name);
	};
	order.sort((a, b) => Number(keepsName(b)) - Number(keepsName(a)) || a - b);

	function linkedContact(customer: SyncCustomerInput): {
		contact?: XeroSyncContact;
		error?: string;
		warning?: string;
		matchedBy?: 'email' | 'name';
	} {
		const ref = normaliseKey(numberOf(customer));
		const numbered = byNumber.get(ref) ?? [];
		const active = numbered.filter(isActive);
		if (active.length > 1)
			return {
				error: `${active.length} Xero contacts have ContactNumber "${numberOf(customer)}" (${active.map((c) => c.Name).join(', ')}). Fix: merge them in Xero`,
			};
		const byRef = active[0] ?? numbered[0];
		const storedId = clean(customer.xeroContactId).toLowerCase();
		const byStored = storedId ? byId.get(storedId) : undefined;
		if (byRef) {
			const warning =
				byStored && byStored.ContactID !== byRef.ContactID
					? `the ${kindOf(customer)}'s stored Xero ContactID ${clean(customer.xeroContactId)} is not the contact with ContactNumber "${numberOf(customer)}" (${byRef.ContactID}); the ContactNumber wins`
					: undefined;
			return { contact: byRef, warning };
		}
		if (byStored) {
			const otherNumber = normaliseKey(byStored.ContactNumber);
			if (otherNumber && otherNumber !== ref)
				return {
					error: `the ${kindOf(customer)}'s stored Xero contact ${byStored.ContactID} has ContactNumber "${byStored.ContactNumber}", which belongs to another Commusoft ${isSupplierNumber(byStored.ContactNumber) ? 'supplier' : 'account'}. Fix: correct the Xero Contact ID stored on the ${kindOf(customer)}`,
				};
			return { contact: byStored };
		}
		return customer.isSupplier ? unlinkedSupplierContact(customer) : {};
	}

	/**
	 * A supplier not linked yet may already be in Xero, keyed in by the bookkeeper: the one contact with its
	 * e-mail, else with its exact name, provided that contact is linked to nothing (no ContactNumber), is no
	 * customer in Xero (IsCustomer) and no other supplier of this run took it. Never a customer's contact.
	 */
	function unlinkedSupplierContact(customer: SyncCustomerInput): {
		contact?: XeroSyncContact;
		matchedBy?: 'email' | 'name';
	} {
		const free = [...byId.values()].filter(
			(contact) =>
				!clean(contact.ContactNumber) &&
				(contact as { IsCustomer?: boolean }).IsCustomer !== true &&
				!adopted.has(contact.ContactID!.toLowerCase()),
		);
		const email = clean(customer.email).toLowerCase();
		const byEmail = email ? free.filter((c) => sameText(c.EmailAddress, email)) : [];
		if (byEmail.length === 1) return { contact: byEmail[0], matchedBy: 'email' };
		const name = normaliseKey(customerDisplayName(customer));
		const byName = name ? free.filter((c) => normaliseKey(c.Name) === name) : [];
		if (byName.length === 1) return { contact: byName[0], matchedBy: 'name' };
		return {};
	}

	const entries = new Map<number, SyncPlanEntry>();
	for (const position of order) {
		const { itemIndex, customer, problem } = inputs[position];
		const reference = clean(customer.accountReference);
		const number = numberOf(customer);
		const ref = normaliseKey(number);
		const entry: SyncPlanEntry = {
			itemIndex,
			accountReference: reference,
			...(customer.isSupplier
				? { commusoftSupplierId: clean(customer.id) || undefined }
				: { commusoftCustomerId: clean(customer.id) || undefined }),
			action: 'unchanged',
			fieldsSent: [],
			warnings: [],
		};
		entries.set(position, entry);
		if (problem) {
			entry.action = 'error';
			entry.reason = problem;
			continue;
		}
		if (!ref) {
			entry.action = 'error';
			entry.reason =
				'field "accountReference" is missing or empty, so the customer cannot be linked to a Xero contact (ContactNumber). Fix: pass the CommusoftCustomer record as the item (a Commusoft Trigger customer event, or Commusoft → Customer → Get or Get Many), or set "accountReference" to the customer\'s account reference';
			continue;
		}
		if (number.length > 50) {
			entry.action = 'error';
			entry.reason = `${customer.isSupplier ? 'supplier reference' : 'account reference'} "${reference}" makes ContactNumber "${number}", longer than Xero's 50 characters. Fix: shorten it in Commusoft`;
			continue;
		}
		if (!customer.isSupplier && isSupplierNumber(number)) {
			entry.action = 'error';
			entry.reason = `account reference "${reference}" starts with "${SUPPLIER_NUMBER_PREFIX}", which marks supplier contacts in Xero: syncing it could link this customer to a supplier's contact. Fix: change the customer's account reference in Commusoft`;
			continue;
		}
		if (latest.get(ref) !== position) {
			entry.action = 'skipped';
			entry.sentInstead = inputs[latest.get(ref)!].itemIndex;
			// What became of that item is only known after the writes: see `duplicateCustomerReason`.
			entry.reason = `item ${entry.sentInstead} of this run carries a later version of the same ${kindOf(customer)} (${reference}) and only the latest version is synced`;
			continue;
		}
		const link = linkedContact(customer);
		if (link.error) {
			entry.action = 'error';
			entry.reason = link.error;
			continue;
		}
		if (link.warning) entry.warnings.push(link.warning);
		const contact = link.contact;
		if (link.matchedBy && contact?.ContactID) {
			entry.matchedBy = link.matchedBy;
			adopted.add(contact.ContactID.toLowerCase());
			entry.warnings.push(
				`no Xero contact had ContactNumber "${number}"; linked to "${contact.Name}" (${contact.ContactID}), the only unlinked contact with the supplier's ${link.matchedBy === 'email' ? 'e-mail' : 'exact name'}, and ContactNumber set so later runs find it by number`,
			);
		}
		if (!contact && settings.whenMissing === 'skip') {
			entry.action = 'skipped';
			entry.reason = `no Xero contact has ContactNumber "${number}" or the stored ContactID, and "When No Contact Is Linked" is Skip`;
			continue;
		}
		if (contact && !isActive(contact) && settings.archived === 'skip') {
			entry.action = 'skipped';
			entry.contactId = contact.ContactID;
			entry.reason = `Xero contact "${contact.Name}" is archived and "Archived Contacts" is Skip`;
			continue;
		}

		const fields = contact ? fieldsToCompare(customer, settings) : settings.fields;
		const changes = changedContactFields(customer, contact, fields, settings.personsMode);
		entry.warnings.push(...changes.warnings);
		const payload = changes.payload;
		const fieldsSent = changes.fieldsSent;

		// A new contact needs a name even when the name toggle is off (Xero requires Name to create, §5.2).
		let wantedName = payload.Name;
		if (!contact && !wantedName) {
			const fallback = customerDisplayName(customer).replace(/\s+/g, ' ');
			if (!fallback) {
				entry.action = 'error';
				entry.reason = `${kindOf(customer)} "${reference}" has no name (companyName or firstName/lastName), which Xero needs to create a contact. Fix: add a name in Commusoft`;
				continue;
			}
			wantedName = fallback;
			payload.Name = fallback;
		}

		if (wantedName) {
			const resolved = resolveName(wantedName, contact?.ContactID, ref, customer);
			if (resolved.conflict) entry.nameConflict = resolved.conflict;
			if (resolved.error) {
				entry.action = 'error';
				entry.reason = resolved.error;
				continue;
			}
			const finalName = resolved.name!;
			if (contact && sameExact(finalName, contact.Name)) {
				delete payload.Name;
				const at = fieldsSent.indexOf('name');
				if (at >= 0 && !payload.FirstName && !payload.LastName) fieldsSent.splice(at, 1);
				const titleAt = fieldsSent.indexOf('title');
				if (titleAt >= 0) fieldsSent.splice(titleAt, 1);
			} else payload.Name = finalName;
			claimed.set(normaliseKey(finalName), { ref, reference });
			entry.name = finalName;
		} else entry.name = contact?.Name;

		if (contact) {
			entry.contactId = contact.ContactID;
			if (!clean(contact.ContactNumber)) {
				payload.ContactNumber = number;
				fieldsSent.push('contactNumber');
			}
			if (!isActive(contact)) {
				payload.ContactStatus = 'ACTIVE';
				fieldsSent.push('status');
				entry.restored = true;
			}
			if (Object.keys(payload).length === 0) {
				entry.action = 'unchanged';
				continue;
			}
			entry.action = 'update';
			entry.payload = { ContactID: contact.ContactID, ...payload };
		} else {
			entry.action = 'create';
			entry.payload = { ...payload, ContactNumber: number };
			if (!fieldsSent.includes('name')) fieldsSent.unshift('name');
			fieldsSent.push('contactNumber');
		}
		entry.fieldsSent = fieldsSent;
	}

	function resolveName(
		name: string,
		ownContactId: string | undefined,
		ref: string,
		customer: SyncCustomerInput,
	): { name?: string; conflict?: NameConflict; error?: string } {
		const holder = (candidate: string) => {
			const key = normaliseKey(candidate);
			const other = (names.holders.get(key) ?? []).find(
				(id) => id.toLowerCase() !== (ownContactId ?? '').toLowerCase(),
			);
			if (other) return { heldByContactId: other };
			const claimant = claimed.get(key);
			if (claimant && claimant.ref !== ref) return { heldByAccountReference: claimant.reference };
			return undefined;
		};
		const held = holder(name);
		if (!held) return { name };
		const rule = settings.duplicateNameRule;
		const conflict: NameConflict = { name, ...held, rule };
		const who = held.heldByContactId
			? `Xero contact ${held.heldByContactId}`
			: `Commusoft record ${held.heldByAccountReference} in this run`;
		if (rule === 'fail')
			return {
				conflict,
				error: `the name "${name}" is already used by ${who}; syncing would merge two Commusoft records into one Xero contact. Fix: rename one in Commusoft, or choose another "Duplicate Names" rule`,
			};
		let suffix: string;
		if (rule === 'appendPostcode') {
			const postcode = clean(
				(customer.propertyAddress ?? customer.address)?.postcode,
			).toUpperCase();
			if (!postcode)
				return {
					conflict,
					error: `the name "${name}" is already used by ${who} and the customer has no postcode to tell them apart. Fix: add a postcode, or choose "Append Account Reference"`,
				};
			suffix = postcode;
		} else suffix = clean(customer.accountReference);
		const candidate = `${name} (${suffix})`;
		if (candidate.length > 255)
			return {
				conflict,
				error: `the disambiguated name "${candidate}" is longer than 255 characters`,
			};
		const stillHeld = holder(candidate);
		if (stillHeld)
			return {
				conflict,
				error: `both "${name}" and "${candidate}" are already used by other contacts. Fix: set ContactNumber "${numberOf(customer)}" on the right contact in Xero`,
			};
		conflict.resolvedName = candidate;
		return { name: candidate, conflict };
	}

	return inputs.map((_, position) => entries.get(position)!);
}

/** Keys to read the contacts a run may touch: ContactNumbers, stored ContactIDs and every candidate name. */
export function lookupKeys(
	customers: SyncCustomerInput[],
	settings: SyncSettings,
): { contactNumbers: string[]; contactIds: string[]; names: string[]; emails: string[] } {
	const contactNumbers = new Set<string>();
	const contactIds = new Set<string>();
	const names = new Set<string>();
	const emails = new Set<string>();
	for (const customer of customers) {
		const reference = clean(customer.accountReference);
		if (numberOf(customer)) contactNumbers.add(numberOf(customer));
		// Only suppliers are matched by e-mail (see unlinkedSupplierContact).
		if (customer.isSupplier && clean(customer.email))
			emails.add(clean(customer.email).toLowerCase());
		const id = clean(customer.xeroContactId);
		if (isGuid(id)) contactIds.add(id);
		const fieldsForNames: SyncField[] = ['name', 'title'];
		for (const name of [
			desiredName(customer, undefined, fieldsForNames),
			desiredName(customer, undefined, ['name']),
			customerDisplayName(customer).replace(/\s+/g, ' '),
		]) {
			if (!name) continue;
			names.add(name);
			if (settings.duplicateNameRule === 'appendAccountReference' && reference)
				names.add(`${name} (${reference})`);
			const postcode = clean(
				(customer.propertyAddress ?? customer.address)?.postcode,
			).toUpperCase();
			if (settings.duplicateNameRule === 'appendPostcode' && postcode)
				names.add(`${name} (${postcode})`);
		}
	}
	return {
		contactNumbers: [...contactNumbers],
		contactIds: [...contactIds],
		names: [...names],
		emails: [...emails],
	};
}
