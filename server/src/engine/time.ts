import { DateTime } from 'luxon';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** The instant every relative date filter is measured from (semantics §2). */
export interface ReferenceTime {
  /** "now", epoch milliseconds. */
  readonly now: number;
  /** D0: 00:00 UTC of now's day. */
  readonly d0: number;
  readonly year: number;
  /** 1-based month of now, in UTC. */
  readonly month: number;
  readonly day: number;
}

export function referenceTime(nowMs: number): ReferenceTime {
  const now = DateTime.fromMillis(nowMs, { zone: 'utc' });
  return { now: nowMs, d0: now.startOf('day').toMillis(), year: now.year, month: now.month, day: now.day };
}

/** Reads `count` ASCII digits at `at`, or -1. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/**
 * The instant a stored value denotes (semantics §2): an ISO date-time is that instant (UTC when
 * it has no offset); a date-only value is 00:00 UTC of that day; a number is epoch seconds (SL);
 * anything else — including impossible dates such as 2023-02-29 — is missing (undefined).
 *
 * Evaluations call this for every stored date (a million profiles' `created`), so it reads the
 * characters directly instead of using a regular expression and Date.parse.
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== 'string' || value.length < 10) return undefined;
  const text = value;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  // The platform would roll 2023-02-29 over into March: check the calendar first.
  if (day > 28 && day > daysInMonth(year, month)) return undefined;
  const midnight = utcMidnight(year, month, day);
  if (text.length === 10) return midnight;
  const separator = text.charCodeAt(10);
  if (separator !== 84 /* T */ && separator !== 32) return undefined;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || text.charCodeAt(13) !== 58) return undefined;
  let at = 16;
  let second = 0;
  let millisecond = 0;
  if (text.charCodeAt(at) === 58 /* : */) {
    second = digitsAt(text, at + 1, 2);
    if (second < 0 || second > 59) return undefined;
    at += 3;
    if (text.charCodeAt(at) === 46 /* . */) {
      at++;
      const start = at;
      while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++;
      if (at === start) return undefined;
      millisecond = Math.floor(Number(`0.${text.slice(start, at)}`) * 1000);
    }
  }
  let offsetMinutes = 0;
  if (at < text.length) {
    const sign = text.charCodeAt(at);
    if (sign === 90 /* Z */) {
      if (at + 1 !== text.length) return undefined;
    } else if (sign === 43 || sign === 45) {
      const hours = digitsAt(text, at + 1, 2);
      const colon = text.charCodeAt(at + 3) === 58 ? 1 : 0;
      const minutes = digitsAt(text, at + 3 + colon, 2);
      if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || at + 5 + colon !== text.length) return undefined;
      offsetMinutes = (sign === 43 ? 1 : -1) * (hours * 60 + minutes);
    } else {
      return undefined;
    }
  }
  return midnight + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millisecond;
}

/**
 * How a column may keep instant texts as numbers (see `canonicalInstant`): `date-time` is how
 * Klaviyo's API writes every datetime ("2023-11-01T01:00:00+00:00"), `date` a date alone
 * ("1990-05-17", birthdays).
 */
export type InstantFormat = 'date-time' | 'date';

/** The format a text would have as a canonical instant, by its length alone (see `canonicalInstant`). */
export function instantFormatOf(text: string): InstantFormat | undefined {
  return text.length === 25 ? 'date-time' : text.length === 10 ? 'date' : undefined;
}

/**
 * The instant (epoch ms, as `parseInstant` reads it) of a text written exactly in `format`, such
 * that `instantText` gives the very same text back; NaN for any other text (another offset, "Z",
 * fractions of a second, a space for the "T", an impossible date), which a column keeps as text.
 */
export function canonicalInstant(text: string, format: InstantFormat): number {
  const length = format === 'date-time' ? 25 : 10;
  if (text.length !== length) return NaN;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    const expected = CANONICAL_SHAPE.charCodeAt(i);
    if (expected === 57 /* 9: a digit */ ? c < 48 || c > 57 : c !== expected) return NaN;
  }
  return parseInstant(text) ?? NaN;
}

/** Positions of digits ("9") and the other characters of a canonical date-time; a date is its first ten. */
const CANONICAL_SHAPE = '9999-99-99T99:99:99+00:00';

/** The text of an instant in `format`: the inverse of `canonicalInstant` for the instants it returns. */
export function instantText(ms: number, format: InstantFormat): string {
  const iso = new Date(ms).toISOString(); // 2023-11-01T01:00:00.000Z
  return format === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 19)}+00:00`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** 00:00 UTC of a day, memoised: stored dates repeat the same few thousand days. */
const midnights = new Map<number, number>();
function utcMidnight(year: number, month: number, day: number): number {
  const key = year * 10_000 + month * 100 + day;
  let ms = midnights.get(key);
  if (ms === undefined) {
    const date = new Date(Date.UTC(2000, month - 1, day));
    date.setUTCFullYear(year); // Date.UTC reads years 0–99 as 1900–1999
    ms = date.getTime();
    if (midnights.size > 200_000) midnights.clear();
    midnights.set(key, ms);
  }
  return ms;
}

/** A date filter compiled to a test on instants, or the reason it cannot be evaluated. */
export type InstantTest = { test: (t: number) => boolean; describe: string; range?: InstantRange } | { notEvaluable: string };

/**
 * A window that is one interval of time (every relative and static filter; not the calendar
 * ones): callers scanning sorted instants can binary-search its ends instead of testing each.
 */
export interface InstantRange {
  lo: number;
  loInclusive: boolean;
  hi: number;
  hiInclusive: boolean;
}

function window(lo: number, loInclusive: boolean, hi: number, hiInclusive: boolean, describe: string): InstantTest {
  const test = loInclusive
    ? hiInclusive
      ? (t: number) => t >= lo && t <= hi
      : (t: number) => t >= lo && t < hi
    : hiInclusive
      ? (t: number) => t > lo && t <= hi
      : (t: number) => t > lo && t < hi;
  return { test, describe, range: { lo, loInclusive, hi, hiInclusive } };
}

interface DateFilterJson {
  type?: unknown;
  operator?: unknown;
  unit?: unknown;
  quantity?: unknown;
  start?: unknown;
  end?: unknown;
  date?: unknown;
  value?: unknown;
}

function unitMs(unit: unknown): number | undefined {
  return unit === 'day' ? DAY_MS : unit === 'week' ? 7 * DAY_MS : unit === 'hour' ? HOUR_MS : undefined;
}

/**
 * `D0 − n·unit` for day and week units (day boundaries), `now − n·hours` for hours
 * (semantics §2: hours count from the current instant).
 */
function back(ref: ReferenceTime, n: number, unit: unknown): number {
  if (unit === 'hour') return ref.now - n * HOUR_MS;
  return DateTime.fromMillis(ref.d0, { zone: 'utc' })
    .minus({ days: n * (unit === 'week' ? 7 : 1) })
    .toMillis();
}

function forward(ref: ReferenceTime, n: number, unit: unknown): number {
  if (unit === 'hour') return ref.now + n * HOUR_MS;
  return DateTime.fromMillis(ref.d0, { zone: 'utc' })
    .plus({ days: n * (unit === 'week' ? 7 : 1) })
    .toMillis();
}

function isMidnightUtc(ms: number): boolean {
  return DateTime.fromMillis(ms, { zone: 'utc' }).startOf('day').toMillis() === ms;
}

function staticDate(value: unknown): number | undefined {
  return typeof value === 'string' ? parseInstant(value) : undefined;
}

/** Month (1-12) and day of an instant, in UTC. */
export function monthDay(t: number): { month: number; day: number } {
  const packed = packedMonthDay(t);
  return { month: Math.floor(packed / 100), day: packed % 100 };
}

/**
 * month * 100 + day of an instant (UTC), memoised per calendar day: calendar and anniversary
 * filters ask this for every stored date, and dates repeat the same few thousand days.
 */
const monthDays = new Map<number, number>();
function packedMonthDay(t: number): number {
  const dayNumber = Math.floor(t / DAY_MS);
  let packed = monthDays.get(dayNumber);
  if (packed === undefined) {
    const date = new Date(t);
    packed = (date.getUTCMonth() + 1) * 100 + date.getUTCDate();
    if (monthDays.size > 200_000) monthDays.clear();
    monthDays.set(dayNumber, packed);
  }
  return packed;
}

/**
 * `t`'s month and day placed in `year`, at 00:00 UTC (an anniversary is a day, not an instant:
 * today's birthday is "in the last n days" all day long), or undefined for 29 February in a year
 * that is not a leap year (semantics §2). This runs once per stored value, so it uses the
 * platform's UTC calendar rather than Luxon objects; `leapYears` comes from Luxon.
 */
function inYear(t: number, year: number, leapYears: ReadonlySet<number>): number | undefined {
  const packed = packedMonthDay(t);
  const month = Math.floor(packed / 100);
  const day = packed % 100;
  if (month === 2 && day === 29 && !leapYears.has(year)) return undefined;
  return utcMidnight(year, month, day);
}

function leapYearsAround(year: number): Set<number> {
  return new Set([year - 1, year, year + 1].filter((y) => DateTime.utc(y).isInLeapYear));
}

/**
 * A timeframe on things that happen (events, list joins, suppressions): the date filter, and as
 * of `now` only what had happened by then (semantics §2: later events had not happened yet). With
 * the workspace's own `now` nothing is later; with an earlier `--now` or a day of a history, the
 * data after it does not count.
 */
export function compileEventWindow(filter: unknown, ref: ReferenceTime): InstantTest {
  const compiled = compileDateFilter(filter, ref);
  if ('notEvaluable' in compiled) return compiled;
  const now = ref.now;
  const range = compiled.range;
  if (range) {
    if (range.hi <= now) return compiled;
    if (range.lo > now) return window(now, false, now, false, compiled.describe);
    return window(range.lo, range.loInclusive, now, true, compiled.describe);
  }
  const test = compiled.test;
  return { test: (t) => t <= now && test(t), describe: compiled.describe };
}

/** Compiles a date filter of any context (timeframe, property, consent) per semantics §2. */
export function compileDateFilter(filter: unknown, ref: ReferenceTime): InstantTest {
  const leapYears = leapYearsAround(ref.year);
  const f = (typeof filter === 'object' && filter !== null ? filter : {}) as DateFilterJson;
  const quantity = typeof f.quantity === 'number' ? f.quantity : undefined;
  switch (f.operator) {
    case 'alltime':
      return window(-Infinity, true, Infinity, true, 'over all time');
    case 'in-the-last': {
      if (quantity === undefined || !unitMs(f.unit)) break;
      const lo = back(ref, quantity, f.unit);
      return window(lo, true, ref.now, true, `in the last ${quantity} ${f.unit}(s)`);
    }
    case 'at-least': {
      if (quantity === undefined || !unitMs(f.unit)) break;
      const hi = back(ref, quantity, f.unit);
      return window(-Infinity, true, hi, false, `at least ${quantity} ${f.unit}(s) ago`);
    }
    case 'in-the-next': {
      if (quantity === undefined || !unitMs(f.unit)) break;
      if (f.unit === 'hour') {
        const hi = ref.now + quantity * HOUR_MS;
        return window(ref.now, true, hi, true, `in the next ${quantity} hour(s)`);
      }
      const hi = forward(ref, f.unit === 'week' ? quantity * 7 + 1 : quantity + 1, 'day');
      return window(ref.now, true, hi, false, `in the next ${quantity} ${f.unit}(s)`);
    }
    case 'between': {
      if (typeof f.start !== 'number' || typeof f.end !== 'number' || !unitMs(f.unit)) break;
      const lo = back(ref, f.end, f.unit);
      const hi = back(ref, f.start - 1, f.unit);
      return window(lo, true, hi, false, `between ${f.start} and ${f.end} ${f.unit}(s) ago`);
    }
    case 'before': {
      const x = staticDate(f.date);
      if (x === undefined) break;
      return window(-Infinity, true, x, false, `before ${f.date}`);
    }
    case 'after': {
      const x = staticDate(f.date);
      if (x === undefined) break;
      // At midnight the UI's day rule applies: the chosen day itself is excluded.
      if (isMidnightUtc(x)) {
        const lo = x + DAY_MS;
        return window(lo, true, Infinity, true, `after ${f.date}`);
      }
      return window(x, false, Infinity, true, `after ${f.date}`);
    }
    case 'between-static': {
      const x = staticDate(f.start);
      const y = staticDate(f.end);
      if (x === undefined || y === undefined) break;
      if (isMidnightUtc(y)) {
        const hi = y + DAY_MS;
        return window(x, true, hi, false, `between ${f.start} and ${f.end}`);
      }
      return window(x, true, y, true, `between ${f.start} and ${f.end}`);
    }
    case 'calendar-month': {
      if (typeof f.value !== 'number') break;
      const month = f.value;
      return { test: (t) => Math.floor(packedMonthDay(t) / 100) === month, describe: `in month ${month}` };
    }
    case 'anniversary':
      return {
        test: (t) => packedMonthDay(t) === ref.month * 100 + ref.day,
        describe: 'on its anniversary today',
      };
    case 'anniversary-month':
      return { test: (t) => Math.floor(packedMonthDay(t) / 100) === ref.month, describe: 'with its anniversary this month' };
    case 'anniversary-last': {
      if (quantity === undefined || !unitMs(f.unit)) break;
      const lo = back(ref, quantity, f.unit);
      return {
        test: (t) =>
          [ref.year, ref.year - 1].some((year) => {
            const placed = inYear(t, year, leapYears);
            return placed !== undefined && placed >= lo && placed <= ref.now;
          }),
        describe: `with its anniversary in the last ${quantity} ${f.unit}(s)`,
      };
    }
    case 'anniversary-next': {
      if (quantity === undefined || !unitMs(f.unit)) break;
      const hi = f.unit === 'hour' ? ref.now + quantity * HOUR_MS : forward(ref, f.unit === 'week' ? quantity * 7 + 1 : quantity + 1, 'day');
      const inclusive = f.unit === 'hour';
      return {
        test: (t) =>
          [ref.year, ref.year + 1].some((year) => {
            const placed = inYear(t, year, leapYears);
            return placed !== undefined && placed >= ref.now && (inclusive ? placed <= hi : placed < hi);
          }),
        describe: `with its anniversary in the next ${quantity} ${f.unit}(s)`,
      };
    }
  }
  return { notEvaluable: `the date filter ${JSON.stringify(filter)} is not complete or not valid` };
}

/**
 * The instant an HTTP-date denotes (RFC 9110 §5.6.7: `Sun, 06 Nov 1994 08:49:37 GMT`, and the
 * obsolete RFC 850 and asctime forms a recipient must still accept), in epoch milliseconds; an
 * impossible or malformed date is missing (undefined). HTTP-dates are always UTC, whatever the
 * machine's time zone. Headers such as `Retry-After` carry them; `parseInstant` is for ISO dates.
 */
export function parseHttpDate(value: string): number | undefined {
  const date = DateTime.fromHTTP(value.trim());
  return date.isValid ? date.toMillis() : undefined;
}
