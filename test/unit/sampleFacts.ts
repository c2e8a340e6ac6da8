/**
 * Facts about a workspace folder read straight from its files (JSON.parse of each line; no
 * loader, no engine, no coverage code), so the coverage tests derive the numbers they expect
 * independently of the code under test. Windows follow docs/semantics.md ("Time").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

const DAY = 86_400_000;

type Json = any;

interface Event {
  t: number;
  properties: Record<string, unknown>;
}

/** A stored date-time with an explicit offset (the generator writes +00:00), in epoch milliseconds. */
function instant(text: string): number {
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(text)) throw new Error(`a date-time without an offset in the sample: ${text}`);
  return Date.parse(text);
}

function jsonl(text: string): Json[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Json);
}

export class SampleFacts {
  /** The workspace's now, and D0 (00:00 UTC of now's day). */
  readonly now: number;
  readonly d0: number;
  readonly name: string;
  /** Profile ID → attributes, in file order. */
  readonly profiles = new Map<string, Json>();
  readonly metricIds = new Map<string, string>();
  readonly lists: { id: string; name: string }[];
  readonly listMembers = new Map<string, Set<string>>();
  /** Metric ID → profile ID → its events, by time. */
  private readonly events = new Map<string, Map<string, Event[]>>();

  constructor(readonly dir: string) {
    const marker = JSON.parse(readFileSync(join(dir, 'klaviyo-workspace.json'), 'utf8')) as { name: string; now: string };
    this.name = marker.name;
    this.now = instant(marker.now);
    this.d0 = Math.floor(this.now / DAY) * DAY;
    for (const p of jsonl(readFileSync(join(dir, 'data', 'profiles.jsonl'), 'utf8'))) this.profiles.set(p.id, p.attributes);
    for (const m of JSON.parse(readFileSync(join(dir, 'data', 'metrics.json'), 'utf8')).data) this.metricIds.set(m.attributes.name, m.id);
    this.lists = (JSON.parse(readFileSync(join(dir, 'data', 'lists.json'), 'utf8')).data as Json[]).map((l) => ({ id: l.id, name: l.attributes.name }));
    for (const l of this.lists)
      this.listMembers.set(l.id, new Set(jsonl(readFileSync(join(dir, 'data', 'list-members', `${l.id}.jsonl`), 'utf8')).map((m) => m.id as string)));
    for (const e of jsonl(gunzipSync(readFileSync(join(dir, 'data', 'events.jsonl.gz'))).toString('utf8'))) {
      const metric = e.relationships.metric.data.id as string;
      const profile = e.relationships.profile.data.id as string;
      let byProfile = this.events.get(metric);
      if (!byProfile) this.events.set(metric, (byProfile = new Map()));
      let list = byProfile.get(profile);
      if (!list) byProfile.set(profile, (list = []));
      list.push({ t: e.attributes.timestamp * 1000, properties: e.attributes.event_properties });
    }
    for (const byProfile of this.events.values()) for (const list of byProfile.values()) list.sort((a, b) => a.t - b.t);
  }

  get profileCount(): number {
    return this.profiles.size;
  }

  metric(name: string): string {
    const id = this.metricIds.get(name);
    if (!id) throw new Error(`no metric ${name}`);
    return id;
  }

  /** A profile's events of a metric (by name), by time. */
  eventsOf(metricName: string, profile: string): Event[] {
    return this.events.get(this.metric(metricName))?.get(profile) ?? [];
  }

  /** Profiles that have events of the metric. */
  profilesWith(metricName: string): string[] {
    return [...(this.events.get(this.metric(metricName))?.keys() ?? [])];
  }

  /** The latest event of a metric. */
  lastTime(metricName: string): number {
    let last = -Infinity;
    for (const list of this.events.get(this.metric(metricName))?.values() ?? []) last = Math.max(last, list[list.length - 1].t);
    return last;
  }

  /** Placed Order: each buyer's orders and the total of their `$value`s (cents: rounded as money). */
  orders(profile: string): { count: number; total: number; times: number[] } {
    const list = this.eventsOf('Placed Order', profile);
    const total = list.reduce((sum, e) => sum + (typeof e.properties.$value === 'number' ? e.properties.$value : 0), 0);
    return { count: list.length, total: Math.round(total * 100) / 100, times: list.map((e) => e.t) };
  }

  /** "in the last n days": D0 − n days ≤ t ≤ now. */
  inTheLast(days: number): (t: number) => boolean {
    return (t) => t >= this.d0 - days * DAY && t <= this.now;
  }

  /** "between s and e days ago": D0 − e days ≤ t < D0 − (s − 1) days. */
  betweenDaysAgo(start: number, end: number): (t: number) => boolean {
    return (t) => t >= this.d0 - end * DAY && t < this.d0 - (start - 1) * DAY;
  }

  /** The profiles (IDs) for which `test` holds. */
  where(test: (profile: string, attributes: Json) => boolean): Set<string> {
    return new Set([...this.profiles].filter(([id, attributes]) => test(id, attributes)).map(([id]) => id));
  }

  canReceiveEmail(profile: string): boolean {
    const attributes = this.profiles.get(profile);
    return !!attributes?.email && attributes?.subscriptions?.email?.marketing?.can_receive_email_marketing === true;
  }

  /** The segment files of the sample's segments/ folder. */
  segmentFiles(): string[] {
    return readdirSync(join(this.dir, 'segments'))
      .filter((f) => f.endsWith('.json'))
      .sort();
  }
}

/** The p-quantile by nearest rank (docs/coverage.md), of unsorted numbers. */
export function nearestRank(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}

/** Rounded down to two significant digits (docs/coverage.md: VIP spend). */
export function twoSignificantDown(value: number): number {
  const step = 10 ** Math.max(0, Math.floor(Math.log10(value)) - 1);
  return Math.floor(value / step) * step;
}

/** The smallest step at or above a value, else the largest (docs/coverage.md: windows rounded up). */
export function roundUpTo(value: number, steps: readonly number[]): number {
  return steps.find((s) => s >= value) ?? steps[steps.length - 1];
}

/** What the report prints for a count and a share: "1,234" and "5.6%". */
export const count = (n: number) => n.toLocaleString('en-US');
export const percent = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)}%`;

/** Jaccard index of two sets of IDs, and the overlap. */
export function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): { both: number; jaccard: number } {
  let both = 0;
  for (const id of a) if (b.has(id)) both++;
  const union = a.size + b.size - both;
  return { both, jaccard: union === 0 ? 1 : both / union };
}

/** The lifecycle thresholds derived from the raw orders as docs/coverage.md describes them. */
export function sampleThresholds(facts: SampleFacts) {
  const counts: number[] = [];
  const sums: number[] = [];
  const gaps: number[] = [];
  for (const id of facts.profilesWith('Placed Order')) {
    const o = facts.orders(id);
    counts.push(o.count);
    sums.push(o.total);
    for (let i = 1; i < o.times.length; i++) gaps.push((o.times[i] - o.times[i - 1]) / DAY);
  }
  const ordersP90 = nearestRank(counts, 0.9);
  const spendP90 = nearestRank(sums, 0.9);
  const medianGap = nearestRank(gaps, 0.5);
  const atRiskDays = roundUpTo(nearestRank(gaps, 0.75), [30, 60, 90, 120, 180, 270]);
  const lapsedDays = Math.max(roundUpTo(nearestRank(gaps, 0.95), [180, 270, 365, 540, 730]), atRiskDays + 30);
  return {
    buyers: counts.length,
    repeatGaps: gaps.length,
    gaps,
    ordersP90,
    vipOrders: Math.max(3, ordersP90),
    spendP90,
    vipSpend: twoSignificantDown(spendP90),
    medianGap,
    replenishmentDays: Math.max(7, Math.round(medianGap)),
    atRiskDays,
    atRiskEndDays: Math.min(2 * atRiskDays, lapsedDays),
    lapsedDays,
  };
}

/**
 * Lifecycle audiences of the sample computed from the raw files with the rules of
 * docs/coverage.md (proposals) and the sample's hand-written VIP rule ($500 spent or 5 orders).
 */
export function sampleAudiences(facts: SampleFacts, t = sampleThresholds(facts)) {
  const orders = (id: string) => facts.orders(id);
  const any = (metric: string, id: string, test: (t: number) => boolean, pass: (e: Event) => boolean = () => true) =>
    facts.eventsOf(metric, id).some((e) => test(e.t) && pass(e));
  const replenishmentEnd = Math.min(2 * t.replenishmentDays, t.atRiskDays - 1);
  const lapsedWindow = facts.inTheLast(t.lapsedDays);
  const engaged = (days: number) => {
    const window = facts.inTheLast(days);
    const newProfile = facts.inTheLast(15);
    return facts.where(
      (id, a) =>
        facts.canReceiveEmail(id) &&
        (any('Opened Email', id, window) ||
          any('Clicked Email', id, window, (e) => e.properties['Bot Click'] === false) ||
          any('Active on Site', id, window) ||
          any('Placed Order', id, window) ||
          (typeof a.created === 'string' && newProfile(instant(a.created)))),
    );
  };
  return {
    firstTime: facts.where((id) => orders(id).count === 1),
    repeat: facts.where((id) => orders(id).count >= 2),
    vip: facts.where((id) => orders(id).total >= t.vipSpend || orders(id).count >= t.vipOrders),
    handVip: facts.where((id) => orders(id).total >= 500 || orders(id).count >= 5),
    replenishment: facts.where((id) => {
      const o = orders(id);
      return o.count >= 2 && o.times.some(facts.betweenDaysAgo(t.replenishmentDays, replenishmentEnd)) && !o.times.some(facts.inTheLast(t.replenishmentDays));
    }),
    lapsed: facts.where(
      (id) =>
        orders(id).count >= 1 && !any('Placed Order', id, lapsedWindow) && !any('Active on Site', id, lapsedWindow) && !any('Opened Email', id, lapsedWindow),
    ),
    engaged30: engaged(30),
  };
}
