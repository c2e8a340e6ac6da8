import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');

describe('bench/loadTimeline: where the memory of a first load goes', () => {
  it('prints a line at each phase of the load and the load time, peak and memory after it', async () => {
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--expose-gc', join(REPO, 'out', 'bench', 'loadTimeline.js'), join(REPO, 'sample-workspace'), '--every', '50'],
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    const lines = stdout.trim().split('\n');
    const phases = lines.slice(0, -1).map((line) => /^\d+\.\d s {2}(\S+)/.exec(line)?.[1]);
    for (const phase of ['profiles', 'events', 'indexing', 'returned']) assert.ok(phases.includes(phase), `${phase} in\n${stdout}`);
    const result = JSON.parse(lines[lines.length - 1]) as {
      loadMs: number;
      returnedMs: number;
      peakRssMb: number;
      rssAfterGcMb: number;
      profiles: number;
      events: number;
    };
    assert.ok(result.profiles > 0 && result.events > 0, stdout);
    assert.ok(result.returnedMs >= result.loadMs, `returned after ${result.returnedMs} ms, load ${result.loadMs} ms`);
    assert.ok(result.peakRssMb >= result.rssAfterGcMb, stdout);
  });
});
