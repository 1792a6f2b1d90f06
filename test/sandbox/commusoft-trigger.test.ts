/**
 * Commusoft Trigger against the Commusoft sandbox, run through n8n-core's real PollContext (`pollOnce`), one tick
 * at a time with the static data n8n would have saved in between. Invoice and payment lists are assumed
 * endpoints (docs/commusoft-api-contract.md): these tests prove the trigger against that contract, not against
 * the real Commusoft.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { CommusoftApi } from '../../credentials/CommusoftApi.credentials';
import { CommusoftTrigger } from '../../nodes/Commusoft/CommusoftTrigger.node';
import { mapInvoice } from '../../nodes/Xero/mapping/invoice';
import { buildVatMap } from '../../nodes/Xero/mapping/tax';
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import {
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';
import { loadPackageTypes, pollOnce, type PackageTypes } from '../helpers/n8nCore';
import { commusoftCredential } from '../helpers/xeroSandbox';

const NODE = 'Commusoft Trigger';
const ALL_EVENTS = [
	'invoiceRaised',
	'invoiceUpdated',
	'customerCreated',
	'customerUpdated',
	'paymentRecorded',
];

let sandbox: RunningCommusoftSandbox;
let types: PackageTypes;
let credentials: Record<string, IDataObject>;

beforeAll(async () => {
	sandbox = await startCommusoftSandbox();
	types = await loadPackageTypes({ nodes: [CommusoftTrigger], credentials: [CommusoftApi] });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.state.reset(true);
	credentials = { commusoftApi: commusoftCredential(sandbox) };
});

afterEach(() => {
	sandbox.state.clearFaults();
});

/** One tick of the trigger; keeps the credential (pre-authentication token) and returns the items' json. */
async function tick(
	parameters: INodeParameters,
	staticData: IDataObject,
	mode: 'trigger' | 'manual' = 'trigger',
) {
	const result = await pollOnce('commusoftTrigger', parameters, {
		credentials: credentials as never,
		staticData,
		mode,
		types,
		nodeName: NODE,
	});
	credentials = result.credentialsAfter as never;
	return {
		items: result.items.map((item) => item.json),
		staticData: result.staticData,
		outputs: result.outputs,
	};
}

/** Polls until a poll returns nothing (bounded), collecting every emitted item. */
async function drain(parameters: INodeParameters, staticData: IDataObject, maxPolls = 6) {
	const all: IDataObject[] = [];
	const perPoll: number[] = [];
	let state = staticData;
	for (let i = 0; i < maxPolls; i++) {
		const { items, staticData: next } = await tick(parameters, state);
		state = next;
		if (items.length === 0) return { items: all, staticData: state, perPoll };
		all.push(...items);
		perPoll.push(items.length);
	}
	throw new Error(`still emitting after ${maxPolls} polls`);
}

const nodeState = (staticData: IDataObject) => staticData[`node:${NODE}`] as IDataObject;
const keyOf = (item: IDataObject) => `${String(item.id)}@${String(item.updatedAt)}`;

function newCustomer(firstName: string, extra: Record<string, unknown> = {}) {
	return sandbox.state.createCustomer({ firstName, lastName: 'Tester', ...extra }) as {
		uuid: string;
		updatedAt: string;
	};
}

function storedCustomer(uuid: string) {
	return sandbox.state.data.customers.find((customer) => customer.uuid === uuid)!;
}

function invoiceBody(customerUuid: string, extra: Record<string, unknown> = {}) {
	const [first, second] = sandbox.state.data.nominalCodes;
	return {
		customerUuid,
		category: sandbox.state.data.categories[0].name,
		lines: [
			{
				description: 'Boiler service',
				quantity: 1,
				unitPrice: 85,
				nominalCode: first.code,
				vatRate: '20%',
			},
			{
				description: 'Valve',
				quantity: 2,
				unitPrice: 12.5,
				nominalCode: second.code,
				vatRate: '20%',
			},
		],
		...extra,
	};
}

describe('Commusoft Trigger: activation and backfill', () => {
	it('first poll emits nothing (starts now); a change after activation is emitted once', async () => {
		const parameters = { events: ALL_EVENTS };
		const first = await tick(parameters, {});
		expect(first.outputs).toBeNull();
		const state = nodeState(first.staticData);
		for (const resource of ['invoices', 'customers', 'payments']) {
			expect((state[resource] as IDataObject).startedAt).toEqual(expect.any(String));
		}

		const customer = newCustomer('Ada', { email: 'ada@example.test' });
		const second = await tick(parameters, first.staticData);
		expect(second.items).toHaveLength(1);
		expect(second.items[0]).toMatchObject({
			event: 'customerCreated',
			changedFields: [],
			id: customer.uuid,
			firstName: 'Ada',
			email: 'ada@example.test',
		});
		const third = await tick(parameters, second.staticData);
		expect(third.outputs).toBeNull();
	});

	it('backfill emits the history once, full invoice records ready for the Xero upsert without mapping', async () => {
		const since = '2026-01-01T00:00:00Z';
		const parameters = { events: ['invoiceRaised', 'invoiceUpdated'], backfillFrom: since };
		const { items, staticData } = await drain(parameters, {});
		const expected = sandbox.state.data.invoices.filter(
			(invoice) => Date.parse(invoice.updatedAt) >= Date.parse(since),
		);
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((item) => item.id).sort()).toEqual(
			expected.map((invoice) => invoice.uuid).sort(),
		);
		expect(new Set(items.map(keyOf)).size).toBe(items.length);
		for (const item of items) {
			const stored = expected.find((invoice) => invoice.uuid === item.id)!;
			expect(item.event).toBe(stored.status === 'raised' ? 'invoiceRaised' : 'invoiceUpdated');
		}

		const sample = items.find((item) => (item.lines as unknown[]).length > 1 && item.property)!;
		expect(sample).toMatchObject({
			invoiceNumber: expect.stringMatching(/^CS-/),
			currency: 'GBP',
			category: expect.any(String),
			customer: { id: expect.any(String), accountReference: expect.stringMatching(/^CUS-/) },
			property: { addressLine1: expect.any(String) },
			lines: expect.arrayContaining([
				expect.objectContaining({ nominalCode: expect.any(String), vatRate: expect.any(String) }),
			]),
		});
		const mapped = mapInvoice(sample as unknown as CommusoftInvoiceInput, {
			status: 'AUTHORISED',
			vatMap: buildVatMap(),
			tracking: [],
			matchOn: 'invoiceNumber',
		});
		expect(mapped.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
		expect(mapped.payload.LineItems).toHaveLength((sample.lines as unknown[]).length);

		// a later poll with the same backfill date does not replay history
		const again = await tick(parameters, staticData);
		expect(again.outputs).toBeNull();
	});
});

describe('Commusoft Trigger: across the cursor edge while records change', () => {
	it('records stamped at the cursor, or late inside the overlap, are emitted once; re-reads are not', async () => {
		const parameters = { events: ['customerCreated', 'customerUpdated'] };
		let { staticData } = await tick(parameters, {});
		const a = newCustomer('Alpha');
		const first = await tick(parameters, staticData);
		expect(first.items.map((item) => item.id)).toEqual([a.uuid]);
		staticData = first.staticData;
		const cursor = (nodeState(staticData).customers as IDataObject).cursor as string;
		expect(cursor).toBe(a.updatedAt);

		// b commits after the poll with exactly the cursor's timestamp; c commits late, 30 s before the cursor
		const b = newCustomer('Bravo');
		storedCustomer(b.uuid).createdAt = storedCustomer(b.uuid).updatedAt = cursor;
		const c = newCustomer('Charlie');
		const late = new Date(Date.parse(cursor) - 30_000).toISOString();
		storedCustomer(c.uuid).createdAt = storedCustomer(c.uuid).updatedAt = late;

		const second = await tick(parameters, staticData);
		expect(second.items.map((item) => item.id).sort()).toEqual([b.uuid, c.uuid].sort());
		expect(second.items.every((item) => item.event === 'customerCreated')).toBe(true);
		// the cursor never moves backwards for the late record
		expect((nodeState(second.staticData).customers as IDataObject).cursor).toBe(cursor);

		const third = await tick(parameters, second.staticData);
		expect(third.outputs).toBeNull();
	});

	it('a record edited twice between polls is emitted once (latest); edited again later, once more', async () => {
		const parameters = { events: ['customerCreated', 'customerUpdated'] };
		let { staticData } = await tick(parameters, {});
		const a = newCustomer('Alpha');
		({ staticData } = await tick(parameters, staticData));
		sandbox.state.editCustomer(a.uuid, { email: 'one@example.test' });
		sandbox.state.editCustomer(a.uuid, { email: 'two@example.test' });
		const first = await tick(parameters, staticData);
		expect(first.items).toHaveLength(1);
		expect(first.items[0]).toMatchObject({
			event: 'customerUpdated',
			email: 'two@example.test',
			changedFields: ['email'],
		});
		sandbox.state.editCustomer(a.uuid, { email: 'three@example.test' });
		const second = await tick(parameters, first.staticData);
		expect(second.items.map((item) => item.email)).toEqual(['three@example.test']);
	});

	it('a multi-page read with edits and inserts between its pages misses nothing and emits nothing twice', async () => {
		const parameters = {
			events: ['customerCreated', 'customerUpdated'],
			backfillFrom: new Date(Date.now() - 2 * 3600_000).toISOString(),
		};
		// 250 customers written over the last hour, 10 s apart: far more than the 120 s overlap, so a record
		// that slid past a page boundary would not be caught by the overlap on the next poll.
		sandbox.state.advanceClock(-3600);
		const created: string[] = [];
		for (let i = 0; i < 250; i++) {
			created.push(newCustomer(`Bulk${i}`).uuid);
			sandbox.state.advanceClock(10);
		}
		sandbox.state.clockOffsetMs = 0;

		// After the first page of customers is served, edit two records of that page (they move to the end of
		// the list, shifting everything behind them) and insert a new customer.
		let inserted = '';
		const log = sandbox.state.log.bind(sandbox.state);
		let listCalls = 0;
		sandbox.state.log = (call) => {
			log(call);
			if (call.endpoint === 'GET /customers' && ++listCalls === 1) {
				sandbox.state.editCustomer(created[5], { email: 'moved5@example.test' });
				sandbox.state.editCustomer(created[50], { title: 'Dr' });
				inserted = newCustomer('Inserted').uuid;
			}
		};
		try {
			const { items } = await drain(parameters, {});
			const keys = items.map(keyOf);
			expect(new Set(keys).size).toBe(keys.length);
			const finalVersions = [...created, inserted].map(
				(uuid) => `${uuid}@${storedCustomer(uuid).updatedAt}`,
			);
			expect(keys).toEqual(expect.arrayContaining(finalVersions));
			// every customer emitted; the two edited ones possibly both as created and updated
			expect(new Set(items.map((item) => item.id)).size).toBe(251);
			expect(listCalls).toBeGreaterThan(2);
		} finally {
			sandbox.state.log = log;
		}
	});

	it('server clock 60 s behind ours: a change right after activation is still emitted', async () => {
		sandbox.state.advanceClock(-60);
		const parameters = { events: ['customerCreated'] };
		const { staticData } = await tick(parameters, {});
		const a = newCustomer('Skewed');
		expect(Date.parse(a.updatedAt)).toBeLessThan(Date.now() - 50_000);
		const next = await tick(parameters, staticData);
		expect(next.items.map((item) => item.id)).toEqual([a.uuid]);
	});

	it('a backlog larger than "Max Records per Poll" continues on the next polls without loss', async () => {
		const since = '2026-01-01T00:00:00Z';
		const parameters = {
			events: ['invoiceRaised', 'invoiceUpdated'],
			backfillFrom: since,
			options: { maxRecordsPerPoll: 7 },
		};
		const { items, perPoll } = await drain(parameters, {}, 20);
		const expected = sandbox.state.data.invoices.map((invoice) => invoice.uuid).sort();
		expect(expected.length).toBeGreaterThan(7);
		expect(perPoll.length).toBeGreaterThan(1);
		expect(Math.max(...perPoll)).toBeLessThanOrEqual(7);
		expect(items.map((item) => item.id).sort()).toEqual(expected);
	});
});

describe('Commusoft Trigger: events and changed fields', () => {
	it('customer update reports exactly the changed tracked fields', async () => {
		const parameters = { events: ['customerCreated', 'customerUpdated'] };
		let { staticData } = await tick(parameters, {});
		const a = newCustomer('Alpha', { title: 'Mr', email: 'a@example.test' });
		({ staticData } = await tick(parameters, staticData));

		const cases: Array<[Record<string, unknown>, string[]]> = [
			[{ title: 'Dr', email: 'alpha@example.test' }, ['title', 'email']],
			[
				{ address: { addressLine1: '1 New Street', town: 'Leeds', postcode: 'LS1 1AA' } },
				['propertyAddress'],
			],
			[
				{ accountingSettings: { accountingReference: '7d3f4b2c-0000-4000-8000-000000000001' } },
				['account'],
			],
			[{ lastName: 'Renamed' }, ['name']],
			[{ telephone: '0113 000 0000' }, []],
		];
		for (const [edit, changed] of cases) {
			sandbox.state.editCustomer(a.uuid, edit);
			const result = await tick(parameters, staticData);
			expect(result.items).toHaveLength(1);
			expect(result.items[0]).toMatchObject({
				event: 'customerUpdated',
				changedFields: changed,
				previousVersionKnown: true,
			});
			staticData = result.staticData;
		}

		// with "Ignore Changes to Untracked Fields", a telephone-only edit emits nothing
		sandbox.state.editCustomer(a.uuid, { telephone: '0113 111 1111' });
		const quiet = await tick(
			{ ...parameters, options: { ignoreUntrackedChanges: true } },
			staticData,
		);
		expect(quiet.outputs).toBeNull();
	});

	it('invoice raised, edited, a draft raised later, and a payment recorded', async () => {
		const parameters = { events: ['invoiceRaised', 'invoiceUpdated', 'paymentRecorded'] };
		let { staticData } = await tick(parameters, {});
		const customer = sandbox.state.data.customers[0];
		const raised = sandbox.state.raiseInvoice(invoiceBody(customer.uuid)) as {
			uuid: string;
			invoiceNumber: string;
		};
		const draft = sandbox.state.raiseInvoice(invoiceBody(customer.uuid, { status: 'draft' })) as {
			uuid: string;
		};

		const first = await tick(parameters, staticData);
		const byId = new Map(first.items.map((item) => [item.id, item]));
		expect(byId.get(raised.uuid)).toMatchObject({
			event: 'invoiceRaised',
			invoiceNumber: raised.invoiceNumber,
			customer: { id: customer.uuid },
			lines: [expect.objectContaining({ nominalCode: expect.any(String) }), expect.any(Object)],
		});
		expect(byId.get(draft.uuid)).toMatchObject({ event: 'invoiceUpdated', status: 'draft' });
		staticData = first.staticData;

		sandbox.state.editInvoice(draft.uuid, { status: 'raised' });
		const [firstCode] = sandbox.state.data.nominalCodes;
		sandbox.state.editInvoice(raised.uuid, {
			lines: [
				{
					description: 'Boiler service',
					quantity: 1,
					unitPrice: 95,
					nominalCode: firstCode.code,
					vatRate: '20%',
				},
			],
		});
		const second = await tick(parameters, staticData);
		const second2 = new Map(second.items.map((item) => [item.id, item]));
		expect(second2.get(draft.uuid)).toMatchObject({
			event: 'invoiceRaised',
			changedFields: ['status'],
		});
		expect(second2.get(raised.uuid)).toMatchObject({
			event: 'invoiceUpdated',
			changedFields: expect.arrayContaining(['lines', 'total']),
		});
		staticData = second.staticData;

		const payment = await fetch(`${sandbox.apiBaseUrl}/payments`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-Auth-Token': sandbox.state.issueToken() },
			body: JSON.stringify({
				invoiceUuid: raised.uuid,
				amount: 20,
				externalReference: 'xero-pay-1',
			}),
		}).then(async (response) => (await response.json()) as { uuid: string });
		const third = await tick(parameters, staticData);
		const recorded = third.items.filter((item) => item.event === 'paymentRecorded');
		expect(recorded).toHaveLength(1);
		expect(recorded[0]).toMatchObject({
			id: payment.uuid,
			invoiceId: raised.uuid,
			amount: 20,
			externalReference: 'xero-pay-1',
		});
		// recording the payment touched the invoice: reported as an update without tracked changes
		expect(third.items.find((item) => item.id === raised.uuid)).toMatchObject({
			event: 'invoiceUpdated',
			changedFields: [],
		});

		sandbox.state.touch('payment', payment.uuid);
		const fourth = await tick(parameters, third.staticData);
		expect(fourth.items.filter((item) => item.event === 'paymentRecorded')).toEqual([]);
	});
});

describe('Commusoft Trigger: failures and settings', () => {
	it('a record that cannot be read stops the poll with an error naming it; once corrected it is emitted', async () => {
		const parameters = { events: ['invoiceRaised', 'invoiceUpdated', 'paymentRecorded'] };
		const { staticData } = await tick(parameters, {});
		const customer = sandbox.state.data.customers[2];
		const invoice = sandbox.state.raiseInvoice(invoiceBody(customer.uuid)) as { uuid: string };
		const payment = await fetch(`${sandbox.apiBaseUrl}/payments`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-Auth-Token': sandbox.state.issueToken() },
			body: JSON.stringify({ invoiceUuid: invoice.uuid, amount: 10 }),
		}).then(async (response) => (await response.json()) as { uuid: string });
		const stored = sandbox.state.data.payments.find((p) => p.uuid === payment.uuid)!;
		stored.amount = 'ten pounds' as unknown as number;

		await expect(tick(parameters, staticData)).rejects.toThrow(
			new RegExp(`payment ${payment.uuid}: field "amount" "ten pounds" is not a number`),
		);

		stored.amount = 10;
		const next = await tick(parameters, staticData);
		expect(next.items.map((item) => [item.event, item.id]).sort()).toEqual(
			[
				['invoiceRaised', invoice.uuid],
				['paymentRecorded', payment.uuid],
			].sort(),
		);
	});

	it('a resource whose events are no longer chosen is forgotten, so choosing it again starts from now', async () => {
		const both = await tick({ events: ['invoiceRaised', 'customerCreated'] }, {});
		expect(Object.keys(nodeState(both.staticData)).sort()).toEqual(['customers', 'invoices']);
		const invoicesOnly = await tick({ events: ['invoiceRaised'] }, both.staticData);
		expect(Object.keys(nodeState(invoicesOnly.staticData))).toEqual(['invoices']);
		newCustomer('Meanwhile');
		const again = await tick(
			{ events: ['invoiceRaised', 'customerCreated'] },
			invoicesOnly.staticData,
		);
		expect(again.outputs).toBeNull();
	});
});

describe('Commusoft Trigger: test runs', () => {
	it('manual mode returns real recent records and leaves the cursor and seen-set unchanged', async () => {
		const parameters = {
			events: ['invoiceRaised', 'invoiceUpdated'],
			options: { testRunLimit: 3 },
		};
		const active = await tick(parameters, {});
		const customer = sandbox.state.data.customers[1];
		sandbox.state.raiseInvoice(invoiceBody(customer.uuid));
		const before = JSON.parse(JSON.stringify(active.staticData)) as IDataObject;

		const manual = await tick(parameters, active.staticData, 'manual');
		expect(manual.items).toHaveLength(3);
		const stamps = manual.items.map((item) => Date.parse(item.updatedAt as string));
		expect([...stamps].sort((x, y) => y - x)).toEqual(stamps);
		const newest = [...sandbox.state.data.invoices].sort((x, y) =>
			y.updatedAt.localeCompare(x.updatedAt),
		)[0];
		expect(manual.items[0].id).toBe(newest.uuid);
		expect(manual.staticData).toEqual(before);

		// the active trigger still gets the invoice the test run showed
		const next = await tick(parameters, manual.staticData);
		expect(next.items.map((item) => item.id)).toEqual([newest.uuid]);
	});
});

describe('Commusoft Trigger: credit notes, suppliers and supplier invoices', () => {
	const NEW_EVENTS = [
		'creditNoteRaised',
		'creditNoteUpdated',
		'supplierCreated',
		'supplierUpdated',
		'supplierInvoiceCreated',
		'supplierInvoiceUpdated',
	];

	it('backfill emits the seeded deposit job once: its credit note, the suppliers and their invoices, as full records', async () => {
		const parameters = { events: NEW_EVENTS, backfillFrom: '2026-01-01T00:00:00Z' };
		const { items, staticData } = await drain(parameters, {});
		const byEvent = (event: string) => items.filter((item) => item.event === event);
		expect(byEvent('supplierCreated').map((item) => item.accountReference)).toEqual([
			'SUP-00001',
			'SUP-00002',
			'SUP-00003',
			'SUP-00004',
			'SUP-00005',
		]);
		const [note] = byEvent('creditNoteRaised');
		const deposit = sandbox.state.data.invoices.find((invoice) => invoice.invoiceType)!;
		expect(note).toMatchObject({
			creditNoteNumber: 'CN-501',
			creditedCommusoftInvoiceId: deposit.uuid,
			creditedInvoiceNumber: deposit.invoiceNumber,
			customer: { accountReference: expect.stringMatching(/^CUS-/) },
			category: 'Heating',
			total: 72,
			totalTax: 12,
			lines: [expect.objectContaining({ nominalCode: '200', vatRate: '20%' })],
		});
		const bills = byEvent('supplierInvoiceCreated');
		expect(bills.map((bill) => bill.supplierInvoiceNumber)).toEqual(['PC-448812', '1001', '1001']);
		expect(bills[0]).toMatchObject({
			supplier: { recordType: 'supplier', name: 'Plumb Center Leeds' },
			reference: expect.stringMatching(/^JOB-/),
			total: 1842.6,
			lines: [
				expect.objectContaining({ nominalCode: '310' }),
				expect.objectContaining({ nominalCode: '310' }),
			],
		});
		expect(items).toHaveLength(9);
		expect(new Set(items.map(keyOf)).size).toBe(items.length);
		const state = nodeState(staticData);
		for (const bucket of ['creditNotes', 'suppliers', 'supplierInvoices'])
			expect((state[bucket] as IDataObject).cursor).toEqual(expect.any(String));
		expect((await tick(parameters, staticData)).outputs).toBeNull();
	});

	it('after activation each change is emitted once with what changed; a draft becomes "created" when raised', async () => {
		const parameters = { events: NEW_EVENTS };
		let { staticData } = await tick(parameters, {});
		const [supplier] = sandbox.state.data.suppliers;
		const note = sandbox.state.data.creditNotes[0];

		sandbox.state.advanceClock(5);
		const added = sandbox.state.createSupplier({ companyName: 'Toolstation Leeds' }) as IDataObject;
		const draft = sandbox.state.recordSupplierInvoice({
			supplierUuid: supplier.uuid,
			supplierInvoiceNumber: 'PC-450001',
			status: 'draft',
			lines: [{ description: 'Radiator valves', unitPrice: 42, nominalCode: '310' }],
		}) as IDataObject;
		let poll = await tick(parameters, staticData);
		expect(poll.items.map((item) => [item.event, item.id])).toEqual([
			['supplierCreated', added.uuid],
			['supplierInvoiceUpdated', draft.uuid],
		]);
		staticData = poll.staticData;

		sandbox.state.advanceClock(5);
		sandbox.state.editSupplier(supplier.uuid, { email: 'accounts@plumbcenter.example' });
		sandbox.state.refundCreditNote(note.uuid, { amount: 72, reference: 'Refund by BACS' });
		sandbox.state.editDocument('supplierInvoice', String(draft.uuid), { status: 'raised' });
		poll = await tick(parameters, staticData);
		const byId = Object.fromEntries(poll.items.map((item) => [String(item.id), item]));
		expect(poll.items).toHaveLength(3);
		// Last changed before activation: the trigger never saw it, so any field may have changed.
		expect(byId[supplier.uuid]).toMatchObject({
			event: 'supplierUpdated',
			changedFields: ['name', 'contact', 'email', 'phones', 'address', 'account'],
			previousVersionKnown: false,
		});
		expect(byId[note.uuid]).toMatchObject({
			event: 'creditNoteUpdated',
			refundPayments: [expect.objectContaining({ amount: 72, method: 'bank_transfer' })],
		});
		expect(byId[String(draft.uuid)]).toMatchObject({
			event: 'supplierInvoiceCreated',
			changedFields: ['status'],
			previousVersionKnown: true,
		});
		staticData = poll.staticData;

		// Known versions now: a second edit reports exactly its field; nothing repeats.
		sandbox.state.advanceClock(5);
		sandbox.state.editSupplier(supplier.uuid, { telephone: '0113 496 0299' });
		poll = await tick(parameters, staticData);
		expect(poll.items).toEqual([
			expect.objectContaining({
				event: 'supplierUpdated',
				changedFields: ['phones'],
				previousVersionKnown: true,
			}),
		]);
		expect((await tick(parameters, poll.staticData)).outputs).toBeNull();
	});

	it('"Fetch Test Event" shows recent records of the chosen events and writes no state', async () => {
		const staticData = {};
		const { items, staticData: after } = await tick(
			{ events: ['supplierInvoiceCreated'], options: { testRunLimit: 2 } },
			staticData,
			'manual',
		);
		expect(items).toHaveLength(2);
		expect(items.every((item) => item.event === 'supplierInvoiceCreated')).toBe(true);
		expect(items.every((item) => typeof item.supplierInvoiceNumber === 'string')).toBe(true);
		expect(nodeState(after) ?? {}).toEqual({});
	});
});
