/**
 * BigQuery and Snowflake cannot run here: their SQL is checked by golden files
 * (test/fixtures/sql/<dialect>/*.sql, read and reviewed by hand when they change) and by a parser
 * that knows the dialect (node-sql-parser). Neither proves the SQL runs on the real warehouse;
 * docs/sql.md says so. UPDATE_SQL_GOLDEN=1 rewrites the files.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'node-sql-parser';
import { SegmentLanguage } from '../../server/src/segment/languageService';
import { definitionValue } from '../../server/src/segment/parse';
import { compileSegment, type CompiledSegment } from '../../server/src/sql/compile';
import { fivetranLayout } from '../../server/src/sql/layouts/fivetran';
import { workspaceLayout } from '../../server/src/sql/layouts/workspace';
import type { TableLayout } from '../../server/src/sql/layout';
import { DIALECTS } from '../../server/src/sql/dialects';
import { setupStatements } from '../../server/src/sql/referenceTables';

const REPO = join(__dirname, '..', '..', '..');
const GOLDEN = join(REPO, 'test', 'fixtures', 'sql');
const NOW = Date.parse('2026-11-01T12:00:00Z');
const UPDATE = process.env.UPDATE_SQL_GOLDEN === '1';

/** Definitions covering every condition type and filter family, and sample segments of each kind. */
const DEFINITIONS: { name: string; path: string }[] = [
  { name: 'every-filter', path: join(GOLDEN, 'definitions', 'every-filter.json') },
  { name: 'every-condition', path: join(GOLDEN, 'definitions', 'every-condition.json') },
  ...['boston-purchasers', 'eu-residents', 'engaged-non-buyers', 'newsletter-subscribers-can-receive-email'].map((name) => ({
    name,
    path: join(REPO, 'sample-workspace', 'segments', `${name}.json`),
  })),
];

const LAYOUTS: { name: string; layout: TableLayout; definitions: string[] }[] = [
  { name: 'workspace', layout: workspaceLayout(), definitions: DEFINITIONS.map((d) => d.name) },
  { name: 'fivetran', layout: fivetranLayout({ schema: ['klaviyo'] }), definitions: ['every-filter', 'every-condition'] },
];

function definitionOf(path: string): unknown {
  const language = new SegmentLanguage();
  return definitionValue(language.parse(readFileSync(path, 'utf8')));
}

/** The golden text: the IDs form (or why it is not evaluable) and the counts form. */
function goldenText(compiled: CompiledSegment): string {
  return `${compiled.sql ?? '-- (not evaluable: no IDs form)'};\n\n${compiled.countsSql};\n`;
}

const parser = new Parser();

function parses(sql: string, database: string, what: string): void {
  try {
    parser.astify(sql, { database });
  } catch (error) {
    assert.fail(`${what} does not parse as ${database}: ${(error as Error).message}\n${sql.slice(0, 2000)}`);
  }
}

for (const dialect of ['bigquery', 'snowflake'] as const) {
  describe(`SQL for ${dialect} (not executed: golden files and the ${dialect} parser)`, () => {
    for (const { name: layoutName, layout, definitions } of LAYOUTS) {
      for (const definition of DEFINITIONS.filter((d) => definitions.includes(d.name))) {
        const file = join(GOLDEN, dialect, `${definition.name}.${layoutName}.sql`);
        it(`${definition.name} over the ${layoutName} layout: the golden file, and every statement parses`, () => {
          const compiled = compileSegment(definitionOf(definition.path), { dialect, layout, now: NOW });
          const text = goldenText(compiled);
          if (UPDATE || !existsSync(file)) {
            mkdirSync(join(GOLDEN, dialect), { recursive: true });
            writeFileSync(file, text);
          }
          assert.equal(text, readFileSync(file, 'utf8'), `${file} differs (UPDATE_SQL_GOLDEN=1 rewrites it; review the change)`);
          for (const [what, sql] of [
            ['the IDs form', compiled.sql],
            ['the count form', compiled.countSql],
            ['the counts form', compiled.countsSql],
            ['the flags form', compiled.flagsSql],
            ['a page', compiled.pageSql({ limit: 100, after: "01J'X" })],
          ] as const) {
            if (sql !== null) parses(sql, dialect, what);
          }
          for (const precondition of compiled.preconditions) parses(precondition.sql, dialect, `the precondition "${precondition.reason}"`);
        });
      }
    }

    it("the reference tables' setup statements parse (create and the first insert of each of the four tables)", () => {
      const setup = setupStatements(DIALECTS[dialect], workspaceLayout());
      assert.equal(setup.filter((s) => s.startsWith('CREATE')).length, 4, 'four reference tables');
      const firstInserts = new Set<string>();
      for (const statement of setup) {
        const table = /^(?:CREATE OR REPLACE TABLE|INSERT INTO) (\S+)/.exec(statement)?.[1] ?? '';
        if (statement.startsWith('INSERT')) {
          if (firstInserts.has(table)) continue;
          firstInserts.add(table);
        }
        parses(statement, dialect, statement.slice(0, 60));
      }
    });
  });
}
