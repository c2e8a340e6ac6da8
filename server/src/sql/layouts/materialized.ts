import { JSON_BOOLEAN, JSON_NUMBER, JSON_STRING, LOCATION_FIELDS, PREDICTIVE_FIELDS, PROFILE_ATTRIBUTES, SUBSCRIPTION_FIELDS } from '../../engine/recordShapes';
import { ConditionSqlBuilder } from '../builder';
import { CompileContext } from '../context';
import type { SqlDialect } from '../dialect';
import { duckdbJsonPointer } from '../dialects/duckdb';
import { columnSql, jsonPath, tableSql, type ColumnType, type InstantImpl, type LayoutGap, type TableLayout, type ValueImpl } from '../layout';
import { referenceTime } from '../../engine/time';
import { booleanOf, numberOf, textOf } from '../values';
import { duckdbLoadStatements, type WorkspaceFiles } from '../workspaceTables';
import { WORKSPACE_NAMES, workspaceLayout, type WorkspaceNames } from './workspace';

/**
 * The workspace layout with the profile values every segment reads taken out of the `attributes`
 * document once, when the data is loaded, rather than by every query (docs/sql.md, "The DuckDB
 * engine"). The profiles table also holds:
 *  - a typed column per documented scalar attribute path of one JSON type (`s/email`,
 *    `s/location/city`, `n/predictive_analytics/total_clv`,
 *    `b/subscriptions/email/marketing/can_receive_email_marketing`...: VARCHAR, DOUBLE or
 *    BOOLEAN, NULL unless the value there has its documented type, which is what the compiler
 *    reads of such a value anyway: a value of another type is missing, `documentedProfileTypes`);
 *  - a JSON column per other documented path (`a/location/latitude`,
 *    `a/subscriptions/email/marketing`...: the value at that path, exactly as `attributes` holds it);
 *  - a column of epoch milliseconds per documented date (`t/created`...: what the compiler's own
 *    parsing gives for that value);
 *  - `pidx`, an integer numbering the profiles in ID order (the layout's profile key).
 * The events table also holds the profile's `pidx` and `n/$value` (the number of `$value` when it
 * is a JSON number, else NULL), and is in metric, `pidx` and time order. A value at a typed path is
 * read from its column; a value below a JSON column's path from that column (a small document);
 * any other value from `attributes`. The answers are the workspace layout's by construction:
 * `materializeStatements` computes the columns with the workspace layout's own SQL.
 */

const SUBSCRIPTION_CHANNELS = ['email', 'sms', 'mobile_push'];
const SUBSCRIPTION_KINDS = ['marketing', 'transactional'];

/** The documented scalar paths of one JSON type, held as typed columns. */
export const TYPED_PATHS: readonly { path: readonly string[]; type: Exclude<ColumnType, 'timestamp'> }[] = (() => {
  const typeOf = (types: number | undefined): Exclude<ColumnType, 'timestamp'> | undefined =>
    types === JSON_STRING ? 'text' : types === JSON_NUMBER ? 'number' : types === JSON_BOOLEAN ? 'boolean' : undefined;
  const paths: { path: readonly string[]; type: Exclude<ColumnType, 'timestamp'> }[] = [];
  const add = (path: readonly string[], types: number | undefined) => {
    const type = typeOf(types);
    if (type) paths.push({ path, type });
  };
  for (const [name, types] of PROFILE_ATTRIBUTES) add([name], types);
  for (const [field, types] of LOCATION_FIELDS) add(['location', field], types);
  for (const [field, types] of PREDICTIVE_FIELDS) add(['predictive_analytics', field], types);
  for (const channel of SUBSCRIPTION_CHANNELS)
    for (const kind of SUBSCRIPTION_KINDS) for (const [field, types] of SUBSCRIPTION_FIELDS) add(['subscriptions', channel, kind, field], types);
  return paths;
})();

const key = (path: readonly string[]) => path.join('\u0000');
const TYPED = new Map(TYPED_PATHS.map((typed) => [key(typed.path), typed.type]));

/** The attribute paths held as JSON columns, longest first (a value is read from its longest prefix here). */
export const MATERIALIZED_PATHS: readonly (readonly string[])[] = [
  ...SUBSCRIPTION_CHANNELS.flatMap((channel) => SUBSCRIPTION_KINDS.map((kind) => ['subscriptions', channel, kind])),
  ...[...LOCATION_FIELDS.keys()].map((field) => ['location', field]),
  ...[...PREDICTIVE_FIELDS.keys()].map((field) => ['predictive_analytics', field]),
  ...[...PROFILE_ATTRIBUTES.keys()].map((name) => [name]),
]
  .filter((path) => !TYPED.has(key(path)))
  .sort((a, b) => b.length - a.length);

const DATE_PATHS: readonly (readonly string[])[] = [['created'], ['updated'], ['last_event_date'], ['predictive_analytics', 'expected_date_of_next_order']];

const MATERIALIZED = new Set(MATERIALIZED_PATHS.map(key));
const DATES = new Set(DATE_PATHS.map(key));

const TYPE_PREFIX: Record<Exclude<ColumnType, 'timestamp'>, string> = { text: 's', number: 'n', boolean: 'b' };

export const valueColumn = (path: readonly string[]): string => `a/${path.join('/')}`;
export const typedColumn = (path: readonly string[], type: Exclude<ColumnType, 'timestamp'>): string => `${TYPE_PREFIX[type]}/${path.join('/')}`;
export const instantColumn = (path: readonly string[]): string => `t/${path.join('/')}`;
/** The profile key column, on profiles and events. */
export const PROFILE_KEY = 'pidx';
/** The events' column of `$value` as a number. */
export const VALUE_NUMBER_COLUMN = 'n/$value';

export function materializedWorkspaceLayout(names: WorkspaceNames = WORKSPACE_NAMES): TableLayout {
  const base = workspaceLayout(names, 'workspace');
  return {
    ...base,
    profiles: { ...base.profiles, key: PROFILE_KEY, createdMs: instantColumn(['created']) },
    events: { ...base.events, profileKey: PROFILE_KEY },
    profileValue: (alias, path, d): ValueImpl | LayoutGap => {
      const type = TYPED.get(key(path));
      if (type) return { kind: 'column', sql: columnSql(d, alias, typedColumn(path, type)), type, scope: 'profile', stage: 0 };
      for (let n = path.length; n > 0; n--) {
        const prefix = path.slice(0, n);
        if (!MATERIALIZED.has(key(prefix))) continue;
        const sql = jsonPath(d, columnSql(d, alias, valueColumn(prefix)), path.slice(n));
        const instant: InstantImpl | undefined =
          n === path.length && DATES.has(key(path)) ? { sql: columnSql(d, alias, instantColumn(path)), unit: 'ms', scope: 'profile', stage: 0 } : undefined;
        return { kind: 'json', sql, scope: 'profile', stage: 0, ...(instant ? { instant } : {}) };
      }
      return base.profileValue(alias, path, d);
    },
    eventProperty: (alias, name, d) => {
      const value = base.eventProperty(alias, name, d);
      return name === '$value' && value.kind === 'json' ? { ...value, number: columnSql(d, alias, VALUE_NUMBER_COLUMN) } : value;
    },
  };
}

/**
 * Statements that turn the workspace layout's profiles and events tables (as `duckdbLoadStatements`
 * fills them) into the materialised layout's (same names, same rows: profiles numbered in ID order plus
 * the columns; events in metric, `pidx` and time order plus theirs), through temporary tables.
 */
export function materializeStatements(d: SqlDialect, names: WorkspaceNames = WORKSPACE_NAMES): string[] {
  const q = (name: string) => d.quoteIdentifier(name);
  const t = (name: string) => tableSql(d, [...names.schema, name]);
  const c = names.columns;
  const wide = 'sl_profiles_materialized';
  const keyed = 'sl_events_keyed';
  const members = 'sl_profiles_extracted';
  // Every column in one pass over the profiles, by the workspace layout's own SQL: the typed
  // values (documented type only, then typed), the JSON values, and the instants (parsed by the
  // compiler's derived columns, which the source below carries). That SQL reads a value as
  // `attributes -> '/a' -> '/b'`, and each `->` parses the document it is given: about 300 parses
  // of each profile's attributes, which took more than 1 GB of DuckDB's memory at 20,000 profiles.
  // So every path read here (and each path's top-level member, for the rest) is taken out of
  // `attributes` first, in one parse (`json_extract` of a list of paths, in a view the select
  // reads), and the layout reads a value from the longest of those paths it starts with: the
  // same value, `(attributes -> '/a') -> '/b'` is `attributes -> '/a/b'`.
  const read = [...TYPED_PATHS.map((t) => t.path), ...MATERIALIZED_PATHS, ...DATE_PATHS];
  const extracted = new Map<string, readonly string[]>();
  for (const path of [...read, ...read.map((path) => path.slice(0, 1))]) extracted.set(key(path), path);
  const paths = [...extracted.values()];
  const extractedColumn = (path: readonly string[]) => `x/${path.join('/')}`;
  const base = workspaceLayout(names);
  const staged: TableLayout = {
    ...base,
    profiles: { ...base.profiles, table: [...names.schema, members] },
    profileValue: (alias, path, dialect) => {
      for (let n = path.length; n > 0; n--) {
        const prefix = path.slice(0, n);
        if (extracted.has(key(prefix)))
          return { kind: 'json', sql: jsonPath(dialect, columnSql(dialect, alias, extractedColumn(prefix)), path.slice(n)), scope: 'profile', stage: 0 };
      }
      return base.profileValue(alias, path, dialect);
    },
  };
  const attributes = columnSql(d, 'p', c.profiles.attributes);
  const ctx = new CompileContext(d, staged, referenceTime(0), undefined);
  const builder = new ConditionSqlBuilder(ctx, []);
  const typed = TYPED_PATHS.map(({ path, type }) => {
    const value = builder.profileValue(path, []) as unknown as ValueImpl;
    const sql = type === 'text' ? textOf(d, value) : type === 'number' ? numberOf(d, value) : booleanOf(d, value);
    return `${sql} AS ${q(typedColumn(path, type))}`;
  });
  const values = MATERIALIZED_PATHS.map((path) => {
    const value = staged.profileValue('p', path, d);
    if (!('sql' in value)) throw new Error(`${path.join('.')}: not a JSON value`);
    return `${value.sql} AS ${q(valueColumn(path))}`;
  });
  // The instants are parsed over a narrow view of the ID and the date texts alone: the parse is a
  // subquery per value, which DuckDB joins back to the rows it reads, so over the wide source it
  // carried every profile's document and extracted values through each join (at L under a 2GB
  // limit: 19.7 GB of spill files; XL filled a 50 GB disk).
  const dated = 'sl_profile_dates';
  const datedLayout: TableLayout = { ...staged, profiles: { ...staged.profiles, table: [...names.schema, dated] } };
  const datedCtx = new CompileContext(d, datedLayout, referenceTime(0), undefined);
  const datedBuilder = new ConditionSqlBuilder(datedCtx, []);
  const instants = DATE_PATHS.map((path) => {
    const value = datedBuilder.profileValue(path, []);
    if ('notEvaluable' in value) throw new Error(`${path.join('.')}: ${value.notEvaluable}`);
    return `${(datedBuilder.instant(value) as unknown as InstantImpl).sql} AS ${q(instantColumn(path))}`;
  });
  if (!ctx.derived.isEmpty) throw new Error('the wide profile columns need no derived column');
  const keys = 'sl_profile_keys';
  const parsed = 'sl_profile_instants';
  const id = columnSql(d, 'p', c.profiles.id);
  const eventValue = numberOf(d, workspaceLayout(names).eventProperty('e', '$value', d));
  const e = (name: string) => columnSql(d, 'e', name);
  return [
    `CREATE VIEW ${t(members)} AS SELECT p.*, ${paths.map((path, i) => `sl_values[${i + 1}] AS ${q(extractedColumn(path))}`).join(', ')} FROM (SELECT p.*, json_extract(${attributes}, [${paths.map(duckdbJsonPointer).join(', ')}]) AS sl_values FROM ${t(names.tables.profiles)} AS p) AS p`,
    `CREATE VIEW ${t(dated)} AS SELECT p.${q(c.profiles.id)}, ${DATE_PATHS.map((path) => `p.${q(extractedColumn(path))}`).join(', ')} FROM ${t(members)} AS p`,
    `CREATE TABLE ${t(parsed)} AS SELECT ${[id, ...instants].join(', ')} FROM ${datedCtx.derived.source(d, datedLayout)}`,
    `DROP VIEW ${t(dated)}`,
    // The profile key: the profiles numbered in ID order, sorting the IDs alone (a window over
    // the wide rows sorted every document with them).
    `CREATE TABLE ${t(keys)} AS SELECT ${id}, CAST(row_number() OVER (ORDER BY ${id}) AS INTEGER) AS ${q(PROFILE_KEY)} FROM ${t(names.tables.profiles)} AS p`,
    `CREATE TABLE ${t(wide)} AS SELECT ${[
      id,
      `k.${q(PROFILE_KEY)}`,
      columnSql(d, 'p', c.profiles.attributes),
      ...typed,
      ...values,
      ...DATE_PATHS.map((path) => `i.${q(instantColumn(path))}`),
    ].join(', ')} FROM ${t(members)} AS p JOIN ${t(keys)} AS k ON k.${q(c.profiles.id)} = ${id} JOIN ${t(parsed)} AS i ON i.${q(c.profiles.id)} = ${id}`,
    `DROP TABLE ${t(keys)}`,
    `DROP TABLE ${t(parsed)}`,
    `DROP VIEW ${t(members)}`,
    `DROP TABLE ${t(names.tables.profiles)}`,
    `ALTER TABLE ${t(wide)} RENAME TO ${q(names.tables.profiles)}`,
    `CREATE TABLE ${t(keyed)} AS SELECT e.*, ${columnSql(d, 'p', PROFILE_KEY)}, ${eventValue} AS ${q(VALUE_NUMBER_COLUMN)} FROM ${t(names.tables.events)} AS e JOIN ${t(names.tables.profiles)} AS p ON ${columnSql(d, 'p', c.profiles.id)} = ${e(c.events.profileId)} ORDER BY ${e(c.events.metricId)}, ${columnSql(d, 'p', PROFILE_KEY)}, ${e(c.events.timeMs)}`,
    `DROP TABLE ${t(names.tables.events)}`,
    `ALTER TABLE ${t(keyed)} RENAME TO ${q(names.tables.events)}`,
  ];
}

/**
 * DuckDB statements that create the materialised layout's tables from a workspace's files: the
 * workspace layout's load (without keys or indexes: DuckDB maintains them row by row while loading,
 * and the layout's scans do not use them), then `materializeStatements`.
 */
export function materializedLoadStatements(d: SqlDialect, files: WorkspaceFiles, names: WorkspaceNames = WORKSPACE_NAMES): string[] {
  return [...duckdbLoadStatements(files, names, { keys: false, eventOrder: false }), ...materializeStatements(d, names)];
}
