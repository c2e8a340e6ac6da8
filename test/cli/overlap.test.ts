/**
 * `segment-lens overlap` as users run it on sample-workspace/. The expected intersections are
 * computed here from each segment's matched IDs (`evaluate --json --ids`), independently of the
 * overlap code.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './cli';

interface EvaluateResult {
  file: string;
  matched: number | null;
  profile_ids?: string[];
}
interface OverlapJson {
  workspace: { profiles: number };
  union: number;
  segments: { file: string; name: string | null; count: number }[];
  pairwise: number[][];
  cells: { members: number[]; count: number; files: string[]; ids: string[] }[];
  left_out: unknown[];
}

const SEGMENTS = join('sample-workspace', 'segments');
const FEW = ['vip-customers.json', 'repeat-buyers.json', 'first-time-buyers.json', 'lapsed-customers.json', 'eu-residents.json'].map((f) => join(SEGMENTS, f));

/** Each file's matched IDs, from `evaluate`. */
function matchedIds(paths: string[]): Map<string, Set<string>> {
  const { stdout } = runCli(['evaluate', '--json', '--ids', ...paths]);
  const parsed = JSON.parse(stdout) as EvaluateResult | EvaluateResult[];
  const results = Array.isArray(parsed) ? parsed : [parsed];
  return new Map(results.filter((r) => r.profile_ids).map((r) => [r.file, new Set(r.profile_ids)]));
}

const intersection = (a: Set<string>, b: Set<string>) => [...a].filter((id) => b.has(id)).length;

describe('segment-lens overlap', () => {
  it("pairwise counts equal the intersections of the segments' IDs, and the cells add up to the union", () => {
    const { code, stdout } = runCli(['overlap', '--json', ...FEW]);
    assert.equal(code, 0);
    const result = JSON.parse(stdout) as OverlapJson;
    const ids = matchedIds(FEW);
    const sets = result.segments.map((s) => ids.get(s.file)!);
    assert.deepEqual(
      result.segments.map((s) => s.file),
      FEW,
    );
    result.pairwise.forEach((row, i) => row.forEach((count, j) => assert.equal(count, intersection(sets[i], sets[j]), `${FEW[i]} ∩ ${FEW[j]}`)));
    const union = new Set(sets.flatMap((s) => [...s]));
    assert.equal(result.union, union.size);
    assert.equal(
      result.cells.reduce((n, c) => n + c.count, 0),
      union.size,
    );
    // Every profile is in exactly one cell: the exact set of segments it is in.
    const seen = new Set<string>();
    for (const cell of result.cells) {
      assert.equal(cell.ids.length, cell.count);
      for (const id of cell.ids) {
        assert.ok(!seen.has(id), `${id} in two cells`);
        seen.add(id);
        assert.deepEqual(
          sets.map((s, k) => (s.has(id) ? k : -1)).filter((k) => k >= 0),
          cell.members,
        );
      }
    }
    for (let k = 1; k < result.cells.length; k++) assert.ok(result.cells[k - 1].count >= result.cells[k].count, 'largest first');
  });

  it('prints the matrix for up to 8 segments, and the exclusive cells with segment names', () => {
    const { stdout } = runCli(['overlap', ...FEW]);
    const ids = matchedIds(FEW);
    const sets = FEW.map((f) => ids.get(f)!);
    const lines = stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('Profiles in both'));
    assert.ok(header > 0, stdout);
    assert.deepEqual(
      lines[header + 1].trim().split(/\s+/),
      FEW.map((_, k) => `[${k + 1}]`),
    );
    FEW.forEach((_, i) => {
      const cells = lines[header + 2 + i].trim().split(/\s+/);
      assert.equal(cells[0], `[${i + 1}]`);
      assert.deepEqual(
        cells.slice(1).map((c) => Number(c.replace(/,/g, ''))),
        sets.map((s) => intersection(sets[i], s)),
      );
    });
    assert.match(stdout, /^ +\d+ {2}\[\d\] [a-z-]+ only$/m);
    assert.match(stdout, /^ +\d+ {2}\[\d\] [a-z-]+ {2}∩ {2}\[\d\] [a-z-]+/m);
  });

  it('lists the largest pairs instead of a matrix above 8 segments, and leaves out segments it cannot count', () => {
    const { code, stdout } = runCli([
      'overlap',
      SEGMENTS,
      join('test', 'fixtures', 'validate', 'legacy-region.segment.json'),
      '--workspace',
      'sample-workspace',
    ]);
    assert.equal(code, 1, 'an invalid segment file makes the exit code 1');
    assert.doesNotMatch(stdout, /Profiles in both/);
    assert.match(stdout, /Largest pairwise overlaps/);
    assert.match(stdout, /Left out \(not counted\):\n {2}test\/fixtures\/validate\/legacy-region\.segment\.json: invalid: 5:56: .*\[legacy-region-id\]/);
    const json = JSON.parse(runCli(['overlap', '--json', SEGMENTS]).stdout) as OverlapJson;
    assert.ok(json.segments.length > 8);
    assert.equal(
      json.cells.reduce((n, c) => n + c.count, 0),
      json.union,
    );
  });

  it('exits 2 on usage errors', () => {
    assert.equal(runCli(['overlap']).code, 2);
    assert.equal(runCli(['overlap', 'no/such/folder']).code, 2);
  });
});
