import { conditionKind } from '../engine/conditions';
import { isRecord } from '../engine/outcome';
import { referenceTime } from '../engine/time';
import { isSqlNotEvaluable } from '../engine/conditions/sqlBuilder';
import { ConditionSqlBuilder, instantImpl } from './builder';
import { afterNow } from './dates';
import { CompileContext, pointerOf, type Approximation, type Precondition, type SqlCatalog } from './context';
import { SqlLiteralError, type DialectName, type SqlDialect } from './dialect';
import { DIALECTS } from './dialects';
import { columnSql, type TableLayout } from './layout';
import { workspaceLayout } from './layouts/workspace';
import { setupStatements } from './referenceTables';

export interface CompileOptions {
  dialect: DialectName | SqlDialect;
  /** Where the data is (default: the workspace layout). */
  layout?: TableLayout;
  /** "Now" (epoch milliseconds): every relative date filter is measured from it, written into the SQL as literals. */
  now: number;
  /** Facts about the data; without them the compiled SQL lists preconditions. */
  catalog?: SqlCatalog;
}

export interface CompiledCondition {
  path: (string | number)[];
  pointer: string;
  type: string | null;
  /** The predicate on the profile row `p` (null when not evaluable). */
  predicate: string | null;
  notEvaluable: string | null;
  /** Its column in the flags and counts forms. */
  column: string;
}

export interface CompiledGroup {
  conditions: CompiledCondition[];
  /** Columns of the counts form: the group's count and its count ANDed with every group before it. */
  column: string;
  afterAndColumn: string;
}

/** A segment definition as SQL: the forms an evaluation engine needs, and what SQL cannot do exactly. */
export interface CompiledSegment {
  dialect: DialectName;
  layout: string;
  now: string;
  /** The matching profile IDs, ordered (null when not evaluable). */
  sql: string | null;
  /** `SELECT COUNT(*) AS matched` (null when not evaluable). */
  countSql: string | null;
  /** One row: total, each evaluable condition's count, each group's, the running AND, matched. */
  countsSql: string;
  /** One row per profile: its ID and a boolean column per evaluable condition. */
  flagsSql: string;
  groups: CompiledGroup[];
  approximations: Approximation[];
  notEvaluable: { path: (string | number)[]; pointer: string; reason: string }[];
  preconditions: Precondition[];
  /** Statements that create and fill the reference tables the SQL joins (run once per database). */
  setup: string[];
  /** A page of IDs after `after` (keyset pagination, in the database's order), or null when not evaluable. */
  pageSql(page: { limit: number; after?: string }): string | null;
}

/** A comment line holding no line break (so nothing in it can leave the comment). */
export function commentLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must not stay raw
  return `-- ${text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, ' ')}`;
}

function compileCondition(ctx: CompileContext, condition: unknown, path: (string | number)[], column: string): CompiledCondition {
  const base = { path, pointer: pointerOf(path), column, type: isRecord(condition) && typeof condition.type === 'string' ? condition.type : null };
  const fail = (reason: string): CompiledCondition => ({ ...base, predicate: null, notEvaluable: reason });
  if (!isRecord(condition)) return fail('the condition is not an object');
  const kind = conditionKind(condition.type);
  if (!kind) return fail(`unknown condition type ${JSON.stringify(condition.type)}`);
  try {
    const result = kind.sql(condition, new ConditionSqlBuilder(ctx, path));
    if ('notEvaluable' in result) return fail(result.notEvaluable);
    return { ...base, predicate: (result as unknown as { sql: string }).sql, notEvaluable: null };
  } catch (error) {
    if (error instanceof SqlLiteralError) return fail(error.message);
    throw error;
  }
}

/**
 * Compiles a segment definition (`{"condition_groups": [...]}`) to SQL for one dialect and table
 * layout. Pure: the same definition, layout, dialect and `now` give the same text.
 */
export function compileSegment(definition: unknown, options: CompileOptions): CompiledSegment {
  const dialect = typeof options.dialect === 'string' ? DIALECTS[options.dialect] : options.dialect;
  const layout = options.layout ?? workspaceLayout();
  const ctx = new CompileContext(dialect, layout, referenceTime(options.now), options.catalog);
  const groupsJson = isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  const groups: CompiledGroup[] = groupsJson.map((group, g) => {
    const conditions = isRecord(group) && Array.isArray(group.conditions) ? group.conditions : [];
    return {
      conditions: conditions.map((condition, c) => compileCondition(ctx, condition, ['condition_groups', g, 'conditions', c], `c${g + 1}_${c + 1}`)),
      column: `g${g + 1}`,
      afterAndColumn: `g${g + 1}_and`,
    };
  });
  const notEvaluable = groups.flatMap((group) =>
    group.conditions.filter((c) => c.notEvaluable !== null).map((c) => ({ path: c.path, pointer: c.pointer, reason: c.notEvaluable as string })),
  );
  return assemble(ctx, groups, notEvaluable, options.now, existsAsOfNow(ctx));
}

/**
 * The profiles that exist as of now: one `created` after now does not yet (semantics §2), and
 * matches nothing nor counts in the total. TRUE when the layout has no creation time, or when the
 * catalog says no profile was created after now.
 */
function existsAsOfNow(ctx: CompileContext): string {
  const latest = ctx.catalog?.latestCreated;
  if (latest === null || (latest !== undefined && latest <= ctx.ref.now)) return 'TRUE';
  const b = new ConditionSqlBuilder(ctx, []);
  const created = b.profileValue(['created'], []);
  if (isSqlNotEvaluable(created)) return 'TRUE';
  return `NOT ${afterNow(ctx, instantImpl(b.instant(created)))}`;
}

function groupPredicate(group: CompiledGroup, indent: string): string | null {
  if (group.conditions.some((c) => c.predicate === null)) return null;
  if (group.conditions.length === 0) return 'FALSE';
  const lines = group.conditions.map(
    (c, i) => `${indent}  ${i === 0 ? '' : 'OR '}${c.predicate}${c.type && conditionKind(c.type) ? ` ${commentLine(`${c.column}: ${c.type}`)}` : ''}`,
  );
  return `(\n${lines.join('\n')}\n${indent})`;
}

/**
 * `SELECT COUNT(*) AS total, <each condition's count>, <each group's count and the running AND>,
 * matched` over a flags relation (one boolean column per evaluable condition); no FROM. A column is
 * left out where a condition it needs is not evaluable. `matchedTest` is the segment's test over the
 * flags (null when a condition is not evaluable).
 */
export function countsSelect(groups: readonly CompiledGroup[], q: (name: string) => string): { sql: string; matchedTest: string | null } {
  const conditions = groups.flatMap((g) => g.conditions).filter((c) => c.predicate !== null);
  const count = (test: string, column: string) => `,\n  SUM(CASE WHEN ${test} THEN 1 ELSE 0 END) AS ${q(column)}`;
  let counts = `SELECT COUNT(*) AS ${q('total')}${conditions.map((c) => count(q(c.column), c.column)).join('')}`;
  let running: string[] | null = [];
  for (const group of groups) {
    const test = group.conditions.some((c) => c.predicate === null)
      ? null
      : group.conditions.length === 0
        ? 'FALSE'
        : `(${group.conditions.map((c) => q(c.column)).join(' OR ')})`;
    if (test) counts += count(test, group.column);
    running = running && test ? [...running, test] : null;
    if (running) counts += count(running.join(' AND '), group.afterAndColumn);
  }
  if (running) counts += running.length ? count(running.join(' AND '), 'matched') : `,\n  COUNT(*) AS ${q('matched')}`;
  return { sql: counts, matchedTest: running === null ? null : running.length ? running.join(' AND ') : 'TRUE' };
}

function assemble(ctx: CompileContext, groups: CompiledGroup[], notEvaluable: CompiledSegment['notEvaluable'], now: number, exists: string): CompiledSegment {
  const d = ctx.dialect;
  const layout = ctx.layout;
  const q = (name: string) => d.quoteIdentifier(name);
  const id = columnSql(d, 'p', layout.profiles.id);
  const source = ctx.derived.source(d, layout);
  const approximations = [...ctx.approximations.values()];
  const preconditions = [...ctx.preconditions.values()];
  const header = [
    commentLine(
      `Segment Lens: ${d.name} SQL over the ${layout.name} layout; now = ${new Date(now).toISOString()} (D0 = ${new Date(ctx.ref.d0).toISOString()}).`,
    ),
    ...approximations.map((a) => commentLine(`Approximation at ${a.pointer}: ${a.rule}`)),
    ...preconditions.map((p) => commentLine(`Requires (else not evaluable: ${p.reason}): ${p.sql}`)),
    ...notEvaluable.map((n) => commentLine(`Not evaluable at ${n.pointer}: ${n.reason}`)),
  ].join('\n');
  const evaluable = notEvaluable.length === 0;
  const where = [exists, ...groups.map((g) => groupPredicate(g, '  '))].join('\n  AND ');
  const idsSql = (extra: string, tail: string) =>
    `${header}\nSELECT ${id} AS ${q('profile_id')}\nFROM ${source}\nWHERE ${where}${extra}\nORDER BY ${id}${tail}`;
  const conditions = groups.flatMap((g) => g.conditions).filter((c) => c.predicate !== null);
  const flagsSql = `${header}\nSELECT ${id} AS ${q('profile_id')}${conditions.map((c) => `,\n  ${c.predicate} AS ${q(c.column)}`).join('')}\nFROM ${source}\nWHERE ${exists}`;
  const counts = countsSelect(groups, q).sql;
  const flagsBody = flagsSql.slice(header.length + 1);
  // Fenced: PostgreSQL would inline the flags into each count that reads them, so every condition
  // would be computed once for its own count, its group's, the running AND's and the segment's.
  const countsSql = `${header}\nWITH flags AS (\n${flagsBody}${d.fence}\n)\n${counts}\nFROM flags AS ${q('flags')}`;
  return {
    dialect: d.name,
    layout: layout.name,
    now: new Date(now).toISOString(),
    sql: evaluable ? idsSql('', '') : null,
    countSql: evaluable ? `${header}\nSELECT COUNT(*) AS ${q('matched')}\nFROM ${source}\nWHERE ${where}` : null,
    countsSql,
    flagsSql,
    groups,
    approximations,
    notEvaluable,
    preconditions,
    setup: setupStatements(d, layout, ctx.references),
    pageSql: ({ limit, after }) =>
      evaluable ? idsSql(after === undefined ? '' : `\n  AND ${id} > ${d.stringLiteral(after)}`, `\nLIMIT ${d.integerLiteral(limit)}`) : null,
  };
}

/** Which query `sqlText` prints: the matching IDs, or their count. */
export type SqlTextForm = 'select' | 'count';

/**
 * The text `segment-lens sql` prints and "Copy Segment as SQL" copies: the query of `form` with
 * its header comments and a closing `;`, or, when a condition is not evaluable, only the header
 * comments saying why (there is no query).
 */
export function sqlText(compiled: CompiledSegment, form: SqlTextForm = 'select'): string {
  const query = form === 'count' ? compiled.countSql : compiled.sql;
  return query === null
    ? compiled.countsSql
        .split('\n')
        .filter((line) => line.startsWith('--'))
        .join('\n')
    : `${query};`;
}
