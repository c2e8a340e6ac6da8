import type { Bitset } from '../engine/bitset';
import { describeDefinition, type NameLookup } from '../engine/describe';
import { Evaluator } from '../engine/evaluator';
import { isRecord, type Cancellation } from '../engine/outcome';
import { DAY_MS, parseInstant } from '../engine/time';
import type { Workspace } from '../engine/workspace';
import { MARKETING_WORDS } from '../segment/workspaceRules';
import {
  definitionKey, emailConsentCondition, groupsOf, metricRoles, referencedIds, requiresEmailConsent, segmentFileText,
} from './definitions';
import { recognizeStages, type RecognizeContext } from './recognize';
import { deriveThresholds, evaluateCandidates, LIFECYCLE_STAGES, lifecycleCandidates, productInterestCandidates, type StageCandidate } from './stages';
import { formatCount, formatShare, jaccard, readableName, round, slug } from './stats';
import {
  REVIEW_STATUSES, type CoverageOptions, type CoverageReport, type CoverageSegmentInput, type Finding, type FindingKind, type IntendedUse,
  type ListInventoryEntry, type ListRef, type MetricRef, type Priority, type ReviewStatus, type SegmentInventoryEntry, type StageCoverage, type TrackerRow,
} from './types';

/**
 * The coverage analysis: an inventory of the segment files and lists, the lifecycle stages the
 * data supports and which file covers each, and findings (missing, stale, duplicated, too broad,
 * list-vs-segment) with evidence, priority and a tracker row each. Pure: it reads the workspace
 * and the definitions it is given and writes nothing. Rules: docs/coverage.md.
 */

export const DEFAULT_OWNERS: Record<IntendedUse, string> = {
  'campaign targeting': 'Email & SMS marketing',
  'flow branching': 'Lifecycle automation',
  reactivation: 'Retention marketing',
  suppression: 'Deliverability',
  reporting: 'Analytics',
};

/** Words in a list's name that say it stands for a behaviour a segment could compute. */
const LIST_STAGE_WORDS = /\b(vip|loyal(ty)?|repeat|first[- ]?time|new customers?|buyers?|purchasers?|customers?|lapsed|at[- ]?risk|churn(ed)?|win[- ]?back|engaged|active|inactive)\b/i;
/** A list resembles a lifecycle audience from this Jaccard on (0.2 when its name says so). */
const LIST_RESEMBLANCE = 0.5;
const LIST_RESEMBLANCE_BY_NAME = 0.2;
/** Identifiers: a segment selecting fixed values of these is a frozen audience. */
const IDENTIFIER_PROPERTIES = new Set(['email', 'phone_number', 'external_id', 'id']);

interface Entry {
  input: CoverageSegmentInput;
  name: string;
  rule: string;
  definition?: Record<string, unknown>;
  set?: Bitset;
  matched: number | null;
  notEvaluable: string[];
  metrics: MetricRef[];
  lists: ListRef[];
  /** Stages read from the definition's shape. */
  shapeStages: string[];
  /** Stages covered, by shape or by membership. */
  stages: string[];
  /** definitionKey with and without consent-only groups (computed once). */
  key?: string;
  keyWithoutConsent?: string;
  consent?: boolean;
}

const KIND_ORDER: FindingKind[] = ['missing', 'stale', 'duplicated', 'too-broad', 'list-vs-segment'];
const PRIORITY_ORDER: Priority[] = ['high', 'medium', 'low'];
const lower = (p: Priority): Priority => (p === 'high' ? 'medium' : 'low');

export function analyzeCoverage(
  workspace: Workspace,
  segments: readonly CoverageSegmentInput[],
  options: CoverageOptions = {},
  evaluator: Evaluator = new Evaluator(workspace),
  cancellation?: Cancellation,
): CoverageReport {
  const started = Date.now();
  const total = workspace.profileCount;
  const share = (n: number) => (total === 0 ? 0 : n / total);
  const names: NameLookup = { metricName: (id) => workspace.metric(id)?.info.name, listName: (id) => workspace.list(id)?.info.name };
  const roles = metricRoles(workspace);
  const { thresholds } = deriveThresholds(workspace, roles, options);
  const cadence = options.cadence ?? 'quarterly';
  const owners = { ...DEFAULT_OWNERS, ...options.owners };
  const minAudience = thresholds.minAudience;

  // 1. Candidates for every stage, evaluated.
  const { candidates, unsupported } = lifecycleCandidates(workspace, roles, thresholds);
  evaluateCandidates(candidates, evaluator, cancellation);
  const products = productInterestCandidates(workspace, roles, options.productInterestGroups ?? 5);
  evaluateCandidates(products, evaluator, cancellation);
  const keptProducts = products.filter((c) => (c.matched ?? 0) >= minAudience).sort((a, b) => (b.matched ?? 0) - (a.matched ?? 0)).slice(0, options.productInterestGroups ?? 5);
  const allCandidates = [...candidates, ...keptProducts];
  const byStage = new Map(allCandidates.map((c) => [c.stage, c]));
  const recognize: RecognizeContext = {
    roleOf: roles.roleOf,
    atRiskDays: thresholds.atRiskDays,
    lapsedDays: thresholds.lapsedDays,
    engagedWindows: thresholds.engagedWindows,
    categories: new Map(keptProducts.map((c) => [categoryOf(c), c.stage])),
  };

  // 2. The segment files, evaluated and read.
  const entries: Entry[] = segments.map((input) => {
    const name = input.name ?? readableName(input.file);
    const definition = input.errors?.length ? undefined : input.definition;
    const ids = referencedIds(input.definition);
    const metrics = ids.metrics.map((id): MetricRef => withName(id, workspace.metric(id)?.info.name, workspace.metric(id) !== undefined));
    const lists = ids.lists.map((id): ListRef => withName(id, workspace.list(id)?.info.name, workspace.list(id) !== undefined));
    const rule = input.definition ? describeDefinition(input.definition, names) : 'no segment definition';
    if (!definition) {
      return { input, name, rule, matched: null, notEvaluable: input.errors?.length ? ['the file has errors'] : ['the file holds no segment definition'], metrics, lists, shapeStages: [], stages: [] };
    }
    const result = evaluator.evaluateDefinition(definition, { cancellation });
    const shapeStages = recognizeStages(definition, recognize).filter((s) => byStage.has(s) || (LIFECYCLE_STAGES as readonly string[]).includes(s));
    return {
      input, name, rule, definition, set: result.set, matched: result.matched, notEvaluable: [...result.notEvaluable], metrics, lists, shapeStages, stages: [...shapeStages],
      key: definitionKey(definition), keyWithoutConsent: definitionKey(definition, { withoutConsent: true }), consent: requiresEmailConsent(definition),
    };
  });

  // 3. Which file covers which stage: by shape, else (files whose shape says nothing) by membership.
  const stages: StageCoverage[] = [];
  for (const candidate of allCandidates) {
    const supported = candidate.matched !== null && candidate.matched !== undefined && candidate.matched >= minAudience;
    const coveredBy: StageCoverage['coveredBy'] = [];
    for (const entry of entries) {
      const j = candidate.set && entry.set ? jaccard(candidate.set, entry.set) : undefined;
      if (entry.shapeStages.includes(candidate.stage)) {
        coveredBy.push({ file: entry.input.file, how: 'definition', jaccard: j ? round(j.jaccard, 3) : null });
      } else if (supported && entry.shapeStages.length === 0 && j && j.union > 0 && j.jaccard >= thresholds.coverJaccard) {
        coveredBy.push({ file: entry.input.file, how: 'membership', jaccard: round(j.jaccard, 3) });
        entry.stages.push(candidate.stage);
      }
    }
    stages.push({
      stage: candidate.stage,
      title: candidate.title,
      matched: candidate.matched ?? null,
      supported,
      basis: supported ? candidate.basis : candidate.matched === null || candidate.matched === undefined ? 'not evaluable locally' : `only ${formatCount(candidate.matched)} profiles (fewer than ${formatCount(minAudience)})`,
      coveredBy,
    });
  }
  for (const u of unsupported) stages.push({ stage: u.stage, title: u.title, matched: null, supported: false, basis: u.basis, coveredBy: entries.filter((e) => e.shapeStages.includes(u.stage)).map((e) => ({ file: e.input.file, how: 'definition', jaccard: null })) });

  const findings: Finding[] = [];
  const finding = (f: Omit<Finding, 'owner' | 'cadence'>): void => {
    findings.push({ ...f, owner: owners[f.use], cadence });
  };
  const audience = (n: number) => `${formatCount(n)} profiles (${formatShare(share(n))})`;

  // 4. Missing lifecycle and product-interest segments.
  for (const coverage of stages) {
    const candidate = byStage.get(coverage.stage);
    if (!candidate || !coverage.supported || coverage.coveredBy.length) continue;
    const matched = candidate.matched as number;
    finding({
      kind: 'missing',
      stage: candidate.stage,
      evidence: `${audience(matched)}: ${candidate.basis}. No segment file defines it${nearest(entries, candidate)}.`,
      priority: share(matched) < 0.01 ? lower(candidate.priority) : candidate.priority,
      recommendation: candidate.recommendation,
      title: candidate.title,
      rule: describeDefinition(candidate.definition, names),
      use: candidate.use,
      status: candidate.status,
      proposal: { fileName: `${candidate.stage}.json`, definition: candidate.definition, text: segmentFileText(candidate.definition), matched },
    });
  }

  // 5. Consent-safe versions of marketing audiences.
  const consent = evaluator.evaluateCondition(emailConsentCondition(), { cancellation }).outcome;
  if (consent.kind === 'matched') {
    const usedStages = new Set<string>();
    for (const entry of entries) {
      if (!entry.definition || !entry.set || !entry.matched || entry.consent) continue;
      const stageUse = entry.stages.map((s) => byStage.get(s)?.use).find((u) => u !== undefined);
      if (!stageUse && !MARKETING_WORDS.test(entry.name) && !MARKETING_WORDS.test(readableName(entry.input.file))) continue;
      const safe = entry.set.and(consent.set);
      const safeCount = safe.count();
      const excluded = entry.matched - safeCount;
      if (excluded <= 0 || safeCount === 0) continue;
      const covered = entries.some((other) => other !== entry && other.consent
        && (other.keyWithoutConsent === entry.key || (other.set !== undefined && jaccard(other.set, safe).jaccard >= thresholds.duplicateJaccard)));
      if (covered) continue;
      let stage = `consent-safe-${slug(entry.name)}`;
      for (let i = 2; usedStages.has(stage); i++) stage = `consent-safe-${slug(entry.name)}-${i}`;
      usedStages.add(stage);
      const definition = { condition_groups: [...structuredCloneJson(groupsOfRaw(entry.definition)), { conditions: [emailConsentCondition()] }] };
      finding({
        kind: 'missing',
        stage,
        files: [entry.input.file],
        evidence: `${formatCount(excluded)} of its ${formatCount(entry.matched)} members (${formatShare(excluded / entry.matched)}) cannot receive email marketing; the consent-safe version has ${formatCount(safeCount)}.`,
        priority: excluded / entry.matched >= 0.25 ? 'medium' : 'low',
        recommendation: `Create a consent-safe version of ${entry.name} for exports, ad audiences and honest sizing (Klaviyo skips non-consenting recipients at send time, but syncs and counts do not).`,
        title: `${entry.name} (can receive email)`,
        rule: describeDefinition(definition, names),
        use: stageUse ?? 'campaign targeting',
        status: 'ready to create',
        proposal: { fileName: `${stage.replace(/^consent-safe-/, '')}-can-receive-email.json`, definition, text: segmentFileText(definition), matched: safeCount },
      });
    }
  }

  // 6. Stale: IDs that point nowhere, silent metrics, empty lists, no members.
  const staleSince = workspace.now - thresholds.staleMetricDays * DAY_MS;
  for (const entry of entries) {
    if (!entry.definition) continue;
    const reasons: string[] = [];
    let broken = false;
    for (const m of entry.metrics) {
      const metric = workspace.metric(m.id);
      if (!metric) {
        reasons.push(`uses metric ${m.id}, which is not in the workspace`);
        broken = true;
      } else if (metric.events.count === 0) {
        reasons.push(`metric ${label(m)} has no events at all`);
      } else if ((metric.events.lastTime ?? 0) < staleSince) {
        const last = metric.events.lastTime ?? 0;
        reasons.push(`metric ${label(m)} has had no events since ${new Date(last).toISOString().slice(0, 10)} (${Math.floor((workspace.now - last) / DAY_MS)} days)`);
      }
    }
    for (const l of entry.lists) {
      const list = workspace.list(l.id);
      if (!list) {
        reasons.push(`uses list ${l.id}, which is not in the workspace`);
        broken = true;
      } else if (list.membership.members.count() === 0) {
        reasons.push(`list ${label(l)} has no members`);
      }
    }
    if (entry.matched === 0) reasons.push('matches no one');
    if (!reasons.length) continue;
    finding({
      kind: 'stale',
      files: [entry.input.file],
      evidence: `${entry.name} ${reasons.join('; ')}${entry.matched !== null && entry.matched > 0 ? ` (matches ${audience(entry.matched)})` : ''}.`,
      priority: broken ? 'high' : entry.matched === 0 ? 'medium' : 'low',
      recommendation: broken
        ? 'Fix the ID (a re-created integration or list gets a new one) or retire the segment: it is not evaluated and may silently match no one in Klaviyo.'
        : 'Retire it, or refresh it if the data feed should come back; a segment nobody can enter only clutters the account.',
      title: entry.name,
      rule: entry.rule,
      use: useOf(entry, byStage),
      status: broken ? 'refresh' : 'retire',
    });
  }

  // 7. Duplicates: equivalent definitions, or near-identical membership.
  for (let i = 0; i < entries.length; i++) {
    const a = entries[i];
    if (!a.definition) continue;
    for (let k = i + 1; k < entries.length; k++) {
      const b = entries[k];
      if (!b.definition) continue;
      const same = a.key === b.key;
      // A consent-safe version of a segment is a deliberate variant, not a duplicate.
      if (!same && a.keyWithoutConsent === b.keyWithoutConsent && a.consent !== b.consent) continue;
      const j = a.set && b.set ? jaccard(a.set, b.set) : undefined;
      const near = j !== undefined && (a.matched ?? 0) > 0 && (b.matched ?? 0) > 0 && j.jaccard >= thresholds.duplicateJaccard;
      if (!same && !near) continue;
      const [keep, drop] = preferred(a, b);
      const overlap = j ? `; ${formatCount(j.both)} in both, ${formatCount((a.matched ?? 0) - j.both)} only in ${a.input.file}, ${formatCount((b.matched ?? 0) - j.both)} only in ${b.input.file} (Jaccard ${j.jaccard.toFixed(2)})` : '';
      finding({
        kind: 'duplicated',
        files: [keep.input.file, drop.input.file],
        evidence: `${same ? 'Equivalent definitions (same groups and conditions in any order)' : 'Near-identical membership'}${overlap}.`,
        priority: same ? 'medium' : 'low',
        recommendation: `Keep ${keep.input.file} and retire ${drop.input.file} (or merge their purposes): two segments for one audience drift apart when only one is edited.`,
        title: `${keep.name} / ${drop.name}`,
        rule: keep.rule,
        use: useOf(keep, byStage),
        status: 'merge',
      });
    }
  }

  // 8. Too broad.
  for (const entry of entries) {
    if (entry.matched === null || total === 0 || share(entry.matched) < thresholds.tooBroadShare) continue;
    const empty = groupsOf(entry.definition).length === 0;
    finding({
      kind: 'too-broad',
      files: [entry.input.file],
      evidence: `${entry.name} matches ${formatCount(entry.matched)} of ${formatCount(total)} profiles (${formatShare(share(entry.matched))})${empty ? ': it has no condition groups' : ''}.`,
      priority: 'medium',
      recommendation: 'It separates almost no one, so it supports no clear action: narrow it (recent engagement, purchase history, consent) or keep it for reporting only.',
      title: entry.name,
      rule: entry.rule,
      use: 'reporting',
      status: 'needs business review',
    });
  }

  // 9. Lists used where a dynamic segment would keep itself current, and the reverse.
  const lists: ListInventoryEntry[] = workspace.lists.map((info, i) => {
    const members = workspace.memberships[i].members.count();
    return { id: info.id, name: info.name ?? info.id, ...(info.optInProcess ? { optInProcess: info.optInProcess } : {}), members, share: round(share(members)), usedBy: entries.filter((e) => e.lists.some((l) => l.id === info.id)).map((e) => e.input.file) };
  });
  workspace.lists.forEach((info, i) => {
    const members = workspace.memberships[i].members;
    const count = members.count();
    if (count === 0) return;
    let best: { candidate: StageCandidate; both: number; jaccard: number } | undefined;
    for (const candidate of allCandidates) {
      if (!candidate.set || !candidate.matched) continue;
      const j = jaccard(members, candidate.set);
      if (!best || j.jaccard > best.jaccard) best = { candidate, both: j.both, jaccard: j.jaccard };
    }
    const name = info.name ?? info.id;
    if (!best || !(best.jaccard >= LIST_RESEMBLANCE || (LIST_STAGE_WORDS.test(name) && best.jaccard >= LIST_RESEMBLANCE_BY_NAME))) return;
    const c = best.candidate;
    const file = stages.find((s) => s.stage === c.stage)?.coveredBy[0]?.file;
    finding({
      kind: 'list-vs-segment',
      stage: c.stage,
      files: lists[i].usedBy,
      evidence: `List ${name} has ${formatCount(count)} members; the ${c.title} audience has ${formatCount(c.matched as number)}; ${formatCount(best.both)} are in both (Jaccard ${best.jaccard.toFixed(2)}): ${formatCount(count - best.both)} list members do not meet the rule and ${formatCount((c.matched as number) - best.both)} who do are not on the list.`,
      priority: 'medium',
      recommendation: `Target the dynamic segment (${file ?? `create ${c.stage}.json`}) instead of the ${name} list: it keeps itself current. Keep the list only for people added on purpose (sign-ups, invitations).`,
      title: `List ${name}`,
      rule: `is in list ${name}`,
      use: c.use,
      status: 'needs business review',
    });
  });
  for (const entry of entries) {
    if (!entry.definition) continue;
    const frozen = frozenAudience(entry.definition, workspace.now);
    if (!frozen) continue;
    const listName = frozen.list ? (workspace.list(frozen.list)?.info.name ?? frozen.list) : undefined;
    finding({
      kind: 'list-vs-segment',
      files: [entry.input.file],
      evidence: listName
        ? `${entry.name} only selects the members of list ${listName}${entry.matched !== null ? ` (${audience(entry.matched)})` : ''}.`
        : `Every condition of ${entry.name} looks at fixed identifiers or at a period that has ended, so its ${entry.matched === null ? '' : `${formatCount(entry.matched)} `}members can no longer change.`,
      priority: 'low',
      recommendation: listName
        ? `Use the ${listName} list directly, or give the segment a condition of its own.`
        : 'A static list (imported once) says the same and keeps the audience frozen on purpose; retire the segment after creating the list.',
      title: entry.name,
      rule: entry.rule,
      use: useOf(entry, byStage),
      status: 'needs business review',
    });
  }

  findings.sort((x, y) => KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || PRIORITY_ORDER.indexOf(x.priority) - PRIORITY_ORDER.indexOf(y.priority));

  // 10. Inventory, tracker, summary.
  const inventory: SegmentInventoryEntry[] = entries.map((e) => ({
    file: e.input.file,
    name: e.name,
    rule: e.rule,
    matched: e.matched,
    share: e.matched === null ? null : round(share(e.matched)),
    metrics: e.metrics,
    lists: e.lists,
    stages: e.stages,
    ...(e.input.errors?.length ? { errors: e.input.errors } : {}),
    ...(e.notEvaluable.length ? { notEvaluable: e.notEvaluable } : {}),
  }));
  const tracker: TrackerRow[] = findings.map((f) => ({
    segment: f.title, files: f.files ?? (f.proposal ? [f.proposal.fileName] : []), kind: f.kind, ...(f.stage ? { stage: f.stage } : {}), rule: f.rule, evidence: f.evidence,
    use: f.use, priority: f.priority, owner: f.owner, status: f.status, cadence: f.cadence, recommendation: f.recommendation,
  }));
  const flagged = new Set(findings.filter((f) => f.kind !== 'missing').flatMap((f) => f.files ?? []));
  for (const e of entries) {
    if (flagged.has(e.input.file)) continue;
    const use = useOf(e, byStage);
    tracker.push({
      segment: e.name, files: [e.input.file], kind: 'covered', ...(e.stages.length ? { stage: e.stages[0] } : {}), rule: e.rule,
      evidence: e.matched === null ? `not evaluated: ${e.notEvaluable.join('; ')}` : `matches ${audience(e.matched)}${e.stages.length ? `; covers ${e.stages.join(', ')}` : ''}`,
      use, priority: 'low', owner: owners[use], status: e.matched === null ? 'refresh' : 'leave alone', cadence,
      recommendation: e.matched === null ? 'Fix the file so it can be evaluated.' : 'Nothing to do; review it with the others at the next refresh.',
    });
  }
  const summary = REVIEW_STATUSES.map((status: ReviewStatus) => {
    const items = tracker.filter((r) => r.status === status).map((r) => r.segment);
    return { status, count: items.length, items };
  });
  return {
    workspace: { name: workspace.name, ...(options.root ? { root: options.root } : {}), now: new Date(workspace.now).toISOString(), profiles: total, events: workspace.eventCount },
    thresholds,
    stages,
    segments: inventory,
    lists,
    findings,
    tracker,
    summary,
    elapsedMs: Date.now() - started,
  };
}

/** A metric or list reference (no `name` key when the workspace does not name it: the report is plain JSON). */
function withName(id: string, name: string | undefined, found: boolean): { id: string; name?: string; found: boolean } {
  return name === undefined ? { id, found } : { id, name, found };
}

function label(ref: { id: string; name?: string }): string {
  return ref.name ? `${ref.name} (${ref.id})` : ref.id;
}

function categoryOf(candidate: StageCandidate): string {
  return candidate.title.replace(/^Product interest: /, '').toLowerCase();
}

function useOf(entry: Entry, byStage: ReadonlyMap<string, StageCandidate>): IntendedUse {
  for (const stage of entry.stages) {
    const use = byStage.get(stage)?.use;
    if (use) return use;
  }
  return MARKETING_WORDS.test(entry.name) || MARKETING_WORDS.test(readableName(entry.input.file)) ? 'campaign targeting' : 'reporting';
}

/** Of two duplicates, the one to keep: the one covering a stage, else the one with its own name, else the first. */
function preferred(a: Entry, b: Entry): [Entry, Entry] {
  const score = (e: Entry) => (e.stages.length ? 2 : 0) + (e.input.name ? 1 : 0);
  return score(b) > score(a) ? [b, a] : [a, b];
}

/** " (closest: x.json, Jaccard 0.42)" when some file overlaps the proposal noticeably. */
function nearest(entries: readonly Entry[], candidate: StageCandidate): string {
  let best: { file: string; jaccard: number } | undefined;
  for (const e of entries) {
    if (!e.set || !candidate.set) continue;
    const j = jaccard(candidate.set, e.set);
    if (j.union > 0 && (!best || j.jaccard > best.jaccard)) best = { file: e.input.file, jaccard: j.jaccard };
  }
  return best && best.jaccard >= 0.3 ? ` (closest: ${best.file}, Jaccard ${best.jaccard.toFixed(2)})` : '';
}

function groupsOfRaw(definition: Record<string, unknown>): unknown[] {
  return Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
}

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
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
    if (isRecord(c) && c.type === 'profile-group-membership' && c.is_member === true && Array.isArray(c.group_ids) && c.group_ids.length === 1 && !isRecord(c.timeframe_filter) && typeof c.group_ids[0] === 'string') {
      return { list: c.group_ids[0] };
    }
  }
  const ended = (filter: unknown): boolean => {
    if (!isRecord(filter)) return false;
    // Like the evaluator, only a string is a static date; a missing or impossible one never ends a period.
    const instant = (v: unknown) => (typeof v === 'string' ? parseInstant(v) ?? NaN : NaN);
    if (filter.operator === 'before') return instant(filter.date) <= now;
    if (filter.operator === 'between-static') return instant(filter.end) < now;
    return false;
  };
  const isFrozen = (c: unknown): boolean => {
    if (!isRecord(c)) return false;
    if (c.type === 'profile-metric') return ended(c.timeframe_filter);
    if (c.type === 'profile-metric-funnel') return ended(c.timeframe_filter);
    if (c.type === 'profile-property') return typeof c.property === 'string' && IDENTIFIER_PROPERTIES.has(c.property) && isRecord(c.filter) && (c.filter.operator === 'equals' || c.filter.operator === 'in');
    return false;
  };
  return conditions.every(isFrozen) ? {} : undefined;
}

