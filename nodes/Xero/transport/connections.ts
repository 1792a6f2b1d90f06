import type { IDataObject } from 'n8n-workflow';

import { xeroApiRequest, xeroUrls, type XeroContext } from './request';

export interface XeroConnection {
	id: string;
	tenantId: string;
	tenantType: string;
	tenantName: string;
	createdDateUtc?: string;
	updatedDateUtc?: string;
}

// One /connections read per node run at most (keyed by the run's context, gone with it).
const perRun = new WeakMap<object, Promise<XeroConnection[]>>();

/** getConnections, read once per node run. */
export async function getConnectionsOnce(ctx: XeroContext): Promise<XeroConnection[]> {
	let pending = perRun.get(ctx);
	if (!pending) {
		pending = getConnections(ctx);
		perRun.set(ctx, pending);
		pending.catch(() => perRun.delete(ctx));
	}
	return await pending;
}

/** GET /connections: the organisations this token may use (xero-api.md §8.3). Takes no tenant header. */
export async function getConnections(ctx: XeroContext): Promise<XeroConnection[]> {
	const urls = await xeroUrls(ctx);
	const body = await xeroApiRequest<IDataObject[] | IDataObject>(ctx, {
		method: 'GET',
		path: urls.connections,
		tenantId: '',
	});
	const list = Array.isArray(body) ? body : [];
	return list.map((c) => ({
		id: String(c.id ?? ''),
		tenantId: String(c.tenantId ?? ''),
		tenantType: String(c.tenantType ?? ''),
		tenantName: String(c.tenantName ?? c.tenantId ?? ''),
		createdDateUtc: c.createdDateUtc as string | undefined,
		updatedDateUtc: c.updatedDateUtc as string | undefined,
	}));
}
