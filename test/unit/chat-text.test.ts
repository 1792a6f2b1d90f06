// Text outputs meant for chat carry other people's text (customer names, invoice numbers, Xero's messages): none
// of it may become a live mention, link or control sequence. Property-tested on the shared helper and on every
// text output built from records (the Audit's text, the ageing text); the invoice failure lines are covered in
// test/sandbox/invoice-upsert.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { chatText } from '../../nodes/shared/chatText';
import { auditCommusoftAgainstXero, renderAuditText } from '../../nodes/Xero/mapping/audit';
import { renderAgeingText, type AgeingSummary } from '../../nodes/Xero/mapping/ageing';
import { expectChatSafe, hostileText, slackShows } from '../helpers/chatSafety';

const RUNS = { numRuns: 400, seed: 20261203 };

describe('chatText', () => {
	it('never leaves a Slack mention, link or control sequence, and Slack shows the text unchanged', () => {
		fc.assert(
			fc.property(hostileText, (text) => {
				const safe = chatText(text);
				expectChatSafe(safe);
				expect(slackShows(safe)).toBe(text);
			}),
			RUNS,
		);
	});

	it('for Markdown, also escapes emphasis, code and link syntax', () => {
		fc.assert(
			fc.property(hostileText, (text) => {
				const safe = chatText(text, { markdown: true });
				expectChatSafe(safe, true);
				expect(slackShows(safe).replace(/\\(.)/gs, '$1')).toBe(text);
			}),
			RUNS,
		);
	});

	it('escapes exactly what Slack documents, and leaves ordinary text and e-mail addresses alone', () => {
		expect(chatText('<!channel> pay <https://evil.test|here> & <@U1>')).toBe(
			'&lt;!channel&gt; pay &lt;https://evil.test|here&gt; &amp; &lt;@U1&gt;',
		);
		expect(chatText('Mrs Sarah O’Neill, CS-10042: 120.00 GBP')).toBe(
			'Mrs Sarah O’Neill, CS-10042: 120.00 GBP',
		);
		expect(chatText('office@here.co.uk')).toBe('office@here.co.uk');
		expect(chatText('ping @here now')).toBe('ping @\u2060here now');
	});
});

describe('text outputs built from records', () => {
	it("the Audit's text, whatever the invoice numbers on either side", () => {
		fc.assert(
			fc.property(hostileText, hostileText, (commusoftNumber, xeroNumber) => {
				const report = auditCommusoftAgainstXero(
					[
						{
							id: 'a',
							invoiceNumber: commusoftNumber,
							status: 'raised',
							total: 10,
							currency: 'GBP',
						},
					],
					[],
					[
						{
							InvoiceID: 'x',
							InvoiceNumber: `CS-${xeroNumber}`,
							Type: 'ACCREC',
							Status: 'AUTHORISED',
							Total: 5,
						},
					],
					{ invoiceNumberPrefix: 'CS-' },
				);
				const text = renderAuditText(report);
				expectChatSafe(text);
				expect(slackShows(text)).toContain(commusoftNumber.trim());
			}),
			{ ...RUNS, numRuns: 200 },
		);
	});

	it('the ageing text, whatever the currency code says', () => {
		fc.assert(
			fc.property(hostileText, (currency) => {
				const summary = {
					asOf: '2026-11-30',
					currencies: [
						{
							currency,
							total: 1,
							overdue: 0,
							buckets: { current: 1, days1to30: 0, days31to60: 0, days61to90: 0, over90: 0 },
						},
					],
					skipped: [],
				} as unknown as AgeingSummary;
				const text = renderAgeingText(summary);
				expectChatSafe(text);
				expect(slackShows(text)).toContain(currency);
			}),
			{ ...RUNS, numRuns: 200 },
		);
	});
});
