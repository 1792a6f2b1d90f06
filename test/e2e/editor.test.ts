/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The editor as a user sees it, in Debian's chromium: first-run owner setup, our nodes in the node panel,
// the Xero credential connected through the sandbox's consent page, every bundled template opening (as the demo
// imports it) with no unknown node and no issue badge, the demo's "try first" done with one click, each action
// node's parameter panel on its main operation, and every dropdown of every node opened against the sandbox.
// Screenshots land in test-results/screenshots/; `npm run screenshots` writes the README's copies in
// docs/screenshots/ instead.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { launchChromium, type RunningBrowser } from './harness/browser';
import {
	closeNodePanel,
	connectXeroInEditor,
	clickExecuteWorkflow,
	openDropdown,
	openNodePanel,
	openWorkflow,
	openWorkflowProblems,
	screenshot,
	searchNodePanel,
	setupOwnerInEditor,
} from './harness/editor';
import {
	chainWorkflow,
	DEFAULT_OWNER,
	describeRun,
	inspect,
	loadTemplates,
	nodeType,
	PACKAGE_NAME,
	setupE2e,
	useCommusoft,
	useXero,
	XERO_SANDBOX_CLIENT,
	type WorkflowJson,
} from './harness';
import { nodeDropdowns, packageNodes, type Dropdown } from '../helpers/nodeDropdowns';
import type { XeroSandbox } from '../../sandbox';
import type { TenantState } from '../../sandbox/xero/types';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';

describe('n8n editor in chromium', () => {
	// The owner is created through the /setup page below, not by the harness.
	const e2e = setupE2e({ owner: false });
	let browser: RunningBrowser;
	let page: Page;
	/** Workflow ids of the bundled templates, imported as the demo imports them (in loadTemplates order). */
	let templateIds: string[] = [];

	beforeAll(async () => {
		browser = await launchChromium();
		page = await browser.context.newPage();
		page.setDefaultTimeout(30_000);
	});

	afterAll(async () => {
		await browser?.close();
	});

	const inEditor = (fn: () => Promise<void>) =>
		e2e.withN8n(async () => {
			try {
				await fn();
			} catch (error) {
				const file = path.join(os.tmpdir(), `e2e-editor-failure-${Date.now()}.png`);
				await page.screenshot({ path: file }).catch(() => undefined);
				console.error(`editor state at failure: ${file}`);
				throw error;
			}
		});

	it('sets up the owner account on the first-run page', () =>
		inEditor(async () => {
			await setupOwnerInEditor(page, e2e.n8n.url, DEFAULT_OWNER);
			await e2e.n8n.login(DEFAULT_OWNER); // the harness's REST session, as that same owner
			const me = await e2e.n8n.rest<{ email: string; role: string }>('GET', '/login');
			expect(me.email).toBe(DEFAULT_OWNER.email);
			expect(me.role).toBe('global:owner');
		}));

	it('finds every node of the package in the node panel', () =>
		inEditor(async () => {
			const types =
				await e2e.n8n.getJson<Array<{ name: string; displayName: string; hidden?: boolean }>>(
					'/types/nodes.json',
				);
			const ours = types.filter(
				(t) => t.name.startsWith(`${PACKAGE_NAME}.`) && !t.name.endsWith('Tool'),
			);
			expect(ours.map((t) => t.displayName)).toContain('Xero Accounting');
			// Each of our nodes, searched by its display name, as a user would type it.
			for (const node of ours) {
				const listed = await searchNodePanel(page, e2e.n8n.url, node.displayName);
				// n8n lists an app's trigger under the app's entry when the app also has an action node.
				const entry = listed.includes(node.displayName)
					? node.displayName
					: node.displayName.replace(/ Trigger$/, '');
				expect(listed, `node panel search "${node.displayName}"`).toContain(entry);
				if (['Xero Accounting', 'Commusoft'].includes(node.displayName)) {
					await screenshot(
						page,
						`node-panel-${node.displayName.toLowerCase().replace(/\s+/g, '-')}`,
					);
				}
			}
		}));

	it('connects a Xero credential through the sandbox consent page', () =>
		inEditor(async () => {
			await connectXeroInEditor(
				page,
				e2e.n8n.url,
				{ ...XERO_SANDBOX_CLIENT, baseUrl: e2e.sandbox.xeroUrl },
				async (consent) => {
					await screenshot(consent, 'xero-consent-page');
				},
			);
			await screenshot(page, 'xero-credential-connected');
			// n8n stored real tokens from the sandbox: the new credential is listed as connected via REST too.
			const credentials = await e2e.n8n.rest<Array<{ id: string; name: string; type: string }>>(
				'GET',
				'/credentials',
			);
			const created = credentials.filter(
				(c) => c.type === 'xeroAccountingOAuth2Api' && c.name !== 'Xero (sandbox)',
			);
			expect(created).toHaveLength(1);
			const stored = await e2e.n8n.exportCredential(created[0].id);
			expect((stored.data.oauthTokenData as { access_token?: string }).access_token).toBeTruthy();
		}));

	it('opens every bundled template, as the demo imports it, with no unknown node and no issue badge', () =>
		inEditor(async () => {
			// As `npm run demo` imports them: sandbox credentials and the sandbox organisation selected.
			const templates = loadTemplates({
				tenantId: (e2e.sandbox.xero as XeroSandbox).defaultTenantId,
			});
			const nodeTypes = (await e2e.n8n.getJson<Array<{ name: string }>>('/types/nodes.json')).map(
				(t) => t.name,
			);
			const credentialTypes = (
				await e2e.n8n.getJson<Array<{ name: string }>>('/types/credentials.json')
			).map((t) => t.name);
			templateIds = await e2e.n8n.importWorkflows(templates.map((t) => t.workflow));
			for (const [i, { file, workflow }] of templates.entries()) {
				const problems = await openWorkflowProblems(page, e2e.n8n.url, templateIds[i]);
				expect(problems.unknownNodes, `templates/${file}: unknown nodes`).toEqual([]);
				// Nothing left for the user to fill in before executing: no credential and no parameter issue
				// (the organisation is selected, the credentials exist).
				expect(problems.nodesWithIssues, `templates/${file}: issue badges`).toEqual([]);
				// The same from the type registry: every node type and credential type is installed.
				for (const node of workflow.nodes) {
					expect(nodeTypes, `templates/${file}: node type`).toContain(node.type);
					for (const credentialType of Object.keys(
						(node.credentials as object | undefined) ?? {},
					)) {
						expect(credentialTypes, `templates/${file}: credential type`).toContain(credentialType);
					}
				}
				await screenshot(page, `template-${file.replace(/\.json$/, '')}`);
			}
		}));

	it("runs the demo's 'try first' with one click: template 01's Execute workflow sends invoices to Xero", () =>
		inEditor(async () => {
			const templates = loadTemplates({
				tenantId: (e2e.sandbox.xero as XeroSandbox).defaultTenantId,
			});
			const first = templates.findIndex((t) => t.file.startsWith('01-'));
			expect(first, 'template 01 is the first one the demo names').toBe(0);
			const xero = e2e.sandbox.xero as XeroSandbox;
			const commusoft = (e2e.sandbox.commusoft as RunningCommusoftSandbox).state;
			const inXero = () =>
				xero.state().invoices.filter((i) => i.InvoiceNumber?.startsWith('CS-')).length;
			expect(inXero(), 'no Commusoft invoice in Xero before the click').toBe(0);

			await clickExecuteWorkflow(page, e2e.n8n.url, templateIds[first]);
			const [execution] = await e2e.n8n.waitForExecutions(templateIds[first], 1, 120_000);
			expect(execution.mode, 'started from the editor').toBe('manual');
			expect(execution.status, describeRun((await e2e.n8n.getExecution(execution.id)).run)).toBe(
				'success',
			);
			// The sandbox's own state: every raised Commusoft invoice whose customer Xero accepts is now in Xero.
			const raised = commusoft.data.invoices.filter((i) => i.status === 'raised').length;
			expect(inXero()).toBeGreaterThan(0);
			expect(inXero()).toBeLessThanOrEqual(raised);
			await screenshot(page, 'template-01-executed');
		}));

	/** The operation value a resource's "Create or Update" has in a node's description (the node's main one). */
	async function upsertOperation(nodeName: string, resource: string): Promise<string> {
		const node = (await packageNodes()).find((n) => n.node.description.name === nodeName)!;
		const operation = node.node.description.properties.find(
			(p) =>
				p.name === 'operation' &&
				(p.displayOptions?.show?.resource as string[] | undefined)?.includes(resource),
		);
		const option = operation?.options?.find((o) => 'value' in o && o.name === 'Create or Update');
		expect(option, `${nodeName}: ${resource} → Create or Update`).toBeDefined();
		return String((option as { value: string }).value);
	}

	it("shows each action node's parameter panel on its main operation", () =>
		inEditor(async () => {
			const tenantId = (e2e.sandbox.xero as XeroSandbox).defaultTenantId;
			const panels = [
				{
					node: 'xeroAccounting',
					title: 'Xero Accounting',
					resource: 'invoice',
					resourceLabel: 'Invoice',
					credentials: useXero,
					extra: { tenantId }, // the organisation selected, as in the demo
				},
				{
					node: 'commusoft',
					title: 'Commusoft',
					resource: 'customer',
					resourceLabel: 'Customer',
					credentials: useCommusoft,
					// Mapped from a Xero contact (Xero Accounting → Contact → Get Many), as an ops person fills it in.
					extra: {
						matchValue: '={{ $json.ContactID }}',
						firstName: '={{ $json.FirstName }}',
						lastName: '={{ $json.LastName }}',
					},
				},
			];
			const steps = [];
			for (const panel of panels) {
				const operation = await upsertOperation(panel.node, panel.resource);
				steps.push({
					name: panel.title,
					type: panel.node,
					parameters: { resource: panel.resource, operation, ...panel.extra },
					credentials: panel.credentials,
				});
			}
			const [id] = await e2e.n8n.importWorkflows([
				chainWorkflow('Parameter panels', 'manual', steps),
			]);
			await openWorkflow(page, e2e.n8n.url, id);
			const viewport = page.viewportSize()!;
			// Tall enough for the whole panel of the invoice upsert in one picture.
			await page.setViewportSize({ width: viewport.width, height: 1250 });
			try {
				for (const [i, panel] of panels.entries()) {
					await openNodePanel(page, panel.title);
					const ndv = page.locator('[data-test-id="ndv"]');
					await expect
						.poll(() => ndv.locator('[data-test-id="parameter-input-resource"] input').inputValue())
						.toBe(panel.resourceLabel);
					expect(
						await ndv.locator('[data-test-id="parameter-input-operation"] input').inputValue(),
					).toBe('Create or Update');
					// No dropdown in the panel failed to load.
					const placeholders = await ndv
						.locator('input')
						.evaluateAll((inputs) =>
							inputs.map((i) => (i as unknown as { placeholder: string }).placeholder),
						);
					expect(
						placeholders.filter((p) => /error fetching options|set up credential/i.test(p)),
					).toEqual([]);
					await screenshot(
						page,
						`panel-${panel.node === 'xeroAccounting' ? 'xero' : panel.node}-${panel.resource}-${String(steps[i].parameters.operation)}`,
					);
					await closeNodePanel(page);
				}
			} finally {
				await page.setViewportSize(viewport);
			}
		}));

	it('opens every dropdown of every node in the editor: each lists what the Xero sandbox holds, with no error', () =>
		inEditor(async () => {
			const sandbox = e2e.sandbox;
			const xero = sandbox.xero as XeroSandbox;
			const tenantId = xero.defaultTenantId;
			// What each loader should list, read from the sandbox itself: its /connections for the demo credential's
			// grant (the consent page connects the first organisation), and the organisation's state.
			const connections = (await (
				await fetch(`${sandbox.xeroUrl}/connections`, {
					headers: { authorization: `Bearer ${e2e.xeroTokens!.access_token}` },
				})
			).json()) as Array<{ tenantName: string; tenantType: string }>;
			const state = await inspect<TenantState>(sandbox.xeroUrl, `state?tenantId=${tenantId}`);
			const activeCategories = state.trackingCategories.filter((c) => c.Status === 'ACTIVE');
			const expected: Record<string, (dropdown: Dropdown) => string[]> = {
				getTenants: () =>
					connections.filter((c) => c.tenantType === 'ORGANISATION').map((c) => c.tenantName),
				// Sales lines take only the active rates that apply to revenue; each shown with its rate.
				getTaxRates: () =>
					state.taxRates
						.filter((t) => t.Status === 'ACTIVE' && t.CanApplyToRevenue)
						.map((t) => `${t.Name} (${t.Rate}%)`),
				getTrackingCategories: () => activeCategories.map((c) => c.Name),
				// Accounts a payment can go into: active BANK accounts and those with payments enabled.
				getPaymentAccounts: () =>
					state.accounts
						.filter(
							(a) =>
								a.Status === 'ACTIVE' && (a.Type === 'BANK' || a.EnablePaymentsToAccount === true),
						)
						.map((a) => `${a.Name}${a.Code ? ` (${a.Code})` : ''}`),
				// The options of the category chosen beside it in the same entry (the Tracking mapping's `category`);
				// with none chosen, every active option named with its category.
				getTrackingOptions: (dropdown) => {
					let entry: unknown = dropdown.parameters;
					for (const key of dropdown.path.slice(0, -1))
						entry = Array.isArray(entry) ? entry[0] : (entry as Record<string, unknown>)?.[key];
					if (Array.isArray(entry)) entry = entry[0];
					const chosen = (entry as { category?: unknown } | undefined)?.category;
					const active = (c: (typeof activeCategories)[number]) =>
						c.Options.filter((o) => o.Status === 'ACTIVE');
					if (typeof chosen === 'string' && chosen) {
						const category = activeCategories.find((c) => c.Name === chosen);
						expect(category, `the sandbox has a tracking category "${chosen}"`).toBeDefined();
						return active(category!).map((o) => o.Name);
					}
					return activeCategories.flatMap((c) => active(c).map((o) => `${c.Name}: ${o.Name}`));
				},
			};
			const sorted = (list: string[]) => [...list].sort((a, b) => a.localeCompare(b));

			const dropdowns = (await packageNodes()).flatMap((entry) => nodeDropdowns(entry));
			expect(dropdowns.length).toBeGreaterThan(0);
			// One workflow holding a node per dropdown, set up as the demo sets nodes up (sandbox credential,
			// organisation selected) with the dropdown shown: its resource and operation, and an entry in its fixed
			// collection.
			const label = (d: Dropdown) =>
				`${d.nodeDisplayName} ${d.where.replace(' → ', ' ')} ${d.path.join(' ')}`;
			const workflow: WorkflowJson = {
				name: 'Every dropdown',
				nodes: dropdowns.map((d, i) => ({
					id: `dropdown-${i}`,
					name: label(d),
					type: nodeType(d.nodeType),
					typeVersion: d.version,
					position: [(i % 6) * 260, Math.floor(i / 6) * 220],
					parameters: { tenantId, ...d.parameters },
					credentials: useXero,
				})),
				connections: {},
				settings: { executionOrder: 'v1' },
				pinData: {},
			};
			const [id] = await e2e.n8n.importWorkflows([workflow]);
			// Choosing a value leaves the workflow unsaved: let the browser leave it when the next case navigates.
			page.on('dialog', (dialog) => void dialog.accept());
			await openWorkflow(page, e2e.n8n.url, id);
			const problems: string[] = [];
			for (const d of dropdowns) {
				const where = `${label(d)} (${d.method})`;
				const want = expected[d.method]?.(d);
				if (!want) {
					problems.push(
						`${where}: no expectation for "${d.method}"; say here what the sandbox should list`,
					);
					continue;
				}
				expect(want.length, `${where}: the sandbox has values for it`).toBeGreaterThan(0);
				await openNodePanel(page, label(d));
				// Open the list, read it, and choose its first entry as a user would.
				const shown = await openDropdown(page, d.name, (options) => options[0]);
				if (/error fetching options|set up credential/i.test(shown.placeholder))
					problems.push(`${where}: "${shown.placeholder}"`);
				if (JSON.stringify(sorted(shown.options)) !== JSON.stringify(sorted(want)))
					problems.push(
						`${where}: lists ${JSON.stringify(shown.options)}, the sandbox has ${JSON.stringify(want)}`,
					);
				if (shown.issue)
					problems.push(`${where}: issue after choosing "${shown.options[0]}": ${shown.issue}`);
				await closeNodePanel(page);
			}
			expect(problems).toEqual([]);
		}));
});
