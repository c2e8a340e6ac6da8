import assert from 'node:assert/strict';
import { releaseNow } from '../../server/src/evaluation/memory';

describe('releaseNow (a full collection when a thread lets go of a workspace)', () => {
  it('collects what was let go, in a process started without --expose-gc', async () => {
    assert.equal((globalThis as { gc?: unknown }).gc, undefined, 'the unit tests run without --expose-gc');
    let big: { rows: number[] } | undefined = { rows: new Array<number>(100_000).fill(1) };
    const ref = new WeakRef(big);
    big = undefined;
    await new Promise((resolve) => setImmediate(resolve)); // WeakRef targets live until the job ends
    releaseNow();
    assert.equal(ref.deref(), undefined);
  });
});
