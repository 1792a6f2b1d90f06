/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Response and request validation against the official spec (sandbox/xero/spec/xero_accounting.yaml, 16.1.0, vendored).
// Every known quirk of the spec is handled here and only here:
//   1. 28 `$ref` objects carry sibling keys (`type`, `description`): stripped before compiling, as JSON Schema
//      draft-07 ignores siblings of `$ref` anyway.
//   2. Dates are plain strings marked `x-is-msdate` / `x-is-msdate-time`: a custom keyword checks they hold
//      Xero's `/Date(ms+0000)/` form, which the spec cannot express.
//   3. Envelope keys Xero sends but the envelope schemas do not declare (`Id`, `Status`, `ProviderName`,
//      `DateTimeUTC`): removed before validating, so the check stays exact if the spec ever closes objects.
//   4. Example drift: the spec's own `GET /Payments` example has `BatchPayment.TotalAmount: "50.00"` and
//      `IsReconciled: "false"` as strings. Examples are never validated here (the sandbox's own output is),
//      and `EXAMPLE_DRIFT` lists the known cases for tests that check examples.
//   5. OpenAPI formats `double`, `int32`, `int64` are declared as known so ajv does not reject them.
//   6. Only 200/204/400 responses are documented: 400 bodies are checked against `Error`; 401/403/404/429/5xx
//      shapes come from docs/xero-rules.md §9 and are not schema-checked.
//   7. `DELETE /CreditNotes/{id}/Allocations/{id}` is declared to return one `Allocation`, but Xero answers with an
//      `Allocations` collection (XeroAPI/xero-php-oauth2#341; XeroAPI/xero-python#159, where the SDK's
//      `Allocation` comes back without its Invoice): `RESPONSE_DRIFT` checks that body against `Allocations`.
//   8. Requests are validated too (`validateRequest`), against the operation's `requestBody` schema with every
//      object closed: the spec sets `additionalProperties` nowhere, so JSON Schema would let any unknown key
//      through, and an undocumented key is exactly what Xero ignores or misreads (a tracking option sent as
//      `{"Options":[…]}` instead of the documented `TrackingOption {Name}`). Request dates may be ISO 8601
//      (`2024-01-31`, `2024-01-31T10:00:00`) as well as `/Date(ms)/`, as Xero reads both.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { load } from 'js-yaml';

export const SPEC_PATH = path.resolve(__dirname, 'spec/xero_accounting.yaml');
export const ENVELOPE_KEYS = ['Id', 'Status', 'ProviderName', 'DateTimeUTC'] as const;
export const EXAMPLE_DRIFT = [
	{
		path: 'GET /Payments example',
		field: 'BatchPayment.TotalAmount',
		value: '"50.00"',
		schema: 'number',
	},
	{
		path: 'GET /Payments example',
		field: 'BatchPayment.IsReconciled',
		value: '"false"',
		schema: 'boolean',
	},
];
const MSDATE_RE = /^\/Date\(-?\d+([+-]\d{4})?\)\/$/;
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

type Spec = {
	paths: Record<
		string,
		Record<
			string,
			{
				responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
				requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
			}
		>
	>;
	components: { schemas: Record<string, unknown> };
};

let compiled:
	| {
			spec: Spec;
			ajv: Ajv;
			cache: Map<string, ValidateFunction>;
			requestAjv: Ajv;
			requestCache: Map<string, ValidateFunction>;
	  }
	| undefined;

function stripRefSiblings(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(stripRefSiblings);
	if (node && typeof node === 'object') {
		const obj = node as Record<string, unknown>;
		if (typeof obj.$ref === 'string')
			return { $ref: obj.$ref.replace('#/components/schemas/', 'xero#/components/schemas/') };
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(obj)) out[k] = stripRefSiblings(v);
		return out;
	}
	return node;
}

/** Every object schema that lists its properties admits only those (quirk 8). */
function closeObjects(node: unknown): unknown {
	if (Array.isArray(node)) return node.map(closeObjects);
	if (node && typeof node === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(node as Record<string, unknown>))
			out[k] = k === 'properties' ? mapValues(v, closeObjects) : closeObjects(v);
		if (
			out.properties &&
			typeof out.properties === 'object' &&
			out.additionalProperties === undefined
		)
			out.additionalProperties = false;
		return out;
	}
	return node;
}

function mapValues(value: unknown, fn: (v: unknown) => unknown): unknown {
	if (!value || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fn(v)]),
	);
}

function newAjv(dateOk: (data: string) => boolean, schemas: unknown): Ajv {
	const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
	addFormats(ajv);
	for (const f of ['double', 'int32', 'int64', 'float']) ajv.addFormat(f, true);
	for (const keyword of ['x-is-msdate', 'x-is-msdate-time']) {
		ajv.addKeyword({
			keyword,
			schemaType: 'boolean',
			validate: (enabled: boolean, data: unknown) =>
				!enabled || typeof data !== 'string' || dateOk(data),
			errors: false,
		});
	}
	ajv.addSchema({ $id: 'xero', components: { schemas } });
	return ajv;
}

function load_(): NonNullable<typeof compiled> {
	if (compiled) return compiled;
	const spec = load(readFileSync(SPEC_PATH, 'utf8')) as Spec;
	const schemas = stripRefSiblings(spec.components.schemas);
	compiled = {
		spec,
		ajv: newAjv((d) => MSDATE_RE.test(d), schemas),
		cache: new Map(),
		requestAjv: newAjv((d) => MSDATE_RE.test(d) || ISO_DATE_RE.test(d), closeObjects(schemas)),
		requestCache: new Map(),
	};
	return compiled;
}

const RESPONSE_DRIFT: Record<string, string> = {
	'DELETE /CreditNotes/{CreditNoteID}/Allocations/{AllocationID} 200': 'Allocations',
};

/** The component schema name for a documented response, e.g. ('/Invoices', 'get', 200) → 'Invoices'. */
export function responseSchemaName(
	specPath: string,
	method: string,
	status: number,
): string | undefined {
	if (status === 400) return 'Error';
	const drift = RESPONSE_DRIFT[`${method.toUpperCase()} ${specPath} ${status}`];
	if (drift) return drift;
	const op = load_().spec.paths[specPath]?.[method.toLowerCase()];
	const ref = op?.responses?.[String(status)]?.content?.['application/json']?.schema?.$ref;
	return ref?.split('/').pop();
}

export interface SchemaCheck {
	ok: boolean;
	schema?: string;
	errors: string[];
}

export function validateResponse(
	specPath: string,
	method: string,
	status: number,
	body: unknown,
): SchemaCheck {
	const schema = responseSchemaName(specPath, method, status);
	if (!schema) return { ok: true, errors: [] };
	const { ajv, cache } = load_();
	let validate = cache.get(schema);
	if (!validate) {
		validate = ajv.compile({ $ref: `xero#/components/schemas/${schema}` });
		cache.set(schema, validate);
	}
	let data = body;
	if (data && typeof data === 'object' && !Array.isArray(data)) {
		data = { ...(data as Record<string, unknown>) };
		for (const k of ENVELOPE_KEYS) delete (data as Record<string, unknown>)[k];
	}
	const ok = validate(data) as boolean;
	return {
		ok,
		schema,
		errors: ok
			? []
			: (validate.errors ?? [])
					.slice(0, 10)
					.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim()),
	};
}

/** The component schema a documented request body must follow, e.g. ('/TrackingCategories/{id}/Options', 'put') → 'TrackingOption'. */
export function requestSchemaName(specPath: string, method: string): string | undefined {
	const op = load_().spec.paths[specPath]?.[method.toLowerCase()];
	return op?.requestBody?.content?.['application/json']?.schema?.$ref?.split('/').pop();
}

function describeRequestError(e: {
	instancePath: string;
	keyword: string;
	message?: string;
	params: Record<string, unknown>;
}): string {
	const at = e.instancePath || '/';
	if (e.keyword === 'additionalProperties')
		return `${at}: "${String(e.params.additionalProperty)}" is not a documented field here`;
	if (e.keyword === 'enum')
		return `${at}: must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
	if (e.keyword.startsWith('x-is-msdate')) return `${at}: must be a date (YYYY-MM-DD)`;
	return `${at}: ${e.message ?? e.keyword}`;
}

/**
 * Checks a PUT/POST body against the operation's documented `requestBody` schema, objects closed (quirk 8).
 * Operations without a documented body accept none.
 */
export function validateRequest(specPath: string, method: string, body: unknown): SchemaCheck {
	const schema = requestSchemaName(specPath, method);
	if (!schema)
		return body === undefined
			? { ok: true, errors: [] }
			: { ok: false, errors: ['/: this operation takes no request body'] };
	if (body === undefined)
		return { ok: false, schema, errors: [`/: a ${schema} request body is required`] };
	const { requestAjv, requestCache } = load_();
	let validate = requestCache.get(schema);
	if (!validate) {
		validate = requestAjv.compile({ $ref: `xero#/components/schemas/${schema}` });
		requestCache.set(schema, validate);
	}
	const ok = validate(body) as boolean;
	return {
		ok,
		schema,
		errors: ok ? [] : [...new Set((validate.errors ?? []).map(describeRequestError))].slice(0, 10),
	};
}

/** Validates an arbitrary value against a named component schema (tests use it on spec examples). */
export function validateAgainst(schema: string, value: unknown): SchemaCheck {
	const { ajv } = load_();
	const validate = ajv.compile({ $ref: `xero#/components/schemas/${schema}` });
	const ok = validate(value) as boolean;
	return {
		ok,
		schema,
		errors: ok
			? []
			: (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim()),
	};
}
