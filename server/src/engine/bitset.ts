/** A fixed-size set of profile indexes, one bit each. */
export class Bitset {
  readonly words: Uint32Array;

  constructor(
    readonly size: number,
    words?: Uint32Array,
  ) {
    this.words = words ?? new Uint32Array((size + 31) >>> 5);
  }

  static full(size: number): Bitset {
    const set = new Bitset(size);
    set.fill();
    return set;
  }

  add(index: number): void {
    this.words[index >>> 5] |= 1 << (index & 31);
  }

  /** Removes one index (only while the set is being made: sets are shared once returned). */
  remove(index: number): void {
    this.words[index >>> 5] &= ~(1 << (index & 31));
  }

  /** Adds every index (only while the set is being made). */
  fill(): void {
    this.words.fill(0xffffffff);
    this.clearTail();
  }

  has(index: number): boolean {
    return (this.words[index >>> 5] & (1 << (index & 31))) !== 0;
  }

  count(): number {
    let total = 0;
    for (let i = 0; i < this.words.length; i++) {
      let v = this.words[i];
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      total += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return total;
  }

  and(other: Bitset): Bitset {
    const out = new Bitset(this.size);
    for (let i = 0; i < out.words.length; i++) out.words[i] = this.words[i] & other.words[i];
    return out;
  }

  or(other: Bitset): Bitset {
    const out = new Bitset(this.size);
    for (let i = 0; i < out.words.length; i++) out.words[i] = this.words[i] | other.words[i];
    return out;
  }

  andNot(other: Bitset): Bitset {
    const out = new Bitset(this.size);
    for (let i = 0; i < out.words.length; i++) out.words[i] = this.words[i] & ~other.words[i];
    return out;
  }

  /** Indexes in increasing order. */
  *indexes(): Generator<number> {
    for (let w = 0; w < this.words.length; w++) {
      let word = this.words[w];
      while (word !== 0) {
        const bit = 31 - Math.clz32(word & -word);
        yield (w << 5) + bit;
        word &= word - 1;
      }
    }
  }

  toArray(limit = Infinity): number[] {
    const out: number[] = [];
    for (const index of this.indexes()) {
      if (out.length >= limit) break;
      out.push(index);
    }
    return out;
  }

  private clearTail(): void {
    const extra = this.words.length * 32 - this.size;
    if (extra > 0) this.words[this.words.length - 1] >>>= extra;
  }
}
