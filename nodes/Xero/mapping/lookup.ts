// Batched look-ups: how many keys go into one GET.
//
// Xero documents no limit on `InvoiceNumbers`/`IDs` lists; the practical limit is the URL length (53 GUIDs
// in `IDs` failed, 52 worked: docs/xero-rules.md §3.6, XeroAPI/Xero-Java#328). So lists are cut by the characters
// they add to the URL, with the budget 40 GUIDs take (40 × 37 encoded characters); short keys such as
// "CS-10042" then fit ~150 to a call instead of 40, which is what keeps an upsert of 1,000 invoices near 20
// invoices per Xero call. A count cap keeps each answer within one page.

/** Characters of encoded list per request (40 GUIDs with their commas). */
export const LOOKUP_URL_BUDGET = 40 * 37;
/** At most this many keys per request, whatever their length. */
export const LOOKUP_MAX_KEYS = 200;

/** Split keys (deduplicated, order kept) into chunks whose encoded, comma-joined length fits the budget. */
export function chunkForUrl(
	keys: string[],
	budget = LOOKUP_URL_BUDGET,
	maxKeys = LOOKUP_MAX_KEYS,
	encode: (key: string) => string = encodeURIComponent,
): string[][] {
	const chunks: string[][] = [];
	let current: string[] = [];
	let used = 0;
	const seen = new Set<string>();
	for (const key of keys) {
		if (!key || seen.has(key)) continue;
		seen.add(key);
		const cost = encode(key).length + 3; // the encoded comma (%2C) or " OR " joiner
		if (current.length && (used + cost > budget || current.length >= maxKeys)) {
			chunks.push(current);
			current = [];
			used = 0;
		}
		current.push(key);
		used += cost;
	}
	if (current.length) chunks.push(current);
	return chunks;
}

/** A string literal for a Xero `where` clause: double quotes, with backslash and quote escaped. */
export function whereString(value: string): string {
	return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `Field=="a" OR Field=="b" OR Other=="c"` for a set of (field, value) pairs. */
export function whereAnyEquals(pairs: Array<[field: string, value: string]>): string {
	return pairs.map(([field, value]) => `${field}==${whereString(value)}`).join(' OR ');
}
