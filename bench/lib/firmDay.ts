/* eslint-disable @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// "A firm's day" for `npm run bench` (bench/README.md "A firm's day"): the bundled templates' flows through
// n8n-core in-process (test/helpers/n8nCore.ts, as the sandbox tier runs them) against both sandboxes, every
// trigger polled as often as its interval gives over 24 hours, the day's events spread over the working
// hours' polls, the night's and morning's scheduled runs once. Counts every Xero call by flow.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { entries as cachedOrgSettings } from '../../nodes/Xero/transport/orgSettingsStore';
import { DEFAULT_THROTTLE_LIMITS } from '../../nodes/Xero/transport/throttle';
import { startCommusoftSandbox } from '../../sandbox/commusoft/server';
import {
	invoiceTotals,
	raiseInvoice,
	recordPayment,
	updateCustomer,
} from '../../sandbox/commusoft/state';
import { DEFAULT_CLIENT, startXeroSandbox } from '../../sandbox/xero/server';
import { CredentialStore, pollOnce, runWorkflow, type TestNode } from '../../test/helpers/n8nCore';
import { flowWorkflow, loadTemplate, PACKAGE, type Template } from './templateFlows';

export interface FirmDayOptions {
	/** Xero's minute shrunk N times (sandbox windows and the node's throttle window), as the other rows. */
	scale: number;
	invoices: number;
	paymentsEachWay: number;
	customerEdits: number;
	/** working hours the events are spread over (polls run around the clock) */
	workingHours: number;
}

export interface FlowTally {
	flow: string;
	/** when it runs: "poll every 15 min" or the schedule */
	when: string;
	/** polls (or scheduled runs) in the day */
	polls: number;
	/** of those, how many started a workflow run (the trigger emitted items) */
	runs: number;
	/** items the trigger emitted (scheduled runs: items the Xero node received) */
	items: number;
	xeroCalls: number;
	/** calls of polls that found nothing */
	idleCalls: number;
	/** what the built-in Xero node needs for the same items (undefined: it cannot do this flow) */
	builtin?: number;
	byEndpoint: Record<string, number>;
}

export interface FirmDayResult {
	options: FirmDayOptions;
	flows: FlowTally[];
	total: number;
	rateLimited: number;
	/** each way: payments that reached the other system (a check that the day's work was done) */
	delivered: { invoicesInXero: number; paymentsToXero: number; paymentsToCommusoft: number };
	errors: string[];
}

interface Polled {
	flow: string;
	file: string;
	trigger: string;
	type: string;
	passThrough?: string[];
	/**
	 * Calls the built-in Xero node makes per item the flow's Xero node receives, as the bench's built-in
	 * contender works (bench/workload.ts builtinWorkflow): Get Many to find the record, then Create or Update.
	 * Undefined where it cannot do the flow (no payments, no trigger, no reports).
	 */
	builtinPerItem?: number;
}

/** The templates' polling triggers (each every 15 minutes as shipped). */
const POLLED: Polled[] = [
	{
		flow: '01 Commusoft invoices → Xero',
		file: '01-commusoft-invoices-to-xero.json',
		trigger: 'Commusoft Trigger',
		type: 'commusoftTrigger',
		builtinPerItem: 2,
	},
	{
		flow: '03 Commusoft customers → Xero contacts',
		file: '03-commusoft-customers-to-xero-contacts.json',
		trigger: 'Commusoft Trigger',
		type: 'commusoftTrigger',
		builtinPerItem: 2,
	},
	{
		flow: '07 Commusoft payments → Xero',
		file: '07-commusoft-payments-to-xero.json',
		trigger: 'Commusoft Trigger',
		type: 'commusoftTrigger',
	},
	{
		flow: '02 Xero payments → Commusoft',
		file: '02-xero-payments-to-commusoft.json',
		trigger: 'Xero Payment Trigger',
		type: 'xeroPaymentTrigger',
		passThrough: ['Payment Still Valid?'],
	},
	{
		flow: 'Xero invoice status → Commusoft (polling)',
		file: 'xero-invoice-status-to-commusoft.json',
		trigger: 'Xero Invoice Status (Polling)',
		type: 'xeroPaymentTrigger',
	},
];

/** The scheduled runs of one day (the debtors digest is weekly, on Mondays: counted once, as a Monday). */
const SCHEDULED: Array<{ flow: string; file: string; start: string; when: string }> = [
	{
		flow: '02 nightly catch-up (Xero payments, last 3 days)',
		file: '02-xero-payments-to-commusoft.json',
		start: 'Every Night 03:00',
		when: 'daily 03:00',
	},
	{
		flow: '07 nightly catch-up (Commusoft payments, last 3 days)',
		file: '07-commusoft-payments-to-xero.json',
		start: 'Every Night 03:30',
		when: 'daily 03:30',
	},
	{
		flow: '06 audit Commusoft against Xero',
		file: '06-audit-commusoft-against-xero.json',
		start: 'Every Day 06:00',
		when: 'daily 06:00',
	},
	{
		flow: 'Xero balances → Commusoft',
		file: 'xero-balances-to-commusoft.json',
		start: 'Weekdays 06:30',
		when: 'weekdays 06:30',
	},
	{
		flow: '05 debtors digest',
		file: '05-debtors-monitor.json',
		start: 'Every Monday 07:00',
		when: 'Mondays 07:00',
	},
];

const POLLS_PER_DAY = (24 * 60) / 15;

function xeroNodeItems(run: Awaited<ReturnType<typeof runWorkflow>>, nodes: TestNode[]): number {
	// Items into the first Xero node after the start: what the built-in node would get one by one.
	const xeroNode = nodes.find((n) => n.type === `${PACKAGE}xeroAccounting`);
	if (!xeroNode) return 0;
	const data = run.runData[xeroNode.name]?.[0]?.data?.main ?? [];
	return data.reduce((n, items) => n + (items?.length ?? 0), 0);
}

export async function firmDay(options: FirmDayOptions): Promise<FirmDayResult> {
	const windowBefore = DEFAULT_THROTTLE_LIMITS.windowMs;
	DEFAULT_THROTTLE_LIMITS.windowMs = 60_000 / options.scale;
	const xero = await startXeroSandbox({ log: () => {}, timeScale: options.scale });
	const commusoft = await startCommusoftSandbox();
	const errors: string[] = [];
	try {
		const tenantId = xero.defaultTenantId;
		const token = xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 48 * 3600 });
		// The stored credentials n8n would hold (as test/helpers/xeroSandbox.ts builds them for the sandbox tier).
		const store = new CredentialStore({
			xeroAccountingOAuth2Api: {
				environment: 'custom',
				customBaseUrl: xero.url,
				clientId: DEFAULT_CLIENT.clientId,
				clientSecret: DEFAULT_CLIENT.clientSecret,
				oauthTokenData: { ...token },
			},
			commusoftApi: {
				baseUrl: commusoft.apiBaseUrl,
				...commusoft.credentials,
				authMode: 'header',
				reloginStatusCodes: '401',
				token: '',
			},
		});
		/** Someone paying an invoice in Xero (not a flow's call). */
		const payInXero = async (body: unknown) => {
			const response = await fetch(`${xero.url}/api.xro/2.0/Payments`, {
				method: 'PUT',
				headers: {
					authorization: `Bearer ${token.access_token}`,
					'xero-tenant-id': tenantId,
					accept: 'application/json',
					'content-type': 'application/json',
				},
				body: JSON.stringify(body),
			});
			if (!response.ok) errors.push(`paying in Xero: ${response.status} ${await response.text()}`);
		};
		const templates = new Map<string, Template>();
		const template = (file: string) => {
			if (!templates.has(file)) templates.set(file, loadTemplate(file));
			return templates.get(file)!;
		};
		const note = (flow: string, run: Awaited<ReturnType<typeof runWorkflow>>) => {
			if (run.error) errors.push(`${flow}: ${run.error.message}`);
		};

		// Yesterday: customers are Xero contacts, the recent invoices are in Xero (the templates' manual paths).
		for (const [file, start] of [
			['03-commusoft-customers-to-xero-contacts.json', 'Sync All Customers Now'],
			['01-commusoft-invoices-to-xero.json', 'Send Recent Invoices Now'],
		] as const) {
			const run = await runWorkflow(flowWorkflow(template(file), start, tenantId), {
				credentials: store,
				startNode: start,
			});
			note(`set-up ${file}`, run);
		}

		// Each trigger activated once (n8n polls on activation), before the day is counted.
		const staticData = new Map<string, IDataObject>();
		for (const p of POLLED) {
			const trigger = template(p.file).nodes.find((n) => n.name === p.trigger)!;
			const first = await pollOnce(
				p.type,
				{ ...trigger.parameters, ...('tenantId' in trigger.parameters ? { tenantId } : {}) },
				{ credentials: store, staticData: {}, nodeName: p.trigger },
			);
			staticData.set(p.flow, first.staticData);
		}
		xero.advanceClock(Math.ceil(61_000 / options.scale)); // set-up calls in an earlier minute
		await new Promise((resolve) => setTimeout(resolve, 61_000 / options.scale));

		// The day's events, spread over the working hours' polls.
		const data = () => commusoft.state.data;
		const customers = data().customers.filter((c) => !c.deleted);
		const categories = data().categories.map((c) => c.name);
		const inXero = new Map(
			xero
				.state(tenantId)
				.invoices.filter((i) => i.Status === 'AUTHORISED')
				.map((i) => [String(i.InvoiceNumber), i]),
		);
		const payable = data().invoices.filter(
			(i) =>
				i.status === 'raised' &&
				inXero.has(i.invoiceNumber) &&
				invoiceTotals(data(), i).amountOutstanding >= 40 &&
				Number(inXero.get(i.invoiceNumber)!.AmountDue) >= 40,
		);
		if (payable.length === 0) throw new Error('firm day: no invoice in both systems to pay');
		const workingPolls = (options.workingHours * 60) / 15;
		const at = (k: number, count: number) => Math.floor((k * workingPolls) / count);
		const events: Array<Array<() => Promise<void>>> = Array.from(
			{ length: workingPolls },
			() => [],
		);
		for (let k = 0; k < options.invoices; k++)
			events[at(k, options.invoices)].push(async () => {
				raiseInvoice(
					data(),
					{
						customerUuid: customers[k % customers.length].uuid,
						category: categories[k % categories.length],
						lines: [
							{
								description: 'Labour',
								quantity: 1 + (k % 4),
								unitPrice: 65,
								nominalCode: '200',
								vatRate: '20%',
							},
							{
								description: 'Parts',
								quantity: 1,
								unitPrice: 12.5 + k,
								nominalCode: '200',
								vatRate: '20%',
							},
						],
					},
					commusoft.state.nowIso(),
				);
			});
		for (let k = 0; k < options.customerEdits; k++)
			events[at(k, options.customerEdits)].push(async () => {
				const c = customers[(k * 7) % customers.length];
				updateCustomer(
					data(),
					c.uuid,
					{ email: `accounts+${k}@example.co.uk` },
					commusoft.state.nowIso(),
				);
			});
		for (let k = 0; k < options.paymentsEachWay; k++) {
			const invoice = payable[k % payable.length];
			events[at(k, options.paymentsEachWay)].push(async () => {
				recordPayment(
					data(),
					{ invoiceUuid: invoice.uuid, amount: 5, method: 'card', reference: `Card ${k}` },
					commusoft.state.nowIso(),
				);
			});
			events[at(k, options.paymentsEachWay)].push(async () => {
				await payInXero({
					Payments: [
						{
							Invoice: { InvoiceID: inXero.get(invoice.invoiceNumber)!.InvoiceID },
							Account: { Code: '090' },
							Amount: 5,
							Date: new Date().toISOString().slice(0, 10),
							Reference: `BACS ${k}`,
						},
					],
				});
			});
		}

		const tallies = new Map<string, FlowTally>();
		const tally = (flow: string, when: string) => {
			if (!tallies.has(flow))
				tallies.set(flow, {
					flow,
					when,
					polls: 0,
					runs: 0,
					items: 0,
					xeroCalls: 0,
					idleCalls: 0,
					byEndpoint: {},
				});
			return tallies.get(flow)!;
		};
		const count = (t: FlowTally, mark: number) => {
			const calls = xero
				.calls()
				.slice(mark)
				.filter((c) => c.tenantId === tenantId || c.tenantId === undefined);
			for (const c of calls) {
				const key = `${c.endpoint} → ${c.status}`;
				t.byEndpoint[key] = (t.byEndpoint[key] ?? 0) + 1;
			}
			t.xeroCalls += calls.length;
			return calls.length;
		};

		// Polls run back to back, but each slot stands for 15 minutes: the settings our node cached in an
		// earlier slot are older than their 10 minutes (ORG_SETTINGS_CACHE.ttlMs) and are read again.
		const quarterHourPassed = () => cachedOrgSettings.clear();
		for (let poll = 0; poll < POLLS_PER_DAY; poll++) {
			quarterHourPassed();
			for (const event of events[poll] ?? []) {
				await event(); // its own Xero call (someone paying in Xero) falls before the flows' marks
			}
			for (const p of POLLED) {
				const t = tally(p.flow, 'poll every 15 min');
				const workflow = flowWorkflow(template(p.file), p.trigger, tenantId, p.passThrough);
				const trigger = workflow.nodes.find((n) => n.name === p.trigger)!;
				const mark = xero.calls().length;
				t.polls++;
				const polled = await pollOnce(p.type, trigger.parameters!, {
					credentials: store,
					staticData: staticData.get(p.flow),
					nodeName: p.trigger,
				});
				staticData.set(p.flow, polled.staticData);
				if (polled.items.length === 0) {
					t.idleCalls += count(t, mark);
					continue;
				}
				t.runs++;
				t.items += polled.items.length;
				const run = await runWorkflow(workflow, {
					credentials: store,
					mode: 'trigger',
					startNode: p.trigger,
					triggerItems: polled.items as INodeExecutionData[],
					staticData: polled.staticData,
				});
				note(p.flow, run);
				if (p.builtinPerItem)
					t.builtin = (t.builtin ?? 0) + p.builtinPerItem * xeroNodeItems(run, workflow.nodes);
				count(t, mark);
			}
		}
		for (const s of SCHEDULED) {
			quarterHourPassed(); // scheduled runs are 30 minutes or more apart
			const t = tally(s.flow, s.when);
			const workflow = flowWorkflow(template(s.file), s.start, tenantId);
			const mark = xero.calls().length;
			t.polls++;
			t.runs++;
			const run = await runWorkflow(workflow, {
				credentials: store,
				startNode: s.start,
				mode: 'trigger',
			});
			note(s.flow, run);
			t.items += xeroNodeItems(run, workflow.nodes);
			count(t, mark);
		}

		const flows = [...tallies.values()];
		const xeroState = xero.state(tenantId);
		return {
			options,
			flows,
			total: flows.reduce((n, t) => n + t.xeroCalls, 0),
			rateLimited: flows.reduce(
				(n, t) =>
					n +
					Object.entries(t.byEndpoint)
						.filter(([key]) => key.endsWith('→ 429'))
						.reduce((m, [, v]) => m + v, 0),
				0,
			),
			delivered: {
				invoicesInXero: data().invoices.filter(
					(i) =>
						i.status === 'raised' &&
						xeroState.invoices.some((x) => x.InvoiceNumber === i.invoiceNumber),
				).length,
				paymentsToXero: xeroState.payments.filter((p) =>
					String(p.Reference ?? '').startsWith('Commusoft payment'),
				).length,
				paymentsToCommusoft: data().payments.filter((p) => p.externalReference).length,
			},
			errors,
		};
	} finally {
		DEFAULT_THROTTLE_LIMITS.windowMs = windowBefore;
		await commusoft.close();
		await xero.close();
	}
}
