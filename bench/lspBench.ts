/**
 * Completion and hover latency through the real language server (dist/server.js over stdio):
 * first while the server loads the workspace (from its JSONL files, with an empty engine cache,
 * unless told to load from the cache), then with the workspace loaded, then again while the
 * server's worker keeps evaluating a heavy segment (each evaluation is triggered by an edit of the
 * document, and the next edit is sent as soon as the previous evaluation has finished, so the
 * worker is busy throughout).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompletionRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { positionAt } from '../test/support/lspText';
import { TestClient } from '../test/protocol/lspClient';
import { procMemoryMb } from './procMemory';
import { percentile } from './stats';

export interface LatencyStats {
  samples: number;
  p50: number;
  p99: number;
}

export interface LspBenchResult {
  /** From opening the document to its first counts (workspace load in the server + evaluation). */
  readyMs: number;
  /** Where the server loaded the workspace from. */
  loadedFrom: 'jsonl' | 'cache';
  /** Requests answered while the server was loading (before the first counts), one every `LOADING_PAUSE_MS`. */
  completionWhileLoading: LatencyStats;
  hoverWhileLoading: LatencyStats;
  /** Completions answered with no items while loading (metric and list IDs need the loaded summary). */
  emptyCompletionsWhileLoading: number;
  /** The server process's peak and current resident memory once ready (Linux `VmHWM` / `VmRSS`; undefined elsewhere). */
  serverPeakRssMb?: number;
  serverRssMb?: number;
  completion: LatencyStats;
  hover: LatencyStats;
  completionDuringEval: LatencyStats;
  hoverDuringEval: LatencyStats;
  /** Evaluations that ran during the second phase, and their mean duration as seen by the client. */
  evaluations: number;
  meanEvaluationMs: number;
  /** Completions that returned no items (a sign the positions are wrong). */
  emptyCompletions: number;
}

interface Target {
  kind: 'completion' | 'hover';
  find: string;
  /** Offset of the cursor from the start of `find`. */
  delta: number;
}

/** Cursor positions used for requests; those whose text is absent from the document are skipped. */
const TARGETS: readonly Target[] = [
  { kind: 'completion', find: '"metric_id": "', delta: '"metric_id": "'.length },
  { kind: 'completion', find: '"operator": "', delta: '"operator": "'.length },
  { kind: 'completion', find: '"measurement": "', delta: '"measurement": "'.length },
  { kind: 'completion', find: '"property": "', delta: '"property": "'.length },
  { kind: 'completion', find: '"timeframe_filter"', delta: 1 },
  { kind: 'completion', find: '"type": "profile-', delta: '"type": "'.length },
  { kind: 'hover', find: '"metric_id": "', delta: '"metric_id": "'.length + 2 },
  { kind: 'hover', find: '"type": "profile-', delta: '"type": "'.length + 4 },
  { kind: 'hover', find: '"operator": "', delta: '"operator": "'.length + 2 },
  { kind: 'hover', find: '"measurement_filter"', delta: 3 },
  { kind: 'hover', find: '"timeframe_filter"', delta: 3 },
  { kind: 'hover', find: '"property": "', delta: '"property": "'.length + 2 },
];

function stats(values: number[]): LatencyStats {
  return { samples: values.length, p50: percentile(values, 50), p99: percentile(values, 99) };
}

export interface LspBenchOptions {
  workspaceRoot: string;
  /** The heavy segment's text for edit number k (k = 0: the text opened first). */
  textFor: (k: number) => string;
  /** Timed requests of each kind in the idle phase. */
  samples: number;
  /** Timed requests of each kind wanted while evaluating, and the time limit of that phase. */
  duringSamples: number;
  /** At least this many evaluations in the busy phase (time permitting). */
  minEvaluations: number;
  duringBudgetMs: number;
  /** `jsonl` (default): the server starts with an empty engine cache of its own, so it loads the JSONL files. */
  loadFrom?: 'jsonl' | 'cache';
  log: (message: string) => void;
}

/** Pause between two requests while the server loads (someone typing, not a flood). */
export const LOADING_PAUSE_MS = 20;

export async function runLspBench(options: LspBenchOptions): Promise<LspBenchResult> {
  const dir = join(options.workspaceRoot, 'segments');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'bench-heavy.segment.json');
  writeFileSync(path, options.textFor(0));
  // Debounce 0: an edit is validated and evaluated at once (the default waits 200 ms for typing to pause).
  const loadedFrom = options.loadFrom ?? 'jsonl';
  const emptyCache = loadedFrom === 'jsonl' ? mkdtempSync(join(tmpdir(), 'segment-lens-bench-cache-')) : undefined;
  const client = new TestClient({ settings: { debounceMs: 0, engine: 'memory' }, env: emptyCache ? { SEGMENT_LENS_CACHE_DIR: emptyCache } : undefined });
  let countsChanged = 0;
  const countWaiters: (() => void)[] = [];
  client.connection.onNotification('segmentLens/countsChanged', () => {
    countsChanged++;
    for (const wake of countWaiters.splice(0)) wake();
  });
  try {
    await client.initialize();
    const uri = client.uriOf(path);
    let text = options.textFor(0);
    const targets = (kind: Target['kind']) => TARGETS.filter((t) => t.kind === kind && text.includes(t.find));
    const completionTargets = targets('completion');
    const hoverTargets = targets('hover');
    if (!completionTargets.length || !hoverTargets.length) throw new Error('the heavy segment has no position to complete or hover');
    let emptyCompletions = 0;
    const request = async (target: Target): Promise<number> => {
      const position = positionAt(text, text.indexOf(target.find) + target.delta);
      const params = { textDocument: { uri }, position };
      const t0 = performance.now();
      if (target.kind === 'completion') {
        const result = await client.connection.sendRequest(CompletionRequest.type, params);
        const items = Array.isArray(result) ? result : (result?.items ?? []);
        if (items.length === 0) emptyCompletions++;
      } else {
        await client.connection.sendRequest(HoverRequest.type, params);
      }
      return performance.now() - t0;
    };

    // While loading: open the document (which starts the workspace's load) and ask for its counts,
    // which the server answers once the workspace is loaded and the segment counted; meanwhile,
    // one completion or hover request every LOADING_PAUSE_MS.
    const started = performance.now();
    await client.open(uri, text);
    let ready = false;
    const firstCounts = client.connection.sendRequest<{ state: string; message?: string }>('segmentLens/counts', { uri }).finally(() => (ready = true));
    firstCounts.catch(() => undefined); // awaited below, after the loop; this only keeps a failure from being "unhandled" meanwhile
    const completionLoading: number[] = [];
    const hoverLoading: number[] = [];
    for (let i = 0; !ready; i++) {
      const target = i % 2 === 0 ? completionTargets[(i >> 1) % completionTargets.length] : hoverTargets[(i >> 1) % hoverTargets.length];
      const ms = await request(target);
      // Count it only if the load was still going when the answer came back.
      if (!ready) (target.kind === 'completion' ? completionLoading : hoverLoading).push(ms);
      await new Promise((resolve) => setTimeout(resolve, LOADING_PAUSE_MS));
    }
    const emptyCompletionsWhileLoading = emptyCompletions;
    const first = await firstCounts;
    const readyMs = performance.now() - started;
    if (first.state !== 'ok') throw new Error(`the server did not evaluate the benchmark segment: ${first.state} ${first.message ?? ''}`);
    const serverPeakRssMb = procMemoryMb(client.pid, 'VmHWM');
    const serverRssMb = procMemoryMb(client.pid, 'VmRSS');
    options.log(
      `  server ready (workspace loaded from ${loadedFrom} and segment counted) after ${(readyMs / 1000).toFixed(1)} s; ` +
        `${completionLoading.length + hoverLoading.length} requests answered while loading`,
    );
    // The server may evaluate the document once more right after the workspace loads: wait until it is quiet.
    for (let seen = -1; seen !== countsChanged;) {
      seen = countsChanged;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }

    // Idle: the workspace is loaded, nothing is being evaluated.
    for (let i = 0; i < 20; i++) {
      await request(completionTargets[i % completionTargets.length]);
      await request(hoverTargets[i % hoverTargets.length]);
    }
    emptyCompletions = 0;
    const completion: number[] = [];
    const hover: number[] = [];
    for (let i = 0; i < options.samples; i++) completion.push(await request(completionTargets[i % completionTargets.length]));
    for (let i = 0; i < options.samples; i++) hover.push(await request(hoverTargets[i % hoverTargets.length]));

    // While evaluating: edit (a new variant each time, so the worker's cache cannot answer), then
    // time requests until that evaluation reports its counts; repeat.
    const completionDuring: number[] = [];
    const hoverDuring: number[] = [];
    let evaluations = 0;
    let evaluationMs = 0;
    const phaseStart = performance.now();
    let k = 0;
    while (
      (completionDuring.length < options.duringSamples || hoverDuring.length < options.duringSamples || evaluations < options.minEvaluations) &&
      performance.now() - phaseStart < options.duringBudgetMs
    ) {
      k++;
      text = options.textFor(k);
      let done = false;
      const finished = new Promise<void>((resolve) => countWaiters.push(resolve)).then(() => (done = true));
      const editAt = performance.now();
      await client.change(uri, text);
      let i = 0;
      while (!done) {
        const target = i % 2 === 0 ? completionTargets[(i >> 1) % completionTargets.length] : hoverTargets[(i >> 1) % hoverTargets.length];
        const ms = await request(target);
        // Count it only if the evaluation was still running when the answer came back.
        if (!done) (target.kind === 'completion' ? completionDuring : hoverDuring).push(ms);
        i++;
        if (performance.now() - editAt > 120_000) throw new Error('an evaluation took more than two minutes');
      }
      await finished;
      evaluations++;
      evaluationMs += performance.now() - editAt;
    }
    if (countsChanged === 0) options.log('  warning: the server never reported counts');
    return {
      readyMs,
      loadedFrom,
      completionWhileLoading: stats(completionLoading),
      hoverWhileLoading: stats(hoverLoading),
      emptyCompletionsWhileLoading,
      serverPeakRssMb,
      serverRssMb,
      completion: stats(completion),
      hover: stats(hover),
      completionDuringEval: stats(completionDuring),
      hoverDuringEval: stats(hoverDuring),
      evaluations,
      meanEvaluationMs: evaluations ? evaluationMs / evaluations : NaN,
      emptyCompletions,
    };
  } finally {
    await client.stop();
    if (emptyCache) rmSync(emptyCache, { recursive: true, force: true });
  }
}
