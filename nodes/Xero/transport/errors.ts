import type { IDataObject } from 'n8n-workflow';

/**
 * Turning Xero error bodies into messages an ops person can act on (docs/xero-rules.md §2.2, §8.4, §9), and
 * keeping secrets out of them.
 */

/** Validation messages from any Xero error/element shape: ValidationErrors, Elements[].ValidationErrors, Warnings excluded. */
export function validationMessages(body: unknown): string[] {
	const out: string[] = [];
	const seen = new Set<string>();
	const add = (message: unknown) => {
		if (typeof message !== 'string') return;
		const trimmed = message.trim();
		if (trimmed && !seen.has(trimmed)) {
			seen.add(trimmed);
			out.push(trimmed);
		}
	};
	const visit = (node: unknown, depth: number) => {
		if (!node || typeof node !== 'object' || depth > 6) return;
		if (Array.isArray(node)) {
			for (const child of node) visit(child, depth + 1);
			return;
		}
		const record = node as IDataObject;
		if (Array.isArray(record.ValidationErrors)) {
			for (const v of record.ValidationErrors) add((v as IDataObject)?.Message);
		}
		for (const key of [
			'Elements',
			'Invoices',
			'Contacts',
			'Payments',
			'CreditNotes',
			'LineItems',
		]) {
			if (Array.isArray(record[key])) visit(record[key], depth + 1);
		}
	};
	visit(body, 0);
	return out;
}

/** A one-line summary of an error body: problem-details Detail/Title, ValidationException Message, or text. */
export function errorSummary(body: unknown): string | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		return text ? redactSecrets(text.slice(0, 500)) : undefined;
	}
	if (!body || typeof body !== 'object') return undefined;
	const record = body as IDataObject;
	for (const key of ['Detail', 'Message', 'Title', 'message', 'error_description', 'error']) {
		const value = record[key];
		if (typeof value === 'string' && value.trim()) return redactSecrets(value.trim());
	}
	return undefined;
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
	[/(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi, '$1[redacted]'],
	[
		/("?(?:access_token|refresh_token|id_token|client_secret|code_verifier|authorization)"?\s*[:=]\s*"?)[^"&\s,}]+/gi,
		'$1[redacted]',
	],
	[/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, '[redacted-jwt]'],
];

/** Removes bearer tokens, JWTs and OAuth secrets from a message before it reaches an error or output. */
export function redactSecrets(text: string): string {
	let out = text;
	for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
	return out;
}

export function describeStatus(statusCode: number): string {
	switch (statusCode) {
		case 400:
			return 'Xero rejected the request (validation)';
		case 401:
			return 'Xero refused the token (expired, revoked or missing a scope)';
		case 403:
			return 'Xero refused access to this organisation (wrong tenant ID or the connection was removed)';
		case 404:
			return 'Xero could not find the record';
		case 429:
			return 'Xero rate limit reached';
		default:
			return statusCode >= 500 ? 'Xero had a server error' : `Xero answered HTTP ${statusCode}`;
	}
}

/** What an ops person should do about a status, shown in the error description. */
export function hintForStatus(statusCode: number, detail?: string): string | undefined {
	if (statusCode === 401) {
		if (detail && /AuthorizationUnsuccessful/i.test(detail)) {
			return 'The Xero connection lacks a scope this operation needs: add it to the credential scopes (e.g. accounting.invoices, accounting.settings) and reconnect.';
		}
		return 'Reconnect the Xero credential (Credentials → Xero Accounting OAuth2 API → Reconnect). Unused refresh tokens expire after 60 days.';
	}
	if (statusCode === 403) {
		return "Check the node's Organisation (tenant) parameter: pick it again from the list, or reconnect the credential with that organisation ticked.";
	}
	if (statusCode >= 500)
		return 'Xero may be having an outage; run the workflow again later. Writes carry an Idempotency-Key, so a re-run cannot create duplicates while Xero remembers the key.';
	return undefined;
}
