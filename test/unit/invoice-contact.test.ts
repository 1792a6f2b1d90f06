import { describe, expect, it } from 'vitest';

import {
	buildContactIndex,
	customerDisplayName,
	planContacts,
} from '../../nodes/Xero/mapping/contact';
import type { CommusoftCustomerInput, XeroContact } from '../../nodes/Xero/mapping/types';

const customer = (
	ref: string,
	first: string,
	last: string,
	extra: Partial<CommusoftCustomerInput> = {},
): CommusoftCustomerInput => ({
	id: `id-${ref}`,
	accountReference: ref,
	firstName: first,
	lastName: last,
	customerType: 'private',
	email: `${first.toLowerCase()}@example.test`,
	address: { addressLine1: '1 High St', town: 'Leeds', postcode: 'LS1 1AA' },
	telephone: '0113 000',
	...extra,
});

const xero: XeroContact[] = [
	{ ContactID: 'x-ann', Name: 'Ann Lee', ContactNumber: 'CUS-1', ContactStatus: 'ACTIVE' },
	{
		ContactID: 'x-bob',
		Name: 'Bob Stone',
		ContactStatus: 'ACTIVE',
		EmailAddress: 'bob@example.test',
	},
	{ ContactID: 'x-cat', Name: 'Cat Ng', ContactNumber: 'CUS-9', ContactStatus: 'ACTIVE' },
	{ ContactID: 'x-old', Name: 'Old Co', ContactNumber: 'CUS-7', ContactStatus: 'ARCHIVED' },
];

describe('planContacts', () => {
	it('matches by ContactNumber first', () => {
		const plan = planContacts(
			[customer('CUS-1', 'Someone', 'Else')],
			buildContactIndex(xero),
			'name',
		);
		expect(plan.get('cus-1')).toMatchObject({
			action: 'matched',
			by: 'contactNumber',
			contactId: 'x-ann',
		});
	});

	it('uses the fallback only for contacts not linked to another account', () => {
		const index = buildContactIndex(xero);
		expect(
			planContacts([customer('CUS-2', 'Bob', 'Stone')], index, 'email').get('cus-2'),
		).toMatchObject({ by: 'email', contactId: 'x-bob' });
		expect(
			planContacts([customer('CUS-2', 'Bob', 'Stone', { email: '' })], index, 'name').get('cus-2'),
		).toMatchObject({ by: 'name', contactId: 'x-bob' });
		// "Cat Ng" in Xero belongs to CUS-9: a different customer with the same name gets its own, renamed contact
		const other = planContacts([customer('CUS-3', 'Cat', 'Ng')], index, 'name').get('cus-3');
		expect(other).toMatchObject({
			action: 'create',
			name: 'Cat Ng (CUS-3)',
			renamedFrom: 'Cat Ng',
		});
	});

	it('creates with the Commusoft details and never twice for one account', () => {
		const plan = planContacts(
			[customer('CUS-4', 'Dee', 'Park'), customer('CUS-4', 'Dee', 'Park')],
			buildContactIndex(xero),
			'emailThenName',
		);
		expect(plan.size).toBe(1);
		expect(plan.get('cus-4')).toMatchObject({
			action: 'create',
			payload: {
				Name: 'Dee Park',
				ContactNumber: 'CUS-4',
				FirstName: 'Dee',
				LastName: 'Park',
				EmailAddress: 'dee@example.test',
				Addresses: [
					{ AddressType: 'POBOX', AddressLine1: '1 High St', City: 'Leeds', PostalCode: 'LS1 1AA' },
				],
				Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '0113 000' }],
			},
		});
	});

	it('disambiguates two new customers with the same name in one run', () => {
		const plan = planContacts(
			[customer('CUS-5', 'Eve', 'Hart'), customer('CUS-6', 'Eve', 'Hart')],
			buildContactIndex([]),
			'name',
		);
		expect(plan.get('cus-5')).toMatchObject({ action: 'create', name: 'Eve Hart' });
		expect(plan.get('cus-6')).toMatchObject({ action: 'create', name: 'Eve Hart (CUS-6)' });
	});

	it('does not let two customers adopt the same unlinked contact', () => {
		const plan = planContacts(
			[customer('CUS-2', 'Bob', 'Stone'), customer('CUS-8', 'Bob', 'Stone')],
			buildContactIndex(xero),
			'name',
		);
		expect(plan.get('cus-2')).toMatchObject({ action: 'matched', contactId: 'x-bob' });
		expect(plan.get('cus-8')).toMatchObject({ action: 'create', name: 'Bob Stone (CUS-8)' });
	});

	it('explains archived and ambiguous contacts instead of creating a duplicate', () => {
		expect(
			planContacts([customer('CUS-7', 'Old', 'Co')], buildContactIndex(xero), 'none').get('cus-7'),
		).toMatchObject({
			action: 'error',
			message: expect.stringMatching(/archived.*restore/),
		});
		const twins = buildContactIndex([
			...xero,
			{ ContactID: 'x-ann2', Name: 'Ann L', ContactNumber: 'CUS-1', ContactStatus: 'ACTIVE' },
		]);
		expect(
			planContacts([customer('CUS-1', 'Ann', 'Lee')], twins, 'none').get('cus-1'),
		).toMatchObject({ action: 'error', message: expect.stringMatching(/merge/) });
	});

	it('follows the stored Xero ContactID when there is no ContactNumber match', () => {
		const plan = planContacts(
			[customer('CUS-12', 'Bob', 'Stone', { xeroContactId: 'x-bob' })],
			buildContactIndex(xero),
			'none',
		);
		expect(plan.get('cus-12')).toMatchObject({
			action: 'matched',
			by: 'xeroContactId',
			contactId: 'x-bob',
		});
	});

	it('names companies by company name', () => {
		expect(
			customerDisplayName({
				customerType: 'company',
				companyName: 'Acme Ltd',
				firstName: 'A',
				lastName: 'B',
			}),
		).toBe('Acme Ltd');
		expect(
			customerDisplayName({ customerType: 'private', title: 'Mr', firstName: 'A', lastName: 'B' }),
		).toBe('Mr A B');
	});
});
