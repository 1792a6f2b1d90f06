import type { InvoiceIssue, XeroAccount, XeroInvoicePayload, XeroTaxRate } from './types';

/**
 * The tenant's chart of accounts and tax rates, indexed once per execution so that checking a line is two
 * map look-ups (10,000 lines must validate in a few milliseconds).
 */
export interface TenantReference {
	accountsByCode: Map<string, XeroAccount>;
	taxRatesByType: Map<string, XeroTaxRate>;
	/** Item codes of the organisation (upper-cased), when they were loaded. */
	itemCodes?: Set<string>;
}

export function buildTenantReference(
	accounts: XeroAccount[],
	taxRates: XeroTaxRate[],
	items?: Array<{ Code?: string }>,
): TenantReference {
	const accountsByCode = new Map<string, XeroAccount>();
	for (const account of accounts) {
		if (!account.Code) continue;
		const key = account.Code.trim().toUpperCase();
		const current = accountsByCode.get(key);
		// An archived duplicate must not hide the active account with the same code.
		if (!current || (current.Status !== 'ACTIVE' && account.Status === 'ACTIVE'))
			accountsByCode.set(key, account);
	}
	const taxRatesByType = new Map<string, XeroTaxRate>();
	for (const rate of taxRates)
		if (rate.TaxType) taxRatesByType.set(rate.TaxType.trim().toUpperCase(), rate);
	const itemCodes = items
		? new Set(items.map((item) => (item.Code ?? '').trim().toUpperCase()).filter(Boolean))
		: undefined;
	return { accountsByCode, taxRatesByType, itemCodes };
}

export type UnknownItemCodePolicy = 'omit' | 'fail';

/**
 * Xero rejects a line whose ItemCode is not an item of the organisation ("Item code 'X' is not valid",
 * docs/xero-rules.md §2.2), and Commusoft part codes often are not. With 'omit' the code is dropped from the line
 * (description, price and account still go) and a warning says so; with 'fail' the line is an error.
 * Mutates `payload` (the execution's own copy) and returns the issues.
 */
export function applyItemCodePolicy(
	payload: XeroInvoicePayload,
	lineIds: Array<string | undefined>,
	tenant: TenantReference,
	policy: UnknownItemCodePolicy,
): InvoiceIssue[] {
	const issues: InvoiceIssue[] = [];
	if (!tenant.itemCodes) return issues;
	payload.LineItems.forEach((line, index) => {
		if (!line.ItemCode || tenant.itemCodes!.has(line.ItemCode.toUpperCase())) return;
		const where = { line: index + 1, lineId: lineIds[index], field: 'ItemCode (itemCode)' };
		if (policy === 'fail')
			issues.push({
				severity: 'error',
				...where,
				message: `item code "${line.ItemCode}" is not an item in Xero`,
				fix: 'add the item in Xero (Business → Products and services), or set Unknown Item Codes to Leave Out',
			});
		else {
			issues.push({
				severity: 'warning',
				...where,
				message: `item code "${line.ItemCode}" is not an item in Xero, so the line was sent without it`,
				fix: 'add the item in Xero to link the line to it',
			});
			delete line.ItemCode;
		}
	});
	return issues;
}

// Accounts Xero refuses on invoice lines: bank accounts and the control/system accounts it posts to itself.
const SYSTEM_ACCOUNTS_NOT_FOR_LINES = new Set([
	'DEBTORS',
	'CREDITORS',
	'GST',
	'RETAINEDEARNINGS',
	'HISTORICAL',
]);
const CLASS_FLAG: Record<string, keyof XeroTaxRate> = {
	REVENUE: 'CanApplyToRevenue',
	EXPENSE: 'CanApplyToExpenses',
	ASSET: 'CanApplyToAssets',
	LIABILITY: 'CanApplyToLiabilities',
	EQUITY: 'CanApplyToEquity',
};

function describeActive(
	map: Map<string, { Status?: string }>,
	label: (key: string) => string,
	limit = 8,
): string {
	const keys: string[] = [];
	for (const [key, value] of map) {
		if ((value.Status ?? 'ACTIVE') !== 'ACTIVE') continue;
		keys.push(label(key));
		if (keys.length >= limit) {
			keys.push('…');
			break;
		}
	}
	return keys.join(', ');
}

/**
 * Check each line against the tenant: account codes that exist and are active and usable on a sales line,
 * tax types that exist, are active and may be used with that account's class (the "TaxType cannot be used
 * with account code" rejection integrations report).
 */
export function validateAgainstTenant(
	payload: XeroInvoicePayload,
	lineIds: Array<string | undefined>,
	tenant: TenantReference,
): InvoiceIssue[] {
	const issues: InvoiceIssue[] = [];
	const lines = payload.LineItems;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i];
		const where = { line: i + 1, lineId: lineIds[i] };
		let account: XeroAccount | undefined;
		if (line.AccountCode) {
			account = tenant.accountsByCode.get(line.AccountCode.toUpperCase());
			if (!account)
				issues.push({
					severity: 'error',
					...where,
					field: 'AccountCode (nominalCode)',
					message: `account code "${line.AccountCode}" does not exist in Xero`,
					fix: `link the Commusoft nominal code to an active Xero account (e.g. ${describeActive(tenant.accountsByCode, (k) => k, 5)})`,
				});
			else if ((account.Status ?? 'ACTIVE') !== 'ACTIVE')
				issues.push({
					severity: 'error',
					...where,
					field: 'AccountCode (nominalCode)',
					message: `account code "${line.AccountCode}" (${account.Name ?? ''}) is ${String(account.Status).toLowerCase()} in Xero`,
					fix: 'restore the account in Xero or link the nominal code to an active account',
				});
			else if (
				account.Type === 'BANK' ||
				SYSTEM_ACCOUNTS_NOT_FOR_LINES.has(account.SystemAccount ?? '')
			)
				issues.push({
					severity: 'error',
					...where,
					field: 'AccountCode (nominalCode)',
					message: `account code "${line.AccountCode}" (${account.Name ?? ''}) is a ${account.Type === 'BANK' ? 'bank' : 'system'} account and cannot be used on an invoice line`,
					fix: 'link the nominal code to a revenue account',
				});
		}
		if (line.TaxType) {
			const rate = tenant.taxRatesByType.get(line.TaxType.toUpperCase());
			if (!rate)
				issues.push({
					severity: 'error',
					...where,
					field: 'TaxType (vatRate)',
					message: `tax type "${line.TaxType}" does not exist in this Xero organisation`,
					fix: `map the VAT rate to one of: ${describeActive(tenant.taxRatesByType, (k) => k)}`,
				});
			else if ((rate.Status ?? 'ACTIVE') !== 'ACTIVE')
				issues.push({
					severity: 'error',
					...where,
					field: 'TaxType (vatRate)',
					message: `tax type "${line.TaxType}" (${rate.Name ?? ''}) is ${String(rate.Status).toLowerCase()} in Xero`,
					fix: 'map the VAT rate to an active tax rate',
				});
			else if (account?.Class && (account.Status ?? 'ACTIVE') === 'ACTIVE') {
				const flag = CLASS_FLAG[account.Class];
				if (flag && rate[flag] === false)
					issues.push({
						severity: 'error',
						...where,
						field: 'TaxType (vatRate)',
						message: `tax type "${line.TaxType}" cannot be used with account code "${line.AccountCode}" (a ${account.Class.toLowerCase()} account)`,
						fix: 'map this VAT rate to a sales tax type, or use another account',
					});
			}
		}
	}
	return issues;
}

/** One readable sentence per issue: "Line 2 (id L-9), AccountCode (nominalCode): … Fix: …". */
export function formatIssue(issue: InvoiceIssue): string {
	const where = issue.line
		? `Line ${issue.line}${issue.lineId ? ` (id ${issue.lineId})` : ''}, `
		: '';
	return `${where}${issue.field}: ${issue.message}. Fix: ${issue.fix}.`;
}

export function hasErrors(issues: InvoiceIssue[]): boolean {
	return issues.some((issue) => issue.severity === 'error');
}
