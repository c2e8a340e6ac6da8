import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');

describe('bench/firstLoad: the peak memory of the load it measures', () => {
  it('is the peak of its own process, not the peak of the (bigger) benchmark that started it', async () => {
    // The benchmark process is gigabytes when it starts the fresh-process loads at L; here 600 MB.
    const ballast = Buffer.alloc(600 * 1024 * 1024, 1);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--expose-gc', join(REPO, 'out', 'bench', 'firstLoad.js'), join(REPO, 'sample-workspace'), '--from', 'jsonl'],
        (error, out) => (error ? reject(error) : resolve(out)),
      ),
    );
    const result = JSON.parse(stdout) as { peakRssMb: number; rssMb: number; profiles: number };
    assert.ok(result.profiles > 0);
    assert.ok(result.peakRssMb >= result.rssMb, `peak ${result.peakRssMb} MB, RSS after ${result.rssMb} MB`);
    assert.ok(result.peakRssMb < 400, `the sample workspace's load peaked at ${result.peakRssMb.toFixed(0)} MB beside a ${ballast.length >> 20} MB parent`);
  });
});
