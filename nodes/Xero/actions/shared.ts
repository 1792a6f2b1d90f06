import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { parseOptionalTimestamp } from '../../shared/parse';
import { isXeroStopError, resolveTenant } from '../transport';
import { isGuid } from '../../shared/guid';
import {
	errorItemJson,
	runBatch,
	runOnceForAll,
	runPerItem,
	withItemIndex,
	type ItemOutcomes,
} from '../../shared/runner';

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

/** The shared per-item loop (nodes/shared/runner.ts); Xero's day-limit stop always stops the run. */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	handle: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	return await runPerItem(ctx, items, handle, { stopsRun: isXeroStopError });
}

/** The shared once-for-all loop of a report (Audit, Debtors Ageing), with Xero's day-limit stop. */
export async function onceForAll(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	handle: () => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	return await runOnceForAll(ctx, items, handle, { stopsRun: isXeroStopError });
}

/**
 * The shared batch loop (nodes/shared/runner.ts `runBatch`) with Xero's day-limit stop: operations that read
 * every item first and then work per organisation in a few calls.
 */
export async function forEachBatch(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	handle: (outcomes: ItemOutcomes) => Promise<void>,
	note?: string,
): Promise<INodeExecutionData[]> {
	return await runBatch(ctx, items, handle, { stopsRun: isXeroStopError, note });
}

export { errorItemJson, withItemIndex };
