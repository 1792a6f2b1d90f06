// Pure mapping of the Xero Payment Trigger (no HTTP): Xero Payment JSON → XeroPaymentRecord.
import { describe, expect, it } from 'vitest';

import { chunk } from '../../nodes/shared/chunk';
import {
	compileCommusoftRule,
	needsInvoiceLookup,
	paymentVersionKey,
	toPaymentRecord,
	xeroDateToIso,
	type CommusoftRule,
	type RecordOptions,
	type XeroPaymentJson,
} from '../../nodes/Xero/paymentTrigger/mapping';

const TENANT = 'aef86862-2015-4b6b-88bc-d89032cecc50';
const INVOICE_ID = '0b0c6a8e-7a44-4b7a-9d3c-1f0e2d3c4b5a';
const COMMUSOFT_ID = '6f1c9a52-3a8e-4a57-9d0e-2b7f4c1d9e30';

function matcher(rule: CommusoftRule) {
	const compiled = compileCommusoftRule(rule);
	if ('problem' in compiled) throw new Error(compiled.problem);
	return compiled.match;
}

function options(overrides: Partial<RecordOptions> = {}): RecordOptions {
	return {
		tenantId: TENANT,
		commusoftMatch: matcher({ kind: 'invoiceNumberPrefix', value: 'CS-' }),
		onlyCommusoft: true,
		includeDeleted: true,
		includeBillPayments: false,
		...overrides,
	};
}

function payment(overrides: Partial<XeroPaymentJson> = {}): XeroPaymentJson {
	return {
		PaymentID: 'b1f1e0d4-1111-4c3a-9e55-3c2b1a0f9e8d',
		Date: '/Date(1793232000000+0000)/',
		Amount: 120.5,
		Reference: 'BACS 4471',
		PaymentType: 'ACCRECPAYMENT',
		Status: 'AUTHORISED',
		UpdatedDateUTC: '/Date(1793280601123+0000)/',
		IsReconciled: false,
		Account: { AccountID: 'acc-1', Code: '090' },
		Invoice: {
			InvoiceID: INVOICE_ID,
			InvoiceNumber: 'CS-10042',
			CurrencyCode: 'GBP',
			Type: 'ACCREC',
		},
		...overrides,
	};
}

describe('Xero Payment Trigger mapping', () => {
	it('maps a payment to the XeroPaymentRecord contract', () => {
		const outcome = toPaymentRecord(payment(), undefined, options());
		expect(outcome).toEqual({
			kind: 'record',
			record: {
				paymentId: 'b1f1e0d4-1111-4c3a-9e55-3c2b1a0f9e8d',
				status: 'AUTHORISED',
				invoiceId: INVOICE_ID,
				invoiceNumber: 'CS-10042',
				commusoftReference: 'CS-10042',
				amount: 120.5,
				currency: 'GBP',
				date: '2026-10-29',
				accountCode: '090',
				accountId: 'acc-1',
				reference: 'BACS 4471',
				isReconciled: false,
				updatedDateUtc: '2026-10-29T13:30:01.123Z',
				tenantId: TENANT,
			},
		});
	});

	it('marks deleted payments and keeps the batch id', () => {
		const outcome = toPaymentRecord(
			payment({ Status: 'DELETED', BatchPaymentID: 'batch-1' }),
			undefined,
			options(),
		);
		expect(outcome.kind === 'record' && outcome.record).toMatchObject({
			status: 'DELETED',
			batchPaymentId: 'batch-1',
		});
		expect(
			toPaymentRecord(
				payment({ Status: 'DELETED' }),
				undefined,
				options({ includeDeleted: false }),
			),
		).toEqual({
			kind: 'skipped',
			reason: 'deleted',
		});
	});

	it('filters invoices that did not come from Commusoft, bills, and non-invoice payments', () => {
		const foreign = payment({
			Invoice: { InvoiceID: INVOICE_ID, InvoiceNumber: 'INV-0007', CurrencyCode: 'GBP' },
		});
		expect(toPaymentRecord(foreign, undefined, options()).kind).toBe('skipped');
		const kept = toPaymentRecord(foreign, undefined, options({ onlyCommusoft: false }));
		expect(kept.kind === 'record' && kept.record.commusoftReference).toBeUndefined();
		expect(
			toPaymentRecord(payment({ PaymentType: 'ACCPAYPAYMENT' }), undefined, options()).kind,
		).toBe('skipped');
		expect(
			toPaymentRecord(
				payment({ PaymentType: 'ACCPAYPAYMENT' }),
				undefined,
				options({ includeBillPayments: true }),
			).kind,
		).toBe('record');
		expect(toPaymentRecord(payment({ Invoice: undefined }), undefined, options())).toMatchObject({
			kind: 'skipped',
		});
	});

	it('applies each rule kind, case-insensitively, and reads the Commusoft id from a stored link', () => {
		const invoice = {
			InvoiceID: INVOICE_ID,
			InvoiceNumber: 'cs-10042',
			Reference: 'JOB-2291',
			Url: `https://app.commusoft.test/invoices/${COMMUSOFT_ID}`,
		};
		expect(matcher({ kind: 'invoiceNumberPrefix', value: 'CS-' })(invoice)).toBe('cs-10042');
		expect(matcher({ kind: 'invoiceNumberPattern', value: '^CS-\\d+$' })(invoice)).toBe('cs-10042');
		expect(
			matcher({ kind: 'invoiceNumberPattern', value: '^CS-\\d{6}$' })(invoice),
		).toBeUndefined();
		expect(matcher({ kind: 'referencePattern', value: '^JOB-' })(invoice)).toBe('JOB-2291');
		expect(matcher({ kind: 'urlPrefix', value: 'https://app.commusoft.test/' })(invoice)).toBe(
			'cs-10042',
		);
		expect(matcher({ kind: 'urlPrefix', value: 'https://other.test/' })(invoice)).toBeUndefined();

		const outcome = toPaymentRecord(
			payment({ Invoice: { InvoiceID: INVOICE_ID } }),
			{ ...invoice, CurrencyCode: 'GBP' },
			options({
				commusoftMatch: matcher({ kind: 'urlPrefix', value: 'https://app.commusoft.test' }),
			}),
		);
		expect(outcome.kind === 'record' && outcome.record).toMatchObject({
			invoiceNumber: 'cs-10042',
			commusoftInvoiceId: COMMUSOFT_ID,
			currency: 'GBP',
		});
	});

	it('reports a bad rule value with the parameter name and a fix', () => {
		expect(compileCommusoftRule({ kind: 'invoiceNumberPattern', value: '(' })).toMatchObject({
			problem: expect.stringMatching(
				/"Commusoft Rule Value" is not a valid regular expression.*e\.g\./,
			),
		});
		expect(compileCommusoftRule({ kind: 'invoiceNumberPrefix', value: '  ' })).toMatchObject({
			problem: expect.stringContaining('"Commusoft Rule Value" is empty'),
		});
	});

	it('looks an invoice up only when the nested summary lacks what the rule needs', () => {
		const prefix: CommusoftRule = { kind: 'invoiceNumberPrefix', value: 'CS-' };
		const link: CommusoftRule = { kind: 'urlPrefix', value: 'https://x' };
		expect(needsInvoiceLookup(payment().Invoice, prefix)).toBe(false);
		expect(needsInvoiceLookup(payment().Invoice, link)).toBe(true);
		expect(needsInvoiceLookup({ InvoiceID: INVOICE_ID }, prefix)).toBe(true);
		expect(needsInvoiceLookup(undefined, prefix)).toBe(false);
	});

	it('gives a deletion a new seen-set key and reads every Xero date form', () => {
		expect(paymentVersionKey(payment())).not.toBe(
			paymentVersionKey(payment({ Status: 'DELETED' })),
		);
		expect(xeroDateToIso('/Date(1573755038314+0000)/')).toBe('2019-11-14T18:10:38.314Z');
		expect(xeroDateToIso('2024-06-21T01:15:39.902')).toBe('2024-06-21T01:15:39.902Z');
		expect(xeroDateToIso('2024-06-21')).toBe('2024-06-21T00:00:00.000Z');
		expect(xeroDateToIso('yesterday')).toBeUndefined();
		expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
	});
});
