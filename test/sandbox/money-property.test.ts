// Money (docs/money.md): for every invoice the node sends, the total Xero computes must be the total the node expects
// (and so Commusoft's, or the item fails naming both). 100,000 generated invoices, compared with the sandbox's
// own arithmetic (the sandbox plays Xero); pure functions, no HTTP, a few seconds. Long form: npm run bench:money.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { checkOne, moneyInvoice, offByPence } from '../helpers/moneyInvoices';

const RUNS = 100_000;

describe('money: node expected Xero totals vs the sandbox, property-based', () => {
	it(`agrees to the penny on ${RUNS.toLocaleString('en-GB')} generated invoices, and the total check names both totals and the difference`, () => {
		const counts = { invoices: 0, lines: 0, rounded: 0, Exclusive: 0, Inclusive: 0, NoTax: 0 };
		fc.assert(
			fc.property(moneyInvoice, offByPence, (invoice, off) => {
				const result = checkOne(invoice, off);
				counts.invoices++;
				counts.lines += result.lines;
				if (result.rounded) counts.rounded++;
				counts[result.amountsAre as 'Exclusive']++;
				// a boolean, not expect(): fast-check shrinks and reports the invoice that breaks it
				return result.difference === undefined && result.totalCheckHolds;
			}),
			{ numRuns: RUNS, seed: 18_001 },
		);
		// the generator reaches every case the property is about
		expect(counts.invoices).toBe(RUNS);
		expect(counts.rounded).toBeGreaterThan(RUNS / 10);
		for (const type of ['Exclusive', 'Inclusive', 'NoTax'] as const)
			expect(counts[type]).toBeGreaterThan(RUNS / 10);
	});
});
