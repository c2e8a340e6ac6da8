import type { SqlDialect } from './dialect';

/**
 * parseInstant (engine/time.ts) in SQL: the epoch milliseconds of an ISO 8601 date or date-time
 * text, or NULL. The same grammar: `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM`,
 * optionally `:SS` and a fraction, and optionally `Z` or an offset `±HH:MM` / `±HHMM`; the
 * calendar is checked (2023-02-29 is no date) and every field is range-checked. Written with
 * integer arithmetic (days from the civil date) rather than the database's date functions, so
 * year 0 and every date the engine reads work the same in every dialect.
 */
const ISO_DATE_TIME = '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?';

export function isoInstantMs(d: SqlDialect, text: string): string {
  const int = (start: number, length: number) => d.tryInteger(d.substr(text, start, length));
  const year = int(1, 4);
  const month = int(6, 2);
  const day = int(9, 2);
  const leap = `((${d.mod(year, '4')} = 0 AND ${d.mod(year, '100')} <> 0) OR ${d.mod(year, '400')} = 0)`;
  const daysInMonth = `CASE WHEN ${month} = 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END WHEN ${month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
  const validDate = `${month} BETWEEN 1 AND 12 AND ${day} BETWEEN 1 AND ${daysInMonth}`;
  const days = daysFromCivil(d, year, month, day);
  const hour = int(12, 2);
  const minute = int(15, 2);
  const hasSeconds = `${d.substr(text, 17, 1)} = ':'`;
  const second = `CASE WHEN ${hasSeconds} THEN ${int(18, 2)} ELSE 0 END`;
  // The fraction is read as the engine reads it: floor(Number('0.' + digits) * 1000), in doubles.
  const fraction = d.regexExtract(text, '^.{19}[.]([0-9]+)');
  const fractionMs = `COALESCE(${d.floorDiv(`${d.tryDouble(d.concat(`'0.'`, fraction))} * 1000`, '1')}, 0)`;
  const offset = d.regexExtract(d.substr(text, 17), '([+-][0-9]{2}:?[0-9]{2})$');
  const offsetHours = d.tryInteger(d.substr(offset, 2, 2));
  // ±HH:MM or ±HHMM: the minutes are the last two characters either way.
  const offsetMm = d.tryInteger(`CASE WHEN ${d.length(offset)} = 6 THEN ${d.substr(offset, 5, 2)} ELSE ${d.substr(offset, 4, 2)} END`);
  const offsetSign = `CASE WHEN ${d.substr(offset, 1, 1)} = '-' THEN -1 ELSE 1 END`;
  const offsetTotal = `CASE WHEN ${offset} IS NULL THEN 0 ELSE ${offsetSign} * (${offsetHours} * 60 + ${offsetMm}) END`;
  const validTime = `${hour} <= 23 AND ${minute} <= 59 AND ${second} <= 59 AND (${offset} IS NULL OR (${offsetHours} <= 23 AND ${offsetMm} <= 59))`;
  const timeMs = `((${hour} * 60 + ${minute} - (${offsetTotal})) * 60 + ${second}) * 1000 + ${fractionMs}`;
  return `CASE WHEN ${d.regexFullMatch(text, ISO_DATE_TIME)} AND ${validDate} THEN CASE WHEN ${d.length(text)} = 10 THEN (${days}) * 86400000 WHEN ${validTime} THEN (${days}) * 86400000 + ${timeMs} END END`;
}

/**
 * Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil), with
 * the year shifted by 400 so every operand of the divisions stays non-negative from year 0 on.
 */
function daysFromCivil(d: SqlDialect, year: string, month: string, day: string): string {
  const y = `(${year} - CASE WHEN ${month} <= 2 THEN 1 ELSE 0 END + 400)`;
  const era = d.floorDiv(y, '400');
  const yoe = `(${y} - ${era} * 400)`;
  const doy = `(${d.floorDiv(`153 * ${d.mod(`${month} + 9`, '12')} + 2`, '5')} + ${day} - 1)`;
  const doe = `(${yoe} * 365 + ${d.floorDiv(yoe, '4')} - ${d.floorDiv(yoe, '100')} + ${doy})`;
  return `${era} * 146097 + ${doe} - 719468 - 146097`;
}
