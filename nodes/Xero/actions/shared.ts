import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { parseOptionalTimestamp } from '../../shared/parse';
import { isXeroStopError, resolveTenant } from '../transport';
import { isGuid } from '../../shared/guid';

/**
 * The item's organisation as a tenant ID: the "Organisation Name or ID" parameter through the one resolver
 * (transport `resolveTenant`: an ID as given, an exact name via GET /connections read once per run). A value
 * that names no organisation fails the item, naming it and the organisations the credential reaches.
 */
export async function resolveTenantId(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	const value = String(ctx.getNodeParameter('tenantId', itemIndex, '') ?? '');
	const resolved = await resolveTenant(ctx, value);
	if ('tenantId' in resolved) return resolved.tenantId;
	throw new NodeOperationError(ctx.getNode(), resolved.message, {
		itemIndex,
		description: resolved.description,
	});
}

/** A Xero GUID parameter; anything else fails the item with the field named. */
export function requireGuid(
	ctx: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
): string {
	const text = String(value ?? '').trim();
	if (!isGuid(text)) {
		throw new NodeOperationError(ctx.getNode(), `"${field}" must be a Xero ID (a GUID)`, {
			itemIndex,
			description: `Item ${itemIndex} has "${text}". Xero IDs look like 0a1b2c3d-1111-2222-3333-444455556666; to find a record by its number, choose the "by number" option instead.`,
		});
	}
	return text;
}

export function requireText(
	ctx: IExecuteFunctions,
	value: unknown,
	field: string,
	itemIndex: number,
): string {
	const text = String(value ?? '').trim();
	if (!text) {
		throw new NodeOperationError(ctx.getNode(), `"${field}" is empty`, {
			itemIndex,
			description: `Item ${itemIndex} needs a value for "${field}".`,
		});
	}
	return text;
}

/** A Get Many "Modified Since" filter → ISO time for the If-Modified-Since header; empty → undefined. */
export function ifModifiedSinceFilter(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
): string | undefined {
	const parsed = parseOptionalTimestamp(value);
	if (!parsed.ok) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Filter "Modified Since" ${parsed.problem} on item ${itemIndex}`,
			{ itemIndex, description: `Fix: ${parsed.fix}.` },
		);
	}
	return parsed.value;
}

/** Quotes a value for a Xero `where` string literal (double quotes, backslash-escaped). */
export function whereString(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * The per-item loop every simple operation shares: output items carry pairedItem; a failing item becomes an
 * error item when "Continue On Fail" is on, else the run fails naming the item. A day-limit stop always
 * stops the run: carrying on would only fail every following item the same way.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	handle: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
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
			if (ctx.continueOnFail() && !isXeroStopError(error)) {
				output.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
				continue;
			}
			throw withItemIndex(ctx, error, itemIndex);
		}
	}
	return output;
}

/**
 * The loop of a report that runs once for the whole input (Audit, Debtors Ageing): its one output item is paired
 * with every input item; its failure (an unreadable record, a failed read) becomes one error item under
 * Continue On Fail, the shape n8n routes to the error output, else it fails the run naming item 0.
 */
export async function onceForAll(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	handle: () => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const pairedItem = items.map((_, item) => ({ item }));
	try {
		return [{ json: await handle(), pairedItem }];
	} catch (error) {
		if (ctx.continueOnFail() && !isXeroStopError(error))
			return [{ json: errorItemJson(error), pairedItem }];
		throw withItemIndex(ctx, error, 0);
	}
}

/**
 * The json of a failed item under continue-on-fail: only error/details keys, the shape n8n routes to the
 * error output when the node's On Error is "Continue (using error output)" (and keeps as is on the regular
 * output); the error's description (what to do) goes in details.
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
