import type { Bitset } from './bitset';

const MISSING = -1;

/** A column as stored in the workspace cache: codes and dictionary, or the raw values. */
export interface SerializedColumn {
  rows: number;
  present: number;
  codes?: Int32Array;
  dict?: unknown[];
  raw?: unknown[];
}

export interface ColumnSummary {
  /** Rows with a value. */
  present: number;
  /** Rows per value type. */
  types: Record<string, number>;
  /** The most common values, most common first. */
  topValues: { value: unknown; count: number }[];
  /** Distinct values, when known (dictionary-encoded columns). */
  distinct: number | undefined;
}

/**
 * One attribute of many rows (a profile property, an event property), stored compactly:
 * dictionary-encoded while the values repeat (cities, categories, booleans), switching to a plain
 * array when nearly every value is distinct (emails, timestamps). `null` is stored as missing:
 * the semantics treat null like an absent value.
 */
export class Column {
  private codes: Int32Array | undefined = new Int32Array(16).fill(MISSING);
  private readonly dict: unknown[] = [];
  private readonly index = new Map<unknown, number>();
  private raw: unknown[] | undefined;
  private rows = 0;
  private present = 0;

  /** Number of rows with a value. */
  get presentCount(): number {
    return this.present;
  }

  get length(): number {
    return this.rows;
  }

  /** Distinct values while dictionary-encoded, else undefined. */
  get distinctValues(): readonly unknown[] | undefined {
    return this.raw ? undefined : this.dict;
  }

  set(row: number, value: unknown): void {
    if (row >= this.rows) this.rows = row + 1;
    if (value === undefined || value === null) return;
    this.present++;
    if (this.raw) {
      this.raw[row] = value;
      return;
    }
    const key = typeof value === 'object' ? `\u0000${JSON.stringify(value)}` : value;
    let code = this.index.get(key);
    if (code === undefined) {
      code = this.dict.length;
      this.dict.push(value);
      this.index.set(key, code);
      if (this.dict.length > 1024 && this.dict.length * 4 > this.present) {
        this.toRaw()[row] = value;
        return;
      }
    }
    this.ensureCapacity(row + 1);
    (this.codes as Int32Array)[row] = code;
  }

  private instantsCache: Float64Array | undefined;

  /**
   * Each row's value read as an instant by `parse` (NaN when missing or not a date), computed once
   * per column: date filters then compare numbers instead of parsing a million texts each time.
   */
  instants(rows: number, parse: (value: unknown) => number | undefined): Float64Array {
    if (this.instantsCache && this.instantsCache.length === rows) return this.instantsCache;
    const out = new Float64Array(rows).fill(NaN);
    if (this.raw) {
      for (let row = 0; row < rows; row++) {
        const value = this.raw[row];
        if (value !== undefined) out[row] = parse(value) ?? NaN;
      }
    } else {
      const parsed = this.dict.map((value) => parse(value) ?? NaN);
      const codes = this.codes as Int32Array;
      for (let row = 0; row < Math.min(rows, codes.length); row++) if (codes[row] !== MISSING) out[row] = parsed[codes[row]];
    }
    return (this.instantsCache = out);
  }

  /** Removes a row's value (a profile record replaced by a later one). */
  clear(row: number): void {
    if (row >= this.rows) return;
    if (this.raw) {
      if (this.raw[row] !== undefined) this.present--;
      this.raw[row] = undefined;
    } else if (this.codes && row < this.codes.length && this.codes[row] !== MISSING) {
      this.present--;
      this.codes[row] = MISSING;
    }
  }

  get(row: number): unknown {
    if (this.raw) return this.raw[row];
    const code = row < (this.codes as Int32Array).length ? (this.codes as Int32Array)[row] : MISSING;
    return code === MISSING ? undefined : this.dict[code];
  }

  /**
   * Adds to `out` every row in [0, rows) whose value passes `test`, and the rows without a value
   * when `missing` is true. In dictionary mode `test` runs once per distinct value.
   */
  select(rows: number, test: (value: unknown) => boolean, missing: boolean, out: Bitset): void {
    if (this.raw) {
      for (let row = 0; row < rows; row++) {
        const value = this.raw[row];
        if (value === undefined ? missing : test(value)) out.add(row);
      }
      return;
    }
    const pass = this.dict.map((value) => test(value));
    const codes = this.codes as Int32Array;
    for (let row = 0; row < rows; row++) {
      const code = row < codes.length ? codes[row] : MISSING;
      if (code === MISSING ? missing : pass[code]) out.add(row);
    }
  }

  /** A per-row test that evaluates `test` once per distinct value where it can. */
  rowTest(test: (value: unknown) => boolean, missing: boolean): (row: number) => boolean {
    if (this.raw) {
      const raw = this.raw;
      return (row) => {
        const value = raw[row];
        return value === undefined ? missing : test(value);
      };
    }
    const pass = this.dict.map((value) => test(value));
    const codes = this.codes as Int32Array;
    return (row) => {
      const code = row < codes.length ? codes[row] : MISSING;
      return code === MISSING ? missing : pass[code];
    };
  }

  /**
   * Value types and the most common values over rows [0, rows): for completion and hovers.
   * Types are `string`, `number`, `boolean`, `list`, `date` (a text that parses as a date) and
   * `object`.
   */
  summarize(rows: number, top = 10, isDate: (value: string) => boolean = () => false): ColumnSummary {
    const types: Record<string, number> = {};
    const counts = new Map<unknown, { value: unknown; count: number }>();
    const note = (value: unknown, times: number) => {
      const type = Array.isArray(value) ? 'list' : typeof value === 'string' ? (isDate(value) ? 'date' : 'string') : typeof value;
      types[type] = (types[type] ?? 0) + times;
      const key = typeof value === 'object' ? `\u0000${JSON.stringify(value)}` : value;
      const entry = counts.get(key);
      if (entry) entry.count += times;
      else if (counts.size < 50_000) counts.set(key, { value, count: times });
    };
    let present = 0;
    if (this.raw) {
      for (let row = 0; row < rows; row++) {
        const value = this.raw[row];
        if (value === undefined) continue;
        present++;
        note(value, 1);
      }
    } else {
      const codes = this.codes as Int32Array;
      const perCode = new Uint32Array(this.dict.length);
      for (let row = 0; row < Math.min(rows, codes.length); row++) if (codes[row] !== MISSING) perCode[codes[row]]++;
      this.dict.forEach((value, code) => {
        if (perCode[code] === 0) return;
        present += perCode[code];
        note(value, perCode[code]);
      });
    }
    const topValues = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, top);
    return { present, types, topValues, distinct: this.raw ? undefined : counts.size };
  }

  /** Reorders rows: row i of the result is row `order[i]` of this column. */
  permute(order: Int32Array): void {
    if (this.raw) {
      const raw = this.raw;
      this.raw = Array.from(order, (from) => raw[from]);
    } else {
      const codes = this.codes as Int32Array;
      const next = new Int32Array(order.length);
      for (let i = 0; i < order.length; i++) next[i] = order[i] < codes.length ? codes[order[i]] : MISSING;
      this.codes = next;
    }
    this.rows = order.length;
  }

  /** The column's content, for the on-disk workspace cache. */
  serialize(): SerializedColumn {
    if (this.raw) return { rows: this.rows, present: this.present, raw: this.raw };
    return { rows: this.rows, present: this.present, codes: (this.codes as Int32Array).subarray(0, this.rows), dict: this.dict };
  }

  static deserialize(data: SerializedColumn): Column {
    const column = new Column();
    column.rows = data.rows;
    column.present = data.present;
    if (data.raw) {
      column.raw = data.raw;
      column.codes = undefined;
    } else {
      column.codes = data.codes ?? new Int32Array(0);
      for (const value of data.dict ?? []) {
        column.index.set(typeof value === 'object' ? `\u0000${JSON.stringify(value)}` : value, column.dict.length);
        column.dict.push(value);
      }
    }
    return column;
  }

  /** Releases spare capacity after loading. */
  trim(): void {
    if (this.codes && this.codes.length > this.rows) this.codes = this.codes.slice(0, this.rows);
  }

  private ensureCapacity(size: number): void {
    const codes = this.codes as Int32Array;
    if (size <= codes.length) return;
    let capacity = codes.length * 2;
    while (capacity < size) capacity *= 2;
    const next = new Int32Array(capacity).fill(MISSING);
    next.set(codes);
    this.codes = next;
  }

  private toRaw(): unknown[] {
    const codes = this.codes as Int32Array;
    const raw: unknown[] = new Array(this.rows);
    for (let row = 0; row < Math.min(this.rows, codes.length); row++) {
      if (codes[row] !== MISSING) raw[row] = this.dict[codes[row]];
    }
    this.raw = raw;
    this.codes = undefined;
    this.index.clear();
    this.dict.length = 0;
    return raw;
  }
}
