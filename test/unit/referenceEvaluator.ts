/**
 * A deliberately simple, independent reference evaluator for segment definitions, used by the
 * engine tests as an oracle. It works one profile at a time on the raw Klaviyo resources
 * (profiles, events, list members, metrics, lists) straight from the rules in docs/semantics.md
 * ("semantics §N" below is its Nth section), with none of the engine's columns, bitsets,
 * compiled filters or date code. Only the engine's `parsePropertyPath` is shared (how a property
 * name is written is syntax, not semantics). It is slow on purpose: clarity over speed.
 *
 * Where the semantics leave a detail open, this file follows the Segment Lens decision (SL) the
 * engine documents, and says so in a comment marked "SL".
 */
import countries from 'i18n-iso-countries/index';
import de from 'i18n-iso-countries/langs/de.json';
import en from 'i18n-iso-countries/langs/en.json';
import es from 'i18n-iso-countries/langs/es.json';
import fr from 'i18n-iso-countries/langs/fr.json';
import it from 'i18n-iso-countries/langs/it.json';
import nl from 'i18n-iso-countries/langs/nl.json';
import pt from 'i18n-iso-countries/langs/pt.json';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { parsePropertyPath } from '../../server/src/engine/propertyPath';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const zipcodes: { lookup(code: string): { latitude: number; longitude: number } | undefined } = require('zipcodes');

type Json = any;

/** The raw workspace: records in Klaviyo's API shapes. */
export interface ReferenceData {
  readonly profiles: readonly Json[];
  readonly metrics: readonly Json[];
  readonly lists: readonly Json[];
  /** Member resources (with `attributes.joined_group_at`) by list ID. */
  readonly listMembers: Readonly<Record<string, readonly Json[]>>;
  readonly events: readonly Json[];
}

export type ReferenceOutcome = Set<string> | 'not-evaluable';

export interface ReferenceGroupResult {
  /** Profiles matching some condition of the group; null when a condition is not evaluable. */
  readonly matched: Set<string> | null;
  /** Profiles matching this group and every earlier one; null once anything is not evaluable. */
  readonly afterAnd: Set<string> | null;
  readonly conditions: readonly ReferenceOutcome[];
}

export interface ReferenceDefinitionResult {
  readonly total: number;
  readonly matched: Set<string> | null;
  readonly groups: readonly ReferenceGroupResult[];
}

/** Thrown while evaluating a condition that cannot be evaluated locally. */
class NotEvaluable extends Error {}

const DAY = 86_400_000;
const HOUR = 3_600_000;

// ---------------------------------------------------------------------------------------------
// Small helpers

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Semantics §3: `null` counts as missing. */
const isMissing = (v: unknown): boolean => v === undefined || v === null;
const get = (o: unknown, key: string): Json => (isObject(o) && Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined);

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, month1: number): number {
  return [31, isLeapYear(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month1 - 1];
}

/** Epoch ms of a UTC calendar instant (works for years below 100 too). */
function utc(y: number, month1: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, month1 - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

// ---------------------------------------------------------------------------------------------
// Instants (semantics §2)

/**
 * The instant a stored value denotes: a number is epoch seconds (SL); `YYYY-MM-DD` is 00:00 UTC
 * of that day; an ISO date-time is that instant (UTC when it carries no offset); anything else,
 * including impossible calendar dates such as 2023-02-29, is missing.
 */
export function referenceInstant(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (dateOnly) {
    const [y, mo, d] = dateOnly.slice(1).map(Number);
    if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
    return utc(y, mo, d);
  }
  const dateTime = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))?$/.exec(value);
  if (!dateTime) return undefined;
  const [y, mo, d, h, mi] = dateTime.slice(1, 6).map(Number);
  const s = dateTime[6] === undefined ? 0 : Number(dateTime[6]);
  // Fractions finer than a millisecond are truncated.
  const ms = dateTime[7] === undefined ? 0 : Number(dateTime[7].slice(0, 3).padEnd(3, '0'));
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  if (dateTime[10] !== undefined && (Number(dateTime[10]) > 23 || Number(dateTime[11]) > 59)) return undefined;
  // A space separator is only accepted without an offset (a local date-time).
  if (value[10] === ' ' && dateTime[8] !== undefined) return undefined;
  let offsetMinutes = 0;
  if (dateTime[8] !== undefined && dateTime[8] !== 'Z') {
    offsetMinutes = (dateTime[9] === '-' ? -1 : 1) * (Number(dateTime[10]) * 60 + Number(dateTime[11]));
  }
  return utc(y, mo, d, h, mi, s, ms) - offsetMinutes * 60_000;
}

function monthOf(t: number): number {
  return new Date(t).getUTCMonth() + 1;
}

function dayOf(t: number): number {
  return new Date(t).getUTCDate();
}

/**
 * `t`'s month-day placed in `year` at 00:00 UTC (an anniversary is a day), or undefined for
 * 29 February in a year that has none (semantics §2: such anniversaries match only in leap years).
 */
function placeInYear(t: number, year: number): number | undefined {
  const date = new Date(t);
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  if (month === 2 && day === 29 && !isLeapYear(year)) return undefined;
  return utc(year, month, day, 0, 0, 0, 0);
}

/**
 * A date filter as a test on instants (semantics §2), straight from the tables. Throws
 * NotEvaluable when the filter is incomplete.
 */
export function referenceDateTest(filter: Json, nowMs: number): (t: number) => boolean {
  if (!isObject(filter)) throw new NotEvaluable('no date filter');
  const now = nowMs;
  const d0 = Math.floor(now / DAY) * DAY;
  const nowDate = new Date(now);
  const year = nowDate.getUTCFullYear();
  const month = nowDate.getUTCMonth() + 1;
  const day = nowDate.getUTCDate();
  const unit = filter.unit;
  const days = unit === 'day' ? 1 : unit === 'week' ? 7 : undefined;
  const relative = unit === 'hour' || days !== undefined;
  const quantity = typeof filter.quantity === 'number' ? filter.quantity : undefined;
  /** `D0 − n·d` (days, weeks as 7 days) or `now − n·h` (hours). */
  const ago = (n: number): number => (unit === 'hour' ? now - n * HOUR : d0 - n * (days as number) * DAY);
  /**
   * The exclusive end of "the next n units": `D0 + (n+1)·d` for days (7n+1 days for weeks); for
   * hours (SL, not spelled out by the semantics) `now + n·h`, inclusive like the past side.
   */
  const ahead = (n: number): { end: number; inclusive: boolean } =>
    unit === 'hour' ? { end: now + n * HOUR, inclusive: true } : { end: d0 + (n * (days as number) + 1) * DAY, inclusive: false };
  const staticInstant = (v: unknown): number => {
    const t = typeof v === 'string' ? referenceInstant(v) : undefined;
    if (t === undefined) throw new NotEvaluable('bad static date');
    return t;
  };
  const isMidnight = (t: number): boolean => t % DAY === 0;

  switch (filter.operator) {
    case 'alltime':
      return () => true;
    case 'in-the-last': {
      if (!relative || quantity === undefined) break;
      const lo = ago(quantity);
      return (t) => lo <= t && t <= now;
    }
    case 'at-least': {
      if (!relative || quantity === undefined) break;
      const hi = ago(quantity);
      return (t) => t < hi;
    }
    case 'between': {
      if (!relative || typeof filter.start !== 'number' || typeof filter.end !== 'number') break;
      const lo = ago(filter.end);
      const hi = ago(filter.start - 1);
      return (t) => lo <= t && t < hi;
    }
    case 'in-the-next': {
      if (!relative || quantity === undefined) break;
      const { end, inclusive } = ahead(quantity);
      return (t) => now <= t && (inclusive ? t <= end : t < end);
    }
    case 'before': {
      const x = staticInstant(filter.date);
      return (t) => t < x;
    }
    case 'after': {
      const x = staticInstant(filter.date);
      // Midnight: the UI's day rule, the chosen day is excluded. Otherwise the exact instant.
      return isMidnight(x) ? (t) => t >= x + DAY : (t) => t > x;
    }
    case 'between-static': {
      const x = staticInstant(filter.start);
      const y = staticInstant(filter.end);
      return isMidnight(y) ? (t) => x <= t && t < y + DAY : (t) => x <= t && t <= y;
    }
    case 'calendar-month': {
      if (typeof filter.value !== 'number') break;
      const m = filter.value;
      return (t) => monthOf(t) === m;
    }
    case 'anniversary':
      return (t) => monthOf(t) === month && dayOf(t) === day;
    case 'anniversary-month':
      return (t) => monthOf(t) === month;
    case 'anniversary-last': {
      if (!relative || quantity === undefined) break;
      const lo = ago(quantity);
      return (t) =>
        [year, year - 1].some((y) => {
          const placed = placeInYear(t, y);
          return placed !== undefined && lo <= placed && placed <= now;
        });
    }
    case 'anniversary-next': {
      if (!relative || quantity === undefined) break;
      const { end, inclusive } = ahead(quantity);
      return (t) =>
        [year, year + 1].some((y) => {
          const placed = placeInYear(t, y);
          return placed !== undefined && now <= placed && (inclusive ? placed <= end : placed < end);
        });
    }
  }
  throw new NotEvaluable(`date filter ${JSON.stringify(filter)}`);
}

// ---------------------------------------------------------------------------------------------
// Value filters (semantics §3)

/** A null filter value compares as the empty text (SL). */
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

const phoneRegionCache = new Map<string, string | undefined>();
function phoneRegion(phone: string): string | undefined {
  if (!phoneRegionCache.has(phone)) phoneRegionCache.set(phone, parsePhoneNumberFromString(phone)?.country);
  return phoneRegionCache.get(phone);
}

function compareNumbers(operator: unknown, a: number, b: number): boolean {
  switch (operator) {
    case 'equals':
      return a === b;
    case 'not-equals':
      return a !== b;
    case 'greater-than':
      return a > b;
    case 'greater-than-or-equal':
      return a >= b;
    case 'less-than':
      return a < b;
    case 'less-than-or-equal':
      return a <= b;
  }
  throw new NotEvaluable(`numeric operator ${String(operator)}`);
}

/**
 * Whether one stored value (undefined/null = missing) passes a filter. Missing values pass only
 * `not-set`; a value of the wrong type passes nothing.
 */
export function referenceValueMatches(filter: Json, value: unknown, nowMs: number): boolean {
  if (!isObject(filter)) throw new NotEvaluable('no filter');
  const op = filter.operator;
  if (filter.type === 'existence') {
    if (op === 'is-set') return !isMissing(value);
    if (op === 'not-set') return isMissing(value);
    throw new NotEvaluable(`existence operator ${String(op)}`);
  }
  // Validate date filters even when the value is missing (a broken filter is not evaluable).
  const dateTest = filter.type === 'date' ? referenceDateTest(filter, nowMs) : undefined;
  if (filter.type === 'string' && (op === 'regex' || op === 'nregex')) {
    try {
      new RegExp(text(filter.value));
    } catch {
      throw new NotEvaluable('bad regex');
    }
  }
  if (isMissing(value)) return false;
  const v = value as Json;
  switch (filter.type) {
    case 'boolean':
      if (op !== 'equals' || typeof filter.value !== 'boolean') break;
      return v === filter.value;
    case 'numeric':
      if (typeof filter.value !== 'number') break;
      return typeof v === 'number' && Number.isFinite(v) && compareNumbers(op, v, filter.value);
    case 'date': {
      const t = referenceInstant(v);
      return t !== undefined && (dateTest as (t: number) => boolean)(t);
    }
    case 'string': {
      if (typeof v !== 'string') return false;
      const s = text(filter.value);
      switch (op) {
        case 'equals':
          return v === s;
        case 'not-equals':
          return v !== s;
        case 'contains':
          return v.includes(s);
        case 'not-contains':
          return !v.includes(s);
        case 'starts-with':
          return v.startsWith(s);
        case 'not-starts-with':
          return !v.startsWith(s);
        case 'ends-with':
          return v.endsWith(s);
        case 'not-ends-with':
          return !v.endsWith(s);
        case 'regex':
          return new RegExp(s).test(v);
        case 'nregex':
          return !new RegExp(s).test(v);
        case 'in':
        case 'not-in':
          if (!Array.isArray(filter.value)) break;
          return filter.value.includes(v) === (op === 'in');
        case 'phone-country-code-in':
        case 'phone-country-code-not-in': {
          if (!Array.isArray(filter.value)) break;
          const region = phoneRegion(v);
          // SL: a number whose country cannot be determined matches neither operator.
          if (region === undefined) return false;
          const codes = filter.value.filter((c: unknown) => typeof c === 'string').map((c: string) => c.toUpperCase());
          return codes.includes(region) === (op === 'phone-country-code-in');
        }
      }
      break;
    }
    case 'list': {
      if (!Array.isArray(v)) return false;
      // SL: a null element value stands for an empty item ("" or null).
      const isElement = (e: unknown) => e === filter.value || (filter.value === null && (e === '' || e === null));
      switch (op) {
        case 'contains':
          return v.some(isElement);
        case 'not-contains':
          return !v.some(isElement);
        case 'contains-any':
          return Array.isArray(filter.value) && filter.value.some((w: unknown) => v.includes(w));
        case 'contains-all':
          return Array.isArray(filter.value) && filter.value.every((w: unknown) => v.includes(w));
        case 'not-contains-any':
          return Array.isArray(filter.value) && !filter.value.some((w: unknown) => v.includes(w));
        case 'not-contains-all':
          return Array.isArray(filter.value) && !filter.value.every((w: unknown) => v.includes(w));
        case 'contains-substring':
          return v.some((e) => typeof e === 'string' && e.includes(text(filter.value)));
        case 'not-contains-substring':
          return !v.some((e) => typeof e === 'string' && e.includes(text(filter.value)));
      }
      if (typeof op === 'string' && op.startsWith('length-') && typeof filter.value === 'number') {
        return compareNumbers(op.slice('length-'.length), v.length, filter.value);
      }
      break;
    }
  }
  throw new NotEvaluable(`filter ${JSON.stringify(filter)}`);
}

// ---------------------------------------------------------------------------------------------
// Countries and positions

for (const locale of [en, de, fr, es, it, nl, pt]) countries.registerLocale(locale);
const LOCALE_CODES = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt'];

/** The 27 EU member states (semantics §4; the UK left in 2020). */
const EU = [
  'AT', // Austria
  'BE', // Belgium
  'BG', // Bulgaria
  'CY', // Cyprus
  'CZ', // Czechia
  'DE', // Germany
  'DK', // Denmark
  'EE', // Estonia
  'ES', // Spain
  'FI', // Finland
  'FR', // France
  'GR', // Greece
  'HR', // Croatia
  'HU', // Hungary
  'IE', // Ireland
  'IT', // Italy
  'LT', // Lithuania
  'LU', // Luxembourg
  'LV', // Latvia
  'MT', // Malta
  'NL', // Netherlands
  'PL', // Poland
  'PT', // Portugal
  'RO', // Romania
  'SE', // Sweden
  'SI', // Slovenia
  'SK', // Slovakia
];
if (EU.length !== 27) throw new Error('the EU has 27 member states');

/** ISO alpha-2 of a free-form country (a name, an alpha-2 or an alpha-3 code, any case). */
export function referenceCountry(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  const upper = v.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper)) {
    if (countries.isValid(upper)) return upper;
    if (upper === 'UK') return 'GB';
  }
  if (/^[A-Z]{3}$/.test(upper) && countries.isValid(upper)) return countries.alpha3ToAlpha2(upper);
  for (const locale of LOCALE_CODES) {
    const code = countries.getAlpha2Code(v, locale);
    if (code) return code;
  }
  return undefined;
}

interface Position {
  lat: number;
  lon: number;
}

/** Centroid of a US 5-digit ZIP (ZIP+4 accepted) or a Canadian postal code (its FSA = first 3 characters). */
function centroid(countryAlpha2: string, postal: string): Position | undefined {
  let key: string | undefined;
  const zip = /^(\d{5})(-\d{4})?$/.exec(postal.trim());
  if (countryAlpha2 === 'US' && zip) key = zip[1];
  if (countryAlpha2 === 'CA') key = postal.trim().toUpperCase().slice(0, 3);
  const info = key ? zipcodes.lookup(key) : undefined;
  return info ? { lat: info.latitude, lon: info.longitude } : undefined;
}

function coordinate(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/**
 * location.latitude/longitude when both are set (and are coordinates on Earth), else the centroid
 * of location.zip in location.country.
 */
function position(location: unknown): Position | undefined {
  const lat = coordinate(get(location, 'latitude'));
  const lon = coordinate(get(location, 'longitude'));
  if (lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) return { lat, lon };
  const country = referenceCountry(get(location, 'country'));
  const zip = get(location, 'zip');
  return country && typeof zip === 'string' ? centroid(country, zip) : undefined;
}

/** Great-circle distance (haversine), earth radius 6371.0088 km. */
function greatCircleKm(a: Position, b: Position): number {
  const r = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * r) / 2) ** 2 + Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(((b.lon - a.lon) * r) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

// ---------------------------------------------------------------------------------------------
// The workspace, as plain per-profile data

interface RefEvent {
  profileId: string;
  metricId: string;
  time: number;
  properties: Record<string, Json>;
  /** Position in the input, to keep equal-time events in input order. */
  seq: number;
}

interface Prepared {
  /** Profile IDs in workspace order. */
  ids: string[];
  attributes: Map<string, Record<string, Json>>;
  metricIds: Set<string>;
  /** Events by profile then metric, in time order. */
  events: Map<string, Map<string, RefEvent[]>>;
  /** joined_group_at (raw) by member, by list ID. */
  members: Map<string, Map<string, Json>>;
}

const preparedCache = new WeakMap<ReferenceData, Prepared>();

function prepare(data: ReferenceData): Prepared {
  const cached = preparedCache.get(data);
  if (cached) return cached;
  const ids: string[] = [];
  const attributes = new Map<string, Record<string, Json>>();
  for (const p of data.profiles) {
    if (!isObject(p) || typeof p.id !== 'string' || p.id === '') continue;
    if (!attributes.has(p.id)) ids.push(p.id);
    attributes.set(p.id, documentedTypesOnly(p.attributes));
  }
  const members = new Map<string, Map<string, Json>>();
  for (const l of data.lists) if (isObject(l) && typeof l.id === 'string') members.set(l.id, new Map());
  for (const [listId, lines] of Object.entries(data.listMembers)) {
    if (!members.has(listId)) members.set(listId, new Map());
    for (const m of lines) {
      if (!isObject(m) || typeof m.id !== 'string' || m.id === '') continue;
      const attrs = isObject(m.attributes) ? m.attributes : {};
      if (!attributes.has(m.id)) {
        // A member unknown to profiles.jsonl is kept as a profile with its member attributes.
        const { joined_group_at: _ignored, ...rest } = attrs;
        ids.push(m.id);
        attributes.set(m.id, documentedTypesOnly(rest));
      }
      (members.get(listId) as Map<string, Json>).set(m.id, attrs.joined_group_at);
    }
  }
  const metricIds = new Set<string>();
  for (const m of data.metrics) if (isObject(m) && typeof m.id === 'string') metricIds.add(m.id);
  const all: RefEvent[] = [];
  data.events.forEach((e, seq) => {
    const attrs = get(e, 'attributes');
    const metricId = get(get(get(e, 'relationships'), 'metric'), 'data')?.id;
    const profileId = get(get(get(e, 'relationships'), 'profile'), 'data')?.id;
    const timestamp = get(attrs, 'timestamp');
    const datetime = get(attrs, 'datetime');
    const time = typeof timestamp === 'number' ? timestamp * 1000 : typeof datetime === 'string' ? referenceInstant(datetime) : undefined;
    if (typeof metricId !== 'string' || metricId === '' || typeof profileId !== 'string' || profileId === '') return;
    if (time === undefined || !Number.isFinite(time) || !attributes.has(profileId)) return;
    metricIds.add(metricId);
    const raw = get(attrs, 'event_properties');
    all.push({ profileId, metricId, time, properties: isObject(raw) ? raw : {}, seq });
  });
  all.sort((a, b) => a.time - b.time || a.seq - b.seq);
  const events = new Map<string, Map<string, RefEvent[]>>();
  for (const e of all) {
    let byMetric = events.get(e.profileId);
    if (!byMetric) events.set(e.profileId, (byMetric = new Map()));
    let list = byMetric.get(e.metricId);
    if (!list) byMetric.set(e.metricId, (list = []));
    list.push(e);
  }
  const prepared = { ids, attributes, metricIds, events, members };
  preparedCache.set(data, prepared);
  return prepared;
}

// SL (docs/workspace-format.md, "Bad data"): an attribute the workspace format documents, holding
// another JSON type than documented, is not stored: it reads as missing. Dates may be texts or
// numbers (epoch seconds); null is allowed everywhere; anything undocumented may hold anything.
type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array';
const TEXT: JsonType[] = ['string'];
const DATE: JsonType[] = ['string', 'number'];
const COORDINATE: JsonType[] = ['string', 'number'];
const PROFILE_TYPES: Record<string, JsonType[]> = {
  email: TEXT,
  phone_number: TEXT,
  external_id: TEXT,
  first_name: TEXT,
  last_name: TEXT,
  organization: TEXT,
  locale: TEXT,
  title: TEXT,
  image: TEXT,
  created: DATE,
  updated: DATE,
  last_event_date: DATE,
  location: ['object'],
  properties: ['object'],
  subscriptions: ['object'],
  predictive_analytics: ['object'],
};
const LOCATION_TYPES: Record<string, JsonType[]> = {
  address1: TEXT,
  address2: TEXT,
  city: TEXT,
  country: TEXT,
  region: TEXT,
  zip: TEXT,
  timezone: TEXT,
  ip: TEXT,
  latitude: COORDINATE,
  longitude: COORDINATE,
};
const SUBSCRIPTION_TYPES: Record<string, JsonType[]> = {
  can_receive_email_marketing: ['boolean'],
  can_receive_sms_marketing: ['boolean'],
  can_receive_sms_transactional: ['boolean'],
  can_receive_push_marketing: ['boolean'],
  can_receive: ['boolean'],
  double_optin: ['boolean'],
  consent: TEXT,
  method: TEXT,
  method_detail: TEXT,
  custom_method_detail: TEXT,
  phone_number: TEXT,
  consent_timestamp: DATE,
  last_updated: DATE,
  created_timestamp: DATE,
  valid_until: DATE,
  suppression: ['array'],
  list_suppressions: ['array'],
};
const PREDICTIVE_TYPES: Record<string, JsonType[]> = {
  historic_clv: ['number'],
  predicted_clv: ['number'],
  total_clv: ['number'],
  historic_number_of_orders: ['number'],
  predicted_number_of_orders: ['number'],
  average_days_between_orders: ['number'],
  average_order_value: ['number'],
  churn_probability: ['number'],
  expected_date_of_next_order: DATE,
  ranked_channel_affinity: ['array'],
  predicted_gender: TEXT,
  channel_affinity_rank: ['object'],
};

function jsonTypeOf(value: Json): JsonType | 'null' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

/** The fields of `record` whose types fit `types` (null always does). */
function fitting(record: Record<string, Json>, types: Record<string, JsonType[]>): Record<string, Json> {
  const kept: Record<string, Json> = {};
  for (const [key, value] of Object.entries(record)) {
    const type = jsonTypeOf(value);
    if (type === 'null' || !(key in types) || types[key].includes(type)) kept[key] = value;
  }
  return kept;
}

function documentedTypesOnly(attributes: Json): Record<string, Json> {
  if (!isObject(attributes)) return {};
  const kept = fitting(attributes, PROFILE_TYPES);
  if (isObject(kept.location)) kept.location = fitting(kept.location, LOCATION_TYPES);
  if (isObject(kept.predictive_analytics)) kept.predictive_analytics = fitting(kept.predictive_analytics, PREDICTIVE_TYPES);
  if (isObject(kept.subscriptions)) {
    const channels: Record<string, Json> = {};
    for (const [channel, kinds] of Object.entries(kept.subscriptions as Record<string, Json>)) {
      if (!isObject(kinds)) continue;
      channels[channel] = Object.fromEntries(
        Object.entries(kinds)
          .filter(([, record]) => isObject(record))
          .map(([kind, record]) => [kind, fitting(record, SUBSCRIPTION_TYPES)]),
      );
    }
    kept.subscriptions = channels;
  }
  return kept;
}

/** A profile's events of a metric that had happened by `nowMs` (later ones do not count yet). */
function eventsOf(w: Prepared, profileId: string, metricId: string, nowMs: number): RefEvent[] {
  return (w.events.get(profileId)?.get(metricId) ?? []).filter((e) => e.time <= nowMs);
}

/** Whether a profile exists as of `nowMs`: it was not created after it (unknown creation: it exists). */
function existsAt(w: Prepared, id: string, nowMs: number): boolean {
  const created = referenceInstant(get(w.attributes.get(id) ?? {}, 'created'));
  return created === undefined || created <= nowMs;
}

/** An event property as segments see it: `$event_id` and `$extra` are not segmentable (SL). */
function eventProperty(e: RefEvent, key: string): Json {
  if (key === '$event_id' || key === '$extra') return undefined;
  return get(e.properties, key);
}

/** Whether an event passes every metric filter (a filter without `filter` means "is set", SL). */
function passesMetricFilters(e: RefEvent, filters: Json, nowMs: number): boolean {
  if (isMissing(filters)) return true;
  if (!Array.isArray(filters)) throw new NotEvaluable('metric_filters is not a list');
  return filters.every((f) => {
    if (!isObject(f) || typeof f.property !== 'string') throw new NotEvaluable('metric filter without property');
    const value = eventProperty(e, f.property);
    if (isMissing(f.filter)) return !isMissing(value);
    return referenceValueMatches(f.filter, value, nowMs);
  });
}

// ---------------------------------------------------------------------------------------------
// Conditions (semantics §4), one profile at a time

type ProfileTest = (profileId: string, attrs: Record<string, Json>) => boolean;

const COMPLETION_WINDOWS: Record<string, number> = {
  HOURS_1: HOUR,
  DAYS_1: DAY,
  DAYS_3: 3 * DAY,
  DAYS_5: 5 * DAY,
  WEEKS_1: 7 * DAY,
  DAYS_30: 30 * DAY,
  DAYS_90: 90 * DAY,
  DAYS_180: 180 * DAY,
  YEARS_1: 365 * DAY,
};

const NUMERIC_DIMENSIONS = [
  'average_days_between_orders',
  'average_order_value',
  'churn_probability',
  'historic_clv',
  'historic_number_of_orders',
  'predicted_clv',
  'predicted_number_of_orders',
  'total_clv',
];

function propertyCondition(c: Json, nowMs: number): ProfileTest {
  if (typeof c.property !== 'string') throw new NotEvaluable('no property');
  const path = parsePropertyPath(c.property);
  let read: (attrs: Record<string, Json>) => Json;
  switch (path.kind) {
    case 'attribute':
      read = (a) => get(a, path.name);
      break;
    case 'location':
      read = (a) => get(get(a, 'location'), path.field);
      break;
    case 'custom':
      read = (a) => get(get(a, 'properties'), path.name);
      break;
    default:
      throw new NotEvaluable('unknown property');
  }
  referenceValueMatches(c.filter, undefined, nowMs); // validates the filter
  return (_id, a) => referenceValueMatches(c.filter, read(a), nowMs);
}

function metricCondition(w: Prepared, c: Json, nowMs: number): ProfileTest {
  if (typeof c.metric_id !== 'string' || !w.metricIds.has(c.metric_id)) throw new NotEvaluable('unknown metric');
  const inTimeframe = referenceDateTest(c.timeframe_filter, nowMs);
  const m = c.measurement_filter;
  if (!isObject(m) || typeof m.value !== 'number') throw new NotEvaluable('measurement filter');
  compareNumbers(m.operator, 0, 0);
  if (c.measurement !== 'count' && c.measurement !== 'sum') throw new NotEvaluable('measurement');
  return (id) => {
    let measure = 0;
    // Events in time order, so a sum adds in a fixed order.
    for (const e of eventsOf(w, id, c.metric_id, nowMs)) {
      if (!inTimeframe(e.time) || !passesMetricFilters(e, c.metric_filters, nowMs)) continue;
      if (c.measurement === 'count') measure += 1;
      else {
        const v = get(e.properties, '$value');
        measure += typeof v === 'number' && Number.isFinite(v) ? v : 0;
      }
    }
    // A profile without such events measures 0 and is still compared ("zero times").
    // Sums compare rounded to 6 decimal places (SL: 1.1 + 2.2 equals 3.3).
    return compareNumbers(m.operator, c.measurement === 'sum' ? Math.round(measure * 1e6) / 1e6 : measure, m.value);
  };
}

function funnelCondition(w: Prepared, c: Json, nowMs: number): ProfileTest {
  const inTimeframe = referenceDateTest(c.timeframe_filter, nowMs);
  const token = c.completion_window_seconds;
  const window = isMissing(token) ? Infinity : COMPLETION_WINDOWS[String(token)];
  if (window === undefined) throw new NotEvaluable('completion window');
  if (!Array.isArray(c.steps) || c.steps.length === 0) throw new NotEvaluable('no steps');
  for (const s of c.steps) {
    if (!isObject(s) || typeof s.metric_id !== 'string' || typeof s.metric_exists !== 'boolean') throw new NotEvaluable('bad step');
    if (!w.metricIds.has(s.metric_id)) throw new NotEvaluable('unknown metric');
  }
  const steps: Json[] = c.steps;
  const positive = steps.map((s, i) => (s.metric_exists ? i : -1)).filter((i) => i >= 0);
  if (positive.length === 0) throw new NotEvaluable('no positive step');
  return (id) => {
    // The events that qualify for each step: in the timeframe and passing its filters.
    const qualifying = steps.map((s) =>
      eventsOf(w, id, s.metric_id, nowMs).filter((e) => inTimeframe(e.time) && passesMetricFilters(e, s.metric_filters, nowMs)),
    );
    /** Whether a choice of events for the positive steps (same order as `positive`) satisfies every rule. */
    const accepts = (chosen: RefEvent[]): boolean => {
      const t1 = chosen[0].time;
      const tk = chosen[chosen.length - 1].time;
      if (tk - t1 > window) return false;
      return steps.every((s, i) => {
        if (s.metric_exists) return true;
        const before = positive.filter((p) => p < i);
        const after = positive.filter((p) => p > i);
        const prev = before.length ? chosen[positive.indexOf(before[before.length - 1])].time : undefined;
        const next = after.length ? chosen[positive.indexOf(after[0])].time : undefined;
        return !qualifying[i].some((e) => {
          if (prev !== undefined && next !== undefined) return prev < e.time && e.time < next;
          // Before the first positive step: from the timeframe's start (qualifying events are in it).
          if (prev === undefined) return e.time < (next as number);
          // After the last positive step: until t1 + window (inclusive), or the timeframe's end.
          return e.time > prev && e.time <= t1 + window;
        });
      });
    };
    /** Tries every assignment of distinct events, in non-decreasing time order, to the positive steps. */
    const search = (k: number, chosen: RefEvent[]): boolean => {
      if (k === positive.length) return accepts(chosen);
      for (const e of qualifying[positive[k]]) {
        if (chosen.includes(e)) continue;
        if (chosen.length && e.time < chosen[chosen.length - 1].time) continue;
        if (search(k + 1, [...chosen, e])) return true;
      }
      return false;
    };
    return search(0, []);
  };
}

function membershipCondition(w: Prepared, c: Json, nowMs: number): ProfileTest {
  if (!Array.isArray(c.group_ids) || c.group_ids.length !== 1 || typeof c.group_ids[0] !== 'string') throw new NotEvaluable('group_ids');
  const allMembers = w.members.get(c.group_ids[0]);
  if (!allMembers) throw new NotEvaluable('unknown list');
  // As of nowMs, someone who joined later is not a member yet; an unknown join date is a member.
  const members = new Map([...allMembers].filter(([, joined]) => !((referenceInstant(joined) ?? -Infinity) > nowMs)));
  if (c.is_member === false) return (id) => !members.has(id);
  if (c.is_member !== true) throw new NotEvaluable('is_member');
  if (isMissing(c.timeframe_filter)) return (id) => members.has(id);
  const inTimeframe = referenceDateTest(c.timeframe_filter, nowMs);
  return (id) => {
    if (!members.has(id)) return false;
    // A member whose join date is unknown fails any timeframe on it.
    const joined = referenceInstant(members.get(id));
    return joined !== undefined && inTimeframe(joined);
  };
}

const SUPPRESSION_REASONS: Record<string, string> = {
  bounce_date: 'HARD_BOUNCE',
  manual_suppression_date: 'USER_SUPPRESSED',
  invalid_email_date: 'INVALID_EMAIL',
};

function consentCondition(c: Json, nowMs: number): ProfileTest {
  const consent = c.consent;
  const channel = get(consent, 'channel');
  const recordKey = channel === 'email' ? 'email' : channel === 'sms' ? 'sms' : channel === 'push' ? 'mobile_push' : undefined;
  if (!recordKey || typeof get(consent, 'can_receive_marketing') !== 'boolean') throw new NotEvaluable('consent');
  const canField = `can_receive_${channel}_marketing`;
  const status = get(consent, 'consent_status');
  const subscription = get(status, 'subscription');
  const wanted: Record<string, string | undefined> = {
    any: undefined,
    subscribed: 'SUBSCRIBED',
    unsubscribed: 'UNSUBSCRIBED',
    never_subscribed: 'NEVER_SUBSCRIBED',
  };
  if (!(subscription in wanted)) throw new NotEvaluable('subscription');
  const filters: Json[] = Array.isArray(get(status, 'filters')) ? get(status, 'filters') : [];

  const filterTests = filters.map((item): ((record: Json) => boolean) => {
    if (!isObject(item)) throw new NotEvaluable('consent filter');
    switch (item.field) {
      case 'is_double_opt_in':
        referenceValueMatches(item.filter, undefined, nowMs);
        return (r) => referenceValueMatches(item.filter, get(r, 'double_optin'), nowMs);
      case 'status_date':
        referenceValueMatches(item.filter, undefined, nowMs);
        return (r) => referenceValueMatches(item.filter, get(r, 'consent_timestamp'), nowMs);
      case 'custom_source':
        referenceValueMatches(item.filter, undefined, nowMs);
        return (r) => referenceValueMatches(item.filter, get(r, 'custom_method_detail'), nowMs);
      case 'method': {
        if (typeof item.method !== 'string') throw new NotEvaluable('method');
        const method = item.method.toLowerCase();
        const f = item.filter;
        const inList: string[] | undefined = isObject(f) && Array.isArray(f.value) ? f.value.map((v: unknown) => String(v).toLowerCase()) : undefined;
        // The preference page's optional page-URL filter (an `equals` on method_detail).
        const page: string | undefined = isObject(f) && f.operator === 'equals' ? text(f.value).toLowerCase() : undefined;
        return (r) => {
          const actual = get(r, 'method');
          if (typeof actual !== 'string') return false;
          const detailRaw = get(r, 'method_detail');
          const detail = typeof detailRaw === 'string' ? detailRaw.toLowerCase() : undefined;
          // SL: for "integration", a record whose method is one of the named integrations counts too.
          if (method === 'integration' && inList?.includes(actual.toLowerCase())) return true;
          if (actual.toLowerCase() !== method) return false;
          if (inList && (detail === undefined || !inList.includes(detail))) return false;
          if (page !== undefined && detail !== page) return false;
          return true;
        };
      }
      case 'bounce_date':
      case 'manual_suppression_date':
      case 'invalid_email_date': {
        const reason = SUPPRESSION_REASONS[item.field];
        const isSet = isObject(item.filter) && item.filter.type === 'existence' && item.filter.operator === 'is-set';
        const inWindow = isSet ? () => true : referenceDateTest(item.filter, nowMs);
        return (r) => {
          const entries = get(r, 'suppression');
          if (!Array.isArray(entries)) return false;
          return entries.some((s) => {
            if (get(s, 'reason') !== reason) return false;
            const t = referenceInstant(get(s, 'timestamp'));
            return isSet ? true : t !== undefined && t <= nowMs && inWindow(t);
          });
        };
      }
    }
    throw new NotEvaluable(`consent filter field ${String(item.field)}`);
  });

  return (_id, a) => {
    const record = get(get(get(a, 'subscriptions'), recordKey), 'marketing');
    // A missing channel record: cannot receive, NEVER_SUBSCRIBED (SL).
    const consentValue = isObject(record) && !isMissing(record.consent) ? record.consent : 'NEVER_SUBSCRIBED';
    let canReceive = isObject(record) && record[canField] === true;
    // A profile with no email address cannot receive email (documented).
    if (channel === 'email') {
      const email = get(a, 'email');
      if (typeof email !== 'string' || email === '') canReceive = false;
    }
    // SMS never-subscribed cannot receive (documented).
    if (channel === 'sms' && consentValue === 'NEVER_SUBSCRIBED') canReceive = false;
    if (canReceive !== get(consent, 'can_receive_marketing')) return false;
    if (wanted[subscription] !== undefined && consentValue !== wanted[subscription]) return false;
    return filterTests.every((t) => t(isObject(record) ? record : {}));
  };
}

function postalCondition(c: Json): ProfileTest {
  const country = referenceCountry(c.country_code);
  if (country !== 'US' && country !== 'CA') throw new NotEvaluable('postal country');
  if (typeof c.postal_code !== 'string') throw new NotEvaluable('postal code');
  const centre = centroid(country, c.postal_code);
  if (!centre) throw new NotEvaluable('unknown postal code');
  const f = c.filter;
  if (!isObject(f) || typeof f.value !== 'number' || (f.operator !== 'less-than' && f.operator !== 'greater-than')) throw new NotEvaluable('distance filter');
  const kmPerUnit = c.unit === 'miles' ? 1.609344 : c.unit === 'kilometers' ? 1 : undefined;
  if (kmPerUnit === undefined) throw new NotEvaluable('unit');
  return (_id, a) => {
    const p = position(get(a, 'location'));
    if (!p) return false;
    const distance = greatCircleKm(centre, p);
    const limit = f.value * kmPerUnit;
    return f.operator === 'less-than' ? distance < limit : distance > limit;
  };
}

function regionCondition(c: Json): ProfileTest {
  if ((c.region !== 'european_union' && c.region !== 'united_states') || typeof c.in_region !== 'boolean') throw new NotEvaluable('region');
  return (_id, a) => {
    const code = referenceCountry(get(get(a, 'location'), 'country'));
    // No (recognisable) country: excluded both ways (documented).
    if (code === undefined) return false;
    const inside = c.region === 'european_union' ? EU.includes(code) : code === 'US';
    return inside === c.in_region;
  };
}

function predictiveCondition(w: Prepared, c: Json, nowMs: number): ProfileTest {
  const pa = (a: Record<string, Json>) => get(a, 'predictive_analytics');
  const someProfileCarries = (field: string) => w.ids.some((id) => !isMissing(get(pa(w.attributes.get(id) as Record<string, Json>), field)));
  if (NUMERIC_DIMENSIONS.includes(c.dimension)) {
    referenceValueMatches(c.filter, undefined, nowMs);
    return (_id, a) => referenceValueMatches(c.filter, get(pa(a), c.dimension), nowMs);
  }
  if (c.dimension === 'expected_date_of_next_purchase') {
    referenceValueMatches(c.filter, undefined, nowMs);
    return (_id, a) => referenceValueMatches(c.filter, get(pa(a), 'expected_date_of_next_order'), nowMs);
  }
  if (c.dimension === 'predicted_gender') {
    // Not in Klaviyo's profile API: evaluable only when the workspace carries it (SL).
    if (!someProfileCarries('predicted_gender')) throw new NotEvaluable('no predicted_gender');
    referenceValueMatches(c.filter, undefined, nowMs);
    return (_id, a) => referenceValueMatches(c.filter, get(pa(a), 'predicted_gender'), nowMs);
  }
  if (c.dimension === 'channel_affinity' && typeof c.predicted_channel === 'string' && isObject(c.filter)) {
    const channel = c.predicted_channel;
    if (c.measurement === 'priority') {
      // Priority n = the channel is at 1-based position n of ranked_channel_affinity (SL).
      const n = c.filter.value;
      if (c.filter.operator !== 'equals' || typeof n !== 'number') throw new NotEvaluable('priority filter');
      return (_id, a) => {
        const ranked = get(pa(a), 'ranked_channel_affinity');
        return Array.isArray(ranked) && n >= 1 && ranked[n - 1] === channel;
      };
    }
    if (c.measurement === 'rank') {
      if (!someProfileCarries('channel_affinity_rank')) throw new NotEvaluable('no channel_affinity_rank');
      referenceValueMatches(c.filter, undefined, nowMs);
      return (_id, a) => referenceValueMatches(c.filter, get(get(pa(a), 'channel_affinity_rank'), channel), nowMs);
    }
  }
  throw new NotEvaluable('predictive');
}

function conditionTest(w: Prepared, c: Json, nowMs: number): ProfileTest {
  if (!isObject(c)) throw new NotEvaluable('not an object');
  switch (c.type) {
    case 'profile-property':
      return propertyCondition(c, nowMs);
    case 'profile-metric':
      return metricCondition(w, c, nowMs);
    case 'profile-metric-funnel':
      return funnelCondition(w, c, nowMs);
    case 'profile-group-membership':
      return membershipCondition(w, c, nowMs);
    case 'profile-marketing-consent':
      return consentCondition(c, nowMs);
    case 'profile-postal-code-distance':
      return postalCondition(c);
    case 'profile-region':
      return regionCondition(c);
    case 'profile-predictive-analytics':
      return predictiveCondition(w, c, nowMs);
  }
  // profile-has-custom-object, profile-permissions (and anything unknown): not evaluable locally.
  throw new NotEvaluable(`condition type ${String(c.type)}`);
}

/** The profiles matching one condition, or 'not-evaluable'. */
export function referenceCondition(data: ReferenceData, condition: unknown, nowMs: number): ReferenceOutcome {
  const w = prepare(data);
  try {
    const test = conditionTest(w, condition, nowMs);
    return new Set(w.ids.filter((id) => existsAt(w, id, nowMs) && test(id, w.attributes.get(id) as Record<string, Json>)));
  } catch (error) {
    if (error instanceof NotEvaluable) return 'not-evaluable';
    throw error;
  }
}

/** Groups ANDed, conditions ORed; counts per group and after each AND. */
export function referenceDefinition(data: ReferenceData, definition: unknown, nowMs: number): ReferenceDefinitionResult {
  const w = prepare(data);
  const groupsJson: Json[] = isObject(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  const existing = w.ids.filter((id) => existsAt(w, id, nowMs));
  let running: Set<string> | null = new Set(existing); // empty condition_groups: everyone (who exists as of nowMs)
  const groups: ReferenceGroupResult[] = [];
  for (const g of groupsJson) {
    const conditionsJson: Json[] = isObject(g) && Array.isArray(g.conditions) ? g.conditions : [];
    const conditions = conditionsJson.map((c) => referenceCondition(data, c, nowMs));
    let matched: Set<string> | null = new Set(); // empty conditions: no one
    for (const outcome of conditions) {
      if (outcome === 'not-evaluable') matched = null;
      else if (matched) for (const id of outcome) matched.add(id);
    }
    const groupSet: Set<string> | null = matched;
    running = running && groupSet ? new Set([...running].filter((id) => groupSet.has(id))) : null;
    groups.push({ matched: groupSet, afterAnd: running, conditions });
  }
  return { total: existing.length, matched: running, groups };
}

/** The profiles a definition matches, or 'not-evaluable' when any condition is not evaluable. */
export function referenceMatches(data: ReferenceData, definition: unknown, nowMs: number): ReferenceOutcome {
  return referenceDefinition(data, definition, nowMs).matched ?? 'not-evaluable';
}
