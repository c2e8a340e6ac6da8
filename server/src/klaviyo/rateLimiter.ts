/**
 * Client-side pacing for Klaviyo's rate limits (docs/klaviyo-api.md, "Rate limits").
 *
 * Klaviyo counts the requests to each endpoint in two fixed windows, a one-second burst window
 * and a one-minute steady window, as they arrive, and answers 429 to the request that would
 * exceed either. The client knows neither where Klaviyo's windows begin nor when exactly a
 * request arrives: some time between sending it and receiving its answer. So each window is kept
 * as a log of the last requests: the request that would be the (n+1)th of a window may be sent
 * only once a full window has passed since the *answer* to the request n places before it.
 * Then any n+1 consecutive requests arrive more than a window apart, so no fixed window,
 * wherever it begins, counts more than n of them, however long each request travelled.
 *
 * (A token bucket of n refilling n per second, which this replaces, lets up to 2n requests into
 * one fixed second: n at once, then n more as the bucket refills.)
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

/** Resolves when `promise` does, or rejects with the signal's reason when aborted first. */
function abortable(promise: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** An endpoint's documented limits: requests per fixed second (burst) and per fixed minute (steady). */
export interface Limit {
  burstPerSecond: number;
  steadyPerMinute: number;
}

export const BURST_WINDOW_MS = 1000;
export const STEADY_WINDOW_MS = 60_000;

/** Call when the request's answer (or its failure) has come back: its slot starts to age from then. */
export type Answered = () => void;

/** One request sent: when its answer came back (undefined while it is in flight). */
interface SentRequest {
  answeredAt: number | undefined;
  readonly answer: Promise<void>;
  markAnswered(at: number): void;
}

function sentRequest(): SentRequest {
  let resolve: () => void = () => undefined;
  const answer = new Promise<void>((r) => (resolve = r));
  const sent: SentRequest = {
    answeredAt: undefined,
    answer,
    markAnswered: (at) => {
      if (sent.answeredAt !== undefined) return;
      sent.answeredAt = at;
      resolve();
    },
  };
  return sent;
}

/** What the next request to an endpoint must wait for: an instant, or the answer to an earlier request. */
type Wait = { until: number } | { answer: Promise<void> };

/** The recent requests to one endpoint, oldest first, and a hold after a 429. */
class EndpointLog {
  private readonly sent: SentRequest[] = [];
  heldUntil = -Infinity;

  constructor(private readonly windows: readonly { ms: number; count: number }[]) {}

  /** Undefined when a request may go now. */
  waitFor(now: number): Wait | undefined {
    this.forget(now);
    let until = this.heldUntil;
    for (const window of this.windows) {
      // The request n places back (n = the window's count): the next one may arrive a window after it.
      const earlier = this.sent[this.sent.length - window.count];
      if (!earlier) continue;
      if (earlier.answeredAt === undefined) return { answer: earlier.answer };
      until = Math.max(until, earlier.answeredAt + window.ms);
    }
    return until > now ? { until } : undefined;
  }

  record(): SentRequest {
    const sent = sentRequest();
    this.sent.push(sent);
    return sent;
  }

  /** Drops requests no window can count any more: beyond the largest count, or answered longer than the longest window ago. */
  private forget(now: number): void {
    const keep = Math.max(...this.windows.map((w) => w.count));
    const longest = Math.max(...this.windows.map((w) => w.ms));
    let drop = Math.max(0, this.sent.length - keep);
    while (drop < this.sent.length) {
      const answeredAt = this.sent[drop].answeredAt;
      if (answeredAt === undefined || answeredAt + longest > now) break;
      drop++;
    }
    if (drop > 0) this.sent.splice(0, drop);
  }
}

export interface RateLimiterOptions {
  clock?: Clock;
  /**
   * Multiplies every window (and so every wait): 1 is Klaviyo's windows, 0.01 makes them 100
   * times shorter, 0 disables limiting. For tests.
   */
  timeScale?: number;
}

/** Paces requests per endpoint key to Klaviyo's fixed burst and steady windows (see the top of this file). */
export class RateLimiter {
  private readonly logs = new Map<string, EndpointLog>();
  private readonly clock: Clock;
  private readonly timeScale: number;
  /** Requests are admitted in order per key, so a burst of callers cannot overtake each other. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(options: RateLimiterOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.timeScale = options.timeScale ?? 1;
  }

  /** Virtual time: real time stretched by 1/timeScale, so windows and waits shrink by timeScale. */
  private now(): number {
    return this.clock.now() / this.timeScale;
  }

  private logOf(key: string, limit: Limit): EndpointLog {
    let log = this.logs.get(key);
    if (!log) {
      log = new EndpointLog([
        { ms: BURST_WINDOW_MS, count: Math.max(1, Math.floor(limit.burstPerSecond)) },
        { ms: STEADY_WINDOW_MS, count: Math.max(1, Math.floor(limit.steadyPerMinute)) },
      ]);
      this.logs.set(key, log);
    }
    return log;
  }

  /**
   * Waits until a request to `key` fits both windows, then counts it as sent. The caller must
   * call the returned function when the answer (or a failure) comes back.
   */
  acquire(key: string, limit: Limit, signal?: AbortSignal): Promise<Answered> {
    if (this.timeScale <= 0) return Promise.resolve(() => undefined);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async (): Promise<Answered> => {
        const log = this.logOf(key, limit);
        for (;;) {
          const wait = log.waitFor(this.now());
          if (!wait) break;
          if ('answer' in wait) await abortable(wait.answer, signal);
          else await this.clock.sleep(Math.ceil((wait.until - this.now()) * this.timeScale), signal);
        }
        const sent = log.record();
        return () => sent.markAnswered(this.now());
      });
    this.queues.set(key, next);
    return next;
  }

  /**
   * After a 429 the client waits `waitMs` (Retry-After, or its backoff) before retrying: hold
   * every other request to `key` for as long, since Klaviyo says the window is full.
   */
  penalize(key: string, limit: Limit, waitMs: number): void {
    if (this.timeScale <= 0) return;
    const log = this.logOf(key, limit);
    log.heldUntil = Math.max(log.heldUntil, (this.clock.now() + waitMs) / this.timeScale);
  }
}
