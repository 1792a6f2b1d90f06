import {
	getPaymentAccounts,
	getTaxRates,
	getTenants,
	getTrackingCategories,
	getTrackingOptions,
} from './loadOptions';

/** The Xero Accounting node's dropdown loaders, by the name its parameters give as `loadOptionsMethod`. */
export const loadOptions = {
	getTenants,
	getTaxRates,
	getTrackingCategories,
	getTrackingOptions,
	getPaymentAccounts,
};
