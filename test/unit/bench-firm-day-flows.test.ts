// The firm's-day bench runs the bundled templates' flows from one start node without n8n-nodes-base nodes
// (bench/lib/templateFlows.ts). What it keeps decides which Xero calls are counted: these pin that every node of
// this package reachable from the start is kept and wired as in the template, that an If named as pass-through
// is bridged by its true branch, that other base nodes (and what hangs after them) are left out, and that the
// Organisation is set.
import { describe, expect, it } from 'vitest';

import { flowWorkflow, loadTemplate } from '../../bench/lib/templateFlows';

const targets = (wf: ReturnType<typeof flowWorkflow>, from: string) =>
	(wf.connections[from]?.main ?? []).map((list) => (list ?? []).map((t) => t.node));

describe('firm day: a template flow from one start node', () => {
	it('template 2 from its trigger: the If is bridged to Record Payment, the catch-up branch left out', () => {
		const wf = flowWorkflow(
			loadTemplate('02-xero-payments-to-commusoft.json'),
			'Xero Payment Trigger',
			'tenant-1',
			['Payment Still Valid?'],
		);
		expect(wf.nodes.map((n) => n.name)).toEqual([
			'Xero Payment Trigger',
			'Record Payment in Commusoft',
		]);
		expect(targets(wf, 'Xero Payment Trigger')).toEqual([['Record Payment in Commusoft']]);
		expect(wf.nodes[0].parameters?.tenantId).toBe('tenant-1');
		expect(wf.nodes.every((n) => n.credentials === undefined && n.id === undefined)).toBe(true);
	});

	it('without the pass-through the If and everything after it are left out', () => {
		const wf = flowWorkflow(
			loadTemplate('02-xero-payments-to-commusoft.json'),
			'Xero Payment Trigger',
			'tenant-1',
		);
		expect(wf.nodes.map((n) => n.name)).toEqual(['Xero Payment Trigger']);
		expect(targets(wf, 'Xero Payment Trigger')).toEqual([[]]);
	});

	it("a Schedule Trigger start becomes the runner's Manual Trigger; the chain after it is kept in order", () => {
		const wf = flowWorkflow(
			loadTemplate('06-audit-commusoft-against-xero.json'),
			'Every Day 06:00',
			'tenant-2',
		);
		expect(wf.nodes.map((n) => [n.name, n.type])).toEqual([
			['Every Day 06:00', 'n8n-nodes-base.manualTrigger'],
			['Commusoft Invoices', 'n8n-nodes-commusoft-xero.commusoft'],
			['Commusoft Payments', 'n8n-nodes-commusoft-xero.commusoft'],
			['Audit', 'n8n-nodes-commusoft-xero.xeroAccounting'],
		]);
		expect(targets(wf, 'Commusoft Payments')).toEqual([['Audit']]);
		expect(targets(wf, 'Audit')).toEqual([[]]); // If → Email / No Op left out
		expect(wf.nodes.find((n) => n.name === 'Audit')?.parameters?.tenantId).toBe('tenant-2');
	});

	it('template 3 from its trigger: the sync and both of its outputs, the base nodes after it left out', () => {
		const wf = flowWorkflow(
			loadTemplate('03-commusoft-customers-to-xero-contacts.json'),
			'Commusoft Trigger',
			't',
		);
		expect(wf.nodes.map((n) => n.name)).toEqual(['Commusoft Trigger', 'Xero: Sync Contacts']);
		expect(targets(wf, 'Xero: Sync Contacts')).toEqual([[], []]);
	});
});
