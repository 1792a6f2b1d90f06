// Set-up shared by the sandbox tests: the credentials n8n would hold for the Xero and Commusoft sandboxes,
// started sandboxes with those credentials, and direct Xero API calls for arranging records (never the node
// under test).
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

import type { RunningSandbox } from '../../sandbox';
import {
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';
import { DEFAULT_THROTTLE_LIMITS } from '../../nodes/Xero/transport/throttle';
import { xeroTestClient, type XeroTestClient } from '../../sandbox/xero/client';
import type { TokenResponse } from '../../sandbox/xero/oauth';
import {
	DEFAULT_CLIENT,
	startXeroSandbox,
	type XeroSandbox,
	type XeroSandboxOptions,
} from '../../sandbox/xero/server';

export type SandboxCredentials = Record<string, ICredentialDataDecryptedObject>;

/** Xero's minute limits raised: most tests are not about them (the set-up alone makes more calls). */
export const UNLIMITED = { perTenantMinute: 100_000, appMinute: 100_000 };

/** The Xero Accounting OAuth2 credential once connected to the sandbox at `baseUrl` with `token`. */
export function xeroCredential(
	baseUrl: string,
	token: TokenResponse,
	extra: IDataObject = {},
): ICredentialDataDecryptedObject {
	return {
		environment: 'custom',
		customBaseUrl: baseUrl,
		clientId: DEFAULT_CLIENT.clientId,
		clientSecret: DEFAULT_CLIENT.clientSecret,
		...extra,
		oauthTokenData: { ...token },
	};
}

/** The Commusoft credential for the sandbox (header auth, re-login on 401). */
export function commusoftCredential(
	commusoft: Pick<RunningCommusoftSandbox, 'apiBaseUrl' | 'credentials'>,
	overrides: IDataObject = {},
): ICredentialDataDecryptedObject {
	return {
		baseUrl: commusoft.apiBaseUrl,
		...commusoft.credentials,
		authMode: 'header',
		reloginStatusCodes: '401',
		token: '',
		...overrides,
	};
}

/** Both credentials for the combined sandbox (`startSandbox`), for one organisation's token. */
export function sandboxCredentials(
	sandbox: RunningSandbox,
	token: TokenResponse,
): SandboxCredentials {
	return {
		xeroAccountingOAuth2Api: xeroCredential(sandbox.xeroUrl, token),
		commusoftApi: commusoftCredential(sandbox.commusoft),
	};
}

/** Who a direct Xero API call acts as. */
export interface XeroCaller {
	url: string;
	tenantId: string;
	accessToken: string;
}

/** A direct call to the sandbox's Xero API (test set-up, not the node under test); throws on an error status. */
export async function xeroApiCall(
	as: XeroCaller,
	method: string,
	apiPath: string,
	body?: unknown,
): Promise<IDataObject> {
	const response = await fetch(`${as.url}/api.xro/2.0${apiPath}`, {
		method,
		headers: {
			authorization: `Bearer ${as.accessToken}`,
			'xero-tenant-id': as.tenantId,
			accept: 'application/json',
			'content-type': 'application/json',
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = (await response.json()) as IDataObject;
	if (!response.ok)
		throw new Error(`${method} ${apiPath} → ${response.status}: ${JSON.stringify(json)}`);
	return json;
}

/** A fresh organisation in the sandbox: its tenant, a token for it alone and the node's credentials. */
export interface XeroOrg {
	tenantId: string;
	accessToken: string;
	credentials: SandboxCredentials;
}

/** Adds an organisation; the credential points at `credentialUrl` (a proxy in front of the sandbox, say). */
export function addXeroOrg(
	xero: XeroSandbox,
	name: string,
	data: 'full' | 'empty' = 'empty',
	credentialUrl = xero.url,
): XeroOrg {
	const tenantId = xero.addTenant(name, data);
	const token = xero.issueToken({ tenantIds: [tenantId], lifetimeSec: 24 * 3600 });
	return {
		tenantId,
		accessToken: token.access_token,
		credentials: { xeroAccountingOAuth2Api: xeroCredential(credentialUrl, token) },
	};
}

/** A started Xero sandbox, its seeded organisation, a token for it and the node's credentials. */
export interface XeroFixture {
	xero: XeroSandbox;
	tenantId: string;
	accessToken: string;
	credentials: SandboxCredentials;
	/** A direct call to the Xero API as the organisation (see xeroApiCall). */
	xeroCall(method: string, apiPath: string, body?: unknown): Promise<IDataObject>;
	close(): Promise<void>;
}

export interface XeroFixtureOptions {
	/** Passed to the sandbox; logging is off and the minute limits are UNLIMITED unless given here. */
	sandbox?: XeroSandboxOptions;
	tokenLifetimeSec?: number;
}

/**
 * The node keeps one throttle per organisation for the whole process (docs/xero-budget.md), so a test file
 * that makes more than 60 calls a minute to one organisation would wait on Xero's minute even where the
 * sandbox has it raised. While such a sandbox runs, the node's default minute follows the sandbox's; the
 * returned function puts it back.
 */
export function throttleFollowsSandbox(xero: XeroSandbox): () => void {
	const before = DEFAULT_THROTTLE_LIMITS.perMinute;
	const sandboxMinute = xero.getLimits().perTenantMinute;
	if (sandboxMinute > before) DEFAULT_THROTTLE_LIMITS.perMinute = sandboxMinute;
	return () => {
		DEFAULT_THROTTLE_LIMITS.perMinute = before;
	};
}

export async function startXeroFixture(options: XeroFixtureOptions = {}): Promise<XeroFixture> {
	const xero = await startXeroSandbox({ log: () => {}, limits: UNLIMITED, ...options.sandbox });
	const restoreThrottle = throttleFollowsSandbox(xero);
	const tenantId = xero.defaultTenantId;
	const token = xero.issueToken({ lifetimeSec: options.tokenLifetimeSec ?? 24 * 3600 });
	const caller = { url: xero.url, tenantId, accessToken: token.access_token };
	return {
		xero,
		tenantId,
		accessToken: token.access_token,
		credentials: { xeroAccountingOAuth2Api: xeroCredential(xero.url, token) },
		xeroCall: async (method, apiPath, body) => await xeroApiCall(caller, method, apiPath, body),
		close: async () => {
			restoreThrottle();
			await xero.close();
		},
	};
}

/** The Xero fixture plus a started Commusoft sandbox, with both credentials. */
export async function startXeroAndCommusoftFixture(
	options: XeroFixtureOptions = {},
): Promise<XeroFixture & { commusoft: RunningCommusoftSandbox }> {
	const fixture = await startXeroFixture(options);
	const commusoft = await startCommusoftSandbox();
	return {
		...fixture,
		commusoft,
		credentials: { ...fixture.credentials, commusoftApi: commusoftCredential(commusoft) },
		close: async () => {
			await fixture.close();
			await commusoft.close();
		},
	};
}

/** An authorised sales (or bills) invoice to create in Xero for a test. */
export interface NewXeroInvoice {
	number: string;
	type?: 'ACCREC' | 'ACCPAY';
	reference?: string;
	url?: string;
	total?: number;
}

/** Creates the invoices (50 a request, as Xero takes them) for one contact; returns their ids and numbers. */
export async function createXeroInvoices(
	xeroCall: XeroFixture['xeroCall'],
	contactId: string,
	invoices: NewXeroInvoice[],
) {
	const created: IDataObject[] = [];
	for (let start = 0; start < invoices.length; start += 50) {
		const body = await xeroCall('PUT', '/Invoices', {
			Invoices: invoices.slice(start, start + 50).map((invoice) => ({
				Type: invoice.type ?? 'ACCREC',
				Contact: { ContactID: contactId },
				InvoiceNumber: invoice.number,
				Reference: invoice.reference ?? `JOB-${invoice.number}`,
				Status: 'AUTHORISED',
				Date: '2026-11-20',
				DueDate: '2026-12-20',
				LineAmountTypes: 'NoTax',
				...(invoice.url ? { Url: invoice.url } : {}),
				LineItems: [
					{
						Description: 'Boiler service',
						Quantity: 1,
						UnitAmount: invoice.total ?? 100,
						AccountCode: invoice.type === 'ACCPAY' ? '429' : '200',
						TaxType: 'NONE',
					},
				],
			})),
		});
		created.push(...(body.Invoices as IDataObject[]));
	}
	return created.map((invoice) => ({
		id: String(invoice.InvoiceID),
		number: String(invoice.InvoiceNumber),
	}));
}

/** Pays each invoice `amount` from bank account 090 (50 a request); returns the PaymentIDs in order. */
export async function payXeroInvoices(
	xeroCall: XeroFixture['xeroCall'],
	invoiceIds: string[],
	amount = 40,
	reference = 'BACS',
): Promise<string[]> {
	const ids: string[] = [];
	for (let start = 0; start < invoiceIds.length; start += 50) {
		const body = await xeroCall('PUT', '/Payments', {
			Payments: invoiceIds.slice(start, start + 50).map((InvoiceID) => ({
				Invoice: { InvoiceID },
				Account: { Code: '090' },
				Amount: amount,
				Date: '2026-11-25',
				Reference: reference,
			})),
		});
		ids.push(...(body.Payments as IDataObject[]).map((p) => String(p.PaymentID)));
	}
	return ids;
}

/** The credential options of an app connected with granular scopes and PKCE (the xero-node tests use these). */
export const GRANULAR_PKCE: IDataObject = { scopePreset: 'granular', usePkce: true };

/**
 * One Xero sandbox for the test file with Xero's real limits, reset to its seed with no faults and an empty call
 * log before every test; `onStart` receives it once started.
 */
export function useXeroSandboxPerFile(onStart: (sandbox: XeroSandbox) => void | Promise<void>) {
	let sandbox: XeroSandbox | undefined;
	beforeAll(async () => {
		sandbox = await startXeroSandbox({ log: () => {} });
		await onStart(sandbox);
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	beforeEach(() => {
		sandbox!.reset();
		sandbox!.setFaults({});
		sandbox!.clearCalls();
	});
}

/**
 * The sandbox's own conformance tests: one sandbox for the file, reset to its seed before every test with a
 * fresh client (`onEach`), and after every test no body it served may have failed xero_accounting.yaml.
 */
export function useSchemaCheckedXeroSandbox(
	options: XeroSandboxOptions,
	onEach: (sandbox: XeroSandbox, client: XeroTestClient) => void,
) {
	let sandbox: XeroSandbox | undefined;
	beforeAll(async () => {
		sandbox = await startXeroSandbox(options);
	});
	beforeEach(() => {
		sandbox!.reset();
		onEach(sandbox!, xeroTestClient(sandbox!));
	});
	afterEach(() => expect(sandbox!.schemaErrors()).toEqual([]));
	afterAll(async () => await sandbox?.close());
}
