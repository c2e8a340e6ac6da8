/**
 * Klaviyo's rate limits are fixed windows per endpoint: so many requests per second (burst) and
 * per minute (steady), counted as requests arrive. The fake enforces them; a pull must never
 * cause a 429 by itself. The client and the fake share a virtual clock whose `sleep` advances
 * time at once, so minutes of pacing cost no real time.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { KlaviyoClient, type Timing } from '../../server/src/klaviyo/client';
import { pullWorkspace } from '../../server/src/klaviyo/pull';
import type { Clock } from '../../server/src/klaviyo/rateLimiter';
import { ApiKey } from '../../server/src/klaviyo/secret';
import { FakeKlaviyo, KLAVIYO_LIMITS, makeFixture, tempDir, TEST_KEY } from './fakeKlaviyo';

/** Virtual time: `sleep` moves it forward instead of waiting. */
function virtualClock(): Clock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += Math.max(0, ms)) };
}

/** The endpoints a pull calls (their documented limits: KLAVIYO_LIMITS, independent of server/src/klaviyo/endpoints.ts). */
const PULLED = ['GET metrics', 'GET profiles-predictive', 'GET lists', 'GET list-profiles', 'GET events'];

/**
 * Where n+1 requests fall within one window length of each other: some alignment of Klaviyo's
 * windows would count them together. Empty when the requests respect the limit whatever the
 * server's window boundaries are.
 */
function crowdedSpans(arrivals: readonly number[], limit: number, windowMs: number): string[] {
  const spans: string[] = [];
  for (let i = limit; i < arrivals.length; i++) {
    if (arrivals[i] - arrivals[i - limit] < windowMs) spans.push(`requests ${i - limit + 1}..${i + 1} within ${arrivals[i] - arrivals[i - limit]} ms`);
  }
  return spans;
}

describe('Klaviyo rate limits (fixed windows)', function () {
  this.timeout(60_000);
  // 160 one-metric pages: more than the 150/min steady limit of GET /api/metrics. 2,500 profiles:
  // 25 pages of GET /api/profiles with predictive_analytics (10/s).
  const fixture = () => makeFixture({ metrics: 160, profiles: 2500, events: 2300, lists: 12 });
  const timing: Partial<Timing> = { retryBaseMs: 5, retryMaxMs: 40, maxRetries: 4, requestTimeoutMs: 10_000 };
  let fake: FakeKlaviyo;

  afterEach(async () => {
    await fake.stop();
    assert.deepEqual(fake.violations, []);
  });

  it('the fake answers 429 when a client ignores the windows', async () => {
    const clock = virtualClock();
    fake = await new FakeKlaviyo(fixture(), { metricsPageSize: 1, rateWindows: { now: clock.now } }).start();
    const client = new KlaviyoClient({ apiKey: new ApiKey(TEST_KEY), baseUrl: fake.url, clock, timing: { ...timing, rateScale: 0, maxRetries: 40 } });
    await pullWorkspace({ out: join(tempDir('unpaced'), 'ws'), client });
    assert.ok(
      fake.throttled.some((t) => t.startsWith('GET metrics: request 11 in the 1000 ms window')),
      fake.throttled.slice(0, 3).join('\n'),
    );
    assert.ok(fake.requests.some((r) => r.status === 429));
  });

  it('a fast pull never exceeds a burst or steady window, whatever their alignment: no 429', async () => {
    const clock = virtualClock();
    fake = await new FakeKlaviyo(fixture(), { metricsPageSize: 1, rateWindows: { now: clock.now } }).start();
    const client = new KlaviyoClient({ apiKey: new ApiKey(TEST_KEY), baseUrl: fake.url, clock, timing: { ...timing, rateScale: 1 } });
    const result = await pullWorkspace({ out: join(tempDir('paced'), 'ws'), client });
    assert.equal(result.counts.metrics, 160);
    assert.equal(result.counts.profiles, 2500);
    assert.deepEqual(fake.throttled, []);
    assert.deepEqual(
      fake.requests.filter((r) => r.status === 429).map((r) => r.path),
      [],
    );
    for (const endpoint of PULLED) {
      const limits = KLAVIYO_LIMITS[endpoint];
      assert.ok((fake.arrivals.get(endpoint) ?? []).length > 0, `the pull called ${endpoint}`);
      const arrivals = fake.arrivals.get(endpoint) ?? [];
      assert.deepEqual(crowdedSpans(arrivals, limits.perSecond, 1000), [], `${endpoint}: burst`);
      assert.deepEqual(crowdedSpans(arrivals, limits.perMinute, 60_000), [], `${endpoint}: steady`);
    }
    const metrics = fake.arrivals.get('GET metrics') ?? [];
    assert.equal(metrics.length, 160);
    // 160 requests at 150/min: the 151st waits for the first one's minute to pass.
    assert.ok(metrics[150] - metrics[0] >= 60_000, `the 151st metrics request came ${metrics[150] - metrics[0]} ms after the first`);
  });
});
