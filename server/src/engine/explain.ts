import { conditionKind, type Evidence, type NameLookup } from './conditions';
import { describeCondition } from './describe';
import { isRecord, type EvaluationContext } from './outcome';
import { referenceTime } from './time';
import type { Workspace } from './workspace';

export type { Evidence } from './conditions';

/**
 * Why a condition holds (or not) for one profile: the value it tested, or for a condition on
 * events the count, the sum or the sequence and the events that counted. Used by the preview's
 * "why it matched".
 */
export function explainCondition(workspace: Workspace, condition: unknown, profile: number, names: NameLookup = {}, now?: number): Evidence {
  if (!isRecord(condition)) return { text: 'not a condition' };
  const kind = conditionKind(condition.type);
  if (!kind) return { text: describeCondition(condition, names) };
  // As of another instant (a day of the size-over-time chart): the same rules as the evaluator's.
  const ref = now === undefined || now === workspace.now ? workspace.ref : referenceTime(now);
  const ctx: EvaluationContext = { workspace, ref, checkpoint: () => undefined };
  return kind.explain(ctx, condition, profile, names);
}
