/**
 * The Klaviyo endpoints Segment Lens calls, with their documented rate limits and scopes
 * (API revision 2026-07-15). Limits marked "L tier" are Klaviyo's standard large tier
 * (75/s burst, 700/m steady) for endpoints whose page in our reference does not state one.
 */

export const API_REVISION = '2026-07-15';
export const DEFAULT_BASE_URL = 'https://a.klaviyo.com';
export const JSON_API = 'application/vnd.api+json';

export type EndpointId =
  'metrics' | 'lists' | 'list-profiles' | 'profiles' | 'profiles-predictive' | 'events' | 'segments' | 'segment' | 'segment-create' | 'segment-update';

export interface EndpointInfo {
  id: EndpointId;
  method: 'GET' | 'POST' | 'PATCH';
  /** For messages: `GET /api/profiles`. */
  label: string;
  /** The scopes a private key needs for this call. */
  scopes: string[];
  /** Requests per fixed one-second window (burst) and per fixed one-minute window (steady); see rateLimiter.ts. */
  burstPerSecond: number;
  steadyPerMinute: number;
  /** Requests per rolling day, where Klaviyo documents one. */
  dailyLimit?: number;
  /** Largest `page[size]`, when the endpoint takes one. */
  maxPageSize?: number;
  /** What the scope is called in Klaviyo's key editor, for messages. */
  scopeHint: string;
}

export const ENDPOINTS: Record<EndpointId, EndpointInfo> = {
  metrics: {
    id: 'metrics',
    method: 'GET',
    label: 'GET /api/metrics',
    scopes: ['metrics:read'],
    burstPerSecond: 10,
    steadyPerMinute: 150,
    scopeHint: 'Read access to Metrics',
  },
  lists: {
    id: 'lists',
    method: 'GET',
    label: 'GET /api/lists',
    scopes: ['lists:read'],
    burstPerSecond: 75,
    steadyPerMinute: 700,
    scopeHint: 'Read access to Lists',
  },
  'list-profiles': {
    id: 'list-profiles',
    method: 'GET',
    label: 'GET /api/lists/{id}/profiles',
    scopes: ['lists:read', 'profiles:read'],
    burstPerSecond: 75,
    steadyPerMinute: 700,
    maxPageSize: 100,
    scopeHint: 'Read access to Lists and Profiles',
  },
  profiles: {
    id: 'profiles',
    method: 'GET',
    label: 'GET /api/profiles',
    scopes: ['profiles:read'],
    burstPerSecond: 75,
    steadyPerMinute: 750,
    maxPageSize: 100,
    scopeHint: 'Read access to Profiles',
  },
  'profiles-predictive': {
    id: 'profiles-predictive',
    method: 'GET',
    label: 'GET /api/profiles (with predictive_analytics)',
    scopes: ['profiles:read'],
    burstPerSecond: 10,
    steadyPerMinute: 150,
    maxPageSize: 100,
    scopeHint: 'Read access to Profiles',
  },
  events: {
    id: 'events',
    method: 'GET',
    label: 'GET /api/events',
    scopes: ['events:read'],
    burstPerSecond: 350,
    steadyPerMinute: 3500,
    maxPageSize: 1000,
    scopeHint: 'Read access to Events',
  },
  segments: {
    id: 'segments',
    method: 'GET',
    label: 'GET /api/segments',
    scopes: ['segments:read'],
    burstPerSecond: 75,
    steadyPerMinute: 700,
    scopeHint: 'Read access to Segments',
  },
  segment: {
    id: 'segment',
    method: 'GET',
    label: 'GET /api/segments/{id}',
    scopes: ['segments:read'],
    burstPerSecond: 75,
    steadyPerMinute: 700,
    scopeHint: 'Read access to Segments',
  },
  'segment-create': {
    id: 'segment-create',
    method: 'POST',
    label: 'POST /api/segments',
    scopes: ['segments:write'],
    burstPerSecond: 1,
    steadyPerMinute: 15,
    dailyLimit: 100,
    scopeHint: 'Full access to Segments',
  },
  'segment-update': {
    id: 'segment-update',
    method: 'PATCH',
    label: 'PATCH /api/segments/{id}',
    scopes: ['segments:write'],
    burstPerSecond: 1,
    steadyPerMinute: 15,
    dailyLimit: 100,
    scopeHint: 'Full access to Segments',
  },
};
