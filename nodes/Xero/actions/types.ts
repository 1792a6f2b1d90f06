import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/**
 * One operation module (Airtable v2 layout, n8n-nodes.md §1): its parameters and its execute(). execute()
 * receives every input item at once, so batched operations (upsert) can group them; it returns one or more
 * output items per input item, each with pairedItem.
 */
export interface XeroOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

export type XeroResourceOperations = Record<string, XeroOperation>;
