import { LOCATION_FIELDS, PREDICTIVE_FIELDS, PROFILE_ATTRIBUTES } from '../../engine/recordShapes';
import { ConditionSqlBuilder } from '../builder';
import { CompileContext } from '../context';
import type { SqlDialect } from '../dialect';
import { columnSql, jsonPath, tableSql, type InstantImpl, type LayoutGap, type TableLayout, type ValueImpl } from '../layout';
import { referenceTime } from '../../engine/time';
import { WORKSPACE_NAMES, workspaceLayout, type WorkspaceNames } from './workspace';

/**
 * The workspace layout with the profile values every segment reads taken out of the `attributes`
 * document once, when the data is loaded, rather than by every query (docs/sql.md, "The DuckDB
 * engine"): the profiles table also holds a JSON column per documented attribute path (`a/email`,
 * `a/location/city`, `a/subscriptions/email/marketing`...: the value at that path, exactly as the
 * `attributes` document holds it) and a column of epoch milliseconds per documented date
 * (`t/created`...: what the compiler's own parsing gives for that value). A value below a column's
 * path is read from that column (a small document); any other value from `attributes`. The
 * answers are the workspace layout's by construction: `materializeProfileStatements` computes
 * the columns with the workspace layout's own SQL.
 */

/** The attribute paths held as JSON columns, longest first (a value is read from its longest prefix here). */
export const MATERIALIZED_PATHS: readonly (readonly string[])[] = [
  ...['email', 'sms', 'mobile_push'].flatMap((channel) => ['marketing', 'transactional'].map((kind) => ['subscriptions', channel, kind])),
  ...[...LOCATION_FIELDS.keys()].map((field) => ['location', field]),
  ...[...PREDICTIVE_FIELDS.keys()].map((field) => ['predictive_analytics', field]),
  ...[...PROFILE_ATTRIBUTES.keys()].map((name) => [name]),
].sort((a, b) => b.length - a.length);

const DATE_PATHS: readonly (readonly string[])[] = [['created'], ['updated'], ['last_event_date'], ['predictive_analytics', 'expected_date_of_next_order']];

const key = (path: readonly string[]) => path.join('\u0000');
const MATERIALIZED = new Set(MATERIALIZED_PATHS.map(key));
const DATES = new Set(DATE_PATHS.map(key));

export const valueColumn = (path: readonly string[]): string => `a/${path.join('/')}`;
export const instantColumn = (path: readonly string[]): string => `t/${path.join('/')}`;

interface MaterializedOptions {
  /** Whether the `t/...` instant columns exist yet (not while they are being computed). */
  instants: boolean;
  /** The profiles table (default: the names' own). */
  profilesTable?: string;
}

export function materializedWorkspaceLayout(names: WorkspaceNames = WORKSPACE_NAMES, options: MaterializedOptions = { instants: true }): TableLayout {
  const base = workspaceLayout(names, 'workspace');
  const profilesTable = [...names.schema, options.profilesTable ?? names.tables.profiles];
  return {
    ...base,
    profiles: { ...base.profiles, table: profilesTable },
    profileValue: (alias, path, d): ValueImpl | LayoutGap => {
      for (let n = path.length; n > 0; n--) {
        const prefix = path.slice(0, n);
        if (!MATERIALIZED.has(key(prefix))) continue;
        const sql = jsonPath(d, columnSql(d, alias, valueColumn(prefix)), path.slice(n));
        const instant: InstantImpl | undefined =
          options.instants && n === path.length && DATES.has(key(path))
            ? { sql: columnSql(d, alias, instantColumn(path)), unit: 'ms', scope: 'profile', stage: 0 }
            : undefined;
        return { kind: 'json', sql, scope: 'profile', stage: 0, ...(instant ? { instant } : {}) };
      }
      return base.profileValue(alias, path, d);
    },
  };
}

/**
 * Statements that turn the workspace layout's profiles table into the materialised layout's
 * (same name, same rows in ID order, plus the columns), through two temporary tables.
 */
export function materializeProfileStatements(d: SqlDialect, names: WorkspaceNames = WORKSPACE_NAMES): string[] {
  const q = (name: string) => d.quoteIdentifier(name);
  const t = (name: string) => tableSql(d, [...names.schema, name]);
  const c = names.columns.profiles;
  const wide = 'sl_profiles_values';
  const timed = 'sl_profiles_instants';
  const values = MATERIALIZED_PATHS.map((path) => `${jsonPath(d, columnSql(d, 'p', c.attributes), path)} AS ${q(valueColumn(path))}`);
  // The instants, parsed by the compiler's own SQL from the value columns (derived columns of the source).
  const ctx = new CompileContext(d, materializedWorkspaceLayout(names, { instants: false, profilesTable: wide }), referenceTime(0), undefined);
  const builder = new ConditionSqlBuilder(ctx, []);
  const instants = DATE_PATHS.map((path) => {
    const value = builder.profileValue(path, []);
    if ('notEvaluable' in value) throw new Error(`${path.join('.')}: ${value.notEvaluable}`);
    return `${(builder.instant(value) as unknown as InstantImpl).sql} AS ${q(instantColumn(path))}`;
  });
  const kept = [c.id, c.attributes, ...MATERIALIZED_PATHS.map(valueColumn)].map((name) => columnSql(d, 'p', name));
  return [
    `CREATE TABLE ${t(wide)} AS SELECT ${columnSql(d, 'p', c.id)}, ${columnSql(d, 'p', c.attributes)}, ${values.join(', ')} FROM ${t(names.tables.profiles)} AS p ORDER BY ${columnSql(d, 'p', c.id)}`,
    `CREATE TABLE ${t(timed)} AS SELECT ${[...kept, ...instants].join(', ')} FROM ${ctx.derived.source(d, ctx.layout)}`,
    `DROP TABLE ${t(names.tables.profiles)}`,
    `DROP TABLE ${t(wide)}`,
    `ALTER TABLE ${t(timed)} RENAME TO ${q(names.tables.profiles)}`,
  ];
}
