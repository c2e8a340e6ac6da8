/**
 * `segment-lens evaluate --engine duckdb` as users run it: the same counts and IDs as the
 * in-memory engine for every segment of the sample workspace; the converted database in the
 * engine cache (reused, converted again when a data file changes); --database over a DuckDB file
 * and over a folder of Parquet files, without a workspace folder; the reference tables stored in
 * the converted database once; --engine auto; usage errors.
 */
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { convertedLayout, convertedReferenceSetup, WORKSPACE_INFO_TABLE } from '../../server/src/duckdb/convert';
import { DuckDbEvaluator } from '../../server/src/duckdb/evaluate';
import { openDatabase } from '../../server/src/duckdb/external';
import { REPO, runCli } from './cli';

interface Evaluated {
  file: string;
  total: number;
  matched: number | null;
  not_evaluable: string[];
  groups: { matched: number | null; after_and: number | null; conditions: { matched: number | null; description: string; not_evaluable?: string }[] }[];
  profile_ids?: string[];
  profiles: { id: string }[];
  workspace: { name: string; now: string; profiles: number; events: number };
  description: string;
}

const SEGMENTS = join('sample-workspace', 'segments');
const SOME = ['vip-customers.json', 'eu-residents.json', 'boston-purchasers.json', 'engaged-non-buyers.json'];

/** What both engines must agree on (IDs sorted: DuckDB lists profiles in ID order, the memory engine in file order). */
function comparable(result: Evaluated) {
  return {
    file: result.file.replace(/^.*segments[\\/]/, ''),
    description: result.description,
    total: result.total,
    matched: result.matched,
    not_evaluable: result.not_evaluable,
    groups: result.groups,
    profile_ids: result.profile_ids ? [...result.profile_ids].sort() : undefined,
    profiles: result.profiles.length,
    workspace: { name: result.workspace.name, now: result.workspace.now, profiles: result.workspace.profiles, events: result.workspace.events },
  };
}

describe('segment-lens evaluate --engine duckdb', function () {
  this.timeout(600_000);
  const tmp = mkdtempSync(join(tmpdir(), 'segment-lens-duckdb-cli-'));
  const env = { SEGMENT_LENS_CACHE_DIR: join(tmp, 'cache') };
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { env: { ...env, ...extra } });
  const json = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const result = run([...args, '--json'], extra);
    assert.equal(result.code, 0, result.stderr);
    return { value: JSON.parse(result.stdout) as Evaluated | Evaluated[], stderr: result.stderr };
  };
  const list = (value: Evaluated | Evaluated[]) => (Array.isArray(value) ? value : [value]);
  let memory: Evaluated[];
  let converted: string;

  before(() => {
    memory = list(json(['evaluate', SEGMENTS, '--ids', '--engine', 'memory']).value);
  });

  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('gives the counts and IDs of the memory engine for every segment of the sample workspace', () => {
    const { value, stderr } = json(['evaluate', SEGMENTS, '--ids', '--engine', 'duckdb']);
    const duck = list(value);
    assert.equal(duck.length, memory.length);
    assert.ok(duck.length >= 16);
    assert.deepEqual(duck.map(comparable), memory.map(comparable));
    const match = /Converted .* into DuckDB in \d+ ms \((.+\.duckdb)\)/.exec(stderr);
    assert.ok(match, stderr);
    converted = match[1];
  });

  it("the text output has the memory engine's shape", () => {
    const file = join(SEGMENTS, 'vip-customers.json');
    const strip = (text: string) => text.replace(/^ {4}\S+ {2}.*$/gm, '    (profile)');
    const duck = run(['evaluate', file, '--engine', 'duckdb']);
    const mem = run(['evaluate', file, '--engine', 'memory']);
    assert.equal(duck.code, 0, duck.stderr);
    assert.equal(strip(duck.stdout), strip(mem.stdout));
  });

  it('reuses the converted database, and converts again (with a new answer) when a data file changes', () => {
    const root = join(tmp, 'workspace');
    cpSync(join(REPO, 'sample-workspace'), root, { recursive: true });
    const file = join(root, 'segments', 'vip-customers.json');
    const first = json(['evaluate', file, '--engine', 'duckdb']);
    assert.match(first.stderr, /Converted /);
    const second = json(['evaluate', file, '--engine', 'duckdb']);
    assert.doesNotMatch(second.stderr, /Converted /);
    assert.deepEqual(comparable(second.value as Evaluated), comparable(first.value as Evaluated));
    appendFileSync(
      join(root, 'data', 'profiles.jsonl'),
      `${JSON.stringify({ type: 'profile', id: 'ZZ_NEW_PROFILE', attributes: { email: 'new@example.com' } })}\n`,
    );
    const third = json(['evaluate', file, '--engine', 'duckdb']);
    assert.match(third.stderr, /Converted /);
    assert.equal((third.value as Evaluated).total, (first.value as Evaluated).total + 1);
    const memoryNow = json(['evaluate', file, '--engine', 'memory', '--no-cache']);
    assert.deepEqual(comparable(third.value as Evaluated), comparable(memoryNow.value as Evaluated));
    // The older database of the same workspace is gone.
    const prefix = /([0-9a-f]{16})-[^/\\]*\.duckdb$/.exec(converted)?.[1];
    assert.ok(prefix);
    const databases = readdirSync(join(env.SEGMENT_LENS_CACHE_DIR, 'duckdb')).filter((name) => name.endsWith('.duckdb'));
    assert.equal(databases.filter((name) => !name.startsWith(prefix)).length, 1, databases.join(', '));
  });

  describe('--database, without a workspace folder', () => {
    const alone = join(tmp, 'alone', 'segments');
    const parquet = join(tmp, 'parquet');
    before(async () => {
      mkdirSync(alone, { recursive: true });
      for (const file of SOME) cpSync(join(REPO, SEGMENTS, file), join(alone, file));
      mkdirSync(parquet, { recursive: true });
      const instance = await DuckDBInstance.create(converted, { access_mode: 'READ_ONLY' });
      const connection = await instance.connect();
      for (const table of ['profiles', 'events', 'metrics', 'lists', 'list_members'])
        await connection.run(`COPY ${table} TO '${join(parquet, `${table}.parquet`).replace(/'/g, "''")}' (FORMAT parquet)`);
      connection.closeSync();
      instance.closeSync();
    });
    const expected = () => memory.filter((m) => SOME.some((file) => m.file.endsWith(file))).map(comparable);

    it('a DuckDB file the conversion produced gives the same counts and IDs', () => {
      const duck = list(json(['evaluate', alone, '--ids', '--database', converted]).value);
      assert.deepEqual(
        duck.map(comparable).sort((a, b) => a.file.localeCompare(b.file)),
        expected().sort((a, b) => a.file.localeCompare(b.file)),
      );
    });

    it('the converted database holds the reference tables, stamped: an evaluator creates none; with another stamp, it creates them in memory', async () => {
      const stampOf = async (path: string, update?: string) => {
        const instance = await DuckDBInstance.create(path, update === undefined ? { access_mode: 'READ_ONLY' } : {});
        const connection = await instance.connect();
        if (update !== undefined) await connection.run(`UPDATE ${WORKSPACE_INFO_TABLE} SET reference_hash = '${update}'`);
        const tables = (await connection.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'sl_%' ORDER BY 1`)).getRows().flat();
        const stamp = (await connection.runAndReadAll(`SELECT reference_hash FROM ${WORKSPACE_INFO_TABLE}`)).getRows()[0][0];
        connection.closeSync();
        instance.closeSync();
        return { tables, stamp };
      };
      const stored = await stampOf(converted);
      assert.deepEqual(stored.tables, ['sl_country_keys', 'sl_phone_calling_codes', 'sl_phone_rules', 'sl_postal_centroids', 'sl_summary', 'sl_workspace']);
      assert.equal(stored.stamp, convertedReferenceSetup().hash);
      const evaluateWith = async (path: string) => {
        const layout = convertedLayout();
        const opened = await openDatabase(path, layout);
        const statements: string[] = [];
        const run = opened.session.run.bind(opened.session);
        opened.session.run = (sql: string) => {
          statements.push(sql);
          return run(sql);
        };
        try {
          const evaluator = await DuckDbEvaluator.open(opened.session, layout, { name: 'sample', root: REPO, now: opened.stored?.now ?? Date.now() });
          const definition = JSON.parse(readFileSync(join(REPO, SEGMENTS, 'boston-purchasers.json'), 'utf8')) as unknown;
          const result = await evaluator.evaluate(definition, { ids: true, limit: 0 });
          return {
            matched: result.matched,
            ids: result.ids,
            latestCreated: evaluator.catalog.latestCreated,
            references: statements.filter((sql) => /^(CREATE|DROP|INSERT)[^(]* "?sl_(postal|phone|country)/.test(sql)),
          };
        } finally {
          opened.session.close();
        }
      };
      const current = await evaluateWith(converted);
      assert.deepEqual(current.references, []);
      // The latest profile creation, read once from the converted database's column of instants.
      const created = readFileSync(join(REPO, 'sample-workspace', 'data', 'profiles.jsonl'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => Date.parse((JSON.parse(line) as { attributes: { created: string } }).attributes.created));
      assert.equal(current.latestCreated, Math.max(...created));
      const expectedBoston = memory.find((m) => m.file.endsWith('boston-purchasers.json'));
      assert.equal(current.matched, expectedBoston?.matched);
      // A database whose reference tables are of other data (another version's packages): created in memory, which comes first.
      const stale = join(tmp, 'stale.duckdb');
      cpSync(converted, stale);
      await stampOf(stale, 'other');
      const again = await evaluateWith(stale);
      assert.ok(
        again.references.some((sql) => sql.startsWith('CREATE TABLE "sl_postal_centroids"')),
        again.references.join('\n'),
      );
      assert.ok(!again.references.some((sql) => sql.startsWith('DROP')));
      assert.deepEqual({ matched: again.matched, ids: again.ids }, { matched: current.matched, ids: current.ids });
    });

    it('a folder of Parquet files gives the same counts and IDs (with --now, which Parquet does not carry)', () => {
      const now = memory[0].workspace.now;
      const duck = list(json(['evaluate', alone, '--ids', '--database', parquet, '--layout', 'workspace', '--now', now]).value);
      const strip = (r: ReturnType<typeof comparable>) => ({ ...r, workspace: { ...r.workspace, name: '' } });
      assert.deepEqual(
        duck
          .map(comparable)
          .map(strip)
          .sort((a, b) => a.file.localeCompare(b.file)),
        expected()
          .map(strip)
          .sort((a, b) => a.file.localeCompare(b.file)),
      );
    });
  });

  it('--engine auto: memory for the sample workspace, DuckDB with SEGMENT_LENS_DUCKDB_THRESHOLD_BYTES=0, and says which', () => {
    const file = join(SEGMENTS, 'eu-residents.json');
    const small = json(['evaluate', file]);
    assert.match(small.stderr, /Engine: memory for /);
    const big = json(['evaluate', file], { SEGMENT_LENS_DUCKDB_THRESHOLD_BYTES: '0' });
    assert.match(big.stderr, /Engine: duckdb for /);
    assert.deepEqual(comparable(big.value as Evaluated), comparable(small.value as Evaluated));
  });

  describe('where the native binding cannot be loaded', () => {
    // What a platform without @duckdb/node-api's binding sees (test/fixtures/cli/without-duckdb.cjs).
    const without = { NODE_OPTIONS: `--require ${join(REPO, 'test', 'fixtures', 'cli', 'without-duckdb.cjs')}` };
    const file = join(SEGMENTS, 'eu-residents.json');

    it('--engine duckdb: a one-line error that names the binding and the way out, exit 2, no stack trace', () => {
      const result = run(['evaluate', file, '--engine', 'duckdb'], without);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /native binding for \S+ .*could not be loaded.*use --engine memory/);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
      assert.equal(result.stdout, '');
    });

    it('--engine auto above the threshold: evaluates in memory instead, and says so', () => {
      const result = json(['evaluate', file], { ...without, SEGMENT_LENS_DUCKDB_THRESHOLD_BYTES: '0' });
      assert.match(result.stderr, /DuckDB is not available here .*evaluating in memory/);
      assert.deepEqual(comparable(result.value as Evaluated), comparable(list(json(['evaluate', file, '--engine', 'memory']).value)[0]));
    });
  });

  for (const [args, message] of [
    [['--engine', 'sqlite'], /--engine is auto, memory or duckdb/],
    [['--engine', 'duckdb', '--history', '7d'], /--history is not supported by the DuckDB engine/],
    [['--database', 'nowhere.duckdb', '--history', '7d'], /--history is not supported by the DuckDB engine/],
    [['--engine', 'memory', '--database', 'x.duckdb'], /--database is an option of the DuckDB engine/],
    [['--layout', 'fivetran'], /--layout needs --database/],
    [['--engine', 'duckdb', '--threads', '0'], /--threads must be/],
    [['--engine', 'duckdb', '--memory-limit', 'lots'], /--memory-limit must be/],
    [['--database', join('no', 'such.duckdb')], /no such file or folder/],
  ] as [string[], RegExp][]) {
    it(`usage error, exit 2: ${args.join(' ')}`, () => {
      const result = run(['evaluate', join(SEGMENTS, 'vip-customers.json'), ...args]);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, message);
    });
  }
});
