/**
 * Random Klaviyo workspaces and random valid segment definitions (fast-check), for property
 * tests: the engine against the reference evaluator (test/unit/engine.property.test.ts) and the
 * SQL compiler against the engine (test/sql/). See engine.property.test.ts for what they cover.
 */
import fc from 'fast-check';
import { WorkspaceBuilder, type Workspace } from '../../server/src/engine/workspace';
import type { ReferenceData } from '../unit/referenceEvaluator';

type Json = any;

const DAY = 86_400_000;
const HOUR = 3_600_000;

// ---------------------------------------------------------------------------------------------
// "now": year ends, midnights, 29 February, a plain afternoon

export const NOWS = [
  '2024-06-17T15:00:00.000Z',
  '2024-02-29T12:00:00.000Z',
  '2024-02-28T23:30:00.000Z',
  '2025-02-28T10:00:00.000Z',
  '2025-03-01T00:00:00.000Z',
  '2024-12-31T23:59:59.500Z',
  '2025-01-01T00:00:00.000Z',
  '2025-01-02T08:15:30.250Z',
  '2028-02-29T00:00:00.000Z',
  '2023-12-30T18:00:00.000Z',
].map((s) => Date.parse(s));

// ---------------------------------------------------------------------------------------------
// Instants and how they are written

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function utc(y: number, month1: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, month1 - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

/** `t` as local wall time at `offsetMinutes` from UTC, with that offset (or Z). */
function isoWithOffset(t: number, offsetMinutes: number, withMs = false, zulu = false): string {
  const local = new Date(t + offsetMinutes * 60_000);
  const body = `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}${withMs ? `.${pad(local.getUTCMilliseconds(), 3)}` : ''}`;
  if (zulu && offsetMinutes === 0) return `${body}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${body}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const dateOnly = (t: number) => isoWithOffset(t, 0).slice(0, 10);

/** Instants around `now`, biased to the boundaries of the date filters. */
function instantNear(now: number): fc.Arbitrary<number> {
  const d0 = Math.floor(now / DAY) * DAY;
  const n = new Date(now);
  const [year, month, day] = [n.getUTCFullYear(), n.getUTCMonth() + 1, n.getUTCDate()];
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.integer({ min: -60, max: 60 }), fc.constantFrom(0, 0, -1, 1, -1000, 1000, HOUR, 12 * HOUR, DAY - 1000))
        .map(([k, dt]) => d0 + k * DAY + dt),
    },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.integer({ min: -100, max: 100 }), fc.constantFrom(0, 0, -1, 1, -1000, 1000, 30 * 60_000)).map(([k, dt]) => now + k * HOUR + dt),
    },
    // Anniversaries: same month-day as around today, years ago.
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: -10, max: 10 }), fc.constantFrom(0, 0, 9 * HOUR, 23 * HOUR + 59 * 60_000))
        .map(([years, dd, tod]) => utc(year - years, month, day + dd) + tod),
    },
    { weight: 1, arbitrary: fc.integer({ min: now - 800 * DAY, max: now + 400 * DAY }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        utc(2020, 2, 29),
        utc(2024, 2, 29, 10),
        utc(2000, 2, 29),
        utc(2016, 2, 29, 23),
        utc(2023, 2, 28),
        utc(2023, 3, 1),
        utc(2019, 12, 31, 23, 59, 59),
        utc(2021, 1, 1),
        utc(1996, 2, 29, 12),
      ),
    },
  );
}

/** A stored date value: ISO with Z or an offset, date-only, local (no offset), or epoch seconds. */
export function dateValue(now: number): fc.Arbitrary<string | number> {
  return fc.tuple(instantNear(now), fc.constantFrom('z', 'zms', 'utc', 'plus2', 'minus5', 'date', 'date', 'local', 'epoch', 'odd')).map(([t, format]) => {
    switch (format) {
      // Other ISO spellings: an offset without a colon, microseconds, a space instead of T.
      case 'odd':
        return [
          isoWithOffset(t, 330).replace(/:(\d\d)$/, '$1'),
          `${new Date(t).toISOString().slice(0, 23)}456Z`,
          isoWithOffset(t, 0).slice(0, 19).replace('T', ' '),
        ][t % 3];
      case 'z':
        return isoWithOffset(t, 0, false, true);
      case 'zms':
        return new Date(t).toISOString();
      case 'utc':
        return isoWithOffset(t, 0);
      case 'plus2':
        return isoWithOffset(t, 120);
      case 'minus5':
        return isoWithOffset(t, -300);
      case 'date':
        return dateOnly(t);
      case 'local':
        return isoWithOffset(t, 0).slice(0, 19);
      default:
        return Math.floor(t / 1000);
    }
  });
}

/** A static date-time for a filter: an exact midnight (UTC, or written at +02:00) or any instant. */
function staticDate(now: number): fc.Arbitrary<string> {
  const d0 = Math.floor(now / DAY) * DAY;
  return fc.oneof(
    fc.tuple(fc.integer({ min: -60, max: 30 }), fc.constantFrom(0, 120)).map(([k, offset]) => isoWithOffset(d0 + k * DAY, offset)),
    fc.tuple(instantNear(now), fc.constantFrom(0, 0, 120, -300)).map(([t, offset]) => isoWithOffset(t, offset)),
    instantNear(now).map((t) => new Date(t).toISOString()),
  );
}

// ---------------------------------------------------------------------------------------------
// Data

// The pools include values that once broke the engine: impossible calendar dates ("2023-02-29"),
// strings that are not dates ("10", "2024", "20240617", "10:00"), Hungary, and profile records
// that appear twice (the later one wins).

const MIXED_SCALARS = [
  'gold',
  'Gold',
  'silver',
  '',
  'New York',
  'new york',
  '42',
  '3.5',
  '-1',
  '10.0',
  'true',
  'vip',
  'alice@gmail.com',
  'Ann',
  'not a date',
  '2023-02-29',
  '2023-04-31',
  '10',
  '2024',
  '0042',
  '20240617',
  '10:00',
  0,
  1,
  2,
  3.5,
  10,
  42,
  -1,
  100,
  46.94,
  true,
  false,
  null,
] as const;
const MIXED_LISTS: Json[] = [[], ['vip'], ['vip', 'beta'], ['VIP'], [1, 2, 3], ['gold', 'silver', 'bronze'], ['a', 1, true], [''], ['10', 'vip']];

function mixedValue(now: number): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...MIXED_SCALARS) },
    { weight: 2, arbitrary: fc.constantFrom(...MIXED_LISTS) },
    { weight: 2, arbitrary: dateValue(now) },
    { weight: 1, arbitrary: fc.constantFrom('2024-02-29', '2000-02-29', '2020-02-29T12:00:00Z', '2023-13-01', '2024-06-17T25:00:00Z') },
  );
}

/** Mostly values of `main`, sometimes anything. */
function typed(main: fc.Arbitrary<Json>, now: number): fc.Arbitrary<Json> {
  return fc.oneof({ weight: 3, arbitrary: main }, { weight: 1, arbitrary: mixedValue(now) });
}

const COUNTRIES = [
  'United States',
  'US',
  'USA',
  'us',
  'usa',
  'united states',
  'Germany',
  'DE',
  'DEU',
  'Deutschland',
  'France',
  'FRA',
  'fr',
  'Ireland',
  'IE',
  'Italy',
  'ESP',
  'Netherlands',
  'Czechia',
  'Croatia',
  'Hungary',
  'HU',
  'HUN',
  'United Kingdom',
  'UK',
  'GB',
  'GBR',
  'Canada',
  'CA',
  'CAN',
  'Mexico',
  'MX',
  'Norway',
  'Switzerland',
  'Atlantis',
  '',
  'XX',
];
const ZIPS = [
  '10017',
  '10001',
  '02141',
  '90210',
  '60601',
  '94105',
  '10017-1234',
  ' 02141',
  'K1A 0B1',
  'k1a0b1',
  'M5V 2T6',
  'H2X',
  'K1A',
  'V6B 1A1',
  '00000',
  'ABCDE',
  '',
];
const ANCHORS = [
  { lat: 40.7517, lon: -73.9707 },
  { lat: 42.3626, lon: -71.0843 },
  { lat: 34.0901, lon: -118.4065 },
  { lat: 41.8858, lon: -87.6181 },
  { lat: 45.4207, lon: -75.7023 },
  { lat: 43.6525, lon: -79.3686 },
  { lat: 48.8566, lon: 2.3522 },
];

const coordinateArb = fc
  .tuple(fc.constantFrom(...ANCHORS), fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.double({ min: -1.5, max: 1.5, noNaN: true }), fc.boolean())
  .map(([a, dLat, dLon, asString]) => {
    const lat = Math.round((a.lat + dLat) * 10_000) / 10_000;
    const lon = Math.round((a.lon + dLon) * 10_000) / 10_000;
    return asString ? { latitude: lat.toFixed(4), longitude: lon.toFixed(4) } : { latitude: lat, longitude: lon };
  });

function locationArb(): fc.Arbitrary<Json> {
  return fc
    .tuple(
      fc.record(
        {
          country: fc.constantFrom(...COUNTRIES, null),
          zip: fc.constantFrom(...ZIPS, null),
          city: fc.constantFrom('New York', 'new york', 'Boston', '', null),
          region: fc.constantFrom('NY', 'MA', 'ON', null),
        },
        { requiredKeys: [] },
      ),
      fc.oneof(
        fc.constant({}),
        coordinateArb,
        coordinateArb.map((c) => ({ latitude: c.latitude })),
        fc.constant({ latitude: null, longitude: null }),
      ),
    )
    .map(([base, coords]) => ({ ...base, ...coords }));
}

const METHODS = [
  'PREFERENCE_PAGE',
  'preference_page',
  'FORM',
  'form',
  'API',
  'SHOPIFY',
  'INTEGRATION',
  'CONSTANT_CONTACT',
  'MANUAL_ADD',
  'MANUAL_IMPORT',
  'MANUAL_REMOVE',
  'SPAM_COMPLAINT',
  'CARRIER_DEACTIVATION',
  'CHECKOUT',
  'BACK_IN_STOCK',
  'SFTP',
  'INBOUND_MESSAGE',
  null,
];
const METHOD_DETAILS = [
  'mydomain.com/signup',
  'shopify',
  'Shopify',
  'constant_contact',
  'abcd',
  'ABCD',
  'FORM1',
  'form2',
  'alice@x.com',
  'Alice@X.com',
  '',
  null,
];

function marketingRecord(now: number, channel: 'email' | 'sms' | 'mobile_push'): fc.Arbitrary<Json> {
  const canField = channel === 'mobile_push' ? 'can_receive_push_marketing' : `can_receive_${channel}_marketing`;
  return fc
    .record(
      {
        can: fc.boolean(),
        consent: fc.constantFrom('SUBSCRIBED', 'UNSUBSCRIBED', 'NEVER_SUBSCRIBED', 'NEVER_SUBSCRIBED', null),
        consent_timestamp: fc.option(dateValue(now)),
        method: fc.constantFrom(...METHODS),
        method_detail: fc.constantFrom(...METHOD_DETAILS),
        custom_method_detail: fc.constantFrom(null, '', 'popup', 'Popup'),
        double_optin: fc.constantFrom(true, false, null),
        suppression: fc.array(
          fc.record({ reason: fc.constantFrom('HARD_BOUNCE', 'USER_SUPPRESSED', 'INVALID_EMAIL', 'UNSUBSCRIBE', 'SPAM_COMPLAINT'), timestamp: dateValue(now) }),
          { maxLength: 2 },
        ),
      },
      { requiredKeys: ['can', 'consent'] },
    )
    .map(({ can, ...rest }) => ({ [canField]: can, ...rest }));
}

function subscriptionsArb(now: number): fc.Arbitrary<Json> {
  return fc.record(
    {
      email: marketingRecord(now, 'email').map((marketing) => ({ marketing })),
      sms: marketingRecord(now, 'sms').map((marketing) => ({ marketing })),
      mobile_push: marketingRecord(now, 'mobile_push').map((marketing) => ({ marketing })),
    },
    { requiredKeys: [] },
  );
}

const CHANNELS = ['email', 'sms', 'push', 'whatsapp'];
const PREDICTIVE_NUMBERS = [0, 0.5, 0.89, 2, 46.94, 100, 189, null, '100'];
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

function predictiveArb(now: number): fc.Arbitrary<Json> {
  const numbers = Object.fromEntries(NUMERIC_DIMENSIONS.map((d) => [d, fc.constantFrom(...PREDICTIVE_NUMBERS)]));
  return fc.record(
    {
      ...numbers,
      expected_date_of_next_order: fc.oneof(dateValue(now), fc.constant(null)),
      ranked_channel_affinity: fc.oneof(fc.shuffledSubarray(CHANNELS), fc.constant(null)),
      predicted_gender: fc.constantFrom('likely_female', 'likely_male', 'uncertain', null),
      channel_affinity_rank: fc.oneof(
        fc.record(
          {
            email: fc.constantFrom('high', 'medium', 'low'),
            sms: fc.constantFrom('high', 'medium', 'low'),
            push: fc.constantFrom('high', 'medium', 'low'),
            whatsapp: fc.constantFrom('high', 'medium', 'low'),
          },
          { requiredKeys: [] },
        ),
        fc.constant(null),
      ),
    },
    { requiredKeys: [] },
  );
}

export function profileArb(now: number): fc.Arbitrary<Json> {
  return fc.record(
    {
      email: fc.constantFrom('alice@gmail.com', 'bob@Gmail.com', 'carol@yahoo.com', '', 'dave@hotmail.com', 'Erin@GMAIL.COM', 'frank@gmail.com ', null, 42),
      phone_number: fc.constantFrom(
        '+15005550006',
        '+14165550123',
        '+442071838750',
        '+33612345678',
        '+4915123456789',
        '+999123',
        '12025550123',
        '',
        null,
        12025550123,
      ),
      first_name: fc.constantFrom('Ann', 'ann', 'Bob', '', null, 'Ann-Marie', 'Zoë'),
      external_id: mixedValue(now),
      organization: mixedValue(now),
      locale: fc.constantFrom('en-US', 'fr-FR', 'en-GB', null),
      created: dateValue(now),
      updated: fc.oneof(dateValue(now), fc.constant(null)),
      last_event_date: mixedValue(now),
      location: fc.oneof(locationArb(), fc.constant(null)),
      // Each custom property mostly holds one type, sometimes anything (Klaviyo types per property,
      // but data is messy).
      properties: fc.record(
        {
          Plan: typed(fc.constantFrom('gold', 'Gold', 'silver', '', 'gold ', 'platinum', '42', 'vip'), now),
          Score: typed(fc.constantFrom(0, 1, 2, 3.5, 10, 42, -1, 100, 46.94, 9.99, '10.0', '42'), now),
          Birthday: typed(dateValue(now), now),
          Tags: typed(fc.constantFrom(...MIXED_LISTS), now),
          VIP: typed(fc.constantFrom(true, false, true, 'true', 1), now),
          "It's": mixedValue(now),
          Joined: dateValue(now),
        },
        { requiredKeys: [] },
      ),
      subscriptions: subscriptionsArb(now),
      predictive_analytics: predictiveArb(now),
    },
    { requiredKeys: [] },
  );
}

export const METRIC_IDS = ['M1', 'M2', 'M3'];
export const LIST_IDS = ['L1', 'L2'];

function eventPropertiesArb(): fc.Arbitrary<Json> {
  return fc.record(
    {
      Category: fc.constantFrom('Shoes', 'shoes', 'Boots', '', null, 42, ['Shoes']),
      Items: fc.constantFrom<Json>([], ['a'], ['a', 'b'], ['b', 'c'], ['A'], [1, 2], 'a', null, ['gold', 'vip'], ['Shoes', 'a']),
      Price: fc.constantFrom(0, 5, 9.99, 10, '10', -3, null, true),
      Gift: fc.constantFrom(true, false, 'true', null, 0),
      $value: fc.oneof(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 10_000 }).map((c) => c / 100),
        fc.constantFrom<Json>('12.50', null, true, -5),
      ),
      Brand: fc.constantFrom('Acme', 'acme', '', null, 'ACME Corp'),
      $event_id: fc.constantFrom('ord_1', 'ord_2'),
      $extra: fc.constant({ nested: true }),
      Count: fc.integer({ min: 0, max: 5 }),
    },
    { requiredKeys: [] },
  );
}

/** A profile for an event: mostly one of the first few (so profiles have several events). */
function eventProfile(profileCount: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 20, arbitrary: fc.integer({ min: 0, max: Math.min(profileCount - 1, 3) }).map((i) => `P${i}`) },
    { weight: 10, arbitrary: fc.integer({ min: 0, max: profileCount - 1 }).map((i) => `P${i}`) },
    { weight: 1, arbitrary: fc.constant('NOBODY') },
  );
}

export function eventArb(
  now: number,
  profileCount: number,
  time: fc.Arbitrary<number> = instantNear(now),
  profile: fc.Arbitrary<string> = eventProfile(profileCount),
): fc.Arbitrary<Json> {
  return fc
    .record({
      profile,
      metric: fc.constantFrom(...METRIC_IDS),
      time,
      encoding: fc.constantFrom('timestamp', 'timestamp', 'datetime', 'datetime-offset', 'both-conflicting'),
      other: instantNear(now),
      properties: fc.oneof({ weight: 8, arbitrary: eventPropertiesArb() }, { weight: 1, arbitrary: fc.constant(null) }),
    })
    .map(({ profile, metric, time, encoding, other, properties }) => {
      const attributes: Json = { event_properties: properties };
      switch (encoding) {
        case 'timestamp':
          attributes.timestamp = Math.floor(time / 1000);
          break;
        case 'datetime':
          attributes.datetime = new Date(time).toISOString();
          break;
        case 'datetime-offset':
          attributes.datetime = isoWithOffset(time, 120);
          attributes.timestamp = null;
          break;
        // timestamp wins over datetime
        default:
          attributes.timestamp = Math.floor(time / 1000);
          attributes.datetime = new Date(other).toISOString();
      }
      return {
        type: 'event',
        id: 'e',
        attributes,
        relationships: { profile: { data: { type: 'profile', id: profile } }, metric: { data: { type: 'metric', id: metric } } },
      };
    });
}

/**
 * A burst of 1–5 events of one profile close together (equal times, seconds, an hour, days
 * apart), so funnels and completion windows have something to find.
 */
function sessionArb(now: number, profileCount: number): fc.Arbitrary<Json[]> {
  const gap = fc.constantFrom(0, 0, 1000, 30 * 60_000, HOUR, HOUR + 1000, DAY, DAY + 1000, 3 * DAY, 5 * DAY, 7 * DAY + 1000);
  return fc
    .record({ profile: eventProfile(profileCount), start: instantNear(now), gaps: fc.array(gap, { minLength: 0, maxLength: 4 }) })
    .chain(({ profile, start, gaps }) => {
      const times = gaps.reduce((acc, g) => [...acc, acc[acc.length - 1] + g], [start]);
      return fc.tuple(...times.map((t) => eventArb(now, profileCount, fc.constant(t), fc.constant(profile))));
    });
}

function dataArb(now: number): fc.Arbitrary<ReferenceData> {
  return fc
    .integer({ min: 1, max: 25 })
    .chain((n) =>
      fc.record({
        profiles: fc.array(profileArb(now), { minLength: n, maxLength: n }),
        events: fc
          .tuple(fc.array(eventArb(now, n), { maxLength: 35, size: 'large' }), fc.array(sessionArb(now, n), { maxLength: 5, size: 'large' }))
          .map(([single, sessions]) => [...single, ...sessions.flat()]),
        members: fc.tuple(
          ...LIST_IDS.map(() =>
            fc.array(
              fc.tuple(
                fc.integer({ min: 0, max: n - 1 }),
                fc.oneof({ weight: 6, arbitrary: dateValue(now) }, { weight: 1, arbitrary: fc.constantFrom(null, 'garbage') }),
              ),
              { maxLength: n },
            ),
          ),
        ),
        // Now and then a list member who is not in profiles.jsonl: kept as a profile with the
        // attributes of its member line.
        // Now and then profile P0's record appears a second time, with other attributes: the later one wins.
        duplicateOf: fc.option(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { freq: 6 }),
        memberOnly: fc.option(
          fc.record(
            { email: fc.constantFrom('member@gmail.com', ''), first_name: fc.constantFrom('Ann', 'Max'), joined_group_at: dateValue(now) },
            { requiredKeys: ['joined_group_at'] },
          ),
          { freq: 8 },
        ),
      }),
    )
    .map(({ profiles, events, members, memberOnly, duplicateOf }) => ({
      profiles: [
        ...profiles.map((attributes, i) => ({ type: 'profile', id: `P${i}`, attributes })),
        ...(duplicateOf !== null && profiles[duplicateOf] !== undefined ? [{ type: 'profile', id: 'P0', attributes: profiles[duplicateOf] }] : []),
      ],
      metrics: METRIC_IDS.map((id) => ({ type: 'metric', id, attributes: { name: `Metric ${id}` } })),
      lists: LIST_IDS.map((id) => ({ type: 'list', id, attributes: { name: `List ${id}` } })),
      listMembers: Object.fromEntries(
        LIST_IDS.map((id, l) => {
          // One line per member (a profile that joined twice keeps only its latest line).
          const byProfile = new Map<number, Json>();
          for (const [p, joined] of members[l]) byProfile.set(p, joined);
          const lines = [...byProfile].map(([p, joined]) => ({ type: 'profile', id: `P${p}`, attributes: { joined_group_at: joined } }));
          return [id, l === 0 && memberOnly ? [...lines, { type: 'profile', id: 'MEMBER-ONLY', attributes: memberOnly }] : lines];
        }),
      ),
      events,
    }));
}

// ---------------------------------------------------------------------------------------------
// Filters

type DateKind = 'static' | 'static-range' | 'relative' | 'relative-range' | 'anniversary-relative' | 'calendar' | 'anniversary' | 'alltime';

function dateFilter(now: number, kinds: DateKind[]): fc.Arbitrary<Json> {
  const unit = fc.constantFrom('hour', 'day', 'day', 'week');
  const quantity = fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 14 }) },
    { weight: 2, arbitrary: fc.integer({ min: 15, max: 60 }) },
    { weight: 1, arbitrary: fc.constant(0) },
  );
  const byKind: Record<DateKind, fc.Arbitrary<Json>> = {
    static: fc.record({ type: fc.constant('date'), operator: fc.constantFrom('before', 'after'), date: staticDate(now) }),
    'static-range': fc.tuple(staticDate(now), staticDate(now)).map(([a, b]) => {
      const [start, end] = Date.parse(a) <= Date.parse(b) ? [a, b] : [b, a];
      return { type: 'date', operator: 'between-static', start, end };
    }),
    relative: fc.record({ type: fc.constant('date'), operator: fc.constantFrom('in-the-last', 'at-least', 'in-the-next'), unit, quantity }),
    'relative-range': fc
      .tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), unit)
      .map(([a, b, u]) => ({ type: 'date', operator: 'between', start: Math.min(a, b), end: Math.max(a, b), unit: u })),
    'anniversary-relative': fc.record({ type: fc.constant('date'), operator: fc.constantFrom('anniversary-last', 'anniversary-next'), unit, quantity }),
    calendar: fc.integer({ min: 1, max: 12 }).map((value) => ({ type: 'date', operator: 'calendar-month', value })),
    anniversary: fc.constantFrom('anniversary', 'anniversary-month').map((operator) => ({ type: 'date', operator })),
    alltime: fc.constant({ type: 'date', operator: 'alltime' }),
  };
  return fc.oneof(...kinds.map((k) => byKind[k]));
}

const PROPERTY_DATE_KINDS: DateKind[] = ['static', 'static-range', 'relative', 'relative-range', 'anniversary-relative', 'calendar', 'anniversary'];
const METRIC_DATE_KINDS: DateKind[] = ['static', 'static-range', 'relative', 'anniversary-relative', 'relative-range', 'alltime'];
const FUNNEL_DATE_KINDS: DateKind[] = ['static-range', 'relative-range', 'relative'];
const MEMBERSHIP_DATE_KINDS: DateKind[] = ['static', 'static-range', 'relative', 'relative-range'];

const STRING_VALUES = [
  '@gmail.com',
  '@Gmail.com',
  'gold',
  'Gold',
  '',
  null,
  '42',
  '10',
  'New',
  'com',
  'a',
  'alice@gmail.com',
  'Ann',
  'vip',
  'Shoes',
  'Acme',
  'true',
];
const REGEXES = ['^[a-z]+@gmail\\.com$', 'gmail', 'G', '^$', '\\d+', 'York$', '^(gold|silver)$', '[A-Z]', 'a.c', '^Ann'];
const STRING_LISTS = [['gold', 'silver'], ['Gold'], [''], ['alice@gmail.com', 'bob@Gmail.com'], ['42', '10'], ['Ann', 'Bob'], ['Shoes', 'Boots'], []];
const NUMBERS = [0, 1, 2, 3.5, 5, 9.99, 10, 42, -1, 100, 46.94, 0.89];

const stringFilter = fc.oneof(
  fc.record({
    type: fc.constant('string'),
    operator: fc.constantFrom('equals', 'not-equals', 'contains', 'not-contains', 'starts-with', 'not-starts-with', 'ends-with', 'not-ends-with'),
    value: fc.constantFrom(...STRING_VALUES),
  }),
  fc.record({ type: fc.constant('string'), operator: fc.constantFrom('regex', 'nregex'), value: fc.constantFrom(...REGEXES) }),
  fc.record({ type: fc.constant('string'), operator: fc.constantFrom('in', 'not-in'), value: fc.constantFrom(...STRING_LISTS) }),
);
const phoneFilter = fc.record({
  type: fc.constant('string'),
  operator: fc.constantFrom('phone-country-code-in', 'phone-country-code-not-in'),
  value: fc.constantFrom(['US'], ['US', 'GB'], ['CA'], ['FR', 'DE'], ['us'], []),
});
const numericFilter = fc.record({
  type: fc.constant('numeric'),
  operator: fc.constantFrom('equals', 'not-equals', 'greater-than', 'greater-than-or-equal', 'less-than', 'less-than-or-equal'),
  value: fc.constantFrom(...NUMBERS),
});
const booleanFilter = fc.record({ type: fc.constant('boolean'), operator: fc.constant('equals'), value: fc.boolean() });
const existenceFilter = fc.record({ type: fc.constant('existence'), operator: fc.constantFrom('is-set', 'not-set') });
const listContainsFilter = fc.record({
  type: fc.constant('list'),
  operator: fc.constantFrom('contains', 'not-contains'),
  value: fc.constantFrom<Json>('vip', 'VIP', 'a', 1, '1', '', null, 'gold', 'Shoes'),
});
const listLengthFilter = fc.record({
  type: fc.constant('list'),
  operator: fc.constantFrom('length-equals', 'length-greater-than', 'length-greater-than-or-equal', 'length-less-than', 'length-less-than-or-equal'),
  value: fc.integer({ min: 0, max: 3 }),
});
const listSetFilter = fc.record({
  type: fc.constant('list'),
  operator: fc.constantFrom('contains-any', 'contains-all', 'not-contains-any', 'not-contains-all'),
  value: fc.constantFrom(['a'], ['a', 'b'], ['vip', 'gold'], ['A'], ['1'], [], ['Shoes']),
});
const listSubstringFilter = fc.record({
  type: fc.constant('list'),
  operator: fc.constantFrom('contains-substring', 'not-contains-substring'),
  value: fc.constantFrom<Json>('a', 'b', 'Sho', '', null, 'vip'),
});

// ---------------------------------------------------------------------------------------------
// Conditions

const STRING_PROPERTIES = [
  'email',
  'first_name',
  'locale',
  "location['city']",
  "location['region']",
  "location['country']",
  "properties['Plan']",
  'external_id',
  'organization',
];
const DATE_PROPERTIES = ['created', 'updated', 'last_event_date', "properties['Birthday']", "properties['Joined']"];
const ANY_PROPERTIES = [
  'email',
  'phone_number',
  'first_name',
  'external_id',
  'organization',
  'locale',
  'created',
  'updated',
  'last_event_date',
  "location['city']",
  "location['country']",
  "location['zip']",
  "location['latitude']",
  "location['region']",
  "properties['Plan']",
  "properties['Score']",
  "properties['Birthday']",
  "properties['Tags']",
  "properties['VIP']",
  "properties['It\\'s']",
  "properties['Joined']",
  "properties['Nobody has this']",
];
/** Per property, filter texts that are whole values, prefixes, suffixes and substrings of its data pool. */
const STRING_FILTER_TEXTS: Record<string, (string | null)[]> = {
  email: ['alice@gmail.com', 'alice', '@gmail.com', '@Gmail.com', 'gmail', '.com', 'frank@gmail.com', 'Erin', '', null],
  first_name: ['Ann', 'ann', 'An', 'Marie', 'Bob', 'Zoë', '', null],
  locale: ['en-US', 'en-', '-US', 'fr', 'US', 'en'],
  "location['city']": ['New York', 'new york', 'New', 'York', 'Boston', ''],
  "location['region']": ['NY', 'N', 'MA', 'ON'],
  "location['country']": ['United States', 'US', 'United', 'Germany', 'de', 'USA'],
  "properties['Plan']": ['gold', 'Gold', 'old', 'gold ', 'silver', 'g', '42', ''],
  external_id: ['gold', 'Ann', '42', 'vip', '', 'New York'],
  organization: ['gold', 'silver', '3.5', 'vip', '', 'not a date'],
};

/** A property and a filter, mostly of a family that fits the property's usual type. */
export function propertyCondition(now: number): fc.Arbitrary<Json> {
  const pick = (names: string[], filter: fc.Arbitrary<Json>) =>
    fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.constantFrom(...ANY_PROPERTIES) }), filter);
  const profileString = (texts: (string | null)[]) =>
    fc.oneof(
      fc.record({
        type: fc.constant('string'),
        operator: fc.constantFrom('equals', 'not-equals', 'contains', 'not-contains', 'starts-with', 'not-starts-with', 'ends-with', 'not-ends-with'),
        value: fc.constantFrom(...texts),
      }),
      fc.record({ type: fc.constant('string'), operator: fc.constantFrom('regex', 'nregex'), value: fc.constantFrom(...REGEXES) }),
      fc.record({ type: fc.constant('string'), operator: fc.constantFrom('in', 'not-in'), value: fc.subarray(texts.filter((t): t is string => t !== null)) }),
    );
  const stringPair = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...STRING_PROPERTIES).chain((name) => fc.tuple(fc.constant(name), profileString(STRING_FILTER_TEXTS[name]))) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ANY_PROPERTIES), profileString(STRING_FILTER_TEXTS.email)) },
  );
  const pair = fc.oneof(
    { weight: 5, arbitrary: stringPair },
    { weight: 2, arbitrary: pick(['phone_number'], phoneFilter) },
    { weight: 3, arbitrary: pick(["properties['Score']", "location['latitude']", "properties['Plan']"], numericFilter) },
    { weight: 1, arbitrary: pick(["properties['VIP']"], booleanFilter) },
    { weight: 2, arbitrary: pick(ANY_PROPERTIES, existenceFilter) },
    { weight: 2, arbitrary: pick(["properties['Tags']"], fc.oneof(listContainsFilter, listLengthFilter)) },
    { weight: 6, arbitrary: pick(DATE_PROPERTIES, dateFilter(now, PROPERTY_DATE_KINDS)) },
  );
  return pair.map(([property, filter]) => ({ type: 'profile-property', property, filter }));
}

const EVENT_PROPERTIES = ['Category', 'Items', 'Price', 'Gift', '$value', 'Brand', '$event_id', '$extra', 'Count', 'Missing'];

function metricFilters(someWeight = 3): fc.Arbitrary<Json> {
  const filter = fc.oneof(stringFilter, numericFilter, booleanFilter, existenceFilter, listSetFilter, listLengthFilter, listSubstringFilter);
  const item = fc
    .tuple(
      fc.constantFrom(...EVENT_PROPERTIES),
      fc.oneof({ weight: 8, arbitrary: filter }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) }),
    )
    .map(([property, f]) => (f === undefined ? { property } : { property, filter: f }));
  return fc.oneof(
    { weight: someWeight, arbitrary: fc.array(item, { minLength: 1, maxLength: 3 }) },
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant([]) },
  );
}

export function metricCondition(now: number): fc.Arbitrary<Json> {
  return fc
    .record({
      metric_id: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...METRIC_IDS) }, { weight: 1, arbitrary: fc.constant('UNKNOWN') }),
      measurement: fc.constantFrom('count', 'sum'),
      op: fc.constantFrom('equals', 'not-equals', 'greater-than', 'greater-than-or-equal', 'less-than', 'less-than-or-equal'),
      countValue: fc.constantFrom(0, 0, 1, 1, 1, 2, 2, 3, 5),
      sumValue: fc.constantFrom(0, 1, 10, 10.5, 20, 30.5, 50, 100, 150),
      timeframe: dateFilter(now, METRIC_DATE_KINDS),
      filters: metricFilters(2),
    })
    .map(({ metric_id, measurement, op, countValue, sumValue, timeframe, filters }) => ({
      type: 'profile-metric',
      metric_id,
      measurement,
      measurement_filter: { type: 'numeric', operator: op, value: measurement === 'count' ? countValue : sumValue },
      timeframe_filter: timeframe,
      ...(filters === undefined ? {} : { metric_filters: filters }),
    }));
}

export function funnelCondition(now: number): fc.Arbitrary<Json> {
  const step = fc
    .record({
      metric_exists: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 2, arbitrary: fc.constant(false) }),
      metric_id: fc.constantFrom(...METRIC_IDS),
      filters: metricFilters(1),
    })
    .map(({ metric_exists, metric_id, filters }) => ({ metric_exists, metric_id, ...(filters === undefined ? {} : { metric_filters: filters }) }));
  return fc
    .record({
      timeframe: dateFilter(now, FUNNEL_DATE_KINDS),
      window: fc.constantFrom<Json>(undefined, null, 'HOURS_1', 'DAYS_1', 'DAYS_3', 'DAYS_5', 'WEEKS_1', 'DAYS_30', 'DAYS_90', 'DAYS_180', 'YEARS_1'),
      steps: fc.oneof(
        { weight: 6, arbitrary: fc.array(step, { minLength: 1, maxLength: 3 }) },
        { weight: 1, arbitrary: fc.array(step, { minLength: 4, maxLength: 5 }) },
      ),
      firstPositive: fc.integer({ min: 0, max: 4 }),
    })
    .map(({ timeframe, window, steps, firstPositive }) => {
      // At least one positive step (a funnel of negative steps only is not a funnel).
      const fixed = steps.map((s, i) => (i === firstPositive % steps.length ? { ...s, metric_exists: true } : s));
      return {
        type: 'profile-metric-funnel',
        timeframe_filter: timeframe,
        ...(window === undefined ? {} : { completion_window_seconds: window }),
        steps: fixed,
      };
    });
}

export function membershipCondition(now: number): fc.Arbitrary<Json> {
  const listId = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...LIST_IDS) }, { weight: 1, arbitrary: fc.constant('LX') });
  return fc.oneof(
    fc.record({ type: fc.constant('profile-group-membership'), is_member: fc.constant(true), group_ids: listId.map((id) => [id]) }),
    fc.record({
      type: fc.constant('profile-group-membership'),
      is_member: fc.constant(true),
      group_ids: listId.map((id) => [id]),
      timeframe_filter: dateFilter(now, MEMBERSHIP_DATE_KINDS),
    }),
    fc.record({ type: fc.constant('profile-group-membership'), is_member: fc.constant(false), group_ids: listId.map((id) => [id]) }),
  );
}

export function consentCondition(now: number): fc.Arbitrary<Json> {
  const nonAlltime = dateFilter(now, PROPERTY_DATE_KINDS);
  const statusDate = nonAlltime.map((filter) => ({ field: 'status_date', filter }));
  const method = (m: string, inValues?: string[][]) =>
    inValues
      ? fc
          .option(fc.constantFrom(...inValues))
          .map((v) => (v === null ? { field: 'method', method: m } : { field: 'method', method: m, filter: { type: 'string', operator: 'in', value: v } }))
      : fc.constant({ field: 'method', method: m });
  const FORMS = [['FORM1'], ['form1', 'form2'], ['nope']];
  const KEYS = [['abcd'], ['ABCD', 'wxyz'], ['zzzz']];
  const USERS = [['alice@x.com'], ['bob@x.com']];
  const shopify = fc.constant({ field: 'method', method: 'integration', filter: { type: 'string', operator: 'in', value: ['shopify'] } });
  const constantContact = fc.constant({ field: 'method', method: 'integration', filter: { type: 'string', operator: 'in', value: ['constant_contact'] } });
  const suppression = fc.record({
    field: fc.constantFrom('bounce_date', 'manual_suppression_date', 'invalid_email_date'),
    filter: fc.oneof(nonAlltime, fc.constant({ type: 'existence', operator: 'is-set' })),
  });
  const sdArray = fc.array(suppression, { minLength: 1, maxLength: 3 });
  const list = (...items: fc.Arbitrary<Json>[]) => fc.array(fc.oneof(...items), { minLength: 1, maxLength: 3 });
  const nullOr = (a: fc.Arbitrary<Json>) => fc.oneof(fc.constant(null), a);
  const make = (channel: string, can: boolean, subscription: string, filters?: fc.Arbitrary<Json>) =>
    (filters ?? fc.constant(undefined)).map((f) => ({
      type: 'profile-marketing-consent',
      consent: { channel, can_receive_marketing: can, consent_status: f === undefined ? { subscription } : { subscription, filters: f } },
    }));
  const pageUrl = fc.constantFrom<Json>(
    ...['mydomain.com/signup', 'MyDomain.com/Signup', 'other.com/page', null].map((value) => ({
      field: 'method',
      method: 'preference_page',
      filter: { type: 'string', operator: 'equals', value },
    })),
  );
  return fc.oneof(
    make('email', true, 'any', fc.constantFrom(undefined, null)),
    make(
      'email',
      true,
      'subscribed',
      nullOr(
        list(
          fc.record({ field: fc.constant('is_double_opt_in'), filter: booleanFilter }),
          statusDate,
          fc.constantFrom<Json>(
            ...['popup', 'Popup', '', null].map((value) => ({ field: 'custom_source', filter: { type: 'string', operator: 'equals', value } })),
          ),
          method('form', FORMS),
          method('preference_page'),
          pageUrl,
          method('api', KEYS),
          method('inbound_message'),
          method('back_in_stock'),
          method('sftp'),
          method('manual_import', USERS),
          method('manual_add', USERS),
          shopify,
        ),
      ),
    ),
    make('email', true, 'never_subscribed', fc.constantFrom(undefined, null)),
    make('email', false, 'any', nullOr(sdArray)),
    make(
      'email',
      false,
      'unsubscribed',
      fc.oneof(
        fc.constant(null),
        sdArray,
        list(
          statusDate,
          method('api', KEYS),
          method('inbound_message'),
          method('preference_page'),
          method('manual_remove'),
          method('spam_complaint'),
          method('mailbox_provider'),
          method('one_click_unsubscribe'),
          method('manual_import'),
          method('sftp'),
          method('data_warehouse_import'),
          method('profile_modification'),
          constantContact,
        ),
      ),
    ),
    make('email', false, 'never_subscribed', sdArray),
    make('email', false, 'subscribed', sdArray),
    make(
      'sms',
      true,
      'subscribed',
      nullOr(
        list(
          statusDate,
          method('form', FORMS),
          method('manual_import', USERS),
          method('manual_add', USERS),
          method('checkout'),
          method('inbound_message'),
          method('preference_page'),
          method('sftp'),
          shopify,
        ),
      ),
    ),
    make('sms', false, 'any'),
    make('sms', false, 'never_subscribed'),
    make(
      'sms',
      false,
      'unsubscribed',
      nullOr(
        list(
          statusDate,
          method('form', FORMS),
          method('manual_import', USERS),
          method('manual_add', USERS),
          method('manual_remove'),
          method('bulk_remove'),
          method('checkout'),
          method('inbound_message'),
          method('preference_page'),
          method('sftp'),
          method('carrier_deactivation'),
          method('provided_landline'),
          method('message_blocked'),
          method('provided_no_age'),
          method('failed_age_gate'),
          shopify,
        ),
      ),
    ),
    make('push', true, 'any', nullOr(fc.array(statusDate, { minLength: 1, maxLength: 1 }))),
    make('push', false, 'any'),
  );
}

export function postalCondition(): fc.Arbitrary<Json> {
  return fc
    .record({
      type: fc.constant('profile-postal-code-distance'),
      place: fc.oneof(
        {
          weight: 10,
          arbitrary: fc.constantFrom(
            ['USA', '10017'],
            ['USA', '02141'],
            ['USA', '90210'],
            ['USA', '60601'],
            ['CAN', 'K1A 0B1'],
            ['CAN', 'M5V'],
            ['CAN', 'h2x 1y4'],
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom(['USA', '00000'], ['GBR', 'SW1W'], ['DEU', '10115'], ['ZZZ', '10017']) },
      ),
      unit: fc.constantFrom('miles', 'kilometers'),
      filter: fc.record({
        type: fc.constant('numeric'),
        operator: fc.constantFrom('less-than', 'greater-than'),
        value: fc.constantFrom(0, 1, 5, 10, 50, 100, 300, 1000, 3000),
      }),
    })
    .map(({ type, place, unit, filter }) => ({ type, country_code: place[0], postal_code: place[1], unit, filter }));
}

export const regionCondition = fc.record({
  type: fc.constant('profile-region'),
  in_region: fc.boolean(),
  region: fc.constantFrom('european_union', 'united_states'),
});

export function predictiveCondition(now: number): fc.Arbitrary<Json> {
  return fc.oneof(
    fc.record({
      type: fc.constant('profile-predictive-analytics'),
      dimension: fc.constantFrom(...NUMERIC_DIMENSIONS),
      filter: fc.record({
        type: fc.constant('numeric'),
        operator: numericFilter.map((f) => f.operator),
        value: fc.constantFrom(0, 0.5, 0.89, 2, 46.94, 100, 150, 189),
      }),
    }),
    fc.record({
      type: fc.constant('profile-predictive-analytics'),
      dimension: fc.constant('expected_date_of_next_purchase'),
      filter: dateFilter(now, ['static', 'static-range', 'relative', 'anniversary-relative', 'relative-range', 'calendar', 'anniversary']),
    }),
    fc.record({
      type: fc.constant('profile-predictive-analytics'),
      dimension: fc.constant('predicted_gender'),
      filter: fc.record({
        type: fc.constant('string'),
        operator: fc.constantFrom('equals', 'not-equals'),
        value: fc.constantFrom('likely_female', 'likely_male', 'uncertain'),
      }),
    }),
    fc.record({
      type: fc.constant('profile-predictive-analytics'),
      dimension: fc.constant('channel_affinity'),
      measurement: fc.constant('priority'),
      predicted_channel: fc.constantFrom(...CHANNELS),
      filter: fc.record({ type: fc.constant('numeric'), operator: fc.constant('equals'), value: fc.integer({ min: 1, max: 4 }) }),
    }),
    fc.record({
      type: fc.constant('profile-predictive-analytics'),
      dimension: fc.constant('channel_affinity'),
      measurement: fc.constant('rank'),
      predicted_channel: fc.constantFrom(...CHANNELS),
      filter: fc.record({ type: fc.constant('string'), operator: fc.constantFrom('equals', 'not-equals'), value: fc.constantFrom('high', 'medium', 'low') }),
    }),
  );
}

export const notEvaluableCondition = fc.constantFrom<Json>(
  {
    type: 'profile-has-custom-object',
    object_type_id: '01J8ZQ3D1V7T2P6XG8W3K9M4RB',
    object_type_relationship_id: '01J8ZQ3D1V7T2P6XG8W3K9M4RC',
    filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
    filters: [],
  },
  { type: 'profile-permissions', channel: 'whatsapp_marketing', permission: { reachable_status: 'explicitly_reachable', filters: [] } },
  {
    type: 'profile-marketing-consent',
    consent: {
      channel: 'sms',
      can_receive_marketing: true,
      consent_status: { subscription: 'subscribed', filters: [{ field: 'is_rcs_capable', filter: { type: 'boolean', operator: 'equals', value: true } }] },
    },
  },
);

export function definitionArb(condition: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return fc
    .array(
      fc.array(condition, { minLength: 1, maxLength: 3 }).map((conditions) => ({ conditions })),
      { minLength: 1, maxLength: 3 },
    )
    .map((condition_groups) => ({ condition_groups }));
}

export function anyCondition(now: number): fc.Arbitrary<Json> {
  return fc.oneof(
    { weight: 6, arbitrary: propertyCondition(now) },
    { weight: 5, arbitrary: metricCondition(now) },
    { weight: 3, arbitrary: funnelCondition(now) },
    { weight: 2, arbitrary: membershipCondition(now) },
    { weight: 3, arbitrary: consentCondition(now) },
    { weight: 1, arbitrary: postalCondition() },
    { weight: 1, arbitrary: regionCondition },
    { weight: 2, arbitrary: predictiveCondition(now) },
    { weight: 1, arbitrary: notEvaluableCondition },
  );
}

// ---------------------------------------------------------------------------------------------
// Comparison

export interface Scenario {
  now: number;
  data: ReferenceData;
  definition: Json;
}

export function scenarioArb(condition: (now: number) => fc.Arbitrary<Json>): fc.Arbitrary<Scenario> {
  return fc.constantFrom(...NOWS).chain((now) => fc.record({ now: fc.constant(now), data: dataArb(now), definition: definitionArb(condition(now)) }));
}

export function buildWorkspace(data: ReferenceData, now: number): Workspace {
  const builder = new WorkspaceBuilder('property test', now);
  for (const m of data.metrics) builder.addMetric(m);
  for (const l of data.lists) builder.addList(l);
  for (const p of data.profiles) builder.addProfile(p);
  for (const [listId, members] of Object.entries(data.listMembers)) for (const m of members) builder.addListMember(listId, m);
  for (const e of data.events) builder.addEvent(e);
  return builder.build();
}
