/**
 * Client-side rate limiting: for every endpoint two token buckets, like Klaviyo's own limits —
 * a burst bucket (N per second) and a steady bucket (M per minute). A request takes one token
 * from each and waits until both have one.
 */

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => abortableSleep(ms, signal),
};

/** setTimeout as a promise that rejects with the signal's reason when aborted. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface Limit {
  burstPerSecond: number;
  steadyPerMinute: number;
}

class TokenBucket {
  private tokens: number;
  private updated: number;

  constructor(readonly capacity: number, readonly refillPerMs: number, now: number) {
    this.tokens = capacity;
    this.updated = now;
  }

  private refill(now: number): void {
    if (now > this.updated) {
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.updated) * this.refillPerMs);
      this.updated = now;
    }
  }

  /** Milliseconds until one token is available (0: now). */
  waitFor(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : (1 - this.tokens) / this.refillPerMs;
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  drain(now: number): void {
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
  }
}

export interface RateLimiterOptions {
  clock?: Clock;
  /**
   * Multiplies every wait (and speeds the refill up accordingly): 1 is real time, 0.01 makes
   * the limits 100 times looser, 0 disables limiting. For tests.
   */
  timeScale?: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { burst: TokenBucket; steady: TokenBucket }>();
  private readonly clock: Clock;
  private readonly timeScale: number;
  /** Requests are taken in order per key, so a burst of callers cannot overtake each other. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.timeScale = options.timeScale ?? 1;
  }

  /** Virtual time: real time stretched by 1/timeScale, so waits shrink by timeScale. */
  private now(): number {
    return this.clock.now() / this.timeScale;
  }

  private bucketsOf(key: string, limit: Limit) {
    let buckets = this.buckets.get(key);
    if (!buckets) {
      const now = this.now();
      buckets = {
        burst: new TokenBucket(Math.max(1, limit.burstPerSecond), limit.burstPerSecond / 1000, now),
        steady: new TokenBucket(Math.max(1, limit.steadyPerMinute), limit.steadyPerMinute / 60_000, now),
      };
      this.buckets.set(key, buckets);
    }
    return buckets;
  }

  /** Waits until a request to `key` fits both buckets, then takes a token from each. */
  acquire(key: string, limit: Limit, signal?: AbortSignal): Promise<void> {
    if (this.timeScale <= 0) return Promise.resolve();
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const buckets = this.bucketsOf(key, limit);
      for (;;) {
        const now = this.now();
        const wait = Math.max(buckets.burst.waitFor(now), buckets.steady.waitFor(now));
        if (wait <= 0) {
          buckets.burst.take(now);
          buckets.steady.take(now);
          return;
        }
        await this.clock.sleep(Math.ceil(wait * this.timeScale), signal);
      }
    });
    this.queues.set(key, next);
    return next;
  }

  /** After a 429: the server says we are over; empty the buckets so the next calls pace themselves. */
  penalize(key: string, limit: Limit): void {
    if (this.timeScale <= 0) return;
    const buckets = this.bucketsOf(key, limit);
    const now = this.now();
    buckets.burst.drain(now);
    buckets.steady.drain(now);
  }
}
