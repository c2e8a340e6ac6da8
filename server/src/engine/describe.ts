import { isRecord } from './outcome';
import { parsePropertyPath } from './propertyPath';

/** Names for opaque IDs, from the workspace when there is one. */
export interface NameLookup {
  metricName?(id: string): string | undefined;
  listName?(id: string): string | undefined;
}

const q = (value: unknown) => JSON.stringify(value);
const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

function day(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  return /T00:00:00(\.0+)?(Z|[+-]00:?00)$/.test(value) ? value.slice(0, 10) : value;
}

/** "in the last 30 days", "over all time", "between 2024-01-01 and 2024-01-31", ... */
export function describeTimeframe(filter: unknown): string {
  if (!isRecord(filter)) return '';
  const unit = typeof filter.unit === 'string' ? filter.unit : 'day';
  const n = typeof filter.quantity === 'number' ? filter.quantity : undefined;
  switch (filter.operator) {
    case 'alltime': return 'over all time';
    case 'in-the-last': return `in the last ${plural(n ?? 0, unit)}`;
    case 'at-least': return `at least ${plural(n ?? 0, unit)} ago`;
    case 'in-the-next': return `in the next ${plural(n ?? 0, unit)}`;
    case 'between': return `between ${String(filter.start)} and ${plural(Number(filter.end), unit)} ago`;
    case 'before': return `before ${day(filter.date)}`;
    case 'after': return `after ${day(filter.date)}`;
    case 'between-static': return `between ${day(filter.start)} and ${day(filter.end)}`;
    case 'calendar-month': return `in ${MONTHS[Number(filter.value) - 1] ?? `month ${String(filter.value)}`}`;
    case 'anniversary': return 'with its anniversary today';
    case 'anniversary-month': return 'with its anniversary this month';
    case 'anniversary-last': return `with its anniversary in the last ${plural(n ?? 0, unit)}`;
    case 'anniversary-next': return `with its anniversary in the next ${plural(n ?? 0, unit)}`;
  }
  return `(${String(filter.operator)})`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const STRING_WORDS: Record<string, string> = {
  equals: 'is', 'not-equals': 'is not', contains: 'contains', 'not-contains': 'does not contain', 'starts-with': 'starts with', 'not-starts-with': 'does not start with',
  'ends-with': 'ends with', 'not-ends-with': 'does not end with',
};

const NUMERIC_WORDS: Record<string, string> = {
  equals: 'is', 'not-equals': 'is not', 'greater-than': 'is greater than', 'greater-than-or-equal': 'is at least', 'less-than': 'is less than', 'less-than-or-equal': 'is at most',
};

/** "ends with "@hotmail.com"", "is at least 100", "is set", ... for any value filter. */
export function describeFilter(filter: unknown): string {
  if (!isRecord(filter)) return 'is set';
  const op = String(filter.operator);
  const v = filter.value;
  switch (filter.type) {
    case 'existence': return op === 'not-set' ? 'is not set' : 'is set';
    case 'boolean': return `is ${String(v)}`;
    case 'numeric':
      if (op === 'between') return `is between ${String(filter.start)} and ${String(filter.end)}`;
      return `${NUMERIC_WORDS[op] ?? op} ${String(v)}`;
    case 'date': return describeTimeframe(filter).startsWith('with its') ? describeTimeframe(filter) : `is ${describeTimeframe(filter)}`;
    case 'string':
      switch (op) {
        case 'in': return `is one of ${listOf(v)}`;
        case 'not-in': return `is none of ${listOf(v)}`;
        case 'phone-country-code-in': return `is a phone number from ${listOf(v)}`;
        case 'phone-country-code-not-in': return `is a phone number not from ${listOf(v)}`;
        case 'regex': return `matches /${String(v)}/`;
        case 'nregex': return `does not match /${String(v)}/`;
        default: return `${STRING_WORDS[op] ?? op} ${q(v)}`;
      }
    case 'list':
      switch (op) {
        case 'contains': return `contains ${q(v)}`;
        case 'not-contains': return `does not contain ${q(v)}`;
        case 'contains-any': return `includes any of ${listOf(v)}`;
        case 'contains-all': return `includes all of ${listOf(v)}`;
        case 'not-contains-any': return `includes none of ${listOf(v)}`;
        case 'not-contains-all': return `does not include all of ${listOf(v)}`;
        case 'contains-substring': return `has an item containing ${q(v)}`;
        case 'not-contains-substring': return `has no item containing ${q(v)}`;
        default: return `has a length that ${NUMERIC_WORDS[op.replace(/^length-/, '')] ?? op} ${String(v)}`;
      }
  }
  return `${op} ${q(v)}`;
}

function listOf(value: unknown): string {
  return Array.isArray(value) ? value.map((x) => q(x)).join(', ') : q(value);
}

/** "at least once", "zero times", "more than 3 times", or for sums "with a total value over 200". */
function describeMeasure(measurement: unknown, filter: unknown): string {
  const f = isRecord(filter) ? filter : {};
  const op = String(f.operator);
  const n = Number(f.value);
  if (measurement === 'sum') return `with a total value that ${NUMERIC_WORDS[op] ?? op} ${String(f.value)}`;
  if ((op === 'greater-than-or-equal' && n === 1) || (op === 'greater-than' && n === 0)) return 'at least once';
  if ((op === 'equals' && n === 0) || (op === 'less-than' && n === 1) || (op === 'less-than-or-equal' && n === 0)) return 'zero times';
  const times = (k: number) => (k === 1 ? 'once' : `${k} times`);
  switch (op) {
    case 'equals': return `exactly ${times(n)}`;
    case 'not-equals': return `not exactly ${times(n)}`;
    case 'greater-than': return `more than ${times(n)}`;
    case 'greater-than-or-equal': return `at least ${times(n)}`;
    case 'less-than': return `fewer than ${times(n)}`;
    case 'less-than-or-equal': return `at most ${times(n)}`;
  }
  return `${op} ${String(f.value)} times`;
}

function metricLabel(id: unknown, names: NameLookup): string {
  const name = typeof id === 'string' ? names.metricName?.(id) : undefined;
  return name ? `${name}` : `metric ${String(id)}`;
}

function metricFilters(filters: unknown): string {
  if (!Array.isArray(filters) || filters.length === 0) return '';
  return ` where ${filters.map((f) => (isRecord(f) ? `${String(f.property)} ${describeFilter(f.filter)}` : '?')).join(' and ')}`;
}

/** The profile property's name as a person reads it: "email", "city", "Favorite Color". */
export function propertyLabel(property: unknown): string {
  if (typeof property !== 'string') return 'property';
  const path = parsePropertyPath(property);
  switch (path.kind) {
    case 'attribute': return path.name.replace(/_/g, ' ');
    case 'location': return path.field === 'zip' ? 'zip code' : path.field;
    case 'custom': return path.name;
    default: return property;
  }
}

const WINDOWS: Record<string, string> = { HOURS_1: '1 hour', DAYS_1: '1 day', DAYS_3: '3 days', DAYS_5: '5 days', WEEKS_1: '1 week', DAYS_30: '30 days', DAYS_90: '90 days', DAYS_180: '180 days', YEARS_1: '1 year' };
const CHANNELS: Record<string, string> = { email: 'email', sms: 'SMS', push: 'push', whatsapp: 'WhatsApp' };
const PREDICTIONS: Record<string, string> = {
  average_days_between_orders: 'predicted average days between orders', average_order_value: 'average order value', churn_probability: 'churn risk',
  historic_clv: 'historic CLV', historic_number_of_orders: 'number of orders', predicted_clv: 'predicted CLV', predicted_number_of_orders: 'predicted number of orders', total_clv: 'total CLV',
};

/** A plain-English reading of one condition. */
export function describeCondition(condition: unknown, names: NameLookup = {}): string {
  if (!isRecord(condition)) return 'an invalid condition';
  const c = condition;
  switch (c.type) {
    case 'profile-metric':
      return `${metricLabel(c.metric_id, names)} ${describeMeasure(c.measurement, c.measurement_filter)} ${describeTimeframe(c.timeframe_filter)}${metricFilters(c.metric_filters)}`.replace(/\s+/g, ' ').trim();
    case 'profile-metric-funnel': {
      const steps = Array.isArray(c.steps) ? c.steps : [];
      const text = steps.map((s) => (isRecord(s) ? `${s.metric_exists === false ? 'not ' : ''}${metricLabel(s.metric_id, names)}${metricFilters(s.metric_filters)}` : '?')).join(', then ');
      const window = typeof c.completion_window_seconds === 'string' ? `, all within ${WINDOWS[c.completion_window_seconds] ?? c.completion_window_seconds}` : '';
      return `did ${text} ${describeTimeframe(c.timeframe_filter)}${window}`;
    }
    case 'profile-property':
      return `${propertyLabel(c.property)} ${describeFilter(c.filter)}`;
    case 'profile-group-membership': {
      const id = Array.isArray(c.group_ids) ? c.group_ids[0] : undefined;
      const name = typeof id === 'string' ? names.listName?.(id) : undefined;
      const list = name ? `list ${name}` : `list ${String(id)}`;
      if (c.is_member === false) return `is not in ${list}`;
      const when = isRecord(c.timeframe_filter) ? ` and was added ${describeTimeframe(c.timeframe_filter)}` : '';
      return `is in ${list}${when}`;
    }
    case 'profile-marketing-consent': {
      const consent = isRecord(c.consent) ? c.consent : {};
      const status = isRecord(consent.consent_status) ? consent.consent_status : {};
      const channel = CHANNELS[String(consent.channel)] ?? String(consent.channel);
      const can = consent.can_receive_marketing === false ? 'cannot' : 'can';
      const subscription = status.subscription && status.subscription !== 'any' ? ` and is ${String(status.subscription).replace(/_/g, ' ')}` : '';
      const filters = Array.isArray(status.filters) && status.filters.length ? ` (${status.filters.map(describeConsentFilter).join(', ')})` : '';
      return `${can} receive ${channel} marketing${subscription}${filters}`;
    }
    case 'profile-postal-code-distance': {
      const f = isRecord(c.filter) ? c.filter : {};
      const unit = c.unit === 'kilometers' ? 'km' : 'miles';
      const where = `${String(c.postal_code)}, ${String(c.country_code)}`;
      return f.operator === 'greater-than' ? `lives more than ${String(f.value)} ${unit} from ${where}` : `lives within ${String(f.value)} ${unit} of ${where}`;
    }
    case 'profile-region': {
      const region = c.region === 'united_states' ? 'the US' : 'the EU';
      return c.in_region === false ? `is not in ${region}` : `is in ${region}`;
    }
    case 'profile-predictive-analytics': {
      if (c.dimension === 'channel_affinity') {
        const channel = CHANNELS[String(c.predicted_channel)] ?? String(c.predicted_channel);
        const f = isRecord(c.filter) ? c.filter : {};
        if (c.measurement === 'priority') return `prefers ${channel} as channel #${String(f.value)}`;
        return `${channel} affinity ${f.operator === 'not-equals' ? 'is not' : 'is'} ${String(f.value)}`;
      }
      if (c.dimension === 'predicted_gender') {
        const f = isRecord(c.filter) ? c.filter : {};
        return `predicted gender ${f.operator === 'not-equals' ? 'is not' : 'is'} ${String(f.value).replace(/_/g, ' ')}`;
      }
      if (c.dimension === 'expected_date_of_next_purchase') return `expected next purchase date ${describeFilter(c.filter)}`;
      return `${PREDICTIONS[String(c.dimension)] ?? String(c.dimension)} ${describeFilter(c.filter)}`;
    }
    case 'profile-has-custom-object': {
      const count = describeMeasure('count', c.filter).replace('at least once', 'at least one').replace('zero times', 'no');
      const filters = Array.isArray(c.filters) ? c.filters.length : 0;
      return `has ${count} record(s) of custom object ${String(c.object_type_id)}${filters ? ` matching ${filters} filter(s)` : ''}`;
    }
    case 'profile-permissions': {
      const permission = isRecord(c.permission) ? c.permission : {};
      return `is ${String(permission.reachable_status).replace(/_/g, ' ')} on ${String(c.channel).replace('_', ' ').replace('whatsapp', 'WhatsApp')}`;
    }
  }
  return `a ${String(c.type)} condition`;
}

function describeConsentFilter(filter: unknown): string {
  if (!isRecord(filter)) return '?';
  switch (filter.field) {
    case 'is_double_opt_in': return isRecord(filter.filter) && filter.filter.value === false ? 'without double opt-in' : 'double opt-in';
    case 'status_date': return `status changed ${describeTimeframe(filter.filter)}`;
    case 'custom_source': return `custom source ${describeFilter(filter.filter)}`;
    case 'method': return `via ${String(filter.method).replace(/_/g, ' ')}`;
    case 'bounce_date': return `bounced ${describeTimeframe(filter.filter) || ''}`.trim();
    case 'manual_suppression_date': return `suppressed by hand ${describeTimeframe(filter.filter) || ''}`.trim();
    case 'invalid_email_date': return `invalid address ${describeTimeframe(filter.filter) || ''}`.trim();
    case 'is_rcs_capable': return 'RCS capable';
  }
  return String(filter.field);
}

/** A plain-English reading of a group (ORed conditions). */
export function describeGroup(group: unknown, names: NameLookup = {}): string {
  const conditions = isRecord(group) && Array.isArray(group.conditions) ? group.conditions : [];
  if (conditions.length === 0) return 'no one (empty group)';
  return conditions.map((c) => describeCondition(c, names)).join(' OR ');
}

/** A plain-English reading of a whole definition (ANDed groups). */
export function describeDefinition(definition: unknown, names: NameLookup = {}): string {
  const groups = isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  if (groups.length === 0) return 'everyone (no condition groups)';
  return groups.map((g) => {
    const text = describeGroup(g, names);
    return groups.length > 1 && text.includes(' OR ') ? `(${text})` : text;
  }).join(' AND ');
}
