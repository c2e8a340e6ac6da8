import { findNodeAtOffset, getNodePath, type Node } from 'jsonc-parser';
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { WorkspaceSummary } from '../engine/catalog';
import { describeCondition, describeDefinition, describeGroup, type NameLookup } from '../engine/describe';
import { conditionNotes } from '../engine/notes';
import type { CountsReport } from '../protocol';
import { definitionValue, isTooDeep, type ParsedSegment } from '../segment/parse';
import type { JsonSchema, SegmentSchema } from '../segment/schema';
import { childSchemas, declaredProperties, schemasAtPath } from '../segment/schemaNavigator';
import { conditionGroups } from '../segment/structure';
import { countText } from './countsText';

export interface HoverServices {
  schema: SegmentSchema;
  workspace?: WorkspaceSummary;
  names?: NameLookup;
  /** The counts of this document version, when computed. */
  counts?: CountsReport;
}

/**
 * Hover: for IDs, the metric or list they name; on a condition's `type`, a plain-English reading
 * of the condition with its count and the evaluation rules that apply; on `condition_groups`,
 * the whole definition; on any other key, its schema documentation.
 */
export function hover(document: TextDocument, parsed: ParsedSegment, offset: number, services: HoverServices): Hover | null {
  // Past the nesting limit the tree holds a placeholder, not what the user wrote: nothing to say.
  if (!parsed.root || isTooDeep(parsed, offset)) return null;
  const node = findNodeAtOffset(parsed.root, offset, true);
  if (!node || (node.type !== 'string' && node.type !== 'number' && node.type !== 'boolean')) return null;
  const property = node.parent?.type === 'property' ? node.parent : undefined;
  const range = { start: document.positionAt(node.offset), end: document.positionAt(node.offset + node.length) };
  const markdown =
    idDocumentation(node, services) ??
    readingDocumentation(parsed, node, services) ??
    (property && property.children?.[0] === node ? keyDocumentation(parsed, property, services.schema) : valueDocumentation(parsed, node, services.schema));
  return markdown ? { contents: { kind: MarkupKind.Markdown, value: markdown }, range } : null;
}

const number = (n: number) => n.toLocaleString('en-US');

/** A metric or list ID: what it names in the workspace. */
function idDocumentation(node: Node, services: HoverServices): string | undefined {
  if (node.type !== 'string' || !services.workspace) return undefined;
  const key =
    node.parent?.type === 'property' ? node.parent.children?.[0]?.value : node.parent?.type === 'array' ? node.parent.parent?.children?.[0]?.value : undefined;
  const id = String(node.value);
  if (key === 'metric_id') {
    const m = services.workspace.metrics.find((metric) => metric.id === id);
    if (!m) return `**Unknown metric** \`${id}\`: not in workspace ${services.workspace.name}.`;
    return [
      `**${m.name ?? id}** · metric \`${id}\``,
      '',
      `${m.integration ? `${m.integration}${m.category ? ` (${m.category})` : ''}` : 'Integration unknown'}`,
      '',
      `${number(m.eventCount)} events from ${number(m.profileCount)} profiles${m.firstEvent ? `, first ${m.firstEvent.slice(0, 10)}, last ${m.lastEvent?.slice(0, 10)}` : ''}.`,
      m.valueCount ? `${number(m.valueCount)} events carry a $value (sum is meaningful).` : 'No event carries a $value (a sum would be 0).',
    ].join('\n');
  }
  if (key === 'group_ids') {
    const l = services.workspace.lists.find((list) => list.id === id);
    if (!l) return `**Unknown list** \`${id}\`: not in workspace ${services.workspace.name}.`;
    return `**${l.name ?? id}** · list \`${id}\`\n\n${number(l.memberCount)} members${l.optInProcess ? ` · ${l.optInProcess.replace(/_/g, ' ')}` : ''}.`;
  }
  return undefined;
}

/** On a condition's `type` (key or value) or on `condition_groups`: the plain-English reading. */
function readingDocumentation(parsed: ParsedSegment, node: Node, services: HoverServices): string | undefined {
  const property = node.parent?.type === 'property' ? node.parent : undefined;
  const key = property?.children?.[0]?.value;
  const names = services.names ?? {};
  if (key === 'condition_groups' && property?.children?.[0] === node) {
    const definition = definitionValue(parsed);
    const counts =
      services.counts?.state === 'ok' && services.counts.matched !== null
        ? `\n\nMatches ${number(services.counts.matched)} of ${number(services.counts.total)} profiles in ${services.counts.workspace?.name ?? 'the workspace'}.`
        : '';
    return `**Segment:** ${describeDefinition(definition, names)}${counts}\n\nGroups are ANDed; the conditions inside a group are ORed.`;
  }
  if (key !== 'type') return undefined;
  for (const group of conditionGroups(parsed)) {
    for (const condition of group.conditions) {
      if (property?.parent !== condition.node) continue;
      const result = services.counts?.state === 'ok' ? services.counts.groups[group.groupIndex]?.conditions[condition.conditionIndex] : undefined;
      const count = result
        ? `\n\n${result.matched === null ? `Not evaluable locally: ${result.notEvaluable}` : `${countText(result.matched)} profiles match this condition.`}`
        : '';
      const inGroup =
        group.conditions.length > 1
          ? `\n\nGroup ${group.groupIndex + 1} (ORed): ${describeGroup({ conditions: group.conditions.map((c) => c.value) }, names)}`
          : '';
      const notes = conditionNotes(condition.value);
      const schemaDoc =
        property?.children?.[1] === node ? valueDocumentation(parsed, node, services.schema) : keyDocumentation(parsed, property, services.schema);
      return `**Reads:** ${describeCondition(condition.value, names)}${count}${inGroup}${notes.length ? `\n\n${notes.map((n) => `- ${n}`).join('\n')}` : ''}${schemaDoc ? `\n\n---\n\n${schemaDoc}` : ''}`;
    }
  }
  return undefined;
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
