/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// What a user does in n8n's editor (2.40.5), as playwright steps on the editor's data-test-id hooks.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

import type { OwnerAccount } from './n8n';
import { REPO_ROOT } from './runtime';

/**
 * Where the editor checks save their screenshots: test-results/screenshots (ignored by git) so a test run leaves
 * the tree clean; `npm run screenshots` sets SCREENSHOT_DIR=docs/screenshots to regenerate the README's copies.
 */
export const SCREENSHOT_DIR = path.resolve(
	REPO_ROOT,
	process.env.SCREENSHOT_DIR ?? path.join('test-results', 'screenshots'),
);

const byTestId = (id: string) => `[data-test-id="${id}"]`;

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const file = path.join(SCREENSHOT_DIR, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

/** The first-run form at /setup: the owner account. */
export async function setupOwnerInEditor(
	page: Page,
	baseUrl: string,
	owner: OwnerAccount,
): Promise<void> {
	await page.goto(`${baseUrl}/setup`);
	for (const field of ['email', 'firstName', 'lastName', 'password'] as const) {
		await page.locator(`${byTestId(field)} input`).fill(owner[field]);
	}
	await page.locator(byTestId('form-submit-button')).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/setup'), { timeout: 60_000 });
}

/**
 * Opens a new workflow's node panel and searches; returns the entries the panel lists. n8n groups an app's
 * action node and trigger node under one entry named after the app ("Commusoft" holds "Commusoft Trigger").
 */
export async function searchNodePanel(
	page: Page,
	baseUrl: string,
	text: string,
): Promise<string[]> {
	if (!page.url().includes('/workflow/')) {
		await page.goto(`${baseUrl}/workflow/new`);
	}
	const search = page.locator(byTestId('node-creator-search-bar'));
	if (!(await search.isVisible())) await page.locator(byTestId('node-creator-plus-button')).click();
	await search.fill(text);
	// The panel re-renders after the query: wait until its first entry matches the query before reading.
	const names = page.locator(byTestId('node-creator-item-name'));
	// The panel re-renders after the query (debounced): wait for an entry naming the app, then let it settle.
	const app = text.split(' ')[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	await names
		.filter({ hasText: new RegExp(app, 'i') })
		.first()
		.waitFor({ timeout: 15_000 });
	await page.waitForTimeout(500);
	return (await names.allTextContents()).map((name) => name.trim());
}

export interface XeroAppSettings {
	clientId: string;
	clientSecret: string;
	baseUrl: string;
}

/**
 * Creates a Xero Accounting OAuth2 credential in the editor and connects it: fill the app's client id and
 * secret, choose the custom environment, save, click Connect, and click "Allow access" on the consent page in
 * the popup. `onConsentPage` sees the popup once the sandbox's consent page has loaded (for screenshots).
 */
export async function connectXeroInEditor(
	page: Page,
	baseUrl: string,
	app: XeroAppSettings,
	onConsentPage?: (popup: Page) => Promise<void>,
): Promise<void> {
	await page.goto(`${baseUrl}/home/credentials/create`);
	await page.locator(`${byTestId('new-credential-type-select')} input`).fill('Xero Accounting');
	await page
		.locator(byTestId('new-credential-type-select-option'), {
			hasText: 'Xero Accounting OAuth2 API',
		})
		.click();
	await page.locator(byTestId('new-credential-type-button')).click();

	await page.locator(`${byTestId('parameter-input-clientId')} input`).fill(app.clientId);
	await page.locator(`${byTestId('parameter-input-clientSecret')} input`).fill(app.clientSecret);
	await page.locator(byTestId('parameter-input-environment')).click();
	await page.getByRole('option', { name: 'Custom Base URL' }).click();
	await page.locator(`${byTestId('parameter-input-customBaseUrl')} input`).fill(app.baseUrl);
	await page.locator(byTestId('credential-save-button')).click();
	// Saved once the delete button appears; connecting before that would save (create) a second copy.
	await page.locator(byTestId('credential-delete-button')).waitFor();

	const popupOpened = page.waitForEvent('popup');
	await page.locator(byTestId('quick-connect-button')).click();
	const popup = await popupOpened;
	await popup.waitForURL(/\/identity\/connect\/authorize/, { timeout: 30_000 });
	await popup.locator('#allow').waitFor();
	if (onConsentPage) await onConsentPage(popup);
	const closed = popup.waitForEvent('close', { timeout: 30_000 });
	await popup.locator('#allow').click();
	await closed;
	await page.locator(byTestId('oauth-connect-success-banner')).waitFor({ timeout: 30_000 });
}

export interface CanvasProblems {
	/** Nodes n8n could not resolve to an installed type ("?" icon, "install this node"). */
	unknownNodes: string[];
	/** Issue badges on canvas nodes, with the badge's tooltip text (credentials, parameters). */
	nodesWithIssues: Array<{ node: string; issues: string }>;
}

/** Opens a saved workflow and reports what the canvas flags. */
export async function openWorkflowProblems(
	page: Page,
	baseUrl: string,
	workflowId: string,
): Promise<CanvasProblems> {
	await openWorkflow(page, baseUrl, workflowId);
	await page.waitForTimeout(1000); // issue badges render after node types resolve
	const nodes = page.locator(byTestId('canvas-node'));
	const unknownNodes: string[] = [];
	const nodesWithIssues: CanvasProblems['nodesWithIssues'] = [];
	for (const node of await nodes.all()) {
		const name =
			(await node.getAttribute('data-node-name')) ?? (await node.innerText()).split('\n')[0];
		const badge = node.locator(byTestId('node-issues'));
		if ((await badge.count()) > 0) {
			await badge.first().hover();
			const tooltip = page.locator('[role="tooltip"]:visible, .n8n-tooltip:visible').last();
			const issues = (
				await tooltip.innerText({ timeout: 5000 }).catch(() => '(no tooltip text)')
			).trim();
			nodesWithIssues.push({ node: name, issues });
			await page.mouse.move(0, 0);
		}
		const unknown = await node.evaluate((el) =>
			/not installed|unknown node|install this node/i.test(el.textContent ?? ''),
		);
		if (unknown || (await node.getAttribute('data-node-type')) === 'unknown')
			unknownNodes.push(name);
	}
	return { unknownNodes, nodesWithIssues };
}

/**
 * Opens a saved workflow and clicks the canvas's "Execute workflow" button once, as the demo's "try first" says.
 * Returns once the click is made; the caller reads the result from n8n's execution store (the editor saves manual
 * executions) and from the sandboxes.
 */
export async function clickExecuteWorkflow(
	page: Page,
	baseUrl: string,
	workflowId: string,
): Promise<void> {
	await openWorkflow(page, baseUrl, workflowId);
	await page.locator(byTestId('execute-workflow-button')).first().click();
}

/** Opens a saved workflow on the canvas. */
export async function openWorkflow(page: Page, baseUrl: string, workflowId: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.locator(byTestId('canvas-node')).first().waitFor({ timeout: 30_000 });
}

/**
 * Double-clicks a node of the open workflow, as a user opens its parameter panel (n8n's node details view), and
 * waits until no dropdown in it still says "Loading options...".
 */
export async function openNodePanel(page: Page, nodeName: string): Promise<void> {
	await page.locator(`${byTestId('canvas-node')}[data-node-name="${nodeName}"]`).dblclick();
	await page.locator(`${byTestId('ndv')} ${byTestId('node-parameters')}`).waitFor();
	// A dropdown says so in its placeholder, or in its text when it holds a value; loaders start once the panel
	// has rendered, so wait for three quiet looks in a row.
	const loading = () =>
		page
			.locator(`${byTestId('ndv')} input`)
			.evaluateAll((inputs) =>
				inputs
					.map((input) => input as unknown as { placeholder: string; value: string })
					.some((input) => /loading options/i.test(`${input.placeholder} ${input.value}`)),
			);
	const until = Date.now() + 30_000;
	for (let quiet = 0; quiet < 3; ) {
		if (Date.now() > until)
			throw new Error(`"${nodeName}": a dropdown is still loading after 30 s`);
		await page.waitForTimeout(250);
		quiet = (await loading()) ? 0 : quiet + 1;
	}
}

/** Closes the parameter panel (its X), back to the canvas. */
export async function closeNodePanel(page: Page): Promise<void> {
	await page.locator(byTestId('ndv-close-button')).click();
	await page.locator(byTestId('ndv')).waitFor({ state: 'hidden' });
}

export interface DropdownState {
	/** The entries the open list shows (their titles, without descriptions). */
	options: string[];
	/** What the closed dropdown says when it has no value: "Error fetching options from …" on a loader error. */
	placeholder: string;
	/** The editor's issue mark on the parameter ("… has issues"), if any. */
	issue?: string;
}

async function dropdownProblems(page: Page, name: string) {
	const container = page
		.locator(`${byTestId('ndv')} ${byTestId(`parameter-input-${name}`)}`)
		.first();
	const input = container.locator('input').first();
	const classes = (await container.getAttribute('class')) ?? '';
	const title = await container
		.locator('[title]')
		.first()
		.getAttribute('title', { timeout: 1000 })
		.catch(() => null);
	return {
		container,
		input,
		placeholder: (await input.getAttribute('placeholder')) ?? '',
		issue: classes.includes('has-issues') ? (title ?? 'has issues') : undefined,
	};
}

/**
 * Opens the dropdown of parameter `name` (its name in the node description; inside a fixed collection too) in the
 * open node panel and reads its list; with `choose`, clicks that entry and reports the parameter afterwards.
 */
export async function openDropdown(
	page: Page,
	name: string,
	choose?: (options: string[]) => string | undefined,
): Promise<DropdownState> {
	const { container, input, placeholder } = await dropdownProblems(page, name);
	await container.scrollIntoViewIfNeeded();
	await input.click();
	const items = page.locator(byTestId('parameter-input-item')).filter({ visible: true });
	// The list, or the select's own empty text when the loader returned nothing.
	await page
		.locator(`${byTestId('parameter-input-item')}, .el-select-dropdown__empty`)
		.filter({ visible: true })
		.first()
		.waitFor({ timeout: 15_000 });
	const options = (await items.locator('.option-headline').allInnerTexts()).map((t) => t.trim());
	const chosen = choose?.(options);
	if (chosen === undefined) {
		await page.keyboard.press('Escape');
		return { options, placeholder, issue: (await dropdownProblems(page, name)).issue };
	}
	await items.filter({ has: page.getByText(chosen, { exact: true }) }).click();
	await page.waitForTimeout(300); // the editor re-checks the parameter after the change
	const after = await dropdownProblems(page, name);
	return { options, placeholder, issue: after.issue };
}
