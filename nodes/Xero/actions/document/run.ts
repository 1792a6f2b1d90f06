import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { customerKey } from '../../mapping/contact';
import { mapInvoice, type TargetStatus } from '../../mapping/invoice';
import { buildVatMap } from '../../mapping/tax';
import type { CommusoftInvoiceInput } from '../../mapping/types';
import { formatIssue } from '../../mapping/validation';
import { isXeroStopError, xeroBudgetWarnings } from '../../transport';
import { resolveTenantId } from '../shared';
import { asNodeError, fail, keyOf, type Entry, type Failure, type UpsertSettings } from './entry';
import type { DocumentKind } from './kind';
import { readDocument, readSettings } from './parameters';
import { baseResult, duplicateReason, outputItems } from './results';
import { upsertForTenant } from './writes';

/** What a document kind adds to the engine's run: checks before its writes, steps after them. */
export interface UpsertHooks {
	/** per pass, on the entries about to be written, before any write: fail what must not be written */
	beforeWrite?: UpsertSettings['beforeWrite'];
	/** once per organisation, after the documents are written (a credit note's allocation) */
	afterWrite?: (ctx: IExecuteFunctions, tenantId: string, entries: Entry[]) => Promise<void>;
}

/**
 * Create or Update of one document kind: make Xero match each input document (create, update keeping
 * LineItemIDs, leave unchanged, skip before the cut-off, or refuse when Xero has frozen it), with batched
 * look-ups and writes and one output item per input item.
 */
export async function executeUpsert(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	kind: DocumentKind,
	hooks: UpsertHooks = {},
): Promise<INodeExecutionData[]> {
	const settings: UpsertSettings = { ...readSettings(ctx, kind), beforeWrite: hooks.beforeWrite };
	const { matchOn, options } = settings;
	const vatEntries = ctx.getNodeParameter('vatMap.rate', 0, []) as Array<{
		label: string;
		taxType: string;
	}>;
	const vatMap = buildVatMap(vatEntries);

	// Read, map and check every item first (no writes), so bad input is reported before anything is written.
	// An item that cannot even be read (Invoice (JSON) that does not parse, an organisation nobody is called)
	// fails alone; the others go on.
	const unreadable = new Map<number, Failure>();
	const entries: Entry[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let read: {
			tenantId: string;
			input: CommusoftInvoiceInput;
			tracking: Array<{ category: string; option: string }>;
			status: TargetStatus;
		};
		try {
			read = {
				input: readDocument(ctx, kind, itemIndex, items[itemIndex]),
				tenantId: await resolveTenantId(ctx, itemIndex),
				tracking: (
					ctx.getNodeParameter('tracking.mapping', itemIndex, []) as Array<{
						category?: string;
						option?: unknown;
					}>
				).map((m) => ({
					category: String(m.category ?? ''),
					option: m.option === undefined || m.option === null ? '' : String(m.option),
				})),
				status: ctx.getNodeParameter('status', itemIndex, 'DRAFT') as TargetStatus,
			};
		} catch (error) {
			if (isXeroStopError(error)) throw asNodeError(ctx, error);
			const description = (error as { description?: unknown }).description;
			unreadable.set(itemIndex, {
				message: (error as Error).message,
				description: typeof description === 'string' ? description : undefined,
			});
			continue;
		}
		const { tenantId, input, tracking, status } = read;
		const mapped = mapInvoice(input, { status, vatMap, tracking, matchOn });
		mapped.issues = mapped.issues.map(kind.reword);
		for (const field of kind.omit) delete mapped.payload[field];
		const entry: Entry = {
			itemIndex,
			tenantId,
			input,
			mapped,
			lineIds: (Array.isArray(input?.lines) ? input.lines : []).map((l) =>
				l?.id == null ? undefined : String(l.id),
			),
			status,
			customerRef: customerKey(input?.customer),
		};
		const errors = mapped.issues.filter((i) => i.severity === 'error');
		const date = mapped.payload.Date;
		if (options.sendFromDate && date && date < options.sendFromDate)
			entry.result = {
				...baseResult(entry),
				action: 'skipped',
				reason: `dated ${date}, before the Send From Date ${options.sendFromDate}: not sent to Xero`,
			};
		else if (errors.length)
			fail(
				entry,
				`${kind.noun} ${mapped.matchKey || `#${itemIndex}`}: ${errors.length} problem(s)`,
				{
					description: errors.map(formatIssue).join('\n'),
					validationErrors: errors.map(formatIssue),
				},
			);
		else if (!entry.customerRef && !mapped.cancelled)
			fail(entry, `${kind.noun} ${mapped.matchKey}: the customer has no account reference`, {
				description:
					'customer.accountReference is missing. Xero contacts are keyed on the Commusoft account reference (Contact Code); map it.',
			});
		entries.push(entry);
	}

	// The same invoice twice in one run: the last item wins, earlier ones say so (one write per invoice).
	const lastByKey = new Map<string, Entry>();
	for (const entry of entries) {
		if (entry.failure || entry.result) continue;
		const key = `${entry.tenantId}\u0000${keyOf(entry.mapped.matchKey)}`;
		const previous = lastByKey.get(key);
		if (previous) {
			// The reason is written once the later item has its outcome (below).
			previous.result = { ...baseResult(previous), action: 'refused' };
			previous.supersededBy = entry;
			previous.failure = undefined;
		}
		lastByKey.set(key, entry);
	}
	const superseded = new Set(entries.filter((e) => e.result).map((e) => e.itemIndex));
	const skipped = (e: Entry) => e.result?.action === 'skipped';

	const continueOnFail = ctx.continueOnFail();
	if (!continueOnFail) {
		const invalid = [
			...[...unreadable].map(([itemIndex, failure]) => ({ itemIndex, failure })),
			...entries.filter((e) => e.failure),
		].sort((a, b) => a.itemIndex - b.itemIndex)[0];
		if (invalid)
			throw new NodeOperationError(ctx.getNode(), invalid.failure!.message, {
				itemIndex: invalid.itemIndex,
				description:
					`${invalid.failure!.description ?? ''}\nNothing was sent to Xero. Turn on "On Error: Continue (using error output)" to upsert the valid items and route this one aside.`.trim(),
			});
	}

	const byTenant = new Map<string, Entry[]>();
	for (const entry of entries) {
		if (entry.failure || superseded.has(entry.itemIndex)) continue;
		const list = byTenant.get(entry.tenantId) ?? [];
		list.push(entry);
		byTenant.set(entry.tenantId, list);
	}
	for (const [tenantId, tenantEntries] of byTenant) {
		try {
			await upsertForTenant(ctx, tenantId, tenantEntries, settings);
			if (hooks.afterWrite) await hooks.afterWrite(ctx, tenantId, tenantEntries);
		} catch (error) {
			// Run-wide failures (daily limit, authentication, look-ups that exhausted their retries) fail every
			// item of the tenant that has no result yet; nothing half-written is reported as done.
			if (!continueOnFail) throw asNodeError(ctx, error);
			for (const entry of tenantEntries)
				if (!entry.result && !entry.failure)
					fail(entry, (error as Error).message, {
						description: (error as { description?: string }).description ?? undefined,
					});
		}
	}

	// Edits Xero will not take (the invoice is paid, credited or voided there and Commusoft now differs) fail
	// their item unless the user asked for them on the success output: someone must act on them.
	if (options.refused !== 'report')
		for (const entry of entries) {
			const plan = entry.plan;
			if (entry.result?.action !== 'refused' || plan?.kind !== 'refused' || !plan.existing)
				continue;
			fail(entry, `Xero will not edit ${kind.noun} ${entry.mapped.matchKey}: ${plan.reason}`, {
				description: `${kind.refusedFix} To list these as results instead, set Options → Refused ${kind.noun === 'invoice' ? 'Invoices' : 'Credit Notes'} → Report on the Success Output.`,
				details: {
					action: 'refused',
					[kind.resultFields.id]: plan.existing.InvoiceID,
					status: plan.existing.Status,
					reason: plan.reason,
				},
			});
			entry.result = undefined;
		}

	for (const entry of entries)
		if (entry.supersededBy && entry.result)
			entry.result.reason = duplicateReason(entry, kind, matchOn);

	if (!continueOnFail) {
		const failed = entries.find((e) => e.failure);
		if (failed) {
			const done = entries.filter(
				(e) => e.result && e.result.action !== 'refused' && !skipped(e),
			).length;
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${failed.itemIndex}: ${failed.failure!.message}`,
				{
					itemIndex: failed.itemIndex,
					description: [
						failed.failure!.description,
						`${entries.filter((e) => e.failure).length} item(s) failed; ${done} other item(s) were written or already up to date in Xero, and a re-run will not duplicate them.`,
					]
						.filter(Boolean)
						.join('\n'),
				},
			);
		}
	}

	// Xero's daily allowance for an organisation running low is said on every result of that organisation.
	// (A second pass over an item may have added a warning twice: each is said once.)
	const budget = xeroBudgetWarnings(ctx);
	for (const entry of entries) {
		if (!entry.result) continue;
		const warnings = [
			...((entry.result.warnings as string[] | undefined) ?? []),
			...budget.filter((warning) => warning.includes(entry.tenantId)),
		];
		entry.result.warnings = [...new Set(warnings)];
	}

	return outputItems(kind, items, entries, unreadable);
}
