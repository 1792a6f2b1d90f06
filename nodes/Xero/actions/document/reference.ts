import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { taxRatePercent } from '../../mapping/money';
import { buildTrackingIndex, trackingKey } from '../../mapping/tracking';
import type { XeroAccount, XeroTaxRate, XeroTrackingCategory } from '../../mapping/types';
import { buildTenantReference, type TenantReference } from '../../mapping/validation';
import { isXeroStopError, readOrgSettings, type OrgSettingKind } from '../../transport';
import { asNodeError, type Entry } from './entry';

export interface ReferenceData {
	tenant?: TenantReference;
	categories: XeroTrackingCategory[];
	/** Why the tracking categories could not be read: only invoices with tracking need them. */
	trackingError?: string;
	/** Why the items could not be read: item codes are then left to Xero's own check. */
	itemsError?: string;
	/** A tax type's rate in percent, for the total Xero will compute (undefined: unknown to the organisation). */
	rateOf: (taxType: string) => number | undefined;
	/** Some of it came from the settings cache (so a miss or a refusal is worth one fresh read). */
	cached: boolean;
}

/** A reference read that only some invoices need: its failure is returned, except one that ends the run. */
async function readIfAllowed(
	ctx: IExecuteFunctions,
	read: () => Promise<IDataObject>,
): Promise<{ body: IDataObject } | { error: string }> {
	try {
		return { body: await read() };
	} catch (error) {
		if (isXeroStopError(error)) throw asNodeError(ctx, error);
		return { error: (error as Error).message };
	}
}

/**
 * The organisation's accounts, tax rates, tracking categories and items, from the per-organisation settings
 * cache (transport/orgSettings.ts) unless `fresh`. Correctness never rests on the cache: the caller re-reads
 * once when the cached lists lack something an invoice uses (`referenceMisses`) and when Xero refuses a code
 * they held.
 */
export async function loadReference(
	ctx: IExecuteFunctions,
	tenantId: string,
	need: { validation: boolean; tracking: boolean; items: boolean; taxRates: boolean },
	fresh = false,
): Promise<ReferenceData> {
	let cached = false;
	const get = async (kind: OrgSettingKind) => {
		const read = await readOrgSettings(ctx, tenantId, kind, { fresh });
		if (read.cached) cached = true;
		return read.body;
	};
	// Accounts and tax rates check every invoice, so their failure is the run's; tracking categories and items
	// matter only to the invoices that use them (an organisation or scope may not allow GET /Items).
	const [accounts, taxRates, categories, items] = await Promise.all([
		need.validation ? get('accounts') : undefined,
		need.validation || need.taxRates ? get('taxRates') : undefined,
		need.tracking ? readIfAllowed(ctx, async () => await get('trackingCategories')) : undefined,
		need.validation && need.items ? readIfAllowed(ctx, async () => await get('items')) : undefined,
	]);
	const itemList = items && 'body' in items ? items.body.Items : undefined;
	const rates = new Map<string, number | undefined>();
	for (const rate of (taxRates?.TaxRates ?? []) as XeroTaxRate[])
		if (rate.TaxType) rates.set(rate.TaxType.trim().toUpperCase(), taxRatePercent(rate));
	return {
		tenant: need.validation
			? buildTenantReference(
					(accounts?.Accounts ?? []) as XeroAccount[],
					(taxRates?.TaxRates ?? []) as XeroTaxRate[],
					itemList ? (itemList as Array<{ Code?: string }>) : undefined,
				)
			: undefined,
		categories: (categories && 'body' in categories
			? (categories.body.TrackingCategories ?? [])
			: []) as XeroTrackingCategory[],
		trackingError: categories && 'error' in categories ? categories.error : undefined,
		itemsError: items && 'error' in items ? items.error : undefined,
		rateOf: (taxType: string) => rates.get(taxType.trim().toUpperCase()),
		cached,
	};
}

/**
 * Whether an invoice about to be checked uses an account code, tax type, item code or tracking option the
 * reference does not hold: from the cache, that may only mean the cache is older than the change in Xero.
 */
export function referenceMisses(reference: ReferenceData, entries: Entry[]): boolean {
	const tracking = buildTrackingIndex(reference.categories);
	for (const entry of entries) {
		if (entry.mapped.cancelled) continue;
		for (const line of entry.mapped.payload.LineItems) {
			const tenant = reference.tenant;
			if (tenant && line.AccountCode && !tenant.accountsByCode.has(line.AccountCode.toUpperCase()))
				return true;
			if (line.TaxType) {
				if (tenant && !tenant.taxRatesByType.has(line.TaxType.toUpperCase())) return true;
				if (
					entry.mapped.commusoftTotal !== undefined &&
					reference.rateOf(line.TaxType) === undefined
				)
					return true;
			}
			if (tenant?.itemCodes && line.ItemCode && !tenant.itemCodes.has(line.ItemCode.toUpperCase()))
				return true;
			for (const t of line.Tracking ?? []) {
				const category = tracking.get(trackingKey(t.Name));
				if (!category || !category.active || !category.options.has(trackingKey(t.Option)))
					return true;
			}
		}
	}
	return false;
}

/** Xero refused a line for a setting (account, tax type, item, tracking), i.e. one a cache may have held. */
export const SETTING_REFUSAL = /account code|tax ?type|item code|tracking (category|option)/i;
