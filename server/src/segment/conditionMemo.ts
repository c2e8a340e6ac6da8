import type { Node } from 'jsonc-parser';
import { textBreaks, type ParsedSegment } from './parse';
import type { Problem } from './problem';
import type { ApplicableSchemas } from './schemaNavigator';
import { conditionGroups } from './structure';

/**
 * What one condition contributes to its document's problems, each part found once: offsets from
 * the condition's first character. `unknownKeys` also depends on the schemas that apply to the
 * `conditions` array that holds it (`parent`: the same object while the document's outline resolves the same).
 */
interface ConditionProblems {
  readonly text: string;
  schema?: Problem[];
  unknownKeys?: { readonly parent: ApplicableSchemas; readonly problems: Problem[] };
  rules?: Problem[];
}

/** One condition of the document being validated, with what an earlier version found for the same text at the same place. */
export interface ConditionUnit {
  readonly node: Node;
  readonly found: ConditionProblems;
}

/** The conditions of the document being validated, by JSON pointer (as the schema validator names places) and by tree node. */
export interface ConditionUnits {
  readonly byPointer: ReadonlyMap<string, ConditionUnit>;
  readonly byNode: ReadonlyMap<Node, ConditionUnit>;
}

/**
 * The problems of each condition of a document's last validated version, by the condition's place
 * in the tree (its JSON pointer) and its exact text: what validating the next version of the same
 * document may reuse (the language server keeps one per open document). A condition's own problems
 * (schema errors inside it, unknown keys, its kind's checks, filter rules) depend on nothing else;
 * the checks of the whole document (shape, limits, empty groups, workspace and audience checks)
 * are always run again. Only documents without syntax errors, too-deep values and repeated keys
 * outside conditions use it: there the tree around a condition is a guess, or a condition's node
 * and its value (the last of repeated keys) may differ.
 */
export class ConditionMemo {
  private last = new Map<string, ConditionProblems>();

  /** The conditions of `parsed` with the last version's findings for each, or undefined when `parsed` cannot use them. */
  unitsOf(parsed: ParsedSegment): ConditionUnits | undefined {
    if (parsed.shape === 'condition' || textBreaks(parsed).length > 0) return undefined;
    const byPointer = new Map<string, ConditionUnit>();
    const byNode = new Map<Node, ConditionUnit>();
    const current = new Map<string, ConditionProblems>();
    for (const group of conditionGroups(parsed)) {
      for (const { node, path } of group.conditions) {
        const pointer = jsonPointer(path);
        const text = parsed.text.slice(node.offset, node.offset + node.length);
        const earlier = this.last.get(pointer);
        // The entry takes this version's text: a piece of a string keeps the whole string alive,
        // so an entry that kept the text of the version it was found in would keep that version.
        const found = earlier?.text === text ? { ...earlier, text } : { text };
        current.set(pointer, found);
        const unit = { node, found };
        byPointer.set(pointer, unit);
        byNode.set(node, unit);
      }
    }
    if (hasRepeatedKeysOutside(parsed.root, byNode)) return undefined;
    // Only this version's conditions are kept: the memo never holds more than one version's.
    this.last = current;
    return { byPointer, byNode };
  }
}

/** The JSON pointer of a path, as ajv writes `instancePath`. */
export function jsonPointer(path: readonly (string | number)[]): string {
  let pointer = '';
  for (const key of path) {
    const text = String(key);
    pointer += `/${text.includes('~') || text.includes('/') ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text}`;
  }
  return pointer;
}

/** Whether an object outside the conditions has a key twice (the value keeps the last, the tree's lookups find the first). */
function hasRepeatedKeysOutside(node: Node | undefined, conditions: ReadonlyMap<Node, unknown>): boolean {
  if (!node || conditions.has(node)) return false;
  if (node.type === 'object') {
    const keys = new Set<unknown>();
    for (const property of node.children ?? []) {
      const key = property.children?.[0]?.value;
      if (keys.has(key)) return true;
      keys.add(key);
      if (hasRepeatedKeysOutside(property.children?.[1], conditions)) return true;
    }
    return false;
  }
  return node.type === 'array' && (node.children ?? []).some((child) => hasRepeatedKeysOutside(child, conditions));
}

/**
 * What a condition found, stored or reused: `compute` runs only when the memo has nothing for it,
 * and its problems are kept relative to the condition's start. Returns the problems in place.
 */
export function reuseOrFind(
  unit: ConditionUnit | undefined,
  stored: Problem[] | undefined,
  compute: () => Problem[],
  store: (relative: Problem[]) => void,
): Problem[] {
  if (!unit) return compute();
  const at = unit.node.offset;
  if (stored) return stored.map((problem) => shifted(problem, at));
  const found = compute();
  store(found.map((problem) => shifted(problem, -at)));
  return found;
}

function shifted(problem: Problem, delta: number): Problem {
  const moved: Problem = { ...problem, offset: problem.offset + delta };
  if (problem.fixes) moved.fixes = problem.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => ({ ...edit, offset: edit.offset + delta })) }));
  return moved;
}
