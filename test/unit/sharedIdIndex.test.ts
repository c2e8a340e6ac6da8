import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SharedIdIndex } from '../../server/src/engine/sharedIdIndex';

describe('SharedIdIndex (profile IDs for load threads)', () => {
  it('finds every ID at its index and nothing else, as a Map would', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `01HE${(i * 7919).toString(36).toUpperCase().padStart(10, '0')}`);
    ids.push('é-profile', '😀', 'a', 'ab', 'b');
    const index = new SharedIdIndex(SharedIdIndex.build(ids));
    ids.forEach((id, i) => assert.equal(index.get(id), i, id));
    for (const absent of ['', 'A', 'ba', '😀😀', 'é', `${ids[0]}x`, ids[0].slice(0, -1), 'missing']) assert.equal(index.get(absent), undefined, absent);
    assert.equal(new SharedIdIndex(SharedIdIndex.build([])).get('x'), undefined);
  });

  it('is read on another thread, from the same shared memory', async () => {
    const table = SharedIdIndex.build(['P1', 'P2', 'P3']);
    const script = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { SharedIdIndex } = require(${JSON.stringify(require.resolve('../../server/src/engine/sharedIdIndex'))});
      const index = new SharedIdIndex(workerData);
      parentPort.postMessage([index.get('P3'), index.get('P4')]);`;
    const worker = new Worker(script, { eval: true, workerData: table });
    const answer = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    assert.deepEqual(answer, [2, undefined]);
  });
});
