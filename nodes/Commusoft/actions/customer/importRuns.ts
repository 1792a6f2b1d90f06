// The Commusoft side of Customer → Import From Xero's runs: the customers a run tagged, and its undo.
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';

import { planUndo, type ExistingCustomer } from '../../mapping/importPlan';
import { toCommusoftCustomer } from '../../records';
import { commusoftApiRequest, commusoftGetAll } from '../../transport';
import { forEachBatch } from '../common';

export interface TaggedCustomer extends ExistingCustomer {
	createdAt?: string;
}

/** Every live customer with the fields the import reads beyond the record (the run tag, createdAt). */
export async function readCustomers(
	ctx: IExecuteFunctions,
	runId?: string,
): Promise<TaggedCustomer[]> {
	const raw = await commusoftGetAll.call(ctx, 'listCustomers', {
		qs: runId ? { importRunId: runId } : {},
	});
	return raw
		.filter((body) => !Number(body.deleted))
		.map((body) => ({
			...toCommusoftCustomer(body),
			importRunId: typeof body.importRunId === 'string' ? body.importRunId : undefined,
			createdAt: typeof body.createdAt === 'string' ? body.createdAt : undefined,
		}))
		.filter((customer) => !runId || customer.importRunId === runId);
}

/** Undo of an import run: removes the customers it created, keeping those used or changed since. */
export async function undo(
	ctx: IExecuteFunctions,
	runId: string,
	keepChanged: boolean,
): Promise<INodeExecutionData[]> {
	const tagged = await readCustomers(ctx, runId);
	const plan = planUndo(
		tagged,
		runId,
		keepChanged,
		(customer) => (customer as TaggedCustomer).createdAt,
	);
	return await forEachBatch(ctx, async (outcomes) => {
		for (const step of plan) {
			const base: IDataObject = {
				mode: 'undo',
				importRunId: runId,
				commusoftCustomerId: step.customer.id,
				accountReference: step.customer.accountReference,
				xeroContactId: step.customer.xeroContactId,
			};
			if (step.action === 'keep') {
				outcomes.add(0, { ...base, action: 'kept', reason: step.reason });
				continue;
			}
			try {
				await commusoftApiRequest.call(ctx, {
					endpoint: 'deleteCustomer',
					id: step.customer.id,
					qs: { permanent: true },
					itemIndex: 0,
				});
				outcomes.add(0, { ...base, action: 'removed' });
			} catch (error) {
				// In use since the import (invoices, jobs, …): Commusoft refuses, and the customer rightly stays.
				if ((error as { httpCode?: string | null }).httpCode === '409') {
					outcomes.add(0, {
						...base,
						action: 'kept',
						reason: `Commusoft refused to remove it: ${(error as NodeApiError).description ?? (error as Error).message}`,
					});
					continue;
				}
				outcomes.fail(0, error, {
					message: `Commusoft customer ${step.customer.id} was not removed`,
					details: { ...base, action: 'failed' },
				});
				outcomes.checkpoint();
			}
		}
		if (!outcomes.settled(0))
			outcomes.add(0, { mode: 'undo', importRunId: runId, action: 'nothingToUndo', removed: 0 });
	});
}
