import type { INodeProperties } from 'n8n-workflow';

export const commusoftTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'Commusoft publishes no webhooks, so this trigger polls. Each item is the full record plus "event", "changedFields" and "previousVersionKnown". Invoice, payment, credit note and supplier invoice lists are assumed endpoints (see docs/commusoft-api-contract.md).',
		name: 'pollingNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['invoiceRaised'],
		description: 'The changes that start the workflow; each record version is emitted once',
		options: [
			{
				name: 'Credit Note Raised',
				value: 'creditNoteRaised',
				description: 'A credit note was raised (new, or a draft that became raised)',
			},
			{
				name: 'Credit Note Updated',
				value: 'creditNoteUpdated',
				description: 'Any other credit note change: an edit, a refund, a cancellation, a new draft',
			},
			{
				name: 'Customer Created',
				value: 'customerCreated',
				description: 'A customer account was added in Commusoft',
			},
			{
				name: 'Customer Updated',
				value: 'customerUpdated',
				description:
					'A customer changed; the output lists which of name, title, email, property address and account changed',
			},
			{
				name: 'Invoice Raised',
				value: 'invoiceRaised',
				description: 'An invoice was raised (new, or a draft that became raised)',
			},
			{
				name: 'Invoice Updated',
				value: 'invoiceUpdated',
				description: 'Any other invoice change: an edit, a cancellation, a new draft',
			},
			{
				name: 'Payment Recorded',
				value: 'paymentRecorded',
				description: 'A payment was recorded against an invoice (emitted once per payment)',
			},
			{
				name: 'Supplier Created',
				value: 'supplierCreated',
				description: 'A supplier was added in Commusoft',
			},
			{
				name: 'Supplier Invoice Created',
				value: 'supplierInvoiceCreated',
				description: 'A supplier invoice was entered (new, or a draft that became raised)',
			},
			{
				name: 'Supplier Invoice Updated',
				value: 'supplierInvoiceUpdated',
				description: 'Any other supplier invoice change: an edit, a cancellation, a new draft',
			},
			{
				name: 'Supplier Updated',
				value: 'supplierUpdated',
				description:
					'A supplier changed; the output lists which of name, contact, email, phones, address and account changed',
			},
		],
	},
	{
		displayName: 'Backfill From',
		name: 'backfillFrom',
		type: 'dateTime',
		default: '',
		description:
			'Leave empty to report only changes made after the workflow is activated. Set a date to also report every change since then on the first activation. Changes before it are never reported, and it is the point to resume from when the saved position is damaged.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Ignore Changes to Untracked Fields',
				name: 'ignoreUntrackedChanges',
				type: 'boolean',
				default: false,
				description:
					'Whether to skip "updated" events in which none of the tracked fields changed (for customers: name, title, email, property address, account)',
			},
			{
				displayName: 'Max Records per Poll',
				name: 'maxRecordsPerPoll',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000,
				description:
					'Upper bound on records read in one poll; a larger backlog continues on the next poll',
			},
			{
				displayName: 'Overlap (Seconds)',
				name: 'overlapSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 120,
				description:
					'How far before the last change seen each poll reads again, to catch records saved late or stamped by a clock that runs behind. Repeats are dropped.',
			},
			{
				displayName: 'Test Run Limit',
				name: 'testRunLimit',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: 'How many recent records "Fetch Test Event" returns',
			},
		],
	},
];
