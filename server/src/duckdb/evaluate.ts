import type { NameLookup } from '../engine/describe';
import type { OverlapCell } from '../engine/overlap';
import { compileSegment, countsSelect, type Approximation, type CompiledSegment, type SqlCatalog, type TableLayout } from '../sql';
import { DIALECTS } from '../sql/dialects';
import { columnSql, tableSql } from '../sql/layout';
import { convertedReferenceSetup, WORKSPACE_INFO_TABLE } from './convert';
import type { DuckDbSession } from './session';

/** What the evaluate command shows of the data an evaluator reads. */
export interface DuckDbWorkspaceInfo {
  name: string;
  /** The workspace folder, or the database or Parquet folder given with --database. */
  root: string;
  /** "Now" of the evaluation (epoch ms). */
  now: number;
  profiles: number;
  events: number;
}

export interface DuckDbConditionResult {
  matched: number | null;
  notEvaluable?: string;
}

export interface DuckDbGroupResult {
  matched: number | null;
  afterAnd: number | null;
  conditions: DuckDbConditionResult[];
}

export interface DuckDbProfileSummary {
  id: string;
  email: string | null;
  name: string | null;
  location: string | null;
}

/** The in-memory engine's DefinitionResult, as counted by DuckDB, with the profiles it lists. */
export interface DuckDbDefinitionResult {
  total: number;
  matched: number | null;
  groups: DuckDbGroupResult[];
  notEvaluable: string[];
  /** Rules the SQL reproduces only approximately (the compiler's list; docs/sql.md). */
  approximations: Approximation[];
  /** Matched profile IDs in ID order: all of them with `ids`, else the first `limit`. */
  ids: string[];
  /** The first `limit` of them. */
  profiles: DuckDbProfileSummary[];
  elapsedMs: number;
}

/** One definition's outcome in `DuckDbEvaluator.membership`: its count, or why it is not evaluable. */
export type MembershipOutcome = { matched: number } | { notEvaluable: string[] };

const d = DIALECTS.duckdb;

/** Why condition `c` of group `g` of a prepared definition is not evaluable: the compiler's reason, else a failed precondition's; undefined when it is. */
function reasonOf(prepared: { compiled: CompiledSegment; failed: ReadonlyMap<string, string> }, g: number, c: number): string | undefined {
  return prepared.compiled.groups[g].conditions[c].notEvaluable ?? prepared.failed.get(`${g}/${c}`);
}

/** The hash of the reference tables a converted workspace's database holds (`convertedReferenceSetup`), if any. */
async function referenceStamp(session: DuckDbSession): Promise<string | undefined> {
  try {
    const value = (await session.rows(`SELECT reference_hash FROM ${WORKSPACE_INFO_TABLE}`))[0]?.[0];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined; // Not a converted workspace, or one converted before format 3.
  }
}

const count = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/**
 * The latest profile creation instant (`SqlCatalog.latestCreated`) where the layout keeps it as a
 * column of epoch milliseconds (`profiles.createdMs`: the converted workspace's `t/created`, whose
 * maximum DuckDB answers from the column's statistics); undefined elsewhere (parsing every
 * profile's date at each open would cost more than the test it saves).
 */
async function latestCreated(session: DuckDbSession, layout: TableLayout): Promise<number | null | undefined> {
  const column = layout.profiles.createdMs;
  if (column === undefined) return undefined;
  const value = (await session.rows(`SELECT MAX(${columnSql(d, 'p', column)}) FROM ${tableSql(d, layout.profiles.table)} AS p`))[0]?.[0];
  return value === null || value === undefined ? null : Number(value);
}

/**
 * Evaluates segment definitions with DuckDB through the segment→SQL compiler (server/src/sql/):
 * the flags form (one row per existing profile, a boolean per condition) is computed once into a
 * temporary table, and the total, each condition's, group's and running AND's count (as the
 * compiler's counts form computes them) and the matched IDs are read from it. Preconditions the compiler lists (a value no profile carries, a
 * metric or list that is not in the data) are run first: a failed one makes its condition not
 * evaluable with the engine's reason, as in the in-memory engine.
 */
export class DuckDbEvaluator {
  private readonly setUp = new Set<string>();
  /** The attached database holds reference tables of other data: they are created in memory (which comes first), not dropped. */
  private staleReferences = false;

  constructor(
    private readonly session: DuckDbSession,
    readonly layout: TableLayout,
    readonly info: DuckDbWorkspaceInfo,
    readonly names: NameLookup,
    /** Facts about the data the compiler may use (`SqlCatalog`); every compilation of this evaluator's SQL passes them. */
    readonly catalog: SqlCatalog = {},
  ) {}

  /** The info and names of the data behind `layout` in `session`. */
  static async open(session: DuckDbSession, layout: TableLayout, base: { name: string; root: string; now: number }): Promise<DuckDbEvaluator> {
    const countOf = async (table: readonly string[], live: string | undefined) =>
      Number((await session.rows(`SELECT COUNT(*) FROM ${tableSql(d, table)} AS p${live ? ` WHERE ${live}` : ''}`))[0][0]);
    const profiles = await countOf(layout.profiles.table, layout.profiles.live?.('p', d));
    const events = await countOf(layout.events.table, layout.events.live?.('p', d));
    const nameMap = async (table: readonly string[], id: string) => {
      try {
        const rows = await session.rows(`SELECT ${columnSql(d, 'r', id)}, r."name" FROM ${tableSql(d, table)} AS r WHERE r."name" IS NOT NULL`);
        return new Map(rows.map((row) => [String(row[0]), String(row[1])]));
      } catch {
        return new Map<string, string>(); // The layout's table has no name column.
      }
    };
    const metrics = await nameMap(layout.metrics.table, layout.metrics.id);
    const lists = await nameMap(layout.lists.table, layout.lists.id);
    const evaluator = new DuckDbEvaluator(
      session,
      layout,
      { ...base, profiles, events },
      { metricName: (id) => metrics.get(id), listName: (id) => lists.get(id) },
      { latestCreated: await latestCreated(session, layout) },
    );
    const stamp = await referenceStamp(session);
    if (stamp !== undefined) {
      const setup = convertedReferenceSetup();
      if (stamp === setup.hash) for (const statement of setup.statements) evaluator.setUp.add(statement);
      else evaluator.staleReferences = true;
    }
    return evaluator;
  }

  /** The definition as this evaluator's SQL: DuckDB's dialect, its layout and the catalog it read, as of `now` (default: the data's). */
  compile(definition: unknown, now = this.info.now): CompiledSegment {
    return compileSegment(definition, { dialect: 'duckdb', layout: this.layout, now, catalog: this.catalog });
  }

  /**
   * The definition compiled as of `now`, with the tables its SQL needs set up and its
   * preconditions checked: `failed` maps "g/c" to the engine's reason for each condition the data
   * makes not evaluable.
   */
  async prepare(definition: unknown, now = this.info.now): Promise<{ compiled: CompiledSegment; failed: Map<string, string> }> {
    const compiled = this.compile(definition, now);
    for (const statement of compiled.setup) {
      if (this.setUp.has(statement) || (this.staleReferences && statement.startsWith('DROP TABLE IF EXISTS '))) continue;
      await this.session.run(statement);
      this.setUp.add(statement);
    }
    // Conditions made not evaluable by the data: "g/c" → the engine's reason.
    const failed = new Map<string, string>();
    for (const precondition of compiled.preconditions) {
      const [, g, , c] = precondition.path;
      const key = `${g}/${c}`;
      if (failed.has(key)) continue;
      const ok = (await this.session.rows(precondition.sql))[0]?.[0];
      if (ok !== true) failed.set(key, precondition.reason);
    }
    return { compiled, failed };
  }

  /** Counts (and with `ids` or a `limit`, lists) the profiles `definition` matches as of `options.now` (default: the data's now). */
  async evaluate(definition: unknown, options: { ids: boolean; limit: number; now?: number }): Promise<DuckDbDefinitionResult> {
    const started = Date.now();
    const { compiled, failed } = await this.prepare(definition, options.now);
    // One pass over the profiles: the flags form into a temporary table, then the counts and the IDs from it.
    const q = (name: string) => d.quoteIdentifier(name);
    await this.session.run(`CREATE OR REPLACE TEMP TABLE sl_flags AS ${compiled.flagsSql}`);
    const { sql: countsSql, matchedTest: all } = countsSelect(compiled.groups, q);
    const row = (await this.session.objects(`${countsSql}\nFROM sl_flags`))[0] ?? {};
    const reasons: string[] = [];
    let running = true;
    const groups = compiled.groups.map((group, g): DuckDbGroupResult => {
      const conditions = group.conditions.map((condition, c): DuckDbConditionResult => {
        const reason = reasonOf({ compiled, failed }, g, c);
        if (reason !== undefined) {
          reasons.push(reason);
          return { matched: null, notEvaluable: reason };
        }
        return { matched: count(row[condition.column]) };
      });
      const evaluable = conditions.every((c) => c.matched !== null);
      running = running && evaluable;
      return { matched: evaluable ? count(row[group.column]) : null, afterAnd: running ? count(row[group.afterAndColumn]) : null, conditions };
    });
    const matched = running ? count(row.matched) : null;
    let ids: string[] = [];
    if (all !== null && matched !== null && matched > 0 && (options.ids || options.limit > 0)) {
      const page = options.ids ? '' : ` LIMIT ${options.limit}`;
      ids = (await this.session.rows(`SELECT ${q('profile_id')} FROM sl_flags WHERE ${all} ORDER BY ${q('profile_id')}${page}`)).map((r) => String(r[0]));
    }
    await this.session.run('DROP TABLE sl_flags');
    return {
      total: count(row.total) ?? 0,
      matched,
      groups,
      notEvaluable: [...new Set(reasons)],
      approximations: compiled.approximations,
      ids,
      profiles: await this.summaries(ids.slice(0, options.limit)),
      elapsedMs: Date.now() - started,
    };
  }

  /**
   * The matched test of a prepared definition over its flags (null: a condition is not evaluable,
   * by the compiler or by the data), as `evaluate` decides it.
   */
  private matchedTest(prepared: { compiled: CompiledSegment; failed: Map<string, string> }): string | null {
    if (prepared.failed.size > 0) return null;
    return countsSelect(prepared.compiled.groups, (name) => d.quoteIdentifier(name)).matchedTest;
  }

  /**
   * How the audiences of definitions intersect (Compare Two Segments, Compare Segments in Folder,
   * the change since HEAD): the profiles grouped by which of the evaluable definitions they match,
   * in one query over their flags forms joined on the profile (each has one row per profile that
   * exists as of the same instant). `cells[].members` index `definitions`; the group of profiles
   * in none of them is a cell with no members. A definition that is not evaluable has the engine's
   * reasons instead of a count, and is in no cell.
   */
  async membership(definitions: readonly unknown[]): Promise<{ outcomes: MembershipOutcome[]; cells: OverlapCell[] }> {
    const prepared: Awaited<ReturnType<DuckDbEvaluator['prepare']>>[] = [];
    for (const definition of definitions) prepared.push(await this.prepare(definition));
    const tests = prepared.map((p) => this.matchedTest(p));
    const counted = tests.flatMap((test, i) => (test === null ? [] : [i]));
    const cells: OverlapCell[] = [];
    if (counted.length > 0) {
      const id = d.quoteIdentifier('profile_id');
      const sets = counted.map((i, k) => `sl_m${k} AS (SELECT ${id}, coalesce(${tests[i]}, FALSE) AS m FROM (${prepared[i].compiled.flagsSql}\n) AS f)`);
      const joined = counted.map((_, k) => (k === 0 ? 'sl_m0' : `JOIN sl_m${k} USING (${id})`)).join(' ');
      const rows = await this.session.rows(
        `WITH ${sets.join(',\n')}\nSELECT ${counted.map((_, k) => `sl_m${k}.m`).join(', ')}, COUNT(*) FROM ${joined} GROUP BY ALL`,
      );
      for (const row of rows) cells.push({ members: counted.filter((_, k) => row[k] === true), count: Number(row[counted.length]) });
    }
    const outcomes = prepared.map((p, i): MembershipOutcome => {
      if (tests[i] !== null) return { matched: cells.reduce((sum, cell) => sum + (cell.members.includes(i) ? cell.count : 0), 0) };
      // The reasons `evaluate` gives, in its order.
      const reasons = p.compiled.groups.flatMap((group, g) => group.conditions.flatMap((_, c) => reasonOf(p, g, c) ?? []));
      return { notEvaluable: [...new Set(reasons)] };
    });
    return { outcomes, cells };
  }

  /**
   * Whether one profile matches a definition as of `now`, and each condition: its row of the
   * flags form (none when the profile does not exist then: it matches nothing). A condition the
   * compiler or the data makes not evaluable is null, and so the definition does not match.
   */
  async profileOutcome(definition: unknown, profileId: string, now = this.info.now): Promise<{ matched: boolean; conditions: (boolean | null)[][] }> {
    const prepared = await this.prepare(definition, now);
    const test = this.matchedTest(prepared);
    const id = d.quoteIdentifier('profile_id');
    const row = (
      await this.session.objects(
        `SELECT f.*, ${test ?? 'FALSE'} AS sl_matched FROM (${prepared.compiled.flagsSql}\n) AS f WHERE ${id} = ${d.stringLiteral(profileId)}`,
      )
    )[0];
    const conditions = prepared.compiled.groups.map((group, g) =>
      group.conditions.map((condition, c) => (reasonOf(prepared, g, c) !== undefined ? null : row?.[condition.column] === true)),
    );
    return { matched: row?.sl_matched === true, conditions };
  }

  /** Email, name and location of these profiles (in this order), read through the layout. */
  private async summaries(ids: string[]): Promise<DuckDbProfileSummary[]> {
    if (ids.length === 0) return [];
    const text = (path: string[]) => {
      const value = this.layout.profileValue('p', path, d);
      if ('notEvaluable' in value || value.kind === 'missing' || value.stage !== 0) return 'NULL';
      if (value.kind === 'json') return `CASE WHEN json_type(${value.sql}) = 'VARCHAR' THEN ${value.sql} ->> '$' END`;
      return `CAST(${value.sql} AS VARCHAR)`;
    };
    const fields: [string, string[]][] = [
      ['email', ['email']],
      ['first_name', ['first_name']],
      ['last_name', ['last_name']],
      ['city', ['location', 'city']],
      ['region', ['location', 'region']],
      ['country', ['location', 'country']],
    ];
    const id = columnSql(d, 'p', this.layout.profiles.id);
    const rows = await this.session.rows(
      `SELECT ${id}, ${fields.map(([name, path]) => `${text(path)} AS ${d.quoteIdentifier(name)}`).join(', ')} FROM ${tableSql(d, this.layout.profiles.table)} AS p WHERE ${id} IN (${ids.map((i) => d.stringLiteral(i)).join(', ')})`,
    );
    const byId = new Map(rows.map((r) => [String(r[0]), r.slice(1).map((v) => (typeof v === 'string' && v !== '' ? v : undefined))]));
    return ids.map((profileId) => {
      const [email, first, last, city, region, country] = byId.get(profileId) ?? [];
      const name = [first, last].filter(Boolean).join(' ');
      const location = [city, region, country].filter(Boolean).join(', ');
      return { id: profileId, email: email ?? null, name: name || null, location: location || null };
    });
  }
}
