import { asciiIs } from './eventLine';

/**
 * Finds a text among `texts` by its bytes (ASCII characters, as `EventLine` reads them) and their
 * FNV-1a hash, without making a string: open addressing over the numbers of the texts added.
 * `texts` is the owner's own list (a column's dictionary, a builder's keys); entries that are not
 * texts never match.
 */
export class AsciiIndex {
  private slots = new Int32Array(64);
  private hashes = new Int32Array(64);
  private count = 0;

  constructor(private readonly texts: readonly unknown[]) {}

  /** The number of the text whose bytes are [start, end) of `bytes`, or -1. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const { slots, hashes, texts } = this;
    const mask = slots.length - 1;
    for (let slot = hash & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
      if (hashes[slot] !== hash) continue;
      const number = slots[slot] - 1;
      const text = texts[number];
      if (typeof text === 'string' && asciiIs(bytes, start, end, text)) return number;
    }
    return -1;
  }

  /** Adds text number `number` (not added before), whose hash is `hash`. */
  add(hash: number, number: number): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    this.insert(hash, number);
    this.count++;
  }

  private insert(hash: number, number: number): void {
    const slot = freeSlot(this.slots, hash);
    this.slots[slot] = number + 1;
    this.hashes[slot] = hash;
  }

  private grow(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    for (let slot = 0; slot < slots.length; slot++) if (slots[slot] !== 0) this.insert(hashes[slot], slots[slot] - 1);
  }
}

/** The first empty slot (0) from `hash` on in an open-addressing table of a power-of-two size (one probe after another). */
export function freeSlot(slots: Int32Array | Uint16Array, hash: number): number {
  const mask = slots.length - 1;
  let slot = hash & mask;
  while (slots[slot] !== 0) slot = (slot + 1) & mask;
  return slot;
}
