import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TableLayout } from '../sql';
import { WORKSPACE_INFO_TABLE } from './convert';
import { DuckDbSession, literal, type SessionOptions } from './session';

/**
 * The data a DuckDB evaluation reads, opened in an in-memory database (where the compiler's
 * reference tables go): a DuckDB file attached read-only (a converted workspace, or any file
 * holding the layout's tables), or views over a folder of Parquet files (`<table>.parquet`, or a
 * `<table>/` folder of Parquet files, as ingestr or dlt write them), named after the layout's tables.
 */
export class DatabaseNotUsable extends Error {}

export interface OpenedDatabase {
  session: DuckDbSession;
  /** The name and "now" a converted workspace stored (absent for other data). */
  stored?: { name: string; now: number | undefined; root: string };
}

export async function openDatabase(path: string, layout: TableLayout, options: SessionOptions = {}): Promise<OpenedDatabase> {
  if (!existsSync(path)) throw new DatabaseNotUsable(`--database ${path}: no such file or folder`);
  const folder = statSync(path).isDirectory();
  const views = folder ? parquetTables(path) : [];
  if (folder && views.length === 0) throw new DatabaseNotUsable(`--database ${path}: a folder must hold Parquet files (<table>.parquet or <table>/*.parquet)`);
  const session = await DuckDbSession.open(':memory:', options);
  try {
    if (!folder) {
      await session.run(`ATTACH ${literal(path)} AS sl_data (READ_ONLY)`);
      // Unqualified names: created in memory (the reference tables), read from the file.
      await session.run(`SET search_path = 'memory.main,sl_data.main'`);
    } else {
      const schemas = new Set(
        [layout.profiles.table, layout.events.table, layout.metrics.table, layout.lists.table, layout.members.table].map((t) => t.slice(0, -1).join('.')),
      );
      for (const schema of schemas)
        if (schema !== '')
          await session.run(
            `CREATE SCHEMA IF NOT EXISTS ${schema
              .split('.')
              .map((s) => `"${s.replace(/"/g, '""')}"`)
              .join('.')}`,
          );
      const schemaOf = new Map(
        [layout.profiles.table, layout.events.table, layout.metrics.table, layout.lists.table, layout.members.table].map((t) => [
          t[t.length - 1].toLowerCase(),
          t.slice(0, -1),
        ]),
      );
      for (const { table, source } of views) {
        const name = [...(schemaOf.get(table.toLowerCase()) ?? []), table].map((s) => `"${s.replace(/"/g, '""')}"`).join('.');
        await session.run(`CREATE VIEW ${name} AS SELECT * FROM read_parquet(${literal(source)})`);
      }
    }
    return { session, stored: await storedInfo(session) };
  } catch (error) {
    session.close();
    throw error instanceof DatabaseNotUsable ? error : new DatabaseNotUsable(`--database ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** `<table>.parquet` files and `<table>/` folders of Parquet files. */
function parquetTables(folder: string): { table: string; source: string }[] {
  const tables: { table: string; source: string }[] = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (name.endsWith('.parquet') && statSync(path).isFile()) tables.push({ table: basename(name, '.parquet'), source: path });
    else if (statSync(path).isDirectory() && readdirSync(path).some((f) => f.endsWith('.parquet')))
      tables.push({ table: name, source: join(path, '*.parquet') });
  }
  return tables;
}

async function storedInfo(session: DuckDbSession): Promise<OpenedDatabase['stored']> {
  const found = await session.rows(`SELECT 1 FROM duckdb_tables() WHERE table_name = ${literal(WORKSPACE_INFO_TABLE)}`);
  if (found.length === 0) return undefined;
  const [row] = await session.objects(`SELECT name, now_ms, root FROM ${WORKSPACE_INFO_TABLE}`);
  if (!row) return undefined;
  return { name: String(row.name), now: row.now_ms === null ? undefined : Number(row.now_ms), root: String(row.root) };
}
