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

/** What a batch operation adds to a failed item: a one-line summary and its own report fields. */
export interface FailureExtra {
	/** e.g. 'Xero contact "Acme" was not imported'; also leads the run's error when it fails the run */
	message?: string;
	/** the operation's report of the item (kept under `details`, beside `itemIndex` and `description`) */
	details?: IDataObject;
}

/**
 * The json of a failed item under Continue On Fail, one shape for every operation of both nodes: `error` (what
 * went wrong), optional `message` (which record) and `details` (`itemIndex`, the operation's report of the
 * item, and the error's description: what to do). n8n routes an item to the error output when the node's On
 * Error is "Continue (using error output)" only when its json has no other key (n8n-core
 * `WorkflowExecute.handleNodeErrorOutput`), and keeps it as is on the regular output otherwise.
 */
export function errorItemJson(
	error: unknown,
	itemIndex?: number,
	extra: FailureExtra = {},
): IDataObject {
	const description = (error as NodeOperationError).description;
	const details: IDataObject = {
		...(itemIndex === undefined ? {} : { itemIndex }),
		...extra.details,
		...(typeof description === 'string' && description ? { description } : {}),
	};
	return {
		error: (error as Error).message,
		...(extra.message ? { message: extra.message } : {}),
		...(Object.keys(details).length ? { details } : {}),
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
				output.push({ json: errorItemJson(itemError, itemIndex), pairedItem: { item: itemIndex } });
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
			return [{ json: errorItemJson(itemError, 0), pairedItem }];
		throw itemError;
	}
}

interface Failure {
	error: unknown;
	extra: FailureExtra;
}

/**
 * What each input item of a batch operation came to, kept until the run's output is built: results (an item may
 * have several, or none), or a failure. The batch operations (Contact → Sync, Tracking → Ensure Option, Get
 * Balances, Customer → Import From Xero) read every item first, then work per organisation or per plan in a few
 * calls; this is the one place that decides what a failure does:
 * - a run-stopping failure (`stopsRun`) fails the run at once;
 * - `checkpoint(note)` fails the run with the first failed item when Continue On Fail is off (called before any
 *   write: "nothing half-written"), the note saying what was or was not written;
 * - otherwise every failure becomes an error item (`errorItemJson`) paired with its input item.
 */
export class ItemOutcomes {
	readonly continueOnFail: boolean;
	/** per item, its results and failures in the order they came (a report may give item 0 many of each) */
	private readonly outcomes = new Map<number, Array<{ json: IDataObject } | Failure>>();
	/** per item, its first failure: the one that fails the run */
	private readonly failures = new Map<number, Failure>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly itemCount: number,
		private readonly options: ItemRunnerOptions = {},
	) {
		this.continueOnFail = ctx.continueOnFail();
	}

	/** Adds the item's result(s). */
	add(itemIndex: number, json: IDataObject | IDataObject[]): void {
		const list = this.listOf(itemIndex);
		for (const one of Array.isArray(json) ? json : [json]) list.push({ json: one });
	}

	/** Records a failure of the item; a run-stopping failure fails the run now. */
	fail(itemIndex: number, error: unknown, extra: FailureExtra = {}): void {
		if (this.options.stopsRun?.(error)) throw this.itemError(error, itemIndex);
		const failure = { error, extra };
		this.listOf(itemIndex).push(failure);
		if (!this.failures.has(itemIndex)) this.failures.set(itemIndex, failure);
	}

	/** A failure of a whole group (an organisation's read): every item of it without an outcome fails. */
	failAll(itemIndexes: number[], error: unknown, extra: FailureExtra = {}): void {
		for (const itemIndex of itemIndexes)
			if (!this.settled(itemIndex)) this.fail(itemIndex, error, extra);
	}

	failed(itemIndex: number): boolean {
		return this.failures.has(itemIndex);
	}

	/** Whether the item has a result or a failure. */
	settled(itemIndex: number): boolean {
		return this.outcomes.has(itemIndex);
	}

	/** With Continue On Fail off, fails the run with the first failed item, the note added to its description. */
	checkpoint(note?: string): void {
		if (this.continueOnFail || this.failures.size === 0) return;
		const itemIndex = Math.min(...this.failures.keys());
		const { error, extra } = this.failures.get(itemIndex)!;
		const thrown = this.itemError(error, itemIndex);
		if (extra.message) thrown.message = `${extra.message}: ${thrown.message}`;
		if (note) {
			const description = typeof thrown.description === 'string' ? thrown.description : '';
			thrown.description = description ? `${description} ${note}` : note;
		}
		throw thrown;
	}

	/**
	 * The output: each item's results and error items in input order (an item's own in the order they came),
	 * each paired with its item.
	 */
	output(note?: string): INodeExecutionData[] {
		this.checkpoint(note);
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.itemCount; itemIndex++)
			for (const outcome of this.outcomes.get(itemIndex) ?? [])
				output.push({
					json:
						'json' in outcome
							? outcome.json
							: errorItemJson(this.itemError(outcome.error, itemIndex), itemIndex, outcome.extra),
					pairedItem: { item: itemIndex },
				});
		return output;
	}

	private listOf(itemIndex: number) {
		let list = this.outcomes.get(itemIndex);
		if (!list) this.outcomes.set(itemIndex, (list = []));
		return list;
	}

	private itemError(error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
		return (this.options.toItemError ?? withItemIndex)(this.ctx, error, itemIndex);
	}
}

/**
 * Reads every item (parameters, input checks, the organisation) before anything is sent: an item that cannot be
 * read fails alone, the others come back with what was read.
 */
export async function readEachItem<T>(
	outcomes: ItemOutcomes,
	itemCount: number,
	read: (itemIndex: number) => Promise<T> | T,
): Promise<Array<{ itemIndex: number; value: T }>> {
	const values: Array<{ itemIndex: number; value: T }> = [];
	for (let itemIndex = 0; itemIndex < itemCount; itemIndex++) {
		try {
			values.push({ itemIndex, value: await read(itemIndex) });
		} catch (error) {
			outcomes.fail(itemIndex, error);
		}
	}
	return values;
}

/** Groups values by a key (an organisation), keeping input order within each group. */
export function groupBy<T>(values: T[], key: (value: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const value of values) {
		const k = key(value);
		groups.set(k, [...(groups.get(k) ?? []), value]);
	}
	return groups;
}

/** The batch loop: `handle` fills the outcomes; the output is built from them (see ItemOutcomes). */
export async function runBatch(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	handle: (outcomes: ItemOutcomes) => Promise<void>,
	options: ItemRunnerOptions & { note?: string } = {},
): Promise<INodeExecutionData[]> {
	const outcomes = new ItemOutcomes(ctx, items.length, options);
	await handle(outcomes);
	return outcomes.output(options.note);
}
