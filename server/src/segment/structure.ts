import type { Node } from 'jsonc-parser';
import { nodeValue, type ParsedSegment } from './parse';
import { propertyNode } from './text';

/** One condition of a definition, with where it sits in the file. */
export interface ConditionLocation {
  readonly groupIndex: number;
  readonly conditionIndex: number;
  readonly node: Node;
  /** JSON path from the file's root. */
  readonly path: (string | number)[];
  readonly value: Record<string, unknown>;
}

export interface GroupLocation {
  readonly groupIndex: number;
  readonly node: Node;
  readonly path: (string | number)[];
  /** The `conditions` array node, when present. */
  readonly conditionsNode: Node | undefined;
  readonly conditions: ConditionLocation[];
}

/** The value of a property of an object node. */
export function propertyValueNode(objectNode: Node | undefined, key: string): Node | undefined {
  return propertyNode(objectNode, key)?.children?.[1];
}

const groupsMemo = new WeakMap<ParsedSegment, GroupLocation[]>();

/** The condition groups of a parsed segment file (empty when it has no definition); computed once per parse. */
export function conditionGroups(parsed: ParsedSegment): GroupLocation[] {
  let groups = groupsMemo.get(parsed);
  if (!groups) groupsMemo.set(parsed, (groups = computeConditionGroups(parsed)));
  return groups;
}

function computeConditionGroups(parsed: ParsedSegment): GroupLocation[] {
  if (parsed.shape === 'condition' && parsed.root) {
    const value = nodeObject(parsed.root);
    return value
      ? [
          {
            groupIndex: 0,
            node: parsed.root,
            path: [],
            conditionsNode: undefined,
            conditions: [{ groupIndex: 0, conditionIndex: 0, node: parsed.root, path: [], value }],
          },
        ]
      : [];
  }
  const groupsNode = propertyValueNode(parsed.definition, 'condition_groups');
  if (groupsNode?.type !== 'array') return [];
  // The conditions' values are those of the file's value (not built again from the tree) where
  // the keys that lead to them are not repeated (the value keeps the last of repeated keys, the
  // tree's lookups find the first).
  const groupsPath = [...parsed.definitionPath, 'condition_groups'];
  const groupValues = parsed.root && hasUniqueKeys(parsed.root, groupsPath) ? valueAt(parsed.value, groupsPath) : undefined;
  const groups: GroupLocation[] = [];
  (groupsNode.children ?? []).forEach((groupNode, groupIndex) => {
    const path = [...parsed.definitionPath, 'condition_groups', groupIndex];
    const conditionsNode = groupNode.type === 'object' ? propertyValueNode(groupNode, 'conditions') : undefined;
    const conditionValues =
      Array.isArray(groupValues) && hasUniqueKeys(groupNode, ['conditions']) ? valueAt(groupValues[groupIndex], ['conditions']) : undefined;
    const conditions: ConditionLocation[] = [];
    if (conditionsNode?.type === 'array') {
      (conditionsNode.children ?? []).forEach((conditionNode, conditionIndex) => {
        const known: unknown = Array.isArray(conditionValues) ? conditionValues[conditionIndex] : undefined;
        const value = conditionNode.type === 'object' && isRecord(known) ? known : nodeObject(conditionNode);
        if (value) conditions.push({ groupIndex, conditionIndex, node: conditionNode, path: [...path, 'conditions', conditionIndex], value });
      });
    }
    groups.push({ groupIndex, node: groupNode, path, conditionsNode: conditionsNode?.type === 'array' ? conditionsNode : undefined, conditions });
  });
  return groups;
}

function nodeObject(node: Node): Record<string, unknown> | undefined {
  return node.type === 'object' ? (nodeValue(node) as Record<string, unknown>) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` inside `value`. */
function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) current = typeof current === 'object' && current !== null ? (current as Record<string | number, unknown>)[key] : undefined;
  return current;
}

/** Whether each object on `path` from `node` has its key on the path once (so the tree's node and the value's agree). */
function hasUniqueKeys(node: Node, path: readonly (string | number)[]): boolean {
  let current: Node | undefined = node;
  for (const key of path) {
    if (!current) return false;
    if (typeof key === 'number') {
      current = current.type === 'array' ? current.children?.[key] : undefined;
      continue;
    }
    if (current.type !== 'object') return false;
    const matching = (current.children ?? []).filter((property) => property.children?.[0]?.value === key);
    if (matching.length !== 1) return false;
    current = matching[0].children?.[1];
  }
  return current !== undefined;
}
