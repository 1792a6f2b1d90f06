// The Xero Webhook Trigger's "Invoice Status Changes" output: INVOICE events → the invoices, read in batches
// by ID → one XeroInvoiceStatusChange per state change, each emitted once.
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { remember } from '../../shared/pollState';
import { compileCommusoftRule, type CommusoftRuleKind } from '../paymentTrigger/mapping';
import { eventToItem, type XeroWebhookEventData } from '../webhook/events';
import { getInvoicesByIds } from '../transport';
import { toStatusChange, type XeroInvoiceStatusJson } from './mapping';

/** How many emitted state changes the trigger remembers (oldest forgotten first). */
export const STATUS_CHANGES_LIMIT = 2000;

/**
 * The items of one delivery's fresh events. Several events for one invoice version (Xero may send more than
 * one UPDATE for one payment) and later events that leave an invoice in a state already emitted give no
 * item: the `statusChanges` keys in the node's static data hold what was emitted. A read that fails is an
 * item with `fetchError` (Xero has been answered and will not send the event again).
 */
export async function invoiceStatusItems(
	ctx: IWebhookFunctions,
	events: XeroWebhookEventData[],
	staticData: IDataObject,
): Promise<IDataObject[]> {
	const invoiceEvents = events.filter((event) => event.eventCategory === 'INVOICE');
	if (invoiceEvents.length === 0) return [];
	const rule = compileCommusoftRule({
		kind: ctx.getNodeParameter('commusoftRule', 'invoiceNumberPrefix') as CommusoftRuleKind,
		value: String(ctx.getNodeParameter('commusoftRuleValue', '') ?? ''),
	});
	if ('problem' in rule) {
		return invoiceEvents.map((event) => ({ ...eventToItem(event), fetchError: rule.problem }));
	}

	const byTenant = new Map<string, XeroWebhookEventData[]>();
	for (const event of invoiceEvents) {
		const tenant = byTenant.get(event.tenantId) ?? [];
		tenant.push(event);
		byTenant.set(event.tenantId, tenant);
	}
	const emitted = Array.isArray(staticData.statusChanges)
		? (staticData.statusChanges as unknown[]).filter(
				(key): key is string => typeof key === 'string',
			)
		: [];
	const known = new Set(emitted);
	const added: string[] = [];
	const items: IDataObject[] = [];
	for (const [tenantId, tenantEvents] of byTenant) {
		const { found, failed } = await getInvoicesByIds<XeroInvoiceStatusJson>(
			ctx,
			tenantId,
			tenantEvents.map((event) => event.resourceId),
			{ keepGoing: true },
		);
		for (const event of tenantEvents) {
			const id = event.resourceId.toLowerCase();
			const invoice = found.get(id);
			if (!invoice) {
				const fetchError = failed.get(id) ?? `Xero returned no invoice for ${event.resourceId}`;
				items.push({ ...eventToItem(event), fetchError });
				continue;
			}
			const outcome = toStatusChange(invoice, { tenantId, commusoftMatch: rule.match });
			if (outcome.kind !== 'change' || known.has(outcome.change.changeKey)) continue;
			known.add(outcome.change.changeKey);
			added.push(outcome.change.changeKey);
			items.push(outcome.change as unknown as IDataObject);
		}
	}
	// Test-URL runs read but never write what was emitted, as for delivered events.
	if (ctx.getMode() !== 'manual' && added.length > 0) {
		staticData.statusChanges = remember(emitted, added, STATUS_CHANGES_LIMIT);
	}
	return items;
}
