/* eslint-disable no-console, @n8n/community-nodes/no-restricted-imports --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Credentials and the Commusoft Trigger in a real n8n 2.40.5 (one instance for the whole file, debug logging on):
// 1. n8n's own credential "Test" (POST /rest/credentials/test, what the editor's Test button sends: the
//    stored credential read back redacted, one field changed) for the Xero and Commusoft credentials;
// 2. the Commusoft token flow: getToken once, the token reused, and after the sandbox expires every token the
//    next run gets exactly one new token (n8n re-runs preAuthentication after the 401) and succeeds;
// 3. the published Commusoft Trigger: invoices raised and edited between polls and while n8n is down, each
//    change emitted exactly once across the publish-time poll, an interval poll, a restart and the poll after it;
// 4. no secret (Xero tokens, client secrets, the Xero webhook key, Commusoft passwords and tokens) in n8n's
//    debug log, the CLI logs or any stored execution.
// n8n refuses poll intervals under a minute (isSubMinuteCron), so the trigger case waits for real interval
// polls ("every minute", at a random second chosen by n8n). Measured: the whole file about 3.5 minutes.
//
// Known limits (n8n's behaviour, not worked around): the Test button tests the SAVED credential, so the wrong
// client secret and password are separate saved credentials here; a refused Xero refresh reads only "EAUTH" in
// n8n 2.40.5 (the test asserts that wording, it names no secret).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox';
import type { RunningCommusoftSandbox } from '../../sandbox/commusoft/server';
import {
	chainWorkflow,
	COMMUSOFT_CREDENTIAL,
	COMMUSOFT_SANDBOX_LOGIN,
	describeRun,
	inspect,
	nodeOutput,
	nodeType,
	setupE2e,
	useCommusoft,
	unsuccessfulExecutions,
	waitFor,
	XERO_CREDENTIAL,
	XERO_SANDBOX_CLIENT,
	XERO_SANDBOX_WEBHOOK_KEY,
	type ManagedProcess,
	type N8nInstance,
	type RunData,
	type RunningSandbox,
} from './harness';

// Made up per run, so a leak check can find them anywhere.
const WRONG_CLIENT_SECRET = `e2e-wrong-secret-${randomBytes(8).toString('hex')}`;
const WRONG_PASSWORD = `e2e-wrong-pw-${randomBytes(8).toString('hex')}`;
const TRIGGER = 'Commusoft Trigger';
const MISCONFIGURED_XERO_ID = 'e2eXeroWrongSec1';
const MISCONFIGURED_COMMUSOFT_ID = 'e2eCommusoftBad1';

interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/** The editor's Test button: the credential as the editor holds it (secrets redacted) with `change` applied. */
async function testCredential(
	n8n: N8nInstance,
	id: string,
	change: Record<string, unknown> = {},
): Promise<CredentialTestResult> {
	const stored = await n8n.rest<{
		id: string;
		name: string;
		type: string;
		data: Record<string, unknown>;
	}>('GET', `/credentials/${id}?includeData=true`);
	return n8n.rest<CredentialTestResult>('POST', '/credentials/test', {
		credentials: {
			id: stored.id,
			name: stored.name,
			type: stored.type,
			data: { ...stored.data, ...change },
		},
	});
}

const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * `n8n execute --rawOutput` under N8N_LOG_LEVEL=debug: the run's JSON comes through the debug logger, coloured,
 * with a timestamp before its first line and the log metadata after its last (the harness's executeWorkflow
 * expects the plain info-level output). Reads the JSON from between those.
 */
function runFromDebugOutput(stdout: string): RunData | undefined {
	const lines = stdout.replace(ANSI_COLOUR, '').split('\n');
	const start = lines.findIndex((line) => /(^|\s)\{$/.test(line));
	if (start === -1) return undefined;
	const end = lines.findIndex((line, i) => i > start && line.startsWith('}'));
	if (end === -1) return undefined;
	try {
		return JSON.parse(['{', ...lines.slice(start + 1, end), '}'].join('\n')) as RunData;
	} catch {
		return undefined;
	}
}

async function executeWorkflow(n8n: N8nInstance, id: string): Promise<RunData> {
	const result = await n8n.cli(['execute', `--id=${id}`, '--rawOutput'], {
		timeoutMs: 180_000,
		allowFailure: true,
	});
	const run = runFromDebugOutput(result.stdout);
	// n8n 2.40.5 on Node 24 sometimes segfaults on exit after printing a complete run (see harness cli()).
	const exited = result.code === 0 || result.signal === 'SIGSEGV';
	if (exited && run?.status === 'success' && run.finished !== false) return run;
	throw new Error(
		`workflow ${id} did not succeed (exit ${result.code})\n${describeRun(run)}\n${result.stdout.slice(-3000)}${result.stderr.slice(-2000)}`,
	);
}

function parts(sandbox: RunningSandbox) {
	return {
		xero: sandbox.xero as XeroSandbox,
		commusoft: sandbox.commusoft as RunningCommusoftSandbox,
	};
}

/** PATCH on the Commusoft sandbox's inspection surface (the harness `inspect` does GET/POST). */
async function patchSandbox(baseUrl: string, pathname: string, body: unknown): Promise<unknown> {
	const response = await fetch(new URL(`/__sandbox/${pathname}`, baseUrl), {
		method: 'PATCH',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`PATCH /__sandbox/${pathname} → ${response.status}: ${text}`);
	return JSON.parse(text) as unknown;
}

describe('credentials, Commusoft token flow, Commusoft Trigger and secrets in real n8n', () => {
	const e2e = setupE2e({ env: { N8N_LOG_LEVEL: 'debug' } });
	/** Every secret n8n was handed or obtained during this file (checked by the last case). */
	const secrets = new Set<string>([
		XERO_SANDBOX_CLIENT.clientSecret,
		WRONG_CLIENT_SECRET,
		COMMUSOFT_SANDBOX_LOGIN.password,
		WRONG_PASSWORD,
		XERO_SANDBOX_WEBHOOK_KEY,
	]);
	const rememberCommusoftTokens = (sandbox: RunningSandbox) => {
		for (const token of parts(sandbox).commusoft.state.tokens.keys()) secrets.add(token);
	};

	it("n8n's credential Test: Xero calls /connections; wrong secret, expired refresh and wrong password fail readably", () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const { xero, commusoft } = parts(sandbox);

			// n8n's Test runs against the saved credential (the editor saves before it tests; edited but unsaved
			// fields do not reach the request), so the wrong values live in credentials of their own.
			await n8n.importCredentials([
				{
					id: MISCONFIGURED_XERO_ID,
					name: 'Xero (wrong client secret)',
					type: XERO_CREDENTIAL.type,
					data: {
						environment: 'custom',
						customBaseUrl: sandbox.xeroUrl,
						clientId: XERO_SANDBOX_CLIENT.clientId,
						clientSecret: WRONG_CLIENT_SECRET,
						oauthTokenData: e2e.xeroTokens,
					},
				},
				{
					id: MISCONFIGURED_COMMUSOFT_ID,
					name: 'Commusoft (wrong password)',
					type: COMMUSOFT_CREDENTIAL.type,
					data: {
						baseUrl: `${sandbox.commusoftUrl}/api/v1`,
						...COMMUSOFT_SANDBOX_LOGIN,
						password: WRONG_PASSWORD,
					},
				},
			]);

			xero.clearCalls();
			const xeroOk = await testCredential(n8n, XERO_CREDENTIAL.id);
			expect(xeroOk).toMatchObject({ status: 'OK' });
			expect(
				xero.calls().filter((call) => call.path === '/connections' && call.status === 200),
			).toHaveLength(1);

			// Access token expired (the sandbox's 30 minutes pass): the test must refresh, and a wrong client
			// secret makes the refresh fail.
			xero.advanceClock(31 * 60_000);
			xero.clearCalls();
			const wrongSecret = await testCredential(n8n, MISCONFIGURED_XERO_ID);
			console.error(
				`[e2e] Xero test with a wrong client secret: ${JSON.stringify(wrongSecret)}; calls ${JSON.stringify(xero.calls().map((c) => `${c.endpoint} ${c.status}`))}`,
			);
			expect(wrongSecret.status).toBe('Error');
			// n8n 2.40.5's own wording for a refused refresh (client-oauth2's error code): terse, but it names an
			// authentication failure and nothing secret.
			expect(wrongSecret.message).toMatch(/EAUTH/);
			expect(wrongSecret.message).not.toContain(WRONG_CLIENT_SECRET);
			expect(xero.calls().map((c) => `${c.endpoint} ${c.status}`)).toEqual([
				'GET /connections 401',
			]);

			// The right secret: the same expired access token is refreshed and the test passes.
			xero.clearCalls();
			expect(await testCredential(n8n, XERO_CREDENTIAL.id)).toMatchObject({ status: 'OK' });
			expect(xero.calls().some((call) => call.path === '/connections' && call.status === 200)).toBe(
				true,
			);

			// 61 days later the refresh token has lapsed too (Xero: 60 days unused): the test fails readably.
			xero.advanceClock(61 * 86_400_000);
			const expiredRefresh = await testCredential(n8n, XERO_CREDENTIAL.id);
			console.error(
				`[e2e] Xero test with an expired refresh token: ${JSON.stringify(expiredRefresh)}`,
			);
			expect(expiredRefresh.status).toBe('Error');
			expect(expiredRefresh.message).toBe(
				'The credential "Xero (sandbox)" needs to be reconnected.',
			);

			// Commusoft: demo login passes (getToken, then the test request with the token).
			commusoft.state.clearCalls();
			expect(await testCredential(n8n, COMMUSOFT_CREDENTIAL.id)).toMatchObject({ status: 'OK' });
			const counts = commusoft.state.callCounts();
			expect(counts['POST /getToken']).toBe(1);
			expect(commusoft.state.calls.find((c) => c.endpoint === 'GET /customers')?.status).toBe(200);

			const wrong = await testCredential(n8n, MISCONFIGURED_COMMUSOFT_ID);
			console.error(`[e2e] Commusoft test with a wrong password: ${JSON.stringify(wrong)}`);
			expect(wrong.status).toBe('Error');
			expect(wrong.message).toMatch(/getToken refused the credentials \(401\)/);
			expect(wrong.message).toMatch(/password/);
			expect(wrong.message).not.toContain(WRONG_PASSWORD);
			rememberCommusoftTokens(sandbox);
		}));

	it('Commusoft token: fetched once, reused, and renewed exactly once after the sandbox expires it', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const { commusoft } = parts(sandbox);
			const id = await n8n.importWorkflow(
				chainWorkflow('e2e: Commusoft token flow', 'manual', [
					{
						name: 'Customers',
						type: 'commusoft',
						parameters: { resource: 'customer', operation: 'getMany', returnAll: false, limit: 2 },
						credentials: useCommusoft,
					},
					{
						name: 'Invoices',
						type: 'commusoft',
						executeOnce: true,
						parameters: { resource: 'invoice', operation: 'getMany', returnAll: false, limit: 3 },
						credentials: useCommusoft,
					},
				]),
			);
			const apiCalls = () => commusoft.state.calls.map((call) => `${call.endpoint} ${call.status}`);

			// At most one getToken (none when the stored token is still good), then both nodes with one token.
			commusoft.state.clearCalls();
			const first = await executeWorkflow(n8n, id);
			expect(nodeOutput(first, 'Customers')).toHaveLength(2);
			expect(nodeOutput(first, 'Invoices')).toHaveLength(3);
			console.error(`[e2e] Commusoft first run: ${JSON.stringify(apiCalls())}`);
			expect(
				apiCalls().filter((call) => call.startsWith('POST /getToken')).length,
			).toBeLessThanOrEqual(1);
			expect(apiCalls().filter((call) => !call.startsWith('POST /getToken'))).toEqual([
				'GET /customers 200',
				'GET /invoices 200',
			]);
			rememberCommusoftTokens(sandbox);

			await inspect(sandbox.commusoftUrl, 'tokens/expire', {});
			commusoft.state.clearCalls();
			const second = await executeWorkflow(n8n, id);
			expect(nodeOutput(second, 'Customers')).toHaveLength(2);
			expect(nodeOutput(second, 'Invoices')).toHaveLength(3);
			// 401 on the stale token, one getToken, the retry, and the second node uses the new token.
			expect(apiCalls()).toEqual([
				'GET /customers 401',
				'POST /getToken 200',
				'GET /customers 200',
				'GET /invoices 200',
			]);
			rememberCommusoftTokens(sandbox);
		}));

	it('Commusoft Trigger: each raised or edited invoice is emitted once across polls and an n8n restart', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const { commusoft } = parts(sandbox);
			const data = commusoft.state.data;
			const customerUuid = data.customers.find((c) => !c.deleted)!.uuid;
			const nominalCode = data.nominalCodes[0].code;
			const raise = async (description: string) =>
				inspect<{ uuid: string; invoiceNumber: string; updatedAt: string }>(
					sandbox.commusoftUrl,
					'invoices',
					{ customerUuid, lines: [{ description, unitPrice: 100, nominalCode, vatRate: '20%' }] },
				);

			const startedAt = new Date(Date.now() - 2_000).toISOString();
			const a = await raise('Boiler service (raised before publishing)');
			const id = await n8n.importWorkflow({
				name: 'e2e: Commusoft Trigger',
				nodes: [
					{
						id: 'trigger',
						name: TRIGGER,
						type: nodeType('commusoftTrigger'),
						typeVersion: 1,
						position: [0, 0],
						credentials: useCommusoft,
						parameters: {
							pollTimes: { item: [{ mode: 'everyMinute' }] },
							events: ['invoiceRaised', 'invoiceUpdated'],
							backfillFrom: startedAt,
						},
					},
					{
						id: 'noop',
						name: 'Done',
						type: 'n8n-nodes-base.noOp',
						typeVersion: 1,
						position: [240, 0],
						parameters: {},
					},
				],
				connections: { [TRIGGER]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
				settings: { executionOrder: 'v1' },
			});

			/** Every item the trigger emitted, over all executions, as "event uuid". */
			const emitted = async () => {
				const keys: string[] = [];
				for (const execution of await n8n.listExecutions(id)) {
					const { run } = await n8n.getExecution(execution.id);
					for (const item of nodeOutput(run, TRIGGER))
						keys.push(`${String(item.event)} ${String(item.id)}`);
				}
				return keys.sort();
			};
			const waitForEmitted = async (expected: string[], watched: ManagedProcess) => {
				let last: string[] = [];
				await waitFor(
					`trigger output ${expected.join(', ')}`,
					async () => {
						last = await emitted();
						return expected.every((key) => last.includes(key));
					},
					{ timeoutMs: 150_000, process: watched, intervalMs: 1000 },
				);
				return last;
			};

			// Publish: n8n polls once at activation; the backfill brings invoice A.
			await n8n.publishWorkflow(id);
			expect(await waitForEmitted([`invoiceRaised ${a.uuid}`], n8n.main)).toEqual([
				`invoiceRaised ${a.uuid}`,
			]);

			// Between polls: B raised, A edited. The next interval poll (within a minute) brings both.
			const b = await raise('Radiator valve (raised between polls)');
			await patchSandbox(sandbox.commusoftUrl, `invoices/${a.uuid}`, { dueDate: '2026-12-31' });
			expect(
				await waitForEmitted([`invoiceRaised ${b.uuid}`, `invoiceUpdated ${a.uuid}`], n8n.main),
			).toEqual(
				[`invoiceRaised ${a.uuid}`, `invoiceUpdated ${a.uuid}`, `invoiceRaised ${b.uuid}`].sort(),
			);

			// n8n goes down; C is raised and B edited meanwhile. The poll at re-activation brings exactly those,
			// although the overlap window re-reads A and B's earlier versions.
			await n8n.main.stop();
			const c = await raise('Cylinder (raised while n8n was down)');
			await patchSandbox(sandbox.commusoftUrl, `invoices/${b.uuid}`, {
				lines: [{ description: 'Radiator valve x2', quantity: 2, unitPrice: 100, nominalCode }],
			});
			const restarted = await n8n.restartMain();
			const afterRestart = [
				`invoiceRaised ${a.uuid}`,
				`invoiceUpdated ${a.uuid}`,
				`invoiceRaised ${b.uuid}`,
				`invoiceUpdated ${b.uuid}`,
				`invoiceRaised ${c.uuid}`,
			].sort();
			expect(
				await waitForEmitted([`invoiceRaised ${c.uuid}`, `invoiceUpdated ${b.uuid}`], restarted),
			).toEqual(afterRestart);

			// One more interval poll after the restart: D arrives, nothing earlier comes again.
			const d = await raise('Thermostat (raised after the restart)');
			expect(await waitForEmitted([`invoiceRaised ${d.uuid}`], restarted)).toEqual(
				[...afterRestart, `invoiceRaised ${d.uuid}`].sort(),
			);
			const executions = await n8n.listExecutions(id);
			expect(unsuccessfulExecutions(executions)).toEqual([]);
			expect(executions.length).toBeGreaterThan(0);
			rememberCommusoftTokens(sandbox);
		}));

	it('no secret in the debug logs, the CLI output or any stored execution', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			rememberCommusoftTokens(sandbox);
			for (const token of [e2e.xeroTokens?.access_token, e2e.xeroTokens?.refresh_token])
				if (token) secrets.add(token);
			const stored = await n8n.exportCredential(XERO_CREDENTIAL.id);
			const tokens = stored.data.oauthTokenData as {
				access_token?: string;
				refresh_token?: string;
			};
			for (const token of [tokens.access_token, tokens.refresh_token])
				if (token) secrets.add(token);
			const commusoftStored = await n8n.exportCredential(COMMUSOFT_CREDENTIAL.id);
			if (commusoftStored.data.token) secrets.add(String(commusoftStored.data.token));
			// The credential Test's token and the one renewed after the expiry, at least.
			expect(parts(sandbox).commusoft.state.tokens.size).toBeGreaterThanOrEqual(2);

			const texts: Array<[string, string]> = readdirSync(n8n.userFolder)
				.filter((file) => file.endsWith('.log'))
				.map((file) => [file, readFileSync(path.join(n8n.userFolder, file), 'utf8')]);
			const mainLog = texts.find(([file]) => file === 'n8n-main.log')?.[1] ?? '';
			expect(mainLog).toMatch(/debug/i); // debug logging really was on
			const executions = await n8n.rest<{ results: Array<{ id: string }> }>(
				'GET',
				'/executions?limit=250',
			);
			expect(executions.results.length).toBeGreaterThanOrEqual(5);
			for (const { id } of executions.results) {
				const raw = await n8n.rest<{ data: string }>('GET', `/executions/${id}`);
				texts.push([`execution ${id}`, JSON.stringify(raw)]);
			}
			const leaks = texts.flatMap(([where, text]) =>
				[...secrets]
					.filter((secret) => text.includes(secret))
					.map((secret) => `${where}: ${secret.slice(0, 4)}…`),
			);
			expect(leaks).toEqual([]);
		}));
});
