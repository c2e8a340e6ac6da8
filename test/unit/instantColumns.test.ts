import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Bitset } from '../../server/src/engine/bitset';
import { Column } from '../../server/src/engine/column';
import { canonicalInstant, instantText, parseInstant, referenceTime } from '../../server/src/engine/time';
import { compileValueFilter } from '../../server/src/engine/valueFilter';

/** Builds a finished column from values by row (undefined: missing). */
function columnOf(values: readonly unknown[]): Column {
  const column = new Column();
  values.forEach((value, row) => column.set(row, value));
  column.finish();
  return column;
}

const rowsOf = (column: Column, rows: number) => Array.from({ length: rows }, (_, row) => column.get(row));

/** Canonical date-times one hour and a few seconds apart from 2023-11-01, every seventh row missing. */
function dateTimes(rows: number): (string | undefined)[] {
  const start = Date.UTC(2023, 10, 1, 1, 0, 0);
  return Array.from({ length: rows }, (_, row) => (row % 7 === 3 ? undefined : instantText(start + row * 3_607_000, 'date-time')));
}

const FIRST = Date.UTC(0, 0, 1) - 1900 * 365.2425 * 86_400_000; // about 0000-01-01
const LAST = Date.UTC(9999, 11, 31, 23, 59, 59);

describe('instants kept as numbers (texts written the way Klaviyo writes datetimes)', () => {
  it('reads a canonical date-time or date and writes the very same text back, for any second of years 0000-9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: Math.ceil(FIRST / 1000), max: LAST / 1000 }), (seconds) => {
        const ms = seconds * 1000;
        const text = instantText(ms, 'date-time');
        assert.match(text, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
        assert.equal(canonicalInstant(text, 'date-time'), ms);
        assert.equal(parseInstant(text), ms);
        const midnight = ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
        const date = instantText(midnight, 'date');
        assert.equal(date, text.slice(0, 10));
        assert.equal(canonicalInstant(date, 'date'), midnight);
        assert.equal(parseInstant(date), midnight);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves every other way of writing an instant to be kept as text', () => {
    for (const text of [
      '2023-11-01T01:00:00Z',
      '2023-11-01T01:00:00.000+00:00',
      '2023-11-01T02:00:00+01:00',
      '2023-11-01 01:00:00+00:00',
      '2023-11-01T01:00:00-00:00',
      '2023-02-29T01:00:00+00:00',
      '2023-11-31T01:00:00+00:00',
      '2023-11-01T24:00:00+00:00',
      '2023-11-01T01:60:00+00:00',
      '2023-11-0aT01:00:00+00:00',
      '２023-11-01T01:00:00+00:00',
    ])
      assert.ok(Number.isNaN(canonicalInstant(text, 'date-time')), text);
    for (const text of ['2023-02-29', '2023-13-01', '2023-1-01 ', '20231101xx', '2023/11/01']) assert.ok(Number.isNaN(canonicalInstant(text, 'date')), text);
    assert.ok(Number.isNaN(canonicalInstant('2023-11-01', 'date-time')));
  });

  it('keeps a column of canonical date-times as instants: the same texts, filters, instants and cache round trip', () => {
    const rows = 40_000;
    const values = dateTimes(rows);
    const column = columnOf(values);
    const stored = column.serialize();
    assert.equal(stored.kind, 'instants');
    assert.deepEqual(rowsOf(column, rows), values);
    const cached = Column.deserialize(column.serialize());
    assert.deepEqual(rowsOf(cached, rows), values);

    // A text filter sees the same texts as it would in a column of texts.
    const test = (value: unknown) => typeof value === 'string' && value.startsWith('2024-0') && value.endsWith(':07+00:00');
    const out = new Bitset(rows);
    column.select(rows, test, false, out);
    const expected = values.flatMap((value, row) => (test(value) ? [row] : []));
    assert.ok(expected.length > 50);
    assert.deepEqual(out.toArray(), expected);

    // The instants are what parseInstant reads from each text, kept once.
    const instants = column.instants(rows, parseInstant);
    values.forEach((value, row) => assert.equal(instants[row], value === undefined ? NaN : parseInstant(value), `row ${row}`));
    assert.equal(column.instants(rows, parseInstant), instants);
    // More rows than the column has (profiles after its last value): missing.
    const longer = columnOf(values).instants(rows + 3, parseInstant);
    assert.deepEqual([...longer.subarray(rows - 2)], [instants[rows - 2], instants[rows - 1], NaN, NaN, NaN]);
  });

  it('summarises a column kept as instants as it would its texts: types, and the most common values in order of first appearance', () => {
    const rows = 40_000;
    const start = Date.UTC(2024, 0, 1);
    // 15,000 distinct times, each two or three times: too many for a dictionary.
    const values = Array.from({ length: rows }, (_, row) => (row % 11 === 0 ? undefined : instantText(start + ((row * 7919) % 15_000) * 61_000, 'date-time')));
    const column = columnOf(values);
    assert.equal(column.serialize().kind, 'instants');
    const counts = new Map<string, number>();
    for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    const expected = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([value, count]) => ({ value, count }));
    const present = values.filter((value) => value !== undefined).length;
    assert.deepEqual(
      column.summarize(rows, 5, (text) => parseInstant(text) !== undefined),
      { present, types: { date: present }, topValues: expected, distinct: undefined },
    );
    assert.deepEqual(column.summarize(rows, 0).types, { string: present });
  });

  it('tests text filters on a column kept as instants exactly as on its texts, in place and row by row', () => {
    const rows = 20_000;
    const values = dateTimes(rows);
    const column = columnOf(values);
    assert.equal(column.serialize().kind, 'instants');
    const ref = referenceTime(Date.UTC(2026, 10, 1));
    const operators = ['equals', 'not-equals', 'contains', 'not-contains', 'starts-with', 'not-starts-with', 'ends-with', 'not-ends-with', 'in'];
    for (const operator of operators) {
      for (const value of ['2024-0', values[5] as string, ':07+00:00', 'T1', '', 'nothing']) {
        const compiled = compileValueFilter({ type: 'string', operator, value: operator === 'in' ? [value, values[9]] : value }, ref);
        assert.ok('test' in compiled, `${operator} ${value}`);
        const expected = values.map((text) => text !== undefined && compiled.test(text));
        const out = new Bitset(rows);
        column.select(rows, compiled.test, false, out);
        assert.deepEqual(
          out.toArray(),
          expected.flatMap((ok, row) => (ok ? [row] : [])),
          `${operator} ${value}`,
        );
        const rowTest = column.rowTest(compiled.test, true);
        for (const row of [17, 3, 3, 0, 9, 5, 19_999, 1])
          assert.equal(rowTest(row), values[row] === undefined ? true : expected[row], `${operator} ${value} row ${row}`);
      }
    }
  });

  it('keeps a column of dates alone as instants too, and gives each date back', () => {
    const values = Array.from({ length: 20_000 }, (_, row) => (row % 3 === 0 ? undefined : instantText(Date.UTC(1950, 0, 1 + row), 'date')));
    const column = columnOf(values);
    assert.equal(column.serialize().kind, 'instants');
    assert.deepEqual(rowsOf(column, values.length), values);
  });

  it('keeps texts when one of them is written another way, when dates and date-times mix, or when a number is among them', () => {
    const rows = 40_000;
    // The first chunks were packed as instants while loading; the odd text in a later one turns them back into texts.
    const odd = dateTimes(rows);
    odd[35_000] = '2024-01-01T00:00:00Z';
    const withOdd = columnOf(odd);
    assert.equal(withOdd.serialize().kind, 'strings');
    assert.deepEqual(rowsOf(withOdd, rows), odd);

    const mixed = dateTimes(rows);
    mixed[39_000] = '2024-01-01';
    const withDate = columnOf(mixed);
    assert.equal(withDate.serialize().kind, 'strings');
    assert.deepEqual(rowsOf(withDate, rows), mixed);

    const numbered: unknown[] = dateTimes(rows);
    numbered[1] = 1_700_000_000;
    const withNumber = columnOf(numbered);
    assert.equal(withNumber.serialize().kind, 'raw');
    assert.deepEqual(rowsOf(withNumber, rows), numbered);
  });

  it('takes a later write to a row already packed as an instant (a repeated profile record)', () => {
    const rows = 60_000;
    const values: (string | undefined)[] = dateTimes(rows);
    const column = new Column();
    values.forEach((value, row) => column.set(row, value));
    values[5] = '2020-02-29T12:34:56+00:00';
    values[6] = undefined;
    column.set(5, values[5]);
    column.clear(6);
    column.compact();
    assert.equal(column.serialize().kind, 'instants');
    assert.deepEqual(rowsOf(column, rows), values);
  });
});
