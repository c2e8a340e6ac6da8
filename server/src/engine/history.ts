import type { EvaluateOptions, Evaluator } from './evaluator';
import { EvaluationCancelled } from './outcome';
import { DAY_MS, type ReferenceTime } from './time';

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

/**
 * The segment's size as of each instant: a fresh evaluation with that `now` (semantics: as of
 * now), where conditions that do not depend on `now` are evaluated once and reused (the
 * evaluator's cache). `onProgress` hears after each point; cancellation stops between and inside
 * points.
 */
export function evaluateHistory(evaluator: Evaluator, definition: unknown, instants: readonly number[], options: EvaluateOptions & { onProgress?: (done: number, total: number) => void } = {}): HistoryResult {
  const started = Date.now();
  const points: HistoryPoint[] = [];
  const reasons = new Set<string>();
  for (const now of instants) {
    if (options.cancellation?.isCancelled()) throw new EvaluationCancelled();
    const result = evaluator.evaluateDefinition(definition, { cancellation: options.cancellation, now });
    for (const reason of result.notEvaluable) reasons.add(reason);
    points.push({ now, day: new Date(now).toISOString().slice(0, 10), matched: result.matched, total: result.total });
    options.onProgress?.(points.length, instants.length);
  }
  return { points, notEvaluable: [...reasons], elapsedMs: Date.now() - started };
}

/** "90d", "12w", "90" → days (undefined for anything else). */
export function parseHistorySpan(text: string): number | undefined {
  const match = /^\s*(\d{1,4})\s*([dw]?)\s*$/i.exec(text);
  if (!match) return undefined;
  const days = Number(match[1]) * (match[2].toLowerCase() === 'w' ? 7 : 1);
  return days >= 1 && days <= MAX_HISTORY_DAYS ? days : undefined;
}
