import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync, unlinkSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { summarizeWorkspace } from '../../server/src/engine/catalog';
import { Evaluator } from '../../server/src/engine/evaluator';
import type { Workspace } from '../../server/src/engine/workspace';
import { LOAD_THREAD_NICE, LoadThreads } from '../../server/src/workspace/loadThreads';
import { findWorkspaceRoot, loadWorkspace } from '../../server/src/workspace/loadWorkspace';

const TINY = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspaces', 'tiny');
const BUYERS = JSON.parse(readFileSync(join(TINY, 'segments', 'buyers.json'), 'utf8')) as unknown;

describe('workspace loader', () => {
  let dir: string;
  let cacheDir: string;
  const savedCacheDir = process.env.SEGMENT_LENS_CACHE_DIR;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'segment-lens-loader-'));
    cpSync(TINY, dir, { recursive: true });
    cacheDir = mkdtempSync(join(tmpdir(), 'segment-lens-cache-'));
    process.env.SEGMENT_LENS_CACHE_DIR = cacheDir;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
    if (savedCacheDir === undefined) delete process.env.SEGMENT_LENS_CACHE_DIR;
    else process.env.SEGMENT_LENS_CACHE_DIR = savedCacheDir;
  });

  it('finds the nearest klaviyo-workspace.json walking up', () => {
    assert.equal(findWorkspaceRoot(join(dir, 'segments', 'buyers.json')), dir);
    assert.equal(findWorkspaceRoot(join(dir, 'segments')), dir);
  });

  it('skips a broken line with a warning naming file and line, and loads the rest', async () => {
    const { workspace, warnings } = await loadWorkspace(dir);
    assert.equal(workspace.profileCount, 4);
    const broken = warnings.find((w) => w.code === 'broken-line');
    assert.ok(broken, JSON.stringify(warnings));
    assert.equal(broken.file, join(dir, 'data', 'profiles.jsonl'));
    assert.equal(broken.line, 3);
    assert.match(broken.message, /Line 3 is not valid JSON/);
  });

  it('counts and reports references that point nowhere', async () => {
    const { workspace, warnings } = await loadWorkspace(dir);
    assert.equal(workspace.issues.eventsOfUnknownProfiles, 1);
    assert.match(warnings.find((w) => w.code === 'dangling-references')?.message ?? '', /1 event\(s\) of profiles not in the workspace/);
  });

  it('reads .jsonl.gz files', async () => {
    const events = join(dir, 'data', 'events.jsonl');
    writeFileSync(`${events}.gz`, gzipSync(readFileSync(events)));
    unlinkSync(events);
    const { workspace } = await loadWorkspace(dir);
    assert.equal(workspace.eventCount, 4);
  });

  it('keeps what was read when a file breaks off mid-stream', async () => {
    const events = join(dir, 'data', 'events.jsonl');
    const whole = gzipSync(readFileSync(events));
    writeFileSync(`${events}.gz`, whole.subarray(0, Math.floor(whole.length * 0.6)));
    unlinkSync(events);
    const { workspace, warnings } = await loadWorkspace(dir);
    assert.ok(
      warnings.some((w) => w.code === 'unreadable-file' && /Reading stopped/.test(w.message)),
      JSON.stringify(warnings),
    );
    assert.ok(workspace.eventCount < 4);
    assert.equal(workspace.profileCount, 4);
  });

  it('treats missing data files as empty collections, with warnings', async () => {
    unlinkSync(join(dir, 'data', 'events.jsonl'));
    unlinkSync(join(dir, 'data', 'metrics.json'));
    const { workspace, warnings } = await loadWorkspace(dir);
    assert.equal(workspace.eventCount, 0);
    assert.deepEqual(
      warnings
        .filter((w) => w.code === 'missing-file')
        .map((w) => w.file)
        .sort(),
      [join(dir, 'data', 'events.jsonl'), join(dir, 'data', 'metrics.json')].sort(),
    );
  });

  it('reports a marker with a bad "now" and uses the wall clock', async () => {
    writeFileSync(join(dir, 'klaviyo-workspace.json'), '{"name": "x", "now": "soon"}');
    const before = Date.now();
    const { workspace, warnings } = await loadWorkspace(dir);
    assert.ok(warnings.some((w) => w.code === 'bad-marker'));
    assert.ok(workspace.now >= before);
  });

  it('loads from its on-disk cache with identical results, and ignores the cache once a file changes', async () => {
    const first = await loadWorkspace(dir, { cache: true });
    assert.equal(first.fromCache, false);
    const second = await loadWorkspace(dir, { cache: true });
    assert.equal(second.fromCache, true);
    assert.deepEqual(second.warnings, first.warnings);
    // The language features' summary is stored with it (computing it reads every column).
    assert.deepEqual(first.summary, summarizeWorkspace(first.workspace));
    assert.deepEqual(second.summary, first.summary);
    const a = new Evaluator(first.workspace).evaluateDefinition(BUYERS);
    const b = new Evaluator(second.workspace).evaluateDefinition(BUYERS);
    assert.equal(b.matched, a.matched);
    assert.deepEqual(b.set?.toArray(), a.set?.toArray());
    assert.deepEqual(second.workspace.profileIds.toArray(), first.workspace.profileIds.toArray());
    assert.deepEqual(
      b.groups.map((g) => g.conditions.map((c) => c.matched)),
      a.groups.map((g) => g.conditions.map((c) => c.matched)),
    );

    appendFileSync(
      join(dir, 'data', 'events.jsonl'),
      '{"type":"event","id":"E9","attributes":{"datetime":"2026-10-31T10:00:00+00:00"},"relationships":{"metric":{"data":{"type":"metric","id":"PLCORD"}},"profile":{"data":{"type":"profile","id":"P4"}}}}\n',
    );
    const third = await loadWorkspace(dir, { cache: true });
    assert.equal(third.fromCache, false);
    assert.equal(third.workspace.eventCount, 5);
    // The new entry replaced the stale one of the same workspace.
    const { readdirSync } = await import('node:fs');
    assert.equal(readdirSync(cacheDir).length, 1, readdirSync(cacheDir).join(', '));
    assert.equal((await loadWorkspace(dir, { cache: true })).fromCache, true);
  });

  it('writes big texts, lists and ID lists to the cache in pieces and reads back every character', async () => {
    // 6,000 profiles: texts of characters outside the BMP (two UTF-16 units each) far past the
    // million characters written at a time, one column shifted by one unit so that a piece would end
    // between the two halves of a character; lists and mixed values past 4,096 JSON values.
    const face = (n: number) => String.fromCodePoint(0x1f600 + (n % 64));
    const lines: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const even = face(i) + face(i >> 6) + face(i >> 12) + '😀'.repeat(100);
      const properties = { Even: even, Odd: i === 0 ? `a${even}` : even, Items: [`item ${i % 300}`, `item ${i % 7}`], Mixed: i % 2 ? i : `${i}` };
      lines.push(JSON.stringify({ type: 'profile', id: `Q${i}`, attributes: { properties } }));
    }
    appendFileSync(join(dir, 'data', 'profiles.jsonl'), `${lines.join('\n')}\n`);
    const fresh = await loadWorkspace(dir, { cache: true });
    const cached = await loadWorkspace(dir, { cache: true });
    assert.equal(cached.fromCache, true);
    assert.deepEqual(cached.workspace.profileIds.toArray(), fresh.workspace.profileIds.toArray());
    for (const key of ['properties.Even', 'properties.Odd', 'properties.Items', 'properties.Mixed']) {
      const rows = fresh.workspace.profileCount;
      const read = (workspace: Workspace) => Array.from({ length: rows }, (_, row) => workspace.profileColumns.get(key)?.get(row));
      const expected = read(fresh.workspace);
      assert.deepEqual(read(cached.workspace), expected, key);
      assert.equal(expected.filter((v) => v !== undefined).length, 6000, key);
    }
  });

  it('ignores a damaged cache file', async () => {
    await loadWorkspace(dir, { cache: true });
    const { readdirSync } = await import('node:fs');
    const [file] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, file), 'garbage');
    const again = await loadWorkspace(dir, { cache: true });
    assert.equal(again.fromCache, false);
    assert.equal(again.workspace.profileCount, 4);
  });

  it('ignores a cache file shorter than its header says (columns are read later, so the length is checked now)', async () => {
    await loadWorkspace(dir, { cache: true });
    const { readdirSync, truncateSync, statSync } = await import('node:fs');
    const [file] = readdirSync(cacheDir);
    truncateSync(join(cacheDir, file), statSync(join(cacheDir, file)).size - 1);
    const again = await loadWorkspace(dir, { cache: true });
    assert.equal(again.fromCache, false);
    assert.equal(again.workspace.profileCount, 4);
  });

  it('a workspace loaded from the cache still reads its columns after the cache file is replaced', async () => {
    const fresh = await loadWorkspace(dir, { cache: true });
    const cached = await loadWorkspace(dir, { cache: true });
    assert.equal(cached.fromCache, true);
    // A data change makes a new entry, which removes the one `cached` was read from (its columns are not read yet).
    appendFileSync(
      join(dir, 'data', 'events.jsonl'),
      '{"type":"event","id":"E9","attributes":{"datetime":"2026-10-31T10:00:00+00:00"},"relationships":{"metric":{"data":{"type":"metric","id":"PLCORD"}},"profile":{"data":{"type":"profile","id":"P4"}}}}\n',
    );
    assert.equal((await loadWorkspace(dir, { cache: true })).fromCache, false);
    const { readdirSync } = await import('node:fs');
    assert.equal(readdirSync(cacheDir).length, 1);
    const a = new Evaluator(fresh.workspace).evaluateDefinition(BUYERS);
    const b = new Evaluator(cached.workspace).evaluateDefinition(BUYERS);
    assert.equal(b.matched, a.matched);
    assert.deepEqual(
      b.groups.map((g) => g.conditions.map((c) => c.matched)),
      a.groups.map((g) => g.conditions.map((c) => c.matched)),
    );
    assert.deepEqual(summarizeWorkspace(cached.workspace), summarizeWorkspace(fresh.workspace));
  });
});

describe('workspace loader: profiles and events parsed on load threads', function () {
  this.timeout(60000);
  const SAMPLE = join(__dirname, '..', '..', '..', 'sample-workspace');

  /** Every event of every metric as plain values, in the workspace's order. */
  function eventsOf(workspace: Workspace): unknown[] {
    return workspace.events.map((events, metric) => ({
      metric: workspace.metrics[metric].id,
      offsets: Array.from(events.offsets),
      times: Array.from(events.times),
      properties: [...events.properties]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, column]) => [key, Array.from({ length: events.count }, (_, row) => column.get(row))]),
    }));
  }

  /** Every profile value as plain data, in the workspace's order. */
  function profilesOf(workspace: Workspace): unknown {
    return {
      ids: workspace.profileIds.toArray(),
      columns: [...workspace.profileColumns]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, column]) => [key, column.presentCount, Array.from({ length: workspace.profileCount }, (_, row) => column.get(row))]),
      members: workspace.memberships.map((m) => m.members.toArray()),
    };
  }

  it('loads the same profiles and events, in the same order, with one or two load threads as without, events handed over at once or in parts', async () => {
    const alone = await loadWorkspace(SAMPLE, { loadThreads: 0 });
    assert.ok(alone.workspace.eventCount > 10000);
    // Threads hand their events over at the end, or every 100 events (a part each block or so).
    for (const [threads, eventsPerMessage] of [
      [1, undefined],
      [2, undefined],
      [2, 100],
    ]) {
      const helped = await loadWorkspace(SAMPLE, { loadThreads: threads, eventsPerMessage });
      assert.ok(helped.threadBlocks.profiles > 0 && helped.threadBlocks.events > 0, JSON.stringify(helped.threadBlocks));
      assert.equal(helped.workspace.eventCount, alone.workspace.eventCount);
      assert.deepEqual(helped.workspace.issues, alone.workspace.issues);
      assert.deepEqual(helped.warnings, alone.warnings);
      assert.deepEqual(
        helped.workspace.metrics.map((m) => [m.id, m.declared]),
        alone.workspace.metrics.map((m) => [m.id, m.declared]),
      );
      assert.deepEqual(eventsOf(helped.workspace), eventsOf(alone.workspace));
      assert.deepEqual(profilesOf(helped.workspace), profilesOf(alone.workspace));
    }
  });

  it('runs its load threads at a lower priority than the rest of the process, on Linux (the editor stays responsive while loading)', async function () {
    if (process.platform !== 'linux' || getPriority() >= LOAD_THREAD_NICE) this.skip();
    /** The nice value of each of this process's threads (/proc/self/task/<tid>/stat, field 19). */
    const niceValues = () =>
      readdirSync('/proc/self/task').flatMap((task) => {
        try {
          const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
          return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
        } catch {
          return []; // the thread ended meanwhile
        }
      });
    const before = getPriority();
    const seen = new Set<number>();
    const original = LoadThreads.prototype.offer;
    LoadThreads.prototype.offer = function (this: LoadThreads, bytes: Buffer, firstLine: number, block: number): boolean {
      for (const nice of niceValues()) seen.add(nice);
      return original.call(this, bytes, firstLine, block);
    };
    try {
      const helped = await loadWorkspace(SAMPLE, { loadThreads: 2 });
      assert.ok(helped.threadBlocks.events > 2, JSON.stringify(helped.threadBlocks));
    } finally {
      LoadThreads.prototype.offer = original;
    }
    assert.ok(seen.has(LOAD_THREAD_NICE), `nice values seen while loading: ${[...seen].join(', ')}`);
    assert.equal(getPriority(), before, 'the loading thread keeps its priority');
  });

  it('reads everything again on one thread when a load thread fails', async () => {
    const alone = await loadWorkspace(SAMPLE, { loadThreads: 0 });
    const original = LoadThreads.prototype.offer;
    let sabotaged = false;
    // The first block handed to a thread comes with a message it cannot read: the thread throws.
    LoadThreads.prototype.offer = function (this: LoadThreads, bytes: Buffer, firstLine: number, block: number): boolean {
      if (!sabotaged) {
        sabotaged = true;
        (this as unknown as { threads: { worker: { postMessage(message: unknown): void } }[] }).threads[0].worker.postMessage({
          type: 'lines',
          bytes: null,
          firstLine,
          block,
        });
      }
      return original.call(this, bytes, firstLine, block);
    };
    try {
      const helped = await loadWorkspace(SAMPLE, { loadThreads: 1 });
      assert.ok(sabotaged);
      assert.deepEqual(helped.threadBlocks, { profiles: 0, events: 0 });
      assert.deepEqual(helped.warnings, alone.warnings);
      assert.deepEqual(profilesOf(helped.workspace), profilesOf(alone.workspace));
      assert.deepEqual(eventsOf(helped.workspace), eventsOf(alone.workspace));
    } finally {
      LoadThreads.prototype.offer = original;
    }
  });

  it('keeps the file order of profiles and lets a later record of a profile win across blocks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segment-lens-threads-'));
    try {
      cpSync(TINY, dir, { recursive: true });
      const path = join(dir, 'data', 'profiles.jsonl');
      const lines: string[] = [];
      const profile = (id: string, attributes: object) => JSON.stringify({ type: 'profile', id, attributes });
      // ~16 MB: many blocks. P1 comes back far later with other values (a later block); P7 repeats within a block.
      for (let i = 0; i < 60000; i++) {
        if (i === 5) lines.push('not json at all');
        else if (i === 30000) lines.push(profile('P30001', { email: 42, first_name: 'wrongly typed email' }));
        else if (i === 50000) lines.push(JSON.stringify({ type: 'event', id: 'P50001' }));
        else if (i === 40000) lines.push(profile('P1', { email: 'ada@new.example', properties: { Tier: 'gold' } }));
        else if (i === 41) lines.push(profile('P7', { email: 'seven@again.example' }));
        else
          lines.push(
            profile(i === 0 ? 'P1' : `P${i + 1}`, {
              email: `p${i}@example.com`,
              first_name: 'x'.repeat(200),
              location: { city: i % 3 ? 'Boston' : 'Paris' },
              properties: { n: i % 7 === 0 ? `${i}` : i },
            }),
          );
      }
      writeFileSync(path, lines.join('\n') + '\n');
      const alone = await loadWorkspace(dir, { loadThreads: 0 });
      assert.equal(alone.workspace.issues.duplicateProfiles, 2);
      assert.equal(alone.workspace.profileValue(0, 'attributes.email'), 'ada@new.example');
      assert.equal(alone.workspace.profileValue(0, 'properties.n'), undefined);
      assert.equal(alone.workspace.profileValue(0, 'properties.Tier'), 'gold');
      assert.deepEqual(
        alone.warnings.filter((w) => w.file === path).map((w) => [w.code, w.line]),
        [
          ['broken-line', 6],
          ['wrong-type', 30001],
          ['not-a-resource', 50001],
        ],
      );
      for (const threads of [1, 2]) {
        const helped = await loadWorkspace(dir, { loadThreads: threads });
        assert.ok(helped.threadBlocks.profiles > 0, JSON.stringify(helped.threadBlocks));
        assert.deepEqual(helped.workspace.issues, alone.workspace.issues);
        assert.deepEqual(helped.warnings, alone.warnings);
        assert.deepEqual(profilesOf(helped.workspace), profilesOf(alone.workspace));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports broken, foreign, wrongly typed and dropped lines read on helper threads with their own line numbers, in order, the first 20 of each kind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'segment-lens-threads-'));
    try {
      cpSync(TINY, dir, { recursive: true });
      const events = join(dir, 'data', 'events.jsonl');
      const [good, nobody] = ((all) => [all.slice(0, 4), all[4]])(
        readFileSync(events, 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== ''),
      );
      assert.match(nobody, /NOBODY/);
      const wronglyTyped = good[1].replace('"event_properties":{"$value":30}', '"event_properties":[30]');
      assert.notEqual(wronglyTyped, good[1]);
      // Thousands of lines so the file is cut into several blocks; bad lines at known places
      // (0-based here, 1-based in warnings): 33 events of an unknown profile, 30 of them in a row.
      const dropped = new Set([100, 22000, 29000, ...Array.from({ length: 30 }, (_, i) => 25000 + i)]);
      const lines: string[] = [];
      for (let i = 0; i < 30000; i++) {
        if (i === 7 || i === 29990) lines.push('{"broken": ');
        else if (i === 15000) lines.push('[1, 2]');
        else if (i === 15001) lines.push('{"type": "profile", "id": "P1"}');
        else if (i === 20000) lines.push(wronglyTyped);
        else if (dropped.has(i)) lines.push(nobody);
        else lines.push(good[i % good.length]);
      }
      writeFileSync(events, lines.join('\n') + '\n');
      const alone = await loadWorkspace(dir, { loadThreads: 0 });
      const skipped = alone.warnings.filter((w) => w.file === events).map((w) => [w.code, w.line]);
      assert.deepEqual(skipped, [
        ['broken-line', 8],
        ['dropped-event', 101],
        ['not-a-resource', 15001],
        ['not-a-resource', 15002],
        ['wrong-type', 20001],
        ['dropped-event', 22001],
        ...Array.from({ length: 18 }, (_, i) => ['dropped-event', 25001 + i]),
        ['broken-line', 29991],
        ['dropped-event', undefined],
      ]);
      assert.match(alone.warnings.find((w) => w.file === events && w.line === undefined)?.message ?? '', /^13 more event\(s\) dropped\.$/);
      for (const threads of [1, 2]) {
        const helped = await loadWorkspace(dir, { loadThreads: threads });
        assert.ok(helped.threadBlocks.events > 0, JSON.stringify(helped.threadBlocks));
        assert.deepEqual(helped.warnings, alone.warnings);
        assert.equal(helped.workspace.eventCount, alone.workspace.eventCount);
        assert.deepEqual(eventsOf(helped.workspace), eventsOf(alone.workspace));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
