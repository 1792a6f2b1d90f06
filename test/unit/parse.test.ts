// Numbers and dates are parsed strictly, by one module (nodes/shared/parse.ts), at every entry
// point. The class is tested, not an example: a table of hostile shapes and generated values for the parser,
// then the same table through each pure entry point (invoice mapping, Commusoft records).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { toCommusoftInvoice, toCommusoftPayment } from '../../nodes/Commusoft/records';
import { mapInvoice } from '../../nodes/Xero/mapping/invoice';
import { buildVatMap } from '../../nodes/Xero/mapping/tax';
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import {
	parseDate,
	parseNumber,
	parseOptionalNumber,
	parseTimestamp,
} from '../../nodes/shared/parse';

/** Inputs a person or Xero would read differently from JavaScript's Number(), and what must be said. */
export const HOSTILE_NUMBERS: Array<[unknown, RegExp]> = [
	['0x10', /hexadecimal/],
	['0X1F', /hexadecimal/],
	['0b101', /hexadecimal, octal or binary/],
	['0o17', /hexadecimal, octal or binary/],
	['1e3', /exponent notation/],
	['2.5E-2', /exponent notation/],
	['1,000', /comma/],
	['12,50', /comma/],
	['1 000', /comma, space/],
	["1'000", /apostrophe/],
	['£12.50', /currency sign/],
	['12kg', /not part of a number/],
	['abc', /is not a number/],
	['NaN', /is not a number/],
	['Infinity', /is not a number/],
	['--5', /not a number/],
	['1.2.3', /not a number/],
	[true, /yes\/no/],
	[false, /yes\/no/],
	[[5], /is a list/],
	[[], /is a list/],
	[{}, /not a number/],
	[{ value: 5 }, /not a number/],
	['', /is empty/],
	['   ', /is empty/],
	['\t\n', /is empty/],
	[Number.NaN, /is not a number/],
	[Number.POSITIVE_INFINITY, /too large/],
	[Number.NEGATIVE_INFINITY, /too small/],
];

/** Dates that are not real days, or not dates, and what must be said. */
export const HOSTILE_DATES: Array<[unknown, RegExp]> = [
	['2026-13-45', /no month 13/],
	['2026-02-30', /February 2026 has 28 days/],
	['2026-02-29', /February 2026 has 28 days/],
	['2026-04-31', /April 2026 has 30 days/],
	['2026-00-10', /no month 0/],
	['2026-01-00', /January 2026 has 31 days/],
	['2026-1-5', /not/],
	['05/01/2026', /not/],
	['yesterday', /not/],
	['2026-01-05T25:00:00Z', /time that does not exist/],
	['2026-01-05T10:61:00Z', /time that does not exist/],
	['2026-01-05T10:00:00+15:00', /offset that does not exist/],
	['2026-02-30T10:00:00Z', /February 2026 has 28 days/],
	['0999-01-01', /outside 1900/],
	['', /is empty/],
	['  ', /is empty/],
	[true, /not a date/],
	[20260105, /not a date/],
	[['2026-01-05'], /not a date/],
	[{}, /not a date/],
];

describe('parseNumber: the hostile shapes', () => {
	it.each(HOSTILE_NUMBERS)('refuses %j, saying why (%s)', (value, problem) => {
		const parsed = parseNumber(value);
		expect(parsed.ok).toBe(false);
		if (!parsed.ok) {
			expect(parsed.problem).toMatch(problem);
			expect(parsed.fix.length).toBeGreaterThan(5);
		}
	});

	it('reads plain decimals, with spaces around and an optional sign', () => {
		for (const [text, value] of [
			['12', 12],
			[' -3.5 ', -3.5],
			['+0.25', 0.25],
			['.5', 0.5],
			['7.', 7],
			['007', 7],
			['-0', 0],
		] as const)
			expect(parseNumber(text)).toEqual({ ok: true, value });
	});

	it('says "too large" / "too small" for out-of-range values, never "not a number"', () => {
		const rules = { min: 0, max: 100 };
		for (const value of [101, '101', 1e21, '100.0001'])
			expect(parseNumber(value, rules)).toMatchObject({ ok: false, problem: /too large/ });
		for (const value of [-1, '-0.01', -1e21])
			expect(parseNumber(value, rules)).toMatchObject({ ok: false, problem: /too small/ });
		expect(parseNumber(0, { min: 0, exclusiveMin: true })).toMatchObject({ problem: /too small/ });
		expect(parseNumber('1.005', { maxDecimals: 2 })).toMatchObject({ problem: /2 decimal places/ });
		expect(parseNumber('2.5', { integer: true })).toMatchObject({ problem: /whole number/ });
	});

	it('an optional number: missing, null and blank mean "not given"; the rest as required', () => {
		for (const blank of [undefined, null, '', '  '])
			expect(parseOptionalNumber(blank)).toEqual({ ok: true, value: undefined });
		for (const [value] of HOSTILE_NUMBERS.filter(([v]) => typeof v !== 'string' || v.trim()))
			expect(parseOptionalNumber(value).ok).toBe(false);
	});

	it('property: every finite number and its plain decimal text read back as the same number', () => {
		fc.assert(
			fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
				expect(parseNumber(n)).toEqual({ ok: true, value: n === 0 ? 0 : n });
				const text = String(n);
				if (!text.includes('e'))
					expect(parseNumber(text)).toEqual({ ok: true, value: Number(text) });
				else expect(parseNumber(text)).toMatchObject({ ok: false, problem: /exponent/ });
			}),
			{ numRuns: 2000 },
		);
	});

	it('property: hexadecimal, exponent and grouped forms are never read as a number', () => {
		const hostile = fc.oneof(
			fc.nat().map((n) => `0x${n.toString(16)}`),
			fc.tuple(fc.integer(), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
			fc.integer({ min: 1000, max: 10 ** 9 }).map((n) => n.toLocaleString('en-GB')),
			fc.tuple(fc.nat(999), fc.nat(99)).map(([a, b]) => `${a},${String(b).padStart(2, '0')}`),
			fc.boolean(),
			fc.array(fc.integer(), { maxLength: 2 }),
		);
		fc.assert(
			fc.property(hostile, (value) => {
				expect(parseNumber(value).ok).toBe(false);
			}),
			{ numRuns: 2000 },
		);
	});
});

describe('parseDate / parseTimestamp: real days only', () => {
	it.each(HOSTILE_DATES)('refuses %j, naming why (%s)', (value, problem) => {
		for (const parse of [parseDate, parseTimestamp]) {
			const parsed = parse(value);
			expect(parsed.ok).toBe(false);
			if (!parsed.ok) expect(parsed.problem).toMatch(problem);
		}
	});

	it('accepts real days and ISO date-times', () => {
		expect(parseDate('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
		expect(parseDate('2026-11-26T23:30:00-05:00')).toEqual({ ok: true, value: '2026-11-26' });
		expect(parseDate(new Date(Date.UTC(2026, 10, 26)))).toEqual({ ok: true, value: '2026-11-26' });
		expect(parseTimestamp('2026-10-01 09:30:00')).toEqual({
			ok: true,
			value: '2026-10-01T09:30:00.000Z',
		});
		expect(parseTimestamp('2026-10-01T09:30:00.123456+01:00')).toEqual({
			ok: true,
			value: '2026-10-01T08:30:00.123Z',
		});
		expect(parseTimestamp('2026-10-01')).toEqual({ ok: true, value: '2026-10-01T00:00:00.000Z' });
	});

	it('property: a day is accepted exactly when it exists in the calendar', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1900, max: 2200 }),
				fc.integer({ min: 0, max: 13 }),
				fc.integer({ min: 0, max: 32 }),
				(y, m, d) => {
					const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
					const real = new Date(Date.UTC(y, m - 1, d));
					const exists =
						m >= 1 && m <= 12 && d >= 1 && real.getUTCMonth() === m - 1 && real.getUTCDate() === d;
					expect(parseDate(text).ok).toBe(exists);
					if (exists) expect(parseDate(text)).toEqual({ ok: true, value: text });
				},
			),
			{ numRuns: 3000 },
		);
	});
});

// ---- Entry points ----

const base: CommusoftInvoiceInput = {
	invoiceNumber: 'CS-1',
	date: '2026-11-02',
	currency: 'GBP',
	amountsAre: 'exclusive',
	customer: { accountReference: 'CUS-1' },
	lines: [
		{
			id: 'L1',
			description: 'Labour',
			quantity: 1,
			unitPrice: 10,
			nominalCode: '200',
			vatRate: '20%',
		},
	],
	total: 12,
};
const options = {
	status: 'DRAFT' as const,
	vatMap: buildVatMap([]),
	tracking: [],
	matchOn: 'invoiceNumber' as const,
};

describe('entry point: invoice mapping (Xero → Invoice → Create or Update)', () => {
	const lineFields = [
		['quantity', 'Quantity (quantity)'],
		['unitPrice', 'UnitAmount (unitPrice)'],
		['discountRate', 'DiscountRate (discountRate)'],
	] as const;
	// "" and whitespace mean "not given" for these optional fields (docs/parsing.md)
	const shapes = HOSTILE_NUMBERS.filter(([v]) => typeof v !== 'string' || v.trim());

	it.each(lineFields)(
		'refuses every hostile %s with the line, the field and a fix',
		(key, field) => {
			for (const [value, problem] of shapes) {
				const mapped = mapInvoice(
					{ ...base, lines: [{ ...base.lines![0], [key]: value }] },
					options,
				);
				const issue = mapped.issues.find((i) => i.severity === 'error' && i.field === field);
				expect(issue, `${key} = ${JSON.stringify(value)}`).toBeDefined();
				expect(issue!.line).toBe(1);
				expect(issue!.message).toMatch(problem);
				expect(issue!.fix).not.toMatch(/none needed/);
			}
		},
	);

	it('refuses a hostile invoice total, and a date that is not a real day, naming the field', () => {
		for (const [value, problem] of shapes) {
			const mapped = mapInvoice({ ...base, total: value as number }, options);
			expect(mapped.issues).toContainEqual(
				expect.objectContaining({
					severity: 'error',
					field: 'Total (total)',
					message: expect.stringMatching(problem),
				}),
			);
		}
		for (const [value, problem] of HOSTILE_DATES.filter(
			([v]) => typeof v !== 'string' || v.trim(),
		)) {
			for (const [key, field] of [
				['date', 'Date (date)'],
				['dueDate', 'DueDate (dueDate)'],
			] as const) {
				const mapped = mapInvoice({ ...base, [key]: value }, options);
				expect(mapped.issues).toContainEqual(
					expect.objectContaining({
						severity: 'error',
						field,
						message: expect.stringMatching(problem),
					}),
				);
				expect(mapped.payload[key === 'date' ? 'Date' : 'DueDate']).toBeUndefined();
			}
		}
	});

	it('a discount over 100% is "too large", a negative one "too small"', () => {
		const issue = (discountRate: unknown) =>
			mapInvoice(
				{ ...base, lines: [{ ...base.lines![0], discountRate: discountRate as number }] },
				options,
			).issues.find((i) => i.field === 'DiscountRate (discountRate)')?.message;
		expect(issue(150)).toMatch(/too large/);
		expect(issue('-5')).toMatch(/too small/);
	});
});

describe('entry point: Commusoft records (Commusoft nodes and trigger)', () => {
	const rawInvoice = {
		uuid: 'inv-1',
		invoiceNumber: 'CS-1',
		date: '2026-11-02',
		customer: { uuid: 'c-1', updatedAt: '2026-11-01T09:00:00Z' },
		lines: [
			{ description: 'Labour', quantity: 1, unitPrice: 10, nominalCode: '200', vatRate: '20%' },
		],
		total: 12,
		updatedAt: '2026-11-02T09:00:00Z',
	};
	const numberShapes = HOSTILE_NUMBERS.filter(([v]) => typeof v !== 'string' || v.trim());

	it('refuses every hostile number in a line, the total and a payment amount, naming the record and field', () => {
		for (const [value, problem] of numberShapes) {
			const line = { ...rawInvoice, lines: [{ ...rawInvoice.lines[0], unitPrice: value }] };
			expect(() => toCommusoftInvoice(line)).toThrow(/CS-1 line 1: field "unitPrice"/);
			expect(() => toCommusoftInvoice(line)).toThrow(problem);
			expect(() => toCommusoftInvoice({ ...rawInvoice, total: value })).toThrow(/field "total"/);
			expect(() =>
				toCommusoftPayment({
					uuid: 'p-1',
					invoiceUuid: 'inv-1',
					date: '2026-11-02',
					amount: value,
				}),
			).toThrow(/payment p-1: field "amount"/);
		}
	});

	it('refuses dates and timestamps that are not real, naming the field, instead of rolling them over', () => {
		for (const [value, problem] of HOSTILE_DATES.filter(
			([v]) => typeof v !== 'string' || v.trim(),
		)) {
			expect(() => toCommusoftInvoice({ ...rawInvoice, date: value })).toThrow(/field "date"/);
			expect(() => toCommusoftInvoice({ ...rawInvoice, dueDate: value })).toThrow(problem);
			expect(() => toCommusoftInvoice({ ...rawInvoice, updatedAt: value })).toThrow(
				/field "updatedAt"/,
			);
		}
	});
});
