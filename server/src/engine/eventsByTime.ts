import type { InstantRange } from './time';
import type { MetricEvents } from './workspace';

/**
 * A metric's events in time order, beside their order by profile (`MetricEvents`): a condition
 * whose window holds a small part of the events reads only that slice, instead of searching every
 * profile's events for the window's ends. Ties keep row order, so each profile's events keep
 * theirs (sums add the same values in the same order either way).
 */
export interface EventsByTime {
  /** Rows of the metric's events, by time, then row. */
  readonly rows: Int32Array;
  /** The profile of each of those rows. */
  readonly profiles: Int32Array;
}

/** Built once per metric's events, on first use; 8 bytes an event. */
const built = new WeakMap<MetricEvents, EventsByTime>();

/** The events of a metric in time order (built on first use, then kept with the events). */
export function eventsByTime(events: MetricEvents, profileCount: number): EventsByTime {
  let order = built.get(events);
  if (!order) built.set(events, (order = sortByTime(events, profileCount)));
  return order;
}

/** Buckets larger than this are sorted by comparison (insertion sort is quadratic in a burst). */
const SMALL_BUCKET = 32;

/**
 * Rows ordered by (time, row): a counting sort into buckets of equal width over the metric's time
 * span (stable: rows enter in row order), then each bucket sorted by time.
 */
function sortByTime(events: MetricEvents, profileCount: number): EventsByTime {
  const { offsets, times, count } = events;
  const first = events.firstTime ?? 0;
  const span = (events.lastTime ?? first) - first;
  const buckets = Math.max(1, Math.min(count, 1 << 20));
  const scale = span > 0 ? buckets / span : 0;
  const bucketOf = (t: number) => Math.min(buckets - 1, Math.floor((t - first) * scale));
  const starts = new Int32Array(buckets + 1);
  for (let row = 0; row < count; row++) starts[bucketOf(times[row]) + 1]++;
  for (let b = 0; b < buckets; b++) starts[b + 1] += starts[b];
  const cursor = starts.slice(0, buckets);
  const rows = new Int32Array(count);
  for (let row = 0; row < count; row++) rows[cursor[bucketOf(times[row])]++] = row;
  const byTimeThenRow = (a: number, b: number) => times[a] - times[b] || a - b;
  for (let b = 0; b < buckets; b++) {
    const from = starts[b];
    const to = starts[b + 1];
    if (to - from > SMALL_BUCKET) {
      rows.subarray(from, to).sort(byTimeThenRow);
      continue;
    }
    for (let i = from + 1; i < to; i++) {
      const moving = rows[i];
      const t = times[moving];
      let j = i - 1;
      // Rows of a bucket are in row order: moving only past later times keeps ties in row order.
      while (j >= from && times[rows[j]] > t) {
        rows[j + 1] = rows[j];
        j--;
      }
      rows[j + 1] = moving;
    }
  }
  const profileOfRow = new Int32Array(count);
  for (let p = 0; p < profileCount; p++) profileOfRow.fill(p, offsets[p], offsets[p + 1]);
  const profiles = new Int32Array(count);
  for (let i = 0; i < count; i++) profiles[i] = profileOfRow[rows[i]];
  return { rows, profiles };
}

/** The positions [from, to) of `order` whose events lie in `range` (two binary searches). */
export function positionsIn(order: EventsByTime, times: Float64Array, range: InstantRange): { from: number; to: number } {
  const { rows } = order;
  const firstAfter = (t: number, strict: boolean) => {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const at = times[rows[mid]];
      if (strict ? at <= t : at < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const from = firstAfter(range.lo, !range.loInclusive);
  const to = Math.max(from, firstAfter(range.hi, range.hiInclusive));
  return { from, to };
}
