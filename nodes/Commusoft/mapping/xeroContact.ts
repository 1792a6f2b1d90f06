// Xero contact → Commusoft customer input, with the clean-up Commusoft's own import does not do (its users
// report that "data comes in as stored"): trimmed and collapsed names, titles split out of names, "SMITH, John" turned
// round, shouting names re-cased, company vs private customer, address lines moved up into addressLine1..3,
// UK postcodes spaced, phones assembled and sorted into telephone/mobile. Pure: no n8n, no HTTP.
import type { CommusoftCustomerInput } from '../records';

/** The Xero fields the import reads (docs/xero-rules.md §5.2); everything optional, as Xero omits empty ones. */
export interface XeroContactInput {
	ContactID?: string;
	ContactNumber?: string;
	AccountNumber?: string;
	ContactStatus?: string;
	Name?: string;
	FirstName?: string;
	LastName?: string;
	EmailAddress?: string;
	IsCustomer?: boolean;
	IsSupplier?: boolean;
	TaxNumber?: string;
	ContactPersons?: Array<{ FirstName?: string; LastName?: string; EmailAddress?: string }>;
	Addresses?: Array<{
		AddressType?: string;
		AddressLine1?: string;
		AddressLine2?: string;
		AddressLine3?: string;
		AddressLine4?: string;
		City?: string;
		Region?: string;
		PostalCode?: string;
		Country?: string;
	}>;
	Phones?: Array<{
		PhoneType?: string;
		PhoneNumber?: string;
		PhoneAreaCode?: string;
		PhoneCountryCode?: string;
	}>;
}

export interface NormalisedContact {
	xeroContactId: string;
	contactNumber?: string;
	archived: boolean;
	/** What the customer will be called in Commusoft (company name, or "Title First Last"). */
	displayName: string;
	customer: CommusoftCustomerInput;
	/** Why the contact cannot become a Commusoft customer (Commusoft requires first and last name). */
	problem?: string;
	/** Things changed or dropped while cleaning, for the dry-run report. */
	notes: string[];
}

const TITLE_WORDS: Record<string, string> = {
	mr: 'Mr',
	mrs: 'Mrs',
	miss: 'Miss',
	ms: 'Ms',
	mx: 'Mx',
	dr: 'Dr',
	doctor: 'Dr',
	prof: 'Prof',
	professor: 'Prof',
	rev: 'Rev',
	revd: 'Rev',
	reverend: 'Rev',
	sir: 'Sir',
	dame: 'Dame',
	lady: 'Lady',
	lord: 'Lord',
	messrs: 'Messrs',
};

// Words that mark a business name; a contact named like this is a company customer.
const COMPANY_WORDS =
	/\b(ltd|limited|llp|plc|inc|co|company|corp|corporation|group|holdings|services|solutions|lettings|estates?|estate agents?|agents?|properties|property|housing|association|trust|council|school|academy|college|church|hotel|cafe|café|restaurant|pub|club|surgery|practice|partners(hip)?|management|developments?|construction|builders|plumbing|heating|electrical|maintenance|trading|enterprises|international|uk|& sons|and sons|t\/a)\b\.?/i;

const PARTICLES = new Set([
	'van',
	'von',
	'de',
	'der',
	'den',
	'da',
	'di',
	'du',
	'la',
	'le',
	'st',
	'st.',
	'del',
	'bin',
	'al',
]);

export function cleanText(value: unknown): string {
	if (typeof value !== 'string' && typeof value !== 'number') return '';
	return String(value)
		.replace(/[\u00a0\t\r\n]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Lower-cased, single-spaced, punctuation-light key used to compare names across systems. */
export function nameKey(value: unknown): string {
	return cleanText(value)
		.toLowerCase()
		.replace(/[.,]/g, '')
		.replace(/\s*&\s*/g, ' and ')
		.replace(/\s+/g, ' ')
		.trim();
}

function capitaliseWord(word: string): string {
	if (!word) return word;
	if (PARTICLES.has(word)) return word;
	// O'Neill, Smith-Jones, McDonald
	return word
		.split(/([-'’])/)
		.map((part, index, parts) => {
			if (part === '-' || part === "'" || part === '’') return part;
			const lower = part.toLowerCase();
			let cased = lower.charAt(0).toUpperCase() + lower.slice(1);
			if (/^mc[a-z]/.test(lower)) cased = 'Mc' + lower.charAt(2).toUpperCase() + lower.slice(3);
			// "o'neill" → O'Neill but "d'arcy" stays D'Arcy; after an apostrophe the next letter is capital.
			if (index > 0 && (parts[index - 1] === "'" || parts[index - 1] === '’') && lower.length === 1)
				cased = lower;
			return cased;
		})
		.join('');
}

/**
 * Re-cases a name typed all in capitals or all in lower case, and surnames in capitals ("SMITH, Anna");
 * leaves deliberate mixed case ("McDonald", "DeVito") and initials ("J.") alone.
 */
export function fixCase(name: string): string {
	const letters = name.replace(/[^A-Za-z]/g, '');
	if (!letters) return name;
	const whispering = letters === letters.toLowerCase();
	return name
		.split(' ')
		.map((word, index) => {
			const wordLetters = word.replace(/[^A-Za-z]/g, '');
			const shouted = wordLetters.length > 2 && wordLetters === wordLetters.toUpperCase();
			if (!whispering && !shouted) return word;
			if (index > 0 && PARTICLES.has(word.toLowerCase())) return word.toLowerCase();
			return capitaliseWord(word.toLowerCase());
		})
		.join(' ');
}

/** Splits titles off the front: "MR & MRS J. SMITH" → { title: "Mr & Mrs", rest: "J. SMITH" }. */
export function splitTitle(name: string): { title?: string; rest: string } {
	const words = cleanText(name).split(' ');
	const titles: string[] = [];
	let index = 0;
	while (index < words.length - 1) {
		const word = words[index].toLowerCase().replace(/\.$/, '');
		if (TITLE_WORDS[word]) {
			titles.push(TITLE_WORDS[word]);
			index++;
			continue;
		}
		if ((word === '&' || word === 'and') && titles.length > 0) {
			titles.push('&');
			index++;
			continue;
		}
		break;
	}
	if (titles[titles.length - 1] === '&') {
		titles.pop();
		index--;
	}
	if (!titles.length) return { rest: cleanText(name) };
	return { title: titles.join(' '), rest: words.slice(index).join(' ') };
}

export interface PersonName {
	title?: string;
	firstName?: string;
	lastName?: string;
}

/** "Mrs Sarah O'Neill", "SMITH, John", "john  smith", "Dr. A. van der Berg" → title, first and last name. */
export function splitPersonName(raw: string): PersonName {
	const { title, rest } = splitTitle(raw);
	let text = fixCase(rest.replace(/^[,;\s]+|[,;\s]+$/g, ''));
	// "Smith, John" (surname first, as some books keep it)
	const comma = /^([^,]+),\s*([^,]+)$/.exec(text);
	if (comma) text = `${comma[2].trim()} ${comma[1].trim()}`;
	const words = text.split(' ').filter(Boolean);
	if (words.length === 0) return { title };
	if (words.length === 1) return { title, lastName: words[0] };
	// The surname takes any particles in front of it: "Anna van der Berg" → last "van der Berg".
	let split = words.length - 1;
	while (split > 1 && PARTICLES.has(words[split - 1].toLowerCase())) split--;
	return {
		title,
		firstName: words.slice(0, split).join(' '),
		lastName: words.slice(split).join(' '),
	};
}

export function looksLikeCompany(name: string): boolean {
	return COMPANY_WORDS.test(name);
}

/** UK postcodes spaced and upper-cased ("ls53be" → "LS5 3BE"); anything else only trimmed and upper-cased. */
export function normalisePostcode(value: unknown): string | undefined {
	const text = cleanText(value).toUpperCase();
	if (!text) return undefined;
	const compact = text.replace(/\s+/g, '');
	const uk = /^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$/.exec(compact);
	return uk ? `${uk[1]} ${uk[2]}` : text;
}

function phoneOf(phone: NonNullable<XeroContactInput['Phones']>[number]): string {
	const number = cleanText(phone.PhoneNumber);
	if (!number) return '';
	const country = cleanText(phone.PhoneCountryCode).replace(/^\+/, '');
	const area = cleanText(phone.PhoneAreaCode);
	const parts = [country ? `+${country}` : '', area, number].filter(Boolean);
	return parts.join(' ');
}

const isMobile = (number: string) => /^(\+?44\s*\(?0?\)?\s*7|07)/.test(number.replace(/\s+/g, ''));

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One Xero contact → the Commusoft customer the import would create, with notes and any blocking problem. */
export function normaliseXeroContact(contact: XeroContactInput): NormalisedContact {
	const notes: string[] = [];
	const xeroContactId = cleanText(contact.ContactID);
	const rawName = cleanText(contact.Name);
	if (rawName !== (contact.Name ?? '')) notes.push('name trimmed');
	const first = cleanText(contact.FirstName);
	const last = cleanText(contact.LastName);
	const person = contact.ContactPersons?.find(
		(p) => cleanText(p.FirstName) || cleanText(p.LastName),
	);

	const fromName = splitPersonName(rawName);
	const personFromFields = first || last ? splitPersonName(`${first} ${last}`) : undefined;
	const nameIsPerson =
		!!personFromFields &&
		nameKey(`${fromName.firstName ?? ''} ${fromName.lastName ?? ''}`) ===
			nameKey(`${personFromFields.firstName ?? ''} ${personFromFields.lastName ?? ''}`);
	const company =
		!!rawName &&
		!fromName.title &&
		!nameIsPerson &&
		(looksLikeCompany(rawName) || !!personFromFields || !!person);

	const customer: CommusoftCustomerInput = { customerType: company ? 'company' : 'private' };
	let problem: string | undefined;
	let displayName: string;
	if (company) {
		customer.companyName = rawName;
		const primary =
			personFromFields ??
			(person
				? splitPersonName(`${cleanText(person.FirstName)} ${cleanText(person.LastName)}`)
				: undefined);
		if (primary?.firstName && primary.lastName) {
			customer.title = primary.title;
			customer.firstName = primary.firstName;
			customer.lastName = primary.lastName;
			if (!personFromFields) notes.push('contact person used as the primary contact');
		} else {
			problem =
				'company without a contact person: Commusoft needs a first and last name. Fix: add a primary person (First/Last Name) to the contact in Xero';
		}
		displayName = rawName;
	} else {
		const parts =
			personFromFields?.firstName && personFromFields.lastName ? personFromFields : fromName;
		customer.title = fromName.title ?? parts.title;
		customer.firstName = parts.firstName;
		customer.lastName = parts.lastName;
		if (fromName.title) notes.push(`title "${fromName.title}" split out of the name`);
		if (parts.firstName && fixCase(rawName) !== rawName) notes.push('name re-cased');
		if (!customer.firstName || !customer.lastName)
			problem = rawName
				? `"${rawName}" has no separate first and last name, which Commusoft requires. Fix: set First Name and Last Name on the contact in Xero`
				: 'the contact has no name';
		displayName = [customer.title, customer.firstName, customer.lastName].filter(Boolean).join(' ');
	}

	const email = cleanText(contact.EmailAddress).toLowerCase();
	if (email && EMAIL_RE.test(email)) customer.email = email;
	else if (email) notes.push(`email "${email}" is not an address and was left out`);

	const phones = contact.Phones ?? [];
	const numbers = phones
		.map((phone) => ({ type: cleanText(phone.PhoneType).toUpperCase(), number: phoneOf(phone) }))
		.filter((phone) => phone.number);
	const mobile =
		numbers.find((p) => p.type === 'MOBILE')?.number ??
		numbers.find((p) => p.type !== 'FAX' && isMobile(p.number))?.number;
	const telephone = numbers.find(
		(p) => p.type !== 'FAX' && p.type !== 'MOBILE' && p.number !== mobile,
	)?.number;
	if (telephone) customer.telephone = telephone;
	if (mobile) customer.mobile = mobile;

	// STREET (where the work is) over POBOX (postal), whichever has content.
	const addresses = contact.Addresses ?? [];
	const hasContent = (a: (typeof addresses)[number]) =>
		[a.AddressLine1, a.AddressLine2, a.AddressLine3, a.AddressLine4, a.City, a.PostalCode].some(
			(v) => cleanText(v),
		);
	const address =
		addresses.find((a) => cleanText(a.AddressType).toUpperCase() === 'STREET' && hasContent(a)) ??
		addresses.find(hasContent);
	if (address) {
		const lines = [
			address.AddressLine1,
			address.AddressLine2,
			address.AddressLine3,
			address.AddressLine4,
		]
			.map(cleanText)
			.filter(Boolean);
		const town = cleanText(address.City);
		const postcode = normalisePostcode(address.PostalCode);
		customer.address = {
			addressLine1: lines[0] ?? town,
			addressLine2: lines[1],
			// Commusoft has three lines; a fourth Xero line joins the third.
			addressLine3: lines.slice(2).join(', ') || undefined,
			town: lines[0] ? town || undefined : undefined,
			county: cleanText(address.Region) || undefined,
			postcode,
			country: cleanText(address.Country) || undefined,
		};
		if (lines.length > 3) notes.push('address lines 3 and 4 joined');
		if (postcode && postcode !== cleanText(address.PostalCode)) notes.push('postcode normalised');
		for (const key of Object.keys(customer.address) as Array<keyof typeof customer.address>)
			if (customer.address[key] === undefined) delete customer.address[key];
	}
	const contactNumber = cleanText(contact.ContactNumber) || undefined;
	if (contactNumber) customer.accountReference = contactNumber;
	const vat = cleanText(contact.TaxNumber);
	if (vat) customer.vatNumber = vat;
	customer.xeroContactId = xeroContactId;
	for (const key of Object.keys(customer) as Array<keyof CommusoftCustomerInput>)
		if (customer[key] === undefined || customer[key] === '') delete customer[key];

	return {
		xeroContactId,
		contactNumber,
		archived: cleanText(contact.ContactStatus).toUpperCase() === 'ARCHIVED',
		displayName,
		customer,
		problem,
		notes,
	};
}
