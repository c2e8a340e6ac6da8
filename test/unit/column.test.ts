import assert from 'node:assert/strict';
import { Bitset } from '../../server/src/engine/bitset';
import { Column } from '../../server/src/engine/column';
import { asciiHash } from '../../server/src/engine/eventLine';
import { referenceTime } from '../../server/src/engine/time';
import { compileValueFilter } from '../../server/src/engine/valueFilter';

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
      assert.deepEqual(
        values.map((_, row) => c.get(row)),
        ['Boston', undefined, 'Berlin', 'Boston', undefined, 'Paris'],
      );
      assert.deepEqual(
        select(c, 6, (v) => v === 'Boston'),
        [0, 3],
      );
      assert.deepEqual(
        select(c, 6, () => false, true),
        [1, 4],
      );
      assert.equal(c.presentCount, 4);
    }
  });

  it('keeps distinct texts (emails) in one string with offsets, empty texts included', () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? undefined : i % 11 === 0 ? '' : `person${i}@example.com`));
    const column = columnOf(values);
    assert.equal(column.serialize().kind, 'strings');
    for (const c of [column, roundTrip(column)]) {
      assert.deepEqual(
        values.map((_, row) => c.get(row)),
        values,
      );
      assert.deepEqual(select(c, 3000, (v) => v === '').length, values.filter((v) => v === '').length);
      assert.deepEqual(select(c, 3000, () => true, false).length, values.filter((v) => v !== undefined).length);
    }
  });

  it('keeps distinct numbers in a Float64Array, and mixed types as plain values', () => {
    const numbers = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? undefined : i * 1.25));
    const n = columnOf(numbers);
    assert.equal(n.serialize().kind, 'numbers');
    assert.deepEqual(
      numbers.map((_, row) => roundTrip(n).get(row)),
      numbers,
    );
    const mixed = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `t${i}` : i));
    const m = columnOf(mixed);
    assert.equal(m.serialize().kind, 'raw');
    assert.deepEqual(
      mixed.map((_, row) => roundTrip(m).get(row)),
      mixed,
    );
  });

  it('finds a text or a list of texts given as bytes in the same dictionary entry as the value itself', () => {
    const bytes = Buffer.from('"Vinyl" "Pop" "Jazz"', 'latin1');
    const text = (start: number, end: number) => bytes.toString('latin1', start, end);
    const token = (start: number, end: number) => ({ start, end, hash: asciiHash(text(start, end)) });
    const vinyl = token(1, 6);
    const pop = token(9, 12);
    const column = new Column();
    column.set(0, 'Vinyl');
    column.setAscii(1, bytes, vinyl.start, vinyl.end, vinyl.hash, text);
    column.setAscii(2, bytes, pop.start, pop.end, pop.hash, text);
    column.set(3, 'Pop');
    const tokens = { starts: Int32Array.of(1, 9), ends: Int32Array.of(6, 12), hashes: Int32Array.of(vinyl.hash, pop.hash) };
    column.set(4, ['Vinyl', 'Pop']);
    column.setAsciiList(5, bytes, tokens, 0, 2, text);
    column.setAsciiList(6, bytes, tokens, 1, 1, text);
    column.set(7, ['Pop']);
    column.setAsciiList(8, bytes, tokens, 0, 0, text);
    column.setAscii(9, bytes, pop.start, pop.end, pop.hash, text);
    column.setAsciiList(10, bytes, tokens, 1, 1, text);
    assert.deepEqual(column.distinctValues, ['Vinyl', 'Pop', ['Vinyl', 'Pop'], ['Pop'], []]);
    assert.deepEqual(
      Array.from({ length: 11 }, (_, row) => column.get(row)),
      ['Vinyl', 'Vinyl', 'Pop', 'Pop', ['Vinyl', 'Pop'], ['Vinyl', 'Pop'], ['Pop'], ['Pop'], [], 'Pop', ['Pop']],
    );
    assert.equal(column.presentCount, 11);
  });

  it('reorders every kind of loading column, compacted or not, rows past its end missing', () => {
    const n = 70_000; // several chunks of plain values
    const kinds: Record<string, (i: number) => unknown> = {
      texts: (i) => (i % 5 === 0 ? undefined : `order-${i}${i % 7 === 0 ? '😀' : ''}`),
      numbers: (i) => (i % 6 === 0 ? undefined : i * 1.5),
      instants: (i) => (i % 4 === 0 ? undefined : new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace('.000Z', '+00:00')),
      mixed: (i) => (i % 3 === 0 ? i : `t${i}`),
      repeated: (i) => ['a', 'b', 'c', undefined][i % 4],
    };
    // Reversed, with two rows past the column's end (events without the property at the end).
    const order = Int32Array.from({ length: n + 2 }, (_, i) => n + 1 - i);
    for (const [kind, valueOf] of Object.entries(kinds)) {
      for (const compacted of [false, true]) {
        const column = new Column();
        for (let row = 0; row < n; row++) column.set(row, valueOf(row));
        if (compacted) column.compact();
        column.permute(order);
        column.finish();
        assert.equal(column.length, n + 2, kind);
        const wrong = Array.from({ length: n + 2 }, (_, row) => row).filter((row) => column.get(row) !== (order[row] < n ? valueOf(order[row]) : undefined));
        assert.deepEqual(wrong.slice(0, 5), [], `${kind}${compacted ? ' (compacted)' : ''}`);
        assert.equal(column.presentCount, Array.from({ length: n }, (_, row) => valueOf(row)).filter((v) => v !== undefined).length, kind);
      }
    }
  });

  it('keeps lists and objects as values (by content in a dictionary)', () => {
    const c = columnOf([['vip'], ['vip'], { a: 1 }, undefined]);
    assert.deepEqual(
      [0, 1, 2, 3].map((row) => roundTrip(c).get(row)),
      [['vip'], ['vip'], { a: 1 }, undefined],
    );
  });

  it('reorders rows while loading, and cannot change once finished', () => {
    const c = new Column();
    ['a', 'b', 'c'].forEach((v, row) => c.set(row, v));
    c.permute(Int32Array.from([2, 0, 1]));
    c.finish();
    assert.deepEqual(
      [0, 1, 2].map((row) => c.get(row)),
      ['c', 'a', 'b'],
    );
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

  it('round-trips a dictionary of 300,000 values (large enough to overflow a spread call)', () => {
    const column = new Column();
    for (let row = 0; row < 1_500_000; row++) column.set(row, `v${Math.floor(row / 5)}`);
    column.finish();
    assert.equal(column.serialize().kind, 'dict');
    const back = roundTrip(column);
    assert.equal(back.get(1_499_999), 'v299999');
    assert.equal(back.distinctValues?.length, 300_000);
  });

  it('keeps lists in a dictionary even when nearly every list is distinct (item lists of orders), set or appended from a thread', () => {
    // Two items from 60 products: 1,770 distinct lists over 2,000 rows, well past the point where
    // distinct texts go plain. A plain array per row costs far more than a code per row.
    const lists: string[][] = [];
    for (let a = 0; a < 60 && lists.length < 2000; a++) for (let b = a + 1; b < 60 && lists.length < 2000; b++) lists.push([`item ${a}`, `item ${b}`]);
    while (lists.length < 2000) lists.push(lists[lists.length % 100]);
    const direct = columnOf(lists);
    const half = new Column();
    lists.slice(0, 1000).forEach((list, row) => half.set(row, list));
    const other = new Column();
    lists.slice(1000).forEach((list, row) => other.set(row, list));
    half.append(Column.fromTransfer(other.toTransfer().transfer), 1000);
    half.finish();
    for (const c of [direct, half, roundTrip(direct)]) {
      assert.equal(c.serialize().kind, 'dict');
      assert.equal(c.distinctValues?.length, 1770);
      assert.deepEqual(c.get(1999), lists[1999]);
      assert.deepEqual(
        select(c, 2000, (v) => Array.isArray(v) && v.includes('item 59') && v.includes('item 58')),
        [1769],
      );
    }
    // Distinct texts still go plain (one string with offsets), as before.
    assert.equal(columnOf(Array.from({ length: 2000 }, (_, i) => `user${i}@example.com`)).serialize().kind, 'strings');
  });

  it('keys lists of texts by their texts, and never confuses a text with a list', () => {
    const values: unknown[] = [['a', 'b'], '\u0000["a","b"]', '\u0001', ['b', 'a'], ['a', 'b'], [], '', ['a', 1], ['a', 1], { a: 'b' }, '\u0001\u0000\u0001'];
    const column = new Column();
    values.forEach((value, row) => column.set(row, value));
    assert.deepEqual(column.distinctValues, [['a', 'b'], '\u0000["a","b"]', '\u0001', ['b', 'a'], [], '', ['a', 1], { a: 'b' }, '\u0001\u0000\u0001']);
    // The same from another thread's column: every value lands on its own code.
    const other = new Column();
    values.forEach((value, row) => other.set(row, value));
    const merged = new Column();
    merged.set(0, ['b', 'a']);
    merged.append(Column.fromTransfer(other.toTransfer().transfer), 1);
    merged.finish();
    assert.deepEqual(
      Array.from({ length: values.length + 1 }, (_, row) => merged.get(row)),
      [['b', 'a'], ...values],
    );
    assert.equal(merged.distinctValues?.length, 9);
  });

  it('keys lists by their JSON text past 65,535 distinct texts inside lists, with the same outcome', () => {
    const column = new Column();
    const rows = 70_000;
    for (let row = 0; row < rows; row++) column.set(row, [`item ${row}`, 'common']);
    column.set(rows, ['item 69999', 'common']);
    column.set(rows + 1, ['item 1', 'common']);
    column.finish();
    assert.equal(column.distinctValues?.length, rows);
    assert.deepEqual(column.get(rows), ['item 69999', 'common']);
    assert.deepEqual(
      select(column, rows + 2, (v) => Array.isArray(v) && v[0] === 'item 1'),
      [1, rows + 1],
    );
  });

  it('packs texts and numbers while loading goes on, and unpacks when a later row changes it', () => {
    const emails = Array.from({ length: 3000 }, (_, i) => (i % 7 === 3 ? undefined : `user${i}@example.com`));
    const texts = new Column();
    emails.forEach((v, row) => texts.set(row, v));
    texts.compact();
    assert.equal(texts.get(11), 'user11@example.com');
    assert.equal(texts.get(3), undefined);
    texts.set(3000, null); // a row without a value: nothing to unpack
    texts.finish();
    assert.equal(texts.serialize().kind, 'strings');
    assert.deepEqual(
      Array.from({ length: 3001 }, (_, row) => texts.get(row)),
      [...emails, undefined],
    );
    assert.deepEqual(select(texts, 3001, (v) => v === 'user2999@example.com', true).slice(-3), [2992, 2999, 3000]);

    const cities = new Column();
    ['Boston', undefined, 'Berlin', 'Boston'].forEach((v, row) => cities.set(row, v));
    cities.compact();
    assert.deepEqual(cities.distinctValues, ['Boston', 'Berlin']);
    assert.equal(cities.get(3), 'Boston');
    cities.set(5, 'Paris'); // a new value after packing: codes unpacked, the dictionary kept
    cities.set(6, 'Berlin');
    cities.finish();
    assert.equal(cities.serialize().kind, 'dict');
    assert.deepEqual(
      Array.from({ length: 7 }, (_, row) => cities.get(row)),
      ['Boston', undefined, 'Berlin', 'Boston', undefined, 'Paris', 'Berlin'],
    );
    assert.deepEqual(cities.distinctValues, ['Boston', 'Berlin', 'Paris']);

    const amounts = new Column();
    for (let row = 0; row < 3000; row++) amounts.set(row, row + 0.5);
    amounts.compact();
    amounts.set(3001, 'x'); // a list member missing from the profiles file
    amounts.finish();
    assert.equal(amounts.serialize().kind, 'raw');
    assert.deepEqual([amounts.get(4), amounts.get(3000), amounts.get(3001)], [4.5, undefined, 'x']);
    assert.equal(amounts.presentCount, 3001);
  });

  it('appends a column read on another thread after its own rows, merging dictionaries', () => {
    const mine = new Column();
    ['a', 'b', undefined, 'a'].forEach((v, row) => mine.set(row, v));
    const theirs = new Column();
    ['c', undefined, 'a'].forEach((v, row) => theirs.set(row, v));
    mine.append(Column.fromTransfer(theirs.toTransfer().transfer), 5);
    mine.finish();
    assert.deepEqual(
      Array.from({ length: 8 }, (_, row) => mine.get(row)),
      ['a', 'b', undefined, 'a', undefined, 'c', undefined, 'a'],
    );
    assert.equal(mine.presentCount, 5);
    assert.deepEqual(mine.distinctValues, ['a', 'b', 'c']);

    // Plain values on either side: row by row.
    const numbers = new Column();
    for (let row = 0; row < 3000; row++) numbers.set(row, row * 1.5);
    const more = new Column();
    more.set(1, 'x');
    numbers.append(Column.fromTransfer(more.toTransfer().transfer), 3000);
    numbers.finish();
    assert.equal(numbers.get(2999), 2999 * 1.5);
    assert.equal(numbers.get(3000), undefined);
    assert.equal(numbers.get(3001), 'x');
    assert.equal(numbers.presentCount, 3001);
  });

  it('posts distinct texts and numbers packed, and appends them row by row', () => {
    const texts = new Column();
    for (let row = 0; row < 2000; row++) if (row % 3) texts.set(row, `order-${row}`);
    const sent = texts.toTransfer();
    assert.equal(typeof sent.transfer.text, 'string');
    assert.equal(sent.buffers.length, 2);
    const amounts = new Column();
    for (let row = 0; row < 2000; row++) amounts.set(row, row + 0.25);
    assert.ok(amounts.toTransfer().transfer.numbers instanceof Float64Array);

    const target = new Column();
    target.set(0, 'order-x');
    target.append(Column.fromTransfer(sent.transfer), 1);
    target.finish();
    assert.equal(target.get(0), 'order-x');
    assert.equal(target.get(1), undefined);
    assert.equal(target.get(2), 'order-1');
    assert.equal(target.get(2000), 'order-1999');
    assert.equal(target.presentCount, 1 + 1333);

    const sums = new Column();
    sums.append(Column.fromTransfer(amounts.toTransfer().transfer), 10);
    sums.finish();
    assert.equal(sums.get(9), undefined);
    assert.equal(sums.get(10), 0.25);
    assert.equal(sums.get(2009), 1999.25);
  });

  it('selects numbers and texts in place exactly as the filter tests each value', () => {
    const ref = referenceTime(Date.parse('2026-11-01T12:00:00Z'));
    // Each row as the filter's own test reads it (missing: matchesMissing).
    const expected = (column: Column, rows: number, filter: { test: (v: unknown) => boolean; matchesMissing: boolean }) =>
      Array.from({ length: rows }, (_, row) => row).filter((row) => {
        const value = column.get(row);
        return value === undefined ? filter.matchesMissing : filter.test(value);
      });
    const huge = JSON.parse('1e400') as number; // Infinity, as JSON can spell it
    const numbers = Array.from({ length: 3000 }, (_, i) =>
      i % 9 === 0 ? undefined : i % 97 === 0 ? huge : i % 89 === 0 ? -huge : i % 83 === 0 ? -0 : (i - 1500) * 0.5 + 49.5,
    );
    const n = columnOf(numbers);
    assert.equal(n.serialize().kind, 'numbers');
    const numericFilters = [
      ...['equals', 'not-equals', 'greater-than', 'greater-than-or-equal', 'less-than', 'less-than-or-equal'].flatMap((operator) =>
        [0, 49.5, -150.5, huge].map((value) => ({ type: 'numeric', operator, value })),
      ),
      { type: 'numeric', operator: 'between', start: -10.5, end: 49.5 },
      { type: 'existence', operator: 'not-set' },
    ];
    for (const json of numericFilters) {
      const filter = compileValueFilter(json, ref);
      if ('notEvaluable' in filter) throw new Error(filter.notEvaluable);
      assert.deepEqual(select(n, 3000, filter.test, filter.matchesMissing), expected(n, 3000, filter), JSON.stringify(json));
      const rowTest = n.rowTest(filter.test, filter.matchesMissing);
      assert.deepEqual(Array.from({ length: 3000 }, (_, row) => row).filter(rowTest), expected(n, 3000, filter), `rowTest ${JSON.stringify(json)}`);
    }
    const texts = Array.from({ length: 3000 }, (_, i) =>
      i % 7 === 0
        ? undefined
        : i % 11 === 0
          ? ''
          : i % 13 === 0
            ? '@hotmail.com'
            : `p${i}@${['hotmail.com', 'hotmail.co.uk', 'gmail.com', 'hötmail.com', 'x😀'][i % 5]}`,
    );
    const t = columnOf(texts);
    assert.equal(t.serialize().kind, 'strings');
    for (const operator of ['equals', 'not-equals', 'starts-with', 'not-starts-with', 'ends-with', 'not-ends-with', 'contains'])
      for (const value of ['@hotmail.com', 'hotmail.com', 'p14@gmail.com', 'p1', '', 'x😀', '😀', 'a-much-longer-text-than-any-value@hotmail.com']) {
        const filter = compileValueFilter({ type: 'string', operator, value }, ref);
        if ('notEvaluable' in filter) throw new Error(filter.notEvaluable);
        for (const c of [t, roundTrip(t)])
          assert.deepEqual(select(c, 3000, filter.test, filter.matchesMissing), expected(c, 3000, filter), `${operator} ${JSON.stringify(value)}`);
      }
  });

  it('selects in a dictionary exactly as the filter tests each value, rows past the end of the column missing', () => {
    const ref = referenceTime(Date.parse('2026-11-01T12:00:00Z'));
    // 1,200 rows of a few repeated values (a dictionary), every fifth missing; 1,500 rows asked for.
    const values = Array.from({ length: 1200 }, (_, i) => (i % 5 === 0 ? undefined : [0.25, 0.6, 0.75, 'high', true, 200][i % 6]));
    for (const column of [columnOf(values), roundTrip(columnOf(values))]) {
      assert.equal(column.serialize().kind, 'dict');
      for (const json of [
        { type: 'numeric', operator: 'greater-than', value: 0.6 },
        { type: 'numeric', operator: 'greater-than', value: 1000 },
        { type: 'string', operator: 'equals', value: 'high' },
        { type: 'boolean', operator: 'equals', value: true },
        { type: 'existence', operator: 'is-set' },
        { type: 'existence', operator: 'not-set' },
      ]) {
        const filter = compileValueFilter(json, ref);
        if ('notEvaluable' in filter) throw new Error(filter.notEvaluable);
        const expected = Array.from({ length: 1500 }, (_, row) => row).filter((row) => {
          const value = row < values.length ? values[row] : undefined;
          return value === undefined ? filter.matchesMissing : filter.test(value);
        });
        assert.deepEqual(select(column, 1500, filter.test, filter.matchesMissing), expected, JSON.stringify(json));
      }
    }
  });

  it('reads a column from the cache when it is first used', () => {
    let loads = 0;
    const lazy = Column.deserialize({
      kind: 'lazy',
      rows: 3,
      present: 2,
      load: () => (loads++, { kind: 'raw', rows: 3, present: 2, values: [['Blue Train', 'Kind of Blue'], undefined, [1, 'b']] }),
    });
    assert.equal(lazy.presentCount, 2);
    assert.equal(lazy.length, 3);
    assert.equal(loads, 0);
    assert.deepEqual(lazy.get(0), ['Blue Train', 'Kind of Blue']);
    assert.equal(loads, 1);
    assert.equal(lazy.get(1), undefined);
    assert.deepEqual(
      select(lazy, 3, (v) => Array.isArray(v) && v.includes('b')),
      [2],
    );
    assert.equal(lazy.serialize().kind, 'raw');
    assert.equal(loads, 1);
  });

  it('tests texts in place in the joined string exactly as on the sliced texts, rows in any order', () => {
    const texts = ['', 'ab', 'abab', 'xab', 'abx', 'b', 'a', 'bab', undefined, 'ab', 'aab', 'zzz', 'ba', 'abab@hotmail.com', 'hotmail.com', '@hotmail.com'];
    // Near misses: a needle's first, second or last character differs (a comparison that skips
    // one of them would take them).
    texts.push('x@hotmail.con', 'x#hotmail.com', 'x@xotmail.com', 'x@hotmail.cxm', 'abaq', 'qbab', 'xbab@x');
    // Enough distinct texts that the column keeps them joined rather than in a dictionary.
    for (let i = 0; i < 2000; i++) texts.push(i % 5 === 0 ? undefined : `${i % 3 ? 'x' : 'ab'}${i}${i % 7 ? '' : '@hotmail.com'}`);
    const column = columnOf(texts);
    assert.equal(column.serialize().kind, 'strings');
    const ref = referenceTime(Date.UTC(2026, 10, 1));
    const operators = ['equals', 'not-equals', 'contains', 'not-contains', 'starts-with', 'not-starts-with', 'ends-with', 'not-ends-with'];
    for (const operator of operators) {
      for (const value of ['', 'ab', 'b', 'a', '@hotmail.com', 'abab', 'q']) {
        const compiled = compileValueFilter({ type: 'string', operator, value }, ref);
        assert.ok('test' in compiled);
        const expected = texts.map((t) => (t === undefined ? false : compiled.test(t)));
        assert.deepEqual(
          select(column, texts.length, compiled.test),
          expected.flatMap((ok, row) => (ok ? [row] : [])),
          `${operator} ${value}`,
        );
        // Out of order and repeated (the contains scan remembers where it was).
        const rowTest = column.rowTest(compiled.test, false);
        for (const row of [12, 3, 3, 0, 15, 7, 1, 14, 2, 13, 5]) assert.equal(rowTest(row), expected[row], `${operator} ${value} row ${row}`);
      }
    }
  });

  it('answers an ends-with "@domain" by the text after each last "@" (addresses by domain), exactly as on the texts', () => {
    const tricky = ['a@b@hotmail.com', 'hotmail.com', '@hotmail.com', 'x@HOTMAIL.com', 'x@hotmail.com ', 'x@hotmail.co', '', 'x@', '@', 'x@@hotmail.com'];
    tricky.push('x@hotmail.com@', '😀@hotmail.com', 'x@x😀', 'x@ab.c.hotmail.com', 'x@hotmail.com.evil');
    const texts: (string | undefined)[] = [...tricky, undefined];
    for (let i = 0; i < 2000; i++) texts.push(i % 9 === 0 ? undefined : `p${i}@${['hotmail.com', 'gmail.com', 'yahoo.com', 'hotmail.co.uk'][i % 4]}`);
    const column = columnOf(texts);
    assert.equal(column.serialize().kind, 'strings');
    const ref = referenceTime(Date.UTC(2026, 10, 1));
    const rows = texts.length + 5; // rows past the column's end are missing
    for (const operator of ['ends-with', 'not-ends-with'])
      for (const value of ['@hotmail.com', '@', '@HOTMAIL.com', '@hotmail.co', '@@hotmail.com', 'hotmail.com', '@x😀', '@nowhere.example']) {
        const compiled = compileValueFilter({ type: 'string', operator, value }, ref);
        assert.ok('test' in compiled);
        for (const missing of [false, true]) {
          const wanted = Array.from({ length: rows }, (_, row) => row).filter((row): boolean => {
            const text = texts[row];
            return text === undefined ? missing : compiled.test(text);
          });
          assert.deepEqual(select(column, rows, compiled.test, missing), wanted, `${operator} ${JSON.stringify(value)} missing ${missing}`);
        }
      }
    assert.deepEqual([...(column.indexedDomains ?? [])].sort(), [
      '',
      'HOTMAIL.com',
      'ab.c.hotmail.com',
      'gmail.com',
      'hotmail.co',
      'hotmail.co.uk',
      'hotmail.com',
      'hotmail.com ',
      'hotmail.com.evil',
      'x😀',
      'yahoo.com',
    ]);

    // Texts that are not addresses (a different "domain" nearly every row): no index, the same answers.
    const other = Array.from({ length: 3000 }, (_, i) => (i % 2 ? `note ${i}@part ${i}` : `plain ${i}`));
    const notAddresses = columnOf(other);
    const endsWith = compileValueFilter({ type: 'string', operator: 'ends-with', value: '@part 7' }, ref);
    assert.ok('test' in endsWith);
    assert.deepEqual(select(notAddresses, 3000, endsWith.test), [7]);
    assert.equal(notAddresses.indexedDomains, undefined);
  });

  it('keeps per-row codes and distinct instants once per column', () => {
    const column = columnOf(['2020-05-01', undefined, 'x', '2020-05-01', '1990-01-02', 7]);
    const parse = (v: unknown) =>
      typeof v === 'string' && v.startsWith('19') ? Date.UTC(1990, 0, 2) : typeof v === 'string' && v.startsWith('20') ? Date.UTC(2020, 4, 1) : undefined;
    const distinct = column.distinctInstants(6, parse)!;
    assert.deepEqual(Array.from(distinct.values), [Date.UTC(2020, 4, 1), Date.UTC(1990, 0, 2)]);
    assert.deepEqual(Array.from(distinct.index), [0, -1, -1, 0, 1, -1]);
    assert.equal(column.distinctInstants(6, parse), distinct);
    let reads = 0;
    const read = (v: unknown) => (reads++, typeof v === 'string' ? v.length : 0);
    const codes = column.codes('length', 6, read);
    assert.deepEqual(Array.from(codes), [10, 0, 1, 10, 10, 0]);
    assert.equal(column.codes('length', 6, read), codes);
    assert.equal(reads, 4);
    // Past 65,536 distinct instants the column keeps no distinct index.
    const many = columnOf(Array.from({ length: 70_000 }, (_, i) => i));
    assert.equal(
      many.distinctInstants(70_000, (v) => v as number),
      undefined,
    );
  });
});
