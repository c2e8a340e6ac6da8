import type { NameLookup } from '../engine/describe';
import { Evaluator } from '../engine/evaluator';
import type { Cancellation } from '../engine/outcome';
import type { Workspace } from '../engine/workspace';
import { metricRoles } from './definitions';
import { consentSafeFindings, missingStageFindings } from './findings/missing';
import { duplicatedFindings } from './findings/duplicated';
import { listVsSegmentFindings } from './findings/listVsSegment';
import { staleFindings } from './findings/stale';
import { tooBroadFindings } from './findings/tooBroad';
import { listInventory, segmentInventory, statusSummary, trackerRows } from './inventory';
import type { RecognizeContext } from './recognize';
import type { NewFinding, Review } from './review';
import { readEntries, stageCoverage } from './segmentEntries';
import { deriveThresholds, evaluateCandidates, lifecycleCandidates, productInterestCandidates, type StageCandidate } from './stages';
import type { CoverageOptions, CoverageReport, CoverageSegmentInput, Finding, FindingKind, IntendedUse, Priority } from './types';

/**
 * The coverage analysis: an inventory of the segment files and lists, the lifecycle stages the
 * data supports and which file covers each, and findings (missing, stale, duplicated, too broad,
 * list-vs-segment, one module each under findings/) with evidence, priority and a tracker row
 * each. Pure: it reads the workspace and the definitions it is given and writes nothing. Rules:
 * docs/coverage.md.
 */

export const DEFAULT_OWNERS: Record<IntendedUse, string> = {
  'campaign targeting': 'Email & SMS marketing',
  'flow branching': 'Lifecycle automation',
  reactivation: 'Retention marketing',
  suppression: 'Deliverability',
  reporting: 'Analytics',
};

const KIND_ORDER: FindingKind[] = ['missing', 'stale', 'duplicated', 'too-broad', 'list-vs-segment'];
const PRIORITY_ORDER: Priority[] = ['high', 'medium', 'low'];

export function analyzeCoverage(
  workspace: Workspace,
  segments: readonly CoverageSegmentInput[],
  options: CoverageOptions = {},
  evaluator: Evaluator = new Evaluator(workspace),
  cancellation?: Cancellation,
): CoverageReport {
  const started = Date.now();
  const review = reviewSegments(workspace, segments, options, evaluator, cancellation);
  const cadence = options.cadence ?? 'quarterly';
  const owners = { ...DEFAULT_OWNERS, ...options.owners };

  // Findings in the order of their kinds (the sort below is stable: within a kind and priority, this order stays).
  const found: NewFinding[] = [
    ...missingStageFindings(review),
    ...consentSafeFindings(review, evaluator, cancellation),
    ...staleFindings(review),
    ...duplicatedFindings(review),
    ...tooBroadFindings(review),
    ...listVsSegmentFindings(review),
  ];
  const findings: Finding[] = found.map((f) => ({ ...f, owner: owners[f.use], cadence }));
  findings.sort((x, y) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || PRIORITY_ORDER.indexOf(x.priority) - PRIORITY_ORDER.indexOf(y.priority));

  const tracker = trackerRows(review, findings, owners, cadence);
  return {
    workspace: {
      name: workspace.name,
      ...(options.root ? { root: options.root } : {}),
      now: new Date(workspace.now).toISOString(),
      profiles: workspace.profileCount,
      events: workspace.eventCount,
    },
    thresholds: review.thresholds,
    stages: [...review.stages],
    segments: segmentInventory(review),
    lists: [...review.lists],
    findings,
    tracker,
    summary: statusSummary(tracker),
    elapsedMs: Date.now() - started,
  };
}

/**
 * Everything the findings read: thresholds from the data, every stage's candidate evaluated,
 * the segment files evaluated and recognised, how each stage is covered, and the lists.
 */
function reviewSegments(
  workspace: Workspace,
  segments: readonly CoverageSegmentInput[],
  options: CoverageOptions,
  evaluator: Evaluator,
  cancellation?: Cancellation,
): Review {
  const names: NameLookup = { metricName: (id) => workspace.metric(id)?.info.name, listName: (id) => workspace.list(id)?.info.name };
  const roles = metricRoles(workspace);
  const { thresholds } = deriveThresholds(workspace, roles, options);

  const { candidates: lifecycle, unsupported } = lifecycleCandidates(workspace, roles, thresholds);
  evaluateCandidates(lifecycle, evaluator, cancellation);
  const groups = options.productInterestGroups ?? 5;
  const products = productInterestCandidates(workspace, roles, groups);
  evaluateCandidates(products, evaluator, cancellation);
  const keptProducts = products
    .filter((c) => (c.matched ?? 0) >= thresholds.minAudience)
    .sort((a, b) => (b.matched ?? 0) - (a.matched ?? 0))
    .slice(0, groups);
  const candidates = [...lifecycle, ...keptProducts];
  const byStage = new Map(candidates.map((c) => [c.stage, c]));
  const recognize: RecognizeContext = {
    roleOf: roles.roleOf,
    atRiskDays: thresholds.atRiskDays,
    lapsedDays: thresholds.lapsedDays,
    engagedWindows: thresholds.engagedWindows,
    categories: new Map(keptProducts.map((c) => [categoryOf(c), c.stage])),
  };

  const entries = readEntries(workspace, segments, names, recognize, byStage, evaluator, cancellation);
  const stages = stageCoverage(candidates, unsupported, entries, thresholds);
  return { workspace, names, thresholds, entries, candidates, byStage, stages, lists: listInventory(workspace, entries) };
}

function categoryOf(candidate: StageCandidate): string {
  return candidate.title.replace(/^Product interest: /, '').toLowerCase();
}
