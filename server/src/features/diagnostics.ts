import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix, Problem, ProblemSeverity } from '../segment/problem';

/** The `source` of every diagnostic Segment Lens publishes. */
export const DIAGNOSTIC_SOURCE = 'segment-lens';

/** What a diagnostic carries in `data` so code actions can offer its fixes. */
export interface DiagnosticData {
  fixes?: Fix[];
}

const SEVERITIES: Record<ProblemSeverity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Turns problems (offsets) into LSP diagnostics (positions) for `document`. */
export function toDiagnostics(document: TextDocument, problems: readonly Problem[]): Diagnostic[] {
  return problems.map((problem) => {
    const tags: DiagnosticTag[] = [];
    if (problem.deprecated) tags.push(DiagnosticTag.Deprecated);
    if (problem.unnecessary) tags.push(DiagnosticTag.Unnecessary);
    const data: DiagnosticData = { fixes: problem.fixes };
    return {
      range: { start: document.positionAt(problem.offset), end: document.positionAt(problem.offset + problem.length) },
      severity: SEVERITIES[problem.severity],
      source: DIAGNOSTIC_SOURCE,
      code: problem.code,
      message: problem.message,
      tags: tags.length ? tags : undefined,
      data,
    };
  });
}
