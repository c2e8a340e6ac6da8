import { Bitset } from '../bitset';
import { matched, notEvaluable, isRecord, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { compileDateFilter, DAY_MS, HOUR_MS } from '../time';
import type { MetricEvents } from '../workspace';
import { compileMetricFilters, type EventRowTest } from './metric';

/** `completion_window_seconds` tokens in milliseconds (semantics §4). */
export const COMPLETION_WINDOWS: Readonly<Record<string, number>> = {
  HOURS_1: HOUR_MS, DAYS_1: DAY_MS, DAYS_3: 3 * DAY_MS, DAYS_5: 5 * DAY_MS, WEEKS_1: 7 * DAY_MS, DAYS_30: 30 * DAY_MS, DAYS_90: 90 * DAY_MS, DAYS_180: 180 * DAY_MS, YEARS_1: 365 * DAY_MS,
};

interface Step {
  exists: boolean;
  metricId: string;
  events: MetricEvents;
  rowTest: EventRowTest;
}

/**
 * profile-metric-funnel (semantics §4): the profile has events e1 … ek for the
 * `metric_exists: true` steps, in order (t1 ≤ … ≤ tk, distinct events), each passing its step's
 * filters, all inside the timeframe, with tk − t1 within the completion window. A
 * `metric_exists: false` step forbids a qualifying event strictly between the neighbouring
 * positive steps' events; before the first positive step it forbids one from the start of the
 * timeframe, and after the last one until t1 + window (or the end of the timeframe) (SL).
 */
export function evaluateFunnel(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const window = compileDateFilter(condition.timeframe_filter, ctx.ref);
  if ('notEvaluable' in window) return notEvaluable(window.notEvaluable);
  const completion = condition.completion_window_seconds;
  const maxSpan = completion === undefined || completion === null ? Infinity : COMPLETION_WINDOWS[String(completion)];
  if (maxSpan === undefined) return notEvaluable(`unknown completion window ${JSON.stringify(completion)}`);
  if (!Array.isArray(condition.steps) || condition.steps.length === 0) return notEvaluable('the funnel has no steps');
  const steps: Step[] = [];
  for (const raw of condition.steps) {
    if (!isRecord(raw) || typeof raw.metric_id !== 'string' || typeof raw.metric_exists !== 'boolean') return notEvaluable('a funnel step is not complete');
    const metric = ctx.workspace.metric(raw.metric_id);
    if (!metric) return notEvaluable(`metric ${raw.metric_id} is not in the workspace`);
    const rowTest = compileMetricFilters(ctx, metric.events, raw.metric_filters);
    if (typeof rowTest !== 'function') return notEvaluable(rowTest.notEvaluable);
    steps.push({ exists: raw.metric_exists, metricId: raw.metric_id, events: metric.events, rowTest });
  }
  if (!steps.some((s) => s.exists)) return notEvaluable('the funnel has no step with "metric_exists": true');
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  const positive = steps.filter((step) => step.exists);
  for (let p = 0; p < n; p++) {
    if ((p & 0x3fff) === 0) ctx.checkpoint();
    // Most profiles lack an event of some positive step: skip them before collecting anything.
    if (positive.some((step) => step.events.offsets[p + 1] === step.events.offsets[p])) continue;
    const candidates = steps.map((step) => qualifyingTimes(step, p, window.test));
    if (steps.some((step, i) => step.exists && candidates[i].length === 0)) continue;
    if (funnelHolds(steps, candidates, maxSpan)) set.add(p);
  }
  return matched(set);
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

/** Depth-first search for an assignment of events to the positive steps that meets every rule. */
export function funnelHolds(steps: readonly { exists: boolean; metricId: string }[], candidates: readonly { row: number; t: number }[][], maxSpan: number): boolean {
  const used = new Set<string>();
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
      if (search(index + 1, event.t, start, [])) return true;
      used.delete(key);
    }
    return false;
  };
  return search(0, undefined, undefined, []);
}
