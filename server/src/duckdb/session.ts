import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessRunning } from '../workspace/processes';

/**
 * A DuckDB database in this process. `@duckdb/node-api` (a native binding) is imported only when
 * a session opens, so every other command works on a machine without it; there `--engine duckdb`
 * fails with `DuckDbUnavailable` (a usage error, exit 2).
 */
export class DuckDbUnavailable extends Error {}

export interface SessionOptions {
  /** DuckDB's memory_limit (e.g. "2GB"); DuckDB's default (80% of RAM) when absent. */
  memoryLimit?: string;
  /** DuckDB's threads; DuckDB's default (the cores) when absent. */
  threads?: number;
}

type DuckDbModule = typeof import('@duckdb/node-api');
let loading: Promise<DuckDbModule> | undefined;

/** The DuckDB package, imported on first use. */
export function duckDbModule(): Promise<DuckDbModule> {
  loading ??= import('@duckdb/node-api').catch((error: unknown) => {
    loading = undefined;
    throw new DuckDbUnavailable(
      `the DuckDB engine needs the @duckdb/node-api package and its native binding for ${process.platform}-${process.arch}, which could not be loaded (${(error as Error).message.split('\n')[0]}); use --engine memory`,
    );
  });
  return loading;
}

/** DuckDB's instance options for `options` (strings, as DuckDB's configuration takes them). */
export function instanceOptions(options: SessionOptions): Record<string, string> {
  const config: Record<string, string> = {};
  if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
  if (options.threads !== undefined) config.threads = String(options.threads);
  return config;
}

export class DuckDbSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly spillFolder: string | undefined,
  ) {}

  /**
   * Opens (or creates) the database at `path` (':memory:' for one in memory). A database in memory
   * spills what exceeds the memory limit into a folder of its own under the system's temporary
   * folder, removed when the session closes (or by a later session, see `newSpillFolder`): DuckDB's
   * default there is `./.tmp`, and the language server's working directory is the user's workspace
   * folder. A file spills beside itself (DuckDB's `<file>.tmp`; the engine cache for a conversion).
   */
  static async open(path: string, options: SessionOptions = {}): Promise<DuckDbSession> {
    const { DuckDBInstance } = await duckDbModule();
    const spillFolder = path === ':memory:' ? newSpillFolder() : undefined;
    try {
      const instance = await DuckDBInstance.create(path, { ...instanceOptions(options), ...(spillFolder ? { temp_directory: spillFolder } : {}) });
      return new DuckDbSession(instance, await instance.connect(), spillFolder);
    } catch (error) {
      if (spillFolder) rmSync(spillFolder, { recursive: true, force: true });
      throw error;
    }
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** Rows as arrays of JavaScript values (BIGINT as bigint). */
  async rows(sql: string): Promise<unknown[][]> {
    return (await this.connection.runAndReadAll(sql)).getRows() as unknown[][];
  }

  /** Rows as objects by column name. */
  async objects(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjects() as Record<string, unknown>[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    if (this.spillFolder) rmSync(this.spillFolder, { recursive: true, force: true });
  }
}

const SPILL_FOLDER = /^segment-lens-duckdb-(\d+)-[A-Za-z0-9]{6}$/;

/**
 * A new spill folder for this process, `segment-lens-duckdb-<pid>-XXXXXX` under the system's
 * temporary folder. First removes those a session left when its process ended without closing it
 * (the editor closed or the server killed mid-query): the process that named it no longer runs
 * here, and the folder has not changed for an hour (a process of another machine or container that
 * shares the temporary folder may carry a number that is free here).
 */
function newSpillFolder(): string {
  const parent = tmpdir();
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    // Not listable: nothing is removed.
  }
  for (const name of names) {
    const pid = Number(SPILL_FOLDER.exec(name)?.[1]);
    if (!pid || pid === process.pid || isProcessRunning(pid)) continue;
    const folder = join(parent, name);
    try {
      if (Date.now() - statSync(folder).mtimeMs > 3_600_000) rmSync(folder, { recursive: true, force: true });
    } catch {
      // Another user's, or removed meanwhile: left as it is.
    }
  }
  return mkdtempSync(join(parent, `segment-lens-duckdb-${process.pid}-`));
}

/** A DuckDB string literal. */
export const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;
