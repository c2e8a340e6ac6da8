import { doubled, integerText, isoSpaced, numberText, type JsonKind, type SqlDialect } from '../dialect';

/** json_type() names of each JSON kind (DuckDB reads integers as BIGINT, UBIGINT or HUGEINT). */
const KINDS: Record<JsonKind, string[]> = {
  string: ['VARCHAR'],
  number: ['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT', 'DOUBLE'],
  boolean: ['BOOLEAN'],
  array: ['ARRAY'],
  object: ['OBJECT'],
  null: ['NULL'],
};

const literal = (text: string) => doubled(text, "'");

/** A JSON pointer (RFC 6901) literal to the member at `path` (keys, outermost first): DuckDB reads `$...` and `/...` paths, so keys go through a pointer. */
export const duckdbJsonPointer = (path: readonly string[]): string => literal(path.map((key) => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));
const pointer = (key: string) => duckdbJsonPointer([key]);

/**
 * DuckDB: JSON through the json extension (`->` with JSON pointers, json_type), RE2 regular
 * expressions (the engine Segment Lens uses), `//` for integer division.
 */
export const duckdb: SqlDialect = {
  name: 'duckdb',
  regexEngine: 'RE2',
  types: { text: 'VARCHAR', double: 'DOUBLE', bigint: 'BIGINT', boolean: 'BOOLEAN', json: 'JSON', timestamp: 'TIMESTAMP' },
  quoteIdentifier: (name) => doubled(name, '"'),
  stringLiteral: literal,
  numberLiteral: (n) => `CAST(${numberText(n)} AS DOUBLE)`,
  integerLiteral: integerText,
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  jsonLiteral: (jsonText) => `CAST(${literal(jsonText)} AS JSON)`,
  // list_contains rather than IN: DuckDB plans an IN list of five constants as a join (a mark join per test, each re-reading the value).
  jsonIs: (json, kind) =>
    KINDS[kind].length === 1
      ? `COALESCE(json_type(${json}) = ${literal(KINDS[kind][0])}, FALSE)`
      : `COALESCE(list_contains([${KINDS[kind].map(literal).join(', ')}], json_type(${json})), FALSE)`,
  // A pointer of digits would also pick an array element: only objects have members.
  jsonField: (json, key) =>
    /^\d+$/.test(key) ? `CASE WHEN json_type(${json}) = 'OBJECT' THEN (${json} -> ${pointer(key)}) END` : `(${json} -> ${pointer(key)})`,
  jsonElement: (json, index) => `(${json} -> ${literal(`$[${integerText(index)}]`)})`,
  jsonText: (json) => `(${json} ->> '$')`,
  jsonNumber: (json) => `TRY_CAST(${json} AS DOUBLE)`,
  jsonBoolean: (json) => `TRY_CAST(${json} AS BOOLEAN)`,
  jsonArrayLength: (json) => `CAST(json_array_length(${json}) AS BIGINT)`,
  jsonSomeElement: (json, alias, test) =>
    `(json_type(${json}) = 'ARRAY' AND EXISTS (SELECT 1 FROM (SELECT unnest(CAST(json_extract(${json}, '$[*]') AS JSON[])) AS elem) AS ${alias} WHERE ${test(`${alias}.elem`)}))`,
  regexSearch: (text, pattern) => `regexp_matches(${text}, ${pattern})`,
  regexFullMatch: (text, pattern) => `regexp_full_match(${text}, ${literal(pattern)})`,
  regexExtract: (text, pattern) => `CASE WHEN regexp_matches(${text}, ${literal(pattern)}) THEN regexp_extract(${text}, ${literal(pattern)}, 1) END`,
  regexReplaceAll: (text, pattern, replacement) => `regexp_replace(${text}, ${literal(pattern)}, ${literal(replacement)}, 'g')`,
  regexCodePoint: (codePoint) => `\\x{${codePoint.toString(16)}}`,
  startsWith: (text, prefix) => `starts_with(${text}, ${prefix})`,
  endsWith: (text, suffix) => `ends_with(${text}, ${suffix})`,
  contains: (text, needle) => `contains(${text}, ${needle})`,
  lower: (text) => `lower(${text})`,
  upper: (text) => `upper(${text})`,
  substr: (text, start, length) => (length === undefined ? `substr(${text}, ${start})` : `substr(${text}, ${start}, ${length})`),
  length: (text) => `length(${text})`,
  concat: (...parts) => `(${parts.join(' || ')})`,
  fence: '',
  tryInteger: (text) => `TRY_CAST(${text} AS BIGINT)`,
  tryDouble: (text) => `TRY_CAST(${text} AS DOUBLE)`,
  floorDiv: (a, b) => `floor((${a}) / (${b}))`,
  mod: (a, b) => `((${a}) % (${b}))`,
  round: (value, places) => `round(${value}, ${places})`,
  math: (fn, value) => `${fn}(${value})`,
  least: (a, b) => `least(${a}, ${b})`,
  timestampLiteral: (ms) => `TIMESTAMP '${isoSpaced(ms)}'`,
  timestampToEpochMs: (timestamp) => `epoch_ms(${timestamp})`,
  monthDayOfEpochMs: (ms) => `CAST(strftime(epoch_ms(CAST(trunc(${ms}) AS BIGINT)), '%m%d') AS INTEGER)`,
  // JavaScript's Date range (what the engine reads), within the database's timestamps.
  dateRangeMs: [-8.64e15, 8.64e15],
  timestampPlusMs: (timestamp, ms) => `(${timestamp} + to_milliseconds(${integerText(ms)}))`,
};
