import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseInstant } from '../engine/time';
import { KlaviyoClient, type Resource } from './client';
import type { EndpointId } from './endpoints';
import { KlaviyoError } from './errors';
import { collectIds, existingDataFile, fileSize, mergeById, RecordWriter, renameWithRetry, writeFileAtomic } from './files';

/** The marker file of a workspace (see docs/workspace-format.md). */
export const MARKER = 'klaviyo-workspace.json';
/** What the last completed pull did, kept with the data it describes (`data/`). */
export const PULL_RECORD = 'segment-lens-pull.json';
/** The resume state of an unfinished pull, in the temporary folder. */
export const STATE_FILE = 'pull-state.json';

/** Incremental pulls re-read this much before the last pull's start (late events, clock skew); ids dedupe the overlap. */
export const INCREMENTAL_OVERLAP_MS = 60 * 60_000;

export const PAGE_SIZE = { profiles: 100, listProfiles: 100, events: 1000 } as const;

export interface PullOptions {
  /** The workspace folder to write (created when missing). */
  out: string;
  client: KlaviyoClient;
  /** Full pull only: events at or after this instant (ISO 8601). */
  since?: string;
  /** Full pull only: stop after this many profiles; events and memberships are kept for those profiles only. */
  maxProfiles?: number;
  /** Fetch only what changed since the last completed pull into `out`, and merge it in. */
  incremental?: boolean;
  /** The workspace name for a new klaviyo-workspace.json (default: the folder's name). */
  name?: string;
  /** Discard an interrupted pull instead of resuming it. */
  fresh?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** Wall clock (tests). */
  now?: () => number;
}

export interface PullProgress {
  /** Machine name of the step: metrics, lists, profiles, list-members:<id>, events, merge:<what>, commit. */
  step: string;
  /** Human name: "Profiles", "Members of list Newsletter", … */
  label: string;
  /** Records and pages fetched so far in this step. */
  records: number;
  pages: number;
  stepsDone: number;
  stepsTotal: number;
}

export interface PullCounts {
  metrics: number;
  lists: number;
  memberFiles: number;
  memberships: number;
  profiles: number;
  events: number;
}

export interface PullResult {
  out: string;
  mode: 'full' | 'incremental';
  /** The pull continued an interrupted one. */
  resumed: boolean;
  startedAt: string;
  counts: PullCounts;
  /** Incremental: records fetched because they changed. */
  changed?: { profiles: number; events: number; memberships: number };
  requests: number;
  ms: number;
  notes: string[];
}

/** `data/segment-lens-pull.json`: what the last completed pull did. */
export interface PullRecord {
  version: 1;
  tool: 'segment-lens';
  baseUrl: string;
  revision: string;
  mode: 'full' | 'incremental';
  /** When the (last) pull started: the data holds events before this instant. */
  startedAt: string;
  completedAt: string;
  /** When the last full pull started (incremental pulls keep it). */
  fullPullStartedAt: string;
  since: string | null;
  maxProfiles: number | null;
  counts: PullCounts;
  /** Lists whose member file is complete. */
  memberLists: string[];
}

interface StepState {
  done: boolean;
  /** The next page to fetch, relative to the base URL (null: no more). */
  next: string | null;
  pages: number;
  records: number;
  /** Bytes of the output file after the last page written. */
  bytes: number;
  /** The first page (to restart the step if a saved cursor has expired). */
  first: string;
}

interface PullState {
  version: 1;
  fingerprint: string;
  startedAt: string;
  steps: Record<string, StepState>;
  /** Set when the lists step is done. */
  listIds?: string[];
  listNames?: Record<string, string>;
}

/** The folder an unfinished pull of `out` lives in: a hidden sibling, so the final rename stays on one file system. */
export function pullTempDir(out: string): string {
  const abs = resolve(out);
  return join(dirname(abs), `.${basename(abs)}.segment-lens-pull`);
}

/** The record of the last completed pull into `out`, if any. */
export function readPullRecord(out: string): PullRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(join(resolve(out), 'data', PULL_RECORD), 'utf8')) as PullRecord;
    return record && record.version === 1 && parseInstant(record.startedAt) !== undefined ? record : undefined;
  } catch {
    return undefined;
  }
}

/** An unfinished pull of `out`: when it started, what is done, and the options that resume it. */
export interface InterruptedPull {
  startedAt: string;
  stepsDone: string[];
  incremental: boolean;
  since: string | null;
  maxProfiles: number | null;
  baseUrl: string;
}

/** The unfinished pull of `out`, if there is one to resume. */
export function describeInterruptedPull(out: string): InterruptedPull | undefined {
  try {
    const state = JSON.parse(readFileSync(join(pullTempDir(out), STATE_FILE), 'utf8')) as PullState;
    const options = JSON.parse(state.fingerprint) as { baseUrl: string; mode: string; since: string | null; maxProfiles: number | null };
    return {
      startedAt: state.startedAt,
      stepsDone: Object.entries(state.steps).filter(([, s]) => s.done).map(([k]) => k),
      incremental: options.mode === 'incremental',
      since: options.since,
      maxProfiles: options.maxProfiles,
      baseUrl: options.baseUrl,
    };
  } catch {
    return undefined;
  }
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds `path?k=v&…`, keeping JSON:API brackets readable and encoding values. */
export function withQuery(path: string, params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(String(value))}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/**
 * The instant of a `since` option, read like every date the product reads (`parseInstant`: a date
 * is 00:00 UTC, no offset means UTC, an impossible date is undefined). Callers check input with it.
 */
export function sinceInstant(since: string): number | undefined {
  return parseInstant(since.trim());
}

function parseSince(since: string): number {
  const value = sinceInstant(since);
  if (value === undefined) throw new KlaviyoError('config', `--since: expected an ISO date such as 2025-01-01 or 2025-01-01T00:00:00Z (got "${since}").`);
  return value;
}

function eventTime(event: Resource): number | undefined {
  const attributes = event.attributes ?? {};
  if (typeof attributes.timestamp === 'number') return attributes.timestamp * 1000;
  return typeof attributes.datetime === 'string' ? parseInstant(attributes.datetime) : undefined;
}

function relationshipId(event: Resource, name: string): string | undefined {
  const rel = event.relationships?.[name] as { data?: { id?: unknown } } | undefined;
  return typeof rel?.data?.id === 'string' ? rel.data.id : undefined;
}

/** A list member line: the identity, the join date and the links (the profile itself is in profiles.jsonl). */
function memberLine(resource: Resource): Resource {
  const a = resource.attributes ?? {};
  const attributes: Record<string, unknown> = {};
  for (const key of ['email', 'phone_number', 'external_id', 'joined_group_at']) if (key in a) attributes[key] = a[key];
  return { type: resource.type, id: resource.id, attributes, ...(resource.links ? { links: resource.links } : {}) };
}

interface CollectionStep {
  key: string;
  label: string;
  endpoint: EndpointId;
  first: string;
  /** Path of the output file, relative to the temporary folder. */
  file: string;
  format: 'jsonl' | 'json-document';
  /** Filters a page; `stop` ends the step after this page. */
  transform?: (records: Resource[], state: StepState) => { records: Resource[]; stop?: boolean };
}

/**
 * Pulls a Klaviyo account into a workspace folder (docs/workspace-format.md, docs/klaviyo-api.md).
 *
 * Everything is written to a temporary sibling folder page by page, with a state file recording
 * per collection the next cursor and the bytes written, so a rerun after an interruption
 * resumes where it stopped. Only when every collection is complete does the new `data/` folder
 * replace the old one (a rename) and klaviyo-workspace.json get written.
 */
export async function pullWorkspace(options: PullOptions): Promise<PullResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const out = resolve(options.out);
  const temp = pullTempDir(out);
  const client = options.client;
  const signal = options.signal;
  const notes: string[] = [];
  const requestsBefore = client.requests;

  recoverInterruptedCommit(out);
  const marker = readMarker(out);
  if (existsSync(join(out, 'data')) && !marker.exists) {
    throw new KlaviyoError('config', `${out} already has a data/ folder but no ${MARKER}: it is not a Segment Lens workspace. Pull into a new or empty folder, or into an existing workspace.`);
  }
  if (marker.value && typeof marker.value.data === 'object' && marker.value.data !== null) {
    throw new KlaviyoError('config', `${join(out, MARKER)} sets custom "data" paths; a pull writes the default layout (data/…). Remove "data" from it or pull into another folder.`);
  }

  const previous = readPullRecord(out);
  const incremental = options.incremental === true;
  if (incremental && !previous) throw new KlaviyoError('config', `No completed pull in ${out} to continue from (${join('data', PULL_RECORD)} is missing): run a full pull first.`);
  if (incremental && (options.since !== undefined || options.maxProfiles !== undefined)) {
    throw new KlaviyoError('config', '--since and --max-profiles apply to full pulls; an incremental pull keeps the settings of the last full pull.');
  }
  if (options.maxProfiles !== undefined && (!Number.isInteger(options.maxProfiles) || options.maxProfiles < 1)) throw new KlaviyoError('config', '--max-profiles must be a positive whole number.');
  const since = incremental ? previous?.since ?? null : options.since !== undefined ? isoSeconds(parseSince(options.since)) : null;
  const maxProfiles = incremental ? previous?.maxProfiles ?? null : options.maxProfiles ?? null;
  const cutoff = incremental && previous ? isoSeconds((parseInstant(previous.startedAt) as number) - INCREMENTAL_OVERLAP_MS) : undefined;

  const fingerprint = JSON.stringify({ baseUrl: client.baseUrl, mode: incremental ? 'incremental' : 'full', since, maxProfiles, from: incremental ? previous?.startedAt : null });

  // Resume or start.
  await mkdir(dirname(temp), { recursive: true });
  let state: PullState | undefined;
  if (existsSync(temp) && !options.fresh) {
    try {
      const saved = JSON.parse(await readFile(join(temp, STATE_FILE), 'utf8')) as PullState;
      if (saved.version === 1 && saved.fingerprint === fingerprint && parseInstant(saved.startedAt) !== undefined) state = saved;
      else notes.push(`Discarded an interrupted pull started ${saved.startedAt} with different options.`);
    } catch {
      // No usable state: start over.
    }
  }
  const resumed = state !== undefined;
  if (!state) {
    await rm(temp, { recursive: true, force: true });
    await mkdir(temp, { recursive: true });
    state = { version: 1, fingerprint, startedAt: new Date(started).toISOString(), steps: {} };
  } else {
    const done = Object.entries(state.steps).filter(([, s]) => s.done).length;
    notes.push(`Resumed the pull started ${state.startedAt} (${done} step${done === 1 ? '' : 's'} already done).`);
  }
  const releaseLock = await takeLock(temp, out);
  const current: PullState = state;
  const saveState = () => writeFileAtomic(join(temp, STATE_FILE), JSON.stringify(current, null, 1));
  await saveState();

  /** Events are cut at the pull's start: the snapshot is the account as of that instant. */
  const eventsUntil = parseInstant(current.startedAt) as number;
  let stepsDone = 0;
  let stepsTotal = 5;
  const report = (step: string, label: string, s?: StepState) => options.onProgress?.({ step, label, records: s?.records ?? 0, pages: s?.pages ?? 0, stepsDone, stepsTotal });

  const runStep = async (step: CollectionStep): Promise<StepState> => {
    let st = current.steps[step.key];
    if (!st) {
      st = { done: false, next: step.first, pages: 0, records: 0, bytes: 0, first: step.first };
      current.steps[step.key] = st;
    }
    if (st.done) {
      stepsDone++;
      report(step.key, step.label, st);
      return st;
    }
    report(step.key, step.label, st);
    const file = join(temp, step.file);
    if (st.bytes > 0 && fileSize(file) < st.bytes) {
      // Writes lost after a system crash: this collection cannot be continued, fetch it again.
      notes.push(`${step.label}: the partial file was shorter than recorded; fetched the collection again from the start.`);
      Object.assign(st, { next: st.first, pages: 0, records: 0, bytes: 0 });
    }
    let writer = await RecordWriter.open(file, step.format, st);
    try {
      let resumingCursor = st.pages > 0 && st.next !== null;
      while (st.next !== null) {
        if (signal?.aborted) throw new KlaviyoError('cancelled', 'Cancelled.');
        let page;
        try {
          page = await client.getPage<Resource>(step.endpoint, st.next, signal);
        } catch (error) {
          // A saved cursor may have expired: restart this collection from its first page.
          if (resumingCursor && error instanceof KlaviyoError && error.kind === 'bad-request') {
            notes.push(`${step.label}: the saved cursor was refused; fetched the collection again from the start.`);
            await writer.close();
            Object.assign(st, { next: st.first, pages: 0, records: 0, bytes: 0 });
            writer = await RecordWriter.open(file, step.format, st);
            resumingCursor = false;
            continue;
          }
          throw error;
        }
        resumingCursor = false;
        const { records, stop } = step.transform ? step.transform(page.data, st) : { records: page.data, stop: false };
        await writer.append(records);
        st.pages++;
        st.records += records.length;
        st.next = stop ? null : page.next;
        st.bytes = writer.bytes;
        await saveState();
        report(step.key, step.label, st);
      }
      await writer.finish();
      st.bytes = writer.bytes;
      st.done = true;
      await saveState();
    } finally {
      await writer.close();
    }
    stepsDone++;
    report(step.key, step.label, st);
    return st;
  };

  const runMerge = async (key: string, label: string, previousFile: string | undefined, incomingFile: string, outFile: string, keep?: (id: string) => boolean) => {
    const st = current.steps[key];
    if (st?.done) {
      stepsDone++;
      return st.records;
    }
    report(key, label);
    const merged = await mergeById(previousFile, existsSync(incomingFile) ? incomingFile : undefined, outFile, keep);
    current.steps[key] = { done: true, next: null, pages: 0, records: merged.records, bytes: 0, first: '' };
    await saveState();
    stepsDone++;
    report(key, label, current.steps[key]);
    return merged.records;
  };

  try {
    const oldData = join(out, 'data');
    const dataDir = join(temp, 'data');
    const incomingDir = join(temp, 'incoming');

    // 1. Metrics and 2. lists: small, always fetched whole.
    const metrics = await runStep({ key: 'metrics', label: 'Metrics', endpoint: 'metrics', first: '/api/metrics', file: 'data/metrics.json', format: 'json-document' });
    const lists = await runStep({ key: 'lists', label: 'Lists', endpoint: 'lists', first: '/api/lists', file: 'data/lists.json', format: 'json-document' });
    if (!current.listIds) {
      const doc = JSON.parse(await readFile(join(dataDir, 'lists.json'), 'utf8')) as { data: Resource[] };
      current.listIds = doc.data.map((l) => l.id);
      current.listNames = Object.fromEntries(doc.data.map((l) => [l.id, typeof l.attributes?.name === 'string' ? l.attributes.name : l.id]));
      await saveState();
    }
    const listIds = current.listIds;
    const listNames = current.listNames ?? {};

    const memberListsBefore = new Set(previous?.memberLists ?? []);
    const incrementalLists = incremental ? listIds.filter((id) => memberListsBefore.has(id) && existingDataFile(join(oldData, 'list-members', `${id}.jsonl`))) : [];
    stepsTotal = 4 + listIds.length + (incremental ? 2 + incrementalLists.length : 0) + 1;

    // 3. Profiles (first: with --max-profiles the sample decides which members and events to keep).
    const profilesPath = withQuery('/api/profiles', {
      'page[size]': PAGE_SIZE.profiles,
      'additional-fields[profile]': 'subscriptions,predictive_analytics',
      filter: cutoff ? `greater-than(updated,${cutoff})` : undefined,
    });
    let sample: Set<string> | undefined;
    if (incremental && maxProfiles !== null) sample = await collectIds(existingDataFile(join(oldData, 'profiles.jsonl')));
    const profiles = await runStep({
      key: 'profiles',
      label: incremental ? 'Changed profiles' : 'Profiles',
      endpoint: 'profiles-predictive',
      first: profilesPath,
      file: incremental ? 'incoming/profiles.jsonl' : 'data/profiles.jsonl',
      format: 'jsonl',
      transform: (records, st) => {
        if (sample) return { records: records.filter((r) => sample?.has(r.id)) };
        if (maxProfiles !== null && st.records + records.length >= maxProfiles) return { records: records.slice(0, maxProfiles - st.records), stop: true };
        return { records };
      },
    });
    if (!incremental && maxProfiles !== null) sample = await collectIds(join(dataDir, 'profiles.jsonl'));
    const keepProfile = sample ? (id: string) => sample?.has(id) === true : undefined;

    // 4. List members, one file per list.
    let memberships = 0;
    let changedMemberships = 0;
    for (const listId of listIds) {
      const isIncremental = incrementalLists.includes(listId);
      const st = await runStep({
        key: `list-members:${listId}`,
        label: `Members of ${listNames[listId] ?? listId}`,
        endpoint: 'list-profiles',
        first: withQuery(`/api/lists/${encodeURIComponent(listId)}/profiles`, {
          'page[size]': PAGE_SIZE.listProfiles,
          filter: isIncremental && cutoff ? `greater-than(joined_group_at,${cutoff})` : undefined,
        }),
        file: isIncremental ? `incoming/list-members/${listId}.jsonl` : `data/list-members/${listId}.jsonl`,
        format: 'jsonl',
        transform: (records) => ({ records: records.filter((r) => !keepProfile || keepProfile(r.id)).map(memberLine) }),
      });
      if (isIncremental) {
        changedMemberships += st.records;
        memberships += await runMerge(`merge:list-members:${listId}`, `Merging members of ${listNames[listId] ?? listId}`, existingDataFile(join(oldData, 'list-members', `${listId}.jsonl`)), join(incomingDir, 'list-members', `${listId}.jsonl`), join(dataDir, 'list-members', `${listId}.jsonl`), keepProfile);
      } else {
        memberships += st.records;
      }
    }

    // 5. Events, oldest first, up to the pull's start.
    const eventFilter = cutoff ? `greater-than(datetime,${cutoff})` : since ? `greater-or-equal(datetime,${since})` : undefined;
    const events = await runStep({
      key: 'events',
      label: incremental ? 'New events' : 'Events',
      endpoint: 'events',
      first: withQuery('/api/events', { 'page[size]': PAGE_SIZE.events, include: 'metric,profile', sort: 'datetime', filter: eventFilter }),
      file: incremental ? 'incoming/events.jsonl' : 'data/events.jsonl',
      format: 'jsonl',
      transform: (records) => {
        const kept: Resource[] = [];
        for (const event of records) {
          const t = eventTime(event);
          if (t !== undefined && t >= eventsUntil) return { records: kept, stop: true };
          if (keepProfile) {
            const profileId = relationshipId(event, 'profile');
            if (profileId === undefined || !keepProfile(profileId)) continue;
          }
          kept.push(event);
        }
        return { records: kept };
      },
    });

    let profileCount = profiles.records;
    let eventCount = events.records;
    if (incremental) {
      profileCount = await runMerge('merge:profiles', 'Merging profiles', existingDataFile(join(oldData, 'profiles.jsonl')), join(incomingDir, 'profiles.jsonl'), join(dataDir, 'profiles.jsonl'));
      eventCount = await runMerge('merge:events', 'Merging events', existingDataFile(join(oldData, 'events.jsonl')), join(incomingDir, 'events.jsonl'), join(dataDir, 'events.jsonl'));
    }

    // 6. Commit: the record, the marker, then the renames.
    report('commit', 'Writing the workspace');
    const counts: PullCounts = { metrics: metrics.records, lists: lists.records, memberFiles: listIds.length, memberships, profiles: profileCount, events: eventCount };
    const record: PullRecord = {
      version: 1,
      tool: 'segment-lens',
      baseUrl: client.baseUrl,
      revision: '2026-07-15',
      mode: incremental ? 'incremental' : 'full',
      startedAt: current.startedAt,
      completedAt: new Date(now()).toISOString(),
      fullPullStartedAt: incremental && previous ? previous.fullPullStartedAt : current.startedAt,
      since,
      maxProfiles,
      counts,
      memberLists: listIds,
    };
    await writeFile(join(dataDir, PULL_RECORD), `${JSON.stringify(record, null, 2)}\n`, 'utf8');
    const markerValue: Record<string, unknown> = { ...(marker.value ?? {}) };
    if (typeof markerValue.name !== 'string') markerValue.name = options.name ?? basename(out);
    else if (options.name) markerValue.name = options.name;
    // Relative dates evaluate against the snapshot's instant, as Klaviyo would have at the pull.
    markerValue.now = isoSeconds(eventsUntil);
    await commit(out, temp, markerValue, releaseLock);
    stepsDone = stepsTotal;
    report('commit', 'Done');

    if (maxProfiles !== null) notes.push(`Limited to ${maxProfiles} profile${maxProfiles === 1 ? '' : 's'}: memberships and events of other profiles were left out.`);
    return {
      out,
      mode: incremental ? 'incremental' : 'full',
      resumed,
      startedAt: current.startedAt,
      counts,
      changed: incremental ? { profiles: profiles.records, events: events.records, memberships: changedMemberships } : undefined,
      requests: client.requests - requestsBefore,
      ms: now() - started,
      notes,
    };
  } catch (error) {
    await releaseLock();
    if (error instanceof KlaviyoError && error.kind !== 'config' && error.kind !== 'cancelled') {
      throw new KlaviyoError(error.kind, `${error.message} Nothing in ${out} was changed; run the same pull again to resume where it stopped.`, { status: error.status, errors: error.errors, retryAfterSeconds: error.retryAfterSeconds });
    }
    if (error instanceof KlaviyoError && error.kind === 'cancelled') {
      throw new KlaviyoError('cancelled', `Pull cancelled. Nothing in ${out} was changed; run the same pull again to resume where it stopped.`);
    }
    throw error;
  }
}

function readMarker(out: string): { exists: boolean; value?: Record<string, unknown> } {
  const path = join(out, MARKER);
  if (!existsSync(path)) return { exists: false };
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return { exists: true, value: typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined };
  } catch {
    return { exists: true };
  }
}

const OLD_DATA_PREFIX = '.segment-lens-old-data-';

/** A commit stopped between its two renames: put the old data back (or drop it if the new one is in place). */
function recoverInterruptedCommit(out: string): void {
  let names: string[];
  try {
    names = readdirSync(out);
  } catch {
    return;
  }
  for (const name of names.filter((n) => n.startsWith(OLD_DATA_PREFIX))) {
    const path = join(out, name);
    if (!existsSync(join(out, 'data'))) renameSync(path, join(out, 'data'));
    else rmSync(path, { recursive: true, force: true });
  }
}

/** Files in data/ the pull writes; anything else found there is carried over to the new data/. */
const OWN_DATA_ENTRIES = new Set(['metrics.json', 'lists.json', 'profiles.jsonl', 'profiles.jsonl.gz', 'events.jsonl', 'events.jsonl.gz', 'list-members', PULL_RECORD]);

async function commit(out: string, temp: string, marker: Record<string, unknown>, releaseLock: () => Promise<void>): Promise<void> {
  const newData = join(temp, 'data');
  await rm(join(temp, 'incoming'), { recursive: true, force: true });
  if (!existsSync(out)) {
    // A new workspace: the temporary folder becomes it, in one rename.
    await writeFile(join(temp, MARKER), `${JSON.stringify(marker, null, 2)}\n`, 'utf8');
    await rm(join(temp, STATE_FILE), { force: true });
    await releaseLock();
    await renameWithRetry(temp, out);
    return;
  }
  const oldData = join(out, 'data');
  const parked = join(out, `${OLD_DATA_PREFIX}${Date.now().toString(36)}`);
  if (existsSync(oldData)) {
    for (const name of readdirSync(oldData)) {
      if (!OWN_DATA_ENTRIES.has(name) && !existsSync(join(newData, name))) await renameWithRetry(join(oldData, name), join(newData, name));
    }
    await renameWithRetry(oldData, parked);
  }
  await renameWithRetry(newData, oldData);
  await writeFileAtomic(join(out, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  await rm(parked, { recursive: true, force: true });
  await releaseLock();
  await rm(temp, { recursive: true, force: true });
}

const activeLocks = new Set<string>();

/** One pull per output folder at a time (across processes: a lock file with the pid). */
async function takeLock(temp: string, out: string): Promise<() => Promise<void>> {
  const lock = join(temp, 'lock');
  if (activeLocks.has(temp)) throw new KlaviyoError('config', `A pull into ${out} is already running.`);
  try {
    const pid = Number((await readFile(lock, 'utf8')).trim());
    if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) throw new KlaviyoError('config', `A pull into ${out} is already running (process ${pid}).`);
  } catch (error) {
    if (error instanceof KlaviyoError) throw error;
  }
  await writeFile(lock, String(process.pid), 'utf8');
  activeLocks.add(temp);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    activeLocks.delete(temp);
    await rm(lock, { force: true });
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
