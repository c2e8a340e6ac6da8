import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import { getNodeValue, parseTree, type Node, type ParseError } from 'jsonc-parser';
import type { Workspace } from '../engine/workspace';
import { WorkspaceBuilder } from '../engine/workspace';
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
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
  /** Checked between lines; return true to abandon the load. */
  isCancelled?: () => boolean;
  /** Overrides `now` (tests, CLI --now). */
  now?: number;
  /** Use the engine's on-disk cache (read it when current, write it after a load). */
  cache?: boolean;
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
  const started = Date.now();
  const warnings: LoadWarning[] = [];
  const config = readWorkspaceConfig(root, warnings);
  const now = options.now ?? config.now ?? Date.now();
  const key = options.cache ? cacheKey(config.root, workspaceFiles(config)) : undefined;
  if (key) {
    const cached = readWorkspaceCache(key, now);
    if (cached) return { config, workspace: cached.workspace, warnings: cached.warnings, files: cached.files, loadMs: Date.now() - started, fromCache: true };
  }
  const builder = new WorkspaceBuilder(config.name, now);
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
    await readJsonl(profiles, warnings, options, (value, line) => builder.addProfile(value) || notA('profile', profiles, line, warnings), (records, bytes, totalBytes) => progress({ phase: 'profiles', records, bytes, totalBytes }));
  } else {
    warnings.push({ file: config.paths.profiles, code: 'missing-file', message: 'No profiles file: the workspace has no profiles.' });
  }

  for (const file of listMemberFiles(config.paths.listMembers)) {
    files.push(file.path);
    await readJsonl(file.path, warnings, options, (value, line) => builder.addListMember(file.listId, value) || notA('profile', file.path, line, warnings), (records, bytes, totalBytes) => progress({ phase: 'list-members', records, bytes, totalBytes }));
  }

  const events = resolveJsonl(config.paths.events);
  if (events) {
    files.push(events);
    await readJsonl(events, warnings, options, (value, line) => builder.addEvent(value) || notA('event', events, line, warnings), (records, bytes, totalBytes) => progress({ phase: 'events', records, bytes, totalBytes }));
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
  if (key) {
    try {
      writeWorkspaceCache(key, workspace, files, warnings);
    } catch {
      // No cache (read-only or full disk): the next load reads the JSONL again, nothing else changes.
    }
  }
  return { config, workspace, warnings, files, loadMs, fromCache: false };
}

function notA(kind: string, file: string, line: number, warnings: LoadWarning[]): boolean {
  warnings.push({ file, line, code: 'not-a-resource', message: `Line ${line} is not a ${kind} resource (an object with an "id"); skipped.` });
  return false;
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

/**
 * Streams a JSONL file (or .jsonl.gz) line by line: never holds the whole file in memory. Lines
 * are cut from the stream's byte chunks directly (faster than readline, which the profiler showed
 * spending more time splitting than JSON.parse spends parsing small lines). A line that is not
 * JSON is skipped with a warning; a file that vanishes or fails mid-read stops with a warning,
 * keeping what was read.
 */
async function readJsonl(path: string, warnings: LoadWarning[], options: LoadOptions, onRecord: (value: unknown, line: number) => unknown, onProgress: (records: number, bytes: number, totalBytes: number) => void): Promise<void> {
  let totalBytes = 0;
  try {
    totalBytes = statSync(path).size;
  } catch (error) {
    warnings.push({ file: path, code: 'unreadable-file', message: `Cannot read the file: ${(error as Error).message}` });
    return;
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream = path.endsWith('.gz') ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  // pipe() does not forward errors: a file that vanishes mid-read must end the gunzip stream too.
  if (stream !== raw) raw.on('error', (error) => stream.destroy(error));
  let line = 0;
  let records = 0;
  let brokenReported = 0;
  let cancelled = false;
  const handle = (text: string): void => {
    line++;
    if (text.length === 0 || (text.length < 3 && text.trim() === '')) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      if (text.trim() === '') return;
      // Report the first broken lines individually; then summarise, so a corrupt file cannot flood the editor.
      if (brokenReported++ < 20) warnings.push({ file: path, line, code: 'broken-line', message: `Line ${line} is not valid JSON (${(error as Error).message}); skipped.` });
      return;
    }
    onRecord(value, line);
    records++;
    if ((records & 0x3fff) === 0) {
      onProgress(records, raw.bytesRead, totalBytes);
      if (options.isCancelled?.()) cancelled = true;
    }
  };
  let rest: Buffer | undefined;
  const lineOf = (buffer: Buffer, start: number, end: number): string => {
    // Tolerate Windows line ends.
    const stop = end > start && buffer[end - 1] === 13 ? end - 1 : end;
    return buffer.toString('utf8', start, stop);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buffer = rest ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      for (let newline = buffer.indexOf(10, start); newline !== -1; newline = buffer.indexOf(10, start)) {
        handle(lineOf(buffer, start, newline));
        start = newline + 1;
        if (cancelled) break;
      }
      rest = start < buffer.length ? buffer.subarray(start) : undefined;
      if (cancelled) {
        raw.destroy();
        break;
      }
    }
    if (rest && !cancelled) handle(lineOf(rest, 0, rest.length));
  } catch (error) {
    warnings.push({ file: path, line: line || undefined, code: 'unreadable-file', message: `Reading stopped after line ${line}: ${(error as Error).message}. The records before it were loaded.` });
    raw.destroy();
  }
  if (brokenReported > 20) warnings.push({ file: path, code: 'broken-line', message: `${brokenReported - 20} more broken line(s) skipped.` });
  onProgress(records, totalBytes, totalBytes);
}
