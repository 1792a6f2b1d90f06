import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { xeroTestClient, type XeroTestClient } from '../../sandbox/xero/client';
import {
	MSG_ALLOCATION_EXCEEDS_CREDIT,
	MSG_ALLOCATION_EXCEEDS_DUE,
} from '../../sandbox/xero/creditNotes';

let sb: XeroSandbox;
let x: XeroTestClient;
beforeAll(async () => {
	sb = await startXeroSandbox();
});
beforeEach(() => {
	sb.reset();
	x = xeroTestClient(sb);
});
// Every body served was checked against xero_accounting.yaml; none may have failed.
afterEach(() => expect(sb.schemaErrors()).toEqual([]));
afterAll(async () => sb.close());

const messages = (el: { ValidationErrors: { Message: string }[] }) =>
	el.ValidationErrors.map((v) => v.Message);

async function invoice(contactId: string, unit: number, type = 'ACCREC', status = 'AUTHORISED') {
	const res = await x.call('PUT', '/Invoices', {
		body: {
			Invoices: [
				{
					Type: type,
					Contact: { ContactID: contactId },
					Status: status,
					DueDate: '2026-12-31',
					LineItems: [
						{
							Description: 'Work',
							Quantity: 1,
							UnitAmount: unit,
							AccountCode: type === 'ACCREC' ? '200' : '429',
						},
					],
				},
			],
		},
	});
	expect(res.status).toBe(200);
	return res.json.Invoices[0];
}

async function creditNote(
	contactId: string,
	unit: number,
	status = 'AUTHORISED',
	type = 'ACCRECCREDIT',
) {
	const res = await x.call('PUT', '/CreditNotes', {
		body: {
			CreditNotes: [
				{
					Type: type,
					Contact: { ContactID: contactId },
					Status: status,
					LineItems: [{ Description: 'Refund', Quantity: 1, UnitAmount: unit, AccountCode: '200' }],
				},
			],
		},
	});
	expect(res.status).toBe(200);
	return res.json.CreditNotes[0];
}

const allocate = (cnId: string, invoiceId: string, amount: number) =>
	x.call('PUT', `/CreditNotes/${cnId}/Allocations`, {
		body: {
			Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: amount, Date: '2026-11-20' }],
		},
	});

describe('Xero sandbox credit notes and allocations', () => {
	it('creates a credit note with line validation and totals like an invoice', async () => {
		const contact = sb.state().contacts[0];
		const rate = sb
			.state()
			.taxRates.find(
				(t) => t.TaxType === sb.state().accounts.find((a) => a.Code === '200')!.TaxType,
			)!.Rate;
		const cn = await creditNote(contact.ContactID, 50);
		expect(cn).toMatchObject({ Type: 'ACCRECCREDIT', Status: 'AUTHORISED', SubTotal: 50 });
		expect(cn.Total).toBe(Math.round(50 * (1 + rate / 100) * 100) / 100);
		expect(cn.RemainingCredit).toBe(cn.Total);
		const bad = await x.call('PUT', '/CreditNotes', {
			body: {
				CreditNotes: [
					{
						Type: 'ACCRECCREDIT',
						Contact: { ContactID: contact.ContactID },
						LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 5, AccountCode: '9999' }],
					},
				],
			},
		});
		expect(bad.status).toBe(400);
		expect(bad.json).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
		expect(messages(bad.json.Elements[0]).join(' ')).toMatch(/9999/);
		expect(sb.state().creditNotes).toHaveLength(1);
	});

	it('lists by Statuses, by id, If-Modified-Since and page', async () => {
		const contact = sb.state().contacts[0];
		const draft = await creditNote(contact.ContactID, 10, 'DRAFT');
		const auth = await creditNote(contact.ContactID, 20);
		const byStatus = await x.call('GET', '/CreditNotes', { query: { Statuses: 'DRAFT' } });
		expect(byStatus.json.CreditNotes.map((c: { CreditNoteID: string }) => c.CreditNoteID)).toEqual([
			draft.CreditNoteID,
		]);
		const one = await x.call('GET', `/CreditNotes/${auth.CreditNoteID}`);
		expect(one.json.CreditNotes[0].CreditNoteID).toBe(auth.CreditNoteID);
		expect((await x.call('GET', '/CreditNotes/00000000-0000-0000-0000-000000000000')).status).toBe(
			404,
		);
		const paged = await x.call('GET', '/CreditNotes', { query: { page: 1, pageSize: 1 } });
		expect(paged.json.pagination).toMatchObject({ page: 1, pageCount: 2, itemCount: 2 });
		const future = await x.call('GET', '/CreditNotes', {
			headers: { 'If-Modified-Since': '2099-01-01T00:00:00' },
		});
		expect(future.json.CreditNotes).toEqual([]);
	});

	it('allocates credit: invoice AmountCredited rises, AmountDue falls; both go PAID at zero', async () => {
		const contact = sb.state().contacts[0];
		const inv = await invoice(contact.ContactID, 100);
		const cn = await creditNote(contact.ContactID, 30);
		const res = await allocate(cn.CreditNoteID, inv.InvoiceID, 12);
		expect(res.status).toBe(200);
		expect(res.json.Allocations[0]).toMatchObject({
			Amount: 12,
			Invoice: { InvoiceID: inv.InvoiceID },
		});
		const after = (await x.call('GET', `/Invoices/${inv.InvoiceID}`)).json.Invoices[0];
		expect(after).toMatchObject({
			AmountCredited: 12,
			AmountDue: Math.round((inv.Total - 12) * 100) / 100,
			Status: 'AUTHORISED',
		});
		const cnAfter = (await x.call('GET', `/CreditNotes/${cn.CreditNoteID}`)).json.CreditNotes[0];
		expect(cnAfter.RemainingCredit).toBe(Math.round((cn.Total - 12) * 100) / 100);
		// Use up the rest of the credit on a small invoice that it settles exactly.
		const small = await invoice(contact.ContactID, 10);
		const rest = Math.round((cn.Total - 12) * 100) / 100;
		expect(rest).toBeGreaterThan(small.Total);
		expect((await allocate(cn.CreditNoteID, small.InvoiceID, small.Total)).status).toBe(200);
		expect((await x.call('GET', `/Invoices/${small.InvoiceID}`)).json.Invoices[0]).toMatchObject({
			Status: 'PAID',
			AmountDue: 0,
		});
		const left = Math.round((rest - small.Total) * 100) / 100;
		expect((await allocate(cn.CreditNoteID, inv.InvoiceID, left)).status).toBe(200);
		expect(
			(await x.call('GET', `/CreditNotes/${cn.CreditNoteID}`)).json.CreditNotes[0],
		).toMatchObject({ Status: 'PAID', RemainingCredit: 0 });
	});

	it('a part-credited invoice can no longer be voided (like a part-paid one)', async () => {
		const contact = sb.state().contacts[0];
		const inv = await invoice(contact.ContactID, 100);
		const cn = await creditNote(contact.ContactID, 10);
		expect((await allocate(cn.CreditNoteID, inv.InvoiceID, 5)).status).toBe(200);
		const voided = await x.call('POST', `/Invoices/${inv.InvoiceID}`, {
			body: { Invoices: [{ Status: 'VOIDED' }] },
		});
		expect(voided.status).toBe(400);
		expect(voided.json).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
		expect(sb.state().invoices.find((i) => i.InvoiceID === inv.InvoiceID)!.Status).toBe(
			'AUTHORISED',
		);
	});

	it('refuses allocations beyond the remaining credit or the amount due, with nothing applied', async () => {
		const contact = sb.state().contacts[0];
		const inv = await invoice(contact.ContactID, 10);
		const cn = await creditNote(contact.ContactID, 100);
		const tooMuchForInvoice = await allocate(cn.CreditNoteID, inv.InvoiceID, inv.Total + 1);
		expect(tooMuchForInvoice.status).toBe(400);
		expect(tooMuchForInvoice.json).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
		expect(messages(tooMuchForInvoice.json.Elements[0])).toContain(MSG_ALLOCATION_EXCEEDS_DUE);
		const big = await invoice(contact.ContactID, 1000);
		const tooMuchCredit = await allocate(cn.CreditNoteID, big.InvoiceID, cn.Total + 1);
		expect(messages(tooMuchCredit.json.Elements[0])).toContain(MSG_ALLOCATION_EXCEEDS_CREDIT);
		const state = sb.state();
		expect(state.creditNotes[0].RemainingCredit).toBe(cn.Total);
		expect(state.invoices.find((i) => i.InvoiceID === inv.InvoiceID)!.AmountDue).toBe(inv.Total);
	});

	it('refuses DRAFT credit notes, non-AUTHORISED invoices, other contacts and the other type family', async () => {
		const [a, b] = sb.state().contacts.filter((c) => c.ContactStatus === 'ACTIVE');
		const inv = await invoice(a.ContactID, 100);
		const draftCn = await creditNote(a.ContactID, 10, 'DRAFT');
		expect(
			messages((await allocate(draftCn.CreditNoteID, inv.InvoiceID, 1)).json.Elements[0]),
		).toContain('Allocations can only be made from Authorised credit notes.');
		const cn = await creditNote(a.ContactID, 10);
		const draftInv = await invoice(a.ContactID, 100, 'ACCREC', 'DRAFT');
		expect(
			messages((await allocate(cn.CreditNoteID, draftInv.InvoiceID, 1)).json.Elements[0]),
		).toContain('Credit can only be allocated to Authorised invoices.');
		const otherInv = await invoice(b.ContactID, 100);
		expect(
			messages((await allocate(cn.CreditNoteID, otherInv.InvoiceID, 1)).json.Elements[0]),
		).toContain('The invoice and the credit note must belong to the same contact.');
		const bill = await invoice(a.ContactID, 100, 'ACCPAY');
		const res = await allocate(cn.CreditNoteID, bill.InvoiceID, 1);
		expect(res.status).toBe(400);
		expect(messages(res.json.Elements[0]).join(' ')).toMatch(/ACCREC invoices/);
		expect(
			sb.state().creditNotes.find((c) => c.CreditNoteID === cn.CreditNoteID)!.Allocations,
		).toEqual([]);
	});
});
