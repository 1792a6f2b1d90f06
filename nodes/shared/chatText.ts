/**
 * Text the package writes for a chat message (the Audit's `text`, the ageing `text`, a failure's report line)
 * carries names and messages other people typed: a customer called `<!channel>` or `<https://evil.test|Pay here>`
 * must not notify a whole channel or show a disguised link. Every such text goes through `chatText`, once, as a
 * whole.
 *
 * Slack reads `&`, `<` and `>` as control characters and documents escaping exactly those three
 * (https://api.slack.com/reference/surfaces/formatting#escaping); that turns every `<…>` sequence (`<!channel>`,
 * `<!here>`, `<!everyone>`, `<@U123>`, `<#C123>`, `<!subteam^S1>`, `<url|label>`) into plain text. A bare
 * `@channel`, `@here` or `@everyone` (a mention where the poster turns on `link_names`, and in Teams or Discord) gets
 * an invisible word joiner after the `@`. With `markdown`, for a destination that renders Markdown, emphasis, code,
 * heading, quote and link characters are backslash-escaped as well, so `[label](url)` cannot become a link.
 */
const SLACK_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** U+2060 WORD JOINER: invisible, and breaks the `@word` a chat reads as a broadcast mention. */
const WORD_JOINER = '\u2060';

const BROADCAST = /(^|[^\w@.])@(channel|here|everyone|all)\b/gi;

const MARKDOWN_SPECIAL = /[\\`*_~[\]()#|!]/g;

export interface ChatTextOptions {
	/** The destination renders Markdown (Teams, Discord, Mattermost): escape its syntax too. */
	markdown?: boolean;
}

export function chatText(text: string, options: ChatTextOptions = {}): string {
	let safe = options.markdown ? text.replace(MARKDOWN_SPECIAL, (c) => `\\${c}`) : text;
	safe = safe.replace(/[&<>]/g, (c) => SLACK_ESCAPES[c]);
	return safe.replace(BROADCAST, (_match, before: string, word: string) => {
		return `${before}@${WORD_JOINER}${word}`;
	});
}
