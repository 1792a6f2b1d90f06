/* eslint-disable no-console, @n8n/community-nodes/no-restricted-globals --
	Node program outside the package, never loaded by n8n: n8n's node-runtime rules do not apply (docs/ARCHITECTURE.md, "Lint"). */
// The money property at length: generated invoices through the node's mapping and expected Xero
// totals (nodes/Xero/mapping/money.ts), compared with the sandbox's own arithmetic (sandbox/xero/calc.ts), and
// the total check (a Commusoft total Xero cannot reach fails naming both totals and the difference). Prints
// counts; exits non-zero on the first disagreement, with the invoice that shows it. Never asserts on time.
//
//   npm run bench:money -- [--runs 1000000] [--seed 18001]
import fc from 'fast-check';

import { checkOne, moneyInvoice, offByPence } from '../test/helpers/moneyInvoices';

function arg(name: string, fallback: number): number {
	const index = process.argv.indexOf(`--${name}`);
	const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
	if (!Number.isSafeInteger(value) || value < 1)
		throw new Error(`--${name} must be a whole number`);
	return value;
}

const RUNS = arg('runs', 1_000_000);
const SEED = arg('seed', 18_001);
const CHUNK = 10_000;

const counts = {
	invoices: 0,
	lines: 0,
	withRounding: 0,
	Exclusive: 0,
	Inclusive: 0,
	NoTax: 0,
	disagreements: 0,
	totalCheckFailures: 0,
};
const started = process.hrtime.bigint();
const random = fc.tuple(moneyInvoice, offByPence);
for (let done = 0; done < RUNS; done += CHUNK) {
	const batch = fc.sample(random, { numRuns: Math.min(CHUNK, RUNS - done), seed: SEED + done });
	for (const [invoice, off] of batch) {
		const result = checkOne(invoice, off);
		counts.invoices++;
		counts.lines += result.lines;
		if (result.rounded) counts.withRounding++;
		counts[result.amountsAre as 'Exclusive']++;
		if (result.difference || !result.totalCheckHolds) {
			if (result.difference) counts.disagreements++;
			if (!result.totalCheckHolds) counts.totalCheckFailures++;
			console.log(JSON.stringify({ counts, result, invoice, off }, null, 2));
			process.exit(1);
		}
	}
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
	JSON.stringify({ ...counts, seed: SEED, seconds: Math.round(seconds * 10) / 10 }, null, 2),
);
