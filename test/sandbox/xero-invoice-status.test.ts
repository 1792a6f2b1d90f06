// Xero invoice status → Commusoft: the Xero Webhook Trigger (Invoice Status Changes) and the Xero Payment
// Trigger's polling fallback against the Xero sandbox, written into the Commusoft sandbox by Commusoft →
// Invoice → Record Xero Status, all through n8n-core (test/helpers/n8nCore).
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { XeroInvoiceStatusChange } from '../../nodes/Xero/records';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import type { XeroSandbox } from '../../sandbox/xero/server';
import { signXeroWebhookBody, type XeroWebhookEvent } from '../../sandbox/xero/webhooks';
import { callWebhook, pollOnce, runNode } from '../helpers/n8nCore';
import {
	createXeroInvoices,
	payXeroInvoices,
	startXeroAndCommusoftFixture,
	type SandboxCredentials,
	type XeroFixture,
} from '../helpers/xeroSandbox';

// Not a real key: any text signs the test deliveries.
const SIGNING_KEY = ['invoice', 'status', 'test', String(Date.now())].join('-');

let xero: XeroSandbox;
let commusoft: RunningCommusoftSandbox;
let tenantId: string;
let contactId: string;
let credentials: SandboxCredentials;
let xeroCall: XeroFixture['xeroCall'];
let close: () => Promise<void>;
let runTag = 0;

beforeAll(async () => {
	({ xero, commusoft, tenantId, credentials, xeroCall, close } =
		await startXeroAndCommusoftFixture());
	contactId = xero.state(tenantId).contacts[0].ContactID;
});
afterAll(async () => await close());
beforeEach(() => {
	runTag++;
});

/** A raised Commusoft invoice and its Xero copy (AUTHORISED, or DRAFT to be deleted), linked by Url. */
async function linkedInvoices(count: number, total = 120, draft: number[] = []) {
	const data = commusoft.state.data;
	const created: Array<{ commusoftId: string; xeroId: string; number: string }> = [];
	for (let i = 0; i < count; i++) {
		const invoice = commusoft.state.raiseInvoice({
			customerUuid: data.customers[i % data.customers.length].uuid,
			invoiceNumber: `CS-S${runTag}-${i + 1}`,
			lines: [
				{
					description: 'Boiler service',
					quantity: 1,
					unitPrice: total,
					nominalCode: data.nominalCodes[0].code,
					vatRate: 'No VAT',
				},
			],
		});
		const number = String(invoice.invoiceNumber);
		const body = {
			Invoices: [
				{
					Type: 'ACCREC',
					Contact: { ContactID: contactId },
					InvoiceNumber: number,
					Status: draft.includes(i) ? 'DRAFT' : 'AUTHORISED',
					Date: '2026-11-20',
					DueDate: '2026-12-20',
					LineAmountTypes: 'NoTax',
					Url: String(invoice.url),
					LineItems: [
						{ Description: 'Boiler service', Quantity: 1, UnitAmount: total, AccountCode: '200' },
					],
				},
			],
		};
		const answer = await xeroCall('PUT', '/Invoices', body);
		const xeroInvoice = (answer.Invoices as IDataObject[])[0];
		created.push({
			commusoftId: String(invoice.uuid),
			xeroId: String(xeroInvoice.InvoiceID),
			number,
		});
	}
	return created;
}

const setStatus = async (invoiceId: string, Status: string) =>
	await xeroCall('POST', `/Invoices/${invoiceId}`, {
		Invoices: [{ InvoiceID: invoiceId, Status }],
	});

/** Credits the whole invoice with an AUTHORISED credit note allocated to it. */
async function creditFully(invoiceId: string, amount: number) {
	const answer = await xeroCall('PUT', '/CreditNotes', {
		CreditNotes: [
			{
				Type: 'ACCRECCREDIT',
				Contact: { ContactID: contactId },
				Status: 'AUTHORISED',
				Date: '2026-11-21',
				LineAmountTypes: 'NoTax',
				LineItems: [
					{ Description: 'Goodwill', Quantity: 1, UnitAmount: amount, AccountCode: '200' },
				],
			},
		],
	});
	const creditNoteId = String((answer.CreditNotes as IDataObject[])[0].CreditNoteID);
	await xeroCall('PUT', `/CreditNotes/${creditNoteId}/Allocations`, {
		Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: amount, Date: '2026-11-22' }],
	});
}

/**
 * The four states on four Commusoft invoices, plus a part-paid one (no state change), and a voided invoice
 * that did not come from Commusoft (numbered INV-).
 */
async function fourStates() {
	const [voided, deleted, paid, credited, partPaid] = await linkedInvoices(5, 120, [1]);
	const [foreign] = await createXeroInvoices(xeroCall, contactId, [
		{ number: `INV-S${runTag}`, total: 80 },
	]);
	await setStatus(voided.xeroId, 'VOIDED');
	await setStatus(deleted.xeroId, 'DELETED');
	await payXeroInvoices(xeroCall, [paid.xeroId], 120);
	await creditFully(credited.xeroId, 120);
	await payXeroInvoices(xeroCall, [partPaid.xeroId], 50);
	await setStatus(foreign.id, 'VOIDED');
	return { voided, deleted, paid, credited, partPaid, foreign };
}

// ---- Webhook path ----

const webhookParams = (overrides: INodeParameters = {}): INodeParameters => ({
	signingKey: SIGNING_KEY,
	events: ['INVOICE.CREATE', 'INVOICE.UPDATE'],
	tenantIds: '',
	fetchChangedRecord: true,
	fetchedOutput: 'invoiceStatusChanges',
	commusoftRule: 'invoiceNumberPrefix',
	commusoftRuleValue: 'CS-',
	...overrides,
});

function webhookReceiver(parameters = webhookParams()) {
	let staticData: IDataObject = {};
	return {
		async deliver(events: XeroWebhookEvent[]) {
			const body = JSON.stringify({
				events,
				firstEventSequence: 1,
				lastEventSequence: events.length,
				entropy: 'ABCDEFGHIJKLMNOPQRST',
			});
			const result = await callWebhook('xeroWebhookTrigger', parameters, {
				headers: {
					'content-type': 'application/json',
					'x-xero-signature': signXeroWebhookBody(body, SIGNING_KEY),
				},
				rawBody: body,
				credentials,
				staticData,
			});
			expect(result.response.statusCode).toBe(200);
			staticData = result.staticData;
			return result.items.map((item) => item.json);
		},
	};
}

/** Runs Commusoft → Invoice → Record Xero Status on the trigger's items. */
async function recordInCommusoft(items: IDataObject[]) {
	if (items.length === 0) return [];
	const result = await runNode(
		'commusoft',
		{ resource: 'invoice', operation: 'recordXeroStatus' },
		items,
		credentials,
	);
	return result.items.map((item) => item.json);
}

const notesOf = (commusoftId: string) =>
	commusoft.state.data.invoices.find((invoice) => invoice.uuid === commusoftId)?.xeroStatus
		?.notes ?? [];

describe('Xero invoice status → Commusoft through the Xero Webhook Trigger', () => {
	it('each state reaches Commusoft once; replays, repeated events and non-Commusoft invoices do nothing', async () => {
		const from = xero.events().length;
		const s = await fourStates();
		const events = xero.events().slice(from);
		const receiver = webhookReceiver();
		xero.clearCalls();

		const changes = (await receiver.deliver(events)) as unknown as XeroInvoiceStatusChange[];
		// every invoice event of the delivery read with one GET /Invoices?IDs= (not one call per event)
		const reads = xero.calls().filter((call) => call.endpoint === 'GET /Invoices');
		expect(reads).toHaveLength(1);
		expect(reads[0].path).toMatch(/[?&]IDs=/);
		expect(changes.map((change) => [change.invoiceNumber, change.state])).toEqual(
			expect.arrayContaining([
				[s.voided.number, 'VOIDED'],
				[s.deleted.number, 'DELETED'],
				[s.paid.number, 'PAID'],
				[s.credited.number, 'CREDITED'],
			]),
		);
		expect(changes).toHaveLength(4);
		const paid = changes.find((change) => change.state === 'PAID')!;
		expect(paid).toEqual({
			state: 'PAID',
			changeKey: expect.stringMatching(/^xero:.+:PAID:120\.00\/0\.00$/),
			invoiceId: s.paid.xeroId,
			invoiceNumber: s.paid.number,
			commusoftInvoiceId: s.paid.commusoftId,
			commusoftReference: s.paid.number,
			xeroStatus: 'PAID',
			total: 120,
			amountPaid: 120,
			amountCredited: 0,
			amountDue: 0,
			currency: 'GBP',
			fullyPaidOnDate: '2026-11-25',
			updatedDateUtc: expect.stringMatching(/Z$/),
			tenantId,
			note: expect.stringContaining('fully paid in Xero'),
		});

		const written = await recordInCommusoft(changes as unknown as IDataObject[]);
		expect(written.map((w) => w.result)).toEqual(['recorded', 'recorded', 'recorded', 'recorded']);
		for (const invoice of [s.voided, s.deleted, s.paid, s.credited])
			expect(notesOf(invoice.commusoftId)).toHaveLength(1);
		expect(notesOf(s.partPaid.commusoftId)).toHaveLength(0);
		expect(
			commusoft.state.data.invoices.find((i) => i.uuid === s.credited.commusoftId)?.xeroStatus
				?.state,
		).toBe('CREDITED');

		// Xero retries the same delivery: nothing.
		expect(await receiver.deliver(events)).toEqual([]);
		// The same invoices changed again (new events) without leaving their state: nothing either.
		const later = events.map((event) => ({ ...event, eventDateUtc: '2026-11-26T10:00:00.000' }));
		expect(await receiver.deliver(later)).toEqual([]);
		// A second receiver (no memory) emits them again: Commusoft still holds one note each.
		const again = await webhookReceiver().deliver(events);
		expect(again).toHaveLength(4);
		const rewritten = await recordInCommusoft(again);
		expect(rewritten.map((w) => w.result)).toEqual([
			'alreadyRecorded',
			'alreadyRecorded',
			'alreadyRecorded',
			'alreadyRecorded',
		]);
		for (const invoice of [s.voided, s.deleted, s.paid, s.credited])
			expect(notesOf(invoice.commusoftId)).toHaveLength(1);
	});

	it('a state reached again with other amounts is a new change (payment deleted, then credited)', async () => {
		const [invoice] = await linkedInvoices(1, 90);
		const receiver = webhookReceiver();
		let from = xero.events().length;
		const [paymentId] = await payXeroInvoices(xeroCall, [invoice.xeroId], 90);
		const first = await receiver.deliver(xero.events().slice(from));
		expect(first.map((c) => c.state)).toEqual(['PAID']);
		from = xero.events().length;
		await xeroCall('POST', `/Payments/${paymentId}`, { Status: 'DELETED' });
		await creditFully(invoice.xeroId, 90);
		const second = await receiver.deliver(xero.events().slice(from));
		expect(second.map((c) => c.state)).toEqual(['CREDITED']);
		await recordInCommusoft([...first, ...second]);
		expect(notesOf(invoice.commusoftId).map((note) => note.text)).toEqual([
			expect.stringContaining('fully paid'),
			expect.stringContaining('fully credited'),
		]);
	});

	it('the event output is unchanged when the status output is not chosen', async () => {
		const [invoice] = await linkedInvoices(1);
		const from = xero.events().length;
		await setStatus(invoice.xeroId, 'VOIDED');
		const items = await webhookReceiver(webhookParams({ fetchedOutput: 'event' })).deliver(
			xero.events().slice(from),
		);
		expect(items).toHaveLength(1);
		expect((items[0].record as IDataObject).Status).toBe('VOIDED');
		expect(items[0].state).toBeUndefined();
	});
});

// ---- Poll fallback ----

const pollParams = (overrides: IDataObject = {}): INodeParameters => ({
	watch: 'invoiceStatus',
	tenantId,
	commusoftRule: 'invoiceNumberPrefix',
	commusoftRuleValue: 'CS-',
	statusOptions: {
		// Everything this test wrote (the sandbox clock stamps it now), nothing of the seeded history.
		backfillFrom: new Date(xero.now() - 60_000).toISOString(),
		...overrides,
	},
});

function poller(parameters: INodeParameters) {
	let staticData: IDataObject = {};
	return {
		async poll() {
			const result = await pollOnce('xeroPaymentTrigger', parameters, { credentials, staticData });
			staticData = result.staticData;
			return result.items.map((item) => item.json);
		},
		get staticData() {
			return staticData;
		},
	};
}

describe('Xero invoice status → Commusoft through the Xero Payment Trigger (polling fallback)', () => {
	it('each state reaches Commusoft once; re-polls do nothing; an idle poll is one call', async () => {
		const p = poller(pollParams());
		const s = await fourStates();
		// Backfill From reaches the invoices of the tests before: this test's are those numbered S<runTag>-.
		const changes = ((await p.poll()) as unknown as XeroInvoiceStatusChange[]).filter((c) =>
			c.invoiceNumber.startsWith(`CS-S${runTag}-`),
		);
		expect(changes.map((c) => [c.invoiceNumber, c.state]).sort()).toEqual(
			[
				[s.voided.number, 'VOIDED'],
				[s.deleted.number, 'DELETED'],
				[s.paid.number, 'PAID'],
				[s.credited.number, 'CREDITED'],
			].sort(),
		);
		const written = await recordInCommusoft(changes as unknown as IDataObject[]);
		expect(written.every((w) => w.result === 'recorded')).toBe(true);

		xero.clearCalls();
		expect(await p.poll()).toEqual([]);
		expect(xero.calls().map((call) => call.endpoint)).toEqual(['GET /Invoices']);
		expect(
			(await p.poll()).length,
			're-reads its overlap window and the invoices of the tests before',
		).toBe(0);
		expect(changes.some((c) => c.invoiceNumber === s.partPaid.number)).toBe(false);
		expect(xero.calls().some((call) => call.path.includes(s.foreign.id))).toBe(false);
		for (const invoice of [s.voided, s.deleted, s.paid, s.credited])
			expect(notesOf(invoice.commusoftId)).toHaveLength(1);
	});

	it('the same change seen by the webhook and by the poll is one note in Commusoft', async () => {
		const from = xero.events().length;
		const [invoice] = await linkedInvoices(1, 60);
		await setStatus(invoice.xeroId, 'VOIDED');
		const viaWebhook = await webhookReceiver().deliver(xero.events().slice(from));
		const viaPoll = (await poller(pollParams()).poll()).filter(
			(c) => c.invoiceId === invoice.xeroId,
		);
		expect(viaPoll.map((c) => c.changeKey)).toEqual(viaWebhook.map((c) => c.changeKey));
		const written = await recordInCommusoft([...viaWebhook, ...viaPoll]);
		expect(written.map((w) => w.result)).toEqual(['recorded', 'alreadyRecorded']);
		expect(notesOf(invoice.commusoftId)).toHaveLength(1);
	});

	it('a lost seen-set repeats the overlap, marked, and Commusoft still holds one note each', async () => {
		const p = poller(pollParams());
		const s = await fourStates();
		const first = (await p.poll()).filter((c) =>
			String(c.invoiceNumber).startsWith(`CS-S${runTag}-`),
		);
		expect(first).toHaveLength(4);
		await recordInCommusoft(first);
		const node = p.staticData['node:Node Under Test'] as IDataObject;
		(node.invoiceStatus as IDataObject).seen = [];
		const repeated = (await p.poll()).filter((c) =>
			String(c.invoiceNumber).startsWith(`CS-S${runTag}-`),
		);
		expect(repeated).toHaveLength(4);
		expect(repeated[0].pollStateRepair).toMatchObject({ mayRepeat: true });
		const written = await recordInCommusoft(repeated);
		expect(written.map((w) => w.result)).toEqual(Array(4).fill('alreadyRecorded'));
		for (const invoice of [s.voided, s.deleted, s.paid, s.credited])
			expect(notesOf(invoice.commusoftId)).toHaveLength(1);
	});

	it('a damaged position stops naming the fix; with Backfill From set it resumes, marked', async () => {
		const damaged = { 'node:Node Under Test': { invoiceStatus: 'reset me' } };
		await expect(
			pollOnce('xeroPaymentTrigger', pollParams({ backfillFrom: '' }), {
				credentials,
				staticData: structuredClone(damaged),
			}),
		).rejects.toThrow(/saved position is damaged \(invoiceStatus: the saved state is the text/);
		const [invoice] = await linkedInvoices(1, 30);
		await setStatus(invoice.xeroId, 'VOIDED');
		const resumed = await pollOnce('xeroPaymentTrigger', pollParams(), {
			credentials,
			staticData: structuredClone(damaged),
		});
		const item = resumed.items.find((i) => i.json.invoiceId === invoice.xeroId);
		expect(item?.json).toMatchObject({ state: 'VOIDED', pollStateRepair: { mayRepeat: true } });
	});

	it('keeps its position apart from the payments position of the same node', async () => {
		const p = poller(pollParams());
		await p.poll();
		const node = p.staticData['node:Node Under Test'] as IDataObject;
		expect(node.invoiceStatus).toMatchObject({ tenantId, seen: expect.any(Array) });
		expect(node.cursor).toBeUndefined();
		expect(node.seen).toBeUndefined();
	});
});

describe('no loop: the Xero status written into Commusoft is no Commusoft invoice change', () => {
	it('the Commusoft Trigger (invoice raised and updated events) emits nothing for the invoices written', async () => {
		const triggerParams: INodeParameters = {
			events: ['invoiceRaised', 'invoiceUpdated'],
			backfillFrom: new Date(commusoft.state.now() - 1_000).toISOString(),
		};
		let staticData: IDataObject = {};
		const tick = async () => {
			const result = await pollOnce('commusoftTrigger', triggerParams, { credentials, staticData });
			staticData = result.staticData;
			return result.items.map((item) => item.json);
		};
		const from = xero.events().length;
		const s = await fourStates();
		const ours = new Set(
			[s.voided, s.deleted, s.paid, s.credited, s.partPaid].map((i) => i.commusoftId),
		);
		const raised = (await tick()).filter((item) => ours.has(String(item.id)));
		expect(raised.map((item) => item.event)).toEqual(Array(5).fill('invoiceRaised'));
		const updatedAt = new Map(
			commusoft.state.data.invoices.map((invoice) => [invoice.uuid, invoice.updatedAt]),
		);

		commusoft.state.advanceClock(30);
		const changes = await webhookReceiver().deliver(xero.events().slice(from));
		expect(changes).toHaveLength(4);
		expect(await recordInCommusoft(changes)).toHaveLength(4);
		commusoft.state.advanceClock(30);

		expect((await tick()).filter((item) => ours.has(String(item.id)))).toEqual([]);
		for (const id of ours)
			expect(commusoft.state.data.invoices.find((i) => i.uuid === id)?.updatedAt).toBe(
				updatedAt.get(id),
			);
	});
});

describe('Commusoft → Invoice → Record Xero Status: bad items', () => {
	it('refuses each bad item naming the field and the fix; the good item is still written', async () => {
		const [invoice] = await linkedInvoices(1, 40);
		const from = xero.events().length;
		await setStatus(invoice.xeroId, 'VOIDED');
		const [good] = await webhookReceiver().deliver(xero.events().slice(from));
		const items = [
			{ ...good, commusoftInvoiceId: undefined },
			{ ...good, state: 'AUTHORISED' },
			{ eventCategory: 'INVOICE', resourceId: invoice.xeroId, fetchError: 'Xero answered 503' },
			good,
		];
		const result = await runNode(
			'commusoft',
			{ resource: 'invoice', operation: 'recordXeroStatus' },
			items,
			credentials,
			{ node: { onError: 'continueRegularOutput' } },
		);
		const out = result.items.map((item) => item.json);
		expect(result.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3].map((item) => ({ item })),
		);
		expect(String(out[0].error)).toMatch(/Invoice ID is empty on item 0/);
		expect(JSON.stringify(out[0].details)).toMatch(/link back to Commusoft/);
		expect(String(out[1].error)).toMatch(/Item 1: "state" must be one of/);
		expect(String(out[2].error)).toMatch(/could not be read \(Xero answered 503\)/);
		expect(out[3]).toMatchObject({ result: 'recorded', state: 'VOIDED' });
		expect(notesOf(invoice.commusoftId)).toHaveLength(1);
	});
});
