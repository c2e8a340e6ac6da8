/**
 * segmentLens/sql over stdio ("Copy Segment as SQL", "Open Segment as SQL"): the text is the one
 * `segment-lens sql` prints for the same file, dialect, layout and form; the open document's
 * text wins over the file on disk; bad documents and parameters are error responses, after
 * which the server keeps answering.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, LSPErrorCodes, ResponseError } from 'vscode-languageserver-protocol/node';
import { runCli } from '../cli/cli';
import { TestClient } from './lspClient';
import { copyWorkspace, removeDir, SAMPLE } from './fixtures';
import { Methods, SQL_DIALECTS, type SqlParams, type SqlResult } from '../../server/src/protocol';

describe('language server over stdio: segmentLens/sql', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  const segment = (name: string) => join(root, 'segments', name);

  before(async () => {
    root = copyWorkspace(SAMPLE);
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    removeDir(root);
  });

  const sql = (params: SqlParams) => client.connection.sendRequest<SqlResult>(Methods.sql, params);
  /** What the CLI prints (without the last line break, which io.out adds). */
  const cli = (file: string, args: string[]) => {
    const run = runCli(['sql', file, ...args]);
    return { ...run, text: run.stdout.replace(/\n$/, '') };
  };
  const failure = async (params: SqlParams): Promise<ResponseError<unknown>> => {
    const error = await sql(params).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ResponseError, `an error response, not ${String(error)}`);
    return error;
  };

  for (const dialect of SQL_DIALECTS) {
    it(`${dialect}: the text of \`segment-lens sql --dialect ${dialect}\`, with its approximations and preconditions`, async () => {
      const file = segment('boston-purchasers.json');
      const uri = client.uriOf(file);
      await client.open(uri, readFileSync(file, 'utf8'));
      const result = await sql({ uri, dialect });
      const printed = cli(file, ['--dialect', dialect]);
      assert.equal(printed.code, 0, printed.stderr);
      assert.equal(result.sql, printed.text);
      assert.equal(result.dialect, dialect);
      assert.equal(result.layout, 'workspace');
      assert.equal(result.form, 'select');
      assert.equal(result.now, '2026-11-01T12:00:00.000Z');
      const json = JSON.parse(cli(file, ['--dialect', dialect, '--json']).stdout) as {
        approximations: { pointer: string; rule: string }[];
        preconditions: unknown[];
      };
      assert.deepEqual(
        result.approximations,
        json.approximations.map(({ pointer, rule }) => ({ pointer, rule })),
      );
      assert.equal(result.preconditions.length, json.preconditions.length);
      assert.deepEqual(result.notEvaluable, []);
    });
  }

  it('a layout and the count form: the text of --layout fivetran --count', async () => {
    const file = segment('eu-residents.json');
    const uri = client.uriOf(file);
    await client.open(uri, readFileSync(file, 'utf8'));
    const result = await sql({ uri, dialect: 'snowflake', layout: 'fivetran', form: 'count' });
    const printed = cli(file, ['--dialect', 'snowflake', '--layout', 'fivetran', '--count']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(result.sql, printed.text);
    assert.match(result.sql, /over the fivetran layout/);
    assert.match(result.sql, /SELECT COUNT\(\*\)/);
    assert.equal(result.layout, 'fivetran');
    assert.equal(result.form, 'count');
    assert.ok(result.approximations.length > 0, 'eu-residents compares case-insensitively');
  });

  it("answers from the open document's current text, not the file on disk", async () => {
    const file = segment('hotmail-addresses.json');
    const uri = client.uriOf(file);
    await client.open(uri, readFileSync(file, 'utf8'));
    const edited = readFileSync(segment('vip-customers.json'), 'utf8');
    await client.change(uri, edited);
    const result = await sql({ uri, dialect: 'duckdb' });
    const copy = segment('edited-copy.json');
    writeFileSync(copy, edited);
    assert.equal(result.sql, cli(copy, ['--dialect', 'duckdb']).text);
    assert.notEqual(result.sql, cli(file, ['--dialect', 'duckdb']).text);
  });

  it('an invalid document, an unknown dialect or layout: error responses with a message; the server keeps answering', async () => {
    const file = segment('broken.json');
    const uri = client.uriOf(file);
    await client.open(uri, '{"condition_groups": [{"conditions": [{"type": "profile-propery"}]}]}');
    const invalid = await failure({ uri, dialect: 'duckdb' });
    assert.equal(invalid.code, LSPErrorCodes.RequestFailed);
    assert.match(invalid.message, /^The segment has errors, so it has no SQL: /);

    await client.change(uri, '{"data": 1}');
    assert.match((await failure({ uri, dialect: 'duckdb' })).message, /error|no segment definition/);

    const good = client.uriOf(segment('vip-customers.json'));
    await client.open(good, readFileSync(segment('vip-customers.json'), 'utf8'));
    const dialect = await failure({ uri: good, dialect: 'oracle' as SqlParams['dialect'] });
    assert.equal(dialect.code, ErrorCodes.InvalidParams);
    assert.equal(dialect.message, 'The SQL dialect is duckdb, postgres, bigquery, snowflake, not "oracle".');
    const layout = await failure({ uri: good, dialect: 'duckdb', layout: 'mine' as SqlParams['layout'] });
    assert.equal(layout.code, ErrorCodes.InvalidParams);
    assert.match(layout.message, /workspace or fivetran/);
    const missing = await failure({ uri: client.uriOf(segment('no-such-file.json')), dialect: 'duckdb' });
    assert.match(missing.message, /^The segment cannot be read: /);

    const result = await sql({ uri: good, dialect: 'postgres' });
    assert.equal(result.sql, cli(segment('vip-customers.json'), ['--dialect', 'postgres']).text);
  });
});
