// Every write the Xero Accounting node makes, through each of its write operations, follows the spec's
// documented request body (the sandbox refuses anything else) and carries an Idempotency-Key, so a retry or a
// re-run can never write twice (https://developer.xero.com/documentation/guides/idempotent-requests/).
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { customer, invoice } from '../../bench/lib/invoiceFixtures';
import type { CallLogEntry } from '../../sandbox/xero/types';
import { runNode } from '../helpers/n8nCore';
import { startXeroFixture, type XeroFixture } from '../helpers/xeroSandbox';

let fixture: XeroFixture;
/** Every Accounting API write the node made in this file, by the operation that made it. */
const writes: Array<{ operation: string; call: CallLogEntry }> = [];

beforeAll(async () => {
	fixture = await startXeroFixture({ tokenLifetimeSec: 3600 });
});
afterAll(async () => await fixture.close());

async function run(operation: string, parameters: IDataObject, items: IDataObject[] = [{}]) {
	fixture.xero.clearCalls();
	const result = await runNode(
		'xeroAccounting',
		{ tenantId: fixture.tenantId, ...parameters } as INodeParameters,
		items.map((json) => ({ json })),
		fixture.credentials,
	);
	expect(result.error).toBeUndefined();
	for (const call of fixture.xero.calls())
		if (call.path.includes('/api.xro/2.0/') && (call.method === 'PUT' || call.method === 'POST'))
			writes.push({ operation, call });
	return result;
}

const upsert = (options: IDataObject = {}): IDataObject => ({
	resource: 'invoice',
	operation: 'upsert',
	invoiceSource: 'item',
	matchOn: 'invoiceNumber',
	status: 'AUTHORISED',
	contactFallback: 'email',
	tracking: { mapping: [{ category: 'Business Unit', option: '={{ $json.category }}' }] },
	options: { createTrackingOptions: true, ...options },
});

const ensure = (options: IDataObject = {}): IDataObject => ({
	resource: 'tracking',
	operation: 'ensureOption',
	trackingCategory: '={{ $json.categoryName }}',
	optionName: '={{ $json.option }}',
	options,
});

describe('Xero Accounting node: every write follows the spec and carries an Idempotency-Key', () => {
	it('runs each write operation through its create, update, restore and void paths', async () => {
		const cust = customer(5);
		const items = [invoice(1, cust, { unit: 'Solar' }), invoice(2, customer(6))];
		const created = await run(
			'invoice → upsert (create)',
			upsert(),
			items as unknown as IDataObject[],
		);
		expect(created.items.map((i) => i.json.action)).toEqual(['created', 'created']);
		const changed = invoice(1, cust, { unit: 'Solar', variant: 1 });
		const updated = await run('invoice → upsert (update)', upsert(), [
			changed as unknown as IDataObject,
		]);
		expect(updated.items[0].json.action).toBe('updated');
		const cancelled = await run('invoice → upsert (cancel)', upsert(), [
			{ ...changed, status: 'cancelled' } as unknown as IDataObject,
		]);
		expect(cancelled.items[0].json.status).toBe('VOIDED');
		const voided = await run('invoice → void', {
			resource: 'invoice',
			operation: 'void',
			lookupBy: 'id',
			invoiceId: String(created.items[1].json.invoiceId),
		});
		expect(voided.items).toHaveLength(1);

		const person = customer(7, { accountReference: 'WRITES-7' });
		await run('contact → sync (create)', { resource: 'contact', operation: 'sync' }, [
			person as unknown as IDataObject,
		]);
		await run('contact → sync (update)', { resource: 'contact', operation: 'sync' }, [
			{ ...person, email: 'changed.writes@example.test' } as unknown as IDataObject,
		]);

		// A free category slot, and an archived option to restore (set up directly, not by the node).
		const state = () => fixture.xero.state(fixture.tenantId);
		const region = state().trackingCategories.find((c) => c.Name === 'Region')!;
		await fixture.xeroCall('POST', `/TrackingCategories/${region.TrackingCategoryID}`, {
			Status: 'ARCHIVED',
		});
		const unit = state().trackingCategories.find((c) => c.Name === 'Business Unit')!;
		const archived = unit.Options.find((o) => o.Status === 'ACTIVE' && o.Name !== 'Solar')!;
		await fixture.xeroCall(
			'POST',
			`/TrackingCategories/${unit.TrackingCategoryID}/Options/${archived.TrackingOptionID}`,
			{
				Status: 'ARCHIVED',
			},
		);
		const ensured = await run(
			'tracking → ensureOption',
			ensure({ createMissingCategory: true, restoreArchivedOption: true }),
			[
				{ categoryName: 'Department', option: 'Sales' },
				{ categoryName: 'Department', option: 'Service' },
				{ categoryName: 'Business Unit', option: archived.Name },
				{ categoryName: 'Business Unit', option: 'Drainage' },
			],
		);
		expect(ensured.items.map((i) => i.json.action)).toEqual([
			'created',
			'created',
			'restored',
			'created',
		]);

		// Each write path was exercised ...
		expect([...new Set(writes.map((w) => w.call.endpoint))].sort()).toEqual(
			[
				'POST /Contacts',
				'POST /Invoices',
				'POST /Invoices/{InvoiceID}',
				'PUT /Contacts',
				// an invoice number the process has not seen is created without a look-up (docs/xero-budget.md)
				'PUT /Invoices',
				'PUT /TrackingCategories',
				'PUT /TrackingCategories/{TrackingCategoryID}/Options',
				'POST /TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}',
			].sort(),
		);
		// ... and none was refused for its shape or went without an Idempotency-Key.
		const summary = writes.map(({ operation, call }) => ({
			operation,
			endpoint: call.endpoint,
			status: call.status,
			requestErrors: call.requestErrors,
			key: call.idempotencyKey,
		}));
		expect(summary).toEqual(
			summary.map(({ operation, endpoint }) => ({
				operation,
				endpoint,
				status: 200,
				requestErrors: undefined,
				key: expect.stringMatching(/^n8n-cx-[0-9a-f]{64}$/),
			})),
		);
		expect(fixture.xero.schemaErrors()).toEqual([]);
	});
});
