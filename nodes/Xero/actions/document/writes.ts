import type { IExecuteFunctions } from 'n8n-workflow';

import { totalIssue } from '../../mapping/invoice';
import { UNIT_DP_QUERY } from '../../mapping/money';
import type { XeroInvoice } from '../../mapping/types';
import type { ItemPlan } from '../../mapping/upsertPlan';
import { formatIssue } from '../../mapping/validation';
import { invalidateOrgSettings, xeroBatchWrite } from '../../transport';
import { fail, rememberNumbers, type Entry, type UpsertSettings } from './entry';
import { planForTenant, type PassMode } from './plan';
import { SETTING_REFUSAL } from './reference';
import { baseResult, contactFields } from './results';

/**
 * One pass over an organisation's documents: the plan (look-ups and decisions, plan.ts), then the writes in
 * batches, a second pass for what the first could not settle, and one result per entry.
 */
export async function upsertForTenant(
	ctx: IExecuteFunctions,
	tenantId: string,
	entries: Entry[],
	settings: UpsertSettings,
	mode: PassMode = { guess: true, reuseContacts: false, freshSettings: false },
): Promise<void> {
	const planned = await planForTenant(ctx, tenantId, entries, settings, mode);
	if (!planned) return;
	const { kind, matchOn, options } = settings;
	const { live, guessed, orgKey, reference, need } = planned;

	// 5. Write. Guessed creates go by PUT (create only: an existing number is refused, never overwritten);
	// everything else by POST, which updates by InvoiceID and creates otherwise, so a create retried after a
	// lost answer updates the invoice it made instead of failing on its number.
	const writes = live.filter((e) => !e.failure && e.plan?.kind === 'write');
	const isPut = (e: Entry) =>
		guessed.has(e) && (e.plan as Extract<ItemPlan, { kind: 'write' }>).action === 'created';
	const writeBatch = async (method: 'PUT' | 'POST', batch: Entry[]) =>
		batch.length
			? await xeroBatchWrite(ctx, {
					method,
					path: kind.path,
					tenantId,
					collectionKey: kind.collectionKey,
					elements: batch.map((e) =>
						kind.toXero((e.plan as Extract<ItemPlan, { kind: 'write' }>).payload),
					),
					qs: { ...UNIT_DP_QUERY },
					batchSize: options.batchSize,
					itemIndexes: batch.map((e) => e.itemIndex),
				})
			: [];
	const puts = writes.filter(isPut);
	const posts = writes.filter((e) => !isPut(e));
	const [putResults, postResults] = await Promise.all([
		writeBatch('PUT', puts),
		writeBatch('POST', posts),
	]);
	const outcomes = new Map<Entry, (typeof putResults)[number]>();
	puts.forEach((e, i) => outcomes.set(e, putResults[i]));
	posts.forEach((e, i) => outcomes.set(e, postResults[i]));

	// A second pass for what the first could not settle: numbers that turned out to exist (look them up
	// and update), and lines refused for a setting the cache said was valid (read the settings again).
	const taken: Entry[] = [];
	const stale: Entry[] = [];
	// Only a refusal of something the cached lists were used to check counts (validation off: nothing was).
	const cacheVouchedFor = (message: string) => {
		if (!reference.cached || !SETTING_REFUSAL.test(message)) return false;
		if (/tracking/i.test(message)) return need.tracking && !reference.trackingError;
		if (/item code/i.test(message)) return reference.tenant?.itemCodes !== undefined;
		return reference.tenant !== undefined;
	};
	for (const entry of writes) {
		const outcome = outcomes.get(entry)!;
		if (outcome.ok) continue;
		const messages = [outcome.error, ...outcome.validationErrors];
		if (isPut(entry) && messages.some((m) => kind.numberTaken?.test(m))) taken.push(entry);
		else if (messages.some(cacheVouchedFor)) stale.push(entry);
	}
	const again = [...taken, ...stale];
	if (stale.length) await invalidateOrgSettings(ctx, tenantId);
	for (const entry of again) {
		entry.plan = undefined;
		entry.existing = undefined;
		entry.failure = undefined;
	}
	if (taken.length)
		await upsertForTenant(ctx, tenantId, taken, settings, {
			guess: false,
			reuseContacts: true,
			freshSettings: false,
		});
	if (stale.length)
		await upsertForTenant(ctx, tenantId, stale, settings, {
			guess: mode.guess,
			reuseContacts: true,
			freshSettings: true,
		});
	const settled = new Set(again);
	const results = writes.map((e) => outcomes.get(e)!);
	rememberNumbers(
		orgKey,
		results.map((outcome) =>
			outcome.ok && matchOn === 'invoiceNumber'
				? kind.fromXero(outcome.element).InvoiceNumber
				: undefined,
		),
	);

	// 6. Results.
	writes.forEach((entry, index) => {
		if (settled.has(entry)) return;
		const outcome = results[index];
		const plan = entry.plan as Extract<ItemPlan, { kind: 'write' }>;
		if (!outcome.ok) {
			fail(entry, `Xero refused ${kind.noun} ${entry.mapped.matchKey}: ${outcome.error}`, {
				validationErrors: outcome.validationErrors,
			});
			return;
		}
		const result = baseResult(entry);
		const element = kind.fromXero(outcome.element) as XeroInvoice & {
			Total?: number;
			TotalTax?: number;
		};
		// What Xero computed is the last word: a total that is not Commusoft's fails the item, naming both.
		const written =
			entry.mapped.commusoftTotal !== undefined && typeof element.Total === 'number'
				? totalIssue(entry.mapped.commusoftTotal, element.Total, element.CurrencyCode, true)
				: undefined;
		if (written) {
			fail(
				entry,
				`${kind.noun} ${entry.mapped.matchKey}: Xero's total ${element.Total} is not Commusoft's ${entry.mapped.commusoftTotal}`,
				{
					description: `${written.message}. The ${kind.noun} was ${plan.action} in Xero as ${element.InvoiceNumber ?? entry.mapped.matchKey} (${kind.idField} ${element.InvoiceID}). Fix: ${written.fix}.`,
					validationErrors: [formatIssue(written)],
				},
			);
			return;
		}
		entry.written = element;
		result.action = plan.action;
		result.invoiceId = element.InvoiceID;
		result.invoiceNumber = element.InvoiceNumber ?? result.invoiceNumber;
		result.status = element.Status;
		if (element.Total !== undefined) result.total = element.Total;
		if (element.TotalTax !== undefined) result.totalTax = element.TotalTax;
		(result.warnings as string[]).push(...plan.warnings, ...outcome.warnings);
		contactFields(entry, result);
		entry.result = result;
	});
	for (const entry of live) {
		if (
			settled.has(entry) ||
			entry.failure ||
			!entry.plan ||
			entry.plan.kind === 'write' ||
			entry.plan.kind === 'invalid'
		)
			continue;
		const result = baseResult(entry);
		const existing = entry.plan.existing;
		result.action = entry.plan.kind;
		if (existing) {
			result.invoiceId = existing.InvoiceID;
			result.invoiceNumber = existing.InvoiceNumber ?? result.invoiceNumber;
			result.status = existing.Status;
		}
		if (entry.plan.kind === 'refused') result.reason = entry.plan.reason;
		(result.warnings as string[]).push(...entry.plan.warnings);
		contactFields(entry, result);
		entry.result = result;
	}
}
