// Shapes used by the pure invoice mapping. The Commusoft side mirrors the records in docs/ARCHITECTURE.md
// ("Records between nodes") structurally, so an item emitted by the Commusoft nodes is accepted as is; the
// fields are loosened (numbers may arrive as strings when a user maps them by hand) and validated here.

export interface CommusoftAddressInput {
	addressLine1?: string;
	addressLine2?: string;
	addressLine3?: string;
	town?: string;
	county?: string;
	postcode?: string;
	country?: string;
}

export interface CommusoftCustomerInput {
	id?: string;
	accountReference?: string;
	title?: string;
	firstName?: string;
	lastName?: string;
	companyName?: string;
	customerType?: 'private' | 'company' | string;
	email?: string;
	telephone?: string;
	mobile?: string;
	address?: CommusoftAddressInput;
	xeroContactId?: string;
	updatedAt?: string;
}

/** Extra per-line tracking a user may map by hand (not part of the Commusoft record). */
export interface LineTrackingInput {
	category: string;
	option: string;
}

export interface CommusoftInvoiceLineInput {
	id?: string;
	description?: string;
	quantity?: number | string;
	unitPrice?: number | string;
	discountRate?: number | string | null;
	nominalCode?: string;
	vatRate?: string;
	taxType?: string;
	itemCode?: string;
	tracking?: LineTrackingInput[];
}

export interface CommusoftInvoiceInput {
	id?: string;
	invoiceNumber?: string;
	reference?: string;
	jobId?: string;
	date?: string;
	dueDate?: string;
	status?: 'draft' | 'raised' | 'cancelled' | string;
	currency?: string;
	amountsAre?: 'exclusive' | 'inclusive' | 'noTax' | string;
	category?: string;
	lines?: CommusoftInvoiceLineInput[];
	customer?: CommusoftCustomerInput;
	url?: string;
	total?: number;
	totalTax?: number;
}

// ---- Xero side (docs/xero-rules.md §3–§5; spec `Invoice`, `LineItem`, `Contact`, `Account`, `TaxRate`) ----

export type XeroInvoiceStatus =
	| 'DRAFT'
	| 'SUBMITTED'
	| 'AUTHORISED'
	| 'PAID'
	| 'VOIDED'
	| 'DELETED';
export type XeroLineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

export interface XeroLineItemTracking {
	TrackingCategoryID?: string;
	TrackingOptionID?: string;
	Name: string;
	Option: string;
}

export interface XeroLineItem {
	LineItemID?: string;
	Description?: string;
	Quantity?: number;
	UnitAmount?: number;
	ItemCode?: string;
	AccountCode?: string;
	TaxType?: string;
	DiscountRate?: number;
	Tracking?: XeroLineItemTracking[];
	LineAmount?: number;
}

export interface XeroInvoicePayload {
	InvoiceID?: string;
	Type: 'ACCREC';
	InvoiceNumber?: string;
	Reference?: string;
	Date?: string;
	DueDate?: string;
	LineAmountTypes: XeroLineAmountTypes;
	CurrencyCode?: string;
	Url?: string;
	Status: XeroInvoiceStatus;
	Contact: { ContactID?: string };
	LineItems: XeroLineItem[];
}

/** An invoice as Xero returns it (only the fields the upsert reads). */
export interface XeroInvoice {
	InvoiceID: string;
	Type?: string;
	InvoiceNumber?: string;
	Reference?: string;
	Date?: string;
	DateString?: string;
	DueDate?: string;
	DueDateString?: string;
	LineAmountTypes?: string;
	CurrencyCode?: string;
	Url?: string;
	Status?: string;
	Contact?: { ContactID?: string; Name?: string; ContactNumber?: string };
	LineItems?: XeroLineItem[];
	AmountPaid?: number;
	AmountCredited?: number;
	AmountDue?: number;
	Payments?: unknown[];
	CreditNotes?: unknown[];
	Prepayments?: unknown[];
	Overpayments?: unknown[];
	HasErrors?: boolean;
	ValidationErrors?: Array<{ Message?: string }>;
	Warnings?: Array<{ Message?: string }>;
}

export interface XeroAccount {
	AccountID?: string;
	Code?: string;
	Name?: string;
	Type?: string;
	Class?: string;
	Status?: string;
	TaxType?: string;
	SystemAccount?: string;
}

export interface XeroTaxRate {
	Name?: string;
	TaxType: string;
	Status?: string;
	EffectiveRate?: number | string;
	CanApplyToAssets?: boolean;
	CanApplyToEquity?: boolean;
	CanApplyToExpenses?: boolean;
	CanApplyToLiabilities?: boolean;
	CanApplyToRevenue?: boolean;
}

export interface XeroTrackingOption {
	TrackingOptionID?: string;
	Name?: string;
	Status?: string;
}

export interface XeroTrackingCategory {
	TrackingCategoryID?: string;
	Name?: string;
	Status?: string;
	Options?: XeroTrackingOption[];
}

export interface XeroContactAddress {
	AddressType: 'POBOX' | 'STREET';
	AddressLine1?: string;
	AddressLine2?: string;
	AddressLine3?: string;
	City?: string;
	Region?: string;
	PostalCode?: string;
	Country?: string;
}

export interface XeroContactPhone {
	PhoneType: 'DEFAULT' | 'DDI' | 'MOBILE' | 'FAX' | 'OFFICE';
	PhoneNumber: string;
}

export interface XeroContact {
	ContactID?: string;
	ContactNumber?: string;
	AccountNumber?: string;
	Name?: string;
	FirstName?: string;
	LastName?: string;
	EmailAddress?: string;
	ContactStatus?: string;
	Addresses?: XeroContactAddress[];
	Phones?: XeroContactPhone[];
	HasValidationErrors?: boolean;
	ValidationErrors?: Array<{ Message?: string }>;
}

/** One problem found in one input item, phrased for the person who has to fix it. */
export interface InvoiceIssue {
	severity: 'error' | 'warning';
	/** 1-based line number in the input invoice, when the issue is about a line. */
	line?: number;
	/** The Commusoft line id, when known, so the user can find the line at the source. */
	lineId?: string;
	/** The Xero field (and its Commusoft source) at fault, e.g. "AccountCode (nominalCode)". */
	field: string;
	message: string;
	fix: string;
}
