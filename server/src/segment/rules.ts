import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { BoundedMemo } from '../engine/boundedMemo';
import { reuseOrFind, type ConditionUnits } from './conditionMemo';
import type { ParsedSegment } from './parse';
import type { Problem } from './problem';
import type { SegmentSchema } from './schema';
import { applicableSchemas, childSchemas, declaredProperties, shapeKey, type ApplicableSchemas } from './schemaNavigator';
import { conditionGroups, propertyValueNode, type ConditionLocation } from './structure';
import { article, nearest, objectAnchor, quote } from './text';
import { conditionKind } from '../engine/conditions';
import { parseInstant } from '../engine/time';

/** Limits the Segments API enforces that the schema does not show (documented by Klaviyo); limits inside one condition belong to its kind (engine/conditions/). */
export const LIMITS = {
  conditionsPerSegment: 100,
};

/**
 * Checks that need no data workspace and that JSON Schema cannot express: unknown keys,
 * documented API limits, impossible ranges, empty groups, shapes of IDs and codes.
 * `reported` holds the offsets that already carry a problem, so a key is never reported twice.
 */
export function ruleProblems(parsed: ParsedSegment, schema: SegmentSchema, reported: ReadonlySet<number>, units?: ConditionUnits): Problem[] {
  const problems: Problem[] = [];
  if (!parsed.root) return problems;
  const start = parsed.shape === 'condition' ? schema.definition('Condition') : schema.root;
  if (start) {
    const conditions = new Set(conditionGroups(parsed).flatMap((group) => group.conditions.map((condition) => condition.node)));
    const walk: KeyWalk = { schema, reported, conditions, units, undeclared: 0 };
    unknownKeys(parsed.root, parsed.value, applicableSchemas(schema, start, parsed.value), walk, problems);
  }
  structureRules(parsed, problems);
  for (const group of conditionGroups(parsed)) {
    for (const condition of group.conditions) {
      const unit = units?.byNode.get(condition.node);
      problems.push(
        ...reuseOrFind(
          unit,
          unit?.found.rules,
          () => conditionRules(condition),
          (found) => unit && (unit.found.rules = found),
        ),
      );
    }
  }
  return problems;
}

/** What the unknown-key walk carries along. */
interface KeyWalk {
  readonly schema: SegmentSchema;
  /** The offsets that already carry a (schema) problem. */
  readonly reported: ReadonlySet<number>;
  /** The nodes of the conditions. */
  readonly conditions: ReadonlySet<Node>;
  readonly units: ConditionUnits | undefined;
  /** How many keys the walk found that the schemas do not declare (reported or not). */
  undeclared: number;
}

/**
 * The shapes of conditions without an undeclared key, by schema (see shapeKey): most conditions
 * of a large file share their shape with another, and the walk over one costs more than its key.
 */
const cleanShapes = new WeakMap<SegmentSchema, BoundedMemo<true>>();
function cleanShapesOf(schema: SegmentSchema): BoundedMemo<true> {
  let memo = cleanShapes.get(schema);
  if (!memo) cleanShapes.set(schema, (memo = new BoundedMemo<true>({ maxBytes: 4 * 1024 * 1024, maxKeyLength: 4096 })));
  return memo;
}

/**
 * The unknown keys of a condition (an item of `conditions`, whose array has the schemas `parent`):
 * a condition an earlier version had at the same place, with the same text, under the same
 * schemas, reuses what was found there; one whose shape is known to have every key declared has
 * none.
 */
function conditionUnknownKeys(node: Node, value: unknown, parent: ApplicableSchemas, index: number, walk: KeyWalk, problems: Problem[]): void {
  const unit = walk.units?.byNode.get(node);
  const stored = unit?.found.unknownKeys?.parent === parent ? unit.found.unknownKeys.problems : undefined;
  const found = reuseOrFind(
    unit,
    stored,
    () => {
      const shape = shapeKey(walk.schema, parent, node);
      if (cleanShapesOf(walk.schema).get(shape)) return [];
      const own: Problem[] = [];
      const undeclared = walk.undeclared;
      unknownKeys(node, value, childSchemas(walk.schema, parent, index, value), walk, own);
      if (walk.undeclared === undeclared) cleanShapesOf(walk.schema).set(shape, true);
      return own;
    },
    (relative) => unit && (unit.found.unknownKeys = { parent, problems: relative }),
  );
  for (const problem of found) problems.push(problem);
}

function unknownKeys(node: Node, value: unknown, applicable: ApplicableSchemas, walk: KeyWalk, problems: Problem[]): void {
  const { schema, reported } = walk;
  if (node.type === 'object') {
    const record = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const declared = applicable.unresolved ? undefined : declaredProperties(applicable);
    for (const property of node.children ?? []) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      const isDeclared = !declared || declared.size === 0 || declared.has(key);
      if (!isDeclared) walk.undeclared++;
      if (!isDeclared && !reported.has(keyNode.offset)) {
        const suggestion = nearest(
          key,
          [...declared.keys()].filter((k) => !(k in record)),
        );
        // The most specific titled schema names the owner: "list non-membership condition", not "condition".
        const owner = [...applicable.schemas].reverse().find((s) => s.title)?.title;
        problems.push({
          offset: keyNode.offset,
          length: keyNode.length,
          severity: 'warning',
          code: 'unknown-property',
          message: `${quote(key)} is not a key of ${owner ? article(owner) : 'this object'} at API revision 2026-07-15; Klaviyo ignores it or rejects the request.${suggestion ? ` Did you mean ${quote(suggestion)}?` : ''}`,
          unnecessary: true,
          fixes: suggestion
            ? [
                {
                  title: `Rename to ${quote(suggestion)}`,
                  edits: [{ offset: keyNode.offset, length: keyNode.length, newText: quote(suggestion) }],
                  isPreferred: true,
                },
              ]
            : undefined,
        });
      }
      // Only objects and arrays can hold keys to check: scalars need no schema resolution.
      if (valueNode && (valueNode.type === 'object' || valueNode.type === 'array') && declared?.has(key))
        unknownKeys(valueNode, record[key], childSchemas(schema, applicable, key, record[key]), walk, problems);
    }
  } else if (node.type === 'array') {
    const items = Array.isArray(value) ? value : [];
    (node.children ?? []).forEach((item, index) => {
      if (item.type !== 'object' && item.type !== 'array') return;
      if (walk.conditions.has(item)) conditionUnknownKeys(item, items[index], applicable, index, walk, problems);
      else unknownKeys(item, items[index], childSchemas(schema, applicable, index, items[index]), walk, problems);
    });
  }
}

function structureRules(parsed: ParsedSegment, problems: Problem[]): void {
  const root = parsed.root as Node;
  const groupsNode = propertyValueNode(parsed.definition, 'condition_groups');
  if (groupsNode?.type === 'array' && (groupsNode.children ?? []).length === 0) {
    problems.push({
      offset: groupsNode.offset,
      length: groupsNode.length,
      severity: 'warning',
      code: 'empty-condition-groups',
      message: 'No condition groups: this definition would match every profile in the account. Add at least one group.',
    });
  }
  let total = 0;
  for (const group of conditionGroups(parsed)) {
    if (group.conditionsNode && (group.conditionsNode.children ?? []).length === 0) {
      problems.push({
        offset: group.conditionsNode.offset,
        length: group.conditionsNode.length,
        severity: 'warning',
        code: 'empty-conditions',
        message: `Condition group ${group.groupIndex + 1} has no conditions, so it matches no one, and since groups are ANDed the whole segment matches no one.`,
      });
    }
    total += group.conditions.length;
  }
  if (total > LIMITS.conditionsPerSegment && groupsNode) {
    problems.push({
      ...objectAnchor(groupsNode),
      severity: 'error',
      code: 'too-many-conditions',
      message: `This definition has ${total} conditions; Klaviyo allows at most ${LIMITS.conditionsPerSegment} per segment.`,
    });
  }
  if (parsed.shape === 'update-body') {
    const attributes = findNodeAtLocation(root, ['data', 'attributes']);
    const isActive = propertyValueNode(attributes, 'is_active');
    if (isActive?.value === false && (attributes?.children ?? []).length > 1) {
      problems.push({
        offset: isActive.offset,
        length: isActive.length,
        severity: 'error',
        code: 'deactivate-with-other-attributes',
        message: 'A PATCH that deactivates a segment ("is_active": false) must carry no other attribute; send the other changes in a separate request.',
      });
    }
  }
}

/** The condition's kind's own checks, placed on the tokens they name; then the checks of every filter in it. */
function conditionRules(condition: ConditionLocation): Problem[] {
  const problems: Problem[] = [];
  const { node, value } = condition;
  conditionKind(value.type)?.check?.(
    value,
    (problem) => {
      const target = findNodeAtLocation(node, [...problem.at]) ?? node;
      problems.push({
        offset: target.offset,
        length: target.length,
        severity: problem.severity,
        code: problem.code,
        message: problem.message,
        fixes: problem.fixes?.map((fix) => ({
          title: fix.title,
          edits: [{ offset: target.offset, length: target.length, newText: JSON.stringify(fix.value) }],
          isPreferred: fix.isPreferred,
        })),
      });
    },
    { nearest },
  );
  for (const filterNode of filterNodes(node, [])) filterRules(filterNode, problems);
  return problems;
}

/** Every object under `node` that looks like a filter (`type` + `operator`), in document order, added to `found`. */
function filterNodes(node: Node, found: Node[]): Node[] {
  if (node.type === 'object') {
    const type = propertyValueNode(node, 'type')?.value;
    if (typeof type === 'string' && !type.startsWith('profile-') && propertyValueNode(node, 'operator')) found.push(node);
  }
  // Only objects and arrays (and the properties that hold them) can hold a filter.
  for (const child of node.children ?? []) if (child.children) filterNodes(child, found);
  return found;
}

function filterRules(filterNode: Node, problems: Problem[]): void {
  const get = (key: string) => propertyValueNode(filterNode, key);
  const operator = get('operator')?.value;
  const quantity = get('quantity');
  // 0 is meaningful ("in the last 0 days" = today); a negative count of units is not.
  if (typeof quantity?.value === 'number' && quantity.value < 0 && operator !== undefined) {
    problems.push({
      offset: quantity.offset,
      length: quantity.length,
      severity: 'warning',
      code: 'negative-quantity',
      message: `${capitalizeFirst(article(quote(operator)))} window of ${quantity.value} units makes no sense; use a positive quantity.`,
    });
  }
  const start = get('start');
  const end = get('end');
  if (
    get('type')?.value === 'date' &&
    operator === 'between' &&
    typeof start?.value === 'number' &&
    typeof end?.value === 'number' &&
    start.value > end.value
  ) {
    problems.push(
      reversedRange(
        start,
        end,
        `"between ${start.value} and ${end.value} ago": "start" must be the nearer distance (the smaller number), so this window is empty.`,
        String(end.value),
        String(start.value),
      ),
    );
  }
  if (
    operator === 'between-static' &&
    typeof start?.value === 'string' &&
    typeof end?.value === 'string' &&
    (parseInstant(start.value) ?? NaN) > (parseInstant(end.value) ?? NaN)
  ) {
    problems.push(
      reversedRange(
        start,
        end,
        `The range ends (${end.value}) before it starts (${start.value}), so it matches nothing.`,
        quote(end.value),
        quote(start.value),
      ),
    );
  }
  if (
    operator === 'between' &&
    get('type')?.value === 'numeric' &&
    typeof start?.value === 'number' &&
    typeof end?.value === 'number' &&
    start.value > end.value
  ) {
    problems.push(
      reversedRange(start, end, `The range ${start.value}–${end.value} is empty: "start" is greater than "end".`, String(end.value), String(start.value)),
    );
  }
  const month = get('value');
  if (operator === 'calendar-month' && typeof month?.value === 'number' && (month.value < 1 || month.value > 12)) {
    problems.push({
      offset: month.offset,
      length: month.length,
      severity: 'error',
      code: 'invalid-month',
      message: `Month ${month.value} does not exist: use 1 (January) to 12 (December).`,
    });
  }
}

function capitalizeFirst(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}

/** A range whose start comes after its end ("range-reversed"), with the swap as its fix. */
function reversedRange(start: Node, end: Node, message: string, startText: string, endText: string): Problem {
  return {
    offset: start.offset,
    length: end.offset + end.length - start.offset,
    severity: 'warning',
    code: 'range-reversed',
    message,
    fixes: [
      {
        title: 'Swap start and end',
        edits: [
          { offset: start.offset, length: start.length, newText: startText },
          { offset: end.offset, length: end.length, newText: endText },
        ],
        isPreferred: true,
      },
    ],
  };
}
