/**
 * The segment files, evaluated and read (which stages their shape names), and which file covers
 * which stage: by shape, else (files whose shape says nothing) by membership. Rules:
 * docs/coverage.md, "Which file covers which stage".
 */
import { describeDefinition, type NameLookup } from '../engine/describe';
import type { Evaluator } from '../engine/evaluator';
import type { Cancellation } from '../engine/outcome';
import type { Workspace } from '../engine/workspace';
import { definitionKey, referencedIds, requiresEmailConsent } from './definitions';
import { recognizeStages, type RecognizeContext } from './recognize';
import type { Entry } from './review';
import { LIFECYCLE_STAGES, type StageCandidate, type UnsupportedStage } from './stages';
import { formatCount, jaccard, readableName, round } from './stats';
import type { CoverageSegmentInput, CoverageThresholds, ListRef, MetricRef, StageCoverage } from './types';

/** Each file with its rule, references, evaluation and the stages its shape names. */
export function readEntries(
  workspace: Workspace,
  segments: readonly CoverageSegmentInput[],
  names: NameLookup,
  recognize: RecognizeContext,
  byStage: ReadonlyMap<string, StageCandidate>,
  evaluator: Evaluator,
  cancellation?: Cancellation,
): Entry[] {
  return segments.map((input) => {
    const name = input.name ?? readableName(input.file);
    const definition = input.errors?.length ? undefined : input.definition;
    const ids = referencedIds(input.definition);
    const metrics = ids.metrics.map((id): MetricRef => withName(id, workspace.metric(id)?.info.name, workspace.metric(id) !== undefined));
    const lists = ids.lists.map((id): ListRef => withName(id, workspace.list(id)?.info.name, workspace.list(id) !== undefined));
    const rule = input.definition ? describeDefinition(input.definition, names) : 'no segment definition';
    if (!definition) {
      return {
        input,
        name,
        rule,
        matched: null,
        notEvaluable: input.errors?.length ? ['the file has errors'] : ['the file holds no segment definition'],
        metrics,
        lists,
        shapeStages: [],
        stages: [],
      };
    }
    const result = evaluator.evaluateDefinition(definition, { cancellation });
    const shapeStages = recognizeStages(definition, recognize).filter((s) => byStage.has(s) || (LIFECYCLE_STAGES as readonly string[]).includes(s));
    return {
      input,
      name,
      rule,
      definition,
      set: result.set,
      matched: result.matched,
      notEvaluable: [...result.notEvaluable],
      metrics,
      lists,
      shapeStages,
      stages: [...shapeStages],
      key: definitionKey(definition),
      keyWithoutConsent: definitionKey(definition, { withoutConsent: true }),
      consent: requiresEmailConsent(definition),
    };
  });
}

/** A metric or list reference (no `name` key when the workspace does not name it: the report is plain JSON). */
function withName(id: string, name: string | undefined, found: boolean): { id: string; name?: string; found: boolean } {
  return name === undefined ? { id, found } : { id, name, found };
}

/**
 * How each stage is covered, in candidate order, then the stages the data cannot support. A
 * file covering a stage by membership gets the stage added to its `stages`.
 */
export function stageCoverage(
  candidates: readonly StageCandidate[],
  unsupported: readonly UnsupportedStage[],
  entries: readonly Entry[],
  thresholds: CoverageThresholds,
): StageCoverage[] {
  const minAudience = thresholds.minAudience;
  const stages: StageCoverage[] = [];
  for (const candidate of candidates) {
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
      basis: supported
        ? candidate.basis
        : candidate.matched === null || candidate.matched === undefined
          ? 'not evaluable locally'
          : `only ${formatCount(candidate.matched)} profiles (fewer than ${formatCount(minAudience)})`,
      coveredBy,
    });
  }
  for (const u of unsupported)
    stages.push({
      stage: u.stage,
      title: u.title,
      matched: null,
      supported: false,
      basis: u.basis,
      coveredBy: entries.filter((e) => e.shapeStages.includes(u.stage)).map((e) => ({ file: e.input.file, how: 'definition', jaccard: null })),
    });
  return stages;
}
