import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	planImport,
	validRunId,
	type ImportPlanEntry,
	type ImportSettings,
} from '../../mapping/importPlan';
import type { XeroContactInput } from '../../mapping/xeroContact';
import { toRawCustomerBody } from '../../records';
import { commusoftApiRequest } from '../../transport';
import { forEachBatch, toItemError } from '../common';
import { readCustomers, undo } from './importRuns';

const properties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'importMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Dry Run',
				value: 'dryRun',
				description: 'List what would be created, linked or skipped, and why. Writes nothing.',
			},
			{
				name: 'Import',
				value: 'import',
				description:
					'Create the customers. Re-running with the same Import Run ID resumes without creating twice.',
			},
			{
				name: 'Undo',
				value: 'undo',
				description:
					'Remove the customers this Import Run ID created, and nothing else. Input items are not used.',
			},
		],
		default: 'dryRun',
	},
	{
		displayName: 'Import Run ID',
		name: 'importRunId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'xero-import-2026-11',
		description:
			'Names this import. Every customer it creates is tagged with it; use the same ID to resume an interrupted import or to undo it. Letters, digits, ".", "_", ":" and "-" (up to 64).',
	},
	{
		displayName: 'Options',
		name: 'importOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Customers Only',
				name: 'customersOnly',
				type: 'boolean',
				default: false,
				description: 'Whether to skip contacts Xero marks as suppliers only',
				displayOptions: { show: { '/importMode': ['dryRun', 'import'] } },
			},
			{
				displayName: 'Include Archived Contacts',
				name: 'includeArchived',
				type: 'boolean',
				default: false,
				description: 'Whether archived Xero contacts are imported too',
				displayOptions: { show: { '/importMode': ['dryRun', 'import'] } },
			},
			{
				displayName: 'Keep Customers Changed Since Import',
				name: 'keepChanged',
				type: 'boolean',
				default: true,
				description:
					'Whether undo keeps (and reports) customers someone edited in Commusoft after the import',
				displayOptions: { show: { '/importMode': ['undo'] } },
			},
			{
				displayName: 'Link Existing Customers By',
				name: 'matchOn',
				type: 'multiOptions',
				options: [
					{ name: 'Contact Number = Customer Reference', value: 'contactNumber' },
					{ name: 'Email', value: 'email' },
					{ name: 'Name (Normalised)', value: 'name' },
				],
				default: ['contactNumber', 'email', 'name'],
				description:
					'A contact whose stored Xero ContactID, or any of these, matches a Commusoft customer is linked (reported), not created',
				displayOptions: { show: { '/importMode': ['dryRun', 'import'] } },
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['customer'], operation: ['importFromXero'] } },
	properties,
);

/**
 * A failed item n8n can route to the error output ("Continue (using error output)"): its json holds only
 * error/message/details (docs/ARCHITECTURE.md, Layers §2), so the import report goes in details.
 */
function reportOf(entry: ImportPlanEntry, runId: string, mode: string): IDataObject {
	const out: IDataObject = {
		mode,
		importRunId: runId,
		action: entry.action,
		xeroContactId: entry.xeroContactId,
		xeroName: entry.xeroName,
		commusoftCustomerId: entry.commusoftCustomerId,
		matchedBy: entry.matchedBy,
		reason: entry.reason,
		notes: entry.notes.length ? entry.notes : undefined,
		customer: entry.customer as IDataObject | undefined,
	};
	for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
	return out;
}

const PAST: Record<string, string> = {
	create: 'created',
	link: 'linked',
	skip: 'skipped',
	alreadyImported: 'alreadyImported',
};

async function createImported(
	ctx: IExecuteFunctions,
	entry: ImportPlanEntry,
	runId: string,
): Promise<void> {
	const uuid = entry.commusoftCustomerId!;
	try {
		await commusoftApiRequest.call(ctx, {
			endpoint: 'createCustomer',
			body: { ...toRawCustomerBody(entry.customer!, uuid), importRunId: runId } as IDataObject,
			label: `for Xero contact "${entry.xeroName ?? entry.xeroContactId}"`,
			itemIndex: entry.itemIndex,
			// Safe to repeat after a lost answer: the uuid is ours, so a repeat meets a 409 (handled below).
			idempotent: true,
		});
	} catch (error) {
		// The uuid is derived from run + contact: a 409 after a lost answer is our own earlier create.
		// Any other 409 (e.g. a reference a deleted customer still holds) is reported as it came.
		if ((error as { httpCode?: string | null }).httpCode !== '409')
			throw toItemError(ctx, error, entry.itemIndex);
		let ours = false;
		try {
			const { body } = await commusoftApiRequest.call(ctx, {
				endpoint: 'getCustomer',
				id: uuid,
				itemIndex: entry.itemIndex,
			});
			const stored = body as IDataObject | undefined;
			ours = stored?.importRunId === runId && !Number(stored?.deleted);
		} catch {
			ours = false;
		}
		if (!ours) throw toItemError(ctx, error, entry.itemIndex);
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const mode = this.getNodeParameter('importMode', 0) as 'dryRun' | 'import' | 'undo';
	const runId = String(this.getNodeParameter('importRunId', 0, '') ?? '').trim();
	if (!validRunId(runId)) {
		throw new NodeOperationError(this.getNode(), `Import Run ID "${runId}" is not usable`, {
			itemIndex: 0,
			description:
				'Use 1–64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit, e.g. xero-import-2026-11.',
		});
	}
	const options = this.getNodeParameter('importOptions', 0, {}) as IDataObject;

	if (mode === 'undo') return await undo(this, runId, options.keepChanged !== false);

	const settings: ImportSettings = {
		runId,
		includeArchived: options.includeArchived === true,
		customersOnly: options.customersOnly === true,
		matchOn: (Array.isArray(options.matchOn)
			? options.matchOn
			: ['contactNumber', 'email', 'name']) as ImportSettings['matchOn'],
	};
	const existing = await readCustomers(this);
	const plan = planImport(
		items.map((item, itemIndex) => ({
			itemIndex,
			contact: item.json as unknown as XeroContactInput,
		})),
		existing,
		settings,
	);
	return await forEachBatch(this, async (outcomes) => {
		for (const entry of plan) {
			if (mode === 'dryRun' || entry.action !== 'create') {
				const report = reportOf(entry, runId, mode);
				if (mode === 'import') report.action = PAST[entry.action];
				outcomes.add(entry.itemIndex, report);
				continue;
			}
			try {
				await createImported(this, entry, runId);
				outcomes.add(entry.itemIndex, { ...reportOf(entry, runId, mode), action: 'created' });
			} catch (error) {
				outcomes.fail(entry.itemIndex, error, {
					message: `Xero contact "${entry.xeroName ?? entry.xeroContactId}" was not imported`,
					details: { ...reportOf(entry, runId, mode), action: 'failed' },
				});
				outcomes.checkpoint(
					'Customers created before this one keep the run tag; run the import again with the same Import Run ID to resume (nothing is created twice), or Undo it.',
				);
			}
		}
	});
}
