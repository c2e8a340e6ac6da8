import type { ListSummary, MetricSummary, PropertySummary, WorkspaceSummary } from '../engine/catalog';
import { customPropertyPath, LOCATION_FIELDS, PROFILE_ATTRIBUTES } from '../engine/propertyPath';
import { readCollection, workspaceDataFiles, type LoadWarning, type WorkspaceConfig } from '../workspace/loadWorkspace';
import { DIALECTS } from '../sql/dialects';
import { duckdbJsonPointer } from '../sql/dialects/duckdb';
import { withIsoInstant } from '../sql/isoInstant';
import { literal, type DuckDbSession } from './session';

/**
 * The workspace summary the language features read (engine/catalog.ts `WorkspaceSummary`: metrics
 * and lists with names and counts, the profile and event property catalogs), built from a
 * converted workspace's tables (docs/sql.md "The workspace layout") instead of a loaded workspace.
 * Metric integrations, list opt-in processes and each record's line (go to definition) come from
 * metrics.json and lists.json, which are small, read as the loader reads them. Property types
 * and common values are counted in SQL by the rules of `Column.summarize`; a text counts as a
 * date when it starts with an ISO date and reads as an instant (the compiler's SQL of parseInstant).
 *
 * What is counted in SQL (`SummaryFacts`: a scan of every event's and profile's properties, minutes
 * at millions of events) depends on the tables only, so the conversion counts it once and stores it
 * in the database (`storeSummaryFacts`, table `sl_summary`); opening a converted database reads it
 * back. A database without that table (one the user made) is counted when opened.
 */

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const iso = (ms: unknown) => (ms === null || ms === undefined ? undefined : new Date(Number(ms)).toISOString());

/**
 * The SQL of a JSON value's type as `Column.summarize` names it, over rows with the value's JSON
 * text `value`, its JSON `type` and `value_ms`: the instant of a text (`withIsoInstant`, not a
 * subquery per value: DuckDB joins such a subquery's results back to the rows it reads).
 */
const TYPE_SQL = `CASE type WHEN 'VARCHAR' THEN CASE WHEN regexp_matches(value ->> '$', '^\\d{4}-\\d{2}-\\d{2}') AND value_ms IS NOT NULL THEN 'date' ELSE 'string' END
  WHEN 'BOOLEAN' THEN 'boolean' WHEN 'ARRAY' THEN 'list' WHEN 'OBJECT' THEN 'object' ELSE 'number' END`;

/** Past this many distinct keys in a source, its members are listed by json_each (see objectMembers). */
export const MAX_EXTRACTED_KEYS = 256;

/**
 * The members of JSON objects, as rows (grp, key, value, type) (json_each's columns), for each
 * query of `sources` (columns grp and doc; a doc that is not an object has no members). Rather than
 * json_each (a row per member, about 1.3 µs each: 4 s of a million events' properties), each
 * source's keys are listed first (`json_keys`), then every document is parsed once for all of them
 * (`json_extract` of a list of pointers) and the values present are kept: the same rows, in half
 * the time of the catalog. That costs a row per document and key, present or not, so a source
 * with more than MAX_EXTRACTED_KEYS keys (custom properties named by the thousand) keeps json_each.
 */
async function objectMembers(session: DuckDbSession, sources: readonly string[], exclude: readonly string[] = []): Promise<string> {
  const parts: string[] = [];
  const excluded = exclude.length ? ` AND e.key NOT IN (${exclude.map(literal).join(', ')})` : '';
  for (const source of sources) {
    const objects = `(SELECT grp, doc FROM (${source}) WHERE json_type(doc) = 'OBJECT')`;
    const keys = (await session.rows(`SELECT DISTINCT key FROM (SELECT unnest(json_keys(doc)) AS key FROM ${objects}) ORDER BY key`))
      .map(([key]) => String(key))
      .filter((key) => !exclude.includes(key));
    if (keys.length === 0) continue;
    if (keys.length > MAX_EXTRACTED_KEYS) {
      parts.push(`SELECT o.grp, e.key, e.value, e.type FROM ${objects} AS o, json_each(o.doc) AS e WHERE true${excluded}`);
      continue;
    }
    parts.push(
      `SELECT grp, key, value, json_type(value) AS type FROM (SELECT grp, unnest([${keys.map(literal).join(', ')}]) AS key, unnest(json_extract(doc, [${keys.map((key) => duckdbJsonPointer([key])).join(', ')}])) AS value FROM ${objects}) WHERE value IS NOT NULL`,
    );
  }
  return parts.length ? parts.join(' UNION ALL ') : `SELECT NULL AS grp, NULL AS key, CAST(NULL AS JSON) AS value, 'NULL' AS type WHERE false`;
}

/** Per (group, key): how many values, of which types, and the `top` most common ones, from `values` (rows of `objectMembers`). */
async function propertyCatalog(session: DuckDbSession, values: string, top = 10): Promise<Map<string, Map<string, PropertySummary>>> {
  // Each distinct value once, with how often it occurs: a date is told from a text once per value, not once per occurrence.
  await session.run(
    `CREATE OR REPLACE TEMP TABLE sl_values AS SELECT grp, key, value, ${TYPE_SQL} AS type, n FROM (${withIsoInstant(
      DIALECTS.duckdb,
      `SELECT grp, key, CAST(value AS VARCHAR) AS value, type, COUNT(*) AS n FROM (${values}) WHERE type <> 'NULL' GROUP BY ALL`,
      `CASE WHEN type = 'VARCHAR' THEN value ->> '$' END`,
      'value_ms',
    )})`,
  );
  const byGroup = new Map<string, Map<string, PropertySummary>>();
  const entry = (grp: string, key: string) => {
    let group = byGroup.get(grp);
    if (!group) byGroup.set(grp, (group = new Map()));
    let summary = group.get(key);
    if (!summary) group.set(key, (summary = { name: key, present: 0, types: {}, mainType: undefined, topValues: [] }));
    return summary;
  };
  for (const [grp, key, type, count] of await session.rows('SELECT grp, key, type, SUM(n) FROM sl_values GROUP BY ALL')) {
    const summary = entry(String(grp), String(key));
    summary.types[String(type)] = num(count);
    summary.present += num(count);
  }
  const tops = await session.rows(
    `SELECT grp, key, value, n FROM sl_values QUALIFY row_number() OVER (PARTITION BY grp, key ORDER BY n DESC, value) <= ${top} ORDER BY grp, key, n DESC, value`,
  );
  for (const [grp, key, value, count] of tops) entry(String(grp), String(key)).topValues.push({ value: JSON.parse(String(value)), count: num(count) });
  await session.run('DROP TABLE sl_values');
  for (const group of byGroup.values())
    for (const summary of group.values()) summary.mainType = Object.entries(summary.types).sort((a, b) => b[1] - a[1])[0]?.[0];
  return byGroup;
}

/** Records of metrics.json or lists.json by ID, with where each is. */
type Declared = Map<string, { record: Json; source: { file: string; line: number } }>;

/** The declared metrics and lists as the loader reads them: last record of an ID wins. */
function declarations(config: WorkspaceConfig): { metrics: Declared; lists: Declared } {
  const files = workspaceDataFiles(config);
  const read = (path: string | undefined) => {
    const byId: Declared = new Map();
    const warnings: LoadWarning[] = [];
    for (const { value, line } of (path && readCollection(path, warnings)) || [])
      if (isRecord(value) && typeof value.id === 'string') byId.set(value.id, { record: value, source: { file: path as string, line } });
    return byId;
  };
  return { metrics: read(files.metrics), lists: read(files.lists) };
}

const attributesOf = (record: Json | undefined) => (record && isRecord(record.attributes) ? record.attributes : {});

/** The part of the summary counted in SQL: a function of the tables alone. */
export interface SummaryFacts {
  version: typeof FACTS_VERSION;
  profiles: number;
  events: number;
  metrics: {
    id: string;
    name: string | null;
    declared: boolean;
    events: number;
    profiles: number;
    first: number | null;
    last: number | null;
    values: number;
  }[];
  /** Event properties by metric ID. */
  metricProperties: Record<string, PropertySummary[]>;
  lists: { id: string; name: string | null; declared: boolean; members: number }[];
  /** Profile properties by where they are: `attributes`, `location`, `properties`. */
  profileCatalog: Record<string, PropertySummary[]>;
}

/** The table of the stored facts, and their version (a version this code does not read is counted again). */
export const SUMMARY_TABLE = 'sl_summary';
const FACTS_VERSION = 1;

const catalogRecord = (catalog: Map<string, Map<string, PropertySummary>>): Record<string, PropertySummary[]> =>
  Object.fromEntries([...catalog].map(([grp, properties]) => [grp, [...properties.values()]]));
const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Counts the facts of the workspace tables open in `session`. */
export async function summaryFacts(session: DuckDbSession): Promise<SummaryFacts> {
  const [[profiles]] = await session.rows('SELECT COUNT(*) FROM profiles');
  const [[events]] = await session.rows('SELECT COUNT(*) FROM events');
  const metrics = await session.objects(`SELECT m.metric_id AS id, m.name, m.declared, COUNT(e.profile_id) AS events, COUNT(DISTINCT e.profile_id) AS profiles,
    MIN(e.time_ms) AS first, MAX(e.time_ms) AS last, COUNT(*) FILTER (WHERE json_type(e.properties -> '$."$value"') IN ('UBIGINT', 'BIGINT', 'DOUBLE')) AS "values"
    FROM metrics m LEFT JOIN events e ON e.metric_id = m.metric_id GROUP BY ALL ORDER BY m.metric_id`);
  const metricProperties = await propertyCatalog(
    session,
    await objectMembers(session, ['SELECT metric_id AS grp, properties AS doc FROM events'], ['$event_id', '$extra']),
  );
  const lists = await session.objects(
    'SELECT l.list_id AS id, l.name, l.declared, COUNT(m.profile_id) AS members FROM lists l LEFT JOIN list_members m ON m.list_id = l.list_id GROUP BY ALL ORDER BY l.list_id',
  );
  const profileCatalog = await propertyCatalog(
    session,
    await objectMembers(session, [
      `SELECT 'attributes' AS grp, attributes AS doc FROM profiles`,
      `SELECT 'location' AS grp, attributes -> '$.location' AS doc FROM profiles`,
      `SELECT 'properties' AS grp, attributes -> '$.properties' AS doc FROM profiles`,
    ]),
  );
  return {
    version: FACTS_VERSION,
    profiles: num(profiles),
    events: num(events),
    metrics: metrics.map((row) => ({
      id: String(row.id),
      name: text(row.name) ?? null,
      declared: row.declared === true,
      events: num(row.events),
      profiles: num(row.profiles),
      first: orNull(row.first),
      last: orNull(row.last),
      values: num(row.values),
    })),
    metricProperties: catalogRecord(metricProperties),
    lists: lists.map((row) => ({ id: String(row.id), name: text(row.name) ?? null, declared: row.declared === true, members: num(row.members) })),
    profileCatalog: catalogRecord(profileCatalog),
  };
}

/** Counts the facts and stores them in the database (the conversion, which has it open for writing). */
export async function storeSummaryFacts(session: DuckDbSession): Promise<void> {
  const facts = await summaryFacts(session);
  await session.run(`CREATE OR REPLACE TABLE ${SUMMARY_TABLE} AS SELECT ${literal(JSON.stringify(facts))} AS facts`);
}

/** The facts stored in the database, or undefined (no such table, another version, unreadable). */
async function storedFacts(session: DuckDbSession): Promise<SummaryFacts | undefined> {
  const found = await session.rows(`SELECT 1 FROM duckdb_tables() WHERE table_name = ${literal(SUMMARY_TABLE)}`);
  if (found.length === 0) return undefined;
  try {
    const [[text]] = await session.rows(`SELECT facts FROM ${SUMMARY_TABLE}`);
    const facts = JSON.parse(String(text)) as SummaryFacts;
    return facts.version === FACTS_VERSION ? facts : undefined;
  } catch {
    return undefined;
  }
}

/** Most present first; ties by name (whatever order SQL gave them in). */
const mostPresent = (a: PropertySummary, b: PropertySummary) => b.present - a.present || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Declared first, in their file's order, then the rest by ID. */
function inDeclaredOrder<T extends { id: string }>(rows: T[], declared: Declared): T[] {
  const order = [...declared.keys()];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  return [...rows].sort((a, b) => rank(a.id) - rank(b.id) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function metricSummaries(facts: SummaryFacts, declared: Declared): MetricSummary[] {
  return inDeclaredOrder(facts.metrics, declared).map((row): MetricSummary => {
    const file = declared.get(row.id);
    const attributes = attributesOf(file?.record);
    const integration = isRecord(attributes.integration) ? attributes.integration : undefined;
    return {
      id: row.id,
      name: row.name ?? undefined,
      integration: text(integration?.name),
      category: text(integration?.category),
      declared: row.declared,
      eventCount: row.events,
      profileCount: row.profiles,
      firstEvent: iso(row.first),
      lastEvent: iso(row.last),
      valueCount: row.values,
      source: file?.source,
      properties: [...(facts.metricProperties[row.id] ?? [])].sort(mostPresent),
    };
  });
}

function listSummaries(facts: SummaryFacts, declared: Declared): ListSummary[] {
  return inDeclaredOrder(facts.lists, declared).map((row): ListSummary => {
    const file = declared.get(row.id);
    return {
      id: row.id,
      name: row.name ?? undefined,
      declared: row.declared,
      optInProcess: text(attributesOf(file?.record).opt_in_process),
      memberCount: row.members,
      source: file?.source,
    };
  });
}

/** Profile attributes, location fields and custom properties, named as conditions write them. */
function profileProperties(facts: SummaryFacts): PropertySummary[] {
  const named = (grp: string, accept: (key: string) => boolean, name: (key: string) => string) =>
    (facts.profileCatalog[grp] ?? []).filter((p) => accept(p.name)).map((p) => ({ ...p, name: name(p.name) }));
  return [
    ...named(
      'attributes',
      (k) => (PROFILE_ATTRIBUTES as readonly string[]).includes(k),
      (k) => k,
    ),
    ...named(
      'location',
      (k) => (LOCATION_FIELDS as readonly string[]).includes(k),
      (k) => `location['${k}']`,
    ),
    ...named('properties', () => true, customPropertyPath),
  ].sort(mostPresent);
}

/** The summary of the converted workspace open in `session`, as of `now`: its stored facts, else counted now. */
export async function duckDbWorkspaceSummary(session: DuckDbSession, config: WorkspaceConfig, now: number): Promise<WorkspaceSummary> {
  const declared = declarations(config);
  const facts = (await storedFacts(session)) ?? (await summaryFacts(session));
  return {
    name: config.name,
    now: new Date(now).toISOString(),
    profileCount: facts.profiles,
    eventCount: facts.events,
    metrics: metricSummaries(facts, declared.metrics),
    lists: listSummaries(facts, declared.lists),
    profileProperties: profileProperties(facts),
  };
}
