/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The editor as a user sees it, in Debian's chromium: first-run owner setup, our nodes in the node panel,
// the Xero credential connected through the sandbox's consent page, every bundled template opening (as the demo
// imports it) with no unknown node and no issue badge, and the demo's "try first" done with one click.
// Screenshots land in test-results/screenshots/; `npm run screenshots` writes the README's copies in
// docs/screenshots/ instead.
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { launchChromium, type RunningBrowser } from './harness/browser';
import {
	connectXeroInEditor,
	clickExecuteWorkflow,
	openWorkflowProblems,
	screenshot,
	searchNodePanel,
	setupOwnerInEditor,
} from './harness/editor';
import {
	DEFAULT_OWNER,
	describeRun,
	loadTemplates,
	PACKAGE_NAME,
	setupE2e,
	XERO_SANDBOX_CLIENT,
} from './harness';
import type { XeroSandbox } from '../../sandbox';
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
});
