// Builds schemas/segment-definition.schema.json: the JSON Schema (draft 2020-12) of a Klaviyo
// segment file at API revision 2026-07-15, written by Segment Lens from the facts of Klaviyo's
// OpenAPI spec. The problems a user sees when a file breaks it are listed in docs/diagnostics.md;
// how it is compiled and navigated is in docs/architecture.md ("The segment language").
//
// Run `npm run build:schema` after editing; test/unit/schema.sync.test.ts fails when the
// committed JSON and this builder disagree.
//
// `x-unionHint: true` marks a property a union lists only so that completion can offer it before
// the alternative is chosen; once an alternative is chosen, that alternative decides.
//
// Design: wherever Klaviyo's spec has a `oneOf`, this schema discriminates explicitly with
// `if`/`then` on the keys that tell the alternatives apart (a condition's `type`, a filter's
// `type` and `operator`, a consent's `channel` and `can_receive_marketing`, ...). A validator
// therefore only ever reports the errors of the alternative the user meant, and an unknown
// discriminator value is reported once, as an `enum` error listing what exists.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const defs = {};
const ref = (name) => ({ $ref: `#/$defs/${name}` });

/** Registers a definition and returns a `$ref` to it. */
function def(name, schema) {
  if (defs[name]) throw new Error(`duplicate definition ${name}`);
  defs[name] = schema;
  return ref(name);
}

/** `null` is accepted, anything else must match `schema` (OpenAPI's `nullable: true`). */
function nullable(schema, description) {
  return { description, if: { type: 'null' }, else: schema };
}

/** A string enum with a description per value. */
function enumOf(title, description, values) {
  return {
    title,
    description,
    type: 'string',
    enum: Object.keys(values),
    enumDescriptions: Object.values(values),
  };
}

function constant(value, description) {
  return { const: value, description };
}

// ---------------------------------------------------------------------------------------------
// Filters. Each filter is a closed shape `{type, operator, ...operands}`.

const UNIT = enumOf(
  'unit',
  'The unit of `quantity` (or of `start`/`end`). Days and weeks count whole UTC days; hours count from the current instant. There is no month unit.',
  {
    hour: 'Hours, counted back or forward from the current instant.',
    day: 'Days, on 00:00 UTC day boundaries.',
    week: 'Weeks of 7 days, on 00:00 UTC day boundaries.',
  },
);

const DATE_TIME = (what) => ({
  type: 'string',
  format: 'date-time',
  description: `${what} An ISO 8601 date-time with a UTC offset, for example \`2026-07-15T00:00:00+00:00\`. At exactly 00:00:00 UTC the whole day is meant, as in Klaviyo's date picker.`,
  examples: ['2026-07-15T00:00:00+00:00'],
});

/** Declares a filter: `type` is fixed, `operator` one of `operators` (value → description). */
function filter(name, title, description, type, operators, operands = {}, required = []) {
  return def(name, {
    title,
    description,
    type: 'object',
    required: ['type', 'operator', ...required],
    properties: {
      type: constant(type, `The filter family: \`${type}\`.`),
      operator: enumOf('operator', `How the ${title} compares.`, operators),
      ...operands,
    },
  });
}

const STRING_OPS = {
  equals: 'The whole value equals the text (case-sensitive).',
  'not-equals': 'The value is set and differs from the text (case-sensitive).',
  contains: 'The value contains the text (case-sensitive).',
  'not-contains': 'The value is set and does not contain the text.',
  'starts-with': 'The value starts with the text (case-sensitive).',
  'not-starts-with': 'The value is set and does not start with the text.',
  'ends-with': 'The value ends with the text (case-sensitive), for example `@hotmail.com`.',
  'not-ends-with': 'The value is set and does not end with the text.',
  regex: 'The value matches the regular expression (Klaviyo does not document the dialect).',
  nregex: 'The value is set and does not match the regular expression.',
};
const NUMERIC_OPS = {
  equals: 'Equal to `value`.',
  'not-equals': 'Different from `value` (a missing value never matches).',
  'greater-than': 'Strictly greater than `value`.',
  'greater-than-or-equal': 'Greater than or equal to `value`.',
  'less-than': 'Strictly less than `value`.',
  'less-than-or-equal': 'Less than or equal to `value`.',
};

const stringFilter = filter(
  'StringFilter',
  'text filter',
  'Compares a text value. Comparisons are case-sensitive and a missing value never matches, not even the `not-` operators.',
  'string',
  STRING_OPS,
  { value: { type: ['string', 'null'], description: 'The text to compare with (case-sensitive).' } },
  ['value'],
);
const stringInFilter = filter(
  'StringInFilter',
  'text list filter',
  'Tests whether a text value is one of a list of texts.',
  'string',
  {
    in: 'The value is one of the texts in `value`.',
    'not-in': 'The value is set and is none of the texts in `value`.',
  },
  { value: { type: 'array', items: { type: 'string' }, description: 'The texts to look for (case-sensitive).' } },
  ['value'],
);
const phoneFilter = filter(
  'PhoneCountryFilter',
  'phone country filter',
  "Tests the country of a profile's E.164 phone number.",
  'string',
  {
    'phone-country-code-in': "The phone number's country is one of `value`.",
    'phone-country-code-not-in': 'The phone number is set and its country is none of `value`.',
  },
  { value: { type: 'array', items: { type: 'string' }, description: 'ISO 3166 alpha-2 country codes, for example `["US", "GB"]`.' } },
  ['value'],
);
const numericFilter = filter(
  'NumericFilter',
  'numeric filter',
  'Compares a number.',
  'numeric',
  NUMERIC_OPS,
  { value: { type: 'number', description: 'The number to compare with.' } },
  ['value'],
);
const integerFilter = filter(
  'IntegerFilter',
  'whole-number filter',
  'Compares a whole number (the count of matching custom-object records).',
  'numeric',
  NUMERIC_OPS,
  { value: { type: 'integer', description: 'The whole number to compare with.' } },
  ['value'],
);
const numericRangeFilter = filter(
  'NumericRangeFilter',
  'numeric range filter',
  'Tests that a number lies between two bounds, both included.',
  'numeric',
  {
    between: 'Between `start` and `end`, both included.',
  },
  { start: { type: 'number', description: 'Lower bound (included).' }, end: { type: 'number', description: 'Upper bound (included).' } },
  ['start', 'end'],
);
const distanceFilter = filter(
  'DistanceFilter',
  'distance filter',
  'Compares the distance between the profile and the postal code.',
  'numeric',
  {
    'greater-than': 'Farther than `value` (strict).',
    'less-than': 'Closer than `value` (strict).',
  },
  { value: { type: 'number', description: "The distance, in the condition's `unit`." } },
  ['value'],
);
const booleanFilter = filter(
  'BooleanFilter',
  'boolean filter',
  'Tests a true/false value. A missing value never matches, not even `equals false`.',
  'boolean',
  {
    equals: 'The value is exactly this boolean.',
  },
  { value: { type: 'boolean', description: '`true` or `false`.' } },
  ['value'],
);
const existenceFilter = filter(
  'ExistenceFilter',
  'existence filter',
  'Tests whether a value is set. `not-set` is the only filter that matches profiles without the value.',
  'existence',
  {
    'is-set': 'The value is present (an empty text counts as set).',
    'not-set': 'The value is missing or null.',
  },
);
const isSetFilter = filter('IsSetFilter', 'is-set filter', 'Tests that a date is present.', 'existence', { 'is-set': 'The date is present.' });
const listContainsFilter = filter(
  'ListContainsFilter',
  'list element filter',
  'Tests whether a list-valued property holds an element.',
  'list',
  {
    contains: 'The list has an element equal to `value`.',
    'not-contains': 'The list is set and has no element equal to `value`.',
  },
  { value: { type: ['integer', 'string', 'null'], description: 'The element to look for.' } },
  ['value'],
);
const listSetFilter = filter(
  'ListSetFilter',
  'list set filter',
  'Compares a list-valued event property with a set of texts.',
  'list',
  {
    'contains-any': 'The list includes at least one of `value`.',
    'contains-all': 'The list includes every one of `value`.',
    'not-contains-any': 'The list is set and includes none of `value`.',
    'not-contains-all': 'The list is set and lacks at least one of `value`.',
  },
  { value: { type: 'array', items: { type: 'string' }, description: 'The texts to look for.' } },
  ['value'],
);
const listSubstringFilter = filter(
  'ListSubstringFilter',
  'list text filter',
  'Looks for a text inside the elements of a list-valued event property.',
  'list',
  {
    'contains-substring': 'Some element contains the text.',
    'not-contains-substring': 'The list is set and no element contains the text.',
  },
  { value: { type: ['string', 'null'], description: 'The text to look for (case-sensitive).' } },
  ['value'],
);
const listLengthFilter = filter(
  'ListLengthFilter',
  'list length filter',
  'Compares the number of elements of a list-valued property.',
  'list',
  {
    'length-equals': 'The list has exactly `value` elements (0: the list is empty).',
    'length-greater-than': 'The list has more than `value` elements.',
    'length-greater-than-or-equal': 'The list has at least `value` elements.',
    'length-less-than': 'The list has fewer than `value` elements.',
    'length-less-than-or-equal': 'The list has at most `value` elements.',
  },
  { value: { type: 'integer', description: 'The number of elements.' } },
  ['value'],
);

const staticDateFilter = filter(
  'StaticDateFilter',
  'static date filter',
  'Compares a date with a fixed date.',
  'date',
  {
    before: 'Before `date`.',
    after: "After `date`; at 00:00:00 UTC the chosen day itself is excluded, as in Klaviyo's UI.",
  },
  { date: DATE_TIME('The fixed date.') },
  ['date'],
);
const staticDateRangeFilter = filter(
  'StaticDateRangeFilter',
  'static date range filter',
  'Tests that a date lies between two fixed dates.',
  'date',
  {
    'between-static': 'Between `start` and `end`; at 00:00:00 UTC both whole days are included.',
  },
  { start: DATE_TIME('The first date.'), end: DATE_TIME('The last date.') },
  ['start', 'end'],
);
const relativeDateFilter = filter(
  'RelativeDateFilter',
  'relative date filter',
  'Compares a date with today (UTC day boundaries for days and weeks).',
  'date',
  {
    'in-the-last': 'Within the last `quantity` units, today included.',
    'at-least': 'At least `quantity` units ago.',
    'in-the-next': 'Within the next `quantity` units (for future dates such as a predicted next order).',
  },
  { quantity: { type: 'integer', description: 'How many units.' }, unit: UNIT },
  ['unit', 'quantity'],
);
const relativeDateRangeFilter = filter(
  'RelativeDateRangeFilter',
  'relative date range filter',
  'Tests that a date lies between two distances in the past ("between 30 and 60 days ago").',
  'date',
  {
    between: 'Between `start` and `end` units ago (start ≤ end).',
  },
  {
    start: { type: 'integer', description: 'The nearer distance, in units ago.' },
    end: { type: 'integer', description: 'The farther distance, in units ago.' },
    unit: UNIT,
  },
  ['start', 'end', 'unit'],
);
const relativeAnniversaryFilter = filter(
  'RelativeAnniversaryFilter',
  'relative anniversary filter',
  "Tests the yearly anniversary of a date (a birthday, a signup date) against today's window.",
  'date',
  {
    'anniversary-last': 'The anniversary fell in the last `quantity` units.',
    'anniversary-next': 'The anniversary falls in the next `quantity` units.',
  },
  { quantity: { type: 'integer', description: 'How many units.' }, unit: UNIT },
  ['unit', 'quantity'],
);
const calendarDateFilter = filter(
  'CalendarDateFilter',
  'calendar month filter',
  'Tests the calendar month of a date.',
  'date',
  {
    'calendar-month': 'The date falls in month `value` of any year.',
  },
  { value: { type: 'integer', description: 'The month: 1 = January … 12 = December.' } },
  ['value'],
);
const anniversaryFilter = filter('AnniversaryFilter', 'anniversary filter', 'Tests the anniversary of a date against today.', 'date', {
  anniversary: 'The date has the same month and day as today (UTC).',
  'anniversary-month': 'The date is in the current month of any year.',
});
const alltimeFilter = filter('AlltimeFilter', 'all-time filter', 'No time restriction.', 'date', { alltime: 'Over all time.' });

const genderFilter = filter(
  'PredictedGenderFilter',
  'predicted gender filter',
  'Compares the predicted gender.',
  'string',
  {
    equals: 'The prediction is `value`.',
    'not-equals': 'The prediction is set and is not `value`.',
  },
  { value: enumOf('predicted gender', 'The predicted gender.', { likely_female: 'Likely female.', likely_male: 'Likely male.', uncertain: 'Uncertain.' }) },
  ['value'],
);
const rankFilter = filter(
  'ChannelAffinityRankFilter',
  'channel affinity rank filter',
  'Compares the affinity rank of the channel.',
  'string',
  {
    equals: 'The rank is `value`.',
    'not-equals': 'The rank is set and is not `value`.',
  },
  { value: enumOf('affinity rank', 'The affinity rank.', { high: 'High affinity.', medium: 'Medium affinity.', low: 'Low affinity.' }) },
  ['value'],
);
const priorityFilter = filter(
  'ChannelAffinityPriorityFilter',
  'channel affinity priority filter',
  "Compares the channel's position in the profile's ranked channel affinity.",
  'numeric',
  {
    equals: 'The channel is at position `value` (1 = the preferred channel).',
  },
  { value: { type: 'integer', description: 'The 1-based position.' } },
  ['value'],
);
const inStringArrayFilter = filter(
  'InStringArrayFilter',
  'text list filter',
  'Restricts to a list of identifiers.',
  'string',
  {
    in: 'One of the texts in `value`.',
  },
  { value: { type: 'array', items: { type: 'string' }, description: 'The identifiers.' } },
  ['value'],
);
const equalsStringFilter = filter(
  'EqualsStringFilter',
  'text equality filter',
  'Compares a text exactly.',
  'string',
  {
    equals: 'Equal to `value` (case-sensitive).',
  },
  { value: { type: ['string', 'null'], description: 'The text.' } },
  ['value'],
);
const integrationFilter = (name, integration) =>
  filter(
    name,
    'integration filter',
    `Restricts to the ${integration} integration.`,
    'string',
    {
      in: 'The integration is in `value`.',
    },
    {
      value: {
        type: 'array',
        items: { type: 'string', enum: [integration], enumDescriptions: [`The ${integration} integration.`] },
        description: `Must be \`["${integration}"]\`.`,
      },
    },
    ['value'],
  );
const shopifyFilter = integrationFilter('ShopifyIntegrationFilter', 'shopify');
const constantContactFilter = integrationFilter('ConstantContactIntegrationFilter', 'constant_contact');

/**
 * A union of filters discriminated by `type` and then `operator`. `members` are `$ref`s to
 * filters declared with `filter()`.
 */
function filterUnion(name, title, description, members) {
  if (members.length === 1) return members[0];
  const byType = new Map();
  const branches = [];
  for (const member of members) {
    const schema = defs[member.$ref.split('/').pop()];
    const type = schema.properties.type.const;
    const ops = schema.properties.operator.enum;
    const opDescriptions = schema.properties.operator.enumDescriptions;
    if (!byType.has(type)) byType.set(type, { ops: [], descriptions: [] });
    for (let i = 0; i < ops.length; i++) {
      if (byType.get(type).ops.includes(ops[i])) throw new Error(`${name}: operator ${ops[i]} twice for ${type}`);
      byType.get(type).ops.push(ops[i]);
      byType.get(type).descriptions.push(opDescriptions[i]);
    }
    branches.push({
      if: { properties: { type: { const: type }, operator: { enum: ops } }, required: ['type', 'operator'] },
      then: member,
    });
  }
  const typeDescriptions = {
    string: 'Text comparisons.',
    numeric: 'Number comparisons.',
    boolean: 'True/false comparisons.',
    date: 'Date comparisons: fixed dates, relative windows, anniversaries.',
    list: 'Comparisons on list-valued properties.',
    existence: 'Whether the value is set.',
  };
  const types = [...byType.keys()];
  return def(name, {
    title,
    description,
    type: 'object',
    required: ['type', 'operator'],
    properties: {
      type: {
        title: 'filter type',
        description: 'The filter family; `operator` depends on it.',
        type: 'string',
        enum: types,
        enumDescriptions: types.map((t) => typeDescriptions[t]),
      },
      operator: { type: 'string', description: 'The comparison; which operators exist depends on `type`.' },
    },
    allOf: [
      ...types.map((type) => ({
        if: { properties: { type: { const: type } }, required: ['type'] },
        then: { properties: { operator: { title: `${type} operator`, enum: byType.get(type).ops, enumDescriptions: byType.get(type).descriptions } } },
      })),
      ...branches,
    ],
  });
}

const propertyFilter = filterUnion(
  'ProfilePropertyFilter',
  'profile property filter',
  'How to test the profile property. The filter family must fit the type of the stored value: a text filter on a number matches no one.',
  [
    stringFilter,
    stringInFilter,
    phoneFilter,
    numericFilter,
    booleanFilter,
    staticDateFilter,
    staticDateRangeFilter,
    relativeDateFilter,
    relativeAnniversaryFilter,
    relativeDateRangeFilter,
    calendarDateFilter,
    anniversaryFilter,
    listContainsFilter,
    listLengthFilter,
    existenceFilter,
  ],
);
const eventPropertyFilter = filterUnion(
  'EventPropertyFilter',
  'event property filter',
  'How to test the event property. Event properties have no date operators.',
  [stringFilter, stringInFilter, existenceFilter, listSetFilter, listLengthFilter, listSubstringFilter, booleanFilter, numericFilter],
);
const customObjectPropertyFilter = filterUnion(
  'CustomObjectPropertyFilter',
  'custom object property filter',
  'How to test the custom-object record property.',
  [
    stringFilter,
    stringInFilter,
    numericFilter,
    numericRangeFilter,
    booleanFilter,
    staticDateFilter,
    staticDateRangeFilter,
    relativeDateFilter,
    relativeAnniversaryFilter,
    relativeDateRangeFilter,
    listContainsFilter,
    listLengthFilter,
    existenceFilter,
  ],
);
const metricTimeframe = filterUnion('MetricTimeframe', 'metric timeframe', 'When the events must have happened. All date logic is UTC.', [
  staticDateFilter,
  staticDateRangeFilter,
  relativeDateFilter,
  relativeAnniversaryFilter,
  relativeDateRangeFilter,
  alltimeFilter,
]);
const membershipTimeframe = filterUnion('MembershipTimeframe', 'list join timeframe', 'When the profile was (most recently) added to the list.', [
  staticDateFilter,
  staticDateRangeFilter,
  relativeDateFilter,
  relativeDateRangeFilter,
]);
const funnelTimeframe = filterUnion('FunnelTimeframe', 'funnel timeframe', "The period in which the funnel's events are searched for (at most 365 days).", [
  staticDateRangeFilter,
  relativeDateRangeFilter,
  relativeDateFilter,
]);
const dateFilter = filterUnion('DateFilter', 'date filter', 'How to test the date.', [
  staticDateFilter,
  staticDateRangeFilter,
  relativeDateFilter,
  relativeAnniversaryFilter,
  relativeDateRangeFilter,
  calendarDateFilter,
  anniversaryFilter,
]);
const suppressionDateFilter = filterUnion('SuppressionDateFilter', 'suppression date filter', 'How to test the suppression date, or only that it exists.', [
  staticDateFilter,
  staticDateRangeFilter,
  relativeDateFilter,
  relativeAnniversaryFilter,
  relativeDateRangeFilter,
  calendarDateFilter,
  anniversaryFilter,
  isSetFilter,
]);

// ---------------------------------------------------------------------------------------------
// Unions discriminated by a single key (`field`, `method`, `subscription`, ...).

/**
 * `{key: value}`-discriminated union. `alternatives` maps each value to a `$ref` (or schema).
 * `extra` adds properties that all alternatives share (for completion and hover).
 */
function keyedUnion(name, title, description, key, keyTitle, alternatives, keyDescriptions, extra = {}) {
  // Consent statuses: offer "filters" before the status is known when some status takes filters.
  const takesFilters = Object.values(alternatives).some((alt) => alt.$ref && defs[alt.$ref.split('/').pop()]?.properties?.filters);
  if (key === 'subscription' && takesFilters)
    extra = {
      filters: {
        type: ['array', 'null'],
        description: 'Optional filters on the consent record; which filters exist depends on the status.',
        'x-unionHint': true,
      },
      ...extra,
    };
  const values = Object.keys(alternatives);
  return def(name, {
    title,
    description,
    type: 'object',
    required: [key],
    properties: {
      [key]: {
        title: keyTitle,
        description: `Decides which kind of ${title} this is.`,
        enum: values,
        enumDescriptions: values.map((v) => keyDescriptions[v] ?? ''),
      },
      ...extra,
    },
    allOf: values.map((value) => ({
      if: { properties: { [key]: { const: value } }, required: [key] },
      then: alternatives[value],
    })),
  });
}

const METHOD_DESCRIPTIONS = {
  api: 'Through the API.',
  back_in_stock: 'Through a back-in-stock request.',
  bigcommerce: 'Through BigCommerce.',
  bulk_remove: 'Removed in bulk.',
  campaign_monitor: 'Through Campaign Monitor.',
  carrier_deactivation: 'The carrier deactivated the number.',
  checkout: 'At checkout.',
  constant_contact: 'Through Constant Contact.',
  exact_target: 'Through ExactTarget.',
  facebook: 'Through Facebook.',
  failed_age_gate: 'Failed the age gate.',
  form: 'Through a sign-up form.',
  inbound_message: 'By an inbound message (for example replying STOP).',
  integration: 'Through an integration.',
  mad_mimi: 'Through Mad Mimi.',
  magento_two: 'Through Magento 2.',
  mailbox_provider: 'Reported by the mailbox provider.',
  manual_add: 'Added by hand.',
  manual_import: 'In a manual import.',
  manual_remove: 'Removed by hand.',
  message_blocked: 'The message was blocked.',
  netsuite: 'Through NetSuite.',
  one_click_unsubscribe: 'With one-click unsubscribe.',
  preference_page: 'On the preference page.',
  profile_modification: 'By a profile modification.',
  provided_landline: 'A landline number was provided.',
  provided_no_age: 'No age was provided.',
  sftp: 'Through an SFTP import.',
  shopify: 'Through Shopify.',
  social_instagram_message: 'Through an Instagram message.',
  spam_complaint: 'By a spam complaint.',
  square: 'Through Square.',
  wix: 'Through Wix.',
  woocommerce: 'Through WooCommerce.',
  data_warehouse_import: 'In a data warehouse import.',
};

const methodFilterOptional = (description) => nullable(inStringArrayFilter, description);

function methodItem(name, method, extra = {}, required = []) {
  return def(name, {
    title: `${method} method filter`,
    description: `The consent was last changed ${METHOD_DESCRIPTIONS[method].toLowerCase().replace(/\.$/, '')}.`,
    type: 'object',
    required: ['field', 'method', ...required],
    properties: {
      field: constant('method', 'Filter on how consent was given or withdrawn.'),
      method: constant(method, METHOD_DESCRIPTIONS[method]),
      ...extra,
    },
  });
}

const M = {
  api: methodItem('ApiMethod', 'api', { filter: methodFilterOptional('Optional: only these API keys, by their last 4 characters.') }),
  backInStock: methodItem('BackInStockMethod', 'back_in_stock'),
  bulkRemove: methodItem('BulkRemoveMethod', 'bulk_remove'),
  carrierDeactivation: methodItem('CarrierDeactivationMethod', 'carrier_deactivation'),
  checkout: methodItem('CheckoutMethod', 'checkout'),
  dataWarehouseImport: methodItem('DataWarehouseImportMethod', 'data_warehouse_import'),
  failedAgeGate: methodItem('FailedAgeGateMethod', 'failed_age_gate'),
  form: methodItem('FormMethod', 'form', { filter: methodFilterOptional('Optional: only these sign-up forms, by form ID.') }),
  inboundMessage: methodItem('InboundMessageMethod', 'inbound_message'),
  mailboxProvider: methodItem('MailboxProviderMethod', 'mailbox_provider'),
  manualAdd: methodItem('ManualAddMethod', 'manual_add', { filter: methodFilterOptional('Optional: only actions by these users, by email address.') }),
  manualImport: methodItem('ManualImportWithUsersMethod', 'manual_import', {
    filter: methodFilterOptional('Optional: only imports by these users, by email address.'),
  }),
  manualImportPlain: methodItem('ManualImportMethod', 'manual_import'),
  manualRemove: methodItem('ManualRemoveMethod', 'manual_remove'),
  messageBlocked: methodItem('MessageBlockedMethod', 'message_blocked'),
  oneClickUnsubscribe: methodItem('OneClickUnsubscribeMethod', 'one_click_unsubscribe'),
  preferencePage: methodItem('PreferencePageWithUrlMethod', 'preference_page', {
    filter: nullable(equalsStringFilter, 'Optional: only this subscribe page URL.'),
  }),
  preferencePagePlain: methodItem('PreferencePageMethod', 'preference_page'),
  profileModification: methodItem('ProfileModificationMethod', 'profile_modification'),
  providedLandline: methodItem('ProvidedLandlineMethod', 'provided_landline'),
  providedNoAge: methodItem('ProvidedNoAgeMethod', 'provided_no_age'),
  sftp: methodItem('SftpMethod', 'sftp'),
  spamComplaint: methodItem('SpamComplaintMethod', 'spam_complaint'),
  shopify: methodItem('ShopifyIntegrationMethod', 'integration', { filter: shopifyFilter }, ['filter']),
  constantContact: methodItem('ConstantContactIntegrationMethod', 'integration', { filter: constantContactFilter }, ['filter']),
};

function fieldItem(name, field, title, description, filterSchema) {
  return def(name, {
    title,
    description,
    type: 'object',
    required: ['field', 'filter'],
    properties: { field: constant(field, description), filter: filterSchema },
  });
}

const statusDateItem = fieldItem('StatusDateFilterItem', 'status_date', 'status date filter', 'When the consent status last changed.', dateFilter);
const doubleOptInItem = fieldItem(
  'DoubleOptInFilterItem',
  'is_double_opt_in',
  'double opt-in filter',
  'Whether the profile confirmed the subscription by double opt-in.',
  booleanFilter,
);
const customSourceItem = fieldItem(
  'CustomSourceFilterItem',
  'custom_source',
  'custom source filter',
  'The custom source recorded with the consent.',
  equalsStringFilter,
);
const rcsItem = fieldItem('RcsCapableFilterItem', 'is_rcs_capable', 'RCS capability filter', 'Whether the phone can receive RCS messages.', booleanFilter);
const bounceItem = fieldItem('BounceDateFilterItem', 'bounce_date', 'bounce date filter', 'When the address hard-bounced.', suppressionDateFilter);
const manualSuppressionItem = fieldItem(
  'ManualSuppressionDateFilterItem',
  'manual_suppression_date',
  'manual suppression date filter',
  'When the profile was suppressed by hand.',
  suppressionDateFilter,
);
const invalidEmailItem = fieldItem(
  'InvalidEmailDateFilterItem',
  'invalid_email_date',
  'invalid email date filter',
  'When the address was found invalid.',
  suppressionDateFilter,
);

const FIELD_DESCRIPTIONS = {
  status_date: 'When the consent status last changed.',
  is_double_opt_in: 'Whether the subscription was confirmed by double opt-in.',
  custom_source: 'The custom source recorded with the consent.',
  method: 'How consent was given or withdrawn.',
  is_rcs_capable: 'Whether the phone can receive RCS.',
  bounce_date: 'When the address hard-bounced.',
  manual_suppression_date: 'When the profile was suppressed by hand.',
  invalid_email_date: 'When the address was found invalid.',
  effective_date: 'When the permission took effect.',
  recorded_date: 'When the permission was recorded.',
  subscribe_method: 'How the permission was given.',
};

/** A consent filter item: discriminated by `field`, and for `field: "method"` by `method`. */
function consentFilterItems(name, title, fields, methods) {
  const alternatives = { ...fields };
  if (methods) {
    alternatives.method = keyedUnion(
      `${name}Method`,
      title.replace(/ filter$/, ' method filter'),
      'Filter on how consent was given or withdrawn.',
      'method',
      'method',
      methods,
      METHOD_DESCRIPTIONS,
    );
  }
  return keyedUnion(name, title, `One filter on the consent record; several filters must all hold.`, 'field', 'field', alternatives, FIELD_DESCRIPTIONS);
}

const emailSubscribedItem = consentFilterItems(
  'EmailSubscribedFilter',
  'email subscription filter',
  { is_double_opt_in: doubleOptInItem, status_date: statusDateItem, custom_source: customSourceItem },
  {
    form: M.form,
    preference_page: M.preferencePage,
    api: M.api,
    inbound_message: M.inboundMessage,
    back_in_stock: M.backInStock,
    sftp: M.sftp,
    manual_import: M.manualImport,
    manual_add: M.manualAdd,
    integration: M.shopify,
  },
);
const suppressionItem = consentFilterItems(
  'EmailSuppressionFilter',
  'email suppression filter',
  { bounce_date: bounceItem, manual_suppression_date: manualSuppressionItem, invalid_email_date: invalidEmailItem },
  null,
);
const emailUnsubscribedItem = consentFilterItems(
  'EmailUnsubscribedFilter',
  'email unsubscription filter',
  { status_date: statusDateItem },
  {
    api: M.api,
    inbound_message: M.inboundMessage,
    preference_page: M.preferencePagePlain,
    manual_remove: M.manualRemove,
    spam_complaint: M.spamComplaint,
    mailbox_provider: M.mailboxProvider,
    one_click_unsubscribe: M.oneClickUnsubscribe,
    manual_import: M.manualImportPlain,
    sftp: M.sftp,
    data_warehouse_import: M.dataWarehouseImport,
    profile_modification: M.profileModification,
    integration: M.constantContact,
  },
);
const smsSubscribedItem = consentFilterItems(
  'SmsSubscribedFilter',
  'SMS subscription filter',
  { status_date: statusDateItem, is_rcs_capable: rcsItem },
  {
    form: M.form,
    manual_import: M.manualImport,
    manual_add: M.manualAdd,
    checkout: M.checkout,
    inbound_message: M.inboundMessage,
    preference_page: M.preferencePagePlain,
    sftp: M.sftp,
    integration: M.shopify,
  },
);
const smsUnsubscribedItem = consentFilterItems(
  'SmsUnsubscribedFilter',
  'SMS unsubscription filter',
  { status_date: statusDateItem },
  {
    form: M.form,
    manual_import: M.manualImport,
    manual_add: M.manualAdd,
    manual_remove: M.manualRemove,
    bulk_remove: M.bulkRemove,
    checkout: M.checkout,
    inbound_message: M.inboundMessage,
    preference_page: M.preferencePagePlain,
    sftp: M.sftp,
    carrier_deactivation: M.carrierDeactivation,
    provided_landline: M.providedLandline,
    message_blocked: M.messageBlocked,
    provided_no_age: M.providedNoAge,
    failed_age_gate: M.failedAgeGate,
    integration: M.shopify,
  },
);

const filtersArray = (item, description) => ({ type: 'array', items: item, description });
const SUPPRESSION_FIELDS = ['bounce_date', 'manual_suppression_date', 'invalid_email_date'];

function consentStatus(name, title, subscription, filtersSchema, requiredFilters = false) {
  return def(name, {
    title,
    description: `Consent status \`${subscription}\`.`,
    type: 'object',
    required: ['subscription', ...(requiredFilters ? ['filters'] : [])],
    properties: {
      subscription: constant(subscription, SUBSCRIPTION_DESCRIPTIONS[subscription]),
      ...(filtersSchema ? { filters: filtersSchema } : {}),
    },
  });
}
const SUBSCRIPTION_DESCRIPTIONS = {
  any: 'Any consent status: only whether the profile can receive marketing counts.',
  subscribed: 'Explicitly subscribed (opted in).',
  unsubscribed: 'Unsubscribed, globally or from a list.',
  never_subscribed: 'Never explicitly subscribed.',
};

const untypedFilters = { description: "Klaviyo's schema leaves these filters unconstrained; send `null` or leave the key out." };
const suppressionFilters = (description) => filtersArray(suppressionItem, description);

const emailCan = keyedUnion(
  'EmailCanReceiveStatus',
  'email consent status (can receive)',
  'The email consent status of a profile that can receive email marketing.',
  'subscription',
  'subscription',
  {
    any: consentStatus('EmailCanAny', 'email consent status (can receive, any)', 'any', untypedFilters),
    subscribed: consentStatus(
      'EmailCanSubscribed',
      'email consent status (can receive, subscribed)',
      'subscribed',
      nullable(filtersArray(emailSubscribedItem, 'Filters on the subscription; all must hold.'), 'Optional filters on the subscription; all must hold.'),
    ),
    never_subscribed: consentStatus('EmailCanNeverSubscribed', 'email consent status (can receive, never subscribed)', 'never_subscribed', untypedFilters),
  },
  SUBSCRIPTION_DESCRIPTIONS,
);
const emailCannot = keyedUnion(
  'EmailCannotReceiveStatus',
  'email consent status (cannot receive)',
  'The email consent status of a profile that cannot receive email marketing.',
  'subscription',
  'subscription',
  {
    any: consentStatus(
      'EmailCannotAny',
      'email consent status (cannot receive, any)',
      'any',
      nullable(suppressionFilters('Suppression date filters; all must hold.'), 'Optional suppression date filters; all must hold.'),
    ),
    unsubscribed: consentStatus(
      'EmailCannotUnsubscribed',
      'email consent status (cannot receive, unsubscribed)',
      'unsubscribed',
      nullable(
        {
          description: 'Either filters on the unsubscription (status date, method) or suppression date filters, not both kinds in one list.',
          type: 'array',
          if: { contains: { type: 'object', properties: { field: { enum: SUPPRESSION_FIELDS } }, required: ['field'] } },
          then: { items: suppressionItem },
          else: { items: emailUnsubscribedItem },
        },
        'Optional filters; all must hold.',
      ),
    ),
    never_subscribed: consentStatus(
      'EmailCannotNeverSubscribed',
      'email consent status (cannot receive, never subscribed)',
      'never_subscribed',
      suppressionFilters("Suppression date filters (required by Klaviyo's schema; all must hold)."),
      true,
    ),
    subscribed: consentStatus(
      'EmailCannotSubscribed',
      'email consent status (cannot receive, subscribed)',
      'subscribed',
      suppressionFilters("Suppression date filters (required by Klaviyo's schema; all must hold)."),
      true,
    ),
  },
  SUBSCRIPTION_DESCRIPTIONS,
);
const smsCan = keyedUnion(
  'SmsCanReceiveStatus',
  'SMS consent status (can receive)',
  'For SMS, a profile that can receive marketing is always subscribed.',
  'subscription',
  'subscription',
  {
    subscribed: consentStatus(
      'SmsCanSubscribed',
      'SMS consent status (can receive, subscribed)',
      'subscribed',
      nullable(filtersArray(smsSubscribedItem, 'Filters on the subscription; all must hold.'), 'Optional filters on the subscription; all must hold.'),
    ),
  },
  SUBSCRIPTION_DESCRIPTIONS,
);
const smsCannot = keyedUnion(
  'SmsCannotReceiveStatus',
  'SMS consent status (cannot receive)',
  'The SMS consent status of a profile that cannot receive SMS marketing.',
  'subscription',
  'subscription',
  {
    any: consentStatus('SmsCannotAny', 'SMS consent status (cannot receive, any)', 'any', null),
    unsubscribed: consentStatus(
      'SmsCannotUnsubscribed',
      'SMS consent status (cannot receive, unsubscribed)',
      'unsubscribed',
      nullable(filtersArray(smsUnsubscribedItem, 'Filters on the unsubscription; all must hold.'), 'Optional filters; all must hold.'),
    ),
    never_subscribed: consentStatus('SmsCannotNeverSubscribed', 'SMS consent status (cannot receive, never subscribed)', 'never_subscribed', null),
  },
  SUBSCRIPTION_DESCRIPTIONS,
);
const pushCan = keyedUnion(
  'PushCanReceiveStatus',
  'push consent status (can receive)',
  'The push consent status of a profile that can receive push marketing.',
  'subscription',
  'subscription',
  {
    any: consentStatus(
      'PushCanAny',
      'push consent status (can receive, any)',
      'any',
      nullable(filtersArray(statusDateItem, 'Status date filters; all must hold.'), 'Optional status date filters.'),
    ),
  },
  SUBSCRIPTION_DESCRIPTIONS,
);
const pushCannot = keyedUnion(
  'PushCannotReceiveStatus',
  'push consent status (cannot receive)',
  'The push consent status of a profile that cannot receive push marketing.',
  'subscription',
  'subscription',
  {
    any: consentStatus('PushCannotAny', 'push consent status (cannot receive, any)', 'any', null),
  },
  SUBSCRIPTION_DESCRIPTIONS,
);

const CHANNEL_NAMES = { email: 'email', sms: 'SMS', push: 'push' };
function consentVariant(name, channel, canReceive, status) {
  return def(name, {
    title: `${CHANNEL_NAMES[channel]} consent (${canReceive ? 'can' : 'cannot'} receive)`,
    description: `Profiles that ${canReceive ? 'can' : 'cannot'} receive ${CHANNEL_NAMES[channel]} marketing.`,
    type: 'object',
    required: ['channel', 'can_receive_marketing', 'consent_status'],
    properties: {
      channel: constant(channel, `The ${CHANNEL_NAMES[channel]} channel.`),
      can_receive_marketing: constant(canReceive, canReceive ? 'Can receive marketing on this channel.' : 'Cannot receive marketing on this channel.'),
      consent_status: status,
    },
  });
}
const consentSchema = def('Consent', {
  title: 'marketing consent',
  description: 'Which channel, whether the profile can receive marketing on it, and its consent status.',
  type: 'object',
  required: ['channel', 'can_receive_marketing'],
  properties: {
    channel: enumOf('channel', 'The marketing channel.', { email: 'Email marketing.', sms: 'SMS marketing.', push: 'Mobile push marketing.' }),
    can_receive_marketing: { type: 'boolean', description: '`true`: profiles that can receive marketing on the channel; `false`: those that cannot.' },
    consent_status: {
      type: 'object',
      description: 'The consent status to test; which statuses exist depends on `channel` and `can_receive_marketing`.',
      'x-unionHint': true,
    },
  },
  allOf: [
    ['email', true, emailCan, 'EmailCanReceive'],
    ['email', false, emailCannot, 'EmailCannotReceive'],
    ['sms', true, smsCan, 'SmsCanReceive'],
    ['sms', false, smsCannot, 'SmsCannotReceive'],
    ['push', true, pushCan, 'PushCanReceive'],
    ['push', false, pushCannot, 'PushCannotReceive'],
  ].map(([channel, can, status, name]) => ({
    if: { properties: { channel: { const: channel }, can_receive_marketing: { const: can } }, required: ['channel', 'can_receive_marketing'] },
    then: consentVariant(name, channel, can, status),
  })),
});

// ---------------------------------------------------------------------------------------------
// Conditions.

const CONDITION_TYPES = {
  'profile-group-membership': 'Whether someone is in a list (and when they joined it).',
  'profile-metric': 'What someone has done (or not done): a count or sum of events of one metric.',
  'profile-metric-funnel': 'Steps someone has taken (or not taken) in a specific order.',
  'profile-marketing-consent': 'Whether someone can or cannot receive email, SMS or push marketing.',
  'profile-postal-code-distance': "Someone's distance from a postal code.",
  'profile-property': 'A property of the profile: email, location, a custom property, ...',
  'profile-region': 'Whether someone is or is not in the EU or the US.',
  'profile-predictive-analytics': 'A predictive analytics value: CLV, churn risk, next order date, gender, channel affinity.',
  'profile-has-custom-object': 'How many custom-object records of a type someone has.',
  'profile-permissions': 'Whether someone can be reached on WhatsApp.',
};
const conditionType = (type) => constant(type, CONDITION_TYPES[type]);

const metricFilterItem = def('MetricPropertyFilterItem', {
  title: 'event property filter',
  description: 'Only count events whose top-level event property passes the filter. Nested properties cannot be segmented on.',
  type: 'object',
  required: ['property'],
  properties: {
    property: { type: 'string', description: "A top-level key of the event's properties, for example `$value`, `Categories`, `Bot Click`." },
    filter: nullable(eventPropertyFilter, 'How to test the event property; without a filter the property only has to be set.'),
  },
});
const metricFilters = nullable(
  { type: 'array', items: metricFilterItem, description: 'Event property filters; an event counts only when it passes all of them (at most 10).' },
  'Event property filters; an event counts only when it passes all of them (at most 10).',
);

const isMember = def('ListMembershipCondition', {
  title: 'list membership condition',
  description: 'Profiles that are currently in the list, optionally by when they joined it.',
  type: 'object',
  required: ['type', 'is_member', 'group_ids'],
  properties: {
    type: conditionType('profile-group-membership'),
    is_member: constant(true, 'Members of the list.'),
    group_ids: {
      type: 'array',
      items: { type: 'string', description: 'A list ID.' },
      description: 'The list, as a one-element array of its ID. Segments cannot be used here.',
    },
    timeframe_filter: nullable(membershipTimeframe, 'Optional: when the profile was (most recently) added to the list.'),
  },
});
const notMember = def('ListNonMembershipCondition', {
  title: 'list non-membership condition',
  description: 'Profiles that are not currently in the list (including those who never were).',
  type: 'object',
  required: ['type', 'is_member', 'group_ids'],
  properties: {
    type: conditionType('profile-group-membership'),
    is_member: constant(false, 'Not members of the list.'),
    group_ids: { type: 'array', items: { type: 'string', description: 'A list ID.' }, description: 'The list, as a one-element array of its ID.' },
  },
});
const membership = def('GroupMembershipCondition', {
  title: 'list membership condition',
  description: 'Whether someone is in a list.',
  type: 'object',
  required: ['is_member'],
  properties: {
    type: conditionType('profile-group-membership'),
    is_member: { type: 'boolean', description: '`true`: members of the list; `false`: everyone else.' },
    group_ids: { type: 'array', items: { type: 'string' }, description: 'The list, as a one-element array of its ID.' },
  },
  allOf: [
    { if: { properties: { is_member: { const: true } }, required: ['is_member'] }, then: isMember },
    { if: { properties: { is_member: { const: false } }, required: ['is_member'] }, then: notMember },
  ],
});

const metricCondition = def('MetricCondition', {
  title: 'profile-metric condition',
  description: 'What someone has done (or not done): how many events of a metric they have, or the sum of their values, in a timeframe.',
  type: 'object',
  required: ['type', 'metric_id', 'measurement', 'measurement_filter', 'timeframe_filter'],
  properties: {
    type: conditionType('profile-metric'),
    metric_id: { type: 'string', description: 'The metric (event type) ID, for example the ID of "Placed Order".' },
    measurement: enumOf('measurement', 'What to measure over the matching events.', {
      count: 'How many events.',
      sum: "The sum of the events' values (`$value`), for example revenue.",
    }),
    measurement_filter: {
      ...numericFilter,
      description:
        'How the count or sum must compare. "At least once" is `greater-than-or-equal 1`; "zero times" is `equals 0`, which includes people who never did it.',
    },
    timeframe_filter: metricTimeframe,
    metric_filters: metricFilters,
  },
});

const funnelStep = def('FunnelStep', {
  title: 'funnel step',
  description: 'One step of the funnel.',
  type: 'object',
  required: ['metric_exists', 'metric_id'],
  properties: {
    metric_exists: { type: 'boolean', description: '`true`: the step happened; `false`: it did not happen at this point of the sequence.' },
    metric_id: { type: 'string', description: 'The metric of this step.' },
    metric_filters: metricFilters,
  },
});
const funnelCondition = def('FunnelCondition', {
  title: 'profile-metric-funnel condition',
  description: 'Steps someone has taken (or not taken) in a specific order. At most 5 steps.',
  type: 'object',
  required: ['type', 'timeframe_filter', 'steps'],
  properties: {
    type: conditionType('profile-metric-funnel'),
    timeframe_filter: funnelTimeframe,
    completion_window_seconds: nullable(
      enumOf('completion window', 'The longest time allowed between the first and the last step. Despite the name the values are tokens, not seconds.', {
        HOURS_1: '1 hour.',
        DAYS_1: '1 day.',
        DAYS_3: '3 days.',
        DAYS_5: '5 days.',
        WEEKS_1: '1 week.',
        DAYS_30: '30 days.',
        DAYS_90: '90 days.',
        DAYS_180: '180 days.',
        YEARS_1: '1 year (365 days).',
      }),
      'Optional: the longest time allowed between the first and the last step; unset means the whole timeframe.',
    ),
    steps: { type: 'array', items: funnelStep, description: 'The steps, in order (at most 5).' },
  },
});

const consentCondition = def('MarketingConsentCondition', {
  title: 'profile-marketing-consent condition',
  description:
    'Whether someone can or cannot receive marketing on a channel. Segments, unlike lists, include people who never opted in: add this condition to a segment meant for marketing.',
  type: 'object',
  required: ['type', 'consent'],
  properties: { type: conditionType('profile-marketing-consent'), consent: consentSchema },
});

const postalCondition = def('PostalCodeDistanceCondition', {
  title: 'profile-postal-code-distance condition',
  description: "Someone's distance from a postal code (US, Canada, EU, Australia, New Zealand; UK by outward code).",
  type: 'object',
  required: ['type', 'country_code', 'postal_code', 'unit', 'filter'],
  properties: {
    type: conditionType('profile-postal-code-distance'),
    country_code: { type: 'string', description: "The postal code's country as an ISO 3166 alpha-3 code, for example `USA`, `CAN`." },
    postal_code: { type: 'string', description: 'The postal code to measure from, for example `02141`.' },
    unit: enumOf('distance unit', 'The unit of the distance.', { miles: 'Miles.', kilometers: 'Kilometers.' }),
    filter: distanceFilter,
  },
});

const propertyCondition = def('PropertyCondition', {
  title: 'profile-property condition',
  description: 'A property of the profile.',
  type: 'object',
  required: ['type', 'property', 'filter'],
  properties: {
    type: conditionType('profile-property'),
    property: {
      type: 'string',
      description:
        "The profile property: a well-known name (`email`, `phone_number`, `first_name`, `created`, ...), a location field (`location['city']`), or a custom property as `properties['Name']`.",
      examples: ['email', "location['city']", "properties['Favorite Color']"],
    },
    filter: propertyFilter,
  },
});

const regionCondition = def('RegionCondition', {
  title: 'profile-region condition',
  description: "Whether someone is in the EU or the US, by their location's country. Profiles without a country match neither `true` nor `false`.",
  type: 'object',
  required: ['type', 'in_region', 'region'],
  properties: {
    type: conditionType('profile-region'),
    in_region: { type: 'boolean', description: '`true`: in the region; `false`: known to be elsewhere.' },
    region: enumOf('region', 'The region.', { european_union: 'The 27 EU member states (not the UK).', united_states: 'The United States.' }),
  },
});

const NUMERIC_DIMENSIONS = {
  average_days_between_orders: 'Average days between orders (unset with fewer than two orders).',
  average_order_value: 'Average order value.',
  churn_probability: 'Churn risk, from 0 to 1.',
  historic_clv: 'Historic customer lifetime value: the total of past orders.',
  historic_number_of_orders: 'Number of past orders.',
  predicted_clv: 'Predicted value of orders in the next 365 days.',
  predicted_number_of_orders: 'Predicted number of orders in the next 365 days.',
  total_clv: 'Historic plus predicted CLV.',
};
const CHANNELS = { email: 'Email.', push: 'Push.', sms: 'SMS.', whatsapp: 'WhatsApp.' };
const predictiveType = conditionType('profile-predictive-analytics');
const predictiveDate = def('PredictiveDateCondition', {
  title: 'predicted next order date condition',
  description: 'The predicted date of the next order.',
  type: 'object',
  required: ['type', 'dimension', 'filter'],
  properties: { type: predictiveType, dimension: constant('expected_date_of_next_purchase', 'Expected date of the next purchase.'), filter: dateFilter },
});
const predictiveNumeric = def('PredictiveNumericCondition', {
  title: 'numeric prediction condition',
  description: 'A numeric predictive analytics value.',
  type: 'object',
  required: ['type', 'dimension', 'filter'],
  properties: { type: predictiveType, dimension: enumOf('dimension', 'The predicted value.', NUMERIC_DIMENSIONS), filter: numericFilter },
});
const predictiveGender = def('PredictiveGenderCondition', {
  title: 'predicted gender condition',
  description: 'The gender predicted from the first name.',
  type: 'object',
  required: ['type', 'dimension', 'filter'],
  properties: { type: predictiveType, dimension: constant('predicted_gender', 'Predicted gender.'), filter: genderFilter },
});
const affinityProps = (measurement, description, f) => ({
  type: predictiveType,
  dimension: constant('channel_affinity', 'Channel affinity.'),
  measurement: constant(measurement, description),
  predicted_channel: enumOf('channel', 'The channel.', CHANNELS),
  filter: f,
});
const affinityPriority = def('ChannelAffinityPriorityCondition', {
  title: 'channel affinity priority condition',
  description: "The channel's position in the profile's ranked channel affinity.",
  type: 'object',
  required: ['type', 'dimension', 'measurement', 'predicted_channel', 'filter'],
  properties: affinityProps('priority', 'Position of the channel in the ranking (1 = preferred).', priorityFilter),
});
const affinityRank = def('ChannelAffinityRankCondition', {
  title: 'channel affinity rank condition',
  description: 'How strong the affinity for the channel is.',
  type: 'object',
  required: ['type', 'dimension', 'measurement', 'predicted_channel', 'filter'],
  properties: affinityProps('rank', 'Affinity rank of the channel (high, medium, low).', rankFilter),
});
const affinity = keyedUnion(
  'ChannelAffinityCondition',
  'channel affinity condition',
  'Channel affinity by priority or by rank.',
  'measurement',
  'measurement',
  { priority: affinityPriority, rank: affinityRank },
  { priority: 'Position of the channel in the ranking.', rank: 'Affinity rank: high, medium, low.' },
);
const dimensionAlternatives = {
  expected_date_of_next_purchase: predictiveDate,
  predicted_gender: predictiveGender,
  channel_affinity: affinity,
};
for (const dimension of Object.keys(NUMERIC_DIMENSIONS)) dimensionAlternatives[dimension] = predictiveNumeric;
const predictive = keyedUnion(
  'PredictiveAnalyticsCondition',
  'profile-predictive-analytics condition',
  'A predictive analytics value.',
  'dimension',
  'dimension',
  dimensionAlternatives,
  {
    expected_date_of_next_purchase: 'Expected date of the next purchase.',
    predicted_gender: 'Predicted gender.',
    channel_affinity: 'Channel affinity.',
    ...NUMERIC_DIMENSIONS,
  },
  { type: predictiveType, filter: { type: 'object', description: 'How to test the predicted value; its shape depends on "dimension".', 'x-unionHint': true } },
);

const customObjectFilterItem = def('CustomObjectFilterItem', {
  title: 'custom object property filter',
  description: 'A filter on one property of the custom-object records.',
  type: 'object',
  required: ['property_id', 'filter'],
  properties: {
    property_id: { type: 'integer', description: "The property's ID in the object type's schema." },
    filter: customObjectPropertyFilter,
  },
});
const customObject = def('CustomObjectCondition', {
  title: 'profile-has-custom-object condition',
  description: 'How many records of a custom object type someone has that pass the filters.',
  type: 'object',
  required: ['type', 'object_type_id', 'object_type_relationship_id', 'filter', 'filters'],
  properties: {
    type: conditionType('profile-has-custom-object'),
    object_type_id: { type: 'string', description: 'The custom object type ID (a ULID).' },
    object_type_relationship_id: { type: 'string', description: "The ID of the object type's relationship to profiles." },
    filter: {
      ...integerFilter,
      description: 'How the number of matching records must compare: "has at least one" is `greater-than-or-equal 1`, "does not have any" is `equals 0`.',
    },
    filters: {
      type: 'array',
      items: customObjectFilterItem,
      description: "Filters on the records' properties; a record counts when it passes all of them (at most 5).",
    },
  },
});

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
const subscribeMethodItem = def('SubscribeMethodFilterItem', {
  title: 'subscribe method filter',
  description: 'How the permission was given.',
  type: 'object',
  required: ['field', 'method'],
  properties: {
    field: constant('subscribe_method', 'Filter on how the permission was given.'),
    method: {
      title: 'subscribe method',
      description: 'How the permission was given.',
      enum: SUBSCRIBE_METHODS,
      enumDescriptions: SUBSCRIBE_METHODS.map((m) => METHOD_DESCRIPTIONS[m]),
    },
  },
});
const subscribeFormItem = def('SubscribeFormFilterItem', {
  title: 'sign-up form filter',
  description: 'The permission was given through a form.',
  type: 'object',
  required: ['field', 'method'],
  properties: {
    field: constant('subscribe_method', 'Filter on how the permission was given.'),
    method: constant('form', 'Through a sign-up form.'),
    filter: methodFilterOptional('Optional: only these forms, by form ID.'),
  },
});
const permissionFilterItem = keyedUnion(
  'PermissionFilter',
  'permission filter',
  'One filter on the WhatsApp permission; several must all hold.',
  'field',
  'field',
  {
    effective_date: fieldItem('EffectiveDateFilterItem', 'effective_date', 'effective date filter', 'When the permission took effect.', dateFilter),
    recorded_date: fieldItem('RecordedDateFilterItem', 'recorded_date', 'recorded date filter', 'When the permission was recorded.', dateFilter),
    subscribe_method: def('SubscribeMethodUnion', {
      title: 'subscribe method filter',
      description: 'How the permission was given.',
      type: 'object',
      required: ['field', 'method'],
      properties: {
        method: {
          title: 'subscribe method',
          description: 'How the permission was given.',
          enum: [...SUBSCRIBE_METHODS, 'form'],
          enumDescriptions: [...SUBSCRIBE_METHODS, 'form'].map((m) => METHOD_DESCRIPTIONS[m]),
        },
      },
      allOf: [{ if: { properties: { method: { const: 'form' } }, required: ['method'] }, then: subscribeFormItem, else: subscribeMethodItem }],
    }),
  },
  FIELD_DESCRIPTIONS,
);
const REACHABLE = {
  explicitly_reachable: 'Explicitly opted in and reachable.',
  implicitly_reachable: 'Reachable without explicit opt-in.',
  implicitly_or_explicitly_reachable: 'Reachable either way.',
  explicitly_unreachable: 'Explicitly opted out.',
  implicitly_unreachable: 'Not reachable, without an explicit opt-out.',
  implicitly_or_explicitly_unreachable: 'Not reachable either way.',
};
const permissionAlternatives = {};
for (const status of Object.keys(REACHABLE)) {
  const explicit = status.startsWith('explicitly_');
  const name = status
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  permissionAlternatives[status] = def(`${name}Permission`, {
    title: `${status.replace(/_/g, ' ')} permission`,
    description: REACHABLE[status],
    type: 'object',
    required: ['reachable_status', ...(explicit ? ['filters'] : [])],
    properties: {
      reachable_status: constant(status, REACHABLE[status]),
      ...(explicit
        ? { filters: { type: 'array', items: permissionFilterItem, description: 'Filters on the permission (required, may be empty); all must hold.' } }
        : {}),
    },
  });
}
const permission = keyedUnion(
  'Permission',
  'WhatsApp permission',
  'The reachability status to test.',
  'reachable_status',
  'reachable status',
  permissionAlternatives,
  REACHABLE,
);
const permissionsCondition = def('PermissionsCondition', {
  title: 'profile-permissions condition',
  description: 'Whether someone can be reached on WhatsApp.',
  type: 'object',
  required: ['type', 'permission', 'channel'],
  properties: {
    type: conditionType('profile-permissions'),
    channel: enumOf('channel', 'The WhatsApp permission.', { whatsapp_marketing: 'WhatsApp marketing.', whatsapp_transactional: 'WhatsApp transactional.' }),
    permission,
  },
});

const condition = keyedUnion(
  'Condition',
  'condition',
  'One condition. The conditions of a group are ORed: a profile matches the group when it matches any of them.',
  'type',
  'condition type',
  {
    'profile-group-membership': membership,
    'profile-metric': metricCondition,
    'profile-metric-funnel': funnelCondition,
    'profile-marketing-consent': consentCondition,
    'profile-postal-code-distance': postalCondition,
    'profile-property': propertyCondition,
    'profile-region': regionCondition,
    'profile-predictive-analytics': predictive,
    'profile-has-custom-object': customObject,
    'profile-permissions': permissionsCondition,
  },
  CONDITION_TYPES,
);

const conditionGroup = def('ConditionGroup', {
  title: 'condition group',
  description: 'A group of conditions that are ORed. Groups are ANDed: a profile is in the segment when it matches every group.',
  type: 'object',
  required: ['conditions'],
  properties: { conditions: { type: 'array', items: condition, description: 'The conditions, ORed (at most 100 conditions in the whole segment).' } },
});
const definition = def('SegmentDefinition', {
  title: 'segment definition',
  description: 'A Klaviyo segment definition: condition groups that are ANDed, each holding conditions that are ORed.',
  type: 'object',
  required: ['condition_groups'],
  properties: {
    condition_groups: {
      type: 'array',
      items: conditionGroup,
      description: 'The condition groups, ANDed: a profile is in the segment when it matches every group.',
    },
  },
});

const segmentType = constant('segment', 'The resource type: `segment`.');
const createObject = def('SegmentCreateResource', {
  title: 'segment to create',
  description: 'The body of POST /api/segments.',
  type: 'object',
  required: ['type', 'attributes'],
  properties: {
    type: segmentType,
    attributes: {
      title: 'segment attributes',
      type: 'object',
      description: 'The new segment.',
      required: ['name', 'definition'],
      properties: {
        name: { type: 'string', description: "The segment's name." },
        definition,
        is_starred: { type: ['boolean', 'null'], description: 'Whether the segment is starred (default `false`).' },
      },
    },
  },
});
const updateObject = def('SegmentUpdateResource', {
  title: 'segment update',
  description: 'The body of PATCH /api/segments/{id}.',
  type: 'object',
  required: ['type', 'id', 'attributes'],
  properties: {
    type: segmentType,
    id: { type: 'string', description: 'The ID of the segment to update.' },
    attributes: {
      title: 'segment attributes',
      type: 'object',
      description: 'The attributes to change.',
      properties: {
        definition: nullable(definition, 'The new definition.'),
        name: { type: ['string', 'null'], description: 'The new name.' },
        is_starred: { type: ['boolean', 'null'], description: 'Whether the segment is starred.' },
        is_active: { type: ['boolean', 'null'], description: '`false` deactivates the segment (and must then be the only attribute); `true` reactivates it.' },
      },
    },
  },
});
const requestBody = def('SegmentRequestBody', {
  title: 'Segments API request body',
  description: 'A request body for the Segments API: with `data.id` it updates a segment (PATCH), without it creates one (POST).',
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      description: 'The segment resource.',
      type: 'object',
      if: { required: ['id'] },
      then: updateObject,
      else: createObject,
    },
  },
});
const resource = def('SegmentResource', {
  title: 'segment resource',
  description: "A segment as the API returns it, the format Klaviyo's CLI (headless-klaviyo) saves as segments/segment-<ID>.json.",
  type: 'object',
  required: ['type', 'attributes'],
  properties: {
    type: segmentType,
    id: { type: 'string', description: 'The segment ID.' },
    attributes: {
      title: 'segment attributes',
      type: 'object',
      description: "The segment's attributes.",
      required: ['is_active', 'is_processing', 'is_starred'],
      properties: {
        name: { type: ['string', 'null'], description: "The segment's name." },
        definition: nullable(definition, 'The definition.'),
        created: nullable({ type: 'string', format: 'date-time' }, 'When the segment was created.'),
        updated: nullable({ type: 'string', format: 'date-time' }, 'When the segment was last updated.'),
        is_active: { type: 'boolean', description: 'Whether the segment is active; inactive segments do not update.' },
        is_processing: { type: 'boolean', description: 'Whether Klaviyo is still computing the segment.' },
        is_starred: { type: 'boolean', description: 'Whether the segment is starred.' },
        profile_count: { type: ['integer', 'null'], description: 'The number of members, when requested.' },
      },
    },
    relationships: { type: 'object', description: 'Related profiles, tags and flows.' },
    links: { type: 'object', description: 'Links to the resource.' },
  },
});

export function buildSchema() {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://segment-lens.dev/schemas/segment-definition.schema.json',
    title: 'Klaviyo segment file',
    description: 'A Klaviyo segment definition (API revision 2026-07-15): a bare definition, a Segments API request body, or a segment resource.',
    type: 'object',
    allOf: [
      { if: { required: ['data'] }, then: requestBody },
      { if: { required: ['attributes'], not: { required: ['data'] } }, then: resource },
      { if: { not: { anyOf: [{ required: ['data'] }, { required: ['attributes'] }] } }, then: definition },
    ],
    $defs: defs,
  };
}

/** The text of segment-definition.schema.json exactly as this script writes it. */
export function schemaFileText() {
  return JSON.stringify(buildSchema(), null, 2) + '\n';
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'segment-definition.schema.json');
  writeFileSync(out, schemaFileText());
  console.log(`wrote ${out} (${Object.keys(defs).length} definitions)`);
}
