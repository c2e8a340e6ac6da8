import type { Evaluator } from '../engine/evaluator';
import type { Cancellation } from '../engine/outcome';
import type { Workspace } from '../engine/workspace';
import { definitionValue, parseSegment, segmentName } from '../segment/parse';
import { analyzeCoverage } from './analyze';
import { coverageCsv, coverageMarkdown } from './render';
import type { CoverageOptions, CoverageReply, CoverageSegmentInput, CoverageSegmentSource } from './types';

export { analyzeCoverage, DEFAULT_OWNERS } from './analyze';
export { segmentFileText } from './definitions';
export { coverageCsv, coverageJson, coverageMarkdown, coverageText, type CoverageJson } from './render';
export { LIFECYCLE_STAGES } from './stages';
export * from './types';

/**
 * Segment files as text → the analysis' input. The caller's validation errors are kept; without
 * them, JSON syntax errors count (the worker does not run the schema).
 */
export function coverageInputs(sources: readonly CoverageSegmentSource[]): CoverageSegmentInput[] {
  return sources.map((source) => {
    const parsed = parseSegment(source.text);
    const errors = source.errors ?? parsed.syntaxProblems.filter((p) => p.code === 'json-syntax').map((p) => p.message);
    return { file: source.file, name: segmentName(parsed), definition: definitionValue(parsed), ...(errors.length ? { errors } : {}) };
  });
}

/**
 * What the evaluation worker answers to a `coverage` request: the report and its Markdown and
 * CSV renderings (the webview saves them when asked).
 */
export function coverageReply(
  workspace: Workspace,
  sources: readonly CoverageSegmentSource[],
  options: CoverageOptions = {},
  evaluator?: Evaluator,
  cancellation?: Cancellation,
): CoverageReply {
  const report = analyzeCoverage(workspace, coverageInputs(sources), options, evaluator, cancellation);
  return { report, markdown: coverageMarkdown(report), csv: coverageCsv(report) };
}
