import assert from 'node:assert/strict';
import { Bitset } from '../../server/src/engine/bitset';
import { Column } from '../../server/src/engine/column';

/** Builds a finished column from values by row (undefined: missing). */
function columnOf(values: unknown[]): Column {
  const column = new Column();
  values.forEach((value, row) => column.set(row, value));
  column.finish();
  return column;
}

function roundTrip(column: Column): Column {
  return Column.deserialize(column.serialize());
}

const select = (column: Column, rows: number, test: (v: unknown) => boolean, missing = false) => {
  const out = new Bitset(rows);
  column.select(rows, test, missing, out);
  return out.toArray();
};

describe('Column storage', () => {
  it('keeps repeated values in a dictionary packed into bytes, with missing rows', () => {
    const values = ['Boston', undefined, 'Berlin', 'Boston', null, 'Paris'];
    const column = columnOf(values);
    assert.equal(column.serialize().kind, 'dict');
    assert.ok((column.serialize() as { codes: unknown }).codes instanceof Uint8Array);
    for (const c of [column, roundTrip(column)]) {
      assert.deepEqual(values.map((_, row) => c.get(row)), ['Boston', undefined, 'Berlin', 'Boston', undefined, 'Paris']);
      assert.deepEqual(select(c, 6, (v) => v === 'Boston'), [0, 3]);
      assert.deepEqual(select(c, 6, () => false, true), [1, 4]);
      assert.equal(c.presentCount, 4);
    }
  });

  it('keeps distinct texts (emails) in one string with offsets, empty texts included', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? undefined : i % 11 === 0 ? '' : `person${i}@example.com`));
    const column = columnOf(values);
    assert.equal(column.serialize().kind, 'strings');
    for (const c of [column, roundTrip(column)]) {
      assert.deepEqual(values.map((_, row) => c.get(row)), values);
      assert.deepEqual(select(c, 3000, (v) => v === '').length, values.filter((v) => v === '').length);
      assert.deepEqual(select(c, 3000, () => true, false).length, values.filter((v) => v !== undefined).length);
    }
  });

  it('keeps distinct numbers in a Float64Array, and mixed types as plain values', () => {
    const numbers = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? undefined : i * 1.25));
    const n = columnOf(numbers);
    assert.equal(n.serialize().kind, 'numbers');
    assert.deepEqual(numbers.map((_, row) => roundTrip(n).get(row)), numbers);
    const mixed = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `t${i}` : i));
    const m = columnOf(mixed);
    assert.equal(m.serialize().kind, 'raw');
    assert.deepEqual(mixed.map((_, row) => roundTrip(m).get(row)), mixed);
  });

  it('keeps lists and objects as values (by content in a dictionary)', () => {
    const c = columnOf([['vip'], ['vip'], { a: 1 }, undefined]);
    assert.deepEqual([0, 1, 2, 3].map((row) => roundTrip(c).get(row)), [['vip'], ['vip'], { a: 1 }, undefined]);
  });

  it('reorders rows while loading, and cannot change once finished', () => {
    const c = new Column();
    ['a', 'b', 'c'].forEach((v, row) => c.set(row, v));
    c.permute(Int32Array.from([2, 0, 1]));
    c.finish();
    assert.deepEqual([0, 1, 2].map((row) => c.get(row)), ['c', 'a', 'b']);
    assert.throws(() => c.set(0, 'x'), /finished column/);
  });

  it('parses each row as an instant once and reuses it', () => {
    const c = columnOf(['2026-01-01', 'not a date', undefined]);
    let calls = 0;
    const parse = (v: unknown) => {
      calls++;
      return typeof v === 'string' && v.startsWith('2026') ? Date.parse(v) : undefined;
    };
    const first = c.instants(3, parse);
    const callsAfterFirst = calls;
    assert.equal(first[0], Date.parse('2026-01-01'));
    assert.ok(Number.isNaN(first[1]) && Number.isNaN(first[2]));
    assert.equal(c.instants(3, parse), first);
    assert.equal(calls, callsAfterFirst);
  });
});
