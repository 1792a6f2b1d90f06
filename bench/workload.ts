/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The side-by-side workload shared by `npm run bench` and `npm run chaos`: Commusoft invoices for two Xero
// organisations in one sandbox (one per contender, so their rate limits never mix), the same set-up on both
// (200 contacts, 10% of the invoices already in Xero, half of those since edited in Commusoft), the two n8n
// workflows, and the measurements read back from the sandbox (call log and final state).
import { mapInvoice } from '../nodes/Xero/mapping/invoice';
import { buildVatMap } from '../nodes/Xero/mapping/tax';
import type { CommusoftInvoiceInput } from '../nodes/Xero/mapping/types';
import type { XeroSandbox } from '../sandbox/xero/server';
import {
	packPackage,
	startN8n,
	type CredentialFixture,
	type N8nInstance,
	type WorkflowJson,
} from '../test/e2e/harness/core';
import { startXeroTlsFront, type XeroTlsFront } from './tls/xeroFront';
import { customer, invoice } from './lib/invoiceFixtures';

export const OURS_CREDENTIAL = { id: 'benchOursXero001', name: 'Xero (ours, bench)' };
export const BUILTIN_CREDENTIAL = { id: 'benchBuiltinXro1', name: 'Xero (built-in, bench)' };

export interface Workload {
	invoices: CommusoftInvoiceInput[];
	existing: CommusoftInvoiceInput[];
	customers: ReturnType<typeof customer>[];
}

export function makeWorkload(count: number, customers: number, existingShare: number): Workload {
	const people = Array.from({ length: customers }, (_, n) => customer(n));
	const invoices = Array.from({ length: count }, (_, n) => invoice(n, people[n % customers]));
	const existing = invoices.slice(0, Math.round(count * existingShare));
	// Half of the invoices already in Xero were edited in Commusoft since (labour hours changed).
	for (let n = 0; n < existing.length; n += 2)
		invoices[n] = invoice(n, people[n % customers], { variant: 1 });
	return { invoices, existing, customers: people };
}

const vatMap = buildVatMap();

/** Xero's invoice payload for a Commusoft invoice (our mapping; the built-in workflow is handed the same). */
export function xeroPayload(inv: CommusoftInvoiceInput, withTracking: boolean) {
	const { payload } = mapInvoice(inv, {
		status: 'AUTHORISED',
		vatMap,
		tracking: withTracking ? [{ category: 'Business Unit', option: String(inv.category) }] : [],
		matchOn: 'invoiceNumber',
	});
	return payload as unknown as Record<string, unknown> & {
		LineItems: Array<Record<string, unknown>>;
	};
}

export async function api(
	xero: XeroSandbox,
	token: string,
	tenantId: string,
	method: string,
	path: string,
	body: unknown,
) {
	const response = await fetch(`${xero.url}/api.xro/2.0${path}`, {
		method,
		headers: {
			authorization: `Bearer ${token}`,
			'xero-tenant-id': tenantId,
			accept: 'application/json',
			'content-type': 'application/json',
		},
		body: JSON.stringify(body),
	});
	const json = (await response.json()) as Record<string, unknown>;
	if (!response.ok)
		throw new Error(
			`set-up ${method} ${path} → ${response.status}: ${JSON.stringify(json).slice(0, 500)}`,
		);
	return json;
}

/** Same starting point in a tenant: every customer as a contact, the `existing` invoices in their old version. */
export async function seedTenant(
	xero: XeroSandbox,
	tenantId: string,
	work: Workload,
): Promise<Map<string, string>> {
	const token = xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 3600 }).access_token;
	const contactIds = new Map<string, string>();
	for (let i = 0; i < work.customers.length; i += 50) {
		const batch = work.customers.slice(i, i + 50).map((c) => ({
			Name: `${c.firstName} ${c.lastName}`,
			FirstName: c.firstName,
			LastName: c.lastName,
			ContactNumber: c.accountReference,
			EmailAddress: c.email,
		}));
		const result = (await api(xero, token, tenantId, 'PUT', '/Contacts', { Contacts: batch })) as {
			Contacts: Array<{ ContactID: string; ContactNumber: string }>;
		};
		for (const c of result.Contacts) contactIds.set(c.ContactNumber, c.ContactID);
	}
	const customersById = new Map(work.customers.map((c) => [c.id, c]));
	for (let i = 0; i < work.existing.length; i += 50) {
		const batch = work.existing.slice(i, i + 50).map((inv) => ({
			...xeroPayload(inv, true),
			Contact: {
				ContactID: contactIds.get(
					String(customersById.get(String(inv.customer?.id))?.accountReference),
				),
			},
		}));
		await api(xero, token, tenantId, 'PUT', '/Invoices', { Invoices: batch });
	}
	return contactIds;
}

export function codeNode(name: string, items: unknown[], position: number) {
	return {
		id: `code-${name}`,
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [position, 0],
		parameters: { jsCode: `return ${JSON.stringify(items)}.map((json) => ({ json }));` },
	};
}

/**
 * How a bench workflow starts: a Manual Trigger (`n8n execute`, its own process) or a production webhook that
 * answers at once (`{ webhookPath }`), so the long-running n8n main runs the work and killing the main kills the run.
 */
export type BenchStart = 'manual' | { webhookPath: string };

export function startNode(start: BenchStart) {
	const common = { id: 'start', name: 'Start', position: [0, 0] };
	if (start === 'manual')
		return { ...common, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} };
	return {
		...common,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: start.webhookPath,
		parameters: {
			httpMethod: 'POST',
			path: start.webhookPath,
			responseMode: 'onReceived',
			options: {},
		},
	};
}

/** Ours: the Commusoft invoices straight into Xero Accounting → Invoice → Upsert (errors on the second output). */
export function oursWorkflow(
	work: Workload,
	tenantId: string,
	scale: number,
	start: BenchStart = 'manual',
	resource: 'invoice' | 'creditNote' = 'invoice',
): WorkflowJson {
	return {
		name: `bench: ours (${resource === 'invoice' ? 'Invoice' : 'Credit Note'} → Upsert)`,
		nodes: [
			startNode(start),
			codeNode('Commusoft invoices', work.invoices, 240),
			{
				id: 'ours',
				name: 'Upsert',
				type: 'n8n-nodes-commusoft-xero.xeroAccounting',
				typeVersion: 1,
				position: [480, 0],
				onError: 'continueErrorOutput',
				credentials: { xeroAccountingOAuth2Api: OURS_CREDENTIAL },
				parameters: {
					resource,
					operation: 'upsert',
					tenantId,
					[resource === 'invoice' ? 'invoiceSource' : 'creditNoteSource']: 'item',
					matchOn: 'invoiceNumber',
					status: 'AUTHORISED',
					contactFallback: 'email',
					tracking: { mapping: [{ category: 'Business Unit', option: '={{ $json.category }}' }] },
					options: {},
					requestOptions: { rateWindowMs: Math.round(60_000 / scale) },
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Commusoft invoices', type: 'main', index: 0 }]] },
			'Commusoft invoices': { main: [[{ node: 'Upsert', type: 'main', index: 0 }]] },
		},
	};
}

/** What a user builds with n8n's built-in node: look each invoice up by number, then update or create it. */
export function builtinWorkflow(
	work: Workload,
	tenantId: string,
	contactIds: Map<string, string>,
	start: BenchStart = 'manual',
): WorkflowJson {
	const items = builtinItems(work.invoices, contactIds);
	return builtinWorkflowFor(items, tenantId, start);
}

/**
 * The built-in flow's input items. The built-in node cannot find a contact by account number, so the items
 * carry the ContactID (a lookup step the user would also need; leaving it out only spares the built-in node
 * calls).
 */
export function builtinItems(invoices: CommusoftInvoiceInput[], contactIds: Map<string, string>) {
	return invoices.map((inv) => {
		const payload = xeroPayload(inv, false);
		return {
			InvoiceNumber: payload.InvoiceNumber,
			reference: payload.Reference,
			date: payload.Date,
			dueDate: payload.DueDate,
			contactId: contactIds.get(String(inv.customer?.accountReference)),
			lines: payload.LineItems.map((l) => ({
				description: l.Description,
				quantity: l.Quantity,
				unitAmount: String(l.UnitAmount),
				accountCode: l.AccountCode,
				taxType: l.TaxType,
				discountRate: String(l.DiscountRate ?? 0),
			})),
		};
	});
}

function builtinWorkflowFor(
	items: ReturnType<typeof builtinItems>,
	tenantId: string,
	start: BenchStart,
): WorkflowJson {
	const line = (k: number) => ({
		description: `={{ $json.lines[${k}].description }}`,
		quantity: `={{ $json.lines[${k}].quantity }}`,
		unitAmount: `={{ $json.lines[${k}].unitAmount }}`,
		accountCode: `={{ $json.lines[${k}].accountCode }}`,
		taxType: `={{ $json.lines[${k}].taxType }}`,
		discountRate: `={{ $json.lines[${k}].discountRate }}`,
	});
	const lineItemsUi = { lineItemsValues: [0, 1, 2].map(line) };
	// n8n's advice for rate limits (docs "Handling API rate limits"): Retry On Fail, 5 tries, 5 s apart.
	const retry = { retryOnFail: true, maxTries: 5, waitBetweenTries: 5000 };
	const xeroNode = (name: string, x: number, y: number, parameters: Record<string, unknown>) => ({
		id: `builtin-${name.replace(/\W/g, '')}`,
		name,
		type: 'n8n-nodes-base.xero',
		typeVersion: 1,
		position: [x, y],
		credentials: { xeroOAuth2Api: BUILTIN_CREDENTIAL },
		...retry,
		parameters: { resource: 'invoice', organizationId: tenantId, ...parameters },
	});
	return {
		name: 'bench: built-in (Get Many → IF → Update / Create)',
		nodes: [
			startNode(start),
			codeNode('Commusoft invoices', items, 240),
			{
				...xeroNode('Find invoice', 480, 0, {
					operation: 'getAll',
					returnAll: false,
					limit: 1,
					options: { where: '=InvoiceNumber=="{{ $json.InvoiceNumber }}"' },
				}),
				alwaysOutputData: true,
			},
			{
				id: 'match',
				name: 'Match',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [720, 0],
				parameters: {
					jsCode: [
						"const found = new Map($('Find invoice').all().filter((i) => i.json.InvoiceID).map((i) => [i.json.InvoiceNumber, i.json.InvoiceID]));",
						"return $('Commusoft invoices').all().map((i) => ({ json: { ...i.json, InvoiceID: found.get(i.json.InvoiceNumber) ?? '' } }));",
					].join('\n'),
				},
			},
			{
				id: 'if',
				name: 'Already in Xero?',
				type: 'n8n-nodes-base.if',
				typeVersion: 1,
				position: [960, 0],
				parameters: {
					conditions: { string: [{ value1: '={{ $json.InvoiceID }}', operation: 'isNotEmpty' }] },
				},
			},
			xeroNode('Update invoice', 1200, -120, {
				operation: 'update',
				invoiceId: '={{ $json.InvoiceID }}',
				updateFields: {
					lineItemsUi,
					reference: '={{ $json.reference }}',
					dueDate: '={{ $json.dueDate }}',
				},
			}),
			xeroNode('Create invoice', 1200, 120, {
				operation: 'create',
				type: 'ACCREC',
				contactId: '={{ $json.contactId }}',
				lineItemsUi,
				additionalFields: {
					invoiceNumber: '={{ $json.InvoiceNumber }}',
					reference: '={{ $json.reference }}',
					date: '={{ $json.date }}',
					dueDate: '={{ $json.dueDate }}',
					status: 'AUTHORISED',
					lineAmountType: 'Exclusive',
				},
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Commusoft invoices', type: 'main', index: 0 }]] },
			'Commusoft invoices': { main: [[{ node: 'Find invoice', type: 'main', index: 0 }]] },
			'Find invoice': { main: [[{ node: 'Match', type: 'main', index: 0 }]] },
			Match: { main: [[{ node: 'Already in Xero?', type: 'main', index: 0 }]] },
			'Already in Xero?': {
				main: [
					[{ node: 'Update invoice', type: 'main', index: 0 }],
					[{ node: 'Create invoice', type: 'main', index: 0 }],
				],
			},
		},
	};
}

export function credentials(
	xero: XeroSandbox,
	tenantIds: string[],
): { ours: CredentialFixture; builtin: CredentialFixture } {
	const client = { clientId: 'sandbox-client-id', clientSecret: 'sandbox-client-secret' };
	const tokens = () => ({
		...xero.issueToken({ tenantIds, lifetimeSec: 30 * 24 * 3600 }),
	});
	return {
		ours: {
			...OURS_CREDENTIAL,
			type: 'xeroAccountingOAuth2Api',
			data: { environment: 'custom', customBaseUrl: xero.url, ...client, oauthTokenData: tokens() },
		},
		// n8n's own credential: its URLs are fixed (identity.xero.com), so only the tokens come from the sandbox.
		builtin: {
			...BUILTIN_CREDENTIAL,
			type: 'xeroOAuth2Api',
			data: {
				grantType: 'authorizationCode',
				authUrl: 'https://login.xero.com/identity/connect/authorize',
				accessTokenUrl: 'https://identity.xero.com/connect/token',
				scope: 'offline_access accounting.transactions accounting.settings accounting.contacts',
				authQueryParameters: '',
				authentication: 'header',
				...client,
				oauthTokenData: tokens(),
			},
		},
	};
}

export interface Outcome {
	calls: number;
	rateLimited: number;
	faults: number;
	failedItems: number;
	/** invoice numbers of the failed items (not in Xero at the end) */
	missing: string[];
	duplicates: number;
	wrongContent: number;
	byEndpoint: Record<string, number>;
}

/** What the sandbox saw for one tenant, and how its final state compares with the Commusoft invoices. */
export function outcome(xero: XeroSandbox, tenantId: string, work: Workload, since = 0): Outcome {
	const calls = xero.calls().filter((c) => c.tenantId === tenantId && c.at >= since);
	const byEndpoint: Record<string, number> = {};
	for (const c of calls) {
		const key = `${c.endpoint} → ${c.fault ? `fault ${c.fault}` : c.status}`;
		byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
	}
	const state = xero.state(tenantId);
	const live = state.invoices.filter((i) => i.Status !== 'DELETED' && i.Status !== 'VOIDED');
	const byNumber = new Map<string, typeof live>();
	for (const inv of live) {
		const list = byNumber.get(String(inv.InvoiceNumber)) ?? [];
		list.push(inv);
		byNumber.set(String(inv.InvoiceNumber), list);
	}
	let failedItems = 0;
	let wrongContent = 0;
	const missing: string[] = [];
	for (const inv of work.invoices) {
		const found = byNumber.get(String(inv.invoiceNumber))?.[0];
		if (!found) {
			failedItems++;
			missing.push(String(inv.invoiceNumber));
			continue;
		}
		const want = (inv.lines ?? []).map((l) => Number(l.quantity)).join(',');
		const have = (found.LineItems ?? []).map((l) => Number(l.Quantity)).join(',');
		if (want !== have) wrongContent++; // an edit that never reached Xero (or lines mangled)
	}
	const contactKeys = state.contacts
		.filter((c) => c.ContactStatus !== 'ARCHIVED')
		.map((c) => String(c.ContactNumber ?? c.Name));
	const duplicates =
		[...byNumber.values()].reduce((n, list) => n + list.length - 1, 0) +
		(contactKeys.length - new Set(contactKeys).size);
	return {
		calls: calls.length,
		rateLimited: calls.filter((c) => c.status === 429).length,
		faults: calls.filter((c) => c.fault).length,
		failedItems,
		missing,
		duplicates,
		wrongContent,
		byEndpoint,
	};
}

/**
 * The one n8n both bench commands measure in: our packed package installed, task-runner payloads large enough
 * for 1,000 items, and, when the built-in contender runs, a TLS front for Xero's fixed hosts whose throwaway CA
 * only this n8n trusts (call `enterXeroNamespace` first). The caller stops both.
 */
export async function startBenchN8n(
	xero: XeroSandbox,
	withBuiltin: boolean,
): Promise<{ n8n: N8nInstance; front?: XeroTlsFront }> {
	const env: Record<string, string> = { N8N_RUNNERS_MAX_PAYLOAD: String(256 * 1024 * 1024) };
	const front = withBuiltin ? await startXeroTlsFront(xero.url) : undefined;
	if (front) env.NODE_EXTRA_CA_CERTS = front.caFile;
	const { tarball } = await packPackage();
	try {
		const n8n = await startN8n({ tarball, env, log: (line) => console.error(`[n8n] ${line}`) });
		return { n8n, front };
	} catch (error) {
		await front?.close();
		throw error;
	}
}

/**
 * A bench workflow whose invoices come from the webhook call's body (`{ items: [...] }`) instead of being
 * written into its Code node: one published workflow serves every small run on the long-running main.
 */
export function fedByWebhookBody(workflow: WorkflowJson): WorkflowJson {
	const nodes = (workflow.nodes as Array<Record<string, unknown>>).map((node) =>
		node.name === 'Commusoft invoices'
			? {
					...node,
					parameters: {
						jsCode: "return $('Start').first().json.body.items.map((json) => ({ json }));",
					},
				}
			: node,
	);
	return { ...workflow, nodes } as WorkflowJson;
}

/** A numeric command-line option of the bench commands (`--invoices 1000`), or its default. */
export function numberArg(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}
