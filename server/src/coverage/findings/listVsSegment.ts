/**
 * Lists vs segments: a list whose members resemble a proposed audience (a dynamic segment would
 * keep itself current), and the reverse: a segment whose membership can no longer change (a
 * static list in disguise) or that only mirrors one list.
 */
import { isRecord } from '../../engine/outcome';
import { parseInstant } from '../../engine/time';
import { groupsOf } from '../definitions';
import { audience, useOf, type NewFinding, type Review } from '../review';
import type { StageCandidate } from '../stages';
import { formatCount, jaccard } from '../stats';

/** Words in a list's name that say it stands for a behaviour a segment could compute. */
const LIST_STAGE_WORDS =
  /\b(vip|loyal(ty)?|repeat|first[- ]?time|new customers?|buyers?|purchasers?|customers?|lapsed|at[- ]?risk|churn(ed)?|win[- ]?back|engaged|active|inactive)\b/i;
/** A list resembles a lifecycle audience from this Jaccard on (0.2 when its name says so). */
const LIST_RESEMBLANCE = 0.5;
const LIST_RESEMBLANCE_BY_NAME = 0.2;
/** Identifiers: a segment selecting fixed values of these is a frozen audience. */
const IDENTIFIER_PROPERTIES = new Set(['email', 'phone_number', 'external_id', 'id']);

/** Lists whose members resemble a proposed audience, then segments that are lists in disguise. */
export function listVsSegmentFindings(review: Review): NewFinding[] {
  return [...listsLikeStages(review), ...frozenSegments(review)];
}

function listsLikeStages(review: Review): NewFinding[] {
  const { workspace } = review;
  const findings: NewFinding[] = [];
  workspace.lists.forEach((info, i) => {
    const members = workspace.memberships[i].members;
    const count = members.count();
    if (count === 0) return;
    let best: { candidate: StageCandidate; both: number; jaccard: number } | undefined;
    for (const candidate of review.candidates) {
      if (!candidate.set || !candidate.matched) continue;
      const j = jaccard(members, candidate.set);
      if (!best || j.jaccard > best.jaccard) best = { candidate, both: j.both, jaccard: j.jaccard };
    }
    const name = info.name ?? info.id;
    if (!best || !(best.jaccard >= LIST_RESEMBLANCE || (LIST_STAGE_WORDS.test(name) && best.jaccard >= LIST_RESEMBLANCE_BY_NAME))) return;
    const c = best.candidate;
    const file = review.stages.find((s) => s.stage === c.stage)?.coveredBy[0]?.file;
    findings.push({
      kind: 'list-vs-segment',
      stage: c.stage,
      files: review.lists[i].usedBy,
      evidence: `List ${name} has ${formatCount(count)} members; the ${c.title} audience has ${formatCount(c.matched as number)}; ${formatCount(best.both)} are in both (Jaccard ${best.jaccard.toFixed(2)}): ${formatCount(count - best.both)} list members do not meet the rule and ${formatCount((c.matched as number) - best.both)} who do are not on the list.`,
      priority: 'medium',
      recommendation: `Target the dynamic segment (${file ?? `create ${c.stage}.json`}) instead of the ${name} list: it keeps itself current. Keep the list only for people added on purpose (sign-ups, invitations).`,
      title: `List ${name}`,
      rule: `is in list ${name}`,
      use: c.use,
      status: 'needs business review',
    });
  });
  return findings;
}

function frozenSegments(review: Review): NewFinding[] {
  const { workspace } = review;
  const findings: NewFinding[] = [];
  for (const entry of review.entries) {
    if (!entry.definition) continue;
    const frozen = frozenAudience(entry.definition, workspace.now);
    if (!frozen) continue;
    const listName = frozen.list ? (workspace.list(frozen.list)?.info.name ?? frozen.list) : undefined;
    findings.push({
      kind: 'list-vs-segment',
      files: [entry.input.file],
      evidence: listName
        ? `${entry.name} only selects the members of list ${listName}${entry.matched !== null ? ` (${audience(review, entry.matched)})` : ''}.`
        : `Every condition of ${entry.name} looks at fixed identifiers or at a period that has ended, so its ${entry.matched === null ? '' : `${formatCount(entry.matched)} `}members can no longer change.`,
      priority: 'low',
      recommendation: listName
        ? `Use the ${listName} list directly, or give the segment a condition of its own.`
        : 'A static list (imported once) says the same and keeps the audience frozen on purpose; retire the segment after creating the list.',
      title: entry.name,
      rule: entry.rule,
      use: useOf(entry, review.byStage),
      status: 'needs business review',
    });
  }
  return findings;
}

/**
 * A segment whose membership cannot change: every condition selects fixed identifiers or a period
 * that has ended; or its only condition is membership of one list (then `list` is set).
 */
function frozenAudience(definition: Record<string, unknown>, now: number): { list?: string } | undefined {
  const groups = groupsOf(definition);
  const conditions = groups.flat();
  if (!conditions.length || groups.some((g) => g.length === 0)) return undefined;
  if (conditions.length === 1) {
    const c = conditions[0];
    if (
      isRecord(c) &&
      c.type === 'profile-group-membership' &&
      c.is_member === true &&
      Array.isArray(c.group_ids) &&
      c.group_ids.length === 1 &&
      !isRecord(c.timeframe_filter) &&
      typeof c.group_ids[0] === 'string'
    ) {
      return { list: c.group_ids[0] };
    }
  }
  const ended = (filter: unknown): boolean => {
    if (!isRecord(filter)) return false;
    // Like the evaluator, only a string is a static date; a missing or impossible one never ends a period.
    const instant = (v: unknown) => (typeof v === 'string' ? (parseInstant(v) ?? NaN) : NaN);
    if (filter.operator === 'before') return instant(filter.date) <= now;
    if (filter.operator === 'between-static') return instant(filter.end) < now;
    return false;
  };
  const isFrozen = (c: unknown): boolean => {
    if (!isRecord(c)) return false;
    if (c.type === 'profile-metric') return ended(c.timeframe_filter);
    if (c.type === 'profile-metric-funnel') return ended(c.timeframe_filter);
    if (c.type === 'profile-property')
      return (
        typeof c.property === 'string' &&
        IDENTIFIER_PROPERTIES.has(c.property) &&
        isRecord(c.filter) &&
        (c.filter.operator === 'equals' || c.filter.operator === 'in')
      );
    return false;
  };
  return conditions.every(isFrozen) ? {} : undefined;
}
