import { findNodeAtOffset, type Node } from 'jsonc-parser';
import type { Location } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { WorkspaceSummary } from '../engine/catalog';
import type { ParsedSegment } from '../segment/parse';
import { conditionGroups, propertyValueNode } from '../segment/structure';

/** A metric or list ID under the cursor. */
export interface IdAtCursor {
  kind: 'metric' | 'list';
  id: string;
  node: Node;
}

export function idAt(parsed: ParsedSegment, offset: number): IdAtCursor | undefined {
  if (!parsed.root) return undefined;
  const node = findNodeAtOffset(parsed.root, offset, true);
  if (node?.type !== 'string' || typeof node.value !== 'string') return undefined;
  if (node.parent?.type === 'property' && node.parent.children?.[1] === node && node.parent.children[0].value === 'metric_id')
    return { kind: 'metric', id: node.value, node };
  if (node.parent?.type === 'array' && node.parent.parent?.children?.[0]?.value === 'group_ids') return { kind: 'list', id: node.value, node };
  return undefined;
}

/** Go to definition: a metric or list ID → its record in the workspace's metrics.json / lists.json. */
export function definition(parsed: ParsedSegment, offset: number, workspace: WorkspaceSummary | undefined): Location[] {
  const target = idAt(parsed, offset);
  if (!target || !workspace) return [];
  const record = target.kind === 'metric' ? workspace.metrics.find((m) => m.id === target.id) : workspace.lists.find((l) => l.id === target.id);
  const source = record?.source;
  if (!source) return [];
  const line = Math.max(0, source.line - 1);
  return [{ uri: URI.file(source.file).toString(), range: { start: { line, character: 0 }, end: { line, character: 0 } } }];
}

/** Every metric or list ID node in a parsed segment file that equals `id`. */
export function idNodes(parsed: ParsedSegment, kind: 'metric' | 'list', id: string): Node[] {
  const found: Node[] = [];
  for (const group of conditionGroups(parsed)) {
    for (const condition of group.conditions) {
      const nodes =
        kind === 'metric'
          ? [
              propertyValueNode(condition.node, 'metric_id'),
              ...(propertyValueNode(condition.node, 'steps')?.children ?? []).map((s) => propertyValueNode(s, 'metric_id')),
            ]
          : (propertyValueNode(condition.node, 'group_ids')?.children ?? []);
      for (const n of nodes) if (n?.type === 'string' && n.value === id) found.push(n);
    }
  }
  return found;
}

/** Find references: the same metric or list ID in every segment file of the workspace. */
export function references(
  document: TextDocument,
  parsed: ParsedSegment,
  offset: number,
  segments: { uri: string; parsed: ParsedSegment; document?: TextDocument }[],
  includeDeclaration: boolean,
  workspace: WorkspaceSummary | undefined,
): Location[] {
  const target = idAt(parsed, offset);
  if (!target) return [];
  const locations: Location[] = [];
  for (const segment of segments) {
    const text = segment.parsed.text;
    for (const node of idNodes(segment.parsed, target.kind, target.id)) {
      const start = positionIn(text, node.offset);
      const end = positionIn(text, node.offset + node.length);
      locations.push({ uri: segment.uri, range: { start, end } });
    }
  }
  if (!segments.some((s) => s.uri === document.uri)) {
    for (const node of idNodes(parsed, target.kind, target.id))
      locations.push({ uri: document.uri, range: { start: document.positionAt(node.offset), end: document.positionAt(node.offset + node.length) } });
  }
  if (includeDeclaration) locations.push(...definition(parsed, offset, workspace));
  return locations;
}

function positionIn(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: offset - lineStart };
}
