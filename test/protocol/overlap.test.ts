/**
 * segmentLens/overlap and segmentLens/overlapProfiles over stdio: "Compare Segments in Folder…".
 * The expected counts come from the reference matcher of test/cli/reviewFixture.ts (profiles and
 * "property equals value" segments), not from the engine.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from './lspClient';
import { removeDir } from './fixtures';
import { expectedIds, PROFILES, writeFile, writeSegment, writeWorkspace, type FieldCondition } from '../cli/reviewFixture';
import type { OverlapReport, ProfilesResult } from '../../server/src/protocol';

const GOLD: FieldCondition[][] = [[{ field: 'tier', value: 'gold' }]];
const US: FieldCondition[][] = [[{ field: 'country', value: 'US' }]];
const JAZZ: FieldCondition[][] = [[{ field: 'genre', value: 'Jazz' }]];
const SILVER: FieldCondition[][] = [[{ field: 'tier', value: 'silver' }]];
const HOSTILE_NAME = '<img src=x onerror=alert(1)></script>';

describe('language server over stdio: segment overlap of a folder', function () {
  this.timeout(60_000);
  let client: TestClient;
  let root: string;
  let folder: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'segment-lens-overlap-'));
    writeWorkspace(root);
    folder = join(root, 'segments');
    writeSegment(join(folder, 'gold.json'), GOLD, HOSTILE_NAME);
    writeSegment(join(folder, 'us.json'), US);
    writeSegment(join(folder, 'nested', 'jazz.json'), JAZZ);
    // Saved as "silver" but open in the editor as "jazz or blues" would be: the open text wins.
    writeSegment(join(folder, 'edited.json'), SILVER);
    writeFile(join(folder, 'broken.json'), '{"condition_groups": [{"conditions": [{"type": "profile-propery"}]}]}\n');
    client = new TestClient();
    await client.initialize();
  });
  after(async () => {
    await client.stop();
    removeDir(root);
  });

  const ids = (groups: FieldCondition[][]) => new Set(expectedIds(groups));

  it('counts every pair and the exclusive cells, which add up to the union; files with errors are left out', async () => {
    const edited = client.uriOf(join(folder, 'edited.json'));
    const editedGroups: FieldCondition[][] = [[{ field: 'genre', value: 'Blues' }]];
    await client.open(edited, readFileSync(join(folder, 'edited.json'), 'utf8'));
    await client.change(
      edited,
      JSON.stringify({
        condition_groups: [
          { conditions: [{ type: 'profile-property', property: "properties['Genre']", filter: { type: 'string', operator: 'equals', value: 'Blues' } }] },
        ],
      }),
    );
    const report = await client.connection.sendRequest<OverlapReport>('segmentLens/overlap', { folder: client.uriOf(folder) });
    assert.equal(report.state, 'ok', report.message);
    assert.equal(report.folder, 'segments');
    assert.equal(report.total, PROFILES.length);

    const expected: Record<string, FieldCondition[][]> = { 'edited.json': editedGroups, 'gold.json': GOLD, 'nested/jazz.json': JAZZ, 'us.json': US };
    assert.deepEqual(
      report.segments.map((s) => s.file),
      Object.keys(expected),
    );
    assert.equal(report.segments.find((s) => s.file === 'gold.json')?.name, HOSTILE_NAME, 'the name is passed on as it is (the panel shows it as text)');
    const sets = report.segments.map((s) => ids(expected[s.file]));
    report.segments.forEach((s, i) => assert.equal(s.count, sets[i].size, s.file));
    report.pairwise.forEach((row, i) =>
      row.forEach((count, j) =>
        assert.equal(count, [...sets[i]].filter((id) => sets[j].has(id)).length, `${report.segments[i].file} ∩ ${report.segments[j].file}`),
      ),
    );

    const union = new Set(sets.flatMap((s) => [...s]));
    assert.equal(report.union, union.size);
    assert.equal(
      report.cells.reduce((n, c) => n + c.count, 0),
      union.size,
      'the cells add up to the union',
    );
    for (const cell of report.cells) {
      const exactly = [...union].filter((id) => sets.every((s, k) => s.has(id) === cell.members.includes(k)));
      assert.equal(cell.count, exactly.length, `cell ${cell.members.join('+')}`);
    }
    for (let k = 1; k < report.cells.length; k++) assert.ok(report.cells[k - 1].count >= report.cells[k].count, 'largest first');
    assert.deepEqual(
      report.leftOut.map((l) => [l.file, l.reason.replace(/:.*$/, '')]),
      [['broken.json', 'the definition has errors']],
    );
  });

  it('lists the profiles of a cell (in these segments and not in those), a page at a time', async () => {
    const report = await client.connection.sendRequest<OverlapReport>('segmentLens/overlap', { folder: client.uriOf(folder) });
    const uri = (file: string) => report.segments.find((s) => s.file === file)!.uri;
    const page = await client.connection.sendRequest<ProfilesResult>('segmentLens/overlapProfiles', {
      folder: client.uriOf(folder),
      inside: [uri('gold.json'), uri('us.json')],
      outside: [uri('nested/jazz.json')],
      offset: 0,
      limit: 100,
    });
    const expected = PROFILES.filter((p) => p.tier === 'gold' && p.country === 'US' && p.genre !== 'Jazz').map((p) => p.id);
    assert.deepEqual(page.rows.map((r) => r.id).sort(), expected.sort());
    assert.equal(page.total, expected.length);

    // A matrix cell (both segments, whatever else) of gold and US.
    const matrixCell = await client.connection.sendRequest<ProfilesResult>('segmentLens/overlapProfiles', {
      folder: client.uriOf(folder),
      inside: [uri('gold.json'), uri('us.json')],
      outside: [],
      offset: 0,
      limit: 100,
    });
    assert.deepEqual(
      matrixCell.rows.map((r) => r.id).sort(),
      PROFILES.filter((p) => p.tier === 'gold' && p.country === 'US')
        .map((p) => p.id)
        .sort(),
    );
    // Sorted by email, one row per page.
    const both = PROFILES.filter((p) => p.country === 'US' && p.genre !== 'Jazz').sort((a, b) => (a.email < b.email ? -1 : 1));
    const second = await client.connection.sendRequest<ProfilesResult>('segmentLens/overlapProfiles', {
      folder: client.uriOf(folder),
      inside: [uri('us.json')],
      outside: [uri('nested/jazz.json')],
      offset: 1,
      limit: 1,
      sort: { column: 'email' },
    });
    assert.equal(second.total, both.length);
    assert.deepEqual(
      second.rows.map((r) => r.id),
      [both[1].id],
    );

    const stale = await client.connection.sendRequest<ProfilesResult>('segmentLens/overlapProfiles', {
      folder: client.uriOf(folder),
      inside: [client.uriOf(join(folder, 'gone.json'))],
      outside: [],
      offset: 0,
      limit: 10,
    });
    assert.equal(stale.state, 'failed');
    assert.equal(stale.total, 0);
  });

  it('says so for a folder without a data workspace or without segment files', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'segment-lens-overlap-none-'));
    try {
      const none = await client.connection.sendRequest<OverlapReport>('segmentLens/overlap', { folder: client.uriOf(outside) });
      assert.equal(none.state, 'no-workspace');
      const empty = await client.connection.sendRequest<OverlapReport>('segmentLens/overlap', { folder: client.uriOf(join(root, 'data')) });
      assert.equal(empty.state, 'no-segments');
      assert.match(empty.message ?? '', /No segment files in data/);
    } finally {
      removeDir(outside);
    }
  });
});
