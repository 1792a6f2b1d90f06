import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

/**
 * The per-item and once-for-all loops every operation of both nodes runs in (the way n8n's Postgres v2 serves all
 * its operations from one query runner): output items carry `pairedItem`; a failing item becomes an error item when
 * "Continue On Fail" is on, else the run fails naming the item; failures a vendor marks as run-stopping (Xero's
 * daily limit) always stop the run, since carrying on would only fail every following item the same way.
 */
export interface ItemRunnerOptions {
	/**
	 * Turns a vendor's own failure classes into the n8n error that names the item and the fix. Default:
	 * `withItemIndex`.
	 */
	toItemError?: (
		ctx: IExecuteFunctions,
		error: unknown,
		itemIndex: number,
	) => NodeApiError | NodeOperationError;
	/** Failures that stop the run even under Continue On Fail. */
	stopsRun?: (error: unknown) => boolean;
}

/**
 * The json of a failed item under Continue On Fail: only `error` and `details` keys, the shape n8n routes to the
 * error output when the node's On Error is "Continue (using error output)" (and keeps as is on the regular
 * output); the error's description (what to do) goes in `details`.
 */
export function errorItemJson(error: unknown): IDataObject {
	const description = (error as NodeOperationError).description;
	return {
		error: (error as Error).message,
		...(typeof description === 'string' ? { details: { description } } : {}),
	};
}

/**
 * Names the failing item on an error before it fails the run. n8n's error classes hand back an error that
 * already is one of theirs when wrapped again, so the original class and message survive.
 */
export function withItemIndex(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error instanceof NodeApiError
			? new NodeApiError(ctx.getNode(), error as unknown as JsonObject)
			: new NodeOperationError(ctx.getNode(), error);
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/** Runs `handle` for every input item (see the module comment for pairing and failures). */
export async function runPerItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	handle: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
	options: ItemRunnerOptions = {},
): Promise<INodeExecutionData[]> {
	const toItemError = options.toItemError ?? withItemIndex;
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const result = await handle(itemIndex);
			output.push(
				...ctx.helpers.constructExecutionMetaData(ctx.helpers.returnJsonArray(result), {
					itemData: { item: itemIndex },
				}),
			);
		} catch (error) {
			const itemError = toItemError(ctx, error, itemIndex);
			if (ctx.continueOnFail() && !options.stopsRun?.(error)) {
				output.push({ json: errorItemJson(itemError), pairedItem: { item: itemIndex } });
				continue;
			}
			throw itemError;
		}
	}
	return output;
}

/**
 * The loop of an operation that runs once for the whole input (a report): its one output item is paired with
 * every input item; its failure becomes one error item under Continue On Fail, else it fails the run naming
 * item 0.
 */
export async function runOnceForAll(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	handle: () => Promise<IDataObject>,
	options: ItemRunnerOptions = {},
): Promise<INodeExecutionData[]> {
	const pairedItem = items.map((_, item) => ({ item }));
	try {
		return [{ json: await handle(), pairedItem }];
	} catch (error) {
		const itemError = (options.toItemError ?? withItemIndex)(ctx, error, 0);
		if (ctx.continueOnFail() && !options.stopsRun?.(error))
			return [{ json: errorItemJson(itemError), pairedItem }];
		throw itemError;
	}
}
