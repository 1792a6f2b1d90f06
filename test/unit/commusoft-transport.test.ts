import { describe, expect, it } from 'vitest';

import {
	COMMUSOFT_ENDPOINTS,
	COMMUSOFT_RETRY,
	backoffDelayMs,
	buildCommusoftError,
	extractList,
	looksLikeTokenRejection,
	redactSecrets,
	retryAfterSeconds,
	tokenExpiredStatuses,
} from '../../nodes/Commusoft/transport';
import { endpointPath } from '../../nodes/Commusoft/transport/endpoints';

const node = {
	getNode: () => ({
		id: '1',
		name: 'Commusoft',
		type: 'commusoft',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	}),
} as never;

describe('endpoints table', () => {
	it('marks exactly the resources Commusoft publishes as documented', () => {
		const documented = Object.values(COMMUSOFT_ENDPOINTS)
			.filter((endpoint) => endpoint.documented)
			.map((endpoint) => endpoint.path.split('/')[1]);
		expect(new Set(documented)).toEqual(
			new Set(['getToken', 'customers', 'contacts', 'suppliers']),
		);
		for (const endpoint of Object.values(COMMUSOFT_ENDPOINTS)) {
			if (/invoices|payments|jobs|accountingSummary|credit_notes/.test(endpoint.path))
				expect(endpoint.documented).toBe(false);
		}
	});

	it('encodes record ids into paths', () => {
		expect(endpointPath('getInvoice', 'a/b c')).toBe('/invoices/a%2Fb%20c');
		expect(() => endpointPath('getInvoice')).toThrow(/needs a record id/);
		expect(endpointPath('listInvoices')).toBe('/invoices');
	});
});

describe('retry helpers', () => {
	it('reads Retry-After as seconds or an HTTP date, case-insensitively', () => {
		expect(retryAfterSeconds({ 'Retry-After': '3' })).toBe(3);
		expect(retryAfterSeconds({ 'retry-after': new Date(10_000).toUTCString() }, 4_000)).toBe(6);
		expect(retryAfterSeconds({})).toBeUndefined();
		expect(retryAfterSeconds({ 'retry-after': 'soon' })).toBeUndefined();
	});

	it('backs off exponentially within jitter bounds and a cap', () => {
		expect(backoffDelayMs(1, () => 0)).toBe(COMMUSOFT_RETRY.baseDelayMs / 2);
		expect(backoffDelayMs(3, () => 1)).toBe(COMMUSOFT_RETRY.baseDelayMs * 4 * 1.5);
		expect(backoffDelayMs(20, () => 1)).toBe(COMMUSOFT_RETRY.maxDelayMs * 1.5);
	});

	it('always treats 401 as expired and adds configured statuses', () => {
		expect(tokenExpiredStatuses({})).toEqual([401]);
		expect(tokenExpiredStatuses({ reloginStatusCodes: '403, 419 abc 200' })).toEqual([
			401, 403, 419,
		]);
	});

	it('recognises token rejections in error bodies but not in records or ordinary errors', () => {
		expect(looksLikeTokenRejection({ error: 'token_expired', message: 'Token expired' })).toBe(
			true,
		);
		expect(looksLikeTokenRejection('Invalid token')).toBe(true);
		expect(looksLikeTokenRejection({ message: 'The token has expired' })).toBe(true);
		expect(looksLikeTokenRejection({ message: 'You do not have permission' })).toBe(false);
		expect(looksLikeTokenRejection([{ uuid: 'x', note: 'token expired' }])).toBe(false);
		expect(looksLikeTokenRejection({ uuid: 'c-1', notes: 'invalid token on the meter' })).toBe(
			false,
		);
		// A 2xx answer needs an explicit error field.
		expect(looksLikeTokenRejection({ message: 'Token expired' }, true)).toBe(false);
		expect(looksLikeTokenRejection({ error: 'invalid_token' }, true)).toBe(true);
	});

	it('finds the list in bare arrays and envelopes', () => {
		expect(extractList([{ a: 1 }])).toEqual([{ a: 1 }]);
		expect(extractList({ data: [{ a: 2 }], page: 1 })).toEqual([{ a: 2 }]);
		expect(extractList({ message: 'x' })).toEqual([]);
	});
});

describe('errors', () => {
	it('redacts credential secrets and query tokens', () => {
		const text = redactSecrets('GET /x?token=abc123&page=2 failed for s3cret-pass and tok-9999', {
			password: 's3cret-pass',
			token: 'tok-9999',
		});
		expect(text).toBe('GET /x?token=***&page=2 failed for *** and ***');
	});

	it('names the record, the status and the assumption', () => {
		const notFound = buildCommusoftError(
			node,
			{ endpoint: 'getInvoice', id: 'i-9' },
			{ statusCode: 404, notFound: 'record' },
		);
		expect(notFound.message).toBe('Commusoft invoice "i-9" was not found (404)');
		expect(notFound.description).toMatch(/^Fix: check the invoice id in Commusoft/);
		const unsure = buildCommusoftError(
			node,
			{ endpoint: 'getInvoice', id: 'i-9' },
			{ statusCode: 404 },
		);
		expect(unsure.message).toBe('Commusoft answered 404 for invoice "i-9"');
		expect(unsure.description).toContain('GET /invoices/{uuid} is an assumed endpoint');
		const documented = buildCommusoftError(
			node,
			{ endpoint: 'getCustomer', id: 'c-9' },
			{ statusCode: 404, notFound: 'record' },
		);
		expect(documented.description ?? '').not.toContain('assumed');
		const list = buildCommusoftError(node, { endpoint: 'listPayments' }, { statusCode: 404 });
		expect(list.message).toBe(
			'Commusoft payment endpoint /payments returned 404 — check the Commusoft base URL',
		);
		const refused = buildCommusoftError(
			node,
			{ endpoint: 'createPayment', label: '"xp-1"', itemIndex: 3 },
			{ statusCode: 422, body: { message: 'amount exceeds outstanding' } },
		);
		expect(refused.message).toBe(
			'Commusoft rejected the request for payment "xp-1" (422): amount exceeds outstanding',
		);
		expect(refused.context.itemIndex).toBe(3);
		const leaky = buildCommusoftError(
			node,
			{ endpoint: 'listCustomers' },
			{ statusCode: 400, body: { message: 'bad query ?token=tok-1234 for pw-5678' } },
			{ password: 'pw-5678', token: 'tok-1234' },
		);
		expect(leaky.message).toBe(
			'Commusoft rejected the request for customer (400): bad query ?token=*** for ***',
		);
	});
});
