// Xero Accounting → Tracking against the Xero sandbox through n8n-core's real WorkflowExecute: Get Many
// Categories, and Ensure Option keeping Xero's tracking options in step with Commusoft invoice categories
// (business units) before invoices are sent. Xero's rules (docs/xero-rules.md §4) are enforced by the sandbox; the
// node plans with the invoice upsert's planner (nodes/Xero/mapping/tracking.ts).
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { afterEach, describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox/xero/server';
import { runNode } from '../helpers/n8nCore';
import { startXeroFixture, type XeroFixture } from '../helpers/xeroSandbox';

let xero: XeroSandbox;
let tenantId: string;
let credentials: Record<string, ICredentialDataDecryptedObject>;
let xeroCall: XeroFixture['xeroCall'];
let close: (() => Promise<void>) | undefined;

/** A fresh organisation per test (seeded: Business Unit with 4 options, Region with 4). */
async function start(options: { trackingOptionCap?: number } = {}) {
	({ xero, tenantId, credentials, xeroCall, close } = await startXeroFixture({
		sandbox: options,
		tokenLifetimeSec: 3600,
	}));
	xero.clearCalls();
}
afterEach(async () => await close?.());

const category = (name: string) =>
	xero.state(tenantId).trackingCategories.find((c) => c.Name === name)!;

async function archiveOption(categoryName: string, optionName: string) {
	const c = category(categoryName);
	const option = c.Options.find((o) => o.Name === optionName)!;
	await xeroCall(
		'POST',
		`/TrackingCategories/${c.TrackingCategoryID}/Options/${option.TrackingOptionID}`,
		{
			Status: 'ARCHIVED',
		},
	);
	xero.clearCalls();
	return option.TrackingOptionID;
}

/** Calls the node made, as "METHOD /path" without the API prefix. */
const calls = () =>
	xero
		.calls()
		.filter((call) => call.path.includes('/api.xro/2.0/'))
		.map((call) => `${call.method} ${call.path.split('/api.xro/2.0')[1].split('?')[0]}`);
const writes = () => calls().filter((call) => !call.startsWith('GET '));

const ensure = (overrides: INodeParameters = {}): INodeParameters => ({
	resource: 'tracking',
	operation: 'ensureOption',
	tenantId,
	trackingCategory: 'Business Unit',
	optionName: '={{ $json.category }}',
	options: {},
	...overrides,
});

async function run(
	parameters: INodeParameters,
	categories: string[],
	options: { continueOnFail?: boolean; errorOutput?: boolean } = {},
) {
	const onError = options.errorOutput
		? 'continueErrorOutput'
		: options.continueOnFail
			? 'continueRegularOutput'
			: undefined;
	return await runNode(
		'xeroAccounting',
		parameters,
		categories.map((name) => ({ json: { category: name } })),
		credentials,
		onError ? { node: { onError } } : {},
	);
}

describe('Xero Accounting → Tracking → Get Many Categories', () => {
	it('lists categories with their options; archived ones only on request', async () => {
		await start();
		const archivedId = await archiveOption('Region', 'West');
		const active = await runNode(
			'xeroAccounting',
			{ resource: 'tracking', operation: 'getManyCategories', tenantId },
			[{ json: {} }],
			credentials,
		);
		expect(active.error).toBeUndefined();
		const names = (items: typeof active.items) =>
			items.map((item) => [
				item.json.Name,
				(item.json.Options as IDataObject[]).map((o) => `${String(o.Name)}:${String(o.Status)}`),
			]);
		expect(names(active.items)).toEqual([
			[
				'Business Unit',
				['Plumbing:ACTIVE', 'Heating:ACTIVE', 'Electrical:ACTIVE', 'Gas Safety:ACTIVE'],
			],
			['Region', ['North:ACTIVE', 'South:ACTIVE', 'East:ACTIVE']],
		]);
		expect(active.items[0].json.TrackingCategoryID).toBe(
			category('Business Unit').TrackingCategoryID,
		);
		expect(active.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);

		const all = await runNode(
			'xeroAccounting',
			{ resource: 'tracking', operation: 'getManyCategories', tenantId, includeArchived: true },
			[{ json: {} }],
			credentials,
		);
		const region = all.items.find((item) => item.json.Name === 'Region')!;
		expect(region.json.Options).toContainEqual({
			TrackingOptionID: archivedId,
			Name: 'West',
			Status: 'ARCHIVED',
		});
	});
});

describe('Xero Accounting → Tracking → Ensure Option', () => {
	it('finds existing options (trimmed, any case) with one read and no write', async () => {
		await start();
		const result = await run(ensure(), ['plumbing', '  Gas   safety ', 'Heating']);
		expect(result.error).toBeUndefined();
		const businessUnit = category('Business Unit');
		expect(result.items.map((item) => item.json)).toEqual(
			['Plumbing', 'Gas Safety', 'Heating'].map((name) => ({
				tenantId,
				trackingCategoryId: businessUnit.TrackingCategoryID,
				categoryName: 'Business Unit',
				trackingOptionId: businessUnit.Options.find((o) => o.Name === name)!.TrackingOptionID,
				optionName: name,
				status: 'ACTIVE',
				action: 'found',
			})),
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(calls()).toEqual(['GET /TrackingCategories']);
	});

	it('creates each missing option once for many items: one PUT per new option, then found on the next run', async () => {
		await start();
		const units = ['Boiler Repair', 'solar', 'Plumbing', 'BOILER REPAIR', 'Solar', 'Boiler Repair'];
		const first = await run(ensure(), units);
		expect(first.error).toBeUndefined();
		const businessUnit = category('Business Unit');
		expect(writes()).toEqual([
			`PUT /TrackingCategories/${businessUnit.TrackingCategoryID}/Options`,
			`PUT /TrackingCategories/${businessUnit.TrackingCategoryID}/Options`,
		]);
		const created = businessUnit.Options.filter((o) => ['Boiler Repair', 'solar'].includes(o.Name));
		expect(created.map((o) => o.Name).sort()).toEqual(['Boiler Repair', 'solar']);
		expect(businessUnit.Options).toHaveLength(6);
		const idOf = (name: string) => created.find((o) => o.Name === name)!.TrackingOptionID;
		expect(
			first.items.map((item) => [
				item.json.optionName,
				item.json.trackingOptionId,
				item.json.action,
			]),
		).toEqual([
			['Boiler Repair', idOf('Boiler Repair'), 'created'],
			['solar', idOf('solar'), 'created'],
			['Plumbing', expect.any(String), 'found'],
			['Boiler Repair', idOf('Boiler Repair'), 'created'],
			['solar', idOf('solar'), 'created'],
			['Boiler Repair', idOf('Boiler Repair'), 'created'],
		]);

		xero.clearCalls();
		const second = await run(ensure(), units);
		expect(second.items.every((item) => item.json.action === 'found')).toBe(true);
		expect(writes()).toEqual([]);
		expect(category('Business Unit').Options).toHaveLength(6);
	});

	it('reads through the organisation settings cache: options all there cost no call; anything else is read again before a write', async () => {
		await start();
		const first = await run(ensure(), ['Plumbing', 'Heating']);
		expect(first.error).toBeUndefined();
		expect(calls()).toEqual(['GET /TrackingCategories']);

		// Every option exists and is active in the cached list: answered without calling Xero.
		xero.clearCalls();
		const cached = await run(ensure(), ['heating', 'Plumbing']);
		expect(cached.items.map((item) => item.json.action)).toEqual(['found', 'found']);
		expect(calls()).toEqual([]);

		// Someone adds "Solar" in Xero (not through this process): the cache does not know it. The run re-reads
		// before deciding to create, finds it, and writes nothing (a stale cache never causes a write).
		const businessUnit = category('Business Unit');
		await xeroCall('PUT', `/TrackingCategories/${businessUnit.TrackingCategoryID}/Options`, {
			Name: 'Solar',
		});
		xero.clearCalls();
		const added = await run(ensure(), ['Solar', 'Plumbing']);
		expect(added.error).toBeUndefined();
		expect(added.items.map((item) => item.json.action)).toEqual(['found', 'found']);
		expect(calls()).toEqual(['GET /TrackingCategories']);
		expect(category('Business Unit').Options.filter((o) => o.Name === 'Solar')).toHaveLength(1);

		// Its own write drops the cached list: the next run reads Xero again and sees what was created.
		xero.clearCalls();
		await run(ensure(), ['Boiler Repair']);
		expect(writes()).toEqual([
			`PUT /TrackingCategories/${businessUnit.TrackingCategoryID}/Options`,
		]);
		xero.clearCalls();
		const after = await run(ensure(), ['Boiler Repair']);
		expect(after.items[0].json.action).toBe('found');
		expect(calls()).toEqual(['GET /TrackingCategories']);
	});

	it('takes the category by ID; an unknown ID or a missing category fails the item naming the field and the fix', async () => {
		await start();
		const region = category('Region');
		const byId = await run(ensure({ trackingCategory: region.TrackingCategoryID }), ['North']);
		expect(byId.items[0].json).toMatchObject({
			categoryName: 'Region',
			optionName: 'North',
			action: 'found',
		});

		const unknown = await run(
			ensure({ trackingCategory: '00000000-0000-4000-8000-000000000000' }),
			['North'],
			{ continueOnFail: true },
		);
		expect(unknown.items[0].json.error).toMatch(/^No tracking category has the ID 00000000-/);
		expect((unknown.items[0].json.details as IDataObject).description).toMatch(
			/^Item 0, "Tracking Category Name or ID"\. Fix: choose the category from the list/,
		);

		xero.clearCalls();
		const missing = await run(ensure({ trackingCategory: 'Department' }), ['Sales']);
		expect(missing.error?.message).toMatch(
			/^Tracking category "Department" does not exist in Xero \(active: Business Unit/,
		);
		expect(missing.error?.description).toMatch(
			/Item 0, "Tracking Category Name or ID"\. Fix: .*Create Missing Category/,
		);
		expect(writes()).toEqual([]);

		// Creating it is refused while two categories are active (Xero's limit), before any write.
		const tooMany = await run(
			ensure({ trackingCategory: 'Department', options: { createMissingCategory: true } }),
			['Sales'],
			{ continueOnFail: true },
		);
		expect(tooMany.items[0].json.error).toMatch(
			/cannot be created: Xero allows 2 active tracking categories/,
		);
		expect(writes()).toEqual([]);

		await xeroCall('POST', `/TrackingCategories/${region.TrackingCategoryID}`, {
			Status: 'ARCHIVED',
		});
		xero.clearCalls();
		const created = await run(
			ensure({ trackingCategory: 'Department', options: { createMissingCategory: true } }),
			['Sales', 'Service', 'sales'],
		);
		expect(created.error).toBeUndefined();
		expect(
			created.items.map((item) => [item.json.categoryName, item.json.optionName, item.json.action]),
		).toEqual([
			['Department', 'Sales', 'created'],
			['Department', 'Service', 'created'],
			['Department', 'Sales', 'created'],
		]);
		const department = category('Department');
		expect(writes()).toEqual([
			'PUT /TrackingCategories',
			`PUT /TrackingCategories/${department.TrackingCategoryID}/Options`,
			`PUT /TrackingCategories/${department.TrackingCategoryID}/Options`,
		]);
		expect(department.Options.map((o) => o.Name)).toEqual(['Sales', 'Service']);
	});

	it('over the option cap: a clear error per refused item; without Continue On Fail nothing is written', async () => {
		await start({ trackingOptionCap: 5 }); // Business Unit holds 4
		const items = ['Solar', 'Heat Pumps', 'Plumbing', 'Drainage'];

		const stopped = await run(ensure({ options: { trackingOptionCap: 5 } }), items);
		expect(stopped.error?.message).toMatch(
			/^Tracking option "Heat Pumps" cannot be added: category "Business Unit" already has 5 options and the limit is 5$/,
		);
		expect(stopped.error?.description).toMatch(
			/^Item 1, "Option Name" \("Heat Pumps"\)\. Fix: in Xero \(Settings → Tracking\) delete options that were never used, or map the value to an existing option\.$/,
		);
		expect(writes()).toEqual([]);
		expect(category('Business Unit').Options).toHaveLength(4);

		const kept = await run(ensure({ options: { trackingOptionCap: 5 } }), items, {
			continueOnFail: true,
		});
		expect(kept.error).toBeUndefined();
		expect(kept.items.map((item) => item.json.action ?? item.json.error)).toEqual([
			'created',
			expect.stringMatching(/^Tracking option "Heat Pumps" cannot be added/),
			'found',
			expect.stringMatching(/^Tracking option "Drainage" cannot be added/),
		]);
		expect((kept.items[3].json.details as IDataObject).description).toMatch(
			/^Item 3, "Option Name" \("Drainage"\)/,
		);
		expect(kept.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3].map((item) => ({ item })),
		);
		expect(category('Business Unit').Options.map((o) => o.Name)).toContain('Solar');

		// The node's limit above the organisation's: Xero's own refusal reaches each item of that option's PUT.
		xero.clearCalls();
		const refused = await run(ensure(), ['Drainage', 'Gutters', 'Drainage'], {
			continueOnFail: true,
		});
		expect(writes()).toHaveLength(2);
		for (const [i, item] of refused.items.entries()) {
			expect(item.json.error).toMatch(
				/^Xero refused to add tracking option "(Drainage|Gutters)" to "Business Unit": /,
			);
			expect((item.json.details as IDataObject).description).toMatch(
				/\. Fix: check the category and its options in Xero \(Settings → Tracking\), then run the item again\.$/,
			);
			expect(String(item.json.error)).toMatch(/at most 5 options/);
			expect((item.json.details as IDataObject).description).toMatch(
				new RegExp(`^Item ${i}, "Option Name"`),
			);
		}
		expect(category('Business Unit').Options).toHaveLength(5);
	});

	it('archived options count toward the option limit as at Xero: refused before writing, not by Xero after', async () => {
		await start({ trackingOptionCap: 5 }); // Xero's limit in this organisation; Business Unit holds 4
		await archiveOption('Business Unit', 'Gas Safety'); // 3 active + 1 archived
		const result = await run(ensure({ options: { trackingOptionCap: 5 } }), ['Solar', 'Drainage'], {
			continueOnFail: true,
		});
		expect(result.items[0].json.action).toBe('created');
		expect(result.items[1].json.error).toBe(
			'Tracking option "Drainage" cannot be added: category "Business Unit" already has 5 options (1 of them archived, which Xero still counts) and the limit is 5',
		);
		expect((result.items[1].json.details as IDataObject).description).toBe(
			'Item 1, "Option Name" ("Drainage"). Fix: in Xero (Settings → Tracking) delete options that were never used, or map the value to an existing option.',
		);
		// Only Solar was sent, and Xero took it: nothing was left for Xero to refuse.
		expect(writes()).toEqual([
			`PUT /TrackingCategories/${category('Business Unit').TrackingCategoryID}/Options`,
		]);
		expect(xero.calls().filter((call) => call.status === 400)).toEqual([]);
	});

	it('every failure names one problem and one fix, never "see above" or a doubled "Fix:"', async () => {
		await start({ trackingOptionCap: 4 });
		await archiveOption('Business Unit', 'Gas Safety');
		const result = await run(
			ensure(),
			['gas safety', 'x'.repeat(101), 'Solar'], // archived; too long; refused by Xero (its limit is 4)
			{ continueOnFail: true },
		);
		const descriptions = result.items.map((item) =>
			String((item.json.details as IDataObject).description),
		);
		for (const description of descriptions) {
			expect(description.match(/Fix:/g)).toHaveLength(1);
			expect(description).not.toMatch(/see above|Fix:\s*\.|\.\.$/i);
			expect(description).toMatch(/\. Fix: [^.].*\.$/);
		}
		expect(result.items[2].json.error).toMatch(
			/^Xero refused to add tracking option "Solar" to "Business Unit": .*at most 4 options$/,
		);
	});

	it('an archived option fails the item unless it may be restored; restored once, never duplicated', async () => {
		await start();
		const archivedId = await archiveOption('Business Unit', 'Gas Safety');

		const refused = await run(ensure(), ['gas safety'], { continueOnFail: true });
		expect(refused.items[0].json.error).toBe(
			'Tracking option "Gas Safety" of "Business Unit" is archived in Xero',
		);
		expect((refused.items[0].json.details as IDataObject).description).toMatch(
			/^Item 0, "Option Name" \("gas safety"\)\. Fix: restore the option in Xero/,
		);
		expect(writes()).toEqual([]);

		const restored = await run(ensure({ options: { restoreArchivedOption: true } }), [
			'Gas Safety',
			'GAS SAFETY',
			'Plumbing',
		]);
		expect(restored.error).toBeUndefined();
		expect(restored.items.map((item) => [item.json.trackingOptionId, item.json.action])).toEqual([
			[archivedId, 'restored'],
			[archivedId, 'restored'],
			[expect.any(String), 'found'],
		]);
		const businessUnit = category('Business Unit');
		expect(writes()).toEqual([
			`POST /TrackingCategories/${businessUnit.TrackingCategoryID}/Options/${archivedId}`,
		]);
		expect(businessUnit.Options.filter((o) => o.Name === 'Gas Safety')).toEqual([
			{ TrackingOptionID: archivedId, Name: 'Gas Safety', Status: 'ACTIVE' },
		]);
	});

	it('refuses an empty or over-long option name naming the item and the field', async () => {
		await start();
		const result = await run(ensure(), ['', 'x'.repeat(101), 'Heating'], { continueOnFail: true });
		expect(result.items[0].json.error).toBe('"Option Name" is empty');
		expect((result.items[0].json.details as IDataObject).description).toBe(
			'Item 0 needs a value for "Option Name".',
		);
		expect(result.items[1].json.error).toMatch(/is longer than 100 characters$/);
		expect((result.items[1].json.details as IDataObject).description).toMatch(
			/^Item 1, "Option Name" .*Fix: shorten/,
		);
		expect(result.items[2].json.action).toBe('found');
		expect(writes()).toEqual([]);

		// With an error output, n8n routes the refused items there, each merged with its input item.
		const routed = await run(ensure(), ['', 'x'.repeat(101), 'Heating'], { errorOutput: true });
		expect(routed.outputs[0].map((item) => item.json.optionName)).toEqual(['Heating']);
		expect(routed.outputs[1].map((item) => [item.json.category, item.json.error])).toEqual([
			['', '"Option Name" is empty'],
			['x'.repeat(101), expect.stringMatching(/is longer than 100 characters$/)],
		]);
	});
});
