/**
 * The JSON types of the attributes a workspace's records document (docs/workspace-format.md, in
 * Klaviyo's API shapes), so that `WorkspaceBuilder` can refuse a value of another type with a
 * located warning instead of storing it. `null` is allowed everywhere (every documented attribute
 * is nullable). Names not listed (custom properties, attributes this table does not know) may
 * hold anything.
 */

/** JSON types as bits, so one attribute may allow several. */
export const JSON_STRING = 1;
export const JSON_NUMBER = 2;
export const JSON_BOOLEAN = 4;
export const JSON_OBJECT = 8;
export const JSON_ARRAY = 16;
/** Any JSON type (a name the table does not list). */
export const JSON_ANY = 31;
/** A date-time: ISO 8601 text, or a number of epoch seconds (docs/semantics.md, "Time"). */
const DATE = JSON_STRING | JSON_NUMBER;
/** Latitude and longitude: numbers or numeric texts, as the API returns them. */
const COORDINATE = JSON_STRING | JSON_NUMBER;

/** The JSON type bit of a value; 0 for null and undefined. */
export function jsonType(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return JSON_STRING;
    case 'number':
      return JSON_NUMBER;
    case 'boolean':
      return JSON_BOOLEAN;
    case 'object':
      return value === null ? 0 : Array.isArray(value) ? JSON_ARRAY : JSON_OBJECT;
    default:
      return 0;
  }
}

const TYPE_NAMES: [number, string][] = [
  [JSON_STRING, 'a string'],
  [JSON_NUMBER, 'a number'],
  [JSON_BOOLEAN, 'true or false'],
  [JSON_OBJECT, 'an object'],
  [JSON_ARRAY, 'an array'],
];

/** "a string", "a string or a number", ... for a set of JSON type bits. */
export function jsonTypeName(types: number): string {
  return TYPE_NAMES.filter(([bit]) => (types & bit) !== 0)
    .map(([, name]) => name)
    .join(' or ');
}

const table = (types: number, names: string[]): [string, number][] => names.map((name) => [name, types]);

/** `attributes` of a profile (and of a list member line). */
export const PROFILE_ATTRIBUTES: ReadonlyMap<string, number> = new Map([
  ...table(JSON_STRING, ['email', 'phone_number', 'external_id', 'first_name', 'last_name', 'organization', 'locale', 'title', 'image']),
  ...table(DATE, ['created', 'updated', 'last_event_date', 'joined_group_at']),
  ...table(JSON_OBJECT, ['location', 'properties', 'subscriptions', 'predictive_analytics']),
]);

/** `attributes.location`. */
export const LOCATION_FIELDS: ReadonlyMap<string, number> = new Map([
  ...table(JSON_STRING, ['address1', 'address2', 'city', 'country', 'region', 'zip', 'timezone', 'ip']),
  ...table(COORDINATE, ['latitude', 'longitude']),
]);

/** The fields of each record in `attributes.subscriptions.<channel>.<kind>`. */
export const SUBSCRIPTION_FIELDS: ReadonlyMap<string, number> = new Map([
  ...table(JSON_BOOLEAN, [
    'can_receive_email_marketing',
    'can_receive_sms_marketing',
    'can_receive_sms_transactional',
    'can_receive_push_marketing',
    'can_receive',
    'double_optin',
  ]),
  ...table(JSON_STRING, ['consent', 'method', 'method_detail', 'custom_method_detail', 'phone_number']),
  ...table(DATE, ['consent_timestamp', 'last_updated', 'created_timestamp', 'valid_until']),
  ...table(JSON_ARRAY, ['suppression', 'list_suppressions']),
]);

/** `attributes.predictive_analytics`, with the workspace-side extensions. */
export const PREDICTIVE_FIELDS: ReadonlyMap<string, number> = new Map([
  ...table(JSON_NUMBER, [
    'historic_clv',
    'predicted_clv',
    'total_clv',
    'historic_number_of_orders',
    'predicted_number_of_orders',
    'average_days_between_orders',
    'average_order_value',
    'churn_probability',
  ]),
  ...table(DATE, ['expected_date_of_next_order']),
  ...table(JSON_ARRAY, ['ranked_channel_affinity']),
  ...table(JSON_STRING, ['predicted_gender']),
  ...table(JSON_OBJECT, ['channel_affinity_rank']),
]);

/**
 * The JSON types the value at `path` in a profile's `attributes` may have (JSON_ANY when the
 * workspace format does not document it): `['email']`, `['location', 'city']`,
 * `['subscriptions', 'email', 'marketing', 'consent']`, `['predictive_analytics', 'total_clv']`.
 * A value of another type is not stored (the SQL compiler reads it as missing too).
 */
export function documentedProfileTypes(path: readonly string[]): number {
  const [first, ...rest] = path;
  if (rest.length === 0) return PROFILE_ATTRIBUTES.get(first) ?? JSON_ANY;
  if (first === 'location' && rest.length === 1) return LOCATION_FIELDS.get(rest[0]) ?? JSON_ANY;
  if (first === 'predictive_analytics' && rest.length === 1) return PREDICTIVE_FIELDS.get(rest[0]) ?? JSON_ANY;
  if (first === 'subscriptions' && rest.length === 3) return SUBSCRIPTION_FIELDS.get(rest[2]) ?? JSON_ANY;
  return JSON_ANY;
}
