// The Xero Payment Trigger polling the Xero sandbox through n8n-core's real PollContext (test/helpers/n8nCore).
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { XeroPaymentRecord } from '../../nodes/Xero/records';
import type { XeroSandbox } from '../../sandbox/xero/server';
import { loadOptions, pollOnce, type PollResult } from '../helpers/n8nCore';
import {
	createXeroInvoices,
	payXeroInvoices,
	startXeroFixture,
	type XeroFixture,
} from '../helpers/xeroSandbox';

const TRIGGER = 'xeroPaymentTrigger';

let xero: XeroSandbox;
let tenantId: string;
let contactId: string;
let credentials: Record<string, ICredentialDataDecryptedObject>;
let xeroCall: XeroFixture['xeroCall'];
let close: () => Promise<void>;
let runTag = 0;

beforeAll(async () => {
	// Xero's 60 calls a minute per organisation is not what these tests are about (the set-up alone makes
	// more); the transport's handling of it is tested with the transport.
	({ xero, tenantId, credentials, xeroCall, close } = await startXeroFixture());
	contactId = xero.state(tenantId).contacts[0].ContactID;
});
afterAll(async () => await close());
beforeEach(() => {
	runTag++;
});

const createInvoices = async (numbers: string[], total = 100, url?: (n: string) => string) =>
	await createXeroInvoices(
		xeroCall,
		contactId,
		numbers.map((number) => ({ number, total, url: url?.(number) })),
	);
const pay = async (invoiceIds: string[], amount?: number, reference?: string) =>
	await payXeroInvoices(xeroCall, invoiceIds, amount, reference);

const numbers = (prefix: string, count: number) =>
	Array.from({ length: count }, (_, i) => `${prefix}${runTag}-${String(i + 1).padStart(3, '0')}`);

const params = (overrides: INodeParameters = {}): INodeParameters => ({
	tenantId,
	onlyCommusoftInvoices: true,
	commusoftRule: 'invoiceNumberPrefix',
	commusoftRuleValue: 'CS-',
	...overrides,
	options: {
		// Everything this test wrote, nothing of the seeded history (seed timestamps are in September).
		backfillFrom: new Date(Date.now() - 10 * 60_000).toISOString(),
		...((overrides.options as IDataObject | undefined) ?? {}),
	},
});

/** Polls like an active workflow's tick; state carries over between calls. */
function poller(parameters: INodeParameters) {
	let staticData: IDataObject = {};
	return {
		async poll(): Promise<PollResult & { records: XeroPaymentRecord[] }> {
			const result = await pollOnce(TRIGGER, parameters, { credentials, staticData });
			staticData = result.staticData;
			return {
				...result,
				records: result.items.map((item) => item.json as unknown as XeroPaymentRecord),
			};
		},
		get staticData() {
			return staticData;
		},
	};
}

const paymentCalls = () => xero.calls().filter((call) => call.endpoint === 'GET /Payments');
const invoiceLookups = () =>
	xero.calls().filter((call) => call.endpoint === 'GET /Invoices' && /[?&]IDs=/i.test(call.path));

describe('Xero Payment Trigger against the Xero sandbox', () => {
	it('emits each new payment of a Commusoft invoice once, with the record contract; an idle poll is one call', async () => {
		const p = poller(params());
		await p.poll(); // catch up with earlier tests' payments
		const [cs1, cs2, other] = await createInvoices([...numbers('CS-', 2), ...numbers('INV-', 1)]);
		const [pay1, pay2] = await pay([cs1.id, cs2.id, other.id], 40, 'Card 1234');

		const first = await p.poll();
		expect(first.records.map((r) => r.paymentId).sort()).toEqual([pay1, pay2].sort());
		const record = first.records.find((r) => r.paymentId === pay1)!;
		expect(record).toEqual({
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

		xero.clearCalls();
		const idle = await p.poll();
		expect(idle.outputs).toBeNull();
		expect(xero.calls().map((call) => call.endpoint)).toEqual(['GET /Payments']);
		const again = await p.poll();
		expect(again.outputs).toBeNull();
		expect(xero.calls()).toHaveLength(2);
	});

	it('passes non-Commusoft invoices through when the filter is off, without a Commusoft reference', async () => {
		const p = poller(params({ onlyCommusoftInvoices: false }));
		await p.poll();
		const [other] = await createInvoices(numbers('INV-', 1));
		const [paymentId] = await pay([other.id]);
		const { records } = await p.poll();
		expect(records.map((r) => r.paymentId)).toEqual([paymentId]);
		expect(records[0].commusoftReference).toBeUndefined();
		expect(records[0].invoiceNumber).toBe(other.number);
	});

	it('fills commusoftInvoiceId from the stored link under the default invoice-number rule', async () => {
		const p = poller(params());
		await p.poll();
		const commusoftId = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
		const [invoice] = await createInvoices(
			numbers('CS-', 1),
			100,
			() => `https://commusoft.example/app/invoices/${commusoftId}`,
		);
		await pay([invoice.id]);
		xero.clearCalls();
		const { records } = await p.poll();
		expect(records.map((r) => [r.invoiceNumber, r.commusoftInvoiceId])).toEqual([
			[invoice.number, commusoftId],
		]);
		expect(invoiceLookups()).toHaveLength(1);
	});

	it('reads every page, oldest change first, emitting 230 payments exactly once', async () => {
		const p = poller(params());
		await p.poll();
		const [invoice] = await createInvoices(numbers('CS-', 1), 1000);
		const paid: string[] = [];
		for (let batch = 0; batch < 5; batch++) {
			paid.push(...(await pay(Array(46).fill(invoice.id), 1, `batch ${batch}`)));
		}
		xero.clearCalls();
		const { records } = await p.poll();
		expect(records).toHaveLength(230);
		expect(new Set(records.map((r) => r.paymentId))).toEqual(new Set(paid));
		const pages = paymentCalls();
		expect(pages).toHaveLength(3);
		expect(pages.map((call) => new URL(call.path, xero.url).searchParams.get('page'))).toEqual([
			'1',
			'2',
			'3',
		]);
		expect(pages.every((call) => /order=UpdatedDateUTC(\+|%20)ASC/.test(call.path))).toBe(true);
		// One batched look-up per page for the link back to Commusoft (the nested summary has no Url).
		expect(invoiceLookups()).toHaveLength(3);
		const times = records.map((r) => r.updatedDateUtc);
		expect([...times].sort()).toEqual(times);
		expect((await p.poll()).outputs).toBeNull();
	});

	it('never loses a payment stamped with the same UpdatedDateUTC as the cursor, or just before it', async () => {
		const p = poller(params());
		await p.poll();
		const [a, b, c] = await createInvoices(numbers('CS-', 3));
		const [paymentA] = await pay([a.id]);
		const first = await p.poll();
		expect(first.records.map((r) => r.paymentId)).toEqual([paymentA]);
		const cursor = (p.staticData['node:Node Under Test'] as IDataObject).cursor;
		expect(cursor).toBe(first.records[0].updatedDateUtc);

		// Xero makes B visible only now, stamped with A's instant (same UpdatedDateUTC on both sides of a poll),
		// and C stamped a minute before the cursor (late, inside the overlap).
		const [paymentB, paymentC] = await pay([b.id, c.id]);
		const stamp = Date.parse(String(cursor));
		for (const payment of xero.state(tenantId).payments) {
			if (payment.PaymentID === paymentB) payment.UpdatedDateUTC = stamp;
			if (payment.PaymentID === paymentC) payment.UpdatedDateUTC = stamp - 60_000;
		}
		const second = await p.poll();
		expect(second.records.map((r) => r.paymentId).sort()).toEqual([paymentB, paymentC].sort());
		expect((await p.poll()).outputs).toBeNull();
	});

	it('emits a deleted payment as status DELETED, once', async () => {
		const p = poller(params());
		await p.poll();
		const [invoice] = await createInvoices(numbers('CS-', 1));
		const [paymentId] = await pay([invoice.id]);
		expect((await p.poll()).records.map((r) => [r.paymentId, r.status])).toEqual([
			[paymentId, 'AUTHORISED'],
		]);

		await xeroCall('POST', `/Payments/${paymentId}`, { Status: 'DELETED' });
		const deleted = await p.poll();
		expect(deleted.records).toHaveLength(1);
		expect(deleted.records[0]).toMatchObject({
			paymentId,
			status: 'DELETED',
			invoiceId: invoice.id,
			amount: 40,
		});
		expect((await p.poll()).outputs).toBeNull();

		const quiet = poller(params({ options: { includeDeleted: false } }));
		await quiet.poll();
		const [second] = await pay([invoice.id]);
		await xeroCall('POST', `/Payments/${second}`, { Status: 'DELETED' });
		// Created and deleted between two polls: only the deleted version is visible, and it is not wanted.
		expect((await quiet.poll()).outputs).toBeNull();
	});

	it('splits a batch payment into one record per invoice, and emits the batch deletion per invoice', async () => {
		const p = poller(params());
		await p.poll();
		const [cs1, cs2, other] = await createInvoices([...numbers('CS-', 2), ...numbers('INV-', 1)]);
		const body = await xeroCall('PUT', '/BatchPayments', {
			BatchPayments: [
				{
					Account: { Code: '090' },
					Date: '2026-11-25',
					Reference: 'Remittance 77',
					Payments: [
						{ Invoice: { InvoiceID: cs1.id }, Amount: 60 },
						{ Invoice: { InvoiceID: cs2.id }, Amount: 25.5 },
						{ Invoice: { InvoiceID: other.id }, Amount: 10 },
					],
				},
			],
		});
		const batchId = String((body.BatchPayments as IDataObject[])[0].BatchPaymentID);
		const { records } = await p.poll();
		expect(records.map((r) => [r.invoiceNumber, r.amount, r.batchPaymentId]).sort()).toEqual(
			[
				[cs1.number, 60, batchId],
				[cs2.number, 25.5, batchId],
			].sort(),
		);
		expect(new Set(records.map((r) => r.paymentId)).size).toBe(2);

		await xeroCall('POST', '/BatchPayments', { BatchPaymentID: batchId, Status: 'DELETED' });
		const deletion = await p.poll();
		expect(deletion.records.map((r) => [r.invoiceNumber, r.status]).sort()).toEqual(
			[
				[cs1.number, 'DELETED'],
				[cs2.number, 'DELETED'],
			].sort(),
		);
	});

	it('resolves a stored-link rule with one GET /Invoices?IDs= per 40 invoices, not one call per payment', async () => {
		const commusoftId = (n: string) =>
			`00000000-0000-4000-8000-${String(runTag).padStart(4, '0')}${n.slice(-3).padStart(8, '0')}`;
		const link = (n: string) => `https://app.commusoft.test/invoices/${commusoftId(n)}`;
		const p = poller(
			params({ commusoftRule: 'urlPrefix', commusoftRuleValue: 'https://app.commusoft.test/' }),
		);
		await p.poll();
		const linked = await createInvoices(numbers('LINKED-', 45), 100, link);
		const [unlinked] = await createInvoices(numbers('CS-', 1));
		await pay([...linked.map((i) => i.id), unlinked.id]);
		xero.clearCalls();
		const { records } = await p.poll();
		expect(records).toHaveLength(45);
		expect(records.every((r) => r.commusoftInvoiceId === commusoftId(r.invoiceNumber))).toBe(true);
		expect(records.every((r) => r.commusoftReference === r.invoiceNumber)).toBe(true);
		const lookups = invoiceLookups();
		expect(lookups).toHaveLength(2);
		const idsPerCall = lookups.map(
			(call) => (new URL(call.path, xero.url).searchParams.get('IDs') ?? '').split(',').length,
		);
		expect(idsPerCall.sort((x, y) => x - y)).toEqual([6, 40]);
	});

	it('starts from now on first activation (no backfill) and emits only what changes afterwards', async () => {
		const parameters = params();
		parameters.options = {};
		const p = poller(parameters);
		const [early, later] = await createInvoices(numbers('CS-', 2));
		await pay([early.id]);
		const baseline = await p.poll();
		expect(baseline.outputs).toBeNull();
		const [laterPayment] = await pay([later.id]);
		const next = await p.poll();
		expect(next.records.map((r) => r.paymentId)).toEqual([laterPayment]);
	});

	it('in manual mode returns recent payments and leaves the saved position alone', async () => {
		const p = poller(params());
		await p.poll();
		const [invoice] = await createInvoices(numbers('CS-', 1));
		const [paymentId] = await pay([invoice.id]);
		const before = JSON.parse(JSON.stringify(p.staticData)) as IDataObject;
		const manual = await pollOnce(TRIGGER, params(), {
			credentials,
			staticData: before,
			mode: 'manual',
		});
		expect(manual.items.length).toBeGreaterThan(0);
		expect(manual.items.length).toBeLessThanOrEqual(10);
		expect(manual.items[0].json.paymentId).toBe(paymentId);
		expect(manual.staticData).toEqual(before);
		// The active poll still sees the payment afterwards.
		expect((await p.poll()).records.map((r) => r.paymentId)).toEqual([paymentId]);
	});

	it('lists the organisations of the credential for the Organisation parameter', async () => {
		const options = await loadOptions(TRIGGER, 'getTenants', {}, credentials);
		expect(options.map((option) => option.value).sort()).toEqual(
			xero
				.tenants()
				.map((tenant) => tenant.tenantId)
				.sort(),
		);
		expect(options.find((option) => option.value === tenantId)?.name).toBe(
			'Demo Plumbing & Heating Ltd',
		);
	});

	it('rejects an invalid rule with a message naming the parameter', async () => {
		await expect(
			pollOnce(
				TRIGGER,
				params({ commusoftRule: 'invoiceNumberPattern', commusoftRuleValue: '([' }),
				{
					credentials,
				},
			),
		).rejects.toThrow(/"Commusoft Rule Value" is not a valid regular expression/);
	});
});
