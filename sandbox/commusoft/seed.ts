// Deterministic seed: a UK plumbing & heating firm in West Yorkshire. Same data on every run (fixed dates,
// counter-based uuids, a seeded PRNG for quantities), so tests and the demo can name records.
import { seededRandom } from '../shared/http';
import {
	UUID_KIND,
	addDays,
	emptyData,
	invoiceTotals,
	round2,
	sequentialUuid,
	type CommusoftData,
	type CsAddress,
	type CsCustomer,
	type CsInvoiceLine,
} from './state';

export const SEED_EPOCH = Date.parse('2026-09-01T08:00:00Z');

interface SeedCustomer {
	title?: string;
	firstName: string;
	lastName: string;
	companyName?: string;
	email?: string;
	telephone?: string;
	mobile?: string;
	address: CsAddress;
	extraProperties?: CsAddress[];
	vatNumber?: string;
	paymentTerms?: string;
}

const addr = (
	addressLine1: string,
	town: string,
	postcode: string,
	addressLine2?: string,
): CsAddress => ({
	addressLine1,
	...(addressLine2 ? { addressLine2 } : {}),
	town,
	county: 'West Yorkshire',
	postcode,
	country: 'United Kingdom',
});

// Deliberately messy in places (double spaces, trailing blanks, mixed-case email), as typed by an office.
const CUSTOMERS: SeedCustomer[] = [
	{
		title: 'Mr',
		firstName: 'John',
		lastName: 'Smith',
		email: 'john.smith@example.co.uk',
		mobile: '07700 900101',
		address: addr('14 Elm Road', 'Leeds', 'LS6 2AB'),
	},
	{
		title: 'Mr',
		firstName: 'John',
		lastName: 'Smith',
		email: 'jsmith.whitby@example.com',
		telephone: '01947 600202',
		address: addr('3 Harbour View', 'Whitby', 'YO21 3PU'),
	},
	{
		title: 'Mrs',
		firstName: '  Sarah ',
		lastName: "O'Neill  ",
		email: 'sarah.oneill@example.co.uk',
		mobile: '07700 900103',
		address: addr('27  Kirkstall Lane', 'Leeds', 'ls5 3be'),
	},
	{
		title: 'Dr',
		firstName: 'Priya',
		lastName: 'Patel',
		email: 'priya.patel@example.org',
		mobile: '07700 900104',
		address: addr('8 Oakwood Grove', 'Leeds', 'LS8 2PF'),
	},
	{
		title: 'Ms',
		firstName: 'Emma',
		lastName: 'Clarke',
		email: 'emma.clarke@example.co.uk',
		telephone: '0113 496 0105',
		address: addr('Flat 4, Victoria Court', 'Harrogate', 'HG1 5LQ', '12 Victoria Avenue'),
	},
	{
		title: 'Miss',
		firstName: 'Chloe',
		lastName: 'Davies',
		email: 'chloe.davies@example.com',
		mobile: '07700 900106',
		address: addr('61 Otley Road', 'Leeds', 'LS16 5JT'),
	},
	{
		title: 'Mr',
		firstName: 'David  ',
		lastName: 'Hughes',
		email: 'd.hughes@example.co.uk',
		mobile: '07700 900107',
		address: addr('2 Mill  Cottages', 'Ilkley', 'LS29 9DX'),
	},
	{
		title: 'Mrs',
		firstName: 'Margaret',
		lastName: 'Thompson',
		telephone: '01274 496108',
		address: addr('19 Moorhead Lane', 'Shipley', 'BD18 4JH'),
	},
	{
		title: 'Mr',
		firstName: 'Tom',
		lastName: 'Barker',
		email: 'tom@barker-family.example',
		mobile: '07700 900109',
		address: addr('The Barn, Low Lane', 'Horsforth', 'LS18 5PX'),
	},
	{
		title: 'Mr & Mrs',
		firstName: 'Alan',
		lastName: 'Walsh',
		email: 'walsh.household@example.co.uk',
		telephone: '0113 496 0110',
		address: addr('45 Station Road', 'Guiseley', 'LS20 8BX'),
	},
	{
		title: 'Mr',
		firstName: 'Ian',
		lastName: 'Hartley',
		companyName: 'Hartley Lettings Ltd',
		email: 'accounts@hartley-lettings.example',
		telephone: '0113 496 0111',
		address: addr('Unit 2, Calls Wharf', 'Leeds', 'LS2 7EH'),
		extraProperties: [
			addr('Flat 1, 9 Hyde Park Road', 'Leeds', 'LS6 1AG'),
			addr('Flat 2, 9 Hyde Park Road', 'Leeds', 'LS6 1AG'),
			addr('33 Brudenell Grove', 'Leeds', 'LS6 1HR'),
		],
		vatNumber: 'GB123456789',
		paymentTerms: '30 days',
	},
	{
		title: 'Mrs',
		firstName: 'Helen',
		lastName: 'Brook',
		companyName: 'Brookfield Care Homes Ltd',
		email: 'finance@brookfieldcare.example',
		telephone: '01924 496112',
		address: addr('Brookfield House, Park Lane', 'Wakefield', 'WF1 2QT'),
		extraProperties: [addr('Brookfield Lodge, 4 Denby Dale Road', 'Wakefield', 'WF2 8DY')],
		vatNumber: 'GB987654321',
		paymentTerms: '30 days',
	},
	{
		firstName: 'Accounts',
		lastName: 'Payable',
		companyName: 'Northern Property Management LLP',
		email: 'ap@northernpm.example',
		telephone: '0113 496 0113',
		address: addr('5th Floor, 1 City Square', 'Leeds', 'LS1 2ES'),
		extraProperties: [
			addr('22 Cardigan Road', 'Leeds', 'LS6 3AG'),
			addr('7 Headingley Mount', 'Leeds', 'LS6 3EL'),
		],
		paymentTerms: '45 days',
	},
	{
		title: 'Mrs',
		firstName: 'Anne',
		lastName: 'Fowler',
		companyName: "St Mary's Primary School",
		email: 'bursar@stmarys-school.example',
		telephone: '01943 496114',
		address: addr('Church Street', 'Menston', 'LS29 6EA'),
		paymentTerms: '30 days',
	},
	{
		title: 'Ms',
		firstName: 'Rosa',
		lastName: 'Martinez',
		companyName: 'The Old Bakery Café Ltd',
		email: 'hello@oldbakerycafe.example',
		mobile: '07700 900115',
		address: addr('1 Market Place', 'Otley', 'LS21 3AQ'),
	},
	{
		title: 'Dr',
		firstName: 'Neil',
		lastName: 'Shah',
		companyName: 'Kirkstall Dental Practice',
		email: 'practice.manager@kirkstalldental.example',
		telephone: '0113 496 0116',
		address: addr('210 Kirkstall Road', 'Leeds', 'LS4 2AR'),
		vatNumber: 'GB555666777',
	},
	{
		title: 'Mrs',
		firstName: 'Fatima',
		lastName: 'Khan',
		email: 'fatima.khan@example.co.uk',
		mobile: '07700 900117',
		address: addr('16 Toller Lane', 'Bradford', 'BD8 9BX'),
	},
	{
		title: 'Mr',
		firstName: 'Gareth',
		lastName: 'Jones',
		email: 'gareth.jones@example.cymru',
		mobile: '07700 900118',
		address: addr('4 Wharfe View', 'Pool-in-Wharfedale', 'LS21 1LN'),
	},
	{
		title: 'Ms',
		firstName: 'Lucy',
		lastName: 'Bennett',
		email: ' Lucy.Bennett@Example.co.uk ',
		telephone: '0113 496 0119',
		address: addr('88 Roundhay Road', 'Leeds', 'LS8 5AQ'),
	},
	{
		firstName: 'Housing',
		lastName: 'Maintenance Team',
		companyName: 'Aire Valley Housing Association',
		email: 'repairs@airevalleyha.example',
		telephone: '01535 496120',
		address: addr('Aire House, North Street', 'Keighley', 'BD21 3AD'),
		extraProperties: [
			addr('12 Lund Park', 'Keighley', 'BD21 5HB'),
			addr('3 Spring Gardens', 'Bingley', 'BD16 2DU'),
		],
		vatNumber: 'GB222333444',
		paymentTerms: '60 days',
	},
];

export const SEED_CATEGORIES = ['Plumbing', 'Heating', 'Electrical', 'Gas Safety'];

export const SEED_NOMINAL_CODES = [
	{ code: '200', name: 'Sales' },
	{ code: '210', name: 'Labour' },
	{ code: '220', name: 'Parts' },
	{ code: '230', name: 'Call-out' },
];

type LineTemplate = Omit<CsInvoiceLine, 'uuid' | 'quantity'> & { hours?: boolean };

const LINES: Record<string, LineTemplate[]> = {
	Plumbing: [
		{ description: 'Emergency call-out', unitPrice: 65, nominalCode: '230', vatRate: '20%' },
		{
			description: 'Labour - plumber (per hour)',
			unitPrice: 55,
			nominalCode: '210',
			vatRate: '20%',
			hours: true,
		},
		{
			description: '15mm copper pipe and compression fittings',
			unitPrice: 18.75,
			nominalCode: '220',
			vatRate: '20%',
			itemCode: 'CU-15-KIT',
		},
		{ description: 'Supply and fit mixer tap', unitPrice: 145, nominalCode: '200', vatRate: '20%' },
		{
			description: 'Unblock waste and jet drain',
			unitPrice: 95,
			nominalCode: '200',
			vatRate: '20%',
		},
	],
	Heating: [
		{ description: 'Annual boiler service', unitPrice: 85, nominalCode: '200', vatRate: '20%' },
		{
			description: 'Labour - heating engineer (per hour)',
			unitPrice: 60,
			nominalCode: '210',
			vatRate: '20%',
			hours: true,
		},
		{
			description: 'Diverter valve (Worcester 87161)',
			unitPrice: 124.5,
			nominalCode: '220',
			vatRate: '20%',
			itemCode: 'WB-87161',
		},
		{
			description: 'Magnetic system filter',
			unitPrice: 89.99,
			nominalCode: '220',
			vatRate: '20%',
			itemCode: 'MAG-22',
		},
		{
			description: 'Power flush (up to 10 radiators)',
			unitPrice: 350,
			nominalCode: '200',
			vatRate: '20%',
		},
	],
	Electrical: [
		{ description: 'Call-out charge', unitPrice: 55, nominalCode: '230', vatRate: '20%' },
		{
			description: 'Labour - electrician (per hour)',
			unitPrice: 50,
			nominalCode: '210',
			vatRate: '20%',
			hours: true,
		},
		{
			description: '18th Edition consumer unit with RCBOs',
			unitPrice: 189.99,
			nominalCode: '220',
			vatRate: '20%',
			itemCode: 'CU-18TH-10',
		},
		{
			description: 'EICR inspection and report',
			unitPrice: 150,
			nominalCode: '200',
			vatRate: '20%',
		},
	],
	'Gas Safety': [
		{
			description: 'Landlord gas safety certificate (CP12)',
			unitPrice: 70,
			nominalCode: '200',
			vatRate: '20%',
		},
		{
			description: 'Additional appliance check',
			unitPrice: 15,
			nominalCode: '200',
			vatRate: '20%',
		},
		{
			description: 'Carbon monoxide alarm',
			unitPrice: 24.99,
			nominalCode: '220',
			vatRate: '20%',
			itemCode: 'CO-ALARM',
		},
		{ description: 'Call-out (out of area)', unitPrice: 35, nominalCode: '230', vatRate: '20%' },
	],
};

const ZERO_RATED: LineTemplate = {
	description: 'Disabled access adaptation (zero-rated)',
	unitPrice: 240,
	nominalCode: '200',
	vatRate: '0%',
};
const NO_VAT: LineTemplate = {
	description: 'Certificate admin fee (outside the scope of VAT)',
	unitPrice: 12.5,
	nominalCode: '200',
	vatRate: 'No VAT',
};

const iso = (ms: number) => new Date(ms).toISOString();
const HOUR = 3_600_000;

export function seedData(): CommusoftData {
	const data = emptyData();
	const random = seededRandom(20261101);
	data.nominalCodes = SEED_NOMINAL_CODES.map((n) => ({ ...n }));
	data.categories = SEED_CATEGORIES.map((name) => ({
		uuid: sequentialUuid(data, UUID_KIND.category),
		name,
	}));

	CUSTOMERS.forEach((seed, index) => {
		const at = iso(SEED_EPOCH - (40 - index) * 24 * HOUR);
		data.counters.customerId += 1;
		data.counters.customerReference += 1;
		const customer: CsCustomer = {
			id: data.counters.customerId,
			uuid: sequentialUuid(data, UUID_KIND.customer),
			reference: `CUS-${String(data.counters.customerReference).padStart(5, '0')}`,
			customerType: seed.companyName ? 'company' : 'private',
			title: seed.title,
			firstName: seed.firstName,
			lastName: seed.lastName,
			companyName: seed.companyName,
			email: seed.email,
			telephone: seed.telephone,
			mobile: seed.mobile,
			address: seed.address,
			accountingSettings: {
				vatNumber: seed.vatNumber,
				paymentTerms: seed.paymentTerms ?? '14 days',
			},
			deleted: 0,
			createdAt: at,
			updatedAt: at,
		};
		data.customers.push(JSON.parse(JSON.stringify(customer)) as CsCustomer);
		for (const property of [seed.address, ...(seed.extraProperties ?? [])]) {
			data.properties.push({
				uuid: sequentialUuid(data, UUID_KIND.property),
				customerUuid: customer.uuid,
				...property,
			});
		}
		if (seed.companyName) {
			data.contacts.push({
				uuid: sequentialUuid(data, UUID_KIND.contact),
				linkedEntityType: 'customer',
				linkedEntityUuid: customer.uuid,
				title: seed.title,
				firstName: seed.firstName,
				lastName: seed.lastName,
				email: seed.email,
				telephone: seed.telephone,
				createdAt: at,
				updatedAt: at,
			});
		}
	});

	for (let index = 0; index < 30; index++) {
		const customer = data.customers[(index * 7 + 3) % data.customers.length];
		const properties = data.properties.filter((p) => p.customerUuid === customer.uuid);
		const property = properties[index % properties.length];
		const categoryName = SEED_CATEGORIES[index % SEED_CATEGORIES.length];
		const category = data.categories.find((c) => c.name === categoryName)!;
		const createdMs = SEED_EPOCH + index * 2 * 24 * HOUR + (index % 5) * HOUR;
		const date = iso(createdMs).slice(0, 10);
		const templates = LINES[categoryName];
		const lineCount = 1 + Math.floor(random() * 5);
		const chosen: LineTemplate[] = [];
		for (let l = 0; l < lineCount; l++) chosen.push(templates[(index + l * 2) % templates.length]);
		if (index % 7 === 3) chosen.push(ZERO_RATED);
		if (index % 9 === 5) chosen.push(NO_VAT);
		const noTax = index === 12 || index === 25;
		const lines: CsInvoiceLine[] = chosen.slice(0, 5).map((template, l) => ({
			uuid: sequentialUuid(data, UUID_KIND.line),
			description: template.description,
			quantity: template.hours
				? [1, 1.5, 2, 3, 4][Math.floor(random() * 5)]
				: 1 + (l === 2 && index % 3 === 0 ? 1 : 0),
			unitPrice: template.unitPrice,
			discountRate: index % 10 === 4 && l === 0 ? 10 : undefined,
			nominalCode: template.nominalCode,
			vatRate: noTax ? 'No VAT' : template.vatRate,
			itemCode: template.itemCode,
		}));
		data.counters.jobNumber += 1;
		const job = {
			uuid: sequentialUuid(data, UUID_KIND.job),
			jobNumber: `JOB-${data.counters.jobNumber}`,
			description: `${categoryName}: ${lines[0].description.toLowerCase()}`,
			status: 'completed' as const,
			customerUuid: customer.uuid,
			propertyUuid: property.uuid,
			createdAt: iso(createdMs - 3 * 24 * HOUR),
			updatedAt: iso(createdMs),
		};
		data.jobs.push(job);
		data.counters.invoiceNumber += 1;
		data.invoices.push({
			uuid: sequentialUuid(data, UUID_KIND.invoice),
			invoiceNumber: `CS-${data.counters.invoiceNumber}`,
			customerUuid: customer.uuid,
			propertyUuid: property.uuid,
			jobUuid: job.uuid,
			date,
			dueDate: addDays(date, customer.customerType === 'company' ? 30 : 14),
			status: index === 27 || index === 28 ? 'draft' : index === 29 ? 'cancelled' : 'raised',
			currency: 'GBP',
			amountsAre: noTax ? 'noTax' : index === 8 || index === 19 ? 'inclusive' : 'exclusive',
			categoryUuid: category.uuid,
			lines,
			createdAt: iso(createdMs),
			updatedAt: iso(createdMs + HOUR),
		});
	}

	// Jobs still open (no invoice yet).
	for (const [offset, description] of [
		[1, 'Heating: no hot water, combi boiler fault'],
		[6, 'Plumbing: leaking radiator valve'],
		[11, 'Gas Safety: annual landlord inspection'],
	] as const) {
		const customer = data.customers[offset];
		data.counters.jobNumber += 1;
		data.jobs.push({
			uuid: sequentialUuid(data, UUID_KIND.job),
			jobNumber: `JOB-${data.counters.jobNumber}`,
			description,
			status: 'open',
			customerUuid: customer.uuid,
			propertyUuid: data.properties.find((p) => p.customerUuid === customer.uuid)?.uuid,
			createdAt: iso(SEED_EPOCH + 62 * 24 * HOUR),
			updatedAt: iso(SEED_EPOCH + 62 * 24 * HOUR),
		});
	}

	// Payments recorded in Commusoft by the office: every 4th raised invoice paid in full, a few part-paid.
	data.invoices.forEach((invoice, index) => {
		if (invoice.status !== 'raised') return;
		const { total } = invoiceTotals(data, invoice);
		const amount = index % 4 === 0 ? total : index % 6 === 1 ? round2(Math.min(50, total)) : 0;
		if (amount <= 0) return;
		const at = iso(Date.parse(invoice.updatedAt) + 5 * 24 * HOUR);
		data.payments.push({
			uuid: sequentialUuid(data, UUID_KIND.payment),
			invoiceUuid: invoice.uuid,
			amount,
			date: at.slice(0, 10),
			method: index % 8 === 0 ? 'card' : 'bank_transfer',
			reference: `Paid by ${index % 8 === 0 ? 'card' : 'BACS'}`,
			createdAt: at,
			updatedAt: at,
		});
		invoice.updatedAt = at;
	});
	seedSuppliersAndDepositJob(data);
	return data;
}

/** Purchase nominal codes (supplier invoices): linked to the Xero sandbox's expense accounts of the same code. */
export const SEED_PURCHASE_NOMINAL_CODES = [
	{ code: '310', name: 'Cost of Goods Sold' },
	{ code: '429', name: 'General Expenses' },
];

/**
 * Suppliers (one shares its name with a customer: the landlord of the firm's yard is also a customer), and one
 * job carrying a deposit invoice, a credit note against it and the supplier invoice for its parts. Added after
 * everything else so the uuids and numbers of the records above stay as they were.
 */
function seedSuppliersAndDepositJob(data: CommusoftData): void {
	data.nominalCodes.push(...SEED_PURCHASE_NOMINAL_CODES.map((n) => ({ ...n })));
	const day = (days: number, hours = 9) => iso(SEED_EPOCH + days * 24 * HOUR + hours * HOUR);
	const suppliers = [
		{
			companyName: 'Plumb Center Leeds',
			contactName: 'Trade Counter',
			email: 'leeds.tradecounter@plumbcenter.example',
			telephone: '0113 496 0200',
			address: addr('Unit 4, Kirkstall Industrial Park', 'Leeds', 'LS4 2AZ'),
			vatNumber: 'GB222333444',
		},
		{
			companyName: 'City Plumbing Supplies Wakefield',
			email: 'accounts@cityplumbing-wakefield.example',
			telephone: '01924 496201',
			address: addr('Calder Vale Road', 'Wakefield', 'WF1 5PH'),
		},
		{
			companyName: 'J Smith Electrical Ltd',
			contactName: 'James Smith',
			email: 'james@jsmith-electrical.example',
			mobile: '07700 900202',
			address: addr('12 Ring Road', 'Leeds', 'LS12 6AB'),
		},
		{
			// Also a customer (CUS-00013): it lets the firm its van yard and buys its plumbing work.
			companyName: 'Northern Property Management LLP',
			contactName: 'Accounts Receivable',
			email: 'ar@northernpm.example',
			telephone: '0113 496 0113',
			address: addr('5th Floor, 1 City Square', 'Leeds', 'LS1 2ES'),
		},
		{ companyName: 'Screwfix Direct', email: 'trade@screwfix.example' },
	];
	suppliers.forEach((seed, index) => {
		data.counters.supplierId = 200 + index + 1;
		const at = day(63, index);
		data.suppliers.push({
			id: data.counters.supplierId,
			uuid: sequentialUuid(data, UUID_KIND.supplier),
			reference: `SUP-${String(index + 1).padStart(5, '0')}`,
			companyName: seed.companyName,
			contactName: seed.contactName,
			email: seed.email,
			telephone: seed.telephone,
			mobile: seed.mobile,
			address: seed.address,
			accountingSettings: { vatNumber: seed.vatNumber },
			deleted: 0,
			createdAt: at,
			updatedAt: at,
		});
	});

	// Boiler replacement at a care home: 30% deposit invoiced up front, the smart thermostat then taken off
	// the job (credit note against the deposit), and the boiler bought from Plumb Center for the job.
	const customer = data.customers.find((c) => c.companyName === 'Brookfield Care Homes Ltd')!;
	const property = data.properties.filter((p) => p.customerUuid === customer.uuid)[1];
	const heating = data.categories.find((c) => c.name === 'Heating')!;
	data.counters.jobNumber += 1;
	const job = {
		uuid: sequentialUuid(data, UUID_KIND.job),
		jobNumber: `JOB-${data.counters.jobNumber}`,
		description: 'Heating: replace boiler at Brookfield Lodge (deposit taken)',
		status: 'open' as const,
		customerUuid: customer.uuid,
		propertyUuid: property.uuid,
		createdAt: day(64),
		updatedAt: day(64),
	};
	data.jobs.push(job);
	data.counters.invoiceNumber += 1;
	const deposit = {
		uuid: sequentialUuid(data, UUID_KIND.invoice),
		invoiceNumber: `CS-${data.counters.invoiceNumber}`,
		customerUuid: customer.uuid,
		propertyUuid: property.uuid,
		jobUuid: job.uuid,
		date: day(64).slice(0, 10),
		dueDate: addDays(day(64).slice(0, 10), 14),
		status: 'raised' as const,
		currency: 'GBP',
		amountsAre: 'exclusive' as const,
		categoryUuid: heating.uuid,
		invoiceType: 'deposit' as const,
		lines: [
			{
				uuid: sequentialUuid(data, UUID_KIND.line),
				description: 'Deposit: replacement combi boiler with smart thermostat (30%)',
				quantity: 1,
				unitPrice: 1140,
				nominalCode: '200',
				vatRate: '20%',
			},
		],
		createdAt: day(64, 10),
		updatedAt: day(64, 10),
	};
	data.invoices.push(deposit);
	data.counters.creditNoteNumber = 501;
	data.creditNotes.push({
		uuid: sequentialUuid(data, UUID_KIND.creditNote),
		creditNoteNumber: 'CN-501',
		customerUuid: customer.uuid,
		invoiceUuid: deposit.uuid,
		propertyUuid: property.uuid,
		jobUuid: job.uuid,
		date: day(65).slice(0, 10),
		status: 'raised',
		currency: 'GBP',
		amountsAre: 'exclusive',
		categoryUuid: heating.uuid,
		lines: [
			{
				uuid: sequentialUuid(data, UUID_KIND.line),
				description: 'Smart thermostat removed from the job (30% deposit share)',
				quantity: 1,
				unitPrice: 60,
				nominalCode: '200',
				vatRate: '20%',
			},
		],
		refunds: [],
		createdAt: day(65, 11),
		updatedAt: day(65, 11),
	});
	const plumbCenter = data.suppliers[0];
	const smithElectrical = data.suppliers[2];
	const landlord = data.suppliers[3];
	const bills: Array<{
		supplierUuid: string;
		supplierInvoiceNumber: string;
		jobUuid?: string;
		category?: string;
		days: number;
		lines: Array<Omit<CsInvoiceLine, 'uuid'>>;
	}> = [
		{
			supplierUuid: plumbCenter.uuid,
			supplierInvoiceNumber: 'PC-448812',
			jobUuid: job.uuid,
			category: heating.uuid,
			days: 66,
			lines: [
				{
					description: 'Worcester Bosch Greenstar 8000 30kW combi boiler',
					quantity: 1,
					unitPrice: 1450,
					nominalCode: '310',
					vatRate: '20%',
					itemCode: 'WB-8000-30',
				},
				{
					description: 'Horizontal flue kit',
					quantity: 1,
					unitPrice: 85.5,
					nominalCode: '310',
					vatRate: '20%',
				},
			],
		},
		{
			// The same number as another supplier's invoice: supplier invoice numbers are unique per supplier only.
			supplierUuid: smithElectrical.uuid,
			supplierInvoiceNumber: '1001',
			jobUuid: job.uuid,
			category: heating.uuid,
			days: 66,
			lines: [
				{
					description: 'Subcontract: boiler wiring and controls (1 day)',
					quantity: 1,
					unitPrice: 240,
					nominalCode: '310',
					vatRate: '20%',
				},
			],
		},
		{
			supplierUuid: landlord.uuid,
			supplierInvoiceNumber: '1001',
			days: 67,
			lines: [
				{
					description: 'Van yard rent, December',
					quantity: 1,
					unitPrice: 350,
					nominalCode: '429',
					vatRate: 'Exempt',
				},
			],
		},
	];
	for (const bill of bills) {
		const date = day(bill.days).slice(0, 10);
		data.supplierInvoices.push({
			uuid: sequentialUuid(data, UUID_KIND.supplierInvoice),
			supplierUuid: bill.supplierUuid,
			supplierInvoiceNumber: bill.supplierInvoiceNumber,
			jobUuid: bill.jobUuid,
			date,
			dueDate: addDays(date, 30),
			status: 'raised',
			currency: 'GBP',
			amountsAre: 'exclusive',
			categoryUuid: bill.category,
			lines: bill.lines.map((line) => ({ uuid: sequentialUuid(data, UUID_KIND.line), ...line })),
			createdAt: day(bill.days, 14),
			updatedAt: day(bill.days, 14),
		});
	}
}
