import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/**
 * One operation module (the layout of n8n's Airtable v2 node: one file per operation): its parameters and its
 * execute(). execute() receives every input item at once, so batched operations (an upsert) can group them; it
 * returns one or more output items per input item, each with pairedItem. Both nodes' operations follow it.
 */
export interface NodeOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

/** A resource's operations by their `operation` value. */
export type ResourceOperations = Record<string, NodeOperation>;

/**
 * The router of both action nodes: reads resource and operation once (item 0, as n8n's own versioned nodes do),
 * lets the node prepare the run (e.g. Xero's transport options), and hands every item to the operation.
 */
export async function routeOperation(
	ctx: IExecuteFunctions,
	resources: Record<string, ResourceOperations>,
	prepare?: (ctx: IExecuteFunctions) => void,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const operations = Object.hasOwn(resources, resource) ? resources[resource] : {};
	const handler = Object.hasOwn(operations, operation) ? operations[operation] : undefined;
	if (!handler) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The operation "${operation}" is not available for "${resource}" in this version of the node`,
		);
	}
	prepare?.(ctx);
	return [await handler.execute.call(ctx, items)];
}
