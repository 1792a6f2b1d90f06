// The pair Xero Payment Trigger → Commusoft Payment → Create in one workflow, through n8n-core's real
// PollContext and WorkflowExecute. n8n saves the trigger's position when it fires, before the workflow runs
// (n8n's poll trigger contract), so a failed run is not polled again: it is retried with the same items, and the
// Commusoft write, keyed by the Xero PaymentID, must make every payment land exactly once.
import type {
	ICredentialDataDecryptedObject,
	INodeExecutionData,
	INodeParameters,
} from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { invoiceTotals, type CsInvoice } from '../../sandbox/commusoft/state';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import type { XeroSandbox } from '../../sandbox/xero/server';
import { pollOnce, runWorkflow, type TestWorkflow } from '../helpers/n8nCore';
import { startXeroAndCommusoftFixture, type XeroFixture } from '../helpers/xeroSandbox';

const TRIGGER = 'Xero Payment Trigger';
const WRITE = 'Commusoft';

let xero: XeroSandbox;
let commusoft: RunningCommusoftSandbox;
let tenantId: string;
let credentials: Record<string, ICredentialDataDecryptedObject>;
let xeroCall: XeroFixture['xeroCall'];
let close: () => Promise<void>;

beforeAll(async () => {
	({ xero, commusoft, tenantId, credentials, xeroCall, close } =
		await startXeroAndCommusoftFixture());
});
afterAll(async () => await close());

/**
 * Mirrors Commusoft invoices into Xero the way Invoice → Upsert does (same number, a link back to
 * Commusoft) and pays each in Xero. Returns the Xero PaymentIDs with the Commusoft invoice they settle.
 */
async function payCommusoftInvoicesInXero(invoices: CsInvoice[], amounts: number[]) {
	const contactId = xero.state(tenantId).contacts[0].ContactID;
	const created = await xeroCall('PUT', '/Invoices', {
		Invoices: invoices.map((invoice) => ({
			Type: 'ACCREC',
			Contact: { ContactID: contactId },
			InvoiceNumber: invoice.invoiceNumber,
			Status: 'AUTHORISED',
			LineAmountTypes: 'NoTax',
			Url: `${commusoft.url}/app/invoices/${invoice.uuid}`,
			LineItems: [
				{ Description: 'Works', Quantity: 1, UnitAmount: 500, AccountCode: '200', TaxType: 'NONE' },
			],
		})),
	});
	const xeroInvoices = created.Invoices as Array<{ InvoiceID: string }>;
	const paid = await xeroCall('PUT', '/Payments', {
		Payments: xeroInvoices.map((invoice, i) => ({
			Invoice: { InvoiceID: invoice.InvoiceID },
			Account: { Code: '090' },
			Amount: amounts[i],
			Date: '2026-11-25',
			Reference: `Remittance ${i + 1}`,
		})),
	});
	return (paid.Payments as Array<{ PaymentID: string }>).map((payment, i) => ({
		paymentId: payment.PaymentID,
		invoice: invoices[i],
		amount: amounts[i],
	}));
}

const triggerParameters: INodeParameters = {
	tenantId: '',
	onlyCommusoftInvoices: true,
	commusoftRule: 'invoiceNumberPrefix',
	commusoftRuleValue: 'CS-',
	options: { backfillFrom: new Date(Date.now() - 10 * 60_000).toISOString() },
};

function workflow(items: INodeExecutionData[]): TestWorkflow {
	return {
		nodes: [
			{ name: TRIGGER, type: 'xeroPaymentTrigger', parameters: { ...triggerParameters, tenantId } },
			{
				name: WRITE,
				type: 'commusoft',
				parameters: {
					resource: 'payment',
					operation: 'create',
					invoiceId: '={{ $json.commusoftInvoiceId }}',
					amount: '={{ $json.amount }}',
					externalReference: '={{ $json.paymentId }}',
					date: '={{ $json.date }}',
					method: 'bank_transfer',
					reference: '={{ $json.reference }}',
				},
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: WRITE, type: 'main', index: 0 }]] } },
		// What n8n hands the workflow when the trigger fires (and again when a failed execution is retried).
		pinData: { [TRIGGER]: items },
	};
}

const recordedFor = (paymentId: string) =>
	commusoft.state.data.payments.filter((payment) => payment.externalReference === paymentId);

describe('Xero Payment Trigger → Commusoft Payment → Create, exactly once', () => {
	it('records each payment once across a failed run, its retry, a re-poll and a restart that lost the position', async () => {
		const candidates = commusoft.state.data.invoices.filter(
			(invoice) =>
				invoice.status === 'raised' &&
				invoice.invoiceNumber.startsWith('CS-') &&
				invoiceTotals(commusoft.state.data, invoice).amountOutstanding >= 50,
		);
		expect(candidates.length).toBeGreaterThanOrEqual(3);
		const chosen = candidates.slice(0, 3);
		const expected = await payCommusoftInvoicesInXero(chosen, [10, 12.5, 20]);

		// 1. The trigger fires: n8n stores its position before the workflow runs.
		const beforeFiring = {};
		const fired = await pollOnce(
			'xeroPaymentTrigger',
			{ ...triggerParameters, tenantId },
			{
				credentials,
				staticData: beforeFiring,
				nodeName: TRIGGER,
			},
		);
		expect(fired.items.map((item) => item.json.paymentId).sort()).toEqual(
			expected.map((e) => e.paymentId).sort(),
		);
		expect(fired.items.every((item) => typeof item.json.commusoftInvoiceId === 'string')).toBe(
			true,
		);
		const saved = fired.staticData;

		// 2. The run fails part-way: the first two payments are written, the third invoice is not open
		//    in Commusoft at that moment (422), so the execution ends in error.
		const third = commusoft.state.data.invoices.find((invoice) => invoice.uuid === chosen[2].uuid)!;
		const order = fired.items.map((item) => item.json.paymentId);
		const blockedIndex = order.indexOf(expected[2].paymentId);
		expect(blockedIndex).toBe(2); // oldest change first: the blocked payment comes after two good ones
		third.status = 'draft';
		const failed = await runWorkflow(workflow(fired.items), {
			credentials,
			staticData: saved,
			mode: 'trigger',
		});
		expect(failed.error).toBeDefined();
		third.status = 'raised';
		const writtenBeforeFailure = expected.filter((e) => recordedFor(e.paymentId).length === 1);
		expect(writtenBeforeFailure.length).toBe(blockedIndex);

		// 3. Commusoft is down for the first retry: nothing more is written, nothing is duplicated.
		commusoft.state.setFaults({
			serverErrors: 1000,
			serverErrorStatus: 503,
			pathPrefix: '/payments',
		});
		const down = await runWorkflow(workflow(fired.items), {
			credentials,
			staticData: saved,
			mode: 'trigger',
		});
		commusoft.state.clearFaults();
		expect(down.error).toBeDefined();
		expect(expected.map((e) => recordedFor(e.paymentId).length)).toEqual(
			expected.map((e) => (writtenBeforeFailure.includes(e) ? 1 : 0)),
		);

		// 4. The retry with Commusoft back completes: the missing payment is written, the others are found.
		const retried = await runWorkflow(workflow(fired.items), {
			credentials,
			staticData: saved,
			mode: 'trigger',
		});
		expect(retried.error).toBeUndefined();
		const results = retried.outputOf(WRITE).map((item) => item.json.result);
		expect(results.filter((r) => r === 'alreadyRecorded')).toHaveLength(
			writtenBeforeFailure.length,
		);
		expect(results.filter((r) => r === 'created')).toHaveLength(3 - writtenBeforeFailure.length);

		// 5. The next poll (same position, e.g. after a restart that kept it) emits nothing again.
		const next = await pollOnce(
			'xeroPaymentTrigger',
			{ ...triggerParameters, tenantId },
			{
				credentials,
				staticData: saved,
				nodeName: TRIGGER,
			},
		);
		expect(next.outputs).toBeNull();

		// 6. A restart that lost the position (crash before the save) polls from the old state: the same
		//    payments fire again, and the write recognises every one of them.
		const replayed = await pollOnce(
			'xeroPaymentTrigger',
			{ ...triggerParameters, tenantId },
			{
				credentials,
				staticData: beforeFiring,
				nodeName: TRIGGER,
			},
		);
		expect(replayed.items).toHaveLength(3);
		const rerun = await runWorkflow(workflow(replayed.items), {
			credentials,
			staticData: replayed.staticData,
			mode: 'trigger',
		});
		expect(rerun.error).toBeUndefined();
		expect(rerun.outputOf(WRITE).map((item) => item.json.result)).toEqual([
			'alreadyRecorded',
			'alreadyRecorded',
			'alreadyRecorded',
		]);

		for (const { paymentId, invoice, amount } of expected) {
			const recorded = recordedFor(paymentId);
			expect(recorded).toHaveLength(1);
			expect(recorded[0]).toMatchObject({ invoiceUuid: invoice.uuid, amount });
		}
	});
});
