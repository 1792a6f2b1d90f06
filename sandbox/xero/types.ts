// Shapes shared by the Xero sandbox modules. Records are stored in Xero's own PascalCase so that the JSON the
// sandbox returns is the stored record plus computed fields (see serialize.ts), never a hand-built copy.

/** One webhook event as the server reports it; `webhooks.ts` (another helper) fills in the rest Xero's way. */
export interface XeroWebhookEvent {
	resourceId: string;
	resourceUrl: string;
	eventDateUtc: string;
	eventType: 'CREATE' | 'UPDATE';
	eventCategory: 'INVOICE' | 'CONTACT';
	tenantId: string;
	tenantType: 'ORGANISATION';
}

/** Where the server sends change events; the server runs fine without one. */
export interface WebhookSink {
	emit(events: XeroWebhookEvent[]): void;
}

export interface RateLimits {
	perTenantMinute: number;
	perTenantDay: number;
	perTenantConcurrent: number;
	appMinute: number;
}

export interface FaultConfig {
	seed?: number;
	/** Probability (0..1) of answering 500 / 503 instead of processing. */
	error500Rate?: number;
	error503Rate?: number;
	/** Extra latency: `latencyMs` added to a `latencyRate` share of calls (default all when latencyMs is set). */
	latencyMs?: number;
	latencyRate?: number;
	/** Probability of destroying the socket without answering. */
	resetRate?: number;
	/** Probability of never answering (the client must time out). */
	timeoutRate?: number;
	/**
	 * How long such a call is held before the server side gives up and drops the connection, in real ms, as
	 * a gateway in front of an API does; default: held until the client goes away (a client without its own
	 * timeout then waits for ever).
	 */
	timeoutHangMs?: number;
	/** Every API call answers 503 while true ("Xero is down"). */
	down?: boolean;
	/** The next N API calls answer 429 (minute problem, Retry-After). */
	burst429?: number;
	/** Only calls whose path contains this string are affected (default all API calls). */
	pathContains?: string;
}

export interface LineItemRecord {
	LineItemID: string;
	Description?: string;
	Quantity?: number;
	UnitAmount?: number;
	ItemCode?: string;
	AccountCode?: string;
	AccountID?: string;
	TaxType?: string;
	TaxAmount: number;
	LineAmount: number;
	DiscountRate?: number;
	Tracking: {
		TrackingCategoryID: string;
		TrackingOptionID: string;
		Name: string;
		Option: string;
	}[];
}

export interface InvoiceRecord {
	InvoiceID: string;
	Type: string;
	ContactID: string;
	InvoiceNumber?: string;
	Reference?: string;
	Date: string; // YYYY-MM-DD
	DueDate?: string;
	LineAmountTypes: 'Exclusive' | 'Inclusive' | 'NoTax';
	Status: 'DRAFT' | 'SUBMITTED' | 'DELETED' | 'AUTHORISED' | 'PAID' | 'VOIDED';
	CurrencyCode: string;
	CurrencyRate: number;
	Url?: string;
	SentToContact?: boolean;
	BrandingThemeID?: string;
	LineItems: LineItemRecord[];
	SubTotal: number;
	TotalTax: number;
	Total: number;
	AmountPaid: number;
	/** Sum of credit-note allocations against this invoice (creditNotes.ts). */
	AmountCredited?: number;
	AmountDue: number;
	FullyPaidOnDate?: string;
	UpdatedDateUTC: number; // ms
	CreatedByClientId?: string;
}

export interface AllocationRecord {
	AllocationID: string;
	InvoiceID: string;
	Amount: number;
	Date: string; // YYYY-MM-DD
}

export interface CreditNoteRecord {
	CreditNoteID: string;
	CreditNoteNumber: string;
	Type: 'ACCRECCREDIT' | 'ACCPAYCREDIT';
	ContactID: string;
	Reference?: string;
	Date: string; // YYYY-MM-DD
	/** Same status machine as invoices (creditNotes.ts); PAID is reached only by allocating all the credit. */
	Status: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';
	LineAmountTypes: InvoiceRecord['LineAmountTypes'];
	CurrencyCode: string;
	LineItems: LineItemRecord[];
	SubTotal: number;
	TotalTax: number;
	Total: number;
	RemainingCredit: number;
	/** Live allocations only: a deleted allocation is removed (its amounts restored on both sides). */
	Allocations: AllocationRecord[];
	FullyPaidOnDate?: string; // YYYY-MM-DD, set when the last credit is allocated
	SentToContact?: boolean;
	UpdatedDateUTC: number; // ms
}

export interface ContactRecord {
	ContactID: string;
	ContactNumber?: string;
	AccountNumber?: string;
	ContactStatus: 'ACTIVE' | 'ARCHIVED' | 'GDPRREQUEST';
	Name: string;
	FirstName?: string;
	LastName?: string;
	CompanyNumber?: string;
	EmailAddress?: string;
	TaxNumber?: string;
	BankAccountDetails?: string;
	Website?: string;
	ContactPersons: {
		FirstName?: string;
		LastName?: string;
		EmailAddress?: string;
		IncludeInEmails?: boolean;
	}[];
	Addresses: Record<string, unknown>[];
	Phones: Record<string, unknown>[];
	DefaultCurrency?: string;
	SalesDefaultAccountCode?: string;
	AccountsReceivableTaxType?: string;
	UpdatedDateUTC: number;
}

export interface PaymentRecord {
	PaymentID: string;
	BatchPaymentID?: string;
	/** the invoice paid, or (a refund) the credit note paid out: exactly one of the two is set */
	InvoiceID?: string;
	CreditNoteID?: string;
	AccountID: string;
	Date: string;
	Amount: number;
	CurrencyRate: number;
	Reference?: string;
	IsReconciled: boolean;
	Status: 'AUTHORISED' | 'DELETED';
	PaymentType: string;
	UpdatedDateUTC: number;
}

export interface BatchPaymentRecord {
	BatchPaymentID: string;
	AccountID: string;
	Date: string;
	Reference?: string;
	Particulars?: string;
	Code?: string;
	Details?: string;
	Narrative?: string;
	Type: 'PAYBATCH' | 'RECBATCH';
	Status: 'AUTHORISED' | 'DELETED';
	TotalAmount: number;
	IsReconciled: boolean;
	PaymentIDs: string[];
	UpdatedDateUTC: number;
}

export interface AccountRecord {
	AccountID: string;
	Code: string;
	Name: string;
	Type: string;
	Class: 'ASSET' | 'EQUITY' | 'EXPENSE' | 'LIABILITY' | 'REVENUE';
	Status: 'ACTIVE' | 'ARCHIVED' | 'DELETED';
	TaxType: string;
	Description?: string;
	EnablePaymentsToAccount: boolean;
	ShowInExpenseClaims: boolean;
	BankAccountNumber?: string;
	BankAccountType?: 'BANK' | 'CREDITCARD' | 'PAYPAL' | 'NONE' | '';
	CurrencyCode?: string;
	ReportingCode?: string;
	UpdatedDateUTC: number;
}

export interface TaxRateRecord {
	Name: string;
	TaxType: string;
	ReportTaxType?: string;
	Status: 'ACTIVE' | 'DELETED' | 'ARCHIVED' | 'PENDING';
	Rate: number; // percent
	CanApplyToRevenue: boolean;
	CanApplyToExpenses: boolean;
}

export interface TrackingOptionRecord {
	TrackingOptionID: string;
	Name: string;
	Status: 'ACTIVE' | 'ARCHIVED' | 'DELETED';
}

export interface TrackingCategoryRecord {
	TrackingCategoryID: string;
	Name: string;
	Status: 'ACTIVE' | 'ARCHIVED' | 'DELETED';
	Options: TrackingOptionRecord[];
}

export interface OrganisationRecord {
	OrganisationID: string;
	Name: string;
	LegalName: string;
	ShortCode: string;
	BaseCurrency: string;
	CountryCode: string;
	Version: 'UK';
	Timezone: string;
	CreatedDateUTC: number;
}

export interface ItemRecord {
	ItemID: string;
	Code: string;
	Name: string;
	Description?: string;
	IsSold: boolean;
	IsPurchased: boolean;
	SalesDetails?: { UnitPrice?: number; AccountCode?: string; TaxType?: string };
	UpdatedDateUTC: number;
}

export interface TenantState {
	tenantId: string;
	organisation: OrganisationRecord;
	accounts: AccountRecord[];
	taxRates: TaxRateRecord[];
	trackingCategories: TrackingCategoryRecord[];
	contacts: ContactRecord[];
	invoices: InvoiceRecord[];
	payments: PaymentRecord[];
	batchPayments: BatchPaymentRecord[];
	creditNotes: CreditNoteRecord[];
	items: ItemRecord[];
	nextInvoiceNumber: number;
}

export interface CallLogEntry {
	at: number;
	method: string;
	path: string;
	endpoint: string;
	tenantId?: string;
	status: number;
	ms: number;
	rateLimitProblem?: string;
	idempotentReplay?: boolean;
	fault?: string;
	/** The Idempotency-Key header the call carried, if any. */
	idempotencyKey?: string;
	/** Set when the request body did not follow the documented schema (the call was refused with 400). */
	requestErrors?: string[];
}
