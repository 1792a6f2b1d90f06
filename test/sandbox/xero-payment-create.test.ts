/* eslint-disable @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Xero Accounting → Payment → Create (Record in Xero) against the Xero sandbox through n8n-core's real
// WorkflowExecute: batching, exactly once however often re-run (also after a run that died with Xero's answer
// lost), each refusal an office person can act on, and the no-loop rule in both directions.
import { randomUUID } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { CommusoftPayment } from '../../nodes/Commusoft/records';
import type { XeroPaymentRecord } from '../../nodes/Xero/records';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import { invoiceTotals } from '../../sandbox/commusoft/state';
import type { XeroSandbox } from '../../sandbox/xero/server';
import { startAnswerDroppingProxy } from '../helpers/answerDroppingProxy';
import { pollOnce, runNode } from '../helpers/n8nCore';
import {
	createXeroInvoices,
	payXeroInvoices,
	startXeroAndCommusoftFixture,
	xeroCredential,
	type NewXeroInvoice,
	type XeroFixture,
} from '../helpers/xeroSandbox';

let xero: XeroSandbox;
let commusoft: RunningCommusoftSandbox;
let tenantId: string;
let contactId: string;
let credentials: Record<string, ICredentialDataDecryptedObject>;
let xeroCall: XeroFixture['xeroCall'];
let close: () => Promise<void>;
let accessToken: string;
let runTag = 0;
let testStart: string;
const account: Record<string, string> = {};

beforeAll(async () => {
	({ xero, commusoft, tenantId, credentials, xeroCall, close, accessToken } =
		await startXeroAndCommusoftFixture());
	const state = xero.state(tenantId);
	contactId = state.contacts[0].ContactID;
	for (const code of ['090', '091', '200', '880'])
		account[code] = state.accounts.find((a) => a.Code === code)!.AccountID;
});
afterAll(async () => await close());
beforeEach(async () => {
	runTag++;
	await new Promise((resolve) => setTimeout(resolve, 5));
	// The sandbox clock may run ahead of this process (a test moves it past the Idempotency-Key window).
	testStart = new Date(xero.now()).toISOString();
	await new Promise((resolve) => setTimeout(resolve, 5));
	xero.clearCalls();
});

const numbered = (count: number, extra: Partial<NewXeroInvoice> = {}): NewXeroInvoice[] =>
	Array.from({ length: count }, (_, i) => ({
		number: `CS-P${runTag}-${String(i + 1).padStart(3, '0')}`,
		...extra,
	}));

const onSite = (invoiceNumber: string, amount: number, extra: Partial<CommusoftPayment> = {}) =>
	({
		id: randomUUID(),
		invoiceId: randomUUID(),
		invoiceNumber,
		amount,
		currency: 'GBP',
		date: '2026-11-28',
		method: 'card',
		reference: 'Paid on site',
		...extra,
	}) as IDataObject;

const params = (overrides: INodeParameters = {}): INodeParameters => ({
	resource: 'payment',
	operation: 'create',
	tenantId,
	methodAccounts: {
		mapping: [
			{ method: 'card', accountId: account['090'] },
			{ method: 'bank_transfer', accountId: account['091'] },
			{ method: 'cheque', accountId: account['880'] },
		],
	},
	...overrides,
});

async function record(
	items: IDataObject[],
	overrides: INodeParameters = {},
	options: { continueOnFail?: boolean; credentials?: typeof credentials } = {},
) {
	return await runNode(
		'xeroAccounting',
		params(overrides),
		items.map((json) => ({ json })),
		options.credentials ?? credentials,
		{ node: options.continueOnFail === false ? {} : { onError: 'continueRegularOutput' } },
	);
}

const livePayments = (invoiceId: string) =>
	xero
		.state(tenantId)
		.payments.filter((p) => p.InvoiceID === invoiceId && p.Status === 'AUTHORISED');
const invoice = (invoiceId: string) =>
	xero.state(tenantId).invoices.find((i) => i.InvoiceID === invoiceId)!;
const paymentWrites = () =>
	xero.calls().filter((c) => c.endpoint === 'PUT /Payments' || c.endpoint === 'POST /Payments');

describe('Payment → Create records Commusoft payments in Xero', () => {
	it('120 payments (part and full) go in 3 PUT /Payments calls, each against its invoice, marked with the Commusoft id', async () => {
		const invoices = await createXeroInvoices(xeroCall, contactId, numbered(120));
		const items = invoices.map((inv, i) =>
			onSite(inv.number, i % 2 ? 100 : 60, { method: i % 3 ? 'card' : 'bank_transfer' }),
		);
		const run = await record(items);
		expect(run.items).toHaveLength(120);
		expect(paymentWrites()).toHaveLength(3);
		run.items.forEach((out, i) => {
			expect(out.pairedItem).toEqual({ item: i });
			expect(out.json).toMatchObject({
				result: 'created',
				commusoftPaymentId: items[i].id,
				xeroInvoiceId: invoices[i].id,
			});
			const [payment] = livePayments(invoices[i].id);
			expect(payment.PaymentID).toBe(out.json.xeroPaymentId);
			expect(payment.Amount).toBe(items[i].amount);
			expect(payment.Reference).toBe(`Commusoft payment ${String(items[i].id)} · Paid on site`);
			expect(payment.AccountID).toBe(i % 3 ? account['090'] : account['091']);
			// A part payment leaves the rest due; a full one pays the invoice.
			expect(invoice(invoices[i].id)).toMatchObject(
				i % 2 ? { Status: 'PAID', AmountDue: 0 } : { Status: 'AUTHORISED', AmountDue: 40 },
			);
		});
		// Every write asks Xero for per-element answers and carries a key derived from its content.
		for (const call of paymentWrites()) {
			expect(call.path).toContain('summarizeErrors=false');
			expect(call.requestErrors).toBeUndefined();
			expect(call.idempotencyKey).toMatch(/^n8n-cx-[0-9a-f]{64}$/);
		}
	});

	it('re-running the same payments (and re-running with new ones added) writes each Commusoft payment once', async () => {
		const invoices = await createXeroInvoices(xeroCall, contactId, numbered(30));
		const first = invoices.slice(0, 20).map((inv) => onSite(inv.number, 25));
		await record(first);
		xero.clearCalls();
		const again = await record(first);
		expect(again.items.map((i) => i.json.result)).toEqual(first.map(() => 'alreadyRecorded'));
		expect(paymentWrites()).toHaveLength(0);
		// A later run with different batch content (so another Idempotency-Key) still finds the earlier ones.
		const later = [...first, ...invoices.slice(20).map((inv) => onSite(inv.number, 25))].reverse();
		const third = await record(later);
		expect(third.items.filter((i) => i.json.result === 'created')).toHaveLength(10);
		expect(third.items.filter((i) => i.json.result === 'alreadyRecorded')).toHaveLength(20);
		for (const inv of invoices) expect(livePayments(inv.id)).toHaveLength(1);
		// The same payment twice in one run is one Xero payment.
		const [extra] = await createXeroInvoices(xeroCall, contactId, [
			{ number: `CS-P${runTag}-DUP` },
		]);
		const twice = onSite(extra.number, 10);
		const dup = await record([twice, twice]);
		expect(dup.items.map((i) => i.json.result)).toEqual(['created', 'skipped']);
		expect(livePayments(extra.id)).toHaveLength(1);
	});

	it('a run that died after Xero applied the batch (answer lost, no retry) is re-run: one Xero payment each', async () => {
		const invoices = await createXeroInvoices(xeroCall, contactId, numbered(8));
		const items = invoices.map((inv) => onSite(inv.number, 30));
		const proxy = await startAnswerDroppingProxy(xero.url);
		try {
			const origin = proxy.apiBaseUrl.replace(/\/api\/v1$/, '');
			const viaProxy = {
				...credentials,
				xeroAccountingOAuth2Api: xeroCredential(origin, {
					access_token: accessToken,
					token_type: 'Bearer',
					expires_in: 86_400,
					refresh_token: 'unused',
					scope: 'accounting.transactions',
				} as never),
			};
			proxy.dropNext.add('PUT /api.xro/2.0/Payments');
			const crashed = await record(
				items,
				{ requestOptions: { maxRetries: 0 } },
				{ credentials: viaProxy },
			);
			// The run could not tell whether anything was written: every item failed.
			expect(crashed.items.every((i) => typeof i.json.error === 'string')).toBe(true);
		} finally {
			await proxy.close();
		}
		// Xero applied it, and has forgotten the Idempotency-Key by the time the run is retried.
		for (const inv of invoices) expect(livePayments(inv.id)).toHaveLength(1);
		xero.advanceClock(7 * 60_000);
		xero.clearCalls();
		const retried = await record(items);
		expect(retried.items.map((i) => i.json.result)).toEqual(items.map(() => 'alreadyRecorded'));
		expect(paymentWrites()).toHaveLength(0);
		for (const inv of invoices) expect(livePayments(inv.id)).toHaveLength(1);
	});
});

describe('Payment → Create refuses what Xero would, with a reason and a fix, and carries on with the rest', () => {
	async function draftInvoice(number: string, status = 'DRAFT') {
		const body = await xeroCall('PUT', '/Invoices', {
			Invoices: [
				{
					Type: 'ACCREC',
					Contact: { ContactID: contactId },
					InvoiceNumber: number,
					Status: status,
					LineAmountTypes: 'NoTax',
					LineItems: [
						{
							Description: 'Service',
							Quantity: 1,
							UnitAmount: 100,
							AccountCode: '200',
							TaxType: 'NONE',
						},
					],
				},
			],
		});
		return String((body.Invoices as IDataObject[])[0].InvoiceID);
	}

	const cases: Array<{
		name: string;
		make: () => Promise<{ payment: IDataObject; invoiceId?: string }>;
		message: RegExp;
		fix: RegExp;
	}> = [
		{
			name: 'more than the amount due',
			make: async () => {
				const [inv] = await createXeroInvoices(xeroCall, contactId, numbered(1));
				await payXeroInvoices(xeroCall, [inv.id], 30);
				return { payment: onSite(inv.number, 80.5), invoiceId: inv.id };
			},
			message: /Payment of GBP 80\.50 is more than the GBP 70\.00 still due on invoice CS-P\d+-001/,
			fix: /refuses payments above the amount due/,
		},
		{
			name: 'an invoice already paid in full',
			make: async () => {
				const [inv] = await createXeroInvoices(xeroCall, contactId, numbered(1));
				await payXeroInvoices(xeroCall, [inv.id], 100);
				return { payment: onSite(inv.number, 10), invoiceId: inv.id };
			},
			message: /already fully paid in Xero \(GBP 100\.00 paid\)/,
			fix: /payment entered by hand/,
		},
		{
			name: 'a voided invoice',
			make: async () => {
				const [inv] = await createXeroInvoices(xeroCall, contactId, numbered(1));
				await xeroCall('POST', `/Invoices/${inv.id}`, {
					Invoices: [{ InvoiceID: inv.id, Status: 'VOIDED' }],
				});
				return { payment: onSite(inv.number, 10), invoiceId: inv.id };
			},
			message: /was voided in Xero/,
			fix: /which invoice replaced it/,
		},
		{
			name: 'a deleted invoice',
			make: async () => {
				const id = await draftInvoice(`CS-P${runTag}-DEL`);
				await xeroCall('POST', `/Invoices/${id}`, {
					Invoices: [{ InvoiceID: id, Status: 'DELETED' }],
				});
				return { payment: onSite(`CS-P${runTag}-DEL`, 10), invoiceId: id };
			},
			message: /(was deleted in Xero|is not in Xero)/,
			fix: /Invoice → Create or Update/,
		},
		{
			name: 'a draft invoice',
			make: async () => {
				const id = await draftInvoice(`CS-P${runTag}-DRAFT`);
				return { payment: onSite(`CS-P${runTag}-DRAFT`, 10), invoiceId: id };
			},
			message: /not approved in Xero \(status DRAFT\)/,
			fix: /Approve invoice CS-P\d+-DRAFT in Xero/,
		},
		{
			name: 'an invoice never sent to Xero',
			make: async () => ({ payment: onSite(`CS-P${runTag}-NOWHERE`, 10) }),
			message: /Invoice CS-P\d+-NOWHERE is not in Xero/,
			fix: /Send invoice CS-P\d+-NOWHERE to Xero first/,
		},
		{
			name: 'a payment method with no bank account',
			make: async () => {
				const [inv] = await createXeroInvoices(xeroCall, contactId, numbered(1));
				return { payment: onSite(inv.number, 10, { method: 'cash' }), invoiceId: inv.id };
			},
			message: /Payment method "cash" has no Xero bank account/,
			fix: /Add an entry for "cash" under "Payment Method → Bank Account"/,
		},
		{
			name: 'a method mapped to an account that cannot take payments',
			make: async () => {
				const [inv] = await createXeroInvoices(xeroCall, contactId, numbered(1));
				return { payment: onSite(inv.number, 10, { method: 'other' }), invoiceId: inv.id };
			},
			message: /account chosen for payment method "other" .* cannot take payments/,
			fix: /Enable payments to this account/,
		},
		{
			name: 'a payment in another currency',
			make: async () => {
				const [inv] = await createXeroInvoices(xeroCall, contactId, numbered(1));
				return { payment: onSite(inv.number, 10, { currency: 'EUR' }), invoiceId: inv.id };
			},
			message: /Payment is in EUR but invoice CS-P\d+-001 is in GBP/,
			fix: /Record the payment in GBP/,
		},
		{
			name: 'an amount of zero or with fractions of a penny',
			make: async () => {
				const [inv] = await createXeroInvoices(xeroCall, contactId, numbered(1));
				return { payment: onSite(inv.number, 10.005), invoiceId: inv.id };
			},
			message: /"amount"/,
			fix: /120\.50/,
		},
	];

	it.each(cases)('$name', async ({ make, message, fix }) => {
		const bad = await make();
		const [goodInvoice] = await createXeroInvoices(xeroCall, contactId, [
			{ number: `CS-P${runTag}-GOOD` },
		]);
		const good = onSite(goodInvoice.number, 50);
		const paymentsBefore = bad.invoiceId ? livePayments(bad.invoiceId).length : 0;
		xero.clearCalls();
		const run = await record([good, bad.payment], {
			methodAccounts: {
				mapping: [
					{ method: 'card', accountId: account['090'] },
					{ method: 'other', accountId: account['200'] },
				],
			},
		});
		expect(run.items[0].json.result).toBe('created');
		expect(run.items[1].pairedItem).toEqual({ item: 1 });
		expect(Object.keys(run.items[1].json).sort()).toEqual(['details', 'error']);
		expect(String(run.items[1].json.error)).toMatch(message);
		expect(String(run.items[1].json.error)).toContain(String(bad.payment.id ?? ''));
		expect(String((run.items[1].json.details as IDataObject).description)).toMatch(fix);
		if (bad.invoiceId) expect(livePayments(bad.invoiceId)).toHaveLength(paymentsBefore);
		expect(livePayments(goodInvoice.id)).toHaveLength(1);
	});

	it('two payments of one invoice in one run: the one that would overpay is refused naming both amounts', async () => {
		const [inv] = await createXeroInvoices(xeroCall, contactId, numbered(1));
		const run = await record([onSite(inv.number, 60), onSite(inv.number, 60)]);
		expect(run.items[0].json.result).toBe('created');
		expect(String(run.items[1].json.error)).toMatch(
			/GBP 60\.00 is more than the GBP 40\.00 still due .*after GBP 60\.00 of other payments in this run/,
		);
		expect(livePayments(inv.id)).toHaveLength(1);
	});

	it('without Continue On Fail a refusal fails the run naming the item, and nothing is sent to Xero', async () => {
		const [inv] = await createXeroInvoices(xeroCall, contactId, numbered(1));
		xero.clearCalls();
		const run = await record(
			[onSite(inv.number, 10), onSite(inv.number, 10, { method: 'cash' })],
			{},
			{ continueOnFail: false },
		);
		expect(run.error?.message).toMatch(/Item 1 .*Payment method "cash" has no Xero bank account/);
		expect(run.error?.description).toMatch(/Nothing was sent to Xero/);
		expect(paymentWrites()).toHaveLength(0);
		expect(livePayments(inv.id)).toHaveLength(0);
	});
});

describe('no loops: a payment crosses between Commusoft and Xero once, whatever order the flows run in', () => {
	const getMany = (): INodeParameters => ({
		resource: 'payment',
		operation: 'getMany',
		tenantId,
		modifiedSince: testStart,
		onlyCommusoftInvoices: true,
		commusoftRule: 'invoiceNumberPrefix',
		commusoftRuleValue: 'CS-',
		returnAll: true,
		options: {},
	});
	const triggerParams = (): INodeParameters => ({
		tenantId,
		onlyCommusoftInvoices: true,
		commusoftRule: 'invoiceNumberPrefix',
		commusoftRuleValue: 'CS-',
		options: { backfillFrom: testStart },
	});
	const commusoftInvoices = (count: number) =>
		commusoft.state.data.invoices
			.filter(
				(i) =>
					i.status === 'raised' &&
					invoiceTotals(commusoft.state.data, i).amountOutstanding >= 30 &&
					!xero.state(tenantId).invoices.some((x) => x.InvoiceNumber === i.invoiceNumber),
			)
			.slice(0, count);
	const readCommusoftPayments = async (invoiceUuid: string) =>
		(
			await runNode(
				'commusoft',
				{
					resource: 'payment',
					operation: 'getMany',
					returnAll: true,
					filters: { invoiceId: invoiceUuid },
				},
				[{ json: {} }],
				credentials,
			)
		).items.map((i) => i.json);
	const recordInCommusoft = async (records: XeroPaymentRecord[]) =>
		await runNode(
			'commusoft',
			{
				resource: 'payment',
				operation: 'create',
				invoiceId: '={{ $json.commusoftInvoiceId }}',
				amount: '={{ $json.amount }}',
				externalReference: '={{ $json.paymentId }}',
				date: '={{ $json.date }}',
				method: 'bank_transfer',
			},
			records.map((json) => ({ json: json as unknown as IDataObject })),
			credentials,
		);

	it('Commusoft → Xero: the payment written to Xero is never read back by the trigger or Get Many, before or after a crash', async () => {
		// A payment the office entered in Commusoft (no external reference), read as the Commusoft node emits it …
		const used = new Set(xero.state(tenantId).invoices.map((x) => x.InvoiceNumber));
		const seeded = commusoft.state.data.payments.find((p) => {
			const cs = commusoft.state.data.invoices.find((i) => i.uuid === p.invoiceUuid);
			return (
				!p.externalReference &&
				cs &&
				cs.invoiceNumber.startsWith('CS-') &&
				!used.has(cs.invoiceNumber)
			);
		})!;
		const cs = commusoft.state.data.invoices.find((i) => i.uuid === seeded.invoiceUuid)!;
		const source = (await readCommusoftPayments(cs.uuid)).find((p) => p.id === seeded.uuid)!;
		expect(source).toMatchObject({ invoiceNumber: cs.invoiceNumber, amount: seeded.amount });
		const [inv] = await createXeroInvoices(xeroCall, contactId, [
			{
				number: cs.invoiceNumber,
				url: `${commusoft.url}/app/invoices/${cs.uuid}`,
				total: Number(source.amount) + 50,
			},
		]);
		// … sent to Xero; then the Xero readers run, in either order, as if the sending run had crashed after it.
		const sent = await record([source]);
		expect(sent.items[0].json.result).toBe('created');
		const xeroPaymentId = String(sent.items[0].json.xeroPaymentId);
		const polled = await pollOnce('xeroPaymentTrigger', triggerParams(), { credentials });
		const listed = await runNode('xeroAccounting', getMany(), [{ json: {} }], credentials);
		expect(polled.items.map((i) => i.json.paymentId)).not.toContain(xeroPaymentId);
		expect(listed.items.map((i) => i.json.paymentId)).not.toContain(xeroPaymentId);
		// A payment entered by hand in Xero on the same invoice is still read: only our own writes are left out.
		const [byHand] = await payXeroInvoices(xeroCall, [inv.id], 5);
		const listedAgain = await runNode('xeroAccounting', getMany(), [{ json: {} }], credentials);
		expect(listedAgain.items.map((i) => i.json.paymentId)).toEqual([byHand]);
	});

	it('Xero → Commusoft: the payment recorded in Commusoft is never sent back to Xero, also when re-read after a crash', async () => {
		const [cs] = commusoftInvoices(1);
		const [inv] = await createXeroInvoices(xeroCall, contactId, [
			{ number: cs.invoiceNumber, url: `${commusoft.url}/app/invoices/${cs.uuid}` },
		]);
		const [xeroPaymentId] = await payXeroInvoices(xeroCall, [inv.id], 15);
		const polled = await pollOnce('xeroPaymentTrigger', triggerParams(), { credentials });
		const records = polled.items.map((i) => i.json as unknown as XeroPaymentRecord);
		expect(records.map((r) => r.paymentId)).toEqual([xeroPaymentId]);
		// Recorded in Commusoft; the flow "crashes" and the record is delivered again: still one payment.
		await recordInCommusoft(records);
		await recordInCommusoft(records);
		const inCommusoft = await readCommusoftPayments(cs.uuid);
		const fromXero = inCommusoft.filter((p) => p.externalReference === xeroPaymentId);
		expect(fromXero).toHaveLength(1);
		// The Commusoft → Xero flow then sees it (Commusoft Trigger / Get Many): skipped, nothing written.
		xero.clearCalls();
		const sent = await record(fromXero as IDataObject[]);
		expect(sent.items[0].json).toMatchObject({
			result: 'skipped',
			commusoftPaymentId: fromXero[0].id,
		});
		expect(String(sent.items[0].json.reason)).toMatch(/came from Xero/);
		expect(paymentWrites()).toHaveLength(0);
		expect(livePayments(inv.id).map((p) => p.PaymentID)).toEqual([xeroPaymentId]);
	});
});
