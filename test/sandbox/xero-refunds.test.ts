/* eslint-disable @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Refunds of Commusoft credit notes through Xero Accounting → Payment → Create against the Xero sandbox, through
// n8n-core's real WorkflowExecute: each refund is a payment on the Xero credit note (ARCREDITPAYMENT, money out
// of the mapped bank account), written once however often re-run (also after a run that died with Xero's answer
// lost), refused as Xero would (credit note missing, draft, voided, refund above the credit left, unmapped
// method), and never read back into Commusoft.
import { randomUUID } from 'node:crypto';

import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox/xero/server';
import { startAnswerDroppingProxy } from '../helpers/answerDroppingProxy';
import { pollOnce, runNode } from '../helpers/n8nCore';
import {
	createXeroInvoices,
	startXeroFixture,
	xeroCredential,
	type XeroFixture,
} from '../helpers/xeroSandbox';

let xero: XeroSandbox;
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
	({ xero, tenantId, credentials, xeroCall, close, accessToken } = await startXeroFixture());
	const state = xero.state(tenantId);
	contactId = state.contacts[0].ContactID;
	for (const code of ['090', '091'])
		account[code] = state.accounts.find((a) => a.Code === code)!.AccountID;
});
afterAll(async () => await close());
// Every body the sandbox took or served (payments on credit notes, credit notes with their payments) keeps to
// Xero's OpenAPI spec.
afterEach(() => expect(xero.schemaErrors()).toEqual([]));
beforeEach(async () => {
	runTag++;
	await new Promise((resolve) => setTimeout(resolve, 5));
	testStart = new Date(xero.now()).toISOString();
	await new Promise((resolve) => setTimeout(resolve, 5));
	xero.clearCalls();
});

/** Authorised sales credit notes of `total` (no tax), numbered for this test; returns id by number. */
async function creditNotes(totals: number[], status = 'AUTHORISED', tag = status[0]) {
	const body = await xeroCall('PUT', '/CreditNotes', {
		CreditNotes: totals.map((total, i) => ({
			Type: 'ACCRECCREDIT',
			Contact: { ContactID: contactId },
			CreditNoteNumber: `CN-R${runTag}-${tag}${i + 1}`,
			Status: status,
			Date: '2026-11-20',
			LineAmountTypes: 'NoTax',
			LineItems: [
				{
					Description: 'Refund',
					Quantity: 1,
					UnitAmount: total,
					AccountCode: '200',
					TaxType: 'NONE',
				},
			],
		})),
	});
	return (body.CreditNotes as IDataObject[]).map((c) => ({
		id: String(c.CreditNoteID),
		number: String(c.CreditNoteNumber),
	}));
}

const refund = (
	creditNoteNumber: string,
	amount: number,
	extra: IDataObject = {},
): IDataObject => ({
	id: randomUUID(),
	creditNoteNumber,
	amount,
	date: '2026-11-28',
	method: 'card',
	...extra,
});

const params = (overrides: INodeParameters = {}): INodeParameters => ({
	resource: 'payment',
	operation: 'create',
	tenantId,
	methodAccounts: {
		mapping: [
			{ method: 'card', accountId: account['090'] },
			{ method: 'bank_transfer', accountId: account['091'] },
		],
	},
	...overrides,
});

async function record(
	items: IDataObject[],
	overrides: INodeParameters = {},
	options: { credentials?: typeof credentials } = {},
) {
	return await runNode(
		'xeroAccounting',
		params(overrides),
		items.map((json) => ({ json })),
		options.credentials ?? credentials,
		{ node: { onError: 'continueRegularOutput' } },
	);
}

const refundsOn = (creditNoteId: string) =>
	xero
		.state(tenantId)
		.payments.filter((p) => p.CreditNoteID === creditNoteId && p.Status === 'AUTHORISED');
const note = (id: string) => xero.state(tenantId).creditNotes.find((c) => c.CreditNoteID === id)!;
const paymentWrites = () => xero.calls().filter((c) => c.endpoint === 'PUT /Payments');

describe('refunds of Commusoft credit notes become payments on the Xero credit note', () => {
	it('a credit note with two refunds: both in one PUT, on the credit note, money out of the mapped account; re-running writes nothing', async () => {
		const [cn] = await creditNotes([120]);
		const item = {
			id: randomUUID(),
			creditNoteNumber: cn.number,
			currency: 'GBP',
			customer: { id: randomUUID() },
			refundPayments: [
				{ id: randomUUID(), amount: 70.05, date: '2026-11-27', method: 'card' },
				{ id: randomUUID(), amount: 49.95, date: '2026-11-28', method: 'bank_transfer' },
			],
		};
		const run = await record([item]);
		expect(run.items.map((i) => i.json.result)).toEqual(['created', 'created']);
		expect(run.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		expect(paymentWrites()).toHaveLength(1);
		const written = refundsOn(cn.id);
		expect(written.map((p) => [p.Amount, p.PaymentType, p.AccountID, p.Reference])).toEqual([
			[
				70.05,
				'ARCREDITPAYMENT',
				account['090'],
				`Commusoft refund ${item.refundPayments[0].id} · ${cn.number}`,
			],
			[
				49.95,
				'ARCREDITPAYMENT',
				account['091'],
				`Commusoft refund ${item.refundPayments[1].id} · ${cn.number}`,
			],
		]);
		// All the credit paid out: nothing left, the credit note is PAID.
		expect(note(cn.id)).toMatchObject({ RemainingCredit: 0, Status: 'PAID' });

		xero.clearCalls();
		const again = await record([item]);
		expect(again.items.map((i) => i.json.result)).toEqual(['alreadyRecorded', 'alreadyRecorded']);
		expect(again.items.map((i) => i.json.xeroPaymentId)).toEqual(written.map((p) => p.PaymentID));
		expect(paymentWrites()).toHaveLength(0);
		expect(refundsOn(cn.id)).toHaveLength(2);
	});

	it('refuses what Xero would, naming the amounts or the fix, and writes the rest', async () => {
		const [open, allocated] = await creditNotes([100, 100]);
		const [draft] = await creditNotes([50], 'DRAFT');
		const [voided] = await creditNotes([50], 'AUTHORISED', 'V');
		await xeroCall('POST', `/CreditNotes/${voided.id}`, {
			CreditNotes: [{ CreditNoteID: voided.id, Status: 'VOIDED' }],
		});
		// 70 of the second credit note goes to an invoice: 30 is left to refund.
		const [inv] = await createXeroInvoices(xeroCall, contactId, [{ number: `CS-R${runTag}-1` }]);
		await xeroCall('PUT', `/CreditNotes/${allocated.id}/Allocations`, {
			Allocations: [{ Amount: 70, Invoice: { InvoiceID: inv.id }, Date: '2026-11-21' }],
		});
		const run = await record([
			refund(open.number, 40),
			refund(allocated.number, 30.01),
			refund(draft.number, 10),
			refund(voided.number, 10),
			refund(`CN-R${runTag}-MISSING`, 10),
			refund(open.number, 10, { method: 'cash' }),
			refund(open.number, 60.01),
		]);
		const errors = run.items.map((i) => String(i.json.error ?? i.json.result));
		expect(errors[0]).toBe('created');
		expect(errors[1]).toMatch(/GBP 30\.01 is more than the GBP 30\.00 of credit left/);
		expect(errors[2]).toMatch(/not approved in Xero \(status DRAFT\)/);
		expect(errors[3]).toMatch(/was voided in Xero/);
		expect(errors[4]).toMatch(/is not in Xero/);
		expect(errors[5]).toMatch(/"cash" has no Xero bank account/);
		expect(errors[6]).toMatch(
			/GBP 60\.01 is more than the GBP 60\.00 of credit left.*after GBP 40\.00/,
		);
		expect(paymentWrites()).toHaveLength(1);
		expect(refundsOn(open.id).map((p) => p.Amount)).toEqual([40]);
		for (const refused of [allocated, draft, voided]) expect(refundsOn(refused.id)).toEqual([]);
		expect(note(allocated.id).RemainingCredit).toBe(30);
	});

	it("Xero itself refuses a refund on a draft credit note or above the credit left (the sandbox keeps Xero's rule)", async () => {
		const [cn] = await creditNotes([25]);
		const [draft] = await creditNotes([25], 'DRAFT');
		const pay = (CreditNoteID: string, Amount: number) =>
			xeroCall('PUT', '/Payments?summarizeErrors=false', {
				Payments: [
					{ CreditNote: { CreditNoteID }, Account: { Code: '090' }, Amount, Date: '2026-11-28' },
				],
			});
		const over = (await pay(cn.id, 25.01)).Payments as IDataObject[];
		expect(JSON.stringify(over[0].ValidationErrors)).toMatch(/exceeds the amount outstanding/);
		const onDraft = (await pay(draft.id, 5)).Payments as IDataObject[];
		expect(JSON.stringify(onDraft[0].ValidationErrors)).toMatch(/Authorised documents/);
		expect(refundsOn(cn.id)).toEqual([]);
		// A refund deleted in Xero gives the credit back.
		const [made] = (await pay(cn.id, 25)).Payments as IDataObject[];
		expect(note(cn.id).Status).toBe('PAID');
		await xeroCall('POST', `/Payments/${String(made.PaymentID)}`, { Status: 'DELETED' });
		expect(note(cn.id)).toMatchObject({ Status: 'AUTHORISED', RemainingCredit: 25 });
	});

	it('a run that died after Xero applied the refunds (answer lost) is re-run: one Xero payment each', async () => {
		const notes = await creditNotes([80, 80, 80]);
		const items = notes.map((cn) => refund(cn.number, 80));
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
			expect(crashed.items.every((i) => typeof i.json.error === 'string')).toBe(true);
		} finally {
			await proxy.close();
		}
		for (const cn of notes) expect(refundsOn(cn.id)).toHaveLength(1);
		// Past Xero's Idempotency-Key window: the re-run finds them by their Reference on the credit note.
		xero.advanceClock(7 * 60_000);
		xero.clearCalls();
		const retried = await record(items);
		expect(retried.items.map((i) => i.json.result)).toEqual(items.map(() => 'alreadyRecorded'));
		expect(paymentWrites()).toHaveLength(0);
		for (const cn of notes) expect(refundsOn(cn.id)).toHaveLength(1);
	});

	it('no loop: a refund written to Xero is never brought back by the Xero Payment Trigger or Payment → Get Many', async () => {
		const [cn] = await creditNotes([60]);
		const sent = await record([refund(cn.number, 60)]);
		const xeroPaymentId = String(sent.items[0].json.xeroPaymentId);
		expect(refundsOn(cn.id).map((p) => p.PaymentID)).toEqual([xeroPaymentId]);
		const polled = await pollOnce(
			'xeroPaymentTrigger',
			{ tenantId, onlyCommusoftInvoices: false, options: { backfillFrom: testStart } },
			{ credentials },
		);
		const listed = await runNode(
			'xeroAccounting',
			{
				resource: 'payment',
				operation: 'getMany',
				tenantId,
				modifiedSince: testStart,
				onlyCommusoftInvoices: false,
				returnAll: true,
				options: {},
			},
			[{ json: {} }],
			credentials,
		);
		expect(polled.items.map((i) => i.json.paymentId)).not.toContain(xeroPaymentId);
		expect(listed.items.map((i) => i.json.paymentId)).not.toContain(xeroPaymentId);
	});
});
