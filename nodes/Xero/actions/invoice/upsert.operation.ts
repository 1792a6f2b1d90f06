import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { chatText } from '../../../shared/chatText';
import { supersededReason, type SentOutcome } from '../../../shared/supersededReason';
import {
	buildContactIndex,
	customerDisplayName,
	customerKey,
	planContacts,
	type ContactDecision,
	type ContactFallback,
} from '../../mapping/contact';
import {
	checkInvoiceTotal,
	classifyExisting,
	mapInvoice,
	totalIssue,
	type MappedInvoice,
	type MatchOn,
	type TargetStatus,
} from '../../mapping/invoice';
import { chunkForUrl, LOOKUP_URL_BUDGET, whereAnyEquals } from '../../mapping/lookup';
import { taxRatePercent, UNIT_DP_QUERY } from '../../mapping/money';
import { buildVatMap } from '../../mapping/tax';
import {
	buildTrackingIndex,
	DEFAULT_TRACKING_OPTION_CAP,
	planTracking,
	trackingKey,
	type TrackingRequest,
} from '../../mapping/tracking';
import type {
	CommusoftInvoiceInput,
	InvoiceIssue,
	XeroAccount,
	XeroContact,
	XeroInvoice,
	XeroTaxRate,
	XeroTrackingCategory,
} from '../../mapping/types';
import { planInvoiceItem, type ItemPlan } from '../../mapping/upsertPlan';
import {
	applyItemCodePolicy,
	buildTenantReference,
	formatIssue,
	type UnknownItemCodePolicy,
	validateAgainstTenant,
	type TenantReference,
} from '../../mapping/validation';
import type { XeroInvoiceUpsertResult } from '../../records';
import {
	invalidateOrgSettings,
	isXeroStopError,
	readOrgSettings,
	xeroApiRequest,
	xeroBatchWrite,
	xeroBudgetWarnings,
	xeroGetAllPages,
	xeroUrls,
	XERO_MAX_BATCH_ELEMENTS,
	type OrgSettingKind,
} from '../../transport';
import { resolveTenantId } from '../shared';
import { createTrackingFromPlan } from '../tracking/createTracking';

const show = { resource: ['invoice'], operation: ['upsert'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Invoice Data',
		name: 'invoiceSource',
		type: 'options',
		options: [
			{
				name: 'Input Item Is a Commusoft Invoice',
				value: 'item',
				description: 'Each input item is an invoice as the Commusoft nodes emit it',
			},
			{
				name: 'Define Below',
				value: 'define',
				description: 'Build an object of the same shape with an expression',
			},
		],
		default: 'item',
		displayOptions: { show },
	},
	{
		displayName: 'Invoice (JSON)',
		name: 'invoiceJson',
		type: 'json',
		default: '={{ $json }}',
		description:
			'An object shaped like the invoices the Commusoft nodes emit (invoice number, dates, currency, customer, lines with nominal code and VAT rate)',
		displayOptions: { show: { ...show, invoiceSource: ['define'] } },
	},
	{
		displayName: 'Match On',
		name: 'matchOn',
		type: 'options',
		options: [
			{ name: 'Invoice Number', value: 'invoiceNumber' },
			{ name: 'Reference', value: 'reference' },
		],
		default: 'invoiceNumber',
		description: 'Which Xero field identifies the invoice to update',
		displayOptions: { show },
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Draft', value: 'DRAFT' },
			{ name: 'Awaiting Approval (Submitted)', value: 'SUBMITTED' },
			{ name: 'Awaiting Payment (Authorised)', value: 'AUTHORISED' },
		],
		default: 'DRAFT',
		description:
			'Status to give the invoice in Xero. An invoice already approved in Xero keeps its status.',
		displayOptions: { show },
	},
	{
		displayName: 'Contact Fallback',
		name: 'contactFallback',
		type: 'options',
		options: [
			{ name: 'None (Create When No Contact Code Matches)', value: 'none' },
			{ name: 'Email', value: 'email' },
			{ name: 'Exact Name', value: 'name' },
			{ name: 'Email, Then Exact Name', value: 'emailThenName' },
		],
		default: 'email',
		description:
			'How to find the Xero contact when no contact has the customer account reference as its Contact Code (ContactNumber). Contacts already linked to another account are never used.',
		displayOptions: { show },
	},
	{
		displayName: 'Tracking',
		name: 'tracking',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Tracking Mapping',
		default: { mapping: [{ category: 'Business Unit', option: '={{ $json.category }}' }] },
		description:
			'Xero tracking category (by name) and the option each invoice gets; an empty option means no tracking. At most 2 per line.',
		displayOptions: { show },
		options: [
			{
				name: 'mapping',
				displayName: 'Mapping',
				values: [
					{
						displayName: 'Xero Tracking Category Name or ID',
						name: 'category',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getTrackingCategories' },
						default: 'Business Unit',
						description:
							'The Xero tracking category, by name. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Option Name or ID',
						name: 'option',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getTrackingOptions' },
						default: '={{ $json.category }}',
						description:
							'The tracking option, usually mapped from the Commusoft invoice (its category or business unit). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
		],
	},
	{
		displayName: 'VAT Rate Map',
		name: 'vatMap',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add VAT Rate',
		default: {},
		description:
			'Commusoft VAT label → Xero tax type. Defaults: 20% → OUTPUT2, 5% → RROUTPUT, 0% → ZERORATEDOUTPUT, Exempt → EXEMPTOUTPUT, No VAT → NONE. A line with its own taxType keeps it.',
		displayOptions: { show },
		options: [
			{
				name: 'rate',
				displayName: 'Rate',
				values: [
					{ displayName: 'Commusoft VAT Label', name: 'label', type: 'string', default: '' },
					{
						displayName: 'Xero Tax Type Name or ID',
						name: 'taxType',
						type: 'options',
						typeOptions: { loadOptionsMethod: 'getTaxRates' },
						default: '',
						description:
							'The Xero tax rate lines with this VAT label get. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: XERO_MAX_BATCH_ELEMENTS },
				default: XERO_MAX_BATCH_ELEMENTS,
				description: 'Invoices per Xero request (at most 50)',
			},
			{
				displayName: 'Create Missing Tracking Options',
				name: 'createTrackingOptions',
				type: 'boolean',
				default: false,
				description:
					'Whether to add a missing tracking option (or a missing category while the organisation has fewer than 2 active) instead of failing the item',
			},
			{
				displayName: 'Refused Invoices',
				name: 'refusedInvoices',
				type: 'options',
				options: [
					{
						name: 'Fail the Item (Error Output)',
						value: 'fail',
						description: "A refused edit is a failed item and follows the node's On Error setting",
					},
					{
						name: 'Report on the Success Output',
						value: 'report',
						description: 'Action "refused" with the reason, next to the invoices that were written',
					},
				],
				default: 'fail',
				description:
					'Where an invoice goes when Xero will not take the edit (paid, part-paid, credited or voided in Xero, and Commusoft now says something else). Fail the Item: with On Error set to "Continue (using error output)" it leaves by the error output with the failures someone watches (template 01 reports them); with "Stop Workflow" the run stops after the other invoices are written, so the error workflow hears of it. Report on the Success Output: only for flows that read the action of every result. A re-sent invoice that already matches Xero is "unchanged", never refused.',
			},
			{
				displayName: 'Tracking Option Limit',
				name: 'trackingOptionCap',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TRACKING_OPTION_CAP,
				description: 'Active options a category may have before no more are added',
			},
			{
				displayName: 'Unknown Item Codes',
				name: 'unknownItemCodes',
				type: 'options',
				options: [
					{
						name: 'Leave Out (Warn)',
						value: 'omit',
						description: 'Send the line without the item code and say so in the output',
					},
					{
						name: 'Fail the Invoice',
						value: 'fail',
						description: 'Report the line; the invoice is not sent',
					},
				],
				default: 'omit',
				description:
					'What to do with a line whose item code is not an item in Xero (Xero rejects such lines). Checked when Validate Against Xero is on.',
			},
			{
				displayName: 'Validate Against Xero',
				name: 'validateAgainstXero',
				type: 'boolean',
				default: true,
				description:
					'Whether to check account codes and tax types against the organisation before sending (its accounts and tax rates are read once and kept for 10 minutes per organisation)',
			},
		],
	},
];

interface UpsertOptions {
	refusedInvoices?: 'fail' | 'report';
	createTrackingOptions?: boolean;
	unknownItemCodes?: UnknownItemCodePolicy;
	trackingOptionCap?: number;
	validateAgainstXero?: boolean;
	batchSize?: number;
}

/** Per input item, everything known about it as the run progresses. */
interface Entry {
	itemIndex: number;
	tenantId: string;
	input: CommusoftInvoiceInput;
	mapped: MappedInvoice;
	lineIds: Array<string | undefined>;
	status: TargetStatus;
	customerRef: string;
	existing?: XeroInvoice;
	contact?: ContactDecision;
	contactId?: string;
	plan?: ItemPlan;
	result?: XeroInvoiceUpsertResult & IDataObject;
	failure?: Failure;
	/** A later item of this run with the same match key: that one is sent instead of this one. */
	supersededBy?: Entry;
}

/** Why an item failed; `details` adds what the error output should carry beside the usual fields. */
interface Failure {
	message: string;
	description?: string;
	validationErrors?: string[];
	details?: IDataObject;
}

function matchField(matchOn: MatchOn): 'InvoiceNumber' | 'Reference' {
	return matchOn === 'reference' ? 'Reference' : 'InvoiceNumber';
}

/**
 * One line of a failure digest for chat or e-mail ("• CS-10042 (Mrs Smith): … Fix: …"), escaped for chat as a
 * whole: the customer's name and Xero's messages are other people's text.
 */
function failureReportLine(invoiceNumber: string, customer: unknown, failure: Failure): string {
	const who = (customer ?? {}) as IDataObject;
	const name =
		String(who.companyName ?? '').trim() ||
		[who.firstName, who.lastName]
			.filter((part) => typeof part === 'string' && part.trim())
			.join(' ') ||
		'unknown customer';
	const problems = failure.validationErrors?.length
		? ` [${failure.validationErrors.join('; ')}]`
		: '';
	const fix = failure.description ? `\n    Fix: ${failure.description}` : '';
	return chatText(
		`• ${invoiceNumber || '(no number)'} (${name}): ${failure.message}${problems}${fix}`,
	);
}

/** Why an item given again later in the run was not sent, from what became of the item sent instead. */
function duplicateReason(entry: Pick<Entry, 'mapped' | 'supersededBy'>, matchOn: MatchOn): string {
	let sent = entry.supersededBy!;
	while (sent.supersededBy) sent = sent.supersededBy;
	const lead = `not sent: item ${sent.itemIndex} later in this run carries the same ${matchField(matchOn)} "${entry.mapped.matchKey}" and only the last one is sent`;
	const action = sent.result?.action;
	const outcome: SentOutcome | undefined = sent.failure
		? { kind: 'failed', message: sent.failure.message }
		: action === 'created' || action === 'updated'
			? { kind: 'written', action }
			: action === 'unchanged'
				? { kind: 'unchanged' }
				: action === 'refused'
					? { kind: 'notWritten', verb: 'refused', reason: sent.result?.reason }
					: undefined;
	return supersededReason(lead, sent.itemIndex, outcome, 'Xero');
}

const keyOf = (value: string | undefined) => (value ?? '').trim().toLowerCase();

function readInvoice(
	ctx: IExecuteFunctions,
	itemIndex: number,
	item: INodeExecutionData,
): CommusoftInvoiceInput {
	const source = ctx.getNodeParameter('invoiceSource', itemIndex, 'item') as string;
	if (source === 'item') return item.json as CommusoftInvoiceInput;
	let value = ctx.getNodeParameter('invoiceJson', itemIndex, {}) as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch (error) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex}: "Invoice (JSON)" is not valid JSON (${(error as Error).message})`,
				{
					itemIndex,
					description:
						'Give an object shaped like a Commusoft invoice, e.g. {{ $json }} or {{ $json.invoice }}; this item was not sent, the others were.',
				},
			);
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value))
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex}: "Invoice (JSON)" must be an object, not ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`,
			{
				itemIndex,
				description:
					'Give one invoice object per item, shaped like a Commusoft invoice (e.g. {{ $json }}); to send a list, split it into items first.',
			},
		);
	return value as CommusoftInvoiceInput;
}

/** Existing invoices for the keys of one tenant: one GET per URL-sized chunk, with lines (page=1, unitdp=4). */
async function lookupInvoices(
	ctx: IExecuteFunctions,
	tenantId: string,
	matchOn: MatchOn,
	keys: string[],
): Promise<XeroInvoice[]> {
	const chunks = chunkForUrl(keys);
	const pages = await Promise.all(
		chunks.map(async (chunk) => {
			const qs: IDataObject =
				matchOn === 'reference'
					? {
							where: `Type=="ACCREC" AND (${whereAnyEquals(chunk.map((k) => ['Reference', k]))})`,
							...UNIT_DP_QUERY,
						}
					: { InvoiceNumbers: chunk.join(','), where: 'Type=="ACCREC"', ...UNIT_DP_QUERY };
			return await xeroGetAllPages(ctx, {
				path: '/Invoices',
				tenantId,
				collectionKey: 'Invoices',
				qs,
				pageSize: 1000,
			});
		}),
	);
	return pages.flat() as unknown as XeroInvoice[];
}

/**
 * Contacts that may matter for these customers, in as few GETs as the URL allows: by ContactNumber, stored
 * ContactID, email and exact name (names are needed even without the name fallback, to keep new contact
 * names unique). Archived contacts are included so that they are reported rather than duplicated.
 */
const CONTACT_PAGE_SIZE = 1000; // Xero's maximum page size since July 2024 (docs/xero-rules.md §3.6)

async function lookupContacts(
	ctx: IExecuteFunctions,
	tenantId: string,
	customers: CommusoftInvoiceInput['customer'][],
	fallback: ContactFallback,
): Promise<XeroContact[]> {
	const clauses: string[] = [];
	for (const customer of customers) {
		if (!customer) continue;
		const pairs: Array<[string, string]> = [];
		if (customer.accountReference?.trim())
			pairs.push(['ContactNumber', customer.accountReference.trim()]);
		const name = customerDisplayName(customer).replace(/\s+/g, ' ');
		if (name) pairs.push(['Name', name]);
		if ((fallback === 'email' || fallback === 'emailThenName') && customer.email?.trim())
			pairs.push(['EmailAddress', customer.email.trim()]);
		// How Xero's where-language escapes a double quote is undocumented (backslash or doubled), so values
		// containing one are not put in a clause: such a name is then not checked for clashes before creating,
		// and a clash comes back as Xero's own per-item error.
		let clause = whereAnyEquals(pairs.filter(([, value]) => !/["\\]/.test(value)));
		const id = customer.xeroContactId?.trim();
		if (id && /^[0-9a-f-]{36}$/i.test(id))
			clause += `${clause ? ' OR ' : ''}ContactID==Guid("${id}")`;
		if (clause) clauses.push(clause);
	}
	// A where clause costs more URL per customer than a key list, so it gets a larger share of the same URL.
	const chunks = chunkForUrl(clauses, LOOKUP_URL_BUDGET, 60, (clause) =>
		encodeURIComponent(` OR ${clause}`),
	);
	const targeted = async () =>
		await Promise.all(
			chunks.map(
				async (chunk) =>
					await xeroGetAllPages(ctx, {
						path: '/Contacts',
						tenantId,
						collectionKey: 'Contacts',
						qs: { where: chunk.join(' OR '), includeArchived: true },
						pageSize: CONTACT_PAGE_SIZE,
					}),
			),
		);
	if (chunks.length <= 1) return (await targeted()).flat() as unknown as XeroContact[];

	// Many customers: reading the whole contact list may take fewer calls than the targeted look-ups (an
	// organisation with 3,000 contacts is 3 pages; 200 customers are ~20 where-clauses). The first page says
	// how many pages there are; take whichever way costs fewer calls.
	const first = await xeroApiRequest<IDataObject>(ctx, {
		method: 'GET',
		path: '/Contacts',
		tenantId,
		qs: { page: 1, pageSize: CONTACT_PAGE_SIZE, includeArchived: true },
	});
	const firstPage = (Array.isArray(first.Contacts) ? first.Contacts : []) as XeroContact[];
	const pageCount = Number((first.pagination as IDataObject | undefined)?.pageCount);
	const remainingPages =
		firstPage.length < CONTACT_PAGE_SIZE
			? 0
			: Number.isFinite(pageCount)
				? pageCount - 1
				: Infinity;
	if (remainingPages >= chunks.length)
		return [...firstPage, ...((await targeted()).flat() as unknown as XeroContact[])];
	const rest = await Promise.all(
		Array.from({ length: remainingPages }, async (_, index) => {
			const body = await xeroApiRequest<IDataObject>(ctx, {
				method: 'GET',
				path: '/Contacts',
				tenantId,
				qs: { page: index + 2, pageSize: CONTACT_PAGE_SIZE, includeArchived: true },
			});
			return (Array.isArray(body.Contacts) ? body.Contacts : []) as XeroContact[];
		}),
	);
	return [...firstPage, ...rest.flat()];
}

interface ReferenceData {
	tenant?: TenantReference;
	categories: XeroTrackingCategory[];
	/** Why the tracking categories could not be read: only invoices with tracking need them. */
	trackingError?: string;
	/** Why the items could not be read: item codes are then left to Xero's own check. */
	itemsError?: string;
	/** A tax type's rate in percent, for the total Xero will compute (undefined: unknown to the organisation). */
	rateOf: (taxType: string) => number | undefined;
	/** Some of it came from the settings cache (so a miss or a refusal is worth one fresh read). */
	cached: boolean;
}

/** A reference read that only some invoices need: its failure is returned, except one that ends the run. */
async function readIfAllowed(
	ctx: IExecuteFunctions,
	read: () => Promise<IDataObject>,
): Promise<{ body: IDataObject } | { error: string }> {
	try {
		return { body: await read() };
	} catch (error) {
		if (isXeroStopError(error)) throw asNodeError(ctx, error);
		return { error: (error as Error).message };
	}
}

/**
 * The organisation's accounts, tax rates, tracking categories and items, from the per-organisation settings
 * cache (transport/orgSettings.ts) unless `fresh`. Correctness never rests on the cache: the caller re-reads
 * once when the cached lists lack something an invoice uses (`referenceMisses`) and when Xero refuses a code
 * they held.
 */
async function loadReference(
	ctx: IExecuteFunctions,
	tenantId: string,
	need: { validation: boolean; tracking: boolean; items: boolean; taxRates: boolean },
	fresh = false,
): Promise<ReferenceData> {
	let cached = false;
	const get = async (kind: OrgSettingKind) => {
		const read = await readOrgSettings(ctx, tenantId, kind, { fresh });
		if (read.cached) cached = true;
		return read.body;
	};
	// Accounts and tax rates check every invoice, so their failure is the run's; tracking categories and items
	// matter only to the invoices that use them (an organisation or scope may not allow GET /Items).
	const [accounts, taxRates, categories, items] = await Promise.all([
		need.validation ? get('accounts') : undefined,
		need.validation || need.taxRates ? get('taxRates') : undefined,
		need.tracking ? readIfAllowed(ctx, async () => await get('trackingCategories')) : undefined,
		need.validation && need.items ? readIfAllowed(ctx, async () => await get('items')) : undefined,
	]);
	const itemList = items && 'body' in items ? items.body.Items : undefined;
	const rates = new Map<string, number | undefined>();
	for (const rate of (taxRates?.TaxRates ?? []) as XeroTaxRate[])
		if (rate.TaxType) rates.set(rate.TaxType.trim().toUpperCase(), taxRatePercent(rate));
	return {
		tenant: need.validation
			? buildTenantReference(
					(accounts?.Accounts ?? []) as XeroAccount[],
					(taxRates?.TaxRates ?? []) as XeroTaxRate[],
					itemList ? (itemList as Array<{ Code?: string }>) : undefined,
				)
			: undefined,
		categories: (categories && 'body' in categories
			? (categories.body.TrackingCategories ?? [])
			: []) as XeroTrackingCategory[],
		trackingError: categories && 'error' in categories ? categories.error : undefined,
		itemsError: items && 'error' in items ? items.error : undefined,
		rateOf: (taxType: string) => rates.get(taxType.trim().toUpperCase()),
		cached,
	};
}

/**
 * Whether an invoice about to be checked uses an account code, tax type, item code or tracking option the
 * reference does not hold: from the cache, that may only mean the cache is older than the change in Xero.
 */
function referenceMisses(reference: ReferenceData, entries: Entry[]): boolean {
	const tracking = buildTrackingIndex(reference.categories);
	for (const entry of entries) {
		if (entry.mapped.cancelled) continue;
		for (const line of entry.mapped.payload.LineItems) {
			const tenant = reference.tenant;
			if (tenant && line.AccountCode && !tenant.accountsByCode.has(line.AccountCode.toUpperCase()))
				return true;
			if (line.TaxType) {
				if (tenant && !tenant.taxRatesByType.has(line.TaxType.toUpperCase())) return true;
				if (
					entry.mapped.commusoftTotal !== undefined &&
					reference.rateOf(line.TaxType) === undefined
				)
					return true;
			}
			if (tenant?.itemCodes && line.ItemCode && !tenant.itemCodes.has(line.ItemCode.toUpperCase()))
				return true;
			for (const t of line.Tracking ?? []) {
				const category = tracking.get(trackingKey(t.Name));
				if (!category || !category.active || !category.options.has(trackingKey(t.Option)))
					return true;
			}
		}
	}
	return false;
}

/** Xero refused a line for a setting (account, tax type, item, tracking), i.e. one a cache may have held. */
const SETTING_REFUSAL = /account code|tax ?type|item code|tracking (category|option)/i;

/**
 * Invoice numbers this process has seen in Xero, per organisation (bounded). A number not among them is
 * first sent as a create (PUT, which never touches an existing invoice); one among them is looked up first.
 */
const KNOWN_NUMBERS_PER_ORG = 20_000;
const MAX_ORGS_REMEMBERED = 200;
const knownNumbers = new Map<string, Set<string>>();

function knownNumbersOf(orgKey: string): Set<string> {
	let set = knownNumbers.get(orgKey);
	if (!set) {
		if (knownNumbers.size >= MAX_ORGS_REMEMBERED) {
			const oldest = knownNumbers.keys().next().value;
			if (oldest !== undefined) knownNumbers.delete(oldest);
		}
		set = new Set();
		knownNumbers.set(orgKey, set);
	}
	return set;
}

function rememberNumbers(orgKey: string, numbers: Array<string | undefined>): void {
	const set = knownNumbersOf(orgKey);
	for (const number of numbers) {
		const key = keyOf(number);
		if (!key) continue;
		set.delete(key);
		set.add(key);
	}
	while (set.size > KNOWN_NUMBERS_PER_ORG) {
		const oldest = set.values().next().value;
		if (oldest === undefined) break;
		set.delete(oldest);
	}
}

/** Xero's answer to a create whose ACCREC InvoiceNumber is taken (developer.xero.com/documentation/api/accounting/invoices). */
const NUMBER_TAKEN = /invoice #? ?must be unique/i;

function asNodeError(ctx: IExecuteFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error);
}

function fail(entry: Entry, message: string, extra: Omit<Failure, 'message'> = {}) {
	entry.failure = { message, ...extra };
}

function failInvalid(entry: Entry, issues: InvoiceIssue[]) {
	const errors = issues.filter((issue) => issue.severity === 'error').map(formatIssue);
	fail(
		entry,
		`invoice ${entry.mapped.matchKey || `#${entry.itemIndex}`}: ${errors.length} problem(s)`,
		{
			description: errors.join('\n'),
			validationErrors: errors,
		},
	);
}

function baseResult(entry: Entry): XeroInvoiceUpsertResult & IDataObject {
	const result: XeroInvoiceUpsertResult & IDataObject = {
		action: 'failed',
		invoiceNumber: entry.mapped.payload.InvoiceNumber ?? '',
		tenantId: entry.tenantId,
		warnings: [],
	};
	if (entry.input?.id) result.commusoftInvoiceId = String(entry.input.id);
	if (entry.mapped.payload.Reference) result.reference = entry.mapped.payload.Reference;
	return result;
}

function contactFields(entry: Entry, result: IDataObject) {
	const decision = entry.contact;
	if (!decision || decision.action === 'error') return;
	result.contactId = entry.contactId;
	result.contactName = decision.name;
	const previous = entry.existing?.Contact?.ContactID;
	if (previous && entry.contactId && previous !== entry.contactId) {
		result.contactAction = 'relinked';
		result.previousContactId = previous;
	} else result.contactAction = decision.action === 'create' ? 'created' : 'matched';
	if (decision.action === 'matched') result.contactMatchedBy = decision.by;
	if (decision.action === 'create' && decision.renamedFrom) {
		result.contactRenamedFrom = decision.renamedFrom;
		(result.warnings as string[]).push(
			`Xero already has a contact named "${decision.renamedFrom}" for another customer, so this customer's contact is "${decision.name}"`,
		);
	}
	if (decision.action === 'matched' && decision.warning)
		(result.warnings as string[]).push(decision.warning);
}

/** How one pass over an organisation's invoices runs (a second pass re-does only some of them). */
interface PassMode {
	/** send invoice numbers this process has not seen as creates, without looking them up first */
	guess: boolean;
	/** the entries already carry their contact from an earlier pass: no contact look-up or creation */
	reuseContacts: boolean;
	/** read the organisation's settings from Xero, not from the cache */
	freshSettings: boolean;
}

async function upsertForTenant(
	ctx: IExecuteFunctions,
	tenantId: string,
	entries: Entry[],
	settings: { matchOn: MatchOn; fallback: ContactFallback; options: UpsertOptions },
	mode: PassMode = { guess: true, reuseContacts: false, freshSettings: false },
): Promise<void> {
	const { matchOn, fallback, options } = settings;
	const live = entries.filter((e) => !e.failure);
	if (live.length === 0) return;

	const usesTracking = live.some((e) => e.mapped.payload.LineItems.some((l) => l.Tracking?.length));
	const orgKey = `${(await xeroUrls(ctx)).api}\u0000${tenantId}`;

	// Which invoices go straight to a create. Matching on Invoice Number, a create (PUT) of a number that exists
	// is refused by Xero with "Invoice # must be unique." and changes nothing, so a number this process has
	// not seen in Xero is sent as a create and looked up only if refused: for a new invoice that saves the
	// look-up. Numbers seen before (likely updates) and cancellations are looked up first. Above one batch,
	// a wrong guess costs more than the look-ups it saves, so large runs look everything up.
	const known = knownNumbersOf(orgKey);
	const guessable =
		mode.guess && matchOn === 'invoiceNumber'
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
		lookupKeys.length ? lookupInvoices(ctx, tenantId, matchOn, lookupKeys) : Promise.resolve([]),
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
				`${current.length} invoices in Xero have ${matchField(matchOn)} "${entry.mapped.matchKey}" (${current.map((i) => i.InvoiceNumber).join(', ')})`,
				{ description: 'Match on Invoice Number, or make the reference unique in Xero.' },
			);
		else entry.existing = current[0] ?? found[0];
	}

	// 2. Before writing anything else, set aside what will not be written: invoices Xero has frozen,
	// cancellations (they keep their contact), and lines the tenant's accounts or tax rates reject. Contacts
	// and tracking options are then created only for invoices that are going to Xero.
	const writers: Entry[] = [];
	for (const entry of live) {
		if (entry.failure) continue;
		if (entry.existing && !classifyExisting(entry.existing).editable) continue;
		if (entry.mapped.cancelled) continue;
		const lines = entry.mapped.payload.LineItems;
		if (reference.trackingError && lines.some((l) => l.Tracking?.length)) {
			fail(entry, `Xero's tracking categories could not be read: ${reference.trackingError}`, {
				description:
					'This invoice has tracking, which is checked against the categories before sending. Reconnect the Xero credential with the accounting.settings scope, or clear the Tracking mapping; invoices without tracking were still sent.',
			});
			continue;
		}
		if (reference.itemsError && lines.some((l) => l.ItemCode))
			entry.mapped.issues.push({
				severity: 'warning',
				field: 'ItemCode (itemCode)',
				message: `item codes were not checked before sending: Xero's items could not be read (${reference.itemsError})`,
				fix: 'Xero refuses the invoice if a code is not one of its items; allow the connection to read items (accounting.settings scope) to check them first',
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
				failInvalid(entry, errors);
				continue;
			}
		}
		// Xero's total must be Commusoft's to the penny: computed before anything is written (money.ts).
		const mismatch = checkInvoiceTotal(entry.mapped, reference.rateOf);
		if (mismatch) {
			failInvalid(entry, [mismatch]);
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
			});
			continue;
		}
		if (mode.reuseContacts && entry.contact && entry.contactId) {
			// decided (and created, if new) by the earlier pass
		} else if (!entry.customerRef) {
			fail(entry, 'the invoice has no customer account reference (customer.accountReference)', {
				description:
					'Xero contacts are keyed on the Commusoft account reference (Contact Code); map it.',
			});
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
		});
		if (entry.plan.kind === 'invalid') failInvalid(entry, entry.plan.issues);
	}

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
					path: '/Invoices',
					tenantId,
					collectionKey: 'Invoices',
					elements: batch.map(
						(e) =>
							(e.plan as Extract<ItemPlan, { kind: 'write' }>).payload as unknown as IDataObject,
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
		if (isPut(entry) && messages.some((m) => NUMBER_TAKEN.test(m))) taken.push(entry);
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
				? (outcome.element.InvoiceNumber as string | undefined)
				: undefined,
		),
	);

	// 6. Results.
	writes.forEach((entry, index) => {
		if (settled.has(entry)) return;
		const outcome = results[index];
		const plan = entry.plan as Extract<ItemPlan, { kind: 'write' }>;
		if (!outcome.ok) {
			fail(entry, `Xero refused invoice ${entry.mapped.matchKey}: ${outcome.error}`, {
				validationErrors: outcome.validationErrors,
			});
			return;
		}
		const result = baseResult(entry);
		const element = outcome.element as unknown as XeroInvoice & {
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
				`invoice ${entry.mapped.matchKey}: Xero's total ${element.Total} is not Commusoft's ${entry.mapped.commusoftTotal}`,
				{
					description: `${written.message}. The invoice was ${plan.action} in Xero as ${element.InvoiceNumber ?? entry.mapped.matchKey} (InvoiceID ${element.InvoiceID}). Fix: ${written.fix}.`,
					validationErrors: [formatIssue(written)],
				},
			);
			return;
		}
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

/**
 * Invoice → Upsert: make Xero match each input invoice (create, update keeping LineItemIDs, leave unchanged,
 * or refuse when Xero has frozen it), with batched look-ups and writes and one output item per input item.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const options = this.getNodeParameter('options', 0, {}) as UpsertOptions;
	const matchOn = this.getNodeParameter('matchOn', 0, 'invoiceNumber') as MatchOn;
	const fallback = this.getNodeParameter('contactFallback', 0, 'email') as ContactFallback;
	const vatEntries = this.getNodeParameter('vatMap.rate', 0, []) as Array<{
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
				input: readInvoice(this, itemIndex, items[itemIndex]),
				tenantId: await resolveTenantId(this, itemIndex),
				tracking: (
					this.getNodeParameter('tracking.mapping', itemIndex, []) as Array<{
						category?: string;
						option?: unknown;
					}>
				).map((m) => ({
					category: String(m.category ?? ''),
					option: m.option === undefined || m.option === null ? '' : String(m.option),
				})),
				status: this.getNodeParameter('status', itemIndex, 'DRAFT') as TargetStatus,
			};
		} catch (error) {
			if (isXeroStopError(error)) throw asNodeError(this, error);
			const description = (error as { description?: unknown }).description;
			unreadable.set(itemIndex, {
				message: (error as Error).message,
				description: typeof description === 'string' ? description : undefined,
			});
			continue;
		}
		const { tenantId, input, tracking, status } = read;
		const mapped = mapInvoice(input, { status, vatMap, tracking, matchOn });
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
		if (errors.length)
			fail(entry, `invoice ${mapped.matchKey || `#${itemIndex}`}: ${errors.length} problem(s)`, {
				description: errors.map(formatIssue).join('\n'),
				validationErrors: errors.map(formatIssue),
			});
		else if (!entry.customerRef && !mapped.cancelled)
			fail(entry, `invoice ${mapped.matchKey}: the customer has no account reference`, {
				description:
					'customer.accountReference is missing. Xero contacts are keyed on the Commusoft account reference (Contact Code); map it.',
			});
		entries.push(entry);
	}

	// The same invoice twice in one run: the last item wins, earlier ones say so (one write per invoice).
	const lastByKey = new Map<string, Entry>();
	for (const entry of entries) {
		if (entry.failure) continue;
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

	const continueOnFail = this.continueOnFail();
	if (!continueOnFail) {
		const invalid = [
			...[...unreadable].map(([itemIndex, failure]) => ({ itemIndex, failure })),
			...entries.filter((e) => e.failure),
		].sort((a, b) => a.itemIndex - b.itemIndex)[0];
		if (invalid)
			throw new NodeOperationError(this.getNode(), invalid.failure!.message, {
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
	const matchOnSettings = { matchOn, fallback, options };
	for (const [tenantId, tenantEntries] of byTenant) {
		try {
			await upsertForTenant(this, tenantId, tenantEntries, matchOnSettings);
		} catch (error) {
			// Run-wide failures (daily limit, authentication, look-ups that exhausted their retries) fail every
			// item of the tenant that has no result yet; nothing half-written is reported as done.
			if (!continueOnFail) throw asNodeError(this, error);
			for (const entry of tenantEntries)
				if (!entry.result && !entry.failure)
					fail(entry, (error as Error).message, {
						description: (error as { description?: string }).description ?? undefined,
					});
		}
	}

	// Edits Xero will not take (the invoice is paid, credited or voided there and Commusoft now differs) fail
	// their item unless the user asked for them on the success output: someone must act on them.
	if (options.refusedInvoices !== 'report')
		for (const entry of entries) {
			const plan = entry.plan;
			if (entry.result?.action !== 'refused' || plan?.kind !== 'refused' || !plan.existing)
				continue;
			fail(entry, `Xero will not edit invoice ${entry.mapped.matchKey}: ${plan.reason}`, {
				description:
					'Make the change in Xero (remove the payment or allocation, or raise a credit note), or cancel the change in Commusoft. To list these as results instead, set Options → Refused Invoices → Report on the Success Output.',
				details: {
					action: 'refused',
					invoiceId: plan.existing.InvoiceID,
					status: plan.existing.Status,
					reason: plan.reason,
				},
			});
			entry.result = undefined;
		}

	for (const entry of entries)
		if (entry.supersededBy && entry.result) entry.result.reason = duplicateReason(entry, matchOn);

	if (!continueOnFail) {
		const failed = entries.find((e) => e.failure);
		if (failed) {
			const done = entries.filter((e) => e.result && e.result.action !== 'refused').length;
			throw new NodeOperationError(
				this.getNode(),
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
	const budget = xeroBudgetWarnings(this);
	for (const entry of entries) {
		if (!entry.result) continue;
		const warnings = [
			...((entry.result.warnings as string[] | undefined) ?? []),
			...budget.filter((warning) => warning.includes(entry.tenantId)),
		];
		entry.result.warnings = [...new Set(warnings)];
	}

	const byIndex = new Map(entries.map((entry) => [entry.itemIndex, entry]));
	return items.map((_, itemIndex) => {
		const entry = byIndex.get(itemIndex);
		const failure = entry ? entry.failure : unreadable.get(itemIndex);
		if (failure) {
			const invoiceNumber = entry?.mapped.payload.InvoiceNumber ?? '';
			// n8n's error output takes items whose json has only error/message/details (n8n-core
			// WorkflowExecute.handleNodeErrorOutput), and merges in the input item.
			return {
				json: {
					error: failure.message,
					details: {
						itemIndex,
						invoiceNumber,
						commusoftInvoiceId: entry?.input?.id ?? '',
						...failure.details,
						...(failure.description ? { description: failure.description } : {}),
						validationErrors: failure.validationErrors ?? [],
						reportLine: failureReportLine(
							invoiceNumber || String(items[itemIndex].json.invoiceNumber ?? ''),
							entry?.input?.customer ?? items[itemIndex].json.customer,
							failure,
						),
					},
				},
				pairedItem: { item: itemIndex },
			};
		}
		return { json: entry!.result as IDataObject, pairedItem: { item: itemIndex } };
	});
}
