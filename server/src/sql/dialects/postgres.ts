import { doubled, integerText, isoSpaced, likeEscape, numberText, SqlLiteralError, type SqlDialect } from '../dialect';

/**
 * A PostgreSQL string literal. Texts with a backslash are written as E'...' with every backslash
 * doubled, so the literal means the same whatever `standard_conforming_strings` says.
 */
function literal(text: string): string {
  if (text.includes('\u0000')) throw new SqlLiteralError('PostgreSQL text cannot hold the character U+0000');
  if (!text.includes('\\')) return doubled(text, "'");
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A LIKE test against a literal pattern, with `!` escaping the wildcards of the literal part. */
function like(text: string, pattern: string): string {
  return `(${text} LIKE ${literal(pattern)} ESCAPE '!')`;
}

/** The text of a string literal this dialect wrote (for LIKE patterns), or undefined for another expression. */
function literalValue(sql: string): string | undefined {
  if (/^'(?:[^']|'')*'$/s.test(sql)) return sql.slice(1, -1).replace(/''/g, "'");
  if (/^E'(?:[^'\\]|\\.)*'$/s.test(sql)) return sql.slice(2, -1).replace(/\\(.)/gs, '$1');
  return undefined;
}

/**
 * PostgreSQL (13+): JSONB with `->`, jsonb_typeof and jsonb_array_elements (which fails on a
 * non-array, hence the CASE), ARE regular expressions (`~`, not RE2), LIKE with an escape
 * character for prefix, suffix and substring tests of literals (LIKE 'abc%' can use an index).
 */
export const postgres: SqlDialect = {
  name: 'postgres',
  regexEngine: 'ARE',
  types: { text: 'TEXT', double: 'DOUBLE PRECISION', bigint: 'BIGINT', boolean: 'BOOLEAN', json: 'JSONB', timestamp: 'TIMESTAMPTZ' },
  quoteIdentifier: (name) => {
    if (name.includes('\u0000')) throw new SqlLiteralError('PostgreSQL identifiers cannot hold the character U+0000');
    return doubled(name, '"');
  },
  stringLiteral: literal,
  numberLiteral: (n) => `CAST(${numberText(n)} AS DOUBLE PRECISION)`,
  integerLiteral: integerText,
  booleanLiteral: (value) => (value ? 'TRUE' : 'FALSE'),
  jsonLiteral: (jsonText) => `CAST(${literal(jsonText)} AS JSONB)`,
  jsonIs: (json, kind) => `COALESCE(jsonb_typeof(${json}) = '${kind}', FALSE)`,
  jsonField: (json, key) => `(${json} -> ${literal(key)})`,
  jsonElement: (json, index) => `(${json} -> ${integerText(index)})`,
  jsonText: (json) => `(${json} #>> '{}')`,
  jsonNumber: (json) => `CASE WHEN jsonb_typeof(${json}) = 'number' THEN CAST(${json} AS DOUBLE PRECISION) END`,
  jsonBoolean: (json) => `CASE WHEN jsonb_typeof(${json}) = 'boolean' THEN CAST(${json} AS BOOLEAN) END`,
  jsonArrayLength: (json) => `CASE WHEN jsonb_typeof(${json}) = 'array' THEN CAST(jsonb_array_length(${json}) AS BIGINT) END`,
  jsonSomeElement: (json, alias, test) =>
    `CASE WHEN jsonb_typeof(${json}) = 'array' THEN EXISTS (SELECT 1 FROM jsonb_array_elements(${json}) AS ${alias}(elem) WHERE ${test(`${alias}.elem`)}) ELSE FALSE END`,
  regexSearch: (text, pattern) => `(${text} ~ ${pattern})`,
  regexFullMatch: (text, pattern) => `(${text} ~ ${literal(`^(?:${pattern})$`)})`,
  regexExtract: (text, pattern) => `(regexp_match(${text}, ${literal(pattern)}))[1]`,
  regexReplaceAll: (text, pattern, replacement) => `regexp_replace(${text}, ${literal(pattern)}, ${literal(replacement)}, 'g')`,
  regexCodePoint: (codePoint) => `\\u${codePoint.toString(16).padStart(4, '0')}`,
  startsWith: (text, prefix) => {
    const value = literalValue(prefix);
    return value === undefined ? `starts_with(${text}, ${prefix})` : like(text, `${likeEscape(value)}%`);
  },
  endsWith: (text, suffix) => {
    const value = literalValue(suffix);
    return value === undefined ? `(right(${text}, length(${suffix})) = ${suffix})` : like(text, `%${likeEscape(value)}`);
  },
  contains: (text, needle) => {
    const value = literalValue(needle);
    return value === undefined ? `(strpos(${text}, ${needle}) > 0)` : like(text, `%${likeEscape(value)}%`);
  },
  lower: (text) => `lower(${text})`,
  upper: (text) => `upper(${text})`,
  substr: (text, start, length) => (length === undefined ? `substr(${text}, ${start})` : `substr(${text}, ${start}, ${length})`),
  length: (text) => `length(${text})`,
  concat: (...parts) => `(${parts.join(' || ')})`,
  // A derived table in OFFSET 0 is planned on its own (see SqlDialect.fence).
  fence: ' OFFSET 0',
  // PostgreSQL has no TRY_CAST: the CASE keeps the cast from failing on a text of other characters.
  tryInteger: (text) => `CASE WHEN ${text} ~ '^[0-9]{1,18}$' THEN CAST(${text} AS BIGINT) END`,
  tryDouble: (text) => `CASE WHEN ${text} ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' THEN CAST(${text} AS DOUBLE PRECISION) END`,
  floorDiv: (a, b) => `floor(CAST(${a} AS DOUBLE PRECISION) / (${b}))`,
  mod: (a, b) => `mod(${a}, ${b})`,
  round: (value, places) => `round(CAST(${value} AS NUMERIC), ${places})`,
  math: (fn, value) => `${fn}(${value})`,
  least: (a, b) => `least(${a}, ${b})`,
  timestampLiteral: (ms) => `TIMESTAMPTZ '${isoSpaced(ms)}+00'`,
  timestampToEpochMs: (timestamp) => `(EXTRACT(EPOCH FROM ${timestamp}) * 1000)`,
  monthDayOfEpochMs: (ms) => `CAST(to_char(to_timestamp(trunc(${ms}) / 1000.0) AT TIME ZONE 'UTC', 'MMDD') AS INTEGER)`,
  // JavaScript's Date range (what the engine reads), within the database's timestamps.
  dateRangeMs: [-210866803200000, 8.64e15],
  timestampPlusMs: (timestamp, ms) => `(${timestamp} + INTERVAL '1 millisecond' * ${integerText(ms)})`,
};
