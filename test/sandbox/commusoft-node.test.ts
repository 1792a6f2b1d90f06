/* eslint-disable @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The Commusoft node and its transport run through n8n-core's real WorkflowExecute (test/helpers/n8nCore.ts)
// against the Commusoft sandbox over HTTP. Invoice/payment/job behaviour exercises the ASSUMED contract
// (docs/commusoft-api-contract.md), not facts about Commusoft's real API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import {
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';
import { startAnswerDroppingProxy, type AnswerDroppingProxy } from '../helpers/answerDroppingProxy';
import { runNode } from '../helpers/n8nCore';
import { commusoftCredential } from '../helpers/xeroSandbox';

let sandbox: RunningCommusoftSandbox;

function credentials(overrides: Partial<ICredentialDataDecryptedObject> = {}) {
	return { commusoftApi: commusoftCredential(sandbox, overrides) };
}

async function run(
	parameters: IDataObject,
	options: {
		items?: IDataObject[];
		creds?: Record<string, ICredentialDataDecryptedObject>;
		continueOnFail?: boolean;
	} = {},
) {
	const result = await runNode(
		'commusoft',
		parameters as never,
		options.items ?? [{}],
		options.creds ?? credentials(),
		options.continueOnFail ? { node: { onError: 'continueRegularOutput' } } : {},
	);
	return result;
}

const json = (items: INodeExecutionData[]) => items.map((item) => item.json as IDataObject);
const count = (endpoint: string) => sandbox.state.callCounts()[endpoint] ?? 0;
const SECRETS = () => [sandbox.credentials.password, ...sandbox.state.tokens.keys()];

function expectNoSecrets(value: unknown) {
	const text = JSON.stringify(value, Object.getOwnPropertyNames(value ?? {}));
	const full = `${text} ${JSON.stringify(value)}`;
	for (const secret of SECRETS()) expect(full).not.toContain(secret);
}

beforeAll(async () => {
	sandbox = await startCommusoftSandbox();
});
afterAll(async () => sandbox.close());
beforeEach(() => sandbox.state.reset(true));

describe('token flow', () => {
	it('logs in once, stores the token in the credential, reuses it, and logs in again after expiry', async () => {
		const first = await run({
			resource: 'invoice',
			operation: 'getMany',
			returnAll: false,
			limit: 2,
		});
		expect(first.error).toBeUndefined();
		expect(first.items).toHaveLength(2);
		expect(count('POST /getToken')).toBe(1);
		const stored = first.credentialsAfter.commusoftApi.token as string;
		expect(sandbox.state.tokens.has(stored)).toBe(true);

		const second = await run(
			{ resource: 'invoice', operation: 'getMany', returnAll: false, limit: 1 },
			{ creds: first.credentialsAfter },
		);
		expect(second.error).toBeUndefined();
		expect(count('POST /getToken')).toBe(1);

		sandbox.state.expireTokens();
		const third = await run(
			{ resource: 'invoice', operation: 'getMany', returnAll: false, limit: 1 },
			{ creds: second.credentialsAfter },
		);
		expect(third.error).toBeUndefined();
		expect(third.items).toHaveLength(1);
		expect(count('POST /getToken')).toBe(2);
		expect(third.credentialsAfter.commusoftApi.token).not.toBe(stored);
		const statuses = sandbox.state.calls
			.filter((c) => c.endpoint === 'GET /invoices')
			.map((c) => c.status);
		expect(statuses).toEqual([200, 200, 401, 200]);
	});

	it('sends the token as ?token= when the credential says so', async () => {
		const result = await run(
			{ resource: 'job', operation: 'get', jobId: sandbox.state.data.jobs[0].uuid },
			{ creds: credentials({ authMode: 'query' }) },
		);
		expect(result.error).toBeUndefined();
		expect(sandbox.state.calls.at(-1)).toMatchObject({
			endpoint: 'GET /jobs/{uuid}',
			tokenVia: 'query',
		});
	});

	const ONE_INVOICE = { resource: 'invoice', operation: 'getMany', returnAll: false, limit: 1 };
	/** Reads once (a token is issued), then Commusoft expires every token and answers expired ones with 403. */
	async function readOnceThenExpireTokensAs403() {
		const first = await run(ONE_INVOICE);
		sandbox.state.setFaults({ expiredTokenStatus: 403 });
		sandbox.state.expireTokens();
		return first;
	}

	it('forces a new token when an expired token is answered with 403 (not configured as a re-login status)', async () => {
		const first = await readOnceThenExpireTokensAs403();
		const second = await run(ONE_INVOICE, { creds: first.credentialsAfter });
		expect(second.error).toBeUndefined();
		expect(count('POST /getToken')).toBe(2);
		expect(second.credentialsAfter.commusoftApi.token).not.toBe(
			first.credentialsAfter.commusoftApi.token,
		);
	});

	it('re-logs in through n8n core when 403 is configured as a re-login status', async () => {
		const first = await readOnceThenExpireTokensAs403();
		const second = await run(ONE_INVOICE, {
			creds: {
				commusoftApi: { ...first.credentialsAfter.commusoftApi, reloginStatusCodes: '401, 403' },
			},
		});
		expect(second.error).toBeUndefined();
		expect(count('POST /getToken')).toBe(2);
	});

	it('reports refused credentials without echoing the password', async () => {
		const wrongPassword = ['not', 'the', 'password', '123'].join('-');
		const result = await run(
			{ resource: 'invoice', operation: 'getMany', returnAll: true },
			{ creds: credentials({ password: wrongPassword }) },
		);
		expect(result.error?.message).toContain('Commusoft login failed');
		expect(result.error?.message).toContain('401');
		const text = JSON.stringify(result.error, Object.getOwnPropertyNames(result.error));
		expect(text).not.toContain(wrongPassword);
		expect(JSON.stringify(result.run.data)).not.toContain(wrongPassword);
	});
});

describe('paging and retries', () => {
	beforeEach(() => {
		const customerUuid = sandbox.state.data.customers[2].uuid;
		for (let n = 0; n < 85; n++) {
			sandbox.state.raiseInvoice({
				customerUuid,
				category: 'Plumbing',
				lines: [
					{ description: `Extra ${n}`, unitPrice: 10 + n, nominalCode: '200', vatRate: '20%' },
				],
			});
		}
	});

	it('reads every page and stops on the short one', async () => {
		const result = await run({ resource: 'invoice', operation: 'getMany', returnAll: true });
		expect(result.error).toBeUndefined();
		const ids = json(result.items).map((invoice) => invoice.id);
		// 31 seeded (30 job invoices and a deposit invoice) + 85 raised here
		expect(ids).toHaveLength(116);
		expect(new Set(ids).size).toBe(116);
		const pages = sandbox.state.calls
			.filter((c) => c.endpoint === 'GET /invoices')
			.map((c) => c.query.page);
		expect(pages).toEqual(['1', '2']);
		const stamps = json(result.items).map((invoice) => invoice.updatedAt as string);
		expect([...stamps].sort()).toEqual(stamps);
	});

	it('stops when a server ignores paging instead of looping', async () => {
		sandbox.state.setFaults({ ignorePaging: true });
		const result = await run({ resource: 'invoice', operation: 'getMany', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(116);
		expect(count('GET /invoices')).toBe(2);
	});

	it('waits out 429 with Retry-After and retries 500s, then succeeds', async () => {
		sandbox.state.setFaults({
			rateLimit: 1,
			retryAfterSeconds: 1,
			serverErrors: 2,
			pathPrefix: '/invoices',
		});
		const result = await run({
			resource: 'invoice',
			operation: 'getMany',
			returnAll: false,
			limit: 3,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(3);
		const statuses = sandbox.state.calls
			.filter((c) => c.endpoint === 'GET /invoices')
			.map((c) => c.status);
		expect(statuses).toEqual([429, 500, 500, 200]);
		const [limited, retried] = sandbox.state.calls.filter((c) => c.endpoint === 'GET /invoices');
		expect(Date.parse(retried.at) - Date.parse(limited.at)).toBeGreaterThanOrEqual(1000);
	});

	it('fails at once, saying so, when Retry-After is longer than a run should wait', async () => {
		sandbox.state.setFaults({ rateLimit: 1, retryAfterSeconds: 600, pathPrefix: '/invoices' });
		const result = await run({ resource: 'invoice', operation: 'getMany', returnAll: true });
		expect(result.error?.message).toBe(
			'Commusoft asked to wait 600 s before retrying invoice (429)',
		);
		expect(count('GET /invoices')).toBe(1);
	});

	it('gives up after a bounded number of 5xx answers with an error naming the record', async () => {
		sandbox.state.setFaults({ serverErrors: 50, serverErrorStatus: 503, pathPrefix: '/jobs' });
		const jobId = sandbox.state.data.jobs[0].uuid;
		const result = await run({ resource: 'job', operation: 'get', jobId });
		expect(result.error?.message).toBe(`Commusoft failed on job "${jobId}" (503 after 5 attempts)`);
		expect(count('GET /jobs/{uuid}')).toBe(5);
	});
});

describe('records and errors', () => {
	it('emits invoices as CommusoftInvoice records with lines, nominal codes, category, customer and property', async () => {
		const invoice = sandbox.state.data.invoices[3];
		const result = await run({ resource: 'invoice', operation: 'get', invoiceId: invoice.uuid });
		const [record] = json(result.items);
		expect(record).toMatchObject({
			id: invoice.uuid,
			invoiceNumber: invoice.invoiceNumber,
			status: 'raised',
			currency: 'GBP',
			category: expect.any(String),
			customer: { id: invoice.customerUuid, accountReference: expect.stringMatching(/^CUS-/) },
			property: { id: invoice.propertyUuid, addressLine1: expect.any(String) },
		});
		const lines = record.lines as IDataObject[];
		expect(lines.map((line) => line.nominalCode)).toEqual(
			invoice.lines.map((line) => line.nominalCode),
		);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('names the missing record and the assumption on 404, per item, with continueOnFail', async () => {
		const good = sandbox.state.data.invoices[0].uuid;
		const result = await run(
			{ resource: 'invoice', operation: 'get', invoiceId: '={{ $json.id }}' },
			{ items: [{ id: 'no-such-invoice' }, { id: good }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		const [missing, found] = result.items;
		expect(missing.json.error).toBe(
			'Commusoft invoice "no-such-invoice" was not found (404) on item 0',
		);
		expect((missing.json.details as IDataObject).description).toContain(
			'Fix: check the invoice id in Commusoft',
		);
		expect(missing.pairedItem).toEqual({ item: 0 });
		expect(found.json.id).toBe(good);
		expect(found.pairedItem).toEqual({ item: 1 });
		expectNoSecrets(result.items);
	});

	it('sends a failed item to the error output under "Continue (using error output)"', async () => {
		const good = sandbox.state.data.invoices[0].uuid;
		const result = await runNode(
			'commusoft',
			{ resource: 'invoice', operation: 'get', invoiceId: '={{ $json.id }}' } as never,
			[{ id: good }, { id: 'no-such-invoice' }],
			credentials(),
			{ node: { onError: 'continueErrorOutput' } },
		);
		expect(result.error).toBeUndefined();
		expect(json(result.outputs[0]).map((item) => item.id)).toEqual([good]);
		expect(result.outputs[1]).toHaveLength(1);
		expect(result.outputs[1][0].json.error).toBe(
			'Commusoft invoice "no-such-invoice" was not found (404) on item 1',
		);
		expect(result.outputs[1][0].pairedItem).toEqual({ item: 1 });
	});

	it('stops on the failing item without continueOnFail, naming it', async () => {
		const result = await run(
			{ resource: 'customer', operation: 'get', customerId: '={{ $json.id }}' },
			{ items: [{ id: sandbox.state.data.customers[0].uuid }, { id: 'gone' }] },
		);
		expect(result.error?.message).toBe('Commusoft customer "gone" was not found (404) on item 1');
		expect((result.error as { context?: IDataObject }).context?.itemIndex).toBe(1);
		expectNoSecrets(result.error);
	});

	it('says which assumed endpoint is missing when a Commusoft has no invoice API', async () => {
		// A server that only knows getToken: what a real Commusoft without the assumed /invoices would look like.
		const bare: Server = createServer((req, res) => {
			if (req.url?.endsWith('/getToken')) {
				res.writeHead(200, { 'Content-Type': 'text/plain' }).end('bare-token-0001');
			} else {
				res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"Not Found"}');
			}
		});
		await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
		try {
			const base = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/v1`;
			const result = await run(
				{ resource: 'invoice', operation: 'getMany', returnAll: true },
				{ creds: credentials({ baseUrl: base, authMode: 'query' }) },
			);
			expect(result.error?.message).toBe(
				'Commusoft invoice endpoint /invoices returned 404 on item 0 — check the Commusoft base URL',
			);
			expect(result.error?.description).toContain('GET /invoices is an assumed endpoint');
			expect(JSON.stringify(result.run.data.resultData)).not.toContain('bare-token-0001');
		} finally {
			await new Promise((resolve) => bare.close(resolve));
		}
	});
});

describe('payment create is idempotent by external reference', () => {
	function unpaidInvoice() {
		return sandbox.state.data.invoices.find(
			(invoice) =>
				invoice.status === 'raised' &&
				!sandbox.state.data.payments.some((p) => p.invoiceUuid === invoice.uuid),
		)!;
	}

	it('records the same Xero PaymentID once across runs and within one run', async () => {
		const invoice = unpaidInvoice();
		const parameters = {
			resource: 'payment',
			operation: 'create',
			invoiceId: '={{ $json.invoiceId }}',
			amount: '={{ $json.amount }}',
			externalReference: '={{ $json.paymentId }}',
			date: '2026-11-20',
			method: 'bank_transfer',
			reference: 'Xero payment',
		};
		const item = {
			invoiceId: invoice.uuid,
			amount: 25.5,
			paymentId: 'b7f0c7e2-0000-4000-8000-00000000aa01',
		};
		const first = await run(parameters, { items: [item, item] });
		expect(first.error).toBeUndefined();
		expect(json(first.items).map((out) => out.result)).toEqual(['created', 'alreadyRecorded']);
		const second = await run(parameters, { items: [item] });
		expect(json(second.items)[0].result).toBe('alreadyRecorded');
		expect((json(second.items)[0].payment as IDataObject).id).toBe(
			(json(first.items)[0].payment as IDataObject).id,
		);
		const stored = sandbox.state.data.payments.filter(
			(p) => p.externalReference === item.paymentId,
		);
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({
			amount: 25.5,
			invoiceUuid: invoice.uuid,
			date: '2026-11-20',
		});
		expect(count('POST /payments')).toBe(1);
	});

	it('refuses to reuse a reference for another amount, and reports Commusoft refusing an overpayment', async () => {
		const invoice = unpaidInvoice();
		const base = {
			resource: 'payment',
			operation: 'create',
			invoiceId: invoice.uuid,
			externalReference: 'xero-pay-7',
			date: '',
		};
		expect((await run({ ...base, amount: 10 })).error).toBeUndefined();
		const conflict = await run({ ...base, amount: 11 });
		expect(conflict.error?.message).toContain('already holds payment');
		expect(conflict.error?.message).toContain('xero-pay-7');
		const tooMuch = await run({ ...base, externalReference: 'xero-pay-8', amount: 99999 });
		expect(tooMuch.error?.message).toMatch(
			/^Commusoft rejected the request for payment "xero-pay-8" for invoice ".+" \(422\): Payment: amount 99999.00 exceeds the outstanding balance/,
		);
		expect(sandbox.state.data.payments.filter((p) => p.invoiceUuid === invoice.uuid)).toHaveLength(
			1,
		);
	});

	it('rejects a bad amount before calling Commusoft', async () => {
		const result = await run({
			resource: 'payment',
			operation: 'create',
			invoiceId: unpaidInvoice().uuid,
			externalReference: 'x1',
			amount: 10.005,
		});
		expect(result.error?.message).toContain(
			'Amount 10.005 has more than 2 decimal places on item 0',
		);
		expect(count('POST /payments')).toBe(0);
	});
});

describe('customer upsert by external reference', () => {
	it('creates once, then updates the same customer; ambiguity is an error', async () => {
		const parameters = {
			resource: 'customer',
			operation: 'upsert',
			matchBy: 'xeroContactId',
			matchValue: 'xero-contact-42',
			firstName: ' Nadia ',
			lastName: 'Rahman',
			additionalFields: {
				email: 'nadia@example.com',
				postcode: 'ls6 1aa',
				addressLine1: '5 Cliff Road',
			},
		};
		const before = sandbox.state.data.customers.length;
		const created = await run(parameters);
		expect(created.error).toBeUndefined();
		const [first] = json(created.items);
		expect(first.result).toBe('created');
		expect(first.customer).toMatchObject({
			firstName: 'Nadia',
			xeroContactId: 'xero-contact-42',
			address: { addressLine1: '5 Cliff Road', postcode: 'LS6 1AA' },
		});
		const updated = await run({
			...parameters,
			additionalFields: { email: 'nadia.rahman@example.com', town: 'Leeds' },
		});
		const [second] = json(updated.items);
		expect(second.result).toBe('updated');
		expect((second.customer as IDataObject).id).toBe((first.customer as IDataObject).id);
		expect(second.customer).toMatchObject({
			email: 'nadia.rahman@example.com',
			address: { addressLine1: '5 Cliff Road', town: 'Leeds', postcode: 'LS6 1AA' },
		});
		expect(sandbox.state.data.customers.length).toBe(before + 1);

		sandbox.state.editCustomer(sandbox.state.data.customers[0].uuid, {
			accountingSettings: { accountingReference: 'dup' },
		});
		sandbox.state.editCustomer(sandbox.state.data.customers[1].uuid, {
			accountingSettings: { accountingReference: 'dup' },
		});
		const ambiguous = await run({ ...parameters, matchValue: 'dup' });
		expect(ambiguous.error?.message).toMatch(
			/^2 Commusoft customers match xeroContactId "dup" on item 0: CUS-00001/,
		);
	});

	it('matches by account reference and gets customers by filter', async () => {
		const result = await run({
			resource: 'customer',
			operation: 'upsert',
			matchBy: 'accountReference',
			matchValue: 'CUS-00003',
			firstName: 'Sarah',
			lastName: "O'Neill",
			additionalFields: { mobile: '07700 900999' },
		});
		expect(json(result.items)[0]).toMatchObject({
			result: 'updated',
			customer: { accountReference: 'CUS-00003', mobile: '07700 900999' },
		});
		const listed = await run({
			resource: 'customer',
			operation: 'getMany',
			returnAll: true,
			filters: { accountReference: 'CUS-00003' },
		});
		expect(json(listed.items).map((c) => c.lastName)).toEqual(["O'Neill"]);
	});

	it('creates and updates a customer, refusing an invalid email with the field named', async () => {
		const created = await run({
			resource: 'customer',
			operation: 'create',
			firstName: 'Ben',
			lastName: 'Ward',
			additionalFields: { title: 'Mr', telephone: '0113 496 0999' },
		});
		const customer = json(created.items)[0];
		expect(customer).toMatchObject({ title: 'Mr', firstName: 'Ben', customerType: 'private' });
		const bad = await run({
			resource: 'customer',
			operation: 'update',
			customerId: customer.id,
			updateFields: { email: 'ben at example' },
		});
		expect(bad.error?.message).toBe('Email "ben at example" is not an email address on item 0');
		const good = await run({
			resource: 'customer',
			operation: 'update',
			customerId: customer.id,
			updateFields: { companyName: 'Ward Builders', customerType: 'company' },
		});
		expect(json(good.items)[0]).toMatchObject({
			companyName: 'Ward Builders',
			customerType: 'company',
			telephone: '0113 496 0999',
		});
	});
});

describe('writes whose answer is lost are retried without writing twice', () => {
	let proxy: AnswerDroppingProxy;

	beforeAll(async () => {
		proxy = await startAnswerDroppingProxy(sandbox.url);
	});
	afterAll(async () => await proxy.close());

	it('a payment whose 201 was lost is recorded once and reported as created', async () => {
		const invoice = sandbox.state.data.invoices.find(
			(candidate) =>
				candidate.status === 'raised' &&
				!sandbox.state.data.payments.some((payment) => payment.invoiceUuid === candidate.uuid),
		)!;
		proxy.dropNext.add('POST /payments');
		const result = await run(
			{
				resource: 'payment',
				operation: 'create',
				invoiceId: invoice.uuid,
				amount: 12.34,
				externalReference: 'xero-lost-answer-1',
				date: '2026-11-21',
			},
			{ creds: credentials({ baseUrl: proxy.apiBaseUrl }) },
		);
		expect(result.error).toBeUndefined();
		expect(json(result.items)[0].result).toBe('created');
		expect(count('POST /payments')).toBe(2);
		expect(
			sandbox.state.data.payments.filter((p) => p.externalReference === 'xero-lost-answer-1'),
		).toHaveLength(1);
	});

	it('a customer whose 201 was lost is created once and returned', async () => {
		const before = sandbox.state.data.customers.length;
		proxy.dropNext.add('POST /customers');
		const result = await run(
			{
				resource: 'customer',
				operation: 'create',
				firstName: 'Lost',
				lastName: 'Answer',
				additionalFields: {},
			},
			{ creds: credentials({ baseUrl: proxy.apiBaseUrl }) },
		);
		expect(result.error).toBeUndefined();
		expect(json(result.items)[0]).toMatchObject({ firstName: 'Lost', lastName: 'Answer' });
		expect(sandbox.state.data.customers.length).toBe(before + 1);
		expect(sandbox.state.callCounts()['POST /customers']).toBe(2);
	});
});

describe('suppliers, credit notes and supplier invoices', () => {
	it('Get Many and Get read each through the router; filters are re-checked locally', async () => {
		const suppliers = await run({ resource: 'supplier', operation: 'getMany', returnAll: true });
		expect(suppliers.error).toBeUndefined();
		expect(json(suppliers.items)).toHaveLength(5);
		const supplierId = String(json(suppliers.items)[0].id);
		const one = await run({ resource: 'supplier', operation: 'get', supplierId });
		expect(json(one.items)[0]).toMatchObject({
			recordType: 'supplier',
			accountReference: 'SUP-00001',
		});

		const bills = await run({
			resource: 'supplierInvoice',
			operation: 'getMany',
			returnAll: true,
			filters: { supplierId, status: 'raised' },
		});
		expect(json(bills.items).map((bill) => bill.supplierInvoiceNumber)).toEqual(['PC-448812']);
		const bill = await run({
			resource: 'supplierInvoice',
			operation: 'get',
			supplierInvoiceId: String(json(bills.items)[0].id),
		});
		expect(json(bill.items)[0]).toMatchObject({ supplier: { id: supplierId } });

		const deposit = sandbox.state.data.invoices.find((invoice) => invoice.invoiceType)!;
		const notes = await run({
			resource: 'creditNote',
			operation: 'getMany',
			returnAll: true,
			filters: { invoiceId: deposit.uuid },
		});
		expect(json(notes.items)).toEqual([
			expect.objectContaining({
				creditNoteNumber: 'CN-501',
				creditedCommusoftInvoiceId: deposit.uuid,
			}),
		]);
		const note = await run({
			resource: 'creditNote',
			operation: 'get',
			creditNoteId: String(json(notes.items)[0].id),
		});
		expect(json(note.items)[0]).toMatchObject({ creditNoteNumber: 'CN-501', total: 72 });
	});

	it('a supplier invoice without its supplier invoice number fails only that item, naming the field', async () => {
		const [bill] = sandbox.state.data.supplierInvoices;
		const good = sandbox.state.data.supplierInvoices[1];
		bill.supplierInvoiceNumber = '';
		const result = await run(
			{ resource: 'supplierInvoice', operation: 'get', supplierInvoiceId: '={{ $json.id }}' },
			{ items: [{ id: bill.uuid }, { id: good.uuid }], continueOnFail: true },
		);
		const [failed, ok] = json(result.items);
		expect(failed.error).toMatch(/supplier invoice .*"supplierInvoiceNumber" is missing/);
		expect(ok).toMatchObject({ id: good.uuid, supplierInvoiceNumber: '1001' });
	});

	it('a missing credit note is told apart from a missing endpoint (404)', async () => {
		const result = await run(
			{ resource: 'creditNote', operation: 'get', creditNoteId: 'no-such-note' },
			{ continueOnFail: true },
		);
		expect(json(result.items)[0].error).toMatch(/credit note "no-such-note" was not found \(404\)/);
	});
});
