import type { IDataObject } from 'n8n-workflow';

import { rememberTenantName, xeroApiRequest, xeroUrls, type XeroContext } from './request';
import { isGuid } from '../../shared/guid';

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

/** GET /connections: the organisations this token may use (docs/xero-rules.md §8.3). Takes no tenant header. */
export async function getConnections(ctx: XeroContext): Promise<XeroConnection[]> {
	const urls = await xeroUrls(ctx);
	const body = await xeroApiRequest<IDataObject[] | IDataObject>(ctx, {
		method: 'GET',
		path: urls.connections,
		tenantId: '',
	});
	const list = Array.isArray(body) ? body : [];
	for (const c of list) rememberTenantName(String(c.tenantId ?? ''), String(c.tenantName ?? ''));
	return list.map((c) => ({
		id: String(c.id ?? ''),
		tenantId: String(c.tenantId ?? ''),
		tenantType: String(c.tenantType ?? ''),
		tenantName: String(c.tenantName ?? c.tenantId ?? ''),
		createdDateUtc: c.createdDateUtc as string | undefined,
		updatedDateUtc: c.updatedDateUtc as string | undefined,
	}));
}

/** What an "Organisation Name or ID" value stands for: its tenant ID, or why it cannot be used. */
export type TenantResolution = { tenantId: string } | { message: string; description: string };

/**
 * The one resolver of the "Organisation Name or ID" parameter (every Xero operation and trigger): a tenant ID
 * is used as given; anything else is an organisation's exact name (case and outer spaces aside), looked up in
 * GET /connections, which is read once per node run. Returns the reason instead of throwing, so each caller
 * raises it with its own context (item index for operations, none for triggers).
 */
export async function resolveTenant(ctx: XeroContext, value: string): Promise<TenantResolution> {
	const wanted = value.trim();
	if (!wanted) {
		return {
			message: 'No Xero organisation selected',
			description:
				'Set "Organisation Name or ID": pick it from the list, or give a tenant ID or an organisation\'s exact name in an expression.',
		};
	}
	if (isGuid(wanted)) return { tenantId: wanted };
	const connections = await getConnectionsOnce(ctx);
	const matches = connections.filter(
		(c) => c.tenantName.trim().toLowerCase() === wanted.toLowerCase(),
	);
	if (matches.length === 1) return { tenantId: matches[0].tenantId };
	return {
		message: matches.length
			? `${matches.length} connected organisations are called "${wanted}"`
			: `No connected Xero organisation is called "${wanted}"`,
		description: `"Organisation Name or ID" takes a tenant ID or an organisation's exact name. This credential reaches: ${connections.map((c) => `${c.tenantName} (${c.tenantId})`).join(', ') || 'no organisation; reconnect it'}.`,
	};
}
