const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when the whole value is a GUID (Xero's IDs: InvoiceID, ContactID, PaymentID, tenant IDs, …). */
export function isGuid(value: string): boolean {
	return GUID.test(value);
}
