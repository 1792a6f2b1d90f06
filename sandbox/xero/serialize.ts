// Stored records → the JSON Xero returns (dates as /Date(ms+0000)/, computed fields, nested summaries).
import { round } from './calc';
import { isoNoZone, msDate, msDateFromDay } from './clock';
import type {
	AccountRecord,
	AllocationRecord,
	BatchPaymentRecord,
	ContactRecord,
	CreditNoteRecord,
	InvoiceRecord,
	ItemRecord,
	PaymentRecord,
	TaxRateRecord,
	TenantState,
	TrackingCategoryRecord,
} from './types';

type Json = Record<string, unknown>;

/** Lookups built once per request so list reads stay linear in the number of records. */
export interface Index {
	contacts: Map<string, ContactRecord>;
	accounts: Map<string, AccountRecord>;
	invoices: Map<string, InvoiceRecord>;
	paymentsByInvoice: Map<string, PaymentRecord[]>;
	creditsByInvoice: Map<string, { cn: CreditNoteRecord; allocation: AllocationRecord }[]>;
	customers: Set<string>;
	suppliers: Set<string>;
}

export function makeIndex(t: TenantState): Index {
	const idx: Index = {
		contacts: new Map(t.contacts.map((c) => [c.ContactID, c])),
		accounts: new Map(t.accounts.map((a) => [a.AccountID, a])),
		invoices: new Map(t.invoices.map((i) => [i.InvoiceID, i])),
		paymentsByInvoice: new Map(),
		creditsByInvoice: new Map(),
		customers: new Set(),
		suppliers: new Set(),
	};
	for (const p of t.payments) {
		if (!p.InvoiceID) continue;
		const list = idx.paymentsByInvoice.get(p.InvoiceID);
		if (list) list.push(p);
		else idx.paymentsByInvoice.set(p.InvoiceID, [p]);
	}
	for (const cn of t.creditNotes)
		for (const allocation of cn.Allocations) {
			const list = idx.creditsByInvoice.get(allocation.InvoiceID);
			if (list) list.push({ cn, allocation });
			else idx.creditsByInvoice.set(allocation.InvoiceID, [{ cn, allocation }]);
		}
	for (const i of t.invoices) {
		if (i.Status === 'DELETED') continue;
		if (i.Type === 'ACCREC') idx.customers.add(i.ContactID);
		if (i.Type === 'ACCPAY') idx.suppliers.add(i.ContactID);
	}
	return idx;
}

export function compact(obj: Json): Json {
	for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
	return obj;
}

export function contactJson(
	tenant: TenantState,
	c: ContactRecord,
	idx: Index = makeIndex(tenant),
): Json {
	const hasSales = idx.customers.has(c.ContactID);
	const hasBills = idx.suppliers.has(c.ContactID);
	return compact({
		ContactID: c.ContactID,
		ContactNumber: c.ContactNumber,
		AccountNumber: c.AccountNumber,
		ContactStatus: c.ContactStatus,
		Name: c.Name,
		FirstName: c.FirstName,
		LastName: c.LastName,
		CompanyNumber: c.CompanyNumber,
		EmailAddress: c.EmailAddress,
		BankAccountDetails: c.BankAccountDetails,
		TaxNumber: c.TaxNumber,
		Website: c.Website,
		ContactPersons: c.ContactPersons.map((p) => compact({ ...p })),
		Addresses: c.Addresses,
		Phones: c.Phones,
		DefaultCurrency: c.DefaultCurrency,
		SalesDefaultAccountCode: c.SalesDefaultAccountCode,
		AccountsReceivableTaxType: c.AccountsReceivableTaxType,
		UpdatedDateUTC: msDate(c.UpdatedDateUTC),
		IsSupplier: hasBills,
		IsCustomer: hasSales,
		HasAttachments: false,
		HasValidationErrors: false,
	});
}

/** The contact summary Xero nests inside invoices. */
export function contactSummary(idx: Index, contactId: string): Json {
	const c = idx.contacts.get(contactId);
	if (!c) return { ContactID: contactId };
	return compact({
		ContactID: c.ContactID,
		ContactNumber: c.ContactNumber,
		AccountNumber: c.AccountNumber,
		ContactStatus: c.ContactStatus,
		Name: c.Name,
		FirstName: c.FirstName,
		LastName: c.LastName,
		EmailAddress: c.EmailAddress,
		HasValidationErrors: false,
	});
}

export function invoiceJson(
	tenant: TenantState,
	inv: InvoiceRecord,
	opts: { lines: boolean; unitdp?: number },
	idx: Index = makeIndex(tenant),
): Json {
	const unitDp = opts.unitdp === 4 ? 4 : 2;
	const payments = (idx.paymentsByInvoice.get(inv.InvoiceID) ?? [])
		.filter((p) => p.Status === 'AUTHORISED')
		.map((p) =>
			compact({
				PaymentID: p.PaymentID,
				BatchPaymentID: p.BatchPaymentID,
				Date: msDateFromDay(p.Date),
				Amount: p.Amount,
				Reference: p.Reference,
				CurrencyRate: p.CurrencyRate,
				HasAccount: false,
				HasValidationErrors: false,
			}),
		);
	return compact({
		Type: inv.Type,
		InvoiceID: inv.InvoiceID,
		InvoiceNumber: inv.InvoiceNumber ?? '',
		Reference: inv.Reference ?? '',
		Payments: payments,
		// One entry per allocation, in the summary shape Xero nests in an invoice (no lines, AppliedAmount).
		CreditNotes: (idx.creditsByInvoice.get(inv.InvoiceID) ?? []).map(({ cn, allocation }) => ({
			CreditNoteID: cn.CreditNoteID,
			CreditNoteNumber: cn.CreditNoteNumber,
			AppliedAmount: allocation.Amount,
			Date: msDateFromDay(cn.Date),
			LineItems: [],
			Total: cn.Total,
		})),
		Prepayments: [],
		Overpayments: [],
		AmountDue: inv.AmountDue,
		AmountPaid: inv.AmountPaid,
		AmountCredited: inv.AmountCredited ?? 0,
		CurrencyRate: inv.CurrencyRate,
		IsDiscounted: inv.LineItems.some((l) => !!l.DiscountRate),
		HasAttachments: false,
		HasErrors: false,
		Contact: contactSummary(idx, inv.ContactID),
		DateString: `${inv.Date}T00:00:00`,
		Date: msDateFromDay(inv.Date),
		DueDateString: inv.DueDate ? `${inv.DueDate}T00:00:00` : undefined,
		DueDate: inv.DueDate ? msDateFromDay(inv.DueDate) : undefined,
		BrandingThemeID: inv.BrandingThemeID,
		Status: inv.Status,
		LineAmountTypes: inv.LineAmountTypes,
		LineItems: opts.lines
			? inv.LineItems.map((l) =>
					compact({
						LineItemID: l.LineItemID,
						Description: l.Description,
						Quantity: l.Quantity,
						UnitAmount: l.UnitAmount === undefined ? undefined : round(l.UnitAmount, unitDp),
						ItemCode: l.ItemCode,
						AccountCode: l.AccountCode,
						AccountID: l.AccountID,
						TaxType: l.TaxType,
						TaxAmount: l.TaxAmount,
						LineAmount: l.LineAmount,
						DiscountRate: l.DiscountRate,
						Tracking: l.Tracking.map((t) => ({ ...t })),
					}),
				)
			: undefined,
		SubTotal: inv.SubTotal,
		TotalTax: inv.TotalTax,
		Total: inv.Total,
		UpdatedDateUTC: msDate(inv.UpdatedDateUTC),
		CurrencyCode: inv.CurrencyCode,
		FullyPaidOnDate: inv.FullyPaidOnDate ? msDateFromDay(inv.FullyPaidOnDate) : undefined,
		Url: inv.Url,
		SentToContact: inv.SentToContact ?? false,
	});
}

export function accountJson(a: AccountRecord): Json {
	return compact({
		AccountID: a.AccountID,
		Code: a.Code,
		Name: a.Name,
		Status: a.Status,
		Type: a.Type,
		TaxType: a.TaxType,
		Description: a.Description,
		Class: a.Class,
		EnablePaymentsToAccount: a.EnablePaymentsToAccount,
		ShowInExpenseClaims: a.ShowInExpenseClaims,
		BankAccountNumber: a.BankAccountNumber,
		BankAccountType: a.BankAccountType ?? '',
		CurrencyCode: a.CurrencyCode,
		ReportingCode: a.ReportingCode,
		HasAttachments: false,
		UpdatedDateUTC: msDate(a.UpdatedDateUTC),
		AddToWatchlist: false,
	});
}

export function paymentJson(
	tenant: TenantState,
	p: PaymentRecord,
	idx: Index = makeIndex(tenant),
): Json {
	const inv = p.InvoiceID ? idx.invoices.get(p.InvoiceID) : undefined;
	const note = p.CreditNoteID
		? tenant.creditNotes.find((c) => c.CreditNoteID === p.CreditNoteID)
		: undefined;
	const account = idx.accounts.get(p.AccountID);
	return compact({
		PaymentID: p.PaymentID,
		BatchPaymentID: p.BatchPaymentID,
		Date: msDateFromDay(p.Date),
		BankAmount: p.Amount,
		Amount: p.Amount,
		Reference: p.Reference ?? '',
		CurrencyRate: p.CurrencyRate,
		PaymentType: p.PaymentType,
		Status: p.Status,
		UpdatedDateUTC: msDate(p.UpdatedDateUTC),
		UpdatedDateUTCString: isoNoZone(p.UpdatedDateUTC),
		HasAccount: true,
		IsReconciled: p.IsReconciled,
		Account: account
			? { AccountID: account.AccountID, Code: account.Code, Name: account.Name }
			: undefined,
		Invoice: inv
			? compact({
					Type: inv.Type,
					InvoiceID: inv.InvoiceID,
					InvoiceNumber: inv.InvoiceNumber ?? '',
					Reference: inv.Reference,
					Contact: contactSummary(idx, inv.ContactID),
					CurrencyCode: inv.CurrencyCode,
					Status: inv.Status,
					AmountDue: inv.AmountDue,
					AmountPaid: inv.AmountPaid,
					Total: inv.Total,
					HasErrors: false,
				})
			: undefined,
		CreditNote: note
			? compact({
					Type: note.Type,
					CreditNoteID: note.CreditNoteID,
					CreditNoteNumber: note.CreditNoteNumber,
					Contact: contactSummary(idx, note.ContactID),
					CurrencyCode: note.CurrencyCode,
					Status: note.Status,
					RemainingCredit: note.RemainingCredit,
					Total: note.Total,
				})
			: undefined,
		HasValidationErrors: false,
	});
}

export function batchPaymentJson(
	tenant: TenantState,
	b: BatchPaymentRecord,
	idx: Index = makeIndex(tenant),
): Json {
	const account = tenant.accounts.find((a) => a.AccountID === b.AccountID);
	return compact({
		BatchPaymentID: b.BatchPaymentID,
		Account: account ? { AccountID: account.AccountID, Code: account.Code } : undefined,
		Reference: b.Reference,
		Particulars: b.Particulars,
		Code: b.Code,
		Details: b.Details,
		Narrative: b.Narrative,
		DateString: `${b.Date}T00:00:00`,
		Date: msDateFromDay(b.Date),
		Type: b.Type,
		Status: b.Status,
		TotalAmount: b.TotalAmount,
		IsReconciled: b.IsReconciled,
		UpdatedDateUTC: msDate(b.UpdatedDateUTC),
		Payments: b.PaymentIDs.map((id) => tenant.payments.find((p) => p.PaymentID === id))
			.filter((p): p is PaymentRecord => !!p)
			.map((p) => paymentJson(tenant, p, idx)),
	});
}

export function taxRateJson(t: TaxRateRecord): Json {
	return compact({
		Name: t.Name,
		TaxType: t.TaxType,
		ReportTaxType: ['OUTPUT', 'INPUT', 'EXEMPTOUTPUT', 'NONE'].includes(t.ReportTaxType ?? '')
			? t.ReportTaxType
			: undefined,
		CanApplyToAssets: t.CanApplyToExpenses,
		CanApplyToEquity: t.CanApplyToExpenses,
		CanApplyToExpenses: t.CanApplyToExpenses,
		CanApplyToLiabilities: t.CanApplyToExpenses,
		CanApplyToRevenue: t.CanApplyToRevenue,
		DisplayTaxRate: t.Rate,
		EffectiveRate: t.Rate,
		Status: t.Status,
		TaxComponents: [{ Name: 'VAT', Rate: t.Rate, IsCompound: false, IsNonRecoverable: false }],
	});
}

export function trackingCategoryJson(
	c: TrackingCategoryRecord,
	includeArchivedOptions: boolean,
): Json {
	return {
		Name: c.Name,
		Status: c.Status,
		TrackingCategoryID: c.TrackingCategoryID,
		Options: c.Options.filter(
			(o) => o.Status === 'ACTIVE' || (includeArchivedOptions && o.Status === 'ARCHIVED'),
		).map((o) => ({
			TrackingOptionID: o.TrackingOptionID,
			Name: o.Name,
			Status: o.Status,
		})),
	};
}

export function organisationJson(t: TenantState): Json {
	const o = t.organisation;
	return {
		OrganisationID: o.OrganisationID,
		APIKey: '',
		Name: o.Name,
		LegalName: o.LegalName,
		PaysTax: true,
		Version: o.Version,
		OrganisationType: 'COMPANY',
		BaseCurrency: o.BaseCurrency,
		CountryCode: o.CountryCode,
		IsDemoCompany: false,
		OrganisationStatus: 'ACTIVE',
		TaxNumber: 'GB123456789',
		FinancialYearEndDay: 31,
		FinancialYearEndMonth: 3,
		SalesTaxBasis: 'ACCRUALS',
		SalesTaxPeriod: 'QUARTERLY1',
		DefaultSalesTax: 'Tax Exclusive',
		DefaultPurchasesTax: 'Tax Exclusive',
		CreatedDateUTC: msDate(o.CreatedDateUTC),
		OrganisationEntityType: 'COMPANY',
		Timezone: o.Timezone,
		ShortCode: o.ShortCode,
		Edition: 'BUSINESS',
		Class: 'STANDARD',
		LineOfBusiness: 'Plumbing and heating',
		Addresses: [],
		Phones: [],
		ExternalLinks: [],
		PaymentTerms: {},
	};
}

export function itemJson(i: ItemRecord): Json {
	return compact({
		ItemID: i.ItemID,
		Code: i.Code,
		Name: i.Name,
		Description: i.Description,
		IsSold: i.IsSold,
		IsPurchased: i.IsPurchased,
		IsTrackedAsInventory: false,
		SalesDetails: i.SalesDetails ? compact({ ...i.SalesDetails }) : undefined,
		UpdatedDateUTC: msDate(i.UpdatedDateUTC),
	});
}
