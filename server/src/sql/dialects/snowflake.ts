import { integerText, isoSpaced, numberText, type JsonKind, type SqlDialect } from '../dialect';

// eslint-disable-next-line no-control-regex -- control characters are exactly what must not stay raw
const LITERAL_ESCAPED = /[\\'\u0000\n\r\t]/g;

/** A Snowflake string literal: backslash escapes for the quote, the backslash and line ends. */
function literal(text: string): string {
  const escaped = text.replace(LITERAL_ESCAPED, (c) => ({ '\\': '\\\\', "'": "\\'", '\u0000': '\\0', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] as string);
  return `'${escaped}'`;
}

const KIND_TESTS: Record<JsonKind, (v: string) => string> = {
  string: (v) => `IS_VARCHAR(${v})`,
  number: (v) => `(IS_INTEGER(${v}) OR IS_DECIMAL(${v}) OR IS_DOUBLE(${v}))`,
  boolean: (v) => `IS_BOOLEAN(${v})`,
  array: (v) => `IS_ARRAY(${v})`,
  object: (v) => `IS_OBJECT(${v})`,
  null: (v) => `IS_NULL_VALUE(${v})`,
};

/**
 * Snowflake: VARIANT values with GET and the IS_* tests, FLATTEN for list elements, POSIX regular
 * expressions (REGEXP_INSTR searches; REGEXP_LIKE matches the whole text). Unquoted identifiers
 * are stored in upper case, so simple names are quoted in upper case. Not executed by Segment
 * Lens's tests: checked by golden files and a parser only (docs/sql.md).
 */
export const snowflake: SqlDialect = {
  name: 'snowflake',
  regexEngine: 'POSIX',
  types: { text: 'VARCHAR', double: 'DOUBLE', bigint: 'BIGINT', boolean: 'BOOLEAN', json: 'VARIANT', timestamp: 'TIMESTAMP_TZ' },
  quoteIdentifier: (name) => `"${(/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name.toUpperCase() : name).replace(/"/g, '""')}"`,
  stringLiteral: literal,
  numberLiteral: (n) => `CAST(${numberText(n)} AS DOUBLE)`,
  integerLiteral: integerText,
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  jsonLiteral: (jsonText) => `PARSE_JSON(${literal(jsonText)})`,
  jsonIs: (json, kind) => `COALESCE(${KIND_TESTS[kind](json)}, FALSE)`,
  jsonField: (json, key) => `CASE WHEN IS_OBJECT(${json}) THEN GET(${json}, ${literal(key)}) END`,
  jsonElement: (json, index) => `CASE WHEN IS_ARRAY(${json}) THEN GET(${json}, ${integerText(index)}) END`,
  jsonText: (json) => `AS_VARCHAR(${json})`,
  jsonNumber: (json) => `TO_DOUBLE(${json})`,
  jsonBoolean: (json) => `AS_BOOLEAN(${json})`,
  jsonArrayLength: (json) => `ARRAY_SIZE(${json})`,
  jsonSomeElement: (json, alias, test) =>
    `(IS_ARRAY(${json}) AND EXISTS (SELECT 1 FROM TABLE(FLATTEN(INPUT => ${json})) AS ${alias} WHERE ${test(`${alias}.value`)}))`,
  regexSearch: (text, pattern) => `(REGEXP_INSTR(${text}, ${pattern}) > 0)`,
  regexFullMatch: (text, pattern) => `REGEXP_LIKE(${text}, ${literal(pattern)})`,
  // POSIX has no (?: … ): the patterns keep their capturing group first, so plain groups after it change nothing.
  regexExtract: (text, pattern) => `REGEXP_SUBSTR(${text}, ${literal(pattern.replace(/\(\?:/g, '('))}, 1, 1, 'e', 1)`,
  regexReplaceAll: (text, pattern, replacement) => `REGEXP_REPLACE(${text}, ${literal(pattern)}, ${literal(replacement)})`,
  regexCodePoint: (codePoint) => String.fromCodePoint(codePoint),
  startsWith: (text, prefix) => `STARTSWITH(${text}, ${prefix})`,
  endsWith: (text, suffix) => `ENDSWITH(${text}, ${suffix})`,
  contains: (text, needle) => `CONTAINS(${text}, ${needle})`,
  lower: (text) => `LOWER(${text})`,
  upper: (text) => `UPPER(${text})`,
  substr: (text, start, length) => (length === undefined ? `SUBSTR(${text}, ${start})` : `SUBSTR(${text}, ${start}, ${length})`),
  length: (text) => `LENGTH(${text})`,
  concat: (...parts) => `(${parts.join(' || ')})`,
  fence: '',
  tryInteger: (text) => `TRY_TO_NUMBER(${text})`,
  tryDouble: (text) => `TRY_TO_DOUBLE(${text})`,
  floorDiv: (a, b) => `FLOOR((${a}) / (${b}))`,
  mod: (a, b) => `MOD(${a}, ${b})`,
  round: (value, places) => `ROUND(${value}, ${places})`,
  math: (fn, value) => `${fn.toUpperCase()}(${value})`,
  least: (a, b) => `LEAST(${a}, ${b})`,
  timestampLiteral: (ms) => `CAST('${isoSpaced(ms)} +00:00' AS TIMESTAMP_TZ)`,
  timestampToEpochMs: (timestamp) => `DATE_PART(epoch_millisecond, ${timestamp})`,
  monthDayOfEpochMs: (ms) => `CAST(TO_CHAR(TO_TIMESTAMP_NTZ(CAST(TRUNC(${ms}) AS BIGINT), 3), 'MMDD') AS INTEGER)`,
  // Snowflake timestamps are documented for years 0 to 9999 (wider values are not guaranteed).
  dateRangeMs: [-62167219200000, 253402300799999],
  timestampPlusMs: (timestamp, ms) => `DATEADD(millisecond, ${integerText(ms)}, ${timestamp})`,
};
