import { NodeApiError } from 'n8n-workflow';
import type { IDataObject, IHttpRequestMethods, JsonObject } from 'n8n-workflow';

import { chunk } from '../../shared/chunk';
import { validationMessages } from './errors';
import { deriveIdempotencyKey } from './idempotency';
import { XeroApiError, xeroApiRequestFull, type XeroContext } from './request';

/** Xero's recommended ceiling per request and its documented payload cap (docs/xero-rules.md §2.1). */
export const XERO_MAX_BATCH_ELEMENTS = 50;
export const XERO_MAX_PAYLOAD_BYTES = 3_500_000;

export interface XeroBatchWriteRequest {
	method: Extract<IHttpRequestMethods, 'PUT' | 'POST'>;
	/** e.g. "/Invoices", "/Contacts", "/Payments" */
	path: string;
	tenantId: string;
	/** envelope key, e.g. "Invoices" */
	collectionKey: string;
	elements: IDataObject[];
	/** extra query, e.g. { unitdp: 4 }; summarizeErrors=false is always added */
	qs?: IDataObject;
	/** ≤ 50 */
	batchSize?: number;
	/** input item index of each element, for error context (same length as elements) */
	itemIndexes?: number[];
}

interface BatchResultBase {
	/** position in `elements` */
	index: number;
	/** what was sent */
	input: IDataObject;
	/** the Idempotency-Key of the request that carried this element */
	idempotencyKey: string;
}

export interface XeroBatchSuccess extends BatchResultBase {
	ok: true;
	/** the element as Xero returned it (with its new IDs) */
	element: IDataObject;
	warnings: string[];
}

export interface XeroBatchFailure extends BatchResultBase {
	ok: false;
	/** the element as Xero returned it, when it did */
	element?: IDataObject;
	/** one line an ops person can act on */
	error: string;
	validationErrors: string[];
	statusCode?: number;
}

export type XeroBatchResult = XeroBatchSuccess | XeroBatchFailure;

/** Batches of the requested size, never more than Xero's recommended ceiling per request. */
export function chunkElements<T>(elements: T[], size: number): T[][] {
	return chunk(elements, Math.min(XERO_MAX_BATCH_ELEMENTS, size));
}

/** Splits a chunk in halves until its JSON body fits the payload cap (a single huge element is left alone). */
export function splitBySize(
	chunk: Array<{ index: number; element: IDataObject }>,
	collectionKey: string,
	maxBytes = XERO_MAX_PAYLOAD_BYTES,
): Array<Array<{ index: number; element: IDataObject }>> {
	const size = Buffer.byteLength(
		JSON.stringify({ [collectionKey]: chunk.map((c) => c.element) }),
		'utf8',
	);
	if (size <= maxBytes || chunk.length <= 1) return [chunk];
	const middle = Math.ceil(chunk.length / 2);
	return [
		...splitBySize(chunk.slice(0, middle), collectionKey, maxBytes),
		...splitBySize(chunk.slice(middle), collectionKey, maxBytes),
	];
}

function elementFailed(element: IDataObject): boolean {
	return (
		element.HasErrors === true ||
		element.HasValidationErrors === true ||
		String(element.StatusAttributeString ?? '').toUpperCase() === 'ERROR' ||
		(Array.isArray(element.ValidationErrors) && element.ValidationErrors.length > 0)
	);
}

function warningsOf(element: IDataObject): string[] {
	if (!Array.isArray(element.Warnings)) return [];
	return (element.Warnings as IDataObject[])
		.map((w) => (typeof w?.Message === 'string' ? w.Message : undefined))
		.filter((m): m is string => !!m);
}

/**
 * Writes elements in batches of ≤ 50 with summarizeErrors=false (docs/xero-rules.md §2.2) and returns one result
 * per input element, in input order. Each request carries an Idempotency-Key derived from its exact content
 * (method, path, tenant, query, body: idempotency.ts), so a retry of the same batch, inside the transport or
 * by re-running the workflow, cannot create twice while Xero remembers the key.
 *
 * A request that still fails after the transport's retries fails only the elements it carried (the other
 * batches carry on). Errors that concern the whole run are thrown: the daily limit (stop), 401/403 (the
 * credential or tenant is wrong for every element).
 */
export async function xeroBatchWrite(
	ctx: XeroContext,
	request: XeroBatchWriteRequest,
): Promise<XeroBatchResult[]> {
	const indexed = request.elements.map((element, index) => ({ index, element }));
	const chunks = chunkElements(indexed, request.batchSize ?? XERO_MAX_BATCH_ELEMENTS).flatMap((c) =>
		splitBySize(c, request.collectionKey),
	);
	const results: XeroBatchResult[] = new Array(request.elements.length);
	const qs: IDataObject = { ...(request.qs ?? {}), summarizeErrors: false };

	const writeChunk = async (chunk: Array<{ index: number; element: IDataObject }>) => {
		const body = { [request.collectionKey]: chunk.map((c) => c.element) };
		const idempotencyKey = deriveIdempotencyKey({
			method: request.method,
			path: request.path,
			tenantId: request.tenantId,
			qs,
			body,
		});
		const firstItem = request.itemIndexes?.[chunk[0].index];
		try {
			const response = await xeroApiRequestFull<IDataObject>(ctx, {
				method: request.method,
				path: request.path,
				tenantId: request.tenantId,
				qs,
				body,
				idempotencyKey,
				itemIndex: firstItem,
			});
			const returned = response.body[request.collectionKey];
			if (!Array.isArray(returned) || returned.length !== chunk.length) {
				for (const c of chunk) {
					results[c.index] = {
						ok: false,
						index: c.index,
						input: c.element,
						idempotencyKey,
						error: `Xero answered with ${Array.isArray(returned) ? returned.length : 'no'} ${request.collectionKey} for ${chunk.length} sent, so results cannot be matched to items; check Xero before re-running`,
						validationErrors: [],
						statusCode: response.statusCode,
					};
				}
				return;
			}
			chunk.forEach((c, position) => {
				const element = returned[position] as IDataObject;
				if (elementFailed(element)) {
					const messages = validationMessages(element);
					results[c.index] = {
						ok: false,
						index: c.index,
						input: c.element,
						idempotencyKey,
						element,
						error: messages.length
							? `Xero rejected this record: ${messages.join('; ')}`
							: 'Xero rejected this record without a validation message',
						validationErrors: messages,
						statusCode: response.statusCode,
					};
				} else {
					results[c.index] = {
						ok: true,
						index: c.index,
						input: c.element,
						idempotencyKey,
						element,
						warnings: warningsOf(element),
					};
				}
			});
		} catch (error) {
			// NodeApiError hands back an error that already is one, so these keep their class and `stop` flag.
			if (!(error instanceof XeroApiError) || error.stop) {
				throw new NodeApiError(ctx.getNode(), error as unknown as JsonObject);
			}
			if (error.statusCode === 401 || error.statusCode === 403) {
				throw new NodeApiError(ctx.getNode(), error as unknown as JsonObject);
			}
			// A 400 ValidationException may still carry per-element messages in Elements[] (§9).
			const elements = (error.xeroBody as IDataObject | undefined)?.Elements;
			const perElement =
				Array.isArray(elements) && elements.length === chunk.length
					? (elements as IDataObject[]).map((e) => validationMessages(e))
					: undefined;
			chunk.forEach((c, position) => {
				const own = perElement?.[position];
				results[c.index] = {
					ok: false,
					index: c.index,
					input: c.element,
					idempotencyKey,
					error: own && own.length ? `Xero rejected this record: ${own.join('; ')}` : error.message,
					validationErrors: own && own.length ? own : error.validationErrors,
					statusCode: error.statusCode,
				};
			});
		}
	};

	// Several batches in flight at once; the per-tenant throttle in the transport keeps it to ≤ 5 and ≤ 60/min.
	let next = 0;
	let stopError: unknown;
	const worker = async () => {
		while (stopError === undefined && next < chunks.length) {
			const chunk = chunks[next++];
			try {
				await writeChunk(chunk);
			} catch (error) {
				stopError ??= error;
			}
		}
	};
	const workers = Math.min(chunks.length, 5);
	await Promise.all(Array.from({ length: workers }, async () => await worker()));
	if (stopError !== undefined) throw stopError;
	return results;
}
