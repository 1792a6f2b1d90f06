// Contacts both ways in real n8n 2.40.5 with the packed package: Xero Accounting → Contact →
// Get Many feeds Commusoft → Customer → Import From Xero. A dry run writes nothing, an import creates tagged
// customers, an interrupted import resumed creates each customer once, and undo leaves the Commusoft sandbox
// exactly as it started (full state snapshots through /__sandbox/state; id sequences excluded, as no database
// rewinds them).
import { describe, expect, it } from 'vitest';

import type { XeroSandbox } from '../../sandbox';
import {
	chainWorkflow,
	inspect,
	nodeOutput,
	setupE2e,
	useCommusoft,
	useXero,
	type N8nInstance,
	type RunningSandbox,
} from './harness';

type Json = Record<string, unknown>;

async function commusoftSnapshot(sandbox: RunningSandbox): Promise<Json> {
	const state = await inspect<Json>(sandbox.commusoftUrl, 'state');
	for (const key of ['counters', 'activeTokens', 'faults', 'clockOffsetMs']) delete state[key];
	return state;
}

async function commusoftCalls(
	sandbox: RunningSandbox,
): Promise<Array<{ method: string; endpoint: string }>> {
	return (
		await inspect<{ calls: Array<{ method: string; endpoint: string }> }>(
			sandbox.commusoftUrl,
			'calls',
		)
	).calls;
}

async function sandboxDelete(sandbox: RunningSandbox, path: string): Promise<void> {
	await fetch(new URL(`/__sandbox/${path}`, sandbox.commusoftUrl), { method: 'DELETE' });
}

async function importWorkflow(
	n8n: N8nInstance,
	sandbox: RunningSandbox,
	mode: 'dryRun' | 'import' | 'undo',
	runId: string,
): Promise<string> {
	const xero = sandbox.xero as XeroSandbox;
	const importNode = {
		name: 'Import',
		type: 'commusoft',
		parameters: {
			resource: 'customer',
			operation: 'importFromXero',
			importMode: mode,
			importRunId: runId,
			// The sandbox's Xero contacts carry the same CUS-numbers as Commusoft's customers; link only by
			// email and name here so that the import has customers to create.
			importOptions: { matchOn: ['email', 'name'] },
		},
		credentials: useCommusoft,
	};
	const steps =
		mode === 'undo'
			? [importNode]
			: [
					{
						name: 'Xero Contacts',
						type: 'xeroAccounting',
						parameters: {
							resource: 'contact',
							operation: 'getMany',
							returnAll: true,
							tenantId: xero.defaultTenantId,
						},
						credentials: useXero,
					},
					importNode,
				];
	return await n8n.importWorkflow(chainWorkflow(`e2e: contacts import (${mode})`, 'manual', steps));
}

describe('Contacts both ways in real n8n', () => {
	const e2e = setupE2e();

	it('dry run writes nothing; import then undo leaves Commusoft exactly as it started', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const before = await commusoftSnapshot(sandbox);
			const runId = 'e2e-import-1';

			await sandboxDelete(sandbox, 'calls');
			const dry = await n8n.executeWorkflow(await importWorkflow(n8n, sandbox, 'dryRun', runId));
			const report = nodeOutput(dry, 'Import') as Json[];
			const contacts = nodeOutput(dry, 'Xero Contacts');
			expect(report).toHaveLength(contacts.length);
			const toCreate = report.filter((r) => r.action === 'create');
			expect(toCreate.length).toBeGreaterThan(0);
			expect(report.some((r) => r.action === 'skip' || r.action === 'link')).toBe(true);
			for (const entry of report) if (entry.action !== 'create') expect(entry.reason).toBeTruthy();
			const writes = (await commusoftCalls(sandbox)).filter(
				(call) => call.method !== 'GET' && call.endpoint !== 'POST /getToken',
			);
			expect(writes).toEqual([]);
			expect(await commusoftSnapshot(sandbox)).toEqual(before);

			const imported = await n8n.executeWorkflow(
				await importWorkflow(n8n, sandbox, 'import', runId),
			);
			const journal = nodeOutput(imported, 'Import') as Json[];
			const created = journal.filter((r) => r.action === 'created');
			expect(created.map((r) => r.xeroContactId).sort()).toEqual(
				toCreate.map((r) => r.xeroContactId).sort(),
			);
			const state = await inspect<{ customers: Json[] }>(sandbox.commusoftUrl, 'state');
			expect(state.customers.filter((c) => c.importRunId === runId)).toHaveLength(created.length);

			const undone = await n8n.executeWorkflow(await importWorkflow(n8n, sandbox, 'undo', runId));
			const removed = (nodeOutput(undone, 'Import') as Json[]).filter(
				(r) => r.action === 'removed',
			);
			expect(removed).toHaveLength(created.length);
			expect(await commusoftSnapshot(sandbox)).toEqual(before);
		}));

	it('an import interrupted mid-run, resumed, creates each customer once; undo restores the start', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const before = await commusoftSnapshot(sandbox);
			const runId = 'e2e-import-2';
			await inspect(sandbox.commusoftUrl, 'faults', {
				failAfterCalls: 1,
				faultMethod: 'POST',
				pathPrefix: '/customers',
			});
			const workflowId = await importWorkflow(n8n, sandbox, 'import', runId);
			const interrupted = await n8n.executeWorkflow(workflowId, { allowFailure: true });
			expect(interrupted.status).not.toBe('success');
			let state = await inspect<{ customers: Json[] }>(sandbox.commusoftUrl, 'state');
			expect(state.customers.filter((c) => c.importRunId === runId)).toHaveLength(1);

			await sandboxDelete(sandbox, 'faults');
			const resumed = await n8n.executeWorkflow(workflowId);
			const journal = nodeOutput(resumed, 'Import') as Json[];
			expect(journal.filter((r) => r.action === 'alreadyImported')).toHaveLength(1);
			const ours = journal.filter((r) => r.action === 'created' || r.action === 'alreadyImported');
			state = await inspect<{ customers: Json[] }>(sandbox.commusoftUrl, 'state');
			for (const entry of ours) {
				const copies = state.customers.filter(
					(c) =>
						(c.accountingSettings as Json | undefined)?.accountingReference === entry.xeroContactId,
				);
				expect(copies, String(entry.xeroContactId)).toHaveLength(1);
			}
			expect(state.customers.filter((c) => c.importRunId === runId)).toHaveLength(ours.length);

			await n8n.executeWorkflow(await importWorkflow(n8n, sandbox, 'undo', runId));
			expect(await commusoftSnapshot(sandbox)).toEqual(before);
		}));

	it('Contact → Sync from Commusoft Customer: creates or updates, never merges namesakes, then is idle', () =>
		e2e.withN8n(async (n8n, sandbox) => {
			const xero = sandbox.xero as XeroSandbox;
			const id = await n8n.importWorkflow(
				chainWorkflow('e2e: contact sync', 'manual', [
					{
						name: 'Customers',
						type: 'commusoft',
						parameters: { resource: 'customer', operation: 'getMany', returnAll: true },
						credentials: useCommusoft,
					},
					{
						name: 'Sync',
						type: 'xeroAccounting',
						parameters: {
							resource: 'contact',
							operation: 'sync',
							tenantId: xero.defaultTenantId,
							syncFields: ['name', 'title', 'email', 'streetAddress', 'phones'],
							duplicateNameRule: 'appendAccountReference',
							archivedContacts: 'restore',
							whenMissing: 'create',
						},
						credentials: useXero,
					},
				]),
			);
			const first = nodeOutput(await n8n.executeWorkflow(id), 'Sync') as Json[];
			const customers = (await inspect<{ customers: Json[] }>(sandbox.commusoftUrl, 'state'))
				.customers;
			expect(first).toHaveLength(customers.filter((c) => !c.deleted).length);
			expect(
				first.every((r) => ['created', 'updated', 'unchanged'].includes(String(r.action))),
			).toBe(true);
			// The seed has two customers called Mr John Smith: two contacts, the second disambiguated.
			const johns = first.filter((r) => String(r.name).startsWith('Mr John Smith'));
			expect(new Set(johns.map((r) => r.contactId)).size).toBe(johns.length);
			expect(johns.some((r) => r.nameConflict)).toBe(true);
			const active = xero
				.state()
				.contacts.filter((c) => c.ContactStatus === 'ACTIVE')
				.map((c) => c.Name.toLowerCase());
			expect(new Set(active).size).toBe(active.length);

			const second = nodeOutput(await n8n.executeWorkflow(id), 'Sync') as Json[];
			expect(second.map((r) => r.action)).toEqual(second.map(() => 'unchanged'));
		}));
});
