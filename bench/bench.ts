/**
 * `npm run bench [-- --size S|M|L] [-- --json] [-- --smoke]`: Segment Lens performance, side by
 * side with DuckDB. See docs/performance.md for what is measured and how to read the output.
 *
 * Options:
 *   --size S|M|L|XL    workspace size (default M): S = 10k profiles / 100k events, M = 100k / 1M, L = 1M / 10M,
 *                      XL = 3M / 30M (XL runs the DuckDB engine's measures: --engine duckdb)
 *   --json             print one JSON object on stdout (progress goes to stderr)
 *   --smoke            size S, one run of everything, small latency samples (for `npm test`)
 *   --runs N           runs per evaluation / query measure (default 5, smoke 1)
 *   --load-runs N      runs of each load (default 3; 2 for L; smoke 1)
 *   --seed N           generator seed (default: the generator's default)
 *   --no-lsp           skip the language-server latency measures
 *   --no-duckdb        skip DuckDB (no count comparison!)
 *   --segments a,b     only these segments of the suite (by name)
 *   --only validation  only the validation measures (no workspace is generated or loaded)
 *   --only lsp         only validation and the language server's latency measures, the busy phase on the first
 *                      segment of --segments (default at-risk-customers); no loads, no DuckDB
 *   --lsp-load jsonl|cache  where the language server of the latency measures loads the workspace
 *                      from (default jsonl: an empty engine cache of its own, so completion and
 *                      hover are also timed during a first load)
 *   --engine duckdb    instead: the DuckDB engine's compiled SQL against the hand-written DuckDB
 *                      queries, per segment (bench/duckdbEngineBench.ts), then (unless --no-lsp) the
 *                      language server with engine "duckdb" on the converted database: edit → code
 *                      lens per segment and the server's RSS (bench/lspEngineBench.ts)
 *   --memory-limit S   DuckDB's memory limit to evaluate in that language server (default: the editor's, 768MB)
 *   --keep-conversion D  convert into the engine cache folder D and keep it: a later run with the
 *                      same D reuses the converted database (and reports no conversion time)
 * Exit code: 1 when any segment's count differs between the engine and DuckDB (or a measure fails).
 */
import { execFileSync } from 'node:child_process';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { Evaluator } from '../server/src/engine/evaluator';
import { evaluateHistory, historyInstants } from '../server/src/engine/history';
import type { Workspace } from '../server/src/engine/workspace';
import { DEFAULT_EVALUATE_MEMORY_LIMIT, isMemorySize } from '../server/src/duckdb/engineChoice';
import { DEFAULT_SEED } from '../server/src/generate';
import { SegmentLanguage } from '../server/src/segment/languageService';
import { loadWorkspace, type LoadOptions } from '../server/src/workspace/loadWorkspace';
import { engineBenchReport, runDuckDbEngineBench } from './duckdbEngineBench';
import { DuckBench } from './duckdbRunner';
import type { FreshLoad } from './firstLoad';
import { runLspBench, type LspBenchResult } from './lspBench';
import type { BenchSegment } from './segments';
import { fmtInt, fmtMb, fmtMs, fmtRatio, median, round, table } from './stats';
import { runValidationBench } from './validationBench';
import { cacheDir, ensureWorkspace, workspaceSuite, type SizeName } from './workspaceCache';

interface Options {
  size: SizeName;
  json: boolean;
  smoke: boolean;
  runs: number;
  loadRuns: number;
  seed: number;
  lsp: boolean;
  duckdb: boolean;
  /** Which loaded copy the segments are evaluated on. */
  evaluateOn: 'cache' | 'jsonl';
  /** Only these segments (by name); undefined: the whole suite. */
  segments: string[] | undefined;
  /** Only the validation measures. */
  onlyValidation: boolean;
  /** Only the language server's latency measures (with the first segment of `segments` as the busy one). */
  onlyLsp: boolean;
  /** Where the language server of the latency measures loads the workspace from. */
  lspLoad: 'jsonl' | 'cache';
  /** memory: the in-memory engine (and the rest); duckdb: the DuckDB engine's SQL against the hand-written queries. */
  engine: 'memory' | 'duckdb';
  /** DuckDB's memory limit in the language server of the DuckDB engine's measures. */
  memoryLimit: string;
  /** The DuckDB engine's measures: an engine cache folder to convert into and keep. */
  keepConversion: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    size: 'M',
    json: false,
    smoke: false,
    runs: NaN,
    loadRuns: NaN,
    seed: DEFAULT_SEED,
    lsp: true,
    duckdb: true,
    evaluateOn: 'cache',
    segments: undefined,
    onlyValidation: false,
    onlyLsp: false,
    lspLoad: 'jsonl',
    engine: 'memory',
    memoryLimit: DEFAULT_EVALUATE_MEMORY_LIMIT,
    keepConversion: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--size': {
        const s = value().toUpperCase();
        if (s !== 'S' && s !== 'M' && s !== 'L' && s !== 'XL') throw new Error(`--size must be S, M, L or XL, got ${s}`);
        o.size = s;
        break;
      }
      case '--':
        break; // `npm run bench -- --size L -- --json` passes the second `--` through
      case '--json':
        o.json = true;
        break;
      case '--smoke':
        o.smoke = true;
        break;
      case '--runs':
        o.runs = Number(value());
        break;
      case '--load-runs':
        o.loadRuns = Number(value());
        break;
      case '--seed':
        o.seed = Number(value());
        break;
      case '--no-lsp':
        o.lsp = false;
        break;
      case '--no-duckdb':
        o.duckdb = false;
        break;
      case '--evaluate-on': {
        const v = value();
        if (v !== 'cache' && v !== 'jsonl') throw new Error(`--evaluate-on must be cache or jsonl, got ${v}`);
        o.evaluateOn = v;
        break;
      }
      case '--lsp-load': {
        const v = value();
        if (v !== 'cache' && v !== 'jsonl') throw new Error(`--lsp-load must be jsonl or cache, got ${v}`);
        o.lspLoad = v;
        break;
      }
      case '--segments':
        o.segments = value()
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '');
        break;
      case '--only': {
        const v = value();
        if (v !== 'validation' && v !== 'lsp') throw new Error(`--only must be validation or lsp, got ${v}`);
        if (v === 'validation') o.onlyValidation = true;
        else o.onlyLsp = true;
        break;
      }
      case '--keep-conversion':
        o.keepConversion = value();
        break;
      case '--memory-limit': {
        const v = value();
        if (!isMemorySize(v)) throw new Error(`--memory-limit must be a size such as 1GB, got ${v}`);
        o.memoryLimit = v;
        break;
      }
      case '--engine': {
        const v = value();
        if (v !== 'memory' && v !== 'duckdb') throw new Error(`--engine must be memory or duckdb, got ${v}`);
        o.engine = v;
        break;
      }
      case '--help':
      case '-h':
        process.stdout.write(
          'usage: node out/bench/bench.js [--size S|M|L|XL] [--json] [--smoke] [--runs N] [--load-runs N] [--seed N] [--no-lsp] [--no-duckdb] [--evaluate-on cache|jsonl] [--segments a,b] [--only validation] [--lsp-load jsonl|cache] [--engine memory|duckdb] [--memory-limit 1GB] [--keep-conversion DIR]\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${a}`);
    }
  }
  if (o.smoke) o.size = 'S';
  // XL is for the DuckDB engine: 3M profiles are beyond what the in-memory engine is for.
  if (o.size === 'XL') o.engine = 'duckdb';
  if (!Number.isFinite(o.runs)) o.runs = o.smoke ? 1 : 5;
  if (!Number.isFinite(o.loadRuns)) o.loadRuns = o.smoke ? 1 : o.size === 'L' ? 2 : 3;
  for (const [k, v] of [
    ['--runs', o.runs],
    ['--load-runs', o.loadRuns],
  ] as const)
    if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive integer`);
  return o;
}

/** A `gc()` function: the global one under --expose-gc, else enabled at run time. */
function findGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

/** Days of the size-over-time series measured (the preview's default, segmentLens.history.days). */
const HISTORY_DAYS = 90;

interface SegmentResult {
  segment: BenchSegment;
  matched: number | null;
  evalMs: number;
  /** The first cold run in the process: per-workspace memos (phone countries, parsed dates) are still empty. */
  firstEvalMs: number;
  editMs: number;
  /** The 90-day size over time, from a new Evaluator (what the preview asks when it opens). */
  historyMs: number;
  engineIds?: Set<string>;
  duckMatched?: number;
  duckMs?: number;
  mismatch?: { onlyEngine: string[]; onlyDuck: string[] };
}

const mb = (bytes: number) => bytes / (1024 * 1024);

/** The language server's completion and hover latency while loading, loaded and busy evaluating `busy` (logged as it goes). */
/** The language-server measures of the JSON report (null when not measured). */
function lspMeasures(lsp: LspBenchResult | undefined) {
  return {
    completion_p50_ms: round(lsp?.completion.p50, 2),
    completion_p99_ms: round(lsp?.completion.p99, 2),
    hover_p50_ms: round(lsp?.hover.p50, 2),
    hover_p99_ms: round(lsp?.hover.p99, 2),
    completion_p99_during_eval_ms: round(lsp?.completionDuringEval.p99, 2),
    hover_p99_during_eval_ms: round(lsp?.hoverDuringEval.p99, 2),
    lsp_loaded_from: lsp?.loadedFrom ?? null,
    lsp_ready_ms: round(lsp?.readyMs, 0),
    completion_p99_while_loading_ms: round(lsp?.completionWhileLoading.p99, 2),
    hover_p99_while_loading_ms: round(lsp?.hoverWhileLoading.p99, 2),
    requests_while_loading: lsp ? lsp.completionWhileLoading.samples + lsp.hoverWhileLoading.samples : null,
    empty_completions_while_loading: lsp?.emptyCompletionsWhileLoading ?? null,
    lsp_server_peak_rss_mb: round(lsp?.serverPeakRssMb, 0),
    lsp_server_rss_mb: round(lsp?.serverRssMb, 0),
  };
}

async function measureLsp(root: string, busy: BenchSegment, o: Options, log: (message: string) => void): Promise<LspBenchResult> {
  log(`language server: completion/hover latency (heavy segment for the busy phase: ${busy.name})`);
  const lsp = await runLspBench({
    workspaceRoot: root,
    textFor: (k) => JSON.stringify(k === 0 ? busy.definition : busy.edit(k), null, 2) + '\n',
    samples: o.smoke ? 40 : 300,
    duringSamples: o.smoke ? 40 : 300,
    minEvaluations: o.smoke ? 2 : 5,
    duringBudgetMs: o.smoke ? 4000 : o.size === 'L' ? 120_000 : 30_000,
    loadFrom: o.lspLoad,
    log,
  });
  log(
    `  while loading from ${lsp.loadedFrom} (${fmtMs(lsp.readyMs)} to the first counts): completion p99 ${fmtMs(lsp.completionWhileLoading.p99)} (${lsp.completionWhileLoading.samples} samples, ${lsp.emptyCompletionsWhileLoading} empty), hover p99 ${fmtMs(lsp.hoverWhileLoading.p99)} (${lsp.hoverWhileLoading.samples} samples); server peak RSS ${fmtMb(lsp.serverPeakRssMb)}`,
  );
  log(`  completion p50 ${fmtMs(lsp.completion.p50)} p99 ${fmtMs(lsp.completion.p99)}; hover p50 ${fmtMs(lsp.hover.p50)} p99 ${fmtMs(lsp.hover.p99)}`);
  log(
    `  while evaluating (${lsp.evaluations} evaluations, mean ${fmtMs(lsp.meanEvaluationMs)}): completion p99 ${fmtMs(lsp.completionDuringEval.p99)} (${lsp.completionDuringEval.samples} samples), hover p99 ${fmtMs(lsp.hoverDuringEval.p99)} (${lsp.hoverDuringEval.samples} samples)`,
  );
  if (lsp.emptyCompletions) log(`  warning: ${lsp.emptyCompletions} completion request(s) returned no items`);
  return lsp;
}

async function main(): Promise<number> {
  const o = parseArgs(process.argv.slice(2));
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const gc = findGc();
  // The engine's on-disk workspace cache goes under bench/.cache/ too (the language server started
  // below inherits this), unless the caller chose a place.
  process.env.SEGMENT_LENS_CACHE_DIR ??= join(cacheDir(), 'engine-cache');
  const benchStarted = Date.now();
  log(
    `Segment Lens benchmark: size ${o.size}${o.smoke ? ' (smoke)' : ''}, ${o.runs} run(s) per measure, ${o.loadRuns} load run(s)${gc ? '' : ' (no gc available)'}`,
  );

  // 1. Validation of a ~1 MB segment file.
  const validation = runValidationBench(o.smoke ? 1 : 15);
  log(
    `validation: ${(validation.bytes / 1e6).toFixed(2)} MB, ${validation.conditions} conditions: median ${fmtMs(validation.medianMs)} (${validation.times.length} runs); after an edit of one condition: median ${fmtMs(validation.editMedianMs)} (${validation.editTimes.length} edits)`,
  );
  if (o.onlyValidation) {
    const measures = { validation_ms: round(validation.medianMs, 1), validation_edit_ms: round(validation.editMedianMs, 1) };
    process.stdout.write(
      o.json
        ? `${JSON.stringify(measures)}\n`
        : `\nvalidation of a 1 MB, 2,000-condition file (median): ${fmtMs(validation.medianMs)}\n  after an edit of one condition, with the previous version (median): ${fmtMs(validation.editMedianMs)}\n`,
    );
    return 0;
  }

  // 2. The workspace (generated once, cached in bench/.cache/<size>/).
  const cached = await ensureWorkspace(o.size, o.seed, log);
  const root = cached.root;
  const fullSuite = workspaceSuite(root);
  const unknown = o.segments?.filter((name) => !fullSuite.some((segment) => segment.name === name)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown segment ${unknown.join(', ')} (the suite: ${fullSuite.map((segment) => segment.name).join(', ')})`);
  const suite = o.segments ? fullSuite.filter((segment) => o.segments!.includes(segment.name)) : fullSuite;

  // Every definition of the suite (and its edit) must be valid: otherwise the numbers mean nothing.
  const language = new SegmentLanguage();
  for (const segment of suite) {
    for (const [label, definition] of [
      ['', segment.definition],
      [' (edited)', segment.edit(0)],
    ] as const) {
      const errors = language.validate(language.parse(JSON.stringify(definition, null, 2))).filter((p) => p.severity === 'error');
      if (errors.length) throw new Error(`segment ${segment.name}${label} is not valid: ${errors.map((e) => e.message).join('; ')}`);
    }
  }

  if (o.engine === 'duckdb') {
    const engineResult = await runDuckDbEngineBench(
      root,
      suite,
      o.runs,
      log,
      o.lsp ? { memoryLimit: o.memoryLimit, edits: o.runs } : undefined,
      o.keepConversion,
    );
    const report = engineBenchReport(engineResult);
    process.stdout.write(`${o.json ? JSON.stringify({ size: o.size, runs: o.runs, ...(report.json as object) }, null, 2) : report.text}\n`);
    return engineResult.mismatches.length ? 1 : 0;
  }

  if (o.onlyLsp) {
    const busy = o.segments ? suite[0] : suite.find((segment) => segment.name === 'at-risk-customers');
    if (!busy) throw new Error('no segment for the busy phase');
    const result = await measureLsp(root, busy, o, log);
    process.stdout.write(`${JSON.stringify({ size: o.size, busy_segment: busy.name, ...lspMeasures(result) }, null, o.json ? undefined : 2)}\n`);
    return 0;
  }

  // 3. Loading, ours and DuckDB's, alternating run by run (so that a burst of load from other
  // processes slows both rather than one). Resident memory is read after our first load, before
  // DuckDB exists in the process (its memory is native and would count in RSS).
  // Workspaces are only ever referenced from `held` (and dropped by clearing it): a local
  // variable of this async function could stay alive in its suspended frame and keep a second
  // multi-GB workspace from being collected.
  const held: { workspace?: Workspace } = {};
  const loadTimes: number[] = [];
  const loadCpu: number[] = [];
  const duckTimes: number[] = [];
  const duckCpu: number[] = [];
  let rssMb = NaN;
  let heapMb = NaN;
  let duck: DuckBench | undefined;
  let duckProfiles: number | undefined;
  let profileCount = 0;
  for (let run = 0; run < o.loadRuns; run++) {
    held.workspace = undefined;
    gc?.();
    const timed = await timedLoad(root, {}, held);
    loadTimes.push(timed.ms);
    loadCpu.push(timed.cpuMs);
    profileCount = timed.profileCount;
    if (run === 0) {
      gc?.();
      const usage = process.memoryUsage();
      rssMb = mb(usage.rss);
      heapMb = mb(usage.heapUsed);
      if (timed.warnings.length) log(`  load warnings: ${timed.warnings.join(' | ')}`);
    }
    log(
      `load ${run + 1}/${o.loadRuns}: ${fmtMs(timed.ms)} (CPU ${fmtMs(timed.cpuMs)})${run === 0 ? `, RSS ${rssMb.toFixed(0)} MB (heap ${heapMb.toFixed(0)} MB)` : ''}`,
    );
    if (o.duckdb) {
      if (!duck) {
        duck = await DuckBench.create();
        await duck.createReferenceTables();
      }
      await duck.dropWorkspace();
      const duckCpuStart = process.cpuUsage();
      const duckLoaded = await duck.loadWorkspace(root);
      duckCpu.push(cpuMs(process.cpuUsage(duckCpuStart)));
      duckTimes.push(duckLoaded.loadMs);
      duckProfiles = duckLoaded.profiles;
      const steps = Object.entries(duckLoaded.steps)
        .map(([k, v]) => `${k} ${fmtMs(v)}`)
        .join(', ');
      log(
        `duckdb load ${run + 1}/${o.loadRuns}: ${fmtMs(duckLoaded.loadMs)} (CPU ${fmtMs(duckCpu[run])}; ${steps}; ${fmtInt(duckLoaded.profiles)} profiles, ${fmtInt(duckLoaded.events)} events)`,
      );
    }
  }
  const loadMs = median(loadTimes);
  const duckLoadMs = duck ? median(duckTimes) : null;
  const duckLoadCpuMs = duck ? median(duckCpu) : null;
  if (duck && duckProfiles !== profileCount) log(`  warning: DuckDB has ${duckProfiles} profiles, the engine ${profileCount}`);
  let cachedLoadMs: number | null = null;
  let cachedRss: FreshLoad | undefined;
  let firstRss: FreshLoad | undefined;
  let evaluatedOn: 'jsonl' | 'cache' = 'jsonl';
  {
    // The engine's on-disk cache (a block, so that no variable here outlives it holding a workspace).
    // Segments are evaluated on the cache-loaded copy, as in the language server, which reloads
    // from the cache right after a first load (`--evaluate-on jsonl` keeps the JSONL-loaded one
    // when the heap can hold two).
    const heap = getHeapStatistics();
    const keepJsonl = o.evaluateOn === 'jsonl' && heap.used_heap_size * 2.5 < heap.heap_size_limit;
    const jsonl = keepJsonl ? held.workspace : undefined;
    if (!keepJsonl) {
      held.workspace = undefined;
      evaluatedOn = 'cache';
    }
    const withCache = { cache: true } as LoadOptions;
    const scratch: { workspace?: Workspace } = {};
    gc?.();
    await timedLoad(root, withCache, scratch); // writes (or refreshes) the cache
    const times: number[] = [];
    let fromCache: boolean | undefined;
    for (let run = 0; run < o.loadRuns; run++) {
      scratch.workspace = undefined;
      gc?.();
      const timed = await timedLoad(root, withCache, scratch);
      times.push(timed.ms);
      fromCache = timed.fromCache;
      if (timed.profileCount !== profileCount) log(`  warning: the cached workspace has ${timed.profileCount} profiles, not ${profileCount}`);
    }
    held.workspace = keepJsonl ? jsonl : scratch.workspace;
    scratch.workspace = undefined;
    cachedLoadMs = median(times);
    log(`cached load: ${fmtMs(cachedLoadMs)}${fromCache === false ? ' (warning: the loader says it did not use its cache)' : ''}`);
    // What the language server holds on every later start: a fresh process that loads the cache.
    cachedRss = freshLoad(root, 'cache');
    log(
      `  a fresh process loading from the cache: ${fmtMs(cachedRss.ms)}, RSS ${cachedRss.rssMb.toFixed(0)} MB (heap ${cachedRss.heapMb.toFixed(0)} MB, peak RSS ${cachedRss.peakRssMb.toFixed(0)} MB)${cachedRss.fromCache ? '' : ' (warning: it did not use the cache)'}`,
    );
    // The very first start: a fresh process, an empty cache, the JSONL files (peak: the kernel's high-water mark).
    firstRss = freshLoad(root, 'jsonl');
    log(
      `  a fresh process's first load from JSONL: ${fmtMs(firstRss.ms)}, peak RSS ${firstRss.peakRssMb.toFixed(0)} MB, RSS after it ${firstRss.rssMb.toFixed(0)} MB (heap ${firstRss.heapMb.toFixed(0)} MB)${firstRss.fromCache ? ' (warning: it used a cache)' : ''}`,
    );
  }
  const workspace = held.workspace;
  if (!workspace) throw new Error('no workspace loaded');
  const ws = workspace;
  held.workspace = undefined;

  // 4. Evaluation, cold (a new Evaluator each run), alternating with the DuckDB query run by
  // run; then re-evaluation after editing one condition (same Evaluator). The metric measures the
  // workspace keeps (one condition's per-profile counts or sums) are a result cache: every run
  // starts without them, so "cold" and "edit" never reuse a previous run's.
  const results: SegmentResult[] = [];
  try {
    for (const segment of suite) {
      const times: number[] = [];
      const queryTimes: number[] = [];
      let matched: number | null = null;
      let duckMatched: number | undefined;
      let engineIds: Set<string> | undefined;
      for (let run = 0; run < o.runs; run++) {
        ws.measures.clear();
        const evaluator = new Evaluator(ws);
        const started = performance.now();
        const result = evaluator.evaluateDefinition(segment.definition);
        times.push(performance.now() - started);
        if (result.notEvaluable.length) throw new Error(`segment ${segment.name} is not evaluable: ${result.notEvaluable.join('; ')}`);
        matched = result.matched;
        if (run === 0 && result.set) engineIds = new Set(Array.from(result.set.indexes(), (i) => ws.profileIds.at(i)));
        if (duck) {
          const queryStarted = performance.now();
          duckMatched = await duck.count(segment.sql);
          queryTimes.push(performance.now() - queryStarted);
        }
      }
      const editTimes: number[] = [];
      for (let run = 0; run < o.runs; run++) {
        ws.measures.clear();
        const evaluator = new Evaluator(ws);
        evaluator.evaluateDefinition(segment.definition);
        const started = performance.now();
        const result = evaluator.evaluateDefinition(segment.edit(0));
        editTimes.push(performance.now() - started);
        if (result.cachedConditions !== countConditions(segment.definition) - 1) {
          throw new Error(`segment ${segment.name}: the edit should leave all but one condition cached, but ${result.cachedConditions} were cached`);
        }
      }
      const historyTimes: number[] = [];
      for (let run = 0; run < o.runs; run++) {
        ws.measures.clear();
        const evaluator = new Evaluator(ws);
        const started = performance.now();
        const { points } = evaluateHistory(evaluator, segment.definition, historyInstants(ws.ref, HISTORY_DAYS));
        historyTimes.push(performance.now() - started);
        // Today's point is the segment as of now: the cold evaluation's count.
        if (points.length !== HISTORY_DAYS || points[HISTORY_DAYS - 1].matched !== matched) {
          throw new Error(
            `segment ${segment.name}: the ${HISTORY_DAYS}-day series has ${points.length} points and ends at ${points[points.length - 1]?.matched}, not ${matched}`,
          );
        }
      }
      const r: SegmentResult = {
        segment,
        matched,
        evalMs: median(times),
        firstEvalMs: times[0],
        editMs: median(editTimes),
        historyMs: median(historyTimes),
        engineIds,
      };
      if (duck) {
        r.duckMatched = duckMatched;
        r.duckMs = median(queryTimes);
        if (duckMatched !== matched) {
          const duckIds = new Set(await duck.ids(segment.sql));
          const ours = engineIds ?? new Set<string>();
          r.mismatch = {
            onlyEngine: [...ours].filter((id) => !duckIds.has(id)).slice(0, 10),
            onlyDuck: [...duckIds].filter((id) => !ours.has(id)).slice(0, 10),
          };
          log(
            `MISMATCH ${segment.name}: engine ${matched}, DuckDB ${duckMatched}; only in the engine: ${r.mismatch.onlyEngine.join(', ') || '–'}; only in DuckDB: ${r.mismatch.onlyDuck.join(', ') || '–'}`,
          );
        }
      }
      results.push(r);
      const vsDuck = r.duckMs !== undefined ? `; DuckDB ${fmtInt(r.duckMatched)} in ${fmtMs(r.duckMs)} (ours/DuckDB ${fmtRatio(r.evalMs / r.duckMs)})` : '';
      log(
        `eval ${segment.name}: ${fmtInt(matched)} matched, ${fmtMs(r.evalMs)} cold (first ${fmtMs(r.firstEvalMs)}), ${fmtMs(r.editMs)} after an edit, ${HISTORY_DAYS} days of size over time in ${fmtMs(r.historyMs)}${vsDuck}`,
      );
    }
  } finally {
    duck?.close();
  }

  // 5. Completion and hover latency through the language server (DuckDB is closed by now).
  let lsp: LspBenchResult | undefined;
  if (o.lsp) {
    const heavy = results.filter((r) => r.segment.name !== 'eu-residents').reduce((a, b) => (b.editMs > a.editMs ? b : a));
    lsp = await measureLsp(root, heavy.segment, o, log);
  }

  // 7. Report.
  const mismatches = results.filter((r) => r.mismatch);
  const ratios = results.filter((r) => r.duckMs !== undefined).map((r) => r.evalMs / (r.duckMs as number));
  const report = {
    workspace: {
      profiles: ws.profileCount,
      events: ws.eventCount,
      load_ms: round(loadMs, 0),
      cached_load_ms: round(cachedLoadMs, 0),
      rss_mb: round(rssMb, 0),
      // Extras beyond the documented shape:
      size: o.size,
      heap_mb: round(heapMb, 0),
      duckdb_load_ms: round(duckLoadMs, 0),
      load_ratio: duckLoadMs ? round(loadMs / duckLoadMs, 2) : null,
      load_cpu_ms: round(median(loadCpu), 0),
      evaluated_on: evaluatedOn,
      duckdb_load_cpu_ms: round(duckLoadCpuMs, 0),
      cached_process_ms: round(cachedRss?.ms, 0),
      cached_process_rss_mb: round(cachedRss?.rssMb, 0),
      cached_process_heap_mb: round(cachedRss?.heapMb, 0),
      cached_process_peak_rss_mb: round(cachedRss?.peakRssMb, 0),
      first_load_process_ms: round(firstRss?.ms, 0),
      first_load_peak_rss_mb: round(firstRss?.peakRssMb, 0),
      first_load_process_rss_mb: round(firstRss?.rssMb, 0),
    },
    validation_ms: round(validation.medianMs, 1),
    validation_edit_ms: round(validation.editMedianMs, 1),
    segments: results.map((r) => ({
      name: r.segment.name,
      matched: r.matched,
      duckdb_matched: r.duckMatched ?? null,
      eval_ms: round(r.evalMs, 2),
      first_eval_ms: round(r.firstEvalMs, 2),
      duckdb_ms: round(r.duckMs, 2),
      ratio: r.duckMs ? round(r.evalMs / r.duckMs, 2) : null,
      edit_ms: round(r.editMs, 2),
      history_ms: round(r.historyMs, 1),
    })),
    history_days: HISTORY_DAYS,
    history_max_ms: round(Math.max(...results.map((r) => r.historyMs)), 1),
    ...lspMeasures(lsp),
    // Extras:
    median_ratio: round(median(ratios), 2),
    mismatches: mismatches.map((r) => ({
      name: r.segment.name,
      matched: r.matched,
      duckdb_matched: r.duckMatched,
      only_engine: r.mismatch?.onlyEngine,
      only_duckdb: r.mismatch?.onlyDuck,
    })),
    elapsed_s: round((Date.now() - benchStarted) / 1000, 0),
  };

  if (o.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
  } else {
    const out: string[] = [];
    out.push('');
    out.push(`Segment Lens benchmark, size ${o.size}: ${fmtInt(ws.profileCount)} profiles, ${fmtInt(ws.eventCount)} events (${root})`);
    out.push('');
    out.push(
      table(
        ['measure', 'Segment Lens', 'DuckDB', 'ours/DuckDB'],
        [
          ['validation of a 1 MB, 2,000-condition file (median)', fmtMs(validation.medianMs), '', ''],
          ['  after an edit of one condition, with the previous version (median)', fmtMs(validation.editMedianMs), '', ''],
          ['load from JSONL (median)', fmtMs(loadMs), fmtMs(duckLoadMs), duckLoadMs ? fmtRatio(loadMs / duckLoadMs) : '–'],
          [
            '  CPU time of that load (all threads)',
            fmtMs(median(loadCpu)),
            fmtMs(duckLoadCpuMs),
            duckLoadCpuMs ? fmtRatio(median(loadCpu) / duckLoadCpuMs) : '–',
          ],
          ['load from the on-disk cache (median)', cachedLoadMs === null ? 'n/a' : fmtMs(cachedLoadMs), '', ''],
          ['RSS after load (after GC)', `${rssMb.toFixed(0)} MB`, '', ''],
          [
            'RSS of a fresh process loaded from the cache (peak)',
            cachedRss ? `${cachedRss.rssMb.toFixed(0)} MB (${cachedRss.peakRssMb.toFixed(0)} MB)` : 'n/a',
            '',
            '',
          ],
          [
            'first load of a fresh process from JSONL: time, peak RSS, RSS after',
            firstRss ? `${fmtMs(firstRss.ms)}, ${firstRss.peakRssMb.toFixed(0)} MB, ${firstRss.rssMb.toFixed(0)} MB` : 'n/a',
            '',
            '',
          ],
        ],
      ),
    );
    out.push('');
    out.push(
      table(
        ['segment', 'matched', 'DuckDB', 'eval (cold)', 'DuckDB', 'ratio', 'edit re-eval', `${HISTORY_DAYS} days`],
        results.map((r) => [
          r.segment.name,
          fmtInt(r.matched),
          r.duckMatched === undefined ? '–' : r.mismatch ? `${fmtInt(r.duckMatched)} ≠` : fmtInt(r.duckMatched),
          fmtMs(r.evalMs),
          fmtMs(r.duckMs),
          r.duckMs ? fmtRatio(r.evalMs / r.duckMs) : '–',
          fmtMs(r.editMs),
          fmtMs(r.historyMs),
        ]),
      ),
    );
    out.push(`median ratio (ours/DuckDB): ${fmtRatio(median(ratios))}`);
    if (lsp) {
      out.push('');
      out.push(
        table(
          ['language server', 'p50', 'p99', 'samples'],
          [
            ['completion', fmtMs(lsp.completion.p50), fmtMs(lsp.completion.p99), String(lsp.completion.samples)],
            ['hover', fmtMs(lsp.hover.p50), fmtMs(lsp.hover.p99), String(lsp.hover.samples)],
            ['completion while evaluating', fmtMs(lsp.completionDuringEval.p50), fmtMs(lsp.completionDuringEval.p99), String(lsp.completionDuringEval.samples)],
            ['hover while evaluating', fmtMs(lsp.hoverDuringEval.p50), fmtMs(lsp.hoverDuringEval.p99), String(lsp.hoverDuringEval.samples)],
            [
              `completion while loading (${lsp.loadedFrom})`,
              fmtMs(lsp.completionWhileLoading.p50),
              fmtMs(lsp.completionWhileLoading.p99),
              String(lsp.completionWhileLoading.samples),
            ],
            [
              `hover while loading (${lsp.loadedFrom})`,
              fmtMs(lsp.hoverWhileLoading.p50),
              fmtMs(lsp.hoverWhileLoading.p99),
              String(lsp.hoverWhileLoading.samples),
            ],
          ],
        ),
      );
      out.push(
        `(server ready after ${fmtMs(lsp.readyMs)}, loading from ${lsp.loadedFrom}, peak RSS ${fmtMb(lsp.serverPeakRssMb)}; ${lsp.emptyCompletionsWhileLoading} completions empty while loading; ${lsp.evaluations} evaluations while measuring, mean ${fmtMs(lsp.meanEvaluationMs)})`,
      );
    }
    for (const r of mismatches) {
      out.push('');
      out.push(`COUNT MISMATCH in ${r.segment.name}: Segment Lens ${r.matched}, DuckDB ${r.duckMatched}`);
      out.push(`  only in Segment Lens: ${r.mismatch?.onlyEngine.join(', ') || '–'}`);
      out.push(`  only in DuckDB:       ${r.mismatch?.onlyDuck.join(', ') || '–'}`);
    }
    out.push('');
    out.push(`finished in ${report.elapsed_s} s`);
    process.stdout.write(out.join('\n') + '\n');
  }
  if (mismatches.length) {
    log(
      `${mismatches.length} segment(s) count differently in Segment Lens and DuckDB: ${mismatches.map((r) => `${r.segment.name} (${r.matched} vs ${r.duckMatched})`).join(', ')}`,
    );
    return 1;
  }
  return 0;
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/** Loads once, timed; the workspace goes into `holder` (never into a variable of the caller). */
async function timedLoad(root: string, options: LoadOptions, holder: { workspace?: Workspace }) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const loaded = await loadWorkspace(root, options);
  const ms = performance.now() - started;
  holder.workspace = loaded.workspace;
  return {
    ms,
    cpuMs: cpuMs(process.cpuUsage(cpu)),
    profileCount: loaded.workspace.profileCount,
    warnings: loaded.warnings.map((w) => w.message),
    fromCache: (loaded as { fromCache?: boolean }).fromCache,
  };
}

function countConditions(definition: Record<string, unknown>): number {
  const groups = Array.isArray(definition.condition_groups) ? (definition.condition_groups as { conditions?: unknown[] }[]) : [];
  return groups.reduce((n, g) => n + (Array.isArray(g.conditions) ? g.conditions.length : 0), 0);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`benchmark failed: ${error.stack ?? error.message}\n`);
    process.exit(2);
  },
);

/** One load in a new Node process (bench/firstLoad.ts): as the language server's worker starts the very first time (`jsonl`) or later (`cache`). */
function freshLoad(root: string, from: 'jsonl' | 'cache'): FreshLoad {
  const out = execFileSync(process.execPath, ['--expose-gc', join(__dirname, 'firstLoad.js'), root, '--from', from], {
    env: process.env,
    maxBuffer: 1 << 20,
    encoding: 'utf8',
  });
  return JSON.parse(out) as FreshLoad;
}
