// Deterministic Commusoft-shaped invoices and customers for the upsert tests and benchmark (the shape of
// docs/ARCHITECTURE.md "Records between nodes"), using the account codes, tax rates and tracking of the Xero
// sandbox's seeded organisations.
import type { CommusoftCreditNote } from '../../nodes/Commusoft/records';
import type { CommusoftCustomerInput, CommusoftInvoiceInput } from '../../nodes/Xero/mapping/types';
import { invoiceTotals, type CommusoftData, type CsInvoice } from '../../sandbox/commusoft/state';

const FIRST = [
	'Alice',
	'Brian',
	'Chloe',
	'Dev',
	'Erin',
	'Femi',
	'Grace',
	'Hari',
	'Isla',
	'Jon',
	'Kate',
	'Liam',
];
const LAST = [
	'Hughes',
	'Patel',
	'Jones',
	'Okafor',
	'Smith',
	'Wright',
	'Khan',
	'Evans',
	'Reid',
	'Moss',
];
const CODES = ['200', '210', '220', '230', '240'];
const VAT = ['20%', '20%', '20%', '5%', '0%', 'Exempt'];
const UNITS = ['Plumbing', 'Heating', 'Electrical', 'Gas Safety'];

export function customer(
	n: number,
	overrides: Partial<CommusoftCustomerInput> = {},
): CommusoftCustomerInput {
	const first = FIRST[n % FIRST.length];
	const last = LAST[Math.floor(n / FIRST.length) % LAST.length];
	return {
		id: `cust-${n}`,
		accountReference: `CUS-${String(n).padStart(5, '0')}`,
		firstName: first,
		lastName: `${last}${n >= FIRST.length * LAST.length ? ` ${n}` : ''}`,
		customerType: 'private',
		email: `${first.toLowerCase()}.${n}@example.test`,
		telephone: `0113 496 ${String(n).padStart(4, '0')}`,
		address: {
			addressLine1: `${n} Mill Lane`,
			town: 'Leeds',
			postcode: 'LS6 2AB',
			country: 'United Kingdom',
		},
		updatedAt: '2026-11-01T09:00:00Z',
		...overrides,
	};
}

export function invoice(
	n: number,
	cust: CommusoftCustomerInput,
	options: { lines?: number; prefix?: string; unit?: string; variant?: number } = {},
): CommusoftInvoiceInput {
	const lineCount = options.lines ?? 3;
	const variant = options.variant ?? 0;
	const number = `${options.prefix ?? 'CS'}-${String(10000 + n)}`;
	const result = {
		id: `inv-${options.prefix ?? 'CS'}-${n}`,
		invoiceNumber: number,
		reference: `JOB-${2000 + n}`,
		jobId: `job-${n}`,
		date: '2026-11-02',
		dueDate: '2026-12-02',
		status: 'raised',
		currency: 'GBP',
		amountsAre: 'exclusive',
		category: options.unit ?? UNITS[n % UNITS.length],
		url: `https://app.commusoft.test/invoices/${n}`,
		customer: cust,
		lines: Array.from({ length: lineCount }, (_, i) => ({
			id: `line-${n}-${i}`,
			description: i === 0 ? 'Labour' : `Part ${i} for job ${n}`,
			quantity: i === 0 ? 1.5 + variant : i,
			unitPrice: i === 0 ? 45 : 12.3456 + i,
			nominalCode: CODES[(n + i) % CODES.length],
			vatRate: VAT[(n + i) % VAT.length],
			...(i === 2 ? { discountRate: 10 } : {}),
		})),
		createdAt: '2026-11-02T09:00:00Z',
		updatedAt: '2026-11-02T09:00:00Z',
	} as CommusoftInvoiceInput;
	// The totals Commusoft gives such an invoice (its own arithmetic, as the Commusoft sandbox plays it).
	const { total, totalTax } = invoiceTotals(
		{ payments: [] } as unknown as CommusoftData,
		result as unknown as CsInvoice,
	);
	return { ...result, total, totalTax };
}

/**
 * A Commusoft credit note shaped like the invoice of the same n (same lines, codes, VAT and totals), numbered
 * CN-1nnnn, crediting `credits` (an invoice number) when given.
 */
export function creditNote(
	n: number,
	cust: CommusoftCustomerInput,
	options: Parameters<typeof invoice>[2] & { credits?: string } = {},
): CommusoftCreditNote {
	const rest: Partial<CommusoftInvoiceInput> = invoice(n, cust, options);
	delete rest.invoiceNumber;
	delete rest.dueDate;
	return {
		...(rest as unknown as CommusoftCreditNote),
		id: `cn-${n}`,
		creditNoteNumber: `CN-${10000 + n}`,
		...(options.credits ? { creditedInvoiceNumber: options.credits } : {}),
	};
}
