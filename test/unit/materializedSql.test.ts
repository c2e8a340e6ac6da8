/**
 * The SQL compiled for the DuckDB engine's converted databases (the materialised workspace layout,
 * DUCKDB_FORMAT 3, docs/sql.md "The DuckDB engine"): typed profile columns instead of JSON
 * extraction, events matched to profiles by the integer key `pidx`, top-level event tests as
 * semi-joins, counts that need no grouping, `$value` from its number column, the phone calling
 * code found by equality; and the same definitions over the workspace layout, unchanged. What the
 * SQL answers is checked against the engine by test/sql/equivalence.test.ts.
 */
import assert from 'node:assert/strict';
import { countPassesFromOne } from '../../server/src/sql/builder';
import { compileSegment } from '../../server/src/sql/compile';
import type { TableLayout } from '../../server/src/sql/layout';
import { materializedLoadStatements, materializedWorkspaceLayout, MATERIALIZED_PATHS, TYPED_PATHS } from '../../server/src/sql/layouts/materialized';
import { workspaceLayout } from '../../server/src/sql/layouts/workspace';
import { DIALECTS } from '../../server/src/sql/dialects';

const NOW = Date.parse('2026-11-01T12:00:00Z');
const alltime = { type: 'date', operator: 'alltime' };
const lastDays = (quantity: number) => ({ type: 'date', operator: 'in-the-last', unit: 'day', quantity });
const count = (operator: string, value: number, timeframe: unknown = alltime) => ({
  type: 'profile-metric',
  metric_id: 'M1',
  measurement: 'count',
  measurement_filter: { type: 'numeric', operator, value },
  timeframe_filter: timeframe,
});
const definition = (...conditions: unknown[]) => ({ condition_groups: [{ conditions }] });

function sql(condition: unknown, layout: TableLayout = materializedWorkspaceLayout()): string {
  const compiled = compileSegment(definition(condition), { dialect: 'duckdb', layout, now: NOW });
  assert.ok(compiled.countSql, 'the condition compiles');
  // The predicate only (the header comments name the metrics, and "exists as of now" reads `created`).
  return compiled.groups[0].conditions[0].predicate as string;
}

describe('SQL over the DuckDB engine’s converted databases (materialised layout)', () => {
  it('documented scalar attributes are read from typed columns, without JSON extraction', () => {
    const email = sql({ type: 'profile-property', property: 'email', filter: { type: 'string', operator: 'ends-with', value: '@hotmail.com' } });
    assert.equal(email, `COALESCE(ends_with(p."s/email", '@hotmail.com'), FALSE)`);
    const clv = sql({ type: 'profile-predictive-analytics', dimension: 'historic_clv', filter: { type: 'numeric', operator: 'greater-than', value: 200 } });
    assert.match(clv, /p\."n\/predictive_analytics\/historic_clv" > CAST\(200 AS DOUBLE\)/);
    assert.doesNotMatch(clv, /json_type/);
    const consent = sql({
      type: 'profile-marketing-consent',
      consent: { channel: 'email', can_receive_marketing: true, consent_status: { subscription: 'any', filters: null } },
    });
    assert.match(consent, /p\."b\/subscriptions\/email\/marketing\/can_receive_email_marketing" = TRUE/);
    assert.match(consent, /p\."s\/email" <> ''/);
    assert.doesNotMatch(consent, /json_type/);
    // A value of several documented types (coordinates, dates) stays JSON.
    assert.match(
      sql({ type: 'profile-property', property: "location['latitude']", filter: { type: 'existence', operator: 'is-set' } }),
      /p\."a\/location\/latitude"/,
    );
  });

  it('a typed path has a typed column and no JSON column; the JSON columns are the other documented paths', () => {
    const typed = new Set(TYPED_PATHS.map(({ path }) => path.join('.')));
    for (const path of [
      'email',
      'phone_number',
      'location.city',
      'location.zip',
      'predictive_analytics.churn_probability',
      'subscriptions.sms.marketing.consent',
    ])
      assert.ok(typed.has(path), path);
    for (const path of MATERIALIZED_PATHS) assert.ok(!typed.has(path.join('.')), path.join('.'));
    assert.ok(MATERIALIZED_PATHS.some((path) => path.join('.') === 'location.latitude'));
  });

  it('a count that passes from 1 on is a semi-join on pidx, without grouping; "zero times" its complement', () => {
    const any = sql(count('greater-than-or-equal', 1, lastDays(30)));
    assert.match(any, /^\(p\."pidx" IN \(SELECT e\d+\."pidx" FROM "events" AS e\d+ WHERE \(e\d+\."metric_id" = 'M1' AND /);
    assert.doesNotMatch(any, /GROUP BY|profile_id/);
    const none = sql(count('equals', 0));
    assert.match(none, /^\(p\."pidx" NOT IN \(SELECT e\d+\."pidx" FROM "events" AS e\d+ WHERE \(e\d+\."metric_id" = 'M1' AND [^]*\)\)\)$/);
    assert.doesNotMatch(none, /GROUP BY/);
  });

  it('other counts and sums are grouped by pidx; a sum of $value reads its number column', () => {
    assert.match(sql(count('greater-than-or-equal', 2)), /GROUP BY e\d+\."pidx" HAVING COALESCE\(COUNT\(\*\) >= CAST\(2 AS DOUBLE\), FALSE\)/);
    const sum = sql({ ...count('greater-than-or-equal', 500), measurement: 'sum' });
    assert.match(sum, /^\(p\."pidx" IN \(SELECT e(\d+)\."pidx" FROM "events" AS e\1 WHERE \(e\1\."metric_id" = 'M1' AND [^]* GROUP BY e\1\."pidx" HAVING /);
    assert.match(sum, /SUM\(CASE WHEN e\d+\."n\/\$value" IS NOT NULL THEN e\d+\."n\/\$value" ELSE 0 END\)/);
  });

  it('a funnel is a semi-join: its later steps and its negative steps are matched to the first step’s event by pidx', () => {
    const funnel = sql({
      type: 'profile-metric-funnel',
      timeframe_filter: lastDays(30),
      completion_window_seconds: 'DAYS_1',
      steps: [
        { metric_exists: true, metric_id: 'M1' },
        { metric_exists: false, metric_id: 'M2' },
        { metric_exists: true, metric_id: 'M3' },
      ],
    });
    assert.match(funnel, /^\(p\."pidx" IN \(SELECT e(\d+)\."pidx" FROM "events" AS e\1, "events" AS e(\d+) WHERE /);
    const [, first, second] = /^\(p\."pidx" IN \(SELECT e(\d+)\."pidx" FROM "events" AS e\1, "events" AS e(\d+)/.exec(funnel) as RegExpExecArray;
    assert.ok(funnel.includes(`e${second}."pidx" = e${first}."pidx"`));
    assert.match(
      funnel,
      new RegExp(`NOT EXISTS \\(SELECT 1 FROM "events" AS (e\\d+) WHERE \\(\\(\\1\\."metric_id" = 'M2' AND \\1\\."pidx" = e${first}\\."pidx"`),
    );
    assert.doesNotMatch(funnel, /p\."profile_id"|EXISTS \(SELECT 1 FROM "events" AS e\d+, /);
  });

  it('the workspace layout (PostgreSQL, BigQuery, Snowflake, DuckDB over its tables) keeps correlated EXISTS and grouping by profile ID', () => {
    const layout = workspaceLayout();
    assert.match(
      sql(count('greater-than-or-equal', 1), layout),
      /^\(p\."profile_id" IN \(SELECT e\d+\."profile_id" FROM .* GROUP BY e\d+\."profile_id" HAVING /,
    );
    const funnel = sql(
      { type: 'profile-metric-funnel', timeframe_filter: lastDays(30), completion_window_seconds: 'DAYS_1', steps: [{ metric_exists: true, metric_id: 'M1' }] },
      layout,
    );
    assert.match(funnel, /^EXISTS \(SELECT 1 FROM "events" AS e\d+ WHERE \(\(e\d+\."metric_id" = 'M1' AND e\d+\."profile_id" = p\."profile_id"/);
    assert.match(sql({ type: 'profile-property', property: 'email', filter: { type: 'existence', operator: 'is-set' } }, layout), /json_type/);
  });

  it('whether a count passes exactly from 1 on, exactly at 0, or neither', () => {
    assert.equal(countPassesFromOne('greater-than-or-equal', 1), true);
    assert.equal(countPassesFromOne('greater-than', 0), true);
    assert.equal(countPassesFromOne('greater-than', 0.5), true);
    assert.equal(countPassesFromOne('not-equals', 0), true);
    assert.equal(countPassesFromOne('equals', 0), false);
    assert.equal(countPassesFromOne('less-than', 1), false);
    assert.equal(countPassesFromOne('less-than-or-equal', 0.5), false);
    assert.equal(countPassesFromOne('greater-than-or-equal', 2), undefined);
    assert.equal(countPassesFromOne('equals', 1), undefined);
    assert.equal(countPassesFromOne('less-than', 2), undefined);
    assert.equal(countPassesFromOne('not-equals', 1), undefined);
    assert.equal(countPassesFromOne('greater-than', -1), undefined);
  });

  it('the phone country finds the calling code by equality with a prefix of each code length, in every dialect', () => {
    const phone = { type: 'profile-property', property: 'phone_number', filter: { type: 'string', operator: 'phone-country-code-in', value: ['CA'] } };
    const compiled = compileSegment(definition(phone), { dialect: 'duckdb', layout: materializedWorkspaceLayout(), now: NOW }).countSql as string;
    for (const length of [1, 2, 3]) assert.match(compiled, new RegExp(`WHERE cc\\d+\\.calling_code = substr\\(p\\."sl_\\d+", 2, ${length}\\) AND`));
    for (const dialect of ['postgres', 'bigquery', 'snowflake'] as const) {
      const other = compileSegment(definition(phone), { dialect, layout: workspaceLayout(), now: NOW }).countSql as string;
      assert.match(other, /calling_code = /, dialect);
      assert.doesNotMatch(other, /starts_with|STARTS_WITH|STARTSWITH| LIKE /, dialect);
    }
    assert.doesNotMatch(compiled, /starts_with/);
  });

  it('the conversion loads without primary keys or indexes, then adds pidx and the typed columns', () => {
    const statements = materializedLoadStatements(DIALECTS.duckdb, { listMembers: [] }).join('\n');
    assert.doesNotMatch(statements, /PRIMARY KEY|CREATE INDEX/);
    assert.match(statements, /CAST\(row_number\(\) OVER \(ORDER BY p\."profile_id"\) AS INTEGER\) AS "pidx"/);
    assert.match(statements, /AS "s\/email"/);
    assert.match(
      statements,
      /AS "n\/\$value" FROM "events" AS e JOIN "profiles" AS p ON p\."profile_id" = e\."profile_id" ORDER BY e\."metric_id", p\."pidx", e\."time_ms"/,
    );
  });

  it("parses each profile's attributes once: the columns read the paths json_extract took out in one call", () => {
    const statements = materializedLoadStatements(DIALECTS.duckdb, { listMembers: [] });
    const view = statements.find((s) => s.startsWith('CREATE VIEW "sl_profiles_extracted"'));
    assert.ok(view, 'the view of extracted paths');
    assert.equal(view.match(/json_extract\(/g)?.length, 1, 'one json_extract of a list of paths');
    assert.match(view, /json_extract\(p\."attributes", \['\/email', /);
    assert.match(view, /'\/subscriptions\/email\/marketing\/can_receive_email_marketing'/);
    const wide = statements.find((s) => s.startsWith('CREATE TABLE "sl_profiles_materialized"'));
    assert.ok(wide);
    // No value is read from `attributes` by the select itself: only copied.
    assert.doesNotMatch(wide, /"attributes" ->/);
    assert.match(wide, /p\."x\/email"/);
    assert.match(wide, /FROM "sl_profiles_extracted" AS p/);
    // A sort of the whole wide result took more than 512 MB of DuckDB's memory at 20,000 profiles: pidx numbers them, no ORDER BY.
    assert.doesNotMatch(wide.slice(wide.lastIndexOf(')')), /ORDER BY/);
    assert.ok(statements.indexOf('DROP VIEW "sl_profiles_extracted"') > statements.indexOf(wide));
  });
});
