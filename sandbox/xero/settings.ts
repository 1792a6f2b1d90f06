// Accounts, TaxRates, TrackingCategories (+ Options), Organisation and the AgedReceivablesByContact report.
// Tracking rules (docs/xero-rules.md §4): ≤2 ACTIVE and ≤4 total categories, option cap per category (configurable,
// default 100), unique names.
import { GUID_RE, q } from '../shared/http';
import {
	ApiContext,
	ApiResult,
	asObject,
	elementsOf,
	filterList,
	listAnswer,
	notFound,
	parseBool,
	singleValidationError,
	str,
} from './api';
import { round } from './calc';
import { msDate } from './clock';
import {
	accountJson,
	itemJson,
	organisationJson,
	taxRateJson,
	trackingCategoryJson,
} from './serialize';
import type { AccountRecord, TrackingCategoryRecord } from './types';

export function getAccounts(ctx: ApiContext): ApiResult {
	const result = filterList(
		ctx,
		ctx.tenant.accounts
			.filter((a) => a.Status !== 'DELETED')
			.map((a) => ({ json: () => accountJson(a), updated: a.UpdatedDateUTC })),
		{ paged: false },
	);
	return listAnswer('Accounts', result);
}

export function getAccount(ctx: ApiContext): ApiResult {
	const a = ctx.tenant.accounts.find(
		(x) => x.AccountID.toLowerCase() === ctx.params[0].toLowerCase(),
	);
	if (!a) throw notFound();
	return { status: 200, body: { Accounts: [accountJson(a)] } };
}

const ACCOUNT_CLASSES: Record<string, AccountRecord['Class']> = {
	BANK: 'ASSET',
	CURRENT: 'ASSET',
	FIXED: 'ASSET',
	NONCURRENT: 'ASSET',
	PREPAYMENT: 'ASSET',
	INVENTORY: 'ASSET',
	CURRLIAB: 'LIABILITY',
	LIABILITY: 'LIABILITY',
	TERMLIAB: 'LIABILITY',
	EQUITY: 'EQUITY',
	DIRECTCOSTS: 'EXPENSE',
	EXPENSE: 'EXPENSE',
	OVERHEADS: 'EXPENSE',
	DEPRECIATN: 'EXPENSE',
	REVENUE: 'REVENUE',
	SALES: 'REVENUE',
	OTHERINCOME: 'REVENUE',
};

/** PUT /Accounts takes one Account (docs/xero-rules.md §2.1). */
export function putAccount(ctx: ApiContext): ApiResult {
	const input = asObject(ctx.body) ?? {};
	const code = str(input.Code) ?? '';
	const name = (str(input.Name) ?? '').trim();
	const type = (str(input.Type) ?? '').toUpperCase();
	const errors: string[] = [];
	if (!code || code.length > 10) errors.push('Account Code must be 1 to 10 characters.');
	if (ctx.tenant.accounts.some((a) => a.Code === code && a.Status !== 'DELETED'))
		errors.push('Please enter a unique Code.');
	if (!name) errors.push('Account Name must be specified.');
	if (name.length > 150) errors.push('Account Name must be at most 150 characters.');
	if (
		ctx.tenant.accounts.some(
			(a) => a.Name.toLowerCase() === name.toLowerCase() && a.Status !== 'DELETED',
		)
	)
		errors.push('Please enter a unique Name.');
	if (!ACCOUNT_CLASSES[type]) errors.push(`Account Type '${type}' is not valid.`);
	if (errors.length) throw singleValidationError(errors.join(' '));
	const account: AccountRecord = {
		AccountID: ctx.newId(),
		Code: code,
		Name: name,
		Type: type,
		Class: ACCOUNT_CLASSES[type],
		Status: 'ACTIVE',
		TaxType: str(input.TaxType) ?? 'NONE',
		Description: str(input.Description),
		EnablePaymentsToAccount: input.EnablePaymentsToAccount === true,
		ShowInExpenseClaims: input.ShowInExpenseClaims === true,
		BankAccountNumber: str(input.BankAccountNumber),
		BankAccountType: type === 'BANK' ? 'BANK' : '',
		UpdatedDateUTC: ctx.now,
	};
	ctx.tenant.accounts.push(account);
	return { status: 200, body: { Accounts: [accountJson(account)] } };
}

/** POST /Accounts/{AccountID}: rename, archive (Status ARCHIVED) or restore. */
export function postAccount(ctx: ApiContext): ApiResult {
	const a = ctx.tenant.accounts.find(
		(x) => x.AccountID.toLowerCase() === ctx.params[0].toLowerCase(),
	);
	if (!a) throw notFound();
	const input = asObject(elementsOf(ctx.body, 'Accounts', true)[0]) ?? {};
	if (input.Status !== undefined) {
		const s = (str(input.Status) ?? '').toUpperCase();
		if (s !== 'ACTIVE' && s !== 'ARCHIVED')
			throw singleValidationError('Account Status must be ACTIVE or ARCHIVED.');
		a.Status = s;
	}
	if (typeof input.Name === 'string' && input.Name.trim()) {
		if (input.Name.trim().length > 150)
			throw singleValidationError('Account Name must be at most 150 characters.');
		a.Name = input.Name.trim();
	}
	if (typeof input.Description === 'string') a.Description = input.Description;
	if (typeof input.EnablePaymentsToAccount === 'boolean')
		a.EnablePaymentsToAccount = input.EnablePaymentsToAccount;
	a.UpdatedDateUTC = ctx.now;
	return { status: 200, body: { Accounts: [accountJson(a)] } };
}

export function getTaxRates(ctx: ApiContext): ApiResult {
	let list = ctx.tenant.taxRates;
	const taxType = q(ctx.query, 'TaxType');
	if (taxType) list = list.filter((t) => t.TaxType === taxType);
	const result = filterList(
		ctx,
		list.map((t) => ({ json: () => taxRateJson(t), updated: 0 })),
		{ paged: false },
	);
	return listAnswer('TaxRates', result);
}

export function getOrganisation(ctx: ApiContext): ApiResult {
	return { status: 200, body: { Organisations: [organisationJson(ctx.tenant)] } };
}

// ---------- tracking ----------

function findCategory(ctx: ApiContext, id: string): TrackingCategoryRecord {
	const c = GUID_RE.test(id)
		? ctx.tenant.trackingCategories.find(
				(x) => x.TrackingCategoryID.toLowerCase() === id.toLowerCase(),
			)
		: undefined;
	if (!c || c.Status === 'DELETED') throw notFound();
	return c;
}

export function getTrackingCategories(ctx: ApiContext): ApiResult {
	const includeArchived = parseBool(q(ctx.query, 'includeArchived'));
	const list = ctx.tenant.trackingCategories.filter(
		(c) => c.Status === 'ACTIVE' || (includeArchived && c.Status === 'ARCHIVED'),
	);
	const result = filterList(
		ctx,
		list.map((c) => ({ json: () => trackingCategoryJson(c, includeArchived), updated: 0 })),
		{ paged: false },
	);
	return listAnswer('TrackingCategories', result);
}

export function getTrackingCategory(ctx: ApiContext): ApiResult {
	return {
		status: 200,
		body: { TrackingCategories: [trackingCategoryJson(findCategory(ctx, ctx.params[0]), true)] },
	};
}

function checkCategoryLimits(
	ctx: ApiContext,
	self: TrackingCategoryRecord | undefined,
	name: string,
	status: string,
): void {
	const others = ctx.tenant.trackingCategories.filter((c) => c !== self && c.Status !== 'DELETED');
	if (!name || name.length > 100)
		throw singleValidationError('Tracking category Name must be 1 to 100 characters.');
	if (others.some((c) => c.Name.toLowerCase() === name.toLowerCase())) {
		throw singleValidationError(`A tracking category with the name '${name}' already exists.`);
	}
	if (status === 'ACTIVE' && others.filter((c) => c.Status === 'ACTIVE').length >= 2) {
		throw singleValidationError('You can only have 2 active tracking categories.');
	}
	if (!self && others.length >= 4)
		throw singleValidationError('You can only have 4 tracking categories (active and archived).');
}

export function putTrackingCategory(ctx: ApiContext): ApiResult {
	const input = asObject(elementsOf(ctx.body, 'TrackingCategories', true)[0]) ?? {};
	const name = str(input.Name) ?? '';
	checkCategoryLimits(ctx, undefined, name, 'ACTIVE');
	const c: TrackingCategoryRecord = {
		TrackingCategoryID: ctx.newId(),
		Name: name,
		Status: 'ACTIVE',
		Options: [],
	};
	ctx.tenant.trackingCategories.push(c);
	return { status: 200, body: { TrackingCategories: [trackingCategoryJson(c, true)] } };
}

export function postTrackingCategory(ctx: ApiContext): ApiResult {
	const c = findCategory(ctx, ctx.params[0]);
	const input = asObject(elementsOf(ctx.body, 'TrackingCategories', true)[0]) ?? {};
	const name = str(input.Name) ?? c.Name;
	const status = (str(input.Status) ?? c.Status).toUpperCase();
	if (status !== 'ACTIVE' && status !== 'ARCHIVED')
		throw singleValidationError('Tracking category Status must be ACTIVE or ARCHIVED.');
	checkCategoryLimits(ctx, c, name, status);
	c.Name = name;
	c.Status = status;
	return { status: 200, body: { TrackingCategories: [trackingCategoryJson(c, true)] } };
}

function categoryInUse(ctx: ApiContext, categoryId: string, optionId?: string): boolean {
	return ctx.tenant.invoices.some((i) =>
		i.LineItems.some((l) =>
			l.Tracking.some(
				(t) =>
					t.TrackingCategoryID === categoryId && (!optionId || t.TrackingOptionID === optionId),
			),
		),
	);
}

export function deleteTrackingCategory(ctx: ApiContext): ApiResult {
	const c = findCategory(ctx, ctx.params[0]);
	if (categoryInUse(ctx, c.TrackingCategoryID)) {
		throw singleValidationError(
			'This tracking category is used on transactions; archive it instead of deleting it.',
		);
	}
	c.Status = 'DELETED';
	return { status: 200, body: { TrackingCategories: [trackingCategoryJson(c, true)] } };
}

/** One `TrackingOption {Name}` per call, as documented (the body is checked against the spec before this runs). */
export function putTrackingOptions(ctx: ApiContext): ApiResult {
	const c = findCategory(ctx, ctx.params[0]);
	const name = str(asObject(ctx.body)?.Name) ?? '';
	if (!name || name.length > 100)
		throw singleValidationError('Tracking option Name must be 1 to 100 characters.');
	if (name !== name.trim())
		throw singleValidationError(
			`Tracking option name '${name}' must not start or end with spaces.`,
		);
	if (
		c.Options.some((o) => o.Status !== 'DELETED' && o.Name.toLowerCase() === name.toLowerCase())
	) {
		throw singleValidationError(
			`For each specified tracking option the name must be unique. '${name}' already exists.`,
		);
	}
	// Archived options still count toward the cap; only deleted ones are gone.
	if (c.Options.filter((o) => o.Status !== 'DELETED').length >= ctx.trackingOptionCap) {
		throw singleValidationError(
			`A tracking category can have at most ${ctx.trackingOptionCap} options.`,
		);
	}
	const option = { TrackingOptionID: ctx.newId(), Name: name, Status: 'ACTIVE' as const };
	c.Options.push(option);
	return {
		status: 200,
		body: { Options: [{ ...option, TrackingCategoryID: c.TrackingCategoryID }] },
	};
}

export function postTrackingOption(ctx: ApiContext): ApiResult {
	const c = findCategory(ctx, ctx.params[0]);
	const o = c.Options.find(
		(x) =>
			x.TrackingOptionID.toLowerCase() === ctx.params[1].toLowerCase() && x.Status !== 'DELETED',
	);
	if (!o) throw notFound();
	const input = asObject(ctx.body) ?? {};
	if (typeof input.Name === 'string') {
		const name = input.Name;
		if (!name || name.length > 100 || name !== name.trim())
			throw singleValidationError(
				'Tracking option Name must be 1 to 100 characters without surrounding spaces.',
			);
		if (
			c.Options.some(
				(x) => x !== o && x.Status !== 'DELETED' && x.Name.toLowerCase() === name.toLowerCase(),
			)
		) {
			throw singleValidationError(
				`For each specified tracking option the name must be unique. '${name}' already exists.`,
			);
		}
		o.Name = name;
	}
	if (input.Status !== undefined) {
		const s = (str(input.Status) ?? '').toUpperCase();
		if (s !== 'ACTIVE' && s !== 'ARCHIVED')
			throw singleValidationError('Tracking option Status must be ACTIVE or ARCHIVED.');
		o.Status = s;
	}
	return { status: 200, body: { Options: [{ ...o, TrackingCategoryID: c.TrackingCategoryID }] } };
}

export function deleteTrackingOption(ctx: ApiContext): ApiResult {
	const c = findCategory(ctx, ctx.params[0]);
	const o = c.Options.find(
		(x) =>
			x.TrackingOptionID.toLowerCase() === ctx.params[1].toLowerCase() && x.Status !== 'DELETED',
	);
	if (!o) throw notFound();
	if (categoryInUse(ctx, c.TrackingCategoryID, o.TrackingOptionID)) {
		throw singleValidationError(
			'This tracking option is used on transactions; archive it instead of deleting it.',
		);
	}
	o.Status = 'DELETED';
	return { status: 200, body: { Options: [{ ...o, TrackingCategoryID: c.TrackingCategoryID }] } };
}

// ---------- reports ----------

/** Aged receivables for one contact (`contactId` required), in Xero's Reports/Rows/Cells shape. */
export function getAgedReceivables(ctx: ApiContext): ApiResult {
	const contactId = q(ctx.query, 'contactId') ?? q(ctx.query, 'contactID');
	if (!contactId || !GUID_RE.test(contactId))
		throw singleValidationError('contactId must be the ContactID of a contact.');
	const contact = ctx.tenant.contacts.find(
		(c) => c.ContactID.toLowerCase() === contactId.toLowerCase(),
	);
	if (!contact) throw notFound();
	const day = (q(ctx.query, 'date') ?? new Date(ctx.now).toISOString()).slice(0, 10);
	const asAt = Date.parse(`${day}T00:00:00Z`);
	const open = ctx.tenant.invoices.filter(
		(i) => i.ContactID === contact.ContactID && i.Type === 'ACCREC' && i.Status === 'AUTHORISED',
	);
	const cell = (Value: string) => ({ Value });
	const rows = open.map((i) => {
		const overdueDays = i.DueDate
			? Math.floor((asAt - Date.parse(`${i.DueDate}T00:00:00Z`)) / 86_400_000)
			: 0;
		const buckets = [0, 0, 0, 0, 0];
		const idx =
			overdueDays <= 0
				? 0
				: overdueDays <= 30
					? 1
					: overdueDays <= 60
						? 2
						: overdueDays <= 90
							? 3
							: 4;
		buckets[idx] = i.AmountDue;
		return {
			RowType: 'Row',
			Cells: [
				cell(i.Date),
				cell(i.InvoiceNumber ?? ''),
				cell(i.DueDate ?? ''),
				...buckets.map((b) => cell(b.toFixed(2))),
				cell(i.AmountDue.toFixed(2)),
			],
		};
	});
	const total = round(
		open.reduce((s, i) => s + i.AmountDue, 0),
		2,
	);
	return {
		status: 200,
		body: {
			Reports: [
				{
					ReportID: 'AgedReceivablesByContact',
					ReportName: 'Aged Receivables By Contact',
					ReportType: 'AgedReceivablesByContact',
					ReportTitles: ['Invoices', contact.Name, `As at ${day}`],
					ReportDate: day,
					UpdatedDateUTC: msDate(ctx.now),
					Rows: [
						{
							RowType: 'Header',
							Cells: [
								'Date',
								'Reference',
								'Due Date',
								'Current',
								'< 1 Month',
								'1 Month',
								'2 Months',
								'Older',
								'Total',
							].map(cell),
						},
						{ RowType: 'Section', Title: '', Rows: rows },
						{
							RowType: 'SummaryRow',
							Cells: [
								cell('Total'),
								cell(''),
								cell(''),
								cell(''),
								cell(''),
								cell(''),
								cell(''),
								cell(''),
								cell(total.toFixed(2)),
							],
						},
					],
				},
			],
		},
	};
}

// ---------- items (read-only: the seeded price list) ----------

export function getItems(ctx: ApiContext): ApiResult {
	const result = filterList(
		ctx,
		ctx.tenant.items.map((i) => ({ json: () => itemJson(i), updated: i.UpdatedDateUTC })),
		{ paged: false },
	);
	return listAnswer('Items', result);
}

export function getItem(ctx: ApiContext): ApiResult {
	const key = ctx.params[0];
	const item = GUID_RE.test(key)
		? ctx.tenant.items.find((i) => i.ItemID.toLowerCase() === key.toLowerCase())
		: ctx.tenant.items.find((i) => i.Code === key);
	if (!item) throw notFound();
	return { status: 200, body: { Items: [itemJson(item)] } };
}
