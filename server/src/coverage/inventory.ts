/**
 * The report's tables besides the findings: the inventory of segment files and of lists, the
 * coverage tracker (one row per finding, plus one per file without a finding of its own) and the
 * summary by review status. Rules: docs/coverage.md, "The tracker".
 */
import type { Workspace } from '../engine/workspace';
import { audience, shareOf, useOf, type Entry, type Review } from './review';
import { round } from './stats';
import {
  REVIEW_STATUSES,
  type CoverageSummaryItem,
  type Finding,
  type IntendedUse,
  type ListInventoryEntry,
  type ReviewStatus,
  type SegmentInventoryEntry,
  type TrackerRow,
} from './types';

export function listInventory(workspace: Workspace, entries: readonly Entry[]): ListInventoryEntry[] {
  const total = workspace.profileCount;
  return workspace.lists.map((info, i) => {
    const members = workspace.memberships[i].members.count();
    return {
      id: info.id,
      name: info.name ?? info.id,
      ...(info.optInProcess ? { optInProcess: info.optInProcess } : {}),
      members,
      share: round(total === 0 ? 0 : members / total),
      usedBy: entries.filter((e) => e.lists.some((l) => l.id === info.id)).map((e) => e.input.file),
    };
  });
}

export function segmentInventory(review: Review): SegmentInventoryEntry[] {
  return review.entries.map((e) => ({
    file: e.input.file,
    name: e.name,
    rule: e.rule,
    matched: e.matched,
    share: e.matched === null ? null : round(shareOf(review, e.matched)),
    metrics: e.metrics,
    lists: e.lists,
    stages: e.stages,
    ...(e.input.errors?.length ? { errors: e.input.errors } : {}),
    ...(e.notEvaluable.length ? { notEvaluable: e.notEvaluable } : {}),
  }));
}

/** One row per finding, then one per file no finding (other than a proposal) is about. */
export function trackerRows(review: Review, findings: readonly Finding[], owners: Record<IntendedUse, string>, cadence: string): TrackerRow[] {
  const tracker: TrackerRow[] = findings.map((f) => ({
    segment: f.title,
    files: f.files ?? (f.proposal ? [f.proposal.fileName] : []),
    kind: f.kind,
    ...(f.stage ? { stage: f.stage } : {}),
    rule: f.rule,
    evidence: f.evidence,
    use: f.use,
    priority: f.priority,
    owner: f.owner,
    status: f.status,
    cadence: f.cadence,
    recommendation: f.recommendation,
  }));
  const flagged = new Set(findings.filter((f) => f.kind !== 'missing').flatMap((f) => f.files ?? []));
  for (const e of review.entries) {
    if (flagged.has(e.input.file)) continue;
    const use = useOf(e, review.byStage);
    tracker.push({
      segment: e.name,
      files: [e.input.file],
      kind: 'covered',
      ...(e.stages.length ? { stage: e.stages[0] } : {}),
      rule: e.rule,
      evidence:
        e.matched === null
          ? `not evaluated: ${e.notEvaluable.join('; ')}`
          : `matches ${audience(review, e.matched)}${e.stages.length ? `; covers ${e.stages.join(', ')}` : ''}`,
      use,
      priority: 'low',
      owner: owners[use],
      status: e.matched === null ? 'refresh' : 'leave alone',
      cadence,
      recommendation: e.matched === null ? 'Fix the file so it can be evaluated.' : 'Nothing to do; review it with the others at the next refresh.',
    });
  }
  return tracker;
}

export function statusSummary(tracker: readonly TrackerRow[]): CoverageSummaryItem[] {
  return REVIEW_STATUSES.map((status: ReviewStatus) => {
    const items = tracker.filter((r) => r.status === status).map((r) => r.segment);
    return { status, count: items.length, items };
  });
}
