import { parseHttpDate } from '../engine/time';
import { API_REVISION, DEFAULT_BASE_URL, ENDPOINTS, JSON_API, type EndpointId, type EndpointInfo } from './endpoints';
import { describeErrorObjects, errorObjectsOf, KlaviyoError } from './errors';
import { RateLimiter, realClock, type Answered, type Clock, type Limit } from './rateLimiter';
import { redact, redactError, type ApiKey } from './secret';

/** Retry, timeout and pacing knobs. The defaults suit the real API; tests shrink them. */
export interface Timing {
  /** Retries after a 429, a 5xx, a timeout or a dropped connection (not after 4xx). */
  maxRetries: number;
  /** First backoff delay; doubles each retry, with jitter, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** A 429 asking for a longer wait than this fails at once (e.g. the 100/day segment creation limit). */
  maxRetryAfterSeconds: number;
  /** No response (headers and body) within this time: retry. */
  requestTimeoutMs: number;
  /** Multiplies the rate-limit windows (and so the waits): 1 = Klaviyo's documented limits, 0 = no client-side limiting. */
  rateScale: number;
}

export const DEFAULT_TIMING: Timing = {
  maxRetries: 6,
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
  maxRetryAfterSeconds: 300,
  requestTimeoutMs: 120_000,
  rateScale: 1,
};

/**
 * Timing overrides from the environment (tests and unusual networks):
 * SEGMENT_LENS_KLAVIYO_MAX_RETRIES, _RETRY_BASE_MS, _RETRY_MAX_MS, _MAX_RETRY_AFTER_S,
 * _TIMEOUT_MS, _RATE_SCALE.
 */
export function timingFromEnvironment(env: NodeJS.ProcessEnv = process.env): Partial<Timing> {
  const read = (name: string): number | undefined => {
    const raw = env[`SEGMENT_LENS_KLAVIYO_${name}`];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = Number(raw);
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  const timing: Partial<Timing> = {};
  const set = <K extends keyof Timing>(key: K, value: number | undefined) => {
    if (value !== undefined) timing[key] = value;
  };
  set('maxRetries', read('MAX_RETRIES'));
  set('retryBaseMs', read('RETRY_BASE_MS'));
  set('retryMaxMs', read('RETRY_MAX_MS'));
  set('maxRetryAfterSeconds', read('MAX_RETRY_AFTER_S'));
  set('requestTimeoutMs', read('TIMEOUT_MS'));
  set('rateScale', read('RATE_SCALE'));
  return timing;
}

/** What the client reports as it works (for --verbose and tests). Never carries headers. */
export type ClientEvent =
  | { type: 'request'; method: string; path: string; attempt: number }
  | { type: 'response'; method: string; path: string; status: number; ms: number }
  | { type: 'retry'; method: string; path: string; reason: string; delayMs: number; attempt: number };

export interface KlaviyoClientOptions {
  apiKey: ApiKey;
  /** Default https://a.klaviyo.com. May carry a path prefix (a proxy): requests go to `<base>/api/...`. */
  baseUrl?: string;
  timing?: Partial<Timing>;
  clock?: Clock;
  limiter?: RateLimiter;
  fetch?: typeof fetch;
  onEvent?: (event: ClientEvent) => void;
}

/** A page of a collection. `next` is the next page as a path relative to the base URL, or null. */
export interface Page<T = Resource> {
  data: T[];
  included: Resource[];
  next: string | null;
}

/** A JSON:API resource object. */
export interface Resource {
  type: string;
  id: string;
  attributes?: Record<string, unknown>;
  relationships?: Record<string, unknown>;
  links?: Record<string, unknown>;
  [key: string]: unknown;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Checks a base URL: http(s), no query, https unless it is this machine. Returns it without a trailing slash. */
export function normalizeBaseUrl(raw: string | undefined): string {
  const text = (raw ?? '').trim() || DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new KlaviyoError('config', `The Klaviyo base URL "${text}" is not a URL (expected e.g. ${DEFAULT_BASE_URL}).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new KlaviyoError('config', `The Klaviyo base URL must be http(s), not ${url.protocol}`);
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    throw new KlaviyoError(
      'config',
      `Refusing to send the API key over plain http to ${url.host}: use an https base URL (http is accepted only for this machine, e.g. a local proxy).`,
    );
  }
  if (url.username || url.password) throw new KlaviyoError('config', 'The Klaviyo base URL must not carry a user name or password.');
  if (url.search || url.hash) throw new KlaviyoError('config', 'The Klaviyo base URL must not carry a query or fragment.');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Seconds from a Retry-After header: delta-seconds (fractions accepted) or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = parseHttpDate(value);
  return date !== undefined ? Math.max(0, (date - now) / 1000) : undefined;
}

function describeSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  if (seconds < 5400) return `${Math.ceil(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/**
 * A small Klaviyo REST client: the revision and JSON:API headers, the key only in
 * `Authorization`, only to the base URL; per-endpoint rate limiting; retries with backoff for
 * 429 (honouring Retry-After), 5xx, timeouts and dropped connections; clear errors otherwise.
 */
export class KlaviyoClient {
  readonly baseUrl: string;
  readonly timing: Timing;
  private readonly basePath: string;
  private readonly origin: string;
  private readonly apiKey: ApiKey;
  private readonly clock: Clock;
  private readonly limiter: RateLimiter;
  private readonly fetchImpl: typeof fetch;
  private readonly onEvent: (event: ClientEvent) => void;
  /** Requests sent (attempts included), for summaries. */
  requests = 0;

  constructor(options: KlaviyoClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    const url = new URL(this.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.apiKey = options.apiKey;
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.clock = options.clock ?? realClock;
    this.limiter = options.limiter ?? new RateLimiter({ clock: this.clock, timeScale: this.timing.rateScale });
    this.fetchImpl = options.fetch ?? fetch;
    this.onEvent = options.onEvent ?? (() => undefined);
  }

  /**
   * A path relative to the base URL (`/api/...?...`) from a link the API returned. A link to
   * another origin (e.g. Klaviyo's own host behind a proxy) is re-based onto the base URL, so
   * the key never goes anywhere else.
   */
  relativePath(link: string): string {
    if (link.startsWith('/')) return link;
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      throw new KlaviyoError('bad-response', `The API returned a link that is not a URL: ${link.slice(0, 200)}`);
    }
    let path = url.pathname;
    if (url.origin === this.origin && this.basePath && path.startsWith(`${this.basePath}/`)) path = path.slice(this.basePath.length);
    else {
      const at = path.indexOf('/api/');
      if (at < 0) throw new KlaviyoError('bad-response', `The API returned a link outside /api/: ${url.pathname}`);
      path = path.slice(at);
    }
    return `${path}${url.search}`;
  }

  /** The absolute URL of a path relative to the base URL. */
  urlOf(path: string): string {
    return `${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
  }

  /** GET one page of a collection. */
  async getPage<T = Resource>(endpoint: EndpointId, path: string, signal?: AbortSignal): Promise<Page<T>> {
    const body = await this.request(endpoint, 'GET', path, undefined, signal);
    const doc = body as { data?: unknown; included?: unknown; links?: { next?: unknown } } | null;
    if (!doc || !Array.isArray(doc.data)) throw new KlaviyoError('bad-response', `${ENDPOINTS[endpoint].label} returned no "data" array.`);
    const next = typeof doc.links?.next === 'string' && doc.links.next !== '' ? this.relativePath(doc.links.next) : null;
    if (next !== null && next === path)
      throw new KlaviyoError('bad-response', `${ENDPOINTS[endpoint].label} returned a "next" link to the same page; stopping to avoid a loop.`);
    return { data: doc.data as T[], included: Array.isArray(doc.included) ? (doc.included as Resource[]) : [], next };
  }

  /** Every page of a collection, following `links.next`. */
  async *pages<T = Resource>(endpoint: EndpointId, path: string, signal?: AbortSignal): AsyncGenerator<Page<T>> {
    let next: string | null = path;
    while (next !== null) {
      const page: Page<T> = await this.getPage<T>(endpoint, next, signal);
      yield page;
      next = page.next;
    }
  }

  /** GET a single resource document's `data`. */
  async getResource(endpoint: EndpointId, path: string, signal?: AbortSignal): Promise<Resource> {
    const body = (await this.request(endpoint, 'GET', path, undefined, signal)) as { data?: unknown } | null;
    if (!body || typeof body.data !== 'object' || body.data === null || Array.isArray(body.data))
      throw new KlaviyoError('bad-response', `${ENDPOINTS[endpoint].label} returned no resource.`);
    return body.data as Resource;
  }

  /** POST or PATCH a JSON:API document; returns the response's `data`. */
  async write(endpoint: EndpointId, path: string, body: unknown, signal?: AbortSignal): Promise<Resource> {
    const info = ENDPOINTS[endpoint];
    const response = (await this.request(endpoint, info.method, path, body, signal)) as { data?: unknown } | null;
    if (!response || typeof response.data !== 'object' || response.data === null) throw new KlaviyoError('bad-response', `${info.label} returned no resource.`);
    return response.data as Resource;
  }

  /** One call with rate limiting and retries. Returns the parsed body (null for 204). */
  async request(endpoint: EndpointId, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
    const info = ENDPOINTS[endpoint];
    const shownPath = path.split('?')[0];
    const limit = { burstPerSecond: info.burstPerSecond, steadyPerMinute: info.steadyPerMinute };
    const headers: Record<string, string> = {
      Authorization: this.apiKey.authorizationHeader(),
      revision: API_REVISION,
      Accept: JSON_API,
      'User-Agent': 'segment-lens/0.1.0',
    };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = JSON_API;

    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new KlaviyoError('cancelled', 'Cancelled.');
      const sent = await this.send(endpoint, limit, path, { method, headers, body: payload, redirect: 'manual' }, attempt, signal);
      if ('failure' in sent) {
        if (signal?.aborted) throw new KlaviyoError('cancelled', 'Cancelled.');
        const reason = sent.timedOut
          ? `no response within ${describeSeconds(this.timing.requestTimeoutMs / 1000)}`
          : `connection failed (${networkReason(sent.failure)})`;
        if (attempt < this.timing.maxRetries) {
          await this.backoff(method, path, reason, attempt, signal);
          continue;
        }
        throw new KlaviyoError(
          sent.timedOut ? 'timeout' : 'network',
          `${info.label}: ${reason}, ${attempt + 1} attempt${attempt ? 's' : ''} to ${this.origin}${this.basePath}.`,
        );
      }
      const { status, text, retryAfter } = sent;

      if (status >= 200 && status < 300) {
        if (status === 204 || text.trim() === '') return null;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new KlaviyoError('bad-response', `${info.label} answered ${status} with a body that is not JSON: ${truncate(text)}`, { status });
        }
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const errors = errorObjectsOf(parsed);
      const said = errors.length ? describeErrorObjects(errors) : truncate(text);

      if (status === 429) {
        const seconds = parseRetryAfter(retryAfter, this.clock.now());
        const limits = `${info.burstPerSecond}/s burst, ${info.steadyPerMinute}/min steady${info.dailyLimit ? `, ${info.dailyLimit}/day` : ''}`;
        if (seconds !== undefined && seconds > this.timing.maxRetryAfterSeconds) {
          const until = new Date(this.clock.now() + seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
          throw new KlaviyoError(
            'rate-limited',
            `Klaviyo's rate limit for ${info.label} is used up (${limits}); it asks to wait ${describeSeconds(seconds)}, until ${until}. Try again then.${said ? ` Klaviyo said: ${said}` : ''}`,
            { status, errors, retryAfterSeconds: seconds },
          );
        }
        if (attempt < this.timing.maxRetries) {
          const delay = seconds !== undefined ? seconds * 1000 : this.backoffDelay(attempt);
          // Klaviyo says the window is full (other clients of the account count too): hold this endpoint's other requests as well.
          this.limiter.penalize(endpoint, limit, delay);
          this.onEvent({ type: 'retry', method, path, reason: `429 rate limited`, delayMs: delay, attempt });
          await this.sleep(delay, signal);
          continue;
        }
        throw new KlaviyoError(
          'rate-limited',
          `Klaviyo kept rate-limiting ${info.label} (HTTP 429, ${limits}) after ${attempt + 1} attempts; try again later.`,
          { status, errors, retryAfterSeconds: seconds },
        );
      }
      if (status >= 500) {
        if (attempt < this.timing.maxRetries) {
          await this.backoff(method, path, `HTTP ${status}`, attempt, signal);
          continue;
        }
        throw new KlaviyoError(
          'server',
          `Klaviyo failed on ${info.label} (HTTP ${status}) ${attempt + 1} times in a row; try again later.${said ? ` Last answer: ${said}` : ''}`,
          { status, errors },
        );
      }
      if (status >= 300 && status < 400) {
        throw new KlaviyoError(
          'bad-response',
          `${info.label} answered with a redirect (HTTP ${status}); redirects are not followed so the key goes nowhere but ${this.baseUrl}. Check the base URL.`,
          { status },
        );
      }
      throw this.clientError(info, status, shownPath, said, errors);
    }
  }

  /**
   * One attempt: waits for the rate limiter, sends, and reads the whole answer. The limiter learns
   * when the answer (or the failure) came back: a request's slot in Klaviyo's windows ages from then.
   */
  private async send(endpoint: EndpointId, limit: Limit, path: string, init: RequestInit, attempt: number, signal?: AbortSignal): Promise<Attempt> {
    let answered: Answered;
    try {
      answered = await this.limiter.acquire(endpoint, limit, signal);
    } catch {
      throw new KlaviyoError('cancelled', 'Cancelled.');
    }
    const timeout = AbortSignal.timeout(Math.max(1, this.timing.requestTimeoutMs));
    const method = init.method ?? 'GET';
    this.requests++;
    this.onEvent({ type: 'request', method, path, attempt });
    const started = this.clock.now();
    try {
      const response = await this.fetchImpl(this.urlOf(path), { ...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
      const status = response.status;
      const retryAfter = response.headers.get('retry-after');
      const text = await response.text();
      this.onEvent({ type: 'response', method, path, status, ms: this.clock.now() - started });
      return { status, retryAfter, text };
    } catch (error) {
      return { failure: error, timedOut: timeout.aborted };
    } finally {
      answered();
    }
  }

  private clientError(info: EndpointInfo, status: number, path: string, said: string, errors: ReturnType<typeof errorObjectsOf>): KlaviyoError {
    const klaviyoSaid = said ? ` Klaviyo said: ${said}` : '';
    if (status === 401) {
      const hint = this.apiKey.looksPrivate()
        ? ''
        : ' The key does not start with "pk_": segment and data endpoints need a private API key, not the public site ID.';
      return new KlaviyoError(
        'unauthorized',
        `Klaviyo rejected the API key (401 Unauthorized) on ${info.label}: the key is wrong, revoked or not a private key.${hint} Set a valid private key (KLAVIYO_API_KEY for the CLI, "Segment Lens: Set Klaviyo API Key" in VS Code).${klaviyoSaid}`,
        { status, errors },
      );
    }
    if (status === 403) {
      const scopes = info.scopes.map((s) => `\`${s}\``).join(' and ');
      return new KlaviyoError(
        'forbidden',
        `The API key may not call ${info.label} (403 Forbidden): it needs the ${scopes} scope${info.scopes.length > 1 ? 's' : ''} (${info.scopeHint}). Edit the key's scopes in Klaviyo under Settings → API keys, or use a key that has them.${klaviyoSaid}`,
        { status, errors },
      );
    }
    if (status === 404) return new KlaviyoError('not-found', `Not found (404): ${info.method} ${path}.${klaviyoSaid}`, { status, errors });
    return new KlaviyoError('bad-request', `Klaviyo rejected ${info.method} ${path} (HTTP ${status}).${klaviyoSaid}`, { status, errors });
  }

  private backoffDelay(attempt: number): number {
    const cap = Math.min(this.timing.retryMaxMs, this.timing.retryBaseMs * 2 ** attempt);
    // "Equal jitter": half fixed, half random, so retries of parallel clients spread out.
    return cap / 2 + Math.random() * (cap / 2);
  }

  private async backoff(method: string, path: string, reason: string, attempt: number, signal?: AbortSignal): Promise<void> {
    const delay = this.backoffDelay(attempt);
    this.onEvent({ type: 'retry', method, path, reason, delayMs: delay, attempt });
    await this.sleep(delay, signal);
  }

  private async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    try {
      await this.clock.sleep(ms, signal);
    } catch {
      throw new KlaviyoError('cancelled', 'Cancelled.');
    }
  }
}

/** What one attempt brought back: an answer, or a failure to get one. */
type Attempt = { status: number; retryAfter: string | null; text: string } | { failure: unknown; timedOut: boolean };

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return redact(cause.message);
  return redactError(error);
}

function truncate(text: string, max = 300): string {
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
