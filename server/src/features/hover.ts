import { findNodeAtOffset, getNodePath, type Node } from 'jsonc-parser';
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ParsedSegment } from '../segment/parse';
import type { JsonSchema, SegmentSchema } from '../segment/schema';
import { childSchemas, declaredProperties, schemasAtPath } from '../segment/schemaNavigator';

export interface HoverServices {
  schema: SegmentSchema;
}

/** Hover: the schema documentation of a key, or of an enum value. */
export function hover(document: TextDocument, parsed: ParsedSegment, offset: number, services: HoverServices): Hover | null {
  if (!parsed.root) return null;
  const node = findNodeAtOffset(parsed.root, offset, true);
  if (!node || (node.type !== 'string' && node.type !== 'number' && node.type !== 'boolean')) return null;
  const property = node.parent?.type === 'property' ? node.parent : undefined;
  const range = { start: document.positionAt(node.offset), end: document.positionAt(node.offset + node.length) };
  if (property && property.children?.[0] === node) {
    const markdown = keyDocumentation(parsed, property, services.schema);
    return markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown }, range } : null;
  }
  const markdown = valueDocumentation(parsed, node, services.schema);
  return markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown }, range } : null;
}

function keyDocumentation(parsed: ParsedSegment, property: Node, schema: SegmentSchema): string | undefined {
  const objectNode = property.parent as Node;
  const key = String(property.children?.[0]?.value);
  const owner = schemasAtPath(schema, parsed.value, getNodePath(objectNode));
  const declared = declaredProperties(owner);
  if (!declared.has(key)) return undefined;
  const valueNode = property.children?.[1];
  const applicable = childSchemas(schema, owner, key, valueNode ? valueAt(parsed, getNodePath(valueNode)) : undefined);
  const ownerTitle = owner.schemas.find((s) => s.title)?.title;
  const lines = [`**${key}**${ownerTitle ? ` · ${ownerTitle}` : ''}`, ''];
  const descriptions = unique([declared.get(key)?.description, ...applicable.schemas.map((s) => s.description)]);
  lines.push(...descriptions.slice(0, 2).map((d) => `${d}\n`));
  const values = enumValues(applicable.schemas);
  if (values.length) {
    lines.push('', ...values.map(([value, description]) => `- \`${JSON.stringify(value)}\`${description ? `: ${description}` : ''}`));
  }
  return lines.join('\n').trim();
}

function valueDocumentation(parsed: ParsedSegment, node: Node, schema: SegmentSchema): string | undefined {
  const applicable = schemasAtPath(schema, parsed.value, getNodePath(node));
  const match = enumValues(applicable.schemas).find(([value]) => value === node.value);
  if (!match?.[1]) return undefined;
  return `\`${JSON.stringify(match[0])}\`: ${match[1]}`;
}

function enumValues(schemas: readonly JsonSchema[]): [unknown, string | undefined][] {
  const values = new Map<unknown, string | undefined>();
  for (const s of schemas) {
    if ('const' in s) values.set(s.const, values.get(s.const) ?? s.description);
    (s.enum ?? []).forEach((value, i) => values.set(value, values.get(value) ?? s.enumDescriptions?.[i]));
  }
  return [...values.entries()];
}

function valueAt(parsed: ParsedSegment, path: (string | number)[]): unknown {
  let value: unknown = parsed.value;
  for (const key of path) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string | number, unknown>)[key];
  return value;
}

function unique(texts: (string | undefined)[]): string[] {
  return [...new Set(texts.filter((t): t is string => Boolean(t)))];
}
