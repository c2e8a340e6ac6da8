/**
 * The synthetic workspace generator (server/src/generate): determinism, exact counts, the
 * documented line shapes (docs/workspace-format.md), referential integrity, gzip output, and
 * that the data has the properties the sample segments rely on (skew, consent mix, geography,
 * lifecycle ordering).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import countries from 'i18n-iso-countries';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import {
  GenerateOptionsError,
  LISTS,
  LIST_IDS,
  METRICS,
  METRIC_IDS,
  generateWorkspace,
  isEuCountry,
  type GenerateOptions,
  type GenerateSummary,
} from '../server/src/generate';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const zipcodes = require('zipcodes') as { lookup(zip: string): { state: string; country: string } | undefined };

const REPO = join(__dirname, '..', '..');
const NOW = '2026-11-01T12:00:00Z';
const NOW_SEC = Date.parse(NOW) / 1000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

type Json = any;

interface Loaded {
  dir: string;
  summary: GenerateSummary;
  workspace: Json;
  metrics: Json[];
  lists: Json[];
  profiles: Json[];
  events: Json[];
  members: Map<string, Json[]>;
}

const tempDirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'segment-lens-generate-'));
  tempDirs.push(d);
  return d;
}

function readMaybeGz(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8');
  return gunzipSync(readFileSync(`${path}.gz`)).toString('utf8');
}

function jsonl(text: string): Json[] {
  return text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Json);
}

async function generateAndLoad(options: Omit<GenerateOptions, 'outDir'>): Promise<Loaded> {
  const dir = tempDir();
  const summary = await generateWorkspace({ ...options, outDir: dir });
  const members = new Map<string, Json[]>();
  for (const l of LISTS) members.set(l.id, jsonl(readMaybeGz(join(dir, 'data', 'list-members', `${l.id}.jsonl`))));
  return {
    dir,
    summary,
    workspace: JSON.parse(readFileSync(join(dir, 'klaviyo-workspace.json'), 'utf8')),
    metrics: JSON.parse(readFileSync(join(dir, 'data', 'metrics.json'), 'utf8')).data,
    lists: JSON.parse(readFileSync(join(dir, 'data', 'lists.json'), 'utf8')).data,
    profiles: jsonl(readMaybeGz(join(dir, 'data', 'profiles.jsonl'))),
    events: jsonl(readMaybeGz(join(dir, 'data', 'events.jsonl'))),
    members,
  };
}

/** Every file under dir (relative path → bytes). */
function snapshot(dir: string, rel = ''): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [k, v] of snapshot(dir, r)) out.set(k, v);
    else out.set(r, readFileSync(join(dir, r)));
  }
  return out;
}

function alpha2(country: unknown): string | undefined {
  if (typeof country !== 'string' || country === '') return undefined;
  if (/^[A-Z]{2}$/.test(country) && countries.isValid(country)) return country;
  if (/^[A-Z]{3}$/.test(country)) return countries.alpha3ToAlpha2(country) || undefined;
  return countries.getAlpha2Code(country, 'en') || undefined;
}

const metricId = (name: string): string => METRIC_IDS[name]!;
const eventsOf = (ws: Loaded, metricName: string): Json[] => ws.events.filter((e) => e.relationships.metric.data.id === metricId(metricName));

after(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe('generate: workspace generator', function () {
  this.timeout(120_000);

  let ws: Loaded;
  before(async () => {
    ws = await generateAndLoad({ profiles: 2000, events: 26_000, seed: 7, now: NOW, name: 'Test Vinyl' });
  });

  describe('determinism', () => {
    it('gives byte-identical files for the same options', async () => {
      const a = tempDir();
      const b = tempDir();
      const options = { profiles: 300, events: 4000, seed: 99, now: NOW };
      await generateWorkspace({ ...options, outDir: a });
      await generateWorkspace({ ...options, outDir: b });
      const sa = snapshot(a);
      const sb = snapshot(b);
      assert.deepEqual([...sa.keys()].sort(), [...sb.keys()].sort());
      for (const [k, v] of sa) assert.ok(v.equals(sb.get(k)!), `${k} differs between two runs`);
    });

    it('gives different data for a different seed, with the same metric and list IDs', async () => {
      const other = await generateAndLoad({ profiles: 300, events: 4000, seed: 100, now: NOW });
      const same = await generateAndLoad({ profiles: 300, events: 4000, seed: 99, now: NOW });
      assert.notDeepEqual(
        other.profiles.map((p) => p.attributes.email),
        same.profiles.map((p) => p.attributes.email),
      );
      assert.deepEqual(
        other.metrics.map((m) => m.id),
        same.metrics.map((m) => m.id),
      );
      assert.deepEqual(
        other.lists.map((l) => l.id),
        same.lists.map((l) => l.id),
      );
    });

    it('overwrites an earlier run in the same folder, replacing data files of the other compression', async () => {
      const dir = tempDir();
      await generateWorkspace({ profiles: 50, events: 500, seed: 1, outDir: dir, gzip: false });
      assert.ok(existsSync(join(dir, 'data', 'events.jsonl')));
      await generateWorkspace({ profiles: 50, events: 500, seed: 1, outDir: dir, gzip: true });
      assert.ok(!existsSync(join(dir, 'data', 'events.jsonl')));
      assert.ok(!existsSync(join(dir, 'data', 'profiles.jsonl')));
      assert.ok(existsSync(join(dir, 'data', 'events.jsonl.gz')));
      assert.ok(existsSync(join(dir, 'data', 'profiles.jsonl.gz')));
    });
  });

  describe('counts', () => {
    it('writes exactly the requested numbers of profiles and events', () => {
      assert.equal(ws.profiles.length, 2000);
      assert.equal(ws.events.length, 26_000);
      assert.equal(ws.summary.profiles, 2000);
      assert.equal(ws.summary.events, 26_000);
      const byMetric = Object.values(ws.summary.eventsByMetric).reduce((a, b) => a + b, 0);
      assert.equal(byMetric, 26_000);
    });

    it('hits the event count exactly in edge cases (no events, fewer events than orders, one profile)', async () => {
      for (const [profiles, events] of [
        [200, 0],
        [500, 120],
        [1, 37],
        [40, 3000],
      ] as const) {
        const r = await generateAndLoad({ profiles, events, seed: 3, now: NOW });
        assert.equal(r.profiles.length, profiles, `${profiles}/${events}`);
        assert.equal(r.events.length, events, `${profiles}/${events}`);
      }
    });

    it('counts events per metric and members per list in the summary', () => {
      for (const m of METRICS) assert.equal(ws.summary.eventsByMetric[m.name], eventsOf(ws, m.name).length, m.name);
      for (const l of LISTS) assert.equal(ws.summary.listMembers[l.id], ws.members.get(l.id)!.length, l.id);
      assert.equal(ws.summary.eventsByMetric['Submitted Review'], 0, 'the stale metric has no events');
      assert.equal(ws.summary.listMembers[LIST_IDS['Wholesale Inquiries']!], 0, 'one list has no members');
      assert.equal(ws.summary.profilesWithoutEvents, ws.profiles.filter((p) => !ws.events.some((e) => e.relationships.profile.data.id === p.id)).length);
    });

    it('rejects invalid options', async () => {
      const outDir = tempDir();
      await assert.rejects(generateWorkspace({ profiles: 0, events: 10, outDir }), GenerateOptionsError);
      await assert.rejects(generateWorkspace({ profiles: 1.5, events: 10, outDir }), GenerateOptionsError);
      await assert.rejects(generateWorkspace({ profiles: 10, events: -1, outDir }), GenerateOptionsError);
      await assert.rejects(generateWorkspace({ profiles: 10, events: 10, seed: -3, outDir }), GenerateOptionsError);
      await assert.rejects(generateWorkspace({ profiles: 10, events: 10, now: 'not a date', outDir }), GenerateOptionsError);
      await assert.rejects(generateWorkspace({ profiles: 10, events: 10, outDir: '' }), GenerateOptionsError);
    });
  });

  describe('shapes (docs/workspace-format.md)', () => {
    it('writes klaviyo-workspace.json with name and now', () => {
      assert.deepEqual(ws.workspace, { name: 'Test Vinyl', now: NOW });
    });

    it('writes metric and list resources with 6-character IDs', () => {
      assert.equal(ws.metrics.length, METRICS.length);
      for (const m of ws.metrics) {
        assert.equal(m.type, 'metric');
        assert.match(m.id, /^[A-Za-z0-9]{6}$/);
        assert.equal(typeof m.attributes.name, 'string');
        assert.match(m.attributes.created, ISO);
        assert.match(m.attributes.updated, ISO);
        assert.equal(m.attributes.integration.object, 'integration');
        assert.ok(['Shopify', 'Klaviyo', 'API', 'Judge.me'].includes(m.attributes.integration.name));
      }
      assert.equal(ws.metrics.find((m) => m.attributes.name === 'Placed Order').attributes.integration.name, 'Shopify');
      assert.equal(ws.metrics.find((m) => m.attributes.name === 'Opened Email').attributes.integration.name, 'Klaviyo');
      assert.equal(new Set(ws.metrics.map((m) => m.id)).size, ws.metrics.length);
      for (const l of ws.lists) {
        assert.equal(l.type, 'list');
        assert.match(l.id, /^[A-Za-z0-9]{6}$/);
        assert.ok(['double_opt_in', 'single_opt_in'].includes(l.attributes.opt_in_process));
        assert.match(l.attributes.created, ISO);
        assert.ok(Date.parse(l.attributes.created) <= Date.parse(l.attributes.updated));
      }
      assert.deepEqual(
        ws.lists.map((l) => l.attributes.name),
        ['Newsletter', 'VIP Club', 'Record Store Day 2026 Waitlist', 'Instagram Giveaway', 'Wholesale Inquiries'],
      );
      assert.equal(ws.lists[0].attributes.opt_in_process, 'double_opt_in');
    });

    it('writes profile lines with every documented attribute', () => {
      const ids = new Set<string>();
      for (const p of ws.profiles) {
        assert.equal(p.type, 'profile');
        assert.match(p.id, ULID);
        ids.add(p.id);
        const a = p.attributes;
        for (const k of [
          'email',
          'phone_number',
          'external_id',
          'first_name',
          'last_name',
          'organization',
          'locale',
          'title',
          'image',
          'created',
          'updated',
          'last_event_date',
          'location',
          'properties',
          'subscriptions',
          'predictive_analytics',
        ]) {
          assert.ok(k in a, `${p.id} lacks ${k}`);
        }
        for (const k of ['address1', 'address2', 'city', 'country', 'latitude', 'longitude', 'region', 'zip', 'timezone', 'ip'])
          assert.ok(k in a.location, `location lacks ${k}`);
        assert.match(a.created, ISO);
        assert.match(a.updated, ISO);
        assert.ok(Date.parse(a.created) <= Date.parse(a.updated), 'created <= updated');
        assert.ok(Date.parse(a.updated) <= NOW_SEC * 1000, 'updated <= now');
        if (a.last_event_date !== null) assert.match(a.last_event_date, ISO);
        if (a.phone_number !== null) assert.match(a.phone_number, /^\+[1-9]\d{6,14}$/);
        for (const c of [a.location.latitude, a.location.longitude])
          assert.ok(c === null || typeof c === 'number' || (typeof c === 'string' && Number.isFinite(Number(c))));
        const em = a.subscriptions.email.marketing;
        assert.equal(typeof em.can_receive_email_marketing, 'boolean');
        assert.ok(['SUBSCRIBED', 'UNSUBSCRIBED', 'NEVER_SUBSCRIBED'].includes(em.consent));
        assert.ok(Array.isArray(em.suppression) && Array.isArray(em.list_suppressions));
        for (const s of em.suppression) {
          assert.ok(['HARD_BOUNCE', 'INVALID_EMAIL', 'SPAM_COMPLAINT', 'UNSUBSCRIBE', 'USER_SUPPRESSED'].includes(s.reason));
          assert.match(s.timestamp, ISO);
        }
        assert.equal(em.can_receive_email_marketing, a.email !== null && em.suppression.length === 0, 'can_receive follows global suppressions');
        const sms = a.subscriptions.sms.marketing;
        assert.equal(typeof sms.can_receive_sms_marketing, 'boolean');
        if (sms.consent !== 'NEVER_SUBSCRIBED') assert.notEqual(a.phone_number, null, 'SMS consent needs a phone number');
        assert.equal(sms.can_receive_sms_marketing, sms.consent === 'SUBSCRIBED');
        assert.equal(typeof a.subscriptions.mobile_push.marketing.can_receive_push_marketing, 'boolean');
        const pa = a.predictive_analytics;
        if (pa !== null) {
          assert.ok(['likely_female', 'likely_male', 'uncertain'].includes(pa.predicted_gender));
          assert.ok(Array.isArray(pa.ranked_channel_affinity));
          for (const [channel, rank] of Object.entries(pa.channel_affinity_rank)) {
            assert.ok(['email', 'sms', 'push', 'whatsapp'].includes(channel));
            assert.ok(['high', 'medium', 'low'].includes(rank as string));
          }
        }
      }
      assert.equal(ids.size, ws.profiles.length, 'profile IDs are unique');
      const emails = ws.profiles
        .map((p) => p.attributes.email)
        .filter((e) => e !== null)
        .map((e: string) => e.toLowerCase());
      assert.equal(new Set(emails).size, emails.length, 'e-mail addresses are unique (case-insensitively)');
    });

    it('writes event lines with timestamp, datetime, $event_id and both relationships', () => {
      const ids = new Set<string>();
      const valueMetrics = new Set(['Placed Order', 'Ordered Product', 'Refunded Order', 'Started Checkout'].map(metricId));
      for (const e of ws.events) {
        assert.equal(e.type, 'event');
        assert.equal(typeof e.id, 'string');
        ids.add(e.id);
        const { timestamp, datetime, event_properties: props } = e.attributes;
        assert.ok(Number.isInteger(timestamp));
        assert.match(datetime, ISO);
        assert.equal(Date.parse(datetime) / 1000, timestamp, 'datetime and timestamp agree');
        assert.ok(timestamp <= NOW_SEC, 'no events after now');
        assert.equal(typeof props.$event_id, 'string');
        if (valueMetrics.has(e.relationships.metric.data.id)) assert.equal(typeof props.$value, 'number');
        assert.equal(e.relationships.profile.data.type, 'profile');
        assert.equal(e.relationships.metric.data.type, 'metric');
      }
      assert.equal(ids.size, ws.events.length, 'event IDs are unique');
    });

    it('puts segmentable properties at the top level of event_properties', () => {
      for (const e of eventsOf(ws, 'Placed Order')) {
        const p = e.attributes.event_properties;
        assert.ok(Array.isArray(p.ItemNames) && p.ItemNames.length > 0 && p.ItemNames.every((x: unknown) => typeof x === 'string'));
        assert.ok(Array.isArray(p.Categories));
        assert.ok(Number.isInteger(p['Item Count']) && p['Item Count'] >= p.ItemNames.length);
        assert.ok(['web', 'pos', 'shopify_draft_order'].includes(p['Source Name']));
        if ('Discount Code' in p) assert.equal(typeof p['Discount Code'], 'string');
      }
      assert.ok(eventsOf(ws, 'Placed Order').some((e) => 'Discount Code' in e.attributes.event_properties));
      assert.ok(eventsOf(ws, 'Placed Order').some((e) => !('Discount Code' in e.attributes.event_properties)));
      for (const e of eventsOf(ws, 'Viewed Product')) {
        const p = e.attributes.event_properties;
        assert.equal(typeof p.ProductName, 'string');
        assert.equal(typeof p.Price, 'number');
        assert.ok(Array.isArray(p.Categories));
      }
      for (const name of ['Received Email', 'Opened Email', 'Clicked Email']) {
        for (const e of eventsOf(ws, name)) {
          const p = e.attributes.event_properties;
          assert.equal(typeof p['Campaign Name'], 'string');
          assert.equal(typeof p.Subject, 'string');
          assert.equal(typeof p['Email Domain'], 'string');
          if (name === 'Clicked Email') assert.equal(typeof p['Bot Click'], 'boolean');
          else assert.ok(!('Bot Click' in p), 'Bot Click only on Clicked Email');
        }
      }
      const clicks = eventsOf(ws, 'Clicked Email').map((e) => e.attributes.event_properties['Bot Click']);
      assert.ok(clicks.includes(true) && clicks.includes(false), 'both bot and human clicks');
    });

    it('writes list member lines with joined_group_at', () => {
      for (const [listId, lines] of ws.members) {
        const seen = new Set<string>();
        for (const m of lines) {
          assert.equal(m.type, 'profile');
          assert.match(m.attributes.joined_group_at, ISO);
          assert.ok(Date.parse(m.attributes.joined_group_at) <= NOW_SEC * 1000);
          assert.ok(!seen.has(m.id), `${m.id} twice in ${listId}`);
          seen.add(m.id);
        }
      }
    });
  });

  describe('referential integrity and chronology', () => {
    it('references only known profiles and metrics; events come after the profile was created', () => {
      const created = new Map<string, number>(ws.profiles.map((p) => [p.id, Date.parse(p.attributes.created) / 1000]));
      const metricIds = new Set(ws.metrics.map((m) => m.id));
      for (const e of ws.events) {
        const c = created.get(e.relationships.profile.data.id);
        assert.ok(c !== undefined, 'event of an unknown profile');
        assert.ok(metricIds.has(e.relationships.metric.data.id), 'event of an unknown metric');
        assert.ok(e.attributes.timestamp >= c, 'event before the profile was created');
      }
      for (const [listId, lines] of ws.members) {
        for (const m of lines) {
          const c = created.get(m.id);
          assert.ok(c !== undefined, `member of ${listId} not in profiles.jsonl`);
          assert.ok(Date.parse(m.attributes.joined_group_at) / 1000 >= c - 1, 'joined before created');
        }
      }
    });

    it('sets last_event_date to the latest event of the profile (null without events)', () => {
      const last = new Map<string, number>();
      for (const e of ws.events) {
        const pid = e.relationships.profile.data.id;
        last.set(pid, Math.max(last.get(pid) ?? 0, e.attributes.timestamp));
      }
      for (const p of ws.profiles) {
        const t = last.get(p.id);
        if (t === undefined) assert.equal(p.attributes.last_event_date, null);
        else assert.equal(Date.parse(p.attributes.last_event_date) / 1000, t);
      }
    });

    it('orders lifecycles plausibly: checkout → order → fulfilment → refund, receive → open → click', () => {
      const byEventId = (name: string): Map<string, Json> =>
        new Map(eventsOf(ws, name).map((e) => [`${e.relationships.profile.data.id}|${e.attributes.event_properties.$event_id}`, e]));
      const placed = byEventId('Placed Order');
      for (const e of eventsOf(ws, 'Fulfilled Order')) {
        const o = placed.get(`${e.relationships.profile.data.id}|${e.attributes.event_properties.$event_id}`);
        assert.ok(o, 'fulfilment of an unknown order');
        assert.ok(e.attributes.timestamp >= o.attributes.timestamp);
      }
      for (const e of eventsOf(ws, 'Ordered Product')) {
        const o = placed.get(`${e.relationships.profile.data.id}|${e.attributes.event_properties.OrderId}`);
        assert.ok(o, 'product of an unknown order');
        assert.equal(e.attributes.timestamp, o.attributes.timestamp);
      }
      const fulfilled = byEventId('Fulfilled Order');
      for (const e of eventsOf(ws, 'Refunded Order')) {
        const f = fulfilled.get(`${e.relationships.profile.data.id}|${String(e.attributes.event_properties.$event_id).slice(1)}`);
        assert.ok(f, 'refund of an unfulfilled order');
        assert.ok(e.attributes.timestamp > f.attributes.timestamp);
      }
      const received = byEventId('Received Email');
      const opened = byEventId('Opened Email');
      for (const [k, e] of opened) {
        const r = received.get(k);
        assert.ok(r, 'open without a receive');
        assert.ok(e.attributes.timestamp > r.attributes.timestamp);
      }
      for (const e of eventsOf(ws, 'Clicked Email')) {
        const k = `${e.relationships.profile.data.id}|${e.attributes.event_properties.$event_id}`;
        const r = received.get(k);
        assert.ok(r && e.attributes.timestamp > r.attributes.timestamp, 'click after the receive');
        if (e.attributes.event_properties['Bot Click'] === false) {
          const o = opened.get(k);
          assert.ok(o && e.attributes.timestamp > o.attributes.timestamp, 'human click after the open');
        }
      }
    });

    it('keeps predictive analytics consistent with the orders', () => {
      const orders = new Map<string, Json[]>();
      for (const e of eventsOf(ws, 'Placed Order')) {
        const pid = e.relationships.profile.data.id;
        if (!orders.has(pid)) orders.set(pid, []);
        orders.get(pid)!.push(e);
      }
      let checked = 0;
      for (const p of ws.profiles) {
        const pa = p.attributes.predictive_analytics;
        const mine = orders.get(p.id) ?? [];
        if (pa === null || mine.length === 0) continue;
        checked++;
        assert.equal(pa.historic_number_of_orders, mine.length);
        const sum = mine.reduce((s, e) => s + e.attributes.event_properties.$value, 0);
        assert.ok(Math.abs(pa.historic_clv - sum) < 0.05, `historic_clv ${pa.historic_clv} vs orders ${sum}`);
        if (mine.length === 1) assert.equal(pa.average_days_between_orders, null);
      }
      assert.ok(checked > 300, `only ${checked} buyers with predictive analytics`);
      assert.ok(
        ws.profiles.some((p) => p.attributes.predictive_analytics === null),
        'some profiles have none',
      );
    });
  });

  describe('gzip', () => {
    it('writes readable gzip files for every JSONL file with gzip: true, none with gzip: false', async () => {
      const gz = await generateAndLoad({ profiles: 120, events: 1500, seed: 5, now: NOW, gzip: true });
      assert.ok(existsSync(join(gz.dir, 'data', 'profiles.jsonl.gz')) && existsSync(join(gz.dir, 'data', 'events.jsonl.gz')));
      for (const l of LISTS) assert.ok(existsSync(join(gz.dir, 'data', 'list-members', `${l.id}.jsonl.gz`)));
      assert.equal(gz.profiles.length, 120);
      assert.equal(gz.events.length, 1500);
      const plain = await generateAndLoad({ profiles: 120, events: 1500, seed: 5, now: NOW, gzip: false });
      assert.ok(existsSync(join(plain.dir, 'data', 'events.jsonl')) && !existsSync(join(plain.dir, 'data', 'events.jsonl.gz')));
      assert.deepEqual(plain.events, gz.events, 'the same data either way');
      assert.deepEqual(plain.profiles, gz.profiles);
    });

    it('writes event lines as ASCII (non-ASCII text as \\u escapes)', () => {
      const raw = gunzipSync(readFileSync(join(ws.dir, 'data', 'events.jsonl.gz')));
      assert.ok(raw.every((b) => b < 0x80));
      assert.ok(
        ws.events.some((e) => JSON.stringify(e.attributes.event_properties).includes('ö') || JSON.stringify(e.attributes.event_properties).includes('—')),
        'escapes decode to the original text',
      );
    });

    it('gzips only events by default', () => {
      assert.ok(existsSync(join(ws.dir, 'data', 'events.jsonl.gz')));
      assert.ok(existsSync(join(ws.dir, 'data', 'profiles.jsonl')));
      assert.ok(existsSync(join(ws.dir, 'data', 'list-members', `${LIST_IDS['Newsletter']}.jsonl`)));
    });
  });

  describe('distributions', () => {
    it('skews activity: the top 10% of profiles place a big share of orders; some profiles have no events', () => {
      const perProfile = new Map<string, number>();
      for (const e of eventsOf(ws, 'Placed Order')) perProfile.set(e.relationships.profile.data.id, (perProfile.get(e.relationships.profile.data.id) ?? 0) + 1);
      const counts = ws.profiles.map((p) => perProfile.get(p.id) ?? 0).sort((a, b) => b - a);
      const total = counts.reduce((a, b) => a + b, 0);
      const top = counts.slice(0, counts.length / 10).reduce((a, b) => a + b, 0);
      assert.ok(top / total > 0.4, `top 10% hold ${(top / total).toFixed(2)} of orders`);
      const buyers = counts.filter((c) => c > 0).length;
      assert.ok(buyers > 0.3 * counts.length && buyers < 0.75 * counts.length, `${buyers} buyers`);
      assert.ok(counts.filter((c) => c === 1).length > 0.1 * counts.length, 'first-time buyers');
      assert.ok(counts.filter((c) => c >= 5).length > 0.02 * counts.length, 'frequent buyers');
      assert.ok(ws.summary.profilesWithoutEvents > 0.03 * ws.profiles.length, 'profiles without events');
    });

    it('has recent, at-risk and lapsed customers', () => {
      const lastOrder = new Map<string, number>();
      for (const e of eventsOf(ws, 'Placed Order'))
        lastOrder.set(e.relationships.profile.data.id, Math.max(lastOrder.get(e.relationships.profile.data.id) ?? 0, e.attributes.timestamp));
      const ages = [...lastOrder.values()].map((t) => (NOW_SEC - t) / 86_400);
      assert.ok(ages.filter((d) => d <= 30).length > 0.08 * ages.length, 'recent buyers');
      assert.ok(ages.filter((d) => d > 90 && d <= 180).length > 0.08 * ages.length, 'at-risk buyers');
      assert.ok(ages.filter((d) => d > 365).length > 0.08 * ages.length, 'lapsed buyers');
    });

    it('spans about three years with seasonal peaks (December, Record Store Day) and weekly rhythm', () => {
      const times = ws.events.map((e) => e.attributes.timestamp);
      const span = (NOW_SEC - Math.min(...times)) / 86_400;
      assert.ok(span > 900 && span <= 3 * 366, `span ${span} days`);
      // Within the last full year: December beats February, and Record Store Day beats an ordinary Saturday.
      const orders = eventsOf(ws, 'Placed Order').map((e) => new Date(e.attributes.timestamp * 1000));
      const inMonth = (y: number, m: number): number => orders.filter((d) => d.getUTCFullYear() === y && d.getUTCMonth() === m).length;
      assert.ok(inMonth(2025, 11) > 1.3 * inMonth(2025, 1), `Dec ${inMonth(2025, 11)} vs Feb ${inMonth(2025, 1)}`);
      const onDay = (iso: string): number => orders.filter((d) => d.toISOString().startsWith(iso)).length;
      assert.ok(onDay('2026-04-18') > 2 * ((onDay('2026-04-04') + onDay('2026-05-02') + onDay('2026-03-28')) / 3), 'Record Store Day 2026 peak');
      const weekday = new Array<number>(7).fill(0);
      for (const d of orders) weekday[d.getUTCDay()]!++;
      assert.ok(weekday[6]! > weekday[1]!, 'Saturdays beat Mondays');
    });

    it('mixes consent: subscribed, unsubscribed, never subscribed, suppressions, SMS and push', () => {
      const email = ws.profiles.map((p) => p.attributes.subscriptions.email.marketing);
      const share = (f: (m: Json) => boolean): number => email.filter(f).length / email.length;
      assert.ok(share((m) => m.consent === 'SUBSCRIBED') > 0.35);
      assert.ok(share((m) => m.consent === 'UNSUBSCRIBED') > 0.04);
      assert.ok(share((m) => m.consent === 'NEVER_SUBSCRIBED') > 0.15);
      assert.ok(share((m) => m.consent === 'SUBSCRIBED' && !m.can_receive_email_marketing) > 0, 'subscribed but bounced');
      assert.ok(share((m) => m.double_optin === true) > 0.1 && share((m) => m.double_optin === false) > 0.1);
      const reasons = new Set(email.flatMap((m) => m.suppression.map((s: Json) => s.reason)));
      for (const r of ['HARD_BOUNCE', 'UNSUBSCRIBE', 'SPAM_COMPLAINT', 'INVALID_EMAIL', 'USER_SUPPRESSED']) assert.ok(reasons.has(r), `no ${r} suppression`);
      assert.ok(
        email.some((m) => m.list_suppressions.length > 0),
        'list-only suppressions',
      );
      const methods = new Set(email.map((m) => m.method));
      for (const m of ['FORM', 'PREFERENCE_PAGE', 'API', 'CHECKOUT', 'MANUAL_IMPORT', 'BACK_IN_STOCK']) assert.ok(methods.has(m), `no ${m} consent`);
      assert.ok(
        ws.profiles.some((p) => p.attributes.email === null),
        'profiles without e-mail',
      );
      const sms = ws.profiles.map((p) => p.attributes.subscriptions.sms.marketing.consent);
      assert.ok(sms.includes('SUBSCRIBED') && sms.includes('UNSUBSCRIBED'));
      assert.ok(sms.filter((c) => c === 'NEVER_SUBSCRIBED').length > sms.length / 2);
      assert.ok(ws.profiles.some((p) => p.attributes.subscriptions.mobile_push.marketing.can_receive_push_marketing));
    });

    it('places profiles in the US (real ZIP codes), Canada, the EU, the UK (not EU) and nowhere', () => {
      const codes = ws.profiles.map((p) => alpha2(p.attributes.location.country));
      const share = (f: (c: string | undefined) => boolean): number => codes.filter(f).length / codes.length;
      assert.ok(share((c) => c === 'US') > 0.5);
      assert.ok(share((c) => isEuCountry(c)) > 0.06);
      assert.ok(share((c) => c === 'CA') > 0.02);
      assert.ok(share((c) => c === 'GB') > 0.02);
      assert.ok(!isEuCountry('GB'));
      assert.ok(ws.profiles.filter((p) => p.attributes.location.country === null).length > 0.02 * ws.profiles.length, 'no country');
      const spellings = new Set(ws.profiles.map((p) => p.attributes.location.country));
      for (const s of ['United States', 'US', 'USA', 'Germany', 'DE', 'United Kingdom']) assert.ok(spellings.has(s), `no "${s}"`);
      let us = 0;
      for (const p of ws.profiles) {
        const loc = p.attributes.location;
        if (alpha2(loc.country) !== 'US') continue;
        us++;
        const rec = zipcodes.lookup(loc.zip);
        assert.ok(rec && rec.country === 'US', `unknown US zip ${loc.zip}`);
        assert.equal(rec.state, loc.region);
      }
      assert.ok(us > 0);
      const zips = ws.profiles.map((p) => String(p.attributes.location.zip ?? ''));
      assert.ok(zips.filter((z) => z.startsWith('021')).length > 0.01 * zips.length, 'Boston area');
      assert.ok(zips.filter((z) => /^43[012]/.test(z)).length > 0.01 * zips.length, 'Columbus area');
      assert.ok(ws.profiles.some((p) => p.attributes.location.city === 'Columbus'));
      assert.ok(ws.profiles.some((p) => p.attributes.location.city === 'Boston'));
    });

    it("writes valid phone numbers of the profile's country", () => {
      let n = 0,
        valid = 0,
        sameCountry = 0;
      for (const p of ws.profiles) {
        const phone = p.attributes.phone_number;
        if (!phone) continue;
        n++;
        const parsed = parsePhoneNumberFromString(phone);
        if (parsed?.isValid()) valid++;
        const c = alpha2(p.attributes.location.country);
        if (c && parsed?.country === c) sameCountry++;
      }
      assert.ok(n > 0.2 * ws.profiles.length);
      assert.ok(valid / n > 0.98, `${valid}/${n} valid`);
      assert.ok(sameCountry / n > 0.85, `${sameCountry}/${n} match the country`);
    });

    it('has the custom properties and value types the segment rules care about', () => {
      const props = ws.profiles.map((p) => p.attributes.properties);
      const has = (k: string): number => props.filter((x) => k in x).length;
      for (const k of ['Favorite Genre', 'Birthday', 'Loyalty Points', 'Accepts Marketing', 'Tags', 'Preferred Format', 'Signup Source']) {
        assert.ok(has(k) > 0.05 * props.length && has(k) < props.length, `${k}: ${has(k)}`);
      }
      assert.ok(props.every((x) => !('Birthday' in x) || /^\d{4}-\d{2}-\d{2}$/.test(x['Birthday'])));
      assert.ok(
        props.some((x) => String(x['Birthday']).endsWith('-02-29')),
        '29 February birthdays',
      );
      assert.ok(props.some((x) => typeof x['Loyalty Points'] === 'number') && props.some((x) => typeof x['Loyalty Points'] === 'string'), 'numeric strings');
      assert.ok(
        props.some((x) => Array.isArray(x['Tags']) && x['Tags'].length === 0),
        'empty lists',
      );
      assert.ok(props.every((x) => !('Accepts Marketing' in x) || typeof x['Accepts Marketing'] === 'boolean'));
      assert.ok(props.every((x) => !('Preferred Format' in x) || ['Vinyl', 'CD', 'Cassette'].includes(x['Preferred Format'])));
      const emails = ws.profiles.map((p) => p.attributes.email).filter((e): e is string => e !== null);
      assert.ok(emails.some((e) => e.endsWith('@hotmail.com')));
      assert.ok(
        emails.some((e) => /@[A-Z]/.test(e)),
        'upper-case domain variants',
      );
      assert.ok(emails.some((e) => /@(gmail|yahoo|outlook|icloud)\.com$/.test(e)));
      const genders = new Set(ws.profiles.map((p) => p.attributes.predictive_analytics?.predicted_gender));
      for (const g of ['likely_female', 'likely_male', 'uncertain']) assert.ok(genders.has(g));
    });

    it('fills the lists: newsletter subscribers, VIPs by spend, the waitlist before Record Store Day', () => {
      const byId = new Map<string, Json>(ws.profiles.map((p) => [p.id, p]));
      const newsletter = ws.members.get(LIST_IDS['Newsletter']!)!;
      assert.ok(newsletter.length > 0.3 * ws.profiles.length);
      for (const m of newsletter) assert.notEqual(byId.get(m.id).attributes.subscriptions.email.marketing.consent, 'NEVER_SUBSCRIBED');
      assert.ok(
        newsletter.some((m) => byId.get(m.id).attributes.subscriptions.email.marketing.consent === 'UNSUBSCRIBED'),
        'suppressed members stay',
      );
      const vip = ws.members.get(LIST_IDS['VIP Club']!)!;
      assert.ok(vip.length > 0.03 * ws.profiles.length);
      const waitlist = ws.members.get(LIST_IDS['Record Store Day Waitlist']!)!;
      assert.ok(waitlist.length > 0);
      for (const m of waitlist) assert.ok(m.attributes.joined_group_at < '2026-04-18', 'joined the waitlist before Record Store Day');
      assert.ok(ws.members.get(LIST_IDS['Instagram Giveaway']!)!.length > 0);
    });
  });

  describe('sample-workspace/', () => {
    const sample = join(REPO, 'sample-workspace');
    it('is what `segment-lens generate --profiles 3000 --events 40000 --seed 33 --out sample-workspace` writes', async function () {
      if (!existsSync(join(sample, 'data', 'profiles.jsonl'))) this.skip();
      const dir = tempDir();
      await generateWorkspace({ profiles: 3000, events: 40_000, seed: 33, outDir: dir });
      assert.equal(readFileSync(join(dir, 'klaviyo-workspace.json'), 'utf8'), readFileSync(join(sample, 'klaviyo-workspace.json'), 'utf8'));
      for (const rel of ['data/metrics.json', 'data/lists.json', 'data/profiles.jsonl', ...LISTS.map((l) => `data/list-members/${l.id}.jsonl`)]) {
        assert.ok(readFileSync(join(dir, rel)).equals(readFileSync(join(sample, rel))), `${rel} is out of date: regenerate sample-workspace`);
      }
      // Compare decompressed: gzip bytes may differ between zlib versions.
      assert.ok(
        gunzipSync(readFileSync(join(dir, 'data/events.jsonl.gz'))).equals(gunzipSync(readFileSync(join(sample, 'data/events.jsonl.gz')))),
        'events are out of date',
      );
    });
  });
});
