import { findNodeAtOffset, format, type Node } from 'jsonc-parser';
import { SymbolKind, type DocumentSymbol, type FoldingRange, type Range, type SelectionRange, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { describeCondition, describeGroup, type NameLookup } from '../engine/describe';
import { segmentName, type ParsedSegment } from '../segment/parse';
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
  return [{
    name: segmentName(parsed) ?? 'Segment definition',
    detail: parsed.shape,
    kind: SymbolKind.Object,
    range: rangeOf(document, anchor),
    selectionRange: rangeOf(document, anchor),
    children: groups,
  }];
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
      if (!last || last.start.line !== range.start.line || last.start.character !== range.start.character || last.end.line !== range.end.line || last.end.character !== range.end.character) chain.push(range);
      node = node.parent;
    }
    let selection: SelectionRange | undefined;
    for (let i = chain.length - 1; i >= 0; i--) selection = { range: chain[i], parent: selection };
    const position = document.positionAt(offset);
    return selection ?? { range: { start: position, end: position } };
  });
}

/** Formatting in the style of Klaviyo's API examples: 2-space indent, `"key": value`. */
export function formatDocument(document: TextDocument, options: { tabSize: number; insertSpaces: boolean }, range?: Range): TextEdit[] {
  const text = document.getText();
  const edits = format(text, range ? { offset: document.offsetAt(range.start), length: document.offsetAt(range.end) - document.offsetAt(range.start) } : undefined, {
    tabSize: options.tabSize || 2,
    insertSpaces: options.insertSpaces !== false,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
    insertFinalNewline: true,
  });
  return edits.map((edit) => ({ range: { start: document.positionAt(edit.offset), end: document.positionAt(edit.offset + edit.length) }, newText: edit.content }));
}
