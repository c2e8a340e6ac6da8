import { canonicalInstant, instantFormatOf, instantText, type InstantFormat } from './time';

/** Rows per chunk: 2^14. */
const CHUNK_BITS = 14;
const CHUNK_ROWS = 1 << CHUNK_BITS;
const ROW_MASK = CHUNK_ROWS - 1;

/** A chunk's texts in one string: local row i is text[offsets[i], offsets[i + 1]) where present[i] is 1. */
interface PackedTexts {
  text: string;
  offsets: Int32Array;
  present: Uint8Array;
}

/** A chunk's texts when every one is an instant written in one canonical format: the instants (NaN: missing). */
interface PackedInstants {
  instants: Float64Array;
  format: InstantFormat;
}

/** A chunk: plain values while it is being written, or packed texts / instants / numbers (NaN: missing) once it is full. */
type Chunk = unknown[] | PackedTexts | PackedInstants | Float64Array;

/** The packed form of a whole column of texts, of canonical instant texts or of numbers (see `RowChunks.pack`). */
export type PackedRows =
  | { kind: 'strings'; text: string; offsets: Int32Array; present: Uint8Array }
  | { kind: 'instants'; values: Float64Array; format: InstantFormat }
  | { kind: 'numbers'; values: Float64Array };

/**
 * The plain values of a column while it loads (e-mail addresses, timestamps, order IDs: values that
 * rarely repeat), in chunks of 16,384 rows. Rows are written mostly in increasing order, so once
 * writing moves two chunks further on, a chunk of only texts is packed into one string with offsets
 * and a chunk of only numbers into a Float64Array: a million addresses as separate strings in an
 * array take about twice the memory, for the whole load. A chunk of texts that are all instants
 * written the way Klaviyo writes them ("2023-11-01T01:00:00+00:00", or all dates "1990-05-17")
 * keeps the instants, eight bytes a row instead of thirty, and gives the same texts back. Writing
 * to a packed chunk (a profile record repeated later in the file) unpacks that chunk alone. `pack`
 * joins the chunks at the end.
 */
export class RowChunks {
  private readonly chunks: (Chunk | undefined)[] = [];
  /** Chunks below this one were looked at for packing. */
  private packedBelow = 0;

  /** The value of `row`, undefined when it has none. */
  get(row: number): unknown {
    const chunk = this.chunks[row >>> CHUNK_BITS];
    if (chunk === undefined) return undefined;
    const local = row & ROW_MASK;
    if (Array.isArray(chunk)) return chunk[local];
    if (chunk instanceof Float64Array) {
      const value = chunk[local];
      return value === value ? value : undefined;
    }
    if ('instants' in chunk) {
      const value = chunk.instants[local];
      return value === value ? instantText(value, chunk.format) : undefined;
    }
    return chunk.present[local] ? chunk.text.slice(chunk.offsets[local], chunk.offsets[local + 1]) : undefined;
  }

  /** Sets (or with undefined, removes) the value of `row`. */
  set(row: number, value: unknown): void {
    const index = row >>> CHUNK_BITS;
    let chunk = this.chunks[index];
    if (chunk === undefined) {
      if (value === undefined) return;
      while (this.chunks.length < index) this.chunks.push(undefined);
      this.chunks[index] = chunk = new Array<unknown>(CHUNK_ROWS); // allocated whole: a first write far into it must not make it sparse
      // Writing has moved on: the chunks two behind are full.
      for (; this.packedBelow < index - 1; this.packedBelow++) this.chunks[this.packedBelow] = packChunk(this.chunks[this.packedBelow]);
    } else if (!Array.isArray(chunk)) {
      this.chunks[index] = chunk = unpackChunk(chunk);
    }
    chunk[row & ROW_MASK] = value;
  }

  /** Rows [0, rows) as one array of plain values (undefined: missing). */
  toArray(rows: number): unknown[] {
    const values: unknown[] = new Array(rows);
    for (let row = 0; row < rows; row++) {
      const value = this.get(row);
      if (value !== undefined) values[row] = value;
    }
    return values;
  }

  /**
   * Rows [0, rows) packed as one string with offsets when every value is a text, as one
   * Float64Array of instants when every text is an instant in one canonical format (unless
   * `instants` is false), or as one Float64Array (NaN: missing) when every value is a number;
   * undefined when the types are mixed.
   */
  pack(rows: number, instants = true): PackedRows | undefined {
    const count = Math.ceil(rows / CHUNK_ROWS);
    const packed: (PackedTexts | PackedInstants | Float64Array | undefined)[] = [];
    let texts = false;
    let numbers = false;
    const formats = new Set<InstantFormat>();
    for (let index = 0; index < count; index++) {
      const chunk = packChunk(this.chunks[index], instants);
      if (Array.isArray(chunk)) return undefined; // mixed types
      if (chunk instanceof Float64Array) numbers = true;
      else if (chunk && 'instants' in chunk) formats.add(chunk.format);
      else if (chunk) texts = true;
      if ((texts || formats.size > 0) && numbers) return undefined;
      packed.push(chunk);
    }
    if (numbers || (instants && !texts && formats.size === 1)) {
      const values = new Float64Array(rows).fill(NaN);
      packed.forEach((chunk, index) => {
        const from = chunk instanceof Float64Array ? chunk : chunk && 'instants' in chunk ? chunk.instants : undefined;
        if (from) values.set(from.subarray(0, Math.min(CHUNK_ROWS, rows - index * CHUNK_ROWS)), index * CHUNK_ROWS);
      });
      return numbers ? { kind: 'numbers', values } : { kind: 'instants', values, format: [...formats][0] };
    }
    // Texts of several shapes: the instants' chunks become texts again.
    const chunks = packed.map((chunk) => (chunk && 'instants' in chunk ? (packChunk(unpackChunk(chunk), false) as PackedTexts) : chunk));
    const offsets = new Int32Array(rows + 1);
    const present = new Uint8Array(rows);
    const parts: string[] = [];
    let length = 0;
    chunks.forEach((chunk, index) => {
      const first = index * CHUNK_ROWS;
      const end = Math.min(CHUNK_ROWS, rows - first);
      if (!chunk || chunk instanceof Float64Array) {
        offsets.fill(length, first, first + end);
        return;
      }
      for (let local = 0; local < end; local++) {
        offsets[first + local] = length + chunk.offsets[local];
        present[first + local] = chunk.present[local];
      }
      // Rows past `rows` in the last chunk hold nothing (a column never has values past its length).
      const used = chunk.offsets[end];
      parts.push(used === chunk.text.length ? chunk.text : chunk.text.slice(0, used));
      length += used;
    });
    offsets[rows] = length;
    return { kind: 'strings', text: parts.join(''), offsets, present };
  }
}

/**
 * A chunk of plain values packed when they are all texts (as instants when they all are canonical
 * instants of one format and `instants` allows) or all numbers; as it is otherwise (undefined
 * when empty).
 */
function packChunk(chunk: Chunk | undefined, instants = true): Chunk | undefined {
  if (!Array.isArray(chunk)) return chunk;
  let texts = true;
  let numbers = true;
  let any = false;
  for (let local = 0; local < CHUNK_ROWS && (texts || numbers); local++) {
    const value = chunk[local];
    if (value === undefined) continue;
    any = true;
    if (typeof value !== 'string') texts = false;
    if (typeof value !== 'number') numbers = false;
  }
  if (!any) return undefined;
  if (numbers) {
    const values = new Float64Array(CHUNK_ROWS).fill(NaN);
    for (let local = 0; local < CHUNK_ROWS; local++) if (chunk[local] !== undefined) values[local] = chunk[local] as number;
    return values;
  }
  if (!texts) return chunk;
  if (instants) {
    const packed = packInstants(chunk);
    if (packed) return packed;
  }
  const offsets = new Int32Array(CHUNK_ROWS + 1);
  const present = new Uint8Array(CHUNK_ROWS);
  const parts: string[] = [];
  let length = 0;
  for (let local = 0; local < CHUNK_ROWS; local++) {
    offsets[local] = length;
    const value = chunk[local];
    if (value === undefined) continue;
    present[local] = 1;
    parts.push(value as string);
    length += (value as string).length;
  }
  offsets[CHUNK_ROWS] = length;
  return { text: parts.join(''), offsets, present };
}

/** A chunk of texts as instants, when every text is a canonical instant of the first one's format. */
function packInstants(chunk: unknown[]): PackedInstants | undefined {
  let format: InstantFormat | undefined;
  const instants = new Float64Array(CHUNK_ROWS).fill(NaN);
  for (let local = 0; local < CHUNK_ROWS; local++) {
    const text = chunk[local] as string | undefined;
    if (text === undefined) continue;
    format ??= instantFormatOf(text);
    if (format === undefined) return undefined;
    const instant = canonicalInstant(text, format);
    if (instant !== instant) return undefined;
    instants[local] = instant;
  }
  return format && { instants, format };
}

function unpackChunk(chunk: PackedTexts | PackedInstants | Float64Array): unknown[] {
  const values = new Array<unknown>(CHUNK_ROWS);
  for (let local = 0; local < CHUNK_ROWS; local++) {
    if (chunk instanceof Float64Array) {
      if (chunk[local] === chunk[local]) values[local] = chunk[local];
    } else if ('instants' in chunk) {
      if (chunk.instants[local] === chunk.instants[local]) values[local] = instantText(chunk.instants[local], chunk.format);
    } else if (chunk.present[local]) {
      values[local] = chunk.text.slice(chunk.offsets[local], chunk.offsets[local + 1]);
    }
  }
  return values;
}
