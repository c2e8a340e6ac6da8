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

/** FNV-1a over a text's UTF-16 code units. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Profile IDs to their index, in shared memory: a load thread that reads events needs each event's
 * profile index, and a Map of its own of a million IDs took ~140 MB on each thread; this is one
 * table for all of them (a byte or two a character, eight an ID). Read-only once built.
 */
export class SharedIdIndex {
  private readonly units: Uint8Array | Uint16Array;
  private readonly offsets: Int32Array;
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(table: SharedIdTable) {
    this.units = table.wide ? new Uint16Array(table.units) : new Uint8Array(table.units);
    this.offsets = new Int32Array(table.offsets);
    this.slots = new Int32Array(table.slots);
    this.mask = this.slots.length - 1;
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
