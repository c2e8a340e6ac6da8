import type { JsonKind, SqlDialect } from './dialect';
import type { CompileContext } from './context';
import type { InstantImpl, Scope, ValueImpl } from './layout';

/**
 * SQL over stored values (`ValueImpl`): presence, type tests and typed readings. Every reading
 * is NULL unless the value has that type, so a comparison on it is NULL (and is wrapped in
 * `orFalse`) for values of another type: the filter families of semantics §3 never coerce.
 */

/** Whether the SQL of a value is the same for every row of the profile (see DerivedColumns). */
export function scopeOf(...parts: (ValueImpl | InstantImpl)[]): Scope {
  return parts.some((part) => 'scope' in part && part.scope === 'row') ? 'row' : 'profile';
}

/** The derived-column stage an expression over these parts reads from (0: the profiles table). */
export function stageOf(...parts: (ValueImpl | InstantImpl)[]): number {
  return Math.max(0, ...parts.map((part) => ('stage' in part ? part.stage : 0)));
}

/** A boolean that is FALSE where `sql` is NULL. */
export function orFalse(sql: string): string {
  return `COALESCE(${sql}, FALSE)`;
}

export function isPresent(d: SqlDialect, value: ValueImpl): string {
  switch (value.kind) {
    case 'json':
      return `(${value.sql} IS NOT NULL AND NOT ${d.jsonIs(value.sql, 'null')})`;
    case 'column':
      return `(${value.sql} IS NOT NULL)`;
    case 'missing':
      return 'FALSE';
  }
}

const COLUMN_KIND: Record<string, JsonKind | undefined> = { text: 'string', number: 'number', boolean: 'boolean' };

/** Whether the value is present and of a JSON kind (a typed column is of its type's kind). */
export function isKind(d: SqlDialect, value: ValueImpl, kind: JsonKind): string {
  switch (value.kind) {
    case 'json':
      return d.jsonIs(value.sql, kind);
    case 'column':
      return COLUMN_KIND[value.type] === kind ? `(${value.sql} IS NOT NULL)` : 'FALSE';
    case 'missing':
      return 'FALSE';
  }
}

/** The text of a string value, else NULL. */
export function textOf(d: SqlDialect, value: ValueImpl): string {
  if (value.kind === 'json') return `CASE WHEN ${d.jsonIs(value.sql, 'string')} THEN ${d.jsonText(value.sql)} END`;
  if (value.kind === 'column' && value.type === 'text') return value.sql;
  return 'NULL';
}

/** The number of a number value, else NULL. */
export function numberOf(d: SqlDialect, value: ValueImpl): string {
  if (value.kind === 'json' && value.number !== undefined) return value.number;
  if (value.kind === 'json') return `CASE WHEN ${d.jsonIs(value.sql, 'number')} THEN ${d.jsonNumber(value.sql)} END`;
  if (value.kind === 'column' && value.type === 'number') return value.sql;
  return 'NULL';
}

export function booleanOf(d: SqlDialect, value: ValueImpl): string {
  if (value.kind === 'json') return `CASE WHEN ${d.jsonIs(value.sql, 'boolean')} THEN ${d.jsonBoolean(value.sql)} END`;
  if (value.kind === 'column' && value.type === 'boolean') return value.sql;
  return 'NULL';
}

/**
 * Computes a profile-level expression once per profile (a derived column) and returns a reference
 * to it; row-level expressions stay where they are.
 */
export function hoist(ctx: CompileContext, sql: string, scope: Scope, stage: number): { sql: string; stage: number } {
  if (scope !== 'profile') return { sql, stage };
  const name = ctx.derived.add(sql, stage + 1);
  return { sql: `p.${ctx.dialect.quoteIdentifier(name)}`, stage: stage + 1 };
}

/** JavaScript's whitespace (String.prototype.trim, \s) as a regular-expression character class. */
export function jsWhitespaceClass(d: SqlDialect): string {
  const codePoints = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
  return `[${codePoints.map((c) => (c === 0x20 ? ' ' : d.regexCodePoint(c))).join('')}${d.regexCodePoint(0x2000)}-${d.regexCodePoint(0x200a)}]`;
}

/** `text.trim()` of JavaScript. */
export function trimJs(d: SqlDialect, text: string): string {
  const ws = jsWhitespaceClass(d);
  return d.regexReplaceAll(text, `^${ws}+|${ws}+$`, '');
}

/** An instant that is never there. */
export const NO_INSTANT: InstantImpl = { sql: 'NULL', unit: 'ms', scope: 'profile', stage: 0 };
