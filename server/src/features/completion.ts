import { findNodeAtLocation, findNodeAtOffset, getLocation, getNodePath, type Node } from 'jsonc-parser';
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { PropertySummary, WorkspaceSummary } from '../engine/catalog';
import { WELL_KNOWN_PROPERTIES } from '../engine/propertyPath';
import { isTooDeep, type ParsedSegment } from '../segment/parse';
import type { JsonSchema, SegmentSchema } from '../segment/schema';
import { declaredProperties, schemasAtPath, type ApplicableSchemas } from '../segment/schemaNavigator';
import { CONDITION_KINDS } from '../engine/conditions';

export interface CompletionServices {
  schema: SegmentSchema;
  workspace?: WorkspaceSummary;
}

/** Escapes text for a snippet (where `$`, `}` and `\` are special). */
export function snippetText(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

const json = (value: unknown) => JSON.stringify(value);

interface Context {
  document: TextDocument;
  parsed: ParsedSegment;
  services: CompletionServices;
  /** Where the completion's text goes: the string or scalar under the cursor, or an empty range. */
  range: Range;
  /** Text to add after the inserted value/key so the JSON stays valid (a comma). */
  separator: string;
  /** JSON path of the value (or of the object, for keys). */
  path: (string | number)[];
  /** Text to add before the insertion (a comma after a value that has none). */
  lead: string;
}

function withLead(item: CompletionItem, lead: string): CompletionItem {
  if (!lead || !item.textEdit || !('range' in item.textEdit)) return item;
  return { ...item, textEdit: { ...item.textEdit, newText: `${lead}${item.textEdit.newText}` } };
}

/**
 * Completion inside a segment file: keys valid at the cursor for the alternative the object
 * selects, enum values, operators valid for the filter's type, condition and filter skeletons,
 * and from the workspace: metrics by name, lists, profile properties, event properties and their
 * common values.
 */
export function completion(document: TextDocument, parsed: ParsedSegment, offset: number, services: CompletionServices): CompletionList {
  // Past the nesting limit nothing fits: no definition nests that deep.
  if (isTooDeep(parsed, offset)) return { isIncomplete: false, items: [] };
  const text = parsed.text;
  // getLocation parses the text recursively: it reads the text with the too-deep parts blanked out.
  const location = getLocation(parsed.boundedText, offset);
  const root = parsed.root;
  const under = root ? findNodeAtOffset(root, offset, true) : undefined;
  const scalar =
    under &&
    (under.type === 'string' || under.type === 'number' || under.type === 'boolean' || under.type === 'null') &&
    offset > under.offset &&
    offset <= under.offset + under.length
      ? under
      : undefined;
  const replace = scalar
    ? { start: document.positionAt(scalar.offset), end: document.positionAt(scalar.offset + scalar.length) }
    : { start: document.positionAt(offset), end: document.positionAt(offset) };
  const after = text.slice(scalar ? scalar.offset + scalar.length : offset);
  const needsComma = /^\s*["{[\w-]/.test(after) && !/^\s*[,}\]]/.test(after);
  // What precedes the insertion: a finished value without a comma after it needs one before us.
  // trimEnd, not /\s+$/: that regular expression takes time quadratic in a run of whitespace.
  const before = text.slice(0, scalar ? scalar.offset : offset).trimEnd();
  const afterValue = before.length > 0 && !/[,:{[]$/.test(before);
  const lead = afterValue ? ',' : '';

  // The cursor sits after a finished value in an object ("in_region": true |): a new key goes here.
  const container = root && !scalar ? findNodeAtOffset(root, offset, false) : undefined;
  if (afterValue && container?.type === 'object' && !location.isAtPropertyKey) {
    const objectPath = getNodePath(container);
    const ctx: Context = { document, parsed, services, range: replace, separator: needsComma ? ',' : '', path: objectPath, lead };
    return { isIncomplete: false, items: keyItems(ctx, container) };
  }

  if (location.isAtPropertyKey) {
    const objectPath = location.path.slice(0, -1);
    const ctx: Context = { document, parsed, services, range: replace, separator: needsComma ? ',' : '', path: objectPath, lead };
    return { isIncomplete: false, items: keyItems(ctx, root ? findNodeAtLocation(root, objectPath) : undefined) };
  }
  const path = location.path;
  // Only a new array item can need a comma before it; a value after ":" never does.
  const inArray = typeof path[path.length - 1] === 'number';
  const ctx: Context = { document, parsed, services, range: replace, separator: needsComma ? ',' : '', path, lead: inArray ? lead : '' };
  return { isIncomplete: false, items: valueItems(ctx).map((item) => withLead(item, ctx.lead)) };
}

function keyItems(ctx: Context, objectNode: Node | undefined): CompletionItem[] {
  const existing = new Set((objectNode?.children ?? []).map((p) => p.children?.[0]?.value).filter((k): k is string => typeof k === 'string'));
  const current = findNodeAtOffset(ctx.parsed.root as Node, ctx.document.offsetAt(ctx.range.start), true);
  if (current?.parent?.type === 'property' && current.parent.children?.[0] === current && typeof current.value === 'string') existing.delete(current.value);
  // Before the key that picks the alternative is written, the union's own keys (that key first) are what fits.
  const applicable = schemasAtPath(ctx.services.schema, ctx.parsed.value, ctx.path);
  const required = new Set(applicable.schemas.flatMap((s) => s.required ?? []));
  const items: CompletionItem[] = [];
  for (const [key, declared] of declaredProperties(applicable, { hints: true })) {
    if (existing.has(key)) continue;
    // A union restricts some keys in the branch its discriminator selects (the operators of a
    // "date" filter): prefer the schema that lists the values.
    const schema = applicable.schemas.map((s) => s.properties?.[key]).find((p) => p && (p.enum || 'const' in p)) ?? declared;
    const value = valueSnippet(ctx.services.schema, key, schema, { next: 1 });
    items.push({
      label: key,
      kind: CompletionItemKind.Property,
      detail: required.has(key) ? 'required' : 'optional',
      documentation: describeSchema(ctx.services.schema, declared),
      textEdit: { range: ctx.range, newText: `${ctx.lead}${json(key)}: ${value}${ctx.separator}` },
      insertTextFormat: InsertTextFormat.Snippet,
      filterText: json(key),
      sortText: `${required.has(key) ? '0' : '1'}${key}`,
    });
  }
  return items;
}

/** A snippet for a property's value: the enum as a choice, a placeholder of the right type. */
function valueSnippet(schema: SegmentSchema, key: string, property: JsonSchema, counter: { next: number }): string {
  const resolved = resolve(schema, property);
  const n = counter.next++;
  const values = enumValues(resolved);
  if (values.length === 1) return json(values[0]);
  if (values.length > 1 && values.every((v) => typeof v === 'string'))
    return `"\${${n}|${values.map((v) => snippetText(String(v)).replace(/[,|]/g, '\\$&')).join(',')}|}"`;
  if (values.length > 1) return `\${${n}|${values.map((v) => json(v)).join(',')}|}`;
  const types = typesOf(resolved);
  if (resolved.format === 'date-time') return `"\${${n}:2026-01-01T00:00:00+00:00}"`;
  if (types.includes('object')) return `{$${n}}`;
  if (types.includes('array')) return key === 'group_ids' ? `["$${n}"]` : `[$${n}]`;
  if (types.includes('boolean')) return `\${${n}|true,false|}`;
  if (types.includes('integer') || types.includes('number')) return `\${${n}:${key === 'quantity' ? 30 : 1}}`;
  return `"$${n}"`;
}

/** Follows `$ref`, nullable wrappers and if/else to the schema of a property's value. */
function resolve(schema: SegmentSchema, s: JsonSchema): JsonSchema {
  const target = schema.resolveRef(s);
  if (target) return resolve(schema, target);
  if (s.if && s.else && s.if.type === 'null') return resolve(schema, s.else);
  return s;
}

function typesOf(s: JsonSchema): string[] {
  return s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
}

function enumValues(s: JsonSchema): unknown[] {
  if ('const' in s) return [s.const];
  return s.enum ?? [];
}

function describeSchema(schema: SegmentSchema, s: JsonSchema): { kind: typeof MarkupKind.Markdown; value: string } | undefined {
  const resolved = resolve(schema, s);
  const text = s.description ?? resolved.description;
  return text ? { kind: MarkupKind.Markdown, value: text } : undefined;
}

function valueItems(ctx: Context): CompletionItem[] {
  const { path } = ctx;
  const key = path[path.length - 1];
  const parentKey = typeof key === 'number' ? path[path.length - 2] : undefined;
  const applicable = schemasAtPath(ctx.services.schema, ctx.parsed.value, path);
  const items: CompletionItem[] = [];

  if (parentKey === 'conditions') return conditionTemplateItems(ctx, true);
  if (key === 'type' && isConditionPath(path)) return conditionTypeItems(ctx);
  if (key === 'metric_id') items.push(...metricItems(ctx));
  if (parentKey === 'group_ids') items.push(...listItems(ctx));
  if (key === 'property' && path.length >= 2 && conditionValue(ctx, path.slice(0, -1))?.type === 'profile-property') items.push(...profilePropertyItems(ctx));
  if (key === 'property' && path.includes('metric_filters')) items.push(...eventPropertyItems(ctx));
  if (key === 'value' || parentKey === 'value') items.push(...filterValueItems(ctx, typeof key === 'number' ? path.slice(0, -2) : path.slice(0, -1)));
  if (key === 'date' || key === 'start' || key === 'end') items.push(...dateItems(ctx, applicable));

  const enumItems = enumValueItems(ctx, applicable);
  items.push(...enumItems.filter((item) => !items.some((i) => i.label === item.label)));
  if (items.length === 0) items.push(...shapeItems(ctx, applicable));
  return items;
}

function isConditionPath(path: (string | number)[]): boolean {
  // …, "conditions", <n>, "type"   or a single-condition file: ["type"]
  return (path.length >= 3 && path[path.length - 3] === 'conditions') || path.length === 1;
}

function conditionValue(ctx: Context, path: (string | number)[]): Record<string, unknown> | undefined {
  let value: unknown = ctx.parsed.value;
  for (const k of path) value = typeof value === 'object' && value !== null ? (value as Record<string | number, unknown>)[k] : undefined;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function enumValueItems(ctx: Context, applicable: ApplicableSchemas): CompletionItem[] {
  const seen = new Map<unknown, string | undefined>();
  for (const s of applicable.schemas) {
    if ('const' in s) seen.set(s.const, seen.get(s.const) ?? s.description);
    (s.enum ?? []).forEach((v, i) => seen.set(v, seen.get(v) ?? s.enumDescriptions?.[i]));
  }
  return [...seen.entries()].map(([value, description], i) => ({
    label: json(value),
    kind: CompletionItemKind.EnumMember,
    documentation: description,
    textEdit: { range: ctx.range, newText: `${json(value)}${ctx.separator}` },
    filterText: json(value),
    sortText: String(i).padStart(4, '0'),
  }));
}

/** Values for `type` in a condition: each condition type, with a complete skeleton when the object is still empty. */
function conditionTypeItems(ctx: Context): CompletionItem[] {
  const condition = conditionValue(ctx, ctx.path.slice(0, -1)) ?? {};
  const onlyType = Object.keys(condition).every((k) => k === 'type');
  return CONDITION_KINDS.map(({ type, template }, i) => {
    const rest = onlyType ? template.body.replace(/^\{\s*"type":\s*"[^"]+",?\s*/, '').replace(/\s*\}$/, '') : '';
    return {
      label: json(type),
      kind: CompletionItemKind.EnumMember,
      detail: template.title,
      documentation: template.description,
      textEdit: { range: ctx.range, newText: `${json(type)}${rest ? `, ${rest}` : ''}${ctx.separator}` },
      insertTextFormat: InsertTextFormat.Snippet,
      filterText: json(type),
      sortText: String(i).padStart(4, '0'),
    };
  });
}

/** Whole conditions, for an item of a `conditions` array. */
function conditionTemplateItems(ctx: Context, asItem: boolean): CompletionItem[] {
  return CONDITION_KINDS.map(({ type, template }, i) => ({
    label: template.title,
    kind: CompletionItemKind.Snippet,
    detail: type,
    documentation: template.description,
    textEdit: { range: ctx.range, newText: `${template.body}${asItem ? ctx.separator : ''}` },
    insertTextFormat: InsertTextFormat.Snippet,
    filterText: `${template.title} ${type}`,
    sortText: String(i).padStart(4, '0'),
  }));
}

const number = (n: number) => n.toLocaleString('en-US');
/** "1 event", "2 events". */
const count = (n: number, noun: string) => `${number(n)} ${noun}${n === 1 ? '' : 's'}`;

/** Metrics by name, the most used first; the ID is what gets inserted. */
function metricItems(ctx: Context): CompletionItem[] {
  const metrics = [...(ctx.services.workspace?.metrics ?? [])].sort((a, b) => b.eventCount - a.eventCount);
  return metrics.map((m, i) => ({
    label: m.name ?? m.id,
    kind: CompletionItemKind.Value,
    detail: `${m.id} · ${m.integration ?? 'unknown integration'} · ${count(m.eventCount, 'event')}`,
    documentation: {
      kind: MarkupKind.Markdown,
      value: `**${m.name ?? m.id}** (\`${m.id}\`)\n\n${count(m.eventCount, 'event')} from ${count(m.profileCount, 'profile')}${m.firstEvent ? `, ${m.firstEvent.slice(0, 10)} to ${m.lastEvent?.slice(0, 10)}` : ''}${m.valueCount ? `; ${number(m.valueCount)} carry a $value` : ''}.`,
    },
    textEdit: { range: ctx.range, newText: `${json(m.id)}${ctx.separator}` },
    filterText: `"${m.name ?? ''} ${m.id}"`,
    sortText: String(i).padStart(4, '0'),
  }));
}

function listItems(ctx: Context): CompletionItem[] {
  const lists = [...(ctx.services.workspace?.lists ?? [])].sort((a, b) => b.memberCount - a.memberCount);
  return lists.map((l, i) => ({
    label: l.name ?? l.id,
    kind: CompletionItemKind.Value,
    detail: `${l.id} · ${count(l.memberCount, 'member')}${l.optInProcess ? ` · ${l.optInProcess.replace(/_/g, ' ')}` : ''}`,
    textEdit: { range: ctx.range, newText: `${json(l.id)}${ctx.separator}` },
    filterText: `"${l.name ?? ''} ${l.id}"`,
    sortText: String(i).padStart(4, '0'),
  }));
}

function observedDetail(p: PropertySummary | undefined, total: number): string {
  if (!p) return 'built-in';
  return `${p.mainType ?? 'unknown'} · set on ${number(p.present)} of ${number(total)}`;
}

function topValuesMarkdown(p: PropertySummary | undefined): string {
  if (!p || p.topValues.length === 0) return '';
  return `\n\nCommon values: ${p.topValues
    .slice(0, 8)
    .map((v) => `\`${json(v.value)}\` (${number(v.count)})`)
    .join(', ')}`;
}

/** Built-in profile properties and every custom property seen in the data. */
function profilePropertyItems(ctx: Context): CompletionItem[] {
  const ws = ctx.services.workspace;
  const observed = new Map((ws?.profileProperties ?? []).map((p) => [p.name, p]));
  const names = [...new Set([...WELL_KNOWN_PROPERTIES, ...observed.keys()])];
  return names.map((name) => {
    const p = observed.get(name);
    return {
      label: name,
      kind: name.startsWith('properties[') ? CompletionItemKind.Field : CompletionItemKind.Property,
      detail: observedDetail(p, ws?.profileCount ?? 0),
      documentation: {
        kind: MarkupKind.Markdown,
        value: `${name.startsWith('properties[') ? 'Custom property' : name.startsWith('location[') ? 'Location field' : 'Built-in profile property'}${topValuesMarkdown(p)}`,
      },
      textEdit: { range: ctx.range, newText: `${json(name)}${ctx.separator}` },
      filterText: json(name),
      // Properties most profiles have first.
      sortText: String(1_000_000_000 - (p?.present ?? 0)).padStart(10, '0'),
    };
  });
}

/** The metric a `metric_filters` entry at `ctx.path` belongs to. */
function metricOfFilters(ctx: Context) {
  const index = ctx.path.lastIndexOf('metric_filters');
  const owner = conditionValue(ctx, ctx.path.slice(0, index));
  const id = owner?.metric_id;
  return typeof id === 'string' ? ctx.services.workspace?.metrics.find((m) => m.id === id) : undefined;
}

function eventPropertyItems(ctx: Context): CompletionItem[] {
  const metric = metricOfFilters(ctx);
  return (metric?.properties ?? []).map((p, i) => ({
    label: p.name,
    kind: CompletionItemKind.Field,
    detail: `${p.mainType ?? 'unknown'} · on ${number(p.present)} of ${number(metric?.eventCount ?? 0)} ${metric?.name ?? ''} events`,
    documentation: { kind: MarkupKind.Markdown, value: `Event property of ${metric?.name ?? 'this metric'}${topValuesMarkdown(p)}` },
    textEdit: { range: ctx.range, newText: `${json(p.name)}${ctx.separator}` },
    filterText: json(p.name),
    sortText: String(i).padStart(4, '0'),
  }));
}

/** Common values of the property a filter tests (profile property or event property). */
function filterValueItems(ctx: Context, filterPath: (string | number)[]): CompletionItem[] {
  const filter = conditionValue(ctx, filterPath);
  const ownerPath = filterPath.slice(0, -1);
  const owner = conditionValue(ctx, ownerPath);
  const ws = ctx.services.workspace;
  let observed: PropertySummary | undefined;
  if (owner && typeof owner.property === 'string') {
    observed = ownerPath.includes('metric_filters')
      ? metricOfFilters({ ...ctx, path: ownerPath })?.properties.find((p) => p.name === owner.property)
      : ws?.profileProperties.find((p) => p.name === owner.property);
  }
  const items: CompletionItem[] = [];
  if (filter?.type === 'boolean') {
    for (const v of [true, false])
      items.push({ label: json(v), kind: CompletionItemKind.Value, textEdit: { range: ctx.range, newText: `${json(v)}${ctx.separator}` } });
  }
  const flatten = (values: { value: unknown; count: number }[]) => {
    // List-valued properties: offer their elements.
    const counts = new Map<string, { value: unknown; count: number }>();
    for (const { value, count } of values) {
      for (const element of Array.isArray(value) ? value : [value]) {
        const k = json(element);
        const entry = counts.get(k);
        if (entry) entry.count += count;
        else counts.set(k, { value: element, count });
      }
    }
    return [...counts.values()].sort((a, b) => b.count - a.count);
  };
  const wantsNumber = filter?.type === 'numeric' || (filter?.type === 'list' && String(filter.operator).startsWith('length-'));
  for (const [i, { value, count }] of flatten(observed?.topValues ?? []).entries()) {
    if (
      wantsNumber
        ? typeof value !== 'number'
        : filter?.type === 'string' || filter?.type === 'list'
          ? typeof value !== 'string' && typeof value !== 'number'
          : false
    )
      continue;
    if (filter?.type === 'boolean') continue;
    items.push({
      label: json(value),
      kind: CompletionItemKind.Value,
      detail: `${number(count)} ${ownerPath.includes('metric_filters') ? 'events' : 'profiles'}`,
      textEdit: { range: ctx.range, newText: `${json(value)}${ctx.separator}` },
      filterText: json(value),
      sortText: String(i).padStart(4, '0'),
    });
  }
  return items;
}

/** ISO dates around the workspace's "now": midnight UTC, as the day rule expects. */
function dateItems(ctx: Context, applicable: ApplicableSchemas): CompletionItem[] {
  if (!applicable.schemas.some((s) => s.format === 'date-time')) return [];
  const now = ctx.services.workspace ? new Date(ctx.services.workspace.now) : new Date();
  const day = (d: Date) => `${d.toISOString().slice(0, 10)}T00:00:00+00:00`;
  const minus = (days: number) => new Date(now.getTime() - days * 86_400_000);
  const options: [string, string][] = [
    [day(now), 'today (the whole day, UTC)'],
    [day(minus(30)), '30 days ago'],
    [day(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))), 'start of this month'],
    [day(new Date(Date.UTC(now.getUTCFullYear(), 0, 1))), 'start of this year'],
    [day(new Date(Date.UTC(now.getUTCFullYear() - 1, 0, 1))), 'start of last year'],
  ];
  const seen = new Set<string>();
  return options
    .filter(([value]) => !seen.has(value) && seen.add(value))
    .map(([value, label], i) => ({
      label: json(value),
      kind: CompletionItemKind.Value,
      detail: label,
      textEdit: { range: ctx.range, newText: `${json(value)}${ctx.separator}` },
      filterText: json(value),
      sortText: String(i).padStart(4, '0'),
    }));
}

/** For an object-valued position (a filter, a timeframe): one skeleton per alternative. */
function shapeItems(ctx: Context, applicable: ApplicableSchemas): CompletionItem[] {
  const schema = ctx.services.schema;
  const alternatives: JsonSchema[] = [];
  for (const s of applicable.schemas) {
    for (const part of s.allOf ?? []) {
      const target = part.then ? schema.resolveRef(part.then) : undefined;
      if (target && !alternatives.includes(target)) alternatives.push(target);
    }
  }
  if (alternatives.length === 0) {
    const single = applicable.schemas.map((s) => resolve(schema, s)).find((s) => s.properties && s.required);
    if (single && typesOf(single).includes('object')) alternatives.push(single);
  }
  return alternatives
    .filter((a) => a.properties)
    .map((alternative, i) => {
      const counter = { next: 1 };
      const body = (alternative.required ?? []).map((k) => `${json(k)}: ${valueSnippet(schema, k, alternative.properties?.[k] ?? {}, counter)}`).join(', ');
      return {
        label: alternative.title ?? `option ${i + 1}`,
        kind: CompletionItemKind.Snippet,
        detail: alternative.properties?.operator?.enum ? `operators: ${alternative.properties.operator.enum.join(', ')}` : undefined,
        documentation: alternative.description,
        textEdit: { range: ctx.range, newText: `{ ${body} }${ctx.separator}` },
        insertTextFormat: InsertTextFormat.Snippet,
        filterText: `{ ${alternative.title ?? ''}`,
        sortText: String(i).padStart(4, '0'),
      };
    });
}
