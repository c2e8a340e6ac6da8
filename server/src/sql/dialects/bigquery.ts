import { integerText, isoSpaced, numberText, type SqlDialect } from '../dialect';

/**
 * A BigQuery string literal: backslash escapes for the quote, the backslash and every control
 * character, so no character of the text can end the literal or the line.
 */
function literal(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not stay raw
  const escaped = text.replace(/[\\'\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case "'":
        return "\\'";
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
  return `'${escaped}'`;
}

/**
 * BigQuery (GoogleSQL): the JSON type with subscripts and JSON_TYPE, RE2 regular expressions
 * (REGEXP_CONTAINS), backquoted identifiers, no RADIANS. Not executed by Segment Lens's tests:
 * checked by golden files and a parser only (docs/sql.md).
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must not stay raw
const CONTROL_CHARACTERS = /[\u0000-\u001f]/g;

export const bigquery: SqlDialect = {
  name: 'bigquery',
  regexEngine: 'RE2',
  types: { text: 'STRING', double: 'FLOAT64', bigint: 'INT64', boolean: 'BOOL', json: 'JSON', timestamp: 'TIMESTAMP' },
  quoteIdentifier: (name) =>
    `\`${name.replace(/[\\`]/g, (c) => `\\${c}`).replace(CONTROL_CHARACTERS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\``,
  stringLiteral: literal,
  numberLiteral: (n) => `CAST(${numberText(n)} AS FLOAT64)`,
  integerLiteral: integerText,
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  jsonLiteral: (jsonText) => `PARSE_JSON(${literal(jsonText)})`,
  jsonIs: (json, kind) => `COALESCE(JSON_TYPE(${json}) = '${kind}', FALSE)`,
  jsonField: (json, key) => `${json}[${literal(key)}]`,
  jsonElement: (json, index) => `${json}[${integerText(index)}]`,
  jsonText: (json) => `JSON_VALUE(${json})`,
  jsonNumber: (json) => `LAX_FLOAT64(${json})`,
  jsonBoolean: (json) => `LAX_BOOL(${json})`,
  jsonArrayLength: (json) => `ARRAY_LENGTH(JSON_QUERY_ARRAY(${json}))`,
  jsonSomeElement: (json, alias, test) => `EXISTS (SELECT 1 FROM UNNEST(JSON_QUERY_ARRAY(${json})) AS ${alias} WHERE ${test(alias)})`,
  regexSearch: (text, pattern) => `REGEXP_CONTAINS(${text}, ${pattern})`,
  regexFullMatch: (text, pattern) => `REGEXP_CONTAINS(${text}, ${literal(`^(?:${pattern})$`)})`,
  regexExtract: (text, pattern) => `REGEXP_EXTRACT(${text}, ${literal(pattern)})`,
  regexReplaceAll: (text, pattern, replacement) => `REGEXP_REPLACE(${text}, ${literal(pattern)}, ${literal(replacement)})`,
  regexCodePoint: (codePoint) => `\\x{${codePoint.toString(16)}}`,
  startsWith: (text, prefix) => `STARTS_WITH(${text}, ${prefix})`,
  endsWith: (text, suffix) => `ENDS_WITH(${text}, ${suffix})`,
  contains: (text, needle) => `(STRPOS(${text}, ${needle}) > 0)`,
  lower: (text) => `LOWER(${text})`,
  upper: (text) => `UPPER(${text})`,
  substr: (text, start, length) => (length === undefined ? `SUBSTR(${text}, ${start})` : `SUBSTR(${text}, ${start}, ${length})`),
  length: (text) => `LENGTH(${text})`,
  concat: (...parts) => `CONCAT(${parts.join(', ')})`,
  fence: '',
  tryInteger: (text) => `SAFE_CAST(${text} AS INT64)`,
  tryDouble: (text) => `SAFE_CAST(${text} AS FLOAT64)`,
  floorDiv: (a, b) => `FLOOR((${a}) / (${b}))`,
  mod: (a, b) => `MOD(${a}, ${b})`,
  round: (value, places) => `ROUND(${value}, ${places})`,
  math: (fn, value) => (fn === 'radians' ? `((${value}) * ACOS(-1) / 180)` : `${fn.toUpperCase()}(${value})`),
  least: (a, b) => `LEAST(${a}, ${b})`,
  timestampLiteral: (ms) => `TIMESTAMP '${isoSpaced(ms)}+00'`,
  timestampToEpochMs: (timestamp) => `UNIX_MILLIS(${timestamp})`,
  monthDayOfEpochMs: (ms) => `CAST(FORMAT_TIMESTAMP('%m%d', TIMESTAMP_MILLIS(CAST(TRUNC(${ms}) AS INT64))) AS INT64)`,
  // BigQuery timestamps run from year 1 to 9999.
  dateRangeMs: [-62135596800000, 253402300799999],
  timestampPlusMs: (timestamp, ms) =>
    ms % 1000 === 0
      ? `TIMESTAMP_ADD(${timestamp}, INTERVAL ${integerText(ms / 1000)} SECOND)`
      : `TIMESTAMP_ADD(${timestamp}, INTERVAL ${integerText(ms)} MILLISECOND)`,
};
