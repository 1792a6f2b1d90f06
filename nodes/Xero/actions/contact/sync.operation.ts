import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { supersededReason, type SentOutcome } from '../../../shared/supersededReason';
import { chunkForUrl, LOOKUP_URL_BUDGET, whereAnyEquals } from '../../mapping/lookup';
import {
	lookupKeys,
	planContactSync,
	readSyncInput,
	SYNC_FIELDS,
	type SyncField,
	type SyncPlanEntry,
	type SyncSettings,
	type XeroSyncContact,
} from '../../mapping/contactSync';
import { xeroBatchWrite, xeroGetAllPages, type XeroBatchResult } from '../../transport';
import { resolveTenantId, withItemIndex } from '../shared';

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

const CONTACT_PAGE_SIZE = 1000;

/** Every contact a run may touch, archived included, in as few GETs as the URL length allows. */
async function readContacts(
	ctx: IExecuteFunctions,
	tenantId: string,
	keys: ReturnType<typeof lookupKeys>,
): Promise<XeroSyncContact[]> {
	const clauses = [
		...keys.contactNumbers.map((value) => whereAnyEquals([['ContactNumber', value]])),
		...keys.names.map((value) => whereAnyEquals([['Name', value]])),
		...keys.emails.map((value) => whereAnyEquals([['EmailAddress', value]])),
		...keys.contactIds.map((id) => `ContactID==Guid("${id}")`),
	];
	const chunks = chunkForUrl(clauses, LOOKUP_URL_BUDGET, 60, (clause) =>
		encodeURIComponent(` OR ${clause}`),
	);
	const pages = await Promise.all(
		chunks.map(
			async (chunk) =>
				await xeroGetAllPages(ctx, {
					path: '/Contacts',
					tenantId,
					collectionKey: 'Contacts',
					qs: { where: chunk.join(' OR '), includeArchived: true },
					pageSize: CONTACT_PAGE_SIZE,
				}),
		),
	);
	return pages.flat() as unknown as XeroSyncContact[];
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
	const continueOnFail = this.continueOnFail();

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

	// Bad input fails before anything is written (nothing half-written), unless Continue On Fail is on.
	const refused = plan.find((entry) => entry.action === 'error');
	if (refused && !continueOnFail) {
		throw new NodeOperationError(
			this.getNode(),
			`${itemLabel(refused)} cannot be synced: ${refused.reason}`,
			{ itemIndex: refused.itemIndex, description: 'Nothing was written to Xero.' },
		);
	}

	const creates = plan.filter((entry) => entry.action === 'create');
	const updates = plan.filter((entry) => entry.action === 'update');
	const write = async (method: 'PUT' | 'POST', entries: SyncPlanEntry[]) =>
		entries.length === 0
			? []
			: await xeroBatchWrite(this, {
					method,
					path: '/Contacts',
					tenantId,
					collectionKey: 'Contacts',
					elements: entries.map((entry) => entry.payload as IDataObject),
					itemIndexes: entries.map((entry) => entry.itemIndex),
				});
	let createResults: XeroBatchResult[];
	let updateResults: XeroBatchResult[];
	try {
		[createResults, updateResults] = await Promise.all([
			write('PUT', creates),
			write('POST', updates),
		]);
	} catch (error) {
		// Run-wide failures (day limit, credential, tenant): the batch transport already named them.
		throw withItemIndex(this, error, (creates[0] ?? updates[0])?.itemIndex ?? 0);
	}
	const results = new Map<SyncPlanEntry, XeroBatchResult>();
	creates.forEach((entry, index) => results.set(entry, createResults[index]));
	updates.forEach((entry, index) => results.set(entry, updateResults[index]));

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

	const output: INodeExecutionData[] = [];
	for (const entry of plan) {
		const result = results.get(entry);
		const failure =
			entry.action === 'error' ? entry.reason : result && !result.ok ? result.error : undefined;
		if (failure) {
			if (!continueOnFail) {
				throw new NodeOperationError(
					this.getNode(),
					`${itemLabel(entry)} was not synced: ${failure}`,
					{
						itemIndex: entry.itemIndex,
						description:
							'Other customers of this run may already be written; re-running is safe (only differences are sent).',
					},
				);
			}
			// n8n's error output ("On Error: Continue (using error output)") takes items whose json has only
			// error/message/details, and merges the input item (the customer) in (n8n-core
			// WorkflowExecute.handleNodeErrorOutput); the sync report goes in details.
			const details: IDataObject = {
				...outputOf(entry, tenantId),
				action: 'failed',
				fieldsSent: [],
			};
			delete details.reason; // it is `error`
			output.push({
				json: {
					error: failure,
					message: `${itemLabel(entry)} ${entry.action === 'error' ? 'cannot be' : 'was not'} synced`,
					details,
				},
				pairedItem: { item: entry.itemIndex },
			});
			continue;
		}
		output.push({ json: outputOf(entry, tenantId, result), pairedItem: { item: entry.itemIndex } });
	}
	return output;
}
