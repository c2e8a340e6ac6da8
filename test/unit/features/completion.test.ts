/**
 * Completion (server/src/features/completion.ts), in process. Each case is a segment file with a
 * `|` cursor (markers: ./fixture.ts). Accepted items are applied the way an editor applies them
 * (snippet tab stops expanded to their defaults) and the result is validated in the tiny shop.
 */
import assert from 'node:assert/strict';
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Range } from 'vscode-languageserver';
import { completion } from '../../../server/src/features/completion';
import { applyCompletion, editOf, editorFilter, item, positionAt, sorted } from '../../support/lspText';
import { assertValid, definition, fixture, segmentLanguage, type SegmentFixture } from './fixture';
import { LISTS, memberCount, metricFacts, METRICS, PROFILES, profilesInCity, SHOP_NOW, tinyShop } from './tinyShop';

const CONDITION_TYPES = [
  'profile-metric',
  'profile-property',
  'profile-group-membership',
  'profile-marketing-consent',
  'profile-metric-funnel',
  'profile-postal-code-distance',
  'profile-region',
  'profile-predictive-analytics',
  'profile-has-custom-object',
  'profile-permissions',
];

const GTE_1 = '{ "type": "numeric", "operator": "greater-than-or-equal", "value": 1 }';
const metricWith = (measurementFilter: string, timeframe: string) =>
  definition(`{ "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count",
          "measurement_filter": ${measurementFilter},
          "timeframe_filter": ${timeframe} }`);

interface Completed {
  f: SegmentFixture;
  text: string;
  offset: number;
  items: CompletionItem[];
}

/** Completion at the `|`, in the tiny shop (or, with `workspace: false`, outside any data workspace). */
function complete(source: string, options: { workspace?: boolean } = {}): Completed {
  const f = fixture(source);
  const { items } = completion(f.document, f.parsed, f.offset, {
    schema: segmentLanguage().schema,
    workspace: options.workspace === false ? undefined : tinyShop().summary,
  });
  return { f, text: f.text, offset: f.offset, items };
}

const labels = (items: readonly CompletionItem[]) => items.map((i) => i.label);
const atCursor = (c: Completed): Range => ({ start: positionAt(c.text, c.offset), end: positionAt(c.text, c.offset) });
const conditionsOf = (text: string) => (JSON.parse(text) as { condition_groups: { conditions: Record<string, unknown>[] }[] }).condition_groups[0].conditions;
const fmt = (n: number) => n.toLocaleString('en-US');

/** Offset right after the text `item` inserted (where the editor leaves the cursor when no tab stop is left). */
function endOfInsertion(c: Completed, inserted: CompletionItem, after: string): number {
  const edit = editOf(inserted);
  const start = c.f.document.offsetAt(edit.range.start);
  const replaced = c.f.document.offsetAt(edit.range.end) - start;
  return start + (after.length - (c.text.length - replaced));
}

describe('completion: keys', () => {
  it('of an empty profile-metric condition: only its keys, the required ones first', () => {
    const c = complete(definition('{ "type": "profile-metric", | }'));
    const shown = sorted(c.items);
    assert.deepEqual(new Set(labels(shown.slice(0, 4))), new Set(['metric_id', 'measurement', 'measurement_filter', 'timeframe_filter']));
    assert.deepEqual(labels(shown.slice(4)), ['metric_filters']);
    for (const i of shown.slice(0, 4)) assert.equal(i.detail, 'required', i.label);
    assert.equal(item(c.items, 'metric_filters').detail, 'optional');
    assert.deepEqual(editOf(item(c.items, 'metric_id')), { range: atCursor(c), newText: '"metric_id": "$1"' });
    const result = applyCompletion(c.text, item(c.items, 'measurement'));
    assert.match(result, /\{ "type": "profile-metric", "measurement": "count" \}/);
    // A single key of an otherwise empty condition: only the keys still missing may be reported.
    assertValid(result, ['missing-property']);
  });

  it('of a profile-region condition, accepted one after the other, give a valid condition', () => {
    let c = complete(definition('{ "type": "profile-region", | }'));
    assert.deepEqual(labels(sorted(c.items)), ['in_region', 'region']);
    const first = sorted(c.items)[0];
    const once = applyCompletion(c.text, first);
    const end = endOfInsertion(c, first, once);
    c = complete(`${once.slice(0, end)}, |${once.slice(end)}`);
    assert.deepEqual(labels(c.items), ['region'], 'in_region is no longer offered');
    const result = applyCompletion(c.text, c.items[0]);
    assert.match(result, /\{ "type": "profile-region", "in_region": true, "region": "european_union" \}/);
    assert.deepEqual(assertValid(result), []);
  });

  it('of an empty profile-group-membership condition: is_member (required) and group_ids, no keys of other types', () => {
    const c = complete(definition('{ "type": "profile-group-membership", | }'));
    assert.ok(
      c.items.some((i) => i.label === 'group_ids'),
      `group_ids offered; got ${JSON.stringify(labels(c.items))}`,
    );
    assert.equal(item(c.items, 'is_member').detail, 'required');
    assert.ok(!c.items.some((i) => ['metric_id', 'region', 'property'].includes(i.label)), 'no keys of other condition types');
    assertValid(applyCompletion(c.text, item(c.items, 'is_member')), ['missing-property']);
  });

  it('of an empty profile-predictive-analytics condition: dimension and filter', () => {
    const c = complete(definition('{ "type": "profile-predictive-analytics", | }'));
    item(c.items, 'dimension');
    item(c.items, 'filter');
  });

  it('of a condition that is still empty: "type" first, required', () => {
    const c = complete(definition('{ | }'));
    const top = sorted(c.items)[0];
    assert.equal(top.label, 'type');
    assert.equal(top.detail, 'required');
    assertValid(applyCompletion(c.text, top), ['missing-property']);
  });

  it('of a date filter after "type": "date" (metric timeframe): operator first, only date operands', () => {
    const c = complete(metricWith(GTE_1, '{ "type": "date", | }'));
    assert.equal(sorted(c.items)[0].label, 'operator');
    assert.equal(item(c.items, 'operator').detail, 'required');
    const allowed = new Set(['operator', 'date', 'start', 'end', 'unit', 'quantity']);
    assert.deepEqual(
      labels(c.items).filter((l) => !allowed.has(l)),
      [],
      'only keys of date filters valid in a metric timeframe',
    );
    assertValid(applyCompletion(c.text, item(c.items, 'operator')), ['missing-property']);
  });

  it('of a date filter with its operator: exactly what that operator needs', () => {
    const c = complete(
      definition('{ "type": "profile-property", "property": "created", "filter": { "type": "date", "operator": "in-the-last", "quantity": 30, | } }'),
    );
    assert.deepEqual(labels(c.items), ['unit']);
    assert.deepEqual(editOf(c.items[0]), { range: atCursor(c), newText: '"unit": "${1|hour,day,week|}"' });
    assert.deepEqual(assertValid(applyCompletion(c.text, c.items[0])), []);
  });

  it('of an empty consent object: channel (required) and can_receive_marketing', () => {
    const c = complete(definition('{ "type": "profile-marketing-consent", "consent": { | } }'));
    item(c.items, 'can_receive_marketing');
    assert.equal(item(c.items, 'channel').detail, 'required');
  });

  it('of a consent object with channel and can_receive_marketing: consent_status', () => {
    const c = complete(definition('{ "type": "profile-marketing-consent", "consent": { "channel": "email", "can_receive_marketing": true, | } }'));
    assert.deepEqual(labels(c.items), ['consent_status']);
    assert.equal(c.items[0].detail, 'required');
    assert.deepEqual(editOf(c.items[0]), { range: atCursor(c), newText: '"consent_status": {$1}' });
    assertValid(applyCompletion(c.text, c.items[0]), ['missing-property']);
  });

  it('of an empty consent_status: subscription', () => {
    const c = complete(
      definition('{ "type": "profile-marketing-consent", "consent": { "channel": "email", "can_receive_marketing": true, "consent_status": { | } } }'),
    );
    item(c.items, 'subscription');
  });
});

describe('completion: condition types and condition snippets', () => {
  it('type values in an empty condition: every condition type, each inserting the rest of a skeleton', () => {
    const c = complete(definition('{ "type": | }'));
    assert.deepEqual(new Set(labels(c.items)), new Set(CONDITION_TYPES.map((t) => JSON.stringify(t))));
    for (const i of c.items) {
      const edit = editOf(i);
      assert.deepEqual(edit.range, atCursor(c), i.label);
      assert.ok(edit.newText.startsWith(`${i.label}, "`), `${i.label} inserts the rest of the condition: ${edit.newText}`);
      assert.equal(i.insertTextFormat, InsertTextFormat.Snippet);
    }
  });

  for (const type of CONDITION_TYPES) {
    it(`type value ${type} in an empty condition inserts a valid condition`, () => {
      const c = complete(definition('{ "type": | }'));
      const result = applyCompletion(c.text, item(c.items, JSON.stringify(type)));
      const [condition] = conditionsOf(result);
      assert.equal(condition.type, type);
      assert.ok(Object.keys(condition).length > 1, 'more than the type');
      assertValid(result);
    });
  }

  it('a type value typed inside the quotes replaces the whole string', () => {
    const c = complete(`{
  "condition_groups": [ { "conditions": [
    { "type": "profile-re|" }
    //        ^^^^^^^^^^^^^ typed
  ] } ]
}`);
    const region = item(editorFilter(c.items, c.text, c.offset), '"profile-region"');
    assert.deepEqual(editOf(region).range, c.f.range('typed'));
    const result = applyCompletion(c.text, region);
    assert.match(result, /\{ "type": "profile-region", "in_region": true, "region": "european_union" \}/);
    assert.deepEqual(assertValid(result), []);
  });

  it('inside "conditions": [ | ]: one snippet per condition type, inserted at the cursor', () => {
    const c = complete(definition('|'));
    assert.deepEqual(new Set(c.items.map((i) => i.detail)), new Set(CONDITION_TYPES));
    for (const i of c.items) {
      assert.equal(i.kind, CompletionItemKind.Snippet);
      assert.deepEqual(editOf(i).range, atCursor(c));
      assert.ok(editOf(i).newText.startsWith('{ "type": '), i.label);
    }
  });

  for (const type of CONDITION_TYPES) {
    it(`condition snippet ${type} inserts a valid condition`, () => {
      const c = complete(definition('|'));
      const snippet = c.items.find((i) => i.detail === type);
      assert.ok(snippet, `a snippet for ${type}`);
      const result = applyCompletion(c.text, snippet);
      assert.equal(conditionsOf(result)[0].type, type);
      assertValid(result);
    });
  }

  const REGION_US = '{ "type": "profile-region", "in_region": true, "region": "united_states" }';

  it('a condition snippet before an existing condition adds the comma after it', () => {
    const c = complete(definition(`| ${REGION_US}`));
    const snippet = c.items.find((i) => i.detail === 'profile-property');
    assert.ok(snippet);
    assert.ok(editOf(snippet).newText.endsWith('},'), editOf(snippet).newText);
    const result = applyCompletion(c.text, snippet);
    assert.equal(conditionsOf(result).length, 2);
    assertValid(result);
  });

  it('a condition snippet after an existing condition and its comma adds no comma', () => {
    const c = complete(definition(`${REGION_US}, |`));
    const snippet = c.items.find((i) => i.detail === 'profile-region');
    assert.ok(snippet);
    const result = applyCompletion(c.text, snippet);
    assert.equal(conditionsOf(result).length, 2);
    assertValid(result);
  });

  it('a condition snippet after an existing condition without a comma adds the comma before it', () => {
    const c = complete(definition(`${REGION_US}\n        |`));
    const snippet = c.items.find((i) => i.detail === 'profile-region');
    assert.ok(snippet, `condition snippets offered after a condition; got ${JSON.stringify(labels(c.items))}`);
    const result = applyCompletion(c.text, snippet);
    assert.equal(conditionsOf(result).length, 2);
    assertValid(result);
  });
});

describe('completion: operators, units, timeframe and filter shapes', () => {
  const RELATIVE = ['"before"', '"after"', '"between-static"', '"in-the-last"', '"at-least"', '"in-the-next"', '"between"'];

  it('operator values after "type": "numeric" in a measurement filter: the numeric operators', () => {
    const c = complete(metricWith('{ "type": "numeric", "operator": |, "value": 1 }', '{ "type": "date", "operator": "alltime" }'));
    assert.deepEqual(
      new Set(labels(c.items)),
      new Set(['"equals"', '"not-equals"', '"greater-than"', '"greater-than-or-equal"', '"less-than"', '"less-than-or-equal"']),
    );
    const gte = item(c.items, '"greater-than-or-equal"');
    assert.deepEqual(editOf(gte), { range: atCursor(c), newText: '"greater-than-or-equal"' });
    assert.deepEqual(assertValid(applyCompletion(c.text, gte)), []);
  });

  it('operator values after "type": "date" in a metric timeframe: relative, static, anniversary and alltime', () => {
    const c = complete(metricWith(GTE_1, '{ "type": "date", "operator": | }'));
    assert.deepEqual(new Set(labels(c.items)), new Set([...RELATIVE, '"anniversary-last"', '"anniversary-next"', '"alltime"']));
    assert.deepEqual(assertValid(applyCompletion(c.text, item(c.items, '"alltime"'))), []);
  });

  it('operator values after "type": "date" in a list-join timeframe: no alltime, no anniversaries', () => {
    const c = complete(
      definition(
        '{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS7kQ"], "timeframe_filter": { "type": "date", "operator": |, "unit": "day", "quantity": 30 } }',
      ),
    );
    assert.deepEqual(new Set(labels(c.items)), new Set(RELATIVE));
    assert.deepEqual(assertValid(applyCompletion(c.text, item(c.items, '"in-the-last"'))), []);
  });

  it('operator values after "type": "date" in a profile-property filter: calendar and anniversary operators too', () => {
    const c = complete(definition('{ "type": "profile-property", "property": "properties[\'Birthday\']", "filter": { "type": "date", "operator": | } }'));
    assert.deepEqual(
      new Set(labels(c.items)),
      new Set([...RELATIVE, '"anniversary-last"', '"anniversary-next"', '"calendar-month"', '"anniversary"', '"anniversary-month"']),
    );
  });

  it('unit values in a relative timeframe: hour, day, week in that order', () => {
    const c = complete(metricWith(GTE_1, '{ "type": "date", "operator": "in-the-last", "quantity": 30, "unit": | }'));
    assert.deepEqual(labels(sorted(c.items)), ['"hour"', '"day"', '"week"']);
    assert.deepEqual(editOf(item(c.items, '"day"')), { range: atCursor(c), newText: '"day"' });
    assert.deepEqual(assertValid(applyCompletion(c.text, item(c.items, '"day"'))), []);
  });

  it('unit values of a postal-code distance: miles, kilometers', () => {
    const c = complete(
      definition(
        '{ "type": "profile-postal-code-distance", "country_code": "USA", "postal_code": "02141", "unit": |, "filter": { "type": "numeric", "operator": "less-than", "value": 10 } }',
      ),
    );
    assert.deepEqual(new Set(labels(c.items)), new Set(['"miles"', '"kilometers"']));
    assert.deepEqual(assertValid(applyCompletion(c.text, item(c.items, '"kilometers"'))), []);
  });

  const METRIC_SHAPES = [
    'static date filter',
    'static date range filter',
    'relative date filter',
    'relative anniversary filter',
    'relative date range filter',
    'all-time filter',
  ];

  it('timeframe shapes for "timeframe_filter": | of a metric condition: one snippet per shape', () => {
    const c = complete(metricWith(GTE_1, '|'));
    assert.deepEqual(new Set(labels(c.items)), new Set(METRIC_SHAPES));
    for (const i of c.items) {
      assert.equal(i.kind, CompletionItemKind.Snippet);
      assert.deepEqual(editOf(i).range, atCursor(c));
      assert.match(editOf(i).newText, /^\{ "type": "date", "operator": /);
    }
  });

  for (const shape of METRIC_SHAPES) {
    it(`timeframe shape "${shape}" gives a valid metric condition`, () => {
      const c = complete(metricWith(GTE_1, '|'));
      assert.deepEqual(assertValid(applyCompletion(c.text, item(c.items, shape))), []);
    });
  }

  it('timeframe shapes of a list join: only those a list join accepts, each valid', () => {
    const c = complete(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS7kQ"], "timeframe_filter": | }'));
    assert.deepEqual(
      new Set(labels(c.items)),
      new Set(['static date filter', 'static date range filter', 'relative date filter', 'relative date range filter']),
    );
    for (const i of c.items) assert.deepEqual(assertValid(applyCompletion(c.text, i)), [], i.label);
  });

  it('filter shapes for "filter": | of a profile-property condition: every family, each valid', () => {
    const c = complete(definition('{ "type": "profile-property", "property": "properties[\'Favorite Genre\']", "filter": | }'));
    for (const family of [
      'text filter',
      'numeric filter',
      'boolean filter',
      'relative date filter',
      'calendar month filter',
      'list length filter',
      'existence filter',
    ])
      item(c.items, family);
    // Warnings may remain (a numeric filter on a text property); errors may not.
    for (const i of c.items) assertValid(applyCompletion(c.text, i));
  });
});

describe('completion: from the workspace data', () => {
  const metricIdAtCursor = metricWith(GTE_1, '{ "type": "date", "operator": "alltime" }').replace('"VwxT3a"', '|');

  it('metric_id: metric names, the ID inserted, integration and event count in the detail, most events first', () => {
    const c = complete(metricIdAtCursor);
    assert.deepEqual(new Set(labels(c.items)), new Set(METRICS.map((m) => m.attributes.name)));
    const placed = item(c.items, 'Placed Order');
    assert.deepEqual(editOf(placed), { range: atCursor(c), newText: '"VwxT3a"' });
    assert.match(String(placed.detail), /Shopify/);
    const facts = metricFacts('VwxT3a');
    assert.ok(String(placed.detail).includes(`${fmt(facts.count)} events`), `${placed.detail} has the event count ${facts.count}`);
    const counts = sorted(c.items).map((i) => metricFacts(METRICS.find((m) => m.attributes.name === i.label).id).count);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => b - a),
      `ordered by most events: ${labels(sorted(c.items))}`,
    );
    assert.deepEqual(assertValid(applyCompletion(c.text, placed)), []);
  });

  it('metric_id: "1 event", not "1 events"', () => {
    const refunded = item(complete(metricIdAtCursor).items, 'Refunded Order');
    assert.equal(metricFacts('Tw7pCm').count, 1, 'precondition: one Refunded Order event');
    assert.match(String(refunded.detail), /\b1 event$/);
  });

  it('metric_id: typing "Plac keeps Placed Order (filterText) and replaces the whole string', () => {
    const c = complete(`{
  "condition_groups": [ { "conditions": [
    { "type": "profile-metric", "metric_id": "Plac|", "measurement": "count",
    //                                       ^^^^^^^ typed
      "measurement_filter": ${GTE_1}, "timeframe_filter": { "type": "date", "operator": "alltime" } }
  ] } ]
}`);
    const kept = editorFilter(c.items, c.text, c.offset);
    assert.deepEqual(labels(kept), ['Placed Order']);
    assert.deepEqual(editOf(kept[0]), { range: c.f.range('typed'), newText: '"VwxT3a"' });
    const result = applyCompletion(c.text, kept[0]);
    assert.match(result, /"metric_id": "VwxT3a", "measurement"/);
    assert.deepEqual(assertValid(result), []);
  });

  it('group_ids items: list names with member counts, the ID inserted', () => {
    const c = complete(definition('{ "type": "profile-group-membership", "is_member": true, "group_ids": [|] }'));
    assert.deepEqual(new Set(labels(c.items)), new Set(LISTS.map((l) => l.attributes.name)));
    for (const list of LISTS) {
      const i = item(c.items, list.attributes.name);
      assert.equal(editOf(i).newText, JSON.stringify(list.id));
      const members = memberCount(list.id);
      assert.ok(String(i.detail).includes(`${fmt(members)} member${members === 1 ? '' : 's'}`), `${i.detail}: ${members} members`);
    }
    const newsletter = item(c.items, 'Newsletter');
    assert.match(String(newsletter.detail), /double opt in/);
    assert.deepEqual(editOf(newsletter).range, atCursor(c));
    assert.deepEqual(assertValid(applyCompletion(c.text, newsletter)), []);
  });

  it('property of a profile-property condition: built-ins, location fields and custom properties with their observed types', () => {
    const c = complete(definition('{ "type": "profile-property", "property": |, "filter": { "type": "string", "operator": "equals", "value": "Boston" } }'));
    for (const name of ['email', 'phone_number', 'created', "location['city']", "location['country']"]) item(c.items, name);
    const types: Record<string, string> = {
      "properties['Favorite Genre']": 'string',
      "properties['Loyalty Points']": 'number',
      "properties['Birthday']": 'date',
      "properties['Tags']": 'list',
      "properties['Accepts Marketing']": 'boolean',
    };
    for (const [name, type] of Object.entries(types))
      assert.match(String(item(c.items, name).detail), new RegExp(`^${type}\\b`), `${name}: ${item(c.items, name).detail}`);
    const city = item(c.items, "location['city']");
    assert.deepEqual(editOf(city), { range: atCursor(c), newText: '"location[\'city\']"' });
    assert.deepEqual(assertValid(applyCompletion(c.text, city)), []);
  });

  const cityValue = (value: string) =>
    definition(`{ "type": "profile-property", "property": "location['city']", "filter": { "type": "string", "operator": "equals", "value": ${value} } }`);

  it("filter value of location['city']: the cities seen in the workspace, with profile counts", () => {
    const c = complete(cityValue('|'));
    const boston = item(c.items, '"Boston"');
    item(c.items, '"Columbus"');
    assert.equal(boston.detail, `${fmt(profilesInCity('Boston'))} profiles`);
    assert.deepEqual(editOf(boston), { range: atCursor(c), newText: '"Boston"' });
    assert.deepEqual(assertValid(applyCompletion(c.text, boston)), []);
  });

  it('filter value typed "Bo keeps the cities starting with Bo and replaces the string', () => {
    const c = complete(cityValue('"Bo|"'));
    const kept = editorFilter(c.items, c.text, c.offset);
    const cities = new Set(
      PROFILES.map((p) => p.attributes.location?.city)
        .filter((city) => city?.startsWith('Bo'))
        .map((city) => JSON.stringify(city)),
    );
    assert.ok(cities.size > 1, 'precondition: more than one city starts with Bo');
    assert.deepEqual(new Set(labels(kept)), cities);
    const result = applyCompletion(c.text, item(kept, '"Boston"'));
    assert.match(result, /"value": "Boston" \}/);
    assert.deepEqual(assertValid(result), []);
  });

  it('metric_filters[].property: the event properties of that metric only', () => {
    const clicked = complete(
      definition(`{ "type": "profile-metric", "metric_id": "Ls5hWq", "measurement": "count",
          "measurement_filter": ${GTE_1},
          "timeframe_filter": { "type": "date", "operator": "alltime" },
          "metric_filters": [ { "property": |, "filter": { "type": "boolean", "operator": "equals", "value": false } } ] }`),
    );
    const bot = item(clicked.items, 'Bot Click');
    assert.match(String(bot.detail), /^boolean/);
    assert.ok(!labels(clicked.items).includes('Categories'), 'no property of another metric');
    assert.deepEqual(editOf(bot), { range: atCursor(clicked), newText: '"Bot Click"' });
    assert.deepEqual(assertValid(applyCompletion(clicked.text, bot)), []);

    const placed = complete(metricWith(GTE_1, '{ "type": "date", "operator": "alltime" }, "metric_filters": [ { "property": | } ]'));
    for (const name of ['$value', 'Categories', 'Item Count']) item(placed.items, name);
    assert.ok(!labels(placed.items).includes('Bot Click'));
    assert.deepEqual(assertValid(applyCompletion(placed.text, item(placed.items, '$value'))), []);
  });

  it('filter value of a numeric filter: only the numbers seen (Loyalty Points is once a string)', () => {
    const c = complete(
      definition(
        '{ "type": "profile-property", "property": "properties[\'Loyalty Points\']", "filter": { "type": "numeric", "operator": "greater-than", "value": | } }',
      ),
    );
    assert.ok(c.items.length > 0, 'observed values are offered');
    for (const i of c.items) assert.equal(typeof JSON.parse(editOf(i).newText), 'number', `${i.label} is a number`);
    assert.deepEqual(assertValid(applyCompletion(c.text, c.items[0])), []);
  });

  it("date values of a static date filter: midnight UTC days counted from the workspace's now", () => {
    const c = complete(definition('{ "type": "profile-property", "property": "created", "filter": { "type": "date", "operator": "after", "date": | } }'));
    const byDetail = new Map(c.items.map((i) => [i.detail, i]));
    const day = (ms: number) => `"${new Date(ms).toISOString().slice(0, 10)}T00:00:00+00:00"`;
    const now = Date.parse(SHOP_NOW);
    assert.equal(editOf(byDetail.get('today (the whole day, UTC)')!).newText, day(now));
    const thirtyDaysAgo = byDetail.get('30 days ago')!;
    assert.equal(editOf(thirtyDaysAgo).newText, day(now - 30 * 86_400_000));
    assert.deepEqual(editOf(thirtyDaysAgo).range, atCursor(c));
    assert.deepEqual(assertValid(applyCompletion(c.text, thirtyDaysAgo)), []);
  });

  it("outside a data workspace: no metrics to offer, the schema's completions still work", () => {
    assert.deepEqual(
      complete(metricIdAtCursor, { workspace: false }).items.filter((i) => i.kind === CompletionItemKind.Value),
      [],
    );
    item(complete(definition('{ "type": "profile-region", | }'), { workspace: false }).items, 'region');
  });
});

describe('completion: commas', () => {
  it('a key completed before another key gets a comma after it', () => {
    const c = complete(definition('{ "type": "profile-region", | "region": "united_states" }'));
    const inRegion = item(c.items, 'in_region');
    assert.ok(editOf(inRegion).newText.endsWith(','), editOf(inRegion).newText);
    assert.deepEqual(assertValid(applyCompletion(c.text, inRegion)), []);
  });

  it('a value completed before another key gets a comma after it', () => {
    const c = complete(definition('{ "type": "profile-region", "region": |\n          "in_region": true }'));
    const eu = item(c.items, '"european_union"');
    assert.equal(editOf(eu).newText, '"european_union",');
    assert.deepEqual(assertValid(applyCompletion(c.text, eu)), []);
  });

  it('a key completed on a new line after a value without a comma gets the comma before it', () => {
    const c = complete(definition('{\n          "type": "profile-region",\n          "in_region": true\n          |\n        }'));
    const result = applyCompletion(c.text, item(c.items, 'region'));
    assert.deepEqual(assertValid(result), []);
  });
});
