/**
 * One workspace load in a fresh Node process, as the language server's evaluation worker starts:
 * `--from jsonl` reads the JSONL files with an empty engine cache and writes the cache (the very
 * first start), `--from cache` reads the cache (every later start). Prints one JSON object: the
 * load time, the resident memory and V8 heap after a GC, and the process's peak resident memory
 * (Linux `VmHWM`: the kernel's high-water mark, so a peak between two samples cannot be missed;
 * `maxRSS` elsewhere, which on Linux would start from the benchmark's own peak).
 *
 * Usage (with --expose-gc): node --expose-gc out/bench/firstLoad.js <workspace> --from jsonl|cache
 * The benchmark runs it for both; run it alone to measure one size without the whole suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkspace } from '../server/src/workspace/loadWorkspace';
import { procMemoryMb } from './procMemory';

export interface FreshLoad {
  ms: number;
  rssMb: number;
  heapMb: number;
  peakRssMb: number;
  fromCache: boolean;
  profiles: number;
}

async function main(): Promise<void> {
  const [root, flag, from] = process.argv.slice(2);
  if (!root || flag !== '--from' || (from !== 'jsonl' && from !== 'cache')) throw new Error('usage: firstLoad.js <workspace> --from jsonl|cache');
  // The first start: nothing in the cache (a folder of its own, removed afterwards).
  const emptyCache = from === 'jsonl' ? mkdtempSync(join(tmpdir(), 'segment-lens-first-load-')) : undefined;
  if (emptyCache) process.env.SEGMENT_LENS_CACHE_DIR = emptyCache;
  try {
    const loaded = await loadWorkspace(root, { cache: true });
    (globalThis as { gc?: () => void }).gc?.();
    const usage = process.memoryUsage();
    const result: FreshLoad = {
      ms: loaded.loadMs,
      rssMb: usage.rss / 1048576,
      heapMb: usage.heapUsed / 1048576,
      peakRssMb: procMemoryMb('self', 'VmHWM') ?? process.resourceUsage().maxRSS / 1024,
      fromCache: loaded.fromCache,
      profiles: loaded.workspace.profileCount,
    };
    process.stdout.write(JSON.stringify(result));
  } finally {
    if (emptyCache) rmSync(emptyCache, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
