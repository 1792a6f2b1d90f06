// The one router both action nodes share (nodes/shared/router.ts): the chosen operation gets every input item
// after the node's preparation; an operation the node does not have (a workflow saved by another version, an
// expression that names a resource) fails naming resource and operation, before any preparation or work, and
// inherited object keys are never mistaken for operations.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { describe, expect, it, vi } from 'vitest';

import { routeOperation, type ResourceOperations } from '../../nodes/shared/router';

function context(
	resource: string,
	operation: string,
	items: INodeExecutionData[] = [{ json: { a: 1 } }],
) {
	return {
		getInputData: () => items,
		getNodeParameter: (name: string) => (name === 'resource' ? resource : operation),
		getNode: () => ({
			name: 'Node',
			type: 'test',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
	} as unknown as IExecuteFunctions;
}

function table() {
	const execute = vi.fn(async function (
		this: IExecuteFunctions,
		items: INodeExecutionData[],
	): Promise<INodeExecutionData[]> {
		return items.map((item, i) => ({ json: { seen: item.json }, pairedItem: { item: i } }));
	});
	const resources: Record<string, ResourceOperations> = {
		invoice: { get: { description: [], execute } },
	};
	return { execute, resources };
}

describe('routeOperation', () => {
	it('hands every item to the chosen operation, after preparing, with the node context as `this`', async () => {
		const { execute, resources } = table();
		const order: string[] = [];
		const ctx = context('invoice', 'get', [{ json: { a: 1 } }, { json: { a: 2 } }]);
		execute.mockImplementationOnce(async function (this: IExecuteFunctions, items) {
			order.push('execute');
			expect(this).toBe(ctx);
			return items;
		});
		const output = await routeOperation(ctx, resources, () => order.push('prepare'));
		expect(order).toEqual(['prepare', 'execute']);
		expect(output).toEqual([[{ json: { a: 1 } }, { json: { a: 2 } }]]);
	});

	it.each([
		['invoice', 'nope'],
		['nope', 'get'],
		['invoice', 'constructor'],
		['invoice', 'toString'],
		['toString', 'call'],
		['__proto__', 'get'],
		['invoice', 'hasOwnProperty'],
	])('%s → %s is refused by name, nothing prepared or run', async (resource, operation) => {
		const { execute, resources } = table();
		const prepare = vi.fn();
		await expect(routeOperation(context(resource, operation), resources, prepare)).rejects.toThrow(
			`The operation "${operation}" is not available for "${resource}" in this version of the node`,
		);
		expect(prepare).not.toHaveBeenCalled();
		expect(execute).not.toHaveBeenCalled();
	});
});
