/**
 * `segment-lens pull-segments` and `segment-lens push`: the CLI against the fake API for the
 * main paths, the push logic in-process for the rest (budget, 429, 404, no-op, write-back).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KlaviyoClient, type Timing } from '../../server/src/klaviyo/client';
import { CreationBudget } from '../../server/src/klaviyo/creationBudget';
import { alignKeys, unifiedDiff } from '../../server/src/klaviyo/diff';
import { KlaviyoError } from '../../server/src/klaviyo/errors';
import { executePush, fetchSegment, planPush, previewPush, pullSegments, textAfterPush, type PushPlan } from '../../server/src/klaviyo/segments';
import { ApiKey } from '../../server/src/klaviyo/secret';
import { SegmentLanguage } from '../../server/src/segment/languageService';
import { cliEnv, FakeKlaviyo, makeFixture, runCli, segmentDefinition, tempDir, TEST_KEY, transcript } from './fakeKlaviyo';

const FAST: Partial<Timing> = { rateScale: 0, retryBaseMs: 5, retryMaxMs: 40, maxRetries: 2, requestTimeoutMs: 3000, maxRetryAfterSeconds: 60 };
const language = new SegmentLanguage();

function engineClient(fake: FakeKlaviyo): KlaviyoClient {
  return new KlaviyoClient({ apiKey: new ApiKey(TEST_KEY), baseUrl: fake.url, timing: FAST });
}

function okPlan(text: string, options: Parameters<typeof planPush>[1] = {}): PushPlan {
  const outcome = planPush(text, { language, ...options });
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.reason} ${outcome.problems.map((p) => p.message).join('; ')}`);
  return outcome.plan;
}

function writes(fake: FakeKlaviyo) {
  return fake.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH');
}

const createBody = (name: string, listId = 'L00002') =>
  `${JSON.stringify({ data: { type: 'segment', attributes: { name, definition: segmentDefinition(listId, 14), is_starred: false } } }, null, 2)}\n`;

describe('segment-lens pull-segments and push (CLI)', function () {
  this.timeout(60000);
  let fake: FakeKlaviyo;
  let dir: string;

  before(async () => {
    fake = await new FakeKlaviyo(makeFixture({ profiles: 20, events: 10 })).start();
    dir = tempDir('cli-segments');
  });
  after(async () => {
    await fake.stop();
  });
  afterEach(() => assert.deepEqual(fake.violations, []));

  it('pull-segments writes every segment as segments/segment-<ID>.json holding the resource object', async () => {
    const run = await runCli(['pull-segments', '--out', dir, '--base-url', fake.url], { env: cliEnv(fake) });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /13 segments in the account: 13 written, 0 unchanged/);
    assert.equal(fake.requestsTo('GET', '/api/segments').length, 2, '13 segments at 10 per page');
    const files = readdirSync(join(dir, 'segments')).sort();
    assert.equal(files.length, 13);
    assert.equal(files[0], 'segment-S00000.json');
    const text = readFileSync(join(dir, 'segments', 'segment-S00003.json'), 'utf8');
    assert.match(text, /^\{\n {4}"type": "segment",\n {4}"id": "S00003",/, 'headless-klaviyo layout: the resource object, 4-space JSON');
    const resource = JSON.parse(text) as { type: string; id: string; attributes: Record<string, unknown>; links: unknown; relationships?: unknown };
    assert.deepEqual(Object.keys(resource.attributes).sort(), ['created', 'definition', 'is_active', 'is_processing', 'is_starred', 'name', 'updated']);
    assert.ok(resource.links);
    assert.equal(resource.relationships, undefined);
    const parsed = language.parse(text);
    assert.equal(parsed.shape, 'resource');
    assert.deepEqual(
      language.validate(parsed).filter((p) => p.severity === 'error'),
      [],
    );
  });

  it('push of a pulled file shows the diff against the account and updates it with PATCH', async () => {
    const file = join(dir, 'segments', 'segment-S00001.json');
    const resource = JSON.parse(readFileSync(file, 'utf8')) as {
      attributes: { definition: { condition_groups: { conditions: { timeframe_filter: { quantity: number } }[] }[] } };
    };
    resource.attributes.definition.condition_groups[0].conditions[0].timeframe_filter.quantity = 45;
    writeFileSync(file, JSON.stringify(resource, null, 4));
    const run = await runCli(['push', file, '--yes', '--base-url', fake.url], { env: cliEnv(fake) });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Update segment S00001 "Segment 1" with PATCH \/api\/segments\/S00001/);
    assert.match(run.stdout, /^-\s+"quantity": 31$/m);
    assert.match(run.stdout, /^\+\s+"quantity": 45$/m);
    assert.match(run.stdout, /Updated segment S00001/);
    const [get] = fake.requestsTo('GET', '/api/segments/S00001');
    const [patch] = writes(fake);
    assert.ok(get.at <= patch.at, 'the current definition is fetched first');
    assert.equal(patch.method, 'PATCH');
    assert.equal(patch.path, '/api/segments/S00001');
    assert.equal(patch.headers['content-type'], 'application/vnd.api+json');
    const body = patch.body as { data: { type: string; id: string; attributes: Record<string, unknown> } };
    assert.equal(body.data.id, 'S00001');
    assert.deepEqual(Object.keys(body.data.attributes).sort(), ['definition', 'is_starred', 'name'], 'only what PATCH accepts (no is_active, created, …)');
    const stored = fake.data.segments.find((s) => s.id === 'S00001') as unknown as { attributes: { definition: unknown } };
    assert.deepEqual(stored.attributes.definition, resource.attributes.definition);
    assert.match(run.stderr, /Refreshed .*segment-S00001\.json from the account/);
  });

  it('push of a create body POSTs it (valid against the schema) and writes the new id back for the next push', async () => {
    const file = join(dir, 'new-segment.json');
    writeFileSync(file, createBody('Joined list 2 recently'));
    const run = await runCli(['push', file, '--yes', '--base-url', fake.url], { env: cliEnv(fake) });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Create a new segment "Joined list 2 recently" \(1 condition group, 1 condition\) with POST \/api\/segments/);
    assert.match(run.stdout, /Created segment N1000 "Joined list 2 recently"/);
    const post = writes(fake).find((r) => r.method === 'POST');
    assert.ok(post);
    assert.equal(post.path, '/api/segments');
    const after = JSON.parse(readFileSync(file, 'utf8')) as { data: { id: string } };
    assert.equal(after.data.id, 'N1000');
    const plan = okPlan(readFileSync(file, 'utf8'));
    assert.equal(plan.action, 'update', 'with the id written back, the next push updates the segment');
  });

  it('--dry-run prints the diff and the request (key redacted) and sends no write', async () => {
    const file = join(dir, 'segments', 'segment-S00002.json');
    const resource = JSON.parse(readFileSync(file, 'utf8')) as { attributes: { name: string } };
    resource.attributes.name = 'Renamed in a dry run';
    writeFileSync(file, JSON.stringify(resource, null, 4));
    const before = writes(fake).length;
    const run = await runCli(['push', file, '--dry-run', '--base-url', fake.url], { env: cliEnv(fake) });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Name: "Segment 2" → "Renamed in a dry run"/);
    assert.match(run.stdout, new RegExp(`PATCH ${fake.url.replace(/[.]/g, '\\.')}/api/segments/S00002`));
    assert.match(run.stdout, /Authorization: Klaviyo-API-Key \[redacted\]/);
    assert.match(run.stdout, /"name": "Renamed in a dry run"/);
    assert.match(run.stdout, /Dry run: nothing was sent/);
    assert.equal(writes(fake).length, before, 'no POST or PATCH reached the API');
    assert.equal((fake.data.segments.find((s) => s.id === 'S00002') as unknown as { attributes: { name: string } }).attributes.name, 'Segment 2');
  });

  it('refuses a definition with errors, pointing at them, without contacting the API', async () => {
    const file = join(dir, 'broken.segment.json');
    writeFileSync(file, '{"condition_groups": [{"conditions": [{"type": "profile-group-membership", "is_member": "yes"}]}]}\n');
    const before = fake.requests.length;
    const run = await runCli(['push', file, '--yes', '--base-url', fake.url], { env: cliEnv(fake) });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /broken\.segment\.json:1:\d+: error: /);
    assert.match(run.stderr, /not pushed: The definition has \d+ errors?/);
    assert.equal(fake.requests.length, before);
  });

  it('asks before pushing, and refuses without --yes when stdin is not a terminal', async () => {
    const file = join(dir, 'segments', 'segment-S00004.json');
    const resource = JSON.parse(readFileSync(file, 'utf8')) as { attributes: { is_starred: boolean } };
    resource.attributes.is_starred = !resource.attributes.is_starred;
    writeFileSync(file, JSON.stringify(resource, null, 4));
    const before = writes(fake).length;
    const run = await runCli(['push', file, '--base-url', fake.url], { env: cliEnv(fake), input: 'y\n' });
    assert.equal(run.code, 2);
    assert.match(run.stdout, /Starred: true → false/);
    assert.match(run.stderr, /confirmation needed, but stdin is not a terminal.*--yes/s);
    assert.equal(writes(fake).length, before);
  });
});

describe('push logic', function () {
  this.timeout(30000);
  let fake: FakeKlaviyo;
  let budgetFile: string;
  beforeEach(async () => {
    fake = await new FakeKlaviyo(makeFixture({ profiles: 5, events: 5 })).start();
    budgetFile = join(tempDir('budget'), 'klaviyo-creations.json');
  });
  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.violations, []);
  });

  it('plans each file shape: create body, update body, resource with and without id, bare definition', () => {
    assert.equal(okPlan(createBody('A')).request.method, 'POST');
    const update = okPlan(JSON.stringify({ data: { type: 'segment', id: 'S00001', attributes: { is_active: false } } }));
    assert.deepEqual(
      [update.action, update.request.path, update.request.body],
      ['update', '/api/segments/S00001', { data: { type: 'segment', id: 'S00001', attributes: { is_active: false } } }],
    );
    const bare = okPlan(JSON.stringify(segmentDefinition('L00000')), { fileName: 'vip-buyers.segment.json' });
    assert.deepEqual([bare.action, bare.name], ['create', 'Vip buyers']);
    const named = okPlan(JSON.stringify(segmentDefinition('L00000')), { name: 'VIP' });
    assert.deepEqual(named.request.body, { data: { type: 'segment', attributes: { name: 'VIP', definition: segmentDefinition('L00000') } } });
    const byId = okPlan(JSON.stringify(segmentDefinition('L00000')), { id: 'S00003' });
    assert.deepEqual([byId.action, byId.request.method, byId.request.path], ['update', 'PATCH', '/api/segments/S00003']);
    const resource = okPlan(
      JSON.stringify({
        type: 'segment',
        attributes: { name: 'R', definition: segmentDefinition('L00000'), is_starred: true, is_active: true, is_processing: false, created: null },
      }),
    );
    assert.deepEqual(resource.request.body, {
      data: { type: 'segment', attributes: { name: 'R', definition: segmentDefinition('L00000'), is_starred: true } },
    });

    const condition = planPush('{"type": "profile-region", "in_region": true, "region_id": "european_union"}', { language });
    assert.ok(!condition.ok && condition.problems.some((p) => p.code === 'single-condition'), 'a lone condition is refused');
    const deactivateAndRename = planPush(JSON.stringify({ data: { type: 'segment', id: 'S1', attributes: { is_active: false, name: 'x' } } }), { language });
    assert.ok(!deactivateAndRename.ok, 'a deactivating PATCH with other attributes is refused');
    const comments = planPush('// note\n{"condition_groups": []}', { language, name: 'x' });
    assert.ok(!comments.ok, 'comments are not strict JSON');
  });

  it('a bare definition is created with its name; an unchanged segment is not pushed', async () => {
    const client = engineClient(fake);
    const plan = okPlan(JSON.stringify(segmentDefinition('L00001', 7)), { name: 'Week one' });
    const created = await executePush(client, plan, { apiKey: new ApiKey(TEST_KEY), budget: new CreationBudget(budgetFile) });
    assert.equal(created.attributes?.name, 'Week one');
    const same = okPlan(JSON.stringify({ type: 'segment', id: created.id, attributes: created.attributes }));
    const preview = previewPush(same, await fetchSegment(client, created.id));
    assert.equal(preview.changed, false);
    assert.equal(preview.diff, '');
    assert.match(preview.summary.join(' '), /nothing to push/);
  });

  it('stops before the 100/day creation limit using the local count, without calling the API', async () => {
    const key = new ApiKey(TEST_KEY);
    const account = key.fingerprint(fake.url);
    const now = Date.now();
    writeFileSync(
      budgetFile,
      JSON.stringify({
        version: 1,
        accounts: { [account]: { created: Array.from({ length: 100 }, (_, i) => new Date(now - (i + 1) * 60_000).toISOString()) } },
      }),
    );
    const error = await executePush(engineClient(fake), okPlan(createBody('One too many')), { apiKey: key, budget: new CreationBudget(budgetFile) }).then(
      () => assert.fail('should be refused'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof KlaviyoError);
    transcript.push(error.message);
    assert.equal(error.kind, 'budget');
    assert.match(error.message, /created 100 segments in the last 24 hours .* limit is 100 per day; the next creation is possible at \d{4}-/);
    assert.equal(writes(fake).length, 0);
    // Updates are not creations: still allowed.
    const update = await executePush(
      engineClient(fake),
      okPlan(JSON.stringify({ data: { type: 'segment', id: 'S00001', attributes: { name: 'Still fine' } } })),
      { apiKey: key, budget: new CreationBudget(budgetFile) },
    );
    assert.equal(update.attributes?.name, 'Still fine');
  });

  it("reports Klaviyo's own 429 for the daily limit clearly, at once, and remembers it", async () => {
    fake.creationsLeftToday = 0;
    const key = new ApiKey(TEST_KEY);
    const budget = new CreationBudget(budgetFile);
    const started = Date.now();
    const first = await executePush(engineClient(fake), okPlan(createBody('Over the limit')), { apiKey: key, budget }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(first instanceof KlaviyoError);
    transcript.push(first.message);
    assert.equal(first.kind, 'rate-limited');
    assert.match(first.message, /rate limit for POST \/api\/segments is used up \(1\/s burst, 15\/min steady, 100\/day\); it asks to wait 24\.0 h/);
    assert.ok(Date.now() - started < 5000, 'no waiting a day');
    assert.equal(writes(fake).length, 1);
    const second = await executePush(engineClient(fake), okPlan(createBody('Still over')), { apiKey: key, budget }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(second instanceof KlaviyoError);
    assert.equal(second.kind, 'budget');
    assert.match(second.message, /used up for this account until/);
    assert.equal(writes(fake).length, 1, 'the second push was stopped locally');
  });

  it('an update of a segment that no longer exists says so', async () => {
    const error = await fetchSegment(engineClient(fake), 'GONE01').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof KlaviyoError);
    assert.match(error.message, /no segment GONE01 \(404\)/);
  });

  it('pull-segments keeps local edits unless forced, and reports files of deleted segments', async () => {
    const out = tempDir('pull-segments');
    const client = engineClient(fake);
    await pullSegments({ out, client });
    const file = join(out, 'segments', 'segment-S00000.json');
    const edited = readFileSync(file, 'utf8').replace('"Segment 0"', '"Edited here"');
    writeFileSync(file, edited);
    writeFileSync(join(out, 'segments', 'segment-DELETED.json'), '{}');
    const again = await pullSegments({ out, client });
    assert.equal(again.unchanged.length, 12);
    assert.deepEqual(
      again.kept.map((k) => k.reason),
      ['edited-locally'],
    );
    assert.equal(readFileSync(file, 'utf8'), edited);
    assert.deepEqual(
      again.orphans.map((o) => o.split(/[\\/]/).pop()),
      ['segment-DELETED.json'],
    );
    const forced = await pullSegments({ out, client, force: true });
    assert.equal(forced.written.length, 1);
    assert.match(readFileSync(file, 'utf8'), /"Segment 0"/);
  });

  it('a failed pull-segments writes nothing', async () => {
    const out = tempDir('pull-segments-fail');
    fake.fault({ when: (r) => Boolean(r.query['page[cursor]']), status: 500, times: 10 });
    const error = await pullSegments({ out, client: engineClient(fake) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof KlaviyoError);
    assert.deepEqual(readdirSync(out), []);
  });

  it('diffs ignore key order and show changed lines; the write-back inserts the id', () => {
    const before = alignKeys({ b: 1, a: { y: 2, x: 1 } }, { a: { x: 0, y: 0 }, b: 0 });
    assert.equal(JSON.stringify(before), '{"a":{"x":1,"y":2},"b":1}');
    const diff = unifiedDiff('a\nb\nc\nd\n', 'a\nB\nc\nd\ne\n', { before: 'klaviyo', after: 'local' });
    assert.equal(diff, '--- klaviyo\n+++ local\n@@ -1,4 +1,5 @@\n a\n-b\n+B\n c\n d\n+e\n');
    const original = createBody('X');
    const plan = okPlan(original);
    const text = textAfterPush(original, plan, { type: 'segment', id: 'NEW123', attributes: {} });
    assert.ok(text);
    assert.equal((JSON.parse(text) as { data: { id: string } }).data.id, 'NEW123');
    assert.ok(text.startsWith('{\n  "data": {'), 'formatting kept');
  });
});
