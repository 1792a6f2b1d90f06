/* eslint-disable @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Contacts (docs/xero-rules.md §5): unique names among active contacts, unique AccountNumber, ContactNumber lookup,
// archive/restore and includeArchived, where/searchTerm/paging/If-Modified-Since, ContactPersons replaced whole.
import { GUID_RE, q } from '../shared/http';
import {
	answerBatch,
	checkLengths,
	echoStrings,
	ApiContext,
	ApiResult,
	asObject,
	BatchOutcome,
	ElementErrors,
	elementsOf,
	filterList,
	listAnswer,
	has,
	notFound,
	parseBool,
	parseList,
	str,
	validationException,
} from './api';
import { contactJson, makeIndex } from './serialize';
import type { ContactRecord, TenantState } from './types';

// ASCII only: Xero does not support umlauts in EmailAddress (docs/xero-rules.md §5.2).
const EMAIL_RE = /^[\x21-\x3f\x41-\x7e]+@[\x21-\x3f\x41-\x7e]+\.[\x21-\x3f\x41-\x7e]+$/;
const STRING_FIELDS = [
	'FirstName',
	'LastName',
	'CompanyNumber',
	'TaxNumber',
	'BankAccountDetails',
	'Website',
	'DefaultCurrency',
	'SalesDefaultAccountCode',
	'AccountsReceivableTaxType',
] as const;
/** maxLength values from the spec's Contact, Address and Phone schemas. */
const CONTACT_LIMITS = {
	Name: 255,
	ContactNumber: 50,
	AccountNumber: 50,
	FirstName: 255,
	LastName: 255,
	CompanyNumber: 50,
	EmailAddress: 255,
	TaxNumber: 50,
};
const ADDRESS_LIMITS = {
	AddressLine1: 500,
	AddressLine2: 500,
	AddressLine3: 500,
	AddressLine4: 500,
	City: 255,
	Region: 255,
	PostalCode: 50,
	Country: 50,
	AttentionTo: 255,
};
const PHONE_LIMITS = { PhoneNumber: 50, PhoneAreaCode: 10, PhoneCountryCode: 20 };
const ADDRESS_TYPES = ['POBOX', 'STREET', 'DELIVERY'];
const PHONE_TYPES = ['DEFAULT', 'DDI', 'MOBILE', 'FAX', 'OFFICE'];

export const nameTakenMessage = (name: string) =>
	`The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`;
export const MSG_ACCOUNT_NUMBER_TAKEN =
	'The Account Number already exists. Please enter a different Account Number.';

export function findContact(tenant: TenantState, idOrNumber: string): ContactRecord | undefined {
	if (GUID_RE.test(idOrNumber))
		return tenant.contacts.find((c) => c.ContactID.toLowerCase() === idOrNumber.toLowerCase());
	return tenant.contacts.find((c) => c.ContactNumber === idOrNumber);
}

export function getContacts(ctx: ApiContext): ApiResult {
	const t = ctx.tenant;
	let list = t.contacts;
	const ids = parseList(q(ctx.query, 'IDs'))?.map((s) => s.toLowerCase());
	if (ids) list = list.filter((c) => ids.includes(c.ContactID.toLowerCase()));
	if (!parseBool(q(ctx.query, 'includeArchived')))
		list = list.filter((c) => c.ContactStatus !== 'ARCHIVED');
	const term = q(ctx.query, 'searchTerm')?.toLowerCase();
	if (term) {
		list = list.filter((c) =>
			[c.Name, c.FirstName, c.LastName, c.ContactNumber, c.EmailAddress].some((v) =>
				(v ?? '').toLowerCase().includes(term),
			),
		);
	}
	const idx = makeIndex(t);
	// summaryOnly returns lightweight records: no persons, addresses or phones.
	const summary = parseBool(q(ctx.query, 'summaryOnly'));
	const toJson = (c: ContactRecord) => {
		const json = contactJson(t, c, idx);
		if (summary) for (const k of ['ContactPersons', 'Addresses', 'Phones']) delete json[k];
		return json;
	};
	const result = filterList(
		ctx,
		list.map((c) => ({ json: () => toJson(c), updated: c.UpdatedDateUTC })),
	);
	return listAnswer('Contacts', result);
}

export function getContact(ctx: ApiContext): ApiResult {
	const c = findContact(ctx.tenant, ctx.params[0]);
	if (!c) throw notFound();
	return { status: 200, body: { Contacts: [contactJson(ctx.tenant, c)] } };
}

export function putContacts(ctx: ApiContext): ApiResult {
	return answerBatch(
		ctx,
		'Contacts',
		elementsOf(ctx.body, 'Contacts').map((el) => processElement(ctx, el, 'create')),
	);
}

export function postContacts(ctx: ApiContext): ApiResult {
	return answerBatch(
		ctx,
		'Contacts',
		elementsOf(ctx.body, 'Contacts').map((el) => processElement(ctx, el, 'upsert')),
	);
}

export function postContactById(ctx: ApiContext): ApiResult {
	const existing = findContact(ctx.tenant, ctx.params[0]);
	if (!existing) throw notFound();
	const outcome = processElement(
		ctx,
		elementsOf(ctx.body, 'Contacts', true)[0] ?? {},
		'update',
		existing,
	);
	if (!outcome.ok) throw validationException([outcome.json]);
	return { status: 200, body: { Contacts: [outcome.json] } };
}

function errorElement(
	input: Record<string, unknown> | undefined,
	messages: string[],
): Record<string, unknown> {
	const el: Record<string, unknown> = input ? echoStrings(input, CONTACT_LIMITS) : {};
	const id = str(input?.ContactID);
	if (id && GUID_RE.test(id)) el.ContactID = id;
	return {
		...el,
		HasValidationErrors: true,
		StatusAttributeString: 'ERROR',
		ValidationErrors: messages.map((Message) => ({ Message })),
	};
}

function processElement(
	ctx: ApiContext,
	raw: unknown,
	mode: 'create' | 'upsert' | 'update',
	target?: ContactRecord,
): BatchOutcome {
	const input = asObject(raw);
	try {
		if (!input) throw new ElementErrors(['Each contact must be a JSON object.']);
		const t = ctx.tenant;
		let existing = target;
		if (!existing) {
			const id = str(input.ContactID);
			if (id) {
				existing = GUID_RE.test(id)
					? t.contacts.find((c) => c.ContactID.toLowerCase() === id.toLowerCase())
					: undefined;
				if (!existing)
					throw new ElementErrors([`The contact with ContactID ${id} could not be found.`]);
				if (mode === 'create')
					throw new ElementErrors([
						'A contact with this ContactID already exists; use POST to update it.',
					]);
			} else if (typeof input.ContactNumber === 'string' && input.ContactNumber) {
				const byNumber = t.contacts.find((c) => c.ContactNumber === input.ContactNumber);
				if (byNumber && mode === 'upsert') existing = byNumber;
				else if (byNumber)
					throw new ElementErrors([
						`The ContactNumber ${input.ContactNumber} is already assigned to another contact.`,
					]);
			}
		}
		const next: ContactRecord = existing
			? { ...existing, ContactPersons: [...existing.ContactPersons] }
			: {
					ContactID: ctx.newId(),
					Name: '',
					ContactStatus: 'ACTIVE',
					ContactPersons: [],
					Addresses: [],
					Phones: [],
					UpdatedDateUTC: ctx.now,
				};
		const errors = applyFields(ctx, next, input, !existing);
		if (errors.length) throw new ElementErrors(errors);
		if (!existing) {
			t.contacts.push(next);
			ctx.emit('CONTACT', 'CREATE', next.ContactID);
		} else if (JSON.stringify(next) !== JSON.stringify(existing)) {
			next.UpdatedDateUTC = ctx.now;
			Object.assign(existing, next);
			ctx.emit('CONTACT', 'UPDATE', next.ContactID);
		}
		return { ok: true, json: { ...contactJson(t, existing ?? next), StatusAttributeString: 'OK' } };
	} catch (error) {
		if (error instanceof ElementErrors)
			return { ok: false, json: errorElement(input, error.messages) };
		throw error;
	}
}

function applyFields(
	ctx: ApiContext,
	c: ContactRecord,
	input: Record<string, unknown>,
	creating: boolean,
): string[] {
	const errors: string[] = [];
	const t = ctx.tenant;
	if (has(input, 'Name') || creating) {
		const name = (str(input.Name) ?? '').trim();
		if (!name) errors.push('The contact name must be specified.');
		else if (name.length > 255) errors.push('The contact name must be at most 255 characters.');
		else c.Name = name;
	}
	if (has(input, 'ContactStatus')) {
		const s = (str(input.ContactStatus) ?? '').toUpperCase();
		if (s !== 'ACTIVE' && s !== 'ARCHIVED')
			errors.push('ContactStatus must be ACTIVE or ARCHIVED.');
		else c.ContactStatus = s;
	}
	if (c.ContactStatus === 'ACTIVE' && c.Name) {
		const clash = t.contacts.find(
			(o) =>
				o.ContactID !== c.ContactID &&
				o.ContactStatus === 'ACTIVE' &&
				o.Name.toLowerCase() === c.Name.toLowerCase(),
		);
		if (clash) errors.push(nameTakenMessage(c.Name));
	}
	if (has(input, 'ContactNumber')) {
		const n = str(input.ContactNumber) ?? '';
		if (n.length > 50) errors.push('ContactNumber must be at most 50 characters.');
		else if (n && t.contacts.some((o) => o.ContactID !== c.ContactID && o.ContactNumber === n)) {
			errors.push(`The ContactNumber ${n} is already assigned to another contact.`);
		} else c.ContactNumber = n || undefined;
	}
	if (has(input, 'AccountNumber')) {
		const n = str(input.AccountNumber) ?? '';
		if (n.length > 50) errors.push('AccountNumber must be at most 50 characters.');
		else if (n && t.contacts.some((o) => o.ContactID !== c.ContactID && o.AccountNumber === n))
			errors.push(MSG_ACCOUNT_NUMBER_TAKEN);
		else c.AccountNumber = n || undefined;
	}
	if (has(input, 'EmailAddress')) {
		const e = str(input.EmailAddress) ?? '';
		if (e && (!EMAIL_RE.test(e) || e.length > 255))
			errors.push(`Email address '${e}' must be valid.`);
		else c.EmailAddress = e || undefined;
	}
	checkLengths(input, { FirstName: 255, LastName: 255, CompanyNumber: 50, TaxNumber: 50 }, errors);
	for (const k of STRING_FIELDS) if (has(input, k)) c[k] = str(input[k]) || undefined;
	if (has(input, 'ContactPersons')) {
		// Replaced as a whole: the list sent is the new list (docs/xero-rules.md §5.2).
		if (!Array.isArray(input.ContactPersons)) errors.push('ContactPersons must be an array.');
		else if (input.ContactPersons.length > 5)
			errors.push('A contact can have at most 5 contact persons.');
		else {
			c.ContactPersons = [];
			for (const p of input.ContactPersons) {
				const o = asObject(p);
				if (!o) {
					errors.push('Each contact person must be an object.');
					continue;
				}
				const email = str(o.EmailAddress);
				if (email && !EMAIL_RE.test(email)) errors.push(`Email address '${email}' must be valid.`);
				c.ContactPersons.push({
					FirstName: str(o.FirstName),
					LastName: str(o.LastName),
					EmailAddress: email,
					IncludeInEmails: o.IncludeInEmails === true || o.IncludeInEmails === 'true',
				});
			}
		}
	}
	if (has(input, 'Addresses')) {
		if (!Array.isArray(input.Addresses)) errors.push('Addresses must be an array.');
		else {
			c.Addresses = [];
			for (const a of input.Addresses) {
				const o = asObject(a);
				const type = (str(o?.AddressType) ?? '').toUpperCase();
				if (!o || !ADDRESS_TYPES.includes(type)) {
					errors.push('Each address needs an AddressType of POBOX or STREET.');
					continue;
				}
				checkLengths(o, ADDRESS_LIMITS, errors, 'Address ');
				const out: Record<string, unknown> = { AddressType: type === 'DELIVERY' ? 'STREET' : type };
				for (const k of [
					'AddressLine1',
					'AddressLine2',
					'AddressLine3',
					'AddressLine4',
					'City',
					'Region',
					'PostalCode',
					'Country',
					'AttentionTo',
				]) {
					const v = str(o[k]);
					if (v !== undefined) out[k] = v;
				}
				c.Addresses.push(out);
			}
		}
	}
	if (has(input, 'Phones')) {
		if (!Array.isArray(input.Phones)) errors.push('Phones must be an array.');
		else {
			c.Phones = [];
			for (const p of input.Phones) {
				const o = asObject(p);
				const type = (str(o?.PhoneType) ?? '').toUpperCase();
				if (!o || !PHONE_TYPES.includes(type)) {
					errors.push('Each phone needs a PhoneType of DEFAULT, DDI, MOBILE, FAX or OFFICE.');
					continue;
				}
				checkLengths(o, PHONE_LIMITS, errors, 'Phone ');
				const out: Record<string, unknown> = { PhoneType: type };
				for (const k of ['PhoneNumber', 'PhoneAreaCode', 'PhoneCountryCode']) {
					const v = str(o[k]);
					if (v !== undefined) out[k] = v;
				}
				c.Phones.push(out);
			}
		}
	}
	return errors;
}
