/**
 * `node out/bench/convertLimit.js <workspace> [memory-limit] [threads]`: the DuckDB engine's
 * conversion of a workspace (duckdb/convert.ts, what `--engine duckdb` and the editor do once per
 * data version) into a fresh cache folder, in this process alone, under DuckDB's memory limit
 * (e.g. 2GB; DuckDB's default of 80% of RAM when absent). Prints the time of each step, the
 * whole conversion, the converted file's size and this process's peak RSS (Linux VmHWM: DuckDB's
 * limit bounds its buffer manager, not everything the process holds), and the disk DuckDB's spill
 * files took at the most (sampled every second), in all and per step. With --json, one object.
 *
 *   node out/bench/convertLimit.js bench/.cache/L 2GB
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convertedWorkspace } from '../server/src/duckdb/convert';
import { readWorkspaceConfig, type LoadProgress } from '../server/src/workspace/loadWorkspace';
import { procMemoryMb } from './procMemory';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const [root, memoryLimit, threads] = argv.filter((a) => a !== '--json');
  if (!root) {
    process.stderr.write('usage: node out/bench/convertLimit.js <workspace> [memory-limit, e.g. 2GB] [threads] [--json]\n');
    return 2;
  }
  const cache = mkdtempSync(join(tmpdir(), 'segment-lens-convert-'));
  process.env.SEGMENT_LENS_CACHE_DIR = cache;
  const steps: { step: string; ms: number; spill_mb: number }[] = [];
  let last = Date.now();
  let previous: LoadProgress | undefined;
  // DuckDB's spill files: a folder `<database>.tmp` beside the database being written.
  let stepSpill = 0;
  let peakSpill = 0;
  const spillBytes = () => {
    let bytes = 0;
    const folder = join(cache, 'duckdb');
    try {
      for (const name of readdirSync(folder))
        if (name.endsWith('.tmp.tmp'))
          for (const file of readdirSync(join(folder, name)))
            try {
              bytes += statSync(join(folder, name, file)).size;
            } catch {
              // Removed since it was listed.
            }
    } catch {
      // Not created yet.
    }
    return bytes;
  };
  const sampler = setInterval(() => {
    const bytes = spillBytes();
    stepSpill = Math.max(stepSpill, bytes);
    peakSpill = Math.max(peakSpill, bytes);
  }, 1000);
  // Progress comes before each statement (records = its index) and once after the last.
  const onProgress = (progress: LoadProgress) => {
    const now = Date.now();
    if (previous !== undefined) {
      const step = { step: `${previous.records} (${previous.phase})`, ms: now - last, spill_mb: Math.round(stepSpill / 1024 ** 2) };
      steps.push(step);
      if (step.ms >= 1000) process.stderr.write(`  statement ${step.step}: ${(step.ms / 1000).toFixed(1)} s, spill files up to ${step.spill_mb} MB\n`);
    }
    stepSpill = 0;
    last = now;
    previous = progress;
  };
  try {
    const started = Date.now();
    const converted = await convertedWorkspace(readWorkspaceConfig(root), {
      memoryLimit,
      threads: threads === undefined ? undefined : Number(threads),
      onProgress,
    });
    const result = {
      workspace: root,
      memory_limit: memoryLimit ?? "DuckDB's default (80% of RAM)",
      convert_ms: Date.now() - started,
      converted_bytes: statSync(converted.path).size,
      peak_rss_mb: procMemoryMb('self', 'VmHWM'),
      peak_spill_mb: Math.round(peakSpill / 1024 ** 2),
      slow_steps: steps.filter((s) => s.ms >= 1000),
    };
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else
      process.stdout.write(
        `converted ${root} in ${(result.convert_ms / 1000).toFixed(1)} s under ${result.memory_limit}: ${(result.converted_bytes / 1024 ** 2).toFixed(0)} MB file, peak RSS ${result.peak_rss_mb?.toFixed(0) ?? '?'} MB, spill files up to ${result.peak_spill_mb} MB\n`,
      );
    return 0;
  } finally {
    clearInterval(sampler);
    rmSync(cache, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
