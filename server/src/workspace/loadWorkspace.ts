import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { Workspace } from '../engine/workspace';
import { WorkspaceBuilder } from '../engine/workspace';
import { summarizeWorkspace, type WorkspaceSummary } from '../engine/catalog';
import { Column } from '../engine/column';
import { LoadThreads, type FromLoadThread, type SkippedReport } from './loadThreads';
import { notAResource, readJsonl, SkippedLines } from './jsonl';
import { cacheKey, readWorkspaceCache, writeWorkspaceCache } from './workspaceCache';

export const MARKER_FILE = 'klaviyo-workspace.json';

/** A problem found while loading, with where it is. */
export interface LoadWarning {
  file: string;
  /** 1-based line, when the problem is on one line. */
  line?: number;
  message: string;
  code: 'unreadable-file' | 'missing-file' | 'broken-line' | 'not-a-resource' | 'bad-marker' | 'dangling-references';
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
}

/** The data files a workspace consists of, as they are on disk now. */
export function workspaceFiles(config: WorkspaceConfig): string[] {
  const files = [config.markerPath];
  for (const path of [config.paths.metrics, config.paths.lists]) if (existsSync(path)) files.push(path);
  const profiles = resolveJsonl(config.paths.profiles);
  if (profiles) files.push(profiles);
  files.push(...listMemberFiles(config.paths.listMembers).map((f) => f.path));
  const events = resolveJsonl(config.paths.events);
  if (events) files.push(events);
  return files;
}

/** The nearest folder at or above `start` holding klaviyo-workspace.json. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = resolve(start);
  try {
    if (!statSync(dir).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    if (existsSync(join(dir, MARKER_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads klaviyo-workspace.json. Problems become warnings; defaults fill in. */
export function readWorkspaceConfig(root: string, warnings: LoadWarning[] = []): WorkspaceConfig {
  const markerPath = join(root, MARKER_FILE);
  let marker: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(markerPath, 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) marker = parsed as Record<string, unknown>;
    else warnings.push({ file: markerPath, code: 'bad-marker', message: `${MARKER_FILE} must hold a JSON object.` });
  } catch (error) {
    warnings.push({ file: markerPath, code: 'bad-marker', message: `${MARKER_FILE} cannot be read: ${(error as Error).message}` });
  }
  let now: number | undefined;
  if (marker.now !== undefined) {
    now = typeof marker.now === 'string' ? Date.parse(marker.now) : NaN;
    if (!Number.isFinite(now)) {
      warnings.push({ file: markerPath, code: 'bad-marker', message: `"now" must be an ISO 8601 instant such as "2026-11-01T12:00:00Z"; using the wall clock.` });
      now = undefined;
    }
  }
  const data = typeof marker.data === 'object' && marker.data !== null ? (marker.data as Record<string, unknown>) : {};
  const path = (key: string, fallback: string) => join(root, typeof data[key] === 'string' ? (data[key] as string) : fallback);
  return {
    root,
    markerPath,
    name: typeof marker.name === 'string' ? marker.name : root.split(/[\\/]/).pop() ?? 'workspace',
    now,
    paths: {
      metrics: path('metrics', 'data/metrics.json'),
      lists: path('lists', 'data/lists.json'),
      listMembers: path('listMembers', 'data/list-members'),
      profiles: path('profiles', 'data/profiles.jsonl'),
      events: path('events', 'data/events.jsonl'),
    },
  };
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
    if (cached) return { config, workspace: cached.workspace, warnings: cached.warnings, files: cached.files, loadMs: Date.now() - started, fromCache: true, summary: cached.summary, cacheWritten: false, threadBlocks: { profiles: 0, events: 0 } };
  }
  const builder = new WorkspaceBuilder(config.name, now);
  const threadBlocks = { profiles: 0, events: 0 };
  const files: string[] = [config.markerPath];
  const progress = options.onProgress ?? (() => undefined);

  for (const [kind, path] of [['metrics', config.paths.metrics], ['lists', config.paths.lists]] as const) {
    const records = readCollection(path, warnings);
    if (!records) continue;
    files.push(path);
    for (const { value, line } of records) {
      const added = kind === 'metrics' ? builder.addMetric(value, { file: path, line }) : builder.addList(value, { file: path, line });
      if (!added) warnings.push({ file: path, line, code: 'not-a-resource', message: `This ${kind === 'metrics' ? 'metric' : 'list'} has no "id"; skipped.` });
    }
    progress({ phase: kind, records: records.length, bytes: 0, totalBytes: 0 });
  }

  const profiles = resolveJsonl(config.paths.profiles);
  if (profiles) {
    files.push(profiles);
    threadBlocks.profiles = await readProfiles(profiles, builder, warnings, options);
  } else {
    warnings.push({ file: config.paths.profiles, code: 'missing-file', message: 'No profiles file: the workspace has no profiles.' });
  }

  for (const file of listMemberFiles(config.paths.listMembers)) {
    files.push(file.path);
    await readRecords(file.path, 'profile', 'list-members', warnings, options, (value) => builder.addListMember(file.listId, value));
  }

  const events = resolveJsonl(config.paths.events);
  if (events) {
    files.push(events);
    threadBlocks.events = await readEvents(events, builder, warnings, options);
  } else {
    warnings.push({ file: config.paths.events, code: 'missing-file', message: 'No events file: every metric condition will count 0 events.' });
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
  /** Called once every thread is done, before the skipped lines are reported. */
  finished: (parts: Extract<FromLoadThread, { type: 'done' }>[], skipped: SkippedLines) => void;
}

/**
 * Reads one JSONL file into the builder (`add` returns false for a line that is not a resource of
 * the kind), with progress; problems become warnings. `threads` parse some blocks elsewhere;
 * returns how many.
 */
async function readRecords(path: string, kind: string, phase: LoadProgress['phase'], warnings: LoadWarning[], options: LoadOptions, add: (value: unknown, line: number) => boolean, threads?: ThreadedRead): Promise<number> {
  const skipped = new SkippedLines();
  let records = 0;
  const onRecord = (value: unknown, line: number): void => {
    if (!add(value, line)) notAResource(kind, line, skipped);
    records++;
  };
  const pool = threads?.pool;
  let result: Awaited<ReturnType<typeof readJsonl>>;
  try {
    result = await readJsonl(path, onRecord, skipped, {
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
    threads.finished(parts, skipped);
  }
  if (result.unreadable !== undefined) {
    warnings.push({ file: path, code: 'unreadable-file', message: `Cannot read the file: ${result.unreadable}` });
    return 0;
  }
  const report = skipped.report();
  for (const line of report.lines) warnings.push({ file: path, ...line });
  for (const { code, count } of report.more) warnings.push({ file: path, code, message: code === 'broken-line' ? `${count} more broken line(s) skipped.` : `${count} more line(s) that are not ${kind} resources skipped.` });
  if (result.stopped) warnings.push({ file: path, line: result.stopped.line || undefined, code: 'unreadable-file', message: `Reading stopped after line ${result.stopped.line}: ${result.stopped.message}. The records before it were loaded.` });
  return pool?.blocksSent ?? 0;
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
  const skippedElsewhere: SkippedReport[] = [];
  let nextToMerge = 0;
  const drain = (): void => {
    for (let merge = waiting.get(nextToMerge); merge; merge = waiting.get(nextToMerge)) {
      waiting.delete(nextToMerge++);
      merge();
    }
  };
  const pool = LoadThreads.start(fileSize(path), { kind: 'profiles' }, options.loadThreads, (message) => {
    if (message.type !== 'profiles') return;
    const { ids, columns, duplicateProfiles } = message.profiles;
    waiting.set(message.block, () => builder.importProfiles(ids, columns.map(([key, transfer]): [string, Column] => [key, Column.fromTransfer(transfer)]), duplicateProfiles));
    skippedElsewhere.push(message.skipped);
    drain();
  });
  let target = builder;
  const add = (value: unknown): boolean => target.addProfile(value);
  if (!pool) return readRecords(path, 'profile', 'profiles', warnings, options, add);
  let parsedHere = 0;
  return readRecords(path, 'profile', 'profiles', warnings, options, add, {
    pool,
    parsingHere: (block) => {
      target = block === nextToMerge ? builder : new WorkspaceBuilder('', 0);
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
    finished: (_parts, skipped) => {
      for (const report of skippedElsewhere) skipped.merge(report);
      drain();
      if (waiting.size > 0 || nextToMerge !== parsedHere + pool.blocksSent) throw new LoadThreadFailed('a block of profiles read on a load thread never came back');
    },
  });
}

/**
 * Reads events.jsonl, parsing blocks of it on load threads as well when it is big: each thread
 * keeps its own events and hands them over at the end (events are sorted by profile, time and
 * line afterwards, so the order they are merged in does not matter).
 */
async function readEvents(path: string, builder: WorkspaceBuilder, warnings: LoadWarning[], options: LoadOptions): Promise<number> {
  const bytes = fileSize(path);
  // Compressed JSONL is about a sixth of its size.
  const pool = LoadThreads.start(path.endsWith('.gz') ? bytes * 6 : bytes, { kind: 'events', context: builder.eventsContext() }, options.loadThreads);
  return readRecords(path, 'event', 'events', warnings, options, (value, line) => builder.addEvent(value, line), pool && {
    pool,
    finished: (parts, skipped) => {
      for (const part of parts) {
        if (part.events) builder.importEvents(part.events);
        skipped.merge(part.skipped);
      }
    },
  });
}

/** `path` if it exists, else `path.gz`, else undefined. */
function resolveJsonl(path: string): string | undefined {
  if (existsSync(path)) return path;
  if (existsSync(`${path}.gz`)) return `${path}.gz`;
  return undefined;
}

function listMemberFiles(folder: string): { listId: string; path: string }[] {
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
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Reads `{"data": [...]}` or a bare array, with the 1-based line of each record (for go to
 * definition). Returns undefined (and a warning) when the file is missing or unreadable.
 */
function readCollection(path: string, warnings: LoadWarning[]): { value: unknown; line: number }[] | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    warnings.push({ file: path, code: missing ? 'missing-file' : 'unreadable-file', message: missing ? 'File not found; treated as empty.' : `Cannot read the file: ${(error as Error).message}` });
    return undefined;
  }
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length || !root) {
    const offset = errors[0]?.offset ?? 0;
    warnings.push({ file: path, line: lineAt(text, offset), code: 'broken-line', message: 'This file is not valid JSON; records after the error may be missing.' });
  }
  const array: Node | undefined = root?.type === 'array' ? root : root?.children?.find((p) => p.children?.[0]?.value === 'data')?.children?.[1];
  if (!array || array.type !== 'array') {
    if (root) warnings.push({ file: path, line: 1, code: 'not-a-resource', message: 'Expected {"data": [...]} or an array of resources.' });
    return [];
  }
  const lineOf = lineIndex(text);
  return (array.children ?? []).map((node) => ({ value: getNodeValue(node), line: lineOf(node.offset) }));
}

function lineAt(text: string, offset: number): number {
  return lineIndex(text)(offset);
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
