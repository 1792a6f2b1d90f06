import { describe, expect, it } from 'vitest';

import {
	assignLineItemIds,
	classifyExisting,
	effectiveStatus,
	isInvoiceUnchanged,
	mapInvoice,
	xeroDateToIso,
	type InvoiceMappingOptions,
} from '../../nodes/Xero/mapping/invoice';
import { chunkForUrl, whereAnyEquals } from '../../nodes/Xero/mapping/lookup';
import { roundTo } from '../../nodes/Xero/mapping/money';
import { buildVatMap, resolveTaxType } from '../../nodes/Xero/mapping/tax';
import type { CommusoftInvoiceInput, XeroInvoice } from '../../nodes/Xero/mapping/types';

function invoice(overrides: Partial<CommusoftInvoiceInput> = {}): CommusoftInvoiceInput {
	return {
		id: 'inv-uuid-1',
		invoiceNumber: 'CS-10042',
		reference: 'JOB-2291',
		date: '2026-11-02',
		dueDate: '2026-12-02',
		status: 'raised',
		currency: 'GBP',
		amountsAre: 'exclusive',
		category: 'Plumbing',
		url: 'https://app.commusoft.test/invoices/inv-uuid-1',
		lines: [
			{
				id: 'L1',
				description: 'Labour',
				quantity: 1.5,
				unitPrice: 45,
				nominalCode: '200',
				vatRate: '20%',
			},
			{
				id: 'L2',
				description: 'Valve',
				quantity: 2,
				unitPrice: 12.34567,
				nominalCode: '210',
				vatRate: '5%',
				itemCode: 'VALVE-15',
			},
			{
				id: 'L3',
				description: 'Disposal',
				quantity: 1,
				unitPrice: 10,
				nominalCode: '220',
				vatRate: 'Exempt',
				discountRate: 10,
			},
		],
		customer: {
			id: 'c1',
			accountReference: 'CUS-00012',
			firstName: 'Ann',
			lastName: 'Lee',
			customerType: 'private',
		},
		...overrides,
	};
}

const options = (overrides: Partial<InvoiceMappingOptions> = {}): InvoiceMappingOptions => ({
	status: 'AUTHORISED',
	vatMap: buildVatMap(),
	tracking: [{ category: 'Business Unit', option: 'Plumbing' }],
	matchOn: 'invoiceNumber',
	...overrides,
});

describe('mapInvoice', () => {
	it('maps a Commusoft invoice to an ACCREC payload with per-line account, tax, 4 dp and tracking', () => {
		const { payload, issues, matchKey } = mapInvoice(invoice(), options());
		expect(matchKey).toBe('CS-10042');
		expect(payload).toMatchObject({
			Type: 'ACCREC',
			InvoiceNumber: 'CS-10042',
			Reference: 'JOB-2291',
			Date: '2026-11-02',
			DueDate: '2026-12-02',
			LineAmountTypes: 'Exclusive',
			CurrencyCode: 'GBP',
			Status: 'AUTHORISED',
			Url: 'https://app.commusoft.test/invoices/inv-uuid-1',
		});
		expect(payload.LineItems.map((l) => [l.AccountCode, l.TaxType])).toEqual([
			['200', 'OUTPUT2'],
			['210', 'RROUTPUT'],
			['220', 'EXEMPTOUTPUT'],
		]);
		expect(payload.LineItems[0].Quantity).toBe(1.5);
		expect(payload.LineItems[1].UnitAmount).toBe(12.3457);
		expect(payload.LineItems[1].ItemCode).toBe('VALVE-15');
		expect(payload.LineItems[2].DiscountRate).toBe(10);
		expect(payload.LineItems[0].Tracking).toEqual([{ Name: 'Business Unit', Option: 'Plumbing' }]);
		// the 5th decimal is rounded and said so, but it is not an error
		expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
		expect(issues.some((i) => i.line === 2 && i.field.startsWith('UnitAmount'))).toBe(true);
	});

	it('lets an explicit line taxType win over the VAT label and a user VAT map override the UK default', () => {
		const map = buildVatMap([{ label: '20 %', taxType: 'OUTPUT3' }]);
		expect(resolveTaxType({ vatRate: '20%' }, map)).toEqual({
			ok: true,
			taxType: 'OUTPUT3',
			source: 'vatMap',
		});
		expect(resolveTaxType({ vatRate: '20%', taxType: 'ZERORATEDOUTPUT' }, map)).toMatchObject({
			taxType: 'ZERORATEDOUTPUT',
		});
		expect(resolveTaxType({ vatRate: 'No VAT' }, map)).toMatchObject({ taxType: 'NONE' });
		expect(resolveTaxType({ vatRate: '17.5%' }, map)).toEqual({ ok: false, label: '17.5%' });
	});

	it('uses NONE on every line of a NoTax invoice and Inclusive for inclusive amounts', () => {
		expect(
			mapInvoice(invoice({ amountsAre: 'noTax' }), options()).payload.LineItems.every(
				(l) => l.TaxType === 'NONE',
			),
		).toBe(true);
		expect(
			mapInvoice(invoice({ amountsAre: 'inclusive' }), options()).payload.LineAmountTypes,
		).toBe('Inclusive');
	});

	it('reports each bad field naming the line and the fix', () => {
		const bad = invoice({
			invoiceNumber: '',
			date: '2026-02-30',
			dueDate: 'soon',
			currency: 'pounds',
			lines: [
				{
					id: 'A',
					description: 'ok',
					quantity: 'two',
					unitPrice: 5,
					nominalCode: '200',
					vatRate: '20%',
				},
				{ id: 'B', description: 'x', quantity: 1, unitPrice: 5, nominalCode: '', vatRate: '17.5%' },
				{ id: 'C' },
				{
					id: 'D',
					description: 'y',
					quantity: 1,
					unitPrice: 1,
					nominalCode: '200',
					vatRate: '20%',
					discountRate: 150,
				},
			],
		});
		const { issues } = mapInvoice(bad, options());
		const errors = issues.filter((i) => i.severity === 'error');
		const find = (line: number | undefined, field: string) =>
			errors.find((i) => i.line === line && i.field.startsWith(field));
		expect(find(undefined, 'InvoiceNumber')?.fix).toMatch(/invoice number/);
		expect(find(undefined, 'Date')?.message).toMatch(/2026-02-30/);
		expect(find(undefined, 'DueDate')).toBeDefined();
		expect(find(undefined, 'CurrencyCode')).toBeDefined();
		expect(find(1, 'Quantity')?.message).toMatch(/two/);
		expect(find(2, 'AccountCode')?.lineId).toBe('B');
		expect(find(2, 'TaxType')?.fix).toMatch(/VAT Rate Map/);
		expect(find(3, 'LineItems')?.message).toMatch(/empty/);
		expect(find(4, 'DiscountRate')).toBeDefined();
		expect(
			mapInvoice(invoice({ lines: [] }), options()).issues.some((i) =>
				i.field.startsWith('LineItems'),
			),
		).toBe(true);
	});

	it('refuses more than two tracking entries on a line and trims names', () => {
		const input = invoice();
		input.lines![0].tracking = [
			{ category: ' Region ', option: 'North  ' },
			{ category: 'Engineer', option: 'Bob' },
		];
		const { payload, issues } = mapInvoice(input, options());
		expect(payload.LineItems[0].Tracking?.[1]).toEqual({ Name: 'Region', Option: 'North' });
		expect(issues.find((i) => i.line === 1 && i.field === 'Tracking')?.message).toMatch(
			/3 tracking entries/,
		);
		expect(issues.some((i) => i.line === 2 && i.field === 'Tracking')).toBe(false);
	});

	it('matches on Reference when asked and flags a cancelled invoice', () => {
		const mapped = mapInvoice(invoice({ status: 'cancelled' }), options({ matchOn: 'reference' }));
		expect(mapped.matchKey).toBe('JOB-2291');
		expect(mapped.cancelled).toBe(true);
	});
});

describe('numbers and dates', () => {
	it('rounds half away from zero at 4 dp without binary drift', () => {
		expect(roundTo(1.00005, 4)).toBe(1.0001);
		expect(roundTo(-1.00005, 4)).toBe(-1.0001);
		expect(roundTo(0.1648, 4)).toBe(0.1648);
	});
	it('reads Xero /Date()/ and ISO forms', () => {
		expect(xeroDateToIso('/Date(1762041600000+0000)/')).toBe('2025-11-02');
		expect(xeroDateToIso('2026-11-02T00:00:00')).toBe('2026-11-02');
	});
});

describe('existing invoices', () => {
	it('refuses paid, part-paid, credited, voided and deleted invoices with a reason', () => {
		expect(classifyExisting({ InvoiceID: '1', Status: 'PAID' })).toMatchObject({
			editable: false,
			reason: expect.stringMatching(/paid/),
		});
		expect(
			classifyExisting({ InvoiceID: '1', Status: 'AUTHORISED', AmountPaid: 10 }),
		).toMatchObject({ reason: expect.stringMatching(/part-paid/) });
		expect(
			classifyExisting({ InvoiceID: '1', Status: 'AUTHORISED', AmountCredited: 5 }),
		).toMatchObject({ editable: false });
		expect(classifyExisting({ InvoiceID: '1', Status: 'VOIDED' })).toMatchObject({
			reason: expect.stringMatching(/voided/),
		});
		expect(classifyExisting({ InvoiceID: '1', Status: 'DELETED' })).toMatchObject({
			editable: false,
		});
		expect(classifyExisting({ InvoiceID: '1', Status: 'AUTHORISED', AmountPaid: 0 })).toEqual({
			editable: true,
		});
	});

	it('never lowers the status of an approved invoice', () => {
		expect(effectiveStatus('DRAFT', 'AUTHORISED')).toBe('AUTHORISED');
		expect(effectiveStatus('AUTHORISED', 'DRAFT')).toBe('AUTHORISED');
		expect(effectiveStatus('SUBMITTED', 'DRAFT')).toBe('SUBMITTED');
	});

	it('keeps LineItemIDs by content first, then by position, and drops removed lines', () => {
		const existing = [
			{ LineItemID: 'x1', Description: 'Labour', AccountCode: '200' },
			{ LineItemID: 'x2', Description: 'Valve', AccountCode: '210', ItemCode: 'V' },
			{ LineItemID: 'x3', Description: 'Old part', AccountCode: '210' },
		];
		// reordered, one description edited, one line removed, one added
		const desired = [
			{ Description: 'Valve', AccountCode: '210', ItemCode: 'V', UnitAmount: 99 },
			{ Description: 'Labour (2h)', AccountCode: '200' },
			{ Description: 'Labour', AccountCode: '200' },
		];
		expect(assignLineItemIds(desired, existing).map((l) => l.LineItemID)).toEqual([
			'x2',
			'x3',
			'x1',
		]);
		const added = [...desired, { Description: 'New', AccountCode: '200' }];
		expect(assignLineItemIds(added, existing).map((l) => l.LineItemID)).toEqual([
			'x2',
			'x3',
			'x1',
			undefined,
		]);
		expect(assignLineItemIds(desired.slice(0, 1), existing).map((l) => l.LineItemID)).toEqual([
			'x2',
		]);
	});

	it('detects an unchanged invoice and any single changed field', () => {
		const { payload } = mapInvoice(invoice(), options());
		payload.Contact = { ContactID: 'c-1' };
		const existing: XeroInvoice = {
			InvoiceID: 'i-1',
			InvoiceNumber: 'CS-10042',
			Reference: 'JOB-2291',
			Date: '/Date(1793577600000+0000)/',
			DateString: '2026-11-02T00:00:00',
			DueDateString: '2026-12-02T00:00:00',
			Status: 'AUTHORISED',
			LineAmountTypes: 'Exclusive',
			CurrencyCode: 'GBP',
			Url: payload.Url,
			Contact: { ContactID: 'c-1' },
			LineItems: payload.LineItems.map((l, i) => ({
				...l,
				LineItemID: `x${i}`,
				Tracking: l.Tracking?.map((t) => ({ ...t, TrackingCategoryID: 't' })),
			})),
		};
		const withIds = {
			...payload,
			InvoiceID: 'i-1',
			LineItems: assignLineItemIds(payload.LineItems, existing.LineItems),
		};
		expect(isInvoiceUnchanged(withIds, existing)).toBe(true);
		expect(isInvoiceUnchanged({ ...withIds, Contact: { ContactID: 'c-2' } }, existing)).toBe(false);
		expect(isInvoiceUnchanged({ ...withIds, DueDate: '2026-12-03' }, existing)).toBe(false);
		const moreQty = withIds.LineItems.map((l, i) => (i === 1 ? { ...l, Quantity: 3 } : l));
		expect(isInvoiceUnchanged({ ...withIds, LineItems: moreQty }, existing)).toBe(false);
		const otherOption = withIds.LineItems.map((l, i) =>
			i === 2 ? { ...l, Tracking: [{ Name: 'Business Unit', Option: 'Gas' }] } : l,
		);
		expect(isInvoiceUnchanged({ ...withIds, LineItems: otherOption }, existing)).toBe(false);
	});
});

describe('batched look-ups', () => {
	it('cuts key lists by URL budget and count', () => {
		const keys = Array.from({ length: 500 }, (_, i) => `CS-${10000 + i}`);
		const chunks = chunkForUrl(keys);
		expect(chunks.flat()).toEqual(keys);
		for (const c of chunks)
			expect(
				c.map((k) => encodeURIComponent(k).length + 3).reduce((a, b) => a + b, 0),
			).toBeLessThanOrEqual(40 * 37);
		const guids = Array.from(
			{ length: 100 },
			(_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
		);
		expect(Math.max(...chunkForUrl(guids).map((c) => c.length))).toBeLessThanOrEqual(40);
		expect(chunkForUrl(['a', 'a', 'b'])).toEqual([['a', 'b']]);
	});
	it('escapes quotes in where clauses', () => {
		expect(whereAnyEquals([['Name', 'O"Brien \\ Co']])).toBe('Name=="O\\"Brien \\\\ Co"');
	});
});
