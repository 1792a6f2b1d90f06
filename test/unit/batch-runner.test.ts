// The one batch runner (nodes/shared/runner.ts `runBatch`, `ItemOutcomes`) that Contact → Sync, Tracking → Ensure
// Option, Contact → Get Balances and Customer → Import From Xero run in: one output per outcome, in input order,
// each paired with its item; every failure in the one error-item shape; Continue On Fail off fails the run at a
// checkpoint with the first failed item and the note saying what was written; run-stopping failures always stop.
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import {
	errorItemJson,
	groupBy,
	readEachItem,
	runBatch,
	type ItemOutcomes,
} from '../../nodes/shared/runner';

const NODE = { name: 'Node', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} };

function context(continueOnFail: boolean) {
	return {
		getNode: () => NODE,
		continueOnFail: () => continueOnFail,
	} as unknown as IExecuteFunctions;
}

const items = (n: number): INodeExecutionData[] =>
	Array.from({ length: n }, (_, i) => ({ json: { i } }));

class StopError extends Error {}
const stopsRun = (error: unknown) => error instanceof StopError;

/** Reads 4 items (item 1 unreadable), then "writes" per group; item 3's write fails. */
async function typicalRun(ctx: IExecuteFunctions, calls: string[]) {
	return await runBatch(
		ctx,
		items(4),
		async (outcomes: ItemOutcomes) => {
			const read = await readEachItem(outcomes, 4, (itemIndex) => {
				if (itemIndex === 1)
					throw new NodeOperationError(ctx.getNode(), 'Item 1 has no name', {
						itemIndex,
						description: 'Give it a name.',
					});
				return { itemIndex, group: itemIndex % 2 ? 'b' : 'a' };
			});
			outcomes.checkpoint('Nothing was written.');
			for (const [group, requests] of groupBy(
				read.map(({ value }) => value),
				(value) => value.group,
			)) {
				calls.push(`write ${group}`);
				for (const request of requests)
					if (request.itemIndex === 3)
						outcomes.fail(3, new Error('refused by the API'), {
							message: 'Record 3 was not written',
							details: { action: 'failed', record: 'R3' },
						});
					else outcomes.add(request.itemIndex, { written: request.itemIndex, group });
			}
		},
		{ stopsRun, note: 'Other items may be written; a re-run is safe.' },
	);
}

describe('runBatch / ItemOutcomes', () => {
	it('Continue On Fail: one output per item in input order, failures in the one error-item shape', async () => {
		const calls: string[] = [];
		const output = await typicalRun(context(true), calls);
		expect(calls).toEqual(['write a', 'write b']);
		expect(output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(output[0].json).toEqual({ written: 0, group: 'a' });
		expect(output[1].json).toEqual({
			error: 'Item 1 has no name',
			details: { itemIndex: 1, description: 'Give it a name.' },
		});
		expect(output[3].json).toEqual({
			error: 'refused by the API',
			message: 'Record 3 was not written',
			details: { itemIndex: 3, action: 'failed', record: 'R3' },
		});
		// n8n's error output takes only items whose json has no key but error/message/details
		for (const item of [output[1], output[3]])
			expect(
				Object.keys(item.json).every((key) => ['error', 'message', 'details'].includes(key)),
			).toBe(true);
	});

	it('Continue On Fail off: a bad item fails the run at the checkpoint before any write', async () => {
		const calls: string[] = [];
		const run = typicalRun(context(false), calls);
		await expect(run).rejects.toThrow('Item 1 has no name');
		await run.catch((error: NodeOperationError) => {
			expect(error.context.itemIndex).toBe(1);
			expect(error.description).toBe('Give it a name. Nothing was written.');
		});
		expect(calls).toEqual([]);
	});

	it('Continue On Fail off: a failed write fails the run naming the record, with the closing note', async () => {
		const calls: string[] = [];
		const ctx = context(false);
		const run = runBatch(
			ctx,
			items(2),
			async (outcomes) => {
				calls.push('write');
				outcomes.add(0, { ok: true });
				outcomes.fail(1, new Error('refused'), { message: 'Record 1 was not written' });
			},
			{ note: 'Other items may be written.' },
		);
		await run.catch((error: NodeOperationError) => {
			expect(error.message).toBe('Record 1 was not written: refused');
			expect(error.context.itemIndex).toBe(1);
			expect(error.description).toBe('Other items may be written.');
		});
		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		expect(calls).toEqual(['write']);
	});

	it('a run-stopping failure stops the run even under Continue On Fail', async () => {
		const run = runBatch(
			context(true),
			items(3),
			async (outcomes) => {
				outcomes.add(0, { ok: true });
				outcomes.fail(1, new StopError('daily limit reached'));
				outcomes.add(2, { ok: true });
			},
			{ stopsRun },
		);
		await expect(run).rejects.toThrow('daily limit reached');
	});

	it('a group failure fails only the items of the group that have no outcome yet', async () => {
		const output = await runBatch(context(true), items(3), async (outcomes) => {
			outcomes.add(0, { ok: true });
			outcomes.failAll([0, 1, 2], new Error('the read failed'));
		});
		expect(output.map((item) => item.json.error ?? 'ok')).toEqual([
			'ok',
			'the read failed',
			'the read failed',
		]);
	});

	it('a report gives one item many results and failures, kept in the order they came', async () => {
		const output = await runBatch(context(true), items(1), async (outcomes) => {
			outcomes.add(0, { step: 1 });
			outcomes.fail(0, new Error('step 2 failed'));
			outcomes.add(0, [{ step: 3 }, { step: 4 }]);
		});
		expect(output.map((item) => item.json.step ?? item.json.error)).toEqual([
			1,
			'step 2 failed',
			3,
			4,
		]);
		expect(output.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('an item nothing was said about has no output (a batch operation says something for every item)', async () => {
		const output = await runBatch(context(true), items(2), async (outcomes) => {
			outcomes.add(1, { ok: true });
		});
		expect(output).toEqual([{ json: { ok: true }, pairedItem: { item: 1 } }]);
	});
});

describe('errorItemJson', () => {
	it('has no details when nothing is known beyond the message', () => {
		expect(errorItemJson(new Error('boom'))).toEqual({ error: 'boom' });
	});
});
