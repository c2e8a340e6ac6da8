import type { ListSummary, MetricSummary, PropertySummary, WorkspaceSummary } from '../engine/catalog';
import { customPropertyPath, LOCATION_FIELDS, PROFILE_ATTRIBUTES } from '../engine/propertyPath';
import { readCollection, workspaceDataFiles, type LoadWarning, type WorkspaceConfig } from '../workspace/loadWorkspace';
import { DIALECTS } from '../sql/dialects';
import { isoInstantMs } from '../sql/isoInstant';
import type { DuckDbSession } from './session';

/**
 * The workspace summary the language features read (engine/catalog.ts `WorkspaceSummary`: metrics
 * and lists with names and counts, the profile and event property catalogs), built from a
 * converted workspace's tables (docs/sql.md "The workspace layout") instead of a loaded workspace.
 * Metric integrations, list opt-in processes and each record's line (go to definition) come from
 * metrics.json and lists.json, which are small, read as the loader reads them. Property types
 * and common values are counted in SQL by the rules of `Column.summarize`; a text counts as a
 * date when it starts with an ISO date and reads as an instant (the compiler's SQL of parseInstant).
 */

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const iso = (ms: unknown) => (ms === null || ms === undefined ? undefined : new Date(Number(ms)).toISOString());

/** The SQL of a JSON value's type as `Column.summarize` names it. */
const TYPE_SQL = `CASE type WHEN 'VARCHAR' THEN CASE WHEN regexp_matches(value ->> '$', '^\\d{4}-\\d{2}-\\d{2}') AND (${isoInstantMs(DIALECTS.duckdb, "(value ->> '$')")}) IS NOT NULL THEN 'date' ELSE 'string' END
  WHEN 'BOOLEAN' THEN 'boolean' WHEN 'ARRAY' THEN 'list' WHEN 'OBJECT' THEN 'object' ELSE 'number' END`;

/** Per (group, key): how many values, of which types, and the `top` most common ones, from `values` (columns grp and json_each's key, value, type). */
async function propertyCatalog(session: DuckDbSession, values: string, top = 10): Promise<Map<string, Map<string, PropertySummary>>> {
  await session.run(
    `CREATE OR REPLACE TEMP TABLE sl_values AS SELECT grp, key, CAST(value AS VARCHAR) AS value, ${TYPE_SQL} AS type FROM (${values}) WHERE type <> 'NULL'`,
  );
  const byGroup = new Map<string, Map<string, PropertySummary>>();
  const entry = (grp: string, key: string) => {
    let group = byGroup.get(grp);
    if (!group) byGroup.set(grp, (group = new Map()));
    let summary = group.get(key);
    if (!summary) group.set(key, (summary = { name: key, present: 0, types: {}, mainType: undefined, topValues: [] }));
    return summary;
  };
  for (const [grp, key, type, count] of await session.rows('SELECT grp, key, type, COUNT(*) FROM sl_values GROUP BY ALL')) {
    const summary = entry(String(grp), String(key));
    summary.types[String(type)] = num(count);
    summary.present += num(count);
  }
  const tops = await session.rows(
    `SELECT grp, key, value, COUNT(*) AS n FROM sl_values GROUP BY grp, key, value QUALIFY row_number() OVER (PARTITION BY grp, key ORDER BY n DESC, value) <= ${top} ORDER BY grp, key, n DESC, value`,
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

async function metricSummaries(session: DuckDbSession, declared: Declared): Promise<MetricSummary[]> {
  const rows = await session.objects(`SELECT m.metric_id AS id, m.name, m.declared, COUNT(e.profile_id) AS events, COUNT(DISTINCT e.profile_id) AS profiles,
    MIN(e.time_ms) AS first, MAX(e.time_ms) AS last, COUNT(*) FILTER (WHERE json_type(e.properties -> '$."$value"') IN ('UBIGINT', 'BIGINT', 'DOUBLE')) AS "values"
    FROM metrics m LEFT JOIN events e ON e.metric_id = m.metric_id GROUP BY ALL`);
  const properties = await propertyCatalog(
    session,
    `SELECT x.metric_id AS grp, e.* FROM events x, json_each(x.properties) e WHERE e.key NOT IN ('$event_id', '$extra')`,
  );
  const order = [...declared.keys()];
  rows.sort((a, b) => {
    const ia = order.indexOf(String(a.id));
    const ib = order.indexOf(String(b.id));
    return ia >= 0 && ib >= 0 ? ia - ib : ia >= 0 ? -1 : ib >= 0 ? 1 : String(a.id) < String(b.id) ? -1 : 1;
  });
  return rows.map((row): MetricSummary => {
    const id = String(row.id);
    const file = declared.get(id);
    const attributes = attributesOf(file?.record);
    const integration = isRecord(attributes.integration) ? attributes.integration : undefined;
    return {
      id,
      name: text(row.name) ?? undefined,
      integration: text(integration?.name),
      category: text(integration?.category),
      declared: row.declared === true,
      eventCount: num(row.events),
      profileCount: num(row.profiles),
      firstEvent: iso(row.first),
      lastEvent: iso(row.last),
      valueCount: num(row.values),
      source: file?.source,
      properties: [...(properties.get(id)?.values() ?? [])].sort((a, b) => b.present - a.present),
    };
  });
}

async function listSummaries(session: DuckDbSession, declared: Declared): Promise<ListSummary[]> {
  const rows = await session.objects(
    'SELECT l.list_id AS id, l.name, l.declared, COUNT(m.profile_id) AS members FROM lists l LEFT JOIN list_members m ON m.list_id = l.list_id GROUP BY ALL ORDER BY l.list_id',
  );
  const order = [...declared.keys()];
  const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  rows.sort((a, b) => rank(String(a.id)) - rank(String(b.id)));
  return rows.map((row): ListSummary => {
    const file = declared.get(String(row.id));
    return {
      id: String(row.id),
      name: text(row.name) ?? undefined,
      declared: row.declared === true,
      optInProcess: text(attributesOf(file?.record).opt_in_process),
      memberCount: num(row.members),
      source: file?.source,
    };
  });
}

/** Profile attributes, location fields and custom properties, named as conditions write them. */
async function profileProperties(session: DuckDbSession): Promise<PropertySummary[]> {
  const catalog = await propertyCatalog(
    session,
    `SELECT 'attributes' AS grp, e.* FROM profiles p, json_each(p.attributes) e
     UNION ALL SELECT 'location' AS grp, e.* FROM profiles p, json_each(p.attributes -> '$.location') e WHERE json_type(p.attributes -> '$.location') = 'OBJECT'
     UNION ALL SELECT 'properties' AS grp, e.* FROM profiles p, json_each(p.attributes -> '$.properties') e WHERE json_type(p.attributes -> '$.properties') = 'OBJECT'`,
  );
  const named = (grp: string, accept: (key: string) => boolean, name: (key: string) => string) =>
    [...(catalog.get(grp)?.values() ?? [])].filter((p) => accept(p.name)).map((p) => ({ ...p, name: name(p.name) }));
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
  ].sort((a, b) => b.present - a.present);
}

/** The summary of the converted workspace open in `session`, as of `now`. */
export async function duckDbWorkspaceSummary(session: DuckDbSession, config: WorkspaceConfig, now: number): Promise<WorkspaceSummary> {
  const declared = declarations(config);
  const [[profiles]] = await session.rows('SELECT COUNT(*) FROM profiles');
  const [[events]] = await session.rows('SELECT COUNT(*) FROM events');
  return {
    name: config.name,
    now: new Date(now).toISOString(),
    profileCount: num(profiles),
    eventCount: num(events),
    metrics: await metricSummaries(session, declared.metrics),
    lists: await listSummaries(session, declared.lists),
    profileProperties: await profileProperties(session),
  };
}
