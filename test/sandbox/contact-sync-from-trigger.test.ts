/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
/**
 * Template 3 (Commusoft Trigger → Xero Accounting → Contact → Sync) run through n8n-core's real WorkflowExecute
 * against both sandboxes, in each way n8n can start it.
 *
 * The reported failure ("Contact Sync refused item 0: the customer has no accountReference") is reproduced by the
 * first describe block: `n8n execute` (mode 'cli') starts at the first trigger in the workflow's node list, and
 * n8n-core calls a polling trigger's poll() only in manual mode, so in any other mode the trigger passes its empty
 * start item on: Contact Sync receives `{}`. The editor's test run (mode 'manual') does call poll(), which returns
 * the same flat CommusoftCustomer records an active poll emits.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { IConnections, IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import {
	pollOnce,
	runWorkflow,
	type RunResult,
	type TestNode,
	type TestWorkflow,
} from '../helpers/n8nCore';
import { addXeroOrg, commusoftCredential, UNLIMITED } from '../helpers/xeroSandbox';

/** A copy of `value` without `keys` (lodash is not a declared dependency). */
function omit<T extends object>(value: T, keys: string[]): T {
	return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key))) as T;
}

const TEMPLATE = path.resolve(
	__dirname,
	'../../templates/03-commusoft-customers-to-xero-contacts.json',
);
const TRIGGER = 'Commusoft Trigger';
const MANUAL = 'Sync All Customers Now';
const SYNC = 'Xero: Sync Contacts';
/** The template's nodes that this package (and the runner's built-ins) provide; If/NoOp come after the sync. */
const KEPT = new Set([MANUAL, TRIGGER, 'Commusoft Customers', SYNC]);

interface TemplateNode extends TestNode {
	parameters: INodeParameters;
}

let commusoft: RunningCommusoftSandbox;
let xero: XeroSandbox;
let tenantId: string;
let credentials: Record<string, IDataObject>;
let tenantCounter = 0;

beforeAll(async () => {
	commusoft = await startCommusoftSandbox();
	xero = await startXeroSandbox({ log: () => {}, limits: UNLIMITED });
});

afterAll(async () => {
	await commusoft.close();
	await xero.close();
});

beforeEach(() => {
	commusoft.state.reset(true);
	const org = addXeroOrg(xero, `Contact sync from trigger ${++tenantCounter}`);
	tenantId = org.tenantId;
	credentials = { commusoftApi: commusoftCredential(commusoft), ...org.credentials };
});

/**
 * The template's own nodes and parameters (Organisation set, credentials attached by the runner). `triggerFirst`
 * restores the node order the template had when the failure was seen: the Commusoft Trigger before the Manual
 * Trigger.
 */
function templateWorkflow(
	options: { triggerFirst?: boolean; edit?: (node: TemplateNode) => void } = {},
): TestWorkflow {
	const template = JSON.parse(readFileSync(TEMPLATE, 'utf8')) as {
		nodes: Array<TemplateNode & { credentials?: unknown; id?: string }>;
		connections: IConnections;
	};
	let nodes: TemplateNode[] = template.nodes
		.filter((node) => KEPT.has(node.name))
		.map((node) => omit(structuredClone(node), ['credentials', 'id']));
	for (const node of nodes) {
		if (node.name === SYNC) node.parameters.tenantId = tenantId;
		options.edit?.(node);
	}
	if (options.triggerFirst) {
		nodes = [
			...nodes.filter((node) => node.name === TRIGGER),
			...nodes.filter((node) => node.name !== TRIGGER),
		];
	}
	const connections: IConnections = {};
	for (const [source, byType] of Object.entries(template.connections)) {
		if (!KEPT.has(source)) continue;
		connections[source] = {
			main: (byType.main ?? []).map((targets) =>
				(targets ?? []).filter((target) => KEPT.has(target.node)),
			),
		};
	}
	return { nodes, connections };
}

/** Keep the Commusoft pre-authentication token between runs, as n8n would. */
function keepCredentials(run: { credentialsAfter: unknown }) {
	credentials = run.credentialsAfter as Record<string, IDataObject>;
}

async function run(workflow: TestWorkflow, options: Parameters<typeof runWorkflow>[1] = {}) {
	const result = await runWorkflow(workflow, { credentials: credentials as never, ...options });
	keepCredentials(result);
	return result;
}

const jsonOf = (result: RunResult, node: string, output = 0) =>
	result.outputOf(node, output).map((item) => item.json);

const contactWrites = () =>
	xero
		.calls()
		.filter(
			(call) =>
				call.tenantId === tenantId &&
				call.path.startsWith('/api.xro/2.0/Contacts') &&
				call.method !== 'GET',
		);

const contactsInXero = () => xero.state(tenantId).contacts;

const liveCustomers = () => commusoft.state.data.customers.filter((customer) => !customer.deleted);

const customerListCalls = () => commusoft.state.callCounts()['GET /customers'] ?? 0;

/** The trigger's parameters as the template sets them, optionally with other events. */
function triggerParameters(events?: string[]): INodeParameters {
	const trigger = templateWorkflow().nodes.find((node) => node.name === TRIGGER)!;
	return { ...trigger.parameters, ...(events ? { events } : {}) };
}

async function poll(staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') {
	const result = await pollOnce('commusoftTrigger', triggerParameters(), {
		credentials: credentials as never,
		staticData,
		mode,
		nodeName: TRIGGER,
	});
	keepCredentials(result);
	return result;
}

describe('the reported failure: a run started at the Commusoft Trigger without polling it', () => {
	it('`n8n execute` on the trigger-first template: poll() never runs, Contact Sync gets {} and says so', async () => {
		commusoft.state.clearCalls();
		// No startNode: n8n-core's WorkflowExecute.run() takes workflow.getStartNode(), the first trigger listed.
		const result = await run(templateWorkflow({ triggerFirst: true }), { mode: 'cli' });

		expect(result.error).toBeUndefined();
		expect(result.executionOrder[0]).toBe(TRIGGER);
		expect(customerListCalls()).toBe(0);
		expect(jsonOf(result, TRIGGER)).toEqual([{}]);
		expect(jsonOf(result, SYNC)).toEqual([]);
		const [refused] = result.outputOf(SYNC, 1);
		expect(refused.pairedItem).toEqual({ item: 0 });
		expect(refused.json).toMatchObject({
			message: 'Item 0 cannot be synced',
			details: { action: 'failed', fieldsSent: [], accountReference: '' },
		});
		expect(refused.json.details).not.toHaveProperty('reason');
		expect(String(refused.json.error)).toMatch(
			/^the item is empty, so it has no "accountReference".*`n8n execute` starts at the first trigger.*Fix: start the run from a Manual Trigger/,
		);
		expect(contactWrites()).toEqual([]);
		expect(contactsInXero()).toEqual([]);
	});

	it('without the error output (as the template was then) the run fails on item 0 with that reason', async () => {
		const workflow = templateWorkflow({
			triggerFirst: true,
			edit: (node) => {
				if (node.name === SYNC) delete (node as { onError?: string }).onError;
			},
		});
		const result = await run(workflow, { mode: 'cli' });
		expect(result.error?.message).toMatch(/^Item 0 cannot be synced: the item is empty/);
		expect(result.error?.description).toBe('Nothing was written to Xero.');
		expect(contactWrites()).toEqual([]);
	});

	it('`n8n execute` on the template as shipped starts at the Manual Trigger: every customer gets a contact', async () => {
		const result = await run(templateWorkflow(), { mode: 'cli' });
		expect(result.error).toBeUndefined();
		expect(result.executionOrder[0]).toBe(MANUAL);
		expect(result.executionOrder).not.toContain(TRIGGER);
		const synced = jsonOf(result, SYNC);
		expect(result.outputOf(SYNC, 1)).toEqual([]);
		expect(synced).toHaveLength(liveCustomers().length);
		expect(synced.every((item) => item.action === 'created')).toBe(true);
		const numbers = new Set(contactsInXero().map((contact) => contact.ContactNumber));
		for (const customer of liveCustomers()) expect(numbers).toContain(customer.reference);
	});
});

describe("the trigger's test run (editor: execute the workflow from the Commusoft Trigger)", () => {
	it('nothing changed recently: the sample is the newest customers, flat records that Contact Sync links', async () => {
		// The seed was last changed weeks ago: the test run widens its look-back until it finds records.
		const newest = Math.max(...liveCustomers().map((c) => Date.parse(c.updatedAt)));
		expect(Date.now() - newest).toBeGreaterThan(24 * 3600_000);

		const result = await run(templateWorkflow(), { mode: 'manual', startNode: TRIGGER });
		expect(result.error).toBeUndefined();
		const sample = jsonOf(result, TRIGGER);
		expect(sample).toHaveLength(5); // the trigger's default Test Run Limit
		for (const item of sample) {
			expect(['customerCreated', 'customerUpdated']).toContain(item.event);
			expect(item.accountReference).toMatch(/^CUS-\d{5}$/);
			expect(item).not.toHaveProperty('customer');
		}
		const synced = jsonOf(result, SYNC);
		expect(result.outputOf(SYNC, 1)).toEqual([]);
		expect(synced.map((item) => item.accountReference)).toEqual(
			sample.map((item) => item.accountReference),
		);
		expect(synced.map((item) => item.action)).toEqual(sample.map(() => 'created'));
		expect(
			contactsInXero()
				.map((contact) => contact.ContactNumber)
				.sort(),
		).toEqual(sample.map((item) => item.accountReference).sort());
		// A test run never moves the trigger's cursor.
		expect(result.staticData[`node:${TRIGGER}`] ?? {}).toEqual({});
	});

	it('an empty Commusoft: the test run returns nothing and Contact Sync does not run', async () => {
		commusoft.state.reset(false);
		const result = await run(templateWorkflow(), { mode: 'manual', startNode: TRIGGER });
		expect(result.error).toBeUndefined();
		expect(customerListCalls()).toBeGreaterThan(0);
		expect(result.executionOrder).not.toContain(SYNC);
		expect(result.runData[SYNC]).toBeUndefined();
		expect(xero.calls().filter((call) => call.tenantId === tenantId)).toEqual([]);
	});
});

describe('customer events from an active poll', () => {
	it('created then updated: one contact, then only the changed field; the test run has the same shape', async () => {
		const baseline = await poll({});
		expect(baseline.outputs).toBeNull();

		const created = commusoft.state.createCustomer({
			uuid: '000000c0-0000-4000-8000-00000000f001',
			firstName: 'Priya',
			lastName: 'Shah',
			email: 'priya.shah@example.co.uk',
			address: { addressLine1: '4 Mill Road', town: 'Leeds', postcode: 'ls6 2aa' },
		}) as { uuid: string; reference: string };
		const first = await poll(baseline.staticData);
		expect(first.items).toHaveLength(1);
		const polled = first.items[0].json;
		expect(polled).toMatchObject({
			event: 'customerCreated',
			id: created.uuid,
			accountReference: created.reference,
		});

		const runFirst = await run(templateWorkflow(), {
			mode: 'trigger',
			startNode: TRIGGER,
			triggerItems: first.items,
		});
		expect(runFirst.error).toBeUndefined();
		const [contact] = jsonOf(runFirst, SYNC);
		expect(contact).toMatchObject({
			action: 'created',
			accountReference: created.reference,
			commusoftCustomerId: created.uuid,
			name: 'Priya Shah',
		});
		expect(contactsInXero()).toEqual([
			expect.objectContaining({ ContactNumber: created.reference, Name: 'Priya Shah' }),
		]);

		// The editor's test run emits this customer (the newest) in the shape the active poll used.
		const manual = await poll(first.staticData, 'manual');
		const sampled = manual.items[0].json;
		expect(sampled.id).toBe(created.uuid);
		expect(Object.keys(sampled).sort()).toEqual(Object.keys(polled).sort());
		const recordOnly = (item: IDataObject) =>
			omit(item, ['event', 'changedFields', 'previousVersionKnown']);
		expect(recordOnly(sampled)).toEqual(recordOnly(polled));
		expect(manual.staticData).toEqual(first.staticData);

		commusoft.state.advanceClock(1);
		commusoft.state.editCustomer(created.uuid, { email: 'priya@shah.example.co.uk' });
		const second = await poll(first.staticData);
		expect(second.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ event: 'customerUpdated', changedFields: ['email'] }),
		]);
		const writesBefore = contactWrites().length;
		const runSecond = await run(templateWorkflow(), {
			mode: 'trigger',
			startNode: TRIGGER,
			triggerItems: second.items,
		});
		expect(jsonOf(runSecond, SYNC)).toEqual([
			expect.objectContaining({
				action: 'updated',
				contactId: contact.contactId,
				fieldsSent: ['email'],
			}),
		]);
		expect(contactWrites()).toHaveLength(writesBefore + 1);
		expect(contactsInXero()[0].EmailAddress).toBe('priya@shah.example.co.uk');

		// Nothing new: the poll returns null, so n8n starts no run at all.
		expect((await poll(second.staticData)).outputs).toBeNull();
	});

	it('a customer without an account reference: Commusoft never stores one; if the API leaves it out, the numeric id is used', async () => {
		const baseline = await poll({});
		const created = commusoft.state.createCustomer({
			uuid: '000000c0-0000-4000-8000-00000000f002',
			firstName: 'Tom',
			lastName: 'Reed',
		}) as { uuid: string; reference: string };
		// The server assigns a reference, and an update cannot clear it.
		expect(created.reference).toMatch(/^CUS-\d{5}$/);
		commusoft.state.editCustomer(created.uuid, { reference: '' });
		const stored = commusoft.state.data.customers.find((c) => c.uuid === created.uuid)!;
		expect(stored.reference).toBe(created.reference);

		// `reference` is an assumed field (docs/commusoft-api-contract.md): simulate an API that does not send it.
		delete (stored as { reference?: string }).reference;
		const polled = await poll(baseline.staticData);
		expect(polled.items.map((item) => item.json)).toEqual([
			expect.objectContaining({ id: created.uuid, accountReference: String(stored.id) }),
		]);
		const result = await run(templateWorkflow(), {
			mode: 'trigger',
			startNode: TRIGGER,
			triggerItems: polled.items,
		});
		expect(result.outputOf(SYNC, 1)).toEqual([]);
		expect(jsonOf(result, SYNC)).toEqual([
			expect.objectContaining({ action: 'created', accountReference: String(stored.id) }),
		]);
		expect(contactsInXero()).toEqual([
			expect.objectContaining({ ContactNumber: String(stored.id), Name: 'Tom Reed' }),
		]);
	});
});

describe('invoice events sent into Contact Sync (the wrong event for this node)', () => {
	const invoiceEvents = (node: TemplateNode) => {
		if (node.name === TRIGGER) node.parameters.events = ['invoiceRaised', 'invoiceUpdated'];
	};

	it('every item leaves by the error output naming the item, the field and the fix; nothing is written', async () => {
		const result = await run(templateWorkflow({ edit: invoiceEvents }), {
			mode: 'manual',
			startNode: TRIGGER,
		});
		expect(result.error).toBeUndefined();
		const invoices = jsonOf(result, TRIGGER);
		expect(invoices.length).toBeGreaterThan(0);
		for (const invoice of invoices) {
			expect(invoice.invoiceNumber).toMatch(/^CS-/);
			expect((invoice.customer as IDataObject).accountReference).toMatch(/^CUS-/);
		}
		expect(jsonOf(result, SYNC)).toEqual([]);
		const refused = result.outputOf(SYNC, 1);
		expect(refused.map((item) => item.pairedItem)).toEqual(invoices.map((_, item) => ({ item })));
		for (const [index, item] of refused.entries()) {
			// n8n merges the input item (the invoice) into an error-output item.
			expect(item.json).toMatchObject({
				invoiceNumber: invoices[index].invoiceNumber,
				message: `Item ${index} cannot be synced`,
				details: { action: 'failed', fieldsSent: [] },
			});
			expect(item.json.error).toBe(
				`field "event" is "${String(invoices[index].event)}": the item is an invoice from the Commusoft Trigger, not a customer. Fix: choose only Customer Created and Customer Updated under the Commusoft Trigger's Events (send invoice and payment events to other nodes); to sync an invoice's customer on purpose, pass the invoice's "customer" object as the item`,
			);
		}
		expect(contactWrites()).toEqual([]);
		expect(contactsInXero()).toEqual([]);
	});

	it('without the error output the run stops at item 0 with the same reason, nothing half-written', async () => {
		const workflow = templateWorkflow({
			edit: (node) => {
				invoiceEvents(node);
				if (node.name === SYNC) delete (node as { onError?: string }).onError;
			},
		});
		const result = await run(workflow, { mode: 'manual', startNode: TRIGGER });
		expect(result.error?.message).toMatch(
			/^Item 0 cannot be synced: field "event" is "invoice(Raised|Updated)": the item is an invoice/,
		);
		expect(result.nodeErrorOf(SYNC)?.message).toBe(result.error?.message);
		expect(contactWrites()).toEqual([]);
	});
});
