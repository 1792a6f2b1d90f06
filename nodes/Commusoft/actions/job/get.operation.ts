import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { getJob } from '../../transport/api';
import { forEachItem, requiredString } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Job ID',
		name: 'jobId',
		type: 'string',
		required: true,
		default: '',
		description: 'The Commusoft job uuid (an invoice carries it as jobId)',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['job'], operation: ['get'] } },
	properties,
);

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await forEachItem(this, async (itemIndex) => {
		const id = requiredString(this, 'jobId', 'Job ID', itemIndex);
		return { ...(await getJob.call(this, id, itemIndex)) };
	});
}
