import type { INodeProperties } from 'n8n-workflow';

import { requestOptionsProperty, tenantProperty } from './common.descriptions';
import { contactDescription } from './contact/Contact.resource';
import { creditNoteDescription } from './creditNote/CreditNote.resource';
import { invoiceDescription } from './invoice/Invoice.resource';
import { paymentDescription } from './payment/Payment.resource';
import { reportDescription } from './report/Report.resource';
import { trackingDescription } from './tracking/Tracking.resource';

// A new resource adds its option below, spreads its description, and adds its table to ./router.ts.
const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Contact', value: 'contact' },
		{ name: 'Credit Note', value: 'creditNote' },
		{ name: 'Invoice', value: 'invoice' },
		{ name: 'Payment', value: 'payment' },
		{ name: 'Report', value: 'report' },
		{ name: 'Tracking', value: 'tracking' },
	],
	default: 'invoice',
};

export const xeroAccountingProperties: INodeProperties[] = [
	resourceProperty,
	...invoiceDescription,
	...creditNoteDescription,
	...contactDescription,
	...reportDescription,
	...paymentDescription,
	...trackingDescription,
	tenantProperty,
	requestOptionsProperty,
];
