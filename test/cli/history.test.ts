import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './cli';

interface HistoryJson {
  days: number;
  points: { day: string; as_of: string; matched: number | null; total: number }[];
}

describe('CLI: evaluate --history', function () {
  this.timeout(180_000);
  const segments = ['engaged-30-days.json', 'repeat-buyers.json'].map((f) => join('sample-workspace', 'segments', f));

  for (const segment of segments) {
    it(`${segment}: each day equals evaluate --now at that day's end`, () => {
      const run = runCli(['evaluate', segment, '--history', '30d', '--json']);
      assert.equal(run.code, 0, run.stderr);
      const history = JSON.parse(run.stdout) as HistoryJson;
      assert.equal(history.days, 30);
      // The first, a middle, the last but one and today.
      for (const point of [history.points[0], history.points[13], history.points[28], history.points[29]]) {
        const fresh = runCli(['evaluate', segment, '--now', point.as_of, '--json']);
        assert.equal(fresh.code, 0, fresh.stderr);
        const result = JSON.parse(fresh.stdout) as { matched: number | null; total: number };
        assert.deepEqual({ matched: point.matched, total: point.total }, { matched: result.matched, total: result.total }, point.day);
      }
    });
  }

  it("prints the same series whatever the machine's time zone (UTC days)", () => {
    const outputs = ['UTC', 'America/New_York', 'Pacific/Kiritimati'].map((TZ) =>
      runCli(['evaluate', segments[0], '--history', '12w', '--csv'], { env: { TZ } }),
    );
    for (const run of outputs) assert.equal(run.code, 0, run.stderr);
    assert.equal(outputs[1].stdout, outputs[0].stdout);
    assert.equal(outputs[2].stdout, outputs[0].stdout);
    const lines = outputs[0].stdout.trim().split('\n');
    assert.equal(lines[0], 'day,as_of,matched,total');
    assert.equal(lines.length, 1 + 84);
  });

  it('rejects a span it cannot read, and --csv without --history', () => {
    for (const args of [['--history', '3 months'], ['--history', '0d'], ['--csv']]) {
      const run = runCli(['evaluate', segments[0], ...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    }
  });
});
