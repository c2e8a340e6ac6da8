/**
 * Quick fixes: for each problem that carries a fix, applying the fix's edits must give a
 * document that validates with no error (and no warning where the fixed problem was the only
 * one), and, where it is easy to state, exactly the expected text.
 *
 * The problem to fix is marked in the text with ⟦ and ⟧ (its exact range).
 */
import assert from 'node:assert/strict';
import { SegmentLanguage } from '../../server/src/segment/languageService';
import type { Fix, Problem, TextEditByOffset } from '../../server/src/segment/problem';

/** Applies non-overlapping edits (given in any order) to a text. */
function applyEdits(text: string, edits: readonly TextEditByOffset[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(sorted[i].offset + sorted[i].length <= sorted[i - 1].offset, `overlapping edits: ${JSON.stringify(sorted)}`);
  }
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.offset) + edit.newText + result.slice(edit.offset + edit.length);
  return result;
}

/** jsonc-parser builds objects without a prototype; compare plain JSON values. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function stripMarker(marked: string): { text: string; offset: number; length: number } {
  const open = marked.indexOf('⟦');
  const close = marked.indexOf('⟧');
  assert.ok(open >= 0 && close > open && marked.indexOf('⟦', open + 1) < 0, 'a case marks exactly one range');
  return { text: marked.slice(0, open) + marked.slice(open + 1, close) + marked.slice(close + 1), offset: open, length: close - open - 1 };
}

interface FixCase {
  name: string;
  /** The text, with the problem's range between ⟦ and ⟧. */
  text: string;
  code: string;
  /** Which fix to apply, by title; default: the preferred fix, or the only one. */
  title?: RegExp;
  /** The text after the fix, when easy to state. */
  expected?: string;
  /** The fixed document may keep warnings (the fix only addresses an error). */
  allowWarnings?: boolean;
  /** The JSON value the fixed document must hold (when the exact text is not worth stating). */
  expectedValue?: unknown;
}

const w = (...conditions: string[]): string => `{"condition_groups":[{"conditions":[${conditions.join(',')}]}]}`;
const MF = '"measurement_filter":{"type":"numeric","operator":"greater-than","value":0}';
const ALLTIME = '"timeframe_filter":{"type":"date","operator":"alltime"}';
const LAST30 = '{"type":"date","operator":"in-the-last","unit":"day","quantity":30}';
const postal = (code: string): string =>
  `{"type":"profile-postal-code-distance","country_code":${code},"postal_code":"02141","unit":"miles","filter":{"type":"numeric","operator":"less-than","value":10}}`;
const region = (rest: string): string => `{"type":"profile-region",${rest}}`;
const MEMBERSHIP = '{"type":"profile-group-membership","is_member":true,"group_ids":["Y6nRLr"]}';

const UPDATE_COLUMBUS = (type: string, field: string): string => `{
"data": {
"type": "segment",
"id": "UUvyMc",
"attributes": {
"name": "Mint Vinyl Columbus Group",
"definition": {
"condition_groups": [
{
"conditions": [
{
"type": ${type},
${field}: "location['city']",
"filter": {
"type": "string",
"operator": "equals",
"value": "Columbus"
}
}
]
}
]
}
}
}
}
`;

const cases: FixCase[] = [
  // Legacy spellings.
  {
    name: 'region_id → region',
    text: w(region('"in_region":true,⟦"region_id"⟧:"european_union"')),
    code: 'legacy-region-id',
    expected: w(region('"in_region":true,"region":"european_union"')),
  },
  {
    name: 'is_double_optin → is_double_opt_in',
    text: w(
      '{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":"subscribed","filters":[{"field":⟦"is_double_optin"⟧,"filter":{"type":"boolean","operator":"equals","value":true}}]}}}',
    ),
    code: 'legacy-double-optin',
    expected: w(
      '{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":"subscribed","filters":[{"field":"is_double_opt_in","filter":{"type":"boolean","operator":"equals","value":true}}]}}}',
    ),
  },
  {
    name: 'profile-attribute + field → profile-property + property (update-columbus-postal)',
    text: UPDATE_COLUMBUS('⟦"profile-attribute"⟧', '"field"'),
    code: 'legacy-profile-attribute',
    expected: UPDATE_COLUMBUS('"profile-property"', '"property"'),
  },
  {
    name: 'static date "value" without offset → "date" with offset',
    text: w(
      `{"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${MF},"timeframe_filter":{"type":"date","operator":"after",⟦"value"⟧:"2017-04-01T00:00:00"}}`,
    ),
    code: 'legacy-static-date-value',
    expected: w(
      `{"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${MF},"timeframe_filter":{"type":"date","operator":"after","date":"2017-04-01T00:00:00+00:00"}}`,
    ),
  },
  {
    name: 'static date "value" with a date only → "date" at midnight UTC',
    text: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"before",⟦"value"⟧:"2017-04-01"}}'),
    code: 'legacy-static-date-value',
    expected: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"before","date":"2017-04-01T00:00:00+00:00"}}'),
  },
  {
    name: 'static date "value" already with an offset → only renamed',
    text: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"before",⟦"value"⟧:"2017-04-01T00:00:00Z"}}'),
    code: 'legacy-static-date-value',
    expected: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"before","date":"2017-04-01T00:00:00Z"}}'),
  },
  {
    name: 'camelCase metricId → metric_id',
    text: w(`{"type":"profile-metric",⟦"metricId"⟧:"S4SFhi","measurement":"count",${MF},${ALLTIME}}`),
    code: 'legacy-camel-case',
    expected: w(`{"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${MF},${ALLTIME}}`),
  },
  {
    name: 'camelCase consentStatus → consent_status',
    text: w('{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true,⟦"consentStatus"⟧:{"subscription":"any"}}}'),
    code: 'legacy-camel-case',
    expected: w('{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":"any"}}}'),
  },

  // Syntax.
  { name: 'remove a trailing comma in an array', text: w(`${MEMBERSHIP}⟦,⟧`), code: 'json-trailing-comma', expected: w(MEMBERSHIP) },
  {
    name: 'remove a trailing comma in an object',
    text: `{"condition_groups":[{"conditions":[${MEMBERSHIP}]}]⟦,⟧}`,
    code: 'json-trailing-comma',
    expected: w(MEMBERSHIP),
  },
  {
    name: 'remove a line comment',
    text: `{⟦// engaged⟧\n"condition_groups":[{"conditions":[${MEMBERSHIP}]}]}`,
    code: 'json-comment',
    expected: `{\n"condition_groups":[{"conditions":[${MEMBERSHIP}]}]}`,
  },
  { name: 'remove a block comment', text: `{"condition_groups":[{"conditions":[⟦/* list */⟧${MEMBERSHIP}]}]}`, code: 'json-comment', expected: w(MEMBERSHIP) },

  // A single condition → a definition.
  {
    name: 'wrap a single condition (region-eu once renamed)',
    text: '⟦{⟧\n"type": "profile-region",\n"in_region": true,\n"region": "european_union"\n}\n',
    code: 'single-condition',
    expectedValue: { condition_groups: [{ conditions: [{ type: 'profile-region', in_region: true, region: 'european_union' }] }] },
  },
  {
    name: 'wrap a single condition written on one line',
    text: `⟦{⟧"type":"profile-group-membership","is_member":true,"group_ids":["G2B2C2"],"timeframe_filter":${LAST30}}`,
    code: 'single-condition',
    expectedValue: {
      condition_groups: [{ conditions: [{ type: 'profile-group-membership', is_member: true, group_ids: ['G2B2C2'], timeframe_filter: JSON.parse(LAST30) }] }],
    },
  },

  // Wrong types.
  {
    name: 'quantity "30" → 30',
    text: w(`{"type":"profile-property","property":"created","filter":{"type":"date","operator":"in-the-last","unit":"day","quantity":⟦"30"⟧}}`),
    code: 'wrong-type',
    expected: w(`{"type":"profile-property","property":"created","filter":${LAST30}}`),
  },
  {
    name: 'value "200" → 200',
    text: w(
      `{"type":"profile-metric","metric_id":"S4SFhi","measurement":"sum","measurement_filter":{"type":"numeric","operator":"greater-than","value":⟦"200"⟧},${ALLTIME}}`,
    ),
    code: 'wrong-type',
    expected: w(
      `{"type":"profile-metric","metric_id":"S4SFhi","measurement":"sum","measurement_filter":{"type":"numeric","operator":"greater-than","value":200},${ALLTIME}}`,
    ),
  },
  {
    name: 'value "12.5" → 12.5',
    text: w(`{"type":"profile-property","property":"properties['Score']","filter":{"type":"numeric","operator":"equals","value":⟦"12.5"⟧}}`),
    code: 'wrong-type',
    expected: w(`{"type":"profile-property","property":"properties['Score']","filter":{"type":"numeric","operator":"equals","value":12.5}}`),
  },
  {
    name: 'is_member "true" → true',
    text: w('{"type":"profile-group-membership","is_member":⟦"true"⟧,"group_ids":["Y6nRLr"]}'),
    code: 'wrong-type',
    expected: w(MEMBERSHIP),
  },
  {
    name: 'group_ids "Y6nRLr" → ["Y6nRLr"]',
    text: w('{"type":"profile-group-membership","is_member":true,"group_ids":⟦"Y6nRLr"⟧}'),
    code: 'wrong-type',
    expected: w(MEMBERSHIP),
  },

  // Did you mean: enum values, operators, condition types, keys.
  {
    name: 'unit "days" → "day"',
    text: w(`{"type":"profile-property","property":"created","filter":{"type":"date","operator":"in-the-last","unit":⟦"days"⟧,"quantity":30}}`),
    code: 'invalid-value',
    expected: w(`{"type":"profile-property","property":"created","filter":${LAST30}}`),
  },
  {
    name: 'region "europe" → "european_union"',
    text: w(region('"in_region":true,"region":⟦"europe"⟧')),
    code: 'invalid-value',
    expected: w(region('"in_region":true,"region":"european_union"')),
  },
  {
    name: 'predicted_channel "mail" → "email"',
    text: w(
      '{"type":"profile-predictive-analytics","dimension":"channel_affinity","measurement":"rank","predicted_channel":⟦"mail"⟧,"filter":{"type":"string","operator":"equals","value":"high"}}',
    ),
    code: 'invalid-value',
    expected: w(
      '{"type":"profile-predictive-analytics","dimension":"channel_affinity","measurement":"rank","predicted_channel":"email","filter":{"type":"string","operator":"equals","value":"high"}}',
    ),
  },
  {
    name: 'dimension "predicted_gendr" → "predicted_gender"',
    text: w('{"type":"profile-predictive-analytics","dimension":⟦"predicted_gendr"⟧,"filter":{"type":"string","operator":"equals","value":"likely_male"}}'),
    code: 'invalid-value',
    expected: w('{"type":"profile-predictive-analytics","dimension":"predicted_gender","filter":{"type":"string","operator":"equals","value":"likely_male"}}'),
  },
  {
    name: 'consent filter field "status" → "status_date"',
    text: w(
      `{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":"subscribed","filters":[{"field":⟦"status"⟧,"filter":${LAST30}}]}}}`,
    ),
    code: 'invalid-value',
    expected: w(
      `{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":"subscribed","filters":[{"field":"status_date","filter":${LAST30}}]}}}`,
    ),
  },
  {
    name: 'operator "greater" → "greater-than"',
    text: w(`{"type":"profile-property","property":"properties['Orders']","filter":{"type":"numeric","operator":⟦"greater"⟧,"value":3}}`),
    code: 'unknown-operator',
    expected: w(`{"type":"profile-property","property":"properties['Orders']","filter":{"type":"numeric","operator":"greater-than","value":3}}`),
  },
  {
    name: 'metric timeframe operator "in-the-past" → "in-the-last"',
    text: w(
      `{"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${MF},"timeframe_filter":{"type":"date","operator":⟦"in-the-past"⟧,"unit":"day","quantity":30}}`,
    ),
    code: 'unknown-operator',
    expected: w(`{"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${MF},"timeframe_filter":${LAST30}}`),
  },
  {
    name: 'condition type "profile-propery" → "profile-property"',
    text: w('{"type":⟦"profile-propery"⟧,"property":"email","filter":{"type":"existence","operator":"is-set"}}'),
    code: 'unknown-condition-type',
    expected: w('{"type":"profile-property","property":"email","filter":{"type":"existence","operator":"is-set"}}'),
  },
  {
    name: 'unknown key "filter" → "filters" on a consent status',
    text: w(
      '{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":"subscribed",⟦"filter"⟧:[]}}}',
    ),
    code: 'unknown-property',
    expected: w(
      '{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":"subscribed","filters":[]}}}',
    ),
  },

  {
    name: 'unknown key "condition" → "conditions" (also supplies the missing key)',
    text: `{"condition_groups":[{⟦"condition"⟧:[${MEMBERSHIP}]}]}`,
    code: 'unknown-property',
    expected: w(MEMBERSHIP),
  },
  {
    name: 'unknown key "metric_idd" → "metric_id" (also supplies the missing key)',
    text: w(`{"type":"profile-metric",⟦"metric_idd"⟧:"S4SFhi","measurement":"count",${MF},${ALLTIME}}`),
    code: 'unknown-property',
    expected: w(`{"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${MF},${ALLTIME}}`),
  },

  // Date-times.
  {
    name: 'date "2024-01-01" → "2024-01-01T00:00:00+00:00"',
    text: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"before","date":⟦"2024-01-01"⟧}}'),
    code: 'invalid-date-time',
    expected: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"before","date":"2024-01-01T00:00:00+00:00"}}'),
  },
  {
    name: 'date "2024-01-01T08:30" → "2024-01-01T08:30:00+00:00"',
    text: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"after","date":⟦"2024-01-01T08:30"⟧}}'),
    code: 'invalid-date-time',
    expected: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"after","date":"2024-01-01T08:30:00+00:00"}}'),
  },

  // Rules.
  {
    name: 'swap a reversed relative range',
    text: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"between","start":⟦60,"end":30⟧,"unit":"day"}}'),
    code: 'range-reversed',
    expected: w('{"type":"profile-property","property":"created","filter":{"type":"date","operator":"between","start":30,"end":60,"unit":"day"}}'),
  },
  {
    name: 'swap a reversed static range',
    text: w(
      '{"type":"profile-property","property":"created","filter":{"type":"date","operator":"between-static","start":⟦"2025-12-31T00:00:00Z","end":"2025-01-01T00:00:00Z"⟧}}',
    ),
    code: 'range-reversed',
    expected: w(
      '{"type":"profile-property","property":"created","filter":{"type":"date","operator":"between-static","start":"2025-01-01T00:00:00Z","end":"2025-12-31T00:00:00Z"}}',
    ),
  },
  {
    name: 'swap a reversed numeric range (custom object)',
    text: w(
      '{"type":"profile-has-custom-object","object_type_id":"01J8ZQ","object_type_relationship_id":"01J8ZR","filter":{"type":"numeric","operator":"greater-than-or-equal","value":1},"filters":[{"property_id":1,"filter":{"type":"numeric","operator":"between","start":⟦10,"end":1⟧}}]}',
    ),
    code: 'range-reversed',
    expected: w(
      '{"type":"profile-has-custom-object","object_type_id":"01J8ZQ","object_type_relationship_id":"01J8ZR","filter":{"type":"numeric","operator":"greater-than-or-equal","value":1},"filters":[{"property_id":1,"filter":{"type":"numeric","operator":"between","start":1,"end":10}}]}',
    ),
  },
  { name: 'country_code "US" → "USA"', text: w(postal('⟦"US"⟧')), code: 'country-code-alpha2', expected: w(postal('"USA"')) },
  { name: 'country_code "gb" → "GBR"', text: w(postal('⟦"gb"⟧')), code: 'country-code-alpha2', expected: w(postal('"GBR"')) },
  {
    name: 'property "emial" → "email"',
    text: w('{"type":"profile-property","property":⟦"emial"⟧,"filter":{"type":"existence","operator":"is-set"}}'),
    code: 'unknown-profile-property',
    expected: w('{"type":"profile-property","property":"email","filter":{"type":"existence","operator":"is-set"}}'),
  },
  {
    name: `property "Favorite Color" → "properties['Favorite Color']"`,
    text: w('{"type":"profile-property","property":⟦"Favorite Color"⟧,"filter":{"type":"string","operator":"equals","value":"blue"}}'),
    code: 'unknown-profile-property',
    title: /properties\[/,
    expected: w(`{"type":"profile-property","property":"properties['Favorite Color']","filter":{"type":"string","operator":"equals","value":"blue"}}`),
  },
  {
    name: `property "emial" → "properties['emial']" (the other fix)`,
    text: w('{"type":"profile-property","property":⟦"emial"⟧,"filter":{"type":"existence","operator":"is-set"}}'),
    code: 'unknown-profile-property',
    title: /properties\[/,
    expected: w(`{"type":"profile-property","property":"properties['emial']","filter":{"type":"existence","operator":"is-set"}}`),
  },
  {
    name: `property "Kid's Name" → properties['Kid\\'s Name'] (quote escaped)`,
    text: w('{"type":"profile-property","property":⟦"Kid\'s Name"⟧,"filter":{"type":"existence","operator":"is-set"}}'),
    code: 'unknown-profile-property',
    title: /properties\[/,
    expectedValue: {
      condition_groups: [
        { conditions: [{ type: 'profile-property', property: "properties['Kid\\'s Name']", filter: { type: 'existence', operator: 'is-set' } }] },
      ],
    },
  },
];

/** The problems that have a fix a user would apply: preferred first, then the only one. */
function chosenFix(problem: Problem, title?: RegExp): Fix | undefined {
  const fixes = problem.fixes ?? [];
  if (title) return fixes.find((f) => title.test(f.title));
  return fixes.find((f) => f.isPreferred) ?? (fixes.length === 1 ? fixes[0] : undefined);
}

describe('quick fixes', function () {
  this.timeout(20000);
  let lang: SegmentLanguage;
  before(() => {
    lang = new SegmentLanguage();
  });

  it('applyEdits applies edits from the end so offsets stay valid', () => {
    assert.equal(
      applyEdits('abcdef', [
        { offset: 0, length: 1, newText: 'X' },
        { offset: 4, length: 2, newText: 'YZW' },
      ]),
      'XbcdYZW',
    );
  });

  for (const c of cases) {
    it(c.name, () => {
      const { text, offset, length } = stripMarker(c.text);
      const problems = lang.validate(lang.parse(text));
      const problem = problems.find((p) => p.code === c.code && p.offset === offset && p.length === length);
      assert.ok(
        problem,
        `no ${c.code} at ${offset}+${length} ${JSON.stringify(text.slice(offset, offset + length))}; got: ${problems.map((p) => `${p.code}@${p.offset}+${p.length}`).join(', ')}`,
      );
      const fix = chosenFix(problem, c.title);
      assert.ok(fix, `${c.code} has no ${c.title ? `fix titled ${String(c.title)}` : 'preferred fix'}: ${JSON.stringify(problem.fixes)}`);
      assert.ok(fix.title.length > 0 && !/undefined/.test(fix.title), `fix title: ${fix.title}`);

      const fixed = applyEdits(text, fix.edits);
      if (c.expected !== undefined) assert.equal(fixed, c.expected);
      const parsed = lang.parse(fixed);
      if (c.expectedValue !== undefined) assert.deepEqual(plain(parsed.value), c.expectedValue);
      const remaining = lang.validate(parsed).filter((p) => p.severity === 'error' || (!c.allowWarnings && p.severity === 'warning'));
      assert.deepEqual(
        remaining.map((p) => `${p.severity} ${p.code} at ${p.offset}+${p.length}: ${p.message}`),
        [],
        `after "${fix.title}":\n${fixed}`,
      );
    });
  }

  /** Applies preferred fixes one at a time (revalidating in between) until none is left. */
  function fixAll(text: string): { text: string; applied: string[] } {
    const applied: string[] = [];
    for (let round = 0; round < 20; round++) {
      const problems = lang.validate(lang.parse(text));
      const next = problems.map((p) => ({ p, fix: chosenFix(p) })).find((x) => x.fix);
      if (!next?.fix) break;
      applied.push(`${next.p.code}: ${next.fix.title}`);
      text = applyEdits(text, next.fix.edits);
    }
    return { text, applied };
  }

  it('fixes the metric-over-200 guide example completely (commas, value → date, wrap)', () => {
    const doc = `{
"type": "profile-metric",
"metric_id": "S4SFhi",
"measurement": "count",
"measurement_filter": {
"type": "numeric",
"operator": "greater-than",
"value": 200,
},
"timeframe_filter": {
"type": "date",
"operator": "after",
"value": "2017-04-01T00:00:00",
},
"metric_filters": [
{
"property": "country",
"filter": {
"type": "string",
"operator": "equals",
"value": "United States"
}
}
]
}
`;
    const { text, applied } = fixAll(doc);
    const problems = lang.validate(lang.parse(text));
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error' || p.severity === 'warning').map((p) => `${p.code}: ${p.message}`),
      [],
      `applied ${applied.join('; ')}:\n${text}`,
    );
    assert.deepEqual(plain(lang.parse(text).value), {
      condition_groups: [
        {
          conditions: [
            {
              type: 'profile-metric',
              metric_id: 'S4SFhi',
              measurement: 'count',
              measurement_filter: { type: 'numeric', operator: 'greater-than', value: 200 },
              timeframe_filter: { type: 'date', operator: 'after', date: '2017-04-01T00:00:00+00:00' },
              metric_filters: [{ property: 'country', filter: { type: 'string', operator: 'equals', value: 'United States' } }],
            },
          ],
        },
      ],
    });
    assert.ok(
      applied.some((a) => a.startsWith('json-trailing-comma')) &&
        applied.some((a) => a.startsWith('legacy-static-date-value')) &&
        applied.some((a) => a.startsWith('single-condition')),
      applied.join('; '),
    );
  });

  it('fixes the email-double-opt-in guide example completely (rename, wrap)', () => {
    const doc =
      '{\n"type": "profile-marketing-consent",\n"consent": {\n"channel": "email",\n"can_receive_marketing": true,\n"consent_status": {\n"subscription": "subscribed",\n"filters": [\n{\n"field": "is_double_optin",\n"filter": {\n"type": "boolean",\n"operator": "equals",\n"value": true\n}\n}\n]\n}\n}\n}\n';
    const { text, applied } = fixAll(doc);
    assert.deepEqual(
      lang.validate(lang.parse(text)).map((p) => p.code),
      [],
      `applied ${applied.join('; ')}:\n${text}`,
    );
  });

  it('fixes the region-eu guide example completely (rename, wrap)', () => {
    const { text, applied } = fixAll('{\n"type": "profile-region",\n"in_region": true,\n"region_id": "european_union"\n}\n');
    assert.deepEqual(
      lang.validate(lang.parse(text)).map((p) => p.code),
      [],
      `applied ${applied.join('; ')}:\n${text}`,
    );
    assert.deepEqual(plain(lang.parse(text).value), {
      condition_groups: [{ conditions: [{ type: 'profile-region', in_region: true, region: 'european_union' }] }],
    });
  });

  it('every fix offered on the invalid guide examples leaves edits that do not overlap', () => {
    const docs = [
      '{"type":"profile-attribute","field":"location[\'city\']","filter":{"type":"string","operator":"equals","value":"Columbus"},}',
      '{"type":"profile-region","in_region":true,"region_id":"european_union"}',
    ];
    for (const doc of docs) {
      for (const p of lang.validate(lang.parse(doc))) {
        for (const f of p.fixes ?? []) assert.doesNotThrow(() => applyEdits(doc, f.edits), `${p.code}: ${f.title}`);
      }
    }
  });
});
