import { describe, expect, it } from 'vitest';

import type { CommusoftCustomer, CommusoftInvoice } from '../../nodes/Commusoft/records';
import {
	CUSTOMER_TRACKED_FIELDS,
	INVOICE_TRACKED_FIELDS,
	classifyCustomer,
	classifyInvoice,
	classifyPayment,
	customerFingerprint,
	invoiceFingerprint,
} from '../../nodes/Commusoft/trigger/events';
import {
	changedFields,
	lookupFingerprint,
	stableStringify,
	storeFingerprints,
} from '../../nodes/Commusoft/trigger/fingerprints';

const WINDOW = '2026-11-01T10:00:00.000Z';
const BEFORE = '2026-10-01T10:00:00.000Z';
const AFTER = '2026-11-01T10:05:00.000Z';

const customer: CommusoftCustomer & { createdAt?: string } = {
	id: 'c1',
	accountReference: 'CUS-00001',
	title: 'Mr',
	firstName: 'John',
	lastName: 'Smith',
	customerType: 'private',
	email: 'john@example.test',
	telephone: '0113 000',
	address: { addressLine1: '1 Elm Road', town: 'Leeds', postcode: 'LS1 1AA' },
	updatedAt: AFTER,
	createdAt: AFTER,
};

const invoice: CommusoftInvoice = {
	id: 'i1',
	invoiceNumber: 'CS-1',
	date: '2026-11-01',
	status: 'raised',
	currency: 'GBP',
	amountsAre: 'exclusive',
	lines: [
		{
			id: 'l1',
			description: 'Service',
			quantity: 1,
			unitPrice: 85,
			nominalCode: '4000',
			vatRate: '20%',
		},
	],
	customer,
	total: 102,
	totalTax: 17,
	createdAt: AFTER,
	updatedAt: AFTER,
};

describe('fingerprints', () => {
	it('stable JSON ignores key order and empty values', () => {
		expect(stableStringify({ b: 1, a: 'x', c: undefined, d: '' })).toBe(
			stableStringify({ a: 'x', b: 1 }),
		);
	});

	it('reports only the fields whose values differ', () => {
		const before = customerFingerprint(customer);
		const after = customerFingerprint({
			...customer,
			email: 'new@example.test',
			telephone: 'other',
		});
		expect(changedFields(CUSTOMER_TRACKED_FIELDS, before, after)).toEqual(['email']);
	});

	it('treats a fingerprint with another field layout as unknown', () => {
		expect(
			changedFields(CUSTOMER_TRACKED_FIELDS, 'a.b', customerFingerprint(customer)),
		).toBeUndefined();
	});

	it('keeps a bounded store: updated ids move to the young end, the oldest go', () => {
		let store = storeFingerprints(
			[],
			[
				['a', '1'],
				['b', '1'],
				['c', '1'],
			],
			3,
		);
		store = storeFingerprints(
			store,
			[
				['a', '2'],
				['d', '1'],
			],
			3,
		);
		expect(store).toEqual([
			['c', '1'],
			['a', '2'],
			['d', '1'],
		]);
		expect(lookupFingerprint(store, 'a')).toBe('2');
		expect(lookupFingerprint(store, 'b')).toBeUndefined();
	});
});

describe('classifyCustomer', () => {
	it('never seen and created inside the window → created', () => {
		expect(classifyCustomer(customer, undefined, WINDOW)).toEqual({
			event: 'customerCreated',
			changedFields: [],
			previousVersionKnown: true,
		});
	});

	it('never seen and created before the window → updated, every tracked field possibly changed', () => {
		expect(classifyCustomer({ ...customer, createdAt: BEFORE }, undefined, WINDOW)).toEqual({
			event: 'customerUpdated',
			changedFields: [...CUSTOMER_TRACKED_FIELDS],
			previousVersionKnown: false,
		});
	});

	it('known → updated with the changed fields (name covers first, last and company name)', () => {
		const previous = customerFingerprint(customer);
		const changed = {
			...customer,
			companyName: 'Smith Ltd',
			address: { ...customer.address!, town: 'York' },
		};
		expect(classifyCustomer(changed, previous, WINDOW)).toMatchObject({
			event: 'customerUpdated',
			changedFields: ['name', 'propertyAddress'],
		});
		const linked = { ...customer, xeroContactId: 'x-1' };
		expect(classifyCustomer(linked, previous, WINDOW).changedFields).toEqual(['account']);
	});
});

describe('classifyInvoice', () => {
	it('new and raised → raised; new draft → updated', () => {
		expect(classifyInvoice(invoice, undefined, WINDOW).event).toBe('invoiceRaised');
		expect(classifyInvoice({ ...invoice, status: 'draft' }, undefined, WINDOW).event).toBe(
			'invoiceUpdated',
		);
	});

	it('a known draft that becomes raised → raised; a known raised invoice edited → updated', () => {
		const draft = invoiceFingerprint({ ...invoice, status: 'draft' });
		expect(classifyInvoice(invoice, draft, WINDOW)).toMatchObject({
			event: 'invoiceRaised',
			changedFields: ['status'],
		});
		const raised = invoiceFingerprint(invoice);
		const edited = { ...invoice, dueDate: '2026-12-01', status: 'cancelled' as const };
		expect(classifyInvoice(edited, raised, WINDOW)).toMatchObject({
			event: 'invoiceUpdated',
			changedFields: ['status', 'dueDate'],
		});
	});

	it('an old invoice never seen → updated with every tracked field, not raised', () => {
		expect(classifyInvoice({ ...invoice, createdAt: BEFORE }, undefined, WINDOW)).toEqual({
			event: 'invoiceUpdated',
			changedFields: [...INVOICE_TRACKED_FIELDS],
			previousVersionKnown: false,
		});
	});
});

describe('classifyPayment', () => {
	it('recorded when created inside the window or when creation time is unknown; not for old payments', () => {
		const payment = { id: 'p1', invoiceId: 'i1', amount: 10, date: '2026-11-01' };
		expect(classifyPayment({ ...payment, createdAt: AFTER }, WINDOW)?.event).toBe(
			'paymentRecorded',
		);
		expect(classifyPayment(payment, WINDOW)?.event).toBe('paymentRecorded');
		expect(classifyPayment({ ...payment, createdAt: BEFORE }, WINDOW)).toBeUndefined();
	});
});
