/**
 * `segment-lens sql` as users run it: the printed query, run on DuckDB over the sample workspace
 * (loaded from its own files), gives the profiles `evaluate --ids` gives; --count, --json,
 * --setup, --now, --layout, and the exit codes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckdbLoadStatements } from '../../server/src/sql/workspaceTables';
import { workspaceFiles } from '../sql/support/workspaceFiles';
import { REPO, runCli } from './cli';

const SEGMENTS = join('sample-workspace', 'segments');

describe('segment-lens sql', function () {
  this.timeout(120_000);
  let connection: DuckDBConnection;
  const tmp = mkdtempSync(join(tmpdir(), 'segment-lens-sql-cli-'));

  before(async () => {
    connection = await (await DuckDBInstance.create(':memory:')).connect();
    for (const statement of duckdbLoadStatements(workspaceFiles(join(REPO, 'sample-workspace')))) await connection.run(statement);
  });

  /** Runs what `--setup` prints for a file: the reference tables its query joins. */
  async function setUp(file: string): Promise<void> {
    const setup = runCli(['sql', file, '--dialect', 'duckdb', '--setup']);
    assert.equal(setup.code, 0, setup.stderr);
    for (const statement of setup.stdout.split(/;\n(?=DROP|CREATE|INSERT)/)) if (statement.trim()) await connection.run(statement.replace(/;\s*$/, ''));
  }

  after(() => {
    connection.closeSync();
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const file of ['vip-customers.json', 'eu-residents.json', 'boston-purchasers.json', 'engaged-non-buyers.json']) {
    it(`${file}: the printed query, run on DuckDB, gives the profiles evaluate gives; --count gives their number`, async () => {
      const evaluated = JSON.parse(runCli(['evaluate', '--json', '--ids', join(SEGMENTS, file)]).stdout) as { matched: number; profile_ids: string[] };
      await setUp(join(SEGMENTS, file));
      const printed = runCli(['sql', join(SEGMENTS, file), '--dialect', 'duckdb']);
      assert.equal(printed.code, 0, printed.stderr);
      assert.match(printed.stdout, /^-- Segment Lens: duckdb SQL over the workspace layout; now = 2026-11-01T12:00:00\.000Z/);
      const ids = (await connection.runAndReadAll(printed.stdout.trim().replace(/;$/, ''))).getRows().map((r) => String(r[0]));
      assert.deepEqual(ids.sort(), [...evaluated.profile_ids].sort());
      const count = runCli(['sql', join(SEGMENTS, file), '--dialect', 'duckdb', '--count']);
      const counted = (await connection.runAndReadAll(count.stdout.trim().replace(/;$/, ''))).getRows();
      assert.equal(Number(counted[0][0]), evaluated.matched);
    });
  }

  it('--json: the query, its count and counts forms, approximations, not-evaluable parts and preconditions', () => {
    const { code, stdout } = runCli(['sql', join(SEGMENTS, 'eu-residents.json'), '--dialect', 'postgres', '--json', '--now', '2025-01-01']);
    assert.equal(code, 0);
    const json = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), [
      'dialect',
      'layout',
      'now',
      'sql',
      'countSql',
      'countsSql',
      'flagsSql',
      'approximations',
      'notEvaluable',
      'preconditions',
      'setup',
    ]);
    assert.equal(json.now, '2025-01-01T00:00:00.000Z');
    assert.equal((json.approximations as { rule: string }[])[0].rule.startsWith('Case-insensitive comparison'), true);
    assert.deepEqual(json.notEvaluable, []);
  });

  it('a condition the engine cannot evaluate: no query, the reasons, exit code 1', () => {
    const file = join(tmp, 'custom.segment.json');
    writeFileSync(
      file,
      JSON.stringify({
        condition_groups: [
          {
            conditions: [
              {
                type: 'profile-has-custom-object',
                object_type_id: '01J8ZQ3D1V7T2P6XG8W3K9M4RB',
                object_type_relationship_id: '01J8ZQ3D1V7T2P6XG8W3K9M4RC',
                filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
                filters: [],
              },
            ],
          },
        ],
      }),
    );
    const { code, stdout, stderr } = runCli(['sql', file, '--dialect', 'bigquery', '--now', '2026-01-01T00:00:00Z']);
    assert.equal(code, 1);
    assert.doesNotMatch(stdout, /SELECT/);
    assert.match(stdout, /-- Not evaluable at \/condition_groups\/0\/conditions\/0: the workspace format has no custom-object records/);
    assert.match(stderr, /not evaluable at \/condition_groups\/0\/conditions\/0/);
  });

  it('--layout fivetran, and a layout file; usage errors exit 2', () => {
    const fivetran = runCli(['sql', join(SEGMENTS, 'eu-residents.json'), '--dialect', 'snowflake', '--layout', 'fivetran']);
    assert.equal(fivetran.code, 0, fivetran.stderr);
    assert.match(fivetran.stdout, /"PERSON" AS p WHERE NOT COALESCE\(p\."_FIVETRAN_DELETED", FALSE\)/);
    const config = join(tmp, 'layout.json');
    writeFileSync(config, JSON.stringify({ schema: 'crm', tables: { profiles: 'people' } }));
    const mapped = runCli(['sql', join(SEGMENTS, 'eu-residents.json'), '--dialect', 'bigquery', '--layout', config]);
    assert.equal(mapped.code, 0, mapped.stderr);
    assert.match(mapped.stdout, /FROM `crm`\.`people` AS p/);
    writeFileSync(config, JSON.stringify({ tables: { people: 'x' } }));
    const bad = runCli(['sql', join(SEGMENTS, 'eu-residents.json'), '--dialect', 'bigquery', '--layout', config]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown key "tables\.people"/);
    assert.equal(runCli(['sql', join(SEGMENTS, 'eu-residents.json'), '--dialect', 'oracle']).code, 2);
    assert.equal(runCli(['sql', join(SEGMENTS, 'eu-residents.json'), '--dialect', 'duckdb', '--now', 'yesterday']).code, 2);
  });
});
