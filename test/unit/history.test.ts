/**
 * Size over time (server/src/engine/history.ts): each day's count is a fresh evaluation as of
 * that day, whatever the evaluator reused between days, and days are UTC days.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Evaluator } from '../../server/src/engine/evaluator';
import { evaluateHistory, historyInstants, parseHistorySpan } from '../../server/src/engine/history';
import { referenceTime } from '../../server/src/engine/time';
import { WorkspaceBuilder } from '../../server/src/engine/workspace';
import { anyCondition, buildWorkspace, consentCondition, funnelCondition, metricCondition, propertyCondition, scenarioArb } from '../support/engineArbitraries';
import { referenceDefinition } from './referenceEvaluator';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

describe('history: size over time', function () {
  this.timeout(300_000);

  it('each day equals a fresh evaluation as of that day, and the reference evaluator (random workspaces, definitions, spans)', () => {
    fc.assert(
      fc.property(scenarioArb(anyCondition), fc.integer({ min: 1, max: 45 }), ({ now, data, definition }, days) => {
        const workspace = buildWorkspace(data, now);
        const instants = historyInstants(workspace.ref, days);
        const { points } = evaluateHistory(new Evaluator(workspace), definition, instants);
        assert.equal(points.length, days);
        points.forEach((point, i) => {
          const fresh = new Evaluator(workspace).evaluateDefinition(definition, { now: instants[i] });
          const context = `day ${point.day} of ${JSON.stringify(definition)}`;
          assert.equal(point.matched, fresh.matched, context);
          assert.equal(point.total, fresh.total, context);
          const reference = referenceDefinition(data, definition, instants[i]);
          assert.equal(point.matched, reference.matched?.size ?? null, `reference, ${context}`);
        });
      }),
      { numRuns: 80, seed: SEED },
    );
  });

  // Kinds that evaluate a whole series in one sweep (metric and funnel conditions, consent without dated
  // filters) are checked on their own, many times: window edges, sums, filters, zero counts.
  for (const [name, condition] of [
    ['metric', metricCondition],
    ['funnel', funnelCondition],
    ['consent', consentCondition],
    ['property', propertyCondition],
  ] as const) {
    it(`${name} conditions: each day of the series equals a fresh evaluation as of that day`, () => {
      fc.assert(
        fc.property(scenarioArb(condition), fc.integer({ min: 1, max: 70 }), ({ now, data, definition }, days) => {
          const workspace = buildWorkspace(data, now);
          const instants = historyInstants(workspace.ref, days);
          const { points } = evaluateHistory(new Evaluator(workspace), definition, instants);
          points.forEach((point, i) => {
            const fresh = new Evaluator(workspace).evaluateDefinition(definition, { now: instants[i] });
            assert.deepEqual([point.matched, point.total], [fresh.matched, fresh.total], `day ${point.day} of ${JSON.stringify(definition)}`);
          });
        }),
        { numRuns: 250, seed: SEED },
      );
    });
  }

  it("a sum in a series is compared rounded to 6 decimal places, as each day's evaluation does (1.1 + 2.2 reaches 3.3)", () => {
    const now = Date.parse('2026-11-01T12:00:00Z');
    const builder = new WorkspaceBuilder('sums', now);
    builder.addMetric({ type: 'metric', id: 'M', attributes: { name: 'Placed Order' } });
    builder.addProfile({ type: 'profile', id: 'P1', attributes: {} });
    for (const [datetime, value] of [
      ['2026-10-20T10:00:00Z', 1.1],
      ['2026-10-25T10:00:00Z', 2.2],
    ] as const) {
      builder.addEvent({
        type: 'event',
        id: datetime,
        attributes: { datetime, event_properties: { $value: value } },
        relationships: { profile: { data: { type: 'profile', id: 'P1' } }, metric: { data: { type: 'metric', id: 'M' } } },
      });
    }
    const workspace = builder.build();
    const definition = {
      condition_groups: [
        {
          conditions: [
            {
              type: 'profile-metric',
              metric_id: 'M',
              measurement: 'sum',
              measurement_filter: { type: 'numeric', operator: 'equals', value: 3.3 },
              timeframe_filter: { type: 'date', operator: 'alltime' },
            },
          ],
        },
      ],
    };
    const { points } = evaluateHistory(new Evaluator(workspace), definition, historyInstants(workspace.ref, 20));
    // From 25 October both orders count: 1.1 + 2.2, which is 3.3000000000000003 in binary floating point.
    assert.deepEqual(
      points.map((p) => [p.day, p.matched]),
      points.map((p) => [p.day, p.day >= '2026-10-25' ? 1 : 0]),
    );
  });

  it('days are UTC days: each earlier day ends at 23:59:59.999Z, 24 hours apart, and the last point is now', () => {
    // Across the US and EU daylight-saving changes of 2026 (8 March, 29 March, 25 October, 1 November).
    for (const nowText of ['2026-03-30T10:00:00Z', '2026-11-02T00:30:00Z', '2024-03-01T12:00:00Z']) {
      const now = Date.parse(nowText);
      const instants = historyInstants(referenceTime(now), 60);
      assert.equal(instants.length, 60);
      assert.equal(instants[59], now);
      for (let i = 0; i < 59; i++) assert.match(new Date(instants[i]).toISOString(), /T23:59:59\.999Z$/);
      for (let i = 1; i < 59; i++) assert.equal(instants[i] - instants[i - 1], 86_400_000);
      assert.equal(new Date(instants[58]).toISOString().slice(0, 10), new Date(now - 86_400_000).toISOString().slice(0, 10), 'the day before today');
    }
  });

  it('reads spans: days, weeks, a plain number', () => {
    assert.equal(parseHistorySpan('90d'), 90);
    assert.equal(parseHistorySpan('12w'), 84);
    assert.equal(parseHistorySpan('30'), 30);
    for (const bad of ['0d', '-3d', '3m', 'abc', '401d', '']) assert.equal(parseHistorySpan(bad), undefined, bad);
  });
});
