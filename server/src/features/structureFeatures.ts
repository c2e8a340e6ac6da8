import { findNodeAtOffset, format, type EditResult, type Node } from 'jsonc-parser';
import { SymbolKind, type DocumentSymbol, type FoldingRange, type Range, type SelectionRange, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { describeCondition, describeGroup, type NameLookup } from '../engine/describe';
import { MAX_NESTING_DEPTH, scanNesting, segmentName, type ParsedSegment } from '../segment/parse';
import { conditionGroups } from '../segment/structure';

function rangeOf(document: TextDocument, node: Node): Range {
  return { start: document.positionAt(node.offset), end: document.positionAt(node.offset + node.length) };
}

/** Outline: the segment, its groups and their conditions, named in plain English. */
export function documentSymbols(document: TextDocument, parsed: ParsedSegment, names: NameLookup = {}): DocumentSymbol[] {
  const anchor = parsed.definition ?? (parsed.shape === 'condition' ? parsed.root : undefined);
  if (!anchor) return [];
  const groups = conditionGroups(parsed).map((group): DocumentSymbol => ({
    name: `Group ${group.groupIndex + 1}${group.groupIndex > 0 ? ' (AND)' : ''}`,
    detail: describeGroup({ conditions: group.conditions.map((c) => c.value) }, names),
    kind: SymbolKind.Namespace,
    range: rangeOf(document, group.node),
    selectionRange: rangeOf(document, group.node),
    children: group.conditions.map((condition) => ({
      name: describeCondition(condition.value, names),
      detail: String(condition.value.type ?? ''),
      kind: SymbolKind.Boolean,
      range: rangeOf(document, condition.node),
      selectionRange: rangeOf(document, condition.node),
    })),
  }));
  return [
    {
      name: segmentName(parsed) ?? 'Segment definition',
      detail: parsed.shape,
      kind: SymbolKind.Object,
      range: rangeOf(document, anchor),
      selectionRange: rangeOf(document, anchor),
      children: groups,
    },
  ];
}

/** Folding: every object and array that spans lines. */
export function foldingRanges(document: TextDocument, parsed: ParsedSegment): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const visit = (node: Node): void => {
    if (node.type === 'object' || node.type === 'array') {
      const start = document.positionAt(node.offset).line;
      const end = document.positionAt(node.offset + node.length).line;
      if (end > start) ranges.push({ startLine: start, endLine: end - 1 });
    }
    for (const child of node.children ?? []) visit(child);
  };
  if (parsed.root) visit(parsed.root);
  return ranges;
}

/** Smart select: value → property → object → … → file. */
export function selectionRanges(document: TextDocument, parsed: ParsedSegment, offsets: number[]): SelectionRange[] {
  return offsets.map((offset) => {
    let node = parsed.root ? findNodeAtOffset(parsed.root, offset, true) : undefined;
    const chain: Range[] = [];
    while (node) {
      const range = rangeOf(document, node);
      const last = chain[chain.length - 1];
      if (
        !last ||
        last.start.line !== range.start.line ||
        last.start.character !== range.start.character ||
        last.end.line !== range.end.line ||
        last.end.character !== range.end.character
      )
        chain.push(range);
      node = node.parent;
    }
    let selection: SelectionRange | undefined;
    for (let i = chain.length - 1; i >= 0; i--) selection = { range: chain[i], parent: selection };
    const position = document.positionAt(offset);
    return selection ?? { range: { start: position, end: position } };
  });
}

/**
 * Limits of formatting (docs/semantics.md, "Limits"). jsonc-parser's formatter runs on the
 * server's only thread and its output grows with the nesting depth (each line is indented), so a
 * document past a limit is not formatted at all.
 */
export const FORMAT_LIMITS = {
  /** Characters of the document (a definition at Klaviyo's limit of 100 conditions is about 30,000). */
  maxLength: 1_000_000,
  /** Characters the formatted text may add (its indentation and line breaks), estimated before formatting. */
  maxAddedLength: 4_000_000,
  /**
   * Milliseconds, checked while the formatter's edits become the editor's. The formatter itself
   * cannot be interrupted; the two limits above keep it under about half a second.
   */
  budgetMs: 1_000,
  /** More edits than this come back as one edit that replaces the formatted part: cheaper to send and to apply. */
  maxEdits: 1_000,
};

export interface FormatOutcome {
  edits: TextEdit[];
  /** Why the document was not formatted (for the log), when it was not. */
  declined?: string;
}

/** Formatting in the style of Klaviyo's API examples: 2-space indent, `"key": value`. */
export function formatDocument(document: TextDocument, options: { tabSize: number; insertSpaces: boolean }, range?: Range): TextEdit[] {
  return formatWithinLimits(document, options, range).edits;
}

/** formatDocument, saying why when it declines (see FORMAT_LIMITS); `now` is the clock of the time budget. */
export function formatWithinLimits(
  document: TextDocument,
  options: { tabSize: number; insertSpaces: boolean },
  range?: Range,
  limits = FORMAT_LIMITS,
  now: () => number = Date.now,
): FormatOutcome {
  const started = now();
  const text = document.getText();
  const number = (n: number) => n.toLocaleString('en-US');
  if (text.length > limits.maxLength)
    return { edits: [], declined: `the document has ${number(text.length)} characters; formatting stops at ${number(limits.maxLength)}` };
  const tabSize = options.tabSize || 2;
  const insertSpaces = options.insertSpaces !== false;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const scan = scanNesting(text);
  if (scan.tooDeep.length > 0) return { edits: [], declined: `values are nested more than ${MAX_NESTING_DEPTH} levels deep` };
  // Every bracket and comma may start a new line, indented by its depth.
  const added = scan.breakPoints * eol.length + scan.depthSum * (insertSpaces ? tabSize : 1);
  if (added > limits.maxAddedLength)
    return { edits: [], declined: `formatting would add about ${number(added)} characters of indentation; the limit is ${number(limits.maxAddedLength)}` };
  const offsetRange = range ? { offset: document.offsetAt(range.start), length: document.offsetAt(range.end) - document.offsetAt(range.start) } : undefined;
  const edits = format(text, offsetRange, { tabSize, insertSpaces, eol, insertFinalNewline: true });
  if (edits.length > limits.maxEdits) {
    // One edit from the first change to the last, with every change applied in between.
    const from = edits[0].offset;
    const to = edits[edits.length - 1].offset + edits[edits.length - 1].length;
    return { edits: [{ range: { start: document.positionAt(from), end: document.positionAt(to) }, newText: applyInOrder(text, edits, from, to) }] };
  }
  const result: TextEdit[] = [];
  for (const edit of edits) {
    if ((result.length & 0xff) === 0 && now() - started > limits.budgetMs)
      return { edits: [], declined: `formatting took more than ${number(limits.budgetMs)} ms` };
    result.push({ range: { start: document.positionAt(edit.offset), end: document.positionAt(edit.offset + edit.length) }, newText: edit.content });
  }
  return { edits: result };
}

/**
 * The text of [from, to) with `edits` (in document order, not overlapping, as the formatter makes
 * them) applied, in one pass: jsonc-parser's applyEdits copies the whole text once per edit.
 */
function applyInOrder(text: string, edits: EditResult, from: number, to: number): string {
  const pieces: string[] = [];
  let at = from;
  for (const edit of edits) {
    pieces.push(text.slice(at, edit.offset), edit.content);
    at = edit.offset + edit.length;
  }
  pieces.push(text.slice(at, to));
  return pieces.join('');
}
