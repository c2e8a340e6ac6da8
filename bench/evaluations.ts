/**
 * The benchmark's cold and edit evaluations alone, on a workspace the benchmark has generated,
 * loaded from the engine's cache (a few seconds at L, against minutes for the whole benchmark's
 * JSONL loads): for comparing two builds of the engine, run alternately (A/B, see
 * docs/performance.md). Each measure is run as `bench.ts` runs it (a new Evaluator each run, the
 * kept measures emptied first). Prints one JSON object: per segment, the counts, the first cold
 * run, and the medians of the cold and edit runs.
 *
 * Usage: node out/bench/evaluations.js <S|M|L> <segment,segment|all> [runs (default 9)]
 */
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { Evaluator } from '../server/src/engine/evaluator';
import { loadWorkspace } from '../server/src/workspace/loadWorkspace';
import { median, round } from './stats';
import { cacheDir, workspaceSuite } from './workspaceCache';

async function main(): Promise<void> {
  const [size, names, runsText] = process.argv.slice(2);
  const runs = Number(runsText ?? 9);
  if (!size || !names || !Number.isInteger(runs) || runs < 1) throw new Error('usage: evaluations.js <S|M|L> <segment,segment|all> [runs]');
  const folder = join(cacheDir(), size);
  if (!existsSync(folder)) throw new Error(`no workspace in ${folder}: run the benchmark of size ${size} first (npm run bench -- --size ${size})`);
  // The real path: a checkout whose bench/.cache is a link shares the engine cache's entry.
  const root = realpathSync(folder);
  process.env.SEGMENT_LENS_CACHE_DIR ??= join(cacheDir(), 'engine-cache');
  const started = performance.now();
  const loaded = await loadWorkspace(root, { cache: true });
  const loadMs = performance.now() - started;
  const ws = loaded.workspace;
  const suite = workspaceSuite(root);
  const wanted = names === 'all' ? suite : suite.filter((segment) => names.split(',').includes(segment.name));
  const segments: Record<string, { matched: number | null; edited: number | null; first_ms: number | null; eval_ms: number | null; edit_ms: number | null }> =
    {};
  for (const segment of wanted) {
    const cold: number[] = [];
    const edit: number[] = [];
    let matched: number | null = null;
    let edited: number | null = null;
    for (let run = 0; run < runs; run++) {
      ws.measures.clear();
      const evaluator = new Evaluator(ws);
      const at = performance.now();
      matched = evaluator.evaluateDefinition(segment.definition).matched;
      cold.push(performance.now() - at);
    }
    for (let run = 0; run < runs; run++) {
      ws.measures.clear();
      const evaluator = new Evaluator(ws);
      evaluator.evaluateDefinition(segment.definition);
      const at = performance.now();
      edited = evaluator.evaluateDefinition(segment.edit(0)).matched;
      edit.push(performance.now() - at);
    }
    segments[segment.name] = { matched, edited, first_ms: round(cold[0], 2), eval_ms: round(median(cold), 2), edit_ms: round(median(edit), 2) };
  }
  process.stdout.write(`${JSON.stringify({ size, runs, load_ms: Math.round(loadMs), from_cache: loaded.fromCache === true, segments })}\n`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`evaluations failed: ${error.stack ?? error.message}\n`);
    process.exit(2);
  },
);
