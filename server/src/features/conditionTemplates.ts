/**
 * Snippets that insert a complete, valid condition of each type (tab stops on what to change).
 * test/unit/conditionTemplates.test.ts expands each with its default choices and validates it.
 */
export interface ConditionTemplate {
  type: string;
  title: string;
  description: string;
  body: string;
}

const NUMERIC_OPERATORS = 'greater-than-or-equal,greater-than,equals,not-equals,less-than,less-than-or-equal';
const STRING_OPERATORS = 'equals,not-equals,contains,not-contains,starts-with,not-starts-with,ends-with,not-ends-with';

export const CONDITION_TEMPLATES: readonly ConditionTemplate[] = [
  {
    type: 'profile-metric',
    title: 'What someone has done (metric)',
    description: 'A count or sum of events of one metric in a timeframe, e.g. Placed Order at least once in the last 30 days.',
    body: `{ "type": "profile-metric", "metric_id": "\${1:METRIC_ID}", "measurement": "\${2|count,sum|}", "measurement_filter": { "type": "numeric", "operator": "\${3|${NUMERIC_OPERATORS}|}", "value": \${4:1} }, "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "\${5|day,week,hour|}", "quantity": \${6:30} } }`,
  },
  {
    type: 'profile-property',
    title: 'A profile property',
    description: 'Email, location, a custom property, …',
    body: `{ "type": "profile-property", "property": "\${1:email}", "filter": { "type": "string", "operator": "\${2|${STRING_OPERATORS}|}", "value": "\${3}" } }`,
  },
  {
    type: 'profile-group-membership',
    title: 'In a list',
    description: 'Members of a list (is_member false: everyone else).',
    body: `{ "type": "profile-group-membership", "is_member": \${1|true,false|}, "group_ids": ["\${2:LIST_ID}"] }`,
  },
  {
    type: 'profile-marketing-consent',
    title: 'Can receive marketing',
    description: 'Whether someone can receive email, SMS or push marketing.',
    body: '{ "type": "profile-marketing-consent", "consent": { "channel": "${1|email,sms,push|}", "can_receive_marketing": true, "consent_status": { "subscription": "subscribed" } } }',
  },
  {
    type: 'profile-metric-funnel',
    title: 'Steps in order (funnel)',
    description: 'Events in a specific order, e.g. Viewed Product then Added to Cart.',
    body: '{ "type": "profile-metric-funnel", "timeframe_filter": { "type": "date", "operator": "in-the-last", "unit": "day", "quantity": ${1:30} }, "completion_window_seconds": "${2|DAYS_1,HOURS_1,DAYS_3,DAYS_5,WEEKS_1,DAYS_30,DAYS_90,DAYS_180,YEARS_1|}", "steps": [ { "metric_exists": true, "metric_id": "${3:FIRST_METRIC_ID}" }, { "metric_exists": true, "metric_id": "${4:SECOND_METRIC_ID}" } ] }',
  },
  {
    type: 'profile-postal-code-distance',
    title: 'Near a postal code',
    description: "Someone's distance from a postal code.",
    body: '{ "type": "profile-postal-code-distance", "country_code": "${1:USA}", "postal_code": "${2:02141}", "unit": "${3|miles,kilometers|}", "filter": { "type": "numeric", "operator": "${4|less-than,greater-than|}", "value": ${5:10} } }',
  },
  {
    type: 'profile-region',
    title: 'In the EU or the US',
    description: 'By the location\'s country; profiles without a country match neither way.',
    body: '{ "type": "profile-region", "in_region": ${1|true,false|}, "region": "${2|european_union,united_states|}" }',
  },
  {
    type: 'profile-predictive-analytics',
    title: 'A prediction (CLV, churn, …)',
    description: 'A predictive analytics value.',
    body: `{ "type": "profile-predictive-analytics", "dimension": "\${1|average_order_value,historic_clv,predicted_clv,total_clv,churn_probability,historic_number_of_orders,predicted_number_of_orders,average_days_between_orders|}", "filter": { "type": "numeric", "operator": "\${2|${NUMERIC_OPERATORS}|}", "value": \${3:100} } }`,
  },
  {
    type: 'profile-has-custom-object',
    title: 'Has custom-object records',
    description: 'How many records of a custom object type someone has.',
    body: '{ "type": "profile-has-custom-object", "object_type_id": "${1:OBJECT_TYPE_ID}", "object_type_relationship_id": "${2:RELATIONSHIP_ID}", "filter": { "type": "numeric", "operator": "greater-than-or-equal", "value": ${3:1} }, "filters": [] }',
  },
  {
    type: 'profile-permissions',
    title: 'Reachable on WhatsApp',
    description: 'WhatsApp reachability.',
    body: '{ "type": "profile-permissions", "channel": "${1|whatsapp_marketing,whatsapp_transactional|}", "permission": { "reachable_status": "${2|implicitly_or_explicitly_reachable,implicitly_reachable,implicitly_or_explicitly_unreachable,implicitly_unreachable|}" } }',
  },
];

/** A snippet with every tab stop replaced by its default (the first choice, or the placeholder). */
export function expandSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, (_, first: string) => first)
    .replace(/\$\{\d+:([^}]*)\}/g, (_, text: string) => text)
    .replace(/\$\{\d+\}|\$\d+/g, '')
    .replace(/\\([\\$}])/g, '$1');
}
