// Xero's arithmetic in nodes/Xero/mapping/money.ts on the cases binary floating point gets wrong and on the
// worked example of Xero's rounding guide (https://developer.xero.com/documentation/guides/how-to-guides/rounding-in-xero).
import { describe, expect, it } from 'vitest';

import {
	expectedXeroTotals,
	roundMoney,
	roundTo,
	sumMoney,
	totalMismatchMessage,
} from '../../nodes/Xero/mapping/money';

const rates: Record<string, number> = { OUTPUT2: 20, GST15: 15, RROUTPUT: 5 };
const rateOf = (taxType: string) => rates[taxType];

describe('money: exact rounding', () => {
	it.each([
		[1.005, 2, 1.01],
		[1234.005, 2, 1234.01], // Math.round(x * 100) / 100 gives 1234
		[-1234.005, 2, -1234.01],
		[1.00005, 4, 1.0001],
		[0.061171, 4, 0.0612],
		[8.345, 2, 8.35],
		[1e-7, 4, 0],
		[123456789.12345, 4, 123456789.1235],
	])('roundTo(%s, %s) is %s', (value, dp, expected) => {
		expect(roundTo(value, dp)).toBe(expected);
	});

	it('adds money without binary drift', () => {
		expect(sumMoney([0.1, 0.2, 0.3])).toBe(0.6);
		expect(sumMoney(Array.from({ length: 1000 }, () => 0.01))).toBe(10);
		expect(roundMoney(0.1 + 0.2)).toBe(0.3);
	});
});

describe('money: expected Xero totals', () => {
	it("tax per line, rounded, then summed (Xero's rounding guide example)", () => {
		const result = expectedXeroTotals(
			{
				LineAmountTypes: 'Exclusive',
				LineItems: [25.06, 25.61, 25.63].map((UnitAmount) => ({
					Quantity: 1,
					UnitAmount,
					TaxType: 'GST15',
				})),
			},
			rateOf,
		);
		expect(result).toMatchObject({
			ok: true,
			totals: { subTotal: 76.3, totalTax: 11.44, total: 87.74 },
		});
	});

	it('4 dp unit amounts, 2 dp discount, inclusive tax inside the line amount', () => {
		const result = expectedXeroTotals(
			{
				LineAmountTypes: 'Inclusive',
				LineItems: [
					{ Quantity: 1000, UnitAmount: 0.0612, TaxType: 'OUTPUT2' }, // 61.20, tax 10.20
					{ Quantity: 3, UnitAmount: 0.01, TaxType: 'OUTPUT2' }, // 0.03, tax 0.005 → 0.01
					{ Quantity: 1.5, UnitAmount: 45, DiscountRate: 12.5, TaxType: 'RROUTPUT' }, // 59.06, tax 2.81
				],
			},
			rateOf,
		);
		expect(result).toEqual({
			ok: true,
			totals: {
				subTotal: 107.27,
				totalTax: 13.02,
				total: 120.29,
				lines: [
					{ lineAmount: 61.2, taxAmount: 10.2 },
					{ lineAmount: 0.03, taxAmount: 0.01 },
					{ lineAmount: 59.06, taxAmount: 2.81 },
				],
			},
		});
	});

	it('says when the total cannot be known before sending', () => {
		expect(
			expectedXeroTotals({ LineItems: [{ Quantity: 1, ItemCode: 'MAG-22' }] }, rateOf),
		).toMatchObject({ ok: false, line: 1 });
		expect(
			expectedXeroTotals({ LineItems: [{ Quantity: 1, UnitAmount: 5, TaxType: 'X' }] }, rateOf),
		).toMatchObject({ ok: false, reason: 'the rate of tax type "X" on line 1 is not known' });
	});

	it('a mismatch names both totals and the signed difference', () => {
		expect(totalMismatchMessage(73.4, 73.44, 'GBP')).toBe(
			'the invoice total would be GBP 73.44 in Xero but is GBP 73.40 in Commusoft (difference +0.04)',
		);
		expect(totalMismatchMessage(10, 9.95)).toContain('(difference -0.05)');
	});
});
