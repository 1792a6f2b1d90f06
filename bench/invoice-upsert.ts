/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Benchmark: Invoice → Upsert of 1,000 Commusoft invoices × 3 lines for 200 customers, 10% already in Xero,
// through n8n-core's real WorkflowExecute against the Xero sandbox enforcing Xero's limits (60 calls a
// minute and 5 concurrent per organisation). Prints ratios and call counts, never asserts on time.
//
//   npx tsx bench/invoice-upsert.ts [--invoices 1000] [--customers 200] [--existing 0.1] [--lines 10000]
//                                   [--scale 1] [--timeline]
//
// --scale N shrinks Xero's minute N times on both sides: the sandbox's rate-limit windows (its timeScale)
// and the transport throttle's window (DEFAULT_THROTTLE_LIMITS.windowMs, read when a run starts), so the
// rate-limit floor is calls / 60 per scaled minute. Retry-After stays in whole seconds (Xero's unit).
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { mapInvoice } from '../nodes/Xero/mapping/invoice';
import { buildVatMap } from '../nodes/Xero/mapping/tax';
import { buildTrackingIndex } from '../nodes/Xero/mapping/tracking';
import type {
	CommusoftInvoiceInput,
	XeroAccount,
	XeroTaxRate,
	XeroTrackingCategory,
} from '../nodes/Xero/mapping/types';
import { planInvoiceItem } from '../nodes/Xero/mapping/upsertPlan';
import { buildTenantReference, validateAgainstTenant } from '../nodes/Xero/mapping/validation';
import { DEFAULT_THROTTLE_LIMITS } from '../nodes/Xero/transport/throttle';
import { startXeroSandbox } from '../sandbox/xero/server';
import { runNode } from '../test/helpers/n8nCore';
import { customer, invoice } from './lib/invoiceFixtures';

function arg(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

const INVOICES = arg('invoices', 1000);
const CUSTOMERS = arg('customers', 200);
const EXISTING = arg('existing', 0.1);
const CPU_LINES = arg('lines', 10_000);
const SCALE = arg('scale', 1);

function cpuMs(fn: () => void, repeats = 5): number {
	const samples: number[] = [];
	for (let r = 0; r < repeats; r++) {
		const start = process.cpuUsage();
		fn();
		const used = process.cpuUsage(start);
		samples.push((used.user + used.system) / 1000);
	}
	samples.sort((a, b) => a - b);
	return samples[Math.floor(samples.length / 2)];
}

/** CPU of mapping + validating CPU_LINES lines, against a JSON round-trip of the same data in this run. */
function measureMappingCpu(
	accounts: XeroAccount[],
	taxRates: XeroTaxRate[],
	categories: XeroTrackingCategory[],
) {
	const customers = Array.from({ length: 50 }, (_, n) => customer(n));
	const perInvoice = 3;
	const input: CommusoftInvoiceInput[] = Array.from(
		{ length: Math.ceil(CPU_LINES / perInvoice) },
		(_, n) => invoice(n, customers[n % customers.length], { lines: perInvoice }),
	);
	const vatMap = buildVatMap();
	const tenant = buildTenantReference(accounts, taxRates);
	const options = {
		status: 'AUTHORISED' as const,
		vatMap,
		tracking: [{ category: 'Business Unit', option: 'Plumbing' }],
		matchOn: 'invoiceNumber' as const,
	};
	const trackingIndex = buildTrackingIndex(categories);
	let issues = 0;
	// What the upsert does per invoice before any write: map, check against the tenant, resolve tracking,
	// decide the action (planInvoiceItem).
	const mapping = cpuMs(() => {
		issues = 0;
		for (const inv of input) {
			const mapped = mapInvoice(inv, options);
			const lineIds = inv.lines!.map((l) => l.id);
			issues += validateAgainstTenant(mapped.payload, lineIds, tenant).length;
			const plan = planInvoiceItem({
				mapped,
				lineIds,
				status: 'AUTHORISED',
				contactId: 'c',
				trackingIndex,
			});
			if (plan.kind === 'invalid') issues += plan.issues.length;
		}
	});
	const baseline = cpuMs(() => {
		JSON.parse(JSON.stringify(input));
	});
	return { lines: input.length * perInvoice, mapping, baseline, issues };
}

async function main() {
	DEFAULT_THROTTLE_LIMITS.windowMs = 60_000 / SCALE;
	const xero = await startXeroSandbox({ log: () => {}, timeScale: SCALE });
	try {
		const tenantId = xero.addTenant('Benchmark Plumbing Ltd', 'empty');
		const token = xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 24 * 3600 });
		const credentials: Record<string, ICredentialDataDecryptedObject> = {
			xeroAccountingOAuth2Api: {
				environment: 'custom',
				customBaseUrl: xero.url,
				clientId: 'sandbox-client-id',
				clientSecret: 'sandbox-client-secret',
				oauthTokenData: { ...token },
			},
		};
		const limits = xero.getLimits();
		const customers = Array.from({ length: CUSTOMERS }, (_, n) => customer(n));
		const input = Array.from({ length: INVOICES }, (_, n) => invoice(n, customers[n % CUSTOMERS]));
		const params = {
			resource: 'invoice',
			operation: 'upsert',
			tenantId,
			invoiceSource: 'item',
			matchOn: 'invoiceNumber',
			status: 'AUTHORISED',
			contactFallback: 'email',
			tracking: { mapping: [{ category: 'Business Unit', option: '={{ $json.category }}' }] },
			options: {},
		};
		const run = async (invoices: CommusoftInvoiceInput[]) =>
			await runNode(
				'xeroAccounting',
				params,
				invoices.map((json) => ({ json: json as IDataObject })),
				credentials,
				{ node: { onError: 'continueErrorOutput' } },
			);

		// Set-up: 10% of the invoices (and their customers) already in Xero, half of them since edited in
		// Commusoft. Then move the sandbox clock past the minute window so set-up calls do not count.
		const existingCount = Math.round(INVOICES * EXISTING);
		await run(input.slice(0, existingCount));
		for (let n = 0; n < existingCount; n += 2)
			input[n] = invoice(n, customers[n % CUSTOMERS], { variant: 1 });
		xero.advanceClock(Math.ceil(61_000 / SCALE)); // whole ms: Xero dates carry integer ms
		await new Promise((resolve) => setTimeout(resolve, 61_000 / SCALE)); // the throttle's window too
		xero.clearCalls();

		const started = performance.now();
		const result = await run(input);
		const wallMs = performance.now() - started;

		const calls = xero.calls().filter((c) => c.tenantId === tenantId);
		const rateLimited = calls.filter((c) => c.status === 429).length;
		const [ok, failed = []] = result.outputs;
		const actions: Record<string, number> = {};
		for (const item of ok)
			actions[String(item.json.action)] = (actions[String(item.json.action)] ?? 0) + 1;
		const byEndpoint: Record<string, number> = {};
		for (const c of calls) byEndpoint[c.endpoint] = (byEndpoint[c.endpoint] ?? 0) + 1;
		const floorMs = (calls.length / limits.perTenantMinute) * (60_000 / SCALE);

		const state = xero.state(tenantId);
		const numbers = state.invoices.map((i) => i.InvoiceNumber);
		const accounts = state.accounts as unknown as XeroAccount[];
		const taxRates = state.taxRates as unknown as XeroTaxRate[];
		const cpu = measureMappingCpu(
			accounts,
			taxRates,
			state.trackingCategories as unknown as XeroTrackingCategory[],
		);

		const fmt = (n: number, d = 2) => n.toFixed(d);
		console.log(
			`Invoice → Upsert benchmark (sandbox limits: ${limits.perTenantMinute}/min, ${limits.perTenantConcurrent} concurrent, ${SCALE === 1 ? 'real-time minute' : `minute scaled 1/${SCALE}`})`,
		);
		console.log(
			`  input: ${INVOICES} invoices × 3 lines, ${CUSTOMERS} customers, ${existingCount} already in Xero`,
		);
		console.log(
			`  actions: ${JSON.stringify(actions)}; failed items: ${failed.length}${failed.length ? ` (first: ${String(failed[0].json.error)})` : ''}`,
		);
		console.log(`  Xero calls: ${calls.length} ${JSON.stringify(byEndpoint)}`);
		console.log(
			`  Xero calls per invoice: ${fmt(calls.length / INVOICES, 3)}; invoices per call: ${fmt(INVOICES / calls.length, 1)} (target ≥ 20)`,
		);
		const problems: Record<string, number> = {};
		for (const c of calls.filter((c) => c.status === 429))
			problems[c.rateLimitProblem ?? '?'] = (problems[c.rateLimitProblem ?? '?'] ?? 0) + 1;
		console.log(`  429 responses: ${rateLimited} ${JSON.stringify(problems)}`);
		if (process.argv.includes('--timeline')) {
			const t0 = calls[0]?.at ?? 0;
			for (const c of calls)
				console.log(
					`    +${((c.at - t0) / 1000).toFixed(1)}s ${c.endpoint} ${c.status}${c.rateLimitProblem ? ` (${c.rateLimitProblem})` : ''}`,
				);
		}
		console.log(
			`  wall time: ${fmt(wallMs / 1000)} s; rate-limit floor (calls / ${limits.perTenantMinute} per ${SCALE === 1 ? '' : 'scaled '}minute): ${fmt(floorMs / 1000)} s; wall / floor: ${fmt(wallMs / floorMs)} (target ≤ 1.15)`,
		);
		console.log(
			`  CPU, map + validate + plan ${cpu.lines} lines: ${fmt(cpu.mapping, 1)} ms (target < 500 ms); JSON round-trip of the same data: ${fmt(cpu.baseline, 1)} ms; ratio ${fmt(cpu.mapping / cpu.baseline, 1)}×; issues found: ${cpu.issues}`,
		);
		console.log(
			`  integrity: ${numbers.length} invoices in Xero, ${new Set(numbers).size} distinct numbers; ${state.contacts.length} contacts, ${new Set(state.contacts.map((c) => c.ContactNumber)).size} distinct ContactNumbers`,
		);
	} finally {
		await xero.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
