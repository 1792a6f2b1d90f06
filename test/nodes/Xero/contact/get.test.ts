// Contact → Get, fast tier: the query each "Find By" sends (quoted for Xero's `where`), exact matching (Xero's
// where is a filter, not an identity), and the per-item failures with the fix.
import { describe, expect, it } from 'vitest';

import {
	ok,
	route,
	runStubbed,
	status,
	STUB_CREDENTIALS,
	stubHttp,
} from '../../../helpers/stubbedHttp';
import { connectionsRoute } from '../xeroStubs';

const TENANT = '7a1e0000-0000-4000-8000-00000000a003';
const ID = '0a1b2c3d-1111-2222-3333-444455550003';

const params = (extra: object) => ({
	resource: 'contact',
	operation: 'get',
	tenantId: TENANT,
	...extra,
});

describe('Contact → Get (stubbed HTTP)', () => {
	it.each([
		['contactNumber', 'ContactNumber', 'CUS-1'],
		['accountNumber', 'AccountNumber', 'ACC "7"'],
	])(
		'by %s: where %s=="…" with the value escaped, exact match only',
		async (lookupBy, field, value) => {
			const http = stubHttp([
				connectionsRoute(TENANT),
				route('GET', '/Contacts', () =>
					ok({
						Contacts: [
							{ ContactID: 'x', [field]: `${value}-other` },
							{ ContactID: ID, [field]: value },
						],
					}),
				),
			]);
			const { items } = await runStubbed(
				http,
				'xeroAccounting',
				params({ lookupBy, lookupValue: value }),
				[{}],
				STUB_CREDENTIALS,
			);
			expect(items.map((i) => i.json.ContactID)).toEqual([ID]);
			const read = http.calls.find((c) => c.path.endsWith('/Contacts'))!;
			expect(read.query.where).toBe(`${field}==${JSON.stringify(value)}`);
			expect(read.query.includeArchived).toBe(false);
		},
	);

	it('by email: matched without regard to case, as Xero stores what was typed', async () => {
		const http = stubHttp([
			connectionsRoute(TENANT),
			route('GET', '/Contacts', () =>
				ok({ Contacts: [{ ContactID: ID, EmailAddress: 'Ann@Example.COM' }] }),
			),
		]);
		const { items } = await runStubbed(
			http,
			'xeroAccounting',
			params({ lookupBy: 'email', lookupValue: 'ann@example.com', includeArchived: true }),
			[{}],
			STUB_CREDENTIALS,
		);
		expect(items[0].json.ContactID).toBe(ID);
		expect(http.calls.find((c) => c.path.endsWith('/Contacts'))!.query.includeArchived).toBe(true);
	});

	it('no exact match and two exact matches each fail that item only, naming the value and the fix', async () => {
		const http = stubHttp([
			connectionsRoute(TENANT),
			route('GET', '/Contacts', (req) =>
				String(req.query.where).includes('TWIN')
					? ok({
							Contacts: [
								{ ContactID: 'a', ContactNumber: 'TWIN' },
								{ ContactID: 'b', ContactNumber: 'TWIN' },
							],
						})
					: ok({ Contacts: [{ ContactID: ID, ContactNumber: 'CUS-1' }] }),
			),
		]);
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params({ lookupBy: 'contactNumber', lookupValue: '={{ $json.n }}' }),
			[{ n: 'NOPE' }, { n: 'TWIN' }, { n: 'CUS-1' }],
			STUB_CREDENTIALS,
			{ node: { onError: 'continueErrorOutput' } },
		);
		expect(run.outputs[0].map((i) => [i.json.ContactID, i.pairedItem])).toEqual([
			[ID, { item: 2 }],
		]);
		const errors = run.outputs[1].map((i) => [String(i.json.error), i.pairedItem]);
		expect(errors[0][0]).toMatch(/No contact with ContactNumber "NOPE"/);
		expect(errors[0][1]).toEqual({ item: 0 });
		expect(errors[1][0]).toMatch(/2 contacts have ContactNumber "TWIN"/);
		expect(errors[1][1]).toEqual({ item: 1 });
	});

	it('by ID: a 404 is "No contact with ID …"; a 500 is an API error, not "not found"', async () => {
		const http = stubHttp([
			connectionsRoute(TENANT),
			route('GET', /\/Contacts\/([^/]+)$/, (_r, [id]) =>
				id === ID ? status(404, { Title: 'Not Found' }) : status(500, { Title: 'Server error' }),
			),
		]);
		const run = await runStubbed(
			http,
			'xeroAccounting',
			params({ lookupBy: 'id', contactId: '={{ $json.id }}' }),
			[{ id: ID }],
			STUB_CREDENTIALS,
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(String(run.items[0].json.error)).toMatch(new RegExp(`No contact with ID ${ID}`));
	});
});
