import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/**
 * One operation module (the layout of n8n's Airtable v2 node: one file per operation): its parameters and its execute(). execute()
 * receives every input item at once, so batched operations (upsert) can group them; it returns one or more
 * output items per input item, each with pairedItem.
 */
export interface XeroOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

export type XeroResourceOperations = Record<string, XeroOperation>;
