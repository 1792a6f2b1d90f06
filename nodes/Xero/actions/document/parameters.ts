import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ContactFallback } from '../../mapping/contact';
import type { MatchOn } from '../../mapping/invoice';
import type { CommusoftInvoiceInput } from '../../mapping/types';
import type { UpsertOptions, UpsertSettings } from './entry';
import type { DocumentKind } from './kind';

/** The node-wide parameters of one run (read at item 0), in the kind's parameter names. */
export function readSettings(ctx: IExecuteFunctions, kind: DocumentKind): UpsertSettings {
	const raw = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const { [kind.params.refused]: refused, sendFromDate, ...rest } = raw;
	const options: UpsertOptions = { ...(rest as UpsertOptions) };
	if (refused === 'fail' || refused === 'report') options.refused = refused;
	if (typeof sendFromDate === 'string' && sendFromDate.trim()) {
		const day = sendFromDate.trim().slice(0, 10);
		if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
			throw new NodeOperationError(
				ctx.getNode(),
				`Options → Send From Date "${sendFromDate}" is not a date`,
				{
					description: 'Give a day such as 2026-04-01, or clear the option to send every document.',
				},
			);
		options.sendFromDate = day;
	}
	return {
		kind,
		matchOn: ctx.getNodeParameter('matchOn', 0, 'invoiceNumber') as MatchOn,
		fallback: ctx.getNodeParameter('contactFallback', 0, 'email') as ContactFallback,
		options,
	};
}

export function readDocument(
	ctx: IExecuteFunctions,
	kind: DocumentKind,
	itemIndex: number,
	item: INodeExecutionData,
): CommusoftInvoiceInput {
	const source = ctx.getNodeParameter(kind.params.source, itemIndex, 'item') as string;
	if (source === 'item') return kind.toInput(item.json);
	const label = `${kind.noun[0].toUpperCase()}${kind.noun.slice(1)} (JSON)`;
	let value = ctx.getNodeParameter(kind.params.json, itemIndex, {}) as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch (error) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex}: "${label}" is not valid JSON (${(error as Error).message})`,
				{
					itemIndex,
					description: `Give an object shaped like a Commusoft ${kind.noun}, e.g. {{ $json }} or {{ $json.${kind.resource} }}; this item was not sent, the others were.`,
				},
			);
		}
	}
	if (!value || typeof value !== 'object' || Array.isArray(value))
		throw new NodeOperationError(
			ctx.getNode(),
			`Item ${itemIndex}: "${label}" must be an object, not ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}`,
			{
				itemIndex,
				description: `Give one ${kind.noun} object per item, shaped like a Commusoft ${kind.noun} (e.g. {{ $json }}); to send a list, split it into items first.`,
			},
		);
	return kind.toInput(value as IDataObject);
}
