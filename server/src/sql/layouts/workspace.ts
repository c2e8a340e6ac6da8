import { columnSql, jsonPath, REFERENCE_TABLE_NAMES, type TableLayout, type TableName } from '../layout';

/**
 * The Segment Lens workspace as loaded into a database (docs/sql.md "The workspace layout"):
 * profiles with the API `attributes` as JSON, events with epoch-millisecond times and their
 * `event_properties` as JSON, metrics, lists and list members. The names can be changed by a
 * mapping file (`mappingLayout`).
 */
export interface WorkspaceNames {
  /** Schema (or BigQuery dataset) parts before every table name; empty: none. */
  schema: string[];
  tables: { profiles: string; events: string; metrics: string; lists: string; listMembers: string };
  columns: {
    profiles: { id: string; attributes: string };
    events: { key: string; profileId: string; metricId: string; timeMs: string; properties: string };
    metrics: { id: string };
    lists: { id: string };
    listMembers: { listId: string; profileId: string; joinedAtMs: string };
  };
  /** Schema parts before the reference tables (default: `schema`). */
  referenceSchema?: string[];
}

export const WORKSPACE_NAMES: WorkspaceNames = {
  schema: [],
  tables: { profiles: 'profiles', events: 'events', metrics: 'metrics', lists: 'lists', listMembers: 'list_members' },
  columns: {
    profiles: { id: 'profile_id', attributes: 'attributes' },
    events: { key: 'event_key', profileId: 'profile_id', metricId: 'metric_id', timeMs: 'time_ms', properties: 'properties' },
    metrics: { id: 'metric_id' },
    lists: { id: 'list_id' },
    listMembers: { listId: 'list_id', profileId: 'profile_id', joinedAtMs: 'joined_group_at_ms' },
  },
};

export function workspaceLayout(names: WorkspaceNames = WORKSPACE_NAMES, layoutName = 'workspace'): TableLayout {
  const table = (name: string): TableName => [...names.schema, name];
  const c = names.columns;
  return {
    name: layoutName,
    profiles: { table: table(names.tables.profiles), id: c.profiles.id },
    profileValue: (alias, path, d) => ({ kind: 'json', sql: jsonPath(d, columnSql(d, alias, c.profiles.attributes), path), scope: 'profile', stage: 0 }),
    profileValueNotes: () => [],
    events: { table: table(names.tables.events), key: c.events.key, profileId: c.events.profileId, metricId: c.events.metricId },
    eventTime: (alias, d) => ({ sql: columnSql(d, alias, c.events.timeMs), unit: 'ms', scope: 'row', stage: 0 }),
    eventProperty: (alias, name, d) => ({ kind: 'json', sql: d.jsonField(columnSql(d, alias, c.events.properties), name), scope: 'row', stage: 0 }),
    eventPropertyNotes: () => [],
    metrics: { table: table(names.tables.metrics), id: c.metrics.id },
    lists: { table: table(names.tables.lists), id: c.lists.id },
    members: { table: table(names.tables.listMembers), listId: c.listMembers.listId, profileId: c.listMembers.profileId },
    memberJoined: (alias, d) => ({ sql: columnSql(d, alias, c.listMembers.joinedAtMs), unit: 'ms', scope: 'row', stage: 0 }),
    referenceTable: (name) => [...(names.referenceSchema ?? names.schema), REFERENCE_TABLE_NAMES[name]],
  };
}
