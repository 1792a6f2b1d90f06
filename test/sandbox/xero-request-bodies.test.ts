// The sandbox checks every PUT/POST body against the operation's documented `requestBody` schema in
// xero_accounting.yaml with undocumented fields refused (sandbox/xero/README.md, "Request bodies"), so a node
// can never again send Xero a shape it does not document and still pass the tests.
import type { IDataObject } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { validateRequest } from '../../sandbox/xero/openapi';
import { SANDBOX_ENDPOINTS, startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { UNLIMITED, xeroApiCall } from '../helpers/xeroSandbox';

let xero: XeroSandbox;
let token: string;

beforeAll(async () => {
	xero = await startXeroSandbox({ log: () => {}, limits: UNLIMITED });
	token = xero.issueToken({ lifetimeSec: 3600 }).access_token;
});
afterAll(async () => await xero.close());
beforeEach(() => {
	xero.reset();
	token = xero.issueToken({ lifetimeSec: 3600 }).access_token;
});

async function send(
	method: string,
	path: string,
	body?: unknown,
	headers: Record<string, string> = {},
) {
	const response = await fetch(`${xero.url}/api.xro/2.0${path}`, {
		method,
		headers: {
			Authorization: `Bearer ${token}`,
			'xero-tenant-id': xero.defaultTenantId,
			Accept: 'application/json',
			...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
			...headers,
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	const call = xero.calls().at(-1)!;
	const isJson = (response.headers.get('content-type') ?? '').includes('json');
	return { status: response.status, json: (isJson ? JSON.parse(text) : {}) as IDataObject, call };
}

const lines = () => [
	{ Description: 'Boiler service', Quantity: 1, UnitAmount: 80, AccountCode: '200' },
];
const date = '2026-11-20';

interface Case {
	path: string;
	/** A body the spec documents for this operation. */
	body: IDataObject;
	/** Where in it a nested documented object sits (an element, a line), to put an undocumented field. */
	nested: (string | number)[];
}

/** One documented body per write operation the sandbox serves, with real ids from the seeded organisation. */
function cases(): Record<string, Case> {
	const s = xero.state();
	const invoiceId = s.invoices.find((i) => i.Status === 'AUTHORISED')!.InvoiceID;
	const contactId = s.contacts[0].ContactID;
	const category = s.trackingCategories[0];
	const option = category.Options[0];
	const account = s.accounts.find((a) => a.Code === '200')!;
	const guid = '5b1d2f70-3c4e-4a5b-9c6d-7e8f90a1b2c3';
	const paymentId = s.payments[0]?.PaymentID ?? guid;
	const invoice = { Type: 'ACCREC', Contact: { ContactID: contactId }, LineItems: lines() };
	const creditNote = {
		Type: 'ACCRECCREDIT',
		Contact: { ContactID: contactId },
		LineItems: lines(),
	};
	return {
		'PUT /Invoices': {
			path: '/Invoices',
			body: { Invoices: [invoice] },
			nested: ['Invoices', 0, 'LineItems', 0],
		},
		'POST /Invoices': {
			path: '/Invoices',
			body: { Invoices: [invoice] },
			nested: ['Invoices', 0, 'Contact'],
		},
		'POST /Invoices/{InvoiceID}': {
			path: `/Invoices/${invoiceId}`,
			body: { Invoices: [{ Reference: 'JOB-1' }] },
			nested: ['Invoices', 0],
		},
		'PUT /CreditNotes': {
			path: '/CreditNotes',
			body: { CreditNotes: [creditNote] },
			nested: ['CreditNotes', 0, 'LineItems', 0],
		},
		'POST /CreditNotes': {
			path: '/CreditNotes',
			body: { CreditNotes: [creditNote] },
			nested: ['CreditNotes', 0],
		},
		'POST /CreditNotes/{CreditNoteID}': {
			path: `/CreditNotes/${guid}`,
			body: { CreditNotes: [{ Reference: 'CN-1' }] },
			nested: ['CreditNotes', 0],
		},
		'PUT /CreditNotes/{CreditNoteID}/Allocations': {
			path: `/CreditNotes/${guid}/Allocations`,
			body: { Allocations: [{ Invoice: { InvoiceID: invoiceId }, Amount: 1, Date: date }] },
			nested: ['Allocations', 0, 'Invoice'],
		},
		'PUT /Contacts': {
			path: '/Contacts',
			body: { Contacts: [{ Name: 'New Customer' }] },
			nested: ['Contacts', 0],
		},
		'POST /Contacts': {
			path: '/Contacts',
			body: { Contacts: [{ Name: 'New Customer' }] },
			nested: ['Contacts', 0],
		},
		'POST /Contacts/{ContactID}': {
			path: `/Contacts/${contactId}`,
			body: { Contacts: [{ EmailAddress: 'office@example.test' }] },
			nested: ['Contacts', 0],
		},
		'PUT /Payments': {
			path: '/Payments',
			body: {
				Payments: [
					{ Invoice: { InvoiceID: invoiceId }, Account: { Code: '090' }, Amount: 1, Date: date },
				],
			},
			nested: ['Payments', 0, 'Account'],
		},
		'POST /Payments': {
			path: '/Payments',
			body: { Invoice: { InvoiceID: invoiceId }, Account: { Code: '090' }, Amount: 1, Date: date },
			nested: ['Invoice'],
		},
		'POST /Payments/{PaymentID}': {
			path: `/Payments/${paymentId}`,
			body: { Status: 'DELETED' },
			nested: [],
		},
		'PUT /BatchPayments': {
			path: '/BatchPayments',
			body: {
				BatchPayments: [
					{
						Account: { Code: '090' },
						Date: date,
						Payments: [{ Invoice: { InvoiceID: invoiceId }, Amount: 1 }],
					},
				],
			},
			nested: ['BatchPayments', 0, 'Payments', 0],
		},
		'POST /BatchPayments': {
			path: '/BatchPayments',
			body: { BatchPaymentID: guid, Status: 'DELETED' },
			nested: [],
		},
		'PUT /Accounts': {
			path: '/Accounts',
			body: { Code: '299', Name: 'Callouts', Type: 'REVENUE' },
			nested: [],
		},
		'POST /Accounts/{AccountID}': {
			path: `/Accounts/${account.AccountID}`,
			body: { Accounts: [{ Name: 'Sales (renamed)' }] },
			nested: ['Accounts', 0],
		},
		'PUT /TrackingCategories': {
			path: '/TrackingCategories',
			body: { Name: 'Department' },
			nested: [],
		},
		'POST /TrackingCategories/{TrackingCategoryID}': {
			path: `/TrackingCategories/${category.TrackingCategoryID}`,
			body: { Name: 'Business Units' },
			nested: [],
		},
		'PUT /TrackingCategories/{TrackingCategoryID}/Options': {
			path: `/TrackingCategories/${category.TrackingCategoryID}/Options`,
			body: { Name: 'Solar' },
			nested: [],
		},
		'POST /TrackingCategories/{TrackingCategoryID}/Options/{TrackingOptionID}': {
			path: `/TrackingCategories/${category.TrackingCategoryID}/Options/${option.TrackingOptionID}`,
			body: { Status: 'ACTIVE' },
			nested: [],
		},
	};
}

const WRITES = SANDBOX_ENDPOINTS.filter((e) => e.startsWith('PUT ') || e.startsWith('POST '));

/** A deep copy of `body` with `field: value` set on the object at `at`. */
function withField(body: IDataObject, at: (string | number)[], field: string, value: unknown) {
	const copy = structuredClone(body);
	let target = copy as Record<string | number, unknown>;
	for (const step of at) target = target[step] as Record<string | number, unknown>;
	target[field] = value;
	return copy;
}

function expectRefused(result: Awaited<ReturnType<typeof send>>, field: RegExp) {
	expect(result.status).toBe(400);
	expect(result.json).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException' });
	const messages = (
		(result.json.Elements as IDataObject[])[0].ValidationErrors as IDataObject[]
	).map((e) => String(e.Message));
	expect(messages.join('\n')).toMatch(field);
	expect(result.call.requestErrors?.join('\n')).toMatch(field);
}

describe('Xero sandbox: request bodies follow the spec', () => {
	it('has a documented body for every write operation it serves', () => {
		expect(Object.keys(cases()).sort()).toEqual([...WRITES].sort());
		for (const [endpoint, c] of Object.entries(cases())) {
			const [method, specPath] = endpoint.split(' ');
			expect({ endpoint, ...validateRequest(specPath, method, c.body) }).toMatchObject({
				endpoint,
				ok: true,
			});
		}
	});

	it.each(WRITES)(
		'%s: an undocumented field, at the top or nested, is refused and nothing changes',
		async (endpoint) => {
			const c = cases()[endpoint];
			const method = endpoint.split(' ')[0];
			const before = JSON.stringify(xero.state());
			for (const body of [
				withField(c.body, [], 'Colour', 'blue'),
				withField(c.body, c.nested, 'InternalNote', 'x'),
			]) {
				expectRefused(
					await send(method, c.path, body),
					/"(Colour|InternalNote)" is not a documented field/,
				);
			}
			expect(JSON.stringify(xero.state())).toBe(before);
			// The documented body itself is never refused by the schema (business rules may still say no).
			const documented = await send(method, c.path, c.body);
			expect(documented.call.requestErrors).toBeUndefined();
		},
	);

	it.each(WRITES)(
		'%s: a missing body, a non-object or a wrong type is refused',
		async (endpoint) => {
			const c = cases()[endpoint];
			const method = endpoint.split(' ')[0];
			expectRefused(await send(method, c.path), /request body is required/);
			expectRefused(await send(method, c.path, []), /must be object/);
			const typed = structuredClone(c.body);
			const first = Object.keys(typed)[0];
			typed[first] = 42;
			const wrongType = await send(method, c.path, typed);
			expect(wrongType.status).toBe(400);
			expect(wrongType.call.requestErrors?.join()).toMatch(new RegExp(`/${first}: must be`));
		},
	);

	it('tracking options: one TrackingOption {Name} per call; the {"Options":[…]} envelope is refused, creating nothing', async () => {
		const category = xero.state().trackingCategories[0];
		const count = category.Options.length;
		const path = `/TrackingCategories/${category.TrackingCategoryID}/Options`;
		expectRefused(
			await send('PUT', path, { Options: [{ Name: 'Solar' }, { Name: 'Drainage' }] }),
			/"Options" is not a documented field/,
		);
		expect(xero.state().trackingCategories[0].Options).toHaveLength(count);
		const created = await send('PUT', path, { Name: 'Solar' });
		expect(created.status).toBe(200);
		expect((created.json.Options as IDataObject[]).map((o) => o.Name)).toEqual(['Solar']);
		expect(xero.state().trackingCategories[0].Options).toHaveLength(count + 1);
	});

	it('reads Xero dates in both forms, refuses other date text, and names the field for an office person', async () => {
		const contactId = xero.state().contacts[0].ContactID;
		const invoice = (extra: IDataObject) => ({
			Invoices: [
				{ Type: 'ACCREC', Contact: { ContactID: contactId }, LineItems: lines(), ...extra },
			],
		});
		for (const ok of ['2026-11-20', '2026-11-20T10:30:00', '/Date(1795132800000+0000)/'])
			expect(validateRequest('/Invoices', 'PUT', invoice({ Date: ok })).ok).toBe(true);
		const bad = await send('PUT', '/Invoices', invoice({ Date: '20/11/2026', Status: 'LIVE' }));
		expect(bad.status).toBe(400);
		expect(bad.call.requestErrors).toEqual(
			expect.arrayContaining([
				'/Invoices/0/Date: must be a date (YYYY-MM-DD)',
				expect.stringMatching(
					/^\/Invoices\/0\/Status: must be one of DRAFT, SUBMITTED, DELETED, AUTHORISED/,
				),
			]),
		);
	});

	it('a refusal is remembered under its Idempotency-Key like any other answer', async () => {
		const path = `/TrackingCategories/${xero.state().trackingCategories[0].TrackingCategoryID}/Options`;
		const body = { Options: [{ Name: 'Solar' }] };
		const key = { 'Idempotency-Key': 'refused-once' };
		expect((await send('PUT', path, body, key)).status).toBe(400);
		const again = await send('PUT', path, body, key);
		expect(again.status).toBe(400);
		expect(again.call).toMatchObject({ idempotentReplay: true, idempotencyKey: 'refused-once' });
		const caller = { url: xero.url, tenantId: xero.defaultTenantId, accessToken: token };
		await expect(xeroApiCall(caller, 'PUT', path, { Name: 'Solar' })).resolves.toMatchObject({
			Options: [expect.objectContaining({ Name: 'Solar' })],
		});
	});
});
