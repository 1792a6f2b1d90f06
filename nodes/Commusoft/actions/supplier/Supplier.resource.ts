import type { INodeProperties } from 'n8n-workflow';

import { readOnlyOperations } from '../common';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

/** This resource's operations by their `operation` value: the router's table. */
export const supplierOperations = { get, getMany };

export const description: INodeProperties[] = [
	readOnlyOperations('supplier', 'supplier', 'suppliers'),
	...get.description,
	...getMany.description,
];
