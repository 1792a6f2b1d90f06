import { describe, expect, it } from 'vitest';
import type { XeroSandbox } from '../../sandbox/xero/server';
import type { XeroTestClient } from '../../sandbox/xero/client';
import { useSchemaCheckedXeroSandbox } from '../helpers/xeroSandbox';

let sb: XeroSandbox;
let x: XeroTestClient;
useSchemaCheckedXeroSandbox({}, (sandbox, client) => {
	sb = sandbox;
	x = client;
});

const msg = (el: { ValidationErrors: { Message: string }[] }) => el.ValidationErrors[0].Message;

describe('Xero sandbox contacts (docs/xero-rules.md §5)', () => {
	it('keeps names unique among active contacts, but an archived name can be reused', async () => {
		const res = await x.call('PUT', '/Contacts', {
			query: { summarizeErrors: false },
			body: {
				Contacts: [{ Name: 'alice hughes' }, { Name: 'Old Mill Cafe (closed)' }, { Name: '' }],
			},
		});
		expect(res.status).toBe(200);
		const [dup, reuse, empty] = res.json.Contacts;
		expect(dup).toMatchObject({ HasValidationErrors: true, StatusAttributeString: 'ERROR' });
		expect(msg(dup)).toBe(
			'The contact name alice hughes is already assigned to another contact. The contact name must be unique across all active contacts.',
		);
		expect(reuse.StatusAttributeString).toBe('OK');
		expect(msg(empty)).toMatch(/name must be specified/);
		// Restoring the archived namesake now clashes.
		const archived = sb.state().contacts.find((c) => c.ContactStatus === 'ARCHIVED')!;
		const restore = await x.call('POST', `/Contacts/${archived.ContactID}`, {
			body: { Contacts: [{ ContactStatus: 'ACTIVE' }] },
		});
		expect(restore.status).toBe(400);
	});

	it('keeps AccountNumber unique and looks contacts up by ContactNumber', async () => {
		const res = await x.call('POST', '/Contacts', {
			body: { Contacts: [{ Name: 'Zed Ltd', AccountNumber: 'ACC-1001' }] },
		});
		expect(res.status).toBe(400);
		expect(msg(res.json.Elements[0])).toBe(
			'The Account Number already exists. Please enter a different Account Number.',
		);
		const byNumber = await x.call('GET', '/Contacts/CUS-00002');
		expect(byNumber.json.Contacts[0]).toMatchObject({
			Name: 'Brian Patel',
			ContactNumber: 'CUS-00002',
		});
		expect((await x.call('GET', '/Contacts/CUS-99999')).status).toBe(404);
		// POST with an existing ContactNumber updates that contact.
		const upd = await x.call('POST', '/Contacts', {
			body: { Contacts: [{ ContactNumber: 'CUS-00002', EmailAddress: 'new@example.co.uk' }] },
		});
		expect(upd.json.Contacts[0]).toMatchObject({
			Name: 'Brian Patel',
			EmailAddress: 'new@example.co.uk',
		});
		expect(
			(
				await x.call('PUT', '/Contacts', {
					body: { Contacts: [{ Name: 'Other', ContactNumber: 'CUS-00002' }] },
				})
			).status,
		).toBe(400);
	});

	it('archives, hides archived contacts unless includeArchived, filters by where/searchTerm and pages', async () => {
		const c = sb.state().contacts[1];
		const arch = await x.call('POST', `/Contacts/${c.ContactID}`, {
			body: { Contacts: [{ ContactStatus: 'ARCHIVED' }] },
		});
		expect(arch.json.Contacts[0].ContactStatus).toBe('ARCHIVED');
		const names = (r: { json: { Contacts: { Name: string }[] } }) =>
			r.json.Contacts.map((k) => k.Name);
		const active = names(await x.call('GET', '/Contacts'));
		expect(active).not.toContain('Brian Patel');
		expect(active).not.toContain('Old Mill Cafe (closed)');
		expect(names(await x.call('GET', '/Contacts', { query: { includeArchived: true } }))).toContain(
			'Brian Patel',
		);
		expect(
			names(
				await x.call('GET', '/Contacts', {
					query: { where: 'EmailAddress=="emma.t@example.co.uk"' },
				}),
			),
		).toEqual(['Emma Thompson']);
		expect(
			names(await x.call('GET', '/Contacts', { query: { where: 'Name.StartsWith("Farah")' } })),
		).toEqual(['Farah Khan']);
		expect(
			names(await x.call('GET', '/Contacts', { query: { where: 'ContactNumber=="CUS-00005"' } })),
		).toEqual(['Emma Thompson']);
		expect(names(await x.call('GET', '/Contacts', { query: { searchTerm: 'HOUSING' } }))).toEqual([
			'Dorset Housing Association',
		]);
		const page = await x.call('GET', '/Contacts', {
			query: { page: 2, pageSize: 2, order: 'Name ASC' },
		});
		expect(page.json.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 3, itemCount: 6 });
		expect(names(page)).toEqual(['Dorset Housing Association', 'Emma Thompson']);
		const since = new Date(sb.now()).toISOString();
		sb.advanceClock(5);
		await x.call('POST', `/Contacts/${sb.state().contacts[0].ContactID}`, {
			body: { Contacts: [{ FirstName: 'Alicia' }] },
		});
		expect(
			names(await x.call('GET', '/Contacts', { headers: { 'If-Modified-Since': since } })),
		).toEqual(['Alice Hughes']);
	});

	it('replaces ContactPersons as a whole and keeps them when the key is absent', async () => {
		const c = sb.state().contacts[2];
		expect(c.ContactPersons).toHaveLength(1);
		await x.call('POST', `/Contacts/${c.ContactID}`, {
			body: { Contacts: [{ Website: 'https://carter.example' }] },
		});
		expect(sb.state().contacts[2].ContactPersons).toHaveLength(1);
		const res = await x.call('POST', `/Contacts/${c.ContactID}`, {
			body: {
				Contacts: [{ ContactPersons: [{ FirstName: 'Sam', EmailAddress: 'sam@carter.example' }] }],
			},
		});
		expect(res.json.Contacts[0].ContactPersons).toEqual([
			{ FirstName: 'Sam', EmailAddress: 'sam@carter.example', IncludeInEmails: false },
		]);
		const bad = await x.call('POST', `/Contacts/${c.ContactID}`, {
			body: { Contacts: [{ EmailAddress: 'not an email' }] },
		});
		expect(bad.status).toBe(400);
	});
});

describe('Xero sandbox payments (docs/xero-rules.md §6)', () => {
	const invoice = (n: string) => sb.state().invoices.find((i) => i.InvoiceNumber === n)!;
	const pay = (n: string, Amount: number, Account: Record<string, string> = { Code: '090' }) => ({
		Invoice: { InvoiceNumber: n },
		Account,
		Amount,
		Date: '2026-11-01',
	});

	it('applies payments to AUTHORISED invoices only, up to AmountDue, to a bank or payments-enabled account', async () => {
		const res = await x.call('PUT', '/Payments', {
			query: { summarizeErrors: false },
			body: {
				Payments: [
					pay('INV-0001', 10),
					pay('INV-0002', 9999),
					pay('INV-0002', 10, { Code: '200' }),
					pay('INV-0002', 10, { Code: '880' }),
					pay('INV-0002', 0),
				],
			},
		});
		expect(res.status).toBe(200);
		const [draft, tooMuch, wrongAccount, enabled, zero] = res.json.Payments;
		expect(msg(draft)).toBe('Payments can only be made against Authorised documents');
		expect(msg(tooMuch)).toBe('Payment amount exceeds the amount outstanding on this document');
		expect(msg(wrongAccount)).toBe('Account type is invalid for making a payment to/from');
		expect(enabled).toMatchObject({
			StatusAttributeString: 'OK',
			Amount: 10,
			Status: 'AUTHORISED',
			PaymentType: 'ACCRECPAYMENT',
		});
		expect(zero.HasValidationErrors).toBe(true);
		expect(invoice('INV-0002').AmountDue).toBe(158);
	});

	it('turns the invoice PAID at zero due and restores it when the payment is deleted', async () => {
		const due = invoice('INV-0002').AmountDue;
		const created = await x.call('POST', '/Payments', { body: pay('INV-0002', due) });
		expect(created.status).toBe(200);
		expect(invoice('INV-0002')).toMatchObject({
			Status: 'PAID',
			AmountDue: 0,
			FullyPaidOnDate: '2026-11-01',
		});
		const id = created.json.Payments[0].PaymentID;
		const since = new Date(sb.now()).toISOString();
		sb.advanceClock(5);
		const del = await x.call('POST', `/Payments/${id}`, { body: { Status: 'DELETED' } });
		expect(del.json.Payments[0].Status).toBe('DELETED');
		expect(invoice('INV-0002')).toMatchObject({
			Status: 'AUTHORISED',
			AmountDue: due,
			AmountPaid: 0,
		});
		expect((await x.call('POST', `/Payments/${id}`, { body: { Status: 'DELETED' } })).status).toBe(
			400,
		);
		// Deleted payments come back from If-Modified-Since polling with Status DELETED.
		const changed = await x.call('GET', '/Payments', { headers: { 'If-Modified-Since': since } });
		expect(
			changed.json.Payments.map((p: { PaymentID: string; Status: string }) => [
				p.PaymentID,
				p.Status,
			]),
		).toEqual([[id, 'DELETED']]);
	});

	it('pages payments and filters them with where', async () => {
		for (const n of ['INV-0002', 'INV-0005'])
			await x.call('PUT', '/Payments', { body: { Payments: [pay(n, 1), pay(n, 2)] } });
		const all = await x.call('GET', '/Payments', { query: { order: 'UpdatedDateUTC ASC' } });
		expect(all.json.Payments).toHaveLength(6);
		const page = await x.call('GET', '/Payments', { query: { page: 2, pageSize: 4 } });
		expect(page.json.pagination).toEqual({ page: 2, pageSize: 4, pageCount: 2, itemCount: 6 });
		expect(page.json.Payments).toHaveLength(2);
		const big = await x.call('GET', '/Payments', {
			query: { where: 'Amount >= 2 AND Status=="AUTHORISED"' },
		});
		expect(big.json.Payments.map((p: { Amount: number }) => p.Amount).sort()).toEqual(
			[2, 2, 200, 234].sort(),
		);
	});

	it('creates one payment per invoice for a batch payment, each carrying the BatchPaymentID', async () => {
		const res = await x.call('PUT', '/BatchPayments', {
			body: {
				BatchPayments: [
					{
						Account: { Code: '090' },
						Date: '2026-11-02',
						Reference: 'BACS run',
						Payments: [
							{ Invoice: { InvoiceID: invoice('INV-0002').InvoiceID }, Amount: 168 },
							{ Invoice: { InvoiceID: invoice('INV-0005').InvoiceID }, Amount: 100 },
						],
					},
				],
			},
		});
		expect(res.status).toBe(200);
		const batch = res.json.BatchPayments[0];
		expect(batch).toMatchObject({ Type: 'RECBATCH', Status: 'AUTHORISED', TotalAmount: 268 });
		const payments = sb.state().payments.filter((p) => p.BatchPaymentID === batch.BatchPaymentID);
		expect(payments).toHaveLength(2);
		expect(invoice('INV-0002').Status).toBe('PAID');
		// A payment inside a batch is not deleted on its own; the batch is.
		expect(
			(await x.call('POST', `/Payments/${payments[0].PaymentID}`, { body: { Status: 'DELETED' } }))
				.status,
		).toBe(400);
		const del = await x.call('POST', '/BatchPayments', {
			body: { BatchPaymentID: batch.BatchPaymentID, Status: 'DELETED' },
		});
		expect(del.json.BatchPayments[0].Status).toBe('DELETED');
		expect(invoice('INV-0002')).toMatchObject({ Status: 'AUTHORISED', AmountDue: 168 });
		// One bad payment fails the whole batch.
		const bad = await x.call('PUT', '/BatchPayments', {
			body: {
				BatchPayments: [
					{
						Account: { Code: '090' },
						Date: '2026-11-02',
						Payments: [
							{ Invoice: { InvoiceID: invoice('INV-0002').InvoiceID }, Amount: 1 },
							{ Invoice: { InvoiceID: invoice('INV-0001').InvoiceID }, Amount: 1 },
						],
					},
				],
			},
		});
		expect(bad.status).toBe(400);
		expect(sb.state().batchPayments).toHaveLength(1);
	});
});
