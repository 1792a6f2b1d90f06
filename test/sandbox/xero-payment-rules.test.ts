// The Xero sandbox's payment rules (docs/xero-rules.md §6.2) for each invoice state and account kind a payment can
// meet, and the amount due after credit notes, element by element with summarizeErrors=false.
import { describe, expect, it } from 'vitest';

import type { XeroTestClient } from '../../sandbox/xero/client';
import {
	MSG_ACCOUNT_TYPE,
	MSG_AMOUNT_EXCEEDS,
	MSG_NOT_AUTHORISED,
} from '../../sandbox/xero/payments';
import type { XeroSandbox } from '../../sandbox/xero/server';
import { useSchemaCheckedXeroSandbox } from '../helpers/xeroSandbox';

let sb: XeroSandbox;
let x: XeroTestClient;
useSchemaCheckedXeroSandbox({}, (sandbox, client) => {
	sb = sandbox;
	x = client;
});

const messages = (el: { ValidationErrors?: { Message: string }[] }) =>
	(el.ValidationErrors ?? []).map((v) => v.Message);

const contactId = () => sb.state().contacts[0].ContactID;

async function invoice(status: string, unit = 100) {
	const res = await x.call('PUT', '/Invoices', {
		body: {
			Invoices: [
				{
					Type: 'ACCREC',
					Contact: { ContactID: contactId() },
					Status:
						status === 'VOIDED' || status === 'DELETED'
							? status === 'VOIDED'
								? 'AUTHORISED'
								: 'DRAFT'
							: status,
					DueDate: '2026-12-31',
					LineAmountTypes: 'NoTax',
					LineItems: [{ Description: 'Work', Quantity: 1, UnitAmount: unit, AccountCode: '200' }],
				},
			],
		},
	});
	expect(res.status).toBe(200);
	const id = res.json.Invoices[0].InvoiceID as string;
	if (status === 'VOIDED' || status === 'DELETED') {
		const changed = await x.call('POST', `/Invoices/${id}`, {
			body: { Invoices: [{ InvoiceID: id, Status: status }] },
		});
		expect(changed.status).toBe(200);
	}
	return id;
}

const pay = (
	InvoiceID: string,
	Amount: number,
	Account: Record<string, string> = { Code: '090' },
) => ({
	Invoice: { InvoiceID },
	Account,
	Amount,
	Date: '2026-11-28',
	Reference: 'Commusoft payment test',
});

async function putPayments(payments: object[]) {
	const res = await x.call('PUT', '/Payments', {
		query: { summarizeErrors: false },
		body: { Payments: payments },
	});
	expect(res.status).toBe(200);
	return res.json.Payments as Array<{
		ValidationErrors?: { Message: string }[];
		StatusAttributeString: string;
	}>;
}

describe('Xero sandbox: where a payment may go (docs/xero-rules.md §6.2)', () => {
	it.each(['DRAFT', 'SUBMITTED', 'VOIDED', 'DELETED'])(
		'refuses a payment on a %s invoice and leaves it unpaid',
		async (status) => {
			const id = await invoice(status);
			const [el] = await putPayments([pay(id, 10)]);
			expect(el.StatusAttributeString).toBe('ERROR');
			expect(messages(el).join(' ')).toMatch(
				status === 'DELETED'
					? new RegExp(`${MSG_NOT_AUTHORISED}|could not be found`)
					: new RegExp(MSG_NOT_AUTHORISED),
			);
			expect(sb.state().payments.filter((p) => p.InvoiceID === id)).toHaveLength(0);
		},
	);

	it('refuses a payment on a PAID invoice, and one above the amount due, also when the batch splits it over two elements', async () => {
		const id = await invoice('AUTHORISED');
		const [first, second, third] = await putPayments([pay(id, 60), pay(id, 40.01), pay(id, 40)]);
		expect(first.StatusAttributeString).toBe('OK');
		expect(messages(second)).toEqual([MSG_AMOUNT_EXCEEDS]);
		expect(third.StatusAttributeString).toBe('OK');
		const [late] = await putPayments([pay(id, 0.01)]);
		expect(messages(late)).toEqual([MSG_NOT_AUTHORISED]);
	});

	it.each([
		['a BANK account', true, { Code: '090' }],
		['an account with payments enabled', true, { Code: '880' }],
		['a revenue account', false, { Code: '200' }],
	] as const)('into %s: accepted %s', async (_, accepted, account) => {
		const id = await invoice('AUTHORISED');
		const [el] = await putPayments([pay(id, 10, account)]);
		if (accepted) expect(el.StatusAttributeString).toBe('OK');
		else expect(messages(el)).toEqual([MSG_ACCOUNT_TYPE]);
	});

	it('counts credit notes in the amount due: a credited invoice takes no more than what is left', async () => {
		const id = await invoice('AUTHORISED');
		const cn = await x.call('PUT', '/CreditNotes', {
			body: {
				CreditNotes: [
					{
						Type: 'ACCRECCREDIT',
						Contact: { ContactID: contactId() },
						Status: 'AUTHORISED',
						LineAmountTypes: 'NoTax',
						LineItems: [{ Description: 'Refund', Quantity: 1, UnitAmount: 30, AccountCode: '200' }],
					},
				],
			},
		});
		const cnId = cn.json.CreditNotes[0].CreditNoteID as string;
		const allocated = await x.call('PUT', `/CreditNotes/${cnId}/Allocations`, {
			body: { Allocations: [{ Invoice: { InvoiceID: id }, Amount: 30, Date: '2026-11-20' }] },
		});
		expect(allocated.status).toBe(200);
		const [part] = await putPayments([pay(id, 50)]);
		expect(part.StatusAttributeString).toBe('OK');
		const inv = () => sb.state().invoices.find((i) => i.InvoiceID === id)!;
		expect(inv().AmountDue).toBe(20);
		const [over] = await putPayments([pay(id, 20.01)]);
		expect(messages(over)).toEqual([MSG_AMOUNT_EXCEEDS]);
		const [rest] = await putPayments([pay(id, 20)]);
		expect(rest.StatusAttributeString).toBe('OK');
		expect(inv()).toMatchObject({ Status: 'PAID', AmountDue: 0 });
	});

	it('refuses a payment body with a field the spec does not document', async () => {
		const id = await invoice('AUTHORISED');
		const res = await x.call('PUT', '/Payments', {
			query: { summarizeErrors: false },
			body: { Payments: [{ ...pay(id, 10), PaymentMethod: 'card' }] },
		});
		expect(res.status).toBe(400);
		expect(sb.state().payments.filter((p) => p.InvoiceID === id)).toHaveLength(0);
	});
});
