// Generated Commusoft invoices for the money property test (test/sandbox/money-property.test.ts) and its long
// form (bench/money.ts): lines with many-decimal quantities and prices, discount rates, tax rates and every
// line-amount type. `checkOne` maps an invoice with the node's mapping, computes the node's expected Xero
// totals (nodes/Xero/mapping/money.ts) and prices the same payload with the sandbox's own arithmetic
// (sandbox/xero/calc.ts), and says where they differ.
import fc from 'fast-check';

import { checkInvoiceTotal, mapInvoice, totalIssue } from '../../nodes/Xero/mapping/invoice';
import { expectedXeroTotals } from '../../nodes/Xero/mapping/money';
import { buildVatMap } from '../../nodes/Xero/mapping/tax';
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import { priceInvoice } from '../../sandbox/xero/calc';
import type { TaxRateRecord } from '../../sandbox/xero/types';

/** Tax types the generated lines use: the sandbox's UK rates plus rates whose inclusive tax is rarely whole. */
export const MONEY_TAX_RATES: TaxRateRecord[] = [
	['OUTPUT2', 20],
	['RROUTPUT', 5],
	['ZERORATEDOUTPUT', 0],
	['EXEMPTOUTPUT', 0],
	['NONE', 0],
	['OUTPUT175', 17.5],
	['OUTPUT125', 12.5],
	['OUTPUTQC', 9.975],
	['OUTPUT15', 15],
].map(
	([TaxType, Rate]) =>
		({
			Name: String(TaxType),
			TaxType,
			Rate,
			Status: 'ACTIVE',
			CanApplyToRevenue: true,
			CanApplyToExpenses: false,
		}) as TaxRateRecord,
);

const rateOf = (taxType: string) =>
	MONEY_TAX_RATES.find((rate) => rate.TaxType === taxType.toUpperCase())?.Rate;

/** A decimal with up to `maxDecimals` places, as a JS number (what JSON carries). */
const decimal = (maxWhole: number, maxDecimals: number, signed = false) =>
	fc
		.tuple(
			fc.integer({ min: signed ? -maxWhole : 0, max: maxWhole }),
			fc.integer({ min: 0, max: maxDecimals }),
			fc.integer({ min: 0, max: 10 ** maxDecimals - 1 }),
		)
		.map(([whole, places, digits]) => {
			const fraction = String(digits).padStart(maxDecimals, '0').slice(0, places);
			return Number(`${whole < 0 ? '-' : ''}${Math.abs(whole)}${places ? `.${fraction}` : ''}`);
		});

const line = fc.record({
	quantity: fc.oneof(
		fc.integer({ min: 1, max: 20 }),
		decimal(500, 6),
		fc.constantFrom(0.5, 0.25, 1.5, 2.75, 0.3333, 0.33333, 1 / 3),
	),
	unitPrice: fc.oneof(
		decimal(9999, 2),
		decimal(9999, 6),
		decimal(50, 8, true),
		fc.constantFrom(0.061171, 0.005, 1234.005, 0.1648, 19.99, 1 / 7),
	),
	discountRate: fc.oneof(
		fc.constant(undefined),
		fc.integer({ min: 0, max: 100 }),
		decimal(99, 4),
		fc.constantFrom(12.5, 33.333, 2.345, 0.005),
	),
	taxType: fc.constantFrom(...MONEY_TAX_RATES.map((rate) => rate.TaxType)),
});

export const moneyInvoice: fc.Arbitrary<CommusoftInvoiceInput> = fc
	.record({
		amountsAre: fc.constantFrom('exclusive', 'inclusive', 'noTax'),
		lines: fc.array(line, { minLength: 1, maxLength: 5 }),
	})
	.map(({ amountsAre, lines }) => ({
		invoiceNumber: 'CS-1',
		date: '2026-11-02',
		currency: 'GBP',
		amountsAre,
		lines: lines.map((l, i) => ({
			id: `L${i + 1}`,
			description: `Line ${i + 1}`,
			nominalCode: '200',
			vatRate: '20%',
			...l,
		})),
	}));

const mappingOptions = {
	status: 'DRAFT' as const,
	vatMap: buildVatMap([]),
	tracking: [],
	matchOn: 'invoiceNumber' as const,
};

export interface MoneyCheck {
	/** what differs between the node's expectation and the sandbox, or undefined when nothing does */
	difference?: string;
	lines: number;
	amountsAre: string;
	/** the node rounded a quantity, price or discount to Xero's precision */
	rounded: boolean;
	/** the sandbox's (Xero's) total */
	xeroTotal: number;
	/** the total check: Commusoft saying Xero's total passes, anything else fails naming both and the difference */
	totalCheckHolds: boolean;
}

/** One generated invoice through the node's mapping + money module and through the sandbox's arithmetic. */
export function checkOne(input: CommusoftInvoiceInput, offByPence: number): MoneyCheck {
	const mapped = mapInvoice(input, mappingOptions);
	const errors = mapped.issues.filter((issue) => issue.severity === 'error');
	if (errors.length) throw new Error(`generated invoice is invalid: ${JSON.stringify(errors)}`);
	const node = expectedXeroTotals(mapped.payload, rateOf);
	const sandbox = priceInvoice(mapped.payload, MONEY_TAX_RATES, 4);
	const base = {
		lines: mapped.payload.LineItems.length,
		amountsAre: mapped.payload.LineAmountTypes,
		rounded: mapped.issues.length > 0,
		xeroTotal: sandbox.Total,
	};
	if (!node.ok) return { ...base, difference: node.reason, totalCheckHolds: false };
	const differences: string[] = [];
	for (const key of ['subTotal', 'totalTax', 'total'] as const) {
		const theirs = sandbox[`${key[0].toUpperCase()}${key.slice(1)}` as 'SubTotal'];
		if (node.totals[key] !== theirs)
			differences.push(`${key}: node ${node.totals[key]}, sandbox ${theirs}`);
	}
	node.totals.lines.forEach((l, i) => {
		const theirs = sandbox.LineItems[i];
		if (l.lineAmount !== theirs.LineAmount || l.taxAmount !== theirs.TaxAmount)
			differences.push(
				`line ${i + 1}: node ${l.lineAmount}+${l.taxAmount}, sandbox ${theirs.LineAmount}+${theirs.TaxAmount}`,
			);
	});
	// The check itself: Xero's own total passes; a total off by some pence fails and names both and the gap.
	const agreeing = checkInvoiceTotal({ ...mapped, commusoftTotal: sandbox.Total }, rateOf);
	const wrongTotal = Math.round((sandbox.Total * 100 + offByPence) as number) / 100;
	const refused = totalIssue(wrongTotal, node.totals.total, mapped.payload.CurrencyCode);
	const difference = Math.abs(offByPence / 100).toFixed(2);
	const totalCheckHolds =
		agreeing === undefined &&
		refused !== undefined &&
		refused.message.includes(`GBP ${sandbox.Total.toFixed(2)} in Xero`) &&
		refused.message.includes(`GBP ${wrongTotal.toFixed(2)} in Commusoft`) &&
		refused.message.includes(`${offByPence > 0 ? '-' : '+'}${difference})`);
	return {
		...base,
		difference: differences.length ? differences.join('; ') : undefined,
		totalCheckHolds,
	};
}

/** Pence a wrong Commusoft total is off by: never 0. */
export const offByPence = fc.oneof(
	fc.integer({ min: 1, max: 10 }),
	fc.integer({ min: -10, max: -1 }),
	fc.integer({ min: 11, max: 100_000 }),
);
