import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CountsReport } from '../protocol';
import type { ParsedSegment } from '../segment/parse';
import { conditionGroups } from '../segment/structure';
import { countText } from './countsText';

/** An inlay hint after each condition with its own count (only for the current version's counts). */
export function inlayHints(document: TextDocument, parsed: ParsedSegment, report: CountsReport | undefined, range: Range): InlayHint[] {
  if (report?.state !== 'ok') return [];
  const first = document.offsetAt(range.start);
  const last = document.offsetAt(range.end);
  const hints: InlayHint[] = [];
  for (const group of conditionGroups(parsed)) {
    for (const condition of group.conditions) {
      const end = condition.node.offset + condition.node.length;
      if (end < first || end > last) continue;
      const result = report.groups[group.groupIndex]?.conditions[condition.conditionIndex];
      if (!result) continue;
      hints.push({
        position: document.positionAt(end),
        label: result.matched === null ? ' not evaluable locally' : ` ${countText(result.matched)} ${result.matched === 1 ? 'profile' : 'profiles'}`,
        kind: InlayHintKind.Parameter,
        paddingLeft: true,
        tooltip: result.notEvaluable ? `Not evaluable locally: ${result.notEvaluable}` : result.description,
      });
    }
  }
  return hints;
}
