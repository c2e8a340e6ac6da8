import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CodeLensRequest, InlayHintRequest, type CodeLens, type InlayHint } from 'vscode-languageserver-protocol/node';
import type {
  CompareResult,
  CountsReport,
  ExplainResult,
  ExportResult,
  HeadDiffResult,
  HistoryResult,
  OverlapReport,
  ProfilesParams,
  ProfilesResult,
} from '../../server/src/protocol';
import type { CoverageResult } from '../../server/src/coverage/types';
import { copyWorkspace, openAndCount, removeDir, SAMPLE } from './fixtures';
import { REPO, TestClient } from './lspClient';

/**
 * `segmentLens.engine` over the real protocol: the sample workspace evaluated by DuckDB (converted
 * into the engine cache, counted through the SQL compiler) against the same workspace in memory,
 * request by request as the editor sends them. DuckDB takes 0.2–4 s per segment here: long timeouts.
 */
describe('language server over stdio: segmentLens.engine (DuckDB in the editor)', function () {
  this.timeout(600_000);
  let workspace: string;
  let cache: string;
  let memory: TestClient;
  let duckdb: TestClient;
  const segments = () =>
    readdirSync(join(workspace, 'segments'))
      .filter((f) => f.endsWith('.json'))
      .sort();

  const start = async (engine: string, env: Record<string, string> = {}) => {
    const client = new TestClient({ rootUri: null as unknown as string, settings: { engine }, env: { SEGMENT_LENS_CACHE_DIR: cache, ...env } });
    await client.initialize();
    return client;
  };

  before(async () => {
    workspace = copyWorkspace(SAMPLE);
    // Profiles whose preview columns hold other values than texts (a number, an object, a list,
    // true, an empty text, null), and a segment of them: DuckDB's preview shows them as the memory
    // engine does (a documented text attribute of another type is missing; a custom property is
    // shown as JSON). Before 7 December 2026 DuckDB showed `12345` where memory showed nothing.
    const odd = [
      { email: 12345, first_name: { nick: 'Al' }, last_name: "O'Neil", location: { city: ['Paris'], region: true, country: '' }, phone_number: '' },
      { email: 'zz@odd.example', first_name: null, properties: { 'Favorite Genre': 7 } },
      { email: null, last_name: 'Zed', properties: { 'Favorite Genre': { a: [1, 'b'] } }, location: { city: 'Houston' } },
    ];
    appendFileSync(
      join(workspace, 'data', 'profiles.jsonl'),
      odd
        .map((attributes, i) =>
          JSON.stringify({ type: 'profile', id: `ZZ_ODD_${i}`, attributes: { ...attributes, properties: { Odd: 'yes', ...attributes.properties } } }),
        )
        .map((line) => `${line}\n`)
        .join(''),
    );
    const oddSegment = { type: 'profile-property', property: "properties['Odd']", filter: { type: 'string', operator: 'equals', value: 'yes' } };
    writeFileSync(join(workspace, 'segments', 'odd-values.json'), JSON.stringify({ condition_groups: [{ conditions: [oddSegment] }] }, null, 2));
    cache = mkdtempSync(join(tmpdir(), 'segment-lens-engine-cache-'));
    [memory, duckdb] = await Promise.all([start('memory'), start('duckdb')]);
  });
  after(async () => {
    await Promise.all([memory?.stop(), duckdb?.stop()]);
    removeDir(workspace);
    removeDir(cache);
  });

  const counts = (client: TestClient, file: string) => openAndCount(client, workspace, file);

  const lensTitles = async (client: TestClient, uri: string) =>
    ((await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[]).map((l) => l.command?.title);
  const hintLabels = async (client: TestClient, uri: string) =>
    (
      (await client.connection.sendRequest(InlayHintRequest.type, {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } },
      })) as InlayHint[]
    ).map((h) => [h.position.line, h.label]);

  it('says which engine evaluates the workspace, and why', async () => {
    const { uri } = await counts(duckdb, 'repeat-buyers.json');
    await duckdb.close(uri);
    const line = await duckdb.log((l) => l.message.startsWith('Engine: '));
    // DuckDB's own default (80% of RAM) let the conversion of a 1M-profile workspace reach 20 GB;
    // evaluating needs far less, and the language server keeps that database open.
    assert.match(line.message, /^Engine: duckdb for .* \(segmentLens\.engine is "duckdb"; DuckDB memory limit 768MB to evaluate, \d+MB to convert\)$/);
    assert.ok(
      readdirSync(join(cache, 'duckdb')).some((f) => f.endsWith('.duckdb')),
      'the workspace was converted into the engine cache',
    );
  });

  it('gives every sample segment the code lenses, inlay hints and counts of the in-memory engine', async () => {
    const files = segments();
    assert.ok(files.length >= 10, `${files.length} sample segments`);
    for (const file of files) {
      const [m, d] = await Promise.all([counts(memory, file), counts(duckdb, file)]);
      assert.equal(d.report.state, m.report.state, `${file}: ${d.report.message}`);
      assert.equal(m.report.state, 'ok', `${file}: ${m.report.message}`);
      const shape = (r: CountsReport) => ({
        total: r.total,
        matched: r.matched,
        notEvaluable: r.notEvaluable,
        groups: r.groups.map((g) => ({ matched: g.matched, afterAnd: g.afterAnd, conditions: g.conditions.map((c) => [c.matched, c.description]) })),
        description: r.description,
      });
      assert.deepEqual(shape(d.report), shape(m.report), file);
      assert.deepEqual(await lensTitles(duckdb, d.uri), await lensTitles(memory, m.uri), file);
      assert.deepEqual(await hintLabels(duckdb, d.uri), await hintLabels(memory, m.uri), file);
      await Promise.all([memory.close(m.uri), duckdb.close(d.uri)]);
    }
  });

  it("pages the preview's table as the in-memory engine does: sorted, filtered, as of another day", async () => {
    const file = 'engaged-90-days.json';
    const [m, d] = await Promise.all([counts(memory, file), counts(duckdb, file)]);
    assert.ok((m.report.matched ?? 0) > 60, `${file} matches ${m.report.matched}`);
    const pages: Omit<ProfilesParams, 'uri'>[] = [
      { offset: 0, limit: 50 },
      { offset: 40, limit: 30, sort: { column: 'email', descending: true } },
      { offset: 0, limit: 25, sort: { column: 'lastEvent' } },
      { offset: 0, limit: 25, sort: { column: 'name', descending: true } },
      { offset: 0, limit: 25, sort: { column: 'location' }, filter: 'GMAIL' },
      { offset: 0, limit: 50, asOf: '2026-09-15T23:59:59.999Z' },
      { offset: 10, limit: 15, sort: { column: 'lastEvent', descending: true }, filter: 'a' },
      { offset: 3, limit: 20, filter: 'Houston' },
      // Past the end, and a filter nothing contains: no rows, and the total all the same.
      { offset: 100_000, limit: 10 },
      { offset: 100_000, limit: 10, filter: 'gmail' },
      { offset: 100_000, limit: 10, asOf: '2026-09-15T23:59:59.999Z' },
      { offset: 0, limit: 10, filter: 'no profile holds this text' },
    ];
    for (const page of pages) {
      const [a, b] = await Promise.all([
        memory.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri: m.uri, ...page }),
        duckdb.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri: d.uri, ...page }),
      ]);
      assert.equal(a.state, 'ok', a.message);
      assert.equal(a.rows.length > 0, page.offset < 100_000 && page.filter !== 'no profile holds this text', JSON.stringify(page));
      if (page.offset === 100_000) assert.ok(a.total > 0, `${JSON.stringify(page)}: a total`);
      assert.deepEqual(b, a, JSON.stringify(page));
    }
    await Promise.all([memory.close(m.uri), duckdb.close(d.uri)]);
  });

  it('shows values that are not texts in the preview as the in-memory engine does', async () => {
    const [m, d] = await Promise.all([counts(memory, 'odd-values.json'), counts(duckdb, 'odd-values.json')]);
    assert.equal(m.report.matched, 3);
    for (const page of [
      { offset: 0, limit: 10 },
      { offset: 0, limit: 10, filter: 'paris' },
      { offset: 0, limit: 10, sort: { column: 'name', descending: true } },
    ]) {
      const [a, b] = await Promise.all([
        memory.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri: m.uri, ...page }),
        duckdb.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri: d.uri, ...page }),
      ]);
      assert.equal(a.state, 'ok', a.message);
      assert.deepEqual(b, a, JSON.stringify(page));
    }
    const all = await duckdb.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri: d.uri, offset: 0, limit: 10 });
    assert.deepEqual(
      all.rows.map((r) => [r.email, r.name, r.location, r.phone, r.properties['Favorite Genre']]),
      [
        [null, "O'Neil", null, null, undefined],
        ['zz@odd.example', null, null, null, '7'],
        [null, 'Zed', 'Houston', null, '{"a":[1,"b"]}'],
      ],
    );
    await Promise.all([memory.close(m.uri), duckdb.close(d.uri)]);
  });

  /** A segment whose first group's condition reads a metric the data does not have (not evaluable), outside `segments/`. */
  const unknownMetric = () => {
    mkdirSync(join(workspace, 'drafts'), { recursive: true });
    const metric = {
      type: 'profile-metric',
      metric_id: 'NoSuch',
      measurement: 'count',
      measurement_filter: { type: 'numeric', operator: 'greater-than-or-equal', value: 1 },
      timeframe_filter: { type: 'date', operator: 'alltime' },
    };
    const member = { type: 'profile-property', property: "properties['Odd']", filter: { type: 'string', operator: 'equals', value: 'yes' } };
    writeFileSync(
      join(workspace, 'drafts', 'unknown-metric.json'),
      JSON.stringify({ condition_groups: [{ conditions: [metric] }, { conditions: [member] }] }, null, 2),
    );
    return '../drafts/unknown-metric.json';
  };

  it('explains why a profile matched or not ("why it matched") as the in-memory engine does, as of another day too', async () => {
    // Every sample segment, for matched and unmatched profiles, one that does not exist, and as of
    // a day before some profiles existed (their conditions do not match, as in memory); and a
    // segment with a condition that is not evaluable.
    const asOf = '2026-09-15T23:59:59.999Z';
    let explained = 0;
    for (const file of [...segments(), unknownMetric()]) {
      const [m, d] = await Promise.all([counts(memory, file), counts(duckdb, file)]);
      assert.equal(m.report.state, 'ok', `${file}: ${m.report.message}`);
      const matched = await memory.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri: m.uri, offset: 0, limit: 2 });
      const ids = [...matched.rows.map((r) => r.id), 'ZZ_ODD_0', 'no-such-profile'];
      for (const profileId of ids)
        for (const when of [undefined, asOf]) {
          const params = { profileId, ...(when ? { asOf: when } : {}) };
          const [a, b] = await Promise.all([
            memory.connection.sendRequest<ExplainResult>('segmentLens/explain', { uri: m.uri, ...params }),
            duckdb.connection.sendRequest<ExplainResult>('segmentLens/explain', { uri: d.uri, ...params }),
          ]);
          assert.equal(b.message, undefined, `${file} ${profileId}: ${b.message}`);
          assert.deepEqual(b, a, `${file} ${JSON.stringify(params)}`);
          if (a.profile) explained++;
        }
      await Promise.all([memory.close(m.uri), duckdb.close(d.uri)]);
    }
    assert.ok(explained >= 40, `${explained} explanations of a profile`);
  });

  it('compares two segments (Compare Two Segments) as the in-memory engine does', async () => {
    const files = segments();
    const pairs = files.map((file, i) => [file, files[(i + 3) % files.length]]).concat([['vip-customers.json', 'vip-customers.json']]);
    const notEvaluable = unknownMetric();
    pairs.push([notEvaluable, 'vip-customers.json'], ['odd-values.json', notEvaluable]);
    for (const [first, second] of pairs) {
      const [ma, mb, da, db] = await Promise.all([counts(memory, first), counts(memory, second), counts(duckdb, first), counts(duckdb, second)]);
      const [expected, actual] = await Promise.all([
        memory.connection.sendRequest<CompareResult>('segmentLens/compare', { uriA: ma.uri, uriB: mb.uri }),
        duckdb.connection.sendRequest<CompareResult>('segmentLens/compare', { uriA: da.uri, uriB: db.uri }),
      ]);
      assert.equal(expected.message === undefined, first !== notEvaluable && second !== notEvaluable, `${first} / ${second}: ${expected.message}`);
      assert.deepEqual(actual, expected, `${first} / ${second}`);
      await Promise.all([memory.close(ma.uri), memory.close(mb.uri), duckdb.close(da.uri), duckdb.close(db.uri)]);
    }
  });

  /** A reply without what differs between the engines by design: the time taken and the engine named. */
  const sameAcrossEngines = <T extends object>(reply: T) => {
    const { elapsedMs: _elapsed, workspace: _workspace, ...rest } = reply as T & { elapsedMs?: number; workspace?: unknown };
    return rest;
  };

  it("compares the segments of a folder (Compare Segments in Folder) and lists a cell's profiles as the in-memory engine does", async () => {
    const folder = join(workspace, 'segments');
    const [m, d] = await Promise.all(
      [memory, duckdb].map((client) => client.connection.sendRequest<OverlapReport>('segmentLens/overlap', { folder: client.uriOf(folder) })),
    );
    assert.equal(m.state, 'ok', m.message);
    assert.ok(m.segments.length >= 10 && m.cells.length >= 10, `${m.segments.length} segments, ${m.cells.length} cells`);
    assert.deepEqual(sameAcrossEngines(d), sameAcrossEngines(m));
    // The largest cells (in these segments and no other), and a matrix cell (two segments, whatever else), a page each.
    const uris = (report: OverlapReport, members: number[]) => members.map((i) => report.segments[i].uri);
    const others = (members: number[]) => m.segments.map((_, i) => i).filter((i) => !members.includes(i));
    const pages = [
      ...m.cells.slice(0, 4).map((cell) => ({ inside: cell.members, outside: others(cell.members), offset: 0, limit: 20, sort: { column: 'email' } })),
      { inside: [0, 1], outside: [], offset: 5, limit: 10 },
      { inside: [2], outside: [3, 4], offset: 0, limit: 10, filter: 'gmail' },
    ];
    for (const page of pages) {
      const [a, b] = await Promise.all(
        [
          [memory, m],
          [duckdb, d],
        ].map(([client, report]) =>
          (client as TestClient).connection.sendRequest<ProfilesResult>('segmentLens/overlapProfiles', {
            ...page,
            folder: (client as TestClient).uriOf(folder),
            inside: uris(report as OverlapReport, page.inside),
            outside: uris(report as OverlapReport, page.outside),
          }),
        ),
      );
      assert.equal(a.state, 'ok', a.message);
      assert.ok(a.rows.length > 0, JSON.stringify(page));
      assert.deepEqual(b, a, JSON.stringify(page));
    }
  });

  it('counts and lists who a change since git HEAD adds and removes as the in-memory engine does', async () => {
    const git = (...args: string[]) => execFileSync('git', ['-C', workspace, ...args], { stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=Segment Lens', '-c', 'user.email=tests@segment-lens.invalid', 'commit', '-q', '-m', 'segments');
    // engaged-90-days narrowed to 30 days and widened to anyone with an email at gmail: some leave, some enter.
    const file = 'engaged-90-days.json';
    const text = readFileSync(join(workspace, 'segments', file), 'utf8');
    const gmail = { type: 'profile-property', property: 'email', filter: { type: 'string', operator: 'ends-with', value: '@gmail.com' } };
    const changed = JSON.parse(text.replace(/"quantity": 90/g, '"quantity": 30')) as { condition_groups: { conditions: unknown[] }[] };
    changed.condition_groups[0].conditions.push(gmail);
    const results = await Promise.all(
      [memory, duckdb].map(async (client) => {
        const { uri } = await counts(client, file);
        await client.change(uri, JSON.stringify(changed, null, 2));
        const diff = await client.connection.sendRequest<HeadDiffResult>('segmentLens/headDiff', { uri });
        const side = (which: 'added' | 'removed') =>
          client.connection.sendRequest<ProfilesResult>('segmentLens/headDiffProfiles', { uri, side: which, offset: 0, limit: 50, sort: { column: 'email' } });
        const lists = { added: await side('added'), removed: await side('removed') };
        await client.close(uri);
        return { diff, lists };
      }),
    );
    const [m, d] = results;
    assert.equal(m.diff.state, 'changed', m.diff.message);
    assert.ok((m.diff.added ?? 0) > 0 && (m.diff.removed ?? 0) > 0, `+${m.diff.added} / -${m.diff.removed}`);
    assert.deepEqual(sameAcrossEngines(d.diff), sameAcrossEngines(m.diff));
    assert.deepEqual(d.lists, m.lists);
  });

  it('charts the size over time as the in-memory engine does, day by day', async () => {
    for (const [file, days] of [
      ['engaged-30-days.json', 90],
      ['columbus-group.json', 30],
      ['lapsed-customers.json', 30],
      ['newsletter-subscribers-can-receive-email.json', 30],
      [unknownMetric(), 5],
    ] as const) {
      const [m, d] = await Promise.all([counts(memory, file), counts(duckdb, file)]);
      const [a, b] = await Promise.all([
        memory.connection.sendRequest<HistoryResult>('segmentLens/history', { uri: m.uri, days }),
        duckdb.connection.sendRequest<HistoryResult>('segmentLens/history', { uri: d.uri, days }),
      ]);
      assert.equal(a.state, 'ok', a.message);
      assert.equal(a.points.length, days);
      if (file === 'engaged-30-days.json') assert.ok(new Set(a.points.map((p) => p.matched)).size > 10, 'a 30-day window moves over 90 days');
      if (days === 5) assert.ok(a.points.every((p) => p.matched === null) && a.notEvaluable.length === 1, 'not evaluable on any day');
      assert.deepEqual(sameAcrossEngines(b), sameAcrossEngines(a), file);
      await Promise.all([memory.close(m.uri), duckdb.close(d.uri)]);
    }
  });

  it('exports and copies the matched profiles (CSV, IDs, emails) as the in-memory engine does', async () => {
    const out = mkdtempSync(join(tmpdir(), 'segment-lens-engine-export-'));
    try {
      for (const file of ['engaged-90-days.json', 'odd-values.json', 'vip-customers.json']) {
        const [m, d] = await Promise.all([counts(memory, file), counts(duckdb, file)]);
        for (const format of ['csv', 'ids', 'emails'] as const) {
          const [a, b] = await Promise.all([
            memory.connection.sendRequest<ExportResult>('segmentLens/exportProfiles', { uri: m.uri, path: '', format }),
            duckdb.connection.sendRequest<ExportResult>('segmentLens/exportProfiles', { uri: d.uri, path: '', format }),
          ]);
          assert.equal(a.written, m.report.matched, `${file} ${format}`);
          assert.ok((a.text ?? '').length > 0, `${file} ${format}`);
          assert.deepEqual(b, a, `${file} ${format}`);
        }
        // Saved to a file: the same text.
        const path = join(out, `${file}.csv`);
        const saved = await duckdb.connection.sendRequest<ExportResult>('segmentLens/exportProfiles', { uri: d.uri, path, format: 'csv' });
        const copied = await memory.connection.sendRequest<ExportResult>('segmentLens/exportProfiles', { uri: m.uri, path: '', format: 'csv' });
        assert.deepEqual(saved, { written: m.report.matched });
        assert.equal(readFileSync(path, 'utf8'), copied.text);
        await Promise.all([memory.close(m.uri), duckdb.close(d.uri)]);
      }
    } finally {
      removeDir(out);
    }
  });

  it('reports the days done of a series, and an edit cancels it between two days', async () => {
    const { uri } = await counts(duckdb, 'engaged-30-days.json');
    const pending = duckdb.connection.sendRequest<HistoryResult>('segmentLens/history', { uri, days: 400 });
    await duckdb.progressWhere((value) => /of 400 days/.test(String((value as { message?: string }).message)));
    await duckdb.change(uri, `${readFileSync(join(workspace, 'segments', 'engaged-30-days.json'), 'utf8')}\n`);
    const result = await pending;
    assert.equal(result.state, 'cancelled', JSON.stringify({ state: result.state, points: result.points.length }));
    const again = await duckdb.connection.sendRequest<HistoryResult>('segmentLens/history', { uri, days: 3 });
    assert.equal(again.state, 'ok', again.message);
    assert.equal(again.points.length, 3);
    await duckdb.close(uri);
  });

  it('answers what DuckDB does not do yet with a message naming the engine and the setting', async () => {
    const { uri, report } = await counts(duckdb, 'vip-customers.json');
    assert.equal(report.state, 'ok', report.message);
    const coverage = await duckdb.connection.sendRequest<CoverageResult>('segmentLens/coverage', { uri });
    assert.equal(coverage.state, 'failed');
    assert.match(
      coverage.state === 'failed' ? coverage.message : '',
      /^Review Segment Coverage is not available with the DuckDB engine yet: set segmentLens\.engine to "memory"/,
    );
    await duckdb.close(uri);
  });

  it('evaluates in memory where DuckDB cannot be loaded, and tells the user once', async () => {
    // What a platform without @duckdb/node-api's binding sees (as in test/cli/duckdb.test.ts).
    const without = await start('duckdb', { NODE_OPTIONS: `--require ${join(REPO, 'test', 'fixtures', 'cli', 'without-duckdb.cjs')}` });
    try {
      const first = await counts(without, 'repeat-buyers.json');
      const expected = await counts(memory, 'repeat-buyers.json');
      assert.equal(first.report.state, 'ok', first.report.message);
      assert.equal(first.report.matched, expected.report.matched);
      const told = await without.shownMessage((m) => /DuckDB is not available here/.test(m.message));
      assert.equal(told.type, 2);
      assert.match(told.message, /evaluating in memory/);
      // "Why it matched" works: the workspace is in memory.
      const page = await without.connection.sendRequest<ProfilesResult>('segmentLens/profiles', { uri: first.uri, offset: 0, limit: 1 });
      const why = await without.connection.sendRequest<ExplainResult>('segmentLens/explain', { uri: first.uri, profileId: page.rows[0].id });
      assert.equal(why.matched, true);
      await memory.close(expected.uri);
      // Loaded again (Reload Workspace Data): logged again, not shown again.
      await without.connection.sendRequest('segmentLens/reloadWorkspace', { uri: first.uri });
      await without.waitForLog((l) => l.message.startsWith('Engine: memory'), 2);
      assert.equal(without.shown.filter((m) => /DuckDB is not available/.test(m.message)).length, 1);
    } finally {
      await without.stop();
    }
  });
});
