/**
 * `segment-lens pull`: the CLI against the fake API for the main paths (full pull, resume after
 * a dropped connection, incremental pull), the pull engine in-process for the failure modes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KlaviyoClient, type Timing } from '../../server/src/klaviyo/client';
import { KlaviyoError } from '../../server/src/klaviyo/errors';
import { pullTempDir, pullWorkspace, readPullRecord, STATE_FILE, type PullOptions } from '../../server/src/klaviyo/pull';
import { ApiKey } from '../../server/src/klaviyo/secret';
import { loadWorkspace } from '../../server/src/workspace/loadWorkspace';
import {
  cliEnv,
  FakeKlaviyo,
  filesUnder,
  makeEvent,
  makeFixture,
  makeProfile,
  readJsonl,
  runCli,
  tempDir,
  TEST_KEY,
  transcript,
  type CliRun,
} from './fakeKlaviyo';

const FAST: Partial<Timing> = { rateScale: 0, retryBaseMs: 5, retryMaxMs: 40, maxRetries: 2, requestTimeoutMs: 3000 };

function engineClient(fake: FakeKlaviyo, timing: Partial<Timing> = {}): KlaviyoClient {
  return new KlaviyoClient({ apiKey: new ApiKey(TEST_KEY), baseUrl: fake.url, timing: { ...FAST, ...timing } });
}

async function pull(fake: FakeKlaviyo, options: Omit<PullOptions, 'client'>, timing: Partial<Timing> = {}) {
  return pullWorkspace({ ...options, client: engineClient(fake, timing) });
}

async function expectPullFailure(promise: Promise<unknown>): Promise<KlaviyoError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof KlaviyoError, String(error));
    transcript.push(error.message);
    return error;
  }
  assert.fail('the pull should have failed');
}

/** A workspace loads with no warnings: every reference resolves, every line parses. */
async function loadClean(dir: string) {
  const loaded = await loadWorkspace(dir);
  assert.deepEqual(
    loaded.warnings.map((w) => `${w.file}: ${w.message}`),
    [],
    'the pulled workspace loads without warnings',
  );
  return loaded;
}

function hashTree(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(dir).sort((a, b) => a.path.localeCompare(b.path))) hash.update(`${file.path}\n${file.text}\n`);
  return hash.digest('hex');
}

function ids(path: string): string[] {
  return readJsonl(path).map((r) => String(r.id));
}

describe('segment-lens pull (CLI)', function () {
  this.timeout(60000);
  let fake: FakeKlaviyo;
  let root: string;
  let out: string;
  let full: CliRun;
  const recentEventTime = Date.now() - 10 * 60_000;

  before(async () => {
    const data = makeFixture();
    // An event ten minutes old: inside the incremental overlap window, so the next pull sees it again.
    data.events.push(makeEvent(9000, recentEventTime, data.profiles[3].id, data.metrics[0].id));
    fake = await new FakeKlaviyo(data).start();
    root = tempDir('cli-pull');
    out = join(root, 'workspace');
    full = await runCli(['pull', '--out', out, '--base-url', fake.url, '--name', 'Test account'], { env: cliEnv(fake) });
  });
  after(async () => {
    await fake.stop();
  });

  it('pulls every collection page by page into exactly the workspace format', async () => {
    assert.equal(full.code, 0, full.stderr);
    assert.deepEqual(fake.violations, []);
    assert.match(full.stdout, /5 metrics, 12 lists \(480 memberships\), 230 profiles and 2,301 events/);

    // Every request as documented: page sizes, additional fields, include, sort.
    const profiles = fake.requestsTo('GET', '/api/profiles');
    assert.equal(profiles.length, 3, '230 profiles at 100 per page');
    for (const r of profiles) {
      assert.equal(r.query['page[size]'], '100');
      assert.equal(r.query['additional-fields[profile]'], 'subscriptions,predictive_analytics');
    }
    const events = fake.requestsTo('GET', '/api/events');
    assert.equal(events.length, 3, '2,301 events at 1,000 per page');
    for (const r of events) assert.deepEqual([r.query['page[size]'], r.query.include, r.query.sort], ['1000', 'metric,profile', 'datetime']);
    assert.equal(fake.requestsTo('GET', '/api/lists/L00000/profiles').length, 3, '230 members at 100 per page');
    assert.equal(fake.requestsTo('GET', '/api/lists').filter((r) => !r.path.includes('/profiles')).length, 2, '12 lists at 10 per page');
    assert.ok(
      fake.requests
        .filter((r) => r.path.startsWith('/api/metrics') || r.path.replace(/\/$/, '') === '/api/lists')
        .every((r) => r.query['page[size]'] === undefined),
      'no page[size] where the endpoint has none',
    );

    // The layout of docs/workspace-format.md, and nothing else.
    const marker = JSON.parse(readFileSync(join(out, 'klaviyo-workspace.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(marker.name, 'Test account');
    assert.match(String(marker.now), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    const metrics = JSON.parse(readFileSync(join(out, 'data', 'metrics.json'), 'utf8')) as { data: unknown[] };
    assert.equal(metrics.data.length, 5);
    const profileLines = readJsonl(join(out, 'data', 'profiles.jsonl'));
    assert.equal(profileLines.length, 230);
    const attributes = profileLines[0].attributes as Record<string, unknown>;
    assert.ok(attributes.subscriptions && attributes.predictive_analytics, 'profiles carry subscriptions and predictive analytics');
    const member = readJsonl(join(out, 'data', 'list-members', 'L00001.jsonl'))[0];
    assert.match(String((member.attributes as Record<string, unknown>).joined_group_at), /^2025-/);
    const event = readJsonl(join(out, 'data', 'events.jsonl'))[0] as { relationships: { profile: { data: { id: string } }; metric: { data: { id: string } } } };
    assert.ok(event.relationships.profile.data.id && event.relationships.metric.data.id, 'events carry their profile and metric');
    assert.ok(!existsSync(pullTempDir(out)), 'the temporary folder is gone');
    assert.equal(readPullRecord(out)?.counts.events, 2301);

    const loaded = await loadClean(out);
    assert.equal(loaded.workspace.profileCount, 230);
    assert.equal(loaded.workspace.eventCount, 2301);
    assert.equal(loaded.workspace.metrics.length, 5);
    assert.equal(loaded.workspace.lists.length, 12);
  });

  it('resumes after the server drops the connection mid-pull, fetching only the rest', async () => {
    const resumeFake = await new FakeKlaviyo(makeFixture()).start();
    try {
      const dir = join(tempDir('cli-resume'), 'ws');
      // metrics (1) + lists (2) + profiles (3) + 1 page of the first list's members, then nothing answers.
      resumeFake.dropAfter = 7;
      const first = await runCli(['pull', '--out', dir, '--base-url', resumeFake.url], { env: cliEnv(resumeFake) });
      assert.equal(first.code, 1);
      assert.match(first.stderr, /connection failed .*run the same pull again to resume/s);
      assert.ok(!existsSync(dir), 'nothing half-written in --out');
      const state = JSON.parse(readFileSync(join(pullTempDir(dir), STATE_FILE), 'utf8')) as {
        steps: Record<string, { done: boolean; pages: number; next: string | null }>;
      };
      assert.ok(state.steps.profiles.done);
      assert.equal(state.steps['list-members:L00000'].pages, 1);
      // A crash between writing a page and recording it leaves extra bytes: the resume cuts them off.
      appendFileSync(join(pullTempDir(dir), 'data', 'list-members', 'L00000.jsonl'), '{"type":"profile","id":"half-writ');

      const before = resumeFake.requests.length;
      resumeFake.dropAfter = undefined;
      const second = await runCli(['pull', '--out', dir, '--base-url', resumeFake.url], { env: cliEnv(resumeFake) });
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stderr, /Resumed the pull started/);
      const rest = resumeFake.requests.slice(before);
      assert.ok(
        !rest.some((r) => r.path.startsWith('/api/metrics') || r.path.startsWith('/api/profiles') || r.path.replace(/\/$/, '') === '/api/lists'),
        'finished collections are not fetched again',
      );
      assert.ok(rest[0].query['page[cursor]'], 'the first request continues the interrupted collection at its saved cursor');
      assert.deepEqual(resumeFake.violations, []);
      const members = ids(join(dir, 'data', 'list-members', 'L00000.jsonl'));
      assert.equal(members.length, 230);
      assert.equal(new Set(members).size, 230, 'no duplicates');
      await loadClean(dir);
    } finally {
      await resumeFake.stop();
    }
  });

  it('incremental: fetches only newer events, updated profiles and new members, and merges them by id', async () => {
    assert.equal(full.code, 0);
    const pulledAt = Date.parse(String(readPullRecord(out)?.startedAt));
    // Changes in the account since the pull.
    const now = Date.now();
    const changed = makeProfile(5, now, { 'Favorite Genre': 'Bossa Nova' });
    fake.data.profiles[5] = changed;
    const newcomer = makeProfile(230, now);
    fake.data.profiles.push(newcomer);
    fake.data.members.L00000.push({ profileId: newcomer.id, joinedGroupAt: new Date(now).toISOString() });
    for (let i = 0; i < 3; i++) fake.data.events.push(makeEvent(9100 + i, now - 1000 + i, newcomer.id, fake.data.metrics[1].id));
    const before = fake.requests.length;

    const run = await runCli(['pull', '--out', out, '--base-url', fake.url, '--incremental'], { env: cliEnv(fake) });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Updated .*: 2 changed profiles, 4 new events, 1 new list membership/);
    const requests = fake.requests.slice(before);
    const profileFilters = requests.filter((r) => r.path.startsWith('/api/profiles')).map((r) => r.query.filter);
    const eventFilters = requests.filter((r) => r.path.startsWith('/api/events')).map((r) => r.query.filter);
    assert.deepEqual(profileFilters.length, 1);
    assert.match(profileFilters[0], /^greater-than\(updated,\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\)$/);
    assert.match(eventFilters[0], /^greater-than\(datetime,/);
    const since = Date.parse(/,(.+)\)$/.exec(profileFilters[0])?.[1] ?? '');
    assert.ok(since < pulledAt && since > pulledAt - 2 * 3600_000, 'from the last pull, with an overlap');
    assert.ok(requests.filter((r) => /\/api\/lists\/L0000[0-3]\/profiles/.test(r.path)).every((r) => /^greater-than\(joined_group_at,/.test(r.query.filter)));
    assert.deepEqual(fake.violations, []);

    const profileIds = ids(join(out, 'data', 'profiles.jsonl'));
    assert.equal(profileIds.length, 231);
    assert.equal(new Set(profileIds).size, 231, 'the updated profile replaced its old line');
    const five = readJsonl(join(out, 'data', 'profiles.jsonl')).find((p) => p.id === changed.id) as { attributes: { properties: Record<string, unknown> } };
    assert.equal(five.attributes.properties['Favorite Genre'], 'Bossa Nova');
    const eventIds = ids(join(out, 'data', 'events.jsonl'));
    assert.equal(eventIds.length, 2304, 'three new events; the one in the overlap window is not duplicated');
    assert.equal(new Set(eventIds).size, 2304);
    assert.equal(ids(join(out, 'data', 'list-members', 'L00000.jsonl')).length, 231);
    const record = readPullRecord(out);
    assert.equal(record?.mode, 'incremental');
    const loaded = await loadClean(out);
    assert.equal(loaded.workspace.profileCount, 231);
    assert.equal(loaded.workspace.eventCount, 2304);
  });
});

describe('pull engine', function () {
  this.timeout(30000);
  let fake: FakeKlaviyo;
  beforeEach(async () => {
    fake = await new FakeKlaviyo(makeFixture({ profiles: 120, events: 1200, lists: 3 })).start();
  });
  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.violations, []);
  });

  it('--max-profiles and --since: a sample of profiles with only their memberships and events', async () => {
    const out = join(tempDir('sample'), 'ws');
    const since = '2025-01-20';
    const result = await pull(fake, { out, maxProfiles: 50, since });
    assert.equal(result.counts.profiles, 50);
    assert.equal(fake.requestsTo('GET', '/api/profiles').length, 1, 'stops fetching profiles once it has 50');
    const filter = fake.requestsTo('GET', '/api/events')[0].query.filter;
    assert.equal(filter, 'greater-or-equal(datetime,2025-01-20T00:00:00Z)');
    const sample = new Set(ids(join(out, 'data', 'profiles.jsonl')));
    for (const event of readJsonl(join(out, 'data', 'events.jsonl')) as {
      attributes: { datetime: string };
      relationships: { profile: { data: { id: string } } };
    }[]) {
      assert.ok(sample.has(event.relationships.profile.data.id));
      assert.ok(Date.parse(event.attributes.datetime) >= Date.parse('2025-01-20T00:00:00Z'));
    }
    for (const id of ids(join(out, 'data', 'list-members', 'L00000.jsonl'))) assert.ok(sample.has(id));
    assert.match(result.notes.join(' '), /Limited to 50 profiles/);
    await loadClean(out);
  });

  it('--since without an offset is UTC on any machine; an impossible date is refused before any request', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const result = await pull(fake, { out: join(tempDir('since-utc'), 'ws'), maxProfiles: 5, since: '2025-01-20T06:30:00' });
      assert.equal(fake.requestsTo('GET', '/api/events')[0].query.filter, 'greater-or-equal(datetime,2025-01-20T06:30:00Z)');
      assert.equal(readPullRecord(result.out)?.since, '2025-01-20T06:30:00Z');
      const before = fake.requests.length;
      const error = await expectPullFailure(pull(fake, { out: join(tempDir('since-bad'), 'ws'), since: '2025-02-30' }));
      assert.equal(error.kind, 'config');
      assert.match(error.message, /--since: expected an ISO date such as 2025-01-01 or 2025-01-01T00:00:00Z \(got "2025-02-30"\)/);
      assert.equal(fake.requests.length, before, 'nothing sent');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('retries 429s, 500s and slow pages during a pull and still writes everything once', async () => {
    fake.fault({ when: (r) => r.path.startsWith('/api/profiles'), status: 429, retryAfter: '0.1' });
    fake.fault({ when: (r) => r.path.startsWith('/api/events'), status: 500, times: 2 });
    fake.fault({ when: (r) => r.path.startsWith('/api/lists/L00001'), delayMs: 200 });
    const out = join(tempDir('faults'), 'ws');
    const result = await pull(fake, { out });
    assert.equal(result.counts.profiles, 120);
    assert.equal(result.counts.events, 1200);
    assert.equal(fake.requests.filter((r) => r.status === 429).length, 1);
    assert.equal(fake.requests.filter((r) => r.status === 500).length, 2);
    await loadClean(out);
  });

  it('a failure changes nothing in the existing workspace, says what to do, and names the missing scope', async () => {
    const out = join(tempDir('untouched'), 'ws');
    await pull(fake, { out });
    mkdirSync(join(out, 'segments'));
    writeFileSync(join(out, 'segments', 'mine.json'), '{"condition_groups": []}');
    const before = hashTree(out);
    fake.scopes = ['metrics:read', 'lists:read', 'profiles:read', 'segments:read'];
    const error = await expectPullFailure(pull(fake, { out, incremental: true }));
    assert.equal(error.kind, 'forbidden');
    assert.match(error.message, /GET \/api\/events \(403 Forbidden\): it needs the `events:read` scope/);
    assert.match(error.message, /Nothing in .* was changed; run the same pull again to resume/);
    assert.equal(hashTree(out), before, 'the workspace is byte for byte what it was');

    // With the scope granted the rerun resumes and completes, keeping the user's own files.
    fake.scopes = ['metrics:read', 'lists:read', 'profiles:read', 'events:read', 'segments:read'];
    const result = await pull(fake, { out, incremental: true });
    assert.ok(result.resumed);
    assert.ok(existsSync(join(out, 'segments', 'mine.json')));
    await loadClean(out);
  });

  it('cancelling stops at once and the next run resumes', async () => {
    const out = join(tempDir('cancel'), 'ws');
    const controller = new AbortController();
    const error = await expectPullFailure(
      pull(fake, { out, signal: controller.signal, onProgress: (p) => p.step === 'profiles' && p.pages === 1 && controller.abort() }),
    );
    assert.equal(error.kind, 'cancelled');
    assert.ok(!existsSync(out));
    const result = await pull(fake, { out });
    assert.ok(result.resumed);
    assert.equal(result.counts.profiles, 120);
    await loadClean(out);
  });

  it('--fresh discards an interrupted pull; other options start over too', async () => {
    const out = join(tempDir('fresh'), 'ws');
    fake.dropAfter = 4;
    await expectPullFailure(pull(fake, { out }));
    fake.dropAfter = undefined;
    const fresh = await pull(fake, { out, fresh: true });
    assert.equal(fresh.resumed, false);
    assert.equal(fake.requestsTo('GET', '/api/metrics').length, 2, 'fetched from the start again');
  });

  it('refuses an incremental pull without a previous one, and a folder that is not a workspace', async () => {
    const out = join(tempDir('refuse'), 'ws');
    const noPrevious = await expectPullFailure(pull(fake, { out, incremental: true }));
    assert.equal(noPrevious.kind, 'config');
    assert.match(noPrevious.message, /run a full pull first/);
    mkdirSync(join(out, 'data'), { recursive: true });
    const notWorkspace = await expectPullFailure(pull(fake, { out }));
    assert.match(notWorkspace.message, /not a Segment Lens workspace/);
    assert.equal(fake.requests.length, 0, 'nothing was requested');
  });
});
