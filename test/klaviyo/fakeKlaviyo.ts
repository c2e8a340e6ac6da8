/**
 * A local HTTP server on 127.0.0.1 that plays Klaviyo's REST API (revision 2026-07-15) for the
 * endpoints Segment Lens calls. It serves cursor-paginated fixtures shaped like the API's
 * responses, injects faults (429 with Retry-After, 5xx, slow answers, dropped connections),
 * and validates every request the client sends: path, query (page[size], additional-fields,
 * include, sort, filter, cursors), headers (revision, Authorization, Accept, Content-Type) and
 * the POST/PATCH bodies against the project's own segment schema. Every deviation is recorded
 * in `violations` (tests assert it stays empty) and answered with a JSON:API error.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const SCHEMA = require('../../../schemas/segment-definition.schema.json') as { $id: string };

export const REVISION = '2026-07-15';
export const TEST_KEY = 'pk_test_5e9a1c0b7d3f48e2a6c4b8d0e1f2a3b4c5';

export interface Resource {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships?: Record<string, unknown>;
  links?: Record<string, unknown>;
}

export interface Membership {
  profileId: string;
  joinedGroupAt: string;
}

export interface FakeData {
  metrics: Resource[];
  lists: Resource[];
  members: Record<string, Membership[]>;
  /** Profiles with every attribute, subscriptions and predictive_analytics included (stripped unless requested). */
  profiles: Resource[];
  /** Events with `relationships.{profile,metric}.data` (stripped unless included). */
  events: Resource[];
  segments: Resource[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The raw query string, as sent. */
  search: string;
  headers: Record<string, string | undefined>;
  body?: unknown;
  status?: number;
  at: number;
}

export interface Fault {
  /** Which requests it applies to (default: all). */
  when?: (request: RecordedRequest) => boolean;
  /** How many requests it hits (default 1). */
  times?: number;
  /** Answer with this status (429, 500, 503…). */
  status?: number;
  retryAfter?: string;
  /** Destroy the connection without answering. */
  drop?: boolean;
  /** Wait this long before answering (normally, or with `status`). */
  delayMs?: number;
  /** Answer 400 with the request's Authorization header echoed in the error detail (a leaky proxy). */
  echoAuthorization?: boolean;
}

export interface FakeOptions {
  apiKey?: string;
  /** Scopes of the key (default: every scope). */
  scopes?: string[];
  /** Origin written into links (default the server's own; e.g. https://a.klaviyo.com for a proxy that does not rewrite). */
  linkOrigin?: string;
  /** Fixed page sizes of endpoints without page[size]. */
  metricsPageSize?: number;
  /** Segment creations left today before the 100/day limit answers 429. */
  creationsLeftToday?: number;
  /** Minimum milliseconds between two segment writes (the burst limit, scaled); closer writes get 429. */
  writeIntervalMs?: number;
  /** Enforce Klaviyo's per-endpoint fixed windows (see `RateWindows`); off by default. */
  rateWindows?: RateWindows;
}

/**
 * Klaviyo's rate limits as Klaviyo applies them: per endpoint, a fixed one-second window (burst)
 * and a fixed one-minute window (steady), counted when a request arrives; a request over either
 * count gets 429 with Retry-After set to the end of that window.
 */
export interface RateWindows {
  /** The server's clock in milliseconds (default Date.now): pass the client's virtual clock to test without waiting. */
  now?: () => number;
  /** Multiplies both window lengths (default 1); for a client whose rateScale is the same. */
  timeScale?: number;
}

/** Documented limits per endpoint (requests per second and per minute), from Klaviyo's API reference (revision 2026-07-15). */
export const KLAVIYO_LIMITS: Record<string, { perSecond: number; perMinute: number }> = {
  'GET metrics': { perSecond: 10, perMinute: 150 },
  'GET lists': { perSecond: 75, perMinute: 700 },
  'GET list-profiles': { perSecond: 75, perMinute: 700 },
  'GET profiles': { perSecond: 75, perMinute: 750 },
  // additional-fields[profile]=predictive_analytics lowers the limit of GET /api/profiles.
  'GET profiles-predictive': { perSecond: 10, perMinute: 150 },
  'GET events': { perSecond: 350, perMinute: 3500 },
  'GET segments': { perSecond: 75, perMinute: 700 },
  'GET segment': { perSecond: 75, perMinute: 700 },
  'POST segments': { perSecond: 1, perMinute: 15 },
  'PATCH segment': { perSecond: 1, perMinute: 15 },
};

const ALL_SCOPES = ['metrics:read', 'lists:read', 'profiles:read', 'events:read', 'segments:read', 'segments:write'];

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A small deterministic generator. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function profileId(index: number): string {
  let n = index + 1;
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[n % 32] + out;
    n = Math.floor(n / 32);
  }
  return `01HF${'0'.repeat(12)}${out}`;
}
function shortId(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(6 - prefix.length, '0')}`;
}
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export interface FixtureSize {
  metrics?: number;
  lists?: number;
  profiles?: number;
  events?: number;
  segments?: number;
}

export const BASE_TIME = Date.parse('2025-01-01T00:00:00Z');

export function makeProfile(index: number, updated: number, extra: Record<string, unknown> = {}): Resource {
  const random = rng(index + 7);
  const id = profileId(index);
  const genres = ['Jazz', 'Soul', 'Rock', 'Blues'];
  const subscribed = random() < 0.6;
  return {
    type: 'profile',
    id,
    attributes: {
      email: `person${index}@example.com`,
      phone_number: index % 3 === 0 ? `+1500555${String(index).padStart(4, '0')}` : null,
      external_id: null,
      first_name: `First${index}`,
      last_name: `Last${index}`,
      organization: null,
      locale: 'en-US',
      title: null,
      image: null,
      created: iso(BASE_TIME - 86_400_000 * 100),
      updated: iso(updated),
      last_event_date: iso(updated),
      location: {
        address1: null,
        address2: null,
        city: 'Boston',
        country: 'United States',
        latitude: 42.36,
        longitude: '-71.06',
        region: 'MA',
        zip: '02108',
        timezone: 'America/New_York',
        ip: null,
      },
      properties: { 'Favorite Genre': genres[index % genres.length], ...extra },
      subscriptions: {
        email: {
          marketing: {
            can_receive_email_marketing: subscribed,
            consent: subscribed ? 'SUBSCRIBED' : 'NEVER_SUBSCRIBED',
            consent_timestamp: subscribed ? iso(BASE_TIME) : null,
            last_updated: null,
            method: subscribed ? 'PREFERENCE_PAGE' : null,
            method_detail: null,
            custom_method_detail: null,
            double_optin: subscribed,
            suppression: [],
            list_suppressions: [],
          },
        },
        sms: {
          marketing: {
            can_receive_sms_marketing: false,
            consent: 'NEVER_SUBSCRIBED',
            consent_timestamp: null,
            method: null,
            method_detail: null,
            last_updated: null,
          },
        },
        mobile_push: { marketing: { can_receive_push_marketing: false, consent: 'NEVER_SUBSCRIBED', consent_timestamp: null } },
      },
      predictive_analytics: {
        historic_clv: Math.round(random() * 50000) / 100,
        predicted_clv: 12.5,
        total_clv: 40,
        historic_number_of_orders: index % 5,
        predicted_number_of_orders: 0.5,
        average_days_between_orders: null,
        average_order_value: 30,
        churn_probability: Math.round(random() * 100) / 100,
        expected_date_of_next_order: null,
        ranked_channel_affinity: ['email', 'sms'],
      },
    },
    relationships: { lists: { links: { self: '…', related: '…' } }, segments: { links: { self: '…', related: '…' } } },
    links: { self: `https://a.klaviyo.com/api/profiles/${id}/` },
  };
}

export function makeEvent(index: number, time: number, profile: string, metric: string): Resource {
  const id = `ev${String(index).padStart(8, '0')}`;
  return {
    type: 'event',
    id,
    attributes: {
      timestamp: Math.floor(time / 1000),
      datetime: iso(time),
      uuid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      event_properties: { $value: (index % 40) + 9.99, $event_id: `e${index}`, ItemNames: ['Kind of Blue'], 'Item Count': 1 },
    },
    relationships: {
      profile: { data: { type: 'profile', id: profile }, links: { self: '…', related: '…' } },
      metric: { data: { type: 'metric', id: metric }, links: { self: '…', related: '…' } },
    },
    links: { self: `https://a.klaviyo.com/api/events/${id}/` },
  };
}

export function segmentDefinition(listId: string, days = 30): Record<string, unknown> {
  return {
    condition_groups: [
      {
        conditions: [
          {
            type: 'profile-group-membership',
            is_member: true,
            group_ids: [listId],
            timeframe_filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: days },
          },
        ],
      },
    ],
  };
}

export function makeFixture(size: FixtureSize = {}): FakeData {
  const metricNames = ['Placed Order', 'Opened Email', 'Clicked Email', 'Viewed Product', 'Started Checkout', 'Active on Site', 'Received Email'];
  const metrics: Resource[] = Array.from({ length: size.metrics ?? 5 }, (_, i) => ({
    type: 'metric',
    id: shortId('M', i),
    attributes: {
      name: metricNames[i % metricNames.length] + (i >= metricNames.length ? ` ${i}` : ''),
      created: iso(BASE_TIME),
      updated: iso(BASE_TIME),
      integration: { object: 'integration', id: 'int001', name: 'Shopify', category: 'ecommerce' },
    },
    links: { self: `https://a.klaviyo.com/api/metrics/${shortId('M', i)}/` },
  }));
  const lists: Resource[] = Array.from({ length: size.lists ?? 12 }, (_, i) => ({
    type: 'list',
    id: shortId('L', i),
    attributes: {
      name: i === 0 ? 'Newsletter' : `List ${i}`,
      created: iso(BASE_TIME),
      updated: iso(BASE_TIME),
      opt_in_process: i % 2 ? 'single_opt_in' : 'double_opt_in',
    },
    links: { self: `https://a.klaviyo.com/api/lists/${shortId('L', i)}/` },
  }));
  const profileCount = size.profiles ?? 230;
  const profiles = Array.from({ length: profileCount }, (_, i) => makeProfile(i, BASE_TIME + i * 3_600_000));
  const members: Record<string, Membership[]> = {};
  lists.forEach((list, l) => {
    members[list.id] = profiles.filter((_, p) => p % (l + 1) === 0 && l < 4).map((p, k) => ({ profileId: p.id, joinedGroupAt: iso(BASE_TIME + k * 60_000) }));
  });
  const random = rng(42);
  const events = Array.from({ length: size.events ?? 2300 }, (_, i) =>
    makeEvent(i, BASE_TIME + i * 37 * 60_000, profiles[Math.floor(random() * profiles.length)].id, metrics[i % metrics.length].id),
  );
  const segments: Resource[] = Array.from({ length: size.segments ?? 13 }, (_, i) => ({
    type: 'segment',
    id: shortId('S', i),
    attributes: {
      name: `Segment ${i}`,
      definition: segmentDefinition(lists[i % lists.length].id, 30 + i),
      created: iso(BASE_TIME),
      updated: iso(BASE_TIME + i * 1000),
      is_active: true,
      is_processing: false,
      is_starred: i % 4 === 0,
    },
    relationships: { profiles: { links: { self: '…', related: '…' } }, tags: { links: { self: '…', related: '…' } } },
    links: { self: `https://a.klaviyo.com/api/segments/${shortId('S', i)}/` },
  }));
  return { metrics, lists, members, profiles, events, segments };
}

// ---------------------------------------------------------------------------------------------
// The server

interface RouteMatch {
  name: 'metrics' | 'lists' | 'list-profiles' | 'profiles' | 'events' | 'segments' | 'segment';
  id?: string;
}

function matchRoute(path: string): RouteMatch | undefined {
  const p = path.replace(/\/+$/, '');
  if (p === '/api/metrics') return { name: 'metrics' };
  if (p === '/api/lists') return { name: 'lists' };
  if (p === '/api/profiles') return { name: 'profiles' };
  if (p === '/api/events') return { name: 'events' };
  if (p === '/api/segments') return { name: 'segments' };
  let m = /^\/api\/lists\/([^/]+)\/profiles$/.exec(p);
  if (m) return { name: 'list-profiles', id: decodeURIComponent(m[1]) };
  m = /^\/api\/segments\/([^/]+)$/.exec(p);
  if (m) return { name: 'segment', id: decodeURIComponent(m[1]) };
  return undefined;
}

const SCOPES_OF: Record<string, string[]> = {
  'GET metrics': ['metrics:read'],
  'GET lists': ['lists:read'],
  'GET list-profiles': ['lists:read', 'profiles:read'],
  'GET profiles': ['profiles:read'],
  'GET events': ['events:read'],
  'GET segments': ['segments:read'],
  'GET segment': ['segments:read'],
  'POST segments': ['segments:write'],
  'PATCH segment': ['segments:write'],
};

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

let compiled: { create: ValidateFunction; update: ValidateFunction; body: ValidateFunction } | undefined;

/** The project's segment schema, compiled once: the bodies of POST and PATCH /api/segments are checked against it. */
function schemaValidators(): { create: ValidateFunction; update: ValidateFunction; body: ValidateFunction } {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, strictSchema: true, strictTypes: false, strictRequired: false, strictTuples: false });
  // The schema's annotation keywords (enumDescriptions, and any x-… extension) carry no validation.
  const annotations = new Set(['enumDescriptions']);
  const collect = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      if (key.startsWith('x-') && !Array.isArray(node)) annotations.add(key);
      collect(child);
    }
  };
  collect(SCHEMA);
  ajv.addVocabulary([...annotations]);
  addFormats(ajv, ['date-time']);
  ajv.addSchema(SCHEMA);
  const get = (name: string) => {
    const fn = ajv.getSchema(`${SCHEMA.$id}#/$defs/${name}`);
    if (!fn) throw new Error(`schema has no ${name}`);
    return fn;
  };
  compiled = { create: get('SegmentCreateResource'), update: get('SegmentUpdateResource'), body: get('SegmentRequestBody') };
  return compiled;
}

export class FakeKlaviyo {
  readonly data: FakeData;
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly faults: Fault[] = [];
  /** Requests answered 429 because they exceeded a fixed window (with `rateWindows`), described. */
  readonly throttled: string[] = [];
  /** Arrival times (the rate windows' clock) per rate-limited endpoint, e.g. 'GET profiles-predictive'. */
  readonly arrivals = new Map<string, number[]>();
  /** After this many answered API requests, every request has its connection dropped. */
  dropAfter: number | undefined;
  apiKey: string;
  scopes: string[];
  creationsLeftToday: number;
  writeIntervalMs: number;
  private readonly linkOriginOption: string | undefined;
  private readonly rateWindows: RateWindows | undefined;
  /** Requests counted per endpoint and window: 'GET metrics|1000|42' → 7. */
  private readonly windowCounts = new Map<string, number>();
  private readonly metricsPageSize: number;
  private server: Server | undefined;
  private answered = 0;
  private lastWriteAt = -Infinity;
  private nextSegment = 1000;
  private readonly validateCreate: ValidateFunction;
  private readonly validateUpdate: ValidateFunction;
  url = '';

  constructor(data: FakeData = makeFixture(), options: FakeOptions = {}) {
    this.data = data;
    this.apiKey = options.apiKey ?? TEST_KEY;
    this.scopes = options.scopes ?? ALL_SCOPES;
    this.linkOriginOption = options.linkOrigin;
    this.metricsPageSize = options.metricsPageSize ?? 200;
    this.creationsLeftToday = options.creationsLeftToday ?? 100;
    this.writeIntervalMs = options.writeIntervalMs ?? 0;
    this.rateWindows = options.rateWindows;
    const validators = schemaValidators();
    this.validateCreate = validators.create;
    this.validateUpdate = validators.update;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private get linkOrigin(): string {
    return this.linkOriginOption ?? this.url;
  }

  fault(fault: Fault): this {
    this.faults.push({ times: 1, ...fault });
    return this;
  }

  /** Requests of one route (e.g. 'GET /api/profiles'), in order. */
  requestsTo(method: string, pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.replace(/\/+$/, '').startsWith(pathPrefix));
  }

  private violation(request: RecordedRequest, message: string): void {
    this.violations.push(`${request.method} ${request.path}${request.search}: ${message}`);
  }

  private send(res: ServerResponse, request: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
    request.status = status;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/vnd.api+json', ...headers });
    res.end(text);
  }

  private error(
    res: ServerResponse,
    request: RecordedRequest,
    status: number,
    code: string,
    title: string,
    detail: string,
    extra: { pointer?: string; parameter?: string; headers?: Record<string, string> } = {},
  ): void {
    const source = extra.pointer ? { pointer: extra.pointer } : extra.parameter ? { parameter: extra.parameter } : undefined;
    this.send(
      res,
      request,
      status,
      { errors: [{ id: `err-${this.requests.length}`, status, code, title, detail, ...(source ? { source } : {}) }] },
      extra.headers,
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      search: url.search,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
      at: Date.now(),
    };
    if (raw) {
      try {
        request.body = JSON.parse(raw);
      } catch {
        request.body = raw;
      }
    }
    this.requests.push(request);

    if (this.dropAfter !== undefined && this.answered >= this.dropAfter) {
      req.socket.destroy();
      return;
    }
    const fault = this.faults.find((f) => (f.times ?? 1) > 0 && (!f.when || f.when(request)));
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.echoAuthorization) {
        this.error(res, request, 400, 'invalid', 'Invalid input.', `Bad header: ${request.headers.authorization ?? ''}`);
        return;
      }
      if (fault.status) {
        const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {};
        if (fault.status === 429)
          this.error(
            res,
            request,
            429,
            'throttled',
            'Request was throttled.',
            `Request was throttled. Expected available in ${fault.retryAfter ?? '1'} second.`,
            { headers },
          );
        else this.error(res, request, fault.status, 'error', 'A server error occurred.', 'A server error occurred.', { headers });
        return;
      }
    }
    if (res.destroyed) return;
    this.answered++;
    this.route(request, res);
  }

  private route(request: RecordedRequest, res: ServerResponse): void {
    // Headers, on every request.
    const auth = request.headers.authorization;
    if (!auth || !/^Klaviyo-API-Key \S+$/.test(auth)) {
      this.violation(request, `Authorization header must be "Klaviyo-API-Key <key>", got ${auth === undefined ? 'none' : 'another format'}`);
      this.error(res, request, 401, 'not_authenticated', 'Authentication credentials were not provided.', 'Missing or invalid private key.');
      return;
    }
    if (request.headers.revision !== REVISION) {
      this.violation(request, `revision header must be ${REVISION}, got ${String(request.headers.revision)}`);
      this.error(res, request, 400, 'invalid_revision', 'Invalid revision.', 'The revision header is missing or invalid.');
      return;
    }
    if (!(request.headers.accept ?? '').includes('application/vnd.api+json')) {
      this.violation(request, `Accept must include application/vnd.api+json, got ${String(request.headers.accept)}`);
    }
    if ((request.method === 'POST' || request.method === 'PATCH') && request.headers['content-type'] !== 'application/vnd.api+json') {
      this.violation(request, `Content-Type must be application/vnd.api+json, got ${String(request.headers['content-type'])}`);
      this.error(res, request, 415, 'unsupported_media_type', 'Unsupported media type.', 'Use application/vnd.api+json.');
      return;
    }
    if (auth !== `Klaviyo-API-Key ${this.apiKey}`) {
      this.error(res, request, 401, 'not_authenticated', 'Incorrect authentication credentials.', 'Incorrect authentication credentials.');
      return;
    }
    const route = matchRoute(request.path);
    if (!route) {
      this.violation(request, 'unknown path');
      this.error(res, request, 404, 'not_found', 'Not found.', `No route for ${request.path}`);
      return;
    }
    const method = request.method;
    const key = `${method} ${route.name}`;
    const needed = SCOPES_OF[key];
    if (!needed) {
      this.violation(request, `method ${method} not allowed here`);
      this.error(res, request, 405, 'method_not_allowed', 'Method not allowed.', `${method} is not allowed.`);
      return;
    }
    if (!needed.every((s) => this.scopes.includes(s))) {
      this.error(
        res,
        request,
        403,
        'permission_denied',
        'You do not have permission to perform this action.',
        'You do not have permission to perform this action.',
      );
      return;
    }
    if (this.overRateLimit(request, res, key)) return;
    switch (key) {
      case 'GET metrics':
        return this.collection(request, res, this.data.metrics, { fixedSize: this.metricsPageSize });
      case 'GET lists':
        return this.collection(request, res, this.data.lists, { fixedSize: 10 });
      case 'GET segments':
        return this.collection(request, res, this.data.segments, { fixedSize: 10 });
      case 'GET profiles':
        return this.profiles(request, res);
      case 'GET list-profiles':
        return this.listProfiles(request, res, route.id ?? '');
      case 'GET events':
        return this.events(request, res);
      case 'GET segment': {
        const segment = this.data.segments.find((s) => s.id === route.id);
        if (!segment) return this.error(res, request, 404, 'not_found', 'Not found.', `Segment ${route.id} was not found.`);
        return this.send(res, request, 200, { data: segment, links: { self: `${this.linkOrigin}/api/segments/${segment.id}/` } });
      }
      case 'POST segments':
        return this.createSegment(request, res);
      case 'PATCH segment':
        return this.updateSegment(request, res, route.id ?? '');
    }
  }

  /**
   * Counts the request in its endpoint's current one-second and one-minute windows (fixed, aligned
   * to the server's clock) and answers 429 when either is already full.
   */
  private overRateLimit(request: RecordedRequest, res: ServerResponse, key: string): boolean {
    if (!this.rateWindows) return false;
    const predictive = key === 'GET profiles' && (request.query['additional-fields[profile]'] ?? '').split(',').includes('predictive_analytics');
    const endpoint = predictive ? 'GET profiles-predictive' : key;
    const limits = KLAVIYO_LIMITS[endpoint];
    const now = (this.rateWindows.now ?? Date.now)();
    const scale = this.rateWindows.timeScale ?? 1;
    const arrivals = this.arrivals.get(endpoint) ?? [];
    arrivals.push(now);
    this.arrivals.set(endpoint, arrivals);
    // Every arrival counts in both windows, a refused one too.
    let wait = 0;
    for (const [windowMs, limit] of [
      [1000 * scale, limits.perSecond],
      [60_000 * scale, limits.perMinute],
    ]) {
      const start = Math.floor(now / windowMs) * windowMs;
      const counter = `${endpoint}|${windowMs}|${start}`;
      const count = (this.windowCounts.get(counter) ?? 0) + 1;
      this.windowCounts.set(counter, count);
      if (count > limit) {
        this.throttled.push(`${endpoint}: request ${count} in the ${windowMs} ms window starting at ${start} (limit ${limit})`);
        wait = Math.max(wait, start + windowMs - now);
      }
    }
    if (wait === 0) return false;
    const seconds = Math.ceil(wait / 1000);
    this.error(
      res,
      request,
      429,
      'throttled',
      'Request was throttled.',
      `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
      { headers: { 'Retry-After': String(Math.ceil(wait) / 1000) } },
    );
    return true;
  }

  /** Checks the query against the allowed parameters; answers 400 (and records a violation) when wrong. */
  private checkQuery(request: RecordedRequest, res: ServerResponse, allowed: Record<string, (value: string) => string | undefined>): boolean {
    for (const [name, value] of Object.entries(request.query)) {
      const check = allowed[name];
      const problem = check ? check(value) : `parameter ${name} is not accepted by this endpoint`;
      if (problem) {
        this.violation(request, problem);
        this.error(res, request, 400, 'invalid', 'Invalid input.', problem, { parameter: name });
        return false;
      }
    }
    return true;
  }

  private pageSize(max: number): (value: string) => string | undefined {
    return (value) => (/^\d+$/.test(value) && Number(value) >= 1 && Number(value) <= max ? undefined : `page[size] must be 1..${max}, got ${value}`);
  }

  private filterCheck(fields: string[], operators: string[]): (value: string) => string | undefined {
    return (value) => {
      const m = /^([a-z-]+)\(([a-z_]+),([^)]+)\)$/.exec(value);
      if (!m) return `filter "${value}" is not operator(field,value)`;
      if (!operators.includes(m[1])) return `filter operator ${m[1]} is not accepted`;
      if (!fields.includes(m[2])) return `filter field ${m[2]} is not accepted`;
      if (!ISO_INSTANT.test(m[3])) return `filter value ${m[3]} is not an ISO 8601 instant`;
      return undefined;
    };
  }

  /** A comparison filter as a predicate on an ISO instant. */
  private filterPredicate(filter: string | undefined): (instant: string) => boolean {
    if (!filter) return () => true;
    const m = /^([a-z-]+)\(([a-z_]+),([^)]+)\)$/.exec(filter);
    if (!m) return () => true;
    const bound = Date.parse(m[3]);
    return (instant) => {
      const t = Date.parse(instant);
      return m[1] === 'greater-than' ? t > bound : m[1] === 'greater-or-equal' ? t >= bound : m[1] === 'less-than' ? t < bound : t <= bound;
    };
  }

  private cursorCheck(request: RecordedRequest): (value: string) => string | undefined {
    return (value) => {
      try {
        const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { o: number; q: string };
        if (cursor.q !== this.queryFingerprint(request)) return 'page[cursor] belongs to another query';
        return Number.isInteger(cursor.o) && cursor.o >= 0 ? undefined : 'page[cursor] is invalid';
      } catch {
        return 'page[cursor] is invalid';
      }
    };
  }

  private queryFingerprint(request: RecordedRequest): string {
    return `${request.path.replace(/\/+$/, '')}?${Object.entries(request.query)
      .filter(([k]) => k !== 'page[cursor]')
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join('&')}`;
  }

  private collection(
    request: RecordedRequest,
    res: ServerResponse,
    items: Resource[],
    options: {
      fixedSize?: number;
      maxSize?: number;
      defaultSize?: number;
      extraParams?: Record<string, (value: string) => string | undefined>;
      included?: (page: Resource[]) => Resource[];
      map?: (r: Resource) => Resource;
    },
  ): void {
    const allowed: Record<string, (value: string) => string | undefined> = { 'page[cursor]': this.cursorCheck(request), ...options.extraParams };
    if (options.maxSize) allowed['page[size]'] = this.pageSize(options.maxSize);
    if (!this.checkQuery(request, res, allowed)) return;
    const size = options.fixedSize ?? (request.query['page[size]'] ? Number(request.query['page[size]']) : (options.defaultSize ?? 20));
    const offset = request.query['page[cursor]']
      ? (JSON.parse(Buffer.from(request.query['page[cursor]'], 'base64url').toString('utf8')) as { o: number }).o
      : 0;
    const page = items.slice(offset, offset + size).map((r) => (options.map ? options.map(r) : r));
    const base = `${this.linkOrigin}${request.path.endsWith('/') ? request.path : `${request.path}/`}`;
    const params = new URLSearchParams(Object.entries(request.query).filter(([k]) => k !== 'page[cursor]'));
    const self = `${base}${params.toString() ? `?${params}` : ''}`;
    let next: string | null = null;
    if (offset + size < items.length) {
      const nextParams = new URLSearchParams(params);
      nextParams.set('page[cursor]', Buffer.from(JSON.stringify({ o: offset + size, q: this.queryFingerprint(request) })).toString('base64url'));
      next = `${base}?${nextParams}`;
    }
    const body: Record<string, unknown> = { data: page, links: { self, next, prev: null } };
    if (options.included) body.included = options.included(page);
    this.send(res, request, 200, body);
  }

  private profiles(request: RecordedRequest, res: ServerResponse): void {
    const fields = request.query['additional-fields[profile]'];
    const extra = fields ? fields.split(',') : [];
    const keep = this.filterPredicate(request.query.filter);
    const items = this.data.profiles.filter((p) => keep(String(p.attributes.updated)));
    this.collection(request, res, items, {
      maxSize: 100,
      extraParams: {
        'additional-fields[profile]': (v) =>
          v.split(',').every((f) => f === 'subscriptions' || f === 'predictive_analytics')
            ? undefined
            : `additional-fields[profile] accepts subscriptions,predictive_analytics, got ${v}`,
        filter: this.filterCheck(['updated', 'created'], ['greater-than', 'less-than']),
      },
      map: (p) => {
        const { subscriptions, predictive_analytics, ...attributes } = p.attributes;
        return {
          ...p,
          attributes: {
            ...attributes,
            ...(extra.includes('subscriptions') ? { subscriptions } : {}),
            ...(extra.includes('predictive_analytics') ? { predictive_analytics } : {}),
          },
        };
      },
    });
  }

  private listProfiles(request: RecordedRequest, res: ServerResponse, listId: string): void {
    const members = this.data.members[listId];
    if (!members) return this.error(res, request, 404, 'not_found', 'Not found.', `List ${listId} was not found.`);
    const keep = this.filterPredicate(request.query.filter);
    const byId = new Map(this.data.profiles.map((p) => [p.id, p]));
    const items = members
      .filter((m) => keep(m.joinedGroupAt))
      .map((m): Resource => {
        const profile = byId.get(m.profileId);
        const { subscriptions: _s, predictive_analytics: _p, ...attributes } = profile?.attributes ?? {};
        return {
          type: 'profile',
          id: m.profileId,
          attributes: { ...attributes, joined_group_at: m.joinedGroupAt },
          links: { self: `https://a.klaviyo.com/api/profiles/${m.profileId}/` },
        };
      });
    this.collection(request, res, items, {
      maxSize: 100,
      extraParams: { filter: this.filterCheck(['joined_group_at'], ['greater-than', 'greater-or-equal', 'less-than', 'less-or-equal']) },
    });
  }

  private events(request: RecordedRequest, res: ServerResponse): void {
    const include = request.query.include ? request.query.include.split(',') : [];
    const keep = this.filterPredicate(request.query.filter);
    let items = this.data.events.filter((e) => keep(String(e.attributes.datetime)));
    const sort = request.query.sort;
    if (sort === 'datetime' || sort === 'timestamp') items = [...items].sort((a, b) => Number(a.attributes.timestamp) - Number(b.attributes.timestamp));
    if (sort === '-datetime' || sort === '-timestamp') items = [...items].sort((a, b) => Number(b.attributes.timestamp) - Number(a.attributes.timestamp));
    const profiles = new Map(this.data.profiles.map((p) => [p.id, p]));
    const metrics = new Map(this.data.metrics.map((m) => [m.id, m]));
    this.collection(request, res, items, {
      maxSize: 1000,
      defaultSize: 200,
      extraParams: {
        include: (v) =>
          v.split(',').every((x) => ['metric', 'profile', 'attributions'].includes(x)) ? undefined : `include accepts metric,profile,attributions, got ${v}`,
        sort: (v) => (['datetime', '-datetime', 'timestamp', '-timestamp'].includes(v) ? undefined : `sort ${v} is not accepted`),
        filter: this.filterCheck(['datetime', 'timestamp'], ['greater-than', 'greater-or-equal', 'less-than', 'less-or-equal']),
      },
      map: (e) => {
        const relationships: Record<string, unknown> = {};
        for (const [name, rel] of Object.entries(e.relationships ?? {})) {
          const { data, ...rest } = rel as { data?: unknown };
          relationships[name] = include.includes(name) ? { data, ...rest } : rest;
        }
        return { ...e, relationships };
      },
      included: (page) => {
        const out = new Map<string, Resource>();
        for (const e of page) {
          const rels = e.relationships as Record<string, { data?: { id: string } }>;
          if (include.includes('profile') && rels.profile?.data) {
            const p = profiles.get(rels.profile.data.id);
            if (p) {
              const { subscriptions: _s, predictive_analytics: _p, ...attributes } = p.attributes;
              out.set(`profile:${p.id}`, { ...p, attributes });
            }
          }
          if (include.includes('metric') && rels.metric?.data) {
            const m = metrics.get(rels.metric.data.id);
            if (m) out.set(`metric:${m.id}`, m);
          }
        }
        return [...out.values()];
      },
    });
  }

  private checkBody(request: RecordedRequest, res: ServerResponse, validate: ValidateFunction): Record<string, unknown> | undefined {
    const body = request.body as { data?: unknown } | undefined;
    if (typeof body !== 'object' || body === null || Object.keys(body).length !== 1 || typeof body.data !== 'object' || body.data === null) {
      this.violation(request, 'the body must be {"data": {...}}');
      this.error(res, request, 400, 'invalid', 'Invalid input.', 'The body must be {"data": {...}}.', { pointer: '/data' });
      return undefined;
    }
    if (!validate(body.data) || !schemaValidators().body(body)) {
      const problems = (validate.errors ?? schemaValidators().body.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
      this.violation(request, `the body does not match the segment schema: ${problems}`);
      this.error(res, request, 400, 'invalid', 'Invalid input.', problems, { pointer: `/data${validate.errors?.[0]?.instancePath ?? ''}` });
      return undefined;
    }
    return body.data as Record<string, unknown>;
  }

  private writeTooSoon(request: RecordedRequest, res: ServerResponse): boolean {
    const now = Date.now();
    // Half the interval of slack: the client paces when it sends, the server sees arrival times (jitter).
    if (now - this.lastWriteAt < this.writeIntervalMs / 2) {
      this.violation(request, `segment writes ${now - this.lastWriteAt} ms apart, the burst limit allows one per ${this.writeIntervalMs} ms`);
      this.error(res, request, 429, 'throttled', 'Request was throttled.', 'Request was throttled.', { headers: { 'Retry-After': '1' } });
      return true;
    }
    this.lastWriteAt = now;
    return false;
  }

  private createSegment(request: RecordedRequest, res: ServerResponse): void {
    if (!this.checkQuery(request, res, {})) return;
    const data = this.checkBody(request, res, this.validateCreate);
    if (!data) return;
    if ('id' in data) {
      this.violation(request, 'a create body must not carry an id');
      return this.error(res, request, 400, 'invalid', 'Invalid input.', 'A create body must not carry an id.', { pointer: '/data/id' });
    }
    if (this.writeTooSoon(request, res)) return;
    if (this.creationsLeftToday <= 0) {
      return this.error(res, request, 429, 'throttled', 'Request was throttled.', 'Request was throttled. Expected available in 86400 seconds.', {
        headers: { 'Retry-After': '86400' },
      });
    }
    this.creationsLeftToday--;
    const attributes = data.attributes as Record<string, unknown>;
    const id = `N${this.nextSegment++}`;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const segment: Resource = {
      type: 'segment',
      id,
      attributes: {
        name: attributes.name,
        definition: attributes.definition,
        created: now,
        updated: now,
        is_active: true,
        is_processing: true,
        is_starred: attributes.is_starred ?? false,
      },
      relationships: { profiles: { links: { self: '…', related: '…' } } },
      links: { self: `https://a.klaviyo.com/api/segments/${id}/` },
    };
    this.data.segments.push(segment);
    this.send(res, request, 201, { data: segment, links: { self: `${this.linkOrigin}/api/segments/` } });
  }

  private updateSegment(request: RecordedRequest, res: ServerResponse, id: string): void {
    if (!this.checkQuery(request, res, {})) return;
    const data = this.checkBody(request, res, this.validateUpdate);
    if (!data) return;
    if (data.id !== id) {
      this.violation(request, `the body's id ${String(data.id)} differs from the path's ${id}`);
      return this.error(res, request, 409, 'conflict', 'Conflict.', 'The id in the body does not match the URL.', { pointer: '/data/id' });
    }
    const attributes = data.attributes as Record<string, unknown>;
    if (attributes.is_active === false && Object.keys(attributes).length > 1) {
      this.violation(request, 'is_active:false must be the only attribute');
      return this.error(res, request, 400, 'invalid', 'Invalid input.', 'When deactivating, is_active must be the only attribute.', {
        pointer: '/data/attributes',
      });
    }
    const segment = this.data.segments.find((s) => s.id === id);
    if (!segment) return this.error(res, request, 404, 'not_found', 'Not found.', `Segment ${id} was not found.`);
    if (this.writeTooSoon(request, res)) return;
    for (const [key, value] of Object.entries(attributes)) if (value !== null) segment.attributes[key] = value;
    segment.attributes.updated = new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
    this.send(res, request, 200, { data: segment, links: { self: `${this.linkOrigin}/api/segments/${id}/` } });
  }
}

// ---------------------------------------------------------------------------------------------
// Test harness: running the CLI as a user does, temporary folders, and a transcript of every
// output so the secrets test can grep it for the key.

export const REPO = join(__dirname, '..', '..', '..');

/** Everything the tests saw: CLI stdout/stderr and error messages. */
export const transcript: string[] = [];

/** One root for every temporary folder of these tests, so the secrets test can grep all files written. */
export const TEST_ROOT = mkdtempSync(join(tmpdir(), 'segment-lens-klaviyo-'));

// Mocha root hook (when loaded by mocha): remove every temporary folder after the last test.
if (typeof after === 'function') after(() => rmSync(TEST_ROOT, { recursive: true, force: true }));

export function tempDir(name: string): string {
  const dir = join(TEST_ROOT, `${name}-${Math.random().toString(36).slice(2, 8)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The CLI to run: the built bin/segment-lens.js, or $SEGMENT_LENS_CLI. */
export function cliPath(): string {
  return process.env.SEGMENT_LENS_CLI ?? join(REPO, 'bin', 'segment-lens.js');
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Environment for a CLI run against the fake: the key, fast retries, no client-side pacing, a private cache folder. */
export function cliEnv(fake: FakeKlaviyo, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    KLAVIYO_API_KEY: fake.apiKey,
    SEGMENT_LENS_KLAVIYO_RATE_SCALE: '0',
    SEGMENT_LENS_KLAVIYO_RETRY_BASE_MS: '5',
    SEGMENT_LENS_KLAVIYO_RETRY_MAX_MS: '50',
    SEGMENT_LENS_KLAVIYO_MAX_RETRIES: '3',
    SEGMENT_LENS_KLAVIYO_TIMEOUT_MS: '5000',
    SEGMENT_LENS_CACHE_DIR: join(TEST_ROOT, 'cache'),
    ...extra,
  };
}

/** Runs `node bin/segment-lens.js args…` asynchronously (the fake server lives in this process). */
export function runCli(args: string[], options: { env?: Record<string, string | undefined>; input?: string; cwd?: string } = {}): Promise<CliRun> {
  const started = Date.now();
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KLAVIYO_API_KEY;
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath(), ...args], { cwd: options.cwd ?? REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (/unknown command '(pull|pull-segments|push)'/.test(stderr)) {
        reject(
          new Error(
            `${cliPath()} has no "${args[0]}" command: register registerPullCommand, registerPullSegmentsCommand and registerPushCommand in server/src/cli/main.ts and run npm run build (or point $SEGMENT_LENS_CLI at a CLI that has them).`,
          ),
        );
        return;
      }
      transcript.push(`$ segment-lens ${args.join(' ')}\n${stdout}\n${stderr}`);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Every file under a folder (hidden ones included), with its bytes as text. */
export function filesUnder(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(d, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else out.push({ path, text: readFileSync(path).toString('latin1') });
    }
  };
  walk(dir);
  return out;
}

/** JSONL file → parsed lines. */
export function readJsonl(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
