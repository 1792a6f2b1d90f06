import { describe, expect, it } from 'vitest';

import { loadOptions, runNode } from '../helpers/n8nCore';
import type { XeroSandbox } from '../../sandbox/xero/server';
import { GRANULAR_PKCE, useXeroSandboxPerFile, xeroCredential } from '../helpers/xeroSandbox';

// The Xero Accounting node's simple operations run through n8n-core's real WorkflowExecute against the Xero
// sandbox, with an OAuth2 credential whose token set the sandbox issued. Faults and limits are set through
// the sandbox's own API; its call log is the evidence.

let sandbox: XeroSandbox;
let tenantId: string;

function credentials(token = sandbox.issueToken()) {
	return { xeroAccountingOAuth2Api: xeroCredential(sandbox.url, token, GRANULAR_PKCE) };
}

function invoiceByNumber(number: string) {
	const invoice = sandbox.state().invoices.find((i) => i.InvoiceNumber === number);
	if (!invoice) throw new Error(`seed has no ${number}`);
	return invoice;
}

useXeroSandboxPerFile((started) => {
	sandbox = started;
	tenantId = started.defaultTenantId;
});

/** The node once, on one empty item, with a fresh token. */
const runOnce = async (parameters: Parameters<typeof runNode>[1]) =>
	await runNode('xeroAccounting', parameters, [{}], credentials());

/** Invoice → `operation` by number, one item per number. */
async function runByNumber(
	operation: 'get' | 'void',
	numbers: string[],
	options: Parameters<typeof runNode>[4] = {},
) {
	return await runNode(
		'xeroAccounting',
		{
			resource: 'invoice',
			operation,
			tenantId,
			lookupBy: 'number',
			invoiceNumber: '={{ $json.n }}',
		},
		numbers.map((n) => ({ n })),
		credentials(),
		options,
	);
}

describe('Invoice → Get', () => {
	it('finds invoices by number and by ID, one output per input, paired', async () => {
		const paid = invoiceByNumber('INV-0003');
		const byNumber = await runByNumber('get', ['INV-0002', 'INV-0001']);
		expect(byNumber.error).toBeUndefined();
		expect(byNumber.items.map((i) => i.json.InvoiceNumber)).toEqual(['INV-0002', 'INV-0001']);
		expect(byNumber.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

		const byId = await runOnce({
			resource: 'invoice',
			operation: 'get',
			tenantId,
			lookupBy: 'id',
			invoiceId: paid.InvoiceID,
		});
		expect(byId.error).toBeUndefined();
		expect(byId.items[0].json.InvoiceID).toBe(paid.InvoiceID);
		expect((byId.items[0].json.LineItems as unknown[]).length).toBeGreaterThan(0);
		// every call carried the tenant
		const apiCalls = sandbox.calls().filter((c) => c.path.includes('/Invoices'));
		expect(apiCalls).toHaveLength(3);
		expect(apiCalls.every((c) => c.tenantId === tenantId && c.status === 200)).toBe(true);
	});

	it("reports a missing invoice as that item's error, naming what was searched", async () => {
		const { items, error } = await runByNumber('get', ['INV-0001', 'NOPE-404'], {
			node: { onError: 'continueRegularOutput' },
		});
		expect(error).toBeUndefined();
		expect(items[0].json.InvoiceNumber).toBe('INV-0001');
		expect(items[1].json.error).toMatch(/No invoice with number "NOPE-404"/);
		expect(items[1].pairedItem).toEqual({ item: 1 });
	});

	it('sends a missing invoice to the error output under "Continue (using error output)"', async () => {
		const { outputs, error } = await runByNumber('get', ['NOPE-404', 'INV-0001'], {
			node: { onError: 'continueErrorOutput' },
		});
		expect(error).toBeUndefined();
		expect(outputs[0].map((i) => i.json.InvoiceNumber)).toEqual(['INV-0001']);
		expect(outputs[1]).toHaveLength(1);
		expect(outputs[1][0].json.error).toMatch(/No invoice with number "NOPE-404"/);
		expect(outputs[1][0].pairedItem).toEqual({ item: 0 });
	});

	it('rejects a malformed ID before calling Xero', async () => {
		const { error, items } = await runOnce({
			resource: 'invoice',
			operation: 'get',
			tenantId,
			lookupBy: 'id',
			invoiceId: 'INV-0001',
		});
		expect(items).toEqual([]);
		expect(error?.message).toMatch(/"Invoice ID" must be a Xero ID/);
		expect(sandbox.calls().filter((c) => c.path.includes('/Invoices'))).toHaveLength(0);
	});
});

describe('Invoice → Get Many', () => {
	it('filters by status and pages until a short page, honouring the limit', async () => {
		const all = sandbox.state().invoices.filter((i) => ['AUTHORISED', 'PAID'].includes(i.Status));
		const { items, error } = await runOnce({
			resource: 'invoice',
			operation: 'getMany',
			tenantId,
			returnAll: true,
			filters: { statuses: ['AUTHORISED', 'PAID'] },
			options: { pageSize: 1 },
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.InvoiceNumber).sort()).toEqual(
			all.map((i) => i.InvoiceNumber).sort(),
		);
		expect(items.every((i) => ['AUTHORISED', 'PAID'].includes(String(i.json.Status)))).toBe(true);
		expect(items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		const pages = sandbox.calls().filter((c) => c.endpoint.includes('/Invoices'));
		// one call per record (pageSize 1); Xero's pagination.pageCount ends it without an extra empty call
		expect(pages.length).toBe(all.length);

		const limited = await runOnce({
			resource: 'invoice',
			operation: 'getMany',
			tenantId,
			returnAll: false,
			limit: 2,
		});
		expect(limited.items).toHaveLength(2);
	});

	it('filters on an invoice date range', async () => {
		const { items, error } = await runOnce({
			resource: 'invoice',
			operation: 'getMany',
			tenantId,
			returnAll: true,
			filters: { dateFrom: '2026-09-05', dateTo: '2026-09-09T00:00:00' },
		});
		expect(error).toBeUndefined();
		const expected = sandbox
			.state()
			.invoices.filter((i) => i.Date >= '2026-09-05' && i.Date <= '2026-09-09')
			.map((i) => i.InvoiceNumber)
			.sort();
		expect(expected.length).toBeGreaterThan(0);
		expect(items.map((i) => i.json.InvoiceNumber).sort()).toEqual(expected);
	});

	it('sends If-Modified-Since to Xero', async () => {
		const { items, error } = await runOnce({
			resource: 'invoice',
			operation: 'getMany',
			tenantId,
			returnAll: true,
			filters: { modifiedSince: '2999-01-01T00:00:00Z' },
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([]);
	});
});

describe('organisation by name', () => {
	it('routes each item to the organisation named in it, and explains an unknown name', async () => {
		const [demo, northside] = sandbox.tenants();
		const { items, error } = await runNode(
			'xeroAccounting',
			{
				resource: 'contact',
				operation: 'getMany',
				tenantId: '={{ $json.org }}',
				returnAll: false,
				limit: 1,
			},
			[{ org: demo.name }, { org: northside.name.toUpperCase() }, { org: 'Nobody Ltd' }],
			credentials(),
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(error).toBeUndefined();
		const contactCalls = sandbox.calls().filter((c) => c.path.includes('/Contacts'));
		expect(contactCalls.map((c) => c.tenantId)).toEqual([demo.tenantId, northside.tenantId]);
		const last = items[items.length - 1];
		expect(last.pairedItem).toEqual({ item: 2 });
		expect(String(last.json.error)).toBe('No connected Xero organisation is called "Nobody Ltd"');
		expect(String((last.json.details as { description?: string }).description)).toContain(
			northside.tenantId,
		);
	});
});

describe('Invoice → Void', () => {
	it('voids an approved unpaid invoice and refuses, per item, what Xero would not allow', async () => {
		const numbers = ['INV-0002', 'INV-0003', 'INV-0001', 'INV-0005', 'INV-0004'];
		const before = numbers.map((n) => [
			n,
			invoiceByNumber(n).Status,
			invoiceByNumber(n).AmountPaid,
		]);
		const { items, error } = await runByNumber('void', numbers);
		expect(error).toBeUndefined();
		const byNumber = Object.fromEntries(items.map((i) => [i.json.invoiceNumber, i.json]));
		for (const [number, status, paid] of before) {
			const result = byNumber[number as string];
			if (status === 'AUTHORISED' && paid === 0) {
				expect(result.action).toBe('voided');
				expect(invoiceByNumber(number as string).Status).toBe('VOIDED');
			} else if (status === 'VOIDED') {
				expect(result.action).toBe('alreadyVoided');
			} else {
				expect(result.action).toBe('refused');
				expect(result.reason).toMatch(/paid|AUTHORISED|DRAFT|SUBMITTED/i);
				expect(invoiceByNumber(number as string).Status).toBe(status);
			}
		}
		expect(items.map((i) => i.pairedItem)).toEqual(numbers.map((_, item) => ({ item })));
		expect(items.filter((i) => i.json.action === 'voided')).toHaveLength(1);
	});
});

describe('Contact → Get / Get Many', () => {
	it('finds a contact by contact number and lists contacts', async () => {
		const contact = sandbox.state().contacts[0];
		const got = await runOnce({
			resource: 'contact',
			operation: 'get',
			tenantId,
			lookupBy: 'contactNumber',
			lookupValue: contact.ContactNumber,
		});
		expect(got.error).toBeUndefined();
		expect(got.items[0].json.ContactID).toBe(contact.ContactID);

		const many = await runOnce({
			resource: 'contact',
			operation: 'getMany',
			tenantId,
			returnAll: true,
		});
		expect(many.error).toBeUndefined();
		const active = sandbox.state().contacts.filter((c) => c.ContactStatus === 'ACTIVE');
		expect(many.items.length).toBe(active.length);
	});
});

describe('dropdowns', () => {
	it('lists the organisations from /connections, the tax rates and the tracking categories and options', async () => {
		const tenants = await loadOptions(
			'xeroAccounting',
			'getTenants',
			{ resource: 'invoice', operation: 'get' },
			credentials(),
		);
		expect(tenants.map((t) => t.value).sort()).toEqual(
			sandbox
				.tenants()
				.map((t) => t.tenantId)
				.sort(),
		);
		const params = { resource: 'invoice', operation: 'get', tenantId };
		const taxRates = await loadOptions('xeroAccounting', 'getTaxRates', params, credentials());
		const revenueTaxTypes = sandbox
			.state()
			.taxRates.filter((t) => t.Status === 'ACTIVE' && t.CanApplyToRevenue !== false)
			.map((t) => t.TaxType)
			.sort();
		expect(taxRates.map((t) => t.value).sort()).toEqual(revenueTaxTypes);
		expect(taxRates.find((t) => t.value === 'OUTPUT2')?.name).toMatch(/^20% \(VAT on Income\)/);

		const categories = await loadOptions(
			'xeroAccounting',
			'getTrackingCategories',
			params,
			credentials(),
		);
		const activeCategories = sandbox
			.state()
			.trackingCategories.filter((c) => c.Status === 'ACTIVE');
		expect(categories.map((c) => c.value).sort()).toEqual(
			activeCategories.map((c) => c.Name).sort(),
		);
		const options = await loadOptions(
			'xeroAccounting',
			'getTrackingOptions',
			params,
			credentials(),
		);
		const first = activeCategories[0];
		const firstOption = first.Options.find((o) => o.Status === 'ACTIVE')!;
		expect(options.map((o) => o.name)).toContain(`${first.Name}: ${firstOption.Name}`);
		// In Invoice → Create or Update's Tracking mapping, the category chosen in the same entry (by name or by
		// ID) narrows the list to its active options, by their own names.
		for (const chosen of [first.Name, first.TrackingCategoryID]) {
			const narrowed = await loadOptions(
				'xeroAccounting',
				'getTrackingOptions',
				{
					resource: 'invoice',
					operation: 'upsert',
					tenantId,
					tracking: { mapping: [{ category: chosen, option: '' }] },
				},
				credentials(),
				{ path: 'parameters.tracking.mapping[0].option' },
			);
			expect(narrowed.map((o) => o.name).sort()).toEqual(
				first.Options.filter((o) => o.Status === 'ACTIVE')
					.map((o) => o.Name)
					.sort(),
			);
		}
	});
});
