/**
 * The reason given to an item that was not sent because a later item of the same run carries the same record
 * (one write per record). It is built once every item has its outcome, from what became of the item that was sent
 * instead, so it never claims a write that did not happen.
 */
export type SentOutcome =
	| { kind: 'failed'; message: string }
	| { kind: 'written'; action: string }
	| { kind: 'unchanged' }
	| { kind: 'notWritten'; verb: 'refused' | 'skipped'; reason?: string };

/**
 * `lead` says which item was sent and why this one was not, e.g. `not sent: item 3 later in this run carries the
 * same InvoiceNumber "CS-1" and only the last one is sent`; `sent` is that item's index; `target` names where the
 * write goes ("Xero").
 */
export function supersededReason(
	lead: string,
	sent: number,
	outcome: SentOutcome | undefined,
	target: string,
): string {
	if (!outcome) return `${lead}; item ${sent} has no outcome, so nothing is known to be written`;
	switch (outcome.kind) {
		case 'failed':
			return `${lead}, but item ${sent} failed (${outcome.message}), so this record was not written to ${target} by this run. Fix: correct item ${sent} (see its error) and run again`;
		case 'written':
			return `${lead}; item ${sent} was written to ${target} (${outcome.action})`;
		case 'unchanged':
			return `${lead}; ${target} already matched item ${sent}, so nothing was written`;
		case 'notWritten':
			return `${lead}; item ${sent} was ${outcome.verb} too${outcome.reason ? ` (${outcome.reason})` : ''}, so nothing was written to ${target}`;
	}
}
