import { Bitset } from '../bitset';
import { indexDistinct, type DistinctInstants } from '../column';
import { isCountryCode } from '../countries';
import { isRecord, matched, notEvaluable, type Condition, type ConditionOutcome, type EvaluationContext } from '../outcome';
import { describeFilter, propertyLabel, shown } from '../phrases';
import { customPropertyPath, parsePropertyPath, WELL_KNOWN_PROPERTIES } from '../propertyPath';
import { compileDateFilter, parseInstant, type ReferenceTime } from '../time';
import { PHONE_REGION_CODES, phoneRegionCodeOf, phoneRegionName } from '../phoneCountry';
import { compileValueFilter } from '../valueFilter';
import { profileValueKey } from '../workspace';
import type { ConditionKind, KindProblem, SeriesContext } from './kind';
import { isSqlNotEvaluable, type SqlBuilder, type SqlPredicate, type SqlResult } from './sqlBuilder';
import { STRING_OPERATOR_CHOICES } from './snippets';

/** The flattened profile-value key of a `profile-property` condition's `property`. */
export function propertyKey(property: unknown): { key: string } | { notEvaluable: string } {
  if (typeof property !== 'string') return { notEvaluable: 'the condition has no "property"' };
  const path = parsePropertyPath(property);
  switch (path.kind) {
    case 'attribute':
      return { key: profileValueKey.attribute(path.name) };
    case 'location':
      return { key: profileValueKey.location(path.field) };
    case 'custom':
      return { key: profileValueKey.custom(path.name) };
    case 'invalid':
      return { notEvaluable: path.reason };
    case 'unknown':
      return { notEvaluable: `"${property}" is not a built-in profile property (a custom property is written properties['${property}'])` };
  }
}

/** A date filter on a profile value: over the column's parsed instants (a value that is no date never matches). */
export function selectByDate(ctx: EvaluationContext, key: string, filter: unknown): ConditionOutcome {
  const window = compileDateFilter(filter, ctx.ref);
  if ('notEvaluable' in window) return notEvaluable(window.notEvaluable);
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  const column = ctx.workspace.column(key);
  if (!column) return matched(set);
  const test = window.test;
  const distinct = column.distinctInstants(n, parseInstant);
  if (distinct) {
    // Each distinct date once, then each row by its date's index.
    const { values, index } = distinct;
    const passes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) passes[i] = test(values[i]) ? 1 : 0;
    for (let p = 0; p < n; p++) {
      const i = index[p];
      if (i >= 0 && passes[i] === 1) set.add(p);
    }
    return matched(set);
  }
  const instants = column.instants(n, parseInstant);
  const range = window.range;
  if (range) {
    // A window compared in place: calling `test`, a new function for every filter compiled,
    // kept V8 from keeping this loop optimised across filters. NaN (no date) fails both sides.
    const { lo, loInclusive, hi, hiInclusive } = range;
    for (let p = 0; p < n; p++) {
      if ((p & 0xffff) === 0) ctx.checkpoint();
      const t = instants[p];
      if ((loInclusive ? t >= lo : t > lo) && (hiInclusive ? t <= hi : t < hi)) set.add(p);
    }
    return matched(set);
  }
  for (let p = 0; p < n; p++) {
    if ((p & 0xffff) === 0) ctx.checkpoint();
    const t = instants[p];
    if (t === t && test(t)) set.add(p); // t === t: not NaN
  }
  return matched(set);
}

/**
 * A date filter on a profile value as of many instants: the value's instants do not change, so
 * each distinct instant is tested once per day instead of once per profile (birthdays repeat the
 * same few thousand days). Each day's set is exactly `selectByDate`'s as of it.
 */
export function selectByDateSeries(ctx: SeriesContext, key: string, filter: unknown, refs: readonly ReferenceTime[]): ConditionOutcome[] {
  const n = ctx.workspace.profileCount;
  const column = ctx.workspace.column(key);
  const { values, index: valueOf } = column?.distinctInstants(n, parseInstant) ?? (indexDistinct(column?.instants(n, parseInstant), n) as DistinctInstants);
  const passes = new Uint8Array(values.length);
  return refs.map((ref) => {
    const window = compileDateFilter(filter, ref);
    if ('notEvaluable' in window) return notEvaluable(window.notEvaluable);
    const test = window.test;
    for (let i = 0; i < values.length; i++) passes[i] = test(values[i]) ? 1 : 0;
    const set = new Bitset(n);
    for (let p = 0; p < n; p++) {
      if ((p & 0xffff) === 0) ctx.checkpoint();
      const index = valueOf[p];
      if (index >= 0 && passes[index] === 1) set.add(p);
    }
    return matched(set);
  });
}

/**
 * `phone-country-code-in` / `-not-in` on a profile value: the column's phone countries are read
 * once per workspace (`Column.codes`), so every later evaluation and edit compares small codes. A
 * number whose country cannot be determined, or a value that is no text, matches neither.
 */
export function selectByPhoneCountry(ctx: EvaluationContext, key: string, filter: { operator: unknown; value: unknown }): ConditionOutcome {
  if (!Array.isArray(filter.value)) return notEvaluable(`"${String(filter.operator)}" needs a list of country codes`);
  const n = ctx.workspace.profileCount;
  const set = new Bitset(n);
  const column = ctx.workspace.column(key);
  if (!column) return matched(set);
  const codes = column.codes('phone-country', n, phoneRegionCodeOf);
  const countries = new Set(filter.value.filter((c): c is string => typeof c === 'string').map((c) => c.toUpperCase()));
  const wanted = filter.operator === 'phone-country-code-in';
  // passes[c]: whether the country of code c matches (-1: not asked yet; code 0, no country, never does).
  const passes = new Int8Array(PHONE_REGION_CODES).fill(-1);
  passes[0] = 0;
  for (let p = 0; p < n; p++) {
    if ((p & 0xffff) === 0) ctx.checkpoint();
    const code = codes[p];
    let pass = passes[code];
    if (pass < 0) pass = passes[code] = countries.has(phoneRegionName(code)!) === wanted ? 1 : 0;
    if (pass === 1) set.add(p);
  }
  return matched(set);
}

const isPhoneFilter = (filter: unknown): filter is { operator: unknown; value: unknown } =>
  isRecord(filter) && filter.type === 'string' && (filter.operator === 'phone-country-code-in' || filter.operator === 'phone-country-code-not-in');

/** Profiles whose value at `key` passes `test` (missing values: `missing`). */
export function selectProfiles(ctx: EvaluationContext, key: string, test: (value: unknown) => boolean, missing: boolean): Bitset {
  const n = ctx.workspace.profileCount;
  const column = ctx.workspace.column(key);
  if (!column) return missing ? Bitset.full(n) : new Bitset(n);
  const set = new Bitset(n);
  column.select(n, test, missing, set);
  return set;
}

/** `"name" = "value"` for evidence: a profile's value, or "not set". */
export function evidenceValue(value: unknown): string {
  return value === undefined ? 'not set' : (JSON.stringify(value) ?? 'not set');
}

/** The property name: invalid paths are errors, names that are neither built in nor custom are likely typos. */
function checkPropertyName(
  name: string,
  report: (problem: KindProblem) => void,
  nearest: (input: string, candidates: readonly string[]) => string | undefined,
): void {
  const parsed = parsePropertyPath(name);
  if (parsed.kind === 'invalid') {
    report({ at: ['property'], severity: 'error', code: 'invalid-property-name', message: parsed.reason });
  } else if (parsed.kind === 'unknown') {
    const suggestion = nearest(name, WELL_KNOWN_PROPERTIES);
    const asCustom = customPropertyPath(name);
    report({
      at: ['property'],
      severity: 'warning',
      code: 'unknown-profile-property',
      message: `${JSON.stringify(name)} is not one of Klaviyo's built-in profile properties.${suggestion ? ` Did you mean ${JSON.stringify(suggestion)}?` : ''} A custom property is written ${JSON.stringify(asCustom)}.`,
      fixes: [
        ...(suggestion ? [{ title: `Change to ${JSON.stringify(suggestion)}`, value: suggestion, isPreferred: true }] : []),
        { title: `Change to ${JSON.stringify(asCustom)}`, value: asCustom },
      ],
    });
  }
}

/** Phone-country filters take ISO alpha-2 codes. */
function checkPhoneCodes(filter: unknown, report: (problem: KindProblem) => void): void {
  if (!isRecord(filter) || (filter.operator !== 'phone-country-code-in' && filter.operator !== 'phone-country-code-not-in') || !Array.isArray(filter.value))
    return;
  filter.value.forEach((item, index) => {
    if (typeof item === 'string' && !(item.length === 2 && isCountryCode(item))) {
      report({
        at: ['filter', 'value', index],
        severity: 'warning',
        code: 'unknown-country-code',
        message: `${JSON.stringify(item)} is not an ISO 3166 alpha-2 country code such as "US" or "GB".`,
      });
    }
  });
}

/** Where a `profile-property` condition's value is in the profile resource's `attributes`. */
export function propertyAttributePath(property: unknown): { path: string[] } | { notEvaluable: string } {
  const key = propertyKey(property);
  if ('notEvaluable' in key) return key;
  const path = parsePropertyPath(property as string);
  if (path.kind === 'location') return { path: ['location', path.field] };
  if (path.kind === 'custom') return { path: ['properties', path.name] };
  return { path: [(path as { name: string }).name] };
}

/** profile-property as SQL: the filter on the value (a date filter on the instant it denotes). */
function propertySql(condition: Condition, b: SqlBuilder): SqlResult<SqlPredicate> {
  const path = propertyAttributePath(condition.property);
  if ('notEvaluable' in path) return path;
  const value = b.profileValue(path.path, ['property']);
  if (isSqlNotEvaluable(value)) return value;
  if (isRecord(condition.filter) && condition.filter.type === 'date') return b.dateFilter(b.instant(value), condition.filter, ['filter']);
  return b.valueFilter(value, condition.filter, ['filter']);
}

/** profile-property: a filter on one of the profile's values (semantics §3). */
export const profileProperty: ConditionKind = {
  type: 'profile-property',
  template: {
    title: 'A profile property',
    description: 'Email, location, a custom property, …',
    body: `{ "type": "profile-property", "property": "\${1:email}", "filter": { "type": "string", "operator": "\${2|${STRING_OPERATOR_CHOICES}|}", "value": "\${3}" } }`,
  },

  evaluate(ctx: EvaluationContext, condition: Condition): ConditionOutcome {
    const key = propertyKey(condition.property);
    if ('notEvaluable' in key) return notEvaluable(key.notEvaluable);
    if (isRecord(condition.filter) && condition.filter.type === 'date') return selectByDate(ctx, key.key, condition.filter);
    if (isPhoneFilter(condition.filter)) return selectByPhoneCountry(ctx, key.key, condition.filter);
    const filter = compileValueFilter(condition.filter, ctx.ref);
    if ('notEvaluable' in filter) return notEvaluable(filter.notEvaluable);
    return matched(selectProfiles(ctx, key.key, filter.test, filter.matchesMissing));
  },

  // Date filters in one pass over the distinct dates per instant; other filters do not move with it.
  evaluateSeries(ctx, condition, refs) {
    const key = propertyKey(condition.property);
    if ('notEvaluable' in key || !isRecord(condition.filter) || condition.filter.type !== 'date') return undefined;
    return selectByDateSeries(ctx, key.key, condition.filter, refs);
  },

  explain(ctx, condition, profile) {
    const key = propertyKey(condition.property);
    if ('notEvaluable' in key) return { text: key.notEvaluable };
    return { text: `${shown(condition.property)} = ${evidenceValue(ctx.workspace.profileValue(profile, key.key))}` };
  },

  describe: (condition) => `${propertyLabel(condition.property)} ${describeFilter(condition.filter)}`,

  notes: () => [],

  sql: propertySql,

  check(condition, report, ctx) {
    if (typeof condition.property === 'string') checkPropertyName(condition.property, report, ctx.nearest);
    checkPhoneCodes(condition.filter, report);
  },
};
