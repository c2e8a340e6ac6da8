import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IdListIndex } from '../../server/src/engine/idListIndex';

const ids = (list: number[]) => Int32Array.from(list);

describe('IdListIndex (a column’s lists of texts by their texts’ numbers)', () => {
  it('tells lists apart by order, length and every number, and finds each one added', () => {
    const index = new IdListIndex();
    const lists = [[], [0], [0, 0], [1, 0], [0, 1], [0, 1, 2], [0, 1, 2, 0], [2, 1, 0], [65_535], [1 << 20, 7]];
    lists.forEach((list, value) => {
      assert.equal(index.find(ids(list), list.length), -1, `not added yet: ${JSON.stringify(list)}`);
      index.add(ids(list), list.length, value);
    });
    lists.forEach((list, value) => assert.equal(index.find(ids(list), list.length), value, JSON.stringify(list)));
    assert.equal(index.size, lists.length);
    // Only the first `length` numbers count: scratch room is reused for shorter lists.
    assert.equal(index.find(ids([0, 1, 2, 9, 9]), 3), 5);
    assert.equal(index.find(ids([3]), 1), -1);
  });

  it('keeps every list apart among 300,000 (enough for 32-bit hashes to meet)', () => {
    const index = new IdListIndex();
    const model = new Map<string, number>();
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
    const scratch = new Int32Array(6);
    for (let value = 0; model.size < 300_000; value++) {
      const length = 1 + (next() % 5);
      for (let i = 0; i < length; i++) scratch[i] = next() % 400;
      const key = Array.from(scratch.subarray(0, length)).join(',');
      const known = model.get(key);
      assert.equal(index.find(scratch, length), known ?? -1, key);
      if (known === undefined) {
        model.set(key, value);
        index.add(scratch, length, value);
      }
    }
    for (const [key, value] of model) {
      const list = key.split(',').map(Number);
      assert.equal(index.find(ids(list), list.length), value);
    }
  });

  it('answers as a Map keyed by the list does (random lists)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat({ max: 6 }), { maxLength: 4 }), { maxLength: 200 }), (lists) => {
        const index = new IdListIndex();
        const model = new Map<string, number>();
        lists.forEach((list, value) => {
          const key = JSON.stringify(list);
          assert.equal(index.find(ids(list), list.length), model.get(key) ?? -1);
          if (!model.has(key)) {
            model.set(key, value);
            index.add(ids(list), list.length, value);
          }
        });
        assert.equal(index.size, model.size);
      }),
      { numRuns: 300 },
    );
  });
});
