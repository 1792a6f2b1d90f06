import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { buildContactIndex, planContacts, type ContactDecision } from '../../mapping/contact';
import { checkInvoiceTotal } from '../../mapping/invoice';
import { buildTrackingIndex, planTracking, type TrackingRequest } from '../../mapping/tracking';
import type { CommusoftInvoiceInput, XeroInvoice } from '../../mapping/types';
import { planInvoiceItem } from '../../mapping/upsertPlan';
import { applyItemCodePolicy, validateAgainstTenant } from '../../mapping/validation';
import { xeroBatchWrite, xeroUrls, XERO_MAX_BATCH_ELEMENTS } from '../../transport';
import { createTrackingFromPlan } from '../tracking/createTracking';
import {
	fail,
	failInvalid,
	keyOf,
	knownNumbersOf,
	matchField,
	rememberNumbers,
	type Entry,
	type UpsertSettings,
} from './entry';
import { lookupContacts, lookupDocuments } from './lookups';
import { loadReference, referenceMisses, type ReferenceData } from './reference';

/** What the writes need to know from the plan of one pass. */
export interface TenantPlan {
	live: Entry[];
	/** entries sent straight as creates (PUT) without a look-up */
	guessed: Set<Entry>;
	orgKey: string;
	reference: ReferenceData;
	need: { validation: boolean; tracking: boolean; items: boolean; taxRates: boolean };
}

/** How one pass over an organisation's invoices runs (a second pass re-does only some of them). */
export interface PassMode {
	/** send invoice numbers this process has not seen as creates, without looking them up first */
	guess: boolean;
	/** the entries already carry their contact from an earlier pass: no contact look-up or creation */
	reuseContacts: boolean;
	/** read the organisation's settings from Xero, not from the cache */
	freshSettings: boolean;
}

export async function planForTenant(
	ctx: IExecuteFunctions,
	tenantId: string,
	entries: Entry[],
	settings: UpsertSettings,
	mode: PassMode,
): Promise<TenantPlan | undefined> {
	const { kind, matchOn, fallback, options } = settings;
	const live = entries.filter((e) => !e.failure);
	if (live.length === 0) return undefined;

	const usesTracking = live.some((e) => e.mapped.payload.LineItems.some((l) => l.Tracking?.length));
	const orgKey = `${kind.path}\u0000${(await xeroUrls(ctx)).api}\u0000${tenantId}`;

	// Which invoices go straight to a create. Matching on Invoice Number, a create (PUT) of a number that exists
	// is refused by Xero with "Invoice # must be unique." and changes nothing, so a number this process has
	// not seen in Xero is sent as a create and looked up only if refused: for a new invoice that saves the
	// look-up. Numbers seen before (likely updates) and cancellations are looked up first. Above one batch,
	// a wrong guess costs more than the look-ups it saves, so large runs look everything up.
	const known = knownNumbersOf(orgKey);
	const guessable =
		mode.guess && kind.numberTaken && matchOn === 'invoiceNumber'
			? live.filter(
					(e) => !e.mapped.cancelled && e.mapped.matchKey && !known.has(keyOf(e.mapped.matchKey)),
				)
			: [];
	const guessed = new Set(
		guessable.length <= (options.batchSize ?? XERO_MAX_BATCH_ELEMENTS) ? guessable : [],
	);
	const lookupKeys = [
		...new Set(live.filter((e) => !guessed.has(e)).map((e) => e.mapped.matchKey)),
	];

	// 1. Everything that can be read in parallel: reference data, existing invoices, candidate contacts.
	const customers = new Map<string, CommusoftInvoiceInput['customer']>();
	for (const entry of live)
		if (entry.customerRef && !customers.has(entry.customerRef))
			customers.set(entry.customerRef, entry.input.customer);
	const need = {
		validation: options.validateAgainstXero !== false,
		tracking: usesTracking,
		items: live.some((e) => e.mapped.payload.LineItems.some((l) => l.ItemCode)),
		taxRates: live.some((e) => e.mapped.commusoftTotal !== undefined),
	};
	const [loaded, existingInvoices, contacts] = await Promise.all([
		loadReference(ctx, tenantId, need, mode.freshSettings),
		lookupKeys.length
			? lookupDocuments(ctx, kind, tenantId, matchOn, lookupKeys)
			: Promise.resolve([]),
		mode.reuseContacts
			? Promise.resolve([])
			: lookupContacts(ctx, tenantId, [...customers.values()], fallback),
	]);
	// A cached list that lacks something these invoices use may just be older than the change in Xero:
	// read it again before calling anything invalid.
	const reference =
		loaded.cached && referenceMisses(loaded, live)
			? await loadReference(ctx, tenantId, need, true)
			: loaded;
	rememberNumbers(
		orgKey,
		existingInvoices.map((i) => (matchOn === 'reference' ? undefined : i.InvoiceNumber)),
	);

	const byKey = new Map<string, XeroInvoice[]>();
	for (const invoice of existingInvoices) {
		const key = keyOf(matchOn === 'reference' ? invoice.Reference : invoice.InvoiceNumber);
		const list = byKey.get(key) ?? [];
		if (!list.some((i) => i.InvoiceID === invoice.InvoiceID)) list.push(invoice);
		byKey.set(key, list);
	}
	for (const entry of live) {
		const found = byKey.get(keyOf(entry.mapped.matchKey)) ?? [];
		// A deleted or voided invoice keeps its number; prefer the live one when both exist.
		const current = found.filter(
			(i) => !['DELETED', 'VOIDED'].includes((i.Status ?? '').toUpperCase()),
		);
		if (current.length > 1)
			fail(
				entry,
				`${current.length} ${kind.noun}s in Xero have ${matchField(kind, matchOn)} "${entry.mapped.matchKey}" (${current.map((i) => i.InvoiceNumber).join(', ')})`,
				{
					description: `Match on ${kind.noun === 'invoice' ? 'Invoice' : 'Credit Note'} Number, or make the reference unique in Xero.`,
				},
			);
		else entry.existing = current[0] ?? found[0];
	}

	// 2. Before writing anything else, set aside what will not be written: invoices Xero has frozen,
	// cancellations (they keep their contact), and lines the tenant's accounts or tax rates reject. Contacts
	// and tracking options are then created only for invoices that are going to Xero.
	const writers: Entry[] = [];
	for (const entry of live) {
		if (entry.failure) continue;
		if (entry.existing && !kind.classify(entry.existing).editable) continue;
		if (entry.mapped.cancelled) continue;
		const lines = entry.mapped.payload.LineItems;
		if (reference.trackingError && lines.some((l) => l.Tracking?.length)) {
			fail(entry, `Xero's tracking categories could not be read: ${reference.trackingError}`, {
				description: `This ${kind.noun} has tracking, which is checked against the categories before sending. Reconnect the Xero credential with the accounting.settings scope, or clear the Tracking mapping; ${kind.noun}s without tracking were still sent.`,
			});
			continue;
		}
		if (reference.itemsError && lines.some((l) => l.ItemCode))
			entry.mapped.issues.push({
				severity: 'warning',
				field: 'ItemCode (itemCode)',
				message: `item codes were not checked before sending: Xero's items could not be read (${reference.itemsError})`,
				fix: `Xero refuses the ${kind.noun} if a code is not one of its items; allow the connection to read items (accounting.settings scope) to check them first`,
			});
		if (reference.tenant) {
			const itemIssues = applyItemCodePolicy(
				entry.mapped.payload,
				entry.lineIds,
				reference.tenant,
				options.unknownItemCodes ?? 'omit',
			);
			entry.mapped.issues.push(...itemIssues.filter((issue) => issue.severity === 'warning'));
			const errors = [
				...itemIssues.filter((issue) => issue.severity === 'error'),
				...validateAgainstTenant(entry.mapped.payload, entry.lineIds, reference.tenant),
			];
			if (errors.length) {
				failInvalid(entry, errors, kind.noun);
				continue;
			}
		}
		// Xero's total must be Commusoft's to the penny: computed before anything is written (money.ts).
		const mismatch = checkInvoiceTotal(entry.mapped, reference.rateOf);
		if (mismatch) {
			failInvalid(entry, [mismatch], kind.noun);
			continue;
		}
		writers.push(entry);
	}
	const trackingRequests: TrackingRequest[] = [];
	for (const entry of writers)
		for (const line of entry.mapped.payload.LineItems)
			for (const t of line.Tracking ?? [])
				trackingRequests.push({ category: t.Name, option: t.Option });

	// 3. Writes the invoices depend on: tracking options and contacts (in parallel).
	const trackingPlan = planTracking(reference.categories, trackingRequests, {
		allowCreate: options.createTrackingOptions === true,
		optionCap: options.trackingOptionCap,
	});
	const contactPlan = mode.reuseContacts
		? new Map<string, ContactDecision>()
		: planContacts(
				writers.filter((e) => e.input.customer).map((e) => e.input.customer!),
				buildContactIndex(contacts),
				fallback,
			);
	const toCreate = [...contactPlan.entries()].filter(
		(pair): pair is [string, Extract<ContactDecision, { action: 'create' }>] =>
			pair[1].action === 'create',
	);
	const [tracking, contactResults] = await Promise.all([
		trackingPlan.categoriesToCreate.length || trackingPlan.optionsToCreate.length
			? createTrackingFromPlan(ctx, tenantId, reference.categories, trackingPlan)
			: Promise.resolve({ categories: reference.categories, errors: trackingPlan.errors }),
		toCreate.length
			? xeroBatchWrite(ctx, {
					method: 'PUT',
					path: '/Contacts',
					tenantId,
					collectionKey: 'Contacts',
					elements: toCreate.map(([, decision]) => decision.payload as IDataObject),
					batchSize: options.batchSize,
				})
			: Promise.resolve([]),
	]);
	const createdContactIds = new Map<string, string>();
	const contactErrors = new Map<string, string>();
	contactResults.forEach((result, index) => {
		const [ref] = toCreate[index];
		const id = result.ok ? (result.element.ContactID as string | undefined) : undefined;
		if (id) createdContactIds.set(ref, id);
		else contactErrors.set(ref, result.ok ? 'Xero returned no ContactID' : result.error);
	});

	// 4. Decide per item.
	const trackingIndex = buildTrackingIndex(tracking.categories);
	const writing = new Set(writers);
	for (const entry of live) {
		if (entry.failure) continue;
		if (!writing.has(entry)) {
			// frozen in Xero or cancelled: no contact needed, the plan says refused / void / delete
			entry.plan = planInvoiceItem({
				mapped: entry.mapped,
				lineIds: entry.lineIds,
				status: entry.status,
				existing: entry.existing,
				contactId: entry.existing?.Contact?.ContactID ?? '',
				classify: kind.classify,
			});
			continue;
		}
		if (mode.reuseContacts && entry.contact && entry.contactId) {
			// decided (and created, if new) by the earlier pass
		} else if (!entry.customerRef) {
			fail(
				entry,
				`the ${kind.noun} has no customer account reference (customer.accountReference)`,
				{
					description:
						'Xero contacts are keyed on the Commusoft account reference (Contact Code); map it.',
				},
			);
			continue;
		} else {
			const decision = contactPlan.get(entry.customerRef);
			entry.contact = decision;
			if (!decision || decision.action === 'error') {
				fail(entry, `contact: ${decision?.message ?? 'no customer details'}`);
				continue;
			}
			entry.contactId =
				decision.action === 'matched'
					? decision.contactId
					: createdContactIds.get(entry.customerRef);
			if (!entry.contactId) {
				fail(
					entry,
					`contact "${decision.name}" could not be created: ${contactErrors.get(entry.customerRef) ?? 'unknown error'}`,
				);
				continue;
			}
		}
		entry.plan = planInvoiceItem({
			mapped: entry.mapped,
			lineIds: entry.lineIds,
			status: entry.status,
			existing: entry.existing,
			contactId: entry.contactId,
			trackingIndex,
			trackingErrors: tracking.errors,
			classify: kind.classify,
		});
		if (entry.plan.kind === 'invalid') failInvalid(entry, entry.plan.issues, kind.noun);
	}

	// Before any invoice is written: the kind's own checks (a credit note's allocation).
	if (settings.beforeWrite)
		await settings.beforeWrite(
			ctx,
			tenantId,
			live.filter((e) => !e.failure && e.plan?.kind === 'write'),
		);
	return { live, guessed, orgKey, reference, need };
}
