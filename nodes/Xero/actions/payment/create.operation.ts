import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { CommusoftPayment } from '../../../Commusoft/records';
import { chunkForUrl } from '../../mapping/lookup';
import {
	chooseAccount,
	isRefundInput,
	PAYMENT_METHODS,
	planPayments,
	planRefunds,
	readCommusoftPayment,
	readCommusoftRefunds,
	type CommusoftRefund,
	type MethodMapping,
	type PaymentPlan,
	type RefundPlan,
	type Refusal,
	type XeroAccountForPayment,
	type XeroCreditNoteForRefund,
	type XeroInvoiceForPayment,
} from '../../mapping/payment';
import { isXeroStopError, readOrgSettings, xeroBatchWrite, xeroGetAllPages } from '../../transport';

import { creditNoteKind } from '../document/kind';
import { lookupDocuments } from '../document/lookups';
import { errorItemJson, resolveTenantId, withItemIndex } from '../shared';

const properties: INodeProperties[] = [
	{
		displayName:
			'Each input item is a Commusoft payment (Commusoft Trigger "Payment Recorded", or Commusoft → Payment → Get Many). No loops: a payment whose External Reference is set came from Xero and is skipped, and the payments written here carry "Commusoft payment" and the Commusoft payment ID at the start of their Xero Reference, which the Xero Payment Trigger and Payment → Get Many never bring back to Commusoft. Re-running is safe: a payment Xero already holds is reported, not written twice. Refunds: an item that is a Commusoft credit note (its "refundPayments") or one refund item (its ID, creditNoteNumber, amount, date and method) records each refund as a payment on the Xero credit note (money out of the mapped bank account), its Reference starting "Commusoft refund" and the refund ID; such payments are never brought back to Commusoft.',
		name: 'recordNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Payment Method → Bank Account',
		name: 'methodAccounts',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add payment method',
		default: {},
		description:
			'The Xero bank account each Commusoft payment method is paid into (Xero has no payment methods): bank accounts and accounts with "Enable payments to this account" on, or an AccountID or account code as an expression. A payment whose method has no entry fails naming the method.',
		options: [
			{
				displayName: 'Mapping',
				name: 'mapping',
				values: [
					{
						displayName: 'Commusoft Method',
						name: 'method',
						type: 'options',
						options: PAYMENT_METHODS.map((m) => ({ name: m.name, value: m.value })),
						default: 'card',
					},
					{
						displayName: 'Xero Bank Account Name or ID',
						name: 'accountId',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getPaymentAccounts',
							loadOptionsDependsOn: ['tenantId'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
				],
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['payment'], operation: ['create'] } },
	properties,
);

/** One GET per URL-sized chunk of invoice numbers (the invoice upsert's look-up rule), every page. */
async function lookUpInvoices(
	ctx: IExecuteFunctions,
	tenantId: string,
	numbers: string[],
): Promise<Map<string, XeroInvoiceForPayment[]>> {
	const found = new Map<string, XeroInvoiceForPayment[]>();
	const pages = await Promise.all(
		chunkForUrl(numbers).map(
			async (chunk) =>
				await xeroGetAllPages(ctx, {
					path: '/Invoices',
					tenantId,
					collectionKey: 'Invoices',
					qs: { InvoiceNumbers: chunk.join(','), where: 'Type=="ACCREC"' },
					pageSize: 1000,
				}),
		),
	);
	for (const invoice of pages.flat() as unknown as XeroInvoiceForPayment[]) {
		if (!invoice.InvoiceNumber) continue;
		found.set(invoice.InvoiceNumber, [...(found.get(invoice.InvoiceNumber) ?? []), invoice]);
	}
	return found;
}

async function readAccounts(
	ctx: IExecuteFunctions,
	tenantId: string,
	fresh: boolean,
): Promise<XeroAccountForPayment[]> {
	const { body } = await readOrgSettings(ctx, tenantId, 'accounts', { fresh });
	return (body.Accounts as XeroAccountForPayment[] | undefined) ?? [];
}

/**
 * The credit notes by number, read as the credit-note upsert reads them (document/lookups.ts: a where clause per
 * URL-sized chunk); the answer carries each credit note's payments (refunds), by which a retry finds its own.
 */
async function lookUpCreditNotes(
	ctx: IExecuteFunctions,
	tenantId: string,
	numbers: string[],
): Promise<Map<string, XeroCreditNoteForRefund[]>> {
	const found = new Map<string, XeroCreditNoteForRefund[]>();
	for (const read of await lookupDocuments(
		ctx,
		creditNoteKind,
		tenantId,
		'invoiceNumber',
		numbers,
	)) {
		const { InvoiceID, InvoiceNumber, ...rest } = read as unknown as IDataObject;
		if (typeof InvoiceNumber !== 'string' || !InvoiceNumber) continue;
		const note = {
			...rest,
			CreditNoteID: String(InvoiceID),
			CreditNoteNumber: InvoiceNumber,
		} as XeroCreditNoteForRefund;
		found.set(InvoiceNumber, [...(found.get(InvoiceNumber) ?? []), note]);
	}
	return found;
}

/** One payment, or one refund (a credit note item gives one entry per refund, all paired with that item). */
interface Entry {
	itemIndex: number;
	tenantId?: string;
	payment?: CommusoftPayment;
	refund?: CommusoftRefund;
	plan?: PaymentPlan | RefundPlan;
	output?: IDataObject;
	failure?: Refusal;
}

/**
 * Payment → Create (Record in Xero): every item's payment is checked against its Xero invoice (found by invoice
 * number, as the invoice upsert matches), then the new ones go to Xero in PUT /Payments batches of up to 50 with
 * summarizeErrors=false and a content-derived Idempotency-Key (transport/batch.ts). One output item per input
 * item, in order: created / alreadyRecorded / skipped, or a failed item naming the reason and the fix. A credit
 * note's refunds (or a refund item) are checked against the Xero credit note the same way and go in the same
 * batches as payments on the credit note; a credit note gives one output item per refund.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const continueOnFail = this.continueOnFail();
	const mappings = (
		((this.getNodeParameter('methodAccounts', 0, {}) as IDataObject).mapping as
			| IDataObject[]
			| undefined) ?? []
	).map(
		(m): MethodMapping => ({
			method: String(m.method ?? ''),
			accountId: String(m.accountId ?? ''),
		}),
	);

	const entries: Entry[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const entry: Entry = { itemIndex };
		let tenantId: string;
		try {
			tenantId = await resolveTenantId(this, itemIndex);
		} catch (error) {
			if (!continueOnFail || isXeroStopError(error)) throw withItemIndex(this, error, itemIndex);
			entries.push({ ...entry, output: errorItemJson(error) });
			continue;
		}
		const json = items[itemIndex].json;
		if (isRefundInput(json)) {
			const read = readCommusoftRefunds(json);
			if (!read.ok)
				entries.push({
					itemIndex,
					tenantId,
					failure: { message: `Item ${itemIndex}: ${read.message}`, fix: read.fix },
				});
			else if (!read.refunds.length)
				entries.push({
					itemIndex,
					output: {
						result: 'skipped',
						reason: 'the credit note has no refunds',
						creditNoteNumber: String(json.creditNoteNumber),
					},
				});
			else for (const refund of read.refunds) entries.push({ itemIndex, tenantId, refund });
			continue;
		}
		const read = readCommusoftPayment(json);
		if (read.ok) entries.push({ itemIndex, tenantId, payment: read.payment });
		else
			entries.push({
				itemIndex,
				tenantId,
				failure: { message: `Item ${itemIndex}: ${read.message}`, fix: read.fix },
			});
	}

	const tenants = [...new Set(entries.map((e) => e.tenantId).filter((t): t is string => !!t))];
	for (const tenantId of tenants) {
		const own = entries.filter((e) => e.tenantId === tenantId && e.payment);
		const refunds = entries.filter((e) => e.tenantId === tenantId && e.refund);
		if (!own.length && !refunds.length) continue;
		const [invoices, creditNotes] = await Promise.all([
			own.length
				? lookUpInvoices(
						this,
						tenantId,
						own.map((e) => e.payment!.invoiceNumber!),
					)
				: new Map<string, XeroInvoiceForPayment[]>(),
			refunds.length
				? lookUpCreditNotes(
						this,
						tenantId,
						refunds.map((e) => e.refund!.creditNoteNumber),
					)
				: new Map<string, XeroCreditNoteForRefund[]>(),
		]);
		let accounts = await readAccounts(this, tenantId, false);
		const accountFor = (method: string | undefined) => chooseAccount(method, mappings, accounts);
		// A cached chart of accounts may miss an account added since: read it again once before refusing.
		const methods = [
			...own.filter((e) => !e.payment!.externalReference).map((e) => e.payment!.method),
			...refunds.map((e) => e.refund!.method),
		];
		if (methods.some((method) => !accountFor(method).ok))
			accounts = await readAccounts(this, tenantId, true);
		const plans = planPayments(
			own.map((e) => e.payment),
			invoices,
			accountFor,
		);
		own.forEach((entry, position) => {
			const plan = plans[position]!;
			entry.plan = plan;
			if (plan.kind === 'refuse')
				entry.failure = {
					message: `Item ${entry.itemIndex} (Commusoft payment ${entry.payment!.id}): ${plan.refusal.message}`,
					fix: plan.refusal.fix,
				};
		});
		const refundPlans = planRefunds(
			refunds.map((e) => e.refund!),
			creditNotes,
			accountFor,
		);
		refunds.forEach((entry, position) => {
			const plan = refundPlans[position];
			entry.plan = plan;
			if (plan.kind === 'refuse')
				entry.failure = {
					message: `Item ${entry.itemIndex} (Commusoft refund ${entry.refund!.id}): ${plan.refusal.message}`,
					fix: plan.refusal.fix,
				};
		});
	}

	if (!continueOnFail) {
		const failed = entries.find((e) => e.failure);
		if (failed)
			throw new NodeOperationError(this.getNode(), failed.failure!.message, {
				itemIndex: failed.itemIndex,
				description: `${failed.failure!.fix}\nNothing was sent to Xero. Turn on "On Error: Continue (using error output)" to record the other payments and route this one aside.`,
			});
	}

	const summary = (entry: Entry, plan: PaymentPlan | RefundPlan): IDataObject => {
		if (entry.refund) {
			const note = (plan as Extract<RefundPlan, { creditNote: unknown }>).creditNote;
			return {
				commusoftRefundId: entry.refund.id,
				...(entry.refund.commusoftCreditNoteId
					? { commusoftCreditNoteId: entry.refund.commusoftCreditNoteId }
					: {}),
				creditNoteNumber: entry.refund.creditNoteNumber,
				xeroCreditNoteId: note.CreditNoteID,
				amount: entry.refund.amount,
				currency: note.CurrencyCode ?? entry.refund.currency ?? '',
				date: entry.refund.date,
				tenantId: entry.tenantId!,
			};
		}
		const invoice = (plan as Extract<PaymentPlan, { invoice: unknown }>).invoice;
		return {
			commusoftPaymentId: entry.payment!.id,
			commusoftInvoiceId: entry.payment!.invoiceId,
			invoiceNumber: entry.payment!.invoiceNumber!,
			xeroInvoiceId: invoice.InvoiceID,
			amount: entry.payment!.amount,
			currency: invoice.CurrencyCode ?? entry.payment!.currency ?? '',
			date: entry.payment!.date,
			tenantId: entry.tenantId!,
		};
	};
	const what = (entry: Entry) =>
		entry.refund
			? `Commusoft refund ${entry.refund.id}, credit note ${entry.refund.creditNoteNumber}`
			: `Commusoft payment ${entry.payment!.id}, invoice ${entry.payment!.invoiceNumber}`;

	// Payments and refunds go to Xero together: both are elements of PUT /Payments.
	for (const tenantId of tenants) {
		const writes = entries.filter((e) => e.tenantId === tenantId && e.plan?.kind === 'write');
		const elementOf = (e: Entry) =>
			(e.plan as Extract<PaymentPlan | RefundPlan, { kind: 'write' }>).element;
		const results = writes.length
			? await xeroBatchWrite(this, {
					method: 'PUT',
					path: '/Payments',
					tenantId,
					collectionKey: 'Payments',
					elements: writes.map(elementOf),
					itemIndexes: writes.map((e) => e.itemIndex),
				})
			: [];
		writes.forEach((entry, position) => {
			const element = elementOf(entry);
			const result = results[position];
			if (result.ok) {
				entry.output = {
					result: 'created',
					...summary(entry, entry.plan!),
					xeroPaymentId: String(result.element.PaymentID ?? ''),
					accountId: String((element.Account as IDataObject).AccountID),
					reference: String(element.Reference),
				};
			} else {
				entry.failure = {
					message: `Item ${entry.itemIndex} (${what(entry)}): ${result.error}`,
					fix: `Fix what Xero names, then run the workflow again: ${entry.refund ? 'refunds' : 'payments'} already in Xero are found by their Reference and not written twice.`,
				};
			}
		});
	}

	const output: INodeExecutionData[] = [];
	for (const entry of entries) {
		const pairedItem = { item: entry.itemIndex };
		if (entry.output) {
			output.push({ json: entry.output, pairedItem });
			continue;
		}
		if (entry.failure) {
			if (!continueOnFail)
				throw new NodeOperationError(this.getNode(), entry.failure.message, {
					itemIndex: entry.itemIndex,
					description: entry.failure.fix,
				});
			output.push({
				json: { error: entry.failure.message, details: { description: entry.failure.fix } },
				pairedItem,
			});
			continue;
		}
		const plan = entry.plan!;
		if (plan.kind === 'existing')
			output.push({
				json: {
					result: 'alreadyRecorded',
					...summary(entry, plan),
					xeroPaymentId: plan.xeroPaymentId,
				},
				pairedItem,
			});
		else if (plan.kind === 'skip')
			output.push({
				json: entry.refund
					? {
							result: 'skipped',
							reason: plan.reason,
							commusoftRefundId: entry.refund.id,
							creditNoteNumber: entry.refund.creditNoteNumber,
						}
					: {
							result: 'skipped',
							reason: plan.reason,
							commusoftPaymentId: entry.payment!.id,
							...(entry.payment!.externalReference
								? { externalReference: entry.payment!.externalReference }
								: {}),
						},
				pairedItem,
			});
	}
	return output;
}
