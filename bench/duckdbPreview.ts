/**
 * The preview panel's table on the DuckDB engine (evaluation/duckdbWorkspace.ts `rows`, what the
 * worker answers when the panel opens, sorts or filters), on a workspace the benchmark generated,
 * under the editor's memory limit to evaluate (or another). Per segment, medians of `runs`: the
 * first page (100 rows, by ID), the page sorted by latest event (newest first), and a filter
 * ("gmail"). Also the process's peak RSS (Linux VmHWM). The workspace is converted into the cache
 * folder first when it is not there yet (reuse one with SEGMENT_LENS_CACHE_DIR, as the benchmark's
 * --keep-conversion keeps it).
 *
 *   SEGMENT_LENS_CACHE_DIR=bench/.cache/xl-engine-cache node out/bench/duckdbPreview.js XL all 3 [768MB]
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EVALUATE_MEMORY_LIMIT, isMemorySize } from '../server/src/duckdb/engineChoice';
import { DuckDbWorkspace } from '../server/src/evaluation/duckdbWorkspace';
import { readWorkspaceConfig } from '../server/src/workspace/loadWorkspace';
import { procMemoryMb } from './procMemory';
import { median } from './stats';
import { cacheDir, workspaceSuite } from './workspaceCache';

async function main(): Promise<void> {
  const [size, names, runsText, limitText] = process.argv.slice(2);
  const runs = Number(runsText ?? 3);
  const limit = limitText ?? DEFAULT_EVALUATE_MEMORY_LIMIT;
  if (!size || !names || !Number.isInteger(runs) || runs < 1 || !isMemorySize(limit))
    throw new Error('usage: duckdbPreview.js <S|M|L|XL> <segment,segment|all> [runs] [memory limit to evaluate, e.g. 768MB]');
  const folder = join(cacheDir(), size);
  if (!existsSync(folder)) throw new Error(`no workspace in ${folder}: run the benchmark of size ${size} first`);
  const root = realpathSync(folder);
  process.env.SEGMENT_LENS_CACHE_DIR ??= join(cacheDir(), 'engine-cache');
  const opened = performance.now();
  const workspace = await DuckDbWorkspace.open(readWorkspaceConfig(root), undefined, () => undefined, { evaluate: limit });
  const openMs = performance.now() - opened;
  try {
    const suite = workspaceSuite(root);
    const wanted = names === 'all' ? suite : suite.filter((segment) => names.split(',').includes(segment.name));
    const requests = {
      first_page_ms: { offset: 0, limit: 100 },
      by_latest_event_ms: { offset: 0, limit: 100, sort: { column: 'lastEvent', descending: true } },
      filter_ms: { offset: 0, limit: 100, filter: 'gmail' },
    };
    const segments: Record<string, Record<string, number>> = {};
    for (const segment of wanted) {
      const row: Record<string, number> = {};
      for (const [name, request] of Object.entries(requests)) {
        const times: number[] = [];
        for (let run = 0; run < runs; run++) {
          const at = performance.now();
          const page = await workspace.rows(segment.definition, request);
          times.push(performance.now() - at);
          row[name.replace(/_ms$/, '_total')] = page.total;
        }
        row[name] = Math.round(median(times));
      }
      segments[segment.name] = row;
      process.stderr.write(`${segment.name}: ${JSON.stringify(row)}\n`);
    }
    process.stdout.write(
      `${JSON.stringify({ size, runs, memory_limit: limit, open_ms: Math.round(openMs), peak_rss_mb: procMemoryMb('self', 'VmHWM'), segments })}\n`,
    );
  } finally {
    workspace.close();
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`duckdbPreview failed: ${error.stack ?? error.message}\n`);
    process.exit(2);
  },
);
