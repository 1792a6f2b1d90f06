/**
 * Xero ContactNumbers of Commusoft suppliers: "SUP:<supplier reference>". Customers' contacts carry their plain
 * account reference, so a supplier's number can never equal a customer's, even where Commusoft numbers both
 * alike (docs/ARCHITECTURE.md, "Suppliers in Xero"). Written by Xero Contact → Sync; the customer import from
 * Xero leaves such contacts out.
 */
export const SUPPLIER_NUMBER_PREFIX = 'SUP:';

export function supplierContactNumber(reference: string): string {
	return `${SUPPLIER_NUMBER_PREFIX}${reference}`;
}

export function isSupplierContactNumber(value: unknown): boolean {
	return typeof value === 'string' && value.trim().toUpperCase().startsWith(SUPPLIER_NUMBER_PREFIX);
}
