import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { upsertDescription } from '../document/description';
import { creditNoteKind } from '../document/kind';
import { executeUpsert } from '../document/run';
import { allocationHooks } from './allocate';

export const description: INodeProperties[] = upsertDescription(creditNoteKind, {
	noun: 'credit note',
	Noun: 'Credit Note',
	nouns: 'credit notes',
	Nouns: 'Credit Notes',
	aNoun: 'a credit note',
	status:
		'Status to give the credit note in Xero (ACCRECCREDIT). Only an approved (Authorised) credit note can be allocated to the invoice it credits; one already approved in Xero keeps its status.',
	refused:
		'Where a credit note goes when Xero will not take the edit (credit allocated or refunded, voided in Xero, and Commusoft now says something else). Fail the Item: it leaves by the error output with "Continue (using error output)", or stops the run after the others are written. Report on the Success Output: only for flows that read the action of every result. A re-sent credit note that already matches Xero is "unchanged", never refused.',
});

/**
 * Credit Note → Create or Update: a Commusoft credit note becomes a Xero sales credit note (ACCRECCREDIT) on the
 * same engine as invoices (actions/document/), and, when it names the invoice it credits, is allocated to
 * that invoice once (./allocate.ts).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await executeUpsert(this, items, creditNoteKind, allocationHooks());
}
