import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDbEvaluator } from '../../server/src/duckdb/evaluate';
import type { DuckDbSession } from '../../server/src/duckdb/session';
import { DuckDbWorkspace } from '../../server/src/evaluation/duckdbWorkspace';
import { readWorkspaceConfig } from '../../server/src/workspace/loadWorkspace';
import { removeDir, SAMPLE } from '../protocol/fixtures';

/**
 * The preview panel's pages on the DuckDB engine (duckdb/preview.ts) and the SQL they cost: the
 * segment's own query runs once a page, not once to count it and again for the page. (The pages'
 * rows are compared with the in-memory engine's in test/protocol/engine.test.ts.)
 */
describe("the DuckDB engine: the preview's pages", function () {
  this.timeout(300_000);
  let cache: string;
  let saved: string | undefined;
  let workspace: DuckDbWorkspace;
  /** Every statement the workspace's session ran since the last `take`. */
  const statements: string[] = [];
  const take = () => statements.splice(0);
  const segment = (name: string): unknown => JSON.parse(readFileSync(join(SAMPLE, 'segments', name), 'utf8'));

  before(async () => {
    saved = process.env.SEGMENT_LENS_CACHE_DIR;
    cache = mkdtempSync(join(tmpdir(), 'segment-lens-preview-cache-'));
    process.env.SEGMENT_LENS_CACHE_DIR = cache;
    workspace = await DuckDbWorkspace.open(readWorkspaceConfig(SAMPLE), undefined, () => undefined);
    const session = (workspace as unknown as { session: DuckDbSession }).session;
    for (const method of ['run', 'rows', 'objects'] as const) {
      const original = session[method].bind(session) as (sql: string) => Promise<unknown>;
      (session as unknown as Record<string, (sql: string) => Promise<unknown>>)[method] = (sql: string) => {
        statements.push(sql);
        return original(sql);
      };
    }
  });
  after(() => {
    workspace?.close();
    if (saved === undefined) delete process.env.SEGMENT_LENS_CACHE_DIR;
    else process.env.SEGMENT_LENS_CACHE_DIR = saved;
    removeDir(cache);
  });

  /** How many of `sql` hold the segment's compiled query (its matching profiles). */
  const runsOfSegment = (definition: unknown, sql: string[]) => {
    const evaluator = (workspace as unknown as { evaluator: DuckDbEvaluator }).evaluator;
    const compiled = evaluator.compile(definition).sql;
    assert.ok(compiled);
    return sql.filter((statement) => statement.includes(compiled)).length;
  };

  it("runs the segment's query once a page, with the total its count gives", async () => {
    const definition = segment('engaged-90-days.json');
    const counted = await workspace.evaluate(definition);
    assert.ok((counted.matched ?? 0) > 60, `matched ${counted.matched}`);
    take();
    for (const request of [
      { offset: 0, limit: 25 },
      { offset: 10, limit: 25, sort: { column: 'lastEvent', descending: true } },
      { offset: 0, limit: 25, filter: 'gmail' },
    ]) {
      const page = await workspace.rows(definition, request);
      const ran = take();
      assert.ok(page.rows.length > 0, JSON.stringify(request));
      assert.equal(runsOfSegment(definition, ran), 1, `${JSON.stringify(request)}:\n${ran.join('\n---\n')}`);
      assert.ok(!ran.some((sql) => sql.includes('sl_flags')), 'no count of the groups and conditions');
      if (!request.filter) assert.equal(page.total, counted.matched);
      else assert.ok(page.total > 0 && page.total < (counted.matched ?? 0), `${page.total} of ${counted.matched}`);
    }
  });

  it('counts an empty page in the same query: past the last row, and where the filter leaves nothing', async () => {
    const definition = segment('engaged-90-days.json');
    const counted = await workspace.evaluate(definition);
    const filtered = await workspace.rows(definition, { offset: 0, limit: 1000, filter: 'gmail' });
    take();
    for (const [request, total] of [
      [{ offset: 100_000, limit: 10 }, counted.matched],
      [{ offset: 100_000, limit: 10, filter: 'gmail' }, filtered.total],
      [{ offset: 0, limit: 10, filter: 'no profile holds this text' }, 0],
    ] as const) {
      const page = await workspace.rows(definition, request);
      assert.deepEqual([page.rows.length, page.total], [0, total], JSON.stringify(request));
      assert.equal(runsOfSegment(definition, take()), 1, JSON.stringify(request));
    }
  });

  it('has no page for a definition that cannot be evaluated here (a metric the workspace lacks)', async () => {
    const definition = {
      condition_groups: [
        {
          conditions: [
            {
              type: 'profile-metric',
              metric_id: 'NO_SUCH_METRIC',
              measurement: 'count',
              measurement_filter: { type: 'numeric', operator: 'greater-than', value: 0 },
              timeframe_filter: { type: 'date', operator: 'alltime' },
            },
          ],
        },
      ],
    };
    assert.equal((await workspace.evaluate(definition)).matched, null);
    const page = await workspace.rows(definition, { offset: 0, limit: 10 });
    assert.deepEqual([page.total, page.rows], [0, []]);
  });
});
