import { Bitset } from '../bitset';
import { matched, notEvaluable, isRecord, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { eventsByTime, positionsIn } from '../eventsByTime';
import { compileEventWindow, DAY_MS, HOUR_MS, type InstantRange, type InstantTest, type ReferenceTime } from '../time';
import type { MetricEvents } from '../workspace';
import { describeMetricFilters, describeTimeframe, lookup, metricLabel, quoted, shown } from '../phrases';
import { checkCountLimit } from './checks';
import type { ConditionKind, Evidence, NameLookup, SeriesContext } from './kind';
import { compileMetricFilters, holdsDateFilter, metricFiltersSql, seriesRanges, type EventRowTest } from './metric';
import { isSqlNotEvaluable, type SqlBuilder, type SqlEvents, type SqlEventRow, type SqlPredicate, type SqlResult } from './sqlBuilder';

/** `completion_window_seconds` tokens in milliseconds (semantics §4). */
export const COMPLETION_WINDOWS: Readonly<Record<string, number>> = {
  HOURS_1: HOUR_MS,
  DAYS_1: DAY_MS,
  DAYS_3: 3 * DAY_MS,
  DAYS_5: 5 * DAY_MS,
  WEEKS_1: 7 * DAY_MS,
  DAYS_30: 30 * DAY_MS,
  DAYS_90: 90 * DAY_MS,
  DAYS_180: 180 * DAY_MS,
  YEARS_1: 365 * DAY_MS,
};

/** Documented API limits of a funnel. */
const MAX_FUNNEL_STEPS = 5;
const MAX_FILTERS_PER_STEP = 10;

interface Step {
  exists: boolean;
  metricId: string;
  events: MetricEvents;
  rowTest: EventRowTest;
}

/** A funnel compiled against the workspace: its steps, timeframe and completion window. */
interface CompiledFunnel {
  steps: Step[];
  window: { test: (t: number) => boolean; range?: InstantRange };
  maxSpan: number;
}

/** The timeframe, the completion window (ms; Infinity when unset) and the steps of a funnel, or why it has none. */
function funnelFrame(
  condition: Condition,
  ref: ReferenceTime,
): { window: Extract<InstantTest, { test: unknown }>; maxSpan: number; rawSteps: unknown[] } | { notEvaluable: string } {
  // Events after now have not happened yet (semantics: as of now).
  const window = compileEventWindow(condition.timeframe_filter, ref);
  if ('notEvaluable' in window) return window;
  const completion = condition.completion_window_seconds;
  const maxSpan = completion === undefined || completion === null ? Infinity : lookup(COMPLETION_WINDOWS, completion);
  if (maxSpan === undefined) return { notEvaluable: `unknown completion window ${quoted(completion)}` };
  if (!Array.isArray(condition.steps) || condition.steps.length === 0) return { notEvaluable: 'the funnel has no steps' };
  return { window, maxSpan, rawSteps: condition.steps };
}

function compileFunnel(ctx: EvaluationContext, condition: Condition): CompiledFunnel | { notEvaluable: string } {
  const frame = funnelFrame(condition, ctx.ref);
  if ('notEvaluable' in frame) return frame;
  const { window, maxSpan, rawSteps } = frame;
  const steps: Step[] = [];
  for (const raw of rawSteps) {
    if (!isRecord(raw) || typeof raw.metric_id !== 'string' || typeof raw.metric_exists !== 'boolean') return { notEvaluable: 'a funnel step is not complete' };
    const metric = ctx.workspace.metric(raw.metric_id);
    if (!metric) return { notEvaluable: `metric ${raw.metric_id} is not in the workspace` };
    const rowTest = compileMetricFilters(ctx, metric.events, raw.metric_filters);
    if (typeof rowTest !== 'function') return { notEvaluable: rowTest.notEvaluable };
    steps.push({ exists: raw.metric_exists, metricId: raw.metric_id, events: metric.events, rowTest });
  }
  if (!steps.some((s) => s.exists)) return { notEvaluable: 'the funnel has no step with "metric_exists": true' };
  return { steps, window, maxSpan };
}

/**
 * profile-metric-funnel (semantics §4): the profile has events e1 … ek for the
 * `metric_exists: true` steps, in order (t1 ≤ … ≤ tk, distinct events), each passing its step's
 * filters, all inside the timeframe, with tk − t1 within the completion window. A
 * `metric_exists: false` step forbids a qualifying event strictly between the neighbouring
 * positive steps' events; before the first positive step it forbids one from the start of the
 * timeframe, and after the last one until t1 + window (or the end of the timeframe) (SL).
 */
function evaluateFunnel(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const funnel = compileFunnel(ctx, condition);
  if ('notEvaluable' in funnel) return notEvaluable(funnel.notEvaluable);
  const { steps, window, maxSpan } = funnel;
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  // Rarest step first: most profiles lack one of its events in the timeframe.
  const positive = steps.filter((step) => step.exists).sort((a, b) => a.events.count - b.events.count);
  const range = window.range;
  const simple = steps.every((step) => step.exists) && new Set(steps.map((step) => step.metricId)).size === steps.length;
  const pointers = new Int32Array(steps.length);
  // With a one-interval timeframe only profiles with an event of the rarest step in it are visited (below).
  const toCheck = range ? positive.slice(1) : positive;
  const consider = (p: number) => {
    // Most profiles lack an event of some positive step in the timeframe: skip them before
    // collecting anything (a binary search over the profile's sorted times per step).
    if (range ? toCheck.some((step) => !hasEventIn(step.events, p, range)) : toCheck.some((step) => step.events.offsets[p + 1] === step.events.offsets[p]))
      return;
    if (simple) {
      if (simpleFunnelHolds(steps, p, window.test, maxSpan, pointers)) set.add(p);
      return;
    }
    const candidates = steps.map((step) => qualifyingTimes(step, p, window.test));
    if (steps.some((step, i) => step.exists && candidates[i].length === 0)) return;
    if (funnelPath(steps, candidates, maxSpan)) set.add(p);
  };
  if (range) {
    // Only profiles with an event of the rarest positive step inside the timeframe can match:
    // read that slice of its events in time order instead of visiting every profile.
    const order = eventsByTime(positive[0].events, n);
    const { from, to } = positionsIn(order, positive[0].events.times, range);
    const profiles = new Bitset(n);
    for (let i = from; i < to; i++) profiles.add(order.profiles[i]);
    let visited = 0;
    for (const p of profiles.indexes()) {
      if ((visited++ & 0x3fff) === 0) ctx.checkpoint();
      consider(p);
    }
    return matched(set);
  }
  for (let p = 0; p < n; p++) {
    if ((p & 0x3fff) === 0) ctx.checkpoint();
    consider(p);
  }
  return matched(set);
}

/**
 * A funnel of positive steps only, each of another metric (no event can serve two steps): for
 * each qualifying first event, the earliest qualifying event of each next step at or after the
 * previous one gives the earliest possible last event, so the funnel holds exactly when one such
 * chain ends within the completion window. The chains' events only move forward as the first
 * event does, so each step's rows are read once (the depth-first search of `funnelPath` may
 * revisit them for every first event).
 */
function simpleFunnelHolds(steps: readonly Step[], profile: number, inTimeframe: (t: number) => boolean, maxSpan: number, pointers: Int32Array): boolean {
  const k = steps.length;
  for (let s = 0; s < k; s++) pointers[s] = steps[s].events.offsets[profile];
  const first = steps[0];
  const firstEnd = first.events.offsets[profile + 1];
  const firstTimes = first.events.times;
  for (let r = first.events.offsets[profile]; r < firstEnd; r++) {
    const t1 = firstTimes[r];
    if (!inTimeframe(t1) || !first.rowTest(r)) continue;
    let t = t1;
    for (let s = 1; s < k; s++) {
      const { offsets, times } = steps[s].events;
      const end = offsets[profile + 1];
      let row = pointers[s];
      // Rows before `t`, or not qualifying, never serve a later chain either (t only grows).
      while (row < end && (times[row] < t || !inTimeframe(times[row]) || !steps[s].rowTest(row))) row++;
      pointers[s] = row;
      if (row === end) return false; // no chain from this or any later first event
      t = times[row];
    }
    if (t - t1 <= maxSpan) return true;
  }
  return false;
}

/**
 * profile-metric-funnel as of many instants: each profile's events are tested against the steps'
 * filters once, each day's candidates are a slice of them (the window moves forward), and the
 * search runs again only on a day whose slices differ from the day before. Each day's set is
 * exactly `evaluateFunnel`'s as of it. Undefined when a window is not one interval moving forward
 * or a step's filter reads a date.
 */
function evaluateFunnelSeries(ctx: SeriesContext, condition: Condition, refs: readonly ReferenceTime[]): ConditionOutcome[] | undefined {
  if (refs.length === 0 || holdsDateFilter(condition.steps)) return undefined;
  const funnel = compileFunnel({ ...ctx, ref: refs[0] }, condition);
  const ranges = seriesRanges(condition.timeframe_filter, refs);
  if ('notEvaluable' in funnel || !ranges) return undefined;
  const { steps, maxSpan } = funnel;
  const n = ctx.workspace.profileCount;
  const sets = refs.map(() => new Bitset(n));
  const positive = steps.filter((step) => step.exists);
  for (let p = 0; p < n; p++) {
    if ((p & 0x3fff) === 0) ctx.checkpoint();
    if (positive.some((step) => step.events.offsets[p + 1] === step.events.offsets[p])) continue;
    const passing = steps.map((step) => qualifyingTimes(step, p, () => true));
    const from = steps.map(() => 0);
    const to = steps.map(() => 0);
    let previous = '';
    let holds = false;
    ranges.forEach(({ lo, loInclusive, hi, hiInclusive }, i) => {
      steps.forEach((_, s) => {
        const rows = passing[s];
        while (from[s] < rows.length && (rows[from[s]].t < lo || (!loInclusive && rows[from[s]].t === lo))) from[s]++;
        if (to[s] < from[s]) to[s] = from[s];
        while (to[s] < rows.length && (rows[to[s]].t < hi || (hiInclusive && rows[to[s]].t === hi))) to[s]++;
      });
      const key = `${from.join(',')}|${to.join(',')}`;
      if (key !== previous) {
        previous = key;
        const candidates = steps.map((_, s) => passing[s].slice(from[s], to[s]));
        holds = !steps.some((step, s) => step.exists && candidates[s].length === 0) && funnelPath(steps, candidates, maxSpan) !== undefined;
      }
      if (holds) sets[i].add(p);
    });
  }
  return sets.map(matched);
}

/** Whether `profile` has an event (of any filter) inside `range`: its times are sorted, so one binary search. */
function hasEventIn(events: MetricEvents, profile: number, range: InstantRange): boolean {
  const { offsets, times } = events;
  const end = offsets[profile + 1];
  let lo = offsets[profile];
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = times[mid];
    if (t < range.lo || (t === range.lo && !range.loInclusive)) lo = mid + 1;
    else hi = mid;
  }
  if (lo === end) return false;
  const t = times[lo];
  return t < range.hi || (t === range.hi && range.hiInclusive);
}

/** The instants of a profile's events that qualify for a step (in the timeframe, passing its filters), ascending. */
function qualifyingTimes(step: Step, profile: number, inTimeframe: (t: number) => boolean): { row: number; t: number }[] {
  const { offsets, times } = step.events;
  const out: { row: number; t: number }[] = [];
  for (let row = offsets[profile]; row < offsets[profile + 1]; row++) {
    if (inTimeframe(times[row]) && step.rowTest(row)) out.push({ row, t: times[row] });
  }
  return out;
}

type Candidate = { row: number; t: number };

/**
 * Depth-first search for an assignment of events to the positive steps that meets every rule:
 * the chosen event of each positive step (by step index; negative steps stay empty), or
 * undefined when there is none.
 */
export function funnelPath(
  steps: readonly { exists: boolean; metricId: string }[],
  candidates: readonly Candidate[][],
  maxSpan: number,
): (Candidate | undefined)[] | undefined {
  const used = new Set<string>();
  const chosen: (Candidate | undefined)[] = steps.map(() => undefined);
  const search = (index: number, previous: number | undefined, first: number | undefined, pendingNegatives: number[]): boolean => {
    if (index === steps.length) {
      // Trailing negative steps: nothing qualifying after the last positive event, within the window.
      const end = first === undefined ? Infinity : first + maxSpan;
      return pendingNegatives.every((s) => !candidates[s].some((e) => (previous === undefined || e.t > previous) && e.t <= end));
    }
    const step = steps[index];
    if (!step.exists) return search(index + 1, previous, first, [...pendingNegatives, index]);
    for (const event of candidates[index]) {
      if (previous !== undefined && event.t < previous) continue;
      const start = first ?? event.t;
      if (event.t - start > maxSpan) break;
      const key = `${step.metricId}#${event.row}`;
      if (used.has(key)) continue;
      // Negative steps between the previous positive step and this one: nothing strictly between.
      const clear = pendingNegatives.every((s) => !candidates[s].some((e) => (previous === undefined || e.t > previous) && e.t < event.t));
      if (!clear) continue;
      used.add(key);
      chosen[index] = event;
      if (search(index + 1, event.t, start, [])) return true;
      chosen[index] = undefined;
      used.delete(key);
    }
    return false;
  };
  return search(0, undefined, undefined, []) ? chosen : undefined;
}

/** `completion_window_seconds` tokens as people read them. */
const WINDOW_WORDS: Readonly<Record<string, string>> = {
  HOURS_1: '1 hour',
  DAYS_1: '1 day',
  DAYS_3: '3 days',
  DAYS_5: '5 days',
  WEEKS_1: '1 week',
  DAYS_30: '30 days',
  DAYS_90: '90 days',
  DAYS_180: '180 days',
  YEARS_1: '1 year',
};

const windowWords = (token: unknown) => lookup(WINDOW_WORDS, token) ?? shown(token);

const iso = (t: number) => new Date(t).toISOString();

/**
 * Why a funnel holds for one profile (the events that complete it, step by step), or why not:
 * the first positive step without a qualifying event, a forbidden event in between, steps out
 * of order, or a sequence longer than the completion window.
 */
function explainFunnel(ctx: EvaluationContext, condition: Condition, profile: number, names: NameLookup): Evidence {
  const funnel = compileFunnel(ctx, condition);
  if ('notEvaluable' in funnel) return { text: `not evaluable locally: ${funnel.notEvaluable}` };
  const { steps, window, maxSpan } = funnel;
  const name = (step: Step) => metricLabel(step.metricId, names);
  const candidates = steps.map((step) => qualifyingTimes(step, profile, window.test));
  const missing = steps.findIndex((step, i) => step.exists && candidates[i].length === 0);
  if (missing >= 0) return { text: `no qualifying ${name(steps[missing])} event in the timeframe (step ${missing + 1})` };
  const path = funnelPath(steps, candidates, maxSpan);
  if (path) {
    const done = steps.flatMap((step, i) => (step.exists && path[i] ? [{ step, event: path[i] as Candidate }] : []));
    const within = typeof condition.completion_window_seconds === 'string' ? `, within ${windowWords(condition.completion_window_seconds)}` : '';
    return {
      text: `${done.map(({ step, event }) => `${name(step)} at ${iso(event.t)}`).join(', then ')}${within}`,
      events: done.map(({ event }) => iso(event.t)),
    };
  }
  if (
    steps.some((step) => !step.exists) &&
    funnelPath(
      steps.filter((s) => s.exists),
      candidates.filter((_, i) => steps[i].exists),
      maxSpan,
    )
  ) {
    const negatives = steps.filter((step) => !step.exists).map(name);
    return { text: `the steps happened, but a ${negatives.join(' or ')} event came where the funnel forbids it` };
  }
  if (
    maxSpan !== Infinity &&
    funnelPath(
      steps.filter((s) => s.exists),
      candidates.filter((_, i) => steps[i].exists),
      Infinity,
    )
  ) {
    return { text: `the steps happened in order, but not within ${windowWords(condition.completion_window_seconds)}` };
  }
  return {
    text: `every step has a qualifying event, but not in the funnel's order (${steps
      .filter((s) => s.exists)
      .map(name)
      .join(', then ')})`,
  };
}

/**
 * profile-metric-funnel as SQL, with the rules of `funnelPath`: distinct events e1 … ek of the
 * positive steps with t1 ≤ … ≤ tk and tk ≤ t1 + window, and for each negative step no
 * qualifying event strictly between its neighbouring positive steps' events (before the first:
 * from the timeframe's start; after the last: until t1 + window).
 */
function funnelSql(condition: Condition, b: SqlBuilder): SqlResult<SqlPredicate> {
  const frame = funnelFrame(condition, b.ref);
  if ('notEvaluable' in frame) return frame;
  const { maxSpan, rawSteps } = frame;
  const steps: { exists: boolean; metricId: string; events: SqlEvents }[] = [];
  for (const [index, raw] of rawSteps.entries()) {
    if (!isRecord(raw) || typeof raw.metric_id !== 'string' || typeof raw.metric_exists !== 'boolean') return { notEvaluable: 'a funnel step is not complete' };
    const events = b.events(raw.metric_id, ['steps', index, 'metric_id'], (row) => {
      const inTimeframe = b.happenedFilter(row.time, condition.timeframe_filter, ['timeframe_filter']);
      const filtered = metricFiltersSql(b, row, raw.metric_filters, ['steps', index, 'metric_filters']);
      if (isSqlNotEvaluable(inTimeframe)) return inTimeframe;
      return isSqlNotEvaluable(filtered) ? filtered : b.and(inTimeframe, filtered);
    });
    if (isSqlNotEvaluable(events)) return events;
    steps.push({ exists: raw.metric_exists, metricId: raw.metric_id, events });
  }
  const positive = steps.filter((step) => step.exists);
  if (positive.length === 0) return { notEvaluable: 'the funnel has no step with "metric_exists": true' };
  return b.existsEvents(
    positive.map((step) => step.events),
    (rows) => funnelRules(b, steps, rows, maxSpan),
  );
}

/** The order, distinctness, window and negative-step rules on the positive steps' events `rows`. */
function funnelRules(
  b: SqlBuilder,
  steps: readonly { exists: boolean; metricId: string; events: SqlEvents }[],
  rows: readonly SqlEventRow[],
  maxSpan: number,
): SqlPredicate {
  const rules: SqlPredicate[] = [];
  const positiveIndex = steps.map((_, i) => steps.slice(0, i).filter((s) => s.exists).length);
  const metricOf = steps.filter((s) => s.exists).map((s) => s.metricId);
  for (let j = 1; j < rows.length; j++) rules.push(b.compareInstants(rows[j].time, '>=', rows[j - 1].time));
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) if (metricOf[i] === metricOf[j]) rules.push(b.not(b.sameEvent(rows[i], rows[j])));
  }
  if (maxSpan !== Infinity) rules.push(b.compareInstants(rows[rows.length - 1].time, '<=', rows[0].time, maxSpan));
  steps.forEach((step, i) => {
    if (step.exists) return;
    const previous = positiveIndex[i] > 0 ? rows[positiveIndex[i] - 1] : undefined;
    const next = positiveIndex[i] < rows.length ? rows[positiveIndex[i]] : undefined;
    rules.push(
      b.noEvent(step.events, (event) => {
        const after = previous ? b.compareInstants(event.time, '>', previous.time) : b.constant(true);
        if (next) return b.and(after, b.compareInstants(event.time, '<', next.time));
        return maxSpan === Infinity ? after : b.and(after, b.compareInstants(event.time, '<=', rows[0].time, maxSpan));
      }),
    );
  });
  return b.and(...rules);
}

/** profile-metric-funnel: steps someone has taken (or not taken), in order. */
export const profileMetricFunnel: ConditionKind = {
  type: 'profile-metric-funnel',
  readsHistory: true,
  template: {
    title: 'Steps in order (funnel)',
    description: 'Events in a specific order, e.g. Viewed Product then Added to Cart.',
    body: '{ "type": "profile-metric-funnel", "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": ${1:30} }, "completion_window_seconds": "${2|DAYS_1,HOURS_1,DAYS_3,DAYS_5,WEEKS_1,DAYS_30,DAYS_90,DAYS_180,YEARS_1|}", "steps": [ { "metric_exists": true, "metric_id": "${3:FIRST_METRIC_ID}" }, { "metric_exists": true, "metric_id": "${4:SECOND_METRIC_ID}" } ] }',
  },
  evaluate: evaluateFunnel,
  evaluateSeries: evaluateFunnelSeries,
  explain: explainFunnel,
  sql: funnelSql,
  describe(c, names) {
    const steps = Array.isArray(c.steps) ? c.steps : [];
    const text = steps
      .map((s) =>
        isRecord(s) ? `${s.metric_exists === false ? 'not ' : ''}${metricLabel(s.metric_id, names)}${describeMetricFilters(s.metric_filters)}` : '?',
      )
      .join(', then ');
    const window = typeof c.completion_window_seconds === 'string' ? `, all within ${windowWords(c.completion_window_seconds)}` : '';
    return `did ${text} ${describeTimeframe(c.timeframe_filter)}${window}`;
  },
  notes: () => [
    'Each step\'s event must come at or after the previous step\'s event (distinct events), all inside the timeframe, the last within the completion window of the first. A "metric_exists": false step forbids such an event between its neighbouring steps (SL).',
  ],
  check(condition, report) {
    checkCountLimit(condition.steps, ['steps'], MAX_FUNNEL_STEPS, 'too-many-funnel-steps', 'steps in a funnel', report);
    const steps = Array.isArray(condition.steps) ? condition.steps : [];
    steps.forEach((step, i) => {
      if (isRecord(step))
        checkCountLimit(
          step.metric_filters,
          ['steps', i, 'metric_filters'],
          MAX_FILTERS_PER_STEP,
          'too-many-funnel-filters',
          'filters per funnel step',
          report,
        );
    });
    if (steps.length > 0 && steps.every((s) => isRecord(s) && s.metric_exists === false)) {
      report({
        at: ['steps'],
        severity: 'warning',
        code: 'funnel-without-positive-step',
        message: 'Every step of this funnel has "metric_exists": false; a funnel needs at least one step that happened.',
      });
    }
  },
};
