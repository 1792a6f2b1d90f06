import { describe, expect, it } from 'vitest';

import {
	changedContactFields,
	desiredName,
	fieldsToCompare,
	planContactSync,
	readSyncInput,
	splitLeadingTitle,
	type SyncCustomerInput,
	type SyncField,
	type SyncSettings,
	type XeroSyncContact,
} from '../../nodes/Xero/mapping/contactSync';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const sarah: SyncCustomerInput = {
	id: 'c1',
	accountReference: 'CUS-00001',
	title: 'Mrs',
	firstName: 'Sarah',
	lastName: "O'Neill",
	customerType: 'private',
	email: 'sarah@example.co.uk',
	telephone: '0113 496 0001',
	mobile: '07700 900103',
	address: { addressLine1: '27 Kirkstall Lane', town: 'Leeds', postcode: 'LS5 3BE' },
	updatedAt: '2026-11-01T09:00:00.000Z',
};

const inXero: XeroSyncContact = {
	ContactID: ID(1),
	ContactNumber: 'CUS-00001',
	Name: "Mrs Sarah O'Neill",
	FirstName: 'Sarah',
	LastName: "O'Neill",
	EmailAddress: 'sarah@example.co.uk',
	ContactStatus: 'ACTIVE',
	Addresses: [
		{ AddressType: 'POBOX', AddressLine1: 'PO Box 1' },
		{
			AddressType: 'STREET',
			AddressLine1: '27 Kirkstall Lane',
			City: 'Leeds',
			PostalCode: 'LS5 3BE',
		},
	],
	Phones: [
		{ PhoneType: 'DEFAULT', PhoneNumber: '0113 496 0001' },
		{ PhoneType: 'MOBILE', PhoneNumber: '07700 900103' },
		{ PhoneType: 'FAX', PhoneNumber: '0113 000 0000' },
	],
};

const ALL: SyncField[] = ['name', 'title', 'email', 'streetAddress', 'phones', 'contactPersons'];

const settings = (overrides: Partial<SyncSettings> = {}): SyncSettings => ({
	fields: ALL,
	duplicateNameRule: 'appendAccountReference',
	archived: 'skip',
	whenMissing: 'create',
	onlyReportedChanges: true,
	personsMode: 'merge',
	...overrides,
});

describe('titles', () => {
	it.each([
		["Mrs Sarah O'Neill", 'Mrs', "Sarah O'Neill"],
		['Mr. John Smith', 'Mr.', 'John Smith'],
		['Mr & Mrs Smith', 'Mr & Mrs', 'Smith'],
		['Professor Ann Lee', 'Professor', 'Ann Lee'],
		['Mrsmith Ltd', undefined, 'Mrsmith Ltd'],
	])('%j', (name, title, rest) =>
		expect(splitLeadingTitle(name)).toEqual(title ? { title, rest } : { rest }),
	);

	it('name on + title off keeps the title Xero has; title only swaps the title', () => {
		const renamed = { ...sarah, firstName: 'Sara', title: 'Dr' };
		expect(desiredName(renamed, "Mrs Sarah O'Neill", ['name'])).toBe("Mrs Sara O'Neill");
		expect(desiredName(renamed, "Mrs Sarah O'Neill", ['title'])).toBe("Dr Sarah O'Neill");
		expect(desiredName(renamed, "Mrs Sarah O'Neill", ['name', 'title'])).toBe("Dr Sara O'Neill");
		expect(desiredName(renamed, "Mrs Sarah O'Neill", ['email'])).toBeUndefined();
		expect(
			desiredName({ ...sarah, customerType: 'company', companyName: 'Acme Ltd' }, 'x', [
				'name',
				'title',
			]),
		).toBe('Acme Ltd');
	});
});

describe('change detection per toggle: only differing fields are sent', () => {
	it('identical customer → empty payload for every toggle', () => {
		expect(changedContactFields(sarah, inXero, ALL, 'merge')).toEqual({
			payload: {},
			fieldsSent: [],
			warnings: [],
		});
	});

	const cases: Array<[SyncField, SyncCustomerInput, Record<string, unknown>]> = [
		['name', { ...sarah, lastName: 'Hughes' }, { Name: 'Mrs Sarah Hughes', LastName: 'Hughes' }],
		['title', { ...sarah, title: 'Ms' }, { Name: "Ms Sarah O'Neill" }],
		['email', { ...sarah, email: 'NEW@example.co.uk ' }, { EmailAddress: 'new@example.co.uk' }],
		[
			'streetAddress',
			{ ...sarah, address: { addressLine1: '1 New Road', town: 'York', postcode: 'yo1 7hh' } },
			{
				Addresses: [
					{ AddressType: 'POBOX', AddressLine1: 'PO Box 1' },
					{
						AddressType: 'STREET',
						AddressLine1: '1 New Road',
						City: 'York',
						PostalCode: 'YO1 7HH',
					},
				],
			},
		],
		[
			'phones',
			{ ...sarah, telephone: '0113 496 0002' },
			{
				Phones: [
					{ PhoneType: 'FAX', PhoneNumber: '0113 000 0000' },
					{ PhoneType: 'DEFAULT', PhoneNumber: '0113 496 0002' },
					{ PhoneType: 'MOBILE', PhoneNumber: '07700 900103' },
				],
			},
		],
	];
	it.each(cases)('%s: sent when on, not when off', (field, changed, expected) => {
		const on = changedContactFields(changed, inXero, [field], 'merge');
		expect(on.payload).toEqual(expected);
		expect(on.fieldsSent).toEqual([field]);
		const off = changedContactFields(
			changed,
			inXero,
			ALL.filter((f) => f !== field && !(field === 'title' && f === 'name')),
			'merge',
		);
		expect(off.payload).toEqual({});
	});

	it('formatting-only differences are not changes (case, spacing, phone punctuation)', () => {
		const sameish = {
			...sarah,
			email: 'SARAH@example.co.uk',
			telephone: '0113-496-0001',
			address: { addressLine1: '27  kirkstall lane', town: 'LEEDS', postcode: 'ls5 3be' },
		};
		expect(changedContactFields(sameish, inXero, ALL, 'merge').fieldsSent).toEqual([]);
	});

	it('contact persons: complete list or nothing; more than 5 is refused with a warning', () => {
		const withPersons: XeroSyncContact = {
			...inXero,
			ContactPersons: [
				{ FirstName: 'X', LastName: 'Y', EmailAddress: 'x@y.example', IncludeInEmails: false },
			],
		};
		const one = [{ firstName: 'Tom', lastName: 'Lee', email: 'tom@lee.example' }];
		expect(
			changedContactFields(
				{ ...sarah, contactPersons: one },
				withPersons,
				['contactPersons'],
				'merge',
			).payload.ContactPersons,
		).toHaveLength(2);
		expect(
			changedContactFields(
				{ ...sarah, contactPersons: one },
				withPersons,
				['contactPersons'],
				'replace',
			).payload.ContactPersons,
		).toEqual([
			{
				FirstName: 'Tom',
				LastName: 'Lee',
				EmailAddress: 'tom@lee.example',
				IncludeInEmails: false,
			},
		]);
		const six = Array.from({ length: 6 }, (_, i) => ({
			firstName: `P${i}`,
			lastName: 'Q',
			email: `p${i}@q.example`,
		}));
		const tooMany = changedContactFields(
			{ ...sarah, contactPersons: six },
			withPersons,
			['contactPersons'],
			'replace',
		);
		expect(tooMany.payload).toEqual({});
		expect(tooMany.warnings[0]).toMatch(/at most 5/);
		// No list on the item: persons are never touched.
		expect(changedContactFields(sarah, withPersons, ['contactPersons'], 'replace').payload).toEqual(
			{},
		);
	});

	it('trigger changedFields narrow the comparison; phones and persons are always compared', () => {
		expect(fieldsToCompare({ ...sarah, changedFields: ['email'] }, settings())).toEqual([
			'email',
			'phones',
			'contactPersons',
		]);
		expect(fieldsToCompare({ ...sarah, changedFields: ['name'] }, settings())).toEqual([
			'name',
			'title',
			'phones',
			'contactPersons',
		]);
		expect(fieldsToCompare(sarah, settings())).toEqual(ALL);
		expect(
			fieldsToCompare(
				{ ...sarah, changedFields: ['email'] },
				settings({ onlyReportedChanges: false }),
			),
		).toEqual(ALL);
	});
});

describe('planContactSync: linking and duplicates', () => {
	const input = (customers: SyncCustomerInput[]) =>
		customers.map((customer, itemIndex) => ({ itemIndex, customer }));
	const john = (ref: string, extra: Partial<SyncCustomerInput> = {}): SyncCustomerInput => ({
		accountReference: ref,
		firstName: 'John',
		lastName: 'Smith',
		customerType: 'private',
		address: { addressLine1: '1 Road', postcode: `LS1 ${ref.slice(-1)}AA` },
		updatedAt: '2026-11-01T00:00:00.000Z',
		...extra,
	});

	it('existing holder keeps the name, the newcomer is disambiguated whatever the item order', () => {
		const holder: XeroSyncContact = {
			ContactID: ID(1),
			ContactNumber: 'CUS-2',
			Name: 'John Smith',
		};
		for (const order of [
			['CUS-1', 'CUS-2'],
			['CUS-2', 'CUS-1'],
		]) {
			const plan = planContactSync(
				input(order.map((ref) => john(ref))),
				[holder],
				settings({ fields: ['name'] }),
			);
			const byRef = Object.fromEntries(plan.map((e) => [e.accountReference, e]));
			expect(byRef['CUS-2']).toMatchObject({ action: 'update', contactId: ID(1) }); // FirstName/LastName only
			expect(byRef['CUS-2'].payload?.Name).toBeUndefined();
			expect(byRef['CUS-1']).toMatchObject({ action: 'create', name: 'John Smith (CUS-1)' });
			expect(byRef['CUS-1'].nameConflict).toMatchObject({
				heldByContactId: ID(1),
				rule: 'appendAccountReference',
			});
		}
	});

	it.each([
		['appendAccountReference', 'John Smith (CUS-2)'],
		['appendPostcode', 'John Smith (LS1 2AA)'],
	] as const)('%s within one run', (rule, second) => {
		const plan = planContactSync(
			input([john('CUS-1'), john('CUS-2')]),
			[],
			settings({ duplicateNameRule: rule }),
		);
		expect(plan.map((e) => e.name)).toEqual(['John Smith', second]);
		expect(plan[1].nameConflict).toMatchObject({
			heldByAccountReference: 'CUS-1',
			resolvedName: second,
		});
	});

	it('fail rule, postcode rule without a postcode, and an already-taken suffixed name are errors', () => {
		expect(
			planContactSync(
				input([john('CUS-1'), john('CUS-2')]),
				[],
				settings({ duplicateNameRule: 'fail' }),
			)[1],
		).toMatchObject({ action: 'error' });
		expect(
			planContactSync(
				input([john('CUS-1'), john('CUS-2', { address: undefined })]),
				[],
				settings({ duplicateNameRule: 'appendPostcode' }),
			)[1].reason,
		).toMatch(/no postcode/);
		const taken: XeroSyncContact[] = [
			{ ContactID: ID(1), Name: 'John Smith' },
			{ ContactID: ID(2), Name: 'John Smith (CUS-2)' },
		];
		expect(planContactSync(input([john('CUS-2')]), taken, settings())[0].reason).toMatch(
			/both "John Smith" and "John Smith \(CUS-2\)"/,
		);
	});

	it('an archived namesake still blocks the name (sources disagree, docs/xero-rules.md §5.3)', () => {
		const archived: XeroSyncContact = {
			ContactID: ID(1),
			Name: 'John Smith',
			ContactStatus: 'ARCHIVED',
		};
		expect(planContactSync(input([john('CUS-1')]), [archived], settings())[0].name).toBe(
			'John Smith (CUS-1)',
		);
	});

	it('archived linked contact: skip, or restore with status sent', () => {
		const contact: XeroSyncContact = { ...inXero, ContactStatus: 'ARCHIVED' };
		expect(planContactSync(input([sarah]), [contact], settings())[0]).toMatchObject({
			action: 'skipped',
		});
		const restored = planContactSync(
			input([sarah]),
			[contact],
			settings({ archived: 'restore' }),
		)[0];
		expect(restored).toMatchObject({ action: 'update', restored: true, fieldsSent: ['status'] });
		expect(restored.payload).toEqual({ ContactID: ID(1), ContactStatus: 'ACTIVE' });
	});

	it('two active contacts with the ContactNumber, or a stored ID owned by another account, are errors', () => {
		const twins = [inXero, { ...inXero, ContactID: ID(2), Name: 'Other' }];
		expect(planContactSync(input([sarah]), twins, settings())[0].reason).toMatch(
			/2 Xero contacts have ContactNumber/,
		);
		const foreign: XeroSyncContact = { ContactID: ID(3), ContactNumber: 'CUS-99', Name: 'X' };
		expect(
			planContactSync(
				input([{ ...sarah, accountReference: 'CUS-7', xeroContactId: ID(3) }]),
				[foreign],
				settings(),
			)[0].reason,
		).toMatch(/belongs to another Commusoft account/);
	});

	it('the same customer twice: the latest version is synced, the other skipped', () => {
		const older = { ...sarah, email: 'old@example.co.uk', updatedAt: '2026-11-01T00:00:00.000Z' };
		const newer = { ...sarah, email: 'new@example.co.uk', updatedAt: '2026-11-02T00:00:00.000Z' };
		const plan = planContactSync(input([newer, older]), [inXero], settings());
		expect(plan.map((e) => e.action)).toEqual(['update', 'skipped']);
		expect(plan[0].payload).toEqual({ ContactID: ID(1), EmailAddress: 'new@example.co.uk' });
	});

	it('missing contact: create with ContactNumber, or skip', () => {
		const created = planContactSync(input([sarah]), [], settings({ fields: ['email'] }))[0];
		expect(created).toMatchObject({ action: 'create', name: "Mrs Sarah O'Neill" });
		expect(created.payload).toMatchObject({
			Name: "Mrs Sarah O'Neill",
			ContactNumber: 'CUS-00001',
			EmailAddress: 'sarah@example.co.uk',
		});
		expect(planContactSync(input([sarah]), [], settings({ whenMissing: 'skip' }))[0].action).toBe(
			'skipped',
		);
		expect(
			planContactSync(input([{ ...sarah, accountReference: '' }]), [], settings())[0].action,
		).toBe('error');
	});
});

describe('readSyncInput: what Contact Sync accepts as a customer', () => {
	it('takes the record itself (Commusoft Trigger customer event, Get Many) as it is', () => {
		const item = { event: 'customerUpdated', changedFields: ['email'], ...sarah };
		expect(readSyncInput(item)).toEqual({ customer: item });
	});

	it('unwraps a Commusoft node result that wraps the record ({ result, customer })', () => {
		expect(readSyncInput({ result: 'created', customer: { ...sarah } })).toEqual({
			customer: sarah,
		});
	});

	it('refuses an empty item, naming the field and the fix (how n8n starts a run at a poller)', () => {
		const read = readSyncInput({});
		expect(read.problem).toMatch(/item is empty.*"accountReference"/);
		expect(read.problem).toMatch(/Fix: start the run from a Manual Trigger/);
	});

	it('refuses Commusoft Trigger invoice and payment events instead of syncing the embedded customer', () => {
		for (const [event, what] of [
			['invoiceRaised', 'an invoice'],
			['invoiceUpdated', 'an invoice'],
			['paymentRecorded', 'a payment'],
		]) {
			const read = readSyncInput({
				event,
				changedFields: ['lines'],
				invoiceNumber: 'INV-1',
				customer: { ...sarah },
			});
			expect(read.problem).toContain(`field "event" is "${event}": the item is ${what}`);
			expect(read.problem).toMatch(/Fix: choose only Customer Created and Customer Updated/);
		}
	});

	it('an item refused on reading is an error in the plan and claims no name', () => {
		const [refused, synced] = planContactSync(
			[
				{ itemIndex: 0, ...readSyncInput({ event: 'invoiceRaised', customer: { ...sarah } }) },
				{ itemIndex: 1, ...readSyncInput({ ...sarah }) },
			],
			[],
			settings(),
		);
		expect(refused).toMatchObject({ itemIndex: 0, action: 'error', accountReference: '' });
		expect(refused.reason).toContain('field "event"');
		expect(synced).toMatchObject({ itemIndex: 1, action: 'create', name: "Mrs Sarah O'Neill" });
	});

	it('a record without accountReference is refused with the field and the fix', () => {
		const [entry] = planContactSync(
			[{ itemIndex: 0, ...readSyncInput({ ...sarah, accountReference: '  ' }) }],
			[],
			settings(),
		);
		expect(entry.action).toBe('error');
		expect(entry.reason).toMatch(/field "accountReference" is missing or empty.*Fix: pass the/);
	});
});
