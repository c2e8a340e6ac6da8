import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join } from 'node:path';
import { DUCKDB_FORMAT } from '../../server/src/duckdb/convert';
import { openWorkspaceDatabase } from '../../server/src/duckdb/engineChoice';
import { DuckDbSession } from '../../server/src/duckdb/session';
import { readWorkspaceConfig, workspaceFiles } from '../../server/src/workspace/loadWorkspace';
import { cacheKey } from '../../server/src/workspace/workspaceCache';
import { removeDir, TINY } from '../protocol/fixtures';

/**
 * Where DuckDB writes what does not fit under its memory limit. The language server runs with the
 * user's workspace folder as its working directory, and DuckDB's default for a database in memory
 * (the evaluation's session) is `./.tmp`: a query that spills would write into the user's folder.
 */
describe('the DuckDB engine: memory limits and spilling', function () {
  this.timeout(120_000);
  let cwd: string;
  let folder: string;
  before(() => {
    cwd = process.cwd();
    folder = mkdtempSync(join(tmpdir(), 'segment-lens-spill-cwd-'));
    process.chdir(folder);
  });
  after(() => {
    process.chdir(cwd);
    removeDir(folder);
  });

  it('spills into a private temporary folder, never the working directory, and removes it when closed', async () => {
    const session = await DuckDbSession.open(':memory:', { memoryLimit: '64MB', threads: 1 });
    const [[spillFolder]] = (await session.rows(`SELECT current_setting('temp_directory')`)) as [[string]];
    const seen = new Set<string>();
    let spilled = 0;
    const watch = setInterval(() => {
      for (const name of readdirSync('.')) seen.add(name);
      if (existsSync(spillFolder)) spilled = Math.max(spilled, readdirSync(spillFolder).length);
    }, 10);
    try {
      assert.ok(isAbsolute(spillFolder), `temp_directory ${spillFolder} is relative to the working directory`);
      assert.ok(realpathSync(spillFolder).startsWith(realpathSync(tmpdir())), `temp_directory ${spillFolder} is not under ${tmpdir()}`);
      // A sort of ~200 MB of text under a 64 MB limit: DuckDB must spill to finish it.
      const [[count]] = await session.rows('SELECT count(*) FROM (SELECT md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s FROM range(3000000) t(i) ORDER BY s)');
      assert.equal(count, 3000000n);
    } finally {
      clearInterval(watch);
      session.close();
    }
    assert.deepEqual([...seen], [], 'nothing is written into the working directory');
    assert.ok(spilled > 0, 'the sort spilled (else this test proves nothing)');
    assert.equal(existsSync(spillFolder), false, 'the spill folder is removed when the session closes');
  });

  it('removes the spill folders of sessions whose process ended without closing them, and no other', async () => {
    // A language server killed mid-query (the editor closed, a crash) never closes its session.
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    assert.ok(ended !== undefined && ended !== process.pid);
    const hourAgo = new Date(Date.now() - 2 * 3_600_000);
    const folders = {
      abandoned: join(tmpdir(), `segment-lens-duckdb-${ended}-aB3xYz`),
      recentOfEnded: join(tmpdir(), `segment-lens-duckdb-${ended}-Qw9Rt2`),
      running: join(tmpdir(), `segment-lens-duckdb-${process.ppid}-Zz0Aa1`),
      other: join(tmpdir(), 'segment-lens-duckdb-someone-else'),
    };
    for (const [which, dir] of Object.entries(folders)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'duckdb_temp_storage_DEFAULT-0.tmp'), 'spilled');
      if (which !== 'recentOfEnded') utimesSync(dir, hourAgo, hourAgo);
    }
    try {
      const session = await DuckDbSession.open(':memory:', { threads: 1 });
      const [[own]] = (await session.rows(`SELECT current_setting('temp_directory')`)) as [[string]];
      session.close();
      assert.match(basename(own), new RegExp(`^segment-lens-duckdb-${process.pid}-`), 'a session’s folder names its process');
      assert.equal(existsSync(folders.abandoned), false, 'the folder of a process that ended an hour ago is removed');
      // Another machine's process can share the temporary folder (a container): its number says
      // nothing here, so a folder in use within the hour stays.
      assert.equal(existsSync(folders.recentOfEnded), true, 'a folder changed within the hour stays');
      assert.equal(existsSync(folders.running), true, 'the folder of a running process stays');
      assert.equal(existsSync(folders.other), true, 'a folder not named by a session stays');
    } finally {
      for (const dir of Object.values(folders)) removeDir(dir);
    }
  });

  it('evaluates a converted workspace under its own limit, not the conversion’s', async () => {
    const saved = process.env.SEGMENT_LENS_CACHE_DIR;
    const cache = mkdtempSync(join(tmpdir(), 'segment-lens-limit-cache-'));
    process.env.SEGMENT_LENS_CACHE_DIR = cache;
    try {
      const config = readWorkspaceConfig(TINY);
      const { session, converted } = await openWorkspaceDatabase(config, Date.now(), { memoryLimit: '3GB', evaluateMemoryLimit: '100MB' });
      try {
        assert.equal(converted.converted, true);
        // Keyed by the data files and DuckDB's own format, not the in-memory engine cache's:
        // a release that changes only that one does not convert every workspace again.
        const key = cacheKey(config.root, workspaceFiles(config), `duckdb-d${DUCKDB_FORMAT}`);
        assert.equal(converted.path, join(cache, 'duckdb', `${key}-d${DUCKDB_FORMAT}.duckdb`));
        assert.notEqual(key, cacheKey(config.root, workspaceFiles(config)));
        assert.deepEqual(await session.rows(`SELECT current_setting('memory_limit')`), [['95.3 MiB']]);
      } finally {
        session.close();
      }
      // Without one, the conversion's limit applies to both (the CLI's --memory-limit).
      const again = await openWorkspaceDatabase(config, Date.now(), { memoryLimit: '3GB' });
      try {
        assert.equal(again.converted.converted, false);
        assert.deepEqual(await again.session.rows(`SELECT current_setting('memory_limit')`), [['2.7 GiB']]);
      } finally {
        again.session.close();
      }
    } finally {
      if (saved === undefined) delete process.env.SEGMENT_LENS_CACHE_DIR;
      else process.env.SEGMENT_LENS_CACHE_DIR = saved;
      removeDir(cache);
    }
  });
});
