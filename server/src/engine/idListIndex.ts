import { freeSlot } from './asciiIndex';

/**
 * Finds a list of small numbers (a column's lists of texts, as their texts' numbers) without
 * making a key: open addressing over the lists added, each kept once as its numbers in one pool.
 * A `Map` keyed by a string of the numbers cost ~0.5 µs a list at 10M events (the key built,
 * hashed and compared each time); this hashes the numbers as they are.
 */
export class IdListIndex {
  /** Entry number + 1 per slot (0: empty), and the entry's hash beside it. */
  private slots = new Int32Array(64);
  private hashes = new Int32Array(64);
  /** Per entry: where its numbers start in `pool`, how many, and the value it stands for. */
  private starts = new Int32Array(32);
  private lengths = new Int32Array(32);
  private values = new Int32Array(32);
  private pool = new Int32Array(256);
  private used = 0;
  private count = 0;

  /** The value added for the list `ids[0 … length)`, or -1. */
  find(ids: Int32Array, length: number): number {
    const hash = hashIds(ids, length);
    const { slots, hashes, starts, lengths, pool } = this;
    const mask = slots.length - 1;
    for (let slot = hash & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      if (hashes[slot] !== hash) continue;
      const entry = slots[slot] - 1;
      if (lengths[entry] !== length) continue;
      const start = starts[entry];
      let i = 0;
      while (i < length && pool[start + i] === ids[i]) i++;
      if (i === length) return this.values[entry];
    }
    return -1;
  }

  /** Adds the list `ids[0 … length)` (not added before) for `value` (≥ 0). */
  add(ids: Int32Array, length: number, value: number): void {
    const entry = this.count++;
    if (entry === this.starts.length) {
      this.starts = grown(this.starts, entry * 2);
      this.lengths = grown(this.lengths, entry * 2);
      this.values = grown(this.values, entry * 2);
    }
    if (this.used + length > this.pool.length) this.pool = grown(this.pool, Math.max(this.pool.length * 2, this.used + length));
    this.pool.set(ids.subarray(0, length), this.used);
    this.starts[entry] = this.used;
    this.lengths[entry] = length;
    this.values[entry] = value;
    this.used += length;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.insert(hashIds(ids, length), entry);
  }

  /** Lists added. */
  get size(): number {
    return this.count;
  }

  private insert(hash: number, entry: number): void {
    const slot = freeSlot(this.slots, hash);
    this.slots[slot] = entry + 1;
    this.hashes[slot] = hash;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    for (let entry = 0; entry < this.count; entry++) this.insert(hashIds(this.pool.subarray(this.starts[entry]), this.lengths[entry]), entry);
  }
}

/** A hash of `ids[0 … length)` that tells lists apart by order and length. */
function hashIds(ids: Int32Array, length: number): number {
  let hash = Math.imul(length, 0x9e3779b1) | 0;
  for (let i = 0; i < length; i++) {
    hash = Math.imul(hash ^ ids[i], 0x85ebca6b);
    hash ^= hash >>> 13;
  }
  return Math.imul(hash ^ (hash >>> 16), 0xc2b2ae35) | 0;
}

function grown(array: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size);
  next.set(array);
  return next;
}
