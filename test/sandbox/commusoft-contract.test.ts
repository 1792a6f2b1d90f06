/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Keeps the three descriptions of the Commusoft contract in step: the connector's endpoints table, the contract
// document and the sandbox's routes. A path changed in one place and not the others fails here.
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
	startCommusoftSandbox,
	type RunningCommusoftSandbox,
} from '../../sandbox/commusoft/server';
import { COMMUSOFT_ENDPOINTS } from '../../nodes/Commusoft/transport/endpoints';

const contract = readFileSync(
	path.join(__dirname, '..', '..', 'docs', 'commusoft-api-contract.md'),
	'utf8',
);
let sandbox: RunningCommusoftSandbox;

beforeAll(async () => {
	sandbox = await startCommusoftSandbox();
});
afterAll(async () => sandbox.close());

describe('endpoints table ↔ contract document', () => {
	for (const [name, endpoint] of Object.entries(COMMUSOFT_ENDPOINTS)) {
		it(`${name} has a row with its method, path and status`, () => {
			const cells = contract
				.split('\n')
				.map((line) => line.split('|').map((cell) => cell.trim()))
				.find((row) => row[1] === `\`${name}\``);
			expect(cells, `no row for ${name}`).toBeDefined();
			expect(cells![2]).toBe(`\`${endpoint.method} ${endpoint.path}\``);
			if (endpoint.documented) expect(cells![3]).toMatch(/^documented/);
			else expect(cells![3]).toBe('**assumed**');
		});
	}
});

describe('endpoints table ↔ sandbox routes', () => {
	it('serves every endpoint the connector calls', async () => {
		const login = await fetch(`${sandbox.apiBaseUrl}/getToken`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(sandbox.credentials),
		});
		const token = await login.text();
		const customer = sandbox.state.data.customers[0].uuid;
		for (const [name, endpoint] of Object.entries(COMMUSOFT_ENDPOINTS)) {
			if (name === 'getToken') continue;
			const url = `${sandbox.apiBaseUrl}${endpoint.path.replace('{uuid}', customer)}`;
			const response = await fetch(url, {
				method: endpoint.method,
				headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
				body: endpoint.method === 'GET' ? undefined : '{}',
			});
			const body = (await response.json()) as { message?: string };
			// Records may be missing (404 "… not found") or bodies invalid (400); an unknown route may not.
			expect(response.status, `${name}: ${body.message}`).not.toBe(405);
			expect(body.message ?? '', name).not.toMatch(/^No route/);
		}
	});
});
