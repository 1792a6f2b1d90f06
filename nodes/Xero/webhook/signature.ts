import { createHmac, timingSafeEqual } from 'node:crypto';

/** Xero's signature header (https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/). */
export const XERO_SIGNATURE_HEADER = 'x-xero-signature';

/**
 * True only when `signatureHeader` is exactly base64(HMAC-SHA256(rawBody, signingKey)), the canonical
 * 44-character form Xero sends. The header is compared as text, not decoded: Node's base64 decoder skips
 * characters it does not know, so decoding would let other spellings of a signature through. The length
 * check comes first because `timingSafeEqual` needs equal lengths; the length of a base64 SHA-256 digest
 * is public anyway. An empty key never verifies anything (fail closed).
 */
export function isValidXeroSignature(
	rawBody: Buffer | undefined,
	signatureHeader: unknown,
	signingKey: string,
): boolean {
	if (typeof signatureHeader !== 'string' || signingKey === '' || rawBody === undefined)
		return false;
	const expected = Buffer.from(
		createHmac('sha256', signingKey).update(rawBody).digest('base64'),
		'utf8',
	);
	const received = Buffer.from(signatureHeader, 'utf8');
	if (received.length !== expected.length) return false;
	return timingSafeEqual(received, expected);
}
