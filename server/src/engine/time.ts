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

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The instant a stored value denotes (semantics §2): an ISO date-time is that instant (UTC when
 * it has no offset); a date-only value is 00:00 UTC of that day; a number is epoch seconds (SL);
 * anything else — including impossible dates such as 2023-02-29 — is missing (undefined).
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== 'string') return undefined;
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // The platform would roll 2023-02-29 over into March: check the calendar first.
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || (m[6] !== undefined && Number(m[6]) > 59))) return undefined;
  const time = m[4] === undefined ? 'T00:00:00' : `T${m[4]}:${m[5]}:${m[6] ?? '00'}${m[7] ?? ''}`;
  const zone = m[8] === undefined ? 'Z' : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8];
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}${time}${zone}`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A date filter compiled to a test on instants, or the reason it cannot be evaluated. */
export type InstantTest = { test: (t: number) => boolean; describe: string } | { notEvaluable: string };

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
  return DateTime.fromMillis(ref.d0, { zone: 'utc' }).minus({ days: n * (unit === 'week' ? 7 : 1) }).toMillis();
}

function forward(ref: ReferenceTime, n: number, unit: unknown): number {
  if (unit === 'hour') return ref.now + n * HOUR_MS;
  return DateTime.fromMillis(ref.d0, { zone: 'utc' }).plus({ days: n * (unit === 'week' ? 7 : 1) }).toMillis();
}

function isMidnightUtc(ms: number): boolean {
  return DateTime.fromMillis(ms, { zone: 'utc' }).startOf('day').toMillis() === ms;
}

function staticDate(value: unknown): number | undefined {
  return typeof value === 'string' ? parseInstant(value) : undefined;
}

/** Month (1-12) and day of an instant, in UTC. */
export function monthDay(t: number): { month: number; day: number } {
  const date = new Date(t);
  return { month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/**
 * `t`'s month and day placed in `year`, at 00:00 UTC (an anniversary is a day, not an instant:
 * today's birthday is "in the last n days" all day long), or undefined for 29 February in a year
 * that is not a leap year (semantics §2). This runs once per stored value, so it uses the
 * platform's UTC calendar rather than Luxon objects; `leapYears` comes from Luxon.
 */
function inYear(t: number, year: number, leapYears: ReadonlySet<number>): number | undefined {
  const date = new Date(t);
  if (date.getUTCMonth() === 1 && date.getUTCDate() === 29 && !leapYears.has(year)) return undefined;
  return Date.UTC(year, date.getUTCMonth(), date.getUTCDate());
}

function leapYearsAround(year: number): Set<number> {
  return new Set([year - 1, year, year + 1].filter((y) => DateTime.utc(y).isInLeapYear));
}

/** Compiles a date filter of any context (timeframe, property, consent) per semantics §2. */
export function compileDateFilter(filter: unknown, ref: ReferenceTime): InstantTest {
  const leapYears = leapYearsAround(ref.year);
  const f = (typeof filter === 'object' && filter !== null ? filter : {}) as DateFilterJson;
  const quantity = typeof f.quantity === 'number' ? f.quantity : undefined;
  switch (f.operator) {
    case 'alltime':
      return { test: () => true, describe: 'over all time' };
    case 'in-the-last': {
      if (quantity === undefined || !unitMs(f.unit)) break;
      const lo = back(ref, quantity, f.unit);
      return { test: (t) => t >= lo && t <= ref.now, describe: `in the last ${quantity} ${f.unit}(s)` };
    }
    case 'at-least': {
      if (quantity === undefined || !unitMs(f.unit)) break;
      const hi = back(ref, quantity, f.unit);
      return { test: (t) => t < hi, describe: `at least ${quantity} ${f.unit}(s) ago` };
    }
    case 'in-the-next': {
      if (quantity === undefined || !unitMs(f.unit)) break;
      if (f.unit === 'hour') {
        const hi = ref.now + quantity * HOUR_MS;
        return { test: (t) => t >= ref.now && t <= hi, describe: `in the next ${quantity} hour(s)` };
      }
      const hi = forward(ref, f.unit === 'week' ? quantity * 7 + 1 : quantity + 1, 'day');
      return { test: (t) => t >= ref.now && t < hi, describe: `in the next ${quantity} ${f.unit}(s)` };
    }
    case 'between': {
      if (typeof f.start !== 'number' || typeof f.end !== 'number' || !unitMs(f.unit)) break;
      const lo = back(ref, f.end, f.unit);
      const hi = back(ref, f.start - 1, f.unit);
      return { test: (t) => t >= lo && t < hi, describe: `between ${f.start} and ${f.end} ${f.unit}(s) ago` };
    }
    case 'before': {
      const x = staticDate(f.date);
      if (x === undefined) break;
      return { test: (t) => t < x, describe: `before ${f.date}` };
    }
    case 'after': {
      const x = staticDate(f.date);
      if (x === undefined) break;
      // At midnight the UI's day rule applies: the chosen day itself is excluded.
      if (isMidnightUtc(x)) {
        const lo = x + DAY_MS;
        return { test: (t) => t >= lo, describe: `after ${f.date}` };
      }
      return { test: (t) => t > x, describe: `after ${f.date}` };
    }
    case 'between-static': {
      const x = staticDate(f.start);
      const y = staticDate(f.end);
      if (x === undefined || y === undefined) break;
      if (isMidnightUtc(y)) {
        const hi = y + DAY_MS;
        return { test: (t) => t >= x && t < hi, describe: `between ${f.start} and ${f.end}` };
      }
      return { test: (t) => t >= x && t <= y, describe: `between ${f.start} and ${f.end}` };
    }
    case 'calendar-month': {
      if (typeof f.value !== 'number') break;
      const month = f.value;
      return { test: (t) => monthDay(t).month === month, describe: `in month ${month}` };
    }
    case 'anniversary':
      return {
        test: (t) => {
          const md = monthDay(t);
          return md.month === ref.month && md.day === ref.day;
        },
        describe: 'on its anniversary today',
      };
    case 'anniversary-month':
      return { test: (t) => monthDay(t).month === ref.month, describe: 'with its anniversary this month' };
    case 'anniversary-last': {
      if (quantity === undefined || !unitMs(f.unit)) break;
      const lo = back(ref, quantity, f.unit);
      return {
        test: (t) => [ref.year, ref.year - 1].some((year) => {
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
        test: (t) => [ref.year, ref.year + 1].some((year) => {
          const placed = inYear(t, year, leapYears);
          return placed !== undefined && placed >= ref.now && (inclusive ? placed <= hi : placed < hi);
        }),
        describe: `with its anniversary in the next ${quantity} ${f.unit}(s)`,
      };
    }
  }
  return { notEvaluable: `the date filter ${JSON.stringify(filter)} is not complete or not valid` };
}
