import type { ConditionPath } from '../engine/conditions';
import type { ReferenceTime } from '../engine/time';
import type { SqlDialect } from './dialect';
import { tableSql, type ReferenceTable, type TableLayout } from './layout';

/**
 * What the compiler may know about the data without reading it (an evaluation engine that has
 * loaded the workspace knows it). Without it, each fact becomes a precondition: a query that
 * says whether the compiled SQL is evaluable at all.
 */
export interface SqlCatalog {
  hasMetric?(id: string): boolean;
  hasList?(id: string): boolean;
  /** Whether some profile carries a value at this path of the API `attributes`. */
  carries?(path: readonly string[]): boolean;
  /**
   * The latest instant (epoch ms) at which a profile was created, null when no profile has a
   * creation date: when it is not after now, every profile exists as of now and the SQL does not
   * test it.
   */
  latestCreated?: number | null;
}

/** A rule of docs/semantics.md that the SQL reproduces only approximately, at a path of the definition. */
export interface Approximation {
  path: (string | number)[];
  /** The same path as a JSON pointer into the segment definition. */
  pointer: string;
  rule: string;
}

/** A fact about the data the SQL needs: `sql` returns one row with a boolean `ok`; when false the condition is not evaluable with `reason`. */
export interface Precondition {
  path: (string | number)[];
  pointer: string;
  reason: string;
  sql: string;
}

export function pointerOf(path: readonly (string | number)[]): string {
  return path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * Profile-level expressions computed once per profile: the compiler nests derived tables over
 * the profiles table, one per stage, each adding columns that may use the columns of the
 * stages below (a parsed date uses its text, a month-day uses the parsed date). Every stage is
 * aliased `p`, like the profiles table itself, so an expression reads the same at any stage.
 */
export class DerivedColumns {
  private readonly stages: { name: string; sql: string }[][] = [];
  private readonly bySql = new Map<string, string>();

  /** The column holding `sql` (an expression over columns of stages below `stage`), added at `stage` (1-based). */
  add(sql: string, stage: number): string {
    const key = `${stage}\u0000${sql}`;
    const existing = this.bySql.get(key);
    if (existing) return existing;
    const name = `sl_${this.bySql.size + 1}`;
    this.bySql.set(key, name);
    while (this.stages.length < stage) this.stages.push([]);
    this.stages[stage - 1].push({ name, sql });
    return name;
  }

  get isEmpty(): boolean {
    return this.bySql.size === 0;
  }

  /** `FROM` source of the profile rows (aliased `p`), with every derived column. */
  source(d: SqlDialect, layout: TableLayout): string {
    const base = `${tableSql(d, layout.profiles.table)} AS p`;
    const live = layout.profiles.live ? ` WHERE ${layout.profiles.live('p', d)}` : '';
    if (this.stages.length === 0) return live ? `(SELECT p.* FROM ${base}${live}) AS p` : base;
    let from = `${base}${live}`;
    for (const stage of this.stages) {
      const columns = stage.map(({ name, sql }) => `\n    ${sql} AS ${d.quoteIdentifier(name)}`).join(',');
      from = `(SELECT p.*,${columns}\n  FROM ${from}) AS p`;
    }
    return from;
  }
}

export class CompileContext {
  private aliasCount = 0;
  readonly derived = new DerivedColumns();
  readonly approximations = new Map<string, Approximation>();
  readonly preconditions = new Map<string, Precondition>();
  readonly references = new Set<ReferenceTable>();

  constructor(
    readonly dialect: SqlDialect,
    readonly layout: TableLayout,
    readonly ref: ReferenceTime,
    readonly catalog: SqlCatalog | undefined,
  ) {}

  /** A fresh alias for an inner row (`e1`, `m2`...). */
  alias(prefix: string): string {
    this.aliasCount++;
    return `${prefix}${this.aliasCount}`;
  }

  approximate(path: ConditionPath, rule: string): void {
    const key = `${pointerOf(path)} ${rule}`;
    if (!this.approximations.has(key)) this.approximations.set(key, { path: [...path], pointer: pointerOf(path), rule });
  }

  require(path: ConditionPath, reason: string, sql: string): void {
    const key = `${pointerOf(path)} ${reason}`;
    if (!this.preconditions.has(key)) this.preconditions.set(key, { path: [...path], pointer: pointerOf(path), reason, sql });
  }

  reference(table: ReferenceTable): string {
    this.references.add(table);
    return tableSql(this.dialect, this.layout.referenceTable(table));
  }
}
