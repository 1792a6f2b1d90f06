// Xero → Commusoft payments, as the e2e cases and the chaos bench set them up: the workflow of template 2's
// main branch (published Xero Payment Trigger → Commusoft → Payment → Create keyed by the Xero PaymentID), and a
// payment entered in Xero on the Xero copy of a Commusoft invoice.
import type { RunningCommusoftSandbox } from '../../../sandbox/commusoft/server';
import type { XeroSandbox } from '../../../sandbox/xero/server';
import { useCommusoft, useXero } from './fixtures';
import type { WorkflowJson } from './n8n';
import { nodeType } from './n8n';
import type { RunningSandbox } from './sandbox';

export const PAYMENT_TRIGGER = 'Xero Payment Trigger';
export const PAYMENT_WRITE = 'Commusoft';

export interface PaymentWorkflowOptions {
	tenantId: string;
	/** first activation emits payments changed since then (default: 10 minutes ago) */
	backfillFrom?: string;
	xeroCredential?: typeof useXero;
	commusoftCredential?: typeof useCommusoft;
}

/** Xero Payment Trigger (every minute, Commusoft invoices by the CS- prefix) → Commusoft → Payment → Create. */
export function paymentsToCommusoftWorkflow(
	name: string,
	options: PaymentWorkflowOptions,
): WorkflowJson {
	return {
		name,
		nodes: [
			{
				id: 'trigger',
				name: PAYMENT_TRIGGER,
				type: nodeType('xeroPaymentTrigger'),
				typeVersion: 1,
				position: [0, 0],
				credentials: options.xeroCredential ?? useXero,
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					tenantId: options.tenantId,
					onlyCommusoftInvoices: true,
					commusoftRule: 'invoiceNumberPrefix',
					commusoftRuleValue: 'CS-',
					options: {
						backfillFrom: options.backfillFrom ?? new Date(Date.now() - 10 * 60_000).toISOString(),
					},
				},
			},
			{
				id: 'write',
				name: PAYMENT_WRITE,
				type: nodeType('commusoft'),
				typeVersion: 1,
				position: [240, 0],
				credentials: options.commusoftCredential ?? useCommusoft,
				parameters: {
					resource: 'payment',
					operation: 'create',
					invoiceId: '={{ $json.commusoftInvoiceId }}',
					amount: '={{ $json.amount }}',
					externalReference: '={{ $json.paymentId }}',
					date: '={{ $json.date }}',
					method: 'bank_transfer',
				},
			},
		],
		connections: {
			[PAYMENT_TRIGGER]: { main: [[{ node: PAYMENT_WRITE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Pays a Commusoft invoice in Xero: creates its Xero copy on first use (same number, a link back to the
 * Commusoft invoice, total 500), then records the payment. Returns the Xero PaymentID.
 */
export async function payInXero(
	sandbox: RunningSandbox,
	invoice: { invoiceNumber: string; uuid: string },
	amount: number,
): Promise<string> {
	const xero = sandbox.xero as XeroSandbox;
	const commusoft = sandbox.commusoft as RunningCommusoftSandbox;
	const put = async (apiPath: string, body: unknown) => {
		const response = await fetch(`${sandbox.xeroUrl}/api.xro/2.0${apiPath}`, {
			method: 'PUT',
			headers: {
				authorization: `Bearer ${xero.issueToken({ lifetimeSec: 600 }).access_token}`,
				'xero-tenant-id': xero.defaultTenantId,
				accept: 'application/json',
				'content-type': 'application/json',
			},
			body: JSON.stringify(body),
		});
		const json = (await response.json()) as Record<string, unknown>;
		if (!response.ok)
			throw new Error(`PUT ${apiPath} → ${response.status}: ${JSON.stringify(json)}`);
		return json;
	};
	let invoiceId = xero
		.state()
		.invoices.find((candidate) => candidate.InvoiceNumber === invoice.invoiceNumber)?.InvoiceID;
	if (!invoiceId) {
		const created = await put('/Invoices', {
			Invoices: [
				{
					Type: 'ACCREC',
					Contact: { ContactID: xero.state().contacts[0].ContactID },
					InvoiceNumber: invoice.invoiceNumber,
					Status: 'AUTHORISED',
					LineAmountTypes: 'NoTax',
					Url: `${commusoft.url}/app/invoices/${invoice.uuid}`,
					LineItems: [
						{
							Description: 'Works',
							Quantity: 1,
							UnitAmount: 500,
							AccountCode: '200',
							TaxType: 'NONE',
						},
					],
				},
			],
		});
		invoiceId = (created.Invoices as Array<{ InvoiceID: string }>)[0].InvoiceID;
	}
	const paid = await put('/Payments', {
		Payments: [
			{
				Invoice: { InvoiceID: invoiceId },
				Account: { Code: '090' },
				Amount: amount,
				Date: '2026-11-25',
			},
		],
	});
	return (paid.Payments as Array<{ PaymentID: string }>)[0].PaymentID;
}
