// The document kinds of the upsert engine: what a credit note sends and reads compared with an invoice.
import { describe, expect, it } from 'vitest';

import { creditNoteKind, invoiceKind } from '../../nodes/Xero/actions/document/kind';
import type { XeroInvoice, XeroInvoicePayload } from '../../nodes/Xero/mapping/types';

const payload: XeroInvoicePayload = {
	Type: 'ACCREC',
	InvoiceID: '11111111-1111-4111-8111-111111111111',
	InvoiceNumber: 'CN-1',
	Reference: 'JOB-1',
	Date: '2026-11-02',
	DueDate: '2026-12-02',
	Url: 'https://app.commusoft.test/x',
	LineAmountTypes: 'Exclusive',
	Status: 'AUTHORISED',
	Contact: { ContactID: '22222222-2222-4222-8222-222222222222' },
	LineItems: [{ Description: 'Labour', Quantity: 1, UnitAmount: 10, AccountCode: '200' }],
};

describe('document kinds', () => {
	it('an invoice goes to Xero as planned, and comes back as read', () => {
		expect(invoiceKind.toXero(payload)).toEqual(payload);
		expect(invoiceKind.fromXero({ InvoiceID: 'x', InvoiceNumber: 'CS-1' })).toEqual({
			InvoiceID: 'x',
			InvoiceNumber: 'CS-1',
		});
	});

	it('a credit note is sent as ACCRECCREDIT with its own id and number fields, without invoice-only fields', () => {
		const sent = creditNoteKind.toXero(payload);
		expect(sent).toMatchObject({
			Type: 'ACCRECCREDIT',
			CreditNoteID: payload.InvoiceID,
			CreditNoteNumber: 'CN-1',
			Reference: 'JOB-1',
		});
		for (const key of ['InvoiceID', 'InvoiceNumber']) expect(sent).not.toHaveProperty(key);
		expect(creditNoteKind.omit).toEqual(expect.arrayContaining(['DueDate', 'Url']));
		// a void sends only the id and the status
		expect(creditNoteKind.toXero({ InvoiceID: 'abc', Status: 'VOIDED' })).toEqual({
			CreditNoteID: 'abc',
			Status: 'VOIDED',
		});
		expect(creditNoteKind.fromXero({ CreditNoteID: 'abc', CreditNoteNumber: 'CN-9' })).toEqual({
			InvoiceID: 'abc',
			InvoiceNumber: 'CN-9',
		});
	});

	it('a credit note with credit allocated, paid, refunded, voided or deleted is frozen; a fresh one is not', () => {
		const note = (extra: object) =>
			({ InvoiceID: 'a', Status: 'AUTHORISED', ...extra }) as XeroInvoice;
		expect(creditNoteKind.classify(note({ Allocations: [], RemainingCredit: 10 }))).toEqual({
			editable: true,
		});
		for (const frozen of [
			note({ Allocations: [{ Amount: 5, Invoice: { InvoiceID: 'i' } }], RemainingCredit: 5 }),
			note({ Status: 'PAID', Allocations: [] }),
			note({ Payments: [{}] }),
			note({ Status: 'VOIDED' }),
			note({ Status: 'DELETED' }),
		])
			expect(creditNoteKind.classify(frozen).editable).toBe(false);
		const allocated = creditNoteKind.classify(
			note({ Allocations: [{ Amount: 5 }], RemainingCredit: 5 }),
		);
		expect(allocated.editable === false && allocated.reason).toMatch(/5 allocated, 5 remaining/);
	});

	it("a credit note's input and messages use its own number field", () => {
		expect(
			creditNoteKind.toInput({ creditNoteNumber: 'CN-3', invoiceNumber: 'X' }).invoiceNumber,
		).toBe('CN-3');
		expect(
			creditNoteKind.reword({
				severity: 'error',
				field: 'InvoiceNumber (invoiceNumber)',
				message: 'the invoice number is missing',
				fix: 'map the Commusoft invoice number',
			}),
		).toEqual({
			severity: 'error',
			field: 'CreditNoteNumber (creditNoteNumber)',
			message: 'the credit note number is missing',
			fix: 'map the Commusoft credit note number',
		});
	});
});
