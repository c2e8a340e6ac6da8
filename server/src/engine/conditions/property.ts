import { Bitset } from '../bitset';
import { isRecord, matched, notEvaluable, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { compileDateFilter, parseInstant } from '../time';
import { parsePropertyPath } from '../propertyPath';
import { compileValueFilter } from '../valueFilter';
import { profileValueKey } from '../workspace';

/** The flattened profile-value key of a `profile-property` condition's `property`. */
export function propertyKey(property: unknown): { key: string } | { notEvaluable: string } {
  if (typeof property !== 'string') return { notEvaluable: 'the condition has no "property"' };
  const path = parsePropertyPath(property);
  switch (path.kind) {
    case 'attribute': return { key: profileValueKey.attribute(path.name) };
    case 'location': return { key: profileValueKey.location(path.field) };
    case 'custom': return { key: profileValueKey.custom(path.name) };
    case 'invalid': return { notEvaluable: path.reason };
    case 'unknown': return { notEvaluable: `"${property}" is not a built-in profile property (a custom property is written properties['${property}'])` };
  }
}

/** profile-property: the filter on the profile's value (semantics §3). */
export function evaluateProperty(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
  const key = propertyKey(condition.property);
  if ('notEvaluable' in key) return notEvaluable(key.notEvaluable);
  if (isRecord(condition.filter) && condition.filter.type === 'date') return selectByDate(ctx, key.key, condition.filter);
  const filter = compileValueFilter(condition.filter, ctx.ref);
  if ('notEvaluable' in filter) return notEvaluable(filter.notEvaluable);
  return matched(selectProfiles(ctx, key.key, filter.test, filter.matchesMissing));
}

/** A date filter on a profile value: over the column's parsed instants (a value that is no date never matches). */
export function selectByDate(ctx: EvaluationContext, key: string, filter: unknown): ConditionOutcome {
  const window = compileDateFilter(filter, ctx.ref);
  if ('notEvaluable' in window) return notEvaluable(window.notEvaluable);
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  const column = ctx.workspace.column(key);
  if (!column) return matched(set);
  const instants = column.instants(n, parseInstant);
  const test = window.test;
  for (let p = 0; p < n; p++) {
    const t = instants[p];
    if (t === t && test(t)) set.add(p); // t === t: not NaN
  }
  return matched(set);
}

/** Profiles whose value at `key` passes `test` (missing values: `missing`). */
export function selectProfiles(ctx: EvaluationContext, key: string, test: (value: unknown) => boolean, missing: boolean): Bitset {
  const n = ctx.workspace.profileCount;
  const column = ctx.workspace.column(key);
  if (!column) return missing ? Bitset.full(n) : new Bitset(n);
  const set = new Bitset(n);
  column.select(n, test, missing, set);
  return set;
}
