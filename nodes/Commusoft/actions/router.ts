import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { customerOperations } from './customer/Customer.resource';
import { invoiceOperations } from './invoice/Invoice.resource';
import { jobOperations } from './job/Job.resource';
import { paymentOperations } from './payment/Payment.resource';
import { creditNoteOperations } from './creditNote/CreditNote.resource';
import { supplierOperations } from './supplier/Supplier.resource';
import { supplierInvoiceOperations } from './supplierInvoice/SupplierInvoice.resource';

type Operation = { execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> };

const resources: Record<string, Record<string, Operation>> = {
	customer: customerOperations,
	invoice: invoiceOperations,
	payment: paymentOperations,
	job: jobOperations,
	supplier: supplierOperations,
	creditNote: creditNoteOperations,
	supplierInvoice: supplierInvoiceOperations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for resource "${resource}"`,
		);
	}
	return [await handler.execute.call(this)];
}
