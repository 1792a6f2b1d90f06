// "Organisation Name or ID" given as the organisation's exact name works for every Xero operation and both
// triggers: each runs against the sandbox with the name, and every Xero call it made carried
// the organisation's tenant ID (a name sent as the tenant ID is answered 403 by Xero and by the sandbox).
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { customer, invoice } from '../../bench/lib/invoiceFixtures';
import { pollOnce, runNode } from '../helpers/n8nCore';
import { startXeroFixture, type XeroFixture } from '../helpers/xeroSandbox';

let fixture: XeroFixture;
let name: string;

beforeAll(async () => {
	fixture = await startXeroFixture();
	name = fixture.xero.tenants().find((t) => t.tenantId === fixture.tenantId)!.name;
});
afterAll(async () => await fixture.close());

const someInvoice = () =>
	fixture.xero.state(fixture.tenantId).invoices.find((i) => i.Type === 'ACCREC')!;
const someContact = () =>
	fixture.xero.state(fixture.tenantId).contacts.find((c) => c.ContactNumber)!;

/** Each Xero Accounting operation with the parameters and input it needs; the organisation is added per run. */
type Case = { parameters: IDataObject; items?: IDataObject[] };
const OPERATIONS: Array<[string, () => Case | Promise<Case>]> = [
	[
		'invoice → get',
		() => ({
			parameters: {
				resource: 'invoice',
				operation: 'get',
				lookupBy: 'id',
				invoiceId: someInvoice().InvoiceID,
			},
		}),
	],
	[
		'invoice → getMany',
		() => ({
			parameters: { resource: 'invoice', operation: 'getMany', returnAll: false, limit: 2 },
		}),
	],
	[
		'invoice → upsert',
		() => ({
			parameters: {
				resource: 'invoice',
				operation: 'upsert',
				invoiceSource: 'item',
				status: 'DRAFT',
				tracking: { mapping: [] },
				options: {},
			},
			items: [
				invoice(700, customer(700, { accountReference: 'BY-NAME-700' })) as unknown as IDataObject,
			],
		}),
	],
	[
		'invoice → void',
		async () => {
			// An approved, unpaid invoice of its own, so this case does not depend on another one.
			const contactId = someContact().ContactID;
			const created = await fixture.xeroCall('PUT', '/Invoices', {
				Invoices: [
					{
						Type: 'ACCREC',
						Contact: { ContactID: contactId },
						InvoiceNumber: 'BY-NAME-VOID',
						Status: 'AUTHORISED',
						Date: '2026-11-20',
						DueDate: '2026-12-20',
						LineAmountTypes: 'NoTax',
						LineItems: [
							{ Description: 'Service', Quantity: 1, UnitAmount: 50, AccountCode: '200' },
						],
					},
				],
			});
			const invoiceId = (created.Invoices as IDataObject[])[0].InvoiceID;
			return { parameters: { resource: 'invoice', operation: 'void', lookupBy: 'id', invoiceId } };
		},
	],
	[
		'contact → get',
		() => ({
			parameters: {
				resource: 'contact',
				operation: 'get',
				lookupBy: 'contactNumber',
				lookupValue: someContact().ContactNumber,
			},
		}),
	],
	[
		'contact → getMany',
		() => ({
			parameters: { resource: 'contact', operation: 'getMany', returnAll: false, limit: 2 },
		}),
	],
	[
		'contact → sync',
		() => ({
			parameters: { resource: 'contact', operation: 'sync' },
			items: [customer(701, { accountReference: 'BY-NAME-701' }) as unknown as IDataObject],
		}),
	],
	[
		'contact → getBalances',
		() => ({
			parameters: {
				resource: 'contact',
				operation: 'getBalances',
				balanceContactId: '',
				balanceContactNumber: someContact().ContactNumber,
			},
		}),
	],
	[
		'payment → getMany',
		() => ({
			parameters: { resource: 'payment', operation: 'getMany', returnAll: false, limit: 2 },
		}),
	],
	[
		'tracking → getManyCategories',
		() => ({ parameters: { resource: 'tracking', operation: 'getManyCategories' } }),
	],
	[
		'tracking → ensureOption',
		() => ({
			parameters: {
				resource: 'tracking',
				operation: 'ensureOption',
				trackingCategory: 'Business Unit',
				optionName: 'By Name Unit',
			},
		}),
	],
	[
		'report → ageing',
		() => ({ parameters: { resource: 'report', operation: 'ageing', asOf: '2026-11-30' } }),
	],
	[
		'report → audit',
		() => ({
			parameters: {
				resource: 'report',
				operation: 'audit',
				commusoftInvoices: '={{ [] }}',
				commusoftPayments: '={{ [] }}',
			},
		}),
	],
];

describe('Organisation given by its exact name', () => {
	it.each(OPERATIONS)('%s works and every call carries the tenant ID', async (_, build) => {
		const { parameters, items } = await build();
		fixture.xero.clearCalls();
		const run = await runNode(
			'xeroAccounting',
			{ ...parameters, tenantId: `  ${name.toLowerCase()} ` } as INodeParameters,
			(items ?? [{}]).map((json) => ({ json })),
			fixture.credentials,
		);
		expect(run.error).toBeUndefined();
		expect(run.items.filter((i) => i.json.error !== undefined)).toEqual([]);
		const calls = fixture.xero.calls().filter((c) => !c.path.endsWith('/connections'));
		expect(calls.length).toBeGreaterThan(0);
		expect(calls.map((c) => [c.tenantId, c.status < 400])).toEqual(
			calls.map(() => [fixture.tenantId, true]),
		);
	});

	it('the Xero Payment Trigger polls the named organisation', async () => {
		fixture.xero.clearCalls();
		const result = await pollOnce(
			'xeroPaymentTrigger',
			{ tenantId: name, onlyCommusoftInvoices: false, options: { backfillFrom: '2020-01-01' } },
			{ credentials: fixture.credentials, staticData: {} },
		);
		expect(result.items.length).toBeGreaterThan(0);
		const calls = fixture.xero.calls().filter((c) => c.path.includes('/Payments'));
		expect(calls.map((c) => c.tenantId)).toEqual(calls.map(() => fixture.tenantId));
		expect(calls.length).toBeGreaterThan(0);
	});
});
