import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { takesPayments, type XeroAccountForPayment } from '../mapping/payment';
import { getConnections, readOrgSettings } from '../transport';

function currentTenant(ctx: ILoadOptionsFunctions): string | undefined {
	const tenantId = ctx.getCurrentNodeParameter('tenantId');
	return typeof tenantId === 'string' && tenantId && !tenantId.startsWith('=')
		? tenantId
		: undefined;
}

function byName(a: INodePropertyOptions, b: INodePropertyOptions): number {
	return a.name.localeCompare(b.name);
}

/** Organisations this credential can reach (GET /connections). */
export async function getTenants(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const connections = await getConnections(this);
	return connections
		.filter((c) => c.tenantType === 'ORGANISATION' || !c.tenantType)
		.map((c) => ({ name: c.tenantName, value: c.tenantId, description: c.tenantId }))
		.sort(byName);
}

/** Active tax rates usable on sales lines, valued by TaxType. */
export async function getTaxRates(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const tenantId = currentTenant(this);
	if (!tenantId) return [];
	const { body } = await readOrgSettings(this, tenantId, 'taxRates', { fresh: true });
	return ((body.TaxRates as IDataObject[] | undefined) ?? [])
		.filter((t) => (t.Status ?? 'ACTIVE') === 'ACTIVE' && t.CanApplyToRevenue !== false)
		.map((t) => {
			const rate = t.EffectiveRate ?? t.DisplayTaxRate ?? t.Rate;
			return {
				name: `${String(t.Name ?? t.TaxType)}${rate !== undefined ? ` (${String(rate)}%)` : ''}`,
				value: String(t.TaxType),
			};
		})
		.sort(byName);
}

async function trackingCategories(ctx: ILoadOptionsFunctions): Promise<IDataObject[]> {
	const tenantId = currentTenant(ctx);
	if (!tenantId) return [];
	const { body } = await readOrgSettings(ctx, tenantId, 'trackingCategories', { fresh: true });
	return ((body.TrackingCategories as IDataObject[] | undefined) ?? []).filter(
		(c) => (c.Status ?? 'ACTIVE') === 'ACTIVE',
	);
}

/** Active tracking categories, valued by Name (invoice mapping works by name, docs/xero-rules.md §4). */
export async function getTrackingCategories(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	return (await trackingCategories(this))
		.map((c) => ({ name: String(c.Name), value: String(c.Name) }))
		.sort(byName);
}

/**
 * Active options of the tracking category chosen beside the dropdown: the `category` of the same fixed-collection
 * entry (`&category`, n8n's path relative to the entry), or a parameter named `trackingCategory` /
 * `trackingCategoryName`; the category by name or TrackingCategoryID. With none chosen (or an expression), every
 * category's options as "Category: Option".
 */
export async function getTrackingOptions(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	let chosen: string | undefined;
	for (const name of ['&category', 'trackingCategory', 'trackingCategoryName']) {
		try {
			const value = this.getCurrentNodeParameter(name);
			if (typeof value === 'string' && value.trim() && !value.startsWith('='))
				chosen = value.trim();
		} catch {
			// parameter not present on this operation
		}
		if (chosen) break;
	}
	const options: INodePropertyOptions[] = [];
	for (const category of await trackingCategories(this)) {
		if (chosen && category.Name !== chosen && category.TrackingCategoryID !== chosen) continue;
		for (const option of (category.Options as IDataObject[] | undefined) ?? []) {
			if ((option.Status ?? 'ACTIVE') !== 'ACTIVE') continue;
			options.push({
				name: chosen ? String(option.Name) : `${String(category.Name)}: ${String(option.Name)}`,
				value: String(option.Name),
			});
		}
	}
	return options.sort(byName);
}

/**
 * Accounts a payment can go into (docs/xero-rules.md §6.2): BANK accounts and accounts with "Enable payments to
 * this account" on, valued by AccountID (bank accounts often have no code).
 */
export async function getPaymentAccounts(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const tenantId = currentTenant(this);
	if (!tenantId) return [];
	const { body } = await readOrgSettings(this, tenantId, 'accounts', { fresh: true });
	return ((body.Accounts as XeroAccountForPayment[] | undefined) ?? [])
		.filter((a) => takesPayments(a) && a.AccountID)
		.map((a) => ({
			name: `${a.Name ?? a.AccountID}${a.Code ? ` (${a.Code})` : ''}`,
			value: String(a.AccountID),
			description: a.Type === 'BANK' ? 'Bank account' : 'Payments enabled',
		}))
		.sort(byName);
}
