/**
 * Missing segments: lifecycle and product-interest stages the data supports but no file covers,
 * and consent-safe versions of marketing audiences that include people who cannot receive email
 * marketing. Rules: docs/coverage.md, "Lifecycle stages and their proposals".
 */
import { describeDefinition } from '../../engine/describe';
import type { Evaluator } from '../../engine/evaluator';
import type { Cancellation } from '../../engine/outcome';
import { emailConsentCondition, segmentFileText } from '../definitions';
import { audience, isMarketing, shareOf, type Entry, type NewFinding, type Review } from '../review';
import type { StageCandidate } from '../stages';
import { formatCount, formatShare, jaccard, slug } from '../stats';
import type { Priority } from '../types';

const lower = (p: Priority): Priority => (p === 'high' ? 'medium' : 'low');

/** A supported stage no file covers: the proposal, one priority step lower under 1% of profiles. */
export function missingStageFindings(review: Review): NewFinding[] {
  const findings: NewFinding[] = [];
  for (const coverage of review.stages) {
    const candidate = review.byStage.get(coverage.stage);
    if (!candidate || !coverage.supported || coverage.coveredBy.length) continue;
    const matched = candidate.matched as number;
    findings.push({
      kind: 'missing',
      stage: candidate.stage,
      evidence: `${audience(review, matched)}: ${candidate.basis}. No segment file defines it${nearest(review.entries, candidate)}.`,
      priority: shareOf(review, matched) < 0.01 ? lower(candidate.priority) : candidate.priority,
      recommendation: candidate.recommendation,
      title: candidate.title,
      rule: describeDefinition(candidate.definition, review.names),
      use: candidate.use,
      status: candidate.status,
      proposal: { fileName: `${candidate.stage}.json`, definition: candidate.definition, text: segmentFileText(candidate.definition), matched },
    });
  }
  return findings;
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

/**
 * A file covering a stage, or named for marketing, without a consent group, whose audience
 * includes people who cannot receive email marketing, and that no other file already narrows.
 */
export function consentSafeFindings(review: Review, evaluator: Evaluator, cancellation?: Cancellation): NewFinding[] {
  const consent = evaluator.evaluateCondition(emailConsentCondition(), { cancellation }).outcome;
  if (consent.kind !== 'matched') return [];
  const findings: NewFinding[] = [];
  const usedStages = new Set<string>();
  for (const entry of review.entries) {
    if (!entry.definition || !entry.set || !entry.matched || entry.consent) continue;
    const stageUse = entry.stages.map((s) => review.byStage.get(s)?.use).find((u) => u !== undefined);
    if (!stageUse && !isMarketing(entry)) continue;
    const safe = entry.set.and(consent.set);
    const safeCount = safe.count();
    const excluded = entry.matched - safeCount;
    if (excluded <= 0 || safeCount === 0) continue;
    const covered = review.entries.some(
      (other) =>
        other !== entry &&
        other.consent &&
        (other.keyWithoutConsent === entry.key || (other.set !== undefined && jaccard(other.set, safe).jaccard >= review.thresholds.duplicateJaccard)),
    );
    if (covered) continue;
    let stage = `consent-safe-${slug(entry.name)}`;
    for (let i = 2; usedStages.has(stage); i++) stage = `consent-safe-${slug(entry.name)}-${i}`;
    usedStages.add(stage);
    const definition = { condition_groups: [...structuredCloneJson(groupsOfRaw(entry.definition)), { conditions: [emailConsentCondition()] }] };
    findings.push({
      kind: 'missing',
      stage,
      files: [entry.input.file],
      evidence: `${formatCount(excluded)} of its ${formatCount(entry.matched)} members (${formatShare(excluded / entry.matched)}) cannot receive email marketing; the consent-safe version has ${formatCount(safeCount)}.`,
      priority: excluded / entry.matched >= 0.25 ? 'medium' : 'low',
      recommendation: `Create a consent-safe version of ${entry.name} for exports, ad audiences and honest sizing (Klaviyo skips non-consenting recipients at send time, but syncs and counts do not).`,
      title: `${entry.name} (can receive email)`,
      rule: describeDefinition(definition, review.names),
      use: stageUse ?? 'campaign targeting',
      status: 'ready to create',
      proposal: {
        fileName: `${stage.replace(/^consent-safe-/, '')}-can-receive-email.json`,
        definition,
        text: segmentFileText(definition),
        matched: safeCount,
      },
    });
  }
  return findings;
}

function groupsOfRaw(definition: Record<string, unknown>): unknown[] {
  return Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
}

function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
