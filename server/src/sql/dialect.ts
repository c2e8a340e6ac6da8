/**
 * What differs between the SQL dialects Segment Lens writes (docs/sql.md "Dialects"): quoting,
 * JSON access, regular expressions, string and list functions, date arithmetic. Every method
 * returns SQL text; arguments named `sql`, `json`, `text`... are SQL expressions already, and
 * plain strings (`key`, `pattern`...) are values the dialect quotes itself.
 *
 * JSON accessors are used only behind a type test (`jsonIs`), so none of them needs to handle a
 * value of another type; every one returns NULL for a NULL input.
 */
export type DialectName = 'duckdb' | 'postgres' | 'bigquery' | 'snowflake';

export const DIALECT_NAMES: readonly DialectName[] = ['duckdb', 'postgres', 'bigquery', 'snowflake'];

export type JsonKind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';

/** How a dialect's own regular expressions relate to RE2 (what Segment Lens uses for `regex`). */
export type RegexEngine = 'RE2' | 'ARE' | 'POSIX';

export interface SqlDialect {
  readonly name: DialectName;
  /** The regular-expression engine behind `regexSearch`. */
  readonly regexEngine: RegexEngine;
  /** Column types for table definitions. */
  readonly types: { text: string; double: string; bigint: string; boolean: string; json: string; timestamp: string };

  /** A quoted identifier; the name can hold any character. */
  quoteIdentifier(name: string): string;
  /** A string literal holding `text` exactly, whatever it holds (quotes, backslashes, newlines). */
  stringLiteral(text: string): string;
  /** A literal of the dialect's double-precision type. */
  numberLiteral(n: number): string;
  /** An integer literal (for counts, positions and limits). */
  integerLiteral(n: number): string;
  booleanLiteral(value: boolean): string;
  /** A JSON value given as JSON text (for loading rows). */
  jsonLiteral(jsonText: string): string;

  /** Whether a JSON value is of a kind (FALSE for NULL). */
  jsonIs(json: string, kind: JsonKind): string;
  /** The member `key` of a JSON object (NULL otherwise). */
  jsonField(json: string, key: string): string;
  /** The element at a 0-based index of a JSON array (NULL otherwise). */
  jsonElement(json: string, index: number): string;
  /** The text of a JSON string. */
  jsonText(json: string): string;
  /** The double of a JSON number. */
  jsonNumber(json: string): string;
  /** The boolean of a JSON boolean. */
  jsonBoolean(json: string): string;
  /** The length of a JSON array. */
  jsonArrayLength(json: string): string;
  /** Whether some element of a JSON array passes `test` (given the element as a JSON expression). */
  jsonSomeElement(json: string, alias: string, test: (element: string) => string): string;

  /** Whether the dialect's regular expression `pattern` (an SQL expression or literal) finds a match in `text`. */
  regexSearch(text: string, pattern: string): string;
  /** Whether `text` matches a pattern of Segment Lens's own (ASCII, no back-references) entirely. */
  regexFullMatch(text: string, pattern: string): string;
  /** The text of the one capturing group of a pattern of Segment Lens's own, NULL without a match. */
  regexExtract(text: string, pattern: string): string;
  /** Replaces every match of a pattern of Segment Lens's own. */
  regexReplaceAll(text: string, pattern: string, replacement: string): string;
  /** A regular-expression character class item for one code point (`\x{2028}`, `\u2028`...). */
  regexCodePoint(codePoint: number): string;
  startsWith(text: string, prefix: string): string;
  endsWith(text: string, suffix: string): string;
  contains(text: string, needle: string): string;
  lower(text: string): string;
  upper(text: string): string;
  /** 1-based substring; without `length`, to the end. */
  substr(text: string, start: number | string, length?: number | string): string;
  length(text: string): string;
  concat(...parts: string[]): string;
  /** An integer from a text of ASCII digits, NULL when it is not one. */
  tryInteger(text: string): string;
  /**
   * Ends a derived table's (or a WITH query's) query so that the planner keeps it apart from the
   * query around it ('' where that is how it plans anyway). PostgreSQL merges a derived table into
   * its outer query and copies each column's expression into every place that reads it: a date's
   * text, read by a dozen fields of the instant parse, was computed a dozen times, and each step
   * again; the counts form computed each condition once for every count that reads it.
   */
  readonly fence: string;
  /** A double from a decimal text (already checked), NULL when it is not one. */
  tryDouble(text: string): string;
  /** floor(a / b) as a number. */
  floorDiv(a: string, b: string): string;
  mod(a: string, b: string): string;
  /** Rounds a number to `places` decimal places. */
  round(value: string, places: number): string;
  /** sin, cos, asin, sqrt of a number; `radians` converts degrees. */
  math(fn: 'sin' | 'cos' | 'asin' | 'sqrt' | 'radians', value: string): string;
  least(a: string, b: string): string;

  /** A timestamp literal of the instant `ms` (epoch milliseconds, UTC). */
  timestampLiteral(ms: number): string;
  /** Epoch milliseconds of a timestamp. */
  timestampToEpochMs(timestamp: string): string;
  /** month * 100 + day (UTC) of an epoch-milliseconds number that is within the platform's date range. */
  monthDayOfEpochMs(ms: string): string;
  /** `timestamp + ms` milliseconds. */
  timestampPlusMs(timestamp: string, ms: number): string;
  /** The epoch milliseconds `monthDayOfEpochMs` can read (its timestamps' range). */
  readonly dateRangeMs: readonly [number, number];
}

/** A literal that the dialect cannot hold (PostgreSQL text cannot hold U+0000). */
export class SqlLiteralError extends Error {}

/** Doubles quote characters: the quoting of standard SQL identifiers and strings. */
export function doubled(text: string, quote: string): string {
  return `${quote}${text.split(quote).join(quote + quote)}${quote}`;
}

/** The shortest decimal text of a finite number that reads back as the same double. */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new SqlLiteralError(`${n} is not a finite number`);
  return Object.is(n, -0) ? '0' : String(n);
}

/** The decimal text of a safe integer. */
export function integerText(n: number): string {
  if (!Number.isSafeInteger(n)) throw new SqlLiteralError(`${n} is not an integer`);
  return String(n);
}

/** Escapes a LIKE pattern's wildcards and the escape character itself with `!` (used with `LIKE ... ESCAPE '!'`). */
export function likeEscape(text: string): string {
  return text.replace(/[!%_]/g, (c) => `!${c}`);
}

/** ISO text of an instant for timestamp literals: `2024-06-14 00:00:00.000`. */
export function isoSpaced(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
