/**
 * Time helpers for the generator. All times are integer epoch seconds and all calendar logic is
 * UTC. Seasonality lives in per-day weight tables that are sampled by binary search.
 */
import type { Rng } from './prng';

export const DAY = 86_400;
export const HOUR = 3_600;

const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, k) => String(k).padStart(2, '0'));
/** `HH:MM:SS+00:00` for every second of a day, built on first use. */
let timeOfDay: string[] | undefined;
/** `YYYY-MM-DDT` by day number (days since 1970-01-01), filled on demand. */
const dayPrefixes: string[] = [];

function buildTimeOfDay(): string[] {
  const out = new Array<string>(DAY);
  for (let r = 0; r < DAY; r++) out[r] = `${TWO_DIGITS[Math.floor(r / 3600)]}:${TWO_DIGITS[Math.floor((r % 3600) / 60)]}:${TWO_DIGITS[r % 60]}+00:00`;
  return out;
}

/** `2024-06-20T14:22:00+00:00` for an epoch-seconds instant (whole seconds). Hot path: both halves come from tables. */
export function isoSeconds(sec: number): string {
  const s = Math.floor(sec);
  const day = Math.floor(s / DAY);
  if (day < 0 || day > 2_900_000) return new Date(s * 1000).toISOString().slice(0, 19) + '+00:00';
  let prefix = dayPrefixes[day];
  if (prefix === undefined) prefix = dayPrefixes[day] = new Date(day * DAY * 1000).toISOString().slice(0, 11);
  const tod = (timeOfDay ??= buildTimeOfDay());
  return prefix + tod[s - day * DAY]!;
}

/** `2024-06-20` for an epoch-seconds instant. */
export function isoDay(sec: number): string {
  return new Date(sec * 1000).toISOString().slice(0, 10);
}

/** Epoch seconds of 00:00 UTC of the given calendar day (month 1-12). */
export function utcDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 1000;
}

/** The n-th (1-based) given weekday (0 = Sunday) of a month, as epoch seconds at 00:00 UTC. */
export function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const day = 1 + ((weekday - first + 7) % 7) + (n - 1) * 7;
  return utcDay(year, month, day);
}

/** Black Friday: the day after the fourth Thursday of November. */
export function blackFriday(year: number): number {
  return nthWeekday(year, 11, 4, 4) + DAY;
}

/** Record Store Day, taken here as the third Saturday of April. */
export function recordStoreDay(year: number): number {
  return nthWeekday(year, 4, 6, 3);
}

const MONTH_FACTOR = [0.8, 0.85, 0.9, 1.05, 0.9, 0.85, 0.85, 0.9, 0.95, 1.0, 1.35, 1.55];
// Sunday .. Saturday
const WEEKDAY_FACTOR = [1.1, 0.9, 0.92, 0.95, 1.0, 1.08, 1.15];
/** Relative activity by local hour of day. */
const HOUR_WEIGHTS = [0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0, 1.5, 1.8, 2.0, 2.2, 2.6, 2.5, 2.2, 2.1, 2.2, 2.5, 2.9, 3.3, 3.5, 3.1, 2.2, 1.0];
const HOUR_CDF: Float64Array = (() => {
  const c = new Float64Array(24);
  let s = 0;
  for (let h = 0; h < 24; h++) c[h] = s += HOUR_WEIGHTS[h]!;
  for (let h = 0; h < 24; h++) c[h] = c[h]! / s;
  return c;
})();

/** Picks a local hour of day from the daily rhythm. */
export function sampleHour(rng: Rng): number {
  const x = rng.next();
  let h = 0;
  while (h < 23 && HOUR_CDF[h]! <= x) h++;
  return h;
}

/** Special shopping days that boost activity, per year. */
export interface SpecialDays {
  readonly blackFriday: number;
  readonly cyberMonday: number;
  readonly recordStoreDay: number;
  readonly vinylRecordDay: number;
}

export function specialDays(year: number): SpecialDays {
  const bf = blackFriday(year);
  return { blackFriday: bf, cyberMonday: bf + 3 * DAY, recordStoreDay: recordStoreDay(year), vinylRecordDay: utcDay(year, 8, 12) };
}

/**
 * Per-day weights between two days (inclusive), with prefix sums for O(log n) sampling.
 * `firstDay` / `lastDay` are day numbers (epoch seconds / 86400).
 */
export class DayTable {
  readonly firstDay: number;
  readonly lastDay: number;
  /** cumulative[k] = sum of weights of days firstDay .. firstDay + k - 1 (length = days + 1). */
  private readonly cumulative: Float64Array;

  constructor(firstDay: number, lastDay: number, weight: (day: number) => number) {
    this.firstDay = firstDay;
    this.lastDay = lastDay;
    const n = lastDay - firstDay + 1;
    this.cumulative = new Float64Array(n + 1);
    let s = 0;
    for (let k = 0; k < n; k++) {
      s += Math.max(0, weight(firstDay + k));
      this.cumulative[k + 1] = s;
    }
  }

  private cum(day: number): number {
    const k = Math.min(Math.max(day - this.firstDay, 0), this.lastDay - this.firstDay + 1);
    return this.cumulative[k]!;
  }

  /** Picks a day in [fromDay, toDay] with probability proportional to its weight. */
  sampleDay(rng: Rng, fromDay: number, toDay: number): number {
    const lo = this.cum(fromDay);
    const hi = this.cum(toDay + 1);
    if (!(hi > lo)) return fromDay + rng.int(toDay - fromDay + 1);
    return this.dayAt(lo + rng.next() * (hi - lo));
  }

  /** The day at a cumulative weight position, as a fractional day number (continuous inverse CDF). */
  fractionalDayAt(position: number): number {
    const c = this.cumulative;
    let lo = 0,
      hi = c.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (c[mid]! <= position) lo = mid;
      else hi = mid - 1;
    }
    const w = c[lo + 1]! - c[lo]!;
    const frac = w > 0 ? Math.min(Math.max((position - c[lo]!) / w, 0), 0.999999) : 0;
    return this.firstDay + lo + frac;
  }

  private dayAt(position: number): number {
    return Math.floor(this.fractionalDayAt(position));
  }

  get total(): number {
    return this.cumulative[this.cumulative.length - 1]!;
  }
}

/** Builds the activity weight of one day: growth, months, weekdays and special days. */
export function activityWeight(day: number, firstDay: number, lastDay: number, specials: ReadonlyMap<number, number>): number {
  const date = new Date(day * DAY * 1000);
  const month = date.getUTCMonth();
  const weekday = date.getUTCDay();
  const progress = lastDay > firstDay ? (day - firstDay) / (lastDay - firstDay) : 1;
  const growth = 0.6 + 0.8 * progress;
  let w = growth * MONTH_FACTOR[month]! * WEEKDAY_FACTOR[weekday]!;
  const dom = date.getUTCDate();
  if (month === 11 && dom <= 18) w *= 1.3;
  if (month === 11 && dom >= 24 && dom <= 26) w *= 0.6;
  w *= specials.get(day) ?? 1;
  return w;
}

/** Day number → multiplier for Black Friday week, Record Store Day and Vinyl Record Day, over a span of years. */
export function specialDayMultipliers(firstYear: number, lastYear: number): Map<number, number> {
  const m = new Map<number, number>();
  const put = (sec: number, f: number): void => {
    const d = Math.floor(sec / DAY);
    m.set(d, (m.get(d) ?? 1) * f);
  };
  for (let y = firstYear; y <= lastYear; y++) {
    const s = specialDays(y);
    put(s.blackFriday, 3.2);
    put(s.blackFriday + DAY, 2.0);
    put(s.blackFriday + 2 * DAY, 1.8);
    put(s.cyberMonday, 2.6);
    put(s.recordStoreDay, 4.0);
    for (let k = 1; k <= 6; k++) put(s.recordStoreDay - k * DAY, 1.3);
    put(s.vinylRecordDay, 1.8);
  }
  return m;
}

/**
 * Samples an instant in [lo, hi] (epoch seconds) that follows the seasonal day weights and the
 * daily rhythm in the profile's local time (`utcOffsetHours`).
 */
export function sampleTime(rng: Rng, table: DayTable, lo: number, hi: number, utcOffsetHours: number): number {
  if (hi <= lo) return lo;
  if (hi - lo < 2 * DAY) return lo + rng.int(hi - lo + 1);
  const fromDay = Math.floor(lo / DAY);
  const toDay = Math.floor(hi / DAY);
  for (let attempt = 0; attempt < 4; attempt++) {
    const day = table.sampleDay(rng, fromDay, toDay);
    const hour = (sampleHour(rng) - utcOffsetHours + 24) % 24;
    const t = day * DAY + hour * HOUR + rng.int(HOUR);
    if (t >= lo && t <= hi) return t;
  }
  return lo + rng.int(hi - lo + 1);
}
