/**
 * The Klaviyo HTTP client against the fake API: headers, pagination, retries, rate limits,
 * error messages and the key's redaction.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { KlaviyoClient, normalizeBaseUrl, parseRetryAfter, type Timing } from '../../server/src/klaviyo/client';
import { KlaviyoError } from '../../server/src/klaviyo/errors';
import { RateLimiter, type Clock, type Limit } from '../../server/src/klaviyo/rateLimiter';
import { ApiKey, apiKeyFromEnvironment, redact } from '../../server/src/klaviyo/secret';
import { FakeKlaviyo, makeFixture, TEST_KEY, transcript } from './fakeKlaviyo';

const FAST: Partial<Timing> = { rateScale: 0, retryBaseMs: 5, retryMaxMs: 40, maxRetries: 3, requestTimeoutMs: 3000, maxRetryAfterSeconds: 30 };

function client(fake: FakeKlaviyo, options: { key?: string; timing?: Partial<Timing>; baseUrl?: string } = {}): KlaviyoClient {
  return new KlaviyoClient({ apiKey: new ApiKey(options.key ?? TEST_KEY), baseUrl: options.baseUrl ?? fake.url, timing: { ...FAST, ...options.timing } });
}

/** Runs `fn`, expects a KlaviyoError, records its message in the transcript (for the secrets test). */
async function failure(fn: () => Promise<unknown>): Promise<KlaviyoError> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof KlaviyoError, `expected a KlaviyoError, got ${String(error)}`);
    transcript.push(error.message, JSON.stringify(error.errors), inspect(error));
    return error;
  }
  assert.fail('expected a failure');
}

describe('Klaviyo client', function () {
  this.timeout(20000);
  let fake: FakeKlaviyo;

  beforeEach(async () => {
    fake = await new FakeKlaviyo(makeFixture({ profiles: 30, events: 50 }), { metricsPageSize: 2 }).start();
  });
  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.violations, [], 'the fake API saw invalid requests');
  });

  it('sends the revision, Accept and Authorization headers and follows links.next through every page', async () => {
    const c = client(fake);
    const ids: string[] = [];
    for await (const page of c.pages('metrics', '/api/metrics')) ids.push(...page.data.map((m) => m.id));
    assert.equal(ids.length, 5);
    const requests = fake.requestsTo('GET', '/api/metrics');
    assert.equal(requests.length, 3, 'three pages of two');
    for (const r of requests) {
      assert.equal(r.headers.revision, '2026-07-15');
      assert.equal(r.headers.accept, 'application/vnd.api+json');
      assert.equal(r.headers.authorization, `Klaviyo-API-Key ${TEST_KEY}`);
      assert.equal(r.headers['content-type'], undefined, 'no Content-Type on a GET');
    }
    assert.ok(requests[1].query['page[cursor]'], 'the second page is fetched with the cursor from links.next');
  });

  it('re-bases links.next that point at another host onto the base URL (a proxy), so the key goes nowhere else', async () => {
    await fake.stop();
    fake = await new FakeKlaviyo(makeFixture({ profiles: 30 }), { linkOrigin: 'https://a.klaviyo.com', metricsPageSize: 2 }).start();
    const c = client(fake);
    let pages = 0;
    for await (const _page of c.pages('metrics', '/api/metrics')) pages++;
    assert.equal(pages, 3);
    assert.equal(c.relativePath('https://a.klaviyo.com/api/profiles/?page%5Bcursor%5D=x'), '/api/profiles/?page%5Bcursor%5D=x');
    const proxied = new KlaviyoClient({ apiKey: new ApiKey(TEST_KEY), baseUrl: 'https://proxy.example.com/klaviyo/' });
    assert.equal(proxied.baseUrl, 'https://proxy.example.com/klaviyo');
    assert.equal(proxied.urlOf('/api/segments'), 'https://proxy.example.com/klaviyo/api/segments');
    assert.equal(proxied.relativePath('https://proxy.example.com/klaviyo/api/segments/?page%5Bcursor%5D=y'), '/api/segments/?page%5Bcursor%5D=y');
  });

  it('honours 429 Retry-After before retrying', async () => {
    fake.fault({ when: (r) => r.path.startsWith('/api/profiles'), status: 429, retryAfter: '0.4' });
    const page = await client(fake).getPage('profiles', '/api/profiles?page[size]=10');
    assert.equal(page.data.length, 10);
    const [first, second] = fake.requestsTo('GET', '/api/profiles');
    assert.equal(first.status, 429);
    assert.equal(second.status, 200);
    assert.ok(second.at - first.at >= 390, `waited ${second.at - first.at} ms, Retry-After asked 400`);
  });

  it('backs off and retries 500s and 503s, then succeeds', async () => {
    fake.fault({ status: 500, times: 2 }).fault({ status: 503 });
    const page = await client(fake).getPage('lists', '/api/lists');
    assert.equal(page.data.length, 10);
    assert.deepEqual(
      fake.requests.map((r) => r.status),
      [500, 500, 503, 200],
    );
  });

  it('gives up after the configured retries with a clear message', async () => {
    fake.fault({ status: 502, times: 10 });
    const error = await failure(() => client(fake).getPage('lists', '/api/lists'));
    assert.equal(error.kind, 'server');
    assert.match(error.message, /Klaviyo failed on GET \/api\/lists \(HTTP 502\) 4 times in a row/);
    assert.equal(fake.requests.length, 4, 'one try and three retries');
  });

  it('fails at once when Retry-After is longer than allowed (e.g. the daily limit) and says until when', async () => {
    fake.fault({ status: 429, retryAfter: '7200' });
    const error = await failure(() => client(fake).getPage('segments', '/api/segments'));
    assert.equal(error.kind, 'rate-limited');
    assert.equal(error.retryAfterSeconds, 7200);
    assert.match(error.message, /rate limit for GET \/api\/segments is used up .*wait 2\.0 h, until \d{4}-\d{2}-\d{2}T/);
    assert.equal(fake.requests.length, 1);
  });

  it('waits for slow responses, and retries one that exceeds the timeout', async () => {
    fake.fault({ delayMs: 300 });
    const slow = await client(fake).getPage('lists', '/api/lists');
    assert.equal(slow.data.length, 10);
    fake.fault({ delayMs: 1500 });
    const started = Date.now();
    const retried = await client(fake, { timing: { requestTimeoutMs: 400 } }).getPage('lists', '/api/lists');
    assert.equal(retried.data.length, 10);
    assert.ok(Date.now() - started < 1400, 'the timed-out request was abandoned, not awaited');
    assert.equal(fake.requests.length, 3);
  });

  it('retries a dropped connection', async () => {
    fake.fault({ drop: true });
    const page = await client(fake).getPage('lists', '/api/lists');
    assert.equal(page.data.length, 10);
    assert.equal(fake.requests.length, 2);
  });

  it('explains a 401 (wrong key) without retrying', async () => {
    const error = await failure(() => client(fake, { key: 'pk_wrong0000000000000000000000000000' }).getPage('lists', '/api/lists'));
    assert.equal(error.kind, 'unauthorized');
    assert.equal(error.status, 401);
    assert.match(error.message, /rejected the API key \(401 Unauthorized\)/);
    assert.doesNotMatch(error.message, /pk_wrong/);
    assert.equal(fake.requests.length, 1);
    const publicKey = await failure(() => client(fake, { key: 'AbC123' }).getPage('lists', '/api/lists'));
    assert.match(publicKey.message, /does not start with "pk_"/);
  });

  it('names the missing scope on a 403', async () => {
    fake.scopes = ['metrics:read', 'lists:read'];
    const cases: [Parameters<KlaviyoClient['getPage']>[0], string, RegExp][] = [
      ['events', '/api/events', /needs the `events:read` scope \(Read access to Events\)/],
      ['profiles-predictive', '/api/profiles', /needs the `profiles:read` scope/],
      ['list-profiles', '/api/lists/L00000/profiles', /needs the `lists:read` and `profiles:read` scopes/],
      ['segments', '/api/segments', /needs the `segments:read` scope/],
    ];
    for (const [endpoint, path, message] of cases) {
      const error = await failure(() => client(fake).getPage(endpoint, path));
      assert.equal(error.kind, 'forbidden');
      assert.match(error.message, /403 Forbidden/);
      assert.match(error.message, message);
    }
    const write = await failure(() =>
      client(fake).write('segment-create', '/api/segments', { data: { type: 'segment', attributes: { name: 'x', definition: { condition_groups: [] } } } }),
    );
    assert.match(write.message, /POST \/api\/segments \(403 Forbidden\): it needs the `segments:write` scope/);
  });

  it('scrubs the key from errors even when a proxy echoes it back', async () => {
    fake.fault({ echoAuthorization: true });
    const error = await failure(() => client(fake).getPage('lists', '/api/lists'));
    assert.equal(error.kind, 'bad-request');
    assert.match(error.message, /Bad header: Klaviyo-API-Key \[redacted\]/);
    assert.ok(!error.message.includes(TEST_KEY));
    assert.ok(!JSON.stringify(error.errors).includes(TEST_KEY));
    assert.ok(!inspect(error).includes(TEST_KEY));
  });

  it('paces segment writes to the burst limit (scaled), so the API never sees two within a second', async () => {
    await fake.stop();
    fake = await new FakeKlaviyo(makeFixture({ profiles: 5 }), { writeIntervalMs: 100 }).start();
    const sent: number[] = [];
    const c = new KlaviyoClient({
      apiKey: new ApiKey(TEST_KEY),
      baseUrl: fake.url,
      timing: { ...FAST, rateScale: 0.1 },
      onEvent: (e) => void (e.type === 'request' && sent.push(Date.now())),
    });
    for (let i = 0; i < 3; i++) {
      await c.write('segment-update', '/api/segments/S00001', { data: { type: 'segment', id: 'S00001', attributes: { name: `Renamed ${i}` } } });
    }
    const writes = fake.requestsTo('PATCH', '/api/segments');
    assert.equal(writes.length, 3);
    assert.equal(sent.length, 3);
    for (let i = 1; i < sent.length; i++)
      assert.ok(sent[i] - sent[i - 1] >= 99, `writes sent ${sent[i] - sent[i - 1]} ms apart (1/s burst at scale 0.1 = 100 ms)`);
  });

  it('refuses plain http to anything but this machine, and odd base URLs', () => {
    assert.throws(() => normalizeBaseUrl('http://proxy.example.com'), /Refusing to send the API key over plain http/);
    assert.throws(() => normalizeBaseUrl('ftp://a.klaviyo.com'), /must be http\(s\)/);
    assert.throws(() => normalizeBaseUrl('https://a.klaviyo.com/?x=1'), /query/);
    assert.equal(normalizeBaseUrl(undefined), 'https://a.klaviyo.com');
    assert.equal(normalizeBaseUrl('http://127.0.0.1:8080/'), 'http://127.0.0.1:8080');
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('3', now), 3);
    assert.equal(parseRetryAfter('0.25', now), 0.25);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now), 60);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it("reads every HTTP-date form of Retry-After as UTC, whatever the machine's time zone, and ignores impossible dates", () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now), 60);
      assert.equal(parseRetryAfter('Thursday, 01-Jan-26 00:01:00 GMT', now), 60, 'RFC 850');
      assert.equal(parseRetryAfter('Thu Jan  1 00:01:00 2026', now), 60, 'asctime has no zone: HTTP-dates are UTC');
      assert.equal(parseRetryAfter('Mon, 30 Feb 2026 00:01:00 GMT', now), undefined);
      assert.equal(parseRetryAfter('2026-01-01T00:01:00', now), undefined, 'not an HTTP-date');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});

describe('Rate limiter', () => {
  /** A clock whose sleep advances virtual time. */
  function fakeClock(): Clock & { advance(ms: number): void } {
    let t = 0;
    return { now: () => t, sleep: async (ms) => void (t += ms), advance: (ms) => void (t += ms) };
  }
  /** Sends one request through the limiter that is answered at once. */
  const request = async (limiter: RateLimiter, key: string, limit: Limit) => (await limiter.acquire(key, limit))();

  it('lets a burst through, then sends the (n+1)th a full second after the answer to the one n places back', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ clock });
    const limit = { burstPerSecond: 10, steadyPerMinute: 150 };
    for (let i = 0; i < 10; i++) await request(limiter, 'profiles', limit);
    assert.equal(clock.now(), 0, 'the first 10 pass at once');
    await request(limiter, 'profiles', limit);
    assert.equal(clock.now(), 1000, 'the 11th waits until the fixed second of the first has certainly passed');

    // Requests that take 30 ms each: the 11th of any run goes a second after the 1st was answered.
    const paced = new RateLimiter({ clock });
    const sent: number[] = [];
    const answered: number[] = [];
    for (let i = 0; i < 40; i++) {
      const done = await paced.acquire('events', limit);
      sent.push(clock.now());
      clock.advance(30);
      answered.push(clock.now());
      done();
    }
    for (let i = 10; i < 40; i++)
      assert.ok(sent[i] >= answered[i - 10] + 1000, `request ${i + 1} sent ${sent[i] - answered[i - 10]} ms after the answer to request ${i - 9}`);
    assert.equal(sent[10] - sent[0], 1030, 'and not later than that');
  });

  it('keeps an unanswered request in the window until its answer comes', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ clock });
    const limit = { burstPerSecond: 2, steadyPerMinute: 100 };
    const first = await limiter.acquire('slow', limit);
    (await limiter.acquire('slow', limit))();
    let third = false;
    const pending = limiter.acquire('slow', limit).then((done) => {
      third = true;
      done();
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(third, false, 'the third waits while the first is in flight');
    clock.advance(250);
    first();
    await pending;
    assert.equal(clock.now(), 1250, 'then a full second after its answer');
  });

  it('holds to the steady (per-minute) window after the bursts', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ clock });
    const limit = { burstPerSecond: 1, steadyPerMinute: 15 };
    for (let i = 0; i < 15; i++) await request(limiter, 'segment-create', limit);
    assert.equal(clock.now(), 14_000, '15 writes at 1/s take 14 s');
    await request(limiter, 'segment-create', limit);
    assert.equal(clock.now(), 60_000, "the 16th waits until the first one's minute has passed");
  });

  it('keeps separate windows per endpoint, holds an endpoint after a 429, and can be scaled or disabled', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ clock });
    const limit = { burstPerSecond: 2, steadyPerMinute: 100 };
    await request(limiter, 'a', limit);
    await request(limiter, 'a', limit);
    await request(limiter, 'b', limit);
    assert.equal(clock.now(), 0);
    limiter.penalize('b', limit, 500);
    await request(limiter, 'b', limit);
    assert.equal(clock.now(), 500, 'after a 429 the endpoint waits as long as the retry does');

    const scaledClock = fakeClock();
    const scaled = new RateLimiter({ clock: scaledClock, timeScale: 0.01 });
    for (let i = 0; i < 3; i++) await request(scaled, 'x', { burstPerSecond: 1, steadyPerMinute: 60 });
    assert.equal(scaledClock.now(), 20, 'scaled windows are 100 times shorter');

    const off = new RateLimiter({ clock: fakeClock(), timeScale: 0 });
    for (let i = 0; i < 100; i++) await off.acquire('x', { burstPerSecond: 1, steadyPerMinute: 1 });
  });
});

describe('API key guard', () => {
  it('never shows the key when printed, logged, serialized or inspected', () => {
    const key = new ApiKey(TEST_KEY);
    for (const shown of [String(key), `${key}`, JSON.stringify({ key }), inspect(key), inspect({ nested: { key } })]) {
      assert.ok(!shown.includes(TEST_KEY), shown);
    }
    assert.equal(key.authorizationHeader(), `Klaviyo-API-Key ${TEST_KEY}`);
  });

  it('redacts known keys, key-shaped strings and Authorization values from any text', () => {
    new ApiKey('custom-secret-value-123');
    assert.equal(redact('key custom-secret-value-123 here'), 'key [redacted] here');
    assert.equal(redact('Authorization: Klaviyo-API-Key abc123'), 'Authorization: Klaviyo-API-Key [redacted]');
    assert.equal(redact('pk_0123456789abcdef0123456789abcdef01'), '[redacted]');
  });

  it('reads the CLI key from KLAVIYO_API_KEY only and removes it from the environment', () => {
    const env: NodeJS.ProcessEnv = { KLAVIYO_API_KEY: `  ${TEST_KEY}\n` };
    const key = apiKeyFromEnvironment(env);
    assert.ok(key);
    assert.equal(key.authorizationHeader(), `Klaviyo-API-Key ${TEST_KEY}`);
    assert.equal(env.KLAVIYO_API_KEY, undefined);
    assert.equal(apiKeyFromEnvironment({}), undefined);
  });
});
