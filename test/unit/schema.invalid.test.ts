/**
 * Invalid segment files: each case marks the exact characters a problem must point at with
 * ⟦ and ⟧, and names the problem's code, severity and what its message must say. A case may
 * hold several marked ranges; the n-th range goes with the n-th expectation.
 *
 * Every message of every case must read like a person wrote it: no validator jargon.
 */
import assert from 'node:assert/strict';
import { SegmentLanguage, type ValidationOptions } from '../../server/src/segment/languageService';
import type { Problem, ProblemSeverity } from '../../server/src/segment/problem';

interface Expectation {
  code: string;
  severity: ProblemSeverity;
  /** A regex the message must match, or a substring it must contain. */
  message: RegExp | string;
}

interface InvalidCase {
  name: string;
  /** JSON text with each expected range between ⟦ and ⟧. */
  text: string;
  expect: Expectation[];
  /** Codes that must not appear at all (a cascade of the real problem that would mislead). */
  absent?: string[];
  options?: ValidationOptions;
}

const err = (code: string, message: RegExp | string): Expectation => ({ code, severity: 'error', message });
const warn = (code: string, message: RegExp | string): Expectation => ({ code, severity: 'warning', message });

const OPEN = '⟦';
const CLOSE = '⟧';

/** Removes the markers; returns the text and the marked ranges in order. */
function stripMarkers(marked: string): { text: string; ranges: { offset: number; length: number }[] } {
  let text = '';
  const ranges: { offset: number; length: number }[] = [];
  let open: number | undefined;
  for (const ch of marked) {
    if (ch === OPEN) {
      assert.equal(open, undefined, 'nested ⟦ in a case');
      open = text.length;
    } else if (ch === CLOSE) {
      assert.notEqual(open, undefined, '⟧ without ⟦ in a case');
      ranges.push({ offset: open as number, length: text.length - (open as number) });
      open = undefined;
    } else {
      text += ch;
    }
  }
  assert.equal(open, undefined, 'unclosed ⟦ in a case');
  return { text, ranges };
}

/** Validator jargon a message must never show. */
const JARGON: RegExp[] = [
  /must match/i,
  /oneOf/,
  /anyOf/,
  /allOf/,
  /must be equal to one of the allowed values/i,
  /#\//,
  /\$defs/,
  /\$ref/,
  /must have required property/i,
  /must NOT/,
  /must pass/i,
  /must be (integer|number|string|boolean|object|array|null)\b/,
  /\bparentSchema\b/,
  /\binstancePath\b/,
  /undefined/,
  /\[object Object\]/,
  /\bNaN\b/,
  // A description cut at its first full stop: "The metric (event type) ID, e.g."
  /\b(e\.g|i\.e)\.$/,
  // Broken English: "Valid reachable statuss", "A "in-the-last" window".
  /\bstatuss\b/,
  /\b[Aa] "[aeio]/,
];

// ---------------------------------------------------------------------------------------------
// Builders: compact JSON text with markers inside.

/** A definition with one group holding the given condition texts. */
const w = (...conditions: string[]): string => `{"condition_groups":[{"conditions":[${conditions.join(',')}]}]}`;
const MF = '"measurement_filter":{"type":"numeric","operator":"greater-than","value":0}';
const ALLTIME = '"timeframe_filter":{"type":"date","operator":"alltime"}';
const LAST30 = '{"type":"date","operator":"in-the-last","unit":"day","quantity":30}';
/** A profile-metric condition; `rest` replaces the timeframe/extra keys. */
const metric = (rest = ALLTIME): string => `{"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${MF},${rest}}`;
const property = (filter: string, name = '"email"'): string => `{"type":"profile-property","property":${name},"filter":${filter}}`;
const consent = (consentBody: string): string => `{"type":"profile-marketing-consent","consent":${consentBody}}`;
const emailSubscribed = (filters: string): string =>
  consent(`{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":"subscribed","filters":[${filters}]}}`);
const funnel = (rest: string): string => `{"type":"profile-metric-funnel",${rest}}`;
const STEPS = '"steps":[{"metric_exists":true,"metric_id":"OpenEm"},{"metric_exists":true,"metric_id":"PlcOrd"}]';
const customObject = (filters: string, filter = '{"type":"numeric","operator":"greater-than-or-equal","value":1}'): string =>
  `{"type":"profile-has-custom-object","object_type_id":"01J8ZQ","object_type_relationship_id":"01J8ZR","filter":${filter},"filters":[${filters}]}`;
const postal = (countryCode = '"USA"', filter = '{"type":"numeric","operator":"less-than","value":10}', unit = '"miles"'): string =>
  `{"type":"profile-postal-code-distance","country_code":${countryCode},"postal_code":"02141","unit":${unit},"filter":${filter}}`;
const membership = (rest = '"group_ids":["Y6nRLr"]'): string => `{"type":"profile-group-membership","is_member":true,${rest}}`;
const permissions = (permission: string, channel = '"whatsapp_marketing"'): string =>
  `{"type":"profile-permissions","channel":${channel},"permission":${permission}}`;
const DEFINITION = w(membership());

// The guide's examples, verbatim apart from the markers.
const DOC_UPDATE_COLUMBUS = `{
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
"type": ⟦"profile-attribute"⟧,
"field": "location['city']",
"filter": {
"type": "string",
"operator": "equals",
"value": "Columbus"
}
},
{
"type": "profile-postal-code-distance",
"unit": "miles",
"filter": {
"type": "numeric",
"operator": "less-than",
"value": 20
},
"postal_code": "43004",
"country_code": "USA"
}
]
},
{
"conditions": [
{
"type": "profile-group-membership",
"is_member": true,
"group_ids": [
"YzykDM"
],
"timeframe_filter": null
}
]
}
]
}
}
}
}
`;
const DOC_DOUBLE_OPT_IN = (open: string, close: string): string => `${open}{${close}
"type": "profile-marketing-consent",
"consent": {
"channel": "email",
"can_receive_marketing": true,
"consent_status": {
"subscription": "subscribed",
"filters": [
{
"field": ⟦"is_double_optin"⟧,
"filter": {
"type": "boolean",
"operator": "equals",
"value": true
}
}
]
}
}
}
`;
const DOC_SMS_CAN_RECEIVE = `⟦{⟧
"type": "profile-marketing-consent",
"consent": {
"channel": "sms",
"can_receive_marketing": true,
"consent_status": {
"subscription": ⟦"any"⟧
}
}
}
`;
const DOC_METRIC_OVER_200 = `⟦{⟧
"type": "profile-metric",
"metric_id": "S4SFhi",
"measurement": "count",
"measurement_filter": {
"type": "numeric",
"operator": "greater-than",
"value": 200⟦,⟧
},
"timeframe_filter": {
"type": "date",
"operator": "after",
⟦"value"⟧: "2017-04-01T00:00:00"⟦,⟧
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
const DOC_REGION_EU = `⟦{⟧
"type": "profile-region",
"in_region": true,
⟦"region_id"⟧: "european_union"
}
`;
const DOC_MEMBERSHIP_10_DAYS = `⟦{⟧
"type": "profile-group-membership",
"is_member": true,
"group_ids": [
"G2B2C2"
],
"timeframe_filter": {
"type": "date",
"operator": "in-the-last",
"quantity": 10,
"unit": "day"
}
}
`;
const DOC_PROPERTY_HOTMAIL = `⟦{⟧
"type": "profile-property",
"property": "email",
"filter": {
"type": "string",
"operator": "ends-with",
"value": "@hotmail.com"
}
}
`;

const many = (n: number, item: (i: number) => string): string => Array.from({ length: n }, (_, i) => item(i)).join(',');

// ---------------------------------------------------------------------------------------------
// The cases

const cases: InvalidCase[] = [
  // --- Klaviyo's guide examples that are invalid at 2026-07-15 ------------------------------
  { name: 'doc update-columbus-postal: profile-attribute', text: DOC_UPDATE_COLUMBUS, expect: [err('legacy-profile-attribute', /"profile-property"/)] },
  {
    name: 'doc email-double-opt-in (single condition): is_double_optin',
    text: DOC_DOUBLE_OPT_IN(OPEN, CLOSE),
    expect: [err('single-condition', /single condition/), err('legacy-double-optin', /"is_double_opt_in"/)],
  },
  { name: 'doc email-double-opt-in wrapped: is_double_optin', text: w(DOC_DOUBLE_OPT_IN('', '')), expect: [err('legacy-double-optin', /"is_double_opt_in"/)] },
  {
    name: 'doc sms-can-receive: SMS can-receive only allows subscribed',
    text: DOC_SMS_CAN_RECEIVE,
    expect: [err('single-condition', /condition_groups/), err('invalid-value', /"subscribed"/)],
  },
  {
    name: 'doc metric-over-200: trailing commas, value instead of date, no UTC offset',
    text: DOC_METRIC_OVER_200,
    expect: [
      err('single-condition', /single condition/),
      err('json-trailing-comma', /[Tt]railing comma/),
      err('legacy-static-date-value', /"date".*UTC offset/),
      err('json-trailing-comma', /[Tt]railing comma/),
    ],
  },
  { name: 'doc region-eu: region_id', text: DOC_REGION_EU, expect: [err('single-condition', /single condition/), err('legacy-region-id', /"region"/)] },
  { name: 'doc membership-in-last-10-days as a file: single condition', text: DOC_MEMBERSHIP_10_DAYS, expect: [err('single-condition', /condition_groups/)] },
  { name: 'doc property-hotmail as a file: single condition', text: DOC_PROPERTY_HOTMAIL, expect: [err('single-condition', /condition_groups/)] },

  // --- Wrong discriminators --------------------------------------------------------------------
  {
    name: 'condition type typo "profile-propery"',
    text: w('{"type":⟦"profile-propery"⟧,"property":"email","filter":{"type":"existence","operator":"is-set"}}'),
    expect: [err('unknown-condition-type', /Did you mean "profile-property"\?/)],
  },
  {
    name: 'condition type typo "profile-metrics"',
    text: w(`{"type":⟦"profile-metrics"⟧,"metric_id":"S4SFhi","measurement":"count",${MF},${ALLTIME}}`),
    expect: [err('unknown-condition-type', /Did you mean "profile-metric"\?/)],
  },
  {
    name: 'flow-only condition type "profile-not-in-flow"',
    text: w('{"type":⟦"profile-not-in-flow"⟧,"flow_id":"X"}'),
    expect: [err('unknown-condition-type', /"profile-not-in-flow"/)],
  },
  {
    name: 'metric timeframe operator "in-the-past"',
    text: w(metric('"timeframe_filter":{"type":"date","operator":⟦"in-the-past"⟧,"unit":"day","quantity":3}')),
    expect: [err('unknown-operator', /Did you mean "in-the-last"\?/)],
  },
  {
    name: 'metric timeframe operator "not-in-the-last" (community payloads)',
    text: w(metric('"timeframe_filter":{"type":"date","operator":⟦"not-in-the-last"⟧,"unit":"day","quantity":3}')),
    expect: [err('unknown-operator', /"not-in-the-last"/)],
  },
  {
    name: 'metric timeframe "calendar-month" not allowed',
    text: w(metric('"timeframe_filter":{"type":"date","operator":⟦"calendar-month"⟧,"value":3}')),
    expect: [err('unknown-operator', /"calendar-month".*metric timeframe/)],
  },
  {
    name: 'metric timeframe "anniversary-month" not allowed',
    text: w(metric('"timeframe_filter":{"type":"date","operator":⟦"anniversary-month"⟧}')),
    expect: [err('unknown-operator', /"anniversary-month"/)],
  },
  {
    name: 'list timeframe "alltime" not allowed',
    text: w(membership('"group_ids":["Y6nRLr"],"timeframe_filter":{"type":"date","operator":⟦"alltime"⟧}')),
    expect: [err('unknown-operator', /"alltime".*list/)],
  },
  {
    name: 'list timeframe "anniversary-last" not allowed',
    text: w(membership('"group_ids":["Y6nRLr"],"timeframe_filter":{"type":"date","operator":⟦"anniversary-last"⟧,"unit":"day","quantity":3}')),
    expect: [err('unknown-operator', /"anniversary-last"/)],
  },
  {
    name: 'funnel timeframe "anniversary" not allowed',
    text: w(funnel(`"timeframe_filter":{"type":"date","operator":⟦"anniversary"⟧},${STEPS}`)),
    expect: [err('unknown-operator', /"anniversary".*funnel/)],
  },
  {
    name: 'funnel timeframe "before" not allowed',
    text: w(funnel(`"timeframe_filter":{"type":"date","operator":⟦"before"⟧,"date":"2026-01-01T00:00:00Z"},${STEPS}`)),
    expect: [err('unknown-operator', /"before"/)],
  },
  {
    name: 'funnel timeframe "alltime" not allowed',
    text: w(funnel(`"timeframe_filter":{"type":"date","operator":⟦"alltime"⟧},${STEPS}`)),
    expect: [err('unknown-operator', /"alltime"/)],
  },
  {
    name: 'custom object date "calendar-month" not allowed',
    text: w(customObject('{"property_id":1,"filter":{"type":"date","operator":⟦"calendar-month"⟧,"value":3}}')),
    expect: [err('unknown-operator', /"calendar-month"/)],
  },
  {
    name: 'suppression field "bounce"',
    text: w(
      consent(
        '{"channel":"email","can_receive_marketing":false,"consent_status":{"subscription":"any","filters":[{"field":⟦"bounce"⟧,"filter":{"type":"existence","operator":"is-set"}}]}}',
      ),
    ),
    expect: [err('invalid-value', /Did you mean "bounce_date"\?/)],
  },
  {
    name: 'status date "alltime" not allowed',
    text: w(emailSubscribed('{"field":"status_date","filter":{"type":"date","operator":⟦"alltime"⟧}}')),
    expect: [err('unknown-operator', /"alltime"/)],
  },
  {
    name: 'property numeric operator "greater"',
    text: w(property('{"type":"numeric","operator":⟦"greater"⟧,"value":3}', `"properties['Orders']"`)),
    expect: [err('unknown-operator', /Did you mean "greater-than"\?/)],
  },
  {
    name: 'property filter type "text"',
    text: w(property('{"type":⟦"text"⟧,"operator":"equals","value":"a"}')),
    expect: [err('invalid-value', /"text".*"string"/)],
  },
  {
    name: 'property list "contains-any" is event-only',
    text: w(property('{"type":"list","operator":⟦"contains-any"⟧,"value":["a"]}', `"properties['Tags']"`)),
    expect: [err('unknown-operator', /"contains-any"/)],
  },
  {
    name: 'event property filter type "date" (no dates on event properties)',
    text: w(metric(`${ALLTIME},"metric_filters":[{"property":"Date","filter":{"type":⟦"date"⟧,"operator":"before","date":"2026-01-01T00:00:00Z"}}]`)),
    expect: [err('invalid-value', /"date"/)],
  },
  {
    name: 'event property filter "phone-country-code-in" not allowed',
    text: w(metric(`${ALLTIME},"metric_filters":[{"property":"Phone","filter":{"type":"string","operator":⟦"phone-country-code-in"⟧,"value":["US"]}}]`)),
    expect: [err('unknown-operator', /"phone-country-code-in"/)],
  },
  {
    name: 'measurement_filter operator "between"',
    text: w(
      `{"type":"profile-metric","metric_id":"S4SFhi","measurement":"count","measurement_filter":{"type":"numeric","operator":⟦"between"⟧,"start":1,"end":3},${ALLTIME}}`,
    ),
    expect: [err('unknown-operator', /"between"/)],
  },
  {
    name: 'postal distance operator "equals"',
    text: w(postal('"USA"', '{"type":"numeric","operator":⟦"equals"⟧,"value":10}')),
    expect: [err('unknown-operator', /"greater-than" or "less-than"/)],
  },
  {
    name: 'predicted gender operator "contains"',
    text: w('{"type":"profile-predictive-analytics","dimension":"predicted_gender","filter":{"type":"string","operator":⟦"contains"⟧,"value":"likely_male"}}'),
    expect: [err('unknown-operator', /"contains"/)],
  },
  {
    name: 'suppression date existence "not-set" (is-set only)',
    text: w(
      consent(
        '{"channel":"email","can_receive_marketing":false,"consent_status":{"subscription":"any","filters":[{"field":"bounce_date","filter":{"type":"existence","operator":⟦"not-set"⟧}}]}}',
      ),
    ),
    expect: [err('unknown-operator', /"not-set"/)],
  },
  {
    name: 'predictive dimension typo',
    text: w('{"type":"profile-predictive-analytics","dimension":⟦"predicted_gendr"⟧,"filter":{"type":"string","operator":"equals","value":"likely_male"}}'),
    expect: [err('invalid-value', /Did you mean "predicted_gender"\?/)],
  },
  {
    name: 'channel affinity measurement "score"',
    text: w(
      '{"type":"profile-predictive-analytics","dimension":"channel_affinity","measurement":⟦"score"⟧,"predicted_channel":"sms","filter":{"type":"numeric","operator":"equals","value":1}}',
    ),
    expect: [err('invalid-value', /"priority" or "rank"/)],
  },
  {
    name: 'consent channel "whatsapp"',
    text: w(consent('{"channel":⟦"whatsapp"⟧,"can_receive_marketing":true,"consent_status":{"subscription":"any"}}')),
    expect: [err('invalid-value', /"email", "sms" or "push"/)],
  },
  {
    name: 'email can-receive subscription "unsubscribed"',
    text: w(consent('{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":⟦"unsubscribed"⟧}}')),
    expect: [err('invalid-value', /"unsubscribed"/)],
  },
  {
    name: 'push can-receive subscription "subscribed"',
    text: w(consent('{"channel":"push","can_receive_marketing":true,"consent_status":{"subscription":⟦"subscribed"⟧}}')),
    expect: [err('invalid-value', /"any"/)],
  },
  {
    name: 'sms cannot-receive subscription "subscribed"',
    text: w(consent('{"channel":"sms","can_receive_marketing":false,"consent_status":{"subscription":⟦"subscribed"⟧}}')),
    expect: [err('invalid-value', /"subscribed"/)],
  },
  {
    name: 'email subscribed filter field "status"',
    text: w(emailSubscribed('{"field":⟦"status"⟧,"filter":' + LAST30 + '}')),
    expect: [err('invalid-value', /Did you mean "status_date"\?/)],
  },
  {
    name: 'email subscribed filter field "is_rcs_capable" (SMS only)',
    text: w(emailSubscribed('{"field":⟦"is_rcs_capable"⟧,"filter":{"type":"boolean","operator":"equals","value":true}}')),
    expect: [err('invalid-value', /"is_rcs_capable"/)],
  },
  { name: 'email subscribed method "popup"', text: w(emailSubscribed('{"field":"method","method":⟦"popup"⟧}')), expect: [err('invalid-value', /"popup"/)] },
  {
    name: 'email subscribed method "spam_complaint" (unsubscribe method)',
    text: w(emailSubscribed('{"field":"method","method":⟦"spam_complaint"⟧}')),
    expect: [err('invalid-value', /"spam_complaint"/)],
  },
  {
    name: 'email subscribed integration "constant_contact" (shopify only)',
    text: w(emailSubscribed('{"field":"method","method":"integration","filter":{"type":"string","operator":"in","value":[⟦"constant_contact"⟧]}}')),
    expect: [err('invalid-value', /"shopify"/)],
  },
  {
    name: 'sms unsubscribed with a bounce_date filter (email only)',
    text: w(
      consent(
        '{"channel":"sms","can_receive_marketing":false,"consent_status":{"subscription":"unsubscribed","filters":[{"field":⟦"bounce_date"⟧,"filter":{"type":"existence","operator":"is-set"}}]}}',
      ),
    ),
    expect: [err('invalid-value', /"bounce_date"/)],
  },
  {
    name: 'permissions reachable_status "reachable"',
    text: w(permissions('{"reachable_status":⟦"reachable"⟧}')),
    expect: [err('invalid-value', /"reachable"/)],
  },
  {
    name: 'permissions filter field "date"',
    text: w(permissions('{"reachable_status":"explicitly_reachable","filters":[{"field":⟦"date"⟧,"filter":' + LAST30 + '}]}')),
    expect: [err('invalid-value', /"effective_date"/)],
  },
  {
    name: 'permissions subscribe_method "email"',
    text: w(permissions('{"reachable_status":"explicitly_reachable","filters":[{"field":"subscribe_method","method":⟦"email"⟧}]}')),
    expect: [err('invalid-value', /"email"/)],
  },

  // --- Missing required keys -------------------------------------------------------------------
  { name: 'missing condition_groups in an empty object', text: '⟦{⟧}', expect: [err('not-a-segment', /condition_groups/)] },
  {
    name: 'missing condition_groups in a create body definition',
    text: '{"data":{"type":"segment","attributes":{"name":"n",⟦"definition"⟧:{}}}}',
    expect: [err('missing-property', /"condition_groups"/)],
  },
  { name: 'missing conditions in a group', text: '{"condition_groups":[⟦{⟧}]}', expect: [err('missing-property', /"conditions"/)] },
  {
    name: 'missing conditions, misspelt "condition"',
    text: '{"condition_groups":[⟦{⟧⟦"condition"⟧:[]}]}',
    expect: [err('missing-property', /"conditions"/), warn('unknown-property', /Did you mean "conditions"\?/)],
  },
  {
    name: 'missing condition type',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"is_member":true,"group_ids":["X"]}]}]}',
    expect: [err('missing-property', /"type"/)],
  },
  {
    name: 'missing metric_id',
    text: `{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-metric","measurement":"count",${MF},${ALLTIME}}]}]}`,
    expect: [err('missing-property', /"metric_id"/)],
  },
  {
    name: 'missing measurement',
    text: `{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-metric","metric_id":"S4SFhi",${MF},${ALLTIME}}]}]}`,
    expect: [err('missing-property', /"measurement".*"count" or "sum"/)],
  },
  {
    name: 'missing measurement_filter',
    text: `{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${ALLTIME}}]}]}`,
    expect: [err('missing-property', /"measurement_filter"/)],
  },
  {
    name: 'missing timeframe_filter on a metric',
    text: `{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${MF}}]}]}`,
    expect: [err('missing-property', /"timeframe_filter"/)],
  },
  {
    name: 'metricId (camelCase) for metric_id',
    text: w(`{"type":"profile-metric",⟦"metricId"⟧:"S4SFhi","measurement":"count",${MF},${ALLTIME}}`),
    expect: [err('legacy-camel-case', /"metric_id"/)],
  },
  {
    name: 'missing consent',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-marketing-consent"}]}]}',
    expect: [err('missing-property', /"consent"/)],
  },
  {
    name: 'missing consent_status',
    text: w(`{"type":"profile-marketing-consent",⟦"consent"⟧:{"channel":"email","can_receive_marketing":true}}`),
    expect: [err('missing-property', /"consent_status"/)],
  },
  {
    name: 'missing channel',
    text: w(`{"type":"profile-marketing-consent",⟦"consent"⟧:{"can_receive_marketing":true,"consent_status":{"subscription":"any"}}}`),
    expect: [err('missing-property', /"channel"/)],
  },
  {
    name: 'missing can_receive_marketing',
    text: w(`{"type":"profile-marketing-consent",⟦"consent"⟧:{"channel":"email","consent_status":{"subscription":"any"}}}`),
    expect: [err('missing-property', /"can_receive_marketing"/)],
  },
  {
    name: 'missing subscription',
    text: w(consent(`{"channel":"email","can_receive_marketing":true,⟦"consent_status"⟧:{}}`)),
    expect: [err('missing-property', /"subscription"/)],
  },
  {
    name: 'missing filters on email cannot-receive never_subscribed',
    text: w(consent(`{"channel":"email","can_receive_marketing":false,⟦"consent_status"⟧:{"subscription":"never_subscribed"}}`)),
    expect: [err('missing-property', /"filters"/)],
  },
  {
    name: 'missing filter on a shopify integration method',
    text: w(emailSubscribed('⟦{⟧"field":"method","method":"integration"}')),
    expect: [err('missing-property', /"filter"/)],
  },
  {
    name: 'missing filter on a profile-property condition',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-property","property":"email"}]}]}',
    expect: [err('missing-property', /"filter"/)],
  },
  {
    name: 'missing property on a profile-property condition',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-property","filter":{"type":"existence","operator":"is-set"}}]}]}',
    expect: [err('missing-property', /"property"/)],
  },
  {
    name: 'missing value on a string filter',
    text: w('{"type":"profile-property","property":"email",⟦"filter"⟧:{"type":"string","operator":"equals"}}'),
    expect: [err('missing-property', /"value"/)],
  },
  {
    name: 'missing operator on a filter',
    text: w('{"type":"profile-property","property":"email",⟦"filter"⟧:{"type":"string","value":"a"}}'),
    expect: [err('missing-property', /"operator"/)],
  },
  {
    name: 'missing type on a filter',
    text: w('{"type":"profile-property","property":"email",⟦"filter"⟧:{"operator":"equals","value":"a"}}'),
    expect: [err('missing-property', /"type"/)],
  },
  {
    name: 'missing date on a static date filter',
    text: w(metric('⟦"timeframe_filter"⟧:{"type":"date","operator":"after"}')),
    expect: [err('missing-property', /"date"/)],
  },
  {
    name: 'missing unit on a relative date filter',
    text: w(metric('⟦"timeframe_filter"⟧:{"type":"date","operator":"in-the-last","quantity":30}')),
    expect: [err('missing-property', /"unit".*"hour", "day" or "week"/)],
  },
  {
    name: 'missing quantity on a relative date filter',
    text: w(metric('⟦"timeframe_filter"⟧:{"type":"date","operator":"in-the-last","unit":"day"}')),
    expect: [err('missing-property', /"quantity"/)],
  },
  {
    name: 'missing start on a relative date range',
    text: w(property('{"type":"date","operator":"between","end":60,"unit":"day"}', '"created"').replace('"filter":', '⟦"filter"⟧:')),
    expect: [err('missing-property', /"start"/)],
  },
  {
    name: 'missing value on calendar-month',
    text: w(property('{"type":"date","operator":"calendar-month"}', `"properties['Birthday']"`).replace('"filter":', '⟦"filter"⟧:')),
    expect: [err('missing-property', /"value"/)],
  },
  {
    name: 'missing steps on a funnel',
    text: `{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-metric-funnel","timeframe_filter":${LAST30}}]}]}`,
    expect: [err('missing-property', /"steps"/)],
  },
  {
    name: 'missing timeframe_filter on a funnel',
    text: `{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-metric-funnel",${STEPS}}]}]}`,
    expect: [err('missing-property', /"timeframe_filter"/)],
  },
  {
    name: 'missing metric_exists on a funnel step',
    text: w(funnel(`"timeframe_filter":${LAST30},"steps":[{"metric_exists":true,"metric_id":"A"},⟦{⟧"metric_id":"B"}]`)),
    expect: [err('missing-property', /"metric_exists"/)],
  },
  {
    name: 'missing metric_id on a funnel step',
    text: w(funnel(`"timeframe_filter":${LAST30},"steps":[⟦{⟧"metric_exists":true}]`)),
    expect: [err('missing-property', /"metric_id"/)],
  },
  {
    name: 'missing group_ids',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-group-membership","is_member":true}]}]}',
    expect: [err('missing-property', /"group_ids"/)],
  },
  {
    name: 'missing is_member',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-group-membership","group_ids":["X"]}]}]}',
    expect: [err('missing-property', /"is_member"/)],
  },
  {
    name: 'missing region',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-region","in_region":true}]}]}',
    expect: [err('missing-property', /"region".*"european_union" or "united_states"/)],
  },
  {
    name: 'missing in_region',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-region","region":"united_states"}]}]}',
    expect: [err('missing-property', /"in_region"/)],
  },
  {
    name: 'missing country_code on a postal distance',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-postal-code-distance","postal_code":"02141","unit":"miles","filter":{"type":"numeric","operator":"less-than","value":10}}]}]}',
    expect: [err('missing-property', /"country_code"/)],
  },
  {
    name: 'missing dimension on a predictive condition',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-predictive-analytics","filter":{"type":"numeric","operator":"equals","value":1}}]}]}',
    expect: [err('missing-property', /"dimension"/)],
  },
  {
    name: 'missing predicted_channel on channel affinity',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-predictive-analytics","dimension":"channel_affinity","measurement":"priority","filter":{"type":"numeric","operator":"equals","value":1}}]}]}',
    expect: [err('missing-property', /"predicted_channel"/)],
  },
  {
    name: 'missing filters on a custom object condition',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-has-custom-object","object_type_id":"A","object_type_relationship_id":"B","filter":{"type":"numeric","operator":"equals","value":0}}]}]}',
    expect: [err('missing-property', /"filters"/)],
  },
  {
    name: 'missing property_id on a custom object filter',
    text: w(customObject('⟦{⟧"filter":{"type":"existence","operator":"is-set"}}')),
    expect: [err('missing-property', /"property_id"/)],
  },
  { name: 'missing filter on a custom object filter', text: w(customObject('⟦{⟧"property_id":3}')), expect: [err('missing-property', /"filter"/)] },
  {
    name: 'missing filters on explicitly_reachable',
    text: w(permissions('{"reachable_status":"explicitly_reachable"}').replace('"permission":', '⟦"permission"⟧:')),
    expect: [err('missing-property', /"filters"/)],
  },
  {
    name: 'missing channel on profile-permissions',
    text: '{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-permissions","permission":{"reachable_status":"implicitly_reachable"}}]}]}',
    expect: [err('missing-property', /"channel"/)],
  },
  {
    name: 'missing property on an event property filter',
    text: w(metric(`${ALLTIME},"metric_filters":[⟦{⟧"filter":{"type":"existence","operator":"is-set"}}]`)),
    expect: [err('missing-property', /"property"/)],
  },
  {
    name: 'create body missing name',
    text: `{"data":{"type":"segment",⟦"attributes"⟧:{"definition":${DEFINITION}}}}`,
    expect: [err('missing-property', /"name"/)],
  },
  { name: 'create body missing type', text: `{⟦"data"⟧:{"attributes":{"name":"n","definition":${DEFINITION}}}}`, expect: [err('missing-property', /"type"/)] },
  { name: 'update body missing attributes', text: '{⟦"data"⟧:{"type":"segment","id":"UUvyMc"}}', expect: [err('missing-property', /"attributes"/)] },
  {
    name: 'resource missing type',
    text: `⟦{⟧"id":"UUvyMc","attributes":{"definition":${DEFINITION},"is_active":true,"is_processing":false,"is_starred":false}}`,
    expect: [err('missing-property', /"type"/)],
  },
  {
    name: 'resource missing is_processing (required in the response schema)',
    text: `{"type":"segment","id":"UUvyMc",⟦"attributes"⟧:{"definition":${DEFINITION},"is_active":true,"is_starred":false}}`,
    expect: [err('missing-property', /"is_processing"/)],
  },

  // --- Wrong types ------------------------------------------------------------------------------
  {
    name: 'quantity "30" (text)',
    text: w(metric('"timeframe_filter":{"type":"date","operator":"in-the-last","unit":"day","quantity":⟦"30"⟧}')),
    expect: [err('wrong-type', /whole number.*"30"/)],
  },
  {
    name: 'numeric value "200" (text)',
    text: w(
      `{"type":"profile-metric","metric_id":"S4SFhi","measurement":"sum","measurement_filter":{"type":"numeric","operator":"greater-than","value":⟦"200"⟧},${ALLTIME}}`,
    ),
    expect: [err('wrong-type', /number.*"200"/)],
  },
  { name: 'group_ids as a string', text: w(membership('"group_ids":⟦"Y6nRLr"⟧')), expect: [err('wrong-type', /array/)] },
  { name: 'group_ids item a number', text: w(membership('"group_ids":[⟦123⟧]')), expect: [err('wrong-type', /text/)] },
  {
    name: 'is_member "true" (text)',
    text: w('{"type":"profile-group-membership","is_member":⟦"true"⟧,"group_ids":["Y6nRLr"]}'),
    expect: [err('wrong-type', /true or false/)],
  },
  {
    name: 'conditions as an object',
    text: '{"condition_groups":[{"conditions":⟦{"type":"profile-region","in_region":true,"region":"european_union"}⟧}]}',
    expect: [err('wrong-type', /array/)],
  },
  { name: 'condition_groups as an object', text: '{"condition_groups":⟦{"conditions":[]}⟧}', expect: [err('wrong-type', /array/)] },
  { name: 'a condition written as a string', text: '{"condition_groups":[{"conditions":[⟦"profile-region"⟧]}]}', expect: [err('wrong-type', /object/)] },
  {
    name: 'metric_id a number',
    text: w(`{"type":"profile-metric","metric_id":⟦12345⟧,"measurement":"count",${MF},${ALLTIME}}`),
    expect: [err('wrong-type', /text/)],
  },
  {
    name: 'steps as an object',
    text: w(funnel(`"timeframe_filter":${LAST30},"steps":⟦{"metric_exists":true,"metric_id":"A"}⟧`)),
    expect: [err('wrong-type', /array/)],
  },
  {
    name: 'metric_exists "yes"',
    text: w(funnel(`"timeframe_filter":${LAST30},"steps":[{"metric_exists":⟦"yes"⟧,"metric_id":"A"}]`)),
    expect: [err('wrong-type', /true or false/)],
    absent: ['funnel-without-positive-step'],
  },
  { name: 'in_region "yes"', text: w('{"type":"profile-region","in_region":⟦"yes"⟧,"region":"european_union"}'), expect: [err('wrong-type', /true or false/)] },
  {
    name: 'boolean filter value "true" (text)',
    text: w(property('{"type":"boolean","operator":"equals","value":⟦"true"⟧}', `"properties['VIP']"`)),
    expect: [err('wrong-type', /true or false/)],
  },
  {
    name: 'calendar-month value 1.5',
    text: w(property('{"type":"date","operator":"calendar-month","value":⟦1.5⟧}', `"properties['Birthday']"`)),
    expect: [err('wrong-type', /whole number/)],
  },
  {
    name: 'custom object property_id "3"',
    text: w(customObject('{"property_id":⟦"3"⟧,"filter":{"type":"existence","operator":"is-set"}}')),
    expect: [err('wrong-type', /whole number/)],
  },
  {
    name: 'relative range start "30"',
    text: w(property('{"type":"date","operator":"between","start":⟦"30"⟧,"end":60,"unit":"day"}', '"created"')),
    expect: [err('wrong-type', /whole number/)],
  },
  { name: 'metric_filters as an object', text: w(metric(`${ALLTIME},"metric_filters":⟦{"property":"country"}⟧`)), expect: [err('wrong-type', /array/)] },
  {
    name: 'string in-filter value as a string',
    text: w(property('{"type":"string","operator":"in","value":⟦"a@example.com"⟧}')),
    expect: [err('wrong-type', /array/)],
  },
  {
    name: 'list length value 1.5',
    text: w(property('{"type":"list","operator":"length-equals","value":⟦1.5⟧}', `"properties['Tags']"`)),
    expect: [err('wrong-type', /whole number/)],
  },
  {
    name: 'channel affinity priority value 1.5',
    text: w(
      '{"type":"profile-predictive-analytics","dimension":"channel_affinity","measurement":"priority","predicted_channel":"sms","filter":{"type":"numeric","operator":"equals","value":⟦1.5⟧}}',
    ),
    expect: [err('wrong-type', /whole number/)],
  },
  {
    name: 'custom object count value 0.5 (whole number)',
    text: w(customObject('', '{"type":"numeric","operator":"equals","value":⟦0.5⟧}')),
    expect: [err('wrong-type', /whole number/)],
  },
  {
    name: 'can_receive_marketing "true"',
    text: w(consent('{"channel":"email","can_receive_marketing":⟦"true"⟧,"consent_status":{"subscription":"any"}}')),
    expect: [err('wrong-type', /true or false/)],
  },
  {
    name: 'create body name a number',
    text: `{"data":{"type":"segment","attributes":{"name":⟦42⟧,"definition":${DEFINITION}}}}`,
    expect: [err('wrong-type', /text/)],
  },
  {
    name: 'create body is_starred "yes"',
    text: `{"data":{"type":"segment","attributes":{"name":"n","definition":${DEFINITION},"is_starred":⟦"yes"⟧}}}`,
    expect: [err('wrong-type', /true or false/)],
  },
  {
    name: 'metric timeframe_filter null (required, not nullable)',
    text: w(`{"type":"profile-metric","metric_id":"S4SFhi","measurement":"count",${MF},"timeframe_filter":⟦null⟧}`),
    expect: [err('wrong-type', /\bnull\b/)],
  },
  {
    name: 'numeric value null',
    text: w(property('{"type":"numeric","operator":"equals","value":⟦null⟧}', `"properties['Orders']"`)),
    expect: [err('wrong-type', /\bnull\b/)],
  },
  {
    name: 'postal distance value "10"',
    text: w(postal('"USA"', '{"type":"numeric","operator":"less-than","value":⟦"10"⟧}')),
    expect: [err('wrong-type', /number/)],
  },

  // --- Bad enum values ----------------------------------------------------------------------------
  {
    name: 'unit "days"',
    text: w(metric('"timeframe_filter":{"type":"date","operator":"in-the-last","unit":⟦"days"⟧,"quantity":30}')),
    expect: [err('invalid-value', /Did you mean "day"\?/)],
  },
  {
    name: 'unit "month" (no month unit)',
    text: w(metric('"timeframe_filter":{"type":"date","operator":"in-the-last","unit":⟦"month"⟧,"quantity":3}')),
    expect: [err('invalid-value', /"hour", "day" or "week"/)],
  },
  {
    name: 'measurement "total"',
    text: w(`{"type":"profile-metric","metric_id":"S4SFhi","measurement":⟦"total"⟧,${MF},${ALLTIME}}`),
    expect: [err('invalid-value', /"count" or "sum"/)],
  },
  { name: 'region "europe"', text: w('{"type":"profile-region","in_region":true,"region":⟦"europe"⟧}'), expect: [err('invalid-value', /"european_union"/)] },
  {
    name: 'completion_window_seconds 86400 (tokens, not seconds)',
    text: w(funnel(`"timeframe_filter":${LAST30},"completion_window_seconds":⟦86400⟧,${STEPS}`)),
    expect: [err('invalid-value', /"DAYS_1"/)],
  },
  {
    name: 'completion_window_seconds "DAYS_7"',
    text: w(funnel(`"timeframe_filter":${LAST30},"completion_window_seconds":⟦"DAYS_7"⟧,${STEPS}`)),
    expect: [err('invalid-value', /"DAYS_7".*"WEEKS_1"/)],
  },
  {
    name: 'predicted gender "female"',
    text: w('{"type":"profile-predictive-analytics","dimension":"predicted_gender","filter":{"type":"string","operator":"equals","value":⟦"female"⟧}}'),
    expect: [err('invalid-value', /"likely_female"/)],
  },
  {
    name: 'affinity rank "very-high"',
    text: w(
      '{"type":"profile-predictive-analytics","dimension":"channel_affinity","measurement":"rank","predicted_channel":"sms","filter":{"type":"string","operator":"equals","value":⟦"very-high"⟧}}',
    ),
    expect: [err('invalid-value', /"high", "medium" or "low"/)],
  },
  {
    name: 'predicted_channel "mail"',
    text: w(
      '{"type":"profile-predictive-analytics","dimension":"channel_affinity","measurement":"rank","predicted_channel":⟦"mail"⟧,"filter":{"type":"string","operator":"equals","value":"high"}}',
    ),
    expect: [err('invalid-value', /Did you mean "email"\?/)],
  },
  { name: 'postal unit "km"', text: w(postal('"USA"', undefined, '⟦"km"⟧')), expect: [err('invalid-value', /"kilometers"/)] },
  {
    name: 'permissions channel "whatsapp"',
    text: w(permissions('{"reachable_status":"implicitly_reachable"}', '⟦"whatsapp"⟧')),
    expect: [err('invalid-value', /"whatsapp_marketing"/)],
  },
  {
    name: 'create body type "segments"',
    text: `{"data":{"type":⟦"segments"⟧,"attributes":{"name":"n","definition":${DEFINITION}}}}`,
    expect: [err('invalid-value', /"segment"/)],
  },

  // --- Date-times ---------------------------------------------------------------------------------
  {
    name: 'date "2024-01-01" (no time, no offset)',
    text: w(property('{"type":"date","operator":"before","date":⟦"2024-01-01"⟧}', '"created"')),
    expect: [err('invalid-date-time', /no time or offset/)],
  },
  {
    name: 'date "yesterday"',
    text: w(property('{"type":"date","operator":"after","date":⟦"yesterday"⟧}', '"created"')),
    expect: [err('invalid-date-time', /ISO 8601/)],
  },
  {
    name: 'date "2024-01-01T00:00:00" (no offset)',
    text: w(metric('"timeframe_filter":{"type":"date","operator":"after","date":⟦"2024-01-01T00:00:00"⟧}')),
    expect: [err('invalid-date-time', /no offset/)],
  },
  {
    name: 'between-static end month 13',
    text: w(property('{"type":"date","operator":"between-static","start":"2024-01-01T00:00:00Z","end":⟦"2024-13-01T00:00:00Z"⟧}', '"created"')),
    expect: [err('invalid-date-time', /date-time/)],
  },
  {
    name: 'resource created "last week" (format date-time in the spec)',
    text: `{"type":"segment","id":"UUvyMc","attributes":{"definition":${DEFINITION},"created":⟦"last week"⟧,"is_active":true,"is_processing":false,"is_starred":false}}`,
    expect: [err('invalid-date-time', /date-time/)],
  },

  // --- Unknown keys (warnings) ------------------------------------------------------------------
  {
    name: 'timeframe_filter on is_member:false',
    text: w(`{"type":"profile-group-membership","is_member":false,"group_ids":["Y6nRLr"],⟦"timeframe_filter"⟧:${LAST30}}`),
    expect: [warn('unknown-property', /"timeframe_filter"/)],
  },
  {
    name: 'extra key in a filter',
    text: w(property('{"type":"string","operator":"equals","value":"a",⟦"case_sensitive"⟧:false}')),
    expect: [warn('unknown-property', /"case_sensitive"/)],
  },
  {
    name: 'extra key in a bare definition',
    text: `{⟦"name"⟧:"Engaged","condition_groups":[{"conditions":[${membership()}]}]}`,
    expect: [warn('unknown-property', /"name"/)],
  },
  {
    name: 'extra key in a condition group',
    text: `{"condition_groups":[{⟦"operator"⟧:"and","conditions":[${membership()}]}]}`,
    expect: [warn('unknown-property', /"operator"/)],
  },
  {
    name: 'metric_idd typo: missing metric_id and an unknown key',
    text: `{"condition_groups":[{"conditions":[⟦{⟧"type":"profile-metric",⟦"metric_idd"⟧:"S4SFhi","measurement":"count",${MF},${ALLTIME}}]}]}`,
    expect: [err('missing-property', /"metric_id"/), warn('unknown-property', /Did you mean "metric_id"\?/)],
  },
  {
    name: 'filters on push cannot-receive',
    text: w(consent('{"channel":"push","can_receive_marketing":false,"consent_status":{"subscription":"any",⟦"filters"⟧:[]}}')),
    expect: [warn('unknown-property', /"filters"/)],
  },
  {
    name: 'filters on sms cannot-receive any',
    text: w(consent('{"channel":"sms","can_receive_marketing":false,"consent_status":{"subscription":"any",⟦"filters"⟧:null}}')),
    expect: [warn('unknown-property', /"filters"/)],
  },
  {
    name: '"filter" for "filters" on a consent status',
    text: w(consent('{"channel":"email","can_receive_marketing":true,"consent_status":{"subscription":"subscribed",⟦"filter"⟧:[]}}')),
    expect: [warn('unknown-property', /Did you mean "filters"\?/)],
  },
  {
    name: 'unknown attribute in a create body',
    text: `{"data":{"type":"segment","attributes":{"name":"n",⟦"description"⟧:"x","definition":${DEFINITION}}}}`,
    expect: [warn('unknown-property', /"description"/)],
  },
  {
    name: '"value" on a relative date filter',
    text: w(metric('"timeframe_filter":{"type":"date","operator":"in-the-last","unit":"day","quantity":30,⟦"value"⟧:30}')),
    expect: [warn('unknown-property', /"value"/)],
  },
  {
    name: 'measurement on a numeric prediction',
    text: w(
      '{"type":"profile-predictive-analytics","dimension":"average_order_value",⟦"measurement"⟧:"rank","filter":{"type":"numeric","operator":"greater-than","value":100}}',
    ),
    expect: [warn('unknown-property', /"measurement"/)],
  },

  // --- Rules JSON Schema cannot express -----------------------------------------------------------
  { name: 'group_ids with 2 IDs', text: w(membership('"group_ids":⟦["Y6nRLr","Xk2Lp9"]⟧')), expect: [err('group-ids-count', /exactly one/)] },
  { name: 'group_ids empty', text: w(membership('"group_ids":⟦[]⟧')), expect: [err('group-ids-count', /exactly one/)] },
  {
    name: '101 conditions',
    text: `{⟦"condition_groups"⟧:[{"conditions":[${many(101, (i) => `{"type":"profile-group-membership","is_member":true,"group_ids":["L${i}"]}`)}]}]}`,
    expect: [err('too-many-conditions', /101.*100/)],
  },
  {
    name: '101 conditions across groups',
    text: `{⟦"condition_groups"⟧:[{"conditions":[${many(60, (i) => `{"type":"profile-group-membership","is_member":true,"group_ids":["L${i}"]}`)}]},{"conditions":[${many(41, (i) => `{"type":"profile-region","in_region":${i % 2 === 0},"region":"united_states"}`)}]}]}`,
    expect: [err('too-many-conditions', /101/)],
  },
  {
    name: '11 metric filters',
    text: w(metric(`${ALLTIME},"metric_filters":⟦[${many(11, (i) => `{"property":"p${i}"}`)}]⟧`)),
    expect: [err('too-many-metric-filters', /11.*10/)],
  },
  {
    name: '6 funnel steps',
    text: w(funnel(`"timeframe_filter":${LAST30},"steps":⟦[${many(6, (i) => `{"metric_exists":true,"metric_id":"M${i}"}`)}]⟧`)),
    expect: [err('too-many-funnel-steps', /6.*5/)],
  },
  {
    name: '11 filters on a funnel step',
    text: w(
      funnel(`"timeframe_filter":${LAST30},"steps":[{"metric_exists":true,"metric_id":"M","metric_filters":⟦[${many(11, (i) => `{"property":"p${i}"}`)}]⟧}]`),
    ),
    expect: [err('too-many-funnel-filters', /11.*10/)],
  },
  {
    name: '6 custom object filters',
    text: w(
      customObject('').replace('"filters":[]', `"filters":⟦[${many(6, (i) => `{"property_id":${i},"filter":{"type":"existence","operator":"is-set"}}`)}]⟧`),
    ),
    expect: [err('too-many-custom-object-filters', /6.*5/)],
  },
  {
    name: 'is_active false with a name in an update body',
    text: '{"data":{"type":"segment","id":"UUvyMc","attributes":{"name":"Old","is_active":⟦false⟧}}}',
    expect: [err('deactivate-with-other-attributes', /only attribute|no other attribute/)],
  },
  {
    name: 'is_active false with a definition in an update body',
    text: `{"data":{"type":"segment","id":"UUvyMc","attributes":{"is_active":⟦false⟧,"definition":${DEFINITION}}}}`,
    expect: [err('deactivate-with-other-attributes', /no other attribute/)],
  },
  {
    name: 'reversed relative range',
    text: w(property('{"type":"date","operator":"between","start":⟦60,"end":30⟧,"unit":"day"}', '"created"')),
    expect: [warn('range-reversed', /empty/)],
  },
  {
    name: 'reversed static range',
    text: w(property('{"type":"date","operator":"between-static","start":⟦"2025-12-31T00:00:00Z","end":"2025-01-01T00:00:00Z"⟧}', '"created"')),
    expect: [warn('range-reversed', /before it starts/)],
  },
  {
    name: 'reversed numeric range',
    text: w(customObject('{"property_id":1,"filter":{"type":"numeric","operator":"between","start":⟦10,"end":1⟧}}')),
    expect: [warn('range-reversed', /empty/)],
  },
  {
    name: 'calendar-month 13',
    text: w(property('{"type":"date","operator":"calendar-month","value":⟦13⟧}', `"properties['Birthday']"`)),
    expect: [err('invalid-month', /1 \(January\) to 12 \(December\)/)],
  },
  {
    name: 'calendar-month 0',
    text: w(property('{"type":"date","operator":"calendar-month","value":⟦0⟧}', `"properties['Birthday']"`)),
    expect: [err('invalid-month', /Month 0/)],
  },
  { name: 'empty condition_groups', text: '{"condition_groups":⟦[]⟧}', expect: [warn('empty-condition-groups', /every profile/)] },
  {
    name: 'empty conditions',
    text: `{"condition_groups":[{"conditions":[${membership()}]},{"conditions":⟦[]⟧}]}`,
    expect: [warn('empty-conditions', /group 2/)],
  },
  { name: 'country_code "US" (alpha-2)', text: w(postal('⟦"US"⟧')), expect: [warn('country-code-alpha2', /"USA"/)] },
  { name: 'country_code "XYZ"', text: w(postal('⟦"XYZ"⟧')), expect: [warn('unknown-country-code', /"XYZ"/)] },
  {
    name: 'phone country code "USA" (alpha-3 where alpha-2 is expected)',
    text: w(property('{"type":"string","operator":"phone-country-code-in","value":["GB",⟦"USA"⟧]}', '"phone_number"')),
    expect: [warn('unknown-country-code', /alpha-2/)],
  },
  {
    name: 'property "emial"',
    text: w(property('{"type":"existence","operator":"is-set"}', '⟦"emial"⟧')),
    expect: [warn('unknown-profile-property', /Did you mean "email"\?/)],
  },
  {
    name: 'property "Favorite Color" (custom without properties[...])',
    text: w(property('{"type":"existence","operator":"is-set"}', '⟦"Favorite Color"⟧')),
    expect: [warn('unknown-profile-property', /properties\['Favorite Color'\]/)],
  },
  {
    name: 'malformed properties[Favorite]',
    text: w(property('{"type":"existence","operator":"is-set"}', '⟦"properties[Favorite]"⟧')),
    expect: [err('invalid-property-name', /properties\['Name'\]/)],
  },
  {
    name: "location['planet']",
    text: w(property('{"type":"existence","operator":"is-set"}', `⟦"location['planet']"⟧`)),
    expect: [err('invalid-property-name', /not a location field/)],
  },
  {
    name: "empty properties['']",
    text: w(property('{"type":"existence","operator":"is-set"}', `⟦"properties['']"⟧`)),
    expect: [err('invalid-property-name', /empty/)],
  },
  {
    name: 'quantity -3',
    text: w(metric('"timeframe_filter":{"type":"date","operator":"at-least","unit":"day","quantity":⟦-3⟧}')),
    expect: [warn('negative-quantity', /positive/)],
  },
  {
    name: 'distance -5',
    text: w(postal('"USA"', '{"type":"numeric","operator":"less-than","value":⟦-5⟧}')),
    expect: [warn('non-positive-distance', /positive/)],
  },
  {
    name: 'funnel whose steps all did not happen',
    text: w(funnel(`"timeframe_filter":${LAST30},"steps":⟦[{"metric_exists":false,"metric_id":"A"},{"metric_exists":false,"metric_id":"B"}]⟧`)),
    expect: [warn('funnel-without-positive-step', /at least one step/)],
  },

  // --- Syntax -------------------------------------------------------------------------------------
  {
    name: 'line comment',
    text: `{⟦// engaged people⟧\n"condition_groups":[{"conditions":[${membership()}]}]}`,
    expect: [err('json-comment', /Comments are not allowed/)],
  },
  {
    name: 'block comment',
    text: `{"condition_groups":[{"conditions":[⟦/* list */⟧${membership()}]}]}`,
    expect: [err('json-comment', /Comments are not allowed/)],
  },
  {
    name: 'trailing comma in an array',
    text: `{"condition_groups":[{"conditions":[${membership()}⟦,⟧]}]}`,
    expect: [err('json-trailing-comma', /[Tt]railing comma/)],
  },
  {
    name: 'trailing comma in an object',
    text: `{"condition_groups":[{"conditions":[${membership()}]}]⟦,⟧}`,
    expect: [err('json-trailing-comma', /[Tt]railing comma/)],
  },
  {
    name: 'missing comma between keys',
    text: '{"condition_groups":[{"conditions":[{"type":"profile-region","in_region":true ⟦"region"⟧:"united_states"}]}]}',
    expect: [err('json-syntax', /comma/)],
  },
  {
    name: 'unclosed string',
    text: '{"condition_groups":[{"conditions":[{"type":"profile-region","in_region":true,"region":⟦"united_states}]}]}⟧',
    expect: [err('json-syntax', /not closed/)],
  },
  {
    name: 'unquoted key',
    text: '{"condition_groups":[{⟦conditions⟧:[]}]}',
    expect: [err('json-syntax', /[Uu]nexpected|property name/)],
    absent: ['missing-property'],
  },
  {
    name: 'missing colon',
    text: '{"condition_groups" ⟦[⟧{"conditions":[{"type":"profile-region","in_region":true,"region":"united_states"}]}]}',
    expect: [err('json-syntax', /colon/)],
    absent: ['not-a-segment'],
  },
  { name: 'text after the root value', text: `${DEFINITION}⟦x⟧`, expect: [err('json-syntax', /./)] },
  { name: 'empty file', text: '⟦⟧', expect: [err('empty-file', /empty/)] },
  { name: 'whitespace-only file', text: '⟦⟧  \n\n', expect: [err('empty-file', /empty/)] },
  { name: 'comment-only file', text: '⟦// nothing yet⟧\n', expect: [err('json-comment', /Comments/)] },
  {
    name: 'a comment does not stop the schema checks',
    text: `{⟦// engaged⟧\n"condition_groups":[{"conditions":[${metric('"timeframe_filter":{"type":"date","operator":"in-the-last","unit":⟦"days"⟧,"quantity":30}')}]}]}`,
    expect: [err('json-comment', /Comments/), err('invalid-value', /Did you mean "day"\?/)],
  },
  {
    name: 'a missing comma does not stop the schema checks',
    text: `{"condition_groups":[{"conditions":[{"type":"profile-region","in_region":true ⟦"region"⟧:"united_states"},${metric('"timeframe_filter":{"type":"date","operator":"in-the-last","unit":"day","quantity":⟦"30"⟧}')}]}]}`,
    expect: [err('json-syntax', /comma/), err('wrong-type', /whole number/)],
  },
  {
    name: 'trailing commas and a legacy key are all reported',
    text: `{"condition_groups":[{"conditions":[{"type":"profile-region","in_region":true,⟦"region_id"⟧:"european_union"⟦,⟧}]}]}`,
    expect: [err('legacy-region-id', /"region"/), err('json-trailing-comma', /[Tt]railing comma/)],
  },
];

// ---------------------------------------------------------------------------------------------

function describeProblems(problems: readonly Problem[], text: string): string {
  return problems
    .map((p) => `  ${p.severity} ${p.code} at ${p.offset}+${p.length} ${JSON.stringify(text.slice(p.offset, p.offset + p.length)).slice(0, 80)}: ${p.message}`)
    .join('\n');
}

function matches(message: string, expected: RegExp | string): boolean {
  return typeof expected === 'string' ? message.includes(expected) : expected.test(message);
}

describe('schema: invalid segment files', function () {
  this.timeout(20000);
  let lang: SegmentLanguage;
  before(() => {
    lang = new SegmentLanguage();
  });

  it('has at least 80 cases with unique names', () => {
    assert.ok(cases.length >= 80, `only ${cases.length} cases`);
    const names = cases.map((c) => c.name);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  });

  for (const c of cases) {
    describe(c.name, () => {
      const { text, ranges } = stripMarkers(c.text);
      let problems: Problem[] = [];
      before(() => {
        assert.equal(ranges.length, c.expect.length, `${ranges.length} marked ranges for ${c.expect.length} expectations`);
        problems = lang.validate(lang.parse(text), c.options ?? {});
      });

      c.expect.forEach((e, i) => {
        it(`reports ${e.severity} ${e.code} at the marked range${c.expect.length > 1 ? ` #${i + 1}` : ''}`, () => {
          const range = ranges[i];
          const marked = JSON.stringify(text.slice(range.offset, range.offset + range.length));
          const withCode = problems.filter((p) => p.code === e.code);
          const at = withCode.filter((p) => p.offset === range.offset && p.length === range.length);
          assert.ok(at.length > 0, `expected ${e.code} at ${range.offset}+${range.length} ${marked}; got:\n${describeProblems(problems, text)}`);
          const problem = at[0];
          assert.equal(problem.severity, e.severity, `severity of ${e.code}: ${problem.message}`);
          assert.ok(matches(problem.message, e.message), `message of ${e.code} does not match ${String(e.message)}: ${problem.message}`);
        });
      });

      if (c.absent?.length) {
        it(`does not report ${c.absent.join(', ')}`, () => {
          const cascade = problems.filter((p) => c.absent?.includes(p.code));
          assert.equal(cascade.length, 0, `misleading follow-on problems:\n${describeProblems(cascade, text)}`);
        });
      }

      it('reports each marked token once', () => {
        for (const range of ranges) {
          const same = problems.filter((p) => p.offset === range.offset && p.length === range.length && (p.severity === 'error' || p.severity === 'warning'));
          assert.ok(same.length <= 1, `${same.length} problems at ${range.offset}+${range.length}:\n${describeProblems(same, text)}`);
        }
      });

      it('writes every message for a person (no validator jargon)', () => {
        for (const p of problems) {
          for (const jargon of JARGON) assert.ok(!jargon.test(p.message), `${p.code} message shows ${String(jargon)}: ${p.message}`);
          // A sentence: it starts with a capital, a digit, a quote or a code token such as location['x'], and ends with a stop.
          assert.ok(/^([A-Z0-9"']|[a-z_]+\[)/.test(p.message) && /[.?!)]$/.test(p.message.trim()), `${p.code} message is not a sentence: ${p.message}`);
        }
      });
    });
  }
});

describe('schema: allowComments', function () {
  this.timeout(20000);
  let lang: SegmentLanguage;
  before(() => {
    lang = new SegmentLanguage();
  });

  const marked = `{\n  // engaged people\n  "condition_groups": [{"conditions": [/* list */ ${membership()},]},],\n  "unclosed": [1 2]\n}`;

  it('reports comments and trailing commas by default', () => {
    const codes = lang.validate(lang.parse(marked)).map((p) => p.code);
    assert.equal(codes.filter((c) => c === 'json-comment').length, 2, codes.join(', '));
    assert.equal(codes.filter((c) => c === 'json-trailing-comma').length, 2, codes.join(', '));
  });

  it('suppresses only comment and trailing-comma errors', () => {
    const problems = lang.validate(lang.parse(marked), { allowComments: true });
    const codes = problems.map((p) => p.code);
    assert.ok(!codes.includes('json-comment'), codes.join(', '));
    assert.ok(!codes.includes('json-trailing-comma'), codes.join(', '));
    assert.ok(codes.includes('json-syntax'), `a missing comma is still an error: ${codes.join(', ')}`);
    assert.ok(codes.includes('unknown-property'), `the schema is still checked: ${codes.join(', ')}`);
  });

  it('leaves a valid file with comments and trailing commas with no problem', () => {
    const text = `{\n  // engaged people\n  "condition_groups": [{"conditions": [/* list */ ${membership()},]},],\n}`;
    assert.deepEqual(lang.validate(lang.parse(text), { allowComments: true }), []);
  });

  it('still reports schema errors next to allowed comments', () => {
    const { text, ranges } = stripMarkers(
      `{\n  // engaged\n  "condition_groups": [{"conditions": [{"type": "profile-region", "in_region": true, "region": ⟦"europe"⟧},]}]\n}`,
    );
    const problems = lang.validate(lang.parse(text), { allowComments: true });
    assert.deepEqual(
      problems.map((p) => [p.code, p.offset, p.length]),
      [['invalid-value', ranges[0].offset, ranges[0].length]],
    );
  });
});
