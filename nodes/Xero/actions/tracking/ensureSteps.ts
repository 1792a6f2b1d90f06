// Tracking → Ensure Option's steps per organisation: its requests, the categories read, archived options restored.
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import type { ItemOutcomes } from '../../../shared/runner';
import {
	buildTrackingIndex,
	findTrackingCategory,
	isTrackingId,
	resolveTracking,
	splitTrackingMessage,
	TRACKING_WRITE_FIX,
	trackingKey,
} from '../../mapping/tracking';
import type { XeroTrackingCategory } from '../../mapping/types';
import { isXeroStopError, readOrgSettings, xeroApiRequest } from '../../transport';
import { refusal } from './createTracking';

export interface EnsureRequest {
	itemIndex: number;
	tenantId: string;
	categoryInput: string;
	optionName: string;
	createMissingCategory: boolean;
	restoreArchivedOption: boolean;
	optionCap: number;
	/** Xero's spelling of the category once resolved (or the name to create it under). */
	categoryName?: string;
	restored?: boolean;
}

/** Splits a planner message ("… . Fix: …") into the error's message and a description naming item and field. */
export function itemError(
	ctx: IExecuteFunctions,
	request: Pick<EnsureRequest, 'itemIndex' | 'optionName'>,
	field: string,
	text: string,
): NodeOperationError {
	const { problem, fix } = splitTrackingMessage(text, TRACKING_WRITE_FIX);
	const message = problem.charAt(0).toUpperCase() + problem.slice(1);
	return new NodeOperationError(ctx.getNode(), message, {
		itemIndex: request.itemIndex,
		description: `Item ${request.itemIndex}, "${field}"${field === 'Option Name' ? ` ("${request.optionName}")` : ''}. Fix: ${fix}.`,
	});
}

/**
 * The organisation's tracking categories, archived ones and options included (an archived "Plumbing" must be
 * found, not created a second time), through the per-organisation settings cache (transport/orgSettings.ts):
 * a run whose every option already exists and is active makes no call; any other run reads Xero again before
 * it decides what to create or restore, so a stale cache never causes a write. A copy: the run marks what it
 * restores and creates on it.
 */
export async function readCategories(
	ctx: IExecuteFunctions,
	tenantId: string,
	requests: EnsureRequest[],
): Promise<XeroTrackingCategory[]> {
	const read = async (fresh: boolean) => {
		const { body, cached } = await readOrgSettings(ctx, tenantId, 'trackingCategories', { fresh });
		return {
			cached,
			categories: structuredClone((body.TrackingCategories ?? []) as XeroTrackingCategory[]),
		};
	};
	const first = await read(false);
	if (!first.cached) return first.categories;
	const index = buildTrackingIndex(first.categories);
	const allActive = requests.every((request) => {
		const category = findTrackingCategory(first.categories, request.categoryInput);
		return category?.Name && resolveTracking(index, category.Name, request.optionName);
	});
	return allActive ? first.categories : (await read(true)).categories;
}

/** Resolves each request's category; returns the problem for those that cannot be served. */
export function resolveCategory(
	ctx: IExecuteFunctions,
	categories: XeroTrackingCategory[],
	request: EnsureRequest,
): NodeOperationError | undefined {
	const found = findTrackingCategory(categories, request.categoryInput);
	if (found?.Name) {
		request.categoryName = found.Name;
		return undefined;
	}
	const active = categories
		.filter((c) => (c.Status ?? 'ACTIVE') === 'ACTIVE' && c.Name)
		.map((c) => `${c.Name} (${c.TrackingCategoryID})`)
		.join(', ');
	if (isTrackingId(request.categoryInput)) {
		return itemError(
			ctx,
			request,
			'Tracking Category Name or ID',
			`no tracking category has the ID ${request.categoryInput} (active: ${active || 'none'}). Fix: choose the category from the list or give its name`,
		);
	}
	if (!request.createMissingCategory) {
		return itemError(
			ctx,
			request,
			'Tracking Category Name or ID',
			`tracking category "${request.categoryInput}" does not exist in Xero (active: ${active || 'none'}). Fix: choose one from the list, create it in Xero, or turn on Options → Create Missing Category`,
		);
	}
	request.categoryName = request.categoryInput;
	return undefined;
}

/**
 * Archived options the items may restore: one POST per option (however many items name it), status ACTIVE,
 * reflected in `categories` so the planner then finds the option active.
 */
export async function restoreArchived(
	ctx: IExecuteFunctions,
	tenantId: string,
	categories: XeroTrackingCategory[],
	requests: EnsureRequest[],
	outcomes: ItemOutcomes,
): Promise<void> {
	const index = buildTrackingIndex(categories);
	const byOption = new Map<string, EnsureRequest[]>();
	for (const request of requests) {
		if (!request.restoreArchivedOption) continue;
		const entry = index.get(trackingKey(request.categoryName!));
		const option = entry?.active ? entry.options.get(trackingKey(request.optionName)) : undefined;
		if (!option?.TrackingOptionID || option.Status !== 'ARCHIVED') continue;
		const key = `${entry!.category.TrackingCategoryID}/${option.TrackingOptionID}`;
		byOption.set(key, [...(byOption.get(key) ?? []), request]);
	}
	for (const [key, waiting] of byOption) {
		const [categoryId, optionId] = key.split('/');
		try {
			await xeroApiRequest<IDataObject>(ctx, {
				method: 'POST',
				path: `/TrackingCategories/${categoryId}/Options/${optionId}`,
				tenantId,
				body: { Status: 'ACTIVE' },
				itemIndex: waiting[0].itemIndex,
			});
			for (const category of categories)
				for (const option of category.Options ?? [])
					if (option.TrackingOptionID === optionId) option.Status = 'ACTIVE';
			for (const request of waiting) request.restored = true;
		} catch (error) {
			if (isXeroStopError(error)) throw error as NodeApiError;
			for (const request of waiting)
				outcomes.fail(
					request.itemIndex,
					itemError(
						ctx,
						request,
						'Option Name',
						`Xero refused to restore the archived tracking option "${request.optionName}": ${refusal(error)}. Fix: restore it in Xero (Settings → Tracking)`,
					),
				);
		}
	}
}
