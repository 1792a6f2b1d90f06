// xero-node's generated AccountingApi pointed at the sandbox by its basePath: a second, independent client that
// proves the sandbox speaks the wire format the official SDK expects (docs/xero-rules.md §11).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccountingApi } from 'xero-node/dist/gen/api/accountingApi';
import type { Invoices } from 'xero-node/dist/gen/model/accounting/invoices';
import type { Payment } from 'xero-node/dist/gen/model/accounting/payment';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';

let sb: XeroSandbox;
let api: AccountingApi;
let tenant: string;
beforeAll(async () => {
	sb = await startXeroSandbox();
});
beforeEach(() => {
	sb.reset();
	api = new AccountingApi(`${sb.url}/api.xro/2.0`);
	api.accessToken = sb.issueToken().access_token;
	tenant = sb.defaultTenantId;
});
afterAll(async () => sb.close());

/** xero-node rejects non-2xx responses with a JSON string (§11.4). */
async function rejection(
	p: Promise<unknown>,
): Promise<{ response: { statusCode: number; headers: Record<string, string> }; body: unknown }> {
	try {
		await p;
	} catch (error) {
		return JSON.parse(error as string);
	}
	throw new Error('expected a rejection');
}

describe('xero-node AccountingApi against the sandbox', () => {
	it('reads invoices with filters, paging and If-Modified-Since, deserialising msdates', async () => {
		const all = await api.getInvoices(
			tenant,
			undefined,
			'Status=="AUTHORISED"',
			'InvoiceNumber ASC',
			undefined,
			undefined,
			undefined,
			undefined,
			1,
			undefined,
			undefined,
			undefined,
			undefined,
			2,
		);
		expect(all.body.invoices!.map((i) => i.invoiceNumber)).toEqual(['INV-0002', 'INV-0005']);
		expect(all.body.invoices![0].lineItems!.length).toBeGreaterThan(0);
		expect(all.body.pagination).toMatchObject({ page: 1, pageSize: 2, itemCount: 2 });
		expect(all.body.invoices![0].date as unknown).toBeInstanceOf(Date);
		expect(all.response.headers['x-minlimit-remaining']).toBe('59');
		const byNumbers = await api.getInvoices(
			tenant,
			undefined,
			undefined,
			undefined,
			undefined,
			['INV-0001', 'INV-0003'],
			undefined,
			['DRAFT'],
		);
		expect(byNumbers.body.invoices!.map((i) => i.invoiceNumber)).toEqual(['INV-0001']);
		const since = await api.getInvoices(tenant, new Date(sb.now() + 60_000));
		expect(since.body.invoices).toEqual([]);
	});

	it('creates invoices with summarizeErrors=false, unitdp and an idempotency key', async () => {
		const contactID = sb.state().contacts[0].ContactID;
		const payload = {
			invoices: [
				{
					type: 'ACCREC',
					contact: { contactID },
					invoiceNumber: 'XN-1',
					lineItems: [
						{
							description: 'Parts',
							quantity: 2,
							unitAmount: 1.2345,
							accountCode: '220',
							taxType: 'OUTPUT2',
							tracking: [{ name: 'Region', option: 'South' }],
						},
					],
				},
				{
					type: 'ACCREC',
					contact: { contactID },
					invoiceNumber: 'INV-0002',
					lineItems: [{ description: 'dup', quantity: 1, unitAmount: 1, accountCode: '200' }],
				},
			],
		};
		const res = await api.createInvoices(
			tenant,
			payload as unknown as Invoices,
			false,
			4,
			'xn-key-1',
		);
		const [ok, dup] = res.body.invoices!;
		expect(ok.statusAttributeString).toBe('OK');
		expect(ok.lineItems![0]).toMatchObject({
			unitAmount: 1.2345,
			lineAmount: 2.47,
			taxAmount: 0.49,
		});
		expect(ok.lineItems![0].tracking![0]).toMatchObject({ name: 'Region', option: 'South' });
		expect(dup.hasErrors).toBe(true);
		expect(dup.validationErrors![0].message).toBe('Invoice # must be unique.');
		const replay = await api.createInvoices(
			tenant,
			payload as unknown as Invoices,
			false,
			4,
			'xn-key-1',
		);
		expect(replay.response.data).toEqual(res.response.data);
		expect(sb.state().invoices.filter((i) => i.InvoiceNumber === 'XN-1')).toHaveLength(1);
	});

	it('surfaces the summarised 400 ValidationException and 403/404 as parsed rejections', async () => {
		const contactID = sb.state().contacts[0].ContactID;
		const bad = await rejection(
			api.updateOrCreateInvoices(tenant, {
				invoices: [
					{
						type: 'ACCREC',
						contact: { contactID },
						lineItems: [{ description: 'x', quantity: 1, unitAmount: 1, accountCode: '999' }],
					},
				],
			} as unknown as Invoices),
		);
		expect(bad.response.statusCode).toBe(400);
		expect(bad.body).toMatchObject({
			Type: 'ValidationException',
			Elements: [
				{
					ValidationErrors: [
						{ Message: "Account code '999' is not a valid code for this document." },
					],
				},
			],
		});
		const forbidden = await rejection(api.getOrganisations('00000000-0000-4000-8000-000000000000'));
		expect(forbidden.response.statusCode).toBe(403);
		expect(forbidden.body).toMatchObject({ Detail: 'AuthenticationUnsuccessful' });
		const missing = await rejection(api.getInvoice(tenant, '00000000-0000-4000-8000-000000000000'));
		expect(missing.response.statusCode).toBe(404);
	});

	it('looks up contacts by ContactNumber, pays an invoice and reads tracking categories', async () => {
		const contact = await api.getContactByContactNumber(tenant, 'CUS-00002');
		expect(contact.body.contacts![0].name).toBe('Brian Patel');
		const invoice = sb.state().invoices.find((i) => i.InvoiceNumber === 'INV-0002')!;
		const paid = await api.createPayment(tenant, {
			invoice: { invoiceID: invoice.InvoiceID },
			account: { code: '090' },
			amount: invoice.AmountDue,
			date: '2026-11-20',
		} as unknown as Payment);
		expect(paid.body.payments![0].status as unknown).toBe('AUTHORISED');
		expect(
			(await api.getInvoice(tenant, invoice.InvoiceID)).body.invoices![0].status as unknown,
		).toBe('PAID');
		const payments = await api.getPayments(
			tenant,
			undefined,
			undefined,
			'UpdatedDateUTC DESC',
			1,
			1,
		);
		expect(payments.body.payments![0].paymentID).toBe(paid.body.payments![0].paymentID);
		const tracking = await api.getTrackingCategories(tenant);
		expect(tracking.body.trackingCategories!.map((c) => c.name)).toEqual([
			'Business Unit',
			'Region',
		]);
		const accounts = await api.getAccounts(tenant, undefined, 'Code=="090"');
		expect(accounts.body.accounts![0].name).toBe('Business Bank Account');
	});
});
