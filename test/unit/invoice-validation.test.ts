import { describe, expect, it } from 'vitest';

import { mapInvoice } from '../../nodes/Xero/mapping/invoice';
import { buildVatMap } from '../../nodes/Xero/mapping/tax';
import {
	applyItemCodePolicy,
	buildTenantReference,
	formatIssue,
	validateAgainstTenant,
} from '../../nodes/Xero/mapping/validation';
import type { XeroAccount, XeroTaxRate } from '../../nodes/Xero/mapping/types';

const accounts: XeroAccount[] = [
	{ Code: '200', Name: 'Sales', Type: 'REVENUE', Class: 'REVENUE', Status: 'ACTIVE' },
	{ Code: '210', Name: 'Old sales', Type: 'REVENUE', Class: 'REVENUE', Status: 'ARCHIVED' },
	{ Code: '090', Name: 'Bank', Type: 'BANK', Class: 'ASSET', Status: 'ACTIVE' },
	{
		Code: '610',
		Name: 'Debtors',
		Type: 'CURRENT',
		Class: 'ASSET',
		Status: 'ACTIVE',
		SystemAccount: 'DEBTORS',
	},
	{ Code: '400', Name: 'Advertising', Type: 'EXPENSE', Class: 'EXPENSE', Status: 'ACTIVE' },
];
const taxRates: XeroTaxRate[] = [
	{
		TaxType: 'OUTPUT2',
		Name: '20% (VAT on Income)',
		Status: 'ACTIVE',
		CanApplyToRevenue: true,
		CanApplyToExpenses: false,
	},
	{
		TaxType: 'INPUT2',
		Name: '20% (VAT on Expenses)',
		Status: 'ACTIVE',
		CanApplyToRevenue: false,
		CanApplyToExpenses: true,
	},
	{ TaxType: 'RROUTPUT', Name: '5%', Status: 'DELETED' },
];

function lines(spec: Array<[string, string]>) {
	return spec.map(([code, tax], i) => ({
		id: `L${i + 1}`,
		description: `line ${i + 1}`,
		quantity: 1,
		unitPrice: 10,
		nominalCode: code,
		taxType: tax,
	}));
}

describe('validateAgainstTenant', () => {
	const tenant = buildTenantReference(accounts, taxRates);
	const check = (spec: Array<[string, string]>) => {
		const input = { invoiceNumber: 'CS-1', date: '2026-01-01', lines: lines(spec) };
		const { payload } = mapInvoice(input, {
			status: 'DRAFT',
			vatMap: buildVatMap(),
			tracking: [],
			matchOn: 'invoiceNumber',
		});
		return validateAgainstTenant(
			payload,
			input.lines.map((l) => l.id),
			tenant,
		);
	};

	it('accepts an active revenue account with a sales tax type', () => {
		expect(check([['200', 'OUTPUT2']])).toEqual([]);
	});

	it('names the line, the field and the fix for each bad account or tax type', () => {
		const issues = check([
			['999', 'OUTPUT2'],
			['210', 'OUTPUT2'],
			['090', 'OUTPUT2'],
			['610', 'OUTPUT2'],
			['200', 'INPUT2'],
			['200', 'NOPE'],
			['200', 'RROUTPUT'],
		]);
		const at = (line: number) => issues.filter((i) => i.line === line);
		expect(at(1)[0]).toMatchObject({
			field: 'AccountCode (nominalCode)',
			lineId: 'L1',
			message: expect.stringMatching(/does not exist/),
		});
		expect(at(1)[0].fix).toMatch(/200/); // suggests an active account
		expect(at(2)[0].message).toMatch(/archived/);
		expect(at(3)[0].message).toMatch(/bank account/);
		expect(at(4)[0].message).toMatch(/system account/);
		expect(at(5)[0]).toMatchObject({
			field: 'TaxType (vatRate)',
			message: expect.stringMatching(/cannot be used with account code "200"/),
		});
		expect(at(6)[0].message).toMatch(/does not exist/);
		expect(at(7)[0].message).toMatch(/deleted/);
		expect(formatIssue(at(1)[0])).toMatch(
			/^Line 1 \(id L1\), AccountCode \(nominalCode\): .*Fix: /,
		);
	});

	it('prefers the active account when an archived one shares its code', () => {
		const t = buildTenantReference(
			[
				{ Code: '300', Status: 'ARCHIVED' },
				{ Code: '300', Status: 'ACTIVE', Class: 'REVENUE' },
			],
			taxRates,
		);
		expect(t.accountsByCode.get('300')?.Status).toBe('ACTIVE');
	});

	it('leaves out or rejects item codes the organisation does not have', () => {
		const withItems = buildTenantReference(accounts, taxRates, [{ Code: 'VALVE-15' }]);
		const payload = () =>
			mapInvoice(
				{
					invoiceNumber: 'CS-2',
					date: '2026-01-01',
					lines: [
						{
							id: 'a',
							description: 'Valve',
							quantity: 1,
							unitPrice: 5,
							nominalCode: '200',
							vatRate: '20%',
							itemCode: 'valve-15',
						},
						{
							id: 'b',
							description: 'Kit',
							quantity: 1,
							unitPrice: 5,
							nominalCode: '200',
							vatRate: '20%',
							itemCode: 'KIT-9',
						},
					],
				},
				{ status: 'DRAFT', vatMap: buildVatMap(), tracking: [], matchOn: 'invoiceNumber' },
			).payload;
		const omitted = payload();
		const warnings = applyItemCodePolicy(omitted, ['a', 'b'], withItems, 'omit');
		expect(omitted.LineItems.map((l) => l.ItemCode)).toEqual(['valve-15', undefined]);
		expect(warnings).toMatchObject([
			{ severity: 'warning', line: 2, lineId: 'b', field: 'ItemCode (itemCode)' },
		]);
		const strict = payload();
		expect(applyItemCodePolicy(strict, ['a', 'b'], withItems, 'fail')).toMatchObject([
			{ severity: 'error', line: 2 },
		]);
		expect(strict.LineItems[1].ItemCode).toBe('KIT-9');
		// items not loaded (no line had an item code): nothing to check
		expect(
			applyItemCodePolicy(payload(), ['a', 'b'], buildTenantReference(accounts, taxRates), 'fail'),
		).toEqual([]);
	});
});
