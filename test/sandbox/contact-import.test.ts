// Commusoft → Customer → Import From Xero (dry run, import, resume, undo) through n8n-core's real
// WorkflowExecute against the Commusoft sandbox. The run tag (`importRunId`) and permanent delete are ASSUMED
// contract (docs/commusoft-api-contract.md), implemented by the sandbox.
import { randomUUID } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';
import { createCustomer, deleteCustomer } from '../../sandbox/commusoft/state';
import { startAnswerDroppingProxy, type AnswerDroppingProxy } from '../helpers/answerDroppingProxy';
import { runNode } from '../helpers/n8nCore';
import { commusoftCredential } from '../helpers/xeroSandbox';

let sandbox: RunningCommusoftSandbox;
let proxy: AnswerDroppingProxy;

function credentials(baseUrl = sandbox.apiBaseUrl): Record<string, ICredentialDataDecryptedObject> {
	return { commusoftApi: commusoftCredential(sandbox, { baseUrl }) };
}

async function inspect(path: string, init?: RequestInit): Promise<IDataObject> {
	const response = await fetch(`${sandbox.url}/__sandbox/${path}`, init);
	return (await response.json()) as IDataObject;
}

/** Everything the sandbox stores, minus what no database rewinds (id sequences) and session details. */
async function snapshot(): Promise<IDataObject> {
	const state = await inspect('state');
	delete state.counters;
	delete state.activeTokens;
	delete state.faults;
	delete state.clockOffsetMs;
	return state;
}

async function calls(): Promise<Array<{ method: string; endpoint: string; status: number }>> {
	return (await inspect('calls')).calls as Array<{
		method: string;
		endpoint: string;
		status: number;
	}>;
}

const G = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Xero contacts as Contact → Get Many emits them, messy as real books are. */
function xeroContacts(): IDataObject[] {
	return [
		{
			ContactID: G(1),
			Name: '  MR  PETER   JONES ',
			EmailAddress: ' Peter.Jones@Example.com ',
			ContactStatus: 'ACTIVE',
			Addresses: [
				{ AddressType: 'POBOX' },
				{
					AddressType: 'STREET',
					AddressLine1: '',
					AddressLine2: '5 Mill Lane',
					City: 'Otley',
					PostalCode: 'ls212ab',
				},
			],
			Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '07700 900555' }],
		},
		{
			ContactID: G(2),
			Name: 'Acme Plumbing Supplies Ltd',
			FirstName: 'Jane',
			LastName: 'Doe',
			EmailAddress: 'jane@acme.example',
			ContactNumber: 'XC-0002',
			ContactStatus: 'ACTIVE',
		},
		// Already in Commusoft by email (Sarah O'Neill, CUS-00003).
		{ ContactID: G(3), Name: 'Sarah O Neill', EmailAddress: 'sarah.oneill@example.co.uk' },
		// Already in Commusoft by ContactNumber = customer reference.
		{
			ContactID: G(4),
			Name: 'Somebody Else',
			ContactNumber: 'CUS-00004',
			EmailAddress: 'x@y.example',
		},
		// Already in Commusoft by (normalised) company name.
		{ ContactID: G(5), Name: 'hartley  lettings ltd', EmailAddress: 'other@hartley.example' },
		// Already linked: a customer stores this ContactID.
		{ ContactID: G(6), Name: 'Linked Person', EmailAddress: 'linked@example.co.uk' },
		// Two Commusoft customers are called John Smith: not imported, not guessed.
		{ ContactID: G(7), Name: 'John Smith', EmailAddress: 'js@elsewhere.example' },
		{
			ContactID: G(8),
			Name: 'Old Customer Ltd',
			FirstName: 'Old',
			LastName: 'Customer',
			ContactStatus: 'ARCHIVED',
		},
		{ ContactID: G(9), Name: 'Greenfield School', EmailAddress: 'bursar@greenfield.example' },
		{ ContactID: G(10), Name: 'SMITH, Anna', EmailAddress: 'anna.smith@example.co.uk' },
	];
}

async function importRun(
	mode: 'dryRun' | 'import' | 'undo',
	items: IDataObject[] = xeroContacts(),
	options: IDataObject = {},
	runId = 'xero-import-test',
	baseUrl?: string,
) {
	return await runNode(
		'commusoft',
		{
			resource: 'customer',
			operation: 'importFromXero',
			importMode: mode,
			importRunId: runId,
			importOptions: options,
		} as never,
		items.map((json) => ({ json })),
		credentials(baseUrl),
	);
}

const byContact = (items: Array<{ json: IDataObject }>) =>
	Object.fromEntries(items.map((item) => [item.json.xeroContactId as string, item.json]));

beforeAll(async () => {
	sandbox = await startCommusoftSandbox();
	proxy = await startAnswerDroppingProxy(sandbox.url);
});
afterAll(async () => {
	await proxy.close();
	await sandbox.close();
});
beforeEach(async () => {
	await inspect('reset', { method: 'POST', body: '{}' });
	await inspect('faults', { method: 'DELETE' });
	const linked = sandbox.state.data.customers.find((c) => c.reference === 'CUS-00006')!;
	sandbox.state.editCustomer(linked.uuid, { accountingSettings: { accountingReference: G(6) } });
	await inspect('calls', { method: 'DELETE' });
});

describe('Customer → Import From Xero', () => {
	it('dry run lists create / link / skip with reasons and writes nothing', async () => {
		const before = await snapshot();
		const run = await importRun('dryRun');
		expect(run.error).toBeUndefined();
		const out = byContact(run.items);
		expect(
			run.items.every(
				(item, index) => item.pairedItem && (item.pairedItem as { item: number }).item === index,
			),
		).toBe(true);

		expect(out[G(1)]).toMatchObject({
			action: 'create',
			customer: {
				customerType: 'private',
				title: 'Mr',
				firstName: 'Peter',
				lastName: 'Jones',
				email: 'peter.jones@example.com',
				mobile: '07700 900555',
				address: { addressLine1: '5 Mill Lane', town: 'Otley', postcode: 'LS21 2AB' },
				xeroContactId: G(1),
			},
		});
		expect(out[G(2)]).toMatchObject({
			action: 'create',
			customer: {
				customerType: 'company',
				companyName: 'Acme Plumbing Supplies Ltd',
				firstName: 'Jane',
				lastName: 'Doe',
				accountReference: 'XC-0002',
			},
		});
		expect(out[G(3)]).toMatchObject({ action: 'link', matchedBy: 'email' });
		expect(out[G(4)]).toMatchObject({ action: 'link', matchedBy: 'contactNumber' });
		expect(out[G(5)]).toMatchObject({ action: 'link', matchedBy: 'name' });
		expect(out[G(6)]).toMatchObject({ action: 'link', matchedBy: 'xeroContactId' });
		expect(out[G(7)]).toMatchObject({ action: 'skip', matchedBy: 'name' });
		expect(out[G(7)].reason).toMatch(/2 Commusoft customers have the same name/);
		expect(out[G(8)]).toMatchObject({ action: 'skip' });
		expect(out[G(8)].reason).toMatch(/archived/);
		expect(out[G(9)].reason).toMatch(/company without a contact person/);
		expect(out[G(10)]).toMatchObject({
			action: 'create',
			customer: { firstName: 'Anna', lastName: 'Smith' },
		});

		// Only reads reached Commusoft, and nothing changed.
		const log = await calls();
		expect(log.length).toBeGreaterThan(0);
		expect(
			log.filter((call) => call.method !== 'GET' && call.endpoint !== 'POST /getToken'),
		).toEqual([]);
		expect(await snapshot()).toEqual(before);
	});

	it('import creates tagged customers once; undo leaves Commusoft exactly as it started', async () => {
		const before = await snapshot();
		const imported = await importRun('import');
		expect(imported.error).toBeUndefined();
		const out = byContact(imported.items);
		const created = imported.items.filter((item) => item.json.action === 'created');
		expect(created.map((item) => item.json.xeroContactId).sort()).toEqual([G(1), G(2), G(10)]);
		expect(out[G(3)].action).toBe('linked');
		expect(out[G(8)].action).toBe('skipped');

		const stored = sandbox.state.data.customers.filter((c) => c.importRunId === 'xero-import-test');
		expect(stored).toHaveLength(3);
		const peter = stored.find((c) => c.accountingSettings.accountingReference === G(1))!;
		expect(peter).toMatchObject({
			title: 'Mr',
			firstName: 'Peter',
			lastName: 'Jones',
			uuid: out[G(1)].commusoftCustomerId,
		});

		// Running the same import again creates nothing more.
		const again = await importRun('import');
		expect(again.items.filter((item) => item.json.action === 'created')).toEqual([]);
		expect(byContact(again.items)[G(1)].action).toBe('alreadyImported');
		expect(sandbox.state.data.customers.filter((c) => c.importRunId)).toHaveLength(3);

		// Another run's undo touches nothing of this one.
		const otherUndo = await importRun('undo', [{}], {}, 'another-run');
		expect(otherUndo.items.map((item) => item.json.action)).toEqual(['nothingToUndo']);

		const undone = await importRun('undo', [{}]);
		expect(undone.error).toBeUndefined();
		expect(undone.items.map((item) => item.json.action)).toEqual(['removed', 'removed', 'removed']);
		expect(await snapshot()).toEqual(before);
	});

	it('an import interrupted mid-run resumes and creates each customer exactly once', async () => {
		const before = await snapshot();
		// The first create gets through, then Commusoft answers 503 to every create.
		await inspect('faults', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ failAfterCalls: 1, faultMethod: 'POST', pathPrefix: '/customers' }),
		});
		const interrupted = await importRun('import');
		expect(interrupted.error?.message).toMatch(/503/);
		expect(interrupted.error?.description).toMatch(/same Import Run ID to resume/);
		expect(sandbox.state.data.customers.filter((c) => c.importRunId)).toHaveLength(1);

		await inspect('faults', { method: 'DELETE' });
		const resumed = await importRun('import');
		expect(resumed.error).toBeUndefined();
		const actions = byContact(resumed.items);
		expect(actions[G(1)].action).toBe('alreadyImported');
		expect(actions[G(2)].action).toBe('created');
		expect(actions[G(10)].action).toBe('created');
		for (const id of [G(1), G(2), G(10)]) {
			expect(
				sandbox.state.data.customers.filter((c) => c.accountingSettings.accountingReference === id),
			).toHaveLength(1);
		}
		await importRun('undo', [{}]);
		expect(await snapshot()).toEqual(before);
	}, 60_000);

	it('a create whose answer was lost is retried, met with 409, recognised as ours: one customer, reported created', async () => {
		const before = await snapshot();
		proxy.dropNext.add('POST /customers');
		const run = await importRun('import', xeroContacts(), {}, 'xero-import-test', proxy.apiBaseUrl);
		expect(run.error).toBeUndefined();
		const created = run.items.filter((item) => item.json.action === 'created');
		expect(created.map((item) => item.json.xeroContactId).sort()).toEqual(
			[G(1), G(10), G(2)].sort(),
		);
		const log = await calls();
		// The first create was applied but its answer lost; the repeat got 409 and the customer was read back.
		expect(log.filter((c) => c.endpoint === 'POST /customers').map((c) => c.status)).toEqual([
			201, 409, 201, 201,
		]);
		for (const id of [G(1), G(2), G(10)])
			expect(
				sandbox.state.data.customers.filter((c) => c.accountingSettings.accountingReference === id),
			).toHaveLength(1);
		await importRun('undo', [{}]);
		expect(await snapshot()).toEqual(before);
	});

	it('sends a contact Commusoft refuses to the error output and imports the others', async () => {
		// A customer deleted in Commusoft still holds reference XC-0002 (hidden from the list the import
		// plans with), so Commusoft refuses Acme's create with 409.
		const retired = createCustomer(
			sandbox.state.data,
			{ uuid: randomUUID(), firstName: 'Former', lastName: 'Acme', reference: 'XC-0002' },
			new Date().toISOString(),
		);
		deleteCustomer(sandbox.state.data, retired.uuid, new Date().toISOString());
		const run = await runNode(
			'commusoft',
			{
				resource: 'customer',
				operation: 'importFromXero',
				importMode: 'import',
				importRunId: 'xero-import-test',
				importOptions: {},
			} as never,
			xeroContacts().map((json) => ({ json })),
			credentials(),
			{ node: { onError: 'continueErrorOutput' } },
		);
		expect(run.error).toBeUndefined();
		const [main, failed] = run.outputs;
		expect(failed).toHaveLength(1);
		expect(failed[0].pairedItem).toEqual({ item: 1 });
		expect(failed[0].json).toMatchObject({
			message: 'Xero contact "Acme Plumbing Supplies Ltd" was not imported',
			details: { action: 'failed', xeroContactId: G(2), importRunId: 'xero-import-test' },
		});
		expect(failed[0].json.error).toMatch(/XC-0002 is already used/);
		expect(main.map((item) => item.json.action)).not.toContain('failed');
		expect(
			main
				.filter((item) => item.json.action === 'created')
				.map((item) => item.json.xeroContactId)
				.sort(),
		).toEqual([G(1), G(10)]);
	});

	it('undo sends a customer Commusoft could not remove to the error output and removes the rest', async () => {
		const imported = await importRun('import');
		const created = imported.items.filter((item) => item.json.action === 'created');
		expect(created.length).toBeGreaterThanOrEqual(2);
		// The first removal goes through; every later DELETE on /customers answers 503 (retries included).
		sandbox.state.setFaults({ failAfterCalls: 1, pathPrefix: '/customers', faultMethod: 'DELETE' });
		const undone = await runNode(
			'commusoft',
			{
				resource: 'customer',
				operation: 'importFromXero',
				importMode: 'undo',
				importRunId: 'xero-import-test',
				importOptions: {},
			} as never,
			[{ json: {} }],
			credentials(),
			{ node: { onError: 'continueErrorOutput' } },
		);
		sandbox.state.clearFaults();
		expect(undone.error).toBeUndefined();
		const [main, failed] = undone.outputs;
		expect(main.map((item) => item.json.action)).toEqual(['removed']);
		expect(failed).toHaveLength(created.length - 1);
		for (const item of failed) {
			expect(Object.keys(item.json).sort()).toEqual(['details', 'error', 'message']);
			expect(item.json.message).toMatch(/^Commusoft customer .+ was not removed$/);
			expect(item.json.details).toMatchObject({ mode: 'undo', action: 'failed' });
		}
		const left = sandbox.state.data.customers.filter((c) => c.importRunId === 'xero-import-test');
		expect(left).toHaveLength(created.length - 1);
	});

	it('undo keeps customers edited or used since the import, and says why', async () => {
		await importRun('import');
		const peter = sandbox.state.data.customers.find(
			(c) => c.accountingSettings.accountingReference === G(1),
		)!;
		const acme = sandbox.state.data.customers.find(
			(c) => c.accountingSettings.accountingReference === G(2),
		)!;
		await inspect('clock', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ advanceSeconds: 60 }),
		});
		sandbox.state.editCustomer(peter.uuid, { telephone: '0113 000 1111' });
		sandbox.state.createJob({ customerUuid: acme.uuid, description: 'Boiler service' });

		const undone = await importRun('undo', [{}]);
		const byId = Object.fromEntries(
			undone.items.map((item) => [item.json.commusoftCustomerId as string, item.json]),
		);
		expect(byId[peter.uuid]).toMatchObject({ action: 'kept' });
		expect(byId[peter.uuid].reason).toMatch(/changed in Commusoft since the import/);
		expect(byId[acme.uuid]).toMatchObject({ action: 'kept' });
		expect(byId[acme.uuid].reason).toMatch(/jobs/);
		expect(undone.items.filter((item) => item.json.action === 'removed')).toHaveLength(1);
		expect(sandbox.state.data.customers.filter((c) => c.importRunId)).toHaveLength(2);
	});

	it('refuses an unusable run id before reading anything', async () => {
		const run = await importRun('import', xeroContacts(), {}, 'bad id with spaces');
		expect(run.error?.message).toMatch(/Import Run ID "bad id with spaces" is not usable/);
		expect(await calls()).toEqual([]);
	});
});
