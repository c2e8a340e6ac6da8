/**
 * Size over time (server/src/engine/history.ts): each day's count is a fresh evaluation as of
 * that day, whatever the evaluator reused between days, and days are UTC days.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Evaluator } from '../../server/src/engine/evaluator';
import { evaluateHistory, historyInstants, parseHistorySpan } from '../../server/src/engine/history';
import { referenceTime } from '../../server/src/engine/time';
import { anyCondition, buildWorkspace, scenarioArb } from '../support/engineArbitraries';
import { referenceDefinition } from './referenceEvaluator';

const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

describe('history: size over time', function () {
  this.timeout(300_000);

  it('each day equals a fresh evaluation as of that day, and the reference evaluator (random workspaces, definitions, spans)', () => {
    fc.assert(fc.property(scenarioArb(anyCondition), fc.integer({ min: 1, max: 45 }), ({ now, data, definition }, days) => {
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
    }), { numRuns: 80, seed: SEED });
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
