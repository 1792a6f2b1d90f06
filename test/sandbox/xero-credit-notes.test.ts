import { describe, expect, it, onTestFinished } from 'vitest';
import type { XeroSandbox } from '../../sandbox/xero/server';
import type { XeroTestClient } from '../../sandbox/xero/client';
import {
	MSG_ALLOCATION_EXCEEDS_CREDIT,
	MSG_ALLOCATION_EXCEEDS_DUE,
	MSG_CREDIT_NOTE_NOT_FOUND,
	MSG_CREDIT_NOTE_NOT_VALID_STATUS,
} from '../../sandbox/xero/creditNotes';
import { MSG_HAS_PAYMENTS } from '../../sandbox/xero/invoices';
import { seededRandom } from '../../sandbox/shared/http';
import { validateResponse } from '../../sandbox/xero/openapi';
import { useSchemaCheckedXeroSandbox } from '../helpers/xeroSandbox';

let sb: XeroSandbox;
let x: XeroTestClient;
useSchemaCheckedXeroSandbox({}, (sandbox, client) => {
	sb = sandbox;
	x = client;
});

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

const cents = (n: number) => Math.round(n * 100) / 100;
const updateCreditNote = (id: string, fields: Record<string, unknown>) =>
	x.call('POST', `/CreditNotes/${id}`, { body: { CreditNotes: [fields] } });
const getCreditNoteJson = async (id: string) =>
	(await x.call('GET', `/CreditNotes/${id}`)).json.CreditNotes[0];
const getInvoiceJson = async (id: string) =>
	(await x.call('GET', `/Invoices/${id}`)).json.Invoices[0];
/** The rate of the tax type account 200 defaults to, read from the sandbox's settings. */
const salesRate = () =>
	sb
		.state()
		.taxRates.find((t) => t.TaxType === sb.state().accounts.find((a) => a.Code === '200')!.TaxType)!
		.Rate / 100;

describe('Xero sandbox credit notes: edits, status changes and deleting allocations', () => {
	it('edits a DRAFT: kept lines are updated, new lines added, left-out lines removed, totals recomputed', async () => {
		const contact = sb.state().contacts[0];
		const created = await x.call('PUT', '/CreditNotes', {
			body: {
				CreditNotes: [
					{
						Type: 'ACCRECCREDIT',
						Contact: { ContactID: contact.ContactID },
						LineItems: [
							{ Description: 'Keep', Quantity: 1, UnitAmount: 10, AccountCode: '200' },
							{ Description: 'Drop', Quantity: 1, UnitAmount: 99, AccountCode: '200' },
						],
					},
				],
			},
		});
		const draft = created.json.CreditNotes[0];
		expect(draft.Status).toBe('DRAFT');
		const keep = draft.LineItems.find((l: { Description: string }) => l.Description === 'Keep');
		const res = await updateCreditNote(draft.CreditNoteID, {
			Reference: 'Returned parts',
			LineItems: [
				{ LineItemID: keep.LineItemID, Quantity: 3 },
				{ Description: 'New', Quantity: 2, UnitAmount: 7.25, AccountCode: '200' },
			],
		});
		expect(res.status).toBe(200);
		const edited = res.json.CreditNotes[0];
		const rate = salesRate();
		const subTotal = 3 * 10 + 2 * 7.25;
		const tax = cents(30 * rate) + cents(14.5 * rate);
		expect(edited).toMatchObject({
			Reference: 'Returned parts',
			SubTotal: subTotal,
			TotalTax: cents(tax),
			Total: cents(subTotal + tax),
			RemainingCredit: cents(subTotal + tax),
		});
		expect(edited.LineItems.map((l: { Description: string }) => l.Description)).toEqual([
			'Keep',
			'New',
		]);
		expect(edited.LineItems[0].LineItemID).toBe(keep.LineItemID);
		expect(sb.state().creditNotes[0].Total).toBe(cents(subTotal + tax));
	});

	it('follows the invoice status machine: DRAFT→SUBMITTED→AUTHORISED, no way back, approval needs account codes', async () => {
		const contact = sb.state().contacts[0];
		const draft = await creditNote(contact.ContactID, 20, 'DRAFT');
		const noAccount = await updateCreditNote(draft.CreditNoteID, {
			Status: 'SUBMITTED',
			LineItems: [{ Description: 'No account', Quantity: 1, UnitAmount: 5 }],
		});
		expect(noAccount.status).toBe(400);
		expect(messages(noAccount.json.Elements[0]).join(' ')).toMatch(/AccountCode must be specified/);
		expect(sb.state().creditNotes[0].Status).toBe('DRAFT');
		expect((await updateCreditNote(draft.CreditNoteID, { Status: 'SUBMITTED' })).status).toBe(200);
		const approved = await updateCreditNote(draft.CreditNoteID, { Status: 'AUTHORISED' });
		expect(approved.json.CreditNotes[0].Status).toBe('AUTHORISED');
		for (const status of ['DRAFT', 'DELETED', 'PAID']) {
			const back = await updateCreditNote(draft.CreditNoteID, { Status: status });
			expect(back.status).toBe(400);
			expect(messages(back.json.Elements[0])).toEqual([MSG_CREDIT_NOTE_NOT_VALID_STATUS]);
		}
		const other = await creditNote(contact.ContactID, 5, 'DRAFT');
		expect((await updateCreditNote(other.CreditNoteID, { Status: 'DELETED' })).status).toBe(200);
		const deleted = sb.state().creditNotes.find((c) => c.CreditNoteID === other.CreditNoteID)!;
		expect(deleted).toMatchObject({ Status: 'DELETED', RemainingCredit: 0 });
		const afterDelete = await updateCreditNote(other.CreditNoteID, { Reference: 'x' });
		expect(messages(afterDelete.json.Elements[0])).toEqual([MSG_CREDIT_NOTE_NOT_VALID_STATUS]);
		const typeChange = await updateCreditNote(draft.CreditNoteID, { Type: 'ACCPAYCREDIT' });
		expect(messages(typeChange.json.Elements[0])).toContain(
			'The credit note Type cannot be changed.',
		);
	});

	it('voiding is refused while credit is allocated, allowed once the allocation is deleted', async () => {
		const contact = sb.state().contacts[0];
		const inv = await invoice(contact.ContactID, 100);
		const cn = await creditNote(contact.ContactID, 10);
		const allocation = (await allocate(cn.CreditNoteID, inv.InvoiceID, 4)).json.Allocations[0];
		const refused = await updateCreditNote(cn.CreditNoteID, { Status: 'VOIDED' });
		expect(refused.status).toBe(400);
		expect(refused.json).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
		expect(messages(refused.json.Elements[0])).toEqual([MSG_HAS_PAYMENTS]);
		const edit = await updateCreditNote(cn.CreditNoteID, { Reference: 'changed' });
		expect(messages(edit.json.Elements[0])).toEqual([MSG_HAS_PAYMENTS]);
		// A field that leaves the total alone may still change.
		expect((await updateCreditNote(cn.CreditNoteID, { SentToContact: true })).status).toBe(200);
		const stored = sb.state().creditNotes[0];
		expect(stored).toMatchObject({ Status: 'AUTHORISED', SentToContact: true });
		expect(stored.Reference).toBeUndefined();

		const del = await x.call(
			'DELETE',
			`/CreditNotes/${cn.CreditNoteID}/Allocations/${allocation.AllocationID}`,
		);
		expect(del.status).toBe(200);
		const voided = await updateCreditNote(cn.CreditNoteID, { Status: 'VOIDED' });
		expect(voided.status).toBe(200);
		expect(voided.json.CreditNotes[0]).toMatchObject({ Status: 'VOIDED', RemainingCredit: 0 });
		expect(
			messages((await allocate(cn.CreditNoteID, inv.InvoiceID, 1)).json.Elements[0]),
		).toContain('Allocations can only be made from Authorised credit notes.');
		expect(await getInvoiceJson(inv.InvoiceID)).toMatchObject({
			AmountDue: inv.Total,
			AmountCredited: 0,
			CreditNotes: [],
		});
	});

	it('voids an AUTHORISED credit note that never had credit allocated', async () => {
		const contact = sb.state().contacts[0];
		const cn = await creditNote(contact.ContactID, 10);
		const res = await updateCreditNote(cn.CreditNoteID, { Status: 'VOIDED' });
		expect(res.status).toBe(200);
		expect(await getCreditNoteJson(cn.CreditNoteID)).toMatchObject({
			Status: 'VOIDED',
			RemainingCredit: 0,
			Total: cn.Total,
		});
	});

	it('deleting an allocation restores both sides: PAID invoice and PAID credit note are AUTHORISED again', async () => {
		const contact = sb.state().contacts[0];
		const inv = await invoice(contact.ContactID, 40);
		const cn = await creditNote(contact.ContactID, 40);
		expect(cn.Total).toBe(inv.Total);
		const allocation = (await allocate(cn.CreditNoteID, inv.InvoiceID, inv.Total)).json
			.Allocations[0];
		expect(await getInvoiceJson(inv.InvoiceID)).toMatchObject({ Status: 'PAID', AmountDue: 0 });
		const paidCn = await getCreditNoteJson(cn.CreditNoteID);
		expect(paidCn).toMatchObject({ Status: 'PAID', RemainingCredit: 0 });
		expect(paidCn.FullyPaidOnDate).toMatch(/^\/Date\(\d+\+0000\)\/$/);

		const url = `/CreditNotes/${cn.CreditNoteID}/Allocations/${allocation.AllocationID}`;
		const del = await x.call('DELETE', url);
		expect(del.status).toBe(200);
		expect(del.json.Allocations).toHaveLength(1);
		expect(del.json.Allocations[0]).toMatchObject({
			AllocationID: allocation.AllocationID,
			Amount: inv.Total,
			Invoice: { InvoiceID: inv.InvoiceID },
			IsDeleted: true,
		});
		// The answer is checked against the spec's `Allocations` (Xero's actual shape), and that check has teeth.
		const deletePath = '/CreditNotes/{CreditNoteID}/Allocations/{AllocationID}';
		expect(validateResponse(deletePath, 'DELETE', 200, del.json)).toMatchObject({
			ok: true,
			schema: 'Allocations',
		});
		expect(
			validateResponse(deletePath, 'DELETE', 200, { Allocations: [{ IsDeleted: true }] }).ok,
		).toBe(false);
		const invAfter = await getInvoiceJson(inv.InvoiceID);
		expect(invAfter).toMatchObject({
			Status: 'AUTHORISED',
			AmountDue: inv.Total,
			AmountCredited: 0,
			CreditNotes: [],
		});
		expect(invAfter.FullyPaidOnDate).toBeUndefined();
		const cnAfter = await getCreditNoteJson(cn.CreditNoteID);
		expect(cnAfter).toMatchObject({
			Status: 'AUTHORISED',
			RemainingCredit: cn.Total,
			Allocations: [],
		});
		expect(cnAfter.FullyPaidOnDate).toBeUndefined();
		// The invoice is no longer locked: it can be voided now.
		const voided = await x.call('POST', `/Invoices/${inv.InvoiceID}`, {
			body: { Invoices: [{ Status: 'VOIDED' }] },
		});
		expect(voided.status).toBe(200);
		expect((await x.call('DELETE', url)).status).toBe(404);
		expect(
			(
				await x.call(
					'DELETE',
					`/CreditNotes/00000000-0000-0000-0000-000000000000/Allocations/${allocation.AllocationID}`,
				)
			).status,
		).toBe(404);
		expect(sb.callStats().byEndpoint).toHaveProperty(
			['DELETE /CreditNotes/{CreditNoteID}/Allocations/{AllocationID}'],
			3,
		);
	});

	it('deleting one of several allocations leaves the others in place', async () => {
		const contact = sb.state().contacts[0];
		const inv = await invoice(contact.ContactID, 100);
		const cn = await creditNote(contact.ContactID, 50);
		const first = (await allocate(cn.CreditNoteID, inv.InvoiceID, 10)).json.Allocations[0];
		await allocate(cn.CreditNoteID, inv.InvoiceID, 15);
		await x.call('DELETE', `/CreditNotes/${cn.CreditNoteID}/Allocations/${first.AllocationID}`);
		const cnAfter = await getCreditNoteJson(cn.CreditNoteID);
		expect(cnAfter.Allocations.map((a: { Amount: number }) => a.Amount)).toEqual([15]);
		expect(cnAfter.RemainingCredit).toBe(cents(cn.Total - 15));
		expect(await getInvoiceJson(inv.InvoiceID)).toMatchObject({
			AmountCredited: 15,
			AmountDue: cents(inv.Total - 15),
		});
	});

	it("an invoice's CreditNotes[] lists the credit allocated to it, on the single GET and the list", async () => {
		const contact = sb.state().contacts[0];
		const inv = await invoice(contact.ContactID, 100);
		const other = await invoice(contact.ContactID, 100);
		const a = await creditNote(contact.ContactID, 10);
		const b = await creditNote(contact.ContactID, 20);
		await allocate(a.CreditNoteID, inv.InvoiceID, 6);
		await allocate(b.CreditNoteID, inv.InvoiceID, 9.5);
		await allocate(b.CreditNoteID, other.InvoiceID, 1);
		const one = await getInvoiceJson(inv.InvoiceID);
		expect(one.CreditNotes).toEqual([
			{
				CreditNoteID: a.CreditNoteID,
				CreditNoteNumber: a.CreditNoteNumber,
				AppliedAmount: 6,
				Date: a.Date,
				LineItems: [],
				Total: a.Total,
			},
			{
				CreditNoteID: b.CreditNoteID,
				CreditNoteNumber: b.CreditNoteNumber,
				AppliedAmount: 9.5,
				Date: b.Date,
				LineItems: [],
				Total: b.Total,
			},
		]);
		expect(one.AmountCredited).toBe(15.5);
		const list = (
			await x.call('GET', '/Invoices', { query: { IDs: `${inv.InvoiceID},${other.InvoiceID}` } })
		).json.Invoices;
		const byId = new Map(list.map((i: { InvoiceID: string }) => [i.InvoiceID, i]));
		expect(byId.get(inv.InvoiceID)).toMatchObject({ CreditNotes: one.CreditNotes });
		expect(byId.get(other.InvoiceID)).toMatchObject({
			CreditNotes: [{ CreditNoteID: b.CreditNoteID, AppliedAmount: 1 }],
		});
	});

	it('POST /CreditNotes updates by CreditNoteID and creates the rest; an unknown id is an element error', async () => {
		const contact = sb.state().contacts[0];
		const draft = await creditNote(contact.ContactID, 10, 'DRAFT');
		const res = await x.call('POST', '/CreditNotes', {
			query: { summarizeErrors: 'false' },
			body: {
				CreditNotes: [
					{ CreditNoteID: draft.CreditNoteID, Status: 'AUTHORISED' },
					{
						Type: 'ACCPAYCREDIT',
						Contact: { ContactID: contact.ContactID },
						LineItems: [
							{ Description: 'Bill credit', Quantity: 1, UnitAmount: 3, AccountCode: '429' },
						],
					},
					{ CreditNoteID: '00000000-0000-4000-8000-000000000000', Reference: 'x' },
				],
			},
		});
		expect(res.status).toBe(200);
		const [updated, created, missing] = res.json.CreditNotes;
		expect(updated).toMatchObject({
			CreditNoteID: draft.CreditNoteID,
			Status: 'AUTHORISED',
			StatusAttributeString: 'OK',
		});
		expect(created).toMatchObject({ Type: 'ACCPAYCREDIT', Status: 'DRAFT', SubTotal: 3 });
		expect(missing).toMatchObject({ StatusAttributeString: 'ERROR', HasErrors: true });
		expect(messages(missing)).toEqual([MSG_CREDIT_NOTE_NOT_FOUND]);
		expect(sb.state().creditNotes.map((c) => c.Status)).toEqual(['AUTHORISED', 'DRAFT']);
		// PUT is for new credit notes only.
		const put = await x.call('PUT', '/CreditNotes', {
			body: { CreditNotes: [{ CreditNoteID: draft.CreditNoteID, Reference: 'x' }] },
		});
		expect(put.status).toBe(400);
		expect(sb.state().creditNotes).toHaveLength(2);
	});

	it('answers generated credit-note writes with Xero shapes (200/400/404), never 500', async () => {
		const r = seededRandom(20261126);
		const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
		const contact = sb.state().contacts[0];
		const inv = await invoice(contact.ContactID, 500);
		for (const unit of [10, 20, 30]) await creditNote(contact.ContactID, unit);
		const values = (): unknown =>
			pick<() => unknown>([
				() => null,
				() => true,
				() => Math.floor(r() * 200) - 100,
				() => '',
				() => pick(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'VOIDED', 'DELETED', 'PAID', 'draft']),
				() => pick(['ACCRECCREDIT', 'ACCPAYCREDIT', 'ACCREC', '2026-13-45', '2026-11-20']),
				() => ({ ContactID: contact.ContactID }),
				() => [
					{
						Description: 'x',
						Quantity: r() * 5,
						UnitAmount: r() * 50,
						AccountCode: pick(['200', '429', '9999']),
					},
				],
				() => 'x'.repeat(Math.floor(r() * 300)),
			])();
		const keys = [
			'Type',
			'Contact',
			'Status',
			'LineItems',
			'Date',
			'Reference',
			'LineAmountTypes',
			'CurrencyCode',
			'SentToContact',
			'CreditNoteNumber',
		];
		const statuses: Record<string, number> = {};
		const succeeded = new Set<string>();
		const limits = sb.getLimits();
		sb.setLimits({ perTenantMinute: 1e6, perTenantDay: 1e6, appMinute: 1e6 });
		onTestFinished(() => sb.setLimits(limits));
		for (let i = 0; i < 150; i++) {
			const ids = sb.state().creditNotes.map((c) => c.CreditNoteID);
			// Half the elements start from a valid credit note, so writes that succeed are generated too.
			const valid = {
				Type: 'ACCRECCREDIT',
				Contact: { ContactID: contact.ContactID },
				Status: 'AUTHORISED',
				LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 30, AccountCode: '200' }],
			};
			const element = {
				...(r() < 0.5 ? valid : {}),
				...Object.fromEntries(
					Array.from({ length: Math.floor(r() * 4) }, () => [pick(keys), values()]),
				),
			};
			const target = r() < 0.85 ? pick(ids) : undefined;
			const allocations = target
				? sb.state().creditNotes.find((c) => c.CreditNoteID === target)!.Allocations
				: [];
			const [method, path, body] = pick<[string, string, unknown]>([
				['PUT', '/CreditNotes', { CreditNotes: [element] }],
				[
					'POST',
					'/CreditNotes',
					{ CreditNotes: [target ? { ...element, CreditNoteID: target } : element] },
				],
				['POST', `/CreditNotes/${target ?? 'CN-9999'}`, { CreditNotes: [element] }],
				[
					'PUT',
					`/CreditNotes/${target ?? 'CN-9999'}/Allocations`,
					{
						Allocations: [
							{
								Invoice: { InvoiceID: inv.InvoiceID },
								Amount: r() < 0.5 ? cents(r() * 10) : values(),
								Date: '2026-11-20',
							},
						],
					},
				],
				[
					'DELETE',
					`/CreditNotes/${target ?? 'CN-9999'}/Allocations/${allocations[0]?.AllocationID ?? 'nope'}`,
					undefined,
				],
			]);
			const res = await x.call(method, path, { body });
			statuses[res.status] = (statuses[res.status] ?? 0) + 1;
			if (res.status === 200) succeeded.add(`${method} ${path.split('/').length}`);
			if (res.status >= 500)
				throw new Error(
					`${method} ${path} ${JSON.stringify(body)} → ${res.status} ${res.text.slice(0, 300)}`,
				);
		}
		expect(Object.keys(statuses).filter((s) => !['200', '400', '404'].includes(s))).toEqual([]);
		expect(statuses['400']).toBeGreaterThan(0);
		// Every kind of write succeeded at least once (method and path depth).
		expect([...succeeded].sort()).toEqual(['DELETE 5', 'POST 2', 'POST 3', 'PUT 2', 'PUT 4']);
		// The books still balance: every invoice's AmountCredited is the sum of the live allocations against it.
		const state = sb.state();
		for (const i of state.invoices) {
			const allocated = state.creditNotes
				.flatMap((c) => c.Allocations)
				.filter((a) => a.InvoiceID === i.InvoiceID)
				.reduce((sum, a) => cents(sum + a.Amount), 0);
			expect(i.AmountCredited ?? 0).toBe(allocated);
			if (i.Status !== 'VOIDED' && i.Status !== 'DELETED')
				expect(i.AmountDue).toBe(cents(i.Total - i.AmountPaid - allocated));
		}
		for (const c of state.creditNotes) {
			const used = c.Allocations.reduce((sum, a) => cents(sum + a.Amount), 0);
			if (c.Status === 'VOIDED' || c.Status === 'DELETED') expect(c.RemainingCredit).toBe(0);
			else expect(c.RemainingCredit).toBe(cents(c.Total - used));
		}
	});
});
