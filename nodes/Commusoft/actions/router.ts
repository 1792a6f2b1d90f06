import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { routeOperation, type ResourceOperations } from '../../shared/router';
import { customerOperations } from './customer/Customer.resource';
import { invoiceOperations } from './invoice/Invoice.resource';
import { jobOperations } from './job/Job.resource';
import { paymentOperations } from './payment/Payment.resource';
import { creditNoteOperations } from './creditNote/CreditNote.resource';
import { supplierOperations } from './supplier/Supplier.resource';
import { supplierInvoiceOperations } from './supplierInvoice/SupplierInvoice.resource';

/** Every resource's operations; a new resource adds its table here and its description in the node file. */
const resources: Record<string, ResourceOperations> = {
	customer: customerOperations,
	invoice: invoiceOperations,
	payment: paymentOperations,
	job: jobOperations,
	supplier: supplierOperations,
	creditNote: creditNoteOperations,
	supplierInvoice: supplierInvoiceOperations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await routeOperation(this, resources);
}
