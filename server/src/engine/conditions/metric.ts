import { Bitset } from '../bitset';
import { canonicalJson } from '../canonical';
import type { Column } from '../column';
import { eventsByTime, positionsIn } from '../eventsByTime';
import { matched, notEvaluable, isRecord, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { describeMeasure, describeMetricFilters, describeTimeframe, metricLabel, shown } from '../phrases';
import { compileEventWindow, type InstantRange, type ReferenceTime } from '../time';
import { compileValueFilter, numericComparison } from '../valueFilter';
import type { MetricEvents, Workspace } from '../workspace';
import { checkCountLimit } from './checks';
import type { ConditionKind, ConditionPath, Evidence, NameLookup, SeriesContext } from './kind';
import { isSqlNotEvaluable, type SqlBuilder, type SqlEventRow, type SqlNumericOperator, type SqlPredicate, type SqlResult } from './sqlBuilder';
import { NUMERIC_OPERATOR_CHOICES } from './snippets';

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

/** Whether every instant from `t` on passes the window's lower end (true for an unbounded one). */
export function startsBefore(range: InstantRange, t: number | undefined): boolean {
  return range.lo === -Infinity || (t !== undefined && (range.lo < t || (range.lo === t && range.loInclusive)));
}

/** Whether every instant up to `t` passes the window's upper end (true for an unbounded one). */
export function endsAfter(range: InstantRange, t: number | undefined): boolean {
  return range.hi === Infinity || (t !== undefined && (t < range.hi || (t === range.hi && range.hiInclusive)));
}

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

/** A metric condition read against the workspace as of `ctx.ref` (only the window depends on the instant). */
interface CompiledMetric {
  events: MetricEvents;
  window: { test: (t: number) => boolean; range?: InstantRange };
  rowTest: EventRowTest;
  compare: (value: number) => boolean;
  sum: boolean;
}

/** Reads a metric condition's parts (metric, filters, measurement), or why it is not evaluable. */
function compileMetric(ctx: EvaluationContext, condition: Condition): CompiledMetric | { notEvaluable: string } {
  const metricId = condition.metric_id;
  if (typeof metricId !== 'string') return { notEvaluable: 'the condition has no "metric_id"' };
  const metric = ctx.workspace.metric(metricId);
  if (!metric) return { notEvaluable: `metric ${metricId} is not in the workspace` };
  const window = compileEventWindow(condition.timeframe_filter, ctx.ref);
  if ('notEvaluable' in window) return window;
  const rowTest = compileMetricFilters(ctx, metric.events, condition.metric_filters);
  if (typeof rowTest !== 'function') return rowTest;
  const measure = isRecord(condition.measurement_filter) ? condition.measurement_filter : {};
  const compare = typeof measure.value === 'number' ? numericComparison(measure.operator, measure.value) : undefined;
  if (!compare) return { notEvaluable: 'the measurement filter is not complete' };
  if (condition.measurement !== 'sum' && condition.measurement !== 'count') return { notEvaluable: '"measurement" must be count or sum' };
  return { events: metric.events, window, rowTest, compare, sum: condition.measurement === 'sum' };
}

/**
 * profile-metric (semantics §4): count or sum the profile's events of the metric inside the
 * timeframe that pass every metric filter, and compare. A profile without such events measures
 * 0 and is still compared ("zero times").
 */
function evaluateMetric(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const compiled = compileMetric(ctx, condition);
  if ('notEvaluable' in compiled) return notEvaluable(compiled.notEvaluable);
  const { compare, sum } = compiled;
  const n = ctx.workspace.profileCount;
  // Most profiles have no event of a given metric: they all measure 0. Small counts are compared once, ahead.
  const zeroPasses = compare(0);
  const countPasses = Uint8Array.from({ length: COUNTS_AHEAD }, (_, count) => (compare(count) ? 1 : 0));
  // Sums of money in binary floating point drift (1.1 + 2.2 = 3.3000000000000003): they are
  // compared rounded to 6 decimal places (SL), and kept rounded.
  // The measures depend on the events, filters and timeframe, not on the measurement filter: kept
  // per workspace at its own instant, an edit of the measurement filter only compares them again.
  // A count without filters over one interval is measured from the offsets, or from the window's
  // slice of the events in time order, about as quickly as a kept measure is read: keeping it
  // would only cost the memory.
  const direct = compiled.rowTest === ALL_ROWS && !sum && compiled.window.range !== undefined;
  const key = ctx.ref === ctx.workspace.ref && !direct ? measuresKey(condition) : undefined;
  const kept = key === undefined ? undefined : ctx.workspace.measures.get(key)?.value;
  const set = new Bitset(n);
  if (kept) {
    // 32 profiles to a word of the set, the comparison written out (an edit of the threshold is this loop).
    const words = set.words;
    for (let base = 0; base < n; base += 32) {
      if ((base & 0xffff) === 0) ctx.checkpoint();
      const count = Math.min(32, n - base);
      let word = 0;
      for (let i = 0; i < count; i++) {
        const total = kept[base + i];
        if (total === 0 ? zeroPasses : sum || total >= COUNTS_AHEAD ? compare(total) : countPasses[total] === 1) word |= 1 << i;
      }
      words[base >>> 5] = word;
    }
    return matched(set);
  }
  const measures = key === undefined ? undefined : new Float64Array(n);
  measureProfiles(ctx, compiled, set, measures, zeroPasses, countPasses);
  if (key !== undefined && measures) ctx.workspace.measures.set(key, measures);
  return matched(set);
}

/** What a metric condition's measures depend on (everything but the measurement filter). */
function measuresKey(condition: Condition): string {
  return `metric\n${canonicalJson([condition.metric_id, condition.measurement, condition.metric_filters ?? null, condition.timeframe_filter ?? null])}`;
}

/**
 * Adds to `set` the profiles whose count, or rounded sum of `$value`, of events in the window that
 * pass the filters passes the measurement filter, and writes every profile's measure into
 * `measures` when given (a profile without events keeps its 0). One loop, written out: it is the
 * hottest of the engine.
 */
function measureProfiles(
  ctx: EvaluationContext,
  compiled: CompiledMetric,
  set: Bitset,
  measures: Float64Array | undefined,
  zeroPasses: boolean,
  countPasses: Uint8Array,
): void {
  const { events, window, rowTest, compare, sum } = compiled;
  const value = sum ? eventValue(events) : () => 1;
  const { offsets, times } = events;
  const n = ctx.workspace.profileCount;
  const test = window.test;
  const range = window.range;
  const unfiltered = rowTest === ALL_ROWS;
  // A window that holds every event of the metric at one end (all time ends at now, which is
  // usually after the last event) needs no binary search at that end.
  const fromStart = range !== undefined && startsBefore(range, events.firstTime);
  const toEnd = range !== undefined && endsAfter(range, events.lastTime);
  if (range && !(fromStart && toEnd)) return measureInWindow(ctx, compiled, range, set, measures, zeroPasses, countPasses);
  if (range && unfiltered && !sum && !measures) return countAllEvents(ctx, offsets, set, countPasses, compare);
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
    if (sum) total = roundSum(total);
    if (measures) measures[p] = total;
    if (sum ? compare(total) : total < COUNTS_AHEAD ? countPasses[total] === 1 : compare(total)) set.add(p);
  }
}

/**
 * `measureProfiles` for a window that is one interval and cuts the metric's events: only the events
 * inside it are read, in time order (`eventsByTime`), each added to its profile's measure (a
 * profile's events in the same order as its own rows, so sums are the same), then every profile's
 * measure is compared.
 */
function measureInWindow(
  ctx: EvaluationContext,
  compiled: CompiledMetric,
  range: InstantRange,
  set: Bitset,
  measures: Float64Array | undefined,
  zeroPasses: boolean,
  countPasses: Uint8Array,
): void {
  const { events, rowTest, compare, sum } = compiled;
  const n = ctx.workspace.profileCount;
  const order = eventsByTime(events, n);
  const { from, to } = positionsIn(order, events.times, range);
  if (!measures && rowTest === ALL_ROWS && !sum) return countInWindow(ctx, order.profiles, from, to, set, zeroPasses, countPasses, compare);
  const totals = measures ?? new Float64Array(n);
  const { rows, profiles } = order;
  if (sum) {
    const values = eventValue(events);
    for (let i = from; i < to; i++) {
      if (((i - from) & 0xffff) === 0) ctx.checkpoint();
      const row = rows[i];
      if (rowTest === ALL_ROWS || rowTest(row)) totals[profiles[i]] += values(row);
    }
  } else if (rowTest === ALL_ROWS) {
    for (let i = from; i < to; i++) totals[profiles[i]]++;
  } else {
    for (let i = from; i < to; i++) {
      if (((i - from) & 0xffff) === 0) ctx.checkpoint();
      if (rowTest(rows[i])) totals[profiles[i]]++;
    }
  }
  for (let p = 0; p < n; p++) {
    if ((p & 0xffff) === 0) ctx.checkpoint();
    let total = totals[p];
    if (total === 0) {
      if (zeroPasses) set.add(p);
      continue;
    }
    if (sum) totals[p] = total = roundSum(total);
    if (sum ? compare(total) : total < COUNTS_AHEAD ? countPasses[total] === 1 : compare(total)) set.add(p);
  }
}

/**
 * A count without filters of all of a metric's events (a window holding them all): each
 * profile's count is the difference of two offsets, compared 32 profiles to a word of `set`.
 */
function countAllEvents(ctx: EvaluationContext, offsets: Int32Array, set: Bitset, countPasses: Uint8Array, compare: (value: number) => boolean): void {
  const n = ctx.workspace.profileCount;
  const words = set.words;
  let previous = offsets[0];
  for (let base = 0; base < n; base += 32) {
    if ((base & 0xffff) === 0) ctx.checkpoint();
    const count = Math.min(32, n - base);
    let word = 0;
    for (let i = 0; i < count; i++) {
      const next = offsets[base + i + 1];
      const events = next - previous;
      previous = next;
      if (events < COUNTS_AHEAD ? countPasses[events] === 1 : compare(events)) word |= 1 << i;
    }
    words[base >>> 5] = word;
  }
}

/** Zeros, a profile each, per workspace: the counts of `countInWindow`, back to 0 after each use. */
const SCRATCH = new WeakMap<Workspace, Int32Array>();

/**
 * A count without filters in a window (nothing kept): each profile's events in the slice are
 * counted in a reused array, and only those profiles are compared (the others count 0); the
 * array is zeroed again over the same slice, whatever happens.
 */
function countInWindow(
  ctx: EvaluationContext,
  profiles: Int32Array,
  from: number,
  to: number,
  set: Bitset,
  zeroPasses: boolean,
  countPasses: Uint8Array,
  compare: (value: number) => boolean,
): void {
  const n = ctx.workspace.profileCount;
  let counts = SCRATCH.get(ctx.workspace);
  if (!counts || counts.length !== n) SCRATCH.set(ctx.workspace, (counts = new Int32Array(n)));
  if (zeroPasses) set.fill();
  try {
    for (let i = from; i < to; i++) counts[profiles[i]]++;
    for (let i = from; i < to; i++) {
      if (((i - from) & 0xffff) === 0) ctx.checkpoint();
      const p = profiles[i];
      const count = counts[p];
      if (count === 0) continue; // compared already
      const passes = count < COUNTS_AHEAD ? countPasses[count] === 1 : compare(count);
      if (passes !== zeroPasses) {
        if (passes) set.add(p);
        else set.remove(p);
      }
      counts[p] = 0;
    }
  } finally {
    for (let i = from; i < to; i++) counts[profiles[i]] = 0;
  }
}

/** Whether a value holds a date filter anywhere (its result could move with the instant). */
export function holdsDateFilter(value: unknown, depth = 0): boolean {
  if (depth > 16 || typeof value !== 'object' || value === null) return false;
  if (!Array.isArray(value) && (value as Record<string, unknown>).type === 'date') return true;
  return Object.values(value).some((item) => holdsDateFilter(item, depth + 1));
}

/**
 * A timeframe's window as of each instant, when each is one interval and both ends only move
 * forward (relative and static windows do, cut at each instant): what a series sweep follows
 * with forward pointers. Undefined otherwise.
 */
export function seriesRanges(timeframe: unknown, refs: readonly ReferenceTime[]): InstantRange[] | undefined {
  const ranges: InstantRange[] = [];
  for (const ref of refs) {
    const window = compileEventWindow(timeframe, ref);
    if ('notEvaluable' in window || !window.range) return undefined;
    const previous = ranges[ranges.length - 1];
    if (previous && (window.range.lo < previous.lo || window.range.hi < previous.hi)) return undefined;
    ranges.push(window.range);
  }
  return ranges;
}

/**
 * profile-metric as of many instants in one sweep: each profile's events are read once, the
 * metric filters tested once per event, and the windows (one interval per instant, moving
 * forward with it) are followed by two pointers that only advance. Counts and sums are exactly
 * those of `evaluateMetric` at each instant (sums add the same values in the same order).
 * Undefined when a window is not one interval, windows do not move forward, or a metric filter
 * reads a date (it could differ per instant).
 */
function evaluateMetricSeries(ctx: SeriesContext, condition: Condition, refs: readonly ReferenceTime[]): ConditionOutcome[] | undefined {
  if (refs.length === 0 || holdsDateFilter(condition.metric_filters)) return undefined;
  const compiled = compileMetric({ ...ctx, ref: refs[0] }, condition);
  const ranges = seriesRanges(condition.timeframe_filter, refs);
  if ('notEvaluable' in compiled || !ranges) return undefined;
  const { events, rowTest, compare, sum } = compiled;
  const value = sum ? eventValue(events) : () => 1;
  const { offsets, times } = events;
  const n = ctx.workspace.profileCount;
  const sets = refs.map(() => new Bitset(n));
  const withoutEvents = new Bitset(n);
  // Each row's contribution (0 when a metric filter fails), found once; rows of one profile at a time.
  let contributions = new Float64Array(64);
  for (let p = 0; p < n; p++) {
    if ((p & 0xffff) === 0) ctx.checkpoint();
    const first = offsets[p];
    const end = offsets[p + 1];
    if (first === end) {
      withoutEvents.add(p);
      continue;
    }
    if (end - first > contributions.length) contributions = new Float64Array(2 * (end - first));
    for (let row = first; row < end; row++) contributions[row - first] = rowTest === ALL_ROWS || rowTest(row) ? value(row) : 0;
    let from = first;
    let to = first;
    for (let i = 0; i < ranges.length; i++) {
      const { lo, loInclusive, hi, hiInclusive } = ranges[i];
      while (from < end && (times[from] < lo || (!loInclusive && times[from] === lo))) from++;
      if (to < from) to = from;
      while (to < end && (times[to] < hi || (hiInclusive && times[to] === hi))) to++;
      let total = 0;
      for (let row = from; row < to; row++) total += contributions[row - first];
      if (sum ? compare(roundSum(total)) : compare(total)) sets[i].add(p);
    }
  }
  const zeroPasses = compare(0);
  return sets.map((set) => matched(zeroPasses ? set.or(withoutEvents) : set));
}

/** Klaviyo allows at most this many `metric_filters` in a metric condition (documented). */
const MAX_METRIC_FILTERS = 10;

/** The events of one profile that a metric condition counted, with their count and sum. */
function explainMetric(ctx: EvaluationContext, condition: Condition, profile: number, names: NameLookup): Evidence {
  const metric = typeof condition.metric_id === 'string' ? ctx.workspace.metric(condition.metric_id) : undefined;
  if (!metric) return { text: `metric ${shown(condition.metric_id)} is not in the workspace` };
  const window = compileEventWindow(condition.timeframe_filter, ctx.ref);
  const rowTest = compileMetricFilters(ctx, metric.events, condition.metric_filters);
  if ('notEvaluable' in window || typeof rowTest !== 'function') return { text: 'not evaluable locally' };
  const amount = eventValue(metric.events);
  const times: string[] = [];
  let count = 0;
  let sum = 0;
  for (let row = metric.events.offsets[profile]; row < metric.events.offsets[profile + 1]; row++) {
    if (!window.test(metric.events.times[row]) || !rowTest(row)) continue;
    count++;
    sum += amount(row);
    if (times.length < 50) times.push(new Date(metric.events.times[row]).toISOString());
  }
  const name = names.metricName?.(condition.metric_id as string) ?? shown(condition.metric_id);
  const total = condition.measurement === 'sum' ? `sum of $value ${Math.round(sum * 100) / 100} over ${count} event(s)` : `${count} event(s)`;
  const span = isRecord(condition.timeframe_filter) && condition.timeframe_filter.operator === 'alltime' ? 'over all time' : 'in the timeframe';
  return { text: `${name}: ${total} ${span}`.trim(), events: times };
}

/**
 * `metric_filters` as SQL on one event (compileMetricFilters): every filter must hold; a filter
 * without `filter` means "is set" (SL).
 */
export function metricFiltersSql(b: SqlBuilder, row: SqlEventRow, filters: unknown, at: ConditionPath): SqlResult<SqlPredicate> {
  if (filters === undefined || filters === null) return b.constant(true);
  if (!Array.isArray(filters)) return { notEvaluable: '"metric_filters" is not a list' };
  const parts: SqlPredicate[] = [];
  for (const [index, item] of filters.entries()) {
    if (!isRecord(item) || typeof item.property !== 'string') return { notEvaluable: 'a metric filter has no "property"' };
    const value = b.eventProperty(row, item.property);
    const part = item.filter === undefined || item.filter === null ? b.isPresent(value) : b.valueFilter(value, item.filter, [...at, index, 'filter']);
    if (isSqlNotEvaluable(part)) return part;
    parts.push(part);
  }
  return b.and(...parts);
}

/** profile-metric as SQL: the count or (rounded) sum of the qualifying events, 0 without any, compared. */
function metricSql(condition: Condition, b: SqlBuilder): SqlResult<SqlPredicate> {
  const metricId = condition.metric_id;
  if (typeof metricId !== 'string') return { notEvaluable: 'the condition has no "metric_id"' };
  const events = b.events(metricId, ['metric_id'], (row) => {
    const inTimeframe = b.happenedFilter(row.time, condition.timeframe_filter, ['timeframe_filter']);
    if (isSqlNotEvaluable(inTimeframe)) return inTimeframe;
    const filtered = metricFiltersSql(b, row, condition.metric_filters, ['metric_filters']);
    return isSqlNotEvaluable(filtered) ? filtered : b.and(inTimeframe, filtered);
  });
  if (isSqlNotEvaluable(events)) return events;
  const measure = isRecord(condition.measurement_filter) ? condition.measurement_filter : {};
  if (typeof measure.value !== 'number' || !numericComparison(measure.operator, measure.value))
    return { notEvaluable: 'the measurement filter is not complete' };
  if (condition.measurement !== 'sum' && condition.measurement !== 'count') return { notEvaluable: '"measurement" must be count or sum' };
  // Sums are compared rounded to 6 decimal places, like roundSum (SL).
  const total =
    condition.measurement === 'sum'
      ? b.round(
          b.sumEvents(events, (row) => b.eventProperty(row, '$value')),
          6,
        )
      : b.countEvents(events);
  return b.compareNumber(total, measure.operator as SqlNumericOperator, measure.value);
}

/** profile-metric: what someone has done (or not), counted or summed over a timeframe. */
export const profileMetric: ConditionKind = {
  type: 'profile-metric',
  readsHistory: true,
  template: {
    title: 'What someone has done (metric)',
    description: 'A count or sum of events of one metric in a timeframe, e.g. Placed Order at least once in the last 30 days.',
    body: `{ "type": "profile-metric", "metric_id": "\${1:METRIC_ID}", "measurement": "\${2|count,sum|}", "measurement_filter": { "type": "numeric", "operator": "\${3|${NUMERIC_OPERATOR_CHOICES}|}", "value": \${4:1} }, "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "\${5|day,week,hour|}", "quantity": \${6:30} } }`,
  },
  evaluate: evaluateMetric,
  evaluateSeries: evaluateMetricSeries,
  explain: explainMetric,
  sql: metricSql,
  describe: (c, names) =>
    `${metricLabel(c.metric_id, names)} ${describeMeasure(c.measurement, c.measurement_filter)} ${describeTimeframe(c.timeframe_filter)}${describeMetricFilters(c.metric_filters)}`
      .replace(/\s+/g, ' ')
      .trim(),
  notes(condition) {
    const notes: string[] = [];
    const m = isRecord(condition.measurement_filter) ? condition.measurement_filter : {};
    if ((m.operator === 'equals' && m.value === 0) || m.operator === 'less-than' || m.operator === 'less-than-or-equal')
      notes.push('Profiles with no such event count as 0, so they match ("zero times").');
    if (condition.measurement === 'sum') notes.push('The sum adds each event\'s "$value"; a missing or non-numeric value counts as 0.');
    return notes;
  },
  check(condition, report) {
    checkCountLimit(condition.metric_filters, ['metric_filters'], MAX_METRIC_FILTERS, 'too-many-metric-filters', 'filters in a metric condition', report);
  },
};
