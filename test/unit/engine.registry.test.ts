/**
 * The condition-kind registry (server/src/engine/conditions/): every condition type of the schema
 * has exactly one kind, each kind's completion template inserts a valid condition, readings never
 * throw whatever a half-typed condition holds, and funnels explain why they matched.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getNodeValue, parseTree } from 'jsonc-parser';
import { CONDITION_KINDS, conditionKind } from '../../server/src/engine/conditions';
import { describeCondition, describeDefinition } from '../../server/src/engine/describe';
import { Evaluator } from '../../server/src/engine/evaluator';
import { explainCondition } from '../../server/src/engine/explain';
import { conditionNotes } from '../../server/src/engine/notes';
import { WorkspaceBuilder } from '../../server/src/engine/workspace';
import { SegmentLanguage } from '../../server/src/segment/languageService';
import schema from '../../schemas/segment-definition.schema.json';

type Json = any;

/** A snippet with every tab stop replaced by its default (the first choice, or the placeholder). */
function expandSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, (_, first: string) => first)
    .replace(/\$\{\d+:([^}]*)\}/g, (_, text: string) => text)
    .replace(/\$\{\d+\}|\$\d+/g, '')
    .replace(/\\([\\$}])/g, '$1');
}

/** Every `const` of a `type` property reachable from the schema's Condition definition. */
function schemaConditionTypes(): Set<string> {
  const defs = (schema as Json).$defs as Record<string, Json>;
  const types = new Set<string>();
  const seen = new Set<string>();
  const visit = (node: Json): void => {
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace('#/$defs/', '');
      if (!seen.has(name)) {
        seen.add(name);
        visit(defs[name]);
      }
      return;
    }
    const typeConst = node.properties?.type?.const;
    if (typeof typeConst === 'string' && typeConst.startsWith('profile-')) types.add(typeConst);
    for (const value of Object.values(node)) if (typeof value === 'object') visit(value);
  };
  visit(defs.Condition);
  return types;
}

/** A value as the language server sees it: parsed by jsonc-parser, so objects have no prototype. */
const asParsed = (value: unknown): Json => getNodeValue(parseTree(JSON.stringify(value)) as never);

describe('condition-kind registry', () => {
  it('has one kind per condition type of the schema, and no other', () => {
    assert.deepEqual(CONDITION_KINDS.map((k) => k.type).sort(), [...schemaConditionTypes()].sort());
    assert.equal(new Set(CONDITION_KINDS.map((k) => k.type)).size, CONDITION_KINDS.length);
  });

  const language = new SegmentLanguage();
  for (const kind of CONDITION_KINDS) {
    it(`${kind.type}: the completion template inserts a condition of that type that validates without errors`, () => {
      const condition = JSON.parse(expandSnippet(kind.template.body));
      assert.equal(condition.type, kind.type);
      const parsed = language.parse(JSON.stringify({ condition_groups: [{ conditions: [condition] }] }));
      const errors = language.validate(parsed).filter((p) => p.severity === 'error');
      assert.deepEqual(
        errors.map((e) => `${e.code}: ${e.message}`),
        [],
      );
      assert.ok(kind.describe(condition, {}).length > 0);
    });
  }

  it('finds a kind by type and nothing for other values', () => {
    assert.equal(conditionKind('profile-metric')?.type, 'profile-metric');
    assert.equal(conditionKind('profile-nothing'), undefined);
    assert.equal(conditionKind({}), undefined);
  });
});

describe('readings of half-typed conditions never throw', () => {
  // What an editor holds while someone types: `"operator": {}` after auto-closed braces,
  // `"group_ids": [{}]`, huge texts, deep nesting, all as jsonc-parser returns them.
  const hostile = fc.oneof(
    fc.constant({}),
    fc.constant([{}]),
    fc.constant(null),
    fc.constant([]),
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant('x'.repeat(100_000)),
    fc.constant(JSON.parse(`${'['.repeat(500)}${']'.repeat(500)}`)),
  );

  it('describe, notes, explain and evaluate answer for every kind, whatever sits in its keys', () => {
    const builder = new WorkspaceBuilder('one profile', Date.UTC(2026, 0, 1));
    builder.addMetric({ type: 'metric', id: 'METRIC_ID', attributes: { name: 'M' } });
    builder.addProfile({ type: 'profile', id: 'p1', attributes: { email: 'a@b.c', properties: { x: 1 } } });
    const workspace = builder.build();
    fc.assert(
      fc.property(fc.constantFrom(...CONDITION_KINDS), fc.array(hostile, { minLength: 1, maxLength: 8 }), (kind, values) => {
        const template = JSON.parse(expandSnippet(kind.template.body));
        // Replace leaves of the template, one by one, with the hostile values.
        let i = 0;
        const replace = (node: Json): Json => {
          if (Array.isArray(node)) return node.map(replace);
          if (node && typeof node === 'object')
            return Object.fromEntries(
              Object.entries(node).map(([k, v]) => [k, k === 'type' && typeof v === 'string' && v.startsWith('profile-') ? v : replace(v)]),
            );
          return values[i++ % values.length];
        };
        const condition = asParsed(replace(template));
        const text = describeCondition(condition);
        assert.equal(typeof text, 'string');
        assert.ok(text.length < 5_000, 'a reading stays short');
        assert.ok(Array.isArray(conditionNotes(condition)));
        assert.equal(typeof explainCondition(workspace, condition, 0).text, 'string');
        const { outcome } = new Evaluator(workspace).evaluateCondition(condition);
        assert.ok(outcome.kind === 'matched' || outcome.kind === 'not-evaluable');
        assert.equal(typeof describeDefinition(asParsed({ condition_groups: [{ conditions: [condition] }] })), 'string');
      }),
      { numRuns: 300 },
    );
  });

  it('reads "operator": {} and "group_ids": [{}] (the auto-closed braces of an editor)', () => {
    const property = asParsed({ type: 'profile-property', property: 'email', filter: { type: 'string', operator: {}, value: 'x' } });
    assert.equal(describeCondition(property), 'email {} "x"');
    const membership = asParsed({ type: 'profile-group-membership', is_member: true, group_ids: [{}] });
    assert.equal(describeCondition(membership), 'is in list {}');
    assert.deepEqual(conditionNotes(asParsed({ type: 'profile-metric', timeframe_filter: { operator: {} } })), []);
  });
});

describe('funnel: why it matched', () => {
  // 2026-03-10 12:00 UTC; events on 2026-03-0x.
  const now = Date.UTC(2026, 2, 10, 12);
  const builder = new WorkspaceBuilder('funnel', now);
  builder.addMetric({ type: 'metric', id: 'VIEW', attributes: { name: 'Viewed Product' } });
  builder.addMetric({ type: 'metric', id: 'CART', attributes: { name: 'Added to Cart' } });
  builder.addMetric({ type: 'metric', id: 'BUY', attributes: { name: 'Placed Order' } });
  const ids = ['in-order', 'no-cart', 'wrong-order', 'too-slow', 'bought-between'];
  for (const id of ids) builder.addProfile({ type: 'profile', id, attributes: {} });
  let n = 0;
  const event = (profile: string, metric: string, datetime: string) =>
    builder.addEvent({
      type: 'event',
      id: `e${n++}`,
      attributes: { datetime, event_properties: {} },
      relationships: { profile: { data: { type: 'profile', id: profile } }, metric: { data: { type: 'metric', id: metric } } },
    });
  event('in-order', 'VIEW', '2026-03-05T10:00:00Z');
  event('in-order', 'CART', '2026-03-05T10:30:00Z');
  event('no-cart', 'VIEW', '2026-03-05T10:00:00Z');
  event('wrong-order', 'CART', '2026-03-05T09:00:00Z');
  event('wrong-order', 'VIEW', '2026-03-05T10:00:00Z');
  event('too-slow', 'VIEW', '2026-03-01T10:00:00Z');
  event('too-slow', 'CART', '2026-03-05T10:00:00Z');
  event('bought-between', 'VIEW', '2026-03-05T10:00:00Z');
  event('bought-between', 'BUY', '2026-03-05T10:10:00Z');
  event('bought-between', 'CART', '2026-03-05T10:20:00Z');
  const workspace = builder.build();
  const names = { metricName: (id: string) => workspace.metric(id)?.info.name };
  const funnel = {
    type: 'profile-metric-funnel',
    completion_window_seconds: 'DAYS_1',
    timeframe_filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: 30 },
    steps: [
      { metric_exists: true, metric_id: 'VIEW' },
      { metric_exists: false, metric_id: 'BUY' },
      { metric_exists: true, metric_id: 'CART' },
    ],
  };
  const evidence = (id: string) => explainCondition(workspace, funnel, workspace.profileIndexOf(id) as number, names);

  it('names the events that complete the funnel, step by step', () => {
    const e = evidence('in-order');
    assert.equal(e.text, 'Viewed Product at 2026-03-05T10:00:00.000Z, then Added to Cart at 2026-03-05T10:30:00.000Z, within 1 day');
    assert.deepEqual(e.events, ['2026-03-05T10:00:00.000Z', '2026-03-05T10:30:00.000Z']);
  });

  it('says which step is missing, out of order, too slow or blocked by a forbidden event', () => {
    assert.match(evidence('no-cart').text, /no qualifying Added to Cart event in the timeframe \(step 3\)/);
    assert.match(evidence('wrong-order').text, /not in the funnel's order/);
    assert.match(evidence('too-slow').text, /in order, but not within 1 day/);
    assert.match(evidence('bought-between').text, /a Placed Order event came where the funnel forbids it/);
  });

  it('gives events exactly for the profiles the evaluator matches', () => {
    const { outcome } = new Evaluator(workspace).evaluateCondition(funnel);
    assert.equal(outcome.kind, 'matched');
    const matched = outcome.kind === 'matched' ? outcome.set.toArray().map((p) => workspace.profileIds.at(p)) : [];
    assert.deepEqual(matched, ['in-order']);
    for (const id of ids) assert.equal(Boolean(evidence(id).events?.length), matched.includes(id), id);
  });
});
