/**
 * The synthetic workspace generator: writes a "Mint Vinyl" record-shop account in the workspace
 * format of docs/workspace-format.md, deterministically from a seed, streaming so that millions
 * of profiles and events fit in modest memory.
 *
 * How events are spread: a first pass over the profiles (cheap: only the lifecycle plan) sums the
 * expected order events and the engagement weights; the second pass gives every profile a budget
 * proportional to its weight (cumulative rounding, so the budgets add up to exactly `events`) and
 * generates that profile, its events and its list memberships before moving on to the next one.
 * Events are written grouped by profile, chronologically within each profile (not globally sorted).
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseInstant } from '../engine/time';
import { isoSeconds } from './calendar';
import { buildContext, type GenContext } from './context';
import { LISTS, METRICS } from './definitions';
import { EventIdSequence, MAX_EVENTS, MAX_PROFILES } from './ids';
import { BuildState, buildProfile, planProfile, type BuiltProfile, type ProfilePlan } from './profile';
import { JsonlWriter } from './writer';

export const DEFAULT_SEED = 33;
export const DEFAULT_NOW = '2026-11-01T12:00:00Z';
export const DEFAULT_NAME = 'Mint Vinyl (sample)';

/** Which JSONL files are gzip-compressed: none, only events (the default), or all of them. */
export type GzipChoice = boolean | 'events';

export interface GenerateOptions {
  /** Number of profiles (≥ 1). */
  readonly profiles: number;
  /** Exact number of events (≥ 0). */
  readonly events: number;
  /** PRNG seed, an integer in [0, 2^32); default 33. */
  readonly seed?: number;
  /** The workspace folder (created if missing). `data/` files of an earlier run are replaced; other files are left alone. */
  readonly outDir: string;
  /** The workspace's "now" (ISO 8601 or a Date); default 2026-11-01T12:00:00Z. Data spans about three years before it. */
  readonly now?: string | Date;
  /** Workspace name; default "Mint Vinyl (sample)". */
  readonly name?: string;
  /** Default 'events': data/events.jsonl.gz, everything else plain. */
  readonly gzip?: GzipChoice;
  /** zlib level 1-9 for gzip output; default 6. */
  readonly gzipLevel?: number;
  /** Called now and then while generating (at most a few hundred times per run). */
  readonly onProgress?: (progress: GenerateProgress) => void;
}

export interface GenerateProgress {
  readonly phase: 'plan' | 'write';
  readonly profilesDone: number;
  readonly profiles: number;
  readonly eventsWritten: number;
  readonly events: number;
}

export interface GenerateSummary {
  readonly outDir: string;
  readonly name: string;
  /** The workspace's now, as written to klaviyo-workspace.json. */
  readonly now: string;
  readonly seed: number;
  readonly profiles: number;
  readonly events: number;
  /** Event count per metric name (metrics without events are listed with 0). */
  readonly eventsByMetric: Readonly<Record<string, number>>;
  /** Member count per list ID. */
  readonly listMembers: Readonly<Record<string, number>>;
  readonly profilesWithoutEvents: number;
  /** Paths of the files written, relative to outDir, with forward slashes. */
  readonly files: readonly string[];
  readonly elapsedMs: number;
}

/** Thrown for invalid options (the CLI maps it to a usage error). */
export class GenerateOptionsError extends Error {
  override name = 'GenerateOptionsError';
}

/** The workspace's now in epoch seconds; a string is read like every date the product reads (no offset: UTC). */
function parseNow(now: string | Date | undefined): number {
  const ms = now instanceof Date ? now.getTime() : parseInstant(now ?? DEFAULT_NOW);
  if (ms === undefined || !Number.isFinite(ms))
    throw new GenerateOptionsError(`invalid "now": ${String(now)} (expected an ISO 8601 date-time such as ${DEFAULT_NOW})`);
  if (ms < Date.UTC(1990, 0, 1) || ms > Date.UTC(2200, 0, 1)) throw new GenerateOptionsError(`"now" out of range: ${String(now)}`);
  return Math.floor(ms / 1000);
}

function checkOptions(o: GenerateOptions): void {
  if (!Number.isInteger(o.profiles) || o.profiles < 1 || o.profiles > MAX_PROFILES) {
    throw new GenerateOptionsError(`profiles must be an integer from 1 to ${MAX_PROFILES}, got ${String(o.profiles)}`);
  }
  if (!Number.isInteger(o.events) || o.events < 0 || o.events > MAX_EVENTS) {
    throw new GenerateOptionsError(`events must be a non-negative integer, got ${String(o.events)}`);
  }
  if (o.seed !== undefined && (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)) {
    throw new GenerateOptionsError(`seed must be an integer from 0 to 4294967295, got ${String(o.seed)}`);
  }
  if (typeof o.outDir !== 'string' || o.outDir === '') throw new GenerateOptionsError('outDir is required');
  if (o.gzipLevel !== undefined && (!Number.isInteger(o.gzipLevel) || o.gzipLevel < 1 || o.gzipLevel > 9)) {
    throw new GenerateOptionsError(`gzipLevel must be an integer from 1 to 9, got ${String(o.gzipLevel)}`);
  }
}

/** Metric resources, as GET /api/metrics returns them. */
export function metricResources(ctx: Pick<GenContext, 'storeOpen'>): object[] {
  return METRICS.map((m) => {
    const created = isoSeconds(ctx.storeOpen + m.createdAfterDays * 86_400 + 3600);
    return {
      type: 'metric',
      id: m.id,
      attributes: { name: m.name, created, updated: created, integration: m.integration },
      links: { self: `https://a.klaviyo.com/api/metrics/${m.id}/` },
    };
  });
}

/** List resources, as GET /api/lists returns them. */
export function listResources(ctx: Pick<GenContext, 'storeOpen' | 'giveawayStart' | 'rsdWindowStart' | 'rsdYear' | 'now'>): object[] {
  const createdAt = [
    ctx.storeOpen + 1800,
    ctx.storeOpen + 120 * 86_400 + 50_000,
    ctx.rsdWindowStart - 5 * 86_400 + 61_000,
    ctx.giveawayStart - 3 * 86_400 + 47_000,
    Math.min(ctx.now - 86_400, ctx.storeOpen + 700 * 86_400 + 30_000),
  ];
  return LISTS.map((l, k) => {
    const created = createdAt[k]!;
    const updated = Math.min(ctx.now - 3600, created + 30 * 86_400);
    return {
      type: 'list',
      id: l.id,
      attributes: { name: l.name(ctx.rsdYear), created: isoSeconds(created), updated: isoSeconds(updated), opt_in_process: l.optInProcess },
      links: { self: `https://a.klaviyo.com/api/lists/${l.id}/` },
    };
  });
}

async function removeStale(dataDir: string, membersDir: string): Promise<void> {
  for (const f of ['events.jsonl', 'events.jsonl.gz', 'profiles.jsonl', 'profiles.jsonl.gz']) await rm(join(dataDir, f), { force: true });
  let names: string[] = [];
  try {
    names = await readdir(membersDir);
  } catch {
    return;
  }
  for (const n of names) if (n.endsWith('.jsonl') || n.endsWith('.jsonl.gz')) await rm(join(membersDir, n), { force: true });
}

/** Generates a workspace into `options.outDir`. Same options, same bytes. */
export async function generateWorkspace(options: GenerateOptions): Promise<GenerateSummary> {
  const started = Date.now();
  checkOptions(options);
  const seed = options.seed ?? DEFAULT_SEED;
  const nowSec = parseNow(options.now);
  const name = options.name ?? DEFAULT_NAME;
  const N = options.profiles;
  const target = options.events;
  const progress = options.onProgress;
  const progressEvery = Math.max(500, Math.floor(N / 200));

  const ctx = buildContext(seed, nowSec, N);
  const budgets = new EventBudgets(ctx, N, target, (i) => {
    if (progress && i % progressEvery === 0) progress({ phase: 'plan', profilesDone: i, profiles: N, eventsWritten: 0, events: target });
  });

  // Output files.
  const outDir = options.outDir;
  const dataDir = join(outDir, 'data');
  const membersDir = join(dataDir, 'list-members');
  await mkdir(membersDir, { recursive: true });
  await removeStale(dataDir, membersDir);
  const nowIso = new Date(nowSec * 1000).toISOString().replace('.000Z', 'Z');
  const files: string[] = [];
  const writeJson = async (rel: string, value: unknown): Promise<void> => {
    await writeFile(join(outDir, rel), JSON.stringify(value, null, 2) + '\n');
    files.push(rel);
  };
  await writeJson('klaviyo-workspace.json', { name, now: nowIso });
  await writeJson('data/metrics.json', { data: metricResources(ctx) });
  await writeJson('data/lists.json', { data: listResources(ctx) });

  const out = new WorkspaceWriters(outDir, options.gzip ?? 'events', options.gzipLevel ?? 6);
  const ids = new EventIdSequence(ctx.seedKey);
  const state = new BuildState(N);
  const tally = { eventsByMetric: new Array<number>(METRICS.length).fill(0), memberCounts: new Array<number>(LISTS.length).fill(0), profilesWithoutEvents: 0 };
  try {
    // Pass 2: generate and write, one profile at a time.
    for (let i = 0; i < N; i++) {
      const plan = planProfile(ctx, i);
      const { budget, orderBudget } = budgets.next(plan, i === N - 1);
      await out.write(buildProfile(ctx, plan, budget, orderBudget, state), ids, tally);
      if (progress && i % progressEvery === 0) progress({ phase: 'write', profilesDone: i, profiles: N, eventsWritten: ids.count, events: target });
    }
    await out.close();
  } catch (e) {
    out.destroy();
    throw e;
  }
  if (ids.count !== target) throw new Error(`internal error: wrote ${ids.count} events, expected ${target}`);
  progress?.({ phase: 'write', profilesDone: N, profiles: N, eventsWritten: ids.count, events: target });
  files.push(...out.files);

  return {
    outDir,
    name,
    now: nowIso,
    seed,
    profiles: N,
    events: ids.count,
    eventsByMetric: Object.fromEntries(METRICS.map((m, k) => [m.name, tally.eventsByMetric[k]!])),
    listMembers: Object.fromEntries(LISTS.map((l, k) => [l.id, tally.memberCounts[k]!])),
    profilesWithoutEvents: tally.profilesWithoutEvents,
    files,
    elapsedMs: Date.now() - started,
  };
}

/**
 * Every profile's share of the event target. Pass 1 (the constructor) sums the expected order
 * events and engagement weights over all plans; `next` then gives each profile, in order, a
 * budget proportional to weight_i = orderCost_i + engagement_i * E (E scaled so that the weights
 * add up to the target), with cumulative rounding so the budgets add up to exactly the target.
 */
class EventBudgets {
  private readonly ordersFit: boolean;
  private readonly engagementScale: number;
  private readonly uniform: boolean;
  private readonly scale: number;
  private cumulative = 0;
  private assigned = 0;

  constructor(
    ctx: GenContext,
    profiles: number,
    private readonly target: number,
    onPlan: (index: number) => void,
  ) {
    let sumOrder = 0;
    let sumEngagement = 0;
    for (let i = 0; i < profiles; i++) {
      const plan = planProfile(ctx, i);
      sumOrder += plan.orderCost;
      sumEngagement += plan.engagement;
      onPlan(i);
    }
    this.ordersFit = target >= sumOrder;
    this.engagementScale = this.ordersFit && sumEngagement > 0 ? (target - sumOrder) / sumEngagement : 0;
    let totalWeight = this.ordersFit ? sumOrder + this.engagementScale * sumEngagement : sumOrder;
    this.uniform = !(totalWeight > 0);
    if (this.uniform) totalWeight = profiles;
    this.scale = target / totalWeight;
  }

  /** The next profile's events, and how many of them are for its orders. */
  next(plan: ProfilePlan, last: boolean): { budget: number; orderBudget: number } {
    const weight = this.uniform ? 1 : this.ordersFit ? plan.orderCost + plan.engagement * this.engagementScale : plan.orderCost;
    this.cumulative += weight * this.scale;
    const upTo = last ? this.target : Math.min(this.target, Math.floor(this.cumulative + 1e-7));
    const budget = Math.max(0, upTo - this.assigned);
    this.assigned += budget;
    let orderBudget = 0;
    if (plan.nOrders > 0 && budget > 0) {
      orderBudget = this.ordersFit && weight > 0 ? Math.round((budget * plan.orderCost) / weight) : budget;
      orderBudget = Math.min(budget, Math.max(1, orderBudget));
    }
    return { budget, orderBudget };
  }
}

/** Counts for the summary. */
interface Tally {
  eventsByMetric: number[];
  memberCounts: number[];
  profilesWithoutEvents: number;
}

/** The JSONL files of the workspace: events, profiles and one member file per list. */
class WorkspaceWriters {
  /** Paths relative to the workspace folder, with forward slashes. */
  readonly files: string[];
  private readonly eventsOut: JsonlWriter;
  private readonly profilesOut: JsonlWriter;
  private readonly membersOut: JsonlWriter[];

  constructor(outDir: string, gzipChoice: GzipChoice, gzipLevel: number) {
    const gzEvents = gzipChoice !== false;
    const gzOthers = gzipChoice === true;
    const eventsRel = `data/events.jsonl${gzEvents ? '.gz' : ''}`;
    const profilesRel = `data/profiles.jsonl${gzOthers ? '.gz' : ''}`;
    const memberRels = LISTS.map((l) => `data/list-members/${l.id}.jsonl${gzOthers ? '.gz' : ''}`);
    this.eventsOut = new JsonlWriter(join(outDir, eventsRel), gzEvents, gzipLevel);
    this.profilesOut = new JsonlWriter(join(outDir, profilesRel), gzOthers, gzipLevel);
    this.membersOut = memberRels.map((rel) => new JsonlWriter(join(outDir, rel), gzOthers, gzipLevel));
    this.files = [profilesRel, eventsRel, ...memberRels];
  }

  private get all(): JsonlWriter[] {
    return [this.eventsOut, this.profilesOut, ...this.membersOut];
  }

  /** Writes one profile's line, its events (each with the next event ID) and its list memberships. */
  async write(built: BuiltProfile, ids: EventIdSequence, tally: Tally): Promise<void> {
    if (this.profilesOut.push(built.json)) await this.profilesOut.flush();
    if (built.events.length === 0) tally.profilesWithoutEvents++;
    const pid = built.id;
    const profileRel = `"relationships":{"profile":{"data":{"type":"profile","id":"${pid}"}},"metric":{"data":{"type":"metric","id":"`;
    for (const e of built.events) {
      const eid = ids.next();
      const open = e.needsId ? `{"$event_id":"${eid}",` : '{';
      const line = `{"type":"event","id":"${eid}","attributes":{"timestamp":${e.t},"datetime":"${isoSeconds(e.t)}","event_properties":${open}${e.body}},${profileRel}${METRICS[e.m]!.id}"}}}}`;
      tally.eventsByMetric[e.m]!++;
      if (this.eventsOut.pushAscii(line)) await this.eventsOut.flush();
    }
    for (const m of built.memberships) {
      tally.memberCounts[m.list]!++;
      const line = JSON.stringify({
        type: 'profile',
        id: pid,
        attributes: { email: built.email, phone_number: built.phone, joined_group_at: isoSeconds(m.joined) },
      });
      if (this.membersOut[m.list]!.push(line)) await this.membersOut[m.list]!.flush();
    }
  }

  async close(): Promise<void> {
    for (const w of this.all) await w.close();
  }

  destroy(): void {
    for (const w of this.all) w.destroy();
  }
}
