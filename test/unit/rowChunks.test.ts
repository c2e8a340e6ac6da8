import assert from 'node:assert/strict';
import { RowChunks } from '../../server/src/engine/rowChunks';

/** A reference model: the same writes into a plain array. */
function written(writes: [number, unknown][]): { chunks: RowChunks; model: unknown[]; rows: number } {
  const chunks = new RowChunks();
  const model: unknown[] = [];
  let rows = 0;
  for (const [row, value] of writes) {
    chunks.set(row, value);
    model[row] = value;
    rows = Math.max(rows, row + 1);
  }
  return { chunks, model, rows };
}

const all = (chunks: RowChunks, rows: number) => Array.from({ length: rows }, (_, row) => chunks.get(row));

describe('RowChunks (plain column values while loading)', () => {
  it('reads back every row written in order over many chunks, texts packed into one string', () => {
    const writes: [number, unknown][] = [];
    for (let row = 0; row < 70_000; row++) if (row % 5 !== 2) writes.push([row, `user${row}@example.com`]);
    const { chunks, model, rows } = written(writes);
    assert.deepEqual(
      all(chunks, rows),
      Array.from({ length: rows }, (_, row) => model[row]),
    );
    const packed = chunks.pack(rows);
    assert.equal(packed?.kind, 'strings');
    if (packed?.kind !== 'strings') return;
    assert.equal(packed.offsets.length, rows + 1);
    for (const row of [0, 2, 16_383, 16_384, 40_000, 69_999]) {
      const expected = model[row] as string | undefined;
      assert.equal(packed.present[row] === 1 ? packed.text.slice(packed.offsets[row], packed.offsets[row + 1]) : undefined, expected, `row ${row}`);
    }
    assert.equal(packed.text, writes.map(([, value]) => value).join(''));
  });

  it('packs numbers into a Float64Array with NaN for missing rows, and keeps mixed types plain', () => {
    const { chunks, rows } = written([
      [0, 1.5],
      [40_000, -2],
      [40_001, 0],
    ]);
    const packed = chunks.pack(rows);
    assert.equal(packed?.kind, 'numbers');
    if (packed?.kind !== 'numbers') return;
    assert.deepEqual([packed.values[0], packed.values[40_000], packed.values[40_001]], [1.5, -2, 0]);
    assert.ok(Number.isNaN(packed.values[1]));
    assert.equal(packed.values.length, 40_002);

    // Texts in one chunk, numbers in another: the column stays plain, every value intact.
    const mixed = written([
      [0, 'a'],
      [50_000, 7],
      [50_001, ['list']],
    ]);
    assert.equal(mixed.chunks.pack(mixed.rows), undefined);
    const values = mixed.chunks.toArray(mixed.rows);
    assert.deepEqual([values[0], values[50_000], values[50_001], values[1]], ['a', 7, ['list'], undefined]);
  });

  it('changes and removes rows of chunks already packed (a profile repeated later in the file)', () => {
    const writes: [number, unknown][] = [];
    for (let row = 0; row < 60_000; row++) writes.push([row, `t${row}`]);
    writes.push([5, 'changed'], [16_384, undefined], [7, 12]);
    const { chunks, model, rows } = written(writes);
    assert.deepEqual(
      all(chunks, rows),
      Array.from({ length: rows }, (_, row) => model[row]),
    );
    assert.equal(chunks.pack(rows), undefined, 'a number among texts');
    chunks.set(7, 'back');
    const packed = chunks.pack(rows);
    assert.equal(packed?.kind, 'strings');
    if (packed?.kind === 'strings') {
      assert.equal(packed.text.slice(packed.offsets[5], packed.offsets[6]), 'changed');
      assert.equal(packed.present[16_384], 0);
      assert.equal(packed.text.slice(packed.offsets[16_385], packed.offsets[16_386]), 't16385');
    }
  });

  it('packs an empty column and rows beyond the last chunk as missing', () => {
    assert.equal(new RowChunks().pack(10)?.kind, 'strings');
    assert.equal(new RowChunks().get(123_456), undefined);
    const { chunks } = written([[3, 'x']]);
    const packed = chunks.pack(100_000);
    assert.equal(packed?.kind, 'strings');
    if (packed?.kind === 'strings') {
      assert.equal(
        packed.present.reduce((a, b) => a + b, 0),
        1,
      );
      assert.equal(packed.offsets[100_000], 1);
    }
  });
});
