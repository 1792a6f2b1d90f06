import { describe, expect, it } from 'vitest';

import {
	buildTrackingIndex,
	pairKey,
	planTracking,
	resolveTracking,
} from '../../nodes/Xero/mapping/tracking';
import type { XeroTrackingCategory } from '../../nodes/Xero/mapping/types';

const categories = (): XeroTrackingCategory[] => [
	{
		TrackingCategoryID: 'cat-bu',
		Name: 'Business Unit',
		Status: 'ACTIVE',
		Options: [
			{ TrackingOptionID: 'opt-p', Name: 'Plumbing', Status: 'ACTIVE' },
			{ TrackingOptionID: 'opt-g', Name: 'Gas', Status: 'ARCHIVED' },
		],
	},
	{
		TrackingCategoryID: 'cat-r',
		Name: 'Region',
		Status: 'ACTIVE',
		Options: [{ TrackingOptionID: 'opt-n', Name: 'North', Status: 'ACTIVE' }],
	},
	{ TrackingCategoryID: 'cat-old', Name: 'Engineer', Status: 'ARCHIVED', Options: [] },
];

describe('tracking', () => {
	it('resolves names case-insensitively and trimmed to Xero spelling and IDs', () => {
		const index = buildTrackingIndex(categories());
		expect(resolveTracking(index, ' business unit', 'PLUMBING ')).toEqual({
			Name: 'Business Unit',
			Option: 'Plumbing',
			TrackingCategoryID: 'cat-bu',
			TrackingOptionID: 'opt-p',
		});
		expect(resolveTracking(index, 'Business Unit', 'Gas')).toBeUndefined();
		expect(resolveTracking(index, 'Engineer', 'Bob')).toBeUndefined();
	});

	it('plans missing options only when allowed, and explains otherwise', () => {
		const requests = [
			{ category: 'Business Unit', option: 'Electrical' },
			{ category: 'business unit', option: 'electrical ' },
			{ category: 'Business Unit', option: 'Plumbing' },
			{ category: 'Business Unit', option: 'Gas' },
		];
		const allowed = planTracking(categories(), requests, { allowCreate: true });
		expect(allowed.optionsToCreate).toEqual([
			{ categoryName: 'Business Unit', option: 'Electrical' },
		]);
		expect(allowed.errors.get(pairKey('Business Unit', 'Gas'))).toMatch(/archived/);
		const refused = planTracking(categories(), requests, { allowCreate: false });
		expect(refused.optionsToCreate).toEqual([]);
		expect(refused.errors.get(pairKey('Business Unit', 'Electrical'))).toMatch(
			/does not exist.*Create Missing Tracking Options/,
		);
	});

	it('enforces the per-category option cap', () => {
		const plan = planTracking(
			categories(),
			[
				{ category: 'Region', option: 'South' },
				{ category: 'Region', option: 'East' },
			],
			{ allowCreate: true, optionCap: 2 },
		);
		expect(plan.optionsToCreate).toEqual([{ categoryName: 'Region', option: 'South' }]);
		expect(plan.errors.get(pairKey('Region', 'East'))).toMatch(
			/already has 2 options and the limit is 2\. Fix: /,
		);
	});

	it('counts active and archived options toward the cap, never deleted ones', () => {
		const withStatuses = (statuses: Array<'ACTIVE' | 'ARCHIVED' | 'DELETED'>) => [
			{
				TrackingCategoryID: 'cat-r',
				Name: 'Region',
				Status: 'ACTIVE' as const,
				Options: statuses.map((Status, i) => ({
					TrackingOptionID: `o${i}`,
					Name: `R${i}`,
					Status,
				})),
			},
		];
		const plan = (statuses: Array<'ACTIVE' | 'ARCHIVED' | 'DELETED'>) =>
			planTracking(withStatuses(statuses), [{ category: 'Region', option: 'New' }], {
				allowCreate: true,
				optionCap: 3,
			});
		expect(plan(['ACTIVE', 'ARCHIVED', 'DELETED', 'DELETED']).optionsToCreate).toHaveLength(1);
		const full = plan(['ACTIVE', 'ARCHIVED', 'ARCHIVED', 'DELETED']);
		expect(full.optionsToCreate).toEqual([]);
		expect(full.errors.get(pairKey('Region', 'New'))).toBe(
			'tracking option "New" cannot be added: category "Region" already has 3 options (2 of them archived, which Xero still counts) and the limit is 3. Fix: in Xero (Settings → Tracking) delete options that were never used, or map the value to an existing option',
		);
	});

	it('never creates a third active category and refuses archived categories', () => {
		const plan = planTracking(
			categories(),
			[
				{ category: 'Job Type', option: 'Install' },
				{ category: 'Engineer', option: 'Bob' },
			],
			{ allowCreate: true },
		);
		expect(plan.categoriesToCreate).toEqual([]);
		expect(plan.errors.get(pairKey('Job Type', 'Install'))).toMatch(
			/allows 2 active tracking categories/,
		);
		expect(plan.errors.get(pairKey('Engineer', 'Bob'))).toMatch(/archived/);
		const one = planTracking(
			categories().slice(0, 1),
			[{ category: 'Job Type', option: 'Install' }],
			{ allowCreate: true },
		);
		expect(one.categoriesToCreate).toEqual(['Job Type']);
		expect(one.optionsToCreate).toEqual([{ categoryName: 'Job Type', option: 'Install' }]);
	});
});
