import type { Bitset } from './bitset';
import type { ReferenceTime } from './time';
import type { Workspace } from './workspace';

/** The result of one condition: the matching profiles, or why the workspace cannot tell. */
export type ConditionOutcome =
  { readonly kind: 'matched'; readonly set: Bitset; readonly count: number } | { readonly kind: 'not-evaluable'; readonly reason: string };

export function notEvaluable(reason: string): ConditionOutcome {
  return { kind: 'not-evaluable', reason };
}

export function matched(set: Bitset): ConditionOutcome {
  return { kind: 'matched', set, count: set.count() };
}

/** Thrown from inside an evaluation when its cancellation says stop. */
export class EvaluationCancelled extends Error {
  constructor() {
    super('evaluation cancelled');
  }
}

/**
 * Thrown from inside a condition's evaluation that would take too long: past its time budget, or
 * a regular expression over a value too long for it. The condition is then "not evaluable
 * locally: too slow", never counted wrong.
 */
export class ConditionTooSlow extends Error {
  constructor(readonly reason: string) {
    super(`too slow to evaluate locally (${reason})`);
  }
}

export interface Cancellation {
  isCancelled(): boolean;
}

/** What every condition evaluator gets. */
export interface EvaluationContext {
  readonly workspace: Workspace;
  readonly ref: ReferenceTime;
  /** Call every few thousand profiles; throws EvaluationCancelled. */
  checkpoint(): void;
}

export type Condition = Record<string, unknown>;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
