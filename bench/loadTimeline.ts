/**
 * Where a first load's memory goes: loads a workspace from its JSONL files in this (fresh) process,
 * as `firstLoad.ts --from jsonl` does (an empty engine cache, written at the end), and prints a
 * line every `--every` ms and at each phase of the load (profiles, list members, events,
 * indexing): seconds since the start, the phase, resident memory, the V8 heap used / committed,
 * array buffers, and the peak so far (Linux `VmHWM`, so a peak between two lines is not missed).
 * Ends with one JSON line: load time, peak, and RSS / heap after a GC.
 *
 * Usage: node --expose-gc out/bench/loadTimeline.js <workspace> [--every 500]
 * (docs/performance.md, "The first load's memory at L").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkspace } from '../server/src/workspace/loadWorkspace';
import { procMemoryMb } from './procMemory';

const mb = (bytes: number) => Math.round(bytes / 1048576);

async function main(): Promise<void> {
  const [root, flag, value] = process.argv.slice(2);
  if (!root || (flag !== undefined && flag !== '--every')) throw new Error('usage: loadTimeline.js <workspace> [--every ms]');
  const every = flag ? Number(value) : 500;
  if (!Number.isFinite(every) || every <= 0) throw new Error(`--every must be a positive number of milliseconds, got ${value}`);
  const cache = mkdtempSync(join(tmpdir(), 'segment-lens-timeline-'));
  process.env.SEGMENT_LENS_CACHE_DIR = cache;
  const started = Date.now();
  let phase = 'start';
  const line = () => {
    const usage = process.memoryUsage();
    const peak = procMemoryMb('self', 'VmHWM');
    process.stdout.write(
      `${((Date.now() - started) / 1000).toFixed(1)} s  ${phase.padEnd(12)} RSS ${mb(usage.rss)} MB  heap ${mb(usage.heapUsed)} / ${mb(usage.heapTotal)} MB  array buffers ${mb(usage.arrayBuffers)} MB  peak ${peak === undefined ? '?' : Math.round(peak)} MB\n`,
    );
  };
  const timer = setInterval(line, every);
  try {
    const loaded = await loadWorkspace(root, {
      cache: true,
      onProgress: (progress) => {
        if (progress.phase === phase) return;
        phase = progress.phase;
        line();
      },
    });
    const returnedMs = Date.now() - started;
    phase = 'returned';
    line();
    (globalThis as { gc?: () => void }).gc?.();
    const usage = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({
        loadMs: loaded.loadMs,
        returnedMs,
        peakRssMb: Math.round(procMemoryMb('self', 'VmHWM') ?? process.resourceUsage().maxRSS / 1024),
        rssAfterGcMb: mb(usage.rss),
        heapAfterGcMb: mb(usage.heapUsed),
        profiles: loaded.workspace.profileCount,
        events: loaded.workspace.eventCount,
      })}\n`,
    );
  } finally {
    clearInterval(timer);
    rmSync(cache, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
