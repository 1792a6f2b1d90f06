import { describe, expect, it } from 'vitest';

import { mapInvoice } from '../../nodes/Xero/mapping/invoice';
import { buildVatMap } from '../../nodes/Xero/mapping/tax';
import { buildTrackingIndex, pairKey } from '../../nodes/Xero/mapping/tracking';
import type { CommusoftInvoiceInput, XeroInvoice } from '../../nodes/Xero/mapping/types';
import { planInvoiceItem, type ItemPlanInput } from '../../nodes/Xero/mapping/upsertPlan';
import { buildTenantReference } from '../../nodes/Xero/mapping/validation';

const input: CommusoftInvoiceInput = {
	invoiceNumber: 'CS-1',
	date: '2026-11-02',
	currency: 'GBP',
	amountsAre: 'exclusive',
	lines: [
		{
			id: 'a',
			description: 'Labour',
			quantity: 2,
			unitPrice: 40,
			nominalCode: '210',
			vatRate: '20%',
		},
		{
			id: 'b',
			description: 'Valve',
			quantity: 1,
			unitPrice: 9.5,
			nominalCode: '220',
			vatRate: '20%',
		},
	],
};
const tracking = buildTrackingIndex([
	{
		TrackingCategoryID: 'c1',
		Name: 'Business Unit',
		Status: 'ACTIVE',
		Options: [{ TrackingOptionID: 'o1', Name: 'Plumbing', Status: 'ACTIVE' }],
	},
]);
const tenant = buildTenantReference(
	[
		{ Code: '210', Class: 'REVENUE', Status: 'ACTIVE' },
		{ Code: '220', Class: 'REVENUE', Status: 'ACTIVE' },
	],
	[{ TaxType: 'OUTPUT2', Status: 'ACTIVE', CanApplyToRevenue: true }],
);

function plan(overrides: Partial<ItemPlanInput> = {}, category = 'plumbing') {
	const mapped = mapInvoice(input, {
		status: 'AUTHORISED',
		vatMap: buildVatMap(),
		tracking: [{ category: 'Business Unit', option: category }],
		matchOn: 'invoiceNumber',
	});
	return planInvoiceItem({
		mapped,
		lineIds: ['a', 'b'],
		status: 'AUTHORISED',
		contactId: 'k1',
		trackingIndex: tracking,
		tenant,
		...overrides,
	});
}

function asExisting(
	payload: { LineItems: object[] } & object,
	extra: Partial<XeroInvoice> = {},
): XeroInvoice {
	return {
		...(payload as XeroInvoice),
		InvoiceID: 'inv-1',
		Contact: { ContactID: 'k1' },
		LineItems: (payload.LineItems as XeroInvoice['LineItems'])!.map((l, i) => ({
			...l,
			LineItemID: `L${i}`,
		})),
		...extra,
	};
}

describe('planInvoiceItem', () => {
	it('creates with resolved tracking IDs and the contact', () => {
		const result = plan();
		expect(result.kind).toBe('write');
		if (result.kind !== 'write' || !('LineItems' in result.payload))
			throw new Error('expected a full write');
		expect(result.action).toBe('created');
		expect(result.payload.Contact).toEqual({ ContactID: 'k1' });
		expect(result.payload.LineItems[0].Tracking).toEqual([
			{
				Name: 'Business Unit',
				Option: 'Plumbing',
				TrackingCategoryID: 'c1',
				TrackingOptionID: 'o1',
			},
		]);
	});

	it('is unchanged when Xero holds the same invoice, updated with the same line ids otherwise', () => {
		const created = plan();
		if (created.kind !== 'write') throw new Error('expected a write');
		const existing = asExisting(created.payload as { LineItems: object[] });
		expect(plan({ existing }).kind).toBe('unchanged');
		const moved = plan({ existing, contactId: 'k2' });
		expect(moved).toMatchObject({
			kind: 'write',
			action: 'updated',
			payload: { InvoiceID: 'inv-1', Contact: { ContactID: 'k2' } },
		});
		if (moved.kind === 'write' && 'LineItems' in moved.payload)
			expect(moved.payload.LineItems.map((l) => l.LineItemID)).toEqual(['L0', 'L1']);
	});

	it('refuses a paid invoice before looking at anything else', () => {
		const result = plan({ existing: { InvoiceID: 'x', Status: 'PAID' } }, 'Unknown');
		expect(result).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/paid/) });
	});

	it('reports unresolvable tracking with the planner reason, per line', () => {
		const reason = 'tracking option "Solar" does not exist';
		const result = plan(
			{ trackingErrors: new Map([[pairKey('Business Unit', 'Solar'), reason]]) },
			'Solar',
		);
		expect(result.kind).toBe('invalid');
		if (result.kind === 'invalid')
			expect(result.issues.filter((i) => i.message === reason).map((i) => i.line)).toEqual([1, 2]);
	});
});
