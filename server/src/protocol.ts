/**
 * Custom LSP messages shared by the client and the server (documented in docs/protocol.md).
 * Only types, method names and how the server process is started: both sides import this file.
 */

/**
 * Environment variables the client starts the language server with, where the user has not set
 * them already (`serverEnvironment`; the test client and the benchmark start it so too).
 * `MALLOC_MMAP_THRESHOLD_` pins glibc's threshold for giving a block of memory its own map (given
 * back when freed) at 2 MiB. By default it starts at 128 KiB and
 * grows to the largest block freed, up to 32 MiB; past that, the typed arrays of a workspace being
 * built come from the heap's arenas, whose freed space the process keeps. First loads of 1M
 * profiles and 10M events, fresh processes (7 December 2026, docs/performance.md): peak RSS
 * 1,311–1,468 MB (median 1,397 of 10) by default, 1,294 / 1,342 MB at 2 MiB in the same time; at
 * 128 KiB 1,146–1,181 MB but ~17% slower (each 1 MB block the loader reads was mapped and unmapped
 * again). Read by glibc as the process starts; ignored elsewhere (macOS, Windows, musl).
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: String(2 * 1024 * 1024) };

/** The language server's environment: `env` (the starting process's) with `SERVER_ENVIRONMENT` where `env` does not set a variable. */
export function serverEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...SERVER_ENVIRONMENT, ...env };
}

export interface CountsReport {
  /** The document version the counts belong to. */
  version: number;
  state: 'ok' | 'errors' | 'no-workspace' | 'loading' | 'not-a-definition' | 'failed';
  /** Why there are no counts (state other than ok), for the user. */
  message?: string;
  total: number;
  matched: number | null;
  notEvaluable: string[];
  groups: {
    matched: number | null;
    afterAnd: number | null;
    conditions: { matched: number | null; notEvaluable?: string; description: string }[];
    description: string;
  }[];
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
  /** Who evaluates it (segmentLens.engine) and why: the setting, the data's size, or a load that ran out of memory. */
  engine?: { engine: 'memory' | 'duckdb'; reason: string };
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
  /** A work-done progress token the client created (LSP): the server reports the days done on it. */
  workDoneToken?: string | number;
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
  /** Why there is no explanation, when the workspace's engine cannot give one (both engines give one since 8 December 2026). */
  message?: string;
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

/** How a page of profiles is asked for (the preview's table, and the lists of the overlap and diff panels). */
export interface ProfilePageParams {
  offset: number;
  limit: number;
  sort?: ProfilesParams['sort'];
  filter?: string;
}

/** The segment files of a folder, compared: how their audiences intersect. */
export interface OverlapParams {
  /** The folder's URI. */
  folder: string;
}

export interface OverlapSegmentInfo {
  /** The file's URI (how cells name their segments in `segmentLens/overlapProfiles`). */
  uri: string;
  /** Its path relative to the folder, for display. */
  file: string;
  /** The segment's name in the file, if it has one. */
  name: string | null;
  /** Profiles it matches. */
  count: number;
}

export interface OverlapReport {
  state: 'ok' | 'no-workspace' | 'no-segments' | 'failed';
  message?: string;
  /** The folder as shown (relative to the data workspace when inside it). */
  folder: string;
  workspace?: WorkspaceInfo;
  /** Profiles in the workspace. */
  total: number;
  /** Profiles in at least one segment: the sum of the cells' counts. */
  union: number;
  segments: OverlapSegmentInfo[];
  /** `pairwise[i][j]`: profiles in both segment i and segment j; the diagonal is each segment's count. */
  pairwise: number[][];
  /** Exclusive intersections (each profile in the cell of exactly the segments it is in), largest first. */
  cells: { members: number[]; count: number }[];
  /** Segment files that could not be counted (errors, not evaluable locally, another workspace), and why. */
  leftOut: { uri: string; file: string; name: string | null; reason: string }[];
  elapsedMs: number;
}

/** The profiles in every segment of `inside` and in none of `outside` (an UpSet bar, or a matrix cell). */
export interface OverlapProfilesParams extends ProfilePageParams {
  folder: string;
  inside: string[];
  outside: string[];
}

/** A segment file compared with its definition at git HEAD, on the same (current) workspace. */
export interface HeadDiffParams {
  uri: string;
}

export interface HeadDiffSide {
  /** The definition in plain English (null: invalid). */
  description: string | null;
  matched: number | null;
  /** Why it has no count: errors, or what is not evaluable locally. */
  problem?: string;
}

export interface HeadDiffResult {
  /** The document version compared. */
  version: number;
  /**
   * `changed`: differs from HEAD; `unchanged`: the same text as at HEAD; `new`: not in HEAD but
   * added to git's index; `untracked`: not known to git; `ignored`: git ignores it;
   * `no-commits`: the repository has no commit yet; `not-in-git`: outside a repository (or git
   * is missing); others: no comparison.
   */
  state: 'changed' | 'unchanged' | 'new' | 'untracked' | 'ignored' | 'no-commits' | 'not-in-git' | 'no-workspace' | 'loading' | 'failed';
  message?: string;
  /** HEAD's commit, and the file's path in the repository. */
  commit?: string;
  path?: string;
  /** False when the text differs only in ways that do not change the definition (formatting, name). */
  definitionChanged?: boolean;
  before?: HeadDiffSide;
  after?: HeadDiffSide;
  /** Profiles the change adds and removes (null: a side cannot be counted). */
  added: number | null;
  removed: number | null;
  total?: number;
  workspace?: WorkspaceInfo;
}

export interface HeadDiffProfilesParams extends ProfilePageParams {
  uri: string;
  side: 'added' | 'removed';
}

export interface ExportParams {
  uri: string;
  /** Absolute path chosen by the user in a save dialog; empty: return the text instead. */
  path: string;
  format: 'csv' | 'ids' | 'emails';
}

/** How many profiles were exported, the text when no path was given, or why nothing was (`message`). */
export interface ExportResult {
  written: number;
  text?: string;
  message?: string;
}

/** The SQL dialects of `segmentLens/sql` (the compiler's DIALECT_NAMES, docs/sql.md). */
export const SQL_DIALECTS = ['duckdb', 'postgres', 'bigquery', 'snowflake'] as const;
export type SqlDialectName = (typeof SQL_DIALECTS)[number];
/** The named table layouts of `segmentLens/sql` (docs/sql.md, "Table layouts"). */
export const SQL_LAYOUTS = ['workspace', 'fivetran'] as const;
export type SqlLayoutName = (typeof SQL_LAYOUTS)[number];
/** `select`: the matching profile IDs; `count`: `SELECT COUNT(*) AS matched`. */
export const SQL_FORMS = ['select', 'count'] as const;
export type SqlForm = (typeof SQL_FORMS)[number];

/** An open segment document compiled to SQL, as `segment-lens sql <file> --dialect D [--layout L] [--count]` prints it. */
export interface SqlParams {
  uri: string;
  dialect: SqlDialectName;
  /** Default `workspace`. */
  layout?: SqlLayoutName;
  /** Default `select`. */
  form?: SqlForm;
}

export interface SqlResult {
  /** The text the CLI prints: header comments and the query with its `;` (only the comments when a condition is not evaluable). */
  sql: string;
  form: SqlForm;
  dialect: SqlDialectName;
  layout: SqlLayoutName;
  /** The instant relative dates are measured from (ISO): the workspace's "now", else the clock. */
  now: string;
  /** Rules the SQL reproduces only approximately (also in the header comments). */
  approximations: { pointer: string; rule: string }[];
  /** Checks to run first: when one is false, that condition is not evaluable for `reason`. */
  preconditions: { pointer: string; reason: string; sql: string }[];
  /** Conditions the engine cannot evaluate; non-empty: `sql` holds only comments. */
  notEvaluable: { pointer: string; reason: string }[];
}

export const Methods = {
  counts: 'segmentLens/counts',
  profiles: 'segmentLens/profiles',
  workspaceStatusOf: 'segmentLens/workspaceStatusOf',
  explain: 'segmentLens/explain',
  compare: 'segmentLens/compare',
  exportProfiles: 'segmentLens/exportProfiles',
  history: 'segmentLens/history',
  overlap: 'segmentLens/overlap',
  overlapProfiles: 'segmentLens/overlapProfiles',
  headDiff: 'segmentLens/headDiff',
  headDiffProfiles: 'segmentLens/headDiffProfiles',
  sql: 'segmentLens/sql',
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
