import { closest, distance } from 'fastest-levenshtein';
import type { Node } from 'jsonc-parser';

/** `"value"` in double quotes, as JSON writes it. */
export function quote(value: unknown): string {
  return JSON.stringify(value);
}

/** "the text "abc"", "the number 5", ... for messages about a wrong value. */
export function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `the text ${truncate(quote(value))}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `${value}`;
    case 'object':
      return 'an object';
    default:
      return 'nothing';
  }
}

export function truncate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The longest text `nearest` looks for a typo in (names and operators are far shorter). */
export const MAX_TYPO_LENGTH = 256;

/** The closest candidate to `input`, when it is close enough to be a likely typo. */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  // The edit distance costs input × candidate length: a text this long is no typo of a name.
  if (candidates.length === 0 || input.length > MAX_TYPO_LENGTH) return undefined;
  const best = closest(input, [...candidates]);
  const limit = Math.max(2, Math.floor(Math.max(input.length, best.length) / 3));
  if (distance(input.toLowerCase(), best.toLowerCase()) <= limit) return best;
  // A candidate that contains the input (or the reverse) is also a good guess: "greater" → "greater-than".
  return candidates.find((c) => c.startsWith(input) || input.startsWith(c));
}

/** "a, b or c" */
export function listOf(values: readonly unknown[], conjunction = 'or'): string {
  const quoted = values.map((v) => quote(v));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} ${conjunction} ${quoted[quoted.length - 1]}`;
}

/** "a", "an" for a noun phrase. */
export function article(phrase: string): string {
  // Acronyms are read letter by letter: "an SMS consent".
  const word = phrase.replace(/^["'`]/, '');
  return /^([aeiou]|SMS\b|RCS\b)/i.test(word) && !/^(us|eu)/i.test(word) ? `an ${phrase}` : `a ${phrase}`;
}

/** The first sentence of a description, for short messages. */
export function firstSentence(text: string | undefined): string | undefined {
  if (!text) return undefined;
  // A sentence ends at a full stop followed by a space and a capital (or the end), not at "e.g.".
  const match = /^(.+?[.!?])(?=\s+[A-Z`"(]|$)/s.exec(text);
  return (match ? match[1] : text).replace(/`/g, '"');
}

/**
 * How many whitespace characters (as `\s` reads them; line breaks only when `newlines`) come
 * right before `end` in `text`. Counted backwards, in time linear in the run: a regular expression
 * anchored at the end (`/\s*$/`) tries again from every character of the run, which took hours
 * on a megabyte of whitespace (issue 16, found by the fuzz test).
 */
export function whitespaceBefore(text: string, end: number, newlines = true): number {
  let start = end;
  while (start > 0 && /\s/.test(text[start - 1]) && (newlines || (text[start - 1] !== '\n' && text[start - 1] !== '\r'))) start--;
  return end - start;
}

/** The range a problem about a missing key points at: the object's key, or its opening brace. */
export function objectAnchor(node: Node): { offset: number; length: number } {
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[0]) {
    const key = parent.children[0];
    return { offset: key.offset, length: key.length };
  }
  return { offset: node.offset, length: 1 };
}

/** The key node of a property node's value, when the value is a property value. */
export function keyNodeOf(valueNode: Node): Node | undefined {
  const parent = valueNode.parent;
  return parent?.type === 'property' && parent.children?.[1] === valueNode ? parent.children[0] : undefined;
}

/** The property node named `key` inside an object node. */
export function propertyNode(objectNode: Node | undefined, key: string): Node | undefined {
  return objectNode?.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key);
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/;

/**
 * A date or date-time written without a UTC offset ("2017-04-01T00:00:00", "2017-04-01"),
 * completed as Klaviyo reads it: in UTC. Undefined when `value` is not such a text.
 */
export function withUtcOffset(value: string): { fixed: string; hadTime: boolean } | undefined {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) return undefined;
  const time = !match[2] ? '00:00:00' : match[2].length === 5 ? `${match[2]}:00` : match[2];
  return { fixed: `${match[1]}T${time}+00:00`, hadTime: Boolean(match[2]) };
}
