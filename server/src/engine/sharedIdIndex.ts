/** The plain data of a `SharedIdIndex`: shared memory, posted to another thread without a copy. */
export interface SharedIdTable {
  /**
   * Every ID's UTF-16 code units, one after the other: one byte each when no ID has a unit past
   * 255 (Klaviyo's IDs are ASCII: 26 MB instead of 52 MB at a million profiles), else two.
   */
  units: SharedArrayBuffer;
  /** Whether `units` holds two bytes a unit. */
  wide: boolean;
  /** Int32: ID i is units [offsets[i], offsets[i + 1]). */
  offsets: SharedArrayBuffer;
  /** Int32, a power of two long: index + 1 of the ID whose hash leads there (open addressing), 0 when free. */
  slots: SharedArrayBuffer;
}

/** A `SharedIdTable`'s arrays as they are read back (from the workspace cache: not shared memory). */
export interface IdTableArrays {
  units: Uint8Array | Uint16Array;
  offsets: Int32Array;
  slots: Int32Array;
}

/** FNV-1a over a text's UTF-16 code units. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Profile IDs in order, and each one's index, in shared memory: a load thread that reads events
 * needs each event's profile index, and a Map of its own of a million IDs took ~140 MB on each
 * thread; this is one table for all of them (a byte or two a character, eight an ID). It is also
 * the built workspace's list of profile IDs (`at`): a million IDs as separate strings took ~53 MB
 * of heap, and a Map from them to their index ~40 MB more. Read-only once built.
 */
export class SharedIdIndex {
  private readonly units: Uint8Array | Uint16Array;
  private readonly offsets: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(table: SharedIdTable | IdTableArrays) {
    if ('wide' in table) {
      this.units = table.wide ? new Uint16Array(table.units) : new Uint8Array(table.units);
      this.offsets = new Int32Array(table.offsets);
      this.slots = new Int32Array(table.slots);
    } else {
      ({ units: this.units, offsets: this.offsets, slots: this.slots } = table);
    }
    this.mask = this.slots.length - 1;
  }

  /** The table of `ids` (distinct), read here. */
  static of(ids: readonly string[]): SharedIdIndex {
    return new SharedIdIndex(SharedIdIndex.build(ids));
  }

  /** How many IDs there are. */
  get length(): number {
    return this.offsets.length - 1;
  }

  /** ID number `index` (0 ≤ index < length). */
  at(index: number): string {
    const start = this.offsets[index];
    const end = this.offsets[index + 1];
    let id = '';
    // In pieces: a spread of a very long ID's units would overflow the stack.
    for (let from = start; from < end; from += 4096)
      id += String.fromCharCode.apply(null, this.units.subarray(from, Math.min(end, from + 4096)) as unknown as number[]);
    return id;
  }

  /** Every ID, in order. */
  toArray(): string[] {
    return Array.from({ length: this.length }, (_, index) => this.at(index));
  }

  /** The arrays, to write them to the workspace cache (`new SharedIdIndex(arrays)` reads them back). */
  arrays(): IdTableArrays {
    return { units: this.units, offsets: this.offsets, slots: this.slots };
  }

  /** The table of `ids` (distinct), ID i at index i. */
  static build(ids: readonly string[]): SharedIdTable {
    let length = 0;
    let wide = false;
    for (const id of ids) {
      length += id.length;
      if (!wide) for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) > 0xff) wide = true;
    }
    const table: SharedIdTable = {
      units: new SharedArrayBuffer(wide ? length * 2 : length),
      wide,
      offsets: new SharedArrayBuffer((ids.length + 1) * 4),
      // At most half full: a free slot is found after a step or two.
      slots: new SharedArrayBuffer(Math.max(2, 2 ** Math.ceil(Math.log2(ids.length * 2 + 1))) * 4),
    };
    const units = wide ? new Uint16Array(table.units) : new Uint8Array(table.units);
    const offsets = new Int32Array(table.offsets);
    const slots = new Int32Array(table.slots);
    const mask = slots.length - 1;
    let at = 0;
    ids.forEach((id, index) => {
      offsets[index] = at;
      for (let i = 0; i < id.length; i++) units[at++] = id.charCodeAt(i);
      let slot = hash(id) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = index + 1;
    });
    offsets[ids.length] = at;
    return table;
  }

  /**
   * The index of the ID whose ASCII characters are bytes [start, end) of `bytes`, with their FNV-1a
   * hash as `EventLine` gives it (the same hash as `get`'s), or undefined: no string is made.
   */
  getAscii(bytes: Uint8Array, start: number, end: number, hash: number): number | undefined {
    const { units, offsets, slots, mask } = this;
    const length = end - start;
    for (let slot = hash & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      const index = slots[slot] - 1;
      const at = offsets[index];
      if (offsets[index + 1] - at !== length) continue;
      let i = 0;
      while (i < length && units[at + i] === bytes[start + i]) i++;
      if (i === length) return index;
    }
    return undefined;
  }

  /** The index of `id`, undefined when it is not in the table. */
  get(id: string): number | undefined {
    const { units, offsets, slots, mask } = this;
    for (let slot = hash(id) & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      const index = slots[slot] - 1;
      const start = offsets[index];
      if (offsets[index + 1] - start !== id.length) continue;
      let i = 0;
      while (i < id.length && units[start + i] === id.charCodeAt(i)) i++;
      if (i === id.length) return index;
    }
    return undefined;
  }
}
