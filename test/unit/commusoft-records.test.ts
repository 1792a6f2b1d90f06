import { describe, expect, it } from 'vitest';

import {
	CommusoftRecordError,
	cleanText,
	normaliseVatRate,
	toCommusoftCreditNote,
	toCommusoftCustomer,
	toCommusoftInvoice,
	toCommusoftJob,
	toCommusoftPayment,
	toCommusoftSupplier,
	toCommusoftSupplierInvoice,
	toIsoTimestamp,
	toRawCustomerBody,
} from '../../nodes/Commusoft/records';

const rawCustomer = {
	id: 1003,
	uuid: 'c-3',
	reference: 'CUS-00003',
	title: 'Mrs',
	firstName: '  Sarah ',
	lastName: "O'Neill  ",
	email: ' Sarah.ONeill@Example.co.uk ',
	mobile: '07700 900103',
	address: {
		addressLine1: '27  Kirkstall Lane',
		town: 'Leeds',
		postcode: 'ls5 3be',
		country: 'United Kingdom',
	},
	accountingSettings: { accountingReference: '', vatNumber: null, paymentTerms: '14 days' },
	deleted: 0,
	createdAt: '2026-08-01T08:00:00.000Z',
	updatedAt: '2026-08-02 09:30:00',
};

const rawInvoice = {
	uuid: 'i-1',
	invoiceNumber: 'CS-10042',
	customerUuid: 'c-3',
	customer: rawCustomer,
	propertyUuid: 'p-1',
	property: { uuid: 'p-1', addressLine1: '27 Kirkstall Lane', town: 'Leeds', postcode: 'LS5 3BE' },
	jobUuid: 'j-1',
	jobNumber: 'JOB-2291',
	date: '2026-10-01',
	dueDate: '2026-10-15',
	status: 'raised',
	currency: 'gbp',
	amountsAre: 'exclusive',
	invoiceCategory: { uuid: 'cat-1', name: 'Heating' },
	lines: [
		{
			uuid: 'l-1',
			description: 'Labour',
			quantity: 2,
			unitPrice: 60,
			nominalCode: '210',
			vatRate: '20%',
		},
		{
			uuid: 'l-2',
			description: 'Diverter valve',
			quantity: '1',
			unitPrice: '124.5',
			nominalCode: 220,
			vatRate: 20,
			itemCode: 'WB-87161',
		},
		{
			description: 'Admin fee',
			unitPrice: 12.5,
			nominalCode: '200',
			vatRate: null,
			discountRate: 0,
		},
	],
	subtotal: 257,
	totalTax: 48.9,
	total: 305.9,
	url: 'https://example.test/app/invoices/i-1',
	createdAt: '2026-10-01T10:00:00Z',
	updatedAt: '2026-10-01T11:00:00Z',
};

describe('toCommusoftCustomer', () => {
	it('maps documented fields, cleans spacing, lower-cases email and upper-cases postcode', () => {
		expect(toCommusoftCustomer(rawCustomer)).toEqual({
			id: 'c-3',
			accountReference: 'CUS-00003',
			title: 'Mrs',
			firstName: 'Sarah',
			lastName: "O'Neill",
			customerType: 'private',
			email: 'sarah.oneill@example.co.uk',
			mobile: '07700 900103',
			address: {
				addressLine1: '27 Kirkstall Lane',
				town: 'Leeds',
				postcode: 'LS5 3BE',
				country: 'United Kingdom',
			},
			updatedAt: '2026-08-02T09:30:00.000Z',
		});
	});

	it('infers company from companyName, reads the Xero link from accountingReference, falls back to the numeric id', () => {
		const customer = toCommusoftCustomer({
			id: 77,
			uuid: 'c-77',
			companyName: 'Hartley Lettings Ltd',
			accountingSettings: { accountingReference: 'xero-contact-1' },
			updatedAt: '2026-09-01T00:00:00Z',
		});
		expect(customer).toMatchObject({
			customerType: 'company',
			xeroContactId: 'xero-contact-1',
			accountReference: '77',
		});
		expect(customer.address).toBeUndefined();
	});

	it('refuses a customer without uuid or timestamp, naming the field', () => {
		expect(() => toCommusoftCustomer({ id: 5 })).toThrow(/customer 5: field "uuid" is missing/);
		expect(() => toCommusoftCustomer({ uuid: 'c-1' })).toThrow(CommusoftRecordError);
		expect(() => toCommusoftCustomer('nope')).toThrow(/not an object/);
	});
});

describe('toCommusoftInvoice', () => {
	it('produces the ARCHITECTURE.md record: lines with nominal codes and VAT labels, category, customer, property', () => {
		const invoice = toCommusoftInvoice(rawInvoice);
		expect(invoice).toMatchObject({
			id: 'i-1',
			invoiceNumber: 'CS-10042',
			reference: 'JOB-2291',
			jobId: 'j-1',
			date: '2026-10-01',
			dueDate: '2026-10-15',
			status: 'raised',
			currency: 'GBP',
			amountsAre: 'exclusive',
			category: 'Heating',
			total: 305.9,
			totalTax: 48.9,
			property: { id: 'p-1', addressLine1: '27 Kirkstall Lane', postcode: 'LS5 3BE' },
			customer: { id: 'c-3', accountReference: 'CUS-00003' },
			createdAt: '2026-10-01T10:00:00.000Z',
			updatedAt: '2026-10-01T11:00:00.000Z',
		});
		expect(invoice.lines).toEqual([
			{
				id: 'l-1',
				description: 'Labour',
				quantity: 2,
				unitPrice: 60,
				nominalCode: '210',
				vatRate: '20%',
			},
			{
				id: 'l-2',
				description: 'Diverter valve',
				quantity: 1,
				unitPrice: 124.5,
				nominalCode: '220',
				vatRate: '20%',
				itemCode: 'WB-87161',
			},
			{
				id: 'CS-10042:3',
				description: 'Admin fee',
				quantity: 1,
				unitPrice: 12.5,
				nominalCode: '200',
				vatRate: 'No VAT',
			},
		]);
	});

	it('takes a separately fetched customer when the invoice only carries customerUuid', () => {
		const withoutCustomer: Record<string, unknown> = { ...rawInvoice };
		delete withoutCustomer.customer;
		expect(() => toCommusoftInvoice(withoutCustomer)).toThrow(/field "customer" is missing/);
		expect(toCommusoftInvoice(withoutCustomer, rawCustomer).customer.id).toBe('c-3');
	});

	it('accepts a business unit or a plain category string', () => {
		expect(
			toCommusoftInvoice({
				...rawInvoice,
				invoiceCategory: undefined,
				businessUnit: { name: 'Gas Safety' },
			}).category,
		).toBe('Gas Safety');
		expect(toCommusoftInvoice({ ...rawInvoice, invoiceCategory: 'Plumbing' }).category).toBe(
			'Plumbing',
		);
	});

	it('names the line and field when a line has no nominal code or a bad price', () => {
		const noCode = { ...rawInvoice, lines: [{ description: 'x', unitPrice: 1 }] };
		expect(() => toCommusoftInvoice(noCode)).toThrow(
			'Commusoft invoice CS-10042 line 1: field "nominalCode" is missing',
		);
		const badPrice = { ...rawInvoice, lines: [{ unitPrice: 'ten', nominalCode: '200' }] };
		expect(() => toCommusoftInvoice(badPrice)).toThrow(
			/line 1: field "unitPrice" "ten" is not a number \(give a number/,
		);
	});

	it('refuses unknown statuses and amount modes instead of guessing', () => {
		expect(() => toCommusoftInvoice({ ...rawInvoice, status: 'paid' })).toThrow(
			/status" has unknown value "paid"/,
		);
		expect(() => toCommusoftInvoice({ ...rawInvoice, amountsAre: 'gross' })).toThrow(/amountsAre/);
	});
});

describe('payments, jobs and small helpers', () => {
	it('maps payments and jobs', () => {
		expect(
			toCommusoftPayment({
				uuid: 'pay-1',
				invoiceUuid: 'i-1',
				invoiceNumber: 'CS-10042',
				amount: '50.00',
				date: '2026-10-05T00:00:00Z',
				method: 'bank_transfer',
				externalReference: 'xero-pay-1',
				currency: 'gbp',
			}),
		).toEqual({
			id: 'pay-1',
			invoiceId: 'i-1',
			invoiceNumber: 'CS-10042',
			amount: 50,
			currency: 'GBP',
			date: '2026-10-05',
			method: 'bank_transfer',
			externalReference: 'xero-pay-1',
		});
		expect(() => toCommusoftPayment({ uuid: 'p', date: '2026-01-01', amount: 1 })).toThrow(
			/invoiceUuid/,
		);
		expect(
			toCommusoftJob({ uuid: 'j-1', jobNumber: 'JOB-1', invoiceUuids: ['i-1', '', null] }),
		).toEqual({
			id: 'j-1',
			jobNumber: 'JOB-1',
			invoiceIds: ['i-1'],
		});
	});

	it('normalises VAT labels', () => {
		expect(
			['20', 20, '20 %', '5%', 0, '0', '', null, 'no vat', 'Exempt'].map(normaliseVatRate),
		).toEqual(['20%', '20%', '20%', '5%', '0%', '0%', 'No VAT', 'No VAT', 'No VAT', 'Exempt']);
	});

	it('cleans text and timestamps', () => {
		expect(cleanText('  a   b \n c ')).toBe('a b c');
		expect(cleanText('   ')).toBeUndefined();
		expect(toIsoTimestamp('2026-10-01 09:30:00')).toBe('2026-10-01T09:30:00.000Z');
		expect(toIsoTimestamp('not a date')).toBeUndefined();
	});

	it('builds the raw customer body with documented names and the assumed reference', () => {
		expect(
			toRawCustomerBody(
				{
					firstName: 'Ann',
					lastName: 'Lee',
					accountReference: 'CUS-9',
					xeroContactId: 'x-1',
					address: { town: 'Leeds' },
				},
				'uuid-1',
			),
		).toEqual({
			uuid: 'uuid-1',
			reference: 'CUS-9',
			firstName: 'Ann',
			lastName: 'Lee',
			address: { town: 'Leeds' },
			accountingSettings: { accountingReference: 'x-1' },
		});
	});
});

describe('suppliers, supplier invoices and credit notes', () => {
	// The documented supplier example (companyName, contactName, email, telephone, address), plus the assumed
	// reference and accounting settings.
	const rawSupplier = {
		id: 201,
		uuid: 's-1',
		reference: ' SUP-00001 ',
		companyName: 'Northern  Heating Supplies Ltd ',
		contactName: 'Sarah Bennett',
		email: 'Orders@NorthernHeating.co.uk',
		telephone: '01614567890',
		address: { addressLine1: 'Unit 5 Industrial Park', town: 'Salford', postcode: 'm50 3xb' },
		accountingSettings: { accountingReference: 'xero-guid', vatNumber: 'GB1' },
		deleted: 0,
		createdAt: '2023-09-01T10:00:00Z',
		updatedAt: '2025-06-15 09:30:00',
	};

	it('a supplier: cleaned like a customer, marked as a supplier, its Xero link read', () => {
		expect(toCommusoftSupplier(rawSupplier)).toEqual({
			recordType: 'supplier',
			id: 's-1',
			accountReference: 'SUP-00001',
			name: 'Northern Heating Supplies Ltd',
			contactName: 'Sarah Bennett',
			email: 'orders@northernheating.co.uk',
			telephone: '01614567890',
			address: { addressLine1: 'Unit 5 Industrial Park', town: 'Salford', postcode: 'M50 3XB' },
			vatNumber: 'GB1',
			xeroContactId: 'xero-guid',
			createdAt: '2023-09-01T10:00:00.000Z',
			updatedAt: '2025-06-15T09:30:00.000Z',
		});
		expect(toCommusoftSupplier({ ...rawSupplier, reference: undefined }).accountReference).toBe(
			'201',
		);
	});

	it.each([
		[{ ...rawSupplier, uuid: undefined }, /supplier 201: field "uuid" is missing/],
		[{ ...rawSupplier, companyName: '  ' }, /supplier s-1: field "companyName" is missing/],
		[{ ...rawSupplier, updatedAt: 'soon' }, /supplier s-1: field "updatedAt"/],
	])('refuses a supplier that does not fit, naming the field (%#)', (raw, message) => {
		expect(() => toCommusoftSupplier(raw)).toThrow(message);
	});

	const rawBill = {
		uuid: 'b-1',
		supplierInvoiceNumber: 'PC-448812',
		supplierUuid: 's-1',
		date: '2026-11-06',
		status: 'raised',
		invoiceCategory: { name: 'Heating' },
		jobNumber: 'JOB-2234',
		lines: [{ description: 'Boiler', unitPrice: 1450, nominalCode: '310', vatRate: 20 }],
		total: 1740,
		totalTax: 290,
		updatedAt: '2026-11-06T14:00:00Z',
	};

	it('a supplier invoice embeds its supplier (fetched body when only supplierUuid is given)', () => {
		const bill = toCommusoftSupplierInvoice(rawBill, rawSupplier);
		expect(bill).toMatchObject({
			id: 'b-1',
			supplierInvoiceNumber: 'PC-448812',
			reference: 'JOB-2234',
			category: 'Heating',
			currency: 'GBP',
			amountsAre: 'exclusive',
			supplier: { recordType: 'supplier', id: 's-1' },
			lines: [{ nominalCode: '310', vatRate: '20%', quantity: 1 }],
			total: 1740,
		});
	});

	it.each([
		[{ ...rawBill, supplierInvoiceNumber: '' }, undefined, /"supplierInvoiceNumber" is missing/],
		[rawBill, undefined, /"supplier" is missing/],
		[
			{ ...rawBill, lines: [{ unitPrice: 1 }] },
			rawSupplier,
			/supplier invoice PC-448812 \(b-1\) line 1: field "nominalCode" is missing/,
		],
		[{ ...rawBill, status: 'paid' }, rawSupplier, /field "status" has unknown value "paid"/],
	])(
		'refuses a supplier invoice that does not fit, naming it and the field (%#)',
		(raw, supplier, message) => {
			expect(() => toCommusoftSupplierInvoice(raw, supplier)).toThrow(message);
		},
	);

	it('a credit note: the invoice it credits, refunds, no due date', () => {
		const note = toCommusoftCreditNote({
			uuid: 'n-1',
			creditNoteNumber: 'CN-501',
			invoiceUuid: 'i-1',
			invoiceNumber: 'CS-10031',
			date: '2026-11-05',
			dueDate: '2026-11-19',
			customer: rawCustomer,
			lines: [{ description: 'Thermostat', unitPrice: 60, nominalCode: '200', vatRate: '20%' }],
			refunds: [{ uuid: 'r-1', amount: 72, date: '2026-11-06', method: 'card' }],
			total: 72,
			totalTax: 12,
			updatedAt: '2026-11-05T11:00:00Z',
		});
		expect(note).toMatchObject({
			creditNoteNumber: 'CN-501',
			creditedCommusoftInvoiceId: 'i-1',
			creditedInvoiceNumber: 'CS-10031',
			refundPayments: [{ id: 'r-1', amount: 72, date: '2026-11-06', method: 'card' }],
			customer: { accountReference: 'CUS-00003' },
		});
		expect(note).not.toHaveProperty('dueDate');
		expect(note).not.toHaveProperty('creditedInvoiceId');
		expect(() => toCommusoftCreditNote({ uuid: 'n-2', customer: rawCustomer })).toThrow(
			/credit note n-2: field "creditNoteNumber" is missing/,
		);
	});
});
