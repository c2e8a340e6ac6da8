import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs the smoke benchmark (size S, one run of each measure) the way `npm run bench` does, and
 * checks its JSON report: the documented shape, and that Segment Lens and DuckDB count the same
 * profiles for every segment of the suite.
 */
const REPO = join(__dirname, '..', '..', '..');
const BENCH = join(REPO, 'out', 'bench', 'bench.js');

interface Report {
  workspace: { profiles: number; events: number; load_ms: number; cached_load_ms: number | null; rss_mb: number };
  validation_ms: number;
  validation_edit_ms: number;
  segments: { name: string; matched: number; duckdb_matched: number; eval_ms: number; duckdb_ms: number; ratio: number; edit_ms: number; history_ms: number }[];
  completion_p50_ms: number;
  completion_p99_ms: number;
  hover_p50_ms: number;
  hover_p99_ms: number;
  completion_p99_during_eval_ms: number;
  hover_p99_during_eval_ms: number;
  lsp_loaded_from: string;
  lsp_ready_ms: number;
  completion_p99_while_loading_ms: number;
  hover_p99_while_loading_ms: number;
  requests_while_loading: number;
  lsp_server_peak_rss_mb: number;
}

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BENCH, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

describe('benchmark (smoke)', function () {
  // The first run generates the size-S workspace into bench/.cache/S (reused afterwards).
  this.timeout(600_000);

  it('--only validation prints the two validation measures and nothing else', async () => {
    const { code, stdout, stderr } = await runBench(['--smoke', '--only', 'validation', '--json']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(report), ['validation_ms', 'validation_edit_ms']);
    assert.ok(isNumber(report.validation_ms) && isNumber(report.validation_edit_ms), stdout);
    assert.doesNotMatch(stderr, /workspace/i, 'no workspace is generated or loaded');
  });

  it('--only lsp prints the language-server measures of one busy segment, without loads or DuckDB', async () => {
    const { code, stdout, stderr } = await runBench(['--smoke', '--only', 'lsp', '--segments', 'vip-customers', '--json']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(report.busy_segment, 'vip-customers');
    assert.equal(report.lsp_loaded_from, 'jsonl');
    for (const key of ['completion_p99_ms', 'hover_p99_ms', 'completion_p99_during_eval_ms', 'completion_p99_while_loading_ms', 'lsp_ready_ms'])
      assert.ok(isNumber(report[key]), `${key} in ${stdout}`);
    assert.doesNotMatch(stderr, /duckdb|^load \d/im, 'no loads, no DuckDB');
  });

  it('--engine duckdb: the compiled SQL beside the hand-written query, then the language server on the converted database, every count equal', async () => {
    const names = ['vip-customers', 'hotmail-addresses'];
    const { code, stdout, stderr } = await runBench(['--smoke', '--engine', 'duckdb', '--segments', names.join(','), '--json']);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as {
      size: string;
      convertMs: number;
      mismatches: string[];
      segments: { name: string; matched: number; handMatched: number; ratio: number }[];
      lsp: { memoryLimit: string; medianEditMs: number; peakRssMb?: number; segments: { name: string; matched: number; openMs: number; editMs: number }[] };
    };
    assert.equal(report.size, 'S');
    assert.ok(isNumber(report.convertMs), stdout);
    assert.deepEqual(report.mismatches, []);
    assert.deepEqual(
      report.segments.map((s) => s.name),
      names,
    );
    for (const s of report.segments) assert.ok(s.matched === s.handMatched && s.matched > 0 && isNumber(s.ratio), JSON.stringify(s));
    // The editor's memory limit to evaluate, unless --memory-limit says another.
    assert.equal(report.lsp.memoryLimit, '768MB');
    assert.deepEqual(
      report.lsp.segments.map((s) => [s.name, s.matched]),
      report.segments.map((s) => [s.name, s.matched]),
    );
    for (const s of report.lsp.segments) assert.ok(isNumber(s.openMs) && isNumber(s.editMs), JSON.stringify(s));
    if (process.platform === 'linux') assert.ok(isNumber(report.lsp.peakRssMb) && report.lsp.peakRssMb > 0, stdout);
  });

  it('prints the documented JSON report and DuckDB agrees with every count', async () => {
    const { code, stdout, stderr } = await runBench(['--smoke', '--json']);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1, `--json must print exactly one line on stdout, got:\n${stdout}\nstderr:\n${stderr}`);
    const report = JSON.parse(lines[0]) as Report;

    // Shape.
    assert.equal(report.workspace.profiles, 10_000);
    assert.equal(report.workspace.events, 100_000);
    assert.ok(isNumber(report.workspace.load_ms) && report.workspace.load_ms > 0, 'workspace.load_ms');
    assert.ok(report.workspace.cached_load_ms === null || isNumber(report.workspace.cached_load_ms), 'workspace.cached_load_ms is a number or null');
    assert.ok(isNumber(report.workspace.rss_mb) && report.workspace.rss_mb > 0, 'workspace.rss_mb');
    assert.ok(isNumber(report.validation_ms) && report.validation_ms > 0, 'validation_ms');
    assert.ok(isNumber(report.validation_edit_ms) && report.validation_edit_ms > 0, 'validation_edit_ms');
    for (const key of [
      'completion_p50_ms',
      'completion_p99_ms',
      'hover_p50_ms',
      'hover_p99_ms',
      'completion_p99_during_eval_ms',
      'hover_p99_during_eval_ms',
      'completion_p99_while_loading_ms',
      'hover_p99_while_loading_ms',
    ] as const) {
      assert.ok(isNumber(report[key]) && report[key] >= 0, `${key} is a number: ${String(report[key])}`);
    }
    assert.ok(report.completion_p50_ms <= report.completion_p99_ms && report.hover_p50_ms <= report.hover_p99_ms, 'p50 ≤ p99');
    // The language server of the latency measures loads the workspace from its JSONL (an empty cache of its own),
    // and requests are timed while it does.
    assert.equal(report.lsp_loaded_from, 'jsonl');
    assert.ok(isNumber(report.lsp_ready_ms) && report.lsp_ready_ms > 0, 'lsp_ready_ms');
    assert.ok(
      Number.isInteger(report.requests_while_loading) && report.requests_while_loading >= 2,
      `requests while loading: ${report.requests_while_loading}`,
    );
    if (process.platform === 'linux') assert.ok(isNumber(report.lsp_server_peak_rss_mb) && report.lsp_server_peak_rss_mb > 0, 'lsp_server_peak_rss_mb');
    assert.ok(report.segments.length >= 10, `at least 10 segments, got ${report.segments.length}`);
    assert.equal(new Set(report.segments.map((s) => s.name)).size, report.segments.length, 'segment names are unique');
    for (const s of report.segments) {
      assert.equal(typeof s.name, 'string');
      for (const key of ['matched', 'duckdb_matched', 'eval_ms', 'duckdb_ms', 'ratio', 'edit_ms', 'history_ms'] as const) {
        assert.ok(isNumber(s[key]), `${s.name}.${key} is a number: ${String(s[key])}`);
      }
      assert.ok(Number.isInteger(s.matched) && s.matched >= 0 && s.matched <= report.workspace.profiles, `${s.name}.matched is a profile count`);
    }

    // Counts: Segment Lens and DuckDB must agree on every segment.
    const differing = report.segments
      .filter((s) => s.matched !== s.duckdb_matched)
      .map((s) => `${s.name}: Segment Lens ${s.matched}, DuckDB ${s.duckdb_matched}`);
    assert.deepEqual(differing, [], `counts differ:\n${differing.join('\n')}\n${stderr}`);
    // A segment that matches no one (or everyone) tests nothing.
    for (const s of report.segments)
      assert.ok(s.matched > 0 && s.matched < report.workspace.profiles, `${s.name} matches ${s.matched} of ${report.workspace.profiles}`);
    assert.equal(code, 0, `the benchmark exited with ${code}:\n${stderr}`);
  });
});
