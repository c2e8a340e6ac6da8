import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeWorkspace, type PropertySummary, type WorkspaceSummary } from '../../server/src/engine/catalog';
import { convertedWorkspace } from '../../server/src/duckdb/convert';
import { openWorkspaceDatabase } from '../../server/src/duckdb/engineChoice';
import { DuckDbSession } from '../../server/src/duckdb/session';
import { duckDbWorkspaceSummary, MAX_EXTRACTED_KEYS, SUMMARY_TABLE } from '../../server/src/duckdb/summary';
import { loadWorkspace, readWorkspaceConfig } from '../../server/src/workspace/loadWorkspace';
import { removeDir, SAMPLE, TINY } from '../protocol/fixtures';

/**
 * The summary completion, hover and ID checks read (engine/catalog.ts), built from a converted
 * workspace (duckdb/summary.ts) for segmentLens.engine = duckdb, against the in-memory engine's.
 * Equal up to the order of ties: properties present equally often, values equally common.
 */
describe('the DuckDB engine: the workspace summary of the editor', function () {
  this.timeout(300_000);
  let cache: string;
  let saved: string | undefined;
  before(() => {
    saved = process.env.SEGMENT_LENS_CACHE_DIR;
    cache = mkdtempSync(join(tmpdir(), 'segment-lens-summary-cache-'));
    process.env.SEGMENT_LENS_CACHE_DIR = cache;
  });
  after(() => {
    if (saved === undefined) delete process.env.SEGMENT_LENS_CACHE_DIR;
    else process.env.SEGMENT_LENS_CACHE_DIR = saved;
    removeDir(cache);
  });

  /** A property without the order of its ties: the values above the last count, and the counts. */
  const property = (p: PropertySummary) => {
    const last = p.topValues[p.topValues.length - 1]?.count ?? 0;
    return {
      name: p.name,
      present: p.present,
      types: p.types,
      mainType: p.mainType,
      counts: p.topValues.map((v) => v.count),
      above: p.topValues
        .filter((v) => v.count > last)
        .map((v) => JSON.stringify(v.value))
        .sort(),
    };
  };
  const byName = (properties: PropertySummary[]) => properties.map(property).sort((a, b) => (a.name < b.name ? -1 : 1));
  const comparable = (s: WorkspaceSummary) => ({
    ...s,
    metrics: s.metrics.map((m) => ({ ...m, properties: byName(m.properties) })),
    profileProperties: byName(s.profileProperties),
  });

  it('equals the in-memory summary of the sample workspace', async () => {
    const config = readWorkspaceConfig(SAMPLE);
    const memory = summarizeWorkspace((await loadWorkspace(SAMPLE, { cache: false })).workspace);
    const { session } = await openWorkspaceDatabase(config, config.now ?? Date.now());
    try {
      const duck = await duckDbWorkspaceSummary(session, config, config.now ?? Date.now());
      assert.ok(duck.metrics.length > 3 && duck.lists.length > 1 && duck.profileProperties.length > 10);
      assert.deepEqual(comparable(duck), comparable(memory));
      // Most common first, as completion lists them.
      assert.deepEqual(
        duck.profileProperties.map((p) => p.present),
        memory.profileProperties.map((p) => p.present),
      );
    } finally {
      session.close();
    }
  });

  it('equals the in-memory summary where custom properties have more names than one extraction lists (json_each then)', async () => {
    // Tiny's profiles with one more, each with its own property names: more distinct names than
    // MAX_EXTRACTED_KEYS in `properties`, of every JSON type, some shared.
    const root = join(cache, 'many-keys');
    cpSync(TINY, root, { recursive: true });
    const names = MAX_EXTRACTED_KEYS + 40;
    const lines = Array.from({ length: 12 }, (_, p) => {
      const properties: Record<string, unknown> = { Shared: p % 3 === 0 ? 'yes' : p };
      for (let k = p; k < names; k += 12) properties[`Answer ${k}`] = k % 4 === 0 ? k : k % 4 === 1 ? `text ${k % 7}` : k % 4 === 2 ? [k] : k % 2 === 1;
      return JSON.stringify({ type: 'profile', id: `M${p}`, attributes: { email: `m${p}@example.com`, created: '2026-01-02T03:04:05Z', properties } });
    });
    writeFileSync(join(root, 'data', 'profiles.jsonl'), `${lines.join('\n')}\n`);
    const config = readWorkspaceConfig(root);
    const memory = summarizeWorkspace((await loadWorkspace(root, { cache: false })).workspace);
    const { session } = await openWorkspaceDatabase(config, config.now ?? Date.now());
    try {
      const duck = await duckDbWorkspaceSummary(session, config, config.now ?? Date.now());
      assert.ok(duck.profileProperties.filter((p) => p.name.includes('Answer')).length === names);
      assert.deepEqual(comparable(duck), comparable(memory));
    } finally {
      session.close();
    }
  });

  it('is counted by the conversion and stored in the database; a database without it is counted when opened, to the same summary', async () => {
    const config = readWorkspaceConfig(SAMPLE);
    const now = config.now ?? Date.now();
    const converted = await convertedWorkspace(config);
    const copy = join(cache, 'without-summary.duckdb');
    copyFileSync(converted.path, copy);
    const stored = await DuckDbSession.open(converted.path);
    const bare = await DuckDbSession.open(copy);
    try {
      assert.deepEqual(await stored.rows(`SELECT COUNT(*) FROM ${SUMMARY_TABLE}`), [[1n]]);
      await bare.run(`DROP TABLE ${SUMMARY_TABLE}`);
      const fromStored = await duckDbWorkspaceSummary(stored, config, now);
      const counted = await duckDbWorkspaceSummary(bare, config, now);
      assert.ok(fromStored.metrics.some((m) => m.properties.length > 0));
      assert.deepEqual(fromStored, counted);
      // The stored facts are what is read: changing them changes the summary.
      await stored.run(`UPDATE ${SUMMARY_TABLE} SET facts = json_merge_patch(facts, '{"profiles": 12345}')`);
      assert.equal((await duckDbWorkspaceSummary(stored, config, now)).profileCount, 12345);
    } finally {
      stored.close();
      bare.close();
    }
  });
});
