// Measures the DuckDB engine against the in-memory engine on one workspace (docs/performance.md,
// "DuckDB engine"): node scripts/measure-duckdb.mjs [segments folder] [--workspace DIR]
// Runs the built CLI (npm run build first) with a fresh engine cache: the memory engine without
// its cache, then DuckDB twice (the first run converts the workspace, the second reuses it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [segments = 'sample-workspace/segments', ...rest] = process.argv.slice(2);
const cache = mkdtempSync(join(tmpdir(), 'segment-lens-measure-'));

function run(label, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['bin/segment-lens.js', 'evaluate', segments, ...rest, '--json', ...args], {
    env: { ...process.env, SEGMENT_LENS_CACHE_DIR: cache },
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${label}: exit ${result.status}\n${result.stderr}`);
  const results = [JSON.parse(result.stdout)].flat();
  const converted = /into DuckDB in (\d+) ms/.exec(result.stderr)?.[1];
  return { label, wallMs, convertMs: converted === undefined ? null : Number(converted), results };
}

const runs = [
  run('memory (no cache)', ['--engine', 'memory', '--no-cache']),
  run('duckdb (converts)', ['--engine', 'duckdb']),
  run('duckdb (cached)', ['--engine', 'duckdb']),
];
rmSync(cache, { recursive: true, force: true });
const first = runs[0].results[0].workspace;
console.log(`workspace: ${first.name}, ${first.profiles} profiles, ${first.events} events, ${runs[0].results.length} segments`);
for (const r of runs)
  console.log(
    `${r.label}: whole run ${(r.wallMs / 1000).toFixed(1)} s${r.convertMs === null ? '' : `, conversion ${r.convertMs} ms`}, segments ${r.results.reduce((sum, x) => sum + x.elapsed_ms, 0)} ms in all`,
  );
console.log(`\n| segment | matched | memory ms | duckdb ms (first run) | duckdb ms (cached) |\n|---|---:|---:|---:|---:|`);
runs[0].results.forEach((m, i) => {
  const [d1, d2] = [runs[1].results[i], runs[2].results[i]];
  const same = m.matched === d1.matched && m.matched === d2.matched ? '' : ' (differs!)';
  console.log(`| ${m.file.replace(/^.*[\\/]/, '')} | ${m.matched}${same} | ${m.elapsed_ms} | ${d1.elapsed_ms} | ${d2.elapsed_ms} |`);
});
