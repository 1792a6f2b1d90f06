/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// `npm run sandbox` (sandbox/cli.ts): starts both sandboxes with seed data, prints URLs and demo credentials,
// stops cleanly on Ctrl-C (SIGINT).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm run sandbox', () => {
	it('prints the URLs and demo credentials, serves both APIs, and stops on SIGINT', async () => {
		const root = path.resolve(__dirname, '../..');
		// `node --import tsx` rather than the tsx CLI: the CLI relays SIGINT to its child and SIGKILLs it when the
		// child does not acknowledge within 30 ms, which a loaded CI machine misses. A terminal's Ctrl-C reaches
		// every process of the group, so users of `npm run sandbox` get the clean stop this test checks.
		const child = spawn(process.execPath, ['--import', 'tsx', 'sandbox/cli.ts'], {
			cwd: root,
			env: { ...process.env, XERO_SANDBOX_PORT: '0', COMMUSOFT_SANDBOX_PORT: '0' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout.on('data', (c: Buffer) => (out += c.toString()));
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		try {
			for (let i = 0; i < 300 && !out.includes('password'); i++)
				await new Promise((r) => setTimeout(r, 50));
			expect(out).toContain('sandbox-client-id');
			expect(out).toContain('sandbox-client-secret');
			expect(out).toContain('demo-client');
			expect(out).toContain('demo-app');
			expect(out).toContain('office@demo-plumbing.test');
			expect(out).toContain('demo-password');
			expect(out).toContain('Demo Plumbing & Heating Ltd');
			const xeroBase = /base URL\s+(http:\/\/\S+)\n/.exec(out)![1];
			const commusoftBase = /base URL\s+(http:\/\/\S+\/api\/v1)/.exec(out)![1];
			const page = await fetch(
				`${xeroBase}/identity/connect/authorize?response_type=code&client_id=sandbox-client-id&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&scope=openid`,
			);
			expect(page.status).toBe(200);
			expect(await page.text()).toContain('Allow access');
			const state = (await (await fetch(`${xeroBase}/__sandbox/state`)).json()) as {
				tenants: unknown[];
			};
			expect(state.tenants).toHaveLength(2);
			expect(commusoftBase).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
		} finally {
			child.kill('SIGINT');
		}
		expect(await exited).toBe(0);
	});
});
