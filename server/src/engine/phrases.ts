import { isRecord } from './outcome';
import { parsePropertyPath } from './propertyPath';

/**
 * The wording the condition kinds share when they read a condition in plain English: filters,
 * timeframes, measurements, labels. A condition being typed can hold anything where a text
 * belongs (`"operator": {}` right after the editor closes a brace, a 1 MB key), so every value
 * goes through `shown`/`quoted`, which never throw and keep the reading short.
 */

/** Longest value a reading shows before cutting it with "…". */
const MAX_SHOWN = 80;

function cut(text: string): string {
  return text.length <= MAX_SHOWN ? text : `${text.slice(0, MAX_SHOWN - 1)}…`;
}

/** Any JSON value as JSON text (short; never throws, even for objects without a prototype or nested too deep). */
export function quoted(value: unknown): string {
  if (typeof value === 'string') return cut(JSON.stringify(value));
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'nothing';
  try {
    return cut(JSON.stringify(value) ?? '?');
  } catch {
    return Array.isArray(value) ? '[…]' : '{…}';
  }
}

/** Any JSON value as a reader sees it: texts without quotes, everything else as JSON (short; never throws). */
export function shown(value: unknown): string {
  return typeof value === 'string' ? cut(value) : quoted(value);
}

/** `table[key]` for an own key of the table (a key such as "toString" is no entry), else undefined. */
export function lookup<T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined {
  return typeof key === 'string' && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A number as written, or NaN for anything else (Number() would throw on an object without a prototype). */
export const numberOf = (value: unknown): number =>
  typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;

export const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** A date as written, or only its day when it is midnight UTC. */
function day(value: unknown): string {
  if (typeof value !== 'string') return shown(value);
  return /T00:00:00(\.0+)?(Z|[+-]00:?00)$/.test(value) ? value.slice(0, 10) : shown(value);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "in the last 30 days", "over all time", "between 2024-01-01 and 2024-01-31", ... */
export function describeTimeframe(filter: unknown): string {
  if (!isRecord(filter)) return '';
  const unit = typeof filter.unit === 'string' ? cut(filter.unit) : 'day';
  const n = typeof filter.quantity === 'number' ? filter.quantity : 0;
  switch (filter.operator) {
    case 'alltime':
      return 'over all time';
    case 'in-the-last':
      return `in the last ${plural(n, unit)}`;
    case 'at-least':
      return `at least ${plural(n, unit)} ago`;
    case 'in-the-next':
      return `in the next ${plural(n, unit)}`;
    case 'between':
      return `between ${shown(filter.start)} and ${plural(numberOf(filter.end), unit)} ago`;
    case 'before':
      return `before ${day(filter.date)}`;
    case 'after':
      return `after ${day(filter.date)}`;
    case 'between-static':
      return `between ${day(filter.start)} and ${day(filter.end)}`;
    case 'calendar-month':
      return `in ${MONTHS[numberOf(filter.value) - 1] ?? `month ${shown(filter.value)}`}`;
    case 'anniversary':
      return 'with its anniversary today';
    case 'anniversary-month':
      return 'with its anniversary this month';
    case 'anniversary-last':
      return `with its anniversary in the last ${plural(n, unit)}`;
    case 'anniversary-next':
      return `with its anniversary in the next ${plural(n, unit)}`;
  }
  return `(${shown(filter.operator)})`;
}

const STRING_WORDS: Record<string, string> = {
  equals: 'is',
  'not-equals': 'is not',
  contains: 'contains',
  'not-contains': 'does not contain',
  'starts-with': 'starts with',
  'not-starts-with': 'does not start with',
  'ends-with': 'ends with',
  'not-ends-with': 'does not end with',
};

export const NUMERIC_WORDS: Record<string, string> = {
  equals: 'is',
  'not-equals': 'is not',
  'greater-than': 'is greater than',
  'greater-than-or-equal': 'is at least',
  'less-than': 'is less than',
  'less-than-or-equal': 'is at most',
};

/** The words for an operator from a table, or the operator itself (shown safely). */
function words(table: Record<string, string>, operator: unknown): string {
  return lookup(table, operator) ?? shown(operator);
}

/** `"a", "b", "c"` for a list value (or the value itself). */
export function listOf(value: unknown): string {
  return Array.isArray(value) ? value.slice(0, 20).map(quoted).join(', ') + (value.length > 20 ? `, … (${value.length} in all)` : '') : quoted(value);
}

/** "ends with "@hotmail.com"", "is at least 100", "is set", ... for any value filter. */
export function describeFilter(filter: unknown): string {
  if (!isRecord(filter)) return 'is set';
  const op = filter.operator;
  const v = filter.value;
  switch (filter.type) {
    case 'existence':
      return op === 'not-set' ? 'is not set' : 'is set';
    case 'boolean':
      return `is ${shown(v)}`;
    case 'numeric':
      if (op === 'between') return `is between ${shown(filter.start)} and ${shown(filter.end)}`;
      return `${words(NUMERIC_WORDS, op)} ${shown(v)}`;
    case 'date': {
      const timeframe = describeTimeframe(filter);
      return timeframe.startsWith('with its') ? timeframe : `is ${timeframe}`;
    }
    case 'string':
      switch (op) {
        case 'in':
          return `is one of ${listOf(v)}`;
        case 'not-in':
          return `is none of ${listOf(v)}`;
        case 'phone-country-code-in':
          return `is a phone number from ${listOf(v)}`;
        case 'phone-country-code-not-in':
          return `is a phone number not from ${listOf(v)}`;
        case 'regex':
          return `matches /${shown(v)}/`;
        case 'nregex':
          return `does not match /${shown(v)}/`;
        default:
          return `${words(STRING_WORDS, op)} ${quoted(v)}`;
      }
    case 'list':
      switch (op) {
        case 'contains':
          return `contains ${quoted(v)}`;
        case 'not-contains':
          return `does not contain ${quoted(v)}`;
        case 'contains-any':
          return `includes any of ${listOf(v)}`;
        case 'contains-all':
          return `includes all of ${listOf(v)}`;
        case 'not-contains-any':
          return `includes none of ${listOf(v)}`;
        case 'not-contains-all':
          return `does not include all of ${listOf(v)}`;
        case 'contains-substring':
          return `has an item containing ${quoted(v)}`;
        case 'not-contains-substring':
          return `has no item containing ${quoted(v)}`;
        default: {
          const stripped = typeof op === 'string' ? op.replace(/^length-/, '') : '';
          return `has a length that ${lookup(NUMERIC_WORDS, stripped) ?? shown(op)} ${shown(v)}`;
        }
      }
  }
  return `${shown(op)} ${quoted(v)}`;
}

/** "at least once", "zero times", "more than 3 times", or for sums "with a total value over 200". */
export function describeMeasure(measurement: unknown, filter: unknown): string {
  const f = isRecord(filter) ? filter : {};
  const op = f.operator;
  const n = numberOf(f.value);
  if (measurement === 'sum') return `with a total value that ${words(NUMERIC_WORDS, op)} ${shown(f.value)}`;
  if ((op === 'greater-than-or-equal' && n === 1) || (op === 'greater-than' && n === 0)) return 'at least once';
  if ((op === 'equals' && n === 0) || (op === 'less-than' && n === 1) || (op === 'less-than-or-equal' && n === 0)) return 'zero times';
  const times = (k: number) => (k === 1 ? 'once' : `${k} times`);
  switch (op) {
    case 'equals':
      return `exactly ${times(n)}`;
    case 'not-equals':
      return `not exactly ${times(n)}`;
    case 'greater-than':
      return `more than ${times(n)}`;
    case 'greater-than-or-equal':
      return `at least ${times(n)}`;
    case 'less-than':
      return `fewer than ${times(n)}`;
    case 'less-than-or-equal':
      return `at most ${times(n)}`;
  }
  return `${shown(op)} ${shown(f.value)} times`;
}

/** A metric by its name when the workspace knows it ("Placed Order"), else "metric <ID>". */
export function metricLabel(id: unknown, names: { metricName?(id: string): string | undefined }): string {
  const name = typeof id === 'string' ? names.metricName?.(id) : undefined;
  return name ?? `metric ${shown(id)}`;
}

/** " where Brand is "Acme" and …" for `metric_filters` (empty without filters). */
export function describeMetricFilters(filters: unknown): string {
  if (!Array.isArray(filters) || filters.length === 0) return '';
  return ` where ${filters.map((f) => (isRecord(f) ? `${shown(f.property)} ${describeFilter(f.filter)}` : '?')).join(' and ')}`;
}

/** The profile property's name as a person reads it: "email", "city", "Favorite Color". */
export function propertyLabel(property: unknown): string {
  if (typeof property !== 'string') return 'property';
  const path = parsePropertyPath(property);
  switch (path.kind) {
    case 'attribute':
      return path.name.replace(/_/g, ' ');
    case 'location':
      return path.field === 'zip' ? 'zip code' : path.field;
    case 'custom':
      return cut(path.name);
    default:
      return cut(property);
  }
}

/** Channel names as people write them. */
export const CHANNEL_NAMES: Readonly<Record<string, string>> = { email: 'email', sms: 'SMS', push: 'push', whatsapp: 'WhatsApp' };

/** A token with its underscores read as spaces ("never_subscribed" → "never subscribed"). */
export function spaced(value: unknown): string {
  return shown(value).replace(/_/g, ' ');
}
