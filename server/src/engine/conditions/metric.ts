import { Bitset } from '../bitset';
import type { Column } from '../column';
import { matched, notEvaluable, isRecord, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { compileDateFilter } from '../time';
import { compileValueFilter, numericComparison } from '../valueFilter';
import type { MetricEvents } from '../workspace';

/** A test on one event row of a metric, from `metric_filters` (all must hold). */
export type EventRowTest = (row: number) => boolean;

/** The row test of a condition without metric filters (recognised to skip testing rows). */
export const ALL_ROWS: EventRowTest = () => true;

/** The first row in [from, to) whose time is ≥ t (or > t when `strict`): times are sorted per profile. */
export function lowerBound(times: Float64Array, from: number, to: number, t: number, strict: boolean): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? times[mid] <= t : times[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Compiles `metric_filters` against a metric's event columns. Each filter reads a top-level
 * event property; a filter without `filter` means "is set" (SL).
 */
export function compileMetricFilters(ctx: EvaluationContext, events: MetricEvents, filters: unknown): EventRowTest | { notEvaluable: string } {
  if (filters === undefined || filters === null) return ALL_ROWS;
  if (!Array.isArray(filters)) return { notEvaluable: '"metric_filters" is not a list' };
  const tests: EventRowTest[] = [];
  for (const item of filters) {
    if (!isRecord(item) || typeof item.property !== 'string') return { notEvaluable: 'a metric filter has no "property"' };
    const compiled = item.filter === undefined || item.filter === null ? { test: () => true, matchesMissing: false } : compileValueFilter(item.filter, ctx.ref);
    if ('notEvaluable' in compiled) return compiled;
    const column: Column | undefined = events.properties.get(item.property);
    tests.push(column ? column.rowTest(compiled.test, compiled.matchesMissing) : () => compiled.matchesMissing);
  }
  if (tests.length === 0) return ALL_ROWS;
  if (tests.length === 1) return tests[0];
  if (tests.length === 2) {
    const [a, b] = tests;
    return (row) => a(row) && b(row);
  }
  return (row) => tests.every((test) => test(row));
}

/** Event counts below this are compared with the measurement filter before the profile loop. */
const COUNTS_AHEAD = 256;

/** A sum of `$value`s as compared: rounded to 6 decimal places (SL). */
export function roundSum(total: number): number {
  return Math.round(total * 1e6) / 1e6;
}

/** An event's `$value` as a number for `sum` (missing or non-numeric: 0). */
export function eventValue(events: MetricEvents): (row: number) => number {
  const column = events.properties.get('$value');
  if (!column) return () => 0;
  const values = column.numbers(events.count);
  return (row) => {
    const value = values[row];
    return value === value ? value : 0;
  };
}

/**
 * profile-metric (semantics §4): count or sum the profile's events of the metric inside the
 * timeframe that pass every metric filter, and compare. A profile without such events measures
 * 0 and is still compared ("zero times").
 */
export function evaluateMetric(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const metricId = condition.metric_id;
  if (typeof metricId !== 'string') return notEvaluable('the condition has no "metric_id"');
  const metric = ctx.workspace.metric(metricId);
  if (!metric) return notEvaluable(`metric ${metricId} is not in the workspace`);
  const window = compileDateFilter(condition.timeframe_filter, ctx.ref);
  if ('notEvaluable' in window) return notEvaluable(window.notEvaluable);
  const rowTest = compileMetricFilters(ctx, metric.events, condition.metric_filters);
  if (typeof rowTest !== 'function') return notEvaluable(rowTest.notEvaluable);
  const measure = isRecord(condition.measurement_filter) ? condition.measurement_filter : {};
  const compare = typeof measure.value === 'number' ? numericComparison(measure.operator, measure.value) : undefined;
  if (!compare) return notEvaluable('the measurement filter is not complete');
  const sum = condition.measurement === 'sum';
  if (!sum && condition.measurement !== 'count') return notEvaluable('"measurement" must be count or sum');
  const value = sum ? eventValue(metric.events) : () => 1;
  const { offsets, times } = metric.events;
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  const test = window.test;
  const range = window.range;
  const unfiltered = rowTest === ALL_ROWS;
  // Most profiles have no event of a given metric: they all measure 0.
  const zeroPasses = compare(0);
  const countPasses = Uint8Array.from({ length: COUNTS_AHEAD }, (_, count) => (compare(count) ? 1 : 0));
  const fromStart = range !== undefined && range.lo === -Infinity;
  const toEnd = range !== undefined && range.hi === Infinity;
  for (let p = 0; p < n; p++) {
    if ((p & 0xffff) === 0) ctx.checkpoint();
    let first = offsets[p];
    let end = offsets[p + 1];
    if (first === end) {
      if (zeroPasses) set.add(p);
      continue;
    }
    let total = 0;
    if (range) {
      // A window that is one interval: find its ends by binary search over the sorted times.
      if (!fromStart) first = lowerBound(times, first, end, range.lo, !range.loInclusive);
      if (!toEnd) end = lowerBound(times, first, end, range.hi, range.hiInclusive);
      if (unfiltered && !sum) total = end - first;
      else for (let row = first; row < end; row++) if (unfiltered || rowTest(row)) total += value(row);
    } else {
      for (let row = first; row < end; row++) if (test(times[row]) && rowTest(row)) total += value(row);
    }
    // Sums of money in binary floating point drift (1.1 + 2.2 = 3.3000000000000003): compare
    // them rounded to 6 decimal places (SL). Small counts are compared once, ahead.
    if (sum ? compare(roundSum(total)) : total < COUNTS_AHEAD ? countPasses[total] === 1 : compare(total)) set.add(p);
  }
  return matched(set);
}
