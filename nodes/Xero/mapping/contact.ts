import type {
	CommusoftCustomerInput,
	XeroContact,
	XeroContactAddress,
	XeroContactPhone,
} from './types';

export type ContactFallback = 'none' | 'email' | 'name' | 'emailThenName';

export type ContactDecision =
	| {
			action: 'matched';
			by: 'contactNumber' | 'xeroContactId' | 'email' | 'name';
			contactId: string;
			name: string;
			warning?: string;
	  }
	| { action: 'create'; payload: XeroContact; name: string; renamedFrom?: string }
	| { action: 'error'; message: string };

export interface ContactIndex {
	byNumber: Map<string, XeroContact[]>;
	byId: Map<string, XeroContact>;
	byEmail: Map<string, XeroContact[]>;
	byName: Map<string, XeroContact[]>;
}

// Spec `Contact`: ContactNumber ≤ 50, Name ≤ 255 (docs/xero-rules.md §5.2).
const MAX_CONTACT_NUMBER = 50;
const MAX_CONTACT_NAME = 255;

export function normaliseKey(value: string | undefined): string {
	return (value ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

function push(map: Map<string, XeroContact[]>, key: string, contact: XeroContact) {
	if (!key) return;
	const list = map.get(key);
	if (list) list.push(contact);
	else map.set(key, [contact]);
}

export function buildContactIndex(contacts: XeroContact[]): ContactIndex {
	const index: ContactIndex = {
		byNumber: new Map(),
		byId: new Map(),
		byEmail: new Map(),
		byName: new Map(),
	};
	const seen = new Set<string>();
	for (const contact of contacts) {
		if (contact.ContactID) {
			if (seen.has(contact.ContactID)) continue; // the same contact found by several look-ups
			seen.add(contact.ContactID);
			index.byId.set(contact.ContactID, contact);
		}
		push(index.byNumber, normaliseKey(contact.ContactNumber), contact);
		push(index.byEmail, normaliseKey(contact.EmailAddress), contact);
		push(index.byName, normaliseKey(contact.Name), contact);
	}
	return index;
}

const isActive = (contact: XeroContact) => (contact.ContactStatus ?? 'ACTIVE') === 'ACTIVE';

/** Company name for companies (or when only that is set), otherwise "Title First Last". */
export function customerDisplayName(customer: CommusoftCustomerInput): string {
	const company = (customer.companyName ?? '').trim();
	const person = [customer.title, customer.firstName, customer.lastName]
		.map((part) => (part ?? '').trim())
		.filter(Boolean)
		.join(' ');
	if (customer.customerType === 'company' && company) return company;
	return person || company;
}

/** The contact to create for a Commusoft customer, ContactNumber = Commusoft account reference (§5.2). */
export function customerToContact(customer: CommusoftCustomerInput, name: string): XeroContact {
	const contact: XeroContact = {
		Name: name,
		ContactNumber: (customer.accountReference ?? '').trim(),
	};
	if (customer.firstName?.trim()) contact.FirstName = customer.firstName.trim();
	if (customer.lastName?.trim()) contact.LastName = customer.lastName.trim();
	if (customer.email?.trim()) contact.EmailAddress = customer.email.trim();
	const address = customer.address;
	if (address && Object.values(address).some((part) => typeof part === 'string' && part.trim())) {
		const line: XeroContactAddress = { AddressType: 'POBOX' };
		if (address.addressLine1) line.AddressLine1 = address.addressLine1;
		if (address.addressLine2) line.AddressLine2 = address.addressLine2;
		if (address.addressLine3) line.AddressLine3 = address.addressLine3;
		if (address.town) line.City = address.town;
		if (address.county) line.Region = address.county;
		if (address.postcode) line.PostalCode = address.postcode;
		if (address.country) line.Country = address.country;
		contact.Addresses = [line];
	}
	const phones: XeroContactPhone[] = [];
	if (customer.telephone?.trim())
		phones.push({ PhoneType: 'DEFAULT', PhoneNumber: customer.telephone.trim() });
	if (customer.mobile?.trim())
		phones.push({ PhoneType: 'MOBILE', PhoneNumber: customer.mobile.trim() });
	if (phones.length) contact.Phones = phones;
	return contact;
}

/** Key that identifies a Commusoft customer account across items of one execution. */
export function customerKey(customer: CommusoftCustomerInput | undefined): string {
	return normaliseKey(customer?.accountReference);
}

/** A contact found by a fallback is only ours when it is not already linked to another Commusoft account. */
function claimable(contact: XeroContact, ref: string): boolean {
	const number = normaliseKey(contact.ContactNumber);
	return isActive(contact) && (!number || number === ref);
}

/**
 * Decide, for each distinct customer of one execution, which Xero contact its invoices go to:
 * ContactNumber (= accountReference) → the stored Xero ContactID → the user's fallback (email, exact name)
 * → create. Creation respects Xero's unique-name rule (§5.3): when the name is already used by another
 * contact (active or archived, since sources disagree on archived) or by another customer created in the
 * same run, the new contact is named "Name (ACCOUNT-REF)". Never two contacts for one account reference.
 */
export function planContacts(
	customers: CommusoftCustomerInput[],
	index: ContactIndex,
	fallback: ContactFallback,
): Map<string, ContactDecision> {
	const decisions = new Map<string, ContactDecision>();
	const namesTaken = new Set<string>(index.byName.keys());
	// A contact adopted by one customer through a fallback cannot be adopted by a second one in the same run.
	const claimed = new Set<string>();

	for (const customer of customers) {
		const ref = customerKey(customer);
		if (!ref || decisions.has(ref)) continue;
		const reference = (customer.accountReference ?? '').trim();
		const name = customerDisplayName(customer).replace(/\s+/g, ' ');
		if (reference.length > MAX_CONTACT_NUMBER) {
			decisions.set(ref, {
				action: 'error',
				message: `customer account reference "${reference}" is longer than ${MAX_CONTACT_NUMBER} characters (Xero ContactNumber). Fix: shorten it in Commusoft`,
			});
			continue;
		}

		const byNumber = index.byNumber.get(ref) ?? [];
		const activeByNumber = byNumber.filter(isActive);
		if (activeByNumber.length > 1) {
			decisions.set(ref, {
				action: 'error',
				message: `${activeByNumber.length} Xero contacts have ContactNumber "${reference}" (${activeByNumber.map((c) => c.Name).join(', ')}). Fix: merge them in Xero`,
			});
			continue;
		}
		if (activeByNumber.length === 1) {
			const found = activeByNumber[0];
			decisions.set(ref, {
				action: 'matched',
				by: 'contactNumber',
				contactId: found.ContactID!,
				name: found.Name ?? name,
			});
			continue;
		}
		if (byNumber.length > 0) {
			decisions.set(ref, {
				action: 'error',
				message: `Xero contact "${byNumber[0].Name}" (ContactNumber "${reference}") is archived. Fix: restore the contact in Xero so invoices can be raised against it`,
			});
			continue;
		}

		const stored = customer.xeroContactId
			? index.byId.get(customer.xeroContactId.trim())
			: undefined;
		if (stored && isActive(stored)) {
			const otherNumber = normaliseKey(stored.ContactNumber);
			decisions.set(ref, {
				action: 'matched',
				by: 'xeroContactId',
				contactId: stored.ContactID!,
				name: stored.Name ?? name,
				warning:
					otherNumber && otherNumber !== ref
						? `the customer's stored Xero contact has ContactNumber "${stored.ContactNumber}", not "${reference}"`
						: undefined,
			});
			continue;
		}

		let matched: Extract<ContactDecision, { action: 'matched' }> | undefined;
		const tryEmail = fallback === 'email' || fallback === 'emailThenName';
		const tryName = fallback === 'name' || fallback === 'emailThenName';
		if (tryEmail && customer.email) {
			const hits = (index.byEmail.get(normaliseKey(customer.email)) ?? []).filter(
				(c) => claimable(c, ref) && !claimed.has(c.ContactID ?? ''),
			);
			if (hits.length === 1)
				matched = {
					action: 'matched',
					by: 'email',
					contactId: hits[0].ContactID!,
					name: hits[0].Name ?? name,
				};
		}
		if (!matched && tryName && name) {
			const hits = (index.byName.get(normaliseKey(name)) ?? []).filter(
				(c) => claimable(c, ref) && !claimed.has(c.ContactID ?? ''),
			);
			if (hits.length === 1)
				matched = {
					action: 'matched',
					by: 'name',
					contactId: hits[0].ContactID!,
					name: hits[0].Name ?? name,
				};
		}
		if (matched) {
			claimed.add(matched.contactId);
			decisions.set(ref, matched);
			continue;
		}

		if (!name) {
			decisions.set(ref, {
				action: 'error',
				message: `customer "${reference}" has no name (companyName or firstName/lastName). Fix: add a name in Commusoft`,
			});
			continue;
		}
		let finalName = name;
		let renamedFrom: string | undefined;
		if (namesTaken.has(normaliseKey(name))) {
			finalName = `${name} (${reference})`;
			renamedFrom = name;
			if (namesTaken.has(normaliseKey(finalName))) {
				decisions.set(ref, {
					action: 'error',
					message: `Xero already has contacts named "${name}" and "${finalName}" not linked to "${reference}". Fix: set ContactNumber "${reference}" on the right one in Xero`,
				});
				continue;
			}
		}
		if (finalName.length > MAX_CONTACT_NAME) {
			decisions.set(ref, {
				action: 'error',
				message: `contact name is longer than ${MAX_CONTACT_NAME} characters. Fix: shorten the customer name`,
			});
			continue;
		}
		namesTaken.add(normaliseKey(finalName));
		decisions.set(ref, {
			action: 'create',
			payload: customerToContact(customer, finalName),
			name: finalName,
			renamedFrom,
		});
	}
	return decisions;
}
