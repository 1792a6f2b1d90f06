// Malformed-but-valid-JSON input must get Xero's 200/400 shapes, never a 500 (a handler crash or a response
// that fails the spec). Inputs come from a seeded generator so a failure replays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../sandbox/shared/http';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { xeroTestClient } from '../../sandbox/xero/client';

let sb: XeroSandbox;
beforeAll(async () => {
	sb = await startXeroSandbox({
		limits: { perTenantMinute: 1e6, perTenantDay: 1e6, appMinute: 1e6 },
		log: () => {},
	});
});
afterAll(async () => sb.close());

const KEYS = [
	'Type',
	'Contact',
	'ContactID',
	'Name',
	'LineItems',
	'LineItemID',
	'Description',
	'Quantity',
	'UnitAmount',
	'AccountCode',
	'TaxType',
	'Tracking',
	'Option',
	'TrackingCategoryID',
	'TrackingOptionID',
	'Status',
	'Date',
	'DueDate',
	'InvoiceNumber',
	'InvoiceID',
	'LineAmountTypes',
	'Reference',
	'Url',
	'CurrencyCode',
	'DiscountRate',
	'LineAmount',
	'EmailAddress',
	'ContactPersons',
	'Addresses',
	'Phones',
	'AddressType',
	'PhoneType',
	'AccountNumber',
	'ContactNumber',
	'ContactStatus',
	'Invoice',
	'Account',
	'Code',
	'AccountID',
	'Amount',
	'Payments',
	'IsReconciled',
	'SentToContact',
	'FirstName',
];

function generator(seed: number) {
	const r = seededRandom(seed);
	const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
	const scalar = (): unknown =>
		pick<() => unknown>([
			() => null,
			() => true,
			() => Math.floor(r() * 2000) - 1000,
			() => r() * 1e6,
			() => '',
			() =>
				pick([
					'ACCREC',
					'ACCPAY',
					'AUTHORISED',
					'DRAFT',
					'DELETED',
					'VOIDED',
					'PAID',
					'200',
					'090',
					'OUTPUT2',
					'Region',
					'North',
					'INV-0002',
					'CUS-00001',
					'2026-13-45',
					'/Date(abc)/',
					'Inclusive',
					'ü@x.de',
					' ',
				]),
			() => '00000000-0000-4000-8000-000000000000',
			() => sb.state().contacts[0].ContactID,
			() => 'x'.repeat(Math.floor(r() * 300)),
		])();
	const value = (depth: number): unknown => {
		const roll = r();
		if (depth > 3 || roll < 0.5) return scalar();
		if (roll < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => value(depth + 1));
		return object(depth + 1);
	};
	const object = (depth: number): Record<string, unknown> =>
		Object.fromEntries(
			Array.from({ length: Math.floor(r() * 6) }, () => [pick(KEYS), value(depth)]),
		);
	return { value, object, pick, r };
}

describe('Xero sandbox under generated input', () => {
	it('answers every generated write with Xero shapes (200/400/404), never 500, and keeps serving', async () => {
		const x = xeroTestClient(sb);
		const g = generator(20261126);
		const statuses: Record<string, number> = {};
		for (let i = 0; i < 400; i++) {
			const [method, path, key] = g.pick([
				['PUT', '/Invoices', 'Invoices'],
				['POST', '/Invoices', 'Invoices'],
				['POST', '/Invoices/INV-0001', 'Invoices'],
				['PUT', '/Contacts', 'Contacts'],
				['POST', '/Contacts', 'Contacts'],
				['PUT', '/Payments', 'Payments'],
				['POST', '/Payments', 'Payments'],
				['PUT', '/BatchPayments', 'BatchPayments'],
				['PUT', '/TrackingCategories', 'TrackingCategories'],
			] as const);
			const body =
				g.r() < 0.8
					? { [key]: Array.from({ length: 1 + Math.floor(g.r() * 3) }, () => g.object(0)) }
					: g.value(0);
			const summarizeErrors = g.r() < 0.5 ? 'false' : undefined;
			const res = await x.call(method, path, { body, query: { summarizeErrors } });
			statuses[res.status] = (statuses[res.status] ?? 0) + 1;
			if (res.status >= 500)
				throw new Error(
					`${method} ${path} ${JSON.stringify(body).slice(0, 400)} → ${res.status} ${res.text.slice(0, 400)}`,
				);
			if (i % 40 === 0) sb.reset();
		}
		// 404 only when the generated input deleted INV-0001 before a later update by that number.
		expect(Object.keys(statuses).filter((s) => !['200', '400', '404'].includes(s))).toEqual([]);
		expect(statuses['400']).toBeGreaterThan(0);
		expect(sb.schemaErrors()).toEqual([]);
		expect((await x.call('GET', '/Organisation')).status).toBe(200);
	});
});
