import type { SqlDialect } from './dialect';

/**
 * parseInstant (engine/time.ts) in SQL: the epoch milliseconds of an ISO 8601 date or date-time
 * text, or NULL. The same grammar: `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM`,
 * optionally `:SS` and a fraction, and optionally `Z` or an offset `±HH:MM` / `±HHMM`; the
 * calendar is checked (2023-02-29 is no date) and every field is range-checked. Written with
 * integer arithmetic (days from the civil date) rather than the database's date functions, so
 * year 0 and every date the engine reads work the same in every dialect.
 *
 * The text is read once, into a one-row derived table, and each step reads the columns of the
 * one below it: a scalar subquery, whatever expression `text` is. Each step is fenced
 * (`SqlDialect.fence`): PostgreSQL would otherwise merge them and compute the text once for every
 * field that reads it (ten times slower on the sample workspace's profiles).
 */
const ISO_DATE_TIME = '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?';

/**
 * The parse's four steps over `i0` (a FROM item holding the text as `s`, aliased i0; `first`: what
 * the first step keeps of it), aliased i3, the result over i3, and the columns the steps add.
 */
function isoInstantSteps(d: SqlDialect, i0: string, first: string): { from: string; result: string; added: string[] } {
  const int = (expr: string, start: number, length: number) => d.tryInteger(d.substr(expr, start, length));
  // 1: the fields, read from the text (s) once it has the ISO shape.
  const fields = [
    `${d.regexFullMatch('i0.s', ISO_DATE_TIME)} AS iso`,
    `${int('i0.s', 1, 4)} AS y`,
    `${int('i0.s', 6, 2)} AS mo`,
    `${int('i0.s', 9, 2)} AS dd`,
    `${d.length('i0.s')} AS len`,
    `${int('i0.s', 12, 2)} AS hh`,
    `${int('i0.s', 15, 2)} AS mi`,
    `CASE WHEN ${d.substr('i0.s', 17, 1)} = ':' THEN ${int('i0.s', 18, 2)} ELSE 0 END AS ss`,
    // The fraction is read as the engine reads it: floor(Number('0.' + digits) * 1000), in doubles.
    `COALESCE(${d.floorDiv(`${d.tryDouble(d.concat(`'0.'`, d.regexExtract('i0.s', '^.{19}[.]([0-9]+)')))} * 1000`, '1')}, 0) AS ms`,
    `${d.regexExtract(d.substr('i0.s', 17), '([+-][0-9]{2}:?[0-9]{2})$')} AS off`,
  ];
  // 2: the offset's parts (±HH:MM or ±HHMM: the minutes are the last two characters) and the shifted year.
  const offsets = [
    `CASE WHEN i1.off IS NULL THEN 0 WHEN ${d.substr('i1.off', 1, 1)} = '-' THEN -1 ELSE 1 END AS osign`,
    `${int('i1.off', 2, 2)} AS oh`,
    `${d.tryInteger(`CASE WHEN ${d.length('i1.off')} = 6 THEN ${d.substr('i1.off', 5, 2)} ELSE ${d.substr('i1.off', 4, 2)} END`)} AS om`,
    // days_from_civil (Howard Hinnant), the year shifted by 400 so every division is of non-negative numbers.
    '(i1.y - CASE WHEN i1.mo <= 2 THEN 1 ELSE 0 END + 400) AS yy',
  ];
  const era = d.floorDiv('i2.yy', '400');
  const leap = `((${d.mod('i2.y', '4')} = 0 AND ${d.mod('i2.y', '100')} <> 0) OR ${d.mod('i2.y', '400')} = 0)`;
  const days = [
    `${era} AS era`,
    `i2.yy - ${era} * 400 AS yoe`,
    `${d.floorDiv(`153 * ${d.mod('i2.mo + 9', '12')} + 2`, '5')} + i2.dd - 1 AS doy`,
    `CASE WHEN i2.iso AND i2.mo BETWEEN 1 AND 12 AND i2.dd BETWEEN 1 AND CASE WHEN i2.mo = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN i2.mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END THEN 1 ELSE 0 END AS valid_date`,
  ];
  const dayNumber = `(i3.era * 146097 + i3.yoe * 365 + ${d.floorDiv('i3.yoe', '4')} - ${d.floorDiv('i3.yoe', '100')} + i3.doy - 719468 - 146097)`;
  const validTime = 'i3.hh <= 23 AND i3.mi <= 59 AND i3.ss <= 59 AND (i3.off IS NULL OR (i3.oh <= 23 AND i3.om <= 59))';
  const timeMs = '((i3.hh * 60 + i3.mi - i3.osign * (COALESCE(i3.oh, 0) * 60 + COALESCE(i3.om, 0))) * 60 + i3.ss) * 1000 + i3.ms';
  const result = `CASE WHEN i3.valid_date = 1 THEN CASE WHEN i3.len = 10 THEN ${dayNumber} * 86400000 WHEN ${validTime} THEN ${dayNumber} * 86400000 + ${timeMs} END END`;
  return {
    from: `(SELECT i2.*, ${days.join(', ')} FROM (SELECT i1.*, ${offsets.join(', ')} FROM (SELECT ${first}, ${fields.join(', ')} FROM ${i0}${d.fence}) AS i1${d.fence}) AS i2${d.fence}) AS i3`,
    result,
    added: [...fields, ...offsets, ...days].map((column) => / AS (\w+)$/.exec(column)![1]),
  };
}

export function isoInstantMs(d: SqlDialect, text: string): string {
  const { from, result } = isoInstantSteps(d, `(SELECT ${text} AS s${d.fence}) AS i0`, 'i0.s');
  return `(SELECT ${result} FROM ${from})`;
}

/**
 * DuckDB: the rows of the query `rows` with one more column `name`, isoInstantMs of `text` (an
 * expression over those rows' columns, none of which may be named as a step's column), computed
 * by the same steps as derived tables over the rows instead of a scalar subquery per row. DuckDB
 * runs such a subquery as a join of its results back to the rows it reads, which carries every
 * row (a whole event's document) through that join: at L under a 2GB limit the events' load wrote
 * 5.2 GB of spill files that way.
 */
export function withIsoInstant(d: SqlDialect, rows: string, text: string, name: string): string {
  const { from, result, added } = isoInstantSteps(d, `(SELECT r.*, ${text} AS s FROM (${rows}) AS r) AS i0`, 'i0.*');
  return `SELECT i3.* EXCLUDE (${['s', ...added].join(', ')}), ${result} AS ${d.quoteIdentifier(name)} FROM ${from}`;
}
