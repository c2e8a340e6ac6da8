import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CountsReport, HeadDiffResult } from '../protocol';
import type { ParsedSegment } from '../segment/parse';
import { conditionGroups } from '../segment/structure';
import { countText, headline } from './countsText';

export const EVALUATE_COMMAND = 'segmentLens.evaluate';
/** The client's command that opens the comparison with git HEAD (client/src/headDiffPanel.ts). */
export const HEAD_DIFF_COMMAND = 'segmentLens.showHeadDiff';

const number = (n: number) => n.toLocaleString('en-US');

/**
 * The title of the "since HEAD" lens, or undefined when there is nothing to say: the file is
 * unchanged, outside git, or not compared yet.
 */
export function headDiffTitle(diff: HeadDiffResult | undefined): string | undefined {
  switch (diff?.state) {
    case 'changed':
      return diff.added === null || diff.removed === null
        ? 'Changed since HEAD (not comparable)'
        : `+${number(diff.added)} / −${number(diff.removed)} since HEAD`;
    case 'new':
    case 'untracked': {
      const what = diff.state === 'untracked' ? 'New since HEAD (untracked)' : 'New since HEAD';
      return diff.added === null ? what : `${what}: +${number(diff.added)}`;
    }
    case 'no-commits':
      return 'New: the repository has no commits yet';
    default:
      return undefined;
  }
}

/**
 * Code lenses: the segment's count above the definition (click: open the preview), how it
 * changed since git HEAD (click: open the comparison), and each group's count with the running
 * AND above the group. Reads the counts computed for this
 * document version; while they are being computed it says so instead of showing a stale number.
 */
export function codeLenses(document: TextDocument, parsed: ParsedSegment, report: CountsReport | undefined, headDiff?: HeadDiffResult): CodeLens[] {
  const anchor = parsed.definition ?? (parsed.shape === 'condition' ? parsed.root : undefined);
  if (!anchor) return [];
  const at = (offset: number) => {
    const position = document.positionAt(offset);
    return { start: position, end: position };
  };
  const lenses: CodeLens[] = [
    { range: at(anchor.offset), command: { title: headline(report), command: EVALUATE_COMMAND, arguments: [document.uri] } },
    { range: at(anchor.offset), command: { title: 'Evaluate', command: EVALUATE_COMMAND, arguments: [document.uri] } },
  ];
  const sinceHead = headDiffTitle(headDiff);
  if (sinceHead) lenses.push({ range: at(anchor.offset), command: { title: sinceHead, command: HEAD_DIFF_COMMAND, arguments: [document.uri] } });
  if (report?.state !== 'ok') return lenses;
  const groups = conditionGroups(parsed);
  if (groups.length < 2) return lenses;
  groups.forEach((group, g) => {
    const result = report.groups[g];
    if (!result) return;
    const after = g > 0 ? ` · after AND: ${countText(result.afterAnd)}` : '';
    lenses.push({
      range: at(group.node.offset),
      command: { title: `group ${g + 1}: ${countText(result.matched)}${after}`, command: EVALUATE_COMMAND, arguments: [document.uri] },
    });
  });
  return lenses;
}
