import { freemem, totalmem } from 'node:os';
import type { WorkspaceConfig } from '../workspace/loadWorkspace';
import { convertedLayout, convertedWorkspace, dataFileSizes, type ConvertedWorkspace, type ConvertOptions } from './convert';
import { DuckDbEvaluator } from './evaluate';
import { openDatabase } from './external';
import { duckDbModule, DuckDbUnavailable, type DuckDbSession } from './session';

/** Who evaluates a workspace: `--engine` of the CLI, `segmentLens.engine` of the editor. */
export type EngineSetting = 'auto' | 'memory' | 'duckdb';

/**
 * `auto` takes DuckDB from this size of a workspace's data files (SEGMENT_LENS_DUCKDB_THRESHOLD_BYTES
 * overrides). Not a speed crossover: at L (1M profiles, 10M events, 2.1 GB of data files) the
 * memory engine evaluated the benchmark's segments 2 to 190 times faster than the DuckDB engine
 * (about 10 times at the median) and has every feature, in 1.6–1.7 GB at the peak (docs/performance.md, "L through the DuckDB engine").
 * Below it, a workspace whose load would not fit in the memory available also goes to DuckDB
 * (`autoEngine`), and one that runs out of memory anyway is moved there (workspaceHost.ts).
 */
export const DEFAULT_DUCKDB_THRESHOLD_BYTES = 4 * 1024 ** 3;

/** The threshold SEGMENT_LENS_DUCKDB_THRESHOLD_BYTES sets, or a message saying why its value is not one. */
export function thresholdFromEnvironment(text = process.env.SEGMENT_LENS_DUCKDB_THRESHOLD_BYTES): number | { invalid: string } {
  if (text === undefined || text === '') return DEFAULT_DUCKDB_THRESHOLD_BYTES;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) return { invalid: `SEGMENT_LENS_DUCKDB_THRESHOLD_BYTES must be a number of bytes, not ${JSON.stringify(text)}` };
  return value;
}

/** Whether `text` is a size DuckDB's memory_limit takes (512MB, 2GB, 1.5GiB). */
export const isMemorySize = (text: string): boolean => /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(text);

/**
 * DuckDB's memory limit while the editor evaluates (SEGMENT_LENS_DUCKDB_MEMORY_LIMIT overrides).
 * On XL (3M profiles, 30M events, converted) the language server peaked at 1,550 MiB with 768MB,
 * against 1,918 and 2,047 MiB with 1GB, for the same edit times (400–550 ms at the median); what
 * a query needs beyond it spills to disk (docs/performance.md, "XL through the DuckDB engine").
 */
export const DEFAULT_EVALUATE_MEMORY_LIMIT = '768MB';

/** The editor's DuckDB memory limits: one to convert a workspace (once per data version), one to evaluate it. */
export interface EditorMemoryLimits {
  convert: string;
  evaluate: string;
  /** What was wrong with a variable that was ignored. */
  invalid: string[];
}

/**
 * The editor's DuckDB memory limits. Converting (SEGMENT_LENS_DUCKDB_CONVERT_MEMORY_LIMIT): 40% of
 * RAM but at least 4 GiB, and never above DuckDB's own default of 80% of RAM; without a limit,
 * converting a 1M-profile / 10M-event workspace in the language server took 20 GB of a 24 GB
 * machine, and under 2 GB it fails (docs/performance.md, 6 December 2026). Evaluating
 * (SEGMENT_LENS_DUCKDB_MEMORY_LIMIT): DEFAULT_EVALUATE_MEMORY_LIMIT, since the language server
 * keeps that database open.
 */
export function editorMemoryLimits(totalBytes = totalmem(), env: Record<string, string | undefined> = process.env): EditorMemoryLimits {
  const invalid: string[] = [];
  const size = (name: string, fallback: string): string => {
    const text = env[name]?.trim();
    if (text === undefined || text === '') return fallback;
    if (isMemorySize(text)) return text;
    invalid.push(`${name} must be a size such as 4GB, not ${JSON.stringify(env[name])}`);
    return fallback;
  };
  const convert = `${Math.floor(Math.min(0.8 * totalBytes, Math.max(4 * 1024 ** 3, 0.4 * totalBytes)) / 1024 ** 2)}MB`;
  return {
    convert: size('SEGMENT_LENS_DUCKDB_CONVERT_MEMORY_LIMIT', convert),
    evaluate: size('SEGMENT_LENS_DUCKDB_MEMORY_LIMIT', DEFAULT_EVALUATE_MEMORY_LIMIT),
    invalid,
  };
}

export const formatBytes = (n: number): string =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(2)} GiB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;

/** Why DuckDB cannot run in this process (its native binding did not load), or undefined when it can. */
export async function duckDbUnavailableReason(): Promise<string | undefined> {
  return duckDbModule().then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof DuckDbUnavailable) return error.message.replace(/; use --engine memory$/, '');
      throw error;
    },
  );
}

/**
 * What the in-memory engine's first load is expected to take at its peak, from the data files:
 * 0.3 bytes per byte of JSON, a gzip file counted at 9 times its size. Measured at L (1M profiles,
 * 10M events: 1.62 GB of profiles.jsonl and a 0.50 GB events.jsonl.gz holding 4.55 GB): the peak
 * RSS of a first load was 1,518–1,669 MB, against 1.84 GB by this rule (docs/performance.md).
 */
export function inMemoryEstimate(files: readonly { bytes: number; gzip: boolean }[]): number {
  let json = 0;
  for (const file of files) json += file.gzip ? 9 * file.bytes : file.bytes;
  return Math.round(0.3 * json);
}

/**
 * Memory this process can still take: the kernel's available memory (os.freemem), and no more
 * than a cgroup's limit (a container) leaves beside what the process already holds.
 */
export function availableMemory(): number {
  const free = freemem();
  const constrained = process.constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < totalmem() ? Math.min(free, Math.max(0, constrained - process.memoryUsage.rss())) : free;
}

/**
 * `auto`'s choice for data files of `sizes`: DuckDB from `thresholdBytes` on, and below it too
 * when loading them in memory would take more than `availableBytes` (never an out-of-memory crash
 * by choice; the editor also switches when a load runs out of memory, workspaceHost.ts). The
 * reason says which rule decided.
 */
export function autoEngine(
  sizes: readonly { bytes: number; gzip: boolean }[],
  thresholdBytes: number,
  availableBytes: number,
): { duck: boolean; reason: string } {
  const size = sizes.reduce((sum, file) => sum + file.bytes, 0);
  const files = `the data files hold ${formatBytes(size)}`;
  if (size >= thresholdBytes) return { duck: true, reason: `${files}, at least the DuckDB threshold of ${formatBytes(thresholdBytes)}` };
  const need = inMemoryEstimate(sizes);
  if (need > availableBytes)
    return {
      duck: true,
      reason: `${files}, below the DuckDB threshold of ${formatBytes(thresholdBytes)}, but loading them in memory takes about ${formatBytes(need)} and ${formatBytes(availableBytes)} is available`,
    };
  return { duck: false, reason: `${files}, below the DuckDB threshold of ${formatBytes(thresholdBytes)}` };
}

/** The engine a workspace gets and what the user should be told about the choice (once). */
export interface EngineDecision {
  engine: 'memory' | 'duckdb';
  /** Why: the setting, or the data size against the threshold. */
  reason: string;
  /** Set when the engine is not the one asked for (DuckDB cannot load here). */
  fallback?: string;
}

/**
 * The editor's choice for one workspace (`segmentLens.engine`): `memory`; `duckdb`; `auto` weighs
 * the data files against the threshold. Where the native binding cannot load, DuckDB falls back
 * to memory with a message (the editor works in memory only there).
 */
export async function decideEngine(setting: EngineSetting, config: WorkspaceConfig, thresholdBytes: number): Promise<EngineDecision> {
  if (setting === 'memory') return { engine: 'memory', reason: 'segmentLens.engine is "memory"' };
  let reason = 'segmentLens.engine is "duckdb"';
  if (setting === 'auto') {
    const choice = autoEngine(dataFileSizes(config), thresholdBytes, availableMemory());
    reason = `segmentLens.engine is "auto" and ${choice.reason}`;
    if (!choice.duck) return { engine: 'memory', reason };
  }
  const unavailable = await duckDbUnavailableReason();
  if (unavailable !== undefined) return { engine: 'memory', reason, fallback: `DuckDB is not available here (${unavailable}); evaluating in memory` };
  return { engine: 'duckdb', reason };
}

/**
 * A workspace converted into the engine cache (when its data changed, under `options`' memory
 * limit) and opened for evaluation as of `now` (under `evaluateMemoryLimit` when given).
 */
export async function openWorkspaceDatabase(
  config: WorkspaceConfig,
  now: number,
  options: ConvertOptions & { evaluateMemoryLimit?: string } = {},
): Promise<{ converted: ConvertedWorkspace; session: DuckDbSession; evaluator: DuckDbEvaluator }> {
  const converted = await convertedWorkspace(config, options);
  // The converted database's own (materialised) layout, not the plain workspace tables.
  const layout = convertedLayout();
  const { session } = await openDatabase(converted.path, layout, { threads: options.threads, memoryLimit: options.evaluateMemoryLimit ?? options.memoryLimit });
  try {
    return { converted, session, evaluator: await DuckDbEvaluator.open(session, layout, { name: config.name, root: config.root, now }) };
  } catch (error) {
    session.close();
    throw error;
  }
}
