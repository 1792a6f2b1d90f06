/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Debian's chromium driven by playwright-core for the editor checks: headless, no sandbox (root in CI), no
// background traffic, a fresh profile per launch.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureChromium(): void {
	if (existsSync(CHROMIUM)) return;
	console.error('[browser] chromium missing: apt-get install -y chromium');
	execFileSync(
		'bash',
		['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'],
		{
			stdio: 'inherit',
		},
	);
}

export interface RunningBrowser {
	context: BrowserContext;
	close(): Promise<void>;
}

export async function launchChromium(): Promise<RunningBrowser> {
	ensureChromium();
	const profile = mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1440, height: 900 },
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage',
		],
	});
	return {
		context,
		async close() {
			await context.close().catch(() => undefined);
			rmSync(profile, { recursive: true, force: true });
		},
	};
}
