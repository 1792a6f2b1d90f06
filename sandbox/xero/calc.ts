// Invoice arithmetic as Xero does it (xero-api.md §2.4): UnitAmount kept to 2 dp unless unitdp=4, LineAmount =
// Quantity × UnitAmount less discount (2 dp), tax computed per line and rounded to 2 dp, then summed.
import type { InvoiceRecord, LineItemRecord, TaxRateRecord } from './types';

export function round(value: number, dp: number): number {
	const f = 10 ** dp;
	return Math.round((value + Number.EPSILON * Math.sign(value)) * f) / f;
}

export function lineAmountOf(
	line: Pick<LineItemRecord, 'Quantity' | 'UnitAmount' | 'DiscountRate'>,
): number {
	const gross = (line.Quantity ?? 0) * (line.UnitAmount ?? 0);
	const discount = line.DiscountRate ? gross * (line.DiscountRate / 100) : 0;
	return round(gross - discount, 2);
}

export function taxOf(
	lineAmount: number,
	ratePercent: number,
	amountTypes: InvoiceRecord['LineAmountTypes'],
): number {
	if (amountTypes === 'NoTax' || !ratePercent) return 0;
	const rate = ratePercent / 100;
	if (amountTypes === 'Inclusive') return round(lineAmount - lineAmount / (1 + rate), 2);
	return round(lineAmount * rate, 2);
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
