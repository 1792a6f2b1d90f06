// What "safe for chat" means, checked on any text output, and a generator of the names that try to break it.
import fc from 'fast-check';
import { expect } from 'vitest';

/** Pieces of text a chat reads as mentions, links or formatting, and near-misses around them. */
const HOSTILE_PIECES = [
	'<!channel>',
	'<!here>',
	'<!everyone>',
	'<!subteam^S012AB|@accounts>',
	'<@U024BE7LH>',
	'<#C024BE7LR|general>',
	'<https://evil.test/pay|Pay invoice here>',
	'<mailto:boss@evil.test|Boss>',
	'<tel:+441234|Call>',
	'&lt;!channel&gt;',
	'&amp;',
	'@channel',
	'@here',
	'@everyone',
	'@all',
	'*urgent*',
	'_quiet_',
	'~struck~',
	'`code`',
	'```block```',
	'[Pay here](https://evil.test)',
	'![img](https://evil.test/x.png)',
	'# Heading',
	'> quoted',
	'<',
	'>',
	'&',
	'|',
	'\\',
	' ',
	'\n',
	"O'Neill & Sons",
];

/** A name (customer, invoice number, Xero message) built from hostile pieces and arbitrary text. */
export const hostileText = fc
	.array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 6 })), {
		minLength: 1,
		maxLength: 6,
	})
	.map((pieces) => pieces.join(''));

/** What Slack shows for a text: its three entities decoded, invisible word joiners gone. */
export function slackShows(text: string): string {
	return text
		.replace(/\u2060/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/**
 * No live mention, link or control sequence for Slack (no `<` or `>` at all, every `&` an escape, no bare broadcast
 * mention) and, with `markdown`, no unescaped Markdown syntax.
 */
export function expectChatSafe(text: string, markdown = false): void {
	expect(text).not.toMatch(/[<>]/);
	expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
	expect(text).not.toMatch(/(^|[^\w@.])@(channel|here|everyone|all)\b/i);
	if (markdown) {
		// every Markdown special character is preceded by a backslash that is not itself escaped
		const unescaped = text.replace(/\\[\\`*_~[\]()#|!]/g, '');
		expect(unescaped).not.toMatch(/[\\`*_~[\]()#|!]/);
	}
}
