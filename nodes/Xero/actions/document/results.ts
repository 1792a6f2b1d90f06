import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { chatText } from '../../../shared/chatText';
import { supersededReason, type SentOutcome } from '../../../shared/supersededReason';
import type { MatchOn } from '../../mapping/invoice';
import type { XeroInvoiceUpsertResult } from '../../records';
import { matchField, type Entry, type Failure } from './entry';
import type { DocumentKind } from './kind';

/**
 * One line of a failure digest for chat or e-mail ("• CS-10042 (Mrs Smith): … Fix: …"), escaped for chat as a
 * whole: the customer's name and Xero's messages are other people's text.
 */
export function failureReportLine(
	invoiceNumber: string,
	customer: unknown,
	failure: Failure,
): string {
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
export function duplicateReason(
	entry: Pick<Entry, 'mapped' | 'supersededBy'>,
	kind: DocumentKind,
	matchOn: MatchOn,
): string {
	let sent = entry.supersededBy!;
	while (sent.supersededBy) sent = sent.supersededBy;
	const lead = `not sent: item ${sent.itemIndex} later in this run carries the same ${matchField(kind, matchOn)} "${entry.mapped.matchKey}" and only the last one is sent`;
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

export function baseResult(entry: Entry): XeroInvoiceUpsertResult & IDataObject {
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

export function contactFields(entry: Entry, result: IDataObject) {
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

/**
 * A result in the kind's field names: the engine fills invoice names (invoiceNumber, invoiceId,
 * commusoftInvoiceId); a credit note's result says creditNoteNumber, creditNoteId, commusoftCreditNoteId.
 */
export function renameFields(kind: DocumentKind, json: IDataObject): IDataObject {
	const names = kind.resultFields;
	if (names.number === 'invoiceNumber') return json;
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(json)) {
		const name =
			key === 'invoiceNumber'
				? names.number
				: key === 'invoiceId'
					? names.id
					: key === 'commusoftInvoiceId'
						? names.commusoftId
						: key;
		out[name] = value;
	}
	return out;
}

/** One output item per input item: the result, or an error item shaped for n8n's error output. */
export function outputItems(
	kind: DocumentKind,
	items: INodeExecutionData[],
	entries: Entry[],
	unreadable: Map<number, Failure>,
): INodeExecutionData[] {
	const byIndex = new Map(entries.map((entry) => [entry.itemIndex, entry]));
	return items.map((_, itemIndex) => {
		const entry = byIndex.get(itemIndex);
		const failure = entry ? entry.failure : unreadable.get(itemIndex);
		if (failure) {
			const invoiceNumber = entry?.mapped.payload.InvoiceNumber ?? '';
			const given = items[itemIndex].json;
			// n8n's error output takes items whose json has only error/message/details (n8n-core
			// WorkflowExecute.handleNodeErrorOutput), and merges in the input item.
			return {
				json: {
					error: failure.message,
					details: renameFields(kind, {
						itemIndex,
						invoiceNumber,
						commusoftInvoiceId: entry?.input?.id ?? '',
						...failure.details,
						...(failure.description ? { description: failure.description } : {}),
						validationErrors: failure.validationErrors ?? [],
						reportLine: failureReportLine(
							invoiceNumber || String(given[kind.resultFields.number] ?? given.invoiceNumber ?? ''),
							entry?.input?.customer ?? given.customer,
							failure,
						),
					}),
				},
				pairedItem: { item: itemIndex },
			};
		}
		return {
			json: renameFields(kind, entry!.result as IDataObject),
			pairedItem: { item: itemIndex },
		};
	});
}
