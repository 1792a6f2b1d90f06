import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { supersededReason, type SentOutcome } from '../../../shared/supersededReason';
import {
	lookupKeys,
	planContactSync,
	readSyncInput,
	SYNC_FIELDS,
	type SyncField,
	type SyncPlanEntry,
	type SyncSettings,
} from '../../mapping/contactSync';
import type { XeroBatchResult } from '../../transport';
import { forEachBatch, resolveTenantId } from '../shared';
import { readContacts, writeContacts } from './syncCalls';

const properties: INodeProperties[] = [
	{
		displayName: 'Fields to Sync',
		name: 'syncFields',
		type: 'multiOptions',
		options: [
			{
				name: 'Contact Persons',
				value: 'contactPersons',
				description:
					"The item's contactPersons list; Xero replaces the whole list, so the complete list is sent or nothing",
			},
			{ name: 'Email', value: 'email', description: 'EmailAddress' },
			{
				name: 'Name',
				value: 'name',
				description: 'Contact name (company name, or first and last name) and FirstName/LastName',
			},
			{
				name: 'Phones',
				value: 'phones',
				description: 'Telephone → DEFAULT, mobile → MOBILE (other phone types are kept)',
			},
			{
				name: 'Property Address',
				value: 'streetAddress',
				description:
					'The property (or customer) address as the STREET address; the postal address is kept',
			},
			{
				name: 'Title',
				value: 'title',
				description:
					'The title in front of a private customer\'s contact name ("Mrs Sarah O\'Neill")',
			},
		],
		default: ['name', 'title', 'email', 'streetAddress'],
		description:
			'Which Commusoft fields update the Xero contact. Only fields whose value differs from Xero are sent.',
	},
	{
		displayName: 'Duplicate Names',
		name: 'duplicateNameRule',
		type: 'options',
		options: [
			{
				name: 'Append Account Reference',
				value: 'appendAccountReference',
				description: 'E.g. "John Smith (CUS-00012)".',
			},
			{
				name: 'Append Postcode',
				value: 'appendPostcode',
				description: 'E.g. "John Smith (LS5 3BE)".',
			},
			{
				name: 'Fail the Item',
				value: 'fail',
				description: 'Report the clash and change nothing for that customer',
			},
		],
		default: 'appendAccountReference',
		description:
			'Xero contact names are unique. When another contact, or another customer of this run, already has the name, the customer is never merged into it: this rule decides what happens instead.',
	},
	{
		displayName: 'Archived Contacts',
		name: 'archivedContacts',
		type: 'options',
		options: [
			{ name: 'Restore and Update', value: 'restore' },
			{ name: 'Skip', value: 'skip' },
		],
		default: 'skip',
		description: 'What to do when the linked Xero contact is archived',
	},
	{
		displayName: 'When No Contact Is Linked',
		name: 'whenMissing',
		type: 'options',
		options: [
			{
				name: 'Create the Contact',
				value: 'create',
				description: 'With ContactNumber = the Commusoft account reference',
			},
			{ name: 'Skip', value: 'skip' },
		],
		default: 'create',
	},
	{
		displayName: 'Options',
		name: 'syncOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Contact Persons Mode',
				name: 'personsMode',
				type: 'options',
				options: [
					{
						name: 'Add to Xero List',
						value: 'merge',
						description: 'Keep persons added in Xero; add or update the Commusoft ones',
					},
					{
						name: 'Replace Xero List',
						value: 'replace',
						description: "The item's list becomes the contact's list",
					},
				],
				default: 'merge',
			},
			{
				displayName: 'Only Fields Reported as Changed',
				name: 'onlyReportedChanges',
				type: 'boolean',
				default: true,
				description:
					"Whether to look only at the fields the Commusoft Trigger lists in the item's changedFields (items without that list are compared in full)",
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['sync'] } },
	properties,
);

/** "Customer CUS-00012 (item 3)", "Supplier SUP-00004 (item 5)", or "Item 3" without a reference. */
function itemLabel(entry: SyncPlanEntry): string {
	const kind = entry.commusoftSupplierId === undefined ? 'Customer' : 'Supplier';
	return entry.accountReference
		? `${kind} ${entry.accountReference} (item ${entry.itemIndex})`
		: `Item ${entry.itemIndex}`;
}

/** What became of a plan entry once written (or not). */
function outcomeOf(entry: SyncPlanEntry, result: XeroBatchResult | undefined): SentOutcome {
	if (entry.action === 'error')
		return { kind: 'failed', message: entry.reason ?? 'cannot be synced' };
	if (result && !result.ok) return { kind: 'failed', message: result.error };
	if (entry.action === 'create' || entry.action === 'update')
		return { kind: 'written', action: entry.action === 'create' ? 'created' : 'updated' };
	if (entry.action === 'unchanged') return { kind: 'unchanged' };
	return { kind: 'notWritten', verb: 'skipped', reason: entry.reason };
}

function outputOf(entry: SyncPlanEntry, tenantId: string, result?: XeroBatchResult): IDataObject {
	const action =
		entry.action === 'create' ? 'created' : entry.action === 'update' ? 'updated' : entry.action;
	const out: IDataObject = {
		contactId: result?.ok ? (result.element.ContactID as string) : entry.contactId,
		action,
		fieldsSent: result && !result.ok ? [] : entry.fieldsSent,
		accountReference: entry.accountReference,
		commusoftCustomerId: entry.commusoftCustomerId,
		commusoftSupplierId: entry.commusoftSupplierId,
		matchedBy: entry.matchedBy,
		name: result?.ok ? (result.element.Name as string) : entry.name,
		tenantId,
	};
	if (entry.reason) out.reason = entry.reason;
	if (entry.restored) out.restored = true;
	if (entry.nameConflict) out.nameConflict = entry.nameConflict as unknown as IDataObject;
	const warnings = [...entry.warnings, ...(result?.ok ? result.warnings : [])];
	if (warnings.length) out.warnings = warnings;
	for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
	return out;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	if (items.length === 0) return [];
	// One plan per run (items are batched), so settings come from the first item like resource/operation.
	const tenantId = await resolveTenantId(this, 0);
	const fields = (this.getNodeParameter('syncFields', 0, []) as string[]).filter(
		(field): field is SyncField => SYNC_FIELDS.includes(field as SyncField),
	);
	const options = this.getNodeParameter('syncOptions', 0, {}) as IDataObject;
	const settings: SyncSettings = {
		fields,
		duplicateNameRule: this.getNodeParameter(
			'duplicateNameRule',
			0,
			'appendAccountReference',
		) as SyncSettings['duplicateNameRule'],
		archived: this.getNodeParameter('archivedContacts', 0, 'skip') as SyncSettings['archived'],
		whenMissing: this.getNodeParameter('whenMissing', 0, 'create') as SyncSettings['whenMissing'],
		onlyReportedChanges: options.onlyReportedChanges !== false,
		personsMode: options.personsMode === 'replace' ? 'replace' : 'merge',
	};
	// Bad input fails before anything is written (nothing half-written), unless Continue On Fail is on; a write
	// Xero refuses fails its item, and the others' writes stand.
	return await forEachBatch(
		this,
		items,
		async (outcomes) => {
			const inputs = items.map((item, itemIndex) => ({ itemIndex, ...readSyncInput(item.json) }));
			const contacts = await readContacts(
				this,
				tenantId,
				lookupKeys(
					inputs.map((input) => input.customer),
					settings,
				),
			);
			const plan = planContactSync(inputs, contacts, settings);
			const failItem = (entry: SyncPlanEntry, problem: string) =>
				outcomes.fail(
					entry.itemIndex,
					new NodeOperationError(this.getNode(), problem, { itemIndex: entry.itemIndex }),
					{
						message: `${itemLabel(entry)} ${entry.action === 'error' ? 'cannot be' : 'was not'} synced`,
						details: failedDetails(entry, tenantId),
					},
				);
			for (const entry of plan) if (entry.action === 'error') failItem(entry, entry.reason!);
			outcomes.checkpoint('Nothing was written to Xero.');

			const results = await writeContacts(this, tenantId, plan);
			// A customer given twice is synced from its latest item; the others say what became of that one.
			for (const entry of plan)
				if (entry.sentInstead !== undefined) {
					const sent = plan.find((other) => other.itemIndex === entry.sentInstead);
					entry.reason = supersededReason(
						`not sent: ${entry.reason ?? ''}`,
						entry.sentInstead,
						sent && outcomeOf(sent, results.get(sent)),
						'Xero',
					);
				}
			for (const entry of plan) {
				if (outcomes.settled(entry.itemIndex)) continue;
				const result = results.get(entry);
				if (result && !result.ok) failItem(entry, result.error);
				else outcomes.add(entry.itemIndex, outputOf(entry, tenantId, result));
			}
		},
		'Other customers of this run may already be written; re-running is safe (only differences are sent).',
	);
}

/** The sync report of a failed item (under the error item's `details`; its `error` says what went wrong). */
function failedDetails(entry: SyncPlanEntry, tenantId: string): IDataObject {
	const details: IDataObject = { ...outputOf(entry, tenantId), action: 'failed', fieldsSent: [] };
	delete details.reason; // it is `error`
	return details;
}
