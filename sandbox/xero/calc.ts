// Invoice arithmetic as Xero does it (docs/xero-rules.md §2.4; https://developer.xero.com/documentation/guides/how-to-guides/rounding-in-xero):
// UnitAmount kept to 2 dp unless unitdp=4, Quantity to 4 dp, LineAmount = Quantity × UnitAmount less discount
// (2 dp), tax computed per line and rounded to 2 dp, then summed. Xero works in decimal, not binary floating
// point, so every step here is exact: a number is read as the decimal JSON wrote (0.1 is one tenth) and kept
// as a fraction of integers; rounding is half away from zero (docs/money.md).
import type { InvoiceRecord, LineItemRecord, TaxRateRecord } from './types';

/** An exact fraction n/d with d > 0. */
interface Fraction {
	n: bigint;
	d: bigint;
}

function fractionOf(value: number): Fraction {
	if (Number.isSafeInteger(value)) return { n: BigInt(value), d: 1n };
	const [mantissa, exponent = '0'] = String(value).toLowerCase().split('e');
	const negative = mantissa.startsWith('-');
	const [whole, decimals = ''] = mantissa.replace('-', '').split('.');
	const shift = decimals.length - Number(exponent);
	const digits = BigInt(whole + decimals);
	const n = negative ? -digits : digits;
	return shift >= 0 ? { n, d: 10n ** BigInt(shift) } : { n: n * 10n ** BigInt(-shift), d: 1n };
}

/** The fraction rounded to `dp` decimal places, half away from zero, as a number. */
function roundFraction(f: Fraction, dp: number): number {
	const scale = 10n ** BigInt(dp);
	const magnitude = f.n < 0n ? -f.n : f.n;
	const scaled = magnitude * scale;
	let units = scaled / f.d;
	if ((scaled % f.d) * 2n >= f.d) units += 1n;
	const text = units.toString().padStart(dp + 1, '0');
	const value = Number(
		dp ? `${text.slice(0, text.length - dp)}.${text.slice(text.length - dp)}` : text,
	);
	return f.n < 0n && value !== 0 ? -value : value;
}

function times(a: Fraction, b: Fraction): Fraction {
	return { n: a.n * b.n, d: a.d * b.d };
}

export function round(value: number, dp: number): number {
	if (!Number.isFinite(value)) return value;
	const text = String(value);
	const point = text.indexOf('.');
	if (!text.includes('e') && (point < 0 || text.length - point - 1 <= dp)) return value; // nothing to round
	return roundFraction(fractionOf(value), dp);
}

export function lineAmountOf(
	line: Pick<LineItemRecord, 'Quantity' | 'UnitAmount' | 'DiscountRate'>,
): number {
	const gross = times(fractionOf(line.Quantity ?? 0), fractionOf(line.UnitAmount ?? 0));
	const rate = fractionOf(line.DiscountRate ?? 0);
	// gross × (100 − rate) / 100
	const kept: Fraction = { n: 100n * rate.d - rate.n, d: 100n * rate.d };
	return roundFraction(times(gross, kept), 2);
}

export function taxOf(
	lineAmount: number,
	ratePercent: number,
	amountTypes: InvoiceRecord['LineAmountTypes'],
): number {
	if (amountTypes === 'NoTax' || !ratePercent) return 0;
	const amount = fractionOf(lineAmount);
	const rate = fractionOf(ratePercent);
	if (amountTypes === 'Inclusive') {
		// amount − amount / (1 + rate/100) = amount × rate / (100 + rate)
		return roundFraction(times(amount, { n: rate.n, d: 100n * rate.d + rate.n }), 2);
	}
	return roundFraction(times(amount, { n: rate.n, d: 100n * rate.d }), 2);
}

/** Recomputes line tax and the invoice totals in place. */
export function computeTotals(invoice: InvoiceRecord, taxRates: TaxRateRecord[]): void {
	let sumLines = 0;
	let totalTax = 0;
	for (const line of invoice.LineItems) {
		const rate = taxRates.find((t) => t.TaxType === line.TaxType)?.Rate ?? 0;
		line.TaxAmount = taxOf(line.LineAmount, rate, invoice.LineAmountTypes);
		sumLines = round(sumLines + line.LineAmount, 2);
		totalTax = round(totalTax + line.TaxAmount, 2);
	}
	invoice.TotalTax = totalTax;
	invoice.SubTotal =
		invoice.LineAmountTypes === 'Inclusive' ? round(sumLines - totalTax, 2) : sumLines;
	invoice.Total = round(invoice.SubTotal + invoice.TotalTax, 2);
	invoice.AmountDue = round(invoice.Total - invoice.AmountPaid - (invoice.AmountCredited ?? 0), 2);
}

/** How Xero keeps a line's numeric input: UnitAmount to `unitDp` places (2, or 4 with unitdp=4), Quantity to 4. */
export function storedLineNumber(
	key: 'Quantity' | 'UnitAmount' | 'DiscountRate',
	value: number,
	unitDp: number,
): number {
	if (key === 'UnitAmount') return round(value, unitDp);
	if (key === 'Quantity') return round(value, 4);
	return value;
}

export interface PricedInvoice {
	SubTotal: number;
	TotalTax: number;
	Total: number;
	LineItems: Array<{ LineAmount: number; TaxAmount: number }>;
}

/**
 * The totals this sandbox gives an invoice whose lines carry only numbers and tax types (no item to price
 * them): the same steps as a PUT/POST /Invoices, without the HTTP. Tests compare connectors against it.
 */
export function priceInvoice(
	invoice: {
		LineAmountTypes: InvoiceRecord['LineAmountTypes'];
		LineItems: Array<{
			Quantity?: number;
			UnitAmount?: number;
			DiscountRate?: number;
			TaxType?: string;
		}>;
	},
	taxRates: TaxRateRecord[],
	unitDp: number,
): PricedInvoice {
	const record = {
		LineAmountTypes: invoice.LineAmountTypes,
		AmountPaid: 0,
		LineItems: invoice.LineItems.map((input) => {
			const line = { TaxType: input.TaxType, LineAmount: 0, TaxAmount: 0 } as LineItemRecord;
			for (const key of ['Quantity', 'UnitAmount', 'DiscountRate'] as const)
				if (input[key] !== undefined) line[key] = storedLineNumber(key, input[key], unitDp);
			if (line.Quantity !== undefined || line.UnitAmount !== undefined) {
				line.Quantity ??= 1;
				line.UnitAmount ??= 0;
				line.LineAmount = lineAmountOf(line);
			}
			return line;
		}),
	} as unknown as InvoiceRecord;
	computeTotals(record, taxRates);
	return {
		SubTotal: record.SubTotal,
		TotalTax: record.TotalTax,
		Total: record.Total,
		LineItems: record.LineItems.map((l) => ({ LineAmount: l.LineAmount, TaxAmount: l.TaxAmount })),
	};
}
