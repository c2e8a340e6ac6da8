import { LRUCache } from 'lru-cache';

export interface BoundedMemoOptions<V> {
  /** The most the memo holds, in approximate bytes (keys at two bytes a character, plus `sizeOf` of each value). */
  maxBytes: number;
  /** Keys longer than this (in characters) are never kept: a key that large comes from hostile or unusual input and would crowd out everything else. */
  maxKeyLength: number;
  /** Approximate bytes of a value (default: a small fixed overhead). */
  sizeOf?: (value: V) => number;
}

/** What an entry costs besides its key and value: the cache's bookkeeping, roughly. */
const ENTRY_OVERHEAD = 64;

/**
 * A memo keyed by text (often text that came from a document or the workspace), bounded by bytes
 * rather than by entries, least recently used first out. Memos capped only by their number of
 * entries kept hundreds of megabytes alive when the keys were megabytes long (issue 16).
 */
export class BoundedMemo<V> {
  private readonly cache: LRUCache<string, { value: V }>;
  private readonly maxKeyLength: number;

  constructor(options: BoundedMemoOptions<V>) {
    const sizeOf = options.sizeOf;
    this.maxKeyLength = options.maxKeyLength;
    this.cache = new LRUCache<string, { value: V }>({
      maxSize: options.maxBytes,
      sizeCalculation: (entry, key) => ENTRY_OVERHEAD + 2 * key.length + (sizeOf ? sizeOf(entry.value) : 0),
    });
  }

  /** The remembered value of `key` (refreshing it), or undefined when there is none. */
  get(key: string): { value: V } | undefined {
    return this.cache.get(key);
  }

  set(key: string, value: V): void {
    if (key.length <= this.maxKeyLength) this.cache.set(detached(key), { value });
  }

  /** The value of `key`, computed by `compute` when not remembered. */
  getOrCompute(key: string, compute: () => V): V {
    const known = this.cache.get(key);
    if (known) return known.value;
    const value = compute();
    this.set(key, value);
    return value;
  }

  get size(): number {
    return this.cache.size;
  }

  /** Approximate bytes held. */
  get bytes(): number {
    return this.cache.calculatedSize;
  }

  clear(): void {
    this.cache.clear();
  }
}

/**
 * A copy of `text` that shares no memory with the text it was cut from. V8 keeps a substring as a
 * view into its parent (a JSON.parse'd value into the whole document), so a 300-character memo key
 * built from a document's values held the whole megabyte document alive after it closed. Joining
 * the characters makes a new string of the key's own length.
 */
function detached(text: string): string {
  return Array.from(text).join('');
}
