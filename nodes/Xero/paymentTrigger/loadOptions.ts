import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { getConnections } from '../transport';

/** Organisations the credential may use (GET /connections). */
export async function getTenants(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const connections = await getConnections(this);
	return connections
		.filter(
			(connection) => connection.tenantType === 'ORGANISATION' || connection.tenantType === '',
		)
		.map((connection) => ({ name: connection.tenantName, value: connection.tenantId }))
		.sort((a, b) => a.name.localeCompare(b.name));
}
