import { Bitset } from '../bitset';
import { matched, notEvaluable, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { compileDateFilter } from '../time';

/**
 * profile-group-membership (semantics §4): `is_member: true` means currently in the list, with an
 * optional timeframe on `joined_group_at`; `false` means not currently in it (including never).
 */
export function evaluateMembership(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const ids = condition.group_ids;
  if (!Array.isArray(ids) || ids.length !== 1 || typeof ids[0] !== 'string') return notEvaluable('"group_ids" must hold exactly one list ID');
  const list = ctx.workspace.list(ids[0]);
  if (!list) return notEvaluable(`list ${ids[0]} is not in the workspace`);
  const n = ctx.workspace.profileCount;
  if (condition.is_member === false) return matched(Bitset.full(n).andNot(list.membership.members));
  if (condition.is_member !== true) return notEvaluable('"is_member" must be true or false');
  const timeframe = condition.timeframe_filter;
  if (timeframe === undefined || timeframe === null) return matched(list.membership.members);
  const window = compileDateFilter(timeframe, ctx.ref);
  if ('notEvaluable' in window) return notEvaluable(window.notEvaluable);
  const set = new Bitset(n);
  const { joinedAt } = list.membership;
  for (const p of list.membership.members.indexes()) {
    // A member whose join date is unknown cannot pass a timeframe on it.
    if (!Number.isNaN(joinedAt[p]) && window.test(joinedAt[p])) set.add(p);
  }
  return matched(set);
}
