/**
 * Escaping for text from outside (profile data, segment names, file names, definitions written by
 * a pull request's author) placed in GitHub-flavoured Markdown.
 *
 * Every ASCII punctuation character becomes a numeric character reference. CommonMark reads a
 * character reference as that literal character, never as markup, so no emphasis, link, code
 * span, HTML tag, table cell break (`|`) or autolink can be formed from the data; letters,
 * digits, spaces and other scripts stay readable in the source. Line breaks and other control or
 * formatting characters (including bidirectional overrides) become spaces, so one value stays on
 * its line and in its table cell.
 */
export function escapeMarkdown(text: string, maxLength = 200): string {
  const clipped = text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
  return clipped.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ').replace(/[!-/:-@[-`{-~]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Escaped text in a `<code>` element (GitHub does not turn `@name` inside code into a mention). */
export function markdownCode(text: string, maxLength?: number): string {
  return `<code>${escapeMarkdown(text, maxLength)}</code>`;
}
