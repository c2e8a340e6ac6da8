import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CountsReport, WorkspaceStatus } from '../../server/src/protocol';
import { openAndCount, removeDir, SAMPLE } from './fixtures';
import { REPO, TestClient } from './lspClient';

/**
 * `segmentLens.engine: auto` never ends in an out-of-memory crash: when the evaluation worker's
 * load in memory runs out of JS heap, the workspace is loaded again with DuckDB and the user is
 * told why. The heap is made small with SEGMENT_LENS_WORKER_HEAP_MB, so the load in memory really
 * runs out (no simulated failure). The workspace is a generated one of 200,000 profiles: its load
 * in memory needs more than 72 MB of heap (7 December 2026; 80,000 profiles sometimes fitted in
 * 52 MB once the worker no longer read the zipcodes package at start), while the DuckDB engine's
 * needs less than 44 MB at any size (its tables live outside the JS heap; measured 6 December 2026).
 */
describe('language server over stdio: a workspace that does not fit in memory', function () {
  this.timeout(600_000);
  const SMALL_HEAP = { SEGMENT_LENS_WORKER_HEAP_MB: '52' };
  let workspace: string;
  let cache: string;
  const clients: TestClient[] = [];

  // Each server gets an engine cache of its own: a load from the cache another one wrote takes less memory.
  const start = async (engine: string, env: Record<string, string> = {}) => {
    const own = mkdtempSync(join(cache, 'server-'));
    const client = new TestClient({ rootUri: null as unknown as string, settings: { engine }, env: { SEGMENT_LENS_CACHE_DIR: own, ...env } });
    clients.push(client);
    await client.initialize();
    return client;
  };

  before(() => {
    workspace = mkdtempSync(join(tmpdir(), 'segment-lens-oom-'));
    execFileSync(
      process.execPath,
      [join(REPO, 'bin', 'segment-lens.js'), 'generate', '--profiles', '200000', '--events', '20000', '--seed', '7', '--out', workspace],
      {
        stdio: 'ignore',
      },
    );
    mkdirSync(join(workspace, 'segments'), { recursive: true });
    copyFileSync(join(SAMPLE, 'segments', 'vip-customers.json'), join(workspace, 'segments', 'vip-customers.json'));
    cache = mkdtempSync(join(tmpdir(), 'segment-lens-oom-cache-'));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    removeDir(workspace);
    removeDir(cache);
  });

  const counts = (client: TestClient, file: string) => openAndCount(client, workspace, file);

  it('auto: loads the workspace again with DuckDB, gives the same counts, and says why', async () => {
    const reference = await start('memory');
    const expected = await counts(reference, 'vip-customers.json');
    assert.equal(expected.report.state, 'ok', expected.report.message);

    const small = await start('auto', SMALL_HEAP);
    const got = await counts(small, 'vip-customers.json');
    assert.equal(got.report.state, 'ok', `${got.report.message}\n${small.stderr}`);
    assert.equal(got.report.matched, expected.report.matched);
    assert.equal(got.report.total, expected.report.total);
    assert.deepEqual(
      got.report.groups?.map((g) => g.matched),
      expected.report.groups?.map((g) => g.matched),
    );
    assert.equal(got.report.workspace?.engine?.engine, 'duckdb');
    assert.match(
      got.report.workspace?.engine?.reason ?? '',
      /^segmentLens\.engine is "auto" and the in-memory engine ran out of memory \(.*heap out of memory\); DuckDB memory limit 768MB to evaluate, \d+MB to convert$/,
    );
    assert.equal(expected.report.workspace?.engine?.engine, 'memory');

    const told = await small.shownMessage((m) => /ran out of memory/.test(m.message));
    assert.equal(told.type, 2, 'a warning');
    assert.match(told.message, /^Segment Lens: the in-memory engine ran out of memory \(.*\); evaluating it with DuckDB instead\.$/);
    const logged = await small.log((l) => l.message.startsWith('Engine: duckdb'));
    assert.match(logged.message, /ran out of memory/);

    // Reloaded (the data changed, or Reload Workspace Data): straight to DuckDB, not told again.
    await small.connection.sendRequest('segmentLens/reloadWorkspace', { uri: got.uri });
    await small.waitForLog((l) => l.message.startsWith('Engine: duckdb'), 2);
    const again = await small.connection.sendRequest<CountsReport>('segmentLens/counts', { uri: got.uri });
    assert.equal(again.matched, expected.report.matched);
    assert.equal(small.shown.filter((m) => /ran out of memory/.test(m.message)).length, 1);
  });

  it('memory: fails with a clear message that names the setting, and the server keeps answering', async () => {
    const small = await start('memory', SMALL_HEAP);
    const uri = small.uriOf(join(workspace, 'segments', 'vip-customers.json'));
    await small.open(uri, readFileSync(join(workspace, 'segments', 'vip-customers.json'), 'utf8'));
    const { params: status } = await small.notification<WorkspaceStatus>('segmentLens/workspaceStatus', (s) => s.state === 'error', 0, 300_000);
    assert.match(status.message ?? '', /^the in-memory engine ran out of memory \(.*\); set segmentLens\.engine to "auto" or "duckdb"/);
    const report = await small.connection.sendRequest<CountsReport>('segmentLens/counts', { uri });
    assert.notEqual(report.state, 'ok');
    assert.match(report.message ?? '', /ran out of memory/);
    // Validation does not need the workspace: the document still gets its diagnostics.
    const published = await small.diagnostics(uri);
    assert.ok(
      published.diagnostics.some((d) => /no marketing-consent condition/.test(String(d.message))),
      JSON.stringify(published.diagnostics),
    );
  });
});
