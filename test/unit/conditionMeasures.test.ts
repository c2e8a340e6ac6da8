/**
 * Per-profile measures of a condition are kept per workspace: a metric condition's count or sum
 * of its events in the timeframe that pass its filters, a postal code's distances. An edit of the
 * threshold alone ("at least 2" → "at least 3", "within 25 miles" → "26", the most common edits)
 * compares the kept measures instead of measuring every profile again. These tests check the
 * answers stay those of a fresh evaluation and that only the threshold shares the measures.
 */
import assert from 'node:assert/strict';
import { Evaluator } from '../../server/src/engine/evaluator';
import { WorkspaceBuilder, type Workspace } from '../../server/src/engine/workspace';

const NOW = Date.parse('2026-11-01T12:00:00Z');
const DAY = 86_400_000;

/** p0 orders nothing; p1 once for 10; p2 twice (5 + 20.5); p3 three times (one 400 days ago). */
function shop(): Workspace {
  const builder = new WorkspaceBuilder('shop', NOW);
  builder.addMetric({ type: 'metric', id: 'ORDER', attributes: { name: 'Placed Order' } });
  const orders: [string, number, number][] = [
    ['p1', 3, 10],
    ['p2', 1, 5],
    ['p2', 20, 20.5],
    ['p3', 2, 1],
    ['p3', 4, 2],
    ['p3', 400, 100],
  ];
  for (let i = 0; i < 4; i++) builder.addProfile({ type: 'profile', id: `p${i}`, attributes: { email: `p${i}@example.com` } });
  orders.forEach(([profile, daysAgo, value], i) =>
    builder.addEvent({
      type: 'event',
      id: `e${i}`,
      attributes: { datetime: new Date(NOW - daysAgo * DAY).toISOString(), event_properties: { $value: value } },
      relationships: { profile: { data: { type: 'profile', id: profile } }, metric: { data: { type: 'metric', id: 'ORDER' } } },
    }),
  );
  return builder.build();
}

/** A metric condition; every order has a positive value, so the filter changes no answer but makes the measure read the rows. */
const metric = (measurement: 'count' | 'sum', operator: string, value: number, days = 30) => ({
  type: 'profile-metric',
  metric_id: 'ORDER',
  measurement,
  measurement_filter: { type: 'numeric', operator, value },
  timeframe_filter: { type: 'date', operator: 'in-the-last', quantity: days, unit: 'day' },
  metric_filters: [{ property: '$value', filter: { type: 'numeric', operator: 'greater-than', value: 0 } }],
});

function ids(workspace: Workspace, evaluator: Evaluator, condition: unknown, now?: number): string[] {
  const { outcome } = evaluator.evaluateCondition(condition, { now });
  assert.equal(outcome.kind, 'matched');
  return outcome.kind === 'matched' ? outcome.set.toArray().map((p) => workspace.profileIds.at(p)) : [];
}

describe('engine: metric measures kept per workspace', () => {
  it('a measurement-filter edit reuses the measures and answers as a fresh evaluation does', () => {
    const workspace = shop();
    const evaluator = new Evaluator(workspace);
    const expected: [string, string, number, string[]][] = [
      ['count', 'greater-than-or-equal', 1, ['p1', 'p2', 'p3']],
      ['count', 'greater-than-or-equal', 2, ['p2', 'p3']],
      ['count', 'equals', 0, ['p0']],
      ['count', 'less-than', 2, ['p0', 'p1']],
      ['sum', 'greater-than', 10, ['p2']],
      ['sum', 'greater-than-or-equal', 3, ['p1', 'p2', 'p3']],
      ['sum', 'equals', 25.5, ['p2']],
      ['sum', 'less-than', 3.5, ['p0', 'p3']],
    ];
    for (const [measurement, operator, value, want] of expected) {
      const condition = metric(measurement as 'count' | 'sum', operator, value);
      assert.deepEqual(ids(workspace, evaluator, condition), want, `${measurement} ${operator} ${value}`);
      assert.deepEqual(ids(workspace, new Evaluator(shop()), condition), want, `${measurement} ${operator} ${value}, fresh`);
    }
    // One set of measures for the counts and one for the sums over the same events and timeframe.
    assert.equal(workspace.measures.size, 2);
  });

  it('a count without filters keeps nothing (two binary searches a profile measure it)', () => {
    const workspace = shop();
    const alltime = { ...metric('count', 'greater-than-or-equal', 2), timeframe_filter: { type: 'date', operator: 'alltime' }, metric_filters: undefined };
    assert.deepEqual(ids(workspace, new Evaluator(workspace), alltime), ['p2', 'p3']);
    const lastMonth = { ...metric('count', 'greater-than-or-equal', 1), metric_filters: undefined };
    assert.deepEqual(ids(workspace, new Evaluator(workspace), lastMonth), ['p1', 'p2', 'p3']);
    assert.equal(workspace.measures.size, 0);
  });

  it('another timeframe or another instant measures again (and the answer follows it)', () => {
    const workspace = shop();
    const evaluator = new Evaluator(workspace);
    assert.deepEqual(ids(workspace, evaluator, metric('count', 'greater-than-or-equal', 3)), []);
    assert.deepEqual(ids(workspace, evaluator, metric('count', 'greater-than-or-equal', 3, 500)), ['p3']);
    assert.equal(workspace.measures.size, 2);
    // As of 10 days earlier only p2's order of 20 days ago had happened: that instant measures without keeping.
    assert.deepEqual(ids(workspace, evaluator, metric('count', 'greater-than-or-equal', 1), NOW - 10 * DAY), ['p2']);
    assert.equal(workspace.measures.size, 2);
  });
});

describe('engine: postal-code distances kept per workspace', () => {
  /** Cambridge MA (02139), Boston (02108, about 2 miles from 02141), New York (10001, about 190 miles), and someone without a position. */
  function people(): Workspace {
    const builder = new WorkspaceBuilder('people', NOW);
    const zips = ['02139', '02108', '10001', undefined];
    zips.forEach((zip, i) =>
      builder.addProfile({ type: 'profile', id: `p${i}`, attributes: { email: `p${i}@example.com`, location: zip ? { zip, country: 'United States' } : {} } }),
    );
    return builder.build();
  }
  const near = (operator: string, value: number, unit = 'miles', postal = '02141') => ({
    type: 'profile-postal-code-distance',
    country_code: 'USA',
    postal_code: postal,
    unit,
    filter: { type: 'numeric', operator, value },
  });

  it('an edit of the distance or the unit reuses the distances and answers as a fresh evaluation does', () => {
    const workspace = people();
    const evaluator = new Evaluator(workspace);
    const expected: [string, number, string, string[]][] = [
      ['less-than', 25, 'miles', ['p0', 'p1']],
      ['less-than', 300, 'miles', ['p0', 'p1', 'p2']],
      ['greater-than', 25, 'miles', ['p2']],
      ['greater-than', 25, 'kilometers', ['p2']],
      ['less-than', 0.001, 'kilometers', []],
    ];
    for (const [operator, value, unit, want] of expected) {
      assert.deepEqual(ids(workspace, evaluator, near(operator, value, unit)), want, `${operator} ${value} ${unit}`);
      assert.deepEqual(ids(workspace, new Evaluator(people()), near(operator, value, unit)), want, `${operator} ${value} ${unit}, fresh`);
    }
    assert.equal(workspace.measures.size, 1);
    // Another postal code measures from another place.
    assert.deepEqual(ids(workspace, evaluator, near('less-than', 25, 'miles', '10001')), ['p2']);
    assert.equal(workspace.measures.size, 2);
  });
});
