/**
 * The data workspace of the feature fixtures: a handful of records in Klaviyo's API shapes
 * (docs/workspace-format.md), fed to the engine's `WorkspaceBuilder` and summarised the way the
 * evaluation worker summarises a loaded workspace for the language features.
 *
 * Tests derive what they expect from these records (the oracles at the end), never from what a
 * feature printed: change a record and the expectations follow.
 */
import { summarizeWorkspace, type WorkspaceSummary } from '../../../server/src/engine/catalog';
import type { NameLookup } from '../../../server/src/engine/describe';
import { WorkspaceBuilder, type Workspace } from '../../../server/src/engine/workspace';

type Json = any;

export const SHOP_NAME = 'Tiny Vinyl (fixture)';
/** The workspace's "now": relative timeframes and date completions count from it. */
export const SHOP_NOW = '2026-11-01T12:00:00.000Z';
/** Where the records "are" on disk: go to definition points there. Each record is on its own line, from line 3. */
export const METRICS_FILE = '/tiny-vinyl/data/metrics.json';
export const LISTS_FILE = '/tiny-vinyl/data/lists.json';
const FIRST_RECORD_LINE = 3;

const metric = (id: string, name: string, integration: string, category: string): Json => ({
  type: 'metric',
  id,
  attributes: { name, integration: { object: 'integration', name: integration, category } },
});
const list = (id: string, name: string, optIn: string): Json => ({ type: 'list', id, attributes: { name, opt_in_process: optIn } });
const profile = (id: string, attributes: Json): Json => ({ type: 'profile', id, attributes });
const member = (id: string, joined?: string): Json => ({ type: 'profile', id, attributes: joined ? { joined_group_at: joined } : {} });
let eventNumber = 0;
const event = (profileId: string, metricId: string, datetime: string, properties: Json = {}): Json => ({
  type: 'event',
  id: `E${++eventNumber}`,
  attributes: { datetime, event_properties: properties },
  relationships: { profile: { data: { type: 'profile', id: profileId } }, metric: { data: { type: 'metric', id: metricId } } },
});

export const METRICS: Json[] = [
  metric('VwxT3a', 'Placed Order', 'Shopify', 'ecommerce'),
  metric('Mc9yTe', 'Opened Email', 'Klaviyo', 'email'),
  metric('Ls5hWq', 'Clicked Email', 'Klaviyo', 'email'),
  metric('Tw7pCm', 'Refunded Order', 'Shopify', 'ecommerce'),
];

export const LISTS: Json[] = [list('NwS7kQ', 'Newsletter', 'double_opt_in'), list('VpC4rX', 'VIP Club', 'single_opt_in')];

/** A segment ID known from a segment file (segments cannot be used in `group_ids`). */
export const SEGMENT_IDS: ReadonlyMap<string, string> = new Map([['UUvyMc', 'Columbus Regulars']]);

export const PROFILES: Json[] = [
  profile('P1', {
    email: 'ada@example.com',
    first_name: 'Ada',
    created: '2025-01-10T10:00:00+00:00',
    location: { city: 'Boston', country: 'United States' },
    properties: { 'Favorite Genre': 'Jazz', 'Loyalty Points': 120, Birthday: '1990-05-04', Tags: ['vinyl', 'jazz'], 'Accepts Marketing': true },
  }),
  profile('P2', {
    email: 'bob@example.com',
    created: '2025-03-02T09:00:00+00:00',
    location: { city: 'Boston', country: 'United States' },
    // A number kept as text: numeric completions must not offer it.
    properties: { 'Favorite Genre': 'Rock', 'Loyalty Points': '80', Tags: ['rock'], 'Accepts Marketing': false },
  }),
  profile('P3', {
    email: 'cy@example.com',
    location: { city: 'Columbus', country: 'United States' },
    properties: { 'Favorite Genre': 'Jazz', 'Loyalty Points': 40 },
  }),
  profile('P4', {
    email: 'dee@example.com',
    location: { city: 'Berlin', country: 'Germany' },
    properties: { 'Favorite Genre': 'Soul', 'Loyalty Points': 40, Birthday: '1985-11-20' },
  }),
  profile('P5', { email: 'eve@example.com', location: { city: 'Bologna', country: 'Italy' } }),
  profile('P6', { phone_number: '+15005550006' }),
];

export const MEMBERS: Record<string, Json[]> = {
  NwS7kQ: [member('P1', '2026-10-28T00:00:00+00:00'), member('P3', '2025-03-01T00:00:00+00:00'), member('P5', '2026-01-15T00:00:00+00:00')],
  VpC4rX: [member('P1', '2026-02-01T00:00:00+00:00')],
};

export const EVENTS: Json[] = [
  event('P1', 'VwxT3a', '2026-10-30T09:40:00+00:00', { $value: 35.5, Categories: ['Jazz'], 'Item Count': 2 }),
  event('P1', 'VwxT3a', '2026-09-01T10:00:00+00:00', { $value: 20, Categories: ['Jazz', 'Soul'], 'Item Count': 1 }),
  event('P2', 'VwxT3a', '2026-10-20T09:00:00+00:00', { $value: 18, Categories: ['Rock'], 'Item Count': 1 }),
  event('P4', 'VwxT3a', '2026-10-25T15:00:00+00:00', { $value: 42, Categories: ['Soul'], 'Item Count': 3 }),
  event('P1', 'Mc9yTe', '2026-10-02T08:00:00+00:00', { Subject: 'October drops' }),
  event('P1', 'Mc9yTe', '2026-10-16T08:00:00+00:00', { Subject: 'Jazz week' }),
  event('P2', 'Mc9yTe', '2026-10-02T08:05:00+00:00', { Subject: 'October drops' }),
  event('P3', 'Mc9yTe', '2026-10-02T08:10:00+00:00', { Subject: 'October drops' }),
  event('P5', 'Mc9yTe', '2026-10-16T08:15:00+00:00', { Subject: 'Jazz week' }),
  event('P1', 'Ls5hWq', '2026-10-02T08:30:00+00:00', { 'Bot Click': false, URL: 'https://tiny-vinyl.example/jazz' }),
  event('P3', 'Ls5hWq', '2026-10-03T18:00:00+00:00', { 'Bot Click': false, URL: 'https://tiny-vinyl.example/jazz' }),
  event('P5', 'Ls5hWq', '2026-10-16T08:15:01+00:00', { 'Bot Click': true, URL: 'https://tiny-vinyl.example/week' }),
  event('P2', 'Tw7pCm', '2026-06-01T12:00:00+00:00', { $value: 18 }),
];

export interface TinyShop {
  workspace: Workspace;
  summary: WorkspaceSummary;
  /** Metric and list names by ID, as the server hands them to the plain-English reader. */
  names: NameLookup;
}

let built: TinyShop | undefined;

/** The tiny shop, built once per test process (building is pure, so sharing it is safe). */
export function tinyShop(): TinyShop {
  if (built) return built;
  const builder = new WorkspaceBuilder(SHOP_NAME, Date.parse(SHOP_NOW));
  METRICS.forEach((m, i) => builder.addMetric(m, { file: METRICS_FILE, line: FIRST_RECORD_LINE + i }));
  LISTS.forEach((l, i) => builder.addList(l, { file: LISTS_FILE, line: FIRST_RECORD_LINE + i }));
  for (const p of PROFILES) builder.addProfile(p);
  for (const [listId, members] of Object.entries(MEMBERS)) for (const m of members) builder.addListMember(listId, m);
  for (const e of EVENTS) builder.addEvent(e);
  const workspace = builder.build();
  const summary = summarizeWorkspace(workspace);
  const metricNames = new Map(summary.metrics.map((m) => [m.id, m.name]));
  const listNames = new Map(summary.lists.map((l) => [l.id, l.name]));
  built = { workspace, summary, names: { metricName: (id) => metricNames.get(id), listName: (id) => listNames.get(id) } };
  return built;
}

// ---------------------------------------------------------------------------------------------
// Oracles: facts read straight from the records above, independently of the engine.

const metricId = (e: Json): string => e.relationships.metric.data.id;

export function metricName(id: string): string {
  return METRICS.find((m) => m.id === id).attributes.name;
}

/** A metric's events: how many, from how many profiles, the first and last day, how many carry a numeric $value. */
export function metricFacts(id: string): { count: number; profiles: number; first: string; last: string; withValue: number } {
  const events = EVENTS.filter((e) => metricId(e) === id);
  const days = events.map((e) => String(e.attributes.datetime).slice(0, 10)).sort();
  return {
    count: events.length,
    profiles: new Set(events.map((e) => e.relationships.profile.data.id)).size,
    first: days[0],
    last: days[days.length - 1],
    withValue: events.filter((e) => typeof e.attributes.event_properties.$value === 'number').length,
  };
}

/** Names of the properties a metric's events carry. */
export function eventPropertyNames(id: string): string[] {
  return [...new Set(EVENTS.filter((e) => metricId(e) === id).flatMap((e) => Object.keys(e.attributes.event_properties)))];
}

export function memberCount(listId: string): number {
  return MEMBERS[listId].length;
}

export function profilesInCity(city: string): number {
  return PROFILES.filter((p) => p.attributes.location?.city === city).length;
}

/** The line (1-based) "of the data file" where a metric or list record is, as the loader reports it. */
export function recordLine(kind: 'metric' | 'list', id: string): number {
  const records = kind === 'metric' ? METRICS : LISTS;
  const index = records.findIndex((r) => r.id === id);
  if (index < 0) throw new Error(`no ${kind} ${id}`);
  return FIRST_RECORD_LINE + index;
}

/** Profiles (IDs) with an event of the metric on or after `day` (YYYY-MM-DD, UTC). */
export function profilesWithEventsSince(id: string, day: string): Set<string> {
  return new Set(EVENTS.filter((e) => metricId(e) === id && String(e.attributes.datetime) >= day).map((e) => e.relationships.profile.data.id));
}

/** Profiles (IDs) whose location country is one of `countries`. */
export function profilesInCountries(...countries: string[]): Set<string> {
  return new Set(PROFILES.filter((p) => countries.includes(p.attributes.location?.country)).map((p) => p.id));
}
