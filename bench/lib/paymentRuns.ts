// Commusoft payments → Xero for `npm run bench` (bench/README.md "Payments to Xero"): 300 on-site payments
// recorded in one execution of Xero Accounting → Payment → Create in real n8n, counting the Xero write calls
// (target ≤ 10: Xero takes up to 50 payments per PUT /Payments), then the same execution again (a retry of a run
// that looked lost), which must write nothing.
import type { XeroSandbox } from '../../sandbox/xero/server';
import type { N8nInstance } from '../../test/e2e/harness/core';
import { api, codeNode, OURS_CREDENTIAL, startNode } from '../workload';

export interface PaymentRunResult {
	payments: number;
	/** PUT/POST /Payments calls of the first execution */
	writes: number;
	calls: number;
	byEndpoint: Record<string, number>;
	status: string;
	/** Xero payments per Commusoft payment after both executions: [min, max] */
	perPayment: [number, number];
	/** PUT/POST /Payments calls of the second execution of the same input */
	rerunWrites: number;
	rerunStatus: string;
}

const isWrite = (endpoint: string) => endpoint === 'PUT /Payments' || endpoint === 'POST /Payments';

export async function paymentRun(
	n8n: N8nInstance,
	xero: XeroSandbox,
	opts: { tenantId: string; payments: number; scale: number },
): Promise<PaymentRunResult> {
	const { tenantId } = opts;
	const token = xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 3600 }).access_token;
	const contact = (await api(xero, token, tenantId, 'PUT', '/Contacts', {
		Contacts: [{ Name: 'Bench Payments Customer' }],
	})) as { Contacts: Array<{ ContactID: string }> };
	const numbers = Array.from(
		{ length: opts.payments },
		(_, i) => `CS-PAY-${String(i + 1).padStart(5, '0')}`,
	);
	for (let i = 0; i < numbers.length; i += 50)
		await api(xero, token, tenantId, 'PUT', '/Invoices', {
			Invoices: numbers.slice(i, i + 50).map((InvoiceNumber) => ({
				Type: 'ACCREC',
				Contact: { ContactID: contact.Contacts[0].ContactID },
				InvoiceNumber,
				Status: 'AUTHORISED',
				Date: '2026-11-20',
				DueDate: '2026-12-20',
				LineAmountTypes: 'NoTax',
				LineItems: [
					{ Description: 'Boiler service', Quantity: 1, UnitAmount: 120, AccountCode: '200' },
				],
			})),
		});
	const bank = xero.state(tenantId).accounts.find((a) => a.Type === 'BANK')!.AccountID;
	// Engineers' on-site payments: card, cash and cheque, some part payments.
	const methods = ['card', 'cash', 'cheque'];
	const items = numbers.map((invoiceNumber, i) => ({
		id: `bench-payment-${i + 1}`,
		invoiceId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
		invoiceNumber,
		amount: i % 4 === 0 ? 60 : 120,
		currency: 'GBP',
		date: '2026-11-28',
		method: methods[i % 3],
		reference: 'Taken on site',
	}));
	const workflow = {
		name: 'bench: Commusoft payments → Xero',
		nodes: [
			startNode('manual'),
			codeNode('Commusoft payments', items, 240),
			{
				id: 'payments',
				name: 'Record in Xero',
				type: 'n8n-nodes-commusoft-xero.xeroAccounting',
				typeVersion: 1,
				position: [480, 0],
				onError: 'continueErrorOutput',
				credentials: { xeroAccountingOAuth2Api: OURS_CREDENTIAL },
				parameters: {
					resource: 'payment',
					operation: 'create',
					tenantId,
					methodAccounts: { mapping: methods.map((method) => ({ method, accountId: bank })) },
					requestOptions: { rateWindowMs: Math.round(60_000 / opts.scale) },
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Commusoft payments', type: 'main', index: 0 }]] },
			'Commusoft payments': { main: [[{ node: 'Record in Xero', type: 'main', index: 0 }]] },
		},
	};
	const id = await n8n.importWorkflow(workflow as Parameters<N8nInstance['importWorkflow']>[0]);
	const tenantCalls = (from: number) =>
		xero
			.calls()
			.slice(from)
			.filter((c) => c.tenantId === tenantId);
	let mark = xero.calls().length;
	const run = await n8n.executeWorkflow(id, { timeoutMs: 6 * 60_000, allowFailure: true });
	const calls = tenantCalls(mark);
	mark = xero.calls().length;
	const rerun = await n8n.executeWorkflow(id, { timeoutMs: 6 * 60_000, allowFailure: true });
	const rerunCalls = tenantCalls(mark);
	const byEndpoint: Record<string, number> = {};
	for (const c of calls) {
		const key = `${c.endpoint} → ${c.status}`;
		byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
	}
	const counts = numbers.map((number) => {
		const invoice = xero.state(tenantId).invoices.find((i) => i.InvoiceNumber === number)!;
		return xero
			.state(tenantId)
			.payments.filter((p) => p.InvoiceID === invoice.InvoiceID && p.Status === 'AUTHORISED')
			.length;
	});
	return {
		payments: opts.payments,
		writes: calls.filter((c) => isWrite(c.endpoint)).length,
		calls: calls.length,
		byEndpoint,
		status: run?.status ?? 'no result',
		perPayment: [Math.min(...counts), Math.max(...counts)],
		rerunWrites: rerunCalls.filter((c) => isWrite(c.endpoint)).length,
		rerunStatus: rerun?.status ?? 'no result',
	};
}
