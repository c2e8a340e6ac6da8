/**
 * The compiler's pieces: literals and identifiers that must hold any text (round trips through
 * DuckDB and PostgreSQL; the BigQuery and Snowflake parsers), LIKE escaping, comments that user
 * text cannot leave, hostile property names and values evaluated like the engine, "now" as a
 * literal, preconditions versus a catalog, layouts, and the phone-country table against
 * libphonenumber itself.
 */
import assert from 'node:assert/strict';
import examples from 'libphonenumber-js/examples.mobile.json';
import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { Parser } from 'node-sql-parser';
import { WorkspaceBuilder } from '../../server/src/engine/workspace';
import { workspaceCatalog } from '../../server/src/sql/catalog';
import { commentLine, compileSegment } from '../../server/src/sql/compile';
import { likeEscape, type SqlDialect } from '../../server/src/sql/dialect';
import { DIALECTS } from '../../server/src/sql/dialects';
import { fivetranColumnName, fivetranLayout } from '../../server/src/sql/layouts/fivetran';
import { layoutFromConfig } from '../../server/src/sql/layouts/mapping';
import { materializedWorkspaceLayout } from '../../server/src/sql/layouts/materialized';
import { workspaceLayout } from '../../server/src/sql/layouts/workspace';
import { CompileContext } from '../../server/src/sql/context';
import { phoneCountry } from '../../server/src/sql/phone';
import { referenceTime } from '../../server/src/engine/time';
import { DuckDbDatabase, PostgresDatabase, type TestDatabase } from './support/databases';
import { checkEquivalence, newStats } from './support/equivalence';

const NOW = Date.parse('2024-06-17T15:00:00Z');

/** Texts that would break out of a badly quoted literal, identifier or comment. */
const HOSTILE = [
  "it's",
  "''",
  'back\\slash',
  '\\',
  "\\'",
  '50%_off',
  '%',
  '_',
  '!',
  '!%',
  'new\nline',
  'cr\rlf\r\n',
  'tab\there',
  'quote"double',
  '`backtick`',
  '--comment',
  '/* block */',
  '*/',
  '$$dollar$$',
  "'; DROP TABLE profiles; --",
  '\u2028line separator\u2029',
  'emoji 🎉',
  'ünïcödé',
  '',
  ' ',
];

const definition = (...conditions: unknown[]) => ({ condition_groups: [{ conditions }] });

describe('SQL compiler: literals and identifiers hold any text', function () {
  this.timeout(120_000);
  const databases: TestDatabase[] = [];
  before(async () => {
    databases.push(await DuckDbDatabase.open(), await PostgresDatabase.open());
  });
  after(async () => {
    for (const db of databases) await db.close();
  });

  it('every hostile text round-trips as a string literal and as a column alias (DuckDB, PostgreSQL)', async () => {
    for (const db of databases) {
      const d = DIALECTS[db.dialect];
      for (const text of HOSTILE) {
        const rows = await db.query(`SELECT ${d.stringLiteral(text)} AS ${d.quoteIdentifier(`x${text}`)}, 1 AS one`);
        assert.deepEqual(rows[0], [text, 1], `${db.dialect}: ${JSON.stringify(text)}`);
      }
    }
  });

  it('a condition on a property named and valued with hostile texts matches what the engine matches (DuckDB, PostgreSQL)', async () => {
    // Each hostile text is a property name and the value of one profile; conditions test equality,
    // containment (a LIKE pattern in PostgreSQL) and prefixes with each text.
    const profiles = HOSTILE.filter((t) => t !== '').map((text, i) => ({
      type: 'profile',
      id: `P${i}`,
      attributes: { properties: { [text]: text, Note: `x${text}y` } },
    }));
    const escaped = (name: string) => `properties['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
    const conditions = HOSTILE.flatMap((text) => [
      { type: 'profile-property', property: escaped(text || 'empty'), filter: { type: 'string', operator: 'equals', value: text } },
      { type: 'profile-property', property: "properties['Note']", filter: { type: 'string', operator: 'contains', value: text } },
      { type: 'profile-property', property: "properties['Note']", filter: { type: 'string', operator: 'starts-with', value: `x${text}` } },
      { type: 'profile-property', property: "properties['Note']", filter: { type: 'string', operator: 'ends-with', value: `${text}y` } },
    ]);
    const builder = new WorkspaceBuilder('hostile', NOW);
    for (const p of profiles) builder.addProfile(p);
    const workspace = builder.build();
    for (const db of databases) {
      await db.load({ metrics: [], lists: [], profiles, listMembers: [], events: [] });
      const stats = newStats();
      for (const condition of conditions)
        await checkEquivalence(db, { workspace, definition: definition(condition), label: `hostile ${JSON.stringify(condition)}` }, stats);
      assert.equal(stats.agreed, conditions.length, `${db.dialect}: every condition compared`);
    }
  });

  it('BigQuery and Snowflake literals parse as one string literal holding the text', () => {
    const parser = new Parser();
    for (const [name, d] of [
      ['bigquery', DIALECTS.bigquery],
      ['snowflake', DIALECTS.snowflake],
    ] as const) {
      for (const text of HOSTILE) {
        const sql = `SELECT ${d.stringLiteral(text)} AS ${d.quoteIdentifier('a')} FROM ${d.quoteIdentifier('t')}`;
        const ast = parser.astify(sql, { database: name }) as unknown as { columns: { expr: { type: string } }[] };
        assert.equal(ast.columns.length, 1, `${name}: ${JSON.stringify(text)}`);
        assert.match(ast.columns[0].expr.type, /string/, `${name}: ${JSON.stringify(text)} is one string literal`);
        assert.ok(
          !d
            .stringLiteral(text)
            .slice(1, -1)
            .match(/(?<!\\)(?:\\\\)*'/),
          `${name}: no unescaped quote inside`,
        );
        assert.ok(!/[\n\r]/.test(d.stringLiteral(text)), `${name}: no raw line break`);
      }
    }
    assert.equal(DIALECTS.bigquery.stringLiteral("it's\n\\"), "'it\\'s\\n\\\\'");
    assert.equal(DIALECTS.snowflake.stringLiteral("it's\n\\"), "'it\\'s\\n\\\\'");
    assert.equal(DIALECTS.postgres.stringLiteral("it's\\"), "E'it\\'s\\\\'");
    assert.equal(DIALECTS.duckdb.stringLiteral("it's\\"), "'it''s\\'");
  });

  it('LIKE patterns escape %, _ and the escape character', () => {
    assert.equal(likeEscape('50%_off!'), '50!%!_off!!');
    const sql = DIALECTS.postgres.contains('x', DIALECTS.postgres.stringLiteral('a%b_c!'));
    assert.equal(sql, "(x LIKE '%a!%b!_c!!%' ESCAPE '!')");
  });

  it('comments hold no line break, whatever the user text (metric IDs reach the preconditions comment)', () => {
    assert.equal(commentLine('a\nb\r\u2028c'), '-- a b  c');
    const compiled = compileSegment(
      definition({
        type: 'profile-metric',
        metric_id: 'X\n; DROP TABLE events; --',
        measurement: 'count',
        measurement_filter: { type: 'numeric', operator: 'greater-than', value: 0 },
        timeframe_filter: { type: 'date', operator: 'alltime' },
      }),
      { dialect: 'postgres', now: NOW },
    );
    const lines = (compiled.sql as string).split('\n');
    const requires = lines.filter((line) => line.startsWith('-- Requires'));
    assert.equal(requires.length, 1, 'one comment line for the precondition, the ID in it on the same line');
    assert.match(requires[0], /metric X ; DROP TABLE events; -- is not in the workspace/);
    // In the query the ID is a string literal (a line break inside a literal is part of the text).
    assert.ok((compiled.sql as string).includes("= 'X\n; DROP TABLE events; --'"));
  });
});

describe('SQL compiler: what it promises', () => {
  const metricCondition = {
    type: 'profile-metric',
    metric_id: 'PO',
    measurement: 'count',
    measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
    timeframe_filter: { type: 'date', operator: 'in-the-last', unit: 'day', quantity: 30 },
  };

  it('"now" is a literal: the same input gives the same text; another now moves the bounds', () => {
    const a = compileSegment(definition(metricCondition), { dialect: 'duckdb', now: NOW });
    const b = compileSegment(definition(metricCondition), { dialect: 'duckdb', now: NOW });
    const c = compileSegment(definition(metricCondition), { dialect: 'duckdb', now: NOW + 86_400_000 });
    assert.equal(a.sql, b.sql);
    assert.notEqual(a.sql, c.sql);
    // D0 − 30 days and now, as epoch milliseconds.
    assert.ok(a.sql?.includes(String(Date.parse('2024-05-18T00:00:00Z'))) && a.sql.includes(String(NOW)));
  });

  it('profiles created after now are left out, unless the catalog says no profile was created after now', async () => {
    const layout = materializedWorkspaceLayout();
    const existence = `"t/created" > CAST(${NOW} AS DOUBLE)`;
    const compile = (latestCreated?: number | null) =>
      compileSegment(definition(metricCondition), {
        dialect: 'duckdb',
        layout,
        now: NOW,
        catalog: latestCreated === undefined ? undefined : { latestCreated },
      });
    for (const form of ['sql', 'countSql', 'countsSql', 'flagsSql'] as const) {
      assert.ok(compile()[form]?.includes(existence), `${form} tests the creation time without a catalog`);
      assert.ok(compile(NOW + 1)[form]?.includes(existence), `${form}: a profile was created after now`);
      assert.ok(!compile(NOW)[form]?.includes('t/created'), `${form}: the latest was created at now`);
      assert.ok(!compile(null)[form]?.includes('t/created'), `${form}: no profile has a creation time`);
    }
    // Through the DuckDB engine: a profile created after now is not counted, one created before is.
    const db = await DuckDbDatabase.open({ materialized: true });
    try {
      await db.load({
        metrics: [{ type: 'metric', id: 'PO', attributes: { name: 'Placed Order' } }],
        lists: [],
        profiles: ['2024-06-01T00:00:00Z', '2024-06-18T00:00:00Z'].map((created, i) => ({ type: 'profile', id: `P${i}`, attributes: { created } })),
        events: [],
        listMembers: [],
      });
      const total = async (latestCreated?: number) =>
        Number(
          (
            await db.query(
              compileSegment(definition(metricCondition), {
                dialect: 'duckdb',
                layout,
                now: NOW,
                catalog: latestCreated === undefined ? undefined : { latestCreated },
              }).countsSql,
            )
          )[0][0],
        );
      assert.equal(await total(), 1);
      assert.equal(await total(Date.parse('2024-06-18T00:00:00Z')), 1);
    } finally {
      await db.close();
    }
  });

  it("PostgreSQL computes a date's text once per row, not once for every field of the date's parse (its plan shows)", async () => {
    // Without a catalog, every query tests each profile's creation time (a text parsed in SQL).
    // PostgreSQL merges derived tables into the query around them and copies a column's
    // expression into each place that reads it: unfenced, the plan read "created" 723 times.
    const db = await PostgresDatabase.open();
    try {
      await db.load({
        metrics: [{ type: 'metric', id: 'PO', attributes: { name: 'Placed Order' } }],
        lists: [],
        profiles: [{ type: 'profile', id: 'P0', attributes: { created: '2024-06-01T00:00:00Z' } }],
        events: [],
        listMembers: [],
      });
      const compiled = compileSegment(definition(metricCondition), { dialect: 'postgres', now: NOW });
      for (const form of ['flagsSql', 'countsSql'] as const) {
        const plan = (await db.query(`EXPLAIN (VERBOSE) ${compiled[form]}`)).map((row) => row[0]).join('\n');
        const reads = plan.match(/'created'/g)?.length ?? 0;
        assert.ok(reads > 0 && reads <= 40, `${form}: the plan reads "created" ${reads} times`);
      }
      // The counts form counts the flags once computed (inlined, each condition was computed
      // again for its group's count, the running AND's and the segment's); elsewhere as written.
      assert.match(compiled.countsSql, /^WITH flags AS \([^]* OFFSET 0\n\)$/m);
      for (const dialect of ['duckdb', 'bigquery', 'snowflake'] as const)
        assert.doesNotMatch(compileSegment(definition(metricCondition), { dialect, now: NOW }).countsSql, /OFFSET 0/, dialect);
    } finally {
      await db.close();
    }
  });

  it('conditions the engine cannot evaluate compile to "not evaluable", with the engine\'s reasons, and no query', () => {
    const custom = {
      type: 'profile-has-custom-object',
      object_type_id: 'O',
      object_type_relationship_id: 'R',
      filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
      filters: [],
    };
    const whatsapp = { type: 'profile-permissions', channel: 'whatsapp_marketing', permission: { reachable_status: 'explicitly_reachable', filters: [] } };
    const rcs = {
      type: 'profile-marketing-consent',
      consent: {
        channel: 'sms',
        can_receive_marketing: true,
        consent_status: { subscription: 'subscribed', filters: [{ field: 'is_rcs_capable', filter: { type: 'boolean', operator: 'equals', value: true } }] },
      },
    };
    const compiled = compileSegment(definition(custom, whatsapp, rcs, { type: 'profile-nonsense' }), { dialect: 'postgres', now: NOW });
    assert.equal(compiled.sql, null);
    assert.equal(compiled.countSql, null);
    assert.deepEqual(
      compiled.notEvaluable.map((n) => n.reason),
      [
        'the workspace format has no custom-object records',
        'WhatsApp reachability is not in the profile data Klaviyo exports',
        'RCS capability is not in the profile data Klaviyo exports',
        'unknown condition type "profile-nonsense"',
      ],
    );
    assert.match(compiled.countsSql, /-- Not evaluable at \/condition_groups\/0\/conditions\/0: the workspace format has no custom-object records/);
  });

  it('unknown metrics: a catalog says "not evaluable"; without one, a precondition query says it', () => {
    const builder = new WorkspaceBuilder('t', NOW);
    builder.addProfile({ type: 'profile', id: 'A', attributes: {} });
    const catalog = workspaceCatalog(builder.build());
    assert.deepEqual(
      compileSegment(definition(metricCondition), { dialect: 'duckdb', now: NOW, catalog }).notEvaluable.map((n) => n.reason),
      ['metric PO is not in the workspace'],
    );
    const open = compileSegment(definition(metricCondition), { dialect: 'duckdb', now: NOW });
    assert.deepEqual(open.notEvaluable, []);
    assert.deepEqual(
      open.preconditions.map((p) => [p.pointer, p.reason]),
      [['/condition_groups/0/conditions/0/metric_id', 'metric PO is not in the workspace']],
    );
  });

  it('regular expressions are exact on RE2 dialects and listed as approximations elsewhere', () => {
    const regex = definition({ type: 'profile-property', property: 'email', filter: { type: 'string', operator: 'regex', value: '^a\\b' } });
    const rules = (dialect: 'duckdb' | 'postgres' | 'bigquery' | 'snowflake') =>
      compileSegment(regex, { dialect, now: NOW }).approximations.map((a) => a.rule.split(':')[0]);
    assert.deepEqual(rules('duckdb'), []);
    assert.deepEqual(rules('bigquery'), []);
    assert.equal(rules('postgres').length, 1);
    assert.equal(rules('snowflake').length, 1);
  });

  it('the Fivetran layout: flattened columns, deleted rows left out, values it lacks not evaluable', () => {
    const layout = fivetranLayout({ schema: ['klaviyo'] });
    const city = compileSegment(
      definition({ type: 'profile-property', property: "location['city']", filter: { type: 'string', operator: 'equals', value: 'Boston' } }),
      { dialect: 'snowflake', layout, now: NOW },
    );
    assert.match(city.sql as string, /FROM \(SELECT p\.\* FROM "KLAVIYO"\."PERSON" AS p WHERE NOT COALESCE\(p\."_FIVETRAN_DELETED", FALSE\)\) AS p/);
    assert.match(city.sql as string, /p\."CITY" = 'Boston'/);
    const locale = compileSegment(definition({ type: 'profile-property', property: 'locale', filter: { type: 'existence', operator: 'is-set' } }), {
      dialect: 'bigquery',
      layout,
      now: NOW,
    });
    assert.deepEqual(
      locale.notEvaluable.map((n) => n.reason),
      ['the Fivetran layout has no column for locale'],
    );
    assert.equal(fivetranColumnName("Sender's Name"), 'sender_s_name');
    assert.equal(fivetranColumnName('$value'), 'value');
    assert.equal(fivetranColumnName('ItemNames'), 'item_names');
  });

  it('layout files rename tables and columns, and say what is wrong with them', () => {
    const result = layoutFromConfig({ schema: 'analytics', tables: { profiles: 'kl_profiles' }, columns: { profiles: { id: 'id' } } });
    assert.ok('layout' in result);
    const compiled = compileSegment(definition({ type: 'profile-property', property: 'email', filter: { type: 'existence', operator: 'is-set' } }), {
      dialect: 'postgres',
      layout: result.layout,
      now: NOW,
    });
    assert.match(compiled.sql as string, /FROM "analytics"\."kl_profiles" AS p/);
    assert.match(compiled.sql as string, /SELECT p\."id" AS "profile_id"/);
    const bad = layoutFromConfig({ tables: { profile: 'x' }, columns: { events: { time: 3 } }, layout: 'other' });
    assert.deepEqual(bad, { errors: ['"layout" is "workspace" or "fivetran", not "other"'] });
    const worse = layoutFromConfig({ tables: { profile: 'x' }, columns: { events: { timeMs: 3 } } });
    assert.deepEqual('errors' in worse && worse.errors, [
      'unknown key "tables.profile" (known: profiles, events, metrics, lists, listMembers)',
      '"columns.events.timeMs" is a non-empty name',
    ]);
  });
});

describe('SQL compiler: phone countries against libphonenumber', function () {
  this.timeout(120_000);
  let db: DuckDbDatabase;
  before(async () => {
    db = await DuckDbDatabase.open();
  });
  after(async () => {
    await db.close();
  });

  /** The SQL phone country of each number, in one query. */
  async function sqlCountries(d: SqlDialect, numbers: string[]): Promise<(string | null)[]> {
    const ctx = new CompileContext(d, workspaceLayout(), referenceTime(NOW), undefined);
    const values = numbers.map((n, i) => `(${i}, ${d.stringLiteral(n)})`).join(', ');
    const rows = await db.query(`SELECT i, ${phoneCountry(ctx, 'n.t')} FROM (VALUES ${values}) AS n(i, t) ORDER BY i`);
    return rows.map((r) => (r[1] === null ? null : String(r[1])));
  }

  it('E.164 numbers (an example of every region, and variations): the same country as libphonenumber for single-country calling codes, and nearly always for shared ones', async () => {
    // libphonenumber's example mobile number of every region, and variations of each.
    const numbers = new Set<string>([
      '+15005550006',
      '+14165550123',
      '+442071838750',
      '+441481256789',
      '+3906698',
      '+80012345678',
      '+999123',
      '+12',
      '+0123456',
    ]);
    for (const [region, national] of Object.entries(examples as Record<string, string>))
      numbers.add(`+${getCountryCallingCode(region as CountryCode)}${national}`);
    const e164 = [...numbers].filter((n) => n.startsWith('+'));
    for (const n of [...e164]) e164.push(`${n.slice(0, -1)}${(Number(n.slice(-1)) + 3) % 10}`, n.slice(0, -2));
    const expected = e164.map((n) => parsePhoneNumberFromString(n)?.country ?? null);
    const got = await sqlCountries(DIALECTS.duckdb, e164);
    const differ = e164.filter((_, i) => expected[i] !== got[i]);
    const sharedCodes = ['1', '7', '39', '44', '47', '61', '212', '262', '290', '358', '590', '599'];
    assert.deepEqual(
      differ.filter((n) => !sharedCodes.some((c) => n.startsWith(`+${c}`))),
      [],
      'single-country calling codes are exact',
    );
    console.log(
      `      phone countries: ${e164.length - differ.length} of ${e164.length} E.164 numbers as libphonenumber (differing: ${differ.join(', ') || 'none'})`,
    );
    assert.ok(differ.length <= e164.length * 0.01, `at most 1% differ (shared calling codes): ${differ.join(', ')}`);
  });
});
