/**
 * The hand-checked condition cases of the engine (test/unit/engine.conditions.test.ts), as data:
 * small fixtures of Klaviyo records, conditions, and the profile IDs each must match, written by
 * hand from docs/semantics.md with the reason beside each. The engine tests run them against the
 * reference evaluator and the engine; the SQL tests (test/sql/) run the same cases through the
 * SQL compiler on DuckDB and PostgreSQL.
 *
 * "semantics §N" is the Nth section of docs/semantics.md (§2 Time, §3 Property values, §4 Conditions).
 */
import assert from 'node:assert/strict';
import { WorkspaceBuilder, type Workspace } from '../../server/src/engine/workspace';
import type { ReferenceData } from '../unit/referenceEvaluator';

type Json = any;

// ---------------------------------------------------------------------------------------------
// Fixtures

export interface Fixture {
  profiles: Json[];
  metrics?: Json[];
  lists?: Json[];
  members?: Record<string, Json[]>;
  events?: Json[];
}

/** 2024-06-17 15:00 UTC, the "today" of Klaviyo's help-center examples. D0 = 2024-06-17 00:00. */
export const NOW = Date.parse('2024-06-17T15:00:00Z');

export const profile = (id: string, attributes: Json = {}): Json => ({ type: 'profile', id, attributes });
/** Profiles holding `properties[name]` = the given value (undefined: the property is absent). */
export function withProperty(name: string, values: Record<string, unknown>): Json[] {
  return Object.entries(values).map(([id, value]) => profile(id, value === undefined ? {} : { properties: { [name]: value } }));
}
export const metric = (id: string, name = id): Json => ({ type: 'metric', id, attributes: { name } });
export const list = (id: string, name = id): Json => ({ type: 'list', id, attributes: { name } });
export const member = (id: string, joined?: string): Json => ({ type: 'profile', id, attributes: joined === undefined ? {} : { joined_group_at: joined } });
/** An event; a string time is `datetime`, a number is `timestamp` (epoch seconds). */
export function event(profileId: string, metricId: string, time: string | number, properties: Json = {}): Json {
  return {
    type: 'event',
    id: `${profileId}-${metricId}-${time}`,
    attributes: { ...(typeof time === 'number' ? { timestamp: time } : { datetime: time }), event_properties: properties },
    relationships: { profile: { data: { type: 'profile', id: profileId } }, metric: { data: { type: 'metric', id: metricId } } },
  };
}

export function referenceData(f: Fixture): ReferenceData {
  return { profiles: f.profiles, metrics: f.metrics ?? [], lists: f.lists ?? [], listMembers: f.members ?? {}, events: f.events ?? [] };
}

export function build(f: Fixture, now = NOW): Workspace {
  const builder = new WorkspaceBuilder('hand-checked', now);
  for (const m of f.metrics ?? []) builder.addMetric(m);
  for (const l of f.lists ?? []) builder.addList(l);
  for (const p of f.profiles) builder.addProfile(p);
  for (const [listId, lines] of Object.entries(f.members ?? {})) for (const m of lines) builder.addListMember(listId, m);
  for (const e of f.events ?? []) builder.addEvent(e);
  return builder.build();
}

export type Expected = string[] | 'not-evaluable';

/** One check: a condition on a fixture, at an instant, and what it must match. */
export interface ConditionCheck {
  fixture: Fixture;
  condition: Json;
  expected: Expected;
  now: number;
}

/** A titled case: its checks (computed when run, so each case builds its own fixture). */
export interface ConditionCase {
  title: string;
  checks: () => ConditionCheck[];
}

export interface ConditionSuite {
  title: string;
  cases: ConditionCase[];
  suites: ConditionSuite[];
}

const root: ConditionSuite = { title: '', cases: [], suites: [] };
let current = root;
let collecting: ConditionCheck[] | undefined;

/** A group of cases (mocha's describe, as data). */
function suite(title: string, body: () => void): void {
  const child: ConditionSuite = { title, cases: [], suites: [] };
  current.suites.push(child);
  const parent = current;
  current = child;
  body();
  current = parent;
}

/** A table of (why, condition, expected) on one fixture, one case per row. */
function table(f: Fixture | (() => Fixture), rows: [string, Json, Expected][], now = NOW): void {
  for (const [why, condition, expected] of rows) {
    current.cases.push({ title: why, checks: () => [{ fixture: typeof f === 'function' ? f() : f, condition, expected, now }] });
  }
}

/** A case with several checks (mocha's it, as data): `body` calls expectCondition. */
function example(title: string, body: () => void): void {
  current.cases.push({
    title,
    checks: () => {
      const checks: ConditionCheck[] = [];
      collecting = checks;
      try {
        body();
      } finally {
        collecting = undefined;
      }
      return checks;
    },
  });
}

function expectCondition(f: Fixture, condition: Json, expected: Expected, now = NOW): void {
  if (!collecting) throw new Error('expectCondition outside an example');
  collecting.push({ fixture: f, condition, expected, now });
}

// Condition builders
export const prop = (property: string, filter: Json): Json => ({ type: 'profile-property', property, filter });
export const str = (operator: string, value: Json): Json => ({ type: 'string', operator, value });
export const num = (operator: string, value: number): Json => ({ type: 'numeric', operator, value });
export const bool = (value: boolean): Json => ({ type: 'boolean', operator: 'equals', value });
export const exists = (operator: 'is-set' | 'not-set'): Json => ({ type: 'existence', operator });
export const lst = (operator: string, value: Json): Json => ({ type: 'list', operator, value });
export const rel = (operator: string, quantity: number, unit = 'day'): Json => ({ type: 'date', operator, quantity, unit });
export const relBetween = (start: number, end: number, unit = 'day'): Json => ({ type: 'date', operator: 'between', start, end, unit });
export const before = (date: string): Json => ({ type: 'date', operator: 'before', date });
export const after = (date: string): Json => ({ type: 'date', operator: 'after', date });
export const betweenStatic = (start: string, end: string): Json => ({ type: 'date', operator: 'between-static', start, end });
export const calendarMonth = (value: number): Json => ({ type: 'date', operator: 'calendar-month', value });
export const anniversary = (operator: 'anniversary' | 'anniversary-month'): Json => ({ type: 'date', operator });
export const alltime: Json = { type: 'date', operator: 'alltime' };

export function metricCondition(
  metricId: string,
  measurement: 'count' | 'sum',
  operator: string,
  value: number,
  timeframe: Json = alltime,
  filters?: Json[],
): Json {
  return {
    type: 'profile-metric',
    metric_id: metricId,
    measurement,
    measurement_filter: { type: 'numeric', operator, value },
    timeframe_filter: timeframe,
    ...(filters === undefined ? {} : { metric_filters: filters }),
  };
}

export function consent(channel: string, canReceive: boolean, subscription: string, filters?: Json): Json {
  return {
    type: 'profile-marketing-consent',
    consent: { channel, can_receive_marketing: canReceive, consent_status: filters === undefined ? { subscription } : { subscription, filters } },
  };
}

export const CUSTOM_OBJECT: Json = {
  type: 'profile-has-custom-object',
  object_type_id: '01J8ZQ3D1V7T2P6XG8W3K9M4RB',
  object_type_relationship_id: '01J8ZQ3D1V7T2P6XG8W3K9M4RC',
  filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
  filters: [{ property_id: 3, filter: { type: 'string', operator: 'equals', value: 'dog' } }],
};
export const PERMISSIONS: Json = {
  type: 'profile-permissions',
  channel: 'whatsapp_marketing',
  permission: { reachable_status: 'explicitly_reachable', filters: [] },
};

// =============================================================================================

suite('engine: profile-property, string filters', () => {
  // S1..S8: strings S1 S2 S3 S7 S8; missing S4 (null) and S5 (absent); wrong type S6 (a number).
  // A custom property, which may hold any type: a number in the `email` attribute itself is not
  // stored at all (docs/workspace-format.md), see the case after this table.
  const f: Fixture = {
    profiles: withProperty('Email', {
      S1: 'ann@gmail.com',
      S2: 'bob@Gmail.com',
      S3: '',
      S4: null,
      S5: undefined,
      S6: 42,
      S7: 'ann@gmail.com ',
      S8: 'carol@yahoo.com',
    }),
  };
  const email = (filter: Json) => prop("properties['Email']", filter);
  table(f, [
    ['equals: whole value, case-sensitive, no trimming (not S7 with its trailing space)', email(str('equals', 'ann@gmail.com')), ['S1']],
    ['equals is case-sensitive: "ANN@gmail.com" matches no one', email(str('equals', 'ANN@gmail.com')), []],
    ['not-equals: every other string; missing (S4, S5) and non-string (S6) excluded', email(str('not-equals', 'ann@gmail.com')), ['S2', 'S3', 'S7', 'S8']],
    ['contains "@gmail.com" is case-sensitive: not "@Gmail.com"', email(str('contains', '@gmail.com')), ['S1', 'S7']],
    ['contains "@Gmail.com" finds only the capitalised one', email(str('contains', '@Gmail.com')), ['S2']],
    ['not-contains: set strings without it; a missing value is not "not containing"', email(str('not-contains', '@gmail.com')), ['S2', 'S3', 'S8']],
    ['starts-with', email(str('starts-with', 'ann')), ['S1', 'S7']],
    ['not-starts-with excludes missing values', email(str('not-starts-with', 'ann')), ['S2', 'S3', 'S8']],
    ['ends-with: S7 ends with a space', email(str('ends-with', '@gmail.com')), ['S1']],
    ['not-ends-with excludes missing values', email(str('not-ends-with', '@gmail.com')), ['S2', 'S3', 'S7', 'S8']],
    ['regex: a search with JavaScript syntax', email(str('regex', '^[a-z]+@gmail\\.com$')), ['S1']],
    ['regex is case-sensitive and searches anywhere', email(str('regex', 'Gmail')), ['S2']],
    ['nregex: the other strings; missing values excluded', email(str('nregex', '^[a-z]+@gmail\\.com$')), ['S2', 'S3', 'S7', 'S8']],
    ['in: the value is one of the list', email(str('in', ['ann@gmail.com', 'carol@yahoo.com'])), ['S1', 'S8']],
    ['not-in excludes missing values', email(str('not-in', ['ann@gmail.com', 'carol@yahoo.com'])), ['S2', 'S3', 'S7']],
    ['equals "" finds the empty string (set, not missing)', email(str('equals', '')), ['S3']],
    ['a null filter value compares as "" (SL)', email(str('equals', null)), ['S3']],
    ['contains "": every set string', email(str('contains', '')), ['S1', 'S2', 'S3', 'S7', 'S8']],
    ['is-set: every present value, "" and the number included', email(exists('is-set')), ['S1', 'S2', 'S3', 'S6', 'S7', 'S8']],
    ['not-set: null and absent', email(exists('not-set')), ['S4', 'S5']],
  ]);

  // A documented attribute of another JSON type than documented (a number in `email`) is not
  // stored: it is missing, unlike the same number in a custom property (S6 above).
  table({ profiles: [profile('W1', { email: 42 }), profile('W2', { email: 'w2@example.com' })] }, [
    ['a number in the email attribute is not set', prop('email', exists('is-set')), ['W2']],
    ['a number in the email attribute is missing for not-set', prop('email', exists('not-set')), ['W1']],
  ]);
});

suite('engine: profile-property, phone country code', () => {
  // +1 500 / +1 416 / +44 / unknown +999 / no phone / no leading "+" (country not determinable).
  const f: Fixture = {
    profiles: [
      profile('Q1', { phone_number: '+15005550006' }),
      profile('Q2', { phone_number: '+14165550123' }),
      profile('Q3', { phone_number: '+442071838750' }),
      profile('Q4', { phone_number: '+999123' }),
      profile('Q5'),
      profile('Q6', { phone_number: '12025550123' }),
    ],
  };
  table(f, [
    ['phone-country-code-in US, GB: the US and UK numbers', prop('phone_number', str('phone-country-code-in', ['US', 'GB'])), ['Q1', 'Q3']],
    ['phone-country-code-in CA: a +1 416 number is Canadian', prop('phone_number', str('phone-country-code-in', ['CA'])), ['Q2']],
    [
      'phone-country-code-not-in US, GB: only the Canadian; undeterminable and missing numbers match neither (SL)',
      prop('phone_number', str('phone-country-code-not-in', ['US', 'GB'])),
      ['Q2'],
    ],
    ['phone-country-code-not-in CA', prop('phone_number', str('phone-country-code-not-in', ['CA'])), ['Q1', 'Q3']],
  ]);
});

suite('engine: profile-property, numbers, booleans, lists, names', () => {
  const numbers: Fixture = { profiles: withProperty('Score', { N1: 10, N2: 3.5, N3: '10', N4: 0, N5: undefined, N6: null, N7: true, N8: -2 }) };
  const score = (filter: Json) => prop("properties['Score']", filter);
  table(numbers, [
    ['numeric equals 10: not the numeric string "10"', score(num('equals', 10)), ['N1']],
    ['numeric not-equals 10: numbers only; missing, null, strings, booleans excluded', score(num('not-equals', 10)), ['N2', 'N4', 'N8']],
    ['greater-than is strict', score(num('greater-than', 3.5)), ['N1']],
    ['greater-than-or-equal', score(num('greater-than-or-equal', 3.5)), ['N1', 'N2']],
    ['less-than 0', score(num('less-than', 0)), ['N8']],
    ['less-than-or-equal 0', score(num('less-than-or-equal', 0)), ['N4', 'N8']],
    ['equals 0: a missing value is not 0', score(num('equals', 0)), ['N4']],
    ['a numeric string is a string: string equals "10"', score(str('equals', '10')), ['N3']],
    ['a number is not a string: string contains "1" only sees N3', score(str('contains', '1')), ['N3']],
    ['not-set: null and absent only', score(exists('not-set')), ['N5', 'N6']],
  ]);

  const booleans: Fixture = { profiles: withProperty('VIP', { B1: true, B2: false, B3: 'true', B4: undefined, B5: 1, B6: null }) };
  table(booleans, [
    ['boolean equals true: only the real boolean', prop("properties['VIP']", bool(true)), ['B1']],
    ['boolean equals false: a missing value is not false', prop("properties['VIP']", bool(false)), ['B2']],
  ]);

  const lists: Fixture = { profiles: withProperty('Tags', { L1: ['vip', 'beta'], L2: [], L3: ['VIP'], L4: 'vip', L5: undefined, L6: [1, 2, 3], L7: ['vip'] }) };
  const tags = (filter: Json) => prop("properties['Tags']", filter);
  table(lists, [
    ['list contains "vip": exact, case-sensitive element; a scalar is not a list', tags(lst('contains', 'vip')), ['L1', 'L7']],
    ['list not-contains "vip": set lists lacking it; missing and scalar excluded', tags(lst('not-contains', 'vip')), ['L2', 'L3', 'L6']],
    ['list contains 1 (a number)', tags(lst('contains', 1)), ['L6']],
    ['list contains "1" does not match the number 1', tags(lst('contains', '1')), []],
    ['length-equals 0: the empty list', tags(lst('length-equals', 0)), ['L2']],
    ['length-greater-than 1', tags(lst('length-greater-than', 1)), ['L1', 'L6']],
    ['length-greater-than-or-equal 1', tags(lst('length-greater-than-or-equal', 1)), ['L1', 'L3', 'L6', 'L7']],
    ['length-less-than 2: a missing list has no length', tags(lst('length-less-than', 2)), ['L2', 'L3', 'L7']],
    ['length-less-than-or-equal 2', tags(lst('length-less-than-or-equal', 2)), ['L1', 'L2', 'L3', 'L7']],
    ['a string filter on a list does not match (wrong type)', tags(str('equals', 'vip')), ['L4']],
    ['is-set: lists, empty lists and the scalar', tags(exists('is-set')), ['L1', 'L2', 'L3', 'L4', 'L6', 'L7']],
    ['not-set', tags(exists('not-set')), ['L5']],
  ]);

  const names: Fixture = {
    profiles: [
      profile('K1', { properties: { "It's": 'yes' }, location: { city: 'New York' } }),
      profile('K2', { properties: { Its: 'yes' }, location: { city: 'new york' } }),
    ],
  };
  table(names, [
    ["a custom property name with an escaped quote: properties['It\\'s']", prop("properties['It\\'s']", str('equals', 'yes')), ['K1']],
    ["location['city'] is case-sensitive", prop("location['city']", str('equals', 'New York')), ['K1']],
    ['a property nobody has: not-set matches everyone', prop("properties['Nobody']", exists('not-set')), ['K1', 'K2']],
    ['a property nobody has: not-equals matches no one', prop("properties['Nobody']", str('not-equals', 'x')), []],
  ]);
});

// =============================================================================================

suite('engine: relative dates (now = 2024-06-17 15:00 UTC, D0 = 2024-06-17 00:00)', () => {
  const f: Fixture = {
    profiles: withProperty('When', {
      Y0: '2024-06-16T00:00:00Z', // yesterday 00:00
      Y1: '2024-06-15T23:59:59Z', // the day before, 23:59:59
      NOW0: '2024-06-17T15:00:00Z', // exactly now
      NOW1: '2024-06-17T15:00:01Z', // one second after now
      TODAY: '2024-06-17', // date-only = D0
      TMRW: '2024-06-18',
      D20: '2024-06-20T23:59:59Z',
      D21: '2024-06-21T00:00:00Z',
      EPOCH: Date.parse('2024-06-16T12:00:00Z') / 1000, // a number is epoch seconds (SL)
      MISSING: undefined,
      BAD: 'not a date', // unparseable = missing
      D14: '2024-06-14T00:00:00Z',
      D13: '2024-06-13T23:59:59.999Z',
      H13: '2024-06-17T13:00:00Z',
      H1259: '2024-06-17T12:59:59Z',
      W10: '2024-06-10T00:00:00Z',
      W09: '2024-06-09T23:59:59Z',
      OFFSET: '2024-06-16T01:00:00+02:00', // = 2024-06-15 23:00 UTC
    }),
  };
  const when = (filter: Json) => prop("properties['When']", filter);
  table(f, [
    [
      'in-the-last 1 day = [D0-1d, now]: yesterday 00:00 in, the day before at 23:59:59 out, after-now out',
      when(rel('in-the-last', 1)),
      ['EPOCH', 'H1259', 'H13', 'NOW0', 'TODAY', 'Y0'],
    ],
    [
      'in-the-last 3 days = [06-14 00:00, now]; the +02:00 value is 06-15 23:00 UTC',
      when(rel('in-the-last', 3)),
      ['D14', 'EPOCH', 'H1259', 'H13', 'NOW0', 'OFFSET', 'TODAY', 'Y0', 'Y1'],
    ],
    ['at-least 3 days = t < 06-14 00:00', when(rel('at-least', 3)), ['D13', 'W09', 'W10']],
    ['between 3 and 5 days = [06-12, 06-15)', when(relBetween(3, 5)), ['D13', 'D14']],
    ["in-the-next 3 days = [now, 06-21 00:00): today's midnight value excluded, now included", when(rel('in-the-next', 3)), ['D20', 'NOW0', 'NOW1', 'TMRW']],
    ['in-the-last 2 hours = [13:00, 15:00], exact instants', when(rel('in-the-last', 2, 'hour')), ['H13', 'NOW0']],
    ['at-least 2 hours = t < 13:00', when(rel('at-least', 2, 'hour')), ['D13', 'D14', 'EPOCH', 'H1259', 'OFFSET', 'TODAY', 'W09', 'W10', 'Y0', 'Y1']],
    ['in-the-next 2 hours: from now', when(rel('in-the-next', 2, 'hour')), ['NOW0', 'NOW1']],
    ['between 1 and 2 hours = [13:00, 15:00)', when(relBetween(1, 2, 'hour')), ['H13']],
    [
      'in-the-last 1 week = [D0-7d = 06-10 00:00, now]',
      when(rel('in-the-last', 1, 'week')),
      ['D13', 'D14', 'EPOCH', 'H1259', 'H13', 'NOW0', 'OFFSET', 'TODAY', 'W10', 'Y0', 'Y1'],
    ],
    ['at-least 1 week = t < 06-10 00:00', when(rel('at-least', 1, 'week')), ['W09']],
    ['in-the-next 1 week = [now, D0+8d)', when(rel('in-the-next', 1, 'week')), ['D20', 'D21', 'NOW0', 'NOW1', 'TMRW']],
    ['between 1 and 2 weeks = [D0-14d, D0)', when(relBetween(1, 2, 'week')), ['D13', 'D14', 'EPOCH', 'OFFSET', 'W09', 'W10', 'Y0', 'Y1']],
  ]);
});

suite('engine: static dates (midnight = whole-day rule, otherwise exact instants)', () => {
  const f: Fixture = {
    profiles: withProperty('When', {
      A: '2024-06-09T23:59:59Z',
      B: '2024-06-10T00:00:00Z',
      C: '2024-06-10T12:00:00Z',
      D: '2024-06-10T23:59:59Z',
      E: '2024-06-11T00:00:00Z',
      F: '2024-06-16T23:59:59Z',
      G: '2024-06-17T00:00:00Z',
      H: '2024-06-10',
      I: '2024-06-10T12:00:01Z',
    }),
  };
  const when = (filter: Json) => prop("properties['When']", filter);
  table(f, [
    ['before a midnight: t < X', when(before('2024-06-10T00:00:00+00:00')), ['A']],
    ['before 12:00: t < X exactly', when(before('2024-06-10T12:00:00+00:00')), ['A', 'B', 'H']],
    ['after a midnight: the chosen day is excluded, t >= X + 1 day', when(after('2024-06-10T00:00:00+00:00')), ['E', 'F', 'G']],
    ['after 12:00: t > X exactly', when(after('2024-06-10T12:00:00+00:00')), ['D', 'E', 'F', 'G', 'I']],
    ['after 02:00+02:00 is UTC midnight: the day rule', when(after('2024-06-10T02:00:00+02:00')), ['E', 'F', 'G']],
    [
      'between-static midnights: both days included, [06-10, 06-17)',
      when(betweenStatic('2024-06-10T00:00:00+00:00', '2024-06-16T00:00:00+00:00')),
      ['B', 'C', 'D', 'E', 'F', 'H', 'I'],
    ],
    [
      'between-static exact instants: [X, Y] inclusive',
      when(betweenStatic('2024-06-10T12:00:00+00:00', '2024-06-16T23:59:59+00:00')),
      ['C', 'D', 'E', 'F', 'I'],
    ],
  ]);
});

suite('engine: calendar and anniversary filters', () => {
  const june: Fixture = {
    profiles: withProperty('Birthday', {
      J1: '1990-06-17',
      J2: '1990-06-16',
      J3: '2000-06-17T23:30:00Z',
      J4: '2000-06-17T23:30:00-05:00', // 2000-06-18 04:30 UTC: all date logic is UTC
      J5: '1985-06-01',
      J6: '1985-07-01',
      J7: '2023-02-28',
      J8: '2024-02-29',
      J9: '2021-03-01',
    }),
  };
  const birthday = (filter: Json) => prop("properties['Birthday']", filter);
  table(june, [
    ['calendar-month 2 (February): 28 and 29 February', birthday(calendarMonth(2)), ['J7', 'J8']],
    ['calendar-month 6: June in UTC (J4 is 18 June in UTC, still June)', birthday(calendarMonth(6)), ['J1', 'J2', 'J3', 'J4', 'J5']],
    ['anniversary: month and day = today (17 June), in UTC', birthday(anniversary('anniversary')), ['J1', 'J3']],
    ['anniversary-month: June', birthday(anniversary('anniversary-month')), ['J1', 'J2', 'J3', 'J4', 'J5']],
  ]);

  const near: Fixture = {
    profiles: withProperty('Birthday', {
      K1: '1990-06-14',
      K2: '1990-06-13',
      K3: '1990-06-17',
      K4: '1990-06-18',
      K5: '1990-06-13T23:59:59Z',
      K6: '1990-06-20',
      K7: '1990-06-21',
      K8: '1990-06-20T23:59:59Z',
    }),
  };
  table(near, [
    ["anniversary-last 3 days: this year's date in [06-14 00:00, now]", birthday(rel('anniversary-last', 3)), ['K1', 'K3']],
    ["anniversary-next 3 days: in [now, 06-21 00:00); today's midnight already passed", birthday(rel('anniversary-next', 3)), ['K4', 'K6', 'K8']],
  ]);

  const yearEnd: Fixture = {
    profiles: withProperty('Birthday', {
      Z1: '1990-12-30',
      Z2: '1990-01-01',
      Z3: '1990-12-27',
      Z4: '1990-01-03',
      Z5: '1990-12-28',
      Z6: '1990-01-05',
      Z7: '1990-12-31',
      Z8: '1990-01-04T23:59:59Z',
    }),
  };
  suite('across a year end, looking back from 2025-01-02 10:00', () => {
    table(
      yearEnd,
      [
        [
          'anniversary-last 5 days = [2024-12-28, now]: December dates placed in the previous year (Z3 = 12-27 and Z4, Z6, Z8 = later in January excluded)',
          birthday(rel('anniversary-last', 5)),
          ['Z1', 'Z2', 'Z5', 'Z7'],
        ],
      ],
      Date.parse('2025-01-02T10:00:00Z'),
    );
  });
  suite('across a year end, looking ahead from 2024-12-30 10:00', () => {
    table(
      yearEnd,
      [
        ['anniversary-next 5 days = [now, 2025-01-05): January dates placed in the next year', birthday(rel('anniversary-next', 5)), ['Z2', 'Z4', 'Z7', 'Z8']],
        ['anniversary-month in December', birthday(anniversary('anniversary-month')), ['Z1', 'Z3', 'Z5', 'Z7']],
      ],
      Date.parse('2024-12-30T10:00:00Z'),
    );
  });

  const leap: Fixture = { profiles: withProperty('Birthday', { F1: '2000-02-29', F2: '2001-02-28', F3: '2001-03-01', F4: '2000-02-29T20:00:00Z' }) };
  suite('29 February: day rules only in leap years, month rules always', () => {
    suite('now = 2024-03-02 12:00 (leap year)', () => {
      table(
        leap,
        [['anniversary-last 3 days = [2024-02-28, now]: 29 February exists in 2024', birthday(rel('anniversary-last', 3)), ['F1', 'F2', 'F3', 'F4']]],
        Date.parse('2024-03-02T12:00:00Z'),
      );
    });
    suite('now = 2025-03-02 12:00 (not a leap year)', () => {
      table(
        leap,
        [['anniversary-last 3 days = [2025-02-27, now]: no 29 February in 2025', birthday(rel('anniversary-last', 3)), ['F2', 'F3']]],
        Date.parse('2025-03-02T12:00:00Z'),
      );
    });
    suite('now = 2025-02-10 12:00 (not a leap year)', () => {
      table(
        leap,
        [
          ['anniversary-month February includes 29 February', birthday(anniversary('anniversary-month')), ['F1', 'F2', 'F4']],
          ['calendar-month 2 includes 29 February', birthday(calendarMonth(2)), ['F1', 'F2', 'F4']],
        ],
        Date.parse('2025-02-10T12:00:00Z'),
      );
    });
    suite('now = 2024-02-29 12:00', () => {
      table(leap, [['anniversary on 29 February 2024', birthday(anniversary('anniversary')), ['F1', 'F4']]], Date.parse('2024-02-29T12:00:00Z'));
    });
    suite('now = 2025-02-28 12:00', () => {
      table(
        leap,
        [['anniversary on 28 February 2025: 29 February is not moved to the 28th', birthday(anniversary('anniversary')), ['F2']]],
        Date.parse('2025-02-28T12:00:00Z'),
      );
    });
    suite('now = 2025-03-01 12:00', () => {
      table(
        leap,
        [['anniversary on 1 March 2025: 29 February is not moved to 1 March', birthday(anniversary('anniversary')), ['F3']]],
        Date.parse('2025-03-01T12:00:00Z'),
      );
    });
    suite('now = 2025-02-27 10:00 (not a leap year)', () => {
      table(
        leap,
        [['anniversary-next 3 days = [now, 2025-03-03): 29 February skipped', birthday(rel('anniversary-next', 3)), ['F2', 'F3']]],
        Date.parse('2025-02-27T10:00:00Z'),
      );
    });
    suite('now = 2028-02-27 10:00 (leap year)', () => {
      table(
        leap,
        [['anniversary-next 3 days = [now, 2028-03-02): 29 February included', birthday(rel('anniversary-next', 3)), ['F1', 'F2', 'F3', 'F4']]],
        Date.parse('2028-02-27T10:00:00Z'),
      );
    });
  });
});

// =============================================================================================

suite('engine: profile-metric', () => {
  // Placed Order (PO) events; E only has a Viewed Product (VP) event; D has none.
  const f: Fixture = {
    metrics: [metric('PO', 'Placed Order'), metric('VP', 'Viewed Product')],
    profiles: ['A', 'B', 'C', 'D', 'E'].map((id) => profile(id)),
    events: [
      event('A', 'PO', '2024-06-16T10:00:00Z', { $value: 10, Category: 'Shoes', Items: ['a', 'b'], Gift: true, Price: 5, $event_id: 'x1' }),
      event('A', 'PO', '2024-06-10T10:00:00Z', { $value: 20.5, Category: 'shoes' }),
      event('B', 'PO', '2024-06-17T01:00:00Z', { $value: '30', Category: 'Shoes', Items: ['b'] }),
      event('B', 'PO', '2024-06-01T00:00:00Z', { Category: null, Items: [] }),
      event('C', 'PO', '2023-01-01T00:00:00Z', { $value: 100, Brand: 'X' }),
      event('E', 'VP', '2024-06-16T00:00:00Z', {}),
    ],
  };
  const po = (measurement: 'count' | 'sum', operator: string, value: number, timeframe: Json = alltime, filters?: Json[]) =>
    metricCondition('PO', measurement, operator, value, timeframe, filters);
  const atLeastOnce = (filters: Json[]) => po('count', 'greater-than-or-equal', 1, alltime, filters);
  table(f, [
    ['count >= 1 over all time', po('count', 'greater-than-or-equal', 1), ['A', 'B', 'C']],
    ['"zero times" (count = 0) includes profiles with no events at all', po('count', 'equals', 0), ['D', 'E']],
    ['count < 1 in the last 7 days ([06-10 00:00, now]): C (old event), D, E', po('count', 'less-than', 1, rel('in-the-last', 7)), ['C', 'D', 'E']],
    ['count equals 2', po('count', 'equals', 2), ['A', 'B']],
    ['count not-equals 0', po('count', 'not-equals', 0), ['A', 'B', 'C']],
    ['count > 1', po('count', 'greater-than', 1), ['A', 'B']],
    ['count <= 1: includes the profiles with no events', po('count', 'less-than-or-equal', 1), ['C', 'D', 'E']],
    ['timeframe at-least 30 days ago (t < 05-18 00:00)', po('count', 'greater-than-or-equal', 1, rel('at-least', 30)), ['C']],
    [
      "timeframe after a midnight: the chosen day 06-16 excluded, so only B's 06-17 event",
      po('count', 'greater-than-or-equal', 1, after('2024-06-16T00:00:00+00:00')),
      ['B'],
    ],
    [
      "timeframe before 06-01 00:00: B's event at exactly 06-01 00:00 is not before",
      po('count', 'greater-than-or-equal', 1, before('2024-06-01T00:00:00+00:00')),
      ['C'],
    ],
    ['timeframe between 1 and 7 days ago = [06-10, 06-17)', po('count', 'greater-than-or-equal', 1, relBetween(1, 7)), ['A']],
    ['timeframe in the next 7 days: no future events, so count >= 1 matches no one', po('count', 'greater-than-or-equal', 1, rel('in-the-next', 7)), []],
    ['count >= 1 in the last 1 day ([06-16 00:00, now])', po('count', 'greater-than-or-equal', 1, rel('in-the-last', 1)), ['A', 'B']],
    ['sum > 30: A = 10 + 20.5, B = 0 (a string $value counts 0), C = 100', po('sum', 'greater-than', 30), ['A', 'C']],
    ['sum = 0: missing and non-numeric $value count 0, no events count 0', po('sum', 'equals', 0), ['B', 'D', 'E']],
    ['sum >= 10 in the last 1 day', po('sum', 'greater-than-or-equal', 10, rel('in-the-last', 1)), ['A']],
    ['sum <= 10: B (0), D and E (no events)', po('sum', 'less-than-or-equal', 10), ['B', 'D', 'E']],
    ["sum < 100: C's 100 is not below 100", po('sum', 'less-than', 100), ['A', 'B', 'D', 'E']],
    ['sum not-equals 30.5', po('sum', 'not-equals', 30.5), ['B', 'C', 'D', 'E']],
    [
      'metric "between dates" includes both days: 06-10 00:00 .. 06-16 23:59:59',
      po('count', 'greater-than-or-equal', 2, betweenStatic('2024-06-10T00:00:00+00:00', '2024-06-16T00:00:00+00:00')),
      ['A'],
    ],
    ['metric filter string equals "Shoes" (case-sensitive)', atLeastOnce([{ property: 'Category', filter: str('equals', 'Shoes') }]), ['A', 'B']],
    ['metric filter string equals "shoes"', atLeastOnce([{ property: 'Category', filter: str('equals', 'shoes') }]), ['A']],
    ['metric filter string in', atLeastOnce([{ property: 'Category', filter: str('in', ['Shoes', 'Boots']) }]), ['A', 'B']],
    [
      "metric filter not-equals: a null property is missing, so B's second event does not count",
      atLeastOnce([{ property: 'Category', filter: str('not-equals', 'Shoes') }]),
      ['A'],
    ],
    ['metric filter is-set', atLeastOnce([{ property: 'Category', filter: exists('is-set') }]), ['A', 'B']],
    ['metric filter not-set: null (B) and absent (C)', atLeastOnce([{ property: 'Category', filter: exists('not-set') }]), ['B', 'C']],
    ['a metric filter without "filter" means "is set" (SL)', atLeastOnce([{ property: 'Brand' }]), ['C']],
    ['list contains-any', atLeastOnce([{ property: 'Items', filter: lst('contains-any', ['a', 'z']) }]), ['A']],
    ['list contains-all', atLeastOnce([{ property: 'Items', filter: lst('contains-all', ['a', 'b']) }]), ['A']],
    ['list contains-all of one element', atLeastOnce([{ property: 'Items', filter: lst('contains-all', ['b']) }]), ['A', 'B']],
    [
      'list not-contains-any: ["b"] and []; A\'s event without Items is missing',
      atLeastOnce([{ property: 'Items', filter: lst('not-contains-any', ['a']) }]),
      ['B'],
    ],
    ['list not-contains-all', atLeastOnce([{ property: 'Items', filter: lst('not-contains-all', ['a', 'b']) }]), ['B']],
    ['list contains-substring', atLeastOnce([{ property: 'Items', filter: lst('contains-substring', 'b') }]), ['A', 'B']],
    ['list not-contains-substring', atLeastOnce([{ property: 'Items', filter: lst('not-contains-substring', 'a') }]), ['B']],
    ['list length-equals 0', atLeastOnce([{ property: 'Items', filter: lst('length-equals', 0) }]), ['B']],
    ['list length-greater-than 1', atLeastOnce([{ property: 'Items', filter: lst('length-greater-than', 1) }]), ['A']],
    ['boolean equals true', atLeastOnce([{ property: 'Gift', filter: bool(true) }]), ['A']],
    ['boolean equals false: a missing property is not false', atLeastOnce([{ property: 'Gift', filter: bool(false) }]), []],
    ['numeric greater-than', atLeastOnce([{ property: 'Price', filter: num('greater-than', 4) }]), ['A']],
    ['$event_id is not segmentable (SL): is-set never holds', atLeastOnce([{ property: '$event_id', filter: exists('is-set') }]), []],
    [
      'metric filters are ANDed',
      atLeastOnce([
        { property: 'Category', filter: str('equals', 'Shoes') },
        { property: 'Items', filter: lst('contains-any', ['a']) },
      ]),
      ['A'],
    ],
    [
      '"zero times" with a filter: everyone without a qualifying event',
      po('count', 'equals', 0, alltime, [{ property: 'Category', filter: str('equals', 'Shoes') }]),
      ['C', 'D', 'E'],
    ],
    ['an unknown metric ID is not evaluable', metricCondition('NOPE', 'count', 'greater-than-or-equal', 1), 'not-evaluable'],
  ]);

  const times: Fixture = {
    metrics: [metric('PO')],
    profiles: [profile('T1'), profile('T2')],
    events: [
      // timestamp (epoch seconds) wins over datetime
      {
        ...event('T1', 'PO', Date.parse('2024-06-17T14:00:00Z') / 1000),
        attributes: { timestamp: Date.parse('2024-06-17T14:00:00Z') / 1000, datetime: '2020-01-01T00:00:00+00:00', event_properties: {} },
      },
      event('T2', 'PO', '2024-06-17T14:00:00+02:00'), // 12:00 UTC
    ],
  };
  table(times, [
    ["an event's instant is its timestamp, else its datetime", metricCondition('PO', 'count', 'equals', 1, rel('in-the-last', 2, 'hour')), ['T1']],
    [
      'datetime offsets are honoured',
      metricCondition('PO', 'count', 'equals', 1, betweenStatic('2024-06-17T11:59:59+00:00', '2024-06-17T12:00:00+00:00')),
      ['T2'],
    ],
  ]);
});

// =============================================================================================

suite('engine: profile-metric-funnel (timeframe: in the last 30 days = [05-18, now])', () => {
  const f: Fixture = {
    metrics: [metric('V', 'Viewed'), metric('ADD', 'Added to Cart'), metric('ORD', 'Ordered')],
    profiles: ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F13', 'F14'].map((id) => profile(id)),
    events: [
      event('F1', 'V', '2024-06-01T10:00:00Z'),
      event('F1', 'ADD', '2024-06-01T11:00:00Z'), // in order, exactly 1 hour apart
      event('F2', 'ADD', '2024-06-01T10:00:00Z'),
      event('F2', 'V', '2024-06-01T11:00:00Z'), // wrong order
      event('F3', 'V', '2024-06-01T10:00:00Z'),
      event('F3', 'ADD', '2024-06-01T10:00:00Z'), // equal timestamps
      event('F4', 'V', '2024-06-01T10:00:00Z'),
      event('F4', 'ADD', '2024-06-03T10:00:00Z'), // 2 days apart
      event('F5', 'V', '2024-06-01T10:00:00Z'),
      event('F5', 'ORD', '2024-06-01T10:30:00Z'),
      event('F5', 'ADD', '2024-06-01T11:00:00Z'), // an ORD in between
      event('F6', 'V', '2024-04-01T10:00:00Z'),
      event('F6', 'ADD', '2024-06-01T10:00:00Z'), // V before the timeframe
      event('F7', 'V', '2024-06-01T10:00:00Z'), // V only
      event('F8', 'V', '2024-06-01T10:00:00Z'),
      event('F8', 'V', '2024-06-02T10:00:00Z'), // V twice
      event('F9', 'V', '2024-06-01T10:00:00Z'),
      event('F9', 'ORD', '2024-06-03T10:00:00Z'), // ORD 2 days after V
      event('F10', 'ORD', '2024-05-25T10:00:00Z'),
      event('F10', 'V', '2024-06-01T10:00:00Z'), // ORD before V, in the timeframe
      event('F11', 'ORD', '2024-04-01T10:00:00Z'),
      event('F11', 'V', '2024-06-01T10:00:00Z'), // ORD before the timeframe
      event('F13', 'V', '2024-06-01T10:00:00Z'),
      event('F13', 'ADD', '2024-06-01T11:00:01Z'), // 1 hour and 1 second apart
      event('F14', 'V', '2024-06-01T10:00:00Z'),
      event('F14', 'ORD', '2024-06-02T10:00:00Z'), // ORD exactly 1 day after V
    ],
  };
  const last30 = rel('in-the-last', 30);
  const step = (metricId: string, exists = true, filters?: Json[]): Json => ({
    metric_exists: exists,
    metric_id: metricId,
    ...(filters ? { metric_filters: filters } : {}),
  });
  const funnel = (steps: Json[], window?: string): Json => ({
    type: 'profile-metric-funnel',
    timeframe_filter: last30,
    ...(window ? { completion_window_seconds: window } : {}),
    steps,
  });
  table(f, [
    ['V then ADD, no window: in order (equal times count), all inside the timeframe', funnel([step('V'), step('ADD')]), ['F1', 'F13', 'F3', 'F4', 'F5']],
    ['V then ADD within DAYS_1: not F4 (2 days)', funnel([step('V'), step('ADD')], 'DAYS_1'), ['F1', 'F13', 'F3', 'F5']],
    [
      'V then ADD within HOURS_1: exactly 1 hour is inside (tk - t1 <= window), 1 h 1 s is not',
      funnel([step('V'), step('ADD')], 'HOURS_1'),
      ['F1', 'F3', 'F5'],
    ],
    ['V, no ORD, then ADD: F5 has an ORD strictly between', funnel([step('V'), step('ORD', false), step('ADD')]), ['F1', 'F13', 'F3', 'F4']],
    ['the same metric twice needs two distinct events', funnel([step('V'), step('V')]), ['F8']],
    [
      'V then no ORD within DAYS_1: an ORD at exactly t1 + 1 day is inside the window (F14), 2 days later is not (F9)',
      funnel([step('V'), step('ORD', false)], 'DAYS_1'),
      ['F1', 'F10', 'F11', 'F13', 'F2', 'F3', 'F4', 'F7', 'F8', 'F9'],
    ],
    [
      'V then no ORD without a window: no ORD after V until the end of the timeframe',
      funnel([step('V'), step('ORD', false)]),
      ['F1', 'F10', 'F11', 'F13', 'F2', 'F3', 'F4', 'F7', 'F8'],
    ],
    [
      "no ORD then V: no ORD from the timeframe's start until V (F10 excluded, F11's ORD is before the timeframe)",
      funnel([step('ORD', false), step('V')]),
      ['F1', 'F11', 'F13', 'F14', 'F2', 'F3', 'F4', 'F5', 'F7', 'F8', 'F9'],
    ],
    ['a funnel step with an unknown metric is not evaluable', funnel([step('V'), step('NOPE')]), 'not-evaluable'],
  ]);

  const filtered: Fixture = {
    metrics: [metric('V'), metric('ADD')],
    profiles: [profile('G1'), profile('G2')],
    events: [
      event('G1', 'V', '2024-06-01T10:00:00Z', { Category: 'Shoes' }),
      event('G1', 'ADD', '2024-06-01T12:00:00Z'),
      event('G2', 'V', '2024-06-01T10:00:00Z', { Category: 'Hats' }),
      event('G2', 'ADD', '2024-06-01T12:00:00Z'),
    ],
  };
  table(filtered, [
    ["a step's metric filters restrict its events", funnel([step('V', true, [{ property: 'Category', filter: str('equals', 'Shoes') }]), step('ADD')]), ['G1']],
  ]);
});

// =============================================================================================

suite('engine: profile-group-membership', () => {
  const f: Fixture = {
    lists: [list('NEWS', 'Newsletter'), list('VIP')],
    profiles: ['A', 'B', 'C', 'D', 'E'].map((id) => profile(id)),
    members: {
      NEWS: [member('A', '2024-06-16T10:00:00+00:00'), member('B', '2024-01-01T00:00:00+00:00'), member('C')],
      VIP: [member('E', '2024-06-17T00:00:00+00:00')],
    },
  };
  const isMember = (id: string, timeframe?: Json): Json => ({
    type: 'profile-group-membership',
    is_member: true,
    group_ids: [id],
    ...(timeframe ? { timeframe_filter: timeframe } : {}),
  });
  const notMember = (id: string): Json => ({ type: 'profile-group-membership', is_member: false, group_ids: [id] });
  table(f, [
    ['is_member true: current members', isMember('NEWS'), ['A', 'B', 'C']],
    ['joined in the last 10 days; C (unknown join date) fails any timeframe', isMember('NEWS', rel('in-the-last', 10)), ['A']],
    ['joined at least 10 days ago', isMember('NEWS', rel('at-least', 10)), ['B']],
    ['joined before 2024-02-01', isMember('NEWS', before('2024-02-01T00:00:00+00:00')), ['B']],
    ['joined between 06-16 and 06-16 (the whole day)', isMember('NEWS', betweenStatic('2024-06-16T00:00:00+00:00', '2024-06-16T00:00:00+00:00')), ['A']],
    ['joined VIP in the last 1 day', isMember('VIP', rel('in-the-last', 1)), ['E']],
    ['is_member false: everyone not in the list, including people never in it', notMember('NEWS'), ['D', 'E']],
    ['an unknown list is not evaluable (is_member true)', isMember('NOPE'), 'not-evaluable'],
    ['an unknown list is not evaluable (is_member false)', notMember('NOPE'), 'not-evaluable'],
  ]);
});

// =============================================================================================

suite('engine: profile-marketing-consent, email', () => {
  const m = (fields: Json): Json => ({ email: { marketing: fields } });
  const f: Fixture = {
    profiles: [
      profile('E1', {
        email: 'a@x.com',
        subscriptions: m({
          can_receive_email_marketing: true,
          consent: 'SUBSCRIBED',
          consent_timestamp: '2024-06-10T00:00:00+00:00',
          method: 'PREFERENCE_PAGE',
          method_detail: 'mydomain.com/signup',
          double_optin: true,
          custom_method_detail: 'popup',
          suppression: [],
        }),
      }),
      profile('E2', { email: 'b@x.com', subscriptions: m({ can_receive_email_marketing: true, consent: 'NEVER_SUBSCRIBED' }) }),
      profile('E3', {
        email: 'c@x.com',
        subscriptions: m({
          can_receive_email_marketing: false,
          consent: 'UNSUBSCRIBED',
          method: 'API',
          method_detail: 'abcd',
          suppression: [{ reason: 'HARD_BOUNCE', timestamp: '2024-06-16T08:00:00+00:00' }],
        }),
      }),
      profile('E4', { subscriptions: m({ can_receive_email_marketing: true, consent: 'SUBSCRIBED' }) }), // no email address
      profile('E5', { email: 'e@x.com' }), // no subscription record
      profile('E6', {
        email: 'f@x.com',
        subscriptions: m({
          can_receive_email_marketing: false,
          consent: 'SUBSCRIBED',
          suppression: [{ reason: 'USER_SUPPRESSED', timestamp: '2024-01-15T00:00:00+00:00' }],
        }),
      }),
      profile('E7', {
        email: 'g@x.com',
        subscriptions: m({ can_receive_email_marketing: true, consent: 'SUBSCRIBED', method: 'FORM', method_detail: 'Form1', double_optin: false }),
      }),
      profile('E8', { email: 'h@x.com', subscriptions: m({ can_receive_email_marketing: true, consent: 'SUBSCRIBED', method: 'SHOPIFY' }) }),
      profile('E9', {
        email: 'i@x.com',
        subscriptions: m({ can_receive_email_marketing: true, consent: 'SUBSCRIBED', method: 'INTEGRATION', method_detail: 'shopify' }),
      }),
      profile('E10', {
        email: 'j@x.com',
        subscriptions: m({
          can_receive_email_marketing: false,
          consent: 'UNSUBSCRIBED',
          method: 'SPAM_COMPLAINT',
          consent_timestamp: '2024-06-01T00:00:00+00:00',
          suppression: [{ reason: 'INVALID_EMAIL', timestamp: '2024-06-01T00:00:00+00:00' }],
        }),
      }),
      profile('E11', {
        email: 'k@x.com',
        subscriptions: m({
          can_receive_email_marketing: false,
          consent: 'NEVER_SUBSCRIBED',
          suppression: [{ reason: 'HARD_BOUNCE', timestamp: '2024-06-16T08:00:00+00:00' }],
        }),
      }),
      profile('E12', { email: '', subscriptions: m({ can_receive_email_marketing: true, consent: 'SUBSCRIBED' }) }), // an empty address is no address
    ],
  };
  const method = (name: string, inList?: string[]): Json => ({
    field: 'method',
    method: name,
    ...(inList ? { filter: { type: 'string', operator: 'in', value: inList } } : {}),
  });
  table(f, [
    ['can receive, any: the flag is true and there is an email address (not E4, E12)', consent('email', true, 'any', null), ['E1', 'E2', 'E7', 'E8', 'E9']],
    ['can receive, subscribed', consent('email', true, 'subscribed'), ['E1', 'E7', 'E8', 'E9']],
    ['can receive, never subscribed', consent('email', true, 'never_subscribed'), ['E2']],
    ['cannot receive, any: suppressed, no address, no record (E5)', consent('email', false, 'any'), ['E10', 'E11', 'E12', 'E3', 'E4', 'E5', 'E6']],
    ['cannot receive, unsubscribed', consent('email', false, 'unsubscribed', null), ['E10', 'E3']],
    [
      'cannot receive, subscribed, manually suppressed (E4, E12 have no suppression)',
      consent('email', false, 'subscribed', [{ field: 'manual_suppression_date', filter: exists('is-set') }]),
      ['E6'],
    ],
    [
      'cannot receive, never subscribed, bounced (E5: no record = NEVER_SUBSCRIBED but no bounce)',
      consent('email', false, 'never_subscribed', [{ field: 'bounce_date', filter: exists('is-set') }]),
      ['E11'],
    ],
    [
      'cannot receive, any, bounced in the last 7 days',
      consent('email', false, 'any', [{ field: 'bounce_date', filter: rel('in-the-last', 7) }]),
      ['E11', 'E3'],
    ],
    ['cannot receive, any, invalid email is set', consent('email', false, 'any', [{ field: 'invalid_email_date', filter: exists('is-set') }]), ['E10']],
    [
      'cannot receive, any, manually suppressed before February',
      consent('email', false, 'any', [{ field: 'manual_suppression_date', filter: before('2024-02-01T00:00:00+00:00') }]),
      ['E6'],
    ],
    [
      'cannot receive, unsubscribed, status date in the last 30 days (E3 has none)',
      consent('email', false, 'unsubscribed', [{ field: 'status_date', filter: rel('in-the-last', 30) }]),
      ['E10'],
    ],
    ['double opt-in true', consent('email', true, 'subscribed', [{ field: 'is_double_opt_in', filter: bool(true) }]), ['E1']],
    ['double opt-in false: a missing flag is not false', consent('email', true, 'subscribed', [{ field: 'is_double_opt_in', filter: bool(false) }]), ['E7']],
    [
      "status date in the last 7 days: 06-10 00:00 is the window's first instant",
      consent('email', true, 'subscribed', [{ field: 'status_date', filter: rel('in-the-last', 7) }]),
      ['E1'],
    ],
    ['custom source equals "popup"', consent('email', true, 'subscribed', [{ field: 'custom_source', filter: str('equals', 'popup') }]), ['E1']],
    ['custom source is case-sensitive', consent('email', true, 'subscribed', [{ field: 'custom_source', filter: str('equals', 'Popup') }]), []],
    ['method preference_page (case-insensitive against PREFERENCE_PAGE)', consent('email', true, 'subscribed', [method('preference_page')]), ['E1']],
    ['method form', consent('email', true, 'subscribed', [method('form')]), ['E7']],
    [
      'method form with an "in" list, compared case-insensitively with method_detail',
      consent('email', true, 'subscribed', [method('form', ['form1'])]),
      ['E7'],
    ],
    ['method form with another form ID', consent('email', true, 'subscribed', [method('form', ['form2'])]), []],
    [
      'method integration shopify: method INTEGRATION with detail shopify, or method SHOPIFY (SL)',
      consent('email', true, 'subscribed', [method('integration', ['shopify'])]),
      ['E8', 'E9'],
    ],
    ['method api with key "ABCD" (detail "abcd")', consent('email', false, 'unsubscribed', [method('api', ['ABCD'])]), ['E3']],
    ['method spam_complaint', consent('email', false, 'unsubscribed', [method('spam_complaint')]), ['E10']],
    [
      'filters are ANDed (double opt-in and preference page)',
      consent('email', true, 'subscribed', [{ field: 'is_double_opt_in', filter: bool(true) }, method('preference_page')]),
      ['E1'],
    ],
    [
      'filters are ANDed (double opt-in and form: nobody has both)',
      consent('email', true, 'subscribed', [{ field: 'is_double_opt_in', filter: bool(true) }, method('form')]),
      [],
    ],
  ]);
});

suite('engine: profile-marketing-consent, SMS and push', () => {
  const sms: Fixture = {
    profiles: [
      profile('S1', {
        subscriptions: {
          sms: {
            marketing: {
              can_receive_sms_marketing: true,
              consent: 'SUBSCRIBED',
              method: 'FORM',
              method_detail: 'form1',
              consent_timestamp: '2024-06-15T00:00:00+00:00',
            },
          },
        },
      }),
      profile('S2', { subscriptions: { sms: { marketing: { can_receive_sms_marketing: false, consent: 'UNSUBSCRIBED', method: 'CARRIER_DEACTIVATION' } } } }),
      profile('S3', { subscriptions: { sms: { marketing: { can_receive_sms_marketing: false, consent: 'NEVER_SUBSCRIBED' } } } }),
      profile('S4', { email: 's4@x.com' }), // no SMS record: cannot receive, NEVER_SUBSCRIBED (SL)
    ],
  };
  const method = (name: string, inList?: string[]): Json => ({
    field: 'method',
    method: name,
    ...(inList ? { filter: { type: 'string', operator: 'in', value: inList } } : {}),
  });
  table(sms, [
    ['sms can receive, subscribed', consent('sms', true, 'subscribed'), ['S1']],
    ['sms status date in the last 3 days', consent('sms', true, 'subscribed', [{ field: 'status_date', filter: rel('in-the-last', 3) }]), ['S1']],
    ['sms method form with form ID FORM1', consent('sms', true, 'subscribed', [method('form', ['FORM1'])]), ['S1']],
    ['sms cannot receive, any: a missing record cannot receive', consent('sms', false, 'any'), ['S2', 'S3', 'S4']],
    ['sms cannot receive, never subscribed: a missing record counts as NEVER_SUBSCRIBED', consent('sms', false, 'never_subscribed'), ['S3', 'S4']],
    ['sms cannot receive, unsubscribed', consent('sms', false, 'unsubscribed'), ['S2']],
    ['sms unsubscribed by carrier deactivation', consent('sms', false, 'unsubscribed', [method('carrier_deactivation')]), ['S2']],
    ['sms unsubscribed by form: no one', consent('sms', false, 'unsubscribed', [method('form')]), []],
    ['is_rcs_capable is not evaluable', consent('sms', true, 'subscribed', [{ field: 'is_rcs_capable', filter: bool(true) }]), 'not-evaluable'],
  ]);

  const push: Fixture = {
    profiles: [
      profile('P1', {
        subscriptions: {
          mobile_push: { marketing: { can_receive_push_marketing: true, consent: 'SUBSCRIBED', consent_timestamp: '2024-06-16T00:00:00+00:00' } },
        },
      }),
      profile('P2', { subscriptions: { mobile_push: { marketing: { can_receive_push_marketing: false, consent: 'UNSUBSCRIBED' } } } }),
      profile('P3'),
      profile('P4', {
        subscriptions: {
          mobile_push: { marketing: { can_receive_push_marketing: true, consent: 'SUBSCRIBED', consent_timestamp: '2024-01-01T00:00:00+00:00' } },
        },
      }),
    ],
  };
  table(push, [
    ['push can receive, any', consent('push', true, 'any', null), ['P1', 'P4']],
    ['push can receive, status date in the last 3 days', consent('push', true, 'any', [{ field: 'status_date', filter: rel('in-the-last', 3) }]), ['P1']],
    ['push cannot receive, any: a missing record cannot receive', consent('push', false, 'any'), ['P2', 'P3']],
  ]);
});

// =============================================================================================

suite('engine: profile-postal-code-distance (from ZIP 10017, Manhattan)', () => {
  // Distances from the 10017 centroid (haversine, R = 6371.0088 km): 10001 = 2.2 km (1.4 mi);
  // 40.7128,-74.0060 = 5.2 km (3.3 mi); Ottawa K1A = 538 km (334 mi); Beverly Hills 90210 and
  // 34.09,-118.41 = 3950 km (2455 mi).
  const f: Fixture = {
    profiles: [
      profile('G1', { location: { zip: '10001', country: 'US' } }),
      profile('G2', { location: { zip: '90210', country: 'United States' } }),
      profile('G3', { location: { latitude: '40.7128', longitude: '-74.0060' } }), // numeric strings
      profile('G4', { location: { zip: '10017' } }), // no country: the ZIP cannot be placed
      profile('G5', { location: { zip: 'K1A 0B1', country: 'CA' } }), // Canadian FSA K1A
      profile('G6'),
      profile('G7', { location: { latitude: 40.75, zip: '90210', country: 'USA' } }), // only one coordinate: the ZIP centroid
      profile('G8', { location: { latitude: 34.09, longitude: -118.41, zip: '10017', country: 'US' } }), // coordinates win over the ZIP
      profile('G9', { location: { zip: '10017', country: 'US' } }), // distance 0
      profile('G10', { location: { zip: '99999', country: 'US' } }), // unknown ZIP: no position
    ],
  };
  const distance = (operator: string, value: number, unit = 'miles', postal = '10017', country = 'USA'): Json => ({
    type: 'profile-postal-code-distance',
    country_code: country,
    postal_code: postal,
    unit,
    filter: { type: 'numeric', operator, value },
  });
  table(f, [
    ['less than 10 miles', distance('less-than', 10), ['G1', 'G3', 'G9']],
    ['greater than 10 miles; profiles without a position match neither', distance('greater-than', 10), ['G2', 'G5', 'G7', 'G8']],
    ['less than 3 miles (G3 is 3.3 mi)', distance('less-than', 3), ['G1', 'G9']],
    ['less than 500 miles includes Ottawa (334 mi)', distance('less-than', 500), ['G1', 'G3', 'G5', 'G9']],
    ['less than 500 kilometers excludes Ottawa (538 km)', distance('less-than', 500, 'kilometers'), ['G1', 'G3', 'G9']],
    ['less than 6 km includes G3 (5.2 km)', distance('less-than', 6, 'kilometers'), ['G1', 'G3', 'G9']],
    ['less-than 0 is strict: distance 0 does not match', distance('less-than', 0), []],
    ['greater-than 0 is strict: distance 0 does not match', distance('greater-than', 0), ['G1', 'G2', 'G3', 'G5', 'G7', 'G8']],
    ['from a Canadian postal code (CAN K1A 0B1), less than 10 km', distance('less-than', 10, 'kilometers', 'K1A 0B1', 'CAN'), ['G5']],
    ['an unknown postal code is not evaluable', distance('less-than', 10, 'miles', '99999'), 'not-evaluable'],
    ['a country outside the packaged geodata (GBR) is not evaluable', distance('less-than', 10, 'miles', 'SW1W', 'GBR'), 'not-evaluable'],
    ['a country outside the packaged geodata (DEU) is not evaluable', distance('less-than', 10, 'miles', '10115', 'DEU'), 'not-evaluable'],
  ]);
});

suite('engine: profile-region', () => {
  const f: Fixture = {
    profiles: [
      ['R1', 'Germany'],
      ['R2', 'DE'],
      ['R3', 'DEU'],
      ['R4', 'United Kingdom'],
      ['R5', 'UK'],
      ['R6', 'United States'],
      ['R7', 'US'],
      ['R8', 'USA'],
      ['R9', undefined],
      ['R10', ''],
      ['R11', 'Atlantis'],
      ['R12', 'France'],
      ['R13', 'de'],
      ['R14', 'Deutschland'],
      ['R15', 'GB'],
      ['R16', null],
    ].map(([id, country]) => profile(id as string, country === undefined ? {} : { location: { country } })),
  };
  const region = (name: string, inRegion: boolean): Json => ({ type: 'profile-region', in_region: inRegion, region: name });
  table(f, [
    ['in the EU: names, alpha-2 (any case), alpha-3, a German name', region('european_union', true), ['R1', 'R12', 'R13', 'R14', 'R2', 'R3']],
    [
      'not in the EU: the UK (in any spelling) and the US; no country (R9, R10, R16, unknown R11) excluded',
      region('european_union', false),
      ['R15', 'R4', 'R5', 'R6', 'R7', 'R8'],
    ],
    ['in the US', region('united_states', true), ['R6', 'R7', 'R8']],
    ['not in the US; no country excluded both ways', region('united_states', false), ['R1', 'R12', 'R13', 'R14', 'R15', 'R2', 'R3', 'R4', 'R5']],
  ]);
});

suite('engine: profile-predictive-analytics', () => {
  const f: Fixture = {
    profiles: [
      profile('X1', {
        predictive_analytics: {
          historic_clv: 100,
          average_order_value: 46.94,
          churn_probability: 0.89,
          expected_date_of_next_order: '2024-06-20T00:00:00+00:00',
          ranked_channel_affinity: ['email', 'sms'],
          predicted_gender: 'likely_female',
          channel_affinity_rank: { email: 'high', sms: 'low' },
        },
      }),
      profile('X2', {
        predictive_analytics: {
          historic_clv: 50,
          average_order_value: null,
          expected_date_of_next_order: '2024-05-01',
          ranked_channel_affinity: ['sms', 'email', 'push'],
          predicted_gender: 'likely_male',
          channel_affinity_rank: { sms: 'medium' },
        },
      }),
      profile('X3', { predictive_analytics: { historic_clv: '100' } }),
      profile('X4'),
    ],
  };
  const numeric = (dimension: string, operator: string, value: number): Json => ({
    type: 'profile-predictive-analytics',
    dimension,
    filter: num(operator, value),
  });
  const nextPurchase = (filter: Json): Json => ({ type: 'profile-predictive-analytics', dimension: 'expected_date_of_next_purchase', filter });
  const gender = (operator: string, value: string): Json => ({
    type: 'profile-predictive-analytics',
    dimension: 'predicted_gender',
    filter: str(operator, value),
  });
  const priority = (channel: string, value: number): Json => ({
    type: 'profile-predictive-analytics',
    dimension: 'channel_affinity',
    measurement: 'priority',
    predicted_channel: channel,
    filter: num('equals', value),
  });
  const rank = (channel: string, operator: string, value: string): Json => ({
    type: 'profile-predictive-analytics',
    dimension: 'channel_affinity',
    measurement: 'rank',
    predicted_channel: channel,
    filter: str(operator, value),
  });
  table(f, [
    ['historic_clv >= 100: the string "100" is not a number', numeric('historic_clv', 'greater-than-or-equal', 100), ['X1']],
    ['historic_clv < 75: missing values never match', numeric('historic_clv', 'less-than', 75), ['X2']],
    ['historic_clv not-equals 100: missing values excluded', numeric('historic_clv', 'not-equals', 100), ['X2']],
    ['average_order_value >= 0: null is missing', numeric('average_order_value', 'greater-than-or-equal', 0), ['X1']],
    ['churn_probability > 0.5', numeric('churn_probability', 'greater-than', 0.5), ['X1']],
    ['next purchase in the next 7 days (reads expected_date_of_next_order)', nextPurchase(rel('in-the-next', 7)), ['X1']],
    ['next purchase before June', nextPurchase(before('2024-06-01T00:00:00+00:00')), ['X2']],
    ['next purchase in May', nextPurchase(calendarMonth(5)), ['X2']],
    ['predicted gender equals likely_female', gender('equals', 'likely_female'), ['X1']],
    ['predicted gender not-equals likely_female: missing excluded', gender('not-equals', 'likely_female'), ['X2']],
    ['channel affinity priority: email first', priority('email', 1), ['X1']],
    ['channel affinity priority: email second', priority('email', 2), ['X2']],
    ['channel affinity priority: push third', priority('push', 3), ['X2']],
    ['channel affinity priority: sms first', priority('sms', 1), ['X2']],
    ['channel affinity priority: whatsapp first (nobody)', priority('whatsapp', 1), []],
    ['channel affinity rank: email high', rank('email', 'equals', 'high'), ['X1']],
    ['channel affinity rank: sms not low (X1 is low; missing excluded)', rank('sms', 'not-equals', 'low'), ['X2']],
    ['channel affinity rank: sms medium', rank('sms', 'equals', 'medium'), ['X2']],
    ['channel affinity rank: push high (nobody)', rank('push', 'equals', 'high'), []],
  ]);

  const noExtensions: Fixture = { profiles: [profile('Y1', { predictive_analytics: { historic_clv: 1, ranked_channel_affinity: ['email'] } }), profile('Y2')] };
  table(noExtensions, [
    ['predicted_gender is not evaluable when no profile carries it', gender('equals', 'likely_female'), 'not-evaluable'],
    ['channel affinity rank is not evaluable when no profile carries it', rank('email', 'equals', 'high'), 'not-evaluable'],
    ['channel affinity priority still works from ranked_channel_affinity', priority('email', 1), ['Y1']],
  ]);
});

suite('engine: conditions that are not evaluable locally', () => {
  const f: Fixture = { profiles: [profile('A'), profile('B')] };
  table(f, [
    ['profile-has-custom-object', CUSTOM_OBJECT, 'not-evaluable'],
    ['profile-permissions (WhatsApp)', PERMISSIONS, 'not-evaluable'],
  ]);
});

// =============================================================================================

suite('engine: edge cases of the semantics', () => {
  example('every one of the 27 EU member states is in the EU, by name and by code (Hungary too)', () => {
    const names = [
      'Austria',
      'Belgium',
      'Bulgaria',
      'Croatia',
      'Cyprus',
      'Czechia',
      'Denmark',
      'Estonia',
      'Finland',
      'France',
      'Germany',
      'Greece',
      'Hungary',
      'Ireland',
      'Italy',
      'Latvia',
      'Lithuania',
      'Luxembourg',
      'Malta',
      'Netherlands',
      'Poland',
      'Portugal',
      'Romania',
      'Slovakia',
      'Slovenia',
      'Spain',
      'Sweden',
    ];
    assert.equal(names.length, 27);
    const f: Fixture = { profiles: names.map((country) => profile(country, { location: { country } })) };
    // Semantics §4: "is one of the 27 EU member states". Hungary joined in 2004.
    expectCondition(f, { type: 'profile-region', in_region: true, region: 'european_union' }, names);
    expectCondition(
      { profiles: [profile('HU1', { location: { country: 'HU' } }), profile('HU2', { location: { country: 'HUN' } })] },
      { type: 'profile-region', in_region: false, region: 'european_union' },
      [],
    );
  });

  example('an impossible calendar date ("2023-02-29", "2023-04-31") is missing, not rolled into the next month', () => {
    // Semantics §2: date-only YYYY-MM-DD = 00:00 UTC of that day; unparseable = missing. There is
    // no 29 February 2023, so the value is missing and matches no date filter.
    const f: Fixture = { profiles: withProperty('Birthday', { P1: '2023-02-29', P2: '2023-04-31', P3: '2023-02-29T10:00:00Z' }) };
    expectCondition(f, prop("properties['Birthday']", calendarMonth(3)), []);
    expectCondition(f, prop("properties['Birthday']", calendarMonth(5)), []);
  });

  example('strings that are not ISO date-times or YYYY-MM-DD dates ("10", "10:00", "2024", "0042", "20240617") are not dates', () => {
    // Semantics §2: "ISO date-time = that instant; date-only YYYY-MM-DD = 00:00 UTC of that day
    // (documented); a number = epoch seconds (SL); unparseable = missing". A lenient date parser
    // would read "10" and "10:00" as a time today, "2024" as 2024-01-01, "0042" (e.g. a code) as
    // the year 42: none of them may match a date filter.
    const f: Fixture = { profiles: withProperty('Code', { C1: '10', C2: '10:00', C3: '2024', C4: '0042', C5: '20240617' }) };
    expectCondition(f, prop("properties['Code']", before('2100-01-01T00:00:00+00:00')), []);
  });

  example("the preference-page method filter's page-URL filter restricts the profiles", () => {
    // PreferencePageFilter = {field: method, method: preference_page, filter?: EqualsStringFilter}:
    // "Optional filter on a specific subscribe page url", matched against method_detail.
    const m = (detail: string): Json => ({
      email: { marketing: { can_receive_email_marketing: true, consent: 'SUBSCRIBED', method: 'PREFERENCE_PAGE', method_detail: detail } },
    });
    const f: Fixture = {
      profiles: [
        profile('U1', { email: 'u1@x.com', subscriptions: m('mydomain.com/signup') }),
        profile('U2', { email: 'u2@x.com', subscriptions: m('other.com/page') }),
      ],
    };
    expectCondition(
      f,
      consent('email', true, 'subscribed', [
        { field: 'method', method: 'preference_page', filter: { type: 'string', operator: 'equals', value: 'mydomain.com/signup' } },
      ]),
      ['U1'],
    );
  });

  example('channel-affinity priority is evaluable when no profile has ranked_channel_affinity (nobody matches)', () => {
    // Semantics §4: ranked_channel_affinity is in the profile API; only predicted_gender and the
    // channel-affinity rank are "otherwise not evaluable". Missing values never match.
    const f: Fixture = { profiles: [profile('A', { predictive_analytics: { historic_clv: 1 } }), profile('B')] };
    expectCondition(
      f,
      { type: 'profile-predictive-analytics', dimension: 'channel_affinity', measurement: 'priority', predicted_channel: 'email', filter: num('equals', 1) },
      [],
    );
  });

  example('an SMS NEVER_SUBSCRIBED profile cannot receive SMS, whatever its can_receive flag says', () => {
    // Semantics §4: "SMS never-subscribed cannot receive (documented)".
    const f: Fixture = {
      profiles: [profile('T1', { subscriptions: { sms: { marketing: { can_receive_sms_marketing: true, consent: 'NEVER_SUBSCRIBED' } } } })],
    };
    expectCondition(f, consent('sms', false, 'never_subscribed'), ['T1']);
    expectCondition(f, consent('sms', false, 'any'), ['T1']);
  });

  example('a profile record that appears twice is replaced by the later one, not merged with it', () => {
    // WorkspaceIssues.duplicateProfiles: "the later one wins for profiles", whole. Keys the later
    // record lacks (or sets to null) must not keep the earlier record's values.
    const f: Fixture = {
      profiles: [profile('A', { email: 'old@x.com', properties: { Plan: 'gold' } }), profile('A', { email: null, first_name: 'Ann' })],
    };
    expectCondition(f, prop('email', exists('not-set')), ['A']);
    expectCondition(f, prop("properties['Plan']", exists('not-set')), ['A']);
    expectCondition(f, prop('first_name', str('equals', 'Ann')), ['A']);
  });

  example('sums of 2-decimal $values compare as decimals (1.10 + 2.20 = 3.30)', () => {
    // Semantics §4: sum = the sum of the events' $value, compared rounded to 6 decimal places
    // (SL). In binary floating point 1.1 + 2.2 = 3.3000000000000003, which is not 3.3.
    const f: Fixture = {
      metrics: [metric('PO')],
      profiles: [profile('A')],
      events: [event('A', 'PO', '2024-06-01T10:00:00Z', { $value: 1.1 }), event('A', 'PO', '2024-06-02T10:00:00Z', { $value: 2.2 })],
    };
    expectCondition(f, metricCondition('PO', 'sum', 'equals', 3.3), ['A']);
  });
});

/** Every hand-checked condition case, by suite. */
export const CONDITION_SUITES: readonly ConditionSuite[] = root.suites;
