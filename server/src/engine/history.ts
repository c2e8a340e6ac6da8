import { Bitset } from './bitset';
import { canonicalJson } from './canonical';
import { conditionKind } from './conditions';
import type { EvaluateOptions, Evaluator } from './evaluator';
import { EvaluationCancelled, isRecord, matched, type ConditionOutcome } from './outcome';
import { DAY_MS, referenceTime, type ReferenceTime } from './time';

/** One point of a segment's size over time. */
export interface HistoryPoint {
  /** The instant the segment was evaluated as of (epoch ms). */
  now: number;
  /** Its UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Profiles matching, or null when the definition is not evaluable locally. */
  matched: number | null;
  /** Profiles that existed as of `now`. */
  total: number;
}

export interface HistoryResult {
  points: HistoryPoint[];
  /** Why the definition is not evaluable locally (empty when it is). */
  notEvaluable: string[];
  elapsedMs: number;
}

/** How many days a history may span (a year and a bit: a relative window reaches back further anyway). */
export const MAX_HISTORY_DAYS = 400;

/**
 * The instants of a size-over-time series of `days` days ending today: the end of each earlier
 * UTC day (23:59:59.999) and, for today, `now` itself (the day is not over).
 */
export function historyInstants(ref: ReferenceTime, days: number): number[] {
  const count = Math.max(1, Math.min(MAX_HISTORY_DAYS, Math.floor(days)));
  const instants: number[] = [];
  for (let back = count - 1; back >= 1; back--) instants.push(ref.d0 - (back - 1) * DAY_MS - 1);
  instants.push(ref.now);
  return instants;
}

/** A condition's outcome on each day: from its kind's series (one sweep), or one evaluation per day. */
class DailyOutcomes {
  private readonly series = new Map<string, ConditionOutcome[] | null>();

  constructor(
    private readonly evaluator: Evaluator,
    private readonly instants: readonly number[],
    private readonly refs: readonly ReferenceTime[],
    private readonly options: EvaluateOptions,
  ) {}

  /** The condition's outcome as of day `i`, over the profiles that existed then (`existing`; undefined: all). */
  outcome(condition: unknown, i: number, existing: Bitset | undefined): ConditionOutcome {
    const key = canonicalJson(condition);
    if (!this.series.has(key)) this.series.set(key, this.evaluateSeries(condition));
    const series = this.series.get(key);
    if (!series) return this.evaluator.evaluateCondition(condition, { ...this.options, now: this.instants[i] }).outcome;
    const outcome = series[i];
    return existing && outcome.kind === 'matched' ? matched(outcome.set.and(existing)) : outcome;
  }

  private evaluateSeries(condition: unknown): ConditionOutcome[] | null {
    const kind = isRecord(condition) ? conditionKind(condition.type) : undefined;
    if (!kind?.evaluateSeries || !isRecord(condition)) return null;
    const cancellation = this.options.cancellation;
    const checkpoint = () => {
      if (cancellation?.isCancelled()) throw new EvaluationCancelled();
    };
    return kind.evaluateSeries({ workspace: this.evaluator.workspace, checkpoint }, condition, this.refs) ?? null;
  }
}

function conditionGroups(definition: unknown): unknown[][] {
  const groups = isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  return groups.map((group) => (isRecord(group) && Array.isArray(group.conditions) ? group.conditions : []));
}

/**
 * The segment's size as of each instant (semantics: as of now), exactly what a fresh evaluation
 * with that `now` gives (test/unit/history.test.ts). Kinds that can evaluate many instants in one
 * sweep do (a metric condition reads each profile's events once for all days); other conditions
 * are evaluated day by day, those that do not depend on the day once (the evaluator's cache).
 * `onProgress` hears after each point; cancellation stops between and inside points.
 */
export function evaluateHistory(
  evaluator: Evaluator,
  definition: unknown,
  instants: readonly number[],
  options: EvaluateOptions & { onProgress?: (done: number, total: number) => void } = {},
): HistoryResult {
  const started = Date.now();
  const workspace = evaluator.workspace;
  const n = workspace.profileCount;
  const refs = instants.map((now) => (now === workspace.now ? workspace.ref : referenceTime(now)));
  const daily = new DailyOutcomes(evaluator, instants, refs, { cancellation: options.cancellation });
  const groups = conditionGroups(definition);
  const points: HistoryPoint[] = [];
  const reasons = new Set<string>();
  instants.forEach((now, i) => {
    if (options.cancellation?.isCancelled()) throw new EvaluationCancelled();
    // As in Evaluator.evaluateDefinition: groups ANDed, conditions ORed, over the profiles that existed then.
    const existing = evaluator.candidatesAsOf(now);
    let running: Bitset | undefined = existing ?? Bitset.full(n);
    for (const conditions of groups) {
      let union: Bitset | undefined = new Bitset(n);
      for (const condition of conditions) {
        const outcome = daily.outcome(condition, i, existing);
        if (outcome.kind === 'matched') {
          if (union) union = union.or(outcome.set);
        } else {
          reasons.add(outcome.reason);
          union = undefined;
        }
      }
      running = running && union ? running.and(union) : undefined;
    }
    points.push({ now, day: new Date(now).toISOString().slice(0, 10), matched: running ? running.count() : null, total: existing ? existing.count() : n });
    options.onProgress?.(points.length, instants.length);
  });
  return { points, notEvaluable: [...reasons], elapsedMs: Date.now() - started };
}

/** "90d", "12w", "90" → days (undefined for anything else). */
export function parseHistorySpan(text: string): number | undefined {
  const match = /^\s*(\d{1,4})\s*([dw]?)\s*$/i.exec(text);
  if (!match) return undefined;
  const days = Number(match[1]) * (match[2].toLowerCase() === 'w' ? 7 : 1);
  return days >= 1 && days <= MAX_HISTORY_DAYS ? days : undefined;
}
