/* eslint-disable @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Xero payments → Commusoft in a real n8n 2.40.5 (the Xero Webhook Trigger has xero-webhook-trigger.test.ts).
// The published Xero Payment Trigger polls the Xero sandbox and Commusoft → Payment → Create records each payment, keyed by the Xero PaymentID. Commusoft faults make one
// execution fail after the trigger fired (n8n has saved the trigger's position by then), n8n is restarted, and
// the failed execution is retried: every payment must end up in Commusoft exactly once.
import { describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox';
import { invoiceTotals } from '../../sandbox/commusoft/state';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import {
	setupE2e,
	waitFor,
	type RunningSandbox,
	payInXero,
	paymentsToCommusoftWorkflow,
} from './harness';

function parts(sandbox: RunningSandbox) {
	return {
		xero: sandbox.xero as XeroSandbox,
		commusoft: sandbox.commusoft as RunningCommusoftSandbox,
	};
}

describe('Xero payments in real n8n', () => {
	const e2e = setupE2e();

	it('across a failed execution, an n8n restart and the retry of the failed execution', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const { xero, commusoft } = parts(sandbox);
			const open = commusoft.state.data.invoices.filter(
				(invoice) =>
					invoice.status === 'raised' &&
					invoice.invoiceNumber.startsWith('CS-') &&
					invoiceTotals(commusoft.state.data, invoice).amountOutstanding >= 60,
			);
			expect(open.length).toBeGreaterThanOrEqual(3);
			const recordedFor = (paymentId: string) =>
				commusoft.state.data.payments.filter((payment) => payment.externalReference === paymentId);

			// Paid before the workflow is published: the backfill picks them up on activation.
			const early = [
				await payInXero(sandbox, open[0], 10),
				await payInXero(sandbox, open[1], 12.5),
			];
			const id = await n8n.importWorkflow(
				paymentsToCommusoftWorkflow('e2e: Xero payments → Commusoft', {
					tenantId: xero.defaultTenantId,
				}),
			);
			await n8n.publishWorkflow(id);
			const [first] = await n8n.waitForExecutions(id, 1, 120_000);
			expect(first.status).toBe('success');
			expect(early.map((paymentId) => recordedFor(paymentId).length)).toEqual([1, 1]);

			// Commusoft fails while the next poll fires: that execution errors after the position was saved.
			commusoft.state.setFaults({
				serverErrors: 100_000,
				serverErrorStatus: 503,
				pathPrefix: '/payments',
			});
			const duringFault = await payInXero(sandbox, open[2], 20);
			const afterFault = await n8n.waitForExecutions(id, 2, 150_000);
			const failed = afterFault.find((execution) => execution.id !== first.id)!;
			expect(failed.status).toBe('error');
			expect(recordedFor(duringFault)).toHaveLength(0);
			commusoft.state.clearFaults();

			const restarted = await n8n.restartMain();
			// The failed execution is retried (Executions → Retry, with the data the trigger handed it).
			await n8n.rest('POST', `/executions/${failed.id}/retry`, { loadWorkflow: false });
			await waitFor(
				'the retried execution to write the payment',
				async () => recordedFor(duringFault).length > 0,
				{
					timeoutMs: 120_000,
					process: restarted,
					intervalMs: 500,
				},
			);
			expect(recordedFor(duringFault)).toHaveLength(1);

			// A payment after the restart arrives through the next poll of the re-activated workflow.
			const afterRestart = await payInXero(sandbox, open[0], 5);
			await waitFor(
				'the payment made after the restart in Commusoft',
				async () => recordedFor(afterRestart).length > 0,
				{
					timeoutMs: 150_000,
					process: restarted,
					intervalMs: 1000,
				},
			);
			// One more poll cycle: nothing is written twice.
			await new Promise((resolve) => setTimeout(resolve, 65_000));
			for (const paymentId of [...early, duringFault, afterRestart]) {
				expect(recordedFor(paymentId), paymentId).toHaveLength(1);
			}
			const amounts = [...early, duringFault, afterRestart].map(
				(paymentId) => recordedFor(paymentId)[0].amount,
			);
			expect(amounts).toEqual([10, 12.5, 20, 5]);
		}));
});
