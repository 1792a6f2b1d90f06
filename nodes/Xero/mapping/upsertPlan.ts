import {
	assignLineItemIds,
	classifyExisting,
	effectiveStatus,
	type Editability,
	isInvoiceUnchanged,
	type MappedInvoice,
	type TargetStatus,
} from './invoice';
import {
	pairKey,
	resolveTracking,
	splitTrackingMessage,
	TRACKING_WRITE_FIX,
	type TrackingIndexEntry,
} from './tracking';
import type { InvoiceIssue, XeroInvoice, XeroInvoicePayload, XeroLineItem } from './types';
import { formatIssue, hasErrors, validateAgainstTenant, type TenantReference } from './validation';

export type ItemPlan =
	| {
			kind: 'write';
			action: 'created' | 'updated';
			payload: XeroInvoicePayload | StatusChange;
			warnings: string[];
	  }
	| { kind: 'unchanged'; existing: XeroInvoice; warnings: string[] }
	| { kind: 'refused'; reason: string; existing?: XeroInvoice; warnings: string[] }
	| { kind: 'invalid'; issues: InvoiceIssue[]; warnings: string[] };

/** Voiding or deleting needs only the id and the new status. */
export interface StatusChange {
	InvoiceID: string;
	Status: 'VOIDED' | 'DELETED';
}

export interface ItemPlanInput {
	mapped: MappedInvoice;
	/** Commusoft line ids, for messages. */
	lineIds: Array<string | undefined>;
	status: TargetStatus;
	/** The matching invoice in Xero, if any. */
	existing?: XeroInvoice;
	contactId: string;
	/** Tracking categories of the tenant (after any creations); undefined when no tracking is used. */
	trackingIndex?: Map<string, TrackingIndexEntry>;
	/** pairKey → reason a tracking pair cannot be used (from planTracking / failed creations). */
	trackingErrors?: Map<string, string>;
	/** The tenant's accounts and tax rates; undefined when validation against Xero is switched off. */
	tenant?: TenantReference;
	/** Which documents Xero refuses to edit (default: an invoice's rules, `classifyExisting`). */
	classify?: (existing: XeroInvoice) => Editability;
}

function resolveLineTracking(
	lines: XeroLineItem[],
	input: ItemPlanInput,
	issues: InvoiceIssue[],
): XeroLineItem[] {
	return lines.map((line, index) => {
		if (!line.Tracking?.length) return line;
		const resolved = [];
		for (const entry of line.Tracking) {
			const reason = input.trackingErrors?.get(pairKey(entry.Name, entry.Option));
			const hit = input.trackingIndex
				? resolveTracking(input.trackingIndex, entry.Name, entry.Option)
				: undefined;
			if (!hit) {
				const { problem, fix } = splitTrackingMessage(
					reason ?? `tracking "${entry.Name}" = "${entry.Option}" is not available in Xero`,
					reason
						? TRACKING_WRITE_FIX
						: 'check the tracking category and option names in Xero (Settings → Tracking)',
				);
				issues.push({
					severity: 'error',
					line: index + 1,
					lineId: input.lineIds[index],
					field: `Tracking (${entry.Name})`,
					message: problem,
					fix,
				});
				continue;
			}
			resolved.push(hit);
		}
		return { ...line, Tracking: resolved };
	});
}

/**
 * Whether an invoice Xero will not edit already carries the Commusoft content (its own contact and status
 * aside: neither can change on it any more), so a re-sent invoice is not reported as a refused edit.
 */
function frozenCopyMatches(mapped: MappedInvoice, existing: XeroInvoice): boolean {
	const desired: XeroInvoicePayload = {
		...mapped.payload,
		Contact: { ContactID: existing.Contact?.ContactID ?? '' },
		Status: (existing.Status ?? '').toUpperCase() as XeroInvoicePayload['Status'],
		LineItems: assignLineItemIds(mapped.payload.LineItems, existing.LineItems),
	};
	return isInvoiceUnchanged(desired, existing);
}

/**
 * Everything the upsert decides for one input item once the look-ups are done: refuse (frozen in Xero),
 * reject (validation), skip (unchanged) or write (create/update with the right LineItemIDs and status).
 */
export function planInvoiceItem(input: ItemPlanInput): ItemPlan {
	const { mapped, existing } = input;
	const warnings = mapped.issues.filter((issue) => issue.severity === 'warning').map(formatIssue);

	if (existing) {
		const editability = (input.classify ?? classifyExisting)(existing);
		if (!editability.editable) {
			// Nothing to refuse when Xero already holds what Commusoft says: a cancelled invoice voided or deleted
			// in Xero, or a paid (credited…) invoice whose content has not changed since it was sent.
			const status = (existing.Status ?? '').toUpperCase();
			if (
				mapped.cancelled
					? status === 'VOIDED' || status === 'DELETED'
					: frozenCopyMatches(mapped, existing)
			)
				return {
					kind: 'unchanged',
					existing,
					warnings: [...warnings, `${editability.reason}; it already matches Commusoft`],
				};
			return { kind: 'refused', reason: editability.reason, existing, warnings };
		}
	}
	if (mapped.cancelled) {
		if (!existing)
			return {
				kind: 'refused',
				reason: 'cancelled in Commusoft and not in Xero, so nothing was created',
				warnings,
			};
		const current = (existing.Status ?? '').toUpperCase();
		const Status = current === 'AUTHORISED' ? 'VOIDED' : 'DELETED';
		return {
			kind: 'write',
			action: 'updated',
			payload: { InvoiceID: existing.InvoiceID, Status },
			warnings: [...warnings, `cancelled in Commusoft: ${Status.toLowerCase()} in Xero`],
		};
	}

	const issues = mapped.issues.slice();
	let lines = resolveLineTracking(mapped.payload.LineItems, input, issues);
	if (input.tenant)
		issues.push(...validateAgainstTenant(mapped.payload, input.lineIds, input.tenant));
	if (hasErrors(issues)) return { kind: 'invalid', issues, warnings };

	const payload: XeroInvoicePayload = {
		...mapped.payload,
		Contact: { ContactID: input.contactId },
		LineItems: lines,
	};
	if (!existing) return { kind: 'write', action: 'created', payload, warnings };

	lines = assignLineItemIds(lines, existing.LineItems);
	payload.LineItems = lines;
	payload.InvoiceID = existing.InvoiceID;
	payload.Status = effectiveStatus(input.status, existing.Status);
	if (payload.Status !== input.status)
		warnings.push(
			`kept status ${payload.Status}: Xero does not move an invoice back to ${input.status}`,
		);
	if (isInvoiceUnchanged(payload, existing)) return { kind: 'unchanged', existing, warnings };
	return { kind: 'write', action: 'updated', payload, warnings };
}
