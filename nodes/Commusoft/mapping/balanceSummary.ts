// The Xero balance summary stored on a Commusoft customer (assumed endpoint, docs/commusoft-api-contract.md
// "Customer accounting summary"): built from one Xero Accounting → Contact → Get Balances item, compared with
// what is stored so an unchanged summary is never rewritten. Pure: no n8n context, no HTTP.
import { roundMoney as round2 } from '../../Xero/mapping/money';

import { checkRecord, type FieldProblem, type FieldRule } from '../../shared/recordCheck';

export interface XeroBalanceItem {
	contactId?: string | null;
	currency?: string;
	balanceOutstanding: number;
	balanceOverdue: number;
	overdueInvoiceCount?: number;
	oldestOverdueDate?: string | null;
	unallocatedCredit?: number;
	lastPaymentDate?: string | null;
	lastPaymentAmount?: number | null;
}

export type CreditLimitBasis = 'outstanding' | 'overdue';

export interface SummarySettings {
	/** 0 or less: no credit limit, never "on stop" */
	creditLimit: number;
	creditLimitBasis: CreditLimitBasis;
}

/** What is written (PUT /customers/{uuid}/accountingSummary); `asAt` is left out of comparisons. */
export interface BalanceSummary {
	xeroContactId?: string;
	currency: string;
	balanceOutstanding: number;
	balanceOverdue: number;
	overdueInvoiceCount: number;
	oldestOverdueDate: string | null;
	unallocatedCredit: number;
	lastPaymentDate: string | null;
	lastPaymentAmount: number | null;
	onStop: boolean;
	creditLimit: number | null;
	note: string;
	asAt: string;
}

export type SummaryAction = 'created' | 'updated' | 'cleared' | 'unchanged';

function money(currency: string, amount: number): string {
	const symbol =
		currency === 'GBP' ? '£' : currency === 'EUR' ? '€' : currency === 'USD' ? '$' : '';
	return symbol ? `${symbol}${amount.toFixed(2)}` : `${amount.toFixed(2)} ${currency}`;
}

const FROM_GET_BALANCES =
	'connect this node after Xero Accounting → Contact → Get Balances, or map the field as it emits it';

/** The fields read from one Get Balances item (XeroContactBalance, ARCHITECTURE.md). */
export const BALANCE_ITEM_FIELDS: readonly FieldRule[] = [
	{ field: 'xeroContactFound', kind: 'boolean', fix: FROM_GET_BALANCES },
	{ field: 'contactId', kind: 'text', nullable: true, fix: FROM_GET_BALANCES },
	{ field: 'currency', kind: 'text', fix: 'give the currency code as text, e.g. "GBP"' },
	{
		field: 'balanceOutstanding',
		kind: 'number',
		required: true,
		fix: `give the amount as a number such as 120.5; ${FROM_GET_BALANCES}`,
	},
	{
		field: 'balanceOverdue',
		kind: 'number',
		required: true,
		fix: `give the amount as a number such as 120.5; ${FROM_GET_BALANCES}`,
	},
	{ field: 'overdueInvoiceCount', kind: 'number', fix: 'give the count as a number' },
	{
		field: 'oldestOverdueDate',
		kind: 'day',
		nullable: true,
		fix: 'give the date as YYYY-MM-DD, or null',
	},
	{ field: 'unallocatedCredit', kind: 'number', fix: 'give the amount as a number such as 20' },
	{
		field: 'lastPaymentDate',
		kind: 'day',
		nullable: true,
		fix: 'give the date as YYYY-MM-DD, or null',
	},
	{
		field: 'lastPaymentAmount',
		kind: 'number',
		nullable: true,
		fix: 'give the amount as a number, or null',
	},
];

/** Every field of one Get Balances item the summary cannot read (empty: the item is readable). */
export function balanceItemProblems(json: Record<string, unknown>): FieldProblem[] {
	return checkRecord(json, BALANCE_ITEM_FIELDS);
}

/** Whether the customer owes nothing and holds no credit: the summary is then cleared. */
export function owesNothing(balance: XeroBalanceItem): boolean {
	return (
		round2(balance.balanceOutstanding) === 0 &&
		round2(balance.balanceOverdue) === 0 &&
		round2(balance.unallocatedCredit ?? 0) === 0
	);
}

export function buildSummary(
	balance: XeroBalanceItem,
	settings: SummarySettings,
	asAt: string,
): BalanceSummary {
	const currency = (balance.currency || 'GBP').toUpperCase();
	const outstanding = round2(balance.balanceOutstanding);
	const overdue = round2(balance.balanceOverdue);
	const credit = round2(balance.unallocatedCredit ?? 0);
	const limit = settings.creditLimit > 0 ? round2(settings.creditLimit) : null;
	const measured = settings.creditLimitBasis === 'overdue' ? overdue : outstanding;
	const onStop = limit !== null && measured > limit;
	const overdueCount = balance.overdueInvoiceCount ?? 0;

	const parts: string[] = [];
	if (onStop) {
		parts.push(
			`ON STOP: ${settings.creditLimitBasis === 'overdue' ? 'overdue' : 'owes'} ${money(currency, measured)}, over the ${money(currency, limit)} credit limit.`,
		);
	}
	if (outstanding > 0) {
		parts.push(
			overdue > 0
				? `Owes ${money(currency, outstanding)} in Xero; ${money(currency, overdue)} overdue (${overdueCount} invoice${overdueCount === 1 ? '' : 's'}, oldest due ${balance.oldestOverdueDate ?? '?'}).`
				: `Owes ${money(currency, outstanding)} in Xero, nothing overdue.`,
		);
	} else if (credit > 0) {
		parts.push('Owes nothing in Xero.');
	}
	if (credit > 0) parts.push(`Unallocated credit ${money(currency, credit)}.`);
	if (parts.length && balance.lastPaymentDate && balance.lastPaymentAmount !== null) {
		parts.push(
			`Last payment ${money(currency, balance.lastPaymentAmount ?? 0)} on ${balance.lastPaymentDate}.`,
		);
	}

	return {
		...(balance.contactId ? { xeroContactId: balance.contactId } : {}),
		currency,
		balanceOutstanding: outstanding,
		balanceOverdue: overdue,
		overdueInvoiceCount: overdueCount,
		oldestOverdueDate: overdue > 0 ? (balance.oldestOverdueDate ?? null) : null,
		unallocatedCredit: credit,
		lastPaymentDate: balance.lastPaymentDate ?? null,
		lastPaymentAmount:
			balance.lastPaymentAmount === null || balance.lastPaymentAmount === undefined
				? null
				: round2(balance.lastPaymentAmount),
		onStop,
		creditLimit: limit,
		note: parts.join(' '),
		asAt,
	};
}

const COMPARED: Array<keyof BalanceSummary> = [
	'xeroContactId',
	'currency',
	'balanceOutstanding',
	'balanceOverdue',
	'overdueInvoiceCount',
	'oldestOverdueDate',
	'unallocatedCredit',
	'lastPaymentDate',
	'lastPaymentAmount',
	'onStop',
	'creditLimit',
	'note',
];

function normalised(value: unknown): unknown {
	if (value === undefined || value === '') return null;
	return typeof value === 'string' ? value.trim() : value;
}

/** Fields whose stored value differs from the next summary (asAt and updatedAt never count). */
export function changedFields(stored: object | undefined, next: BalanceSummary): string[] {
	if (!stored) return COMPARED.filter((f) => next[f] !== undefined);
	const before = stored as Record<string, unknown>;
	return COMPARED.filter((field) => {
		const a = normalised(before[field]);
		const b = normalised(next[field]);
		if (typeof a === 'number' || typeof b === 'number')
			return round2(Number(a)) !== round2(Number(b));
		if (field === 'onStop') return Boolean(a) !== Boolean(b);
		return a !== b;
	});
}

/**
 * What to do with one customer: `created` (first summary), `updated`, `cleared` (it owed before and owes
 * nothing now) or `unchanged` (same figures, or nothing owed and nothing stored, so nothing to write).
 */
export function decideSummaryAction(
	stored: object | undefined,
	next: BalanceSummary,
	balance: XeroBalanceItem,
): SummaryAction {
	if (owesNothing(balance)) {
		if (!stored) return 'unchanged';
		return changedFields(stored, next).length ? 'cleared' : 'unchanged';
	}
	if (!stored) return 'created';
	return changedFields(stored, next).length ? 'updated' : 'unchanged';
}
