import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';

/** This resource's operations by their `operation` value: the router's table. */
export const jobOperations = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [{ name: 'Get', value: 'get', description: 'Get a job', action: 'Get a job' }],
		default: 'get',
	},
	...get.description,
];
