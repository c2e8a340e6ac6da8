/**
 * `node out/bench/bench.js --size M --engine duckdb`: the DuckDB engine (`evaluate --engine
 * duckdb`: the workspace converted into a DuckDB database, segments compiled to SQL) against the
 * suite's hand-written DuckDB queries (duckdbRunner.ts, segments.ts) over the same workspace, in
 * the same DuckDB library and process. Per segment, alternating run by run: the compiled count
 * form (`countSql`, what "the compiler must not produce slow SQL" is about) and the hand-written
 * query's count, medians and their ratio; also the engine's whole evaluation (preconditions, every
 * condition's and group's count in one pass). The conversion is timed into a fresh folder.
 * Exit code 1 when a count differs.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { convertedLayout, convertedWorkspace } from '../server/src/duckdb/convert';
import { DuckDbEvaluator } from '../server/src/duckdb/evaluate';
import { openDatabase } from '../server/src/duckdb/external';
import { compileSegment } from '../server/src/sql';
import { readWorkspaceConfig } from '../server/src/workspace/loadWorkspace';
import { DuckBench } from './duckdbRunner';
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
  convertMs: number;
  /** Size of the converted database file. */
  convertedBytes: number;
  handLoadMs: number;
  segments: EngineSegmentResult[];
  medianRatio: number;
  mismatches: string[];
}

export async function runDuckDbEngineBench(
  root: string,
  suite: readonly BenchSegment[],
  runs: number,
  log: (message: string) => void,
): Promise<EngineBenchResult> {
  const previousCache = process.env.SEGMENT_LENS_CACHE_DIR;
  const cache = mkdtempSync(join(cacheDir(), 'duckdb-engine-'));
  process.env.SEGMENT_LENS_CACHE_DIR = cache;
  const hand = await DuckBench.create();
  let evaluatorSession: { close(): void } | undefined;
  try {
    const config = readWorkspaceConfig(root);
    const converted = await convertedWorkspace(config);
    const convertedBytes = statSync(converted.path).size;
    log(`duckdb engine: converted ${root} in ${fmtMs(converted.convertMs)} (${(convertedBytes / 1e6).toFixed(1)} MB)`);
    const layout = convertedLayout();
    const opened = await openDatabase(converted.path, layout);
    evaluatorSession = opened.session;
    const now = config.now ?? Date.now();
    const evaluator = await DuckDbEvaluator.open(opened.session, layout, { name: config.name, root: config.root, now });
    await hand.createReferenceTables();
    const handLoad = await hand.loadWorkspace(root);
    log(`hand-written DuckDB: loaded in ${fmtMs(handLoad.loadMs)} (${fmtInt(handLoad.profiles)} profiles, ${fmtInt(handLoad.events)} events)`);

    const segments: EngineSegmentResult[] = [];
    const mismatches: string[] = [];
    for (const segment of suite) {
      const compiled = compileSegment(segment.definition, { dialect: 'duckdb', layout, now });
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
    return {
      profiles: evaluator.info.profiles,
      events: evaluator.info.events,
      convertMs: converted.convertMs,
      convertedBytes,
      handLoadMs: handLoad.loadMs,
      segments,
      medianRatio: median(segments.map((s) => s.compiledMs / s.handMs).filter(Number.isFinite)),
      mismatches,
    };
  } finally {
    evaluatorSession?.close();
    hand.close();
    if (previousCache === undefined) delete process.env.SEGMENT_LENS_CACHE_DIR;
    else process.env.SEGMENT_LENS_CACHE_DIR = previousCache;
    rmSync(cache, { recursive: true, force: true });
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
    `DuckDB engine: ${fmtInt(result.profiles)} profiles, ${fmtInt(result.events)} events; conversion ${fmtMs(result.convertMs)}, ${(result.convertedBytes / 1e6).toFixed(1)} MB (the hand-written tables' load ${fmtMs(result.handLoadMs)})`,
    table(['segment', 'matched', 'counts equal', 'compiled SQL', 'hand-written', 'ratio', "engine's evaluation"], rows),
    `median ratio (compiled / hand-written): ${fmtRatio(result.medianRatio)}`,
    ...result.mismatches.map((m) => `MISMATCH ${m}`),
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
  };
  return { text, json };
}
