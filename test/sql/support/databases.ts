import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type pg from 'pg';
import { DIALECTS } from '../../../server/src/sql/dialects';
import type { DialectName } from '../../../server/src/sql/dialect';
import type { TableLayout } from '../../../server/src/sql/layout';
import { materializedLoadStatements, materializedWorkspaceLayout } from '../../../server/src/sql/layouts/materialized';
import { workspaceLayout } from '../../../server/src/sql/layouts/workspace';
import { setupStatements } from '../../../server/src/sql/referenceTables';
import {
  duckdbLoadStatements,
  workspaceInsertStatements,
  workspaceRows,
  workspaceTableStatements,
  type WorkspaceFiles,
  type WorkspaceRecords,
} from '../../../server/src/sql/workspaceTables';
import { PostgresServer } from './postgres';

/** A database the equivalence tests load workspaces into and query. */
export interface TestDatabase {
  readonly dialect: DialectName;
  /** The layout the SQL is compiled for (default: the workspace layout). */
  readonly layout?: TableLayout;
  /** Replaces the workspace tables with these records. */
  load(records: WorkspaceRecords): Promise<void>;
  /** Rows as arrays of values (booleans, numbers, strings). */
  query(sql: string): Promise<unknown[][]>;
  close(): Promise<void>;
}

const WORKSPACE_TABLES = ['events', 'list_members', 'lists', 'metrics', 'profiles'];

/**
 * DuckDB in process. Workspaces are written as JSONL files and loaded with the DuckDB loader
 * statements (read_json), the path a user takes. `materialized`: then turned into the
 * materialised workspace layout, as the DuckDB engine's conversion does (duckdb/convert.ts).
 */
export class DuckDbDatabase implements TestDatabase {
  readonly dialect = 'duckdb';
  readonly layout: TableLayout;
  private readonly dir = mkdtempSync(join(tmpdir(), 'segment-lens-duckdb-'));
  private loads = 0;

  private constructor(
    private readonly connection: DuckDBConnection,
    private readonly materialized: boolean,
  ) {
    this.layout = materialized ? materializedWorkspaceLayout() : workspaceLayout();
  }

  static async open(options: { materialized?: boolean } = {}): Promise<DuckDbDatabase> {
    const instance = await DuckDBInstance.create(':memory:');
    const db = new DuckDbDatabase(await instance.connect(), options.materialized ?? false);
    for (const statement of setupStatements(DIALECTS.duckdb, workspaceLayout())) await db.connection.run(statement);
    return db;
  }

  async load(records: WorkspaceRecords): Promise<void> {
    for (const table of WORKSPACE_TABLES) await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
    const dir = join(this.dir, String(++this.loads));
    mkdirSync(join(dir, 'list-members'), { recursive: true });
    const jsonl = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join('\n');
    writeFileSync(join(dir, 'metrics.json'), JSON.stringify({ data: records.metrics }));
    writeFileSync(join(dir, 'lists.json'), JSON.stringify({ data: records.lists }));
    writeFileSync(join(dir, 'profiles.jsonl'), jsonl(records.profiles));
    writeFileSync(join(dir, 'events.jsonl'), jsonl(records.events));
    const listMembers = records.listMembers.map(({ listId, members }, i) => {
      const path = join(dir, 'list-members', `${i}.jsonl`);
      writeFileSync(path, jsonl(members));
      return { listId, path };
    });
    await this.loadFiles({
      metrics: join(dir, 'metrics.json'),
      lists: join(dir, 'lists.json'),
      profiles: join(dir, 'profiles.jsonl'),
      events: join(dir, 'events.jsonl'),
      listMembers,
    });
    rmSync(dir, { recursive: true, force: true });
  }

  /** Loads a workspace's own files (JSONL, gzip-compressed or not) with read_json. */
  async loadFiles(files: WorkspaceFiles): Promise<void> {
    for (const table of WORKSPACE_TABLES) await this.connection.run(`DROP TABLE IF EXISTS ${table}`);
    const statements = this.materialized ? materializedLoadStatements(DIALECTS.duckdb, files) : duckdbLoadStatements(files);
    for (const statement of statements) await this.connection.run(statement);
  }

  async query(sql: string): Promise<unknown[][]> {
    return (await this.connection.runAndReadAll(sql)).getRows();
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A real PostgreSQL server (see PostgresServer). Workspaces are loaded with the INSERT statements
 * the compiler generates from the loader's records (workspaceRows), in a fresh schema each time.
 */
export class PostgresDatabase implements TestDatabase {
  readonly dialect = 'postgres';

  private constructor(
    private readonly server: PostgresServer,
    private readonly client: pg.Client,
  ) {}

  static async open(): Promise<PostgresDatabase> {
    const server = await PostgresServer.start();
    const client = await server.connect();
    const db = new PostgresDatabase(server, client);
    await client.query(setupStatements(DIALECTS.postgres, workspaceLayout()).join(';\n'));
    return db;
  }

  async load(records: WorkspaceRecords): Promise<void> {
    const statements = [
      'DROP SCHEMA IF EXISTS workspace CASCADE',
      'CREATE SCHEMA workspace',
      'SET search_path TO workspace, public',
      ...workspaceTableStatements(DIALECTS.postgres),
      ...workspaceInsertStatements(DIALECTS.postgres, workspaceRows(records)),
      ...WORKSPACE_TABLES.map((table) => `ANALYZE ${table}`),
    ];
    await this.client.query(statements.join(';\n'));
  }

  async query(sql: string): Promise<unknown[][]> {
    const result = await this.client.query({ text: sql, rowMode: 'array' });
    return result.rows as unknown[][];
  }

  async close(): Promise<void> {
    await this.client.end();
    await this.server.stop();
  }
}
