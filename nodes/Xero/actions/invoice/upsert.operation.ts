import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { upsertDescription } from '../document/description';
import { invoiceKind } from '../document/kind';
import { executeUpsert } from '../document/run';

export const description: INodeProperties[] = upsertDescription(invoiceKind, {
	noun: 'invoice',
	Noun: 'Invoice',
	nouns: 'invoices',
	Nouns: 'Invoices',
	aNoun: 'an invoice',
	status:
		'Status to give the invoice in Xero. An invoice already approved in Xero keeps its status.',
	refused:
		'Where an invoice goes when Xero will not take the edit (paid, part-paid, credited or voided in Xero, and Commusoft now says something else). Fail the Item: with On Error set to "Continue (using error output)" it leaves by the error output with the failures someone watches (template 01 reports them); with "Stop Workflow" the run stops after the other invoices are written, so the error workflow hears of it. Report on the Success Output: only for flows that read the action of every result. A re-sent invoice that already matches Xero is "unchanged", never refused.',
});

/**
 * Invoice → Create or Update: make Xero match each input invoice (create, update keeping LineItemIDs, leave
 * unchanged, or refuse when Xero has frozen it), with batched look-ups and writes and one output item per
 * input item. The engine is shared with the other sales documents (actions/document/).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeUpsert(this, items, invoiceKind);
}
