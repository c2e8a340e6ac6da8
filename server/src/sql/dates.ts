import { compileDateFilter, compileEventWindow, type InstantRange } from '../engine/time';
import type { CompileContext } from './context';
import { isoInstantMs } from './isoInstant';
import type { InstantImpl, ValueImpl } from './layout';
import { hoist, NO_INSTANT, orFalse, scopeOf, textOf } from './values';

/**
 * Date logic of semantics §2 in SQL. The windows are the engine's own: `compileDateFilter`
 * computes them from the compile's "now", and the SQL compares with their bounds as literals, so
 * UTC day boundaries, week lengths and the static-date day rule are the engine's by construction.
 * Calendar and anniversary filters depend only on an instant's UTC month and day: the compiler
 * asks the engine's test which month-days pass (29 February included) and the SQL tests the set.
 */

/** parseInstant of a stored value: epoch seconds for numbers, ISO texts, anything else none. */
export function instantOf(ctx: CompileContext, value: ValueImpl): InstantImpl {
  const d = ctx.dialect;
  if (value.kind === 'missing') return NO_INSTANT;
  if (value.kind === 'json' && value.instant) return value.instant;
  if (value.kind === 'column') {
    if (value.type === 'timestamp') return { sql: value.sql, unit: 'timestamp', scope: value.scope, stage: value.stage };
    if (value.type === 'number') return { sql: `(${value.sql} * 1000)`, unit: 'ms', scope: value.scope, stage: value.stage };
    if (value.type === 'boolean') return NO_INSTANT;
  }
  // One scalar subquery per value; for a profile's value, computed once per profile.
  const parsed = { sql: isoInstantMs(d, textOf(d, value)), stage: value.stage };
  if (value.kind !== 'json') return { sql: parsed.sql, unit: 'ms', scope: scopeOf(value), stage: parsed.stage };
  const instant = hoist(
    ctx,
    `CASE WHEN ${d.jsonIs(value.sql, 'number')} THEN ${d.jsonNumber(value.sql)} * 1000 ELSE ${parsed.sql} END`,
    scopeOf(value),
    parsed.stage,
  );
  return { sql: instant.sql, unit: 'ms', scope: scopeOf(value), stage: instant.stage };
}

/** A literal of an instant in the unit of `instant`. */
function bound(ctx: CompileContext, instant: InstantImpl, ms: number): string {
  return instant.unit === 'ms' ? ctx.dialect.numberLiteral(ms) : ctx.dialect.timestampLiteral(ms);
}

function rangePredicate(ctx: CompileContext, instant: InstantImpl, range: InstantRange): string {
  // An inner row's instant is an expression, not a column: read it once when both bounds test it.
  const once = instant.scope === 'row' && range.lo !== -Infinity && range.hi !== Infinity && !/^[\w."`]+$/.test(instant.sql);
  const alias = once ? ctx.alias('t') : '';
  const t = once ? `${alias}.v` : instant.sql;
  const parts: string[] = [];
  if (range.lo !== -Infinity) parts.push(`${t} ${range.loInclusive ? '>=' : '>'} ${bound(ctx, instant, range.lo)}`);
  if (range.hi !== Infinity) parts.push(`${t} ${range.hiInclusive ? '<=' : '<'} ${bound(ctx, instant, range.hi)}`);
  if (parts.length === 0) return `(${t} IS NOT NULL)`;
  return once ? orFalse(`(SELECT ${parts.join(' AND ')} FROM (SELECT ${instant.sql} AS v) AS ${alias})`) : orFalse(parts.join(' AND '));
}

/** Whether an instant is after now; NULL (none) is not (semantics §2: as of now). */
export function afterNow(ctx: CompileContext, instant: InstantImpl): string {
  return rangePredicate(ctx, instant, { lo: ctx.ref.now, loInclusive: false, hi: Infinity, hiInclusive: true });
}

/** The month-days (month * 100 + day) whose instants pass a calendar or anniversary test. */
export function passingMonthDays(test: (t: number) => boolean): number[] {
  const days: number[] = [];
  // 2000 is a leap year: every month-day, 29 February included, exists in it.
  for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2001, 0, 1); t += 86_400_000) {
    const date = new Date(t);
    if (test(t)) days.push((date.getUTCMonth() + 1) * 100 + date.getUTCDate());
  }
  return days;
}

const DAYS_IN_MONTH_2000 = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function monthDayPredicate(ctx: CompileContext, instant: InstantImpl, days: number[]): string {
  const d = ctx.dialect;
  if (days.length === 0) return 'FALSE';
  const [min, max] = d.dateRangeMs;
  const ms = instant.unit === 'ms' ? instant.sql : d.timestampToEpochMs(instant.sql);
  const monthDay = hoist(
    ctx,
    `CASE WHEN ${ms} BETWEEN ${d.numberLiteral(min)} AND ${d.numberLiteral(max)} THEN ${d.monthDayOfEpochMs(ms)} END`,
    instant.scope,
    instant.stage,
  );
  // Whole months read better as months.
  const months = [...new Set(days.map((md) => Math.floor(md / 100)))];
  const whole = months.every((m) => days.filter((md) => Math.floor(md / 100) === m).length === DAYS_IN_MONTH_2000[m - 1]);
  if (whole) return orFalse(`${d.floorDiv(monthDay.sql, '100')} IN (${months.join(', ')})`);
  return orFalse(`${monthDay.sql} IN (${days.join(', ')})`);
}

/**
 * A date filter on an instant, or why it cannot be evaluated (the engine's reason). With
 * `happened`, the instant is of something that happens (an event, a list join, a suppression):
 * as of now, what comes after now has not happened yet (`compileEventWindow`, semantics §2).
 */
export function datePredicate(ctx: CompileContext, instant: InstantImpl, filter: unknown, happened = false): string | { notEvaluable: string } {
  const window = happened ? compileEventWindow(filter, ctx.ref) : compileDateFilter(filter, ctx.ref);
  if ('notEvaluable' in window) return window;
  if (window.range) return rangePredicate(ctx, instant, window.range);
  // Calendar and anniversary windows test the month and day; the month-days come from the
  // uncapped filter (its test runs on instants of the year 2000), and "not after now" is its own part.
  const calendar = compileDateFilter(filter, ctx.ref);
  const days = monthDayPredicate(ctx, instant, passingMonthDays('notEvaluable' in calendar ? window.test : calendar.test));
  return happened ? `(${days} AND NOT ${afterNow(ctx, instant)})` : days;
}
