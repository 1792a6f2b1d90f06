/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Contact → Sync from Commusoft Customer through n8n-core's real WorkflowExecute against the Xero sandbox.
// Each test works in its own fresh organisation, so results never depend on test order.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { runNode } from '../helpers/n8nCore';
import { addXeroOrg, xeroApiCall, type XeroOrg } from '../helpers/xeroSandbox';

let xero: XeroSandbox;
let tenantCounter = 0;

/** What the node sent, seen by a recording proxy in front of the sandbox (its call log keeps no bodies). */
interface Recorded {
	method: string;
	path: string;
	query: URLSearchParams;
	tenantId: string;
	body?: IDataObject;
}
const recorded: Recorded[] = [];
let proxy: Server;
let proxyUrl: string;

beforeAll(async () => {
	xero = await startXeroSandbox({
		log: () => {},
		limits: { perTenantMinute: 100_000, appMinute: 100_000 },
	});
	proxy = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			const url = new URL(req.url ?? '/', 'http://proxy');
			recorded.push({
				method: req.method ?? 'GET',
				path: url.pathname,
				query: url.searchParams,
				tenantId: String(req.headers['xero-tenant-id'] ?? ''),
				body: raw.length ? (JSON.parse(raw.toString('utf8')) as IDataObject) : undefined,
			});
			const headers = { ...req.headers };
			delete headers.host;
			delete headers['content-length'];
			fetch(`${xero.url}${req.url ?? '/'}`, {
				method: req.method,
				headers: headers as Record<string, string>,
				body: raw.length ? raw : undefined,
			})
				.then(async (answer) => {
					const text = await answer.text();
					const out: Record<string, string> = {};
					answer.headers.forEach((value, key) => {
						if (
							key !== 'content-encoding' &&
							key !== 'content-length' &&
							key !== 'transfer-encoding'
						)
							out[key] = value;
					});
					res.writeHead(answer.status, out);
					res.end(text);
				})
				.catch(() => {
					res.writeHead(502);
					res.end();
				});
		});
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()));
	proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
	proxy.closeAllConnections();
	await new Promise((resolve) => proxy.close(resolve));
	await xero.close();
});

type Org = XeroOrg;

const freshOrg = (): Org =>
	addXeroOrg(xero, `Contact sync org ${++tenantCounter}`, 'empty', proxyUrl);

const xeroCall = async (org: Org, method: string, path: string, body?: unknown) =>
	await xeroApiCall({ url: xero.url, ...org }, method, path, body);

async function seedContact(org: Org, contact: IDataObject): Promise<IDataObject> {
	const body = await xeroCall(org, 'PUT', '/Contacts', { Contacts: [contact] });
	return (body.Contacts as IDataObject[])[0];
}

async function contactsOf(org: Org): Promise<IDataObject[]> {
	const body = await xeroCall(org, 'GET', '/Contacts?includeArchived=true');
	return body.Contacts as IDataObject[];
}

function customer(overrides: IDataObject = {}): IDataObject {
	return {
		id: '000000c0-0000-4000-8000-000000000001',
		accountReference: 'CUS-00001',
		title: 'Mrs',
		firstName: 'Sarah',
		lastName: "O'Neill",
		customerType: 'private',
		email: 'sarah.oneill@example.co.uk',
		telephone: '0113 496 0001',
		mobile: '07700 900103',
		address: {
			addressLine1: '27 Kirkstall Lane',
			town: 'Leeds',
			county: 'West Yorkshire',
			postcode: 'LS5 3BE',
			country: 'United Kingdom',
		},
		updatedAt: '2026-11-01T09:00:00.000Z',
		...overrides,
	};
}

function params(org: Org, overrides: IDataObject = {}): INodeParameters {
	return {
		resource: 'contact',
		operation: 'sync',
		tenantId: org.tenantId,
		syncFields: ['name', 'title', 'email', 'streetAddress', 'phones'],
		duplicateNameRule: 'appendAccountReference',
		archivedContacts: 'skip',
		whenMissing: 'create',
		...overrides,
	} as INodeParameters;
}

async function sync(
	org: Org,
	items: IDataObject[],
	overrides: IDataObject = {},
	continueOnFail = false,
) {
	const result = await runNode(
		'xeroAccounting',
		params(org, overrides),
		items.map((json) => ({ json })),
		org.credentials,
		continueOnFail ? { node: { onError: 'continueRegularOutput' } } : {},
	);
	return result;
}

const jsonOf = (result: Awaited<ReturnType<typeof sync>>) =>
	result.items.map((item) => item.json as IDataObject);

/** Writes to /Contacts the node sent for this organisation. */
function contactWrites(org: Org) {
	return recorded.filter(
		(call) =>
			call.tenantId === org.tenantId &&
			call.path.startsWith('/api.xro/2.0/Contacts') &&
			call.method !== 'GET',
	);
}

describe('Contact → Sync from Commusoft Customer', () => {
	it('a customer given twice: the skipped item says what became of the one synced, in every outcome', async () => {
		const older = customer({ email: 'old@example.co.uk', updatedAt: '2026-11-01T09:00:00.000Z' });
		const newer = customer({ email: 'new@example.co.uk', updatedAt: '2026-11-02T09:00:00.000Z' });
		/** The skipped item 0's reason must match what item 1 (the later version) really did. */
		const expectTruthful = (result: Awaited<ReturnType<typeof sync>>) => {
			expect(result.error).toBeUndefined();
			const [skipped, sent] = jsonOf(result);
			expect(skipped.action).toBe('skipped');
			const reason = String(skipped.reason);
			expect(reason).toContain('item 1 of this run carries a later version of the same customer');
			expect(reason).not.toMatch(/that one is synced/);
			if (sent.error) {
				expect(reason).toContain(`item 1 failed (${String(sent.error)})`);
				expect(reason).not.toContain('item 1 was written');
			} else if (sent.action === 'created' || sent.action === 'updated')
				expect(reason).toContain(`item 1 was written to Xero (${String(sent.action)})`);
			else if (sent.action === 'unchanged')
				expect(reason).toContain('Xero already matched item 1, so nothing was written');
			else if (sent.action === 'skipped')
				expect(reason).toContain(`item 1 was skipped too (${String(sent.reason)})`);
			else throw new Error(`unexpected outcome ${String(sent.action)}`);
			return sent;
		};
		const org = freshOrg();
		expect(expectTruthful(await sync(org, [older, newer], {}, true)).action).toBe('created');
		expect(expectTruthful(await sync(org, [older, newer], {}, true)).action).toBe('unchanged');
		expect(
			expectTruthful(await sync(freshOrg(), [older, newer], { whenMissing: 'skip' }, true)).action,
		).toBe('skipped');
		// The later version fails (Xero takes no umlaut in an email address): nothing was written for it.
		const clash = freshOrg();
		const refused = customer({ email: 'zoë@example.co.uk', updatedAt: '2026-11-03T09:00:00.000Z' });
		expect(expectTruthful(await sync(clash, [older, refused], {}, true)).error).toBeTruthy();
		expect(await contactsOf(clash)).toHaveLength(0);
	});

	it('creates a missing contact with ContactNumber, then reports unchanged with no write', async () => {
		const org = freshOrg();
		const first = await sync(org, [customer()]);
		expect(first.error).toBeUndefined();
		const [created] = jsonOf(first);
		expect(created).toMatchObject({
			action: 'created',
			accountReference: 'CUS-00001',
			name: "Mrs Sarah O'Neill",
		});
		expect(created.fieldsSent).toEqual(
			expect.arrayContaining(['name', 'email', 'streetAddress', 'phones', 'contactNumber']),
		);
		const [stored] = await contactsOf(org);
		expect(stored).toMatchObject({
			ContactID: created.contactId,
			ContactNumber: 'CUS-00001',
			Name: "Mrs Sarah O'Neill",
			EmailAddress: 'sarah.oneill@example.co.uk',
		});
		expect(
			(stored.Addresses as IDataObject[]).find((a) => a.AddressType === 'STREET'),
		).toMatchObject({ AddressLine1: '27 Kirkstall Lane', PostalCode: 'LS5 3BE' });
		const writesBefore = contactWrites(org).length;
		const again = await sync(org, [customer()]);
		expect(jsonOf(again)[0]).toMatchObject({
			action: 'unchanged',
			contactId: created.contactId,
			fieldsSent: [],
		});
		expect(contactWrites(org).length).toBe(writesBefore);
	});

	const toggleCases: Array<{
		field: string;
		change: IDataObject;
		sentKeys: string[];
		check: (contact: IDataObject) => void;
	}> = [
		{
			field: 'name',
			change: { firstName: 'Sara' },
			sentKeys: ['FirstName', 'Name'],
			check: (c) => expect(c).toMatchObject({ Name: "Mrs Sara O'Neill", FirstName: 'Sara' }),
		},
		{
			field: 'title',
			change: { title: 'Dr' },
			sentKeys: ['Name'],
			check: (c) => expect(c.Name).toBe("Dr Sarah O'Neill"),
		},
		{
			field: 'email',
			change: { email: 'sarah@new.example.co.uk' },
			sentKeys: ['EmailAddress'],
			check: (c) => expect(c.EmailAddress).toBe('sarah@new.example.co.uk'),
		},
		{
			field: 'streetAddress',
			change: {
				address: { addressLine1: '1 New Street', town: 'York', postcode: 'YO1 7HH' },
			},
			sentKeys: ['Addresses'],
			check: (c) => {
				const addresses = c.Addresses as IDataObject[];
				expect(addresses.find((a) => a.AddressType === 'STREET')).toMatchObject({
					AddressLine1: '1 New Street',
					City: 'York',
					PostalCode: 'YO1 7HH',
				});
				// The postal address entered in Xero is kept.
				expect(addresses.find((a) => a.AddressType === 'POBOX')).toMatchObject({
					AddressLine1: 'PO Box 12',
				});
			},
		},
		{
			field: 'phones',
			change: { mobile: '07700 900999' },
			sentKeys: ['Phones'],
			check: (c) => {
				const phones = c.Phones as IDataObject[];
				expect(phones.find((p) => p.PhoneType === 'MOBILE')?.PhoneNumber).toBe('07700 900999');
				expect(phones.find((p) => p.PhoneType === 'FAX')?.PhoneNumber).toBe('0113 000 0000');
			},
		},
	];

	for (const testCase of toggleCases) {
		it(`sends only the changed "${testCase.field}" field, and nothing when that toggle is off`, async () => {
			const org = freshOrg();
			const created = jsonOf(await sync(org, [customer()]))[0];
			// Something entered in Xero by hand that the sync must keep.
			await xeroCall(org, 'POST', `/Contacts/${created.contactId as string}`, {
				Contacts: [
					{
						Addresses: [
							{ AddressType: 'POBOX', AddressLine1: 'PO Box 12', City: 'Leeds' },
							{
								AddressType: 'STREET',
								AddressLine1: '27 Kirkstall Lane',
								City: 'Leeds',
								Region: 'West Yorkshire',
								PostalCode: 'LS5 3BE',
								Country: 'United Kingdom',
							},
						],
						Phones: [
							{ PhoneType: 'DEFAULT', PhoneNumber: '0113 496 0001' },
							{ PhoneType: 'MOBILE', PhoneNumber: '07700 900103' },
							{ PhoneType: 'FAX', PhoneNumber: '0113 000 0000' },
						],
					},
				],
			});
			const changed = customer(testCase.change);

			// Toggle off: nothing is sent for that field.
			const others = ['name', 'title', 'email', 'streetAddress', 'phones'].filter(
				(f) => f !== testCase.field && !(testCase.field === 'title' && f === 'name'),
			);
			const off = jsonOf(await sync(org, [changed], { syncFields: others }))[0];
			expect(off).toMatchObject({ action: 'unchanged', fieldsSent: [] });

			// Toggle on: one POST carrying ContactID and only that field.
			const before = contactWrites(org).length;
			const on = jsonOf(await sync(org, [changed]))[0];
			expect(on).toMatchObject({ action: 'updated', contactId: created.contactId });
			expect(on.fieldsSent).toEqual([testCase.field]);
			const writes = contactWrites(org).slice(before);
			expect(writes).toHaveLength(1);
			const sent = (writes[0].body as { Contacts: IDataObject[] }).Contacts[0];
			expect(Object.keys(sent).sort()).toEqual(['ContactID', ...testCase.sentKeys].sort());
			const stored = (await contactsOf(org)).find((c) => c.ContactID === created.contactId)!;
			testCase.check(stored);
		});
	}

	it('two Commusoft customers with the same name: never one contact; the chosen rule applies', async () => {
		const org = freshOrg();
		const john1 = customer({
			id: 'c1',
			accountReference: 'CUS-00011',
			title: 'Mr',
			firstName: 'John',
			lastName: 'Smith',
			email: 'john1@example.co.uk',
			address: { addressLine1: '1 A Road', postcode: 'LS1 1AA' },
		});
		const john2 = customer({
			id: 'c2',
			accountReference: 'CUS-00012',
			title: 'Mr',
			firstName: 'John',
			lastName: 'Smith',
			email: 'john2@example.co.uk',
			address: { addressLine1: '2 B Road', postcode: 'YO1 2BB' },
		});

		// Fail rule: the second is reported (continue on fail) and nothing is written for it.
		const failed = jsonOf(await sync(org, [john1, john2], { duplicateNameRule: 'fail' }, true));
		expect(failed[0]).toMatchObject({ action: 'created', name: 'Mr John Smith' });
		expect(failed[1]).toMatchObject({
			error: expect.stringContaining('already used'),
			details: { action: 'failed', accountReference: 'CUS-00012' },
		});
		expect((failed[1].details as IDataObject).nameConflict).toMatchObject({
			name: 'Mr John Smith',
			heldByAccountReference: 'CUS-00011',
			rule: 'fail',
		});
		expect(await contactsOf(org)).toHaveLength(1);

		// Without continue-on-fail the run stops before writing anything.
		const stopped = await sync(org, [john2], { duplicateNameRule: 'fail' });
		expect(stopped.error?.message).toMatch(/already used by Xero contact/);
		expect(await contactsOf(org)).toHaveLength(1);

		// Append postcode (against the contact now in Xero).
		const byPostcode = jsonOf(await sync(org, [john2], { duplicateNameRule: 'appendPostcode' }))[0];
		expect(byPostcode).toMatchObject({ action: 'created', name: 'Mr John Smith (YO1 2BB)' });
		expect(byPostcode.nameConflict).toMatchObject({
			heldByContactId: failed[0].contactId,
			resolvedName: 'Mr John Smith (YO1 2BB)',
		});
		const names = (await contactsOf(org)).map((c) => c.Name).sort();
		expect(names).toEqual(['Mr John Smith', 'Mr John Smith (YO1 2BB)']);

		// Re-running is stable: both unchanged, still two contacts.
		const rerun = jsonOf(await sync(org, [john1, john2], { duplicateNameRule: 'appendPostcode' }));
		expect(rerun.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
	});

	it('append account reference applies within one run, and to a rename onto a taken name', async () => {
		const org = freshOrg();
		const a = customer({
			accountReference: 'CUS-00021',
			title: undefined,
			firstName: 'Amy',
			lastName: 'Lee',
			email: 'amy1@example.co.uk',
		});
		const b = customer({
			accountReference: 'CUS-00022',
			title: undefined,
			firstName: 'Amy',
			lastName: 'Lee',
			email: 'amy2@example.co.uk',
		});
		const c = customer({
			accountReference: 'CUS-00023',
			title: undefined,
			firstName: 'Bob',
			lastName: 'Ray',
			email: 'bob@example.co.uk',
		});
		const out = jsonOf(await sync(org, [a, b, c]));
		expect(out.map((r) => [r.action, r.name])).toEqual([
			['created', 'Amy Lee'],
			['created', 'Amy Lee (CUS-00022)'],
			['created', 'Bob Ray'],
		]);
		// Bob renames himself to Amy Lee in Commusoft: he keeps his own contact, disambiguated.
		const renamed = jsonOf(
			await sync(org, [{ ...c, firstName: 'Amy', lastName: 'Lee', changedFields: ['name'] }]),
		)[0];
		expect(renamed).toMatchObject({
			action: 'updated',
			contactId: out[2].contactId,
			name: 'Amy Lee (CUS-00023)',
		});
		expect(await contactsOf(org)).toHaveLength(3);
	});

	it('archived contacts: skipped, or restored and updated', async () => {
		const org = freshOrg();
		const contact = await seedContact(org, {
			Name: "Mrs Sarah O'Neill",
			ContactNumber: 'CUS-00001',
			EmailAddress: 'old@example.co.uk',
		});
		await xeroCall(org, 'POST', `/Contacts/${contact.ContactID as string}`, {
			Contacts: [{ ContactStatus: 'ARCHIVED' }],
		});
		const skipped = jsonOf(await sync(org, [customer()], { archivedContacts: 'skip' }))[0];
		expect(skipped).toMatchObject({ action: 'skipped', contactId: contact.ContactID });
		expect(skipped.reason).toMatch(/archived/);
		expect((await contactsOf(org))[0].ContactStatus).toBe('ARCHIVED');

		const restored = jsonOf(await sync(org, [customer()], { archivedContacts: 'restore' }))[0];
		expect(restored).toMatchObject({
			action: 'updated',
			restored: true,
			contactId: contact.ContactID,
		});
		expect(restored.fieldsSent).toEqual(expect.arrayContaining(['email', 'status']));
		const [stored] = await contactsOf(org);
		expect(stored).toMatchObject({
			ContactStatus: 'ACTIVE',
			EmailAddress: 'sarah.oneill@example.co.uk',
		});
	});

	it('links by the stored Xero ContactID when no contact has the ContactNumber, and sets it', async () => {
		const org = freshOrg();
		const contact = await seedContact(org, { Name: "Mrs Sarah O'Neill" });
		const out = jsonOf(
			await sync(org, [customer({ xeroContactId: contact.ContactID })], { syncFields: ['email'] }),
		)[0];
		expect(out).toMatchObject({ action: 'updated', contactId: contact.ContactID });
		expect(out.fieldsSent).toEqual(['email', 'contactNumber']);
		expect((await contactsOf(org))[0]).toMatchObject({ ContactNumber: 'CUS-00001' });
	});

	it('contact persons go as the complete list (merge keeps persons added in Xero) or not at all', async () => {
		const org = freshOrg();
		const contact = await seedContact(org, {
			Name: "Mrs Sarah O'Neill",
			ContactNumber: 'CUS-00001',
			ContactPersons: [{ FirstName: 'Xero', LastName: 'Only', EmailAddress: 'x@example.co.uk' }],
		});
		const persons = [{ firstName: 'Tom', lastName: "O'Neill", email: 'tom@example.co.uk' }];
		const merged = jsonOf(
			await sync(org, [customer({ contactPersons: persons })], { syncFields: ['contactPersons'] }),
		)[0];
		expect(merged.fieldsSent).toEqual(['contactPersons']);
		let stored = (await contactsOf(org))[0];
		expect((stored.ContactPersons as IDataObject[]).map((p) => p.EmailAddress)).toEqual([
			'x@example.co.uk',
			'tom@example.co.uk',
		]);
		// Same list again: nothing sent (so Xero's list is never replaced by a partial one).
		const same = jsonOf(
			await sync(org, [customer({ contactPersons: persons })], { syncFields: ['contactPersons'] }),
		)[0];
		expect(same.action).toBe('unchanged');
		// Replace mode: the item's list becomes the list.
		await sync(org, [customer({ contactPersons: persons })], {
			syncFields: ['contactPersons'],
			syncOptions: { personsMode: 'replace' },
		});
		stored = (await contactsOf(org))[0];
		expect(stored.ContactID).toBe(contact.ContactID);
		expect((stored.ContactPersons as IDataObject[]).map((p) => p.EmailAddress)).toEqual([
			'tom@example.co.uk',
		]);
	});

	it('only looks at the fields the trigger reported as changed', async () => {
		const org = freshOrg();
		await seedContact(org, {
			Name: "Mrs Sarah O'Neill",
			FirstName: 'Sarah',
			LastName: "O'Neill",
			ContactNumber: 'CUS-00001',
			EmailAddress: 'different@example.co.uk',
		});
		const out = jsonOf(
			await sync(org, [customer({ changedFields: ['title'] })], {
				syncFields: ['name', 'title', 'email'],
			}),
		)[0];
		expect(out).toMatchObject({ action: 'unchanged' });
		const full = jsonOf(
			await sync(org, [customer({ changedFields: ['title'] })], {
				syncFields: ['name', 'title', 'email'],
				syncOptions: { onlyReportedChanges: false },
			}),
		)[0];
		expect(full.fieldsSent).toEqual(['email']);
	});

	it('writes 120 customers in batches of at most 50 per call', async () => {
		const org = freshOrg();
		const many = Array.from({ length: 120 }, (_, i) =>
			customer({
				id: `c${i}`,
				accountReference: `CUS-${String(i + 1).padStart(5, '0')}`,
				firstName: `Person${i}`,
				email: `p${i}@example.co.uk`,
			}),
		);
		const before = contactWrites(org).length;
		const out = jsonOf(await sync(org, many));
		expect(out.every((r) => r.action === 'created')).toBe(true);
		const writes = contactWrites(org).slice(before);
		const sizes = writes.map((w) => (w.body as { Contacts: unknown[] }).Contacts.length);
		expect(sizes.every((size) => size <= 50)).toBe(true);
		expect(sizes.reduce((a, b) => a + b, 0)).toBe(120);
		expect(writes).toHaveLength(3);
		expect(writes.every((w) => w.query.get('summarizeErrors') === 'false')).toBe(true);
	});
});
