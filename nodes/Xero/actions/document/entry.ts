import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ContactDecision, ContactFallback } from '../../mapping/contact';
import type { MappedInvoice, MatchOn, TargetStatus } from '../../mapping/invoice';
import type { CommusoftInvoiceInput, InvoiceIssue, XeroInvoice } from '../../mapping/types';
import type { ItemPlan } from '../../mapping/upsertPlan';
import { formatIssue, type UnknownItemCodePolicy } from '../../mapping/validation';
import type { XeroInvoiceUpsertResult } from '../../records';
import type { DocumentKind } from './kind';

export interface UpsertOptions {
	refused?: 'fail' | 'report';
	createTrackingOptions?: boolean;
	unknownItemCodes?: UnknownItemCodePolicy;
	trackingOptionCap?: number;
	validateAgainstXero?: boolean;
	batchSize?: number;
	/** YYYY-MM-DD: documents dated before it are skipped */
	sendFromDate?: string;
}

/** The node-wide settings of one run. */
export interface UpsertSettings {
	kind: DocumentKind;
	matchOn: MatchOn;
	fallback: ContactFallback;
	options: UpsertOptions;
	/** the kind's own checks on the entries about to be written (fail what must not be written) */
	beforeWrite?: (ctx: IExecuteFunctions, tenantId: string, entries: Entry[]) => Promise<void>;
}

/** Per input item, everything known about it as the run progresses. */
export interface Entry {
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
	/** the document as Xero answered the write (invoice shape) */
	written?: XeroInvoice;
	result?: XeroInvoiceUpsertResult & IDataObject;
	failure?: Failure;
	/** A later item of this run with the same match key: that one is sent instead of this one. */
	supersededBy?: Entry;
}

/** Why an item failed; `details` adds what the error output should carry beside the usual fields. */
export interface Failure {
	message: string;
	description?: string;
	validationErrors?: string[];
	details?: IDataObject;
}

export function matchField(kind: DocumentKind, matchOn: MatchOn): string {
	return matchOn === 'reference' ? 'Reference' : kind.numberField;
}

export const keyOf = (value: string | undefined) => (value ?? '').trim().toLowerCase();

export function asNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error);
}

export function fail(entry: Entry, message: string, extra: Omit<Failure, 'message'> = {}) {
	entry.failure = { message, ...extra };
}

export function failInvalid(entry: Entry, issues: InvoiceIssue[], noun: string) {
	const errors = issues.filter((issue) => issue.severity === 'error').map(formatIssue);
	fail(
		entry,
		`${noun} ${entry.mapped.matchKey || `#${entry.itemIndex}`}: ${errors.length} problem(s)`,
		{
			description: errors.join('\n'),
			validationErrors: errors,
		},
	);
}

/**
 * Document numbers this process has seen in Xero, per organisation (bounded). A number not among them is
 * first sent as a create (PUT, which never touches an existing invoice); one among them is looked up first.
 */
const KNOWN_NUMBERS_PER_ORG = 20_000;
const MAX_ORGS_REMEMBERED = 200;
const knownNumbers = new Map<string, Set<string>>();

export function knownNumbersOf(orgKey: string): Set<string> {
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

export function rememberNumbers(orgKey: string, numbers: Array<string | undefined>): void {
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
