import { describe, expect, it } from 'vitest';

import {
	importUuid,
	planImport,
	planUndo,
	validRunId,
	type ExistingCustomer,
} from '../../nodes/Commusoft/mapping/importPlan';
import {
	normalisePostcode,
	normaliseXeroContact,
	splitPersonName,
	type XeroContactInput,
} from '../../nodes/Commusoft/mapping/xeroContact';

describe('splitPersonName: messy names as people type them into Xero', () => {
	const cases: Array<[string, { title?: string; firstName?: string; lastName?: string }]> = [
		['Mr John Smith', { title: 'Mr', firstName: 'John', lastName: 'Smith' }],
		["  mrs   sarah  o'neill ", { title: 'Mrs', firstName: 'Sarah', lastName: "O'Neill" }],
		['MR & MRS J. SMITH', { title: 'Mr & Mrs', firstName: 'J.', lastName: 'Smith' }],
		['Mr and Mrs Patel', { title: 'Mr & Mrs', lastName: 'Patel' }],
		['Dr. Priya Patel', { title: 'Dr', firstName: 'Priya', lastName: 'Patel' }],
		['Prof Alan Turing', { title: 'Prof', firstName: 'Alan', lastName: 'Turing' }],
		['SMITH, Anna', { firstName: 'Anna', lastName: 'Smith' }],
		['Anna van der Berg', { firstName: 'Anna', lastName: 'van der Berg' }],
		['JOHN MCDONALD', { firstName: 'John', lastName: 'McDonald' }],
		['mary-jane smith-jones', { firstName: 'Mary-Jane', lastName: 'Smith-Jones' }],
		['Mary Ann Jones', { firstName: 'Mary Ann', lastName: 'Jones' }],
		['Cher', { lastName: 'Cher' }],
		// A first name that happens to be a title word is not taken as one when nothing follows.
		['Miss', { lastName: 'Miss' }],
		['Ms\tKaren\u00a0Lee', { title: 'Ms', firstName: 'Karen', lastName: 'Lee' }],
	];
	it.each(cases)('%j', (raw, expected) => {
		const result = splitPersonName(raw);
		for (const key of ['title', 'firstName', 'lastName'] as const)
			expect(result[key], key).toBe(expected[key]);
	});
});

describe('normalisePostcode', () => {
	it.each([
		['ls53be', 'LS5 3BE'],
		[' LS5  3BE ', 'LS5 3BE'],
		['sw1a1aa', 'SW1A 1AA'],
		['ec1a 1bb', 'EC1A 1BB'],
		['D02 X285', 'D02 X285'],
		['', undefined],
	])('%j → %j', (raw, expected) => expect(normalisePostcode(raw)).toBe(expected));
});

describe('normaliseXeroContact: company vs private, addresses, phones', () => {
	const table: Array<[string, XeroContactInput, Record<string, unknown>, RegExp?]> = [
		[
			'private from Name with title',
			{ ContactID: 'a', Name: " Mrs  Sarah O'Neill" },
			{ customerType: 'private', title: 'Mrs', firstName: 'Sarah', lastName: "O'Neill" },
		],
		[
			'private whose Name equals First/Last',
			{ ContactID: 'b', Name: 'Tom Barker', FirstName: 'Tom', LastName: 'Barker' },
			{ customerType: 'private', firstName: 'Tom', lastName: 'Barker' },
		],
		[
			'company by name with primary person',
			{ ContactID: 'c', Name: 'Carter Lettings', FirstName: 'Jo', LastName: 'Carter' },
			{
				customerType: 'company',
				companyName: 'Carter Lettings',
				firstName: 'Jo',
				lastName: 'Carter',
			},
		],
		[
			'company whose person is only a ContactPerson',
			{
				ContactID: 'd',
				Name: 'Brookfield Care Homes Ltd',
				ContactPersons: [{ FirstName: 'Helen', LastName: 'Ward', EmailAddress: 'h@b.example' }],
			},
			{ customerType: 'company', firstName: 'Helen', lastName: 'Ward' },
		],
		[
			'company without a person is refused with a fix',
			{ ContactID: 'e', Name: 'Greenfield School' },
			{ customerType: 'company', companyName: 'Greenfield School' },
			/company without a contact person/,
		],
		[
			'a single word private name is refused',
			{ ContactID: 'f', Name: 'Madonna' },
			{ customerType: 'private', lastName: 'Madonna' },
			/no separate first and last name/,
		],
	];
	it.each(table)('%s', (_, contact, expected, problem) => {
		const result = normaliseXeroContact(contact);
		expect(result.customer).toMatchObject(expected);
		if (problem) expect(result.problem).toMatch(problem);
		else expect(result.problem).toBeUndefined();
	});

	it('moves address lines up, joins line 4, prefers STREET with content, spaces the postcode', () => {
		const result = normaliseXeroContact({
			ContactID: 'g',
			Name: 'Ann Lee',
			Addresses: [
				{ AddressType: 'POBOX', AddressLine1: 'PO Box 1', City: 'Leeds' },
				{
					AddressType: 'STREET',
					AddressLine1: ' ',
					AddressLine2: 'Flat 2',
					AddressLine3: '10 High St',
					AddressLine4: 'Headingley',
					AddressLine5: 'x',
					City: ' Leeds ',
					Region: 'West Yorkshire',
					PostalCode: 'ls63ab',
					Country: 'United Kingdom',
				} as never,
			],
		});
		expect(result.customer.address).toEqual({
			addressLine1: 'Flat 2',
			addressLine2: '10 High St',
			addressLine3: 'Headingley',
			town: 'Leeds',
			county: 'West Yorkshire',
			postcode: 'LS6 3AB',
			country: 'United Kingdom',
		});
	});

	it('sorts phones: MOBILE or a 07 number → mobile, first other non-fax → telephone; builds codes', () => {
		const result = normaliseXeroContact({
			ContactID: 'h',
			Name: 'Ann Lee',
			Phones: [
				{ PhoneType: 'FAX', PhoneNumber: '0113 000 0000' },
				{
					PhoneType: 'DEFAULT',
					PhoneCountryCode: '44',
					PhoneAreaCode: '0113',
					PhoneNumber: '496 0000',
				},
				{ PhoneType: 'DDI', PhoneNumber: '07700 900123' },
			],
		});
		expect(result.customer.telephone).toBe('+44 0113 496 0000');
		expect(result.customer.mobile).toBe('07700 900123');
	});

	it('drops an email that is not an address, lower-cases a good one', () => {
		expect(
			normaliseXeroContact({ ContactID: 'i', Name: 'Ann Lee', EmailAddress: 'ann at home' })
				.customer.email,
		).toBeUndefined();
		expect(
			normaliseXeroContact({ ContactID: 'j', Name: 'Ann Lee', EmailAddress: ' Ann@Lee.Example ' })
				.customer.email,
		).toBe('ann@lee.example');
	});
});

function existing(overrides: Partial<ExistingCustomer>): ExistingCustomer {
	return {
		id: `cs-${overrides.accountReference ?? 'x'}`,
		accountReference: 'CUS-00001',
		customerType: 'private',
		updatedAt: '2026-11-01T00:00:00.000Z',
		...overrides,
	};
}

describe('planImport: duplicates and resume', () => {
	const settings = {
		runId: 'run-1',
		includeArchived: false,
		customersOnly: false,
		matchOn: ['contactNumber', 'email', 'name'] as Array<'contactNumber' | 'email' | 'name'>,
	};
	const customers = [
		existing({
			accountReference: 'CUS-00001',
			firstName: 'John',
			lastName: 'Smith',
			email: 'john@a.example',
		}),
		existing({
			accountReference: 'CUS-00002',
			firstName: 'John',
			lastName: 'Smith',
			email: 'john@b.example',
		}),
		existing({
			accountReference: 'CUS-00003',
			companyName: 'Hartley Lettings Ltd',
			customerType: 'company',
		}),
		existing({
			accountReference: 'CUS-00004',
			xeroContactId: 'x-linked',
			firstName: 'L',
			lastName: 'P',
		}),
		existing({
			accountReference: 'CUS-00005',
			xeroContactId: 'x-ours',
			importRunId: 'run-1',
			firstName: 'O',
			lastName: 'U',
		}),
	];
	const plan = (contacts: XeroContactInput[], options = settings) =>
		planImport(
			contacts.map((contact, itemIndex) => ({ itemIndex, contact })),
			customers,
			options,
		);

	it.each([
		['stored ContactID', { ContactID: 'x-linked', Name: 'Whoever' }, 'link', 'xeroContactId'],
		[
			'our own earlier create',
			{ ContactID: 'x-ours', Name: 'Whoever' },
			'alreadyImported',
			'xeroContactId',
		],
		[
			'ContactNumber = reference',
			{ ContactID: 'n1', Name: 'New Person', ContactNumber: 'cus-00003' },
			'link',
			'contactNumber',
		],
		[
			'email',
			{ ContactID: 'n2', Name: 'Johnny Smith', EmailAddress: 'JOHN@A.EXAMPLE' },
			'link',
			'email',
		],
		['normalised name', { ContactID: 'n3', Name: 'HARTLEY  LETTINGS LTD.' }, 'link', 'name'],
		[
			'ambiguous name',
			{ ContactID: 'n4', Name: 'Mr John Smith', EmailAddress: 'other@c.example' },
			'skip',
			'name',
		],
		['nothing matches', { ContactID: 'n5', Name: 'Zoe Quinn' }, 'create', undefined],
	] as const)('%s → %s', (_, contact, action, matchedBy) => {
		const [entry] = plan([contact as XeroContactInput]);
		expect(entry.action).toBe(action);
		expect(entry.matchedBy).toBe(matchedBy);
		if (action !== 'create') expect(entry.reason).toBeTruthy();
	});

	it('with email matching off, an email twin is created', () => {
		const [entry] = plan(
			[{ ContactID: 'n2', Name: 'Johnny Smith', EmailAddress: 'john@a.example' }],
			{
				...settings,
				matchOn: ['contactNumber'],
			},
		);
		expect(entry.action).toBe('create');
	});

	it('the same contact twice, and two Xero contacts for one person, are created once', () => {
		const entries = plan([
			{ ContactID: 'p1', Name: 'Zoe Quinn', EmailAddress: 'zoe@q.example' },
			{ ContactID: 'p1', Name: 'Zoe Quinn', EmailAddress: 'zoe@q.example' },
			{
				ContactID: 'p2',
				Name: 'zoe  quinn',
				EmailAddress: 'ZOE@Q.EXAMPLE',
				ContactStatus: 'ACTIVE',
			},
		]);
		expect(entries.map((e) => e.action)).toEqual(['create', 'skip', 'skip']);
		expect(entries[1].reason).toMatch(/also item 0/);
		expect(entries[2].reason).toMatch(/same name and email/);
	});

	it('a ContactNumber already used as a reference is left for Commusoft to number', () => {
		const entries = plan([
			{ ContactID: 'r1', Name: 'Zoe Quinn', ContactNumber: 'X-1' },
			{ ContactID: 'r2', Name: 'Yan Quinn', ContactNumber: 'X-1' },
		]);
		expect(entries[0].customer?.accountReference).toBe('X-1');
		expect(entries[1].customer?.accountReference).toBeUndefined();
	});

	it('uuids are stable per run and contact, differ across runs, and are v4-shaped', () => {
		const uuid = importUuid('run-1', 'ABC');
		expect(uuid).toBe(importUuid('run-1', 'abc'));
		expect(uuid).not.toBe(importUuid('run-2', 'abc'));
		expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(plan([{ ContactID: 'n5', Name: 'Zoe Quinn' }])[0].commusoftCustomerId).toBe(
			importUuid('run-1', 'n5'),
		);
	});

	it('run ids: safe characters only', () => {
		expect(validRunId('xero-import-2026-11')).toBe(true);
		expect(validRunId('a b')).toBe(false);
		expect(validRunId('')).toBe(false);
		expect(validRunId('x'.repeat(65))).toBe(false);
	});

	it("undo removes only the run's customers, keeping those changed since", () => {
		const tagged = [
			existing({ id: 'u1', importRunId: 'run-1', updatedAt: '2026-11-01T00:00:00.000Z' }),
			existing({ id: 'u2', importRunId: 'run-1', updatedAt: '2026-11-02T00:00:00.000Z' }),
			existing({ id: 'u3', importRunId: 'run-2' }),
			existing({ id: 'u4' }),
		];
		const steps = planUndo(tagged, 'run-1', true, () => '2026-11-01T00:00:00.000Z');
		expect(steps.map((s) => [s.customer.id, s.action])).toEqual([
			['u1', 'remove'],
			['u2', 'keep'],
		]);
		expect(
			planUndo(tagged, 'run-1', false, () => '2026-11-01T00:00:00.000Z').map((s) => s.action),
		).toEqual(['remove', 'remove']);
	});
});
