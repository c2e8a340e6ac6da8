import { basename, resolve } from 'node:path';
import { dataFileSizes } from '../duckdb/convert';
import { DuckDbEvaluator } from '../duckdb/evaluate';
import { DatabaseNotUsable, openDatabase } from '../duckdb/external';
import { autoEngine, availableMemory, duckDbUnavailableReason, isMemorySize, openWorkspaceDatabase, thresholdFromEnvironment } from '../duckdb/engineChoice';
import { DuckDbUnavailable, type DuckDbSession, type SessionOptions } from '../duckdb/session';
import { workspaceLayout, type TableLayout } from '../sql';
import { readWorkspaceConfig } from '../workspace/loadWorkspace';
import { CliUsageError, type CliIo } from './io';
import { printablePath } from './paths';
import { progressReporter } from './progress';
import { layoutOption } from './sqlCommand';

/** `evaluate`'s engine options (docs/sql.md "The DuckDB engine"). */
export interface EngineOptions {
  engine: string;
  database?: string;
  layout?: string;
  memoryLimit?: string;
  threads?: string;
}

export interface EngineChoice {
  engine: 'auto' | 'memory' | 'duckdb';
  database?: string;
  layout: TableLayout;
  session: SessionOptions;
  /** Data files of at least this many bytes make `auto` take DuckDB. */
  thresholdBytes: number;
}

function thresholdBytes(): number {
  const threshold = thresholdFromEnvironment();
  if (typeof threshold !== 'number') throw new CliUsageError(threshold.invalid);
  return threshold;
}

/** Checks the engine options against each other and the rest (usage errors, exit 2). */
export function engineOptions(options: EngineOptions, context: { history: boolean }): EngineChoice {
  const engine = options.engine;
  if (engine !== 'auto' && engine !== 'memory' && engine !== 'duckdb')
    throw new CliUsageError(`--engine is auto, memory or duckdb, not ${JSON.stringify(engine)}`);
  const duckdbOnly = (['database', 'layout', 'memoryLimit', 'threads'] as const).filter((key) => options[key] !== undefined);
  const flag = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  if (engine === 'memory' && duckdbOnly.length) throw new CliUsageError(`${flag(duckdbOnly[0])} is an option of the DuckDB engine, not of --engine memory`);
  if (options.layout !== undefined && options.database === undefined)
    throw new CliUsageError('--layout needs --database (a workspace folder is always in the workspace layout)');
  if (context.history && (engine === 'duckdb' || options.database !== undefined))
    throw new CliUsageError('--history is not supported by the DuckDB engine; use --engine memory (or auto) with a workspace folder');
  if (options.threads !== undefined && !/^[1-9]\d{0,3}$/.test(options.threads))
    throw new CliUsageError(`--threads must be a whole number from 1, not ${JSON.stringify(options.threads)}`);
  if (options.memoryLimit !== undefined && !isMemorySize(options.memoryLimit))
    throw new CliUsageError(`--memory-limit must be a size such as 512MB or 2GB, not ${JSON.stringify(options.memoryLimit)}`);
  return {
    engine: context.history ? 'memory' : engine,
    database: options.database,
    layout: options.layout === undefined ? workspaceLayout() : layoutOption(options.layout),
    session: { memoryLimit: options.memoryLimit, threads: options.threads === undefined ? undefined : Number(options.threads) },
    thresholdBytes: context.history ? Infinity : thresholdBytes(),
  };
}

/**
 * The DuckDB side of `evaluate`: which engine each workspace gets (`auto` weighs its data
 * files), converting workspaces into the cache, and one evaluator per workspace or --database.
 */
export class DuckDbEngine {
  private readonly evaluators = new Map<string, Promise<DuckDbEvaluator | undefined>>();
  private readonly sessions: DuckDbSession[] = [];

  constructor(
    private readonly io: CliIo,
    private readonly choice: EngineChoice,
    private readonly now: number | undefined,
  ) {}

  /** The DuckDB evaluator of a workspace root (or of --database), or undefined when the memory engine evaluates it. */
  evaluatorFor(root: string): Promise<DuckDbEvaluator | undefined> {
    let pending = this.evaluators.get(root);
    if (!pending) {
      pending = this.open(root).catch((error: unknown) => {
        if (error instanceof DuckDbUnavailable || error instanceof DatabaseNotUsable) throw new CliUsageError(error.message);
        throw error;
      });
      this.evaluators.set(root, pending);
    }
    return pending;
  }

  private async open(root: string): Promise<DuckDbEvaluator | undefined> {
    const { choice } = this;
    if (choice.database !== undefined) {
      const opened = await openDatabase(choice.database, choice.layout, choice.session);
      this.sessions.push(opened.session);
      const stored = opened.stored;
      return DuckDbEvaluator.open(opened.session, choice.layout, {
        name: stored?.name ?? basename(resolve(choice.database)),
        root,
        now: this.now ?? stored?.now ?? Date.now(),
      });
    }
    if (choice.engine === 'memory') return undefined;
    const config = readWorkspaceConfig(root);
    if (choice.engine === 'auto') {
      const { duck, reason } = autoEngine(dataFileSizes(config), choice.thresholdBytes, availableMemory());
      this.io.err(`Engine: ${duck ? 'duckdb' : 'memory'} for ${printablePath(root)} (${reason}; --engine or SEGMENT_LENS_DUCKDB_THRESHOLD_BYTES to change)`);
      if (!duck) return undefined;
      // Where the native binding is missing (another platform's package), auto keeps working in memory.
      const unavailable = await duckDbUnavailableReason();
      if (unavailable !== undefined) {
        this.io.err(`DuckDB is not available here (${unavailable}); evaluating in memory`);
        return undefined;
      }
    }
    const progress = progressReporter(this.io, `Converting ${printablePath(root)} to DuckDB`);
    const { converted, session, evaluator } = await openWorkspaceDatabase(config, this.now ?? config.now ?? Date.now(), {
      ...choice.session,
      onProgress: progress.update,
    }).finally(() => progress.done());
    this.sessions.push(session);
    if (converted.converted) this.io.err(`Converted ${printablePath(root)} into DuckDB in ${converted.convertMs} ms (${converted.path})`);
    return evaluator;
  }

  close(): void {
    for (const session of this.sessions.splice(0)) session.close();
  }
}
