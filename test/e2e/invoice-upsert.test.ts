/* eslint-disable no-console --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Invoice → Upsert in a real n8n 2.40.5: Manual Trigger → Set (200 Commusoft invoices from
// bench/lib/invoiceFixtures, serialised into the workflow) → Split Out → Xero Accounting (Invoice → Upsert),
// run twice against the Xero sandbox with seeded faults (500/503, resets, timeouts, a 429 burst). The sandbox
// must end with exactly the 200 invoices, each equal to its input, and one contact per customer.
//
// Why the second run must be all `unchanged` with no write at all: the sandbox draws faults before it
// touches any record (sandbox/xero/server.ts), and a write whose answer is lost is retried with the same
// Idempotency-Key, so a fault can delay a first-run write but never half-apply it. After a first run that
// succeeded, Xero holds exactly the input and there is nothing left for a fault to force.
import { describe, expect, it } from 'vitest';

import { customer, invoice } from '../../bench/lib/invoiceFixtures';
import type { CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import type { XeroSandbox } from '../../sandbox';
import type { CallLogEntry, InvoiceRecord } from '../../sandbox/xero/types';
import { inspect, nodeType, payInXero, setupE2e, useXero, type RunData } from './harness';

const INVOICES = 200;
const CUSTOMERS = 40;
const CODES = ['200', '210', '220', '230'];
const SITES: Record<string, string> = {
	Leeds: 'North',
	Bristol: 'South',
	Norwich: 'East',
	Cardiff: 'West',
};
// What a UK organisation's Commusoft VAT labels mean in Xero (written out here, not read from the node).
const TAX_TYPE: Record<string, string> = {
	'20%': 'OUTPUT2',
	'5%': 'RROUTPUT',
	'0%': 'ZERORATEDOUTPUT',
	Exempt: 'EXEMPTOUTPUT',
};
const UPSERT = 'Xero';

/** A Commusoft invoice with its job site (ARCHITECTURE.md `property`), which the Region mapping reads. */
type Fixture = CommusoftInvoiceInput & { property: { addressLine1: string; town: string } };

function fixtures(): Fixture[] {
	// Numbers and references of their own, so the demo organisation's records cannot be mistaken for them.
	const customers = Array.from({ length: CUSTOMERS }, (_, n) =>
		customer(500 + n, { accountReference: `E2E-CUS-${500 + n}` }),
	);
	const towns = Object.keys(SITES);
	return Array.from({ length: INVOICES }, (_, n) => {
		const inv: CommusoftInvoiceInput = invoice(n, customers[n % CUSTOMERS], {
			lines: 3 + (n % 3),
			prefix: 'E2E',
		});
		inv.lines = inv.lines!.map((line, i) => ({ ...line, nominalCode: CODES[(n + i) % 4] }));
		return {
			...inv,
			property: { addressLine1: `${n} Site Road`, town: towns[Math.floor(n / 3) % 4] },
		};
	});
}

function workflow(tenantId: string, input: CommusoftInvoiceInput[]) {
	const node = (name: string, type: string, typeVersion: number, x: number, extra = {}) => ({
		id: name.toLowerCase().replace(/\W/g, ''),
		name,
		type,
		typeVersion,
		position: [x, 0],
		...extra,
	});
	const regionExpression = `={{ (${JSON.stringify(SITES)})[$json.property.town] }}`;
	return {
		name: 'e2e: 200 Commusoft invoices → Xero upsert',
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', 1, 0, { parameters: {} }),
			node('Invoices', 'n8n-nodes-base.set', 3.4, 200, {
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ invoices: input }), options: {} },
			}),
			node('Split', 'n8n-nodes-base.splitOut', 1, 400, {
				parameters: { fieldToSplitOut: 'invoices', include: 'noOtherFields', options: {} },
			}),
			node(UPSERT, nodeType('xeroAccounting'), 1, 600, {
				credentials: useXero,
				parameters: {
					resource: 'invoice',
					operation: 'upsert',
					tenantId,
					invoiceSource: 'item',
					matchOn: 'invoiceNumber',
					status: 'AUTHORISED',
					contactFallback: 'email',
					tracking: {
						mapping: [
							{ category: 'Business Unit', option: '={{ $json.category }}' },
							{ category: 'Region', option: regionExpression },
						],
					},
					options: { createTrackingOptions: false },
					requestOptions: { maxRetries: 8, retryDelayMs: 50, timeoutMs: 2000 },
				},
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Invoices', type: 'main', index: 0 }]] },
			Invoices: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: UPSERT, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number } | Array<{ item: number }>;
}

function upsertOutput(run: RunData): OutputItem[] {
	const runs = run.data.resultData.runData[UPSERT];
	expect(runs, `"${UPSERT}" ran`).toHaveLength(1);
	const main = runs[0].data?.main ?? [];
	expect(main.slice(1).flatMap((items) => items ?? [])).toEqual([]); // nothing on an error output
	return (main[0] ?? []) as OutputItem[];
}

/** Each output item points back at exactly its own input item, and says what happened to it. */
function actionsByNumber(items: OutputItem[], input: CommusoftInvoiceInput[]) {
	expect(items).toHaveLength(input.length);
	const actions = new Map<string, unknown>();
	items.forEach((item, index) => {
		expect(item.pairedItem, `output ${index} pairedItem`).toEqual({ item: index });
		expect(item.json.invoiceNumber).toBe(input[index].invoiceNumber);
		expect(item.json.status).toBe('AUTHORISED');
		expect(item.json.invoiceId).toMatch(/^[0-9a-f-]{36}$/);
		actions.set(String(item.json.invoiceNumber), item.json.action);
	});
	return actions;
}

const round = (value: number, dp: number) => Math.round(value * 10 ** dp) / 10 ** dp;

describe('Invoice → Upsert in real n8n', () => {
	const e2e = setupE2e();

	it('upserts 200 invoices twice through faults: exactly the input in Xero, one contact per customer, second run unchanged', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			// The organisation the credential was consented for (the demo one, with its own records).
			const tenantId = xero.defaultTenantId;
			type State = {
				invoices: InvoiceRecord[];
				contacts: Array<{ ContactID: string; ContactNumber?: string; Name: string }>;
				trackingCategories: Array<{ Name: string; Options: Array<{ Name: string }> }>;
			};
			const readState = () =>
				inspect<State>(sandbox.xeroUrl, `state?tenantId=${encodeURIComponent(tenantId)}`);
			const before = await readState();
			const input = fixtures();
			const id = await n8n.importWorkflow(workflow(tenantId, input));

			const runWithFaults = async (seed: number) => {
				await inspect(sandbox.xeroUrl, 'faults', {
					seed,
					burst429: 5,
					error500Rate: 0.1,
					error503Rate: 0.08,
					resetRate: 0.05,
					timeoutRate: 0.03,
				});
				xero.clearCalls();
				try {
					const run = await n8n.executeWorkflow(id, { timeoutMs: 150_000 });
					const calls = xero.calls().filter((c) => c.tenantId === tenantId);
					return { run, calls };
				} finally {
					await inspect(sandbox.xeroUrl, 'faults', {});
				}
			};
			const faultsIn = (calls: CallLogEntry[]) => ({
				injected: calls.filter((c) => c.fault && c.fault !== 'burst429').length,
				rateLimited: calls.filter((c) => c.status === 429).length,
			});
			const writes = (calls: CallLogEntry[]) => calls.filter((c) => c.method !== 'GET');

			const first = await runWithFaults(61);
			const second = await runWithFaults(62);

			// The faults really happened in both runs (so the results below were earned through them).
			for (const [label, { calls }] of [
				['first', first],
				['second', second],
			] as const) {
				const seen = faultsIn(calls);
				console.error(
					`[invoice-upsert e2e] ${label} run: ${calls.length} Xero calls, ${writes(calls).length} writes, ${seen.injected} injected faults, ${seen.rateLimited} × 429`,
				);
				expect(seen.rateLimited).toBeGreaterThanOrEqual(5);
				expect(seen.injected).toBeGreaterThanOrEqual(1);
			}
			expect(faultsIn([...first.calls, ...second.calls]).injected).toBeGreaterThanOrEqual(3);

			const firstActions = actionsByNumber(upsertOutput(first.run), input);
			expect(new Set(firstActions.values())).toEqual(new Set(['created']));
			const secondActions = actionsByNumber(upsertOutput(second.run), input);
			expect(new Set(secondActions.values())).toEqual(new Set(['unchanged']));
			// Nothing to write the second time, faults or not: only reads reached the sandbox.
			expect(writes(second.calls).map((c) => c.endpoint)).toEqual([]);
			expect(upsertOutput(second.run).map((item) => item.json.invoiceId)).toEqual(
				upsertOutput(first.run).map((item) => item.json.invoiceId),
			);

			// Xero's state, through the sandbox's inspection surface: exactly the 200 invoices and 40 contacts
			// added to what the organisation held, nothing written twice.
			const state = await readState();
			const ours = state.invoices.filter((i) => i.InvoiceNumber?.startsWith('E2E-'));
			const accrec = ours.filter((i) => i.Type === 'ACCREC');
			expect(accrec).toHaveLength(INVOICES);
			expect(ours).toHaveLength(INVOICES);
			expect(state.invoices).toHaveLength(before.invoices.length + INVOICES);
			expect(accrec.map((i) => i.InvoiceNumber).sort()).toEqual(
				input.map((i) => i.invoiceNumber).sort(),
			);

			// One contact per customer, none twice.
			const numbers = state.contacts
				.map((c) => c.ContactNumber)
				.filter((n) => n?.startsWith('E2E-CUS-'));
			expect(numbers).toHaveLength(CUSTOMERS);
			expect(new Set(numbers).size).toBe(CUSTOMERS);
			expect(state.contacts).toHaveLength(before.contacts.length + CUSTOMERS);
			expect(new Set(state.contacts.map((c) => c.Name.toLowerCase())).size).toBe(
				state.contacts.length,
			);
			const contactNumberOf = new Map(state.contacts.map((c) => [c.ContactID, c.ContactNumber]));

			for (const source of input) {
				const stored = accrec.find((i) => i.InvoiceNumber === source.invoiceNumber)!;
				const where = source.invoiceNumber;
				expect(contactNumberOf.get(stored.ContactID), where).toBe(
					source.customer!.accountReference,
				);
				expect(
					{
						Status: stored.Status,
						Reference: stored.Reference,
						Date: stored.Date,
						DueDate: stored.DueDate,
						CurrencyCode: stored.CurrencyCode,
						LineAmountTypes: stored.LineAmountTypes,
					},
					where,
				).toEqual({
					Status: 'AUTHORISED',
					Reference: source.reference,
					Date: source.date,
					DueDate: source.dueDate,
					CurrencyCode: 'GBP',
					LineAmountTypes: 'Exclusive',
				});
				const region = SITES[source.property.town];
				expect(
					stored.LineItems.map((line) => ({
						Description: line.Description,
						AccountCode: line.AccountCode,
						TaxType: line.TaxType,
						Quantity: line.Quantity,
						UnitAmount: line.UnitAmount,
						DiscountRate: line.DiscountRate,
						Tracking: line.Tracking.map((t) => [t.Name, t.Option]).sort(),
					})),
					where,
				).toEqual(
					source.lines!.map((line) => ({
						Description: line.description,
						AccountCode: line.nominalCode,
						TaxType: TAX_TYPE[line.vatRate!],
						Quantity: line.quantity,
						UnitAmount: round(Number(line.unitPrice), 4),
						DiscountRate: line.discountRate,
						Tracking: [
							['Business Unit', source.category],
							['Region', region],
						],
					})),
				);
			}
			// The input really is mixed: every code and both tracking categories in use, 3 to 5 lines.
			const lines = accrec.flatMap((i) => i.LineItems);
			expect(new Set(lines.map((l) => l.AccountCode))).toEqual(new Set(CODES));
			expect(
				lines.some((l) => Math.abs(l.UnitAmount! * 100 - Math.round(l.UnitAmount! * 100)) > 1e-6),
			).toBe(true); // 4 dp kept, not rounded to pennies
			expect(new Set(accrec.map((i) => i.LineItems.length))).toEqual(new Set([3, 4, 5]));
			// No tracking category or option was invented along the way.
			const options = (st: State) =>
				st.trackingCategories.map((c) => [c.Name, c.Options.map((o) => o.Name).sort()]);
			expect(options(state)).toEqual(options(before));
			expect(options(state)).toEqual(
				expect.arrayContaining([
					[
						'Business Unit',
						expect.arrayContaining(['Electrical', 'Gas Safety', 'Heating', 'Plumbing']),
					],
					['Region', expect.arrayContaining(['East', 'North', 'South', 'West'])],
				]),
			);
		}));
	it('routes bad items and refused edits to the error output, the rest to the success output (organisation by name)', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const organisation = xero.tenants().find((t) => t.tenantId === xero.defaultTenantId)!.name;
			const buyer = customer(900, { accountReference: 'E2E-CUS-900' });
			const paidLater = invoice(900, buyer, { prefix: 'E2E-BAD' });
			const untouched = invoice(901, buyer, { prefix: 'E2E-BAD' });
			const raws = (first: CommusoftInvoiceInput) => [
				JSON.stringify(first),
				'{"invoiceNumber": "E2E-BAD-NOT-JSON", ',
				JSON.stringify(untouched),
			];
			const build = (input: string[]) => {
				const wf = workflow(organisation, []);
				type Editable = { name: string; onError?: string; parameters: Record<string, unknown> };
				const nodes = wf.nodes as unknown as Editable[];
				const set = nodes.find((n) => n.name === 'Invoices')!;
				set.parameters = {
					mode: 'raw',
					jsonOutput: JSON.stringify({ invoices: input.map((raw) => ({ raw })) }),
					options: {},
				};
				const upsert = nodes.find((n) => n.name === UPSERT)!;
				upsert.onError = 'continueErrorOutput';
				upsert.parameters.invoiceSource = 'define';
				upsert.parameters.invoiceJson = '={{ $json.raw }}';
				upsert.parameters.tracking = { mapping: [] };
				return wf;
			};
			const outputs = (run: RunData) => {
				const main = run.data.resultData.runData[UPSERT][0].data?.main ?? [];
				return [main[0] ?? [], main[1] ?? []] as OutputItem[][];
			};

			const first = await n8n.executeWorkflow(await n8n.importWorkflow(build(raws(paidLater))));
			const [sent, failed] = outputs(first);
			expect(sent.map((i) => [i.pairedItem, i.json.action, i.json.tenantId])).toEqual([
				[{ item: 0 }, 'created', xero.defaultTenantId],
				[{ item: 2 }, 'created', xero.defaultTenantId],
			]);
			expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
			expect(String(failed[0].json.error)).toMatch(/^Item 1: "Invoice \(JSON\)" is not valid JSON/);

			await payInXero(sandbox, { invoiceNumber: paidLater.invoiceNumber!, uuid: '' }, 10);
			const edited = invoice(900, buyer, { prefix: 'E2E-BAD', variant: 3 });
			const second = await n8n.executeWorkflow(await n8n.importWorkflow(build(raws(edited))));
			const [ok, refused] = outputs(second);
			expect(ok.map((i) => [i.pairedItem, i.json.action])).toEqual([[{ item: 2 }, 'unchanged']]);
			expect(refused.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			expect(String(refused[0].json.error)).toMatch(
				new RegExp(`^Xero will not edit invoice ${paidLater.invoiceNumber}: part-paid`),
			);
		}));
});
