import { Bitset } from '../bitset';
import { isRecord, matched, notEvaluable, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { describeTimeframe, shown } from '../phrases';
import { compileEventWindow } from '../time';
import type { ListMembership } from '../workspace';
import type { ConditionKind } from './kind';
import { isSqlNotEvaluable, type SqlBuilder, type SqlPredicate, type SqlResult } from './sqlBuilder';

const latestJoins = new WeakMap<ListMembership, number>();

/** The latest known join date of a list's members (-Infinity when none is known). */
function latestJoin(membership: ListMembership): number {
  let latest = latestJoins.get(membership);
  if (latest === undefined) {
    latest = -Infinity;
    for (const p of membership.members.indexes()) if (membership.joinedAt[p] > latest) latest = membership.joinedAt[p];
    latestJoins.set(membership, latest);
  }
  return latest;
}

/**
 * The list's members as of `now`: a profile that joined after it had not joined yet (semantics
 * §2); a member whose join date is unknown counts as a member.
 */
function membersAsOf(membership: ListMembership, now: number, profileCount: number): Bitset {
  const { members, joinedAt } = membership;
  // The common case (the workspace's own now): nobody joined later, and the members stay as they are.
  if (latestJoin(membership) <= now) return members;
  let later: Bitset | undefined;
  for (const p of members.indexes()) if (joinedAt[p] > now) (later ??= new Bitset(profileCount)).add(p);
  return later ? members.andNot(later) : members;
}

/**
 * profile-group-membership (semantics §4): `is_member: true` means currently in the list, with an
 * optional timeframe on `joined_group_at`; `false` means not currently in it (including never).
 */
function evaluateMembership(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const ids = condition.group_ids;
  if (!Array.isArray(ids) || ids.length !== 1 || typeof ids[0] !== 'string') return notEvaluable('"group_ids" must hold exactly one list ID');
  const list = ctx.workspace.list(ids[0]);
  if (!list) return notEvaluable(`list ${ids[0]} is not in the workspace`);
  const n = ctx.workspace.profileCount;
  const members = membersAsOf(list.membership, ctx.ref.now, n);
  if (condition.is_member === false) return matched(Bitset.full(n).andNot(members));
  if (condition.is_member !== true) return notEvaluable('"is_member" must be true or false');
  const timeframe = condition.timeframe_filter;
  if (timeframe === undefined || timeframe === null) return matched(members);
  const window = compileEventWindow(timeframe, ctx.ref);
  if ('notEvaluable' in window) return notEvaluable(window.notEvaluable);
  const set = new Bitset(n);
  const { joinedAt } = list.membership;
  for (const p of members.indexes()) {
    // A member whose join date is unknown cannot pass a timeframe on it.
    if (!Number.isNaN(joinedAt[p]) && window.test(joinedAt[p])) set.add(p);
  }
  return matched(set);
}

/** profile-group-membership as SQL: a current member (joined inside the timeframe), or not one. */
function membershipSql(condition: Condition, b: SqlBuilder): SqlResult<SqlPredicate> {
  const ids = condition.group_ids;
  if (!Array.isArray(ids) || ids.length !== 1 || typeof ids[0] !== 'string') return { notEvaluable: '"group_ids" must hold exactly one list ID' };
  const timeframe = condition.timeframe_filter;
  if (condition.is_member === false) {
    const member = b.listMember(ids[0], ['group_ids', 0]);
    return isSqlNotEvaluable(member) ? member : b.not(member);
  }
  if (condition.is_member !== true) return { notEvaluable: '"is_member" must be true or false' };
  if (timeframe === undefined || timeframe === null) return b.listMember(ids[0], ['group_ids', 0]);
  // A member whose join date is unknown cannot pass a timeframe on it (the date filter's NULL).
  return b.listMember(ids[0], ['group_ids', 0], (joinedAt) => b.happenedFilter(joinedAt, timeframe, ['timeframe_filter']));
}

/** profile-group-membership: whether someone is in a list (and when they joined it). */
export const profileGroupMembership: ConditionKind = {
  type: 'profile-group-membership',
  readsHistory: true,
  template: {
    title: 'In a list',
    description: 'Members of a list (is_member false: everyone else).',
    body: '{ "type": "profile-group-membership", "is_member": ${1|true,false|}, "group_ids": ["${2:LIST_ID}"] }',
  },
  evaluate: evaluateMembership,
  sql: membershipSql,
  explain(ctx, condition, profile) {
    const id = Array.isArray(condition.group_ids) ? shown(condition.group_ids[0]) : '';
    const list = ctx.workspace.list(id);
    if (!list) return { text: `list ${id} is not in the workspace` };
    const name = list.info.name ?? id;
    if (!list.membership.members.has(profile)) return { text: `not in ${name}` };
    const joined = list.membership.joinedAt[profile];
    if (joined > ctx.ref.now) return { text: `not yet in ${name}: joined ${new Date(joined).toISOString()}, after ${new Date(ctx.ref.now).toISOString()}` };
    return { text: `in ${name}${Number.isNaN(joined) ? ' (join date unknown)' : `, joined ${new Date(joined).toISOString()}`}` };
  },
  describe(c, names) {
    const id = Array.isArray(c.group_ids) ? c.group_ids[0] : undefined;
    const name = typeof id === 'string' ? names.listName?.(id) : undefined;
    const list = `list ${name ?? shown(id)}`;
    if (c.is_member === false) return `is not in ${list}`;
    const when = isRecord(c.timeframe_filter) ? ` and was added ${describeTimeframe(c.timeframe_filter)}` : '';
    return `is in ${list}${when}`;
  },
  notes(condition) {
    const notes: string[] = [];
    if (condition.is_member === false) notes.push('"Not in the list" includes profiles that were never in it.');
    if (isRecord(condition.timeframe_filter)) notes.push('The timeframe tests when the profile most recently joined the list (joined_group_at).');
    return notes;
  },
  check(condition, report) {
    const ids = condition.group_ids;
    if (Array.isArray(ids) && ids.length !== 1) {
      report({
        at: ['group_ids'],
        severity: 'error',
        code: 'group-ids-count',
        message: `"group_ids" must hold exactly one list ID (it holds ${ids.length}). To test several lists, add one condition per list: conditions in a group are ORed.`,
      });
    }
  },
};
