import { cleanTrackingName } from './invoice';
import type { XeroLineItemTracking, XeroTrackingCategory, XeroTrackingOption } from './types';
import { isGuid } from '../../shared/guid';

// https://developer.xero.com/documentation/api/accounting/trackingcategories : at most 2 ACTIVE categories per
// organisation, 4 in total counting ARCHIVED ones. Options: up to 100 per category (a node setting with this
// default). An archived option still exists in Xero (Xero archives an option once used and deletes it only if
// never used), so archived options count toward that limit like archived categories count toward the 4; only
// DELETED options are gone.
export const MAX_ACTIVE_TRACKING_CATEGORIES = 2;
export const DEFAULT_TRACKING_OPTION_CAP = 100;
export const MAX_TRACKING_NAME_LENGTH = 100;

/**
 * Tracking messages read "<problem>. Fix: <what to do>". Splits one into its two parts; a message without a
 * fix (Xero's own refusal text) gets `fallbackFix`.
 */
export function splitTrackingMessage(
	text: string,
	fallbackFix: string,
): { problem: string; fix: string } {
	const at = text.search(/\.?\s+Fix:\s*/);
	if (at < 0) return { problem: text.replace(/\.\s*$/, ''), fix: fallbackFix };
	const fix = text.slice(at).replace(/^\.?\s+Fix:\s*/, '');
	return { problem: text.slice(0, at), fix: fix.replace(/\.\s*$/, '') || fallbackFix };
}

/** The fix for a tracking write Xero refused for a reason the planner could not foresee. */
export const TRACKING_WRITE_FIX =
	'check the category and its options in Xero (Settings → Tracking), then run the item again';

export interface TrackingRequest {
	category: string;
	option: string;
}

export interface TrackingIndexEntry {
	category: XeroTrackingCategory;
	active: boolean;
	options: Map<string, XeroTrackingOption>;
}

/** Names compare trimmed and case-insensitively: Xero treats "North" and "north " as the same option. */
export function trackingKey(name: string): string {
	return cleanTrackingName(name).toLowerCase();
}

export function pairKey(category: string, option: string): string {
	return `${trackingKey(category)}\u0000${trackingKey(option)}`;
}

/** Index categories by name; an active category wins over an archived one with the same name. */
export function buildTrackingIndex(
	categories: XeroTrackingCategory[],
): Map<string, TrackingIndexEntry> {
	const index = new Map<string, TrackingIndexEntry>();
	for (const category of categories) {
		if (!category.Name || category.Status === 'DELETED') continue;
		const active = (category.Status ?? 'ACTIVE') === 'ACTIVE';
		const key = trackingKey(category.Name);
		const current = index.get(key);
		if (current && (current.active || !active)) continue;
		const options = new Map<string, XeroTrackingOption>();
		for (const option of category.Options ?? []) {
			if (!option.Name || option.Status === 'DELETED') continue;
			const optionKey = trackingKey(option.Name);
			const existing = options.get(optionKey);
			if (existing && (existing.Status ?? 'ACTIVE') === 'ACTIVE') continue;
			options.set(optionKey, option);
		}
		index.set(key, { category, active, options });
	}
	return index;
}

export interface TrackingPlan {
	/** Category names to create (only when allowed and under the 2-active limit). */
	categoriesToCreate: string[];
	/** Options to add; categoryName is Xero's spelling (or the new category's). */
	optionsToCreate: Array<{ categoryName: string; option: string }>;
	/** pairKey(category, option) → message (with the fix) for every request that cannot be honoured. */
	errors: Map<string, string>;
}

function activeCategoryNames(index: Map<string, TrackingIndexEntry>): string[] {
	return [...index.values()]
		.filter((entry) => entry.active)
		.map((entry) => entry.category.Name ?? '');
}

/**
 * Decide, for all tracking names one execution needs, which exist, which to create and which cannot be used.
 * Pure: the operation performs the creations and then resolves names with `resolveTracking`.
 */
export function planTracking(
	categories: XeroTrackingCategory[],
	requests: TrackingRequest[],
	options: { allowCreate: boolean; optionCap?: number },
): TrackingPlan {
	const index = buildTrackingIndex(categories);
	const cap = options.optionCap ?? DEFAULT_TRACKING_OPTION_CAP;
	const plan: TrackingPlan = { categoriesToCreate: [], optionsToCreate: [], errors: new Map() };

	const byCategory = new Map<string, { name: string; options: Map<string, string> }>();
	for (const request of requests) {
		const name = cleanTrackingName(request.category);
		const option = cleanTrackingName(request.option);
		if (!name || !option) continue;
		const key = trackingKey(name);
		let group = byCategory.get(key);
		if (!group) byCategory.set(key, (group = { name, options: new Map() }));
		if (!group.options.has(trackingKey(option))) group.options.set(trackingKey(option), option);
	}

	let activeCount = activeCategoryNames(index).length;
	for (const [categoryKey, group] of byCategory) {
		const fail = (option: string, message: string) =>
			plan.errors.set(pairKey(group.name, option), message);
		const failAll = (message: string) => group.options.forEach((option) => fail(option, message));
		const entry = index.get(categoryKey);
		let categoryName = entry?.category.Name ?? group.name;
		let optionCount = 0;
		let archivedCount = 0;
		let existingOptions = new Map<string, XeroTrackingOption>();

		if (group.name.length > MAX_TRACKING_NAME_LENGTH) {
			failAll(
				`tracking category name "${group.name}" is longer than ${MAX_TRACKING_NAME_LENGTH} characters. Fix: shorten the mapping`,
			);
			continue;
		}
		if (entry && !entry.active) {
			failAll(
				`tracking category "${categoryName}" is archived in Xero. Fix: restore it in Xero (Settings → Tracking) or change the mapping`,
			);
			continue;
		}
		if (!entry) {
			const active = activeCategoryNames(index).concat(plan.categoriesToCreate);
			if (!options.allowCreate) {
				failAll(
					`tracking category "${group.name}" does not exist in Xero (active: ${active.join(', ') || 'none'}). Fix: create it in Xero, correct the mapping, or enable "Create Missing Tracking Options"`,
				);
				continue;
			}
			if (activeCount >= MAX_ACTIVE_TRACKING_CATEGORIES) {
				failAll(
					`tracking category "${group.name}" cannot be created: Xero allows ${MAX_ACTIVE_TRACKING_CATEGORIES} active tracking categories and this organisation has ${active.join(', ')}. Fix: map to an existing category or archive one in Xero`,
				);
				continue;
			}
			activeCount++;
			plan.categoriesToCreate.push(group.name);
			categoryName = group.name;
		} else {
			existingOptions = entry.options;
			for (const option of entry.category.Options ?? []) {
				if (option.Status === 'DELETED') continue;
				optionCount++;
				if (option.Status === 'ARCHIVED') archivedCount++;
			}
		}

		for (const [optionKey, option] of group.options) {
			const existing = existingOptions.get(optionKey);
			if (existing) {
				if ((existing.Status ?? 'ACTIVE') !== 'ACTIVE')
					fail(
						option,
						`tracking option "${existing.Name}" of "${categoryName}" is archived in Xero. Fix: restore the option in Xero or change the Commusoft value`,
					);
				continue;
			}
			if (!options.allowCreate) {
				fail(
					option,
					`tracking option "${option}" does not exist in category "${categoryName}". Fix: add it in Xero, or enable "Create Missing Tracking Options"`,
				);
				continue;
			}
			if (option.length > MAX_TRACKING_NAME_LENGTH) {
				fail(
					option,
					`tracking option "${option}" is longer than ${MAX_TRACKING_NAME_LENGTH} characters. Fix: shorten the Commusoft value`,
				);
				continue;
			}
			if (optionCount >= cap) {
				fail(
					option,
					`tracking option "${option}" cannot be added: category "${categoryName}" already has ${optionCount} options${archivedCount ? ` (${archivedCount} of them archived, which Xero still counts)` : ''} and the limit is ${cap}. Fix: in Xero (Settings → Tracking) delete options that were never used, or map the value to an existing option`,
				);
				continue;
			}
			optionCount++;
			plan.optionsToCreate.push({ categoryName, option });
		}
	}
	return plan;
}

/** Name → IDs with Xero's own spelling; undefined when the pair is unknown or not active. */
export function resolveTracking(
	index: Map<string, TrackingIndexEntry>,
	category: string,
	option: string,
): XeroLineItemTracking | undefined {
	const entry = index.get(trackingKey(category));
	if (!entry || !entry.active) return undefined;
	const found = entry.options.get(trackingKey(option));
	if (!found || (found.Status ?? 'ACTIVE') !== 'ACTIVE') return undefined;
	const result: XeroLineItemTracking = {
		Name: entry.category.Name ?? category,
		Option: found.Name ?? option,
	};
	if (entry.category.TrackingCategoryID)
		result.TrackingCategoryID = entry.category.TrackingCategoryID;
	if (found.TrackingOptionID) result.TrackingOptionID = found.TrackingOptionID;
	return result;
}

/** True when a "category name or ID" value is a TrackingCategoryID (a GUID) rather than a name. */
export function isTrackingId(value: string): boolean {
	return isGuid(value.trim());
}

/**
 * The category a "name or ID" value names: by TrackingCategoryID, else by name (trimmed, case-insensitive; an
 * active category wins over an archived namesake). Deleted categories are never found.
 */
export function findTrackingCategory(
	categories: XeroTrackingCategory[],
	nameOrId: string,
): XeroTrackingCategory | undefined {
	const live = categories.filter((c) => c.Status !== 'DELETED');
	if (isTrackingId(nameOrId)) {
		const id = nameOrId.trim().toLowerCase();
		return live.find((c) => c.TrackingCategoryID?.toLowerCase() === id);
	}
	return buildTrackingIndex(live).get(trackingKey(nameOrId))?.category;
}
