import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import {
	pairKey,
	TRACKING_WRITE_FIX,
	trackingKey,
	type TrackingPlan,
} from '../../mapping/tracking';
import type { XeroTrackingCategory, XeroTrackingOption } from '../../mapping/types';
import { deriveIdempotencyKey, isXeroStopError, xeroApiRequest } from '../../transport';

/** A single PUT with an Idempotency-Key derived from its content, so a retry can never create twice. */
async function xeroPut(ctx: IExecuteFunctions, tenantId: string, path: string, body: IDataObject) {
	const idempotencyKey = deriveIdempotencyKey({ method: 'PUT', path, tenantId, body });
	return await xeroApiRequest<IDataObject>(ctx, {
		method: 'PUT',
		path,
		tenantId,
		body,
		idempotencyKey,
	});
}

/** Xero's refusal as one sentence without its final full stop, to sit inside a "<problem>. Fix: …" message. */
export function refusal(error: unknown): string {
	return (error as Error).message.replace(/[.\s]+$/, '');
}

/**
 * Performs what `planTracking` allows: one PUT per new category, then one PUT per new option, each the single
 * `TrackingOption {Name}` Xero documents for `PUT /TrackingCategories/{id}/Options`
 * (https://developer.xero.com/documentation/api/accounting/trackingcategories), however many items asked for
 * it. Returns the categories as they now are and the pair errors (`pairKey` → message) of the plan plus any
 * creation Xero refused. The daily-limit stop is rethrown: it ends the run, it is no one item's failure.
 */
export async function createTrackingFromPlan(
	ctx: IExecuteFunctions,
	tenantId: string,
	categories: XeroTrackingCategory[],
	plan: TrackingPlan,
): Promise<{ categories: XeroTrackingCategory[]; errors: Map<string, string> }> {
	const errors = new Map(plan.errors);
	const current: XeroTrackingCategory[] = categories.map((category) => ({
		...category,
		Options: [...(category.Options ?? [])],
	}));
	const activeByName = new Map<string, XeroTrackingCategory>();
	for (const category of current)
		if (category.Name && (category.Status ?? 'ACTIVE') === 'ACTIVE')
			activeByName.set(trackingKey(category.Name), category);

	for (const name of plan.categoriesToCreate) {
		try {
			const body = await xeroPut(ctx, tenantId, '/TrackingCategories', { Name: name });
			const created = ((body.TrackingCategories ?? []) as XeroTrackingCategory[])[0];
			if (created) {
				created.Options = created.Options ?? [];
				current.push(created);
				activeByName.set(trackingKey(created.Name ?? name), created);
			}
		} catch (error) {
			if (isXeroStopError(error)) throw error as NodeApiError;
			for (const option of plan.optionsToCreate.filter(
				(o) => trackingKey(o.categoryName) === trackingKey(name),
			))
				errors.set(
					pairKey(name, option.option),
					`Xero refused to create tracking category "${name}": ${refusal(error)}. Fix: ${TRACKING_WRITE_FIX}`,
				);
		}
	}

	const grouped = new Map<string, string[]>();
	for (const { categoryName, option } of plan.optionsToCreate) {
		const list = grouped.get(trackingKey(categoryName)) ?? [];
		list.push(option);
		grouped.set(trackingKey(categoryName), list);
	}
	for (const [categoryKey, options] of grouped) {
		const category = activeByName.get(categoryKey);
		if (!category?.TrackingCategoryID) continue; // its creation failed: errors already recorded
		for (const option of options) {
			try {
				const body = await xeroPut(
					ctx,
					tenantId,
					`/TrackingCategories/${category.TrackingCategoryID}/Options`,
					{ Name: option },
				);
				category.Options = [
					...(category.Options ?? []),
					...((body.Options ?? []) as XeroTrackingOption[]),
				];
			} catch (error) {
				if (isXeroStopError(error)) throw error as NodeApiError;
				errors.set(
					pairKey(category.Name ?? categoryKey, option),
					`Xero refused to add tracking option "${option}" to "${category.Name}": ${refusal(error)}. Fix: ${TRACKING_WRITE_FIX}`,
				);
			}
		}
	}
	return { categories: current, errors };
}
