import { AsciiIndex, freeSlot } from './asciiIndex';
import { IdListIndex } from './idListIndex';
import type { Bitset } from './bitset';
import type { LineText } from './eventLine';
import { RowChunks } from './rowChunks';
import { instantText, parseInstant, type InstantFormat } from './time';
import { checkpoint } from './workBudget';

/** Dictionary codes: code + 1 in the smallest unsigned array that fits the dictionary; 0 = missing. */
type PackedCodes = Uint8Array | Uint16Array | Uint32Array;

/**
 * How a column keeps its values. While loading: dictionary codes in an array with room to grow,
 * widened as the dictionary grows (`building`), or plain values in chunks that pack as loading goes
 * on (`chunked`). Once finished: dictionary codes in an array of exactly one per row (`dict`), all
 * texts in one string with offsets (`strings`), all numbers in a Float64Array (`numbers`), or plain
 * values when the types are mixed (`raw`).
 */
type Storage =
  | { kind: 'building'; codes: PackedCodes }
  | { kind: 'chunked'; values: RowChunks }
  | { kind: 'raw'; values: unknown[] }
  | { kind: 'dict'; codes: PackedCodes }
  | { kind: 'strings'; text: string; offsets: Int32Array; present: Uint8Array }
  /** Texts that are all instants in one canonical format (see `canonicalInstant`), kept as the instants (NaN: missing). */
  | { kind: 'instants'; values: Float64Array; format: InstantFormat }
  | { kind: 'numbers'; values: Float64Array };

/** `Column.summarize` of a column kept as instants: counted by instant, only the most common written out. */
function summarizeInstants(
  storage: { values: Float64Array; format: InstantFormat },
  rows: number,
  top: number,
  isDate: (value: string) => boolean,
): ColumnSummary {
  const { values, format } = storage;
  const counts = new Map<number, number>();
  let present = 0;
  for (let row = 0; row < Math.min(rows, values.length); row++) {
    const value = values[row];
    if (value !== value) continue;
    present++;
    const count = counts.get(value);
    if (count !== undefined) counts.set(value, count + 1);
    else if (counts.size < MAX_SUMMARY_VALUES) counts.set(value, 1);
  }
  const topValues = [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([value, count]) => ({ value: instantText(value, format), count }));
  const first = [...counts.keys()][0];
  const type = first !== undefined && isDate(instantText(first, format)) ? 'date' : 'string';
  return { present, types: present > 0 ? { [type]: present } : {}, topValues, distinct: undefined };
}

/** Distinct values a summary of plain values counts (the most common are among them, in practice). */
const MAX_SUMMARY_VALUES = 50_000;

/** A column as stored in the workspace cache. */
export type SerializedColumn =
  | { kind: 'dict'; rows: number; present: number; codes: PackedCodes; dict: unknown[] }
  | { kind: 'strings'; rows: number; present: number; text: string; offsets: Int32Array; flags: Uint8Array }
  | { kind: 'numbers'; rows: number; present: number; values: Float64Array }
  | { kind: 'instants'; rows: number; present: number; values: Float64Array; format: InstantFormat }
  | { kind: 'raw'; rows: number; present: number; values: unknown[] }
  /** Read on first use (see `Column.storage`). */
  | { kind: 'lazy'; rows: number; present: number; load: () => Exclude<SerializedColumn, { kind: 'lazy' }> };

/** A loading column as plain data (see `Column.toTransfer`). */
export interface ColumnTransfer {
  rows: number;
  present: number;
  /** Dictionary codes (code + 1; 0: missing) and the dictionary. */
  codes?: PackedCodes;
  dict?: unknown[];
  /** All numbers (NaN: missing). */
  numbers?: Float64Array;
  /** All texts: one string, row i is text[offsets[i], offsets[i + 1]) where flags[i] is 1. */
  text?: string;
  offsets?: Int32Array;
  flags?: Uint8Array;
  /** Mixed plain values or lists, as a JSON array (null: missing). */
  json?: string;
}

/**
 * A test of one value. `inText`, when given, gives the same answer for the text
 * `text.slice(start, end)` without slicing it out (columns keep texts in one string).
 */
export interface ValueTest {
  (value: unknown): boolean;
  inText?: (text: string, start: number, end: number) => boolean;
  /**
   * When given, the test of a finite number is whether it lies in this interval (`inside`) or
   * outside it (`!inside`), and any other value fails: numeric columns then compare in place.
   */
  interval?: NumberInterval;
  /**
   * When given, the test of a text is whether `needle` is all of it, its start or its end (the
   * answer negated when `negate`), and any other value fails: text columns then compare in place
   * in one loop, where calling `inText` would call a new function for every filter compiled.
   */
  textPattern?: TextPattern;
}

/** A text filter as a comparison at one place (see `ValueTest.textPattern`). */
export interface TextPattern {
  needle: string;
  at: 'whole' | 'start' | 'end';
  negate: boolean;
}

/** A numeric filter as an interval (see `ValueTest.interval`); open ends are ±Infinity. */
export interface NumberInterval {
  lo: number;
  loInclusive: boolean;
  hi: number;
  hiInclusive: boolean;
  inside: boolean;
}

/**
 * Rows [0, rows) of a number array that pass `interval` (NaN: missing, added when `missing`);
 * one loop without a call per row.
 */
function selectInInterval(values: Float64Array, rows: number, interval: NumberInterval, missing: boolean, out: Bitset): void {
  const { lo, loInclusive, hi, hiInclusive, inside } = interval;
  const limit = Math.min(rows, values.length);
  for (let row = 0; row < limit; row++) {
    if ((row & 0xffff) === 0) checkpoint();
    const v = values[row];
    if (v - v === 0) {
      // Finite: ±Infinity gives NaN here and, as in the test, never passes.
      if (((loInclusive ? v >= lo : v > lo) && (hiInclusive ? v <= hi : v < hi)) === inside) out.add(row);
    } else if (missing && v !== v) out.add(row);
  }
  if (missing) for (let row = limit; row < rows; row++) out.add(row);
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

/** Bytes a code takes for a dictionary of `distinct` values (code + 1 must fit; 0 is missing). */
const codeBytes = (distinct: number) => (distinct < 0xff ? 1 : distinct < 0xffff ? 2 : 4);

/** A code array of `length` rows (all missing) wide enough for a dictionary of `distinct` values. */
function codeArray(length: number, distinct: number): PackedCodes {
  const bytes = codeBytes(distinct);
  return bytes === 1 ? new Uint8Array(length) : bytes === 2 ? new Uint16Array(length) : new Uint32Array(length);
}

/** Whether `codes` can hold the codes of a dictionary of `distinct` values. */
const wideEnough = (codes: PackedCodes, distinct: number) => codes.BYTES_PER_ELEMENT >= codeBytes(distinct);

/** Distinct instants of a column (see `Column.distinctInstants`). */
export interface DistinctInstants {
  values: Float64Array;
  /** Each row's index in `values`, -1 when it holds no instant. */
  index: Int32Array;
}

/** Past this many distinct instants a column keeps no distinct index (two Maps' worth of memory for no gain). */
const MAX_DISTINCT_INSTANTS = 1 << 16;

/**
 * The distinct instants among the first `rows` of `instants` (NaN: none) and each row's index
 * among them (-1 for NaN); undefined when more than `limit` are distinct.
 */
export function indexDistinct(instants: Float64Array | undefined, rows: number, limit = Infinity): DistinctInstants | undefined {
  const distinct = new Map<number, number>();
  const index = new Int32Array(rows).fill(-1);
  for (let row = 0; instants && row < rows; row++) {
    const t = instants[row];
    if (t !== t) continue; // NaN: no instant
    let i = distinct.get(t);
    if (i === undefined) {
      if (distinct.size >= limit) return undefined;
      distinct.set(t, (i = distinct.size));
    }
    index[row] = i;
  }
  return { values: Float64Array.from(distinct.keys()), index };
}

const dictKey = (value: unknown): unknown => (typeof value === 'object' ? `\u0000${JSON.stringify(value)}` : value);

/** Past this many distinct texts inside a column's lists, new lists are keyed by their JSON text (see `Column.internList`). */
const MAX_LIST_ELEMENTS = 0xffff;

/**
 * One attribute of many rows (a profile property, an event property), stored compactly:
 * dictionary-encoded while values repeat (cities, categories, booleans), and otherwise, once
 * loading is finished, as one string with offsets (emails, timestamps) or a Float64Array
 * (amounts). `null` is stored as missing: the semantics treat null like an absent value.
 */
export class Column {
  private stored: Storage | { kind: 'lazy'; load: () => Storage } = { kind: 'building', codes: new Uint8Array(16) };
  private readonly dict: unknown[] = [];
  private readonly index = new Map<unknown, number>();
  /** The texts inside the dictionary's lists, each once, numbered (see `internList`). */
  private readonly listTexts = new Map<string, number>();
  private readonly listTextById: string[] = [];
  /** The dictionary's lists of texts by their texts' numbers (see `internListIds`). */
  private listIndex: IdListIndex | undefined;
  /** Scratch room for a list's text numbers. */
  private listIds = new Int32Array(8);
  /** Finds the dictionary's texts by their bytes (see `setAscii`); made on first use, dropped with the index. */
  private asciiIndex: AsciiIndex | undefined;
  /** Finds the texts of the dictionary's lists by their bytes (see `setAsciiList`), as `asciiIndex`. */
  private listAsciiIndex: AsciiIndex | undefined;
  /** `index` holds every value of `dict` (not so for a column from another thread until it changes). */
  private indexed = true;
  /** The dictionary holds a list or an object (see `tooManyDistinct`). */
  private holdsObjects = false;
  /** Packed by `compact` while loading: still changeable (see `mutable`). */
  private compacted = false;
  private rows = 0;
  private present = 0;
  private instantsCache: Float64Array | undefined;
  private numbersCache: Float64Array | undefined;
  private codesCache: Map<string, Uint16Array> | undefined;
  private distinctInstantsCache: DistinctInstants | null | undefined;
  private instantTextsCache: { text: string; offsets: Int32Array; present: Uint8Array } | undefined;
  /** A finished column of texts by the text after each one's last "@" (`domainsOf`; null: not worth it). */
  private domainIndex: DomainIndex | null | undefined;

  /**
   * How the values are kept. A column read from the workspace cache is read and decoded when first
   * used (its dictionary too): reading and decoding millions of texts and lists when loading the
   * cache, for conditions that may never read them, took most of its time.
   */
  private get storage(): Storage {
    const stored = this.stored;
    return stored.kind === 'lazy' ? (this.stored = stored.load()) : stored;
  }

  private set storage(storage: Storage) {
    this.stored = storage;
  }

  /** Number of rows with a value. */
  get presentCount(): number {
    return this.present;
  }

  get length(): number {
    return this.rows;
  }

  /** The domains of the column's `DomainIndex`, once an `ends-with "@…"` made one (undefined before, or when it would not pay). */
  get indexedDomains(): readonly string[] | undefined {
    return this.domainIndex ? this.domainIndex.names.slice(1) : undefined;
  }

  /** Distinct values while dictionary-encoded, else undefined. */
  get distinctValues(): readonly unknown[] | undefined {
    return this.storage.kind === 'building' || this.storage.kind === 'dict' ? this.dict : undefined;
  }

  /**
   * `set` of a text of ASCII characters given as bytes [start, end) of `bytes` with their FNV-1a
   * hash (see `EventLine`): a text the dictionary holds is found without making a string; `text`
   * makes it otherwise.
   */
  setAscii(row: number, bytes: Uint8Array, start: number, end: number, hash: number, text: LineText): void {
    const storage = this.mutable();
    if (storage.kind === 'chunked') {
      this.set(row, text(start, end, true));
      return;
    }
    this.ensureIndexed();
    const index = (this.asciiIndex ??= new AsciiIndex(this.dict));
    const code = index.find(bytes, start, end, hash);
    if (code < 0) {
      const value = text(start, end, true);
      const distinct = this.dict.length;
      this.set(row, value);
      // The code set() gave it, unless the column left its dictionary for plain values.
      if (this.asciiIndex) index.add(hash, this.dict.length > distinct ? distinct : (this.index.get(value) as number));
      return;
    }
    if (row >= this.rows) this.rows = row + 1;
    this.present++;
    this.ensureCapacity(storage, row + 1)[row] = code + 1;
  }

  /**
   * `set` of a list of texts of ASCII characters given as `count` tokens from `first` of `starts`,
   * `ends` (bytes of `bytes`) and `hashes` (see `EventLine`): a list whose texts the column has
   * numbered is found without making a string; `text` makes the others.
   */
  setAsciiList(
    row: number,
    bytes: Uint8Array,
    tokens: { starts: Int32Array; ends: Int32Array; hashes: Int32Array },
    first: number,
    count: number,
    text: LineText,
  ): void {
    const { starts, ends, hashes } = tokens;
    const storage = this.mutable();
    if (storage.kind === 'building') {
      this.ensureIndexed();
      const ids = this.listIdsFor(count);
      const index = (this.listAsciiIndex ??= new AsciiIndex(this.listTextById));
      let i = 0;
      for (; i < count; i++) {
        const token = first + i;
        let id = index.find(bytes, starts[token], ends[token], hashes[token]);
        if (id < 0) {
          id = this.listTextId(text(starts[token], ends[token], true));
          if (id < 0) break; // past 65,535 texts: keyed by its JSON text, as set() does
          index.add(hashes[token], id);
        }
        ids[i] = id;
      }
      if (i === count) {
        const code = this.internListIds(ids, count);
        if (row >= this.rows) this.rows = row + 1;
        this.present++;
        this.ensureCapacity(storage, row + 1)[row] = code + 1;
        return;
      }
    }
    const list = new Array<string>(count);
    for (let i = 0; i < count; i++) list[i] = text(starts[first + i], ends[first + i], true);
    this.set(row, list);
  }

  /** Sets a row's value while loading. */
  set(row: number, value: unknown): void {
    if (row >= this.rows) this.rows = row + 1;
    if (value === undefined || value === null) return;
    this.present++;
    const storage = this.mutable();
    if (storage.kind === 'chunked') {
      storage.values.set(row, value);
      return;
    }
    const distinct = this.dict.length;
    const code = this.intern(value);
    // Nearly every value distinct (emails, timestamps): a dictionary only costs.
    if (this.dict.length > distinct && this.tooManyDistinct()) {
      this.toChunked().set(row, value);
      return;
    }
    this.ensureCapacity(storage, row + 1)[row] = code + 1;
  }

  /**
   * A column being loaded, as plain data another thread can post (typed arrays transfer), for
   * loading one file on several threads; `fromTransfer` rebuilds it, `append` merges it. The
   * column is spent: its codes move to the other thread as they are (a copy would hold them twice).
   */
  toTransfer(): { transfer: ColumnTransfer; buffers: ArrayBuffer[] } {
    const storage = this.mutable();
    const base = { rows: this.rows, present: this.present };
    if (storage.kind === 'building') {
      const codes = storage.codes.length > this.rows ? storage.codes.subarray(0, this.rows) : storage.codes;
      return { transfer: { ...base, codes, dict: this.dict }, buffers: [codes.buffer as ArrayBuffer] };
    }
    // Plain values packed as on finish(): posting a million numbers or texts one by one is slow.
    // Not as instants: the loading thread appends them value by value, and would write them out
    // as texts again (it finds the instants when it packs its own chunks).
    const packed = storage.values.pack(this.rows, false);
    if (packed?.kind === 'numbers') return { transfer: { ...base, numbers: packed.values }, buffers: [packed.values.buffer as ArrayBuffer] };
    if (packed?.kind === 'strings')
      return {
        transfer: { ...base, text: packed.text, offsets: packed.offsets, flags: packed.present },
        buffers: [packed.offsets.buffer as ArrayBuffer, packed.present.buffer as ArrayBuffer],
      };
    // Lists and mixed values: one JSON text posts and parses faster than a cloned array of arrays
    // (missing rows become null, which a column never holds).
    return { transfer: { ...base, json: JSON.stringify(storage.values.toArray(this.rows)) }, buffers: [] };
  }

  static fromTransfer(transfer: ColumnTransfer): Column {
    const column = new Column();
    column.rows = transfer.rows;
    column.present = transfer.present;
    if (transfer.numbers) {
      column.storage = { kind: 'numbers', values: transfer.numbers };
    } else if (transfer.text !== undefined && transfer.offsets && transfer.flags) {
      column.storage = { kind: 'strings', text: transfer.text, offsets: transfer.offsets, present: transfer.flags };
    } else if (transfer.json !== undefined) {
      const values = JSON.parse(transfer.json) as unknown[];
      const chunks = new RowChunks();
      for (let row = 0; row < values.length; row++) if (values[row] !== null) chunks.set(row, values[row]);
      column.storage = { kind: 'chunked', values: chunks };
    } else {
      column.storage = { kind: 'building', codes: transfer.codes ?? new Uint8Array(0) };
      // Not indexed: a column from another thread is read once, to be appended (see `intern`).
      for (const value of transfer.dict ?? []) column.dict.push(value);
      column.indexed = column.dict.length === 0;
    }
    return column;
  }

  /** Appends another loading column's rows after row `offset - 1` of this one (rows in between stay missing). */
  append(other: Column, offset: number): void {
    const source = other.storage;
    const target = this.mutable();
    if (source.kind === 'building' && target.kind === 'building') {
      // Map the other dictionary onto this one once, then copy codes (0, missing, stays 0).
      const remap = new Uint32Array(other.dict.length + 1);
      for (let code = 0; code < other.dict.length; code++) remap[code + 1] = this.intern(other.dict[code]) + 1;
      const rows = Math.min(other.rows, source.codes.length);
      const codes = this.ensureCapacity(target, offset + rows);
      for (let row = 0; row < rows; row++) {
        const code = source.codes[row];
        if (code !== 0) codes[offset + row] = remap[code];
      }
      this.present += other.present;
      if (offset + other.rows > this.rows) this.rows = offset + other.rows;
      // Too many distinct values together: plain values, as set() would have decided.
      if (this.tooManyDistinct()) this.toChunked();
      return;
    }
    for (let row = 0; row < other.rows; row++) {
      const value = other.get(row);
      if (value !== undefined) this.set(offset + row, value);
    }
    if (offset + other.rows > this.rows) this.rows = offset + other.rows;
  }

  /**
   * Makes room for rows [0, rows) at once while loading, before appending that many: growing the
   * codes by doubling would hold them twice for a moment and leave up to half of them unused.
   */
  reserve(rows: number): void {
    const storage = this.storage;
    if (storage.kind !== 'building' || storage.codes.length >= rows) return;
    const codes = codeArray(rows, this.dict.length);
    codes.set(storage.codes);
    storage.codes = codes;
  }

  /** Sets row `rows[i]` to row i of another column, for each of its rows with a value. */
  appendRows(other: Column, rows: Int32Array): void {
    for (let row = 0; row < other.rows; row++) {
      const value = other.get(row);
      if (value !== undefined) this.set(rows[row], value);
    }
  }

  /** Removes a row's value while loading (a profile record replaced by a later one). */
  clear(row: number): void {
    if (row >= this.rows) return;
    const storage = this.mutable();
    if (storage.kind === 'chunked') {
      if (storage.values.get(row) !== undefined) this.present--;
      storage.values.set(row, undefined);
    } else if (row < storage.codes.length && storage.codes[row] !== 0) {
      this.present--;
      storage.codes[row] = 0;
    }
  }

  /** Reorders rows while loading: row i of the result is row `order[i]` of this column. */
  permute(order: Int32Array): void {
    const storage = this.mutable();
    if (storage.kind === 'chunked') {
      const values = storage.values;
      const next = new RowChunks();
      for (let row = 0; row < order.length; row++) {
        const value = values.get(order[row]);
        if (value !== undefined) next.set(row, value);
      }
      this.storage = { kind: 'chunked', values: next };
    } else {
      const codes = storage.codes;
      const next = codeArray(order.length, this.dict.length);
      for (let i = 0; i < order.length; i++) next[i] = order[i] < codes.length ? codes[order[i]] : 0;
      this.storage = { kind: 'building', codes: next };
    }
    this.rows = order.length;
  }

  /**
   * Packs plain values (all texts or all numbers) and dictionary codes as `finish` would, while
   * loading goes on: a million e-mail addresses as separate strings take about twice the memory of
   * one string with offsets, and a code takes four bytes where one does, for the whole time the
   * events load. A later change of the column (rare: a list member missing from the profiles
   * file) unpacks it again.
   */
  compact(): void {
    const storage = this.storage;
    if (storage.kind === 'building') {
      // One code a row, without the room to grow.
      this.storage = { kind: 'dict', codes: exactCodes(storage.codes, this.rows, this.dict.length) };
      this.compacted = true;
      return;
    }
    if (storage.kind !== 'chunked') return;
    const packed = storage.values.pack(this.rows);
    if (!packed) return; // mixed types: they stay in chunks until finish()
    this.storage = packed;
    this.compacted = true;
  }

  /**
   * Ends loading: dictionary codes one a row without room to grow, and plain values packed into
   * one string with offsets (all texts) or a Float64Array (all numbers).
   */
  finish(): void {
    if (this.compacted) {
      this.compacted = false;
      // Rows past the packed ones (added without a value since) would read past its arrays.
      const storage = this.storage;
      const packedRows =
        storage.kind === 'numbers' || storage.kind === 'instants'
          ? storage.values.length
          : storage.kind === 'strings'
            ? storage.present.length
            : storage.kind === 'dict'
              ? storage.codes.length
              : this.rows;
      if (packedRows === this.rows) {
        this.dropIndex();
        return;
      }
      this.compacted = true;
      this.mutable();
    }
    const storage = this.storage;
    if (storage.kind === 'building') {
      this.storage = { kind: 'dict', codes: exactCodes(storage.codes, this.rows, this.dict.length) };
      this.dropIndex();
      return;
    }
    if (storage.kind !== 'chunked') return;
    this.storage = storage.values.pack(this.rows) ?? { kind: 'raw', values: storage.values.toArray(this.rows) };
  }

  get(row: number): unknown {
    const storage = this.storage;
    switch (storage.kind) {
      case 'building':
      case 'dict': {
        const code = row < storage.codes.length ? storage.codes[row] : 0;
        return code === 0 ? undefined : this.dict[code - 1];
      }
      case 'strings':
        return row < this.rows && storage.present[row] ? storage.text.slice(storage.offsets[row], storage.offsets[row + 1]) : undefined;
      case 'numbers': {
        const value = row < this.rows ? storage.values[row] : NaN;
        return value === value ? value : undefined; // NaN marks a missing value
      }
      case 'instants': {
        const value = row < this.rows ? storage.values[row] : NaN;
        return value === value ? instantText(value, storage.format) : undefined;
      }
      case 'chunked':
        return storage.values.get(row);
      case 'raw':
        return storage.values[row];
    }
  }

  /**
   * Adds to `out` every row in [0, rows) whose value passes `test`, and the rows without a value
   * when `missing` is true. With a dictionary, `test` runs once per distinct value.
   */
  select(rows: number, test: ValueTest, missing: boolean, out: Bitset): void {
    const storage = this.storage;
    if (storage.kind === 'numbers' && test.interval) return selectInInterval(storage.values, rows, test.interval, missing, out);
    const texts = storage.kind === 'strings' ? storage : storage.kind === 'instants' ? this.instantTexts(storage) : undefined;
    const pattern = test.textPattern;
    if (storage.kind === 'strings' && pattern?.at === 'end' && isDomainNeedle(pattern.needle) && !this.compacted) {
      const domains = (this.domainIndex ??= domainsOf(storage));
      if (domains) return selectByDomain(storage.present, domains, rows, pattern, missing, out);
    }
    if (texts && pattern) return selectByPattern(texts, rows, pattern, missing, out);
    if (texts && test.inText) return selectInText(texts, rows, test.inText, missing, out);
    if (storage.kind === 'dict' || storage.kind === 'building') return selectInDictionary(storage.codes, this.dict, rows, test, missing, out);
    const pass = this.rowTest(test, missing);
    for (let row = 0; row < rows; row++) {
      if ((row & 0xffff) === 0) checkpoint(); // cancellation and the condition's time budget
      if (pass(row)) out.add(row);
    }
  }

  /** A per-row test that evaluates `test` once per distinct value where it can. */
  rowTest(test: ValueTest, missing: boolean): (row: number) => boolean {
    const storage = this.storage;
    switch (storage.kind) {
      case 'building':
      case 'dict': {
        const pass = dictionaryPasses(this.dict, test, missing);
        const codes = storage.codes;
        return (row) => (row < codes.length ? pass[codes[row]] !== 0 : missing);
      }
      case 'strings':
      case 'instants': {
        const { text, offsets, present } = storage.kind === 'strings' ? storage : this.instantTexts(storage);
        const inText = test.inText;
        if (inText) return (row) => (row < present.length && present[row] ? inText(text, offsets[row], offsets[row + 1]) : missing);
        return (row) => (row < present.length && present[row] ? test(text.slice(offsets[row], offsets[row + 1])) : missing);
      }
      case 'numbers': {
        const values = storage.values;
        const interval = test.interval;
        if (interval) {
          const { lo, loInclusive, hi, hiInclusive, inside } = interval;
          return (row) => {
            const v = values[row];
            if (v - v !== 0) return v !== v && missing; // NaN: missing; ±Infinity never passes
            return ((loInclusive ? v >= lo : v > lo) && (hiInclusive ? v <= hi : v < hi)) === inside;
          };
        }
        return (row) => {
          const value = values[row];
          return value === value ? test(value) : missing;
        };
      }
      case 'chunked': {
        const values = storage.values;
        return (row) => {
          const value = values.get(row);
          return value === undefined ? missing : test(value);
        };
      }
      case 'raw': {
        const values = storage.values;
        return (row) => {
          const value = values[row];
          return value === undefined ? missing : test(value);
        };
      }
    }
  }

  /**
   * Each row's value when it is a finite number, else NaN, as one array (the column's own when it
   * holds only numbers; otherwise computed once): sums read it without a call per row.
   */
  numbers(rows: number): Float64Array {
    const storage = this.storage;
    if (storage.kind === 'numbers' && storage.values.length >= rows) return storage.values;
    if (this.numbersCache && this.numbersCache.length === rows) return this.numbersCache;
    return (this.numbersCache = this.readRows(rows, (value) => (typeof value === 'number' && Number.isFinite(value) ? value : NaN)));
  }

  /**
   * Each row's value read as an instant by `parse` (NaN when missing or not a date), computed once
   * per column: date filters then compare numbers instead of parsing a million texts each time.
   */
  instants(rows: number, parse: (value: unknown) => number | undefined): Float64Array {
    if (this.instantsCache && this.instantsCache.length === rows) return this.instantsCache;
    // Kept as instants: they are what parseInstant reads from their texts.
    const storage = this.storage;
    if (storage.kind === 'instants' && parse === parseInstant) {
      const values = storage.values;
      if (values.length === rows) return (this.instantsCache = values);
      // Rows past the column's last value (profiles without it) are missing.
      const all = new Float64Array(rows).fill(NaN);
      all.set(values.length > rows ? values.subarray(0, rows) : values);
      return (this.instantsCache = all);
    }
    return (this.instantsCache = this.readRows(rows, (value) => parse(value) ?? NaN));
  }

  /**
   * The column's instants (see `instants`) as their distinct values and each row's index among
   * them (-1: no instant), computed once per column, so that a date filter tests each distinct
   * date once (birthdays repeat the same few thousand days). Undefined when more than
   * `MAX_DISTINCT_INSTANTS` are distinct (creation times): testing each row is as fast then.
   */
  distinctInstants(rows: number, parse: (value: unknown) => number | undefined): DistinctInstants | undefined {
    const known = this.distinctInstantsCache;
    if (known === null && this.instantsCache?.length === rows) return undefined;
    if (known && known.index.length === rows) return known;
    const distinct = indexDistinct(this.instants(rows, parse), rows, MAX_DISTINCT_INSTANTS);
    this.distinctInstantsCache = distinct ?? null;
    return distinct;
  }

  /**
   * Each row's value read as a small code by `read` (0 when missing), computed once per column and
   * `name` (such as the country of a phone number): every evaluation and edit of the workspace
   * reuses it. Memory: two bytes a row per name; the names are the engine's, never user text.
   */
  codes(name: string, rows: number, read: (value: unknown) => number): Uint16Array {
    const known = this.codesCache?.get(name);
    if (known && known.length === rows) return known;
    const out = new Uint16Array(rows);
    const storage = this.storage;
    if (storage.kind === 'dict') {
      const read1 = [0, ...this.dict.map(read)];
      for (let row = 0; row < Math.min(rows, storage.codes.length); row++) out[row] = read1[storage.codes[row]];
    } else if (storage.kind === 'strings') {
      const { text, offsets, present } = storage;
      for (let row = 0; row < Math.min(rows, present.length); row++) {
        if ((row & 0xffff) === 0) checkpoint();
        if (present[row]) out[row] = read(text.slice(offsets[row], offsets[row + 1]));
      }
    } else {
      for (let row = 0; row < rows; row++) {
        if ((row & 0xffff) === 0) checkpoint();
        const value = this.get(row);
        if (value !== undefined) out[row] = read(value);
      }
    }
    (this.codesCache ??= new Map()).set(name, out);
    return out;
  }

  /** `read` of each row's value (NaN when missing), once per distinct value when dictionary-encoded. */
  private readRows(rows: number, read: (value: unknown) => number): Float64Array {
    const out = new Float64Array(rows).fill(NaN);
    const storage = this.storage;
    if (storage.kind === 'dict') {
      const parsed = [NaN, ...this.dict.map(read)];
      for (let row = 0; row < Math.min(rows, storage.codes.length); row++) out[row] = parsed[storage.codes[row]];
    } else {
      for (let row = 0; row < rows; row++) {
        const value = this.get(row);
        if (value !== undefined) out[row] = read(value);
      }
    }
    return out;
  }

  /**
   * Value types and the most common values over rows [0, rows): for completion and hovers.
   * Types are `string`, `number`, `boolean`, `list`, `date` (a text `isDate` accepts) and
   * `object`. `isDate` must answer alike for texts written alike (a column kept as instants asks
   * it of one of its texts: they all have one canonical shape, and all parse).
   */
  summarize(rows: number, top = 10, isDate: (value: string) => boolean = () => false): ColumnSummary {
    const types: Record<string, number> = {};
    const typeOf = (value: unknown) => (Array.isArray(value) ? 'list' : typeof value === 'string' ? (isDate(value) ? 'date' : 'string') : typeof value);
    let present = 0;
    const storage = this.storage;
    if (storage.kind === 'dict' || storage.kind === 'building') {
      // Each code is one distinct value: counted per code, without keying a million lists again.
      const perCode = new Uint32Array(this.dict.length);
      for (let row = 0; row < Math.min(rows, storage.codes.length); row++) {
        const code = storage.codes[row] - 1;
        if (code >= 0) perCode[code]++;
      }
      const best: { value: unknown; count: number }[] = [];
      let distinct = 0;
      this.dict.forEach((value, code) => {
        const count = perCode[code];
        if (count === 0) return;
        distinct++;
        present += count;
        const type = typeOf(value);
        types[type] = (types[type] ?? 0) + count;
        // The most common first; of equal counts, the first in the dictionary (as a stable sort).
        if (best.length === top && (top === 0 || best[top - 1].count >= count)) return;
        let at = best.length;
        while (at > 0 && best[at - 1].count < count) at--;
        best.splice(at, 0, { value, count });
        if (best.length > top) best.pop();
      });
      return { present, types, topValues: best, distinct };
    }
    if (storage.kind === 'instants') return summarizeInstants(storage, rows, top, isDate);
    const counts = new Map<unknown, { value: unknown; count: number }>();
    for (let row = 0; row < rows; row++) {
      const value = this.get(row);
      if (value === undefined) continue;
      present++;
      const type = typeOf(value);
      types[type] = (types[type] ?? 0) + 1;
      const key = dictKey(value);
      const entry = counts.get(key);
      if (entry) entry.count++;
      else if (counts.size < MAX_SUMMARY_VALUES) counts.set(key, { value, count: 1 });
    }
    const topValues = [...counts.values()].sort((a, b) => b.count - a.count).slice(0, top);
    return { present, types, topValues, distinct: undefined };
  }

  /** The finished column's content, for the on-disk workspace cache. */
  serialize(): Exclude<SerializedColumn, { kind: 'lazy' }> {
    this.finish();
    const storage = this.storage;
    const base = { rows: this.rows, present: this.present };
    switch (storage.kind) {
      case 'dict':
        return { ...base, kind: 'dict', codes: storage.codes, dict: this.dict };
      case 'strings':
        return { ...base, kind: 'strings', text: storage.text, offsets: storage.offsets, flags: storage.present };
      case 'numbers':
        return { ...base, kind: 'numbers', values: storage.values };
      case 'instants':
        return { ...base, kind: 'instants', values: storage.values, format: storage.format };
      default:
        return { ...base, kind: 'raw', values: storage.kind === 'raw' ? storage.values : [] };
    }
  }

  static deserialize(data: SerializedColumn): Column {
    const column = new Column();
    column.rows = data.rows;
    column.present = data.present;
    switch (data.kind) {
      case 'dict':
        // Not push(...dict): a dictionary of a million values would overflow the stack.
        for (const value of data.dict) column.dict.push(value);
        column.storage = { kind: 'dict', codes: data.codes };
        break;
      case 'strings':
        column.storage = { kind: 'strings', text: data.text, offsets: data.offsets, present: data.flags };
        break;
      case 'numbers':
        column.storage = { kind: 'numbers', values: data.values };
        break;
      case 'instants':
        column.storage = { kind: 'instants', values: data.values, format: data.format };
        break;
      case 'raw':
        column.storage = { kind: 'raw', values: data.values };
        break;
      case 'lazy': {
        const load = data.load;
        column.stored = {
          kind: 'lazy',
          load: () => {
            const loaded = Column.deserialize(load());
            for (const value of loaded.dict) column.dict.push(value);
            return loaded.storage;
          },
        };
        break;
      }
    }
    return column;
  }

  /**
   * A column kept as instants as its texts, joined as a column of texts keeps them, written out
   * once when a text filter first reads it (`created` starts-with "2024"): writing a million texts
   * out for each evaluation took half a second at 1M profiles.
   */
  private instantTexts(storage: { values: Float64Array; format: InstantFormat }): { text: string; offsets: Int32Array; present: Uint8Array } {
    if (this.instantTextsCache) return this.instantTextsCache;
    const { values, format } = storage;
    const offsets = new Int32Array(values.length + 1);
    const present = new Uint8Array(values.length);
    const parts: string[] = [];
    let length = 0;
    for (let row = 0; row < values.length; row++) {
      if ((row & 0xffff) === 0) checkpoint();
      offsets[row] = length;
      const value = values[row];
      if (value !== value) continue;
      const text = instantText(value, format);
      parts.push(text);
      present[row] = 1;
      length += text.length;
    }
    offsets[values.length] = length;
    return (this.instantTextsCache = { text: parts.join(''), offsets, present });
  }

  /** The dictionary code of a value, added to the dictionary when new. */
  private intern(value: unknown): number {
    this.ensureIndexed();
    if (typeof value === 'object') return Array.isArray(value) ? this.internList(value) : this.internObject(value as object);
    // A text starting with "\u0000" or "\u0001" is keyed as JSON, so that no text can pass for an object's key.
    const key = typeof value !== 'string' || value.charCodeAt(0) > 1 || value === '' ? value : `\u0000${JSON.stringify(value)}`;
    let code = this.index.get(key);
    if (code === undefined) {
      code = this.dict.length;
      this.dict.push(value);
      this.index.set(key, code);
    }
    return code;
  }

  /**
   * `intern` of a list. A list of texts is keyed by its texts' numbers within the column (the item
   * lists of ten million orders name a few hundred products: their JSON texts as keys took more
   * memory than the lists; see `internListIds`). Other lists, and lists past 65,535 distinct
   * texts, are keyed by their JSON text as objects are.
   */
  private internList(list: unknown[]): number {
    const ids = this.listIdsFor(list.length);
    for (let i = 0; i < list.length; i++) {
      const text = list[i];
      const id = typeof text === 'string' ? this.listTextId(text) : -1;
      if (id < 0) return this.internObject(list);
      ids[i] = id;
    }
    return this.internListIds(ids, list.length);
  }

  /** Room for the text numbers of a list of `length` texts (scratch, reused). */
  private listIdsFor(length: number): Int32Array {
    if (length > this.listIds.length) this.listIds = new Int32Array(length * 2);
    return this.listIds;
  }

  /** The number of a text inside the column's lists (numbered when new), or -1 past 65,535 of them. */
  private listTextId(text: string): number {
    let id = this.listTexts.get(text);
    if (id === undefined) {
      // Past 65,535 texts (not item names, then) new ones are not numbered: such a list's key is its JSON text.
      if (this.listTexts.size >= MAX_LIST_ELEMENTS) return -1;
      this.listTexts.set(text, (id = this.listTextById.length));
      this.listTextById.push(text);
    }
    return id;
  }

  /** The code of the list of texts numbered `ids[0 … length)` (see `listIndex`); a new list is kept with the column's single copy of each text. */
  private internListIds(ids: Int32Array, length: number): number {
    // Made on first use: a column is made for every key of every block a load thread sends.
    const index = (this.listIndex ??= new IdListIndex());
    let code = index.find(ids, length);
    if (code < 0) {
      code = this.dict.length;
      const kept = new Array<string>(length);
      for (let i = 0; i < length; i++) kept[i] = this.listTextById[ids[i]];
      this.dict.push(kept);
      index.add(ids, length, code);
      this.holdsObjects = true;
    }
    return code;
  }

  /** `intern` of an object, or of a list that is not all texts: keyed by "\u0000" and its JSON text. */
  private internObject(value: object): number {
    const key = `\u0000${JSON.stringify(value)}`;
    let code = this.index.get(key);
    if (code === undefined) {
      code = this.dict.length;
      this.dict.push(value);
      this.index.set(key, code);
      this.holdsObjects = true;
    }
    return code;
  }

  /** Makes `index` hold every value of `dict` (a column from another thread has none indexed). */
  private ensureIndexed(): void {
    if (this.indexed) return;
    this.indexed = true;
    const known = this.dict.splice(0);
    for (const each of known) this.intern(each);
  }

  /**
   * Whether the dictionary no longer pays: more than 1,024 distinct values and more than a quarter
   * of the values distinct (emails, timestamps, amounts), which finish() packs into one string or
   * one Float64Array instead. Never for lists and objects: nothing packs those, and a plain array
   * per row (the item lists of ten million orders) costs far more than a code per row beside each
   * distinct list kept once.
   */
  private tooManyDistinct(): boolean {
    return !this.holdsObjects && this.dict.length > 1024 && this.dict.length * 4 > this.present;
  }

  /** The loading-time storage (a compacted column goes back to plain values); a finished column cannot change. */
  private mutable(): Extract<Storage, { kind: 'building' | 'chunked' }> {
    const storage = this.storage;
    if (storage.kind === 'building' || storage.kind === 'chunked') return storage;
    if (!this.compacted) throw new Error('a finished column cannot change');
    this.compacted = false;
    if (storage.kind === 'dict') {
      this.storage = { kind: 'building', codes: storage.codes };
      return this.storage as { kind: 'building'; codes: PackedCodes };
    }
    const values = new RowChunks();
    for (let row = 0; row < this.rows; row++) {
      const value = this.get(row);
      if (value !== undefined) values.set(row, value);
    }
    this.storage = { kind: 'chunked', values };
    return this.storage as { kind: 'chunked'; values: RowChunks };
  }

  /** The codes with room for `size` rows and wide enough for the dictionary as it is now. */
  private ensureCapacity(storage: { kind: 'building'; codes: PackedCodes }, size: number): PackedCodes {
    const distinct = this.dict.length;
    if (size <= storage.codes.length && wideEnough(storage.codes, distinct)) return storage.codes;
    let capacity = Math.max(16, storage.codes.length);
    while (capacity < size) capacity *= 2;
    const next = codeArray(capacity, distinct);
    next.set(storage.codes);
    storage.codes = next;
    return next;
  }

  /** Leaves the dictionary for plain values in chunks (see `tooManyDistinct`). */
  private toChunked(): RowChunks {
    const storage = this.mutable();
    if (storage.kind === 'chunked') return storage.values;
    const values = new RowChunks();
    for (let row = 0; row < Math.min(this.rows, storage.codes.length); row++) {
      if (storage.codes[row] !== 0) values.set(row, this.dict[storage.codes[row] - 1]);
    }
    this.storage = { kind: 'chunked', values };
    this.dropIndex();
    this.dict.length = 0;
    return values;
  }

  /** Frees what finds a value's code (loading is over, or the dictionary is). */
  private dropIndex(): void {
    this.index.clear();
    this.asciiIndex = undefined;
    this.listAsciiIndex = undefined;
    this.listIndex = undefined;
    this.listTexts.clear();
    this.listTextById.length = 0;
  }
}

/**
 * Rows [0, rows) of a dictionary-encoded column whose value passes `test` (missing rows when
 * `missing`): the test once per distinct value, then one loop over the codes. (The per-row
 * function of `rowTest`, a new one for every call, kept V8 from keeping `select`'s loop
 * optimised across conditions.)
 */
function selectInDictionary(codes: PackedCodes, dict: readonly unknown[], rows: number, test: ValueTest, missing: boolean, out: Bitset): void {
  const pass = dictionaryPasses(dict, test, missing);
  if (pass.indexOf(1) === -1) return;
  const coded = Math.min(rows, codes.length);
  for (let row = 0; row < coded; row++) {
    if ((row & 0xffff) === 0) checkpoint();
    if (pass[codes[row]] !== 0) out.add(row);
  }
  if (missing) for (let row = coded; row < rows; row++) out.add(row);
}

/** Whether each code of a dictionary passes `test`: [0] the missing value (`missing`), [c] the value of code c - 1. */
function dictionaryPasses(dict: readonly unknown[], test: ValueTest, missing: boolean): Uint8Array {
  const pass = new Uint8Array(dict.length + 1);
  pass[0] = missing ? 1 : 0;
  for (let code = 0; code < dict.length; code++) if (test(dict[code])) pass[code + 1] = 1;
  return pass;
}

/**
 * Rows [0, rows) of a text column whose text holds `pattern.needle` where it says (missing rows
 * when `missing`), compared in place. One loop for every pattern: the filter's own functions,
 * new for each compiled filter, made the optimised loop of `selectInText` start over (V8: "wrong
 * call target") and then call them without inlining; at L an `ends-with` over a million e-mail
 * addresses took 12.2 ms that way and 9.3 ms with one filter in the process.
 */
function selectByPattern(
  storage: { text: string; offsets: Int32Array; present: Uint8Array },
  rows: number,
  pattern: TextPattern,
  missing: boolean,
  out: Bitset,
): void {
  const { text, offsets, present } = storage;
  const { needle, at, negate } = pattern;
  const n = needle.length;
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) codes[i] = needle.charCodeAt(i);
  const whole = at === 'whole';
  const fromEnd = at === 'end';
  for (let row = 0; row < rows; row++) {
    if ((row & 0xffff) === 0) checkpoint();
    if (row >= present.length || present[row] === 0) {
      if (missing) out.add(row);
      continue;
    }
    const start = offsets[row];
    const end = offsets[row + 1];
    let hit = whole ? end - start === n : end - start >= n;
    if (hit && n > 0) {
      const from = fromEnd ? end - n : start;
      // The needle's first character, then the rest from the end away from the text's edge it is
      // anchored to, where texts that share that edge differ: "2024-05" after "2024-0" of a date;
      // "outlook" before ".com" of an address (compared from its end, 7% of a million addresses
      // matched ".com" and the "@" too, and then failed only at the fifth character).
      if (text.charCodeAt(from) !== codes[0]) hit = false;
      else if (fromEnd) {
        for (let i = 1; i < n; i++)
          if (text.charCodeAt(from + i) !== codes[i]) {
            hit = false;
            break;
          }
      } else
        for (let i = n - 1; i > 0; i--)
          if (text.charCodeAt(from + i) !== codes[i]) {
            hit = false;
            break;
          }
    }
    if (hit !== negate) out.add(row);
  }
}

/**
 * The texts of a column by what follows each one's last "@" (e-mail addresses by domain): per
 * row the number of that text in `names` (0: no "@", or no text), for an `ends-with "@domain"`
 * over a million addresses to be one lookup a row instead of a comparison of characters.
 */
interface DomainIndex {
  codes: Uint16Array;
  names: string[];
}

/** Texts that end with "@" + a text without "@" are those whose text after their last "@" is that text. */
function isDomainNeedle(needle: string): boolean {
  return needle.charCodeAt(0) === 64 && needle.indexOf('@', 1) === -1;
}

/**
 * `DomainIndex` of a column of texts, or null when its texts are not addresses: more than
 * 65,535 different domains, or more than one a row in four (then it would not pay). Domains are
 * found by their characters in the column's string (a hash table of where each was first seen)
 * rather than sliced out, a million strings made to be looked up (the first such filter at L: 188
 * against 218 ms, one run each, the column's first read from the cache included).
 */
function domainsOf(storage: { text: string; offsets: Int32Array; present: Uint8Array }): DomainIndex | null {
  const { text, offsets, present } = storage;
  const codes = new Uint16Array(present.length);
  const names = [''];
  // Where each domain was first seen in `text` (by its number), and a table of numbers by hash.
  const firstAt = [0];
  let slots = new Uint16Array(1024);
  let hashes = new Int32Array(1024);
  let withAt = 0;
  for (let row = 0; row < present.length; row++) {
    if ((row & 0xffff) === 0) checkpoint();
    if (present[row] === 0) continue;
    const start = offsets[row];
    const end = offsets[row + 1];
    let at = end - 1;
    while (at >= start && text.charCodeAt(at) !== 64) at--;
    if (at < start) continue;
    withAt++;
    const from = at + 1;
    const length = end - from;
    let hash = 0x811c9dc5 | 0;
    for (let i = from; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
    const mask = slots.length - 1;
    let slot = hash & mask;
    let code = 0;
    for (; slots[slot] !== 0; slot = (slot + 1) & mask) {
      const known = slots[slot];
      if (hashes[slot] !== hash || names[known].length !== length) continue;
      const other = firstAt[known];
      let i = 0;
      while (i < length && text.charCodeAt(from + i) === text.charCodeAt(other + i)) i++;
      if (i === length) {
        code = known;
        break;
      }
    }
    if (code === 0) {
      if (names.length > 0xffff) return null;
      code = names.length;
      names.push(text.slice(from, end));
      firstAt.push(from);
      slots[slot] = code;
      hashes[slot] = hash;
      if (names.length * 2 > slots.length) [slots, hashes] = rehashed(slots, hashes);
    }
    codes[row] = code;
  }
  return (names.length - 1) * 4 > withAt ? null : { codes, names };
}

/** A table of `domainsOf` twice the size, with the same entries. */
function rehashed(slots: Uint16Array, hashes: Int32Array): [Uint16Array<ArrayBuffer>, Int32Array<ArrayBuffer>] {
  const nextSlots = new Uint16Array(slots.length * 2);
  const nextHashes = new Int32Array(slots.length * 2);
  for (let old = 0; old < slots.length; old++) {
    if (slots[old] === 0) continue;
    const slot = freeSlot(nextSlots, hashes[old]);
    nextSlots[slot] = slots[old];
    nextHashes[slot] = hashes[old];
  }
  return [nextSlots, nextHashes];
}

/** `selectByPattern` of an `ends-with "@domain"` (`isDomainNeedle`) through the column's `DomainIndex`. */
function selectByDomain(present: Uint8Array, domains: DomainIndex, rows: number, pattern: TextPattern, missing: boolean, out: Bitset): void {
  const { codes, names } = domains;
  const domain = pattern.needle.slice(1);
  // [0]: no "@", which never ends with "@…".
  const pass = new Uint8Array(names.length);
  for (let code = 1; code < names.length; code++) if (names[code] === domain) pass[code] = 1;
  const negate = pattern.negate;
  for (let row = 0; row < rows; row++) {
    if ((row & 0xffff) === 0) checkpoint();
    if (row >= present.length || present[row] === 0) {
      if (missing) out.add(row);
    } else if ((pass[codes[row]] === 1) !== negate) out.add(row);
  }
}

/** Rows [0, rows) of a text column whose text passes `inText` (missing rows when `missing`), without slicing texts out. */
function selectInText(
  storage: { text: string; offsets: Int32Array; present: Uint8Array },
  rows: number,
  inText: (text: string, start: number, end: number) => boolean,
  missing: boolean,
  out: Bitset,
): void {
  const { text, offsets, present } = storage;
  for (let row = 0; row < rows; row++) {
    if ((row & 0xffff) === 0) checkpoint();
    if (row < present.length && present[row] !== 0 ? inText(text, offsets[row], offsets[row + 1]) : missing) out.add(row);
  }
}

/** Exactly `rows` codes: `codes` when it holds that many, else a copy without the room to grow. */
function exactCodes(codes: PackedCodes, rows: number, distinct: number): PackedCodes {
  if (codes.length === rows) return codes;
  const exact = codeArray(rows, distinct);
  exact.set(codes.length > rows ? codes.subarray(0, rows) : codes);
  return exact;
}
