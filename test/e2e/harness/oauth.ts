// Gets real OAuth2 tokens from the sandbox the way a browser would: open the authorize endpoint, submit the
// consent page's "Allow" form, take the code from the redirect, exchange it at the token endpoint. The result
// is what n8n stores as a credential's `oauthTokenData` after a user clicks "Connect".

export interface OAuthTokens {
	access_token: string;
	refresh_token?: string;
	token_type?: string;
	expires_in?: number;
	scope?: string;
	[key: string]: unknown;
}

export interface AuthorizationCodeOptions {
	/** Sandbox origin serving `/identity/connect/authorize` and `/connect/token`. */
	baseUrl: string;
	clientId: string;
	clientSecret: string;
	redirectUri: string;
	scope: string;
}

interface HtmlForm {
	action: string;
	method: string;
	fields: Array<[string, string]>;
	submits: Array<{ name?: string; value: string; label: string }>;
}

const attr = (tag: string, name: string): string | undefined => {
	const match = new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
	return match ? decodeEntities(match[2] ?? match[3] ?? match[4] ?? '') : undefined;
};

function decodeEntities(text: string): string {
	return text
		.replace(/&quot;/g, '"')
		.replace(/&#39;|&#x27;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** The forms on a page with their hidden/text inputs and submit buttons (a small, forgiving HTML reader). */
export function parseForms(html: string): HtmlForm[] {
	const forms: HtmlForm[] = [];
	for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
		const [, formAttrs, body] = match;
		const form: HtmlForm = {
			action: attr(`<form ${formAttrs}>`, 'action') ?? '',
			method: (attr(`<form ${formAttrs}>`, 'method') ?? 'GET').toUpperCase(),
			fields: [],
			submits: [],
		};
		for (const input of body.matchAll(/<input\b[^>]*>/gi)) {
			const tag = input[0];
			const type = (attr(tag, 'type') ?? 'text').toLowerCase();
			const name = attr(tag, 'name');
			const value = attr(tag, 'value') ?? '';
			if (type === 'submit') form.submits.push({ name, value, label: value });
			else if (name && !['checkbox', 'radio'].includes(type)) form.fields.push([name, value]);
			else if (name && / checked/i.test(tag)) form.fields.push([name, value]);
		}
		for (const button of body.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)) {
			const tag = `<button ${button[1]}>`;
			const type = (attr(tag, 'type') ?? 'submit').toLowerCase();
			if (type !== 'submit') continue;
			const label = button[2].replace(/<[^>]+>/g, '').trim();
			form.submits.push({ name: attr(tag, 'name'), value: attr(tag, 'value') ?? '', label });
		}
		for (const select of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/gi)) {
			const name = attr(`<select ${select[1]}>`, 'name');
			const options = [...select[2].matchAll(/<option\b([^>]*)>/gi)].map((o) => `<option ${o[1]}>`);
			const chosen = options.find((o) => / selected/i.test(o)) ?? options[0];
			if (name && chosen) form.fields.push([name, attr(chosen, 'value') ?? '']);
		}
		forms.push(form);
	}
	return forms;
}

/**
 * Opens the consent page and clicks "Allow" programmatically; returns the authorization code that the
 * sandbox puts on the redirect to `redirectUri`.
 */
export async function consentAndGetCode(
	options: AuthorizationCodeOptions,
	state = 'e2e-state',
): Promise<string> {
	const authorize = new URL('/identity/connect/authorize', options.baseUrl);
	authorize.search = new URLSearchParams({
		response_type: 'code',
		client_id: options.clientId,
		redirect_uri: options.redirectUri,
		scope: options.scope,
		state,
	}).toString();
	const page = await fetch(authorize, { redirect: 'manual' });
	const direct = page.headers.get('location');
	if (direct) return codeFromRedirect(direct, options.redirectUri, state);
	const html = await page.text();
	if (!page.ok) throw new Error(`authorize page answered ${page.status}: ${html.slice(0, 500)}`);
	const form = parseForms(html).find((f) =>
		f.submits.some((s) => /allow|accept|approve|consent/i.test(s.label + s.value)),
	);
	if (!form)
		throw new Error(
			`no consent form with an Allow button on ${authorize}:\n${html.slice(0, 1500)}`,
		);
	const allow = form.submits.find((s) => /allow|accept|approve|consent/i.test(s.label + s.value))!;
	const fields = [...form.fields];
	if (allow.name) fields.push([allow.name, allow.value]);
	const target = new URL(form.action || authorize.toString(), authorize);
	const body = new URLSearchParams(fields);
	const submitted =
		form.method === 'POST'
			? await fetch(target, {
					method: 'POST',
					redirect: 'manual',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body,
				})
			: await fetch(`${target.origin}${target.pathname}?${body}`, { redirect: 'manual' });
	const location = submitted.headers.get('location');
	if (!location) {
		throw new Error(
			`consent form answered ${submitted.status} without a redirect: ${(await submitted.text()).slice(0, 500)}`,
		);
	}
	return codeFromRedirect(location, options.redirectUri, state);
}

function codeFromRedirect(location: string, redirectUri: string, state: string): string {
	const url = new URL(location, redirectUri);
	const error = url.searchParams.get('error');
	if (error)
		throw new Error(
			`authorize redirected with error=${error} ${url.searchParams.get('error_description') ?? ''}`,
		);
	if (url.searchParams.get('state') !== state)
		throw new Error(`authorize redirect lost the state: ${location}`);
	const code = url.searchParams.get('code');
	if (!code) throw new Error(`authorize redirect without a code: ${location}`);
	return code;
}

/** Exchanges a code (client credentials in the Basic header, as n8n's default "header" authentication does). */
export async function exchangeCode(
	options: AuthorizationCodeOptions,
	code: string,
): Promise<OAuthTokens> {
	const response = await fetch(new URL('/connect/token', options.baseUrl), {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`,
		},
		body: new URLSearchParams({
			grant_type: 'authorization_code',
			code,
			redirect_uri: options.redirectUri,
		}),
	});
	const text = await response.text();
	if (!response.ok)
		throw new Error(`token exchange answered ${response.status}: ${text.slice(0, 500)}`);
	const tokens = JSON.parse(text) as OAuthTokens;
	if (!tokens.access_token)
		throw new Error(`token exchange returned no access_token: ${text.slice(0, 500)}`);
	return tokens;
}

export async function authorizationCodeTokens(
	options: AuthorizationCodeOptions,
): Promise<OAuthTokens> {
	return exchangeCode(options, await consentAndGetCode(options));
}
