// A receivables book for the balance tests, built over HTTP only so in-process and real-n8n (e2e)
// tests share it: Xero contacts, invoices, payments and voids through the Xero sandbox's vendor API; Commusoft
// customers through the Commusoft sandbox's inspection API. Expected figures are computed from the Xero
// sandbox's raw inspection state (`GET /__sandbox/state`), independently of the node's code.

export interface ScenarioTargets {
	xeroUrl: string;
	accessToken: string;
	tenantId: string;
	/** Commusoft sandbox origin (its `/__sandbox/` surface) */
	commusoftUrl: string;
}

export interface ScenarioCustomer {
	uuid: string;
	reference: string;
	contactId: string;
	/** whether the Commusoft customer stores the Xero ContactID (else it is found by ContactNumber) */
	linked: boolean;
}

export interface ExpectedBalance {
	balanceOutstanding: number;
	balanceOverdue: number;
	outstandingInvoiceCount: number;
	overdueInvoiceCount: number;
	oldestOverdueDate: string | null;
	lastPaymentDate: string | null;
	lastPaymentAmount: number | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const pad = (n: number) => String(n).padStart(5, '0');

export function dayOffset(today: string, days: number): string {
	return new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export async function xeroApi(
	t: ScenarioTargets,
	method: string,
	path: string,
	body?: unknown,
): Promise<Record<string, unknown>> {
	const response = await fetch(`${t.xeroUrl}/api.xro/2.0${path}`, {
		method,
		headers: {
			authorization: `Bearer ${t.accessToken}`,
			'xero-tenant-id': t.tenantId,
			accept: 'application/json',
			...(body ? { 'content-type': 'application/json' } : {}),
		},
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 500)}`);
	return JSON.parse(text) as Record<string, unknown>;
}

async function inBatches<T>(values: T[], size: number, send: (batch: T[]) => Promise<void>) {
	for (let i = 0; i < values.length; i += size) await send(values.slice(i, i + size));
}

function line(amount: number) {
	return { Description: 'Boiler service', Quantity: 1, UnitAmount: amount, AccountCode: '200' };
}

/**
 * `count` customers in five shapes (by index mod 5): part-paid and overdue; current plus a voided invoice;
 * fully paid; draft only (owes nothing); two overdue plus one current (over a 500 credit limit for most).
 * Even indexes store the Xero ContactID in Commusoft, odd ones only the reference (= ContactNumber).
 */
export async function buildBalancesScenario(
	t: ScenarioTargets,
	count: number,
	today: string,
	prefix = 'BAL',
): Promise<ScenarioCustomer[]> {
	const numbers = Array.from({ length: count }, (_, i) => `${prefix}-${pad(i)}`);
	const contactIds = new Map<string, string>();
	await inBatches(numbers, 50, async (batch) => {
		const body = await xeroApi(t, 'PUT', '/Contacts', {
			Contacts: batch.map((n) => ({ Name: `Balance customer ${n}`, ContactNumber: n })),
		});
		for (const c of body.Contacts as Array<Record<string, string>>)
			contactIds.set(c.ContactNumber, c.ContactID);
	});

	type Draft = { n: number; status: string; due: number; amount: number; role: string };
	const drafts: Draft[] = [];
	numbers.forEach((_, i) => {
		const base = 100 + (i % 17) * 10;
		const add = (status: string, due: number, amount: number, role: string) =>
			drafts.push({ n: i, status, due, amount, role });
		switch (i % 5) {
			case 0:
				add('AUTHORISED', -20 - (i % 7), base, 'partPaid');
				break;
			case 1:
				add('AUTHORISED', 14, base, 'current');
				add('AUTHORISED', -40, 999, 'void');
				break;
			case 2:
				add('AUTHORISED', -5, base, 'paid');
				break;
			case 3:
				add('DRAFT', -30, base, 'draft');
				break;
			default:
				add('AUTHORISED', -60, base + 300, 'overdue');
				add('AUTHORISED', -10, 150, 'overdue');
				add('AUTHORISED', 30, 50, 'current');
		}
	});
	const created: Array<Draft & { id: string; total: number }> = [];
	await inBatches(drafts, 50, async (batch) => {
		const body = await xeroApi(t, 'PUT', '/Invoices', {
			Invoices: batch.map((d) => ({
				Type: 'ACCREC',
				Contact: { ContactID: contactIds.get(numbers[d.n]) },
				Date: dayOffset(today, -70),
				DueDate: dayOffset(today, d.due),
				LineAmountTypes: 'NoTax',
				Status: d.status,
				LineItems: [line(d.amount)],
			})),
		});
		(body.Invoices as Array<Record<string, unknown>>).forEach((inv, k) =>
			created.push({ ...batch[k], id: String(inv.InvoiceID), total: Number(inv.Total) }),
		);
	});

	const payments = created
		.filter((c) => c.role === 'partPaid' || c.role === 'paid')
		.map((c) => ({
			Invoice: { InvoiceID: c.id },
			Account: { Code: '090' },
			Date: dayOffset(today, c.role === 'paid' ? -3 : -(c.n % 9) - 1),
			Amount: c.role === 'paid' ? c.total : 30,
		}));
	await inBatches(payments, 50, async (batch) => {
		await xeroApi(t, 'PUT', '/Payments', { Payments: batch });
	});
	for (const v of created.filter((c) => c.role === 'void')) {
		await xeroApi(t, 'POST', `/Invoices/${v.id}`, {
			Invoices: [{ InvoiceID: v.id, Status: 'VOIDED' }],
		});
	}

	const customers: ScenarioCustomer[] = [];
	for (const [i, reference] of numbers.entries()) {
		const linked = i % 2 === 0;
		const response = await fetch(`${t.commusoftUrl}/__sandbox/customers`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				reference,
				firstName: 'Balance',
				lastName: `Customer ${reference}`,
				customerType: 'private',
				...(linked
					? { accountingSettings: { accountingReference: contactIds.get(reference) } }
					: {}),
			}),
		});
		if (!response.ok) throw new Error(`Commusoft customer ${reference}: ${await response.text()}`);
		const body = (await response.json()) as Record<string, string>;
		customers.push({ uuid: body.uuid, reference, contactId: contactIds.get(reference)!, linked });
	}
	return customers;
}

/** Pays every open invoice of one contact in full (so its summary must be cleared). */
export async function payOffContact(t: ScenarioTargets, contactId: string, today: string) {
	const body = await xeroApi(
		t,
		'GET',
		`/Invoices?ContactIDs=${contactId}&Statuses=AUTHORISED&page=1`,
	);
	const open = (body.Invoices as Array<Record<string, unknown>>).filter(
		(inv) => inv.Type === 'ACCREC' && Number(inv.AmountDue) > 0,
	);
	if (!open.length) return;
	await xeroApi(t, 'PUT', '/Payments', {
		Payments: open.map((inv) => ({
			Invoice: { InvoiceID: inv.InvoiceID },
			Account: { Code: '090' },
			Date: today,
			Amount: inv.AmountDue,
		})),
	});
}

interface RawState {
	contacts: Array<{ ContactID: string }>;
	invoices: Array<{
		InvoiceID: string;
		Type: string;
		Status: string;
		ContactID: string;
		DueDate?: string;
		AmountDue: number;
	}>;
	payments: Array<{ InvoiceID: string; Status: string; Date: string; Amount: number }>;
}

/** Expected figures per ContactID (lower case) from the Xero sandbox's own stored records. */
export async function expectedFromXeroState(
	xeroUrl: string,
	tenantId: string,
	today: string,
): Promise<Map<string, ExpectedBalance>> {
	const response = await fetch(`${xeroUrl}/__sandbox/state?tenantId=${tenantId}`);
	const state = (await response.json()) as RawState;
	const expected = new Map<string, ExpectedBalance>();
	for (const c of state.contacts) {
		expected.set(c.ContactID.toLowerCase(), {
			balanceOutstanding: 0,
			balanceOverdue: 0,
			outstandingInvoiceCount: 0,
			overdueInvoiceCount: 0,
			oldestOverdueDate: null,
			lastPaymentDate: null,
			lastPaymentAmount: null,
		});
	}
	const contactOfInvoice = new Map(state.invoices.map((i) => [i.InvoiceID, i.ContactID]));
	for (const inv of state.invoices) {
		if (inv.Type !== 'ACCREC' || inv.Status !== 'AUTHORISED' || inv.AmountDue <= 0) continue;
		const e = expected.get(inv.ContactID.toLowerCase())!;
		e.balanceOutstanding = round2(e.balanceOutstanding + inv.AmountDue);
		e.outstandingInvoiceCount++;
		if (inv.DueDate && inv.DueDate < today) {
			e.balanceOverdue = round2(e.balanceOverdue + inv.AmountDue);
			e.overdueInvoiceCount++;
			if (!e.oldestOverdueDate || inv.DueDate < e.oldestOverdueDate)
				e.oldestOverdueDate = inv.DueDate;
		}
	}
	for (const p of state.payments) {
		if (p.Status !== 'AUTHORISED') continue;
		const e = expected.get(String(contactOfInvoice.get(p.InvoiceID)).toLowerCase());
		if (!e) continue;
		if (!e.lastPaymentDate || p.Date > e.lastPaymentDate) {
			e.lastPaymentDate = p.Date;
			e.lastPaymentAmount = p.Amount;
		} else if (p.Date === e.lastPaymentDate) {
			e.lastPaymentAmount = round2((e.lastPaymentAmount ?? 0) + p.Amount);
		}
	}
	return expected;
}
