/**
 * Xero's invoice arithmetic, exactly, in one place (docs/money.md). Every mapping that computes or rounds an
 * amount uses this module; nothing else in nodes/ rounds money.
 *
 * Xero's rules (https://developer.xero.com/documentation/guides/how-to-guides/rounding-in-xero):
 * - with `unitdp=4` on the request, UnitAmount keeps 4 decimal places (2 without it); Quantity keeps 4;
 * - LineAmount = Quantity × UnitAmount × (100 − DiscountRate) / 100, rounded to 2 decimal places;
 * - tax is computed per line on the line amount and rounded to 2 decimal places, then the lines are summed:
 *   Exclusive: tax = LineAmount × rate; Inclusive: tax = LineAmount × rate / (1 + rate) (the line amount
 *   already contains it); NoTax: 0;
 * - Total = Σ LineAmount + Σ tax (Exclusive) or Σ LineAmount (Inclusive, NoTax); all totals have 2 decimals.
 * Midpoints round half away from zero. DiscountRate is sent with 2 decimal places.
 *
 * Numbers are read from their shortest decimal form (what JSON carries: 0.1 is 0.1, not 0.1000000000000000055)
 * and computed with integers, so no binary drift can move a penny.
 */

export const UNIT_AMOUNT_DECIMALS = 4;
export const QUANTITY_DECIMALS = 4;
export const DISCOUNT_RATE_DECIMALS = 2;
export const MONEY_DECIMALS = 2;
/** The query parameter that makes Xero keep UNIT_AMOUNT_DECIMALS; send it on every request with line items. */
export const UNIT_DP_QUERY = { unitdp: UNIT_AMOUNT_DECIMALS } as const;

/** value = units / 10^scale */
interface Decimal {
	units: bigint;
	scale: number;
}

const TEN = 10n;
const pow10 = (n: number): bigint => TEN ** BigInt(n);

/** The decimal a finite JS number stands for, from its shortest round-trip text. */
function decimalOf(value: number): Decimal {
	const text = String(value);
	const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
	if (!match) throw new RangeError(`not a finite number: ${text}`);
	const [, sign, whole, fraction = '', exp = '0'] = match;
	let units = BigInt(`${whole}${fraction}`);
	let scale = fraction.length - Number(exp);
	if (scale < 0) {
		units *= pow10(-scale);
		scale = 0;
	}
	return { units: sign ? -units : units, scale };
}

/** numerator / denominator rounded to an integer, half away from zero (denominator > 0). */
function divideRounded(numerator: bigint, denominator: bigint): bigint {
	const negative = numerator < 0n;
	const n = negative ? -numerator : numerator;
	const q = (2n * n + denominator) / (2n * denominator);
	return negative ? -q : q;
}

/** Decimal places of the shortest text of `value` when it has no exponent, else Infinity. */
function plainPlaces(value: number): number {
	const text = String(value);
	if (text.includes('e')) return Infinity;
	const dot = text.indexOf('.');
	return dot < 0 ? 0 : text.length - dot - 1;
}

/** `value` × 10^decimals exactly, when it is a whole number small enough for a double; else undefined. */
function fastScaled(value: number, decimals: number): bigint | undefined {
	if (plainPlaces(value) > decimals) return undefined;
	const scaled = Math.round(value * 10 ** decimals);
	// below 2^52 the product's binary error is far under a half, so rounding gives the exact integer
	return Math.abs(scaled) < 2 ** 52 ? BigInt(scaled) : undefined;
}

/** A number as an integer count of 10^-decimals, rounded half away from zero. */
function scaledOf(value: number, decimals: number): bigint {
	return fastScaled(value, decimals) ?? toScaled(decimalOf(value), decimals);
}

/** A decimal as an integer count of 10^-decimals, rounded half away from zero. */
function toScaled(value: Decimal, decimals: number): bigint {
	if (value.scale <= decimals) return value.units * pow10(decimals - value.scale);
	return divideRounded(value.units, pow10(value.scale - decimals));
}

function scaledToNumber(units: bigint, decimals: number): number {
	const negative = units < 0n;
	const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
	const text = decimals ? `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}` : digits;
	const result = Number(`${negative ? '-' : ''}${text}`);
	return result === 0 ? 0 : result;
}

/** A number rounded to `decimals` places, half away from zero, exactly (1.005 → 1.01, 1234.005 → 1234.01). */
export function roundTo(value: number, decimals: number): number {
	if (!Number.isFinite(value) || plainPlaces(value) <= decimals) return value === 0 ? 0 : value;
	return scaledToNumber(toScaled(decimalOf(value), decimals), decimals);
}

/** An amount of money rounded to pence. */
export function roundMoney(value: number): number {
	return roundTo(value, MONEY_DECIMALS);
}

/** Pence (integer) of an amount, rounded half away from zero. */
export function toPence(value: number): bigint {
	return scaledOf(value, MONEY_DECIMALS);
}

export function penceToAmount(pence: bigint): number {
	return scaledToNumber(pence, MONEY_DECIMALS);
}

/** Sum of amounts, exact to the penny (each amount rounded to pence first). */
export function sumMoney(values: Iterable<number>): number {
	let pence = 0n;
	for (const value of values) if (Number.isFinite(value)) pence += toPence(value);
	return penceToAmount(pence);
}

/** a − b to the penny. */
export function subtractMoney(a: number, b: number): number {
	return penceToAmount(toPence(a) - toPence(b));
}

export type AmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

export interface MoneyLine {
	Quantity?: number;
	UnitAmount?: number;
	DiscountRate?: number;
	TaxType?: string;
	ItemCode?: string;
}

export interface ExpectedLine {
	lineAmount: number;
	taxAmount: number;
}

export interface ExpectedTotals {
	subTotal: number;
	totalTax: number;
	total: number;
	lines: ExpectedLine[];
}

export type ExpectedTotalsResult =
	| { ok: true; totals: ExpectedTotals }
	| { ok: false; line: number; reason: string };

/** Line amount in pence as Xero computes it from what the line sends (values rounded to Xero's precision). */
function linePence(line: MoneyLine): bigint {
	const q = scaledOf(line.Quantity ?? 1, QUANTITY_DECIMALS);
	const u = scaledOf(line.UnitAmount ?? 0, UNIT_AMOUNT_DECIMALS);
	const d = scaledOf(line.DiscountRate ?? 0, DISCOUNT_RATE_DECIMALS);
	// q·u has 8 decimals; (10000 − d)/10000 adds 4 more; pence have 2.
	const hundredPercent = 100n * pow10(DISCOUNT_RATE_DECIMALS);
	return divideRounded(
		q * u * (hundredPercent - d),
		pow10(QUANTITY_DECIMALS + UNIT_AMOUNT_DECIMALS + DISCOUNT_RATE_DECIMALS + 2 - MONEY_DECIMALS),
	);
}

/** Tax in pence on a line amount (pence) at `ratePercent`, rounded to the penny per line. */
function taxPence(amount: bigint, ratePercent: number, amountTypes: AmountTypes): bigint {
	if (amountTypes === 'NoTax' || !ratePercent) return 0n;
	const rate = decimalOf(ratePercent);
	const hundred = 100n * pow10(rate.scale);
	return amountTypes === 'Inclusive'
		? divideRounded(amount * rate.units, hundred + rate.units)
		: divideRounded(amount * rate.units, hundred);
}

/**
 * The totals Xero will compute for these lines, or why they cannot be known before sending (a line priced by
 * its item in Xero, or a tax type whose rate is unknown). `rateOf` gives a tax type's rate in percent.
 */
export function expectedXeroTotals(
	invoice: { LineAmountTypes?: AmountTypes; LineItems: MoneyLine[] },
	rateOf: (taxType: string) => number | undefined,
): ExpectedTotalsResult {
	const amountTypes: AmountTypes = invoice.LineAmountTypes ?? 'Exclusive';
	let sumLines = 0n;
	let sumTax = 0n;
	const lines: ExpectedLine[] = [];
	for (let i = 0; i < invoice.LineItems.length; i++) {
		const line = invoice.LineItems[i];
		if (line.UnitAmount === undefined && line.ItemCode)
			return {
				ok: false,
				line: i + 1,
				reason: `line ${i + 1} takes its price from item "${line.ItemCode}" in Xero`,
			};
		if (line.UnitAmount === undefined && line.Quantity === undefined) {
			lines.push({ lineAmount: 0, taxAmount: 0 });
			continue;
		}
		const amount = linePence(line);
		let rate = 0;
		if (amountTypes !== 'NoTax' && line.TaxType) {
			const known = rateOf(line.TaxType);
			if (known === undefined)
				return {
					ok: false,
					line: i + 1,
					reason: `the rate of tax type "${line.TaxType}" on line ${i + 1} is not known`,
				};
			rate = known;
		}
		const tax = taxPence(amount, rate, amountTypes);
		sumLines += amount;
		sumTax += tax;
		lines.push({ lineAmount: penceToAmount(amount), taxAmount: penceToAmount(tax) });
	}
	const subTotal = amountTypes === 'Inclusive' ? sumLines - sumTax : sumLines;
	return {
		ok: true,
		totals: {
			subTotal: penceToAmount(subTotal),
			totalTax: penceToAmount(sumTax),
			total: penceToAmount(subTotal + sumTax),
			lines,
		},
	};
}

/** A tax rate's percentage from Xero's TaxRate (EffectiveRate, as a number or numeric text). */
export function taxRatePercent(
	rate: { EffectiveRate?: number | string } | undefined,
): number | undefined {
	const value = rate?.EffectiveRate;
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value.trim())) return Number(value);
	return undefined;
}

/** "123.45" with the currency code when known: how totals are shown in messages. */
export function formatMoney(value: number, currency?: string): string {
	const text = penceToAmount(toPence(value)).toFixed(MONEY_DECIMALS);
	return currency ? `${currency} ${text}` : text;
}

/**
 * The sentence an item fails with when Xero's total would not be Commusoft's: both totals and the difference,
 * and what to change.
 */
export function totalMismatchMessage(
	commusoftTotal: number,
	xeroTotal: number,
	currency?: string,
	/** Xero already holds the invoice with this total (else: the total it would compute) */
	written = false,
): string {
	const difference = subtractMoney(xeroTotal, commusoftTotal);
	const sign = difference > 0 ? '+' : '';
	const xero = `${written ? 'is' : 'would be'} ${formatMoney(xeroTotal, currency)} in Xero`;
	const commusoft = `${written ? '' : 'is '}${formatMoney(commusoftTotal, currency)} in Commusoft`;
	return `the invoice total ${xero} but ${commusoft} (difference ${sign}${formatMoney(difference)})`;
}
