import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation } from '../../shared/router';
import { configureXeroTransport } from '../transport';
import { readTransportOptions } from './common.descriptions';
import { contactOperations } from './contact/Contact.resource';
import { creditNoteOperations } from './creditNote/CreditNote.resource';
import { invoiceOperations } from './invoice/Invoice.resource';
import { paymentOperations } from './payment/Payment.resource';
import { reportOperations } from './report/Report.resource';
import { trackingOperations } from './tracking/Tracking.resource';
import type { XeroResourceOperations } from './types';

/** Every resource's operations; a new resource adds its table here and its description in ./description.ts. */
const resources: Record<string, XeroResourceOperations> = {
	invoice: invoiceOperations,
	creditNote: creditNoteOperations,
	contact: contactOperations,
	report: reportOperations,
	payment: paymentOperations,
	tracking: trackingOperations,
};

/** The shared router, after configuring the transport for this run from the node's Request Options. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, resources, (ctx) =>
		configureXeroTransport(ctx, readTransportOptions(ctx)),
	);
}
