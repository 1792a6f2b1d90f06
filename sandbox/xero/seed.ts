// Deterministic seed data of a UK trades business: same seed → same ids, numbers and amounts.
import { seededRandom, seededUuid } from '../shared/http';
import { computeTotals, round } from './calc';
import type {
	AccountRecord,
	ContactRecord,
	InvoiceRecord,
	ItemRecord,
	LineItemRecord,
	PaymentRecord,
	TaxRateRecord,
	TenantState,
	TrackingCategoryRecord,
} from './types';

/** Seed records carry fixed timestamps (1 Sep 2026 onwards) so If-Modified-Since tests are reproducible. */
export const SEED_EPOCH = Date.UTC(2026, 8, 1, 9, 0, 0);

export interface TenantSeedSpec {
	name: string;
	shortCode: string;
	/** 'full' = demo trades business with contacts, invoices and payments; 'empty' = settings only. */
	data: 'full' | 'empty';
}

export const DEFAULT_TENANTS: TenantSeedSpec[] = [
	{ name: 'Demo Plumbing & Heating Ltd', shortCode: '!dmPH1', data: 'full' },
	{ name: 'Northside Electrical Services Ltd', shortCode: '!nsES2', data: 'empty' },
];

function taxRates(): TaxRateRecord[] {
	const rate = (
		Name: string,
		TaxType: string,
		Rate: number,
		ReportTaxType: string,
		revenue: boolean,
		expenses: boolean,
	) =>
		({
			Name,
			TaxType,
			Rate,
			ReportTaxType,
			Status: 'ACTIVE',
			CanApplyToRevenue: revenue,
			CanApplyToExpenses: expenses,
		}) as TaxRateRecord;
	return [
		rate('20% (VAT on Income)', 'OUTPUT2', 20, 'OUTPUT', true, false),
		rate('Zero Rated Income', 'ZERORATEDOUTPUT', 0, 'OUTPUT', true, false),
		rate('Exempt Income', 'EXEMPTOUTPUT', 0, 'EXEMPTOUTPUT', true, false),
		rate('No VAT', 'NONE', 0, 'NONE', true, true),
		rate('20% (VAT on Expenses)', 'INPUT2', 20, 'INPUT', false, true),
		rate('5% (VAT on Income)', 'RROUTPUT', 5, 'OUTPUT', true, false),
	];
}

function accounts(uuid: () => string, at: number): AccountRecord[] {
	const acc = (
		Code: string,
		Name: string,
		Type: string,
		Class: AccountRecord['Class'],
		TaxType: string,
		extra: Partial<AccountRecord> = {},
	): AccountRecord => ({
		AccountID: uuid(),
		Code,
		Name,
		Type,
		Class,
		TaxType,
		Status: 'ACTIVE',
		EnablePaymentsToAccount: false,
		ShowInExpenseClaims: false,
		UpdatedDateUTC: at,
		...extra,
	});
	return [
		acc('090', 'Business Bank Account', 'BANK', 'ASSET', 'NONE', {
			BankAccountNumber: '20-32-06 43218765',
			BankAccountType: 'BANK',
			CurrencyCode: 'GBP',
		}),
		acc('091', 'Business Savings Account', 'BANK', 'ASSET', 'NONE', {
			BankAccountNumber: '20-32-06 99887766',
			BankAccountType: 'BANK',
			CurrencyCode: 'GBP',
		}),
		acc('200', 'Sales', 'REVENUE', 'REVENUE', 'OUTPUT2', {
			Description: 'Income from any normal business activity',
		}),
		acc('210', 'Labour', 'REVENUE', 'REVENUE', 'OUTPUT2', {
			Description: 'Labour charged on jobs',
		}),
		acc('220', 'Parts', 'REVENUE', 'REVENUE', 'OUTPUT2', {
			Description: 'Parts and materials charged on jobs',
		}),
		acc('230', 'Call-out', 'REVENUE', 'REVENUE', 'OUTPUT2', {
			Description: 'Call-out and emergency fees',
		}),
		acc('240', 'Service Contracts', 'REVENUE', 'REVENUE', 'OUTPUT2'),
		acc('250', 'Old Installations (archived)', 'REVENUE', 'REVENUE', 'OUTPUT2', {
			Status: 'ARCHIVED',
		}),
		acc('260', 'Other Revenue', 'OTHERINCOME', 'REVENUE', 'OUTPUT2'),
		acc('310', 'Cost of Goods Sold', 'DIRECTCOSTS', 'EXPENSE', 'INPUT2'),
		acc('429', 'General Expenses', 'EXPENSE', 'EXPENSE', 'INPUT2', { ShowInExpenseClaims: true }),
		acc('449', 'Motor Vehicle Expenses', 'EXPENSE', 'EXPENSE', 'INPUT2', {
			ShowInExpenseClaims: true,
		}),
		acc('610', 'Accounts Receivable', 'CURRENT', 'ASSET', 'NONE'),
		acc('800', 'Accounts Payable', 'CURRLIAB', 'LIABILITY', 'NONE'),
		acc('820', 'VAT', 'CURRLIAB', 'LIABILITY', 'NONE'),
		acc('880', 'Owner Drawings', 'EQUITY', 'EQUITY', 'NONE', { EnablePaymentsToAccount: true }),
	];
}

function tracking(uuid: () => string): TrackingCategoryRecord[] {
	const cat = (Name: string, options: string[]): TrackingCategoryRecord => ({
		TrackingCategoryID: uuid(),
		Name,
		Status: 'ACTIVE',
		Options: options.map((o) => ({ TrackingOptionID: uuid(), Name: o, Status: 'ACTIVE' as const })),
	});
	return [
		cat('Business Unit', ['Plumbing', 'Heating', 'Electrical', 'Gas Safety']),
		cat('Region', ['North', 'South', 'East', 'West']),
	];
}

/** The business's price list (Commusoft part codes kept in Xero too, so invoice lines can carry ItemCode). */
function items(uuid: () => string): ItemRecord[] {
	const list: [string, string, number][] = [
		['CU-15-KIT', '15mm copper fittings kit', 18.75],
		['WB-87161', 'Worcester Bosch diverter valve 87161', 124.5],
		['MAG-22', 'Magnetic system filter 22mm', 89.99],
		['CU-18TH-10', 'Thermostatic radiator valves (pack of 10)', 189.99],
		['CO-ALARM', 'Carbon monoxide alarm', 24.99],
		['VALVE-15', '15mm isolating valve', 6.5],
		['TAP-MIX', 'Kitchen mixer tap', 64.99],
	];
	return list.map(([Code, Name, UnitPrice], i) => ({
		ItemID: uuid(),
		Code,
		Name,
		Description: Name,
		IsSold: true,
		IsPurchased: true,
		SalesDetails: { UnitPrice, AccountCode: '220', TaxType: 'OUTPUT2' },
		UpdatedDateUTC: SEED_EPOCH + i * 60_000,
	}));
}

function contacts(uuid: () => string): ContactRecord[] {
	const people: [string, string | undefined, string | undefined, string, string, string][] = [
		['Alice Hughes', 'Alice', 'Hughes', 'alice.hughes@example.co.uk', '14 Mill Lane', 'LS6 2AB'],
		['Brian Patel', 'Brian', 'Patel', 'brian.patel@example.co.uk', '3 Oak Road', 'M14 5QT'],
		[
			'Carter & Sons Lettings Ltd',
			undefined,
			undefined,
			'accounts@carterlettings.example.co.uk',
			'Unit 4, Canal Wharf',
			'BD1 4RE',
		],
		[
			'Dorset Housing Association',
			undefined,
			undefined,
			'repairs@dorsetha.example.org.uk',
			'1 Quay Street',
			'BH15 1HJ',
		],
		['Emma Thompson', 'Emma', 'Thompson', 'emma.t@example.co.uk', '22 Station Road', 'YO1 7HH'],
		['Farah Khan', 'Farah', 'Khan', 'farah.khan@example.co.uk', '8 Elm Grove', 'S10 2HF'],
		[
			'Greenfield School',
			undefined,
			undefined,
			'bursar@greenfield.example.sch.uk',
			'School Lane',
			'HG1 3QX',
		],
		[
			'Old Mill Cafe (closed)',
			undefined,
			undefined,
			'hello@oldmillcafe.example.co.uk',
			'2 Mill Yard',
			'HX1 1AA',
		],
	];
	return people.map(([Name, FirstName, LastName, EmailAddress, line1, postcode], i) => ({
		ContactID: uuid(),
		ContactNumber: `CUS-${String(i + 1).padStart(5, '0')}`,
		AccountNumber: `ACC-${String(1001 + i)}`,
		ContactStatus: i === 7 ? 'ARCHIVED' : 'ACTIVE',
		Name,
		FirstName,
		LastName,
		EmailAddress,
		ContactPersons:
			i === 2
				? [
						{
							FirstName: 'Jo',
							LastName: 'Carter',
							EmailAddress: 'jo@carterlettings.example.co.uk',
							IncludeInEmails: true,
						},
					]
				: [],
		Addresses: [
			{
				AddressType: 'POBOX',
				AddressLine1: line1,
				City: 'Leeds',
				PostalCode: postcode,
				Country: 'United Kingdom',
			},
			{ AddressType: 'STREET' },
		],
		Phones: [
			{ PhoneType: 'DEFAULT', PhoneNumber: `0113 496 ${String(1000 + i * 37).slice(0, 4)}` },
			{ PhoneType: 'MOBILE', PhoneNumber: `07700 900${String(100 + i)}` },
		],
		DefaultCurrency: 'GBP',
		UpdatedDateUTC: SEED_EPOCH + i * 3_600_000,
	}));
}

export function buildTenant(spec: TenantSeedSpec, seed: number, index: number): TenantState {
	const random = seededRandom(seed * 7919 + index * 104729 + 1);
	const uuid = () => seededUuid(random);
	const tenantId = uuid();
	const state: TenantState = {
		tenantId,
		organisation: {
			OrganisationID: uuid(),
			Name: spec.name,
			LegalName: spec.name,
			ShortCode: spec.shortCode,
			BaseCurrency: 'GBP',
			CountryCode: 'GB',
			Version: 'UK',
			Timezone: 'GMTSTANDARDTIME',
			CreatedDateUTC: SEED_EPOCH - 365 * 86_400_000,
		},
		accounts: accounts(uuid, SEED_EPOCH),
		taxRates: taxRates(),
		trackingCategories: tracking(uuid),
		contacts: [],
		invoices: [],
		payments: [],
		batchPayments: [],
		creditNotes: [],
		items: [],
		nextInvoiceNumber: 1,
	};
	if (spec.data === 'empty') return state;
	state.items = items(uuid);
	state.contacts = contacts(uuid);
	const account = (code: string) => state.accounts.find((a) => a.Code === code)!;
	const [unit, region] = state.trackingCategories;
	const track = (u: number, r: number) => [
		{
			TrackingCategoryID: unit.TrackingCategoryID,
			TrackingOptionID: unit.Options[u].TrackingOptionID,
			Name: unit.Name,
			Option: unit.Options[u].Name,
		},
		{
			TrackingCategoryID: region.TrackingCategoryID,
			TrackingOptionID: region.Options[r].TrackingOptionID,
			Name: region.Name,
			Option: region.Options[r].Name,
		},
	];
	const line = (
		Description: string,
		Quantity: number,
		UnitAmount: number,
		code: string,
		u: number,
		r: number,
	): LineItemRecord => ({
		LineItemID: uuid(),
		Description,
		Quantity,
		UnitAmount,
		AccountCode: code,
		AccountID: account(code).AccountID,
		TaxType: 'OUTPUT2',
		TaxAmount: 0,
		LineAmount: round(Quantity * UnitAmount, 2),
		Tracking: track(u, r),
	});
	const invoice = (
		i: number,
		contact: number,
		Status: InvoiceRecord['Status'],
		lines: LineItemRecord[],
		Reference: string,
	): InvoiceRecord => {
		const day = new Date(SEED_EPOCH + i * 2 * 86_400_000).toISOString().slice(0, 10);
		const inv: InvoiceRecord = {
			InvoiceID: uuid(),
			Type: 'ACCREC',
			ContactID: state.contacts[contact].ContactID,
			InvoiceNumber: `INV-${String(i).padStart(4, '0')}`,
			Reference,
			Date: day,
			DueDate: new Date(Date.parse(day) + 30 * 86_400_000).toISOString().slice(0, 10),
			LineAmountTypes: 'Exclusive',
			Status,
			CurrencyCode: 'GBP',
			CurrencyRate: 1,
			LineItems: lines,
			SubTotal: 0,
			TotalTax: 0,
			Total: 0,
			AmountPaid: 0,
			AmountDue: 0,
			UpdatedDateUTC: SEED_EPOCH + 86_400_000 + i * 3_600_000,
		};
		computeTotals(inv, state.taxRates);
		state.invoices.push(inv);
		return inv;
	};
	invoice(
		1,
		0,
		'DRAFT',
		[line('Replace kitchen tap', 1, 85, '210', 0, 0), line('Mixer tap', 1, 64.99, '220', 0, 0)],
		'JOB-1001',
	);
	invoice(
		2,
		1,
		'AUTHORISED',
		[line('Boiler service', 1, 95, '210', 1, 1), line('Call-out (weekday)', 1, 45, '230', 1, 1)],
		'JOB-1002',
	);
	const paid = invoice(
		3,
		2,
		'AUTHORISED',
		[line('Landlord gas safety certificate', 3, 65, '200', 3, 2)],
		'JOB-1003',
	);
	const voided = invoice(
		4,
		3,
		'VOIDED',
		[line('Rewire consumer unit', 1, 420, '210', 2, 3)],
		'JOB-1004',
	);
	voided.AmountDue = 0;
	const partPaid = invoice(
		5,
		4,
		'AUTHORISED',
		[
			line('Radiator installation', 2, 180, '210', 1, 0),
			line('Radiator 600x1000', 2, 112.5, '220', 1, 0),
		],
		'JOB-1005',
	);
	invoice(
		6,
		5,
		'SUBMITTED',
		[
			line('Emergency leak repair', 1.5, 70, '210', 0, 1),
			line('Call-out (evening)', 1, 75, '230', 0, 1),
		],
		'JOB-1006',
	);
	state.nextInvoiceNumber = 7;
	const bank = account('090');
	const pay = (inv: InvoiceRecord, Amount: number, dayOffset: number) => {
		const p: PaymentRecord = {
			PaymentID: uuid(),
			InvoiceID: inv.InvoiceID,
			AccountID: bank.AccountID,
			Amount,
			Date: new Date(Date.parse(inv.Date) + dayOffset * 86_400_000).toISOString().slice(0, 10),
			CurrencyRate: 1,
			Reference: `Card ${inv.InvoiceNumber}`,
			IsReconciled: false,
			Status: 'AUTHORISED',
			PaymentType: 'ACCRECPAYMENT',
			UpdatedDateUTC: inv.UpdatedDateUTC + 86_400_000,
		};
		state.payments.push(p);
		inv.AmountPaid = round(inv.AmountPaid + Amount, 2);
		inv.AmountDue = round(inv.Total - inv.AmountPaid, 2);
		inv.UpdatedDateUTC = p.UpdatedDateUTC;
		if (inv.AmountDue === 0) {
			inv.Status = 'PAID';
			inv.FullyPaidOnDate = p.Date;
		}
	};
	pay(paid, paid.Total, 3);
	pay(partPaid, 200, 5);
	return state;
}
