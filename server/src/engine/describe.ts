import { conditionKind, type NameLookup } from './conditions';
import { isRecord } from './outcome';
import { shown } from './phrases';

export type { NameLookup } from './conditions';

/** A plain-English reading of one condition (by its kind; never throws, whatever the JSON holds). */
export function describeCondition(condition: unknown, names: NameLookup = {}): string {
  if (!isRecord(condition)) return 'an invalid condition';
  const kind = conditionKind(condition.type);
  return kind ? kind.describe(condition, names) : `a ${shown(condition.type)} condition`;
}

/** A plain-English reading of a group (ORed conditions). */
export function describeGroup(group: unknown, names: NameLookup = {}): string {
  const conditions = isRecord(group) && Array.isArray(group.conditions) ? group.conditions : [];
  if (conditions.length === 0) return 'no one (empty group)';
  return conditions.map((c) => describeCondition(c, names)).join(' OR ');
}

/** A plain-English reading of a whole definition (ANDed groups). */
export function describeDefinition(definition: unknown, names: NameLookup = {}): string {
  const groups = isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  if (groups.length === 0) return 'everyone (no condition groups)';
  return groups
    .map((g) => {
      const text = describeGroup(g, names);
      return groups.length > 1 && text.includes(' OR ') ? `(${text})` : text;
    })
    .join(' AND ');
}
