// Commusoft suppliers → Xero contacts: Commusoft → Supplier → Get Many feeds Xero Accounting → Contact → Sync
// (both through n8n-core's real WorkflowExecute), against the Commusoft and Xero sandboxes. Each test works in its
// own fresh Xero organisation.
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runNode } from '../helpers/n8nCore';
import {
	addXeroOrg,
	commusoftCredential,
	createXeroInvoices,
	startXeroAndCommusoftFixture,
	xeroApiCall,
	type XeroFixture,
} from '../helpers/xeroSandbox';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';

let fixture: XeroFixture & { commusoft: RunningCommusoftSandbox };
let orgCounter = 0;

beforeAll(async () => {
	fixture = await startXeroAndCommusoftFixture();
});
afterAll(async () => await fixture.close());

function freshOrg() {
	const org = addXeroOrg(fixture.xero, `Supplier sync org ${++orgCounter}`, 'empty');
	const credentials = { ...org.credentials, commusoftApi: commusoftCredential(fixture.commusoft) };
	const call = async (method: string, path: string, body?: unknown) =>
		await xeroApiCall({ url: fixture.xero.url, ...org }, method, path, body);
	return { ...org, credentials, call };
}
type Org = ReturnType<typeof freshOrg>;

async function commusoft(org: Org, parameters: IDataObject): Promise<IDataObject[]> {
	const result = await runNode(
		'commusoft',
		parameters as INodeParameters,
		[{ json: {} }],
		org.credentials,
	);
	expect(result.error).toBeUndefined();
	return result.items.map((item) => item.json);
}

const suppliers = async (org: Org) =>
	await commusoft(org, { resource: 'supplier', operation: 'getMany', returnAll: true });

/** The seeded customer that shares its name with supplier SUP-00004. */
const landlordCustomer = async (org: Org) =>
	await commusoft(org, {
		resource: 'customer',
		operation: 'getMany',
		returnAll: true,
		filters: { accountReference: 'CUS-00013' },
	});

async function sync(org: Org, items: IDataObject[], overrides: IDataObject = {}) {
	const result = await runNode(
		'xeroAccounting',
		{
			resource: 'contact',
			operation: 'sync',
			tenantId: org.tenantId,
			syncFields: ['name', 'email', 'streetAddress', 'phones'],
			duplicateNameRule: 'appendAccountReference',
			archivedContacts: 'skip',
			whenMissing: 'create',
			...overrides,
		} as INodeParameters,
		items.map((json) => ({ json })),
		org.credentials,
		{ node: { onError: 'continueRegularOutput' } },
	);
	expect(result.error).toBeUndefined();
	return result.items.map((item) => item.json);
}

async function contactsOf(org: Org): Promise<IDataObject[]> {
	return (await org.call('GET', '/Contacts?includeArchived=true')).Contacts as IDataObject[];
}

const LANDLORD = 'Northern Property Management LLP';

describe('Commusoft suppliers → Xero contacts (Contact → Sync)', () => {
	it('reads the documented supplier fields into CommusoftSupplier records', async () => {
		const org = freshOrg();
		const read = await suppliers(org);
		expect(read.map((s) => s.accountReference)).toEqual([
			'SUP-00001',
			'SUP-00002',
			'SUP-00003',
			'SUP-00004',
			'SUP-00005',
		]);
		expect(read[0]).toMatchObject({
			recordType: 'supplier',
			name: 'Plumb Center Leeds',
			contactName: 'Trade Counter',
			vatNumber: 'GB222333444',
			address: { postcode: 'LS4 2AZ' },
		});
	});

	it('a supplier and a customer with the same name stay two correct contacts, in either order and in one run', async () => {
		for (const order of ['customerFirst', 'supplierFirst', 'sameRun'] as const) {
			const org = freshOrg();
			const [customer] = await landlordCustomer(org);
			const supplier = (await suppliers(org)).find((s) => s.name === LANDLORD)!;
			expect(customer.companyName).toBe(LANDLORD);
			const results =
				order === 'sameRun'
					? await sync(org, [customer, supplier])
					: order === 'customerFirst'
						? [...(await sync(org, [customer])), ...(await sync(org, [supplier]))]
						: [...(await sync(org, [supplier])), ...(await sync(org, [customer])).reverse()];
			const [forCustomer, forSupplier] =
				order === 'supplierFirst' ? [results[1], results[0]] : results;
			expect(forCustomer, order).toMatchObject({
				action: 'created',
				accountReference: 'CUS-00013',
				commusoftCustomerId: customer.id,
			});
			expect(forSupplier, order).toMatchObject({
				action: 'created',
				accountReference: 'SUP-00004',
				commusoftSupplierId: supplier.id,
			});
			expect(forSupplier.contactId).not.toBe(forCustomer.contactId);
			const contacts = await contactsOf(org);
			expect(contacts).toHaveLength(2);
			const byNumber = Object.fromEntries(contacts.map((c) => [c.ContactNumber, c]));
			// The one synced second takes the suffix; each keeps its own number, e-mail and address.
			expect(byNumber['CUS-00013']).toMatchObject({
				Name: order === 'supplierFirst' ? `${LANDLORD} (CUS-00013)` : LANDLORD,
				EmailAddress: 'ap@northernpm.example',
			});
			expect(byNumber['SUP:SUP-00004']).toMatchObject({
				Name: order === 'supplierFirst' ? LANDLORD : `${LANDLORD} (SUP-00004)`,
				EmailAddress: 'ar@northernpm.example',
			});

			// Re-run both: found by number, nothing written, no third contact.
			const again = await sync(org, [supplier, customer]);
			expect(again.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
			expect(await contactsOf(org)).toHaveLength(2);
		}
	});

	it('all suppliers: created once, unchanged on a re-run, an edit sends only what changed', async () => {
		const org = freshOrg();
		const first = await sync(org, await suppliers(org));
		expect(first.map((r) => r.action)).toEqual(Array(5).fill('created'));
		expect((await contactsOf(org)).map((c) => c.ContactNumber).sort()).toEqual([
			'SUP:SUP-00001',
			'SUP:SUP-00002',
			'SUP:SUP-00003',
			'SUP:SUP-00004',
			'SUP:SUP-00005',
		]);
		const plumbCenter = (await contactsOf(org)).find((c) => c.Name === 'Plumb Center Leeds')!;
		// IsSupplier is Xero's own (read-only): never sent, false until a bill exists.
		expect(plumbCenter).toMatchObject({ FirstName: 'Trade', LastName: 'Counter' });

		const second = await sync(org, await suppliers(org));
		expect(second.map((r) => r.action)).toEqual(Array(5).fill('unchanged'));

		const uuid = fixture.commusoft.state.data.suppliers[1].uuid;
		fixture.commusoft.state.editSupplier(uuid, { email: 'ap@cityplumbing-wakefield.example' });
		try {
			const third = await sync(org, await suppliers(org));
			expect(third.map((r) => r.action)).toEqual([
				'unchanged',
				'unchanged',
				'unchanged',
				'unchanged',
				'updated',
			]);
			expect(third[4]).toMatchObject({ accountReference: 'SUP-00002', fieldsSent: ['email'] });
			expect(await contactsOf(org)).toHaveLength(5);
		} finally {
			fixture.commusoft.state.editSupplier(uuid, {
				email: 'accounts@cityplumbing-wakefield.example',
			});
		}
	});

	it('links a supplier the bookkeeper keyed into Xero (by e-mail, else exact name) instead of duplicating it', async () => {
		const org = freshOrg();
		const [byName, byEmail] = (
			(await org.call('PUT', '/Contacts', {
				Contacts: [
					{ Name: 'Plumb Center Leeds' },
					{ Name: 'Screwfix (trade account)', EmailAddress: 'trade@screwfix.example' },
				],
			})) as { Contacts: IDataObject[] }
		).Contacts;
		const results = await sync(org, await suppliers(org));
		const byRef = Object.fromEntries(results.map((r) => [r.accountReference, r]));
		expect(byRef['SUP-00001']).toMatchObject({
			action: 'updated',
			matchedBy: 'name',
			contactId: byName.ContactID,
		});
		expect(byRef['SUP-00005']).toMatchObject({
			action: 'updated',
			matchedBy: 'email',
			contactId: byEmail.ContactID,
			name: 'Screwfix Direct',
		});
		const contacts = await contactsOf(org);
		expect(contacts).toHaveLength(5);
		expect(contacts.find((c) => c.ContactID === byName.ContactID)?.ContactNumber).toBe(
			'SUP:SUP-00001',
		);
		// Linked now: the next run finds them by number.
		const again = await sync(org, await suppliers(org));
		expect(again.every((r) => r.action === 'unchanged' && !r.matchedBy)).toBe(true);
	});

	it("never adopts a customer's contact: numbered by a customer, or a customer in Xero (IsCustomer)", async () => {
		const org = freshOrg();
		const [numbered, xeroCustomer] = (
			(await org.call('PUT', '/Contacts', {
				Contacts: [
					{ Name: 'Plumb Center Leeds', ContactNumber: 'CUS-00099' },
					{ Name: 'J Smith Electrical Ltd', EmailAddress: 'james@jsmith-electrical.example' },
				],
			})) as { Contacts: IDataObject[] }
		).Contacts;
		await createXeroInvoices(org.call, String(xeroCustomer.ContactID), [{ number: 'INV-1' }]);
		const results = await sync(org, await suppliers(org));
		const byRef = Object.fromEntries(results.map((r) => [r.accountReference, r]));
		for (const [ref, taken] of [
			['SUP-00001', numbered],
			['SUP-00003', xeroCustomer],
		] as const) {
			expect(byRef[ref].action).toBe('created');
			expect(byRef[ref].contactId).not.toBe(taken.ContactID);
			expect(byRef[ref].name).toBe(`${String(taken.Name)} (${ref})`);
		}
		expect(await contactsOf(org)).toHaveLength(7);
	});

	it("the customer import from Xero leaves the suppliers' contacts out (they would become customers)", async () => {
		const org = freshOrg();
		await sync(org, await suppliers(org));
		const [customer] = await landlordCustomer(org);
		await sync(org, [customer]);
		const contacts = await contactsOf(org);
		const before = fixture.commusoft.state.data.customers.length;
		const plan = await runNode(
			'commusoft',
			{
				resource: 'customer',
				operation: 'importFromXero',
				importMode: 'dryRun',
				importRunId: `supplier-sync-${orgCounter}`,
				importOptions: {},
			} as never,
			contacts.map((json) => ({ json })),
			org.credentials,
		);
		expect(plan.error).toBeUndefined();
		const supplierEntries = plan.items
			.map((item) => item.json)
			.filter((entry) => JSON.stringify(entry).includes('SUP:SUP-'));
		expect(supplierEntries).toHaveLength(5);
		for (const entry of supplierEntries) {
			expect(entry.action).toBe('skip');
			expect(entry.reason).toMatch(/Commusoft supplier's/);
		}
		expect(fixture.commusoft.state.data.customers).toHaveLength(before);
	});

	it('bad input fails only that item, naming it, the field and the fix', async () => {
		const org = freshOrg();
		const [good] = await suppliers(org);
		const results = await sync(org, [
			{ ...good, accountReference: '' },
			good,
			{ accountReference: 'SUP:7', firstName: 'A', lastName: 'Customer' },
		]);
		expect(results[0]).toMatchObject({ error: expect.stringContaining('"accountReference"') });
		expect(results[1]).toMatchObject({ action: 'created', accountReference: 'SUP-00001' });
		expect(results[2].error).toMatch(
			/starts with "SUP:".*Fix: change the customer's account reference/,
		);
		expect(await contactsOf(org)).toHaveLength(1);
	});
});
