/**
 * Hostile and unusual workspace input (issue 16): the loader reads data the way it was written.
 * Each block below reproduces a defect found by running the product, on a copy of the tiny
 * fixture workspace in a temporary folder.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Workspace } from '../../server/src/engine/workspace';
import { parseSegment } from '../../server/src/segment/parse';
import { printablePath } from '../../server/src/cli/paths';
import { loadWorkspace, type LoadWarning } from '../../server/src/workspace/loadWorkspace';

const TINY = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspaces', 'tiny');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Every profile, event, metric, list and membership of a workspace as plain data. */
function contentsOf(workspace: Workspace): unknown {
  return {
    now: workspace.now,
    ids: workspace.profileIds,
    columns: [...workspace.profileColumns]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, column]) => [key, Array.from({ length: workspace.profileCount }, (_, row) => column.get(row))]),
    metrics: workspace.metrics.map((m) => [m.id, m.name, m.declared]),
    lists: workspace.lists.map((l) => [l.id, l.name, l.declared]),
    members: workspace.memberships.map((m) => [m.members.toArray(), Array.from(m.joinedAt)]),
    events: workspace.events.map((events) => ({
      offsets: Array.from(events.offsets),
      times: Array.from(events.times),
      properties: [...events.properties]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, column]) => [key, Array.from({ length: events.count }, (_, row) => column.get(row))]),
    })),
  };
}

/** The non-empty lines of a data file of the tiny workspace. */
function tinyLines(dir: string, file: string): string[] {
  return readFileSync(join(dir, 'data', file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

const eventLine = (profile: string | undefined, metric: string | undefined, attributes: object): string =>
  JSON.stringify({
    type: 'event',
    id: `E-${profile}-${metric}`,
    attributes,
    relationships: {
      ...(profile === undefined ? {} : { profile: { data: { type: 'profile', id: profile } } }),
      ...(metric === undefined ? {} : { metric: { data: { type: 'metric', id: metric } } }),
    },
  });

describe('workspace input read the way it was written', () => {
  let dir: string;
  let cacheDir: string;
  const savedCacheDir = process.env.SEGMENT_LENS_CACHE_DIR;
  const savedTz = process.env.TZ;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'segment-lens-input-'));
    cpSync(TINY, join(dir, 'ws'), { recursive: true });
    cacheDir = mkdtempSync(join(tmpdir(), 'segment-lens-cache-'));
    process.env.SEGMENT_LENS_CACHE_DIR = cacheDir;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
    if (savedCacheDir === undefined) delete process.env.SEGMENT_LENS_CACHE_DIR;
    else process.env.SEGMENT_LENS_CACHE_DIR = savedCacheDir;
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });
  const ws = () => join(dir, 'ws');
  const writeMarker = (marker: object) => writeFileSync(join(ws(), 'klaviyo-workspace.json'), JSON.stringify(marker));
  const markerWarnings = (warnings: LoadWarning[]) => warnings.filter((w) => w.code === 'bad-marker');

  describe('"now" in klaviyo-workspace.json', () => {
    for (const now of ['10/15/2026', 'October 15, 2026 15:00', '2026-02-30', '2026-11-01T12:00:00 PST', '2026-11-01T25:00:00Z', 1793534400]) {
      it(`rejects ${JSON.stringify(now)} with a warning naming it and the format, and uses the wall clock`, async () => {
        writeMarker({ name: 'x', now });
        const before = Date.now();
        const { workspace, warnings } = await loadWorkspace(ws());
        const [warning, ...others] = markerWarnings(warnings);
        assert.ok(warning, JSON.stringify(warnings));
        assert.deepEqual(others, []);
        assert.ok(warning.message.includes(JSON.stringify(now)), warning.message);
        assert.match(warning.message, /ISO 8601/);
        assert.match(warning.message, /2026-11-01T12:00:00Z/);
        assert.match(warning.message, /wall clock/);
        assert.ok(workspace.now >= before && workspace.now <= Date.now(), `${workspace.now}`);
      });
    }

    it("reads a date-time without an offset as UTC whatever the machine's time zone", async () => {
      writeMarker({ name: 'x', now: '2026-11-01T12:00:00' });
      const expected = Date.UTC(2026, 10, 1, 12, 0, 0);
      for (const zone of ['America/Los_Angeles', 'Asia/Tokyo', 'UTC']) {
        process.env.TZ = zone;
        const { workspace, warnings } = await loadWorkspace(ws());
        assert.deepEqual(markerWarnings(warnings), []);
        assert.equal(workspace.now, expected, `TZ=${zone}: ${new Date(workspace.now).toISOString()}`);
      }
    });

    it('reads a date as 00:00 UTC and an offset as written', async () => {
      process.env.TZ = 'America/Los_Angeles';
      writeMarker({ now: '2026-11-01' });
      assert.equal((await loadWorkspace(ws())).workspace.now, Date.UTC(2026, 10, 1));
      writeMarker({ now: '2026-11-01T12:00:00+02:00' });
      assert.equal((await loadWorkspace(ws())).workspace.now, Date.UTC(2026, 10, 1, 10));
    });
  });

  describe('a UTF-8 byte order mark', () => {
    /** Prefixes every file of the workspace (marker and data) with a byte order mark. */
    function addBoms(root: string): void {
      const walk = (folder: string): void => {
        for (const name of readdirSync(folder)) {
          const path = join(folder, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (/\.jsonl?$/.test(name)) writeFileSync(path, Buffer.concat([BOM, readFileSync(path)]));
        }
      };
      walk(root);
    }

    it('at the start of every file loses nothing: the same profiles, events, lists, metrics and "now" as without', async () => {
      const plain = await loadWorkspace(ws());
      addBoms(ws());
      const withBom = await loadWorkspace(ws());
      assert.deepEqual(contentsOf(withBom.workspace), contentsOf(plain.workspace));
      assert.deepEqual(withBom.warnings, plain.warnings);
      assert.equal(withBom.workspace.now, Date.UTC(2026, 10, 1, 12));
      assert.equal(withBom.workspace.profileCount, 4);
    });

    it('at the start of a gzip-compressed JSONL file loses nothing', async () => {
      const plain = await loadWorkspace(ws());
      for (const file of ['profiles.jsonl', 'events.jsonl']) {
        const path = join(ws(), 'data', file);
        writeFileSync(`${path}.gz`, gzipSync(Buffer.concat([BOM, readFileSync(path)])));
        unlinkSync(path);
      }
      const compressed = await loadWorkspace(ws());
      assert.deepEqual(contentsOf(compressed.workspace), contentsOf(plain.workspace));
      assert.deepEqual(
        compressed.warnings.map((w) => [w.code, w.line, w.message]),
        plain.warnings.map((w) => [w.code, w.line, w.message]),
      );
    });

    it('is only skipped at the very start of a file: one on a later line is a broken line', async () => {
      const path = join(ws(), 'data', 'profiles.jsonl');
      const lines = tinyLines(ws(), 'profiles.jsonl');
      writeFileSync(path, Buffer.concat([BOM, Buffer.from(`${lines[0]}\n`), BOM, Buffer.from(`${lines.slice(1).join('\n')}\n`)]));
      const { warnings } = await loadWorkspace(ws());
      assert.deepEqual(
        warnings.filter((w) => w.code === 'broken-line').map((w) => w.line),
        [2, 3],
      );
    });

    it('in a segment file reads as whitespace, with offsets unchanged', () => {
      const text = '\uFEFF{"condition_groups": []}';
      const parsed = parseSegment(text);
      assert.deepEqual(parsed.syntaxProblems, []);
      assert.equal(parsed.shape, 'definition');
      assert.equal(parsed.definition?.offset, 1);
      assert.equal(parsed.text.length, text.length);
    });
  });

  describe('resource types, value types and dropped events', () => {
    it('skips a line whose "type" is another resource\'s, with its line; a line without "type" is read as the file\'s kind', async () => {
      const lines = tinyLines(ws(), 'profiles.jsonl');
      const event = tinyLines(ws(), 'events.jsonl')[0];
      writeFileSync(
        join(ws(), 'data', 'profiles.jsonl'),
        [
          lines[0],
          event, // line 2: an event in the profiles file
          JSON.stringify({ type: 'list', id: 'P9', attributes: { email: 'nine@example.com' } }), // line 3
          JSON.stringify({ id: 'P8', attributes: { email: 'eight@example.com' } }), // line 4: no type
          JSON.stringify({ type: 7, id: 'P7' }), // line 5: a type that is not even text
          lines[1],
        ].join('\n'),
      );
      const { workspace, warnings } = await loadWorkspace(ws());
      assert.deepEqual(workspace.profileIds.toArray().slice(0, 3), ['P1', 'P8', 'P2']);
      assert.ok(
        !workspace.profileIds.toArray().includes('P9') && !workspace.profileIds.toArray().includes('P7') && !workspace.profileIds.toArray().includes('E1'),
      );
      assert.equal(workspace.profileValue(1, 'attributes.email'), 'eight@example.com');
      const foreign = warnings.filter((w) => w.code === 'not-a-resource');
      assert.deepEqual(
        foreign.map((w) => w.line),
        [2, 3, 5],
      );
      assert.match(foreign[0].message, /"event"/);
      assert.match(foreign[0].message, /not a profile/);
      assert.ok(foreign.every((w) => w.file === join(ws(), 'data', 'profiles.jsonl')));
    });

    it('checks the type of metrics, lists, list members and events the same way', async () => {
      const metrics = JSON.stringify(
        {
          data: [
            { type: 'metric', id: 'PLCORD', attributes: { name: 'Placed Order' } },
            { type: 'list', id: 'OPNEML', attributes: { name: 'Opened Email' } },
          ],
        },
        null,
        1,
      );
      writeFileSync(join(ws(), 'data', 'metrics.json'), metrics);
      // The second record's "{" is on the line before its "type" (0-based index = 1-based line).
      const listRecordLine = metrics.split('\n').findIndex((line) => line.includes('"list"'));
      writeFileSync(join(ws(), 'data', 'list-members', 'NEWSLT.jsonl'), `${tinyLines(ws(), 'list-members/NEWSLT.jsonl')[0]}\n{"type":"list","id":"P3"}\n`);
      writeFileSync(
        join(ws(), 'data', 'events.jsonl'),
        `${tinyLines(ws(), 'events.jsonl').join('\n')}\n{"type":"metric","id":"PLCORD","attributes":{"name":"x"}}\n`,
      );
      const { workspace, warnings } = await loadWorkspace(ws());
      const foreign = warnings.filter((w) => w.code === 'not-a-resource').map((w) => [w.file.slice(ws().length + 1), w.line]);
      assert.deepEqual(foreign, [
        ['data/metrics.json', listRecordLine],
        ['data/list-members/NEWSLT.jsonl', 2],
        ['data/events.jsonl', 6],
      ]);
      assert.equal(workspace.metric('OPNEML')?.info.declared, false);
      assert.deepEqual(workspace.list('NEWSLT')?.membership.members.toArray(), [0]);
    });

    it('does not store values of the wrong JSON type, and says where they are', async () => {
      writeFileSync(
        join(ws(), 'data', 'profiles.jsonl'),
        [
          JSON.stringify({
            type: 'profile',
            id: 'P1',
            attributes: {
              email: 42,
              first_name: 'Ada',
              location: 'Boston',
              subscriptions: { email: { marketing: { consent: true, can_receive_email_marketing: 'yes' } } },
            },
          }),
          JSON.stringify({
            type: 'profile',
            id: 'P2',
            attributes: {
              email: 'bob@example.com',
              location: { city: ['Berlin'], country: 'Germany', latitude: '52.5' },
              predictive_analytics: { historic_clv: '93.87', predicted_clv: 27.24 },
              created: 1718893320,
            },
          }),
          JSON.stringify({ type: 'profile', id: 'P3', attributes: 'not an object' }),
        ].join('\n'),
      );
      writeFileSync(
        join(ws(), 'data', 'events.jsonl'),
        [
          eventLine('P1', 'PLCORD', { datetime: '2026-10-20T09:00:00+00:00', event_properties: ['Kind of Blue'] }),
          eventLine('P2', 'PLCORD', { datetime: 1793353200, timestamp: 1793353200, event_properties: { $value: 30 } }),
          eventLine('P2', 'PLCORD', { timestamp: '1793353200', datetime: '2026-10-21T09:00:00Z' }),
        ].join('\n'),
      );
      const { workspace, warnings } = await loadWorkspace(ws());
      const wrong = warnings.filter((w) => w.code === 'wrong-type');
      const profiles = join(ws(), 'data', 'profiles.jsonl');
      const events = join(ws(), 'data', 'events.jsonl');
      assert.deepEqual(
        wrong.map((w) => [w.file, w.line, /"([^"]+)"/.exec(w.message)?.[1]]),
        [
          [profiles, 1, 'attributes.email'],
          [profiles, 1, 'attributes.location'],
          [profiles, 1, 'attributes.subscriptions.email.marketing.consent'],
          [profiles, 1, 'attributes.subscriptions.email.marketing.can_receive_email_marketing'],
          [profiles, 2, 'attributes.location.city'],
          [profiles, 2, 'attributes.predictive_analytics.historic_clv'],
          [profiles, 3, 'attributes'],
          [events, 1, 'attributes.event_properties'],
          [events, 2, 'attributes.datetime'],
          [events, 3, 'attributes.timestamp'],
        ],
      );
      assert.match(wrong[0].message, /is a number, not a string/);
      assert.match(wrong[1].message, /is a string, not an object/);
      // The wrong values are not stored; the rest of each record is.
      assert.equal(workspace.profileValue(0, 'attributes.email'), undefined);
      assert.equal(workspace.profileValue(0, 'attributes.first_name'), 'Ada');
      assert.equal(workspace.profileValue(0, 'subscriptions.email.marketing.consent'), undefined);
      assert.equal(workspace.profileValue(1, 'location.city'), undefined);
      assert.equal(workspace.profileValue(1, 'location.country'), 'Germany');
      assert.equal(workspace.profileValue(1, 'location.latitude'), '52.5');
      assert.equal(workspace.profileValue(1, 'predictive_analytics.historic_clv'), undefined);
      assert.equal(workspace.profileValue(1, 'predictive_analytics.predicted_clv'), 27.24);
      // A number in a date attribute is epoch seconds (docs/semantics.md), not a wrong type.
      assert.equal(workspace.profileValue(1, 'attributes.created'), 1718893320);
      // Event 1 is kept without properties; event 2 keeps its timestamp; event 3 falls back to its
      // datetime (P2's events in order of time).
      const placed = workspace.metric('PLCORD');
      assert.equal(placed?.events.count, 3);
      assert.deepEqual([...(placed?.events.properties.keys() ?? [])], ['$value']);
      assert.deepEqual(Array.from(placed?.events.times ?? []), [Date.UTC(2026, 9, 20, 9), Date.UTC(2026, 9, 21, 9), 1793353200 * 1000]);
    });

    it('reports each dropped event with its line and why, the first 20 of a file then a count', async () => {
      const good = tinyLines(ws(), 'events.jsonl').slice(0, 4);
      const lines = [
        ...good,
        eventLine(undefined, 'PLCORD', { datetime: '2026-10-20T09:00:00Z' }), // 5: no profile
        eventLine('P1', undefined, { datetime: '2026-10-20T09:00:00Z' }), // 6: no metric
        eventLine('P1', 'PLCORD', { datetime: '2026-02-30T09:00:00Z' }), // 7: no usable time
        eventLine('P1', 'PLCORD', {}), // 8: no time at all
      ];
      for (let i = 0; i < 30; i++) lines.push(eventLine(`GHOST${i}`, 'PLCORD', { datetime: '2026-10-20T09:00:00Z' })); // 9..38
      writeFileSync(join(ws(), 'data', 'events.jsonl'), lines.join('\n') + '\n');
      const { workspace, warnings } = await loadWorkspace(ws());
      assert.equal(workspace.eventCount, 4);
      const dropped = warnings.filter((w) => w.code === 'dropped-event');
      const located = dropped.filter((w) => w.line !== undefined);
      assert.deepEqual(
        located.map((w) => w.line),
        Array.from({ length: 20 }, (_, i) => i + 5),
      );
      assert.match(located[0].message, /no profile/);
      assert.match(located[1].message, /no metric/);
      assert.match(located[2].message, /time/);
      assert.match(located[3].message, /time/);
      assert.match(located[4].message, /"GHOST0" is not in the workspace/);
      const more = dropped.filter((w) => w.line === undefined);
      assert.equal(more.length, 1);
      assert.match(more[0].message, /^14 more /);
      // The totals stay in the summary.
      assert.match(
        warnings.find((w) => w.code === 'dangling-references')?.message ?? '',
        /30 event\(s\) of profiles not in the workspace.*4 event\(s\) without a metric, a profile or a time/,
      );
    });
  });

  describe('data paths stay inside the workspace folder', () => {
    const SECRET = 'SECRET-TOKEN-0123456789';
    /** A file outside the workspace that would load as profiles (and echo its text) if read. */
    function outsideFile(): string {
      const path = join(dir, 'outside.jsonl');
      writeFileSync(path, `${JSON.stringify({ type: 'profile', id: 'OUTSIDER', attributes: { email: 'outsider@example.com' } })}\n${SECRET} is not JSON\n`);
      return path;
    }
    const mentionsSecret = (warnings: LoadWarning[]) => warnings.some((w) => w.message.includes('SECRET') || w.message.includes('outsider'));

    for (const [label, target] of [
      ['a relative path with ..', () => '../outside.jsonl'],
      ['an absolute path', () => join(dir, 'outside.jsonl')],
    ] as const) {
      it(`does not read a data path that is ${label}, and names the key`, async () => {
        outsideFile();
        writeMarker({ name: 'x', now: '2026-11-01T12:00:00Z', data: { profiles: target() } });
        const { workspace, warnings, files } = await loadWorkspace(ws());
        assert.equal(workspace.profileCount, 2, 'only the two list members'); // P1 and P3 from NEWSLT.jsonl
        assert.ok(!workspace.profileIds.toArray().includes('OUTSIDER'));
        const [warning] = markerWarnings(warnings);
        assert.ok(warning, JSON.stringify(warnings));
        assert.match(warning.message, /"profiles"/);
        assert.match(warning.message, /outside the workspace/);
        assert.ok(!mentionsSecret(warnings), JSON.stringify(warnings));
        assert.ok(!files.includes(join(dir, 'outside.jsonl')));
      });
    }

    it('does not follow a symbolic link out of the workspace (a data file, the data folder, a list member file)', async () => {
      const outside = outsideFile();
      unlinkSync(join(ws(), 'data', 'profiles.jsonl'));
      symlinkSync(outside, join(ws(), 'data', 'profiles.jsonl'));
      symlinkSync(outside, join(ws(), 'data', 'list-members', 'LEAK.jsonl'));
      const first = await loadWorkspace(ws());
      assert.ok(!first.workspace.profileIds.toArray().includes('OUTSIDER'), JSON.stringify(first.workspace.profileIds));
      assert.ok(!mentionsSecret(first.warnings), JSON.stringify(first.warnings));
      assert.deepEqual(
        markerWarnings(first.warnings).map((w) => /"(\w+)"/.exec(w.message)?.[1]),
        ['profiles', 'listMembers'],
      );

      // The whole data folder is a link to a folder outside.
      const elsewhere = join(dir, 'elsewhere');
      cpSync(join(ws(), 'data'), elsewhere, { recursive: true, dereference: true });
      rmSync(join(ws(), 'data'), { recursive: true });
      symlinkSync(elsewhere, join(ws(), 'data'));
      const second = await loadWorkspace(ws());
      assert.equal(second.workspace.profileCount, 0);
      assert.equal(second.workspace.eventCount, 0);
      assert.deepEqual(
        markerWarnings(second.warnings)
          .map((w) => /"(\w+)"/.exec(w.message)?.[1])
          .sort(),
        ['events', 'listMembers', 'lists', 'metrics', 'profiles'],
      );
    });

    it('follows a symbolic link that stays inside the workspace', async () => {
      const plain = await loadWorkspace(ws());
      mkdirSync(join(ws(), 'exports'));
      cpSync(join(ws(), 'data', 'profiles.jsonl'), join(ws(), 'exports', 'profiles.jsonl'));
      unlinkSync(join(ws(), 'data', 'profiles.jsonl'));
      symlinkSync(join('..', 'exports', 'profiles.jsonl'), join(ws(), 'data', 'profiles.jsonl'));
      const linked = await loadWorkspace(ws());
      assert.deepEqual(contentsOf(linked.workspace), contentsOf(plain.workspace));
      assert.deepEqual(markerWarnings(linked.warnings), []);
    });

    it('does not read a marker that is a link out of the workspace', async () => {
      const outside = join(dir, 'marker.json');
      writeFileSync(outside, `{"name": "${SECRET}", "now": "2026-11-01T12:00:00Z"}`);
      unlinkSync(join(ws(), 'klaviyo-workspace.json'));
      symlinkSync(outside, join(ws(), 'klaviyo-workspace.json'));
      const { workspace, warnings } = await loadWorkspace(ws());
      assert.notEqual(workspace.name, SECRET);
      assert.match(markerWarnings(warnings)[0]?.message ?? '', /outside the workspace/);
      assert.ok(!mentionsSecret(warnings));
    });

    it('keeps the text of a line that is not JSON out of its warning', async () => {
      const path = join(ws(), 'data', 'events.jsonl');
      writeFileSync(
        path,
        Buffer.concat([Buffer.from(`${SECRET}\n`), Buffer.from([0, 1, 2, 0xff, 0xfe, 10]), Buffer.from(`{"type": "event", "id": "${SECRET}"\n`)]),
      );
      writeFileSync(join(ws(), 'klaviyo-workspace.json'), `{"name": "x", ${SECRET}}`);
      writeFileSync(join(ws(), 'data', 'metrics.json'), `{"data": [${SECRET}]}`);
      const { warnings } = await loadWorkspace(ws());
      const broken = warnings.filter((w) => w.file === path);
      assert.deepEqual(
        broken.map((w) => [w.code, w.line]),
        [
          ['broken-line', 1],
          ['broken-line', 2],
          ['broken-line', 3],
        ],
      );
      assert.ok(!warnings.some((w) => /SECRET|TOKEN|\uFFFD/.test(w.message) || w.message.includes('\u0000')), JSON.stringify(warnings));
      assert.match(broken[0].message, /Line 1 is not valid JSON \(.*column 1.*\); skipped\./);
    });
  });
});

describe('paths as the CLI prints them', () => {
  it('escapes control characters JSON-style, leaves other paths alone, and is idempotent', () => {
    assert.equal(printablePath('segments/vip customers.json'), 'segments/vip customers.json');
    assert.equal(printablePath('a\nb\tc\rd.json'), 'a\\nb\\tc\\rd.json');
    assert.equal(printablePath('bell\u0007del\u007fcsi\u009bls\u2028.json'), 'bell\\u0007del\\u007fcsi\\u009bls\\u2028.json');
    assert.equal(printablePath('Zoë/ünïcödé.json'), 'Zoë/ünïcödé.json');
    const once = printablePath('x\ny\u001b[31m.json');
    assert.equal(once, 'x\\ny\\u001b[31m.json');
    assert.equal(printablePath(once), once);
  });
});
