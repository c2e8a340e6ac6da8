/**
 * Pulling a Klaviyo account into a workspace folder (docs/workspace-format.md,
 * docs/klaviyo-api.md): the options and results, and `pullWorkspace`, which plans the pull and
 * runs its steps (pullSteps.ts) against a checkpoint (pullCheckpoint.ts), then commits the
 * workspace atomically (pullCommit.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parseInstant } from '../engine/time';
import type { KlaviyoClient, Resource } from './client';
import { KlaviyoError } from './errors';
import { collectIds, existingDataFile } from './files';
import { Checkpoint, pullTempDir, readSavedState, type StepState } from './pullCheckpoint';
import { commit, MARKER, PULL_RECORD, readMarker, recoverInterruptedCommit, takeLock } from './pullCommit';
import { eventTime, memberLine, relationshipId, StepRunner, type PullProgress } from './pullSteps';

export { MARKER, PULL_RECORD } from './pullCommit';
export { pullTempDir, STATE_FILE } from './pullCheckpoint';
export type { PullProgress } from './pullSteps';

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
    const state = readSavedState(out);
    if (!state) return undefined;
    const options = JSON.parse(state.fingerprint) as { baseUrl: string; mode: string; since: string | null; maxProfiles: number | null };
    return {
      startedAt: state.startedAt,
      stepsDone: Object.entries(state.steps)
        .filter(([, s]) => s.done)
        .map(([k]) => k),
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

/** What one pull fetches, and where: decided from the options and the last completed pull. */
interface PullPlan {
  out: string;
  temp: string;
  /** The workspace's current data/, the new data/ and the changes of an incremental pull. */
  oldData: string;
  dataDir: string;
  incomingDir: string;
  incremental: boolean;
  previous: PullRecord | undefined;
  since: string | null;
  maxProfiles: number | null;
  /** Incremental: what changed after this instant is fetched. */
  cutoff: string | undefined;
  /** The options as JSON: an interrupted pull resumes only with the same ones. */
  fingerprint: string;
}

/** Refuses a folder that is not a workspace, or one whose marker moves the data elsewhere; returns the marker. */
function checkTarget(out: string): { exists: boolean; value?: Record<string, unknown> } {
  const marker = readMarker(out);
  if (existsSync(join(out, 'data')) && !marker.exists) {
    throw new KlaviyoError(
      'config',
      `${out} already has a data/ folder but no ${MARKER}: it is not a Segment Lens workspace. Pull into a new or empty folder, or into an existing workspace.`,
    );
  }
  if (marker.value && typeof marker.value.data === 'object' && marker.value.data !== null) {
    throw new KlaviyoError(
      'config',
      `${join(out, MARKER)} sets custom "data" paths; a pull writes the default layout (data/…). Remove "data" from it or pull into another folder.`,
    );
  }
  return marker;
}

function planPull(options: PullOptions, out: string): PullPlan {
  const previous = readPullRecord(out);
  const incremental = options.incremental === true;
  if (incremental && !previous)
    throw new KlaviyoError('config', `No completed pull in ${out} to continue from (${join('data', PULL_RECORD)} is missing): run a full pull first.`);
  if (incremental && (options.since !== undefined || options.maxProfiles !== undefined)) {
    throw new KlaviyoError('config', '--since and --max-profiles apply to full pulls; an incremental pull keeps the settings of the last full pull.');
  }
  if (options.maxProfiles !== undefined && (!Number.isInteger(options.maxProfiles) || options.maxProfiles < 1))
    throw new KlaviyoError('config', '--max-profiles must be a positive whole number.');
  const since = incremental ? (previous?.since ?? null) : options.since !== undefined ? isoSeconds(parseSince(options.since)) : null;
  const maxProfiles = incremental ? (previous?.maxProfiles ?? null) : (options.maxProfiles ?? null);
  // readPullRecord only returns a record whose startedAt parses.
  const cutoff = incremental && previous ? isoSeconds((parseInstant(previous.startedAt) as number) - INCREMENTAL_OVERLAP_MS) : undefined;
  const fingerprint = JSON.stringify({
    baseUrl: options.client.baseUrl,
    mode: incremental ? 'incremental' : 'full',
    since,
    maxProfiles,
    from: incremental ? previous?.startedAt : null,
  });
  const temp = pullTempDir(out);
  return {
    out,
    temp,
    oldData: join(out, 'data'),
    dataDir: join(temp, 'data'),
    incomingDir: join(temp, 'incoming'),
    incremental,
    previous,
    since,
    maxProfiles,
    cutoff,
    fingerprint,
  };
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
  const client = options.client;
  const notes: string[] = [];
  const requestsBefore = client.requests;

  recoverInterruptedCommit(out);
  const marker = checkTarget(out);
  const plan = planPull(options, out);
  const checkpoint = await Checkpoint.open(plan.temp, plan.fingerprint, started, options.fresh === true, notes);
  const releaseLock = await takeLock(plan.temp, out);
  await checkpoint.save();
  const runner = new StepRunner(checkpoint, client, notes, options.signal, options.onProgress);

  try {
    const fetched = await fetchCollections(plan, checkpoint, runner);
    runner.report('commit', 'Writing the workspace');
    const counts = fetched.counts;
    const record: PullRecord = {
      version: 1,
      tool: 'segment-lens',
      baseUrl: client.baseUrl,
      revision: '2026-07-15',
      mode: plan.incremental ? 'incremental' : 'full',
      startedAt: checkpoint.state.startedAt,
      completedAt: new Date(now()).toISOString(),
      fullPullStartedAt: plan.incremental && plan.previous ? plan.previous.fullPullStartedAt : checkpoint.state.startedAt,
      since: plan.since,
      maxProfiles: plan.maxProfiles,
      counts,
      memberLists: fetched.listIds,
    };
    await writeFile(join(plan.dataDir, PULL_RECORD), `${JSON.stringify(record, null, 2)}\n`, 'utf8');
    const markerValue: Record<string, unknown> = { ...(marker.value ?? {}) };
    if (typeof markerValue.name !== 'string') markerValue.name = options.name ?? basename(out);
    else if (options.name) markerValue.name = options.name;
    // Relative dates evaluate against the snapshot's instant, as Klaviyo would have at the pull.
    markerValue.now = isoSeconds(checkpoint.startedAt);
    await commit(out, plan.temp, markerValue, releaseLock);
    runner.stepsDone = runner.stepsTotal;
    runner.report('commit', 'Done');

    if (plan.maxProfiles !== null)
      notes.push(`Limited to ${plan.maxProfiles} profile${plan.maxProfiles === 1 ? '' : 's'}: memberships and events of other profiles were left out.`);
    return {
      out,
      mode: plan.incremental ? 'incremental' : 'full',
      resumed: checkpoint.resumed,
      startedAt: checkpoint.state.startedAt,
      counts,
      changed: plan.incremental ? fetched.changed : undefined,
      requests: client.requests - requestsBefore,
      ms: now() - started,
      notes,
    };
  } catch (error) {
    await releaseLock();
    throw explainFailure(error, out);
  }
}

/** A failed pull changed nothing in `out`: say so, and that the same pull resumes. */
function explainFailure(error: unknown, out: string): unknown {
  if (error instanceof KlaviyoError && error.kind !== 'config' && error.kind !== 'cancelled') {
    return new KlaviyoError(error.kind, `${error.message} Nothing in ${out} was changed; run the same pull again to resume where it stopped.`, {
      status: error.status,
      errors: error.errors,
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
  if (error instanceof KlaviyoError && error.kind === 'cancelled') {
    return new KlaviyoError('cancelled', `Pull cancelled. Nothing in ${out} was changed; run the same pull again to resume where it stopped.`);
  }
  return error;
}

/** What the steps fetched: the workspace's counts, the lists pulled, and (incremental) what changed. */
interface Fetched {
  counts: PullCounts;
  listIds: string[];
  changed: { profiles: number; events: number; memberships: number };
}

/**
 * The steps in order: metrics and lists (small, always fetched whole), profiles (first: with
 * --max-profiles the sample decides which members and events to keep), each list's members,
 * events up to the pull's start; then, for an incremental pull, the merges.
 */
async function fetchCollections(plan: PullPlan, checkpoint: Checkpoint, runner: StepRunner): Promise<Fetched> {
  const metrics = await runner.collect({
    key: 'metrics',
    label: 'Metrics',
    endpoint: 'metrics',
    first: '/api/metrics',
    file: 'data/metrics.json',
    format: 'json-document',
  });
  const lists = await runner.collect({
    key: 'lists',
    label: 'Lists',
    endpoint: 'lists',
    first: '/api/lists',
    file: 'data/lists.json',
    format: 'json-document',
  });
  const { listIds, listNames } = await pulledLists(plan, checkpoint);

  const memberListsBefore = new Set(plan.previous?.memberLists ?? []);
  const incrementalLists = plan.incremental
    ? listIds.filter((id) => memberListsBefore.has(id) && existingDataFile(join(plan.oldData, 'list-members', `${id}.jsonl`)))
    : [];
  runner.stepsTotal = 4 + listIds.length + (plan.incremental ? 2 + incrementalLists.length : 0) + 1;

  const { profiles, keepProfile } = await fetchProfiles(plan, runner);
  let memberships = 0;
  let changedMemberships = 0;
  for (const listId of listIds) {
    const members = await fetchMembers(plan, runner, listId, listNames[listId] ?? listId, incrementalLists.includes(listId), keepProfile);
    memberships += members.total;
    changedMemberships += members.changed;
  }
  const events = await fetchEvents(plan, runner, checkpoint.startedAt, keepProfile);

  let profileCount = profiles.records;
  let eventCount = events.records;
  if (plan.incremental) {
    const { oldData, incomingDir, dataDir } = plan;
    profileCount = await runner.merge(
      'merge:profiles',
      'Merging profiles',
      existingDataFile(join(oldData, 'profiles.jsonl')),
      join(incomingDir, 'profiles.jsonl'),
      join(dataDir, 'profiles.jsonl'),
    );
    eventCount = await runner.merge(
      'merge:events',
      'Merging events',
      existingDataFile(join(oldData, 'events.jsonl')),
      join(incomingDir, 'events.jsonl'),
      join(dataDir, 'events.jsonl'),
    );
  }
  return {
    counts: { metrics: metrics.records, lists: lists.records, memberFiles: listIds.length, memberships, profiles: profileCount, events: eventCount },
    listIds,
    changed: { profiles: profiles.records, events: events.records, memberships: changedMemberships },
  };
}

/** The IDs and names of the lists pulled, read once from lists.json and kept in the checkpoint. */
async function pulledLists(plan: PullPlan, checkpoint: Checkpoint): Promise<{ listIds: string[]; listNames: Record<string, string> }> {
  const state = checkpoint.state;
  if (!state.listIds) {
    const doc = JSON.parse(await readFile(join(plan.dataDir, 'lists.json'), 'utf8')) as { data: Resource[] };
    state.listIds = doc.data.map((l) => l.id);
    state.listNames = Object.fromEntries(doc.data.map((l) => [l.id, typeof l.attributes?.name === 'string' ? l.attributes.name : l.id]));
    await checkpoint.save();
  }
  return { listIds: state.listIds, listNames: state.listNames ?? {} };
}

/** Profiles (changed ones, incrementally); with --max-profiles, the sample whose members and events are kept. */
async function fetchProfiles(plan: PullPlan, runner: StepRunner): Promise<{ profiles: StepState; keepProfile?: (id: string) => boolean }> {
  const { incremental, maxProfiles, cutoff } = plan;
  const profilesPath = withQuery('/api/profiles', {
    'page[size]': PAGE_SIZE.profiles,
    'additional-fields[profile]': 'subscriptions,predictive_analytics',
    filter: cutoff ? `greater-than(updated,${cutoff})` : undefined,
  });
  let sample: Set<string> | undefined;
  if (incremental && maxProfiles !== null) sample = await collectIds(existingDataFile(join(plan.oldData, 'profiles.jsonl')));
  const profiles = await runner.collect({
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
  if (!incremental && maxProfiles !== null) sample = await collectIds(join(plan.dataDir, 'profiles.jsonl'));
  return { profiles, keepProfile: sample ? (id: string) => sample?.has(id) === true : undefined };
}

/** One list's members (new joins of a list pulled before, incrementally, then merged); its member count and the new ones. */
async function fetchMembers(
  plan: PullPlan,
  runner: StepRunner,
  listId: string,
  listName: string,
  isIncremental: boolean,
  keepProfile?: (id: string) => boolean,
): Promise<{ total: number; changed: number }> {
  const st = await runner.collect({
    key: `list-members:${listId}`,
    label: `Members of ${listName}`,
    endpoint: 'list-profiles',
    first: withQuery(`/api/lists/${encodeURIComponent(listId)}/profiles`, {
      'page[size]': PAGE_SIZE.listProfiles,
      filter: isIncremental && plan.cutoff ? `greater-than(joined_group_at,${plan.cutoff})` : undefined,
    }),
    file: isIncremental ? `incoming/list-members/${listId}.jsonl` : `data/list-members/${listId}.jsonl`,
    format: 'jsonl',
    transform: (records) => ({ records: records.filter((r) => !keepProfile || keepProfile(r.id)).map(memberLine) }),
  });
  if (!isIncremental) return { total: st.records, changed: 0 };
  const file = join('list-members', `${listId}.jsonl`);
  const total = await runner.merge(
    `merge:list-members:${listId}`,
    `Merging members of ${listName}`,
    existingDataFile(join(plan.oldData, file)),
    join(plan.incomingDir, file),
    join(plan.dataDir, file),
    keepProfile,
  );
  return { total, changed: st.records };
}

/** Events, oldest first, up to the pull's start (`until`): the snapshot is the account as of that instant. */
async function fetchEvents(plan: PullPlan, runner: StepRunner, until: number, keepProfile?: (id: string) => boolean): Promise<StepState> {
  const { cutoff, since, incremental } = plan;
  const eventFilter = cutoff ? `greater-than(datetime,${cutoff})` : since ? `greater-or-equal(datetime,${since})` : undefined;
  return runner.collect({
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
        if (t !== undefined && t >= until) return { records: kept, stop: true };
        if (keepProfile) {
          const profileId = relationshipId(event, 'profile');
          if (profileId === undefined || !keepProfile(profileId)) continue;
        }
        kept.push(event);
      }
      return { records: kept };
    },
  });
}
