import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import type { CommusoftContext } from '../transport';
import { forEachItem, requiredString } from './common';

export interface GetByIdOptions<T> {
	resource: string;
	/** The ID parameter, e.g. `customerId`, shown as `label` ("Customer ID"). */
	idParameter: string;
	label: string;
	description: string;
	/** The transport call reading one record. */
	read: (this: CommusoftContext, id: string, itemIndex?: number) => Promise<T>;
}

/**
 * The "Get" operation of a resource that reads one record by its uuid: a required ID parameter, one output item
 * per input item (a failure names the item, see forEachItem).
 */
export function getByIdOperation<T extends object>(options: GetByIdOptions<T>) {
	const properties: INodeProperties[] = [
		{
			displayName: options.label,
			name: options.idParameter,
			type: 'string',
			required: true,
			default: '',
			description: options.description,
		},
	];
	return {
		description: updateDisplayOptions(
			{ show: { resource: [options.resource], operation: ['get'] } },
			properties,
		),
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
			return await forEachItem(this, async (itemIndex) => {
				const id = requiredString(this, options.idParameter, options.label, itemIndex);
				return { ...(await options.read.call(this, id, itemIndex)) } as IDataObject;
			});
		},
	};
}
