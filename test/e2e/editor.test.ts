/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The editor as a user sees it, in Debian's chromium: first-run owner setup, our nodes in the node panel,
// the Xero credential connected through the sandbox's consent page, and every bundled template opening with
// no unknown node and no credential or parameter issue. Screenshots land in docs/screenshots/ (README).
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';

import { launchChromium, type RunningBrowser } from './harness/browser';
import {
	connectXeroInEditor,
	openWorkflowProblems,
	screenshot,
	searchNodePanel,
	setupOwnerInEditor,
} from './harness/editor';
import {
	DEFAULT_OWNER,
	loadTemplates,
	PACKAGE_NAME,
	setupE2e,
	XERO_SANDBOX_CLIENT,
} from './harness';

describe('n8n editor in chromium', () => {
	// The owner is created through the /setup page below, not by the harness.
	const e2e = setupE2e({ owner: false });
	let browser: RunningBrowser;
	let page: Page;

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

	it('opens every bundled template without unknown nodes or credential issues', () =>
		inEditor(async () => {
			const templates = loadTemplates();
			const nodeTypes = (await e2e.n8n.getJson<Array<{ name: string }>>('/types/nodes.json')).map(
				(t) => t.name,
			);
			const credentialTypes = (
				await e2e.n8n.getJson<Array<{ name: string }>>('/types/credentials.json')
			).map((t) => t.name);
			const ids = await e2e.n8n.importWorkflows(templates.map((t) => t.workflow));
			for (const [i, { file, workflow }] of templates.entries()) {
				const id = ids[i];
				const problems = await openWorkflowProblems(page, e2e.n8n.url, id);
				expect(problems.unknownNodes, `templates/${file}: unknown nodes`).toEqual([]);
				// Credential problems (unknown credential type, credential missing) are template bugs; parameter
				// issues such as "choose an organisation" are the user's first step and are allowed.
				const credentialIssues = problems.nodesWithIssues.filter((n) =>
					/credential/i.test(n.issues),
				);
				expect(credentialIssues, `templates/${file}: credential issues`).toEqual([]);
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
});
