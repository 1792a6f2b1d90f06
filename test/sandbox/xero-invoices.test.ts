import { describe, expect, it } from 'vitest';
import type { XeroSandbox } from '../../sandbox/xero/server';
import type { XeroTestClient } from '../../sandbox/xero/client';
import { useSchemaCheckedXeroSandbox } from '../helpers/xeroSandbox';

let sb: XeroSandbox;
let x: XeroTestClient;
useSchemaCheckedXeroSandbox({}, (sandbox, client) => {
	sb = sandbox;
	x = client;
});

const contactId = () => sb.state().contacts[0].ContactID;
const line = (over: Record<string, unknown> = {}) => ({
	Description: 'Labour',
	Quantity: 1,
	UnitAmount: 100,
	AccountCode: '210',
	TaxType: 'OUTPUT2',
	...over,
});
const inv = (over: Record<string, unknown> = {}) => ({
	Type: 'ACCREC',
	Contact: { ContactID: contactId() },
	LineItems: [line()],
	...over,
});

describe('Xero sandbox invoices: batches and summarizeErrors (docs/xero-rules.md §2.2)', () => {
	it('summarizeErrors=false answers 200 with a per-element outcome', async () => {
		const res = await x.call('PUT', '/Invoices', {
			query: { summarizeErrors: false },
			body: {
				Invoices: [
					inv({ InvoiceNumber: 'CS-1' }),
					inv({ InvoiceNumber: 'INV-0002' }),
					inv({ LineItems: [line({ AccountCode: '999' })] }),
				],
			},
		});
		expect(res.status).toBe(200);
		const [ok, dup, badCode] = res.json.Invoices;
		expect(ok).toMatchObject({
			StatusAttributeString: 'OK',
			InvoiceNumber: 'CS-1',
			HasErrors: false,
		});
		expect(dup).toMatchObject({
			StatusAttributeString: 'ERROR',
			HasErrors: true,
			ValidationErrors: [{ Message: 'Invoice # must be unique.' }],
		});
		expect(badCode.ValidationErrors[0].Message).toBe(
			"Account code '999' is not a valid code for this document.",
		);
		expect(sb.state().invoices.filter((i) => i.InvoiceNumber === 'CS-1')).toHaveLength(1);
	});

	it('summarised (default) 400 ValidationException still creates the valid elements without returning their ids', async () => {
		const before = sb.state().invoices.length;
		const res = await x.call('PUT', '/Invoices', {
			body: { Invoices: [inv({ InvoiceNumber: 'CS-2' }), inv({ InvoiceNumber: 'INV-0001' })] },
		});
		expect(res.status).toBe(400);
		expect(res.json).toMatchObject({
			ErrorNumber: 10,
			Type: 'ValidationException',
			Message: 'A validation exception occurred',
		});
		expect(res.json.Elements).toHaveLength(1);
		expect(res.json.Elements[0].ValidationErrors[0].Message).toBe('Invoice # must be unique.');
		expect(res.text).not.toContain('CS-2');
		expect(sb.state().invoices.length).toBe(before + 1);
		expect(sb.state().invoices.some((i) => i.InvoiceNumber === 'CS-2')).toBe(true);
	});

	it('requires Type, Contact and LineItems and refuses an archived contact', async () => {
		const archived = sb.state().contacts.find((c) => c.ContactStatus === 'ARCHIVED')!;
		const res = await x.call('PUT', '/Invoices', {
			query: { summarizeErrors: false },
			body: {
				Invoices: [
					{ Contact: { ContactID: contactId() }, LineItems: [line()] },
					{ Type: 'ACCREC', LineItems: [line()] },
					{ Type: 'ACCREC', Contact: { ContactID: contactId() } },
					inv({ Contact: { ContactID: archived.ContactID } }),
				],
			},
		});
		const messages = res.json.Invoices.map(
			(i: { ValidationErrors: { Message: string }[] }) => i.ValidationErrors[0].Message,
		);
		expect(messages[0]).toMatch(/Type must be specified/);
		expect(messages[1]).toMatch(/Contact must be specified/);
		expect(messages[2]).toMatch(/at least one line item/);
		expect(messages[3]).toMatch(/archived/);
	});

	it('creates a contact when an unknown contact Name is given', async () => {
		const res = await x.call('PUT', '/Invoices', {
			body: { Invoices: [inv({ Contact: { Name: 'Brand New Customer' } })] },
		});
		expect(res.status).toBe(200);
		expect(sb.state().contacts.some((c) => c.Name === 'Brand New Customer')).toBe(true);
	});
});

describe('Xero sandbox invoices: lines, tax, tracking and unitdp (§2.4, §3.4)', () => {
	it('rounds UnitAmount to 2 dp unless unitdp=4 and computes tax per line rounded to 2 dp', async () => {
		const lines = [
			line({ UnitAmount: 10.1649, Quantity: 3 }),
			line({ UnitAmount: 0.335, Quantity: 1 }),
		];
		const two = await x.call('PUT', '/Invoices', {
			body: { Invoices: [inv({ LineItems: lines })] },
		});
		const a = two.json.Invoices[0];
		expect(a.LineItems.map((l: { UnitAmount: number }) => l.UnitAmount)).toEqual([10.16, 0.34]);
		expect(a.LineItems.map((l: { TaxAmount: number }) => l.TaxAmount)).toEqual([6.1, 0.07]);
		expect(a).toMatchObject({ SubTotal: 30.82, TotalTax: 6.17, Total: 36.99, AmountDue: 36.99 });

		const four = await x.call('PUT', '/Invoices', {
			query: { unitdp: 4 },
			body: { Invoices: [inv({ LineItems: lines })] },
		});
		const b = four.json.Invoices[0];
		expect(b.LineItems[0]).toMatchObject({
			UnitAmount: 10.1649,
			LineAmount: 30.49,
			TaxAmount: 6.1,
		});
		// Reading back without unitdp shows 2 dp; with unitdp=4 the stored 4 dp.
		const plain = await x.call('GET', `/Invoices/${b.InvoiceID}`);
		expect(plain.json.Invoices[0].LineItems[0].UnitAmount).toBe(10.16);
		const precise = await x.call('GET', `/Invoices/${b.InvoiceID}`, { query: { unitdp: 4 } });
		expect(precise.json.Invoices[0].LineItems[0].UnitAmount).toBe(10.1649);
	});

	it('handles Inclusive and NoTax amounts and discounts', async () => {
		const res = await x.call('PUT', '/Invoices', {
			query: { summarizeErrors: false },
			body: {
				Invoices: [
					inv({ LineAmountTypes: 'Inclusive', LineItems: [line({ UnitAmount: 120 })] }),
					inv({ LineAmountTypes: 'NoTax', LineItems: [line({ TaxType: undefined })] }),
					inv({ LineItems: [line({ DiscountRate: 10 })] }),
				],
			},
		});
		const [incl, noTax, disc] = res.json.Invoices;
		expect(incl).toMatchObject({ SubTotal: 100, TotalTax: 20, Total: 120 });
		expect(noTax).toMatchObject({ TotalTax: 0, Total: 100 });
		expect(noTax.LineItems[0].TaxType).toBe('NONE');
		expect(disc).toMatchObject({ SubTotal: 90, TotalTax: 18, Total: 108 });
	});

	it('refuses an archived account, an unknown TaxType and an expense tax rate on a sale', async () => {
		const res = await x.call('PUT', '/Invoices', {
			query: { summarizeErrors: false },
			body: {
				Invoices: [
					inv({ LineItems: [line({ AccountCode: '250' })] }),
					inv({ LineItems: [line({ TaxType: 'BOGUS' })] }),
					inv({ LineItems: [line({ TaxType: 'INPUT2' })] }),
				],
			},
		});
		const m = res.json.Invoices.map(
			(i: { ValidationErrors: { Message: string }[] }) => i.ValidationErrors[0].Message,
		);
		expect(m[0]).toMatch(/has been archived/);
		expect(m[1]).toBe(
			"The TaxType code 'BOGUS' does not exist or cannot be used with this type of transaction.",
		);
		expect(m[2]).toMatch(/INPUT2/);
	});

	it('accepts up to 2 tracking entries by name or id, each an active category and option', async () => {
		const [unit, region] = sb.state().trackingCategories;
		const good = await x.call('PUT', '/Invoices', {
			body: {
				Invoices: [
					inv({
						LineItems: [
							line({
								Tracking: [
									{ Name: 'business unit', Option: 'Heating' },
									{
										TrackingCategoryID: region.TrackingCategoryID,
										TrackingOptionID: region.Options[2].TrackingOptionID,
									},
								],
							}),
						],
					}),
				],
			},
		});
		expect(good.status).toBe(200);
		expect(good.json.Invoices[0].LineItems[0].Tracking).toEqual([
			{
				TrackingCategoryID: unit.TrackingCategoryID,
				TrackingOptionID: unit.Options[1].TrackingOptionID,
				Name: 'Business Unit',
				Option: 'Heating',
			},
			{
				TrackingCategoryID: region.TrackingCategoryID,
				TrackingOptionID: region.Options[2].TrackingOptionID,
				Name: 'Region',
				Option: 'East',
			},
		]);
		region.Options[3].Status = 'ARCHIVED';
		const bad = await x.call('PUT', '/Invoices', {
			query: { summarizeErrors: false },
			body: {
				Invoices: [
					inv({
						LineItems: [
							line({
								Tracking: [
									{ Name: 'Region', Option: 'North' },
									{ Name: 'Business Unit', Option: 'Gas Safety' },
									{ Name: 'Region', Option: 'South' },
								],
							}),
						],
					}),
					inv({ LineItems: [line({ Tracking: [{ Name: 'Region', Option: 'West' }] })] }),
					inv({ LineItems: [line({ Tracking: [{ Name: 'Department', Option: 'Sales' }] })] }),
					inv({ LineItems: [line({ Tracking: [{ Name: 'Region', Option: 'Nowhere' }] })] }),
				],
			},
		});
		const m = bad.json.Invoices.map(
			(i: { ValidationErrors: { Message: string }[] }) => i.ValidationErrors[0].Message,
		);
		expect(m[0]).toMatch(/at most 2 tracking categories/);
		expect(m[1]).toMatch(/'West' does not exist or is not active/);
		expect(m[2]).toMatch(/category 'Department' does not exist/);
		expect(m[3]).toMatch(/'Nowhere'/);
	});

	it('requires ItemCode to name an item and fills the line from its sales details', async () => {
		const items = (await x.call('GET', '/Items')).json.Items.map((i: { Code: string }) => i.Code);
		expect(items).toContain('MAG-22');
		expect((await x.call('GET', '/Items/MAG-22')).json.Items[0].SalesDetails).toMatchObject({
			UnitPrice: 89.99,
			AccountCode: '220',
		});
		const res = await x.call('PUT', '/Invoices', {
			query: { summarizeErrors: false },
			body: {
				Invoices: [
					inv({ LineItems: [{ ItemCode: 'MAG-22', Quantity: 2 }] }),
					inv({ LineItems: [line({ ItemCode: 'NOPE-1' })] }),
				],
			},
		});
		const [ok, bad] = res.json.Invoices;
		expect(ok.LineItems[0]).toMatchObject({
			ItemCode: 'MAG-22',
			Description: 'Magnetic system filter 22mm',
			UnitAmount: 89.99,
			AccountCode: '220',
			TaxType: 'OUTPUT2',
			LineAmount: 179.98,
		});
		expect(bad.ValidationErrors[0].Message).toBe("Item code 'NOPE-1' is not valid");
	});

	it('keeps lines sent with their LineItemID, adds lines without one, removes lines left out', async () => {
		const created = (
			await x.call('PUT', '/Invoices', {
				body: {
					Invoices: [
						inv({
							LineItems: [
								line({ Description: 'A' }),
								line({ Description: 'B' }),
								line({ Description: 'C' }),
							],
						}),
					],
				},
			})
		).json.Invoices[0];
		const [a, , c] = created.LineItems;
		const res = await x.call('POST', `/Invoices/${created.InvoiceID}`, {
			body: {
				Invoices: [
					{
						LineItems: [
							{ LineItemID: a.LineItemID },
							{ LineItemID: c.LineItemID, UnitAmount: 50 },
							line({ Description: 'D' }),
						],
					},
				],
			},
		});
		expect(res.status).toBe(200);
		const lines = res.json.Invoices[0].LineItems;
		expect(lines.map((l: { Description: string }) => l.Description)).toEqual(['A', 'C', 'D']);
		expect(lines[0].LineItemID).toBe(a.LineItemID);
		expect(lines[1]).toMatchObject({ LineItemID: c.LineItemID, UnitAmount: 50, LineAmount: 50 });
		expect(lines[2].LineItemID).not.toBe(created.LineItems[1].LineItemID);
		expect(res.json.Invoices[0].SubTotal).toBe(250);
		const foreign = await x.call('POST', `/Invoices/${created.InvoiceID}`, {
			body: {
				Invoices: [{ LineItems: [{ LineItemID: sb.state().invoices[0].LineItems[0].LineItemID }] }],
			},
		});
		expect(foreign.status).toBe(400);
	});
});

describe('Xero sandbox invoices: updates and status (§3.1, §3.5)', () => {
	it('updates by InvoiceNumber in the path and by InvoiceNumber/InvoiceID in a POST body', async () => {
		const byPath = await x.call('POST', '/Invoices/INV-0001', {
			body: { Invoices: [{ Reference: 'JOB-X' }] },
		});
		expect(byPath.status).toBe(200);
		expect(byPath.json.Invoices[0]).toMatchObject({
			InvoiceNumber: 'INV-0001',
			Reference: 'JOB-X',
		});
		const count = sb.state().invoices.length;
		const byNumber = await x.call('POST', '/Invoices', {
			body: { Invoices: [{ InvoiceNumber: 'INV-0001', Reference: 'JOB-Y' }] },
		});
		expect(byNumber.json.Invoices[0].Reference).toBe('JOB-Y');
		const id = sb.state().invoices[0].InvoiceID;
		const byId = await x.call('POST', '/Invoices', {
			body: { Invoices: [{ InvoiceID: id, Reference: 'JOB-Z' }] },
		});
		expect(byId.json.Invoices[0]).toMatchObject({ InvoiceID: id, Reference: 'JOB-Z' });
		expect(sb.state().invoices.length).toBe(count);
		// POST with a new number creates; PUT with an existing number is refused.
		expect(
			(
				await x.call('POST', '/Invoices', {
					body: { Invoices: [inv({ InvoiceNumber: 'CS-NEW' })] },
				})
			).json.Invoices[0].StatusAttributeString,
		).toBe('OK');
		expect(
			(await x.call('PUT', '/Invoices', { body: { Invoices: [inv({ InvoiceNumber: 'CS-NEW' })] } }))
				.status,
		).toBe(400);
		expect((await x.call('GET', '/Invoices/no-such-number')).status).toBe(404);
	});

	it('follows the allowed status transitions', async () => {
		const st = (n: string) => sb.state().invoices.find((i) => i.InvoiceNumber === n)!.Status;
		const post = (n: string, Status: string) =>
			x.call('POST', `/Invoices/${n}`, { body: { Invoices: [{ Status }] } });
		expect((await post('INV-0001', 'SUBMITTED')).status).toBe(200);
		expect((await post('INV-0001', 'DRAFT')).status).toBe(200);
		expect((await post('INV-0001', 'AUTHORISED')).status).toBe(200);
		expect(st('INV-0001')).toBe('AUTHORISED');
		const back = await post('INV-0001', 'DRAFT');
		expect(back.status).toBe(400);
		expect(back.json.Elements[0].ValidationErrors[0].Message).toBe(
			'Invoice not of valid status for modification',
		);
		expect((await post('INV-0001', 'PAID')).status).toBe(400);
		expect((await post('INV-0001', 'VOIDED')).status).toBe(200);
		expect(st('INV-0001')).toBe('VOIDED');
		expect((await post('INV-0001', 'AUTHORISED')).status).toBe(400);
		expect((await post('INV-0006', 'DELETED')).status).toBe(200);
		expect(
			(await x.call('PUT', '/Invoices', { body: { Invoices: [inv({ Status: 'PAID' })] } })).status,
		).toBe(400);
	});

	it('refuses edits and voiding once payments exist', async () => {
		const partPaid = 'INV-0005';
		const edit = await x.call('POST', `/Invoices/${partPaid}`, {
			body: { Invoices: [{ LineItems: [line()] }] },
		});
		expect(edit.status).toBe(400);
		expect(edit.json.Elements[0].ValidationErrors[0].Message).toBe(
			'This document cannot be edited as it has a payment or credit note allocated to it.',
		);
		expect(
			(
				await x.call('POST', `/Invoices/${partPaid}`, {
					body: { Invoices: [{ Status: 'VOIDED' }] },
				})
			).status,
		).toBe(400);
		expect(
			(
				await x.call('POST', '/Invoices/INV-0003', {
					body: { Invoices: [{ Reference: 'changed' }] },
				})
			).status,
		).toBe(400);
		// Marking as sent leaves the total alone and is allowed.
		expect(
			(
				await x.call('POST', `/Invoices/${partPaid}`, {
					body: { Invoices: [{ SentToContact: true }] },
				})
			).status,
		).toBe(200);
	});

	it('keeps ACCREC numbers unique but allows duplicate ACCPAY numbers; auto-numbers when missing', async () => {
		const res = await x.call('PUT', '/Invoices', {
			query: { summarizeErrors: false },
			body: {
				Invoices: [
					inv({
						Type: 'ACCPAY',
						InvoiceNumber: 'BILL-1',
						LineItems: [line({ AccountCode: '429', TaxType: 'INPUT2' })],
					}),
					inv({
						Type: 'ACCPAY',
						InvoiceNumber: 'BILL-1',
						LineItems: [line({ AccountCode: '429', TaxType: 'INPUT2' })],
					}),
					inv(),
				],
			},
		});
		expect(
			res.json.Invoices.map((i: { StatusAttributeString: string }) => i.StatusAttributeString),
		).toEqual(['OK', 'OK', 'OK']);
		expect(res.json.Invoices[2].InvoiceNumber).toBe('INV-0007');
	});
});

describe('Xero sandbox invoices: reading (§3.6)', () => {
	it('omits line items on unpaged multi-invoice GETs and includes them with page', async () => {
		const unpaged = await x.call('GET', '/Invoices');
		expect(unpaged.json.Invoices.length).toBe(6);
		expect(unpaged.json.Invoices[0].LineItems).toBeUndefined();
		expect(unpaged.json.pagination).toBeUndefined();
		const paged = await x.call('GET', '/Invoices', { query: { page: 2, pageSize: 4 } });
		expect(paged.json.pagination).toEqual({ page: 2, pageSize: 4, pageCount: 2, itemCount: 6 });
		expect(paged.json.Invoices).toHaveLength(2);
		expect(paged.json.Invoices[0].LineItems.length).toBeGreaterThan(0);
		const big = await x.call('GET', '/Invoices', { query: { page: 1, pageSize: 5000 } });
		expect(big.json.pagination.pageSize).toBe(1000);
	});

	it('filters by IDs, InvoiceNumbers, ContactIDs, Statuses, where, order and If-Modified-Since', async () => {
		const s = sb.state();
		const numbers = (r: { json: { Invoices: { InvoiceNumber: string }[] } }) =>
			r.json.Invoices.map((i) => i.InvoiceNumber);
		expect(
			numbers(
				await x.call('GET', '/Invoices', {
					query: { IDs: `${s.invoices[1].InvoiceID},${s.invoices[2].InvoiceID}` },
				}),
			),
		).toEqual(['INV-0002', 'INV-0003']);
		expect(
			numbers(await x.call('GET', '/Invoices', { query: { InvoiceNumbers: 'INV-0004,INV-0001' } })),
		).toEqual(['INV-0001', 'INV-0004']);
		expect(
			numbers(await x.call('GET', '/Invoices', { query: { ContactIDs: s.contacts[1].ContactID } })),
		).toEqual(['INV-0002']);
		expect(
			numbers(await x.call('GET', '/Invoices', { query: { Statuses: 'PAID,VOIDED' } })),
		).toEqual(['INV-0003', 'INV-0004']);
		expect(
			numbers(
				await x.call('GET', '/Invoices', {
					query: { where: 'Status=="AUTHORISED" AND AmountDue > 200' },
				}),
			),
		).toEqual(['INV-0005']);
		expect(
			numbers(
				await x.call('GET', '/Invoices', {
					query: { where: `Contact.ContactID==Guid("${s.contacts[0].ContactID.toUpperCase()}")` },
				}),
			),
		).toEqual(['INV-0001']);
		expect(
			numbers(
				await x.call('GET', '/Invoices', {
					query: { where: 'Date >= DateTime(2026,09,09) && Type=="ACCREC"' },
				}),
			),
		).toEqual(['INV-0004', 'INV-0005', 'INV-0006']);
		expect(
			numbers(
				await x.call('GET', '/Invoices', {
					query: { where: 'Reference=="JOB-1002" OR Reference=="JOB-1006"' },
				}),
			),
		).toEqual(['INV-0002', 'INV-0006']);
		expect(
			numbers(
				await x.call('GET', '/Invoices', {
					query: {
						where: 'Url == null AND SentToContact == false AND Status != "DRAFT"',
						order: 'Total DESC',
					},
				}),
			)[0],
		).toBe('INV-0005');
		expect(
			numbers(await x.call('GET', '/Invoices', { query: { searchTerm: 'job-1003' } })),
		).toEqual(['INV-0003']);
		const since = new Date(sb.now() - 1000).toISOString();
		await x.call('POST', '/Invoices/INV-0002', { body: { Invoices: [{ Reference: 'touched' }] } });
		expect(
			numbers(await x.call('GET', '/Invoices', { headers: { 'If-Modified-Since': since } })),
		).toEqual(['INV-0002']);
		// Zone-less timestamps are UTC at Xero; RFC 1123 dates work too.
		const ims = async (value: string) =>
			numbers(await x.call('GET', '/Invoices', { headers: { 'If-Modified-Since': value } }));
		expect(await ims(since.slice(0, 19))).toEqual(['INV-0002']);
		expect(await ims(new Date(sb.now() + 60_000).toUTCString())).toEqual([]);
	});

	it('answers 400 for filters outside the supported subset instead of failing', async () => {
		for (const where of [
			'Status=="DRAFT" AND',
			'Total.Foo() > 1',
			'Status == "unterminated',
			'DateTime(2024) > Date',
			'x ~ 1',
		]) {
			const res = await x.call('GET', '/Invoices', { query: { where } });
			expect(res.status, where).toBe(400);
			expect(res.json.Type).toBe('QueryParseException');
		}
		expect((await x.call('GET', '/Invoices', { query: { order: 'Total; DROP' } })).status).toBe(
			400,
		);
	});
});
