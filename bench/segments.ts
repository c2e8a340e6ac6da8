/**
 * The benchmark's fixed suite of realistic segments, each with
 *  - its definition, written against the workspace's metric and list IDs (looked up by name in
 *    metrics.json / lists.json),
 *  - an edit of exactly one of its conditions (for the re-evaluation measure; `k` varies the
 *    edit so that repeated edits are never served from the evaluator's cache),
 *  - an equivalent SQL query for DuckDB, written by hand from docs/semantics.md. The query
 *    selects the matching `pidx` values; the runner wraps it in `count(*)`.
 *
 * SQL conventions (tables and views: see duckdbRunner.ts): instants are TIMESTAMPTZ in a UTC
 * session; NOW is the workspace's "now" and D0 the 00:00 UTC of its day. Relative windows follow
 * the table of semantics §Time:
 *   in-the-last n day   D0 − n days ≤ t ≤ NOW
 *   between s and e     D0 − e days ≤ t < D0 − (s − 1) days
 *   in-the-next n day   NOW ≤ t < D0 + (n + 1) days
 * Metric conditions count (or sum `$value` of) the profile's events of the metric inside the
 * window that pass every metric filter; a comparison that 0 satisfies ("zero times") is written
 * as NOT IN (profiles with at least one such event), so profiles without events are included.
 */

export type Json = Record<string, unknown>;

export interface BenchSegment {
  name: string;
  /** What it selects, for the docs. */
  description: string;
  definition: Json;
  /** The definition with one condition edited (`k` makes the edit unique). */
  edit: (k: number) => Json;
  /** What the edit changes, for the docs. */
  editDescription: string;
  /** SELECT returning the pidx of matching profiles. */
  sql: string;
}

export interface SuiteIds {
  metric: (name: string) => string;
  list: (name: string) => string;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const q = (text: string) => `'${text.replace(/'/g, "''")}'`;

// ---- condition builders (definitions) ------------------------------------------------------------

const alltime = { type: 'date', operator: 'alltime' };
const lastDays = (quantity: number) => ({ type: 'date', operator: 'in-the-last', unit: 'day', quantity });
const numeric = (operator: string, value: number) => ({ type: 'numeric', operator, value });

function metric(metricId: string, measurement: 'count' | 'sum', operator: string, value: number, timeframe: Json, metricFilters?: Json[]): Json {
  const c: Json = { type: 'profile-metric', metric_id: metricId, measurement, measurement_filter: numeric(operator, value), timeframe_filter: timeframe };
  if (metricFilters) c.metric_filters = metricFilters;
  return c;
}

const groups = (...gs: Json[][]): Json => ({ condition_groups: gs.map((conditions) => ({ conditions })) });

/** The condition at [group][condition] of a definition (for edits). */
function conditionAt(definition: Json, group: number, condition: number): Json {
  return ((definition.condition_groups as Json[])[group].conditions as Json[])[condition];
}

function edited(definition: Json, group: number, condition: number, change: (c: Json) => void): Json {
  const copy = clone(definition);
  change(conditionAt(copy, group, condition));
  return copy;
}

// ---- SQL building blocks ------------------------------------------------------------------------

/** SQL fragments for time windows relative to the workspace's now. */
class Sql {
  readonly NOW: string;
  readonly D0: string;

  constructor(nowMs: number) {
    this.NOW = `TIMESTAMPTZ '${new Date(nowMs).toISOString()}'`;
    this.D0 = `date_trunc('day', ${this.NOW})`;
  }

  inLastDays(column: string, n: number): string {
    return `(${column} >= ${this.D0} - INTERVAL ${n} DAY AND ${column} <= ${this.NOW})`;
  }

  betweenDaysAgo(column: string, start: number, end: number): string {
    return `(${column} >= ${this.D0} - INTERVAL ${end} DAY AND ${column} < ${this.D0} - INTERVAL ${start - 1} DAY)`;
  }

  inNextDays(column: string, n: number): string {
    return `(${column} >= ${this.NOW} AND ${column} < ${this.D0} + INTERVAL ${n + 1} DAY)`;
  }

  /** pidx of profiles with at least one qualifying event (`columns`: what else to select). */
  anyEvent(metricId: string, where = 'TRUE', columns = 'pidx'): string {
    return `SELECT ${columns} FROM events WHERE metric_id = ${q(metricId)} AND ${where}`;
  }

  /** pidx of profiles whose qualifying events satisfy `having` (which must be false for 0). */
  eventsHaving(metricId: string, where: string, having: string): string {
    return `SELECT pidx FROM events WHERE metric_id = ${q(metricId)} AND ${where} GROUP BY pidx HAVING ${having}`;
  }
}

// Typed reads of free-form JSON values (custom properties, event properties): a filter of one
// family never matches a value of another (semantics §Property values: no coercion).
const NUMERIC_JSON = `('BIGINT', 'UBIGINT', 'DOUBLE')`;
const jsonString = (json: string, key: string) => `CASE WHEN json_type(${json}, '$."${key}"') = 'VARCHAR' THEN ${json} ->> '$."${key}"' END`;
const jsonNumber = (json: string, key: string) =>
  `CASE WHEN json_type(${json}, '$."${key}"') IN ${NUMERIC_JSON} THEN CAST(${json} ->> '$."${key}"' AS DOUBLE) END`;
const jsonBoolean = (json: string, key: string) => `CASE WHEN json_type(${json}, '$."${key}"') = 'BOOLEAN' THEN CAST(${json} ->> '$."${key}"' AS BOOLEAN) END`;
/** list `contains` value: the stored value is a JSON array with a string element equal to `value`. */
const jsonListContains = (json: string, key: string, value: string) =>
  `(json_type(${json}, '$."${key}"') = 'ARRAY' AND list_contains(list_transform(CAST(${json} -> '$."${key}"' AS JSON[]), lambda e: CASE WHEN json_type(e) = 'VARCHAR' THEN e ->> '$' END), ${q(value)}))`;
/** A stored date: a text is an instant (date-only: 00:00 UTC), a number is epoch seconds; else missing. */
const jsonInstant = (json: string, key: string) =>
  `CASE json_type(${json}, '$."${key}"') WHEN 'VARCHAR' THEN TRY_CAST(${json} ->> '$."${key}"' AS TIMESTAMPTZ) ` +
  `WHEN 'BIGINT' THEN to_timestamp(CAST(${json} ->> '$."${key}"' AS DOUBLE)) WHEN 'UBIGINT' THEN to_timestamp(CAST(${json} ->> '$."${key}"' AS DOUBLE)) ` +
  `WHEN 'DOUBLE' THEN to_timestamp(CAST(${json} ->> '$."${key}"' AS DOUBLE)) END`;

/** Email marketing: a non-empty address and can_receive_email_marketing = true. */
const CAN_RECEIVE_EMAIL = `(email IS NOT NULL AND email <> '' AND email_marketing.can_receive_email_marketing IS TRUE)`;
const EU_27 = `('AT','BE','BG','HR','CY','CZ','DK','EE','FI','FR','DE','GR','HU','IE','IT','LV','LT','LU','MT','NL','PL','PT','RO','SK','SI','ES','SE')`;

/** Builds the suite for a workspace (IDs looked up by name) and its "now". */
export function buildSuite(ids: SuiteIds, nowMs: number): BenchSegment[] {
  const s = new Sql(nowMs);
  const placedOrder = ids.metric('Placed Order');
  const viewedProduct = ids.metric('Viewed Product');
  const addedToCart = ids.metric('Added to Cart');
  const activeOnSite = ids.metric('Active on Site');
  const openedEmail = ids.metric('Opened Email');
  const clickedEmail = ids.metric('Clicked Email');
  const vipClub = ids.list('VIP Club');
  const suite: BenchSegment[] = [];

  // 1. First-time buyers: exactly one order ever.
  {
    const definition = groups([metric(placedOrder, 'count', 'equals', 1, alltime)]);
    suite.push({
      name: 'first-time-buyers',
      description: 'Placed Order count = 1 over all time',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => ((c.measurement_filter as Json).value = 2 + k)),
      editDescription: 'count = 1 → count = 2',
      sql: s.eventsHaving(placedOrder, 'TRUE', 'count(*) = 1'),
    });
  }

  // 2. Repeat buyers: two or more orders ever.
  {
    const definition = groups([metric(placedOrder, 'count', 'greater-than-or-equal', 2, alltime)]);
    suite.push({
      name: 'repeat-buyers',
      description: 'Placed Order count ≥ 2 over all time',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => ((c.measurement_filter as Json).value = 3 + k)),
      editDescription: 'count ≥ 2 → count ≥ 3',
      sql: s.eventsHaving(placedOrder, 'TRUE', 'count(*) >= 2'),
    });
  }

  // 3. VIP: lifetime revenue of at least 500 (sum of $value) or five orders.
  {
    const definition = groups([
      metric(placedOrder, 'sum', 'greater-than-or-equal', 500, alltime),
      metric(placedOrder, 'count', 'greater-than-or-equal', 5, alltime),
    ]);
    suite.push({
      name: 'vip-customers',
      description: 'Placed Order sum($value) ≥ 500 OR count ≥ 5, over all time',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => ((c.measurement_filter as Json).value = 510 + 10 * k)),
      editDescription: 'sum ≥ 500 → sum ≥ 510',
      // $value: a number, else 0 (semantics §Conditions); summed as exact decimals.
      sql: `${s.eventsHaving(placedOrder, 'TRUE', 'coalesce(sum(value), 0) >= 500')}
        UNION
        ${s.eventsHaving(placedOrder, 'TRUE', 'count(*) >= 5')}`,
    });
  }

  // 4. At risk: ordered 90–180 days ago, not in the last 90 days.
  {
    const definition = groups(
      [metric(placedOrder, 'count', 'greater-than-or-equal', 1, { type: 'date', operator: 'between', start: 90, end: 180, unit: 'day' })],
      [metric(placedOrder, 'count', 'equals', 0, lastDays(90))],
    );
    suite.push({
      name: 'at-risk-customers',
      description: 'Placed Order ≥ 1 between 90 and 180 days ago AND Placed Order = 0 in the last 90 days',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => ((c.timeframe_filter as Json).end = 181 + k)),
      editDescription: 'between 90 and 180 days → between 90 and 181 days',
      sql: `SELECT pidx FROM profiles
        WHERE pidx IN (${s.anyEvent(placedOrder, s.betweenDaysAgo('ts', 90, 180))})
          AND pidx NOT IN (${s.anyEvent(placedOrder, s.inLastDays('ts', 90))})`,
    });
  }

  // 5. Lapsed: bought once, but no order, site visit or e-mail open in the last year.
  {
    const definition = groups(
      [metric(placedOrder, 'count', 'greater-than-or-equal', 1, alltime)],
      [metric(placedOrder, 'count', 'equals', 0, lastDays(365))],
      [metric(activeOnSite, 'count', 'equals', 0, lastDays(365))],
      [metric(openedEmail, 'count', 'equals', 0, lastDays(365))],
    );
    suite.push({
      name: 'lapsed-customers',
      description: 'ordered ever AND no order, no site visit and no e-mail open in the last 365 days (4 groups)',
      definition,
      edit: (k) => edited(definition, 3, 0, (c) => ((c.timeframe_filter as Json).quantity = 366 + k)),
      editDescription: 'Opened Email: last 365 days → last 366 days',
      sql: `SELECT pidx FROM profiles
        WHERE pidx IN (${s.anyEvent(placedOrder)})
          AND pidx NOT IN (${s.anyEvent(placedOrder, s.inLastDays('ts', 365))})
          AND pidx NOT IN (${s.anyEvent(activeOnSite, s.inLastDays('ts', 365))})
          AND pidx NOT IN (${s.anyEvent(openedEmail, s.inLastDays('ts', 365))})`,
    });
  }

  // 6. Engaged non-buyers: never ordered, active in the last 90 days.
  {
    const definition = groups(
      [metric(placedOrder, 'count', 'equals', 0, alltime)],
      [
        metric(viewedProduct, 'count', 'greater-than-or-equal', 1, lastDays(90)),
        metric(addedToCart, 'count', 'greater-than-or-equal', 1, lastDays(90)),
        metric(activeOnSite, 'count', 'greater-than-or-equal', 1, lastDays(90)),
        metric(openedEmail, 'count', 'greater-than-or-equal', 1, lastDays(90)),
      ],
    );
    suite.push({
      name: 'engaged-non-buyers',
      description: 'never ordered AND (viewed a product, added to cart, visited or opened an e-mail in the last 90 days)',
      definition,
      edit: (k) => edited(definition, 1, 0, (c) => ((c.timeframe_filter as Json).quantity = 91 + k)),
      editDescription: 'Viewed Product: last 90 days → last 91 days',
      sql: `SELECT pidx FROM profiles
        WHERE pidx NOT IN (${s.anyEvent(placedOrder)})
          AND pidx IN (
            SELECT pidx FROM events
            WHERE metric_id IN (${[viewedProduct, addedToCart, activeOnSite, openedEmail].map(q).join(', ')}) AND ${s.inLastDays('ts', 90)})`,
    });
  }

  // 7. Engaged in the last 30 days (Klaviyo's classic engagement segment).
  {
    const consent = {
      type: 'profile-marketing-consent',
      consent: { channel: 'email', can_receive_marketing: true, consent_status: { subscription: 'any', filters: null } },
    };
    const notBot = [{ property: 'Bot Click', filter: { type: 'boolean', operator: 'equals', value: false } }];
    const definition = groups(
      [consent],
      [
        metric(openedEmail, 'count', 'greater-than-or-equal', 1, lastDays(30)),
        metric(clickedEmail, 'count', 'greater-than-or-equal', 1, lastDays(30), notBot),
        metric(activeOnSite, 'count', 'greater-than-or-equal', 1, lastDays(30)),
        metric(placedOrder, 'count', 'greater-than-or-equal', 1, lastDays(30)),
        { type: 'profile-property', property: 'created', filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: 15 } },
      ],
    );
    suite.push({
      name: 'engaged-30-days',
      description: 'can receive e-mail AND (opened, clicked (not a bot), visited or ordered in the last 30 days, or created in the last 15)',
      definition,
      edit: (k) => edited(definition, 1, 0, (c) => ((c.timeframe_filter as Json).quantity = 31 + k)),
      editDescription: 'Opened Email: last 30 days → last 31 days',
      sql: `SELECT pidx FROM profiles
        WHERE ${CAN_RECEIVE_EMAIL}
          AND (pidx IN (
                SELECT pidx FROM events
                WHERE metric_id IN (${[openedEmail, activeOnSite, placedOrder].map(q).join(', ')}) AND ${s.inLastDays('ts', 30)}
                UNION ALL
                ${s.anyEvent(clickedEmail, `${s.inLastDays('ts', 30)} AND ${jsonBoolean('props', 'Bot Click')} = false`)})
            OR ${s.inLastDays('TRY_CAST(created AS TIMESTAMPTZ)', 15)})`,
    });
  }

  // 8. Doc example: hotmail addresses (case-sensitive).
  {
    const definition = groups([{ type: 'profile-property', property: 'email', filter: { type: 'string', operator: 'ends-with', value: '@hotmail.com' } }]);
    const domains = ['@hotmail.co.uk', '@hotmail.fr', '@hotmail.de', '@hotmail.it', '@hotmail.es', '@outlook.com', '@live.com', '@msn.com'];
    suite.push({
      name: 'hotmail-addresses',
      description: 'email ends with "@hotmail.com" (case-sensitive)',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => ((c.filter as Json).value = k < domains.length ? domains[k] : `@hotmail${k}.com`)),
      editDescription: 'ends with "@hotmail.com" → "@hotmail.co.uk"',
      sql: `SELECT pidx FROM profiles WHERE ends_with(email, '@hotmail.com')`,
    });
  }

  // 9. Doc example: EU residents.
  {
    const definition = groups([{ type: 'profile-region', in_region: true, region: 'european_union' }]);
    const variants = [
      { in_region: false, region: 'european_union' },
      { in_region: true, region: 'united_states' },
      { in_region: false, region: 'united_states' },
    ];
    suite.push({
      name: 'eu-residents',
      description: 'location.country is one of the 27 EU member states',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => Object.assign(c, variants[k % variants.length])),
      editDescription: 'in the EU → not in the EU',
      sql: `SELECT p.pidx FROM profiles p JOIN country_resolved c ON c.value = p.country WHERE c.alpha2 IN ${EU_27}`,
    });
  }

  // 10. Funnel: Viewed Product → Added to Cart → Placed Order within a week, in the last year.
  {
    const definition = groups([
      {
        type: 'profile-metric-funnel',
        timeframe_filter: lastDays(365),
        completion_window_seconds: 'WEEKS_1',
        steps: [
          { metric_exists: true, metric_id: viewedProduct },
          { metric_exists: true, metric_id: addedToCart },
          { metric_exists: true, metric_id: placedOrder },
        ],
      },
    ]);
    suite.push({
      name: 'funnel-view-cart-order',
      description: 'funnel Viewed Product → Added to Cart → Placed Order, completed within 7 days, in the last 365 days',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => ((c.timeframe_filter as Json).quantity = 366 + k)),
      editDescription: 'timeframe last 365 days → last 366 days',
      // Events in order (t1 ≤ t2 ≤ t3), all in the timeframe, t3 − t1 ≤ 7 days.
      sql: `WITH tf AS (SELECT pidx, metric_id, ts FROM events WHERE metric_id IN (${[viewedProduct, addedToCart, placedOrder].map(q).join(', ')}) AND ${s.inLastDays('ts', 365)}),
        v AS (SELECT pidx, ts FROM tf WHERE metric_id = ${q(viewedProduct)}),
        a AS (SELECT pidx, ts FROM tf WHERE metric_id = ${q(addedToCart)}),
        o AS (SELECT pidx, ts FROM tf WHERE metric_id = ${q(placedOrder)})
        SELECT DISTINCT v.pidx FROM v
        JOIN a ON a.pidx = v.pidx AND a.ts >= v.ts AND a.ts <= v.ts + INTERVAL 7 DAY
        JOIN o ON o.pidx = v.pidx AND o.ts >= a.ts AND o.ts <= v.ts + INTERVAL 7 DAY`,
    });
  }

  // 11. Abandoned cart: added to cart in the last 30 days and no order within a day after.
  {
    const definition = groups([
      {
        type: 'profile-metric-funnel',
        timeframe_filter: lastDays(30),
        completion_window_seconds: 'DAYS_1',
        steps: [
          { metric_exists: true, metric_id: addedToCart },
          { metric_exists: false, metric_id: placedOrder },
        ],
      },
    ]);
    suite.push({
      name: 'abandoned-cart',
      description: 'funnel Added to Cart, then no Placed Order within 1 day, in the last 30 days',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => ((c.timeframe_filter as Json).quantity = 31 + k)),
      editDescription: 'timeframe last 30 days → last 31 days',
      // A trailing negative step forbids a qualifying event after the cart event, up to t1 + window.
      sql: `WITH a AS (${s.anyEvent(addedToCart, s.inLastDays('ts', 30), 'pidx, ts')}),
        o AS (${s.anyEvent(placedOrder, s.inLastDays('ts', 30), 'pidx, ts')})
        SELECT DISTINCT a.pidx FROM a
        WHERE NOT EXISTS (SELECT 1 FROM o WHERE o.pidx = a.pidx AND o.ts > a.ts AND o.ts <= a.ts + INTERVAL 1 DAY)`,
    });
  }

  // 12. A metric with metric_filters and sum: web orders of 2+ items worth 150 in the last year.
  {
    const filters = [
      { property: 'Source Name', filter: { type: 'string', operator: 'equals', value: 'web' } },
      { property: 'Item Count', filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 2 } },
    ];
    const definition = groups([metric(placedOrder, 'sum', 'greater-than-or-equal', 150, lastDays(365), filters)]);
    suite.push({
      name: 'big-web-baskets',
      description: 'Placed Order where Source Name = "web" and Item Count ≥ 2: sum($value) ≥ 150 in the last 365 days',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => ((c.measurement_filter as Json).value = 160 + 10 * k)),
      editDescription: 'sum ≥ 150 → sum ≥ 160',
      sql: s.eventsHaving(
        placedOrder,
        `${s.inLastDays('ts', 365)} AND ${jsonString('props', 'Source Name')} = 'web' AND ${jsonNumber('props', 'Item Count')} >= 2`,
        'coalesce(sum(value), 0) >= 150',
      ),
    });
  }

  // 13. Postal-code distance: within 25 miles of the Cambridge, MA shop.
  {
    const definition = groups([
      { type: 'profile-postal-code-distance', country_code: 'USA', postal_code: '02141', unit: 'miles', filter: numeric('less-than', 25) },
    ]);
    suite.push({
      name: 'near-cambridge-store',
      description: 'within 25 miles of postal code 02141 (US)',
      definition,
      edit: (k) => edited(definition, 0, 0, (c) => ((c.filter as Json).value = 26 + k)),
      editDescription: 'less than 25 miles → less than 26 miles',
      sql: `SELECT pp.pidx FROM profile_positions pp, (SELECT lat, lon FROM zip_centroids WHERE code = '02141') c
        WHERE ${haversineKm('c.lat', 'c.lon', 'pp.lat', 'pp.lon')} < 25 * 1.609344`,
    });
  }

  // 14. Predictive: likely to churn or due to reorder, and valuable.
  {
    const definition = groups(
      [
        { type: 'profile-predictive-analytics', dimension: 'churn_probability', filter: numeric('greater-than', 0.6) },
        {
          type: 'profile-predictive-analytics',
          dimension: 'expected_date_of_next_purchase',
          filter: { type: 'date', operator: 'in-the-next', unit: 'day', quantity: 14 },
        },
      ],
      [
        { type: 'profile-predictive-analytics', dimension: 'historic_clv', filter: numeric('greater-than-or-equal', 200) },
        { type: 'profile-predictive-analytics', dimension: 'predicted_number_of_orders', filter: numeric('greater-than-or-equal', 1) },
      ],
    );
    suite.push({
      name: 'valuable-churn-risk',
      description: '(churn probability > 0.6 OR next order expected in the next 14 days) AND (historic CLV ≥ 200 OR predicted orders ≥ 1)',
      definition,
      edit: (k) => edited(definition, 1, 0, (c) => ((c.filter as Json).value = 210 + 10 * k)),
      editDescription: 'historic CLV ≥ 200 → ≥ 210',
      sql: `SELECT pidx FROM profiles
        WHERE (predictive.churn_probability > CAST(0.6 AS DOUBLE)
               OR ${s.inNextDays('TRY_CAST(predictive.expected_date_of_next_order AS TIMESTAMPTZ)', 14)})
          AND (predictive.historic_clv >= 200 OR predictive.predicted_number_of_orders >= 1)`,
    });
  }

  // 15. Birthday in the next 7 days, reachable by e-mail (anniversary rule, 29 February only in leap years).
  {
    const definition = groups(
      [{ type: 'profile-marketing-consent', consent: { channel: 'email', can_receive_marketing: true, consent_status: { subscription: 'subscribed' } } }],
      [{ type: 'profile-property', property: "properties['Birthday']", filter: { type: 'date', operator: 'anniversary-next', unit: 'day', quantity: 7 } }],
    );
    const birthday = jsonInstant('properties', 'Birthday');
    // The birthday moved into year y (same month, day and time of day); NULL for 29 Feb in a common year.
    const placed = (year: string) =>
      `CASE WHEN month(b) = 2 AND day(b) = 29 AND NOT ((${year}) % 4 = 0 AND ((${year}) % 100 <> 0 OR (${year}) % 400 = 0)) THEN NULL
            ELSE make_timestamptz(${year}, month(b), day(b), hour(b), minute(b), second(b) + microsecond(b) % 1000000 / 1e6) END`;
    suite.push({
      name: 'birthday-next-7-days',
      description: 'subscribed to e-mail AND Birthday anniversary in the next 7 days',
      definition,
      edit: (k) => edited(definition, 1, 0, (c) => ((c.filter as Json).quantity = 8 + k)),
      editDescription: 'anniversary in the next 7 days → next 8 days',
      sql: `WITH cand AS (
          SELECT pidx, ${birthday} AS b FROM profiles
          WHERE ${CAN_RECEIVE_EMAIL} AND coalesce(email_marketing.consent, 'NEVER_SUBSCRIBED') = 'SUBSCRIBED')
        SELECT pidx FROM cand
        WHERE b IS NOT NULL AND (
          ${s.inNextDays(placed(`year(${s.NOW})`), 7)} OR ${s.inNextDays(placed(`year(${s.NOW}) + 1`), 7)})`,
    });
  }

  // 16. Three groups ANDed, each an OR of different condition types.
  {
    const definition = groups(
      [
        { type: 'profile-marketing-consent', consent: { channel: 'email', can_receive_marketing: true, consent_status: { subscription: 'subscribed' } } },
        { type: 'profile-marketing-consent', consent: { channel: 'sms', can_receive_marketing: true, consent_status: { subscription: 'subscribed' } } },
      ],
      [
        { type: 'profile-property', property: "properties['Favorite Genre']", filter: { type: 'string', operator: 'in', value: ['Jazz', 'Blues', 'Soul'] } },
        metric(viewedProduct, 'count', 'greater-than-or-equal', 3, lastDays(90), [
          { property: 'Categories', filter: { type: 'list', operator: 'contains-any', value: ['Jazz'] } },
        ]),
        { type: 'profile-property', property: "properties['Tags']", filter: { type: 'list', operator: 'contains', value: 'audiophile' } },
      ],
      [
        { type: 'profile-region', in_region: true, region: 'united_states' },
        { type: 'profile-group-membership', is_member: true, group_ids: [vipClub], timeframe_filter: lastDays(365) },
        { type: 'profile-property', property: "properties['Loyalty Points']", filter: numeric('greater-than-or-equal', 500) },
      ],
    );
    suite.push({
      name: 'jazz-three-groups',
      description:
        '(e-mail subscribed OR SMS subscribed) AND (genre in Jazz/Blues/Soul OR ≥ 3 Jazz product views in 90 days OR tag "audiophile") AND (in the US OR joined VIP Club in the last year OR ≥ 500 loyalty points)',
      definition,
      edit: (k) => edited(definition, 1, 1, (c) => ((c.timeframe_filter as Json).quantity = 91 + k)),
      editDescription: 'Jazz product views: last 90 days → last 91 days',
      sql: `SELECT p.pidx FROM profiles p LEFT JOIN country_resolved c ON c.value = p.country
        WHERE ((${CAN_RECEIVE_EMAIL} AND coalesce(email_marketing.consent, 'NEVER_SUBSCRIBED') = 'SUBSCRIBED')
               OR (sms_marketing.can_receive_sms_marketing IS TRUE AND coalesce(sms_marketing.consent, 'NEVER_SUBSCRIBED') = 'SUBSCRIBED'))
          AND (${jsonString('properties', 'Favorite Genre')} IN ('Jazz', 'Blues', 'Soul')
               OR p.pidx IN (${s.eventsHaving(viewedProduct, `${s.inLastDays('ts', 90)} AND ${jsonListContains('props', 'Categories', 'Jazz')}`, 'count(*) >= 3')})
               OR ${jsonListContains('properties', 'Tags', 'audiophile')})
          AND (c.alpha2 = 'US'
               OR p.pidx IN (SELECT pidx FROM memberships WHERE list_id = ${q(vipClub)} AND ${s.inLastDays('joined', 365)})
               OR ${jsonNumber('properties', 'Loyalty Points')} >= 500)`,
    });
  }

  // 17. Phone country: profiles whose phone number is Canadian or British (libphonenumber's country).
  {
    const definition = groups([
      { type: 'profile-property', property: 'phone_number', filter: { type: 'string', operator: 'phone-country-code-in', value: ['CA', 'GB'] } },
    ]);
    const extra = ['IE', 'AU', 'NZ', 'US', 'DE', 'FR', 'BR', 'JE', 'GG', 'IM'];
    suite.push({
      name: 'phone-canada-uk',
      description: 'phone_number is a Canadian or British number (phone-country-code-in CA, GB)',
      definition,
      edit: (k) =>
        edited(
          definition,
          0,
          0,
          (c) => ((c.filter as Json).value = ['CA', 'GB', extra[k % extra.length], ...(k >= extra.length ? [extra[(k + 1) % extra.length]] : [])]),
        ),
      editDescription: 'CA, GB → CA, GB, IE',
      // The country as libphonenumber finds it: `+` and digits; the calling code the prefix of the
      // digits found in phone_codes (calling codes are prefix-free; see duckdbRunner.ts); 2–17
      // national digits; a code of one country is that country, a shared one is resolved by
      // sharedPhoneCountry (generated from the library's metadata).
      sql: `WITH ph AS (SELECT pidx, substr(phone_number, 2) AS d FROM profiles WHERE regexp_full_match(phone_number, '[+][0-9]+')),
        split AS (
          ${[1, 2, 3]
            .map(
              (length) =>
                `SELECT ph.pidx, c.calling_code, c.country, c.shared, substr(ph.d, ${length + 1}) AS nat FROM ph JOIN phone_codes c ON c.calling_code = substr(ph.d, 1, ${length})`,
            )
            .join('\n          UNION ALL ')}),
        resolved AS (
          SELECT pidx, CASE WHEN shared THEN ${sharedPhoneCountry('calling_code', 'nat')} ELSE country END AS country
          FROM split WHERE length(nat) BETWEEN 2 AND 17)
        SELECT pidx FROM resolved WHERE country IN ('CA', 'GB')`,
    });
  }

  return suite;
}

/**
 * The country of a national number under a calling code several countries share, as libphonenumber
 * finds it (getCountryByNationalNumber): the first country, in the library's order, whose leading
 * digits start the number, or else whose national pattern and one of whose number-type patterns
 * (with its possible lengths) match it whole. One CASE with constant patterns, generated from
 * libphonenumber-js's metadata when the suite is built.
 */
function sharedPhoneCountry(code: string, nat: string): string {
  /* eslint-disable @typescript-eslint/no-require-imports -- the package's own metadata, read once */
  const metadataJson = require('libphonenumber-js/metadata.max.json') as { country_calling_codes: Record<string, string[]> };
  const { Metadata } = require('libphonenumber-js/core') as {
    Metadata: new (json: unknown) => {
      selectNumberingPlan(country: string): void;
      leadingDigits(): string | undefined;
      nationalNumberPattern(): string;
      type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
    };
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const types = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];
  const metadata = new Metadata(metadataJson);
  const branches: string[] = [];
  for (const [callingCode, countries] of Object.entries(metadataJson.country_calling_codes)) {
    if (countries.length < 2) continue;
    const whens = countries.map((country) => {
      metadata.selectNumberingPlan(country);
      const leading = metadata.leadingDigits();
      if (leading) return `WHEN regexp_matches(${nat}, ${q(`^(?:${leading})`)}) THEN ${q(country)}`;
      const typeTests = types.flatMap((name) => {
        const type = metadata.type(name);
        if (!type || !type.pattern()) return [];
        const lengths = type.possibleLengths();
        return [`(${lengths ? `length(${nat}) IN (${lengths.join(', ')}) AND ` : ''}regexp_full_match(${nat}, ${q(type.pattern())}))`];
      });
      if (typeTests.length === 0) return '';
      return `WHEN regexp_full_match(${nat}, ${q(metadata.nationalNumberPattern())}) AND (${typeTests.join(' OR ')}) THEN ${q(country)}`;
    });
    branches.push(`WHEN ${code} = ${q(callingCode)} THEN CASE ${whens.filter((w) => w !== '').join(' ')} END`);
  }
  return `CASE ${branches.join(' ')} END`;
}

/** Great-circle distance in km (haversine, mean Earth radius 6371.0088 km), as SQL. */
function haversineKm(lat1: string, lon1: string, lat2: string, lon2: string): string {
  const h = `pow(sin(radians(${lat2} - ${lat1}) / 2), 2) + cos(radians(${lat1})) * cos(radians(${lat2})) * pow(sin(radians(${lon2} - ${lon1}) / 2), 2)`;
  return `(2 * 6371.0088 * asin(least(1, sqrt(${h}))))`;
}
