import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI, Utils } from 'vscode-uri';
import { definitionValue, segmentName, type ParsedSegment } from '../segment/parse';
import { fixToAction } from './codeActions';

function titleCase(fileName: string): string {
  return fileName
    .replace(/\.(segment\.)?json$/, '')
    .replace(/^segment-/, '')
    .replace(/[-_]+/g, ' ')
    .replace(/\b\w/g, (c) => c.toUpperCase());
}

/**
 * Rewrites between the shapes a segment file can have: a bare definition, a Segments API create
 * body, an update body (needs the segment's ID). Offered as refactorings, applied only when chosen.
 */
export function shapeConversions(document: TextDocument, parsed: ParsedSegment): CodeAction[] {
  const definition = definitionValue(parsed);
  if (!definition || !parsed.root) return [];
  const value = parsed.value as { id?: unknown; data?: { id?: unknown } };
  const id = parsed.shape === 'resource' ? value.id : parsed.shape === 'update-body' ? value.data?.id : undefined;
  const name = segmentName(parsed) ?? titleCase(Utils.basename(URI.parse(document.uri)));
  const whole = { offset: parsed.root.offset, length: parsed.root.length };
  const pretty = (v: unknown) => JSON.stringify(v, null, 2);
  const actions: CodeAction[] = [];
  const rewrite = (title: string, v: unknown) =>
    actions.push(fixToAction(document, { title, edits: [{ ...whole, newText: pretty(v) }] }, [], CodeActionKind.RefactorRewrite));
  if (parsed.shape !== 'definition') rewrite('Convert to a bare definition', definition);
  if (parsed.shape !== 'create-body')
    rewrite('Convert to a Segments API create body (POST)', { data: { type: 'segment', attributes: { name, definition, is_starred: false } } });
  if (parsed.shape !== 'update-body' && typeof id === 'string')
    rewrite('Convert to a Segments API update body (PATCH)', { data: { type: 'segment', id, attributes: { name, definition } } });
  return actions;
}
