/**
 * The DuckDB side of the benchmark: loads the workspace's JSONL(.gz) files into tables and runs
 * the suite's SQL. Everything here follows docs/workspace-format.md and docs/semantics.md
 * independently of the engine's code; only reference data (postal-code centroids from the
 * `zipcodes` package and country names/codes from `i18n-iso-countries`, the same packaged data the
 * engine is documented to use) is shared.
 *
 * Tables (all instants TIMESTAMPTZ, session time zone UTC):
 *   profiles(pidx, id, email, …, country, zip, latitude JSON, longitude JSON, properties JSON,
 *            email_marketing STRUCT, sms_marketing STRUCT, push_marketing STRUCT, predictive STRUCT)
 *            — every line of profiles.jsonl with an id, plus list members missing from it
 *   events(pidx, metric_id, ts, props JSON, value DECIMAL) — `value` is `$value` when it is a
 *            JSON number (exact decimal), else NULL; events of unknown profiles or without a
 *            metric or a time are dropped
 *   memberships(list_id, pidx, joined) — `joined` is the most recent joined_group_at
 * Views: country_resolved(value, alpha2), profile_positions(pidx, lat, lon).
 * Built-in attributes are read with the types docs/workspace-format.md gives them (texts as
 * VARCHAR, booleans as BOOLEAN, predictive numbers as DOUBLE); free-form values (custom
 * properties, event properties, coordinates that may be numbers or numeric texts) stay JSON and
 * are type-checked by the queries.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

const PROFILE_ATTRIBUTES = `STRUCT(
  email VARCHAR, phone_number VARCHAR, external_id VARCHAR, first_name VARCHAR, last_name VARCHAR, organization VARCHAR,
  locale VARCHAR, title VARCHAR, image VARCHAR, created VARCHAR, updated VARCHAR, last_event_date VARCHAR,
  "location" STRUCT(address1 VARCHAR, address2 VARCHAR, city VARCHAR, country VARCHAR, latitude JSON, longitude JSON,
                    region VARCHAR, zip VARCHAR, timezone VARCHAR, ip VARCHAR),
  properties JSON,
  subscriptions STRUCT(
    email STRUCT(marketing STRUCT(can_receive_email_marketing BOOLEAN, consent VARCHAR, consent_timestamp VARCHAR, "method" VARCHAR,
                                  method_detail VARCHAR, custom_method_detail VARCHAR, double_optin BOOLEAN,
                                  suppression STRUCT(reason VARCHAR, "timestamp" VARCHAR)[])),
    sms STRUCT(marketing STRUCT(can_receive_sms_marketing BOOLEAN, consent VARCHAR, consent_timestamp VARCHAR, "method" VARCHAR, method_detail VARCHAR)),
    mobile_push STRUCT(marketing STRUCT(can_receive_push_marketing BOOLEAN, consent VARCHAR, consent_timestamp VARCHAR))),
  predictive_analytics STRUCT(
    historic_clv DOUBLE, predicted_clv DOUBLE, total_clv DOUBLE, historic_number_of_orders DOUBLE, predicted_number_of_orders DOUBLE,
    average_days_between_orders DOUBLE, average_order_value DOUBLE, churn_probability DOUBLE, expected_date_of_next_order VARCHAR,
    ranked_channel_affinity VARCHAR[], predicted_gender VARCHAR, channel_affinity_rank JSON)
)`;

const EVENT_ATTRIBUTES = `STRUCT("timestamp" DOUBLE, datetime VARCHAR, event_properties JSON)`;
const EVENT_RELATIONSHIPS = `STRUCT(profile STRUCT(data STRUCT(id VARCHAR)), metric STRUCT(data STRUCT(id VARCHAR)))`;
const MEMBER_ATTRIBUTES = `STRUCT(email VARCHAR, phone_number VARCHAR, joined_group_at VARCHAR)`;

function jsonlPath(path: string): string | undefined {
  if (existsSync(path)) return path;
  if (existsSync(`${path}.gz`)) return `${path}.gz`;
  return undefined;
}

function readJson(path: string, columns: Record<string, string>, extra = ''): string {
  const cols = Object.entries(columns)
    .map(([k, v]) => `${k}: ${sqlString(v)}`)
    .join(', ');
  return `read_json(${sqlString(path)}, format = 'newline_delimited', ignore_errors = true, columns = {${cols}}${extra})`;
}

export interface DuckLoadResult {
  loadMs: number;
  /** Milliseconds per load step (profiles, members, events). */
  steps: Record<string, number>;
  profiles: number;
  events: number;
}

export class DuckBench {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** A DuckDB database in memory, or in the file `path` (a database larger than memory), with DuckDB's memory limit or `memoryLimit`. */
  static async create(path = ':memory:', memoryLimit?: string): Promise<DuckBench> {
    const instance = await DuckDBInstance.create(path, memoryLimit ? { memory_limit: memoryLimit } : {});
    const connection = await instance.connect();
    await connection.run(`SET TimeZone = 'UTC'`);
    return new DuckBench(instance, connection);
  }

  async scalar(sql: string): Promise<number> {
    const reader = await this.connection.runAndReadAll(sql);
    const value = reader.getRows()[0]?.[0];
    return Number(value);
  }

  async column(sql: string): Promise<string[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRows().map((r) => String(r[0]));
  }

  /**
   * Reference data shared with the engine's packages: postal-code centroids and country
   * names/codes. Created once, outside the timed load (the engine has them built in).
   */
  async createReferenceTables(): Promise<void> {
    /* eslint-disable @typescript-eslint/no-require-imports -- the packages' own data files, read once as plain objects */
    const zipcodes = require('zipcodes') as { codes: Record<string, { latitude: number | null; longitude: number | null }> };
    const countries = require('i18n-iso-countries/index') as { getAlpha2Codes(): Record<string, string>; getAlpha3Codes(): Record<string, string> };
    const locales = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt'].map(
      (l) => require(`i18n-iso-countries/langs/${l}.json`) as { countries: Record<string, string | string[]> },
    );
    /* eslint-enable @typescript-eslint/no-require-imports */
    const c = this.connection;
    await c.run(`CREATE OR REPLACE TABLE zip_centroids (code VARCHAR PRIMARY KEY, lat DOUBLE, lon DOUBLE)`);
    const zips = await c.createAppender('zip_centroids');
    for (const [code, info] of Object.entries(zipcodes.codes)) {
      // A few Canadian entries lack a coordinate: such a centroid places nobody (NULL).
      if (typeof info.latitude !== 'number' || typeof info.longitude !== 'number') continue;
      zips.appendVarchar(code);
      zips.appendDouble(info.latitude);
      zips.appendDouble(info.longitude);
      zips.endRow();
    }
    zips.closeSync();

    await c.run(`CREATE OR REPLACE TABLE country_codes (alpha2 VARCHAR, alpha3 VARCHAR)`);
    const codes = await c.createAppender('country_codes');
    for (const [alpha3, alpha2] of Object.entries(countries.getAlpha3Codes())) {
      codes.appendVarchar(alpha2);
      codes.appendVarchar(alpha3);
      codes.endRow();
    }
    codes.closeSync();

    // Country names in the locales the engine documents, lower-cased; the first locale (and the
    // first code within it) that names a country wins, as a lookup in that order would.
    const names = new Map<string, string>();
    for (const locale of locales) {
      for (const [alpha2, value] of Object.entries(locale.countries)) {
        for (const name of Array.isArray(value) ? value : [value]) {
          const key = name.toLowerCase();
          if (!names.has(key)) names.set(key, alpha2);
        }
      }
    }
    await c.run(`CREATE OR REPLACE TABLE country_names (name_lower VARCHAR, alpha2 VARCHAR)`);
    const nameRows = await c.createAppender('country_names');
    for (const [name, alpha2] of names) {
      nameRows.appendVarchar(name);
      nameRows.appendVarchar(alpha2);
      nameRows.endRow();
    }
    nameRows.closeSync();

    await this.createPhoneTables();
  }

  /**
   * Calling codes from libphonenumber-js's full metadata (what the engine reads):
   * phone_codes(calling_code, country, shared): the country of a code that has one (NULL for a
   * shared or non-geographic code). segments.ts resolves shared codes from the same metadata.
   */
  private async createPhoneTables(): Promise<void> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package's own metadata, read once
    const metadataJson = require('libphonenumber-js/metadata.max.json') as {
      country_calling_codes: Record<string, string[]>;
      nonGeographic?: Record<string, unknown>;
    };
    const c = this.connection;
    await c.run(`CREATE OR REPLACE TABLE phone_codes (calling_code VARCHAR PRIMARY KEY, country VARCHAR, shared BOOLEAN)`);
    const codes = await c.createAppender('phone_codes');
    const addCode = (code: string, country: string | null, shared: boolean) => {
      codes.appendVarchar(code);
      if (country === null) codes.appendNull();
      else codes.appendVarchar(country);
      codes.appendBoolean(shared);
      codes.endRow();
    };
    for (const [code, countries] of Object.entries(metadataJson.country_calling_codes))
      addCode(code, countries.length === 1 ? countries[0] : null, countries.length > 1);
    for (const code of Object.keys(metadataJson.nonGeographic ?? {})) if (!metadataJson.country_calling_codes[code]) addCode(code, null, false);
    codes.closeSync();
  }

  /** Drops the workspace tables (between load runs). */
  async dropWorkspace(): Promise<void> {
    for (const view of ['profile_positions', 'country_resolved']) await this.connection.run(`DROP VIEW IF EXISTS ${view}`);
    for (const table of ['events', 'memberships', 'member_lines', 'profiles']) await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
  }

  /** Loads the workspace at `root` (timed: this is DuckDB's load time). */
  async loadWorkspace(root: string): Promise<DuckLoadResult> {
    const c = this.connection;
    const data = join(root, 'data');
    const profilesFile = jsonlPath(join(data, 'profiles.jsonl'));
    const eventsFile = jsonlPath(join(data, 'events.jsonl'));
    const membersDir = join(data, 'list-members');
    const memberFiles = existsSync(membersDir)
      ? readdirSync(membersDir)
          .filter((n) => /\.jsonl(\.gz)?$/.test(n))
          .map((n) => join(membersDir, n))
      : [];
    if (!profilesFile || !eventsFile) throw new Error(`DuckDB: ${root} has no profiles or events file`);

    const started = performance.now();
    const steps: Record<string, number> = {};
    let stepStart = started;
    const step = (name: string) => {
      const now = performance.now();
      steps[name] = now - stepStart;
      stepStart = now;
    };
    await c.run(`CREATE TABLE profiles AS
      SELECT CAST(row_number() OVER () - 1 AS INTEGER) AS pidx, id,
        a.email, a.phone_number, a.external_id, a.first_name, a.last_name, a.organization, a.locale, a.title, a.image,
        a.created, a.updated, a.last_event_date,
        a."location".city AS city, a."location".region AS region, a."location".country AS country, a."location".zip AS zip,
        a."location".latitude AS latitude, a."location".longitude AS longitude,
        a.properties AS properties,
        a.subscriptions.email.marketing AS email_marketing,
        a.subscriptions.sms.marketing AS sms_marketing,
        a.subscriptions.mobile_push.marketing AS push_marketing,
        a.predictive_analytics AS predictive
      FROM (SELECT id, attributes AS a FROM ${readJson(profilesFile, { id: 'VARCHAR', attributes: PROFILE_ATTRIBUTES })})
      WHERE id IS NOT NULL AND id <> ''`);
    step('profiles');

    // List members; members missing from profiles.jsonl are kept as profiles with their member line's attributes.
    if (memberFiles.length) {
      const list = `[${memberFiles.map(sqlString).join(', ')}]`;
      await c.run(`CREATE TABLE member_lines AS
        SELECT regexp_extract(filename, '([^/\\\\]+)\\.jsonl(\\.gz)?$', 1) AS list_id, id, attributes.email AS email,
               attributes.phone_number AS phone_number, TRY_CAST(attributes.joined_group_at AS TIMESTAMPTZ) AS joined
        FROM read_json(${list}, format = 'newline_delimited', ignore_errors = true, filename = true,
                       columns = {id: 'VARCHAR', attributes: ${sqlString(MEMBER_ATTRIBUTES)}})
        WHERE id IS NOT NULL AND id <> ''`);
    } else {
      await c.run(`CREATE TABLE member_lines (list_id VARCHAR, id VARCHAR, email VARCHAR, phone_number VARCHAR, joined TIMESTAMPTZ)`);
    }
    await c.run(`INSERT INTO profiles BY NAME
      SELECT CAST((SELECT coalesce(max(pidx), -1) FROM profiles) + row_number() OVER (ORDER BY id) AS INTEGER) AS pidx, id, email, phone_number
      FROM (SELECT id, first(email) AS email, first(phone_number) AS phone_number FROM member_lines
            WHERE id NOT IN (SELECT id FROM profiles) GROUP BY id)`);
    await c.run(`CREATE TABLE memberships AS
      SELECT m.list_id, p.pidx, max(m.joined) AS joined
      FROM member_lines m JOIN profiles p ON p.id = m.id GROUP BY m.list_id, p.pidx`);
    step('members');

    // Events: the instant is attributes.timestamp (epoch seconds), else attributes.datetime.
    // Clustered by metric then profile (the analogue of the engine's per-metric index): a
    // metric's events are contiguous and zone maps skip the rest. The sort costs about a third
    // of the load and makes the queries 2-4× faster.
    await c.run(`CREATE TABLE events AS
      SELECT p.pidx, e.metric_id, e.ts, e.props,
        CASE WHEN json_type(e.props, '$."$value"') IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN TRY_CAST(e.props ->> '$."$value"' AS DECIMAL(38, 10)) END AS value
      FROM (
        SELECT relationships.metric.data.id AS metric_id, relationships.profile.data.id AS profile_id,
               coalesce(to_timestamp(attributes."timestamp"), TRY_CAST(attributes.datetime AS TIMESTAMPTZ)) AS ts,
               attributes.event_properties AS props
        FROM ${readJson(eventsFile, { attributes: EVENT_ATTRIBUTES, relationships: EVENT_RELATIONSHIPS })}
      ) e
      JOIN profiles p ON p.id = e.profile_id
      WHERE e.metric_id IS NOT NULL AND e.metric_id <> '' AND e.ts IS NOT NULL
      ORDER BY e.metric_id, p.pidx, e.ts`);
    step('events');
    const loadMs = performance.now() - started;

    await this.createViews();
    const duplicates = await this.scalar(`SELECT count(*) - count(DISTINCT id) FROM profiles`);
    if (duplicates > 0) throw new Error(`DuckDB: profiles.jsonl has ${duplicates} duplicate profile IDs; the SQL does not model "the later record wins"`);
    return { loadMs, steps, profiles: await this.scalar('SELECT count(*) FROM profiles'), events: await this.scalar('SELECT count(*) FROM events') };
  }

  /**
   * country_resolved: each stored country text → ISO alpha-2 (semantics: a name, an alpha-2 or an
   * alpha-3 code, any case; "UK" is GB). profile_positions: latitude/longitude when both are
   * numbers (or numeric texts) in range, else the centroid of the US ZIP code / Canadian FSA of
   * location.zip in location.country.
   */
  private async createViews(): Promise<void> {
    const c = this.connection;
    await c.run(`CREATE OR REPLACE VIEW country_resolved AS
      WITH v AS (SELECT DISTINCT country AS value FROM profiles WHERE country IS NOT NULL),
      t AS (SELECT value, regexp_replace(value, '^\\s+|\\s+$', '', 'g') AS text FROM v),
      u AS (SELECT value, text, upper(text) AS up FROM t WHERE text <> '')
      SELECT u.value,
        coalesce(
          CASE WHEN regexp_full_match(u.up, '[A-Z]{2}') THEN coalesce(c2.alpha2, CASE WHEN u.up = 'UK' THEN 'GB' END) END,
          CASE WHEN regexp_full_match(u.up, '[A-Z]{3}') THEN c3.alpha2 END,
          n.alpha2) AS alpha2
      FROM u
      LEFT JOIN (SELECT DISTINCT alpha2 FROM country_codes) c2 ON c2.alpha2 = u.up
      LEFT JOIN country_codes c3 ON c3.alpha3 = u.up
      LEFT JOIN country_names n ON n.name_lower = lower(u.text)`);
    const coordinate = (col: string) => `CASE
        WHEN json_type(${col}) IN ('BIGINT', 'UBIGINT', 'DOUBLE') THEN CAST(${col} ->> '$' AS DOUBLE)
        WHEN json_type(${col}) = 'VARCHAR' AND regexp_replace(${col} ->> '$', '^\\s+|\\s+$', '', 'g') <> ''
          THEN TRY_CAST(regexp_replace(${col} ->> '$', '^\\s+|\\s+$', '', 'g') AS DOUBLE) END`;
    await c.run(`CREATE OR REPLACE VIEW profile_positions AS
      WITH c AS (SELECT pidx, country, zip, ${coordinate('latitude')} AS lat0, ${coordinate('longitude')} AS lon0 FROM profiles),
      d AS (SELECT *, coalesce(isfinite(lat0) AND isfinite(lon0) AND abs(lat0) <= 90 AND abs(lon0) <= 180, false) AS has_coords FROM c),
      z AS (
        SELECT d.pidx, d.has_coords, d.lat0, d.lon0,
          CASE WHEN NOT d.has_coords THEN CASE cr.alpha2
            WHEN 'US' THEN regexp_extract(upper(regexp_replace(d.zip, '^\\s+|\\s+$', '', 'g')), '^(\\d{5})(-\\d{4})?$', 1)
            WHEN 'CA' THEN regexp_extract(upper(regexp_replace(d.zip, '^\\s+|\\s+$', '', 'g')), '^([A-Z]\\d[A-Z])\\s*(\\d[A-Z]\\d)?$', 1) END END AS postal
        FROM d LEFT JOIN country_resolved cr ON cr.value = d.country)
      SELECT z.pidx, CASE WHEN z.has_coords THEN z.lat0 ELSE zc.lat END AS lat, CASE WHEN z.has_coords THEN z.lon0 ELSE zc.lon END AS lon
      FROM z LEFT JOIN zip_centroids zc ON zc.code = z.postal
      WHERE z.has_coords OR zc.code IS NOT NULL`);
  }

  /** count(*) of a segment's query. */
  async count(sql: string): Promise<number> {
    return this.scalar(`SELECT count(*) FROM (${sql})`);
  }

  /** Profile IDs a segment's query selects (for reporting mismatches). */
  async ids(sql: string): Promise<string[]> {
    return this.column(`SELECT id FROM profiles WHERE pidx IN (${sql})`);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
