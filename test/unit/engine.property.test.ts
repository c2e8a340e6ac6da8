/**
 * Property tests: the engine (server/src/engine) against the independent reference evaluator in
 * ./referenceEvaluator.ts, on random small workspaces and random VALID segment definitions.
 *
 * Each case builds a workspace of 1–25 profiles (random subsets of attributes, location, custom
 * properties of mixed types — missing, null, numeric strings, lists, dates, 29 February —,
 * subscriptions and predictive values), 0–60 events over 3 metrics at times around `now`
 * (with many on the exact day/hour boundaries of the date filters) and 2 lists with random members
 * and join dates; then a definition of 1–3 groups × 1–3 conditions. Every condition's matched
 * profile IDs, every group's and the definition's, must be the same in both (or both say "not
 * evaluable"). `now` is drawn from instants that include year ends, midnights and 29 February.
 *
 * `$value`s are integers or 2-decimal numbers and both evaluators add them in time order (then
 * input order) and compare sums rounded to 6 decimal places (docs/semantics.md, SL); that a sum
 * of decimals equals its decimal value is also a hand-checked case in engine.conditions.test.ts.
 *
 * Runs: FC_RUNS_SCALE (default 1) multiplies the run counts; FC_SEED fixes the seed.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Evaluator } from '../../server/src/engine/evaluator';
import { SegmentLanguage } from '../../server/src/segment/languageService';
import {
  LIST_IDS,
  METRIC_IDS,
  NOWS,
  anyCondition,
  buildWorkspace,
  consentCondition,
  dateValue,
  definitionArb,
  eventArb,
  funnelCondition,
  membershipCondition,
  metricCondition,
  notEvaluableCondition,
  postalCondition,
  predictiveCondition,
  profileArb,
  propertyCondition,
  regionCondition,
  scenarioArb,
  type Scenario,
} from '../support/engineArbitraries';
import { referenceDefinition, type ReferenceData, type ReferenceOutcome } from './referenceEvaluator';

type Json = any;

const SCALE = Number(process.env.FC_RUNS_SCALE ?? '1');
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

const describeOutcome = (o: ReferenceOutcome | string[] | null): string =>
  o === null || o === 'not-evaluable' ? 'not evaluable' : JSON.stringify([...o].sort());

/** Engine and reference must agree on every condition, group, running AND and the result. */
function agree(scenario: Scenario): void {
  const { now, data, definition } = scenario;
  const workspace = buildWorkspace(data, now);
  const idsOf = (set: { toArray(): number[] } | undefined): string[] | null => (set ? set.toArray().map((i) => workspace.profileIds.at(i)) : null);
  const engine = new Evaluator(workspace).evaluateDefinition(definition);
  const reference = referenceDefinition(data, definition, now);
  const context = `now=${new Date(now).toISOString()}`;
  assert.equal(engine.total, reference.total, `${context}: profile count`);
  definition.condition_groups.forEach((group: Json, g: number) => {
    group.conditions.forEach((condition: Json, c: number) => {
      const e = engine.groups[g].conditions[c];
      const r = reference.groups[g].conditions[c];
      const engineIds = e.matched === null ? null : idsOf(e.set);
      const engineText = describeOutcome(engineIds);
      const referenceText = describeOutcome(r);
      if (engineText !== referenceText) {
        assert.fail(
          `${context}: condition ${JSON.stringify(condition)}\n  engine:    ${engineText}${e.notEvaluable ? ` (${e.notEvaluable})` : ''}\n  reference: ${referenceText}`,
        );
      }
    });
    assert.equal(describeOutcome(idsOf(engine.groups[g].set)), describeOutcome(reference.groups[g].matched), `${context}: group ${g}`);
    assert.equal(engine.groups[g].matched, reference.groups[g].matched?.size ?? null, `${context}: group ${g} count`);
    assert.equal(engine.groups[g].afterAnd, reference.groups[g].afterAnd?.size ?? null, `${context}: after-AND count of group ${g}`);
  });
  assert.equal(describeOutcome(idsOf(engine.set)), describeOutcome(reference.matched), `${context}: definition`);
  assert.equal(engine.matched, reference.matched?.size ?? null, `${context}: definition count`);
}

function check(name: string, condition: (now: number) => fc.Arbitrary<Json>, numRuns: number): void {
  it(`${name} (${runs(numRuns)} random workspaces × definitions)`, () => {
    fc.assert(fc.property(scenarioArb(condition), agree), { numRuns: runs(numRuns), seed: SEED, endOnFailure: false });
  });
}

/**
 * One large workspace (over 1024 distinct values per column, so the engine's columns leave
 * dictionary mode; a profile count that is not a multiple of 32, so bitsets span many words) and
 * many random definitions on it. Deterministic for a given seed.
 */
function largeWorkspaceCheck(seed: number, profileCount: number, definitions: number): void {
  const now = NOWS[seed % NOWS.length];
  const attributes = fc.sample(profileArb(now), { numRuns: profileCount, seed });
  const profiles = attributes.map((a, i) => ({
    type: 'profile',
    id: `P${i}`,
    // Distinct values in most rows: the engine switches these columns to plain arrays.
    attributes: {
      ...a,
      external_id: i % 7 === 0 ? null : `ext-${i}`,
      properties: { ...(a.properties ?? {}), Serial: i % 5 === 0 ? undefined : i * 3, Tags: i % 3 === 0 ? [`t${i}`, 'vip'] : a.properties?.Tags },
    },
  }));
  const events = fc.sample(eventArb(now, profileCount), { numRuns: profileCount * 2, seed: seed + 1 }).map((e, i) => ({
    ...e,
    attributes: {
      ...e.attributes,
      event_properties: { ...(e.attributes.event_properties ?? {}), Serial: i, Category: i % 4 === 0 ? `c${i}` : e.attributes.event_properties?.Category },
    },
  }));
  const members = fc.sample(fc.tuple(fc.integer({ min: 0, max: profileCount - 1 }), dateValue(now)), { numRuns: Math.floor(profileCount / 2), seed: seed + 2 });
  const byProfile = new Map(members);
  const data: ReferenceData = {
    profiles,
    metrics: METRIC_IDS.map((id) => ({ type: 'metric', id, attributes: { name: id } })),
    lists: LIST_IDS.map((id) => ({ type: 'list', id, attributes: { name: id } })),
    listMembers: { L1: [...byProfile].map(([p, joined]) => ({ type: 'profile', id: `P${p}`, attributes: { joined_group_at: joined } })), L2: [] },
    events,
  };
  const extra: Json[] = [
    {
      condition_groups: [
        { conditions: [{ type: 'profile-property', property: 'external_id', filter: { type: 'string', operator: 'ends-with', value: '7' } }] },
      ],
    },
    {
      condition_groups: [
        { conditions: [{ type: 'profile-property', property: "properties['Serial']", filter: { type: 'numeric', operator: 'greater-than', value: 1000 } }] },
      ],
    },
    {
      condition_groups: [{ conditions: [{ type: 'profile-property', property: "properties['Serial']", filter: { type: 'existence', operator: 'not-set' } }] }],
    },
    {
      condition_groups: [
        { conditions: [{ type: 'profile-property', property: "properties['Tags']", filter: { type: 'list', operator: 'contains', value: 'vip' } }] },
      ],
    },
    {
      condition_groups: [
        { conditions: [{ type: 'profile-group-membership', is_member: false, group_ids: ['L1'] }] },
        { conditions: [{ type: 'profile-group-membership', is_member: false, group_ids: ['L2'] }] },
      ],
    },
    {
      condition_groups: [
        {
          conditions: [
            {
              type: 'profile-metric',
              metric_id: 'M1',
              measurement: 'count',
              measurement_filter: { type: 'numeric', operator: 'equals', value: 0 },
              timeframe_filter: { type: 'date', operator: 'alltime' },
              metric_filters: [{ property: 'Serial', filter: { type: 'numeric', operator: 'greater-than', value: 500 } }],
            },
          ],
        },
      ],
    },
    {
      condition_groups: [
        {
          conditions: [
            {
              type: 'profile-metric',
              metric_id: 'M2',
              measurement: 'count',
              measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
              timeframe_filter: { type: 'date', operator: 'alltime' },
              metric_filters: [{ property: 'Category', filter: { type: 'string', operator: 'starts-with', value: 'c1' } }],
            },
          ],
        },
      ],
    },
    { condition_groups: [] },
  ];
  for (const definition of [...extra, ...fc.sample(definitionArb(anyCondition(now)), { numRuns: definitions, seed: seed + 3 })]) {
    agree({ now, data, definition });
  }
}

describe('engine agrees with the reference evaluator (property tests)', function () {
  this.timeout(300_000);

  check('profile-property: every filter family and operator, missing/null/mixed types, dates', propertyCondition, 900);
  check('profile-metric: count/sum, every timeframe, metric filters', metricCondition, 700);
  check('profile-metric-funnel: order, windows, negative steps, repeated metrics', funnelCondition, 600);
  check('profile-group-membership and profile-marketing-consent', (now) => fc.oneof(membershipCondition(now), consentCondition(now)), 600);
  check(
    'postal distance, region, predictive analytics, not-evaluable conditions',
    (now) => fc.oneof(postalCondition(), regionCondition, predictiveCondition(now), notEvaluableCondition),
    500,
  );
  check('mixed definitions of every condition type', anyCondition, 900);

  it('the generated definitions are valid (no schema or rule error from the validator)', () => {
    const lang = new SegmentLanguage();
    const arb = fc.constantFrom(...NOWS).chain((now) => definitionArb(anyCondition(now)));
    for (const definition of fc.sample(arb, { numRuns: runs(300), seed: SEED })) {
      const text = JSON.stringify(definition, null, 1);
      const errors = lang.validate(lang.parse(text)).filter((p) => p.severity === 'error');
      assert.deepEqual(
        errors.map((p) => `${p.code}: ${p.message} at ${JSON.stringify(text.slice(p.offset, p.offset + p.length))}`),
        [],
        text,
      );
    }
  });

  it('large workspaces: columns past 1024 distinct values, multi-word bitsets (2 workspaces of 1000+ profiles × 70 definitions)', () => {
    const seed = SEED ?? Math.floor(Math.random() * 1e9);
    for (const [offset, n] of [
      [0, 1337],
      [1, 1061],
    ] as const) {
      try {
        largeWorkspaceCheck(seed + offset * 10, n, runs(60));
      } catch (error) {
        throw new Error(`large workspace check failed (FC_SEED=${seed}, ${n} profiles): ${(error as Error).message}`, { cause: error });
      }
    }
  });
});
