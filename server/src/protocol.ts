/**
 * Custom LSP messages shared by the client and the server (documented in docs/protocol.md).
 * Only types and method names: both sides import this file.
 */

export interface CountsReport {
  /** The document version the counts belong to. */
  version: number;
  state: 'ok' | 'errors' | 'no-workspace' | 'loading' | 'not-a-definition' | 'failed';
  /** Why there are no counts (state other than ok), for the user. */
  message?: string;
  total: number;
  matched: number | null;
  notEvaluable: string[];
  groups: { matched: number | null; afterAnd: number | null; conditions: { matched: number | null; notEvaluable?: string; description: string }[]; description: string }[];
  description: string;
  workspace?: WorkspaceInfo;
  /** ISO instant the counts were computed. */
  computedAt: string;
  elapsedMs: number;
}

export interface WorkspaceInfo {
  name: string;
  root: string;
  now: string;
  profiles: number;
  events: number;
  metrics: number;
  lists: number;
  warnings: number;
}

export interface WorkspaceStatus {
  state: 'none' | 'loading' | 'ready' | 'error';
  workspace?: WorkspaceInfo;
  /** While loading: what is being read and how far. */
  progress?: { phase: string; records: number; percent: number };
  message?: string;
}

export interface ProfileRow {
  id: string;
  email: string | null;
  name: string | null;
  location: string | null;
  phone: string | null;
  /** Values of the workspace's most common custom properties, by name. */
  properties: Record<string, string>;
  lastEvent: string | null;
}

export interface ProfilesParams {
  uri: string;
  /** Evaluate as of this instant (ISO; a day of the size-over-time chart) instead of the workspace's now. */
  asOf?: string;
  offset: number;
  limit: number;
  sort?: { column: 'email' | 'name' | 'location' | 'lastEvent' | 'id'; descending?: boolean };
  /** Case-insensitive text that a row's email, name, location or ID must contain. */
  filter?: string;
}

export interface ProfilesResult {
  version: number;
  /** Matched profiles passing the filter. */
  total: number;
  rows: ProfileRow[];
  /** Names of the property columns in `rows[].properties`. */
  propertyColumns: string[];
  state: CountsReport['state'];
  message?: string;
}

export interface ConditionEvidence {
  group: number;
  condition: number;
  description: string;
  matched: boolean | null;
  /** Plain-language evidence: the value tested, the count and the events that counted, ... */
  evidence: string;
  /** For metric conditions: the instants of the events that counted (at most 50). */
  events?: string[];
}

export interface ExplainParams {
  uri: string;
  profileId: string;
  /** As in ProfilesParams. */
  asOf?: string;
}

/** The segment's size over time: the count as of the end of each of the last `days` UTC days. */
export interface HistoryParams {
  uri: string;
  days: number;
}

export interface HistoryPointInfo {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  /** The instant evaluated as of: the day's end, or now for today (ISO). */
  asOf: string;
  matched: number | null;
  total: number;
}

export interface HistoryResult {
  /** The document version the series belongs to. */
  version: number;
  state: CountsReport['state'] | 'cancelled';
  message?: string;
  points: HistoryPointInfo[];
  notEvaluable: string[];
  elapsedMs: number;
}

export interface ExplainResult {
  profile: ProfileRow | null;
  matched: boolean;
  conditions: ConditionEvidence[];
}

export interface CompareParams {
  uriA: string;
  uriB: string;
}

export interface CompareResult {
  total: number;
  a: number | null;
  b: number | null;
  both: number | null;
  onlyA: number | null;
  onlyB: number | null;
  neither: number | null;
  message?: string;
}

export interface ExportParams {
  uri: string;
  /** Absolute path chosen by the user in a save dialog; empty: return the text instead. */
  path: string;
  format: 'csv' | 'ids' | 'emails';
}

export const Methods = {
  counts: 'segmentLens/counts',
  profiles: 'segmentLens/profiles',
  workspaceStatusOf: 'segmentLens/workspaceStatusOf',
  explain: 'segmentLens/explain',
  compare: 'segmentLens/compare',
  exportProfiles: 'segmentLens/exportProfiles',
  history: 'segmentLens/history',
  reloadWorkspace: 'segmentLens/reloadWorkspace',
  /** server → client notification */
  workspaceStatus: 'segmentLens/workspaceStatus',
  /** server → client notification: counts of a document changed */
  countsChanged: 'segmentLens/countsChanged',
  /** For tests and bug reports: the server's memory (MemoryReport). */
  memory: 'segmentLens/debug/memory',
} as const;

/**
 * The language server's memory, in bytes. Taken after a full garbage collection of the server's
 * thread and of each evaluation worker when the server runs with --expose-gc (without it the
 * figures include garbage not collected yet).
 */
export interface MemoryReport {
  /** Resident set size of the whole process (every thread). */
  rss: number;
  /** V8 heap in use on the server's thread. */
  heapUsed: number;
  /** V8 heap in use in each loaded workspace's evaluation worker. */
  workers: number[];
}
