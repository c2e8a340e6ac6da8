/**
 * Hand-checked expectations for the evaluation engine (server/src/engine) on small fixtures.
 *
 * The cases themselves are data in test/support/conditionCases.ts (the SQL tests run them too).
 * Every expected list of profile IDs there was written by hand from the rules in
 * docs/semantics.md (its Segment Lens decisions marked SL included), with the reason beside it;
 * "semantics §N" is the Nth section of that page (§2 Time, §3 Property values, §4 Conditions).
 * Each case is checked against the reference evaluator first (a failure there is a bug in
 * ./referenceEvaluator.ts or in the expectation) and then against the engine.
 *
 * The block "engine: edge cases of the semantics" pins rules the engine once got wrong.
 */
import assert from 'node:assert/strict';
import { Evaluator } from '../../server/src/engine/evaluator';
import { WorkspaceBuilder, type Workspace } from '../../server/src/engine/workspace';
import {
  build,
  CONDITION_SUITES,
  CUSTOM_OBJECT,
  NOW,
  profile,
  prop,
  referenceData,
  str,
  type ConditionSuite,
  type Expected,
  type Fixture,
} from '../support/conditionCases';
import { referenceCondition, referenceDefinition } from './referenceEvaluator';

type Json = any;

function engineIds(workspace: Workspace, condition: Json): Expected {
  const { outcome } = new Evaluator(workspace).evaluateCondition(condition);
  return outcome.kind === 'matched'
    ? outcome.set
        .toArray()
        .map((i) => workspace.profileIds.at(i))
        .sort()
    : 'not-evaluable';
}

function referenceIds(f: Fixture, condition: Json, now: number): Expected {
  const outcome = referenceCondition(referenceData(f), condition, now);
  return outcome === 'not-evaluable' ? outcome : [...outcome].sort();
}

/** Checks one condition on a fixture: reference evaluator first, then the engine. */
function expectCondition(f: Fixture, condition: Json, expected: Expected, now = NOW): void {
  const want = expected === 'not-evaluable' ? expected : [...expected].sort();
  const text = JSON.stringify(condition);
  assert.deepEqual(referenceIds(f, condition, now), want, `reference evaluator on ${text}`);
  assert.deepEqual(engineIds(build(f, now), condition), want, `engine on ${text}`);
}

// =============================================================================================

describe('engine: definition structure', () => {
  const f: Fixture = {
    profiles: [
      profile('A', { first_name: 'Ann', last_name: 'X' }),
      profile('B', { first_name: 'Bob', last_name: 'Y' }),
      profile('C', { first_name: 'Cid', last_name: 'X' }),
    ],
  };
  const firstName = (name: string) => prop('first_name', str('equals', name));
  const lastName = (name: string) => prop('last_name', str('equals', name));

  it('empty condition_groups matches everyone (a vacuous AND)', () => {
    const result = new Evaluator(build(f)).evaluateDefinition({ condition_groups: [] });
    assert.equal(result.matched, 3);
    assert.deepEqual(result.set?.toArray(), [0, 1, 2]);
    assert.deepEqual(result.groups, []);
    assert.deepEqual(referenceDefinition(referenceData(f), { condition_groups: [] }, NOW).matched, new Set(['A', 'B', 'C']));
  });

  it('a group with empty conditions matches no one (a vacuous OR)', () => {
    const result = new Evaluator(build(f)).evaluateDefinition({ condition_groups: [{ conditions: [] }] });
    assert.equal(result.matched, 0);
    assert.equal(result.groups[0].matched, 0);
    assert.equal(result.groups[0].afterAnd, 0);
    assert.deepEqual(referenceDefinition(referenceData(f), { condition_groups: [{ conditions: [] }] }, NOW).matched, new Set());
  });

  it('groups are ANDed, conditions within a group ORed, with per-group and after-AND counts', () => {
    // Group 1: Ann or Bob = {A, B}; group 2: last name X = {A, C}; both: {A}.
    const definition = { condition_groups: [{ conditions: [firstName('Ann'), firstName('Bob')] }, { conditions: [lastName('X')] }] };
    const result = new Evaluator(build(f)).evaluateDefinition(definition);
    assert.equal(result.total, 3);
    assert.deepEqual(
      result.groups.map((g) => [g.matched, g.afterAnd]),
      [
        [2, 2],
        [2, 1],
      ],
    );
    assert.deepEqual(
      result.groups[0].conditions.map((c) => c.matched),
      [1, 1],
    );
    assert.equal(result.matched, 1);
    assert.deepEqual(result.set?.toArray(), [0]);
    assert.deepEqual(result.notEvaluable, []);
    const reference = referenceDefinition(referenceData(f), definition, NOW);
    assert.deepEqual(reference.matched, new Set(['A']));
    assert.deepEqual(
      reference.groups.map((g) => [g.matched?.size, g.afterAnd?.size]),
      [
        [2, 2],
        [2, 1],
      ],
    );
  });

  it('a not-evaluable condition makes its group, every later after-AND count and the definition null', () => {
    // Group 2 holds a custom-object condition (not evaluable) ORed with "last name X" (2 profiles).
    const definition = {
      condition_groups: [{ conditions: [firstName('Ann')] }, { conditions: [CUSTOM_OBJECT, lastName('X')] }, { conditions: [firstName('Bob')] }],
    };
    const result = new Evaluator(build(f)).evaluateDefinition(definition);
    assert.deepEqual(
      result.groups.map((g) => [g.matched, g.afterAnd]),
      [
        [1, 1],
        [null, null],
        [1, null],
      ],
    );
    assert.equal(result.groups[1].conditions[0].matched, null);
    assert.equal(typeof result.groups[1].conditions[0].notEvaluable, 'string');
    assert.equal(result.groups[1].conditions[1].matched, 2, 'the evaluable condition of the group still has its own count');
    assert.equal(result.matched, null);
    assert.equal(result.set, undefined);
    assert.equal(result.notEvaluable.length, 1);
    const reference = referenceDefinition(referenceData(f), definition, NOW);
    assert.equal(reference.matched, null);
    assert.deepEqual(
      reference.groups.map((g) => [g.matched?.size ?? null, g.afterAnd?.size ?? null]),
      [
        [1, 1],
        [null, null],
        [1, null],
      ],
    );
  });

  it('caches conditions: the same condition twice is cached, a changed one is not', () => {
    const evaluator = new Evaluator(build(f));
    const condition = firstName('Ann');
    assert.equal(evaluator.evaluateCondition(condition).cached, false);
    const again = evaluator.evaluateCondition({ ...condition });
    assert.equal(again.cached, true);
    assert.equal(again.outcome.kind === 'matched' && again.outcome.count, 1);
    // The same condition with its keys in another order is the same condition.
    assert.equal(
      evaluator.evaluateCondition({ filter: { value: 'Ann', operator: 'equals', type: 'string' }, property: 'first_name', type: 'profile-property' }).cached,
      true,
    );
    const changed = evaluator.evaluateCondition(firstName('Bob'));
    assert.equal(changed.cached, false);
    assert.equal(changed.outcome.kind === 'matched' && changed.outcome.count, 1);
  });

  it('after an edit, the other conditions of the definition come from the cache', () => {
    const evaluator = new Evaluator(build(f));
    const original = { condition_groups: [{ conditions: [firstName('Ann'), firstName('Bob')] }, { conditions: [lastName('X')] }] };
    assert.equal(evaluator.evaluateDefinition(original).cachedConditions, 0);
    assert.equal(evaluator.evaluateDefinition(original).cachedConditions, 3);
    const edited = { condition_groups: [{ conditions: [firstName('Ann'), firstName('Cid')] }, { conditions: [lastName('X')] }] };
    const result = evaluator.evaluateDefinition(edited);
    assert.equal(result.cachedConditions, 2, 'only the edited condition is evaluated again');
    // {A, C} AND {A, C} = {A, C}: the cached parts combine correctly with the new one.
    assert.equal(result.matched, 2);
    assert.equal(new Evaluator(build(f)).evaluateDefinition(edited).matched, 2);
  });
});

// =============================================================================================

/** Registers the hand-checked cases of test/support/conditionCases.ts as mocha suites. */
function register(suite: ConditionSuite): void {
  describe(suite.title, () => {
    for (const c of suite.cases) it(c.title, () => c.checks().forEach((check) => expectCondition(check.fixture, check.condition, check.expected, check.now)));
    suite.suites.forEach(register);
  });
}

CONDITION_SUITES.forEach(register);

describe('postal-code centroids without coordinates', () => {
  it('a Canadian area the geodata has no coordinates for places no one (not at 0,0)', () => {
    const builder = new WorkspaceBuilder('t', Date.parse('2026-11-01T12:00:00Z'));
    builder.addProfile({ type: 'profile', id: 'P1', attributes: { location: { zip: 'V0N 1A0', country: 'Canada' } } });
    const evaluator = new Evaluator(builder.build());
    for (const operator of ['greater-than', 'less-than']) {
      const { outcome } = evaluator.evaluateCondition({
        type: 'profile-postal-code-distance',
        country_code: 'USA',
        postal_code: '02141',
        unit: 'miles',
        filter: { type: 'numeric', operator, value: 10 },
      });
      assert.equal(outcome.kind === 'matched' ? outcome.count : -1, 0, operator);
    }
  });
});

describe('date filters on a property with more distinct instants than are indexed', () => {
  // Past 65,536 distinct instants a column's dates are tested row by row (no index of distinct
  // dates): the window's bounds are then compared in place. Same answers as the reference.
  it('matches what the reference evaluator matches, bounds included or not', function () {
    this.timeout(60000);
    const HOUR = 3_600_000;
    const profiles: Fixture['profiles'] = [];
    for (let i = 0; i < 70_000; i++) {
      // One instant an hour, back from 4 years before NOW and forward past it, with a few values that are no date and rows without one.
      const at = NOW - 4 * 365 * 24 * HOUR + i * HOUR;
      const value = i % 97 === 0 ? 'soon' : i % 89 === 0 ? undefined : new Date(at).toISOString();
      profiles.push(profile(`P${i}`, value === undefined ? {} : { properties: { Renewal: value } }));
    }
    const fixture: Fixture = { profiles };
    const workspace = build(fixture);
    const data = referenceData(fixture);
    const midnight = new Date(NOW - 400 * 24 * HOUR).toISOString().slice(0, 10);
    const filters = [
      { type: 'date', operator: 'in-the-last', unit: 'day', quantity: 30 },
      { type: 'date', operator: 'at-least', unit: 'week', quantity: 10 },
      { type: 'date', operator: 'in-the-next', unit: 'day', quantity: 14 },
      { type: 'date', operator: 'between', unit: 'day', start: 3, end: 40 },
      { type: 'date', operator: 'before', date: midnight },
      { type: 'date', operator: 'after', date: midnight },
      { type: 'date', operator: 'between-static', start: `${midnight}T05:00:00Z`, end: `${midnight}T09:00:00Z` },
    ];
    for (const filter of filters) {
      const condition = { type: 'profile-property', property: "properties['Renewal']", filter };
      const expected = referenceCondition(data, condition, NOW);
      assert.notEqual(expected, 'not-evaluable', JSON.stringify(filter));
      const want = [...(expected as Set<string>)].sort();
      assert.deepEqual(engineIds(workspace, condition), want, JSON.stringify(filter));
      assert.ok(want.length > 0 && want.length < profiles.length, `${JSON.stringify(filter)}: ${want.length} of ${profiles.length}`);
    }
  });
});
