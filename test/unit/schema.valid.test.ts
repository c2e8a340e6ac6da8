/**
 * Valid segment files: every one must validate with no error and no warning.
 *
 * The cases follow Klaviyo's OpenAPI spec at API revision 2026-07-15 (the `components.schemas` of
 * /api/segments): for each condition type a MINIMAL example (required keys only) and a MAXIMAL
 * one (every optional key used), each filter family and each date operator in every context
 * that allows it, the file shapes people keep definitions in, the nullable fields set to null,
 * and the examples of Klaviyo's "Segments API overview" guide that are still valid.
 */
import assert from 'node:assert/strict';
import { SegmentLanguage } from '../../server/src/segment/languageService';

type Json = unknown;

interface ValidCase {
  name: string;
  /** A JSON value (written with 2-space indentation) or the exact file text. */
  json: Json;
}

// ---------------------------------------------------------------------------------------------
// Builders

/** A bare definition with one group holding `conditions`. */
function def(...conditions: Json[]): Json {
  return { condition_groups: [{ conditions }] };
}

const membership = (timeframe?: Json): Json => ({
  type: 'profile-group-membership',
  is_member: true,
  group_ids: ['Y6nRLr'],
  ...(timeframe === undefined ? {} : { timeframe_filter: timeframe }),
});
const metric = (timeframe: Json, metricFilters?: Json, measurement = 'count'): Json => ({
  type: 'profile-metric',
  metric_id: 'S4SFhi',
  measurement,
  measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
  timeframe_filter: timeframe,
  ...(metricFilters === undefined ? {} : { metric_filters: metricFilters }),
});
const funnel = (timeframe: Json, extra: Record<string, Json> = {}): Json => ({
  type: 'profile-metric-funnel',
  timeframe_filter: timeframe,
  steps: [
    { metric_exists: true, metric_id: 'OpenEm' },
    { metric_exists: true, metric_id: 'PlcOrd' },
  ],
  ...extra,
});
const property = (filter: Json, name = 'email'): Json => ({ type: 'profile-property', property: name, filter });
const consent = (channel: string, canReceive: boolean, consentStatus: Json): Json => ({
  type: 'profile-marketing-consent',
  consent: { channel, can_receive_marketing: canReceive, consent_status: consentStatus },
});
const customObject = (filters: Json[], filter: Json = { type: 'numeric', operator: 'greater-than-or-equal', value: 1 }): Json => ({
  type: 'profile-has-custom-object',
  object_type_id: '01J8ZQ3D1V7T2P6XG8W3K9M4RB',
  object_type_relationship_id: '01J8ZQ3D1V7T2P6XG8W3K9M4RC',
  filter,
  filters,
});
const permissions = (reachableStatus: string, filters?: Json[], channel = 'whatsapp_marketing'): Json => ({
  type: 'profile-permissions',
  channel,
  permission: { reachable_status: reachableStatus, ...(filters === undefined ? {} : { filters }) },
});

// ---------------------------------------------------------------------------------------------
// Filters

/** One example of every date operator. */
const DATE: Record<string, Json> = {
  before: { type: 'date', operator: 'before', date: '2026-01-01T00:00:00+00:00' },
  after: { type: 'date', operator: 'after', date: '2025-06-15T12:30:00Z' },
  'between-static': { type: 'date', operator: 'between-static', start: '2025-01-01T00:00:00+00:00', end: '2025-12-31T23:59:59.999+00:00' },
  'in-the-last': { type: 'date', operator: 'in-the-last', unit: 'day', quantity: 30 },
  'at-least': { type: 'date', operator: 'at-least', unit: 'week', quantity: 2 },
  'in-the-next': { type: 'date', operator: 'in-the-next', unit: 'hour', quantity: 48 },
  between: { type: 'date', operator: 'between', start: 30, end: 60, unit: 'day' },
  'anniversary-last': { type: 'date', operator: 'anniversary-last', unit: 'day', quantity: 7 },
  'anniversary-next': { type: 'date', operator: 'anniversary-next', unit: 'week', quantity: 1 },
  'calendar-month': { type: 'date', operator: 'calendar-month', value: 12 },
  anniversary: { type: 'date', operator: 'anniversary' },
  'anniversary-month': { type: 'date', operator: 'anniversary-month' },
  alltime: { type: 'date', operator: 'alltime' },
};
const dates = (...operators: string[]): [string, Json][] => operators.map((op) => [op, DATE[op]]);

/** Which date operators each context allows, per the spec. */
const MEMBERSHIP_TIMEFRAMES = dates('before', 'after', 'between-static', 'in-the-last', 'at-least', 'in-the-next', 'between');
const METRIC_TIMEFRAMES = dates(
  'before',
  'after',
  'between-static',
  'in-the-last',
  'at-least',
  'in-the-next',
  'anniversary-last',
  'anniversary-next',
  'between',
  'alltime',
);
const FUNNEL_TIMEFRAMES = dates('between-static', 'between', 'in-the-last', 'at-least', 'in-the-next');
/** StaticDate, StaticDateRange, RelativeDateOperatorBase, RelativeAnniversary, RelativeDateRange, CalendarDate, AnniversaryDate. */
const DATE_FILTERS = dates(
  'before',
  'after',
  'between-static',
  'in-the-last',
  'at-least',
  'in-the-next',
  'between',
  'anniversary-last',
  'anniversary-next',
  'calendar-month',
  'anniversary',
  'anniversary-month',
);
const CUSTOM_OBJECT_DATES = dates(
  'before',
  'after',
  'between-static',
  'in-the-last',
  'at-least',
  'in-the-next',
  'anniversary-last',
  'anniversary-next',
  'between',
);

const STRING_OPERATORS = [
  'equals',
  'not-equals',
  'contains',
  'not-contains',
  'starts-with',
  'not-starts-with',
  'ends-with',
  'not-ends-with',
  'regex',
  'nregex',
];
const NUMERIC_OPERATORS = ['equals', 'not-equals', 'greater-than', 'greater-than-or-equal', 'less-than', 'less-than-or-equal'];
const LIST_LENGTH_OPERATORS = ['length-equals', 'length-greater-than', 'length-greater-than-or-equal', 'length-less-than', 'length-less-than-or-equal'];
const LIST_SET_OPERATORS = ['contains-any', 'contains-all', 'not-contains-any', 'not-contains-all'];

const F = {
  string: (operator = 'equals', value: Json = 'United States'): Json => ({ type: 'string', operator, value }),
  stringIn: (operator = 'in', value: Json = ['a', 'b']): Json => ({ type: 'string', operator, value }),
  phone: (operator = 'phone-country-code-in', value: Json = ['US', 'GB']): Json => ({ type: 'string', operator, value }),
  numeric: (operator = 'greater-than', value: Json = 200): Json => ({ type: 'numeric', operator, value }),
  range: (start: Json = 1, end: Json = 10.5): Json => ({ type: 'numeric', operator: 'between', start, end }),
  boolean: (value = true): Json => ({ type: 'boolean', operator: 'equals', value }),
  existence: (operator = 'is-set'): Json => ({ type: 'existence', operator }),
  listContains: (operator = 'contains', value: Json = 'vip'): Json => ({ type: 'list', operator, value }),
  listLength: (operator = 'length-equals', value: Json = 0): Json => ({ type: 'list', operator, value }),
  listSet: (operator = 'contains-any', value: Json = ['Shoes', 'Hats']): Json => ({ type: 'list', operator, value }),
  listSubstring: (operator = 'contains-substring', value: Json = 'sale'): Json => ({ type: 'list', operator, value }),
};

// Consent filter items.
const statusDate = (filter: Json = DATE['in-the-last']): Json => ({ field: 'status_date', filter });
const method = (name: string, filter?: Json): Json => ({ field: 'method', method: name, ...(filter === undefined ? {} : { filter }) });
const inFilter = (...values: string[]): Json => ({ type: 'string', operator: 'in', value: values });
const shopify = method('integration', inFilter('shopify'));
const constantContact = method('integration', inFilter('constant_contact'));
const bounce = (filter: Json = DATE.after): Json => ({ field: 'bounce_date', filter });
const manualSuppression = (filter: Json = F.existence('is-set')): Json => ({ field: 'manual_suppression_date', filter });
const invalidEmail = (filter: Json = DATE['calendar-month']): Json => ({ field: 'invalid_email_date', filter });

const SUBSCRIBE_METHODS = [
  'api',
  'back_in_stock',
  'bigcommerce',
  'bulk_remove',
  'campaign_monitor',
  'carrier_deactivation',
  'checkout',
  'constant_contact',
  'exact_target',
  'facebook',
  'failed_age_gate',
  'inbound_message',
  'integration',
  'mad_mimi',
  'magento_two',
  'mailbox_provider',
  'manual_add',
  'manual_import',
  'manual_remove',
  'message_blocked',
  'netsuite',
  'preference_page',
  'provided_landline',
  'provided_no_age',
  'sftp',
  'shopify',
  'social_instagram_message',
  'spam_complaint',
  'square',
  'wix',
  'woocommerce',
];

const NUMERIC_DIMENSIONS = [
  'average_days_between_orders',
  'average_order_value',
  'churn_probability',
  'historic_clv',
  'historic_number_of_orders',
  'predicted_clv',
  'predicted_number_of_orders',
  'total_clv',
];

// ---------------------------------------------------------------------------------------------
// The cases

const cases: ValidCase[] = [];
const add = (name: string, json: Json): void => {
  cases.push({ name, json });
};

// --- profile-group-membership ----------------------------------------------------------------
add('membership is_member:true minimal', def(membership()));
add('membership is_member:true maximal (timeframe_filter)', def(membership(DATE['in-the-last'])));
add('membership is_member:true timeframe_filter null', def(membership(null)));
for (const [op, f] of MEMBERSHIP_TIMEFRAMES) add(`membership timeframe ${op}`, def(membership(f)));
add('membership is_member:false minimal', def({ type: 'profile-group-membership', is_member: false, group_ids: ['Y6nRLr'] }));
add('membership is_member:false maximal (no optional key exists)', def({ is_member: false, group_ids: ['Y6nRLr'], type: 'profile-group-membership' }));

// --- profile-metric ---------------------------------------------------------------------------
add('metric minimal', def(metric(DATE.alltime)));
add(
  'metric maximal (metric_filters with a filter of every event-property kind)',
  def(
    metric(
      DATE['in-the-last'],
      [
        { property: 'country', filter: F.string('equals', 'United States') },
        { property: 'Source', filter: F.stringIn('not-in', ['web', 'pos']) },
        { property: 'Coupon', filter: F.existence('not-set') },
        { property: 'Categories', filter: F.listSet('contains-all', ['Shoes']) },
        { property: 'Items', filter: F.listLength('length-greater-than-or-equal', 2) },
        { property: 'Collections', filter: F.listSubstring('not-contains-substring', 'sale') },
        { property: 'Bot Click', filter: F.boolean(false) },
        { property: '$value', filter: F.numeric('greater-than', 49.99) },
        { property: 'Discount Code' },
        { property: 'Referrer', filter: null },
      ],
      'sum',
    ),
  ),
);
add('metric metric_filters null', def(metric(DATE.alltime, null)));
add('metric metric_filters empty array', def(metric(DATE.alltime, [])));
add(
  'metric measurement sum with float value',
  def({ ...(metric(DATE.alltime) as object), measurement: 'sum', measurement_filter: { type: 'numeric', operator: 'less-than', value: 200.5 } }),
);
for (const op of NUMERIC_OPERATORS) add(`metric measurement_filter ${op}`, def({ ...(metric(DATE.alltime) as object), measurement_filter: F.numeric(op, 0) }));
for (const [op, f] of METRIC_TIMEFRAMES) add(`metric timeframe ${op}`, def(metric(f)));
for (const unit of ['hour', 'day', 'week'])
  add(`metric timeframe in-the-last unit ${unit}`, def(metric({ type: 'date', operator: 'in-the-last', unit, quantity: 3 })));
for (const op of STRING_OPERATORS) add(`metric event filter string ${op}`, def(metric(DATE.alltime, [{ property: 'country', filter: F.string(op, 'US') }])));
add('metric event filter string value null', def(metric(DATE.alltime, [{ property: 'country', filter: F.string('equals', null) }])));
for (const op of ['in', 'not-in']) add(`metric event filter string ${op}`, def(metric(DATE.alltime, [{ property: 'country', filter: F.stringIn(op) }])));
for (const op of LIST_SET_OPERATORS) add(`metric event filter list ${op}`, def(metric(DATE.alltime, [{ property: 'Categories', filter: F.listSet(op) }])));
for (const op of ['contains-substring', 'not-contains-substring'])
  add(`metric event filter list ${op}`, def(metric(DATE.alltime, [{ property: 'Categories', filter: F.listSubstring(op) }])));
add(
  'metric event filter list contains-substring value null',
  def(metric(DATE.alltime, [{ property: 'Categories', filter: F.listSubstring('contains-substring', null) }])),
);
for (const op of LIST_LENGTH_OPERATORS) add(`metric event filter list ${op}`, def(metric(DATE.alltime, [{ property: 'Items', filter: F.listLength(op, 3) }])));
for (const op of ['is-set', 'not-set'])
  add(`metric event filter existence ${op}`, def(metric(DATE.alltime, [{ property: 'Coupon', filter: F.existence(op) }])));
add('metric event filter boolean', def(metric(DATE.alltime, [{ property: 'Bot Click', filter: F.boolean(true) }])));
for (const op of NUMERIC_OPERATORS) add(`metric event filter numeric ${op}`, def(metric(DATE.alltime, [{ property: '$value', filter: F.numeric(op, 10) }])));
add(
  'metric with 10 metric filters (the limit)',
  def(
    metric(
      DATE.alltime,
      Array.from({ length: 10 }, (_, i) => ({ property: `p${i}`, filter: F.existence() })),
    ),
  ),
);

// --- profile-metric-funnel --------------------------------------------------------------------
add('funnel minimal', def(funnel(DATE['in-the-last'])));
add(
  'funnel maximal (completion window, step metric_filters)',
  def({
    type: 'profile-metric-funnel',
    timeframe_filter: DATE['in-the-last'],
    completion_window_seconds: 'DAYS_1',
    steps: [
      { metric_exists: true, metric_id: 'OpenEm', metric_filters: [{ property: 'Subject', filter: F.string('contains', 'Sale') }] },
      { metric_exists: false, metric_id: 'Clickd', metric_filters: null },
      { metric_exists: true, metric_id: 'PlcOrd', metric_filters: [{ property: '$value', filter: F.numeric('greater-than', 50) }, { property: 'Coupon' }] },
    ],
  }),
);
add(
  'funnel step metric_filters empty array',
  def({ type: 'profile-metric-funnel', timeframe_filter: DATE['at-least'], steps: [{ metric_exists: true, metric_id: 'OpenEm', metric_filters: [] }] }),
);
add('funnel completion_window_seconds null', def(funnel(DATE.between, { completion_window_seconds: null })));
for (const token of ['HOURS_1', 'DAYS_1', 'DAYS_3', 'DAYS_5', 'WEEKS_1', 'DAYS_30', 'DAYS_90', 'DAYS_180', 'YEARS_1']) {
  add(`funnel completion_window_seconds ${token}`, def(funnel(DATE['in-the-last'], { completion_window_seconds: token })));
}
for (const [op, f] of FUNNEL_TIMEFRAMES) add(`funnel timeframe ${op}`, def(funnel(f)));
add(
  'funnel with 5 steps (the limit)',
  def({
    type: 'profile-metric-funnel',
    timeframe_filter: DATE['in-the-last'],
    steps: Array.from({ length: 5 }, (_, i) => ({ metric_exists: true, metric_id: `M${i}` })),
  }),
);

// --- profile-marketing-consent ----------------------------------------------------------------
// email / can receive
add('consent email can any minimal', def(consent('email', true, { subscription: 'any' })));
add('consent email can any filters null', def(consent('email', true, { subscription: 'any', filters: null })));
add('consent email can subscribed minimal', def(consent('email', true, { subscription: 'subscribed' })));
add('consent email can subscribed filters null', def(consent('email', true, { subscription: 'subscribed', filters: null })));
add(
  'consent email can subscribed maximal (every filter item)',
  def(
    consent('email', true, {
      subscription: 'subscribed',
      filters: [
        { field: 'is_double_opt_in', filter: F.boolean(true) },
        statusDate(),
        { field: 'custom_source', filter: { type: 'string', operator: 'equals', value: 'Popup' } },
        method('form', inFilter('Xy12Ab')),
        method('preference_page', { type: 'string', operator: 'equals', value: 'https://example.com/subscribe' }),
        method('api', inFilter('a1b2')),
        method('inbound_message'),
        method('back_in_stock'),
        method('sftp'),
        method('manual_import', inFilter('ops@example.com')),
        method('manual_add', inFilter('ops@example.com')),
        shopify,
      ],
    }),
  ),
);
add(
  'consent email can subscribed double opt-in false',
  def(consent('email', true, { subscription: 'subscribed', filters: [{ field: 'is_double_opt_in', filter: F.boolean(false) }] })),
);
add(
  'consent email can subscribed custom source null value',
  def(
    consent('email', true, { subscription: 'subscribed', filters: [{ field: 'custom_source', filter: { type: 'string', operator: 'equals', value: null } }] }),
  ),
);
for (const [op, f] of DATE_FILTERS)
  add(`consent email can subscribed status_date ${op}`, def(consent('email', true, { subscription: 'subscribed', filters: [statusDate(f)] })));
for (const m of ['form', 'preference_page', 'api', 'inbound_message', 'back_in_stock', 'sftp', 'manual_import', 'manual_add']) {
  add(`consent email can subscribed method ${m} (no filter)`, def(consent('email', true, { subscription: 'subscribed', filters: [method(m)] })));
}
for (const m of ['form', 'preference_page', 'api', 'manual_import', 'manual_add']) {
  add(`consent email can subscribed method ${m} filter null`, def(consent('email', true, { subscription: 'subscribed', filters: [method(m, null)] })));
}
add(
  'consent email can subscribed preference_page url value null',
  def(consent('email', true, { subscription: 'subscribed', filters: [method('preference_page', { type: 'string', operator: 'equals', value: null })] })),
);
add('consent email can subscribed integration shopify', def(consent('email', true, { subscription: 'subscribed', filters: [shopify] })));
add('consent email can never_subscribed minimal', def(consent('email', true, { subscription: 'never_subscribed' })));
add('consent email can never_subscribed filters null', def(consent('email', true, { subscription: 'never_subscribed', filters: null })));
add('consent email can any filters empty array (untyped in the spec)', def(consent('email', true, { subscription: 'any', filters: [] })));
add(
  'consent email can never_subscribed filters empty array (untyped in the spec)',
  def(consent('email', true, { subscription: 'never_subscribed', filters: [] })),
);
// email / cannot receive
add('consent email cannot any minimal', def(consent('email', false, { subscription: 'any' })));
add('consent email cannot any filters null', def(consent('email', false, { subscription: 'any', filters: null })));
add(
  'consent email cannot any maximal (every suppression date field)',
  def(consent('email', false, { subscription: 'any', filters: [bounce(), manualSuppression(), invalidEmail()] })),
);
for (const [op, f] of [...DATE_FILTERS, ['is-set', F.existence('is-set')] as [string, Json]]) {
  add(`consent email cannot any bounce_date ${op}`, def(consent('email', false, { subscription: 'any', filters: [bounce(f)] })));
}
add('consent email cannot unsubscribed minimal', def(consent('email', false, { subscription: 'unsubscribed' })));
add('consent email cannot unsubscribed filters null', def(consent('email', false, { subscription: 'unsubscribed', filters: null })));
add('consent email cannot unsubscribed filters empty', def(consent('email', false, { subscription: 'unsubscribed', filters: [] })));
add(
  'consent email cannot unsubscribed maximal (status date and every method)',
  def(
    consent('email', false, {
      subscription: 'unsubscribed',
      filters: [
        statusDate(DATE['at-least']),
        method('api', inFilter('a1b2')),
        method('inbound_message'),
        method('preference_page'),
        method('manual_remove'),
        method('spam_complaint'),
        method('mailbox_provider'),
        method('one_click_unsubscribe'),
        method('manual_import'),
        method('sftp'),
        method('data_warehouse_import'),
        method('profile_modification'),
        constantContact,
      ],
    }),
  ),
);
for (const m of [
  'api',
  'inbound_message',
  'preference_page',
  'manual_remove',
  'spam_complaint',
  'mailbox_provider',
  'one_click_unsubscribe',
  'manual_import',
  'sftp',
  'data_warehouse_import',
  'profile_modification',
]) {
  add(`consent email cannot unsubscribed method ${m}`, def(consent('email', false, { subscription: 'unsubscribed', filters: [method(m)] })));
}
add('consent email cannot unsubscribed method api filter null', def(consent('email', false, { subscription: 'unsubscribed', filters: [method('api', null)] })));
add(
  'consent email cannot unsubscribed integration constant_contact',
  def(consent('email', false, { subscription: 'unsubscribed', filters: [constantContact] })),
);
add(
  'consent email cannot unsubscribed suppression date filters',
  def(consent('email', false, { subscription: 'unsubscribed', filters: [bounce(), manualSuppression(DATE.before), invalidEmail(F.existence('is-set'))] })),
);
add(
  'consent email cannot never_subscribed (required suppression filters)',
  def(consent('email', false, { subscription: 'never_subscribed', filters: [bounce()] })),
);
add('consent email cannot never_subscribed filters empty', def(consent('email', false, { subscription: 'never_subscribed', filters: [] })));
add(
  'consent email cannot subscribed (required suppression filters)',
  def(consent('email', false, { subscription: 'subscribed', filters: [manualSuppression(), invalidEmail()] })),
);
add('consent email cannot subscribed filters empty', def(consent('email', false, { subscription: 'subscribed', filters: [] })));
// sms
add('consent sms can subscribed minimal', def(consent('sms', true, { subscription: 'subscribed' })));
add('consent sms can subscribed filters null', def(consent('sms', true, { subscription: 'subscribed', filters: null })));
add(
  'consent sms can subscribed maximal (every filter item)',
  def(
    consent('sms', true, {
      subscription: 'subscribed',
      filters: [
        statusDate(DATE['between-static']),
        method('form', inFilter('Xy12Ab', 'Zz99Qq')),
        method('manual_import', inFilter('ops@example.com')),
        method('manual_add', null),
        method('checkout'),
        method('inbound_message'),
        method('preference_page'),
        method('sftp'),
        shopify,
        { field: 'is_rcs_capable', filter: F.boolean(true) },
      ],
    }),
  ),
);
for (const m of ['form', 'manual_import', 'manual_add', 'checkout', 'inbound_message', 'preference_page', 'sftp']) {
  add(`consent sms can subscribed method ${m}`, def(consent('sms', true, { subscription: 'subscribed', filters: [method(m)] })));
}
add(
  'consent sms can subscribed is_rcs_capable false',
  def(consent('sms', true, { subscription: 'subscribed', filters: [{ field: 'is_rcs_capable', filter: F.boolean(false) }] })),
);
add('consent sms can subscribed integration shopify', def(consent('sms', true, { subscription: 'subscribed', filters: [shopify] })));
add('consent sms cannot any', def(consent('sms', false, { subscription: 'any' })));
add('consent sms cannot never_subscribed', def(consent('sms', false, { subscription: 'never_subscribed' })));
add('consent sms cannot unsubscribed minimal', def(consent('sms', false, { subscription: 'unsubscribed' })));
add('consent sms cannot unsubscribed filters null', def(consent('sms', false, { subscription: 'unsubscribed', filters: null })));
add(
  'consent sms cannot unsubscribed maximal (status date and every method)',
  def(
    consent('sms', false, {
      subscription: 'unsubscribed',
      filters: [
        statusDate(DATE.anniversary),
        method('form', inFilter('Xy12Ab')),
        method('manual_import', null),
        method('manual_add', inFilter('ops@example.com')),
        method('manual_remove'),
        method('bulk_remove'),
        method('checkout'),
        method('inbound_message'),
        method('preference_page'),
        method('sftp'),
        method('carrier_deactivation'),
        method('provided_landline'),
        method('message_blocked'),
        method('provided_no_age'),
        method('failed_age_gate'),
        shopify,
      ],
    }),
  ),
);
for (const m of [
  'form',
  'manual_import',
  'manual_add',
  'manual_remove',
  'bulk_remove',
  'checkout',
  'inbound_message',
  'preference_page',
  'sftp',
  'carrier_deactivation',
  'provided_landline',
  'message_blocked',
  'provided_no_age',
  'failed_age_gate',
]) {
  add(`consent sms cannot unsubscribed method ${m}`, def(consent('sms', false, { subscription: 'unsubscribed', filters: [method(m)] })));
}
// push
add('consent push can any minimal', def(consent('push', true, { subscription: 'any' })));
add('consent push can any filters null', def(consent('push', true, { subscription: 'any', filters: null })));
add(
  'consent push can any maximal (status date filters)',
  def(consent('push', true, { subscription: 'any', filters: [statusDate(DATE['in-the-last']), statusDate(DATE['anniversary-month'])] })),
);
add('consent push cannot any', def(consent('push', false, { subscription: 'any' })));

// --- profile-postal-code-distance -------------------------------------------------------------
add(
  'postal minimal = maximal (miles, less-than)',
  def({
    type: 'profile-postal-code-distance',
    country_code: 'USA',
    postal_code: '02141',
    unit: 'miles',
    filter: { type: 'numeric', operator: 'less-than', value: 10 },
  }),
);
add(
  'postal kilometers greater-than float',
  def({
    type: 'profile-postal-code-distance',
    country_code: 'CAN',
    postal_code: 'M5V',
    unit: 'kilometers',
    filter: { type: 'numeric', operator: 'greater-than', value: 2.5 },
  }),
);
add(
  'postal UK outward code',
  def({
    type: 'profile-postal-code-distance',
    country_code: 'GBR',
    postal_code: 'SW1W',
    unit: 'kilometers',
    filter: { type: 'numeric', operator: 'less-than', value: 5 },
  }),
);

// --- profile-property: the 15 filter kinds ------------------------------------------------------
add('property minimal', def(property(F.existence('is-set'))));
add('property filter 1/15 string', def(property(F.string('ends-with', '@hotmail.com'))));
add('property filter 2/15 string array', def(property(F.stringIn('in', ['a@example.com', 'b@example.com']))));
add('property filter 3/15 phone country', def(property(F.phone(), 'phone_number')));
add('property filter 4/15 numeric', def(property(F.numeric('greater-than-or-equal', 3), "properties['Orders']")));
add('property filter 5/15 boolean', def(property(F.boolean(false), "properties['Accepts Marketing']")));
add('property filter 6/15 static date', def(property(DATE.before, 'created')));
add('property filter 7/15 static date range', def(property(DATE['between-static'], 'created')));
add('property filter 8/15 relative date', def(property(DATE['in-the-last'], 'last_event_date')));
add('property filter 9/15 relative anniversary', def(property(DATE['anniversary-next'], "properties['Birthday']")));
add('property filter 10/15 relative date range', def(property(DATE.between, 'updated')));
add('property filter 11/15 calendar month', def(property(DATE['calendar-month'], "properties['Birthday']")));
add('property filter 12/15 anniversary', def(property(DATE.anniversary, "properties['Birthday']")));
add('property filter 13/15 list contains', def(property(F.listContains('contains', 'vip'), "properties['Tags']")));
add('property filter 14/15 list length', def(property(F.listLength('length-greater-than', 0), "properties['Tags']")));
add('property filter 15/15 existence', def(property(F.existence('not-set'), 'first_name')));
for (const op of STRING_OPERATORS) add(`property string ${op}`, def(property(F.string(op, 'abc'), 'first_name')));
add('property date-time with a non-UTC offset', def(property({ type: 'date', operator: 'after', date: '2026-03-01T09:00:00-05:00' }, 'created')));
add('property date-time with fractional seconds and Z', def(property({ type: 'date', operator: 'before', date: '2026-03-01T09:00:00.123Z' }, 'created')));
add('property string value null', def(property(F.string('equals', null), 'first_name')));
add('property string value empty text', def(property(F.string('not-equals', ''), 'first_name')));
for (const op of ['in', 'not-in']) add(`property string ${op}`, def(property(F.stringIn(op), "location['city']")));
for (const op of ['phone-country-code-in', 'phone-country-code-not-in']) add(`property phone ${op}`, def(property(F.phone(op, ['US']), 'phone_number')));
for (const op of NUMERIC_OPERATORS) add(`property numeric ${op} integer`, def(property(F.numeric(op, 5), "properties['Orders']")));
add('property numeric float and negative', def(property(F.numeric('greater-than', -1.25), "properties['Balance']")));
for (const v of [true, false]) add(`property boolean ${v}`, def(property(F.boolean(v), "properties['VIP']")));
for (const op of ['is-set', 'not-set']) add(`property existence ${op}`, def(property(F.existence(op), "location['zip']")));
for (const op of ['contains', 'not-contains']) add(`property list ${op} text`, def(property(F.listContains(op, 'vip'), "properties['Tags']")));
add('property list contains integer', def(property(F.listContains('contains', 42), "properties['Lucky Numbers']")));
add('property list contains null', def(property(F.listContains('contains', null), "properties['Tags']")));
for (const op of LIST_LENGTH_OPERATORS) add(`property list ${op}`, def(property(F.listLength(op, 2), "properties['Tags']")));
for (const [op, f] of DATE_FILTERS) add(`property date ${op}`, def(property(f, "properties['Birthday']")));
for (let month = 1; month <= 12; month++)
  add(`property date calendar-month ${month}`, def(property({ type: 'date', operator: 'calendar-month', value: month }, "properties['Birthday']")));
for (const name of [
  'email',
  'phone_number',
  'external_id',
  'first_name',
  'last_name',
  'organization',
  'title',
  'image',
  'locale',
  'created',
  'updated',
  'last_event_date',
]) {
  add(`property built-in ${name}`, def(property(F.existence(), name)));
}
for (const field of ['city', 'region', 'country', 'zip', 'timezone', 'address1', 'address2', 'latitude', 'longitude', 'ip']) {
  add(`property location['${field}']`, def(property(F.existence(), `location['${field}']`)));
}
add("property custom with an escaped quote properties['Kid\\'s Name']", def(property(F.existence(), "properties['Kid\\'s Name']")));
add('property custom in double quotes properties["Favorite Color"]', def(property(F.string('equals', 'blue'), 'properties["Favorite Color"]')));

// --- profile-region ---------------------------------------------------------------------------
add('region european_union in', def({ type: 'profile-region', in_region: true, region: 'european_union' }));
add('region united_states not in', def({ type: 'profile-region', in_region: false, region: 'united_states' }));

// --- profile-predictive-analytics -------------------------------------------------------------
for (const [op, f] of DATE_FILTERS)
  add(`predictive date ${op}`, def({ type: 'profile-predictive-analytics', dimension: 'expected_date_of_next_purchase', filter: f }));
for (const dimension of NUMERIC_DIMENSIONS)
  add(`predictive numeric ${dimension}`, def({ type: 'profile-predictive-analytics', dimension, filter: F.numeric('greater-than-or-equal', 0.5) }));
for (const op of NUMERIC_OPERATORS)
  add(`predictive numeric operator ${op}`, def({ type: 'profile-predictive-analytics', dimension: 'predicted_clv', filter: F.numeric(op, 100) }));
for (const op of ['equals', 'not-equals']) {
  for (const value of ['likely_female', 'likely_male', 'uncertain']) {
    add(
      `predictive gender ${op} ${value}`,
      def({ type: 'profile-predictive-analytics', dimension: 'predicted_gender', filter: { type: 'string', operator: op, value } }),
    );
  }
}
for (const channel of ['email', 'push', 'sms', 'whatsapp']) {
  add(
    `predictive channel affinity priority ${channel}`,
    def({
      type: 'profile-predictive-analytics',
      dimension: 'channel_affinity',
      measurement: 'priority',
      predicted_channel: channel,
      filter: { type: 'numeric', operator: 'equals', value: 1 },
    }),
  );
  add(
    `predictive channel affinity rank ${channel}`,
    def({
      type: 'profile-predictive-analytics',
      dimension: 'channel_affinity',
      measurement: 'rank',
      predicted_channel: channel,
      filter: { type: 'string', operator: 'equals', value: 'high' },
    }),
  );
}
for (const op of ['equals', 'not-equals']) {
  for (const value of ['high', 'medium', 'low']) {
    add(
      `predictive channel affinity rank ${op} ${value}`,
      def({
        type: 'profile-predictive-analytics',
        dimension: 'channel_affinity',
        measurement: 'rank',
        predicted_channel: 'sms',
        filter: { type: 'string', operator: op, value },
      }),
    );
  }
}

// --- profile-has-custom-object ----------------------------------------------------------------
add('custom object minimal (filters empty)', def(customObject([])));
add(
  'custom object maximal (5 filters, the limit)',
  def(
    customObject(
      [
        { property_id: 3, filter: F.string('equals', 'dog') },
        { property_id: 4, filter: F.range(1, 7) },
        { property_id: 5, filter: F.boolean(true) },
        { property_id: 6, filter: DATE['in-the-last'] },
        { property_id: 7, filter: F.listLength('length-less-than-or-equal', 3) },
      ],
      { type: 'numeric', operator: 'equals', value: 0 },
    ),
  ),
);
for (const op of NUMERIC_OPERATORS) add(`custom object count filter ${op}`, def(customObject([], F.numeric(op, 2))));
add('custom object filter string value null', def(customObject([{ property_id: 1, filter: F.string('not-equals', null) }])));
for (const op of STRING_OPERATORS) add(`custom object filter string ${op}`, def(customObject([{ property_id: 1, filter: F.string(op, 'x') }])));
for (const op of ['in', 'not-in']) add(`custom object filter string ${op}`, def(customObject([{ property_id: 1, filter: F.stringIn(op) }])));
for (const op of NUMERIC_OPERATORS) add(`custom object filter numeric ${op}`, def(customObject([{ property_id: 1, filter: F.numeric(op, 2.5) }])));
add('custom object filter numeric range', def(customObject([{ property_id: 1, filter: F.range(0, 0) }])));
add('custom object filter numeric range floats', def(customObject([{ property_id: 1, filter: F.range(0.5, 99.5) }])));
add('custom object filter boolean', def(customObject([{ property_id: 1, filter: F.boolean(false) }])));
for (const [op, f] of CUSTOM_OBJECT_DATES) add(`custom object filter date ${op}`, def(customObject([{ property_id: 1, filter: f }])));
for (const op of ['contains', 'not-contains']) add(`custom object filter list ${op}`, def(customObject([{ property_id: 1, filter: F.listContains(op, 7) }])));
for (const op of LIST_LENGTH_OPERATORS) add(`custom object filter list ${op}`, def(customObject([{ property_id: 1, filter: F.listLength(op, 1) }])));
for (const op of ['is-set', 'not-set']) add(`custom object filter existence ${op}`, def(customObject([{ property_id: 1, filter: F.existence(op) }])));

// --- profile-permissions ----------------------------------------------------------------------
for (const status of ['implicitly_reachable', 'implicitly_or_explicitly_reachable', 'implicitly_unreachable', 'implicitly_or_explicitly_unreachable']) {
  add(`permissions ${status}`, def(permissions(status)));
}
for (const status of ['explicitly_reachable', 'explicitly_unreachable']) {
  add(`permissions ${status} minimal (filters empty)`, def(permissions(status, [])));
  add(
    `permissions ${status} maximal (every filter item)`,
    def(
      permissions(
        status,
        [
          { field: 'effective_date', filter: DATE['in-the-last'] },
          { field: 'recorded_date', filter: DATE['between-static'] },
          { field: 'subscribe_method', method: 'checkout' },
          { field: 'subscribe_method', method: 'form', filter: inFilter('Xy12Ab') },
        ],
        'whatsapp_transactional',
      ),
    ),
  );
}
add('permissions subscribe_method form filter null', def(permissions('explicitly_reachable', [{ field: 'subscribe_method', method: 'form', filter: null }])));
add('permissions subscribe_method form without filter', def(permissions('explicitly_reachable', [{ field: 'subscribe_method', method: 'form' }])));
for (const m of SUBSCRIBE_METHODS)
  add(`permissions subscribe_method ${m}`, def(permissions('explicitly_reachable', [{ field: 'subscribe_method', method: m }])));
for (const [op, f] of DATE_FILTERS) {
  add(`permissions effective_date ${op}`, def(permissions('explicitly_unreachable', [{ field: 'effective_date', filter: f }])));
  add(`permissions recorded_date ${op}`, def(permissions('explicitly_reachable', [{ field: 'recorded_date', filter: f }])));
}

// --- Boolean structure ------------------------------------------------------------------------
add('several groups and several conditions per group', {
  condition_groups: [
    { conditions: [membership(), property(F.string('ends-with', '@gmail.com'))] },
    { conditions: [consent('email', true, { subscription: 'subscribed' })] },
    { conditions: [{ type: 'profile-region', in_region: false, region: 'european_union' }] },
  ],
});
add('100 conditions (the limit) over two groups', {
  condition_groups: [
    { conditions: Array.from({ length: 50 }, (_, i) => ({ type: 'profile-group-membership', is_member: true, group_ids: [`L${i}`] })) },
    { conditions: Array.from({ length: 50 }, (_, i) => ({ type: 'profile-group-membership', is_member: false, group_ids: [`N${i}`] })) },
  ],
});

// --- File shapes ------------------------------------------------------------------------------
const DEFINITION = def(membership(DATE['in-the-last']), metric(DATE.alltime));
add('shape: bare definition', DEFINITION);
add('shape: create body minimal', { data: { type: 'segment', attributes: { name: 'Engaged', definition: DEFINITION } } });
add('shape: create body maximal (is_starred)', { data: { type: 'segment', attributes: { name: 'Engaged', definition: DEFINITION, is_starred: true } } });
add('shape: create body is_starred null', { data: { type: 'segment', attributes: { name: 'Engaged', definition: DEFINITION, is_starred: null } } });
add('shape: update body maximal (every attribute)', {
  data: { type: 'segment', id: 'UUvyMc', attributes: { name: 'Engaged', definition: DEFINITION, is_starred: false, is_active: true } },
});
add('shape: update body only a name', { data: { type: 'segment', id: 'UUvyMc', attributes: { name: 'Renamed' } } });
add('shape: update body empty attributes', { data: { type: 'segment', id: 'UUvyMc', attributes: {} } });
add('shape: update body every attribute null', {
  data: { type: 'segment', id: 'UUvyMc', attributes: { name: null, definition: null, is_starred: null, is_active: null } },
});
add('shape: update body deactivation alone', { data: { type: 'segment', id: 'UUvyMc', attributes: { is_active: false } } });
add('shape: resource (headless-klaviyo) maximal', {
  type: 'segment',
  id: 'UUvyMc',
  attributes: {
    name: 'Engaged',
    definition: DEFINITION,
    created: '2025-01-02T03:04:05+00:00',
    updated: '2026-07-15T10:00:00+00:00',
    is_active: true,
    is_processing: false,
    is_starred: false,
    profile_count: 1234,
  },
  relationships: {
    profiles: {
      links: { self: 'https://a.klaviyo.com/api/segments/UUvyMc/relationships/profiles/', related: 'https://a.klaviyo.com/api/segments/UUvyMc/profiles/' },
    },
  },
  links: { self: 'https://a.klaviyo.com/api/segments/UUvyMc/' },
});
add('shape: resource with the attributes the brief lists', {
  type: 'segment',
  id: 'UUvyMc',
  attributes: {
    name: 'Engaged',
    definition: DEFINITION,
    created: '2025-01-02T03:04:05+00:00',
    updated: '2026-07-15T10:00:00+00:00',
    is_active: true,
    is_processing: false,
    is_starred: true,
  },
});
add('shape: resource with nullable attributes null', {
  type: 'segment',
  id: 'UUvyMc',
  attributes: { name: null, definition: null, created: null, updated: null, is_active: false, is_processing: true, is_starred: false, profile_count: null },
});

// --- Klaviyo's guide examples that are still valid --------------------------------------------
// Verbatim text (the guide's formatting: no indentation).
add(
  'doc example: create-likely-female.json (verbatim)',
  `{
"data": {
"type": "segment",
"attributes": {
"name": "Likely female segment",
"definition": {
"condition_groups": [
{
"conditions": [
{
"type": "profile-predictive-analytics",
"dimension": "predicted_gender",
"filter": {
"type": "string",
"operator": "equals",
"value": "likely_female"
}
}
]
}
]
},
"is_starred": false
}
}
}
`,
);
/** A guide example that is a single condition, wrapped into a definition as the docs intend. */
const wrap = (conditionText: string): string => `{
"condition_groups": [
{
"conditions": [
${conditionText}
]
}
]
}
`;
add(
  'doc example: membership-in-last-10-days.json wrapped',
  wrap(`{
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
}`),
);
add(
  'doc example: postal-within-10-miles.json wrapped',
  wrap(`{
"type": "profile-postal-code-distance",
"country_code": "USA",
"postal_code": "02141",
"unit": "miles",
"filter": {
"type": "numeric",
"operator": "less-than",
"value": 10
}
}`),
);
add(
  'doc example: predictive-aov-100.json wrapped',
  wrap(`{
"type": "profile-predictive-analytics",
"dimension": "average_order_value",
"filter": {
"type": "numeric",
"operator": "greater-than-or-equal",
"value": 100
}
}`),
);
add(
  'doc example: property-hotmail.json wrapped',
  wrap(`{
"type": "profile-property",
"property": "email",
"filter": {
"type": "string",
"operator": "ends-with",
"value": "@hotmail.com"
}
}`),
);
add(
  'doc example: update-columbus-postal.json once fixed (profile-property, timeframe_filter null)',
  `{
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
"type": "profile-property",
"property": "location['city']",
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
`,
);
// Klaviyo's own examples of the segment language, as its documentation gives them.
add(
  'Klaviyo example: create body "Opened email 30d"',
  `{"data":{"type":"segment","attributes":{"name":"Opened email 30d","definition":{"condition_groups":[{"conditions":[
 {"type":"profile-metric","metric_id":"AbC123","measurement":"count",
  "measurement_filter":{"type":"numeric","operator":"greater-than-or-equal","value":1},
  "timeframe_filter":{"type":"date","operator":"in-the-last","unit":"day","quantity":30}}]}]}}}}`,
);
add(
  'Klaviyo example: metric sum over all time with a country filter',
  wrap(`{"type":"profile-metric","metric_id":"S4SFhi","measurement":"sum",
 "measurement_filter":{"type":"numeric","operator":"greater-than","value":200},
 "timeframe_filter":{"type":"date","operator":"alltime"},
 "metric_filters":[{"property":"country","filter":{"type":"string","operator":"equals","value":"United States"}}]}`),
);
add(
  'Klaviyo example: funnel with DAYS_1 window',
  wrap(`{"type":"profile-metric-funnel","timeframe_filter":{"type":"date","operator":"in-the-last","unit":"day","quantity":30},
 "completion_window_seconds":"DAYS_1",
 "steps":[{"metric_exists":true,"metric_id":"OpenEm"},{"metric_exists":true,"metric_id":"PlcOrd","metric_filters":null}]}`),
);
add(
  'Klaviyo example: email double opt-in consent',
  wrap(`{"type":"profile-marketing-consent","consent":{"channel":"email","can_receive_marketing":true,
 "consent_status":{"subscription":"subscribed","filters":[{"field":"is_double_opt_in","filter":{"type":"boolean","operator":"equals","value":true}}]}}}`),
);
add(
  'Klaviyo example: phone country code',
  wrap(`{"type":"profile-property","property":"phone_number","filter":{"type":"string","operator":"phone-country-code-in","value":["US","GB"]}}`),
);
add(
  'Klaviyo example: channel affinity rank',
  wrap(
    `{"type":"profile-predictive-analytics","dimension":"channel_affinity","measurement":"rank","predicted_channel":"sms","filter":{"type":"string","operator":"equals","value":"high"}}`,
  ),
);
add(
  'Klaviyo example: whatsapp explicitly reachable',
  wrap(`{"type":"profile-permissions","channel":"whatsapp_marketing","permission":{"reachable_status":"explicitly_reachable","filters":[]}}`),
);

// ---------------------------------------------------------------------------------------------

describe('schema: valid segment files produce no error and no warning', function () {
  this.timeout(20000);
  let lang: SegmentLanguage;
  before(() => {
    lang = new SegmentLanguage();
  });

  it('has a unique name per case', () => {
    const names = cases.map((c) => c.name);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  });

  for (const c of cases) {
    it(c.name, () => {
      const text = typeof c.json === 'string' ? c.json : JSON.stringify(c.json, null, 2);
      const problems = lang.validate(lang.parse(text)).filter((p) => p.severity === 'error' || p.severity === 'warning');
      const report = problems
        .map((p) => `  ${p.severity} ${p.code} at ${p.offset}+${p.length} ${JSON.stringify(text.slice(p.offset, p.offset + p.length))}: ${p.message}`)
        .join('\n');
      assert.equal(problems.length, 0, `expected no error or warning, got:\n${report}\nin:\n${text}`);
    });
  }

  it('reports the shape of each kind of file', () => {
    const shape = (json: Json) => lang.parse(JSON.stringify(json)).shape;
    assert.equal(shape(DEFINITION), 'definition');
    assert.equal(shape({ data: { type: 'segment', attributes: { name: 'n', definition: DEFINITION } } }), 'create-body');
    assert.equal(shape({ data: { type: 'segment', id: 'X', attributes: { definition: DEFINITION } } }), 'update-body');
    assert.equal(
      shape({ type: 'segment', id: 'X', attributes: { definition: DEFINITION, is_active: true, is_processing: false, is_starred: false } }),
      'resource',
    );
    assert.equal(shape(membership()), 'condition');
  });
});
