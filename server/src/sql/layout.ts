import type { SqlDialect } from './dialect';

/** Where a table is: its name and the schema (or BigQuery dataset) parts before it. */
export type TableName = readonly string[];

/**
 * A stored value as SQL: a JSON value (missing when SQL NULL or JSON null), a typed column
 * (missing when NULL), or nothing at all. `scope` says whether it depends on the profile row only
 * (and so can be computed once per profile, see `DerivedColumns`) or on an inner row.
 */
export type ValueImpl =
  /**
   * `instant`: the value's parsed instant where the layout holds it already (a materialised column);
   * `number`: likewise its number (what `numberOf` computes: NULL unless the value is a JSON number).
   */
  | { kind: 'json'; sql: string; scope: Scope; stage: number; instant?: InstantImpl; number?: string }
  | { kind: 'column'; sql: string; type: ColumnType; scope: Scope; stage: number }
  | { kind: 'missing' };

export type ColumnType = 'text' | 'number' | 'boolean' | 'timestamp';
export type Scope = 'profile' | 'row';

/** An instant: epoch milliseconds (a double) or a timestamp; NULL when there is none. */
export interface InstantImpl {
  sql: string;
  unit: 'ms' | 'timestamp';
  scope: Scope;
  stage: number;
}

/** Reference tables the compiler ships (docs/sql.md): setup statements create and fill them. */
export type ReferenceTable = 'country_keys' | 'postal_centroids' | 'phone_calling_codes' | 'phone_rules';

export const REFERENCE_TABLE_NAMES: Readonly<Record<ReferenceTable, string>> = {
  country_keys: 'sl_country_keys',
  postal_centroids: 'sl_postal_centroids',
  phone_calling_codes: 'sl_phone_calling_codes',
  phone_rules: 'sl_phone_rules',
};

/** A value the layout cannot hold, with why (the condition is then not evaluable). */
export interface LayoutGap {
  notEvaluable: string;
}

/**
 * Where the workspace's data is in a database (docs/sql.md "Table layouts"). The compiler asks a
 * layout for tables and columns; the layout answers with SQL for one dialect.
 */
export interface TableLayout {
  readonly name: string;
  /**
   * `key`: an integer column numbering the profiles (NOT NULL, unique), also on every event row as
   * `events.profileKey`; where both exist, events are matched to profiles by it (docs/sql.md).
   */
  readonly profiles: {
    table: TableName;
    id: string;
    key?: string;
    live?: (alias: string, d: SqlDialect) => string;
    /** A column of each profile's `created` instant in epoch milliseconds, where the layout keeps one (its maximum is `SqlCatalog.latestCreated`). */
    createdMs?: string;
  };
  /** A profile value by its path in the API `attributes` object, on the profile row `alias`. */
  profileValue(alias: string, path: readonly string[], d: SqlDialect): ValueImpl | LayoutGap;
  /** Rules of docs/semantics.md this layout cannot keep for the value at `path` (approximations). */
  profileValueNotes(path: readonly string[]): string[];
  readonly events: { table: TableName; key: string; profileId: string; profileKey?: string; metricId: string; live?: (alias: string, d: SqlDialect) => string };
  eventTime(alias: string, d: SqlDialect): InstantImpl;
  eventProperty(alias: string, name: string, d: SqlDialect): ValueImpl;
  eventPropertyNotes(name: string): string[];
  readonly metrics: { table: TableName; id: string };
  readonly lists: { table: TableName; id: string };
  readonly members: { table: TableName; listId: string; profileId: string; live?: (alias: string, d: SqlDialect) => string };
  memberJoined(alias: string, d: SqlDialect): InstantImpl;
  /** Where the compiler's reference tables are (created by its setup statements). */
  referenceTable(table: ReferenceTable): TableName;
}

/** A qualified, quoted table name. */
export function tableSql(d: SqlDialect, name: TableName): string {
  return name.map((part) => d.quoteIdentifier(part)).join('.');
}

/** A column of a row alias. */
export function columnSql(d: SqlDialect, alias: string, column: string): string {
  return `${alias}.${d.quoteIdentifier(column)}`;
}

/** A JSON value at a path of members below a JSON column. */
export function jsonPath(d: SqlDialect, json: string, path: readonly string[]): string {
  return path.reduce((sql, key) => d.jsonField(sql, key), json);
}
