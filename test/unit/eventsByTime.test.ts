/**
 * A metric's events in time order (engine/eventsByTime.ts): a count or sum whose window cuts the
 * events reads only the window's slice of them. The order must be (time, row) even for bursts of
 * events at nearly the same instant, and the counts and sums, floating-point rounding included,
 * must be those of adding each profile's events in its own order.
 */
import assert from 'node:assert/strict';
import { Evaluator } from '../../server/src/engine/evaluator';
import { eventsByTime, positionsIn } from '../../server/src/engine/eventsByTime';
import { WorkspaceBuilder, type Workspace } from '../../server/src/engine/workspace';

const NOW = Date.parse('2026-11-01T12:00:00Z');
const DAY = 86_400_000;

/** A small deterministic generator (no Math.random: a failure must replay). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * 300 profiles with 0–12 orders each over two years, a burst of 200 orders in one second, and
 * many orders at exactly the same instants; values whose sums depend on the order of addition.
 */
function shop(seed: number): Workspace {
  const next = random(seed);
  const builder = new WorkspaceBuilder('shop', NOW);
  builder.addMetric({ type: 'metric', id: 'ORDER', attributes: { name: 'Placed Order' } });
  const shared = [NOW - 30 * DAY, NOW - 90 * DAY, NOW - 90 * DAY + 1, NOW - 400 * DAY];
  const values = [0.1, 0.2, 0.3, 1e16, -1e16, 2.675, 19.99, 0];
  let id = 0;
  const order = (profile: number, time: number) =>
    builder.addEvent({
      type: 'event',
      id: `e${id++}`,
      attributes: { datetime: new Date(time).toISOString(), event_properties: { $value: values[Math.floor(next() * values.length)] } },
      relationships: { profile: { data: { type: 'profile', id: `p${profile}` } }, metric: { data: { type: 'metric', id: 'ORDER' } } },
    });
  for (let p = 0; p < 300; p++) builder.addProfile({ type: 'profile', id: `p${p}`, attributes: { email: `p${p}@example.com` } });
  for (let p = 0; p < 300; p++) {
    const orders = Math.floor(next() * 13);
    for (let k = 0; k < orders; k++) order(p, next() < 0.3 ? shared[Math.floor(next() * shared.length)] : NOW - Math.floor(next() * 730 * DAY));
  }
  for (let k = 0; k < 200; k++) order(Math.floor(next() * 300), NOW - 10 * DAY + Math.floor(next() * 1000));
  return builder.build();
}

describe('engine: events in time order', () => {
  it('orders a metric’s events by time, then row, bursts included', () => {
    for (const seed of [1, 2, 3]) {
      const workspace = shop(seed);
      const events = workspace.metric('ORDER')!.events;
      const order = eventsByTime(events, workspace.profileCount);
      const expected = Array.from({ length: events.count }, (_, row) => row).sort((a, b) => events.times[a] - events.times[b] || a - b);
      assert.deepEqual(Array.from(order.rows), expected);
      const profileOf = (row: number) =>
        Array.from({ length: workspace.profileCount }, (_, p) => p).findIndex((p) => events.offsets[p] <= row && row < events.offsets[p + 1]);
      assert.deepEqual(Array.from(order.profiles), expected.map(profileOf));
      for (const [lo, hi] of [
        [NOW - 90 * DAY, NOW],
        [NOW - 90 * DAY + 1, NOW - 30 * DAY],
        [-Infinity, NOW - 400 * DAY],
        [NOW + 1, Infinity],
      ])
        for (const loInclusive of [true, false])
          for (const hiInclusive of [true, false]) {
            const { from, to } = positionsIn(order, events.times, { lo, loInclusive, hi, hiInclusive });
            const inside = (t: number) => (loInclusive ? t >= lo : t > lo) && (hiInclusive ? t <= hi : t < hi);
            assert.deepEqual(
              Array.from(order.rows.subarray(from, to)),
              expected.filter((row) => inside(events.times[row])),
            );
          }
    }
  });

  it('counts and sums in a window as adding each profile’s events in its own order', () => {
    const timeframes = [
      { type: 'date', operator: 'in-the-last', quantity: 30, unit: 'day' },
      { type: 'date', operator: 'in-the-last', quantity: 90, unit: 'day' },
      { type: 'date', operator: 'between', start: 30, end: 90, unit: 'day' },
      { type: 'date', operator: 'before', date: new Date(NOW - 90 * DAY).toISOString() },
      { type: 'date', operator: 'after', date: new Date(NOW - 400 * DAY).toISOString() },
    ];
    for (const seed of [4, 5]) {
      const workspace = shop(seed);
      const events = workspace.metric('ORDER')!.events;
      const value = events.properties.get('$value')!;
      const evaluator = new Evaluator(workspace);
      for (const timeframe of timeframes) {
        for (const [measurement, operator, threshold] of [
          ['count', 'greater-than-or-equal', 2],
          ['count', 'equals', 0],
          ['sum', 'greater-than', 0.5],
          ['sum', 'equals', 0.6],
          ['sum', 'less-than', 1e16],
        ] as const) {
          for (const filtered of [false, true]) {
            const condition = {
              type: 'profile-metric',
              metric_id: 'ORDER',
              measurement,
              measurement_filter: { type: 'numeric', operator, value: threshold },
              timeframe_filter: timeframe,
              ...(filtered ? { metric_filters: [{ property: '$value', filter: { type: 'numeric', operator: 'not-equals', value: 0.3 } }] } : {}),
            };
            workspace.measures.clear();
            const { outcome } = evaluator.evaluateCondition(condition);
            assert.equal(outcome.kind, 'matched');
            // Expected: each profile's rows in their own order, the window as semantics.md writes it.
            const expected: string[] = [];
            const inWindow = windowTest(timeframe);
            for (let p = 0; p < workspace.profileCount; p++) {
              let total = 0;
              for (let row = events.offsets[p]; row < events.offsets[p + 1]; row++) {
                const v = value.get(row) as number;
                if (!inWindow(events.times[row]) || (filtered && v === 0.3)) continue;
                total += measurement === 'sum' ? v : 1;
              }
              if (measurement === 'sum') total = Math.round(total * 1e6) / 1e6;
              const passes =
                operator === 'equals'
                  ? total === threshold
                  : operator === 'less-than'
                    ? total < threshold
                    : operator === 'greater-than'
                      ? total > threshold
                      : total >= threshold;
              if (passes) expected.push(workspace.profileIds.at(p));
            }
            const got = outcome.kind === 'matched' ? outcome.set.toArray().map((p) => workspace.profileIds.at(p)) : [];
            assert.deepEqual(got, expected, `${JSON.stringify(timeframe)} ${measurement} ${operator} ${threshold}${filtered ? ' (filtered)' : ''}`);
          }
        }
      }
    }
  });
});

/** The windows of the timeframes above, written out from docs/semantics.md (D0: 00:00 UTC of now's day). */
function windowTest(timeframe: { operator: string; quantity?: number; start?: number; end?: number; date?: string }): (t: number) => boolean {
  const d0 = Math.floor(NOW / DAY) * DAY;
  switch (timeframe.operator) {
    case 'in-the-last':
      return (t) => t >= d0 - timeframe.quantity! * DAY && t <= NOW;
    case 'between':
      return (t) => t >= d0 - timeframe.end! * DAY && t < d0 - (timeframe.start! - 1) * DAY;
    case 'before':
      return (t) => t < Date.parse(timeframe.date!);
    case 'after':
      return (t) => t > Date.parse(timeframe.date!) && t <= NOW;
    default:
      throw new Error(`no window for ${timeframe.operator}`);
  }
}
