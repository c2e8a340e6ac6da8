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
  const groups: GroupLocation[] = [];
  (groupsNode.children ?? []).forEach((groupNode, groupIndex) => {
    const path = [...parsed.definitionPath, 'condition_groups', groupIndex];
    const conditionsNode = groupNode.type === 'object' ? propertyValueNode(groupNode, 'conditions') : undefined;
    const conditions: ConditionLocation[] = [];
    if (conditionsNode?.type === 'array') {
      (conditionsNode.children ?? []).forEach((conditionNode, conditionIndex) => {
        const value = nodeObject(conditionNode);
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
