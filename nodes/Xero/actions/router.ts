import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { configureXeroTransport } from '../transport';
import { readTransportOptions } from './common.descriptions';
import { contactOperations } from './contact/Contact.resource';
import { invoiceOperations } from './invoice/Invoice.resource';
import { paymentOperations } from './payment/Payment.resource';
import { reportOperations } from './report/Report.resource';
import type { XeroResourceOperations } from './types';

// ── SLOTS: further resources plug in here and in ./description.ts ──────────────────────────────────────
// Payment (actions/payment/*, payment work): `import { paymentOperations } from './payment/Payment.resource';`
//   then `payment: paymentOperations` below.
// Tracking (later): `import { trackingOperations } from './tracking/Tracking.resource';` → `tracking: …`.
// ─────────────────────────────────────────────────────────────────────────────────────────────────────
const resources: Record<string, XeroResourceOperations> = {
	invoice: invoiceOperations,
	contact: contactOperations,
	report: reportOperations,
	payment: paymentOperations,
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
