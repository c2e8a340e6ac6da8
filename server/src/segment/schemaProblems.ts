import type { ErrorObject } from 'ajv';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { reuseOrFind, type ConditionUnits } from './conditionMemo';
import { textBreaks, type ParsedSegment } from './parse';
import type { Fix, Problem } from './problem';
import type { JsonSchema, SegmentSchema } from './schema';
import { LEGACY_KEYS, LEGACY_VALUES, legacyStaticDateFix } from './legacy';
import { article, describeJsonValue, firstSentence, listOf, nearest, objectAnchor, propertyNode, quote, withUtcOffset } from './text';

/**
 * Turns the schema validator's errors into problems a person can act on. The schema
 * discriminates every union with `if`/`then`, so after dropping the `if` bookkeeping errors,
 * each remaining error belongs to the alternative the user meant. `units`: the conditions whose
 * problems an earlier version of the document found (see ConditionMemo).
 */
export function schemaProblems(parsed: ParsedSegment, schema: SegmentSchema, units?: ConditionUnits): Problem[] {
  const { root, value } = parsed;
  if (!root) return [];
  const listResponse = segmentListProblem(parsed);
  if (listResponse) return [listResponse];
  if (parsed.shape === 'condition') return problemsOf([...schema.errors(value), ...schema.conditionErrors(value)], root, schema, parsed);
  // The errors inside each condition are found apart (a condition's ajv error paths never meet
  // another's), so a condition that an earlier version had at the same place, with the same
  // text, reuses the problems found there.
  const sites = new Map<string, ErrorObject[]>();
  const errors = schema.errors(value, (site) => {
    sites.set(site.instancePath, []);
    return units?.byPointer.get(site.instancePath)?.found.schema !== undefined;
  });
  const outside: ErrorObject[] = [];
  for (const error of errors) (siteOf(error.instancePath, sites) ?? outside).push(error);
  const problems = problemsOf(outside, root, schema, parsed);
  for (const [pointer, siteErrors] of sites) {
    const unit = units?.byPointer.get(pointer);
    problems.push(
      ...reuseOrFind(
        unit,
        unit?.found.schema,
        () => problemsOf(siteErrors, root, schema, parsed),
        (found) => unit && (unit.found.schema = found),
      ),
    );
  }
  return problems;
}

/** The errors of the condition that holds the value at `pointer`, if one does. */
function siteOf(pointer: string, sites: ReadonlyMap<string, ErrorObject[]>): ErrorObject[] | undefined {
  for (let at = pointer; at !== ''; at = at.slice(0, at.lastIndexOf('/'))) {
    const errors = sites.get(at);
    if (errors) return errors;
  }
  return undefined;
}

function problemsOf(errors: ErrorObject[], root: Node, schema: SegmentSchema, parsed: ParsedSegment): Problem[] {
  // Where the text is broken, the tree is a guess: say nothing about the nodes around the break.
  const breaks = textBreaks(parsed);
  const problems: Problem[] = [];
  for (const error of mostSpecificErrors(errors)) {
    const node = findNodeAtLocation(root, pathOf(error.instancePath));
    if (!node || breaks.some((b) => b >= node.offset && b <= node.offset + node.length)) continue;
    const problem = problemFor(error, root, schema, parsed);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * Drops ajv's bookkeeping (`if` failures) and duplicates: one problem per value. When a value has
 * both a type and an enum error (an enum of texts given a number), the enum error, which lists
 * what is allowed, wins; of several enum errors on one value (a union and its alternative both
 * restrict it), the one that allows the most wins.
 */
function mostSpecificErrors(errors: ErrorObject[]): ErrorObject[] {
  const kept: ErrorObject[] = [];
  const valueErrors = new Map<string, ErrorObject>();
  const seen = new Set<string>();
  const allowedCount = (e: ErrorObject) =>
    e.keyword === 'enum' ? ((e.params as { allowedValues?: unknown[] }).allowedValues?.length ?? 0) : e.keyword === 'const' ? 1 : 0;
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    if (error.keyword === 'type' || error.keyword === 'enum' || error.keyword === 'const') {
      const current = valueErrors.get(error.instancePath);
      const better =
        !current || (current.keyword === 'type' && error.keyword !== 'type') || (error.keyword !== 'type' && allowedCount(error) > allowedCount(current));
      if (better) valueErrors.set(error.instancePath, error);
      continue;
    }
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(error);
  }
  return [...kept, ...valueErrors.values()];
}

/** A GET /api/segments response (a list of segments) pasted into one file. */
function segmentListProblem(parsed: ParsedSegment): Problem | undefined {
  const value = parsed.value as { data?: unknown } | undefined;
  if (!Array.isArray(value?.data) || !parsed.root) return undefined;
  const key = findNodeAtLocation(parsed.root, ['data'])?.parent?.children?.[0];
  return {
    offset: key?.offset ?? parsed.root.offset,
    length: key?.length ?? 1,
    severity: 'error',
    code: 'segment-list',
    message: `This is a list of ${value.data.length} segment(s), as GET /api/segments returns it. Keep one segment per file: its resource object, {"data": {...}}, or its bare definition.`,
  };
}

function pathOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => {
      const unescaped = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(unescaped) ? Number(unescaped) : unescaped;
    });
}

/** "quantity", or "item 2 of steps" for array items. */
function nameOf(path: (string | number)[]): string {
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const owner = path[path.length - 2];
    return `item ${last + 1} of ${quote(owner ?? 'the list')}`;
  }
  return last === undefined ? 'the file' : quote(last);
}

function titleOf(schema: SegmentSchema, parentSchema: JsonSchema | undefined): string {
  if (parentSchema?.title) return parentSchema.title;
  const definition = parentSchema ? schema.definitionOf(parentSchema) : undefined;
  return definition?.schema.title ?? 'object';
}

function problemFor(error: ErrorObject, root: Node, schema: SegmentSchema, parsed: ParsedSegment): Problem | undefined {
  const path = pathOf(error.instancePath);
  const node = findNodeAtLocation(root, path);
  if (!node) return undefined;
  const at = { offset: node.offset, length: node.length };
  const parentSchema = error.parentSchema as JsonSchema | undefined;

  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const legacy = legacyAliasFor(node, missing, titleOf(schema, parentSchema), parsed);
      if (legacy) return legacy;
      if (path.length === 0 && parsed.shape === 'condition' && missing === 'condition_groups') return singleConditionProblem(parsed);
      if (path.length === 0 && parsed.shape === 'unknown' && missing === 'condition_groups') {
        return {
          ...objectAnchor(node),
          severity: 'error',
          code: 'not-a-segment',
          message:
            'This is not a segment definition: expected {"condition_groups": [...]}, a Segments API body {"data": {...}}, or a segment resource {"type": "segment", "attributes": {...}}.',
        };
      }
      const property = propertySchema(schema, parentSchema, missing);
      const hint = property?.enum ? ` (${listOf(property.enum)}).` : property?.description ? `: ${firstSentence(property.description)}` : '.';
      return {
        ...objectAnchor(node),
        severity: 'error',
        code: 'missing-property',
        message: `This ${titleOf(schema, parentSchema)} is missing ${quote(missing)}${hint}`,
      };
    }
    case 'type':
      return typeProblem(error, node, path);
    case 'enum':
    case 'const':
      return enumProblem(error, node, path, schema);
    case 'format':
      return formatProblem(node, path);
    default:
      return { ...at, severity: 'error', code: 'invalid-value', message: `${nameOf(path)} ${error.message ?? 'is not valid'}.` };
  }
}

function propertySchema(schema: SegmentSchema, parentSchema: JsonSchema | undefined, key: string): JsonSchema | undefined {
  const property = parentSchema?.properties?.[key];
  if (!property) return undefined;
  const target = schema.resolveRef(property);
  return target ? { ...target, description: property.description ?? target.description } : property;
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a text in double quotes',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function typeProblem(error: ErrorObject, node: Node, path: (string | number)[]): Problem {
  const expected = String((error.params as { type: string | string[] }).type).split(',');
  const value = node.type === 'null' ? null : node.type === 'array' ? [] : node.type === 'object' ? {} : node.value;
  const wanted = expected.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
  const fixes: Fix[] = [];
  if (typeof value === 'string' && (expected.includes('number') || expected.includes('integer')) && value.trim() !== '' && Number.isFinite(Number(value))) {
    const n = Number(value);
    if (expected.includes('number') || Number.isInteger(n))
      fixes.push({ title: `Write ${n} as a number`, edits: [{ offset: node.offset, length: node.length, newText: String(n) }], isPreferred: true });
  }
  if (typeof value === 'string' && expected.includes('boolean') && (value === 'true' || value === 'false')) {
    fixes.push({ title: `Write ${value} as a boolean`, edits: [{ offset: node.offset, length: node.length, newText: value }], isPreferred: true });
  }
  if (typeof value === 'string' && expected.includes('array') && expected.length === 1) {
    fixes.push({
      title: `Put ${quote(value)} in an array`,
      edits: [{ offset: node.offset, length: node.length, newText: `[${JSON.stringify(value)}]` }],
      isPreferred: true,
    });
  }
  return {
    offset: node.offset,
    length: node.length,
    severity: 'error',
    code: 'wrong-type',
    message: `${capitalize(nameOf(path))} must be ${wanted}, not ${describeJsonValue(value)}.`,
    fixes: fixes.length ? fixes : undefined,
  };
}

function enumProblem(error: ErrorObject, node: Node, path: (string | number)[], schema: SegmentSchema): Problem {
  const parentSchema = error.parentSchema as JsonSchema | undefined;
  const allowed: unknown[] =
    error.keyword === 'const'
      ? [(error.params as { allowedValue: unknown }).allowedValue]
      : [...((error.params as { allowedValues: unknown[] }).allowedValues ?? [])];
  const value = node.value;
  const key = path[path.length - 1];

  const legacy = typeof key === 'string' && typeof value === 'string' ? LEGACY_VALUES[`${key}=${value}`] : undefined;
  if (legacy) {
    const fixes = legacy.fix(node, value as string);
    return { offset: node.offset, length: node.length, severity: 'error', code: legacy.code, message: legacy.message, fixes };
  }

  const label = parentSchema?.title ?? (typeof key === 'string' ? key : 'value');
  const contextSchema = parentSchema ? schema.definitionOf(parentSchema)?.schema : undefined;
  const context = contextSchema?.title;
  const where = context && !label.includes(context) ? ` in ${article(context)}` : '';
  const suggestion =
    typeof value === 'string'
      ? nearest(
          value,
          allowed.filter((a): a is string => typeof a === 'string'),
        )
      : undefined;
  const fixes: Fix[] | undefined = suggestion
    ? [{ title: `Change to ${quote(suggestion)}`, edits: [{ offset: node.offset, length: node.length, newText: quote(suggestion) }], isPreferred: true }]
    : undefined;
  const isDiscriminator =
    key === 'type' ||
    key === 'operator' ||
    key === 'field' ||
    key === 'method' ||
    key === 'subscription' ||
    key === 'dimension' ||
    key === 'measurement' ||
    key === 'reachable_status';

  let message: string;
  if (allowed.length === 1) {
    const why = contextSchema?.description && contextSchema.description !== parentSchema?.description ? ` ${firstSentence(contextSchema.description)}` : '';
    message = `${capitalize(nameOf(path))} must be ${quote(allowed[0])}${where}, not ${describeJsonValue(value)}.${why}`;
  } else if (isDiscriminator && typeof value === 'string') {
    message = `Unknown ${label} ${quote(value)}${where}.${suggestion ? ` Did you mean ${quote(suggestion)}?` : ''} Valid ${pluralOf(label)}: ${listOf(allowed)}.`;
  } else {
    message = `${describeJsonValue(value)[0].toUpperCase()}${describeJsonValue(value).slice(1)} is not a valid ${label}${where}.${suggestion ? ` Did you mean ${quote(suggestion)}?` : ''} Valid values: ${listOf(allowed)}.`;
  }
  const code = key === 'type' && label === 'condition type' ? 'unknown-condition-type' : key === 'operator' ? 'unknown-operator' : 'invalid-value';
  return { offset: node.offset, length: node.length, severity: 'error', code, message, fixes };
}

function formatProblem(node: Node, path: (string | number)[]): Problem {
  const value = String(node.value);
  const completed = withUtcOffset(value);
  return {
    offset: node.offset,
    length: node.length,
    severity: 'error',
    code: 'invalid-date-time',
    message: completed
      ? `${capitalize(nameOf(path))} needs a full date-time with a UTC offset: ${quote(value)} has ${completed.hadTime ? 'no offset' : 'no time or offset'}. Klaviyo reads all dates in UTC; write ${quote(completed.fixed)}.`
      : `${capitalize(nameOf(path))} must be an ISO 8601 date-time with a UTC offset, such as "2026-07-15T00:00:00+00:00"; ${describeJsonValue(value)} is not.`,
    fixes: completed
      ? [
          {
            title: `Change to ${quote(completed.fixed)}`,
            edits: [{ offset: node.offset, length: node.length, newText: quote(completed.fixed) }],
            isPreferred: true,
          },
        ]
      : undefined,
  };
}

function pluralOf(noun: string): string {
  return /(s|x|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`;
}

function capitalize(text: string): string {
  return text.startsWith('"') ? text : text[0].toUpperCase() + text.slice(1);
}

/** A key renamed since an older API revision stands in for a missing one: report it there. */
function legacyAliasFor(objectNode: Node, missing: string, title: string, parsed: ParsedSegment): Problem | undefined {
  for (const legacy of LEGACY_KEYS) {
    if (legacy.current !== missing) continue;
    const property = propertyNode(objectNode, legacy.old);
    if (!property?.children?.[0]) continue;
    const keyNode = property.children[0];
    const valueNode = property.children[1];
    const fixes: Fix[] =
      legacy.old === 'value' && missing === 'date' && valueNode
        ? [legacyStaticDateFix(keyNode, valueNode)]
        : [
            {
              title: `Rename ${quote(legacy.old)} to ${quote(missing)}`,
              edits: [{ offset: keyNode.offset, length: keyNode.length, newText: quote(missing) }],
              isPreferred: true,
            },
          ];
    return {
      offset: keyNode.offset,
      length: keyNode.length,
      severity: 'error',
      code: legacy.code,
      message: legacy.message(title),
      fixes,
    };
  }
  // SDK camelCase spellings: "metricId" for "metric_id".
  const camel = missing.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const property = camel !== missing ? propertyNode(objectNode, camel) : undefined;
  if (property?.children?.[0]) {
    const keyNode = property.children[0];
    return {
      offset: keyNode.offset,
      length: keyNode.length,
      severity: 'error',
      code: 'legacy-camel-case',
      message: `${quote(camel)} is the camelCase spelling some SDKs use; the Segments API expects ${quote(missing)}.`,
      fixes: [
        {
          title: `Rename ${quote(camel)} to ${quote(missing)}`,
          edits: [{ offset: keyNode.offset, length: keyNode.length, newText: quote(missing) }],
          isPreferred: true,
        },
      ],
    };
  }
  void parsed;
  return undefined;
}

function singleConditionProblem(parsed: ParsedSegment): Problem {
  const root = parsed.root as Node;
  const text = parsed.text.slice(root.offset, root.offset + root.length);
  const indented = text
    .split('\n')
    .map((line, i) => (i === 0 ? line : `      ${line}`))
    .join('\n');
  return {
    offset: root.offset,
    length: 1,
    severity: 'error',
    code: 'single-condition',
    message: 'This file holds a single condition, not a segment definition. The Segments API expects {"condition_groups": [{"conditions": [...]}]}.',
    fixes: [
      {
        title: 'Wrap the condition in a segment definition',
        edits: [
          {
            offset: root.offset,
            length: root.length,
            newText: `{\n  "condition_groups": [\n    {\n      "conditions": [\n      ${indented}\n      ]\n    }\n  ]\n}`,
          },
        ],
        isPreferred: true,
      },
    ],
  };
}
