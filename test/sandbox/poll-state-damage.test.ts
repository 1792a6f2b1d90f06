/**
 * Damaged poll state, for both polling triggers, through n8n-core's real PollContext against the sandboxes.
 * Each shape of damage either resumes from a safe window, marking every item it emits with `pollStateRepair`,
 * or stops with an error naming the fix; in no case is a record changed after the last healthy poll skipped.
 * Also: "Backfill From" is a hard lower bound for the overlap window.
 */
import {
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INodeParameters,
} from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CommusoftApi } from '../../credentials/CommusoftApi.credentials';
import { CommusoftTrigger } from '../../nodes/Commusoft/CommusoftTrigger.node';
import {
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';
import { loadPackageTypes, pollOnce, type PackageTypes } from '../helpers/n8nCore';
import {
	commusoftCredential,
	createXeroInvoices,
	payXeroInvoices,
	startXeroFixture,
	type XeroFixture,
} from '../helpers/xeroSandbox';

type Damage = (state: IDataObject) => unknown;

interface Shape {
	name: string;
	damage: Damage;
	/** 'resume': the changed record is emitted with a repair note; 'fail': the poll stops naming the fix. */
	expect: 'resume' | 'fail';
	/** Whether the record emitted before may come again (seen-set or cursor lost). */
	mayRepeat?: boolean;
}

const future = () => new Date(Date.now() + 86_400_000).toISOString();
const without =
	(...keys: string[]): Damage =>
	(state) =>
		Object.fromEntries(Object.entries(state).filter(([key]) => !keys.includes(key)));
const withValue =
	(key: string, value: (old: unknown) => unknown): Damage =>
	(state) => ({ ...state, [key]: value(state[key]) });

/** Every damage shape, applied to the state object that holds cursor / seen / startedAt. */
const SHAPES: Shape[] = [
	{ name: 'state is a string', damage: () => 'garbage', expect: 'fail' },
	{ name: 'state is null', damage: () => null, expect: 'fail' },
	{ name: 'state is a list', damage: () => [1, 2], expect: 'fail' },
	{ name: 'state is a number', damage: () => 42, expect: 'fail' },
	{ name: 'cursor and startedAt missing', damage: without('cursor', 'startedAt'), expect: 'fail' },
	{ name: 'startedAt missing', damage: without('startedAt'), expect: 'resume' },
	{ name: 'cursor missing', damage: without('cursor'), expect: 'resume', mayRepeat: true },
	{
		name: 'cursor is a number',
		damage: withValue('cursor', (c) => Date.parse(String(c))),
		expect: 'resume',
		mayRepeat: true,
	},
	{
		name: 'cursor unparsable',
		damage: withValue('cursor', () => 'not-a-date'),
		expect: 'resume',
		mayRepeat: true,
	},
	{
		name: 'cursor in the future',
		damage: withValue('cursor', future),
		expect: 'resume',
		mayRepeat: true,
	},
	{
		name: 'cursor far in the past',
		damage: withValue('cursor', () => '1970-01-02T00:00:00.000Z'),
		expect: 'resume',
	},
	{
		name: 'startedAt in the future and cursor garbage',
		damage: (s) => ({ ...s, startedAt: future(), cursor: 'x' }),
		expect: 'fail',
	},
	{
		name: 'seen is not a list',
		damage: withValue('seen', () => 'abc'),
		expect: 'resume',
		mayRepeat: true,
	},
	{ name: 'seen missing', damage: without('seen'), expect: 'resume', mayRepeat: true },
	{ name: 'seen emptied', damage: withValue('seen', () => []), expect: 'resume', mayRepeat: true },
	{
		name: 'seen oversized',
		damage: withValue('seen', (old) => [
			...Array.from({ length: 2500 }, (_, i) => `junk-${i}@2020-01-01T00:00:00.000Z`),
			...(old as string[]),
		]),
		expect: 'resume',
	},
	{
		name: 'seen with wrong element types',
		damage: withValue('seen', (old) => [1, null, { a: 1 }, ...(old as string[])]),
		expect: 'resume',
		mayRepeat: true,
	},
];

/** What a trigger under test must provide. */
interface Harness {
	/** Damages the saved state inside the workflow static data. */
	damage(staticData: IDataObject, damage: Damage): IDataObject;
	poll(
		staticData: IDataObject,
		backfillFrom?: string,
	): Promise<{ items: IDataObject[]; staticData: IDataObject }>;
	/** Makes a change the trigger must emit; returns its id. */
	change(): Promise<string>;
	idOf(item: IDataObject): string;
	/** The value the trigger keeps its position in (node data for Xero, a resource bucket for Commusoft). */
	stateOf(staticData: IDataObject): unknown;
	/** True when that value is the node's whole static data (which the node cannot replace). */
	nodeLevel: boolean;
}

async function checkShape(h: Harness, shape: Shape) {
	// A healthy history: activation, one change emitted.
	let { staticData } = await h.poll({});
	const first = await h.change();
	const healthy = await h.poll(staticData);
	expect(healthy.items.map(h.idOf)).toEqual([first]);
	staticData = healthy.staticData;
	// The state is damaged; then a second change happens.
	const damaged = h.damage(staticData, shape.damage);
	const second = await h.change();

	if (shape.expect === 'fail') {
		await expect(h.poll(damaged)).rejects.toThrow(/saved position is damaged/);
		await expect(h.poll(damaged)).rejects.toMatchObject({
			description: expect.stringMatching(/reset the trigger's position/),
		});
		// The named fix works: with "Backfill From" before the second change, it is emitted and marked.
		const from = new Date(Date.now() - 60_000).toISOString();
		const saved = h.stateOf(damaged);
		const nodeLevel =
			h.nodeLevel && (typeof saved !== 'object' || saved === null || Array.isArray(saved));
		if (nodeLevel) return; // Node-level data cannot be repaired from inside the node: the fix is a rename.
		const healed = await h.poll(damaged, from);
		expect(healed.items.map(h.idOf)).toContain(second);
		for (const item of healed.items) expect(item.pollStateRepair).toBeDefined();
		const after = await h.poll(healed.staticData, from);
		expect(after.items).toEqual([]);
		return;
	}
	const resumed = await h.poll(damaged);
	const ids = resumed.items.map(h.idOf);
	expect(ids).toContain(second); // never skipped
	if (!shape.mayRepeat) expect(ids).not.toContain(first);
	for (const item of resumed.items) {
		const note = item.pollStateRepair as IDataObject;
		expect(note, shape.name).toBeDefined();
		expect((note.problems as string[]).length).toBeGreaterThan(0);
		expect(note.mayRepeat).toBe(shape.mayRepeat === true);
	}
	// Healed: the next poll is healthy and quiet.
	const next = await h.poll(resumed.staticData);
	expect(next.items).toEqual([]);
}

describe('Xero Payment Trigger: damaged poll state', () => {
	let fixture: XeroFixture & { close: () => Promise<void> };
	let contactId: string;
	let seq = 0;
	beforeAll(async () => {
		fixture = await startXeroFixture();
		contactId = fixture.xero.state(fixture.tenantId).contacts[0].ContactID;
	});
	afterAll(async () => await fixture.close());

	const params = (backfillFrom?: string): INodeParameters => ({
		tenantId: fixture.tenantId,
		onlyCommusoftInvoices: true,
		commusoftRule: 'invoiceNumberPrefix',
		commusoftRuleValue: 'CS-',
		options: backfillFrom ? { backfillFrom } : {},
	});
	const nodeKey = (staticData: IDataObject) =>
		Object.keys(staticData).find((k) => k.startsWith('node:'))!;
	const harness: Harness = {
		damage: (staticData, damage) => {
			const key = nodeKey(staticData);
			const node = staticData[key] as IDataObject;
			const hit = damage(node);
			// Node-level damage replaces the whole node data; otherwise keep the organisation beside it.
			const replaced =
				typeof hit === 'object' && hit !== null && !Array.isArray(hit)
					? { ...(hit as IDataObject), tenantId: node.tenantId }
					: hit;
			return { ...staticData, [key]: replaced as IDataObject };
		},
		poll: async (staticData, backfillFrom) => {
			const result = await pollOnce('xeroPaymentTrigger', params(backfillFrom), {
				credentials: fixture.credentials as Record<string, ICredentialDataDecryptedObject>,
				staticData,
			});
			return { items: result.items.map((i) => i.json), staticData: result.staticData };
		},
		change: async () => {
			seq++;
			const [invoice] = await createXeroInvoices(fixture.xeroCall, contactId, [
				{ number: `CS-DMG-${seq}-${Date.now()}`, total: 100 },
			]);
			const [paymentId] = await payXeroInvoices(fixture.xeroCall, [String(invoice.id)]);
			return paymentId;
		},
		idOf: (item) => String(item.paymentId),
		stateOf: (staticData) => staticData[nodeKey(staticData)],
		nodeLevel: true,
	};

	for (const shape of SHAPES) {
		it(`${shape.name}: ${shape.expect === 'fail' ? 'stops naming the fix' : 'resumes, marked, skipping nothing'}`, async () => {
			await checkShape(harness, shape);
		});
	}

	it('a state without its organisation id is not taken for a new organisation', async () => {
		await checkShape(
			{
				...harness,
				damage: (s) => ({
					...s,
					[nodeKey(s)]: without('tenantId')(s[nodeKey(s)] as IDataObject) as IDataObject,
				}),
			},
			{ name: 'tenantId missing', damage: (s) => s, expect: 'fail' },
		);
	});

	it('"Backfill From" is a hard lower bound: the overlap never emits a payment changed before it', async () => {
		const before = await harness.change();
		await sleep(20);
		const from = new Date().toISOString();
		await sleep(20);
		const after = await harness.change();
		const first = await harness.poll({}, from);
		expect(first.items.map(harness.idOf)).toEqual([after]);
		const later = await harness.change();
		const second = await harness.poll(first.staticData, from);
		expect(second.items.map(harness.idOf)).toEqual([later]);
		expect(second.items.map(harness.idOf)).not.toContain(before);
	});
});

/**
 * Every resource the Commusoft Trigger polls shares one rule set: each gets the same damage shapes, on its own
 * state bucket, through an event of that resource.
 */
const COMMUSOFT_TARGETS: Array<{
	event: string;
	bucket: string;
	record: string;
	create: (sandbox: RunningCommusoftSandbox, seq: number) => { uuid: string };
}> = [
	{
		event: 'customerCreated',
		bucket: 'customers',
		record: 'customer',
		create: (sandbox, seq) =>
			sandbox.state.createCustomer({ firstName: `Damage${seq}`, lastName: 'Tester' }) as {
				uuid: string;
			},
	},
	{
		event: 'supplierCreated',
		bucket: 'suppliers',
		record: 'supplier',
		create: (sandbox, seq) =>
			sandbox.state.createSupplier({ companyName: `Damage Supplies ${seq} Ltd` }) as {
				uuid: string;
			},
	},
	{
		event: 'creditNoteRaised',
		bucket: 'creditNotes',
		record: 'credit note',
		create: (sandbox, seq) =>
			sandbox.state.raiseCreditNote({
				customerUuid: sandbox.state.data.customers[0].uuid,
				lines: [{ description: `Credit ${seq}`, unitPrice: 10, nominalCode: '200' }],
			}) as { uuid: string },
	},
	{
		event: 'supplierInvoiceCreated',
		bucket: 'supplierInvoices',
		record: 'supplier invoice',
		create: (sandbox, seq) =>
			sandbox.state.recordSupplierInvoice({
				supplierUuid: sandbox.state.data.suppliers[0].uuid,
				supplierInvoiceNumber: `DMG-${seq}`,
				lines: [{ description: 'Parts', unitPrice: 10, nominalCode: '310' }],
			}) as { uuid: string },
	},
];

for (const target of COMMUSOFT_TARGETS) {
	describe(`Commusoft Trigger: damaged poll state (${target.bucket})`, () => {
		let sandbox: RunningCommusoftSandbox;
		let types: PackageTypes;
		let credentials: Record<string, IDataObject>;
		let seq = 0;
		beforeAll(async () => {
			sandbox = await startCommusoftSandbox();
			types = await loadPackageTypes({ nodes: [CommusoftTrigger], credentials: [CommusoftApi] });
			credentials = { commusoftApi: commusoftCredential(sandbox) };
		});
		afterAll(async () => await sandbox.close());

		const NODE = 'Commusoft Trigger';
		const harness: Harness = {
			damage: (staticData, damage) => {
				const node = staticData[`node:${NODE}`] as IDataObject;
				return {
					...staticData,
					[`node:${NODE}`]: {
						...node,
						[target.bucket]: damage(node[target.bucket] as IDataObject) as IDataObject,
					},
				};
			},
			poll: async (staticData, backfillFrom) => {
				const result = await pollOnce(
					'commusoftTrigger',
					{ events: [target.event], backfillFrom: backfillFrom ?? '' },
					{ credentials: credentials as never, staticData, types, nodeName: NODE },
				);
				credentials = result.credentialsAfter as never;
				return { items: result.items.map((i) => i.json), staticData: result.staticData };
			},
			change: async () => {
				seq++;
				return target.create(sandbox, seq).uuid;
			},
			idOf: (item) => String(item.id),
			stateOf: (staticData) => (staticData[`node:${NODE}`] as IDataObject)[target.bucket],
			nodeLevel: false,
		};

		for (const shape of SHAPES) {
			it(`${shape.name}: ${shape.expect === 'fail' ? 'stops naming the fix' : 'resumes, marked, skipping nothing'}`, async () => {
				await checkShape(harness, shape);
			});
		}

		it('node data that is not an object stops with the rename fix', async () => {
			await expect(harness.poll({ [`node:${NODE}`]: 'garbage' as never })).rejects.toMatchObject({
				description: expect.stringMatching(/renaming this trigger node/),
			});
		});

		it(`"Backfill From" is a hard lower bound: the overlap never emits a ${target.record} created before it`, async () => {
			const before = await harness.change();
			await sleep(20);
			const from = new Date().toISOString();
			await sleep(20);
			const after = await harness.change();
			const first = await harness.poll({}, from);
			expect(first.items.map(harness.idOf)).toEqual([after]);
			const later = await harness.change();
			const second = await harness.poll(first.staticData, from);
			expect(second.items.map(harness.idOf)).toEqual([later]);
			expect(second.items.map(harness.idOf)).not.toContain(before);
		});
	});
}
