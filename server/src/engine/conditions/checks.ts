import type { ConditionPath, KindProblem } from './kind';

/** A documented API limit on the length of a list inside a condition (error past it). */
export function checkCountLimit(value: unknown, at: ConditionPath, limit: number, code: string, what: string, report: (problem: KindProblem) => void): void {
  if (Array.isArray(value) && value.length > limit)
    report({ at, severity: 'error', code, message: `${value.length} ${what}; Klaviyo allows at most ${limit}.` });
}
