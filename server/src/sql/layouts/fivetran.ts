import { NUMERIC_DIMENSIONS } from '../../engine/conditions/predictiveAnalytics';
import { columnSql, REFERENCE_TABLE_NAMES, type ColumnType, type TableLayout, type TableName, type ValueImpl } from '../layout';

/**
 * Fivetran's Klaviyo connector schema (docs/sql.md "The Fivetran layout"): PERSON with one column
 * per attribute (address_1, subscriptions_email_marketing_consent, predictive_analytics_total_clv
 * …) and custom properties as `custom_<name>` columns; EVENT with `timestamp`/`datetime` and
 * event properties as `property_<name>` columns; METRIC, LIST and LIST_PERSON (with
 * joined_group_at); `_fivetran_deleted` marks deleted rows. Values the schema does not carry
 * (locale, suppressions, push consent, channel affinity…) make their conditions not evaluable.
 */
export interface FivetranOptions {
  /** Schema (or BigQuery dataset) parts before every table name. */
  schema?: string[];
  /** Custom properties: column (default custom_<snake name>) and type (default text). */
  customProperties?: Record<string, { column?: string; type?: ColumnType }>;
  /** Event properties: column (default property_<snake name>) and type (default text; $value: number). */
  eventProperties?: Record<string, { column?: string; type?: ColumnType }>;
}

/** Fivetran's column name for a property name, as far as its naming rules are known: lower snake case. */
export function fivetranColumnName(name: string): string {
  return name
    .replace(/^\$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '_');
}

type ColumnSpec = { column: string; type: ColumnType };
const text = (column: string): ColumnSpec => ({ column, type: 'text' });
const time = (column: string): ColumnSpec => ({ column, type: 'timestamp' });
const number = (column: string): ColumnSpec => ({ column, type: 'number' });
const bool = (column: string): ColumnSpec => ({ column, type: 'boolean' });

/** API attribute paths (joined with '.') → PERSON columns. */
const PERSON: Readonly<Record<string, ColumnSpec>> = {
  email: text('email'),
  phone_number: text('phone_number'),
  external_id: text('external_id'),
  first_name: text('first_name'),
  last_name: text('last_name'),
  organization: text('organization'),
  title: text('title'),
  image: text('image'),
  created: time('created'),
  updated: time('updated'),
  last_event_date: time('last_event_date'),
  'location.address1': text('address_1'),
  'location.address2': text('address_2'),
  'location.city': text('city'),
  'location.region': text('region'),
  'location.country': text('country'),
  'location.zip': text('zip'),
  'location.timezone': text('timezone'),
  'location.ip': text('ip'),
  'location.latitude': text('latitude'),
  'location.longitude': text('longitude'),
  'subscriptions.email.marketing.can_receive_email_marketing': bool('subscriptions_email_marketing_can_receive_email_marketing'),
  'subscriptions.email.marketing.consent': text('subscriptions_email_marketing_consent'),
  'subscriptions.email.marketing.consent_timestamp': time('subscriptions_email_marketing_timestamp'),
  'subscriptions.email.marketing.last_updated': time('subscriptions_email_marketing_last_updated'),
  'subscriptions.email.marketing.method': text('subscriptions_email_marketing_method'),
  'subscriptions.email.marketing.method_detail': text('subscriptions_email_marketing_method_detail'),
  'subscriptions.email.marketing.custom_method_detail': text('subscriptions_email_marketing_custom_method_detail'),
  'subscriptions.email.marketing.double_optin': text('subscriptions_email_marketing_double_optin'),
  'subscriptions.sms.marketing.can_receive_sms_marketing': bool('subscriptions_sms_marketing_can_receive_sms_marketing'),
  'subscriptions.sms.marketing.consent': text('subscriptions_sms_marketing_consent'),
  'subscriptions.sms.marketing.consent_timestamp': time('subscriptions_sms_marketing_timestamp'),
  'subscriptions.sms.marketing.last_updated': time('subscriptions_sms_marketing_last_updated'),
  'subscriptions.sms.marketing.method': text('subscriptions_sms_marketing_method'),
  'subscriptions.sms.marketing.method_detail': text('subscriptions_sms_marketing_method_detail'),
  ...Object.fromEntries([...NUMERIC_DIMENSIONS].map((f) => [`predictive_analytics.${f}`, number(`predictive_analytics_${f}`)])),
  'predictive_analytics.expected_date_of_next_order': time('predictive_analytics_expected_date_of_next_order'),
};

const NOTES = {
  timestamp:
    "The Fivetran layout stores this value as a timestamp: date filters on it are exact, but text filters cannot see Klaviyo's ISO text and match nothing.",
  coordinateText:
    'The Fivetran layout stores latitude and longitude as text: positions read them, but numeric filters on them match nothing (the API has numbers).',
  doubleOptIn: 'The Fivetran layout stores double_optin as text: boolean filters on it match nothing.',
  custom:
    'The Fivetran layout flattens custom properties into custom_<name> columns whose name and type Fivetran derives; Segment Lens assumes the snake-case name and text unless the layout file says otherwise, and lists are not lists there.',
  event:
    'The Fivetran layout flattens event properties into property_<name> columns whose name and type Fivetran derives; Segment Lens assumes the snake-case name and text ($value: a number) unless the layout file says otherwise.',
};

export function fivetranLayout(options: FivetranOptions = {}): TableLayout {
  const schema = options.schema ?? [];
  const table = (name: string): TableName => [...schema, name];
  const live = (alias: string, d: Parameters<TableLayout['profileValue']>[2]) => `NOT COALESCE(${columnSql(d, alias, '_fivetran_deleted')}, FALSE)`;
  const customSpec = (name: string): ColumnSpec => ({
    column: options.customProperties?.[name]?.column ?? `custom_${fivetranColumnName(name)}`,
    type: options.customProperties?.[name]?.type ?? 'text',
  });
  const eventSpec = (name: string): ColumnSpec => ({
    column: options.eventProperties?.[name]?.column ?? `property_${fivetranColumnName(name)}`,
    type: options.eventProperties?.[name]?.type ?? (name === '$value' ? 'number' : 'text'),
  });
  const personSpec = (path: readonly string[]): ColumnSpec | undefined =>
    path[0] === 'properties' && path.length === 2 ? customSpec(path[1]) : PERSON[path.join('.')];
  return {
    name: 'fivetran',
    profiles: { table: table('person'), id: 'id', live },
    profileValue(alias, path, d): ValueImpl | { notEvaluable: string } {
      const spec = personSpec(path);
      if (!spec) return { notEvaluable: `the Fivetran layout has no column for ${path.join('.')}` };
      return { kind: 'column', sql: columnSql(d, alias, spec.column), type: spec.type, scope: 'profile', stage: 0 };
    },
    profileValueNotes(path) {
      const spec = personSpec(path);
      if (path[0] === 'properties') return [NOTES.custom];
      if (path[0] === 'location' && (path[1] === 'latitude' || path[1] === 'longitude')) return [NOTES.coordinateText];
      if (path[path.length - 1] === 'double_optin') return [NOTES.doubleOptIn];
      return spec?.type === 'timestamp' ? [NOTES.timestamp] : [];
    },
    events: { table: table('event'), key: 'id', profileId: 'person_id', metricId: 'metric_id', live },
    // The API's `timestamp` wins over `datetime` (engine/workspace.ts); Fivetran has both as timestamps.
    eventTime: (alias, d) => ({
      sql: `COALESCE(${columnSql(d, alias, 'timestamp')}, ${columnSql(d, alias, 'datetime')})`,
      unit: 'timestamp',
      scope: 'row',
      stage: 0,
    }),
    eventProperty(alias, name, d) {
      const spec = eventSpec(name);
      return { kind: 'column', sql: columnSql(d, alias, spec.column), type: spec.type, scope: 'row', stage: 0 };
    },
    eventPropertyNotes: () => [NOTES.event],
    metrics: { table: table('metric'), id: 'id' },
    lists: { table: table('list'), id: 'id' },
    members: { table: table('list_person'), listId: 'list_id', profileId: 'person_id', live },
    memberJoined: (alias, d) => ({ sql: columnSql(d, alias, 'joined_group_at'), unit: 'timestamp', scope: 'row', stage: 0 }),
    referenceTable: (name) => [...schema, REFERENCE_TABLE_NAMES[name]],
  };
}
