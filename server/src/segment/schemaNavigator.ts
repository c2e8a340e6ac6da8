import type { Node } from 'jsonc-parser';
import { BoundedMemo } from '../engine/boundedMemo';
import type { JsonSchema, SegmentSchema } from './schema';

/**
 * The schemas that apply to one JSON value: the schema itself plus everything reached through
 * `$ref`, `allOf` and the `if`/`then`/`else` branches the value selects. This mirrors what the
 * validator does, so hover, completion and the unknown-key check see the alternative the user
 * meant.
 */
export interface ApplicableSchemas {
  readonly schemas: readonly JsonSchema[];
  /**
   * True when the value sits in a discriminated union and no alternative matched (an unknown
   * condition `type`, an unknown operator): its keys cannot be checked.
   */
  readonly unresolved: boolean;
}

export function applicableSchemas(schema: SegmentSchema, start: JsonSchema, value: unknown): ApplicableSchemas {
  // The result depends on the value only through what `if` clauses look at (discriminators), so
  // the thousands of similar conditions of a large file share a few resolutions.
  const key = `a${idOf(start)}\u0000${signature(value, discriminatorKeys(schema))}`;
  return resolutionsOf(schema).getOrCompute(key, () => resolve(schema, start, value));
}

/**
 * The resolutions of one schema, by start schema (or parent) and value signature. Signatures hold
 * the value's keys, which a document chooses: the memo is bounded by bytes, and a signature over
 * 4 KB (a megabyte key) is not kept at all (issue 16: memos capped by entries kept gigabytes).
 */
const resolutions = new WeakMap<SegmentSchema, BoundedMemo<ApplicableSchemas>>();
function resolutionsOf(schema: SegmentSchema): BoundedMemo<ApplicableSchemas> {
  let memo = resolutions.get(schema);
  if (!memo) resolutions.set(schema, (memo = new BoundedMemo({ maxBytes: 8 * 1024 * 1024, maxKeyLength: 4096, sizeOf: (a) => 64 + 8 * a.schemas.length })));
  return memo;
}

/** A number for each schema object and resolution, to key the memo by identity. */
const ids = new WeakMap<object, number>();
let nextId = 0;
function idOf(object: object): number {
  let id = ids.get(object);
  if (id === undefined) ids.set(object, (id = nextId++));
  return id;
}
const declaredMemo = new WeakMap<ApplicableSchemas, Map<boolean, Map<string, JsonSchema>>>();
/** What `if` clauses look at: the keys (see discriminatorKeys), and whether the values of scalar array items matter. */
interface Discriminators {
  readonly keys: ReadonlySet<string>;
  /**
   * False when no `if` clause can tell two arrays apart by their scalar items: each `contains`
   * asks for objects and no `const` or `enum` is an array. Then a list of IDs or texts resolves
   * like any other, and the memo keeps one resolution instead of one per list.
   */
  readonly scalarItems: boolean;
}
const discriminators = new WeakMap<SegmentSchema, Discriminators>();

/** Every property name an `if` clause of the schema looks at. */
function discriminatorKeys(schema: SegmentSchema): Discriminators {
  let known = discriminators.get(schema);
  if (known) return known;
  const keys = new Set<string>();
  let scalarItems = false;
  const collect = (node: unknown, inIf: boolean): void => {
    if (typeof node !== 'object' || node === null) return;
    const s = node as JsonSchema & Record<string, unknown>;
    if (inIf) {
      for (const k of Object.keys(s.properties ?? {})) keys.add(k);
      for (const k of s.required ?? []) keys.add(k);
      if (s.contains && s.contains.type !== 'object') scalarItems = true;
      if (Array.isArray(s.const) || (s.enum ?? []).some((e) => Array.isArray(e))) scalarItems = true;
    }
    for (const [k, child] of Object.entries(s)) collect(child, inIf || k === 'if');
  };
  collect(schema.root, false);
  discriminators.set(schema, (known = { keys, scalarItems }));
  return known;
}

/**
 * What `if` clauses can see of a value: its JSON type, which keys it has, and the scalar values
 * of discriminator keys (for arrays, the same of each item, for `contains`).
 */
function signature(value: unknown, seen: Discriminators, depth = 0): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return depth > 0 ? 'array' : `[${value.map((item) => signature(item, seen, depth + 1)).join(',')}]`;
  if (typeof value !== 'object') return depth > 0 && !seen.scalarItems ? typeof value : `${typeof value}:${String(value)}`;
  const keys = seen.keys;
  let text = '{';
  for (const key in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[key];
    // Keys are separated by a character JSON keys in practice never hold (a collision would only share a memo entry).
    text += `${key}\u0001`;
    text +=
      keys.has(key) && (v === null || typeof v !== 'object') ? `${typeof v}=${String(v)};` : `${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v};`;
  }
  return `${text}}`;
}

/**
 * A key for everything the unknown-key walk over `node` (a value under the schemas `parent`) reads:
 * every key, in order, the type of every value, the values of discriminator keys (and of scalar
 * array items when `if` clauses can see them). Two values with the same key resolve the same
 * schemas everywhere inside, so they have the same undeclared keys.
 */
export function shapeKey(schema: SegmentSchema, parent: ApplicableSchemas, node: Node): string {
  const seen = discriminatorKeys(schema);
  // Pieces joined once: the key is looked up in a Map, which would first flatten a string built
  // by `+=` (a tree of hundreds of pieces) at ~1.4 µs a condition. Texts are written as their
  // length, ":" and themselves: unambiguous without JSON.stringify's escaping.
  const parts: string[] = [`s${idOf(parent)}\u0000`];
  const scalar = (current: Node): string => {
    const value: unknown = current.value;
    return typeof value === 'string' ? `${current.type}=${value.length}:${value}` : `${current.type}=${String(value)}`;
  };
  const visit = (current: Node, item: boolean): void => {
    const children = current.children;
    if (current.type === 'object') {
      parts.push('{');
      if (children)
        for (let i = 0; i < children.length; i++) {
          const pair = children[i].children;
          const keyNode = pair?.[0];
          const valueNode = pair?.[1];
          const key = keyNode ? String(keyNode.value) : undefined;
          parts.push(key === undefined ? '!' : `${key.length}:${key}`);
          if (!valueNode) parts.push('-');
          else if (valueNode.type !== 'object' && valueNode.type !== 'array' && key !== undefined && seen.keys.has(key)) parts.push(scalar(valueNode));
          else visit(valueNode, false);
          parts.push(',');
        }
      parts.push('}');
    } else if (current.type === 'array') {
      parts.push('[');
      if (children)
        for (let i = 0; i < children.length; i++) {
          visit(children[i], true);
          parts.push(',');
        }
      parts.push(']');
    } else parts.push(item && seen.scalarItems ? scalar(current) : current.type);
  };
  visit(node, false);
  return parts.join('');
}

function resolve(schema: SegmentSchema, start: JsonSchema, value: unknown): ApplicableSchemas {
  const schemas: JsonSchema[] = [];
  let unresolved = false;
  const visit = (s: JsonSchema): void => {
    if (schemas.includes(s)) return;
    schemas.push(s);
    const target = schema.resolveRef(s);
    if (target) visit(target);
    if (s.if) {
      const branch = matchesCondition(s.if, value) ? s.then : s.else;
      if (branch) visit(branch);
    }
    if (s.allOf) {
      let isUnion = false;
      let matched = false;
      for (const part of s.allOf) {
        if (part.if && part.then?.$ref) {
          isUnion = true;
          if (matchesCondition(part.if, value)) matched = true;
        }
        visit(part);
      }
      if (isUnion && !matched && typeof value === 'object' && value !== null) unresolved = true;
    }
  };
  visit(start);
  return { schemas, unresolved };
}

/** The schemas of property `key` (or of the array items when `key` is a number). */
export function childSchemas(schema: SegmentSchema, parent: ApplicableSchemas, key: string | number, childValue: unknown): ApplicableSchemas {
  // Shared like applicableSchemas: same parent, same key, same discriminators → same schemas.
  const memoKey = `c${idOf(parent)}\u0000${typeof key === 'number' ? '#' : key}\u0000${signature(childValue, discriminatorKeys(schema))}`;
  return resolutionsOf(schema).getOrCompute(memoKey, () => resolveChild(schema, parent, key, childValue));
}

function resolveChild(schema: SegmentSchema, parent: ApplicableSchemas, key: string | number, childValue: unknown): ApplicableSchemas {
  const starts: JsonSchema[] = [];
  for (const s of parent.schemas) {
    const child = typeof key === 'number' ? s.items : s.properties?.[key];
    if (child) starts.push(child);
  }
  const schemas: JsonSchema[] = [];
  let unresolved = false;
  for (const start of starts) {
    const applicable = applicableSchemas(schema, start, childValue);
    for (const s of applicable.schemas) if (!schemas.includes(s)) schemas.push(s);
    unresolved ||= applicable.unresolved;
  }
  return { schemas, unresolved };
}

/** Walks from the root to `path` in `value`, returning the schemas that apply there. */
export function schemasAtPath(schema: SegmentSchema, rootValue: unknown, path: readonly (string | number)[]): ApplicableSchemas {
  let current = applicableSchemas(schema, schema.root, rootValue);
  let value = rootValue;
  for (const key of path) {
    value = childValue(value, key);
    current = childSchemas(schema, current, key, value);
  }
  return current;
}

function childValue(value: unknown, key: string | number): unknown {
  if (typeof key === 'number') return Array.isArray(value) ? value[key] : undefined;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Every property the applicable schemas declare, with the first schema that declares it. Union
 * hints (`x-unionHint`) count only while the union's alternative is not chosen yet, or when asked
 * for (completion offers them).
 */
export function declaredProperties(applicable: ApplicableSchemas, options: { hints?: boolean } = {}): Map<string, JsonSchema> {
  const hints = options.hints ?? applicable.unresolved;
  let memo = declaredMemo.get(applicable);
  if (!memo) declaredMemo.set(applicable, (memo = new Map()));
  const known = memo.get(hints);
  if (known) return known;
  const properties = new Map<string, JsonSchema>();
  memo.set(hints, properties);
  for (const s of applicable.schemas) {
    for (const [key, property] of Object.entries(s.properties ?? {})) {
      if (property['x-unionHint'] && !hints) continue;
      if (!properties.has(key) || (!properties.get(key)?.description && property.description)) properties.set(key, property);
    }
  }
  return properties;
}

/**
 * Evaluates an `if` schema. Our schema's `if` clauses use only `type`, `const`, `enum`,
 * `properties`, `required`, `not`, `anyOf` and `contains`; a unit test holds the schema to that.
 */
export function matchesCondition(condition: JsonSchema, value: unknown): boolean {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (condition.type !== undefined) {
    const types = Array.isArray(condition.type) ? condition.type : [condition.type];
    if (!types.some((t) => jsonTypeMatches(t, value))) return false;
  }
  if ('const' in condition && !deepEqual(condition.const, value)) return false;
  if (condition.enum && !condition.enum.some((e) => deepEqual(e, value))) return false;
  if (isObject) {
    const record = value as Record<string, unknown>;
    for (const key of condition.required ?? []) if (!(key in record)) return false;
    for (const [key, sub] of Object.entries(condition.properties ?? {})) {
      if (key in record && !matchesCondition(sub, record[key])) return false;
    }
  }
  if (condition.not && matchesCondition(condition.not, value)) return false;
  if (condition.anyOf && !condition.anyOf.some((s) => matchesCondition(s, value))) return false;
  if (condition.contains && (!Array.isArray(value) || !value.some((item) => matchesCondition(condition.contains as JsonSchema, item)))) return false;
  return true;
}

export const IF_KEYWORDS = new Set(['type', 'const', 'enum', 'properties', 'required', 'not', 'anyOf', 'contains']);

export function jsonTypeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    default:
      return false;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}
