/**
 * `node out/bench/bench.js --size M --engine duckdb`: the DuckDB engine (`evaluate --engine
 * duckdb`: the workspace converted into a DuckDB database, segments compiled to SQL) against the
 * suite's hand-written DuckDB queries (duckdbRunner.ts, segments.ts) over the same workspace, in
 * the same DuckDB library and process. Per segment, alternating run by run: the compiled count
 * form (`countSql`, what "the compiler must not produce slow SQL" is about) and the hand-written
 * query's count, medians and their ratio; also the engine's whole evaluation (preconditions, every
 * condition's and group's count in one pass). The conversion is timed into a fresh folder; the
 * hand-written tables are loaded into a database file in that folder as well.
 * Exit code 1 when a count differs.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { join } from 'node:path';
import { convertedLayout, convertedWorkspace } from '../server/src/duckdb/convert';
import { DuckDbEvaluator } from '../server/src/duckdb/evaluate';
import { openDatabase } from '../server/src/duckdb/external';
import { readWorkspaceConfig } from '../server/src/workspace/loadWorkspace';
import { DuckBench } from './duckdbRunner';
import { runLspEngineBench, type LspEngineBenchResult } from './lspEngineBench';
import type { BenchSegment } from './segments';
import { fmtInt, fmtMs, fmtRatio, median, round, table } from './stats';
import { cacheDir } from './workspaceCache';

export interface EngineSegmentResult {
  name: string;
  matched: number | null;
  handMatched: number;
  /** Median ms of the compiled count form. */
  compiledMs: number;
  /** Median ms of the hand-written query's count. */
  handMs: number;
  /** Median ms of the engine's whole evaluation of the segment. */
  evaluateMs: number;
}

export interface EngineBenchResult {
  profiles: number;
  events: number;
  /** The conversion's time; NaN when the database was reused (--keep-conversion). */
  convertMs: number;
  /** Size of the converted database file. */
  convertedBytes: number;
  handLoadMs: number;
  segments: EngineSegmentResult[];
  medianRatio: number;
  mismatches: string[];
  /** The language server on the converted database (when asked for). */
  lsp?: LspEngineBenchResult;
}

export interface EngineLspOptions {
  /** DuckDB's memory limit in the language server. */
  memoryLimit: string;
  /** Edits per segment. */
  edits: number;
}

export async function runDuckDbEngineBench(
  root: string,
  suite: readonly BenchSegment[],
  runs: number,
  log: (message: string) => void,
  lspOptions?: EngineLspOptions,
  /** An engine cache folder to convert into and keep (a later run reuses its database), instead of a fresh one removed at the end. */
  keptCache?: string,
): Promise<EngineBenchResult> {
  const previousCache = process.env.SEGMENT_LENS_CACHE_DIR;
  const cache = keptCache ?? mkdtempSync(join(cacheDir(), 'duckdb-engine-'));
  mkdirSync(cache, { recursive: true });
  process.env.SEGMENT_LENS_CACHE_DIR = cache;
  const handFile = join(cache, 'hand-written.duckdb');
  rmSync(handFile, { force: true });
  rmSync(`${handFile}.wal`, { force: true });
  // The hand-written tables in a database file too, as the converted ones: like for like, and an XL
  // workspace's tables do not fit in memory beside the converted database's. Two databases are
  // open at once while the segments are timed, each with a buffer manager of its own: each gets a
  // third of the RAM then (DuckDB's default, 80% each, let the L run reach 21 GB); the hand-written
  // load gets 60% (at XL it ran out of a third, 6.5 GiB).
  const limit = (share: number) => `${Math.max(1, Math.floor((totalmem() * share) / 2 ** 30))}GB`;
  const queryLimit = limit(1 / 3);
  let hand: DuckBench | undefined = await DuckBench.create(handFile, limit(0.6));
  let evaluatorSession: { close(): void } | undefined;
  try {
    const config = readWorkspaceConfig(root);
    const converted = await convertedWorkspace(config);
    const convertedBytes = statSync(converted.path).size;
    log(
      converted.converted
        ? `duckdb engine: converted ${root} in ${fmtMs(converted.convertMs)} (${(convertedBytes / 1e6).toFixed(1)} MB)`
        : `duckdb engine: reused the database converted by an earlier run in ${cache} (${(convertedBytes / 1e6).toFixed(1)} MB): no conversion time`,
    );
    const layout = convertedLayout();
    const opened = await openDatabase(converted.path, layout, { memoryLimit: queryLimit });
    evaluatorSession = opened.session;
    const now = config.now ?? Date.now();
    const evaluator = await DuckDbEvaluator.open(opened.session, layout, { name: config.name, root: config.root, now });
    await hand.createReferenceTables();
    const handLoad = await hand.loadWorkspace(root);
    await hand.connection.run(`SET memory_limit = '${queryLimit}'`);
    log(`hand-written DuckDB: loaded in ${fmtMs(handLoad.loadMs)} (${fmtInt(handLoad.profiles)} profiles, ${fmtInt(handLoad.events)} events)`);

    const segments: EngineSegmentResult[] = [];
    const mismatches: string[] = [];
    for (const segment of suite) {
      // Compiled as the engine compiles it, with the facts its evaluator read from the database.
      const compiled = evaluator.compile(segment.definition);
      // The first evaluation creates the reference tables a segment joins where the database lacks them (once per session): not timed.
      const first = await evaluator.evaluate(segment.definition, { ids: false, limit: 0 });
      const compiledTimes: number[] = [];
      const handTimes: number[] = [];
      const evaluateTimes: number[] = [];
      let compiledCount: number | null = null;
      let handCount = NaN;
      for (let run = 0; run < runs; run++) {
        if (compiled.countSql !== null) {
          const started = performance.now();
          compiledCount = Number((await opened.session.rows(compiled.countSql))[0][0]);
          compiledTimes.push(performance.now() - started);
        }
        let started = performance.now();
        handCount = await hand.count(segment.sql);
        handTimes.push(performance.now() - started);
        started = performance.now();
        await evaluator.evaluate(segment.definition, { ids: false, limit: 0 });
        evaluateTimes.push(performance.now() - started);
      }
      const result: EngineSegmentResult = {
        name: segment.name,
        matched: first.matched,
        handMatched: handCount,
        compiledMs: compiledTimes.length ? median(compiledTimes) : NaN,
        handMs: median(handTimes),
        evaluateMs: median(evaluateTimes),
      };
      if (first.matched !== handCount || (compiledCount !== null && compiledCount !== handCount))
        mismatches.push(`${segment.name}: engine ${first.matched}, compiled count ${compiledCount}, hand-written ${handCount}`);
      segments.push(result);
      log(
        `  ${segment.name}: ${fmtInt(result.matched)} matched; compiled ${fmtMs(result.compiledMs)}, hand-written ${fmtMs(result.handMs)} (${fmtRatio(result.compiledMs / result.handMs)}); the engine's evaluation ${fmtMs(result.evaluateMs)}`,
      );
    }
    // The language server opens the converted database itself: this process lets go of it first
    // (and of the hand-written tables' memory).
    const info = evaluator.info;
    evaluatorSession.close();
    evaluatorSession = undefined;
    hand.close();
    hand = undefined;
    const lsp = lspOptions
      ? await runLspEngineBench({ workspaceRoot: root, cacheDir: cache, memoryLimit: lspOptions.memoryLimit, suite, edits: lspOptions.edits, log })
      : undefined;
    for (const counted of lsp?.segments ?? []) {
      const engine = segments.find((s) => s.name === counted.name);
      if (engine && counted.matched !== engine.matched)
        mismatches.push(`${counted.name}: the language server ${counted.matched}, the engine ${engine.matched}`);
    }
    return {
      profiles: info.profiles,
      events: info.events,
      convertMs: converted.converted ? converted.convertMs : NaN,
      convertedBytes,
      handLoadMs: handLoad.loadMs,
      segments,
      medianRatio: median(segments.map((s) => s.compiledMs / s.handMs).filter(Number.isFinite)),
      mismatches,
      lsp,
    };
  } finally {
    evaluatorSession?.close();
    hand?.close();
    if (previousCache === undefined) delete process.env.SEGMENT_LENS_CACHE_DIR;
    else process.env.SEGMENT_LENS_CACHE_DIR = previousCache;
    if (keptCache === undefined) rmSync(cache, { recursive: true, force: true });
    else for (const path of [handFile, `${handFile}.wal`]) rmSync(path, { force: true });
  }
}

/** The report's table (plain text) and its JSON. */
export function engineBenchReport(result: EngineBenchResult): { text: string; json: unknown } {
  const rows = result.segments.map((s) => [
    s.name,
    fmtInt(s.matched),
    s.matched === s.handMatched ? 'yes' : 'NO',
    fmtMs(s.compiledMs),
    fmtMs(s.handMs),
    fmtRatio(s.compiledMs / s.handMs),
    fmtMs(s.evaluateMs),
  ]);
  const text = [
    `DuckDB engine: ${fmtInt(result.profiles)} profiles, ${fmtInt(result.events)} events; conversion ${Number.isNaN(result.convertMs) ? 'reused from an earlier run' : fmtMs(result.convertMs)}, ${(result.convertedBytes / 1e6).toFixed(1)} MB (the hand-written tables' load ${fmtMs(result.handLoadMs)})`,
    table(['segment', 'matched', 'counts equal', 'compiled SQL', 'hand-written', 'ratio', "engine's evaluation"], rows),
    `median ratio (compiled / hand-written): ${fmtRatio(result.medianRatio)}`,
    ...result.mismatches.map((m) => `MISMATCH ${m}`),
    ...(result.lsp ? ['', ...lspReport(result.lsp)] : []),
  ].join('\n');
  const json = {
    profiles: result.profiles,
    events: result.events,
    convertMs: round(result.convertMs),
    convertedBytes: result.convertedBytes,
    handLoadMs: round(result.handLoadMs),
    medianRatio: round(result.medianRatio, 3),
    mismatches: result.mismatches,
    segments: result.segments.map((s) => ({
      name: s.name,
      matched: s.matched,
      handMatched: s.handMatched,
      compiledMs: round(s.compiledMs, 2),
      handMs: round(s.handMs, 2),
      ratio: round(s.compiledMs / s.handMs, 3),
      evaluateMs: round(s.evaluateMs, 2),
    })),
    ...(result.lsp
      ? {
          lsp: {
            memoryLimit: result.lsp.memoryLimit,
            medianEditMs: round(result.lsp.medianEditMs, 1),
            sampledPeakRssMb: result.lsp.sampledPeakRssMb === undefined ? undefined : round(result.lsp.sampledPeakRssMb),
            peakRssMb: result.lsp.peakRssMb === undefined ? undefined : round(result.lsp.peakRssMb),
            segments: result.lsp.segments.map((s) => ({
              name: s.name,
              matched: s.matched,
              openMs: round(s.openMs, 1),
              editMs: round(s.editMs, 1),
              edits: s.edits,
            })),
          },
        }
      : {}),
  };
  return { text, json };
}

function lspReport(lsp: LspEngineBenchResult): string[] {
  const mb = (value: number | undefined) => (value === undefined ? 'n/a' : `${fmtInt(Math.round(value))} MB`);
  return [
    `The language server with engine "duckdb" (DuckDB memory limit ${lsp.memoryLimit}), the database already converted:`,
    table(
      ['segment', 'matched', 'open → code lens', 'edit → code lens (median)'],
      lsp.segments.map((s) => [s.name, fmtInt(s.matched), fmtMs(s.openMs), fmtMs(s.editMs)]),
    ),
    `median edit → code lens: ${fmtMs(lsp.medianEditMs)}; server process RSS: peak ${mb(lsp.peakRssMb)} (VmHWM), largest sample ${mb(lsp.sampledPeakRssMb)}`,
  ];
}
