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

  it('tells a list from a longer one whose hash is the same and which starts with it', () => {
    // hashIds (idListIndex.ts) inverted: the second number y of [x, y] that gives the list the
    // hash of [x]. Each step (xor, multiply by an odd number, h ^= h >>> 13) can be undone.
    const C1 = 0x85ebca6b;
    const step = (h: number, id: number) => {
      const m = Math.imul(h ^ id, C1);
      return (m ^ (m >>> 13)) | 0;
    };
    const unstep = (h: number) => {
      const m = h ^ (h >>> 13) ^ (h >>> 26); // undoes m ^ (m >>> 13)
      return Math.imul(m, inverseOdd(C1)) | 0; // undoes the multiply
    };
    const x = 7;
    const afterX = step(Math.imul(2, 0x9e3779b1) | 0, x); // [x, y] starts from its length, 2
    const target = step(Math.imul(1, 0x9e3779b1) | 0, x); // [x]'s state before the final mix
    const y = unstep(target) ^ afterX;
    assert.equal(step(afterX, y), target, 'the two lists hash alike');
    const index = new IdListIndex();
    index.add(ids([x, y]), 2, 1);
    // [x] is not [x, y] though their hashes meet and [x, y] starts with x: its length tells them apart.
    assert.equal(index.find(ids([x]), 1), -1);
    index.add(ids([x]), 1, 2);
    assert.deepEqual([index.find(ids([x]), 1), index.find(ids([x, y]), 2)], [2, 1]);
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

/** The inverse of an odd number modulo 2^32 (Newton's iteration: each step doubles the bits that are right). */
function inverseOdd(odd: number): number {
  let inverse = odd;
  for (let i = 0; i < 5; i++) inverse = Math.imul(inverse, 2 - Math.imul(odd, inverse));
  return inverse | 0;
}
