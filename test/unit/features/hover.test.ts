/**
 * Hover (server/src/features/hover.ts), in process: plain-English readings with counts, metric
 * and list details on IDs, schema documentation on keys and values. The `|` is where the mouse
 * rests; a `^^^ hovered` annotation marks the range the hover must report (markers: ./fixture.ts).
 */
import assert from 'node:assert/strict';
import { hover } from '../../../server/src/features/hover';
import { countsOf, definition, fixture, segmentLanguage, type SegmentFixture } from './fixture';
import { memberCount, metricFacts, PROFILES, profilesInCountries, profilesWithEventsSince, SHOP_NAME, tinyShop } from './tinyShop';

const fmt = (n: number) => n.toLocaleString('en-US');

interface Hovered {
  f: SegmentFixture;
  markdown: string;
  range: unknown;
}

/** The hover at the `|`; with `counts`, the counts of the definition are known (as after evaluation). */
function hoverAt(source: string, options: { counts?: boolean; workspace?: boolean } = {}): Hovered {
  const f = fixture(source);
  const shop = options.workspace === false ? undefined : tinyShop();
  const result = hover(f.document, f.parsed, f.offset, {
    schema: segmentLanguage().schema,
    workspace: shop?.summary,
    names: shop?.names,
    counts: options.counts ? countsOf(f) : undefined,
  });
  const contents = result?.contents;
  const markdown = typeof contents === 'object' && contents !== null && 'value' in contents ? contents.value : '';
  return { f, markdown, range: result?.range };
}

// From ./tinyShop.ts (now 2026-11-01): Placed Order in the last 30 days means since 2026-10-02,
// today included; the EU countries among the profiles are Germany and Italy.
const RECENT_BUYERS = profilesWithEventsSince('VwxT3a', '2026-10-02');
const IN_US = profilesInCountries('United States');
const IN_EU = profilesInCountries('Germany', 'Italy');

/** Two groups: recent buyers AND (in the US OR in the EU); `marked` replaces one line to put the cursor and annotations. */
const twoGroups = (lines: Record<string, string> = {}) =>
  [
    '{',
    '  "condition_groups": [',
    '    { "conditions": [',
    lines.metric ?? '      { "type": "profile-metric", "metric_id": "VwxT3a", "measurement": "count",',
    '        "measurement_filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": 1 },',
    lines.timeframe ?? '        "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": 30 } }',
    '    ] },',
    '    { "conditions": [',
    '      { "type": "profile-region", "in_region": true, "region": "united_states" },',
    lines.eu ?? '      { "type": "profile-region", "in_region": true, "region": "european_union" }',
    '    ] }',
    '  ]',
    '}',
  ].join('\n');

describe('hover: plain-English readings', () => {
  it('on a condition\'s "type" key: the reading and the count of profiles matching it', () => {
    const h = hoverAt(twoGroups({ metric: '      { "ty|pe": "profile-metric", "metric_id": "VwxT3a", "measurement": "count",\n      //^^^^^^^ hovered' }), {
      counts: true,
    });
    assert.match(h.markdown, /\*\*Reads:\*\* Placed Order at least once in the last 30 days/);
    assert.ok(h.markdown.includes(`${fmt(RECENT_BUYERS.size)} profiles match this condition`), h.markdown);
    assert.deepEqual(h.range, h.f.range('hovered'));
  });

  it('on a condition\'s "type" value: the same reading, over the value', () => {
    const h = hoverAt(
      twoGroups({ metric: '      { "type": "profile-me|tric", "metric_id": "VwxT3a", "measurement": "count",\n      //        ^^^^^^^^^^^^^^^^^ hovered' }),
      { counts: true },
    );
    assert.match(h.markdown, /\*\*Reads:\*\* Placed Order at least once in the last 30 days/);
    assert.match(h.markdown, /profiles match this condition/);
    assert.deepEqual(h.range, h.f.range('hovered'));
  });

  it('without counts yet: the reading, no count', () => {
    const h = hoverAt(twoGroups({ metric: '      { "ty|pe": "profile-metric", "metric_id": "VwxT3a", "measurement": "count",' }));
    assert.match(h.markdown, /\*\*Reads:\*\* Placed Order/);
    assert.doesNotMatch(h.markdown, /match this condition/);
  });

  it("on a condition in an OR group: its reading and count, the group's reading, the region rule", () => {
    const h = hoverAt(twoGroups({ eu: '      { "type": "profile-re|gion", "in_region": true, "region": "european_union" }' }), { counts: true });
    assert.match(h.markdown, /\*\*Reads:\*\* is in the EU/);
    assert.ok(h.markdown.includes(`${fmt(IN_EU.size)} profiles match this condition`), h.markdown);
    assert.match(h.markdown, /Group 2 \(ORed\): is in the US OR is in the EU/);
    assert.match(h.markdown, /Profiles without a country match neither/);
  });

  it('on "condition_groups": the whole definition, its count, how groups combine', () => {
    const source = twoGroups().replace('  "condition_groups": [', '  "condition|_groups": [\n//^^^^^^^^^^^^^^^^^^^ hovered');
    const h = hoverAt(source, { counts: true });
    assert.match(h.markdown, /\*\*Segment:\*\* Placed Order at least once in the last 30 days AND \(is in the US OR is in the EU\)/);
    const both = [...RECENT_BUYERS].filter((id) => IN_US.has(id) || IN_EU.has(id)).length;
    assert.ok(h.markdown.includes(`Matches ${fmt(both)} of ${fmt(PROFILES.length)} profiles in ${SHOP_NAME}`), h.markdown);
    assert.match(h.markdown, /Groups are ANDed; the conditions inside a group are ORed/);
    assert.deepEqual(h.range, h.f.range('hovered'));
  });

  it('on a condition that cannot be evaluated locally: says so instead of a count', () => {
    const h = hoverAt(
      definition('{ "ty|pe": "profile-permissions", "channel": "whatsapp_marketing", "permission": { "reachable_status": "implicitly_reachable" } }'),
      { counts: true },
    );
    assert.match(h.markdown, /Not evaluable locally/);
  });

  it('rule notes: a sum explains $value, a negated text filter explains missing values and case', () => {
    const sum = hoverAt(
      definition(`{ "ty|pe": "profile-metric", "metric_id": "VwxT3a", "measurement": "sum",
          "measurement_filter": { "type": "numeric", "operator": "greater-than", "value": 100 },
          "timeframe_filter": { "type": "date", "operator": "alltime" } }`),
    );
    assert.match(sum.markdown, /\*\*Reads:\*\* Placed Order with a total value that is greater than 100 over all time/);
    assert.match(sum.markdown, /The sum adds each event's "\$value"/);
    const negated = hoverAt(
      definition('{ "ty|pe": "profile-property", "property": "email", "filter": { "type": "string", "operator": "not-ends-with", "value": "@hotmail.com" } }'),
    );
    assert.match(negated.markdown, /\*\*Reads:\*\* email does not end with "@hotmail.com"/);
    assert.match(negated.markdown, /Profiles without this property do not match/);
    assert.match(negated.markdown, /case-sensitive/);
  });
});

describe('hover: metric and list IDs', () => {
  it('on a metric_id: name, integration, event and profile counts, first and last event', () => {
    const h = hoverAt(
      twoGroups({
        metric:
          '      { "type": "profile-metric", "metric_id": "Vwx|T3a", "measurement": "count",\n      //                                       ^^^^^^^^^ hovered',
      }),
    );
    const facts = metricFacts('VwxT3a');
    assert.match(h.markdown, /\*\*Placed Order\*\*/);
    assert.match(h.markdown, /`VwxT3a`/);
    assert.match(h.markdown, /Shopify/);
    assert.ok(
      h.markdown.includes(`${fmt(facts.count)} events from ${fmt(facts.profiles)} profiles`),
      `${h.markdown}\nexpected ${facts.count} events from ${facts.profiles} profiles`,
    );
    assert.ok(h.markdown.includes(facts.first) && h.markdown.includes(facts.last), `first ${facts.first}, last ${facts.last} in:\n${h.markdown}`);
    assert.ok(h.markdown.includes(`${fmt(facts.withValue)} events carry a $value`), h.markdown);
    assert.deepEqual(h.range, h.f.range('hovered'));
  });

  it('on a metric_id whose events carry no $value: says a sum would be 0', () => {
    const facts = metricFacts('Mc9yTe');
    assert.ok(facts.count > 0 && facts.withValue === 0, 'precondition: Opened Email events have no $value');
    const h = hoverAt(twoGroups({ metric: '      { "type": "profile-metric", "metric_id": "Mc9y|Te", "measurement": "count",' }));
    assert.match(h.markdown, /\*\*Opened Email\*\*/);
    assert.match(h.markdown, /No event carries a \$value/);
  });

  it('on a metric_id that is not in the workspace: says so, naming the workspace', () => {
    const h = hoverAt(twoGroups({ metric: '      { "type": "profile-metric", "metric_id": "Nope|00", "measurement": "count",' }));
    assert.match(h.markdown, /Unknown metric/);
    assert.ok(h.markdown.includes(SHOP_NAME), h.markdown);
  });

  it('on a group_ids item: the list name, member count and opt-in process', () => {
    const h = hoverAt(`{
  "condition_groups": [ { "conditions": [
    { "type": "profile-group-membership", "is_member": true, "group_ids": ["NwS|7kQ"] }
    //                                                                     ^^^^^^^^^ hovered
  ] } ]
}`);
    assert.match(h.markdown, /\*\*Newsletter\*\*/);
    assert.ok(h.markdown.includes(`${fmt(memberCount('NwS7kQ'))} members`), h.markdown);
    assert.match(h.markdown, /double opt in/);
    assert.deepEqual(h.range, h.f.range('hovered'));
  });

  it('outside a data workspace: no claim that an ID is unknown', () => {
    const h = hoverAt(twoGroups({ metric: '      { "type": "profile-metric", "metric_id": "Vwx|T3a", "measurement": "count",' }), { workspace: false });
    assert.doesNotMatch(h.markdown, /Unknown metric/);
  });
});

describe('hover: schema documentation', () => {
  it('on a key: its documentation, with the values it takes', () => {
    const h = hoverAt(
      twoGroups({
        metric:
          '      { "type": "profile-metric", "metric_id": "VwxT3a", "measure|ment": "count",\n      //                                                 ^^^^^^^^^^^^^^ hovered',
      }),
    );
    assert.match(h.markdown, /\*\*measurement\*\*/);
    assert.match(h.markdown, /What to measure over the matching events/);
    assert.match(h.markdown, /`"count"`: How many events/);
    assert.match(h.markdown, /`"sum"`: The sum of the events' values/);
    assert.deepEqual(h.range, h.f.range('hovered'));
  });

  it("on a key inside a timeframe: the documentation of that filter's key", () => {
    const h = hoverAt(twoGroups({ timeframe: '        "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quan|tity": 30 } }' }));
    assert.match(h.markdown, /\*\*quantity\*\*/);
    assert.match(h.markdown, /How many units/);
  });

  it('on an operator value: the documentation of that operator', () => {
    const h = hoverAt(twoGroups({ timeframe: '        "timeframe_filter": { "type": "date", "operator": "in-the-la|st", "unit": "day", "quantity": 30 } }' }), {
      workspace: false,
    });
    assert.match(h.markdown, /in-the-last/);
    assert.match(h.markdown, /today included/);
  });

  it('on a key in a consent filter: the documentation of the consent alternative', () => {
    const h = hoverAt(
      definition(
        '{ "type": "profile-marketing-consent", "consent": { "channel": "sms", "can_receive_marketing": true, "consent_status": { "subscr|iption": "subscribed" } } }',
      ),
      { workspace: false },
    );
    assert.match(h.markdown, /\*\*subscription\*\*/);
    assert.match(h.markdown, /subscribed/i);
  });

  it('on punctuation or whitespace: nothing', () => {
    const h = hoverAt(twoGroups({ eu: '      { "type": "profile-region", "in_region": true, "region": "european_union" } |' }));
    assert.equal(h.markdown, '');
    assert.equal(h.range, undefined);
  });
});
