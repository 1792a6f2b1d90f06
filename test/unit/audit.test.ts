import { describe, expect, it } from 'vitest';

import {
	auditCommusoftAgainstXero,
	renderAuditText,
	type AuditCommusoftInvoice,
	type AuditXeroInvoice,
} from '../../nodes/Xero/mapping/audit';

const PAY1 = '11111111-1111-4111-8111-111111111111';
const PAY2 = '22222222-2222-4222-8222-222222222222';
const PAY_GONE = '33333333-3333-4333-8333-333333333333';

const cs = (n: string, total: number, status = 'raised'): AuditCommusoftInvoice => ({
	id: `cs-${n}`,
	invoiceNumber: `CS-${n}`,
	status,
	total,
	currency: 'GBP',
});
const xero = (
	n: string,
	total: number,
	status = 'AUTHORISED',
	extra: Partial<AuditXeroInvoice> = {},
): AuditXeroInvoice => ({
	InvoiceID: `x-${n}`,
	InvoiceNumber: `CS-${n}`,
	Type: 'ACCREC',
	Status: status,
	Total: total,
	...extra,
});

describe('auditCommusoftAgainstXero', () => {
	it('finds nothing when both sides agree', () => {
		const report = auditCommusoftAgainstXero(
			[cs('1', 120), cs('2', 60, 'cancelled'), cs('3', 10, 'draft')],
			[{ id: 'p1', invoiceId: 'cs-1', amount: 20, externalReference: PAY1 }],
			[
				xero('1', 120, 'AUTHORISED', { Payments: [{ PaymentID: PAY1, Amount: 20 }] }),
				xero('2', 60, 'VOIDED'),
			],
			{ invoiceNumberPrefix: 'CS-' },
		);
		expect(report.findings).toEqual([]);
		expect(report.checked).toEqual({ commusoftInvoices: 3, xeroInvoices: 2, xeroPayments: 1 });
	});

	it('reports each kind of difference once, naming the invoice', () => {
		const report = auditCommusoftAgainstXero(
			[
				cs('10', 100), // missing in Xero
				cs('11', 100), // amount mismatch
				cs('12', 50, 'cancelled'), // still live in Xero
				cs('13', 70), // voided in Xero
				cs('14', 80), // Xero payment not in Commusoft, and one Commusoft payment Xero lost
				cs('15', 90, 'draft'), // drafts are not expected in Xero
			],
			[
				{ id: 'p-ok', invoiceId: 'cs-14', amount: 30, externalReference: PAY1 },
				{ id: 'p-gone', invoiceId: 'cs-14', amount: 5, externalReference: PAY_GONE },
				{ id: 'p-cash', invoiceId: 'cs-14', amount: 1, externalReference: 'cash at door' },
			],
			[
				xero('11', 100.5),
				xero('12', 50, 'AUTHORISED'),
				xero('13', 70, 'VOIDED'),
				xero('14', 80, 'AUTHORISED', {
					Payments: [
						{ PaymentID: PAY1, Amount: 30 },
						{ PaymentID: PAY2, Amount: 25 },
					],
				}),
				xero('16', 40), // missing in Commusoft
				xero('17', 40, 'VOIDED'), // voided and unknown: nothing to do
				{
					InvoiceID: 'x-other',
					InvoiceNumber: 'INV-0001',
					Type: 'ACCREC',
					Status: 'AUTHORISED',
					Total: 9,
				},
				{
					InvoiceID: 'x-bill',
					InvoiceNumber: 'CS-99',
					Type: 'ACCPAY',
					Status: 'AUTHORISED',
					Total: 9,
				},
			],
			{ invoiceNumberPrefix: 'cs-' },
		);
		expect(
			report.findings.map((f) => [f.kind, f.invoiceNumber, f.commusoftValue, f.xeroValue]),
		).toEqual([
			['missingInXero', 'CS-10', 100, undefined],
			['amountMismatch', 'CS-11', 100, 100.5],
			['statusMismatch', 'CS-12', 'cancelled', 'AUTHORISED'],
			['statusMismatch', 'CS-13', 'raised', 'VOIDED'],
			['paymentMissingInCommusoft', 'CS-14', undefined, 25],
			['paymentMissingInXero', 'CS-14', 5, undefined],
			['missingInCommusoft', 'CS-16', undefined, 40],
		]);
		expect(report.findings.find((f) => f.kind === 'paymentMissingInCommusoft')?.paymentId).toBe(
			PAY2,
		);
		expect(report.counts).toEqual({
			missingInXero: 1,
			missingInCommusoft: 1,
			amountMismatch: 1,
			statusMismatch: 2,
			paymentMissingInCommusoft: 1,
			paymentMissingInXero: 1,
		});
		const text = renderAuditText(report);
		expect(text.split('\n')).toHaveLength(8);
		expect(text).toContain('Invoice CS-11 totals 100.00 in Commusoft but 100.50 in Xero.');
	});

	it('compares with the live copy when Xero also has a voided one of the same number', () => {
		const report = auditCommusoftAgainstXero(
			[cs('20', 10)],
			[],
			[
				xero('20', 10, 'VOIDED', { InvoiceID: 'old' }),
				xero('20', 10, 'AUTHORISED', { InvoiceID: 'new' }),
			],
		);
		expect(report.findings).toEqual([]);
	});

	it('treats amounts within half a penny as equal', () => {
		const report = auditCommusoftAgainstXero([cs('21', 10.004)], [], [xero('21', 10)]);
		expect(report.findings).toEqual([]);
		const off = auditCommusoftAgainstXero([cs('21', 10.01)], [], [xero('21', 10)]);
		expect(off.findings.map((f) => f.kind)).toEqual(['amountMismatch']);
	});

	it('without a prefix every Xero sales invoice is in scope', () => {
		const report = auditCommusoftAgainstXero(
			[],
			[],
			[{ InvoiceID: 'x', InvoiceNumber: 'INV-1', Type: 'ACCREC', Status: 'DRAFT', Total: 1 }],
		);
		expect(report.findings.map((f) => [f.kind, f.invoiceNumber])).toEqual([
			['missingInCommusoft', 'INV-1'],
		]);
	});
});
