/**
 * One poll of the Commusoft Trigger. Per resource (invoices, customers, payments — only those the chosen events
 * need), the state in node static data is `{ cursor, seen, startedAt, fingerprints }` (nodes/shared/pollState.ts
 * plus fingerprints.ts). Active polls read changes since `cursor − overlap` and emit each record version once;
 * test runs ("Fetch Test Event") read the most recent records and never write state.
 */
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	advance,
	filterNew,
	inspectPollState,
	lostPositionError,
	queryWindow,
	repairNote,
	seenKey,
	writePollState,
} from '../../shared/pollState';
import {
	CommusoftRecordError,
	toCommusoftCreditNote,
	toCommusoftCustomer,
	toCommusoftInvoice,
	toCommusoftPayment,
	toCommusoftSupplier,
	toCommusoftSupplierInvoice,
	toIsoTimestamp,
	type CommusoftCreditNote,
	type CommusoftCustomer,
	type CommusoftInvoice,
	type CommusoftPayment,
	type CommusoftSupplier,
	type CommusoftSupplierInvoice,
} from '../records';
import { commusoftGetBody, type CommusoftEndpointName } from '../transport';
import {
	CREDIT_NOTE_KIND,
	CUSTOMER_KIND,
	EVENT_RESOURCE,
	INVOICE_KIND,
	SUPPLIER_INVOICE_KIND,
	SUPPLIER_KIND,
	UPDATED_EVENTS,
	classifyParty,
	classifyPayment,
	classifyRaisable,
	creditNoteFingerprint,
	customerFingerprint,
	invoiceFingerprint,
	supplierFingerprint,
	supplierInvoiceFingerprint,
	type Classified,
	type CommusoftResource,
	type EventKind,
	type CommusoftTriggerEvent,
} from './events';
import {
	DEFAULT_FINGERPRINT_LIMIT,
	lookupFingerprint,
	readFingerprints,
	storeFingerprints,
	type Fingerprint,
	type FingerprintEntries,
} from './fingerprints';
import { readChangesSince, updatedAtOf } from './read';

export interface TriggerSettings {
	events: CommusoftTriggerEvent[];
	/** First activation only; '' = start from now. */
	backfillFrom: string;
	overlapMs: number;
	maxRecordsPerPoll: number;
	testRunLimit: number;
	ignoreUntrackedChanges: boolean;
}

type AnyRecord =
	| CommusoftInvoice
	| CommusoftCustomer
	| CommusoftPayment
	| CommusoftCreditNote
	| CommusoftSupplier
	| CommusoftSupplierInvoice;

/** A record read from Commusoft, mapped, with what the trigger needs to decide about it. */
interface Observed {
	resource: CommusoftResource;
	record: AnyRecord;
	key: string;
	updatedAt: string;
	createdAt?: string;
	fingerprint?: Fingerprint;
}

interface Emitted {
	updatedAt: string;
	json: IDataObject;
}

/**
 * Each resource the trigger polls, in polling order: its list endpoint, its key in static data (one cursor per
 * list endpoint), the party its bodies may name only by uuid, how a raw body becomes a record and fingerprint,
 * and how a version is classified. Every resource shares the same cursor, overlap, seen-set and damage rules.
 */
interface ResourceSpec {
	/** The record in words, for error messages. */
	noun: string;
	list: CommusoftEndpointName;
	stateKey: string;
	party?: { field: string; uuidField: string; endpoint: 'getCustomer' | 'getSupplier' };
	map(raw: IDataObject, partyRaw: unknown): { record: AnyRecord; fingerprint?: Fingerprint };
	classify(
		item: Observed,
		previous: Fingerprint | undefined,
		windowStart: string,
	): Classified | undefined;
	/** Emitted once per record (payments), not once per version. */
	oncePerRecord?: boolean;
}

const CUSTOMER_PARTY = {
	field: 'customer',
	uuidField: 'customerUuid',
	endpoint: 'getCustomer',
} as const;

const raisable =
	(kind: EventKind) => (item: Observed, previous: Fingerprint | undefined, windowStart: string) =>
		classifyRaisable(
			kind,
			item.record as CommusoftInvoice,
			item.fingerprint!,
			previous,
			windowStart,
		);
const party =
	(kind: EventKind) => (item: Observed, previous: Fingerprint | undefined, windowStart: string) =>
		classifyParty(kind, item.createdAt, item.fingerprint!, previous, windowStart);

const RESOURCES: Record<CommusoftResource, ResourceSpec> = {
	invoice: {
		noun: 'invoice',
		list: 'listInvoices',
		stateKey: 'invoices',
		party: CUSTOMER_PARTY,
		map: (raw, partyRaw) => {
			const record = toCommusoftInvoice(raw, partyRaw);
			return { record, fingerprint: invoiceFingerprint(record) };
		},
		classify: raisable(INVOICE_KIND),
	},
	customer: {
		noun: 'customer',
		list: 'listCustomers',
		stateKey: 'customers',
		map: (raw) => {
			const record = toCommusoftCustomer(raw);
			return { record, fingerprint: customerFingerprint(record) };
		},
		classify: party(CUSTOMER_KIND),
	},
	payment: {
		noun: 'payment',
		list: 'listPayments',
		stateKey: 'payments',
		map: (raw) => ({ record: toCommusoftPayment(raw) }),
		classify: (item, _previous, windowStart) =>
			classifyPayment(
				{ ...(item.record as CommusoftPayment), createdAt: item.createdAt },
				windowStart,
			),
		oncePerRecord: true,
	},
	creditNote: {
		noun: 'credit note',
		list: 'listCreditNotes',
		stateKey: 'creditNotes',
		party: CUSTOMER_PARTY,
		map: (raw, partyRaw) => {
			const record = toCommusoftCreditNote(raw, partyRaw);
			return { record, fingerprint: creditNoteFingerprint(record) };
		},
		classify: raisable(CREDIT_NOTE_KIND),
	},
	supplier: {
		noun: 'supplier',
		list: 'listSuppliers',
		stateKey: 'suppliers',
		map: (raw) => {
			const record = toCommusoftSupplier(raw);
			return { record, fingerprint: supplierFingerprint(record) };
		},
		classify: party(SUPPLIER_KIND),
	},
	supplierInvoice: {
		noun: 'supplier invoice',
		list: 'listSupplierInvoices',
		stateKey: 'supplierInvoices',
		party: { field: 'supplier', uuidField: 'supplierUuid', endpoint: 'getSupplier' },
		map: (raw, partyRaw) => {
			const record = toCommusoftSupplierInvoice(raw, partyRaw);
			return { record, fingerprint: supplierInvoiceFingerprint(record) };
		},
		classify: raisable(SUPPLIER_INVOICE_KIND),
	},
};

const RESOURCE_ORDER = Object.keys(RESOURCES) as CommusoftResource[];

/** Test runs look back this far, widening until they find enough records. */
const TEST_RUN_LOOKBACK_DAYS = [1 / 24, 1, 30, 365, 3650];

function resourcesOf(events: CommusoftTriggerEvent[]): CommusoftResource[] {
	return RESOURCE_ORDER.filter((resource) =>
		events.some((event) => EVENT_RESOURCE[event] === resource),
	);
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Raw API bodies → records. A document that names its party (customer, supplier) only by uuid gets the party
 * fetched once per poll (a local map, not a module cache). A record that cannot be mapped stops the poll with an
 * error naming it: skipping it would lose it, since the cursor moves on.
 */
async function observe(
	ctx: IPollFunctions,
	resource: CommusoftResource,
	raws: IDataObject[],
): Promise<Observed[]> {
	const spec = RESOURCES[resource];
	const parties = new Map<string, unknown>();
	const observed: Observed[] = [];
	for (const raw of raws) {
		let partyRaw: unknown;
		const partyId = spec.party ? raw[spec.party.uuidField] : undefined;
		if (
			spec.party &&
			!isObject(raw[spec.party.field]) &&
			typeof partyId === 'string' &&
			partyId !== ''
		) {
			if (!parties.has(partyId)) {
				const number = raw.creditNoteNumber ?? raw.supplierInvoiceNumber ?? raw.invoiceNumber;
				const owner = `${spec.noun} ${String(number ?? raw.uuid)}`;
				parties.set(
					partyId,
					await commusoftGetBody.call(ctx, {
						endpoint: spec.party.endpoint,
						id: partyId,
						label: `"${partyId}" (${spec.party.field} of ${owner})`,
					}),
				);
			}
			partyRaw = parties.get(partyId);
		}
		try {
			observed.push(mapRecord(resource, raw, partyRaw));
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), error as Error, {
				message: (error as Error).message,
				description:
					'The trigger stops here instead of skipping the record, so nothing is lost: correct the record in Commusoft (or the field mapping) and the next poll picks it up.',
			});
		}
	}
	return observed;
}

function mapRecord(resource: CommusoftResource, raw: IDataObject, partyRaw: unknown): Observed {
	const spec = RESOURCES[resource];
	const { record, fingerprint } = spec.map(raw, partyRaw);
	const updatedAt = updatedAtOf(raw);
	if (updatedAt === undefined) {
		throw new CommusoftRecordError(spec.noun, record.id, 'updatedAt', 'is missing or not a date');
	}
	return {
		resource,
		record,
		// A payment is "recorded" once: later edits of it are not new payments.
		key: spec.oncePerRecord ? seenKey(record.id, 'recorded') : seenKey(record.id, updatedAt),
		updatedAt,
		createdAt: toIsoTimestamp(raw.createdAt),
		fingerprint,
	};
}

function classify(
	item: Observed,
	previous: Fingerprint | undefined,
	windowStart: string,
): Classified | undefined {
	return RESOURCES[item.resource].classify(item, previous, windowStart);
}

function outputOf(item: Observed, decision: Classified): Emitted {
	return {
		updatedAt: item.updatedAt,
		json: {
			event: decision.event,
			changedFields: decision.changedFields,
			previousVersionKnown: decision.previousVersionKnown,
			...(item.record as unknown as IDataObject),
		},
	};
}

function wanted(decision: Classified | undefined, settings: TriggerSettings): boolean {
	if (!decision || !settings.events.includes(decision.event)) return false;
	if (
		settings.ignoreUntrackedChanges &&
		decision.previousVersionKnown &&
		decision.changedFields.length === 0 &&
		UPDATED_EVENTS.includes(decision.event)
	) {
		return false;
	}
	return true;
}

function pollBudgetDeadline(ctx: IPollFunctions, startedMs: number): number | undefined {
	const budget = typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : undefined;
	// Leave half the budget for mapping, customer look-ups and handing the items over.
	return budget === undefined ? undefined : startedMs + budget / 2;
}

async function pollResource(
	ctx: IPollFunctions,
	resource: CommusoftResource,
	settings: TriggerSettings,
	staticData: IDataObject,
	now: Date,
	deadlineMs: number | undefined,
): Promise<{ emitted: Emitted[]; bucket: IDataObject }> {
	const saved: unknown =
		staticData[RESOURCES[resource].stateKey] === undefined
			? {}
			: staticData[RESOURCES[resource].stateKey];
	const stored = isObject(saved) ? saved : {};
	const backfillFrom = settings.backfillFrom || undefined;
	const check = inspectPollState(saved, { now, overlapMs: settings.overlapMs, backfillFrom });
	check.problems = check.problems.map((problem) => `${RESOURCES[resource].stateKey}: ${problem}`);
	if (check.positionLost) {
		if (backfillFrom === undefined) {
			const { message, description } = lostPositionError(check.problems);
			throw new NodeOperationError(ctx.getNode(), message, { description });
		}
		check.state = { seen: check.state.seen };
	}
	const state = check.state;
	let fingerprints = readFingerprints(stored.fingerprints);
	const window = queryWindow(state, {
		overlapMs: settings.overlapMs,
		backfillFrom: settings.backfillFrom || undefined,
		now,
	});

	const read = await readChangesSince.call(ctx, RESOURCES[resource].list, {
		modifiedSince: window.modifiedSince,
		maxRecords: settings.maxRecordsPerPoll,
		deadlineMs,
	});
	// Drop what is older than the window asked for (a server may ignore or round `modifiedSince`): this is
	// what lets the seen-set forget keys outside the window.
	// A record without a readable timestamp is kept so that mapping stops on it with an error naming it.
	const inWindow = read.records.filter((raw) => {
		const at = updatedAtOf(raw);
		return at === undefined || Date.parse(at) >= Date.parse(window.modifiedSince);
	});
	const observed = (await observe(ctx, resource, inWindow)).sort(
		(a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt),
	);
	const fresh = filterNew(state, observed, (item) => item.key);

	const emitted: Emitted[] = [];
	if (!window.baseline) {
		for (const item of fresh) {
			const previous =
				item.fingerprint === undefined
					? undefined
					: lookupFingerprint(fingerprints, item.record.id);
			const decision = classify(item, previous, window.modifiedSince);
			if (!wanted(decision, settings)) continue;
			const output = outputOf(item, decision!);
			if (check.problems.length > 0) {
				output.json.pollStateRepair = repairNote(check, window.modifiedSince) as IDataObject;
			}
			emitted.push(output);
		}
	}

	// A truncated read is safe to resume from its newest record only when the server orders by updatedAt;
	// otherwise the cursor stays and the next poll reads the same window again (the seen-set drops repeats).
	const cursorMayMove = read.complete || read.ordered;
	const next = advance(
		state,
		observed,
		cursorMayMove ? (item) => item.updatedAt : () => undefined,
		{ keyOf: (item) => item.key, now, forgetOutsideWindowMs: settings.overlapMs },
	);
	fingerprints = storeFingerprints(
		fingerprints,
		fresh
			.filter((item) => item.fingerprint !== undefined)
			.map((item): [string, Fingerprint] => [item.record.id, item.fingerprint!]),
		DEFAULT_FINGERPRINT_LIMIT,
	);
	const bucket: IDataObject = {};
	writePollState(bucket, next);
	bucket.fingerprints = fingerprints as unknown as IDataObject[];
	return { emitted, bucket };
}

/** Active poll: changes since the cursor, each record version once. */
export async function pollChanges(
	ctx: IPollFunctions,
	settings: TriggerSettings,
): Promise<INodeExecutionData[][] | null> {
	const staticData: unknown = ctx.getWorkflowStaticData('node');
	const startedMs = Date.now();
	const now = new Date(startedMs);
	if (!isObject(staticData)) {
		const { message, description } = lostPositionError(
			inspectPollState(staticData, { now, overlapMs: settings.overlapMs }).problems,
			'nodeData',
		);
		throw new NodeOperationError(ctx.getNode(), message, { description });
	}
	const deadlineMs = pollBudgetDeadline(ctx, startedMs);
	const emitted: Emitted[] = [];
	const buckets = new Map<CommusoftResource, IDataObject>();
	for (const resource of resourcesOf(settings.events)) {
		const result = await pollResource(ctx, resource, settings, staticData, now, deadlineMs);
		emitted.push(...result.emitted);
		buckets.set(resource, result.bucket);
	}
	// Written only once every resource has been read: n8n keeps a failed poll's in-memory static data for
	// the next tick, so a cursor moved before a later error would lose the records this poll did not emit.
	for (const resource of RESOURCE_ORDER) {
		const bucket = buckets.get(resource);
		// Assign new objects at the top level so n8n notices the change. A resource no longer polled is
		// forgotten: choosing its events again later starts from that activation, not from a stale cursor.
		if (bucket) staticData[RESOURCES[resource].stateKey] = bucket;
		else delete staticData[RESOURCES[resource].stateKey];
	}
	if (emitted.length === 0) return null;
	emitted.sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt));
	return [emitted.map(({ json }) => ({ json }))];
}

/**
 * Test run: up to `testRunLimit` of the most recently changed records for the chosen events, newest first.
 * Reads only; the cursor, seen-set and fingerprints are left as they are.
 */
export async function pollTestRun(
	ctx: IPollFunctions,
	settings: TriggerSettings,
): Promise<INodeExecutionData[][] | null> {
	const saved: unknown = ctx.getWorkflowStaticData('node');
	const staticData: IDataObject = isObject(saved) ? saved : {};
	const now = Date.now();
	const limit = Math.max(1, settings.testRunLimit);
	const emitted: Emitted[] = [];
	for (const resource of resourcesOf(settings.events)) {
		const stored = isObject(staticData[RESOURCES[resource].stateKey])
			? (staticData[RESOURCES[resource].stateKey] as IDataObject)
			: {};
		const fingerprints: FingerprintEntries = readFingerprints(stored.fingerprints);
		let observed: Observed[] = [];
		let windowStart = '';
		for (const days of TEST_RUN_LOOKBACK_DAYS) {
			windowStart = new Date(now - days * 86_400_000).toISOString();
			const read = await readChangesSince.call(ctx, RESOURCES[resource].list, {
				modifiedSince: windowStart,
				maxRecords: Math.max(limit, settings.maxRecordsPerPoll),
			});
			if (read.records.length >= limit || days === TEST_RUN_LOOKBACK_DAYS.at(-1)) {
				const newest = read.records
					.map((raw) => ({ raw, at: Date.parse(updatedAtOf(raw) ?? '') || 0 }))
					.sort((a, b) => b.at - a.at)
					.slice(0, limit)
					.map(({ raw }) => raw);
				observed = await observe(ctx, resource, newest);
				break;
			}
		}
		const resourceEvents = settings.events.filter((event) => EVENT_RESOURCE[event] === resource);
		for (const item of observed) {
			const previous =
				item.fingerprint === undefined
					? undefined
					: lookupFingerprint(fingerprints, item.record.id);
			const decision = classify(item, previous, windowStart) ?? {
				event: 'paymentRecorded',
				changedFields: [],
				previousVersionKnown: true,
			};
			// A sample must carry one of the chosen events: relabel it, keeping what it says about changes.
			if (!resourceEvents.includes(decision.event)) decision.event = resourceEvents[0];
			emitted.push(outputOf(item, decision));
		}
	}
	if (emitted.length === 0) return null;
	emitted.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
	return [emitted.slice(0, limit).map(({ json }) => ({ json }))];
}
