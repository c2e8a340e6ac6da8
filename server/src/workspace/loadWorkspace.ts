import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { Workspace } from '../engine/workspace';
import { WorkspaceBuilder } from '../engine/workspace';
import { summarizeWorkspace, type WorkspaceSummary } from '../engine/catalog';
import { Column } from '../engine/column';
import { parseInstant } from '../engine/time';
import { searchUpwards } from './folders';
import { LoadThreads, type FromLoadThread } from './loadThreads';
import { LineProblems, readJsonl, type LineProblemsReport, type LineReader } from './jsonl';
import { describeJsonError, readTextFile } from './textFiles';
import { cacheKey, readWorkspaceCache, writeWorkspaceCache } from './workspaceCache';

export const MARKER_FILE = 'klaviyo-workspace.json';

/** A problem found while loading, with where it is. */
export interface LoadWarning {
  file: string;
  /** 1-based line, when the problem is on one line. */
  line?: number;
  message: string;
  code: 'unreadable-file' | 'missing-file' | 'broken-line' | 'not-a-resource' | 'wrong-type' | 'dropped-event' | 'bad-marker' | 'dangling-references';
}

export interface WorkspaceConfig {
  root: string;
  markerPath: string;
  name: string;
  /** Reference time, epoch ms; undefined = wall clock. */
  now: number | undefined;
  paths: { metrics: string; lists: string; listMembers: string; profiles: string; events: string };
}

export interface LoadProgress {
  phase: 'metrics' | 'lists' | 'profiles' | 'list-members' | 'events' | 'indexing';
  /** Records read so far in this phase. */
  records: number;
  /** Bytes of the current file read so far, and its size (compressed size for .gz). */
  bytes: number;
  totalBytes: number;
}

export interface LoadedWorkspace {
  config: WorkspaceConfig;
  workspace: Workspace;
  warnings: LoadWarning[];
  /** Files the workspace was read from (for file watching and cache invalidation). */
  files: string[];
  loadMs: number;
  /** True when it came from the engine's on-disk cache instead of the JSONL files. */
  fromCache: boolean;
  /**
   * The workspace's summary for the language features, when the load came from the on-disk cache
   * or wrote it (otherwise `summarizeWorkspace` computes it on demand).
   */
  summary?: WorkspaceSummary;
  /** True when this load wrote the engine's on-disk cache (a later load with `cache` reads it). */
  cacheWritten: boolean;
  /** Blocks of profiles.jsonl and events.jsonl that load threads parsed (see `LoadOptions.loadThreads`). */
  threadBlocks: { profiles: number; events: number };
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
  /** Checked between lines; return true to abandon the load. */
  isCancelled?: () => boolean;
  /** Overrides `now` (tests, CLI --now). */
  now?: number;
  /** Use the engine's on-disk cache (read it when current, write it after a load). */
  cache?: boolean;
  /**
   * Load threads that parse big profiles.jsonl and events.jsonl files alongside this one (0:
   * none). Default: one per core but one, up to 3, for files over 32 MB of JSONL
   * (`SEGMENT_LENS_LOAD_THREADS` overrides the count); a number given here applies to any size.
   */
  loadThreads?: number;
  /** Events a load thread reads before it hands them over (default `EVENTS_PER_MESSAGE`; tests use small numbers). */
  eventsPerMessage?: number;
}

/** The data files a workspace consists of, as they are on disk now (those inside its folder). */
export function workspaceFiles(config: WorkspaceConfig): string[] {
  const data = new DataPaths(config);
  const files = [config.markerPath];
  for (const key of ['metrics', 'lists'] as const) {
    const path = data.inside(key, config.paths[key]);
    if (path && existsSync(path)) files.push(path);
  }
  const profiles = data.jsonl('profiles');
  if (profiles?.exists) files.push(profiles.path);
  files.push(...data.listMemberFiles().map((f) => f.path));
  const events = data.jsonl('events');
  if (events?.exists) files.push(events.path);
  return files;
}

/**
 * Where a workspace's data files are, by the loader's rules (data paths that lead outside the
 * folder are left out; absent files are undefined), for loaders that read the files themselves
 * (DuckDB's `duckdbLoadStatements`).
 */
export function workspaceDataFiles(config: WorkspaceConfig): {
  metrics?: string;
  lists?: string;
  profiles?: string;
  events?: string;
  listMembers: { listId: string; path: string }[];
} {
  const data = new DataPaths(config);
  const collection = (key: 'metrics' | 'lists') => {
    const path = data.inside(key, config.paths[key]);
    return path && existsSync(path) ? path : undefined;
  };
  const jsonl = (key: 'profiles' | 'events') => {
    const file = data.jsonl(key);
    return file?.exists ? file.path : undefined;
  };
  return {
    metrics: collection('metrics'),
    lists: collection('lists'),
    profiles: jsonl('profiles'),
    events: jsonl('events'),
    listMembers: data.listMemberFiles(),
  };
}

/** The nearest folder at or above `start` holding klaviyo-workspace.json. */
export function findWorkspaceRoot(start: string): string | undefined {
  return searchUpwards(start, (dir) => (existsSync(join(dir, MARKER_FILE)) ? dir : undefined));
}

/** The default data paths, relative to the workspace folder. */
const DEFAULT_PATHS: WorkspaceConfig['paths'] = {
  metrics: 'data/metrics.json',
  lists: 'data/lists.json',
  listMembers: 'data/list-members',
  profiles: 'data/profiles.jsonl',
  events: 'data/events.jsonl',
};

/** Reads klaviyo-workspace.json. Problems become warnings; defaults fill in. */
export function readWorkspaceConfig(root: string, warnings: LoadWarning[] = []): WorkspaceConfig {
  const markerPath = join(root, MARKER_FILE);
  const warn = (message: string) => warnings.push({ file: markerPath, code: 'bad-marker', message });
  const marker = readMarker(root, markerPath, warn);
  let now: number | undefined;
  if (marker.now !== undefined) {
    // Only an ISO date or date-time: Date.parse would read "10/15/2026", roll 2026-02-30 over
    // into March and read an offset-less time in this machine's time zone.
    now = typeof marker.now === 'string' ? parseInstant(marker.now) : undefined;
    if (now === undefined)
      warn(
        `"now" is ${preview(marker.now)}, which is not an ISO 8601 date or date-time such as "2026-11-01T12:00:00Z" or "2026-11-01" (UTC when it has no offset); using the wall clock.`,
      );
  }
  let data: Record<string, unknown> = {};
  if (isObject(marker.data)) data = marker.data;
  else if (marker.data !== undefined) warn(`"data" must be an object of data paths; the default paths are used.`);
  const paths = { ...DEFAULT_PATHS };
  for (const key of Object.keys(paths) as (keyof WorkspaceConfig['paths'])[]) {
    const value = data[key];
    if (typeof value === 'string') paths[key] = value;
    else if (value !== undefined) warn(`"data.${key}" must be a path relative to the workspace folder; the default ${paths[key]} is used.`);
  }
  return {
    root,
    markerPath,
    name: typeof marker.name === 'string' ? marker.name : (root.split(/[\\/]/).pop() ?? 'workspace'),
    now,
    // Where they point is checked when they are read (DataPaths): a path may not leave the folder.
    paths: {
      metrics: resolve(root, paths.metrics),
      lists: resolve(root, paths.lists),
      listMembers: resolve(root, paths.listMembers),
      profiles: resolve(root, paths.profiles),
      events: resolve(root, paths.events),
    },
  };
}

/** The marker's object; problems go to `warn` (without quoting the file: it may not be the user's). */
function readMarker(root: string, markerPath: string, warn: (message: string) => void): Record<string, unknown> {
  if (!isInside(realLocation(root), markerPath)) {
    warn(`${MARKER_FILE} is a link that leads outside the workspace folder; it is not read, and the defaults apply.`);
    return {};
  }
  let text: string;
  try {
    text = readTextFile(markerPath);
  } catch (error) {
    warn(`${MARKER_FILE} cannot be read: ${(error as Error).message}`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const { problem, offset } = describeJsonError(text);
    const line = lineIndex(text)(offset);
    warn(
      `${MARKER_FILE} is not valid JSON (${problem} at line ${line}, column ${offset - (offset > 0 ? text.lastIndexOf('\n', offset - 1) : -1)}); the defaults apply.`,
    );
    return {};
  }
  if (isObject(parsed)) return parsed;
  warn(`${MARKER_FILE} must hold a JSON object; the defaults apply.`);
  return {};
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value quoted as JSON for a message, shortened past 60 characters. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** Loads a workspace folder. Never throws for bad data: problems are returned as warnings. */
export async function loadWorkspace(root: string, options: LoadOptions = {}): Promise<LoadedWorkspace> {
  try {
    return await loadOnce(root, options);
  } catch (error) {
    // A load thread failed (out of memory, killed): what it read is lost, so read all on this thread.
    if (error instanceof LoadThreadFailed) return loadOnce(root, { ...options, loadThreads: 0 });
    throw error;
  }
}

class LoadThreadFailed extends Error {}

async function loadOnce(root: string, options: LoadOptions): Promise<LoadedWorkspace> {
  const started = Date.now();
  const warnings: LoadWarning[] = [];
  const config = readWorkspaceConfig(root, warnings);
  const now = options.now ?? config.now ?? Date.now();
  const key = options.cache ? cacheKey(config.root, workspaceFiles(config)) : undefined;
  if (key) {
    const cached = readWorkspaceCache(key, now);
    if (cached)
      return {
        config,
        workspace: cached.workspace,
        warnings: cached.warnings,
        files: cached.files,
        loadMs: Date.now() - started,
        fromCache: true,
        summary: cached.summary,
        cacheWritten: false,
        threadBlocks: { profiles: 0, events: 0 },
      };
  }
  const builder = new WorkspaceBuilder(config.name, now);
  const threadBlocks = { profiles: 0, events: 0 };
  const files: string[] = [config.markerPath];
  const progress = options.onProgress ?? (() => undefined);
  const data = new DataPaths(config, warnings);

  for (const kind of ['metrics', 'lists'] as const) {
    const path = data.inside(kind, config.paths[kind]);
    const records = path === undefined ? undefined : readCollection(path, warnings);
    if (path === undefined || !records) continue;
    files.push(path);
    const problems = new LineProblems();
    builder.reportProblemsTo(problems);
    for (const { value, line } of records) {
      if (kind === 'metrics') builder.addMetric(value, { file: path, line });
      else builder.addList(value, { file: path, line });
    }
    reportLineProblems(path, kind === 'metrics' ? 'metric' : 'list', problems, warnings);
    progress({ phase: kind, records: records.length, bytes: 0, totalBytes: 0 });
  }

  const profiles = data.jsonl('profiles');
  if (profiles?.exists) {
    files.push(profiles.path);
    threadBlocks.profiles = await readProfiles(profiles.path, builder, warnings, options);
    builder.compactProfiles();
  } else if (profiles) {
    warnings.push({ file: profiles.path, code: 'missing-file', message: 'No profiles file: the workspace has no profiles.' });
  }

  for (const file of data.listMemberFiles()) {
    files.push(file.path);
    const problems = new LineProblems();
    builder.reportProblemsTo(problems);
    await readRecords(file.path, 'profile', 'list-members', problems, warnings, options, (value, line) => builder.addListMember(file.listId, value, line));
  }

  const events = data.jsonl('events');
  if (events?.exists) {
    files.push(events.path);
    threadBlocks.events = await readEvents(events.path, builder, warnings, options);
  } else if (events) {
    warnings.push({ file: events.path, code: 'missing-file', message: 'No events file: every metric condition will count 0 events.' });
  }

  progress({ phase: 'indexing', records: 0, bytes: 0, totalBytes: 0 });
  const workspace = builder.build();
  const issues = workspace.issues;
  const dangling: string[] = [];
  if (issues.eventsOfUnknownProfiles) dangling.push(`${issues.eventsOfUnknownProfiles} event(s) of profiles not in the workspace (dropped)`);
  if (issues.eventsIncomplete) dangling.push(`${issues.eventsIncomplete} event(s) without a metric, a profile or a time (dropped)`);
  if (issues.eventsOfUndeclaredMetrics) dangling.push(`${issues.eventsOfUndeclaredMetrics} event(s) of metrics missing from metrics.json (kept)`);
  if (issues.membersNotInProfiles) dangling.push(`${issues.membersNotInProfiles} list member(s) not in the profiles file (kept)`);
  if (issues.undeclaredLists) dangling.push(`${issues.undeclaredLists} list member file(s) of lists missing from lists.json`);
  if (issues.duplicateProfiles) dangling.push(`${issues.duplicateProfiles} duplicate profile record(s) (the last one wins)`);
  if (dangling.length) warnings.push({ file: config.root, code: 'dangling-references', message: `References that point nowhere: ${dangling.join('; ')}.` });
  const loadMs = Date.now() - started;
  let summary: WorkspaceSummary | undefined;
  let cacheWritten = false;
  if (key) {
    summary = summarizeWorkspace(workspace);
    try {
      writeWorkspaceCache(key, workspace, files, warnings, summary);
      cacheWritten = true;
    } catch {
      // No cache (read-only or full disk): the next load reads the JSONL again, nothing else changes.
    }
  }
  return { config, workspace, warnings, files, loadMs, fromCache: false, summary, cacheWritten, threadBlocks };
}

/** How a file is read with load threads (see `LoadThreads`). */
interface ThreadedRead {
  pool: LoadThreads;
  /** Called before a block is parsed on this thread (no thread took it). */
  parsingHere?: (block: number) => void;
  /** Called after a block was parsed on this thread. */
  parsedHere?: (block: number) => void;
  /** Called once every thread is done, before the problems with lines are reported. */
  finished: (parts: Extract<FromLoadThread, { type: 'done' }>[], problems: LineProblems) => void;
}

/**
 * Reads one JSONL file into the builder with progress (`add` gets each record; the builder reports
 * its problems into `problems`, as `parseLines` does broken lines); problems become warnings.
 * `threads` parse some blocks elsewhere; returns how many.
 */
async function readRecords(
  path: string,
  kind: string,
  phase: LoadProgress['phase'],
  problems: LineProblems,
  warnings: LoadWarning[],
  options: LoadOptions,
  add: (value: unknown, line: number) => void,
  threads?: ThreadedRead,
  read?: LineReader,
): Promise<number> {
  let records = 0;
  const onRecord = (value: unknown, line: number): void => {
    add(value, line);
    records++;
  };
  const readLine: LineReader | undefined =
    read &&
    ((block, start, end, line, text) => {
      if (!read(block, start, end, line, text)) return false;
      records++;
      return true;
    });
  const pool = threads?.pool;
  let result: Awaited<ReturnType<typeof readJsonl>>;
  try {
    result = await readJsonl(path, onRecord, problems, {
      isCancelled: options.isCancelled,
      onProgress: (bytes, totalBytes) => options.onProgress?.({ phase, records: records + (pool?.records ?? 0), bytes, totalBytes }),
      offer:
        threads &&
        ((block, firstLine, index) => {
          if (threads.pool.offer(block, firstLine, index)) return true;
          threads.parsingHere?.(index);
          return false;
        }),
      parsedHere: threads?.parsedHere,
      read: readLine,
    });
  } catch (error) {
    pool?.stop();
    throw error;
  }
  if (threads) {
    let parts: Extract<FromLoadThread, { type: 'done' }>[];
    try {
      parts = await threads.pool.finish();
    } catch (error) {
      throw new LoadThreadFailed((error as Error).message);
    }
    threads.finished(parts, problems);
  }
  if (result.unreadable !== undefined) {
    warnings.push({ file: path, code: 'unreadable-file', message: `Cannot read the file: ${result.unreadable}` });
    return 0;
  }
  reportLineProblems(path, kind, problems, warnings);
  if (result.stopped)
    warnings.push({
      file: path,
      line: result.stopped.line || undefined,
      code: 'unreadable-file',
      message: `Reading stopped after line ${result.stopped.line}: ${result.stopped.message}. The records before it were loaded.`,
    });
  return pool?.blocksSent ?? 0;
}

/** Warnings for the problems with the lines of one file: the first of each kind with their lines, then how many more. */
function reportLineProblems(path: string, kind: string, problems: LineProblems, warnings: LoadWarning[]): void {
  const report = problems.report();
  for (const problem of report.lines) warnings.push({ file: path, ...problem });
  const more = {
    'broken-line': 'broken line(s) skipped',
    'not-a-resource': `line(s) that are not ${kind} resources skipped`,
    'wrong-type': 'value(s) of the wrong type not stored',
    'dropped-event': 'event(s) dropped',
  };
  for (const { code, count } of report.more) warnings.push({ file: path, code, message: `${count} more ${more[code]}.` });
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // readRecords reports it.
  }
}

/**
 * Reads profiles.jsonl, parsing blocks of it on load threads as well when it is big. Blocks are
 * merged into the builder in the file's order whichever thread read them, so profiles keep the
 * order (and a repeated profile the outcome) of a read on one thread. A block this thread parses
 * while earlier ones are still being read elsewhere goes into a builder of its own until then.
 */
async function readProfiles(path: string, builder: WorkspaceBuilder, warnings: LoadWarning[], options: LoadOptions): Promise<number> {
  const waiting = new Map<number, () => void>();
  const problemsElsewhere: LineProblemsReport[] = [];
  let nextToMerge = 0;
  const drain = (): void => {
    for (let merge = waiting.get(nextToMerge); merge; merge = waiting.get(nextToMerge)) {
      waiting.delete(nextToMerge++);
      merge();
    }
  };
  const problems = new LineProblems();
  builder.reportProblemsTo(problems);
  const pool = LoadThreads.start(
    fileSize(path),
    () => ({ kind: 'profiles' }),
    options.loadThreads,
    (message) => {
      if (message.type !== 'profiles') return;
      const { ids, columns, duplicateProfiles } = message.profiles;
      waiting.set(message.block, () =>
        builder.importProfiles(
          ids,
          columns.map(([key, transfer]): [string, Column] => [key, Column.fromTransfer(transfer)]),
          duplicateProfiles,
        ),
      );
      problemsElsewhere.push(message.problems);
      drain();
    },
  );
  let target = builder;
  const add = (value: unknown, line: number): void => void target.addProfile(value, line);
  if (!pool) return readRecords(path, 'profile', 'profiles', problems, warnings, options, add);
  let parsedHere = 0;
  return readRecords(path, 'profile', 'profiles', problems, warnings, options, add, {
    pool,
    parsingHere: (block) => {
      target = block === nextToMerge ? builder : new WorkspaceBuilder('', 0, problems);
    },
    parsedHere: (block) => {
      parsedHere++;
      if (target === builder) {
        nextToMerge++;
      } else {
        const part = target.profilesPart();
        waiting.set(block, () => builder.importProfiles(part.ids, part.columns, part.duplicateProfiles));
      }
      target = builder;
      drain();
    },
    finished: (_parts, all) => {
      for (const report of problemsElsewhere) all.merge(report);
      drain();
      if (waiting.size > 0 || nextToMerge !== parsedHere + pool.blocksSent)
        throw new LoadThreadFailed('a block of profiles read on a load thread never came back');
    },
  });
}

/**
 * Reads events.jsonl, parsing blocks of it on load threads as well when it is big: each thread
 * hands over the events it read every so often and at the end (events are sorted by profile, time
 * and line afterwards, so the order they are merged in does not matter).
 */
async function readEvents(path: string, builder: WorkspaceBuilder, warnings: LoadWarning[], options: LoadOptions): Promise<number> {
  const bytes = fileSize(path);
  const problems = new LineProblems();
  builder.reportProblemsTo(problems);
  // Compressed JSONL is about a sixth of its size.
  const pool = LoadThreads.start(
    path.endsWith('.gz') ? bytes * 6 : bytes,
    () => ({ kind: 'events', context: builder.eventsContext(), eventsPerMessage: options.eventsPerMessage }),
    options.loadThreads,
    (message) => {
      if (message.type === 'events') builder.importEvents(message.events);
    },
  );
  return readRecords(
    path,
    'event',
    'events',
    problems,
    warnings,
    options,
    (value, line) => void builder.addEvent(value, line),
    pool && {
      pool,
      finished: (parts, all) => {
        for (const part of parts) {
          if (part.events) builder.importEvents(part.events);
          all.merge(part.problems);
        }
      },
    },
    (block, start, end, line, text) => builder.addEventLine(block, start, end, line, text),
  );
}

/**
 * Where a workspace's data may be read from: inside its folder, after resolving ".." and symbolic
 * links. The extension runs in untrusted workspaces, so a cloned repository must not make it read
 * (and echo, in warnings) files elsewhere on the machine. A path that leads outside is not read;
 * with `warnings`, a `bad-marker` warning names its key.
 */
class DataPaths {
  private readonly realRoot: string;

  constructor(
    private readonly config: WorkspaceConfig,
    private readonly warnings?: LoadWarning[],
  ) {
    this.realRoot = realLocation(config.root);
  }

  /** `path` (the data path of `key`) when it stays inside the workspace folder. */
  inside(key: keyof WorkspaceConfig['paths'], path: string): string | undefined {
    if (isInside(this.realRoot, path)) return path;
    this.warn(
      `The "${key}" data path ${preview(this.shown(path))} leads outside the workspace folder; it is not read. Data paths stay inside the folder of ${MARKER_FILE}: no "..", absolute path or symbolic link out of it.`,
    );
    return undefined;
  }

  /**
   * profiles.jsonl or events.jsonl, or its .gz when only that exists (`exists` false: neither),
   * or undefined when it leads outside the workspace folder.
   */
  jsonl(key: 'profiles' | 'events'): { path: string; exists: boolean } | undefined {
    const plain = this.config.paths[key];
    const path = !existsSync(plain) && existsSync(`${plain}.gz`) ? `${plain}.gz` : plain;
    if (!this.inside(key, path)) return undefined;
    return { path, exists: existsSync(path) };
  }

  /** The list member files, `<LIST_ID>.jsonl` or `.jsonl.gz`, sorted, that stay inside the workspace folder. */
  listMemberFiles(): { listId: string; path: string }[] {
    const folder = this.inside('listMembers', this.config.paths.listMembers);
    if (!folder) return [];
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch {
      return [];
    }
    return names
      .map((name) => /^(.+)\.jsonl(\.gz)?$/.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ listId: m[1], path: join(folder, m[0]) }))
      .sort((a, b) => a.path.localeCompare(b.path))
      .filter(({ path }) => {
        if (isInside(this.realRoot, path)) return true;
        this.warn(`The "listMembers" folder holds ${preview(this.shown(path))}, a link that leads outside the workspace folder; it is not read.`);
        return false;
      });
  }

  private shown(path: string): string {
    return relative(this.config.root, path) || '.';
  }

  private warn(message: string): void {
    this.warnings?.push({ file: this.config.markerPath, code: 'bad-marker', message });
  }
}

/** Where `path` really is: symbolic links resolved as far as the path exists, the rest appended. */
function realLocation(path: string): string {
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    try {
      return join(realpathSync(at), ...missing);
    } catch {
      if (dirname(at) === at) return resolve(path);
      missing.unshift(basename(at));
    }
  }
}

/** Whether `path` really is inside the folder `realRoot` (itself resolved by `realLocation`). */
function isInside(realRoot: string, path: string): boolean {
  const inside = relative(realRoot, realLocation(path));
  return inside === '' || (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside));
}

/**
 * Reads `{"data": [...]}` or a bare array, with the 1-based line of each record (for go to
 * definition). Returns undefined (and a warning) when the file is missing or unreadable.
 */
export function readCollection(path: string, warnings: LoadWarning[]): { value: unknown; line: number }[] | undefined {
  let text: string;
  try {
    text = readTextFile(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    warnings.push({
      file: path,
      code: missing ? 'missing-file' : 'unreadable-file',
      message: missing ? 'File not found; treated as empty.' : `Cannot read the file: ${(error as Error).message}`,
    });
    return undefined;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !root) {
    const { problem, offset } = describeJsonError(text);
    warnings.push({
      file: path,
      line: lineIndex(text)(offset),
      code: 'broken-line',
      message: `This file is not valid JSON (${problem}); records after the error may be missing.`,
    });
  }
  const array: Node | undefined = root?.type === 'array' ? root : root?.children?.find((p) => p.children?.[0]?.value === 'data')?.children?.[1];
  if (!array || array.type !== 'array') {
    if (root) warnings.push({ file: path, line: 1, code: 'not-a-resource', message: 'Expected {"data": [...]} or an array of resources.' });
    return [];
  }
  const lineOf = lineIndex(text);
  return (array.children ?? []).map((node) => ({ value: getNodeValue(node), line: lineOf(node.offset) }));
}

/** Offset → 1-based line, by binary search over the line starts. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
