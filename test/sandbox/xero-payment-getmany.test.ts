/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Xero Accounting → Payment → Get Many against the Xero sandbox through n8n-core's real WorkflowExecute: the
// Xero Payment Trigger's read (same records, same Commusoft rule) without a saved position, and template 2's
// nightly catch-up branch (Get Many → Commusoft Payment → Create) run in process against both sandboxes.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type {
	ICredentialDataDecryptedObject,
	IConnections,
	IDataObject,
	INodeParameters,
} from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { XeroPaymentRecord } from '../../nodes/Xero/records';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import { invoiceTotals } from '../../sandbox/commusoft/state';
import type { XeroSandbox } from '../../sandbox/xero/server';
import {
	pollOnce,
	runNode,
	runWorkflow,
	type TestNode,
	type TestWorkflow,
} from '../helpers/n8nCore';
import {
	createXeroInvoices,
	payXeroInvoices,
	startXeroAndCommusoftFixture,
	type NewXeroInvoice,
	type XeroFixture,
} from '../helpers/xeroSandbox';

const NODE = 'xeroAccounting';

let xero: XeroSandbox;
let commusoft: RunningCommusoftSandbox;
let tenantId: string;
let contactId: string;
let credentials: Record<string, ICredentialDataDecryptedObject>;
let xeroCall: XeroFixture['xeroCall'];
let close: () => Promise<void>;
let runTag = 0;
let testStart: string;

beforeAll(async () => {
	({ xero, commusoft, tenantId, credentials, xeroCall, close } =
		await startXeroAndCommusoftFixture());
	contactId = xero.state(tenantId).contacts[0].ContactID;
});
afterAll(async () => await close());
beforeEach(async () => {
	runTag++;
	// Every test reads only what it wrote: its payments are newer than this (UpdatedDateUTC has ms).
	await new Promise((resolve) => setTimeout(resolve, 5));
	testStart = new Date().toISOString();
	await new Promise((resolve) => setTimeout(resolve, 5));
	xero.clearCalls();
});

const createInvoices = async (invoices: NewXeroInvoice[]) =>
	await createXeroInvoices(xeroCall, contactId, invoices);
const pay = async (invoiceIds: string[], amount?: number, reference?: string) =>
	await payXeroInvoices(xeroCall, invoiceIds, amount, reference);

const numbered = (prefix: string, count: number): NewXeroInvoice[] =>
	Array.from({ length: count }, (_, i) => ({
		number: `${prefix}${runTag}-${String(i + 1).padStart(3, '0')}`,
	}));

const getMany = (overrides: INodeParameters = {}): INodeParameters => ({
	resource: 'payment',
	operation: 'getMany',
	tenantId,
	modifiedSince: testStart,
	onlyCommusoftInvoices: true,
	commusoftRule: 'invoiceNumberPrefix',
	commusoftRuleValue: 'CS-',
	returnAll: true,
	options: {},
	...overrides,
});

async function run(parameters: INodeParameters, options: Parameters<typeof runNode>[4] = {}) {
	const result = await runNode(NODE, parameters, [{ json: {} }], credentials, options);
	return {
		...result,
		records: result.items.map((item) => item.json as unknown as XeroPaymentRecord),
	};
}

const paymentCalls = () => xero.calls().filter((call) => call.endpoint === 'GET /Payments');

// ── Template 2's nightly catch-up, in process ─────────────────────────────────────────────────────────
// First in the file: the branch reads every Commusoft-numbered payment of the last 3 days, and the invoices the
// later tests make have no link back to a Commusoft invoice.
const TEMPLATE = path.join(
	__dirname,
	'..',
	'..',
	'templates',
	'02-xero-payments-to-commusoft.json',
);
const SCHEDULE = 'Every Night 03:00';
const READ = 'Xero Payments, Last 3 Days';
const RECORD = 'Record Missed Payment in Commusoft';

/**
 * The template's catch-up branch as shipped (Organisation set, credentials attached by the runner). n8n-core's
 * in-process runner has only the Manual Trigger of n8n's built-ins, so the Schedule Trigger node becomes one:
 * a schedule trigger hands the next node one empty item, as the Manual Trigger does.
 */
function catchUpWorkflow(): TestWorkflow {
	const template = JSON.parse(readFileSync(TEMPLATE, 'utf8')) as {
		nodes: Array<TestNode & { credentials?: unknown; id?: string }>;
		connections: IConnections;
	};
	const kept = new Set([SCHEDULE, READ, RECORD]);
	const nodes = template.nodes
		.filter((node) => kept.has(node.name))
		.map((node) => {
			const copy = structuredClone(node);
			delete copy.credentials;
			delete copy.id;
			return copy;
		});
	expect(nodes).toHaveLength(3);
	// A payment Commusoft refuses must not hold back the others: the writer continues on fail.
	expect(nodes.find((node) => node.name === RECORD)!.onError).toBe('continueRegularOutput');
	const schedule = nodes.find((node) => node.name === SCHEDULE)!;
	expect(schedule.type).toBe('n8n-nodes-base.scheduleTrigger');
	schedule.type = 'n8n-nodes-base.manualTrigger';
	schedule.typeVersion = 1;
	schedule.parameters = {};
	nodes.find((node) => node.name === READ)!.parameters!.tenantId = tenantId;
	const connections: IConnections = {};
	for (const name of [SCHEDULE, READ]) connections[name] = template.connections[name];
	return { nodes, connections };
}

describe('template 2 catch-up: Schedule → Payment → Get Many → Commusoft Payment → Create', () => {
	it('records payments the trigger never delivered once; the next night records nothing new', async () => {
		const candidates = commusoft.state.data.invoices.filter(
			(invoice) =>
				invoice.status === 'raised' &&
				invoice.invoiceNumber.startsWith('CS-') &&
				invoiceTotals(commusoft.state.data, invoice).amountOutstanding >= 50,
		);
		expect(candidates.length).toBeGreaterThanOrEqual(2);
		const chosen = candidates.slice(0, 2);
		// Oldest change first: a payment Commusoft cannot take (its invoice link names no Commusoft invoice)
		// comes before the good ones and must not hold them back.
		const [orphanInvoice] = await createInvoices([
			{
				number: `CS-ORPHAN-${runTag}`,
				url: `${commusoft.url}/app/invoices/0f0f0f0f-1111-4222-8333-444455556666`,
			},
		]);
		const [orphan] = await pay([orphanInvoice.id], 5, 'Orphan');
		// Mirrored into Xero the way Invoice → Upsert writes them: same number, a link back to Commusoft.
		const mirrored = await createInvoices(
			chosen.map((invoice) => ({
				number: invoice.invoiceNumber,
				url: `${commusoft.url}/app/invoices/${invoice.uuid}`,
				total: 500,
			})),
		);
		const paymentIds = [
			...(await pay([mirrored[0].id], 10, 'Remittance 1')),
			...(await pay([mirrored[1].id], 12.5, 'Remittance 2')),
		];
		// A payment deleted in Xero is not brought into Commusoft by the catch-up.
		const [deleted] = await pay([mirrored[1].id], 1, 'Typo');
		await xeroCall('POST', `/Payments/${deleted}`, { Status: 'DELETED' });
		const recordedFor = (paymentId: string) =>
			commusoft.state.data.payments.filter((payment) => payment.externalReference === paymentId);
		const before = commusoft.state.data.payments.length;

		const first = await runWorkflow(catchUpWorkflow(), { credentials, mode: 'trigger' });
		expect(first.error).toBeUndefined();
		expect(first.executionOrder).toEqual([SCHEDULE, READ, RECORD]);
		const read = first.outputOf(READ).map((item) => item.json.paymentId);
		expect(read.slice(0, 3)).toEqual([orphan, ...paymentIds]);
		const notRecorded = first.outputOf(RECORD).filter((item) => item.json.error !== undefined);
		expect(notRecorded.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(String((notRecorded[0].json.details as { description?: string }).description)).toMatch(
			/Invoice 0f0f0f0f-.* not found/,
		);
		expect(recordedFor(orphan)).toHaveLength(0);
		expect(read).not.toContain(deleted);
		const written = first.outputOf(RECORD).filter((item) => item.json.error === undefined);
		expect(
			written
				.filter((item) =>
					paymentIds.includes(String((item.json.payment as IDataObject).externalReference)),
				)
				.map((item) => item.json.result),
		).toEqual(['created', 'created']);
		for (const [i, paymentId] of paymentIds.entries()) {
			const recorded = recordedFor(paymentId);
			expect(recorded).toHaveLength(1);
			expect(recorded[0].invoiceUuid).toBe(chosen[i].uuid);
			expect(recorded[0].amount).toBe([10, 12.5][i]);
		}
		expect(recordedFor(deleted)).toHaveLength(0);
		const afterFirst = commusoft.state.data.payments.length;
		expect(afterFirst - before).toBe(
			written.filter((item) => item.json.result === 'created').length,
		);

		// The next night reads the same payments again: every one is found, nothing is written twice.
		const second = await runWorkflow(catchUpWorkflow(), { credentials, mode: 'trigger' });
		expect(second.error).toBeUndefined();
		const again = second.outputOf(RECORD).filter((item) => item.json.error === undefined);
		expect(again.length).toBe(written.length);
		expect(again.every((item) => item.json.result === 'alreadyRecorded')).toBe(true);
		expect(second.outputOf(RECORD).filter((item) => item.json.error !== undefined)).toHaveLength(1);
		expect(commusoft.state.data.payments.length).toBe(afterFirst);
	});
});

describe('Xero Accounting → Payment → Get Many', () => {
	it('reads payments changed since the date, only of Commusoft invoices, deleted and other invoices on request', async () => {
		const [cs1, cs2, other] = await createInvoices([...numbered('CS-', 2), ...numbered('INV-', 1)]);
		const [pay1, pay2, payOther] = await pay([cs1.id, cs2.id, other.id], 40, 'Card 1234');
		await xeroCall('POST', `/Payments/${pay2}`, { Status: 'DELETED' });

		const plain = await run(getMany());
		expect(plain.error).toBeUndefined();
		expect(plain.records.map((r) => r.paymentId)).toEqual([pay1]);
		expect(plain.records[0]).toEqual({
			paymentId: pay1,
			status: 'AUTHORISED',
			invoiceId: cs1.id,
			invoiceNumber: cs1.number,
			commusoftReference: cs1.number,
			amount: 40,
			currency: 'GBP',
			date: '2026-11-25',
			accountCode: '090',
			accountId: expect.any(String),
			reference: 'Card 1234',
			isReconciled: false,
			updatedDateUtc: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
			tenantId,
		});
		expect(plain.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
		// Deleted payments are left out by Xero (where Status), not read and dropped; the date is the header.
		expect(paymentCalls()).toHaveLength(1);
		expect(decodeURIComponent(paymentCalls()[0].path)).toContain('Status=="AUTHORISED"');

		const withDeleted = await run(getMany({ options: { includeDeleted: true } }));
		expect(withDeleted.records.map((r) => [r.paymentId, r.status])).toEqual([
			[pay1, 'AUTHORISED'],
			[pay2, 'DELETED'],
		]);

		const everyInvoice = await run(getMany({ onlyCommusoftInvoices: false }));
		expect(everyInvoice.records.map((r) => r.paymentId)).toEqual([pay1, payOther]);
		expect(everyInvoice.records[1].commusoftReference).toBeUndefined();

		const whereFilter = await run(
			getMany({ onlyCommusoftInvoices: false, options: { where: 'Reference=="Nope"' } }),
		);
		expect(whereFilter.records).toEqual([]);

		// Nothing changed since now: no records, one call.
		xero.clearCalls();
		const later = await run(getMany({ modifiedSince: new Date(Date.now() + 1000).toISOString() }));
		expect(later.records).toEqual([]);
		expect(paymentCalls()).toHaveLength(1);
	});

	it('emits the very records the Xero Payment Trigger emits for the same changes', async () => {
		const commusoftId = '7d1c2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
		const [linked, plainCs, other] = await createInvoices([
			{ number: `CS-${runTag}-L`, url: `https://app.commusoft.co.uk/invoices/${commusoftId}` },
			{ number: `CS-${runTag}-P` },
			{ number: `INV-${runTag}-O` },
		]);
		const [first, second] = await pay([linked.id, plainCs.id, other.id], 25);
		await xeroCall('POST', `/Payments/${second}`, { Status: 'DELETED' });

		const polled = await pollOnce(
			'xeroPaymentTrigger',
			{
				tenantId,
				onlyCommusoftInvoices: true,
				commusoftRule: 'invoiceNumberPrefix',
				commusoftRuleValue: 'CS-',
				options: { backfillFrom: testStart, overlapSeconds: 0 },
			},
			{ credentials },
		);
		const listed = await run(getMany({ options: { includeDeleted: true } }));
		expect(listed.records).toEqual(polled.items.map((item) => item.json));
		expect(listed.records.map((r) => r.paymentId)).toEqual([first, second]);
		expect(listed.records[0].commusoftInvoiceId).toBe(commusoftId);
	});

	it('pages through more than 100 payments; a limit stops after the page that fills it', async () => {
		const invoices = await createInvoices(numbered('CS-', 130));
		const paymentIds = await pay(
			invoices.map((i) => i.id),
			10,
		);
		xero.clearCalls();
		const all = await run(getMany());
		expect(all.records.map((r) => r.paymentId)).toEqual(paymentIds);
		expect(
			paymentCalls().map((call) => new URL(call.path, xero.url).searchParams.get('page')),
		).toEqual(['1', '2']);
		// Invoice look-ups (for the link back to Commusoft) go 40 IDs a call, never one per payment.
		const lookups = xero
			.calls()
			.filter((call) => call.endpoint === 'GET /Invoices' && /[?&]IDs=/i.test(call.path));
		expect(lookups.length).toBeLessThanOrEqual(Math.ceil(130 / 40) + 1);

		xero.clearCalls();
		const limited = await run(getMany({ returnAll: false, limit: 30 }));
		expect(limited.records.map((r) => r.paymentId)).toEqual(paymentIds.slice(0, 30));
		expect(paymentCalls()).toHaveLength(1);
	});

	it('recognises Commusoft invoices by each rule, and bill payments only on request', async () => {
		const [byReference, byUrl, byPattern, neither] = await createInvoices([
			{ number: `A-${runTag}-1`, reference: 'JOB-77' },
			{ number: `A-${runTag}-2`, reference: 'x', url: 'https://app.commusoft.co.uk/i/1' },
			{ number: `CS-${runTag}-9`, reference: 'x' },
			{ number: `A-${runTag}-3`, reference: 'x' },
		]);
		const ids = await pay([byReference.id, byUrl.id, byPattern.id, neither.id], 5);
		const pick = async (commusoftRule: string, commusoftRuleValue: string) =>
			(await run(getMany({ commusoftRule, commusoftRuleValue }))).records.map((r) => [
				r.paymentId,
				r.commusoftReference,
			]);
		expect(await pick('referencePattern', '^job-\\d+$')).toEqual([[ids[0], 'JOB-77']]);
		expect(await pick('urlPrefix', 'https://APP.commusoft.co.uk/')).toEqual([
			[ids[1], byUrl.number],
		]);
		expect(await pick('invoiceNumberPattern', '^CS-\\d+-9$')).toEqual([[ids[2], byPattern.number]]);

		const [bill] = await createInvoices([{ number: `CS-${runTag}-BILL`, type: 'ACCPAY' }]);
		const [billPayment] = await pay([bill.id], 7);
		expect((await run(getMany())).records.map((r) => r.paymentId)).toEqual([ids[2]]);
		expect(
			(await run(getMany({ options: { includeBillPayments: true } }))).records.map(
				(r) => r.paymentId,
			),
		).toEqual([ids[2], billPayment]);
	});

	it('refuses a bad rule or date naming the item, the field and the fix; Continue On Fail keeps going', async () => {
		const badPattern = await run(
			getMany({ commusoftRule: 'invoiceNumberPattern', commusoftRuleValue: '^CS-(' }),
		);
		expect(badPattern.error?.message).toMatch(
			/"Commusoft Rule Value" is not a valid regular expression/,
		);
		expect((badPattern.error as { context?: IDataObject }).context?.itemIndex).toBe(0);

		const badDate = await run(getMany({ modifiedSince: 'last week' }), {
			node: { onError: 'continueRegularOutput' },
		});
		expect(badDate.error).toBeUndefined();
		expect(badDate.items).toHaveLength(1);
		expect(badDate.items[0].json.error).toBe(
			'Filter "Modified Since" "last week" is not an ISO 8601 date-time on item 0',
		);
		expect(badDate.items[0].pairedItem).toEqual({ item: 0 });
	});
});
