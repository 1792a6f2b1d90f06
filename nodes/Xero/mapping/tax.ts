// Commusoft labels VAT per line ("20%", "Exempt", ...); Xero wants a TaxType code of the organisation
// (docs/xero-rules.md §3.4: `TaxType` is a free string matching a TaxRate). UK organisations use these codes.

export const UK_DEFAULT_VAT_MAP: Readonly<Record<string, string>> = Object.freeze({
	'20%': 'OUTPUT2',
	'5%': 'RROUTPUT',
	'0%': 'ZERORATEDOUTPUT',
	exempt: 'EXEMPTOUTPUT',
	'no vat': 'NONE',
});

/** Labels compare case-insensitively and ignore spaces ("20 %" = "20%", "No VAT" = "no vat"). */
export function normaliseVatLabel(label: string): string {
	return label.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\s*%$/, '%');
}

/** User entries override the UK defaults label by label. */
export function buildVatMap(
	userEntries: Array<{ label: string; taxType: string }> = [],
): Map<string, string> {
	const map = new Map<string, string>();
	for (const [label, taxType] of Object.entries(UK_DEFAULT_VAT_MAP))
		map.set(normaliseVatLabel(label), taxType);
	for (const entry of userEntries) {
		if (!entry?.label || !entry.taxType) continue;
		map.set(normaliseVatLabel(entry.label), entry.taxType.trim());
	}
	return map;
}

export type TaxTypeResolution =
	| { ok: true; taxType: string | undefined; source: 'explicit' | 'vatMap' | 'none' }
	| { ok: false; label: string };

/** An explicit line TaxType wins; else the VAT label through the map; a line with neither gets none. */
export function resolveTaxType(
	line: { taxType?: string; vatRate?: string },
	vatMap: Map<string, string>,
): TaxTypeResolution {
	const explicit = typeof line.taxType === 'string' ? line.taxType.trim() : '';
	if (explicit) return { ok: true, taxType: explicit, source: 'explicit' };
	const label =
		typeof line.vatRate === 'string'
			? line.vatRate
			: line.vatRate == null
				? ''
				: String(line.vatRate);
	if (!label.trim()) return { ok: true, taxType: undefined, source: 'none' };
	const mapped = vatMap.get(normaliseVatLabel(label));
	if (mapped) return { ok: true, taxType: mapped, source: 'vatMap' };
	return { ok: false, label };
}
