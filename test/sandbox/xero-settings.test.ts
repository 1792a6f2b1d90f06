import { describe, expect, it } from 'vitest';
import { startXeroSandbox, type XeroSandbox } from '../../sandbox/xero/server';
import { xeroTestClient, type XeroTestClient } from '../../sandbox/xero/client';
import { useSchemaCheckedXeroSandbox } from '../helpers/xeroSandbox';

let sb: XeroSandbox;
let x: XeroTestClient;
useSchemaCheckedXeroSandbox({ trackingOptionCap: 6 }, (sandbox, client) => {
	sb = sandbox;
	x = client;
});

const errorOf = (r: { json: { Elements: { ValidationErrors: { Message: string }[] }[] } }) =>
	r.json.Elements[0].ValidationErrors[0].Message;

describe('Xero sandbox seed data and settings', () => {
	it('serves the UK trades chart of accounts, VAT rates, tracking categories and organisation', async () => {
		const accounts = (await x.call('GET', '/Accounts')).json.Accounts as {
			Code: string;
			Name: string;
			Type: string;
			Status: string;
		}[];
		const byCode = Object.fromEntries(accounts.map((a) => [a.Code, a]));
		expect(byCode['200'].Name).toBe('Sales');
		expect(byCode['210'].Name).toBe('Labour');
		expect(byCode['220'].Name).toBe('Parts');
		expect(byCode['230'].Name).toBe('Call-out');
		expect(byCode['090']).toMatchObject({ Name: 'Business Bank Account', Type: 'BANK' });
		expect(byCode['250'].Status).toBe('ARCHIVED');
		const revenue = (
			await x.call('GET', '/Accounts', {
				query: { where: 'Type=="REVENUE" AND Status=="ACTIVE"', order: 'Code DESC' },
			})
		).json.Accounts;
		expect(revenue.map((a: { Code: string }) => a.Code)).toEqual([
			'240',
			'230',
			'220',
			'210',
			'200',
		]);
		const taxTypes = (await x.call('GET', '/TaxRates')).json.TaxRates.map(
			(t: { TaxType: string }) => t.TaxType,
		);
		expect(taxTypes).toEqual(
			expect.arrayContaining(['OUTPUT2', 'ZERORATEDOUTPUT', 'EXEMPTOUTPUT', 'NONE', 'INPUT2']),
		);
		expect(
			(await x.call('GET', '/TaxRates', { query: { TaxType: 'OUTPUT2' } })).json.TaxRates[0],
		).toMatchObject({ Name: '20% (VAT on Income)', EffectiveRate: 20 });
		const tracking = (await x.call('GET', '/TrackingCategories')).json.TrackingCategories;
		expect(
			tracking.map((c: { Name: string; Options: { Name: string }[] }) => [
				c.Name,
				c.Options.map((o) => o.Name),
			]),
		).toEqual([
			['Business Unit', ['Plumbing', 'Heating', 'Electrical', 'Gas Safety']],
			['Region', ['North', 'South', 'East', 'West']],
		]);
		expect((await x.call('GET', '/Organisation')).json.Organisations[0]).toMatchObject({
			Name: 'Demo Plumbing & Heating Ltd',
			BaseCurrency: 'GBP',
			CountryCode: 'GB',
		});
	});

	it('is deterministic for a seed and differs for another seed', async () => {
		const ids = () =>
			sb
				.state()
				.invoices.map((i) => i.InvoiceID)
				.join();
		const first = ids();
		sb.reset();
		expect(ids()).toBe(first);
		sb.reset(2);
		expect(ids()).not.toBe(first);
		sb.reset(1);
		expect(ids()).toBe(first);
		expect(sb.tenants().map((t) => t.name)).toEqual([
			'Demo Plumbing & Heating Ltd',
			'Northside Electrical Services Ltd',
		]);
	});

	it('archives accounts so invoices can no longer use them', async () => {
		const labour = sb.state().accounts.find((a) => a.Code === '210')!;
		expect(
			(
				await x.call('POST', `/Accounts/${labour.AccountID}`, {
					body: { Accounts: [{ Status: 'ARCHIVED' }] },
				})
			).json.Accounts[0].Status,
		).toBe('ARCHIVED');
		const res = await x.call('PUT', '/Invoices', {
			body: {
				Invoices: [
					{
						Type: 'ACCREC',
						Contact: { ContactID: sb.state().contacts[0].ContactID },
						LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1, AccountCode: '210' }],
					},
				],
			},
		});
		expect(errorOf(res)).toMatch(/archived/);
		const created = await x.call('PUT', '/Accounts', {
			body: { Code: '270', Name: 'Maintenance Plans', Type: 'REVENUE', TaxType: 'OUTPUT2' },
		});
		expect(created.json.Accounts[0]).toMatchObject({
			Code: '270',
			Class: 'REVENUE',
			Status: 'ACTIVE',
		});
		expect(
			(await x.call('PUT', '/Accounts', { body: { Code: '270', Name: 'Again', Type: 'REVENUE' } }))
				.status,
		).toBe(400);
	});
});

describe('Xero sandbox tracking categories (docs/xero-rules.md §4)', () => {
	it('allows at most 2 active and 4 total categories with unique names', async () => {
		const third = await x.call('PUT', '/TrackingCategories', { body: { Name: 'Engineer' } });
		expect(third.status).toBe(400);
		expect(errorOf(third)).toBe('You can only have 2 active tracking categories.');
		const region = sb.state().trackingCategories[1];
		expect(
			(
				await x.call('POST', `/TrackingCategories/${region.TrackingCategoryID}`, {
					body: { Status: 'ARCHIVED' },
				})
			).json.TrackingCategories[0].Status,
		).toBe('ARCHIVED');
		expect(
			(await x.call('PUT', '/TrackingCategories', { body: { Name: 'business unit' } })).status,
		).toBe(400);
		const engineer = await x.call('PUT', '/TrackingCategories', { body: { Name: 'Engineer' } });
		expect(engineer.status).toBe(200);
		await x.call(
			'POST',
			`/TrackingCategories/${engineer.json.TrackingCategories[0].TrackingCategoryID}`,
			{ body: { Status: 'ARCHIVED' } },
		);
		expect((await x.call('PUT', '/TrackingCategories', { body: { Name: 'Van' } })).status).toBe(
			200,
		);
		const fifth = await x.call('PUT', '/TrackingCategories', { body: { Name: 'Fifth' } });
		expect(errorOf(fifth)).toMatch(/only have 2 active|4 tracking categories/);
		const listed = (await x.call('GET', '/TrackingCategories')).json.TrackingCategories.map(
			(c: { Name: string }) => c.Name,
		);
		expect(listed).toEqual(['Business Unit', 'Van']);
		const all = (await x.call('GET', '/TrackingCategories', { query: { includeArchived: true } }))
			.json.TrackingCategories;
		expect(all).toHaveLength(4);
	});

	it('adds options with unique names up to the configured cap and archives/deletes them', async () => {
		const unit = sb.state().trackingCategories[0];
		const path = `/TrackingCategories/${unit.TrackingCategoryID}/Options`;
		const dup = await x.call('PUT', path, { body: { Name: 'heating' } });
		expect(errorOf(dup)).toMatch(/must be unique/);
		expect((await x.call('PUT', path, { body: { Name: 'Drainage ' } })).status).toBe(400);
		expect((await x.call('PUT', path, { body: { Name: 'Drainage' } })).json.Options[0].Name).toBe(
			'Drainage',
		);
		expect((await x.call('PUT', path, { body: { Name: 'Roofing' } })).status).toBe(200);
		const capped = await x.call('PUT', path, { body: { Name: 'Glazing' } });
		expect(errorOf(capped)).toBe('A tracking category can have at most 6 options.');
		const roofing = sb.state().trackingCategories[0].Options.find((o) => o.Name === 'Roofing')!;
		expect(
			(
				await x.call('POST', `${path}/${roofing.TrackingOptionID}`, {
					body: { Status: 'ARCHIVED' },
				})
			).json.Options[0].Status,
		).toBe('ARCHIVED');
		expect(
			(await x.call('DELETE', `${path}/${roofing.TrackingOptionID}`)).json.Options[0].Status,
		).toBe('DELETED');
		// An option used on an invoice can be archived, not deleted.
		const used = unit.Options[0];
		expect((await x.call('DELETE', `${path}/${used.TrackingOptionID}`)).status).toBe(400);
	});

	it('reports aged receivables for a contact', async () => {
		const emma = sb.state().contacts.find((c) => c.Name === 'Emma Thompson')!;
		const res = await x.call('GET', '/Reports/AgedReceivablesByContact', {
			query: { contactId: emma.ContactID, date: '2026-12-31' },
		});
		expect(res.status).toBe(200);
		const report = res.json.Reports[0];
		expect(report.ReportTitles[1]).toBe('Emma Thompson');
		const summary = report.Rows[2].Cells;
		expect(summary[summary.length - 1].Value).toBe('502.00');
		expect((await x.call('GET', '/Reports/AgedReceivablesByContact')).status).toBe(400);
	});
});

describe('sandbox clock', () => {
	it('keeps Xero dates valid after a fractional clock jump (a scaled benchmark minute)', async () => {
		const sandbox = await startXeroSandbox({});
		try {
			sandbox.advanceClock(61_000 / 7);
			expect(Number.isInteger(sandbox.now())).toBe(true);
			const client = xeroTestClient(sandbox);
			const res = await client.call('PUT', '/Contacts', {
				body: { Contacts: [{ Name: 'Clock Jump Ltd' }] },
			});
			expect(res.status).toBe(200);
			expect(res.text).toMatch(/"UpdatedDateUTC":"\/Date\(\d+\+0000\)\/"/);
		} finally {
			await sandbox.close();
		}
	});
});
