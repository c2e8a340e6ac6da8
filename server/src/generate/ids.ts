import { mix32, type Rng } from './prng';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_CODES: readonly number[] = Array.from(BASE62, (ch) => ch.charCodeAt(0));

/** The largest profile count for which profile IDs are guaranteed unique (30 bits of index). */
export const MAX_PROFILES = 0x3fffffff;
/** The largest event count for which event IDs are guaranteed unique (40-bit permutation). */
export const MAX_EVENTS = 2 ** 40 - 1;

/** A bijection on [0, 2^30): profile indexes become scattered but distinct suffixes. */
function permute30(x: number, key: number): number {
  x = (x ^ (key & 0x3fffffff)) & 0x3fffffff;
  x = Math.imul(x, 0x2c1b3c6d | 1) & 0x3fffffff;
  x ^= x >>> 15;
  x = Math.imul(x, 0x297a2d39 | 1) & 0x3fffffff;
  x ^= x >>> 12;
  return x;
}

/**
 * A 26-character ULID-style profile ID: 10 characters of creation time (milliseconds, as real
 * ULIDs carry), 10 random characters, and 6 characters that encode a permutation of the profile
 * index, which makes IDs unique by construction.
 */
export function profileUlid(createdMs: number, index: number, seedKey: number, rng: Rng): string {
  let out = '';
  let t = Math.max(0, Math.floor(createdMs));
  const time: string[] = new Array<string>(10);
  for (let i = 9; i >= 0; i--) {
    time[i] = CROCKFORD[t % 32]!;
    t = Math.floor(t / 32);
  }
  out = time.join('');
  for (let i = 0; i < 10; i++) out += CROCKFORD[rng.int(32)]!;
  let p = permute30(index, seedKey);
  const tail: string[] = new Array<string>(6);
  for (let i = 5; i >= 0; i--) {
    tail[i] = CROCKFORD[p & 31]!;
    p >>>= 5;
  }
  return out + tail.join('');
}

/**
 * Event IDs: a keyed 4-round Feistel permutation of the 40-bit event counter, written as
 * 7 base-62 characters. Distinct counters always give distinct IDs.
 */
export class EventIdSequence {
  private counter = 0;
  private readonly keys: number[];

  constructor(seedKey: number) {
    this.keys = [mix32(seedKey ^ 0x1111), mix32(seedKey ^ 0x2222), mix32(seedKey ^ 0x3333), mix32(seedKey ^ 0x4444)];
  }

  get count(): number {
    return this.counter;
  }

  next(): string {
    const c = this.counter++;
    let l = Math.floor(c / 0x100000) & 0xfffff;
    let r = c & 0xfffff;
    for (const k of this.keys) {
      const f = mix32(r ^ k) & 0xfffff;
      const nl = r;
      r = l ^ f;
      l = nl;
    }
    // 40 bits as 7 base-62 digits (62^7 > 2^40), most significant first, built in one allocation.
    let v = l * 0x100000 + r;
    const d6 = v % 62;
    v = (v - d6) / 62;
    const d5 = v % 62;
    v = (v - d5) / 62;
    const d4 = v % 62;
    v = (v - d4) / 62;
    const d3 = v % 62;
    v = (v - d3) / 62;
    const d2 = v % 62;
    v = (v - d2) / 62;
    const d1 = v % 62;
    v = (v - d1) / 62;
    const k = BASE62_CODES;
    return String.fromCharCode(k[v]!, k[d1]!, k[d2]!, k[d3]!, k[d4]!, k[d5]!, k[d6]!);
  }
}

/** A random string over an alphabet (used for checkout tokens and similar opaque values). */
export function randomToken(rng: Rng, length: number, alphabet: string = BASE62): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.int(alphabet.length)]!;
  return s;
}

/**
 * A set of 32-bit hashes with open addressing, used to keep generated e-mail addresses and phone
 * numbers unique without holding the strings. A hash collision only costs a retry with a
 * different candidate, never a duplicate.
 */
export class HashSet32 {
  private table: Uint32Array;
  private size = 0;

  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.table = new Uint32Array(cap);
  }

  /** Adds the hash; returns false when it was already present. */
  add(hash: number): boolean {
    const h = (hash | 1) >>> 0; // never 0, which marks an empty slot; unsigned like the table's values
    if (this.size * 2 >= this.table.length) this.grow();
    const mask = this.table.length - 1;
    let i = mix32(h) & mask;
    for (;;) {
      const v = this.table[i]!;
      if (v === 0) {
        this.table[i] = h;
        this.size++;
        return true;
      }
      if (v === h) return false;
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Uint32Array(old.length * 2);
    const mask = this.table.length - 1;
    for (const v of old) {
      if (v === 0) continue;
      let i = mix32(v) & mask;
      while (this.table[i] !== 0) i = (i + 1) & mask;
      this.table[i] = v;
    }
  }
}
