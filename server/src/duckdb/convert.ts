import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DIALECTS, type TableLayout } from '../sql';
import { setupStatements } from '../sql/referenceTables';
import { materializedLoadStatements, materializedWorkspaceLayout } from '../sql/layouts/materialized';
import { workspaceDataFiles, workspaceFiles, type LoadProgress, type WorkspaceConfig } from '../workspace/loadWorkspace';
import { cacheDirectory, cacheKey } from '../workspace/workspaceCache';
import { DuckDbSession, literal, type SessionOptions } from './session';
import { storeSummaryFacts } from './summary';

/**
 * A workspace's JSONL files converted into a DuckDB database in the engine's cache
 * (`<cache>/duckdb/<key>-d<FORMAT>.duckdb`), keyed like the in-memory engine's cache entry
 * (`cacheKey`: the workspace root and every data file's path, size and modification time), so it
 * is converted again only when a data file changes. The conversion writes a temporary file and
 * renames it into place; the older databases of the same workspace are then removed.
 *
 * The database is in the materialised workspace layout (`convertedLayout`, format 3): the workspace
 * layout's tables, loaded without keys or indexes; the profile values every segment reads taken
 * out of `attributes` into columns (typed where the format documents one scalar type); the integer
 * profile key `pidx` on profiles and events; `$value` as a number; the events in metric, `pidx`
 * and time order (a metric's events are contiguous); the compiler's reference tables
 * (`convertedReferenceSetup`); the counts of the editor's workspace summary (`sl_summary`,
 * duckdb/summary.ts, format 4).
 */
export const DUCKDB_FORMAT = 4;

/** The table the conversion adds: the workspace's name and "now" (epoch ms, NULL: the clock). */
export const WORKSPACE_INFO_TABLE = 'sl_workspace';

/** The layout of a converted workspace's database (what its evaluator compiles for). */
export function convertedLayout(): TableLayout {
  return materializedWorkspaceLayout();
}

let referenceSetup: { statements: string[]; hash: string } | undefined;

/**
 * The statements that create and fill the compiler's reference tables (postal centroids, phone
 * calling codes, country keys...) in a converted database, and their hash: the conversion runs them
 * once and stores the hash in `sl_workspace.reference_hash`; an evaluator of the database skips
 * them when the hash is this one (the tables hold this version's data), rather than creating the
 * tables again in every session.
 */
export function convertedReferenceSetup(): { statements: string[]; hash: string } {
  if (!referenceSetup) {
    const statements = setupStatements(DIALECTS.duckdb, convertedLayout());
    referenceSetup = { statements, hash: createHash('sha256').update(statements.join(';\n')).digest('hex').slice(0, 32) };
  }
  return referenceSetup;
}

export function duckdbCacheDirectory(): string {
  return join(cacheDirectory(), 'duckdb');
}

export interface ConvertedWorkspace {
  path: string;
  /** False when the database was current and was reused. */
  converted: boolean;
  convertMs: number;
}

export interface ConvertOptions extends SessionOptions {
  onProgress?: (progress: LoadProgress) => void;
}

/** A workspace's data files, sized, and whether each is gzip (what `--engine auto` weighs). */
export function dataFileSizes(config: WorkspaceConfig): { bytes: number; gzip: boolean }[] {
  const sizes: { bytes: number; gzip: boolean }[] = [];
  for (const file of workspaceFiles(config)) {
    if (file === config.markerPath) continue;
    try {
      sizes.push({ bytes: statSync(file).size, gzip: file.endsWith('.gz') });
    } catch {
      // Removed since it was listed.
    }
  }
  return sizes;
}

/** The database of a workspace in the cache, converted first when its data changed. */
export async function convertedWorkspace(config: WorkspaceConfig, options: ConvertOptions = {}): Promise<ConvertedWorkspace> {
  const started = Date.now();
  // Keyed by DuckDB's format, not the in-memory cache's: a change to that one alone converts nothing again.
  const key =
    cacheKey(config.root, workspaceFiles(config), `duckdb-d${DUCKDB_FORMAT}`) ??
    `${createHash('sha256').update(config.root).digest('hex').slice(0, 16)}-uncached${process.pid}`;
  const dir = duckdbCacheDirectory();
  const path = join(dir, `${key}-d${DUCKDB_FORMAT}.duckdb`);
  if (existsSync(path)) return { path, converted: false, convertMs: Date.now() - started };
  mkdirSync(dir, { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  const statements = [
    ...materializedLoadStatements(DIALECTS.duckdb, workspaceDataFiles(config)),
    ...convertedReferenceSetup().statements,
    `CREATE TABLE ${WORKSPACE_INFO_TABLE} AS SELECT ${literal(config.name)} AS name, ${config.now === undefined ? 'CAST(NULL AS DOUBLE)' : String(config.now)} AS now_ms, ${literal(config.root)} AS root, ${DUCKDB_FORMAT} AS format, ${literal(convertedReferenceSetup().hash)} AS reference_hash`,
  ];
  const session = await DuckDbSession.open(temp, options);
  try {
    // Progress before each step: the statements, the summary's counts, the checkpoint; and at the end.
    const steps = statements.length + 2;
    const progress = (phase: LoadProgress['phase'], i: number) => options.onProgress?.({ phase, records: i, bytes: i, totalBytes: steps });
    for (const [i, statement] of statements.entries()) {
      progress(phaseOf(statement), i);
      await session.run(statement);
    }
    progress('indexing', statements.length);
    await storeSummaryFacts(session);
    progress('indexing', statements.length + 1);
    await session.run('CHECKPOINT');
    progress('indexing', steps);
  } catch (error) {
    session.close();
    rmSync(temp, { force: true });
    rmSync(`${temp}.wal`, { force: true });
    throw error;
  }
  session.close();
  renameSync(temp, path);
  removeOlderDatabases(dir, key, path);
  return { path, converted: true, convertMs: Date.now() - started };
}

/** Which table a load statement fills (for the progress bar). */
function phaseOf(statement: string): LoadProgress['phase'] {
  const into = /^INSERT INTO "?(\w+)/.exec(statement)?.[1];
  if (into === 'profiles' || statement.includes('sl_profile_lines')) return 'profiles';
  if (into === 'events') return 'events';
  if (into === 'metrics') return 'metrics';
  if (into === 'lists') return 'lists';
  if (into === 'list_members' || statement.includes('sl_member_lines')) return 'list-members';
  return 'indexing';
}

/** Removes the other databases of the workspace `key` belongs to, and conversions abandoned an hour ago. */
function removeOlderDatabases(dir: string, key: string, keep: string): void {
  const prefix = key.slice(0, key.indexOf('-') + 1);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!name.startsWith(prefix) || path === keep) continue;
    try {
      if (name.endsWith('.duckdb') || Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}
