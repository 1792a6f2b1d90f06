import { describe, expect, it } from 'vitest';

import { compileCommusoftRule } from '../../nodes/Xero/paymentTrigger/mapping';
import {
	invoiceState,
	statusChangeKey,
	toStatusChange,
	type XeroInvoiceStatusJson,
} from '../../nodes/Xero/invoiceStatus/mapping';
import { inspectTenantPollState, pollPages, type PagedPoll } from '../../nodes/shared/pollState';

const ID = '8C2D3E4F-1111-4222-8333-944445555666';
const CS_ID = '000000e0-0000-4000-8000-0000000000a1';
const rule = compileCommusoftRule({ kind: 'invoiceNumberPrefix', value: 'CS-' });
if ('problem' in rule) throw new Error(rule.problem);
const options = { tenantId: 't-1', commusoftMatch: rule.match };

const invoice = (over: Partial<XeroInvoiceStatusJson> = {}): XeroInvoiceStatusJson => ({
	InvoiceID: ID,
	InvoiceNumber: 'CS-10042',
	Type: 'ACCREC',
	Status: 'PAID',
	CurrencyCode: 'GBP',
	Total: 120,
	AmountPaid: 120,
	AmountCredited: 0,
	AmountDue: 0,
	FullyPaidOnDate: '/Date(1795564800000+0000)/',
	UpdatedDateUTC: '/Date(1795600000000+0000)/',
	Url: `https://app.commusoft.co.uk/invoices/${CS_ID.toUpperCase()}`,
	...over,
});

describe('invoiceState: which Xero states Commusoft is told about', () => {
	it.each([
		[{ Status: 'VOIDED' }, 'VOIDED'],
		[{ Status: 'DELETED' }, 'DELETED'],
		[{ Status: 'PAID', AmountPaid: 120, AmountCredited: 0 }, 'PAID'],
		[{ Status: 'PAID', AmountPaid: 0, AmountCredited: 120 }, 'CREDITED'],
		[{ Status: 'PAID', AmountPaid: '0.00', AmountCredited: '120.00' }, 'CREDITED'],
		// settled partly by payment, partly by credit: paid
		[{ Status: 'PAID', AmountPaid: 50, AmountCredited: 70 }, 'PAID'],
		// a zero invoice marked paid is not "credited"
		[{ Status: 'PAID', Total: 0, AmountPaid: 0, AmountCredited: 0 }, 'PAID'],
		[{ Status: 'AUTHORISED', AmountPaid: 50 }, undefined],
		[{ Status: 'AUTHORISED', AmountCredited: 119.99 }, undefined],
		[{ Status: 'DRAFT' }, undefined],
		[{ Status: 'SUBMITTED' }, undefined],
		[{ Status: undefined }, undefined],
	] as Array<[Partial<XeroInvoiceStatusJson>, string | undefined]>)('%j → %s', (over, expected) => {
		expect(invoiceState(invoice(over))).toBe(expected);
	});
});

describe('toStatusChange', () => {
	it('maps a paid invoice to the record, with the Commusoft invoice id from the link', () => {
		const outcome = toStatusChange(invoice(), options);
		expect(outcome).toEqual({
			kind: 'change',
			change: {
				state: 'PAID',
				changeKey: `xero:${ID.toLowerCase()}:PAID:120.00/0.00`,
				invoiceId: ID,
				invoiceNumber: 'CS-10042',
				commusoftInvoiceId: CS_ID,
				commusoftReference: 'CS-10042',
				xeroStatus: 'PAID',
				total: 120,
				amountPaid: 120,
				amountCredited: 0,
				amountDue: 0,
				currency: 'GBP',
				fullyPaidOnDate: '2026-11-25',
				updatedDateUtc: new Date(1795600000000).toISOString(),
				tenantId: 't-1',
				note: 'Xero: invoice CS-10042 (120.00 GBP) was fully paid in Xero on 2026-11-25 (paid 120.00).',
			},
		});
	});

	it('skips what Commusoft is not told about, saying why', () => {
		const reason = (over: Partial<XeroInvoiceStatusJson>) => {
			const outcome = toStatusChange(invoice(over), options);
			return outcome.kind === 'skipped' ? outcome.reason : 'emitted';
		};
		expect(reason({ InvoiceNumber: 'INV-0001' })).toBe('invoice did not come from Commusoft');
		expect(reason({ Type: 'ACCPAY' })).toBe('not a sales invoice');
		expect(reason({ Status: 'AUTHORISED' })).toBe('status AUTHORISED is not reported');
		expect(reason({ InvoiceID: undefined })).toBe('invoice without InvoiceID');
		expect(reason({ Total: 'twelve' })).toMatch(/readable amounts/);
		expect(reason({ UpdatedDateUTC: undefined })).toMatch(/UpdatedDateUTC/);
	});

	it('gives the same key to every version in one state, and a new key to a new state or other amounts', () => {
		const key = (over: Partial<XeroInvoiceStatusJson>) => {
			const outcome = toStatusChange(invoice(over), options);
			return outcome.kind === 'change' ? outcome.change.changeKey : undefined;
		};
		const later = { UpdatedDateUTC: '2026-12-01T10:00:00' };
		expect(key(later)).toBe(key({}));
		expect(key({ InvoiceID: ID.toLowerCase() })).toBe(key({}));
		expect(key({ AmountPaid: 0, AmountCredited: 120 })).not.toBe(key({}));
		expect(key({ AmountPaid: 50, AmountCredited: 70 })).not.toBe(key({}));
		// VOIDED and DELETED are final: amounts do not enter the key
		expect(key({ Status: 'VOIDED', AmountDue: 0 })).toBe(key({ Status: 'VOIDED', AmountDue: 120 }));
		expect(key({ Status: 'VOIDED' })).toBe(statusChangeKey(ID, 'VOIDED', 1, 2));
		expect(key({ Status: 'DELETED' })).not.toBe(key({ Status: 'VOIDED' }));
	});

	it('reads the Commusoft invoice id only from a link that holds one (the last uuid in it)', () => {
		const idOf = (Url: string | undefined) => {
			const outcome = toStatusChange(invoice({ Url }), options);
			return outcome.kind === 'change' ? outcome.change.commusoftInvoiceId : 'skipped';
		};
		expect(idOf(undefined)).toBeUndefined();
		expect(idOf('https://app.commusoft.co.uk/jobs/JOB-2291')).toBeUndefined();
		expect(idOf(`https://x.test/customers/${ID}/invoices/${CS_ID}`)).toBe(CS_ID);
	});

	it('writes a note an office person can read for each state', () => {
		const note = (over: Partial<XeroInvoiceStatusJson>) => {
			const outcome = toStatusChange(invoice(over), options);
			return outcome.kind === 'change' ? outcome.change.note : '';
		};
		expect(note({ Status: 'VOIDED' })).toBe(
			'Xero: invoice CS-10042 (120.00 GBP) was voided in Xero; it is no longer owed there.',
		);
		expect(note({ Status: 'DELETED' })).toBe(
			'Xero: invoice CS-10042 (120.00 GBP) was deleted in Xero.',
		);
		expect(note({ AmountPaid: 0, AmountCredited: 120 })).toBe(
			'Xero: invoice CS-10042 (120.00 GBP) was fully credited in Xero on 2026-11-25 (credit notes 120.00).',
		);
		expect(note({ AmountPaid: 50, AmountCredited: 70 })).toMatch(/paid 50\.00, credited 70\.00/);
	});
});

describe('inspectTenantPollState', () => {
	const now = '2026-11-26T12:00:00.000Z';
	const healthy = {
		cursor: '2026-11-26T11:00:00.000Z',
		startedAt: '2026-11-25T09:00:00.000Z',
		seen: ['a'],
		tenantId: 't-1',
	};

	it('first activation: nothing saved', () => {
		const check = inspectTenantPollState(undefined, 't-1', { now, overlapMs: 0 });
		expect(check).toEqual({
			state: { seen: [] },
			problems: [],
			positionLost: false,
			mayRepeat: false,
		});
	});

	it('keeps a healthy position, and starts afresh for another organisation', () => {
		expect(inspectTenantPollState(healthy, 't-1', { now, overlapMs: 0 }).state).toEqual({
			cursor: healthy.cursor,
			startedAt: healthy.startedAt,
			seen: ['a'],
		});
		expect(inspectTenantPollState(healthy, 't-2', { now, overlapMs: 0 }).state).toEqual({
			seen: [],
		});
	});

	it('a position without its organisation is lost: the error names the fix, Backfill From resumes', () => {
		const raw = { ...healthy, tenantId: undefined };
		const lost = inspectTenantPollState(raw, 't-1', { now, overlapMs: 0, label: 'invoiceStatus' });
		expect(lost.problems).toEqual([
			`invoiceStatus: "tenantId" is missing, not the organisation's id`,
		]);
		expect(lost.lost?.description).toMatch(/Backfill From/);
		const resumed = inspectTenantPollState(raw, 't-1', {
			now,
			overlapMs: 0,
			backfillFrom: '2026-11-20T00:00:00Z',
		});
		expect(resumed.lost).toBeUndefined();
		expect(resumed.state).toEqual({ seen: ['a'] });
		expect(resumed.mayRepeat).toBe(true);
	});
});

describe('pollPages', () => {
	const records = (from: number, count: number) =>
		Array.from({ length: count }, (_, i) => ({
			id: `r${from + i}`,
			at: new Date(Date.UTC(2026, 10, 26, 10, 0, from + i)).toISOString(),
		}));
	type Rec = { id: string; at: string };
	const run = (pages: Rec[][], over: Partial<PagedPoll<Rec, string>> = {}) =>
		pollPages<Rec, string>({
			state: { seen: ['r1'] },
			baseline: false,
			maxPages: 10,
			pageSize: 3,
			budgetMs: 60_000,
			now: new Date('2026-11-27T00:00:00Z'),
			readPage: async (page: number) => ({ records: pages[page - 1] ?? [] }),
			keyOf: (r) => r.id,
			timestampOf: (r) => r.at,
			emit: (fresh) => fresh.map((r) => r.id),
			...over,
		});

	it('emits what is not seen, page by page, stops on a short page, remembers every record read', async () => {
		const result = await run([records(0, 3), records(3, 2), records(5, 3)]);
		expect(result.emitted).toEqual(['r0', 'r2', 'r3', 'r4']);
		expect(result.state.seen).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
		expect(result.state.cursor).toBe(records(4, 1)[0].at);
	});

	it('baseline: remembers, emits nothing; Backfill From is a hard floor', async () => {
		expect((await run([records(0, 2)], { baseline: true })).emitted).toEqual([]);
		const floored = await run([records(0, 2)], {
			backfillFrom: records(1, 1)[0].at,
			state: { seen: [] },
		});
		expect(floored.emitted).toEqual(['r1']);
	});

	it('stops at maxPages and at the page count', async () => {
		const pages = [records(0, 3), records(3, 3), records(6, 3)];
		expect((await run(pages, { maxPages: 2 })).emitted).toEqual(['r0', 'r2', 'r3', 'r4', 'r5']);
		const counted = await run(pages, {
			readPage: async (page: number) => ({ records: pages[page - 1], pageCount: 1 }),
		});
		expect(counted.emitted).toEqual(['r0', 'r2']);
	});
});
