import { customPropertyPath, LOCATION_FIELDS, PROFILE_ATTRIBUTES } from './propertyPath';
import { parseInstant } from './time';
import type { ColumnSummary } from './column';
import type { Workspace } from './workspace';

/** A property seen in the data, with its observed types and common values. */
export interface PropertySummary {
  /** As a condition writes it: `email`, `location['city']`, `properties['Favorite Genre']`, or an event property name. */
  name: string;
  present: number;
  types: Record<string, number>;
  /** The type most values have. */
  mainType: string | undefined;
  topValues: { value: unknown; count: number }[];
}

export interface MetricSummary {
  id: string;
  name: string | undefined;
  integration: string | undefined;
  category: string | undefined;
  declared: boolean;
  eventCount: number;
  profileCount: number;
  firstEvent: string | undefined;
  lastEvent: string | undefined;
  /** Events carrying a numeric `$value` (a `sum` needs them). */
  valueCount: number;
  source: { file: string; line: number } | undefined;
  properties: PropertySummary[];
}

export interface ListSummary {
  id: string;
  name: string | undefined;
  declared: boolean;
  optInProcess: string | undefined;
  memberCount: number;
  source: { file: string; line: number } | undefined;
}

/**
 * Everything the language features need to know about a workspace without touching its rows:
 * metrics, lists, and the profile and event property catalogs. Plain JSON, so it crosses from
 * the evaluation worker to the language server.
 */
export interface WorkspaceSummary {
  name: string;
  now: string;
  profileCount: number;
  eventCount: number;
  metrics: MetricSummary[];
  lists: ListSummary[];
  profileProperties: PropertySummary[];
}

const isDateText = (value: string) => /^\d{4}-\d{2}-\d{2}/.test(value) && parseInstant(value) !== undefined;

function property(name: string, summary: ColumnSummary): PropertySummary {
  const mainType = Object.entries(summary.types).sort((a, b) => b[1] - a[1])[0]?.[0];
  return { name, present: summary.present, types: summary.types, mainType, topValues: summary.topValues };
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function summarizeWorkspace(workspace: Workspace): WorkspaceSummary {
  const n = workspace.profileCount;
  const metrics = workspace.metrics.map((info, i): MetricSummary => {
    const events = workspace.events[i];
    let profileCount = 0;
    for (let p = 0; p < n; p++) if (events.offsets[p + 1] > events.offsets[p]) profileCount++;
    const value = events.properties.get('$value')?.summarize(events.count, 0);
    return {
      id: info.id,
      name: info.name,
      integration: info.integration?.name,
      category: info.integration?.category,
      declared: info.declared,
      eventCount: events.count,
      profileCount,
      firstEvent: iso(events.firstTime),
      lastEvent: iso(events.lastTime),
      valueCount: value?.types.number ?? 0,
      source: info.source,
      properties: [...events.properties.entries()]
        .map(([name, column]) => property(name, column.summarize(events.count, 10, isDateText)))
        .sort((a, b) => b.present - a.present),
    };
  });
  const lists = workspace.lists.map((info, i): ListSummary => ({
    id: info.id,
    name: info.name,
    declared: info.declared,
    optInProcess: info.optInProcess,
    memberCount: workspace.memberships[i].members.count(),
    source: info.source,
  }));
  const profileProperties: PropertySummary[] = [];
  for (const [key, column] of workspace.profileColumns) {
    let name: string | undefined;
    if (key.startsWith('attributes.') && (PROFILE_ATTRIBUTES as readonly string[]).includes(key.slice(11))) name = key.slice(11);
    else if (key.startsWith('location.') && (LOCATION_FIELDS as readonly string[]).includes(key.slice(9))) name = `location['${key.slice(9)}']`;
    else if (key.startsWith('properties.')) name = customPropertyPath(key.slice(11));
    if (name) profileProperties.push(property(name, column.summarize(n, 10, isDateText)));
  }
  profileProperties.sort((a, b) => b.present - a.present);
  return {
    name: workspace.name,
    now: new Date(workspace.now).toISOString(),
    profileCount: n,
    eventCount: workspace.eventCount,
    metrics,
    lists,
    profileProperties,
  };
}
