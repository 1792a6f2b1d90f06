// Credit Note → Create or Update (and the Send From Date cut-off of both document upserts) through n8n-core's
// real WorkflowExecute against the Xero sandbox. Each test works in its own fresh organisation.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { creditNote, customer, invoice } from '../../bench/lib/invoiceFixtures';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { runNode, type RunNodeResult } from '../helpers/n8nCore';
import { addXeroOrg, xeroApiCall, type XeroOrg } from '../helpers/xeroSandbox';

let xero: XeroSandbox;
let tenantCounter = 0;

beforeAll(async () => {
	xero = await startXeroSandbox({
		log: () => {},
		limits: { perTenantMinute: 100_000, appMinute: 100_000 },
	});
});
afterAll(async () => await xero.close());
afterEach(() => xero.setFaults({}));

const freshOrg = (): XeroOrg => addXeroOrg(xero, `Credit note org ${++tenantCounter}`, 'empty');
const json = (items: INodeExecutionData[]) => items.map((i) => i.json);
const state = (org: XeroOrg) => xero.state(org.tenantId);
const callsFor = (org: XeroOrg) => xero.calls().filter((c) => c.tenantId === org.tenantId);
const creditNotesIn = (org: XeroOrg, number: string) =>
	state(org).creditNotes.filter((c) => c.CreditNoteNumber === number);
const invoiceIn = (org: XeroOrg, number: string) =>
	state(org).invoices.find((i) => i.InvoiceNumber === number)!;

function params(org: XeroOrg, resource: string, options: IDataObject = {}): INodeParameters {
	return {
		resource,
		operation: 'upsert',
		tenantId: org.tenantId,
		matchOn: 'invoiceNumber',
		status: 'AUTHORISED',
		contactFallback: 'email',
		tracking: { mapping: [{ category: 'Business Unit', option: '={{ $json.category }}' }] },
		options,
		requestOptions: { retryDelayMs: 20, timeoutMs: 3000, maxRetries: 1 },
	} as INodeParameters;
}

async function run(
	org: XeroOrg,
	resource: 'creditNote' | 'invoice',
	records: object[],
	options: IDataObject = {},
): Promise<RunNodeResult> {
	return await runNode(
		'xeroAccounting',
		params(org, resource, options),
		records.map((r) => ({ json: r as IDataObject })),
		org.credentials,
		{ node: { onError: 'continueErrorOutput' } },
	);
}

/** Everything that left by the success output, then by the error output, as json. */
const outputs = (result: RunNodeResult) => ({
	ok: json(result.items),
	failed: json(result.outputs[1] ?? []),
});

describe('Credit Note → Create or Update (sandbox)', () => {
	it('creates ACCRECCREDIT credit notes with per-line codes, VAT, tracking and contacts in one batch', async () => {
		const org = freshOrg();
		const input = [creditNote(1, customer(1)), creditNote(2, customer(2))];
		const result = await run(org, 'creditNote', input);
		expect(result.error).toBeUndefined();
		const { ok } = outputs(result);
		expect(ok.map((r) => [r.action, r.creditNoteNumber, r.status])).toEqual([
			['created', 'CN-10001', 'AUTHORISED'],
			['created', 'CN-10002', 'AUTHORISED'],
		]);
		expect(ok[0].creditNoteId).toMatch(/^[0-9a-f-]{36}$/);
		expect(ok[0].commusoftCreditNoteId).toBe('cn-1');
		expect(ok[0]).not.toHaveProperty('invoiceNumber');
		const [stored] = creditNotesIn(org, 'CN-10001');
		expect(stored.Type).toBe('ACCRECCREDIT');
		expect(stored.Total).toBe(input[0].total);
		expect(stored.LineItems.map((l) => [l.AccountCode, l.TaxType])).toEqual([
			['210', 'OUTPUT2'],
			['220', 'OUTPUT2'],
			['230', 'RROUTPUT'],
		]);
		expect(stored.LineItems[0].Tracking.map((t) => [t.Name, t.Option])).toEqual([
			['Business Unit', 'Heating'],
		]);
		const writes = callsFor(org).filter((c) => c.method !== 'GET');
		expect(writes.map((c) => c.endpoint).sort()).toEqual(['POST /CreditNotes', 'PUT /Contacts']);
		// no number guessing for credit notes (Xero documents no refusal of a taken number): POST, after a look-up
		const write = writes.find((c) => c.endpoint === 'POST /CreditNotes')!;
		expect(write.idempotencyKey).toBeTruthy();
	});

	it('updates an editable credit note keeping its lines, and writes nothing for an unchanged one', async () => {
		const org = freshOrg();
		const cust = customer(3);
		await run(org, 'creditNote', [creditNote(3, cust), creditNote(4, cust)]);
		const lineIds = creditNotesIn(org, 'CN-10003')[0].LineItems.map((l) => l.LineItemID);
		xero.clearCalls();
		const second = await run(org, 'creditNote', [
			creditNote(3, cust, { variant: 1 }),
			creditNote(4, cust),
		]);
		expect(outputs(second).ok.map((r) => r.action)).toEqual(['updated', 'unchanged']);
		expect(creditNotesIn(org, 'CN-10003')).toHaveLength(1);
		expect(creditNotesIn(org, 'CN-10003')[0].LineItems.map((l) => l.LineItemID)).toEqual(lineIds);
		expect(creditNotesIn(org, 'CN-10003')[0].Total).toBe(creditNote(3, cust, { variant: 1 }).total);
		xero.clearCalls();
		const third = await run(org, 'creditNote', [
			creditNote(3, cust, { variant: 1 }),
			creditNote(4, cust),
		]);
		expect(outputs(third).ok.map((r) => r.action)).toEqual(['unchanged', 'unchanged']);
		expect(callsFor(org).filter((c) => c.method !== 'GET')).toEqual([]);
	});

	it('allocates a credit note to the invoice it credits once, however often the run is repeated', async () => {
		const org = freshOrg();
		const cust = customer(5);
		await run(org, 'invoice', [invoice(5, cust)]);
		const due = invoiceIn(org, 'CS-10005').AmountDue;
		const credit = creditNote(6, cust, { lines: 1, credits: 'CS-10005' });
		const first = await run(org, 'creditNote', [credit]);
		expect(outputs(first).ok[0]).toMatchObject({
			action: 'created',
			allocation: { action: 'allocated', invoiceNumber: 'CS-10005', amount: credit.total },
		});
		for (let again = 0; again < 2; again++) {
			xero.clearCalls();
			const repeat = await run(org, 'creditNote', [credit]);
			expect(outputs(repeat).ok[0]).toMatchObject({
				action: 'unchanged',
				allocation: { action: 'alreadyAllocated', amount: credit.total },
			});
			expect(callsFor(org).filter((c) => c.method !== 'GET')).toEqual([]);
		}
		const [stored] = creditNotesIn(org, 'CN-10006');
		expect(stored.Allocations).toHaveLength(1);
		expect(invoiceIn(org, 'CS-10005').AmountDue).toBeCloseTo(due - credit.total, 2);
	});

	it('completes the allocation on the retried run after a crash between the write and the allocation', async () => {
		const org = freshOrg();
		const cust = customer(7);
		await run(org, 'invoice', [invoice(7, cust), invoice(8, cust)]);
		const lost = creditNote(9, cust, { lines: 1, credits: 'CS-10007' });
		const landed = creditNote(10, cust, { lines: 1, credits: 'CS-10008' });
		// Xero goes down for allocations: the credit notes are written, their allocations are not.
		xero.setFaults({ down: true, pathContains: '/Allocations' });
		const crashed = await run(org, 'creditNote', [lost, landed]);
		const failed = outputs(crashed).failed;
		expect(failed).toHaveLength(2);
		expect(String(failed[0].error)).toMatch(/not allocated to invoice CS-10007/);
		expect(String((failed[0].details as IDataObject).description)).toMatch(
			/re-run allocates it once/,
		);
		expect(creditNotesIn(org, 'CN-10009')[0].Allocations).toHaveLength(0);
		xero.setFaults({});
		// The second allocation did reach Xero before the crash (its answer was lost): made out of band here.
		const cn10 = creditNotesIn(org, 'CN-10010')[0];
		await xeroApiCall(
			{ url: xero.url, ...org },
			'PUT',
			`/CreditNotes/${cn10.CreditNoteID}/Allocations`,
			{
				Allocations: [
					{
						Amount: cn10.Total,
						Invoice: { InvoiceID: invoiceIn(org, 'CS-10008').InvoiceID },
						Date: '2026-11-02',
					},
				],
			},
		);
		xero.clearCalls();
		const retried = await run(org, 'creditNote', [lost, landed]);
		expect(
			outputs(retried).ok.map((r) => [r.action, (r.allocation as IDataObject).action]),
		).toEqual([
			['unchanged', 'allocated'],
			['unchanged', 'alreadyAllocated'],
		]);
		expect(
			callsFor(org)
				.filter((c) => c.method !== 'GET')
				.map((c) => c.endpoint),
		).toEqual(['PUT /CreditNotes/{CreditNoteID}/Allocations']);
		await run(org, 'creditNote', [lost, landed]);
		expect(creditNotesIn(org, 'CN-10009')[0].Allocations).toHaveLength(1);
		expect(creditNotesIn(org, 'CN-10010')[0].Allocations).toHaveLength(1);
		expect(state(org).creditNotes).toHaveLength(2);
	});

	it('fails only the credit note whose credit is more than the invoice still owes, naming both amounts, writing nothing for it', async () => {
		const org = freshOrg();
		const cust = customer(11);
		await run(org, 'invoice', [invoice(11, cust, { lines: 1 }), invoice(12, cust, { lines: 5 })]);
		const owed = invoiceIn(org, 'CS-10011').AmountDue;
		const tooBig = creditNote(13, cust, { lines: 3, credits: 'CS-10011' });
		const fits = creditNote(14, cust, { lines: 1, credits: 'CS-10012' });
		// two credit notes for one invoice: together they would exceed what it owes
		const first = creditNote(15, cust, { lines: 1, credits: 'CS-10012' });
		const second = creditNote(16, cust, { lines: 2, variant: 3, credits: 'CS-10012' });
		const due12 = invoiceIn(org, 'CS-10012').AmountDue;
		expect(fits.total + first.total + second.total).toBeGreaterThan(due12);
		expect(second.total).toBeLessThanOrEqual(due12);
		expect(fits.total + first.total).toBeLessThanOrEqual(due12);
		const result = await run(org, 'creditNote', [tooBig, fits, first, second]);
		const { ok, failed } = outputs(result);
		expect(ok.map((r) => r.creditNoteNumber)).toEqual(['CN-10014', 'CN-10015']);
		expect(failed.map((f) => (f.details as IDataObject).creditNoteNumber)).toEqual([
			'CN-10013',
			'CN-10016',
		]);
		expect(String(failed[0].error)).toContain(tooBig.total.toFixed(2));
		expect(String(failed[0].error)).toContain(owed.toFixed(2));
		expect(creditNotesIn(org, 'CN-10013')).toEqual([]);
		expect(creditNotesIn(org, 'CN-10016')).toEqual([]);
		expect(invoiceIn(org, 'CS-10011').AmountDue).toBe(owed);
	});

	it('fails only the bad item: unknown nominal code, unknown credited invoice, missing number', async () => {
		const org = freshOrg();
		const cust = customer(17);
		const unknownCode = creditNote(17, cust);
		unknownCode.lines[1].nominalCode = '999';
		const noInvoice = creditNote(18, cust, { credits: 'CS-99999' });
		const noNumber = { ...creditNote(19, cust), creditNoteNumber: '' };
		const good = creditNote(20, cust);
		const result = await run(org, 'creditNote', [unknownCode, noInvoice, noNumber, good]);
		const { ok, failed } = outputs(result);
		expect(ok.map((r) => [r.action, r.creditNoteNumber])).toEqual([['created', 'CN-10020']]);
		expect(failed).toHaveLength(3);
		expect(JSON.stringify(failed[0])).toMatch(/AccountCode \(nominalCode\).*999/);
		expect(String(failed[1].error)).toMatch(/credited invoice "CS-99999" is not in Xero/);
		expect(JSON.stringify(failed[1].details)).toMatch(/creditedInvoiceNumber/);
		expect(JSON.stringify(failed[2])).toMatch(
			/CreditNoteNumber \(creditNoteNumber\).*credit note number is missing/,
		);
		expect(state(org).creditNotes.map((c) => c.CreditNoteNumber)).toEqual(['CN-10020']);
	});

	it('refuses to edit a credit note Xero has allocated, with the reason, and leaves it as it is', async () => {
		const org = freshOrg();
		const cust = customer(21);
		await run(org, 'invoice', [invoice(21, cust)]);
		await run(org, 'creditNote', [creditNote(22, cust, { lines: 1, credits: 'CS-10021' })]);
		const before = JSON.stringify(creditNotesIn(org, 'CN-10022'));
		xero.clearCalls();
		const edited = await run(org, 'creditNote', [
			creditNote(22, cust, { lines: 1, variant: 2, credits: 'CS-10021' }),
		]);
		const { failed } = outputs(edited);
		expect(failed).toHaveLength(1);
		expect(String(failed[0].error)).toMatch(
			/Xero will not edit credit note CN-10022: credit allocated/,
		);
		expect((failed[0].details as IDataObject).action).toBe('refused');
		expect(callsFor(org).filter((c) => c.method !== 'GET')).toEqual([]);
		expect(JSON.stringify(creditNotesIn(org, 'CN-10022'))).toBe(before);
	});
});

describe('Credit Note → Create or Update: look-ups and approval', () => {
	it('matches on Reference too, and reads many credit notes with one GET when the list is short', async () => {
		const org = freshOrg();
		const notes = Array.from({ length: 120 }, (_, n) => creditNote(100 + n, customer(n % 7)));
		const first = await run(org, 'creditNote', notes);
		expect(outputs(first).ok.every((r) => r.action === 'created')).toBe(true);
		xero.clearCalls();
		const byReference = await runNode(
			'xeroAccounting',
			{ ...params(org, 'creditNote'), matchOn: 'reference' } as INodeParameters,
			notes.map((n) => ({ json: n as unknown as IDataObject })),
			org.credentials,
		);
		expect(json(byReference.items).every((r) => r.action === 'unchanged')).toBe(true);
		// 120 where-clauses would take several GETs; the whole ACCRECCREDIT list is one page
		expect(callsFor(org).filter((c) => c.endpoint === 'GET /CreditNotes')).toHaveLength(1);
		expect(callsFor(org).filter((c) => c.method !== 'GET')).toEqual([]);
		expect(state(org).creditNotes).toHaveLength(120);
	});

	it('leaves a draft credit note unallocated and says why, then allocates it once approved', async () => {
		const org = freshOrg();
		const cust = customer(40);
		await run(org, 'invoice', [invoice(40, cust)]);
		const credit = creditNote(41, cust, { lines: 1, credits: 'CS-10040' });
		const draft = await runNode(
			'xeroAccounting',
			{ ...params(org, 'creditNote'), status: 'DRAFT' } as INodeParameters,
			[{ json: credit as unknown as IDataObject }],
			org.credentials,
		);
		const [result] = json(draft.items);
		expect(result).toMatchObject({ action: 'created', status: 'DRAFT' });
		expect((result.allocation as IDataObject).action).toBe('notAllocated');
		expect(JSON.stringify(result.warnings)).toMatch(/Xero allocates only approved/);
		const approved = await run(org, 'creditNote', [credit]);
		expect(outputs(approved).ok[0]).toMatchObject({
			action: 'updated',
			status: 'AUTHORISED',
			allocation: { action: 'allocated', amount: credit.total },
		});
		expect(creditNotesIn(org, 'CN-10041')[0].Allocations).toHaveLength(1);
	});
});

describe('Send From Date (cut-off) on both document upserts', () => {
	for (const resource of ['invoice', 'creditNote'] as const) {
		it(`${resource}: documents dated before the cut-off are skipped with the reason, never sent`, async () => {
			const org = freshOrg();
			const cust = customer(30);
			const make = (n: number, date: string) => {
				const record =
					resource === 'invoice'
						? { ...invoice(n, cust), date, dueDate: date }
						: { ...creditNote(n, cust), date };
				return record;
			};
			const records = [make(30, '2026-03-31'), make(31, '2026-04-01'), make(32, '2025-12-31')];
			const result = await run(org, resource, records, { sendFromDate: '2026-04-01T00:00:00' });
			const { ok, failed } = outputs(result);
			expect(failed).toEqual([]);
			expect(ok.map((r) => r.action)).toEqual(['skipped', 'created', 'skipped']);
			expect(String(ok[0].reason)).toMatch(
				/dated 2026-03-31, before the Send From Date 2026-04-01/,
			);
			expect(result.items.map((i) => i.pairedItem)).toEqual([
				{ item: 0 },
				{ item: 1 },
				{ item: 2 },
			]);
			const written =
				resource === 'invoice'
					? state(org).invoices.map((i) => i.InvoiceNumber)
					: state(org).creditNotes.map((c) => c.CreditNoteNumber);
			expect(written).toEqual([resource === 'invoice' ? 'CS-10031' : 'CN-10031']);
		});
	}

	it('a skipped document is skipped even when it would fail validation, and a bad date is refused', async () => {
		const org = freshOrg();
		const old = { ...creditNote(33, customer(33)), date: '2020-01-01' };
		old.lines[0].nominalCode = '';
		const result = await run(org, 'creditNote', [old], { sendFromDate: '2021-01-01' });
		expect(outputs(result).ok.map((r) => r.action)).toEqual(['skipped']);
		const bad = await run(org, 'creditNote', [creditNote(34, customer(34))], {
			sendFromDate: 'next tuesday',
		});
		expect(String(bad.error?.message ?? JSON.stringify(outputs(bad).failed))).toMatch(
			/Send From Date "next tuesday" is not a date/,
		);
		expect(state(org).creditNotes).toEqual([]);
	});
});
