import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { runNode } from '../helpers/n8nCore';
import { DEFAULT_CLIENT, type XeroSandbox } from '../../sandbox/xero/server';
import { GRANULAR_PKCE, useXeroSandboxPerFile, xeroCredential } from '../helpers/xeroSandbox';

// Rate limits, server faults, the daily limit, token expiry and secret hygiene of the Xero transport, seen
// through the Xero Accounting node running in n8n-core against the sandbox.

let sandbox: XeroSandbox;
let tenantId: string;

type Token = ReturnType<XeroSandbox['issueToken']>;

function credentials(token: Token) {
	return { xeroAccountingOAuth2Api: xeroCredential(sandbox.url, token, GRANULAR_PKCE) };
}

const getInvoice = (extra: Record<string, unknown> = {}) => ({
	resource: 'invoice',
	operation: 'get',
	tenantId,
	lookupBy: 'number',
	invoiceNumber: '={{ $json.n }}',
	requestOptions: { maxRetries: 2, retryDelayMs: 20 },
	...extra,
});

/** Invoice → Get of the seeded INV-0002 with `token`, default request options. */
const getSeededInvoice = async (token: Token) =>
	await runNode('xeroAccounting', getInvoice(), [{ n: 'INV-0002' }], credentials(token));

function apiCalls() {
	return sandbox.calls().filter((c) => c.path.includes('/api.xro/'));
}

/** Everything a user or a log could see from a run. */
function visible(run: { items: unknown; error: unknown; outputs: unknown }): string {
	const error = run.error as (Error & { description?: string; cause?: unknown }) | undefined;
	return JSON.stringify({
		items: run.items,
		outputs: run.outputs,
		error: error ? { message: error.message, description: error.description, json: error } : null,
	});
}

function expectNoSecrets(text: string, token: Token) {
	for (const secret of [token.access_token, token.refresh_token, DEFAULT_CLIENT.clientSecret]) {
		if (secret) expect(text).not.toContain(secret);
	}
}

useXeroSandboxPerFile((started) => {
	sandbox = started;
	tenantId = started.defaultTenantId;
});

describe('429 storm', () => {
	it('waits Retry-After between attempts and then succeeds', async () => {
		sandbox.setFaults({ burst429: 3 });
		const token = sandbox.issueToken();
		const run = await getSeededInvoice(token);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.InvoiceNumber).toBe('INV-0002');
		const calls = apiCalls();
		expect(calls.map((c) => c.status)).toEqual([429, 429, 429, 200]);
		// The sandbox sent Retry-After: 1 with each 429; the next attempt came no earlier than that.
		for (let i = 1; i < calls.length; i++) {
			expect(calls[i].at - calls[i - 1].at).toBeGreaterThanOrEqual(950);
		}
		expectNoSecrets(visible(run), token);
	}, 30_000);
});

describe('server faults', () => {
	it('retries 5xx a bounded number of times, then fails only that item with an actionable message', async () => {
		const [good, bad] = ['INV-0002', 'INV-0003'].map(
			(n) => sandbox.state().invoices.find((i) => i.InvoiceNumber === n)!.InvoiceID,
		);
		sandbox.setFaults({ error503Rate: 1, pathContains: bad });
		const token = sandbox.issueToken();
		const run = await runNode(
			'xeroAccounting',
			{ ...getInvoice(), lookupBy: 'id', invoiceId: '={{ $json.id }}' },
			[{ id: good }, { id: bad }],
			credentials(token),
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.InvoiceNumber).toBe('INV-0002');
		expect(run.items[1].pairedItem).toEqual({ item: 1 });
		expect(String(run.items[1].json.error)).toMatch(/server error/i);
		expect(String((run.items[1].json.details as { description?: string }).description)).toMatch(
			/HTTP status: 503 after 3 attempts/,
		);
		// 1 try + 2 retries (Max Retries = 2) for the faulty item, 1 call for the good one
		const faulty = apiCalls().filter((c) => c.path.includes(bad));
		expect(faulty.map((c) => c.status)).toEqual([503, 503, 503]);
		expectNoSecrets(visible(run), token);
	});

	it('without Continue On Fail, the run fails naming the item', async () => {
		sandbox.setFaults({ down: true });
		const token = sandbox.issueToken();
		const run = await getSeededInvoice(token);
		expect(run.items).toEqual([]);
		expect(run.error?.message).toMatch(/server error/i);
		expect((run.error as unknown as { context: { itemIndex: number } }).context.itemIndex).toBe(0);
		expect(apiCalls()).toHaveLength(3);
		expectNoSecrets(visible(run), token);
	});

	it('retries dropped connections, then names the network failure', async () => {
		const bad = sandbox.state().invoices.find((i) => i.InvoiceNumber === 'INV-0005')!.InvoiceID;
		sandbox.setFaults({ resetRate: 1, pathContains: bad });
		const token = sandbox.issueToken();
		const run = await runNode(
			'xeroAccounting',
			{ ...getInvoice(), lookupBy: 'id', invoiceId: bad },
			[{}],
			credentials(token),
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(run.error).toBeUndefined();
		expect(String(run.items[0].json.error)).toBe(
			'Xero did not answer after 3 attempts (connection reset)',
		);
		expect(String((run.items[0].json.details as { description?: string }).description)).toMatch(
			/Network error: ECONNRESET/,
		);
		expect(apiCalls().filter((c) => c.path.includes(bad))).toHaveLength(3);
		expectNoSecrets(visible(run), token);
	});

	it('gives up on a call Xero never answers after the timeout and its retries', async () => {
		const bad = sandbox.state().invoices.find((i) => i.InvoiceNumber === 'INV-0006')!.InvoiceID;
		sandbox.setFaults({ timeoutRate: 1, pathContains: bad });
		const run = await runNode(
			'xeroAccounting',
			{
				...getInvoice(),
				lookupBy: 'id',
				invoiceId: bad,
				requestOptions: { maxRetries: 1, retryDelayMs: 10, timeoutMs: 1000 },
			},
			[{}],
			credentials(sandbox.issueToken()),
			{ node: { onError: 'continueRegularOutput' } },
		);
		expect(run.error).toBeUndefined();
		expect(String(run.items[0].json.error)).toMatch(/^Xero did not answer after 2 attempts/);
		expect(String((run.items[0].json.details as { description?: string }).description)).toMatch(
			/Network error: E/,
		);
	});

	it('recovers from intermittent 500s within the retry budget', async () => {
		sandbox.setFaults({ seed: 3, error500Rate: 0.5 });
		const token = sandbox.issueToken();
		const numbers = ['INV-0001', 'INV-0002', 'INV-0003', 'INV-0004', 'INV-0005', 'INV-0006'];
		const run = await runNode(
			'xeroAccounting',
			getInvoice({ requestOptions: { maxRetries: 8, retryDelayMs: 5 } }),
			numbers.map((n) => ({ n })),
			credentials(token),
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.InvoiceNumber)).toEqual(numbers);
		const statuses = apiCalls().map((c) => c.status);
		expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(0);
		expect(statuses.filter((s) => s === 200)).toHaveLength(numbers.length);
	});
});

describe('request options', () => {
	it('Calls Per Minute and Rate Window cap how fast the node calls one organisation', async () => {
		const numbers = ['INV-0001', 'INV-0002', 'INV-0003', 'INV-0004', 'INV-0005', 'INV-0006'];
		const run = await runNode(
			'xeroAccounting',
			getInvoice({ requestOptions: { callsPerMinute: 3, rateWindowMs: 1000 } }),
			numbers.map((n) => ({ n })),
			credentials(sandbox.issueToken()),
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.InvoiceNumber)).toEqual(numbers);
		const calls = apiCalls();
		expect(calls).toHaveLength(6);
		// no 4 calls inside any 1-second window
		for (let i = 3; i < calls.length; i++) {
			expect(calls[i].at - calls[i - 3].at).toBeGreaterThanOrEqual(990);
		}
	});
});

describe('daily limit', () => {
	it('stops the run with a clear message, even with Continue On Fail, and makes no further calls', async () => {
		sandbox.setLimits({ perTenantDay: 2 });
		try {
			const token = sandbox.issueToken();
			const run = await runNode(
				'xeroAccounting',
				getInvoice(),
				[{ n: 'INV-0001' }, { n: 'INV-0002' }, { n: 'INV-0003' }, { n: 'INV-0004' }],
				credentials(token),
				{ node: { onError: 'continueRegularOutput' } },
			);
			expect(run.error?.message).toMatch(/daily API limit/);
			const calls = apiCalls();
			expect(calls.map((c) => c.status)).toEqual([200, 200, 429]);
			expect(calls[2].rateLimitProblem).toBe('day');
			expectNoSecrets(visible(run), token);
		} finally {
			sandbox.setLimits({ perTenantDay: 5000 });
		}
	});
});

describe('token lifecycle', () => {
	it('refreshes an expired access token through the custom token URL and keeps going', async () => {
		const token = sandbox.issueToken({ lifetimeSec: 60 });
		sandbox.advanceClock(120_000);
		const run = await getSeededInvoice(token);
		expect(run.error).toBeUndefined();
		expect(run.items[0].json.InvoiceNumber).toBe('INV-0002');
		const after = run.credentialsAfter.xeroAccountingOAuth2Api.oauthTokenData as unknown as Token;
		expect(after.access_token).toBeTruthy();
		expect(after.access_token).not.toBe(token.access_token);
		expect(after.refresh_token).not.toBe(token.refresh_token);
		expect(apiCalls().map((c) => c.status)).toContain(401);
		expectNoSecrets(visible(run), token);
		expectNoSecrets(visible(run), after);
	});

	it('a revoked connection fails with reconnect advice and no token in the error', async () => {
		const token = {
			access_token: `revoked-${randomBytes(12).toString('hex')}`,
			refresh_token: `revoked-${randomBytes(12).toString('hex')}`,
			expires_in: 1800,
			token_type: 'Bearer' as const,
			scope: 'offline_access',
		};
		const run = await getSeededInvoice(token);
		expect(run.error?.message).toMatch(/refused the token/);
		expect((run.error as unknown as { description: string }).description).toMatch(/Reconnect/);
		expectNoSecrets(visible(run), token);
	});
});
