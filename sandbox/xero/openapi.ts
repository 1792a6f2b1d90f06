/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// Response validation against the official spec (sandbox/xero/spec/xero_accounting.yaml, 16.1.0, vendored).
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

type Spec = {
	paths: Record<
		string,
		Record<
			string,
			{ responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }
		>
	>;
	components: { schemas: Record<string, unknown> };
};

let compiled: { spec: Spec; ajv: Ajv; cache: Map<string, ValidateFunction> } | undefined;

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

function load_(): NonNullable<typeof compiled> {
	if (compiled) return compiled;
	const spec = load(readFileSync(SPEC_PATH, 'utf8')) as Spec;
	const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
	addFormats(ajv);
	for (const f of ['double', 'int32', 'int64', 'float']) ajv.addFormat(f, true);
	for (const keyword of ['x-is-msdate', 'x-is-msdate-time']) {
		ajv.addKeyword({
			keyword,
			schemaType: 'boolean',
			validate: (enabled: boolean, data: unknown) =>
				!enabled || typeof data !== 'string' || MSDATE_RE.test(data),
			errors: false,
		});
	}
	ajv.addSchema({
		$id: 'xero',
		components: { schemas: stripRefSiblings(spec.components.schemas) },
	});
	compiled = { spec, ajv, cache: new Map() };
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
