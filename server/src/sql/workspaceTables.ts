import { parseInstant } from '../engine/time';
import type { SqlDialect } from './dialect';
import { DIALECTS } from './dialects';
import { duckdbJsonPointer } from './dialects/duckdb';
import { isoInstantMs, withIsoInstant } from './isoInstant';
import { tableSql } from './layout';
import { WORKSPACE_NAMES, type WorkspaceNames } from './layouts/workspace';

/**
 * The workspace layout's tables (docs/sql.md "The workspace layout") and two ways to fill them:
 * INSERT statements from the records the loader parsed (`workspaceRows`, any dialect), and
 * DuckDB statements that read the workspace's JSONL files themselves (`duckdbLoadStatements`).
 * Both apply the loading rules of WorkspaceBuilder (engine/workspace.ts), so the tables hold
 * what the in-memory engine holds.
 */

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `keys`: with the primary keys and the events' index (default); without them, the tables hold the
 * same rows (the loaders keep one row per key) but DuckDB maintains no index while loading.
 */
export function workspaceTableStatements(d: SqlDialect, names: WorkspaceNames = WORKSPACE_NAMES, options: { keys?: boolean } = {}): string[] {
  const t = (name: string) => tableSql(d, [...names.schema, name]);
  const q = (name: string) => d.quoteIdentifier(name);
  const c = names.columns;
  const ty = d.types;
  const keys = options.keys ?? true;
  const pk = keys ? ' PRIMARY KEY' : '';
  return [
    `CREATE TABLE ${t(names.tables.profiles)} (${q(c.profiles.id)} ${ty.text} NOT NULL${pk}, ${q(c.profiles.attributes)} ${ty.json})`,
    `CREATE TABLE ${t(names.tables.metrics)} (${q(c.metrics.id)} ${ty.text} NOT NULL${pk}, ${q('name')} ${ty.text}, ${q('declared')} ${ty.boolean})`,
    `CREATE TABLE ${t(names.tables.lists)} (${q(c.lists.id)} ${ty.text} NOT NULL${pk}, ${q('name')} ${ty.text}, ${q('declared')} ${ty.boolean})`,
    `CREATE TABLE ${t(names.tables.listMembers)} (${q(c.listMembers.listId)} ${ty.text} NOT NULL, ${q(c.listMembers.profileId)} ${ty.text} NOT NULL, ${q(c.listMembers.joinedAtMs)} ${ty.double}${keys ? `, PRIMARY KEY (${q(c.listMembers.listId)}, ${q(c.listMembers.profileId)})` : ''})`,
    `CREATE TABLE ${t(names.tables.events)} (${q(c.events.key)} ${ty.bigint} NOT NULL${pk}, ${q('event_id')} ${ty.text}, ${q(c.events.profileId)} ${ty.text} NOT NULL, ${q(c.events.metricId)} ${ty.text} NOT NULL, ${q(c.events.timeMs)} ${ty.double} NOT NULL, ${q(c.events.properties)} ${ty.json})`,
    ...(keys
      ? [
          `CREATE INDEX ${q(`${names.tables.events}_by_profile`)} ON ${t(names.tables.events)} (${q(c.events.profileId)}, ${q(c.events.metricId)}, ${q(c.events.timeMs)})`,
        ]
      : []),
  ];
}

/** The records of a workspace in the order the loader adds them (engine/workspace.ts). */
export interface WorkspaceRecords {
  metrics: readonly unknown[];
  lists: readonly unknown[];
  profiles: readonly unknown[];
  /** Member files in the loader's order (sorted by path), each with its lines. */
  listMembers: readonly { listId: string; members: readonly unknown[] }[];
  events: readonly unknown[];
}

export interface WorkspaceRows {
  profiles: { id: string; attributes: Json }[];
  metrics: { id: string; name: string | null; declared: boolean }[];
  lists: { id: string; name: string | null; declared: boolean }[];
  members: { listId: string; profileId: string; joinedAtMs: number | null }[];
  events: { key: number; eventId: string | null; profileId: string; metricId: string; timeMs: number; properties: Json }[];
}

const nameOf = (resource: Json) => (isRecord(resource.attributes) && typeof resource.attributes.name === 'string' ? resource.attributes.name : null);

function relationshipId(relationship: unknown): string | undefined {
  if (!isRecord(relationship) || !isRecord(relationship.data)) return undefined;
  const id = relationship.data.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The rows of the workspace tables, by WorkspaceBuilder's rules (later duplicates win, dangling references dropped). */
export function workspaceRows(records: WorkspaceRecords): WorkspaceRows {
  const metrics = new Map<string, WorkspaceRows['metrics'][number]>();
  const lists = new Map<string, WorkspaceRows['lists'][number]>();
  const profiles = new Map<string, Json>();
  for (const m of records.metrics) if (isRecord(m) && typeof m.id === 'string') metrics.set(m.id, { id: m.id, name: nameOf(m), declared: true });
  for (const l of records.lists) if (isRecord(l) && typeof l.id === 'string') lists.set(l.id, { id: l.id, name: nameOf(l), declared: true });
  for (const p of records.profiles) if (isRecord(p) && typeof p.id === 'string' && p.id !== '') profiles.set(p.id, isRecord(p.attributes) ? p.attributes : {});
  const members = new Map<string, WorkspaceRows['members'][number]>();
  for (const { listId, members: lines } of records.listMembers) {
    for (const line of lines) {
      if (!isRecord(line) || typeof line.id !== 'string' || line.id === '') continue;
      if (!lists.has(listId)) lists.set(listId, { id: listId, name: null, declared: false });
      const attributes = isRecord(line.attributes) ? line.attributes : {};
      if (!profiles.has(line.id)) {
        // A member missing from profiles.jsonl is kept as a profile with its member line's attributes.
        const { joined_group_at: _joined, ...rest } = attributes;
        profiles.set(line.id, rest);
      }
      const joined = parseInstant(attributes.joined_group_at);
      members.set(JSON.stringify([listId, line.id]), { listId, profileId: line.id, joinedAtMs: joined === undefined || Number.isNaN(joined) ? null : joined });
    }
  }
  const events: WorkspaceRows['events'] = [];
  records.events.forEach((e, key) => {
    if (!isRecord(e)) return;
    const attributes = isRecord(e.attributes) ? e.attributes : {};
    const relationships = isRecord(e.relationships) ? e.relationships : {};
    const metricId = relationshipId(relationships.metric);
    const profileId = relationshipId(relationships.profile);
    const time = typeof attributes.timestamp === 'number' ? attributes.timestamp * 1000 : parseInstant(attributes.datetime);
    if (metricId === undefined || profileId === undefined || time === undefined || !Number.isFinite(time) || !profiles.has(profileId)) return;
    if (!metrics.has(metricId)) metrics.set(metricId, { id: metricId, name: null, declared: false });
    events.push({
      key,
      eventId: typeof e.id === 'string' ? e.id : null,
      profileId,
      metricId,
      timeMs: time,
      properties: isRecord(attributes.event_properties) ? attributes.event_properties : {},
    });
  });
  return {
    profiles: [...profiles].map(([id, attributes]) => ({ id, attributes })),
    metrics: [...metrics.values()],
    lists: [...lists.values()],
    members: [...members.values()],
    events,
  };
}

/** INSERT statements that fill the workspace tables with `rows`. */
export function workspaceInsertStatements(d: SqlDialect, rows: WorkspaceRows, names: WorkspaceNames = WORKSPACE_NAMES, batch = 500): string[] {
  const t = (name: string) => tableSql(d, [...names.schema, name]);
  const c = names.columns;
  const json = (value: unknown) => d.jsonLiteral(JSON.stringify(value));
  const raw = (sql: string) => ({ sql });
  // JSON cells are SQL already ({ sql }); the others become literals.
  type Cell = string | number | boolean | null | { sql: string };
  const insert = (table: string, columns: string[], cells: Cell[][]) => {
    const statements: string[] = [];
    for (let i = 0; i < cells.length; i += batch) {
      const values = cells
        .slice(i, i + batch)
        .map((row) => `(${row.map((cell) => (cell !== null && typeof cell === 'object' ? cell.sql : literalOf(d, cell))).join(', ')})`);
      statements.push(`INSERT INTO ${table} (${columns.map((col) => d.quoteIdentifier(col)).join(', ')}) VALUES\n${values.join(',\n')}`);
    }
    return statements;
  };
  return [
    ...insert(
      t(names.tables.profiles),
      [c.profiles.id, c.profiles.attributes],
      rows.profiles.map((p) => [p.id, raw(json(p.attributes))]),
    ),
    ...insert(
      t(names.tables.metrics),
      [c.metrics.id, 'name', 'declared'],
      rows.metrics.map((m) => [m.id, m.name, m.declared]),
    ),
    ...insert(
      t(names.tables.lists),
      [c.lists.id, 'name', 'declared'],
      rows.lists.map((l) => [l.id, l.name, l.declared]),
    ),
    ...insert(
      t(names.tables.listMembers),
      [c.listMembers.listId, c.listMembers.profileId, c.listMembers.joinedAtMs],
      rows.members.map((m) => [m.listId, m.profileId, m.joinedAtMs]),
    ),
    ...insert(
      t(names.tables.events),
      [c.events.key, 'event_id', c.events.profileId, c.events.metricId, c.events.timeMs, c.events.properties],
      rows.events.map((e) => [e.key, e.eventId, e.profileId, e.metricId, e.timeMs, raw(json(e.properties))]),
    ),
  ];
}

function literalOf(d: SqlDialect, cell: string | number | boolean | null): string {
  if (cell === null) return 'NULL';
  if (typeof cell === 'string') return d.stringLiteral(cell);
  if (typeof cell === 'boolean') return d.booleanLiteral(cell);
  return Number.isSafeInteger(cell) ? d.integerLiteral(cell) : d.numberLiteral(cell);
}

/** Where a workspace's files are (absent files load as empty collections, like the loader). */
export interface WorkspaceFiles {
  metrics?: string;
  lists?: string;
  profiles?: string;
  /** Member files in the loader's order (sorted by path). */
  listMembers: readonly { listId: string; path: string }[];
  events?: string;
}

/**
 * DuckDB statements that create the workspace tables from the workspace's own files with
 * read_json (JSONL, gzip-compressed or not): broken lines are skipped (ignore_errors), the line
 * order decides duplicates (WITH ORDINALITY), and dates are parsed by the same SQL as the
 * compiler's (parseInstant). `keys`: see workspaceTableStatements; `eventOrder`: the events are
 * inserted in metric, profile and time order (default), else in no particular order (for a
 * conversion that orders them itself).
 */
export function duckdbLoadStatements(
  files: WorkspaceFiles,
  names: WorkspaceNames = WORKSPACE_NAMES,
  options: { keys?: boolean; eventOrder?: boolean } = {},
): string[] {
  const d = DIALECTS.duckdb;
  const lit = (text: string) => d.stringLiteral(text);
  const t = (name: string) => tableSql(d, [...names.schema, name]);
  const q = (name: string) => d.quoteIdentifier(name);
  const c = names.columns;
  const lines = (path: string) => `SELECT ordinality AS line, json AS doc FROM read_ndjson_objects(${lit(path)}, ignore_errors = true) WITH ORDINALITY`;
  const collection = (path: string | undefined) =>
    path === undefined
      ? 'SELECT CAST(NULL AS JSON) AS r WHERE FALSE'
      : `SELECT unnest(CAST(json_extract(CASE WHEN json_type(json) = 'ARRAY' THEN json ELSE json -> '$.data' END, '$[*]') AS JSON[])) AS r FROM read_json_objects(${lit(path)}, format = 'unstructured')`;
  // Each line's document is parsed once for every member a statement reads (one json_extract of a
  // list of pointers into x), not once per ->: at 1M events that halved the events' insert.
  const extract = (source: string, paths: readonly (readonly string[])[]) =>
    `(SELECT *, json_extract(doc, [${paths.map(duckdbJsonPointer).join(', ')}]) AS x FROM (${source}) WHERE json_type(doc) = 'OBJECT')`;
  // Of a record's x = [id, attributes]: a non-empty text ID, and the attributes object (else {}).
  const idOk = `json_type(x[1]) = 'VARCHAR' AND (x[1] ->> '$') <> ''`;
  const attributesOf = `CASE WHEN json_type(x[2]) = 'OBJECT' THEN x[2] ELSE CAST('{}' AS JSON) END`;
  const record = [['id'], ['attributes']];
  // A JSON value's instant: a number of seconds, or a text parsed by isoInstantMs (`textMs`: that
  // parse computed elsewhere, as the events' withIsoInstant does).
  const instant = (json: string, textMs = isoInstantMs(d, `(${json} ->> '$')`)) =>
    `CASE WHEN json_type(${json}) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') THEN TRY_CAST(${json} AS DOUBLE) * 1000 WHEN json_type(${json}) = 'VARCHAR' THEN ${textMs} END`;
  const members =
    files.listMembers.length === 0
      ? `SELECT CAST(NULL AS BIGINT) AS file, CAST(NULL AS VARCHAR) AS list_id, CAST(NULL AS BIGINT) AS line, CAST(NULL AS JSON) AS doc WHERE FALSE`
      : files.listMembers.map((f, i) => `SELECT ${i} AS file, ${lit(f.listId)} AS list_id, line, doc FROM (${lines(f.path)})`).join('\nUNION ALL\n');
  const profileLines = files.profiles === undefined ? 'SELECT CAST(NULL AS BIGINT) AS line, CAST(NULL AS JSON) AS doc WHERE FALSE' : lines(files.profiles);
  const eventLines = files.events === undefined ? 'SELECT CAST(NULL AS BIGINT) AS line, CAST(NULL AS JSON) AS doc WHERE FALSE' : lines(files.events);
  return [
    ...workspaceTableStatements(d, names, { keys: options.keys }),
    `CREATE TEMP TABLE sl_member_lines AS SELECT file, list_id, line, x[1] ->> '$' AS profile_id, ${attributesOf} AS attributes FROM ${extract(members, record)} WHERE ${idOk}`,
    // The last line of each ID wins. Through a temporary table (which DuckDB spills to its temporary
    // folder under its memory limit) and the narrow (ID, line) aggregate rather than a window over
    // the documents, which holds them all in memory: at 1M profiles that failed under a 2 GB limit.
    `CREATE TEMP TABLE sl_profile_lines AS SELECT x[1] ->> '$' AS id, ${attributesOf} AS attributes, line FROM ${extract(profileLines, record)} WHERE ${idOk}`,
    `INSERT INTO ${t(names.tables.profiles)} SELECT id, attributes FROM sl_profile_lines WHERE line IN (SELECT max(line) FROM sl_profile_lines GROUP BY id)`,
    'DROP TABLE sl_profile_lines',
    // Members missing from profiles.jsonl: the first member line's attributes, without joined_group_at.
    `INSERT INTO ${t(names.tables.profiles)} SELECT profile_id, json_merge_patch(attributes, '{"joined_group_at": null}') FROM sl_member_lines WHERE profile_id NOT IN (SELECT ${q(c.profiles.id)} FROM ${t(names.tables.profiles)}) QUALIFY row_number() OVER (PARTITION BY profile_id ORDER BY file, line) = 1`,
    `INSERT INTO ${t(names.tables.listMembers)} SELECT list_id, profile_id, ${instant(`(attributes -> '$.joined_group_at')`)} FROM sl_member_lines QUALIFY row_number() OVER (PARTITION BY list_id, profile_id ORDER BY file DESC, line DESC) = 1`,
    `INSERT INTO ${t(names.tables.lists)} SELECT id, name, declared FROM (SELECT r ->> '$.id' AS id, r ->> '$.attributes.name' AS name, TRUE AS declared, row_number() OVER () AS n FROM (${collection(files.lists)}) WHERE json_type(r) = 'OBJECT' AND json_type(r -> '$.id') = 'VARCHAR') QUALIFY row_number() OVER (PARTITION BY id ORDER BY n DESC) = 1`,
    `INSERT INTO ${t(names.tables.lists)} SELECT DISTINCT list_id, NULL, FALSE FROM sl_member_lines WHERE list_id NOT IN (SELECT ${q(c.lists.id)} FROM ${t(names.tables.lists)})`,
    `INSERT INTO ${t(names.tables.events)} SELECT line, x[1] ->> '$', profile_id, metric_id, time_ms, properties FROM (
  SELECT line, x,
    CASE WHEN json_type(x[2]) = 'VARCHAR' THEN x[2] ->> '$' END AS profile_id,
    CASE WHEN json_type(x[3]) = 'VARCHAR' THEN x[3] ->> '$' END AS metric_id,
    CASE WHEN json_type(x[4]) IN ('BIGINT', 'UBIGINT', 'HUGEINT', 'DOUBLE') THEN TRY_CAST(x[4] AS DOUBLE) * 1000 ELSE ${instant('x[5]', 'datetime_ms')} END AS time_ms,
    CASE WHEN json_type(x[6]) = 'OBJECT' THEN x[6] ELSE CAST('{}' AS JSON) END AS properties
  FROM (${withIsoInstant(
    d,
    `SELECT * FROM ${extract(eventLines, [['id'], ['relationships', 'profile', 'data', 'id'], ['relationships', 'metric', 'data', 'id'], ['attributes', 'timestamp'], ['attributes', 'datetime'], ['attributes', 'event_properties']])}`,
    `CASE WHEN json_type(x[5]) = 'VARCHAR' THEN x[5] ->> '$' END`,
    'datetime_ms',
  )})
) WHERE profile_id <> '' AND metric_id <> '' AND isfinite(time_ms) AND profile_id IN (SELECT ${q(c.profiles.id)} FROM ${t(names.tables.profiles)})${options.eventOrder === false ? '' : '\nORDER BY metric_id, profile_id, time_ms'}`,
    `INSERT INTO ${t(names.tables.metrics)} SELECT id, name, declared FROM (SELECT r ->> '$.id' AS id, r ->> '$.attributes.name' AS name, TRUE AS declared, row_number() OVER () AS n FROM (${collection(files.metrics)}) WHERE json_type(r) = 'OBJECT' AND json_type(r -> '$.id') = 'VARCHAR') QUALIFY row_number() OVER (PARTITION BY id ORDER BY n DESC) = 1`,
    `INSERT INTO ${t(names.tables.metrics)} SELECT DISTINCT ${q(c.events.metricId)}, NULL, FALSE FROM ${t(names.tables.events)} WHERE ${q(c.events.metricId)} NOT IN (SELECT ${q(c.metrics.id)} FROM ${t(names.tables.metrics)})`,
    'DROP TABLE sl_member_lines',
  ];
}
