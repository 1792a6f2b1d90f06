import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as customer from './actions/customer/Customer.resource';
import * as invoice from './actions/invoice/Invoice.resource';
import * as job from './actions/job/Job.resource';
import * as payment from './actions/payment/Payment.resource';
import * as creditNote from './actions/creditNote/CreditNote.resource';
import * as supplier from './actions/supplier/Supplier.resource';
import * as supplierInvoice from './actions/supplierInvoice/SupplierInvoice.resource';
import { router } from './actions/router';

export class Commusoft implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Commusoft',
		name: 'commusoft',
		icon: { light: 'file:commusoft.svg', dark: 'file:commusoft.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Read and write Commusoft customers, invoices, payments and jobs; read suppliers, credit notes and supplier invoices (endpoints other than customers and suppliers are assumed; see the package docs)',
		defaults: { name: 'Commusoft' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'commusoftApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Credit Note', value: 'creditNote' },
					{ name: 'Customer', value: 'customer' },
					{ name: 'Invoice', value: 'invoice' },
					{ name: 'Job', value: 'job' },
					{ name: 'Payment', value: 'payment' },
					{ name: 'Supplier', value: 'supplier' },
					{ name: 'Supplier Invoice', value: 'supplierInvoice' },
				],
				default: 'invoice',
			},
			...customer.description,
			...invoice.description,
			...job.description,
			...payment.description,
			...creditNote.description,
			...supplier.description,
			...supplierInvoice.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
