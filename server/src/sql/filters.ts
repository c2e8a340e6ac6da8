import type { ConditionPath } from '../engine/conditions';
import { isRecord } from '../engine/outcome';
import { compileValueFilter } from '../engine/valueFilter';
import { APPROXIMATIONS } from './approximations';
import type { CompileContext } from './context';
import { datePredicate, instantOf } from './dates';
import type { ValueImpl } from './layout';
import { phoneCountry } from './phone';
import { booleanOf, hoist, isKind, isPresent, numberOf, orFalse, scopeOf, stageOf, textOf } from './values';

/**
 * A filter of semantics §3 on one stored value, in SQL. The engine compiles the filter first, so
 * a filter it cannot evaluate is not evaluable here for the same reason; the SQL then follows
 * valueFilter.ts case by case: a missing value matches only `not-set`, a value of another type
 * matches nothing, texts compare case-sensitively.
 */
export function valueFilterSql(ctx: CompileContext, value: ValueImpl, filter: unknown, at: ConditionPath): string | { notEvaluable: string } {
  const compiled = compileValueFilter(filter, ctx.ref);
  if ('notEvaluable' in compiled) return compiled;
  const d = ctx.dialect;
  const f = filter as Record<string, unknown>;
  switch (f.type) {
    case 'existence':
      return f.operator === 'is-set' ? isPresent(d, value) : `(NOT ${isPresent(d, value)})`;
    case 'boolean':
      return orFalse(`${booleanOf(d, value)} = ${d.booleanLiteral(f.value === true)}`);
    case 'numeric':
      if (f.operator === 'between')
        return orFalse(`${numberOf(d, value)} BETWEEN ${d.numberLiteral(f.start as number)} AND ${d.numberLiteral(f.end as number)}`);
      return compareSql(ctx, numberOf(d, value), f.operator as string, f.value as number);
    case 'string':
      return stringFilterSql(ctx, value, f.operator as string, f.value, at);
    case 'list':
      return listFilterSql(ctx, value, f.operator as string, f.value);
    case 'date':
      return datePredicate(ctx, instantOf(ctx, value), filter);
  }
  return { notEvaluable: `the filter ${JSON.stringify(filter)} is not a filter the evaluator knows` };
}

const SQL_OPERATORS: Record<string, string> = {
  equals: '=',
  'not-equals': '<>',
  'greater-than': '>',
  'greater-than-or-equal': '>=',
  'less-than': '<',
  'less-than-or-equal': '<=',
};

/** `number <op> n` (numericComparison in valueFilter.ts); a NULL number passes nothing. */
export function compareSql(ctx: CompileContext, number: string, operator: string, n: number): string {
  const op = SQL_OPERATORS[operator];
  if (!op) throw new Error(`unknown numeric operator ${operator}`);
  return orFalse(`${number} ${op} ${ctx.dialect.numberLiteral(n)}`);
}

/** Whether a JavaScript comparison holds (for "does 0 pass?", decided at compile time). */
export function compareJs(value: number, operator: string, n: number): boolean {
  switch (operator) {
    case 'equals':
      return value === n;
    case 'not-equals':
      return value !== n;
    case 'greater-than':
      return value > n;
    case 'greater-than-or-equal':
      return value >= n;
    case 'less-than':
      return value < n;
    case 'less-than-or-equal':
      return value <= n;
  }
  return false;
}

function inList(ctx: CompileContext, text: string, values: readonly string[], negate: boolean): string {
  return orFalse(`${text} ${negate ? 'NOT IN' : 'IN'} (${values.map((v) => ctx.dialect.stringLiteral(v)).join(', ')})`);
}

function stringFilterSql(ctx: CompileContext, value: ValueImpl, operator: string, filterValue: unknown, at: ConditionPath): string {
  const d = ctx.dialect;
  const isText = isKind(d, value, 'string');
  const text = textOf(d, value);
  if (value.kind === 'column' && value.type === 'timestamp') return 'FALSE';
  if (operator === 'in' || operator === 'not-in') {
    const values = (filterValue as unknown[]).filter((v): v is string => typeof v === 'string');
    if (values.length === 0) return operator === 'in' ? 'FALSE' : isText;
    return inList(ctx, text, values, operator === 'not-in');
  }
  if (operator === 'phone-country-code-in' || operator === 'phone-country-code-not-in') {
    ctx.approximate(at, APPROXIMATIONS.phoneFormat);
    ctx.approximate(at, APPROXIMATIONS.phoneNationalPrefix);
    const codes = [...new Set((filterValue as unknown[]).filter((v): v is string => typeof v === 'string').map((c) => c.toUpperCase()))];
    // The text, then its country, computed once per profile (a column, not an expression, meets each calling code).
    const scope = scopeOf(value);
    const stage = stageOf(value);
    const hoistedText = hoist(ctx, text, scope, stage);
    const country = hoist(ctx, phoneCountry(ctx, hoistedText.sql), scope, hoistedText.stage).sql;
    if (operator === 'phone-country-code-in') return codes.length ? inList(ctx, country, codes, false) : 'FALSE';
    return codes.length ? inList(ctx, country, codes, true) : `(${country} IS NOT NULL)`;
  }
  // A null filter value compares as the empty text (SL).
  const needle = typeof filterValue === 'string' ? filterValue : '';
  const literal = d.stringLiteral(needle);
  const negatable = (test: string, negate: boolean) => orFalse(negate ? `NOT ${test}` : test);
  switch (operator) {
    case 'equals':
      return orFalse(`${text} = ${literal}`);
    case 'not-equals':
      return orFalse(`${text} <> ${literal}`);
    case 'contains':
    case 'not-contains':
    case 'starts-with':
    case 'not-starts-with':
    case 'ends-with':
    case 'not-ends-with': {
      const negate = operator.startsWith('not-');
      // Every text contains, starts and ends with the empty text.
      if (needle === '') return negate ? 'FALSE' : isText;
      const base = negate ? operator.slice(4) : operator;
      const test = base === 'contains' ? d.contains(text, literal) : base === 'starts-with' ? d.startsWith(text, literal) : d.endsWith(text, literal);
      return negatable(test, negate);
    }
    case 'regex':
    case 'nregex':
      if (d.regexEngine === 'ARE') ctx.approximate(at, APPROXIMATIONS.regexAre);
      if (d.regexEngine === 'POSIX') ctx.approximate(at, APPROXIMATIONS.regexPosix);
      return negatable(d.regexSearch(text, literal), operator === 'nregex');
  }
  throw new Error(`unknown text operator ${operator}`);
}

/** Whether a JSON element is `wanted` (JavaScript's ===; `nullMatchesEmpty`: list `contains` null also finds ""). */
function elementEquals(ctx: CompileContext, element: ValueImpl, wanted: unknown, nullMatchesEmpty: boolean): string {
  const d = ctx.dialect;
  if (typeof wanted === 'string') return orFalse(`${textOf(d, element)} = ${d.stringLiteral(wanted)}`);
  if (typeof wanted === 'number') return orFalse(`${numberOf(d, element)} = ${d.numberLiteral(wanted)}`);
  if (typeof wanted === 'boolean') return orFalse(`${booleanOf(d, element)} = ${d.booleanLiteral(wanted)}`);
  if (wanted === null) return nullMatchesEmpty ? `(${isKind(d, element, 'null')} OR ${orFalse(`${textOf(d, element)} = ''`)})` : isKind(d, element, 'null');
  // Objects, lists and undefined are never === an element read from JSON.
  return 'FALSE';
}

function someElement(ctx: CompileContext, list: ValueImpl, test: (element: ValueImpl) => string): string {
  if (list.kind !== 'json') return 'FALSE';
  return ctx.dialect.jsonSomeElement(list.sql, ctx.alias('l'), (element) => test({ kind: 'json', sql: element, scope: 'row', stage: 0 }));
}

function listFilterSql(ctx: CompileContext, value: ValueImpl, operator: string, filterValue: unknown): string {
  const d = ctx.dialect;
  const isList = isKind(d, value, 'array');
  const all = (...parts: string[]) => `(${parts.join(' AND ')})`;
  const some = (wanted: unknown, nullMatchesEmpty: boolean) => someElement(ctx, value, (e) => elementEquals(ctx, e, wanted, nullMatchesEmpty));
  switch (operator) {
    case 'contains':
      return some(filterValue, true);
    case 'not-contains':
      return all(isList, `NOT ${some(filterValue, true)}`);
    case 'contains-any':
    case 'contains-all':
    case 'not-contains-any':
    case 'not-contains-all': {
      if (!Array.isArray(filterValue)) return 'FALSE';
      const tests = filterValue.map((w) => some(w, false));
      const any = tests.length ? `(${tests.join(' OR ')})` : 'FALSE';
      const every = tests.length ? `(${tests.join(' AND ')})` : 'TRUE';
      if (operator === 'contains-any') return all(isList, any);
      if (operator === 'contains-all') return all(isList, every);
      if (operator === 'not-contains-any') return all(isList, `NOT ${any}`);
      return all(isList, `NOT ${every}`);
    }
    case 'contains-substring':
    case 'not-contains-substring': {
      const needle = typeof filterValue === 'string' ? filterValue : '';
      const test = someElement(ctx, value, (e) => (needle === '' ? isKind(d, e, 'string') : orFalse(d.contains(textOf(d, e), d.stringLiteral(needle)))));
      return operator === 'contains-substring' ? test : all(isList, `NOT ${test}`);
    }
  }
  if (operator.startsWith('length-') && typeof filterValue === 'number' && value.kind === 'json') {
    return all(isList, compareSql(ctx, d.jsonArrayLength(value.sql), operator.slice('length-'.length), filterValue));
  }
  return 'FALSE';
}

/** Whether a filter is a date filter (its value is read as an instant). */
export function isDateFilter(filter: unknown): boolean {
  return isRecord(filter) && filter.type === 'date';
}
