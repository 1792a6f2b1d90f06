import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';

import { XeroApiError, xeroApiRequest } from '../../transport';
import { forEachItem, requireGuid, requireText, resolveTenantId, whereString } from '../shared';

const properties: INodeProperties[] = [
	{
		displayName: 'Find By',
		name: 'lookupBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Contact ID', value: 'id' },
			{
				name: 'Contact Number',
				value: 'contactNumber',
				description: 'The external reference (Commusoft customer reference)',
			},
			{ name: 'Account Number', value: 'accountNumber' },
			{ name: 'Email', value: 'email' },
		],
		default: 'contactNumber',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { lookupBy: ['id'] } },
	},
	{
		displayName: 'Value',
		name: 'lookupValue',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'CUS-00012',
		description: 'Exact value to match',
		displayOptions: { show: { lookupBy: ['contactNumber', 'accountNumber', 'email'] } },
	},
	{
		displayName: 'Include Archived',
		name: 'includeArchived',
		type: 'boolean',
		default: false,
		description: 'Whether an archived contact may match',
		displayOptions: { show: { lookupBy: ['contactNumber', 'accountNumber', 'email'] } },
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['contact'], operation: ['get'] } },
	properties,
);

const WHERE_FIELD: Record<string, string> = {
	contactNumber: 'ContactNumber',
	accountNumber: 'AccountNumber',
	email: 'EmailAddress',
};

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (itemIndex) => {
		const tenantId = await resolveTenantId(this, itemIndex);
		const lookupBy = this.getNodeParameter('lookupBy', itemIndex) as string;
		if (lookupBy === 'id') {
			const contactId = requireGuid(
				this,
				this.getNodeParameter('contactId', itemIndex),
				'Contact ID',
				itemIndex,
			);
			try {
				const body = await xeroApiRequest(this, {
					method: 'GET',
					path: `/Contacts/${encodeURIComponent(contactId)}`,
					tenantId,
					itemIndex,
				});
				const contact = (body.Contacts as IDataObject[] | undefined)?.[0];
				if (contact) return contact;
			} catch (error) {
				if (!(error instanceof XeroApiError && error.statusCode === 404)) {
					throw new NodeApiError(this.getNode(), error as JsonObject);
				}
			}
			throw new NodeOperationError(this.getNode(), `No contact with ID ${contactId}`, {
				itemIndex,
				description: 'Check the ID and the selected organisation.',
			});
		}
		const field = WHERE_FIELD[lookupBy];
		const value = requireText(
			this,
			this.getNodeParameter('lookupValue', itemIndex),
			'Value',
			itemIndex,
		);
		const body = await xeroApiRequest(this, {
			method: 'GET',
			path: '/Contacts',
			tenantId,
			qs: {
				where: `${field}==${whereString(value)}`,
				includeArchived: this.getNodeParameter('includeArchived', itemIndex, false) as boolean,
				page: 1,
			},
			itemIndex,
		});
		const contacts = (body.Contacts as IDataObject[] | undefined) ?? [];
		const exact = contacts.filter((c) =>
			field === 'EmailAddress'
				? String(c[field] ?? '').toLowerCase() === value.toLowerCase()
				: c[field] === value,
		);
		if (exact.length === 0) {
			throw new NodeOperationError(this.getNode(), `No contact with ${field} "${value}"`, {
				itemIndex,
				description:
					'Check the value and the selected organisation (archived contacts only match when "Include Archived" is on).',
			});
		}
		if (exact.length > 1) {
			throw new NodeOperationError(
				this.getNode(),
				`${exact.length} contacts have ${field} "${value}"`,
				{
					itemIndex,
					description: `Matching ContactIDs: ${exact.map((c) => String(c.ContactID)).join(', ')}. Use "Find By: Contact ID".`,
				},
			);
		}
		return exact[0];
	});
}
