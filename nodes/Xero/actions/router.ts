import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { configureXeroTransport } from '../transport';
import { readTransportOptions } from './common.descriptions';
import { contactOperations } from './contact/Contact.resource';
import { creditNoteOperations } from './creditNote/CreditNote.resource';
import { invoiceOperations } from './invoice/Invoice.resource';
import { paymentOperations } from './payment/Payment.resource';
import { reportOperations } from './report/Report.resource';
import { trackingOperations } from './tracking/Tracking.resource';
import type { XeroResourceOperations } from './types';

// ── SLOTS: further resources plug in here and in ./description.ts ──────────────────────────────────────
// Payment (actions/payment/*) and Tracking (actions/tracking/*) are plugged in; a new resource adds its
// `<resource>Operations` below and its description and option in ./description.ts.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────
const resources: Record<string, XeroResourceOperations> = {
	invoice: invoiceOperations,
	creditNote: creditNoteOperations,
	contact: contactOperations,
	report: reportOperations,
	payment: paymentOperations,
	tracking: trackingOperations,
};

/**
 * Reads resource and operation once (item 0, like n8n's own versioned nodes), configures the transport for
 * this run from the node's Request Options, and hands every item to the operation.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not available for "${resource}" in this version of the node`,
		);
	}
	configureXeroTransport(this, readTransportOptions(this));
	return [await handler.execute.call(this, items)];
}
