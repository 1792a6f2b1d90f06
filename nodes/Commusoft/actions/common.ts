import {
	NodeApiError,
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { parseOptionalTimestamp } from '../../shared/parse';
import { returnAllOrLimit, returnAllProperties } from '../../shared/returnAll';
import { runBatch, runPerItem, withItemIndex, type ItemOutcomes } from '../../shared/runner';
import { CommusoftRecordError, type CommusoftCustomerInput } from '../records';
import { commusoftApiRequest } from '../transport';
import { PaymentConflictError } from '../transport/api';
import type { CommusoftEndpointName } from '../transport/endpoints';

/** Turns any failure of one item into an n8n error that names the item and, for Commusoft's own failures, the fix. */
export function toItemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof CommusoftRecordError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description:
				'Commusoft answered with a body that does not match the assumed contract (docs/commusoft-api-contract.md).',
		});
	}
	if (error instanceof PaymentConflictError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description:
				'Each external reference (e.g. a Xero PaymentID) records one payment. Check which Xero payment this item carries.',
		});
	}
	return withItemIndex(ctx, error, itemIndex);
}

/** The shared per-item loop (nodes/shared/runner.ts) over the node's input, with Commusoft's error messages. */
export async function forEachItem(
	ctx: IExecuteFunctions,
	handler: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	return await runPerItem(ctx, ctx.getInputData(), handler, { toItemError });
}

/** The shared batch loop (nodes/shared/runner.ts `runBatch`) over the node's input, with Commusoft's messages. */
export async function forEachBatch(
	ctx: IExecuteFunctions,
	handle: (outcomes: ItemOutcomes) => Promise<void>,
): Promise<INodeExecutionData[]> {
	return await runBatch(ctx, ctx.getInputData(), handle, { toItemError });
}

export function requiredString(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty on item ${itemIndex}`, {
			itemIndex,
			description: `Set "${label}" (or fix the expression that fills it).`,
		});
	}
	return value;
}

/** ISO date-time or date from a dateTime parameter → ISO string; empty → undefined; rubbish → item error. */
export function optionalIsoTime(
	ctx: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): string | undefined {
	const parsed = parseOptionalTimestamp(value);
	if (!parsed.ok) {
		throw new NodeOperationError(ctx.getNode(), `${label} ${parsed.problem} on item ${itemIndex}`, {
			itemIndex,
			description: `Fix: ${parsed.fix}.`,
		});
	}
	return parsed.value;
}

/** A Get Many description: Return All + Limit, then a Filters collection with `filterOptions` (sorted by name). */
export function getManyDescription(
	resource: string,
	filterOptions: INodeProperties[],
): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: [resource], operation: ['getMany'] } }, [
		...returnAllProperties,
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			options: filterOptions,
		},
	]);
}

/** The "Modified Since" filter of a Get Many; `records` names what is listed, e.g. 'customers'. */
export function modifiedSinceFilter(records: string): INodeProperties {
	return {
		displayName: 'Modified Since',
		name: 'modifiedSince',
		type: 'dateTime',
		default: '',
		description: `Only ${records} changed at or after this time`,
	};
}

/** What every Get Many reads for an item: its filters, its limit (undefined = all) and Modified Since as ISO. */
export function readListParameters(ctx: IExecuteFunctions, itemIndex: number) {
	const filters = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return {
		filters,
		limit: returnAllOrLimit(ctx, itemIndex),
		modifiedSince: optionalIsoTime(ctx, filters.modifiedSince, 'Modified Since', itemIndex),
	};
}

/** Optional customer fields, shared by create, update and upsert. */
export const customerFieldOptions: INodeProperties[] = [
	{
		displayName: 'Account Reference',
		name: 'accountReference',
		type: 'string',
		default: '',
		description: 'Commusoft customer reference, e.g. CUS-00012 (Xero ContactNumber)',
	},
	{ displayName: 'Address Line 1', name: 'addressLine1', type: 'string', default: '' },
	{ displayName: 'Address Line 2', name: 'addressLine2', type: 'string', default: '' },
	{ displayName: 'Address Line 3', name: 'addressLine3', type: 'string', default: '' },
	{ displayName: 'Company Name', name: 'companyName', type: 'string', default: '' },
	{ displayName: 'Country', name: 'country', type: 'string', default: '' },
	{ displayName: 'County', name: 'county', type: 'string', default: '' },
	{
		displayName: 'Customer Type',
		name: 'customerType',
		type: 'options',
		options: [
			{ name: 'Private', value: 'private' },
			{ name: 'Company', value: 'company' },
		],
		default: 'private',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{ displayName: 'Mobile', name: 'mobile', type: 'string', default: '' },
	{ displayName: 'Payment Terms', name: 'paymentTerms', type: 'string', default: '' },
	{ displayName: 'Postcode', name: 'postcode', type: 'string', default: '' },
	{ displayName: 'Telephone', name: 'telephone', type: 'string', default: '' },
	{ displayName: 'Title', name: 'title', type: 'string', default: '', placeholder: 'Mrs' },
	{ displayName: 'Town', name: 'town', type: 'string', default: '' },
	{ displayName: 'VAT Number', name: 'vatNumber', type: 'string', default: '' },
	{
		displayName: 'Xero Contact ID',
		name: 'xeroContactId',
		type: 'string',
		default: '',
		description:
			"Stored in the customer's accounting reference (assumed to be where Commusoft keeps the Xero link)",
	},
];

/** The required First Name and Last Name of create and upsert; `firstNameHint` becomes First Name's description. */
export function customerNameProperties(firstNameHint?: string): INodeProperties[] {
	return [
		{
			displayName: 'First Name',
			name: 'firstName',
			type: 'string',
			required: true,
			default: '',
			...(firstNameHint === undefined ? {} : { description: firstNameHint }),
		},
		{
			displayName: 'Last Name',
			name: 'lastName',
			type: 'string',
			required: true,
			default: '',
		},
	];
}

/** "Additional Fields" of create and upsert: every customer field except the names and `alsoWithout`. */
export function customerAdditionalFields(alsoWithout: string[] = []): INodeProperties {
	const without = ['firstName', 'lastName', ...alsoWithout];
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: customerFieldOptions.filter((option) => !without.includes(option.name)),
	};
}

/** The item's customer from `customerNameProperties` + `customerAdditionalFields`; `overrides` win over both. */
export function readNamedCustomerInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	overrides: IDataObject = {},
): CommusoftCustomerInput {
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return readCustomerInput(
		ctx,
		{
			...fields,
			firstName: requiredString(ctx, 'firstName', 'First Name', itemIndex),
			lastName: requiredString(ctx, 'lastName', 'Last Name', itemIndex),
			...overrides,
		},
		itemIndex,
	);
}

const ADDRESS_KEYS = [
	'addressLine1',
	'addressLine2',
	'addressLine3',
	'town',
	'county',
	'postcode',
	'country',
] as const;

/** Customer fields collection → record-shaped input; validates what Commusoft would refuse less clearly. */
export function readCustomerInput(
	ctx: IExecuteFunctions,
	fields: IDataObject,
	itemIndex: number,
): CommusoftCustomerInput {
	const text = (key: string) => {
		const value = fields[key];
		if (value === undefined || value === null) return undefined;
		const cleaned = String(value).replace(/\s+/g, ' ').trim();
		return cleaned === '' ? undefined : cleaned;
	};
	const input: CommusoftCustomerInput = {
		accountReference: text('accountReference'),
		title: text('title'),
		firstName: text('firstName'),
		lastName: text('lastName'),
		companyName: text('companyName'),
		customerType: text('customerType') as CommusoftCustomerInput['customerType'],
		email: text('email'),
		telephone: text('telephone'),
		mobile: text('mobile'),
		xeroContactId: text('xeroContactId'),
		vatNumber: text('vatNumber'),
		paymentTerms: text('paymentTerms'),
	};
	if (input.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Email "${input.email}" is not an email address on item ${itemIndex}`,
			{
				itemIndex,
				description: 'Fix the Email field or leave it empty.',
			},
		);
	}
	const address: Record<string, string> = {};
	for (const key of ADDRESS_KEYS) {
		const value = text(key);
		if (value !== undefined) address[key] = key === 'postcode' ? value.toUpperCase() : value;
	}
	if (Object.keys(address).length) input.address = address;
	for (const key of Object.keys(input) as Array<keyof CommusoftCustomerInput>) {
		if (input[key] === undefined) delete input[key];
	}
	return input;
}

/**
 * Reads a record the assumed contract answers 404 for until one is written (a customer's accounting summary,
 * an invoice's Xero status): its body, or undefined. An unknown parent record also answers 404 here; the
 * write that follows then fails naming it.
 */
export async function readUntilWritten(
	ctx: IExecuteFunctions,
	endpoint: CommusoftEndpointName,
	id: string,
	itemIndex: number,
): Promise<IDataObject | undefined> {
	try {
		const { body } = await commusoftApiRequest.call(ctx, {
			endpoint,
			id,
			itemIndex,
			notFoundIsAnswer: true,
		});
		return body && typeof body === 'object' ? (body as IDataObject) : undefined;
	} catch (error) {
		if (error instanceof NodeApiError && String(error.httpCode) === '404') return undefined;
		throw toItemError(ctx, error, itemIndex);
	}
}

/** The "Status" filter of document lists (invoices, credit notes, supplier invoices). */
export function documentStatusFilter(): INodeProperties {
	return {
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Cancelled', value: 'cancelled' },
			{ name: 'Draft', value: 'draft' },
			{ name: 'Raised', value: 'raised' },
		],
		default: 'raised',
	};
}

/**
 * The Get Many of a resource: its filters, then `list` called once per item with the limit, Modified Since and
 * the item's filters; one output item per record.
 */
export function getManyOperation<T extends object>(
	resource: string,
	filterOptions: INodeProperties[],
	list: (
		this: IExecuteFunctions,
		options: { limit?: number; modifiedSince?: string; itemIndex: number },
		filters: IDataObject,
	) => Promise<T[]>,
) {
	return {
		description: getManyDescription(resource, filterOptions),
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
			return await forEachItem(this, async (itemIndex) => {
				const { filters, limit, modifiedSince } = readListParameters(this, itemIndex);
				const records = await list.call(this, { limit, modifiedSince, itemIndex }, filters);
				return records.map((record) => ({ ...record }) as IDataObject);
			});
		},
	};
}

/** The Operation dropdown of a resource that only reads: Get and Get Many. */
export function readOnlyOperations(
	resource: string,
	singular: string,
	plural: string,
): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: [
			{ name: 'Get', value: 'get', description: `Get a ${singular}`, action: `Get a ${singular}` },
			{
				name: 'Get Many',
				value: 'getMany',
				description: `Get many ${plural}`,
				action: `Get many ${plural}`,
			},
		],
		default: 'get',
	};
}
